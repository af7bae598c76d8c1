"""The coalition form of a challenge: the list "Wie doet mee", messages between listed parties,
coalitions by invitation and acceptance, and what the offer, the public page and OCDS take from it.

Every function flushes but does not commit, and writes its audit event in the same transaction.
Audit details never hold what people typed (names, messages, reasons): only ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.coalitions.models import Coalition, CoalitionInvitation, InvitationStatus, ListEntry
from committee.extensions import db
from committee.mail import send_mail
from committee.offers import services as offers
from committee.offers.models import Offer, OfferNameKind, OfferStatus, Organisation
from committee.procurement import policy
from committee.procurement.models import Kind
from committee.timeutil import utcnow

MAX_NAME = 200
MAX_TEXT = 1500
MAX_MESSAGE = 2000
MAX_CONTACT = 300


class CoalitionError(Exception):
    """The step cannot be taken as asked; the message is for the party, in plain Dutch."""


class NotYours(CoalitionError):
    """The entry or invitation belongs to another party: the view answers 404."""


# --- when -------------------------------------------------------------------------------------


def is_coalition(procurement) -> bool:
    return procurement.kind == Kind.CHALLENGE_COALITION


def list_public(procurement) -> bool:
    """The list "Wie doet mee" is public with the call: from offers open on."""
    return is_coalition(procurement) and policy.call_public(procurement)


def list_open(procurement, today: date) -> bool:
    """Parties join the list, write to each other and form coalitions while offers are open;
    from the close on, the list, the coalitions and their members stand still."""
    return is_coalition(procurement) and policy.accepts_offers(procurement, today)


def _open_or_refuse(procurement, today: date) -> None:
    if not list_open(procurement, today):
        raise CoalitionError(
            _("Dit kan niet meer: de termijn van deze challenge is voorbij. De lijst ligt nu vast.")
        )


# --- the list -----------------------------------------------------------------------------------


def listed_entries(procurement) -> list[ListEntry]:
    """The public list: entries neither withdrawn nor hidden, oldest first."""
    return db.session.scalars(
        sa.select(ListEntry)
        .where(
            ListEntry.procurement_id == procurement.id,
            ListEntry.withdrawn_at.is_(None),
            ListEntry.hidden_at.is_(None),
        )
        .order_by(ListEntry.id)
    ).all()


def all_entries(procurement) -> list[ListEntry]:
    """Every entry, hidden and withdrawn ones too: the moderator's list."""
    return db.session.scalars(
        sa.select(ListEntry).where(ListEntry.procurement_id == procurement.id).order_by(ListEntry.id)
    ).all()


def entry_of(organisation_id: int | None, procurement) -> ListEntry | None:
    if organisation_id is None:
        return None
    return db.session.scalar(
        sa.select(ListEntry).where(
            ListEntry.procurement_id == procurement.id, ListEntry.organisation_id == organisation_id
        )
    )


def listed_entry(procurement, entry_id: int) -> ListEntry | None:
    entry = db.session.get(ListEntry, entry_id)
    if entry is None or entry.procurement_id != procurement.id or not entry.listed:
        return None
    return entry


def save_entry(*, actor, procurement, shown_name: str, brings: str, seeks: str, today: date) -> ListEntry:
    """Add the actor's organisation to the list, or change its entry (also one it withdrew:
    it comes back). An entry the moderator hid stays hidden."""
    _open_or_refuse(procurement, today)
    shown_name, brings, seeks = shown_name.strip(), brings.strip(), seeks.strip()
    if not shown_name:
        raise CoalitionError(_("Vul de naam in waaronder u op de lijst wilt staan."))
    if not brings and not seeks:
        raise CoalitionError(_("Vul in wat u meebrengt of wat u zoekt."))
    if len(shown_name) > MAX_NAME or len(brings) > MAX_TEXT or len(seeks) > MAX_TEXT:
        raise CoalitionError(_("Uw tekst is te lang. Maak hem korter."))
    entry = entry_of(actor.organisation_id, procurement)
    new = entry is None
    if new:
        entry = ListEntry(procurement_id=procurement.id, organisation_id=actor.organisation_id)
        db.session.add(entry)
    entry.shown_name, entry.brings, entry.seeks = shown_name, brings, seeks
    entry.withdrawn_at = None
    db.session.flush()
    audit.record(
        "coalition.entry_add" if new else "coalition.entry_edit",
        actor=actor,
        obj=entry,
        procurement_id=procurement.id,
    )
    return entry


