"""The committee's work: declaring, saving and submitting scores, the tally and the meeting.

Flushes, never commits; audits every decision-relevant step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from committee.audit import services as audit
from committee.extensions import db
from committee.offers.models import Offer, OfferStatus, Organisation
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.scoring import tally as tally_rules
from committee.scoring.models import (
    SCALE,
    Declaration,
    DeclaredConnection,
    MeetingNote,
    Reopening,
    Score,
    needs_reason,
)
from committee.timeutil import utcnow

MIN_REASON = 5  # characters: "een reden" is more than a shrug


class ScoringError(Exception):
    """The step cannot be done as asked; the message is for the user, in plain Dutch."""


# -- the offers -------------------------------------------------------------------------------


def _released(procurement_id: int) -> tuple:
    """Which offers the committee reads: submitted, and given a pseudonym on release."""
    return (
        Offer.procurement_id == procurement_id,
        Offer.status == OfferStatus.SUBMITTED,
        Offer.pseudonym.is_not(None),
    )


def released_offers(procurement) -> list[Offer]:
    return db.session.scalars(
        sa.select(Offer)
        .where(*_released(procurement.id))
        .order_by(sa.func.length(Offer.pseudonym), Offer.pseudonym)
    ).all()


def released_offer(procurement, pseudonym: str) -> Offer | None:
    return db.session.scalar(sa.select(Offer).where(*_released(procurement.id), Offer.pseudonym == pseudonym))


def offers_for(member: CommitteeMember) -> list[Offer]:
    """The offers this member reads and scores: released ones, minus those recused from."""
    recused = policy.recused_organisations(member)
    return [o for o in released_offers(member.procurement) if o.organisation_id not in recused]


# -- before reading: house rules and declared connections -------------------------------------


def declarable_organisations(procurement) -> list[Organisation]:
    """The organisations behind the released offers, by name, so the order says nothing about
    which pseudonym is whose."""
    ids = [o.organisation_id for o in released_offers(procurement)]
    if not ids:
        return []
    return db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
    ).all()


def declare(
    *, member: CommitteeMember, accepts_house_rules: bool, organisation_ids: list[int], note: str = ""
) -> Declaration:
    """The member accepts the house rules and declares connections (possibly none).

    They may change it until the moderator has confirmed it.
    """
    procurement = member.procurement
    if not policy.declaration_open(procurement):
        raise ScoringError(_("U kunt nu geen verklaring afleggen."))
    if not accepts_house_rules:
        raise ScoringError(_("U kunt pas lezen als u belooft zich aan de spelregels te houden."))
    allowed = {o.id for o in declarable_organisations(procurement)}
    if not set(organisation_ids) <= allowed:
        raise ScoringError(_("Kies alleen organisaties uit de lijst."))
    declaration = policy.declaration_of(member)
    if declaration is not None and declaration.confirmed_at is not None:
        raise ScoringError(
            _("Uw verklaring is al bevestigd. Wilt u iets aanvullen? Neem contact op met de gemeente.")
        )
    if declaration is None:
        declaration = Declaration(member_id=member.id)
        db.session.add(declaration)
    declaration.house_rules_accepted_at = declaration.declared_at = utcnow()
    declaration.note = note.strip()
    declaration.connections.clear()
    db.session.flush()
    for organisation_id in sorted(set(organisation_ids)):
        declaration.connections.append(
            DeclaredConnection(member_id=member.id, organisation_id=organisation_id)
        )
    db.session.flush()
    audit.record(
        "declaration.submit",
        actor=member.user,
        obj=declaration,
        procurement_id=procurement.id,
        details={"member": member.id, "connections": len(organisation_ids)},
    )
    return declaration


def declarations_of(procurement) -> dict[int, Declaration]:
    """member id -> declaration, for the moderator's overview."""
    rows = db.session.scalars(
        sa.select(Declaration)
        .join(CommitteeMember, CommitteeMember.id == Declaration.member_id)
        .where(CommitteeMember.procurement_id == procurement.id)
    )
    return {d.member_id: d for d in rows}


