"""Figures: the executive report's charts (matplotlib) and the scorecard's drawings.

The scorecard's drawings (status wheel, percentile bar, revenue trend) are small SVG written
directly from numbers, so they are identical in HTML, PDF and every run, and cheap enough to
draw hundreds of times. The executive charts (and the QBR deck's picture of the revenue
trend) are matplotlib figures; :func:`alliancekit.theme.figure_svg` makes them deterministic SVG.
"""

from __future__ import annotations

import html
import math
import re
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ..fmt import compact_number, compact_tick
from .status import STATUS_COLORS


def status_wheel_svg(attainment: float | None, status: str, size: int = 46) -> str:
    """A donut showing the share of the target reached (capped at 100 %), coloured by status."""
    r, stroke = 15.0, 5.5
    circumference = 2 * math.pi * r
    color = STATUS_COLORS.get(status, STATUS_COLORS["no data"])
    share = 0.0 if attainment is None or not np.isfinite(attainment) else min(max(float(attainment), 0.0), 1.0)
    text = "–" if attainment is None or not np.isfinite(attainment) else (
        ">999%" if attainment > 9.99 else f"{attainment:.0%}")
    arc = (f'<circle cx="20" cy="20" r="{r}" fill="none" stroke="{color}" stroke-width="{stroke}" '
           f'stroke-dasharray="{share * circumference:.2f} {circumference:.2f}" transform="rotate(-90 20 20)"/>'
           if share > 0 else "")
    font = 8.6 if len(text) <= 3 else 7.6 if len(text) == 4 else 6.4
    return (f'<svg class="wheel" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 40 40" '
            f'role="img" aria-label="{status}, {text} of target">'
            f'<circle cx="20" cy="20" r="{r}" fill="none" stroke="#E6E9EF" stroke-width="{stroke}"/>{arc}'
            f'<text x="20" y="22.6" text-anchor="middle" font-family="DejaVu Sans" font-size="{font}" '
            f'font-weight="bold" fill="#1F2733">{text}</text></svg>')


def percentile_bar_html(percentile: float | None) -> str:
    """A 0-100 track with a marker at the partner's percentile in its tier (plain HTML: fast to lay out)."""
    if percentile is None or not np.isfinite(percentile):
        return ""
    x = min(max(float(percentile), 0.0), 100.0)
    return (f'<span class="pbar" role="img" aria-label="percentile {x:.0f}"><span class="pbar-fill" style="width: {x:.1f}%">'
            f'</span><span class="pbar-dot" style="left: {x:.1f}%"></span></span>')


def svg_image(svg: str, css_class: str = "") -> str:
    """An SVG drawing as an ``<img>`` with a data URI: WeasyPrint lays an image out much faster than inline SVG."""
    import base64

    size = re.search(r'width="(\d+)" height="(\d+)"', svg)
    dims = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
    return (f'<img class="{css_class}"{dims} alt="" '
            f'src="data:image/svg+xml;base64,{base64.b64encode(svg.encode("utf-8")).decode()}">')


# ----------------------------------------------------------------------------------------------
# Scorecard chart
# ----------------------------------------------------------------------------------------------

