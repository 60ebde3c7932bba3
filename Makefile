# Every target creates .venv and installs the project on first use, so each works on a fresh machine.
# make PYTHON=python3.12 ...  builds .venv with that interpreter; a .venv made by another one is rebuilt.
# make install                 a production .venv: the bot without the test and lint tools.
# make clean                   removes .venv and the tools' caches (the database in data/ stays).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp names the interpreter's version, so changing PYTHON (or upgrading it) rebuilds .venv.
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
DEV_STAMP := $(VENV)/.installed-python$(PY_VERSION)-dev
PROD_STAMP := $(VENV)/.installed-python$(PY_VERSION)-prod
# run/check/backup use whichever install is there; a fresh checkout gets the development one.
RUN_STAMP := $(or $(wildcard $(PROD_STAMP)),$(DEV_STAMP))
SOURCES := $(shell find bot commands storage filters -type f \( -name '*.py' -o -name '*.sql' -o -name '*.txt' \) 2>/dev/null)

.PHONY: run check backup install test demo bench lint clean

define make_venv
	@test -n "$(PY_VERSION)" || { echo "找不到 Python 解释器 $(PYTHON)：请安装 Python 3.11 或更新版本，或用 make PYTHON=python3.12 指定。" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更新版本，$(PYTHON) 是 $(PY_VERSION)：请用 make PYTHON=python3.11（或更新版本）指定。" >&2; exit 1; }
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(1)
	touch $@
endef

$(DEV_STAMP): pyproject.toml
	$(call make_venv,-e '.[dev]')

# Not editable: the installed copy is what runs, so it is rebuilt when a source file changes.
$(PROD_STAMP): pyproject.toml $(SOURCES)
	$(call make_venv,.)

install: $(PROD_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m bot

check: $(RUN_STAMP)
	$(BIN)/python -m bot check

backup: $(RUN_STAMP)
	$(BIN)/python -m bot backup

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

demo: $(DEV_STAMP)
	$(BIN)/python -m tests.demo

bench: $(DEV_STAMP)
	$(BIN)/python -m tests.bench

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
