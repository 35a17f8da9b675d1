"""portfolio_health then and now: segment migration, health movers, exit-review candidates, alliances added and ended.

Reads each delivery's ``segments.csv`` only. Alliances are matched by ``partner_id``. The
segment names compared are the delivered ones: when this year's review was run with last year's
delivery (``previous``), segments whose profile held kept last year's names, so a migration is a
real change of behaviour, not a renaming.

The exit-review candidates are the "roach motel" list practitioners warn of (alliances that check
in but never check out): those still candidates are named with how many reviews in a row they
have been, counted on from last review's own count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.patches import PathPatch

from .. import report
from ..fmt import plural
from ..portfolio_health.actions import EXIT_REVIEW
from ..portfolio_health.previous import exit_reviews_in_a_row
from .changes import PhaseChanges, Shown, listed
from .delivery import Delivery

#: Health-score movers shown each way.
MOVERS = 10
#: ``exit_candidates.csv``'s ``status``.
STILL, NEW, RESOLVED, ENDED = "still a candidate", "new candidate", "no longer a candidate", "ended"


def migration(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Alliances in both reviews: segment, action and health then and now (``segment_migration.csv``).

    Sorted by whether the segment moved (moves first), then segment then and now, then partner_id.
    """
    before = previous.drop_duplicates("partner_id").set_index("partner_id")
    now = current.drop_duplicates("partner_id").set_index("partner_id")
    both = now.index[now.index.isin(before.index)]
    out = pd.DataFrame({
        "partner_id": both, "partner_name": now.loc[both, "partner_name"].to_numpy(),
        "segment_then": before.loc[both, "segment"].to_numpy(), "segment_now": now.loc[both, "segment"].to_numpy(),
        "action_then": before.loc[both, "action"].to_numpy(), "action_now": now.loc[both, "action"].to_numpy(),
        "health_then": pd.to_numeric(before.loc[both, "health_score"], errors="coerce").to_numpy(),
        "health_now": pd.to_numeric(now.loc[both, "health_score"], errors="coerce").to_numpy(),
    })
    out["moved"] = out["segment_then"] != out["segment_now"]
    out["health_change"] = (out["health_now"] - out["health_then"]).round(1)
    return out.sort_values(["moved", "segment_then", "segment_now", "partner_id"],
                           ascending=[False, True, True, True], kind="stable").reset_index(drop=True)


def flows(moves: pd.DataFrame) -> pd.DataFrame:
    """Alliances per (segment then, segment now), largest flows first (``segment_flows.csv``)."""
    counts = moves.groupby(["segment_then", "segment_now"], sort=True).size().rename("alliances").reset_index()
    counts["moved"] = counts["segment_then"] != counts["segment_now"]
    return counts.sort_values(["moved", "alliances", "segment_then", "segment_now"],
                              ascending=[False, False, True, True], kind="stable").reset_index(drop=True)


def exit_candidates(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Every exit-review candidate of either review, with its status and reviews in a row (``exit_candidates.csv``).

    ``status``: still a candidate, new candidate (including an alliance new this year), no longer
    a candidate (still in the portfolio), ended (no longer in the data). ``reviews_in_a_row``:
    for a candidate now, 1 + last review's count when it was a candidate then (last review's
    ``exit_reviews_in_a_row``, or 1 when that review did not count), else 1; 0 otherwise.
    """
    before = previous.drop_duplicates("partner_id").set_index("partner_id")
    now = current.drop_duplicates("partner_id").set_index("partner_id")
    then_exit = before["action"] == EXIT_REVIEW
    now_exit = now["action"] == EXIT_REVIEW
    ids = sorted(set(before.index[then_exit]) | set(now.index[now_exit]))
    streaks = dict(zip(ids, exit_reviews_in_a_row(before, ids, [bool(now_exit.get(pid, False)) for pid in ids])))
    rows = []
    for pid in ids:  # one row per candidate: tens, not the portfolio
        was, is_now, present = bool(then_exit.get(pid, False)), bool(now_exit.get(pid, False)), pid in now.index
        status = STILL if was and is_now else NEW if is_now else RESOLVED if present else ENDED
        source = now if present else before
        rows.append({"partner_id": pid, "partner_name": source.at[pid, "partner_name"], "status": status,
                     "reviews_in_a_row": int(streaks[pid]),
                     "segment_then": before.at[pid, "segment"] if pid in before.index else "",
                     "segment_now": now.at[pid, "segment"] if present else "",
                     "action_now": now.at[pid, "action"] if present else "",
                     "reason_now": now.at[pid, "reason"] if present else ""})
    order = {STILL: 0, NEW: 1, RESOLVED: 2, ENDED: 3}
    out = pd.DataFrame(rows, columns=["partner_id", "partner_name", "status", "reviews_in_a_row", "segment_then",
                                      "segment_now", "action_now", "reason_now"])
    return out.assign(_o=out["status"].map(order)).sort_values(
        ["_o", "reviews_in_a_row", "partner_id"], ascending=[True, False, True], kind="stable"
    ).drop(columns="_o").reset_index(drop=True)


def added_ended(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Alliances in one review only (``alliances_added_ended.csv``): added (now only) or ended (then only)."""
    then_ids, now_ids = set(previous["partner_id"]), set(current["partner_id"])
    added = current[~current["partner_id"].isin(then_ids)].assign(change="added")
    ended = previous[~previous["partner_id"].isin(now_ids)].assign(change="ended")
    cols = ["partner_id", "partner_name", "change", "segment", "action"]
    return pd.concat([added[cols], ended[cols]], ignore_index=True).sort_values(
        ["change", "partner_id"], kind="stable").reset_index(drop=True)


