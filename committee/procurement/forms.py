"""Forms for neighbourhoods, procurements and their phase changes."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange
from wtforms.widgets import HiddenInput

from committee.forms import EuroField, MultiCheckboxField, max_length, optional, required, whole_euros
from committee.panel.models import MemberKind
from committee.procurement.models import Kind
from committee.procurement.phases import PLANNED_PHASES


class PhaseDatesForm(FlaskForm):
    """One phase's dates, inside the procurement form (``FormField``). A FlaskForm for WTForms'
    own messages in the page's language ("Ongeldige datum."); the outer form has the CSRF token."""

    class Meta:
        csrf = False

    starts_on = DateField(_l("Begint op"), validators=[optional()])
    ends_on = DateField(_l("Eindigt op"), validators=[optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("De einddatum ligt vóór de begindatum."))


KIND_CHOICES = [
    SelectChoice(
        Kind.PROCUREMENT.value,
        _l("Aanbesteding: een organisatie voert het werk uit, met een budget per jaar"),
    ),
    SelectChoice(
        Kind.CHALLENGE_ACTION.value,
        _l(
            "Challenge, uitvraag voor actie: een open oproep, de commissie kiest finalisten, "
            "zij krijgen begeleiding en pitchen in een finale; de jury verdeelt de startfinanciering "
            "(vul die in als budget)"
        ),
    ),
    SelectChoice(
        Kind.CHALLENGE_COALITION.value,
        _l(
            "Challenge, een coalitie vormen: partijen vinden elkaar rond een vraag, vormen samen een "
            "coalitie en presenteren hun oplossing; de presentatie start de pilot"
        ),
    ),
]

CRITERIA_CHOICES = [
    SelectChoice(
        "public_value",
        _l("Publieke waarde: draagvlak, effectiviteit, betrokkenheid en aansluiting bij de wijk"),
    ),
    SelectChoice("quality", _l("Eén criterium: kwaliteit")),
]


def _procurement_form_class():
    """Build the form with one date pair per planned phase."""

    class ProcurementForm(FlaskForm):
        kind = RadioField(
            _l("Wat voor uitvraag is het?"),
            choices=KIND_CHOICES,
            default=Kind.PROCUREMENT.value,
            description=_l("Dit kan later niet meer veranderen."),
            validators=[required()],
        )
        title = StringField(_l("Titel"), validators=[required(), max_length(200)])
        task = TextAreaField(
            _l("De opgave in gewone woorden"),
            description=_l(
                "Wat moet er in de wijk gebeuren? Schrijf het zoals u het aan een buurman uitlegt."
            ),
            validators=[required(), max_length(10000)],
        )
        budget_ceiling = EuroField(
            _l("Maximaal budget per jaar, in hele euro's"),
            validators=[required(), whole_euros()],
        )
        criteria = RadioField(
            _l("Waarop beoordeelt de commissie?"),
            choices=CRITERIA_CHOICES,
            default="public_value",
            validators=[required()],
        )
        submit = SubmitField(_l("Aanbesteding opslaan"))

    for phase in PLANNED_PHASES:
        setattr(ProcurementForm, f"dates_{phase.value}", FormField(PhaseDatesForm, label=phase.label))
    return ProcurementForm


ProcurementForm = _procurement_form_class()


def _edit_form_class():
    """The edit form: what the new form has, without the criteria (they have their own page),
    with a note for bidders."""

    class ProcurementEditForm(FlaskForm):
        title = StringField(_l("Titel"), validators=[required(), max_length(200)])
        task = TextAreaField(_l("De opgave in gewone woorden"), validators=[required(), max_length(10000)])
        budget_ceiling = EuroField(
            _l("Maximaal budget per jaar, in hele euro's"),
            validators=[required(), whole_euros()],
        )
        note = TextAreaField(
            _l("Toelichting voor aanbieders (niet verplicht)"),
            description=_l(
                "Staat het indienen open, dan krijgen aanbieders bericht van een nieuwe opgave, "
                "budget of laatste dag, met deze toelichting. Ook de openbare pagina toont het."
            ),
            validators=[optional(), max_length(2000)],
        )
        submit = SubmitField(_l("Wijzigingen opslaan"))

    for phase in PLANNED_PHASES:
        setattr(ProcurementEditForm, f"dates_{phase.value}", FormField(PhaseDatesForm, label=phase.label))
    return ProcurementEditForm


ProcurementEditForm = _edit_form_class()


class EndProcurementForm(FlaskForm):
    """Cancel, or end without an award: a reason and an explicit confirmation (irreversible)."""

    reason = TextAreaField(
        _l("De reden"),
        description=_l("Bewoners en aanbieders lezen deze reden. Schrijf hem in gewone woorden."),
        validators=[required(), max_length(2000)],
    )
    confirm = BooleanField(
        _l("Ik weet dat dit niet terug te draaien is."),
        validators=[DataRequired(message=_l("Vink aan dat u weet dat dit niet terug te draaien is."))],
    )
    submit = SubmitField(_l("Definitief beëindigen"))


class PhaseActionForm(FlaskForm):
    action = HiddenField(validators=[required()])


class MailRetryForm(FlaskForm):
    """Try a failed message again: which one, in a hidden field."""

    message = IntegerField(widget=HiddenInput(), validators=[required()])


class CriterionForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[required(), max_length(120)])
    question = TextAreaField(
        _l("De vraag in gewone woorden"),
        description=_l("Wat vraagt het lid zich af bij dit criterium?"),
        validators=[required(), max_length(1000)],
    )
    weight = IntegerField(
        _l("Gewicht"),
        description=_l("Hoe vaak telt dit criterium mee: 1 is gewoon, 2 is dubbel, tot 10."),
        default=1,
        validators=[
            required(),
            NumberRange(min=1, max=10, message=_l("Vul een heel getal van 1 tot en met 10 in.")),
        ],
    )
    scale_low = TextAreaField(_l("Zo ziet een 1 eruit"), validators=[required(), max_length(500)])
    scale_middle = TextAreaField(_l("Zo ziet een 3 eruit"), validators=[required(), max_length(500)])
    scale_high = TextAreaField(_l("Zo ziet een 5 eruit"), validators=[required(), max_length(500)])
    submit = SubmitField(_l("Criterium opslaan"))


