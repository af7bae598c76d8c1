"""Shared form helpers: Dutch messages for the common validators."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def required():
    return DataRequired(message=_l("Vul dit veld in."))


def email():
    return Email(message=_l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."))


def max_length(n: int):
    return Length(max=n, message=_l("Gebruik hoogstens %(max)d tekens.", max=n))


def min_length(n: int):
    return Length(min=n, message=_l("Gebruik minstens %(min)d tekens.", min=n))


def whole_euros(max_value: int = 100_000_000):
    return NumberRange(min=0, max=max_value, message=_l("Vul een bedrag in hele euro's in."))


def a_day_in_years(first: int = 2000, last: int = 2100):
    """A day in a year from ``first`` to ``last``: a browser's date field lets a person pick
    9999-12-31, which cannot become a moment in time (one day later does not exist)."""

    def check(form, field):
        if isinstance(field.data, date) and not first <= field.data.year <= last:
            raise ValidationError(
                _l("Kies een dag in de jaren %(first)d tot en met %(last)d.", first=first, last=last)
            )

    return check


optional = Optional


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (the recipe from the WTForms documentation)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def kvk_number():
    """A KvK number has eight digits; empty is fine (initiatives may have none)."""
    from wtforms import ValidationError

    def check(form, field):
        value = (field.data or "").replace(" ", "")
        if value and not (value.isdigit() and len(value) == 8):
            raise ValidationError(_l("Een KvK-nummer heeft 8 cijfers."))
        field.data = value or None

    return check
