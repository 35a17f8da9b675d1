"""Limits said where they apply (issue 16, item 3).

A small engagement with known limits: the sample engagement copied to a temporary folder with
only its last 18 months of partner metrics, a constant MDF allocation and no macro data; weights
given that add up to more than 100%. Each phase's narrative must say what its figures rest on, in
the sentence or table note concerned and in ``limits()`` (the appendix "Data and its limits"),
with figures computed from the data; and nothing when the data hold no such limit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from alliancekit import report
from alliancekit.engagement import load_engagement
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.validation import load_inputs

SHORT_MONTHS = 18
CONSTANT_MDF = 5000.0


def _short_copy(root: Path) -> Path:
    """The sample engagement with the last 18 months of metrics, a constant MDF allocation, no macro."""
    shutil.copytree(SAMPLE_ENGAGEMENT, root)
    path = root / "data" / "partner_metrics.csv"
    metrics = pd.read_csv(path, dtype={"month": str})
    keep = sorted(metrics["month"].unique())[-SHORT_MONTHS:]
    metrics = metrics[metrics["month"].isin(keep)].assign(mdf_allocated=CONSTANT_MDF)
    metrics.to_csv(path, index=False)
    (root / "data" / "macro.csv").unlink()
    spec = yaml.safe_load((root / "engagement.yml").read_text(encoding="utf-8"))
    del spec["data"]["macro"]
    (root / "engagement.yml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return root / "engagement.yml"


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    """(engagement, validated tables) of the short engagement."""
    engagement = load_engagement(_short_copy(tmp_path_factory.mktemp("limits") / "short"))
    tables, _ = load_inputs(engagement, ["partners", "partner_metrics", "opportunities", "maturity_survey",
                                         "candidates", "staff", "interviews"])
    return engagement, tables


@pytest.fixture(scope="module")
def full():
    """(engagement, validated tables) of the committed sample engagement."""
    engagement = load_engagement(SAMPLE_ENGAGEMENT / "engagement.yml")
    tables, _ = load_inputs(engagement, ["partners", "partner_metrics", "opportunities", "macro", "maturity_survey",
                                         "candidates", "staff", "interviews"])
    return engagement, tables


def _months(tables) -> list[str]:
    return sorted(tables["partner_metrics"]["month"].astype(str).unique())


# ---------------------------------------------------------------------------- the report's helpers


def test_table_notes_and_formats_travel_with_the_table():
    frame = report.annotate(pd.DataFrame({"Share": [0.25]}), ["Rests on one alliance.", ""], {"Share": "{:.0%}"})
    html = report.table(frame).data
    assert "25%" in html and '<p class="table-note">Rests on one alliance.</p>' in html
    assert "12%" in report.table(pd.DataFrame({"Share": [0.125]}).pipe(report.annotate, (), {"Share": "{:.0%}"}),
                                 formats={"Share": "{:.0%}"}).data  # the caller's format wins


def test_weights_view_one_column_when_used_as_given_else_both():
    base = pd.DataFrame({"Criterion": ["A", "B"]})
    same = report.weights_view(base, [0.4, 0.6], [0.4, 0.6])
    assert list(same.columns) == ["Criterion", "Weight"] and not report.table_notes(same)
    rescaled = report.weights_view(base, [0.35, 0.8], [0.35 / 1.15, 0.8 / 1.15])
    assert list(rescaled.columns) == ["Criterion", "Weight given", "Weight used"]
    assert rescaled["Weight used"].sum() == pytest.approx(1.0)
    assert report.table_notes(rescaled) == ["The weights as given add up to 115%; each was scaled in proportion "
                                            "(divided by 1.15) so that the weights used add up to 100%."]
    html = report.table(rescaled, formats={"Weight": "{:.0%}"}).data
    assert ">35%<" in html and ">30%<" in html


def test_data_and_limits_section():
    html = report.data_and_limits(["Growth rests on 6 months."], ["A data note.", "Growth rests on 6 months."]).data
    assert "<h3>Data and its limits</h3>" in html
    assert html.count("Growth rests on 6 months.") == 1 and "A data note." in html
    assert report.NO_LIMITS in report.data_and_limits([], []).data


# ---------------------------------------------------------------------------- portfolio health


@pytest.fixture(scope="module")
def health_short(short):
    from alliancekit import portfolio_health as ph

    _, tables = short
    return ph.Narrative(ph.review(tables, {"n_bootstrap": 5, "weights": {"revenue_growth": 0.35}}))


def test_health_growth_rests_on_the_months_in_the_data(short, health_short):
    _, tables = short
    months = _months(tables)
    before = len(months) - 12
    assert len(months) == SHORT_MONTHS and before == 6
    attrs = health_short.review.features.attrs
    assert (attrs["current_months"], attrs["previous_months"]) == (12, before)
    sentence = (f"Growth compares the average month of the last 12 months with the average month of the {before} "
                "months before them, the only earlier months in the data")
    assert any(sentence in s for s in health_short.limits())
    assert any(sentence in n for n in report.table_notes(health_short.profile))
    assert "Change" in health_short.profile.columns and "Y/Y" not in health_short.profile.columns
    assert any(f"than in an average month of the {before} months before them" in f for f in health_short.findings())
    assert any("a change 'year on year' compares" in n for n in report.table_notes(health_short.action_list()))
    growth = health_short.weights_table()["What it measures"].iloc[1]
    assert growth == f"Revenue growth, average month of the last 12 months against the {before} months before"


def test_health_growth_compares_monthly_averages(short, health_short):
    """12 months are not compared with 6 as if equal: growth is the change of the average month."""
    _, tables = short
    metrics = tables["partner_metrics"].assign(month=lambda m: m["month"].astype(str))
    months = _months(tables)
    pid = "P001"
    own = metrics[metrics["partner_id"] == pid].set_index("month")["revenue"]
    expected = own.reindex(months[-12:]).fillna(0).mean() / own.reindex(months[:-12]).fillna(0).mean() - 1
    assert health_short.review.features.at[pid, "revenue_yoy"] == pytest.approx(expected)


def test_health_weights_given_and_used(health_short):
    table = health_short.weights_table()
    assert list(table.columns) == ["What it measures", "Weight given", "Weight used"]
    assert table["Weight used"].sum() == pytest.approx(1.0)
    assert table["Weight given"].iloc[1] == pytest.approx(0.35)
    assert table["Weight used"].iloc[1] == pytest.approx(0.35 / 1.15)
    assert table["Weight given"].sum() == pytest.approx(1.15)
    note = "The health-score weights as given add up to 115%; each was scaled in proportion (divided by 1.15)"
    assert any(note in n for n in report.table_notes(table)) and any(note in s for s in health_short.limits())


def test_health_without_macro_says_what_the_reasons_leave_out(health_short):
    sentence = "No regional economic data were given, so the reasons do not weigh market headwinds"
    assert any(sentence in s for s in health_short.limits())
    assert any(sentence in n for n in report.table_notes(health_short.exits))


def test_health_with_less_than_a_year(short):
    from alliancekit import portfolio_health as ph

    _, tables = short
    months = _months(tables)[-9:]
    metrics = tables["partner_metrics"]
    story = ph.Narrative(ph.review({**tables, "partner_metrics": metrics[metrics["month"].astype(str).isin(months)]},
                                   {"n_bootstrap": 0}))
    assert story.headline_figures()[1][0] == "Revenue, last 9 months"
    assert "9-mo revenue" in story.action_list().columns
    limits = " ".join(story.limits())
    assert "The data hold 9 months, so revenue, activity and the monthly trend cover those 9 months" in limits
    assert "growth is left out of every score" in limits


def test_health_sample_has_no_period_or_weights_limits(full):
    from alliancekit import portfolio_health as ph

    _, tables = full
    story = ph.Narrative(ph.review(tables, {"n_bootstrap": 5}))
    assert list(story.weights_table().columns) == ["What it measures", "Weight"]
    assert story.headline_figures()[1][0] == "Revenue, last 12 months"
    text = " ".join(story.limits())
    for absent in ("Growth compares", "as given", "regional economic", "The data hold"):
        assert absent not in text
    closed = story.review.features["deals_closed"]
    few = int(((closed > 0) & (closed < 5)).sum())
    assert f"{few} alliances have fewer than 5 closed deals" in text


# ---------------------------------------------------------------------------- metric design


@pytest.fixture(scope="module")
def design_short(short):
    from alliancekit import metric_design as md

    _, tables = short
    return md.Narrative(md.review(tables, {"n_bootstrap": 100}))


def test_constant_indicator_does_not_vary(design_short):
    effects = design_short.design.effects.set_index("indicator")
    assert effects.at["mdf_allocated", "verdict"] == "does not vary"
    assert effects.at["mdf_allocated", "reason"] == ("Does not vary: the same value (5,000) every month for every "
                                                     "partner, so its effect cannot be tested.")
    assert "too little data" not in set(effects["verdict"])
    stop = design_short.stop_table().set_index("Indicator")
    assert stop.at["MDF allocated", "Verdict"] == "does not vary"
    assert "Do not vary from month to month (their effect cannot be tested), so not leading: MDF allocated." \
        in design_short.findings()
    assert any(s.startswith("MDF allocated does not vary from month to month") for s in design_short.limits())
    assert {"indicator": "mdf_allocated", "verdict": "does not vary"} in design_short.design.scorecard.not_leading


def test_constant_per_partner_is_told_apart():
    from alliancekit.metric_design.lags import variation

    assert variation(np.array([[3.0, 3.0, np.nan], [5.0, 5.0, 5.0]])) == "constant per partner"
    assert variation(np.full((2, 3), 7.0)) == "constant"
    assert variation(np.array([[1.0, 2.0], [1.0, 1.0]])) == "varies"
    assert variation(np.full((2, 3), np.nan)) == "empty"


def test_short_history_leads_and_calendar(short, design_short):
    from alliancekit.metric_design.lags import SEASONAL_CHANGES_NEEDED
    from alliancekit.metric_design.panel import seasonal_strength

    _, tables = short
    n = len(_months(tables))
    max_lag = int(design_short.design.params["max_lag"])
    limits = " ".join(design_short.limits())
    # a lead of L months uses the changes from month L + 2 on: n - 2 - L of them
    first_short = n - 2 - 12 + 1
    assert (f"With {n} months of data, leads of {first_short} to {max_lag} months rest on at most "
            f"{n - 2 - first_short} down to {n - 2 - max_lag} months of changes per partner") in limits
    assert f"that needs {SEASONAL_CHANGES_NEEDED + 1} months" in limits
    assert any("months of changes per partner" in n_ for n_ in report.table_notes(design_short.ranking_table()))
    # the threshold the sentence quotes is the one the seasonality check applies
    changes = np.random.default_rng(0).normal(size=(5, SEASONAL_CHANGES_NEEDED - 1))
    assert seasonal_strength(changes, np.ones_like(changes), np.arange(SEASONAL_CHANGES_NEEDED) % 12) == 0.0


def test_metric_design_sample_has_no_limits(full):
    from alliancekit import metric_design as md

    _, tables = full
    story = md.Narrative(md.review(tables, {"n_bootstrap": 100}))
    assert story.limits() == []
    assert "does not vary" not in set(story.design.effects["verdict"])


# ---------------------------------------------------------------------------- strategy assessment


def test_strategy_weights_given_and_used_and_single_respondents(short):
    from alliancekit import strategy_assessment as sa

    engagement, tables = short
    story = sa.Narrative(sa.review(tables, {"criteria_weights": {"revenue_scale": 0.5},
                                            "candidate_weights": {"strategic_fit": 0.6}}, root=engagement.root))
    matrix = story.decision_view()
    assert {"Weight given", "Weight used"} <= set(matrix.columns) and "Weight" not in matrix.columns
    assert matrix["Weight used"].iloc[:-1].sum() == pytest.approx(1.0)
    assert matrix["Weight given"].iloc[-1] == pytest.approx(1.25)
    assert set(story.decision_formats()) >= {"Weight given", "Weight used"}
    criteria = story.criteria_view()
    assert criteria["Weight given"].iloc[0] == pytest.approx(0.5) and criteria["Weight used"].iloc[0] == pytest.approx(0.4)
    candidates = story.candidate_weights_view()
    assert candidates["Weight used"].sum() == pytest.approx(1.0)
    limits = story.limits()
    assert "The criteria weights as given add up to 125%" in " ".join(limits)
    assert "The candidate criteria weights as given add up to 130%" in " ".join(limits)
    survey = tables["maturity_survey"]
    single = sorted(r for r, n in survey.groupby("role")["respondent_id"].nunique().items() if n == 1)
    assert single == ["CEO", "CFO"]
    assert "CEO and CFO have one respondent each" in " ".join(limits)
    assert any("one respondent" in n for n in report.table_notes(story.disagreement_view()))


def test_strategy_defaults_keep_one_weight_column(full):
    from alliancekit import strategy_assessment as sa

    engagement, tables = full
    story = sa.Narrative(sa.review(tables, {}, root=engagement.root))
    assert "Weight" in story.decision_view().columns and "Weight given" not in story.decision_view().columns
    assert not any("as given" in s for s in story.limits())


# ---------------------------------------------------------------------------- partner SWOT


def test_swot_few_voices_and_few_interviews(short):
    from alliancekit import partner_swot as ps

    engagement, tables = short
    interviews = tables["interviews"].head(8)
    story = ps.Narrative(ps.review({**tables, "interviews": interviews}, {}, client=engagement.client))
    limits = " ".join(story.limits())
    assert "The SWOT rests on 8 interviews; new themes usually stop appearing only after 12" in limits
    themes = story.review.themes
    few = int((themes["respondents"] < 3).sum())
    assert f"{few} of {len(themes)} themes were raised by fewer than 3 respondents" in limits
    assert any(f"{few} of {len(themes)} themes" in n for n in report.table_notes(story.theme_frequency_table()))
    assert "no statement was re-placed by the consultant" in limits  # no corrections were given
    assert "8 interviews" in story.anonymity_sentence()


# ---------------------------------------------------------------------------- organisation design


def test_org_design_priorities_small_tiers_and_no_opportunities(short):
    from alliancekit import org_design as od

    engagement, tables = short
    partners = tables["partners"].copy()
    partners.loc[partners.index[:2], "tier"] = "Diamond"
    inputs = {k: v for k, v in tables.items() if k != "opportunities"}
    story = od.Narrative(od.review({**inputs, "partners": partners}, {"priorities": {"cost": 0.5}},
                                   client=engagement.client, templates=od.template_folders(engagement.file)))
    table = story.priorities_table()
    assert table["Weight used"].sum() == pytest.approx(1.0) and table["Weight given"].sum() == pytest.approx(1.35)
    limits = " ".join(story.limits())
    assert "The priorities as given add up to 135%" in limits
    assert "Diamond (2 partners) is too small for an average to mean much" in limits
    assert any("Diamond (2 partners)" in n for n in report.table_notes(story.tier_table()))
    assert od.narrative.NO_OPPORTUNITIES in limits and od.narrative.NO_OPPORTUNITIES in story.hours_sentence()


# ---------------------------------------------------------------------------- ecosystem reporting


@pytest.fixture(scope="module")
def upstream(full):
    from alliancekit import metric_design as md, portfolio_health as ph

    _, tables = full
    return md.review(tables, {"n_bootstrap": 100}).scorecard_yaml(), ph.review(tables, {"n_bootstrap": 5}).table


def test_ecosystem_small_groups_on_the_sample(full, upstream):
    from alliancekit import ecosystem_reporting as er

    _, tables = full
    scorecard, segments = upstream
    story = er.Narrative(er.review(tables, {}, scorecard=scorecard, segments=segments))
    counts = tables["partners"]["partner_type"].value_counts()
    small = counts[counts < er.MIN_PEERS]
    assert len(small)  # the sample has partner types of one alliance
    notes = report.table_notes(story.review.revenue_by_type)
    assert any(f"Partner types of fewer than {er.MIN_PEERS} alliances" in n for n in notes)
    for kind, n in small.items():
        assert f"{kind} {n}" in " ".join(notes)
    lead = story.findings()[0]
    best = story.review.revenue_by_type.iloc[:-1].sort_values("Attainment", ascending=False, kind="stable").iloc[0]
    if best["Alliances"] == 1:
        assert f"{best.iloc[0]} partners are furthest ahead ({best['Attainment']:.0%}, one alliance only)" in lead


def test_ecosystem_short_metrics(full, upstream):
    from alliancekit import ecosystem_reporting as er

    _, tables = full
    scorecard, segments = upstream
    metrics = tables["partner_metrics"]
    keep = _months(tables)[-5:]
    story = er.Narrative(er.review({**tables, "partner_metrics": metrics[metrics["month"].astype(str).isin(keep)]},
                                   {}, scorecard=scorecard, segments=None))
    limits = " ".join(story.limits())
    assert "The partner metrics hold 5 months, so revenue and funds 'over the last 12 months' cover those 5" in limits
    assert "a full year would bring 2.40 times as much" in limits
    assert "the direction of travel compares the last 3 months with the 2 before them, not 3" in limits
    assert "No portfolio segments were available." in limits
    assert any("5 months" in n for n in report.table_notes(story.review.revenue_by_tier))
    assert any("2 before them" in n for n in report.table_notes(story.movers(up=True)))


# ---------------------------------------------------------------------------- client words


def test_limits_speak_the_clients_language(short, health_short, design_short, tmp_path):
    from test_client_text import jargon_hits

    sentences = [*health_short.limits(), *design_short.limits(),
                 *(n for t in (health_short.weights_table(), health_short.profile, health_short.action_list(),
                               design_short.ranking_table()) for n in report.table_notes(t))]
    page = tmp_path / "report.html"
    page.write_text("<html><body><h2>Summary</h2>" + "".join(f"<p>{report.esc(s)}</p>" for s in sentences)
                    + "</body></html>", encoding="utf-8")
    assert sentences and not jargon_hits(page)


# ---------------------------------------------------------------------------- the report itself


@pytest.mark.slow
def test_short_engagement_report_shows_its_limits(tmp_path):
    engagement = _short_copy(tmp_path / "short")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", engagement, "--phase", "portfolio_health",
                           "-p", "portfolio_health.weights.revenue_growth=0.35", "--output-dir", out, "--format",
                           "html"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    pages = [p for p in out.rglob("report.html")]
    assert len(pages) == 1
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", pages[0].read_text(encoding="utf-8")))
    assert "Data and its limits" in text
    assert "with the average month of the 6 months before them, the only earlier months in the data" in text
    assert "Weight given" in text and "Weight used" in text and "add up to 115%" in text
