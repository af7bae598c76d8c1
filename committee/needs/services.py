"""Asking the neighbourhood what it needs: the theme list, letter codes, responses and results.

Every function flushes but does not commit; moderator actions write an audit event.
"""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.needs import results as needs_results
from committee.needs.models import NeedsCode, NeedsRank, NeedsResponse, NeedsRound, Theme
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.timeutil import utcnow

# The start list from the Eindhoven model; the moderator edits it per procurement.
START_THEMES = [
    "Eenzaamheid",
    "Overlast van jongeren",
    "Veiligheid",
    "Gezondheid en overgewicht",
    "Armoede en schulden",
    "Plekken om elkaar te ontmoeten",
]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODES = 5000


class NeedsError(ProcessError):
    """A response is refused; the message is for the resident, in plain Dutch."""


def needs_round(procurement) -> NeedsRound | None:
    return db.session.scalar(sa.select(NeedsRound).where(NeedsRound.procurement_id == procurement.id))


def themes(procurement, *, active_only: bool = True) -> list[Theme]:
    query = sa.select(Theme).where(Theme.procurement_id == procurement.id)
    if active_only:
        query = query.where(Theme.active.is_(True))
    return db.session.scalars(query.order_by(Theme.position, Theme.id)).all()


def _next_position(procurement) -> int:
    top = db.session.scalar(
        sa.select(sa.func.max(Theme.position)).where(Theme.procurement_id == procurement.id)
    )
    return (top or 0) + 1


def normalise_postcodes(text: str) -> list[str]:
    """Postcode areas from free text: "5611, 5612 AB" -> ["5611", "5612AB"]; others are dropped."""
    found = re.findall(r"\b(\d{4})\s?([A-Za-z]{2})?\b", text or "")
    seen, areas = set(), []
    for digits, letters in found:
        area = digits + letters.upper()
        if area not in seen:
            seen.add(area)
            areas.append(area)
    return areas


def save_setup(*, actor, procurement, input_weight: str, postcodes: str) -> NeedsRound:
    """Save what the residents' input weighs and the neighbourhood's postcodes.

    The first save also puts the start list of themes in place.
    """
    if not policy.needs_list_editable(procurement):
        raise ProcessError(_("De vragenlijst kan na de fase ‘Wat is er nodig’ niet meer veranderen."))
    setup = needs_round(procurement) or NeedsRound(procurement_id=procurement.id)
    setup.input_weight = input_weight.strip()
    setup.postcodes = " ".join(normalise_postcodes(postcodes))
    db.session.add(setup)
    if not themes(procurement, active_only=False):
        for position, label in enumerate(START_THEMES, 1):
            db.session.add(Theme(procurement_id=procurement.id, label=label, position=position))
    db.session.flush()
    audit.record(
        "needs.setup",
        actor=actor,
        obj=setup,
        procurement_id=procurement.id,
        details={"postcode_areas": len(normalise_postcodes(postcodes))},
    )
    return setup


def add_theme(*, actor, procurement, label: str) -> Theme:
    if not policy.needs_list_editable(procurement):
        raise ProcessError(_("De lijst met thema's kan nu niet meer veranderen."))
    label = " ".join(label.split())
    existing = db.session.scalar(
        sa.select(Theme).where(
            Theme.procurement_id == procurement.id, sa.func.lower(Theme.label) == label.lower()
        )
    )
    if existing is not None:
        if existing.active:
            raise ProcessError(_("Dit thema staat al op de lijst."))
        existing.active = True
        theme = existing
    else:
        theme = Theme(procurement_id=procurement.id, label=label, position=_next_position(procurement))
        db.session.add(theme)
    db.session.flush()
    audit.record("needs.theme_add", actor=actor, obj=theme, procurement_id=procurement.id)
    return theme


def remove_theme(*, actor, theme: Theme, procurement) -> None:
    """Take a theme off the list; answers that chose it keep counting for it."""
    if not policy.needs_list_editable(procurement):
        raise ProcessError(_("De lijst met thema's kan nu niet meer veranderen."))
    theme.active = False
    db.session.flush()
    audit.record("needs.theme_remove", actor=actor, obj=theme, procurement_id=procurement.id)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def create_codes(*, actor, procurement, count: int) -> list[str]:
    """New letter codes, each good for one response. Only their hashes are kept: print them now."""
    if not policy.needs_list_editable(procurement):
        raise ProcessError(_("Codes maken kan alleen vóór en tijdens de fase ‘Wat is er nodig’."))
    if not 1 <= count <= MAX_CODES:
        raise ProcessError(_("Maak tussen 1 en %(max)d codes tegelijk.", max=MAX_CODES))
    codes = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in codes:
            codes.append(code)
            db.session.add(NeedsCode(procurement_id=procurement.id, code_hash=_code_hash(code)))
    db.session.flush()
    audit.record("needs.codes", actor=actor, procurement_id=procurement.id, details={"count": count})
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def open_needs(*, actor, procurement) -> None:
    """Open the needs phase: only once the weight of residents' input is stated."""
    if procurement.phase != Phase.CONCEPT:
        raise ProcessError(_("Vragen wat er nodig is kan alleen vanuit de voorbereiding."))
    setup = needs_round(procurement)
    if setup is None or not setup.input_weight:
        raise ProcessError(
            _(
                "Schrijf eerst op wat de inbreng van bewoners weegt in de uitvraag. "
                "Bewoners lezen dat vóórdat ze antwoorden."
            )
        )
    if len(themes(procurement)) < 2:
        raise ProcessError(_("Zet minstens twee thema's op de lijst."))
    procurement_services.move_to(actor=actor, procurement=procurement, to=Phase.NEEDS)


