"""What changed in the metric design: the leading indicators the scorecard tracks, their lags, and the targets.

Read from each delivery's ``scorecard.yml`` and ``indicator_effects.csv`` (metric_design's
result files), never re-estimated.

**Which indicators count as leading.** The comparison follows the scorecard's ``kpis``: those
are the leading indicators the client was told to track and that carry targets, so "kept",
"dropped" and "new" mean what the client sees change on the scorecard. ``indicator_effects.csv``
alone would not do: it also marks as leading an indicator that leads but did not make the
scorecard (only the strongest ``kpis_per_stage`` of each motion do), and a client never tracked
it. The effects file is read for what the scorecard does not say: the verdict of an indicator
that left (``only trends``, ``no relation``...), and which indicators were tested and found not
leading at both reviews. Lags and effects come from the scorecard's ``kpis`` (the effects file
holds the same values for them, to more decimals).

**When an effect counts as changed.** A kept indicator's effect always differs a little between
two estimates; it is called out only when the effect now lies outside the interval the last
review gave (``interval`` in ``scorecard.yml``): inside it, the two estimates agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import fmt
from ..metric_design.lags import lower_label
from ..report import annotate
from .changes import PhaseChanges, Shown
from .delivery import Delivery

PHASE = "metric_design"
SCORECARD, EFFECTS = "scorecard.yml", "indicator_effects.csv"

#: ``status`` of a leading indicator, in the order the report lists them.
NEW, LAG_CHANGED, DROPPED, KEPT = "new", "lag changed", "dropped", "kept"
STATUS_ORDER = (NEW, LAG_CHANGED, DROPPED, KEPT)
#: ``kind`` of a scorecard measure: the goals are lagging, the KPIs leading.
LAGGING, LEADING = "lagging", "leading"
#: Keys of ``target_rule`` whose change changes how every target is set (with the method's own setting,
#: ``percentile`` or ``growth``, named like the method).
RULE_KEYS = ("method", "amber_share", "baseline_months")

LEADING_COLUMNS = ("indicator", "label", "stage", "status", "lag_then", "lag_now", "effect_then", "effect_now",
                   "effect_moved", "verdict_then", "verdict_now")
TARGET_COLUMNS = ("kpi", "label", "kind", "unit", "target_then", "target_now", "change", "baseline_then",
                  "baseline_now", "amber_then", "amber_now", "direction_then", "direction_now")


# -- reading ---------------------------------------------------------------------------------------

def _num(value: Any) -> float:
    """A scorecard number as a float (NaN when missing)."""
    try:
        return float(value) if value is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def measures(scorecard: dict) -> pd.DataFrame:
    """The scorecard's goals and KPIs, one row each, in the scorecard's order (``kpi`` as index).

    Columns: ``label, kind, stage, unit, direction, baseline, target, amber, lag, effect,
    ci_low, ci_high, position``; a goal has no lag, effect or interval.
    """
    rows = []
    for section, kind in (("goals", LAGGING), ("kpis", LEADING)):
        for entry in scorecard.get(section) or []:
            interval = list(entry.get("interval") or [None, None]) + [None, None]
            rows.append({"kpi": str(entry["kpi"]), "label": str(entry.get("label") or entry["kpi"]), "kind": kind,
                         "stage": str(entry.get("stage") or ""), "unit": str(entry.get("unit") or "number"),
                         "direction": str(entry.get("direction") or "up"), "baseline": _num(entry.get("baseline")),
                         "target": _num(entry.get("target")),
                         "amber": _num((entry.get("thresholds") or {}).get("amber")),
                         "lag": _num(entry.get("lag_months")), "effect": _num(entry.get("effect")),
                         "ci_low": _num(interval[0]), "ci_high": _num(interval[1])})
    columns = ["kpi", "label", "kind", "stage", "unit", "direction", "baseline", "target", "amber", "lag", "effect",
               "ci_low", "ci_high"]
    table = pd.DataFrame(rows, columns=columns).drop_duplicates("kpi")
    return table.assign(position=np.arange(len(table))).set_index("kpi")


def verdicts(effects: pd.DataFrame) -> pd.DataFrame:
    """``indicator_effects.csv`` by indicator: ``label``, ``leading`` (bool) and ``verdict``."""
    table = effects.drop_duplicates("indicator").set_index("indicator")
    leading = table["leading"].astype(str).str.lower().isin(("true", "1"))
    label = table["label"] if "label" in table else pd.Series(table.index, index=table.index)
    return pd.DataFrame({"label": label.astype(str), "leading": leading,
                         "verdict": table["verdict"].fillna("").astype(str)}, index=table.index)


def target_label(scorecard: dict) -> str:
    """The outcome the indicators lead, for a sentence: the goal's label of ``target`` in lower case."""
    target = str(scorecard.get("target") or "revenue")
    for goal in scorecard.get("goals") or []:
        if str(goal.get("kpi")) == target and goal.get("label"):
            return lower_label(str(goal["label"]))
    return target.replace("_", " ")


