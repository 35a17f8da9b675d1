"""The organisation chart of the recommended structure: what it holds, then how it is drawn.

:func:`org_layout` describes the chart as plain data (an executive, the alliance head, the
virtual team and two or three groups of positions with their required FTE), so it can be
tested without drawing; :func:`chart_org` draws it with matplotlib boxes and lines.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

#: Strategic partners named one by one in the chart before the rest are summarised.
MAX_NAMED_TEAMS = 6
#: A region needing less than this many FTE of field managers is covered from another region.
MIN_SPOKE_FTE = 0.5


@dataclass(frozen=True)
class Group:
    """A column of the chart: a header and the positions under it."""

    title: str
    members: list[str]
    dotted: bool = False  # a dotted-line (not a solid) relationship to the alliance head


@dataclass(frozen=True)
class OrgLayout:
    """Everything the chart shows."""

    executive: str
    head: str
    virtual_team: str
    groups: list[Group] = field(default_factory=list)
    note: str = ""


def _fte(value: float) -> str:
    return f"{value:.1f} FTE"


def _spokes(effort: pd.DataFrame, total_fte: float, prefix: str = "") -> list[str]:
    """Field positions per region (largest first), FTE in proportion to the region's hours."""
    by_region = effort["hours"].groupby(effort["region"]).sum().sort_values(ascending=False, kind="stable")
    if by_region.sum() <= 0:
        return []
    out = []
    for region, hours in by_region.items():
        fte = total_fte * hours / by_region.sum()
        if fte < MIN_SPOKE_FTE:
            out.append(f"{prefix}{region}: {_fte(fte)}\ncovered from another region")
        else:
            out.append(f"{prefix}{region}\n{_fte(fte)}")
    return out


def org_layout(structure_id: str, executive: str, required: pd.Series, titles: Mapping[str, str],
               effort: pd.DataFrame, strategic: pd.Series, role_ratios: Mapping[str, float], hours_per_fte: float,
               roles: Sequence[Mapping], functions: Sequence[str]) -> OrgLayout:
    """The chart of ``structure_id`` with the required FTE per position."""
    sizing = {r["id"]: r["sizing"] for r in roles}
    head_id = next((r for r in required.index if sizing[r] == "span"), None)
    managers = [r for r in required.index if sizing[r] == "partners"]
    specialists = [r for r in required.index if sizing[r] == "ratio"]
    partner_side = [r for r in specialists if next(x for x in roles if x["id"] == r)["workload"] == "partners"]
    function_side = [r for r in specialists if r not in partner_side]
    head = f"{titles[head_id]} ({_fte(required[head_id])})" if head_id else "Head of alliances"
    virtual = "Virtual team: " + ", ".join(functions)
    label = lambda r: f"{titles[r]}\n{_fte(required[r])}"  # noqa: E731
    hours = effort["hours"]
    am_total = sum(required[r] for r in managers)
    am_title = titles[managers[0]] if managers else "Alliance managers"

    if structure_id == "hub_and_spoke":
        spokes = _spokes(effort, am_total)
        groups = [Group("Alliance office (hub)", [label(r) for r in specialists]),
                  Group(f"Field {am_title.lower()}s (spokes)", spokes)]
        note = "Field alliance managers have a dotted line to their regional sales leader."
    elif structure_id == "embedded":
        embedded = _spokes(effort, am_total, prefix=f"{am_title}s, ")
        embedded += [label(r) for r in partner_side]
        groups = [Group("Central alliance office", [label(r) for r in function_side]),
                  Group("Embedded in sales and business units", embedded, dotted=True)]
        note = "Embedded staff report to their sales or business-unit leader, with a dotted line to the alliance head."
    elif structure_id == "strategic_teams":
        ratio = 1.0 + sum(float(role_ratios.get(r, 0.0)) for r in partner_side)
        strat = effort[strategic.reindex(effort.index).fillna(False)].sort_values("hours", ascending=False)
        teams = [f"{name}\nteam of {_fte(h * ratio / hours_per_fte)}"
                 for name, h in zip(strat["partner_name"], strat["hours"])][:MAX_NAMED_TEAMS]
        if len(strat) > MAX_NAMED_TEAMS:
            rest = strat["hours"].iloc[MAX_NAMED_TEAMS:].sum() * ratio / hours_per_fte
            teams.append(f"{len(strat) - MAX_NAMED_TEAMS} more strategic partners\n{_fte(rest)}")
        commercial = hours[~strategic.reindex(effort.index).fillna(False)].sum()
        programme = [f"{am_title}s, other partners\n{_fte(commercial / hours_per_fte)}"]
        programme += [f"{titles[r]}\n{_fte(float(role_ratios.get(r, 0.0)) * commercial / hours_per_fte)}"
                      for r in partner_side]
        programme += [label(r) for r in function_side]
        groups = [Group("Dedicated strategic partner teams", teams or ["No strategic partners"]),
                  Group("Partner programme team", programme)]
        note = "Each strategic team: an alliance manager with solutions and marketing support, and an executive sponsor."
    else:  # centralised, and any structure the library adds without a drawing of its own
        strategic_hours = hours[strategic.reindex(effort.index).fillna(False)].sum()
        total = hours.sum()
        split = [f"{am_title}s, strategic partners\n{_fte(am_total * strategic_hours / total)}",
                 f"{am_title}s, other partners\n{_fte(am_total * (total - strategic_hours) / total)}"] if total > 0 \
            else [label(r) for r in managers]
        groups = [Group("Alliance management", split),
                  Group("Marketing and solutions", [label(r) for r in partner_side]),
                  Group("Programme and operations", [label(r) for r in function_side])]
        groups = [g for g in groups if g.members]
        note = "All alliance staff report to the alliance head."
    return OrgLayout(executive=executive, head=head, virtual_team=virtual, groups=groups, note=note)


