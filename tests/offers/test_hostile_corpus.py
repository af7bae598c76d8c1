"""Forty hostile offers, and not one identifier reaches a page or file a committee member can open.

Each offer hides its bidder's declared identifiers (organisation, partner and contact names,
website, KvK number) and contact details in its text, its question, its PDF annex and the annex's
file name, with a different trick each: odd case, spacing, accents, look-alike letters, names split
over lines; PDF metadata, XMP, annotations, bookmarks, embedded files, an earlier revision, form
fields, hidden text. The moderator does only what the review page asks (leave out pages with a
finding, look at images, approve); then a member walks every route they can reach, in scoring
and in deliberation, and nothing of any bidder may turn up in any response or file.
"""

from __future__ import annotations

import unicodedata

from flask import Flask

from committee.extensions import db
from committee.offers import review
from committee.offers import services as offer_services
from committee.offers.anonymise import fold
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
    make_procurement,
    make_resident,
)
from tests.pdfs import everything_in, make_pdf, with_earlier_revision

# Every endpoint a committee member can reach: anything public, any logged-in user's, and the
# resident's and member's own. A new route of that kind fails this list until it is added here
# (and so gets crawled below).
MEMBER_ROUTES = {
    "audit.public",
    "audit.current_checkpoint",
    "audit.public_key",
    "publication.decision_checkpoint",
    "monitoring.new_signal",
    "monitoring.send_signal",
    "publication.decisions_feed",
    "publication.neighbourhood_feed",
    "publication.ocds_package",
    "publication.poster",
    "publication.print_decision",
    "publication.qr_code",
    "auth.short_code",
    "auth.short_code_post",
    "needs.public",
    "needs.respond",
    "needs.thanks",
    "panel.accept",
    "panel.accept_post",
    "panel.contact",
    "panel.contact_post",
    "panel.applied",
    "panel.apply",
    "panel.apply_post",
    "panel.public_draw",
    "panel.public_draw_json",
    "auth.second_factor",
    "auth.second_factor_post",
    "auth.setup_second_factor",
    "auth.setup_second_factor_post",
    "publication.accessibility",
    "publication.privacy",
    "publication.security_txt",
    "scoring.briefing",
    "scoring.briefing_post",
    "panel.receipt_check",
    "panel.receipt_check_post",
    "planning.calendar",
    "planning.confirm_follow",
    "planning.confirm_follow_post",
    "planning.feed",
    "planning.follow",
    "planning.follow_post",
    "planning.follow_sent",
    "planning.neighbourhood",
    "planning.neighbourhood_feed",
    "planning.unfollow",
    "planning.unfollow_post",
    "stories.create",
    "stories.mine",
    "stories.neighbourhood",
    "stories.new",
    "stories.photo",
    "stories.withdraw",
    "challenges.advice",
    "challenges.committee",
    "presentation.offer",
    "presentation.offers",
    "presentation.result",
    "presentation.save",
    "scoring.declaration",
    "scoring.declare",
    "scoring.meeting",
    "scoring.tally",
    "auth.invitation",
    "auth.invitation_post",
    "auth.login",
    "auth.login_post",
    "auth.logout",
    "auth.register",
    "auth.register_post",
    "auth.registration_sent",
    "auth.confirm_registration",
    "auth.confirm_registration_post",
    "panel.claim",
    "panel.claim_post",
    "panel.confirm_claim",
    "offers.call",
    "offers.calls",
    "offers.member_annex",
    "publication.healthz",
    "publication.home",
    "publication.neighbourhood",
    "publication.procurement",
    "publication.rationale",
    "publication.rationale_post",
    "scoring.home",
    "scoring.offer",
    "scoring.offers",
    "scoring.save",
    "scoring.submit",
    "switch_language",
}
MEMBER_RULES = {"public", "login", "resident", "member_or_moderator"}

