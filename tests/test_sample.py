"""The seeded sample engagement: deterministic, valid against the contracts, and the planted
structure (segments, lagged effects, decoys, staffing gaps, identities, themes) is really in it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from alliancekit.engagement import load_engagement
from alliancekit.phases import INPUT_NAMES
from alliancekit.relationship_health.bank import load_bank
from alliancekit.sample import (HEALTH_BANK_PATH, INTERVIEW_GUIDE_PATH, QUESTIONNAIRE_PATH, STATEMENTS_PATH,
                                generate_tables, write_engagement)
from alliancekit.schemas import HEALTH_FUNCTIONS
from alliancekit.validation import load_inputs

#: Required columns (README, "Input files") plus the ones the sample promises on top.
COLUMNS = {
    "partners": ["partner_id", "partner_name", "partner_type", "tier", "region", "start_date",
                 "alliance_manager", "exec_sponsor", "annual_target", "offering"],
    "partner_metrics": ["partner_id", "month", "revenue", "bookings", "new_customers", "pipeline_created",
                        "deal_registrations", "joint_accounts_nominated", "proposals_submitted", "certifications",
                        "enablement_sessions", "joint_campaigns", "mdf_allocated", "mdf_spent",
                        "sourced_revenue", "influenced_revenue"],
    "opportunities": ["opportunity_id", "partner_ids", "amount", "stage", "created", "closed", "won", "attribution"],
    "interviews": ["interview_id", "partner_id", "respondent_name", "respondent_role", "date", "text"],
    "maturity_survey": ["respondent_id", "role", "question_id", "score"],
    "staff": ["staff_id", "staff_name", "role", "partners_covered", "fte"],
    "hiring_scores": ["candidate_id", "position", "interviewer", "competency", "score", "notes"],
    "candidates": ["candidate_id", "candidate_name", "partner_type", "region", "offering", "strategic_fit",
                   "market_access", "complementary_capabilities", "cultural_fit", "financial_strength"],
    "macro": ["region", "year", "it_spend_growth", "gdp_growth"],
    "health_survey": ["respondent_id", "partner_id", "side", "function", "wave", "statement_id", "score",
                      "recommend", "comment"],
}
MONEY = ["revenue", "bookings", "pipeline_created", "mdf_allocated", "mdf_spent", "sourced_revenue", "influenced_revenue"]
COUNTS = ["new_customers", "deal_registrations", "joint_accounts_nominated", "proposals_submitted",
          "certifications", "enablement_sessions", "joint_campaigns"]
GROUPS = ("strong_growing", "emerging", "declining", "dormant")


@pytest.fixture(scope="module")
def sample():
    """The default sample (60 partners x 36 months ending 2026-09) and its truth."""
    return generate_tables()


def read_dir(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def ids(value: str) -> list[str]:
    return [x for x in str(value).split(";") if x]


def lagged_corr(metrics: pd.DataFrame, column: str, lag: int) -> float:
    """Correlation of within-partner changes of ``column`` at t - lag with changes of revenue at t.

    Changes are scaled by the partner's mean (so big partners do not dominate) and demeaned
    per partner (so growth trends do not masquerade as co-movement). A negative lag compares
    the indicator with *earlier* revenue.
    """
    m = metrics.sort_values(["partner_id", "month"])
    g = m.groupby("partner_id")
    frame = pd.DataFrame({"p": m["partner_id"],
                          "x": g[column].diff() / (g[column].transform("mean") + 1.0),
                          "y": g["revenue"].diff() / g["revenue"].transform("mean")})
    frame["x"] = frame.groupby("p")["x"].shift(lag)
    for c in ("x", "y"):
        frame[c] -= frame.groupby("p")[c].transform("mean")
    return float(frame[["x", "y"]].dropna().corr().iloc[0, 1])


# ---------------------------------------------------------------------------------- determinism

def test_same_seed_same_bytes_different_seed_different_data(tmp_path):
    write_engagement(tmp_path / "a")
    write_engagement(tmp_path / "b")
    first = read_dir(tmp_path / "a")
    assert set(first) == {"engagement.yml"} | {f"data/{name}.csv" for name in COLUMNS}
    assert first == read_dir(tmp_path / "b")
    write_engagement(tmp_path / "c", seed=8)
    other = read_dir(tmp_path / "c")
    for name in ("partners", "partner_metrics", "opportunities", "interviews", "maturity_survey", "candidates",
                 "hiring_scores", "health_survey"):
        assert other[f"data/{name}.csv"] != first[f"data/{name}.csv"], name


def test_bytes_do_not_depend_on_the_process(tmp_path):
    """No set or hash order leaks into the files: another interpreter with another hash seed agrees."""
    write_engagement(tmp_path / "here")
    code = "import sys; from alliancekit.sample import write_engagement; write_engagement(sys.argv[1])"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env)
    assert read_dir(tmp_path / "here") == read_dir(tmp_path / "there")


def test_files_are_plain_utf8_csv_with_unix_line_ends(tmp_path):
    write_engagement(tmp_path)
    for name in COLUMNS:
        data = (tmp_path / "data" / f"{name}.csv").read_bytes()
        assert b"\r\n" not in data and data.endswith(b"\n")
        assert data.decode("utf-8").splitlines()[0] == ",".join(COLUMNS[name])
    metrics = (tmp_path / "data" / "partner_metrics.csv").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"P\d{3},\d{4}-\d{2},\d+\.\d{2},.*", metrics[1])


def test_engagement_file(tmp_path):
    write_engagement(tmp_path, phases=("portfolio_health", "metric_design"), client="Acme", engagement="acme-1",
                     consultant="Sam Roe")
    text = (tmp_path / "engagement.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {
        "engagement": "acme-1", "client": "Acme", "consultant": "Sam Roe",
        "firm": "Larkspur Alliance Advisory", "currency": "USD",
        "data": {name: f"data/{name}.csv" for name in COLUMNS},
        "phases": {"portfolio_health": {}, "metric_design": {}},
        "branding": {"primary_color": "#0B3D91"},
    }
    assert text.startswith("engagement: acme-1\nclient: Acme\n")


def test_written_engagement_passes_validation(tmp_path):
    write_engagement(tmp_path)
    engagement = load_engagement(tmp_path / "engagement.yml")
    tables, notes = load_inputs(engagement, list(engagement.data))
    assert notes == [] and set(tables) == set(INPUT_NAMES) - {"swot_training", "swot_corrections"}  # the consultant's own


# ---------------------------------------------------------------------------------- contracts

def test_every_table_has_its_columns_and_unique_ids(sample):
    tables, _ = sample
    assert set(tables) == set(COLUMNS)
    for name, columns in COLUMNS.items():
        assert list(tables[name].columns[:len(columns)]) == columns, name
        assert len(tables[name]) > 0
    for name, key in [("partners", "partner_id"), ("opportunities", "opportunity_id"), ("interviews", "interview_id"),
                      ("staff", "staff_id"), ("candidates", "candidate_id")]:
        assert tables[name][key].is_unique, name
        assert tables[name][key].is_monotonic_increasing, name
    assert not tables["partner_metrics"].duplicated(["partner_id", "month"]).any()
    assert not tables["maturity_survey"].duplicated(["respondent_id", "question_id"]).any()
    assert not tables["macro"].duplicated(["region", "year"]).any()
    assert not tables["hiring_scores"].duplicated(["candidate_id", "interviewer", "competency"]).any()
    assert not tables["health_survey"].duplicated(["respondent_id", "wave", "statement_id"]).any()
    names = pd.concat([tables["partners"]["partner_name"], tables["candidates"]["candidate_name"]])
    assert names.is_unique


def test_partner_ids_used_elsewhere_exist(sample):
    tables, _ = sample
    known = set(tables["partners"]["partner_id"])
    assert set(tables["partner_metrics"]["partner_id"]) == known
    assert set(tables["interviews"]["partner_id"]) <= known
    assert set(tables["health_survey"]["partner_id"]) <= known
    for column, frame in [("partner_ids", tables["opportunities"]), ("partners_covered", tables["staff"])]:
        used = {p for value in frame[column] for p in ids(value)}
        assert used <= known


def test_partner_values(sample):
    tables, truth = sample
    p = tables["partners"]
    assert p["partner_id"].str.fullmatch(r"P\d{3}").all()
    assert set(p["partner_type"]) <= {"ISV", "GSI", "cloud", "IHV", "reseller", "distributor", "OEM", "other"}
    assert set(p["tier"]) == {"Platinum", "Gold", "Silver", "Registered"}
    assert set(p["region"]) == {"North America", "EMEA", "APAC", "LATAM"}
    assert pd.to_datetime(p["start_date"], format="%Y-%m-%d").max() < pd.Timestamp("2023-10-01")
    assert (p["annual_target"] > 0).all() and (p["offering"].str.len() > 0).all()
    staff_names = set(tables["staff"]["staff_name"])
    managers = p["alliance_manager"][p["alliance_manager"] != ""]
    assert set(managers) <= staff_names
    # tier follows size: Platinum partners earn more than Registered ones
    ttm = tables["partner_metrics"].groupby("partner_id")["revenue"].sum()
    by_tier = ttm.groupby(p.set_index("partner_id")["tier"]).median()
    assert by_tier["Platinum"] > by_tier["Gold"] > by_tier["Registered"]
    assert sorted(truth.segments) == sorted(p["partner_id"])


def test_metric_values(sample):
    tables, _ = sample
    m = tables["partner_metrics"]
    months = pd.period_range(end="2026-09", periods=36, freq="M").strftime("%Y-%m").tolist()
    for _, frame in m.groupby("partner_id"):
        assert frame["month"].tolist() == months
    assert (m[MONEY + COUNTS] >= 0).all().all()
    for column in COUNTS:
        assert m[column].dtype.kind == "i", column
    for column in MONEY:
        assert np.allclose(m[column], m[column].round(2)), column
    assert np.allclose(m["sourced_revenue"] + m["influenced_revenue"], m["revenue"], atol=0.006)
    assert (m["mdf_spent"] <= m["mdf_allocated"] + 1e-9).all()


def test_opportunity_values(sample):
    tables, truth = sample
    o = tables["opportunities"]
    assert set(o["stage"]) == {"Qualify", "Develop", "Propose", "Negotiate", "Closed Won", "Closed Lost"}
    assert set(o["attribution"]) == {"sourced", "influenced", ""}
    assert ((o["attribution"] == "") == (o["partner_ids"] == "")).all()  # no attribution on a direct deal
    closed = o["closed"] != ""
    assert (o.loc[closed, "stage"].str.startswith("Closed")).all()
    assert (o.loc[~closed, "won"] == "").all() and set(o.loc[closed, "won"]) == {"true", "false"}
    assert ((o["won"] == "true") == (o["stage"] == "Closed Won")).all()
    created = pd.to_datetime(o["created"], format="%Y-%m-%d")
    assert (pd.to_datetime(o.loc[closed, "closed"], format="%Y-%m-%d") > created[closed]).all()
    assert created.between("2023-10-01", "2026-09-30").all()
    assert (o["amount"] > 0).all()
    n = o["partner_ids"].map(lambda v: len(ids(v)))
    assert n.isin([0, 1, 2, 3]).all() and 0.08 <= (n[n > 0] > 1).mean() <= 0.25
    assert o["partner_ids"].map(lambda v: len(set(ids(v))) == len(ids(v))).all()


def test_direct_deals_come_after_the_partner_deals_win_less_and_close_slower(sample):
    """Deals without partners: their own ids after the partner deals', fewer won, longer cycles."""
    tables, truth = sample
    o = tables["opportunities"]
    direct = o["partner_ids"] == ""
    assert o.loc[direct, "opportunity_id"].tolist() == truth.direct_deals
    assert 0.15 <= direct.mean() <= 0.25 and direct.to_numpy()[-len(truth.direct_deals):].all()
    assert o.loc[direct, "opportunity_id"].str.fullmatch(r"OPP-D\d{5}").all()
    closed = o[o["won"] != ""]
    win = closed.groupby(closed["partner_ids"] == "")["won"].apply(lambda s: (s == "true").mean())
    assert win[True] < win[False] - 0.1
    days = (pd.to_datetime(closed["closed"]) - pd.to_datetime(closed["created"])).dt.days
    median = days.groupby(closed["partner_ids"] == "").median()
    assert median[True] > median[False] + 20


