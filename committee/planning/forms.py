"""The moderator's forms for planned items and existing contracts, and the follow form."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from committee.forms import EuroField, a_day_between, email, max_length, optional, required, whole_euros
from committee.planning.models import THEMES, PlanKind, PlanStatus, ProviderKind

WHOLE_MUNICIPALITY = ""


def _theme_choices():
    return [SelectChoice("", _l("Kies een thema"))] + [
        SelectChoice(key, label) for key, label in THEMES.items()
    ]


def _place_choices(neighbourhoods):
    return [SelectChoice(WHOLE_MUNICIPALITY, _("De hele gemeente"))] + [
        SelectChoice(str(n.id), n.name) for n in neighbourhoods
    ]


class PlannedItemForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[required(), max_length(200)])
    description = TextAreaField(
        _l("Korte uitleg"),
        description=_l("Wat wil de gemeente bereiken, en voor wie? Schrijf het in gewone woorden."),
        validators=[optional(), max_length(2000)],
    )
    kind = RadioField(
        _l("Soort"),
        choices=[SelectChoice(k.value, k.label) for k in PlanKind],
        default=PlanKind.PROCUREMENT.value,
        validators=[required()],
    )
    theme = SelectField(_l("Thema"), validators=[required()])
    neighbourhood = SelectField(_l("Wijk"), validators=[optional()])
    expected_start = DateField(
        _l("Verwachte start"),
        description=_l("Weet u alleen de maand? Kies dan de eerste dag van die maand."),
        validators=[required(), a_day_between()],
    )
    budget_min = EuroField(_l("Budget van (euro)"), validators=[optional(), whole_euros()])
    budget_max = EuroField(_l("Budget tot en met (euro)"), validators=[optional(), whole_euros()])
    status = SelectField(
        _l("Stand"),
        choices=[SelectChoice(s.value, s.label) for s in PlanStatus],
        default=PlanStatus.PLANNED.value,
    )
    procurement = SelectField(
        _l("Aanbesteding in WijKiezen"),
        description=_l("Staat de aanbesteding al in WijKiezen? Koppel haar dan hier."),
        validators=[optional()],
    )
    submit = SubmitField(_l("Opslaan"))

    def fill_choices(self, *, neighbourhoods, procurements):
        self.theme.choices = _theme_choices()
        self.neighbourhood.choices = _place_choices(neighbourhoods)
        self.procurement.choices = [SelectChoice("", _("Nog niet"))] + [
            SelectChoice(str(p.id), p.title) for p in procurements
        ]
        return self

    def validate_budget_max(self, field):
        low = self.budget_min.data
        if field.data is not None and low is not None and not self.budget_min.errors and low > field.data:
            raise ValidationError(_("Het hoogste bedrag is lager dan het laagste. Pas een van de twee aan."))


class InventoryEntryForm(FlaskForm):
    provider = StringField(
        _l("Naam van de partij"),
        description=_l("De sociale onderneming of het bewonersinitiatief."),
        validators=[required(), max_length(200)],
    )
    kind = RadioField(
        _l("Soort partij"),
        choices=[SelectChoice(k.value, k.label) for k in ProviderKind],
        default=ProviderKind.SOCIAL_ENTERPRISE.value,
        validators=[required()],
    )
    theme = SelectField(_l("Thema"), validators=[required()])
    neighbourhood = SelectField(_l("Wijk"), validators=[optional()])
    starts_on = DateField(_l("Begonnen op"), validators=[required(), a_day_between()])
    ends_on = DateField(
        _l("Loopt tot en met"),
        description=_l("Leeg laten als er geen einddatum is."),
        validators=[optional(), a_day_between()],
    )
    amount = EuroField(
        _l("Bedrag (euro, mag leeg)"),
        description=_l("Alleen invullen als het bedrag openbaar mag zijn."),
        validators=[optional(), whole_euros()],
    )
    description = TextAreaField(_l("Wat doen zij?"), validators=[optional(), max_length(500)])
    submit = SubmitField(_l("Opslaan"))

    def fill_choices(self, *, neighbourhoods):
        self.theme.choices = _theme_choices()
        self.neighbourhood.choices = _place_choices(neighbourhoods)
        return self

    def validate_ends_on(self, field):
        start = self.starts_on.data
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_("De einddatum ligt voor de begindatum. Pas een van de twee aan."))


class FollowForm(FlaskForm):
    email = StringField(
        _l("Uw e-mailadres"),
        validators=[required(), email(), max_length(254)],
        render_kw={"autocomplete": "email", "inputmode": "email", "type": "email"},
    )
    theme = SelectField(_l("Thema"), validators=[required()])
    submit = SubmitField(_l("Volg dit thema"))

    def fill_choices(self):
        self.theme.choices = _theme_choices()
        return self


class FollowConfirmForm(FlaskForm):
    submit = SubmitField(_l("Ja, ik wil dit thema volgen"))


class UnfollowForm(FlaskForm):
    submit = SubmitField(_l("Stop met volgen"))


class PlanDeleteForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))
