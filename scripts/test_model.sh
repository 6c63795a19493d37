#!/usr/bin/env bash
# Tests that need the trained model. `make test-model` trains first (only if data changed);
# everything here reuses models/dx-advisor.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
MODEL=models/dx-advisor.tar.gz

echo "== Test conversations (tests/stories) =="
$BIN/rasa test core --model "$MODEL" --stories tests/stories --out results/stories \
  --fail-on-prediction-errors --quiet

echo "== Held-out NLU examples (tests/nlu_heldout.yml, never used for training) =="
$BIN/rasa test nlu --model "$MODEL" --nlu tests/nlu_heldout.yml --out results/heldout --quiet >/dev/null
$BIN/python -m bot nlu-report results/heldout --min-accuracy 0.85

echo "== Model tests over REST (pytest -m model) =="
$BIN/python -m pytest -q -m model
