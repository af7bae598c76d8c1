"""The moderator's pages for neighbourhoods."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.panel import recruitment
from committee.wijk import services
from committee.wijk.forms import NeighbourhoodForm, ProfileImportForm, profile_hand_form_class
from committee.wijk.models import Neighbourhood

bp = Blueprint("wijk", __name__)


@bp.get("/beheer/wijken/nieuw")
@rule("moderator")
def new():
    return render_template("wijk/new.html", form=NeighbourhoodForm())


@bp.post("/beheer/wijken/nieuw")
@rule("moderator")
def create():
    form = NeighbourhoodForm()
    if not form.validate_on_submit():
        return render_template("wijk/new.html", form=form), 422
    place = services.create_neighbourhood(
        actor=current_user,
        name=form.name.data,
        municipality=form.municipality.data,
        buurten=form.buurt_names(),
        cbs_code=form.cbs_code.data,
    )
    db.session.commit()
    flash(_("De wijk %(name)s is aangemaakt.", name=place.name))
    return redirect(url_for("wijk.detail", neighbourhood_id=place.id))


@bp.get("/beheer/wijken/<int:neighbourhood_id>")
@rule("moderator")
def detail(neighbourhood_id: int):
    place = db.session.get(Neighbourhood, neighbourhood_id)
    if place is None:
        abort(404)
    return render_template("wijk/detail.html", place=place)


# --- the neighbourhood profile -----------------------------------------------------------------


def _place(neighbourhood_id: int) -> Neighbourhood:
    place = db.session.get(Neighbourhood, neighbourhood_id)
    if place is None:
        abort(404)
    return place


def _hand_forms(place, failed: tuple[str, object] | None = None) -> list:
    """One form per category, prefilled with the current shares in percent."""
    rows = services.profile_rows(place)
    forms = []
    for key, label, values in recruitment.profile_categories(place):
        if failed and failed[0] == key:
            forms.append((key, label, values, failed[1]))
            continue
        current = {r.value.casefold(): r.amount for r in rows if r.category == key}
        total = sum(current.values())
        data = {"category": key}
        for i, (value, _label) in enumerate(values):
            amount = current.get(value.casefold())
            known = total and amount is not None
            data[f"pct_{i}"] = round(100 * amount / total, 1) if known else None
        form_class = profile_hand_form_class(values)
        forms.append((key, label, values, form_class(formdata=None, data=data, prefix=f"c-{key}")))
    return forms


def _render_profile(place, *, import_form=None, failed=None, status=200):
    rows = services.profile_rows(place)
    by_category: dict[str, list] = {}
    for row in rows:
        by_category.setdefault(row.category, []).append(row)
    return render_template(
        "wijk/profile.html",
        place=place,
        by_category=by_category,
        labels={key: label for key, label, _v in recruitment.profile_categories(place)},
        value_labels={key: dict(values) for key, _l, values in recruitment.profile_categories(place)},
        import_form=import_form or ProfileImportForm(),
        hand_forms=_hand_forms(place, failed),
    ), status


@bp.get("/beheer/wijken/<int:neighbourhood_id>/profiel")
@rule("moderator")
def profile(neighbourhood_id: int):
    return _render_profile(_place(neighbourhood_id))


@bp.post("/beheer/wijken/<int:neighbourhood_id>/profiel/cbs")
@rule("moderator")
def import_profile(neighbourhood_id: int):
    place = _place(neighbourhood_id)
    form = ProfileImportForm()
    if not form.validate_on_submit():
        return _render_profile(place, import_form=form, status=422)
    try:
        result = services.import_cbs_profile(
            actor=current_user, neighbourhood=place, data=form.file.data.read()
        )
    except services.ProfileError as exc:
        db.session.rollback()
        form.file.errors.append(str(exc))
        return _render_profile(place, import_form=form, status=422)
    db.session.commit()
    flash(_("Het wijkprofiel is ingelezen."))
    if result.missing_buurten:
        flash(
            _(
                "Geen cijfers gevonden voor: %(names)s. Vul die met de hand in.",
                names=", ".join(result.missing_buurten),
            ),
            "error",
        )
    return redirect(url_for("wijk.profile", neighbourhood_id=place.id))


@bp.post("/beheer/wijken/<int:neighbourhood_id>/profiel/hand/<category>")
@rule("moderator")
def profile_by_hand(neighbourhood_id: int, category: str):
    place = _place(neighbourhood_id)
    found = {key: values for key, _label, values in recruitment.profile_categories(place)}
    if category not in found:
        abort(404)
    values = found[category]
    form = profile_hand_form_class(values)(prefix=f"c-{category}")
    if not form.validate_on_submit():
        return _render_profile(place, failed=(category, form), status=422)
    try:
        services.save_profile_by_hand(
            actor=current_user,
            neighbourhood=place,
            category=category,
            percentages={value: float(form[f"pct_{i}"].data) for i, (value, _label) in enumerate(values)},
        )
    except services.ProfileError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_profile(place, failed=(category, form), status=422)
    db.session.commit()
    flash(_("De percentages zijn opgeslagen."))
    return redirect(url_for("wijk.profile", neighbourhood_id=place.id) + f"#hand-{category}")
