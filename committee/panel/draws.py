"""Quotas and the lottery: preparing a published draw, running it as a job, replacing members.

Every function flushes but does not commit, and writes its audit event without personal data.
The draw itself is ``committee.lottery.draw.draw``; this module feeds it and stores what it says.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.lottery import draw as lottery
from committee.lottery import public as public_file
from committee.panel import quotas as quota_rules
from committee.panel import recruitment, services
from committee.panel.models import (
    Application,
    CommitteeMember,
    Draw,
    DrawEntry,
    DrawStatus,
    MemberSource,
    Quota,
)
from committee.panel.services import active_draw, completed_draw, seat_application
from committee.procurement import policy
from committee.timeutil import utcnow
from committee.wijk.models import ProfileShare

# --- the neighbourhood's shares and the quotas -------------------------------------------------


def profile_shares(procurement) -> dict[str, dict[str, float]]:
    """The neighbourhood's share per category value (0..1), for the values this procurement asks.

    Values are matched without regard to capitals; a category without figures is left out.
    """
    rows = db.session.scalars(
        sa.select(ProfileShare).where(ProfileShare.neighbourhood_id == procurement.neighbourhood_id)
    ).all()
    amounts: dict[str, dict[str, float]] = {}
    for row in rows:
        amounts.setdefault(row.category, {})[row.value.casefold()] = row.amount
    result = {}
    for category in recruitment.categories(procurement):
        known = amounts.get(category.key, {})
        picked = {v: known.get(v.casefold(), 0.0) for v in category.value_keys}
        total = sum(picked.values())
        if total > 0:
            result[category.key] = {v: a / total for v, a in picked.items()}
    return result


def quotas_of(procurement) -> list[Quota]:
    return db.session.scalars(
        sa.select(Quota).where(Quota.procurement_id == procurement.id).order_by(Quota.id)
    ).all()


def quota_map(procurement) -> dict[tuple[str, str], Quota]:
    return {(q.category, q.value): q for q in quotas_of(procurement)}


def _required(procurement) -> dict[str, list[str]]:
    setup = recruitment.recruitment_of(procurement)
    return {"buurt": list(setup.required_buurten or [])} if setup else {}


def reset_quotas(*, actor, procurement) -> list[Quota]:
    """Quotas for every category value, following the profile and the seats (see
    ``quotas.default_quotas``); replaces the quotas there were."""
    setup = _setup_for_composition(procurement)
    categories = recruitment.categories(procurement)
    proposed = quota_rules.default_quotas(
        values={c.key: c.value_keys for c in categories},
        shares=profile_shares(procurement),
        seats=setup.seats,
        required=_required(procurement),
    )
    db.session.execute(sa.delete(Quota).where(Quota.procurement_id == procurement.id))
    rows = [
        Quota(
            procurement_id=procurement.id,
            category=q.category,
            value=q.value,
            min_count=q.min,
            max_count=q.max,
        )
        for q in proposed
    ]
    db.session.add_all(rows)
    db.session.flush()
    audit.record(
        "quota.reset",
        actor=actor,
        procurement_id=procurement.id,
        details={"seats": setup.seats, "quotas": len(rows)},
    )
    return rows


def save_quotas(*, actor, procurement, limits: dict[tuple[str, str], tuple[int, int]]) -> None:
    """The moderator's own minimum and maximum per category value."""
    setup = _setup_for_composition(procurement)
    required = _required(procurement)
    existing = quota_map(procurement)
    changed = 0
    for (category, value), (low, high) in limits.items():
        if low < 0 or high < low or high > setup.seats:
            raise ProcessError(
                _(
                    "Bij ‘%(value)s’: het minimum mag niet boven het maximum liggen, "
                    "en het maximum niet boven het aantal plaatsen (%(seats)d).",
                    value=value,
                    seats=setup.seats,
                )
            )
        if value in required.get(category, ()) and low < 1:
            raise ProcessError(
                _(
                    "De buurt ‘%(value)s’ moet in de commissie zitten: het minimum is dan minstens 1.",
                    value=value,
                )
            )
        quota = existing.get((category, value))
        if quota is None:
            raise ProcessError(_("Bereken eerst de quota opnieuw: de categorieën zijn veranderd."))
        if (quota.min_count, quota.max_count) != (low, high):
            quota.min_count, quota.max_count = low, high
            changed += 1
    db.session.flush()
    audit.record("quota.save", actor=actor, procurement_id=procurement.id, details={"changed": changed})


