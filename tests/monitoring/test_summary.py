"""The quarterly summary of signals, for the evaluation talks."""

from datetime import date

from committee.monitoring.summary import SignalRow, quarter_of, summarise


def test_quarters_follow_the_calendar():
    assert [quarter_of(date(2026, m, 1))[1] for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_a_signal_counts_in_the_quarter_it_happened_newest_quarter_first():
    rows = [
        SignalRow(date(2026, 2, 1), "shown", True),
        SignalRow(date(2026, 3, 31), "rejected", False),
        SignalRow(date(2026, 4, 1), "pending", False),
        SignalRow(date(2026, 5, 9), "shown", False),
    ]
    first, second = summarise(rows)
    assert (first.label, first.received, first.shown, first.pending, first.answered) == (
        "2026 K2",
        2,
        1,
        1,
        0,
    )
    assert (second.label, second.received, second.shown, second.rejected, second.answered) == (
        "2026 K1",
        2,
        1,
        1,
        1,
    )


def test_only_shown_signals_count_as_answered():
    [summary] = summarise([SignalRow(date(2026, 1, 5), "rejected", True)])
    assert summary.answered == 0


def test_no_signals_no_quarters():
    assert summarise([]) == []
