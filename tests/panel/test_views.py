"""The committee's pages: public form, letters with a short code, accepting, the draw's progress."""

import re

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.panel import draws, recruitment, services
from committee.panel.models import Application, CommitteeMember, Draw, DrawStatus, MemberSource
from committee.procurement.models import Procurement
from committee.procurement.phases import Phase
from committee.ratelimit import limiter
from tests.factories import login, make_application, make_recruiting_procurement


def _recruiting(app):
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(categories="Woning: huur, koop")
        db.session.commit()
        return procurement.id, procurement.neighbourhood.slug, moderator.id


def _apply_data(**overrides):
    return {
        "name": "Ria Proef",
        "email": "",
        "phone": "06 1234 5678",
        "cat_buurt": "Zuid",
        "cat_leeftijd": "65+",
        "cat_woning": "",
        "consent": "y",
        **overrides,
    }


def test_a_resident_applies_without_an_account(app, client):
    pid, slug, _ = _recruiting(app)
    url = f"/wijk/{slug}/aanbesteding/{pid}/aanmelden"
    assert "Aanmelden voor de selectiecommissie" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=_apply_data())
    assert response.status_code == 302 and response.headers["Location"].endswith("/aanmelden/bedankt")
    with app.app_context():
        application = db.session.query(Application).one()
        assert application.phone == "06 1234 5678"
        assert application.demographics.values == {"buurt": "Zuid", "leeftijd": "65+"}


