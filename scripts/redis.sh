#!/usr/bin/env bash
# Redis for several Rasa workers (a lock store shared by them): Debian's redis-server on loopback.
#   eval "$(scripts/redis.sh)"        installs it if missing, starts it (port $REDIS_PORT, default 6379),
#                                     prints `export REDIS_URL=redis://127.0.0.1:PORT/1`
#   scripts/redis.sh stop             stops the one started here
# No persistence: it only holds conversation locks. Installing needs root (apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${REDIS_PORT:-6379}
DIR=build/redis
log() { echo "redis: $*" >&2; }

if [ "${1:-start}" = stop ]; then
  if [ -f "$DIR/redis.pid" ]; then kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; rm -f "$DIR/redis.pid"; fi
  log "stopped"
  exit 0
fi

mkdir -p "$DIR"
if ! command -v redis-server >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { log "redis-server is missing: install it with 'apt-get install redis-server' as root"; exit 1; }
  log "installing redis-server (apt-get install redis-server; output in $DIR/apt.log)..."
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq redis-server; } > "$DIR/apt.log" 2>&1 \
    || { tail -20 "$DIR/apt.log" >&2; exit 1; }
fi

if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$PWD/$DIR/redis.pid" --logfile "$PWD/$DIR/redis.log" --dir "$PWD/$DIR" >&2
  for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$PORT" ping >/dev/null 2>&1 || { log "did not come up; see $DIR/redis.log"; exit 1; }
  log "up on 127.0.0.1:$PORT"
fi
echo "export REDIS_URL=redis://127.0.0.1:$PORT/1"
