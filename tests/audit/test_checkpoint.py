"""Checkpoints of the audit log, kept outside the database, catch a rewrite the chain cannot.

Attack: the database's owner drops the triggers, changes an early event and recomputes every
hash after it (or cuts the log short). The plain `flask audit verify` passes: the chain is
consistent. But a resident saved a checkpoint from the public site before; `verify --against`
that file fails and names the checkpoint.
"""

from __future__ import annotations

import base64
import json
import re

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization

from committee.audit import guard
from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.extensions import db
from tests.factories import make_published_procurement


def _record(app, *actions):
    with app.app_context():
        for action in actions:
            audit.record(action, details={"n": action})
        db.session.commit()


def _rewrite(app, *, change_seq: int | None = None, keep: int | None = None) -> None:
    """What an owner can do: triggers off, change or cut, recompute every hash, triggers on."""
    with app.app_context(), db.engine.begin() as conn, guard.suspended(conn):
        table = AuditEvent.__table__
        if keep is not None:
            conn.execute(table.delete().where(table.c.seq > keep))
        if change_seq is not None:
            conn.execute(table.update().where(table.c.seq == change_seq).values(details={"n": "rewritten"}))
    with app.app_context():
        prev = audit.GENESIS
        with db.engine.begin() as conn, guard.suspended(conn):
            session = sa.orm.Session(bind=conn)
            for event in session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)):
                event.prev_hash = prev
                event.hash = audit.event_hash(event)
                prev = event.hash
            session.flush()


def _save(client, tmp_path, url="/logboek/controlepunt.json", name="controlepunt.json"):
    response = client.get(url)
    assert response.status_code == 200, response.status
    path = tmp_path / name
    path.write_bytes(response.data)
    return path, json.loads(response.data)


def test_a_consistent_rewrite_passes_verify_but_fails_against_a_checkpoint(app, client, runner, tmp_path):
    _record(app, "test.one", "test.two", "test.three", "test.four")
    saved, document = _save(client, tmp_path)
    assert document["seq"] == 4
    _record(app, "test.five")
    assert runner.invoke(args=["audit", "verify", "--against", str(saved)]).exit_code == 0

    _rewrite(app, change_seq=2)
    plain = runner.invoke(args=["audit", "verify"])
    assert plain.exit_code == 0, plain.output  # the chain alone cannot see it
    against = runner.invoke(args=["audit", "verify", "--against", str(saved)])
    assert against.exit_code == 1
    assert f"{saved}: nr. 4 ({document['at']})" in against.output
    assert "was changed" in against.output


def test_a_log_cut_shorter_than_the_checkpoint_fails(app, client, runner, tmp_path):
    _record(app, "test.one", "test.two", "test.three")
    saved, _ = _save(client, tmp_path)
    _rewrite(app, keep=2)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    against = runner.invoke(args=["audit", "verify", "--against", str(saved)])
    assert against.exit_code == 1
    assert "nr. 3" in against.output and "fewer than this checkpoint" in against.output


def test_a_printed_line_works_as_a_checkpoint_too(app, client, runner, tmp_path):
    _record(app, "test.one", "test.two")
    page = client.get("/logboek").get_data(as_text=True)
    line = re.search(r"WijKiezen-logboek nr\. \d+ sha256:[0-9a-f]{64} \S+", page).group(0)
    printed = tmp_path / "regel.txt"
    printed.write_text(line + "\n")
    assert runner.invoke(args=["audit", "verify", "--against", str(printed)]).exit_code == 0
    _rewrite(app, change_seq=1)
    result = runner.invoke(args=["audit", "verify", "--against", str(printed)])
    assert result.exit_code == 1 and "nr. 2" in result.output


def test_the_signed_file_verifies_with_the_published_public_key_alone(app, client, tmp_path):
    _record(app, "test.one")
    _, document = _save(client, tmp_path)
    key = serialization.load_pem_public_key(client.get("/logboek/publieke-sleutel.pem").data)
    payload = {k: v for k, v in document.items() if k not in ("signature", "line")}
    # As a third party would: the canonical JSON (keys sorted, no spaces), not our code.
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    key.verify(base64.b64decode(document["signature"]), canonical)  # raises if wrong
    forged = tmp_path / "vervalst.json"
    forged.write_text(json.dumps({**document, "hash": "0" * 64}))
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--against", str(forged)])
    assert result.exit_code == 1 and "signature does not match" in result.output


def test_every_decision_publishes_its_checkpoint_on_the_page_the_print_and_the_feed(app, client, tmp_path):
    with app.test_request_context():
        procurement, _ = make_published_procurement()
        slug, pid = procurement.neighbourhood.slug, procurement.id
        db.session.commit()
    saved, document = _save(client, tmp_path, f"/wijk/{slug}/aanbesteding/{pid}/logboek-controlepunt.json")
    line = document["line"]
    assert line.startswith(f"WijKiezen-logboek nr. {document['seq']} sha256:{document['hash']}")
    for url in (f"/wijk/{slug}/aanbesteding/{pid}", f"/wijk/{slug}/aanbesteding/{pid}/besluit"):
        assert line in client.get(url).get_data(as_text=True), url
    feed = client.get("/besluiten.atom").get_data(as_text=True)
    assert line in feed
    assert f"/wijk/{slug}/aanbesteding/{pid}/logboek-controlepunt.json" in feed


def test_the_public_page_says_what_the_log_proves_and_what_not(app, client):
    _record(app, "test.one")
    page = client.get("/logboek").get_data(as_text=True)
    assert "Wat het logboek bewijst" in page and "Wat het logboek niet bewijst" in page
    assert "niet ongemerkt veranderd" not in page
    client.get("/taal/en")
    english = client.get("/logboek").get_data(as_text=True)
    assert "What the log proves" in english