def test_macro_covers_every_region_and_year(sample):
    macro = sample[0]["macro"]
    assert set(zip(macro["region"], macro["year"])) == {
        (r, y) for r in ("North America", "EMEA", "APAC", "LATAM") for y in (2023, 2024, 2025, 2026)}
    assert macro["it_spend_growth"].between(-0.05, 0.15).all()


def test_other_end_month_and_length():
    tables, _ = generate_tables(seed=3, n_partners=12, months=24, end_month="2025-12")
    months = sorted(tables["partner_metrics"]["month"].unique())
    assert (months[0], months[-1], len(months)) == ("2024-01", "2025-12", 24)
    assert sorted(tables["macro"]["year"].unique()) == [2024, 2025]


@pytest.mark.parametrize("kwargs", [{"n_partners": 3}, {"months": 6}, {"leading": {"revenue": 2}},
                                    {"leading": {"deal_registrations": 0}}, {"leading": {"x": 40}}])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        generate_tables(**kwargs)


# ---------------------------------------------------------------------------------- planted: portfolio

def test_groups_are_well_separated(sample):
    tables, truth = sample
    m = tables["partner_metrics"].assign(group=lambda d: d["partner_id"].map(truth.segments))
    counts = pd.Series(truth.segments).value_counts()
    assert set(counts.index) == set(GROUPS) and counts.max() - counts.min() <= 1
    first = m[m["month"] <= "2024-09"].groupby("group")["revenue"].mean()
    last = m[m["month"] >= "2025-10"].groupby("group")["revenue"].mean()
    growth = last / first
    assert last["strong_growing"] > last["declining"] > last["emerging"] > 10 * last["dormant"]
    assert growth["emerging"] > 2 > growth["strong_growing"] > 1.3
    assert growth["declining"] < 0.75 and 0.8 < growth["dormant"] < 1.2
    activity = m.groupby("group")[["deal_registrations", "joint_accounts_nominated", "joint_campaigns"]].mean().sum(axis=1)
    assert activity["strong_growing"] > activity["emerging"] > activity["declining"] > 5 * activity["dormant"]
    mdf = m.groupby("group")[["mdf_spent", "mdf_allocated"]].sum()
    use = mdf["mdf_spent"] / mdf["mdf_allocated"]
    assert use["strong_growing"] > 0.65 and use["dormant"] < 0.1 and use.idxmax() == "strong_growing"


