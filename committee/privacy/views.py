"""The moderator's pages for a person's data: find them, export (JSON), erase on request."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.privacy import services
from committee.privacy.forms import EraseForm, ExportForm, SearchForm

bp = Blueprint("privacy", __name__)


def _person(person: str) -> services.Person:
    subject = services.person(person)
    if subject is None:
        abort(404)
    return subject


@bp.get("/beheer/personen")
@rule("moderator")
def people():
    form = SearchForm(formdata=request.args)
    query = (form.q.data or "") if form.validate() else ""
    return render_template("privacy/people.html", form=form, people=services.find(query), query=query)


def _render_person(subject, form, status=200):
    return render_template(
        "privacy/person.html",
        subject=subject,
        form=form,
        export_form=ExportForm(),
        applications=services.applications_of(subject),
        follows=services.follows_of(subject),
        erasures=services.erasures_of(subject),
    ), status


@bp.get("/beheer/personen/<person>")
@rule("moderator")
def person(person: str):
    return _render_person(_person(person), EraseForm())


@bp.post("/beheer/personen/<person>/export")
@rule("moderator")
def export(person: str):
    """A POST (a button in a form with its CSRF token): the download writes an audit event, and
    a link, an image or a browser's prefetch must not write one."""
    subject = _person(person)
    if not ExportForm().validate_on_submit():
        abort(400)
    data = services.export(subject)
    services.record_export(actor=current_user, subject=subject)
    db.session.commit()
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="wijkiezen-{subject.key}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/beheer/personen/<person>/wissen")
@rule("moderator")
def erase(person: str):
    subject = _person(person)
    if subject.erased:  # a second click, or a second moderator: nothing left to erase
        flash(_("De gegevens van deze persoon zijn al gewist."))
        return redirect(url_for("privacy.person", person=subject.key))
    form = EraseForm()
    if not form.validate_on_submit():
        return _render_person(subject, form, 422)
    try:
        services.erase(
            actor=current_user, subject=subject, reason=form.reason.data, note=form.note.data or ""
        )
    except ProcessError as error:
        form.form_errors.append(str(error))
        return _render_person(subject, form, 422)
    db.session.commit()
    flash(_("De gegevens zijn gewist. Het logboek bewaart dat het gebeurde, zonder de gegevens zelf."))
    if subject.kind == services.ACCOUNT:
        return redirect(url_for("privacy.person", person=subject.key))
    return redirect(url_for("privacy.people"))
