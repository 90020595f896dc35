# The two quick-start commands: `make run` and `make test` (see README).
VENV   := .venv
PY     := $(VENV)/bin/python
EVENTS := $(VENV)/bin/events
DB     ?= data/events.duckdb
PORT   ?= 8501

.PHONY: run test install install-test extract serve bench

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	$(PY) -m pip install -q -e .

install-test: $(PY)
	$(PY) -m pip install -q -e '.[test]'
	bash scripts/install_browser.sh

## run: install, extract the seed articles into $(DB), open the dashboard
run: install
	$(EVENTS) extract seeds/articles.jsonl --db $(DB)
	$(EVENTS) serve --db $(DB) --port $(PORT)

## test: install the test extras (and Debian's Chromium for the browser test), run every test
test: install-test
	$(PY) -m pytest -rs

bench: install-test
	$(PY) scripts/bench_components.py
	$(PY) scripts/bench_extract.py
	$(PY) scripts/bench_dashboard.py
