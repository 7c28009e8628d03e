#!/usr/bin/env bash
# Runs every test: unit and integration tests on SQLite, the same integration tests on
# PostgreSQL when XUEFA_TEST_DATABASE_URL names a server, and the headless-Chromium journeys.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is needed for the browser journeys; installing Debian's package" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
    fi
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi

pg_url="${XUEFA_TEST_DATABASE_URL:-}"
echo "== all tests on SQLite" >&2
XUEFA_TEST_DATABASE_URL= cargo test --release
if [ -n "$pg_url" ]; then
    echo "== storage tests on PostgreSQL ($pg_url)" >&2
    XUEFA_TEST_DATABASE_URL="$pg_url" cargo test --release --test api
fi