def withdraw_entry(*, actor, procurement, today: date) -> ListEntry:
    """The owner takes its entry off the list. A party in a coalition leaves it first."""
    _open_or_refuse(procurement, today)
    entry = entry_of(actor.organisation_id, procurement)
    if entry is None or entry.withdrawn_at is not None:
        raise CoalitionError(_("U staat niet op de lijst."))
    if coalition_led_by(entry) is not None or membership_of(entry) is not None:
        raise CoalitionError(_("U zit in een coalitie. Stap daar eerst uit, of vraag de gemeente om hulp."))
    entry.withdrawn_at = utcnow()
    for invitation in _open_invitations_for(entry):
        invitation.status, invitation.answered_at = InvitationStatus.DECLINED, utcnow()
        invitation.answered_by_id = actor.id
    db.session.flush()
    audit.record("coalition.entry_withdraw", actor=actor, obj=entry, procurement_id=procurement.id)
    return entry


def hide_entry(*, actor, procurement, entry_id: int, reason: str) -> ListEntry:
    """The moderator hides an entry that breaks the rules; the reason is kept with it (and
    shown to nobody but the moderator), the step is in the audit log."""
    entry = db.session.get(ListEntry, entry_id)
    if entry is None or entry.procurement_id != procurement.id:
        raise NotYours(_("Deze inschrijving bestaat niet."))
    reason = reason.strip()
    if not reason:
        raise CoalitionError(_("Schrijf op waarom u deze inschrijving verbergt."))
    if entry.hidden_at is not None:
        raise CoalitionError(_("Deze inschrijving is al verborgen."))
    entry.hidden_at, entry.hidden_by_id, entry.hidden_reason = utcnow(), actor.id, reason[:MAX_TEXT]
    for invitation in _open_invitations_for(entry):
        invitation.status, invitation.answered_at = InvitationStatus.DECLINED, utcnow()
    db.session.flush()
    audit.record("coalition.entry_hide", actor=actor, obj=entry, procurement_id=procurement.id)
    return entry


# --- messages between parties -------------------------------------------------------------------


def send_message(*, actor, procurement, entry_id: int, body: str, contact_line: str, today: date) -> None:
    """A short message from one listed party to another, through the outbox: the sender never
    learns the receiver's address, the receiver reads the sender's list name and the contact
    line the sender chose, and answers by mail if it wants to."""
    _open_or_refuse(procurement, today)
    sender = entry_of(actor.organisation_id, procurement)
    if sender is None or not sender.listed:
        raise CoalitionError(_("Zet uzelf eerst op de lijst. Dan weet de ander van wie het bericht komt."))
    receiver = listed_entry(procurement, entry_id)
    if receiver is None:
        raise CoalitionError(_("Deze partij staat niet (meer) op de lijst."))
    if receiver.id == sender.id:
        raise CoalitionError(_("U kunt geen bericht aan uzelf sturen."))
    body, contact_line = body.strip(), contact_line.strip()
    if not body:
        raise CoalitionError(_("Schrijf uw bericht."))
    if not contact_line:
        raise CoalitionError(_("Schrijf hoe de ander u kan bereiken, bijvoorbeeld een e-mailadres."))
    if len(body) > MAX_MESSAGE or len(contact_line) > MAX_CONTACT:
        raise CoalitionError(_("Uw bericht is te lang. Maak het korter."))
    addresses = _addresses(receiver.organisation_id)
    if not addresses:
        raise CoalitionError(_("Deze partij heeft geen e-mailadres bij ons. Vraag de gemeente om hulp."))
    subject = _("Bericht via de challenge ‘%(title)s’", title=procurement.title)
    text = _(
        "%(sender)s staat, net als u, op de lijst ‘Wie doet mee’ van de challenge ‘%(title)s’ "
        "en stuurt u dit bericht:\n\n%(body)s\n\n"
        "Wilt u antwoorden? Zo bereikt u %(sender)s: %(contact)s\n\n"
        "Wij geven uw e-mailadres niet door. Antwoordt u, dan ziet de ander uw adres wel.",
        sender=sender.shown_name,
        title=procurement.title,
        body=body,
        contact=contact_line,
    )
    for address in addresses:
        send_mail(to=address, subject=subject, body=text)
    audit.record(
        "coalition.message",
        actor=actor,
        obj=receiver,
        procurement_id=procurement.id,
        details={"from_entry": sender.id},
    )


