"""Draws: published before they run, rerunnable by anyone, replacing keeps the others."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from committee.audit.services import events_for
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.lottery import draw as lottery
from committee.panel import draws, recruitment, services
from committee.panel.models import CommitteeMember, CompositionChange, DrawStatus, MemberKind
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.wijk import services as wijk
from tests.factories import fix_seed, make_application, make_recruiting_procurement

ROOT = Path(__file__).parents[2]
AGES = ["15-25", "25-45", "45-65", "65+"]


def _composing(seats=4, applicants=16, buurten=("Noord", "Zuid"), **overrides):
    procurement, moderator = make_recruiting_procurement(seats=seats, **overrides)
    for i in range(applicants):
        make_application(
            procurement, buurt=buurten[i % len(buurten)], age=AGES[i % 4], name=f"Aanmelder {i:02d}"
        )
    wijk.save_profile_by_hand(
        actor=moderator,
        neighbourhood=procurement.neighbourhood,
        category="buurt",
        percentages={"Noord": 50, "Zuid": 50},
    )
    recruitment.open_composition(actor=moderator, procurement=procurement)
    draws.reset_quotas(actor=moderator, procurement=procurement)
    return procurement, moderator


def _drawn(seats=4, applicants=16, seed=4242, **overrides):
    procurement, moderator = _composing(seats, applicants, **overrides)
    fix_seed(procurement, seed)
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    draws.start_draw(actor=moderator, draw=draw)
    db.session.commit()
    draws.run_draw(draw_id=draw.id)
    db.session.expire_all()
    return procurement, moderator, draws.completed_draw(procurement)


def test_preparing_publishes_pool_quotas_and_commitment_without_names_and_keeps_the_seed_secret(app_ctx):
    procurement, moderator = _composing()
    setup = recruitment.recruitment_of(procurement)
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    text = json.dumps(draw.inputs)
    assert draw.status == DrawStatus.PREPARED and draw.inputs["seed"] is None and draw.seed is None
    assert str(setup.seed_value) not in text and setup.seed_nonce not in text
    assert draw.inputs["commitment"]["sha256"] == setup.seed_commitment
    assert draw.inputs["pool_at_close"]["sha256"] == draw.inputs["pool_sha256"] == setup.pool_sha256
    assert len(draw.inputs["pool"]) == 16 and "Aanmelder" not in text and "@" not in text
    event = events_for(procurement.id, "draw.prepare")[0]
    assert event.details["inputs_sha256"] == draw.inputs_sha256
    assert event.details["commitment"] == setup.seed_commitment and "seed" not in event.details
    draws.start_draw(actor=moderator, draw=draw)  # the start reveals it; the inputs' hash stays
    assert draw.inputs["seed"] == setup.seed_value and draw.seed == setup.seed_value
    assert lottery.inputs_sha256(draw.inputs) == draw.inputs_sha256


def test_the_drawn_people_are_seated_and_meet_the_quotas(app_ctx):
    procurement, _moderator, draw = _drawn()
    seated = {draws.pseudonym_of(draw, m.application_id) for m in procurement.members}
    assert seated == set(draw.result["chosen"]) and len(seated) == 4
    buurten = [recruitment.answers_of(m.application)["buurt"] for m in procurement.members]
    assert sorted(buurten) == ["Noord", "Noord", "Zuid", "Zuid"]  # 50/50 of 4 seats: 2 to 3 each
    assert {m.source.value for m in procurement.members} == {"draw"}


def _auditors_file(client, moderator, draw) -> dict:
    from tests.factories import login

    login(client, moderator)
    return json.loads(client.post(f"/beheer/loting/{draw.id}/controlebestand").get_data(as_text=True))


def test_the_auditor_can_rerun_a_published_draw_and_get_the_same_committee(app, client):
    with app.test_request_context():
        procurement, moderator, draw = _drawn(seats=5, applicants=24, seed=31337)
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/loting/{draw.id}.json"
        db.session.commit()
        published = _auditors_file(client, moderator, draw)
    assert published["result"]["algorithm"] == "leximin"
    refused = subprocess.run(  # the public file holds no categories: it points to the verifier
        [sys.executable, "-m", "committee.lottery"],
        input=json.dumps(client.get(url).get_json()),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert refused.returncode == 1 and "committee.lottery.verify" in refused.stdout
    for hash_seed, given in (("1", published), ("2", published["inputs"])):
        rerun = subprocess.run(  # as the public page tells people to do it, in a fresh Python
            [sys.executable, "-m", "committee.lottery"],
            input=json.dumps(given),
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        result = json.loads(rerun.stdout)  # JSON alone: the solver banner goes to stderr
        assert result["chosen"] == published["result"]["chosen"]
        assert result["reserves"] == published["result"]["reserves"]
        assert result["chances"] == published["result"]["chances"]


def test_a_draw_that_hit_its_time_limit_says_so_and_reruns_the_same(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOTTERY_TIME_LIMIT", 0)  # stop after the first level (this test only)
    with app.test_request_context():
        # Three in four applicants live in Noord, the quotas want half from each buurt: people in
        # Noord get the lowest chance (level 1), people in Zuid a higher one (level 2).
        procurement, moderator, draw = _drawn(
            seats=5, applicants=24, seed=4242, buurten=("Noord", "Noord", "Noord", "Zuid")
        )
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/loting/{draw.id}"
        db.session.commit()
        published = _auditors_file(client, moderator, draw)
    if not published["result"]["time_limit_hit"]:
        pytest.fail("this pool needs one level only; the test needs a pool with two or more")
    assert published["result"]["levels_fixed"] == 1
    assert "De rekentijd was op na 1 ronde" in client.get(url).get_data(as_text=True)
    rerun = subprocess.run(
        [sys.executable, "-m", "committee.lottery"],
        input=json.dumps(published),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(rerun.stdout)["chosen"] == published["result"]["chosen"]


def test_infeasible_quotas_fail_the_draw_with_a_plain_explanation(app_ctx):
    procurement, moderator = _composing(seats=4, applicants=8)
    draws.save_quotas(actor=moderator, procurement=procurement, limits={("leeftijd", "65+"): (3, 4)})
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    draws.start_draw(actor=moderator, draw=draw)
    db.session.commit()
    draw = draws.run_draw(draw_id=draw.id)
    assert draw.status == DrawStatus.FAILED and procurement.members == []
    text = draws.explain(draw.problems[0], recruitment.categories(procurement))
    assert text == (
        "Het quotum ‘Leeftijd: 65 jaar of ouder’ vraagt minstens 3 leden, maar er hebben "
        "zich maar 2 mensen uit die groep aangemeld. Oplossing: zet het minimum op 2 of "
        "lager, of zoek meer aanmeldingen uit deze groep."
    )


def test_quotas_that_only_clash_together_are_explained_with_a_fix(app_ctx):
    procurement, moderator = _composing(seats=4, applicants=8)
    # Noord applicants are 15-25 or 45-65; asking 3 from Noord and at most 1 of those ages clashes.
    draws.save_quotas(
        actor=moderator,
        procurement=procurement,
        limits={
            ("buurt", "Noord"): (3, 4),
            ("buurt", "Zuid"): (0, 4),
            ("leeftijd", "15-25"): (0, 0),
            ("leeftijd", "45-65"): (0, 1),
        },
    )
    # Several changes of the same size work; which one the solver names follows the draw's seed,
    # so the seed is fixed (a random one made this test fail now and then).
    fix_seed(procurement, 4242)
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    draws.start_draw(actor=moderator, draw=draw)
    db.session.commit()
    draw = draws.run_draw(draw_id=draw.id)
    texts = [draws.explain(p, recruitment.categories(procurement)) for p in draw.problems]
    assert draw.status == DrawStatus.FAILED
    assert any("blokkeert. Oplossing: zet het maximum op 2. Dan lukt het" in t for t in texts), texts


def test_a_second_draw_is_refused_once_one_has_run(app_ctx):
    procurement, moderator, _draw = _drawn()
    with pytest.raises(ProcessError, match="Er is al geloot"):
        draws.prepare_draw(actor=moderator, procurement=procurement)


def test_replacing_a_member_keeps_the_others_and_takes_a_reserve(app_ctx):
    procurement, moderator, draw = _drawn()
    # Pseudonyms are handed out at random, so which buurten are on the four-name reserve list
    # differs per run; the member leaving is one whose buurt is on it (there always is one), so a
    # reserve can keep every quota. Without such a reserve: tests/panel/test_quotas.py.
    buurt = {row["id"]: row["buurt"] for row in draw.inputs["pool"]}
    on_the_list = {buurt[p] for p in draw.result["reserves"]}
    leaving = next(
        m for m in procurement.members if buurt[draws.pseudonym_of(draw, m.application_id)] in on_the_list
    )
    others = {m.user_id for m in procurement.members if m is not leaving}
    leaving_buurt = buurt[draws.pseudonym_of(draw, leaving.application_id)]
    new_member, unmet = draws.replace_member(
        actor=moderator,
        member=leaving,
        reason="declined",
        note="Zegt af: verhuist naar een andere stad.",
    )
    db.session.expire_all()
    assert others < {m.user_id for m in procurement.members} and len(procurement.members) == 4
    assert draws.pseudonym_of(draw, new_member.application_id) in draw.result["reserves"]
    assert new_member.source.value == "reserve" and unmet == []
    assert buurt[draws.pseudonym_of(draw, new_member.application_id)] == leaving_buurt


def test_a_replacement_lands_in_the_audit_log_with_its_reason_but_not_its_note(app_ctx):
    procurement, moderator, _draw = _drawn()
    note = "Zegt af: mevrouw Jansen is ziek."
    draws.replace_member(actor=moderator, member=procurement.members[0], reason="declined", note=note)
    event = events_for(procurement.id, "committee.replace")[0]
    change = db.session.get(CompositionChange, event.details["change"])
    assert event.details["reason"] == "declined" and change.note == note
    assert "Jansen" not in json.dumps(event.details)


def test_someone_who_left_does_not_come_back_from_the_reserve_list(app_ctx):
    procurement, moderator, draw = _drawn(seats=4, applicants=6)
    first = procurement.members[0]
    gone = draws.pseudonym_of(draw, first.application_id)
    draws.replace_member(actor=moderator, member=first, reason="declined", note="Zegt af.")
    assert gone not in [r.pseudonym for r in draws.reserves_left(draw, procurement)]


def test_every_change_by_hand_needs_a_reason(app_ctx):
    procurement, moderator = _composing()
    applicant = draws.pool_of(procurement)[0][0]
    with pytest.raises(ProcessError, match="waarom"):
        services.add_applicants_by_hand(
            actor=moderator,
            procurement=procurement,
            applications=[applicant],
            reason="no_draw",
            note="",
        )
    services.add_applicants_by_hand(
        actor=moderator,
        procurement=procurement,
        applications=[applicant],
        reason="no_draw",
        note="Te weinig aanmeldingen om te loten.",
    )
    assert events_for(procurement.id, "committee.add_by_hand")[0].details["reason"] == "no_draw"


def test_the_committee_is_frozen_once_scoring_opens(app_ctx):
    procurement, moderator, _draw = _drawn()
    procurement.phase = Phase.SCORING
    with pytest.raises(ProcessError, match="ligt vast"):
        services.remove_member(
            actor=moderator, member=procurement.members[0], reason="other", note="Te laat bedacht."
        )


def test_the_simple_invite_is_refused_once_recruitment_is_set_up(app_ctx):
    procurement, moderator = make_recruiting_procurement()
    with pytest.raises(ProcessError, match="Samenstelling"):
        services.invite_member(actor=moderator, procurement=procurement, name="Ria", email=None, days=30)


def test_offers_cannot_open_while_residents_are_not_the_majority(app_ctx):
    procurement, moderator, _draw = _drawn(seats=3, applicants=8)
    for name in ("Deskundige 1", "Deskundige 2", "Deskundige 3"):
        services.add_person_by_hand(
            actor=moderator,
            procurement=procurement,
            name=name,
            email=None,
            kind=MemberKind.OTHER,
            reason="other",
            note="Ondersteunt.",
        )
    with pytest.raises(ProcessError, match="meerderheid"):
        procurement_services.open_offers(actor=moderator, procurement=procurement)


def test_offers_cannot_open_without_a_member_from_a_marked_buurt(app_ctx):
    procurement, moderator = _composing(required_buurten=["Zuid"])
    noord = [a for a, v in draws.pool_of(procurement) if v["buurt"] == "Noord"][:2]
    services.add_applicants_by_hand(
        actor=moderator,
        procurement=procurement,
        applications=noord,
        reason="no_draw",
        note="Met de hand samengesteld.",
    )
    with pytest.raises(ProcessError, match="Zuid"):
        procurement_services.open_offers(actor=moderator, procurement=procurement)


def test_the_background_command_runs_a_queued_draw_once(app, runner):
    with app.test_request_context():
        procurement, moderator = _composing()
        draw = draws.prepare_draw(actor=moderator, procurement=procurement)
        draws.start_draw(actor=moderator, draw=draw)
        draw_id, procurement_id = draw.id, procurement.id
        db.session.commit()
    first = runner.invoke(args=["panel", "run-draw", str(draw_id)])
    second = runner.invoke(args=["panel", "run-draw", str(draw_id)])
    assert "done" in first.output and "not waiting" in second.output
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CommitteeMember)
            .where(CommitteeMember.procurement_id == procurement_id)
        )
    assert count == 4


def test_a_draw_whose_job_stopped_can_be_set_aside_after_ten_minutes(app_ctx):
    procurement, moderator = _composing()
    draw = draws.prepare_draw(actor=moderator, procurement=procurement)
    draws.start_draw(actor=moderator, draw=draw)
    with pytest.raises(ProcessError, match="vastgelopen"):
        draws.discard_draw(actor=moderator, draw=draw)
    draw.prepared_at -= draws.STALE_AFTER + timedelta(seconds=1)
    draws.discard_draw(actor=moderator, draw=draw)
    assert draw.status == DrawStatus.FAILED and draws.active_draw(procurement) is None


def test_the_advice_for_quotas_that_only_fail_together_does_not_promise_each_change_works(app_ctx):
    categories = recruitment.categories(make_recruiting_procurement()[0])
    together = {"kind": "relax_min", "category": "buurt", "value": "Noord", "need": 3, "suggestion": 2}
    text = draws.explain({**together, "alone": False, "together": 2}, categories)
    assert "Alleen dit is niet genoeg" in text and "lukt het, ook als" not in text
    alone = draws.explain({**together, "alone": True, "together": 1}, categories)
    assert "Dan lukt het, ook als u verder niets verandert" in alone
