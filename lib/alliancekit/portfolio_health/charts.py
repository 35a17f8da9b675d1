"""The review's charts: segment map, health by segment, revenue of the weakest alliances."""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..fmt import compact_tick
from ..months import month_label, month_numbers
from .declaration import DEFAULT
from .rules import symmetric
from .segments import Segmentation

#: Ordinary year-on-year changes shown on the growth axis (which uses the symmetric rate).
_GROWTH_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0, 3.0)


def _sample_rows(frame: pd.DataFrame, by: str, limit: int, seed: int = 0) -> pd.DataFrame:
    """At most ``limit`` rows, drawn evenly within each group (deterministic), for legible charts."""
    if len(frame) <= limit:
        return frame
    return frame.groupby(by, sort=True).sample(frac=limit / len(frame), random_state=seed).sort_index()


def _default_palette(n: int, palette: Sequence[str] | None) -> list:
    import seaborn as sns  # imported here: the analysis functions need no plotting library

    if palette:
        return [palette[i % len(palette)] for i in range(n)]
    return list(sns.color_palette(n_colors=max(n, 1)))


def chart_segment_map(features: pd.DataFrame, scores: pd.Series, seg: Segmentation,
                      palette: Sequence[str] | None = None, max_points: int = 4000) -> Figure:
    """Each alliance as a bubble: revenue over the last 12 months (log scale) against growth.

    Colour = segment, size = activity. The growth axis uses the symmetric rate (so a zero base
    fits) but is labelled in ordinary year-on-year change. Partners without revenue sit at the
    left edge; without a growth figure they are left out (counted in the note). Large portfolios
    are drawn from an even sample of at most ``max_points`` alliances per chart (noted).
    """
    fig = Figure(figsize=(7, 4.3))
    ax = fig.add_subplot()
    frame = pd.DataFrame({
        "revenue": pd.to_numeric(features["revenue_ttm"], errors="coerce"),
        "growth": pd.to_numeric(features["revenue_growth"], errors="coerce"),
        "activity": pd.to_numeric(features.get("activity", pd.Series(0.0, index=features.index)), errors="coerce").fillna(0.0),
        "segment_id": seg.labels.reindex(features.index),
    })
    missing = int(frame["growth"].isna().sum())
    frame = frame[frame["growth"].notna()]
    positive = frame["revenue"][frame["revenue"] > 0]
    floor = float(positive.min()) / 2 if len(positive) else 1.0
    frame = frame.assign(x=frame["revenue"].fillna(0.0).clip(lower=floor))
    shown = _sample_rows(frame, "segment_id", max_points)
    segments = sorted(seg.names)
    colors = _default_palette(len(segments), palette)
    for color, s in zip(colors, segments):
        part = shown[shown["segment_id"] == s]
        count = int((frame["segment_id"] == s).sum())
        ax.scatter(part["x"], part["growth"], s=12 + 110 * part["activity"], color=color, alpha=0.55,
                   edgecolors="white", linewidths=0.4, label=f"{seg.names[s]} ({count:,})")
    if len(frame):
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(compact_tick))
    else:
        ax.text(0.5, 0.5, "No alliance has a year-on-year comparison yet", transform=ax.transAxes,
                ha="center", va="center", fontsize=9, color="#4A5568")
        ax.set_xticks([])
    ticks = [symmetric(r) for r in _GROWTH_TICKS] + [2.0]
    labels = [f"{r:+.0%}" if r else "0%" for r in _GROWTH_TICKS] + ["new"]
    ax.set_yticks(ticks, labels)
    ax.set_ylim(-2.1, 2.1)
    ax.axhline(0, color="#7A869A", linewidth=0.8, zorder=0)
    ax.set_xlabel("Revenue, last 12 months (log scale)")
    ax.set_ylabel("Revenue change year on year")
    ax.set_title("Where each alliance sits: size against growth")
    if len(shown):
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="Segment", fontsize=8,
                           title_fontsize=8.5)
        for handle in legend.legend_handles:  # one marker size in the legend, whatever the bubbles' sizes
            handle.set_sizes([36])
    notes = []
    if missing:
        notes.append(f"{missing:,} alliances without a year-on-year comparison are not shown.")
    if len(shown) < len(frame):
        notes.append(f"An even sample of {len(shown):,} of {len(frame):,} alliances is drawn.")
    notes.append("Bubble size: activity.")
    fig.text(0.01, 0.005, " ".join(notes), fontsize=7.5, color="#4A5568", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def chart_health_distribution(scores: pd.Series, seg: Segmentation, palette: Sequence[str] | None = None,
                              max_points_per_segment: int = 400) -> Figure:
    """Health scores by segment: a box per segment (all alliances) with the alliances as dots.

    Dots are jittered with a fixed seed and sampled (at most ``max_points_per_segment`` a
    segment) when a segment is large; the boxes always use every alliance.
    """
    segments = sorted(seg.names)
    frame = pd.DataFrame({"score": scores.reindex(seg.labels.index).to_numpy(dtype=float),
                          "segment_id": seg.labels.to_numpy()})
    colors = _default_palette(len(segments), palette)
    fig = Figure(figsize=(7, 0.55 * len(segments) + 1.4))
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)
    for i, (s, color) in enumerate(zip(segments, colors)):
        values = frame.loc[frame["segment_id"] == s, "score"].dropna()
        if values.empty:
            continue
        box = ax.boxplot([values.to_numpy()], positions=[i], widths=0.55, orientation="horizontal",
                         showfliers=False, patch_artist=True, manage_ticks=False)
        for patch in box["boxes"]:
            patch.set(facecolor=color, alpha=0.3, edgecolor=color)
        for part in ("whiskers", "caps", "medians"):
            for line in box[part]:
                line.set(color=color, linewidth=1.1)
        dots = values if len(values) <= max_points_per_segment else values.sample(max_points_per_segment, random_state=0)
        ax.scatter(dots.to_numpy(), i + rng.uniform(-0.2, 0.2, len(dots)), s=7, color=color, alpha=0.7,
                   linewidths=0, zorder=3)
    ax.set_yticks(range(len(segments)), [f"{seg.names[s]} ({int((frame['segment_id'] == s).sum()):,})" for s in segments])
    ax.invert_yaxis()  # segment 1 (healthiest) on top
    ax.set_xlim(0, 100)
    ax.set_xlabel("Health score (0 = weakest, 100 = healthiest in the portfolio)")
    ax.set_title("Health score by segment")
    fig.tight_layout()
    return fig