def _addresses(organisation_id: int) -> list[str]:
    from committee.auth.models import User

    return list(
        db.session.scalars(
            sa.select(User.email)
            .where(User.organisation_id == organisation_id, User.email.is_not(None), User.erased_at.is_(None))
            .order_by(User.id)
        )
    )


# --- coalitions ---------------------------------------------------------------------------------


def coalition_led_by(entry: ListEntry | None) -> Coalition | None:
    if entry is None:
        return None
    return db.session.scalar(sa.select(Coalition).where(Coalition.lead_entry_id == entry.id))


def membership_of(entry: ListEntry | None) -> CoalitionInvitation | None:
    """The coalition this party accepted to join (at most one), as its invitation."""
    if entry is None:
        return None
    return db.session.scalar(
        sa.select(CoalitionInvitation).where(
            CoalitionInvitation.entry_id == entry.id,
            CoalitionInvitation.status == InvitationStatus.ACCEPTED,
        )
    )


def invitations_for(entry: ListEntry | None) -> list[CoalitionInvitation]:
    if entry is None:
        return []
    return db.session.scalars(
        sa.select(CoalitionInvitation)
        .where(CoalitionInvitation.entry_id == entry.id)
        .order_by(CoalitionInvitation.id)
    ).all()


def _open_invitations_for(entry: ListEntry) -> list[CoalitionInvitation]:
    return [i for i in invitations_for(entry) if i.status == InvitationStatus.INVITED]


def _own_listed_entry(actor, procurement) -> ListEntry:
    entry = entry_of(actor.organisation_id, procurement)
    if entry is None or not entry.listed:
        raise CoalitionError(_("Zet uzelf eerst op de lijst ‘Wie doet mee’."))
    return entry


def _has_own_offer(organisation_id: int, procurement) -> bool:
    offer = offers.offer_of(organisation_id, procurement.id)
    return offer is not None and offer.status == OfferStatus.SUBMITTED


def create_coalition(*, actor, procurement, name: str, today: date) -> Coalition:
    """The actor's party starts a coalition and leads it (penvoerder)."""
    _open_or_refuse(procurement, today)
    lead = _own_listed_entry(actor, procurement)
    name = name.strip()
    if not name:
        raise CoalitionError(_("Geef uw coalitie een naam."))
    if len(name) > MAX_NAME:
        raise CoalitionError(_("Deze naam is te lang. Maak hem korter."))
    if coalition_led_by(lead) is not None:
        raise CoalitionError(_("U leidt al een coalitie in deze challenge."))
    if membership_of(lead) is not None:
        raise CoalitionError(_("U doet al mee in een andere coalitie. Stap daar eerst uit."))
    coalition = Coalition(procurement_id=procurement.id, lead=lead, name=name)
    db.session.add(coalition)
    db.session.flush()
    audit.record("coalition.create", actor=actor, obj=coalition, procurement_id=procurement.id)
    return coalition


