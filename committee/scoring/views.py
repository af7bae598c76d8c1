"""The committee's pages: the declaration, the offers, the score form, the tally and the meeting;
and the moderator's part in them (confirming declarations, reopening scores, meeting notes)."""

from types import SimpleNamespace

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee import fragments
from committee.access import rule
from committee.auth.forms import ContinueForm
from committee.extensions import db
from committee.htmx import is_htmx
from committee.offers import services as offer_services
from committee.panel import services as panel_services
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.scoring import services
from committee.scoring.forms import (
    COMMENT_MAX_LENGTH,
    SCALE,
    BriefingForm,
    ConfirmDeclarationForm,
    DeclarationForm,
    MeetingNoteForm,
    ReopenForm,
    SubmitScoresForm,
    score_form_class,
)

bp = Blueprint("scoring", __name__)


def _membership(procurement_id: int, *, with_criteria: bool = False) -> CommitteeMember:
    # The seat with its procurement (and its criteria, for the pages that show them all).
    member = policy.membership(current_user, procurement_id, with_criteria=with_criteria)
    if member is None:
        abort(404)
    return member


def _offer(member: CommitteeMember, pseudonym: str) -> services.OpenedOffer:
    """The offer with the member's scores of it and its annexes, if this member may open it; a
    recused member gets the same 404 as anyone."""
    opened = services.openable_offer(member, pseudonym)
    if opened is None:
        abort(404)
    return opened


@bp.get("/commissie/")
@rule("resident")
def home():
    members = db.session.scalars(
        sa.select(CommitteeMember).where(CommitteeMember.user_id == current_user.id)
    ).all()
    return render_template(
        "scoring/home.html",
        members=members,
        claims=panel_services.open_claims(current_user),
        claim_form=ContinueForm(),
    )


@bp.get("/commissie/<int:procurement_id>/")
@rule("resident")
def offers(procurement_id: int):
    member = _membership(procurement_id)
    procurement = member.procurement
    may_read = policy.may_read_offers(member)
    offers = services.offers_for(member) if may_read else []
    complete = services.complete_offers(member, offers)
    return render_template(
        "scoring/offers.html",
        member=member,
        procurement=procurement,
        offers=offers,
        released=policy.offers_released(procurement),
        may_read=may_read,
        declaration=policy.declaration_of(member),
        declaration_open=policy.declaration_open(procurement),
        briefed=services.briefing_read(member),
        recused=len(services.released_offers(procurement)) - len(offers) if may_read else 0,
        done=len(complete),
        total=len(offers),
        complete=complete,
        reopening=services.latest_reopening(member) if member.submitted_at is None else None,
        submit_form=SubmitScoresForm(),
        scoring_open=policy.scoring_open(procurement),
        deliberation=policy.deliberation_visible(current_user, procurement),
    )


# -- before reading ---------------------------------------------------------------------------


def _render_declaration(member, form, status=200):
    return render_template(
        "scoring/declaration.html",
        member=member,
        procurement=member.procurement,
        form=form,
        declaration=policy.declaration_of(member),
    ), status


def _declaration_form(member, **kwargs) -> DeclarationForm:
    form = DeclarationForm(**kwargs)
    form.names.choices = [SelectChoice(n.id, n.name) for n in services.declarable_names(member.procurement)]
    return form


@bp.get("/commissie/<int:procurement_id>/verklaring")
@rule("resident")
def declaration(procurement_id: int):
    member = _membership(procurement_id)
    if not policy.declaration_open(member.procurement):
        abort(404)
    existing = policy.declaration_of(member)
    data = {}
    if existing is not None:
        data = {
            "house_rules": True,
            "note": existing.note,
            "names": [c.offer_name_id for c in existing.connections],
        }
    return _render_declaration(member, _declaration_form(member, data=data))


