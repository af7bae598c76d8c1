"""The application factory, ``create_app``: the Flask app with its extensions and blueprints.

``committee/__init__.py`` hands it out lazily, so importing a part of ``committee`` that needs no web
framework (the lottery) does not import Flask.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, has_request_context, redirect, request, session
from flask_login import current_user

from committee import assets, fragments, ratelimit, readonly, security
from committee.config import load_config
from committee.extensions import babel, compress, csrf, db, login_manager, migrate
from committee.extensions import mail as mailman

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def select_locale() -> str:
    if has_request_context() and session.get("lang"):
        return session["lang"]
    return "nl"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        "committee",  # the package's name, as before the factory moved here (the app's logger)
        instance_path=os.path.join(ROOT, "instance"),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    mailman.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(ROOT, "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    security.init_app(app)
    ratelimit.init_app(app)
    assets.init_app(app)
    fragments.init_app(app)
    compress.init_app(app)
    if app.config["PROXY_FIX_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from committee.pagecache import EdgeCache

    app.wsgi_app = EdgeCache(app.wsgi_app)

    with app.app_context():
        _tune_sqlite(app)
    readonly.init_app(app)

    from committee import models  # noqa: F401  (registers every model)
    from committee.auth.services import user_for_session

    @login_manager.user_loader
    def load_user(user_id: str):
        return user_for_session(user_id, session.get("sid"))

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import url_for

        return redirect(url_for("auth.login", next=request.full_path))

    from committee.audit.views import bp as audit_bp
    from committee.auth.views import bp as auth_bp
    from committee.challenges.views import bp as challenges_bp
    from committee.coalitions.views import bp as coalitions_bp
    from committee.monitoring.contract_views import bp as contract_bp
    from committee.monitoring.views import bp as monitoring_bp
    from committee.needs.views import bp as needs_bp
    from committee.offers.views import bp as offers_bp
    from committee.panel.views import bp as panel_bp
    from committee.planning.views import bp as planning_bp
    from committee.privacy.views import bp as privacy_bp
    from committee.procurement import course_views  # noqa: F401  (its routes join procurement_bp)
    from committee.procurement.views import bp as procurement_bp
    from committee.publication.views import bp as publication_bp
    from committee.scoring.presentation_views import bp as presentation_bp
    from committee.scoring.views import bp as scoring_bp
    from committee.stories.views import bp as stories_bp
    from committee.wijk.views import bp as wijk_bp

    for blueprint in (
        auth_bp,
        audit_bp,
        challenges_bp,
        coalitions_bp,
        contract_bp,
        monitoring_bp,
        needs_bp,
        offers_bp,
        panel_bp,
        planning_bp,
        privacy_bp,
        presentation_bp,
        procurement_bp,
        publication_bp,
        scoring_bp,
        stories_bp,
        wijk_bp,
    ):
        app.register_blueprint(blueprint)

    from committee import cli, errors, i18n, jobs

    jobs.init_app(app)

    errors.register_error_handlers(app)
    cli.register(app)
    i18n.register(app)

    from committee.text import web_address

    # A stored web address becomes a link only if it is http(s): ``templates/_links.html``.
    app.add_template_filter(web_address, "web_address")

    from committee.htmx import add_vary

    app.after_request(add_vary)

    import flask_babel

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        current_locale=lambda: str(flask_babel.get_locale() or "nl"),
        format_date=flask_babel.format_date,
        format_datetime=flask_babel.format_datetime,
        format_decimal=flask_babel.format_decimal,
        format_currency=lambda amount, currency: flask_babel.format_currency(
            amount, currency, format="¤ #,##0", currency_digits=False
        ),
    )

    @app.context_processor
    def inject_user():
        return {"user": current_user}

    return app


def _tune_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and foreign keys on every SQLite connection."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