def _setup_for_composition(procurement):
    if not policy.composition_open(procurement):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))
    setup = recruitment.recruitment_of(procurement)
    if setup is None:
        raise ProcessError(_("Vul eerst de werving in."))
    return setup


# --- the pool ------------------------------------------------------------------------------------


def pool_of(procurement) -> list[tuple[Application, dict[str, str]]]:
    """Everyone who applied and whose answers are still kept, oldest application first."""
    return [
        (a, recruitment.answers_of(a))
        for a in recruitment.applications(procurement)
        if a.demographics is not None
    ]


def draws_of(procurement) -> list[Draw]:
    return db.session.scalars(
        sa.select(Draw).where(Draw.procurement_id == procurement.id).order_by(Draw.id.desc())
    ).all()


def prepare_draw(*, actor, procurement, algorithm: str | None = None, seed: int | None = None) -> Draw:
    """Fix and publish the draw's inputs before it runs: the pseudonymised pool, quotas, algorithm
    (leximin unless the moderator chose maximin; the default is ``LOTTERY_ALGORITHM``) and the
    seed's commitment with the pool's fingerprint at closing. The seed itself stays secret until
    the draw starts (``start_draw``).

    Nobody chooses the seed now: it was committed to while applications were open
    (``recruitment.commit_seed``), so a ``seed`` given here is refused. Pseudonyms (P001, P002, …)
    are handed out in a random order, so they say nothing about who applied when.
    """
    setup = _setup_for_composition(procurement)
    if seed is not None:
        raise ProcessError(
            _(
                "U kunt het startgetal nu niet meer kiezen. Het lag al vast voordat het aanmelden "
                "sloot, zodat niemand het kan kiezen als de pool bekend is."
            )
        )
    if not policy.draw_allowed(procurement):
        raise ProcessError(_("Loten kan in de fase ‘Samenstellen commissie’, als het aanmelden gesloten is."))
    if active_draw(procurement) is not None:
        raise ProcessError(_("Er staat al een loting klaar of bezig."))
    if completed_draw(procurement) is not None:
        raise ProcessError(_("Er is al geloot. Verander de commissie met de hand, met een reden."))
    algorithm = algorithm or current_app.config["LOTTERY_ALGORITHM"]
    if algorithm not in lottery.ALGORITHMS:
        raise ProcessError(_("Kies leximin of maximin als methode."))
    quotas = quotas_of(procurement)
    if not quotas:
        raise ProcessError(_("Bereken eerst de quota."))
    setup = recruitment.ensure_seed(actor=actor, procurement=procurement)
    pool = pool_of(procurement)
    order = list(range(len(pool)))
    secrets.SystemRandom().shuffle(order)
    width = max(3, len(str(len(pool))))
    pseudonyms = {pool[i][0].id: f"P{n:0{width}d}" for n, i in enumerate(order, 1)}
    closed = None
    if setup.pool_sha256:
        closed = {
            "sha256": setup.pool_sha256,
            "size": setup.pool_size,
            "closed_at": iso(setup.pool_closed_at),
        }
    inputs = lottery.inputs_json(
        pool=[lottery.Person(pseudonyms[a.id], values) for a, values in pool],
        quotas=[lottery.Quota(q.category, q.value, q.min_count, q.max_count) for q in quotas],
        seats=setup.seats,
        seed=None,
        reserves=setup.seats,
        algorithm=algorithm,
        commitment={"sha256": setup.seed_commitment, "committed_at": iso(setup.seed_committed_at)},
        pool_at_close=closed,
    )
    for application, _values in pool:
        if not application.receipt_code:  # applied before receipts existed
            application.receipt_code = public_file.new_code()
    rows = {row["id"]: row for row in inputs["pool"]}

    def entry(application):
        pseudonym = pseudonyms[application.id]
        receipt = public_file.receipt(application.receipt_code, rows[pseudonym], inputs["categories"])
        return DrawEntry(pseudonym=pseudonym, application_id=application.id, receipt=receipt)

    draw = Draw(
        procurement_id=procurement.id,
        status=DrawStatus.PREPARED,
        seed=None,
        seats=setup.seats,
        inputs=inputs,
        inputs_sha256=lottery.inputs_sha256(inputs),
        prepared_by_id=actor.id,
        entries=[entry(a) for a, _ in pool],
    )
    db.session.add(draw)
    db.session.flush()
    audit.record(
        "draw.prepare",
        actor=actor,
        obj=draw,
        procurement_id=procurement.id,
        details={
            "commitment": setup.seed_commitment,
            "seats": setup.seats,
            "pool": len(pool),
            "algorithm": algorithm,
            "inputs_sha256": draw.inputs_sha256,
            "pool_sha256": inputs["pool_sha256"],
        },
    )
    return draw


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def start_draw(*, actor, draw: Draw) -> None:
    """Reveal the committed seed and queue the draw; ``panel.jobs.launch`` then puts the job on
    the queue once the caller committed. Refused when the seed does not match the published commitment."""
    if draw.status != DrawStatus.PREPARED:
        raise ProcessError(_("Deze loting is al gestart."))
    procurement = draw_procurement(draw)
    if not policy.draw_allowed(procurement):
        raise ProcessError(_("Loten kan alleen in de fase ‘Samenstellen commissie’."))
    if draw.inputs.get("format") == lottery.FORMAT:
        setup = recruitment.recruitment_of(procurement)
        now = utcnow()
        try:
            draw.inputs = lottery.reveal(
                draw.inputs, seed=setup.seed_value, nonce=setup.seed_nonce, revealed_at=iso(now)
            )
        except lottery.LotteryError as exc:
            raise ProcessError(
                _(
                    "Het startgetal past niet bij de vingerafdruk die vooraf is gepubliceerd. "
                    "De loting gaat niet door: iemand heeft het startgetal veranderd."
                )
            ) from exc
        draw.seed, draw.revealed_at = setup.seed_value, now
    draw.status = DrawStatus.QUEUED
    db.session.flush()
    audit.record(
        "draw.start", actor=actor, obj=draw, procurement_id=draw.procurement_id, details={"seed": draw.seed}
    )


