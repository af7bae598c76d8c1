"""The resident's signal form, the moderator's choice and the party's answer; after the award the
contract, its promises and goals, the party's report and the evaluation talk."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from committee.forms import EuroField, a_day_between, max_length, required, whole_euros


class SignalForm(FlaskForm):
    what = TextAreaField(
        _l("Wat merkte u?"),
        description=_l("Vertel wat er goed ging of wat beter kan. Noem geen namen van mensen."),
        validators=[required(), max_length(2000)],
    )
    place = StringField(
        _l("Waar was het?"),
        description=_l("Bijvoorbeeld: bij het buurthuis, of in de Molenbuurt."),
        validators=[required(), max_length(200)],
    )
    happened_on = DateField(
        _l("Wanneer was het?"),
        validators=[required()],
    )
    submit = SubmitField(_l("Signaal versturen"))


class ModerateSignalForm(FlaskForm):
    signal_id = HiddenField(validators=[required()])
    decision = HiddenField(validators=[required()])


class ResponseForm(FlaskForm):
    response = TextAreaField(
        _l("Uw reactie"),
        description=_l("Uw reactie staat bij het signaal op de openbare pagina."),
        validators=[required(), max_length(2000)],
    )
    submit = SubmitField(_l("Reactie plaatsen"))


# --- after the award: the contract, its promises, reports and evaluation talks ------------------


def _after(start_field: str, message):
    """The end of a term or period lies on or after its start (the start field's name given)."""

    def check(form, field):
        start = form[start_field].data
        if isinstance(start, date) and isinstance(field.data, date) and field.data < start:
            raise ValidationError(message)

    return check


def _a_whole_number(max_value: int = 1_000_000_000):
    return NumberRange(
        min=0, max=max_value, message=_l("Vul een heel getal in van 0 tot en met %(max)d.", max=max_value)
    )


class ContractForm(FlaskForm):
    organisation_id = SelectField(_l("Partij"), coerce=int, validate_choice=True)
    starts_on = DateField(_l("Begin van het contract"), validators=[required(), a_day_between()])
    ends_on = DateField(
        _l("Einde van het contract"),
        validators=[
            required(),
            a_day_between(),
            _after("starts_on", _l("De einddatum ligt vóór de begindatum. Kies een einddatum na het begin.")),
        ],
    )
    contract_sum = EuroField(
        _l("Contractsom"),
        description=_l("In hele euro's, bijvoorbeeld 240.000."),
        validators=[required(), whole_euros()],
    )
    submit = SubmitField(_l("Contract opslaan"))


class CommitmentForm(FlaskForm):
    description = TextAreaField(
        _l("Wat is afgesproken?"),
        description=_l("Bijvoorbeeld: werk voor mensen met een afstand tot de arbeidsmarkt."),
        validators=[required(), max_length(500)],
    )
    percentage = DecimalField(
        _l("Percentage van de contractsom"),
        description=_l(
            "Bijvoorbeeld 5 (of 2 bij een opdracht met weinig arbeid). Laat leeg als u een bedrag invult."
        ),
        places=1,
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("Kies een percentage van 0 tot en met 100.")),
        ],
        render_kw={"inputmode": "decimal"},
    )
    amount = EuroField(
        _l("Of: een vast bedrag"),
        description=_l("In hele euro's. Laat leeg als u een percentage invult."),
        validators=[Optional(), whole_euros()],
    )
    submit = SubmitField(_l("Afspraak toevoegen"))

    def validate_amount(self, field):
        if (self.percentage.data is None) == (field.data is None) and not self.percentage.errors:
            raise ValidationError(_l("Vul een percentage of een bedrag in, niet allebei."))
        if self.percentage.data is not None and self.percentage.data <= 0:
            raise ValidationError(_l("Kies een percentage groter dan 0."))


class IndicatorForm(FlaskForm):
    name = StringField(
        _l("Doel"),
        description=_l("Bijvoorbeeld: bewoners die meedoen aan de huiskamer."),
        validators=[required(), max_length(200)],
    )
    unit = StringField(
        _l("Eenheid"),
        description=_l("Waarin u het telt, bijvoorbeeld: deelnemers per week, of procent."),
        validators=[required(), max_length(60)],
    )
    target = IntegerField(
        _l("Streefwaarde"),
        description=_l("Een heel getal."),
        validators=[InputRequired(message=_l("Vul dit veld in.")), _a_whole_number()],
        render_kw={"inputmode": "numeric"},
    )
    submit = SubmitField(_l("Doel toevoegen"))


class TalkForm(FlaskForm):
    held_on = DateField(_l("Datum van het gesprek"), validators=[required(), a_day_between()])
    attendees = StringField(
        _l("Wie waren erbij?"),
        description=_l(
            "Noem rollen, geen namen. Bijvoorbeeld: gemeente, aanbieder, twee leden van de commissie."
        ),
        validators=[required(), max_length(300)],
    )
    summary = TextAreaField(_l("Samenvatting"), validators=[required(), max_length(5000)])
    public = BooleanField(_l("Samenvatting tonen op de openbare pagina"))
    submit = SubmitField(_l("Gesprek vastleggen"))


def report_form_class(contract):
    """The report form of one contract: the period, a text, and one field per indicator and per
    social-return commitment (empty: not reported this period)."""

    class ReportForm(FlaskForm):
        period_start = DateField(_l("Begin van de periode"), validators=[required(), a_day_between()])
        period_end = DateField(
            _l("Einde van de periode"),
            validators=[
                required(),
                a_day_between(),
                _after(
                    "period_start",
                    _l("Het einde van de periode ligt vóór het begin. Kies een latere einddatum."),
                ),
            ],
        )
        text = TextAreaField(
            _l("Wat heeft u bereikt?"),
            description=_l(
                "Kort: wie u bereikte, wat goed ging en wat beter kan. Noem geen namen van bewoners."
            ),
            validators=[required(), max_length(3000)],
        )
        submit = SubmitField(_l("Rapportage versturen"))

    for indicator in contract.indicators:
        setattr(
            ReportForm,
            f"indicator_{indicator.id}",
            IntegerField(
                # gettext, not lazy: a lazy string is taken as safe HTML, and the name is typed text.
                _("%(name)s (%(unit)s)", name=indicator.name, unit=indicator.unit),
                description=_("Doel: %(target)s.", target=indicator.target),
                validators=[Optional(), _a_whole_number()],
                render_kw={"inputmode": "numeric"},
            ),
        )
    for commitment in contract.commitments:
        setattr(
            ReportForm,
            f"commitment_{commitment.id}",
            EuroField(
                _("Besteed aan social return: %(what)s", what=commitment.description),
                description=_l("In hele euro's, in deze periode."),
                validators=[Optional(), whole_euros()],
            ),
        )
    return ReportForm
