"""Recruiting residents for the committee: settings, categories, applications and the purge.

Every function flushes but does not commit; moderator actions write an audit event without
personal data.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.categories import AGE_LABELS
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.lottery import draw as lottery
from committee.lottery import public as receipts
from committee.lottery.draw import UNKNOWN
from committee.panel.models import (
    Application,
    CommitteeMember,
    Demographics,
    DrawEntry,
    PanelCategory,
    Recruitment,
)
from committee.panel.quotas import suppress_small
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.text import slugify
from committee.timeutil import utcnow
from committee.wijk.profile import AGE, BUURT, GENDER, GENDER_VALUES


@dataclass
class Category:
    """A question every applicant answers: its key, its label and its values as (key, label)."""

    key: str
    label: str
    values: list[tuple[str, str]]
    built_in: bool = False

    @property
    def value_keys(self) -> list[str]:
        return [key for key, _label in self.values]

    def label_of(self, value: str) -> str:
        for key, label in self.values:
            if key == value:
                return label
        return str(_("onbekend")) if value == UNKNOWN else value


def recruitment_of(procurement) -> Recruitment | None:
    return db.session.scalar(sa.select(Recruitment).where(Recruitment.procurement_id == procurement.id))


def extra_categories(procurement) -> list[PanelCategory]:
    return db.session.scalars(
        sa.select(PanelCategory)
        .where(PanelCategory.procurement_id == procurement.id)
        .order_by(PanelCategory.position)
    ).all()


def categories(procurement) -> list[Category]:
    """Buurt and age band (always asked), then the moderator's own categories."""
    return [
        Category(
            BUURT,
            str(_("Buurt")),
            [(b.name, b.name) for b in procurement.neighbourhood.buurten],
            built_in=True,
        ),
        Category(AGE, str(_("Leeftijd")), [(k, str(v)) for k, v in AGE_LABELS.items()], built_in=True),
        *(Category(c.key, c.label, [(v, v) for v in c.values]) for c in extra_categories(procurement)),
    ]


def profile_categories(neighbourhood) -> list[tuple[str, str, list]]:
    """The categories a profile can hold: buurt and age group, men/women, and every category the
    moderator asks applicants about in this neighbourhood's procurements.

    Each as (key, label, [(value, value label), ...]).
    """
    found: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
    found[BUURT] = (BUURT, _("Buurt"), [(b.name, b.name) for b in neighbourhood.buurten])
    found[AGE] = (AGE, _("Leeftijd"), [(k, str(label)) for k, label in AGE_LABELS.items()])
    found[GENDER] = (GENDER, _("Geslacht"), [(v, v) for v in GENDER_VALUES])
    for procurement in neighbourhood.procurements:
        for category in categories(procurement):
            if category.key in found and category.key != GENDER:
                continue
            values = list(found.get(category.key, (None, None, []))[2])
            for value in category.values:
                if value[0].casefold() not in {v[0].casefold() for v in values}:
                    values.append(value)
            found[category.key] = (category.key, category.label, values)
    return list(found.values())


def parse_categories(text: str) -> list[tuple[str, list[str]]]:
    """Categories from lines like "Geslacht: vrouw, man, anders" (label, then values).

    Raises ProcessError naming the line that cannot be read.
    """
    parsed, keys = [], {BUURT, AGE}
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        label, sep, rest = line.partition(":")
        values = []
        for value in rest.split(","):
            value = " ".join(value.split())
            if value and value.casefold() not in {v.casefold() for v in values}:
                values.append(value[:120])
        label = " ".join(label.split())[:120]
        if not sep or not label or len(values) < 2:
            raise ProcessError(
                _(
                    "Regel %(n)d: schrijf een categorie als ‘Naam: waarde, waarde’, "
                    "met minstens twee waarden.",
                    n=number,
                )
            )
        key = slugify(label)[:40]
        if key in keys:
            raise ProcessError(_("Regel %(n)d: de categorie ‘%(label)s’ bestaat al.", n=number, label=label))
        keys.add(key)
        parsed.append((label, values))
    return parsed


def categories_text(procurement) -> str:
    return "\n".join(f"{c.label}: {', '.join(c.values)}" for c in extra_categories(procurement))


