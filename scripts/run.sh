#!/usr/bin/env bash
# Starts the action server in the background and Rasa in the foreground; Ctrl-C stops both.
# Usage: scripts/run.sh PORT ACTIONS_PORT [shell]. `shell` is `rasa shell` in a terminal; with piped
# input it plays each line to the assistant and prints what it understood and answered.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-5005}; actions_port=${2:-5055}; mode=${3:-server}
BIN=.venv/bin
RASA="$BIN/python -m bot rasa"  # Rasa with our library patches (bot/rasa_patches.py)
for wanted in "$port" "$actions_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$wanted") 2>/dev/null; then
    echo "Port $wanted is already in use (is the assistant already running?)." >&2
    echo "Stop that first, or pick free ports: make ${mode/server/run} PORT=5105 ACTIONS_PORT=5155" >&2
    exit 1
  fi
done
# Links to the owner's chart and plan files name this server, unless DX_PUBLIC_URL says otherwise.
export DX_PUBLIC_URL=${DX_PUBLIC_URL:-http://localhost:$port}

# The app database ($DATABASE_URL, else SQLite in this folder) at the newest schema; quick when it is.
$BIN/python -m bot migrate >/dev/null || exit 1

# endpoints.yml with the action server started here; REDIS_URL adds a Redis lock store, which lets
# SANIC_WORKERS above 1 take effect (docs/PERFORMANCE.md).
$BIN/python -m bot endpoints --actions-port "$actions_port" --out build/endpoints.run.yml || exit 1

# In the shell the action server's log would mix with the conversation: it goes to a file.
if [ "$mode" = shell ]; then
  $RASA run actions --actions actions --port "$actions_port" --quiet > build/shell-actions.log 2>&1 &
else
  $RASA run actions --actions actions --port "$actions_port" --quiet &
fi
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 120); do
  curl -sf "http://localhost:$actions_port/health" >/dev/null && break
  kill -0 $actions_pid 2>/dev/null || { echo "The action server failed to start." >&2; exit 1; }
  sleep 0.5
done

if [ "$mode" = shell ] && [ -t 0 ]; then
  $RASA shell --model models --endpoints build/endpoints.run.yml --port "$port" --quiet
elif [ "$mode" = shell ]; then
  # Input is piped: play each line to the assistant and print what it understood and answered.
  # REST only: a TELEGRAM_TOKEN in the environment must not start a second poller of the real bot.
  echo "bot.channels.rest.GuardedRestInput:" > build/shell-credentials.yml
  $RASA run --model models --endpoints build/endpoints.run.yml --credentials build/shell-credentials.yml \
    --port "$port" --interface 127.0.0.1 --enable-api > build/shell-rasa.log 2>&1 &
  rasa_pid=$!
  trap 'kill $actions_pid $rasa_pid 2>/dev/null || true' EXIT INT TERM
  until curl -sf "http://localhost:$port/" >/dev/null; do
    kill -0 $rasa_pid 2>/dev/null || { echo "Rasa failed to start; see build/shell-rasa.log." >&2; exit 1; }
    sleep 0.5
  done
  $BIN/python -m bot chat --url "http://localhost:$port"
else
  echo "dx-advisor is starting. Open the chat widget at http://localhost:$port/webchat/"
  echo "  talk to it:  curl -s localhost:$port/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"hi\"}'"
  $RASA run --model models --endpoints build/endpoints.run.yml --credentials credentials.yml \
    --port "$port" --interface 127.0.0.1
fi
