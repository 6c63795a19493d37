# dx-advisor: `make run` sets everything up and starts the assistant; `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/python -m bot rasa  # Rasa with our library patches (bot/rasa_patches.py)
MODEL := models/dx-advisor.tar.gz
# Fixed seeds are in config.yml; these make TensorFlow's CPU kernels repeatable too.
export TF_DETERMINISTIC_OPS := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false
ACTIONS_PORT ?= 5055
PORT ?= 5005

.PHONY: setup run train shell try try-stop validate migrate test test-unit test-model test-scale test-stories test-nlu clean lock bench

setup:
	@scripts/bootstrap.sh

# Nothing it was trained from changed (bot/trainer/model_stamp.py, a fraction of a second): done.
# Otherwise our data checks first (a second or so): bad data stops here with file, line and fix, not in
# the middle of training; then Rasa, whose own fingerprinting retrains only the parts that changed.
train: setup
	@$(BIN)/python -m bot build-answer-models >/dev/null
	@if $(BIN)/python -m bot model-stamp --check $(MODEL); then \
	  echo "The model is up to date: $(MODEL) (nothing it is trained from changed)."; \
	else \
	  $(BIN)/python -m bot validate && \
	  $(RASA) train --fixed-model-name dx-advisor --out models --quiet && \
	  $(BIN)/python -m bot model-stamp $(MODEL); \
	fi

validate: setup
	@$(BIN)/python -m bot validate --rasa

# The app database ($$DATABASE_URL, else dx_advisor.db here) at the newest schema; `make run` does this too.
migrate: setup
	@$(BIN)/python -m bot migrate

run: train
	@scripts/run.sh $(PORT) $(ACTIONS_PORT)

shell: train
	@scripts/run.sh $(PORT) $(ACTIONS_PORT) shell

# The trainer's fast loop: a quick fine-tuned model in build/try/, swapped into an assistant that stays
# up between tries (scripts/try.sh). `printf 'hello\n' | make try`. models/ is left alone.
try: setup
	@scripts/try.sh

try-stop:
	@scripts/try.sh stop

test-unit: setup
	@$(BIN)/python -m pytest -q -m "not model and not scale"

# Trains once (if needed), then every test that needs the model reuses it.
test-model: train
	@scripts/test_model.sh

test: validate test-unit test-model

# Two Rasa servers and one action server on PostgreSQL and Redis from Debian's packages (installed and
# started on loopback; needs root, as in CI): conversations across servers, faults, backup and restore.
test-scale: train
	@scripts/test_scale.sh

# Trainer checks, not part of `make test` (cross-validation trains 3 NLU models: slow).
# Test conversations in tests/stories against the trained model; prints how many failed.
test-stories: train
	@scripts/test_model.sh stories

# Held-out examples, then 3-fold cross-validation over data/nlu; prints a per-intent
# precision/recall/F1 table per intent and per FAQ topic, the most confused pairs; all saved to
# results/nlu-report.txt. Rasa's own output goes to results/*.log.
test-nlu: train
	@set -o pipefail; mkdir -p results; { scripts/test_model.sh heldout && echo && \
	  echo "== Cross-validation, 3 folds over data/nlu (results/cross-validation) ==" && \
	  { $(RASA) test nlu --config config.yml --nlu data/nlu --cross-validation --folds 3 \
	    --out results/cross-validation --quiet > results/cross-validation.log 2>&1 || \
	    { tail -20 results/cross-validation.log; false; }; } && \
	  $(BIN)/python -m bot nlu-report results/cross-validation --misses && echo && \
	  echo "== Owners' answers (tests/owner_answers_heldout.yml, never trained on) ==" && \
	  $(BIN)/python -m bot answer-report; } | tee results/nlu-report.txt
	@echo "Written to results/nlu-report.txt"

# Throughput, latency and memory against a stock `rasa init` bot (built once into build/stock-bot), in one
# run; about 10 minutes, results in results/bench.json (docs/PERFORMANCE.md). Options: ARGS="--profile".
bench: train
	@$(BIN)/python -m bench $(ARGS)

lock: setup
	@{ echo '# Full pinned dependency tree for the venv (regenerate with `make lock` after changing pyproject.toml).'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^dx-advisor'; } > requirements.lock

clean:
	rm -rf $(VENV) build models results tests/artifacts .pytest_cache .rasa *.db

# Conversation review and analytics over the tracker store (default sqlite:///dx_advisor.db);
# more options with ARGS, e.g. `make review ARGS="--since 2026-11-01 --export stub.yml"`.
.PHONY: review stats
review: setup
	@$(BIN)/python -m bot review $(ARGS)

stats: setup
	@$(BIN)/python -m bot stats $(ARGS)
