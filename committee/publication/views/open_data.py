"""Published decisions as data: the OCDS release package and the Atom feeds."""

from flask import Response, abort, current_app, url_for
from flask_babel import gettext as _

from committee.access import rule
from committee.audit import checkpoint
from committee.audit.views import signed_response
from committee.i18n import names_list
from committee.procurement.models import Outcome
from committee.publication import feed, ocds, services
from committee.publication.views._helpers import _base, _public_procurement
from committee.publication.views.blueprint import bp


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/ocds.json")
@rule("public")
def ocds_package(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, open_data=True)
    package = ocds.release_package(
        procurement,
        prefix=current_app.config["OCDS_OCID_PREFIX"],
        package_url=_base() + url_for("publication.ocds_package", slug=slug, procurement_id=procurement.id),
        public_url=_base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id),
    )
    response = current_app.json.response(package)
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: anyone may read it
    return response


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/logboek-controlepunt.json")
@rule("public")
def decision_checkpoint(slug: str, procurement_id: int):
    """The audit log's checkpoint at this decision's publication, signed (see /logboek)."""
    procurement = _public_procurement(slug, procurement_id, published=True)
    decision = services.decision_of(procurement)
    point = checkpoint.at_seq(decision.audit_seq if decision else None)
    if point is None:
        abort(404)
    return signed_response(point)


def _checkpoint_text(point) -> str:
    if point is None:
        return ""
    return _("Controlepunt van het logboek bij dit besluit: %(line)s", line=checkpoint.line(point))


def _ended_entry(procurement) -> dict:
    """A procurement that ended without an award, as a feed entry."""
    slug = procurement.neighbourhood.slug
    url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    outcome = _("ingetrokken") if procurement.ended_as == Outcome.CANCELLED else _("geen gunning")
    return {
        "id": f"{url}#{procurement.ended_as.value}",
        "title": _(
            "%(place)s: %(title)s – %(outcome)s",
            place=procurement.neighbourhood.name,
            title=procurement.title,
            outcome=outcome,
        ),
        "url": url,
        "published": procurement.ended_at,
        "summary": procurement.end_reason,
    }


def _feed_response(title: str, feed_url: str, site_url: str, decisions, ended=()) -> Response:
    entries = []
    decisions = list(decisions)
    points = checkpoint.at_seqs(decision.audit_seq for decision, _procurement, _rationale in decisions)
    for decision, procurement, rationale in decisions:
        slug = procurement.neighbourhood.slug
        url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
        entries.append(
            {
                "id": url,
                "title": _(
                    "%(place)s: %(title)s – gekozen: %(name)s",
                    place=procurement.neighbourhood.name,
                    title=procurement.title,
                    name=names_list(o.public_name for o in decision.offers),
                ),
                "url": url,
                "published": decision.published_at,
                "summary": rationale.texts.get("why", "") if rationale else "",
                "checkpoint": _checkpoint_text(points.get(decision.audit_seq)),
                "checkpoint_url": _base()
                + url_for("publication.decision_checkpoint", slug=slug, procurement_id=procurement.id),
            }
        )
    entries.extend(_ended_entry(procurement) for procurement in ended)
    entries.sort(key=lambda entry: entry["published"], reverse=True)
    body = feed.atom(title=title, feed_url=feed_url, site_url=site_url, entries=entries)
    return Response(body, mimetype="application/atom+xml")


@bp.get("/besluiten.atom")
@rule("public")
def decisions_feed():
    return _feed_response(
        _("WijKiezen: gepubliceerde besluiten"),
        _base() + url_for("publication.decisions_feed"),
        _base() + url_for("publication.home"),
        services.published_decisions(),
        services.ended_procurements(),
    )


@bp.get("/wijk/<slug>/besluiten.atom")
@rule("public")
def neighbourhood_feed(slug: str):
    place = services.neighbourhood_by_slug(slug)
    if place is None:
        abort(404)
    return _feed_response(
        _("%(place)s: gepubliceerde besluiten", place=place.name),
        _base() + url_for("publication.neighbourhood_feed", slug=slug),
        _base() + url_for("publication.neighbourhood", slug=slug),
        services.published_decisions(place),
        services.ended_procurements(place),
    )
