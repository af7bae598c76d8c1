"""The committee member's pages: their procurements, the offers, the score form."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.htmx import is_htmx
from committee.offers import services as offer_services
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.scoring import services
from committee.scoring.forms import SubmitScoresForm, score_form_class

bp = Blueprint("scoring", __name__)


def _membership(procurement_id: int) -> CommitteeMember:
    procurement = db.session.get(Procurement, procurement_id)
    member = policy.membership(current_user, procurement) if procurement else None
    if member is None:
        abort(404)
    return member


def _offer(member: CommitteeMember, pseudonym: str):
    if not policy.offers_released(member.procurement):
        abort(404)
    offer = services.released_offer(member.procurement, pseudonym)
    if offer is None:
        abort(404)
    return offer


@bp.get("/commissie/")
@rule("resident")
def home():
    members = db.session.scalars(
        sa.select(CommitteeMember).where(CommitteeMember.user_id == current_user.id)
    ).all()
    return render_template("scoring/home.html", members=members)


@bp.get("/commissie/<int:procurement_id>/")
@rule("resident")
def offers(procurement_id: int):
    member = _membership(procurement_id)
    procurement = member.procurement
    released = policy.offers_released(procurement)
    offers = services.released_offers(procurement) if released else []
    done, total = services.progress(member, offers)
    scored = {o.id for o in offers if len(services.scores_of(member, o)) >= len(procurement.criteria)}
    return render_template(
        "scoring/offers.html", member=member, procurement=procurement, offers=offers,
        released=released, done=done, total=total, scored=scored, submit_form=SubmitScoresForm(),
        scoring_open=policy.scoring_open(procurement),
    )


def _render_offer(member, offer, form, status=200):
    procurement = member.procurement
    return render_template(
        "scoring/offer.html", member=member, procurement=procurement, offer=offer,
        text=offer_services.anonymised_view(offer), form=form,
        editable=policy.scoring_open(procurement) and member.submitted_at is None,
        revealed=policy.identities_revealed(procurement),
    ), status


@bp.get("/commissie/<int:procurement_id>/aanbod/<pseudonym>")
@rule("resident")
def offer(procurement_id: int, pseudonym: str):
    member = _membership(procurement_id)
    offer = _offer(member, pseudonym)
    saved = services.scores_of(member, offer)
    form_class = score_form_class(member.procurement.criteria)
    data = {}
    for criterion_id, score in saved.items():
        data[f"score_{criterion_id}"] = str(score.value)
        data[f"comment_{criterion_id}"] = score.comment
    return _render_offer(member, offer, form_class(data=data))


@bp.post("/commissie/<int:procurement_id>/aanbod/<pseudonym>")
@rule("resident")
def save(procurement_id: int, pseudonym: str):
    member = _membership(procurement_id)
    offer = _offer(member, pseudonym)
    form = score_form_class(member.procurement.criteria)()
    error = None
    if form.validate_on_submit():
        try:
            for criterion in member.procurement.criteria:
                value = form[f"score_{criterion.id}"].data
                if value:
                    services.save_score(
                        member=member, offer=offer, criterion_id=criterion.id, value=int(value),
                        comment=form[f"comment_{criterion.id}"].data or "",
                    )
            db.session.commit()
        except services.ScoringError as exc:
            db.session.rollback()
            error = str(exc)
    else:
        error = _("Niet opgeslagen. Kijk bij de vragen wat er mis is.")
    if is_htmx():
        return render_template("scoring/_save_status.html", error=error), 422 if error else 200
    if error:
        form.form_errors.append(error)
        return _render_offer(member, offer, form, 422)
    flash(_("Opgeslagen."))
    return redirect(url_for("scoring.offer", procurement_id=procurement_id, pseudonym=pseudonym))


@bp.post("/commissie/<int:procurement_id>/indienen")
@rule("resident")
def submit(procurement_id: int):
    member = _membership(procurement_id)
    if SubmitScoresForm().validate_on_submit():
        try:
            services.submit_scores(member=member)
            db.session.commit()
            flash(_("Uw scores zijn ingediend. Dank u wel!"))
        except services.ScoringError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("scoring.offers", procurement_id=procurement_id))