def chart_weakest_trends(metrics: pd.DataFrame, scores: pd.Series, n: int = DEFAULT.weakest_n,
                         names: Mapping[str, str] | None = None, palette: Sequence[str] | None = None) -> Figure:
    """Small multiples of monthly revenue for the ``n`` alliances with the lowest health score.

    Panels are titled with the partner's name (``names``: partner_id -> name) and score; a month
    missing after the partner's first report is drawn as zero, as the features count it.
    """
    weakest = scores.sort_values(kind="stable").reset_index()
    weakest.columns = ["partner_id", "score"]
    weakest = weakest.sort_values(["score", "partner_id"], kind="stable").head(n)
    ids = weakest["partner_id"].astype(str).tolist()
    m = metrics[metrics["partner_id"].astype(str).isin(ids)]
    month_n = month_numbers(m["month"])
    panel = pd.DataFrame({"partner_id": m["partner_id"].astype(str).to_numpy(), "month": month_n,
                          "revenue": pd.to_numeric(m["revenue"], errors="coerce").to_numpy()})
    all_months = month_numbers(metrics["month"])
    lo, hi = (np.nanmin(all_months), np.nanmax(all_months)) if len(all_months) else (0, 0)
    wide = panel.pivot_table(index="month", columns="partner_id", values="revenue", aggfunc="sum")
    wide = wide.reindex(np.arange(lo, hi + 1)) if len(all_months) else wide
    color = _default_palette(1, palette)[0]
    cols = max(1, min(3, len(ids)))
    rows = max(1, math.ceil(len(ids) / cols))
    fig = Figure(figsize=(7, 1.45 * rows + 0.7))
    axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(ids):
            ax.set_visible(False)
            continue
        pid, score = ids[i], float(weakest["score"].iloc[i])
        title = str((names or {}).get(pid, pid))
        title = title if len(title) <= 28 else title[:27] + "…"
        ax.set_title(f"{title} ({score:.0f})", fontsize=8)
        if pid in wide.columns and wide[pid].notna().any():
            series = wide[pid]
            start = series.first_valid_index()
            series = series.loc[start:].fillna(0.0)
            ax.plot(series.index, series.to_numpy(), color=color, linewidth=1.3)
            ax.fill_between(series.index, series.to_numpy(), color=color, alpha=0.12, linewidth=0)
        else:
            ax.text(0.5, 0.5, "no monthly metrics", transform=ax.transAxes, ha="center", va="center",
                    fontsize=8, color="#7A869A")
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.yaxis.set_major_formatter(FuncFormatter(compact_tick))
        ax.tick_params(labelsize=7)
        ax.set_ylim(bottom=0)
        ax.set_xticks([lo, hi], [month_label(lo), month_label(hi)] if len(all_months) else ["", ""])
    fig.suptitle(f"Monthly revenue of the {len(ids)} weakest alliances (health score in brackets)", fontsize=10.5,
                 fontweight="bold")
    fig.tight_layout()
    return fig