WORDS = [
    "Kwispelstaart",
    "Zonnevlinder",
    "Pimpelmees",
    "Wolkenkrabber",
    "Duizendpoot",
    "Regenboogvis",
    "Klaprooswei",
    "Boterbloemen",
    "Eekhoornnest",
    "Lieveheersbeest",
    "Knotwilgen",
    "Vuurtorenlicht",
    "Zeehondje",
    "Appelbloesem",
    "Kabouterpad",
    "Sterrenkijker",
    "Brandnetel",
    "Kikkerdril",
    "Molenwiek",
    "Notenkraker",
    "Paddenstoel",
    "Rietkraag",
    "Sleedoorn",
    "Tuinkabouter",
    "Uilenbal",
    "Veldleeuwerik",
    "Waterjuffer",
    "Zandloper",
    "Hazelworm",
    "Goudvink",
    "Korenbloem",
    "Distelvink",
    "Heidebloem",
    "Kievitsei",
    "Lijsterbes",
    "Meidoorn",
    "Nachtegaal",
    "Ooievaarsnest",
    "Parelhoen",
    "Wilgenroosje",
]
PARTNERS = [
    "Bakkerij Korstje",
    "Fietsmaker Spaakvast",
    "Kapsalon Krulleboel",
    "Garage Zuigerveer",
    "Drukkerij Letterzetter",
    "Kwekerij Stekkieblad",
    "Timmerman Zaagsel",
]
FIRST = [
    "Gerlinde",
    "Adalbert",
    "Hildegard",
    "Ludovicus",
    "Walburga",
    "Theodorik",
    "Ermengard",
    "Bonifatius",
]
SURNAME_PARTS = [
    "Brommel",
    "Knolle",
    "Spekke",
    "Wilte",
    "Hoogen",
    "Dijkstee",
    "Zandhove",
    "Berkel",
    "Vossin",
    "Molder",
]
SURNAME_ENDS = ["kamp", "veld", "horst", "broek", "hoek", "stein", "dorp", "wijck"]

_BOLD = {
    **{chr(ord("A") + i): chr(0x1D400 + i) for i in range(26)},
    **{chr(ord("a") + i): chr(0x1D41A + i) for i in range(26)},
}
_CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с", "p": "р"})
_ACCENTS = str.maketrans({"a": "á", "e": "é", "i": "ï", "o": "ö", "u": "ü"})


def _middle(word: str, insert: str) -> str:
    return word[: len(word) // 2] + insert + word[len(word) // 2 :]


# Ways to write a name so that a naive search misses it.
NAME_TRICKS = [
    str.upper,
    str.lower,
    lambda s: "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(s)),
    lambda s: s.replace(" ", "    "),
    lambda s: " ".join(s),
    lambda s: s.replace(" ", "\n"),
    lambda s: " ".join(_middle(w, "-\n") if len(w) > 6 else w for w in s.split()),
    lambda s: s.translate(_ACCENTS),
    lambda s: unicodedata.normalize("NFD", s.translate(_ACCENTS)),
    lambda s: " ".join(_middle(w, "\u00ad") for w in s.split()),
    lambda s: " ".join(_middle(w, "\u200b") for w in s.split()),
    lambda s: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s),
    lambda s: s.translate(_CYRILLIC),
    lambda s: "".join(_BOLD.get(c, c) for c in s),
    lambda s: s.replace(" ", "\u00a0"),
    lambda s: s.replace(" ", "\r\n      "),
    lambda s: s.replace(" ", "_"),
    lambda s: s.replace(" ", ""),
    lambda s: ".".join(s.split()),
    lambda s: "(" + s.replace(" ", " \t ") + ")",
]

# Ways to give away contact details in the text.
CONTACT_TRICKS = [
    lambda b: f"Mail {b['email']}",
    lambda b: f"Mail {b['email'].replace('@', ' (at) ').replace('.', ' (punt) ')}",
    lambda b: f"Mail {b['email'].upper()}",
    lambda b: f"Kijk op https://{b['domain']}/over-ons.",
    lambda b: f"Kijk op WWW.{b['domain'].upper()}",
    lambda b: f"Kijk op {b['domain']}/team",
    lambda b: f"Bel {b['phone']}",
    lambda b: f"Bel +31 6 {b['phone'][3:7]} {b['phone'][7:]}",
    lambda b: f"Bel 0031-6-{b['phone'][3:]}",
    lambda b: f"IBAN {b['iban']}",
    lambda b: f"Rekening {b['iban'].replace(' ', '').lower()}",
    lambda b: f"Adres: Dorpsstraat {b['house']}, {b['postcode']} Proefstad",
    lambda b: f"Postcode {b['postcode'].replace(' ', '').lower()} {b['house']}",
    lambda b: f"KvK: {b['kvk'][:4]} {b['kvk'][4:]}",
    lambda b: f"Ingeschreven bij de Kamer van Koophandel onder nummer {b['kvk']}",
]


