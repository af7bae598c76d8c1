"""The public draw file's pure parts: receipts anyone can recompute with their code, counts with
small groups hidden (committee/lottery/public.py)."""

import hashlib
import json

from committee.lottery import public


def test_a_receipt_is_sha256_of_the_code_and_the_values_as_documented():
    values = {"leeftijd": "25-45", "buurt": "Noord"}
    text = 'wijkiezen-receipt/1:ABCDEFGHJKMNPQRS:{"buurt":"Noord","leeftijd":"25-45"}'
    assert (
        public.receipt("abcd-efgh jkmn-pqrs", values, ["leeftijd", "buurt"])
        == hashlib.sha256(text.encode()).hexdigest()
    )


def test_a_receipt_changes_with_any_value_or_another_code():
    base = public.receipt("A" * 16, {"buurt": "Noord"}, ["buurt"])
    assert public.receipt("B" * 16, {"buurt": "Noord"}, ["buurt"]) != base
    assert public.receipt("A" * 16, {"buurt": "Zuid"}, ["buurt"]) != base
    assert public.receipt("A" * 16, {}, ["buurt"]) == public.receipt(
        "A" * 16, {"buurt": "onbekend"}, ["buurt"]
    )


def test_new_codes_are_sixteen_easy_characters_and_differ():
    codes = {public.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 16 and set(c) <= set(public.CODE_ALPHABET) for c in codes)
    assert public.show_code("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


def _rows(**counts):
    return [{"buurt": value} for value, n in counts.items() for _ in range(n)]


def test_counts_of_three_or_more_are_shown():
    assert public.suppressed_counts(_rows(Noord=5, Zuid=3), ["buurt"]) == {"buurt": {"Noord": 5, "Zuid": 3}}


def test_a_group_of_one_is_hidden_with_the_next_smallest_so_the_total_does_not_give_it_away():
    counts = public.suppressed_counts(_rows(Noord=10, Zuid=6, West=1), ["buurt"])["buurt"]
    assert counts == {"Noord": 10, "West": None, "Zuid": None}


def test_two_groups_of_one_are_not_left_as_the_only_hidden_ones():
    """Two hidden counts with two people between them would both be 1."""
    counts = public.suppressed_counts(_rows(Noord=10, Zuid=6, West=1, Oost=1), ["buurt"])["buurt"]
    assert counts["West"] is None and counts["Oost"] is None and counts["Zuid"] is None
    assert counts["Noord"] == 10


def test_a_value_nobody_has_is_shown_as_zero_and_no_shown_count_is_below_three():
    counts = public.suppressed_counts(_rows(Noord=4, Zuid=2), ["buurt"], {"buurt": ["West"]})["buurt"]
    assert counts["West"] == 0 and counts["Zuid"] is None and counts["Noord"] is None
    for n in range(1, 9):
        for m in range(0, 9):
            shown = public.suppressed_counts(_rows(Noord=n, Zuid=m, Oost=3), ["buurt"])["buurt"]
            assert all(v is None or v == 0 or v >= 3 for v in shown.values())
            hidden = [v for v in shown if shown[v] is None]
            assert len(hidden) != 1  # one hidden count is the pool size minus the others


def test_the_public_inputs_keep_no_value_of_anyone_and_fingerprint_the_receipts():
    inputs = {
        "format": "wijkiezen-draw/3",
        "categories": ["buurt"],
        "quotas": [{"category": "buurt", "value": "Noord", "min": 1, "max": 2}],
        "pool": [{"id": "P1", "buurt": "Noord"}, {"id": "P2", "buurt": "Zuid"}],
        "seats": 1,
    }
    out = public.public_inputs(inputs, {"P1": "a" * 64, "P2": "b" * 64})
    assert out["format"] == public.PUBLIC_FORMAT and out["source_format"] == "wijkiezen-draw/3"
    assert out["pool"] == [{"id": "P1", "receipt": "a" * 64}, {"id": "P2", "receipt": "b" * 64}]
    assert out["counts"] == {"buurt": {"Noord": None, "Zuid": None}}  # one each: both hidden
    assert (
        out["receipts_sha256"]
        == hashlib.sha256(
            json.dumps([["P1", "a" * 64], ["P2", "b" * 64]], separators=(",", ":")).encode()
        ).hexdigest()
    )
