"""Entry point: ``gunicorn app:app`` and ``flask --app app`` both find the app here."""

from committee import create_app

app = create_app()
