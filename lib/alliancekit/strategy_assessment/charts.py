"""The phase's figures: maturity radar, role x dimension heatmap, decision-matrix sensitivity,
candidate scores against the gate, and the approval workflow as a swimlane.

Every function takes the tables the phase computed and returns a matplotlib figure; the
notebook passes it to :func:`alliancekit.report.figure` (SVG, deterministic).
"""

from __future__ import annotations

import textwrap
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Polygon

from .formation import REVIEW_STAGE, WORKFLOW, Stage, time_to_approval
from .options import scores_at

#: Gate colours: distinct in colour and in greyscale print.
GATE_COLORS = {"approve": "#2A9D8F", "review": "#E9C46A", "decline": "#C44536"}
INK = "#1F2733"
MUTED = "#6B7685"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def chart_radar(scores: pd.DataFrame, palette: Sequence[str] = ("#0B3D91",)) -> plt.Figure:
    """Score (filled) against target (dashed) per dimension on the 1-5 scale."""
    data = scores.dropna(subset=["score"])
    n = len(data)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    closed = np.concatenate([angles, angles[:1]])
    fig = plt.figure(figsize=(6.3, 5.7))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    score = np.concatenate([data["score"].to_numpy(), data["score"].to_numpy()[:1]])
    target = np.concatenate([data["target"].to_numpy(), data["target"].to_numpy()[:1]])
    ax.plot(closed, target, color=MUTED, linestyle="--", linewidth=1.4, label="Target")
    ax.plot(closed, score, color=palette[0], linewidth=2.0, label="Score today")
    ax.fill(closed, score, color=palette[0], alpha=0.18)
    ax.scatter(angles, data["score"], color=palette[0], s=18, zorder=3)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels(["1", "2", "3", "4", "5"], color=MUTED, fontsize=7.5)
    ax.set_rlabel_position(0)
    ax.set_xticks(angles)
    ax.set_xticklabels([_wrap(v, 16) for v in data["name"]], fontsize=8)
    ax.tick_params(axis="x", pad=12)
    ax.grid(color="#D5DAE1", linewidth=0.7)
    ax.spines["polar"].set_color("#D5DAE1")
    ax.legend(loc="upper right", bbox_to_anchor=(1.18, 1.10), frameon=False)
    fig.tight_layout()
    return fig


def chart_role_heatmap(role_table: pd.DataFrame, scores: pd.DataFrame, names: Mapping[str, str]) -> plt.Figure:
    """Mean score per dimension (rows) and role (columns), with all respondents as the last column."""
    table = role_table.T.copy()
    table["All"] = scores.set_index("dimension")["score"].reindex(table.index)
    table.index = [names.get(d, d) for d in table.index]
    fig, ax = plt.subplots(figsize=(min(8.2, 0.62 * table.shape[1] + 3.0), 0.29 * table.shape[0] + 1.0))
    cmap = sns.diverging_palette(15, 245, s=80, l=55, as_cmap=True)
    sns.heatmap(table, ax=ax, cmap=cmap, vmin=1, vmax=5, center=3, annot=True, fmt=".1f", linewidths=0.6,
                linecolor="white", annot_kws={"fontsize": 8}, cbar_kws={"label": "Score (1-5)", "shrink": 0.5, "pad": 0.02})
    ax.axvline(table.shape[1] - 1, color="white", linewidth=4)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    ax.tick_params(axis="both", length=0)
    plt.setp(ax.get_xticklabels(), rotation=30, ha="left", rotation_mode="anchor", fontsize=8.5)
    plt.setp(ax.get_yticklabels(), fontsize=8.5)
    fig.tight_layout()
    return fig


def chart_disagreement(role_table: pd.DataFrame, disagreement: pd.DataFrame,
                       palette: Sequence[str] = ("#0B3D91",)) -> plt.Figure:
    """Each role's score on the dimensions where the roles lie furthest apart (largest difference on top)."""
    dims = list(disagreement["dimension"])
    names = dict(zip(disagreement["dimension"], disagreement["name"]))
    roles = list(role_table.index)
    markers = ["o", "s", "D", "^", "v", "P", "X", "h"]
    fig, ax = plt.subplots(figsize=(7.6, 0.55 * len(dims) + 1.3))
    for y, d in enumerate(reversed(dims)):
        values = role_table[d].dropna()
        ax.hlines(y, values.min(), values.max(), color="#C9D0DA", linewidth=5, zorder=1)
    for k, role in enumerate(roles):
        ys = np.arange(len(dims))
        xs = [role_table.at[role, d] for d in reversed(dims)]
        ax.scatter(xs, ys, s=46, marker=markers[k % len(markers)], color=palette[k % len(palette)], label=role,
                   zorder=3, edgecolors="white", linewidths=0.6)
    ax.set_yticks(np.arange(len(dims)))
    ax.set_yticklabels([names[d] for d in reversed(dims)], fontsize=8.5)
    ax.set_xlim(0.8, 5.2)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel("role average (1-5)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=min(len(roles), 8), frameon=False, fontsize=8,
              handletextpad=0.2, columnspacing=1.0)
    fig.tight_layout()
    return fig