def save_setup(
    *,
    actor,
    procurement,
    seats: int,
    house_rules: str,
    retention_until: date,
    required_buurten: list[str],
    categories_text: str,
    today: date,
) -> Recruitment:
    """Save how the committee is recruited: seats, house rules, retention, categories."""
    if not policy.composition_open(procurement):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))
    if retention_until <= today:
        raise ProcessError(_("De bewaartermijn moet na vandaag eindigen."))
    buurten = {b.name for b in procurement.neighbourhood.buurten}
    if any(b not in buurten for b in required_buurten):
        raise ProcessError(_("Kies buurten van deze wijk."))
    parsed = parse_categories(categories_text)
    setup = recruitment_of(procurement) or Recruitment(procurement_id=procurement.id)
    setup.seats = seats
    setup.house_rules = house_rules.strip()
    setup.retention_until = retention_until
    setup.required_buurten = [b.name for b in procurement.neighbourhood.buurten if b.name in required_buurten]
    db.session.add(setup)
    existing = {c.key: c for c in extra_categories(procurement)}
    wanted = set()
    for position, (label, values) in enumerate(parsed, 1):
        key = slugify(label)[:40]
        wanted.add(key)
        category = existing.get(key) or PanelCategory(procurement_id=procurement.id, key=key)
        category.label, category.values, category.position = label, values, position
        db.session.add(category)
    for key, category in existing.items():
        if key not in wanted:
            db.session.delete(category)
    db.session.flush()
    audit.record(
        "recruitment.setup",
        actor=actor,
        obj=setup,
        procurement_id=procurement.id,
        details={
            "seats": seats,
            "categories": len(parsed),
            "required_buurten": len(setup.required_buurten),
            "retention_until": retention_until.isoformat(),
        },
    )
    return setup


def open_recruitment(*, actor, procurement) -> None:
    if not procurement.phase.is_before(Phase.RECRUITMENT):
        raise ProcessError(_("Het aanmelden voor de commissie is al geopend."))
    setup = recruitment_of(procurement)
    if setup is None or not setup.house_rules or setup.retention_until is None:
        raise ProcessError(_("Vul eerst de werving in: spelregels, bewaartermijn en aantal plaatsen."))
    procurement_services.move_to(actor=actor, procurement=procurement, to=Phase.RECRUITMENT)
    commit_seed(actor=actor, procurement=procurement)


def commit_seed(*, actor, procurement) -> Recruitment:
    """Fix the lottery's seed while applications are open ("leg de loting vast").

    The computer picks a seed and a nonce (``secrets``, nobody types them); both stay secret
    until a draw starts, and their commitment (``lottery.seed_commitment``) is public at once.
    Refused once applications have closed: then the pool is known. Done once; afterwards it
    changes nothing, so a seed can never be picked again.
    """
    setup = recruitment_of(procurement)
    if setup is None:
        raise ProcessError(_("Vul eerst de werving in."))
    if setup.seed_commitment:
        return setup
    if not procurement.phase.is_before(Phase.COMPOSITION):
        raise ProcessError(
            _("Het startgetal van de loting kan alleen vastliggen zolang het aanmelden open is.")
        )
    return _fix_seed(actor, procurement, setup)


def _fix_seed(actor, procurement, setup: Recruitment) -> Recruitment:
    setup.seed_value = secrets.randbelow(10**15) + 1
    setup.seed_nonce = secrets.token_hex(16)
    setup.seed_commitment = lottery.seed_commitment(setup.seed_value, setup.seed_nonce)
    setup.seed_committed_at = utcnow()
    db.session.flush()
    audit.record(
        "draw.commit",
        actor=actor,
        obj=setup,
        procurement_id=procurement.id,
        details={"commitment": setup.seed_commitment},
    )
    return setup


def ensure_seed(*, actor, procurement) -> Recruitment:
    """The recruitment with its committed seed. A recruitment that opened before commit–reveal
    existed gets its seed now, from ``secrets`` (never typed); its commitment time then says it
    came after applications closed, and the public draw page and the verifier say so too."""
    setup = recruitment_of(procurement)
    if setup is None:
        raise ProcessError(_("Vul eerst de werving in."))
    if not setup.seed_commitment:
        _fix_seed(actor, procurement, setup)
    return setup


def pool_fingerprint(procurement) -> tuple[str, int]:
    """The pool's ``lottery.pool_sha256`` over every category, and its size (the draw's pool)."""
    people = [
        lottery.Person("", answers_of(a)) for a in applications(procurement) if a.demographics is not None
    ]
    return lottery.pool_sha256(people, [c.key for c in categories(procurement)]), len(people)


