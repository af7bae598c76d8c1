"""The moderator's pages: dashboard, new procurement, and the procurement's control page."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee.access import rule
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.panel.forms import InviteMemberForm, ReissueInvitationForm
from committee.procurement import policy, services
from committee.procurement.forms import DecisionForm, PhaseActionForm, ProcurementForm
from committee.procurement.models import Procurement
from committee.procurement.phases import PLANNED_PHASES, Phase
from committee.publication import services as publication
from committee.scoring import services as scoring
from committee.wijk.models import Neighbourhood
from committee.wijk.services import neighbourhoods

bp = Blueprint("procurement", __name__)

# action name -> (service, label shown on the button)
def _open_needs(**kwargs):
    from committee.needs.services import open_needs

    return open_needs(**kwargs)


def _open_recruitment(**kwargs):
    from committee.panel.recruitment import open_recruitment

    return open_recruitment(**kwargs)


def _open_composition(**kwargs):
    from committee.panel.recruitment import open_composition

    return open_composition(**kwargs)


PHASE_ACTIONS = {
    "open_needs": _open_needs,
    "open_recruitment": _open_recruitment,
    "open_composition": _open_composition,
    "open_offers": services.open_offers,
    "release_offers": services.release_offers,
    "close_scoring": services.close_scoring,
    "publish": services.publish,
}


def offer_choices(procurement) -> list[SelectChoice]:
    return [SelectChoice(o.id, _("Aanbod %(label)s", label=o.pseudonym))
            for o in scoring.released_offers(procurement)]


def get_procurement(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    return procurement


@bp.get("/beheer/")
@rule("moderator")
def dashboard():
    return render_template("procurement/dashboard.html", neighbourhoods=neighbourhoods())


@bp.get("/beheer/wijken/<int:neighbourhood_id>/aanbesteding/nieuw")
@rule("moderator")
def new(neighbourhood_id: int):
    place = db.session.get(Neighbourhood, neighbourhood_id) or abort(404)
    return render_template("procurement/new.html", place=place, form=ProcurementForm(),
                           planned=PLANNED_PHASES)


@bp.post("/beheer/wijken/<int:neighbourhood_id>/aanbesteding/nieuw")
@rule("moderator")
def create(neighbourhood_id: int):
    place = db.session.get(Neighbourhood, neighbourhood_id) or abort(404)
    form = ProcurementForm()
    if not form.validate_on_submit():
        return render_template("procurement/new.html", place=place, form=form,
                               planned=PLANNED_PHASES), 422
    dates = {}
    for phase in PLANNED_PHASES:
        sub = form[f"dates_{phase.value}"]
        dates[phase] = (sub.starts_on.data, sub.ends_on.data)
    procurement = services.create_procurement(
        actor=current_user, neighbourhood=place, title=form.title.data, task=form.task.data,
        budget_ceiling=form.budget_ceiling.data, criteria_preset=form.criteria.data, dates=dates,
    )
    db.session.commit()
    flash(_("De aanbesteding is aangemaakt."))
    return redirect(url_for("procurement.detail", procurement_id=procurement.id))


def render_detail(procurement: Procurement, *, invite_form=None, invitation_link=None,
                  status=200):
    closed = policy.scores_visible(procurement)
    decision_form = None
    if procurement.phase == Phase.DELIBERATION:
        decision_form = DecisionForm()
        decision_form.offer_id.choices = offer_choices(procurement)
    return render_template(
        "procurement/detail.html",
        procurement=procurement,
        offers=services.submitted_offers(procurement),
        all_offers=procurement.offers,
        invite_form=invite_form or InviteMemberForm(),
        reissue_form=ReissueInvitationForm(),
        action_form=PhaseActionForm(),
        decision_form=decision_form,
        invitation_link=invitation_link,
        results=scoring.tally(procurement) if closed else [],
        decision=publication.decision_of(procurement),
        rationale=publication.rationale_of(procurement),
        Phase=Phase,
        resident_voice=_resident_voice(procurement),
    ), status


def _resident_voice(procurement) -> dict:
    """The optional steps (needs, recruitment, composition) as the control page shows them."""
    from committee.needs.services import needs_round
    from committee.panel.recruitment import application_count, recruitment_of

    return {"needs": needs_round(procurement), "recruitment": recruitment_of(procurement),
            "applications": application_count(procurement)}


@bp.get("/beheer/aanbesteding/<int:procurement_id>")
@rule("moderator")
def detail(procurement_id: int):
    return render_detail(get_procurement(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/fase")
@rule("moderator")
def phase_action(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = PhaseActionForm()
    action = PHASE_ACTIONS.get(form.action.data or "")
    if not form.validate_on_submit() or action is None:
        abort(400)
    try:
        action(actor=current_user, procurement=procurement)
        db.session.commit()
        flash(_("De aanbesteding staat nu in de fase: %(phase)s.", phase=procurement.phase.label))
    except services.ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("procurement.detail", procurement_id=procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/besluit")
@rule("moderator")
def decide(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = DecisionForm()
    form.offer_id.choices = offer_choices(procurement)
    if form.validate_on_submit():
        try:
            publication.record_decision(actor=current_user, procurement=procurement,
                                        offer_id=form.offer_id.data)
            db.session.commit()
            flash(_("Het besluit is vastgelegd."))
        except services.ProcessError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("procurement.detail", procurement_id=procurement_id))


@bp.get("/beheer/uitgaande-post")
@rule("moderator")
def outbox():
    messages = db.session.scalars(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(100)
    ).all()
    return render_template("procurement/outbox.html", messages=messages)
