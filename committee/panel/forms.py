"""Forms for recruiting and composing the committee, and for the members' first steps."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from committee.forms import email, max_length, optional, required
from committee.panel.models import MemberKind


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteMemberForm(FlaskForm):
    name = StringField(_l("Naam van de bewoner"), validators=[required(), max_length(120)])
    email = EmailField(
        _l("E-mailadres (niet verplicht)"),
        description=_l("Zonder e-mailadres krijgt u de link om te printen of door te geven."),
        validators=[optional(), email(), max_length(254)],
    )
    submit = SubmitField(_l("Uitnodigen"))


class ReissueInvitationForm(FlaskForm):
    member_id = HiddenField(validators=[required()])


class RecruitmentForm(FlaskForm):
    seats = IntegerField(
        _l("Hoeveel bewoners loten we in de commissie?"),
        validators=[required(), NumberRange(min=3, max=60, message=_l("Kies 3 tot 60."))],
    )
    house_rules = TextAreaField(
        _l("Spelregels"),
        description=_l(
            "Wat vraagt u van leden, en wat belooft u hen? Bijvoorbeeld: aanbieders "
            "benaderen leden nooit zelf; vragen lopen via de gemeente."
        ),
        validators=[required(), max_length(10000)],
    )
    retention_until = DateField(
        _l("Gegevens van aanmelders bewaren tot en met"),
        description=_l(
            "Daarna wissen we de antwoorden van iedereen en de gegevens van wie niet in de commissie kwam."
        ),
        validators=[required()],
    )
    required_buurten = MultiCheckboxField(
        _l("Buurten die zeker in de commissie moeten zitten (niet verplicht)"),
        choices=[],
        validators=[optional()],
    )
    categories = TextAreaField(
        _l("Extra vragen aan aanmelders (niet verplicht)"),
        description=_l(
            "Eén per regel, zoals ‘Geslacht: vrouw, man, anders’ of ‘Woning: huur, "
            "koop’. Buurt en leeftijd vragen we altijd."
        ),
        validators=[optional(), max_length(4000)],
    )
    submit = SubmitField(_l("Werving opslaan"))


def application_form_class(categories, *, paper: bool):
    """The application form: contact, one question per category, motivation, consent."""

    class ApplicationForm(FlaskForm):
        name = StringField(_l("Naam") if paper else _l("Uw naam"), validators=[required(), max_length(120)])
        email = EmailField(
            _l("E-mailadres"),
            description=None
            if paper
            else _l(
                "Heeft u al een account bij WijKiezen met dit adres? Dan staat deze aanmelding "
                "daar los van. Komt u in de commissie, dan sturen we een link naar dit adres "
                "om de plaats bij uw account te zetten."
            ),
            validators=[optional(), email(), max_length(254)],
        )
        phone = StringField(_l("Telefoonnummer"), validators=[optional(), max_length(30)])
        postal_address = TextAreaField(_l("Postadres"), validators=[optional(), max_length(300)])
        motivation = TextAreaField(
            _l("Waarom wilt u meedoen? (niet verplicht)"), validators=[optional(), max_length(4000)]
        )
        availability = TextAreaField(
            _l("Wanneer kunt u meestal? (niet verplicht)"),
            description=_l("Bijvoorbeeld: doordeweeks 's avonds, of zaterdagochtend."),
            validators=[optional(), max_length(1000)],
        )
        consent = BooleanField(
            _l("De gemeente heeft de toestemming op papier")
            if paper
            else _l(
                "Ik neem de spelregels aan en ga akkoord met het bewaren van mijn gegevens tot de "
                "genoemde datum."
            ),
            validators=[
                InputRequired(message=_l("Zonder uw akkoord kunnen we de aanmelding niet aannemen."))
            ],
        )
        submit = SubmitField(_l("Aanmelding opslaan") if paper else _l("Aanmelden"))

    for category in categories:
        choices = [SelectChoice(key, label) for key, label in category.values]
        validators = [required()] if category.built_in else [optional()]
        if not category.built_in:
            choices.append(SelectChoice("", _l("Zeg ik liever niet")))
        setattr(
            ApplicationForm,
            f"cat_{category.key}",
            RadioField(
                category.label,
                choices=choices,
                validators=validators,
                default="" if not category.built_in else None,
            ),
        )
    return ApplicationForm


def quota_form_class(quotas):
    class QuotaForm(FlaskForm):
        submit = SubmitField(_l("Quota opslaan"))

    for quota in quotas:
        for side, label in (("min", _l("Minimaal")), ("max", _l("Maximaal"))):
            setattr(
                QuotaForm,
                f"{side}_{quota.id}",
                IntegerField(
                    label,
                    validators=[
                        InputRequired(message=_l("Vul een getal in.")),
                        NumberRange(min=0, max=60, message=_l("Kies 0 tot 60.")),
                    ],
                ),
            )
    return QuotaForm


class ResetQuotasForm(FlaskForm):
    submit = SubmitField(_l("Quota berekenen uit het wijkprofiel"))


class PrepareDrawForm(FlaskForm):
    # Not shown: the seed is committed while applications are open. A seed sent anyway (an old
    # page, or someone trying to choose it after seeing the pool) is refused by the service.
    seed = IntegerField(
        _l("Startgetal"),
        validators=[optional(), NumberRange(min=1, max=10**15, message=_l("Kies een heel getal vanaf 1."))],
    )
    algorithm = RadioField(
        _l("Methode"),
        choices=[
            SelectChoice(
                "leximin",
                _l(
                    "Leximin (aanbevolen): iedereen krijgt een zo gelijk mogelijke kans, "
                    "voor zover de quota dat toelaten"
                ),
            ),
            SelectChoice(
                "maximin",
                _l(
                    "Maximin: alleen de kleinste kans zo groot mogelijk; sneller, "
                    "maar soms houden meer mensen de kleinste kans"
                ),
            ),
        ],
        default="leximin",
        validators=[InputRequired(message=_l("Kies een methode."))],
    )
    submit = SubmitField(_l("Loting klaarzetten en publiceren"))


class DrawActionForm(FlaskForm):
    pass


class ReceiptForm(FlaskForm):
    """An applicant checks their own entry in a published draw with their receipt code."""

    code = StringField(
        _l("Uw bewijscode"),
        validators=[required(), max_length(40)],
        description=_l(
            "16 letters en cijfers, bijvoorbeeld ABCD-EFGH-JKLM-NPQR. Streepjes en spaties mogen."
        ),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


def reason_fields(cls):
    """Add the reason (a fixed list) and a note to a form: every deviation needs both."""
    from committee.panel.services import REASONS

    cls.reason = RadioField(
        _l("Reden"),
        choices=[SelectChoice(k, v) for k, v in REASONS.items()],
        validators=[required()],
    )
    cls.note = TextAreaField(
        _l("Leg kort uit waarom"),
        description=_l("Dit komt in het logboek bij deze wijziging."),
        validators=[required(), max_length(2000)],
    )
    return cls


@reason_fields
class MemberChangeForm(FlaskForm):
    """Replace or remove one member (the form is prefixed with the member's id)."""


@reason_fields
class AddApplicantsForm(FlaskForm):
    applications = MultiCheckboxField(_l("Aanmelders"), coerce=int, choices=[], validators=[required()])
    submit = SubmitField(_l("Toevoegen aan de commissie"))


@reason_fields
class AddPersonForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[required(), max_length(120)])
    email = EmailField(_l("E-mailadres (niet verplicht)"), validators=[optional(), email(), max_length(254)])
    kind = RadioField(
        _l("Rol"),
        choices=[
            SelectChoice(MemberKind.RESIDENT.value, _l("Bewoner")),
            SelectChoice(MemberKind.OTHER.value, _l("Ondersteunend (deskundige of ambtenaar)")),
            SelectChoice(
                MemberKind.ADVISER.value, _l("Adviseur van de gemeente, zonder stem (geeft geen scores)")
            ),
        ],
        default=MemberKind.RESIDENT.value,
        validators=[required()],
    )
    submit = SubmitField(_l("Toevoegen aan de commissie"))


