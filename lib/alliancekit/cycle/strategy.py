"""What changed in the strategy assessment: maturity against target, the roles' disagreement, the strategy
recommended, the candidates' gates and the value targets.

Read from each delivery's ``maturity_scores.csv``, ``strategy_options.csv``,
``candidates_scored.csv`` and ``value_targets.csv`` (strategy_assessment's result files).
Dimensions are matched by ``dimension``, options by ``option_id``, candidates by
``candidate_id``, value targets by ``parameter``.

**When a score counts as changed.** Maturity scores are means of 1-5 answers, and the
executives asked next year are not all the same people. A change is called only when it is at
least :data:`MIN_CHANGE` (a quarter point) on the 1-5 scale; smaller ones read as "about the
same". Why a quarter point: a role's score is the mean of a handful of answers (one to three
respondents of a role, about four questions a dimension), so one respondent answering one
question a level differently moves a role's score by 1/12 to 1/4 of a point, and the role gap
(highest role minus lowest) moves by up to twice that when two respondents do. Below a quarter
point a change in disagreement may be two answers, not a different view. The dimension score
(all respondents, typically a dozen or more) is steadier, but its sampling error (spread about
0.4 between respondents, so about 0.1 on the mean of 14, about 0.15 on the difference of two
surveys) still makes changes below a quarter point indistinguishable from who answered; one
threshold for both keeps the report's words consistent.

**Gap to target.** ``gap`` is target minus score (positive: below target). ``closed``: below
target then, at or above now; ``opened``: at or above then, below now; ``met``: at or above both
times; otherwise ``narrowed`` / ``widened`` when the gap moved by :data:`MIN_CHANGE` or more,
else ``unchanged``. A changed target moves the gap too; the sentences say so.

The comparison of the options is written to ``strategy_option_change.csv`` (not
``strategy_options.csv``), so that it is never mistaken for the phase's own result file when
both are open side by side.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import fmt
from ..report import annotate
from ..strategy_assessment.targets import format_target
from ..theme import palette
from .changes import PhaseChanges, Shown
from .delivery import Delivery

PHASE = "strategy_assessment"
MATURITY, OPTIONS, CANDIDATES, VALUE_TARGETS = ("maturity_scores.csv", "strategy_options.csv",
                                                "candidates_scored.csv", "value_targets.csv")

#: Smallest change of a score, a gap or a role gap (points on the 1-5 scale) called a change (module docstring).
MIN_CHANGE = 0.25
#: Dimensions named in one sentence at most (the largest changes; the table lists all).
MAX_LISTED = 5
#: The phase's default ``disagreement_threshold`` (a delivery's manifest holds the one it ran with).
DISAGREEMENT_THRESHOLD = 2.0

#: Item present in both deliveries, now only, or at the last review only.
KEPT, NEW, DROPPED = "kept", "new", "dropped"
#: ``status`` of a dimension in both questionnaires that nobody answered either time.
NOT_SCORED = "not scored"
#: ``gap_change`` of a dimension.
CLOSED, OPENED, NARROWED, WIDENED, MET, UNCHANGED = "closed", "opened", "narrowed", "widened", "met", "unchanged"
#: ``disagreement`` of a dimension (role gap).
MORE, LESS = "widened", "narrowed"
#: How a gate outcome reads in a sentence.
GATE_WORDS = {"approve": "approved", "review": "sent to review", "decline": "declined"}

MATURITY_COLUMNS = ("dimension", "name", "status", "score_then", "score_now", "change", "target_then", "target",
                    "gap_then", "gap_now", "gap_change", "role_gap_then", "role_gap_now", "disagreement",
                    "highest_role_now", "lowest_role_now", "n_then", "n_now")
OPTION_COLUMNS = ("option_id", "option", "status", "rank_then", "rank_now", "weighted_score_then",
                  "weighted_score_now", "recommended_then", "recommended_now")
CANDIDATE_COLUMNS = ("candidate_id", "candidate_name", "status", "weighted_score_then", "weighted_score_now",
                     "gate_then", "gate_now", "approved_then", "approved_now")
VALUE_COLUMNS = ("parameter", "target_name", "unit", "target_then", "target_now", "change", "status_then",
                 "status_now")

#: Colours of the figure: the last review muted, now in the brand colour, the target in ink.
MUTED, INK = "#7A869A", "#1F2733"


# -- reading ---------------------------------------------------------------------------------------

def _csv(delivery: Delivery, name: str, ids: tuple[str, ...]) -> pd.DataFrame:
    """A result CSV of the phase with its id columns kept as text (``C007`` and ``007`` stay as written)."""
    return pd.read_csv(delivery.file(PHASE, name), dtype=dict.fromkeys(ids, str), keep_default_na=False,
                       na_values=[""])


def _numbers(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        out[c] = pd.to_numeric(out[c], errors="coerce") if c in out else np.nan
    return out


def _flag(series: pd.Series) -> pd.Series:
    """A True/False column as booleans, missing as False."""
    return series.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))


def _union(a: pd.DataFrame, b: pd.DataFrame, key: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Both tables indexed by ``key`` on the same ids: the current file's order, then ids only in the previous one."""
    a, b = a.drop_duplicates(key).set_index(key), b.drop_duplicates(key).set_index(key)
    ids = list(b.index) + [i for i in a.index if i not in b.index]
    return a.reindex(ids), b.reindex(ids), ids