STALE_AFTER = timedelta(minutes=10)


def is_stale(draw: Draw, now: datetime | None = None) -> bool:
    """A started draw whose job has given no sign of life for ten minutes (a stopped worker)."""
    if draw.status not in (DrawStatus.QUEUED, DrawStatus.RUNNING):
        return False
    last = draw.progress_at or draw.started_at or draw.prepared_at
    return (now or utcnow()) - last > STALE_AFTER


def discard_draw(*, actor, draw: Draw) -> None:
    """Set aside a draw that did not run: prepared but not started (for example, the quotas
    changed afterwards), or started but stuck. It stays published, marked as not run."""
    if draw.status != DrawStatus.PREPARED and not is_stale(draw):
        raise ProcessError(_("Alleen een loting die niet gestart of vastgelopen is, kunt u terzijde leggen."))
    draw.status = DrawStatus.FAILED
    draw.error = "discarded"
    draw.finished_at = utcnow()
    db.session.flush()
    audit.record("draw.discard", actor=actor, obj=draw, procurement_id=draw.procurement_id)


def draw_procurement(draw: Draw):
    from committee.procurement.models import Procurement

    return db.session.get(Procurement, draw.procurement_id)


# --- running the job ------------------------------------------------------------------------------


def _write_progress(draw_id: int, step: str, count: int | None, total: int | None) -> None:
    db.session.execute(
        sa.update(Draw)
        .where(Draw.id == draw_id)
        .values(
            progress_step=step,
            progress_count=count,
            progress_total=total,
            progress_at=utcnow(),
            heartbeat_at=utcnow(),
        )
    )
    db.session.commit()


