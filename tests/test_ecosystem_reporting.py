"""Ecosystem reporting: attribution arithmetic, status and direction, escaping, formulas, and no leaks.

Unit tests use hand-made deals, series and a four-partner portfolio; the end-to-end tests run
the real CLI on a generated 40-partner engagement and scan every scorecard (HTML and the text
of every PDF) for any other partner's name or id.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from alliancekit import ecosystem_reporting as er
from alliancekit.ecosystem_reporting.qbr import qbr_deck
from alliancekit.layout import MANIFEST, client_dir, working_dir

# ----------------------------------------------------------------------------------------------
# Attribution: hand-made multi-partner deals
# ----------------------------------------------------------------------------------------------

def _deals() -> pd.DataFrame:
    """Four deals: one partner; two partners; three partners (P1 listed last); an open one naming a co-partner."""
    return pd.DataFrame({
        "opportunity_id": ["D1", "D2", "D3", "OPP-P2-7"],
        "partner_ids": ["P1", "P1;P2", " P3 ; P2;P1;P3", "P1;P2"],  # spaces and a repeat are forgiven
        "amount": [100.0, 300.0, 900.0, 600.0],
        "stage": ["Closed Won", "Closed Won", "Closed Lost", "Propose"],
        "created": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-03-01", "2025-06-01"]),
        "closed": pd.to_datetime(["2025-03-01", "2025-04-01", "2025-05-01", None]),
        "won": pd.array([True, True, False, pd.NA], dtype="boolean"),
        "attribution": ["sourced", "influenced", "sourced", "influenced"],
    })


def _credit(rule: str) -> pd.Series:
    return er.attribute_deals(_deals(), rule).groupby("partner_id")["credit"].sum()


def test_equal_split_credits_amount_over_n_and_adds_up_to_the_deal_totals():
    credit = _credit("equal_split")
    assert credit.to_dict() == pytest.approx({"P1": 100 + 150 + 300 + 300, "P2": 150 + 300 + 300, "P3": 300})
    assert credit.sum() == pytest.approx(_deals()["amount"].sum())


def test_first_listed_credits_the_whole_deal_to_the_first_partner():
    credit = _credit("first_listed").reindex(["P1", "P2", "P3"]).fillna(0)
    assert credit.to_dict() == pytest.approx({"P1": 100 + 300 + 600, "P2": 0.0, "P3": 900})
    assert credit.sum() == pytest.approx(_deals()["amount"].sum())


def test_full_credit_is_reported_separately_and_never_counted_twice():
    attributed = er.attribute_deals(_deals(), "full_credit_reported_separately")
    credit = attributed.groupby("partner_id")["credit"].sum()
    assert credit.to_dict() == pytest.approx({"P1": 1900.0, "P2": 1800.0, "P3": 900.0})
    total = _deals()["amount"].sum()
    assert attributed["counted"].sum() == pytest.approx(total)          # totals: each deal once
    assert er.credit_overlap(attributed) == pytest.approx(credit.sum() - total)  # the excess, on its own line
    summary = er.attribution_summary(attributed, "2025-12", "full_credit_reported_separately").set_index("Attribution")
    assert summary.at["All partner deals", "Won amount"] == pytest.approx(400.0)       # D1 + D2, once each
    assert summary.at["All partner deals", "Open pipeline"] == pytest.approx(600.0)
    assert summary.at["All partner deals", "Credited to partners"] == pytest.approx(100 + 2 * 300 + 2 * 600)


@pytest.mark.parametrize("rule", list(er.ATTRIBUTION_RULES))
def test_group_breakdowns_add_up_to_the_totals_under_every_rule(rule):
    attributed = er.attribute_deals(_deals(), rule)
    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3"], "partner_type": ["ISV", "GSI", "ISV"]})
    by_type = er.attribution_by_group(attributed, partners, "2025-12", "partner_type")
    won = by_type["Won, sourced"].sum() + by_type["Won, influenced"].sum()
    pipe = by_type["Pipeline, sourced"].sum() + by_type["Pipeline, influenced"].sum()
    assert won == pytest.approx(400.0) and pipe == pytest.approx(600.0)


def test_a_deal_id_naming_a_co_partner_is_not_shown_to_the_other_partner():
    attributed = er.attribute_deals(_deals(), "equal_split", names={"P1": "Acme", "P2": "Birch", "P3": "Cobalt"})
    labels = attributed.set_index(["opportunity_id", "partner_id"])["opportunity_label"]
    assert labels[("OPP-P2-7", "P1")] == "joint deal"  # the id names P2: P1 must not see it
    assert labels[("D2", "P1")] == "D2"
    assert attributed.loc[attributed["opportunity_id"] == "OPP-P2-7", "is_open"].all()


def test_a_mention_is_a_whole_token_in_any_case():
    from alliancekit.ecosystem_reporting.attribution import _mentions

    assert _mentions("OPP-p2-7", "P2") and _mentions("birch renewal", "Birch")
    assert not _mentions("OPP-P20-7", "P2") and not _mentions("BirchWood-1", "Birch") and not _mentions("X", "")


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown attribution rule"):
        er.attribute_deals(_deals(), "half_and_half")


# ----------------------------------------------------------------------------------------------
# Status and direction of travel on constructed series
# ----------------------------------------------------------------------------------------------

def test_status_against_thresholds_both_directions():
    values = [120, 100, 90, 80, 79, np.nan]
    assert list(er.status_of(values, 100, 80, "up")) == ["green", "green", "amber", "amber", "red", "no data"]
    assert list(er.status_of([5, 10, 11, 12.5, 13], 10, 12.5, "down")) == ["green", "green", "amber", "amber", "red"]
    assert er.status_of(50, np.nan, np.nan)[()] == "no target"


def test_attainment_is_value_over_target_and_mirrored_when_less_is_better():
    assert er.attainment([50, 150], 100)[0] == pytest.approx(0.5)
    assert er.attainment([50, 150], 100)[1] == pytest.approx(1.5)  # uncapped; the wheel caps it
    assert er.attainment(20, 10, "down")[()] == pytest.approx(0.5)
    assert np.isnan(er.attainment(np.nan, 10)[()])


def test_direction_compares_the_last_months_with_the_months_before():
    series = np.array([
        [10, 10, 10, 11, 11, 11],      # +10%: up
        [10, 10, 10, 10.3, 10.3, 10.3],  # +3%: within the flat band
        [10, 10, 10, 9, 9, 9],         # -10%: down
        [0, 0, 0, 1, 2, 0],            # from zero to positive: up
        [0, 0, 0, 0, 0, 0],            # zeros: flat
        [np.nan, np.nan, np.nan, 5, 5, 5],  # no earlier window: no data
        [1, np.nan, 1, np.nan, np.nan, 2],  # missing months are left out of each mean: 1 -> 2
    ], dtype=float)
    direction, change = er.direction_of_travel(series, 3)
    assert list(direction) == ["up", "flat", "down", "up", "flat", "no data", "up"]
    assert change[0] == pytest.approx(0.10) and change[2] == pytest.approx(-0.10) and change[6] == pytest.approx(1.0)
    assert [er.ARROWS[d] for d in direction[:3]] == ["↑", "→", "↓"]


def test_direction_window_is_a_parameter():
    series = np.array([[1, 1, 1, 1, 5, 1, 2, 2]], dtype=float)  # last 2 months vs 2 before: 2 vs 3 -> down
    assert er.direction_of_travel(series, 2)[0][0] == "down"
    assert er.direction_of_travel(series, 4)[0][0] == "up"       # last 4 vs 4 before: 2.5 vs 1


def test_status_wheel_caps_the_arc_and_colours_by_status():
    full = er.status_wheel_svg(2.5, "green")
    assert er.STATUS_COLORS["green"] in full and "250%" in full
    circumference = 2 * np.pi * 15.0
    assert f'stroke-dasharray="{circumference:.2f} {circumference:.2f}"' in full
    assert "–" in er.status_wheel_svg(None, "no data")


# ----------------------------------------------------------------------------------------------
# A four-partner portfolio: partner status, payloads, escaping, workbook, deck
# ----------------------------------------------------------------------------------------------

SCORECARD = """
version: 1
target: revenue
as_of: 2025-12
target_rule: {method: percentile, amber_share: 0.8, description: test rule}
goals:
  - {kpi: revenue, label: Revenue, direction: up, unit: currency, target: 1000, thresholds: {green: 1000, amber: 800}}
