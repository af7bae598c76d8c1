"""The moderator's pages for changing course: edit a procurement (and so move its offer deadline),
cancel it, or end it without an award. The rules are in ``procurement/changes.py``."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.procurement import changes, policy
from committee.procurement.forms import EndProcurementForm, ProcurementEditForm
from committee.procurement.models import Outcome
from committee.procurement.phases import PLANNED_PHASES
from committee.procurement.views import bp, get_procurement


def _public_base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def _edit_form(procurement) -> ProcurementEditForm:
    """The form filled in with what is stored now."""
    planned = {p.phase: p for p in procurement.phase_dates}
    data = {
        "title": procurement.title,
        "task": procurement.task,
        "budget_ceiling": procurement.budget_ceiling,
    }
    for phase in PLANNED_PHASES:
        row = planned.get(phase)
        data[f"dates_{phase.value}"] = {
            "starts_on": row.starts_on if row else None,
            "ends_on": row.ends_on if row else None,
        }
    return ProcurementEditForm(formdata=None, data=data)


def _render_edit(procurement, form, status=200):
    return render_template(
        "procurement/edit.html",
        procurement=procurement,
        form=form,
        planned=PLANNED_PHASES,
        editable=policy.editable(procurement),
        terms_editable=policy.terms_editable(procurement),
        notifies=policy.changes_notify(procurement),
        min_days=policy.min_offer_days(),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/wijzigen")
@rule("moderator")
def edit(procurement_id: int):
    procurement = get_procurement(procurement_id)
    return _render_edit(procurement, _edit_form(procurement))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wijzigen")
@rule("moderator")
def save_edit(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = ProcurementEditForm()
    if not form.validate_on_submit():
        return _render_edit(procurement, form, 422)
    dates = {}
    for phase in PLANNED_PHASES:
        sub = form[f"dates_{phase.value}"]
        dates[phase] = (sub.starts_on.data, sub.ends_on.data)
    try:
        change = changes.edit_procurement(
            actor=current_user,
            procurement=procurement,
            title=form.title.data,
            task=form.task.data,
            budget_ceiling=form.budget_ceiling.data,
            dates=dates,
            note=form.note.data or "",
            call_url=_public_base() + url_for("offers.call", procurement_id=procurement.id),
        )
    except changes.ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_edit(procurement, form, 422)
    db.session.commit()
    if change is not None:
        flash(
            _(
                "De wijziging is opgeslagen, staat op de openbare pagina "
                "en is naar %(n)d aanbieders gestuurd.",
                n=change.notified,
            )
        )
    else:
        flash(_("De gegevens zijn opgeslagen."))
    return redirect(url_for("procurement.detail", procurement_id=procurement.id))


def _render_end(procurement, outcome: Outcome, form, status=200):
    allowed = (
        policy.cancellable(procurement)
        if outcome == Outcome.CANCELLED
        else policy.no_award_possible(procurement)
    )
    return render_template(
        "procurement/end.html",
        procurement=procurement,
        cancelling=outcome == Outcome.CANCELLED,
        form=form,
        allowed=allowed,
        action=url_for(
            "procurement.cancel" if outcome == Outcome.CANCELLED else "procurement.no_award",
            procurement_id=procurement.id,
        ),
    ), status


def _end(procurement_id: int, outcome: Outcome):
    procurement = get_procurement(procurement_id)
    form = EndProcurementForm()
    if not form.validate_on_submit():
        return _render_end(procurement, outcome, form, 422)
    service = changes.cancel if outcome == Outcome.CANCELLED else changes.no_award
    try:
        notified = service(
            actor=current_user,
            procurement=procurement,
            reason=form.reason.data,
            call_url=_public_base()
            + url_for(
                "publication.procurement", slug=procurement.neighbourhood.slug, procurement_id=procurement.id
            ),
        )
    except changes.ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_end(procurement, outcome, form, 422)
    db.session.commit()
    flash(
        _("De aanbesteding is ingetrokken. %(n)d aanbieders kregen bericht.", n=notified)
        if outcome == Outcome.CANCELLED
        else _("De aanbesteding eindigt zonder gunning. %(n)d aanbieders kregen bericht.", n=notified)
    )
    return redirect(url_for("procurement.detail", procurement_id=procurement.id))


@bp.get("/beheer/aanbesteding/<int:procurement_id>/intrekken")
@rule("moderator")
def cancel_page(procurement_id: int):
    return _render_end(get_procurement(procurement_id), Outcome.CANCELLED, EndProcurementForm())


@bp.post("/beheer/aanbesteding/<int:procurement_id>/intrekken")
@rule("moderator")
def cancel(procurement_id: int):
    return _end(procurement_id, Outcome.CANCELLED)


@bp.get("/beheer/aanbesteding/<int:procurement_id>/geen-gunning")
@rule("moderator")
def no_award_page(procurement_id: int):
    return _render_end(get_procurement(procurement_id), Outcome.NO_AWARD, EndProcurementForm())


@bp.post("/beheer/aanbesteding/<int:procurement_id>/geen-gunning")
@rule("moderator")
def no_award(procurement_id: int):
    return _end(procurement_id, Outcome.NO_AWARD)