def run_draw(*, draw_id: int) -> Draw | None:
    """The job's work (``panel/jobs.py``): run a queued draw, store its result, seat the people drawn.

    Claims the draw with a conditional update, so two workers never run the same draw. Commits
    (it owns its transactions: progress must be visible while it runs).
    """
    claimed = db.session.execute(
        sa.update(Draw)
        .where(Draw.id == draw_id, Draw.status == DrawStatus.QUEUED)
        .values(status=DrawStatus.RUNNING, started_at=utcnow())
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    draw = db.session.get(Draw, draw_id)
    last = {"at": 0.0}

    def progress(step: str, count: int | None, total: int | None) -> None:
        import time

        now = time.monotonic()
        if step in ("check", "compare", "reserves", "done") or now - last["at"] >= 1.0:
            last["at"] = now
            _write_progress(draw_id, step, count, total)

    try:
        result = lottery.draw(
            **lottery.parse_inputs(draw.inputs),
            progress=progress,
            time_limit=current_app.config["LOTTERY_TIME_LIMIT"],
        )
    except lottery.InfeasibleQuotas as exc:
        return _finish(draw, DrawStatus.FAILED, problems=[p.__dict__ for p in exc.problems], error="quotas")
    except lottery.LotteryError as exc:
        return _finish(draw, DrawStatus.FAILED, error=str(exc)[:300])
    except Exception as exc:  # the job must always end, so the page stops waiting
        db.session.rollback()
        _finish(draw, DrawStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300])
        raise
    db.session.expire_all()
    draw = db.session.get(Draw, draw_id)
    if draw.status != DrawStatus.RUNNING:  # marked failed meanwhile (panel/jobs.py): seat nobody
        return draw
    draw.result = lottery.result_json(result)
    by_pseudonym = {e.pseudonym: e for e in draw.entries}
    procurement = draw_procurement(draw)
    for pseudonym in result.chosen:
        entry = by_pseudonym[pseudonym]
        application = db.session.get(Application, entry.application_id)
        _seat_applicant(procurement, application, MemberSource.DRAW)
    return _finish(draw, DrawStatus.DONE)


def _finish(draw: Draw, status: DrawStatus, *, problems=None, error=None) -> Draw:
    draw = db.session.get(Draw, draw.id)
    draw.status, draw.problems, draw.error = status, problems, error
    draw.finished_at = utcnow()
    draw.progress_step = "done" if status == DrawStatus.DONE else "failed"
    details = {"status": status.value}
    if draw.result:
        details.update(
            chosen=len(draw.result["chosen"]),
            algorithm=draw.result["algorithm"],
            levels_fixed=draw.result.get("levels_fixed"),
            time_limit_hit=draw.result.get("time_limit_hit", False),
            result_sha256=lottery.inputs_sha256(
                {"chosen": draw.result["chosen"], "reserves": draw.result["reserves"]}
            ),
        )
    if error:
        details["error"] = "quotas" if problems else "other"
    db.session.flush()
    audit.record("draw.finish", obj=draw, procurement_id=draw.procurement_id, details=details)
    db.session.commit()
    return draw


def _seat_applicant(procurement, application: Application, source: MemberSource) -> CommitteeMember:
    return seat_application(procurement=procurement, application=application, source=source)


# --- what is published, and to whom (docs/privacy.md) -------------------------------------------


def full_file(draw: Draw) -> dict:
    """The draw with its whole inputs (categories per pseudonym) and result: never published as
    such; the public and the auditor's file are made from it."""
    return {
        "status": draw.status.value,
        "inputs_sha256": draw.inputs_sha256,
        "inputs": draw.inputs,
        "result": draw.result if draw.status == DrawStatus.DONE else None,
        "prepared_at": iso(draw.prepared_at),
        "revealed_at": iso(draw.revealed_at),
        "started_at": iso(draw.started_at),
        "finished_at": iso(draw.finished_at),
    }


def public_draw_file(draw: Draw) -> dict:
    """The file anyone may download (``wijkiezen-draw-public/4``): receipts instead of anyone's
    categories, counts below 3 hidden. Every draw, also one prepared before receipts existed."""
    return public_file.public_file(full_file(draw), {e.pseudonym: e.receipt for e in draw.entries})


def audit_draw_file(*, actor, draw: Draw) -> dict:
    """The file for the named auditor (``wijkiezen-draw-audit/4``): the whole input and every
    receipt code, so the draw can be rerun exactly. Writes ``draw.audit_export`` naming who
    downloaded it (the actor); the file itself is not kept."""
    codes = {}
    for e in draw.entries:
        application = db.session.get(Application, e.application_id) if e.application_id else None
        codes[e.pseudonym] = application.receipt_code if application else None
    data = public_file.audit_file(
        full_file(draw), codes, auditor={"account": actor.id, "downloaded_at": iso(utcnow())}
    )
    audit.record(
        "draw.audit_export",
        actor=actor,
        obj=draw,
        procurement_id=draw.procurement_id,
        details={"inputs_sha256": draw.inputs_sha256, "pool": len(draw.entries)},
    )
    return data