def _nice_step(top: float, ticks: int = 4) -> float:
    """A round axis step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` steps up to ``top``."""
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def revenue_trend_svg(months: Sequence[str], values: Sequence[float | None], monthly_target: float | None,
                      color: str = "#0B3D91", width: int = 700, height: int = 210) -> str:
    """The scorecard's revenue chart as SVG written from the numbers: monthly bars, 3-month average, target line.

    The same chart as :func:`chart_partner_revenue` (which the QBR deck uses as a picture), drawn
    directly: a scorecard is rendered once per partner, and matplotlib took a quarter of each
    scorecard's time (about 0.1 s) for a drawing of a few dozen shapes.
    """
    esc = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    font = 'font-family="DejaVu Sans" fill="#4A5568"'
    left, right, top, bottom = 46.0, 8.0, 24.0, 22.0
    plot_w, plot_h = width - left - right, height - top - bottom
    y = np.array([np.nan if v is None else v for v in values], dtype=float)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="Monthly revenue, 3-month average and target">']
    if not len(y) or not np.isfinite(y).any():
        parts.append(f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" font-size="12" {font}>'
                     'No revenue reported in this period</text></svg>')
        return "".join(parts)
    target = monthly_target if monthly_target is not None and np.isfinite(monthly_target) else None
    step = _nice_step(max(np.nanmax(y), target or 0.0, 1.0) * 1.25)
    y_max = step * math.ceil(max(np.nanmax(y), target or 0.0, 1.0) * 1.25 / step)
    to_y = lambda v: top + plot_h * (1.0 - v / y_max)  # noqa: E731
    slot = plot_w / len(y)
    to_x = lambda i: left + slot * (i + 0.5)  # noqa: E731
    for k in range(int(round(y_max / step)) + 1):
        tick = to_y(k * step)
        parts.append(f'<line x1="{left}" y1="{tick:.1f}" x2="{width - right}" y2="{tick:.1f}" stroke="#E6E9EF"/>'
                     f'<text x="{left - 5}" y="{tick + 3.5:.1f}" text-anchor="end" font-size="10" {font}>'
                     f'{esc(compact_number(k * step))}</text>')
    parts.append(f'<g fill="{esc(color)}" fill-opacity="0.28">')
    parts += [f'<rect x="{to_x(i) - 0.4 * slot:.1f}" y="{to_y(v):.1f}" width="{0.8 * slot:.1f}" '
              f'height="{top + plot_h - to_y(v):.1f}"/>' for i, v in enumerate(np.nan_to_num(y)) if v > 0]
    parts.append("</g>")
    average = pd.Series(y).rolling(3, min_periods=1).mean().to_numpy()
    points = " ".join(f"{to_x(i):.1f},{to_y(v):.1f}" for i, v in enumerate(average) if np.isfinite(v))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{esc(color)}" stroke-width="2.2" '
                 'stroke-linejoin="round"/>')
    if target is not None:
        parts.append(f'<line x1="{left}" y1="{to_y(target):.1f}" x2="{width - right}" y2="{to_y(target):.1f}" '
                     'stroke="#C44536" stroke-width="1.4" stroke-dasharray="6 4"/>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#B8C0CC"/>')
    every = max(1, len(y) // 8)
    parts += [f'<text x="{to_x(i):.1f}" y="{height - 6}" text-anchor="middle" font-size="10" {font}>{esc(m)}</text>'
              for i, m in list(enumerate(months))[::every]]
    legend = [(f'<line x1="0" y1="-3.5" x2="18" y2="-3.5" stroke="{esc(color)}" stroke-width="2.2"/>', "3-month average")]
    if target is not None:
        legend.append(('<line x1="0" y1="-3.5" x2="18" y2="-3.5" stroke="#C44536" stroke-width="1.4" '
                       'stroke-dasharray="6 4"/>', "Target (annual / 12)"))
    legend.append((f'<rect x="4" y="-8" width="10" height="9" fill="{esc(color)}" fill-opacity="0.28"/>',
                   "Monthly revenue"))
    x = left + 4
    for sign, label in legend:
        parts.append(f'<g transform="translate({x:.1f},14)">{sign}<text x="24" y="0" font-size="10" {font}>'
                     f'{label}</text></g>')
        x += 34 + 6.2 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def chart_partner_revenue(months: Sequence[str], values: Sequence[float | None], monthly_target: float | None,
                          color: str = "#0B3D91") -> Figure:
    """Monthly revenue of one partner with its 3-month average and the monthly share of its annual target."""
    fig = Figure(figsize=(7.0, 2.1))
    ax = fig.add_subplot()
    y = np.array([np.nan if v is None else v for v in values], dtype=float)
    x = np.arange(len(y))
    if len(y) and np.isfinite(y).any():
        ax.bar(x, np.nan_to_num(y), color=color, alpha=0.28, width=0.8, label="Monthly revenue")
        avg = pd.Series(y).rolling(3, min_periods=1).mean().to_numpy()
        ax.plot(x, avg, color=color, linewidth=2.0, label="3-month average")
        if monthly_target is not None and np.isfinite(monthly_target):
            ax.axhline(monthly_target, color="#C44536", linewidth=1.2, linestyle="--", label="Target (annual / 12)")
        ax.legend(loc="upper left", frameon=False, ncol=3, fontsize=7.5)
        ax.set_ylim(0, max(np.nanmax(y), monthly_target or 0, 1.0) * 1.25)
    else:
        ax.text(0.5, 0.5, "No revenue reported in this period", transform=ax.transAxes, ha="center", va="center",
                fontsize=9, color="#4A5568")
    step = max(1, len(x) // 8)
    ax.set_xticks(x[::step], [str(m) for m in list(months)[::step]])
    ax.yaxis.set_major_formatter(FuncFormatter(compact_tick))
    ax.tick_params(labelsize=7.5)
    ax.grid(axis="x", visible=False)
    ax.margins(x=0.01)
    return fig


# ----------------------------------------------------------------------------------------------
# Executive charts
# ----------------------------------------------------------------------------------------------

def chart_attainment(tables: dict[str, pd.DataFrame], palette: Sequence[str] | None = None) -> Figure:
    """Revenue attainment (12 months against target) by partner type, tier and region: one panel each.

    Bars are coloured by status (green from 100 %, amber from 80 %, red below); ``palette`` is
    accepted for a uniform chart signature.
    """
    fig = Figure(figsize=(7.2, 2.8))
    axes = fig.subplots(1, len(tables), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, (title, table) in zip(axes, tables.items()):
        body = table.iloc[:-1]  # the last row is the total
        att = pd.to_numeric(body["Attainment"], errors="coerce").fillna(0.0).to_numpy()
        labels = body.iloc[:, 0].astype(str).str.slice(0, 16).to_numpy()
        y = np.arange(len(att))[::-1]
        colors = [STATUS_COLORS["green"] if a >= 1 else STATUS_COLORS["amber"] if a >= 0.8 else STATUS_COLORS["red"]
                  for a in att]
        ax.barh(y, att, color=colors, height=0.65)
        ax.axvline(1.0, color="#1F2733", linewidth=0.9, linestyle="--")
        ax.set_yticks(y, labels)
        ax.set_title(title)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="y", visible=False)
    axes[0].set_xlabel("revenue / target", fontsize=8)
    fig.subplots_adjust(wspace=0.7)
    return fig


def chart_attribution(by_group: pd.DataFrame, palette: Sequence[str] | None = None) -> Figure:
    """Won (12 months) and open pipeline by partner type, sourced and influenced stacked (each deal once)."""
    colors = list(palette or ["#0B3D91", "#E07A1F"])
    fig = Figure(figsize=(7.2, 2.9))
    axes = fig.subplots(1, 2, sharey=True)
    labels = by_group.iloc[:, 0].astype(str).to_numpy()
    y = np.arange(len(labels))[::-1]
    for ax, kind, title in ((axes[0], "Won", "Won, last 12 months"), (axes[1], "Pipeline", "Open pipeline")):
        s = by_group[f"{kind}, sourced"].to_numpy(dtype=float)
        i = by_group[f"{kind}, influenced"].to_numpy(dtype=float)
        ax.barh(y, s, color=colors[0], height=0.65, label="sourced")
        ax.barh(y, i, left=s, color=colors[1 % len(colors)], height=0.65, label="influenced")
        ax.set_title(title)
        ax.xaxis.set_major_formatter(FuncFormatter(compact_tick))
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(y, labels)
    axes[1].legend(loc="lower right", frameon=False, fontsize=7.5)
    return fig


def chart_pipeline_stages(stages: pd.DataFrame, palette: Sequence[str] | None = None) -> Figure:
    """Open pipeline by stage (earliest stage at the top)."""
    color = (palette or ["#0B3D91"])[0]
    fig = Figure(figsize=(6.0, 0.5 + 0.38 * max(len(stages), 1)))
    ax = fig.add_subplot()
    y = np.arange(len(stages))[::-1]
    ax.barh(y, stages["Pipeline"].to_numpy(dtype=float), color=color, height=0.6)
    for yi, amount, n in zip(y, stages["Pipeline"], stages["Open deals"]):
        ax.text(amount, yi, f"  {compact_number(amount)} ({n} deals)", va="center", fontsize=7.5, color="#1F2733")
    ax.set_yticks(y, stages["Stage"].astype(str).str.slice(0, 24))
    ax.xaxis.set_major_formatter(FuncFormatter(compact_tick))
    ax.set_xlim(0, max(float(stages["Pipeline"].max()) if len(stages) else 1.0, 1.0) * 1.35)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def chart_mdf(by_tier: pd.DataFrame, palette: Sequence[str] | None = None) -> Figure:
    """MDF of the last 12 months by tier: spent and left unused, stacked to the amount allocated."""
    colors = list(palette or ["#0B3D91"])
    body = by_tier.iloc[:-1]
    fig = Figure(figsize=(6.0, 0.6 + 0.42 * max(len(body), 1)))
    ax = fig.add_subplot()
    y = np.arange(len(body))[::-1]
    spent = body["Spent"].to_numpy(dtype=float)
    unused = body["Unused"].to_numpy(dtype=float)
    ax.barh(y, spent, color=colors[0], height=0.6, label="spent")
    ax.barh(y, unused, left=spent, color="#DDE2E8", edgecolor=STATUS_COLORS["red"], hatch="///", linewidth=0.5,
            height=0.6, label="unused")
    for yi, a, share in zip(y, spent + unused, body["Unused share"]):
        if np.isfinite(share):
            ax.text(a, yi, f"  {share:.0%} unused", va="center", fontsize=7.5, color="#1F2733")
    ax.set_yticks(y, body.iloc[:, 0].astype(str))
    ax.xaxis.set_major_formatter(FuncFormatter(compact_tick))
    ax.set_xlim(0, max(float((spent + unused).max()) if len(body) else 1.0, 1.0) * 1.3)
    ax.legend(loc="lower right", frameon=False, fontsize=7.5)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def chart_kpi_status(summary: pd.DataFrame) -> Figure:
    """Partners by status for every scorecard measure (stacked shares: green, amber, red, no data)."""
    fig = Figure(figsize=(6.6, 0.6 + 0.4 * max(len(summary), 1)))
    ax = fig.add_subplot()
    y = np.arange(len(summary))[::-1]
    left = np.zeros(len(summary))
    cols = [("Green", "green"), ("Amber", "amber"), ("Red", "red"), ("No data", "no data")]
    total = summary[[c for c, _ in cols]].sum(axis=1).replace(0, np.nan).to_numpy(dtype=float)
    for col, status in cols:
        share = summary[col].to_numpy(dtype=float) / total
        ax.barh(y, np.nan_to_num(share), left=left, color=STATUS_COLORS[status], height=0.6, label=status)
        left += np.nan_to_num(share)
    ax.set_yticks(y, [f"{m} {a}" for m, a in zip(summary["Measure"].astype(str), summary["Portfolio direction"])])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False, fontsize=7.5)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", visible=False)
    return fig
