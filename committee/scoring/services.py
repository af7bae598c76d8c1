"""The committee's work: declaring, saving and submitting scores, the tally and the meeting.

Flushes, never commits; audits every decision-relevant step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from committee import sqljson
from committee.audit import services as audit
from committee.extensions import db
from committee.offers import services as offer_services
from committee.offers.models import Offer, OfferName, OfferStatus
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.procurement.phases import Phase
from committee.scoring import tally as tally_rules
from committee.scoring.models import (
    SCALE,
    Declaration,
    DeclaredName,
    MeetingNote,
    Reopening,
    Score,
    needs_reason,
    needs_reason_sql,
)
from committee.timeutil import utcnow

MIN_REASON = 5  # characters: "een reden" is more than a shrug


class ScoringError(Exception):
    """The step cannot be done as asked; the message is for the user, in plain Dutch."""


class BriefingUnread(ScoringError):
    """A score save before the member confirmed the briefing."""


# -- the offers -------------------------------------------------------------------------------


def _released(procurement_id) -> tuple:
    """Which offers the committee reads: submitted, and given a pseudonym on release.
    ``procurement_id`` is a number, a column or a bound parameter."""
    return (
        Offer.procurement_id == procurement_id,
        Offer.status == OfferStatus.SUBMITTED,
        Offer.pseudonym.is_not(None),
    )


def released_offers(procurement, *, with_organisations: bool = False) -> list[Offer]:
    """The released offers in label order; ``with_organisations`` loads who made them in one more
    query, for pages that show the names (the public page once they are revealed)."""
    query = (
        sa.select(Offer)
        .where(*_released(procurement.id))
        .order_by(sa.func.length(Offer.pseudonym), Offer.pseudonym)
    )
    if with_organisations:
        query = query.options(selectinload(Offer.organisation))
    return db.session.scalars(query).all()


def released_offer(procurement, pseudonym: str) -> Offer | None:
    return db.session.scalar(sa.select(Offer).where(*_released(procurement.id), Offer.pseudonym == pseudonym))


@dataclass(frozen=True)
class ShownScore:
    """A member's stored score of one criterion, as their scoring page shows it."""

    value: int
    comment: str

    @property
    def needs_reason(self) -> bool:
        return needs_reason(self.value, self.comment)


@dataclass(frozen=True)
class OpenedOffer:
    """An offer a member may open, with what their scoring page shows of it besides: their
    scores of it (by criterion) and its annexes' rows (``offers.services.member_annexes``)."""

    offer: Offer
    scores: dict[int, ShownScore]
    annex_rows: list


def openable_offer(member: CommitteeMember, pseudonym: str) -> OpenedOffer | None:
    """The released offer with this pseudonym if ``policy.may_open_offer`` lets this member open
    it, else None. One query reads the offer, the permission, the member's scores of it and its
    annexes (the scoring page asks this on every visit; each statement is a round trip)."""
    if not policy.offers_released(member.procurement):
        return None
    row = db.session.execute(
        _openable_offer_query(),
        {"member_id": member.id, "procurement_id": member.procurement_id, "pseudonym": pseudonym},
    ).first()
    if row is None or not row[1]:
        return None
    offer, _may_open, scores, annex_rows = row
    return OpenedOffer(
        offer=offer,
        scores={
            criterion_id: ShownScore(value=value, comment=comment)
            for criterion_id, value, comment in sqljson.decoded(scores)
        },
        annex_rows=sqljson.decoded(annex_rows),
    )


@functools.cache
def _openable_offer_query() -> sa.Select:
    """Built once per process; only the parameters change."""
    member_id = sa.bindparam("member_id")
    scores = (
        sa.select(sqljson.rows(Score.criterion_id, Score.value, Score.comment))
        .where(Score.member_id == member_id, Score.offer_id == Offer.id)
        .scalar_subquery()
    )
    return (
        sa.select(
            Offer, policy.opens_offer(member_id, Offer.id), scores, offer_services.member_annex_rows(Offer.id)
        )
        .options(sa.orm.joinedload(Offer.review))  # the page reads the approved text
        .where(*_released(sa.bindparam("procurement_id")), Offer.pseudonym == sa.bindparam("pseudonym"))
    )


def offers_for(member: CommitteeMember) -> list[Offer]:
    """The offers this member reads and scores: released ones, minus those recused from."""
    recused = policy.recused_offers(member)
    return [o for o in released_offers(member.procurement) if o.id not in recused]


