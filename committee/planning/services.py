"""The procurement calendar's rules: planned items, the inventory of existing contracts, and the
people who follow a theme.

Every function flushes but does not commit; a moderator's change writes its audit event in the
same transaction. Following a theme is double opt-in: ``request_follow`` only mails a link, and
only an address whose owner used it (``confirm_follow``) gets mail about the theme. Every such mail
carries a link that stops it (``unfollow``). Whether an address already follows is never shown:
``request_follow`` answers the same and mails the owner in every case.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import send_mail
from committee.planning.models import (
    THEMES,
    InventoryEntry,
    PlanKind,
    PlannedItem,
    PlanStatus,
    ProviderKind,
    ThemeFollower,
)
from committee.procurement import phase_checks
from committee.procurement.phase_checks import Step
from committee.timeutil import utcnow

CONFIRM_DAYS = 7  # a confirmation link works this long; an unconfirmed address is then forgotten
SHOWN = (PlanStatus.PLANNED, PlanStatus.OPEN)  # on the public calendar and in the feed


class PlanError(ProcessError):
    """The calendar cannot do what was asked; the message is for the user, in plain Dutch."""


# --- reading -------------------------------------------------------------------------------------


def calendar(*, neighbourhood=None, theme: str | None = None) -> list[PlannedItem]:
    """What is planned or open, soonest first. With a neighbourhood: its items and those for the
    whole municipality (no neighbourhood), because those concern it too."""
    query = sa.select(PlannedItem).where(PlannedItem.status.in_(SHOWN))
    if neighbourhood is not None:
        query = query.where(
            sa.or_(PlannedItem.neighbourhood_id == neighbourhood.id, PlannedItem.neighbourhood_id.is_(None))
        )
    if theme:
        query = query.where(PlannedItem.theme == theme)
    return db.session.scalars(query.order_by(PlannedItem.expected_start, PlannedItem.id)).all()


def all_items() -> list[PlannedItem]:
    return db.session.scalars(
        sa.select(PlannedItem).order_by(PlannedItem.expected_start, PlannedItem.id)
    ).all()


def inventory(*, neighbourhood=None) -> list[InventoryEntry]:
    """The existing contracts ("wat er al is"), by theme and provider; with a neighbourhood: its
    own and the municipality-wide ones."""
    query = sa.select(InventoryEntry)
    if neighbourhood is not None:
        query = query.where(
            sa.or_(
                InventoryEntry.neighbourhood_id == neighbourhood.id, InventoryEntry.neighbourhood_id.is_(None)
            )
        )
    return db.session.scalars(query.order_by(InventoryEntry.theme, InventoryEntry.provider)).all()


def version() -> tuple:
    """What the public calendar pages depend on, in two small queries: it changes with every
    added, changed or removed item or entry (the page cache's version, committee/pagecache.py)."""

    def state(model):
        return tuple(db.session.execute(sa.select(sa.func.count(), sa.func.max(model.updated_at))).one())

    return (*state(PlannedItem), *state(InventoryEntry))


# --- the moderator's changes ---------------------------------------------------------------------


def _check_item(*, theme: str, budget_min: int | None, budget_max: int | None) -> None:
    if theme not in THEMES:
        raise PlanError(_("Kies een thema uit de lijst."))
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        raise PlanError(_("Het laagste bedrag is hoger dan het hoogste. Draai ze om of pas er een aan."))


def create_item(
    *,
    actor,
    title: str,
    theme: str,
    kind: PlanKind,
    expected_start: date,
    neighbourhood=None,
    description: str = "",
    status: PlanStatus = PlanStatus.PLANNED,
    budget_min: int | None = None,
    budget_max: int | None = None,
    procurement=None,
) -> PlannedItem:
    """Put a procurement or challenge on the calendar; followers of its theme get a mail."""
    _check_item(theme=theme, budget_min=budget_min, budget_max=budget_max)
    item = PlannedItem(
        title=title.strip(),
        description=(description or "").strip(),
        theme=theme,
        kind=kind,
        status=status,
        expected_start=expected_start,
        neighbourhood_id=neighbourhood.id if neighbourhood is not None else None,
        budget_min=budget_min,
        budget_max=budget_max,
        procurement_id=procurement.id if procurement is not None else None,
    )
    db.session.add(item)
    db.session.flush()
    audit.record("planning.item_create", actor=actor, obj=item, procurement_id=item.procurement_id)
    if item.status in SHOWN:
        tell_followers(item, opened=item.status == PlanStatus.OPEN)
    return item


def update_item(
    *,
    actor,
    item: PlannedItem,
    title: str,
    theme: str,
    kind: PlanKind,
    expected_start: date,
    neighbourhood=None,
    description: str = "",
    status: PlanStatus = PlanStatus.PLANNED,
    budget_min: int | None = None,
    budget_max: int | None = None,
    procurement=None,
) -> PlannedItem:
    """Change an item. When it opens (its status becomes "open"), its theme's followers hear."""
    _check_item(theme=theme, budget_min=budget_min, budget_max=budget_max)
    opens = status == PlanStatus.OPEN and item.status != PlanStatus.OPEN
    item.title, item.description = title.strip(), (description or "").strip()
    item.theme, item.kind, item.status, item.expected_start = theme, kind, status, expected_start
    item.neighbourhood_id = neighbourhood.id if neighbourhood is not None else None
    item.budget_min, item.budget_max = budget_min, budget_max
    item.procurement_id = procurement.id if procurement is not None else None
    item.updated_at = utcnow()
    db.session.flush()
    audit.record("planning.item_update", actor=actor, obj=item, procurement_id=item.procurement_id)
    if opens:
        tell_followers(item, opened=True)
    return item


def delete_item(*, actor, item: PlannedItem) -> None:
    audit.record("planning.item_delete", actor=actor, obj=item, procurement_id=item.procurement_id)
    db.session.delete(item)
    db.session.flush()


def _check_entry(*, theme: str, starts_on: date, ends_on: date | None) -> None:
    if theme not in THEMES:
        raise PlanError(_("Kies een thema uit de lijst."))
    if ends_on is not None and ends_on < starts_on:
        raise PlanError(_("De einddatum ligt voor de begindatum. Pas een van de twee aan."))


def create_entry(
    *,
    actor,
    provider: str,
    kind: ProviderKind,
    theme: str,
    starts_on: date,
    ends_on: date | None = None,
    neighbourhood=None,
    amount: int | None = None,
    description: str = "",
) -> InventoryEntry:
    """Record a contract the municipality already has (seed 003, tip 1: start from what exists)."""
    _check_entry(theme=theme, starts_on=starts_on, ends_on=ends_on)
    entry = InventoryEntry(
        provider=provider.strip(),
        kind=kind,
        theme=theme,
        starts_on=starts_on,
        ends_on=ends_on,
        neighbourhood_id=neighbourhood.id if neighbourhood is not None else None,
        amount=amount,
        description=(description or "").strip(),
    )
    db.session.add(entry)
    db.session.flush()
    audit.record("planning.inventory_create", actor=actor, obj=entry)
    return entry


def update_entry(
    *,
    actor,
    entry: InventoryEntry,
    provider: str,
    kind: ProviderKind,
    theme: str,
    starts_on: date,
    ends_on: date | None = None,
    neighbourhood=None,
    amount: int | None = None,
    description: str = "",
) -> InventoryEntry:
    _check_entry(theme=theme, starts_on=starts_on, ends_on=ends_on)
    entry.provider, entry.kind, entry.theme = provider.strip(), kind, theme
    entry.starts_on, entry.ends_on, entry.amount = starts_on, ends_on, amount
    entry.neighbourhood_id = neighbourhood.id if neighbourhood is not None else None
    entry.description = (description or "").strip()
    entry.updated_at = utcnow()
    db.session.flush()
    audit.record("planning.inventory_update", actor=actor, obj=entry)
    return entry


def delete_entry(*, actor, entry: InventoryEntry) -> None:
    audit.record("planning.inventory_delete", actor=actor, obj=entry)
    db.session.delete(entry)
    db.session.flush()


@phase_checks.after(Step.OPEN_OFFERS)
def open_linked_items(*, actor, procurement) -> None:
    """When a procurement opens for offers, the calendar items linked to it open too, and the
    followers of their theme hear of it (once: an item that was open already stays quiet)."""
    items = db.session.scalars(
        sa.select(PlannedItem).where(
            PlannedItem.procurement_id == procurement.id, PlannedItem.status == PlanStatus.PLANNED
        )
    ).all()
    for item in items:
        item.status, item.updated_at = PlanStatus.OPEN, utcnow()
        db.session.flush()
        audit.record("planning.item_open", actor=actor, obj=item, procurement_id=procurement.id)
        tell_followers(item, opened=True)


# --- following a theme ---------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _confirm_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="planning.follow.confirm")


def _stop_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="planning.follow.stop")


