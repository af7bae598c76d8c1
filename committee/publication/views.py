"""Public pages (no login), the committee's rationale, the award, the bidders' feedback."""

import io
from datetime import timedelta

import segno
import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee import pagecache
from committee.access import rule
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.i18n import names_list
from committee.monitoring import services as monitoring
from committee.monitoring.models import SignalStatus
from committee.offers import services as offer_services
from committee.panel.models import MemberKind
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.phases import Phase
from committee.procurement.services import ProcessError
from committee.publication import feed, markdown, ocds, services, timeline
from committee.publication.forms import (
    ApproveRationaleForm,
    ProvisionalAwardForm,
    rationale_form_class,
)
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from committee.wijk.models import Neighbourhood
from committee.wijk.services import neighbourhoods

bp = Blueprint("publication", __name__)


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


@bp.get("/")
@rule("public")
def home():
    return render_template("publication/home.html", neighbourhoods=neighbourhoods())


@bp.get("/healthz")
@rule("public")
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/privacy")
@rule("public")
def privacy():
    return render_template("publication/privacy.html")


@bp.get("/toegankelijkheid")
@rule("public")
def accessibility():
    return render_template("publication/accessibility.html")


@bp.get("/.well-known/security.txt")
@rule("public")
def security_txt():
    expires = (utcnow() + timedelta(days=365)).replace(microsecond=0).isoformat() + "Z"
    body = (
        f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/.well-known/security.txt\n"
    )
    return Response(body, mimetype="text/plain")


@bp.get("/wijk/<slug>")
@rule("public")
def neighbourhood(slug: str):
    place = services.neighbourhood_by_slug(slug)
    if place is None:
        abort(404)
    procurements = [p for p in place.procurements if policy.is_public(p)]
    decisions = services.decisions_of([p for p in procurements if policy.decision_public(p)])
    return render_template(
        "publication/neighbourhood.html", place=place, procurements=procurements, decisions=decisions
    )


def _public_procurement(slug: str, procurement_id: int, *, published: bool = False) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.neighbourhood.slug != slug or not policy.is_public(procurement):
        abort(404)
    if published and not policy.decision_public(procurement):
        abort(404)
    return procurement


def _committee_counts(procurement) -> dict[str, int]:
    residents = sum(1 for m in procurement.members if m.kind == MemberKind.RESIDENT)
    return {
        "total": len(procurement.members),
        "residents": residents,
        "others": len(procurement.members) - residents,
    }


def _public_context(procurement) -> dict:
    published = policy.decision_public(procurement)
    award = services.award_of(procurement)
    texts = services.rationale_texts(procurement) if published else {}
    released = policy.offers_released(procurement)
    revealed = policy.identities_revealed(procurement)
    offers = scoring.released_offers(procurement, with_organisations=revealed) if released else []
    return {
        "procurement": procurement,
        "published": published,
        "decision": services.decision_of(procurement) if published else None,
        "rationale": services.rationale_of(procurement) if published else None,
        "sections": services.public_sections(procurement) if published else [],
        "asked": texts.get("asked", ""),
        "results": scoring.tally(procurement) if published else [],
        "award": award if (published or policy.standstill_public(procurement)) else None,
        "offers": offers,
        "submitted_count": len(offers) if released else None,
        "revealed": revealed,
        "counts": _committee_counts(procurement),
        "steps": timeline.steps(procurement),
    }


def _version_query():
    last = (
        sa.select(AuditEvent.seq, AuditEvent.at)
        .where(AuditEvent.procurement_id == sa.bindparam("pid"))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
        .subquery()
    )
    return (
        sa.select(Procurement.phase, Neighbourhood.slug, last.c.seq, last.c.at)
        .join(Neighbourhood, Neighbourhood.id == Procurement.neighbourhood_id)
        .outerjoin(last, sa.true())
        .where(Procurement.id == sa.bindparam("pid"))
    )


_VERSION = _version_query()  # built once: every request only binds the id


