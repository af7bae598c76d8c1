"""The moderator's pages for neighbourhoods."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.wijk import services
from committee.wijk.forms import NeighbourhoodForm
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
        actor=current_user, name=form.name.data, municipality=form.municipality.data,
        buurten=form.buurt_names(), cbs_code=form.cbs_code.data,
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
