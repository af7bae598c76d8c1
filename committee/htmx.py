"""Hypermedia helpers: one URL answers with a full page or, for htmx, just its fragment."""

from flask import request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def add_vary(response):
    """Caches must keep full pages and fragments apart."""
    response.vary.add("HX-Request")
    return response
