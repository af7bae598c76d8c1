"""Public pages (no login) and the committee's rationale."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.services import ProcessError
from committee.publication import services
from committee.publication.forms import RationaleForm
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from committee.wijk.services import neighbourhoods

bp = Blueprint("publication", __name__)


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
    return render_template("publication/neighbourhood.html", place=place, procurements=procurements)


def _public_procurement(slug: str, procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if (procurement is None or procurement.neighbourhood.slug != slug
            or not policy.is_public(procurement)):
        abort(404)
    return procurement


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>")
@rule("public")
def procurement(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    published = policy.decision_public(procurement)
    return render_template(
        "publication/procurement.html",
        procurement=procurement,
        published=published,
        decision=services.decision_of(procurement) if published else None,
        rationale=services.rationale_of(procurement) if published else None,
        results=scoring.tally(procurement) if published else [],
        member_count=len(procurement.members),
    )


def _rationale_target(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    if not current_user.is_moderator and policy.membership(current_user, procurement) is None:
        abort(404)
    return procurement


def _render_rationale(procurement, form, status=200):
    return render_template(
        "publication/rationale.html", procurement=procurement, form=form,
        editable=policy.rationale_editable(procurement),
        # A member recused from an offer does not see its scores here either.
        results=scoring.tally_for(current_user, procurement)
        if policy.scores_visible(procurement) else [],
    ), status


@bp.get("/commissie/<int:procurement_id>/motivering")
@rule("member_or_moderator")
def rationale(procurement_id: int):
    procurement = _rationale_target(procurement_id)
    existing = services.rationale_of(procurement)
    return _render_rationale(procurement, RationaleForm(body=existing.body if existing else ""))


@bp.post("/commissie/<int:procurement_id>/motivering")
@rule("member_or_moderator")
def rationale_post(procurement_id: int):
    procurement = _rationale_target(procurement_id)
    form = RationaleForm()
    if form.validate_on_submit():
        try:
            services.save_rationale(actor=current_user, procurement=procurement,
                                    body=form.body.data)
            db.session.commit()
            flash(_("De motivering is opgeslagen."))
            return redirect(url_for("publication.rationale", procurement_id=procurement.id))
        except ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_rationale(procurement, form, 422)
