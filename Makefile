# PowerCIS — the two commands: `make demo` and `make test`. Both begin with `make install`.
# DATABASE_URL picks the database for every command (default: SQLite file ./var/powercis.sqlite3).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVE ?= 1
PORT ?= 8000
STAMP := $(VENV)/.installed
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install demo test lint clean system-deps assets messages

install: $(STAMP) assets messages

# Debian packages the product and its browser tests need (root on these machines).
system-deps:
	@bash scripts/system-deps.sh

$(STAMP): requirements.lock pyproject.toml scripts/system-deps.sh
	@bash scripts/system-deps.sh
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

assets: $(STAMP)
	@bash scripts/assets.sh

# Compiled translations (.mo) are built from the committed .po files, only when a .po changed.
MO := $(patsubst %.po,%.mo,$(wildcard powercis/locale/*/LC_MESSAGES/django.po))
messages: $(MO)
%.mo: %.po | $(STAMP)
	msgfmt --check -o $@ $<

demo: install
	$(BIN)/powercis migrate --noinput -v 0
	$(BIN)/powercis demo
ifeq ($(SERVE),1)
	$(BIN)/powercis runserver 127.0.0.1:$(PORT) --noreload
endif

test: install
	$(BIN)/ruff check powercis tests
	$(BIN)/mypy
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check powercis tests bench

clean:
	rm -rf $(VENV) var node_modules powercis/static/vendor
