"""The committee writes the rationale together; the moderator reviews and approves it with the
feedback, and sends the provisional award."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.publication import services
from committee.publication.forms import ApproveRationaleForm, ProvisionalAwardForm, rationale_form_class
from committee.publication.views.blueprint import bp
from committee.scoring import presentation
from committee.scoring import services as scoring


def _rationale_target(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    if not current_user.is_moderator and policy.membership(current_user, procurement) is None:
        abort(404)
    return procurement


def _rationale_form(procurement, **kwargs):
    form_class = rationale_form_class(services.PROMPTS, services.note_offers(current_user, procurement))
    return form_class(**kwargs)


def _render_rationale(procurement, form, status=200, conflict=None):
    rationale = services.rationale_of(procurement)
    return render_template(
        "publication/rationale.html",
        procurement=procurement,
        form=form,
        rationale=rationale,
        editable=policy.rationale_editable(procurement)
        and policy.rationale_writer(current_user, procurement),
        prompts=services.PROMPTS,
        offers=services.note_offers(current_user, procurement),
        sections=services.public_sections(procurement),
        conflict=conflict,
        # A member recused from an offer does not see its scores here either.
        results=scoring.tally_for(current_user, procurement) if policy.scores_visible(procurement) else [],
        rounds=presentation.two_rounds(current_user, procurement)
        if policy.scores_visible(procurement)
        else None,
    ), status


@bp.get("/commissie/<int:procurement_id>/motivering")
@rule("member_or_moderator")
def rationale(procurement_id: int):
    procurement = _rationale_target(procurement_id)
    existing = services.rationale_of(procurement)
    data = dict(existing.texts) if existing else {}
    data["base_version"] = existing.version if existing else 0
    return _render_rationale(procurement, _rationale_form(procurement, data=data))


@bp.post("/commissie/<int:procurement_id>/motivering")
@rule("resident")
def rationale_post(procurement_id: int):
    procurement = _rationale_target(procurement_id)
    form = _rationale_form(procurement)
    if form.validate_on_submit():
        texts = {
            name: field.data or ""
            for name, field in form._fields.items()
            if name in services.allowed_keys(procurement, current_user)
        }
        try:
            services.save_rationale(
                actor=current_user,
                procurement=procurement,
                texts=texts,
                base_version=form.base_version.data or 0,
            )
            db.session.commit()
            flash(_("De motivering is opgeslagen."))
            return redirect(url_for("publication.rationale", procurement_id=procurement.id))
        except services.RationaleConflict as conflict:
            db.session.rollback()
            # Not the posted form: the merged texts, and the version they now build on.
            data = {**conflict.texts, "base_version": conflict.version}
            form = _rationale_form(procurement, formdata=None, data=data)
            return _render_rationale(procurement, form, 409, conflict=conflict)
        except ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_rationale(procurement, form, 422)


def _moderated_procurement(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    return procurement


def _render_review(procurement, status=200, approve_form=None):
    rationale = services.rationale_of(procurement)
    return render_template(
        "publication/review.html",
        procurement=procurement,
        rationale=rationale,
        sections=services.public_sections(procurement),
        feedback=services.all_feedback(procurement),
        decision=services.decision_of(procurement),
        award=services.award_of(procurement),
        approvable=policy.rationale_approvable(procurement),
        approve_form=approve_form or ApproveRationaleForm(version=rationale.version if rationale else 0),
        award_form=ProvisionalAwardForm(),
        standstill_days=current_app.config["STANDSTILL_DAYS"],
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/terugkoppeling")
@rule("moderator")
def review(procurement_id: int):
    return _render_review(_moderated_procurement(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/motivering/goedkeuren")
@rule("moderator")
def approve(procurement_id: int):
    procurement = _moderated_procurement(procurement_id)
    form = ApproveRationaleForm()
    if form.validate_on_submit():
        try:
            services.approve_rationale(actor=current_user, procurement=procurement, version=form.version.data)
            db.session.commit()
            flash(_("De motivering en de terugkoppeling zijn goedgekeurd."))
            return redirect(url_for("publication.review", procurement_id=procurement.id))
        except ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_review(procurement, 422, approve_form=form)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/voorlopige-gunning")
@rule("moderator")
def provisional_award(procurement_id: int):
    procurement = _moderated_procurement(procurement_id)
    if ProvisionalAwardForm().validate_on_submit():
        try:
            award = services.provisional_award(
                actor=current_user,
                procurement=procurement,
                standstill_days=current_app.config["STANDSTILL_DAYS"],
            )
            db.session.commit()
            flash(
                _(
                    "De voorlopige gunning is verstuurd: %(n)d berichten, aan alle aanbieders tegelijk.",
                    n=award.notified,
                )
            )
        except ProcessError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("procurement.detail", procurement_id=procurement.id))
