"""Login and registration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField, ValidationError

from committee.forms import email, max_length, min_length, optional, required, web_address


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[required(), email(), max_length(254)])
    password = PasswordField(_l("Wachtwoord"), validators=[required(), max_length(200)])
    submit = SubmitField(_l("Inloggen"))


class ContinueForm(FlaskForm):
    """The single button behind an invitation link (mail scanners only GET)."""

    submit = SubmitField(_l("Doorgaan"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Uitloggen"))


class BidderRegistrationForm(FlaskForm):
    organisation = StringField(
        _l("Naam van uw organisatie of initiatief"), validators=[required(), max_length(200)]
    )
    kind = RadioField(_l("U schrijft in als"), default="organisation", validators=[required()])
    lead_name = StringField(
        _l("Naam van de penvoerder (alleen bij een samenwerkingsverband)"),
        description=_l("De partij die het aanbod indient namens alle partners. Partners voegt u daarna toe."),
        validators=[max_length(200)],
    )
    kvk_number = StringField(_l("KvK-nummer (als u dat heeft)"), validators=[optional(), max_length(8)])
    website = StringField(
        _l("Website (als u die heeft)"),
        description=_l("Begin met https://, bijvoorbeeld https://www.uwsite.nl."),
        validators=[optional(), max_length(254), web_address()],
    )
    name = StringField(_l("Uw naam"), validators=[required(), max_length(120)])
    email = EmailField(_l("E-mailadres"), validators=[required(), email(), max_length(254)])
    password = PasswordField(
        _l("Kies een wachtwoord (minstens 12 tekens)"),
        validators=[required(), min_length(12), max_length(200)],
    )
    submit = SubmitField(_l("Registreren"))

    def __init__(self, *args, **kwargs):
        from committee.offers.forms import KIND_CHOICES

        super().__init__(*args, **kwargs)
        self.kind.choices = KIND_CHOICES

    def validate_lead_name(self, field):
        if self.kind.data == "coalition" and not (field.data or "").strip():
            raise ValidationError(_l("Vul in welke partij de penvoerder is."))

    def validate_kvk_number(self, field):
        if field.data and not (field.data.isdigit() and len(field.data) == 8):
            raise ValidationError(_l("Een KvK-nummer heeft 8 cijfers."))


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code uit uw authenticator-app"),
        description=_l("Zes cijfers. De code verandert elke 30 seconden."),
        validators=[required(), max_length(10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Bevestigen"))


class ShortCodeForm(FlaskForm):
    code = StringField(
        _l("Code uit uw brief"),
        description=_l("Acht letters en cijfers, zoals ABCD-EF23. Streepjes en spaties mogen."),
        validators=[required(), max_length(20)],
    )
    submit = SubmitField(_l("Inloggen met code"))
