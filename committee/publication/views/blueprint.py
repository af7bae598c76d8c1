"""The publication's blueprint, on its own so every page-family module can import it without a cycle."""

from flask import Blueprint

bp = Blueprint("publication", __name__)
