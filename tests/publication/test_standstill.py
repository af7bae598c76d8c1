"""The Alcatel standstill: calendar days from the day after sending, in Dutch time."""

from datetime import date, datetime

import pytest

from committee.publication.standstill import is_over, standstill


def test_twenty_calendar_days_start_the_day_after_sending():
    period = standstill(datetime(2026, 3, 2, 9, 0), 20)  # Monday 2 March, 10:00 in Amsterdam
    assert period.last_day == date(2026, 3, 22)


def test_the_award_may_become_final_at_midnight_after_the_last_day_dutch_time():
    period = standstill(datetime(2026, 3, 2, 9, 0), 20)
    assert period.ends_at == datetime(2026, 3, 22, 23, 0)  # 00:00 on 23 March, CET = UTC+1
    assert not is_over(period.ends_at, datetime(2026, 3, 22, 22, 59))
    assert is_over(period.ends_at, datetime(2026, 3, 22, 23, 0))


def test_a_notice_sent_late_in_the_evening_counts_from_the_next_dutch_day():
    # 23:30 UTC on 1 June is already 2 June in Amsterdam (summer time, UTC+2).
    period = standstill(datetime(2026, 6, 1, 23, 30), 20)
    assert period.last_day == date(2026, 6, 22)
    assert period.ends_at == datetime(2026, 6, 22, 22, 0)


def test_zero_days_means_no_standstill_at_all():
    sent = datetime(2026, 3, 2, 9, 0)
    period = standstill(sent, 0)
    assert period.last_day is None and is_over(period.ends_at, sent)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        standstill(datetime(2026, 3, 2), -1)
