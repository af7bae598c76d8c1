"""The bidder's side: organisations and coalitions, the call, questions, offers and annexes.

Every function flushes but does not commit, and writes its audit event in the same transaction.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _

from committee import jobs, sqljson
from committee.audit import services as audit
from committee.extensions import db
from committee.offers import anonymise, pdf
from committee.offers import jobs as offer_jobs
from committee.offers.models import (
    Annex,
    AnnexPage,
    AnnexStatus,
    Call,
    Contact,
    ManualRedaction,
    Offer,
    OfferName,
    OfferNameKind,
    OfferStatus,
    Organisation,
    OrganisationKind,
    Partner,
    Question,
    name_key,
)
from committee.offers.storage import Storage, current_storage
from committee.panel import house_rules
from committee.procurement import policy
from committee.procurement.phases import Phase
from committee.text import web_address
from committee.timeutil import utcnow


class OfferError(Exception):
    """The offer cannot be saved as asked; the message is for the bidder, in plain Dutch."""


# Hooks for the kinds of procurement that add to an offer (a coalition challenge: the parties
# that accepted the lead's invitation, ``coalitions/services.py``). Each gets the offer (the
# procurement and actor for ``submit_checks``); this module imports none of them.
name_sources: list = []  # offer -> [(OfferNameKind, name)]: more names to freeze at the close
identifier_sources: list = []  # offer -> [str]: more words the anonymisation hides
submit_checks: list = []  # (actor, procurement) -> a refusal in plain Dutch, or None


DEFAULT_HOUSE_RULES = (
    "Alle vragen over deze uitvraag stelt u via deze pagina. De antwoorden verschijnen voor "
    "iedereen tegelijk in de nota van inlichtingen, zonder te zeggen wie de vraag stelde.\n"
    "U benadert de leden van de selectiecommissie niet op eigen initiatief. Wie er in de "
    "commissie zit, maken wij niet bekend.\n"
    "De commissie leest uw aanbod zonder uw naam. Zet daarom geen namen, logo's, website, "
    "e-mailadres of telefoonnummer in uw aanbod of bijlagen.\n"
    "Presenteert u zich later aan de commissie, kom dan met de mensen die echt in de wijk gaan "
    "werken."
)

REFUSALS = {
    "not_pdf": lambda: _("Dit bestand is geen PDF. Sla uw document op als PDF en probeer het opnieuw."),
    "encrypted": lambda: _(
        "Deze PDF is beveiligd met een wachtwoord. Haal de beveiliging eraf en probeer het opnieuw."
    ),
    "unreadable": lambda: _(
        "Deze PDF konden we niet lezen. Sla hem opnieuw op als PDF en probeer het nog eens."
    ),
    "timeout": lambda: _(
        "Het verwerken van deze PDF duurde te lang. Maak het bestand kleiner of "
        "eenvoudiger en probeer het opnieuw."
    ),
}


CHECK_FAILED = lambda: _(  # noqa: E731
    "Controleren lukte niet. Probeer het bestand opnieuw te uploaden."
)


def annex_message(annex: Annex, max_pages: int | None = None) -> str:
    """What the bidder reads about an annex that could not be used (empty for one that can)."""
    if annex.status == AnnexStatus.FAILED:
        return CHECK_FAILED()
    if annex.status != AnnexStatus.REFUSED:
        return ""
    if annex.refusal == "too_many_pages":
        return _(
            "Deze PDF heeft %(pages)d pagina's; hoogstens %(max)d mag.",
            pages=annex.refusal_pages or 0,
            max=max_pages or current_storage().limits.max_pages,
        )
    return REFUSALS.get(annex.refusal or "", REFUSALS["unreadable"])()


# Organisations and coalitions ---------------------------------------------------------------


def _website(value: str | None) -> str | None:
    """A website to store: empty, or http(s) only (the forms say so beside the field first)."""
    if not (value or "").strip():
        return None
    address = web_address(value)
    if address is None:
        raise OfferError(
            _("Een webadres begint met https:// of http://, bijvoorbeeld https://www.uwsite.nl.")
        )
    return address


def create_organisation(
    *,
    name: str,
    kvk_number: str | None,
    website: str | None,
    kind: OrganisationKind = OrganisationKind.ORGANISATION,
    lead_name: str | None = None,
) -> Organisation:
    """A new bidder. A coalition may name its lead party (penvoerder) at once."""
    organisation = Organisation(
        name=name.strip(),
        kvk_number=kvk_number or None,
        website=_website(website),
        kind=kind,
    )
    db.session.add(organisation)
    if kind == OrganisationKind.COALITION and lead_name and lead_name.strip():
        organisation.partners.append(Partner(name=lead_name.strip(), is_lead=True))
    db.session.flush()
    return organisation


def update_organisation(
    *,
    actor,
    organisation: Organisation,
    name: str,
    kind: OrganisationKind,
    kvk_number: str | None,
    website: str | None,
    other_identifiers: str,
) -> None:
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.kvk_number = kvk_number or None
    organisation.website = _website(website)
    lines = [line.strip() for line in other_identifiers.splitlines()]
    organisation.other_identifiers = "\n".join(line for line in lines if line)
    db.session.flush()
    audit.record("organisation.update", actor=actor, obj=organisation)


def add_partner(
    *,
    actor,
    organisation: Organisation,
    name: str,
    kvk_number: str | None,
    website: str | None,
    is_lead: bool,
) -> Partner:
    """Add a partner to a coalition; a new lead party (penvoerder) replaces the old one."""
    name = name.strip()
    if any(p.name.casefold() == name.casefold() for p in organisation.partners):
        raise OfferError(_("Deze partner staat er al bij."))
    if is_lead:
        for partner in organisation.partners:
            partner.is_lead = False
        db.session.flush()  # the database allows one lead per coalition
    partner = Partner(
        name=name,
        kvk_number=kvk_number or None,
        website=_website(website),
        is_lead=is_lead,
    )
    organisation.partners.append(partner)
    if organisation.kind != OrganisationKind.COALITION:
        organisation.kind = OrganisationKind.COALITION
    db.session.flush()
    audit.record("organisation.partner_add", actor=actor, obj=partner, details={"lead": is_lead})
    return partner


def remove_partner(*, actor, organisation: Organisation, partner_id: int) -> None:
    partner = next((p for p in organisation.partners if p.id == partner_id), None)
    if partner is None:
        raise OfferError(_("Deze partner bestaat niet (meer)."))
    organisation.partners.remove(partner)
    db.session.flush()
    audit.record("organisation.partner_remove", actor=actor, obj=organisation)


def add_contact(
    *, actor, organisation: Organisation, name: str, email: str | None, phone: str | None
) -> Contact:
    contact = Contact(
        name=name.strip(), email=(email or "").strip() or None, phone=(phone or "").strip() or None
    )
    organisation.contacts.append(contact)
    db.session.flush()
    audit.record("organisation.contact_add", actor=actor, obj=contact)
    return contact


def remove_contact(*, actor, organisation: Organisation, contact_id: int) -> None:
    contact = next((c for c in organisation.contacts if c.id == contact_id), None)
    if contact is None:
        raise OfferError(_("Deze contactpersoon bestaat niet (meer)."))
    organisation.contacts.remove(contact)
    db.session.flush()
    audit.record("organisation.contact_remove", actor=actor, obj=organisation)


def declared_identifiers(organisation: Organisation, extra: list[str] | None = None) -> list[str]:
    """Everything the bidder told us about itself, plus ``extra`` words to hide."""
    people = [user.name for user in organisation.users] + [user.email or "" for user in organisation.users]
    return anonymise.identifiers_for(organisation, people, extra or [])


def identifiers_of(offer: Offer) -> list[str]:
    """The bidder's declared identifiers plus the moderator's extra words for this offer.

    Read in one query (``_identifier_rows``) rather than through six relationships: a member's
    scoring page asks this on every visit. The rule itself stays ``declared_identifiers``, which
    gets the same organisation, partners, contacts and people the relationships would give.
    """
    db.session.flush()  # the query below goes straight to the connection, past the autoflush
    rows = db.session.connection().execute(
        _identifier_rows(), {"offer_id": offer.id, "organisation_id": offer.organisation_id}
    )
    organisation = SimpleNamespace(name="", kvk_number=None, website=None, other_identifiers="")
    organisation.partners, organisation.contacts = [], []
    users, extra = [], []
    for source, a, b, c, d in rows:
        if source == "organisation":
            organisation.name, organisation.kvk_number, organisation.website = a, b, c
            organisation.other_identifiers = d or ""
        elif source == "partner":
            organisation.partners.append(SimpleNamespace(name=a, kvk_number=b, website=c))
        elif source == "contact":
            organisation.contacts.append(SimpleNamespace(name=a, email=b, phone=c))
        elif source == "user":
            users.append(SimpleNamespace(name=a, email=b))
        elif source == "manual":
            extra.append(a)
        elif source == "alias":  # a name the bidder went by when offers closed, as written
            extra.append(a)
        elif source == "name":  # stays hidden after a rename, with and without its legal form
            extra += anonymise.name_variants(a)
    for source in identifier_sources:
        extra += source(offer)
    return declared_identifiers(SimpleNamespace(**vars(organisation), users=users), extra)


@functools.cache
def _identifier_rows() -> sa.CompoundSelect:
    """Everything ``identifiers_of`` needs, one row per source: (source, up to four texts).
    Built once; only the offer's and the organisation's ids change."""
    from committee.auth.models import User

    def row(source, *columns):
        texts = [sa.cast(column, sa.Text) for column in columns]
        texts += [sa.cast(sa.null(), sa.Text)] * (4 - len(texts))
        return sa.select(sa.cast(sa.literal(source), sa.Text), *texts)

    organisation_id, offer_id = sa.bindparam("organisation_id"), sa.bindparam("offer_id")
    kind = sa.case((OfferName.kind == OfferNameKind.ALIAS, "alias"), else_="name")
    return sa.union_all(
        row(
            "organisation",
            Organisation.name,
            Organisation.kvk_number,
            Organisation.website,
            Organisation.other_identifiers,
        ).where(Organisation.id == organisation_id),
        row("partner", Partner.name, Partner.kvk_number, Partner.website).where(
            Partner.organisation_id == organisation_id
        ),
        row("contact", Contact.name, Contact.email, Contact.phone).where(
            Contact.organisation_id == organisation_id
        ),
        row("user", User.name, User.email).where(User.organisation_id == organisation_id),
        row("manual", ManualRedaction.phrase).where(ManualRedaction.offer_id == offer_id),
        sa.select(
            sa.cast(kind, sa.Text), sa.cast(OfferName.name, sa.Text), *[sa.cast(sa.null(), sa.Text)] * 3
        ).where(OfferName.offer_id == offer_id),
    )


# The call and its questions -----------------------------------------------------------------


def open_calls():
    """Procurements that accept offers now, for the bidder's overview."""
    from committee.procurement.models import Procurement

    return db.session.scalars(
        sa.select(Procurement).where(Procurement.phase == Phase.OFFERS_OPEN).order_by(Procurement.id)
    ).all()


