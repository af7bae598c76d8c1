"""The procurement calendar's pages: public (calendar, per neighbourhood, iCalendar feed, following
a theme) and the moderator's (planned items and the inventory of existing contracts)."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee import pagecache
from committee.access import rule
from committee.extensions import db
from committee.planning import ics, services
from committee.planning.forms import (
    WHOLE_MUNICIPALITY,
    FollowConfirmForm,
    FollowForm,
    InventoryEntryForm,
    PlanDeleteForm,
    PlannedItemForm,
    UnfollowForm,
)
from committee.planning.models import THEMES, InventoryEntry, PlanKind, PlannedItem, PlanStatus, ProviderKind
from committee.ratelimit import limiter, per_recipient_allows
from committee.timeutil import utcnow
from committee.wijk.services import neighbourhoods

bp = Blueprint("planning", __name__)


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


# --- public ----------------------------------------------------------------------------------------


def _filters():
    """The calendar's filters from the query string; an unknown value is ignored, not an error."""
    theme = request.args.get("thema", "")
    theme = theme if theme in THEMES else ""
    place = services.neighbourhood_by_slug(request.args.get("wijk", "")) if request.args.get("wijk") else None
    return place, theme


@bp.get("/kalender")
@rule("public")
def calendar():
    place, theme = _filters()

    def render():
        return render_template(
            "planning/calendar.html",
            items=services.calendar(neighbourhood=place, theme=theme or None),
            places=neighbourhoods(),
            place=place,
            theme=theme,
            themes=THEMES,
            public_procurement=services.public_procurement,
        )

    return pagecache.serve(("calendar",), services.version(), None, render)


@bp.get("/kalender/wijk/<slug>")
@rule("public")
def neighbourhood(slug: str):
    place = services.neighbourhood_by_slug(slug)
    if place is None:
        abort(404)

    def render():
        return render_template(
            "planning/neighbourhood.html",
            place=place,
            items=services.calendar(neighbourhood=place),
            entries=services.inventory(neighbourhood=place),
            public_procurement=services.public_procurement,
        )

    return pagecache.serve(("calendar", place.id), services.version(), None, render)


def _ics_response(name: str, items) -> Response:
    page = _base() + url_for("planning.calendar")
    rows = []
    for item in items:
        lines = [item.description] if item.description else []
        lines.append(f"{_('Soort')}: {item.kind.label} – {_('Thema')}: {item.theme_label}")
        lines.append(
            f"{_('Wijk')}: {item.neighbourhood.name if item.neighbourhood else _('De hele gemeente')}"
        )
        if item.budget_min is not None or item.budget_max is not None:
            low = item.budget_min if item.budget_min is not None else 0
            high = f" – € {item.budget_max:,}".replace(",", ".") if item.budget_max is not None else "+"
            lines.append(f"{_('Budget')}: € {low:,}".replace(",", ".") + high)
        lines.append(f"{_('Stand')}: {item.status.label}")
        rows.append(
            {
                "id": item.id,
                "title": f"{item.kind.label}: {item.title}",
                "description": "\n".join(lines),
                "url": f"{page}#item-{item.id}",
                "start": item.expected_start,
                "updated": item.updated_at,
            }
        )
    body = ics.calendar_document(
        name=name, items=rows, domain=urlsplit(_base()).hostname or "wijkiezen", now=utcnow()
    )
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="kalender.ics"'
    # DTSTAMP changes with every document; the tag is over the items only, so an unchanged
    # calendar answers 304 to a calendar app that asks again.
    response.set_etag(
        hashlib.sha256(repr((name, sorted((r["id"], r["updated"]) for r in rows))).encode()).hexdigest()[:20]
    )
    response.headers["Cache-Control"] = "public, max-age=900"
    return response.make_conditional(request)


@bp.get("/kalender.ics")
@rule("public")
def feed():
    place, theme = _filters()
    return _ics_response(
        _("WijKiezen: aanbestedingskalender"), services.calendar(neighbourhood=place, theme=theme or None)
    )


@bp.get("/kalender/wijk/<slug>.ics")
@rule("public")
def neighbourhood_feed(slug: str):
    place = services.neighbourhood_by_slug(slug)
    if place is None:
        abort(404)
    return _ics_response(
        _("%(place)s: aanbestedingskalender", place=place.name), services.calendar(neighbourhood=place)
    )


# --- following a theme -----------------------------------------------------------------------------


@bp.get("/kalender/volgen")
@rule("public")
def follow():
    form = FollowForm().fill_choices()
    if request.args.get("thema") in THEMES and not form.theme.data:
        form.theme.data = request.args["thema"]
    return render_template("planning/follow.html", form=form)