def test_opportunities_follow_the_groups(sample):
    tables, truth = sample
    o = tables["opportunities"].query("partner_ids != ''")  # partner deals; direct deals have no owner
    o = o.assign(owner=lambda d: d["partner_ids"].map(lambda v: ids(v)[0]))
    o["group"] = o["owner"].map(truth.segments)
    per_partner = o.groupby("group").size() / pd.Series(truth.segments).value_counts()
    assert per_partner.idxmax() == "strong_growing" and per_partner.idxmin() == "dormant"
    closed = o[o["won"] != ""]
    win = closed.groupby("group")["won"].apply(lambda s: (s == "true").mean())
    assert win["strong_growing"] > win["emerging"] > win["declining"]


@pytest.mark.parametrize("indicator, lag", [("joint_accounts_nominated", 6), ("proposals_submitted", 3),
                                            ("deal_registrations", 2)])
def test_leading_indicators_peak_at_their_planted_lag(sample, indicator, lag):
    tables, truth = sample
    assert truth.leading_lags[indicator] == lag
    m = tables["partner_metrics"]
    at_lag = lagged_corr(m, indicator, lag)
    assert at_lag > 0.25
    assert at_lag > lagged_corr(m, indicator, 0) + 0.2
    assert at_lag > lagged_corr(m, indicator, lag + 3) + 0.2
    others = [lagged_corr(m, indicator, k) for k in range(0, 10) if k != lag]
    assert at_lag > max(others) + 0.2


