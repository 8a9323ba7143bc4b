"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from fieldapp import create_app

app = create_app()