def confirm_declaration(*, actor, member: CommitteeMember) -> Declaration:
    """The moderator confirms; from now on the member reads, recused from declared offers."""
    procurement = member.procurement
    declaration = policy.declaration_of(member)
    if declaration is None:
        raise ScoringError(_("Dit lid heeft nog geen verklaring afgelegd."))
    if declaration.confirmed_at is not None:
        return declaration
    declaration.confirmed_at = utcnow()
    declaration.confirmed_by_id = actor.id
    db.session.flush()
    recused = sorted(o.pseudonym for o in released_offers(procurement) if policy.recused(member, o))
    audit.record(
        "declaration.confirm",
        actor=actor,
        obj=declaration,
        procurement_id=procurement.id,
        details={"member": member.id, "recused_from": recused},
    )
    return declaration


# -- scores -----------------------------------------------------------------------------------


def scores_of(member: CommitteeMember, offer: Offer) -> dict[int, Score]:
    rows = db.session.scalars(
        sa.select(Score).where(Score.member_id == member.id, Score.offer_id == offer.id)
    )
    return {score.criterion_id: score for score in rows}


def _check_may_score(member: CommitteeMember, offer: Offer) -> None:
    procurement = member.procurement
    if not policy.scoring_open(procurement):
        raise ScoringError(_("Het beoordelen is gesloten."))
    if member.submitted_at is not None:
        raise ScoringError(_("U heeft uw scores al ingediend. Ze liggen vast."))
    if offer.procurement_id != procurement.id:
        raise ScoringError(_("Dit aanbod hoort niet bij deze aanbesteding."))
    if not policy.may_open_offer(member, offer):
        raise ScoringError(_("U beoordeelt dit aanbod niet."))


def _check_criteria(member: CommitteeMember, criterion_ids) -> None:
    if not set(criterion_ids) <= {c.id for c in member.procurement.criteria}:
        raise ScoringError(_("Dit criterium hoort niet bij deze aanbesteding."))


def _write_scores(member: CommitteeMember, offer: Offer, writes: dict[int, tuple[int, str]]) -> None:
    """Insert or update these scores in one statement (INSERT ... ON CONFLICT DO UPDATE on the
    unique member/offer/criterion key): a double tap, a retry or a second device saving at the
    same moment leaves one row per criterion, without a second round trip to find out which."""
    if not writes:
        return
    for value, _comment in writes.values():
        if value not in SCALE:
            raise ScoringError(_("Kies een score van 1 tot en met 5."))
    dialect = db.session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    now = utcnow()
    statement = insert(Score.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["member_id", "offer_id", "criterion_id"],
        set_={
            "value": statement.excluded.value,
            "comment": statement.excluded.comment,
            "updated_at": statement.excluded.updated_at,
        },
    )
    # One statement with a row per criterion (executemany): its compiled form is cached.
    db.session.execute(
        statement,
        [
            {
                "member_id": member.id,
                "offer_id": offer.id,
                "criterion_id": criterion_id,
                "value": value,
                "comment": comment,
                "updated_at": now,
            }
            for criterion_id, (value, comment) in sorted(writes.items())
        ],
    )
    # Score objects this session already holds for these rows are now out of date.
    # (Read from each object's loaded state: touching an expired attribute would query.)
    for score in list(db.session.identity_map.values()):
        state = sa.inspect(score).dict
        if isinstance(score, Score) and (state.get("member_id"), state.get("offer_id")) == (
            member.id,
            offer.id,
        ):
            db.session.expire(score)


def save_score(
    *, member: CommitteeMember, offer: Offer, criterion_id: int, value: int, comment: str = ""
) -> Score:
    """Create or update the one score of this member for this offer and criterion.

    Saving the same thing twice (a double tap, a retry, a second device) leaves one row.
    An extreme score (1 or 5) is saved without a reason too, so that no tap is lost, but the
    offer does not count as scored until the reason is there (``incomplete``).
    """
    _check_may_score(member, offer)
    _check_criteria(member, [criterion_id])
    _write_scores(member, offer, {criterion_id: (value, comment)})
    return scores_of(member, offer)[criterion_id]


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)  # criterion ids
    reasons_missing: list[int] = field(default_factory=list)  # extreme score, no reason yet
    comment_without_score: list[int] = field(default_factory=list)  # not saved: no score


