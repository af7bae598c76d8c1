"""Two members editing the rationale at once: changes merge, clashes are never overwritten."""

from committee.publication.merge import three_way

BASE = {"asked": "De wijk vroeg om ontmoeting.", "why": ""}


def test_each_keeps_the_prompt_only_they_changed():
    mine = {"asked": BASE["asked"], "why": "Mijn reden."}
    theirs = {"asked": "De wijk vroeg om ontmoeting en een bus.", "why": ""}
    result = three_way(BASE, mine, theirs)
    assert result.conflicts == []
    assert result.texts == {"asked": theirs["asked"], "why": "Mijn reden."}


def test_the_same_change_by_both_is_no_conflict():
    same = {"asked": BASE["asked"], "why": "Dezelfde reden."}
    assert three_way(BASE, same, dict(same)).conflicts == []


def test_different_changes_to_the_same_prompt_are_a_conflict_with_my_words_kept_for_the_form():
    mine = {"asked": BASE["asked"], "why": "Mijn reden."}
    theirs = {"asked": BASE["asked"], "why": "Hun reden."}
    result = three_way(BASE, mine, theirs)
    assert result.conflicts == ["why"]
    assert result.texts["why"] == "Mijn reden."


def test_a_prompt_missing_from_my_form_keeps_their_text():
    result = three_way({}, {}, {"offer_7": "Hun notitie."})
    assert result.texts == {"offer_7": "Hun notitie."}


def test_line_endings_and_trailing_spaces_are_not_a_change():
    mine = {"asked": "De wijk vroeg om ontmoeting.  \r\n", "why": "Mijn reden."}
    theirs = {"asked": "Anders geformuleerd.", "why": ""}
    result = three_way(BASE, mine, theirs)
    assert result.conflicts == []
    assert result.texts["asked"] == "Anders geformuleerd."
