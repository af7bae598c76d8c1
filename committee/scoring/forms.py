"""The committee's forms: the declaration, the score form, submitting, reopening, meeting notes."""

import functools

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from committee.forms import MultiCheckboxField, max_length, min_length, optional, required

SCALE = [str(n) for n in range(1, 6)]
SCALE_CHOICES = [SelectChoice(n, n) for n in SCALE]
COMMENT_MAX_LENGTH = 4000


def score_form_class(criteria):
    """A form class with ``score_<id>`` and ``comment_<id>`` for each criterion (objects with an
    ``id`` and a ``name``, or a mapping of id to name)."""
    if isinstance(criteria, dict):
        return _score_form_class(tuple(criteria.items()))
    return _score_form_class(tuple((c.id, c.name) for c in criteria))


@functools.lru_cache(maxsize=512)
def _score_form_class(criteria: tuple[tuple[int, str], ...]):
    # Built once per set of criteria and kept: they are frozen from the moment scoring opens,
    # and building a form class on every save is a measurable part of the save.

    class ScoreForm(FlaskForm):
        submit = SubmitField(_l("Opslaan"))

    for criterion_id, name in criteria:
        setattr(
            ScoreForm,
            f"score_{criterion_id}",
            RadioField(name, choices=SCALE_CHOICES, validators=[optional()]),
        )
        setattr(
            ScoreForm,
            f"comment_{criterion_id}",
            TextAreaField(_l("Toelichting"), validators=[optional(), max_length(COMMENT_MAX_LENGTH)]),
        )
    return ScoreForm


class DeclarationForm(FlaskForm):
    house_rules = BooleanField(
        _l("Ik heb de spelregels gelezen en houd me eraan."),
        validators=[InputRequired(message=_l("Vink dit aan om verder te gaan."))],
    )
    names = MultiCheckboxField(
        _l("Met welke organisaties of namen heeft u een band?"),
        description=_l(
            "Kruis een naam aan als u er werkt of heeft gewerkt, er familie of goede vrienden "
            "heeft, of er geld of hulp van krijgt. Dat geldt ook voor een partner in een "
            "samenwerkingsverband. Heeft u met geen enkele een band? Kruis dan niets aan."
        ),
        coerce=int,
        validators=[optional()],
    )
    note = TextAreaField(
        _l("Wilt u iets uitleggen? (niet verplicht)"),
        description=_l("Alleen de gemeente leest dit."),
        validators=[optional(), max_length(2000)],
    )
    submit = SubmitField(_l("Verklaring versturen"))


class BriefingForm(FlaskForm):
    read = BooleanField(
        _l("Ik heb de uitleg gelezen."),
        validators=[InputRequired(message=_l("Vink dit aan als u de uitleg heeft gelezen."))],
    )
    submit = SubmitField(_l("Gelezen"))


class ConfirmDeclarationForm(FlaskForm):
    submit = SubmitField(_l("Verklaring bevestigen"))


class SubmitScoresForm(FlaskForm):
    submit = SubmitField(_l("Scores indienen"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom heropent u de scores?"),
        description=_l("Het lid ziet deze reden. Het heropenen komt in het logboek."),
        validators=[required(), min_length(5), max_length(2000)],
    )
    submit = SubmitField(_l("Scores heropenen"))


class MeetingNoteForm(FlaskForm):
    body = TextAreaField(_l("Aantekeningen van het overleg"), validators=[optional(), max_length(20000)])
    submit = SubmitField(_l("Aantekeningen opslaan"))