def _pdf_tricks():
    """Each returns the annex for bidder ``b`` with its identifiers hidden in one more place."""
    plain = [["Bijlage bij ons aanbod: de planning per kwartaal."]]
    return [
        lambda b: make_pdf(
            plain,
            info={
                "/Author": b["contact"],
                "/Title": b["name"],
                "/Creator": b["domain"],
                "/Subject": b["kvk"],
            },
        ),
        lambda b: make_pdf(plain, xmp=f"{b['name']} {b['contact']}"),
        lambda b: make_pdf(plain, annotation=f"Opmerking van {b['contact']}, {b['name']}"),
        lambda b: make_pdf(plain, link=f"https://{b['domain']}/"),
        lambda b: make_pdf(plain, bookmark=b["name"]),
        lambda b: make_pdf(plain, attachment=(f"{b['word']}.txt", b["name"].encode())),
        lambda b: with_earlier_revision(make_pdf([[b["name"], b["contact"]]]), plain[0]),
        lambda b: make_pdf(plain, field_value=b["contact"]),
        lambda b: make_pdf(plain, javascript=f"app.alert('{b['name']}')"),
        lambda b: make_pdf(plain, page_piece_info=b["name"]),
        lambda b: make_pdf(plain, image=True, image_metadata=b["name"]),
        lambda b: make_pdf(plain, actual_text=b["name"]),
        lambda b: make_pdf(plain, invisible_text=b["name"]),
        lambda b: make_pdf(plain, form_text=b["contact"]),
        lambda b: make_pdf(plain, font_name=b["word"]),
        lambda b: make_pdf(plain, resource_name=b["word"]),
        lambda b: make_pdf(
            [plain[0], ["Met vriendelijke groet,", b["contact"].upper(), _middle(b["name"], "-")]]
        ),
        lambda b: make_pdf(plain, hex_text=b["name"]),
        lambda b: make_pdf(plain, tj_pieces=[b["word"][:3], b["word"][3:6], b["word"][6:]]),
        lambda b: make_pdf(plain),  # only the file name gives it away
        lambda b: make_pdf([plain[0] + [f"Contact: {b['email']}"]]),
        lambda b: make_pdf([["Stichting", b["word"], "werkt hier al jaren."]]),
    ]


def _bidders() -> list[dict]:
    found = []
    for i, word in enumerate(WORDS):
        first = FIRST[i % len(FIRST)]
        surname = SURNAME_PARTS[i % len(SURNAME_PARTS)] + SURNAME_ENDS[i % len(SURNAME_ENDS)]
        domain = f"{word.lower()}.example"
        found.append(
            {
                "word": word,
                "name": f"Stichting {word}",
                "kvk": f"{71_000_000 + i * 104_729:08d}",
                "domain": domain,
                "website": f"https://www.{domain}",
                "contact": f"{first} {surname}{i}",
                "email": f"{first.lower()}{i}@{domain}",
                "phone": f"06-{38_000_000 + i * 7_919:08d}",
                "iban": f"NL{10 + i:02d} RABO {3_000_000_000 + i * 104_729:010d}"[:22],
                "postcode": f"{4100 + i} K{chr(ord('A') + i % 26)}",
                "house": str(11 + i),
                "partner": PARTNERS[i // 6] + f" {word[:4]}" if i % 6 == 0 else None,
            }
        )
    return found


def skeleton(text: str) -> str:
    """Letters and digits only, folded and lower case: what remains however a name is written."""
    folded, _ = fold(text)
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def secrets_of(b: dict) -> list[str]:
    """What must never reach a member, as skeletons."""
    found = [
        b["word"],
        b["contact"],
        b["kvk"],
        b["phone"][1:],
        b["iban"],
        b["postcode"] + b["house"],
    ]
    if b["partner"]:
        found.append(b["partner"])
    return [skeleton(s) for s in found]


def _write_offer(i: int, b: dict) -> dict[str, str]:
    trick = NAME_TRICKS[i % len(NAME_TRICKS)]
    other = NAME_TRICKS[(i + 7) % len(NAME_TRICKS)]
    contact = CONTACT_TRICKS[i % len(CONTACT_TRICKS)]
    partner = f" Samen met {NAME_TRICKS[(i + 3) % len(NAME_TRICKS)](b['partner'])}." if b["partner"] else ""
    return {
        "plan": f"Wij, {trick(b['name'])}, openen een huiskamer in de wijk.{partner} "
        f"Bewoners maken het programma.",
        "team": f"Coördinator is {other(b['contact'])}; verder twee buurtwerkers.",
        "results": f"Elk kwartaal een open avond. {contact(b)}. Ook {trick(b['word'])} doet mee.",
    }


def test_every_route_a_member_can_reach_is_named(app: Flask):
    reachable = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "access_rule", None) in MEMBER_RULES
    }
    assert reachable == MEMBER_ROUTES


