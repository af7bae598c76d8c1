"""The story bank: adding a story, moderating it, withdrawing it, and the public lists.

Every function flushes but does not commit, and writes its audit event in the same transaction.
Each event names the story's procurement, so the procurement's cached public page (its version is
the procurement's last audit event, ``committee/pagecache.py``) is rendered again at once when a
story appears there or is withdrawn. Audit details never hold what people typed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from committee.audit import services as audit
from committee.auth.models import Role
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.monitoring import services as monitoring
from committee.monitoring.models import SignalStatus
from committee.offers import storage
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.stories import photo as photos
from committee.stories.models import PhotoPeople, Story, StoryStatus
from committee.timeutil import utcnow

JPEG = "image/jpeg"
TITLE_MAX, BODY_MAX, ALT_MAX, REASON_MAX = 120, 2000, 300, 1000

PHOTO_REASONS = {
    "empty": _l("Het bestand is leeg. Kies een foto."),
    "too_big": _l("De foto is te groot. Kies een foto van hoogstens %(mb)d MB."),
    "not_a_photo": _l("Dit is geen foto die we kunnen tonen. Kies een JPEG- of PNG-foto."),
    "too_many_pixels": _l("De foto heeft te veel beeldpunten. Maak hem kleiner en probeer het opnieuw."),
    "broken": _l("De foto is beschadigd of niet te lezen. Kies een andere foto."),
}


class StoryError(ProcessError):
    """The story cannot be handled as asked; ``field`` names the form field it is about, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def accepts_stories(procurement) -> bool:
    """Stories tell what the work brought: from the published decision on, as signals do."""
    return policy.decision_public(procurement)


