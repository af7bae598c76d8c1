"""Every form, fed hostile input by hypothesis: 0 server errors, 0 stored script injection.

Each case below opens the page with the form as the role that may use it, in a phase where it is
open (a ``tests.factories.World``), reads the form's fields from the HTML (so forms whose fields
depend on the data, like the score form, are covered as they are), and posts hypothesis-generated
values: script and attribute-breaking payloads, arbitrary unicode, null bytes, very long strings,
numbers far out of range, dates that are no dates, unknown choices, missing fields, hostile
files. Then:

- the answer is never a 5xx;
- a rejection (400/422) is the Dutch page with the form and its message, not a stack trace;
- neither that answer nor any page that shows what the form stores (``shown_on``) contains a
  payload as live HTML (``<script>alert``, an ``on…=`` handler in a tag, a ``javascript:`` link).

Examples are derandomised (the same inputs on every run) and few per form, to keep CI fast.

| form (committee/*/forms.py)    | posted to (endpoint)        | as        | phase         |
|--------------------------------|-----------------------------|-----------|---------------|
| auth LoginForm                 | auth.login_post             | anonymous | concept       |
| auth BidderRegistrationForm    | auth.register_post          | anonymous | concept       |
| auth ShortCodeForm             | auth.short_code_post        | anonymous | concept       |
| auth SecondFactorForm          | auth.second_factor_post     | anonymous | concept       |
| monitoring SignalForm          | monitoring.send_signal      | anonymous | published     |
| needs NeedsSetupForm           | needs.save_setup            | moderator | concept       |
| needs ThemeForm                | needs.add_theme             | moderator | needs         |
| needs CodesForm                | needs.create_codes          | moderator | needs         |
| needs NeedsResponseForm        | needs.respond               | anonymous | needs         |
| needs CallThemesForm           | needs.mark_call             | moderator | recruitment   |
| offers OfferForm               | offers.save                 | bidder A  | offers_open   |
| offers AnnexForm               | offers.annex_upload         | bidder A  | offers_open   |
| offers OrganisationForm        | offers.organisation_post    | bidder A  | offers_open   |
| offers PartnerForm             | offers.partner_add          | bidder A  | offers_open   |
| offers ContactForm             | offers.contact_add          | bidder A  | offers_open   |
| offers QuestionForm            | offers.ask                  | bidder A  | offers_open   |
| offers CallForm                | offers.call_save            | moderator | offers_open   |
| offers RedactionForm           | offers.redaction_add        | moderator | anonymisation |
| panel RecruitmentForm          | panel.save_recruitment      | moderator | concept       |
| panel ApplicationForm          | panel.apply_post            | anonymous | recruitment   |
| panel ApplicationForm (paper)  | panel.paper_post            | moderator | recruitment   |
| panel InviteMemberForm         | panel.invite                | moderator | concept       |
| panel AddPersonForm            | panel.add_person            | moderator | composition   |
| panel QuotaForm                | panel.save_quotas           | moderator | composition   |
| panel PrepareDrawForm          | panel.prepare_draw          | moderator | composition   |
| panel AcceptForm               | panel.accept_post           | member    | composition   |
| panel ContactPreferenceForm    | panel.contact_post          | member    | offers_open   |
| panel ReceiptForm              | panel.receipt_check_post    | anonymous | composition   |
| procurement ProcurementForm    | procurement.create          | moderator | concept       |
| procurement CriterionForm      | procurement.add_criterion   | moderator | concept       |
| procurement CriteriaPresetForm | procurement.criteria_preset | moderator | concept       |
| procurement ProcurementEditForm| procurement.save_edit       | moderator | concept, open |
| procurement EndProcurementForm | procurement.cancel, no_award| moderator | scoring, delib|
| procurement PhaseActionForm    | procurement.phase_action    | moderator | concept       |
| procurement DecisionForm       | procurement.decide          | moderator | deliberation  |
| publication RationaleForm      | publication.rationale_post  | member    | deliberation  |
| scoring ScoreForm              | scoring.save                | member    | scoring       |
| scoring DeclarationForm        | scoring.declare             | member    | scoring       |
| scoring BriefingForm           | scoring.briefing_post       | member    | scoring       |
| scoring ReopenForm             | scoring.reopen_post         | moderator | scoring       |
| scoring MeetingNoteForm        | scoring.meeting_note        | moderator | deliberation  |
| scoring ChooseOffersForm       | presentation.choose_offers  | moderator | deliberation  |
| scoring PresentationCriterionForm | presentation.add_criterion | moderator | deliberation |
| scoring PresentationScoreForm  | presentation.save           | member    | deliberation  |
| challenges PeriodForm          | challenges.period           | moderator | deliberation  |
| challenges MilestoneForm       | challenges.add_milestone    | moderator | deliberation  |
| challenges ProgressForm        | challenges.progress         | moderator | deliberation  |
| challenges AdviceForm          | challenges.advice           | member (adviser) | deliberation |
| wijk NeighbourhoodForm         | wijk.create                 | moderator | concept       |
| wijk ProfileImportForm         | wijk.import_profile         | moderator | concept       |
| wijk ProfileHandForm           | wijk.profile_by_hand        | moderator | concept       |
| offers AnswerForm              | offers.answer               | moderator | offers_open   |
| coalitions EntryForm          | coalitions.entry_save       | bidder A  | offers_open   |
| coalitions MessageForm        | coalitions.message          | bidder A  | offers_open   |
| coalitions CoalitionForm      | coalitions.create           | bidder A  | offers_open   |
| coalitions InviteForm         | coalitions.invite           | bidder A  | offers_open   |
| coalitions HideEntryForm      | coalitions.hide             | moderator | offers_open   |
| monitoring ResponseForm        | monitoring.respond          | bidder B  | published     |
| monitoring ContractForm        | contract.save               | moderator | published     |
| monitoring CommitmentForm      | contract.add_commitment     | moderator | published     |
| monitoring IndicatorForm       | contract.add_indicator      | moderator | published     |
| monitoring TalkForm            | contract.add_talk           | moderator | published     |
| monitoring ReportForm          | contract.report_post        | bidder B  | published     |
| privacy EraseForm              | privacy.erase               | moderator | scoring       |
| stories StoryForm              | stories.create              | applicant | published     |
| stories ModerateStoryForm      | stories.moderate_post       | moderator | published     |
| privacy SearchForm (GET)       | privacy.people              | moderator | scoring       |
| audit LogFilterForm (GET)      | audit.log                   | moderator | scoring       |
| planning PlannedItemForm       | planning.create_item        | moderator | concept       |
| planning InventoryEntryForm    | planning.create_entry       | moderator | concept       |
| planning FollowForm            | planning.follow_post        | anonymous | concept       |

Placeholders also include {question}, {signal}, {contract}, {story} and {person}, set by the case's
``prepare``.
The two search forms send GET requests: ``test_hostile_searches_never_break_a_page`` covers them.
The pages each case checks afterwards for the stored value are in ``Case.shown_on``.

Forms with no input but a button and the CSRF token (``NO_INPUT``) are left out; so are those whose
only input is an id in a hidden field, which the access matrix and the views' own tests cover.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committee.auth import services as auth
from committee.extensions import db
from committee.procurement.phases import Phase
from committee.timeutil import local_today
from tests.factories import World, login, score_everything, write_rationale

EXAMPLES = 15  # per form; derandomised, so every run tries the same inputs

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "<iframe src=javascript:alert(1)>",
    "{{ 7*7 }}{% raw %}",
    "'; DROP TABLE user; --",
    "\x00",
    "nul\x00byte",
    "\u202egnirts desrever",
    "🙂" * 3,
    "%00%3Cscript%3E",
]


class _LiveMarkup(HTMLParser):
    """What a browser would run: an ``on…`` handler on a tag, a ``javascript:`` link or source,
    a script element with a payload in it. The app itself has none of these (its CSP forbids
    inline script), so each one found came from input."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")