@bp.post("/kalender/volgen")
@rule("public")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_FOLLOW"])
def follow_post():
    """The same answer whether or not the address follows the theme already (the mail differs)."""
    form = FollowForm().fill_choices()
    if form.validate_on_submit():
        # However many senders ask, one address gets only a few of these mails a day.
        if not per_recipient_allows(
            "follow-recipient",
            services.normalise_email(form.email.data),
            current_app.config["RATE_LIMIT_FOLLOW_RECIPIENT"],
        ):
            form.form_errors.append(
                _(
                    "Naar dit e-mailadres zijn vandaag al genoeg berichten gestuurd over het volgen "
                    "van een thema. Kijk in uw mailbox, of probeer het morgen opnieuw."
                )
            )
        else:
            try:
                services.request_follow(email=form.email.data, theme=form.theme.data)
                db.session.commit()
                return redirect(url_for("planning.follow_sent"))
            except services.PlanError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
    return render_template("planning/follow.html", form=form), 422


@bp.get("/kalender/volgen/verstuurd")
@rule("public")
def follow_sent():
    return render_template("planning/follow_sent.html")


@bp.get("/kalender/volgen/bevestigen/<token>")
@rule("public")
def confirm_follow(token: str):
    """The link from the mail only asks (mail scanners open links); the button confirms."""
    follower = services.follower_to_confirm(token)
    if follower is None:
        return render_template("planning/link_invalid.html"), 404
    return render_template("planning/confirm.html", follower=follower, form=FollowConfirmForm())


@bp.post("/kalender/volgen/bevestigen/<token>")
@rule("public")
def confirm_follow_post(token: str):
    follower = services.follower_to_confirm(token)
    if follower is None:
        return render_template("planning/link_invalid.html"), 404
    if not FollowConfirmForm().validate_on_submit():
        abort(400)
    services.confirm_follow(follower)
    db.session.commit()
    flash(
        _(
            "U volgt nu het thema %(theme)s. U krijgt een mail als er iets gepland wordt of opengaat.",
            theme=follower.theme_label,
        )
    )
    return redirect(url_for("planning.calendar"))


@bp.get("/kalender/afmelden/<token>")
@rule("public")
def unfollow(token: str):
    follower = services.follower_to_stop(token)
    if follower is None:
        return render_template("planning/link_invalid.html", stopped=True), 404
    return render_template("planning/unfollow.html", follower=follower, form=UnfollowForm())


@bp.post("/kalender/afmelden/<token>")
@rule("public")
def unfollow_post(token: str):
    follower = services.follower_to_stop(token)
    if follower is None:
        return render_template("planning/link_invalid.html", stopped=True), 404
    if not UnfollowForm().validate_on_submit():
        abort(400)
    theme = follower.theme_label
    services.unfollow(follower)
    db.session.commit()
    flash(_("U krijgt geen mail meer over het thema %(theme)s.", theme=theme))
    return redirect(url_for("planning.calendar"))


# --- the moderator ---------------------------------------------------------------------------------


@bp.get("/beheer/kalender")
@rule("moderator")
def manage():
    return render_template(
        "planning/manage.html",
        items=services.all_items(),
        entries=services.inventory(),
        form=PlanDeleteForm(),
    )


def _neighbourhood(value: str):
    if not value or value == WHOLE_MUNICIPALITY:
        return None
    return next((n for n in neighbourhoods() if str(n.id) == value), None)


def _item_form(item: PlannedItem | None = None) -> PlannedItemForm:
    form = (
        PlannedItemForm(obj=None)
        if item is None or request.method == "POST"
        else PlannedItemForm(
            data={
                "title": item.title,
                "description": item.description,
                "kind": item.kind.value,
                "theme": item.theme,
                "neighbourhood": str(item.neighbourhood_id or ""),
                "expected_start": item.expected_start,
                "budget_min": item.budget_min,
                "budget_max": item.budget_max,
                "status": item.status.value,
                "procurement": str(item.procurement_id or ""),
            }
        )
    )
    return form.fill_choices(neighbourhoods=neighbourhoods(), procurements=services.linkable_procurements())


def _item_values(form: PlannedItemForm) -> dict:
    procurements = {str(p.id): p for p in services.linkable_procurements()}
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "kind": PlanKind(form.kind.data),
        "theme": form.theme.data,
        "neighbourhood": _neighbourhood(form.neighbourhood.data),
        "expected_start": form.expected_start.data,
        "budget_min": form.budget_min.data,
        "budget_max": form.budget_max.data,
        "status": PlanStatus(form.status.data),
        "procurement": procurements.get(form.procurement.data or ""),
    }


def _item_page(form, item=None, status=200):
    return render_template(
        "planning/item_form.html", form=form, item=item, delete_form=PlanDeleteForm()
    ), status