def _status(was: pd.Series, is_: pd.Series) -> np.ndarray:
    return np.select([~was, ~is_], [NEW, DROPPED], default=KEPT)


# -- maturity --------------------------------------------------------------------------------------

def maturity(before: pd.DataFrame, now: pd.DataFrame, min_change: float = MIN_CHANGE) -> pd.DataFrame:
    """One row per dimension of either delivery: the :data:`MATURITY_COLUMNS`, in the current questionnaire's order.

    ``status``: ``kept`` (scored both times), ``new`` (scored now only: a new dimension, or
    unanswered at the last review), ``dropped`` (scored then only) or ``not scored``.
    ``change``: score now minus then; ``gap_change`` and ``disagreement`` as the module docstring
    says (empty unless scored both times).
    """
    cols = ("score", "target", "gap", "role_gap", "n")
    a, b, ids = _union(_numbers(before, cols), _numbers(now, cols), "dimension")
    was, is_ = a["score"].notna(), b["score"].notna()
    both = was & is_
    below_then, below_now = a["gap"] > 0, b["gap"] > 0
    moved = b["gap"] - a["gap"]
    gap = np.select([~both, below_then & ~below_now, ~below_then & below_now, ~below_then & ~below_now,
                     moved <= -min_change + 1e-9, moved >= min_change - 1e-9],
                    ["", CLOSED, OPENED, MET, NARROWED, WIDENED], default=UNCHANGED)
    spread = b["role_gap"] - a["role_gap"]
    split = np.select([~(a["role_gap"].notna() & b["role_gap"].notna()), spread >= min_change - 1e-9,
                       spread <= -min_change + 1e-9], ["", MORE, LESS], default=UNCHANGED)
    names = b["name"].fillna(a["name"]) if "name" in b else pd.Series(ids, index=ids)
    out = pd.DataFrame({
        "dimension": ids, "name": names.fillna(pd.Series(ids, index=ids)).to_numpy(),
        "status": np.where(was | is_, _status(was, is_), NOT_SCORED),
        "score_then": a["score"].to_numpy(), "score_now": b["score"].to_numpy(),
        "change": (b["score"] - a["score"]).round(4).to_numpy(), "target_then": a["target"].to_numpy(),
        "target": b["target"].to_numpy(), "gap_then": a["gap"].to_numpy(), "gap_now": b["gap"].to_numpy(),
        "gap_change": gap, "role_gap_then": a["role_gap"].to_numpy(), "role_gap_now": b["role_gap"].to_numpy(),
        "disagreement": split,
        "highest_role_now": b.get("highest_role", pd.Series(index=ids, dtype=object)).to_numpy(),
        "lowest_role_now": b.get("lowest_role", pd.Series(index=ids, dtype=object)).to_numpy(),
        "n_then": a["n"].astype("Int64").to_numpy(), "n_now": b["n"].astype("Int64").to_numpy(),
    })
    return out[list(MATURITY_COLUMNS)]


