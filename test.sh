#!/usr/bin/env bash
# Run every test: lint, then pytest (SQLite and PostgreSQL API tests, browser tests with Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
if ! python -c "import fieldapp, pytest, playwright" 2>/dev/null || [ pyproject.toml -nt .venv/.installed-test ]; then
  pip install --quiet --upgrade pip
  pip install --quiet -e ".[test]"
  touch .venv/.installed-test
fi
ruff check .
python -m pytest "$@"