@bp.get("/beheer/kalender/nieuw")
@rule("moderator")
def new_item():
    return _item_page(_item_form())


@bp.post("/beheer/kalender/nieuw")
@rule("moderator")
def create_item():
    form = _item_form()
    if form.validate_on_submit():
        try:
            item = services.create_item(actor=current_user, **_item_values(form))
            db.session.commit()
            flash(_("Het staat op de kalender."))
            return redirect(url_for("planning.manage") + f"#item-{item.id}")
        except services.PlanError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _item_page(form, status=422)


def _item(item_id: int) -> PlannedItem:
    item = db.session.get(PlannedItem, item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/beheer/kalender/<int:item_id>")
@rule("moderator")
def edit_item(item_id: int):
    item = _item(item_id)
    return _item_page(_item_form(item), item)


@bp.post("/beheer/kalender/<int:item_id>")
@rule("moderator")
def save_item(item_id: int):
    item = _item(item_id)
    form = _item_form(item)
    if form.validate_on_submit():
        try:
            services.update_item(actor=current_user, item=item, **_item_values(form))
            db.session.commit()
            flash(_("De wijziging is opgeslagen."))
            return redirect(url_for("planning.manage") + f"#item-{item.id}")
        except services.PlanError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _item_page(form, item, 422)


@bp.post("/beheer/kalender/<int:item_id>/verwijderen")
@rule("moderator")
def delete_item(item_id: int):
    item = _item(item_id)
    if not PlanDeleteForm().validate_on_submit():
        abort(400)
    services.delete_item(actor=current_user, item=item)
    db.session.commit()
    flash(_("Het is van de kalender gehaald."))
    return redirect(url_for("planning.manage"))


def _entry_form(entry: InventoryEntry | None = None) -> InventoryEntryForm:
    if entry is None or request.method == "POST":
        form = InventoryEntryForm()
    else:
        form = InventoryEntryForm(
            data={
                "provider": entry.provider,
                "kind": entry.kind.value,
                "theme": entry.theme,
                "neighbourhood": str(entry.neighbourhood_id or ""),
                "starts_on": entry.starts_on,
                "ends_on": entry.ends_on,
                "amount": entry.amount,
                "description": entry.description,
            }
        )
    return form.fill_choices(neighbourhoods=neighbourhoods())


def _entry_values(form: InventoryEntryForm) -> dict:
    return {
        "provider": form.provider.data,
        "kind": ProviderKind(form.kind.data),
        "theme": form.theme.data,
        "neighbourhood": _neighbourhood(form.neighbourhood.data),
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "amount": form.amount.data,
        "description": form.description.data or "",
    }


def _entry_page(form, entry=None, status=200):
    return render_template(
        "planning/entry_form.html", form=form, entry=entry, delete_form=PlanDeleteForm()
    ), status


@bp.get("/beheer/inventaris/nieuw")
@rule("moderator")
def new_entry():
    return _entry_page(_entry_form())


@bp.post("/beheer/inventaris/nieuw")
@rule("moderator")
def create_entry():
    form = _entry_form()
    if form.validate_on_submit():
        try:
            entry = services.create_entry(actor=current_user, **_entry_values(form))
            db.session.commit()
            flash(_("De overeenkomst staat in de lijst van wat er al is."))
            return redirect(url_for("planning.manage") + f"#entry-{entry.id}")
        except services.PlanError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _entry_page(form, status=422)


def _entry(entry_id: int) -> InventoryEntry:
    entry = db.session.get(InventoryEntry, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.get("/beheer/inventaris/<int:entry_id>")
@rule("moderator")
def edit_entry(entry_id: int):
    entry = _entry(entry_id)
    return _entry_page(_entry_form(entry), entry)


@bp.post("/beheer/inventaris/<int:entry_id>")
@rule("moderator")
def save_entry(entry_id: int):
    entry = _entry(entry_id)
    form = _entry_form(entry)
    if form.validate_on_submit():
        try:
            services.update_entry(actor=current_user, entry=entry, **_entry_values(form))
            db.session.commit()
            flash(_("De wijziging is opgeslagen."))
            return redirect(url_for("planning.manage") + f"#entry-{entry.id}")
        except services.PlanError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _entry_page(form, entry, 422)


@bp.post("/beheer/inventaris/<int:entry_id>/verwijderen")
@rule("moderator")
def delete_entry(entry_id: int):
    entry = _entry(entry_id)
    if not PlanDeleteForm().validate_on_submit():
        abort(400)
    services.delete_entry(actor=current_user, entry=entry)
    db.session.commit()
    flash(_("De overeenkomst is uit de lijst gehaald."))
    return redirect(url_for("planning.manage"))