def save_scores(
    *, member: CommitteeMember, offer: Offer, answers: dict[int, tuple[int | None, str]]
) -> SaveResult:
    """Save the member's answers for one offer: criterion id -> (score or None, comment).

    A comment without a score cannot be stored (a score row needs its value); it is reported
    back so the page can ask for the score and keep the text. Answers equal to what is stored
    are not written again. Every tap on the phone comes here, so it asks the database little:
    one permission check, the member's scores for this offer, and one write.
    """
    _check_may_score(member, offer)
    _check_criteria(member, answers)
    stored = {c: (s.value, s.comment) for c, s in scores_of(member, offer).items()}
    result = SaveResult()
    writes: dict[int, tuple[int, str]] = {}
    for criterion_id, (value, comment) in answers.items():
        comment = (comment or "").strip()
        current = stored.get(criterion_id)
        if value is None:
            if not comment or (current is not None and current[1] == comment):
                continue
            if current is None:
                result.comment_without_score.append(criterion_id)
                continue
            value = current[0]
        if current != (value, comment):
            writes[criterion_id] = (value, comment)
        result.saved.append(criterion_id)
    _write_scores(member, offer, writes)
    after = stored | writes
    result.reasons_missing = [c for c in sorted(after) if needs_reason(*after[c])]
    return result


def incomplete(member: CommitteeMember, offer: Offer) -> bool:
    """Not every criterion has a score yet, or an extreme score still lacks its reason."""
    scores = scores_of(member, offer)
    criteria = {c.id for c in member.procurement.criteria}
    return not criteria <= scores.keys() or any(s.needs_reason for s in scores.values())


def progress(member: CommitteeMember, offers: list[Offer] | None = None) -> tuple[int, int]:
    """(offers fully scored, offers to score) for this member; extreme scores need a reason.

    Without ``offers`` (after each save) only the offers' ids are read, not the offers."""
    ids = [o.id for o in offers] if offers is not None else _offer_ids_for(member)
    return len(_complete(member, ids)), len(ids)


def _offer_ids_for(member: CommitteeMember) -> list[int]:
    """The ids of ``offers_for(member)``, in one query."""
    return db.session.scalars(
        sa.select(Offer.id).where(
            *_released(member.procurement_id),
            Offer.organisation_id.not_in(policy.connected_organisations(member)),
        )
    ).all()


def complete_offers(member: CommitteeMember, offers: list[Offer]) -> set[int]:
    """The ids of the offers this member has fully scored (``not incomplete``), in one query."""
    return _complete(member, [o.id for o in offers])


def _complete(member: CommitteeMember, offer_ids: list[int]) -> set[int]:
    if not offer_ids:
        return set()
    criteria = {c.id for c in member.procurement.criteria}
    rows = db.session.execute(
        sa.select(Score.offer_id, Score.criterion_id, Score.value, Score.comment).where(
            Score.member_id == member.id, Score.offer_id.in_(offer_ids)
        )
    ).all()
    scored: dict[int, set[int]] = {}
    lacking: set[int] = set()
    for offer_id, criterion_id, value, comment in rows:
        scored.setdefault(offer_id, set()).add(criterion_id)
        if needs_reason(value, comment):
            lacking.add(offer_id)
    return {i for i in offer_ids if criteria <= scored.get(i, set()) and i not in lacking}


def submit_scores(*, member: CommitteeMember) -> None:
    """Lock the member's scores; refused until every offer they score is complete."""
    procurement = member.procurement
    if not policy.scoring_open(procurement):
        raise ScoringError(_("Het beoordelen is gesloten."))
    if member.submitted_at is not None:
        return
    if not policy.may_read_offers(member):
        raise ScoringError(_("Leg eerst uw verklaring af."))
    done, total = progress(member, offers_for(member))
    if done < total:
        raise ScoringError(
            _(
                "U heeft %(done)d van %(total)d aanbiedingen helemaal beoordeeld. Maak eerst alles af.",
                done=done,
                total=total,
            )
        )
    member.submitted_at = utcnow()
    db.session.flush()
    audit.record("scores.submit", actor=member.user, obj=member, procurement_id=procurement.id)


