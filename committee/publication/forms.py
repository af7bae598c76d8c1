"""The rationale form (one text per prompt, a note per offer), approval and the award."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField

from committee.forms import max_length, optional, required


def rationale_form_class(prompts, offers):
    """A form with one text field per prompt and one note per offer, plus the base version."""

    class RationaleForm(FlaskForm):
        base_version = IntegerField(widget=HiddenField.widget, validators=[optional()])
        submit = SubmitField(_l("Motivering opslaan"))

    for prompt in prompts:
        setattr(
            RationaleForm,
            prompt.key,
            TextAreaField(prompt.heading, description=prompt.hint, validators=[optional(), max_length(8000)]),
        )
    for offer in offers:
        setattr(
            RationaleForm,
            f"offer_{offer.id}",
            TextAreaField(
                _("Aanbod %(label)s: wat wilt u deze aanbieder laten weten?", label=offer.pseudonym),
                description=_l("Alleen deze aanbieder leest dit, bij de eigen scores."),
                validators=[optional(), max_length(4000)],
            ),
        )
    return RationaleForm


class ApproveRationaleForm(FlaskForm):
    version = IntegerField(widget=HiddenField.widget, validators=[required()])
    submit = SubmitField(_l("Motivering en terugkoppeling goedkeuren"))


class ProvisionalAwardForm(FlaskForm):
    submit = SubmitField(_l("Voorlopig gunnen en alle aanbieders tegelijk informeren"))