def call_of(procurement) -> Call:
    """The call's details; a fresh, unsaved one with the default house rules if none was saved."""
    call = db.session.scalar(sa.select(Call).where(Call.procurement_id == procurement.id))
    return call or Call(procurement_id=procurement.id, needs="", house_rules=DEFAULT_HOUSE_RULES)


def save_call(*, actor, procurement, needs: str, house_rules: str, questions_until: date | None) -> Call:
    if procurement.phase.at_or_after(Phase.ANONYMISATION):
        raise OfferError(_("De uitvraag ligt vast zodra het indienen gesloten is."))
    deadline = policy.offer_deadline(procurement)
    if questions_until and deadline and questions_until > deadline:
        raise OfferError(_("Vragen stellen moet eindigen vóór of op de laatste dag van indienen."))
    call = call_of(procurement)
    call.needs, call.house_rules = needs.strip(), house_rules.strip()
    call.questions_until = questions_until
    db.session.add(call)
    db.session.flush()
    audit.record("call.update", actor=actor, obj=call, procurement_id=procurement.id)
    return call


def ask_question(*, actor, procurement, body: str, today: date, route: str = house_rules.NOTA) -> Question:
    """A bidder's question, until the question deadline. Nobody else sees it until it is answered
    and published, and then without the asker's name.

    ``route`` says where it goes: the nota van inlichtingen (always), or to the committee through
    the municipality ("via_municipality": a message the moderator passes on; "meeting": a request
    to talk at a meeting the municipality organises), only when the committee's house rule opens
    that route (at least one member chose it). The bidder never learns which members, nor gets a
    way to reach them: the moderator passes it on, and answers go into the nota for everyone."""
    if not policy.accepts_questions(procurement, call_of(procurement).questions_until, today):
        raise OfferError(_("Vragen stellen kan niet meer: de termijn is voorbij."))
    if route != house_rules.NOTA and route not in house_rules.ROUTES:
        raise OfferError(_("Kies waar uw vraag voor is."))
    if route != house_rules.NOTA and not house_rules.house_rule(procurement).route_open(route):
        raise OfferError(
            _(
                "De commissie wil zo geen vragen van aanbieders krijgen. Stel uw vraag aan de gemeente, "
                "voor de nota van inlichtingen."
            )
        )
    question = Question(
        procurement_id=procurement.id,
        organisation_id=actor.organisation_id,
        asked_by_id=actor.id,
        body=body.strip(),
        route=route,
    )
    organisation = db.session.get(Organisation, actor.organisation_id)
    # A first proposal for the published wording, without the asker's declared names.
    question.public_question = anonymise.redact(question.body, declared_identifiers(organisation))
    db.session.add(question)
    db.session.flush()
    audit.record(
        "question.ask", actor=actor, obj=question, procurement_id=procurement.id, details={"route": route}
    )
    return question


