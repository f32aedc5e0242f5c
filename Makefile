# Two commands set everything up on a fresh clone:
#   make book   builds the site into _build/html, executing every chapter, and its Chinese
#               edition into _build/html/zh from the same sources (executing nothing)
#   make test   runs the package's tests, the strict book build and the Binder stand-in
# Both create .venv and install the pinned stack (constraints.txt) on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# -W: warnings are errors; -n: every cross-reference must resolve; --keep-going: report
# all problems of a build, not just the first, and still exit non-zero.
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: book test lint preview clean lock benchmarks translations

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
	  -e '.[book,test,monitor,bench]'
	# visdom ships only a source package whose setup.py imports pkg_resources, which
	# setuptools 81 removed: build it with an older setuptools, without build isolation.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'setuptools<81' wheel
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
	  --no-build-isolation visdom
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/python book/_ext/editions.py html zh_CN

# After an English edit: re-extract the messages and merge them into locale/zh_CN/*.po
# (new and changed messages come in empty or fuzzy; tests/test_translations.py lists them).
translations: $(STAMP)
	$(BIN)/python book/_ext/editions.py catalogs

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check code tests benchmarks book/_ext
	$(BIN)/ruff format --check code tests benchmarks book/_ext

# Live preview while editing: rebuilds on save and reloads the browser (http://127.0.0.1:8000).
preview: $(STAMP)
	$(BIN)/jupyter-book config sphinx .
	# the generated conf.py does not put the local extensions on the path: add them
	printf 'import os, sys\nsys.path.insert(0, os.path.abspath("book/_ext"))\n' | cat - conf.py > conf.tmp
	mv conf.tmp conf.py
	$(BIN)/sphinx-autobuild . _build/html --watch code/dlpractice --port 8000 --keep-going \
	  --ignore '.venv/*' --ignore '.git/*' --ignore '_build/*' --ignore 'conf.py'

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/descent_epoch.py
	$(BIN)/python benchmarks/autograd_engine.py
	@echo "benchmarks/minibatch_timing.py rewrites book/data/update_times.json: run it by hand"

# Re-record the exact versions after changing a range in pyproject.toml.
lock: $(STAMP)
	{ echo "# Exact versions of the whole stack, used by 'make' (pip install -c constraints.txt)."; \
	  echo "# Ranges live in pyproject.toml; 'make lock' rewrites this file from the installed venv."; \
	  $(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu$$//'; } > constraints.txt

clean:
	rm -rf _build conf.py
