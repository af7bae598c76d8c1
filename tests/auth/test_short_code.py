"""The short code in a letter is the same single-use login as the letter's link."""

from committee.auth import services
from tests.factories import make_resident


def test_using_the_link_uses_the_code_too(app_ctx):
    resident = make_resident()
    token, code = services.create_invitation_with_code(resident, days=30)
    assert services.redeem_invitation(token) == resident
    assert services.redeem_short_code(code) is None


def test_the_code_forgives_case_spaces_and_dashes(app_ctx):
    resident = make_resident()
    _token, code = services.create_invitation_with_code(resident, days=30)
    assert services.redeem_short_code(" " + code.replace("-", " ").lower()) == resident


def test_a_new_letter_makes_the_old_code_stop_working(app_ctx):
    resident = make_resident()
    _token, old = services.create_invitation_with_code(resident, days=30)
    services.create_invitation_with_code(resident, days=30)
    assert services.redeem_short_code(old) is None