class CriteriaPresetForm(FlaskForm):
    preset = RadioField(
        _l("Begin opnieuw met een standaardlijst"), choices=CRITERIA_CHOICES, validators=[required()]
    )
    submit = SubmitField(_l("Standaardlijst gebruiken"))


class RemoveCriterionForm(FlaskForm):
    submit = SubmitField(_l("Criterium verwijderen"))


METHOD_CHOICES = [
    SelectChoice("consensus", _l("Iedereen is het eens (consensus)")),
    SelectChoice("vote", _l("Geen consensus: er is gestemd")),
]
VOTE_CHOICES = [
    SelectChoice("", _l("Niet aanwezig")),
    SelectChoice("for", _l("Voor")),
    SelectChoice("against", _l("Tegen")),
    SelectChoice("abstain", _l("Onthoudt zich")),
]


def decision_form_class(offer_choices: list[SelectChoice], voters):
    """The decision form: chosen offers, the method, the reasons, and a vote per member who
    may vote (``vote_<member id>``)."""

    class DecisionForm(FlaskForm):
        offers = MultiCheckboxField(
            _l("Gekozen aanbod"),
            choices=offer_choices,
            coerce=int,
            description=_l("Eén of meer aanbiedingen; samen binnen het budget."),
            validators=[DataRequired(message=_l("Kies ten minste één aanbod."))],
        )
        method = RadioField(
            _l("Hoe besliste de commissie?"),
            choices=METHOD_CHOICES,
            default="consensus",
            validators=[required()],
        )
        reasons = TextAreaField(
            _l("Redenen van het besluit"),
            description=_l(
                "Kort, zoals in het overleg gezegd. De motivering voor de wijk schrijft de commissie apart."
            ),
            validators=[required(), max_length(10000)],
        )
        submit = SubmitField(_l("Besluit vastleggen"))

    for member in voters:
        label = (
            _("%(name)s (bewoner)", name=member.user.name)
            if member.kind == MemberKind.RESIDENT
            else _("%(name)s (geen bewoner)", name=member.user.name)
        )
        setattr(
            DecisionForm,
            f"vote_{member.id}",
            SelectField(label, choices=VOTE_CHOICES, default="", validators=[optional()]),
        )
    return DecisionForm
