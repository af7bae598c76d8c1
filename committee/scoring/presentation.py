"""The presentation round: after the blind paper round, the people who will do the work present.

The order of things is the promise (docs/scoring.md, "De presentatieronde"):

1. In the deliberation phase the moderator chooses the offers that present and sets what the
   committee may weigh in this round (``PresentationCriterion``), before the round starts.
2. Starting the round freezes the paper scores: a snapshot of every counted score (member,
   offer, criterion, value) is stored and its SHA-256 goes into the audit event
   ``presentation.start``. From then on the paper tally is read from the snapshot and the
   criteria, the offers and the snapshot cannot change.
3. Only then do the presenting offers' names appear to the committee
   (``policy.identity_revealed_to_committee``); the others stay anonymous until publication.
4. Members score the presentations; the moderator closes the round, and the presentation tally
   shows beside the paper tally, in the deliberation and in the published decision.

Flushes, never commits; audits every step.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.extensions import db
from committee.offers.models import Offer
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.scoring import services as scoring
from committee.scoring import tally as tally_rules
from committee.scoring.models import (
    SCALE,
    PaperScoreSnapshot,
    PresentationCriterion,
    PresentationRound,
    PresentationScore,
    PresentingOffer,
    Score,
)
from committee.timeutil import utcnow

MAX_CRITERIA = 5  # a short list: what the presentation adds, not the paper round again


class PresentationError(scoring.ScoringError):
    """The step cannot be done as asked; the message is for the user, in plain Dutch."""


# -- setting the round up ---------------------------------------------------------------------


def round_of(procurement) -> PresentationRound | None:
    return policy.presentation_round_of(procurement)


def _setup_round(procurement) -> PresentationRound:
    """The round being set up, made on first use; refused once started or outside deliberation."""
    presentation_round = round_of(procurement)
    if not policy.presentation_setup_open(procurement, presentation_round):
        if presentation_round is not None and presentation_round.started_at is not None:
            raise PresentationError(_("De presentatieronde is al begonnen. Dit ligt nu vast."))
        raise PresentationError(
            _("Een presentatieronde zet u op in de fase ‘Overleg commissie’, voordat het besluit valt.")
        )
    if presentation_round is None:
        presentation_round = PresentationRound(procurement_id=procurement.id)
        db.session.add(presentation_round)
        db.session.flush()
    return presentation_round


def paper_tally(procurement) -> list[tally_rules.OfferResult]:
    """The paper round's tally: from the frozen snapshot once the round started, else live."""
    return tally_rules.tally(_paper_rows(procurement), {c.id: c.weight for c in procurement.criteria})


def choose_offers(
    *, actor, procurement, offer_ids: list[int] | None = None, top: int | None = None
) -> list[Offer]:
    """Invite these released offers to present, or the ``top`` of the paper tally (offers tied
    with the last place come too: a tie is never broken)."""
    presentation_round = _setup_round(procurement)
    released = {o.id: o for o in scoring.released_offers(procurement)}
    if top is not None:
        if top < 1:
            raise PresentationError(_("Kies ten minste 1 aanbod."))
        results = paper_tally(procurement)
        by_label = {o.pseudonym: o.id for o in released.values()}
        last_rank = results[min(top, len(results)) - 1].rank if results else 0
        offer_ids = [by_label[r.offer] for r in results if r.rank <= last_rank]
    offer_ids = list(dict.fromkeys(offer_ids or []))
    if not offer_ids:
        raise PresentationError(_("Kies ten minste 1 aanbod."))
    if not set(offer_ids) <= released.keys():
        raise PresentationError(_("Kies alleen aanbiedingen uit de lijst."))
    presentation_round.presenting.clear()
    db.session.flush()
    for offer_id in sorted(offer_ids):
        presentation_round.presenting.append(PresentingOffer(offer_id=offer_id))
    db.session.flush()
    chosen = sorted((released[i] for i in offer_ids), key=lambda o: (len(o.pseudonym), o.pseudonym))
    audit.record(
        "presentation.offers",
        actor=actor,
        obj=presentation_round,
        procurement_id=procurement.id,
        details={"offers": [o.pseudonym for o in chosen]},
    )
    return chosen