def _publication_version(procurement_id: int):
    """Phase, neighbourhood slug and the procurement's last audit event (number and time), in one
    indexed query: the version of its public page (see committee/pagecache.py)."""
    return db.session.execute(_VERSION, {"pid": procurement_id}).first()


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>")
@rule("public")
def procurement(slug: str, procurement_id: int):
    def render():
        procurement = _public_procurement(slug, procurement_id)
        signals_open = policy.signals_open(procurement)
        return render_template(
            "publication/procurement.html",
            signals=monitoring.signals(procurement, SignalStatus.SHOWN) if signals_open else [],
            signals_open=signals_open,
            **_public_context(procurement),
        )

    version = _publication_version(procurement_id)
    # Only a published decision's page is kept: before that it changes with every step.
    if version is None or version.slug != slug or not version.phase.at_or_after(Phase.PUBLISHED):
        return render()
    return pagecache.serve(("procurement", procurement_id), (version.phase, version.seq), version.at, render)


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/besluit")
@rule("public")
def print_decision(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    public_url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    return render_template("publication/print.html", public_url=public_url, **_public_context(procurement))


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/poster")
@rule("public")
def poster(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    public_url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    texts = services.rationale_texts(procurement)
    return render_template(
        "publication/poster.html",
        public_url=public_url,
        why=texts.get("why", ""),
        **_public_context(procurement),
    )


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/qr.svg")
@rule("public")
def qr_code(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    public_url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
    out = io.BytesIO()
    segno.make(public_url, error="m").save(
        out, kind="svg", scale=8, border=4, xmldecl=True, title=procurement.title
    )
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/ocds.json")
@rule("public")
def ocds_package(slug: str, procurement_id: int):
    procurement = _public_procurement(slug, procurement_id, published=True)
    package = ocds.release_package(
        procurement,
        prefix=current_app.config["OCDS_OCID_PREFIX"],
        package_url=_base() + url_for("publication.ocds_package", slug=slug, procurement_id=procurement.id),
        public_url=_base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id),
    )
    response = current_app.json.response(package)
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: anyone may read it
    return response


def _feed_response(title: str, feed_url: str, site_url: str, decisions) -> Response:
    entries = []
    for decision, procurement, rationale in decisions:
        slug = procurement.neighbourhood.slug
        url = _base() + url_for("publication.procurement", slug=slug, procurement_id=procurement.id)
        entries.append(
            {
                "id": url,
                "title": _(
                    "%(place)s: %(title)s – gekozen: %(name)s",
                    place=procurement.neighbourhood.name,
                    title=procurement.title,
                    name=names_list(o.organisation.name for o in decision.offers),
                ),
                "url": url,
                "published": decision.published_at,
                "summary": rationale.texts.get("why", "") if rationale else "",
            }
        )
    body = feed.atom(title=title, feed_url=feed_url, site_url=site_url, entries=entries)
    return Response(body, mimetype="application/atom+xml")


@bp.get("/besluiten.atom")
@rule("public")
def decisions_feed():
    return _feed_response(
        _("WijKiezen: gepubliceerde besluiten"),
        _base() + url_for("publication.decisions_feed"),
        _base() + url_for("publication.home"),
        services.published_decisions(),
    )


@bp.get("/wijk/<slug>/besluiten.atom")
@rule("public")
def neighbourhood_feed(slug: str):
    place = services.neighbourhood_by_slug(slug)
    if place is None:
        abort(404)
    return _feed_response(
        _("%(place)s: gepubliceerde besluiten", place=place.name),
        _base() + url_for("publication.neighbourhood_feed", slug=slug),
        _base() + url_for("publication.neighbourhood", slug=slug),
        services.published_decisions(place),
    )


# --- the committee writes, the moderator approves --------------------------------------------


def _rationale_target(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    if not current_user.is_moderator and policy.membership(current_user, procurement) is None:
        abort(404)
    return procurement


def _rationale_form(procurement, **kwargs):
    form_class = rationale_form_class(services.PROMPTS, services.note_offers(current_user, procurement))
    return form_class(**kwargs)


def _render_rationale(procurement, form, status=200, conflict=None):
    rationale = services.rationale_of(procurement)
    return render_template(
        "publication/rationale.html",
        procurement=procurement,
        form=form,
        rationale=rationale,
        editable=policy.rationale_editable(procurement)
        and policy.rationale_writer(current_user, procurement),
        prompts=services.PROMPTS,
        offers=services.note_offers(current_user, procurement),
        sections=services.public_sections(procurement),
        conflict=conflict,
        # A member recused from an offer does not see its scores here either.
        results=scoring.tally_for(current_user, procurement) if policy.scores_visible(procurement) else [],
    ), status


@bp.get("/commissie/<int:procurement_id>/motivering")
@rule("member_or_moderator")
def rationale(procurement_id: int):
    procurement = _rationale_target(procurement_id)
    existing = services.rationale_of(procurement)
    data = dict(existing.texts) if existing else {}
    data["base_version"] = existing.version if existing else 0
    return _render_rationale(procurement, _rationale_form(procurement, data=data))


@bp.post("/commissie/<int:procurement_id>/motivering")
@rule("resident")
def rationale_post(procurement_id: int):
    procurement = _rationale_target(procurement_id)
    form = _rationale_form(procurement)
    if form.validate_on_submit():
        texts = {
            name: field.data or ""
            for name, field in form._fields.items()
            if name in services.allowed_keys(procurement, current_user)
        }
        try:
            services.save_rationale(
                actor=current_user,
                procurement=procurement,
                texts=texts,
                base_version=form.base_version.data or 0,
            )
            db.session.commit()
            flash(_("De motivering is opgeslagen."))
            return redirect(url_for("publication.rationale", procurement_id=procurement.id))
        except services.RationaleConflict as conflict:
            db.session.rollback()
            # Not the posted form: the merged texts, and the version they now build on.
            data = {**conflict.texts, "base_version": conflict.version}
            form = _rationale_form(procurement, formdata=None, data=data)
            return _render_rationale(procurement, form, 409, conflict=conflict)
        except ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_rationale(procurement, form, 422)


def _moderated_procurement(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    return procurement


def _render_review(procurement, status=200, approve_form=None):
    rationale = services.rationale_of(procurement)
    return render_template(
        "publication/review.html",
        procurement=procurement,
        rationale=rationale,
        sections=services.public_sections(procurement),
        feedback=services.all_feedback(procurement),
        decision=services.decision_of(procurement),
        award=services.award_of(procurement),
        approvable=policy.rationale_approvable(procurement),
        approve_form=approve_form or ApproveRationaleForm(version=rationale.version if rationale else 0),
        award_form=ProvisionalAwardForm(),
        standstill_days=current_app.config["STANDSTILL_DAYS"],
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/terugkoppeling")
@rule("moderator")
def review(procurement_id: int):
    return _render_review(_moderated_procurement(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/motivering/goedkeuren")
@rule("moderator")
def approve(procurement_id: int):
    procurement = _moderated_procurement(procurement_id)
    form = ApproveRationaleForm()
    if form.validate_on_submit():
        try:
            services.approve_rationale(actor=current_user, procurement=procurement, version=form.version.data)
            db.session.commit()
            flash(_("De motivering en de terugkoppeling zijn goedgekeurd."))
            return redirect(url_for("publication.review", procurement_id=procurement.id))
        except ProcessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
    return _render_review(procurement, 422, approve_form=form)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/voorlopige-gunning")
@rule("moderator")
def provisional_award(procurement_id: int):
    procurement = _moderated_procurement(procurement_id)
    if ProvisionalAwardForm().validate_on_submit():
        try:
            award = services.provisional_award(
                actor=current_user,
                procurement=procurement,
                standstill_days=current_app.config["STANDSTILL_DAYS"],
            )
            db.session.commit()
            flash(
                _(
                    "De voorlopige gunning is verstuurd: %(n)d berichten, aan alle aanbieders tegelijk.",
                    n=award.notified,
                )
            )
        except ProcessError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("procurement.detail", procurement_id=procurement.id))


# --- the bidder's feedback -------------------------------------------------------------------


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/besluit")
@rule("bidder")
def feedback(procurement_id: int):
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.feedback_visible(procurement):
        abort(404)
    offer = offer_services.offer_of(current_user.organisation_id, procurement.id)
    own = services.feedback_for(procurement, offer) if offer else None
    if own is None:
        abort(404)
    return render_template(
        "publication/feedback.html",
        procurement=procurement,
        feedback=own,
        award=services.award_of(procurement),
        sections=services.public_sections(procurement),
        published=policy.decision_public(procurement),
    )


@bp.app_template_filter("markdown")
def _markdown_filter(text):
    return markdown.render(text)