def live_payloads(html: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(
        lambda words, p: f"{words} {p} {words}",
        st.sampled_from(["Buurthuis", "Het plan"]),
        st.sampled_from(PAYLOADS),
    ),
    st.text(max_size=40),
    st.builds(lambda p, n: p * n, st.sampled_from(PAYLOADS), st.integers(50, 3000)),
    st.just(""),
)
hostile_number = st.one_of(
    st.integers(-5, 30).map(str),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["1e309", "NaN", "-0", "3.5", "٣", "0x10", " 7 "]),
    hostile_text,
)
hostile_date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30", "0000-00-00", "9999-12-31", "gisteren"]),
    hostile_text,
)
hostile_file = st.tuples(
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from(
            [b"%PDF-1.4\n<script>alert(1)</script>", b"Wijk;Buurt\n<script>alert(1)</script>;1\n"]
        ),
    ),
    st.sampled_from(["bijlage.pdf", '"><img src=x onerror=alert(1)>.pdf', "kwb.csv", "\x00.csv", "a" * 300]),
)


# --- reading the form off the page ----------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, email, number, date, file, choice, check
    options: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    """The fields of the first form posting to ``action`` (or under it, when it ends in a slash)."""

    def __init__(self, action: str, page: str):
        super().__init__()
        self.action, self.page, self.inside, self.done = action, page, False, False
        self.found = ""
        self.fields: dict[str, Field] = {}
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        target = (a.get("action") or self.page).split("?")[0]
        wanted = target == self.action or (self.action.endswith("/") and target.startswith(self.action))
        if tag == "form" and not self.done and wanted:
            self.inside, self.found = True, target
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token":
            kind = a.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind in ("radio", "checkbox"):
                f = self.fields.setdefault(name, Field(name, "choice" if kind == "radio" else "check"))
                f.options.append(a.get("value") or "y")
            else:
                self.fields[name] = Field(
                    name, {"number": "number", "date": "date", "file": "file"}.get(kind, "text")
                )
        elif tag == "textarea" and name:
            self.fields[name] = Field(name, "text")
        elif tag == "select" and name:
            self.fields[name] = Field(name, "choice")
            self.select = name
        elif tag == "option" and self.select:
            self.fields[self.select].options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def read_form(html: str, action: str, page: str) -> tuple[str, dict[str, Field]]:
    """The form's action as on the page, and its fields."""
    reader = _FormReader(action, page)
    reader.feed(html)
    assert reader.done, f"no form posting to {action} on the page"
    return reader.found, reader.fields


def value_strategy(f: Field):
    if f.kind == "number":
        return hostile_number
    if f.kind == "date":
        return hostile_date
    if f.kind == "file":
        return hostile_file
    if f.kind == "choice":
        return st.one_of(st.sampled_from(f.options or [""]), hostile_text)
    if f.kind == "check":
        return st.one_of(
            st.sampled_from(f.options), st.lists(st.sampled_from(f.options), max_size=3), hostile_text
        )
    return hostile_text


# Fields whose format is checked: a plausible value by (part of) the field's name.
BY_NAME = {
    "email": "bewoner@voorbeeld.nl",
    "phone": "06 12345678",
    "kvk": "12345678",
    "website": "https://voorbeeld.nl",
    "cbs_code": "WK077201",
    "postcode": "5611 AB",
    "code": "",
    "happened_on": (local_today() - timedelta(days=1)).isoformat(),
    "categories": "",
    "contract_sum": "120.000",
    "commitment_": "2500",
    "held_on": (local_today() - timedelta(days=1)).isoformat(),
    "period_start": (local_today() - timedelta(days=60)).isoformat(),
    "period_end": (local_today() - timedelta(days=1)).isoformat(),
}


