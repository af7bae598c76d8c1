"""The offers' jobs: checking (rebuilding) an uploaded annex, and not letting a check hang.

The upload request stores the bidder's original and an annex row with status ``QUEUED``; after it
commits, ``rebuild_annex`` runs in a consumer with the same limits as before (``pdf.rebuild``: a
separate process with time, memory and output caps) and sets the result: ``OK`` with the pages,
or ``REFUSED`` with the reason's code (the bidder's message is made from it when shown,
``services.annex_message``). A consumer that is killed mid-check leaves the row ``CHECKING``;
``reap_stuck_checks`` (when a consumer starts, and every minute) marks such a row ``FAILED`` once
it is older than ``JOBS_STALE_SECONDS`` (default twice ``PDF_TIME_LIMIT`` plus a minute), and puts
a ``QUEUED`` row whose job seems lost back on the queue.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from committee import jobs
from committee.audit import services as audit
from committee.extensions import db
from committee.offers import pdf
from committee.offers.models import Annex, AnnexPage, AnnexStatus
from committee.offers.storage import current_storage
from committee.timeutil import utcnow


def _claim(annex_id: int) -> Annex | None:
    """QUEUED → CHECKING in one statement, so two consumers never check the same annex."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Annex)
        .where(Annex.id == annex_id, Annex.status == AnnexStatus.QUEUED)
        .values(status=AnnexStatus.CHECKING, check_started_at=now)
    ).rowcount
    db.session.commit()
    return db.session.get(Annex, annex_id) if claimed else None


@jobs.task(retries=2, retry_delay=5)
def rebuild_annex(annex_id: int) -> str:
    """Check one annex. Returns its new status (for tests and the consumer's log)."""
    annex = _claim(annex_id)
    if annex is None:
        return "gone"  # removed by the bidder, or already checked by another consumer
    storage = current_storage()
    # The store is the database; the limited worker process reads and writes files, so it gets
    # a private temporary folder on this machine, removed afterwards.
    try:
        with storage.workspace() as work:
            original, clean = work / "original.pdf", work / "clean.pdf"
            original.write_bytes(storage.get(annex.original_file))
            db.session.commit()  # hold no transaction open while the worker runs
            try:
                scans, refused = pdf.rebuild(original, clean, storage.limits), None
                rebuilt = clean.read_bytes()
            except pdf.PdfRefused as error:
                scans, refused, rebuilt = [], error, None
    except Exception:
        db.session.rollback()
        _fail(annex_id, "error")
        raise
    db.session.expire_all()
    annex = db.session.get(Annex, annex_id)
    if annex is None or annex.status != AnnexStatus.CHECKING:  # removed (or reaped) meanwhile
        return "gone"
    if refused is not None:
        storage.delete(annex.original_file)  # a refused original is not kept: only the reason is
        annex.status, annex.refusal, annex.refusal_pages = AnnexStatus.REFUSED, refused.code, refused.pages
    else:
        storage.put(rebuilt, name=annex.clean_file)
        annex.status, annex.page_count = AnnexStatus.OK, len(scans)
        annex.pages = [
            AnnexPage(number=i, text=p.text, hidden=p.hidden, has_images=p.images)
            for i, p in enumerate(scans, 1)
        ]
    db.session.flush()
    audit.record(
        "annex.check",
        obj=annex,
        procurement_id=annex.offer.procurement_id,
        details={"status": annex.status.value, "pages": annex.page_count, "refusal": annex.refusal},
        result="ok" if refused is None else "refused",
    )
    db.session.commit()
    return annex.status.value


def _fail(annex_id: int, reason: str) -> None:
    annex = db.session.get(Annex, annex_id)
    if annex is None or not annex.pending:
        return
    annex.status, annex.refusal = AnnexStatus.FAILED, reason
    db.session.flush()
    audit.record(
        "annex.check",
        obj=annex,
        procurement_id=annex.offer.procurement_id,
        details={"status": "failed", "refusal": reason},
        result="failed",
    )
    db.session.commit()


def stale_after(config) -> float:
    return config.get("JOBS_STALE_SECONDS") or 2 * config["PDF_TIME_LIMIT"] + 60


@jobs.on_consumer_start
@jobs.periodic(minute="*")
def reap_stuck_checks() -> dict:
    """A check that started too long ago died with its consumer: mark it failed. A queued annex
    that waited that long is put on the queue again (its job may have been lost)."""
    cutoff = utcnow() - timedelta(seconds=stale_after(current_app.config))
    stuck = db.session.scalars(
        sa.select(Annex.id).where(Annex.status == AnnexStatus.CHECKING, Annex.check_started_at < cutoff)
    ).all()
    for annex_id in stuck:
        _fail(annex_id, "stuck")
    waiting = db.session.scalars(
        sa.select(Annex).where(Annex.status == AnnexStatus.QUEUED, Annex.queued_at < cutoff)
    ).all()
    for annex in waiting:
        annex.queued_at = utcnow()
        jobs.enqueue_after_commit(rebuild_annex, annex.id)
    db.session.commit()
    return {"failed": len(stuck), "requeued": len(waiting)}
