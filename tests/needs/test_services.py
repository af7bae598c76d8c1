"""The needs round: the weight stated first, one answer per code, a postcode in the wijk."""

import pytest

from committee.audit.services import events_for
from committee.exceptions import ProcessError
from committee.needs import services
from committee.procurement.phases import Phase
from tests.factories import make_moderator, make_needs_procurement, make_procurement


def _themes(procurement):
    return [t.id for t in services.themes(procurement)]


def test_the_first_save_puts_the_start_list_in_place(app_ctx):
    procurement, _ = make_needs_procurement(open_phase=False)
    assert [t.label for t in services.themes(procurement)] == services.START_THEMES


def test_the_phase_opens_only_once_the_weight_of_the_input_is_stated(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    services.save_setup(actor=moderator, procurement=procurement, input_weight="  ", postcodes="")
    with pytest.raises(ProcessError, match="wat de inbreng van bewoners weegt"):
        services.open_needs(actor=moderator, procurement=procurement)
    assert procurement.phase == Phase.CONCEPT


def test_a_letter_code_counts_once(app_ctx):
    procurement, moderator = make_needs_procurement()
    code = services.create_codes(actor=moderator, procurement=procurement, count=1)[0]
    first = _themes(procurement)[:3]
    services.submit_response(
        procurement=procurement,
        ranked_theme_ids=first,
        suggestion=None,
        buurt=None,
        code=code.lower().replace("-", " "),
        postcode=None,
    )
    with pytest.raises(services.NeedsError, match="al geantwoord"):
        services.submit_response(
            procurement=procurement,
            ranked_theme_ids=first,
            suggestion=None,
            buurt=None,
            code=code,
            postcode=None,
        )


def test_an_unknown_code_is_refused(app_ctx):
    procurement, _ = make_needs_procurement()
    with pytest.raises(services.NeedsError, match="kennen we niet"):
        services.submit_response(
            procurement=procurement,
            ranked_theme_ids=_themes(procurement)[:1],
            suggestion=None,
            buurt=None,
            code="ABCD-EFGH",
            postcode=None,
        )


def test_a_postcode_must_lie_in_the_neighbourhood(app_ctx):
    procurement, _ = make_needs_procurement(postcodes="5611, 5612 AB")
    answer = dict(
        procurement=procurement,
        ranked_theme_ids=_themes(procurement)[:1],
        suggestion=None,
        buurt=None,
        code=None,
    )
    services.submit_response(**answer, postcode="5611 xz")
    services.submit_response(**answer, postcode="5612AB")
    with pytest.raises(services.NeedsError, match="hoort niet bij deze wijk"):
        services.submit_response(**answer, postcode="5612 AC")


def test_an_answer_needs_a_theme_or_something_of_ones_own(app_ctx):
    procurement, _ = make_needs_procurement()
    with pytest.raises(services.NeedsError, match="minstens één thema"):
        services.submit_response(
            procurement=procurement,
            ranked_theme_ids=[0, 0, 0],
            suggestion="  ",
            buurt=None,
            code=None,
            postcode="5611AA",
        )
    response = services.submit_response(
        procurement=procurement,
        ranked_theme_ids=[0, 0, 0],
        suggestion="Een speeltuin",
        buurt=None,
        code=None,
        postcode="5611AA",
    )
    assert response.suggestion == "Een speeltuin" and response.ranks == []


def test_the_same_theme_twice_is_refused(app_ctx):
    procurement, _ = make_needs_procurement()
    theme = _themes(procurement)[0]
    with pytest.raises(services.NeedsError, match="maar één keer"):
        services.submit_response(
            procurement=procurement,
            ranked_theme_ids=[theme, theme],
            suggestion=None,
            buurt=None,
            code=None,
            postcode="5611AA",
        )


def test_answers_are_refused_outside_the_needs_phase(app_ctx):
    procurement, _ = make_needs_procurement(open_phase=False)
    with pytest.raises(services.NeedsError, match="gesloten"):
        services.submit_response(
            procurement=procurement,
            ranked_theme_ids=_themes(procurement)[:1],
            suggestion=None,
            buurt=None,
            code=None,
            postcode="5611AA",
        )


def test_a_theme_goes_into_the_call_only_with_a_reason(app_ctx):
    procurement, moderator = make_needs_procurement()
    theme = _themes(procurement)[0]
    with pytest.raises(ProcessError, match="waarom"):
        services.mark_call_themes(actor=moderator, procurement=procurement, choices={theme: " "})
    services.mark_call_themes(
        actor=moderator,
        procurement=procurement,
        choices={theme: "Het vaakst genoemd, in elke buurt."},
    )
    assert [t.label for t in services.themes(procurement) if t.in_call] == ["Eenzaamheid"]
    assert events_for(procurement.id, "needs.call")[0].details == {"themes": [theme]}


def test_a_removed_theme_is_no_longer_offered_but_keeps_its_answers(app_ctx):
    procurement, moderator = make_needs_procurement()
    theme = services.themes(procurement)[0]
    services.submit_response(
        procurement=procurement,
        ranked_theme_ids=[theme.id],
        suggestion=None,
        buurt=None,
        code=None,
        postcode="5611AA",
    )
    services.remove_theme(actor=moderator, theme=theme, procurement=procurement)
    assert theme.id not in _themes(procurement)
    rows, _per_buurt, _n = services.results(procurement)
    assert any(r.theme_id == theme.id for r in rows)
