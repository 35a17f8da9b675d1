"""The recommended KPI set and ``scorecard.yml``: goals, leading KPIs, targets and thresholds.

Targets are **per partner per month**, derived from the portfolio's own recent history: each
partner's baseline is its mean over the last :data:`~.panel.BASELINE_MONTHS` months (partners
that reported at least :data:`~.panel.MIN_BASELINE_MONTHS` of them and are active, i.e. a
baseline above zero). Then either

- ``percentile``: the target is that percentile of the partners' baselines (75 by default:
  "do what the best quarter of your partners already does"), or
- ``growth``: the target is the median partner's baseline grown by ``target_growth``.

For a KPI whose effect is negative (less of it precedes more revenue) the direction is
``down`` and the rule mirrors (the 100 - p percentile; the median shrunk by the growth rate).
Status: ``green`` from the target, ``amber`` from ``amber_share`` of it (for ``down``: up to
the target, up to the target divided by ``amber_share``), ``red`` otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

from .lags import lower_label, verdict_text
from .funnel import BUILD, GOAL_COLUMNS, MARKET, OUTCOME, SELL, STAGES, label_of, unit_of
from .panel import BASELINE_MONTHS, MIN_BASELINE_MONTHS, Panel

SCORECARD_VERSION = 1

#: Measures worth designing for a motion the data shows no leading indicator for.
STAGE_SUGGESTIONS = {
    BUILD: "joint solutions launched or certified consultants added per month",
    MARKET: "joint-campaign leads accepted by sales or MDF claims approved per month",
    SELL: "joint accounts nominated or proposals submitted per month",
}


@dataclass(frozen=True)
class TargetRule:
    """How targets and thresholds are derived (the phase's parameters)."""

    method: str = "percentile"
    percentile: float = 75.0
    growth: float = 0.10
    amber_share: float = 0.8

    def describe(self) -> str:
        """The rule in words, for the report and ``scorecard.yml``."""
        if self.method == "growth":
            base = f"the median active partner's monthly average over the last {BASELINE_MONTHS} months, plus {self.growth:.0%}"
        else:
            base = (f"the {self.percentile:g}th percentile of active partners' monthly averages over the last "
                    f"{BASELINE_MONTHS} months")
        return f"{base}; amber from {self.amber_share:.0%} of the target"


def partner_baselines(panel: Panel, column: str) -> np.ndarray:
    """Each partner's mean of ``column`` over the last months (NaN with too few reported months)."""
    recent = panel.values[column][:, -BASELINE_MONTHS:]
    counts = np.isfinite(recent).sum(axis=1)
    sums = np.nansum(recent, axis=1)
    return np.where(counts >= MIN_BASELINE_MONTHS, sums / np.maximum(counts, 1), np.nan)


def nice(value: float, unit: str) -> float:
    """A readable target: 3 significant digits, and at most one decimal for small counts."""
    if not np.isfinite(value) or value == 0:
        return 0.0 if np.isfinite(value) else float("nan")
    digits = 2 - int(math.floor(math.log10(abs(value))))
    if unit != "currency":
        digits = min(digits, 1)
    return float(round(value, digits))


def derive_target(baselines: np.ndarray, direction: str, rule: TargetRule, unit: str) -> dict:
    """Baseline (median active partner), target and thresholds of one measure."""
    active = baselines[np.isfinite(baselines) & (baselines > 0)]
    if len(active) == 0:
        return {"baseline": float("nan"), "target": float("nan"), "green": float("nan"), "amber": float("nan"),
                "partners": 0}
    median = float(np.median(active))
    if rule.method == "growth":
        target = median * (1 + rule.growth if direction == "up" else 1 - rule.growth)
    else:
        q = rule.percentile if direction == "up" else 100 - rule.percentile
        target = float(np.percentile(active, q))
    target = nice(target, unit)
    amber = target * rule.amber_share if direction == "up" else target / max(rule.amber_share, 1e-9)
    return {"baseline": nice(median, unit), "target": target, "green": target, "amber": nice(amber, unit),
            "partners": int(len(active))}


def choose_kpis(effects: pd.DataFrame, per_stage: int) -> pd.DataFrame:
    """The leading indicators the scorecard keeps: the ``per_stage`` strongest of each motion."""
    lead = effects[effects["leading"]].copy()
    lead["_size"] = -lead["effect"].abs()
    lead["_stage"] = lead["funnel_stage"].map({s: i for i, s in enumerate((*STAGES, OUTCOME))})
    lead = lead.sort_values(["_stage", "_size", "indicator"], kind="stable")
    return lead.groupby("funnel_stage", sort=False).head(per_stage).drop(columns=["_size", "_stage"])


@dataclass
class Scorecard:
    """The recommended KPI set: lagging ``goals``, leading ``kpis``, motions without a KPI (``gaps``)."""

    target: str
    as_of: str
    rule: TargetRule
    goals: pd.DataFrame
    kpis: pd.DataFrame
    gaps: list[dict] = field(default_factory=list)
    not_leading: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The content of ``scorecard.yml`` (schema: the package docstring)."""
        def thresholds(r) -> dict:
            return {"green": _num(r["green"]), "amber": _num(r["amber"])}

        goals = [{"kpi": r["kpi"], "label": r["label"], "stage": OUTCOME, "kind": "lagging", "direction": "up",
                  "unit": r["unit"], "baseline": _num(r["baseline"]), "target": _num(r["target"]),
                  "thresholds": thresholds(r)} for _, r in self.goals.iterrows()]
        kpis = [{"kpi": r["kpi"], "label": r["label"], "stage": r["stage"], "kind": "leading",
                 "lag_months": int(r["lag_months"]), "effect": _num(r["effect"], 3),
                 "interval": [_num(r["ci_low"], 3), _num(r["ci_high"], 3)], "direction": r["direction"],
                 "unit": r["unit"], "baseline": _num(r["baseline"]), "target": _num(r["target"]),
                 "thresholds": thresholds(r)} for _, r in self.kpis.iterrows()]
        return {
            "version": SCORECARD_VERSION, "target": self.target, "period": "month", "as_of": self.as_of,
            "basis": "per partner per month; compare a partner's latest 3-month average with the target",
            "target_rule": {"method": self.rule.method, "percentile": self.rule.percentile, "growth": self.rule.growth,
                            "amber_share": self.rule.amber_share, "baseline_months": BASELINE_MONTHS,
                            "description": self.rule.describe()},
            "goals": goals, "kpis": kpis, "gaps": list(self.gaps), "not_leading": list(self.not_leading),
        }

    def to_yaml(self) -> str:
        """``scorecard.yml`` as text (deterministic key order)."""
        header = ("# Scorecard designed by alliance-kit metric_design (schema: alliancekit.metric_design).\n"
                  "# Targets are per partner per month; status: green from thresholds.green, amber from\n"
                  "# thresholds.amber (for direction 'down': at most these values), red otherwise.\n")
        return header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def _num(value, digits: int | None = None):
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or pd.isna(value):
        return None
    value = float(value)
    if digits is not None:
        return round(value, digits)
    return int(value) if value.is_integer() else value


def build_scorecard(effects: pd.DataFrame, panel: Panel, target: str, rule: TargetRule, per_stage: int = 3) -> Scorecard:
    """Goals, leading KPIs (strongest per motion), their targets and thresholds, and the gaps."""
    goal_names = list(dict.fromkeys([target, *(c for c in GOAL_COLUMNS if c in panel.values)]))
    goal_rows = []
    for name in goal_names:
        unit = unit_of(name, panel.values[name])
        goal_rows.append({"kpi": name, "label": label_of(name), "unit": unit,
                          **derive_target(partner_baselines(panel, name), "up", rule, unit)})
    chosen = choose_kpis(effects, per_stage)
    kpi_rows = []
    for _, r in chosen.iterrows():
        name = r["indicator"]
        unit = unit_of(name, panel.values[name])
        direction = "up" if r["effect"] > 0 else "down"
        kpi_rows.append({"kpi": name, "label": r["label"], "stage": r["funnel_stage"], "lag_months": r["lag_months"],
                         "effect": r["effect"], "ci_low": r["ci_low"], "ci_high": r["ci_high"], "direction": direction,
                         "unit": unit, **derive_target(partner_baselines(panel, name), direction, rule, unit)})
    kpis = pd.DataFrame(kpi_rows, columns=["kpi", "label", "stage", "lag_months", "effect", "ci_low", "ci_high",
                                           "direction", "unit", "baseline", "target", "green", "amber", "partners"])
    gaps = []
    for stage in STAGES:
        if stage in set(kpis["stage"]):
            continue
        measured = effects[effects["funnel_stage"] == stage]
        if measured.empty:
            why = "nothing in the data measures this motion"
        else:
            why = "; ".join(f"{lower_label(r.label)}: {verdict_text(r.verdict, target)}" for r in measured.itertuples())
            why = f"no measured indicator leads {label_of(target).lower()} ({why})"
        gaps.append({"stage": stage, "note": why[:1].upper() + why[1:] + ".",
                     "measure_next": f"{STAGE_SUGGESTIONS[stage]}, tested in the next cycle"})
    not_leading = [{"indicator": r.indicator, "verdict": r.verdict} for r in effects.itertuples() if not r.leading]
    return Scorecard(target, panel.month(panel.n_months - 1), rule, pd.DataFrame(goal_rows), kpis, gaps, not_leading)
