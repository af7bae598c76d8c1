"""The benchmark's yardstick: the smallest Flask app, served by the same gunicorn.conf.py.

Only the benchmark starts it (``gunicorn -c gunicorn.conf.py bench.hello:app``); the real app has
no such route.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