def _wrap(text: str, chars: int) -> str:
    return "\n".join(line for part in text.split("\n") for line in (textwrap.wrap(part, chars) or [""]))


def _box(ax, x: float, y: float, w: float, h: float, text: str, face: str, edge: str, color: str,
         weight: str = "normal", size: float = 8.0, dashed: bool = False, chars: int = 30) -> None:
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.06",
                                facecolor=face, edgecolor=edge, linewidth=1.0, linestyle="--" if dashed else "-"))
    ax.text(x, y, _wrap(text, chars), ha="center", va="center", fontsize=size, color=color, fontweight=weight,
            linespacing=1.25)


def chart_org(layout: OrgLayout, primary: str = "#0B3D91") -> Figure:
    """The organisation chart: executive, alliance head, virtual team, groups of positions (the note
    goes in the caption)."""
    n_groups = max(1, len(layout.groups))
    rows = max((len(g.members) for g in layout.groups), default=0)
    col_w, box_w, box_h, member_h, gap = 2.4, 2.2, 0.46, 0.46, 0.08
    member_w, indent = box_w - 0.34, 0.17
    width = max(col_w * n_groups, 7.2)
    top = 0.0
    y_exec, y_head, y_group = top, top - 0.85, top - 1.75
    bottom = y_group - box_h / 2 - rows * (member_h + gap) - 0.1
    fig = Figure(figsize=(width, top + 0.3 - bottom))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-width / 2, width / 2)
    ax.set_ylim(bottom, top + 0.3)
    ax.axis("off")
    grey, line = "#44505F", "#7A869A"
    _box(ax, 0, y_exec, 2.3, box_h, layout.executive, "#F2F4F7", grey, "#1F2733", "bold")
    _box(ax, 0, y_head, 2.4, box_h + 0.05, layout.head, primary, primary, "white", "bold", chars=28)
    ax.plot([0, 0], [y_exec - box_h / 2, y_head + box_h / 2], color=line, lw=1.0, zorder=0)
    vx = width / 2 - 1.1
    _box(ax, vx, y_head, 2.1, box_h + 0.12, layout.virtual_team, "white", grey, grey, size=7.5, dashed=True, chars=28)
    ax.plot([1.2, vx - 1.05], [y_head, y_head], color=line, lw=1.0, ls="--", zorder=0)
    xs = [(-(n_groups - 1) / 2 + i) * col_w for i in range(n_groups)]
    bus = (y_head - box_h / 2 + y_group + box_h / 2) / 2
    ax.plot([0, 0], [y_head - box_h / 2, bus], color=line, lw=1.0, zorder=0)
    if n_groups > 1:
        ax.plot([xs[0], xs[-1]], [bus, bus], color=line, lw=1.0, zorder=0)
    for x, group in zip(xs, layout.groups):
        style = "--" if group.dotted else "-"
        ax.plot([x, x], [bus, y_group + box_h / 2], color=line, lw=1.0, ls=style, zorder=0)
        _box(ax, x, y_group, box_w, box_h, group.title, "#E8EEF8", primary, "#0F1A2A", "bold", dashed=group.dotted)
        spine_x = x - box_w / 2 + 0.08
        left = x + indent - member_w / 2
        y = y_group - box_h / 2 - gap - member_h / 2
        last = y
        for member in group.members:
            _box(ax, x + indent, y, member_w, member_h, member, "white", "#B8C0CC", "#1F2733", size=7.5, chars=34)
            ax.plot([spine_x, left], [y, y], color=line, lw=0.8, zorder=0)
            last = y
            y -= member_h + gap
        if group.members:
            ax.plot([spine_x, spine_x], [y_group - box_h / 2, last], color=line, lw=0.8, zorder=0)
    return fig
