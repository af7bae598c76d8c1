"""Neighbourhoods and their buurten."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.text import slugify
from committee.wijk import profile
from committee.wijk.models import Buurt, Neighbourhood, ProfileShare


class ProfileError(ProcessError):
    """The profile cannot be read or saved; the message is for the moderator, in plain Dutch."""


SLUG_LENGTH = 80  # the column's length (PostgreSQL refuses longer; a name and municipality may be 240)


def _unique_slug(base: str) -> str:
    base = base[: SLUG_LENGTH - 4].strip("-") or "wijk"  # room for a "-999" suffix
    slug, n = base, 1
    while db.session.scalar(sa.select(Neighbourhood.id).where(Neighbourhood.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_neighbourhood(
    *, actor, name: str, municipality: str, buurten: list[str], cbs_code: str | None = None
) -> Neighbourhood:
    neighbourhood = Neighbourhood(
        slug=_unique_slug(slugify(f"{municipality} {name}")),
        name=name.strip(),
        municipality=municipality.strip(),
        cbs_code=cbs_code,
        buurten=[Buurt(name=b) for b in buurten],
    )
    db.session.add(neighbourhood)
    db.session.flush()
    audit.record("neighbourhood.create", actor=actor, obj=neighbourhood, details={"buurten": len(buurten)})
    return neighbourhood


def neighbourhoods() -> list[Neighbourhood]:
    return db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)).all()


# --- the neighbourhood profile -----------------------------------------------------------------


def profile_rows(neighbourhood: Neighbourhood) -> list[ProfileShare]:
    return db.session.scalars(
        sa.select(ProfileShare)
        .where(ProfileShare.neighbourhood_id == neighbourhood.id)
        .order_by(ProfileShare.category, ProfileShare.id)
    ).all()


def _replace(neighbourhood: Neighbourhood, category: str, amounts: dict[str, float], source: str):
    db.session.execute(
        sa.delete(ProfileShare).where(
            ProfileShare.neighbourhood_id == neighbourhood.id, ProfileShare.category == category
        )
    )
    db.session.add_all(
        ProfileShare(
            neighbourhood_id=neighbourhood.id, category=category, value=value, amount=amount, source=source
        )
        for value, amount in amounts.items()
    )


def import_cbs_profile(*, actor, neighbourhood: Neighbourhood, data: bytes) -> profile.Profile:
    """Read a CBS "Kerncijfers wijken en buurten" file into the neighbourhood's profile.

    Replaces the figures for buurt, age group and men/women; other categories stay.
    """
    messages = {
        "empty": _("Het bestand is leeg."),
        "columns": _(
            "In dit bestand vinden we geen regiocode of naam met het aantal inwoners "
            "(AantalInwoners). Kies een bestand ‘Kerncijfers wijken en buurten’ van het "
            "CBS, met puntkomma's gescheiden."
        ),
        "no_rows": _("Het bestand heeft geen regels met cijfers."),
    }
    try:
        rows = profile.parse_cbs_csv(profile.decode(data))
    except profile.ProfileFileError as exc:
        raise ProfileError(messages[exc.kind]) from exc
    result = profile.build_profile(
        rows,
        wijk_code=neighbourhood.cbs_code,
        buurten=[(b.name, b.cbs_code) for b in neighbourhood.buurten],
    )
    if not any(category == profile.BUURT for category, _value in result.amounts):
        raise ProfileError(
            _(
                "Geen van de buurten van deze wijk staat in het bestand. Kijk of de "
                "namen of de BU-codes overeenkomen."
            )
        )
    by_category: dict[str, dict[str, float]] = {}
    for (category, value), amount in result.amounts.items():
        by_category.setdefault(category, {})[value] = amount
    for category, amounts in by_category.items():
        _replace(neighbourhood, category, amounts, "cbs")
    db.session.flush()
    audit.record(
        "profile.import",
        actor=actor,
        obj=neighbourhood,
        details={
            "rows": result.source_rows,
            "categories": sorted(by_category),
            "missing_buurten": len(result.missing_buurten),
        },
    )
    return result


def save_profile_by_hand(
    *, actor, neighbourhood: Neighbourhood, category: str, percentages: dict[str, float]
) -> None:
    """The moderator's own shares for one category, in percent (they need not add up to 100
    exactly: each share is its part of the total)."""
    if any(p < 0 for p in percentages.values()) or sum(percentages.values()) <= 0:
        raise ProfileError(_("Vul percentages in van 0 of meer, samen meer dan 0."))
    _replace(neighbourhood, category, {v: float(p) for v, p in percentages.items()}, "hand")
    db.session.flush()
    audit.record("profile.hand", actor=actor, obj=neighbourhood, details={"category": category})
