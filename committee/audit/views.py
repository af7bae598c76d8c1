"""The moderator's view of the audit log."""

from flask import Blueprint, render_template, request

from committee.access import rule
from committee.audit import services

bp = Blueprint("audit", __name__)


@bp.get("/beheer/logboek")
@rule("moderator")
def log():
    action = request.args.get("actie") or None
    procurement_id = request.args.get("aanbesteding", type=int)
    return render_template(
        "audit/log.html",
        events=services.events_for(procurement_id=procurement_id, action=action),
        report=services.verify_chain(),
        action=action,
    )