def _check_code(procurement, code: str) -> NeedsCode:
    normalised = normalise_code(code)
    found = db.session.scalar(
        sa.select(NeedsCode).where(
            NeedsCode.procurement_id == procurement.id,
            NeedsCode.code_hash == _code_hash(normalised),
        )
    )
    if found is None:
        raise NeedsError(_("Deze code kennen we niet. Kijk of u hem goed heeft overgenomen."))
    # Conditional update: two simultaneous answers with one code cannot both count.
    used = db.session.execute(
        sa.update(NeedsCode)
        .where(NeedsCode.id == found.id, NeedsCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        raise NeedsError(_("Met deze code is al geantwoord. Elke code telt één keer."))
    return found


def _check_postcode(setup: NeedsRound, postcode: str) -> None:
    areas = setup.postcodes.split()
    given = re.sub(r"\s", "", (postcode or "").upper())
    if not re.fullmatch(r"\d{4}[A-Z]{2}", given):
        raise NeedsError(_("Vul een postcode in zoals 1234 AB."))
    if not any(given.startswith(area) for area in areas):
        raise NeedsError(
            _("Deze postcode hoort niet bij deze wijk. Woont u hier wel? Gebruik dan de code uit de brief.")
        )


def submit_response(
    *,
    procurement,
    ranked_theme_ids: list[int],
    suggestion: str | None,
    buurt: str | None,
    code: str | None,
    postcode: str | None,
) -> NeedsResponse:
    """One resident's needs: up to three themes in order, perhaps a theme of their own.

    Counted once per letter code; with a postcode instead, only when it lies in the neighbourhood.
    The postcode itself is not stored.
    """
    if not policy.needs_open(procurement):
        raise NeedsError(_("Antwoorden kan nu niet: de vragenlijst is gesloten."))
    setup = needs_round(procurement)
    offered = {t.id for t in themes(procurement)}
    ranked = [t for t in ranked_theme_ids if t]
    if len(set(ranked)) != len(ranked):
        raise NeedsError(_("Kies elk thema maar één keer."))
    if any(t not in offered for t in ranked):
        raise NeedsError(_("Kies thema's van de lijst."))
    suggestion = " ".join((suggestion or "").split())[:200] or None
    if not ranked and not suggestion:
        raise NeedsError(_("Kies minstens één thema, of schrijf op wat u mist."))
    buurten = {b.name for b in procurement.neighbourhood.buurten}
    if buurt and buurt not in buurten:
        raise NeedsError(_("Kies een buurt van de lijst."))
    code_row = None
    if code:
        code_row = _check_code(procurement, code)
    elif postcode and setup is not None and setup.postcodes:
        _check_postcode(setup, postcode)
    else:
        raise NeedsError(_("Vul de code uit de brief in, of uw postcode."))
    response = NeedsResponse(
        procurement_id=procurement.id,
        buurt=buurt or None,
        suggestion=suggestion,
        check="code" if code_row else "postcode",
        code_id=code_row.id if code_row else None,
        ranks=[NeedsRank(theme_id=t, position=i) for i, t in enumerate(ranked, 1)],
    )
    db.session.add(response)
    db.session.flush()
    return response


def mark_call_themes(*, actor, procurement, choices: dict[int, str | None]) -> None:
    """Mark which themes go into the call for offers: ``choices`` maps theme id to the reason
    (themes not in it are not in the call). A theme in the call needs a reason."""
    if not policy.call_themes_editable(procurement):
        raise ProcessError(
            _(
                "De thema's voor de uitvraag kiest u tussen de fase ‘Wat is er nodig’ "
                "en het openen van het aanbod."
            )
        )
    for theme in themes(procurement, active_only=False):
        reason = (choices.get(theme.id) or "").strip()
        if theme.id in choices and not reason:
            raise ProcessError(_("Schrijf bij elk gekozen thema waarom het in de uitvraag komt."))
        theme.in_call = theme.id in choices
        theme.call_reason = reason or None
    db.session.flush()
    audit.record(
        "needs.call",
        actor=actor,
        procurement_id=procurement.id,
        details={"themes": sorted(choices)},
    )


def results(procurement):
    """Counts per theme and buurt, small groups hidden (see ``needs.results.tally``)."""
    rows = db.session.execute(
        sa.select(NeedsResponse.id, NeedsResponse.buurt, NeedsRank.theme_id)
        .outerjoin(NeedsRank, NeedsRank.response_id == NeedsResponse.id)
        .where(NeedsResponse.procurement_id == procurement.id)
        .order_by(NeedsResponse.id, NeedsRank.position)
    ).all()
    responses: dict[int, tuple[str | None, list[int]]] = {}
    for response_id, buurt, theme_id in rows:
        entry = responses.setdefault(response_id, (buurt, []))
        if theme_id is not None:
            entry[1].append(theme_id)
    listed = [(t.id, t.label) for t in themes(procurement, active_only=False)]
    return needs_results.tally(
        themes=listed,
        responses=list(responses.values()),
        buurten=[b.name for b in procurement.neighbourhood.buurten],
    )


def suggestions(procurement) -> list[str]:
    """What residents added themselves (for the moderator, who may put it on the list)."""
    return db.session.scalars(
        sa.select(NeedsResponse.suggestion)
        .where(NeedsResponse.procurement_id == procurement.id, NeedsResponse.suggestion.is_not(None))
        .order_by(NeedsResponse.id)
    ).all()


def response_count(procurement) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(NeedsResponse)
        .where(NeedsResponse.procurement_id == procurement.id)
    )