kpis:
  - {kpi: proposals_submitted, label: Proposals submitted, stage: Sell-With, direction: up, unit: count,
     lag_months: 3, target: 4, thresholds: {green: 4, amber: 3.2}}
"""

NAMES = ["Acme Data", '<script>alert(1)</script> Ltd', '=HYPERLINK("http://x","y")', "Acme Data Cloud"]


def _portfolio() -> dict[str, pd.DataFrame]:
    ids = ["P1", "P2", "P3", "P10"]
    partners = pd.DataFrame({"partner_id": ids, "partner_name": NAMES, "partner_type": ["ISV", "GSI", "ISV", "cloud"],
                             "tier": "Gold", "region": "EMEA", "annual_target": [12_000.0, np.nan, 24_000.0, 6_000.0]})
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    rows = []
    for k, pid in enumerate(ids):
        for j, month in enumerate(months):
            rows.append({"partner_id": pid, "month": month, "revenue": 1000.0 * (k + 1) + (50.0 * j if k == 0 else 0.0),
                         "proposals_submitted": float(k + 2), "mdf_allocated": 100.0, "mdf_spent": 25.0 * k})
    opps = pd.DataFrame({
        "opportunity_id": ["O1", "O2", "O3", "O4"], "partner_ids": ["P1", "P1;P2", "P3;P10", "P2"],
        "amount": [1000.0, 2000.0, 500.0, 800.0], "stage": ["Closed Won", "Propose", "Closed Lost", "Develop"],
        "created": pd.to_datetime(["2025-02-01", "2025-10-01", "2025-03-01", "2025-11-01"]),
        "closed": pd.to_datetime(["2025-05-01", None, "2025-06-01", None]),
        "won": pd.array([True, pd.NA, False, pd.NA], dtype="boolean"),
        "attribution": ["sourced", "influenced", "sourced", "sourced"],
    })
    return {"partners": partners, "partner_metrics": pd.DataFrame(rows), "opportunities": opps}


@pytest.fixture(scope="module")
def small_review():
    return er.review(_portfolio(), {"direction_months": 3}, scorecard=SCORECARD)


def test_partner_status_has_one_line_per_partner_and_measure(small_review):
    status = small_review.status
    assert list(status.columns) == list(er.STATUS_COLUMNS)
    assert len(status) == 4 * 2
    rev = status[status["kpi"] == "revenue"].set_index("partner_id")
    # revenue: last 12 months against the annual target; P2 has none: 12 x the scorecard's monthly target
    assert rev.at["P2", "value"] == pytest.approx(24_000) and rev.at["P2", "target"] == pytest.approx(12_000)
    assert rev.at["P2", "target_source"] == "scorecard" and rev.at["P2", "status"] == "green"
    assert rev.at["P3", "status"] == "green" and rev.at["P10", "status"] == "green"
    assert rev.at["P1", "direction"] == "up" and rev.at["P2", "direction"] == "flat"
    kpi = status[status["kpi"] == "proposals_submitted"].set_index("partner_id")
    assert list(kpi["status"]) == ["red", "red", "green", "green"]  # 2 and 3 below the amber 3.2; 4 and 5 on target
    assert kpi.at["P1", "value"] == pytest.approx(2.0)


def test_without_a_revenue_goal_revenue_is_still_measured_against_annual_targets():
    result = er.review(_portfolio(), {}, scorecard="version: 1\ntarget: revenue\ngoals: []\nkpis: []\n")
    rev = result.status.set_index("partner_id")
    assert list(result.status["kpi"].unique()) == ["revenue"]
    assert rev.at["P1", "target"] == pytest.approx(12_000) and rev.at["P2", "status"] == "no target"


def test_payloads_hold_one_partner_alone(small_review):
    context = er.ScorecardContext(client="Tiny Client", as_of=small_review.as_of, months=3, rule="equal_split")
    payloads = er.partner_payloads(small_review.partners, small_review.status, small_review.attributed,
                                   small_review.panel, small_review.mdf, context)
    names = dict(zip(small_review.partners["partner_id"], small_review.partners["partner_name"]))
    for payload in payloads:
        own = payload["partner"]["id"]
        assert er.payload_leaks(payload, {k: v for k, v in names.items() if k != own}) == []
    p1 = next(p for p in payloads if p["partner"]["id"] == "P1")
    assert p1["pipeline"]["open_amount"] == pytest.approx(1000.0)  # half of O2 (equal split)
    assert p1["pipeline"]["won_amount"] == pytest.approx(1000.0) and p1["pipeline"]["win_rate"] == 1.0
    assert p1["benchmarks"] == []  # a tier of four is too small for an anonymous benchmark


def test_scorecard_escapes_client_text(small_review):
    context = er.ScorecardContext(client="Tiny <b>Client</b>", as_of=small_review.as_of, months=3, rule="equal_split")
    payload = er.partner_payloads(small_review.partners, small_review.status, small_review.attributed,
                                  small_review.panel, small_review.mdf, context, only=["P2"])[0]
    page = er.render_scorecard_html(payload)
    assert "<script>alert(1)</script>" not in page and "<b>Client</b>" not in page
    assert html.escape("<script>alert(1)</script> Ltd") in page
    assert "Acme" not in page and "HYPERLINK" not in page


def test_workbook_neutralises_formula_like_text(small_review):
    book = load_workbook(io.BytesIO(er.executive_workbook(small_review.executive_tables())))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hyperlink = [c for c in cells if "HYPERLINK" in c.value]
    assert hyperlink and all(c.value.startswith("'=") and c.data_type != "f" for c in hyperlink)
    assert not [c for c in cells if c.value.startswith(("=", "+", "@"))]


def test_a_workbook_handed_to_the_runner_is_the_one_the_kernel_writes(small_review, tmp_path):
    """Under ``alliancekit run`` the tables go to a worker, which writes the same bytes the notebook
    would; a task run again after its worker died between writing and reporting finds it written."""
    from datetime import date

    tables, when = small_review.executive_tables(), date(2026, 9, 30)
    er.plan_workbook(tables, tmp_path, when)
    assert er.has_pending_workbook(tmp_path) and not (tmp_path / er.WORKBOOK).exists()
    target = er.write_pending_workbook(tmp_path)
    assert target == tmp_path / er.WORKBOOK and target.read_bytes() == er.executive_workbook(tables, when=when)
    assert not er.has_pending_workbook(tmp_path) and sorted(p.name for p in tmp_path.iterdir()) == [er.WORKBOOK]
    assert er.write_pending_workbook(tmp_path) == target and target.read_bytes() == er.executive_workbook(tables, when=when)


def test_qbr_deck_is_a_valid_presentation_of_one_partner(small_review, monkeypatch):
    import time

    from pptx import Presentation

    context = er.ScorecardContext(client="Tiny Client", as_of=small_review.as_of, months=3, rule="equal_split")
    payload = er.partner_payloads(small_review.partners, small_review.status, small_review.attributed,
                                  small_review.panel, small_review.mdf, context, only=["P10"])[0]
    content = qbr_deck(payload)
    later = time.time() + 86400 + 3 * 3600 + 7
    monkeypatch.setattr(time, "time", lambda: later)  # what zip entries are dated with
    assert qbr_deck(payload) == content  # byte-stable: the same payload, the same file
    deck = Presentation(io.BytesIO(content))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert len(deck.slides) == 6 and "Acme Data Cloud" in text
    assert "script" not in text and re.search(r"(?<![\w])P1(?![\w])", text) is None


def test_a_partner_without_metrics_or_deals_still_gets_a_scorecard():
    tables = _portfolio()
    extra = {"partner_id": "P99", "partner_name": "Newcomer GmbH", "partner_type": "ISV", "tier": "Gold",
             "region": "EMEA", "annual_target": np.nan}
    tables["partners"] = pd.concat([tables["partners"], pd.DataFrame([extra])], ignore_index=True)
    result = er.review(tables, {}, scorecard=SCORECARD)
    lines = result.status[result.status["partner_id"] == "P99"]
    assert set(lines["status"]) == {"no data"} and set(lines["direction"]) == {"no data"}
    context = er.ScorecardContext(client="Tiny Client", as_of=result.as_of, months=3, rule="equal_split")
    payload = er.partner_payloads(result.partners, result.status, result.attributed, result.panel, result.mdf,
                                  context, only=["P99"])[0]
    assert payload["pipeline"]["open_deals"] == 0 and payload["funds"] is None
    page = er.render_scorecard_html(payload)
    assert "Newcomer GmbH" in page and "No open deals" in page


def test_benchmark_percentile_is_the_share_of_peers_strictly_lower():
    from alliancekit.ecosystem_reporting.payload import percentile_in_group

    values = pd.Series([0, 0, 0, 5, 10, 7.0, np.nan])
    groups = pd.Series(["Gold"] * 5 + ["Silver", "Gold"])
    pct, mean, size = percentile_in_group(values, groups)
    assert list(pct[:5]) == [0, 0, 0, 75, 100] and pct[5] == 50 and np.isnan(pct[6])
    assert mean[0] == pytest.approx(3.0) and size[0] == 5 and size[5] == 1


def test_unsafe_partner_ids_get_safe_file_names():
    assert er.file_stem("P001") == "P001"
    for bad in ("../etc/passwd", "a/b", ".hidden", "x y"):
        stem = er.file_stem(bad)
        assert "/" not in stem and not stem.startswith(".") and " " not in stem
    assert er.file_stem("a/b") != er.file_stem("a b")


def test_unknown_partner_in_the_partners_parameter_is_an_input_problem():
    tables = _portfolio()
    assert er.check_inputs(tables, {"partners": "P1, P10"}) == []
    problems = er.check_inputs(tables, {"partners": "P1,P9"})
    assert len(problems) == 1 and "'P9'" in problems[0].message


def test_the_narrative_words_the_computed_review(small_review):
    story = er.Narrative(small_review)
    assert story.check_summary() == ("partners=4 measures=2 attainment=2.283 status=green:6|amber:0|red:2|no data:0 "
                                     "deals=4 corrections=0 upside=1")
    assert "2 of 4 opportunities involve more than one partner" in story.attribution_sentence()
    assert list(story.revenue_tables) == ["By partner type", "By tier", "By region"]
    assert story.velocity_table().set_index("Measure").at["Win rate", "Last 12 months"] == "50%"
    assert story.formats == er.FORMATS and story.formats is not er.FORMATS  # the notebook may adjust its own copy
    delivered = er.Delivery(er.FanOut(partners=2, files=4, formats=("HTML", "PDF")),
                            Path("executive_tables.xlsx"), limited=True)
    assert story.delivery_sentence(delivered).startswith("2 partner scorecards (HTML and PDF) were produced (the "
                                                         "partners selected for this run)")
    one = er.Delivery(er.FanOut(partners=1, files=3, formats=("HTML", "PDF", "PowerPoint")),
                      Path("executive_tables.xlsx"), limited=False)
    assert story.delivery_sentence(one).startswith("1 partner scorecard (HTML, PDF and PowerPoint) was produced, one file "
                                                   "per format per partner")


# ----------------------------------------------------------------------------------------------
# Deals with and without partners: planted partner and direct deals with known answers
# ----------------------------------------------------------------------------------------------

PERIOD_END = pd.Timestamp("2025-09-30")  # every planted deal of the period closes here (the period: 2025-01..2025-12)

#: Partner deals closed in the period: id, partners, attribution, won, amount, days from created to closed.
PARTNER_DEALS = [
    ("S1", "P1", "sourced", True, 1000.0, 30), ("S2", "P1;P2", "sourced", True, 2000.0, 60),
    ("S3", "P2", "sourced", True, 3000.0, 90), ("S4", "P3;P10", "sourced", True, 6000.0, 120),
    ("S5", "P3", "sourced", False, 700.0, 45),
    ("I1", "P1", "influenced", True, 500.0, 10), ("I2", "P2;P1", "influenced", True, 1500.0, 50),
    ("I3", "P10", "influenced", False, 900.0, 20), ("I4", "P1", "influenced", False, 300.0, 70),
    ("I5", "P2", "influenced", False, 100.0, 80),
]
#: Direct deals closed in the period (no partner, however the export leaves the cell empty; D3 says
#: "sourced" with no partner: still direct).
DIRECT_DEALS = [
    ("D1", None, None, True, 400.0, 100), ("D2", "", None, True, 800.0, 200), ("D3", " ; ", "sourced", False, 100.0, 30),
    ("D4", np.nan, None, False, 200.0, 30), ("D5", None, None, False, 300.0, 30), ("D6", None, None, False, 400.0, 30),
    ("D7", None, None, False, 500.0, 30), ("D8", None, None, False, 600.0, 30),
]


def _opportunity(oid, ids, attribution, won, amount, created, closed, stage=None) -> dict:
    stage = stage or ("Closed Won" if won else "Closed Lost" if won is not None else "Propose")
    return {"opportunity_id": oid, "partner_ids": ids, "amount": amount, "stage": stage,
            "created": pd.Timestamp(created) if created is not None else pd.NaT,
            "closed": pd.Timestamp(closed) if closed is not None else pd.NaT,
            "won": won if won is not None else pd.NA, "attribution": attribution}


def _planted(direct: bool = True, missing: bool = False) -> pd.DataFrame:
    """The planted deals, plus deals outside the period and open ones (with direct ones when ``direct``);
    ``missing`` adds deals with no amount or no created date."""
    rows = [_opportunity(oid, ids, attr, won, amount, PERIOD_END - pd.Timedelta(days=days), PERIOD_END)
            for oid, ids, attr, won, amount, days in PARTNER_DEALS + (DIRECT_DEALS if direct else [])]
    rows += [_opportunity("S0", "P1", "sourced", True, 99_999.0, "2024-01-01", "2024-11-30"),  # before the period
             _opportunity("S9", "P1", "sourced", None, 5000.0, "2025-11-01", None)]              # open
    if direct:
        rows += [_opportunity("D0", None, None, True, 77_777.0, "2024-01-01", "2024-10-15"),
                 _opportunity("D9", None, None, None, 8000.0, "2025-10-01", None)]
    if missing:
        rows += [_opportunity("X1", "P1", "sourced", None, np.nan, None, None),          # a prospect: no amount, no date
                 _opportunity("X2", "P1;P2", "influenced", None, np.nan, "2025-11-01", None, stage="Qualify"),
                 _opportunity("X3", "P2", "sourced", None, np.nan, "2025-12-01", None)]
        if direct:
            rows.append(_opportunity("D10", None, None, True, np.nan, None, "2025-08-31"))  # won, amount and date unknown
    frame = pd.DataFrame(rows)
    frame["partner_ids"] = frame["partner_ids"].astype(object)
    frame["won"] = frame["won"].astype("boolean")
    return frame


def _planted_review(direct: bool = True, missing: bool = False):
    tables = _portfolio()
    tables["opportunities"] = _planted(direct, missing)
    return er.review(tables, {}, scorecard=SCORECARD)


@pytest.fixture(scope="module")
def planted():
    return _planted_review()


def test_with_and_without_partners_counts_rates_averages_and_medians(planted):
    assert planted.as_of == "2025-12" and planted.direct_deals == 10  # D0-D9, whatever the period
    table = planted.comparison.set_index("Deals")
    assert list(table.index) == ["All partner deals", "Partner-sourced", "Partner-influenced", "Direct deals (no partner)"]
    expected = {  # closed, won, win rate, won with amount, average won deal, won with created date, median days
        "All partner deals": (10, 6, 0.6, 6, 14_000 / 6, 6, 55.0),   # days 10 30 50 60 90 120
        "Partner-sourced": (5, 4, 0.8, 4, 3000.0, 4, 75.0),           # days 30 60 90 120
        "Partner-influenced": (5, 2, 0.4, 2, 1000.0, 2, 30.0),        # days 10 50
        "Direct deals (no partner)": (8, 2, 0.25, 2, 600.0, 2, 150.0),  # D3 ("sourced", no partner) is direct
    }
    for label, values in expected.items():
        assert tuple(table.loc[label]) == pytest.approx(values), label
    # the partner rows are the win-rate table's: one period, each deal once however many partners it has
    wr = planted.win_rates.set_index("Deals")
    assert (wr.at["With partners", "Closed (12 mo)"], wr.at["With partners", "Won"]) == (10, 6)
    assert list(wr.index) == ["With partners", "Partner-sourced", "Partner-influenced", "One partner", "Several partners"]


def test_the_report_compares_partner_deals_with_direct_ones(planted):
    story = er.Narrative(planted)
    assert ("Deals with partners were won 60% of the time (6 of 10 closed in the 12 months to 2025-12), against 25% "
            "for direct deals (2 of 8); deals with several partners 100%, with one partner 43%. A won partner deal "
            "averaged 2.3k against 600 direct and took a median of 55 days from created to closed against 150."
            ) in story.findings()
    shown = story.comparison_table()  # every won deal has an amount and a created date: Won is the count behind both
    assert list(shown.columns) == ["Deals", "Closed (12 mo)", "Won", "Win rate", "Average won deal", "Median days to close"]
    assert "10 other opportunities list no partner (direct deals)" in story.attribution_sentence()
    assert story.check_summary().endswith("deals=12 direct=10 corrections=0 upside=1")  # 10 closed, S0, S9
    book = load_workbook(io.BytesIO(er.executive_workbook(planted.executive_tables())))
    sheet = [row for row in book["With and without partners"].iter_rows(values_only=True)]
    assert sheet[0] == tuple(er.executive.COMPARISON_COLUMNS)
    assert sheet[4][:4] == ("Direct deals (no partner)", 8, 2, 0.25)


def test_without_direct_deals_the_report_says_so_instead_of_the_table():
    review = _planted_review(direct=False)
    story = er.Narrative(review)
    assert review.direct_deals == 0 and "With and without partners" not in review.executive_tables()
    assert er.NO_DIRECT_DEALS == ("The opportunity data hold no deal without a partner, so partner deals cannot be "
                                  "compared with direct ones; export every deal, not only partner deals, to compare.")
    assert ("Deals with partners were won 60% of the time (6 of 10 closed in the 12 months to 2025-12); deals with "
            "several partners 100%, with one partner 43%; the opportunity data hold no deal without a partner to "
            "compare with.") in story.findings()
    assert "direct" not in story.attribution_sentence() and "direct" not in story.check_summary()
    assert not [n for n in story.method_notes() if "direct deal" in n]


def test_direct_deals_change_no_partner_figure_and_no_scorecard(planted):
    alone = _planted_review(direct=False)
    for name in ("attributed", "deals", "stages", "velocity", "win_rates", "attribution", "attribution_by_type", "status"):
        pd.testing.assert_frame_equal(getattr(planted, name), getattr(alone, name), obj=name)
    context = er.ScorecardContext(client="Tiny Client", as_of="2025-12", months=3, rule="equal_split")

    def payloads(review):
        return er.partner_payloads(review.partners, review.status, review.attributed, review.panel, review.mdf, context)

    with_direct = payloads(planted)
    assert with_direct == payloads(alone)
    direct_ids = {d[0] for d in DIRECT_DEALS} | {"D0", "D9"}
    assert not set(planted.attributed["opportunity_id"]) & direct_ids
    for payload in with_direct:
        assert not {d["label"] for d in payload["pipeline"]["deals"]} & direct_ids
        assert not re.search(r"(?<![0-9A-Za-z])D\d(?![0-9A-Za-z])", repr(payload)), payload["partner"]["id"]


def test_deals_missing_an_amount_or_a_created_date_are_kept_and_counted_in_the_notes():
    full, base = _planted_review(missing=True), _planted_review()
    assert len(full.all_deals) == len(base.all_deals) + 4
    direct = full.comparison.set_index("Deals").loc["Direct deals (no partner)"]
    # D10 is won: it counts as closed and won, not in the average (no amount) nor the median (no created date)
    assert tuple(direct) == pytest.approx((9, 3, 1 / 3, 2, 600.0, 2, 150.0))
    a, b = full.attribution.set_index("Attribution"), base.attribution.set_index("Attribution")
    assert a.at["All partner deals", "Open deals"] == b.at["All partner deals", "Open deals"] + 3
    assert a.at["All partner deals", "Open pipeline"] == pytest.approx(b.at["All partner deals", "Open pipeline"])
    assert full.stages["Pipeline"].sum() == pytest.approx(base.stages["Pipeline"].sum())
    assert full.stages["Open deals"].sum() == base.stages["Open deals"].sum() + 3
    velocity = full.velocity.set_index("Measure")["Last 12 months"]
    before = base.velocity.set_index("Measure")["Last 12 months"]
    # X1 has no created date: when it opened is unknown, so it is not counted open at the period end
    assert velocity["Open deals at period end"] == before["Open deals at period end"] + 2
    assert velocity["Average days to win"] == pytest.approx(before["Average days to win"])
    assert velocity["Average won deal"] == pytest.approx(before["Average won deal"])
    notes = er.Narrative(full).data_notes()
    assert "3 open partner deals have no amount and are left out of pipeline values." in notes
    assert "1 won deal has no amount: left out of won amounts and the average won deal." in notes
    assert "2 deals have no created date: left out of days to close, deal ages and pipeline velocity." in notes
    assert not [n for n in er.Narrative(base).data_notes() if "deal" in n]
    shown = er.Narrative(full).comparison_table()  # the counts behind the average and the median now differ from Won
    assert list(shown.columns) == list(er.executive.COMPARISON_COLUMNS)


def test_an_export_of_every_deal_passes_the_schema():
    from alliancekit.schemas import pandera_schema

    text = ("opportunity_id,partner_ids,amount,stage,created,closed,won,attribution\n"
            "O1,P1,1000,Closed Won,2025-01-10,2025-03-01,true,sourced\n"
            "O2,,5000,Closed Lost,2025-02-01,2025-05-01,false,\n"   # direct: no partner, no attribution
            "O3,P3,,Propose,,,,influenced\n")                       # open, not yet sized, not yet engaged
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    raw = raw.apply(lambda c: c.str.strip().mask(c.str.strip() == ""))
    checked = pandera_schema("opportunities").validate(raw, lazy=True)  # raises on any failure
    assert len(checked) == 3
    typed = checked.assign(created=pd.to_datetime(checked["created"]), closed=pd.to_datetime(checked["closed"]),
                           won=checked["won"].map({"true": True, "false": False}).astype("boolean"))
    deals = er.every_deal(typed).set_index("opportunity_id")
    assert list(deals["n_partners"]) == [1, 0, 1] and deals.at["O3", "is_open"]
    assert np.isnan(deals.at["O3", "amount"]) and pd.isna(deals.at["O3", "created"]) and deals.at["O2", "attribution"] == ""


# ----------------------------------------------------------------------------------------------
# End to end: the CLI on a generated 40-partner engagement; every scorecard scanned for leaks
# ----------------------------------------------------------------------------------------------

KIT = [sys.executable, "-m", "alliancekit.cli"]
N_PARTNERS = 40
HOSTILE = {"P001": "<script>alert(1)</script> Ltd", "P002": '=HYPERLINK("http://x","y")'}


def kit(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def e2e(tmp_path_factory) -> tuple[Path, pd.DataFrame, Path]:
    """A 40-partner engagement (two partners with hostile names), run once through ecosystem_reporting."""
    from alliancekit.sample import write_engagement

    root = tmp_path_factory.mktemp("er-engagement")
    write_engagement(root, n_partners=N_PARTNERS, seed=11)
    partners = pd.read_csv(root / "data" / "partners.csv", dtype=str, keep_default_na=False)
    partners["partner_name"] = partners["partner_id"].map(HOSTILE).fillna(partners["partner_name"])
    partners.to_csv(root / "data" / "partners.csv", index=False)
    out = tmp_path_factory.mktemp("er-out")
    proc = kit("run", root / "engagement.yml", "--phase", "ecosystem_reporting", "--output-dir", out)
    assert proc.returncode == 0, proc.stderr
    return out, partners, root / "engagement.yml"


def _tokens_pattern(needle: str) -> re.Pattern:
    return re.compile(r"(?<![0-9A-Za-z])" + re.escape(needle) + r"(?![0-9A-Za-z])")


def _leaks(text: str, own: str, own_name: str, partners: pd.DataFrame) -> list[str]:
    """Other partners' ids (whole tokens: P001 is not P0010) and names found in ``text``."""
    text = " ".join(text.split())
    for variant in (own_name, html.escape(own_name, quote=True), html.escape(own_name, quote=False)):
        text = text.replace(" ".join(variant.split()), " ")
    found = []
    for pid, name in zip(partners["partner_id"], partners["partner_name"]):
        if pid == own:
            continue
        if _tokens_pattern(pid).search(text):
            found.append(pid)
        for variant in {name, html.escape(name, quote=True), html.escape(name, quote=False)}:
            if " ".join(variant.split()) in text:
                found.append(name)
    return found


