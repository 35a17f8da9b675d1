"""Portfolio health: features by hand, scores, planted segments recovered, actions, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.metrics import adjusted_rand_score

from alliancekit import portfolio_health as ph

# ----------------------------------------------------------------------------------------------
# A planted portfolio: four well-separated groups of 60 alliances, 36 months, plus deals.
# ----------------------------------------------------------------------------------------------

GROUPS = ("strong", "small_fast", "declining", "dormant")
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]


def planted_portfolio(per_group: int = 60, seed: int = 42) -> dict[str, pd.DataFrame]:
    """Partners, metrics and opportunities with four planted behaviours (``group`` column on partners).

    - strong: large (about 200k a month) and growing about 20 % a year, very active, MDF used;
    - small_fast: small (about 10k a month) and growing about 70 % a year, fairly active;
    - declining: large (about 250k a month) and shrinking about 35 % a year, little activity, MDF idle;
    - dormant: almost no revenue, fading, no activity, hardly any deals.
    """
    rng = np.random.default_rng(seed)
    spec = {  # base monthly revenue at month 0, yearly growth factor, activity level, MDF use, deals, win prob
        "strong": (200_000, 1.20, 6.0, 0.90, 10, 0.55),
        "small_fast": (6_000, 1.70, 3.0, 0.75, 6, 0.45),
        "declining": (500_000, 0.65, 0.8, 0.25, 8, 0.25),
        "dormant": (1_500, 0.50, 0.05, 0.05, 1, 0.10),
    }
    partners, rows, opps = [], [], []
    t = np.arange(len(MONTHS))
    for g, (base, yearly, act, mdf, n_deals, p_win) in spec.items():
        for i in range(per_group):
            pid = f"{g[:2].upper()}{i:03d}"
            partners.append({"partner_id": pid, "partner_name": f"{g.title()} partner {i}", "partner_type": "ISV",
                             "tier": "Gold", "region": ["EMEA", "APAC", "North America"][i % 3], "group": g})
            level = base * rng.lognormal(0, 0.3)
            revenue = level * yearly ** (t / 12) * rng.lognormal(0, 0.08, len(t))
            if g == "dormant":
                revenue = np.where(rng.random(len(t)) < 0.3, 0.0, revenue)
            allocated = 5_000.0 if g != "small_fast" else 2_000.0
            for j, month in enumerate(MONTHS):
                rows.append({
                    "partner_id": pid, "month": month, "revenue": round(float(revenue[j]), 2),
                    "deal_registrations": rng.poisson(act * 2), "joint_accounts_nominated": rng.poisson(act),
                    "proposals_submitted": rng.poisson(act), "joint_campaigns": rng.poisson(act / 2),
                    "certifications": rng.poisson(act / 3), "mdf_allocated": allocated,
                    "mdf_spent": round(allocated * float(np.clip(rng.normal(mdf, 0.05), 0, 1)), 2),
                    "webinars": rng.poisson(act),  # an indicator the kit does not know
                })
            for d in range(n_deals):
                won = bool(rng.random() < p_win)
                is_open = d % 4 == 3
                opps.append({"opportunity_id": f"O-{pid}-{d}", "partner_ids": pid,
                             "amount": float(round(rng.lognormal(np.log(base), 0.5), 0)), "stage": "Propose",
                             "created": "2025-01-15", "closed": None if is_open else "2025-06-30",
                             "won": pd.NA if is_open else won, "attribution": "sourced"})
    partners = pd.DataFrame(partners)
    # A few multi-partner deals between the strong and the small-fast groups.
    for i in range(10):
        opps.append({"opportunity_id": f"O-multi-{i}", "partner_ids": f"ST{i:03d};SM{i:03d}", "amount": 50_000.0,
                     "stage": "Closed Won", "created": "2025-02-01", "closed": "2025-08-01", "won": True,
                     "attribution": "influenced"})
    metrics = pd.DataFrame(rows)
    opportunities = pd.DataFrame(opps)
    opportunities["won"] = opportunities["won"].astype("boolean")
    opportunities["created"] = pd.to_datetime(opportunities["created"])
    opportunities["closed"] = pd.to_datetime(opportunities["closed"])
    macro = pd.DataFrame({"region": ["EMEA", "APAC", "North America"] * 2, "year": [2024] * 3 + [2025] * 3,
                          "it_spend_growth": [0.03, 0.05, 0.04, -0.01, 0.06, 0.03]})
    return {"partners": partners, "partner_metrics": metrics, "opportunities": opportunities, "macro": macro}


def run_review(data: dict[str, pd.DataFrame], seed: int = 0, n_bootstrap: int = 10):
    features = ph.health_features(data["partners"], data["partner_metrics"], data["opportunities"], data.get("macro"))
    scores = ph.health_score(features)
    seg = ph.segment_portfolio(features, k_min=2, k_max=8, seed=seed, n_bootstrap=n_bootstrap)
    actions = ph.recommend_actions(features, scores, seg.labels, seg.names)
    table = ph.segments_table(data["partners"], features, scores, seg, actions)
    return features, scores, seg, actions, table


@pytest.fixture(scope="module")
def planted():
    data = planted_portfolio()
    return data, run_review(data)


# ----------------------------------------------------------------------------------------------
# Planted structure is recovered
# ----------------------------------------------------------------------------------------------

def test_segments_recover_the_planted_groups(planted):
    data, (features, scores, seg, actions, table) = planted
    truth = data["partners"].set_index("partner_id")["group"]
    assert seg.k == 4
    assert list(seg.scores.index) == list(range(2, 9))
    assert adjusted_rand_score(truth.loc[seg.labels.index], seg.labels) >= 0.8
    assert seg.stability >= 0.8 and len(seg.stability_runs) == 10


def test_health_score_ranks_strong_highest_and_dormant_lowest(planted):
    data, (features, scores, *_rest) = planted
    group = data["partners"].set_index("partner_id")["group"]
    means = scores.groupby(group.loc[scores.index]).mean()
    assert means.idxmax() == "strong"
    assert means.idxmin() == "dormant"
    assert scores.between(0, 100).all()


def _majority(seg, group_of, group):
    members = group_of[group_of == group].index
    return seg.labels.loc[members].mode().iloc[0]


def test_names_and_actions_reflect_the_profiles(planted):
    data, (features, scores, seg, actions, table) = planted
    group_of = data["partners"].set_index("partner_id")["group"]
    named = {g: seg.names[_majority(seg, group_of, g)] for g in GROUPS}
    assert named["dormant"] == "Dormant"
    assert named["strong"] == "Strong and growing"
    assert named["small_fast"] == "Small, growing fast"
    assert named["declining"] == "Large, declining"
    assert len(set(seg.names.values())) == seg.k
    by_group = actions["action"].groupby(group_of.loc[actions.index])
    assert (by_group.get_group("dormant") == "exit review").mean() >= 0.8
    assert by_group.get_group("declining").isin(["fix", "exit review"]).all()
    assert by_group.get_group("strong").isin(["invest", "grow"]).mean() >= 0.9
    # Segments are numbered by health: 1 is the healthiest.
    assert seg.labels.map(seg.names).loc[group_of[group_of == "strong"].index].mode().iloc[0] == seg.names[1]
    # Reasons name the evidence.
    declining_reason = actions.loc[group_of[group_of == "declining"].index[0], "reason"]
    assert declining_reason.startswith("Revenue down ") and "% year on year" in declining_reason


def test_exit_review_candidates_are_named_worst_first(planted):
    data, (features, scores, seg, actions, table) = planted
    exits = ph.exit_review_candidates(table)
    assert list(exits.columns[:2]) == ["partner_id", "partner_name"]
    assert len(exits) == int((table["action"] == "exit review").sum()) > 0
    assert exits["health_score"].is_monotonic_increasing
    assert exits["reason"].str.len().gt(10).all()
    # Also accepts the actions table itself (index partner_id).
    assert ph.exit_review_candidates(actions)["partner_id"].tolist() == exits["partner_id"].tolist()


def test_segments_table_and_profile(planted):
    data, (features, scores, seg, actions, table) = planted
    assert list(table.columns[:6]) == ["partner_id", "partner_name", "health_score", "segment", "action", "reason"]
    assert len(table) == len(data["partners"]) and table["partner_id"].is_unique
    ordered = table.sort_values(["health_score", "partner_id"], ascending=[False, True])
    assert table["partner_id"].tolist() == ordered["partner_id"].tolist()
    assert {"revenue_ttm", "revenue_growth", "win_rate", "activity", "webinars_ttm", "macro_it_spend_growth"} <= set(table.columns)
    assert table["action"].isin(ph.ACTIONS).all()
    profile = ph.segment_profile(features, scores, seg, actions)
    assert len(profile) == seg.k and profile["partners"].sum() == len(table)
    assert profile["segment"].tolist() == [seg.names[s] for s in sorted(seg.names)]
    assert profile["actions"].str.len().gt(0).all()


def test_large_portfolio_path_samples_silhouette_and_bootstrap(monkeypatch):
    # Large portfolios compute the silhouette and the bootstrap refits on fixed-size samples.
    monkeypatch.setattr(ph, "SILHOUETTE_SAMPLE", 90)
    monkeypatch.setattr(ph, "BOOTSTRAP_SAMPLE", 90)
    data = planted_portfolio(per_group=40, seed=8)
    features, scores, seg, *_ = run_review(data, seed=1, n_bootstrap=5)
    truth = data["partners"].set_index("partner_id")["group"]
    assert seg.k == 4 and adjusted_rand_score(truth.loc[seg.labels.index], seg.labels) >= 0.8
    assert len(seg.stability_runs) == 5 and seg.stability >= 0.8


def test_two_runs_give_identical_tables():
    data = planted_portfolio(per_group=30, seed=3)
    first = run_review(data, seed=5, n_bootstrap=3)[-1]
    again = run_review(planted_portfolio(per_group=30, seed=3), seed=5, n_bootstrap=3)[-1]
    pd.testing.assert_frame_equal(first, again)


def test_partner_order_does_not_change_the_result():
    data = planted_portfolio(per_group=20, seed=9)
    base = run_review(data, n_bootstrap=0)[-1]
    shuffled = dict(data, partner_metrics=data["partner_metrics"].sample(frac=1, random_state=1))
    pd.testing.assert_frame_equal(base, run_review(shuffled, n_bootstrap=0)[-1])


# ----------------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------------

def test_default_weights_sum_to_one_and_match_the_phase_parameter():
    from alliancekit.portfolio_health.declaration import HEALTH_WEIGHTS

    assert sum(ph.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert ph.DEFAULT_WEIGHTS == HEALTH_WEIGHTS


def test_unknown_weight_names_the_valid_ones(planted):
    _data, (features, *_rest) = planted
    with pytest.raises(ValueError) as err:
        ph.health_score(features, {"revenue_growht": 0.5})
    message = str(err.value)
    assert "revenue_growht" in message and "did you mean 'revenue_growth'" in message
    assert all(name in message for name in ph.DEFAULT_WEIGHTS)
    with pytest.raises(ValueError, match=">= 0"):
        ph.health_score(features, {"win_rate": -1})
    with pytest.raises(ValueError, match="all be zero"):
        ph.health_score(features, {k: 0 for k in ph.DEFAULT_WEIGHTS})


def test_weights_are_merged_and_renormalised(planted):
    _data, (features, *_rest) = planted
    only_revenue = ph.health_score(features, {k: 0 for k in ph.DEFAULT_WEIGHTS} | {"revenue_ttm": 3})
    expected = ph.component_scores(features, {k: 0 for k in ph.DEFAULT_WEIGHTS} | {"revenue_ttm": 1})["revenue_ttm"]
    pd.testing.assert_series_equal(only_revenue, expected.rename("health_score"))
    resolved = ph.resolve_weights(features, {"win_rate": 0.3})
    assert sum(resolved.values()) == pytest.approx(1.0) and resolved["win_rate"] == pytest.approx(0.3 / 1.2)
    # A numeric feature beyond the defaults may be weighted (higher is healthier).
    assert ph.health_score(features, {"webinars_ttm": 0.1}).notna().all()


# ----------------------------------------------------------------------------------------------
# Hand-computed features
# ----------------------------------------------------------------------------------------------

def hand_made() -> dict[str, pd.DataFrame]:
    """A: 100 a month in 2024, 150 in 2025. B: 100 a month from 2024-01 to 2025-06, then silent.

    C has no metrics and no deals. Deals: O1 A won; O2 A+B lost; O3 B won; O7 B lost;
    O4 A open 900; O5 A+B open 400 (200 each); O6 B closed without an outcome (ignored).
    """
    partners = pd.DataFrame({"partner_id": ["A", "B", "C"], "partner_name": ["Alpha", "Beta", "Gamma"],
                             "partner_type": "ISV", "tier": "Gold", "region": ["EMEA", "emea ", "APAC"]})
    rows = []
    for year in (2024, 2025):
        for m in range(1, 13):
            month = f"{year}-{m:02d}"
            rows.append({"partner_id": "A", "month": month, "revenue": 100.0 if year == 2024 else 150.0,
                         "deal_registrations": 2.0, "mdf_allocated": 100.0, "mdf_spent": 50.0})
            if year == 2024 or m <= 6:
                rows.append({"partner_id": "B", "month": month, "revenue": 100.0, "deal_registrations": 1.0,
                             "mdf_allocated": 100.0 if year == 2025 else 0.0, "mdf_spent": 25.0 if year == 2025 else 0.0})
    metrics = pd.DataFrame(rows).sample(frac=1, random_state=0)  # order must not matter
    opportunities = pd.DataFrame({
        "opportunity_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"],
        "partner_ids": ["A", "A;B", "B", "A", "B; A", "B", "B"],
        "amount": [1000.0, 5000.0, 700.0, 900.0, 400.0, 300.0, 100.0],
        "stage": ["Closed Won", "Closed Lost", "Closed Won", "Propose", "Propose", "Closed", "Closed Lost"],
        "created": pd.to_datetime(["2025-01-10"] * 7),
        "closed": pd.to_datetime(["2025-03-01", "2025-05-01", "2025-04-01", None, None, "2025-05-01", "2025-06-01"]),
        "won": pd.array([True, False, True, pd.NA, pd.NA, pd.NA, False], dtype="boolean"),
        "attribution": "sourced",
    })
    macro = pd.DataFrame({"region": ["EMEA", "EMEA", "EMEA", "APAC"], "year": [2024, 2025, 2026, 2023],
                          "it_spend_growth": [0.01, -0.02, 0.5, 0.04]})
    return {"partners": partners, "partner_metrics": metrics, "opportunities": opportunities, "macro": macro}


def test_features_match_hand_computed_values():
    d = hand_made()
    f = ph.health_features(d["partners"], d["partner_metrics"], d["opportunities"], d["macro"])
    assert f.index.tolist() == ["A", "B", "C"] and f.attrs["as_of"] == "2025-12"
    a, b, c = f.loc["A"], f.loc["B"], f.loc["C"]
    # Trailing 12 months, previous 12, growth (symmetric and ordinary).
    assert a["revenue_ttm"] == 1800 and a["revenue_prev_12m"] == 1200
    assert a["revenue_growth"] == pytest.approx(2 * (150 - 100) / (150 + 100))
    assert a["revenue_yoy"] == pytest.approx(0.5)
    assert b["revenue_ttm"] == 600  # silent months count as zero
    assert b["revenue_growth"] == pytest.approx(2 * (50 - 100) / (50 + 100))
    assert b["revenue_yoy"] == pytest.approx(-0.5)
    # Trend: log-linear slope over the last 12 months with an offset of 10 % of the mean.
    assert a["revenue_trend"] == pytest.approx(0.0, abs=1e-12)
    y = np.log(np.r_[[100.0] * 6, [0.0] * 6] + 0.1 * 50)
    assert b["revenue_trend"] == pytest.approx(np.expm1(np.polyfit(np.arange(12), y, 1)[0]))
    # Win rate: the A+B deal counts for both; the deal without an outcome for neither.
    assert (a["deals_closed"], a["deals_won"], a["win_rate"]) == (2, 1, 0.5)
    assert (b["deals_closed"], b["deals_won"]) == (3, 1) and b["win_rate"] == pytest.approx(1 / 3)
    # Open pipeline: a two-partner deal is split between them, never counted twice.
    assert a["open_pipeline"] == 1100 and b["open_pipeline"] == 200
    assert a["pipeline_coverage"] == pytest.approx(1100 / 1800) and b["pipeline_coverage"] == pytest.approx(200 / 600)
    # MDF over the last 12 months.
    assert a["mdf_utilisation"] == pytest.approx(0.5) and b["mdf_utilisation"] == pytest.approx(150 / 600)
    # Activity: ranked across partners with metrics.
    assert (a["activity"], b["activity"]) == (1.0, 0.0)
    assert (a["months_of_data"], b["months_of_data"], c["months_of_data"]) == (24, 18, 0)
    # Macro: region matched without case or spaces, the review year (2025), not a later one.
    assert a["macro_it_spend_growth"] == b["macro_it_spend_growth"] == -0.02
    assert c["macro_it_spend_growth"] == 0.04  # APAC's latest year before 2025


def test_partner_without_metrics_or_deals_gets_nan_features_and_a_low_score():
    d = hand_made()
    f = ph.health_features(d["partners"], d["partner_metrics"], d["opportunities"])
    c = f.loc["C"]
    for name in ("revenue_ttm", "revenue_growth", "revenue_trend", "activity", "win_rate", "pipeline_coverage",
                 "mdf_utilisation"):
        assert np.isnan(c[name]), name
    assert (c["deals_closed"], c["open_pipeline"]) == (0, 0)
    scores = ph.health_score(f)
    assert scores["C"] == 0 == scores.min()
    seg = ph.segment_portfolio(f)  # three partners: still a segmentation, no crash
    actions = ph.recommend_actions(f, scores, seg.labels, seg.names)
    assert actions.loc["C", "action"] == "exit review"
    assert "no monthly metrics" in actions.loc["C", "reason"].lower()


def test_partner_without_metrics_in_a_planted_portfolio():
    data = planted_portfolio(per_group=25, seed=11)
    extra = pd.DataFrame([{"partner_id": "ZZ999", "partner_name": "Silent Ltd", "partner_type": "OEM", "tier": "Silver",
                           "region": "EMEA", "group": "none"}])
    data["partners"] = pd.concat([data["partners"], extra], ignore_index=True)
    features, scores, seg, actions, table = run_review(data, n_bootstrap=0)
    assert features.index[-1] == "ZZ999" and np.isnan(features.loc["ZZ999", "revenue_ttm"])
    assert scores["ZZ999"] <= scores.quantile(0.05)
    assert actions.loc["ZZ999", "action"] == "exit review"
    assert table.loc[table["partner_id"] == "ZZ999", "health_score"].item() == 0


def test_no_metrics_at_all_and_no_opportunities():
    d = hand_made()
    empty = d["partner_metrics"].iloc[0:0]
    f = ph.health_features(d["partners"], empty, None)
    assert f["revenue_ttm"].isna().all() and (f["months_of_data"] == 0).all()
    assert (ph.health_score(f) == 0).all()


def test_tiny_portfolios_are_one_segment():
    d = hand_made()
    partners = d["partners"].iloc[:2]
    f = ph.health_features(partners, d["partner_metrics"], d["opportunities"])
    seg = ph.segment_portfolio(f)
    assert seg.k == 1 and set(seg.labels) == {1} and np.isnan(seg.stability)
    with pytest.raises(ValueError):
        ph.segment_portfolio(f, k_min=5, k_max=3)


def _direct_and_incomplete_deals() -> pd.DataFrame:
    """Direct deals (no partner, however the cell is left empty; one says 'sourced' all the same), and
    partner deals with no amount or no created date: open A 'not yet sized', open A+B prospect."""
    return pd.DataFrame({
        "opportunity_id": ["D1", "D2", "D3", "D4", "X1", "X2"],
        "partner_ids": pd.Series([None, "", " ; ", np.nan, "A", "A;B"], dtype=object),
        "amount": [10_000.0, 20_000.0, np.nan, 5_000.0, np.nan, np.nan],
        "stage": ["Closed Won", "Closed Lost", "Propose", "Propose", "Propose", "Qualify"],
        "created": pd.to_datetime(["2025-01-10", None, None, "2025-02-01", "2025-03-01", None]),
        "closed": pd.to_datetime(["2025-03-01", "2025-04-01", None, None, None, None]),
        "won": pd.array([True, False, pd.NA, pd.NA, pd.NA, pd.NA], dtype="boolean"),
        "attribution": [None, "sourced", None, None, "sourced", "influenced"],
    })


def test_direct_deals_and_deals_without_amount_change_no_partner_feature():
    d = hand_made()
    before = ph.health_features(d["partners"], d["partner_metrics"], d["opportunities"], d["macro"])
    every = pd.concat([d["opportunities"], _direct_and_incomplete_deals()], ignore_index=True)
    after = ph.health_features(d["partners"], d["partner_metrics"], every, d["macro"])
    pd.testing.assert_frame_equal(after, before)  # win rates, pipeline and coverage: partner deals only, amounts known
    assert (after.loc["A", "open_pipeline"], after.loc["A", "deals_closed"]) == (1100, 2)


def test_direct_deals_change_no_score_or_segment_of_a_planted_portfolio(planted):
    data, (features, scores, seg, actions, table) = planted
    extra = _direct_and_incomplete_deals().iloc[:4]  # direct deals only (A and B are not in this portfolio)
    direct = {**data, "opportunities": pd.concat([data["opportunities"], extra], ignore_index=True)}
    f2, s2, seg2, a2, t2 = run_review(direct)
    pd.testing.assert_frame_equal(f2, features)
    pd.testing.assert_series_equal(s2, scores)
    pd.testing.assert_frame_equal(t2, table)


def test_as_of_moves_the_review_window():
    d = hand_made()
    f = ph.health_features(d["partners"], d["partner_metrics"], d["opportunities"], as_of="2024-12")
    assert f.loc["A", "revenue_ttm"] == 1200 and np.isnan(f.loc["A", "revenue_growth"])
    assert f.attrs["as_of"] == "2024-12"


# ----------------------------------------------------------------------------------------------
# Charts and the end-to-end review
# ----------------------------------------------------------------------------------------------

def test_charts_return_figures(planted):
    data, (features, scores, seg, actions, table) = planted
    names = dict(zip(data["partners"]["partner_id"], data["partners"]["partner_name"]))
    palette = ["#0B3D91", "#E07A1F", "#2A9D8F", "#8E5EA2"]
    figs = [ph.chart_segment_map(features, scores, seg, palette=palette),
            ph.chart_health_distribution(scores, seg),
            ph.chart_weakest_trends(data["partner_metrics"], scores, n=12, names=names, palette=palette),
            ph.chart_segment_map(features, scores, seg, max_points=50)]
    for fig in figs:
        assert isinstance(fig, Figure)
        width, _height = fig.get_size_inches()
        assert width == 7
    titles = [ax.get_title() for ax in figs[2].axes if ax.get_visible()]
    assert len(titles) == 12 and all("partner" in t for t in titles)


def test_review_runs_the_phase():
    data = planted_portfolio(per_group=20, seed=5)
    r = ph.review(data, {"k_min": 2, "k_max": 6, "n_bootstrap": 3, "seed": 7})
    assert len(r.table) == 80 and r.as_of == "2025-12"
    story = ph.Narrative(r)
    assert [label for label, *_ in story.headline_figures()][0] == "Alliances reviewed"
    assert story.findings() and story.stability_sentence() and story.check_summary().startswith("partners=80 ")
    assert story.weights_table()["Weight"].sum() == pytest.approx(1.0)
    assert story.k_scores()["Chosen"].eq("yes").sum() == 1
    assert len(story.top(5)) == 5 and len(story.action_list()) == 80
    assert len(story.profile) == r.segmentation.k and story.profile.shape[1] <= 7 and story.exits.shape[1] <= 7
    assert len(story.exits) == len(r.exit_candidates) and "Reason" in story.exits.columns
    assert all(column in story.formats for column in story.top(1).columns
               if column not in ("Partner", "Segment", "Action", "Reason"))


# ----------------------------------------------------------------------------------------------
# Verdict rules, by hand
# ----------------------------------------------------------------------------------------------

def test_verdicts_read_each_alliances_own_figures_against_the_thresholds():
    rules = ph.resolve_rules(pd.DataFrame(), ph.Params.complete({"reference_revenue": 10_000}))
    assert rules.reference_from == "set for the engagement" and rules.dormant_revenue == 1_000
    assert ph.symmetric(0.10) == pytest.approx(2 * 0.10 / 2.10)
    g = ph.symmetric
    f = pd.DataFrame({
        "revenue_per_month": [900.0, 900.0, 900.0, 1_100.0, 20_000.0, 5_000.0, 9_000.0],
        "joint_activities_per_month": [1.5, 2.5, 1.0, 0.0, 30.0, 4.0, 3.0],
        "revenue_growth": [g(0.05), 0.0, g(0.5), 0.0, g(0.45), g(-0.12), g(0.09)],
        "revenue_trend": [0.0, 0.0, 0.04, 0.0, 0.03, -0.01, -0.021],
        "months_of_data": [24, 24, 24, 24, 24, 24, 24],
    }, index=list("abcdefg"))
    v = rules.verdicts(f)
    # quiet and small and not growing fast: dormant; more activity, faster growth or more revenue: not
    assert v["dormant"].tolist() == [True, False, False, False, False, False, False]
    assert v["size"].tolist() == ["small", "small", "small", "small", "large", "small", "mid"]
    assert v["direction"].tolist() == ["steady", "steady", "growing fast", "steady", "growing fast", "declining", "steady"]
    assert v["declining"].tolist() == [False, False, False, False, False, True, True]
    # a dormant alliance with less than a year of history is not called dormant
    assert not rules.verdicts(f.assign(months_of_data=6))["dormant"].any()
