"""Metric design: planted leading indicators recovered, decoys refused, scorecard, bad inputs, CLI.

Panels come from the sample generator (``sample.generate_tables``) with its planted lags and
decoys, from the generator with other names and lags (a "hidden-like" panel of the size the
acceptance test uses), and from an independent recipe built here (a seasonal series that shares
revenue's calendar, a negative leading indicator, a same-month copy of revenue).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure

from alliancekit import metric_design as md
from alliancekit.layout import client_dir, working_dir
from alliancekit.phases import PHASES
from alliancekit.sample import generate_tables, write_engagement

KIT = [sys.executable, "-m", "alliancekit.cli"]

HIDDEN_LIKE = {"partner_workshops": 4, "solution_demos": 1, "co_sell_plays": 7}


def kit(*args) -> subprocess.CompletedProcess:
    """Run the CLI as a user would."""
    return subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, timeout=600)


# ----------------------------------------------------------------------------------------------
# Panels
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    tables, truth = generate_tables(seed=7)
    return md.review(tables, {}), truth


@pytest.fixture(scope="module")
def hidden_like():
    tables, truth = generate_tables(seed=2031, n_partners=150, months=48, leading=HIDDEN_LIKE)
    return md.review(tables, {}), truth


def handmade_metrics(n: int = 120, months: int = 48, seed: int = 3) -> pd.DataFrame:
    """A panel from a recipe unlike the sample generator's.

    Revenue: partner size x growth x a calendar season common to all partners x
    ``exp(0.3 * relative deviation of partner_led_workshops 5 months earlier
    - 0.05 * (escalations 2 months earlier - 3))`` x noise. Decoys: ``kickoff_events`` (seasonal,
    peaking a month before revenue's season), ``certified_staff_total`` (a running total that grows
    faster for growing partners), ``coop_spend`` (5 % of last month's revenue) and
    ``booked_pipeline`` (same-month revenue times noise).
    """
    rng = np.random.default_rng(seed)
    t_len = months + 12
    size = 50_000 * rng.lognormal(0, 0.8, n)
    growth = rng.normal(0.01, 0.015, n)
    cal = np.arange(t_len) % 12
    season = 0.15 * np.sin(2 * np.pi * (cal - 2) / 12)
    workshops = rng.poisson(8 * rng.lognormal(0, 0.3, n)[:, None], (n, t_len)).astype(float)
    escalations = rng.poisson(3.0, (n, t_len)).astype(float)
    level = workshops.mean(axis=1, keepdims=True)
    effect = 0.3 * (np.roll(workshops, 5, axis=1) - level) / level - 0.05 * (np.roll(escalations, 2, axis=1) - 3.0)
    t = np.arange(t_len)[None, :]
    revenue = size[:, None] * np.exp(growth[:, None] * t + season[None, :] + effect + rng.normal(0, 0.06, (n, t_len)))
    kickoffs = rng.poisson(np.maximum(0.2, 4 * (1 + 0.8 * np.sin(2 * np.pi * (cal - 1) / 12)))[None, :]
                           * rng.lognormal(0, 0.3, n)[:, None])
    certified = np.cumsum(rng.poisson(np.clip(1 + 40 * growth, 0.1, None)[:, None], (n, t_len)), axis=1)
    spend = 0.05 * np.roll(revenue, 1, axis=1) * rng.lognormal(0, 0.05, (n, t_len))
    pipeline = revenue * rng.lognormal(0, 0.1, (n, t_len))
    frame = pd.DataFrame({"partner_id": np.repeat([f"H{i:03d}" for i in range(n)], months),
                          "month": np.tile(pd.period_range("2022-01", periods=months, freq="M").strftime("%Y-%m"), n)})
    for name, values in {"revenue": revenue, "partner_led_workshops": workshops, "escalations": escalations,
                         "kickoff_events": kickoffs, "certified_staff_total": certified, "coop_spend": spend,
                         "booked_pipeline": pipeline}.items():
        frame[name] = values[:, 12:].reshape(-1).astype(float)
    frame.attrs["source"] = "partner_metrics.csv"
    return frame


@pytest.fixture(scope="module")
def handmade():
    return md.review({"partner_metrics": handmade_metrics()}, {"seed": 1})


def _by_indicator(design: md.Design) -> pd.DataFrame:
    return design.effects.set_index("indicator")


# ----------------------------------------------------------------------------------------------
# Recovery of planted lags; decoys refused
# ----------------------------------------------------------------------------------------------

def test_sample_planted_lags_rank_top_and_are_recovered(sample):
    design, truth = sample
    top = design.effects.head(len(truth.leading_lags))
    assert set(top["indicator"]) == set(truth.leading_lags)
    assert top["leading"].all()
    for row in top.itertuples():
        assert abs(row.lag_months - truth.leading_lags[row.indicator]) <= 1, row
        assert row.ci_low > 0 and row.effect > 0
    assert list(design.effects["rank"]) == list(range(1, len(design.effects) + 1))


def test_sample_decoys_coincident_and_noise_are_not_leading(sample):
    design, truth = sample
    effects = _by_indicator(design)
    not_leading = [*truth.decoys, *truth.coincident, *truth.unrelated]
    present = [c for c in not_leading if c in effects.index]
    assert present and not effects.loc[present, "leading"].any()
    assert set(effects.index[effects["leading"]]) == set(truth.leading_lags)
    expected = {"trend": "only trends", "seasonal": "seasonal", "reverse": "follows the target"}
    for column, kind in truth.decoys.items():
        assert effects.loc[column, "verdict"] == expected[kind], column
    assert effects.loc["pipeline_created", "verdict"] == "moves with the target"


def test_hidden_like_panel_three_real_indicators_on_top_with_lags_within_one(hidden_like):
    design, truth = hidden_like
    assert truth.leading_lags == HIDDEN_LIKE
    top = design.effects.head(3)
    assert set(top["indicator"]) == set(HIDDEN_LIKE)
    for row in top.itertuples():
        assert abs(row.lag_months - HIDDEN_LIKE[row.indicator]) <= 1, row
    effects = _by_indicator(design)
    assert not effects.loc[list(truth.decoys), "leading"].any()
    assert int(effects["leading"].sum()) == 3


def test_independent_recipe_seasonal_running_total_spend_and_copy_are_refused(handmade):
    effects = _by_indicator(handmade)
    assert list(handmade.effects["indicator"][:2]) == ["partner_led_workshops", "escalations"]
    assert effects.loc["partner_led_workshops", "lag_months"] == 5 and effects.loc["partner_led_workshops", "leading"]
    assert effects.loc["escalations", "lag_months"] == 2 and effects.loc["escalations", "leading"]
    assert effects.loc["escalations", "effect"] < 0 and effects.loc["escalations", "ci_high"] < 0
    verdicts = effects["verdict"].to_dict()
    assert verdicts["kickoff_events"] == "seasonal"
    assert verdicts["certified_staff_total"] == "only trends"
    assert verdicts["coop_spend"] == "follows the target"
    assert verdicts["booked_pipeline"] == "moves with the target"


def test_results_are_deterministic_and_the_seed_only_moves_intervals():
    tables, _ = generate_tables(seed=12, n_partners=40, months=30)
    a = md.review(tables, {"seed": 3, "n_bootstrap": 100}).effects
    b = md.review(tables, {"seed": 3, "n_bootstrap": 100}).effects
    pd.testing.assert_frame_equal(a, b)
    c = md.review(tables, {"seed": 4, "n_bootstrap": 100}).effects.set_index("indicator").loc[a["indicator"]]
    assert (c["effect"].to_numpy() == a["effect"].to_numpy()).all()
    assert (c["lag_months"].to_numpy() == a["lag_months"].to_numpy()).all()


def test_max_lag_bounds_the_search_and_the_chart():
    tables, truth = generate_tables(seed=7)
    design = md.review(tables, {"max_lag": 4, "n_bootstrap": 100})
    assert design.effects["lag_months"].max() <= 4
    assert design.estimates.profiles["lag"].between(-4, 4).all()
    lead = design.effects[design.effects["leading"]]
    assert set(lead["indicator"]) == {k for k, v in truth.leading_lags.items() if v <= 4}


def test_effects_table_has_the_contract_columns_first(sample):
    design, _ = sample
    contract = ["indicator", "lag_months", "effect", "ci_low", "ci_high", "leading", "rank", "funnel_stage"]
    assert list(design.effects.columns[:8]) == contract
    assert set(design.effects["funnel_stage"]) <= set(md.FUNNEL_STAGES)
    assert (design.effects["ci_low"] <= design.effects["effect"]).all()
    assert (design.effects["effect"] <= design.effects["ci_high"]).all()
    assert set(design.effects["verdict"]) <= set(md.VERDICTS)


def test_ten_thousand_partners_keep_the_planted_indicators_on_top():
    """At this scale too the planted indicators lead; how long it takes is measured by
    benchmarks/run.py (scale_metric_design_10000_seconds), not asserted here."""
    tables, truth = generate_tables(seed=3, n_partners=10_000, months=36)
    design = md.review(tables, {})
    assert set(design.effects.head(3)["indicator"]) == set(truth.leading_lags)


# ----------------------------------------------------------------------------------------------
# Funnel, scorecard
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, stage", [
    ("certifications", "Build-With"), ("mdf_spent", "Market-With"), ("proposals_submitted", "Sell-With"),
    ("bookings", "outcome"), ("partner_workshops", "Build-With"), ("solution_demos", "Sell-With"),
    ("co_sell_plays", "Sell-With"), ("webinar_attendees", "Market-With"), ("renewal_revenue", "outcome"),
    ("escalations", "Sell-With"),
])
def test_funnel_stage_by_name(name, stage):
    assert md.stage_of(name)[0] == stage


def test_labels_and_units():
    assert md.label_of("mdf_spent") == "MDF spent"
    assert md.label_of("co_sell_plays") == "Co-sell plays"
    assert md.unit_of("revenue") == "currency" and md.unit_of("coop_spend") == "currency"
    assert md.unit_of("webinars", np.array([1.0, 2.0, np.nan])) == "count"


def test_scorecard_yaml_follows_the_documented_schema(sample):
    design, truth = sample
    card = yaml.safe_load(design.scorecard_yaml())
    assert card["version"] == 1 and card["target"] == "revenue" and card["period"] == "month"
    assert [g["kpi"] for g in card["goals"]] == ["revenue", "bookings", "new_customers"]
    for goal in card["goals"]:
        assert goal["kind"] == "lagging" and goal["stage"] == "outcome" and goal["direction"] == "up"
        assert goal["target"] == goal["thresholds"]["green"] > goal["thresholds"]["amber"] > 0
    assert {k["kpi"] for k in card["kpis"]} == set(truth.leading_lags)
    for kpi in card["kpis"]:
        assert kpi["kind"] == "leading" and kpi["lag_months"] >= 1 and kpi["stage"] in md.STAGES
        assert kpi["interval"][0] <= kpi["effect"] <= kpi["interval"][1]
        assert kpi["thresholds"]["amber"] == pytest.approx(0.8 * kpi["target"], abs=0.051)
    assert {g["stage"] for g in card["gaps"]} == {"Build-With", "Market-With"}
    assert {"mdf_spent", "certifications", "enablement_sessions"} <= {x["indicator"] for x in card["not_leading"]}


def test_negative_leading_kpi_points_down(handmade):
    kpis = handmade.scorecard.kpis.set_index("kpi")
    down = kpis.loc["escalations"]
    assert down["direction"] == "down" and down["amber"] > down["green"]
    assert kpis.loc["partner_led_workshops", "direction"] == "up"


def test_growth_targets_grow_the_median_partner():
    tables, _ = generate_tables(seed=7)
    design = md.review(tables, {"target_method": "growth", "target_growth": 0.2, "n_bootstrap": 100})
    for row in design.scorecard.kpis.itertuples():
        assert row.target == pytest.approx(1.2 * row.baseline, rel=0.05)


def test_report_pieces_are_in_the_clients_words(sample):
    design, _ = sample
    story = md.Narrative(design)
    assert "joint accounts nominated (6 months ahead)" in story.key_message()
    assert any("follow revenue" in s.lower() for s in story.findings())
    assert len(story.method_steps()) >= 5
    stop = story.stop_table()
    assert "follows revenue" in set(stop["Verdict"]) and not stop["Why"].str.contains("the target").any()
    assert "leading=" in story.check_summary()
    assert isinstance(md.chart_lag_profiles(design.estimates), Figure)
    assert isinstance(md.chart_funnel(design.effects, target=design.target), Figure)


# ----------------------------------------------------------------------------------------------
# Bad input (in-process: no kernel starts)
# ----------------------------------------------------------------------------------------------

def _metrics(months: int = 30, partners: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    idx = pd.period_range("2024-01", periods=months, freq="M").strftime("%Y-%m")
    frame = pd.DataFrame({"partner_id": np.repeat([f"P{i}" for i in range(partners)], months),
                          "month": np.tile(idx, partners)})
    frame["revenue"] = rng.lognormal(10, 0.2, len(frame))
    frame["deal_registrations"] = rng.poisson(4, len(frame)).astype(float)
    frame["notes"] = "ok"
    frame.attrs["source"] = "partner_metrics.csv"
    return frame


def _problems(frame: pd.DataFrame, **params) -> list[str]:
    return [str(p) for p in md.check_inputs({"partner_metrics": frame}, {"target": "revenue", "max_lag": 12, **params})]


def test_good_input_has_no_problems():
    assert _problems(_metrics()) == []


def test_target_that_is_not_a_column_is_named_with_a_suggestion():
    (problem,) = _problems(_metrics(), target="revenu")
    assert "partner_metrics.csv" in problem and "'revenu'" in problem and "did you mean 'revenue'" in problem


def test_target_that_is_not_numeric_is_refused():
    (problem,) = _problems(_metrics(), target="notes")
    assert "column 'notes'" in problem and "must be a numeric column" in problem and "'ok'" in problem


def test_too_short_history_says_what_is_needed():
    (problem,) = _problems(_metrics(months=14))
    assert "column 'month'" in problem and "at least 18 months" in problem and "covers 14" in problem
    assert "metric_design.max_lag=8" in problem
    assert _problems(_metrics(months=14), max_lag=8) == []


def test_too_few_partners_and_no_candidates_are_refused():
    (few,) = _problems(_metrics(partners=3))
    assert "at least 5 partners" in few
    (none,) = _problems(_metrics().drop(columns=["deal_registrations"]))
    assert "at least one candidate indicator" in none


def test_phase_is_registered_with_its_check():
    phase = PHASES["metric_design"]
    assert phase.notebook == "02_metric_design.ipynb"
    assert phase.results == ("indicator_effects.csv", "scorecard.yml")
    assert phase.check_inputs({"partner_metrics": _metrics(months=10)}, phase.defaults())


def test_cli_bad_target_and_short_history_exit_2(tmp_path, cli):
    write_engagement(tmp_path / "eng", n_partners=12, months=16, phases=("metric_design",))
    path = tmp_path / "eng" / "engagement.yml"
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out", "-p", "metric_design.target=revenu",
                       "-p", "metric_design.max_lag=6")
    assert code == 2 and "partner_metrics.csv" in err and "did you mean 'revenue'" in err
    code, _, err = cli("run", path, "--output-dir", tmp_path / "out")
    assert code == 2 and "at least 18 months of history" in err and "metric_design.max_lag=10" in err
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------------
# End to end: the real CLI, one kernel
# ----------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_cli_run_writes_results_and_honours_overrides(tmp_path):
    write_engagement(tmp_path / "eng", phases=("metric_design",))
    out = tmp_path / "out"
    proc = kit("run", tmp_path / "eng" / "engagement.yml", "--phase", "metric_design", "-p", "metric_design.max_lag=9",
               "-p", "metric_design.target_method=growth", "--output-dir", out, "--format", "html")
    assert proc.returncode == 0, proc.stderr
    client, folder = client_dir(out, "metric_design"), working_dir(out, "metric_design")
    assert sorted(p.name for p in client.iterdir()) == ["report.html", "tables.xlsx"]
    for name in ("manifest.json", "indicator_effects.csv", "scorecard.yml", "executed.ipynb"):
        assert (folder / name).is_file(), name
    effects = pd.read_csv(folder / "indicator_effects.csv")
    assert effects["lag_months"].max() <= 9
    assert set(effects.loc[effects["leading"], "indicator"]) == {"joint_accounts_nominated", "proposals_submitted",
                                                                  "deal_registrations"}
    card = yaml.safe_load((folder / "scorecard.yml").read_text())
    assert card["target_rule"]["method"] == "growth" and all(k["lag_months"] <= 9 for k in card["kpis"])
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["parameters"]["max_lag"] == 9
    page = (client / "report.html").read_text()
    assert "What to stop measuring" in page and "<svg" in page and "start_phase" not in page