def open_composition(*, actor, procurement) -> None:
    """Close applications: the seed is committed (for older recruitments: now, just before) and
    the pool's fingerprint is published with the closing time."""
    if procurement.phase != Phase.RECRUITMENT:
        raise ProcessError(_("Samenstellen volgt op het aanmelden voor de commissie."))
    setup = ensure_seed(actor=actor, procurement=procurement)
    setup.pool_sha256, setup.pool_size = pool_fingerprint(procurement)
    setup.pool_closed_at = utcnow()
    procurement_services.move_to(
        actor=actor,
        procurement=procurement,
        to=Phase.COMPOSITION,
        applications=application_count(procurement),
    )
    audit.record(
        "recruitment.close",
        actor=actor,
        obj=setup,
        procurement_id=procurement.id,
        details={"pool_sha256": setup.pool_sha256, "pool": setup.pool_size},
    )


class DuplicateApplication(ProcessError):
    """An application with an address that already applied for this committee.

    The moderator typing in a paper form hears so; the public form answers as for any other
    application (and the address hears of it by mail), so it does not tell who applied."""


def submit_application(
    *,
    procurement,
    name: str,
    email: str | None,
    phone: str | None,
    postal_address: str | None,
    answers: dict[str, str | None],
    motivation: str | None,
    availability: str | None,
    consent: bool,
    entered_by=None,
) -> Application:
    """Store an application: contact data in one row, the category answers apart in another.

    ``entered_by`` is the moderator typing in a paper application. Buurt and age band are needed
    for the lottery; the other categories may be left open ("rather not say").
    """
    if entered_by is None and not policy.applications_open(procurement):
        raise ProcessError(_("Aanmelden kan nu niet: de werving is gesloten."))
    if entered_by is not None and not policy.paper_applications_allowed(procurement):
        raise ProcessError(
            _("Papieren aanmeldingen kunt u invoeren tot de loting of samenstelling klaar is.")
        )
    if not consent:
        raise ProcessError(
            _(
                "Zonder instemming met de spelregels en de bewaartermijn kunnen we "
                "uw aanmelding niet aannemen."
            )
        )
    email = (email or "").strip().lower() or None
    if not (email or (phone or "").strip() or (postal_address or "").strip()):
        raise ProcessError(_("Vul minstens één manier in waarop we u kunnen bereiken."))
    values: dict[str, str] = {}
    for category in categories(procurement):
        answer = answers.get(category.key)
        if category.built_in and not answer:
            raise ProcessError(_("Kies uw %(what)s.", what=category.label.lower()))
        if answer:
            if answer not in category.value_keys:
                raise ProcessError(_("Kies bij ‘%(what)s’ een antwoord van de lijst.", what=category.label))
            values[category.key] = answer
    if email and db.session.scalar(
        sa.select(Application.id).where(
            Application.procurement_id == procurement.id, Application.email == email
        )
    ):
        raise DuplicateApplication(_("Met dit e-mailadres is al iemand aangemeld voor deze commissie."))
    application = Application(
        procurement_id=procurement.id,
        name=" ".join(name.split()),
        email=email,
        phone=(phone or "").strip() or None,
        postal_address=(postal_address or "").strip() or None,
        motivation=(motivation or "").strip() or None,
        availability=(availability or "").strip() or None,
        source="paper" if entered_by is not None else "web",
        entered_by_id=entered_by.id if entered_by is not None else None,
        consented_at=utcnow(),
        receipt_code=receipts.new_code(),
        demographics=Demographics(procurement_id=procurement.id, values=values),
    )
    db.session.add(application)
    db.session.flush()
    audit.record(
        "application.add",
        actor=entered_by,
        obj=application,
        procurement_id=procurement.id,
        details={"source": application.source},
    )
    return application


def applications(procurement) -> list[Application]:
    return db.session.scalars(
        sa.select(Application).where(Application.procurement_id == procurement.id).order_by(Application.id)
    ).all()


def application_count(procurement) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(Application.procurement_id == procurement.id)
    )


def answers_of(application: Application | None) -> dict[str, str]:
    if application is None or application.demographics is None:
        return {}
    return dict(application.demographics.values or {})