@pytest.mark.slow
def test_run_writes_the_executive_report_and_every_scorecard(e2e):
    out, partners, _ = e2e
    phase, working = client_dir(out, "ecosystem_reporting"), working_dir(out, "ecosystem_reporting")
    assert sorted(p.name for p in phase.iterdir()) == ["executive_tables.xlsx", "partners", "report.html",
                                                       "report.pdf", "tables.xlsx"]
    assert sorted(p.name for p in working.iterdir()) == ["executed.ipynb", MANIFEST, "partner_status.csv",
                                                         "programme_summary.csv"]
    stems = sorted(p.stem for p in (phase / "partners").glob("*.html"))
    assert stems == sorted(partners["partner_id"])
    assert sorted(p.stem for p in (phase / "partners").glob("*.pdf")) == stems
    status = pd.read_csv(working / "partner_status.csv", dtype={"partner_id": str})
    assert set(status["partner_id"]) == set(partners["partner_id"])
    assert set(status["status"]) <= set(er.status.STATUSES) and set(status["arrow"]) <= set(er.ARROWS.values())
    page = (phase / "report.html").read_text()
    assert "<script>alert(1)</script>" not in page and "Sourced and influenced" in page


@pytest.mark.slow
def test_no_scorecard_shows_another_partner(e2e):
    from pypdf import PdfReader

    out, partners, _ = e2e
    folder = client_dir(out, "ecosystem_reporting") / "partners"
    names = dict(zip(partners["partner_id"], partners["partner_name"]))
    problems = {}
    for pid, name in names.items():
        page = (folder / f"{pid}.html").read_text(encoding="utf-8")
        pdf_text = " ".join(p.extract_text() for p in PdfReader(folder / f"{pid}.pdf").pages)
        assert pdf_text.strip(), pid
        found = _leaks(page, pid, name, partners) + _leaks(pdf_text, pid, name, partners)
        if found:
            problems[pid] = sorted(set(found))
    assert problems == {}


