"""Writing and submitting an offer: the server enforces the deadline and the budget ceiling."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from committee.extensions import db
from committee.offers import services
from committee.offers.models import AnnexFile, AnnexStatus, OfferStatus, OrganisationKind, Partner
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.timeutil import local_today
from tests.factories import add_annex, make_bidder, make_offer, make_procurement
from tests.pdfs import make_pdf


def _open(**overrides):
    procurement = make_procurement(**overrides)
    procurement_services.open_offers(actor=None, procurement=procurement)
    return procurement


def test_a_draft_is_kept_and_can_be_submitted_later(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    draft = make_offer(procurement, bidder, submit=False, plan="Half af")
    assert draft.status == OfferStatus.DRAFT and draft.submitted_at is None
    submitted = make_offer(procurement, bidder, submit=True)
    assert submitted.id == draft.id and submitted.status == OfferStatus.SUBMITTED


def test_the_offer_can_change_until_the_deadline_day_but_not_after(app_ctx):
    deadline = local_today() + timedelta(days=14)
    procurement = _open(dates={Phase.OFFERS_OPEN: (local_today(), deadline)})
    bidder = make_bidder()
    make_offer(procurement, bidder, today=deadline)
    with pytest.raises(services.OfferError, match="voorbij"):
        make_offer(procurement, bidder, today=deadline + timedelta(days=1), plan="Te laat")
    assert services.offer_of(bidder.organisation_id, procurement.id).plan != "Te laat"


def test_no_offer_before_the_call_opens(app_ctx):
    procurement = make_procurement()
    with pytest.raises(services.OfferError):
        make_offer(procurement)


def test_asking_more_than_the_ceiling_is_refused(app_ctx):
    procurement = _open(budget_ceiling=50_000)
    with pytest.raises(services.OfferError, match="maximum"):
        make_offer(procurement, budget_asked=50_001)


def test_submitting_an_incomplete_offer_names_what_is_missing(app_ctx):
    procurement = _open()
    with pytest.raises(services.OfferError, match="het team"):
        make_offer(procurement, team="")


def test_the_committee_reads_the_offer_with_identifiers_redacted(app_ctx):
    procurement = _open()
    bidder = make_bidder(
        organisation="Stichting Zonnestraal",
        website="https://zonnestraal.example",
        kvk_number="87654321",
        name="Joke Jansen",
    )
    offer = make_offer(
        procurement, bidder, plan="Stichting Zonnestraal (KvK 87654321) met Joke Jansen, zonnestraal.example"
    )
    text = services.anonymised_view(offer)["plan"]
    for secret in ("Zonnestraal", "87654321", "Joke", "zonnestraal.example"):
        assert secret.lower() not in text.lower()


# Coalitions -----------------------------------------------------------------------------------


def test_a_coalition_names_its_lead_party_at_registration(app_ctx):
    organisation = services.create_organisation(
        name="Samen Noord",
        kvk_number=None,
        website=None,
        kind=OrganisationKind.COALITION,
        lead_name="Stichting Voorop",
    )
    assert organisation.lead_partner.name == "Stichting Voorop"


def test_a_new_lead_party_replaces_the_old_one(app_ctx):
    bidder = make_bidder()
    organisation = bidder.organisation
    first = services.add_partner(
        actor=bidder, organisation=organisation, name="Een", kvk_number=None, website=None, is_lead=True
    )
    second = services.add_partner(
        actor=bidder, organisation=organisation, name="Twee", kvk_number=None, website=None, is_lead=True
    )
    assert (first.is_lead, second.is_lead) == (False, True)
    assert organisation.kind == OrganisationKind.COALITION


def test_the_database_refuses_two_lead_parties(app_ctx):
    organisation = make_bidder().organisation
    db.session.add_all(
        [
            Partner(organisation=organisation, name="Een", is_lead=True),
            Partner(organisation=organisation, name="Twee", is_lead=True),
        ]
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_coalition_without_a_lead_party_cannot_submit(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    services.add_partner(
        actor=bidder,
        organisation=bidder.organisation,
        name="Partner",
        kvk_number=None,
        website=None,
        is_lead=False,
    )
    with pytest.raises(services.OfferError, match="penvoerder"):
        make_offer(procurement, bidder)


def test_a_small_initiative_needs_no_kvk_number_or_website(app_ctx):
    procurement = _open()
    bidder = make_bidder(kvk_number=None, website=None)
    assert make_offer(procurement, bidder).status == OfferStatus.SUBMITTED


def test_a_submitted_offer_is_never_silently_turned_back_into_a_draft(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    make_offer(procurement, bidder)
    with pytest.raises(services.OfferError, match="Wijziging indienen"):
        make_offer(procurement, bidder, submit=False, plan="Stiekem anders")
    assert services.offer_of(bidder.organisation_id, procurement.id).plan != "Stiekem anders"


# The call and the nota van inlichtingen ---------------------------------------------------------


def test_the_question_deadline_cannot_fall_after_the_offer_deadline(app_ctx):
    procurement = _open()
    late = policy.offer_deadline(procurement) + timedelta(days=1)
    with pytest.raises(services.OfferError, match="Vragen stellen"):
        services.save_call(
            actor=None, procurement=procurement, needs="", house_rules="Regels", questions_until=late
        )


def test_questions_are_refused_after_the_question_deadline(app_ctx):
    procurement = _open()
    today = local_today()
    services.save_call(
        actor=None, procurement=procurement, needs="", house_rules="Regels", questions_until=today
    )
    bidder = make_bidder()
    services.ask_question(actor=bidder, procurement=procurement, body="Mag het?", today=today)
    with pytest.raises(services.OfferError, match="termijn"):
        services.ask_question(
            actor=bidder, procurement=procurement, body="En nu?", today=today + timedelta(days=1)
        )


def test_the_proposed_public_wording_leaves_out_the_askers_name(app_ctx):
    procurement = _open()
    bidder = make_bidder(organisation="Stichting Kwispelstaart")
    question = services.ask_question(
        actor=bidder,
        procurement=procurement,
        today=local_today(),
        body="Mag Stichting Kwispelstaart samenwerken?",
    )
    assert "Kwispelstaart" not in question.public_question


def test_answers_are_published_together_and_not_before(app_ctx):
    procurement = _open()
    first, second = make_bidder(), make_bidder()
    asked = [
        services.ask_question(actor=b, procurement=procurement, body=f"Vraag {i}", today=local_today())
        for i, b in enumerate((first, second))
    ]
    services.answer_question(actor=None, question=asked[0], public_question="Vraag 0", answer="Ja")
    assert services.published_notes(procurement) == []
    services.answer_question(actor=None, question=asked[1], public_question="Vraag 1", answer="Nee")
    services.publish_answers(actor=None, procurement=procurement)
    [(number, _, questions)] = services.published_notes(procurement)
    assert number == 1 and {q.answer for q in questions} == {"Ja", "Nee"}
    assert asked[0].published_at == asked[1].published_at


def test_unanswered_questions_stay_unpublished(app_ctx):
    procurement = _open()
    question = services.ask_question(
        actor=make_bidder(), procurement=procurement, body="Hoe?", today=local_today()
    )
    with pytest.raises(services.OfferError, match="geen beantwoorde"):
        services.publish_answers(actor=None, procurement=procurement)
    assert question.published_at is None


def test_a_published_answer_cannot_be_changed(app_ctx):
    procurement = _open()
    question = services.ask_question(
        actor=make_bidder(), procurement=procurement, body="Hoe?", today=local_today()
    )
    services.answer_question(actor=None, question=question, public_question="Hoe?", answer="Zo.")
    services.publish_answers(actor=None, procurement=procurement)
    with pytest.raises(services.OfferError, match="gepubliceerd"):
        services.answer_question(actor=None, question=question, public_question="Hoe?", answer="Anders.")


# Annexes --------------------------------------------------------------------------------------


def _files(app):
    """The stored files' keys, as another connection sees them (only what was committed)."""
    with db.engine.connect() as connection:
        return set(connection.scalars(sa.select(AnnexFile.name)))


