"""The presentation round's forms: choosing offers, its criteria, starting, closing, scoring."""

import functools

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import NumberRange

from committee.forms import MultiCheckboxField, max_length, optional, required
from committee.scoring.forms import SCALE_CHOICES


class ChooseOffersForm(FlaskForm):
    offers = MultiCheckboxField(
        _l("Welke aanbiedingen komen presenteren?"), coerce=int, validators=[optional()]
    )
    top = IntegerField(
        _l("Of: de beste van de papieren ronde, hoeveel?"),
        description=_l("Aanbiedingen die gelijk staan met de laatste plaats komen ook."),
        validators=[optional(), NumberRange(min=1, max=50, message=_l("Kies een getal van 1 tot 50."))],
    )
    submit = SubmitField(_l("Aanbiedingen kiezen"))


class PresentationCriterionForm(FlaskForm):
    name = StringField(_l("Naam van het criterium"), validators=[required(), max_length(120)])
    scale = TextAreaField(
        _l("Wat betekent een 1, wat een 5?"),
        description=_l("Bijvoorbeeld: 1 = het team kent de wijk niet, 5 = het team kent de wijk goed."),
        validators=[optional(), max_length(1000)],
    )
    submit = SubmitField(_l("Criterium toevoegen"))


class RemovePresentationCriterionForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))


class StartPresentationForm(FlaskForm):
    submit = SubmitField(_l("Papieren scores vastzetten en de presentatieronde starten"))


class ClosePresentationForm(FlaskForm):
    submit = SubmitField(_l("Presentatieronde sluiten"))


def presentation_score_form_class(criteria):
    """A form with ``score_<id>`` for each presentation criterion (objects with id and name)."""
    return _form_class(tuple((c.id, c.name) for c in criteria))


@functools.lru_cache(maxsize=256)
def _form_class(criteria: tuple[tuple[int, str], ...]):
    class PresentationScoreForm(FlaskForm):
        submit = SubmitField(_l("Opslaan"))

    for criterion_id, name in criteria:
        setattr(
            PresentationScoreForm,
            f"score_{criterion_id}",
            RadioField(name, choices=SCALE_CHOICES, validators=[optional()]),
        )
    return PresentationScoreForm