def plausible(f: Field, valid: dict[str, str]):
    """A value the form may well accept, carrying a payload where text goes: so that payloads get
    stored and the pages showing them are put to the test, not only the rejections."""
    if f.name in valid:
        return st.just(valid[f.name])
    for part, value in BY_NAME.items():
        if part in f.name:
            return st.just(value)
    if f.kind == "email":
        return st.just("bewoner@voorbeeld.nl")
    if f.kind == "number":
        return st.sampled_from(["1", "2", "3", "5", "20"])
    if f.kind == "date":
        return st.just((local_today() + timedelta(days=30)).isoformat())
    if f.kind == "file":
        return hostile_file
    if f.kind in ("choice", "check"):
        return st.sampled_from([o for o in f.options if o] or [""])
    return st.builds(lambda p: f"Buurthuis {p} voor iedereen in de wijk", st.sampled_from(PAYLOADS))


def form_data(fields: dict[str, Field], valid: dict[str, str]):
    """Either every field plausible, or every field hostile and optional (missing is hostile too)."""
    return st.one_of(
        st.fixed_dictionaries({name: plausible(f, valid) for name, f in fields.items()}),
        st.fixed_dictionaries({}, optional={name: value_strategy(f) for name, f in fields.items()}),
    )


# --- the cases ---------------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    phase: Phase
    role: str
    page: str  # where the form is, with {pid}, {nid}, {slug}, {pseudonym}, {member}, {offer}
    action: str  # the form's action, same placeholders
    shown_on: list[tuple[str, str]] = field(default_factory=list)  # (role, path)
    htmx: bool = False
    prepare: Callable[[World, FlaskClient], None] | None = None  # run before the page is opened
    declare: bool = True  # World(declare=...): members have declared by scoring
    valid: dict[str, str] = field(default_factory=dict)  # plausible values where text won't do
    extra: dict[str, str] = field(default_factory=dict)  # sent with every post (which button)


def _halfway_through_login(world: World, client: FlaskClient) -> None:
    """The moderator has a second factor and has given the password: the code page is next."""
    world.moderator.totp_secret = auth.new_totp_secret()
    db.session.commit()
    login(client, world.moderator)


def _unbriefed(world: World, client: FlaskClient) -> None:
    """The member has not read the briefing yet, so its form is on the page."""
    world.member.briefing_read_at = None
    db.session.commit()


def _as_coalition(world: World, client: FlaskClient) -> None:
    """Bidder A writes in as a coalition, so the partner form appears."""
    response = client.post("/aanbieder/organisatie", data={"name": "Samen Sterk", "kind": "coalition"})
    assert response.status_code == 302


def _without_a_draw(world: World, client: FlaskClient) -> None:
    """Set the prepared draw aside, so a new one can be prepared."""
    from committee.panel import draws

    draws.discard_draw(actor=world.moderator, draw=world.draw)
    db.session.commit()


def _rationale_written(world: World, client: FlaskClient) -> None:
    write_rationale(world.procurement, member=world.member)
    db.session.commit()


def _scores_submitted(world: World, client: FlaskClient) -> None:
    score_everything(world.procurement)
    db.session.commit()


def _a_question_asked(world: World, client: FlaskClient) -> None:
    """Bidder A asked a question; the moderator's answer form for it is on the questions page."""
    from committee.offers import services as offers

    question = offers.ask_question(
        actor=world.people["bidder_a"],
        procurement=world.procurement,
        body="Mag een coalitie van drie partijen meedoen?",
        today=local_today(),
    )
    db.session.commit()
    world.question_id = question.id


def _a_signal_shown(world: World, client: FlaskClient) -> None:
    """A resident sent a signal and the moderator showed it: the chosen party may answer."""
    from committee.monitoring import services as monitoring

    signal = monitoring.send_signal(
        procurement=world.procurement,
        what="De inloop was drie weken dicht.",
        place="Buurthuis Noord",
        happened_on=local_today(),
        today=local_today(),
    )
    monitoring.moderate(actor=world.moderator, signal=signal, show=True)
    db.session.commit()
    world.signal_id = signal.id


def _a_contract(world: World, client: FlaskClient) -> None:
    """The moderator recorded the contract with the chosen party (B), 5 % social return and a goal."""
    from committee.monitoring import contracts

    contract = contracts.save_contract(
        actor=world.moderator,
        procurement=world.procurement,
        organisation_id=world.people["bidder_b"].organisation_id,
        starts_on=local_today() - timedelta(days=100),
        ends_on=local_today() + timedelta(days=600),
        contract_sum=100_000,
    )
    contracts.add_commitment(
        actor=world.moderator, contract=contract, description="Werk", percentage=5.0, amount=None
    )
    contracts.add_indicator(
        actor=world.moderator, contract=contract, name="Bezoekers", unit="per week", target=40
    )
    db.session.commit()
    world.contract_id = contract.id


def _a_failed_message(world: World, client: FlaskClient) -> None:
    """A message every try of which failed: the outbox shows its retry form."""
    from committee.mail import MailState, OutboxMessage

    db.session.add(
        OutboxMessage(
            to="bewoner@voorbeeld.example",
            subject="Uitnodiging",
            body="",
            state=MailState.FAILED,
            attempts=6,
            last_error="SMTPRecipientsRefused: 550",
        )
    )
    db.session.commit()


def _a_story_told(world: World, client: FlaskClient) -> None:
    """The applicant told a story; it waits on the moderator's page with its reject form."""
    from committee.stories import services as stories

    story = stories.add_story(
        author=world.people["applicant"],
        procurement=world.procurement,
        title="Koffie op dinsdag",
        body="Het buurthuis is elke dinsdag open.",
        consent=True,
    )
    db.session.commit()
    world.story_id = story.id


def _person_to_erase(world: World, client: FlaskClient) -> None:
    world.person_key = f"account-{world.people['applicant'].id}"


def _presentation_started(world: World, client: FlaskClient) -> None:
    """Offer A presents, with one criterion set beforehand; the round has started."""
    from committee.scoring import presentation

    procurement, moderator = world.procurement, world.moderator
    presentation.choose_offers(actor=moderator, procurement=procurement, offer_ids=[world.offer_a.id])
    presentation.add_criterion(actor=moderator, procurement=procurement, name="Het team kent de wijk")
    presentation.start(actor=moderator, procurement=procurement)
    db.session.commit()


