"""The monthly metrics as a partners x months panel, the candidate indicators, and data quality.

Every later step works on dense ``partners x months`` arrays (missing partner-months are
NaN), so the analysis is vectorised over partners: no Python loop ever runs per partner.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..months import month_label, month_numbers

from .funnel import LAGGING_OUTCOMES

#: Months of recent history the targets are derived from (a partner's trailing mean).
BASELINE_MONTHS = 12
#: Observed months a partner needs in that window to count towards the targets.
MIN_BASELINE_MONTHS = 6
#: Months of history the estimation needs beyond ``max_lag`` (the bad-input rule).
EXTRA_MONTHS = 6
#: Fewest partners with target values the analysis accepts (the bad-input rule).
MIN_PARTNERS = 5


def is_numeric(series: pd.Series) -> bool:
    """A numeric, non-boolean column."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def candidate_columns(metrics: pd.DataFrame, target: str) -> list[str]:
    """Every numeric column of ``partner_metrics`` except the target and the lagging outcomes, in file order."""
    skip = {"partner_id", "month", target, *LAGGING_OUTCOMES}
    return [c for c in metrics.columns if c not in skip and is_numeric(metrics[c])]


@dataclass
class Panel:
    """Metrics as arrays: ``values[column]`` is ``partners x months`` (NaN where not reported).

    ``first_month`` is the month count of column 0; ``observed`` marks partner-months with a row.
    """

    partner_ids: np.ndarray
    first_month: int
    values: dict[str, np.ndarray]
    observed: np.ndarray
    source: str = "partner_metrics"
    columns: list[str] = field(default_factory=list)

    @property
    def n_partners(self) -> int:
        return len(self.partner_ids)

    @property
    def n_months(self) -> int:
        return self.observed.shape[1]

    @property
    def calendar_month(self) -> np.ndarray:
        """Month of year (0-11) of each panel column."""
        return (self.first_month + np.arange(self.n_months)) % 12

    def month(self, index: int) -> str:
        """``YYYY-MM`` of panel column ``index``."""
        return month_label(self.first_month + index)


def build_panel(metrics: pd.DataFrame, columns: list[str]) -> Panel:
    """The panel of ``columns`` (partners sorted by id; months from the first to the last reported)."""
    codes, partner_ids = pd.factorize(metrics["partner_id"].astype(str), sort=True)
    months = month_numbers(metrics["month"])
    ok = np.isfinite(months) & (codes >= 0)
    first = int(np.nanmin(months[ok])) if ok.any() else 0
    n_months = int(np.nanmax(months[ok])) - first + 1 if ok.any() else 0
    col = (months[ok] - first).astype(int)
    row = codes[ok]
    observed = np.zeros((len(partner_ids), n_months), dtype=bool)
    observed[row, col] = True
    values = {}
    for name in columns:
        grid = np.full((len(partner_ids), n_months), np.nan)
        grid[row, col] = pd.to_numeric(metrics[name], errors="coerce").to_numpy(dtype=float)[ok]
        values[name] = grid
    return Panel(np.asarray(partner_ids, dtype=object), first, values, observed,
                 metrics.attrs.get("source", "partner_metrics"), list(columns))


# ----------------------------------------------------------------------------------------------
# Series diagnostics (why an indicator that is not leading is not)
# ----------------------------------------------------------------------------------------------

def trend_strength(values: np.ndarray) -> float:
    """How much a column only trends: the larger of two shares, 0-1.

    The share of partners (among those whose series varies) whose series never goes down or
    never goes up (a cumulative count), and the median absolute correlation of a partner's
    series with time. A cumulative count scores about 1; a stationary activity about 0.2.
    """
    x = values
    t = np.broadcast_to(np.arange(x.shape[1], dtype=float), x.shape)
    ok = np.isfinite(x)
    n = ok.sum(axis=1)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        d = np.diff(x, axis=1)
        varies = np.nansum(np.abs(d), axis=1) > 0
        up = np.all(~(d < 0), axis=1)
        down = np.all(~(d > 0), axis=1)
        usable = varies & (n >= 6)
        if not usable.any():
            return 0.0
        monotone = float(np.mean((up | down)[usable]))
        xm = np.where(ok, x - np.nanmean(x, axis=1, keepdims=True), 0.0)
        tm = np.where(ok, t - (np.where(ok, t, 0).sum(axis=1, keepdims=True) / np.maximum(n, 1)[:, None]), 0.0)
        corr = (xm * tm).sum(axis=1) / np.sqrt((xm ** 2).sum(axis=1) * (tm ** 2).sum(axis=1))
        smooth = float(np.nanmedian(np.abs(corr[usable])))
    return max(monotone, smooth if np.isfinite(smooth) else 0.0)


