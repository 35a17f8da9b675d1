"""The report's charts: effect against lag for every indicator, and the funnel of effects by motion."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .funnel import FUNNEL_STAGES, label_of
from .lags import LagEstimates, verdict_text

#: Colour of indicators that are not leading.
MUTED = "#7A869A"
#: Panels per small-multiples figure (the rest are in indicator_effects.csv, the caption says so).
MAX_PANELS = 24


def _primary(palette: Sequence[str] | None) -> str:
    return palette[0] if palette else "#0B3D91"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def chart_lag_profiles(estimates: LagEstimates, palette: Sequence[str] | None = None) -> Figure:
    """Small multiples, strongest first: the effect at every lag from -max_lag to +max_lag.

    Right of zero the indicator leads the target (the partial correlation of step 3); left of
    zero the target leads the indicator (the direction test); at zero the same month. The band
    is the simultaneous interval; a leading indicator's chosen lag is marked and labelled.
    """
    effects = estimates.effects.head(MAX_PANELS)
    n = max(len(effects), 1)
    cols = 3 if n <= 9 else 4
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(7.0, 1.62 * rows + 0.75))
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    prof = estimates.profiles
    lo = min(-0.3, float(np.nanmin(prof["low"])) if len(prof) and np.isfinite(prof["low"]).any() else -0.3)
    hi = max(0.5, float(np.nanmax(prof["high"])) if len(prof) and np.isfinite(prof["high"]).any() else 0.5)
    lo, hi = math.floor(lo * 5) / 5, math.ceil(hi * 5) / 5
    m = estimates.max_lag
    primary = _primary(palette)
    for i, ax in enumerate(axes.flat):
        if i >= len(effects):
            ax.set_visible(False)
            continue
        row = effects.iloc[i]
        curve = prof[prof["indicator"] == row["indicator"]]
        color = primary if row["leading"] else MUTED
        ax.axvspan(-m - 0.5, -0.5, color="#F1F3F6", zorder=0, linewidth=0)
        ax.axhline(0, color="#B8C0CC", linewidth=0.8, zorder=1)
        ax.fill_between(curve["lag"], curve["low"], curve["high"], color=color, alpha=0.18, linewidth=0, zorder=2)
        ax.plot(curve["lag"], curve["effect"], color=color, linewidth=1.2, marker="o", markersize=2.2, zorder=3)
        if row["leading"]:
            lag, eff = int(row["lag_months"]), float(row["effect"])
            ax.plot([lag], [eff], marker="o", markersize=5.5, color=primary, markeredgecolor="white", zorder=4)
            ax.annotate(f"{lag} mo", (lag, eff), xytext=(0, 5 if eff >= 0 else -11), textcoords="offset points",
                        ha="center", fontsize=7.5, fontweight="bold", color=primary)
        ax.set_title(f"{_short(str(row['label']), 27)}\n{verdict_text(row['verdict'], estimates.target)}", fontsize=7.8, loc="left",
                     color="#1A202C" if row["leading"] else "#4A5568")
        ax.tick_params(labelsize=7)
        ax.set_xlim(-m - 0.5, m + 0.5)
        ax.set_ylim(lo, hi)
    ticks = sorted({-m, -m // 2, 0, m // 2, m})
    for ax in axes[-1]:
        ax.set_xticks(ticks)
    fig.suptitle(f"Effect on {label_of(estimates.target).lower()} by lag (months), with {estimates.confidence:.0%} "
                 "simultaneous intervals", fontsize=10, fontweight="bold")
    fig.text(0.5, 0.005, f"Left of 0 (shaded): {label_of(estimates.target).lower()} moves first and the indicator "
             f"follows.   Right of 0: the indicator moves first and {label_of(estimates.target).lower()} follows.",
             ha="center", va="bottom", fontsize=7.5, color="#4A5568")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def chart_funnel(effects: pd.DataFrame, palette: Sequence[str] | None = None, target: str = "revenue") -> Figure:
    """Every indicator's effect at its best lag, grouped by motion in funnel order, with its interval.

    Leading indicators are drawn in the brand colour and labelled with their lag; the others
    in grey, labelled with their verdict.
    """
    stages = [s for s in FUNNEL_STAGES if (effects["funnel_stage"] == s).any()] or ["Sell-With"]
    counts = [max(int((effects["funnel_stage"] == s).sum()), 1) for s in stages]
    fig = Figure(figsize=(7.0, 0.3 * sum(counts) + 0.55 * len(stages) + 0.8))
    axes = fig.subplots(len(stages), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": counts})[:, 0]
    primary = _primary(palette)
    finite = effects[["ci_low", "ci_high"]].astype(float).to_numpy()
    finite = finite[np.isfinite(finite)]
    lo = min(-0.2, float(finite.min()) - 0.05) if len(finite) else -0.2
    hi = max(0.6, float(finite.max()) + 0.3) if len(finite) else 0.6
    for ax, stage in zip(axes, stages):
        part = effects[effects["funnel_stage"] == stage].sort_values("rank").reset_index(drop=True)
        y = np.arange(len(part))
        colors = [primary if lead else "#C3CAD5" for lead in part["leading"]]
        eff = part["effect"].astype(float).fillna(0.0).to_numpy()
        ax.barh(y, eff, color=colors, height=0.62, zorder=2)
        err_lo = np.clip(eff - part["ci_low"].astype(float).fillna(0.0).to_numpy(), 0, None)
        err_hi = np.clip(part["ci_high"].astype(float).fillna(0.0).to_numpy() - eff, 0, None)
        ax.errorbar(eff, y, xerr=[err_lo, err_hi], fmt="none", ecolor="#4A5568", elinewidth=0.9, capsize=2, zorder=3)
        for j, r in part.iterrows():
            text = f"leads by {int(r['lag_months'])} mo" if r["leading"] else verdict_text(r["verdict"], target)
            x = max(float(r["ci_high"]) if pd.notna(r["ci_high"]) else 0.0, eff[j], 0.0) + 0.02
            ax.text(x, j, text, va="center", fontsize=7.5, color=primary if r["leading"] else "#4A5568",
                    fontweight="bold" if r["leading"] else "normal")
        ax.set_yticks(y, [_short(str(v), 30) for v in part["label"]])
        ax.invert_yaxis()
        ax.axvline(0, color="#7A869A", linewidth=0.8, zorder=1)
        ax.set_title(stage if stage != "outcome" else "Other outcomes", fontsize=9, loc="left")
        ax.tick_params(labelsize=8)
        ax.set_xlim(lo, hi)
    axes[-1].set_xlabel("Effect at the best lead time (partial correlation); whiskers: simultaneous interval")
    fig.tight_layout()
    return fig
