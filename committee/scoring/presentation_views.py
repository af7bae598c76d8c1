"""The presentation round's pages: the moderator sets it up, starts and closes it; members score
the presentations; both rounds' tallies side by side (``committee.scoring.presentation``)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee.access import rule
from committee.extensions import db
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.scoring.presentation_forms import (
    ChooseOffersForm,
    ClosePresentationForm,
    PresentationCriterionForm,
    RemovePresentationCriterionForm,
    StartPresentationForm,
    presentation_score_form_class,
)

bp = Blueprint("presentation", __name__)


def _procurement(procurement_id: int) -> Procurement:
    """The procurement, once its paper tally is visible to this user (deliberation on)."""
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.deliberation_visible(current_user, procurement):
        abort(404)
    return procurement


# -- the moderator ----------------------------------------------------------------------------


def _choose_form(procurement, **kwargs) -> ChooseOffersForm:
    form = ChooseOffersForm(**kwargs)
    form.offers.choices = [
        SelectChoice(o.id, _("Aanbod %(label)s", label=o.pseudonym))
        for o in scoring.released_offers(procurement)
    ]
    return form


def _render_setup(procurement, *, choose=None, criterion=None, status=200):
    presentation_round = presentation.round_of(procurement)
    chosen = [p.offer_id for p in presentation_round.presenting] if presentation_round else []
    return render_template(
        "scoring/presentation_setup.html",
        procurement=procurement,
        presentation_round=presentation_round,
        setup_open=policy.presentation_setup_open(procurement, presentation_round),
        scoring_open=policy.presentation_scoring_open(procurement, presentation_round),
        rounds=presentation.two_rounds(current_user, procurement),
        choose_form=choose or _choose_form(procurement, data={"offers": chosen}),
        criterion_form=criterion or PresentationCriterionForm(),
        remove_form=RemovePresentationCriterionForm(),
        start_form=StartPresentationForm(),
        close_form=ClosePresentationForm(),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/presentatie")
@rule("moderator")
def setup(procurement_id: int):
    return _render_setup(_procurement(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/presentatie/aanbod")
@rule("moderator")
def choose_offers(procurement_id: int):
    procurement = _procurement(procurement_id)
    form = _choose_form(procurement)
    if form.validate_on_submit():
        if not form.offers.data and form.top.data is None:
            form.offers.errors = [_("Vink aanbiedingen aan, of vul in hoeveel van de beste komen.")]
        else:
            try:
                chosen = presentation.choose_offers(
                    actor=current_user,
                    procurement=procurement,
                    offer_ids=form.offers.data or [],
                    top=form.top.data if not form.offers.data else None,
                )
                db.session.commit()
                flash(
                    _(
                        "Deze aanbiedingen komen presenteren: %(labels)s.",
                        labels=", ".join(o.pseudonym for o in chosen),
                    )
                )
                return redirect(url_for("presentation.setup", procurement_id=procurement_id))
            except presentation.PresentationError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
    return _render_setup(procurement, choose=form, status=422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/presentatie/criteria")
@rule("moderator")
def add_criterion(procurement_id: int):
    procurement = _procurement(procurement_id)
    form = PresentationCriterionForm()
    if form.validate_on_submit():
        try:
            presentation.add_criterion(
                actor=current_user, procurement=procurement, name=form.name.data, scale=form.scale.data or ""
            )
            db.session.commit()
            flash(_("Het criterium is toegevoegd."))
            return redirect(url_for("presentation.setup", procurement_id=procurement_id))
        except presentation.PresentationError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_setup(procurement, criterion=form, status=422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/presentatie/criteria/<int:criterion_id>/verwijderen")
@rule("moderator")
def remove_criterion(procurement_id: int, criterion_id: int):
    procurement = _procurement(procurement_id)
    if RemovePresentationCriterionForm().validate_on_submit():
        try:
            presentation.remove_criterion(
                actor=current_user, procurement=procurement, criterion_id=criterion_id
            )
            db.session.commit()
            flash(_("Het criterium is verwijderd."))
        except presentation.PresentationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("presentation.setup", procurement_id=procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/presentatie/starten")
@rule("moderator")
def start(procurement_id: int):
    procurement = _procurement(procurement_id)
    if StartPresentationForm().validate_on_submit():
        try:
            presentation.start(actor=current_user, procurement=procurement)
            db.session.commit()
            flash(_("De papieren scores liggen vast. De presentatieronde is begonnen."))
        except presentation.PresentationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("presentation.setup", procurement_id=procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/presentatie/sluiten")
@rule("moderator")
def close(procurement_id: int):
    procurement = _procurement(procurement_id)
    if ClosePresentationForm().validate_on_submit():
        try:
            presentation.close(actor=current_user, procurement=procurement)
            db.session.commit()
            flash(_("De presentatieronde is gesloten."))
        except presentation.PresentationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("presentation.setup", procurement_id=procurement_id))


# -- the committee ----------------------------------------------------------------------------


def _membership(procurement_id: int) -> CommitteeMember:
    procurement = _procurement(procurement_id)
    member = policy.membership(current_user, procurement)
    if member is None:
        abort(404)
    return member


@bp.get("/commissie/<int:procurement_id>/presentatie")
@rule("resident")
def offers(procurement_id: int):
    member = _membership(procurement_id)
    procurement = member.procurement
    presentation_round = presentation.round_of(procurement)
    return render_template(
        "scoring/presentation_offers.html",
        member=member,
        procurement=procurement,
        presentation_round=presentation_round,
        offers=presentation.presenting_offers_for(member) if policy.may_read_offers(member) else [],
        scoring_open=policy.presentation_scoring_open(procurement, presentation_round),
    )


def _presenting(member, pseudonym: str):
    """The presenting offer this member scores; a recused member gets the same 404 as anyone."""
    offer = presentation.presenting_offer_for(member, pseudonym)
    if offer is None:
        abort(404)
    return offer


def _render_offer(member, offer, form, status=200):
    procurement = member.procurement
    presentation_round = presentation.round_of(procurement)
    return render_template(
        "scoring/presentation_offer.html",
        member=member,
        procurement=procurement,
        presentation_round=presentation_round,
        offer=offer,
        form=form,
        editable=policy.presentation_scoring_open(procurement, presentation_round),
    ), status


@bp.get("/commissie/<int:procurement_id>/presentatie/<pseudonym>")
@rule("resident")
def offer(procurement_id: int, pseudonym: str):
    member = _membership(procurement_id)
    offer = _presenting(member, pseudonym)
    criteria = presentation.round_of(member.procurement).criteria
    saved = presentation.scores_of(member, offer)
    data = {f"score_{c}": str(v) for c, v in saved.items()}
    return _render_offer(member, offer, presentation_score_form_class(criteria)(data=data))


@bp.post("/commissie/<int:procurement_id>/presentatie/<pseudonym>")
@rule("resident")
def save(procurement_id: int, pseudonym: str):
    member = _membership(procurement_id)
    offer = _presenting(member, pseudonym)
    criteria = presentation.round_of(member.procurement).criteria
    form = presentation_score_form_class(criteria)()
    if form.validate_on_submit():
        values = {
            c.id: int(form[f"score_{c.id}"].data) if form[f"score_{c.id}"].data else None for c in criteria
        }
        try:
            presentation.save_scores(member=member, offer=offer, values=values)
            db.session.commit()
            flash(_("Opgeslagen."))
            return redirect(url_for("presentation.offer", procurement_id=procurement_id, pseudonym=pseudonym))
        except presentation.PresentationError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    else:
        form.form_errors.append(_("Niet opgeslagen. Kijk bij de vragen wat er mis is."))
    return _render_offer(member, offer, form, 422)


@bp.get("/commissie/<int:procurement_id>/uitslag/twee-rondes")
@rule("member_or_moderator")
def result(procurement_id: int):
    procurement = _procurement(procurement_id)
    return render_template(
        "scoring/presentation_result.html",
        procurement=procurement,
        rounds=presentation.two_rounds(current_user, procurement),
    )
