# The course's two commands: `make lab` (open the course) and `make test` (run every test).
# Each creates the virtual environment .venv on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LAB_STAMP := $(VENV)/.lab-installed
TEST_STAMP := $(VENV)/.test-installed
PRESENT_STAMP := $(VENV)/.present-installed
LITE_VENV := .venv-lite
LITE_PY := $(LITE_VENV)/bin/python
LITE_STAMP := $(LITE_VENV)/.installed
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
PORT ?= 8888
PRESENT_PORT ?= 8866
VOILA_ARGS ?=
SITE_ARGS ?=
LAB_ARGS ?=

.PHONY: lab test lint present site lite notebooks bench bench-browser guides clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(PRESENT_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[present]'
	touch $(LAB_STAMP) $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(LAB_STAMP) $(PRESENT_STAMP) $@

# The JupyterLite build tools live in a venv of their own: their JupyterLab extension is for the
# built site and would only raise errors in the JupyterLab and Voila that run the course.
$(LITE_STAMP): tools/lite-requirements.txt
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_PY) -m pip install --quiet -r tools/lite-requirements.txt
	touch $@

## lab: open the course in JupyterLab on 127.0.0.1 (token authentication on)
lab: $(LAB_STAMP)
	cd notebooks && ../$(PY) -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		$(ALLOW_ROOT) $(LAB_ARGS) 00_start_here.ipynb

## test: lint, then unit, widget, notebook (nbval) and browser tests
test: $(TEST_STAMP) $(LITE_STAMP) lint
	MICROMET_LITE_PYTHON=$(LITE_PY) $(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check micromet tests notebooks tools benchmarks

## present: the notebooks as apps (Voilà: code hidden, explorers live) on 127.0.0.1
present: $(PRESENT_STAMP)
	$(PY) -m voila notebooks --Voila.ip=127.0.0.1 --port=$(PRESENT_PORT) $(VOILA_ARGS)

## site: static HTML of the executed course (figures and widget state embedded) in build/site
site: $(LAB_STAMP)
	$(PY) tools/build_site.py --output build/site $(SITE_ARGS)

## lite: the course as a JupyterLite site (Python runs in the browser) in build/lite
lite: $(LITE_STAMP)
	$(LITE_PY) tools/build_lite.py --output build/lite

## notebooks: re-execute every notebook in place (stores outputs checked by nbval)
notebooks: $(LAB_STAMP)
	$(PY) tools/execute_notebooks.py notebooks/*.ipynb

## bench: explorer update latency in a real kernel, against the naive redraw
bench: $(LAB_STAMP)
	MPLBACKEND=module://matplotlib_inline.backend_inline $(PY) benchmarks/explorer_latency.py

## bench-browser: explorer latency end to end in JupyterLab in Chromium, against the naive redraw
bench-browser: $(TEST_STAMP)
	$(PY) benchmarks/browser_latency.py

## guides: regenerate docs/instructor-guide.md and docs/learner-handout.md (notebooks + registry)
guides: $(LAB_STAMP)
	$(PY) tools/make_guides.py

clean:
	rm -rf $(VENV) $(LITE_VENV) build tests/browser/screenshots
