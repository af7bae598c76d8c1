"""Recruitment: the moderator's settings and the applications (on paper, by the moderator), and
the public application form with its thank-you page."""

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee.access import rule
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.lottery import public as receipts
from committee.mail import send_mail
from committee.panel import recruitment
from committee.panel.forms import RecruitmentForm, application_form_class
from committee.panel.views._helpers import _public_procurement
from committee.panel.views.blueprint import bp
from committee.procurement import policy
from committee.procurement.views import get_procurement
from committee.ratelimit import limiter
from committee.timeutil import utcnow

# The session key that carries a receipt code to the thank-you page, shown there once.
RECEIPT_SHOWN = "receipt_code_once"


def _recruitment_form(procurement, data=None):
    setup = recruitment.recruitment_of(procurement)
    if data is None and setup is not None:
        form = RecruitmentForm(
            obj=setup,
            categories=recruitment.categories_text(procurement),
            required_buurten=setup.required_buurten,
        )
    else:
        form = RecruitmentForm()
    form.required_buurten.choices = [SelectChoice(b.name, b.name) for b in procurement.neighbourhood.buurten]
    return form


def _render_recruitment(procurement, form=None, status=200):
    return render_template(
        "panel/recruitment.html",
        procurement=procurement,
        setup=recruitment.recruitment_of(procurement),
        form=form or _recruitment_form(procurement),
        applications=recruitment.applications(procurement),
        categories=recruitment.categories(procurement),
        answers_of=recruitment.answers_of,
        editable=policy.composition_open(procurement),
        paper_allowed=policy.paper_applications_allowed(procurement),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/werving")
@rule("moderator")
def recruitment_page(procurement_id: int):
    return _render_recruitment(get_procurement(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/werving")
@rule("moderator")
def save_recruitment(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = _recruitment_form(procurement, data=True)
    if not form.validate_on_submit():
        return _render_recruitment(procurement, form, 422)
    try:
        recruitment.save_setup(
            actor=current_user,
            procurement=procurement,
            seats=form.seats.data,
            house_rules=form.house_rules.data,
            retention_until=form.retention_until.data,
            required_buurten=form.required_buurten.data or [],
            categories_text=form.categories.data or "",
            today=utcnow().date(),
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_recruitment(procurement, form, 422)
    db.session.commit()
    flash(_("De werving is opgeslagen."))
    return redirect(url_for("panel.recruitment_page", procurement_id=procurement.id))


def _application_data(form, categories) -> dict:
    return {
        "name": form.name.data,
        "email": form.email.data,
        "phone": form.phone.data,
        "postal_address": form.postal_address.data,
        "motivation": form.motivation.data,
        "availability": form.availability.data,
        "consent": bool(form.consent.data),
        "answers": {c.key: form[f"cat_{c.key}"].data or None for c in categories},
    }


def _render_paper(procurement, form, status=200):
    return render_template(
        "panel/paper.html",
        procurement=procurement,
        form=form,
        categories=recruitment.categories(procurement),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/aanmelding-op-papier")
@rule("moderator")
def paper(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = application_form_class(recruitment.categories(procurement), paper=True)()
    return _render_paper(procurement, form)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/aanmelding-op-papier")
@rule("moderator")
def paper_post(procurement_id: int):
    procurement = get_procurement(procurement_id)
    categories = recruitment.categories(procurement)
    form = application_form_class(categories, paper=True)()
    if not form.validate_on_submit():
        return _render_paper(procurement, form, 422)
    try:
        application = recruitment.submit_application(
            procurement=procurement, entered_by=current_user, **_application_data(form, categories)
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_paper(procurement, form, 422)
    db.session.commit()
    flash(_("De aanmelding van %(name)s is opgeslagen.", name=form.name.data))
    # The applicant never sees this screen: the moderator passes the receipt code on (in the
    # letter that confirms the application), so they too can check their entry in the draw.
    flash(
        _(
            "Geef %(name)s deze bewijscode voor de loting door, bijvoorbeeld in de brief: %(code)s",
            name=form.name.data,
            code=receipts.show_code(application.receipt_code),
        )
    )
    return redirect(url_for("panel.recruitment_page", procurement_id=procurement.id) + "#aanmeldingen")


def _render_apply(procurement, form=None, status=200):
    setup = recruitment.recruitment_of(procurement)
    categories = recruitment.categories(procurement)
    if form is None and policy.applications_open(procurement):
        form = application_form_class(categories, paper=False)()
    return render_template(
        "panel/apply.html",
        procurement=procurement,
        setup=setup,
        form=form,
        categories=categories,
        open=policy.applications_open(procurement),
    ), status


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/aanmelden")
@rule("public")
def apply(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    if recruitment.recruitment_of(procurement) is None:
        abort(404)
    return _render_apply(procurement)


@bp.post("/wijk/<slug>/aanbesteding/<int:procurement_id>/aanmelden")
@rule("public")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_APPLY"])
def apply_post(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    if recruitment.recruitment_of(procurement) is None:
        abort(404)
    if not policy.applications_open(procurement):
        return _render_apply(procurement, status=422)
    categories = recruitment.categories(procurement)
    form = application_form_class(categories, paper=False)()
    if not form.validate_on_submit():
        return _render_apply(procurement, form, 422)
    again, code = False, None
    try:
        application = recruitment.submit_application(
            procurement=procurement, **_application_data(form, categories)
        )
        code = application.receipt_code
    except recruitment.DuplicateApplication:
        # The same answer as a new application, so the form does not tell who applied.
        db.session.rollback()
        again = True
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_apply(procurement, form, 422)
    if form.email.data:
        _mail_applicant(procurement, form.email.data, again=again, code=code)
    elif code:
        # No address to mail the receipt code to: the thanks page shows it, once. (Without an
        # address there is no "applied again" either, so this tells nothing about anyone else.)
        session[RECEIPT_SHOWN] = code
    db.session.commit()
    return redirect(url_for("panel.applied", slug=slug, procurement_id=procurement.id))


def _mail_applicant(procurement, email: str, *, again: bool, code: str | None = None) -> None:
    """Tell the address what happened: thanks with the receipt code, or that someone applied
    again with it (then no code: the first application keeps its own)."""
    send_mail(
        to=email.strip().lower(),
        subject=(
            _("Nog een aanmelding met uw e-mailadres: %(title)s", title=procurement.title)
            if again
            else _("Bedankt voor uw aanmelding: %(title)s", title=procurement.title)
        ),
        body=render_template(
            "panel/applied.txt",
            procurement=procurement,
            again=again,
            code=receipts.show_code(code) if code else None,
        ),
    )


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/aanmelden/bedankt")
@rule("public")
def applied(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    # Like the form itself: no thanks for applying where there is nothing to apply for.
    if recruitment.recruitment_of(procurement) is None:
        abort(404)
    code = session.pop(RECEIPT_SHOWN, None)
    return render_template(
        "panel/applied.html",
        procurement=procurement,
        setup=recruitment.recruitment_of(procurement),
        code=receipts.show_code(code) if code else None,
    )
