"""Forms for the needs round: the moderator's setup and theme list, the residents' answer."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange

from committee.forms import max_length, optional, required


class NeedsSetupForm(FlaskForm):
    input_weight = TextAreaField(
        _l("Wat weegt de inbreng van bewoners?"),
        description=_l(
            "Bewoners lezen dit vóórdat ze antwoorden. Bijvoorbeeld: ‘De drie thema's "
            "die het vaakst genoemd worden, staan in de uitvraag. Aanbieders moeten "
            "laten zien wat ze eraan doen.’"
        ),
        validators=[required(), max_length(4000)],
    )
    postcodes = TextAreaField(
        _l("Postcodes van de wijk (niet verplicht)"),
        description=_l(
            "Vier cijfers (5611) of vier cijfers en twee letters (5611 AB), gescheiden "
            "door komma's of spaties. Dan kunnen bewoners zonder brief antwoorden met "
            "hun postcode."
        ),
        validators=[optional(), max_length(4000)],
    )
    submit = SubmitField(_l("Opslaan"))


class ThemeForm(FlaskForm):
    label = StringField(_l("Nieuw thema"), validators=[required(), max_length(120)])
    submit = SubmitField(_l("Thema toevoegen"))


class RemoveThemeForm(FlaskForm):
    theme_id = HiddenField(validators=[required()])


class CodesForm(FlaskForm):
    count = IntegerField(
        _l("Hoeveel codes?"),
        description=_l("Eén code per brief. U ziet de codes maar één keer: print ze meteen."),
        validators=[required(), NumberRange(min=1, max=5000, message=_l("Kies 1 tot 5000."))],
    )
    submit = SubmitField(_l("Codes maken"))


def response_form_class(themes, buurten, *, postcode_allowed: bool):
    """The residents' form: a top three from the list, something of their own, buurt, check."""
    choices = [SelectChoice(0, _l("(geen keuze)"))] + [SelectChoice(t.id, t.label) for t in themes]

    class NeedsResponseForm(FlaskForm):
        first = SelectField(_l("Het belangrijkst"), coerce=int, choices=choices, validators=[optional()])
        second = SelectField(_l("Daarna"), coerce=int, choices=choices, validators=[optional()])
        third = SelectField(_l("Op de derde plaats"), coerce=int, choices=choices, validators=[optional()])
        suggestion = StringField(
            _l("Mist u iets? Schrijf het op (niet verplicht)"),
            validators=[optional(), max_length(200)],
        )
        buurt = SelectField(
            _l("In welke buurt woont u?"),
            choices=[SelectChoice("", _l("Zeg ik liever niet"))] + [SelectChoice(b, b) for b in buurten],
            validators=[optional()],
        )
        code = StringField(
            _l("Code uit de brief"),
            description=_l("Acht letters en cijfers, zoals ABCD-EF23."),
            validators=[optional(), max_length(20)],
        )
        submit = SubmitField(_l("Versturen"))

    if postcode_allowed:
        NeedsResponseForm.postcode = StringField(
            _l("Of: uw postcode"),
            description=_l("Zonder brief? Vul uw postcode in, zoals 1234 AB."),
            validators=[optional(), max_length(10)],
        )
    return NeedsResponseForm


def call_form_class(themes):
    """Per theme: in the call or not, and why."""

    class CallThemesForm(FlaskForm):
        submit = SubmitField(_l("Keuze opslaan"))

    for theme in themes:
        setattr(CallThemesForm, f"in_call_{theme.id}", BooleanField(theme.label, default=theme.in_call))
        setattr(
            CallThemesForm,
            f"reason_{theme.id}",
            TextAreaField(
                # Eager gettext: a lazy string counts as safe HTML (``__html__``), so the label
                # typed into the theme would reach the page unescaped.
                _("Waarom komt ‘%(theme)s’ in de uitvraag?", theme=theme.label),
                default=theme.call_reason or "",
                validators=[optional(), max_length(2000)],
            ),
        )
    return CallThemesForm