def test_other_names_and_lags_can_be_planted():
    tables, truth = generate_tables(seed=11, leading={"webinars_hosted": 4, "deal_registrations": 1})
    m = tables["partner_metrics"]
    assert truth.leading_lags == {"webinars_hosted": 4, "deal_registrations": 1}
    assert m["webinars_hosted"].dtype.kind == "i"
    for indicator, lag in truth.leading_lags.items():
        at_lag = lagged_corr(m, indicator, lag)
        assert at_lag > max(lagged_corr(m, indicator, k) for k in range(0, 10) if k != lag) + 0.2
    assert "joint_accounts_nominated" in truth.unrelated
    assert max(abs(lagged_corr(m, "joint_accounts_nominated", k)) for k in range(0, 10)) < 0.15


def test_decoys_do_not_lead(sample):
    tables, truth = sample
    m = tables["partner_metrics"]
    assert truth.decoys == {"certifications": "trend", "enablement_sessions": "seasonal", "mdf_spent": "reverse"}
    # trend: certifications only ever go up, and their changes say nothing about revenue changes
    assert m.groupby("partner_id")["certifications"].apply(lambda s: s.is_monotonic_increasing).all()
    assert max(abs(lagged_corr(m, "certifications", k)) for k in range(0, 10)) < 0.15
    # seasonal: sessions cluster in the first month of each quarter, unrelated to revenue
    by_month_of_quarter = m.groupby((m["month"].str[-2:].astype(int) - 1) % 3)["enablement_sessions"].mean()
    assert by_month_of_quarter[0] > 2 * by_month_of_quarter[1] > 0
    assert max(abs(lagged_corr(m, "enablement_sessions", k)) for k in range(0, 10)) < 0.15
    # reverse: MDF spent follows last month's revenue, and leads nothing
    assert lagged_corr(m, "mdf_spent", -1) > 0.6
    assert max(lagged_corr(m, "mdf_spent", k) for k in range(0, 10)) < 0.15


def test_coincident_columns_move_with_same_month_revenue(sample):
    tables, truth = sample
    m = tables["partner_metrics"]
    for column in ("bookings", "pipeline_created", "sourced_revenue"):
        assert column in truth.coincident
        assert lagged_corr(m, column, 0) > 0.2
        assert max(lagged_corr(m, column, k) for k in range(1, 10)) < 0.15


# ---------------------------------------------------------------------------------- planted: organisation

def test_staffing_gaps(sample):
    tables, truth = sample
    staff, partners = tables["staff"], tables["partners"]
    assert set(staff["role"]) == {"alliance director", "alliance manager", "partner marketing manager",
                                  "partner solutions architect", "alliance operations analyst"}
    assert staff["fte"].between(0.1, 1.5).all()
    load = staff.set_index("staff_id")["partners_covered"].map(lambda v: len(ids(v)))
    managers = staff.loc[staff["role"] == "alliance manager", "staff_id"]
    [over] = truth.overloaded_staff
    assert over in set(managers)
    assert load[over] > 20 and load[over] >= 2.5 * load[managers[managers != over]].median()
    covered = {p for v in staff["partners_covered"] for p in ids(v)}
    assert truth.uncovered_partners and set(truth.uncovered_partners) == set(partners["partner_id"]) - covered
    uncovered = partners["partner_id"].isin(truth.uncovered_partners)
    assert (partners.loc[uncovered, "alliance_manager"] == "").all()
    assert (partners.loc[~uncovered, "alliance_manager"] != "").all()
    # the named alliance manager really covers the partner, and is the only alliance manager who does
    coverage = {(row.staff_name, p) for row in staff.itertuples() for p in ids(row.partners_covered)}
    assert all((m, p) in coverage for p, m in zip(partners["partner_id"], partners["alliance_manager"]) if m)
    by_managers = [p for v in staff.loc[staff["role"] == "alliance manager", "partners_covered"] for p in ids(v)]
    assert len(by_managers) == len(set(by_managers)) == len(partners) - len(truth.uncovered_partners)
    assert load[managers[managers != over]].between(5, 8).all()


