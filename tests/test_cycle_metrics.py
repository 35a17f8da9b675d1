"""Review cycles, metric design: hand-made scorecards with planted changes, and the exact words reported."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from alliancekit.cycle import metrics
from alliancekit.cycle.delivery import read_delivery
from cycle_fakes import write_delivery

RULE = {"method": "percentile", "percentile": 75.0, "growth": 0.1, "amber_share": 0.8, "baseline_months": 12,
        "description": "the 75th percentile of active partners' monthly averages over the last 12 months; amber "
                       "from 80% of the target"}


def goal(kpi, label, target, baseline, unit="currency"):
    return {"kpi": kpi, "label": label, "stage": "outcome", "kind": "lagging", "direction": "up", "unit": unit,
            "baseline": baseline, "target": target, "thresholds": {"green": target, "amber": round(target * 0.8, 1)}}


def kpi(name, label, lag, effect, interval, target, baseline, stage="Sell-With"):
    return {"kpi": name, "label": label, "stage": stage, "kind": "leading", "lag_months": lag, "effect": effect,
            "interval": list(interval), "direction": "up", "unit": "count", "baseline": baseline, "target": target,
            "thresholds": {"green": target, "amber": round(target * 0.8, 1)}}


def scorecard(as_of, goals, kpis, rule=RULE, target="revenue"):
    return {"version": 1, "target": target, "period": "month", "as_of": as_of, "target_rule": dict(rule),
            "goals": goals, "kpis": kpis, "gaps": [], "not_leading": []}


def effects(rows):
    """indicator_effects.csv from (indicator, label, lag, effect, leading, verdict)."""
    return pd.DataFrame([{"indicator": i, "lag_months": lag, "effect": e, "ci_low": e - 0.1, "ci_high": e + 0.1,
                          "leading": lead, "rank": n + 1, "funnel_stage": "Sell-With", "label": label,
                          "verdict": verdict} for n, (i, label, lag, e, lead, verdict) in enumerate(rows)])


BEFORE = scorecard("2025-09",
                   [goal("revenue", "Revenue", 280000, 120000), goal("bookings", "Bookings", 333000, 136000)],
                   [kpi("proposals_submitted", "Proposals submitted", 4, 0.30, (0.20, 0.40), 4.0, 3.0),
                    kpi("deal_registrations", "Deal registrations", 2, 0.40, (0.30, 0.50), 5.0, 4.0),
                    kpi("certifications", "Certifications", 3, 0.35, (0.25, 0.45), 2.0, 1.5, stage="Build-With")])
NOW = scorecard("2026-09",
                [goal("revenue", "Revenue", 310000, 131000), goal("bookings", "Bookings", 333000, 136000)],
                [kpi("joint_accounts_nominated", "Joint accounts nominated", 6, 0.46, (0.38, 0.54), 4.5, 3.7),
                 kpi("proposals_submitted", "Proposals submitted", 3, 0.32, (0.22, 0.42), 4.0, 3.0),
                 kpi("deal_registrations", "Deal registrations", 2, 0.60, (0.50, 0.70), 6.0, 4.5)])
EFFECTS_BEFORE = effects([("deal_registrations", "Deal registrations", 2, 0.40, True, "leading"),
                          ("certifications", "Certifications", 3, 0.35, True, "leading"),
                          ("proposals_submitted", "Proposals submitted", 4, 0.30, True, "leading"),
                          ("joint_campaigns", "Joint campaigns", 10, -0.05, False, "no relation"),
                          ("mdf_spent", "MDF spent", 7, 0.04, False, "follows the target"),
                          ("joint_accounts_nominated", "Joint accounts nominated", 6, 0.05, False, "no relation")])
EFFECTS_NOW = effects([("deal_registrations", "Deal registrations", 2, 0.60, True, "leading"),
                       ("joint_accounts_nominated", "Joint accounts nominated", 6, 0.46, True, "leading"),
                       ("proposals_submitted", "Proposals submitted", 3, 0.32, True, "leading"),
                       ("certifications", "Certifications", 3, 0.05, False, "only trends"),
                       ("mdf_spent", "MDF spent", 7, 0.04, False, "follows the target"),
                       ("joint_campaigns", "Joint campaigns", 10, -0.06, False, "seasonal")])


def deliver(path, card, table):
    return read_delivery(write_delivery(path, {"metric_design": {"scorecard.yml": card,
                                                                 "indicator_effects.csv": table}}), "test")


@pytest.fixture
def planted(tmp_path):
    return metrics.compare(deliver(tmp_path / "before", BEFORE, EFFECTS_BEFORE),
                           deliver(tmp_path / "now", NOW, EFFECTS_NOW))


def test_leading_indicators_kept_dropped_new_and_lag_changed(planted):
    table = planted.files["leading_indicators.csv"]
    assert list(table.columns[:8]) == ["indicator", "label", "stage", "status", "lag_then", "lag_now", "effect_then",
                                       "effect_now"]
    rows = table.set_index("indicator")
    assert list(table["indicator"]) == ["joint_accounts_nominated", "proposals_submitted", "certifications",
                                        "deal_registrations"]
    assert rows.loc["joint_accounts_nominated", "status"] == "new"
    assert pd.isna(rows.loc["joint_accounts_nominated", "lag_then"])
    assert rows.loc["proposals_submitted", ["status", "lag_then", "lag_now"]].tolist() == ["lag changed", 4, 3]
    assert rows.loc["certifications", ["status", "lag_then", "verdict_now"]].tolist() == ["dropped", 3, "only trends"]
    assert pd.isna(rows.loc["certifications", "lag_now"])
    assert rows.loc["deal_registrations", ["status", "effect_then", "effect_now", "effect_moved"]].tolist() == \
        ["kept", 0.40, 0.60, True]
    assert not rows.loc["proposals_submitted", "effect_moved"]  # 0.32 lies inside last year's 0.20-0.40


def test_sentences_state_each_planted_change(planted):
    s = planted.summary
    assert "Joint accounts nominated is a new leading indicator: it leads revenue by 6 months (effect +0.46)." in s
    assert "Proposals submitted now leads revenue by 3 months (4 at the last review)." in s
    assert ("Certifications is no longer a leading indicator (now: only trends); it led revenue by 3 months at the "
            "last review.") in s
    assert ("Deal registrations is a stronger signal of revenue than at the last review: effect +0.60 now, +0.40 "
            "then (outside that review's interval).") in s
    assert "Deal registrations (2 months) still leads revenue by the same lag." in s
    assert "The revenue target is now 310k a partner a month (280k at the last review, +11%)." in s
    assert not any("bookings target" in x for x in s)
    assert ("Targets of leading indicators changed, now (at the last review): Deal registrations 6 (5, +20%).") in s
    assert "MDF spent and Joint campaigns were tested again and still do not lead revenue." in s


def test_kpi_targets_table(planted):
    table = planted.files["kpi_targets.csv"]
    assert list(table.columns[:9]) == ["kpi", "label", "kind", "unit", "target_then", "target_now", "change",
                                       "baseline_then", "baseline_now"]
    assert list(table["kpi"]) == ["revenue", "bookings", "joint_accounts_nominated", "proposals_submitted",
                                  "deal_registrations", "certifications"]
    rows = table.set_index("kpi")
    assert rows.loc["revenue", "change"] == pytest.approx(310000 / 280000 - 1, abs=1e-4)
    assert rows.loc["revenue", ["baseline_then", "baseline_now"]].tolist() == [120000, 131000]
    assert rows.loc["bookings", "change"] == 0
    assert rows.loc["deal_registrations", "change"] == pytest.approx(0.2)
    assert pd.isna(rows.loc["joint_accounts_nominated", "target_then"])
    assert pd.isna(rows.loc["certifications", "target_now"])
    assert list(rows["kind"]) == ["lagging"] * 2 + ["leading"] * 4


def test_same_delivery_against_itself_reports_no_change(tmp_path):
    d = deliver(tmp_path / "now", NOW, EFFECTS_NOW)
    found = metrics.compare(d, d)
    assert found.summary == [
        "The leading indicators of revenue are those of the last review, with the same lags: Joint accounts "
        "nominated (6 months), Proposals submitted (3 months) and Deal registrations (2 months).",
        "The targets of the goals and indicators kept are those of the last review.",
        "Certifications, MDF spent and Joint campaigns were tested again and still do not lead revenue.",
    ]
    assert set(found.files["leading_indicators.csv"]["status"]) == {"kept"}
    assert not found.files["leading_indicators.csv"]["effect_moved"].any()
    assert (found.files["kpi_targets.csv"]["change"] == 0).all()


def test_rule_and_outcome_changes_are_said(tmp_path):
    rule = {**RULE, "method": "growth", "description": "the median active partner's monthly average plus 10%"}
    now = copy.deepcopy(NOW)
    now["target_rule"] = rule
    now["target"] = "bookings"
    found = metrics.compare(deliver(tmp_path / "before", BEFORE, EFFECTS_BEFORE),
                            deliver(tmp_path / "now", now, EFFECTS_NOW))
    assert found.summary[0] == ("The indicators are now tested against bookings (revenue at the last review): their "
                                "lags and effects are not comparable with the last review's.")
    assert ("Targets are now set as the median active partner's monthly average plus 10% (at the last review: "
            f"{RULE['description']}); part of every target's change comes from the rule.") in found.summary


def test_dropped_indicator_still_leading_or_untested(tmp_path):
    effects_now = EFFECTS_NOW.copy()
    effects_now.loc[effects_now["indicator"] == "certifications", ["leading", "verdict"]] = [True, "leading"]
    found = metrics.compare(deliver(tmp_path / "before", BEFORE, EFFECTS_BEFORE),
                            deliver(tmp_path / "now", NOW, effects_now))
    assert ("Certifications is no longer a leading indicator (it still leads, but stronger indicators of its motion "
            "took its place on the scorecard); it led revenue by 3 months at the last review.") in found.summary
    found = metrics.compare(deliver(tmp_path / "before2", BEFORE, EFFECTS_BEFORE),
                            deliver(tmp_path / "now2", NOW, EFFECTS_NOW[EFFECTS_NOW["indicator"] != "certifications"]))
    assert ("Certifications is no longer a leading indicator (not measured now); it led revenue by 3 months at the "
            "last review.") in found.summary


def test_shown_tables_use_client_headings(planted):
    leading, targets = planted.shown
    assert list(leading.table.columns) == ["Indicator", "Status", "Lead then (months)", "Lead now (months)",
                                           "Effect then", "Effect now", "Verdict now"]
    assert leading.table["Verdict now"].tolist()[2] == "only trends"
    assert targets.table["Target now"].tolist()[:2] == ["310k", "333k"]
    assert targets.formats["Change"](0.1071) == "+11%"
    assert leading.formats["Effect now"](0.6) == "+0.60"


def test_rule_setting_of_the_other_method_is_not_a_change():
    growth_changed = {**RULE, "growth": 0.2}
    assert not metrics.rule_changed({"target_rule": RULE}, {"target_rule": growth_changed})
    assert metrics.rule_changed({"target_rule": RULE}, {"target_rule": {**RULE, "percentile": 80.0}})
    assert metrics.rule_changed({"target_rule": RULE}, {"target_rule": {**RULE, "amber_share": 0.7}})
