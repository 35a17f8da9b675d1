"""The review's data charts: headcount current against required, and each person's workload."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

#: Status colours of the workload chart (red overloaded, amber under-loaded, brand otherwise).
OVER, UNDER, NEUTRAL = "#C44536", "#E9A23B", "#7A869A"


def chart_headcount(headcount: pd.DataFrame, palette: Sequence[str] | None = None) -> Figure:
    """Current and required FTE per role, side by side (horizontal bars, first role on top)."""
    primary = (palette or ["#0B3D91"])[0]
    frame = headcount.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(frame))
    fig = Figure(figsize=(7, 0.5 * len(frame) + 1.2))
    ax = fig.add_subplot()
    ax.barh(y + 0.19, frame["current_fte"], height=0.36, color="#B8C0CC", label="Current")
    ax.barh(y - 0.19, frame["required_fte"], height=0.36, color=primary, label="Required by workload")
    top = float(max(frame["current_fte"].max(), frame["required_fte"].max(), 1.0))
    for yi, cur, req in zip(y, frame["current_fte"], frame["required_fte"]):
        ax.text(cur + top * 0.01, yi + 0.19, f"{cur:.1f}", va="center", fontsize=8, color="#44505F")
        ax.text(req + top * 0.01, yi - 0.19, f"{req:.1f}", va="center", fontsize=8, color="#1F2733", fontweight="bold")
    ax.set_yticks(y, frame["role"])
    ax.set_xlim(0, top * 1.12)
    ax.set_xlabel("FTE")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", frameon=False)
    return fig


def chart_utilisation(load: pd.DataFrame, overload: float, underload: float,
                      palette: Sequence[str] | None = None) -> Figure:
    """Each person's workload as a share of capacity, with the overload and under-load thresholds."""
    primary = (palette or ["#0B3D91"])[0]
    shown = load[load["utilisation"].notna()].sort_values("utilisation", kind="stable").reset_index(drop=True)
    fig = Figure(figsize=(7, 0.3 * len(shown) + 1.3))
    ax = fig.add_subplot()
    if shown.empty:
        ax.text(0.5, 0.5, "No staff with a sized role", ha="center", va="center", transform=ax.transAxes)
        ax.axis("off")
        return fig
    colors = np.select([shown["status"] == "overloaded", shown["status"] == "under-loaded"], [OVER, UNDER], primary)
    y = np.arange(len(shown))
    values = shown["utilisation"].to_numpy(dtype=float)
    cap = max(2.0, float(np.nanmax(values)) * 1.1)
    ax.barh(y, np.minimum(values, cap), color=colors, height=0.65)
    for yi, v in zip(y, values):
        ax.text(min(v, cap) + cap * 0.01, yi, f"{v:.0%}", va="center", fontsize=7.5, color="#1F2733")
    labels = [f"{n} ({r})" for n, r in zip(shown["name"], shown["role"])]
    ax.set_yticks(y, labels, fontsize=7.5)
    for x, style, text in ((1.0, "-", "full capacity"), (overload, "--", f"overloaded above {overload:.0%}"),
                           (underload, ":", f"under-loaded below {underload:.0%}")):
        ax.axvline(x, color=NEUTRAL, lw=1.1, ls=style, zorder=0, label=text)
    ax.set_xlim(0, cap * 1.12)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.legend(loc="lower right", frameon=True, framealpha=0.95, edgecolor="#DDE2E8")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Workload as a share of capacity (hours needed / hours available)")
    ax.grid(axis="y", visible=False)
    return fig
