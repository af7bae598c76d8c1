"""The moderator's filter over the audit log (a GET form: it changes nothing)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from committee.forms import a_day_between, optional


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    aanbesteding = SelectField(_l("Aanbesteding"), validators=[optional()], coerce=str)
    actie = SelectField(_l("Actie"), validators=[optional()], coerce=str)
    vanaf = DateField(_l("Vanaf (dag)"), validators=[optional(), a_day_between()])
    tot = DateField(_l("Tot en met (dag)"), validators=[optional(), a_day_between()])
    submit = SubmitField(_l("Filteren"))

    def __init__(self, *args, procurements=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.aanbesteding.choices = [SelectChoice("", _l("Alle aanbestedingen"))] + [
            SelectChoice(str(p.id), f"{p.title} (#{p.id})") for p in procurements
        ]
        self.actie.choices = [SelectChoice("", _l("Alle acties"))] + [SelectChoice(a, a) for a in actions]

    def validate_tot(self, field):
        if field.data and self.vanaf.data and field.data < self.vanaf.data:
            raise ValidationError(_l("Deze dag ligt voor de dag bij ‘Vanaf’."))
