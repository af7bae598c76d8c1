"""The needs round: the moderator's setup page and the public page where residents answer."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.needs import services
from committee.needs.forms import (
    CodesForm,
    NeedsSetupForm,
    RemoveThemeForm,
    ThemeForm,
    call_form_class,
    response_form_class,
)
from committee.needs.models import Theme
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.views import get_procurement
from committee.qr import qr_data_uri
from committee.ratelimit import limiter

bp = Blueprint("needs", __name__)


def _render_manage(
    procurement, *, setup_form=None, theme_form=None, codes_form=None, call_form=None, status=200
):
    setup = services.needs_round(procurement)
    if setup_form is None:
        setup_form = NeedsSetupForm(obj=setup) if setup else NeedsSetupForm()
    listed = services.themes(procurement)
    rows, per_buurt, respondents = services.results(procurement)
    return render_template(
        "needs/manage.html",
        procurement=procurement,
        setup=setup,
        themes=listed,
        start_themes=services.START_THEMES,
        setup_form=setup_form,
        theme_form=theme_form or ThemeForm(),
        remove_form=RemoveThemeForm(),
        codes_form=codes_form or CodesForm(),
        call_form=call_form or call_form_class(listed)(),
        editable=policy.needs_list_editable(procurement),
        call_editable=policy.call_themes_editable(procurement),
        responses=services.response_count(procurement),
        rows=rows,
        per_buurt=per_buurt,
        respondents=respondents,
        suggestions=services.suggestions(procurement),
        buurten=[b.name for b in procurement.neighbourhood.buurten],
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/wensen")
@rule("moderator")
def manage(procurement_id: int):
    return _render_manage(get_procurement(procurement_id))


def _refused(procurement, exc, **forms):
    db.session.rollback()
    form = next(iter(forms.values()))
    form.form_errors.append(str(exc))
    return _render_manage(procurement, **forms, status=422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wensen")
@rule("moderator")
def save_setup(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = NeedsSetupForm()
    if not form.validate_on_submit():
        return _render_manage(procurement, setup_form=form, status=422)
    try:
        services.save_setup(
            actor=current_user,
            procurement=procurement,
            input_weight=form.input_weight.data,
            postcodes=form.postcodes.data or "",
        )
    except ProcessError as exc:
        return _refused(procurement, exc, setup_form=form)
    db.session.commit()
    flash(_("Opgeslagen."))
    return redirect(url_for("needs.manage", procurement_id=procurement.id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wensen/thema")
@rule("moderator")
def add_theme(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = ThemeForm()
    if not form.validate_on_submit():
        return _render_manage(procurement, theme_form=form, status=422)
    try:
        services.add_theme(actor=current_user, procurement=procurement, label=form.label.data)
    except ProcessError as exc:
        return _refused(procurement, exc, theme_form=form)
    db.session.commit()
    flash(_("Het thema staat op de lijst."))
    return redirect(url_for("needs.manage", procurement_id=procurement.id) + "#themas")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wensen/thema/weg")
@rule("moderator")
def remove_theme(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = RemoveThemeForm()
    theme = (
        db.session.get(Theme, int(form.theme_id.data))
        if (form.validate_on_submit() and form.theme_id.data.isdigit())
        else None
    )
    if theme is None or theme.procurement_id != procurement.id:
        abort(400)
    try:
        services.remove_theme(actor=current_user, theme=theme, procurement=procurement)
        db.session.commit()
        flash(_("Het thema ‘%(label)s’ staat niet meer op de lijst.", label=theme.label))
    except ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("needs.manage", procurement_id=procurement.id) + "#themas")


def public_url(procurement, **params) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
        "needs.public", slug=procurement.neighbourhood.slug, procurement_id=procurement.id, **params
    )


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wensen/codes")
@rule("moderator")
def create_codes(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _render_manage(procurement, codes_form=form, status=422)
    try:
        codes = services.create_codes(actor=current_user, procurement=procurement, count=form.count.data)
    except ProcessError as exc:
        return _refused(procurement, exc, codes_form=form)
    db.session.commit()
    # Shown once, here, for printing: only the hashes are stored.
    slips = [(code, qr_data_uri(public_url(procurement, code=code))) for code in codes]
    return render_template(
        "needs/codes.html", procurement=procurement, slips=slips, url=public_url(procurement)
    )


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wensen/uitvraag")
@rule("moderator")
def mark_call(procurement_id: int):
    procurement = get_procurement(procurement_id)
    listed = services.themes(procurement)
    form = call_form_class(listed)()
    if not form.validate_on_submit():
        return _render_manage(procurement, call_form=form, status=422)
    choices = {t.id: form[f"reason_{t.id}"].data for t in listed if form[f"in_call_{t.id}"].data}
    try:
        services.mark_call_themes(actor=current_user, procurement=procurement, choices=choices)
    except ProcessError as exc:
        return _refused(procurement, exc, call_form=form)
    db.session.commit()
    flash(_("De keuze voor de uitvraag is opgeslagen."))
    return redirect(url_for("needs.manage", procurement_id=procurement.id) + "#uitvraag")


# --- public ------------------------------------------------------------------------------------


def _public_procurement(slug: str, procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if (
        procurement is None
        or procurement.neighbourhood.slug != slug
        or not policy.is_public(procurement)
        or services.needs_round(procurement) is None
    ):
        abort(404)
    return procurement


def _render_public(procurement, form=None, status=200):
    setup = services.needs_round(procurement)
    listed = services.themes(procurement)
    form_class = response_form_class(
        listed,
        [b.name for b in procurement.neighbourhood.buurten],
        postcode_allowed=bool(setup.postcodes),
    )
    is_open = policy.needs_open(procurement)
    if form is None and is_open:
        form = form_class(code=request.args.get("code", ""))
    public_results = policy.needs_results_public(procurement)
    rows, per_buurt, respondents = services.results(procurement) if public_results else ([], {}, None)
    return render_template(
        "needs/public.html",
        procurement=procurement,
        setup=setup,
        form=form,
        open=is_open,
        results_public=public_results,
        rows=rows,
        per_buurt=per_buurt,
        respondents=respondents,
        buurten=[b.name for b in procurement.neighbourhood.buurten],
        in_call=[t for t in services.themes(procurement, active_only=False) if t.in_call],
    ), status


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/wensen")
@rule("public")
def public(slug: str, procurement_id: int):
    return _render_public(_public_procurement(slug, procurement_id))


@bp.post("/wijk/<slug>/aanbesteding/<int:procurement_id>/wensen")
@rule("public")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_NEEDS"])
def respond(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    if not policy.needs_open(procurement):
        return _render_public(procurement, status=422)
    setup = services.needs_round(procurement)
    form = response_form_class(
        services.themes(procurement),
        [b.name for b in procurement.neighbourhood.buurten],
        postcode_allowed=bool(setup.postcodes),
    )()
    if not form.validate_on_submit():
        return _render_public(procurement, form, 422)
    try:
        services.submit_response(
            procurement=procurement,
            ranked_theme_ids=[form.first.data, form.second.data, form.third.data],
            suggestion=form.suggestion.data,
            buurt=form.buurt.data or None,
            code=form.code.data or None,
            postcode=form.postcode.data if "postcode" in form else None,
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_public(procurement, form, 422)
    db.session.commit()
    return redirect(url_for("needs.thanks", slug=slug, procurement_id=procurement.id))


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/wensen/bedankt")
@rule("public")
def thanks(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    return render_template(
        "needs/thanks.html", procurement=procurement, setup=services.needs_round(procurement)
    )