class AcceptForm(FlaskForm):
    accept_rules = BooleanField(
        _l("Ik neem de spelregels aan"),
        validators=[InputRequired(message=_l("U kunt alleen meedoen als u de spelregels aanneemt."))],
    )
    contact_preference = RadioField(
        _l("Mogen vragen van aanbieders bij u komen?"),
        description=_l("Uw naam, adres, telefoonnummer en e-mailadres geven we nooit aan aanbieders."),
        choices=[],
        validators=[required()],
    )
    connections = TextAreaField(
        _l("Heeft u banden met organisaties die misschien meedingen? (niet verplicht)"),
        description=_l("Bijvoorbeeld: u werkt er, doet er vrijwilligerswerk, of familie werkt er."),
        validators=[optional(), max_length(2000)],
    )
    public_name = BooleanField(
        _l("Mijn naam mag op de openbare pagina staan"),
        description=_l(
            "Uw naam komt er pas op als het beoordelen klaar is. Zo kunnen aanbieders u tijdens het "
            "beoordelen niet benaderen."
        ),
    )
    submit = SubmitField(_l("Ik doe mee"))


class ContactPreferenceForm(FlaskForm):
    contact_preference = RadioField(
        _l("Mogen vragen van aanbieders bij u komen?"),
        description=_l(
            "Aanbieders zien nooit wie in de commissie zit en nooit wat u kiest. Ze zien alleen "
            "hoeveel leden elk antwoord kozen."
        ),
        choices=[],
        validators=[required()],
    )
    submit = SubmitField(_l("Opslaan"))