def makeup(procurement) -> dict:
    """The committee's make-up for the public page: counts per category, small groups hidden.

    Counts come from the members' answers, or from the snapshot kept when those were erased.
    Members who never applied (invited by name) count as "onbekend". Members who chose to be
    named are named only after scoring has closed.
    """
    setup = recruitment_of(procurement)
    if setup is not None and setup.makeup_snapshot is not None:
        counts = setup.makeup_snapshot
    else:
        counts = makeup_counts(procurement)
    return {
        "members": counts.get("_members", 0),
        "residents": counts.get("_residents", 0),
        "categories": [
            (
                category,
                [
                    (category.label_of(value), suppress_small(n))
                    for value, n in _ordered(category, counts.get(category.key, {}))
                ],
            )
            for category in categories(procurement)
        ],
        # Only once scoring has closed: before that, bidders could approach a named member.
        "named": [m.user.name for m in procurement.members if m.public_name]
        if policy.scores_visible(procurement)
        else [],
    }


def _ordered(category: Category, counts: dict[str, int]) -> list[tuple[str, int]]:
    order = [*category.value_keys, UNKNOWN]
    return sorted(
        ((v, n) for v, n in counts.items() if n),
        key=lambda vn: (order.index(vn[0]) if vn[0] in order else len(order), vn[0]),
    )


def makeup_counts(procurement) -> dict:
    members = procurement.members
    counts: dict = {
        "_members": len(members),
        "_residents": sum(1 for m in members if m.kind.value == "resident"),
    }
    for category in categories(procurement):
        counts[category.key] = dict(
            Counter(answers_of(m.application).get(category.key, UNKNOWN) for m in members)
        )
    return counts


@dataclass
class PurgeReport:
    procurements: int = 0
    answers: int = 0
    applications: int = 0


def keep_makeup(procurement_id: int) -> None:
    """Keep the committee's counts per category (no persons) before answers are erased.

    Done once: later erasures do not change what the public page shows about the committee.
    """
    from committee.procurement.models import Procurement

    setup = db.session.scalar(sa.select(Recruitment).where(Recruitment.procurement_id == procurement_id))
    if setup is not None and setup.makeup_snapshot is None:
        setup.makeup_snapshot = makeup_counts(db.session.get(Procurement, procurement_id))


def erase_applications(application_ids) -> int:
    """Erase these applications with their answers: the one eraser for applicants' data.

    Used by the retention purge and by an erasure on request. A published draw keeps its
    pseudonyms, without their link to a person; a seat on the committee stays, without its link
    to the application. Flushes; returns how many applications were erased.
    """
    ids = sorted(set(application_ids))
    if not ids:
        return 0
    db.session.execute(
        sa.update(DrawEntry).where(DrawEntry.application_id.in_(ids)).values(application_id=None)
    )
    db.session.execute(
        sa.update(CommitteeMember).where(CommitteeMember.application_id.in_(ids)).values(application_id=None)
    )
    db.session.execute(sa.delete(Demographics).where(Demographics.application_id.in_(ids)))
    db.session.execute(sa.delete(Application).where(Application.id.in_(ids)))
    db.session.flush()
    return len(ids)


def purge_expired(*, today: date) -> PurgeReport:
    """Erase applicants' data once the retention date has passed; safe to run every day.

    For each procurement whose retention date lies before ``today``: keep the committee's counts
    per category (no persons), erase every applicant's category answers, and erase the
    application (contact data, motivation) of everyone not on the committee. Members' contact
    data stays; the pseudonyms of published draws stay, without their link to a person.
    """
    report = PurgeReport()
    due = db.session.scalars(sa.select(Recruitment).where(Recruitment.retention_until < today)).all()
    for setup in due:
        procurement_id = setup.procurement_id
        member_applications = set(
            db.session.scalars(
                sa.select(CommitteeMember.application_id).where(
                    CommitteeMember.procurement_id == procurement_id,
                    CommitteeMember.application_id.is_not(None),
                )
            ).all()
        )
        others = db.session.scalars(
            sa.select(Application.id).where(
                Application.procurement_id == procurement_id,
                Application.id.not_in(member_applications) if member_applications else sa.true(),
            )
        ).all()
        answers = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Demographics)
            .where(Demographics.procurement_id == procurement_id)
        )
        if not answers and not others:
            continue
        keep_makeup(procurement_id)
        db.session.execute(sa.delete(Demographics).where(Demographics.procurement_id == procurement_id))
        erase_applications(others)
        setup.purged_at = utcnow()
        db.session.flush()
        audit.record(
            "privacy.purge",
            obj=setup,
            procurement_id=procurement_id,
            details={"answers": answers, "applications": len(others)},
        )
        report.procurements += 1
        report.answers += answers
        report.applications += len(others)
    db.session.expire_all()
    return report
