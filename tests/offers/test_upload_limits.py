"""Attack: a bidder (or many bidders from one address) floods the annex upload. Every attempt
counts, also the refused ones, and the flood gets a Dutch 429 before it reaches the queue."""

from __future__ import annotations

import io

import pytest

from committee.extensions import db
from tests.factories import login, make_bidder, open_procurement
from tests.pdfs import make_pdf


@pytest.fixture
def low_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_UPLOAD", "3 per minute")
    monkeypatch.setitem(app.config, "RATE_LIMIT_UPLOAD_ADDRESS", "5 per minute")


def _world(app, bidders: int = 1):
    """An open call and ``bidders`` bidders of their own organisation, each logged in on a client."""
    with app.test_request_context():
        procurement = open_procurement()
        people = [make_bidder(organisation=f"Stichting {i}") for i in range(bidders)]
        db.session.commit()
        clients = []
        for bidder in people:
            clients.append(app.test_client())
            login(clients[-1], bidder)
        return procurement.id, clients


def _upload(client, procurement_id: int, data: bytes):
    return client.post(
        f"/aanbieder/aanbesteding/{procurement_id}/bijlagen",
        data={"file": (io.BytesIO(data), "bijlage.pdf")},
        content_type="multipart/form-data",
    )


def test_a_bidder_who_uploads_too_often_gets_a_dutch_429_even_when_every_upload_is_refused(app, low_limits):
    procurement_id, (client,) = _world(app)
    statuses = [_upload(client, procurement_id, b"GIF89a geen pdf").status_code for _ in range(3)]
    assert statuses == [422, 422, 422]
    flood = _upload(client, procurement_id, make_pdf())
    assert flood.status_code == 429
    assert "U heeft het te vaak geprobeerd" in flood.get_data(as_text=True)


def test_valid_uploads_count_too(app, low_limits):
    procurement_id, (client,) = _world(app)
    assert [_upload(client, procurement_id, make_pdf()).status_code for _ in range(3)] == [302] * 3
    assert _upload(client, procurement_id, make_pdf()).status_code == 429


def test_many_bidders_from_one_address_share_a_limit(app, low_limits):
    procurement_id, clients = _world(app, bidders=3)
    statuses = []
    for client in clients:
        statuses += [_upload(client, procurement_id, b"GIF89a geen pdf").status_code for _ in range(2)]
    assert statuses == [422] * 5 + [429]
