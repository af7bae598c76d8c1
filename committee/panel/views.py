"""The committee: recruiting, composing (lottery or by hand), inviting, and the public pages."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee.access import rule
from committee.extensions import db
from committee.htmx import is_htmx
from committee.lottery.draw import UNKNOWN
from committee.mail import send_mail
from committee.panel import draws, recruitment, services
from committee.panel import quotas as quota_rules
from committee.panel.forms import (
    AcceptForm,
    AddApplicantsForm,
    AddPersonForm,
    DrawActionForm,
    InviteMemberForm,
    MemberChangeForm,
    PrepareDrawForm,
    RecruitmentForm,
    ReissueInvitationForm,
    ResetQuotasForm,
    application_form_class,
    quota_form_class,
)
from committee.panel.models import (
    Application,
    CommitteeMember,
    ContactPreference,
    Draw,
    DrawStatus,
    MemberKind,
)
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.services import ProcessError
from committee.procurement.views import get_procurement, render_detail
from committee.qr import qr_data_uri
from committee.ratelimit import limiter
from committee.timeutil import utcnow

bp = Blueprint("panel", __name__)

STEP_LABELS = {
    "check": _l("Pool en quota controleren"),
    "optimise": _l("Stap 1 van 3: mogelijke commissies zoeken"),
    "fix": _l("Stap 2 van 3: kansen vastzetten, van klein naar groot"),
    "compare": _l("Stap 3 van 3: vergelijken met de andere methode"),
    "reserves": _l("De reservelijst maken"),
    "done": _l("Klaar"),
    "failed": _l("Gestopt"),
}
STATUS_LABELS = {
    DrawStatus.PREPARED: _l("Klaargezet en gepubliceerd, nog niet geloot"),
    DrawStatus.QUEUED: _l("Wacht op de start"),
    DrawStatus.RUNNING: _l("Bezig met loten"),
    DrawStatus.DONE: _l("Geloot"),
    DrawStatus.FAILED: _l("Niet gelukt"),
}
METHOD_LABELS = {
    "leximin": _l("Leximin: iedereen een zo gelijk mogelijke kans"),
    "maximin": _l("Maximin: de kleinste kans zo groot mogelijk"),
}


@bp.app_context_processor
def inject_draw_words():
    def chance(value: float) -> str:
        """A chance of a seat as a percentage with one decimal (0.235 -> 23,5%)."""
        return format_percent(value, "#,##0.0%")

    return {"method_labels": METHOD_LABELS, "chance": chance}


SOURCE_LABELS = {
    "invite": _l("uitgenodigd"),
    "draw": _l("geloot"),
    "reserve": _l("van de reservelijst"),
    "hand": _l("met de hand toegevoegd"),
}


def invitation_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("auth.invitation", token=token)


def _deliver(member: CommitteeMember, token: str, procurement) -> str:
    link = invitation_url(token)
    if member.user.email:
        send_mail(
            to=member.user.email,
            subject=_("Uitnodiging: selectiecommissie %(title)s", title=procurement.title),
            body=render_template(
                "panel/invitation.txt", name=member.user.name, procurement=procurement, link=link
            ),
        )
    return link


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden")
@rule("moderator")
def invite(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = InviteMemberForm()
    if not form.validate_on_submit():
        return render_detail(procurement, invite_form=form, status=422)
    try:
        member, token = services.invite_member(
            actor=current_user,
            procurement=procurement,
            name=form.name.data,
            email=form.email.data or None,
            days=current_app.config["INVITATION_DAYS"],
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return render_detail(procurement, invite_form=form, status=422)
    link = _deliver(member, token, procurement)
    db.session.commit()
    # The link is shown once, here, and never stored: only its hash is.
    return render_detail(procurement, invitation_link=(member.user.name, link))


def _member_from_form(procurement, member_id: str | None) -> CommitteeMember:
    member = db.session.get(CommitteeMember, int(member_id)) if (member_id or "").isdigit() else None
    if member is None or member.procurement_id != procurement.id:
        abort(400)
    return member


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden/opnieuw")
@rule("moderator")
def reissue(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = ReissueInvitationForm()
    if not form.validate_on_submit():
        abort(400)
    member = _member_from_form(procurement, form.member_id.data)
    token = services.reissue_invitation(
        actor=current_user, member=member, days=current_app.config["INVITATION_DAYS"]
    )
    link = _deliver(member, token, procurement)
    db.session.commit()
    return render_detail(procurement, invitation_link=(member.user.name, link))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden/brief")
@rule("moderator")
def letter(procurement_id: int):
    """A printable letter with a QR code and a short code; issuing it makes older links stop."""
    procurement = get_procurement(procurement_id)
    form = ReissueInvitationForm()
    if not form.validate_on_submit():
        abort(400)
    member = _member_from_form(procurement, form.member_id.data)
    token, code = services.issue_letter(
        actor=current_user, member=member, days=current_app.config["INVITATION_DAYS"]
    )
    db.session.commit()
    link = invitation_url(token)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return render_template(
        "panel/letter.html",
        procurement=procurement,
        member=member,
        link=link,
        code=code,
        qr=qr_data_uri(link),
        code_url=base + url_for("auth.short_code"),
        address=member.application.postal_address if member.application else None,
        setup=recruitment.recruitment_of(procurement),
        today=utcnow().date(),
    )


# --- recruitment -------------------------------------------------------------------------------


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
        recruitment.submit_application(
            procurement=procurement, entered_by=current_user, **_application_data(form, categories)
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_paper(procurement, form, 422)
    db.session.commit()
    flash(_("De aanmelding van %(name)s is opgeslagen.", name=form.name.data))
    return redirect(url_for("panel.recruitment_page", procurement_id=procurement.id) + "#aanmeldingen")


# --- composition ---------------------------------------------------------------------------------


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
    flash(_("De loting staat klaar. Het startgetal, de pool en de quota zijn nu openbaar."))
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
    draws.launch(draw)
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
    }


@bp.get("/beheer/loting/<int:draw_id>")
@rule("moderator")
def draw_page(draw_id: int):
    """The draw's progress; htmx polls the status fragment, without JavaScript: reload."""
    context = _draw_context(_draw(draw_id))
    if is_htmx():
        return render_template("panel/_draw_status.html", **context)
    return render_template("panel/draw.html", **context)


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