@dataclass
class ReceiptCheck:
    """What the holder of a receipt code sees: their pseudonym, the values the draw used for them,
    and whether those give the published receipt."""

    pseudonym: str
    values: dict[str, str]
    receipt: str | None
    matches: bool
    outcome: str  # "chosen", "reserve", "none" or "" (not drawn yet)
    reserve_place: int | None = None
    canonical: str = ""  # the values as the receipt hashes them, to recompute by hand


def check_receipt(draw: Draw, code: str) -> ReceiptCheck | None:
    """The entry in ``draw`` of whoever holds ``code``, or None (a wrong code, or not in this draw).

    The code is looked up as stored (unique); the values shown are the draw's stored inputs for
    that pseudonym, and ``matches`` says whether they and the code give the published receipt —
    what the applicant can also recompute themselves (docs/privacy.md)."""
    normal = public_file.normalise_code(code)
    if len(normal) != public_file.CODE_LENGTH:
        return None
    application = db.session.scalar(sa.select(Application).where(Application.receipt_code == normal))
    if application is None:
        return None
    entry = next((e for e in draw.entries if e.application_id == application.id), None)
    if entry is None:
        return None
    row = next((r for r in draw.inputs["pool"] if r["id"] == entry.pseudonym), None)
    if row is None:
        return None
    categories = draw.inputs["categories"]
    values = {c: row[c] for c in categories}
    matches = secrets.compare_digest(public_file.receipt(normal, row, categories), entry.receipt or "")
    outcome, place = "", None
    if draw.status == DrawStatus.DONE and draw.result:
        if entry.pseudonym in draw.result["chosen"]:
            outcome = "chosen"
        elif entry.pseudonym in draw.result["reserves"]:
            outcome, place = "reserve", draw.result["reserves"].index(entry.pseudonym) + 1
        else:
            outcome = "none"
    return ReceiptCheck(
        entry.pseudonym,
        values,
        entry.receipt,
        matches,
        outcome,
        place,
        public_file.canonical_values(row, categories),
    )


# --- after the draw: who is who, and replacing a member -------------------------------------------


@dataclass
class DrawnPerson:
    pseudonym: str
    application: Application | None
    member: CommitteeMember | None
    left: bool


def pseudonym_of(draw: Draw, application_id: int | None) -> str | None:
    for entry in draw.entries:
        if entry.application_id == application_id and application_id is not None:
            return entry.pseudonym
    return None


def reserves_left(draw: Draw, procurement) -> list[DrawnPerson]:
    """The reserve list in order, without people already seated, gone or erased."""
    seated = {m.application_id for m in procurement.members}
    by_pseudonym = {e.pseudonym: e for e in draw.entries}
    people = []
    for pseudonym in (draw.result or {}).get("reserves", []):
        entry = by_pseudonym.get(pseudonym)
        if entry is None or entry.left_at or entry.application_id is None:
            continue
        if entry.application_id in seated:
            continue
        people.append(DrawnPerson(pseudonym, db.session.get(Application, entry.application_id), None, False))
    return people


def replace_member(*, actor, member: CommitteeMember, reason: str, note: str):
    """Give a drawn member's seat to the next suitable person on the reserve list.

    Everyone else stays. The reserve is the first on the list with whom every quota still holds,
    or else the closest match (see ``quotas.pick_replacement``). Returns the new member and the
    quotas that are then not met (empty when all hold).
    """
    procurement = member.procurement
    services.check_composition_open(procurement)
    draw = completed_draw(procurement)
    leaving = pseudonym_of(draw, member.application_id) if draw else None
    if leaving is None:
        raise ProcessError(
            _(
                "Alleen wie via de loting in de commissie kwam, kan door een reserve "
                "worden vervangen. Haal dit lid met de hand weg, met een reden."
            )
        )
    pool = {row["id"]: {k: v for k, v in row.items() if k != "id"} for row in draw.inputs["pool"]}
    committee = [p for p in (pseudonym_of(draw, m.application_id) for m in procurement.members) if p]
    candidates = [p.pseudonym for p in reserves_left(draw, procurement)]
    quotas = [lottery.Quota(q["category"], q["value"], q["min"], q["max"]) for q in draw.inputs["quotas"]]
    chosen, unmet = quota_rules.pick_replacement(
        leaving=leaving, committee=committee, reserves=candidates, values=pool, quotas=quotas
    )
    if chosen is None:
        raise ProcessError(_("De reservelijst is op. Voeg met de hand iemand toe, met een reden."))
    entry = next(e for e in draw.entries if e.pseudonym == chosen)
    application = db.session.get(Application, entry.application_id)
    change = services.record_change(
        actor=actor, procurement=procurement, action="replace", reason=reason, note=note
    )
    services.unseat(member, draw=draw)
    new_member = services.seat_application(
        procurement=procurement, application=application, source=MemberSource.RESERVE
    )
    audit.record(
        "committee.replace",
        actor=actor,
        obj=new_member,
        procurement_id=procurement.id,
        details={
            **services.change_details(change),
            "from": leaving,
            "to": chosen,
            "unmet_quotas": len(unmet),
        },
    )
    return new_member, unmet