def _challenge_announced(world: World, client: FlaskClient) -> None:
    """The procurement is a call-for-action challenge: offers A and B are announced finalists,
    the coaching period runs 60 days with one milestone, and the member is an adviser."""
    from committee.challenges import services as challenges
    from committee.panel.models import MemberKind
    from committee.procurement.models import Kind
    from committee.scoring import presentation

    procurement, moderator = world.procurement, world.moderator
    procurement.kind = Kind.CHALLENGE_ACTION
    world.member.kind = MemberKind.ADVISER
    presentation.choose_offers(
        actor=moderator, procurement=procurement, offer_ids=[world.offer_a.id, world.offer_b.id]
    )
    presentation.add_criterion(actor=moderator, procurement=procurement, name="De pitch")
    challenges.announce_finalists(actor=moderator, procurement=procurement)
    today = local_today()
    challenges.set_period(
        actor=moderator, procurement=procurement, starts_on=today, ends_on=today + timedelta(days=60)
    )
    milestone = challenges.add_milestone(
        actor=moderator,
        procurement=procurement,
        title="Eerste gesprek",
        expected="",
        due_on=today + timedelta(days=9),
    )
    world.milestone_id = milestone.id
    db.session.commit()


def _a_coalition_challenge(world: World, client: FlaskClient) -> None:
    """The world's procurement is a coalition challenge with bidders A and B on its list."""
    from committee.coalitions import services as coalitions
    from committee.procurement.models import Kind

    world.procurement.kind = Kind.CHALLENGE_COALITION
    for who in ("bidder_a", "bidder_b"):
        coalitions.save_entry(
            actor=world.people[who],
            procurement=world.procurement,
            shown_name=f"Partij {who}",
            brings="Een ruimte.",
            seeks="Vrijwilligers.",
            today=local_today(),
        )
    db.session.commit()


def _a_coalition_started(world: World, client: FlaskClient) -> None:
    """As ``_a_coalition_challenge``, and bidder A leads a coalition (the invitation form)."""
    from committee.coalitions import services as coalitions

    _a_coalition_challenge(world, client)
    coalitions.create_coalition(
        actor=world.people["bidder_a"], procurement=world.procurement, name="Samen", today=local_today()
    )
    db.session.commit()


PUBLIC = "/wijk/{slug}/aanbesteding/{pid}"
MOD = "/beheer/aanbesteding/{pid}"
REPORT = "/aanbieder/aanbesteding/{pid}/rapportage"

