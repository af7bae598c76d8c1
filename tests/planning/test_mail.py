"""The calendar's mail goes through the outbox and its job queue, to a real SMTP server."""

import re
from email import message_from_bytes
from email import policy as email_policy

from committee.extensions import db
from tests.planning.helpers import make_follower, make_item, outbox
from tests.test_mail import smtp_mail, smtp_sink  # noqa: F401  (fixtures)


def _body(envelope) -> str:
    message = message_from_bytes(envelope.content, policy=email_policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_confirmation_is_queued_and_delivered_only_after_the_commit(app, client, smtp_mail):  # noqa: F811
    response = client.post("/kalender/volgen", data={"email": "smtp@sociaal.example", "theme": "groen"})
    assert response.status_code == 302
    [envelope] = smtp_mail.envelopes
    assert envelope.rcpt_tos == ["smtp@sociaal.example"]
    assert re.search(r"http://localhost/kalender/volgen/bevestigen/\S+", _body(envelope))
    with app.app_context():
        [row] = outbox()
        assert row.state.value == "sent" and row.body == ""


def test_a_new_item_reaches_each_follower_by_smtp_with_their_own_stop_link(app_ctx, smtp_mail):  # noqa: F811
    first = make_follower(email="een@sociaal.example", theme="groen")
    second = make_follower(email="twee@sociaal.example", theme="groen")
    db.session.commit()
    smtp_mail.envelopes.clear()  # the two confirmation mails
    make_item(theme="groen", title="Pluktuin")
    assert smtp_mail.envelopes == [], "nothing leaves before the transaction commits"
    db.session.commit()
    bodies = {e.rcpt_tos[0]: _body(e) for e in smtp_mail.envelopes}
    assert set(bodies) == {first.email, second.email}
    stops = {re.search(r"/kalender/afmelden/(\S+)", body).group(1) for body in bodies.values()}
    assert len(stops) == 2
