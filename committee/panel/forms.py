"""Inviting residents to the committee."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField, SubmitField

from committee.forms import email, max_length, optional, required


class InviteMemberForm(FlaskForm):
    name = StringField(_l("Naam van de bewoner"), validators=[required(), max_length(120)])
    email = EmailField(
        _l("E-mailadres (niet verplicht)"),
        description=_l("Zonder e-mailadres krijgt u de link om te printen of door te geven."),
        validators=[optional(), email(), max_length(254)],
    )
    submit = SubmitField(_l("Uitnodigen"))


class ReissueInvitationForm(FlaskForm):
    member_id = HiddenField(validators=[required()])