def reopen_scores(*, actor, member: CommitteeMember, reason: str) -> Reopening:
    """Unlock a member's submitted scores, only while scoring is open and only with a reason."""
    procurement = member.procurement
    if not policy.scores_reopenable(procurement):
        raise ScoringError(_("Scores kunnen alleen worden heropend zolang het beoordelen open is."))
    if member.submitted_at is None:
        raise ScoringError(_("Dit lid heeft de scores nog niet ingediend."))
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ScoringError(_("Schrijf op waarom u de scores heropent."))
    reopening = Reopening(member_id=member.id, reason=reason, reopened_by_id=actor.id)
    db.session.add(reopening)
    member.submitted_at = None
    db.session.flush()
    # The reason stays in its own row (erasable); the chain records that and by whom.
    audit.record(
        "scores.reopen",
        actor=actor,
        obj=reopening,
        procurement_id=procurement.id,
        details={"member": member.id},
    )
    return reopening


def latest_reopening(member: CommitteeMember) -> Reopening | None:
    return db.session.scalar(
        sa.select(Reopening).where(Reopening.member_id == member.id).order_by(Reopening.id.desc()).limit(1)
    )


# -- tally and meeting ------------------------------------------------------------------------


def _rows(procurement) -> list[tally_rules.ScoreRow]:
    """The scores that count: those of members who submitted them."""
    rows = db.session.execute(
        sa.select(Score.member_id, Offer.pseudonym, Score.criterion_id, Score.value)
        .join(Offer, Offer.id == Score.offer_id)
        .join(CommitteeMember, CommitteeMember.id == Score.member_id)
        .where(Offer.procurement_id == procurement.id, CommitteeMember.submitted_at.is_not(None))
    ).all()
    return [tally_rules.ScoreRow(m, o, c, v) for m, o, c, v in rows]


def _weights(procurement) -> dict[int, int]:
    return {c.id: c.weight for c in procurement.criteria}


def tally(procurement) -> list[tally_rules.OfferResult]:
    """The tally of submitted scores; callers must check ``policy.scores_visible`` first."""
    return tally_rules.tally(_rows(procurement), _weights(procurement))


def robustness(procurement) -> tally_rules.Robustness:
    return tally_rules.leave_one_out(_rows(procurement), _weights(procurement))


def hidden_offers(user, procurement) -> set[str]:
    """Pseudonyms whose scores this user may not see: a member's recused offers."""
    member = policy.membership(user, procurement)
    if member is None:
        return set()
    return {o.pseudonym for o in released_offers(procurement) if policy.recused(member, o)}


def tally_for(user, procurement) -> list[tally_rules.OfferResult]:
    """The tally as this user may see it: a recused member does not see that offer's scores."""
    hidden = hidden_offers(user, procurement)
    return [r for r in tally(procurement) if r.offer not in hidden]


def discussion_order(user, procurement) -> list[tally_rules.OfferResult]:
    return tally_rules.discussion_order(tally_for(user, procurement))


def comments_on(offer: Offer) -> dict[int, list[tuple[int, str]]]:
    """criterion id -> (score, comment) of submitted members, without names, sorted by score."""
    rows = db.session.execute(
        sa.select(Score.criterion_id, Score.value, Score.comment)
        .join(CommitteeMember, CommitteeMember.id == Score.member_id)
        .where(Score.offer_id == offer.id, CommitteeMember.submitted_at.is_not(None), Score.comment != "")
        .order_by(Score.criterion_id, Score.value, Score.comment)
    ).all()
    comments: dict[int, list[tuple[int, str]]] = {}
    for criterion_id, value, comment in rows:
        comments.setdefault(criterion_id, []).append((value, comment))
    return comments


def note_of(offer: Offer) -> MeetingNote | None:
    return db.session.scalar(sa.select(MeetingNote).where(MeetingNote.offer_id == offer.id))


def save_note(*, actor, procurement, offer: Offer, body: str) -> MeetingNote:
    """The moderator writes down what the meeting said about this offer."""
    if not policy.meeting_notes_editable(actor, procurement):
        raise ScoringError(_("De aantekeningen kunnen nu niet worden gewijzigd."))
    if offer.procurement_id != procurement.id:
        raise ScoringError(_("Dit aanbod hoort niet bij deze aanbesteding."))
    note = note_of(offer) or MeetingNote(offer_id=offer.id)
    note.body = body.strip()
    note.updated_by_id = actor.id
    db.session.add(note)
    db.session.flush()
    audit.record(
        "meeting.note",
        actor=actor,
        obj=note,
        procurement_id=procurement.id,
        details={"offer": offer.pseudonym},
    )
    return note
