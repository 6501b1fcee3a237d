# fazhi: `make demo` runs the platform on its embedded default; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FAZHI_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo test test-fast venv venv-test clean-demo lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

demo: venv
	FAZHI_DEBUG=1 $(BIN)/fazhi migrate --noinput
	FAZHI_DEBUG=1 $(BIN)/fazhi demo_load
	@echo "==> 浏览器打开 http://127.0.0.1:$(PORT)/ ，用上面任一用户名登录（Ctrl-C 停止）"
	@# One command: the task worker (imports, sent notices) beside the server, stopped with it.
	FAZHI_DEBUG=1 $(BIN)/fazhi db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	FAZHI_DEBUG=1 $(BIN)/fazhi runserver --noreload 127.0.0.1:$(PORT)

test: venv-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: the suite without the browser walks and the demo-playing tests.
test-fast: venv-test
	$(BIN)/python -m pytest -m "not browser and not demo" $(PYTEST_ARGS)

bench: venv-test
	$(BIN)/pip install --quiet -e '.[test,bench]'
	for f in bench/bench_*.py bench/overlay.py; do $(BIN)/python $$f || exit 1; done

# ruff is pinned in the test extra, so every machine lints alike.
lint: venv-test
	$(BIN)/ruff check fazhi tests bench
