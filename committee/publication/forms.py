"""The rationale form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from committee.forms import max_length, required


class RationaleForm(FlaskForm):
    body = TextAreaField(
        _l("Motivering van de commissie"),
        description=_l("Wat vroeg de wijk? Waarom dit aanbod? Wat misten de andere? "
                       "Wat verwachten we binnen een jaar te zien?"),
        validators=[required(), max_length(20000)],
    )
    submit = SubmitField(_l("Motivering opslaan"))
