"""The offers pages: who may open what, forms that answer 422 in Dutch, files served safely."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from committee.extensions import db
from committee.offers import review, storage
from committee.offers import services as offer_services
from committee.offers.models import Annex, AnnexStatus, Contact, Offer, Partner, Question
from committee.panel import services as panel
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from committee.timeutil import local_today
from tests.factories import (
    add_annex,
    close_offers,
    declare_all,
    login,
    make_bidder,
    make_moderator,
    make_offer,
    make_resident,
    open_procurement,
    register_bidder,
    release_to_committee,
)
from tests.pdfs import make_pdf

MEMBER = "Ria Geheimlid"


def _two_bidders(app, release: bool = False):
    """Bidders A and B, each with an offer, an annex, a question, a partner and a contact."""
    with app.test_request_context():
        moderator = make_moderator()
        procurement = open_procurement(moderator)
        panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident(name=MEMBER))
        bidders = {}
        for label in ("A", "B"):
            bidder = make_bidder(organisation=f"Stichting Eigen{label}wijs", name=f"Contact Eigen{label}")
            offer_services.add_partner(
                actor=bidder,
                organisation=bidder.organisation,
                name=f"Partner Eigen{label}",
                kvk_number=None,
                website=None,
                is_lead=True,
            )
            offer_services.add_contact(
                actor=bidder,
                organisation=bidder.organisation,
                name=f"Persoon Eigen{label}",
                email=None,
                phone=None,
            )
            make_offer(procurement, bidder, plan=f"Geheim plan {label}: zandbak{label}")
            add_annex(
                procurement,
                bidder,
                make_pdf([[f"Bijlage zandbak{label}"]]),
                filename=f"eigen{label}.pdf",
            )
            offer_services.ask_question(
                actor=bidder,
                procurement=procurement,
                today=local_today(),
                body=f"Vraag zandbak{label}?",
            )
            bidders[label] = bidder
        if release:
            release_to_committee(procurement, moderator)
            declare_all(procurement, moderator)
        db.session.commit()
        return procurement.id, {k: b.id for k, b in bidders.items()}, moderator.id


def _login(app, client, user_id: int):
    from committee.auth.models import User

    with app.test_request_context():
        login(client, db.session.get(User, user_id))


def _org(app, user_id: int) -> int:
    from committee.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).organisation_id


def _values(app, name: str) -> list:
    """Every value worth guessing for a URL argument: each existing id and one that is not."""
    models = {
        "procurement_id": Procurement,
        "offer_id": Offer,
        "annex_id": Annex,
        "question_id": Question,
        "neighbourhood_id": Procurement,
    }
    if name in models:
        with app.app_context():
            ids = list(db.session.scalars(sa.select(models[name].id)))
        return [*ids, max(ids, default=0) + 1]
    return {
        "pseudonym": ["A", "B", "C"],
        "number": [1, 2],
        "token": ["geraden"],
        "code": ["nl"],
        "slug": ["geraden"],
    }.get(name, ["1"])


def _every_get(app):
    """(endpoint, url) for every GET route with every guessable value filled in."""
    from itertools import product

    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        for combo in product(*[_values(app, n) for n in names]):
            yield rule.endpoint, adapter.build(rule.endpoint, dict(zip(names, combo, strict=True)))


def _text(response) -> str:
    return response.get_data().decode("utf-8", errors="replace")


def test_a_bidder_never_sees_another_bidders_offer_or_a_committee_member(app, client):
    _, bidders, _ = _two_bidders(app)
    _login(app, client, bidders["A"])
    opened = 0
    for endpoint, url in _every_get(app):
        response = client.get(url)
        body = _text(response)
        for secret in ("EigenB", "zandbakB", MEMBER):
            assert secret not in body, (endpoint, url, secret)
        opened += response.status_code == 200
    assert opened >= 10  # the bidder's own pages did open


def test_a_bidder_cannot_remove_another_bidders_annex_partner_or_contact(app, client):
    procurement_id, bidders, _ = _two_bidders(app)
    other = _org(app, bidders["B"])
    with app.app_context():
        annex = db.session.scalar(sa.select(Annex.id).join(Offer).where(Offer.organisation_id == other))
        partner = db.session.scalar(sa.select(Partner.id).where(Partner.organisation_id == other))
        contact = db.session.scalar(sa.select(Contact.id).where(Contact.organisation_id == other))
    _login(app, client, bidders["A"])
    assert (
        client.post(
            f"/aanbieder/aanbesteding/{procurement_id}/bijlagen/verwijderen",
            data={"item_id": annex},
        ).status_code
        == 302
    )
    assert (
        client.post("/aanbieder/organisatie/partners/verwijderen", data={"item_id": partner}).status_code
        == 404
    )
    assert (
        client.post(
            "/aanbieder/organisatie/contactpersonen/verwijderen", data={"item_id": contact}
        ).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(Annex, annex) and db.session.get(Partner, partner)
        assert db.session.get(Contact, contact)


def test_bidders_and_members_cannot_open_moderator_pages(app, client):
    procurement_id, bidders, _ = _two_bidders(app, release=True)
    with app.app_context():
        member = db.session.get(Procurement, procurement_id).members[0].user_id
    for person in (bidders["A"], member):
        fresh = app.test_client()
        _login(app, fresh, person)
        for url in (
            f"/beheer/aanbesteding/{procurement_id}",
            f"/beheer/aanbesteding/{procurement_id}/anonimisering",
            f"/beheer/aanbesteding/{procurement_id}/anonimisering/1",
            f"/beheer/aanbesteding/{procurement_id}/anonimisering/1/bijlage/1/origineel.pdf",
            f"/beheer/aanbesteding/{procurement_id}/vragen",
        ):
            assert fresh.get(url).status_code == 403, url


def test_a_member_downloads_the_anonymised_annex_under_a_neutral_name(app, client):
    procurement_id, _, _ = _two_bidders(app, release=True)
    with app.app_context():
        member = db.session.get(Procurement, procurement_id).members[0].user_id
    _login(app, client, member)
    response = client.get(f"/commissie/{procurement_id}/aanbod/A/bijlage-1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "aanbod-A-bijlage-1.pdf" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    assert "eigen" not in response.headers["Content-Disposition"].lower()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The bytes come from the store, whole: the members' copy, not the original.
    with app.app_context():
        offer = db.session.scalar(sa.select(Offer).filter_by(procurement_id=procurement_id, pseudonym="A"))
        stored = storage.get(offer.annexes[0].member_file)
        assert response.data == stored != storage.get(offer.annexes[0].original_file)
    assert int(response.headers["Content-Length"]) == len(stored)
    page = _text(client.get(f"/commissie/{procurement_id}/aanbod/A"))
    assert f"/commissie/{procurement_id}/aanbod/A/bijlage-1.pdf" in page


def test_a_member_of_another_committee_cannot_download_the_annex(app, client):
    procurement_id, _, _ = _two_bidders(app, release=True)
    with app.test_request_context():
        outsider = make_resident()
        other = open_procurement()
        panel.seat_existing(actor=None, procurement=other, user=outsider)
        db.session.commit()
        login(client, outsider)
    assert client.get(f"/commissie/{procurement_id}/aanbod/A/bijlage-1.pdf").status_code == 404


def test_before_release_the_member_cannot_download_anything(app, client):
    procurement_id, _, _ = _two_bidders(app)
    with app.test_request_context():
        procurement = db.session.get(Procurement, procurement_id)
        close_offers(procurement)
        offers = procurement_services.submitted_offers(procurement)
        for offer in offers:
            review.approve(actor=None, offer=offer)
        offers[0].pseudonym = "A"  # even with a label, the offers are not released yet
        db.session.commit()
        member = procurement.members[0].user_id
    _login(app, client, member)
    assert client.get(f"/commissie/{procurement_id}/aanbod/A/bijlage-1.pdf").status_code == 404


# Forms ----------------------------------------------------------------------------------------


def _bidder_in_open_call(app, client):
    with app.test_request_context():
        procurement = open_procurement()
        bidder = make_bidder()
        db.session.commit()
        login(client, bidder)
        return procurement.id, bidder


def test_uploading_something_that_is_not_a_pdf_answers_422_beside_the_field(app, client):
    procurement_id, _ = _bidder_in_open_call(app, client)
    response = client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/bijlagen",
        data={"file": (io.BytesIO(b"GIF89a not a pdf"), "foto.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert re.search(r'id="file-fout"[^>]*>\s*Dit bestand is geen PDF', _text(response))


def test_uploading_without_choosing_a_file_answers_422(app, client):
    procurement_id, _ = _bidder_in_open_call(app, client)
    response = client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/bijlagen",
        data={},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Kies een PDF-bestand." in _text(response)


def test_a_pdf_upload_is_listed_and_the_receipt_names_its_fingerprint(app, client):
    procurement_id, bidder = _bidder_in_open_call(app, client)
    response = client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/bijlagen",
        data={"file": (io.BytesIO(make_pdf([["a"], ["b"]])), "plan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "plan.pdf" in _text(client.get(f"/aanbieder/aanbesteding/{procurement_id}/aanbod"))
    client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/aanbod",
        data={
            "plan": "Plan",
            "team": "Team",
            "results": "Zo",
            "budget_asked": "1000",
            "submit": "y",
        },
    )
    from committee.mail import OutboxMessage  # not at module level: it shadows extensions.mail

    with app.app_context():
        sha = db.session.scalar(sa.select(Annex.sha256))
        mail = db.session.scalar(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    assert sha in _text(client.get(f"/aanbieder/aanbesteding/{procurement_id}/ontvangstbewijs"))
    assert sha in mail.body and "plan.pdf" in mail.body


def test_a_file_over_the_request_limit_gets_a_plain_error_page(app, client):
    procurement_id, _ = _bidder_in_open_call(app, client)
    big = b"%PDF-1.7\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/bijlagen",
        data={"file": (io.BytesIO(big), "groot.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "te groot" in _text(response)


def test_an_empty_question_answers_422_and_a_question_is_kept(app, client):
    procurement_id, _ = _bidder_in_open_call(app, client)
    response = client.post(f"/uitvragen/{procurement_id}/vragen", data={"body": ""})
    assert response.status_code == 422 and "Vul dit veld in." in _text(response)
    response = client.post(f"/uitvragen/{procurement_id}/vragen", data={"body": "Mag het?"})
    assert response.status_code == 302
    assert "nog niet beantwoord" in _text(client.get(f"/uitvragen/{procurement_id}"))


def test_the_public_call_shows_published_answers_without_the_asker(app, client):
    procurement_id, bidders, moderator_id = _two_bidders(app)
    with app.test_request_context():
        from committee.auth.models import User

        moderator = db.session.get(User, moderator_id)
        for question in offer_services.all_questions(db.session.get(Procurement, procurement_id)):
            offer_services.answer_question(
                actor=moderator, question=question, public_question="Mag dat?", answer="Ja, zeker."
            )
        offer_services.publish_answers(
            actor=moderator, procurement=db.session.get(Procurement, procurement_id)
        )
        db.session.commit()
    page = _text(client.get(f"/uitvragen/{procurement_id}"))
    assert "Ja, zeker." in page and "Nota van inlichtingen 1" in page
    assert "Eigen" not in page and "zandbak" not in page


def test_a_coalition_registers_with_its_lead_party(app, client):
    response = client.post(
        "/aanbieder/registreren",
        data={
            "kind": "coalition",
            "organisation": "Samen Noord",
            "lead_name": "",
            "name": "Ans",
            "email": "ans@noord.example",
            "password": "een lang wachtwoord",
        },
    )
    assert response.status_code == 422 and "penvoerder" in _text(response)
    response = register_bidder(
        client,
        {
            "kind": "coalition",
            "organisation": "Samen Noord",
            "lead_name": "Stichting Voorop",
            "name": "Ans",
            "email": "ans@noord.example",
            "password": "een lang wachtwoord",
        },
    )
    assert response.status_code == 302
    assert "Stichting Voorop" in _text(client.get("/aanbieder/organisatie"))


def test_the_moderator_sees_every_redaction_highlighted_and_approves(app, client):
    procurement_id, bidders, moderator_id = _two_bidders(app)
    with app.test_request_context():
        close_offers(db.session.get(Procurement, procurement_id))
        db.session.commit()
    _login(app, client, moderator_id)
    organisation_id = _org(app, bidders["A"])
    with app.app_context():
        offer_id = db.session.scalar(sa.select(Offer.id).where(Offer.organisation_id == organisation_id))
    url = f"/beheer/aanbesteding/{procurement_id}/anonimisering/{offer_id}"
    client.post(f"{url}/weglaten", data={"phrase": "geheim plan"})
    page = _text(client.get(url))
    assert page.count('<mark class="redaction">') >= 2
    assert client.post(f"{url}/goedkeuren").status_code == 302
    assert "goedgekeurd" in _text(client.get(f"/beheer/aanbesteding/{procurement_id}/anonimisering"))


def test_approval_with_an_open_finding_answers_422_with_the_reason(app, client):
    with app.test_request_context():
        moderator = make_moderator()
        procurement = open_procurement(moderator)
        bidder = make_bidder(organisation="Stichting Verklikker")
        offer = make_offer(procurement, bidder)
        add_annex(procurement, bidder, make_pdf([["Stichting Verklikker"]]))
        close_offers(procurement, moderator)
        db.session.commit()
        url = f"/beheer/aanbesteding/{procurement.id}/anonimisering/{offer.id}"
        login(client, moderator)
    response = client.post(f"{url}/goedkeuren")
    assert response.status_code == 422 and "laat deze pagina weg" in _text(response)


def test_a_member_who_has_not_declared_yet_cannot_download_the_annex(app, client):
    """The annex follows the offer: no reading before the declaration is confirmed."""
    procurement_id, _, _ = _two_bidders(app, release=False)
    with app.test_request_context():
        procurement = db.session.get(Procurement, procurement_id)
        release_to_committee(procurement)
        member = procurement.members[0].user
        db.session.commit()
        login(client, member)
    assert client.get(f"/commissie/{procurement_id}/aanbod/A/bijlage-1.pdf").status_code == 404


def test_a_bidder_writes_the_budget_as_people_do_and_gets_one_plain_message_for_cents(app, client):
    procurement_id, _ = _bidder_in_open_call(app, client)
    url = f"/aanbieder/aanbesteding/{procurement_id}/aanbod"
    form = {"plan": "Plan", "team": "Team", "results": "Zo", "save": "y"}
    response = client.post(url, data={**form, "budget_asked": "85000,50"})
    assert response.status_code == 422
    page = _text(response)
    hint = "Schrijf het bedrag in hele euro&#39;s, zonder centen."
    assert page.count(hint) == 2  # in the summary and beside the field; nothing else about it
    assert "Ongeldig getal" not in page and 'value="85000,50"' in page
    assert client.post(url, data={**form, "budget_asked": "€ 85.000"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Offer.budget_asked)) == 85_000


def test_the_bidder_sees_the_check_running_then_its_result_with_and_without_javascript(app, client):
    procurement_id, _ = _bidder_in_open_call(app, client)
    client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/bijlagen",
        data={"file": (io.BytesIO(make_pdf([["a"], ["b"]])), "plan.pdf")},
        content_type="multipart/form-data",
    )
    with app.app_context():  # as if the consumer has not got to it yet
        db.session.execute(sa.update(Annex).values(status=AnnexStatus.QUEUED))
        db.session.commit()
    page = _text(client.get(f"/aanbieder/aanbesteding/{procurement_id}/aanbod"))
    assert "bezig met controleren" in page
    assert re.search(r'<a class="utrecht-link" href="[^"]*/aanbod#bijlagen">Vernieuw</a>', page)  # no JS
    assert 'hx-trigger="every 2s"' in page and 'http-equiv="refresh"' not in page
    fragment = client.get(f"/aanbieder/aanbesteding/{procurement_id}/aanbod", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="bijlagen-lijst"') and "<html" not in fragment.text
    with app.app_context():
        db.session.execute(sa.update(Annex).values(status=AnnexStatus.REFUSED, refusal="encrypted"))
        db.session.commit()
    fragment = client.get(f"/aanbieder/aanbesteding/{procurement_id}/aanbod", headers={"HX-Request": "true"})
    assert "beveiligd met een wachtwoord" in fragment.text and "hx-trigger" not in fragment.text
    submit = client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/aanbod",
        data={"plan": "Plan", "team": "Team", "results": "Zo", "budget_asked": "1000", "submit": "y"},
    )
    assert submit.status_code == 422 and "Bijlage 1 kunnen we niet gebruiken" in _text(submit)


def test_a_member_sees_how_many_pages_each_annex_keeps_and_which_were_left_out(app, client):
    procurement_id, _, _ = _two_bidders(app, release=True)
    with app.app_context():
        member = db.session.get(Procurement, procurement_id).members[0].user_id
        offer = db.session.scalar(sa.select(Offer).filter_by(procurement_id=procurement_id, pseudonym="A"))
        pages = offer.annexes[0].pages
        assert pages, "the fixture's annex has pages"
        pages[0].excluded = True
        db.session.commit()
        kept = len(pages) - 1
        listed = offer_services.member_annexes(offer)
    assert [(a.number, a.pages, a.left_out, a.available) for a in listed] == [(1, kept, (1,), True)]
    _login(app, client, member)
    page = _text(client.get(f"/commissie/{procurement_id}/aanbod/A"))
    assert "Weggelaten pagina's: 1, omdat de aanbieder erin te herkennen was." in page
    assert f"Bijlage 1 (PDF, {kept} pagina" in page
    # The page is kept in pieces (committee/fragments.py): the moderator's next choice shows at
    # once. The page is put back, and an annex whose check failed never reaches the member.
    with app.app_context():
        offer = db.session.scalar(sa.select(Offer).filter_by(procurement_id=procurement_id, pseudonym="A"))
        offer.annexes[0].pages[0].excluded = False
        db.session.add(
            Annex(
                offer=offer,
                position=2,
                original_name="kapot.pdf",
                size=1,
                sha256="0" * 64,
                page_count=1,
                original_file="f" * 32 + ".pdf",
                clean_file="e" * 32 + ".pdf",
                status=AnnexStatus.FAILED,
            )
        )
        db.session.commit()
    page = _text(client.get(f"/commissie/{procurement_id}/aanbod/A"))
    assert "Weggelaten pagina's" not in page
    assert f"Bijlage 1 (PDF, {kept + 1} pagina" in page
    assert "Bijlage 2" not in page