CASES = [
    Case(
        "EntryForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/challenge/{pid}/coalitie",
        "/aanbieder/challenge/{pid}/lijst",
        [("anonymous", "/uitvragen/{pid}"), ("moderator", MOD + "/wie-doet-mee")],
        prepare=_a_coalition_challenge,
    ),
    Case(
        "MessageForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/challenge/{pid}/coalitie",
        "/aanbieder/challenge/{pid}/bericht",
        [("moderator", "/beheer/uitgaande-post")],
        prepare=_a_coalition_challenge,
    ),
    Case(
        "CoalitionForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/challenge/{pid}/coalitie",
        "/aanbieder/challenge/{pid}/coalitie",
        [("bidder_a", "/aanbieder/challenge/{pid}/coalitie")],
        prepare=_a_coalition_challenge,
    ),
    Case(
        "InviteForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/challenge/{pid}/coalitie",
        "/aanbieder/challenge/{pid}/uitnodigen",
        [("bidder_b", "/aanbieder/challenge/{pid}/coalitie")],
        prepare=_a_coalition_started,
    ),
    Case(
        "HideEntryForm",
        Phase.OFFERS_OPEN,
        "moderator",
        MOD + "/wie-doet-mee",
        MOD + "/wie-doet-mee/",
        [("moderator", MOD + "/wie-doet-mee")],
        prepare=_a_coalition_challenge,
    ),
    Case("LoginForm", Phase.CONCEPT, "anonymous", "/inloggen", "/inloggen"),
    Case(
        "BidderRegistrationForm",
        Phase.CONCEPT,
        "anonymous",
        "/aanbieder/registreren",
        "/aanbieder/registreren",
    ),
    Case(
        "SecondFactorForm",
        Phase.CONCEPT,
        "anonymous",
        "/inloggen/code",
        "/inloggen/code",
        prepare=_halfway_through_login,
    ),
    Case("ShortCodeForm", Phase.CONCEPT, "anonymous", "/code", "/code"),
    Case(
        "SignalForm",
        Phase.PUBLISHED,
        "anonymous",
        PUBLIC + "/signaal",
        PUBLIC + "/signaal",
        [("moderator", MOD + "/signalen"), ("anonymous", PUBLIC)],
    ),
    Case(
        "NeedsSetupForm",
        Phase.CONCEPT,
        "moderator",
        MOD + "/wensen",
        MOD + "/wensen",
        [("moderator", MOD + "/wensen")],
    ),
    Case(
        "ThemeForm",
        Phase.NEEDS,
        "moderator",
        MOD + "/wensen",
        MOD + "/wensen/thema",
        [("moderator", MOD + "/wensen"), ("anonymous", PUBLIC + "/wensen")],
    ),
    Case("CodesForm", Phase.NEEDS, "moderator", MOD + "/wensen", MOD + "/wensen/codes"),
    Case(
        "NeedsResponseForm",
        Phase.NEEDS,
        "anonymous",
        PUBLIC + "/wensen",
        PUBLIC + "/wensen",
        [("moderator", MOD + "/wensen")],
    ),
    Case(
        "CallThemesForm",
        Phase.RECRUITMENT,
        "moderator",
        MOD + "/wensen",
        MOD + "/wensen/uitvraag",
        [("moderator", MOD + "/wensen")],
    ),
    Case(
        "OfferForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/aanbesteding/{pid}/aanbod",
        "/aanbieder/aanbesteding/{pid}/aanbod",
        [
            ("bidder_a", "/aanbieder/aanbesteding/{pid}/ontvangstbewijs"),
            ("moderator", MOD + "/anonimisering/{offer}"),
        ],
        extra={"submit": "Wijziging indienen"},  # the offer is in: a change counts once resubmitted
        valid={"budget_asked": "1.000"},  # a text box, but only whole euros are stored
    ),
    Case(
        "AnnexForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/aanbesteding/{pid}/aanbod",
        "/aanbieder/aanbesteding/{pid}/bijlagen",
        [("bidder_a", "/aanbieder/aanbesteding/{pid}/aanbod")],
    ),
    Case(
        "OrganisationForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/organisatie",
        "/aanbieder/organisatie",
        [("bidder_a", "/aanbieder/organisatie")],
    ),
    Case(
        "PartnerForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/organisatie",
        "/aanbieder/organisatie/partners",
        [("bidder_a", "/aanbieder/organisatie")],
        prepare=_as_coalition,
    ),
    Case(
        "ContactForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/aanbieder/organisatie",
        "/aanbieder/organisatie/contactpersonen",
        [("bidder_a", "/aanbieder/organisatie")],
    ),
    Case(
        "QuestionForm",
        Phase.OFFERS_OPEN,
        "bidder_a",
        "/uitvragen/{pid}",
        "/uitvragen/{pid}/vragen",
        [("moderator", MOD + "/vragen"), ("anonymous", "/uitvragen/{pid}")],
    ),
    Case(
        "CallForm",
        Phase.OFFERS_OPEN,
        "moderator",
        MOD + "/uitvraag",
        MOD + "/uitvraag",
        [("anonymous", "/uitvragen/{pid}")],
    ),
    Case(
        "RedactionForm",
        Phase.ANONYMISATION,
        "moderator",
        MOD + "/anonimisering/{offer}",
        MOD + "/anonimisering/{offer}/weglaten",
        [("moderator", MOD + "/anonimisering/{offer}")],
    ),
    Case(
        "RecruitmentForm",
        Phase.CONCEPT,
        "moderator",
        MOD + "/werving",
        MOD + "/werving",
        [("moderator", MOD + "/werving")],
    ),
    Case(
        "ApplicationForm",
        Phase.RECRUITMENT,
        "anonymous",
        PUBLIC + "/aanmelden",
        PUBLIC + "/aanmelden",
        [("moderator", MOD + "/samenstelling")],
    ),
    Case(
        "ApplicationForm (paper)",
        Phase.RECRUITMENT,
        "moderator",
        MOD + "/aanmelding-op-papier",
        MOD + "/aanmelding-op-papier",
        [("moderator", MOD + "/samenstelling")],
    ),
    # Inviting by hand is for procurements without recruitment: before it is set up.
    Case("InviteMemberForm", Phase.CONCEPT, "moderator", MOD, MOD + "/leden", [("moderator", MOD)]),
    Case(
        "AddPersonForm",
        Phase.COMPOSITION,
        "moderator",
        MOD + "/samenstelling",
        MOD + "/samenstelling/persoon",
        [("moderator", MOD + "/samenstelling"), ("moderator", MOD)],
    ),
    Case(
        "QuotaForm",
        Phase.COMPOSITION,
        "moderator",
        MOD + "/samenstelling",
        MOD + "/samenstelling/quota",
        [("moderator", MOD + "/samenstelling")],
    ),
    Case(
        "PrepareDrawForm",
        Phase.COMPOSITION,
        "moderator",
        MOD + "/samenstelling",
        MOD + "/samenstelling/loting",
        [("moderator", MOD + "/samenstelling")],
        prepare=_without_a_draw,
    ),
    Case(
        "ReceiptForm",
        Phase.COMPOSITION,
        "anonymous",
        PUBLIC + "/loting/{draw}/bewijs",
        PUBLIC + "/loting/{draw}/bewijs",
        [("anonymous", PUBLIC + "/loting/{draw}")],
    ),
    Case(
        "AcceptForm",
        Phase.COMPOSITION,
        "member",
        "/commissie/{pid}/welkom",
        "/commissie/{pid}/welkom",
        [("moderator", MOD)],
    ),
    Case(
        "ContactPreferenceForm",
        Phase.OFFERS_OPEN,
        "member",
        "/commissie/{pid}/contact",
        "/commissie/{pid}/contact",
        [("moderator", MOD), ("bidder_a", "/uitvragen/{pid}")],
    ),
    Case(
        "ProcurementForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/wijken/{nid}/aanbesteding/nieuw",
        "/beheer/wijken/{nid}/aanbesteding/nieuw",
        [("moderator", "/beheer/")],
        valid={"budget_ceiling": "120.000"},  # a text box, but only whole euros are stored
    ),
    Case(
        "CriterionForm",
        Phase.CONCEPT,
        "moderator",
        MOD + "/criteria",
        MOD + "/criteria/nieuw",
        [("moderator", MOD + "/criteria")],
    ),
    Case(
        "CriteriaPresetForm",
        Phase.CONCEPT,
        "moderator",
        MOD + "/criteria",
        MOD + "/criteria/standaard",
        [("moderator", MOD + "/criteria")],
    ),
    Case(
        "ProcurementEditForm",
        Phase.CONCEPT,
        "moderator",
        MOD + "/wijzigen",
        MOD + "/wijzigen",
        [("moderator", MOD), ("moderator", MOD + "/wijzigen")],
        valid={"budget_ceiling": "120.000"},
    ),
    Case(
        "ProcurementEditForm (offers open)",
        Phase.OFFERS_OPEN,
        "moderator",
        MOD + "/wijzigen",
        MOD + "/wijzigen",
        # A told change (wijziging) is public: its note is on the public page.
        [("moderator", MOD), ("anonymous", PUBLIC), ("moderator", "/beheer/uitgaande-post")],
        valid={
            "budget_ceiling": "120.000",
            "dates_offers_open-starts_on": local_today().isoformat(),
            "dates_offers_open-ends_on": (local_today() + timedelta(days=30)).isoformat(),
        },
    ),
    Case(
        "EndProcurementForm",
        Phase.SCORING,
        "moderator",
        MOD + "/intrekken",
        MOD + "/intrekken",
        [("moderator", MOD), ("anonymous", PUBLIC)],
    ),
    Case(
        "EndProcurementForm (no award)",
        Phase.DELIBERATION,
        "moderator",
        MOD + "/geen-gunning",
        MOD + "/geen-gunning",
        [("moderator", MOD), ("anonymous", PUBLIC), ("anonymous", "/besluiten.atom")],
    ),
    Case("PhaseActionForm", Phase.CONCEPT, "moderator", MOD, MOD + "/fase", [("moderator", MOD)]),
    Case(
        "DecisionForm",
        Phase.DELIBERATION,
        "moderator",
        MOD,
        MOD + "/besluit",
        [("moderator", MOD)],
        prepare=_rationale_written,
    ),
    Case(
        "RationaleForm",
        Phase.DELIBERATION,
        "member",
        "/commissie/{pid}/motivering",
        "/commissie/{pid}/motivering",
        [("member", "/commissie/{pid}/motivering"), ("moderator", "/commissie/{pid}/motivering")],
    ),
    Case(
        "ScoreForm",
        Phase.SCORING,
        "member",
        "/commissie/{pid}/aanbod/{pseudonym}",
        "/commissie/{pid}/aanbod/{pseudonym}",
        [("member", "/commissie/{pid}/aanbod/{pseudonym}")],
    ),
    Case(
        "ScoreForm (htmx)",
        Phase.SCORING,
        "member",
        "/commissie/{pid}/aanbod/{pseudonym}",
        "/commissie/{pid}/aanbod/{pseudonym}",
        [("member", "/commissie/{pid}/aanbod/{pseudonym}")],
        htmx=True,
    ),
    Case(
        "DeclarationForm",
        Phase.SCORING,
        "member",
        "/commissie/{pid}/verklaring",
        "/commissie/{pid}/verklaring",
        [("moderator", MOD)],
        declare=False,
    ),
    Case(
        "BriefingForm",
        Phase.SCORING,
        "member",
        "/commissie/{pid}/uitleg",
        "/commissie/{pid}/uitleg",
        [("moderator", MOD)],
        prepare=_unbriefed,
    ),
    Case(
        "ReopenForm",
        Phase.SCORING,
        "moderator",
        MOD + "/leden/{member}/heropenen",
        MOD + "/leden/{member}/heropenen",
        [("moderator", MOD), ("member", "/commissie/{pid}/")],
        prepare=_scores_submitted,
    ),
    Case(
        "MeetingNoteForm",
        Phase.DELIBERATION,
        "moderator",
        "/commissie/{pid}/overleg/{pseudonym}",
        "/commissie/{pid}/overleg/{pseudonym}",
        [("member", "/commissie/{pid}/overleg/{pseudonym}")],
    ),
    Case(
        "ChooseOffersForm",
        Phase.DELIBERATION,
        "moderator",
        MOD + "/presentatie",
        MOD + "/presentatie/aanbod",
        [("moderator", MOD + "/presentatie")],
    ),
    Case(
        "PresentationCriterionForm",
        Phase.DELIBERATION,
        "moderator",
        MOD + "/presentatie",
        MOD + "/presentatie/criteria",
        [("moderator", MOD + "/presentatie")],
    ),
    Case(
        "PresentationScoreForm",
        Phase.DELIBERATION,
        "member",
        "/commissie/{pid}/presentatie/{pseudonym}",
        "/commissie/{pid}/presentatie/{pseudonym}",
        [
            ("member", "/commissie/{pid}/presentatie/{pseudonym}"),
            ("moderator", "/commissie/{pid}/uitslag/twee-rondes"),
        ],
        prepare=_presentation_started,
    ),
    Case(
        "PeriodForm",
        Phase.DELIBERATION,
        "moderator",
        "/beheer/challenge/{pid}",
        "/beheer/challenge/{pid}/periode",
        [("moderator", "/beheer/challenge/{pid}"), ("anonymous", PUBLIC)],
        prepare=_challenge_announced,
        valid={
            "starts_on": local_today().isoformat(),
            "ends_on": (local_today() + timedelta(days=30)).isoformat(),
        },
    ),
    Case(
        "MilestoneForm",
        Phase.DELIBERATION,
        "moderator",
        "/beheer/challenge/{pid}",
        "/beheer/challenge/{pid}/mijlpalen",
        [
            ("moderator", "/beheer/challenge/{pid}"),
            ("anonymous", PUBLIC),
            ("bidder_a", "/aanbieder/aanbesteding/{pid}/aanbod"),
        ],
        prepare=_challenge_announced,
        valid={"due_on": (local_today() + timedelta(days=20)).isoformat()},
    ),
    Case(
        "ProgressForm",
        Phase.DELIBERATION,
        "moderator",
        "/beheer/challenge/{pid}",
        "/beheer/challenge/{pid}/voortgang/{offer}/{milestone}",
        [("moderator", "/beheer/challenge/{pid}"), ("bidder_a", "/aanbieder/aanbesteding/{pid}/aanbod")],
        prepare=_challenge_announced,
    ),
    Case(
        "AdviceForm",
        Phase.DELIBERATION,
        "member",
        "/commissie/{pid}/challenge",
        "/commissie/{pid}/challenge/advies/{offer}",
        [("member", "/commissie/{pid}/challenge"), ("moderator", "/beheer/challenge/{pid}")],
        prepare=_challenge_announced,
    ),
    Case(
        "NeighbourhoodForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/wijken/nieuw",
        "/beheer/wijken/nieuw",
        [("moderator", "/beheer/")],
    ),
    Case(
        "ProfileImportForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/wijken/{nid}/profiel",
        "/beheer/wijken/{nid}/profiel/cbs",
        [("moderator", "/beheer/wijken/{nid}/profiel")],
    ),
    Case(
        "ProfileHandForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/wijken/{nid}/profiel",
        "/beheer/wijken/{nid}/profiel/hand/",
        [("moderator", "/beheer/wijken/{nid}/profiel")],
    ),
    Case(
        "AnswerForm",
        Phase.OFFERS_OPEN,
        "moderator",
        MOD + "/vragen",
        MOD + "/vragen/{question}",
        [("moderator", MOD + "/vragen"), ("anonymous", "/uitvragen/{pid}"), ("bidder_b", "/uitvragen/{pid}")],
        prepare=_a_question_asked,
    ),
    Case(
        "EraseForm",
        Phase.SCORING,
        "moderator",
        "/beheer/personen/{person}",
        "/beheer/personen/{person}/wissen",
        [("moderator", "/beheer/personen/{person}"), ("moderator", "/beheer/logboek")],
        prepare=_person_to_erase,
    ),
    Case(
        "MailRetryForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/uitgaande-post",
        "/beheer/uitgaande-post/opnieuw",
        [("moderator", "/beheer/uitgaande-post")],
        prepare=_a_failed_message,
    ),
    Case(
        "ResponseForm",
        Phase.PUBLISHED,
        "bidder_b",  # the offer the committee chose is B's
        "/aanbieder/signalen",
        "/aanbieder/signalen/{signal}",
        [("bidder_b", "/aanbieder/signalen"), ("anonymous", PUBLIC)],
        prepare=_a_signal_shown,
    ),
    Case(
        "ContractForm",
        Phase.PUBLISHED,
        "moderator",
        MOD + "/contract",
        MOD + "/contract",
        [("moderator", MOD + "/contract"), ("anonymous", PUBLIC), ("bidder_b", REPORT)],
    ),
    Case(
        "CommitmentForm",
        Phase.PUBLISHED,
        "moderator",
        MOD + "/contract",
        MOD + "/contract/{contract}/social-return",
        [("moderator", MOD + "/contract"), ("anonymous", PUBLIC), ("bidder_b", REPORT)],
        prepare=_a_contract,
        valid={"percentage": "5", "amount": ""},
    ),
    Case(
        "IndicatorForm",
        Phase.PUBLISHED,
        "moderator",
        MOD + "/contract",
        MOD + "/contract/{contract}/doel",
        [("moderator", MOD + "/contract"), ("anonymous", PUBLIC), ("bidder_b", REPORT)],
        prepare=_a_contract,
    ),
    Case(
        "TalkForm",
        Phase.PUBLISHED,
        "moderator",
        MOD + "/contract",
        MOD + "/contract/{contract}/gesprek",
        [("moderator", MOD + "/contract"), ("anonymous", PUBLIC)],
        prepare=_a_contract,
        valid={"public": "y"},
    ),
    Case(
        "ReportForm",
        Phase.PUBLISHED,
        "bidder_b",  # the offer the committee chose is B's
        REPORT,
        REPORT,
        [("bidder_b", REPORT), ("moderator", MOD + "/contract"), ("anonymous", PUBLIC)],
        prepare=_a_contract,
    ),
    Case(
        "PlannedItemForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/kalender/nieuw",
        "/beheer/kalender/nieuw",
        # A query string: the page is rendered afresh, not taken from the page cache.
        [("moderator", "/beheer/kalender"), ("anonymous", "/kalender?vers=1")],
        valid={"budget_min": "10000", "budget_max": "20.000"},
    ),
    Case(
        "InventoryEntryForm",
        Phase.CONCEPT,
        "moderator",
        "/beheer/inventaris/nieuw",
        "/beheer/inventaris/nieuw",
        [("moderator", "/beheer/kalender"), ("anonymous", "/kalender/wijk/{slug}?vers=1")],
        valid={"amount": "5000"},
    ),
    Case("FollowForm", Phase.CONCEPT, "anonymous", "/kalender/volgen", "/kalender/volgen"),
    Case(
        "StoryForm",
        Phase.PUBLISHED,
        "applicant",
        PUBLIC + "/verhaal",
        PUBLIC + "/verhaal",
        [("applicant", "/verhalen/mijn"), ("moderator", "/beheer/verhalen")],
        valid={"photo": ""},  # hostile files come in the hostile half; a story also goes without
    ),
    Case(
        "ModerateStoryForm",
        Phase.PUBLISHED,
        "moderator",
        "/beheer/verhalen",
        "/beheer/verhalen/{story}",
        [("applicant", "/verhalen/mijn"), ("moderator", "/beheer/verhalen")],
        prepare=_a_story_told,
        extra={"decision": "reject"},
    ),
]