def questions_of(organisation_id: int, procurement_id: int) -> list[Question]:
    return db.session.scalars(
        sa.select(Question)
        .where(Question.organisation_id == organisation_id, Question.procurement_id == procurement_id)
        .order_by(Question.id)
    ).all()


def all_questions(procurement) -> list[Question]:
    return db.session.scalars(
        sa.select(Question).where(Question.procurement_id == procurement.id).order_by(Question.id)
    ).all()


def published_notes(procurement) -> list[tuple[int, object, list[Question]]]:
    """The nota's of inlichtingen: (number, published at, questions) in order of publication."""
    rows = db.session.scalars(
        sa.select(Question)
        .where(Question.procurement_id == procurement.id, Question.published_at.is_not(None))
        .order_by(Question.published_at, Question.id)
    ).all()
    notes: list[tuple[int, object, list[Question]]] = []
    for question in rows:
        if not notes or notes[-1][1] != question.published_at:
            notes.append((len(notes) + 1, question.published_at, []))
        notes[-1][2].append(question)
    return notes


def answer_question(*, actor, question: Question, public_question: str, answer: str) -> None:
    if question.published_at is not None:
        raise OfferError(_("Deze vraag is al gepubliceerd en kan niet meer worden gewijzigd."))
    question.public_question = public_question.strip()
    question.answer = answer.strip()
    question.answered_at = utcnow() if question.answer else None
    question.answered_by_id = getattr(actor, "id", None) if question.answer else None
    db.session.flush()
    audit.record("question.answer", actor=actor, obj=question, procurement_id=question.procurement_id)


