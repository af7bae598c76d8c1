"""A moderator on a phone reads the outbox while the mail server refuses mail, and sends a failed
message again once the server is back: it is then delivered and the page says "Verstuurd"."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from committee.extensions import db
from committee.extensions import mail as mail_extension
from tests.browser.test_happy_path import _log_in
from tests.factories import PASSWORD, make_moderator
from tests.test_mail import _Collector, _free_port, _Refuser

pytestmark = pytest.mark.browser

TO = "wijkraad@bewoner.example"


@pytest.fixture
def mail_server(app):
    """A refusing SMTP server now; ``.back()`` puts a willing one in its place."""
    refuser, collector = _Refuser(), _Collector()
    servers = [Controller(refuser, hostname="127.0.0.1", port=_free_port())]
    servers[0].start()
    keys = ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_ATTEMPTS")
    saved = {key: app.config[key] for key in keys}
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=servers[0].port, MAIL_ATTEMPTS=1
    )
    mail_extension.init_app(app)

    def back():
        servers.append(Controller(collector, hostname="127.0.0.1", port=_free_port()))
        servers[-1].start()
        app.config["MAIL_PORT"] = servers[-1].port
        mail_extension.init_app(app)

    collector.back = back
    try:
        yield collector
    finally:
        for server in servers:
            server.stop()
        app.config.update(saved)
        mail_extension.init_app(app)


def test_a_moderator_sends_a_failed_message_again_from_the_outbox(people, app, mail_server):
    from committee import mail

    with app.test_request_context():
        make_moderator(email="post@gemeente.example")
        mail.send_mail(to=TO, subject="Uitnodiging voor de wijkavond", body="Welkom op 12 januari.")
        db.session.commit()  # the job runs at once in the tests: the server refuses, attempts are used up
        message = db.session.scalar(sa.select(mail.OutboxMessage).where(mail.OutboxMessage.to == TO))
        assert message.state == mail.MailState.FAILED

    mod = people("moderator")
    _log_in(mod, "post@gemeente.example", PASSWORD)
    mod.goto("/beheer/uitgaande-post")
    page = mod.page
    card = page.locator("article", has_text="Uitnodiging voor de wijkavond")
    expect(card.get_by_text("Mislukt")).to_be_visible()
    expect(card.get_by_text("De mailserver zei:")).to_contain_text("554")
    expect(card.get_by_text("Welkom op 12 januari.")).to_have_count(0)  # a body is never shown for a server
    mod.check_narrow()

    mail_server.back()
    # The button names its message for a screen reader (the subject is visually hidden).
    mod.click("button", name=re.compile(r"^Opnieuw versturen\s*: Uitnodiging voor de wijkavond$"))
    expect(page.get_by_text("Het bericht staat weer klaar om verstuurd te worden.")).to_be_visible()
    expect(
        page.locator("article", has_text="Uitnodiging voor de wijkavond").get_by_text("Verstuurd")
    ).to_be_visible()
    assert [e.rcpt_tos for e in mail_server.envelopes] == [[TO]]
