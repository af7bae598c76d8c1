"""Forms of the bidder (organisation, questions, offer, annexes) and the moderator's review."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from committee.forms import (
    EuroField,
    kvk_number,
    max_length,
    optional,
    required,
    web_address,
    whole_euros,
)
from committee.offers.models import OrganisationKind

KIND_CHOICES = [
    SelectChoice(OrganisationKind.ORGANISATION.value, _l("Eén organisatie of bewonersinitiatief")),
    SelectChoice(
        OrganisationKind.COALITION.value,
        _l("Een samenwerkingsverband van meerdere partijen, met een penvoerder"),
    ),
]


class OfferForm(FlaskForm):
    plan = TextAreaField(
        _l("Het plan"),
        description=_l("Wat gaat u doen, voor wie, en hoe doen bewoners mee?"),
        validators=[optional(), max_length(20000)],
    )
    team = TextAreaField(
        _l("Het team in de wijk"),
        description=_l("Welke rollen en welke ervaring? Namen zijn niet nodig."),
        validators=[optional(), max_length(10000)],
    )
    budget_asked = EuroField(
        _l("Gevraagd budget per jaar, in hele euro's"), validators=[optional(), whole_euros()]
    )
    results = TextAreaField(
        _l("Hoe worden de resultaten zichtbaar?"), validators=[optional(), max_length(10000)]
    )
    save = SubmitField(_l("Concept opslaan"))
    submit = SubmitField(_l("Aanbod indienen"))


class AnnexForm(FlaskForm):
    file = FileField(_l("Bijlage (PDF)"), validators=[FileRequired(_l("Kies een PDF-bestand."))])


class ItemForm(FlaskForm):
    """A button that acts on one row (remove a partner, a contact, an annex, a word)."""

    item_id = HiddenField(validators=[required()])

    def item(self) -> int | None:
        value = self.item_id.data or ""
        return int(value) if value.isdigit() else None


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Naam van uw organisatie, initiatief of samenwerkingsverband"),
        validators=[required(), max_length(200)],
    )
    kind = RadioField(_l("U schrijft in als"), choices=KIND_CHOICES, validators=[required()])
    kvk_number = StringField(_l("KvK-nummer (als u dat heeft)"), validators=[optional(), kvk_number()])
    website = StringField(
        _l("Website (als u die heeft)"),
        description=_l("Begin met https://, bijvoorbeeld https://www.uwsite.nl."),
        validators=[optional(), max_length(254), web_address()],
    )
    other_identifiers = TextAreaField(
        _l("Andere namen waaraan men u kan herkennen (niet verplicht)"),
        description=_l(
            "Afkortingen, merknamen, namen van projecten of uw adres; één per regel. "
            "Wij halen ze weg uit wat de commissie leest. Commissieleden zien ze wel, los van "
            "de aanbiedingen, in de lijst waarin ze melden met wie ze een band hebben."
        ),
        validators=[optional(), max_length(5000)],
    )
    submit = SubmitField(_l("Gegevens opslaan"))


class PartnerForm(FlaskForm):
    partner_name = StringField(_l("Naam van de partner"), validators=[required(), max_length(200)])
    partner_kvk = StringField(
        _l("KvK-nummer van de partner (als die er is)"), validators=[optional(), kvk_number()]
    )
    partner_website = StringField(
        _l("Website van de partner (als die er is)"),
        description=_l("Begin met https://, bijvoorbeeld https://www.uwsite.nl."),
        validators=[optional(), max_length(254), web_address()],
    )
    is_lead = BooleanField(_l("Deze partner is de penvoerder (dient het aanbod in namens allen)"))
    submit = SubmitField(_l("Partner toevoegen"))


class ContactForm(FlaskForm):
    contact_name = StringField(_l("Naam van de contactpersoon"), validators=[required(), max_length(120)])
    contact_email = StringField(_l("E-mailadres (niet verplicht)"), validators=[optional(), max_length(254)])
    contact_phone = StringField(
        _l("Telefoonnummer (niet verplicht)"), validators=[optional(), max_length(40)]
    )
    submit = SubmitField(_l("Contactpersoon toevoegen"))


QUESTION_ROUTES = [
    SelectChoice("nota", _l("Een vraag aan de gemeente, voor de nota van inlichtingen")),
    SelectChoice("via_municipality", _l("Een bericht voor de commissie, dat de gemeente doorgeeft")),
    SelectChoice("meeting", _l("Een verzoek om de commissie te spreken op een bijeenkomst van de gemeente")),
]


class QuestionForm(FlaskForm):
    # Every route is a valid answer here; whether the committee's house rule opens it is the
    # service's check (``offers.services.ask_question``), so a closed route gets a clear refusal.
    route = RadioField(
        _l("Waar is uw vraag voor?"), choices=QUESTION_ROUTES, default="nota", validators=[optional()]
    )
    body = TextAreaField(
        _l("Uw vraag"),
        description=_l("Iedereen leest het antwoord, zonder uw naam. Zet geen namen in uw vraag."),
        validators=[required(), max_length(5000)],
    )
    submit = SubmitField(_l("Vraag versturen"))


class AnswerForm(FlaskForm):
    public_question = TextAreaField(
        _l("De vraag zoals iedereen hem leest"), validators=[required(), max_length(5000)]
    )
    answer = TextAreaField(_l("Antwoord"), validators=[optional(), max_length(10000)])
    submit = SubmitField(_l("Antwoord opslaan"))


class ConfirmForm(FlaskForm):
    """A single button with a CSRF token (publish answers, approve an offer)."""


class CallForm(FlaskForm):
    needs = TextAreaField(
        _l("Wat de wijk nodig vindt"),
        description=_l("De thema's die bewoners kozen en die in deze uitvraag zijn opgenomen."),
        validators=[optional(), max_length(10000)],
    )
    house_rules = TextAreaField(_l("Spelregels"), validators=[required(), max_length(10000)])
    questions_until = DateField(_l("Vragen stellen kan tot en met (niet verplicht)"), validators=[optional()])
    submit = SubmitField(_l("Uitvraag opslaan"))


class RedactionForm(FlaskForm):
    phrase = StringField(
        _l("Extra weglaten: woord of zin"),
        description=_l(
            "Wordt overal in dit aanbod en de bijlagen gezocht, ongeacht hoofdletters, accenten of spaties."
        ),
        validators=[required(), max_length(200)],
    )
    submit = SubmitField(_l("Weglaten"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        choices = {c[0] for c in self.iter_choices()}
        if any(value not in choices for value in self.data or []):
            raise ValidationError(_l("Kies alleen pagina's van deze bijlage."))


class PagesForm(FlaskForm):
    excluded = MultiCheckboxField(_l("Weglaten"), coerce=int, validate_choice=False)
    checked = MultiCheckboxField(_l("Afbeeldingen bekeken"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Keuzes voor deze bijlage opslaan"))

    def for_annex(self, annex):
        numbers = [SelectChoice(p.number, str(p.number)) for p in annex.pages]
        self.excluded.choices = numbers
        self.checked.choices = numbers
        return self