def _stamp(follower: ThemeFollower) -> str:
    # A link is for this row only: unfollowing and following again makes new links.
    return follower.link_key


def confirm_token(follower: ThemeFollower) -> str:
    return _confirm_signer().dumps([follower.id, _stamp(follower)])


def stop_token(follower: ThemeFollower) -> str:
    return _stop_signer().dumps([follower.id, _stamp(follower)])


def _follower(data) -> ThemeFollower | None:
    if not (
        isinstance(data, list) and len(data) == 2 and isinstance(data[0], int) and isinstance(data[1], str)
    ):
        return None
    follower = db.session.get(ThemeFollower, data[0])
    return follower if follower is not None and _stamp(follower) == data[1] else None


def follower_to_confirm(token: str) -> ThemeFollower | None:
    """The follower a confirmation link is for, or None for a link that is wrong or too old."""
    try:
        data = _confirm_signer().loads(token, max_age=CONFIRM_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        return None
    return _follower(data)


def follower_to_stop(token: str) -> ThemeFollower | None:
    try:
        data = _stop_signer().loads(token)
    except BadSignature:
        return None
    return _follower(data)


def _link(endpoint: str, **values) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)


def _forget_unconfirmed(now: datetime) -> None:
    """Addresses whose owner never used the link are not kept past the link's life."""
    db.session.execute(
        sa.delete(ThemeFollower).where(
            ThemeFollower.confirmed_at.is_(None),
            ThemeFollower.created_at < now - timedelta(days=CONFIRM_DAYS),
        )
    )


