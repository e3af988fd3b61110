# Maine survivor assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL := models/assistant.tar.gz
MODEL_INPUTS := config.yml $(wildcard domain/*.yml) $(wildcard data/nlu/*/*.yml) $(wildcard data/rules/*.yml) $(wildcard data/stories/*.yml)
# The list of the model's input files, rewritten (when make reads this file) only when it changes: a training
# file removed or renamed makes no input newer than the model, but it changes this list, so the model is
# retrained. A file, not a phony target, so that `make -q $(MODEL)` still answers whether training is due. A
# model made before there was a list (a copy of the project, a checkout older than the list) is taken as made
# from today's inputs: the new list gets the model's date.
MODEL_INPUT_LIST := models/.inputs
_ := $(shell mkdir -p models && printf '%s\n' $(MODEL_INPUTS) > $(MODEL_INPUT_LIST).new && \
  if cmp -s $(MODEL_INPUT_LIST).new $(MODEL_INPUT_LIST); then rm -f $(MODEL_INPUT_LIST).new; \
  elif [ ! -e $(MODEL_INPUT_LIST) ] && [ -e $(MODEL) ]; then \
    mv -f $(MODEL_INPUT_LIST).new $(MODEL_INPUT_LIST) && touch -r $(MODEL) $(MODEL_INPUT_LIST); \
  else mv -f $(MODEL_INPUT_LIST).new $(MODEL_INPUT_LIST); fi)
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
DIRECTORY_DB := build/directory.db
DIRECTORY_SOURCES := $(wildcard data/directory/*.csv) $(wildcard data/places/*.csv) $(wildcard core/directory/*.py)
DIRECTORY_OUT := build/hsds
IMPORTED := build/imported
# Tests that need the servers, a browser, Redis, the trained model or frictionless's slow checks (markers in
# pyproject.toml); the others
# are the fast unit tests `make check` runs.
SLOW_TESTS := e2e or browser or redis or model or encoder or hsds

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)
# OpenMP threads that sleep soon after their work: training, evaluation and tests parse beside the servers on the
# same cores, where the default spinning makes each process wait through the other's (bot/runtime/serve.py).
export GOMP_SPINCOUNT ?= 1000

.PHONY: help build serve run check test system-packages readability screenshots train directory directory-import directory-export facts catalogs answers fallback validate cv evaluate bench bench-directory soak stats i18n-extract i18n-update i18n-check i18n-compile clean

help: ## list the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/bootstrap
	@scripts/bootstrap
	@touch $@

catalogs: $(STAMP) ## check the translation catalogs (the server reads the .po files: nothing to compile)
	@$(PY) -m tools.i18n check

# models/training-seconds: how long the last training took, which `make preview` quotes before it retrains.
$(MODEL): $(STAMP) $(MODEL_INPUTS) $(MODEL_INPUT_LIST)
	@mkdir -p models
	@start=$$(date +%s); \
	$(PY) -m rasa train --config config.yml --domain domain --data data/nlu data/rules \
	  --out models --fixed-model-name assistant --quiet && \
	echo $$(( $$(date +%s) - start )) > models/training-seconds
	@touch $@

train: $(MODEL) ## train the model when its inputs changed (catalog edits need no training)

$(DIRECTORY_DB): $(STAMP) $(DIRECTORY_SOURCES)
	@mkdir -p build
	$(PY) -m tools.directory build --db $@

directory: $(DIRECTORY_DB) ## build the services directory (build/directory.db) from data/directory; fails on a row without source, date or county

facts: $(STAMP) ## every fact shown to people: source, date, age, live check; merges and rewrites build/facts-checklist.csv (REQUIRE_VERIFIED=1: fail while any is unchecked)
	@$(PY) -m tools.facts $(if $(CHECKLIST),--checklist "$(CHECKLIST)") $(if $(filter 1 true yes,$(REQUIRE_VERIFIED)),--require-verified)

directory-export: $(STAMP) ## write the shown directory as an HSDS 3.0 package (OUT=build/hsds), checked with frictionless
	@$(PY) -m tools.directory export --out "$(or $(OUT),$(DIRECTORY_OUT))"

directory-import: $(STAMP) ## read an HSDS 3.0 package: make directory-import SRC=<folder or datapackage.json> [INTO=build/imported]
	@test -n "$(SRC)" || { echo "usage: make directory-import SRC=<folder or datapackage.json> [INTO=build/imported] [SOURCE_URL=https://...]" >&2; exit 2; }
	@$(PY) -m tools.directory import "$(SRC)" --into "$(or $(INTO),$(IMPORTED))" --db "$(or $(INTO),$(IMPORTED)).db" $(if $(SOURCE_URL),--source-url "$(SOURCE_URL)")

build: catalogs $(DIRECTORY_DB) $(MODEL) ## build everything serving needs: the venv, the services directory, the model (trains only when its inputs changed); checks the catalogs

serve: ## serve what is built, never building (fails clearly when a part is missing); ONLY=rasa or ONLY=actions starts one server
	@test -x $(PY) || { echo "error: no $(VENV); run \`make build\` first (docs/deploy.md)." >&2; exit 2; }
	@$(PY) -m bot.runtime.serve $(if $(ONLY),--only $(ONLY))

# A catalog with a problem does not stop `make run`: the server reads the .po files and serves English for
# each translation with a problem (bot/i18n/catalog.py), and serve says which.
run: $(STAMP) $(DIRECTORY_DB) $(MODEL) ## build what is missing, then serve: Rasa on 127.0.0.1:5005 (custom actions inside) and the action server on 127.0.0.1:5055
	@$(PY) -m bot.runtime.serve $(if $(ONLY),--only $(ONLY))

answers: catalogs $(DIRECTORY_DB) ## write the "what it says" book, docs/answers/<language>.md: every reply, looked-up answers, known misses
	@PYTHONUTF8=1 $(PY) -m tools.answers

fallback: catalogs ## write the Twilio fallback replies (deploy/twilio/*.xml: 911 and the 24/7 lines in every language)
	@$(PY) -m tools.fallback

validate: $(STAMP) ## rasa data validate
	$(PY) -m rasa data validate --config config.yml --domain domain --data data/nlu data/rules --fail-on-warnings

check: catalogs $(DIRECTORY_DB) ## lint, format, types, import contracts, then the fast unit tests (seconds)
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .
	@$(VENV)/bin/mypy --no-error-summary
	@set -o pipefail; $(VENV)/bin/lint-imports --no-logo | grep -vE '^(-+|Contracts|Analyzed .*)?$$'
	@$(PY) -m pytest -q -m "not ($(SLOW_TESTS))" --numprocesses=auto --maxprocesses=4

# Checked at every make test (a look-up when both are there): Debian's chromium and redis-server, installed with
# apt-get on Debian as root; anywhere else make stops with the one command to run.
system-packages: ## install the programs make test drives besides Python (chromium, redis-server, nginx, systemd-analyze) when missing
	@scripts/bootstrap --system

test: system-packages check $(MODEL) validate ## make check, then every other test: the servers, Redis, the browser, the model; last, make readability
	$(PY) -m pytest -m "$(SLOW_TESTS)" --durations=15
	@$(PY) -m tools.readability

# The browser tests write them on every make test; docs/kiosk.md shows the copies kept in the repository.
KIOSK_SCREENSHOTS := $(foreach lang,en es fr pt ar so,kiosk-$(lang)-portrait.png) kiosk-ar-landscape.png kiosk-picker-landscape.png
screenshots: ## copy the kiosk screenshots of the last make test (test-artifacts/) to docs/screenshots/
	@for name in $(KIOSK_SCREENSHOTS); do test -f test-artifacts/$$name || { echo "test-artifacts/$$name is missing: run make test first" >&2; exit 1; }; done
	@cp $(addprefix test-artifacts/,$(KIOSK_SCREENSHOTS)) docs/screenshots/
	@echo "docs/screenshots/: $(KIOSK_SCREENSHOTS)"

readability: $(STAMP) ## plain language: fails when the English strings' median grade passes 6 or their 90th percentile passes 8
	@$(PY) -m tools.readability

cv: $(STAMP) ## per-language cross-validation, one model vs one per language (COMPARE=1: the classifier pipelines, slow; ONLY=config.yml: one of them)
	$(PY) -m tools.cross_validate --folds 3 $(if $(COMPARE),--compare) $(if $(ONLY),--only "$(ONLY)")

evaluate: catalogs $(DIRECTORY_DB) $(MODEL) ## understanding on unseen data: the development set end to end (tests/conversations), held-out F1 (tests/nlu) and the blind sets (tests/fresh, tests/blind, tests/blind3 to tests/blind6); writes docs/evaluation.json
	$(PY) -m tools.evaluate

bench: catalogs $(DIRECTORY_DB) $(MODEL) ## speed (the realistic mix), memory, training and NLU quality beside stock Rasa (about 25 min; BENCH_QUICK=1: one round, no training)
	$(PY) -m bench $(if $(BENCH_QUICK),--quick)

bench-directory: $(STAMP) ## the services directory at 47, 2,000 and 20,000 services: build time, find_services p50/p95 (a minute or two)
	$(PY) -m bench.directory

soak: catalogs $(DIRECTORY_DB) $(MODEL) ## 30 minutes at half the peak throughput on REST, SMS and the kiosk (its own servers); writes test-artifacts/soak-30min.json
	@mkdir -p test-artifacts
	$(PY) -m tools.soak --start --minutes 30 --output test-artifacts/soak-30min.json

stats: $(STAMP) ## the anonymous monthly counts (counts under 5 as "<5") and their chart, stats/monthly.png
	@$(PY) -m tools.stats --chart stats/monthly.png

i18n-extract: $(STAMP) ## gather every user-facing string into locales/messages.pot
	$(PY) -m tools.i18n extract

i18n-update: $(STAMP) ## merge locales/messages.pot into every catalog
	$(PY) -m tools.i18n update

i18n-check: catalogs ## same as `make catalogs`: what the server would not serve, reply by reply

i18n-compile: catalogs ## the old name of `make i18n-check`

clean: ## remove built files and caches, training's included (not the venv): the next training starts from nothing
	rm -rf models results build .rasa .pytest_cache .mypy_cache .ruff_cache .import_linter_cache locales/*/LC_MESSAGES/*.mo

# Translators' targets (TRANSLATING.md). LANG, MSG, NAME and DIRECTION come from the command line and make
# exports them: the shell reads them from the environment, so quotes and apostrophes pass through intact, and
# PYTHONUTF8 keeps Python's output UTF-8 although LANG=vi is no locale the system knows. NAME and DIRECTION
# count only when typed on the command line (some systems set NAME to the computer's name).
.PHONY: locale i18n-report preview

locale: $(STAMP) ## add a language as a preview: make locale LANG=vi (Babel lacks it: NAME="Af-Maay" DIRECTION=ltr)
	@test "$(origin LANG)" = "command line" || { echo "usage: make locale LANG=<language code>, e.g. make locale LANG=vi" >&2; exit 2; }
	@PYTHONUTF8=1 $(PY) -m tools.i18n locale "$$LANG" $(if $(filter command line,$(origin NAME)),--name "$$NAME") \
	  $(if $(filter command line,$(origin DIRECTION)),--direction "$$DIRECTION")

i18n-report: $(STAMP) ## safety replies, translated %, what each language lacks to move up, NLU examples; fails under 95% for a launch language
	@PYTHONUTF8=1 $(PY) -m tools.i18n report

# The model is retrained only after `make preview` has said so and why (training examples changed).
preview: $(STAMP) $(DIRECTORY_DB) ## the answer on each channel, with the SMS cost, no servers: make preview LANG=so MSG="he has a gun"
	@test -n "$$MSG" || { echo 'usage: make preview LANG=<language code> MSG="<a message>"' >&2; exit 2; }
	@$(MAKE) --no-print-directory -q $(MODEL) || { PYTHONUTF8=1 $(PY) -m tools.preview --before-training && $(MAKE) --no-print-directory $(MODEL); }
	@PYTHONUTF8=1 $(PY) -m tools.preview $(if $(filter command line,$(origin LANG)),--language "$$LANG") -- "$$MSG"
