"""What several of the offers' page families share: the moderator's procurement lookup and the
PDF download response (attachment, no-store)."""

from flask import abort, send_file

from committee.extensions import db
from committee.procurement.models import Procurement


def _procurement(procurement_id: int) -> Procurement:
    return db.session.get(Procurement, procurement_id) or abort(404)


def _pdf(path, download_name: str):
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name,
        max_age=0,
        etag=False,
        conditional=False,
        last_modified=None,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