@bp.post("/commissie/<int:procurement_id>/verklaring")
@rule("resident")
def declare(procurement_id: int):
    member = _membership(procurement_id)
    if not policy.declaration_open(member.procurement):
        abort(404)
    form = _declaration_form(member)
    if form.validate_on_submit():
        try:
            services.declare(
                member=member,
                accepts_house_rules=form.house_rules.data,
                name_ids=form.names.data or [],
                note=form.note.data or "",
            )
            db.session.commit()
            flash(_("Dank u. De gemeente bekijkt uw verklaring; daarna kunt u de aanbiedingen lezen."))
            return redirect(url_for("scoring.offers", procurement_id=procurement_id))
        except services.ScoringError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_declaration(member, form, 422)


# -- before the first score: the briefing and reading guide ------------------------------------


def _render_briefing(member, form, status=200):
    return render_template(
        "scoring/briefing.html",
        member=member,
        procurement=member.procurement,
        form=form,
        briefed=services.briefing_read(member),
    ), status


@bp.get("/commissie/<int:procurement_id>/uitleg")
@rule("resident")
def briefing(procurement_id: int):
    member = _membership(procurement_id)
    return _render_briefing(member, BriefingForm(formdata=None, read=services.briefing_read(member)))


@bp.post("/commissie/<int:procurement_id>/uitleg")
@rule("resident")
def briefing_post(procurement_id: int):
    member = _membership(procurement_id)
    if services.briefing_read(member):  # read already: nothing to store, nothing to refuse
        return redirect(url_for("scoring.offers", procurement_id=procurement_id))
    form = BriefingForm()
    if not form.validate_on_submit():
        return _render_briefing(member, form, 422)
    services.confirm_briefing(member=member)
    db.session.commit()
    flash(_("Dank u. U kunt nu scores geven."))
    return redirect(url_for("scoring.offers", procurement_id=procurement_id))


# -- scoring ----------------------------------------------------------------------------------


# The score form's fixed texts: translated only when a piece that shows them is rendered (the
# cached pieces of committee/fragments.py mostly are not), in the language of that moment.
_SCORE_FORM_TEXTS = SimpleNamespace(
    score_label=_l("%(criterion)s: %(n)s van 5"),  # a format string, filled in by the template
    comment_label=_l("Toelichting bij %(criterion)s"),
    comment_help=_l("Verplicht bij een 1 of een 5; anders mag het."),
    low=_l("zwak"),
    middle=_l("redelijk"),
    high=_l("sterk"),
)


def _render_offer(member, opened: services.OpenedOffer, form, status=200, *, mine=None):
    procurement, offer, saved = member.procurement, opened.offer, opened.scores
    mine = services.offer_labels(member) if mine is None else mine
    position = next(i for i, o in enumerate(mine) if o.id == offer.id)
    done, total = sum(o.complete for o in mine), len(mine)
    return render_template(
        "scoring/offer.html",
        text_for=_SCORE_FORM_TEXTS,
        scale=SCALE,
        comment_max=COMMENT_MAX_LENGTH,
        crlf="\r\n",  # what WTForms writes after <textarea>; the browser drops it
        member=member,
        procurement=procurement,
        offer=offer,
        text=offer_services.anonymised_view(offer),
        annexes=offer_services.member_annexes(offer, opened.annex_rows),
        form=form,
        editable=policy.scoring_open(procurement) and member.submitted_at is None,
        revealed=policy.identities_revealed(procurement),
        position=position + 1,
        count=len(mine),
        previous=mine[position - 1] if position > 0 else None,
        next=mine[position + 1] if position + 1 < len(mine) else None,
        reasons_missing={c for c, s in saved.items() if s.needs_reason},
        done=done,
        total=total,
        briefed=services.briefing_read(member),
    ), status


@bp.get("/commissie/<int:procurement_id>/aanbod/<pseudonym>")
@rule("resident")
def offer(procurement_id: int, pseudonym: str):
    member = _membership(procurement_id, with_criteria=True)
    opened = _offer(member, pseudonym)
    form_class = score_form_class(member.procurement.criteria)
    data = {}
    for criterion_id, score in opened.scores.items():
        data[f"score_{criterion_id}"] = str(score.value)
        data[f"comment_{criterion_id}"] = score.comment
    return _render_offer(member, opened, form_class(data=data))