def publish_answers(*, actor, procurement) -> list[Question]:
    """Publish every answered, unpublished question at one moment: one nota van inlichtingen."""
    ready = [
        q for q in all_questions(procurement) if q.published_at is None and q.answer and q.public_question
    ]
    if not ready:
        raise OfferError(_("Er zijn geen beantwoorde vragen om te publiceren."))
    now = utcnow()
    for question in ready:
        question.published_at = now
    db.session.flush()
    audit.record(
        "questions.publish",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={"questions": len(ready)},
    )
    return ready


def bidders_to_notify(procurement) -> list:
    """Bidders with an offer or a question in this procurement, who have an e-mail address."""
    from committee.auth.models import User

    organisation_ids = set(
        db.session.scalars(sa.select(Offer.organisation_id).where(Offer.procurement_id == procurement.id))
    ) | set(
        db.session.scalars(
            sa.select(Question.organisation_id).where(Question.procurement_id == procurement.id)
        )
    )
    if not organisation_ids:
        return []
    return db.session.scalars(
        sa.select(User)
        .where(User.organisation_id.in_(organisation_ids), User.email.is_not(None))
        .order_by(User.id)
    ).all()


# Offers ---------------------------------------------------------------------------------------


def offer_of(organisation_id: int, procurement_id: int) -> Offer | None:
    return db.session.scalar(
        sa.select(Offer).where(
            Offer.organisation_id == organisation_id, Offer.procurement_id == procurement_id
        )
    )


