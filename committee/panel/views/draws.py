"""The draws: preparing, starting and setting aside a draw, its progress page, the public draw
page with its JSON (receipts, no one's categories), the receipt check, and the auditor's file."""

import json

from flask import abort, current_app, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from committee.access import rule
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.htmx import is_htmx
from committee.lottery import public as public_file
from committee.panel import draws, recruitment
from committee.panel import jobs as draw_jobs
from committee.panel.forms import DrawActionForm, PrepareDrawForm, ReceiptForm
from committee.panel.models import Draw, DrawStatus
from committee.panel.views._helpers import STATUS_LABELS, _public_procurement
from committee.panel.views.blueprint import bp
from committee.panel.views.composition import _render_composition
from committee.procurement import policy
from committee.procurement.views import get_procurement
from committee.ratelimit import limiter
from committee.timeutil import utcnow

STEP_LABELS = {
    "check": _l("Pool en quota controleren"),
    "optimise": _l("Stap 1 van 3: mogelijke commissies zoeken"),
    "fix": _l("Stap 2 van 3: kansen vastzetten, van klein naar groot"),
    "compare": _l("Stap 3 van 3: vergelijken met de andere methode"),
    "reserves": _l("De reservelijst maken"),
    "done": _l("Klaar"),
    "failed": _l("Gestopt"),
}


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/loting")
@rule("moderator")
def prepare_draw(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = PrepareDrawForm()
    if not form.validate_on_submit():
        return _render_composition(procurement, 422, prepare_form=form)
    try:
        draw = draws.prepare_draw(
            actor=current_user,
            procurement=procurement,
            seed=form.seed.data,
            algorithm=form.algorithm.data,
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_composition(procurement, 422, prepare_form=form)
    db.session.commit()
    flash(
        _(
            "De loting staat klaar. De pool en de quota zijn nu openbaar. "
            "Het startgetal wordt openbaar als u loot."
        )
    )
    return redirect(url_for("panel.draw_page", draw_id=draw.id))


def _draw(draw_id: int) -> Draw:
    draw = db.session.get(Draw, draw_id)
    if draw is None:
        abort(404)
    return draw


@bp.post("/beheer/loting/<int:draw_id>/start")
@rule("moderator")
def start_draw(draw_id: int):
    draw = _draw(draw_id)
    if not DrawActionForm().validate_on_submit():
        abort(400)
    try:
        draws.start_draw(actor=current_user, draw=draw)
    except ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("panel.draw_page", draw_id=draw.id))
    db.session.commit()
    draw_jobs.launch(draw)
    return redirect(url_for("panel.draw_page", draw_id=draw.id))


@bp.post("/beheer/loting/<int:draw_id>/opnieuw")
@rule("moderator")
def restart_draw(draw_id: int):
    """Start a draw again whose job was cut off (its consumer died)."""
    draw = _draw(draw_id)
    if not DrawActionForm().validate_on_submit():
        abort(400)
    try:
        draw_jobs.restart_draw(actor=current_user, draw=draw)
    except ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("panel.draw_page", draw_id=draw.id))
    db.session.commit()
    draw_jobs.launch(draw)
    flash(_("De loting is opnieuw gestart, met hetzelfde startgetal."))
    return redirect(url_for("panel.draw_page", draw_id=draw.id))


@bp.post("/beheer/loting/<int:draw_id>/terzijde")
@rule("moderator")
def discard_draw(draw_id: int):
    draw = _draw(draw_id)
    if not DrawActionForm().validate_on_submit():
        abort(400)
    try:
        draws.discard_draw(actor=current_user, draw=draw)
        db.session.commit()
        flash(_("De loting is terzijde gelegd. Ze blijft openbaar, als niet uitgevoerd."))
    except ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("panel.composition", procurement_id=draw.procurement_id))