def chart_flows(flow: pd.DataFrame, palette: list[str] | None = None) -> Figure:
    """Segment flows as an alluvial chart: segments then (left) and now (right), one band per flow."""
    from ..theme import palette as kit_palette

    colors = palette or kit_palette()
    left = sorted(flow["segment_then"].unique())
    right = sorted(flow["segment_now"].unique())
    total = float(flow["alliances"].sum()) or 1.0
    gap = 0.02 * total
    fig = Figure(figsize=(7.2, max(3.2, 0.45 * max(len(left), len(right)) + 1.5)))
    ax = fig.subplots()

    def stack(names: list[str], column: str) -> dict[str, float]:
        sizes = flow.groupby(column)["alliances"].sum()
        tops, y = {}, 0.0
        for name in names:
            tops[name] = y
            y += sizes[name] + gap
        return tops

    top_l, top_r = stack(left, "segment_then"), stack(right, "segment_now")
    used_l, used_r = dict.fromkeys(left, 0.0), dict.fromkeys(right, 0.0)
    color_of = {name: colors[i % len(colors)] for i, name in enumerate(sorted(set(left) | set(right)))}
    for row in flow.sort_values(["segment_then", "segment_now"]).itertuples():  # flows: a few dozen at most
        n = float(row.alliances)
        y0 = top_l[row.segment_then] + used_l[row.segment_then]
        y1 = top_r[row.segment_now] + used_r[row.segment_now]
        used_l[row.segment_then] += n
        used_r[row.segment_now] += n
        verts = [(0.1, y0), (0.5, y0), (0.5, y1), (0.9, y1), (0.9, y1 + n), (0.5, y1 + n), (0.5, y0 + n),
                 (0.1, y0 + n), (0.1, y0)]
        codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
                 MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
        ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=color_of[row.segment_then],
                               alpha=0.35 if row.segment_then == row.segment_now else 0.7, linewidth=0))
    for names, tops, x, align, column in ((left, top_l, 0.1, "right", "segment_then"),
                                          (right, top_r, 0.9, "left", "segment_now")):
        sizes = flow.groupby(column)["alliances"].sum()
        for name in names:
            ax.add_patch(PathPatch(MplPath([(x - 0.012, tops[name]), (x + 0.012, tops[name]),
                                            (x + 0.012, tops[name] + sizes[name]), (x - 0.012, tops[name] + sizes[name]),
                                            (x - 0.012, tops[name])]), facecolor=color_of[name], linewidth=0))
            ax.text(x + (-0.02 if align == "right" else 0.02), tops[name] + sizes[name] / 2,
                    f"{name} ({int(sizes[name])})", ha=align, va="center", fontsize=8)
    bottom = max(total + gap * len(left), total + gap * len(right))
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(bottom, -4 * gap)  # first segment at the top
    ax.text(0.1, -gap * 1.5, "Last review", ha="center", va="bottom", fontsize=9, fontweight="bold")
    ax.text(0.9, -gap * 1.5, "Now", ha="center", va="bottom", fontsize=9, fontweight="bold")
    ax.axis("off")
    fig.tight_layout()
    return fig


