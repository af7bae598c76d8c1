"""Outgoing mail: real SMTP delivery of invitations, and receipts in the outbox by default."""

from __future__ import annotations

import re
import socket
import threading
import time
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


# --- the queue: a refusing or hanging mail server never touches the user's action -------------


class _Refuser:
    """A mail server that refuses every message, as a full mailbox or a strict relay does."""

    def __init__(self):
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        return "554 5.7.1 Relay access denied"


@pytest.fixture
def refusing_mail(app):
    refuser = _Refuser()
    controller = Controller(refuser, hostname="127.0.0.1", port=_free_port())
    controller.start()
    keys = ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_ATTEMPTS", "MAIL_RETRY_SECONDS")
    saved = {key: app.config[key] for key in keys}
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER=controller.hostname,
        MAIL_PORT=controller.port,
        MAIL_ATTEMPTS=3,
        MAIL_RETRY_SECONDS=30,
    )
    mail_extension.init_app(app)
    try:
        yield refuser
    finally:
        controller.stop()
        app.config.update(saved)
        mail_extension.init_app(app)


def test_a_refusing_mail_server_does_not_fail_the_invitation(client, app_ctx, refusing_mail):
    procurement = _invite_through_the_moderator_page(client, INVITEE)  # 200, as without mail
    [row] = outbox_rows()
    assert refusing_mail.tries == 1
    assert (row.state.value, row.attempts) == ("queued", 1)
    assert "554" in row.last_error
    assert row.body  # kept for the next try
    assert [m.user.email for m in procurement.members] == [INVITEE]


def test_a_refused_message_is_tried_again_later_each_wait_twice_as_long_then_failed(
    client, app_ctx, refusing_mail
):
    from committee import mail

    _invite_through_the_moderator_page(client, INVITEE)
    waits = []
    for _ in range(2):  # the queue would run these when the wait is over; here we run them now
        [row] = outbox_rows()
        waits.append((row.next_attempt_at - row.last_attempt_at).total_seconds())
        assert mail.deliver(row.id) in ("queued", "failed")
        db.session.expire_all()
    [row] = outbox_rows()
    assert refusing_mail.tries == 3
    assert [round(w) for w in waits] == [30, 60]
    assert (row.state.value, row.attempts, row.next_attempt_at) == ("failed", 3, None)


def test_the_moderator_tries_a_failed_message_again_and_it_is_sent(app, client, app_ctx, refusing_mail):
    from committee import mail

    _invite_through_the_moderator_page(client, INVITEE)
    [row] = outbox_rows()
    row.state = mail.MailState.FAILED
    db.session.commit()
    page = client.get("/beheer/uitgaande-post").get_data(as_text=True)
    assert "Mislukt" in page and "Opnieuw versturen" in page and "554" in page
    collector = _Collector()
    sink = Controller(collector, hostname="127.0.0.1", port=_free_port())
    sink.start()
    try:
        app.config["MAIL_PORT"] = sink.port
        mail_extension.init_app(app)
        response = client.post("/beheer/uitgaande-post/opnieuw", data={"message": str(row.id)})
    finally:
        sink.stop()
    assert response.status_code == 302
    db.session.expire_all()
    [row] = outbox_rows()
    assert row.state.value == "sent" and [e.rcpt_tos for e in collector.envelopes] == [[INVITEE]]
    again = client.post(
        "/beheer/uitgaande-post/opnieuw", data={"message": str(row.id)}, follow_redirects=True
    )
    assert "Dit bericht is niet mislukt" in again.get_data(as_text=True)


def test_the_outbox_page_shows_address_and_subject_but_no_body_of_mail_for_a_server(
    client, app_ctx, refusing_mail
):
    _invite_through_the_moderator_page(client, INVITEE)
    [row] = outbox_rows()
    link = re.search(r"https?://\S+/uitnodiging/[\w-]+", row.body).group(0)
    page = client.get("/beheer/uitgaande-post").get_data(as_text=True)
    assert INVITEE in page and row.subject in page
    assert link not in page and "/uitnodiging/" not in page


def test_without_a_mail_server_the_outbox_page_shows_the_body(client, app_ctx):
    _invite_through_the_moderator_page(client, INVITEE)
    [row] = outbox_rows()
    assert row.state.value == "kept"
    page = client.get("/beheer/uitgaande-post").get_data(as_text=True)
    assert "/uitnodiging/" in page and "Bewaard, niet verstuurd" in page


class _SilentServer:
    """A mail server that accepts the connection and then never says a word."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self):
        self.socket.close()
        for conn in self.connections:
            conn.close()


@pytest.mark.server
def test_a_hanging_mail_server_is_never_waited_for_by_the_request(app, tmp_path):
    from committee import mail
    from tests.consumer import consumer, consumer_env
    from tests.factories import login, make_moderator, make_procurement
    from tests.test_jobs import _queue_app

    silent = _SilentServer()
    queue_app = _queue_app(app, f"sqlite:///{tmp_path / 'jobs.sqlite'}", "mail-hang")
    queue_app.config.update(
        WTF_CSRF_ENABLED=False, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.port
    )
    try:
        client = queue_app.test_client()
        with queue_app.test_request_context():
            moderator = make_moderator()
            procurement = make_procurement(moderator)
            login(client, moderator)
            pid = procurement.id
        response = client.post(f"/beheer/aanbesteding/{pid}/leden", data={"name": "M", "email": INVITEE})
        assert response.status_code == 200
        # The request is done, and never even connected to the mail server: a job will.
        assert silent.connections == []
        with queue_app.app_context():
            [row] = db.session.scalars(sa.select(mail.OutboxMessage)).all()
            assert row.state == mail.MailState.QUEUED and row.attempts == 0
        env = consumer_env(
            queue_app,
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=silent.port,
            MAIL_TIMEOUT=1,
            MAIL_ATTEMPTS=1,
        )
        log = tmp_path / "consumer.log"
        with consumer(env, log):
            deadline = time.monotonic() + 60
            while True:
                with queue_app.app_context():
                    row = db.session.get(mail.OutboxMessage, row.id)
                    if row.state == mail.MailState.FAILED:
                        break
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        assert silent.connections, "the job did try the server"
        assert "timed out" in row.last_error.lower() or "timeout" in row.last_error.lower(), row.last_error
    finally:
        silent.close()
