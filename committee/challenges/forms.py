"""The call-for-action challenge's forms: the coaching period, milestones, a finalist's progress,
announcing the finalists, an adviser's advice, and the start financing per winner."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from committee.challenges.services import ADVICE_MAX, NOTE_MAX, TITLE_MAX
from committee.forms import EuroField, a_day_between, max_length, optional, required, whole_euros


class PeriodForm(FlaskForm):
    starts_on = DateField(_l("Eerste dag van de begeleiding"), validators=[required(), a_day_between()])
    ends_on = DateField(
        _l("Laatste dag van de begeleiding (de finale)"), validators=[required(), a_day_between()]
    )
    submit = SubmitField(_l("Periode opslaan"))


class MilestoneForm(FlaskForm):
    title = StringField(
        _l("Titel van de mijlpaal"),
        description=_l("Kort, bijvoorbeeld: Eerste gesprek met vijf bewoners."),
        validators=[required(), max_length(TITLE_MAX)],
    )
    expected = TextAreaField(_l("Wat verwachten we dan?"), validators=[optional(), max_length(NOTE_MAX)])
    due_on = DateField(_l("Bereikt op"), validators=[required(), a_day_between()])
    submit = SubmitField(_l("Mijlpaal toevoegen"))


REACHED_CHOICES = [
    SelectChoice("yes", _l("Bereikt")),
    SelectChoice("no", _l("Nog niet")),
]


class ProgressForm(FlaskForm):
    reached = RadioField(_l("Stand"), choices=REACHED_CHOICES, default="no", validators=[required()])
    note = TextAreaField(_l("Korte notitie voor de finalist"), validators=[optional(), max_length(NOTE_MAX)])
    submit = SubmitField(_l("Voortgang opslaan"))


class AnnounceForm(FlaskForm):
    submit = SubmitField(_l("Finalisten bekendmaken en iedere inzender bericht sturen"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))


class AdviceForm(FlaskForm):
    body = TextAreaField(
        _l("Uw advies aan de jury"),
        description=_l("U heeft geen stem. De jury leest uw advies; de finalist niet."),
        validators=[required(), max_length(ADVICE_MAX)],
    )
    submit = SubmitField(_l("Advies opslaan"))


def with_grants(form_class, offers):
    """The decision form with ``grant_<offer id>`` (start financing, whole euros) per offer."""

    class ChallengeDecisionForm(form_class):
        pass

    for offer in offers:
        setattr(
            ChallengeDecisionForm,
            f"grant_{offer.id}",
            EuroField(
                _l("Startfinanciering voor aanbod %(label)s (euro)", label=offer.pseudonym),
                validators=[optional(), whole_euros()],
            ),
        )
    return ChallengeDecisionForm


def grant_amounts(form, offers) -> dict[int, int | None]:
    return {o.id: form[f"grant_{o.id}"].data for o in offers}
