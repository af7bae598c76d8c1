"""The coalition challenge's rules: the list, messages, invitations, and the offer they make."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from committee.coalitions import services
from committee.coalitions.models import InvitationStatus
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.offers import services as offers
from committee.offers.models import OfferName, OfferNameKind
from committee.timeutil import local_today
from tests.coalitions.helpers import challenge, formed, listed
from tests.factories import close_offers, make_bidder, make_offer, make_procurement


def test_a_party_adds_edits_and_withdraws_its_entry(app_ctx):
    procurement, _ = challenge()
    user = listed(procurement, "Buurtkracht")
    assert [e.shown_name for e in services.listed_entries(procurement)] == ["Buurtkracht"]
    services.save_entry(
        actor=user,
        procurement=procurement,
        shown_name="Buurtkracht Noord",
        brings="Een keuken.",
        seeks="",
        today=local_today(),
    )
    assert services.listed_entries(procurement)[0].brings == "Een keuken."
    services.withdraw_entry(actor=user, procurement=procurement, today=local_today())
    assert services.listed_entries(procurement) == []


def test_an_entry_needs_a_name_and_something_to_say(app_ctx):
    procurement, _ = challenge()
    user = make_bidder()
    with pytest.raises(services.CoalitionError):
        services.save_entry(
            actor=user, procurement=procurement, shown_name="X", brings="", seeks="", today=local_today()
        )


def test_the_list_is_only_for_a_coalition_challenge(app_ctx):
    procurement = make_procurement()
    with pytest.raises(services.CoalitionError):
        services.save_entry(
            actor=make_bidder(),
            procurement=procurement,
            shown_name="X",
            brings="a",
            seeks="b",
            today=local_today(),
        )


def test_the_moderator_hides_an_entry_with_a_reason(app_ctx):
    procurement, moderator = challenge()
    user = listed(procurement, "Reclame BV")
    entry = services.entry_of(user.organisation_id, procurement)
    with pytest.raises(services.CoalitionError):
        services.hide_entry(actor=moderator, procurement=procurement, entry_id=entry.id, reason="  ")
    services.hide_entry(actor=moderator, procurement=procurement, entry_id=entry.id, reason="Alleen reclame.")
    assert services.listed_entries(procurement) == []
    assert entry.hidden_reason == "Alleen reclame."
    # The owner cannot bring a hidden entry back by saving it again.
    services.save_entry(
        actor=user,
        procurement=procurement,
        shown_name="Reclame BV",
        brings="x",
        seeks="",
        today=local_today(),
    )
    assert services.listed_entries(procurement) == []


def test_a_message_goes_through_the_outbox_without_addresses(app_ctx):
    procurement, _ = challenge()
    sender = listed(procurement, "Buurtkracht", email="geheim-a@a.example")
    receiver = listed(procurement, "Groene Hoek", email="geheim-b@b.example")
    entry = services.entry_of(receiver.organisation_id, procurement)
    services.send_message(
        actor=sender,
        procurement=procurement,
        entry_id=entry.id,
        body="Zullen we samen?",
        contact_line="bel 06-123",
        today=local_today(),
    )
    mail = db.session.scalars(sa.select(OutboxMessage)).all()[-1]
    assert mail.to == "geheim-b@b.example"
    assert "Zullen we samen?" in mail.body and "bel 06-123" in mail.body and "Buurtkracht" in mail.body
    assert "geheim-a@a.example" not in mail.body


def test_a_party_off_the_list_cannot_write(app_ctx):
    procurement, _ = challenge()
    receiver = listed(procurement, "Groene Hoek")
    entry = services.entry_of(receiver.organisation_id, procurement)
    with pytest.raises(services.CoalitionError):
        services.send_message(
            actor=make_bidder(),
            procurement=procurement,
            entry_id=entry.id,
            body="Hoi",
            contact_line="x",
            today=local_today(),
        )


def test_only_accepted_parties_are_members(app_ctx):
    procurement, _ = challenge()
    lead, a, b = (listed(procurement, n) for n in ("Lead", "Alfa", "Beta"))
    coalition = services.create_coalition(
        actor=lead, procurement=procurement, name="Samen", today=local_today()
    )
    for party in (a, b):
        services.invite(
            actor=lead,
            procurement=procurement,
            entry_id=services.entry_of(party.organisation_id, procurement).id,
            today=local_today(),
        )
    assert services.members(coalition) == [coalition.lead]  # invited is not a member
    first, second = coalition.invitations
    services.answer(
        actor=a, procurement=procurement, invitation_id=first.id, accept=True, today=local_today()
    )
    services.answer(
        actor=b, procurement=procurement, invitation_id=second.id, accept=False, today=local_today()
    )
    assert [e.shown_name for e in services.members(coalition)] == ["Lead", "Alfa"]


def test_attack_an_invitation_cannot_be_accepted_by_someone_else(app_ctx):
    procurement, _ = challenge()
    lead, invited, other = (listed(procurement, n) for n in ("Lead", "Alfa", "Indringer"))
    services.create_coalition(actor=lead, procurement=procurement, name="Samen", today=local_today())
    invitation = services.invite(
        actor=lead,
        procurement=procurement,
        entry_id=services.entry_of(invited.organisation_id, procurement).id,
        today=local_today(),
    )
    for intruder in (other, lead):  # not even the lead can accept for the invited party
        with pytest.raises(services.NotYours):
            services.answer(
                actor=intruder,
                procurement=procurement,
                invitation_id=invitation.id,
                accept=True,
                today=local_today(),
            )
    assert invitation.status == InvitationStatus.INVITED


def test_a_party_is_in_one_coalition_at_most(app_ctx):
    procurement, _ = challenge()
    lead1, lead2, a = (listed(procurement, n) for n in ("Een", "Twee", "Alfa"))
    formed(procurement, lead1, a, name="Eerste")
    services.create_coalition(actor=lead2, procurement=procurement, name="Tweede", today=local_today())
    invitation = services.invite(
        actor=lead2,
        procurement=procurement,
        entry_id=services.entry_of(a.organisation_id, procurement).id,
        today=local_today(),
    )
    with pytest.raises(services.CoalitionError):
        services.answer(
            actor=a, procurement=procurement, invitation_id=invitation.id, accept=True, today=local_today()
        )


def test_only_a_lead_with_an_accepted_partner_submits_the_plan(app_ctx):
    procurement, _ = challenge()
    lead, a = listed(procurement, "Lead"), listed(procurement, "Alfa")
    with pytest.raises(offers.OfferError):
        make_offer(procurement, lead)
    services.create_coalition(actor=lead, procurement=procurement, name="Samen", today=local_today())
    with pytest.raises(offers.OfferError):
        make_offer(procurement, lead)  # nobody accepted yet
    invitation = services.invite(
        actor=lead,
        procurement=procurement,
        entry_id=services.entry_of(a.organisation_id, procurement).id,
        today=local_today(),
    )
    services.answer(
        actor=a, procurement=procurement, invitation_id=invitation.id, accept=True, today=local_today()
    )
    with pytest.raises(offers.OfferError):
        make_offer(procurement, a)  # a member does not submit besides the lead
    assert make_offer(procurement, lead).status.value == "submitted"


def test_the_partners_names_are_frozen_with_the_offer_and_hidden(app_ctx):
    procurement, moderator = challenge()
    lead = listed(procurement, "Lead")
    partner = listed(procurement, "Alfa Buurtwerk", organisation="Stichting Alfa", kvk_number="11223344")
    formed(procurement, lead, partner)
    offer = make_offer(procurement, lead, plan="Met Alfa Buurtwerk en Stichting Alfa (KvK 11223344).")
    close_offers(procurement, moderator)
    names = db.session.scalars(sa.select(OfferName).where(OfferName.offer_id == offer.id)).all()
    partners = sorted(n.name for n in names if n.kind == OfferNameKind.PARTNER)
    assert partners == ["Alfa Buurtwerk", "Stichting Alfa"]
    text = offers.anonymised_view(offer)["plan"]
    assert "Alfa Buurtwerk" not in text and "11223344" not in text and "Stichting Alfa" not in text


def test_nothing_moves_after_offers_close(app_ctx):
    procurement, moderator = challenge()
    lead, a = listed(procurement, "Lead"), listed(procurement, "Alfa")
    formed(procurement, lead, a)
    make_offer(procurement, lead)
    close_offers(procurement, moderator)
    with pytest.raises(services.CoalitionError):
        services.withdraw_entry(actor=a, procurement=procurement, today=local_today())
    invitation = services.membership_of(services.entry_of(a.organisation_id, procurement))
    with pytest.raises(services.CoalitionError):
        services.answer(
            actor=a, procurement=procurement, invitation_id=invitation.id, accept=False, today=local_today()
        )


def test_attack_the_leads_list_name_and_the_coalitions_name_are_hidden_from_the_committee(app_ctx):
    """The lead is on the public list as "Buurtkracht Noord" and the coalition is "Coalitie
    Samen Sterk". Before: the plan kept both, so any member could match it to the public list
    before the presentation round. Now both are frozen as names of the offer and hidden."""
    procurement, moderator = challenge()
    lead = listed(procurement, "Buurtkracht Noord", organisation="Stichting BKN")
    partner = listed(procurement, "Alfa")
    formed(procurement, lead, partner, name="Coalitie Samen Sterk")
    offer = make_offer(
        procurement, lead, plan="Buurtkracht Noord leidt Coalitie Samen Sterk, samen met Alfa."
    )
    close_offers(procurement, moderator)
    text = offers.anonymised_view(offer)["plan"]
    assert "Buurtkracht Noord" not in text and "Coalitie Samen Sterk" not in text and "Alfa" not in text
    frozen = {n.name for n in db.session.scalars(sa.select(OfferName).where(OfferName.offer_id == offer.id))}
    assert {"Buurtkracht Noord", "Coalitie Samen Sterk"} <= frozen  # members can declare them


def test_attack_the_last_partner_cannot_leave_a_submitted_plan_without_partners(app_ctx):
    """Before: a partner could step out after the lead submitted, leaving a coalition's plan with
    no partner at all going into the close. Now the last partner of a submitted plan is told to
    ask the lead to withdraw the plan first; with two partners, one can leave."""
    procurement, _ = challenge()
    lead, a, b = listed(procurement, "Lead"), listed(procurement, "Alfa"), listed(procurement, "Beta")
    coalition = formed(procurement, lead, a, b)
    make_offer(procurement, lead)
    first, second = coalition.accepted
    services.answer(
        actor=a, procurement=procurement, invitation_id=first.id, accept=False, today=local_today()
    )
    with pytest.raises(services.CoalitionError, match="laatste partner"):
        services.answer(
            actor=b, procurement=procurement, invitation_id=second.id, accept=False, today=local_today()
        )
    assert [i.entry.shown_name for i in coalition.accepted] == ["Beta"]


def test_attack_nobody_joins_the_coalition_of_a_lead_the_moderator_hid(app_ctx):
    procurement, moderator = challenge()
    lead, a = listed(procurement, "Lead"), listed(procurement, "Alfa")
    services.create_coalition(actor=lead, procurement=procurement, name="Samen", today=local_today())
    invitation = services.invite(
        actor=lead,
        procurement=procurement,
        entry_id=services.entry_of(a.organisation_id, procurement).id,
        today=local_today(),
    )
    services.hide_entry(
        actor=moderator,
        procurement=procurement,
        entry_id=services.entry_of(lead.organisation_id, procurement).id,
        reason="Reclame, geen welzijnswerk.",
    )
    with pytest.raises(services.CoalitionError):
        services.answer(
            actor=a, procurement=procurement, invitation_id=invitation.id, accept=True, today=local_today()
        )
    assert invitation.status != InvitationStatus.ACCEPTED
