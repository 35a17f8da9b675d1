"""One action per alliance with its reason, and the delivered tables (steps 4 and 5)."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..fmt import compact_number
from ._shared import _is_numeric, _pct_rank
from .features import MIN_MONTHS, WINDOW, macro_name
from .rules import Rules, resolve_rules
from .segments import Segmentation
from .declaration import DEFAULT

#: The actions, best first (see :func:`recommend_actions`).
#: The action of an alliance whose future is to be decided (no metrics, no revenue nor pipeline, or dormant).
EXIT_REVIEW = "exit review"
ACTIONS = ("invest", "grow", "fix", EXIT_REVIEW)
#: Which rule decided an action (``segments.csv``'s ``rule``), in the order they are tried.
RULES = ("no metrics", "no revenue or pipeline", "dormant", "declining", "growing and active", "steady")


def _percent_text(values: pd.Series | np.ndarray, decimals: int = 0) -> pd.Series:
    """Absolute values as percent text ('34'), vectorised; missing -> ''."""
    v = np.abs(np.asarray(values, dtype=float)) * 100
    out = np.full(len(v), "", dtype=object)
    ok = np.isfinite(v)
    if ok.any():
        out[ok] = np.char.mod(f"%.{decimals}f", v[ok]).astype(object)
    return pd.Series(out, dtype=object)


def _join_clauses(clauses: Sequence[np.ndarray], limit: int) -> np.ndarray:
    """Join per-row clauses ('' = not applicable) with '; ', keeping the first ``limit`` of each row."""
    n = len(clauses[0]) if clauses else 0
    out = np.full(n, "", dtype=object)
    used = np.zeros(n, dtype=int)
    for clause in clauses:
        clause = np.asarray(clause, dtype=object)
        take = (clause != "") & (used < limit)
        sep = np.where(used > 0, "; ", "")
        out = np.where(take, out + sep + clause, out)
        used = used + take
    return out


def _capitalise(text: np.ndarray) -> np.ndarray:
    s = pd.Series(text, dtype=object).astype(str)
    return (s.str[:1].str.upper() + s.str[1:]).to_numpy(dtype=object)


def recommend_actions(features: pd.DataFrame, scores: pd.Series, labels: pd.Series,
                      names: Mapping[int, str], rules: Rules | None = None) -> pd.DataFrame:
    """One action per partner, decided by the verdict rules on its own figures, with a reason.

    Actions (first rule that applies; :data:`RULES` names them in ``rule``):

    - **exit review**: no metrics reported; or no revenue in the last 12 months and no open
      pipeline; or *dormant* (quiet, revenue at or below the dormant level, not growing fast: see
      :class:`~.rules.Rules`). An exit review is a structured decision (restructure, reduce to a
      programme-level relationship or end), so poor performers are addressed instead of lingering.
    - **fix**: revenue declining (down at least ``decline`` a year, or a monthly trend at or
      below ``fix_trend``): the alliance matters enough to repair first.
    - **invest**: growing (at least ``growth`` a year) and active (more joint activities a
      month than the quiet threshold): put more behind what works.
    - **grow**: the rest (steady, or growing without joint work): develop the potential.

    The health score ranks the portfolio and decides none of this: an alliance's action does not
    change because other alliances changed. ``scores`` are carried into the table only.

    The reason starts with the rule's own figures for exit review (dormant: monthly revenue and
    joint activities against their thresholds), then revenue (change year on year, or why none
    is available), then, for exit review and fix, the weak signals (falling trend, few joint
    activities, low win rate, thin pipeline, unused MDF, a regional macro headwind); for invest
    and grow the strong ones. At most four clauses. Returns index ``partner_id`` with columns
    ``health_score``, ``segment_id``, ``segment``, ``action``, ``rule``, ``reason``.
    """
    f = features
    idx = f.index
    n = len(idx)
    if rules is None:
        rules = resolve_rules(f, DEFAULT.model_dump())

    def col(name: str) -> np.ndarray:
        return pd.to_numeric(f[name], errors="coerce").to_numpy(dtype=float) if name in f else np.full(n, np.nan)

    h = scores.reindex(idx).to_numpy(dtype=float)
    seg_id = labels.reindex(idx)
    seg_name = seg_id.map(dict(names)).astype(object).to_numpy()
    rev, growth, yoy, trend = col("revenue_ttm"), col("revenue_growth"), col("revenue_yoy"), col("revenue_trend")
    per_month, acts = col("revenue_per_month"), col("joint_activities_per_month")
    pipeline, coverage = col("open_pipeline"), col("pipeline_coverage")
    win, closed, won = col("win_rate"), col("deals_closed"), col("deals_won")
    mdf, months = col("mdf_utilisation"), col("months_of_data")
    win_rank = _pct_rank(pd.Series(np.where(closed >= 3, win, np.nan))).to_numpy()
    cov_rank = _pct_rank(pd.Series(coverage)).to_numpy()
    verdict = rules.verdicts(f, f.attrs.get("current_months"))
    quiet, dormant = verdict["quiet"].to_numpy(), verdict["dormant"].to_numpy()
    declining = verdict["declining"].to_numpy()
    growing = verdict["direction"].isin(["growing", "growing fast"]).to_numpy()

    no_metrics = np.isnan(rev)
    no_revenue = ~no_metrics & (rev <= 0)
    conditions = [no_metrics, no_revenue & ~(pipeline > 0), dormant, declining, growing & ~quiet]
    rule = np.select(conditions, list(RULES[:-1]), default=RULES[-1]).astype(object)
    action = pd.Series(rule).map(dict(zip(RULES, [EXIT_REVIEW] * 3 + ["fix", "invest", "grow"]))).to_numpy(dtype=object)

    has_acts = np.isfinite(acts)
    acts_text = np.char.mod("%.1f", np.nan_to_num(acts)).astype(object) + " joint activities a month"
    dormant_clause = np.full(n, "", dtype=object)  # formatted for the dormant alliances only (a few, not every row)
    dormant_clause[dormant] = [f"dormant: revenue {compact_number(v)} a month (dormant at or below "
                               f"{compact_number(rules.dormant_revenue)})" for v in per_month[dormant]]
    act_low = np.where(has_acts & quiet, acts_text + " (quiet at or below " + f"{rules.dormant_activities:g})", "")
    act_high = np.where(has_acts & ~quiet, acts_text, "")

    # Revenue clause (first, after a dormant alliance's own figures).
    p_yoy = _percent_text(yoy).to_numpy(dtype=object)
    # against a full year before, or (a short history) the months before that the data hold, per month
    earlier = np.clip(np.nan_to_num(months) - WINDOW, 0, WINDOW).astype(int)
    compared = np.where(earlier >= WINDOW, " year on year",
                        " against the " + earlier.astype(str).astype(object) + " months before (per month)")
    revenue_clause = np.select(
        [no_metrics, no_revenue & (np.nan_to_num(col("revenue_prev_12m")) > 0), no_revenue,
         yoy >= 0.005, yoy <= -0.005, np.isfinite(yoy), growth >= 2.0],
        ["no monthly metrics reported", "revenue fell to zero in the last 12 months",
         "no revenue in the last 12 months", "revenue up " + p_yoy + "%" + compared,
         "revenue down " + p_yoy + "%" + compared, "revenue flat" + compared,
         "first revenue in the last 12 months"],
        default=np.where(months < WINDOW + MIN_MONTHS, "too new for a year-on-year comparison",
                         "no year-on-year comparison")).astype(object)
    p_trend = _percent_text(trend, 1).to_numpy(dtype=object)
    falling = np.where(trend <= -0.01, "monthly revenue falling " + p_trend + "% a month", "")
    rising = np.where(trend >= 0.01, "monthly revenue rising " + p_trend + "% a month", "")
    wins = (_percent_text(win).to_numpy(dtype=object) + "% (" + pd.Series(won).fillna(0).astype(int).astype(str).to_numpy(dtype=object)
            + " of " + pd.Series(closed).fillna(0).astype(int).astype(str).to_numpy(dtype=object) + " closed deals)")
    win_low = np.where(win_rank <= 0.25, "win rate " + wins, "")
    win_high = np.where(win_rank >= 0.75, "win rate " + wins, "")
    cov_text = np.where(coverage >= 1, np.char.mod("%.1fx", np.nan_to_num(coverage)).astype(object),
                        _percent_text(coverage).to_numpy(dtype=object) + "% of")
    pipe_low = np.where(~no_metrics & ~(pipeline > 0), "no open pipeline",
                        np.where(cov_rank <= 0.25, "open pipeline " + cov_text + " annual revenue", ""))
    pipe_high = np.where((cov_rank >= 0.75) & (coverage >= 0.5), "open pipeline " + cov_text + " annual revenue", "")
    mdf_low = np.where(mdf < 0.5, "MDF " + _percent_text(mdf).to_numpy(dtype=object) + "% used", "")
    mdf_high = np.where(mdf >= 0.9, "MDF " + _percent_text(np.minimum(mdf, 9.99)).to_numpy(dtype=object) + "% used", "")
    headwind = np.full(n, "", dtype=object)
    for c in (c for c in f.columns if c.startswith("macro_")):  # one pass per macro factor, not per partner
        v = col(c)
        text = f"market headwind: {macro_name(c)} " + np.char.mod("%+.3g", np.nan_to_num(v)).astype(object) + " in the region"
        headwind = np.where((headwind == "") & (v < 0), text, headwind)

    weak = _join_clauses([dormant_clause, revenue_clause, falling, act_low, win_low, pipe_low, mdf_low, headwind], limit=4)
    strong = _join_clauses([revenue_clause, rising, act_high, win_high, pipe_high, mdf_high], limit=4)
    reason = _capitalise(np.where(np.isin(action, [EXIT_REVIEW, "fix"]), weak, strong))

    return pd.DataFrame({"health_score": h, "segment_id": seg_id.to_numpy(), "segment": seg_name,
                         "action": action, "rule": rule, "reason": reason}, index=idx)


def exit_review_candidates(actions_table: pd.DataFrame) -> pd.DataFrame:
    """The alliances recommended for an exit review, named, with their reasons, worst first.

    Accepts the output of :func:`recommend_actions` (index ``partner_id``) or of
    :func:`segments_table` (column ``partner_id``). Sorted by health score (to one decimal, as
    shown) ascending, then partner_id. Keeps whichever of partner_id, partner_name, segment, health_score,
    revenue_ttm, revenue_yoy and reason are present.
    """
    t = actions_table if "partner_id" in actions_table.columns else actions_table.reset_index()
    t = t[t["action"] == EXIT_REVIEW]
    t = t.assign(_key=t["health_score"].round(1))  # the score as shown, so ties sort by partner_id
    t = t.sort_values(["_key", "partner_id"], ascending=[True, True], kind="stable")
    cols = [c for c in ("partner_id", "partner_name", "segment", "health_score", "revenue_ttm", "revenue_yoy", "reason")
            if c in t.columns]
    return t[cols].reset_index(drop=True)


MONEY_COLUMNS = ("revenue_ttm", "revenue_per_month", "revenue_prev_12m", "open_pipeline")
RATIO_COLUMNS = ("revenue_growth", "revenue_yoy", "revenue_trend", "pipeline_coverage", "win_rate",
                 "activity", "joint_activities_per_month", "mdf_utilisation")


def _rounded(features: pd.DataFrame) -> pd.DataFrame:
    """Features rounded for delivery: money 2 decimals, ratios 4, everything else 6 significant."""
    out = features.copy()
    for c in out.columns:
        if not _is_numeric(out[c]) or pd.api.types.is_integer_dtype(out[c]):
            continue
        if c in MONEY_COLUMNS or c.endswith("_ttm"):
            out[c] = out[c].round(2)
        elif c in RATIO_COLUMNS:
            out[c] = out[c].round(4)
        else:
            out[c] = out[c].round(6)
    return out


def segments_table(partners: pd.DataFrame, features: pd.DataFrame, scores: pd.Series, seg: Segmentation,
                   actions: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """The content of ``segments.csv``: one row per partner.

    Columns: partner_id, partner_name, health_score (1 decimal), segment (name), action, reason,
    rule (:data:`RULES`: which rule decided the action), then every feature (money rounded to
    2 decimals, ratios to 4), then segment_id, the alliance's verdicts (``dormant``, ``size``,
    ``direction``: :meth:`Rules.verdicts`), ``exit_reviews_in_a_row`` (1 for an exit-review
    candidate, 0 otherwise; counted on from last review's by :func:`~.previous.compare_alliances`), the review month, where the reference level came
    from (``reference_from``) and the thresholds (:data:`~.rules.THRESHOLD_COLUMNS`, the same on
    every row), so a consultant or a later review sees why a verdict was given. Sorted by health
    score descending, then partner_id, so two runs give the same file.
    """
    if rules is None:
        rules = resolve_rules(features, DEFAULT.model_dump())
    ids = features.index
    names = pd.Series(partners["partner_name"].to_numpy(), index=partners["partner_id"].astype(str).to_numpy())
    table = pd.DataFrame({
        "partner_id": ids.to_numpy(),
        "partner_name": names.reindex(ids).to_numpy(),
        "health_score": scores.reindex(ids).round(1).to_numpy(),
        "segment": seg.labels.reindex(ids).map(seg.names).to_numpy(),
        "action": actions["action"].reindex(ids).to_numpy(),
        "reason": actions["reason"].reindex(ids).to_numpy(),
        "rule": actions["rule"].reindex(ids).to_numpy(),
    })
    feats = _rounded(features).reset_index(drop=True)
    verdicts = rules.verdicts(features, features.attrs.get("current_months"))[["dormant", "size", "direction"]]
    table = pd.concat([table, feats, pd.DataFrame({"segment_id": seg.labels.reindex(ids).to_numpy()}),
                       verdicts.reset_index(drop=True)], axis=1)
    table["exit_reviews_in_a_row"] = (table["action"] == EXIT_REVIEW).astype(np.int64)  # this review; see previous
    table["review_month"] = features.attrs.get("as_of") or ""
    table["reference_from"] = rules.reference_from
    for name, value in rules.thresholds().items():
        table[name] = value
    table = table.sort_values(["health_score", "partner_id"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def segment_profile(features: pd.DataFrame, scores: pd.Series, seg: Segmentation,
                    actions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per segment (index segment_id): name, size, medians of the key features, action mix.

    Medians, not means, so one outsized partner does not speak for its segment. ``actions``
    defaults to :func:`recommend_actions` on the same inputs. ``actions`` column: the count of
    each action in the segment, e.g. "invest 41, grow 19".
    """
    if actions is None:
        actions = recommend_actions(features, scores, seg.labels, seg.names)
    labels = seg.labels.reindex(features.index)
    key = ["revenue_ttm", "revenue_yoy", "revenue_trend", "activity", "joint_activities_per_month", "win_rate",
           "pipeline_coverage", "mdf_utilisation"]
    frame = features[[c for c in key if c in features]].apply(pd.to_numeric, errors="coerce")
    frame = frame.assign(health_score=scores.reindex(features.index), segment_id=labels.to_numpy())
    medians = frame.groupby("segment_id", sort=True).median()
    counts = labels.value_counts().sort_index()
    mix = (pd.DataFrame({"segment_id": labels.to_numpy(), "action": actions["action"].reindex(features.index).to_numpy()})
           .groupby(["segment_id", "action"]).size().unstack(fill_value=0)
           .reindex(columns=[a for a in ACTIONS], fill_value=0))
    mix_text = mix.apply(lambda r: ", ".join(f"{a} {int(r[a])}" for a in ACTIONS if r[a] > 0), axis=1)
    profile = pd.DataFrame({"segment": [seg.names.get(int(s), f"Segment {s}") for s in counts.index],
                            "partners": counts.to_numpy()}, index=pd.Index(counts.index, name="segment_id"))
    profile["health_score"] = medians["health_score"].round(1)
    for c in key:
        if c in medians:
            profile[c] = medians[c].round(2 if c == "revenue_ttm" else 4)
    profile["actions"] = mix_text.reindex(profile.index).fillna("")
    return profile
