"""After the award: the moderator records the contract, its promises, goals and evaluation talks;
the awarded party reports over each period. The public side is on the procurement's public page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.monitoring import contracts
from committee.monitoring.forms import (
    CommitmentForm,
    ContractForm,
    IndicatorForm,
    TalkForm,
    report_form_class,
)
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.timeutil import local_today

bp = Blueprint("contract", __name__)


# --- the moderator ------------------------------------------------------------------------------


def _after_award(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.contract_open(procurement):
        abort(404)
    return procurement


def _contract_form(parties, contract, organisation_id):
    """The contract form as stored (or empty): never filled from another form's post."""
    form = ContractForm(formdata=None, obj=contract)
    form.organisation_id.choices = [(p.id, p.name) for p in parties]
    if contract is None:
        form.organisation_id.data = organisation_id
    return form


def _render_manage(procurement, organisation_id=None, status=200, **forms):
    parties = contracts.awarded_organisations(procurement)
    if organisation_id not in {p.id for p in parties}:
        organisation_id = parties[0].id if parties else None
    contract = contracts.contract_for(procurement, organisation_id)
    form = forms.get("contract_form") or _contract_form(parties, contract, organisation_id)
    return render_template(
        "monitoring/contract.html",
        procurement=procurement,
        parties=parties,
        organisation_id=organisation_id,
        contract=contract,
        overview=contracts.overview(contract) if contract else None,
        contract_form=form,
        commitment_form=forms.get("commitment_form") or CommitmentForm(formdata=None),
        indicator_form=forms.get("indicator_form") or IndicatorForm(formdata=None),
        talk_form=forms.get("talk_form") or TalkForm(formdata=None),
        today=local_today(),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/contract")
@rule("moderator")
def manage(procurement_id: int):
    procurement = _after_award(procurement_id)
    return _render_manage(procurement, request.args.get("partij", type=int))


def _back(procurement, organisation_id, anchor=""):
    return redirect(
        url_for("contract.manage", procurement_id=procurement.id, partij=organisation_id) + anchor
    )


@bp.post("/beheer/aanbesteding/<int:procurement_id>/contract")
@rule("moderator")
def save(procurement_id: int):
    procurement = _after_award(procurement_id)
    parties = contracts.awarded_organisations(procurement)
    form = ContractForm()
    form.organisation_id.choices = [(p.id, p.name) for p in parties]
    if form.validate_on_submit():
        try:
            contracts.save_contract(
                actor=current_user,
                procurement=procurement,
                organisation_id=form.organisation_id.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                contract_sum=form.contract_sum.data,
            )
            db.session.commit()
            flash(_("Het contract is opgeslagen."))
            return _back(procurement, form.organisation_id.data)
        except contracts.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    chosen = form.organisation_id.data if isinstance(form.organisation_id.data, int) else None
    return _render_manage(procurement, chosen, 422, contract_form=form)


def _contract(procurement, contract_id: int):
    contract = contracts.contract_in(procurement, contract_id)
    if contract is None:
        abort(404)
    return contract


@bp.post("/beheer/aanbesteding/<int:procurement_id>/contract/<int:contract_id>/social-return")
@rule("moderator")
def add_commitment(procurement_id: int, contract_id: int):
    procurement = _after_award(procurement_id)
    contract = _contract(procurement, contract_id)
    form = CommitmentForm()
    if form.validate_on_submit():
        try:
            contracts.add_commitment(
                actor=current_user,
                contract=contract,
                description=form.description.data,
                percentage=float(form.percentage.data) if form.percentage.data is not None else None,
                amount=form.amount.data,
            )
            db.session.commit()
            flash(_("De afspraak over social return is toegevoegd."))
            return _back(procurement, contract.organisation_id, "#social-return")
        except contracts.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_manage(procurement, contract.organisation_id, 422, commitment_form=form)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/contract/<int:contract_id>/doel")
@rule("moderator")
def add_indicator(procurement_id: int, contract_id: int):
    procurement = _after_award(procurement_id)
    contract = _contract(procurement, contract_id)
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            contracts.add_indicator(
                actor=current_user,
                contract=contract,
                name=form.name.data,
                unit=form.unit.data,
                target=form.target.data,
            )
            db.session.commit()
            flash(_("Het doel is toegevoegd."))
            return _back(procurement, contract.organisation_id, "#doelen")
        except contracts.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_manage(procurement, contract.organisation_id, 422, indicator_form=form)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/contract/<int:contract_id>/gesprek")
@rule("moderator")
def add_talk(procurement_id: int, contract_id: int):
    procurement = _after_award(procurement_id)
    contract = _contract(procurement, contract_id)
    form = TalkForm()
    if form.validate_on_submit():
        try:
            contracts.record_talk(
                actor=current_user,
                contract=contract,
                held_on=form.held_on.data,
                attendees=form.attendees.data,
                summary=form.summary.data,
                public=form.public.data,
                today=local_today(),
            )
            db.session.commit()
            flash(_("Het evaluatiegesprek is vastgelegd."))
            return _back(procurement, contract.organisation_id, "#gesprekken")
        except contracts.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_manage(procurement, contract.organisation_id, 422, talk_form=form)


# --- the awarded party ------------------------------------------------------------------------


def _own_contract_procurement(procurement_id: int) -> Procurement:
    """The procurement, if this bidder's organisation was finally awarded in it; 404 otherwise
    (a bidder whose offer was not chosen cannot tell it from a procurement that does not exist)."""
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.reports_progress(
        current_user, procurement, current_user.organisation_id
    ):
        abort(404)
    return procurement


def _render_report(procurement, contract, form=None, status=200):
    return render_template(
        "monitoring/report.html",
        procurement=procurement,
        contract=contract,
        overview=contracts.overview(contract) if contract else None,
        form=form or (report_form_class(contract)(formdata=None) if contract else None),
        today=local_today(),
    ), status


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/rapportage")
@rule("bidder")
def report(procurement_id: int):
    procurement = _own_contract_procurement(procurement_id)
    contract = contracts.contract_for(procurement, current_user.organisation_id)
    return _render_report(procurement, contract)


@bp.post("/aanbieder/aanbesteding/<int:procurement_id>/rapportage")
@rule("bidder")
def report_post(procurement_id: int):
    procurement = _own_contract_procurement(procurement_id)
    contract = contracts.contract_for(procurement, current_user.organisation_id)
    if contract is None:
        abort(404)
    form = report_form_class(contract)()
    if form.validate_on_submit():
        try:
            contracts.submit_report(
                actor=current_user,
                contract=contract,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                text=form.text.data,
                indicator_values={
                    i.id: form[f"indicator_{i.id}"].data
                    for i in contract.indicators
                    if form[f"indicator_{i.id}"].data is not None
                },
                social_return={
                    c.id: form[f"commitment_{c.id}"].data
                    for c in contract.commitments
                    if form[f"commitment_{c.id}"].data is not None
                },
                today=local_today(),
            )
            db.session.commit()
            flash(_("Uw rapportage is verstuurd. Ze staat nu op de openbare pagina."))
            return redirect(url_for("contract.report", procurement_id=procurement.id))
        except contracts.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_report(procurement, contract, form, 422)