def chart_sensitivity(matrix: pd.DataFrame, weights: Mapping[str, float], sensitivity: pd.DataFrame,
                      names: Mapping[str, str], criterion_names: Mapping[str, str],
                      palette: Sequence[str] = ("#0B3D91",)) -> plt.Figure:
    """One panel per criterion: every option's weighted score as that criterion's weight moves from 0 to 100%.

    The recommended option is drawn first, in the brand colour and thicker; the dotted line
    is today's weight; a ring marks the flip point, where another option overtakes.
    """
    criteria = list(matrix.columns)
    total = matrix.mul(pd.Series(weights).reindex(criteria).fillna(0.0), axis=1).sum(axis=1)
    order = list(total.sort_values(ascending=False, kind="stable").index)
    cols = 3 if len(criteria) > 4 else max(1, len(criteria))
    rows = int(np.ceil(len(criteria) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(2.65 * cols, 2.15 * rows + 0.55), sharey=True, squeeze=False)
    t = np.linspace(0, 1, 101)
    flips = sensitivity.set_index("criterion")
    lo = float(matrix.min().min()) - 0.2
    hi = float(matrix.max().max()) + 0.2
    for ax, c in zip(axes.flat, criteria):
        lines = scores_at(matrix, weights, c, t)
        for k, option in enumerate(order):
            ax.plot(t * 100, lines[option], color=palette[k % len(palette)], linewidth=2.2 if k == 0 else 1.3,
                    label=names.get(option, option), zorder=3 if k == 0 else 2)
        ax.axvline(weights[c] * 100, color=MUTED, linestyle=":", linewidth=1.2)
        row = flips.loc[c] if c in flips.index else None
        if row is not None and not row["robust"]:
            y = scores_at(matrix, weights, c, np.array([row["flip_weight"]])).iloc[0][order[0]]
            ax.scatter([row["flip_weight"] * 100], [y], s=70, facecolors="none", edgecolors=INK, linewidths=1.4, zorder=4)
        ax.set_title(_wrap(criterion_names.get(c, c), 26), fontsize=9)
        ax.set_xlim(0, 100)
        ax.set_ylim(lo, hi)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xlabel("weight (%)", fontsize=8)
    for ax in axes.flat[len(criteria):]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel("weighted score")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False, bbox_to_anchor=(0.5, -0.01))
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def chart_candidates(scored: pd.DataFrame, approve_score: float, decline_score: float) -> plt.Figure:
    """Weighted score of every candidate, coloured by gate; hatched when it overlaps a current partner."""
    data = scored.dropna(subset=["weighted_score"]).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.6, 0.34 * len(data) + 1.3))
    y = np.arange(len(data))
    colors = [GATE_COLORS.get(g, MUTED) for g in data["gate"]]
    hatches = ["////" if o else "" for o in data["overlap"]]
    bars = ax.barh(y, data["weighted_score"] - 1, left=1, color=colors, edgecolor="white", height=0.7)
    for bar, hatch in zip(bars, hatches):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor(INK)
            bar.set_linewidth(0)
    for yi, (_, row) in zip(y, data.iterrows()):
        note = f"{row['weighted_score']:.2f}"
        if row["overlap"]:
            first = str(row["overlaps_with"]).split(";")[0]
            note += f"  {row['overlap']}: {first}" + (" +" if ";" in str(row["overlaps_with"]) else "")
        ax.text(row["weighted_score"] + 0.04, yi, note, va="center", fontsize=7.5, color=INK)
    ax.axvline(approve_score, color=GATE_COLORS["approve"], linestyle="--", linewidth=1.2)
    ax.axvline(decline_score, color=GATE_COLORS["decline"], linestyle="--", linewidth=1.2)
    ax.set_yticks(y)
    ax.set_yticklabels([_wrap(f"{n} ({i})", 44) for n, i in zip(data["candidate_name"], data["candidate_id"])], fontsize=8)
    ax.set_xlim(1, 6.3)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel("weighted score (1-5)")
    ax.grid(axis="y", visible=False)
    legend = [Patch(color=GATE_COLORS[g], label=g) for g in ("approve", "review", "decline")]
    legend.append(Patch(facecolor="white", edgecolor=INK, hatch="////", label="overlaps a current partner"))
    ax.legend(handles=legend, loc="lower right", frameon=True, framealpha=0.95, fontsize=7.5)
    fig.tight_layout()
    return fig


def _box(ax, x, y, text, color, width=2 * 0.75, height=0.62, fill="#FFFFFF", style="round,pad=0.02,rounding_size=0.08"):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle=style,
                                facecolor=fill, edgecolor=color, linewidth=1.4, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=7.6, color=INK, zorder=4, linespacing=1.3)


def _arrow(ax, start, end, label="", dashed=False, label_xy=None):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=MUTED, linewidth=1.2,
                                 linestyle=(0, (4, 3)) if dashed else "-", shrinkA=1, shrinkB=1, zorder=2))
    if label:
        x, y = label_xy or ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        ax.text(x, y, label, ha="center", va="center", fontsize=7.6, color=MUTED, style="italic", zorder=5)