def add_criterion(*, actor, procurement, name: str, scale: str = "") -> PresentationCriterion:
    """Add what the committee may weigh in the presentation round (before it starts)."""
    presentation_round = _setup_round(procurement)
    name, scale = name.strip(), scale.strip()
    if not name:
        raise PresentationError(_("Geef het criterium een naam."))
    if len(presentation_round.criteria) >= MAX_CRITERIA:
        raise PresentationError(_("Houd het kort: ten hoogste %(n)d criteria.", n=MAX_CRITERIA))
    if any(c.name.casefold() == name.casefold() for c in presentation_round.criteria):
        raise PresentationError(_("Er is al een criterium met deze naam."))
    position = max((c.position for c in presentation_round.criteria), default=0) + 1
    criterion = PresentationCriterion(name=name, scale=scale, position=position)
    presentation_round.criteria.append(criterion)
    db.session.flush()
    audit.record(
        "presentation.criterion_add",
        actor=actor,
        obj=criterion,
        procurement_id=procurement.id,
        details={"position": position},
    )
    return criterion


def remove_criterion(*, actor, procurement, criterion_id: int) -> None:
    presentation_round = _setup_round(procurement)
    criterion = next((c for c in presentation_round.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise PresentationError(_("Dit criterium hoort niet bij deze presentatieronde."))
    presentation_round.criteria.remove(criterion)
    db.session.flush()
    audit.record(
        "presentation.criterion_remove",
        actor=actor,
        obj=presentation_round,
        procurement_id=procurement.id,
        details={"criterion": criterion_id},
    )


# -- the freeze -------------------------------------------------------------------------------


def _live_paper_rows(procurement) -> list[tuple[int, int, int, int]]:
    """(member, offer, criterion, value) of every counted paper score: submitted members only."""
    rows = db.session.execute(
        sa.select(Score.member_id, Score.offer_id, Score.criterion_id, Score.value)
        .join(Offer, Offer.id == Score.offer_id)
        .join(CommitteeMember, CommitteeMember.id == Score.member_id)
        .where(Offer.procurement_id == procurement.id, CommitteeMember.submitted_at.is_not(None))
        .order_by(Score.member_id, Score.offer_id, Score.criterion_id)
    ).all()
    return [tuple(r) for r in rows]


def snapshot_hash(rows: list[tuple[int, int, int, int]]) -> str:
    """SHA-256 over the sorted (member, offer, criterion, value) rows as compact JSON: anyone with
    the rows recomputes it and compares it with the audit event."""
    canonical = json.dumps(sorted(list(r) for r in rows), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def criteria_hash(presentation_round) -> str:
    """SHA-256 over the criteria as set beforehand: [[position, name, scale], ...] as compact JSON."""
    canonical = json.dumps(
        [[c.position, c.name, c.scale] for c in presentation_round.criteria],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def start(*, actor, procurement) -> PresentationRound:
    """Freeze the paper scores and start the round: from now on the presenting offers' names
    are known to the committee. Refused without an offer or a criterion."""
    presentation_round = _setup_round(procurement)
    if not presentation_round.presenting:
        raise PresentationError(_("Kies eerst welke aanbiedingen komen presenteren."))
    if not presentation_round.criteria:
        raise PresentationError(_("Leg eerst vast wat de commissie in deze ronde mag wegen."))
    rows = _live_paper_rows(procurement)
    for member_id, offer_id, criterion_id, value in rows:
        db.session.add(
            PaperScoreSnapshot(
                round_id=presentation_round.id,
                member_id=member_id,
                offer_id=offer_id,
                criterion_id=criterion_id,
                value=value,
            )
        )
    presentation_round.snapshot_sha256 = snapshot_hash(rows)
    presentation_round.started_at = utcnow()
    presentation_round.started_by_id = actor.id
    db.session.flush()
    labels = {o.id: o.pseudonym for o in scoring.released_offers(procurement)}
    audit.record(
        "presentation.start",
        actor=actor,
        obj=presentation_round,
        procurement_id=procurement.id,
        details={
            "paper_scores": len(rows),
            "snapshot_sha256": presentation_round.snapshot_sha256,
            "offers": sorted(
                (labels[p.offer_id] for p in presentation_round.presenting), key=lambda s: (len(s), s)
            ),
            # The criteria are the moderator's free text: the chain holds their hash, not the words.
            "criteria": len(presentation_round.criteria),
            "criteria_sha256": criteria_hash(presentation_round),
        },
    )
    return presentation_round


def snapshot_rows(presentation_round) -> list[tuple[int, int, int, int]]:
    rows = db.session.execute(
        sa.select(
            PaperScoreSnapshot.member_id,
            PaperScoreSnapshot.offer_id,
            PaperScoreSnapshot.criterion_id,
            PaperScoreSnapshot.value,
        ).where(PaperScoreSnapshot.round_id == presentation_round.id)
    ).all()
    return [tuple(r) for r in rows]


def snapshot_intact(presentation_round) -> bool:
    """The stored snapshot still has the hash recorded when the round started."""
    return snapshot_hash(snapshot_rows(presentation_round)) == presentation_round.snapshot_sha256


def _paper_rows(procurement) -> list[tally_rules.ScoreRow]:
    presentation_round = round_of(procurement)
    if presentation_round is None or presentation_round.started_at is None:
        return scoring._rows(procurement)
    labels = {o.id: o.pseudonym for o in scoring.released_offers(procurement)}
    return [tally_rules.ScoreRow(m, labels[o], c, v) for m, o, c, v in snapshot_rows(presentation_round)]


def close(*, actor, procurement) -> PresentationRound:
    presentation_round = round_of(procurement)
    if not policy.presentation_scoring_open(procurement, presentation_round):
        raise PresentationError(_("De presentatieronde loopt nu niet."))
    presentation_round.closed_at = utcnow()
    db.session.flush()
    scored = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(PresentationScore.member_id))).where(
            PresentationScore.criterion_id.in_([c.id for c in presentation_round.criteria])
        )
    )
    audit.record(
        "presentation.close",
        actor=actor,
        obj=presentation_round,
        procurement_id=procurement.id,
        details={"members_scored": scored},
    )
    return presentation_round


# -- the member's part ------------------------------------------------------------------------


def presenting_offers(procurement, presentation_round=None) -> list[Offer]:
    """The offers that present, in label order; empty before the round starts."""
    presentation_round = presentation_round or round_of(procurement)
    ids = policy.presenting_offer_ids(presentation_round)
    return [o for o in scoring.released_offers(procurement, with_organisations=True) if o.id in ids]


def presenting_offers_for(member: CommitteeMember) -> list[Offer]:
    """The presenting offers this member scores: recused ones left out, as in the paper round."""
    recused = policy.recused_offers(member)
    return [o for o in presenting_offers(member.procurement) if o.id not in recused]


def presenting_offer_for(member: CommitteeMember, pseudonym: str) -> Offer | None:
    """The presenting offer, if this member may score it (declaration confirmed, not recused)."""
    offer = scoring.released_offer(member.procurement, pseudonym)
    if offer is None or offer.id not in policy.presenting_offer_ids(round_of(member.procurement)):
        return None
    if not policy.may_open_offer(member, offer):
        return None
    return offer


def scores_of(member: CommitteeMember, offer: Offer) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(PresentationScore.criterion_id, PresentationScore.value).where(
            PresentationScore.member_id == member.id, PresentationScore.offer_id == offer.id
        )
    ).all()
    return dict(rows)