def seasonal_strength(changes: np.ndarray, mask: np.ndarray, calendar_month: np.ndarray) -> float:
    """How much a column moves with the calendar for every partner at once, 0-1.

    ``changes`` are a partner's standardised month-to-month changes *before* the common month
    effect is removed. The common month effect (the cross-partner mean change of each month)
    is fitted with one value per month of the year; the score is the share of all variation
    that this calendar pattern explains. Quarterly kick-offs score about 0.3 or more; a
    series without seasonality about 1 / (number of partners).
    """
    weight = mask.sum(axis=0)
    if changes.shape[1] < 24 or weight.sum() == 0:
        return 0.0
    common = np.where(weight > 0, (changes * mask).sum(axis=0) / np.maximum(weight, 1), 0.0)
    months = calendar_month[1:] if len(calendar_month) == changes.shape[1] + 1 else calendar_month[:changes.shape[1]]
    by_month = np.zeros(12)
    np.add.at(by_month, months, common * weight)
    counts = np.zeros(12)
    np.add.at(counts, months, weight)
    pattern = np.where(counts > 0, by_month / np.maximum(counts, 1), 0.0)[months]
    total = float((changes ** 2 * mask).sum())
    explained = float((pattern ** 2 * weight).sum())
    return explained / total if total > 0 else 0.0


# ----------------------------------------------------------------------------------------------
# Data quality
# ----------------------------------------------------------------------------------------------

def data_quality(panel: Panel, target: str, candidates: list[str], max_lag: int,
                 partners: pd.DataFrame | None = None) -> dict:
    """The counts behind the reader's notes about gaps in the data (the notes are worded by the narrative).

    ``missing_partner_months`` inside ``partners_with_gaps`` partners' reporting periods;
    ``short_history`` partners with fewer than ``history_needed`` months; ``no_baseline``
    partners without enough recent months for the targets; ``missing_target`` reported
    partner-months without a target value; ``negative_target`` whether the target goes below
    zero; ``empty_shares`` each candidate's share of reported partner-months left empty;
    ``silent_partners`` partners in the partner list without monthly metrics.
    """
    obs = panel.observed
    span_first = np.argmax(obs, axis=1)
    span_last = obs.shape[1] - 1 - np.argmax(obs[:, ::-1], axis=1)
    inside = (np.arange(obs.shape[1])[None, :] >= span_first[:, None]) & (np.arange(obs.shape[1])[None, :] <= span_last[:, None])
    gaps = inside & ~obs
    history = obs.sum(axis=1)
    need = max_lag + EXTRA_MONTHS
    recent = obs[:, -BASELINE_MONTHS:].sum(axis=1)
    y = panel.values[target]
    empty = {name: float((obs & ~np.isfinite(panel.values[name])).sum() / max(obs.sum(), 1)) for name in candidates}
    silent = 0
    if partners is not None and "partner_id" in partners:
        silent = int((~partners["partner_id"].astype(str).isin(set(panel.partner_ids))).sum())
    return {"partners": panel.n_partners, "months": panel.n_months, "missing_partner_months": int(gaps.sum()),
            "partners_with_gaps": int(gaps.any(axis=1).sum()), "short_history": int((history < need).sum()),
            "history_needed": need, "no_baseline": int((recent < MIN_BASELINE_MONTHS).sum()),
            "missing_target": int((obs & ~np.isfinite(y)).sum()),
            "negative_target": bool(np.isfinite(y).any() and np.nanmin(y) < 0),
            "empty_shares": empty, "silent_partners": silent}