# Forms with nothing to type: a button and the CSRF token, or only an id in a hidden field.
NO_INPUT = {
    "InvitationAnswerForm",
    "WithdrawEntryForm",
    "ContinueForm",
    "LogoutForm",
    "ModerateSignalForm",
    "RemoveThemeForm",
    "ItemForm",
    "ConfirmForm",
    "PagesForm",
    "ReissueInvitationForm",
    "ResetQuotasForm",
    "DrawActionForm",
    "MemberChangeForm",
    "AddApplicantsForm",
    "RemoveCriterionForm",
    "ApproveRationaleForm",
    "ProvisionalAwardForm",
    "ConfirmDeclarationForm",
    "SubmitScoresForm",
    "ExportForm",
    "FollowConfirmForm",
    "UnfollowForm",
    "PlanDeleteForm",
    "WithdrawStoryForm",
    "RemovePresentationCriterionForm",
    "StartPresentationForm",
    "ClosePresentationForm",
    "AnnounceForm",
    "RemoveForm",
}

# Forms that are a part of another form (a FormField): fed through that form's case.
PARTS = {"PhaseDatesForm": "ProcurementForm"}  # and of ProcurementEditForm


def test_every_form_is_covered_or_named_as_without_input():
    root = Path(__file__).resolve().parents[1] / "committee"
    forms = set()
    for path in root.rglob("*.py"):
        forms |= set(re.findall(r"class (\w+)\(FlaskForm\)", path.read_text()))
    covered = {c.label.split(" ")[0] for c in CASES} | set(GET_FORMS)
    covered |= {part for part, whole in PARTS.items() if whole in covered}
    assert forms - covered - NO_INPUT == set(), "add a Case for these forms"
    assert covered | NO_INPUT <= forms, "these names are no form any more"


