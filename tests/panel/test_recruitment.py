"""Applications: contact data and answers stored apart; the purge erases what it must, no more."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from committee.audit.services import verify_chain
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.needs import services as needs
from committee.needs.models import NeedsResponse
from committee.panel import draws, recruitment
from committee.panel.models import Application, CommitteeMember, Demographics, DrawEntry
from committee.timeutil import local_today
from tests.factories import (
    make_application,
    make_moderator,
    make_needs_procurement,
    make_recruiting_procurement,
)


def test_answers_are_stored_apart_from_contact_data(app_ctx):
    procurement, _ = make_recruiting_procurement(categories="Woning: huur, koop")
    application = make_application(
        procurement,
        buurt="Zuid",
        age="65+",
        answers={"woning": "huur"},
        email="Ria@Bewoner.example",
    )
    row = db.session.scalar(sa.select(Demographics).where(Demographics.application_id == application.id))
    assert row.values == {"buurt": "Zuid", "leeftijd": "65+", "woning": "huur"}
    assert application.email == "ria@bewoner.example"
    assert not {"buurt", "leeftijd", "woning"} & set(Application.__table__.columns.keys())


def test_an_optional_category_may_be_left_open(app_ctx):
    procurement, _ = make_recruiting_procurement(categories="Woning: huur, koop")
    application = make_application(procurement, answers={"woning": None})
    assert "woning" not in application.demographics.values


def test_buurt_and_age_band_are_needed_for_the_lottery(app_ctx):
    procurement, _ = make_recruiting_procurement()
    with pytest.raises(ProcessError, match="leeftijd"):
        make_application(procurement, age=None)


def test_one_way_to_reach_the_applicant_is_enough_but_one_is_needed(app_ctx):
    procurement, _ = make_recruiting_procurement()
    make_application(procurement, email=None, phone="06 12345678")
    with pytest.raises(ProcessError, match="bereiken"):
        make_application(procurement, email=None)


def test_without_consent_nothing_is_stored(app_ctx):
    procurement, _ = make_recruiting_procurement()
    with pytest.raises(ProcessError, match="instemming"):
        make_application(procurement, consent=False)
    assert recruitment.application_count(procurement) == 0


def test_the_moderator_enters_a_paper_application_after_the_form_closed(app_ctx):
    procurement, moderator = make_recruiting_procurement()
    recruitment.open_composition(actor=moderator, procurement=procurement)
    with pytest.raises(ProcessError):
        make_application(procurement)
    application = make_application(
        procurement, entered_by=moderator, email=None, postal_address="Dorpsstraat 1"
    )
    assert application.source == "paper" and application.entered_by_id == moderator.id


def test_categories_need_a_label_and_two_values(app_ctx):
    with pytest.raises(ProcessError, match="Regel 2"):
        recruitment.parse_categories("Geslacht: vrouw, man\nWoning: huur")


def _drawn_procurement(retention_days: int):
    """A procurement whose committee was drawn: 3 seats from 8 applicants."""
    procurement, moderator = make_recruiting_procurement(seats=3)
    for i in range(8):
        make_application(procurement, buurt=["Noord", "Zuid"][i % 2], age="25-45")
    recruitment.recruitment_of(procurement).retention_until = local_today() + timedelta(days=retention_days)
    recruitment.open_composition(actor=moderator, procurement=procurement)
    draws.reset_quotas(actor=moderator, procurement=procurement)
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    draws.start_draw(actor=moderator, draw=draw)
    db.session.commit()
    draws.run_draw(draw_id=draw.id)
    return procurement, draw


def _count(model, **where):
    query = sa.select(sa.func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query)


def test_purge_removes_what_it_must_and_nothing_else(app_ctx):
    expired, draw = _drawn_procurement(retention_days=-1)
    kept, _ = _drawn_procurement(retention_days=30)
    answers, _mod = make_needs_procurement()
    needs.submit_response(
        procurement=answers,
        ranked_theme_ids=[needs.themes(answers)[0].id],
        suggestion=None,
        buurt=None,
        code=None,
        postcode="5611AA",
    )
    members = {m.application_id for m in expired.members}
    inputs_before = dict(draw.inputs)
    db.session.commit()

    report = recruitment.purge_expired(today=local_today())

    # Erased: every answer of the expired procurement, and the applications of non-members.
    assert (report.procurements, report.answers, report.applications) == (1, 8, 5)
    assert _count(Demographics, procurement_id=expired.id) == 0
    remaining = set(
        db.session.scalars(sa.select(Application.id).where(Application.procurement_id == expired.id))
    )
    assert remaining == members
    # Kept: the members, their contact data, the published draw without its links, the rest.
    assert _count(CommitteeMember, procurement_id=expired.id) == 3
    assert db.session.get(type(draw), draw.id).inputs == inputs_before
    entries = db.session.scalars(sa.select(DrawEntry).where(DrawEntry.draw_id == draw.id)).all()
    assert len(entries) == 8 and {e.application_id for e in entries} == members | {None}
    assert _count(Demographics, procurement_id=kept.id) == 8
    assert _count(Application, procurement_id=kept.id) == 8
    assert _count(NeedsResponse) == 1
    assert verify_chain().ok


def test_purge_keeps_the_committees_counts_and_is_safe_to_run_again(app_ctx):
    expired, _draw = _drawn_procurement(retention_days=-1)
    before = recruitment.makeup(expired)
    recruitment.purge_expired(today=local_today())
    again = recruitment.purge_expired(today=local_today())
    assert (again.procurements, again.answers, again.applications) == (0, 0, 0)
    assert recruitment.makeup(expired)["categories"] == before["categories"]


def test_purge_leaves_data_alone_on_the_last_day_of_retention(app_ctx):
    procurement, _ = make_recruiting_procurement()
    make_application(procurement)
    last_day = recruitment.recruitment_of(procurement).retention_until
    assert recruitment.purge_expired(today=last_day).answers == 0
    assert recruitment.purge_expired(today=last_day + timedelta(days=1)).answers == 1


def test_the_cli_purge_reports_what_it_erased(app, runner):
    with app.test_request_context():
        procurement, _ = make_recruiting_procurement()
        make_application(procurement)
        day_after = recruitment.recruitment_of(procurement).retention_until + timedelta(days=1)
        db.session.commit()
    result = runner.invoke(args=["privacy", "purge", "--today", day_after.isoformat()])
    assert result.exit_code == 0 and "1 set(s) of answers and 1 application(s)" in result.output


def test_the_public_make_up_hides_groups_smaller_than_five(app_ctx):
    procurement, _draw = _drawn_procurement(retention_days=30)
    makeup = recruitment.makeup(procurement)
    assert makeup["members"] == 3
    assert all(n is None for _category, values in makeup["categories"] for _label, n in values)


def test_a_retention_date_in_the_past_is_refused(app_ctx):
    moderator = make_moderator()
    procurement, _ = make_recruiting_procurement(moderator, open_phase=False)
    with pytest.raises(ProcessError, match="na vandaag"):
        recruitment.save_setup(
            actor=moderator,
            procurement=procurement,
            seats=4,
            house_rules="x",
            retention_until=local_today(),
            required_buurten=[],
            categories_text="",
            today=local_today(),
        )