def _changed_criteria() -> set[int] | None:
    """With JavaScript the page says which criteria the member touched since the last save, so a
    second, stale device cannot overwrite the others. Without it, the whole form counts."""
    if not request.form.get("changed_only"):
        return None
    return {int(v) for v in request.form.getlist("changed") if v.isdigit()}


@bp.post("/commissie/<int:procurement_id>/aanbod/<pseudonym>")
@rule("resident")
def save(procurement_id: int, pseudonym: str):
    # Every tap on a phone comes here: one query reads the score sheet, one statement writes
    # (services.score_sheet, services.save_answers); the full page is built only without htmx.
    sheet = services.score_sheet(user_id=current_user.id, procurement_id=procurement_id, pseudonym=pseudonym)
    if sheet is None or not sheet.may_open:
        abort(404)
    # With JavaScript only the criteria the member changed are saved (``_changed_criteria``);
    # without it, the whole form. The htmx answer shows no form, so there only those criteria
    # are read and validated too; a page shown again must have every criterion's field.
    only = _changed_criteria()
    saved_criteria = sheet.criteria
    if only is not None:
        saved_criteria = {c: name for c, name in sheet.criteria.items() if c in only}
    criteria = saved_criteria if is_htmx() else sheet.criteria
    # The htmx answer is a fragment without a form, and CSRFProtect has checked this request
    # already: the form need not sign a new token. (The page shown again without htmx needs one.)
    form = score_form_class(criteria)(meta={"csrf": False} if is_htmx() and g.get("csrf_valid") else {})
    error, result, progress = None, None, None
    if form.validate_on_submit():
        answers = {}
        for criterion_id in saved_criteria:
            value = form[f"score_{criterion_id}"].data
            comment = form[f"comment_{criterion_id}"].data or ""
            answers[criterion_id] = (int(value) if value else None, comment)
        try:
            result = services.save_answers(sheet, answers)
            # Counted only when this save made the offer scored or unscored (otherwise the
            # count is what the page shows already), and before the commit, in the write's own
            # transaction: after it, the count would begin a second transaction for itself.
            if is_htmx() and result.complete != result.was_complete:
                progress = services.sheet_progress(sheet)
            db.session.commit()
        except services.ScoringError as exc:
            db.session.rollback()
            error = str(exc)
    else:
        error = _("Niet opgeslagen. Kijk bij de vragen wat er mis is.")
    if is_htmx():
        names = sheet.criteria
        # Its output follows from these values alone, so it is kept per value (fragments.render).
        return fragments.render(
            "scoring/_save_status.html",
            error=error,
            saved=result is not None,
            criteria=tuple(names),
            reasons_missing=tuple(result.reasons_missing) if result else (),
            reason_names=tuple(names[c] for c in result.reasons_missing) if result else (),
            unsaved_names=tuple(names[c] for c in result.comment_without_score) if result else (),
            progress=progress,
        ), 422 if error else 200
    if result is not None and result.comment_without_score:
        for criterion_id in result.comment_without_score:
            form[f"comment_{criterion_id}"].errors = [_("Kies ook een score; dan bewaren we uw toelichting.")]
        error = _("Een toelichting is nog niet bewaard: kies ook een score.")
    if error:
        form.form_errors.append(error)
        member = _membership(procurement_id)
        return _render_offer(member, _offer(member, pseudonym), form, 422)
    message = _("Opgeslagen.")
    if result is not None and result.reasons_missing:  # as the htmx answer says it
        names = ", ".join(sheet.criteria[c] for c in result.reasons_missing)
        message += " " + _("Schrijf nog kort waarom bij: %(names)s.", names=names)
    flash(message)
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


# -- the moderator's part during scoring -------------------------------------------------------


