"""Shared form helpers: Dutch messages for the common validators, and fields for amounts."""

import re
from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from committee import text


def required():
    return DataRequired(message=_l("Vul dit veld in."))


def email():
    return Email(message=_l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."))


def web_address():
    """Only http:// or https:// (``committee.text.web_address``): a typed ``javascript:`` or
    ``data:`` link never gets stored. What was typed stays in the field."""

    def check(form, field):
        if field.data and field.data.strip() and text.web_address(field.data) is None:
            raise ValidationError(
                _("Een webadres begint met https:// of http://, bijvoorbeeld https://www.uwsite.nl.")
            )

    return check


def max_length(n: int):
    return Length(max=n, message=_l("Gebruik hoogstens %(max)d tekens.", max=n))


def min_length(n: int):
    return Length(min=n, message=_l("Gebruik minstens %(min)d tekens.", min=n))


def whole_euros(max_value: int = 100_000_000):
    """From 0 to ``max_value`` euros; the message names the limit, written as the page's
    language writes numbers."""

    def check(form, field):
        if field.data is not None and not 0 <= field.data <= max_value:
            raise ValidationError(
                _("Vul een bedrag in van 0 tot en met %(max)s euro.", max=format_decimal(max_value))
            )

    return check


# Whole euros as people write them: 120000, 120.000 or 120 000 (dots or spaces between
# thousands), with or without a euro sign or "euro" before or after, and "120.000,-" or
# "120.000,00" (no cents). At most 12 digits: far above any budget, and no endless number.
EURO_AMOUNT = re.compile(
    r"(?:€|euro|eur)? ?(\d{1,3}(?:[. ]\d{3}){1,3}|\d{1,12})(?:,(?:-{1,2}|=|00))? ?(?:€|euro|eur)?",
    re.IGNORECASE,
)
EURO_HINT = _l("Schrijf het bedrag in hele euro's, zonder centen. Bijvoorbeeld: 120000 of 120.000.")


class EuroField(IntegerField):
    """A whole number of euros, typed as people write it, with or without a euro sign.

    A text box that opens the number keyboard (``inputmode``), not a number field: a browser's
    number field reads "120.000" as 120 and empties itself on text it cannot read, so the person
    would neither be understood nor see what they typed. Anything else (cents, letters) gets one
    message that shows how to write it; the typed text stays in the box."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {
            "inputmode": "numeric",
            "autocomplete": "off",
            **(kwargs.get("render_kw") or {}),
        }
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        # Spaces of every kind (a copied amount may hold a non-breaking one) count as one space.
        text = " ".join(valuelist[0].split())
        amount = EURO_AMOUNT.fullmatch(text)
        if not text:
            self.data = None
        elif amount:
            self.data = int(amount.group(1).replace(".", "").replace(" ", ""))
        else:
            self.data = None
            raise ValueError(str(EURO_HINT))

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # that one message; "fill this in" or a range would confuse


def a_day_between(first: date = date(2000, 1, 1), last: date = date(2100, 12, 31)):
    """A day from ``first`` to ``last``: a browser's date field lets a person pick 9999-12-31,
    which cannot become a moment in time (one day later does not exist)."""

    def check(form, field):
        if isinstance(field.data, date) and not first <= field.data <= last:
            raise ValidationError(
                _(
                    "Kies een dag van %(first)s tot en met %(last)s.",
                    first=format_date(first, "long"),
                    last=format_date(last, "long"),
                )
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
