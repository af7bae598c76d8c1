"""A published decision on paper: the print version, the poster and its QR code."""

import io

import segno
from flask import Response, render_template, url_for

from committee.access import rule
from committee.publication import services
from committee.publication.views._helpers import _base, _public_context, _public_procurement
from committee.publication.views.blueprint import bp


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/besluit")
@rule("public")
def print_decision(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    public_url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    return render_template("publication/print.html", public_url=public_url, **_public_context(procurement))


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/poster")
@rule("public")
def poster(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    public_url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    texts = services.rationale_texts(procurement)
    return render_template(
        "publication/poster.html",
        public_url=public_url,
        why=texts.get("why", ""),
        **_public_context(procurement),
    )


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/qr.svg")
@rule("public")
def qr_code(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    public_url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    out = io.BytesIO()
    segno.make(public_url, error="m").save(
        out, kind="svg", scale=8, border=4, xmldecl=True, title=procurement.title
    )
    return Response(out.getvalue(), mimetype="image/svg+xml")
