"""The member copies of an approved offer, made on the job queue (``committee/jobs.py``).

When the moderator approves an offer (``review.approve``), the request fixes the anonymised text
and marks the review's copies ``QUEUED``. After it commits, ``build_member_copies`` writes, for
each annex, the file members get: the clean copy without the pages left out, rebuilt and
scanned once more. That can take as long as the check at upload, so no web worker does it.

* All copies written and clean: ``OK``; the offer can be released.
* An annex cannot be rebuilt, or still holds an identifier after the rebuild: ``FAILED`` with
  the code and the annex, and the approval is withdrawn: the moderator sees why, in Dutch.
* The moderator changed the offer (or approved it again) while the job ran: the job's files are
  thrown away; the newer approval has its own job (``copies_round``).
* The consumer died while building: ``reap_stuck_copies`` marks it ``FAILED`` ("stuck").
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from committee import jobs
from committee.audit import services as audit
from committee.extensions import db
from committee.offers import anonymise, pdf
from committee.offers.models import Annex, AnnexStatus, CopiesStatus, Offer, Review
from committee.offers.services import identifiers_of
from committee.offers.storage import Storage, current_storage
from committee.timeutil import utcnow


class CopyFailed(Exception):
    def __init__(self, code: str, annex: int):
        super().__init__(code)
        self.code, self.annex = code, annex


def message(review: Review) -> str | None:
    """What the moderator reads about the copies, or None when there is nothing to say."""
    if review is None or review.copies is None or review.copies == CopiesStatus.OK:
        return None
    if review.copies_pending:
        return _("De bijlagen voor de commissie worden gemaakt. Vernieuw de pagina over een ogenblik.")
    n = review.copies_annex or 0
    if review.copies_error == "rebuild":
        return _(
            "Bijlage %(annex)d kon niet opnieuw worden opgebouwd. De goedkeuring is ingetrokken: "
            "laat de bijlage weg of vraag de aanbieder om een nieuwe.",
            annex=n,
        )
    if review.copies_error == "identifier":
        return _(
            "Bijlage %(annex)d bevat na het opnieuw opbouwen nog iets dat de aanbieder kan herkennen. "
            "De goedkeuring is ingetrokken: laat meer pagina's weg en keur opnieuw goed.",
            annex=n,
        )
    return _("Het maken van de bijlagen voor de commissie is onderbroken. Keur het aanbod opnieuw goed.")


def request(offer: Offer, storage: Storage | None = None) -> None:
    """Called by ``review.approve``: drop the old member copies and queue new ones."""
    storage = storage or current_storage()
    review = offer.review
    for annex in offer.annexes:
        if annex.member_file:
            storage.delete(annex.member_file)  # gone once the approval commits
            annex.member_file = None
    review.copies_round = (review.copies_round or 0) + 1
    review.copies_error, review.copies_annex, review.copies_started_at = None, None, None
    to_copy = [
        a for a in offer.annexes if a.status == AnnexStatus.OK and any(not p.excluded for p in a.pages)
    ]
    if not to_copy:  # nothing for members to get: no job needed
        review.copies = CopiesStatus.OK
        db.session.flush()
        return
    review.copies = CopiesStatus.QUEUED
    db.session.flush()
    jobs.enqueue_after_commit(build_member_copies, offer.id, review.copies_round)


def _write(annex: Annex, keep: list[int], identifiers: list[str], storage: Storage) -> bytes:
    """The file members get: the clean copy without the pages left out, as bytes to store."""
    clean = storage.get(annex.clean_file)
    if len(keep) == annex.page_count:
        # Nothing left out: the clean copy as it was rebuilt and scanned at upload.
        return clean
    with storage.workspace() as work:
        source, target = work / "clean.pdf", work / "member.pdf"
        source.write_bytes(clean)
        try:
            scans = pdf.rebuild(source, target, storage.limits, keep=keep)
        except pdf.PdfRefused as refused:
            raise CopyFailed("rebuild", annex.position) from refused
        rebuilt = target.read_bytes()
    # The file members get is scanned once more, as it is.
    if any(anonymise.find(s.text, identifiers) or anonymise.find(s.hidden, identifiers) for s in scans):
        raise CopyFailed("identifier", annex.position)
    return rebuilt


def _claim(offer_id: int, round_: int) -> Review | None:
    claimed = db.session.execute(
        sa.update(Review)
        .where(
            Review.offer_id == offer_id, Review.copies_round == round_, Review.copies == CopiesStatus.QUEUED
        )
        .values(copies=CopiesStatus.BUILDING, copies_started_at=utcnow())
    ).rowcount
    db.session.commit()
    return db.session.scalar(sa.select(Review).where(Review.offer_id == offer_id)) if claimed else None


def _current(offer_id: int, round_: int) -> Review | None:
    db.session.expire_all()
    review = db.session.scalar(sa.select(Review).where(Review.offer_id == offer_id))
    if review is None or review.copies_round != round_ or review.copies != CopiesStatus.BUILDING:
        return None
    if review.approved_at is None:
        return None
    return review


@jobs.task()
def build_member_copies(offer_id: int, round_: int) -> str:
    """Make the member copies for one approval. Returns the outcome (for tests and the log)."""
    review = _claim(offer_id, round_)
    if review is None:
        return "gone"
    offer = review.offer
    storage = current_storage()
    identifiers = identifiers_of(offer)
    written: dict[int, bytes] = {}  # stored only once the round is known to be current
    try:
        for annex in offer.annexes:
            if annex.status != AnnexStatus.OK:
                continue
            keep = [p.number for p in annex.pages if not p.excluded]
            if keep:
                written[annex.id] = _write(annex, keep, identifiers, storage)
    except CopyFailed as failed:
        review = _current(offer_id, round_)
        if review is None:
            return "stale"
        _fail(review, failed.code, failed.annex)
        return "failed"
    except Exception:
        db.session.rollback()
        review = _current(offer_id, round_)
        if review is not None:
            _fail(review, "error", None)
        raise
    review = _current(offer_id, round_)
    if review is None:  # changed or approved again meanwhile: the newer round makes its own copies
        return "stale"
    for annex in review.offer.annexes:
        if annex.id in written:
            annex.member_file = storage.put(written[annex.id])
    review.copies = CopiesStatus.OK
    db.session.flush()
    audit.record(
        "review.copies",
        obj=review.offer,
        procurement_id=review.offer.procurement_id,
        details={"annexes": len(written)},
    )
    db.session.commit()
    return "ok"


def _fail(review: Review, code: str, annex: int | None) -> None:
    review.copies, review.copies_error, review.copies_annex = CopiesStatus.FAILED, code, annex
    review.approved_at, review.approved_by_id = None, None
    db.session.flush()
    audit.record(
        "review.copies",
        obj=review.offer,
        procurement_id=review.offer.procurement_id,
        details={"error": code, "annex": annex},
        result="failed",
    )
    db.session.commit()


def stale_after(config) -> float:
    return (
        config.get("JOBS_STALE_SECONDS")
        or 2 * config["PDF_TIME_LIMIT"] * max(1, config["ANNEX_MAX_COUNT"]) + 60
    )


@jobs.on_consumer_start
@jobs.periodic(minute="*")
def reap_stuck_copies() -> dict:
    """Copies that started building too long ago died with their consumer: mark them failed, and
    withdraw the approval, so the moderator approves again."""
    cutoff = utcnow() - timedelta(seconds=stale_after(current_app.config))
    stuck = db.session.scalars(
        sa.select(Review).where(Review.copies == CopiesStatus.BUILDING, Review.copies_started_at < cutoff)
    ).all()
    for review in stuck:
        _fail(review, "stuck", None)
    # A queued round that waited that long lost its job (the queue was emptied): queue it again.
    waiting = db.session.scalars(
        sa.select(Review).where(Review.copies == CopiesStatus.QUEUED, Review.approved_at < cutoff)
    ).all()
    for review in waiting:
        jobs.enqueue_after_commit(build_member_copies, review.offer_id, review.copies_round)
    db.session.commit()
    return {"failed": len(stuck), "requeued": len(waiting)}