def _score(value: Any) -> str:
    return fmt.plain_number(value, missing="not scored") if fmt.is_missing(value) else f"{float(value):.1f}"


def _points(value: float) -> str:
    return f"{abs(float(value)):.1f} {'point' if round(abs(float(value)), 1) == 1 else 'points'}"


def maturity_sentences(table: pd.DataFrame, threshold: float = DISAGREEMENT_THRESHOLD,
                       threshold_then: float | None = None) -> list[str]:
    """Maturity's changes in words: the overall count, gaps closed / opened / narrowed / widened, targets moved,
    disagreement widened or narrowed, and dimensions scored in one delivery only.

    ``threshold``: the role gap from which a dimension is a disagreement to resolve first (the
    current delivery's parameter); ``threshold_then`` the last review's (default: the same).
    """
    threshold_then = threshold if threshold_then is None else threshold_then
    both = table[table["status"] == KEPT]
    out = []
    up = both[both["change"] >= MIN_CHANGE - 1e-9]
    down = both[both["change"] <= -MIN_CHANGE + 1e-9]
    if len(both):
        if not len(up) and not len(down):
            out.append(f"Maturity is about the same as at the last review on all {len(both)} dimensions "
                       f"(no score moved by {MIN_CHANGE:g} points or more).")
        else:
            same = len(both) - len(up) - len(down)
            moves = [f"rose on {len(up)}"] * bool(len(up)) + [f"fell on {len(down)}"] * bool(len(down))
            rest = f"; {same} {'is' if same == 1 else 'are'} about the same" if same else ""
            out.append(f"Maturity {' and '.join(moves)} of {len(both)} dimensions since the last review (by "
                       f"{MIN_CHANGE:g} points or more){rest}.")

    def listed(rows: pd.DataFrame, what, by: pd.Series | None = None) -> str:
        """The rows in words; with ``by``, the :data:`MAX_LISTED` largest ``by`` (absolute) and how many more."""
        if by is not None:
            rows = rows.assign(_by=-by.abs(), _o=np.arange(len(rows))).sort_values(["_by", "_o"], kind="stable")
        words = [what(r) for r in rows.head(MAX_LISTED).itertuples()]
        if len(rows) > MAX_LISTED:
            words.append(f"{len(rows) - MAX_LISTED} more (in the table)")
        return fmt.join_words(words)

    closed = both[both["gap_change"] == CLOSED]
    if len(closed):
        out.append("Reached the target: " + listed(closed, lambda r: f"{r.name} ({_score(r.score_now)} now, "
                                                                      f"{_score(r.score_then)} then; target "
                                                                      f"{_score(r.target)})") + ".")
    opened = both[both["gap_change"] == OPENED]
    if len(opened):
        out.append("Below the target again: " + listed(opened, lambda r: f"{r.name} ({_score(r.score_now)} now against "
                                                                         f"{_score(r.target)}; {_score(r.score_then)} "
                                                                         "then)") + ".")
    for word in (NARROWED, WIDENED):
        rows = both[both["gap_change"] == word]
        if len(rows):
            out.append(f"The gap to target {word} on " + listed(rows, lambda r: (
                f"{r.name} ({_points(r.gap_now)} now, {_points(r.gap_then)} at the last review)"),
                rows["gap_now"] - rows["gap_then"]) + ".")
    retargeted = both[(both["target"] - both["target_then"]).abs() > 1e-9]
    if len(retargeted):
        out.append("Targets changed: " + listed(retargeted, lambda r: (
            f"{r.name} {_score(r.target)} ({_score(r.target_then)} at the last review)")) + "; the gaps of these "
            "dimensions moved with their targets.")
    for word, verb in ((MORE, "more"), (LESS, "less")):
        rows = both[both["disagreement"] == word]
        if len(rows):
            out.append(f"The executives' roles disagree {verb} than at the last review on " + listed(rows, lambda r: (
                f"{r.name} ({_points(r.role_gap_now)} between {r.highest_role_now} and {r.lowest_role_now} now, "
                f"{_points(r.role_gap_then)} then)"), rows["role_gap_now"] - rows["role_gap_then"]) + ".")
    if len(both) and not (both["disagreement"].isin((MORE, LESS))).any():
        out.append(f"The roles disagree about as much as at the last review on every dimension (no role gap moved "
                   f"by {MIN_CHANGE:g} points or more).")
    split = both[(both["role_gap_now"] >= threshold) & ~(both["role_gap_then"] >= threshold_then)]
    if len(split):
        out.append(f"Now a disagreement to resolve first (roles {threshold:g} points or more apart): "
                   f"{fmt.join_words(split['name'])}.")
    settled = both[(both["role_gap_then"] >= threshold_then) & ~(both["role_gap_now"] >= threshold)]
    if len(settled):
        out.append(f"No longer a disagreement to resolve first (roles now less than {threshold:g} points apart): "
                   f"{fmt.join_words(settled['name'])}.")
    for status, text in ((NEW, "Scored now only (a new dimension of the questionnaire, or unanswered at the last "
                               "review)"),
                         (DROPPED, "Scored at the last review only")):
        rows = table[table["status"] == status]
        if len(rows):
            out.append(f"{text}: {fmt.join_words(rows['name'])}.")
    return out