# -- comparing -------------------------------------------------------------------------------------

def _verdict_text(verdict: str, target: str) -> str:
    return str(verdict).replace("the target", target)


def leading_indicators(before: dict, now: dict, effects_before: pd.DataFrame,
                       effects_now: pd.DataFrame) -> pd.DataFrame:
    """One row per leading indicator of either scorecard: the :data:`LEADING_COLUMNS`.

    ``status``: ``kept`` (same lag), ``lag changed``, ``new`` (a KPI now only) or ``dropped`` (a
    KPI at the last review only). ``effect_moved``: a kept indicator whose effect now lies outside
    the interval of the last review. ``verdict_then`` / ``verdict_now``: the effects file's verdict
    (empty when the indicator was not tested). Order: :data:`STATUS_ORDER`, then the current
    scorecard's order (the previous one's for dropped indicators), then the id.
    """
    a = measures(before).query("kind == @LEADING")
    b = measures(now).query("kind == @LEADING")
    ids = list(b.index) + [i for i in a.index if i not in b.index]
    a, b = a.reindex(ids), b.reindex(ids)
    was, is_ = a["label"].notna(), b["label"].notna()
    lag_moved = was & is_ & (a["lag"] != b["lag"])
    status = np.select([~was, ~is_, lag_moved], [NEW, DROPPED, LAG_CHANGED], default=KEPT)
    moved = was & is_ & ((b["effect"] < a["ci_low"]) | (b["effect"] > a["ci_high"]))
    out = pd.DataFrame({
        "indicator": ids, "label": b["label"].fillna(a["label"]).to_numpy(),
        "stage": b["stage"].fillna(a["stage"]).to_numpy(), "status": status,
        "lag_then": a["lag"].round().astype("Int64").to_numpy(), "lag_now": b["lag"].round().astype("Int64").to_numpy(),
        "effect_then": a["effect"].to_numpy(), "effect_now": b["effect"].to_numpy(),
        "effect_moved": moved.to_numpy(dtype=bool),
        "verdict_then": verdicts(effects_before)["verdict"].reindex(ids).fillna("").to_numpy(),
        "verdict_now": verdicts(effects_now)["verdict"].reindex(ids).fillna("").to_numpy(),
    })
    out["_s"] = out["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    out["_p"] = np.arange(len(out))
    out = out.sort_values(["_s", "_p", "indicator"], kind="stable").drop(columns=["_s", "_p"])
    return out.reset_index(drop=True)[list(LEADING_COLUMNS)]


def still_not_leading(effects_before: pd.DataFrame, effects_now: pd.DataFrame) -> pd.DataFrame:
    """Indicators tested at both reviews and found not leading both times.

    Columns ``indicator, label, verdict_then, verdict_now``, in the current effects file's order
    (strongest first).
    """
    a, b = verdicts(effects_before), verdicts(effects_now)
    both = [i for i in b.index if i in a.index and not a.at[i, "leading"] and not b.at[i, "leading"]]
    return pd.DataFrame({"indicator": both, "label": b["label"].reindex(both).to_numpy(),
                         "verdict_then": a["verdict"].reindex(both).to_numpy(),
                         "verdict_now": b["verdict"].reindex(both).to_numpy()},
                        columns=["indicator", "label", "verdict_then", "verdict_now"])


def kpi_targets(before: dict, now: dict) -> pd.DataFrame:
    """One row per goal and KPI of either scorecard: the :data:`TARGET_COLUMNS`.

    ``change``: the target now against the target then (``0.1`` = +10 %; missing when either is
    missing or the earlier one is 0). Goals first, then the KPIs, each in the current scorecard's
    order (measures only in the last review's after them), ties by id.
    """
    a, b = measures(before), measures(now)
    ids = list(b.index) + [i for i in a.index if i not in b.index]
    a, b = a.reindex(ids), b.reindex(ids)
    then = a["target"].where(a["target"] != 0)
    out = pd.DataFrame({
        "kpi": ids, "label": b["label"].fillna(a["label"]).to_numpy(), "kind": b["kind"].fillna(a["kind"]).to_numpy(),
        "unit": b["unit"].fillna(a["unit"]).to_numpy(), "target_then": a["target"].to_numpy(),
        "target_now": b["target"].to_numpy(), "change": (b["target"] / then - 1.0).round(4).to_numpy(),
        "baseline_then": a["baseline"].to_numpy(), "baseline_now": b["baseline"].to_numpy(),
        "amber_then": a["amber"].to_numpy(), "amber_now": b["amber"].to_numpy(),
        "direction_then": a["direction"].fillna("").to_numpy(), "direction_now": b["direction"].fillna("").to_numpy(),
    })
    out["_k"] = (out["kind"] != LAGGING).astype(int)
    out["_p"] = np.arange(len(out))
    out = out.sort_values(["_k", "_p", "kpi"], kind="stable").drop(columns=["_k", "_p"])
    return out.reset_index(drop=True)[list(TARGET_COLUMNS)]


def rule_changed(before: dict, now: dict) -> bool:
    """Whether the rule that sets every target changed (``target_rule``).

    Compared: the method, the amber share, the baseline months and the method's own setting (the
    percentile, or the growth rate); the other method's setting is not used, so it does not count.
    """
    a, b = before.get("target_rule") or {}, now.get("target_rule") or {}
    settings = {str(rule.get("method") or "percentile") for rule in (a, b)} & {"percentile", "growth"}
    return any(a.get(k) != b.get(k) for k in (*RULE_KEYS, *sorted(settings)))


def _target_moved(row: pd.Series) -> bool:
    """A measure on both scorecards whose target changed (its amber threshold follows it, or the rule)."""
    both = pd.notna(row["target_then"]) and pd.notna(row["target_now"])
    return bool(both and row["target_then"] != row["target_now"])


# -- sentences -------------------------------------------------------------------------------------

def _months(value: float) -> str:
    return fmt.plural(int(value), "month")


def _effect(value: float) -> str:
    return fmt.signed_number(value, 2, zero="0.00")


def leading_sentences(table: pd.DataFrame, target: str) -> list[str]:
    """The leading indicators' changes in words: new, lag changed, dropped, effects that moved, then those kept."""
    out = []
    for r in table.itertuples():
        if r.status == NEW:
            out.append(f"{r.label} is a new leading indicator: it leads {target} by {_months(r.lag_now)} "
                       f"(effect {_effect(r.effect_now)}).")
        elif r.status == LAG_CHANGED:
            out.append(f"{r.label} now leads {target} by {_months(r.lag_now)} ({int(r.lag_then)} at the last review).")
        elif r.status == DROPPED:
            if r.verdict_now == LEADING:
                why = "it still leads, but stronger indicators of its motion took its place on the scorecard"
            elif r.verdict_now:
                why = f"now: {_verdict_text(r.verdict_now, target)}"
            else:
                why = "not measured now"
            out.append(f"{r.label} is no longer a leading indicator ({why}); it led {target} by "
                       f"{_months(r.lag_then)} at the last review.")
    for r in table[table["effect_moved"]].itertuples():
        word = "stronger" if abs(r.effect_now) > abs(r.effect_then) else "weaker"
        out.append(f"{r.label} is a {word} signal of {target} than at the last review: effect {_effect(r.effect_now)} "
                   f"now, {_effect(r.effect_then)} then (outside that review's interval).")
    kept = table[table["status"] == KEPT]
    if len(kept):
        listed = fmt.join_words(f"{r.label} ({_months(r.lag_now)})" for r in kept.itertuples())
        if len(kept) == len(table):
            out.append(f"The leading indicators of {target} are those of the last review, with the same lags: "
                       f"{listed}.")
        else:
            out.append(f"{listed} still {'leads' if len(kept) == 1 else 'lead'} {target} by the same "
                       f"{'lag' if len(kept) == 1 else 'lags'}.")
    elif not len(table):
        out.append("Neither review found a leading indicator for the scorecard.")
    return out


def target_sentences(table: pd.DataFrame, before: dict, now: dict) -> list[str]:
    """The targets' changes in words: the rule, each goal, then the leading KPIs together."""
    out = []
    if rule_changed(before, now):
        a, b = (before.get("target_rule") or {}), (now.get("target_rule") or {})
        out.append(f"Targets are now set as {b.get('description', 'a new rule')} (at the last review: "
                   f"{a.get('description', 'another rule')}); part of every target's change comes from the rule.")
    moved = table[table.apply(_target_moved, axis=1)] if len(table) else table
    for r in moved[moved["kind"] == LAGGING].itertuples():
        out.append(f"The {lower_label(r.label)} target is now {fmt.amount(r.target_now, r.unit)} a partner a month "
                   f"({fmt.amount(r.target_then, r.unit)} at the last review, "
                   f"{fmt.signed_percent(r.change, zero='±0%')}).")
    leading = moved[moved["kind"] == LEADING]
    if len(leading):
        parts = [f"{r.label} {fmt.amount(r.target_now, r.unit)} ({fmt.amount(r.target_then, r.unit)}, "
                 f"{fmt.signed_percent(r.change, zero='±0%')})" for r in leading.itertuples()]
        out.append(f"Targets of leading indicators changed, now (at the last review): {'; '.join(parts)}.")
    if not len(moved) and not rule_changed(before, now):
        out.append("The targets of the goals and indicators kept are those of the last review.")
    return out


def not_leading_sentence(table: pd.DataFrame, target: str) -> list[str]:
    """Indicators still not leading, in one sentence (none: no sentence)."""
    if not len(table):
        return []
    names = fmt.join_words(table["label"])
    verb = "was" if len(table) == 1 else "were"
    return [f"{names} {verb} tested again and still {'does' if len(table) == 1 else 'do'} not lead {target}."]


# -- the report's tables ---------------------------------------------------------------------------

def _whole(value: Any) -> str:
    return fmt.plain_number(value, whole=True)


def _shown_leading(table: pd.DataFrame, target: str) -> Shown:
    shown = pd.DataFrame({
        "Indicator": table["label"], "Status": table["status"],
        "Lead then (months)": table["lag_then"], "Lead now (months)": table["lag_now"],
        "Effect then": table["effect_then"], "Effect now": table["effect_now"],
        "Verdict now": [_verdict_text(v, target) for v in table["verdict_now"]],
    })
    annotate(shown, [f"Effect: the partial correlation of a change in the indicator with the change in {target} "
                     "that many months later, as each review estimated it."])
    return Shown(f"Leading indicators of {target} at the last review and now", shown,
                 {"Lead then (months)": _whole, "Lead now (months)": _whole, "Effect then": _effect,
                  "Effect now": _effect})


def _shown_targets(table: pd.DataFrame) -> Shown:
    def amounts(column: str) -> list[str]:
        return [fmt.amount(v, u) for v, u in zip(table[column], table["unit"])]

    shown = pd.DataFrame({"Measure": table["label"],
                          "Kind": table["kind"].map({LAGGING: "goal", LEADING: "leading indicator"}),
                          "Target then": amounts("target_then"),
                          "Target now": amounts("target_now"), "Change": table["change"],
                          "Baseline then": amounts("baseline_then"), "Baseline now": amounts("baseline_now")})
    annotate(shown, ["Targets and baselines per partner a month; the baseline is the median active partner's "
                     "monthly average over the review's last months."])
    return Shown("Scorecard targets at the last review and now", shown,
                 {"Change": lambda v: fmt.signed_percent(v, zero="±0%")})


# -- the phase's comparison ------------------------------------------------------------------------

def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """What changed in the metric design between ``previous`` and ``current`` (both deliver metric_design)."""
    before, now = previous.yaml(PHASE, SCORECARD), current.yaml(PHASE, SCORECARD)
    eff_before, eff_now = previous.csv(PHASE, EFFECTS), current.csv(PHASE, EFFECTS)
    target = target_label(now)
    summary = []
    if str(before.get("target")) != str(now.get("target")):
        summary.append(f"The indicators are now tested against {target} ({target_label(before)} at the last review): "
                       "their lags and effects are not comparable with the last review's.")
    leading = leading_indicators(before, now, eff_before, eff_now)
    targets = kpi_targets(before, now)
    summary += leading_sentences(leading, target)
    summary += target_sentences(targets, before, now)
    summary += not_leading_sentence(still_not_leading(eff_before, eff_now), target)
    return PhaseChanges(PHASE, summary, files={"leading_indicators.csv": leading, "kpi_targets.csv": targets},
                        shown=[_shown_leading(leading, target), _shown_targets(targets)])