def save_scores(*, member: CommitteeMember, offer: Offer, values: dict[int, int | None]) -> int:
    """Save the member's presentation scores for one offer (criterion id -> 1..5, or None to
    leave it); returns how many were written."""
    procurement = member.procurement
    presentation_round = round_of(procurement)
    if not policy.has_vote(member):
        raise PresentationError(
            _("U bent adviseur zonder stem: u leest en geeft advies, maar geeft geen scores.")
        )
    if not policy.presentation_scoring_open(procurement, presentation_round):
        raise PresentationError(_("Het beoordelen van de presentaties is gesloten."))
    if presenting_offer_for(member, offer.pseudonym or "") is None:
        raise PresentationError(_("U beoordeelt dit aanbod niet."))
    criteria = {c.id for c in presentation_round.criteria}
    if not set(values) <= criteria:
        raise PresentationError(_("Dit criterium hoort niet bij deze presentatieronde."))
    stored = {
        s.criterion_id: s
        for s in db.session.scalars(
            sa.select(PresentationScore).where(
                PresentationScore.member_id == member.id, PresentationScore.offer_id == offer.id
            )
        )
    }
    written = 0
    for criterion_id, value in sorted(values.items()):
        if value is None:
            continue
        if value not in SCALE:
            raise PresentationError(_("Kies een score van 1 tot en met 5."))
        score = stored.get(criterion_id)
        if score is None:
            db.session.add(
                PresentationScore(
                    member_id=member.id, offer_id=offer.id, criterion_id=criterion_id, value=value
                )
            )
        elif score.value != value:
            score.value = value
        else:
            continue
        written += 1
    db.session.flush()
    if written:
        audit.record(
            "presentation.score",
            actor=member.user,
            obj=member,
            procurement_id=procurement.id,
            details={"offer": offer.pseudonym, "criteria": written},
        )
    return written


