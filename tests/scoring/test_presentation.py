"""The presentation round's rules: set up beforehand, the freeze, who is revealed, the tallies."""

import pytest
import sqlalchemy as sa

from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.scoring.models import PaperScoreSnapshot, Score
from tests.factories import make_deliberation_procurement, make_scoring_procurement


def _offer(procurement, label):
    return scoring.released_offer(procurement, label)


def _ready(procurement, moderator, labels=("A",)):
    presentation.choose_offers(
        actor=moderator, procurement=procurement, offer_ids=[_offer(procurement, x).id for x in labels]
    )
    presentation.add_criterion(
        actor=moderator, procurement=procurement, name="Het team kent de wijk", scale="1 = nee, 5 = goed"
    )


def test_the_round_is_set_up_only_in_deliberation(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1, offer_count=2)
    with pytest.raises(presentation.PresentationError, match="Overleg commissie"):
        presentation.add_criterion(actor=moderator, procurement=procurement, name="Team")


def test_top_n_takes_the_best_of_the_paper_tally(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=3)
    chosen = presentation.choose_offers(actor=moderator, procurement=procurement, top=2)
    assert [o.pseudonym for o in chosen] == ["A", "B"]


def test_starting_needs_offers_and_criteria(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    with pytest.raises(presentation.PresentationError, match="Kies eerst"):
        presentation.start(actor=moderator, procurement=procurement)
    presentation.choose_offers(actor=moderator, procurement=procurement, top=1)
    with pytest.raises(presentation.PresentationError, match="vooraf|wegen"):
        presentation.start(actor=moderator, procurement=procurement)


def test_starting_freezes_every_counted_paper_score_with_its_hash_in_the_audit_log(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation_round = presentation.start(actor=moderator, procurement=procurement)
    live = db.session.execute(
        sa.select(Score.member_id, Score.offer_id, Score.criterion_id, Score.value)
    ).all()
    snapshot = presentation.snapshot_rows(presentation_round)
    assert sorted(snapshot) == sorted(tuple(r) for r in live) and len(snapshot) == 3 * 2 * len(
        procurement.criteria
    )
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "presentation.start"))
    assert (
        event.details["snapshot_sha256"]
        == presentation.snapshot_hash(snapshot)
        == presentation_round.snapshot_sha256
    )
    assert event.details["paper_scores"] == len(snapshot) and event.details["offers"] == ["A"]
    assert event.details["criteria_sha256"] == presentation.criteria_hash(presentation_round)
    assert presentation.snapshot_intact(presentation_round)
    assert audit.verify_chain().ok


def test_after_the_start_nothing_of_the_set_up_can_change(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation_round = presentation.start(actor=moderator, procurement=procurement)
    criterion_id = presentation_round.criteria[0].id
    for attempt in (
        lambda: presentation.add_criterion(actor=moderator, procurement=procurement, name="Nog een"),
        lambda: presentation.remove_criterion(
            actor=moderator, procurement=procurement, criterion_id=criterion_id
        ),
        lambda: presentation.choose_offers(actor=moderator, procurement=procurement, top=2),
        lambda: presentation.start(actor=moderator, procurement=procurement),
    ):
        with pytest.raises(presentation.PresentationError, match="al begonnen"):
            attempt()


def test_after_the_freeze_a_paper_score_cannot_be_saved(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation.start(actor=moderator, procurement=procurement)
    member = procurement.members[0]
    with pytest.raises(scoring.ScoringError, match="liggen vast"):
        scoring.save_score(
            member=member,
            offer=_offer(procurement, "B"),
            criterion_id=procurement.criteria[0].id,
            value=5,
            comment="x",
        )


def test_the_paper_tally_is_read_from_the_snapshot_after_the_freeze(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation_round = presentation.start(actor=moderator, procurement=procurement)
    before = [(r.offer, r.mean) for r in presentation.paper_tally(procurement)]
    # Someone changes a stored paper score behind the app's back:
    db.session.execute(sa.update(Score).values(value=1))
    assert [(r.offer, r.mean) for r in presentation.paper_tally(procurement)] == before
    # and changing the snapshot itself shows against the hash in the audit log.
    db.session.execute(sa.update(PaperScoreSnapshot).values(value=2))
    assert not presentation.snapshot_intact(presentation_round)


def test_only_presenting_offers_are_revealed_to_the_committee(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    a, b = _offer(procurement, "A"), _offer(procurement, "B")
    _ready(procurement, moderator)
    assert not policy.identity_revealed_to_committee(procurement, a)  # set up, not started
    presentation.start(actor=moderator, procurement=procurement)
    assert policy.identity_revealed_to_committee(procurement, a)
    assert not policy.identity_revealed_to_committee(procurement, b)


def test_members_score_presentations_and_the_tally_shows_once_closed(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation_round = presentation.start(actor=moderator, procurement=procurement)
    criterion = presentation_round.criteria[0]
    a = _offer(procurement, "A")
    for value, member in zip((3, 4, 5), procurement.members, strict=True):
        presentation.save_scores(member=member, offer=a, values={criterion.id: value})
    assert presentation.two_rounds(moderator, procurement).presentation == []  # still open
    presentation.close(actor=moderator, procurement=procurement)
    [result] = presentation.two_rounds(moderator, procurement).presentation
    assert (result.offer, result.mean, result.members) == ("A", 4.0, 3)
    with pytest.raises(presentation.PresentationError, match="gesloten"):
        presentation.save_scores(member=procurement.members[0], offer=a, values={criterion.id: 1})


def test_a_member_cannot_score_an_offer_that_does_not_present(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation_round = presentation.start(actor=moderator, procurement=procurement)
    with pytest.raises(presentation.PresentationError, match="niet"):
        presentation.save_scores(
            member=procurement.members[0],
            offer=_offer(procurement, "B"),
            values={presentation_round.criteria[0].id: 4},
        )


def test_a_decision_without_closing_the_round_ends_it_and_shows_its_tally(app_ctx):
    procurement, moderator = make_deliberation_procurement(members=3, offer_count=2)
    _ready(procurement, moderator)
    presentation_round = presentation.start(actor=moderator, procurement=procurement)
    for member in procurement.members:
        presentation.save_scores(
            member=member, offer=_offer(procurement, "A"), values={presentation_round.criteria[0].id: 3}
        )
    procurement_services.move_to(actor=moderator, procurement=procurement, to=Phase.DECISION)
    assert not policy.presentation_scoring_open(procurement, presentation_round)
    [result] = presentation.public_rounds(procurement, 3).presentation
    assert (result.offer, result.mean) == ("A", 3.0)
