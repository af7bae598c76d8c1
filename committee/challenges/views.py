"""The call-for-action challenge's pages: the moderator's finalists, coaching and milestones page;
the committee's view of the finalists with the advisers' advice; and the template helpers that
show a finalist its own milestones and the public its coaching period
(``committee.challenges.services``)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.challenges import services as challenges
from committee.challenges.forms import (
    AdviceForm,
    AnnounceForm,
    MilestoneForm,
    PeriodForm,
    ProgressForm,
    RemoveForm,
)
from committee.extensions import db
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.phases import Phase
from committee.scoring import presentation

bp = Blueprint("challenges", __name__)


@bp.app_template_global("challenge_own_milestones")
def _own_milestones(procurement, offer):
    """For a finalist's own offer page: its milestones and its own progress, else None."""
    return challenges.own_milestones(procurement, offer)


@bp.app_template_global("challenge_public")
def _public(procurement):
    return challenges.public_view(procurement)


def _challenge(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not challenges.is_action(procurement):
        abort(404)
    return procurement


# -- the moderator ----------------------------------------------------------------------------


def _render_manage(procurement, *, period=None, milestone=None, progress=None, status=200):
    """``progress``: (milestone id, offer id, form) of a progress form that failed."""
    coaching = challenges.coaching_of(procurement)
    milestones = challenges.milestones_of(procurement)
    finalists = challenges.finalists(procurement)
    recorded = challenges.progress_of(procurement)
    progress_forms = {}
    for m in milestones:
        for o in finalists:
            stored = recorded.get((m.id, o.id))
            data = {
                "reached": "yes" if stored and stored.reached else "no",
                "note": stored.note if stored else "",
            }
            progress_forms[(m.id, o.id)] = ProgressForm(prefix=f"p{m.id}-{o.id}", formdata=None, data=data)
    if progress is not None:
        progress_forms[(progress[0], progress[1])] = progress[2]
    presentation_round = presentation.round_of(procurement)
    return render_template(
        "challenges/manage.html",
        procurement=procurement,
        coaching=coaching,
        milestones=milestones,
        finalists=finalists,
        recorded=recorded,
        presentation_round=presentation_round,
        chosen=challenges.chosen_for_final(procurement),
        announced=challenges.announced(procurement),
        editable=procurement.phase.is_before(Phase.DECISION) and not policy.ended(procurement),
        deliberation=procurement.phase == Phase.DELIBERATION and not policy.ended(procurement),
        period_form=period
        or PeriodForm(
            formdata=None,
            data={"starts_on": coaching.starts_on, "ends_on": coaching.ends_on} if coaching else None,
        ),
        milestone_form=milestone or MilestoneForm(formdata=None),
        progress_forms=progress_forms,
        announce_form=AnnounceForm(),
        remove_form=RemoveForm(),
        advice=challenges.advice_of(procurement),
        failed_progress=progress[2] if progress is not None else None,
    ), status


@bp.get("/beheer/challenge/<int:procurement_id>")
@rule("moderator")
def manage(procurement_id: int):
    return _render_manage(_challenge(procurement_id))


def _back(procurement_id: int, anchor: str = ""):
    return redirect(url_for("challenges.manage", procurement_id=procurement_id) + anchor)


@bp.post("/beheer/challenge/<int:procurement_id>/bekendmaken")
@rule("moderator")
def announce(procurement_id: int):
    procurement = _challenge(procurement_id)
    if AnnounceForm().validate_on_submit():
        try:
            chosen = challenges.announce_finalists(actor=current_user, procurement=procurement)
            db.session.commit()
            flash(
                _(
                    "De finalisten zijn bekendgemaakt: %(labels)s. Iedere inzender krijgt bericht.",
                    labels=", ".join(o.pseudonym for o in chosen),
                )
            )
        except challenges.ChallengeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return _back(procurement_id)


@bp.post("/beheer/challenge/<int:procurement_id>/periode")
@rule("moderator")
def period(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = PeriodForm()
    if form.validate_on_submit():
        try:
            challenges.set_period(
                actor=current_user,
                procurement=procurement,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            )
            db.session.commit()
            flash(_("De periode van de begeleiding is opgeslagen."))
            return _back(procurement_id, "#begeleiding")
        except challenges.ChallengeError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_manage(procurement, period=form, status=422)


@bp.post("/beheer/challenge/<int:procurement_id>/mijlpalen")
@rule("moderator")
def add_milestone(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        try:
            challenges.add_milestone(
                actor=current_user,
                procurement=procurement,
                title=form.title.data,
                expected=form.expected.data or "",
                due_on=form.due_on.data,
            )
            db.session.commit()
            flash(_("De mijlpaal is toegevoegd."))
            return _back(procurement_id, "#mijlpalen")
        except challenges.ChallengeError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_manage(procurement, milestone=form, status=422)


@bp.post("/beheer/challenge/<int:procurement_id>/mijlpalen/<int:milestone_id>/verwijderen")
@rule("moderator")
def remove_milestone(procurement_id: int, milestone_id: int):
    procurement = _challenge(procurement_id)
    if RemoveForm().validate_on_submit():
        try:
            challenges.remove_milestone(
                actor=current_user, procurement=procurement, milestone_id=milestone_id
            )
            db.session.commit()
            flash(_("De mijlpaal is verwijderd."))
        except challenges.ChallengeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return _back(procurement_id, "#mijlpalen")


@bp.post("/beheer/challenge/<int:procurement_id>/voortgang/<int:offer_id>/<int:milestone_id>")
@rule("moderator")
def progress(procurement_id: int, offer_id: int, milestone_id: int):
    procurement = _challenge(procurement_id)
    if challenges.milestone(procurement, milestone_id) is None:
        abort(404)
    form = ProgressForm(prefix=f"p{milestone_id}-{offer_id}")
    if form.validate_on_submit():
        try:
            challenges.record_progress(
                actor=current_user,
                procurement=procurement,
                milestone_id=milestone_id,
                offer_id=offer_id,
                reached=form.reached.data == "yes",
                note=form.note.data or "",
            )
            db.session.commit()
            flash(_("De voortgang is opgeslagen."))
            return _back(procurement_id, f"#voortgang-{offer_id}")
        except challenges.ChallengeError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_manage(procurement, progress=(milestone_id, offer_id, form), status=422)


# -- the committee ----------------------------------------------------------------------------


def _membership(procurement_id: int):
    procurement = _challenge(procurement_id)
    member = policy.membership(current_user, procurement)
    if member is None or not policy.deliberation_visible(current_user, procurement):
        abort(404)
    return member


def _render_committee(member, *, failed=None, status=200):
    """``failed``: (offer id, form) of an advice form that failed."""
    procurement = member.procurement
    finalists = [o for o in challenges.finalists(procurement) if policy.may_open_offer(member, o)]
    advice = challenges.advice_of(procurement)
    forms = {}
    if not policy.has_vote(member) and challenges.advice_open(procurement):
        for o in finalists:
            own = next((a for a in advice.get(o.id, []) if a.member_id == member.id), None)
            forms[o.id] = AdviceForm(prefix=f"a{o.id}", formdata=None, data={"body": own.body if own else ""})
        if failed is not None:
            forms[failed[0]] = failed[1]
    return render_template(
        "challenges/committee.html",
        procurement=procurement,
        member=member,
        adviser=not policy.has_vote(member),
        coaching=challenges.coaching_of(procurement),
        milestones=challenges.milestones_of(procurement),
        finalists=finalists,
        recorded=challenges.progress_of(procurement, [o.id for o in finalists]),
        advice=advice,
        forms=forms,
        failed_form=failed[1] if failed else None,
    ), status


@bp.get("/commissie/<int:procurement_id>/challenge")
@rule("resident")
def committee(procurement_id: int):
    return _render_committee(_membership(procurement_id))


@bp.post("/commissie/<int:procurement_id>/challenge/advies/<int:offer_id>")
@rule("resident")
def advice(procurement_id: int, offer_id: int):
    member = _membership(procurement_id)
    form = AdviceForm(prefix=f"a{offer_id}")
    if form.validate_on_submit():
        try:
            challenges.save_advice(member=member, offer_id=offer_id, body=form.body.data)
            db.session.commit()
            flash(_("Uw advies is opgeslagen."))
            return redirect(
                url_for("challenges.committee", procurement_id=procurement_id) + f"#advies-{offer_id}"
            )
        except challenges.ChallengeError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_committee(member, failed=(offer_id, form), status=422)