def _crawl(client, app, pid: int, pseudonyms: list[str], slug: str) -> dict[str, str]:
    """Visit every member route (MEMBER_ROUTES) with every value a member could put in it."""
    seen: dict[str, str] = {}
    visited: set[str] = set()

    def keep(label: str, response, endpoint: str) -> None:
        visited.add(endpoint)
        body = response.get_data()
        if response.mimetype == "application/pdf":
            text = everything_in(body)
        else:
            text = body.decode("utf-8", errors="replace")
        seen[label] = text + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())

    def get(endpoint: str, url: str) -> None:
        keep(f"GET {url}", client.get(url), endpoint)

    def post(endpoint: str, url: str, **kwargs) -> None:
        keep(f"POST {url}", client.post(url, **kwargs), endpoint)

    get("publication.home", "/")
    get("publication.healthz", "/healthz")
    get("publication.neighbourhood", f"/wijk/{slug}")
    get("publication.procurement", f"/wijk/{slug}/aanbesteding/{pid}")
    get("offers.calls", "/uitvragen/")
    get("offers.call", f"/uitvragen/{pid}")
    get("auth.login", "/inloggen")
    get("auth.register", "/aanbieder/registreren")
    get("auth.invitation", "/uitnodiging/geraden-token")
    get("switch_language", "/taal/en?next=/commissie/")
    get("switch_language", "/taal/nl?next=/commissie/")
    get("publication.privacy", "/privacy")
    get("publication.accessibility", "/toegankelijkheid")
    get("publication.security_txt", "/.well-known/security.txt")
    get("auth.second_factor", "/inloggen/code")
    get("auth.setup_second_factor", "/inloggen/tweede-stap-instellen")
    post("auth.second_factor_post", "/inloggen/code", data={"code": "000000"})
    post("auth.setup_second_factor_post", "/inloggen/tweede-stap-instellen", data={"code": "1"})
    get("monitoring.new_signal", f"/wijk/{slug}/aanbesteding/{pid}/signaal")
    post("monitoring.send_signal", f"/wijk/{slug}/aanbesteding/{pid}/signaal", data={})
    get("publication.decisions_feed", "/besluiten.atom")
    get("publication.neighbourhood_feed", f"/wijk/{slug}/besluiten.atom")
    get("publication.ocds_package", f"/wijk/{slug}/aanbesteding/{pid}/ocds.json")
    get("publication.decision_checkpoint", f"/wijk/{slug}/aanbesteding/{pid}/logboek-controlepunt.json")
    get("audit.public", "/logboek")
    get("audit.current_checkpoint", "/logboek/controlepunt.json")
    get("audit.public_key", "/logboek/publieke-sleutel.pem")
    get("publication.poster", f"/wijk/{slug}/aanbesteding/{pid}/poster")
    get("publication.print_decision", f"/wijk/{slug}/aanbesteding/{pid}/besluit")
    get("publication.qr_code", f"/wijk/{slug}/aanbesteding/{pid}/qr.svg")
    get("auth.short_code", "/code")
    post("auth.short_code_post", "/code", data={"code": "ABCD-EF23"})
    get("needs.public", f"/wijk/{slug}/aanbesteding/{pid}/wensen")
    post("needs.respond", f"/wijk/{slug}/aanbesteding/{pid}/wensen", data={})
    get("needs.thanks", f"/wijk/{slug}/aanbesteding/{pid}/wensen/bedankt")
    get("panel.apply", f"/wijk/{slug}/aanbesteding/{pid}/aanmelden")
    post("panel.apply_post", f"/wijk/{slug}/aanbesteding/{pid}/aanmelden", data={})
    get("panel.applied", f"/wijk/{slug}/aanbesteding/{pid}/aanmelden/bedankt")
    get("panel.public_draw", f"/wijk/{slug}/aanbesteding/{pid}/loting/1")
    get("panel.public_draw_json", f"/wijk/{slug}/aanbesteding/{pid}/loting/1.json")
    get("panel.accept", f"/commissie/{pid}/welkom")
    post("panel.accept_post", f"/commissie/{pid}/welkom", data={})
    get("panel.contact", f"/commissie/{pid}/contact")
    post("panel.contact_post", f"/commissie/{pid}/contact", data={})
    get("scoring.home", "/commissie/")
    get("scoring.briefing", f"/commissie/{pid}/uitleg")
    post("scoring.briefing_post", f"/commissie/{pid}/uitleg", data={})
    get("scoring.declaration", f"/commissie/{pid}/verklaring")
    post("scoring.declare", f"/commissie/{pid}/verklaring", data={})
    get("scoring.tally", f"/commissie/{pid}/uitslag")
    get("scoring.offers", f"/commissie/{pid}/")
    get("publication.rationale", f"/commissie/{pid}/motivering")
    # No presentation round has started here: its pages must not name anyone either.
    get("presentation.offers", f"/commissie/{pid}/presentatie")
    get("presentation.result", f"/commissie/{pid}/uitslag/twee-rondes")
    # The challenge pages of the committee (a call-for-action challenge only; 404 here).
    get("challenges.committee", f"/commissie/{pid}/challenge")
    for offer_id in range(0, 8):
        post("challenges.advice", f"/commissie/{pid}/challenge/advies/{offer_id}", data={"body": "x"})
    for label in [*pseudonyms, "ZZ"]:
        get("presentation.offer", f"/commissie/{pid}/presentatie/{label}")
        post("presentation.save", f"/commissie/{pid}/presentatie/{label}", data={"score_0": "9"})
    for label in [*pseudonyms, "ZZ"]:
        get("scoring.meeting", f"/commissie/{pid}/overleg/{label}")
        get("scoring.offer", f"/commissie/{pid}/aanbod/{label}")
        post("scoring.save", f"/commissie/{pid}/aanbod/{label}", data={"score_0": "9"})
        post(
            "scoring.save",
            f"/commissie/{pid}/aanbod/{label}",
            data={},
            headers={"HX-Request": "true"},
        )
        for number in range(0, app.config["ANNEX_MAX_COUNT"] + 2):
            get("offers.member_annex", f"/commissie/{pid}/aanbod/{label}/bijlage-{number}.pdf")
    post("scoring.submit", f"/commissie/{pid}/indienen")
    post("publication.rationale_post", f"/commissie/{pid}/motivering", data={"body": ""})
    post("auth.register_post", "/aanbieder/registreren", data={})
    post("auth.invitation_post", "/uitnodiging/geraden-token")
    get("auth.registration_sent", "/aanbieder/registreren/verstuurd")
    get("auth.confirm_registration", "/aanbieder/registreren/bevestigen/geraden-token")
    post("auth.confirm_registration_post", "/aanbieder/registreren/bevestigen/geraden-token")
    get("panel.claim", "/commissie/koppelen/geraden-token")
    post("panel.claim_post", "/commissie/koppelen/geraden-token")
    post("panel.confirm_claim", "/commissie/koppelen/bevestigen/1")
    post("auth.login_post", "/inloggen", data={"email": "x@y.example", "password": "fout"})
    # The draw's receipt check, the calendar and the story bank: public or any login.
    get("panel.receipt_check", f"/wijk/{slug}/aanbesteding/{pid}/loting/1/bewijs")
    post("panel.receipt_check_post", f"/wijk/{slug}/aanbesteding/{pid}/loting/1/bewijs", data={"code": "x"})
    get("planning.calendar", "/kalender")
    get("planning.feed", "/kalender.ics")
    get("planning.neighbourhood", f"/kalender/wijk/{slug}")
    get("planning.neighbourhood_feed", f"/kalender/wijk/{slug}.ics")
    get("planning.follow", "/kalender/volgen")
    post("planning.follow_post", "/kalender/volgen", data={})
    get("planning.follow_sent", "/kalender/volgen/verstuurd")
    get("planning.confirm_follow", "/kalender/volgen/bevestigen/geraden-token")
    post("planning.confirm_follow_post", "/kalender/volgen/bevestigen/geraden-token")
    get("planning.unfollow", "/kalender/afmelden/geraden-token")
    post("planning.unfollow_post", "/kalender/afmelden/geraden-token")
    get("stories.neighbourhood", f"/wijk/{slug}/verhalen")
    get("stories.new", f"/wijk/{slug}/aanbesteding/{pid}/verhaal")
    post("stories.create", f"/wijk/{slug}/aanbesteding/{pid}/verhaal", data={})
    get("stories.mine", "/verhalen/mijn")
    get("stories.photo", "/verhalen/1/foto.jpg")
    post("stories.withdraw", "/verhalen/1/intrekken")
    assert visited == MEMBER_ROUTES - {"auth.logout"}
    return seen