@pytest.mark.slow
def test_hostile_partner_names_are_escaped_and_neutralised(e2e):
    out, _, engagement = e2e
    phase = client_dir(out, "ecosystem_reporting")
    page = (phase / "partners" / "P001.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in page
    book = load_workbook(phase / "executive_tables.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.value.startswith("=") or c.data_type == "f"]


@pytest.mark.slow
def test_partners_option_limits_the_scorecards_and_asks_for_decks(e2e, tmp_path):
    out, _, engagement = e2e
    for phase in ("metric_design", "portfolio_health"):  # delivered results are reused, not recomputed
        shutil.copytree(working_dir(out, phase), working_dir(tmp_path, phase))
    proc = kit("run", engagement, "--phase", "ecosystem_reporting", "--output-dir", tmp_path, "--format", "html",
               "--partners", "P003,P010", "-p", "ecosystem_reporting.qbr_decks=true", "-p", "ecosystem_reporting.pdf=false",
               "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in (client_dir(tmp_path, "ecosystem_reporting") / "partners").iterdir())
    assert files == ["P003.html", "P003.pptx", "P010.html", "P010.pptx"]
    assert "using the delivered results of metric_design" in proc.stderr
    bad = kit("run", engagement, "--phase", "ecosystem_reporting", "--output-dir", tmp_path, "--partners", "P003,P999")
    assert bad.returncode == 2 and "'P999'" in bad.stderr


def test_workbook_continues_a_long_table_on_next_sheets_and_keeps_missing_and_infinite(monkeypatch):
    from alliancekit.ecosystem_reporting import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    frame = pd.DataFrame({"partner": [f"P{i}" for i in range(7)], "change": [0.5, np.inf, np.nan, -np.inf, 1, 2, 3],
                          "when": pd.to_datetime(["2026-01-01", None, *["2026-02-01"] * 5])})
    book = load_workbook(io.BytesIO(workbook.executive_workbook({"Partner status": frame, "Empty": frame.head(0)})))
    assert book.sheetnames == ["Partner status", "Partner status (2)", "Partner status (3)", "Empty"]
    rows = [r for ws in book.worksheets[:3] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in rows] == [f"P{i}" for i in range(7)]
    assert [r[1] for r in rows[:4]] == [0.5, "inf", None, "-inf"] and rows[1][2] is None
    assert [c.value for c in book["Empty"][1]] == ["partner", "change", "when"]


def test_revenue_trend_svg_draws_the_numbers_it_is_given():
    from xml.etree import ElementTree

    from alliancekit.ecosystem_reporting.charts import revenue_trend_svg

    ns = "{http://www.w3.org/2000/svg}"
    months = ["2026-01", "2026-02", "<b>03</b>", "2026-04"]
    svg = ElementTree.fromstring(revenue_trend_svg(months, [100.0, None, 300.0, 0.0], 150.0, width=400, height=200))
    bars = [r for g in svg.findall(f"{ns}g") if g.get("transform") is None for r in g.findall(f"{ns}rect")]  # not the legend
    assert len(bars) == 2  # a missing month and a zero month draw no bar
    heights = sorted(float(b.get("height")) for b in bars)
    assert heights[1] == pytest.approx(3 * heights[0], rel=0.01)  # 300 is three times 100
    dashed = [line for line in svg.findall(f"{ns}line") if line.get("stroke-dasharray")]
    baseline = max(float(line.get("y1")) for line in svg.findall(f"{ns}line"))
    assert len(dashed) == 1 and baseline - float(dashed[0].get("y1")) == pytest.approx(1.5 * heights[0], rel=0.01)
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert "<b>03</b>" in texts  # client-looking text is escaped in the markup, shown as text
    assert len(svg.find(f"{ns}polyline").get("points").split()) == 4
    empty = revenue_trend_svg(months, [None] * 4, None)
    assert "No revenue reported" in empty and "<rect" not in empty