def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """What changed in the portfolio health review (see the module docstring)."""
    then = previous.csv("portfolio_health", "segments.csv")
    now = current.csv("portfolio_health", "segments.csv")
    moves = migration(then, now)
    flow = flows(moves)
    exits = exit_candidates(then, now)
    edges = added_ended(then, now)
    summary = []

    moved = moves[moves["moved"]]
    summary.append(f"{len(moves):,} alliances are in both reviews; {len(moves) - len(moved):,} kept their segment"
                   + (f" and {len(moved):,} moved." if len(moved) else "; none moved."))
    for row in flow[flow["moved"]].itertuples():
        members = moved[(moved["segment_then"] == row.segment_then) & (moved["segment_now"] == row.segment_now)]
        summary.append(f"{plural(int(row.alliances), 'alliance')} moved from {row.segment_then} to {row.segment_now}: "
                       f"{listed(members['partner_name'])}.")
    still, new, resolved = (exits[exits["status"] == s] for s in (STILL, NEW, RESOLVED))
    n_now = int((now["action"] == EXIT_REVIEW).sum())
    summary.append(f"Exit-review candidates: {n_now:,} now, {int((then['action'] == EXIT_REVIEW).sum()):,} at the last "
                   "review.")
    if len(still):
        longest = int(still["reviews_in_a_row"].max())
        summary.append(f"{plural(len(still), 'alliance')} {'is' if len(still) == 1 else 'are'} still exit-review "
                       f"candidate{'s' if len(still) != 1 else ''}, {longest if still['reviews_in_a_row'].nunique() == 1 else f'up to {longest}'} "
                       f"reviews in a row: {listed(still['partner_name'])}. A decision is overdue: alliances that check in but "
                       "never check out hold resources the portfolio needs.")
    if len(new):
        summary.append(f"New exit-review candidates: {listed(new['partner_name'])}.")
    if len(resolved):
        summary.append(f"No longer exit-review candidates: {listed(resolved['partner_name'])}.")
    added, ended_ = edges[edges["change"] == "added"], edges[edges["change"] == "ended"]
    summary.append(f"Alliances added since the last review: {listed(added['partner_name']) if len(added) else 'none'}; "
                   f"ended: {listed(ended_['partner_name']) if len(ended_) else 'none'}.")
    actions = moves[moves["action_then"] != moves["action_now"]]
    if len(actions):
        summary.append(f"{plural(len(actions), 'alliance')} {'has' if len(actions) == 1 else 'have'} a different "
                       "recommended action from the last review.")

    ranked = moves.dropna(subset=["health_change"])
    up = ranked[ranked["health_change"] > 0].sort_values(["health_change", "partner_id"], ascending=[False, True]).head(MOVERS)
    down = ranked[ranked["health_change"] < 0].sort_values(["health_change", "partner_id"]).head(MOVERS)
    movers = pd.concat([up, down], ignore_index=True)

    matrix = pd.crosstab(moves["segment_then"], moves["segment_now"]) if len(moves) else pd.DataFrame()
    shown = []
    if len(matrix):
        shown.append(Shown("Segment migration: alliances by segment at the last review (rows) and now (columns)",
                           report.annotate(matrix.rename_axis(index="Last review", columns=None).reset_index())))
    if len(movers):
        shown.append(Shown("Largest health-score movers", report.annotate(
            movers[["partner_name", "segment_then", "segment_now", "health_then", "health_now", "health_change"]]
            .rename(columns={"partner_name": "Partner", "segment_then": "Segment then", "segment_now": "Segment now",
                             "health_then": "Score then", "health_now": "Score now", "health_change": "Change"}),
            ["The health score ranks each alliance against the rest of its portfolio (50 is the middle), so a move "
             "says how an alliance did against the others; segments and actions rest on its own figures."]),
            {"Score then": "{:.0f}", "Score now": "{:.0f}", "Change": "{:+.0f}"}))
    if len(exits):
        shown.append(Shown("Exit-review candidates then and now", report.annotate(
            exits[["partner_name", "status", "reviews_in_a_row", "segment_now", "reason_now"]].rename(columns={
                "partner_name": "Partner", "status": "Status", "reviews_in_a_row": "Reviews in a row",
                "segment_now": "Segment now", "reason_now": "Reason now"}))))
    if len(edges):
        shown.append(Shown("Alliances added and ended", edges[["partner_name", "change", "segment", "action"]].rename(
            columns={"partner_name": "Partner", "change": "Change", "segment": "Segment", "action": "Action"})))
    figures = [(chart_flows(flow), "Where the alliances of the last review are now: each band is the alliances "
                                   "that moved from one segment (left) to another (right).")] if len(flow) else []
    return PhaseChanges("portfolio_health", summary,
                        files={"segment_migration.csv": moves, "segment_flows.csv": flow,
                               "exit_candidates.csv": exits, "alliances_added_ended.csv": edges},
                        shown=shown, figures=figures)