def test_no_identifier_of_forty_hostile_offers_reaches_anything_a_member_can_open(app, client):
    with app.test_request_context():
        moderator = make_moderator()
        procurement = make_procurement(moderator)
        resident = make_resident(name="Ria Lid")
        panel.seat_existing(actor=moderator, procurement=procurement, user=resident)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        pdf_tricks = _pdf_tricks()
        bidders = _bidders()
        for i, b in enumerate(bidders):
            bidder = make_bidder(
                organisation=b["name"],
                kvk_number=b["kvk"],
                website=b["website"],
                name=b["contact"],
                email=b["email"],
            )
            if b["partner"]:
                offer_services.add_partner(
                    actor=bidder,
                    organisation=bidder.organisation,
                    name=b["partner"],
                    kvk_number=None,
                    website=None,
                    is_lead=True,
                )
            text = _write_offer(i, b)
            make_offer(procurement, bidder, **text)
            annex = pdf_tricks[i % len(pdf_tricks)](b)
            filename = f"Offerte {b['name']} KvK {b['kvk']}.pdf"
            # The corpus really is hostile: every bidder can be found in what it handed in.
            handed_in = skeleton(" ".join(text.values()) + everything_in(annex) + filename)
            assert skeleton(b["word"]) in handed_in
            add_annex(procurement, bidder, annex, filename=filename)
            offer_services.ask_question(
                actor=bidder,
                procurement=procurement,
                today=local_today(),
                body=f"Mag {NAME_TRICKS[i % 5](b['name'])} ({b['email']}) "
                f"ook in de buurt van {b['postcode']} werken?",
            )
        close_offers(procurement, moderator)

        # The moderator answers the questions in the proposed wording and publishes them.
        for question in offer_services.all_questions(procurement):
            offer_services.answer_question(
                actor=moderator,
                question=question,
                public_question=question.public_question,
                answer="Ja, dat mag.",
            )
        offer_services.publish_answers(actor=moderator, procurement=procurement)

        # The moderator does what the review asks, and nothing more.
        left_out = 0
        for offer in procurement_services.submitted_offers(procurement):
            for annex in offer.annexes:
                checks = review.page_checks(annex)
                excluded = {c.page.number for c in checks if c.found}
                looked = {c.page.number for c in checks if c.page.has_images} - excluded
                left_out += len(excluded)
                review.set_pages(actor=moderator, annex=annex, excluded=excluded, checked=looked)
            review.approve(actor=moderator, offer=offer)
        assert left_out >= 10  # the hidden-text tricks were found, so those pages were left out
        db.session.commit()  # the member copies are made by a job once the approvals are committed
        procurement_services.release_offers(actor=moderator, procurement=procurement)
        # The member declares no connections and the moderator confirms: now offers open.
        declare_all(procurement, moderator)
        pseudonyms = sorted(o.pseudonym for o in procurement.offers if o.pseudonym)
        slug, pid = procurement.neighbourhood.slug, procurement.id
        db.session.commit()
        login(client, resident)
    assert len(pseudonyms) == len(WORDS) >= 30

    pages = _crawl(client, app, pid, pseudonyms, slug)
    with app.test_request_context():
        procurement_services.close_scoring(actor=None, procurement=db.session.get(Procurement, pid))
        db.session.commit()
    pages |= {
        f"{label} (overleg)": text for label, text in _crawl(client, app, pid, pseudonyms, slug).items()
    }
    client.post("/uitloggen")

    pdfs = [label for label, text in pages.items() if "application/pdf" in text]
    assert len(pdfs) >= len(WORDS) - 5  # nearly every offer's annex was opened
    secrets = [secret for b in bidders for secret in secrets_of(b)]
    leaks = [
        (label, secret)
        for label, text in pages.items()
        for folded in [skeleton(text)]
        for secret in secrets
        if secret in folded
    ]
    assert leaks == []
