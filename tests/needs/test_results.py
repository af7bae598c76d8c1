"""Needs results: counts per theme and buurt, every group under 5 hidden."""

from committee.needs.results import hide_small, tally

THEMES = [(1, "Eenzaamheid"), (2, "Veiligheid")]


def test_counts_under_five_are_hidden_and_zeros_shown():
    assert hide_small({"A": 7, "B": 0, "C": 3}, total=10) == {"A": None, "B": 0, "C": None}


def test_a_single_hidden_count_cannot_be_worked_out_from_the_total():
    # 6 + 4 = 10 is shown; hiding only the 4 would let anyone compute it, so the 6 goes too.
    shown = hide_small({"A": 6, "B": 4, "C": 0}, total=10)
    assert shown == {"A": None, "B": None, "C": 0}


def test_themes_are_ordered_by_how_often_they_are_in_a_top_three():
    responses = [("Noord", [2, 1])] * 6 + [("Zuid", [2])] * 5
    rows, per_buurt, respondents = tally(themes=THEMES, responses=responses, buurten=["Noord", "Zuid"])
    assert [(r.label, r.mentions, r.first) for r in rows] == [
        ("Veiligheid", 11, 11),
        ("Eenzaamheid", 6, 0),
    ]
    assert rows[0].per_buurt == {"Noord": 6, "Zuid": 5, "": 0}
    assert (per_buurt, respondents) == ({"Noord": 6, "Zuid": 5, "": 0}, 11)


def test_fewer_than_five_respondents_shows_no_numbers():
    rows, per_buurt, respondents = tally(themes=THEMES, responses=[(None, [1])] * 3, buurten=["Noord"])
    assert respondents is None and rows[0].mentions is None and per_buurt[""] is None