# --- the test ----------------------------------------------------------------------------------


def _fill(path: str, world: World) -> str:
    offer = world.offer_a
    return path.format(
        pid=world.procurement.id,
        nid=world.procurement.neighbourhood_id,
        slug=world.procurement.neighbourhood.slug,
        pseudonym=offer.pseudonym if offer is not None else "",
        offer=offer.id if offer is not None else 0,
        member=world.member.id,
        question=getattr(world, "question_id", 0),
        signal=getattr(world, "signal_id", 0),
        contract=getattr(world, "contract_id", 0),
        story=getattr(world, "story_id", 0),
        person=getattr(world, "person_key", ""),
        draw=world.draw.id if getattr(world, "draw", None) is not None else 0,
        milestone=getattr(world, "milestone_id", 0),
    )


def _no_injection(html: str, where: str) -> None:
    found = live_payloads(html)
    assert found == [], f"{where}: live payload {found}"


# Forms that no generated value gets through: they want something only the real world has.
ONLY_REJECTS = {
    "AnnexForm",  # a real PDF
    "ProfileImportForm",  # a real CBS file
    "PhaseActionForm",  # the one action the page offers, not free text
    "MailRetryForm",  # the id of a failed message, not free text
    "LoginForm",  # a real password
    "SecondFactorForm",  # a real code from the app
    "ShortCodeForm",  # a real code from the letter
    "ReceiptForm",  # a real receipt code from the applicant's mail
}


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_hostile_input_never_breaks_a_form(app, app_ctx, case):
    world = World(case.phase, declare=case.declare)
    clients = {}

    def client_for(role):
        if role not in clients:
            clients[role] = app.test_client()
            if world.people[role] is not None:
                login(clients[role], world.people[role])
        return clients[role]

    poster = client_for(case.role)
    if case.prepare is not None:
        case.prepare(world, poster)
    page_path = _fill(case.page, world)
    page = poster.get(page_path)
    assert page.status_code == 200, case.page
    action, fields = read_form(page.get_data(as_text=True), _fill(case.action, world), page_path)
    assert fields, f"{case.label}: no fields read"
    shown_on = [(role, _fill(path, world)) for role, path in case.shown_on]
    headers = {"HX-Request": "true"} if case.htmx else {}
    answers: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=form_data(fields, case.valid))
    def post_hostile(data):
        data = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
        data = {**case.extra, **data}
        response = poster.post(action, data=data, headers=headers, content_type="multipart/form-data")
        body = response.get_data(as_text=True)
        answers.append(response.status_code)
        assert response.status_code < 500, f"{case.label}: {response.status_code}\n{body[:2000]}"
        assert "Traceback" not in body
        if response.status_code in (400, 422) and not case.htmx:
            assert 'lang="nl"' in body, f"{case.label}: rejected without the Dutch page"
            if response.status_code == 422:
                assert 'role="alert"' in body, f"{case.label}: rejected without a message"
        if response.mimetype == "text/html":
            _no_injection(body, f"{case.label} answer")
        for role, path in shown_on:
            shown = client_for(role).get(path)
            assert shown.status_code < 500, path
            _no_injection(shown.get_data(as_text=True), f"{case.label} on {path} as {role}")

    post_hostile()
    # Otherwise only rejections were tried, and no payload reached the pages in shown_on.
    accepted = [status for status in answers if status < 400]
    assert accepted or case.label in ONLY_REJECTS, (
        f"{case.label}: no example was accepted {sorted(set(answers))}"
    )