# -- the result -------------------------------------------------------------------------------


@dataclass
class TwoRounds:
    """Both rounds as a page shows them."""

    presentation_round: PresentationRound | None
    paper: list[tally_rules.OfferResult]
    presentation: list[tally_rules.OfferResult]  # empty until the round is closed
    presenting: list[Offer]

    @property
    def started(self) -> bool:
        return self.presentation_round is not None and self.presentation_round.started_at is not None


def presentation_tally(procurement, presentation_round) -> list[tally_rules.OfferResult]:
    """The presentation tally: every criterion counts once, scores of recused members cannot exist."""
    if presentation_round is None:
        return []
    criteria = [c.id for c in presentation_round.criteria]
    labels = {o.id: o.pseudonym for o in scoring.released_offers(procurement)}
    rows = db.session.execute(
        sa.select(
            PresentationScore.member_id,
            PresentationScore.offer_id,
            PresentationScore.criterion_id,
            PresentationScore.value,
        ).where(PresentationScore.criterion_id.in_(criteria))
    ).all()
    return tally_rules.tally(
        [tally_rules.ScoreRow(m, labels[o], c, v) for m, o, c, v in rows], dict.fromkeys(criteria, 1)
    )


def two_rounds(user, procurement) -> TwoRounds:
    """Both tallies as this user may see them: a recused member does not see that offer."""
    presentation_round = round_of(procurement)
    hidden = scoring.hidden_offers(user, procurement) if user is not None else set()
    visible = policy.presentation_tally_visible(procurement, presentation_round)
    return TwoRounds(
        presentation_round=presentation_round,
        paper=[r for r in paper_tally(procurement) if r.offer not in hidden],
        presentation=[r for r in presentation_tally(procurement, presentation_round) if r.offer not in hidden]
        if visible
        else [],
        presenting=[
            o for o in presenting_offers(procurement, presentation_round) if o.pseudonym not in hidden
        ],
    )


def public_rounds(procurement, min_group: int) -> TwoRounds | None:
    """Both rounds for the published decision, or None when no presentation round was held.
    As on the rest of the public page, an offer scored by fewer than ``min_group`` members shows
    no figures (docs/privacy.md)."""
    rounds = two_rounds(None, procurement)
    if not rounds.started:
        return None
    rounds.paper = [r for r in rounds.paper if r.members >= min_group]
    rounds.presentation = [r for r in rounds.presentation if r.members >= min_group]
    return rounds
