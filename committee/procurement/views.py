"""The moderator's pages: dashboard, new procurement, and the procurement's control page."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee import mail
from committee.access import rule
from committee.challenges import forms as challenge_forms
from committee.challenges import services as challenges
from committee.extensions import db
from committee.panel.forms import InviteMemberForm, ReissueInvitationForm
from committee.panel.services import CONTACT_PREFERENCES
from committee.procurement import policy, services
from committee.procurement.forms import (
    CriteriaPresetForm,
    CriterionForm,
    MailRetryForm,
    PhaseActionForm,
    ProcurementForm,
    RemoveCriterionForm,
    decision_form_class,
)
from committee.procurement.models import Criterion, Procurement
from committee.procurement.phases import PLANNED_PHASES, Phase
from committee.publication import services as publication
from committee.publication.models import DecisionMethod, VoteChoice
from committee.scoring import services as scoring
from committee.scoring.forms import ConfirmDeclarationForm
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
    "close_offers": services.close_offers,
    "release_offers": services.release_offers,
    "close_scoring": services.close_scoring,
    "publish": services.publish,
    "start_monitoring": publication.start_monitoring,
}


def offer_choices(procurement) -> list[SelectChoice]:
    return [
        SelectChoice(
            o.id,
            _(
                "Aanbod %(label)s (vraagt %(amount)s)",
                label=o.pseudonym,
                amount=publication.format_currency(o.budget_asked or 0),
            ),
        )
        for o in scoring.released_offers(procurement)
    ]


def voters(procurement):
    """Members who may vote: not advisers without a vote, not those with a declared connection
    (see publication.voting)."""
    return [m for m in procurement.members if policy.has_vote(m) and not policy.recused_offers(m)]


def decision_form(procurement, **kwargs):
    form_class = decision_form_class(offer_choices(procurement), voters(procurement))
    if challenges.is_action(procurement):  # the jury divides the start financing
        form_class = challenge_forms.with_grants(form_class, scoring.released_offers(procurement))
    return form_class(**kwargs)


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
    return render_template(
        "procurement/new.html", place=place, form=ProcurementForm(), planned=PLANNED_PHASES
    )


@bp.post("/beheer/wijken/<int:neighbourhood_id>/aanbesteding/nieuw")
@rule("moderator")
def create(neighbourhood_id: int):
    place = db.session.get(Neighbourhood, neighbourhood_id) or abort(404)
    form = ProcurementForm()
    if not form.validate_on_submit():
        return render_template("procurement/new.html", place=place, form=form, planned=PLANNED_PHASES), 422
    dates = {}
    for phase in PLANNED_PHASES:
        sub = form[f"dates_{phase.value}"]
        dates[phase] = (sub.starts_on.data, sub.ends_on.data)
    procurement = services.create_procurement(
        actor=current_user,
        neighbourhood=place,
        title=form.title.data,
        task=form.task.data,
        budget_ceiling=form.budget_ceiling.data,
        criteria_preset=form.criteria.data,
        dates=dates,
        kind=form.kind.data,
    )
    db.session.commit()
    flash(
        _("De challenge is aangemaakt.")
        if procurement.kind.is_challenge
        else _("De aanbesteding is aangemaakt.")
    )
    return redirect(url_for("procurement.detail", procurement_id=procurement.id))


def render_detail(
    procurement: Procurement, *, invite_form=None, invitation_link=None, decision_form_=None, status=200
):
    closed = policy.scores_visible(procurement)
    if decision_form_ is None and procurement.phase == Phase.DELIBERATION:
        decision_form_ = decision_form(procurement)
    return render_template(
        "procurement/detail.html",
        procurement=procurement,
        offers=services.submitted_offers(procurement),
        all_offers=procurement.offers,
        invite_form=invite_form or InviteMemberForm(),
        reissue_form=ReissueInvitationForm(),
        action_form=PhaseActionForm(),
        confirm_form=ConfirmDeclarationForm(),
        decision_form=decision_form_,
        voters={m.id for m in voters(procurement)},
        declarations=scoring.declarations_of(procurement),
        contact_labels=CONTACT_PREFERENCES,
        invitation_link=invitation_link,
        results=scoring.tally(procurement) if closed else [],
        decision=publication.decision_of(procurement),
        rationale=publication.rationale_of(procurement),
        criteria_editable=policy.criteria_editable(procurement),
        award=publication.award_of(procurement),
        standstill_over=policy.standstill_over(procurement),
        Phase=Phase,
        resident_voice=_resident_voice(procurement),
        course={
            "editable": policy.editable(procurement),
            "cancellable": policy.cancellable(procurement),
            "no_award": policy.no_award_possible(procurement),
        },
    ), status


def _resident_voice(procurement) -> dict:
    """The optional steps (needs, recruitment, composition) as the control page shows them."""
    from committee.needs.services import needs_round
    from committee.panel.recruitment import application_count, recruitment_of

    return {
        "needs": needs_round(procurement),
        "recruitment": recruitment_of(procurement),
        "applications": application_count(procurement),
    }


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
    if procurement.phase != Phase.DELIBERATION:
        # The form is shown only in deliberation; a late or second post would get its errors
        # on a page without the form, so it is told here.
        flash(_("Een besluit legt u vast in de fase ‘Overleg commissie’, en maar één keer."), "error")
        return redirect(url_for("procurement.detail", procurement_id=procurement_id))
    form = decision_form(procurement)
    if form.validate_on_submit():
        method = DecisionMethod(form.method.data)
        votes = {
            m.id: VoteChoice(form[f"vote_{m.id}"].data)
            for m in voters(procurement)
            if form[f"vote_{m.id}"].data
        }
        amounts = None
        if challenges.is_action(procurement):
            amounts = challenge_forms.grant_amounts(form, scoring.released_offers(procurement))
            problem = challenges.check_grants(procurement, form.offers.data, amounts)
            for offer_id, message in problem.per_offer.items():
                form[f"grant_{offer_id}"].errors.append(message)
            if problem:
                if problem.total:
                    form.form_errors.append(problem.total)
                return render_detail(procurement, decision_form_=form, status=422)
        try:
            decision = publication.record_decision(
                actor=current_user,
                procurement=procurement,
                offer_ids=form.offers.data,
                method=method,
                reasons=form.reasons.data,
                votes=votes if method == DecisionMethod.VOTE else None,
            )
            if amounts is not None:
                challenges.record_grants(
                    actor=current_user, procurement=procurement, decision=decision, amounts=amounts
                )
            db.session.commit()
            flash(_("Het besluit is vastgelegd."))
            return redirect(url_for("procurement.detail", procurement_id=procurement_id))
        except services.ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return render_detail(procurement, decision_form_=form, status=422)


# -- criteria -------------------------------------------------------------------------------


def _criterion(procurement: Procurement, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.procurement_id != procurement.id:
        abort(404)
    return criterion


def render_criteria(
    procurement: Procurement,
    *,
    failed: tuple[int | None, CriterionForm] | None = None,
    preset_form=None,
    error: str | None = None,
    status=200,
):
    """The criteria page: one form per criterion, one to add, and the presets."""
    forms = {c.id: CriterionForm(obj=c, prefix=f"c{c.id}", formdata=None) for c in procurement.criteria}
    new_form = CriterionForm(prefix="nieuw", formdata=None)
    if failed is not None:
        criterion_id, form = failed
        if criterion_id is None:
            new_form = form
        else:
            forms[criterion_id] = form
    return render_template(
        "procurement/criteria.html",
        procurement=procurement,
        forms=forms,
        new_form=new_form,
        preset_form=preset_form or CriteriaPresetForm(),
        remove_form=RemoveCriterionForm(),
        editable=policy.criteria_editable(procurement),
        error=error,
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/criteria")
@rule("moderator")
def criteria(procurement_id: int):
    return render_criteria(get_procurement(procurement_id))


def _save_criterion(procurement: Procurement, criterion: Criterion | None, prefix: str):
    form = CriterionForm(prefix=prefix)
    key = criterion.id if criterion else None
    if form.validate_on_submit():
        try:
            services.save_criterion(
                actor=current_user,
                procurement=procurement,
                criterion=criterion,
                name=form.name.data,
                question=form.question.data,
                weight=form.weight.data,
                scale_low=form.scale_low.data,
                scale_middle=form.scale_middle.data,
                scale_high=form.scale_high.data,
            )
            db.session.commit()
            flash(_("Het criterium is opgeslagen."))
            return redirect(url_for("procurement.criteria", procurement_id=procurement.id))
        except services.ProcessError as exc:
            db.session.rollback()
            if not policy.criteria_editable(procurement):
                return render_criteria(procurement, error=str(exc), status=422)
            form.form_errors.append(str(exc))
    return render_criteria(procurement, failed=(key, form), status=422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/criteria/nieuw")
@rule("moderator")
def add_criterion(procurement_id: int):
    return _save_criterion(get_procurement(procurement_id), None, "nieuw")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/criteria/<int:criterion_id>")
@rule("moderator")
def save_criterion(procurement_id: int, criterion_id: int):
    procurement = get_procurement(procurement_id)
    criterion = _criterion(procurement, criterion_id)
    return _save_criterion(procurement, criterion, f"c{criterion.id}")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/criteria/<int:criterion_id>/verwijderen")
@rule("moderator")
def remove_criterion(procurement_id: int, criterion_id: int):
    procurement = get_procurement(procurement_id)
    criterion = _criterion(procurement, criterion_id)
    if RemoveCriterionForm().validate_on_submit():
        try:
            services.remove_criterion(actor=current_user, procurement=procurement, criterion=criterion)
            db.session.commit()
            flash(_("Het criterium is verwijderd."))
        except services.ProcessError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("procurement.criteria", procurement_id=procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/criteria/standaard")
@rule("moderator")
def criteria_preset(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = CriteriaPresetForm()
    if form.validate_on_submit():
        try:
            services.apply_criteria_preset(
                actor=current_user, procurement=procurement, preset=form.preset.data
            )
            db.session.commit()
            flash(_("De criteria zijn vervangen door de standaardlijst."))
            return redirect(url_for("procurement.criteria", procurement_id=procurement_id))
        except services.ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return render_criteria(procurement, preset_form=form, status=422)


def _render_outbox(form: MailRetryForm | None = None, status: int = 200):
    return render_template(
        "procurement/outbox.html",
        messages=mail.outbox(),
        MailState=mail.MailState,
        keeps_mail=mail.keeps_mail(),
        retry_form=form or MailRetryForm(),
    ), status


@bp.get("/beheer/uitgaande-post")
@rule("moderator")
def outbox():
    """Verzonden berichten: the state of every message; the body only while no mail server is
    set (then this page is where mail is read), never of mail that was sent."""
    return _render_outbox()


@bp.post("/beheer/uitgaande-post/opnieuw")
@rule("moderator")
def outbox_retry():
    form = MailRetryForm()
    if not form.validate_on_submit():
        return _render_outbox(form, 422)
    try:
        services.retry_mail(actor=current_user, message_id=form.message.data)
    except services.ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("procurement.outbox"))
    db.session.commit()
    flash(_("Het bericht staat weer klaar om verstuurd te worden."))
    return redirect(url_for("procurement.outbox"))
