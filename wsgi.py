"""WSGI entry point for gunicorn and friends: ``gunicorn wsgi:app``."""

from annotator import create_app

app = create_app()