def offers_of(organisation_id: int) -> list[Offer]:
    return db.session.scalars(
        sa.select(Offer).where(Offer.organisation_id == organisation_id).order_by(Offer.id)
    ).all()


def _offer_for_change(actor, procurement, today: date) -> Offer:
    if policy.ended(procurement):
        raise OfferError(_("Deze aanbesteding is beëindigd: u kunt geen aanbod meer indienen."))
    if not policy.accepts_offers(procurement, today):
        raise OfferError(_("De termijn om aanbod in te dienen is voorbij."))
    offer = offer_of(actor.organisation_id, procurement.id)
    if offer is None:
        offer = Offer(procurement=procurement, organisation_id=actor.organisation_id)
        db.session.add(offer)
    return offer


def save_offer(
    *,
    actor,
    procurement,
    plan: str,
    team: str,
    results: str,
    budget_asked: int | None,
    submit: bool,
    today: date,
) -> Offer:
    """Save the bidder's offer as a draft, or submit it. Both are refused after the deadline.

    Once submitted, a change counts only when it is submitted again (with a new receipt): a
    submitted offer is never silently turned back into a draft.
    """
    offer = _offer_for_change(actor, procurement, today)
    if budget_asked is not None and budget_asked > procurement.budget_ceiling:
        raise OfferError(_("Het gevraagde budget is hoger dan het maximum van de gemeente."))
    if offer.status == OfferStatus.SUBMITTED and not submit:
        raise OfferError(
            _("Uw aanbod is al ingediend. Kies ‘Wijziging indienen’ om een wijziging mee te laten tellen.")
        )
    offer.plan, offer.team, offer.results = plan.strip(), team.strip(), results.strip()
    offer.budget_asked = budget_asked
    if submit:
        missing = [
            label
            for label, value in (
                (_("het plan"), offer.plan),
                (_("het team"), offer.team),
                (_("hoe resultaten zichtbaar worden"), offer.results),
            )
            if not value
        ]
        if budget_asked is None:
            missing.append(_("het gevraagde budget"))
        if missing:
            raise OfferError(_("Vul nog in: %(missing)s.", missing=", ".join(missing)))
        pending = [a.position for a in offer.annexes if a.pending]
        if pending:
            raise OfferError(
                _(
                    "Wij zijn bijlage %(n)d nog aan het controleren. Wacht even en dien daarna uw aanbod in.",
                    n=pending[0],
                )
            )
        unusable = [a.position for a in offer.annexes if a.status != AnnexStatus.OK]
        if unusable:
            raise OfferError(_("Bijlage %(n)d kunnen we niet gebruiken. Verwijder die eerst.", n=unusable[0]))
        organisation = db.session.get(Organisation, actor.organisation_id)
        if organisation.kind == OrganisationKind.COALITION and organisation.lead_partner is None:
            raise OfferError(_("Kies eerst bij ‘Uw organisatie’ welke partner de penvoerder is."))
        for check in submit_checks:
            refusal = check(actor, procurement)
            if refusal:
                raise OfferError(refusal)
        offer.status = OfferStatus.SUBMITTED
        offer.submitted_at = utcnow()
    db.session.flush()
    audit.record(
        "offer.submit" if submit else "offer.draft",
        actor=actor,
        obj=offer,
        procurement_id=procurement.id,
    )
    return offer


