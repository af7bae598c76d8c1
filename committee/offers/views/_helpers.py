"""What several of the offers' page families share: the moderator's procurement lookup and the
PDF download response (attachment, no-store), read from the store (``offers/storage.py``)."""

import io

from flask import abort, send_file

from committee.extensions import db
from committee.offers import storage
from committee.procurement.models import Procurement


def _procurement(procurement_id: int) -> Procurement:
    return db.session.get(Procurement, procurement_id) or abort(404)


def _pdf(name: str | None, download_name: str):
    """The stored file ``name`` as a download. Access is checked by the caller."""
    try:
        data = storage.get(name)
    except storage.FileMissing:
        abort(404)
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name,
        max_age=0,
        etag=False,
        conditional=False,
        last_modified=None,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.content_length = len(data)
    return response
