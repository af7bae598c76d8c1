"""The draw as a job on the queue (``committee/jobs.py``), and not letting a draw hang "running".

The moderator's "Nu loten" reveals the seed and marks the draw ``QUEUED`` (``draws.start_draw``);
after that commits, ``launch`` puts ``run_draw`` on the queue and a consumer runs it
(``draws.run_draw``: it claims the draw, reports the solver's stage, seats the people drawn).

While it runs, a thread in the same consumer writes ``Draw.heartbeat_at`` every
``HEARTBEAT_SECONDS``. A consumer that is killed (SIGKILL, a crash, a machine that goes away)
stops beating; ``reap_stuck_draws`` (when a consumer starts, and every minute) then marks the
draw ``FAILED`` with the code ``worker_died``, once the heartbeat is older than
``stale_after``. Nothing was seated: the people drawn are seated in the same transaction that
marks the draw done. The moderator sees why, in Dutch, and can start the same draw again
(``restart_draw``): its inputs and seed are published, so it gives the same committee.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from committee import jobs
from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.panel import draws
from committee.panel.models import Draw, DrawStatus
from committee.panel.services import active_draw, completed_draw
from committee.procurement import policy
from committee.timeutil import utcnow

HEARTBEAT_SECONDS = 2.0
WORKER_DIED = "worker_died"


def stale_after(config) -> float:
    """Seconds without a heartbeat after which a running draw has lost its consumer."""
    return config.get("JOBS_STALE_SECONDS") or 120.0


def launch(draw: Draw) -> None:
    """Put the queued draw on the job queue (call after the transaction that queued it commits).
    In the tests' immediate mode it runs right here."""
    jobs.enqueue(run_draw, draw.id)


def _beat(app, draw_id: int, stop: threading.Event) -> None:
    with app.app_context():
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                db.session.execute(
                    sa.update(Draw)
                    .where(Draw.id == draw_id, Draw.status == DrawStatus.RUNNING)
                    .values(heartbeat_at=utcnow())
                )
                db.session.commit()
        finally:
            db.session.remove()


@jobs.task()
def run_draw(draw_id: int) -> str:
    """Run one queued draw, with a heartbeat while it runs. Returns its status (for the log)."""
    db.session.execute(sa.update(Draw).where(Draw.id == draw_id).values(heartbeat_at=utcnow()))
    db.session.commit()
    stop = threading.Event()
    beat = threading.Thread(
        target=_beat, args=(current_app._get_current_object(), draw_id, stop), daemon=True
    )
    beat.start()
    try:
        draw = draws.run_draw(draw_id=draw_id)
    finally:
        stop.set()
        beat.join()
    return draw.status.value if draw is not None else "not waiting"


@jobs.on_consumer_start
@jobs.periodic(minute="*")
def reap_stuck_draws() -> dict:
    """A running draw whose heartbeat stopped lost its consumer: mark it failed, so the page stops
    waiting and the moderator can start it again."""
    cutoff = utcnow() - timedelta(seconds=stale_after(current_app.config))
    last_sign = sa.func.coalesce(Draw.heartbeat_at, Draw.progress_at, Draw.started_at)
    stuck = db.session.scalars(
        sa.select(Draw).where(Draw.status == DrawStatus.RUNNING, last_sign < cutoff)
    ).all()
    for draw in stuck:
        draw.status, draw.error, draw.finished_at = DrawStatus.FAILED, WORKER_DIED, utcnow()
        draw.progress_step = "failed"
        db.session.flush()
        audit.record(
            "draw.finish",
            obj=draw,
            procurement_id=draw.procurement_id,
            details={"status": "failed", "error": WORKER_DIED},
            result="failed",
        )
    db.session.commit()
    return {"failed": len(stuck)}


def can_restart(draw: Draw) -> bool:
    return draw.status == DrawStatus.FAILED and draw.error == WORKER_DIED


def restart_draw(*, actor, draw: Draw) -> None:
    """Queue a draw again whose consumer died (``launch`` it after the caller commits). Its
    inputs and seed were published when it started, so it draws the same committee."""
    if not can_restart(draw):
        raise ProcessError(_("Alleen een loting die werd onderbroken, kunt u opnieuw starten."))
    procurement = draws.draw_procurement(draw)
    if not policy.draw_allowed(procurement):
        raise ProcessError(_("Loten kan alleen in de fase ‘Samenstellen commissie’."))
    if completed_draw(procurement) is not None or active_draw(procurement) is not None:
        raise ProcessError(_("Er is al een andere loting klaar of bezig."))
    draw.status, draw.error, draw.finished_at = DrawStatus.QUEUED, None, None
    draw.started_at = draw.heartbeat_at = None
    draw.progress_step = draw.progress_count = draw.progress_total = draw.progress_at = None
    db.session.flush()
    audit.record("draw.restart", actor=actor, obj=draw, procurement_id=draw.procurement_id)