def test_without_an_email_address_the_thanks_page_shows_the_receipt_code_once(app, client):
    """The receipt code lets an applicant check their own entry in the published draw; one who
    left no address gets it on the thanks page, once, and one with an address by mail only."""
    from committee.lottery.public import show_code

    pid, slug, _ = _recruiting(app)
    url = f"/wijk/{slug}/aanbesteding/{pid}/aanmelden"
    thanks = client.post(url, data=_apply_data(), follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        code = show_code(db.session.query(Application).one().receipt_code)
    assert "Uw bewijscode voor de loting:" in thanks and code in thanks
    again = client.get(f"/wijk/{slug}/aanbesteding/{pid}/aanmelden/bedankt").get_data(as_text=True)
    assert code not in again and "Uw bewijscode" not in again
    mailed = client.post(
        url, data=_apply_data(name="Sem Proef", email="sem@bewoner.example"), follow_redirects=True
    )
    assert "Uw bewijscode voor de loting:" not in mailed.get_data(as_text=True)


def test_an_application_without_consent_is_shown_again_with_the_reason(app, client):
    pid, slug, _ = _recruiting(app)
    response = client.post(f"/wijk/{slug}/aanbesteding/{pid}/aanmelden", data=_apply_data(consent=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Zonder uw akkoord" in page and 'value="Ria Proef"' in page


def test_applications_are_rate_limited(app, client):
    pid, slug, _ = _recruiting(app)
    app.config["RATE_LIMIT_APPLY"] = "1 per hour"
    try:
        with app.app_context():
            limiter.reset()
        url = f"/wijk/{slug}/aanbesteding/{pid}/aanmelden"
        statuses = [client.post(url, data=_apply_data(name=f"Ria {i}")).status_code for i in range(2)]
    finally:
        app.config["RATE_LIMIT_APPLY"] = "1000 per minute"
        with app.app_context():
            limiter.reset()
    assert statuses == [302, 429]


def _member_with_letter(app, client):
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement()
        application = make_application(procurement, email=None, postal_address="Dorpsstraat 1")
        member = services.seat_application(
            procurement=procurement, application=application, source=MemberSource.HAND
        )
        db.session.commit()
        pid, member_id = procurement.id, member.id
        login(client, moderator)
    page = client.post(f"/beheer/aanbesteding/{pid}/leden/brief", data={"member_id": member_id}).get_data(
        as_text=True
    )
    code = re.search(r'class="short-code">([A-Z0-9-]+)<', page).group(1)
    client.post("/uitloggen")
    return pid, member_id, page, code


def test_a_letter_has_a_qr_code_a_short_code_and_the_address(app, client):
    _pid, _mid, page, code = _member_with_letter(app, client)
    assert 'src="data:image/svg+xml' in page and "Dorpsstraat 1" in page
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)


def test_the_letter_code_logs_in_once_and_leads_to_the_house_rules(app, client):
    pid, _mid, _page, code = _member_with_letter(app, client)
    response = client.post("/code", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/commissie/{pid}/welkom")
    other_device = app.test_client()
    again = other_device.post("/code", data={"code": code})
    assert again.status_code == 422 and "werkt niet (meer)" in again.get_data(as_text=True)


def test_accepting_needs_the_house_rules_and_stores_the_choices(app, client):
    pid, member_id, _page, code = _member_with_letter(app, client)
    client.post("/code", data={"code": code})
    url = f"/commissie/{pid}/welkom"
    refused = client.post(url, data={"contact_preference": "via_municipality"})
    assert refused.status_code == 422 and "spelregels aanneemt" in refused.get_data(as_text=True)
    done = client.post(
        url,
        data={
            "accept_rules": "y",
            "contact_preference": "via_municipality",
            "connections": "Vrijwilliger bij Stichting Proef",
            "public_name": "",
        },
    )
    assert done.status_code == 302
    with app.app_context():
        member = db.session.get(CommitteeMember, member_id)
        assert member.accepted_at and member.contact_preference.value == "via_municipality"
        assert member.public_name is False


def _queued_draw(app):
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(seats=3)
        for i in range(6):
            make_application(procurement, buurt=["Noord", "Zuid"][i % 2])
        recruitment.open_composition(actor=moderator, procurement=procurement)
        draws.reset_quotas(actor=moderator, procurement=procurement)
        draw = draws.prepare_draw(actor=moderator, procurement=procurement)
        draws.start_draw(actor=moderator, draw=draw)
        db.session.commit()
        return draw.id, moderator.id


def test_while_a_draw_runs_htmx_polls_a_fragment_and_the_page_offers_a_reload(app, client):
    draw_id, moderator = _queued_draw(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    fragment = client.get(f"/beheer/loting/{draw_id}", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in text and "<html" not in text
    page = client.get(f"/beheer/loting/{draw_id}").get_data(as_text=True)
    assert "Vernieuwen" in page and 'aria-live="polite"' in page


def test_the_finished_draw_stops_polling(app, client):
    draw_id, moderator = _queued_draw(app)
    with app.test_request_context():
        draws.run_draw(draw_id=draw_id)
        login(client, db.session.get(User, moderator))
        assert db.session.get(Draw, draw_id).status == DrawStatus.DONE
    text = client.get(f"/beheer/loting/{draw_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in text and "Bekijk de uitslag" in text


def test_the_public_page_shows_the_make_up_and_names_only_by_choice_after_scoring(app, client):
    draw_id, _moderator = _queued_draw(app)
    with app.test_request_context():
        draws.run_draw(draw_id=draw_id)
        draw = db.session.get(Draw, draw_id)
        procurement = db.session.get(Procurement, draw.procurement_id)
        named = procurement.members[0]
        named.public_name = True
        names = [m.user.name for m in procurement.members]
        db.session.commit()
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Wie zit in de commissie" in page and "verborgen" in page
    assert not any(name in page for name in names)  # not before scoring has closed
    with app.test_request_context():
        db.session.get(Procurement, procurement.id).phase = Phase.DELIBERATION
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert names[0] in page and not any(name in page for name in names[1:])


def test_a_replacement_without_a_reason_is_refused_beside_the_field(app, client):
    draw_id, moderator = _queued_draw(app)
    with app.test_request_context():
        draws.run_draw(draw_id=draw_id)
        procurement = db.session.get(Procurement, db.session.get(Draw, draw_id).procurement_id)
        member_id, pid = procurement.members[0].id, procurement.id
        login(client, db.session.get(User, moderator))
    response = client.post(
        f"/beheer/aanbesteding/{pid}/samenstelling/lid/{member_id}/vervangen",
        data={f"m{member_id}-note": "Zegt af"},
    )
    assert response.status_code == 422 and f'id="m{member_id}-reason-fout"' in response.get_data(as_text=True)


def test_the_moderator_enters_a_paper_application(app, client):
    pid, _slug, moderator = _recruiting(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    response = client.post(
        f"/beheer/aanbesteding/{pid}/aanmelding-op-papier",
        data=_apply_data(email="", phone="", postal_address="Kerkpad 2"),
    )
    assert response.status_code == 302
    with app.app_context():
        from committee.lottery.public import show_code

        application = db.session.query(Application).one()
        assert application.source == "paper"
        code = show_code(application.receipt_code)
    # The moderator passes the receipt code on in the letter: the page after saving shows it.
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Geef Ria Proef deze bewijscode voor de loting door, bijvoorbeeld in de brief: {code}" in page


def _composing_draw(app):
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(seats=3)
        for i in range(7):
            make_application(procurement, buurt=["Noord", "Noord", "Zuid"][i % 3])
        recruitment.open_composition(actor=moderator, procurement=procurement)
        draws.reset_quotas(actor=moderator, procurement=procurement)
        db.session.commit()
        return procurement.id, moderator.id


def test_the_moderator_chooses_leximin_or_maximin_and_leximin_is_preselected(app, client):
    pid, moderator = _composing_draw(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    page = client.get(f"/beheer/aanbesteding/{pid}/samenstelling").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="leximin"|<input[^>]*value="leximin"[^>]*checked', page)
    response = client.post(f"/beheer/aanbesteding/{pid}/samenstelling/loting", data={"algorithm": "maximin"})
    assert response.status_code == 302
    with app.app_context():
        draw = db.session.scalars(sa.select(Draw).where(Draw.procurement_id == pid)).one()
        assert draw.inputs["algorithm"] == "maximin"


def test_an_unknown_method_is_refused_in_plain_dutch(app, client):
    pid, moderator = _composing_draw(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    response = client.post(f"/beheer/aanbesteding/{pid}/samenstelling/loting", data={"algorithm": "gurobi"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not a valid choice" not in text
    assert "Ongeldige keuze" in text  # WTForms' own Dutch message, through Flask-WTF's i18n
    with app.app_context():
        assert db.session.scalars(sa.select(Draw).where(Draw.procurement_id == pid)).first() is None


def test_the_public_draw_page_shows_each_chance_and_the_comparison(app, client):
    pid, moderator = _composing_draw(app)
    with app.test_request_context():
        procurement = db.session.get(Procurement, pid)
        draw = draws.prepare_draw(actor=db.session.get(User, moderator), procurement=procurement)
        draws.start_draw(actor=db.session.get(User, moderator), draw=draw)
        db.session.commit()
        draws.run_draw(draw_id=draw.id)
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{pid}/loting/{draw.id}"
    text = client.get(url).get_data(as_text=True)
    assert "Kans op een plaats" in text and "een zo gelijk mogelijke kans" in text
    assert "De kleinste kans per methode" in text and "(gebruikt)" in text
    assert re.search(r"\d+,\d%", text)  # chances as Dutch percentages