def invite(*, actor, procurement, entry_id: int, today: date) -> CoalitionInvitation:
    """The lead invites a listed party. The party is a member only once it accepts."""
    _open_or_refuse(procurement, today)
    coalition = coalition_led_by(_own_listed_entry(actor, procurement))
    if coalition is None:
        raise CoalitionError(_("Start eerst een coalitie; dan kunt u partijen uitnodigen."))
    entry = listed_entry(procurement, entry_id)
    if entry is None:
        raise CoalitionError(_("Deze partij staat niet (meer) op de lijst."))
    if entry.id == coalition.lead_entry_id:
        raise CoalitionError(_("U leidt deze coalitie al zelf."))
    if any(i.entry_id == entry.id for i in coalition.invitations):
        raise CoalitionError(_("Deze partij is al uitgenodigd."))
    invitation = CoalitionInvitation(entry=entry, invited_by_id=actor.id)
    coalition.invitations.append(invitation)
    db.session.flush()
    subject = _("Uitnodiging voor een coalitie in de challenge ‘%(title)s’", title=procurement.title)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    link = f"{base}/aanbieder/challenge/{procurement.id}/coalitie"
    text = _(
        "%(lead)s nodigt u uit voor de coalitie ‘%(name)s’ in de challenge ‘%(title)s’.\n\n"
        "U doet pas mee als u de uitnodiging aanneemt. Log in en kies ‘Aannemen’ of ‘Afslaan’:\n"
        "%(link)s",
        lead=coalition.lead.shown_name,
        name=coalition.name,
        title=procurement.title,
        link=link,
    )
    for address in _addresses(entry.organisation_id):
        send_mail(to=address, subject=subject, body=text)
    audit.record(
        "coalition.invite",
        actor=actor,
        obj=invitation,
        procurement_id=procurement.id,
        details={"coalition": coalition.id, "entry": entry.id},
    )
    return invitation


def answer(*, actor, procurement, invitation_id: int, accept: bool, today: date) -> CoalitionInvitation:
    """The invited party accepts or declines, logged in as itself. Declining an accepted
    invitation is leaving the coalition. Nobody answers for another party."""
    _open_or_refuse(procurement, today)
    invitation = db.session.get(CoalitionInvitation, invitation_id)
    if (
        invitation is None
        or invitation.coalition.procurement_id != procurement.id
        or invitation.entry.organisation_id != actor.organisation_id
    ):
        raise NotYours(_("Deze uitnodiging bestaat niet."))
    entry = invitation.entry
    coalition = invitation.coalition
    if accept:
        if not coalition.lead.listed:
            raise CoalitionError(
                _("Deze coalitie staat niet meer op de lijst. U kunt er niet meer in meedoen.")
            )
        if not entry.listed:
            raise CoalitionError(_("Zet uzelf eerst weer op de lijst ‘Wie doet mee’."))
        if invitation.status == InvitationStatus.ACCEPTED:
            raise CoalitionError(_("U doet al mee in deze coalitie."))
        if invitation.status == InvitationStatus.DECLINED:
            raise CoalitionError(_("U heeft deze uitnodiging al afgeslagen. Vraag om een nieuwe."))
        if coalition_led_by(entry) is not None:
            raise CoalitionError(_("U leidt zelf een coalitie en kunt niet ook in een andere meedoen."))
        if membership_of(entry) is not None:
            raise CoalitionError(_("U doet al mee in een andere coalitie. Stap daar eerst uit."))
        if _has_own_offer(actor.organisation_id, procurement):
            raise CoalitionError(
                _("U heeft zelf een aanbod ingediend. Wie meedoet in een coalitie, dient niet ook zelf in.")
            )
        invitation.status = InvitationStatus.ACCEPTED
    else:
        if invitation.status == InvitationStatus.DECLINED:
            raise CoalitionError(_("U heeft deze uitnodiging al afgeslagen."))
        if (
            invitation.status == InvitationStatus.ACCEPTED
            and len(coalition.accepted) == 1
            and _has_own_offer(coalition.lead.organisation_id, procurement)
        ):
            raise CoalitionError(
                _(
                    "U bent de laatste partner van een ingediend plan. Vraag de penvoerder eerst het "
                    "aanbod in te trekken; daarna kunt u uitstappen."
                )
            )
        invitation.status = InvitationStatus.DECLINED
    invitation.answered_at, invitation.answered_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record(
        "coalition.accept" if accept else "coalition.decline",
        actor=actor,
        obj=invitation,
        procurement_id=procurement.id,
        details={"coalition": invitation.coalition_id},
    )
    return invitation


