"""The bidder's offer form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField, TextAreaField

from committee.forms import max_length, optional, whole_euros


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
    budget_asked = IntegerField(
        _l("Gevraagd budget per jaar, in hele euro's"), validators=[optional(), whole_euros()]
    )
    results = TextAreaField(
        _l("Hoe worden de resultaten zichtbaar?"), validators=[optional(), max_length(10000)]
    )
    save = SubmitField(_l("Concept opslaan"))
    submit = SubmitField(_l("Aanbod indienen"))
