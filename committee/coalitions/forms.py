"""Forms of the coalition challenge: a party's list entry, a message to another party, a new
coalition, an invitation and its answer, and the moderator hiding an entry."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField

from committee.coalitions import services
from committee.forms import max_length, optional, required


class EntryForm(FlaskForm):
    shown_name = StringField(
        _l("Uw naam op de lijst"),
        description=_l("Zoals anderen u kennen: de naam van uw organisatie of initiatief."),
        validators=[required(), max_length(services.MAX_NAME)],
    )
    brings = TextAreaField(
        _l("Wat brengt u mee?"),
        description=_l("Bijvoorbeeld: een ruimte, mensen, kennis van de wijk, een netwerk."),
        validators=[optional(), max_length(services.MAX_TEXT)],
    )
    seeks = TextAreaField(
        _l("Wat zoekt u?"),
        description=_l("Welke partners of welke hulp zoekt u voor de oplossing?"),
        validators=[optional(), max_length(services.MAX_TEXT)],
    )


class MessageForm(FlaskForm):
    # The receiver, by list entry; the service refuses anything that is not a listed party.
    to = SelectField(_l("Aan"), validators=[required()], validate_choice=False)
    body = TextAreaField(
        _l("Uw bericht"),
        description=_l("Kort: wie u bent en waarom u contact zoekt."),
        validators=[required(), max_length(services.MAX_MESSAGE)],
    )
    contact_line = StringField(
        _l("Zo kan de ander u bereiken"),
        description=_l(
            "Dit staat onder uw bericht, bijvoorbeeld een e-mailadres of telefoonnummer. "
            "Het adres van de ander krijgt u niet te zien."
        ),
        validators=[required(), max_length(services.MAX_CONTACT)],
    )


class CoalitionForm(FlaskForm):
    name = StringField(
        _l("Naam van de coalitie"),
        description=_l("Deze naam staat op de openbare pagina als de coalitie gekozen wordt."),
        validators=[required(), max_length(services.MAX_NAME)],
    )


class InviteForm(FlaskForm):
    entry = SelectField(_l("Welke partij nodigt u uit?"), validators=[required()], validate_choice=False)
    submit = SubmitField(_l("Uitnodigen"))


class InvitationAnswerForm(FlaskForm):
    """Two buttons: accept or decline; the invitation is in the address."""

    accept = SubmitField(_l("Aannemen"))
    decline = SubmitField(_l("Afslaan"))


class WithdrawEntryForm(FlaskForm):
    submit = SubmitField(_l("Van de lijst halen"))


class HideEntryForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom verbergt u deze inschrijving?"),
        description=_l("Alleen de gemeente ziet deze reden."),
        validators=[required(), max_length(services.MAX_TEXT)],
    )
