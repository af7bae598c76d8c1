"""The resident's signal form, the moderator's choice and the party's answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, SubmitField, TextAreaField

from committee.forms import max_length, required


class SignalForm(FlaskForm):
    what = TextAreaField(
        _l("Wat merkte u?"),
        description=_l("Vertel wat er goed ging of wat beter kan. Noem geen namen van mensen."),
        validators=[required(), max_length(2000)],
    )
    place = StringField(
        _l("Waar was het?"),
        description=_l("Bijvoorbeeld: bij het buurthuis, of in de Molenbuurt."),
        validators=[required(), max_length(200)],
    )
    happened_on = DateField(
        _l("Wanneer was het?"),
        validators=[required()],
    )
    submit = SubmitField(_l("Signaal versturen"))


class ModerateSignalForm(FlaskForm):
    signal_id = HiddenField(validators=[required()])
    decision = HiddenField(validators=[required()])


class ResponseForm(FlaskForm):
    response = TextAreaField(
        _l("Uw reactie"),
        description=_l("Uw reactie staat bij het signaal op de openbare pagina."),
        validators=[required(), max_length(2000)],
    )
    submit = SubmitField(_l("Reactie plaatsen"))
