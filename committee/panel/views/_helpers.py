"""What several of the committee's page families share: the draw status words, the member named
in a posted form, a procurement the public may see."""

from flask import abort
from flask_babel import lazy_gettext as _l

from committee.extensions import db
from committee.panel.models import CommitteeMember, DrawStatus
from committee.procurement import policy
from committee.procurement.models import Procurement

STATUS_LABELS = {
    DrawStatus.PREPARED: _l("Klaargezet en gepubliceerd, nog niet geloot"),
    DrawStatus.QUEUED: _l("Wacht op de start"),
    DrawStatus.RUNNING: _l("Bezig met loten"),
    DrawStatus.DONE: _l("Geloot"),
    DrawStatus.FAILED: _l("Niet gelukt"),
}


def _member_from_form(procurement, member_id: str | None) -> CommitteeMember:
    member = db.session.get(CommitteeMember, int(member_id)) if (member_id or "").isdigit() else None
    if member is None or member.procurement_id != procurement.id:
        abort(400)
    return member


def _public_procurement(slug: str, procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.neighbourhood.slug != slug or not policy.is_public(procurement):
        abort(404)
    return procurement