def test_fair_comparison_of_managers(sample):
    """Raw totals rank the 'inherited stars' manager far above the 'beats the mix' one; within
    each planted group, the first one's partners are below their peers and the second one's above."""
    tables, truth = sample
    staff, m = tables["staff"].set_index("staff_id"), tables["partner_metrics"]
    stars, beats = truth.inherited_stars_manager, truth.beats_mix_manager
    assert {stars, beats} <= set(staff.index[staff["role"] == "alliance manager"]) - set(truth.overloaded_staff)
    revenue = m.pivot(index="partner_id", columns="month", values="revenue")
    last, prev = revenue.iloc[:, -12:].sum(axis=1), revenue.iloc[:, -24:-12].sum(axis=1)
    growth = last / prev - 1
    segment = pd.Series(truth.segments)
    mine = {s: ids(staff.at[s, "partners_covered"]) for s in (stars, beats)}
    assert set(segment[mine[stars]]) == {"strong_growing"}
    assert segment[mine[beats]].value_counts().to_dict() == {"declining": 4, "dormant": 4}
    # raw totals: more than twice the revenue, and growing against shrinking
    assert last[mine[stars]].sum() > 2 * last[mine[beats]].sum()
    assert last[mine[stars]].sum() / prev[mine[stars]].sum() > 1.1 > 1 > last[mine[beats]].sum() / prev[mine[beats]].sum()

    def share_of_peers_below(p: str) -> float:
        peers = growth[segment == segment[p]].drop(p)
        return float((peers < growth[p]).mean())

    # within the group: the stars well below the group's median on average, the other's well above it
    assert np.mean([share_of_peers_below(p) for p in mine[stars]]) < 0.35
    assert np.mean([share_of_peers_below(p) for p in mine[beats]]) > 0.75


@pytest.mark.parametrize("seed", [3, 11])
def test_fair_comparison_on_other_seeds(seed):
    tables, truth = generate_tables(seed=seed)
    staff, m = tables["staff"].set_index("staff_id"), tables["partner_metrics"]
    revenue = m.pivot(index="partner_id", columns="month", values="revenue")
    last, prev = revenue.iloc[:, -12:].sum(axis=1), revenue.iloc[:, -24:-12].sum(axis=1)
    growth = last / prev - 1
    segment = pd.Series(truth.segments)
    within = growth - growth.groupby(segment).transform("median")
    stars = ids(staff.at[truth.inherited_stars_manager, "partners_covered"])
    beats = ids(staff.at[truth.beats_mix_manager, "partners_covered"])
    assert set(segment[stars]) == {"strong_growing"} and set(segment[beats]) == {"declining", "dormant"}
    assert within[stars].mean() < 0 < within[beats].mean()
    assert last[stars].sum() > 2 * last[beats].sum() and growth[stars].mean() > 0.1
    assert last[beats].sum() / prev[beats].sum() < 0.95


def test_small_samples_plant_no_comparison_they_cannot_hold():
    """Too few alliance managers (three, one overloaded) for the plant: nothing planted, coverage intact."""
    tables, truth = generate_tables(seed=3, n_partners=12, months=24)
    assert truth.inherited_stars_manager == truth.beats_mix_manager == ""
    managers = tables["staff"].loc[tables["staff"]["role"] == "alliance manager", "partners_covered"]
    covered = [p for v in managers for p in ids(v)]
    assert len(covered) == len(set(covered)) == 12 - len(truth.uncovered_partners)


def test_strategic_partners_without_sponsor(sample):
    tables, truth = sample
    p = tables["partners"]
    no_sponsor = set(p.loc[p["exec_sponsor"] == "", "partner_id"])
    platinum = set(p.loc[p["tier"] == "Platinum", "partner_id"])
    assert no_sponsor == set(truth.missing_sponsor)
    assert 1 <= len(no_sponsor) < len(platinum) and no_sponsor <= platinum


def test_candidates(sample):
    tables, truth = sample
    c, p = tables["candidates"], tables["partners"]
    assert 10 <= len(c) <= 14
    criteria = ["strategic_fit", "market_access", "complementary_capabilities", "cultural_fit", "financial_strength"]
    assert c[criteria].isin([1, 2, 3, 4, 5]).all().all()
    key = ["partner_type", "region", "offering"]
    overlap = c.merge(p[key + ["partner_id"]], on=key)
    assert set(overlap["candidate_id"]) == set(truth.overlapping_candidates) and len(truth.overlapping_candidates) == 2
    for cid, pid in truth.overlapping_candidates.items():
        assert pid in set(overlap.loc[overlap["candidate_id"] == cid, "partner_id"])
    total = c.set_index("candidate_id")[criteria].sum(axis=1)
    assert total.idxmax() == truth.best_candidate and truth.best_candidate not in truth.overlapping_candidates
    assert (total.drop(truth.best_candidate) < total[truth.best_candidate]).all()


