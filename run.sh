#!/usr/bin/env bash
# Start fieldapp on this machine: SQLite in instance/, demo data on first run, http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
if ! python -c "import fieldapp, flask_smorest" 2>/dev/null || [ pyproject.toml -nt .venv/.installed ]; then
  pip install --quiet --upgrade pip
  pip install --quiet -e .
  touch .venv/.installed
fi
export FLASK_APP=wsgi
export FIELDAPP_ENV_NAME="${FIELDAPP_ENV_NAME:-development}"
flask db upgrade >/dev/null
if [ "$(flask demo-status)" = "empty" ]; then
  flask units load >/dev/null
  flask demo
fi
# the background worker (batch receipts, big exports and imports) runs beside the web server and stops with it
huey_consumer fieldapp.jobs.worker.huey --workers 1 --quiet &
worker=$!
trap 'kill "$worker" 2>/dev/null' EXIT INT TERM
flask run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" "$@"