# -- before reading: house rules and declared connections -------------------------------------


def _released_names(procurement_id):
    return sa.select(OfferName).join(Offer, Offer.id == OfferName.offer_id).where(*_released(procurement_id))


def declarable_names(procurement) -> list[OfferName]:
    """Every name the bidders of the released offers went by when offers closed (organisations,
    coalition partners, other names), each name once, by name: the list says nothing about which
    pseudonym is whose, nor which names belong together."""
    rows = db.session.scalars(_released_names(procurement.id).order_by(OfferName.folded, OfferName.id)).all()
    first = {}
    for row in rows:
        first.setdefault(row.folded, row)
    return list(first.values())


def declare(
    *, member: CommitteeMember, accepts_house_rules: bool, name_ids: list[int], note: str = ""
) -> Declaration:
    """The member accepts the house rules and declares connections (possibly none): names from
    ``declarable_names``. A name stands for every released offer whose bidder went by it.

    They may change it until the moderator has confirmed it.
    """
    procurement = member.procurement
    if not policy.declaration_open(procurement):
        raise ScoringError(_("U kunt nu geen verklaring afleggen."))
    if not accepts_house_rules:
        raise ScoringError(_("U kunt pas lezen als u belooft zich aan de spelregels te houden."))
    choices = {n.id: n.folded for n in declarable_names(procurement)}
    if not set(name_ids) <= choices.keys():
        raise ScoringError(_("Kies alleen namen uit de lijst."))
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
    keys = {choices[i] for i in name_ids}
    named = (
        db.session.scalars(
            _released_names(procurement.id).where(OfferName.folded.in_(keys)).order_by(OfferName.id)
        )
        if keys
        else []
    )
    for offer_name in named:
        declaration.connections.append(DeclaredName(member_id=member.id, offer_name=offer_name))
    db.session.flush()
    audit.record(
        "declaration.submit",
        actor=member.user,
        obj=declaration,
        procurement_id=procurement.id,
        details={"member": member.id, "connections": len(keys)},
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


# -- before the first score: the briefing and reading guide ----------------------------------


def briefing_read(member: CommitteeMember) -> bool:
    return member.briefing_read_at is not None


def confirm_briefing(*, member: CommitteeMember) -> None:
    """The member read the briefing and reading guide and says so ("gelezen"). Once is enough:
    a second confirmation keeps the first time. Scores are saved only after this."""
    if member.briefing_read_at is not None:
        return
    member.briefing_read_at = utcnow()
    db.session.flush()
    audit.record(
        "briefing.read",
        actor=member.user,
        obj=member,
        procurement_id=member.procurement_id,
        details={"member": member.id},
    )


# -- scores -----------------------------------------------------------------------------------
#
# Every tap on a phone during scoring is a save, so the save path asks the database little and
# builds its statements once per process: one query reads the whole score sheet (the seat, the
# offer, the permission, the criteria and the stored scores), one statement writes, and after the
# commit one query counts the progress. The rules stay where they are decided: the permission is
# ``policy.opens_offer`` nested in the query, "released" is ``_released``, the reason rule is
# ``needs_reason``.


def scores_of(member: CommitteeMember, offer: Offer) -> dict[int, Score]:
    rows = db.session.scalars(_scores_query(), {"member_id": member.id, "offer_id": offer.id})
    return {score.criterion_id: score for score in rows}


@functools.cache
def _scores_query() -> sa.Select:
    return sa.select(Score).where(
        Score.member_id == sa.bindparam("member_id"), Score.offer_id == sa.bindparam("offer_id")
    )


@dataclass(frozen=True)
class ScoreSheet:
    """What a score save needs to know about one member and one offer, read in one query."""

    member_id: int
    procurement_id: int
    offer_id: int
    phase: Phase  # of the procurement: the policy's phase rules take anything with a phase
    ended_as: object  # of the procurement, and so its ``policy.ended`` (None while it runs)
    submitted: bool
    briefed: bool  # the member confirmed the briefing and reading guide (``confirm_briefing``)
    votes: bool  # ``policy.has_vote``: an adviser without a vote never scores
    opens: bool  # policy.opens_offer: declaration confirmed, no connection declared
    criteria: dict[int, str]  # id -> name, in the procurement's order
    stored: dict[int, tuple[int, str]]  # criterion id -> (value, comment) saved so far

    @property
    def may_open(self) -> bool:
        """``policy.may_open_offer``. (The policy's phase rules read ``.phase``.)"""
        return policy.offers_released(self) and self.opens


@functools.cache
def _sheet_query(by: str) -> sa.Select:
    """The score sheet of ``:user_id`` on ``:procurement_id`` for the released offer with
    ``:pseudonym`` (``by="pseudonym"``) or ``:offer_id``: a row per criterion, none when the user
    has no seat there or there is no such offer. Built once; only the parameters change."""
    from committee.procurement.models import Criterion, Procurement

    member, procurement = CommitteeMember, Procurement
    offer_match = (
        Offer.pseudonym == sa.bindparam("pseudonym")
        if by == "pseudonym"
        else Offer.id == sa.bindparam("offer_id")
    )
    return (
        sa.select(
            member.id,
            member.submitted_at,
            member.briefing_read_at,
            member.kind,
            procurement.phase,
            procurement.ended_as,
            Offer.id,
            policy.opens_offer(member.id, Offer.id),
            Criterion.id,
            Criterion.name,
            Score.value,
            Score.comment,
        )
        .join(procurement, procurement.id == member.procurement_id)
        .join(Offer, sa.and_(*_released(procurement.id), offer_match))
        .outerjoin(Criterion, Criterion.procurement_id == procurement.id)
        .outerjoin(
            Score,
            (Score.member_id == member.id)
            & (Score.offer_id == Offer.id)
            & (Score.criterion_id == Criterion.id),
        )
        .where(
            member.user_id == sa.bindparam("user_id"), member.procurement_id == sa.bindparam("procurement_id")
        )
        .order_by(Criterion.position)
    )


def score_sheet(
    *, user_id: int, procurement_id: int, pseudonym: str | None = None, offer_id: int | None = None
):
    """The ``ScoreSheet`` of this user for this offer (by pseudonym or id), or None when the user
    has no seat on this committee or the procurement has no such released offer."""
    by = "pseudonym" if offer_id is None else "offer_id"
    params = {
        "user_id": user_id,
        "procurement_id": procurement_id,
        by: pseudonym if offer_id is None else offer_id,
    }
    db.session.flush()  # the query below goes straight to the connection, past the autoflush
    rows = db.session.connection().execute(_sheet_query(by), params).all()
    if not rows:
        return None
    member_id, submitted_at, briefing_read_at, kind, phase, ended_as, found_offer_id, opens = rows[0][:8]
    criteria, stored = {}, {}
    for *_seat, criterion_id, name, value, comment in rows:
        if criterion_id is not None:
            criteria[criterion_id] = name
            if value is not None:
                stored[criterion_id] = (value, comment)
    return ScoreSheet(
        member_id=member_id,
        procurement_id=procurement_id,
        offer_id=found_offer_id,
        phase=Phase(phase),
        ended_as=ended_as,
        submitted=submitted_at is not None,
        briefed=briefing_read_at is not None,
        votes=policy.has_vote(SimpleNamespace(kind=kind)),
        opens=bool(opens),
        criteria=criteria,
        stored=stored,
    )


def _sheet_for(member: CommitteeMember, offer: Offer) -> ScoreSheet:
    if offer.procurement_id != member.procurement_id:
        raise ScoringError(_("Dit aanbod hoort niet bij deze aanbesteding."))
    sheet = score_sheet(user_id=member.user_id, procurement_id=member.procurement_id, offer_id=offer.id)
    if sheet is None:
        raise ScoringError(_("U beoordeelt dit aanbod niet."))
    return sheet


def _check_may_score(sheet: ScoreSheet) -> None:
    if not sheet.votes:
        raise ScoringError(_("U bent adviseur zonder stem: u leest en geeft advies, maar geeft geen scores."))
    if not policy.scoring_open(sheet):
        # A presentation round starts only after scoring closed (phases never go back), so the
        # freeze is asked only on a refusal, for its message: no cost per tap.
        if policy.paper_scores_frozen(sheet.procurement_id):
            raise ScoringError(
                _("De scores van de papieren ronde liggen vast: de presentatieronde is begonnen.")
            )
        raise ScoringError(_("Het beoordelen is gesloten."))
    if sheet.submitted:
        raise ScoringError(_("U heeft uw scores al ingediend. Ze liggen vast."))
    if not sheet.may_open:
        raise ScoringError(_("U beoordeelt dit aanbod niet."))
    if not sheet.briefed:
        raise BriefingUnread(
            _(
                'Nog niet opgeslagen: lees eerst de uitleg voor het beoordelen en kies "Gelezen". '
                "Wat u invulde, staat hieronder nog."
            )
        )


@functools.cache
def _upsert(dialect: str) -> sa.Insert:
    """INSERT ... ON CONFLICT DO UPDATE on the unique member/offer/criterion key, built once."""
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    statement = insert(Score.__table__)
    return statement.on_conflict_do_update(
        index_elements=["member_id", "offer_id", "criterion_id"],
        set_={
            "value": statement.excluded.value,
            "comment": statement.excluded.comment,
            "updated_at": statement.excluded.updated_at,
        },
    )


def _write_scores(sheet: ScoreSheet, writes: dict[int, tuple[int, str]]) -> None:
    """Insert or update these scores in one statement: a double tap, a retry or a second device
    saving at the same moment leaves one row per criterion, without a second round trip to find
    out which."""
    if not writes:
        return
    for value, _comment in writes.values():
        if value not in SCALE:
            raise ScoringError(_("Kies een score van 1 tot en met 5."))
    connection = db.session.connection()
    now = utcnow()
    # One statement with a row per criterion (executemany).
    connection.execute(
        _upsert(connection.dialect.name),
        [
            {
                "member_id": sheet.member_id,
                "offer_id": sheet.offer_id,
                "criterion_id": criterion_id,
                "value": value,
                "comment": comment.strip(),  # needs_reason_sql counts on it
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
            sheet.member_id,
            sheet.offer_id,
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
    sheet = _sheet_for(member, offer)
    _check_may_score(sheet)
    if criterion_id not in sheet.criteria:
        raise ScoringError(_("Dit criterium hoort niet bij deze aanbesteding."))
    _write_scores(sheet, {criterion_id: (value, comment)})
    return scores_of(member, offer)[criterion_id]


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)  # criterion ids
    reasons_missing: list[int] = field(default_factory=list)  # extreme score, no reason yet
    comment_without_score: list[int] = field(default_factory=list)  # not saved: no score
    # Whether the offer counts as scored (``not incomplete``) before and after this save: when
    # both are the same, the member's progress did not change and need not be counted again.
    was_complete: bool = False
    complete: bool = False


def _complete_sheet(criteria, scores: dict[int, tuple[int, str]]) -> bool:
    """``not incomplete`` for the scores of one sheet: every criterion scored, no extreme score
    without its reason (the rule the progress query counts with, ``_complete``)."""
    return criteria <= scores.keys() and not any(needs_reason(*scores[c]) for c in criteria)


def save_scores(
    *, member: CommitteeMember, offer: Offer, answers: dict[int, tuple[int | None, str]]
) -> SaveResult:
    """``save_answers`` for this member's score sheet of this offer."""
    return save_answers(_sheet_for(member, offer), answers)


def save_answers(sheet: ScoreSheet, answers: dict[int, tuple[int | None, str]]) -> SaveResult:
    """Save the member's answers for one offer: criterion id -> (score or None, comment).

    A comment without a score cannot be stored (a score row needs its value); it is reported
    back so the page can ask for the score and keep the text. Answers equal to what is stored
    are not written again.
    """
    _check_may_score(sheet)
    if not set(answers) <= sheet.criteria.keys():
        raise ScoringError(_("Dit criterium hoort niet bij deze aanbesteding."))
    stored = sheet.stored
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
    _write_scores(sheet, writes)
    after = stored | writes
    result.reasons_missing = [c for c in sorted(after) if needs_reason(*after[c])]
    result.was_complete = _complete_sheet(sheet.criteria.keys(), stored)
    result.complete = _complete_sheet(sheet.criteria.keys(), after)
    return result


def incomplete(member: CommitteeMember, offer: Offer) -> bool:
    """Not every criterion has a score yet, or an extreme score still lacks its reason."""
    scores = scores_of(member, offer)
    criteria = {c.id for c in member.procurement.criteria}
    return not criteria <= scores.keys() or any(s.needs_reason for s in scores.values())


def progress(member: CommitteeMember, offers: list[Offer] | None = None) -> tuple[int, int]:
    """(offers fully scored, offers to score) for this member; extreme scores need a reason."""
    if offers is None:
        return _progress(member.id, member.procurement_id, len(member.procurement.criteria))
    return len(complete_offers(member, offers)), len(offers)


def sheet_progress(sheet: ScoreSheet) -> tuple[int, int]:
    """``progress`` of the member whose score sheet this is, in one query."""
    return _progress(sheet.member_id, sheet.procurement_id, len(sheet.criteria))


def _completion(member_id) -> sa.Subquery:
    """The offers ``member_id`` scores on ``:procurement_id`` (``id``, ``pseudonym``), each with
    ``complete``: its scores without a missing reason number ``:criteria``, one per criterion (the
    unique key allows no more). ``not incomplete`` as SQL, in one pass over the member's scores
    (a join and a count per offer, not a subquery run once for every offer)."""
    counted = sa.and_(
        Score.offer_id == Offer.id,
        Score.member_id == member_id,
        sa.not_(needs_reason_sql(Score.value, Score.comment)),
    )
    return (
        sa.select(
            Offer.id,
            Offer.pseudonym,
            (sa.func.count(Score.id) == sa.bindparam("criteria")).label("complete"),
        )
        .outerjoin(Score, counted)
        .where(*_scored_by(member_id))
        .group_by(Offer.id, Offer.pseudonym)
        .subquery("completion")
    )


def _scored_by(member_id) -> tuple:
    """The offers ``member_id`` scores on ``:procurement_id``: ``offers_for`` as SQL conditions."""
    return (*_released(sa.bindparam("procurement_id")), Offer.id.not_in(policy.connected_offers(member_id)))


@functools.cache
def _progress_query() -> sa.Select:
    """(offers ``:member_id`` scores on ``:procurement_id``, of which complete). One row,
    whatever the number of offers. Built once."""
    completion = _completion(sa.bindparam("member_id"))
    return sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((completion.c.complete, 1), else_=0)), 0)
    ).select_from(completion)


