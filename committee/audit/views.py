"""The moderator's view of the audit log (filter by procurement, action and days), and the public
page about the log with its checkpoints (signed, to keep outside the database) and public key."""

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request

from committee.access import rule
from committee.audit import checkpoint, services
from committee.audit.forms import LogFilterForm
from committee.extensions import db
from committee.procurement.models import Procurement

bp = Blueprint("audit", __name__)


@bp.get("/beheer/logboek")
@rule("moderator")
def log():
    form = LogFilterForm(
        formdata=request.args,
        procurements=db.session.scalars(sa.select(Procurement).order_by(Procurement.id)).all(),
        actions=services.actions(),
    )
    valid = form.validate()
    filters = {}
    if valid:
        filters = {
            "procurement_id": int(form.aanbesteding.data) if form.aanbesteding.data else None,
            "action": form.actie.data or None,
            "since": form.vanaf.data,
            "until": form.tot.data,
        }
    return render_template(
        "audit/log.html",
        form=form,
        events=services.events_for(**filters) if valid else [],
        report=services.verify_chain(),
        filtered=any(v is not None for v in filters.values()),
    ), (200 if valid else 422)


def _origin() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


@bp.get("/logboek")
@rule("public")
def public():
    """What the log proves and what it cannot, with the checkpoint of now to save or print."""
    head = checkpoint.current()
    return render_template(
        "audit/public.html",
        head=head,
        head_line=checkpoint.line(head) if head else None,
        key_id=checkpoint.key_id(),
    )


def signed_response(point) -> Response:
    body = current_app.json.dumps(checkpoint.signed(point, _origin()), indent=2) + "\n"
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="wijkiezen-logboek-{point.seq}.json"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/logboek/controlepunt.json")
@rule("public")
def current_checkpoint():
    head = checkpoint.current()
    if head is None:
        abort(404)
    return signed_response(head)


@bp.get("/logboek/publieke-sleutel.pem")
@rule("public")
def public_key():
    response = Response(checkpoint.public_key_pem(), mimetype="application/x-pem-file")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
