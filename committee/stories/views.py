"""The story bank's pages: tell a story, my stories (withdraw), moderation, the neighbourhood's
story page and the photos."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from committee import pagecache
from committee.access import rule
from committee.extensions import db
from committee.offers import storage
from committee.procurement.models import Procurement
from committee.publication.services import neighbourhood_by_slug
from committee.ratelimit import limiter
from committee.stories import photo as photos
from committee.stories import services
from committee.stories.forms import ModerateStoryForm, StoryForm, WithdrawStoryForm

bp = Blueprint("stories", __name__)


def _story_procurement(slug: str, procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if (
        procurement is None
        or procurement.neighbourhood.slug != slug
        or not services.accepts_stories(procurement)
    ):
        abort(404)
    return procurement


def _render_form(procurement, form, status=200):
    return render_template("stories/new.html", procurement=procurement, form=form), status


@bp.get("/wijk/<slug>/aanbesteding/<int:procurement_id>/verhaal")
@rule("login")
def new(slug: str, procurement_id: int):
    return _render_form(_story_procurement(slug, procurement_id), StoryForm())


def _per_account() -> str:
    return f"story-author:{current_user.get_id()}"


@bp.post("/wijk/<slug>/aanbesteding/<int:procurement_id>/verhaal")
@rule("login")
@limiter.limit(
    lambda: current_app.config["STORY_RATE_LIMIT"],
    key_func=_per_account,
    # A stored story counts, and so does every try with a photo: decoding one is the heavy part,
    # and a refused photo must not be free to send again and again.
    deduct_when=lambda response: response.status_code == 302 or g.get("story_photo_sent", False),
)
def create(slug: str, procurement_id: int):
    procurement = _story_procurement(slug, procurement_id)
    form = StoryForm()
    if form.validate_on_submit():
        upload = form.photo.data
        data = upload.read() if upload and getattr(upload, "filename", "") else None
        g.story_photo_sent = bool(data)
        try:
            services.add_story(
                author=current_user,
                procurement=procurement,
                title=form.title.data,
                body=form.body.data,
                consent=form.consent.data,
                photo=data,
                photo_alt=form.photo_alt.data or "",
                photo_people=form.photo_people.data,
                limits=photos.PhotoLimits(max_bytes=current_app.config["STORY_PHOTO_MAX_BYTES"]),
            )
            db.session.commit()
            flash(
                _(
                    "Dank u wel. De gemeente leest uw verhaal eerst; "
                    "daarna staat het op de pagina van de wijk."
                )
            )
            return redirect(url_for("stories.mine"))
        except services.StoryError as exc:
            db.session.rollback()
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None:
                target.errors = [*target.errors, str(exc)]
            else:
                form.form_errors.append(str(exc))
    return _render_form(procurement, form, 422)


@bp.get("/verhalen/mijn")
@rule("login")
def mine():
    return render_template(
        "stories/mine.html", stories=services.stories_of(current_user), form=WithdrawStoryForm()
    )


@bp.post("/verhalen/<int:story_id>/intrekken")
@rule("login")
def withdraw(story_id: int):
    story = services.story_by_id(story_id)
    form = WithdrawStoryForm()
    if story is None or story.author_id != current_user.id:
        abort(404)  # someone else's story: as if it did not exist
    if not form.validate_on_submit():
        abort(400)
    procurement = story.procurement
    services.withdraw(actor=current_user, story=story)
    db.session.commit()
    place = procurement.neighbourhood.slug
    pagecache.forget_paths(
        current_app,
        # The edge cache is keyed by PATH_INFO, without the script root.
        url_for("publication.procurement", slug=place, procurement_id=procurement.id).removeprefix(
            request.script_root
        ),
        url_for("stories.neighbourhood", slug=place).removeprefix(request.script_root),
    )
    flash(_("Uw verhaal is ingetrokken. Het staat nergens meer en de foto is gewist."))
    return redirect(url_for("stories.mine"))


@bp.get("/beheer/verhalen")
@rule("moderator")
def moderate():
    return _render_moderation(ModerateStoryForm())


def _render_moderation(form, failed_id=None, status=200):
    return render_template(
        "stories/moderate.html",
        form=form,
        failed_id=failed_id,
        pending=services.pending(),
        handled=services.handled(),
    ), status


@bp.post("/beheer/verhalen/<int:story_id>")
@rule("moderator")
def moderate_post(story_id: int):
    story = services.story_by_id(story_id)
    if story is None:
        abort(404)
    form = ModerateStoryForm()
    choice = form.decision.data
    if choice not in ("approve", "reject"):
        abort(400)
    if form.validate_on_submit():
        try:
            services.moderate(
                actor=current_user, story=story, approve=choice == "approve", reason=form.reason.data or ""
            )
            db.session.commit()
            flash(
                _("Het verhaal staat nu op de openbare pagina's.")
                if choice == "approve"
                else _("Het verhaal wordt niet getoond. De schrijver leest waarom.")
            )
            return redirect(url_for("stories.moderate"))
        except services.StoryError as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(exc)]
    return _render_moderation(form, failed_id=story.id, status=422)


@bp.get("/wijk/<slug>/verhalen")
@rule("public")
def neighbourhood(slug: str):
    place = neighbourhood_by_slug(slug)
    if place is None:
        abort(404)
    return render_template(
        "stories/neighbourhood.html",
        place=place,
        groups=services.neighbourhood_stories(place),
        teller=services.teller,
    )


@bp.get("/verhalen/<int:story_id>/foto.jpg")
@rule("public")
def photo(story_id: int):
    story = services.story_by_id(story_id)
    if story is None or not services.may_see_photo(current_user, story):
        abort(404)
    try:
        data = services.photo_bytes(story)
    except storage.FileMissing:
        abort(404)
    response = Response(data, mimetype=services.JPEG)
    # Revalidated every time: a withdrawn photo must not live on in a cache.
    response.headers["Cache-Control"] = "no-cache" if story.status == "approved" else "private, no-store"
    response.set_etag(f"story-{story.id}-{len(data)}")
    return response.make_conditional(request)
