# Two commands do all set-up on a machine with only python3:
#   make report   creates .venv if needed, installs, runs the monthly report on data/sample
#   make test     creates .venv if needed, installs, runs the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := data/sample
PYTEST_ARGS ?=
# test processes: the tests and the notebooks (nbval) run side by side, a test module or a
# notebook's cells in one process (--dist loadscope); the browser tests run after, alone
JOBS ?= 2

.PHONY: install report lint test check notebooks dashboard dashboard-notebook sample docs golden bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/kit check $(SAMPLE)
	$(BIN)/kit report --data $(SAMPLE) --out reports --jobs 2

check: $(STAMP)
	$(BIN)/kit check $(SAMPLE)

# the layers of kit (import-linter, [tool.importlinter] in pyproject.toml) and ruff
lint: $(STAMP)
	$(BIN)/lint-imports && $(BIN)/ruff check kit tests notebooks bench

test: lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadscope --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  --ignore=tests/browser $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python -m notebooks._build --execute

# make dashboard DATA=crm/ MAPPING=crm.yaml PRESET=hubspot CURRENCY=USD AS_OF=2026-10-31 LOCALE=fr
# (each optional) serves a copy of the dashboard with these parameters, written by papermill
# --prepare-only to notebooks/.dashboard-params.ipynb (-r: values as strings, paths made
# absolute); with none of them, the notebook itself.
absolute = $(if $(findstring ://,$(1)),$(1),$(abspath $(1)))
DASHBOARD_PARAMS = $(if $(DATA),-r data $(call absolute,$(DATA))) \
  $(if $(MAPPING),-r mapping $(abspath $(MAPPING))) \
  $(if $(PRESET),-r preset $(if $(wildcard $(PRESET)),$(abspath $(PRESET)),$(PRESET))) \
  $(if $(CURRENCY),-r currency $(CURRENCY)) $(if $(AS_OF),-r as_of $(AS_OF)) \
  $(if $(LOCALE),-r locale $(LOCALE)) $(if $(MONTH),-r month $(MONTH)) $(if $(TEAM),-r team $(TEAM))
DASHBOARD_NB = $(if $(strip $(DASHBOARD_PARAMS)),notebooks/.dashboard-params.ipynb,notebooks/dashboard.ipynb)

dashboard-notebook: $(STAMP)
	$(if $(strip $(DASHBOARD_PARAMS)),$(BIN)/papermill --prepare-only notebooks/dashboard.ipynb \
	  $(DASHBOARD_NB) $(strip $(DASHBOARD_PARAMS)),@echo "dashboard: default parameters")

dashboard: dashboard-notebook
	$(BIN)/voila $(DASHBOARD_NB) --no-browser --Voila.ip=127.0.0.1 --port=$${PORT:-8866} \
	  --preheat_kernel=True --pool_size=1 \
	  --MappingKernelManager.cull_idle_timeout=60 --MappingKernelManager.cull_interval=30

sample: $(STAMP)
	$(BIN)/python -m kit.sample --seed 7 --out $(SAMPLE)

golden: $(STAMP)
	$(BIN)/python -m tests.kpis.golden

docs: $(STAMP)
	$(BIN)/python -m kit.docs

bench: $(STAMP)
	$(BIN)/python -m bench --leads 100000 1000000 --runs 3 --json bench/results.json

clean:
	rm -rf reports .pytest_cache .hypothesis

# make lab: JupyterLab on notebooks/ (127.0.0.1; the URL with its token is printed), after
# registering the kit's kernel "kit" inside .venv (ipykernel install --sys-prefix: nothing
# is written to your home folder). As root (a container) JupyterLab needs --allow-root.
.PHONY: lab kernel
KERNEL_NAME := kit
LAB_OPTIONS := --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "Python (kit)"

lab: kernel
	$(BIN)/jupyter lab $(LAB_OPTIONS) --port=$${PORT:-8888} $(ALLOW_ROOT)
