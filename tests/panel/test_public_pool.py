"""The published pool singles nobody out: receipts instead of categories, small counts hidden,
the whole input only for a named auditor (issue 19, item 4; docs/privacy.md)."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from committee.audit.services import events_for
from committee.extensions import db
from committee.lottery import public as public_file
from committee.lottery import verify
from committee.mail import OutboxMessage
from committee.panel import draws
from committee.panel.models import Application, Draw
from committee.ratelimit import limiter
from tests.factories import login, make_resident
from tests.panel.test_draws import _drawn

ROOT = Path(__file__).parents[2]


def singled_out(published: dict) -> int:
    """The neighbour's attack: read every pseudonym's published row (all but the pseudonym and
    its opaque receipt) and count the rows no other pseudonym shares."""
    rows = published["inputs"]["pool"]
    keys = Counter(
        tuple(sorted((k, v) for k, v in row.items() if k not in ("id", "receipt"))) for row in rows
    )
    return sum(
        1
        for row in rows
        if keys[tuple(sorted((k, v) for k, v in row.items() if k not in ("id", "receipt")))] == 1
    )


def small_counts(published: dict) -> list:
    """Every published count of people that is 1 or 2."""
    counts = published["inputs"].get("counts", {})
    return [
        (c, v, n) for c, values in counts.items() for v, n in values.items() if n is not None and 0 < n < 3
    ]


def _urls(procurement, draw):
    public = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/loting/{draw.id}"
    return public, f"/beheer/loting/{draw.id}/controlebestand"


def test_nobody_in_the_demo_draw_can_be_singled_out_from_the_public_file(client, runner, app_ctx):
    """Before: 20 of the demo's 40 applicants had a combination of categories nobody else had, so
    their row named them to a neighbour. Now no row says anything but pseudonym and receipt."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    draw = db.session.scalars(sa.select(Draw)).one()
    procurement = draws.draw_procurement(draw)
    stored = Counter(tuple(r[c] for c in draw.inputs["categories"]) for r in draw.inputs["pool"])
    assert sum(1 for n in stored.values() if n == 1) >= 10  # the demo does have small groups
    public, _ = _urls(procurement, draw)
    published = client.get(public + ".json").get_json()
    assert published["inputs"]["format"] == public_file.PUBLIC_FORMAT
    assert singled_out(published) == 0 and small_counts(published) == []
    assert all(set(row) == {"id", "receipt"} for row in published["inputs"]["pool"])
    page = client.get(public).get_data(as_text=True)
    for category in draw.inputs["categories"]:
        assert f'<th class="utrecht-table__header-cell" scope="col">{category}' not in page.lower()
    report = verify.verify(published)
    assert not report.failed, report.lines
    assert report.chosen == published["result"]["chosen"]


def test_the_public_file_checks_the_sampling_and_says_what_it_cannot(app, client):
    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, seed=31337)
        public, _ = _urls(procurement, draw)
        db.session.commit()
    published = client.get(public + ".json").get_json()
    report = verify.verify(published)
    text = "\n".join(f"{s}: {t}" for s, t in report.lines)
    assert not report.failed, text
    assert "tellen op tot 1" in text and "startgetal" in text and "niet te controleren" in text
    assert report.chosen == published["result"]["chosen"]
    assert report.reserves == published["result"]["reserves"]
    tampered = json.loads(json.dumps(published))
    tampered["result"]["chances"][published["result"]["chosen"][0]] = 0.999
    assert verify.verify(tampered).failed
    tampered = json.loads(json.dumps(published))
    tampered["result"]["chosen"] = tampered["result"]["reserves"][:4]
    assert verify.verify(tampered).failed


