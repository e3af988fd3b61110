# Maine survivor assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL := models/assistant.tar.gz
MODEL_INPUTS := config.yml $(wildcard domain/*.yml) $(wildcard data/nlu/*/*.yml) $(wildcard data/rules/*.yml) $(wildcard data/stories/*.yml)
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
DIRECTORY_DB := build/directory.db
DIRECTORY_SOURCES := $(wildcard data/directory/*.csv) $(wildcard data/places/*.csv) $(wildcard core/directory/*.py)
# Tests that need the servers, a browser, Redis or the trained model (markers in pyproject.toml); the others
# are the fast unit tests `make check` runs.
SLOW_TESTS := e2e or browser or redis or model

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)

.PHONY: help run check test train directory catalogs validate cv evaluate bench soak stats i18n-extract i18n-update i18n-compile clean

help: ## list the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/bootstrap
	@scripts/bootstrap
	@touch $@

catalogs: $(STAMP) ## compile the translation catalogs (refuses broken ones)
	@$(PY) -m tools.i18n compile

$(MODEL): $(STAMP) $(MODEL_INPUTS)
	@mkdir -p models
	$(PY) -m rasa train --config config.yml --domain domain --data data/nlu data/rules \
	  --out models --fixed-model-name assistant --quiet
	@touch $@

train: $(MODEL) ## train the model when its inputs changed (catalog edits need no training)

$(DIRECTORY_DB): $(STAMP) $(DIRECTORY_SOURCES)
	@mkdir -p build
	$(PY) -m tools.directory build --db $@

directory: $(DIRECTORY_DB) ## build the services directory (build/directory.db) from data/directory; fails on a row without source, date or county

run: catalogs $(DIRECTORY_DB) $(MODEL) ## build what is missing, then serve Rasa on 5005 and the actions on 5055
	@$(PY) -m bot.runtime.serve

validate: $(STAMP) ## rasa data validate
	$(PY) -m rasa data validate --config config.yml --domain domain --data data/nlu data/rules --fail-on-warnings

check: catalogs $(DIRECTORY_DB) ## lint, format, types, import contracts, then the fast unit tests (seconds)
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .
	@$(VENV)/bin/mypy --no-error-summary
	@set -o pipefail; $(VENV)/bin/lint-imports --no-logo | grep -vE '^(-+|Contracts|Analyzed .*)?$$'
	@$(PY) -m pytest -q -m "not ($(SLOW_TESTS))"

test: check $(MODEL) validate ## make check, then every other test: the servers, Redis, the browser, the model
	$(PY) -m pytest -m "$(SLOW_TESTS)"

cv: $(STAMP) ## per-language cross-validation, one model vs one per language (about 10 minutes)
	$(PY) -m tools.cross_validate --folds 3

evaluate: catalogs $(DIRECTORY_DB) $(MODEL) ## understanding on unseen data: the development set end to end (tests/conversations) and held-out F1 (tests/nlu); writes docs/evaluation.json
	$(PY) -m tools.evaluate

bench: catalogs $(DIRECTORY_DB) $(MODEL) ## speed, memory, training and NLU quality beside stock Rasa (about 15 min; BENCH_QUICK=1: 4 min, no training)
	$(PY) -m bench $(if $(BENCH_QUICK),--quick)

soak: catalogs $(DIRECTORY_DB) $(MODEL) ## 30 minutes at half the peak throughput on REST, SMS and the kiosk (its own servers); writes test-artifacts/soak-30min.json
	@mkdir -p test-artifacts
	$(PY) -m tools.soak --start --minutes 30 --output test-artifacts/soak-30min.json

stats: $(STAMP) ## the anonymous monthly counts (counts under 5 as "<5") and their chart, stats/monthly.png
	@$(PY) -m tools.stats --chart stats/monthly.png

i18n-extract: $(STAMP) ## gather every user-facing string into locales/messages.pot
	$(PY) -m tools.i18n extract

i18n-update: $(STAMP) ## merge locales/messages.pot into every catalog
	$(PY) -m tools.i18n update

i18n-compile: catalogs ## same as `make catalogs`

clean: ## remove built files (not the venv)
	rm -rf models results build .pytest_cache .mypy_cache .ruff_cache .import_linter_cache locales/*/LC_MESSAGES/*.mo

# Translators' targets (TRANSLATING.md). LANG and MSG come from the command line and make exports them: the
# shell reads MSG from the environment, so quotes and apostrophes pass through intact, and PYTHONUTF8 keeps
# Python's output UTF-8 although LANG=vi is no locale the system knows.
.PHONY: locale i18n-report preview

locale: $(STAMP) ## add a language as a draft: make locale LANG=vi
	@test "$(origin LANG)" = "command line" || { echo "usage: make locale LANG=<language code>, e.g. make locale LANG=vi" >&2; exit 2; }
	@PYTHONUTF8=1 $(PY) -m tools.i18n locale "$$LANG"

i18n-report: $(STAMP) ## translated %, fuzzy, untranslated and NLU examples per language; fails under 95% for a launch language
	@PYTHONUTF8=1 $(PY) -m tools.i18n report

preview: catalogs $(MODEL) ## the answer on each channel, no servers: make preview LANG=so MSG="he has a gun"
	@test -n "$$MSG" || { echo 'usage: make preview LANG=<language code> MSG="<a message>"' >&2; exit 2; }
	@PYTHONUTF8=1 $(PY) -m tools.preview $(if $(filter command line,$(origin LANG)),--language "$$LANG") -- "$$MSG"
