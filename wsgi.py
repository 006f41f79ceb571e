"""WSGI entry point: ``gunicorn wsgi:app``."""

from ciapp import create_app

app = create_app()
