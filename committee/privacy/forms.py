"""The moderator's forms for a person's data: searching, and erasing on request."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SearchField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from committee.forms import max_length, optional
from committee.privacy.services import REASONS


class SearchForm(FlaskForm):
    """A GET form: nothing changes, so no CSRF token in the address."""

    class Meta:
        csrf = False

    q = SearchField(_l("Naam of e-mailadres"), validators=[optional(), max_length(120)])
    submit = SubmitField(_l("Zoeken"))


class ExportForm(FlaskForm):
    """A button only: the download is written to the log, so it is a POST with a CSRF token."""

    submit = SubmitField(_l("Gegevens downloaden (JSON)"))


class EraseForm(FlaskForm):
    reason = RadioField(
        _l("Waarom wist u de gegevens?"),
        choices=[SelectChoice(key, label) for key, label in REASONS.items()],
        validators=[InputRequired(message=_l("Kies een reden."))],
    )
    note = TextAreaField(
        _l("Toelichting"),
        description=_l(
            "Bijvoorbeeld: de datum van het verzoek. Deze tekst komt niet in het logboek. "
            "Bij ‘een andere reden’ is hij verplicht."
        ),
        validators=[optional(), max_length(2000)],
    )
    confirm = BooleanField(
        _l("Ik begrijp dat dit niet terug te draaien is."),
        validators=[InputRequired(message=_l("Vink aan dat u het begrijpt."))],
    )
    submit = SubmitField(_l("Gegevens definitief wissen"))