def add_story(
    *,
    author,
    procurement,
    title: str,
    body: str,
    consent: bool,
    photo: bytes | None = None,
    photo_alt: str = "",
    photo_people: str | None = None,
    limits: photos.PhotoLimits = photos.DEFAULT_LIMITS,
) -> Story:
    """A story waiting for the moderator. A photo is checked by content and stored re-encoded,
    without its metadata; with a photo, its description and who is on it are required."""
    if not accepts_stories(procurement):
        raise StoryError(_("Verhalen kunnen pas worden verteld als het besluit is gepubliceerd."))
    if not consent:
        raise StoryError(_("Geef toestemming om het verhaal te tonen."), "consent")
    title, body, photo_alt = title.strip(), body.strip(), (photo_alt or "").strip()
    if not title or not body:
        raise StoryError(_("Vul een titel en uw verhaal in."))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX or len(photo_alt) > ALT_MAX:
        raise StoryError(_("Uw verhaal is te lang."))
    people = None
    name = None
    if photo:
        if not photo_alt:
            raise StoryError(_("Beschrijf in een paar woorden wat er op de foto staat."), "photo_alt")
        if photo_people not in {p.value for p in PhotoPeople}:
            raise StoryError(
                _("Zeg of er herkenbare mensen op de foto staan, en of zij het goed vinden."), "photo_people"
            )
        people = PhotoPeople(photo_people)
        try:
            cleaned = photos.clean(photo, limits)
        except photos.PhotoRefused as refused:
            message = PHOTO_REASONS[refused.reason]
            raise StoryError(str(message) % {"mb": limits.max_bytes // (1024 * 1024)}, "photo") from None
        name = storage.put(cleaned, JPEG, photo_name())
    story = Story(
        procurement_id=procurement.id,
        author_id=author.id,
        title=title,
        body=body,
        photo_name=name,
        photo_alt=photo_alt if name else None,
        photo_people=people,
        consented_at=utcnow(),
    )
    db.session.add(story)
    db.session.flush()
    audit.record(
        "story.add", actor=author, obj=story, procurement_id=procurement.id, details={"photo": bool(name)}
    )
    return story


def photo_name() -> str:
    return storage.new_name().removesuffix(".pdf") + ".jpg"


def moderate(*, actor, story: Story, approve: bool, reason: str = "") -> None:
    """Approve the story for the public pages, or reject it with a reason the author reads."""
    if story.status not in (StoryStatus.PENDING, StoryStatus.APPROVED, StoryStatus.REJECTED):
        raise StoryError(_("Dit verhaal is ingetrokken."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise StoryError(
            _("Schrijf op waarom het verhaal niet wordt getoond. De schrijver leest het."), "reason"
        )
    if len(reason) > REASON_MAX:
        raise StoryError(_("Gebruik hoogstens %(max)d tekens.", max=REASON_MAX), "reason")
    story.status = StoryStatus.APPROVED if approve else StoryStatus.REJECTED
    story.rejection_reason = None if approve else reason
    story.moderated_at = utcnow()
    story.moderated_by_id = actor.id
    db.session.flush()
    audit.record(
        "story.approve" if approve else "story.reject",
        actor=actor,
        obj=story,
        procurement_id=story.procurement_id,
    )


def withdraw(*, actor, story: Story) -> None:
    """The author takes the story back: off every page at once, text and photo deleted.

    Only the author may; anyone else is refused (the view answers 404)."""
    if actor is None or story.author_id != actor.id:
        raise PermissionError("only the author withdraws a story")
    if story.status == StoryStatus.WITHDRAWN:
        return
    storage.delete(story.photo_name)
    story.photo_name = None
    story.photo_alt = None
    story.photo_people = None
    story.title = ""
    story.body = ""
    story.rejection_reason = None
    story.status = StoryStatus.WITHDRAWN
    story.withdrawn_at = utcnow()
    db.session.flush()
    audit.record("story.withdraw", actor=actor, obj=story, procurement_id=story.procurement_id)


# --- reading ------------------------------------------------------------------------------------


def approved_in(procurement) -> list[Story]:
    return db.session.scalars(
        sa.select(Story)
        .where(Story.procurement_id == procurement.id, Story.status == StoryStatus.APPROVED)
        .order_by(Story.moderated_at.desc(), Story.id.desc())
    ).all()


def stories_of(user) -> list[Story]:
    return db.session.scalars(
        sa.select(Story).where(Story.author_id == user.id).order_by(Story.id.desc())
    ).all()


def pending() -> list[Story]:
    return db.session.scalars(
        sa.select(Story).where(Story.status == StoryStatus.PENDING).order_by(Story.id)
    ).all()


def handled(limit: int = 30) -> list[Story]:
    return db.session.scalars(
        sa.select(Story)
        .where(Story.status.in_((StoryStatus.APPROVED, StoryStatus.REJECTED)))
        .order_by(Story.moderated_at.desc(), Story.id.desc())
        .limit(limit)
    ).all()


def story_by_id(story_id: int) -> Story | None:
    return db.session.get(Story, story_id)


def may_see_photo(viewer, story: Story) -> bool:
    """An approved story's photo is public; otherwise only its author and the moderator see it
    (a withdrawn story has no photo any more)."""
    if story.photo_name is None:
        return False
    if story.status == StoryStatus.APPROVED:
        return True
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.id == story.author_id or viewer.role == Role.MODERATOR


def photo_bytes(story: Story) -> bytes:
    return storage.get(story.photo_name)


def teller(story: Story) -> str:
    """Who told the story, as the public page says it: a role, never a person's name."""
    author = story.author
    if author.role == Role.MODERATOR:
        return _("de gemeente")
    if author.role == Role.BIDDER:
        if author.organisation is not None:
            return _("aanbieder %(name)s", name=author.organisation.name)
        return _("een aanbieder")
    return _("een bewoner")


@dataclass
class Figures:
    """What the monitoring counted for one procurement, beside its stories."""

    signals_shown: int = 0
    signals_answered: int = 0
    signals_received: int = 0
    quarters: list = field(default_factory=list)


def figures(procurement) -> Figures:
    """The residents' signals after the award (committee/monitoring), summed over the quarters."""
    quarters = monitoring.quarterly_summary(procurement)
    return Figures(
        signals_shown=sum(q.shown for q in quarters),
        signals_answered=sum(q.answered for q in quarters),
        signals_received=sum(q.received for q in quarters),
        quarters=quarters,
    )


@dataclass
class ProcurementStories:
    procurement: Procurement
    stories: list[Story]
    figures: Figures
    signals: list


def neighbourhood_stories(place) -> list[ProcurementStories]:
    """Per procurement of this neighbourhood with approved stories (newest story first): its
    stories, its monitoring figures and its latest shown signals."""
    rows = db.session.scalars(
        sa.select(Story)
        .join(Procurement, Procurement.id == Story.procurement_id)
        .where(Procurement.neighbourhood_id == place.id, Story.status == StoryStatus.APPROVED)
        .order_by(Story.moderated_at.desc(), Story.id.desc())
    ).all()
    grouped: dict[int, ProcurementStories] = {}
    for story in rows:
        procurement = story.procurement
        if not accepts_stories(procurement):
            continue
        if procurement.id not in grouped:
            grouped[procurement.id] = ProcurementStories(
                procurement,
                [],
                figures(procurement),
                monitoring.signals(procurement, SignalStatus.SHOWN)[:3],
            )
        grouped[procurement.id].stories.append(story)
    return list(grouped.values())


# --- privacy (committee/privacy) ----------------------------------------------------------------


def export_of(user) -> list[dict]:
    """The person's stories for their data export, photos included (base64)."""
    out = []
    for story in stories_of(user):
        data = {
            "id": story.id,
            "procurement_id": story.procurement_id,
            "title": story.title,
            "text": story.body,
            "status": story.status.value,
            "consented_at": _when(story.consented_at),
            "created_at": _when(story.created_at),
            "moderated_at": _when(story.moderated_at),
            "rejection_reason": story.rejection_reason,
            "withdrawn_at": _when(story.withdrawn_at),
            "photo_description": story.photo_alt,
            "photo_people": story.photo_people.value if story.photo_people else None,
            "photo_jpeg_base64": None,
        }
        if story.photo_name:
            try:
                data["photo_jpeg_base64"] = base64.b64encode(storage.get(story.photo_name)).decode()
            except storage.FileMissing:
                pass
        out.append(data)
    return out


def erase_of(user) -> int:
    """Delete every story of this person with its photo (erasure on request); returns how many."""
    stories = stories_of(user)
    storage.delete(*(s.photo_name for s in stories))
    for story in stories:
        db.session.delete(story)
    db.session.flush()
    return len(stories)


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None
