"""Residents send signals (no login, rate-limited); the moderator moderates; the party answers."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.monitoring import services
from committee.monitoring.forms import ModerateSignalForm, ResponseForm, SignalForm
from committee.monitoring.models import Signal, SignalStatus
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.publication import services as publication
from committee.ratelimit import limiter
from committee.timeutil import utcnow

bp = Blueprint("monitoring", __name__)


def _signal_procurement(slug: str, procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.neighbourhood.slug != slug or not policy.signals_open(procurement):
        abort(404)
    return procurement


def _render_signal_form(procurement, form, status=200):
    return render_template(
        "monitoring/signal.html",
        procurement=procurement,
        form=form,
        decision=publication.decision_of(procurement),
        today=utcnow().date(),
    ), status


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/signaal")
@rule("public")
def new_signal(slug: str, procurement_id: int):
    procurement = _signal_procurement(slug, procurement_id)
    return _render_signal_form(procurement, SignalForm())


@bp.post("/wijk/<slug>/aanbesteding/<int:procurement_id>/signaal")
@rule("public")
@limiter.limit(
    lambda: current_app.config["SIGNAL_RATE_LIMIT"], deduct_when=lambda response: response.status_code == 302
)
def send_signal(slug: str, procurement_id: int):
    procurement = _signal_procurement(slug, procurement_id)
    form = SignalForm()
    if form.validate_on_submit():
        try:
            services.send_signal(
                procurement=procurement,
                what=form.what.data,
                place=form.place.data,
                happened_on=form.happened_on.data,
                today=utcnow().date(),
            )
            db.session.commit()
            flash(_("Dank u wel. De gemeente leest uw signaal eerst; daarna staat het op deze pagina."))
            return redirect(
                url_for("publication.procurement", slug=slug, procurement_id=procurement.id) + "#signalen"
            )
        except services.SignalError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_signal_form(procurement, form, 422)


def _moderated(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    return procurement


@bp.get("/beheer/aanbesteding/<int:procurement_id>/signalen")
@rule("moderator")
def moderate(procurement_id: int):
    procurement = _moderated(procurement_id)
    return render_template(
        "monitoring/moderate.html",
        procurement=procurement,
        form=ModerateSignalForm(),
        pending=services.signals(procurement, SignalStatus.PENDING),
        handled=[s for s in services.signals(procurement) if s.status != SignalStatus.PENDING],
        quarters=services.quarterly_summary(procurement),
    )


@bp.post("/beheer/aanbesteding/<int:procurement_id>/signalen")
@rule("moderator")
def moderate_post(procurement_id: int):
    procurement = _moderated(procurement_id)
    form = ModerateSignalForm()
    signal_id = form.signal_id.data or ""
    signal = services.signal_in(procurement, int(signal_id)) if signal_id.isdigit() else None
    choice = form.decision.data
    if not form.validate_on_submit() or signal is None or choice not in ("show", "reject"):
        abort(400)
    services.moderate(actor=current_user, signal=signal, show=choice == "show")
    db.session.commit()
    flash(
        _("Het signaal staat nu op de openbare pagina.")
        if choice == "show"
        else _("Het signaal wordt niet getoond.")
    )
    return redirect(url_for("monitoring.moderate", procurement_id=procurement.id))


@bp.get("/aanbieder/signalen")
@rule("bidder")
def party_signals():
    procurements = services.awarded_procurements(current_user)
    return render_template(
        "monitoring/respond.html",
        form=ResponseForm(),
        items=[(p, services.signals(p, SignalStatus.SHOWN)) for p in procurements],
    )


@bp.post("/aanbieder/signalen/<int:signal_id>")
@rule("bidder")
def respond(signal_id: int):
    signal = db.session.get(Signal, signal_id)
    if signal is None or not policy.answers_signals(current_user, signal.procurement):
        abort(404)
    if signal.response:  # one public reaction per signal; a second post changes nothing
        flash(_("U heeft al op dit signaal gereageerd."))
        return redirect(url_for("monitoring.party_signals"))
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            services.respond(actor=current_user, signal=signal, response=form.response.data)
            db.session.commit()
            flash(_("Uw reactie staat bij het signaal."))
            return redirect(url_for("monitoring.party_signals"))
        except services.SignalError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    procurements = services.awarded_procurements(current_user)
    return render_template(
        "monitoring/respond.html",
        form=form,
        failed_id=signal.id,
        items=[(p, services.signals(p, SignalStatus.SHOWN)) for p in procurements],
    ), 422
