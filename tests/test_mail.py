"""Outgoing mail: real SMTP delivery of invitations, and receipts in the outbox by default."""

from __future__ import annotations

import re
import socket
from email import message_from_bytes
from email import policy as email_policy
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from committee.extensions import db
from committee.extensions import mail as mail_extension
from committee.procurement import services as procurement_services
from tests.factories import login, make_bidder, make_moderator, make_procurement

INVITEE = "marieke.mail@bewoner.example"


def outbox_rows():
    # Imported here, not at the top: importing ``committee.mail`` before ``create_app`` runs
    # shadows the ``mail`` extension inside ``committee/__init__.py`` (see test_app.py).
    from committee.mail import OutboxMessage

    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


class _Collector:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, collector
    finally:
        controller.stop()


@pytest.fixture
def smtp_mail(app, smtp_sink):
    """Point the app's mail at the sink; restore the outbox afterwards (the app is shared)."""
    controller, collector = smtp_sink
    keys = ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")
    saved = {key: app.config[key] for key in keys}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port)
    # Flask-Mailman reads its settings once, in init_app: read them again.
    mail_extension.init_app(app)
    try:
        yield collector
    finally:
        app.config.update(saved)
        mail_extension.init_app(app)


def _invite_through_the_moderator_page(client, email: str | None):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    login(client, moderator)
    response = client.post(
        f"/beheer/aanbesteding/{procurement.id}/leden", data={"name": "Marieke Mail", "email": email or ""}
    )
    assert response.status_code == 200
    return procurement


def _body(envelope) -> str:
    message = message_from_bytes(envelope.content, policy=email_policy.default)
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def test_an_invitation_is_delivered_by_smtp_to_the_invitee(client, app_ctx, smtp_mail):
    _invite_through_the_moderator_page(client, INVITEE)
    assert len(smtp_mail.envelopes) == 1
    assert smtp_mail.envelopes[0].rcpt_tos == [INVITEE]


def test_the_smtp_invitation_holds_a_working_link(app, client, app_ctx, smtp_mail):
    _invite_through_the_moderator_page(client, INVITEE)
    [envelope] = smtp_mail.envelopes
    match = re.search(r"https?://\S+/uitnodiging/[\w-]+", _body(envelope))
    assert match, "the mail contains an invitation link"

    resident = app.test_client()
    response = resident.post(urlsplit(match.group(0)).path)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/commissie/"
    home = resident.get("/commissie/")
    assert home.status_code == 200
    assert "Marieke Mail" in home.get_data(as_text=True)


def test_smtp_delivery_marks_the_message_sent_and_forgets_its_body(client, app_ctx, smtp_mail):
    _invite_through_the_moderator_page(client, INVITEE)
    [row] = outbox_rows()
    assert (row.to, row.state.value, row.attempts) == (INVITEE, "sent", 1)
    assert row.sent_at is not None
    assert row.body == ""  # it held the invitation link; delivered, we keep no copy of it


def test_an_invitee_without_email_gets_no_mail(client, app_ctx, smtp_mail):
    _invite_through_the_moderator_page(client, None)
    assert smtp_mail.envelopes == []


def test_a_submitted_offer_puts_a_receipt_for_the_bidder_in_the_outbox(client, app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator, title="Buurtkamer Oost")
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    bidder = make_bidder(email="ontvangst@aanbieder.example")
    login(client, bidder)
    response = client.post(
        f"/aanbieder/aanbesteding/{procurement.id}/aanbod",
        data={
            "plan": "Een open huiskamer.",
            "team": "Twee buurtwerkers.",
            "results": "Elk kwartaal een open avond.",
            "budget_asked": "60000",
            "submit": "y",
        },
    )
    assert response.status_code == 302
    messages = outbox_rows()
    assert [m.to for m in messages] == ["ontvangst@aanbieder.example"]
    assert "Buurtkamer Oost" in messages[0].subject
    assert "Een open huiskamer." in messages[0].body


def test_saving_a_draft_sends_no_receipt(client, app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    login(client, make_bidder())
    client.post(
        f"/aanbieder/aanbesteding/{procurement.id}/aanbod",
        data={
            "plan": "Half af.",
            "team": "",
            "results": "",
            "budget_asked": "",
            "save": "y",
        },
    )
    assert outbox_rows() == []
