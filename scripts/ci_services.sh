#!/usr/bin/env bash
# Starts the services the tests need and prints their settings as shell exports on stdout.
# Now: PostgreSQL (Debian's package) with role dx/dx (allowed to create databases) and database dx_test,
# for the storage tests and `make test-scale`.
# Installs the package when missing, creates/starts the cluster, is quick when all is up already.
# Needs root (apt-get, pg_ctlcluster). Everything but the exports goes to stderr, so use it as:
#   services_env=$(bash scripts/ci_services.sh)
#   eval "$services_env"
set -euo pipefail

PG_ROLE=dx
PG_PASSWORD=dx
PG_DB=dx_test
log() { echo "ci_services: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (installs and starts PostgreSQL)"
  exit 1
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
  log "installing PostgreSQL (apt-get install postgresql)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

# The newest server installed: /usr/lib/postgresql/<version>/bin/postgres.
version=$(for server in /usr/lib/postgresql/*/bin/postgres; do basename "${server%/bin/postgres}"; done | sort -V | tail -n 1)
cluster() { pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main"'; }

if [ -z "$(cluster)" ]; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi
if ! cluster | grep -qw online; then
  log "starting cluster $version/main"
  pg_ctlcluster "$version" main start >&2
fi
port=$(cluster | awk '{print $3}')

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not come up on port $port"; exit 1; }

as_postgres() { (cd /tmp && runuser -u postgres -- "$@"); }
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SQL
if ! as_postgres psql -p "$port" -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
  as_postgres createdb -p "$port" -O "$PG_ROLE" "$PG_DB"
fi

log "PostgreSQL $version is up on port $port"
echo "export TEST_POSTGRES_URL=postgresql://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
# make test-scale stops and starts the cluster to test a database outage, and makes databases of its own.
echo "export TEST_POSTGRES_CLUSTER='$version main'"