# -- strategy options ------------------------------------------------------------------------------

def options(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """One row per option of either delivery: the :data:`OPTION_COLUMNS`, by rank now (dropped ones last)."""
    a, b, ids = _union(_numbers(before, ("weighted_score", "rank")), _numbers(now, ("weighted_score", "rank")),
                       "option_id")
    was, is_ = a["option"].notna(), b["option"].notna()
    out = pd.DataFrame({
        "option_id": ids, "option": b["option"].fillna(a["option"]).to_numpy(), "status": _status(was, is_),
        "rank_then": a["rank"].astype("Int64").to_numpy(), "rank_now": b["rank"].astype("Int64").to_numpy(),
        "weighted_score_then": a["weighted_score"].to_numpy(), "weighted_score_now": b["weighted_score"].to_numpy(),
        "recommended_then": (was & _flag(a["recommended"])).to_numpy(),
        "recommended_now": (is_ & _flag(b["recommended"])).to_numpy(),
    })
    out = out.sort_values(["rank_now", "rank_then", "option_id"], na_position="last", kind="stable")
    return out.reset_index(drop=True)[list(OPTION_COLUMNS)]


def option_sentences(table: pd.DataFrame, weights_then: dict | None = None,
                     weights_now: dict | None = None) -> list[str]:
    """The recommendation then and now in words, with the weighted scores; a change of criteria weights is said."""
    then = table[table["recommended_then"]]
    now = table[table["recommended_now"]]
    if not len(now):
        return ["No strategy option is recommended now."]
    n = now.iloc[0]
    out = []
    if len(then) and then.iloc[0]["option_id"] == n["option_id"]:
        out.append(f"The recommended strategy is still {n['option']} (weighted score {n['weighted_score_now']:.2f} "
                   f"now, {n['weighted_score_then']:.2f} at the last review).")
    elif len(then):
        t = then.iloc[0]
        was_now = ("no longer an option" if fmt.is_missing(t["weighted_score_now"])
                   else f"{t['weighted_score_now']:.2f} now, rank {t['rank_now']}")
        out.append(f"The recommended strategy changed from {t['option']} to {n['option']}: {n['option']} scores "
                   f"{n['weighted_score_now']:.2f} now, {t['option']} {t['weighted_score_then']:.2f} at the last "
                   f"review ({was_now}).")
    else:
        out.append(f"The recommended strategy is {n['option']} (weighted score {n['weighted_score_now']:.2f}); no "
                   "option was recommended at the last review.")
    if weights_then and weights_now and weights_then != weights_now:
        out.append("The decision criteria were weighted differently at the last review, which moves the weighted "
                   "scores by itself.")
    return out


# -- candidates ------------------------------------------------------------------------------------

def candidates(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate of either delivery: the :data:`CANDIDATE_COLUMNS`, best score now first, ties by id."""
    a, b, ids = _union(_numbers(before, ("weighted_score",)), _numbers(now, ("weighted_score",)), "candidate_id")
    was, is_ = a["gate"].notna(), b["gate"].notna()
    out = pd.DataFrame({
        "candidate_id": ids, "candidate_name": b["candidate_name"].fillna(a["candidate_name"]).to_numpy(),
        "status": _status(was, is_), "weighted_score_then": a["weighted_score"].to_numpy(),
        "weighted_score_now": b["weighted_score"].to_numpy(), "gate_then": a["gate"].fillna("").to_numpy(),
        "gate_now": b["gate"].fillna("").to_numpy(), "approved_then": (a["gate"] == "approve").to_numpy(),
        "approved_now": (b["gate"] == "approve").to_numpy(),
    })
    out = out.sort_values(["weighted_score_now", "weighted_score_then", "candidate_id"], ascending=[False, False, True],
                          na_position="last", kind="stable")
    return out.reset_index(drop=True)[list(CANDIDATE_COLUMNS)]


def _two(value: Any) -> str:
    """A weighted score (two decimals; a dash when missing)."""
    return fmt.plain_number(value) if fmt.is_missing(value) else f"{float(value):.2f}"


def _who(rows: pd.DataFrame) -> str:
    return fmt.join_words(f"{r.candidate_name} ({r.candidate_id})" for r in rows.itertuples())


def candidate_sentences(table: pd.DataFrame) -> list[str]:
    """The candidates in words: how many each time, approved then and now, gates changed for one scored twice."""
    if not len(table):
        return []
    n_then, n_now = int((table["status"] != NEW).sum()), int((table["status"] != DROPPED).sum())
    again = table[table["status"] == KEPT]
    out = [f"{fmt.plural(n_now, 'candidate')} scored now, {n_then} at the last review"
           + (f" ({len(again)} scored both times)." if len(again) else "; none was scored both times.")]
    approved_now, approved_then = table[table["approved_now"]], table[table["approved_then"]]
    out.append(f"Approved by the gate now: {_who(approved_now) or 'none'}; at the last review: "
               f"{_who(approved_then) or 'none'}.")
    moved = again[again["gate_then"] != again["gate_now"]]
    if len(again) and not len(moved):
        out.append("Every candidate scored both times got the same gate decision as at the last review.")
    for r in moved.itertuples():
        out.append(f"{r.candidate_name} ({r.candidate_id}) was {GATE_WORDS.get(r.gate_then, r.gate_then)} at the last "
                   f"review and is {GATE_WORDS.get(r.gate_now, r.gate_now)} now (weighted score "
                   f"{_two(r.weighted_score_then)} then, {_two(r.weighted_score_now)} now).")
    return out


# -- value targets ---------------------------------------------------------------------------------

def value_targets(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """One row per value target of either delivery: the :data:`VALUE_COLUMNS`, in the current file's order."""
    a, b, ids = _union(_numbers(before, ("target",)), _numbers(now, ("target",)), "parameter")
    then = a["target"].where(a["target"] != 0)
    out = pd.DataFrame({
        "parameter": ids, "target_name": b["target_name"].fillna(a["target_name"]).to_numpy(),
        "unit": b["unit"].fillna(a["unit"]).to_numpy(), "target_then": a["target"].to_numpy(),
        "target_now": b["target"].to_numpy(), "change": (b["target"] / then - 1.0).round(4).to_numpy(),
        "status_then": a["status"].fillna("").to_numpy(), "status_now": b["status"].fillna("").to_numpy(),
    })
    return out[list(VALUE_COLUMNS)]


def value_sentences(table: pd.DataFrame) -> list[str]:
    """The value targets that changed (set, raised, lowered, back to "to be agreed"), one phrase each."""
    same = table["target_then"].fillna(0).eq(table["target_now"].fillna(0))
    moved = table[~same]
    if not len(moved):
        return ["The value targets are those of the last review."]
    parts = []
    for r in moved.itertuples():
        change = "" if fmt.is_missing(r.change) or fmt.is_missing(r.target_now) else \
            f", {fmt.signed_percent(r.change, zero='±0%')}"
        parts.append(f"{r.target_name} {format_target(r.target_now, r.unit)} "
                     f"({format_target(r.target_then, r.unit)} at the last "
                     f"review{change})")
    return ["Value targets changed: " + "; ".join(parts) + "."]


# -- the figure ------------------------------------------------------------------------------------

def chart_maturity(table: pd.DataFrame, primary: str | None = None) -> Figure:
    """Per dimension scored both times: the score at the last review (open circle), now (filled) and the target
    (a vertical bar), on the 1-5 scale; the current questionnaire's order, top to bottom. An arrow joins then
    and now where the score moved by :data:`MIN_CHANGE` or more (a change the report calls), a thin line elsewhere."""
    data = table[table["status"] == KEPT].reset_index(drop=True)
    color = primary or palette()[0]
    n = max(len(data), 1)
    fig = Figure(figsize=(7.0, 0.34 * n + 1.3))
    ax = fig.subplots()
    y = np.arange(len(data))[::-1]
    for yi, r in zip(y, data.itertuples()):
        if abs(r.change) >= MIN_CHANGE - 1e-9:  # an arrow where the report calls a change, a thin line elsewhere
            ax.annotate("", xy=(r.score_now, yi), xytext=(r.score_then, yi),
                        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.1, "shrinkA": 4, "shrinkB": 4,
                                    "mutation_scale": 9})
        else:
            ax.plot([r.score_then, r.score_now], [yi, yi], color=MUTED, linewidth=0.8, zorder=1)
    ax.scatter(data["target"], y, marker="|", s=220, linewidths=2.0, color=INK, zorder=2)
    ax.scatter(data["score_then"], y, s=42, facecolors="white", edgecolors=MUTED, linewidths=1.4, zorder=3)
    ax.scatter(data["score_now"], y, s=42, color=color, zorder=4)
    ax.set_yticks(y)
    ax.set_yticklabels(data["name"], fontsize=8.5)
    ax.set_xlim(0.8, 5.2)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_ylim(-0.7, len(data) - 0.3)
    ax.set_xlabel("Maturity score (1-5)")
    ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=MUTED,
                      label="Last review"),
               Line2D([], [], marker="o", linestyle="", color=color, label="Now"),
               Line2D([], [], marker="|", linestyle="", color=INK, markersize=11, markeredgewidth=2, label="Target")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8.5)
    fig.tight_layout()
    return fig


