"""The score form: one 1-5 scale and a comment per criterion."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from committee.forms import max_length, optional

SCALE_CHOICES = [SelectChoice(str(n), str(n)) for n in range(1, 6)]


def score_form_class(criteria):
    """A form class with ``score_<id>`` and ``comment_<id>`` for each criterion."""

    class ScoreForm(FlaskForm):
        submit = SubmitField(_l("Opslaan"))

    for criterion in criteria:
        setattr(ScoreForm, f"score_{criterion.id}",
                RadioField(criterion.name, choices=SCALE_CHOICES, validators=[optional()]))
        setattr(ScoreForm, f"comment_{criterion.id}",
                TextAreaField(_l("Toelichting (niet verplicht)"),
                              validators=[optional(), max_length(4000)]))
    return ScoreForm


class SubmitScoresForm(FlaskForm):
    submit = SubmitField(_l("Scores indienen"))
