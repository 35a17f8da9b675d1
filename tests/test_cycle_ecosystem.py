"""ecosystem_reporting compared: attainment per KPI, partner KPI status changes, the programme's figures,
on hand-made deliveries with planted changes; and ecosystem_reporting's ``programme_summary.csv``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancekit import ecosystem_reporting as er
from alliancekit.cycle import ecosystem as eco
from alliancekit.cycle.delivery import read_delivery
from alliancekit.phases import PHASES
from alliancekit.report import table_notes
from alliancekit.session import write_results
from cycle_fakes import write_delivery

NAMES = {"P1": "Acme", "P2": "Birch", "P3": "Cobalt", "P4": "Delta", "P5": "Echo"}
KPIS = {"revenue": ("Revenue", "lagging", "currency"), "proposals": ("Proposals submitted", "leading", "count"),
        "mdf": ("MDF spent", "leading", "currency"), "certs": ("Certified staff", "leading", "count")}


def status(rows) -> pd.DataFrame:
    """``partner_status.csv`` from (partner, kpi, status, attainment) tuples."""
    return pd.DataFrame([{"partner_id": p, "partner_name": NAMES[p], "kpi": k, "label": KPIS[k][0], "kind": KPIS[k][1],
                          "stage": "", "unit": KPIS[k][2], "value": a, "target": 1.0, "attainment": a, "status": s}
                         for p, k, s, a in rows])


THEN = status([
    ("P1", "revenue", "green", 1.2), ("P1", "proposals", "amber", 0.85), ("P1", "mdf", "green", 1.0),
    ("P2", "revenue", "green", 1.1), ("P2", "proposals", "red", 0.4), ("P2", "mdf", "green", 1.0),
    ("P3", "revenue", "red", 0.5), ("P3", "proposals", "green", 1.0), ("P3", "mdf", "green", 1.0),
    ("P4", "revenue", "amber", 0.9), ("P4", "proposals", "no data", np.nan), ("P4", "mdf", "green", 1.0),
])
NOW = status([
    ("P1", "revenue", "red", 0.6), ("P1", "proposals", "amber", 0.9), ("P1", "certs", "green", 1.0),
    ("P2", "revenue", "green", 1.3), ("P2", "proposals", "amber", 0.7), ("P2", "certs", "red", 0.2),
    ("P3", "revenue", "green", 1.05), ("P3", "proposals", "no data", np.nan), ("P3", "certs", "red", 0.3),
    ("P5", "revenue", "amber", 0.85), ("P5", "proposals", "green", 1.5), ("P5", "certs", "amber", 0.85),
])


def summary(values: dict[str, float], deals: dict[str, float] | None) -> pd.DataFrame:
    """``programme_summary.csv`` from measure -> value (units from the measure's name)."""
    def unit(m: str) -> str:
        return ("share" if "share" in m or "rate" in m or "attainment" in m else
                "currency" if "amount" in m or "revenue" in m or "target" in m or "average" in m else "count")

    rows = [("revenue" if m.startswith(("alliances", "revenue")) else "mix", m, m.replace("_", " "), v, unit(m))
            for m, v in values.items()]
    rows += [("deals", m, m.replace("_", " "), v, unit(m)) for m, v in (deals or {}).items()]
    return pd.DataFrame(rows, columns=["section", "measure", "label", "value", "unit"])


THEN_PROGRAMME = {"alliances": 4, "revenue_12m": 800_000.0, "revenue_target": 1_000_000.0, "revenue_attainment": 0.8,
                  "alliances_on_target": 2, "won_amount_sourced": 300_000.0, "won_amount_influenced": 200_000.0,
                  "sourced_share_won": 0.6, "sourced_share_pipeline": 0.5, "reported_sourced_share": 0.4}
NOW_PROGRAMME = {"alliances": 4, "revenue_12m": 900_000.0, "revenue_target": 1_000_000.0, "revenue_attainment": 0.9,
                 "alliances_on_target": 3, "won_amount_sourced": 450_000.0, "won_amount_influenced": 150_000.0,
                 "sourced_share_won": 0.75, "sourced_share_pipeline": 0.5, "reported_sourced_share": 0.4}
THEN_DEALS = {"closed_partner": 20, "won_partner": 10, "win_rate_partner": 0.5, "average_won_deal_partner": 50_000.0,
              "closed_direct": 10, "won_direct": 2, "win_rate_direct": 0.2, "average_won_deal_direct": 20_000.0}
NOW_DEALS = {"closed_partner": 20, "won_partner": 12, "win_rate_partner": 0.6, "average_won_deal_partner": 50_000.0,
             "closed_direct": 10, "won_direct": 3, "win_rate_direct": 0.3, "average_won_deal_direct": 25_000.0}


def delivery(path, table, programme=None, deals=None):
    files = {"partner_status.csv": table}
    if programme is not None:
        files["programme_summary.csv"] = summary(programme, deals)
    return read_delivery(write_delivery(path, {"ecosystem_reporting": files}), "test")


@pytest.fixture
def pair(tmp_path):
    return (delivery(tmp_path / "then", THEN, THEN_PROGRAMME, THEN_DEALS),
            delivery(tmp_path / "now", NOW, NOW_PROGRAMME, NOW_DEALS))


def test_planted_changes_are_reported_in_words(pair):
    changes = eco.compare(*pair)
    assert changes.phase == "ecosystem_reporting"
    assert changes.summary == [
        "Partner revenue over the last 12 months is 900k against targets of 1M (90%) now, 800k against targets of 1M "
        "(80%) at the last review; alliances on target: 3 of 4 now, 2 of 4 at the last review.",
        "Revenue: 2 of 4 partners green now, 2 of 4 at the last review; red 1 now, 1 at the last review; median "
        "attainment 95% now, 100% at the last review.",
        "Proposals submitted: 1 of 4 partners green now, 1 of 4 at the last review; red 0 now, 1 at the last review; "
        "median attainment 90% now, 85% at the last review.",
        "New on the scorecard since the last review: Certified staff.",
        "No longer on the scorecard: MDF spent.",
        "4 partner KPIs changed status since the last review: 1 worse (1 green to red), 2 better (1 red to amber and "
        "1 red to green) and 1 to or from no data or no target.",
        "From green to red: Acme (Revenue).",
        "From red to green: Cobalt (Revenue).",
        "Partner-sourced deals bring this share of the amount won with partners in the last 12 months: 75% (450k of "
        "600k) now, 60% (300k of 500k) at the last review; of the open partner pipeline: 50%, now as at the last "
        "review.",
        "Sourced share of the revenue the partners report: 40%, now as at the last review.",
        "Win rate of deals with partners: 60% (12 of 20) now, 50% (10 of 20) at the last review; of direct deals: 30% "
        "(3 of 10) now, 20% (2 of 10) at the last review.",
        "Average won deal: 50k with partners against 25k direct now, 50k with partners against 20k direct at the last "
        "review.",
        "4 partners are on the scorecards now, 4 at the last review: new Echo; no longer Delta.",
    ]


def test_status_changes_list_every_partner_kpi_in_both_whose_status_changed(pair):
    files = eco.compare(*pair).files
    assert sorted(files) == ["kpi_attainment.csv", "kpi_status_changes.csv", "programme_changes.csv"]
    moves = files["kpi_status_changes.csv"]
    assert list(moves.columns) == list(eco.STATUS_CHANGE_COLUMNS)
    assert moves[["partner_id", "kpi", "status_then", "status_now", "direction"]].values.tolist() == [
        ["P1", "revenue", "green", "red", "worse"],
        ["P3", "revenue", "red", "green", "better"],
        ["P2", "proposals", "red", "amber", "better"],
        ["P3", "proposals", "green", "no data", "other"]]
    assert moves["attainment_then"].tolist()[:3] == [1.2, 0.5, 0.4]
    counts = eco.transition_counts(moves)
    assert counts.values.tolist() == [["worse", "green to red", 1], ["better", "red to amber", 1],
                                      ["better", "red to green", 1], ["other", "green to no data", 1]]


def test_attainment_per_kpi_then_and_now_with_new_and_dropped_kpis(pair):
    table = eco.compare(*pair).files["kpi_attainment.csv"]
    assert list(table.columns) == list(eco.ATTAINMENT_COLUMNS)
    assert list(zip(table["kpi"], table["change"])) == [("revenue", "kept"), ("proposals", "kept"), ("certs", "new"),
                                                        ("mdf", "dropped")]
    row = table.set_index("kpi")
    assert row.loc["proposals", ["green_then", "amber_then", "red_then", "green_now", "amber_now", "red_now"]
                   ].tolist() == [1, 1, 1, 1, 2, 0]
    assert row.at["proposals", "median_attainment_then"] == pytest.approx(0.85)   # the partner without data left out
    assert row.at["revenue", "median_attainment_now"] == pytest.approx(0.95)
    assert pd.isna(row.at["certs", "partners_then"]) and row.at["certs", "red_now"] == 2
    assert pd.isna(row.at["mdf", "green_now"]) and row.at["mdf", "green_then"] == 4


def test_programme_changes_hold_every_measure_then_and_now(pair):
    table = eco.compare(*pair).files["programme_changes.csv"]
    assert list(table.columns) == list(eco.PROGRAMME_COLUMNS)
    row = table.set_index("measure")
    assert row.loc["revenue_12m", ["value_then", "value_now", "change"]].tolist() == [800_000.0, 900_000.0, 100_000.0]
    assert row.at["win_rate_direct", "change"] == pytest.approx(0.1)
    assert list(table["section"].drop_duplicates()) == ["revenue", "mix", "deals"]


def test_the_same_delivery_twice_reports_no_change(pair):
    changes = eco.compare(pair[1], pair[1])
    assert changes.summary == [
        "Partner revenue over the last 12 months is 900k against targets of 1M (90%), now as at the last review; "
        "alliances on target: 3 of 4, now as at the last review.",
        "Every scorecard KPI has as many partners green, amber and red as at the last review, at the same median "
        "attainment.",
        "No partner's KPI changed status since the last review.",
        "Partner-sourced deals bring this share of the amount won with partners in the last 12 months: 75% (450k of "
        "600k), now as at the last review; of the open partner pipeline: 50%, now as at the last review.",
        "Sourced share of the revenue the partners report: 40%, now as at the last review.",
        "Win rate of deals with partners: 60% (12 of 20), now as at the last review; of direct deals: 30% (3 of 10), "
        "now as at the last review.",
        "Average won deal: 50k with partners against 25k direct, now as at the last review.",
        "The same 4 partners are on the scorecards now as at the last review.",
    ]
    assert changes.files["kpi_status_changes.csv"].empty
    assert set(changes.files["kpi_attainment.csv"]["change"]) == {"kept"}
    assert (changes.files["programme_changes.csv"]["change"] == 0).all()


def test_partner_and_direct_deals_are_compared_only_when_both_hold_direct_deals(tmp_path, pair):
    no_direct = delivery(tmp_path / "no_direct", NOW, NOW_PROGRAMME, None)
    changes = eco.compare(pair[0], no_direct)
    assert changes.summary[-2] == ("Only the last review's opportunity data hold deals without a partner, so partner "
                                   "and direct deals are not compared across the two reviews.")
    assert "deals" not in set(changes.files["programme_changes.csv"]["section"])
    assert not [s for s in changes.summary if s.startswith(("Win rate", "Average won deal"))]
    neither = eco.compare(delivery(tmp_path / "a", THEN, THEN_PROGRAMME), no_direct)
    assert neither.summary[-2] == ("Neither review's opportunity data hold deals without a partner, so partner deals "
                                   "are not compared with direct ones.")


def test_a_delivery_without_programme_summary_compares_the_scorecards(tmp_path, pair):
    old = delivery(tmp_path / "old", THEN)
    changes = eco.compare(old, pair[1])
    assert changes.summary[-2] == (
        "Revenue against target, the sourced and influenced mix and partner against direct deals are not compared: "
        "the last review's delivery holds no programme_summary.csv (made by an earlier version of the kit); re-run "
        "ecosystem_reporting with this version to compare them.")
    assert sorted(changes.files) == ["kpi_attainment.csv", "kpi_status_changes.csv"]
    assert "4 partner KPIs changed status" in " ".join(changes.summary)


def test_shown_tables_use_client_headings(pair):
    shown = {s.caption: s for s in eco.compare(*pair).shown}
    kpis = shown["Scorecard KPIs: partners by status and median attainment"].table
    assert list(kpis.columns[:3]) == ["KPI", "Green, last review", "Green, now"]
    worse = shown["Partner KPIs that got worse or better"].table
    assert worse.values.tolist()[0][:4] == ["Acme", "Revenue", "green", "red"]
    assert len(worse) == 3  # the change to "no data" is in the CSV only
    figures = shown["The programme: revenue, sourced and influenced mix, partner and direct deals"].table
    assert figures.set_index("Measure").loc["sourced share won"].tolist() == ["60%", "75%"]


def test_swings_between_green_and_red_come_first_and_the_report_lists_the_largest_each_way(tmp_path):
    ids = [f"Q{i:02d}" for i in range(1, 31)]

    def frame(revenue, proposals):
        return pd.DataFrame([{"partner_id": p, "partner_name": f"Partner {p}", "kpi": k, "label": k.title(),
                              "kind": "leading", "unit": "count", "attainment": 1.0, "status": st}
                             for p, r, q in zip(ids, revenue, proposals) for k, st in (("revenue", r), ("proposals", q))])

    then = frame(["green"] * 30, ["red"] * 30)
    now = frame(["amber"] * 15 + ["red"] * 15, ["green"] * 30)
    changes = eco.compare(delivery(tmp_path / "a", then), delivery(tmp_path / "b", now))
    moves = changes.files["kpi_status_changes.csv"]
    assert len(moves) == 60
    assert moves["partner_id"].tolist()[:16] == ids[15:] + ["Q01"]  # green to red first, then green to amber
    shown = next(s for s in changes.shown if s.caption == "Partner KPIs that got worse or better").table
    assert len(shown) == 2 * eco.SHOWN_CHANGES
    assert shown["Partner"].iloc[0] == "Partner Q16" and shown["Now"].iloc[eco.SHOWN_CHANGES] == "green"
    assert table_notes(shown) == ["The largest 25 changes each way, swings between green and red first, of 60; "
                                   "kpi_status_changes.csv lists them all."]


# ---------------------------------------------------------------------------------------------- the result file


def test_programme_summary_from_hand_made_tables():
    revenue = pd.DataFrame({"Partner type": ["ISV", "All partners"], "Alliances": [2, 2],
                            "Revenue (12 mo)": [900.0, 900.0], "Target": [1000.0, 1000.0], "Attainment": [0.9, 0.9],
                            "Gap to target": [100.0, 100.0], "On target": [1, 1]})
    attribution = pd.DataFrame({"Attribution": ["Sourced", "Influenced", "All partner deals"],
                                "Deals won (12 mo)": [3, 1, 4], "Won amount": [300.0, 100.0, 400.0],
                                "Open deals": [2, 2, 4], "Open pipeline": [50.0, 150.0, 200.0],
                                "Multi-partner share of won": [0.0, 0.0, 0.0]})
    reported = pd.DataFrame({"Revenue": ["Sourced", "Influenced"], "Amount (12 mo)": [600.0, 400.0], "Share": [0.6, 0.4]})
    table = er.programme_summary(revenue, attribution, reported, None).set_index("measure")
    assert list(table.columns) == ["section", "label", "value", "unit"]
    assert table.loc[["alliances", "revenue_12m", "revenue_target", "revenue_attainment", "alliances_on_target"],
                     "value"].tolist() == [2, 900.0, 1000.0, 0.9, 1]
    assert table.at["sourced_share_won", "value"] == pytest.approx(0.75)
    assert table.at["sourced_share_pipeline", "value"] == pytest.approx(0.25)
    assert table.at["reported_sourced_share", "value"] == pytest.approx(0.6)
    assert table.at["won_amount_partner", "unit"] == "currency" and table.at["open_deals_influenced", "value"] == 2
    assert "deals" not in set(table["section"])


def test_programme_summary_of_a_review_holds_partner_and_direct_deals(tmp_path):
    from test_ecosystem_reporting import _planted_review  # the planted deals whose figures that file checks

    review = _planted_review()
    table = review.results()["programme_summary.csv"].set_index("measure")
    assert list(review.results()) == ["partner_status.csv", "programme_summary.csv"]
    expected = {"closed_partner": 10, "won_partner": 6, "win_rate_partner": 0.6, "median_days_to_close_partner": 55.0,
                "closed_direct": 8, "won_direct": 2, "win_rate_direct": 0.25, "average_won_deal_direct": 600.0,
                "won_amount_sourced": 12_000.0, "won_amount_influenced": 2_000.0,
                "sourced_share_won": 12_000.0 / 14_000.0, "open_pipeline_sourced": 5_000.0}
    assert {m: table.at[m, "value"] for m in expected} == pytest.approx(expected, abs=1e-4)  # 4 decimals
    assert "deals" not in set(_planted_review(direct=False).programme["section"])
    write_results(PHASES["ecosystem_reporting"], review.results(), tmp_path)
    written = pd.read_csv(tmp_path / "programme_summary.csv")
    assert list(written.columns) == list(er.executive.SUMMARY_COLUMNS) and len(written) == len(table)
    assert not set(written["label"]) & set(review.partners["partner_name"])  # totals only, no partner's figures