def test_the_named_auditor_gets_the_whole_input_and_reruns_the_draw_exactly(app, client, tmp_path):
    with app.test_request_context():
        procurement, moderator, draw = _drawn(seats=4, applicants=16, seed=4242)
        public, audit_url = _urls(procurement, draw)
        moderator_id, procurement_id = moderator.id, procurement.id
        db.session.commit()
        login(client, moderator)
    assert client.get(audit_url).status_code == 405  # a link cannot download it
    response = client.post(audit_url)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    full = json.loads(response.get_data(as_text=True))
    assert full["format"] == public_file.AUDIT_FORMAT and full["auditor"]["account"] == moderator_id
    assert all("buurt" in row for row in full["inputs"]["pool"])
    report = verify.verify(full)
    assert not report.failed, report.lines
    assert report.chosen == full["result"]["chosen"] and report.reserves == full["result"]["reserves"]
    published = client.get(public + ".json").get_json()
    assert report.receipts_sha256 == published["inputs"]["receipts_sha256"]  # the same pool
    (tmp_path / "controle.json").write_text(json.dumps(full))
    rerun = subprocess.run(  # the rerun as the standalone verifier does it, in a fresh Python
        [sys.executable, "-m", "committee.lottery.verify", str(tmp_path / "controle.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    with app.app_context():
        (event,) = events_for(procurement_id, "draw.audit_export")
        assert event.actor_id == moderator_id


def test_nobody_but_a_moderator_gets_the_auditors_file(app, client):
    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, seed=4242)
        _, audit_url = _urls(procurement, draw)
        procurement_id = procurement.id
        resident = make_resident()
        db.session.commit()
        anonymous = client.post(audit_url)
        assert anonymous.status_code == 302 and "/inloggen" in anonymous.headers["Location"]
        login(client, resident)
    assert client.post(audit_url).status_code == 403
    with app.app_context():
        assert events_for(procurement_id, "draw.audit_export") == []


def test_applying_mails_the_applicant_their_receipt_code(app, client):
    from tests.panel.test_views import _apply_data, _recruiting

    pid, slug, _ = _recruiting(app)
    url = f"/wijk/{slug}/aanbesteding/{pid}/aanmelden"
    assert client.post(url, data=_apply_data(email="ria@bewoner.example")).status_code == 302
    with app.app_context():
        application = db.session.scalars(sa.select(Application)).one()
        (mail,) = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.to == "ria@bewoner.example")
        ).all()
        assert len(application.receipt_code) == 16
        assert f"bewijscode voor de loting: {public_file.show_code(application.receipt_code)}" in mail.body


def test_an_applicant_checks_their_own_entry_with_their_receipt_code(app, client):
    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, seed=4242)
        public, _ = _urls(procurement, draw)
        entry = draw.entries[0]
        row = next(r for r in draw.inputs["pool"] if r["id"] == entry.pseudonym)
        code = db.session.get(Application, entry.application_id).receipt_code
        categories, pseudonym = draw.inputs["categories"], entry.pseudonym
        db.session.commit()
    page = client.get(public + "/bewijs")
    assert page.status_code == 200 and "bewijscode" in page.get_data(as_text=True)
    typed = public_file.show_code(code).lower().replace("-", " ")
    checked = client.post(public + "/bewijs", data={"code": typed})
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and f"Uw schuilnaam is {pseudonym}" in html
    assert "Het bewijsje klopt." in html and checked.headers["Cache-Control"] == "no-store"
    published = client.get(public + ".json").get_json()
    mine = next(r for r in published["inputs"]["pool"] if r["id"] == pseudonym)
    assert mine["receipt"] == public_file.receipt(code, row, categories)  # what they can do by hand
    assert code not in json.dumps(published)


def test_a_wrong_receipt_code_shows_nothing_and_says_so_in_dutch(app, client):
    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, seed=4242)
        public, _ = _urls(procurement, draw)
        db.session.commit()
    wrong = client.post(public + "/bewijs", data={"code": "AAAA-BBBB-CCCC-DDDD"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "hoort niet bij deze loting" in html
    assert "Uw schuilnaam is" not in html and 'value="AAAA-BBBB-CCCC-DDDD"' in html
    assert client.post(public + "/bewijs", data={"code": ""}).status_code == 422


def test_the_receipt_check_is_rate_limited(app, client):
    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, seed=4242)
        public, _ = _urls(procurement, draw)
        db.session.commit()
    app.config["RATE_LIMIT_RECEIPT"] = "10 per minute; 30 per hour"  # the default
    try:
        with app.app_context():
            limiter.reset()
        statuses = [
            client.post(public + "/bewijs", data={"code": f"AAAA-BBBB-CCCC-{i:04d}"}).status_code
            for i in range(11)
        ]
    finally:
        app.config["RATE_LIMIT_RECEIPT"] = "1000 per minute"
        with app.app_context():
            limiter.reset()
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
