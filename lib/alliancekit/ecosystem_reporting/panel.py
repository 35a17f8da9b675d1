"""The monthly partner metrics as a partners x months panel, and each partner's scorecard lines.

:func:`build_panel` lays every numeric column of ``partner_metrics`` out as a matrix (one row
per partner of ``partners``, one column per calendar month from the first to the last month
reported; a month a partner did not report is missing, not zero). :func:`partner_status`
turns the panel and the scorecard into one row per partner and measure: value, target,
attainment, status and direction of travel (rules: :mod:`.status`).

The revenue goal is measured over the **last 12 months against the partner's annual target**
(``annual_target`` in ``partners``; a partner without one gets 12 times the scorecard's monthly
target). Every other measure follows the scorecard's basis: the partner's **average of the last
3 months** against the scorecard's monthly target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..months import month_label, month_numbers
from .status import ARROWS, attainment, direction_of_travel, status_of
from .upstream import ScorecardSpec

#: Months averaged for a measure's value (the scorecard's basis: "latest 3-month average").
BASIS_MONTHS = 3
#: Months summed for trailing figures (revenue against the annual target, funds, deals).
YEAR = 12

#: Columns of :func:`partner_status` (``partner_status.csv``).
STATUS_COLUMNS = ("partner_id", "partner_name", "kpi", "label", "kind", "stage", "unit", "measure_direction", "basis",
                  "value", "target", "amber_threshold", "attainment", "status", "direction", "arrow", "change", "lag_months",
                  "target_source")


@dataclass
class Panel:
    """``values[column]``: a partners x months matrix (rows: ``partner_ids``; columns: ``months``, oldest first)."""

    partner_ids: pd.Index
    months: list[str]
    values: dict[str, np.ndarray]

    @property
    def as_of(self) -> str:
        """The last month of the data."""
        return self.months[-1] if self.months else ""

    def has(self, column: str) -> bool:
        """Whether the metrics report ``column`` at all."""
        return column in self.values and bool(np.isfinite(self.values[column]).any())

    def trailing_sum(self, column: str, months: int = YEAR, offset: int = 0) -> np.ndarray:
        """Per partner: sum over the ``months`` months ending ``offset`` months before the last (NaN if none reported)."""
        if column not in self.values:
            return np.full(len(self.partner_ids), np.nan)
        matrix = self.values[column]
        end = matrix.shape[1] - offset
        block = matrix[:, max(0, end - months):max(0, end)]
        counts = np.isfinite(block).sum(axis=1)
        return np.where(counts > 0, np.nansum(block, axis=1), np.nan)

    def trailing_mean(self, column: str, months: int = BASIS_MONTHS) -> np.ndarray:
        """Per partner: mean of the last ``months`` reported months (NaN if none)."""
        if column not in self.values:
            return np.full(len(self.partner_ids), np.nan)
        block = self.values[column][:, -months:]
        counts = np.isfinite(block).sum(axis=1)
        return np.where(counts > 0, np.nansum(block, axis=1) / np.maximum(counts, 1), np.nan)


def build_panel(partners: pd.DataFrame, metrics: pd.DataFrame) -> Panel:
    """Every numeric column of ``metrics`` as a partners x months matrix (vectorised)."""
    ids = pd.Index(partners["partner_id"].astype(str), name="partner_id")
    number = month_numbers(metrics["month"])
    ok = np.isfinite(number)
    if not ok.any():
        return Panel(ids, [], {})
    first, last = int(np.nanmin(number)), int(np.nanmax(number))
    months = [month_label(m) for m in range(first, last + 1)]
    row = ids.get_indexer(metrics["partner_id"].astype(str))
    col = np.where(ok, number - first, -1).astype(int)
    keep = (row >= 0) & (col >= 0)
    numeric = [c for c in metrics.columns if c not in ("partner_id", "month")
               and pd.api.types.is_numeric_dtype(metrics[c]) and not pd.api.types.is_bool_dtype(metrics[c])]
    values = {}
    for column in numeric:
        matrix = np.full((len(ids), len(months)), np.nan)
        matrix[row[keep], col[keep]] = pd.to_numeric(metrics[column], errors="coerce").to_numpy(dtype=float)[keep]
        values[column] = matrix
    return Panel(ids, months, values)


def annual_targets(partners: pd.DataFrame, spec: ScorecardSpec) -> tuple[np.ndarray, np.ndarray]:
    """Each partner's annual revenue target and where it comes from (``annual_target`` or ``scorecard``)."""
    own = (pd.to_numeric(partners["annual_target"], errors="coerce").to_numpy(dtype=float)
           if "annual_target" in partners else np.full(len(partners), np.nan))
    goal = spec.measures.loc[spec.measures["kpi"] == spec.target, "target"]
    fallback = 12.0 * float(goal.iloc[0]) if len(goal) else np.nan
    has_own = np.isfinite(own) & (own > 0)
    return np.where(has_own, own, fallback), np.where(has_own, "annual_target", "scorecard").astype(object)


def partner_status(partners: pd.DataFrame, panel: Panel, spec: ScorecardSpec, months: int = 3) -> pd.DataFrame:
    """One row per partner and scorecard measure the metrics report (columns :data:`STATUS_COLUMNS`).

    Goals (lagging) come first, then leading KPIs, in the scorecard's order; measures the metrics
    do not report are left out (see :func:`missing_measures`).
    """
    n = len(partners)
    ids = partners["partner_id"].astype(str).to_numpy()
    names = partners["partner_name"].astype(str).to_numpy()
    frames = []
    for m in spec.measures.itertuples(index=False):
        if not panel.has(m.kpi):
            continue
        matrix = panel.values[m.kpi]
        direction, change = direction_of_travel(matrix, months)
        if m.kpi == spec.target:
            target, source = annual_targets(partners, spec)
            value = panel.trailing_sum(m.kpi, YEAR)
            amber = target * spec.amber_share
            green = target
            basis = f"last {YEAR} months vs annual target"
        else:
            value = panel.trailing_mean(m.kpi, BASIS_MONTHS)
            target = np.full(n, m.target)
            green = np.full(n, m.green)
            amber = np.full(n, m.amber)
            source = np.full(n, "scorecard", dtype=object)
            basis = f"monthly average, last {BASIS_MONTHS} months"
        frames.append(pd.DataFrame({
            "partner_id": ids, "partner_name": names, "kpi": m.kpi, "label": m.label, "kind": m.kind,
            "stage": m.stage, "unit": m.unit, "measure_direction": m.direction, "basis": basis,
            "value": np.round(value, 4), "target": np.round(target, 4), "amber_threshold": np.round(amber, 4),
            "attainment": np.round(attainment(value, green, m.direction), 4),
            "status": status_of(value, green, amber, m.direction),
            "direction": direction, "arrow": [ARROWS[d] for d in direction], "change": np.round(change, 4),
            "lag_months": m.lag_months, "target_source": source,
        }))
    if not frames:
        return pd.DataFrame(columns=list(STATUS_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    order = {pid: i for i, pid in enumerate(ids)}
    out["_p"] = out["partner_id"].map(order)
    out["_m"] = out["kpi"].map({k: i for i, k in enumerate(spec.measures["kpi"])})
    return out.sort_values(["_p", "_m"], kind="stable").drop(columns=["_p", "_m"]).reset_index(drop=True)


def missing_measures(panel: Panel, spec: ScorecardSpec) -> list[str]:
    """Scorecard measures the partner metrics do not report (labels)."""
    return [m.label for m in spec.measures.itertuples() if not panel.has(m.kpi)]
