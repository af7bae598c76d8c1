"""The categories every applicant is asked about, with their labels in the page's language.

The keys live with the neighbourhood profile (``wijk/profile.py``), the labels here, so the
profile, the recruitment and the draw name an age group the same way without importing each other.
"""

from flask_babel import lazy_gettext as _l

from committee.wijk.profile import AGE_BANDS

AGE_LABELS = {
    "15-25": _l("15 tot 25 jaar"),
    "25-45": _l("25 tot 45 jaar"),
    "45-65": _l("45 tot 65 jaar"),
    "65+": _l("65 jaar of ouder"),
}
assert set(AGE_LABELS) == {key for key, _label in AGE_BANDS}
