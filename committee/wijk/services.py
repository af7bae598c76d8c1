"""Neighbourhoods and their buurten."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

from committee.audit import services as audit
from committee.extensions import db
from committee.wijk.models import Buurt, Neighbourhood


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "wijk"


def _unique_slug(base: str) -> str:
    slug, n = base, 1
    while db.session.scalar(sa.select(Neighbourhood.id).where(Neighbourhood.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_neighbourhood(*, actor, name: str, municipality: str, buurten: list[str],
                         cbs_code: str | None = None) -> Neighbourhood:
    neighbourhood = Neighbourhood(
        slug=_unique_slug(slugify(f"{municipality} {name}")),
        name=name.strip(),
        municipality=municipality.strip(),
        cbs_code=cbs_code,
        buurten=[Buurt(name=b) for b in buurten],
    )
    db.session.add(neighbourhood)
    db.session.flush()
    audit.record("neighbourhood.create", actor=actor, obj=neighbourhood,
                 details={"buurten": len(buurten)})
    return neighbourhood


def neighbourhoods() -> list[Neighbourhood]:
    return db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)).all()