# -- the report's tables ---------------------------------------------------------------------------

def _one(value: Any) -> str:
    return fmt.plain_number(value) if fmt.is_missing(value) else f"{float(value):.1f}"


def _signed(value: Any) -> str:
    return fmt.signed_number(value, 1, zero="0.0")


def _shown(maturity_table: pd.DataFrame, option_table: pd.DataFrame, candidate_table: pd.DataFrame,
           value_table: pd.DataFrame) -> list[Shown]:
    m = maturity_table
    shown_m = pd.DataFrame({"Dimension": m["name"], "Score then": m["score_then"], "Score now": m["score_now"],
                            "Change": m["change"], "Target": m["target"], "Gap now": m["gap_now"],
                            "Gap to target": m["gap_change"], "Role gap then": m["role_gap_then"],
                            "Role gap now": m["role_gap_now"], "Disagreement": m["disagreement"]})
    annotate(shown_m, [f"Scores on the 1-5 scale; gap: target minus score. A gap or a role gap (highest minus lowest "
                       f"role score) is called narrowed or widened from a change of {MIN_CHANGE:g} points."])
    o = option_table
    shown_o = pd.DataFrame({"Option": o["option"], "Score then": o["weighted_score_then"],
                            "Score now": o["weighted_score_now"], "Rank then": o["rank_then"],
                            "Rank now": o["rank_now"],
                            "Recommended then": np.where(o["recommended_then"], "yes", ""),
                            "Recommended now": np.where(o["recommended_now"], "yes", "")})
    out = [Shown("Maturity per dimension at the last review and now", shown_m,
                 {h: _one for h in ("Score then", "Score now", "Target", "Gap now", "Role gap then", "Role gap now")}
                 | {"Change": _signed}),
           Shown("Portfolio strategy options at the last review and now", shown_o,
                 {"Score then": _two, "Score now": _two, "Rank then": fmt.plain_number,
                  "Rank now": fmt.plain_number})]
    if len(candidate_table):
        c = candidate_table
        shown_c = pd.DataFrame({"Candidate": c["candidate_name"], "Id": c["candidate_id"],
                                "Score then": c["weighted_score_then"], "Score now": c["weighted_score_now"],
                                "Gate then": c["gate_then"], "Gate now": c["gate_now"]})
        out.append(Shown("Candidate partners scored at the last review and now", shown_c,
                         {"Score then": _two, "Score now": _two}))
    v = value_table
    shown_v = pd.DataFrame({"Target": v["target_name"],
                            "Then": [format_target(x, u) for x, u in zip(v["target_then"], v["unit"])],
                            "Now": [format_target(x, u) for x, u in zip(v["target_now"], v["unit"])],
                            "Change": v["change"]})
    out.append(Shown("Value targets at the last review and now", shown_v,
                     {"Change": lambda x: fmt.signed_percent(x, zero="±0%")}))
    return out


