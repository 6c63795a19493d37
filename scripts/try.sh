#!/usr/bin/env bash
# `make try`: the trainer's fast loop. Retrain quickly, then talk to the new model at once:
#   printf 'whats this cloud thing\ntell me more\n' | make try
# 1. Our data checks (a second or two), as `make train` does.
# 2. A quick model in build/try/: the last full model (models/dx-advisor.tar.gz) fine-tuned on the
#    changed data for a tenth of the epochs (Rasa's --finetune). When the change is one fine-tuning
#    cannot take (new intents, slots, actions, config), a full train instead. models/ is never
#    touched: `make train` and `make test` always use a model trained from scratch.
# 3. A trainer's assistant that stays up between tries (ports 5105/5155): the new model is swapped
#    in through Rasa's HTTP API (PUT /model) and the action server restarted, so no try pays for a
#    cold start after the first. `make try-stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RASA="$BIN/python -m bot rasa"
PORT=${TRY_PORT:-5105}; ACTIONS_PORT=${TRY_ACTIONS_PORT:-5155}
DIR=build/try
mkdir -p "$DIR"

stop() {
  for name in rasa actions; do
    if [ -f "$DIR/$name.pid" ]; then kill "$(cat "$DIR/$name.pid")" 2>/dev/null || true; rm -f "$DIR/$name.pid"; fi
  done
}
if [ "${1:-}" = stop ]; then stop; echo "The trainer's assistant is stopped."; exit 0; fi

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }
wait_for() {  # URL PIDFILE LOG
  for _ in $(seq 1 240); do
    curl -sf "$1" >/dev/null && return 0
    kill -0 "$(cat "$2")" 2>/dev/null || { echo "It failed to start; see $3." >&2; exit 1; }
    sleep 0.5
  done
  echo "Not up after 2 minutes; see $3." >&2; exit 1
}

$BIN/python -m bot validate
$BIN/python -m bot build-answer-models >/dev/null
[ -f models/dx-advisor.tar.gz ] || { echo "No full model yet: training one first (make train)."; make -s train; }

start=$(date +%s)
# The action server reads actions/ and data/advice/ at start: a fresh one every try, started while
# the model trains (it does not need the model).
if alive actions; then kill "$(cat "$DIR/actions.pid")"; sleep 0.5; fi
setsid $RASA run actions --actions actions --port "$ACTIONS_PORT" --quiet > "$DIR/actions.log" 2>&1 < /dev/null &
echo $! > "$DIR/actions.pid"
$BIN/python -m bot endpoints --actions-port "$ACTIONS_PORT" --out "$DIR/endpoints.yml" >/dev/null
# A training cache of its own for each full model: parts fine-tuned in an earlier try (TED, when only
# examples changed) are taken from it instead of being fine-tuned again (bot/rasa_patches.py).
base=$(sha256sum models/dx-advisor.tar.gz | cut -c1-16)
find "$DIR" -maxdepth 1 -name 'cache-*' ! -name "cache-$base" -exec rm -rf {} +
if ! RASA_CACHE_DIRECTORY="$DIR/cache-$base" DX_FINETUNE_FROM_CACHE=1 \
      $RASA train --finetune models/dx-advisor.tar.gz --epoch-fraction "${TRY_EPOCH_FRACTION:-0.1}" \
      --fixed-model-name try --out "$DIR" --quiet > "$DIR/train.log" 2>&1; then
  echo "This change needs a full train (fine-tuning cannot take it; see $DIR/train.log): training..."
  $RASA train --fixed-model-name try --out "$DIR" --quiet > "$DIR/train.log" 2>&1 \
    || { tail -20 "$DIR/train.log"; exit 1; }
fi
echo "Model ready in $(( $(date +%s) - start )) s: $DIR/try.tar.gz"

wait_for "http://localhost:$ACTIONS_PORT/health" "$DIR/actions.pid" "$DIR/actions.log"

if alive rasa && curl -sf "http://localhost:$PORT/" >/dev/null; then
  curl -sf -X PUT "http://localhost:$PORT/model" -H "Content-Type: application/json" \
    -d "{\"model_file\": \"$PWD/$DIR/try.tar.gz\"}" >/dev/null || { echo "Swapping in the model failed." >&2; exit 1; }
else
  echo "bot.channels.rest.GuardedRestInput:" > "$DIR/credentials.yml"
  # setsid: the server outlives this make target, for the next try
  setsid $RASA run --model "$DIR/try.tar.gz" --endpoints "$DIR/endpoints.yml" --credentials "$DIR/credentials.yml" \
    --port "$PORT" --interface 127.0.0.1 --enable-api > "$DIR/rasa.log" 2>&1 < /dev/null &
  echo $! > "$DIR/rasa.pid"
  echo "Starting the trainer's assistant on port $PORT (once; later tries reuse it; make try-stop stops it)..."
  wait_for "http://localhost:$PORT/" "$DIR/rasa.pid" "$DIR/rasa.log"
fi
echo "Ready in $(( $(date +%s) - start )) s after training started."
$BIN/python -m bot chat --url "http://localhost:$PORT"