def add_annex(
    *, actor, procurement, data: bytes, filename: str, today: date, storage: Storage | None = None
) -> Annex:
    """Keep an uploaded PDF annex, to be checked (rebuilt, see ``pdf_worker``) on the job queue.

    Refused at once after the deadline, beyond the size or number limits, and for anything that
    does not start like a PDF; the page limit and everything else are checked by the job
    (``offers/jobs.py``), and the annex shows "bezig met controleren" until then. A change to a
    submitted offer counts as submitted again, at once.
    """
    storage = storage or current_storage()
    offer = _offer_for_change(actor, procurement, today)
    if len(offer.annexes) >= storage.max_count:
        raise OfferError(_("U kunt hoogstens %(n)d bijlagen toevoegen.", n=storage.max_count))
    if not data:
        raise OfferError(_("Kies een PDF-bestand."))
    if len(data) > storage.max_bytes:
        raise OfferError(
            _(
                "Dit bestand is te groot: hoogstens %(mb)d MB.",
                mb=storage.max_bytes // (1024 * 1024),
            )
        )
    if not pdf.looks_like_pdf(data):
        raise OfferError(REFUSALS["not_pdf"]())
    original = storage.put(data)  # in this transaction: gone again if the upload rolls back
    position = max((a.position for a in offer.annexes), default=0) + 1
    annex = Annex(
        position=position,
        # Shown to the bidder and moderator as typed, less control characters (PostgreSQL refuses NUL).
        original_name=("".join(c for c in filename or "" if c.isprintable()).strip() or "bijlage.pdf")[-255:],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=0,
        original_file=original,
        clean_file=storage.new_name(),  # stored under this key by the check (offers/jobs.py)
        status=AnnexStatus.QUEUED,
        queued_at=utcnow(),
    )
    offer.annexes.append(annex)
    if offer.status == OfferStatus.SUBMITTED:
        offer.submitted_at = utcnow()
    db.session.flush()
    audit.record(
        "annex.upload",
        actor=actor,
        obj=annex,
        procurement_id=procurement.id,
        details={"sha256": annex.sha256},
    )
    # The web process never rebuilds: a consumer does, once this upload is committed.
    jobs.enqueue_after_commit(offer_jobs.rebuild_annex, annex.id)
    return annex


def remove_annex(*, actor, procurement, annex_id: int, today: date, storage: Storage | None = None) -> None:
    storage = storage or current_storage()
    offer = _offer_for_change(actor, procurement, today)
    annex = next((a for a in offer.annexes if a.id == annex_id), None)
    if annex is None:
        raise OfferError(_("Deze bijlage bestaat niet (meer)."))
    files = (annex.original_file, annex.clean_file, annex.member_file)
    offer.annexes.remove(annex)
    if offer.status == OfferStatus.SUBMITTED:
        offer.submitted_at = utcnow()
    db.session.flush()
    storage.delete(*files)  # gone once this commits, with the row
    audit.record("annex.remove", actor=actor, obj=offer, procurement_id=procurement.id)


def names_of(organisation: Organisation) -> list[tuple[OfferNameKind, str]]:
    """Every name a bidder goes by: its own, each coalition partner's (the lead party first) and
    each other name it declared (``other_identifiers``, one per line), in that order."""
    partners = sorted(organisation.partners, key=lambda p: (not p.is_lead, p.id))
    return [
        (OfferNameKind.ORGANISATION, organisation.name),
        *((OfferNameKind.PARTNER, p.name) for p in partners),
        *((OfferNameKind.ALIAS, line) for line in (organisation.other_identifiers or "").splitlines()),
    ]


