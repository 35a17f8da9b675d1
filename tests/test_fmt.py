"""The shared formatting helpers (alliancekit.fmt) and month parsing (alliancekit.months).

Every phase's reports, scorecards and workbooks show numbers through these helpers, so each
rule is pinned here once: ordinary values, zero, negatives, very large numbers, missing values
(None, NaN, pd.NA) and the variants phases ask for by keyword.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from alliancekit.fmt import (
    DASH, amount, compact_number, compact_tick, is_missing, join_words, percent, plain_number, plural,
    signed_number, signed_percent, split_ids,
)
from alliancekit.months import month_label, month_numbers

MISSING = [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT]


def test_dash_is_the_en_dash_of_the_report_tables():
    from alliancekit.report import esc

    assert DASH == "–" == esc(None)


@pytest.mark.parametrize("value", MISSING)
def test_missing_values_are_recognised(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, -1, "", "nan", "–", float("inf"), np.int64(3), pd.Timestamp("2024-01-01"),
                                   [float("nan")], (None,)])
def test_values_and_text_are_not_missing(value):
    assert not is_missing(value)


@pytest.mark.parametrize("value, text", [
    (0, "0"), (0.0, "0"), (1, "1"), (2.5, "2.5"), (9.94, "9.9"), (10, "10"), (10.4, "10"), (999, "999"),
    (1000, "1k"), (1234, "1.2k"), (45000, "45k"), (999_949, "999.9k"), (999_999, "1000k"), (1_000_000, "1M"),
    (1_234_567, "1.2M"), (1_250_000, "1.2M"), (20_000_000, "20M"), (2.5e9, "2.5bn"), (1e12, "1000bn"),
    (1.23e15, "1230000bn"), (-0.4, "-0.4"), (-7, "-7"), (-1234, "-1.2k"), (-1_500_000, "-1.5M"),
    (np.float64(1500), "1.5k"), (np.int64(1500), "1.5k"),
])
def test_compact_number(value, text):
    assert compact_number(value) == text


def test_compact_number_missing_and_infinite_read_as_the_missing_text():
    for value in [*MISSING, float("inf"), -np.inf]:
        assert compact_number(value) == DASH
        assert compact_number(value, missing="") == ""


def test_compact_number_variants_of_strategy_targets():
    """Targets: separators in the digits, and whole numbers under 10."""
    assert compact_number(2.5, fraction_below_ten=False) == "2"
    assert compact_number(7.5, fraction_below_ten=False) == "8"
    assert compact_number(999.5, thousands=True, fraction_below_ten=False) == "1,000"
    assert compact_number(999.5) == "1000"
    assert compact_number(5e6, thousands=True) == "5M"
    assert compact_number(1.23e15, thousands=True) == "1,230,000bn"


def test_compact_tick_takes_matplotlibs_position_argument():
    from matplotlib.ticker import FuncFormatter

    assert compact_tick(2_000_000, 3) == "2M"
    assert FuncFormatter(compact_tick)(45_000, 0) == "45k"
    assert compact_tick(0) == "0"


@pytest.mark.parametrize("value, text", [
    (0, "0"), (0.04, "0"), (-0.04, "-0"), (3, "3"), (3.0, "3"), (12.54, "12.5"), (99.94, "99.9"), (99.96, "100"),
    (100, "100"), (1234.5, "1,234"), (1235.5, "1,236"), (-12.5, "-12.5"), (-1234.56, "-1,235"),
    (1e12, "1,000,000,000,000"),
])
def test_plain_number(value, text):
    assert plain_number(value) == text


def test_plain_number_variants():
    assert plain_number(12.5, whole=True) == "12" and plain_number(1234.56, whole=True) == "1,235"
    # by_size=False: only positive numbers from 100 are whole (metric_design's thresholds)
    assert plain_number(-1234.56, by_size=False) == "-1,234.6"
    assert plain_number(1234.56, by_size=False) == "1,235"
    for value in [*MISSING, float("inf")]:
        assert plain_number(value) == DASH and plain_number(value, missing="n/a") == "n/a"


def test_amount_by_unit():
    assert amount(1_234_567, "currency") == "1.2M"
    assert amount(0.347, "share") == "35%"
    assert amount(1234.5, "count") == "1,234" and amount(3.25) == "3.2" and amount(0) == "0"
    assert amount(-250, "number") == "-250"
    for value in MISSING:
        assert amount(value, "currency") == amount(value, "share") == amount(value) == DASH


@pytest.mark.parametrize("value, text", [
    (0, "0%"), (0.347, "35%"), (1, "100%"), (-0.05, "-5%"), (12.5, "1250%"), (0.004, "0%"), (float("inf"), "inf%"),
])
def test_percent(value, text):
    assert percent(value) == text


def test_percent_decimals_and_missing():
    assert percent(0.3456, 1) == "34.6%"
    for value in MISSING:
        assert percent(value) == DASH
    assert percent(None, missing="") == ""


@pytest.mark.parametrize("value, text", [
    (0.12, "+12%"), (-0.05, "-5%"), (0, "+0%"), (0.001, "+0%"), (-0.001, "-0%"), (25, "+2500%"),
    (float("inf"), "+inf%"),
])
def test_signed_percent(value, text):
    assert signed_percent(value) == text


def test_signed_percent_variants_of_the_scorecards():
    change = dict(missing="", zero="±0%", infinite="from zero")
    assert signed_percent(0.004, **change) == signed_percent(-0.004, **change) == signed_percent(0, **change) == "±0%"
    assert signed_percent(0.005, **change) == "±0%"  # 0.5 % rounds to even (0), as f"{x:.0%}" does
    assert signed_percent(0.006, **change) == "+1%"
    assert signed_percent(float("inf"), **change) == signed_percent(-np.inf, **change) == "from zero"
    assert signed_percent(None, **change) == signed_percent(float("nan"), **change) == ""
    assert signed_percent(0.1234, 1) == "+12.3%"
    assert signed_percent(np.inf, 1, infinite="from zero") == "from zero"
    for value in MISSING:
        assert signed_percent(value) == DASH


@pytest.mark.parametrize("value, decimals, text", [
    (1.5, 1, "+1.5"), (-0.5, 1, "-0.5"), (0, 1, "+0.0"), (-0.04, 1, "-0.0"), (1234.5, 1, "+1234.5"),
    (0.456, 2, "+0.46"), (-0.06, 2, "-0.06"), (3, 0, "+3"),
])
def test_signed_number(value, decimals, text):
    assert signed_number(value, decimals) == text


def test_signed_number_variants():
    assert signed_number(1234.5, thousands=True) == "+1,234.5"
    assert signed_number(-1_234_567.0, thousands=True) == "-1,234,567.0"
    # metric design's effects: a value that rounds to zero reads 0.00, never -0.00 or +0.00
    for value in (0, 0.0, -0.004, 0.0049, -0.0):
        assert signed_number(value, 2, zero="0.00") == "0.00"
    assert signed_number(-0.006, 2, zero="0.00") == "-0.01"
    for value in MISSING:
        assert signed_number(value) == DASH


@pytest.mark.parametrize("items, text", [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"),
    (["Gold", "Platinum", "Silver", "Bronze"], "Gold, Platinum, Silver and Bronze"),
    ([1, 2.5], "1 and 2.5"), (("x" for _ in range(2)), "x and x"), ([""], ""),
])
def test_join_words(items, text):
    assert join_words(items) == text


@pytest.mark.parametrize("count, text", [(0, "0 months"), (1, "1 month"), (2, "2 months"), (-1, "-1 months"),
                                         (1.0, "1.0 month"), (np.int64(1), "1 month"), (12, "12 months")])
def test_plural(count, text):
    assert plural(count, "month") == text


def test_split_ids():
    assert split_ids("P1; P2;P3") == ["P1", "P2", "P3"]
    assert split_ids(" P3 ; P2;P1;P3;") == ["P3", "P2", "P1", "P3"]
    assert split_ids("P1") == ["P1"] and split_ids("") == [] and split_ids(" ; ;") == []
    assert split_ids(42) == ["42"]
    for value in MISSING:
        assert split_ids(value) == []


def test_split_ids_unique_forgives_spaces_blanks_and_repeats():
    """Deal attribution: a partner listed twice on a deal is credited once, in first-listed order."""
    assert split_ids(" P3 ; P2;P1;P3;", unique=True) == ["P3", "P2", "P1"]
    assert split_ids(None, unique=True) == [] and split_ids(float("nan"), unique=True) == []


def test_month_numbers_reads_text_dates_and_lists():
    assert month_numbers(["2024-03"])[0] == 2024 * 12 + 2
    numbers = month_numbers(pd.Series(["2024-01", " 2023-12 ", "2024-02-15", None, "soon", "2024-01"]))
    assert numbers[:3].tolist() == [2024 * 12, 2023 * 12 + 11, 2024 * 12 + 1] and numbers[5] == numbers[0]
    assert math.isnan(numbers[3]) and math.isnan(numbers[4])
    dates = pd.Series(pd.to_datetime(["2024-03-05", None, "2023-12-31"]))
    got = month_numbers(dates)
    assert got[0] == 2024 * 12 + 2 and math.isnan(got[1]) and got[2] == 2023 * 12 + 11
    assert month_numbers([]).shape == (0,) and month_numbers(np.array(["2020-01"], dtype=object))[0] == 2020 * 12


def test_month_label_round_trips_and_shifts():
    for text in ("2024-01", "2024-12", "1999-07"):
        assert month_label(month_numbers([text])[0]) == text
    assert month_label(month_numbers(["2026-09"])[0] - 12) == "2025-09"
    assert month_label(month_numbers(["2026-01"])[0] - 1) == "2025-12"
    assert month_label(np.float64(2024 * 12 + 11)) == "2024-12"
