"""Choosing the language: Dutch first, English second."""

from flask import current_app, redirect, request, session, url_for

from committee.access import rule


def register(app) -> None:
    @rule("public")
    def switch_language(code: str):
        if code in current_app.config["LANGUAGES"]:
            session["lang"] = code
        target = request.args.get("next", "")
        if not (target.startswith("/") and not target.startswith("//")):
            target = url_for("publication.home")
        return redirect(target)

    app.add_url_rule("/taal/<code>", "switch_language", switch_language)
