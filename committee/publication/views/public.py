"""The public pages (no login): the home page, a neighbourhood, a procurement's public page
(cached once published), privacy, accessibility, security.txt and the health check."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Response, abort, current_app, render_template

from committee import pagecache
from committee.access import rule
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.monitoring import contracts
from committee.monitoring import services as monitoring
from committee.monitoring.models import SignalStatus
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.phases import Phase
from committee.publication import markdown, services
from committee.publication.views._helpers import _public_context, _public_procurement
from committee.publication.views.blueprint import bp
from committee.stories import services as stories
from committee.timeutil import utcnow
from committee.wijk.models import Neighbourhood
from committee.wijk.services import neighbourhoods


@bp.get("/")
@rule("public")
def home():
    return render_template("publication/home.html", neighbourhoods=neighbourhoods())


@bp.get("/healthz")
@rule("public")
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/privacy")
@rule("public")
def privacy():
    return render_template("publication/privacy.html")


@bp.get("/toegankelijkheid")
@rule("public")
def accessibility():
    return render_template("publication/accessibility.html")


@bp.get("/.well-known/security.txt")
@rule("public")
def security_txt():
    expires = (utcnow() + timedelta(days=365)).replace(microsecond=0).isoformat() + "Z"
    body = (
        f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/.well-known/security.txt\n"
    )
    return Response(body, mimetype="text/plain")


@bp.get("/wijk/<slug>")
@rule("public")
def neighbourhood(slug: str):
    place = services.neighbourhood_by_slug(slug)
    if place is None:
        abort(404)
    procurements = [p for p in place.procurements if policy.is_public(p)]
    decisions = services.decisions_of([p for p in procurements if policy.decision_public(p)])
    return render_template(
        "publication/neighbourhood.html", place=place, procurements=procurements, decisions=decisions
    )


def _version_query():
    last = (
        sa.select(AuditEvent.seq, AuditEvent.at)
        .where(AuditEvent.procurement_id == sa.bindparam("pid"))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
        .subquery()
    )
    return (
        sa.select(Procurement.phase, Neighbourhood.slug, last.c.seq, last.c.at)
        .join(Neighbourhood, Neighbourhood.id == Procurement.neighbourhood_id)
        .outerjoin(last, sa.true())
        .where(Procurement.id == sa.bindparam("pid"))
    )


_VERSION = _version_query()  # built once: every request only binds the id


def _publication_version(procurement_id: int):
    """Phase, neighbourhood slug and the procurement's last audit event (number and time), in one
    indexed query: the version of its public page (see committee/pagecache.py)."""
    return db.session.execute(_VERSION, {"pid": procurement_id}).first()


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>")
@rule("public")
def procurement(slug: str, procurement_id: int):
    def render():
        procurement = _public_procurement(slug, procurement_id)
        signals_open = policy.signals_open(procurement)
        return render_template(
            "publication/procurement.html",
            signals=monitoring.signals(procurement, SignalStatus.SHOWN) if signals_open else [],
            signals_open=signals_open,
            overviews=contracts.overviews(procurement) if policy.contract_open(procurement) else [],
            stories_open=stories.accepts_stories(procurement),
            stories=stories.approved_in(procurement),
            teller=stories.teller,
            **_public_context(procurement),
        )

    version = _publication_version(procurement_id)
    # Only a published decision's page is kept: before that it changes with every step.
    if version is None or version.slug != slug or not version.phase.at_or_after(Phase.PUBLISHED):
        return render()
    return pagecache.serve(("procurement", procurement_id), (version.phase, version.seq), version.at, render)


@bp.app_template_filter("markdown")
def _markdown_filter(text):
    return markdown.render(text)
