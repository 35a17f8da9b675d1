"""Last year's sample engagement (data_samples/northwind-2025/): the same client a year earlier,
with changes planted against this year's sample, so a comparison of the two deliveries has real
changes to find. The truth (:class:`~alliancekit.sample.CycleTruth`) must match the tables, the
kit's analyses must find the plants in last year's data, and the committed folder must be what
the generator writes (this year's sample untouched)."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
import yaml

import alliancekit.metric_design as md
import alliancekit.portfolio_health as ph
import alliancekit.strategy_assessment as sa
from alliancekit.engagement import load_engagement
from alliancekit.paths import KIT_ROOT, SAMPLE_ENGAGEMENT
from alliancekit.sample import (DEFAULT_LEADING, GROUPS, PREVIOUS_END_MONTH, PREVIOUS_ENGAGEMENT, REVIEW_SEGMENTS,
                                SAMPLE_PHASES, generate_tables, previous_year, write_tables)
from alliancekit.validation import load_inputs

PREVIOUS_SAMPLE = KIT_ROOT / "data_samples" / "northwind-2025"


@pytest.fixture(scope="module")
def years():
    """(last year's tables, the truth, this year's tables)."""
    tables, truth = previous_year()
    current, _ = generate_tables()
    return tables, truth, current


@pytest.fixture(scope="module")
def reviews(years):
    """The portfolio review of each year (no bootstrap: segments and actions only)."""
    tables, _, current = years
    return ph.review(tables, {"n_bootstrap": 0}).table, ph.review(current, {"n_bootstrap": 0}).table


def ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["partner_id"])


# ------------------------------------------------------------------------------- the truth and the tables

def test_truth_lists_the_planted_changes(years):
    _, truth, _ = years
    before, now = truth.previous.segments, truth.current.segments
    assert (truth.previous_period, truth.current_period) == ("2025-09", "2026-09")
    assert len(truth.became_strong) == 3 and len(truth.turned_declining) == 2
    assert len(truth.still_dormant) == 2 and len(truth.recovered) == 1
    assert len(truth.added) == 3 and truth.ended == ["P061", "P062"]
    for p in truth.became_strong:
        assert (before[p], now[p]) == ("emerging", "strong_growing")
    for p in truth.turned_declining:
        assert (before[p], now[p]) == ("strong_growing", "declining")
    for p in truth.recovered:
        assert (before[p], now[p]) == ("dormant", "emerging")
    both = [p for p in now if p in before]
    # the exit review candidates that stay are exactly the two: every other alliance dormant now was not then
    assert sorted(p for p in both if before[p] == now[p] == "dormant") == truth.still_dormant
    assert all(before[p] != "dormant" for p in truth.went_dormant)
    assert sorted(truth.went_dormant) == sorted(set(p for p in both if now[p] == "dormant") - set(truth.still_dormant))
    assert truth.segment_changes == {p: (before[p], now[p]) for p in both if before[p] != now[p]}
    assert set(truth.segment_changes) == set(truth.became_strong + truth.turned_declining + truth.recovered
                                             + truth.went_dormant)
    assert {before[p] for p in truth.ended} <= set(GROUPS) and before["P061"] == "dormant"
    assert truth.lag_changes == {"proposals_submitted": (4, 3)}
    assert truth.previous.leading_lags == {**DEFAULT_LEADING, "proposals_submitted": 4}
    assert truth.maturity_changes == {"measurement_reporting": 1.0}


def test_the_tables_hold_what_the_truth_says(years):
    tables, truth, current = years
    partners, now = tables["partners"], current["partners"]
    assert ids(partners) == (ids(now) - set(truth.added)) | set(truth.ended)
    assert ids(partners) == set(truth.previous.segments) and ids(now) == set(truth.current.segments)
    # the same partners keep their names (and type, region, offering); the ended ones have their own
    same = partners.merge(now, on="partner_id", suffixes=("", "_now"))
    assert len(same) == len(now) - len(truth.added)
    for column in ("partner_name", "partner_type", "region", "offering"):
        assert (same[column] == same[f"{column}_now"]).all(), column
    names = partners.set_index("partner_id")["partner_name"]
    assert truth.ended_names == names[truth.ended].to_dict()
    assert not set(truth.ended_names.values()) & set(now["partner_name"]) and names.is_unique
    assert truth.added_names == now.set_index("partner_id")["partner_name"][truth.added].to_dict()
    # the same staff and sponsors
    who = ["staff_id", "staff_name", "role"]
    assert tables["staff"][who].equals(current["staff"][who])
    assert set(partners["exec_sponsor"]) - {""} <= set(truth.current.staff_and_sponsors)
    # a year earlier, 36 months; no row of a partner that is not there
    months = tables["partner_metrics"].groupby("partner_id")["month"].agg(["min", "max", "size"])
    assert set(months.index) == ids(partners)
    assert (months["max"] == PREVIOUS_END_MONTH).all() and (months["min"] == "2022-10").all()
    assert (months["size"] == 36).all()
    dealt = set(tables["opportunities"]["partner_ids"].str.split(";").explode()) - {""}
    assert dealt <= ids(partners) and not dealt & set(truth.added)
    covered = set(tables["staff"]["partners_covered"].str.split(";").explode()) - {""}
    assert covered <= ids(partners) and set(truth.ended) <= covered
    assert set(tables["interviews"]["partner_id"]) <= ids(partners)
    assert set(tables["health_survey"]["partner_id"]) <= ids(partners)
    assert sorted(tables["health_survey"]["wave"].unique()) == ["2025-03", "2025-09"]


# ------------------------------------------------------------------------------- the analyses find the plants

def test_portfolio_review_names_the_planted_groups_last_year(years, reviews):
    _, truth, _ = years
    before, _ = reviews
    expected = before["partner_id"].map(lambda p: REVIEW_SEGMENTS[truth.previous.segments[p]])
    assert (before["segment"] == expected).all(), before.loc[before["segment"] != expected, ["partner_id", "segment"]]
    exits = set(before.loc[before["action"] == "exit review", "partner_id"])
    assert exits == set(truth.still_dormant + truth.recovered) | {"P061"}


def test_the_two_reviews_differ_by_the_planted_changes(years, reviews):
    """What a comparison of the two deliveries must find: segment changes, exits kept and left, added and ended."""
    _, truth, _ = years
    before, now = (r.set_index("partner_id") for r in reviews)
    both = before.index.intersection(now.index)
    changed = both[before.loc[both, "segment"] != now.loc[both, "segment"]]
    assert {p: (before.at[p, "segment"], now.at[p, "segment"]) for p in changed} == {
        p: (REVIEW_SEGMENTS[a], REVIEW_SEGMENTS[b]) for p, (a, b) in truth.segment_changes.items()}
    exit_before = set(before.index[before["action"] == "exit review"])
    exit_now = set(now.index[now["action"] == "exit review"])
    assert sorted(exit_before & exit_now) == truth.still_dormant
    assert sorted((exit_before - exit_now) & set(now.index)) == truth.recovered
    assert sorted(set(now.index) - set(before.index)) == truth.added
    assert sorted(set(before.index) - set(now.index)) == truth.ended


def test_metric_design_finds_the_changed_lag(years):
    tables, truth, current = years
    lags = {}
    for year, data in (("before", tables), ("now", current)):
        effects = md.review(data, {"n_bootstrap": 100}).effects
        leading = effects[effects["leading"]]
        lags[year] = dict(zip(leading["indicator"], leading["lag_months"].astype(int)))
    assert lags["before"] == truth.previous.leading_lags
    assert lags["now"] == truth.current.leading_lags
    assert {k: (lags["before"][k], lags["now"][k]) for k in lags["now"] if lags["before"][k] != lags["now"][k]} \
        == truth.lag_changes


def test_maturity_dimension_improved_the_others_about_the_same(years):
    tables, truth, current = years
    before = sa.review(tables, {}).maturity.set_index("dimension")["score"]
    now = sa.review(current, {}).maturity.set_index("dimension")["score"]
    rise = (now - before).dropna()
    (dimension, planted), = truth.maturity_changes.items()
    assert rise.idxmax() == dimension
    assert abs(rise[dimension] - planted) < 0.3, rise[dimension]
    assert rise.drop(dimension).abs().max() < 0.4, rise.drop(dimension)


# ------------------------------------------------------------------------------- the committed folder

def test_engagement_file_is_last_years_of_the_same_client():
    engagement = load_engagement(PREVIOUS_SAMPLE / "engagement.yml")
    this_year = load_engagement(SAMPLE_ENGAGEMENT / "engagement.yml")
    assert engagement.id == PREVIOUS_ENGAGEMENT == "northwind-2025"
    assert engagement.client == this_year.client == "Northwind Systems"
    assert list(engagement.phases) == list(this_year.phases) == list(SAMPLE_PHASES)
    assert engagement.report_date == datetime.date(2025, 10, 15)
    tables, notes = load_inputs(engagement, list(engagement.data))
    assert notes == [] and set(tables) == set(this_year.data)


def test_committed_folder_equals_the_generators_output(cli, tmp_path):
    """data_samples/northwind-2025 is generated, never edited by hand: `make sample` rewrites it."""
    code, _, err = cli("sample", tmp_path, "--previous-year")
    assert code == 0, err
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(PREVIOUS_SAMPLE) for p in PREVIOUS_SAMPLE.rglob("*") if p.is_file())
    assert generated == committed
    for rel in generated:
        assert (tmp_path / rel).read_bytes() == (PREVIOUS_SAMPLE / rel).read_bytes(), rel
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "alliancekit compare outputs/northwind-2025 outputs/northwind-2026" in readme
    assert "P061" in readme and "proposals_submitted" in readme


def test_this_years_sample_is_untouched_by_the_new_arguments(tmp_path):
    """The arguments that make last year's change nothing at their neutral values: this year's
    committed data are written again byte for byte."""
    tables, _ = generate_tables(seed=7, groups={}, leave_out=(), extra_groups=(), maturity_means={},
                                staff_and_sponsors=())
    write_tables(tables, tmp_path)
    committed = sorted(p.name for p in (SAMPLE_ENGAGEMENT / "data").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (SAMPLE_ENGAGEMENT / "data" / name).read_bytes(), name
    assert "report_date" not in yaml.safe_load((SAMPLE_ENGAGEMENT / "engagement.yml").read_text())


@pytest.mark.parametrize("arguments, message", [
    ({"groups": {"P999": "dormant"}}, "no partner 'P999'"),
    ({"groups": {"P001": "sleepy"}}, "'sleepy' for P001 is not one of"),
    ({"leave_out": ["P070"]}, "leave_out: no partner P070"),
    ({"extra_groups": ["sleepy"]}, "extra_groups: sleepy not one of"),
])
def test_bad_previous_year_arguments_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        generate_tables(seed=7, n_partners=8, months=12, **arguments)
