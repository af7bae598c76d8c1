"""A person's data: found, exported whole, erased on request without breaking the process."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.audit.services import verify_chain
from committee.auth import services as auth
from committee.auth.models import Invitation, LoginSession
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.panel import draws, recruitment
from committee.panel.models import Application, Demographics, DrawEntry
from committee.privacy import services as privacy
from committee.privacy.models import Erasure
from committee.scoring import services as scoring
from committee.scoring.models import Declaration, Reopening, Score
from committee.timeutil import local_today
from tests.factories import (
    make_application,
    make_bidder,
    make_moderator,
    make_recruiting_procurement,
    make_resident,
    make_scoring_procurement,
    score_everything,
)


def _drawn_procurement():
    procurement, moderator = make_recruiting_procurement(seats=3)
    for i in range(8):
        make_application(procurement, buurt=["Noord", "Zuid"][i % 2], age="25-45", name=f"Aanmelder {i}")
    recruitment.recruitment_of(procurement).retention_until = local_today() + timedelta(days=30)
    recruitment.open_composition(actor=moderator, procurement=procurement)
    draws.reset_quotas(actor=moderator, procurement=procurement)
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    draws.start_draw(actor=moderator, draw=draw)
    db.session.commit()
    draws.run_draw(draw_id=draw.id)
    db.session.refresh(procurement)
    return procurement, moderator, draw


# --- finding ------------------------------------------------------------------------------------


def test_find_matches_name_and_email_of_accounts_and_applications(app_ctx):
    make_resident(name="Ria de Vries", email="ria@bewoner.example")
    make_bidder(name="Piet Aanbieder")
    procurement, _ = make_recruiting_procurement()
    make_application(procurement, name="Sem Aanmelder", email="sem@bewoner.example")
    assert [p.name for p in privacy.find("vries")] == ["Ria de Vries"]
    assert [p.key.split("-")[0] for p in privacy.find("sem@")] == ["aanmelding"]
    assert {p.name for p in privacy.find("")} >= {"Ria de Vries", "Piet Aanbieder", "Sem Aanmelder"}


def test_an_application_of_an_account_holder_is_found_through_the_account(app_ctx):
    procurement, _moderator, _draw = _drawn_procurement()
    member = procurement.members[0]
    assert privacy.person(f"aanmelding-{member.application_id}") is None
    subject = privacy.person(f"account-{member.user_id}")
    assert [a.id for a in privacy.applications_of(subject)] == [member.application_id]


@pytest.mark.parametrize("key", ["", "account", "account-x", "iets-1", "account-999999"])
def test_an_unknown_key_finds_nobody(app_ctx, key):
    assert privacy.person(key) is None


# --- export -------------------------------------------------------------------------------------


def test_the_export_holds_the_application_answers_seat_and_actions(app_ctx):
    procurement, _moderator, draw = _drawn_procurement()
    member = procurement.members[0]
    application = member.application
    data = privacy.export(privacy.person(f"account-{member.user_id}"))
    assert data["format"] == "wijkiezen-person-export/1"
    assert data["account"]["name"] == member.user.name
    assert data["applications"][0]["email"] == application.email
    assert data["applications"][0]["answers"]["buurt"] in {"Noord", "Zuid"}
    assert data["applications"][0]["draws"][0]["draw_id"] == draw.id
    assert data["memberships"][0]["procurement_id"] == procurement.id


def test_the_export_holds_no_secrets(app_ctx):
    moderator = make_moderator()
    resident = make_resident(email="ria@bewoner.example")
    token = auth.create_invitation(resident, days=5)
    text = str(privacy.export(privacy.person(f"account-{resident.id}")))
    assert token not in text
    assert auth.token_hash(token) not in text
    assert "$argon2" not in str(privacy.export(privacy.person(f"account-{moderator.id}")))


def test_the_export_hides_scores_while_scoring_is_open(app_ctx):
    procurement, _moderator = make_scoring_procurement(members=1)
    member = procurement.members[0]
    score_everything(procurement)
    data = privacy.export(privacy.person(f"account-{member.user_id}"))
    assert data["memberships"][0]["scores"] == "hidden until scoring closes"


def test_the_export_holds_the_scores_after_scoring_closed(app_ctx):
    from committee.procurement import services as procurement_services

    procurement, moderator = make_scoring_procurement(members=1)
    member = procurement.members[0]
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    data = privacy.export(privacy.person(f"account-{member.user_id}"))
    assert len(data["memberships"][0]["scores"]) == len(procurement.criteria) * len(procurement.offers)


def test_recording_an_export_writes_an_event_without_personal_data(app_ctx):
    moderator = make_moderator()
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    privacy.record_export(actor=moderator, subject=privacy.person(f"account-{resident.id}"))
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "privacy.export")).one()
    assert event.object_id == resident.id and event.actor_id == moderator.id
    assert "Ria" not in str(event.details) and "ria@" not in str(event.details)


# --- erasure ------------------------------------------------------------------------------------


def test_erasing_a_member_keeps_seat_scores_and_chain(app_ctx):
    procurement, moderator = make_scoring_procurement(members=2)
    member = procurement.members[0]
    member.connections = "Mijn buurvrouw werkt bij een aanbieder."
    score_everything(procurement)
    scoring.submit_scores(member=member)
    scoring.reopen_scores(actor=moderator, member=member, reason="Ria vroeg het per telefoon.")
    token = auth.start_login_session(member.user)
    scores_before = db.session.scalar(
        sa.select(sa.func.count()).select_from(Score).where(Score.member_id == member.id)
    )

    privacy.erase(
        actor=moderator,
        subject=privacy.person(f"account-{member.user_id}"),
        reason="request",
        note="Brief van 3 mei",
    )
    db.session.commit()

    user = member.user
    assert user.name == privacy.ERASED_NAME and user.email is None and user.erased_at is not None
    assert user.password_hash is None and member.connections is None
    assert db.session.scalar(sa.select(Reopening.reason).where(Reopening.member_id == member.id)) == ""
    assert db.session.scalar(sa.select(Declaration.note).where(Declaration.member_id == member.id)) == ""
    assert auth.user_for_session(str(user.id), token) is None
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id)
        )
        == 0
    )
    assert member in procurement.members
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.member_id == member.id))
        == scores_before
    )
    assert verify_chain().ok


def test_erasure_is_audited_with_a_reason_code_and_the_note_kept_apart(app_ctx):
    moderator = make_moderator()
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    privacy.erase(
        actor=moderator,
        subject=privacy.person(f"account-{resident.id}"),
        reason="other",
        note="Ria de Vries belde op 3 mei.",
    )
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "privacy.erase")).one()
    assert event.details["reason"] == "other"
    assert "Ria" not in str(event.details)
    erasure = db.session.scalars(sa.select(Erasure)).one()
    assert erasure.note == "Ria de Vries belde op 3 mei."
    assert event.details["note_sha256"] == hashlib.sha256(erasure.note.encode()).hexdigest()


def test_erasing_removes_invitations_and_mail_to_the_person(app_ctx):
    from committee.mail import send_mail

    moderator = make_moderator()
    resident = make_resident(email="ria@bewoner.example")
    auth.create_invitation(resident, days=5)
    send_mail(to="ria@bewoner.example", subject="Uitnodiging", body="Beste Ria")
    db.session.flush()
    privacy.erase(
        actor=moderator, subject=privacy.person(f"account-{resident.id}"), reason="request", note=""
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_erasing_a_drawn_member_erases_the_application_but_keeps_the_fixed_make_up(app_ctx):
    procurement, moderator, draw = _drawn_procurement()
    from committee.procurement import services as procurement_services
    from tests.factories import make_offer, release_to_committee

    procurement_services.open_offers(actor=moderator, procurement=procurement)
    make_offer(procurement)
    release_to_committee(procurement, moderator)  # scoring: the committee is fixed
    before = recruitment.makeup(procurement)
    member = procurement.members[0]
    application_id = member.application_id
    privacy.erase(
        actor=moderator, subject=privacy.person(f"account-{member.user_id}"), reason="request", note=""
    )
    db.session.expire_all()
    assert db.session.get(Application, application_id) is None
    assert (
        db.session.scalar(sa.select(Demographics).where(Demographics.application_id == application_id))
        is None
    )
    assert member.application_id is None
    # The draw keeps its pseudonym, no longer linked to anyone.
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(DrawEntry).where(DrawEntry.draw_id == draw.id)
    ) == len(draw.inputs["pool"])
    assert recruitment.makeup(procurement)["categories"] == before["categories"]
    assert verify_chain().ok


def test_erasing_an_applicant_without_an_account(app_ctx):
    procurement, moderator = make_recruiting_procurement()
    application = make_application(procurement, name="Sem Aanmelder")
    privacy.erase(
        actor=moderator, subject=privacy.person(f"aanmelding-{application.id}"), reason="request", note=""
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
    assert privacy.find("Sem") == []


def test_the_purge_and_the_erasure_share_one_eraser(app_ctx, monkeypatch):
    calls = []
    original = recruitment.erase_applications
    monkeypatch.setattr(
        recruitment, "erase_applications", lambda ids: calls.append(list(ids)) or original(ids)
    )
    procurement, moderator = make_recruiting_procurement()
    application = make_application(procurement)
    privacy.erase(
        actor=moderator, subject=privacy.person(f"aanmelding-{application.id}"), reason="request", note=""
    )
    other = make_application(procurement)
    recruitment.recruitment_of(procurement).retention_until = local_today() - timedelta(days=1)
    recruitment.purge_expired(today=local_today())
    assert calls == [[application.id], [other.id]]


@pytest.mark.parametrize(
    "reason, note, message",
    [("", "", "reden"), ("onzin", "", "reden"), ("other", "kort", "waarom")],
)
def test_erasure_needs_a_reason(app_ctx, reason, note, message):
    moderator, resident = make_moderator(), make_resident()
    with pytest.raises(ProcessError, match=message):
        privacy.erase(
            actor=moderator, subject=privacy.person(f"account-{resident.id}"), reason=reason, note=note
        )


def test_a_person_is_erased_once_and_moderators_not_here(app_ctx):
    moderator, resident = make_moderator(), make_resident()
    privacy.erase(
        actor=moderator, subject=privacy.person(f"account-{resident.id}"), reason="request", note=""
    )
    with pytest.raises(ProcessError, match="al gewist"):
        privacy.erase(
            actor=moderator, subject=privacy.person(f"account-{resident.id}"), reason="request", note=""
        )
    with pytest.raises(ProcessError, match="eigen"):
        privacy.erase(
            actor=moderator, subject=privacy.person(f"account-{moderator.id}"), reason="request", note=""
        )
    with pytest.raises(ProcessError, match="beheerder"):
        privacy.erase(
            actor=moderator,
            subject=privacy.person(f"account-{make_moderator().id}"),
            reason="request",
            note="",
        )


def test_an_erased_bidder_keeps_the_organisation_and_its_offer(app_ctx):
    from committee.procurement import services as procurement_services
    from tests.factories import make_offer, make_procurement

    moderator = make_moderator()
    bidder = make_bidder(organisation="Stichting Blijft")
    procurement = make_procurement(moderator)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    offer = make_offer(procurement, bidder)
    privacy.erase(actor=moderator, subject=privacy.person(f"account-{bidder.id}"), reason="request", note="")
    assert offer.organisation.name == "Stichting Blijft"
    assert bidder.organisation_id == offer.organisation_id and bidder.email is None


def test_while_the_committee_can_change_an_erased_member_counts_as_unknown(app_ctx):
    procurement, moderator, _draw = _drawn_procurement()
    member = procurement.members[0]
    privacy.erase(
        actor=moderator, subject=privacy.person(f"account-{member.user_id}"), reason="request", note=""
    )
    assert recruitment.recruitment_of(procurement).makeup_snapshot is None
    counts = recruitment.makeup_counts(procurement)
    assert counts["buurt"].get("onbekend") == 1


def test_the_calendar_themes_a_bidder_follows_are_in_the_export_and_go_with_the_erasure(app_ctx):
    """A social entrepreneur who follows a theme with the address of their account: the export
    lists the theme, and erasing the account removes the follow (no more mail to that address)."""
    from committee.planning.models import ThemeFollower
    from tests.planning.helpers import make_follower

    moderator = make_moderator()
    bidder = make_bidder(email="Ondernemer@Sociaal.Example")
    make_follower(email="ondernemer@sociaal.example", theme="ontmoeting")
    make_follower(email="iemand.anders@sociaal.example", theme="ontmoeting")
    subject = privacy.person(f"account-{bidder.id}")
    follows = privacy.export(subject)["theme_follows"]
    assert [f["theme"] for f in follows] == ["ontmoeting"] and follows[0]["confirmed_at"]
    privacy.erase(actor=moderator, subject=subject, reason="request", note="")
    left = db.session.scalars(sa.select(ThemeFollower.email)).all()
    assert left == ["iemand.anders@sociaal.example"]


def test_someone_who_only_follows_themes_is_found_exported_and_erased_by_address(app_ctx):
    """Before: an address with follows but no account or application was on no privacy page, so
    a moderator asked for its data could neither export nor erase it. Now it is one person (one
    key for all its themes), found by its address."""
    from committee.planning.models import ThemeFollower
    from tests.planning.helpers import make_follower

    moderator = make_moderator()
    first = make_follower(email="alleen.volgen@sociaal.example", theme="jeugd")
    make_follower(email="alleen.volgen@sociaal.example", theme="groen")
    make_follower(email="buurman@sociaal.example", theme="jeugd")
    make_bidder(email="heeft.account@sociaal.example")
    make_follower(email="heeft.account@sociaal.example", theme="jeugd")

    found = privacy.find("alleen.volgen")
    assert [(p.kind, p.key, p.email) for p in found] == [
        ("volger", f"volger-{first.id}", "alleen.volgen@sociaal.example")
    ]
    # The account's address is found as the account, not a second time as a follower.
    assert [p.kind for p in privacy.find("heeft.account")] == ["account"]
    # One key per address: the second follow's id is no key of its own.
    second = db.session.scalar(sa.select(ThemeFollower).where(ThemeFollower.theme == "groen"))
    assert privacy.person(f"volger-{second.id}") is None

    subject = privacy.person(f"volger-{first.id}")
    data = privacy.export(subject)
    assert sorted(f["theme"] for f in data["theme_follows"]) == ["groen", "jeugd"]
    assert len(data["mail"]) == 2 and "account" not in data  # the two confirmation mails

    erasure = privacy.erase(actor=moderator, subject=subject, reason="request", note="")
    assert erasure.subject_kind == "volger"
    left = sorted(db.session.scalars(sa.select(ThemeFollower.email)).all())
    assert left == ["buurman@sociaal.example", "heeft.account@sociaal.example"]
    assert not db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to == "alleen.volgen@sociaal.example")
    ).all()
    assert privacy.person(f"volger-{first.id}") is None
    assert verify_chain().ok
