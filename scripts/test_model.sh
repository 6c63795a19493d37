#!/usr/bin/env bash
# Tests that need the trained model. `make test-model` trains first (only if data changed);
# everything here reuses models/dx-advisor.tar.gz.
# With an argument, runs one part only: `stories` (make test-stories) or `heldout` (make test-nlu).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RASA="$BIN/python -m bot rasa"  # Rasa with our library patches (bot/rasa_patches.py)
MODEL=models/dx-advisor.tar.gz
PART=${1:-all}

stories() {
  echo "== Test conversations (tests/stories) =="
  local status=0
  $RASA test core --model "$MODEL" --stories tests/stories --out results/stories \
    --fail-on-prediction-errors --quiet || status=$?
  local total failed
  total=$(cat tests/stories/*.yml | grep -c '^- story:' || true)
  failed=$(grep -c '^- story:' results/stories/failed_test_stories.yml 2>/dev/null || true)
  echo "Test conversations: ${failed:-0} of $total failed (details: results/stories/failed_test_stories.yml)."
  return $status
}

# Each language on its own held-out set; below 90% intent accuracy in either fails.
heldout() {
  mkdir -p results
  local name
  for name in heldout heldout_zh; do
    echo "== Held-out NLU examples (tests/nlu_$name.yml, never used for training) =="
    # Rasa's own output (thousands of warning lines) goes to a log; the summary below is what counts.
    $RASA test nlu --model "$MODEL" --nlu "tests/nlu_$name.yml" --out "results/$name" --quiet \
      > "results/$name.log" 2>&1 || { tail -20 "results/$name.log"; exit 1; }
    $BIN/python -m bot nlu-report "results/$name" --min-accuracy 0.90 --misses
  done
}

case "$PART" in
  stories) stories ;;
  heldout) heldout ;;
  all)
    stories
    heldout
    echo "== Model tests over REST (pytest -m model) =="
    $BIN/python -m pytest -q -m model
    ;;
  *) echo "usage: $0 [stories|heldout]" >&2; exit 2 ;;
esac