def test_hiring_scores(sample):
    """Two positions, three interviewers each scoring every competency of the position for every
    candidate; per position one best candidate (every score at or above the required level, the
    highest weighted score), one the panel splits on (3 points apart on one competency, at most 1
    elsewhere) and one with a critical gap; every other panel at most 1 point apart."""
    tables, truth = sample
    h = tables["hiring_scores"]
    guide = yaml.safe_load(INTERVIEW_GUIDE_PATH.read_text(encoding="utf-8"))
    assert h["candidate_id"].str.fullmatch(r"H\d{2}").all() and h["score"].isin([1, 2, 3, 4, 5]).all()
    assert h.groupby("position")["candidate_id"].nunique().to_dict() == {"alliance_manager": 4,
                                                                         "partner_solutions_architect": 3}
    assert h.groupby("candidate_id")["position"].nunique().eq(1).all()
    people = set(tables["staff"]["staff_name"]) | set(tables["partners"]["exec_sponsor"]) | \
        set(tables["interviews"]["respondent_name"])
    assert h.groupby("position")["interviewer"].nunique().eq(3).all() and not set(h["interviewer"]) & people
    notes = h["notes"]
    assert (notes != "").mean() > 0.6 and notes.str.len().max() < 160
    assert set(truth.best_candidates) == set(truth.split_candidates) == set(guide) & set(h["position"])
    for position, candidates in h.groupby("position"):
        levels = guide[position]["competencies"]
        required = pd.Series({c: v["required"] for c, v in levels.items()})
        weight = pd.Series({c: v["weight"] for c, v in levels.items()})
        for cid, own in candidates.groupby("candidate_id"):  # every interviewer scored every competency
            assert set(zip(own["interviewer"], own["competency"])) == {
                (i, c) for i in candidates["interviewer"].unique() for c in levels}
        mean = candidates.groupby(["candidate_id", "competency"])["score"].mean().unstack()[list(levels)]
        spread = candidates.groupby(["candidate_id", "competency"])["score"].agg(lambda s: s.max() - s.min()).unstack()
        weighted = (mean * weight).sum(axis=1) / weight.sum()
        best, split = truth.best_candidates[position], truth.split_candidates[position]
        assert weighted.idxmax() == best and (weighted.drop(best) < weighted[best] - 0.3).all()
        assert candidates.loc[candidates["candidate_id"] == best].apply(
            lambda r: r["score"] >= required[r["competency"]], axis=1).all()
        assert (mean.drop(best) < required).any(axis=1).all()  # nobody else meets every level
        competency = truth.split_competency[split]
        assert spread.at[split, competency] == 3 and weight[competency] >= 2
        assert spread.stack().ge(2).sum() == 1  # the only panel that splits
        [gap] = [c for c in truth.critical_gaps if c in set(candidates["candidate_id"])]
        assert gap not in (best, split) and weight[truth.critical_gaps[gap]] == 3
        assert mean.at[gap, truth.critical_gaps[gap]] <= required[truth.critical_gaps[gap]] - 2


# ---------------------------------------------------------------------------------- planted: interviews

def test_interviews_compose_labelled_statements(sample):
    tables, truth = sample
    iv = tables["interviews"].set_index("interview_id")
    assert 20 <= len(iv) <= 28 and 15 <= iv["partner_id"].nunique() <= 22
    assert iv["respondent_name"].is_unique
    assert pd.to_datetime(iv["date"], format="%Y-%m-%d").between("2026-06-01", "2026-09-30").all()
    statements = pd.read_csv(STATEMENTS_PATH, dtype=str, keep_default_na=False)
    labelled = set(zip(statements["text"], statements["quadrant"], statements["theme"]))
    assert set(truth.interview_statements) == set(iv.index)
    for iid, said in truth.interview_statements.items():
        assert 5 <= len(said) <= 9
        themes = [s["theme"] for s in said if s["theme"] != "other"]
        assert len(themes) == len(set(themes)), "no theme twice from one respondent"
        for s in said:
            assert (s["text"], s["quadrant"], s["theme"]) in labelled
            assert s["text"] in iv.at[iid, "text"]


def test_themes_named_by_many_and_by_few(sample):
    tables, truth = sample
    names = tables["interviews"].set_index("interview_id")["respondent_name"]
    rows = [(s["theme"], names[iid]) for iid, said in truth.interview_statements.items() for s in said
            if s["theme"] != "other"]
    respondents = pd.DataFrame(rows, columns=["theme", "who"]).groupby("theme")["who"].nunique()
    assert respondents.to_dict() == truth.theme_respondents
    assert len(truth.common_themes) >= 5 and len(truth.rare_themes) >= 3
    assert (respondents[truth.common_themes] >= 4).all()
    assert respondents[truth.rare_themes].between(1, 2).all()