@dataclass(frozen=True)
class OfferLabel:
    """One of the offers a member scores, as the scoring page's pager and progress need it."""

    id: int
    pseudonym: str
    complete: bool


@functools.cache
def _labels_query() -> sa.Select:
    completion = _completion(sa.bindparam("member_id"))
    return sa.select(completion.c.id, completion.c.pseudonym, completion.c.complete).order_by(
        sa.func.length(completion.c.pseudonym), completion.c.pseudonym
    )


def offer_labels(member: CommitteeMember) -> list[OfferLabel]:
    """The offers this member scores (``offers_for``), in label order, each with whether it is
    complete as ``progress`` counts it: in one query, and without loading the offers."""
    db.session.flush()  # the query below goes straight to the connection, past the autoflush
    rows = db.session.connection().execute(
        _labels_query(),
        {
            "member_id": member.id,
            "procurement_id": member.procurement_id,
            "criteria": len(member.procurement.criteria),
        },
    )
    return [
        OfferLabel(id=offer_id, pseudonym=pseudonym, complete=bool(complete))
        for offer_id, pseudonym, complete in rows
    ]


def _progress(member_id: int, procurement_id: int, criteria: int) -> tuple[int, int]:
    db.session.flush()
    total, complete = (
        db.session.connection()
        .execute(
            _progress_query(),
            {"member_id": member_id, "procurement_id": procurement_id, "criteria": criteria},
        )
        .one()
    )
    return int(complete), total


def complete_offers(member: CommitteeMember, offers: list[Offer]) -> set[int]:
    """The ids of the offers this member has fully scored (``not incomplete``), in one query."""
    if not offers:
        return set()
    criteria = {c.id for c in member.procurement.criteria}
    offer_ids = [o.id for o in offers]
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
    if not policy.has_vote(member):
        raise ScoringError(_("U bent adviseur zonder stem: u geeft geen scores."))
    if not policy.may_read_offers(member):
        raise ScoringError(_("Leg eerst uw verklaring af."))
    done, total = progress(member)
    if done < total:
        raise ScoringError(
            _(
                "U heeft %(done)d van %(total)d aanbiedingen helemaal beoordeeld. Maak eerst alles af.",
                done=done,
                total=total,
            )
        )
    # One conditional UPDATE, not a read then a write: two submits at the same moment (a retry
    # while the first request is still running) must not both record "scores.submit".
    now = utcnow()
    locked = db.session.execute(
        sa.update(CommitteeMember)
        .where(CommitteeMember.id == member.id, CommitteeMember.submitted_at.is_(None))
        .values(submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        db.session.refresh(member)
        return  # the other request submitted; this one changes nothing
    set_committed_value(member, "submitted_at", now)
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