# --- the member accepts --------------------------------------------------------------------------


def _own_seat(procurement_id: int) -> CommitteeMember:
    procurement = db.session.get(Procurement, procurement_id)
    member = policy.membership(current_user, procurement) if procurement else None
    if member is None:
        abort(404)
    return member


def _accept_form(member, data=True):
    form = AcceptForm() if data else AcceptForm(formdata=None)
    form.contact_preference.choices = [
        SelectChoice(k.value, v) for k, v in services.CONTACT_PREFERENCES.items()
    ]
    setup = recruitment.recruitment_of(member.procurement)
    if setup is None or not setup.house_rules:
        del form.accept_rules  # nothing to accept: the municipality wrote no house rules
    return form


def _render_accept(member, form, status=200):
    return render_template(
        "panel/accept.html",
        member=member,
        procurement=member.procurement,
        setup=recruitment.recruitment_of(member.procurement),
        form=form,
    ), status


@bp.get("/commissie/<int:procurement_id>/welkom")
@rule("resident")
def accept(procurement_id: int):
    member = _own_seat(procurement_id)
    form = _accept_form(member, data=False)
    if member.accepted_at:
        if "accept_rules" in form:
            form.accept_rules.data = True
        form.contact_preference.data = member.contact_preference.value if member.contact_preference else None
        form.connections.data = member.connections
        form.public_name.data = member.public_name
    return _render_accept(member, form)


@bp.post("/commissie/<int:procurement_id>/welkom")
@rule("resident")
def accept_post(procurement_id: int):
    member = _own_seat(procurement_id)
    form = _accept_form(member)
    if not form.validate_on_submit():
        return _render_accept(member, form, 422)
    try:
        services.accept_seat(
            member=member,
            accept_rules=form.accept_rules.data if "accept_rules" in form else True,
            contact_preference=ContactPreference(form.contact_preference.data),
            connections=form.connections.data,
            public_name=form.public_name.data,
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_accept(member, form, 422)
    db.session.commit()
    flash(_("Dank u wel. U zit in de selectiecommissie."))
    return redirect(url_for("scoring.home"))


# --- public --------------------------------------------------------------------------------------


def _public_procurement(slug: str, procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.neighbourhood.slug != slug or not policy.is_public(procurement):
        abort(404)
    return procurement


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
    try:
        recruitment.submit_application(procurement=procurement, **_application_data(form, categories))
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_apply(procurement, form, 422)
    db.session.commit()
    return redirect(url_for("panel.applied", slug=slug, procurement_id=procurement.id))


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/aanmelden/bedankt")
@rule("public")
def applied(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id)
    # Like the form itself: no thanks for applying where there is nothing to apply for.
    if recruitment.recruitment_of(procurement) is None:
        abort(404)
    return render_template(
        "panel/applied.html", procurement=procurement, setup=recruitment.recruitment_of(procurement)
    )


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
    return render_template("panel/public_draw.html", **_draw_context(draw))


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/loting/<int:draw_id>.json")
@rule("public")
def public_draw_json(slug: str, procurement_id: int, draw_id: int):
    """The published inputs (to rerun with ``python -m committee.panel.lottery``) and result."""
    draw = _public_draw(slug, procurement_id, draw_id)
    result = draw.result if draw.status == DrawStatus.DONE else None
    return jsonify(
        {
            "status": draw.status.value,
            "inputs_sha256": draw.inputs_sha256,
            "inputs": draw.inputs,
            "result": result,
            "prepared_at": draw.prepared_at.isoformat() + "Z",
        }
    )


@bp.app_context_processor
def inject_public_panel():
    def public_panel(procurement) -> dict:
        """What the public procurement page shows about needs and the committee."""
        from committee.needs import services as needs

        setup = recruitment.recruitment_of(procurement)
        needs_round = needs.needs_round(procurement)
        return {
            "needs": needs_round is not None and procurement.phase.value != "concept",
            "needs_open": policy.needs_open(procurement),
            "call_themes": [t for t in needs.themes(procurement, active_only=False) if t.in_call]
            if needs_round is not None and policy.needs_results_public(procurement)
            else [],
            "recruiting": setup is not None and policy.applications_open(procurement),
            "makeup": recruitment.makeup(procurement) if procurement.members else None,
            "draws": [d for d in draws.draws_of(procurement)] if policy.draws_public(procurement) else [],
            "status_labels": STATUS_LABELS,
        }

    return {"public_panel": public_panel}