def test_interview_identities_are_planted(sample):
    tables, truth = sample
    iv = tables["interviews"].set_index("interview_id")
    email = re.compile(r"[\w.]+@[\w-]+(\.[a-z]+)+")
    formats = set()
    urls = 0
    for iid, planted in truth.interview_identities.items():
        text = iv.at[iid, "text"]
        name, colleague, mail, phone = planted[:4]
        assert name == iv.at[iid, "respondent_name"] and colleague != name
        assert all(item in text for item in planted)
        assert email.fullmatch(mail)
        assert re.fullmatch(r"[+()\d][\d ().+-]{7,}\d", phone)
        formats.add(re.sub(r"\d", "9", phone))
        urls += len(planted) == 5
    assert len(formats) >= 4
    assert 1 <= urls < len(iv)


# ---------------------------------------------------------------------------------- planted: maturity

def test_maturity_survey(sample):
    tables, truth = sample
    s = tables["maturity_survey"]
    questionnaire = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    dimension = {q["id"]: d["id"] for d in questionnaire["dimensions"] for q in d["questions"]}
    assert set(s["question_id"]) == set(dimension)
    assert set(s["role"]) == set(questionnaire["roles"])
    assert 12 <= s["respondent_id"].nunique() <= 16
    assert s["score"].isin([1, 2, 3, 4, 5]).all()
    expected = s["respondent_id"].nunique() * len(dimension) - len(truth.maturity_skipped)
    assert len(s) == expected and truth.maturity_skipped
    assert not set(truth.maturity_skipped) & set(zip(s["respondent_id"], s["question_id"]))
    s = s.assign(dimension=s["question_id"].map(dimension))
    high, split = truth.maturity_high_dimension, truth.maturity_split_dimension
    assert s.loc[s["dimension"] == high, "score"].isin([4, 5]).all()
    means = s.groupby("dimension")["score"].mean()
    assert means.idxmax() == high and means[high] > means.drop(high).max() + 0.75
    on_split = s[s["dimension"] == split]
    assert on_split.loc[on_split["role"].isin(["Sales", "Marketing"]), "score"].isin([1, 2]).all()
    assert on_split.loc[on_split["role"].isin(["CEO", "CFO"]), "score"].isin([4, 5]).all()
    by_role = s.groupby(["dimension", "role"])["score"].mean().unstack()
    gap = by_role.max(axis=1) - by_role.min(axis=1)
    assert gap.idxmax() == split and gap[split] > gap.drop(split).max() + 1


# ---------------------------------------------------------------------------------- planted: health survey

FIELD = ("sales", "presales", "support")


