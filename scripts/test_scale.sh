#!/usr/bin/env bash
# make test-scale: two Rasa servers and one action server on PostgreSQL and Redis, all on loopback.
# PostgreSQL and Redis come from Debian's packages (installed if missing: needs root, as in CI); the
# servers and the checks are in tests/scale/ (each run gets a database of its own, dropped after).
set -euo pipefail
cd "$(dirname "$0")/.."
services_env=$(bash scripts/ci_services.sh)
eval "$services_env"
redis_env=$(REDIS_PORT=${SCALE_REDIS_PORT:-6391} scripts/redis.sh)
eval "$redis_env"
trap 'REDIS_PORT=${SCALE_REDIS_PORT:-6391} scripts/redis.sh stop >/dev/null 2>&1 || true' EXIT
export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
echo "== Two servers on PostgreSQL and Redis (tests/scale) =="
.venv/bin/python -m pytest -q -p no:cacheprovider tests/scale "$@"
