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

.PHONY: lab test notebooks figures bench lint navigation check-notebooks clean help

help:
	@echo "make lab        start JupyterLab at the first lesson (creates .venv on first use)"
	@echo "make test       run every test: unit tests, every notebook under nbval, the browser test"
	@echo "make notebooks  re-execute every notebook in place, in order, in fresh kernels"
	@echo "make figures    redraw images/ from code"
	@echo "make bench      speed benchmarks (ratios against references, medians)"
	@echo "make lint       ruff"

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

lab: $(VENV)/.stamp-runtime
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb --ServerApp.root_dir=. --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

test: $(VENV)/.stamp-dev
	$(PY) -m pytest

notebooks: $(VENV)/.stamp-runtime
	$(PY) tools/execute_notebooks.py

navigation: $(VENV)/.stamp-runtime
	$(PY) tools/navigation.py

check-notebooks: $(VENV)/.stamp-runtime
	$(PY) tools/check_notebooks.py

figures: $(VENV)/.stamp-runtime
	$(PY) tools/make_figures.py

bench: $(VENV)/.stamp-dev
	$(PY) tools/bench.py

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check xentlib tools tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
