"""Review cycles, strategy assessment: hand-made result files with planted changes, and the exact words reported."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from alliancekit.cycle import strategy
from alliancekit.cycle.delivery import read_delivery
from alliancekit.theme import figure_svg
from cycle_fakes import write_delivery


def maturity(rows):
    """maturity_scores.csv from (dimension, name, score, target, role_gap, highest_role, lowest_role)."""
    out = []
    for d, name, score, target, role_gap, high, low in rows:
        out.append({"dimension": d, "score": score, "spread": 0.4, "n": 14, "target": target,
                    "gap": None if score is None else round(target - score, 4), "name": name,
                    "level": None if score is None else int(score), "rank": 1, "role_gap": role_gap,
                    "highest_role": high, "highest_role_score": None, "lowest_role": low, "lowest_role_score": None,
                    "answers": 50, "lens": "strategic"})
    return pd.DataFrame(out)


def options(scores, recommended):
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return pd.DataFrame([{"option_id": i, "option": i.replace("_", " ").capitalize(), "weighted_score": s,
                          "rank": n + 1, "recommended": i == recommended, "margin": round(ranked[0][1] - s, 4),
                          "revenue_scale": 3.0} for n, (i, s) in enumerate(ranked)])


def candidates(rows):
    """candidates_scored.csv from (candidate_id, name, score, gate)."""
    return pd.DataFrame([{"candidate_id": i, "candidate_name": name, "partner_type": "GSI", "region": "EMEA",
                          "offering": "x", "weighted_score": s, "rank": n + 1, "gate": g, "overlap": "",
                          "overlaps_with": "", "overlaps_with_names": "", "criteria_scored": 5, "reason": "r"}
                         for n, (i, name, s, g) in enumerate(rows)])


def targets(revenue, new_customers):
    rows = [("Grow revenue", "Partner revenue per year", "revenue_target", revenue, "currency"),
            ("Acquire new customers and markets", "New customers per year", "new_customers_target", new_customers,
             "count"),
            ("Develop trust", "Partner health-check score (1-5)", "partner_trust_target", None, "score")]
    return pd.DataFrame([{"value_dimension": v, "target_name": n, "parameter": p, "target": t, "unit": u,
                          "status": "set" if t else "to be agreed", "measure": "m", "indicators": "i"}
                         for v, n, p, t, u in rows])


BEFORE = {
    "maturity_scores.csv": maturity([
        ("alliance_strategy", "Alliance strategy", 2.0, 4.0, 1.0, "CFO", "CEO"),           # gap narrows 2.0 -> 1.0
        ("partner_expectations", "Partner expectations", 3.9, 4.0, 0.5, "CEO", "CFO"),     # closes
        ("joint_marketing", "Joint marketing & MDF", 3.0, 4.0, 1.5, "CEO", "IT"),          # widens
        ("systems_of_record", "Systems & data", 3.0, 4.0, 1.0, "IT", "CEO"),               # about the same
        ("team_capability", "Team skills & staffing", 2.5, 4.0, 0.5, "CFO", "CEO"),        # scored then only
    ]),
    "strategy_options.csv": options({"few_key_alliances": 3.6, "tiered_hybrid": 3.5, "broad_ecosystem": 3.2},
                                    "few_key_alliances"),
    "candidates_scored.csv": candidates([("C02", "Quorura Wholesale AB", 4.0, "approve"),
                                         ("007", "Halilton Works GmbH", 3.2, "review")]),
    "value_targets.csv": targets(100_000_000, None),
}
NOW = {
    "maturity_scores.csv": maturity([
        ("alliance_strategy", "Alliance strategy", 3.0, 4.0, 2.5, "Alliances", "CEO"),
        ("partner_expectations", "Partner expectations", 4.2, 4.0, 0.6, "CEO", "CFO"),
        ("joint_marketing", "Joint marketing & MDF", 2.5, 4.0, 1.3, "CEO", "IT"),
        ("systems_of_record", "Systems & data", 3.1, 4.0, 0.75, "IT", "CEO"),
        ("field_engagement", "Field engagement & co-sell", 2.6, 4.0, 2.9, "CEO", "Marketing"),  # scored now only
    ]),
    "strategy_options.csv": options({"few_key_alliances": 3.45, "tiered_hybrid": 3.7, "broad_ecosystem": 3.25},
                                    "tiered_hybrid"),
    "candidates_scored.csv": candidates([("007", "Halilton Works GmbH", 3.9, "approve"),
                                         ("C10", "Zerarova Platforms AB", 2.45, "decline")]),
    "value_targets.csv": targets(120_000_000, 40),
}


def deliver(path, files):
    return read_delivery(write_delivery(path, {"strategy_assessment": files}), "test")


@pytest.fixture
def planted(tmp_path):
    return strategy.compare(deliver(tmp_path / "before", BEFORE), deliver(tmp_path / "now", NOW))


def test_maturity_against_target(planted):
    table = planted.files["maturity.csv"]
    assert list(table["dimension"]) == ["alliance_strategy", "partner_expectations", "joint_marketing",
                                        "systems_of_record", "field_engagement", "team_capability"]
    rows = table.set_index("dimension")
    assert rows["status"].tolist() == ["kept"] * 4 + ["new", "dropped"]
    assert rows["gap_change"].tolist() == ["narrowed", "closed", "widened", "unchanged", "", ""]
    assert rows.loc["alliance_strategy", ["score_then", "score_now", "change", "target", "gap_now"]].tolist() == \
        [2.0, 3.0, 1.0, 4.0, 1.0]
    assert rows.loc["joint_marketing", "change"] == pytest.approx(-0.5)


def test_role_disagreement_called_from_a_quarter_point(planted):
    rows = planted.files["maturity.csv"].set_index("dimension")
    assert rows.loc["alliance_strategy", "disagreement"] == "widened"      # 1.0 -> 2.5
    assert rows.loc["joint_marketing", "disagreement"] == "unchanged"      # 1.5 -> 1.3: 0.2, below the quarter
    assert rows.loc["systems_of_record", "disagreement"] == "narrowed"     # 1.0 -> 0.75: exactly a quarter
    assert rows.loc["partner_expectations", "disagreement"] == "unchanged"  # 0.5 -> 0.6
    assert rows.loc["field_engagement", "disagreement"] == ""              # no role gap then


def test_sentences_state_each_planted_change(planted):
    s = planted.summary
    assert s[0].startswith("The recommended strategy changed from Few key alliances to Tiered hybrid")
    assert s[1] == ("Maturity rose on 2 and fell on 1 of 4 dimensions since the last review (by 0.25 points or "
                    "more); 1 is about the same.")
    assert "Reached the target: Partner expectations (4.2 now, 3.9 then; target 4.0)." in s
    assert "The gap to target narrowed on Alliance strategy (1.0 point now, 2.0 points at the last review)." in s
    assert "The gap to target widened on Joint marketing & MDF (1.5 points now, 1.0 point at the last review)." in s
    assert ("The executives' roles disagree more than at the last review on Alliance strategy (2.5 points between "
            "Alliances and CEO now, 1.0 point then).") in s
    assert ("The executives' roles disagree less than at the last review on Systems & data (0.8 points between IT "
            "and CEO now, 1.0 point then).") in s
    assert "Now a disagreement to resolve first (roles 2 points or more apart): Alliance strategy." in s
    assert ("Scored now only (a new dimension of the questionnaire, or unanswered at the last review): Field "
            "engagement & co-sell.") in s
    assert "Scored at the last review only: Team skills & staffing." in s
    assert ("The recommended strategy changed from Few key alliances to Tiered hybrid: Tiered hybrid scores 3.70 now, "
            "Few key alliances 3.60 at the last review (3.45 now, rank 2).") in s
    assert "2 candidates scored now, 2 at the last review (1 scored both times)." in s
    assert ("Approved by the gate now: Halilton Works GmbH (007); at the last review: Quorura Wholesale AB (C02).") in s
    assert ("Halilton Works GmbH (007) was sent to review at the last review and is approved now (weighted score "
            "3.20 then, 3.90 now).") in s
    assert ("Value targets changed: Partner revenue per year 120M (100M at the last review, +20%); New customers per "
            "year 40 (to be agreed at the last review).") in s


def test_option_and_candidate_tables(planted):
    o = planted.files["strategy_option_change.csv"]
    assert list(o["option_id"]) == ["tiered_hybrid", "few_key_alliances", "broad_ecosystem"]
    assert o.set_index("option_id").loc["tiered_hybrid", ["rank_then", "rank_now", "recommended_then",
                                                          "recommended_now"]].tolist() == [2, 1, False, True]
    c = planted.files["candidate_change.csv"].set_index("candidate_id")
    assert list(c.index) == ["007", "C10", "C02"]  # the id 007 stays text
    assert c["status"].tolist() == ["kept", "new", "dropped"]
    assert c["approved_then"].tolist() == [False, False, True]
    assert c["approved_now"].tolist() == [True, False, False]
    v = planted.files["value_target_change.csv"].set_index("parameter")
    assert v.loc["revenue_target", "change"] == pytest.approx(0.2)


def test_figure_plots_dimensions_scored_twice(planted):
    (fig, caption), = planted.figures
    assert isinstance(fig, Figure)
    assert "last review" in caption and "target" in caption
    ax = fig.axes[0]
    top_down = [t.get_text() for _, t in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda p: -p[0])]
    assert top_down == ["Alliance strategy", "Partner expectations", "Joint marketing & MDF", "Systems & data"]
    with matplotlib.rc_context({"svg.hashsalt": "alliancekit"}):  # as theme.apply_theme sets it
        assert figure_svg(fig) == figure_svg(strategy.chart_maturity(planted.files["maturity.csv"]))


def test_same_delivery_against_itself_reports_no_change(tmp_path):
    d = deliver(tmp_path / "now", NOW)
    found = strategy.compare(d, d)
    assert found.summary == [
        "Maturity is about the same as at the last review on all 5 dimensions (no score moved by 0.25 points or more).",
        "The roles disagree about as much as at the last review on every dimension (no role gap moved by 0.25 "
        "points or more).",
        "The recommended strategy is still Tiered hybrid (weighted score 3.70 now, 3.70 at the last review).",
        "2 candidates scored now, 2 at the last review (2 scored both times).",
        "Approved by the gate now: Halilton Works GmbH (007); at the last review: Halilton Works GmbH (007).",
        "Every candidate scored both times got the same gate decision as at the last review.",
        "The value targets are those of the last review.",
    ]
    table = found.files["maturity.csv"]
    assert set(table["gap_change"]) <= {"unchanged", "met"}
    assert set(table["disagreement"]) == {"unchanged"}


def test_retargeted_dimension_and_reopened_gap(tmp_path):
    now = dict(NOW)
    now["maturity_scores.csv"] = maturity([("partner_expectations", "Partner expectations", 4.2, 4.5, 0.5, "CEO",
                                            "CFO")])
    before = dict(BEFORE)
    before["maturity_scores.csv"] = maturity([("partner_expectations", "Partner expectations", 4.1, 4.0, 2.2, "CEO",
                                               "CFO")])
    found = strategy.compare(deliver(tmp_path / "before", before), deliver(tmp_path / "now", now))
    assert found.files["maturity.csv"]["gap_change"].tolist() == ["opened"]
    assert "Below the target again: Partner expectations (4.2 now against 4.5; 4.1 then)." in found.summary
    assert ("Targets changed: Partner expectations 4.5 (4.0 at the last review); the gaps of these dimensions moved "
            "with their targets.") in found.summary
    assert ("No longer a disagreement to resolve first (roles now less than 2 points apart): Partner "
            "expectations.") in found.summary


def test_changed_criteria_weights_are_said(planted):
    table = planted.files["strategy_option_change.csv"]
    said = strategy.option_sentences(table, {"revenue_scale": 0.25}, {"revenue_scale": 0.4})
    assert said[-1] == ("The decision criteria were weighted differently at the last review, which moves the weighted "
                        "scores by itself.")
    assert len(strategy.option_sentences(table, {"revenue_scale": 0.25}, {"revenue_scale": 0.25})) == 1


def test_long_lists_name_the_largest_changes_first(tmp_path):
    rows = [(f"d{i}", f"Dimension {i}", 2.0, 4.0, 1.0, "CEO", "CFO") for i in range(7)]
    before = maturity(rows)
    now = maturity([(d, n, 2.0 + 0.3 + 0.1 * i, t, g, h, lo) for i, (d, n, _, t, g, h, lo) in enumerate(rows)])
    said = strategy.maturity_sentences(strategy.maturity(before, now))
    assert said[0] == "Maturity rose on 7 of 7 dimensions since the last review (by 0.25 points or more)."
    assert said[1] == ("The gap to target narrowed on Dimension 6 (1.1 points now, 2.0 points at the last review), "
                       "Dimension 5 (1.2 points now, 2.0 points at the last review), Dimension 4 (1.3 points now, "
                       "2.0 points at the last review), Dimension 3 (1.4 points now, 2.0 points at the last review), "
                       "Dimension 2 (1.5 points now, 2.0 points at the last review) and 2 more (in the table).")