def _draw_context(draw: Draw) -> dict:
    procurement = draws.draw_procurement(draw)
    categories = recruitment.categories(procurement)
    elapsed = None
    if draw.started_at:
        elapsed = int(((draw.finished_at or utcnow()) - draw.started_at).total_seconds())
    return {
        "draw": draw,
        "procurement": procurement,
        "elapsed": elapsed,
        "step_labels": STEP_LABELS,
        "status_labels": STATUS_LABELS,
        "DrawStatus": DrawStatus,
        "problems": [draws.explain(p, categories) for p in (draw.problems or [])],
        "action_form": DrawActionForm(),
        "categories": {c.key: c for c in categories},
        "stale": draws.is_stale(draw),
        "can_restart": draw_jobs.can_restart(draw),
        "WORKER_DIED": draw_jobs.WORKER_DIED,
    }


@bp.get("/beheer/loting/<int:draw_id>")
@rule("moderator")
def draw_page(draw_id: int):
    """The draw's progress; htmx polls the status fragment, without JavaScript: reload."""
    context = _draw_context(_draw(draw_id))
    if is_htmx():
        return render_template("panel/_draw_status.html", **context)
    return render_template("panel/draw.html", **context)


def _public_draw(slug: str, procurement_id: int, draw_id: int) -> Draw:
    procurement = _public_procurement(slug, procurement_id)
    draw = db.session.get(Draw, draw_id)
    if draw is None or draw.procurement_id != procurement.id or not policy.draws_public(procurement):
        abort(404)
    return draw


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/loting/<int:draw_id>")
@rule("public")
def public_draw(slug: str, procurement_id: int, draw_id: int):
    draw = _public_draw(slug, procurement_id, draw_id)
    return render_template(
        "panel/public_draw.html", published=draws.public_draw_file(draw)["inputs"], **_draw_context(draw)
    )


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/loting/<int:draw_id>.json")
@rule("public")
def public_draw_json(slug: str, procurement_id: int, draw_id: int):
    """The public draw file (``wijkiezen-draw-public/4``): receipts instead of anyone's
    categories; ``python -m committee.lottery.verify`` checks the sampling from it."""
    return jsonify(draws.public_draw_file(_public_draw(slug, procurement_id, draw_id)))


@bp.post("/beheer/loting/<int:draw_id>/controlebestand")
@rule("moderator")
def audit_file(draw_id: int):
    """The whole input with every receipt code, for the named auditor; the download is logged."""
    draw = _draw(draw_id)
    if not DrawActionForm().validate_on_submit():
        abort(400)
    data = draws.audit_draw_file(actor=current_user, draw=draw)
    db.session.commit()
    response = make_response(json.dumps(data, indent=1, ensure_ascii=False))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="loting-{draw.id}-controle.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_receipt(draw: Draw, form: ReceiptForm, check=None, status: int = 200):
    context = _draw_context(draw)
    return (
        render_template(
            "panel/receipt.html", form=form, check=check, show_code=public_file.show_code, **context
        ),
        status,
    )


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/loting/<int:draw_id>/bewijs")
@rule("public")
def receipt_check(slug: str, procurement_id: int, draw_id: int):
    """An applicant checks their own entry with their receipt code (the form posts it, so the
    code never sits in an address, a log or a browser's history)."""
    return _render_receipt(_public_draw(slug, procurement_id, draw_id), ReceiptForm(formdata=None))


@bp.post("/wijk/<slug>/aanbesteding/<int:procurement_id>/loting/<int:draw_id>/bewijs")
@rule("public")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_RECEIPT"])
def receipt_check_post(slug: str, procurement_id: int, draw_id: int):
    draw = _public_draw(slug, procurement_id, draw_id)
    form = ReceiptForm()
    if not form.validate_on_submit():
        return _render_receipt(draw, form, status=422)
    check = draws.check_receipt(draw, form.code.data)
    if check is None:
        form.code.errors = [
            _(
                "Deze bewijscode hoort niet bij deze loting. Kijk of u de code goed hebt "
                "overgenomen uit de mail. Klopt hij, neem dan contact op met de gemeente."
            )
        ]
        return _render_receipt(draw, form, status=422)
    response = make_response(_render_receipt(draw, form, check))
    response.headers["Cache-Control"] = "no-store"
    return response
