"""Choosing the language: Dutch first, English second."""

from babel.lists import format_list
from flask import current_app, redirect, request, session, url_for
from flask_babel import get_locale

from committee.access import rule
from committee.security import local_path


def names_list(names) -> str:
    """Names joined the way the language does it: "A, B en C" in Dutch, "A, B and C" in English."""
    return format_list([str(name) for name in names], locale=get_locale() or "nl")


def register(app) -> None:
    app.add_template_filter(names_list, "names_list")

    @rule("public")
    def switch_language(code: str):
        if code in current_app.config["LANGUAGES"]:
            session["lang"] = code
        return redirect(local_path(request.args.get("next"), url_for("publication.home")))

    app.add_url_rule("/taal/<code>", "switch_language", switch_language)
