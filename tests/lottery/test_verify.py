"""The verifier a resident runs on the file the public draw page offers:
``python -m committee.lottery.verify loting.json``."""

import json
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from committee.extensions import db
from committee.lottery import verify
from tests.panel.test_draws import _drawn

ROOT = Path(__file__).resolve().parents[2]


def _published(app, client, **kwargs) -> dict:
    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, **kwargs)
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/loting/{draw.id}.json"
        db.session.commit()
    return client.get(url).get_json()


def _audit_file(app, client, **kwargs) -> dict:
    """The named auditor's file (the moderator's download), with the whole input."""
    from tests.factories import login

    with app.test_request_context():
        _procurement, moderator, draw = _drawn(seats=4, applicants=16, **kwargs)
        db.session.commit()
        login(client, moderator)
        url = f"/beheer/loting/{draw.id}/controlebestand"
    return json.loads(client.post(url).get_data(as_text=True))


def _statuses(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for status, text in report.lines:
        out.setdefault(status, []).append(text)
    return out


def test_a_published_draw_checks_out(app, client):
    data = _published(app, client)
    report = verify.verify(data)
    assert not report.failed, report.lines
    assert report.chosen == data["result"]["chosen"] and report.reserves == data["result"]["reserves"]
    texts = " ".join(text for _status, text in report.lines)
    assert (
        data["inputs"]["commitment"]["sha256"] in texts and "dezelfde als toen het aanmelden sloot" in texts
    )


def test_the_verifier_says_exactly_what_differs(app, client):
    data = _published(app, client)
    chosen, reserves = data["result"]["chosen"], data["result"]["reserves"]
    data["result"]["reserves"] = [reserves[1], reserves[0], *reserves[2:]]
    data["result"]["chosen"] = [*chosen[:-1], reserves[0]]
    failures = _statuses(verify.verify(data))[verify.FAIL]
    assert any(f"gepubliceerd maar niet nagerekend: {reserves[0]}" in f for f in failures)
    assert any(f"nagerekend maar niet gepubliceerd: {chosen[-1]}" in f for f in failures)
    assert any(f.startswith("reservelijst verschilt") for f in failures)


def test_a_seed_that_does_not_match_its_commitment_or_a_changed_receipt_fails(app, client):
    data = _published(app, client)
    forged = json.loads(json.dumps(data))
    forged["inputs"]["seed"] += 1
    assert any("past NIET bij de vingerafdruk" in f for f in _statuses(verify.verify(forged))[verify.FAIL])
    changed = json.loads(json.dumps(data))
    changed["inputs"]["pool"][0]["receipt"] = "0" * 64
    failures = _statuses(verify.verify(changed))[verify.FAIL]
    assert any("vingerafdruk van de bewijsjes klopt niet" in f for f in failures)


def test_the_auditors_file_reruns_and_a_changed_pool_fails_there(app, client):
    data = _audit_file(app, client)
    report = verify.verify(data)
    assert not report.failed, report.lines
    texts = " ".join(text for _status, text in report.lines)
    assert "dezelfde als toen het aanmelden sloot" in texts and "bewijsjes passen bij de categorieën" in texts
    changed = json.loads(json.dumps(data))
    row = changed["inputs"]["pool"][0]
    row["buurt"] = "Zuid" if row["buurt"] == "Noord" else "Noord"
    failures = _statuses(verify.verify(changed))[verify.FAIL]
    assert any("vingerafdruk van de pool klopt niet" in f for f in failures)
    assert any("controlegetal van de invoer klopt niet" in f for f in failures)
    assert any(f"bewijsjes passen niet bij de categorieën van: {row['id']}" in f for f in failures)


@pytest.mark.slow
def test_the_verifier_runs_in_a_fresh_venv_with_only_the_lottery_and_its_requirements(app, client, tmp_path):
    """As a resident would: a new venv (no system site packages), ``pip install -r
    committee/lottery/requirements.txt`` from PyPI, only committee/__init__.py and
    committee/lottery/ copied, the downloaded file checked."""
    data = _published(app, client)
    (tmp_path / "loting.json").write_text(json.dumps(data))
    source = tmp_path / "wijkiezen"
    (source / "committee").mkdir(parents=True)
    shutil.copy(ROOT / "committee" / "__init__.py", source / "committee" / "__init__.py")
    shutil.copytree(ROOT / "committee" / "lottery", source / "committee" / "lottery")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(  # noqa: S603 (our own venv's pip)
        [python, "-m", "pip", "install", "-q", "-r", source / "committee" / "lottery" / "requirements.txt"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    flask_check = subprocess.run([python, "-c", "import flask"], capture_output=True, text=True)  # noqa: S603
    assert flask_check.returncode != 0  # the venv really is bare
    run = subprocess.run(  # noqa: S603
        [python, "-m", "committee.lottery.verify", tmp_path / "loting.json"],
        capture_output=True,
        text=True,
        cwd=source,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Alles klopt." in run.stdout
    assert "Commissie: " + ", ".join(data["result"]["chosen"]) in run.stdout
    assert "Reservelijst, op volgorde: " + ", ".join(data["result"]["reserves"]) in run.stdout
