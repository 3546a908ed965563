#!/usr/bin/env bash
# The whole K-SLARS test suite from a fresh machine: installs what the tests need (Debian's Chromium, PostgreSQL,
# Redis; the package with its test extras in .venv; Node.js for the JavaScript checks), starts PostgreSQL and Redis
# when they are not running, runs the Python quality gates (ruff lint and format check, mypy, the import contracts
# of lint-imports), checks the editor's JavaScript (ESLint, unit tests with Node's test runner) and runs pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/web -m "not browser"`.
# Exits with pytest's status; a quality gate or JavaScript check that fails, or "no tests collected", counts as a
# failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
cd "$KSLARS_ROOT"
started=$SECONDS

# chromium: browser tests; postgresql + redis-server: the API and job tests against real services;
# libgl1 + libglib2.0-0: OpenCV inside MediaPipe; fonts: pages render Cyrillic and Kazakh text in screenshots;
# sctk: NIST sclite, the reference that `kslars cslr score` is compared with
apt_install_missing chromium postgresql redis-server libgl1 libglib2.0-0 fonts-dejavu-core sctk
ensure_venv "[test]"

start_postgres() {
    # Start the first PostgreSQL cluster on 127.0.0.1:5432 and create role/database kslars (password kslars).
    local version cluster
    read -r version cluster < <(pg_lsclusters --no-header | awk '$3 == 5432 {print $1, $2; exit}') || true
    if [ -z "${version:-}" ]; then
        version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
        cluster=main
        as_root pg_createcluster "$version" "$cluster" --port 5432 >/dev/null
    fi
    if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c' | grep -q online; then
        echo "==> starting PostgreSQL $version/$cluster"
        as_root pg_ctlcluster "$version" "$cluster" start
    fi
    as_root runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL'
SELECT 'CREATE ROLE kslars LOGIN CREATEDB PASSWORD ''kslars'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kslars') \gexec
SELECT 'CREATE DATABASE kslars OWNER kslars'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kslars') \gexec
SQL
}

start_redis() {
    # Start redis-server on 127.0.0.1:6379 (no persistence) unless one answers there already.
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        echo "==> starting Redis"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
            --logfile /tmp/kslars-test-redis.log >/dev/null
        for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
}

gate() {
    # Run one quality gate (its name, then the command); stop the script, naming the gate, when it fails.
    local name=$1
    shift
    echo "==> $name"
    if ! "$@"; then
        echo "error: quality gate failed: $name" >&2
        exit 1
    fi
}

check_python() {
    # The Python quality gates: lint, formatting, types, and the import contracts in pyproject.toml.
    gate "ruff check" "$VENV/bin/ruff" check kslars tests benchmarks scripts
    gate "ruff format --check" "$VENV/bin/ruff" format --check kslars tests benchmarks scripts
    gate "mypy" "$VENV/bin/mypy" kslars
    gate "lint-imports" "$VENV/bin/lint-imports"
}

check_javascript() {
    # ESLint and the unit tests of the editor's JavaScript. Node.js is for these checks only: K-SLARS never needs it.
    # `npm ci` runs when node_modules is missing or package-lock.json changed since the last install (a copy of the
    # lock file in node_modules is the stamp).
    command -v node >/dev/null && command -v npm >/dev/null || apt_install_missing nodejs npm
    if ! cmp -s package-lock.json node_modules/.kslars-installed-lock.json; then
        echo "==> installing the JavaScript checks (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error
        cp package-lock.json node_modules/.kslars-installed-lock.json
    fi
    echo "==> ESLint"
    npm run --silent lint
    echo "==> JavaScript unit tests (node --test)"
    node --test --test-reporter=spec tests/js/*.test.js
}

start_postgres
start_redis
check_python
check_javascript
export KSLARS_TEST_POSTGRES_URL="${KSLARS_TEST_POSTGRES_URL:-postgresql://kslars:kslars@127.0.0.1:5432/kslars}"
export KSLARS_TEST_REDIS_URL="${KSLARS_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
export KSLARS_BROWSER="${KSLARS_BROWSER:-/usr/bin/chromium}"
echo "==> setup took $((SECONDS - started)) s; running pytest"

set +e
"$VENV/bin/pytest" -p no:cacheprovider --timeout=300 --durations=15 "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
