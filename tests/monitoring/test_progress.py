"""Promised against realised: the pure rules of committee/monitoring/progress.py."""

from datetime import date

from committee.monitoring.progress import Reported, progress, promised_amount, share


def test_a_share_of_the_contract_sum_is_promised_in_whole_euros_rounded_down():
    assert promised_amount(contract_sum=100_000, percentage=5.0, amount=None) == 5_000
    assert promised_amount(contract_sum=99_999, percentage=2.0, amount=None) == 1_999


def test_a_fixed_amount_is_promised_as_it_is():
    assert promised_amount(contract_sum=100_000, percentage=None, amount=7_500) == 7_500


def test_the_realised_share_is_of_the_contract_sum_with_one_decimal_and_none_for_no_sum():
    assert share(3_200, 80_000) == 4.0
    assert share(1, 3) == 33.3
    assert share(5, 0) is None


def test_latest_is_the_most_recent_period_and_cumulative_the_sum_whatever_the_order_given():
    reported = [
        Reported(date(2026, 4, 1), date(2026, 6, 30), 30),
        Reported(date(2026, 1, 1), date(2026, 3, 31), 20),
    ]
    result = progress(40, reported)
    assert (result.latest, result.cumulative, result.periods) == (30, 50, 2)
    assert result.reached


def test_nothing_reported_is_none_not_zero_and_not_reached():
    result = progress(10, [])
    assert (result.latest, result.cumulative, result.reached) == (None, None, False)


def test_a_target_of_zero_is_reached_once_something_is_reported():
    assert progress(0, [Reported(date(2026, 1, 1), date(2026, 1, 31), 0)]).reached
