"""The course's JupyterLab settings (jupyter/overrides.json) name real settings with allowed
values, and JupyterLab reads them once tools/install_overrides.py has put them where the
environment's JupyterLab looks (what `make lab`, the hub environment and Binder's postBuild do)."""

import json

import pytest

from tools import install_overrides
from tools.course import ROOT

OVERRIDES = json.loads((ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
SETTINGS = [(plugin, key) for plugin, values in OVERRIDES.items() for key in values]


@pytest.mark.parametrize(("plugin", "key"), SETTINGS, ids=[f"{p}.{k}" for p, k in SETTINGS])
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


def test_jupyterlab_reads_them_once_installed(tmp_path):
    from jupyterlab_server.settings_utils import _get_overrides

    assert install_overrides.main(["--prefix", str(tmp_path)]) == 0
    overrides, error = _get_overrides(str(install_overrides.target(tmp_path).parent))
    assert not error
    for plugin, values in OVERRIDES.items():
        assert overrides[plugin] == {**overrides[plugin], **values}
    assert OVERRIDES["@jupyterlab/apputils-extension:kernels-settings"] == {
        "commsOverSubshells": "disabled"
    }