def _weeks(stage: Stage) -> str:
    if stage.weeks_min == stage.weeks_max:
        return f"{stage.weeks_min:g} week{'s' if stage.weeks_min != 1 else ''}"
    return f"{stage.weeks_min:g}-{stage.weeks_max:g} weeks"


#: Column (x position) of each stage in the workflow figure; the gate sits at :data:`_GATE_X`.
_COLUMNS = {"Proposal": 0.0, "Qualification": 1.7, "Business case": 5.2, "Legal review": 6.9, "Approval": 8.6,
            "Launch": 10.3}
_GATE_X = 3.35
_HALF_W, _HALF_H = 0.75, 0.31


def chart_workflow(stages: tuple[Stage, ...] = WORKFLOW, review: Stage = REVIEW_STAGE,
                   palette: Sequence[str] = ("#0B3D91",)) -> plt.Figure:
    """The approval workflow as swimlanes: one lane per owner, stages left to right, the gate's three exits.

    Expects the stages Proposal, Qualification, Business case, Legal review, Approval, Launch
    (:data:`~alliancekit.strategy_assessment.formation.WORKFLOW`); the gate follows Qualification.
    """
    by_name = {s.name: s for s in stages}
    lanes = list(dict.fromkeys([s.owner for s in stages[:2]] + [review.owner] + [s.owner for s in stages[2:]]))
    lane_y = {owner: len(lanes) - 1 - i for i, owner in enumerate(lanes)}
    fig, ax = plt.subplots(figsize=(8.2, 0.66 * len(lanes) + 0.9))
    brand = palette[0]
    left, right = -2.05, 11.15
    for owner, y in lane_y.items():
        ax.add_patch(plt.Rectangle((left, y - 0.5), right - left, 1.0, facecolor="#F5F7FA" if y % 2 else "#FFFFFF",
                                   edgecolor="#E6E9EF", linewidth=0.8, zorder=0))
        ax.text(left + 0.08, y, _wrap(owner, 12), ha="left", va="center", fontsize=8, fontweight="bold", color=brand,
                linespacing=1.2)
    pos = {}
    for i, s in enumerate(stages):
        x, y = _COLUMNS.get(s.name, 12.0 + i), lane_y[s.owner]
        pos[s.name] = (x, y)
        _box(ax, x, y, f"{s.name}\n{_weeks(s)}", brand)
    gx, gy = _GATE_X, lane_y[by_name["Qualification"].owner]
    ax.add_patch(Polygon([(gx - 0.42, gy), (gx, gy + 0.34), (gx + 0.42, gy), (gx, gy - 0.34)], closed=True,
                         facecolor="#FFFFFF", edgecolor=brand, linewidth=1.4, zorder=3))
    ax.text(gx, gy, "Gate", ha="center", va="center", fontsize=8, fontweight="bold", color=INK, zorder=4)
    ry = lane_y[review.owner]
    _box(ax, gx, ry, f"{review.name}\n{_weeks(review)}", GATE_COLORS["review"])
    dy = lane_y[by_name["Proposal"].owner]
    _box(ax, gx, dy, "Declined:\nreason recorded", GATE_COLORS["decline"], fill="#FBF1F0")
    (px, py), (qx, qy) = pos["Proposal"], pos["Qualification"]
    bx, by = pos["Business case"]
    _arrow(ax, (px + 0.3, py - _HALF_H), (qx - 0.3, qy + _HALF_H))
    _arrow(ax, (qx + _HALF_W, qy), (gx - 0.42, gy))
    _arrow(ax, (gx, gy + 0.34), (gx, dy - _HALF_H), "decline", label_xy=(gx + 0.42, (gy + dy) / 2))
    _arrow(ax, (gx, gy - 0.34), (gx, ry + _HALF_H), "review", label_xy=(gx + 0.38, (gy + ry) / 2 + 0.02))
    _arrow(ax, (gx + 0.42, gy), (bx - 0.25, by + _HALF_H), "approve", label_xy=(gx + 0.95, gy + 0.1))
    _arrow(ax, (gx + _HALF_W, ry - 0.12), (bx - _HALF_W, by - 0.12), "resolved", label_xy=((gx + bx) / 2, ry - 0.36))
    order = [s.name for s in stages]
    for a, b in zip(order[2:], order[3:]):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        _arrow(ax, (x1 + 0.3, y1 - _HALF_H), (x2 - 0.3, y2 + _HALF_H))
    low, high = time_to_approval(stages)
    ax.text(right, -0.78, f"Proposal to approval: {low:g}-{high:g} weeks; legal review varies most.",
            ha="right", va="center", fontsize=8, color=MUTED)
    ax.set_xlim(left - 0.05, right + 0.05)
    ax.set_ylim(-1.0, len(lanes) - 0.45)
    ax.axis("off")
    fig.tight_layout()
    return fig
