"""The story form, the moderator's choice with its reason, and the author's withdraw button."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from committee.forms import max_length, required
from committee.stories.services import ALT_MAX, BODY_MAX, REASON_MAX, TITLE_MAX


class StoryForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        description=_l("Bijvoorbeeld: Elke dinsdag weer koffie in het buurthuis."),
        validators=[required(), max_length(TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Uw verhaal"),
        description=_l(
            "Wat heeft het werk in de wijk gebracht? Schrijf gewone tekst, hoogstens %(max)d tekens. "
            "Noem geen namen van mensen die niet hebben gezegd dat het mag.",
            max=BODY_MAX,
        ),
        validators=[required(), max_length(BODY_MAX)],
    )
    photo = FileField(
        _l("Foto (mag ook zonder)"),
        description=_l(
            "Een JPEG- of PNG-foto van hoogstens 5 MB. We halen er de gegevens van uw camera en "
            "de plek waar hij is gemaakt af."
        ),
    )
    photo_alt = StringField(
        _l("Wat staat er op de foto?"),
        description=_l("Voor wie de foto niet kan zien. Alleen nodig als u een foto kiest."),
        validators=[Optional(), max_length(ALT_MAX)],
    )
    photo_people = RadioField(
        _l("Staan er herkenbare mensen op de foto?"),
        choices=[
            SelectChoice("none", _l("Nee, er staan geen herkenbare mensen op")),
            SelectChoice("agreed", _l("Ja, en zij vinden het goed dat de foto hier staat")),
        ],
        validators=[Optional()],
    )
    consent = BooleanField(
        _l(
            "Ik geef toestemming om mijn verhaal (en de foto) te tonen op de openbare pagina van deze "
            "aanbesteding en op de verhalenpagina van de wijk, voor iedereen te lezen, zonder mijn naam. "
            "Ik kan het altijd weer intrekken op de pagina ‘Mijn verhalen’."
        ),
        validators=[DataRequired(message=_l("Geef toestemming om het verhaal te tonen."))],
    )
    submit = SubmitField(_l("Verhaal insturen"))


class ModerateStoryForm(FlaskForm):
    decision = HiddenField(validators=[required()])
    reason = TextAreaField(
        _l("Waarom niet? (alleen bij afwijzen)"),
        description=_l("De schrijver leest dit op de eigen pagina."),
        validators=[Optional(), max_length(REASON_MAX)],
    )


class WithdrawStoryForm(FlaskForm):
    submit = SubmitField(_l("Verhaal intrekken"))
