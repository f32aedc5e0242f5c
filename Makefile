# Two commands set everything up on a fresh clone:
#   make book   builds the site into _build/html, executing every chapter, and its Chinese
#               edition into _build/html/zh from the same sources (executing nothing)
#   make test   runs the package's tests, the strict book build and the Binder stand-in
#   make pdf    the whole book as a PDF per edition, offered in the site's download menu
# Both create .venv and install the pinned stack (constraints.txt) on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# -W: warnings are errors; -n: every cross-reference must resolve; --keep-going: report
# all problems of a build, not just the first, and still exit non-zero.
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: book test check lint preview clean lock benchmarks translations pdf

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

# Chromium prints the built pages, pypdf joins them (book/_ext/pdf.py); then a warm rebuild
# writes the pages again with the PDF in their download menu (offered only once it exists).
pdf: book
	$(BIN)/python book/_ext/pdf.py
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/python book/_ext/editions.py html zh_CN

# After an English edit: re-extract the messages and merge them into locale/zh_CN/*.po
# (new and changed messages come in empty or fuzzy; tests/test_translations.py lists them).
translations: $(STAMP)
	$(BIN)/python book/_ext/editions.py catalogs

test: $(STAMP)
	$(BIN)/python -m pytest

# The fast loop while writing: the package's tests and the page checks against the cached
# build (a warm rebuild runs alongside the tests); under a minute once the cache is warm.
# Leaves out the Binder stand-in and the slow tests (a small book built from scratch, kernels,
# the browser): `make test` runs those. The markers are explained in pyproject.toml.
check: $(STAMP)
	$(BIN)/python -m pytest -m "not binder and not slow"

lint: $(STAMP)
	$(BIN)/ruff check code tests benchmarks book/_ext
	$(BIN)/ruff format --check code tests benchmarks book/_ext

# Live preview while editing: rebuilds on save and reloads the browser, at
# http://127.0.0.1:$(PORT) (`make preview PORT=8001` for another port). Strict like `make book`:
# a warning fails the rebuild, and the page being served is the last good one. The settings
# come from _config.yml, written by book/_ext/preview.py into _build/preview (no conf.py in
# the repository).
PORT        ?= 8000
PREVIEW     := _build/preview
PREVIEW_OUT ?= _build/html
preview: $(STAMP)
	$(BIN)/python book/_ext/preview.py $(PREVIEW)
	$(BIN)/sphinx-autobuild . $(PREVIEW_OUT) -c $(PREVIEW) -d $(PREVIEW)/doctrees \
	  --fail-on-warning --nitpicky --keep-going \
	  --host 127.0.0.1 --port $(PORT) --watch code/dlpractice \
	  --ignore '.venv/*' --ignore '.git/*' --ignore '_build/*' --ignore '*/__pycache__/*'

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
	rm -rf _build