GET_FORMS = {"SearchForm": ["q"], "LogFilterForm": ["aanbesteding", "actie", "vanaf", "tot"]}
GET_PAGES = {"SearchForm": "/beheer/personen", "LogFilterForm": "/beheer/logboek"}


@pytest.mark.parametrize("form", sorted(GET_FORMS))
def test_hostile_searches_never_break_a_page(app, app_ctx, form):
    world = World(Phase.SCORING)
    client = app.test_client()
    login(client, world.moderator)
    path = GET_PAGES[form]

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)
    @given(
        values=st.fixed_dictionaries(
            {name: st.one_of(hostile_text, hostile_date) for name in GET_FORMS[form]}
        )
    )
    def search(values):
        values = {k: v for k, v in values.items() if "\x00" not in v}  # NUL: refused, tested below
        response = client.get(path, query_string=values)
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 422), f"{form}: {response.status_code}\n{body[:2000]}"
        assert 'lang="nl"' in body
        _no_injection(body, f"{form} with {values!r}")

    search()


# --- what the examples above found ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path, data",
    [
        ("/code", {"code": "ab\x00cd"}),
        ("/wijk/nul\x00wijk", None),
        ("/uitvragen/?q=\x00", None),
    ],
)
def test_a_nul_byte_is_refused_with_the_dutch_page(client, path, data):
    # PostgreSQL cannot store a NUL byte: it used to end in a server error there.
    response = client.post(path, data=data) if data else client.get(path)
    assert response.status_code == 400
    assert 'lang="nl"' in response.get_data(as_text=True)


def test_a_long_neighbourhood_name_still_gets_a_slug_that_fits(app_ctx):
    from committee.wijk import services as wijk
    from tests.factories import make_moderator

    neighbourhood = wijk.create_neighbourhood(
        actor=make_moderator(), name="Buurt " * 20, municipality="Gemeente " * 13, buurten=["Noord"]
    )
    assert 0 < len(neighbourhood.slug) <= wijk.SLUG_LENGTH