def _member_of(procurement_id: int, member_id: int) -> CommitteeMember:
    member = db.session.get(CommitteeMember, member_id)
    if member is None or member.procurement_id != procurement_id:
        abort(404)
    return member


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden/<int:member_id>/verklaring")
@rule("moderator")
def confirm_declaration(procurement_id: int, member_id: int):
    member = _member_of(procurement_id, member_id)
    if ConfirmDeclarationForm().validate_on_submit():
        try:
            services.confirm_declaration(actor=current_user, member=member)
            db.session.commit()
            flash(_("De verklaring van %(name)s is bevestigd.", name=member.user.name))
        except services.ScoringError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("procurement.detail", procurement_id=procurement_id, _anchor="members"))


def _render_reopen(member, form, status=200):
    return render_template(
        "scoring/reopen.html", member=member, procurement=member.procurement, form=form
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/leden/<int:member_id>/heropenen")
@rule("moderator")
def reopen(procurement_id: int, member_id: int):
    return _render_reopen(_member_of(procurement_id, member_id), ReopenForm())


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden/<int:member_id>/heropenen")
@rule("moderator")
def reopen_post(procurement_id: int, member_id: int):
    member = _member_of(procurement_id, member_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_scores(actor=current_user, member=member, reason=form.reason.data)
            db.session.commit()
            flash(_("De scores van %(name)s zijn heropend.", name=member.user.name))
            return redirect(url_for("procurement.detail", procurement_id=procurement_id))
        except services.ScoringError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_reopen(member, form, 422)


# -- after scoring: the tally and the meeting --------------------------------------------------


def _deliberation_target(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.deliberation_visible(current_user, procurement):
        abort(404)
    return procurement


@bp.get("/commissie/<int:procurement_id>/uitslag")
@rule("member_or_moderator")
def tally(procurement_id: int):
    procurement = _deliberation_target(procurement_id)
    return render_template(
        "scoring/tally.html",
        procurement=procurement,
        results=services.tally_for(current_user, procurement),
        order=services.discussion_order(current_user, procurement),
        robustness=services.robustness(procurement),
        submitted=sum(1 for m in procurement.members if m.submitted_at),
    )


def _render_meeting(procurement, pseudonym: str, form=None, status=200):
    order = services.discussion_order(current_user, procurement)
    position = next((i for i, r in enumerate(order) if r.offer == pseudonym), None)
    if position is None:
        abort(404)
    offer = services.released_offer(procurement, pseudonym)
    note = services.note_of(offer)
    editable = policy.meeting_notes_editable(current_user, procurement)
    if form is None and editable:
        form = MeetingNoteForm(body=note.body if note else "")
    return render_template(
        "scoring/meeting.html",
        procurement=procurement,
        offer=offer,
        result=order[position],
        position=position + 1,
        count=len(order),
        previous=order[position - 1] if position > 0 else None,
        next=order[position + 1] if position + 1 < len(order) else None,
        comments=services.comments_on(offer),
        note=note,
        form=form,
        editable=editable,
    ), status


@bp.get("/commissie/<int:procurement_id>/overleg/<pseudonym>")
@rule("member_or_moderator")
def meeting(procurement_id: int, pseudonym: str):
    return _render_meeting(_deliberation_target(procurement_id), pseudonym)


@bp.post("/commissie/<int:procurement_id>/overleg/<pseudonym>")
@rule("moderator")
def meeting_note(procurement_id: int, pseudonym: str):
    procurement = _deliberation_target(procurement_id)
    offer = services.released_offer(procurement, pseudonym)
    if offer is None:
        abort(404)
    form = MeetingNoteForm()
    if form.validate_on_submit():
        try:
            services.save_note(
                actor=current_user, procurement=procurement, offer=offer, body=form.body.data or ""
            )
            db.session.commit()
            flash(_("De aantekeningen zijn opgeslagen."))
            return redirect(url_for("scoring.meeting", procurement_id=procurement_id, pseudonym=pseudonym))
        except services.ScoringError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_meeting(procurement, pseudonym, form, 422)