def test_an_annex_is_kept_with_a_rebuilt_copy_and_its_pages(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    annex = add_annex(
        procurement, bidder, make_pdf([["Pagina een"], ["Pagina twee"]]), filename="Offerte Kwispelstaart.pdf"
    )
    assert [p.text.strip() for p in annex.pages] == ["Pagina een", "Pagina twee"]
    assert {annex.original_file, annex.clean_file} <= _files(app_ctx)
    assert "Kwispelstaart" not in annex.clean_file and annex.position == 1


def test_something_that_is_not_a_pdf_is_refused_and_not_kept(app_ctx):
    procurement = _open()
    before = _files(app_ctx)
    with pytest.raises(services.OfferError, match="geen PDF"):
        add_annex(procurement, make_bidder(), b"<html>dit is geen pdf</html>")
    assert _files(app_ctx) == before


def test_a_too_large_file_is_refused(app_ctx):
    procurement = _open()
    big = make_pdf() + b"%" * app_ctx.config["ANNEX_MAX_BYTES"]
    with pytest.raises(services.OfferError, match="te groot"):
        add_annex(procurement, make_bidder(), big)


def test_no_more_annexes_than_the_limit(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    for _ in range(app_ctx.config["ANNEX_MAX_COUNT"]):
        add_annex(procurement, bidder, make_pdf())
    with pytest.raises(services.OfferError, match="hoogstens"):
        add_annex(procurement, bidder, make_pdf())


def test_no_annex_after_the_deadline(app_ctx):
    deadline = local_today() + timedelta(days=14)
    procurement = _open(dates={Phase.OFFERS_OPEN: (local_today(), deadline)})
    with pytest.raises(services.OfferError, match="voorbij"):
        add_annex(procurement, make_bidder(), make_pdf(), today=deadline + timedelta(days=1))


def test_an_annex_added_to_a_submitted_offer_counts_as_submitted_again(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    offer = make_offer(procurement, bidder)
    first = offer.submitted_at
    add_annex(procurement, bidder, make_pdf())
    assert offer.status == OfferStatus.SUBMITTED and offer.submitted_at >= first


def test_a_removed_annex_loses_its_files_once_committed(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    annex = add_annex(procurement, bidder, make_pdf())
    db.session.commit()
    names = {annex.original_file, annex.clean_file}
    services.remove_annex(actor=bidder, procurement=procurement, annex_id=annex.id, today=local_today())
    assert names <= _files(app_ctx)  # not yet: the removal might still roll back
    db.session.commit()
    assert not names & _files(app_ctx)


def test_an_upload_that_is_rolled_back_leaves_no_files(app_ctx):
    procurement = _open()
    db.session.commit()
    before = _files(app_ctx)
    services.add_annex(
        actor=make_bidder(), procurement=procurement, data=make_pdf(), filename="x.pdf", today=local_today()
    )
    db.session.rollback()
    assert _files(app_ctx) == before


def test_the_upload_only_stores_and_queues_the_check_runs_after_commit(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    annex = services.add_annex(
        actor=bidder,
        procurement=procurement,
        data=make_pdf([["a"], ["b"]]),
        filename="x.pdf",
        today=local_today(),
    )
    assert annex.status == AnnexStatus.QUEUED and annex.pages == [] and annex.pending
    assert annex.clean_file not in _files(app_ctx)  # the request did not rebuild anything
    db.session.commit()
    db.session.refresh(annex)
    assert (annex.status, annex.page_count) == (AnnexStatus.OK, 2)
    assert annex.clean_file in _files(app_ctx)


def test_a_refused_pdf_is_kept_as_a_refused_annex_with_the_reason_and_without_files(app_ctx):
    procurement = _open()
    max_pages = app_ctx.config["ANNEX_MAX_PAGES"]
    annex = add_annex(procurement, make_bidder(), make_pdf([["x"]] * (max_pages + 1)))
    assert annex.status == AnnexStatus.REFUSED and annex.refusal == "too_many_pages"
    message = f"Deze PDF heeft {max_pages + 1} pagina's; hoogstens {max_pages} mag."
    assert services.annex_message(annex) == message
    assert not {annex.original_file, annex.clean_file} & _files(app_ctx)
    broken = add_annex(procurement, make_bidder(), b"%PDF-1.7 kapot")
    assert broken.status == AnnexStatus.REFUSED and "konden we niet lezen" in services.annex_message(broken)


def test_an_offer_cannot_be_submitted_while_an_annex_is_being_checked_or_unusable(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    make_offer(procurement, bidder, submit=False)
    annex = services.add_annex(
        actor=bidder, procurement=procurement, data=make_pdf(), filename="x.pdf", today=local_today()
    )
    fields = dict(plan="p", team="t", results="r", budget_asked=1000, today=local_today())
    with pytest.raises(services.OfferError, match="nog aan het controleren"):
        services.save_offer(actor=bidder, procurement=procurement, submit=True, **fields)
    annex.status = AnnexStatus.FAILED
    with pytest.raises(services.OfferError, match="kunnen we niet gebruiken"):
        services.save_offer(actor=bidder, procurement=procurement, submit=True, **fields)
    assert services.annex_message(annex) == "Controleren lukte niet. Probeer het bestand opnieuw te uploaden."
    annex.status = AnnexStatus.OK
    assert services.save_offer(actor=bidder, procurement=procurement, submit=True, **fields).status == (
        OfferStatus.SUBMITTED
    )


def test_the_moderator_waits_for_a_check_and_never_sees_a_refused_annex(app_ctx):
    from committee.offers import review

    procurement = _open()
    bidder = make_bidder()
    offer = make_offer(procurement, bidder)
    refused = add_annex(procurement, bidder, b"%PDF-1.7 kapot")
    queued = services.add_annex(
        actor=bidder, procurement=procurement, data=make_pdf(), filename="x.pdf", today=local_today()
    )
    assert review.problems(offer) == [
        "Bijlage 2 wordt nog gecontroleerd. Wacht tot dat klaar is en laad deze pagina opnieuw."
    ]
    assert review.usable_annexes(offer) == []
    db.session.commit()  # the check runs
    assert review.usable_annexes(offer) == [queued] and refused not in review.usable_annexes(offer)
    assert review.problems(offer) == []


def test_control_characters_in_the_file_name_are_dropped(app_ctx):
    procurement = _open()
    annex = add_annex(procurement, make_bidder(), make_pdf(), filename="\x00plan\x07.pdf")
    assert annex.original_name == "plan.pdf"


def _identifiers_through_relationships(offer) -> list[str]:
    """What identifiers_of gave before it read everything in one query: the same rule over
    the ORM's relationships."""
    from committee.offers import anonymise
    from committee.offers.models import OfferNameKind

    frozen = [
        variant
        for n in offer.names
        for variant in ([n.name] if n.kind == OfferNameKind.ALIAS else anonymise.name_variants(n.name))
    ]
    return services.declared_identifiers(
        offer.organisation, [m.phrase for m in offer.manual_redactions] + frozen
    )


def test_identifiers_of_reads_every_source_in_one_query_and_gives_what_the_relationships_give(app_ctx):
    from committee.offers.models import ManualRedaction
    from tests.factories import make_coalition_scoring_procurement
    from tests.test_performance import counting

    _procurement, moderator, offer = make_coalition_scoring_procurement()
    organisation = offer.organisation
    services.add_contact(
        actor=organisation.users[0],
        organisation=organisation,
        name="Karel Kip",
        email="karel@kip.example",
        phone="06 1234 5678",
    )
    offer.manual_redactions.append(ManualRedaction(phrase="Buurtkamer De Linde", created_by_id=moderator.id))
    organisation.name = "Samen Sterk Oost en West"  # renamed after offers closed: the old name stays
    db.session.flush()
    db.session.expire_all()  # nothing in memory: what the database holds
    expected = _identifiers_through_relationships(offer)
    for secret in (
        "Samen Sterk Oost",
        "Samen Sterk Oost en West",
        "Welzijn Oost",
        "Stichting Partner Oost",
        "SSO Buurtteam",
        "Karel Kip",
        "karel@kip.example",
        "06 1234 5678",
        "Buurtkamer De Linde",
    ):
        assert secret in expected, secret
    db.session.expire_all()
    from flask import current_app

    with counting(current_app) as statements:
        found = services.identifiers_of(offer)
    assert found == expected
    assert len([s for s in statements if "UNION ALL" in s]) == 1