def members(coalition: Coalition) -> list[ListEntry]:
    """The lead first, then the parties that accepted, in the order they were invited."""
    return [coalition.lead, *(i.entry for i in coalition.accepted)]


def coalition_of_offer(offer: Offer) -> Coalition | None:
    """The coalition whose lead made this offer, in a coalition challenge."""
    entry = entry_of(offer.organisation_id, offer.procurement)
    return coalition_led_by(entry)


# --- hooks into the offers (registered at the bottom) -------------------------------------------


def _partner_names(offer: Offer) -> list[tuple[OfferNameKind, str]]:
    """The coalition partners of a coalition's offer: every accepted party, by its list name and
    its organisation's name, frozen with the offer's names when offers close (recusals)."""
    if not is_coalition(offer.procurement):
        return []
    coalition = coalition_of_offer(offer)
    if coalition is None:
        return []
    # The lead's list name and the coalition's name are public on the list: names of this offer.
    names = [
        (OfferNameKind.ALIAS, coalition.lead.shown_name),
        (OfferNameKind.ALIAS, coalition.name),
    ]
    for invitation in coalition.accepted:
        names.append((OfferNameKind.PARTNER, invitation.entry.shown_name))
        names.append((OfferNameKind.PARTNER, invitation.entry.organisation.name))
    return names


def _partner_identifiers(offer: Offer) -> list[str]:
    """What the anonymisation hides besides the lead's own names: each partner's names,
    KvK number, website and other names."""
    if offer.procurement is None or not is_coalition(offer.procurement):
        return []
    coalition = coalition_of_offer(offer)
    if coalition is None:
        return []
    found = [coalition.lead.shown_name, coalition.name]
    for invitation in coalition.accepted:
        organisation: Organisation = invitation.entry.organisation
        found += [invitation.entry.shown_name, organisation.name]
        found += [v for v in (organisation.kvk_number, organisation.website) if v]
        found += [line for line in (organisation.other_identifiers or "").splitlines() if line.strip()]
    return found


def _submit_check(actor, procurement) -> str | None:
    """In a coalition challenge the offer is the coalition's plan: only a lead with at least one
    accepted partner submits it."""
    if not is_coalition(procurement):
        return None
    entry = entry_of(actor.organisation_id, procurement)
    if membership_of(entry) is not None:
        return _("U doet mee in een coalitie: de penvoerder dient het plan van de coalitie in.")
    coalition = coalition_led_by(entry)
    if coalition is None or not coalition.accepted:
        return _(
            "In deze challenge dient een coalitie het plan in. Vorm eerst een coalitie: minstens "
            "één partij moet uw uitnodiging hebben aangenomen."
        )
    return None


offers.name_sources.append(_partner_names)
offers.identifier_sources.append(_partner_identifiers)
offers.submit_checks.append(_submit_check)


# --- the public page after the decision ---------------------------------------------------------


@dataclass
class Pilot:
    coalition: Coalition
    offer: Offer
    members: list[ListEntry]
    starts_on: date | None  # the day of the presentation, which starts the pilot


def pilots(procurement) -> list[Pilot]:
    """The chosen coalitions, once the decision is public: their members and the pilot's start
    (the day the presentation round started; without one, the day the decision was published)."""
    from committee.publication import services as publication

    if not is_coalition(procurement) or not policy.decision_public(procurement):
        return []
    decision = publication.decision_of(procurement)
    if decision is None:
        return []
    presentation_round = policy.presentation_round_of(procurement)
    started = presentation_round.started_at if presentation_round is not None else None
    starts = started or decision.published_at
    found = []
    for offer in decision.offers:
        coalition = coalition_of_offer(offer)
        if coalition is not None:
            found.append(Pilot(coalition, offer, members(coalition), starts.date() if starts else None))
    return found
