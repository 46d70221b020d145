"""The course's JupyterLab settings (jupyter/labconfig) name real settings, with allowed values,
and JupyterLab's server picks them up from JUPYTER_CONFIG_PATH, as `make lab` sets it."""

import json

import pytest

from tools.course import ROOT

COURSE_CONFIG = ROOT / "jupyter"
OVERRIDES = json.loads(
    (COURSE_CONFIG / "labconfig" / "default_setting_overrides.json").read_text(encoding="utf-8")
)
SETTINGS = [(plugin, key) for plugin, values in OVERRIDES.items() for key in values]


@pytest.mark.parametrize("plugin, key", SETTINGS, ids=[f"{p}.{k}" for p, k in SETTINGS])
def test_each_setting_is_in_jupyterlabs_schema(plugin, key):
    from jupyterlab.commands import get_app_dir

    package, name = plugin.split(":")
    schema_path = f"{get_app_dir()}/schemas/{package}/{name}.json"
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    assert key in schema["properties"], f"{plugin} has no setting {key!r}"
    prop = schema["properties"][key]
    allowed = [c["const"] for c in prop.get("oneOf", [])] or prop.get("enum")
    if allowed:
        assert OVERRIDES[plugin][key] in allowed


def test_jupyterlab_reads_them_from_the_config_path(monkeypatch, tmp_path):
    from jupyterlab_server.settings_utils import _get_overrides

    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(COURSE_CONFIG))
    overrides, error = _get_overrides(str(tmp_path))
    assert not error
    for plugin, values in OVERRIDES.items():
        assert overrides[plugin] == {**overrides[plugin], **values}
