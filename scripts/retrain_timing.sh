#!/usr/bin/env bash
# How long a trainer waits after changing one NLU example, for each way Rasa 3.6 can retrain:
#   full   `rasa train` (what `make train` did before: Rasa's cache keeps the unchanged parts)
#   nlu    `rasa train nlu` (an NLU-only model: the shell cannot use it, measured for comparison)
#   tune   `rasa train --finetune <last model> --epoch-fraction F` (F from $FRACTION, default 0.2)
# Each run adds one example, retrains, and takes it out again; each model is then scored on the
# held-out set. Usage: scripts/retrain_timing.sh [full nlu tune]. Writes nothing to models/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RASA="$BIN/python -m bot rasa"
FRACTION=${FRACTION:-0.2}
WAYS=${*:-full nlu tune}
OUT=build/retrain-timing
export TF_DETERMINISTIC_OPS=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore::DeprecationWarning
export SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
mkdir -p "$OUT"
[ -f models/dx-advisor.tar.gz ] || { echo "Train first: make train" >&2; exit 1; }
cp models/dx-advisor.tar.gz "$OUT/base.tar.gz"

NLU=data/nlu/basics.yml
cp "$NLU" "$OUT/basics.yml.orig"
trap 'cp "$OUT/basics.yml.orig" "$NLU"' EXIT
n=0
printf '%-6s %9s %16s\n' way seconds "held-out intents"
for way in $WAYS; do
  n=$((n + 1))
  cp "$OUT/basics.yml.orig" "$NLU"
  # one new example, different each run so that no cache holds it
  sed -i "0,/^    - hi\$/s//    - hi\n    - hello there number $n $$/" "$NLU"
  start=$(date +%s.%N)
  case "$way" in
    full) $RASA train --fixed-model-name "$way" --out "$OUT" --quiet > "$OUT/$way.log" 2>&1 ;;
    nlu) $RASA train nlu --fixed-model-name "$way" --out "$OUT" --quiet > "$OUT/$way.log" 2>&1 ;;
    tune) $RASA train --finetune "$OUT/base.tar.gz" --epoch-fraction "$FRACTION" --fixed-model-name "$way" \
            --out "$OUT" --quiet > "$OUT/$way.log" 2>&1 ;;
  esac
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  cp "$OUT/basics.yml.orig" "$NLU"
  $RASA test nlu --model "$OUT/$way.tar.gz" --nlu tests/nlu_heldout.yml --out "$OUT/$way-heldout" --quiet \
    > "$OUT/$way-test.log" 2>&1
  accuracy=$($BIN/python -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['accuracy']:.3f}\")" \
    "$OUT/$way-heldout/intent_report.json")
  printf '%-6s %9.1f %16s\n' "$way" "$seconds" "$accuracy"
done
