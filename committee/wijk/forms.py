"""The neighbourhood form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DecimalField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, NumberRange

from committee.forms import max_length, optional, required


class NeighbourhoodForm(FlaskForm):
    name = StringField(_l("Naam van de wijk"), validators=[required(), max_length(120)])
    municipality = StringField(_l("Gemeente"), validators=[required(), max_length(120)])
    cbs_code = StringField(
        _l("CBS-wijkcode (bijvoorbeeld WK077201)"), validators=[optional(), max_length(10)]
    )
    buurten = TextAreaField(
        _l("Buurten in deze wijk"),
        description=_l("Eén buurt per regel."),
        validators=[required(), max_length(5000)],
    )
    submit = SubmitField(_l("Wijk opslaan"))

    def validate_cbs_code(self, field):
        code = (field.data or "").strip().upper()
        if code and not (code.startswith("WK") and code[2:].isdigit() and len(code) == 8):
            raise ValidationError(_l("Een wijkcode is WK met 6 cijfers, zoals WK077201."))
        field.data = code or None

    def buurt_names(self) -> list[str]:
        seen, names = set(), []
        for line in (self.buurten.data or "").splitlines():
            name = line.strip()
            if name and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        return names

    def validate_buurten(self, field):
        if not self.buurt_names():
            raise ValidationError(_l("Noem minstens één buurt."))


class ProfileImportForm(FlaskForm):
    file = FileField(
        _l("Bestand ‘Kerncijfers wijken en buurten’ (CSV)"),
        description=_l("Van het CBS (StatLine of kwb-bestand), met puntkomma's gescheiden."),
        validators=[FileRequired(message=_l("Kies een bestand."))],
    )
    submit = SubmitField(_l("Inlezen"))


def profile_hand_form_class(values):
    """Percentages for the values of one category."""

    class ProfileHandForm(FlaskForm):
        category = HiddenField(validators=[required()])
        submit = SubmitField(_l("Percentages opslaan"))

    for i, (_key, label) in enumerate(values):
        setattr(
            ProfileHandForm,
            f"pct_{i}",
            DecimalField(
                label,
                places=1,
                validators=[
                    InputRequired(message=_l("Vul een percentage in.")),
                    NumberRange(min=0, max=100, message=_l("Kies 0 tot 100.")),
                ],
            ),
        )
    return ProfileHandForm