def request_follow(*, email: str, theme: str, now: datetime | None = None) -> None:
    """Someone asks to follow a theme. The answer on the page is the same whoever asks; the mail
    tells the owner of the address what applies: a link to confirm, or that they follow it already
    (with the link to stop). Nothing is sent about the theme until the link is used."""
    if theme not in THEMES:
        raise PlanError(_("Kies een thema uit de lijst."))
    now = now or utcnow()
    _forget_unconfirmed(now)
    email = normalise_email(email)
    follower = db.session.scalar(
        sa.select(ThemeFollower).where(ThemeFollower.email == email, ThemeFollower.theme == theme)
    )
    if follower is None:
        follower = ThemeFollower(email=email, theme=theme, created_at=now.replace(microsecond=0))
        db.session.add(follower)
        db.session.flush()
    if follower.confirmed_at is None:
        send_mail(
            to=email,
            subject=_("Bevestig dat u het thema %(theme)s wilt volgen", theme=follower.theme_label),
            body=render_template(
                "planning/mail_confirm.txt",
                theme=follower.theme_label,
                link=_link("planning.confirm_follow", token=confirm_token(follower)),
                days=CONFIRM_DAYS,
            ),
        )
    else:
        send_mail(
            to=email,
            subject=_("U volgt het thema %(theme)s al", theme=follower.theme_label),
            body=render_template(
                "planning/mail_already.txt",
                theme=follower.theme_label,
                stop=_link("planning.unfollow", token=stop_token(follower)),
            ),
        )


def confirm_follow(follower: ThemeFollower, *, now: datetime | None = None) -> None:
    """The owner used the link: from now on they get mail about the theme (again is harmless)."""
    if follower.confirmed_at is None:
        follower.confirmed_at = now or utcnow()
        db.session.flush()


def unfollow(follower: ThemeFollower) -> None:
    """Stop all mail about this theme to this address, and forget the address for it."""
    db.session.delete(follower)
    db.session.flush()


def followers(theme: str) -> list[ThemeFollower]:
    return db.session.scalars(
        sa.select(ThemeFollower)
        .where(ThemeFollower.theme == theme, ThemeFollower.confirmed_at.is_not(None))
        .order_by(ThemeFollower.id)
    ).all()


def tell_followers(item: PlannedItem, *, opened: bool) -> int:
    """One mail to every confirmed follower of the item's theme, each with its own stop link.
    Returns how many were sent."""
    sent = 0
    page = _link("planning.calendar") + f"#item-{item.id}"
    for follower in followers(item.theme):
        if opened:
            subject = _("Nu open: %(title)s", title=item.title)
        else:
            subject = _("Nieuw op de aanbestedingskalender: %(title)s", title=item.title)
        send_mail(
            to=follower.email,
            subject=subject,
            body=render_template(
                "planning/mail_item.txt",
                item=item,
                opened=opened,
                page=page,
                stop=_link("planning.unfollow", token=stop_token(follower)),
            ),
        )
        sent += 1
    return sent


# --- what the pages need from other domains --------------------------------------------------


def neighbourhood_by_slug(slug: str):
    from committee.wijk.models import Neighbourhood

    return db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.slug == slug))


def linkable_procurements():
    """The procurements a planned item can be linked to, newest first."""
    from committee.procurement.models import Procurement

    return db.session.scalars(sa.select(Procurement).order_by(Procurement.id.desc())).all()


def public_procurement(item: PlannedItem):
    """The linked procurement, if its public page is open (procurement/policy.py), else None."""
    from committee.procurement import policy

    procurement = item.procurement
    return procurement if procurement is not None and policy.is_public(procurement) else None
