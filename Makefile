# The course's commands. `make lab` to learn, `make test` to prove everything works.
# Everything runs inside .venv, created on first use; requirements are reinstalled only
# when a requirements file changes (stamp files in .venv).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip --quiet --disable-pip-version-check
# jupyter refuses to run as root unless told; only pass the flag when we are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test notebooks figures bench bench-browser lint floors navigation check-notebooks clean help hub-env hub-link assignments portability portability-ci portability-arm64

help:
	@echo "make lab        start JupyterLab at the first lesson (creates .venv on first use)"
	@echo "make test       lint, then every test: unit tests, every notebook under nbval, the browser test"
	@echo "make notebooks  re-execute every notebook in place, in order, in fresh kernels"
	@echo "make figures    redraw images/ from code"
	@echo "make bench      speed benchmarks (ratios against references, medians)"
	@echo "make bench-browser  the explorers' latency in Chromium against its goal (run on an idle machine)"
	@echo "make portability        every notebook under nbval in 12 simulated machines (CONTRIBUTING.md)"
	@echo "make portability-arm64  the same on Linux arm64 under QEMU (root; builds build/arm64-root once)"
	@echo "make lint       ruff"
	@echo "make floors     xentlib's tests at the lowest versions pyproject.toml allows (needs PyPI)"
	@echo "make assignments  nbgrader problem sets (one per lesson) and the capstone in build/course (docs/grading.md)"
	@echo "make hub-link HUB=https://hub.example.edu   the nbgitpuller link for students (docs/deploy-hub.md)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Runtime requirements (what a learner needs). Warming matplotlib's font cache here keeps
# its one-time "building the font cache" message out of the first notebook's output.
$(VENV)/.stamp-runtime: requirements.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements.txt
	$(PY) -c "import matplotlib.font_manager"
	@touch $@

$(VENV)/.stamp-dev: requirements-dev.txt $(VENV)/.stamp-runtime
	$(PIP) install -r requirements-dev.txt
	@touch $@

# The course's JupyterLab settings (jupyter/overrides.json, see jupyter/README.md: no news
# prompt, widget messages in order), merged into the file JupyterLab reads in this environment.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(OVERRIDES): jupyter/overrides.json tools/install_overrides.py $(VENV)/.stamp-runtime
	$(PY) tools/install_overrides.py

# The JupyterHub test (tests/test_hub.py). Students' servers run in their own environment,
# .venv/hub, installed the way docs/deploy-hub.md tells teachers to: the pinned requirements
# without `-e .`, then xentlib as a normal package, then the settings. The hub's proxy comes
# from the npm registry. Without npm or Chromium (a learner's machine) neither is installed
# and the test skips; on CI (CI=true) both always are.
CHP_VERSION := 5.2.0
CHP_STAMP   := $(VENV)/node/.stamp-chp-$(CHP_VERSION)
HUB_VENV    := $(VENV)/hub
HUB_PIP     := $(HUB_VENV)/bin/python -m pip --quiet --disable-pip-version-check
XENTLIB_FILES := $(shell find xentlib -type f -not -path '*/__pycache__/*' 2>/dev/null)
HUB_TEST_DEPS := $(if $(or $(filter true,$(CI)),$(and $(shell command -v npm),$(shell command -v chromium))),hub-env $(CHP_STAMP))

# axe-core checks accessibility in the browser test (tests/test_browser.py, WCAG 2.1 AA);
# like the proxy, it comes from the npm registry, pinned, into .venv/node (never a CDN).
AXE_VERSION := 4.14.1
AXE_STAMP   := $(VENV)/node/.stamp-axe-$(AXE_VERSION)
AXE_TEST_DEPS := $(if $(or $(filter true,$(CI)),$(shell command -v npm)),$(AXE_STAMP))

$(AXE_STAMP): | $(PY)
	npm install --prefix $(VENV)/node --no-audit --no-fund --no-package-lock axe-core@$(AXE_VERSION)
	@touch $@

$(CHP_STAMP): | $(PY)
	npm install --prefix $(VENV)/node --no-audit --no-fund --no-package-lock configurable-http-proxy@$(CHP_VERSION)
	@touch $@

$(HUB_VENV)/.stamp-requirements: requirements-hub.txt | $(PY)
	$(PY) -m venv --clear $(HUB_VENV)
	$(HUB_PIP) install -r requirements-hub.txt
	$(HUB_VENV)/bin/python -c "import matplotlib.font_manager"
	@touch $@

$(HUB_VENV)/.stamp: $(HUB_VENV)/.stamp-requirements pyproject.toml $(XENTLIB_FILES) jupyter/overrides.json tools/install_overrides.py
	$(HUB_PIP) install --no-deps --force-reinstall .
	$(HUB_VENV)/bin/python tools/install_overrides.py
	@touch $@

hub-env: $(HUB_VENV)/.stamp

# make hub-link HUB=https://hub.example.edu [REPO=url] [BRANCH=name] [NOTEBOOK=path]
hub-link:
	@$(if $(HUB),,$(error usage: make hub-link HUB=https://hub.example.edu [REPO=url] [BRANCH=name] [NOTEBOOK=notebooks/…ipynb]))
	@$(PYTHON) tools/hub_link.py "$(HUB)" $(if $(REPO),--repo "$(REPO)") $(if $(BRANCH),--branch "$(BRANCH)") $(if $(NOTEBOOK),--path "$(NOTEBOOK)")

lab: $(VENV)/.stamp-runtime $(OVERRIDES)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb --ServerApp.root_dir=. --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

# The linter first (seconds), then every test; .ci/run calls this.
test: $(VENV)/.stamp-dev $(OVERRIDES) $(HUB_TEST_DEPS) $(AXE_TEST_DEPS)
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest

notebooks: $(VENV)/.stamp-runtime
	$(PY) tools/execute_notebooks.py

navigation: $(VENV)/.stamp-runtime
	$(PY) tools/navigation.py

check-notebooks: $(VENV)/.stamp-runtime
	$(PY) tools/check_notebooks.py

figures: $(VENV)/.stamp-runtime
	$(PY) tools/make_figures.py

# The graded assignments (docs/grading.md): source notebooks with solutions and hidden tests,
# and the students' versions from nbgrader, in build/course. NAMES=ps03 builds one;
# STUDENTS=students.txt gives each listed student their own numbers (docs/grading.md).
assignments: $(VENV)/.stamp-dev
	$(PY) tools/make_assignments.py $(if $(STUDENTS),--students $(STUDENTS)) $(NAMES)

# Portable outputs (CONTRIBUTING.md, "Portable numbers"): every notebook under nbval in
# simulated machines. CI runs portability-ci (three of the twelve environments).
portability: $(VENV)/.stamp-runtime
	$(PY) tools/portability.py

portability-ci: $(VENV)/.stamp-runtime
	$(PY) tools/portability.py --ci

portability-arm64:
	bash tools/arm64_nbval.sh

bench: $(VENV)/.stamp-dev
	$(PY) tools/bench.py

# The explorers' latency in Chromium (slider key press to the new figure on screen), judged
# against its goal on an otherwise idle machine: the browser test measures it on every run.
bench-browser: $(VENV)/.stamp-dev $(AXE_TEST_DEPS)
	XENTLIB_BENCH=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_browser.py \
		-k "runs_in_jupyterlab or key_press_to_new_figure"

# The floors in pyproject.toml are true: exactly those versions in a throwaway environment,
# xentlib's tests there (tools/floor_test.py; downloads from PyPI; CI runs it in make test).
floors: $(VENV)/.stamp-dev
	$(PY) tools/floor_test.py

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check xentlib tools tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