def health_scores(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The health survey with each statement's dimension (from the statement bank) and scores as numbers."""
    bank = load_bank(HEALTH_BANK_PATH)
    dimension = {s.id: d.id for d in bank.dimensions for s in d.statements}
    h = tables["health_survey"]
    return h.assign(dimension=h["statement_id"].map(dimension), score=h["score"].astype(float))


def test_health_survey_answers(sample):
    """Twelve largest alliances, two waves six months apart ending with the sample; every respondent
    answers every statement of the bank once (some blank), recommends on about 80% of respondents
    (the same on each of their rows), comments on about 20% (on one row, some naming someone)."""
    tables, truth = sample
    h = tables["health_survey"]
    bank = load_bank(HEALTH_BANK_PATH)
    assert truth.health_waves == ("2026-03", "2026-09") and sorted(set(h["wave"])) == list(truth.health_waves)
    largest = tables["partners"].nlargest(12, "annual_target")["partner_id"]
    assert sorted(set(h["partner_id"])) == truth.health_alliances == sorted(largest)
    assert set(h["side"]) == {"us", "partner"} and set(h["function"]) <= set(HEALTH_FUNCTIONS)
    assert set(bank.field_functions) == set(FIELD) and set(bank.functions) == set(HEALTH_FUNCTIONS)
    assert all(ids == bank.statement_ids() for ids in h.groupby("respondent_id")["statement_id"].agg(list))
    assert 0.05 <= h["score"].isna().mean() <= 0.10 and h["score"].dropna().between(1, 5).all()
    per = h.groupby("respondent_id")
    assert per["recommend"].nunique(dropna=False).eq(1).all()
    recommend = per["recommend"].first()
    assert 0.7 <= recommend.notna().mean() <= 0.9 and recommend.dropna().between(0, 10).all()
    comments = h[h["comment"] != ""]
    assert comments["respondent_id"].is_unique and 0.12 <= len(comments) / len(recommend) <= 0.28
    assert comments["comment"].str.len().max() < 200
    text = " ".join(comments["comment"])
    assert truth.health_identities and all(identity in text for identity in truth.health_identities)
    mails = [x for x in truth.health_identities if "@" in x]
    assert mails and len(mails) < len(truth.health_identities)  # e-mail addresses and names
    people = set(tables["staff"]["staff_name"]) | set(tables["interviews"]["respondent_name"])
    assert not people & set(truth.health_identities)


def test_health_survey_respondents_are_anonymous_and_groups_large_enough(sample):
    """Ids are codes, one per respondent and wave, never repeated across partners, sides or waves;
    every alliance x side x wave has 7-10 respondents, at least 4 of them in the field (for
    mind-share), and some functions too small to show alone (1-2 marketing people)."""
    tables, _ = sample
    h = tables["health_survey"]
    assert h["respondent_id"].str.fullmatch(r"R-\d{5}").all()
    per = h.groupby("respondent_id")[["partner_id", "side", "function", "wave"]].nunique()
    assert per.eq(1).all().all()
    who = h.drop_duplicates("respondent_id")
    size = who.groupby(["partner_id", "side", "wave"]).size()
    assert len(size) == 12 * 2 * 2 and size.between(7, 10).all()
    field = who[who["function"].isin(FIELD)].groupby(["partner_id", "side", "wave"]).size()
    assert len(field) == len(size) and (field >= 4).all()
    functions = who.groupby(["partner_id", "side", "wave", "function"]).size()
    assert functions.xs("marketing", level="function").between(1, 2).all()
    assert (functions < 4).mean() > 0.5  # most functions alone are below the anonymity threshold


def test_health_survey_planted_gaps_rise_and_weakest_dimensions(sample):
    """The planted structure as group means: three alliances whose sides are >= 1.3 apart on one
    dimension in each wave (one where we rate higher, one the other way), no other gap of 1.0;
    the partner's field mind-share rising >= 1.0 in one alliance only; conflict resolution and
    joint planning the weakest dimensions portfolio-wide and on each side."""
    tables, truth = sample
    h = health_scores(tables)
    assert h["dimension"].notna().all()
    means = h.groupby(["partner_id", "wave", "dimension", "side"])["score"].mean().unstack("side")
    gap = means["us"] - means["partner"]
    assert len(truth.health_gaps) == 3 and len({d for d, _ in truth.health_gaps.values()}) == 3
    assert {sign for _, sign in truth.health_gaps.values()} == {1, -1}
    assert not {d for d, _ in truth.health_gaps.values()} & {*truth.weakest_dimensions, "field_engagement"}
    for partner, (dimension, sign) in truth.health_gaps.items():
        for wave in truth.health_waves:
            assert sign * gap[(partner, wave, dimension)] >= 1.3, (partner, wave, dimension)
    planted = pd.MultiIndex.from_tuples([(p, w, d) for p, (d, _) in truth.health_gaps.items()
                                         for w in truth.health_waves])
    assert gap.drop(planted).abs().max() < 1.0

    riser = truth.mind_share_rise
    assert riser in truth.health_alliances and riser not in truth.health_gaps
    mind_share = load_bank(HEALTH_BANK_PATH).mind_share_dimension.id
    on_it = h[(h["dimension"] == mind_share) & h["function"].isin(FIELD)]
    by_wave = on_it.groupby(["side", "partner_id", "wave"])["score"].mean().unstack("wave")
    first, last = truth.health_waves
    change = by_wave[last] - by_wave[first]
    assert change[("partner", riser)] >= 1.0
    assert change.drop(("partner", riser)).abs().max() < 0.7  # our side of it, and every other alliance

    weakest = set(truth.weakest_dimensions)
    assert weakest == {"conflict_resolution", "joint_planning"}
    portfolio = h.groupby("dimension")["score"].mean().sort_values()
    assert set(portfolio.index[:2]) == weakest and portfolio.iloc[2] - portfolio.iloc[1] >= 0.3
    for side, answers in h.groupby("side"):
        assert set(answers.groupby("dimension")["score"].mean().nsmallest(2).index) == weakest, side


def test_health_survey_on_a_small_sample():
    """Eight partners: all surveyed, still three gaps and a rise on distinct alliances."""
    tables, truth = generate_tables(seed=5, n_partners=8, months=12)
    h = tables["health_survey"]
    assert sorted(set(h["partner_id"])) == truth.health_alliances == sorted(tables["partners"]["partner_id"])
    assert len(truth.health_gaps) == 3 and truth.mind_share_rise not in truth.health_gaps
    assert truth.health_waves == ("2026-03", "2026-09")


# ---------------------------------------------------------------------------------- scale

def test_generates_thousands_of_partners():
    tables, truth = generate_tables(seed=1, n_partners=2000)
    p, m = tables["partners"], tables["partner_metrics"]
    assert len(p) == 2000 and p["partner_id"].iloc[-1] == "P2000" and p["partner_name"].is_unique
    assert len(m) == 2000 * 36
    assert pd.Series(truth.segments).value_counts().tolist() == [500] * 4
    managers = tables["staff"]
    load = managers.set_index("staff_id")["partners_covered"].map(lambda v: len(ids(v)))
    assert load[truth.overloaded_staff[0]] == load.max()
    assert lagged_corr(m, "joint_accounts_nominated", 6) > lagged_corr(m, "joint_accounts_nominated", 0) + 0.2


def test_committed_sample_equals_the_generators_output(tmp_path):
    """data_samples/northwind is generated, never edited by hand: `make sample` rewrites it."""
    from alliancekit.paths import SAMPLE_ENGAGEMENT

    write_engagement(tmp_path)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(SAMPLE_ENGAGEMENT) for p in SAMPLE_ENGAGEMENT.rglob("*") if p.is_file())
    assert generated == committed
    for rel in generated:
        assert (tmp_path / rel).read_bytes() == (SAMPLE_ENGAGEMENT / rel).read_bytes(), rel
