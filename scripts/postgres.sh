# Sourced by scripts/test.sh: makes sure a local PostgreSQL 15 is installed and running, and exports the
# connection string that @backstage/backend-test-utils' TestDatabases uses for POSTGRES_15.
# Override with your own server by exporting BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING first.
mlgov_ensure_postgres() {
  if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
    return 0
  fi
  if ! [ -x /usr/lib/postgresql/15/bin/postgres ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "mlgov: PostgreSQL 15 is not installed; install it (apt-get install postgresql) or set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING" >&2
      return 1
    fi
    echo "mlgov: installing PostgreSQL from Debian packages" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
  fi
  if ! pg_lsclusters 2>/dev/null | grep -q '^15 *main .*online'; then
    pg_lsclusters 2>/dev/null | grep -q '^15 *main' || pg_createcluster 15 main >&2
    pg_ctlcluster 15 main start >&2 || return 1
  fi
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres:postgres@127.0.0.1:5432
}