# -- the phase's comparison ------------------------------------------------------------------------

def _threshold(delivery: Delivery) -> float:
    value = delivery.parameters(PHASE).get("disagreement_threshold")
    return float(value) if value is not None else DISAGREEMENT_THRESHOLD


def compare(previous: Delivery, current: Delivery) -> PhaseChanges:
    """What changed in the strategy assessment between ``previous`` and ``current`` (both deliver it)."""
    m = maturity(_csv(previous, MATURITY, ("dimension",)), _csv(current, MATURITY, ("dimension",)))
    o = options(_csv(previous, OPTIONS, ("option_id",)), _csv(current, OPTIONS, ("option_id",)))
    c = candidates(_csv(previous, CANDIDATES, ("candidate_id",)), _csv(current, CANDIDATES, ("candidate_id",)))
    v = value_targets(_csv(previous, VALUE_TARGETS, ("parameter",)), _csv(current, VALUE_TARGETS, ("parameter",)))
    maturity_said = maturity_sentences(m, _threshold(current), _threshold(previous))
    options_said = option_sentences(o, previous.parameters(PHASE).get("criteria_weights"),
                                    current.parameters(PHASE).get("criteria_weights"))
    # A changed recommendation is the news of the phase: it leads (the overview quotes the first sentences).
    changed = list(o.loc[o["recommended_then"], "option_id"]) != list(o.loc[o["recommended_now"], "option_id"])
    summary = (options_said + maturity_said if changed else maturity_said + options_said) \
        + candidate_sentences(c) + value_sentences(v)
    caption = ("Maturity per dimension at the last review (open circle) and now (filled), against the target (bar); "
               "dimensions scored both times.")
    figures = [(chart_maturity(m), caption)] if (m["status"] == KEPT).any() else []
    return PhaseChanges(PHASE, summary,
                        files={"maturity.csv": m, "strategy_option_change.csv": o, "candidate_change.csv": c,
                               "value_target_change.csv": v},
                        shown=_shown(m, o, c, v), figures=figures)