def explain(problem: dict, categories) -> str:
    """A quota problem (``lottery.QuotaProblem`` as a dict) in plain Dutch, with a fix."""
    by_key = {c.key: c for c in categories}
    category = by_key.get(problem.get("category", ""))
    what = category.label if category else problem.get("category", "")
    value = category.label_of(problem.get("value", "")) if category else problem.get("value", "")
    need, have, suggestion = problem.get("need"), problem.get("have"), problem.get("suggestion")
    kind = problem.get("kind")
    if kind == "pool_too_small":
        return _(
            "Er zijn %(have)d aanmeldingen voor %(need)d plaatsen. Oplossing: maak de commissie "
            "kleiner, of zoek meer aanmeldingen.",
            have=have,
            need=need,
        )
    if kind == "min_above_pool":
        return _(
            "Het quotum ‘%(what)s: %(value)s’ vraagt minstens %(need)d leden, maar er hebben "
            "zich maar %(have)d mensen uit die groep aangemeld. Oplossing: zet het minimum op "
            "%(have)d of lager, of zoek meer aanmeldingen uit deze groep.",
            what=what,
            value=value,
            need=need,
            have=have,
        )
    if kind == "mins_exceed_seats":
        return _(
            "Bij ‘%(what)s’ tellen de minimums op tot %(need)d, maar er zijn maar %(have)d "
            "plaatsen. Oplossing: verlaag de minimums samen met %(diff)d, of maak de commissie "
            "groter.",
            what=what,
            need=need,
            have=have,
            diff=need - have,
        )
    if kind == "maxes_below_seats":
        return _(
            "Bij ‘%(what)s’ kunnen hoogstens %(have)d mensen gekozen worden (door de maximums "
            "en wie zich aanmeldde), maar er zijn %(need)d plaatsen. Oplossing: verhoog de "
            "maximums, of zoek meer aanmeldingen.",
            what=what,
            have=have,
            need=need,
        )
    if kind == "relax_min" and problem.get("alone"):
        return _(
            "De quota samen zijn niet te halen. Het quotum ‘%(what)s: %(value)s’ (minstens "
            "%(need)d) blokkeert. Oplossing: zet het minimum op %(suggestion)d. Dan lukt het, ook "
            "als u verder niets verandert.",
            what=what,
            value=value,
            need=need,
            suggestion=suggestion,
        )
    if kind == "relax_max" and problem.get("alone"):
        return _(
            "De quota samen zijn niet te halen. Het quotum ‘%(what)s: %(value)s’ (hoogstens "
            "%(need)d) blokkeert. Oplossing: zet het maximum op %(suggestion)d. Dan lukt het, ook "
            "als u verder niets verandert.",
            what=what,
            value=value,
            need=need,
            suggestion=suggestion,
        )
    if kind == "relax_min":
        return _(
            "De quota samen zijn niet te halen. Zet bij ‘%(what)s: %(value)s’ het minimum van "
            "%(need)d op %(suggestion)d. Alleen dit is niet genoeg: het lukt pas als u ook de "
            "andere wijzigingen in deze lijst doet.",
            what=what,
            value=value,
            need=need,
            suggestion=suggestion,
        )
    if kind == "relax_max":
        return _(
            "De quota samen zijn niet te halen. Zet bij ‘%(what)s: %(value)s’ het maximum van "
            "%(need)d op %(suggestion)d. Alleen dit is niet genoeg: het lukt pas als u ook de "
            "andere wijzigingen in deze lijst doet.",
            what=what,
            value=value,
            need=need,
            suggestion=suggestion,
        )
    return _(
        "Met deze quota is geen commissie te vormen, en we vinden niet welk quotum het "
        "tegenhoudt. Maak de quota ruimer (lagere minimums, hogere maximums)."
    )