def freeze_names(procurement) -> int:
    """Keep, for every submitted offer, the names its bidder goes by now (called when offers
    close): members declare their connections from these, and a later rename changes neither
    that list nor the recusals. Each name once per offer; returns how many were kept."""
    kept = 0
    for offer in procurement.offers:
        if offer.status != OfferStatus.SUBMITTED or offer.names:
            continue
        seen = set()
        extra = [found for source in name_sources for found in source(offer)]
        for kind, name in names_of(offer.organisation) + extra:
            name = " ".join(name.split())[:200]
            key = name_key(name)
            if key and key not in seen:
                seen.add(key)
                offer.names.append(OfferName(name=name, folded=key, kind=kind))
                kept += 1
    db.session.flush()
    return kept


def assign_pseudonyms(offers: list[Offer], rng=None) -> None:
    """Give the offers the labels A, B, C… in a random order that nobody can predict."""
    rng = rng or secrets.SystemRandom()
    shuffled = list(offers)
    rng.shuffle(shuffled)
    for offer, label in zip(shuffled, anonymise.pseudonym_letters(len(shuffled)), strict=True):
        offer.pseudonym = label
    db.session.flush()


def anonymised_view(offer: Offer) -> dict[str, str]:
    """The offer's text as a committee member may read it.

    That is the version the moderator approved, redacted once more with what the bidder declares
    today (so a name added later is hidden too). Without an approval, the automatic redaction.
    """
    identifiers = identifiers_of(offer)
    source = offer.review if offer.review and offer.review.approved_at else offer
    return {
        "plan": anonymise.redact(source.plan, identifiers),
        "team": anonymise.redact(source.team, identifiers),
        "results": anonymise.redact(source.results, identifiers),
    }


@dataclass(frozen=True)
class MemberAnnex:
    """One annex as a committee member may see it: its number (1, 2, …), whether its copy can
    be opened, how many pages it keeps and which were left out. Hashable, so a rendered list of
    them can be cached by what it shows (committee/fragments.py)."""

    number: int
    member_file: str | None
    pages: int
    left_out: tuple[int, ...]

    @property
    def available(self) -> bool:
        return self.member_file is not None


def member_annex_rows(offer_id) -> sa.ScalarSelect:
    """The annexes a member may see of offer ``offer_id`` (a number, a column or a parameter),
    with their pages' numbers and choices, as one JSON column (``sqljson.rows``), so the scoring
    page reads them with the offer. Never the pages' extracted text, which the ORM's
    ``annex.pages`` would load for every page of every annex."""
    return (
        sa.select(
            sqljson.rows(Annex.position, Annex.id, Annex.member_file, AnnexPage.number, AnnexPage.excluded)
        )
        .select_from(Annex)
        .outerjoin(AnnexPage, AnnexPage.annex_id == Annex.id)
        .where(Annex.offer_id == offer_id)
        .where(Annex.status == AnnexStatus.OK)  # a refused or failed upload never reaches members
        .scalar_subquery()
    )


@functools.cache
def _member_annexes_query() -> sa.Select:
    return sa.select(member_annex_rows(sa.bindparam("offer_id")))


def member_annexes(offer: Offer, rows=None) -> tuple[MemberAnnex, ...]:
    """The annexes a member may see, in order, numbered 1, 2, … (only once the offer's review is
    approved: before that, none). ``rows``: the offer's ``member_annex_rows`` if the caller read
    them with the offer; else they are read here."""
    if not (offer.review and offer.review.approved_at and offer.pseudonym):
        return ()
    if rows is None:
        rows = db.session.scalar(_member_annexes_query(), {"offer_id": offer.id})
    annexes: dict[int, tuple[str | None, list[int], list[int]]] = {}
    # In the annexes' order, each one's pages by number (an annex without pages has one row).
    ordered = sorted(sqljson.decoded(rows), key=lambda r: (r[0], r[1], -1 if r[3] is None else r[3]))
    for _position, annex_id, member_file, number, excluded in ordered:
        _file, kept, left_out = annexes.setdefault(annex_id, (member_file, [], []))
        if number is not None:
            (left_out if excluded else kept).append(number)
    return tuple(
        MemberAnnex(number=i, member_file=file, pages=len(kept), left_out=tuple(left_out))
        for i, (file, kept, left_out) in enumerate(annexes.values(), 1)
    )
