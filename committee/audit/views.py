"""The moderator's view of the audit log: filter by procurement, action and days."""

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from committee.access import rule
from committee.audit import services
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
