"""Forms for neighbourhoods, procurements and their phase changes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
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
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice

from committee.forms import max_length, optional, required, whole_euros
from committee.procurement.phases import PLANNED_PHASES


class PhaseDatesForm(PlainForm):
    starts_on = DateField(_l("Begint op"), validators=[optional()])
    ends_on = DateField(_l("Eindigt op"), validators=[optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("De einddatum ligt vóór de begindatum."))


CRITERIA_CHOICES = [
    SelectChoice("public_value", _l("Publieke waarde: draagvlak, effectiviteit, betrokkenheid "
                                    "en aansluiting bij de wijk")),
    SelectChoice("quality", _l("Eén criterium: kwaliteit")),
]


def _procurement_form_class():
    """Build the form with one date pair per planned phase."""

    class ProcurementForm(FlaskForm):
        title = StringField(_l("Titel"), validators=[required(), max_length(200)])
        task = TextAreaField(
            _l("De opgave in gewone woorden"),
            description=_l(
                "Wat moet er in de wijk gebeuren? Schrijf het zoals u het aan een buurman uitlegt."
            ),
            validators=[required(), max_length(10000)],
        )
        budget_ceiling = IntegerField(
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


class PhaseActionForm(FlaskForm):
    action = HiddenField(validators=[required()])


class DecisionForm(FlaskForm):
    offer_id = SelectField(_l("Gekozen aanbod"), coerce=int, validators=[required()])
    submit = SubmitField(_l("Besluit vastleggen"))
