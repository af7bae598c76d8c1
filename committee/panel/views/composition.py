"""The composition page: representation, quotas, and changing members by hand (replace, remove,
add applicants or a person), each with a reason."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee.access import rule
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.lottery.draw import UNKNOWN
from committee.panel import draws, recruitment, services
from committee.panel import quotas as quota_rules
from committee.panel.forms import (
    AddApplicantsForm,
    AddPersonForm,
    DrawActionForm,
    MemberChangeForm,
    PrepareDrawForm,
    ReissueInvitationForm,
    ResetQuotasForm,
    quota_form_class,
)
from committee.panel.models import Application, MemberKind
from committee.panel.views._helpers import STATUS_LABELS, _member_from_form
from committee.panel.views.blueprint import bp
from committee.procurement import policy
from committee.procurement.views import get_procurement

SOURCE_LABELS = {
    "invite": _l("uitgenodigd"),
    "draw": _l("geloot"),
    "reserve": _l("van de reservelijst"),
    "hand": _l("met de hand toegevoegd"),
}


def _composition_context(procurement) -> dict:
    setup = recruitment.recruitment_of(procurement)
    categories = recruitment.categories(procurement)
    shares = draws.profile_shares(procurement)
    pool = draws.pool_of(procurement)
    members = procurement.members
    table = quota_rules.representation(
        values={c.key: c.value_keys for c in categories},
        shares=shares,
        applicants=[values for _a, values in pool],
        committee=[recruitment.answers_of(m.application) for m in members],
    )
    done = draws.completed_draw(procurement)
    seated = {m.application_id for m in members}
    return {
        "procurement": procurement,
        "setup": setup,
        "categories": categories,
        "table": table,
        "quotas": draws.quota_map(procurement),
        "shares": shares,
        "pool_size": len(pool),
        "draws": draws.draws_of(procurement),
        "done_draw": done,
        "active_draw": draws.active_draw(procurement),
        "reserves": draws.reserves_left(done, procurement) if done else [],
        "pseudonym_of": (lambda m: draws.pseudonym_of(done, m.application_id)) if done else (lambda m: None),
        "unseated": [a for a, _v in pool if a.id not in seated],
        "answers_of": recruitment.answers_of,
        "rule_problems": [
            services.describe_rule_problem(p) for p in services.hard_rule_problems(procurement)
        ],
        "changes": services.changes(procurement),
        "reasons": services.REASONS,
        "open": policy.composition_open(procurement),
        "can_draw": policy.draw_allowed(procurement),
        "status_labels": STATUS_LABELS,
        "source_labels": SOURCE_LABELS,
        "UNKNOWN": UNKNOWN,
        "reissue_form": ReissueInvitationForm(),
        "action_form": DrawActionForm(),
        "explain": lambda problems: [draws.explain(p, categories) for p in problems],
    }


def _render_composition(procurement, status=200, **forms):
    context = _composition_context(procurement)
    quotas = list(context["quotas"].values())
    quota_form = forms.get("quota_form")
    if quota_form is None:
        quota_form = quota_form_class(quotas)(
            formdata=None,
            data={
                **{f"min_{q.id}": q.min_count for q in quotas},
                **{f"max_{q.id}": q.max_count for q in quotas},
            },
        )
    add_form = forms.get("add_form") or AddApplicantsForm(formdata=None, prefix="add")
    add_form.applications.choices = [SelectChoice(a.id, a.name) for a in context["unseated"]]
    return render_template(
        "panel/composition.html",
        **context,
        quota_form=quota_form,
        reset_form=ResetQuotasForm(),
        prepare_form=forms.get("prepare_form")
        or PrepareDrawForm(algorithm=current_app.config["LOTTERY_ALGORITHM"]),
        change_forms={
            m.id: (
                forms.get("change_form")
                if forms.get("change_member") == m.id
                else MemberChangeForm(formdata=None, prefix=f"m{m.id}")
            )
            for m in procurement.members
        },
        add_form=add_form,
        person_form=forms.get("person_form") or AddPersonForm(formdata=None, prefix="person"),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/samenstelling")
@rule("moderator")
def composition(procurement_id: int):
    return _render_composition(get_procurement(procurement_id))


def _back(procurement, anchor: str = ""):
    return redirect(url_for("panel.composition", procurement_id=procurement.id) + anchor)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/quota/opnieuw")
@rule("moderator")
def reset_quotas(procurement_id: int):
    procurement = get_procurement(procurement_id)
    if not ResetQuotasForm().validate_on_submit():
        abort(400)
    try:
        draws.reset_quotas(actor=current_user, procurement=procurement)
        db.session.commit()
        flash(_("De quota zijn berekend uit het wijkprofiel en het aantal plaatsen."))
    except ProcessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return _back(procurement, "#quota")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/quota")
@rule("moderator")
def save_quotas(procurement_id: int):
    procurement = get_procurement(procurement_id)
    quotas = draws.quotas_of(procurement)
    form = quota_form_class(quotas)()
    if not form.validate_on_submit():
        return _render_composition(procurement, 422, quota_form=form)
    try:
        draws.save_quotas(
            actor=current_user,
            procurement=procurement,
            limits={
                (q.category, q.value): (form[f"min_{q.id}"].data, form[f"max_{q.id}"].data) for q in quotas
            },
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_composition(procurement, 422, quota_form=form)
    db.session.commit()
    flash(_("De quota zijn opgeslagen."))
    return _back(procurement, "#quota")


def _change_target(procurement, member_id: int):
    member = _member_from_form(procurement, str(member_id))
    return MemberChangeForm(prefix=f"m{member.id}"), member


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/lid/<int:member_id>/vervangen")
@rule("moderator")
def replace(procurement_id: int, member_id: int):
    procurement = get_procurement(procurement_id)
    form, member = _change_target(procurement, member_id)
    if not form.validate_on_submit():
        return _render_composition(procurement, 422, change_form=form, change_member=member.id)
    try:
        new_member, unmet = draws.replace_member(
            actor=current_user, member=member, reason=form.reason.data, note=form.note.data
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_composition(procurement, 422, change_form=form, change_member=member.id)
    db.session.commit()
    flash(_("%(name)s neemt de plaats in; de andere leden blijven.", name=new_member.user.name))
    if unmet:
        flash(_("Let op: met deze vervanging wordt niet aan alle quota voldaan."), "error")
    return _back(procurement, "#leden")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/lid/<int:member_id>/weghalen")
@rule("moderator")
def remove(procurement_id: int, member_id: int):
    procurement = get_procurement(procurement_id)
    form, member = _change_target(procurement, member_id)
    if not form.validate_on_submit():
        return _render_composition(procurement, 422, change_form=form, change_member=member.id)
    try:
        services.remove_member(
            actor=current_user, member=member, reason=form.reason.data, note=form.note.data
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_composition(procurement, 422, change_form=form, change_member=member.id)
    db.session.commit()
    flash(_("Het lid is uit de commissie gehaald."))
    return _back(procurement, "#leden")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/aanmelders")
@rule("moderator")
def add_applicants(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = AddApplicantsForm(prefix="add")
    form.applications.choices = [SelectChoice(a.id, a.name) for a, _v in draws.pool_of(procurement)]
    if not form.validate_on_submit():
        return _render_composition(procurement, 422, add_form=form)
    chosen = [db.session.get(Application, i) for i in form.applications.data]
    try:
        services.add_applicants_by_hand(
            actor=current_user,
            procurement=procurement,
            applications=chosen,
            reason=form.reason.data,
            note=form.note.data,
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_composition(procurement, 422, add_form=form)
    db.session.commit()
    flash(ngettext_members(len(chosen)))
    return _back(procurement, "#leden")


def ngettext_members(n: int) -> str:
    from flask_babel import ngettext

    return ngettext(
        "%(num)d aanmelder is aan de commissie toegevoegd.",
        "%(num)d aanmelders zijn aan de commissie toegevoegd.",
        n,
    )


@bp.post("/beheer/aanbesteding/<int:procurement_id>/samenstelling/persoon")
@rule("moderator")
def add_person(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = AddPersonForm(prefix="person")
    if not form.validate_on_submit():
        return _render_composition(procurement, 422, person_form=form)
    try:
        services.add_person_by_hand(
            actor=current_user,
            procurement=procurement,
            name=form.name.data,
            email=form.email.data or None,
            kind=MemberKind(form.kind.data),
            reason=form.reason.data,
            note=form.note.data,
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_composition(procurement, 422, person_form=form)
    db.session.commit()
    flash(_("%(name)s is aan de commissie toegevoegd.", name=form.name.data))
    return _back(procurement, "#leden")
