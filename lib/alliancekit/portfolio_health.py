"""Portfolio health review: the annual inspection of every alliance in the portfolio.

The review answers the question an alliance office should ask at least once a year (seed 000:
"revenue, activity levels, trends, macroeconomic factors ... to determine the health of an
alliance") for *every* alliance at once, so that weak alliances are addressed instead of
lingering ("roach motel": they check in but never check out, seed 003). The steps:

1. :func:`health_features`: one row of comparable health features per partner, computed from
   the monthly partner metrics, the opportunity records and (optionally) macro factors.
2. :func:`health_score`: each feature becomes a 0-100 sub-score by its percentile rank in the
   portfolio (robust to scale and to a few very large partners), then a weighted average.
3. :func:`segment_portfolio`: alliances that behave alike are grouped with k-means; the number
   of segments is chosen by silhouette and its stability is measured by bootstrap.
4. :func:`name_segments` and :func:`recommend_actions`: plain-language segment names and one
   action per alliance (invest, grow, fix, exit review) with the evidence behind it.
5. :func:`segments_table`, :func:`segment_profile`, :func:`exit_review_candidates` and the
   chart functions: what the report and ``segments.csv`` show.

:func:`review` runs the whole phase from validated inputs and parameters for the notebook.

Every function is pure (no I/O), deterministic (fixed seeds, stable sort orders) and
vectorised over partners, so a portfolio of 100,000 partners x 36 months takes seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from .errors import did_you_mean
from .phases import HEALTH_WEIGHTS

# ----------------------------------------------------------------------------------------------
# Definitions
# ----------------------------------------------------------------------------------------------

#: Health-score weights: the phase parameter's defaults, declared once in
#: :data:`alliancekit.phases.HEALTH_WEIGHTS` (the rationale is documented there).
DEFAULT_WEIGHTS: dict[str, float] = dict(HEALTH_WEIGHTS)

#: What each score component measures, in the client's words (report's method table).
COMPONENT_DESCRIPTIONS: dict[str, str] = {
    "revenue_ttm": "Revenue over the last 12 months (size)",
    "revenue_growth": "Revenue growth, last 12 months against the previous 12",
    "revenue_trend": "Monthly revenue trend over the last 12 months",
    "activity": "Joint activity: registrations, joint accounts, proposals, campaigns, enablement",
    "pipeline_coverage": "Open pipeline against annual revenue",
    "win_rate": "Share of closed deals won (deals the partner took part in)",
    "mdf_utilisation": "Market development funds spent against allocated",
}

#: Leading-activity columns of partner_metrics that make up :func:`health_features`' ``activity``.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "pipeline_created", "deal_registrations", "joint_accounts_nominated", "proposals_submitted",
    "certifications", "enablement_sessions", "joint_campaigns",
)
MDF_COLUMNS = ("mdf_allocated", "mdf_spent")

#: Months in the trailing window (TTM) and in the comparison window before it.
WINDOW = 12
#: Fewest months of history in a window for growth (previous window) and trend (current window).
MIN_MONTHS = 6
#: Offset of the log-linear trend fit, as a share of the partner's mean monthly revenue: keeps
#: months with zero revenue in the fit without letting them dominate it, and is scale-free.
TREND_OFFSET = 0.10

#: Components whose absence means "nothing to show" (no metrics reported): sub-score 0.
#: Every other missing component is left out and the partner's weights renormalised.
ZERO_WHEN_MISSING = frozenset({"revenue_ttm", "activity"})

#: Features the segmentation groups alliances by: size, direction and activity (the seed's "revenue,
#: activity levels, trends"). The monthly trend and the win rate are deliberately left out: on
#: small or lumpy partners a 12-month slope and a win rate over a handful of deals are mostly
#: noise, and on a planted portfolio they split the weakest partners into spurious segments
#: (silhouette then prefers 6-7 segments over the 4 planted ones). Growth over 12-month totals
#: carries the direction robustly. Both still count in the health score and in the reasons.
SEGMENT_FEATURES: tuple[str, ...] = ("revenue_ttm", "revenue_growth", "activity")

#: Pseudo-deals at the portfolio's overall win rate added to every partner's record before its
#: win rate is ranked for the score (empirical-Bayes shrinkage): one won deal out of one is weak
#: evidence and should not outrank 30 won out of 50.
WIN_RATE_PRIOR_DEALS = 5

#: Largest sample used for the silhouette (O(n^2)) and for each bootstrap refit.
SILHOUETTE_SAMPLE = 5000
BOOTSTRAP_SAMPLE = 5000
#: Threads (OpenMP and BLAS) of the k-means fits and the silhouette. One: the fits are small (a few features), the result does
#: not depend on the machine's core count, and a busy machine does not slow down 5-10x from
#: OpenMP threads spinning for a core (measured: 100,000 partners take ~5 s single-threaded
#: against 30-45 s with two threads when other work runs on the same two cores).
CLUSTER_THREADS = 1

#: Action rules (see :func:`recommend_actions`).
ACTIONS = ("invest", "grow", "fix", "exit review")
EXIT_SCORE = 25.0
FIX_SCORE = 40.0
INVEST_SCORE = 65.0
DECLINE_GROWTH = -0.10      # symmetric growth (about -10 % year on year)
DECLINE_TREND = -0.02       # -2 % a month

#: Segment naming thresholds: size against the portfolio median, growth (symmetric rate).
LARGE_RATIO = 1.5
SMALL_RATIO = 1 / 1.5
FAST_GROWTH = 0.35          # about +42 % year on year
GROWTH = 0.05               # about +5 %
DECLINE = -0.05
DORMANT_REVENUE_RATIO = 0.10
DORMANT_ACTIVITY = 0.35

MONEY_COLUMNS = ("revenue_ttm", "revenue_prev_12m", "open_pipeline")
RATIO_COLUMNS = ("revenue_growth", "revenue_yoy", "revenue_trend", "pipeline_coverage", "win_rate",
                 "activity", "mdf_utilisation")


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------

def _month_numbers(values: pd.Series) -> np.ndarray:
    """``YYYY-MM`` strings (or dates) as month counts ``year * 12 + month - 1`` (parsed once per distinct value)."""
    codes, uniques = pd.factorize(values, sort=False)
    text = pd.Series(uniques).astype(str).str.strip()
    numbers = (pd.to_numeric(text.str[:4], errors="coerce") * 12
               + pd.to_numeric(text.str[5:7], errors="coerce") - 1).to_numpy(dtype=float)
    out = np.full(len(values), np.nan)
    ok = codes >= 0
    out[ok] = numbers[codes[ok]]
    return out


def _month_label(number: float) -> str:
    number = int(number)
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _pct_rank(values: pd.Series) -> pd.Series:
    """Percentile rank in [0, 1] among the non-missing values (ties share their mean rank).

    The lowest value gets 0 and the highest 1; a single value (or all equal) gets 0.5.
    Missing values stay missing.
    """
    x = pd.to_numeric(values, errors="coerce").astype(float)
    valid = int(x.notna().sum())
    if valid <= 1:
        return pd.Series(np.where(x.notna(), 0.5, np.nan), index=x.index)
    return (x.rank(method="average") - 1.0) / (valid - 1.0)


def _sym_growth(current: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Symmetric (Davis-Haltiwanger) growth ``2 (c - p) / (|c| + |p|)``, bounded in [-2, 2].

    Unlike ``c / p - 1`` it stays finite when the base is zero (+2 = new revenue, -2 = all
    revenue lost) and treats gains and losses alike; for small changes it equals ordinary growth.
    """
    denominator = np.abs(current) + np.abs(previous)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(denominator > 0, 2.0 * (current - previous) / denominator, np.nan)
    return np.clip(g, -2.0, 2.0)


def _won_flags(series: pd.Series) -> pd.Series:
    """The ``won`` column as nullable booleans, whatever way it arrived (bool, text, empty)."""
    text = series.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    out[text.isin(["true", "1", "yes", "y", "won"]).fillna(False).to_numpy(dtype=bool)] = True
    out[text.isin(["false", "0", "no", "n", "lost"]).fillna(False).to_numpy(dtype=bool)] = False
    return out


def _blank(series: pd.Series) -> np.ndarray:
    """True where a cell is missing or empty text."""
    return (series.isna() | (series.astype("string").str.strip() == "").fillna(True)).to_numpy(dtype=bool)


def _compact(value: float, _pos: Any = None) -> str:
    """1234567 -> '1.2M', 45000 -> '45k' (axis labels)."""
    if value is None or not np.isfinite(value):
        return ""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if v >= limit:
            s = f"{v / limit:.1f}".rstrip("0").rstrip(".")
            return f"{sign}{s}{suffix}"
    return f"{sign}{v:.0f}"


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


def _default_palette(n: int, palette: Sequence[str] | None) -> list:
    import seaborn as sns  # imported here: the analysis functions need no plotting library

    if palette:
        return [palette[i % len(palette)] for i in range(n)]
    return list(sns.color_palette(n_colors=max(n, 1)))


# ----------------------------------------------------------------------------------------------
# Features
# ----------------------------------------------------------------------------------------------

def health_features(partners: pd.DataFrame, metrics: pd.DataFrame, opportunities: pd.DataFrame | None,
                    macro: pd.DataFrame | None = None, as_of: str | None = None) -> pd.DataFrame:
    """One row of health features per partner (index ``partner_id``, every partner, in partner order).

    Why: the annual review compares every alliance on the same evidence (seed 000: revenue,
    activity, trends, macro factors). All features are computed for the whole portfolio at once.

    Time: the review date ``as_of`` is the last month in ``metrics`` unless given (``YYYY-MM``).
    The current window (TTM) is the 12 months ending ``as_of``; the previous window the 12
    before. A partner's history starts at its first reported month (or its ``start_date`` when
    earlier, but not before the first month in the file). **A month missing after that start
    counts as zero** (an alliance that stops reporting does not look healthy by going silent);
    months before it are not part of the alliance's history.

    Columns:

    - ``revenue_ttm``: revenue summed over the current window.
    - ``revenue_prev_12m``: the same over the previous window (missing without history there).
    - ``revenue_growth``: symmetric growth of mean monthly revenue, current against previous
      window, ``2 (c - p) / (|c| + |p|)`` in [-2, 2] (robust to a zero base: +2 = new revenue,
      -2 = all revenue lost; about ordinary growth for moderate changes). Missing with fewer
      than :data:`MIN_MONTHS` months of history in the previous window or no revenue in both.
    - ``revenue_yoy``: ordinary year-on-year growth ``c / p - 1`` for the reader (missing when the
      previous window has no revenue or too little history).
    - ``revenue_trend``: slope of a least-squares fit of ``log(revenue + 0.1 x mean)`` over the
      current window's months, as a fraction per month (0.02 = +2 % a month; negative revenue
      is read as 0). Missing with fewer than :data:`MIN_MONTHS` months or no revenue.
    - ``open_pipeline``: amount of open deals (no outcome and no close date) the partner is on;
      a deal with several partners is split equally between them, so nothing is counted twice.
    - ``pipeline_coverage``: ``open_pipeline / revenue_ttm`` (missing when ``revenue_ttm <= 0``).
    - ``deals_closed``, ``deals_won``: deals with a known outcome the partner took part in; a
      multi-partner deal counts once for each partner on it (it is evidence about each of them).
    - ``win_rate``: ``deals_won / deals_closed`` (missing without closed deals).
    - ``activity``: for each activity column present (:data:`ACTIVITY_COLUMNS`), the partner's
      mean monthly value over the current window is ranked across partners (0 = least, 1 = most
      active); ``activity`` is the mean of these ranks, in [0, 1]. Missing without metrics.
    - ``mdf_utilisation``: ``mdf_spent / mdf_allocated`` over the current window (missing when
      nothing was allocated or the columns are absent).
    - ``months_of_data``: months with a metrics row up to ``as_of`` (0 without metrics).
    - ``<column>_ttm``: the current-window sum of every other numeric metrics column (known ones
      such as ``bookings`` and unknown indicators alike), for the reader and as optional weights.
    - ``macro_<factor>``: each numeric macro factor for the partner's region and the year of
      ``as_of`` (or the region's latest earlier year); only when ``macro`` is given.

    A partner without metrics gets missing revenue, growth, trend, activity and coverage (never
    zero: the data is absent, not zero), zero counts, and deal features if it has deals.
    ``attrs`` records ``as_of``, the activity columns used and the macro year.
    """
    ids = pd.Index(partners["partner_id"].astype(str).to_numpy(), name="partner_id")
    n = len(ids)
    out = pd.DataFrame(index=ids)

    metric_cols = [c for c in metrics.columns if c not in ("partner_id", "month")]
    code = _codes(ids, metrics["partner_id"])
    month = _month_numbers(metrics["month"])
    keep = (code >= 0) & np.isfinite(month)
    if as_of is not None:
        as_of_n = _month_numbers(pd.Series([as_of]))[0]
        if not np.isfinite(as_of_n):
            raise ValueError(f"as_of must be a month as YYYY-MM, got {as_of!r}")
        keep &= month <= as_of_n
    elif keep.any():
        as_of_n = float(month[keep].max())
    else:
        as_of_n = float("nan")
    kept = np.flatnonzero(keep)
    code, month = code[kept], month[kept].astype(np.int64)
    numeric = [c for c in metric_cols if c == "revenue" or _is_numeric(metrics[c])]

    def column(name: str, rows: np.ndarray) -> np.ndarray:
        """Values of a metrics column at the given kept rows (missing -> 0); copies only those rows."""
        return np.nan_to_num(pd.to_numeric(metrics[name], errors="coerce").to_numpy(dtype=float)[kept[rows]])

    has_metrics = np.bincount(code, minlength=n) > 0 if len(code) else np.zeros(n, dtype=bool)
    out["months_of_data"] = np.bincount(code, minlength=n).astype(np.int64) if len(code) else np.zeros(n, np.int64)

    if not np.isfinite(as_of_n):  # no usable metrics at all
        as_of_n = np.nan
        for c in ("revenue_ttm", "revenue_prev_12m", "revenue_growth", "revenue_yoy", "revenue_trend"):
            out[c] = np.nan
        _add_deal_features(out, ids, opportunities, np.full(n, np.nan))
        out["activity"] = np.nan
        out["mdf_utilisation"] = np.nan
        out.attrs.update(as_of=None, activity_columns=[], macro_year=None)
        return _order_columns(_add_macro(out, partners, macro, None))
    as_of_n = int(as_of_n)

    # History start per partner: first reported month, or an earlier start_date within the file's range.
    first = np.full(n, np.inf)
    np.minimum.at(first, code, month.astype(float))
    if "start_date" in partners:
        start = _month_numbers(pd.to_datetime(partners["start_date"], errors="coerce").dt.strftime("%Y-%m"))
        start = np.where(np.isfinite(start), np.maximum(start, month.min()), np.inf)
        first = np.where(has_metrics, np.minimum(first, start), first)

    # Dense revenue over the two windows: n x 24, zero where nothing was reported.
    span = 2 * WINDOW
    lo = as_of_n - span + 1
    in_span = month >= lo
    flat = code[in_span] * span + (month[in_span] - lo)
    revenue = np.bincount(flat, weights=column("revenue", np.flatnonzero(in_span)), minlength=n * span).reshape(n, span)
    window_months = lo + np.arange(span)
    valid = has_metrics[:, None] & (window_months[None, :] >= first[:, None])
    prev, cur = revenue[:, :WINDOW], revenue[:, WINDOW:]
    v_prev, v_cur = valid[:, :WINDOW], valid[:, WINDOW:]
    n_prev, n_cur = v_prev.sum(1), v_cur.sum(1)

    ttm = np.where(has_metrics, cur.sum(1), np.nan)
    prev_sum = np.where(n_prev > 0, prev.sum(1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate_cur = ttm / n_cur
        rate_prev = prev_sum / n_prev
    enough = n_prev >= MIN_MONTHS
    growth = np.where(enough, _sym_growth(rate_cur, rate_prev), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        yoy = np.where(enough & (rate_prev > 0), rate_cur / rate_prev - 1.0, np.nan)
    out["revenue_ttm"] = ttm
    out["revenue_prev_12m"] = prev_sum
    out["revenue_growth"] = growth
    out["revenue_yoy"] = yoy
    out["revenue_trend"] = _log_linear_trend(cur, v_cur)

    # Current-window sums of the other numeric columns.
    cur_rows = np.flatnonzero(month > as_of_n - WINDOW)
    cur_code = code[cur_rows]

    def ttm_sum(name: str) -> np.ndarray:
        return np.bincount(cur_code, weights=column(name, cur_rows), minlength=n)

    activity_cols = [c for c in ACTIVITY_COLUMNS if c in numeric and metrics[c].notna().any()]
    if activity_cols:
        with np.errstate(invalid="ignore", divide="ignore"):
            ranks = [_pct_rank(pd.Series(np.where(has_metrics, ttm_sum(c) / n_cur, np.nan))) for c in activity_cols]
        out["activity"] = pd.concat(ranks, axis=1).mean(axis=1).to_numpy()
    else:
        out["activity"] = np.nan
    if all(c in numeric for c in MDF_COLUMNS):
        allocated, spent = ttm_sum("mdf_allocated"), ttm_sum("mdf_spent")
        with np.errstate(invalid="ignore", divide="ignore"):
            out["mdf_utilisation"] = np.where(has_metrics & (allocated > 0), spent / allocated, np.nan)
    else:
        out["mdf_utilisation"] = np.nan

    _add_deal_features(out, ids, opportunities, ttm)

    extra = [c for c in numeric if c not in ("revenue", *ACTIVITY_COLUMNS, *MDF_COLUMNS)]
    for c in extra:
        out[f"{c}_ttm"] = np.where(has_metrics, ttm_sum(c), np.nan)

    out.attrs.update(as_of=_month_label(as_of_n), activity_columns=activity_cols)
    return _order_columns(_add_macro(out, partners, macro, as_of_n // 12))


def _codes(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each value in ``ids`` (-1 when absent), looking up each distinct value once."""
    codes, uniques = pd.factorize(values)
    lookup = ids.get_indexer(pd.Index(uniques).astype(str))
    return np.where(codes >= 0, lookup[codes] if len(lookup) else -1, -1)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _log_linear_trend(cur: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per row: exp(slope) - 1 of a least-squares line through log(revenue + offset) over valid months."""
    count = valid.sum(1)
    positive = np.where(valid, np.clip(cur, 0, None), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = positive.sum(1) / count
    ok = (count >= MIN_MONTHS) & (mean > 0)
    offset = np.where(ok, TREND_OFFSET * mean, 1.0)
    y = np.log(positive + offset[:, None])
    x = np.arange(cur.shape[1], dtype=float)[None, :]
    w = valid.astype(float)
    safe = np.maximum(count, 1)
    x_bar = (w * x).sum(1) / safe
    y_bar = (w * y).sum(1) / safe
    dx = x - x_bar[:, None]
    sxx = (w * dx * dx).sum(1)
    sxy = (w * dx * (y - y_bar[:, None])).sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = sxy / sxx
    return np.where(ok & (sxx > 0), np.expm1(slope), np.nan)


def _add_deal_features(out: pd.DataFrame, ids: pd.Index, opportunities: pd.DataFrame | None, ttm: np.ndarray) -> None:
    n = len(ids)
    closed_n = np.zeros(n)
    won_n = np.zeros(n)
    pipeline = np.zeros(n)
    if opportunities is not None and len(opportunities):
        opp = opportunities.reset_index(drop=True)
        won = _won_flags(opp["won"]) if "won" in opp else pd.Series(pd.NA, index=opp.index, dtype="boolean")
        closed_blank = _blank(opp["closed"]) if "closed" in opp else np.ones(len(opp), dtype=bool)
        decided = won.notna().to_numpy()
        won_true = won.fillna(False).to_numpy(dtype=bool)
        is_open = ~decided & closed_blank
        amount = pd.to_numeric(opp["amount"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        links = opp["partner_ids"].astype("string").str.split(";").explode().str.strip()
        links = links[links.notna() & (links != "")]
        pairs = pd.DataFrame({"row": links.index.to_numpy(), "code": ids.get_indexer(links.to_numpy(dtype=object))})
        pairs = pairs.drop_duplicates()
        on_deal = pairs.groupby("row")["code"].transform("size").to_numpy()  # every listed partner, known or not
        pairs = pairs.assign(on_deal=on_deal)
        pairs = pairs[pairs["code"] >= 0]
        row, pc = pairs["row"].to_numpy(), pairs["code"].to_numpy()
        closed_n = np.bincount(pc, weights=decided[row].astype(float), minlength=n)
        won_n = np.bincount(pc, weights=won_true[row].astype(float), minlength=n)
        pipeline = np.bincount(pc, weights=np.where(is_open[row], amount[row] / pairs["on_deal"].to_numpy(), 0.0), minlength=n)
    out["open_pipeline"] = pipeline
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pipeline_coverage"] = np.where(np.nan_to_num(ttm) > 0, pipeline / ttm, np.nan)
    out["deals_closed"] = closed_n.astype(np.int64)
    out["deals_won"] = won_n.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["win_rate"] = np.where(closed_n > 0, won_n / closed_n, np.nan)


def _add_macro(out: pd.DataFrame, partners: pd.DataFrame, macro: pd.DataFrame | None, year: int | None) -> pd.DataFrame:
    if macro is None or not len(macro) or "region" not in macro or "year" not in macro:
        out.attrs["macro_year"] = None
        return out
    factors = [c for c in macro.columns if c not in ("region", "year") and _is_numeric(macro[c])]
    m = macro.assign(_key=macro["region"].astype(str).str.strip().str.casefold(),
                     _year=pd.to_numeric(macro["year"], errors="coerce"))
    if year is not None:
        m = m[m["_year"] <= year]
    m = m.sort_values(["_key", "_year"], kind="stable")
    latest = m.groupby("_key", sort=True)[factors].last()
    keys = partners["region"].astype(str).str.strip().str.casefold().to_numpy()
    for f in factors:
        out[f"macro_{f}"] = latest[f].reindex(keys).to_numpy(dtype=float)
    out.attrs["macro_year"] = year
    return out


def _order_columns(out: pd.DataFrame) -> pd.DataFrame:
    core = ["revenue_ttm", "revenue_prev_12m", "revenue_growth", "revenue_yoy", "revenue_trend",
            "open_pipeline", "pipeline_coverage", "deals_closed", "deals_won", "win_rate",
            "activity", "mdf_utilisation", "months_of_data"]
    rest = [c for c in out.columns if c not in core]
    ordered = out[[c for c in core if c in out] + rest]
    ordered.attrs = dict(out.attrs)
    return ordered


# ----------------------------------------------------------------------------------------------
# Health score
# ----------------------------------------------------------------------------------------------

def valid_weight_names(features: pd.DataFrame) -> list[str]:
    """Names a weight may use: the default components plus any numeric feature column."""
    numeric = [c for c in features.columns if _is_numeric(features[c])]
    return sorted(set(DEFAULT_WEIGHTS) | set(numeric))


def resolve_weights(features: pd.DataFrame, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """``weights`` merged into :data:`DEFAULT_WEIGHTS` and renormalised to sum 1.

    Raises ``ValueError`` for an unknown name (naming the valid ones), a negative or
    non-numeric weight, or weights that are all zero. A weight on a feature other than the
    defaults (e.g. ``bookings_ttm``) means "higher is healthier".
    """
    merged = dict(DEFAULT_WEIGHTS)
    valid = valid_weight_names(features)
    unknown = [k for k in (weights or {}) if k not in valid]
    if unknown:
        hints = "; ".join(f"'{k}': {did_you_mean(k, valid)}" for k in unknown)
        raise ValueError(f"unknown health-score weight{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                         f"({hints}); valid weights: {', '.join(valid)}")
    for k, w in (weights or {}).items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise ValueError(f"health-score weight '{k}' must be a number >= 0, got {w!r}")
        merged[k] = float(w)
    total = sum(merged.values())
    if total <= 0:
        raise ValueError("health-score weights must not all be zero")
    return {k: w / total for k, w in merged.items()}  # zeros kept, so resolving twice changes nothing


def component_scores(features: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The 0-100 sub-score of each weighted component (missing where the feature is missing).

    Each component is ranked across the portfolio (percentile rank: 0 = lowest, 100 = highest,
    ties share their mean rank), so currency, scale and a few huge partners do not matter.
    MDF utilisation is capped at 100 % first (overspending is not healthier than spending all).
    The win rate is ranked after shrinking it toward the portfolio's overall rate by
    :data:`WIN_RATE_PRIOR_DEALS` pseudo-deals (when ``deals_won``/``deals_closed`` are present).
    """
    w = {k: v for k, v in resolve_weights(features, weights).items() if v > 0}
    parts = {}
    for name in w:
        x = pd.to_numeric(features[name], errors="coerce").astype(float) if name in features \
            else pd.Series(np.nan, index=features.index)
        if name == "mdf_utilisation":
            x = x.clip(upper=1.0)
        elif name == "win_rate" and {"deals_won", "deals_closed"} <= set(features.columns):
            x = _shrunk_win_rate(features).where(x.notna())
        parts[name] = _pct_rank(x) * 100.0
    return pd.DataFrame(parts, index=features.index)


def _shrunk_win_rate(features: pd.DataFrame) -> pd.Series:
    won = pd.to_numeric(features["deals_won"], errors="coerce").fillna(0.0)
    closed = pd.to_numeric(features["deals_closed"], errors="coerce").fillna(0.0)
    pooled = won.sum() / closed.sum() if closed.sum() > 0 else 0.5
    return (won + WIN_RATE_PRIOR_DEALS * pooled) / (closed + WIN_RATE_PRIOR_DEALS)


def health_score(features: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Health score 0-100 per partner: the weighted mean of the components' 0-100 sub-scores.

    Why percentile ranks: the portfolio mixes partners whose revenue differs by orders of
    magnitude; ranks make every component comparable and robust to outliers. The score is
    therefore relative: 50 is the middle of this portfolio, not an absolute standard.

    ``weights`` are merged into :data:`DEFAULT_WEIGHTS` (set one to 0 to drop a component) and
    renormalised; unknown names raise ``ValueError`` naming the valid ones.

    Missing components: ``revenue_ttm`` and ``activity`` are missing only when a partner
    reported no metrics; they then score 0 (nothing to show). Any other missing component
    (no closed deals, no MDF allocated, too little history for growth) is left out and the
    partner's remaining weights are renormalised, so a partner is judged on the evidence that
    exists. A partner with no evidence at all scores 0.
    """
    w = {k: v for k, v in resolve_weights(features, weights).items() if v > 0}
    parts = component_scores(features, w)
    for name in ZERO_WHEN_MISSING & set(parts.columns):
        parts[name] = parts[name].fillna(0.0)
    weight = pd.Series(w)
    present = parts.notna().mul(weight, axis=1)
    total = present.sum(axis=1)
    weighted = parts.fillna(0.0).mul(weight, axis=1).sum(axis=1)
    score = (weighted / total.where(total > 0)).fillna(0.0).clip(0.0, 100.0)
    return score.rename("health_score")


# ----------------------------------------------------------------------------------------------
# Segmentation
# ----------------------------------------------------------------------------------------------

@dataclass
class Segmentation:
    """The grouping of the portfolio into segments of alliances that behave alike.

    ``labels``: partner_id -> segment number (1 = healthiest segment by mean health score).
    ``k``: number of segments. ``scores``: silhouette (and inertia) per k tried, index k.
    ``centers``: the k-means centres in original units (segment rows, :data:`SEGMENT_FEATURES`
    columns). ``stability``: mean adjusted Rand index of bootstrap refits against the full fit
    (1 = identical grouping every time, 0 = chance; NaN when not measured). ``names``:
    segment number -> plain-language name. ``stability_runs``: the ARI of each refit.
    """

    labels: pd.Series
    k: int
    scores: pd.DataFrame
    centers: pd.DataFrame
    stability: float
    names: dict[int, str]
    stability_runs: list[float] = field(default_factory=list)
    features_used: tuple[str, ...] = SEGMENT_FEATURES
    seed: int = 0

    def segment_names(self) -> pd.Series:
        """partner_id -> segment name."""
        return self.labels.map(self.names).rename("segment")


def segment_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """The prepared (not yet standardised) features the segmentation uses, one row per partner.

    - ``revenue_ttm`` as ``log(1 + revenue)`` (size spans orders of magnitude; negative -> 0);
      missing (no metrics) -> 0;
    - ``revenue_growth`` as is (already bounded in [-2, 2]); missing -> 0 (read as flat);
    - ``activity`` as is ([0, 1]); missing (no metrics) -> 0 (no activity).

    See :data:`SEGMENT_FEATURES` for why trend and win rate are not among them.
    """
    def col(name: str) -> pd.Series:
        return pd.to_numeric(features[name], errors="coerce").astype(float) if name in features \
            else pd.Series(np.nan, index=features.index)

    return pd.DataFrame({
        "revenue_ttm": np.log1p(col("revenue_ttm").clip(lower=0).fillna(0.0)),
        "revenue_growth": col("revenue_growth").fillna(0.0),
        "activity": col("activity").fillna(0.0),
    }, index=features.index)


def _standardise(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = frame.to_numpy(dtype=float)
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return np.ascontiguousarray((x - mean) / sd), mean, sd


def segment_portfolio(features: pd.DataFrame, k_min: int = 2, k_max: int = 8, seed: int = 0,
                      n_bootstrap: int = 30, health: pd.Series | None = None) -> Segmentation:
    """Group the portfolio into k segments of alliances that behave alike, k chosen from the data.

    Why: the review looks for patterns across the portfolio (Bamford & Ernst), not only at
    single alliances; segments give each group one treatment.

    Method: the features of :func:`segment_matrix` are standardised (z-scores) and k-means
    (``n_init=10``, ``random_state=seed``) is fitted for each k in ``[k_min, k_max]`` (capped at
    the number of partners minus one and at the number of distinct feature rows). The silhouette (on a fixed random sample of at
    most :data:`SILHOUETTE_SAMPLE` partners, ``random_state=seed``) picks k: the highest wins;
    ties (equal to 6 decimals) go to the smaller k (fewer segments are easier to act on).

    Stability: ``n_bootstrap`` times, a bootstrap resample (of at most :data:`BOOTSTRAP_SAMPLE`
    partners, seeded) is clustered again with the chosen k; the adjusted Rand index between the
    refit and the full fit on the resampled partners is averaged.

    Segments are numbered 1..k by descending mean health score (``health``, or
    :func:`health_score` with default weights), ties by size then centre, so numbers are stable.
    A portfolio with fewer than 3 distinct partners is one segment. The fits run on
    :data:`CLUSTER_THREADS` threads.
    """
    if k_min < 2 or k_max < k_min:
        raise ValueError(f"need 2 <= k_min <= k_max, got k_min={k_min}, k_max={k_max}")
    if health is None:
        health = health_score(features)
    health = health.reindex(features.index)
    prepared = segment_matrix(features)
    x, mean, sd = _standardise(prepared)
    n = len(x)
    distinct = len(np.unique(np.round(x, 12), axis=0)) if n else 0
    upper = min(k_max, n - 1, distinct)
    ks = [k for k in range(k_min, upper + 1)]
    rows = []
    fits: dict[int, np.ndarray] = {}
    centers_z: dict[int, np.ndarray] = {}
    sample = min(n, SILHOUETTE_SAMPLE)
    for k in ks:
        with threadpool_limits(limits=CLUSTER_THREADS):
            model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)
        labels = model.labels_
        used = len(np.unique(labels))
        if used < 2:
            continue
        with threadpool_limits(limits=CLUSTER_THREADS):
            sil = silhouette_score(x, labels, sample_size=sample if sample < n else None, random_state=seed)
        rows.append({"k": k, "silhouette": float(sil), "inertia": float(model.inertia_)})
        fits[k], centers_z[k] = labels, model.cluster_centers_
    scores = pd.DataFrame(rows, columns=["k", "silhouette", "inertia"]).set_index("k")

    if scores.empty:  # too few partners to compare groupings: one segment
        labels = pd.Series(1, index=features.index, name="segment_id", dtype=np.int64)
        centers = _centers_original(x.mean(axis=0, keepdims=True) if n else np.zeros((1, x.shape[1])), mean, sd, prepared.columns)
        centers.index = pd.Index([1], name="segment_id")
        names = name_segments(features, labels, health)
        return Segmentation(labels, 1, scores, centers, float("nan"), names, [], tuple(prepared.columns), seed)

    best = scores["silhouette"].round(6)
    k = int(best[best == best.max()].index.min())
    raw = fits[k]

    # Number segments 1..k by descending mean health, then size, then centre (deterministic).
    order_frame = pd.DataFrame({"raw": np.arange(k),
                                "health": pd.Series(health.to_numpy()).groupby(raw).mean().reindex(range(k)).fillna(-1).to_numpy(),
                                "size": np.bincount(raw, minlength=k),
                                "center": [tuple(c) for c in np.round(centers_z[k], 9)]})
    order_frame = order_frame.sort_values(["health", "size", "center"], ascending=[False, False, True], kind="stable")
    mapping = np.empty(k, dtype=np.int64)
    mapping[order_frame["raw"].to_numpy()] = np.arange(1, k + 1)
    labels = pd.Series(mapping[raw], index=features.index, name="segment_id")
    centers = _centers_original(centers_z[k][order_frame["raw"].to_numpy()], mean, sd, prepared.columns)
    centers.index = pd.Index(range(1, k + 1), name="segment_id")

    runs = _bootstrap_stability(x, raw, k, seed, n_bootstrap)
    stability = float(np.mean(runs)) if runs else float("nan")
    names = name_segments(features, labels, health)
    return Segmentation(labels, k, scores, centers, stability, names, runs, tuple(prepared.columns), seed)


def _centers_original(z: np.ndarray, mean: np.ndarray, sd: np.ndarray, columns: pd.Index) -> pd.DataFrame:
    """k-means centres back in the features' units (revenue from its log scale)."""
    values = z * sd + mean
    frame = pd.DataFrame(values, columns=columns)
    frame["revenue_ttm"] = np.expm1(frame["revenue_ttm"])
    return frame


def _bootstrap_stability(x: np.ndarray, full: np.ndarray, k: int, seed: int, n_bootstrap: int) -> list[float]:
    """ARI between refits on bootstrap resamples and the full fit, on the resampled partners."""
    n = len(x)
    if n_bootstrap <= 0 or n < 3:
        return []
    rng = np.random.default_rng(seed)
    size = min(n, BOOTSTRAP_SAMPLE)
    runs = []
    for b in range(n_bootstrap):
        idx = rng.integers(0, n, size=size)
        if len(np.unique(np.round(x[idx], 12), axis=0)) < k:
            continue
        with threadpool_limits(limits=CLUSTER_THREADS):
            model = KMeans(n_clusters=k, n_init=10, random_state=seed + 1 + b).fit(x[idx])
        shared = np.unique(idx)
        runs.append(float(adjusted_rand_score(full[shared], model.predict(x[shared]))))
    return runs


def _segment_profile_raw(features: pd.DataFrame, labels: pd.Series, health: pd.Series | None) -> pd.DataFrame:
    """Per segment: the medians the names are derived from."""
    f = features.reindex(labels.index)
    frame = pd.DataFrame({
        "segment_id": labels.to_numpy(),
        "revenue": pd.to_numeric(f["revenue_ttm"], errors="coerce").fillna(0.0).clip(lower=0).to_numpy()
        if "revenue_ttm" in f else 0.0,
        "growth": pd.to_numeric(f["revenue_growth"], errors="coerce").to_numpy() if "revenue_growth" in f else np.nan,
        "activity": pd.to_numeric(f["activity"], errors="coerce").fillna(0.0).to_numpy() if "activity" in f else 0.0,
        "months": pd.to_numeric(f["months_of_data"], errors="coerce").to_numpy() if "months_of_data" in f else np.nan,
        "health": health.reindex(labels.index).to_numpy() if health is not None else np.nan,
    })
    frame["zero"] = frame["revenue"] <= 0
    prof = frame.groupby("segment_id", sort=True).agg(
        n=("revenue", "size"), revenue=("revenue", "median"), growth=("growth", "median"),
        activity=("activity", "median"), months=("months", "median"), health=("health", "mean"),
        zero_share=("zero", "mean"))
    return prof


def name_segments(features: pd.DataFrame, labels: pd.Series, scores: pd.Series | None = None) -> dict[int, str]:
    """A plain-language, unique name per segment, from where the segment sits, not from its number.

    Rules (on the segment's medians; ``scores`` = health scores, used only to order duplicates):

    - **Dormant**: median revenue at most 10 % of the portfolio median (or half the segment without
      revenue) and median activity at most 0.35.
    - **New, ramping up**: median history shorter than 12 months.
    - Otherwise size x direction. Size: *large* (median revenue >= 1.5x the portfolio median),
      *small* (<= 1/1.5 of it) or *mid-sized*. Direction from median symmetric growth:
      *growing fast* (>= 0.35, about +42 % a year), *growing* (>= 0.05), *declining* (<= -0.05),
      else *steady*. E.g. large + growing = "Strong and growing", large + steady = "Steady core",
      small + growing fast = "Small, growing fast", large + declining = "Large, declining".

    Two segments with the same name are told apart by activity ("more active" / "less active"),
    then by letters in descending health order, so names are always unique.
    """
    prof = _segment_profile_raw(features, labels, scores)
    revenue_all = pd.to_numeric(features["revenue_ttm"], errors="coerce").fillna(0.0).clip(lower=0) \
        if "revenue_ttm" in features else pd.Series(0.0, index=features.index)
    portfolio = float(revenue_all.median())
    if portfolio <= 0:
        positive = revenue_all[revenue_all > 0]
        portfolio = float(positive.median()) if len(positive) else 0.0

    grid = {
        ("large", "fast"): "Large, growing fast", ("large", "growing"): "Strong and growing",
        ("large", "steady"): "Steady core", ("large", "declining"): "Large, declining",
        ("mid", "fast"): "Growing fast", ("mid", "growing"): "Mid-sized, growing",
        ("mid", "steady"): "Mid-sized, steady", ("mid", "declining"): "Mid-sized, declining",
        ("small", "fast"): "Small, growing fast", ("small", "growing"): "Small, growing",
        ("small", "steady"): "Small and flat", ("small", "declining"): "Small, declining",
    }
    base: dict[int, str] = {}
    for seg, p in prof.iterrows():  # one iteration per segment (at most a dozen), not per partner
        ratio = p["revenue"] / portfolio if portfolio > 0 else 0.0
        if (ratio <= DORMANT_REVENUE_RATIO or p["zero_share"] >= 0.5) and p["activity"] <= DORMANT_ACTIVITY:
            base[int(seg)] = "Dormant"
            continue
        if np.isfinite(p["months"]) and p["months"] < WINDOW:
            base[int(seg)] = "New, ramping up"
            continue
        size = "large" if ratio >= LARGE_RATIO else "small" if ratio <= SMALL_RATIO else "mid"
        g = p["growth"]
        direction = ("steady" if not np.isfinite(g) else "fast" if g >= FAST_GROWTH else "growing" if g >= GROWTH
                     else "declining" if g <= DECLINE else "steady")
        base[int(seg)] = grid[(size, direction)]

    names = dict(base)
    for name in sorted(set(base.values())):
        segs = [s for s in sorted(base) if base[s] == name]
        if len(segs) < 2:
            continue
        acts = prof.loc[segs, "activity"]
        if len(segs) == 2 and acts.iloc[0] != acts.iloc[1]:
            more = int(acts.idxmax())
            for s in segs:
                names[s] = f"{name}, {'more' if s == more else 'less'} active"
        else:
            ranked = prof.loc[segs].assign(seg=segs).sort_values(["health", "seg"], ascending=[False, True])
            for i, s in enumerate(ranked["seg"]):
                names[int(s)] = f"{name} ({chr(ord('A') + i)})"
    return names


# ----------------------------------------------------------------------------------------------
# Actions
# ----------------------------------------------------------------------------------------------

def recommend_actions(features: pd.DataFrame, scores: pd.Series, labels: pd.Series,
                      names: Mapping[int, str]) -> pd.DataFrame:
    """One action per partner with a plain-English reason naming the evidence.

    Actions (first rule that applies):

    - **exit review**: no metrics reported; or no revenue in 12 months and no open pipeline; or
      in a *Dormant* segment with a score below 50; or a score below 25 without growth. An exit
      review is a structured decision (restructure, reduce to a programme-level relationship or
      end), so poor performers are addressed instead of lingering.
    - **fix**: revenue declining (symmetric growth <= -0.10, about -10 % a year, or trend <= -2 %
      a month) or a score below 40: the alliance matters enough to repair first.
    - **invest**: score >= 65 and not declining: put more behind what works.
    - **grow**: the rest: healthy enough, develop the potential.

    The reason starts with revenue (change year on year, or why none is available), then, for
    exit review and fix, the weak signals (falling trend, activity in the bottom quartile, low
    win rate, thin pipeline, unused MDF, a regional macro headwind); for invest and grow the
    strong ones. At most four clauses. Returns index ``partner_id`` with columns
    ``health_score``, ``segment_id``, ``segment``, ``action``, ``reason``.
    """
    f = features
    idx = f.index
    n = len(idx)

    def col(name: str) -> np.ndarray:
        return pd.to_numeric(f[name], errors="coerce").to_numpy(dtype=float) if name in f else np.full(n, np.nan)

    h = scores.reindex(idx).to_numpy(dtype=float)
    seg_id = labels.reindex(idx)
    seg_name = seg_id.map(dict(names)).astype(object).to_numpy()
    rev, growth, yoy, trend = col("revenue_ttm"), col("revenue_growth"), col("revenue_yoy"), col("revenue_trend")
    pipeline, coverage = col("open_pipeline"), col("pipeline_coverage")
    win, closed, won = col("win_rate"), col("deals_closed"), col("deals_won")
    mdf, months = col("mdf_utilisation"), col("months_of_data")
    act_rank = _pct_rank(pd.Series(col("activity"))).to_numpy()
    win_rank = _pct_rank(pd.Series(np.where(closed >= 3, win, np.nan))).to_numpy()
    cov_rank = _pct_rank(pd.Series(coverage)).to_numpy()

    no_metrics = np.isnan(rev)
    no_revenue = ~no_metrics & (rev <= 0)
    dormant = seg_name == "Dormant"
    not_growing = ~(growth > 0)
    declining = (growth <= DECLINE_GROWTH) | (trend <= DECLINE_TREND)
    exit_ = (no_metrics | (no_revenue & ~(pipeline > 0)) | (dormant & (h < 50))
             | ((h < EXIT_SCORE) & not_growing))
    fix = ~exit_ & (declining | (h < FIX_SCORE))
    invest = ~exit_ & ~fix & (h >= INVEST_SCORE)
    action = np.select([exit_, fix, invest], ["exit review", "fix", "invest"], default="grow").astype(object)

    # Revenue clause (always first).
    p_yoy = _percent_text(yoy).to_numpy(dtype=object)
    revenue_clause = np.select(
        [no_metrics, no_revenue & (np.nan_to_num(col("revenue_prev_12m")) > 0), no_revenue,
         yoy >= 0.005, yoy <= -0.005, np.isfinite(yoy), growth >= 2.0],
        ["no monthly metrics reported", "revenue fell to zero in the last 12 months",
         "no revenue in the last 12 months", "revenue up " + p_yoy + "% year on year",
         "revenue down " + p_yoy + "% year on year", "revenue flat year on year",
         "first revenue in the last 12 months"],
        default=np.where(months < WINDOW + MIN_MONTHS, "too new for a year-on-year comparison",
                         "no year-on-year comparison")).astype(object)
    p_trend = _percent_text(trend, 1).to_numpy(dtype=object)
    falling = np.where(trend <= -0.01, "monthly revenue falling " + p_trend + "% a month", "")
    rising = np.where(trend >= 0.01, "monthly revenue rising " + p_trend + "% a month", "")
    act_low = np.where(act_rank <= 0.25, "activity in bottom quartile", "")
    act_high = np.where(act_rank >= 0.75, "activity in top quartile", "")
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
        text = f"market headwind: {c[len('macro_'):]} " + np.char.mod("%+.3g", np.nan_to_num(v)).astype(object) + " in the region"
        headwind = np.where((headwind == "") & (v < 0), text, headwind)

    weak = _join_clauses([revenue_clause, falling, act_low, win_low, pipe_low, mdf_low, headwind], limit=4)
    strong = _join_clauses([revenue_clause, rising, act_high, win_high, pipe_high, mdf_high], limit=4)
    reason = _capitalise(np.where(np.isin(action, ["exit review", "fix"]), weak, strong))

    return pd.DataFrame({"health_score": h, "segment_id": seg_id.to_numpy(), "segment": seg_name,
                         "action": action, "reason": reason}, index=idx)


def exit_review_candidates(actions_table: pd.DataFrame) -> pd.DataFrame:
    """The alliances recommended for an exit review, named, with their reasons, worst first.

    Accepts the output of :func:`recommend_actions` (index ``partner_id``) or of
    :func:`segments_table` (column ``partner_id``). Sorted by health score (to one decimal, as
    shown) ascending, then partner_id. Keeps whichever of partner_id, partner_name, segment, health_score,
    revenue_ttm, revenue_yoy and reason are present.
    """
    t = actions_table if "partner_id" in actions_table.columns else actions_table.reset_index()
    t = t[t["action"] == "exit review"]
    t = t.assign(_key=t["health_score"].round(1))  # the score as shown, so ties sort by partner_id
    t = t.sort_values(["_key", "partner_id"], ascending=[True, True], kind="stable")
    cols = [c for c in ("partner_id", "partner_name", "segment", "health_score", "revenue_ttm", "revenue_yoy", "reason")
            if c in t.columns]
    return t[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------------

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
                   actions: pd.DataFrame) -> pd.DataFrame:
    """The content of ``segments.csv``: one row per partner.

    Columns: partner_id, partner_name, health_score (1 decimal), segment (name), action, reason,
    then every feature (money rounded to 2 decimals, ratios to 4), then segment_id. Sorted by
    health score descending, then partner_id, so two runs give the same file.
    """
    ids = features.index
    names = pd.Series(partners["partner_name"].to_numpy(), index=partners["partner_id"].astype(str).to_numpy())
    table = pd.DataFrame({
        "partner_id": ids.to_numpy(),
        "partner_name": names.reindex(ids).to_numpy(),
        "health_score": scores.reindex(ids).round(1).to_numpy(),
        "segment": seg.labels.reindex(ids).map(seg.names).to_numpy(),
        "action": actions["action"].reindex(ids).to_numpy(),
        "reason": actions["reason"].reindex(ids).to_numpy(),
    })
    feats = _rounded(features).reset_index(drop=True)
    table = pd.concat([table, feats], axis=1)
    table["segment_id"] = seg.labels.reindex(ids).to_numpy()
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
    key = ["revenue_ttm", "revenue_yoy", "revenue_trend", "activity", "win_rate", "pipeline_coverage", "mdf_utilisation"]
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


# ----------------------------------------------------------------------------------------------
# Charts
# ----------------------------------------------------------------------------------------------

#: Ordinary year-on-year changes shown on the growth axis (which uses the symmetric rate).
_GROWTH_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0, 3.0)


def _sym_from_ordinary(r: float) -> float:
    return 2.0 * r / (2.0 + r)


def _sample_rows(frame: pd.DataFrame, by: str, limit: int, seed: int = 0) -> pd.DataFrame:
    """At most ``limit`` rows, drawn evenly within each group (deterministic), for legible charts."""
    if len(frame) <= limit:
        return frame
    return frame.groupby(by, sort=True).sample(frac=limit / len(frame), random_state=seed).sort_index()


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
        ax.xaxis.set_major_formatter(FuncFormatter(_compact))
    else:
        ax.text(0.5, 0.5, "No alliance has a year-on-year comparison yet", transform=ax.transAxes,
                ha="center", va="center", fontsize=9, color="#4A5568")
        ax.set_xticks([])
    ticks = [_sym_from_ordinary(r) for r in _GROWTH_TICKS] + [2.0]
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


def chart_weakest_trends(metrics: pd.DataFrame, scores: pd.Series, n: int = 12,
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
    month_n = _month_numbers(m["month"])
    panel = pd.DataFrame({"partner_id": m["partner_id"].astype(str).to_numpy(), "month": month_n,
                          "revenue": pd.to_numeric(m["revenue"], errors="coerce").to_numpy()})
    all_months = _month_numbers(metrics["month"])
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
        ax.yaxis.set_major_formatter(FuncFormatter(_compact))
        ax.tick_params(labelsize=7)
        ax.set_ylim(bottom=0)
        ax.set_xticks([lo, hi], [_month_label(lo), _month_label(hi)] if len(all_months) else ["", ""])
    fig.suptitle(f"Monthly revenue of the {len(ids)} weakest alliances (health score in brackets)", fontsize=10.5,
                 fontweight="bold")
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------
# The phase, end to end (what the notebook calls)
# ----------------------------------------------------------------------------------------------

def _money(value: object) -> str:
    return "–" if value is None or pd.isna(value) else _compact(float(value))


def _signed_pct(value: object) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):+.0%}"


#: Report formats of the delivered columns (see :mod:`alliancekit.report`).
FORMATS: dict[str, Any] = {
    "health_score": "{:.0f}", "revenue_ttm": "{:,.0f}", "revenue_prev_12m": "{:,.0f}", "open_pipeline": "{:,.0f}",
    "revenue_yoy": _signed_pct, "revenue_growth": "{:+.2f}", "revenue_trend": "{:+.1%}", "activity": "{:.2f}",
    "win_rate": "{:.0%}", "pipeline_coverage": "{:.1f}x", "mdf_utilisation": "{:.0%}", "partners": "{:,}",
}

#: Column headings of the report's tables, in the client's language (segments.csv keeps the names).
DISPLAY_LABELS: dict[str, str] = {
    "partner_id": "Partner id", "partner_name": "Partner", "segment": "Segment", "health_score": "Score",
    "revenue_ttm": "12-mo revenue", "revenue_yoy": "Y/Y", "activity": "Activity",
    "action": "Action", "reason": "Reason", "partners": "Alliances", "actions": "Actions",
}
FORMATS.update({DISPLAY_LABELS[k]: v for k, v in list(FORMATS.items()) if k in DISPLAY_LABELS})


def _labelled(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The given columns (those present) under their client headings, index dropped."""
    shown = frame[[c for c in columns if c in frame.columns]].reset_index(drop=True)
    return shown.rename(columns=DISPLAY_LABELS)


@dataclass
class Review:
    """The results of one portfolio health review, and what the report shows of them.

    ``table`` is ``segments.csv``; ``segment_profile`` and ``exit_candidates`` are the full
    tables; ``profile`` and ``exits`` are their report versions (client headings, at most seven
    columns so they fit a portrait page; the year-on-year change of a single alliance is in its
    reason); ``names`` maps partner_id to partner name.
    """

    features: pd.DataFrame
    scores: pd.Series
    weights: dict[str, float]
    segmentation: Segmentation
    actions: pd.DataFrame
    table: pd.DataFrame
    segment_profile: pd.DataFrame
    exit_candidates: pd.DataFrame
    names: dict[str, str]
    as_of: str | None
    formats: dict[str, Any] = field(default_factory=lambda: dict(FORMATS))

    @property
    def profile(self) -> pd.DataFrame:
        """Segment profiles for the report: name, size, median score, revenue, change, activity, actions."""
        return _labelled(self.segment_profile, ["segment", "partners", "health_score", "revenue_ttm", "revenue_yoy",
                                                "activity", "actions"])

    @property
    def exits(self) -> pd.DataFrame:
        """Exit-review candidates for the report, weakest first."""
        return _labelled(self.exit_candidates, ["partner_name", "segment", "health_score", "revenue_ttm", "reason"])

    def headline_figures(self) -> list[tuple[str, str, str | None]]:
        """Key figures: alliances reviewed, revenue, segments, median health, exit-review count."""
        n = len(self.features)
        revenue = pd.to_numeric(self.features["revenue_ttm"], errors="coerce").sum()
        exits = len(self.exit_candidates)
        stab = self.segmentation.stability
        return [
            ("Alliances reviewed", f"{n:,}", f"as of {self.as_of}" if self.as_of else None),
            ("Revenue, last 12 months", _money(revenue), None),
            ("Segments", f"{self.segmentation.k}", f"stability {stab:.2f}" if np.isfinite(stab) else None),
            ("Median health score", f"{self.scores.median():.0f}", "0-100, relative to the portfolio"),
            ("Exit-review candidates", f"{exits:,}", f"{exits / n:.0%} of alliances" if n else None),
        ]

    def findings(self) -> list[str]:
        """Computed sentences for the executive summary."""
        f = self.features
        revenue = pd.to_numeric(f["revenue_ttm"], errors="coerce").fillna(0.0)
        total = revenue.sum()
        out = []
        by_seg = revenue.groupby(self.segmentation.labels.reindex(f.index)).sum()
        for s, name in sorted(self.segmentation.names.items()):
            members = self.segmentation.labels == s
            growth = pd.to_numeric(f.loc[members, "revenue_yoy"], errors="coerce").median()
            share = by_seg.get(s, 0.0) / total if total > 0 else float("nan")
            growth_text = f", median change year on year {growth:+.0%}" if np.isfinite(growth) else ""
            share_text = f" and {share:.0%} of revenue" if np.isfinite(share) else ""
            out.append(f"{name}: {int(members.sum()):,} alliances{share_text}{growth_text}.")
        counts = self.actions["action"].value_counts()
        mix = ", ".join(f"{a} {int(counts.get(a, 0)):,}" for a in ACTIONS)
        out.append(f"Recommended actions: {mix}.")
        exit_ids = self.actions.index[self.actions["action"] == "exit review"]
        if len(exit_ids) and total > 0:
            out.append(f"The {len(exit_ids):,} exit-review candidates earned {revenue.loc[exit_ids].sum() / total:.1%} "
                       "of the portfolio's revenue over the last 12 months.")
        declining = int((pd.to_numeric(f["revenue_yoy"], errors="coerce") < 0).sum())
        out.append(f"{declining:,} of {len(f):,} alliances earned less than in the previous 12 months.")
        return out

    def weights_table(self) -> pd.DataFrame:
        """Components, what they measure, and their (renormalised) weights."""
        return pd.DataFrame({"component": list(self.weights),
                             "what it measures": [COMPONENT_DESCRIPTIONS.get(k, f"{k} (higher is healthier)") for k in self.weights],
                             "weight": list(self.weights.values())})

    def stability_sentence(self) -> str:
        """The stability of the segments in words."""
        seg = self.segmentation
        if not np.isfinite(seg.stability):
            return (f"The portfolio is described by {seg.k} segment{'s' if seg.k != 1 else ''}; "
                    "it is too small to measure how stable the grouping is.")
        word = ("very stable" if seg.stability >= 0.85 else "stable" if seg.stability >= 0.75
                else "moderately stable" if seg.stability >= 0.6 else "unstable: treat the boundaries as indicative")
        return (f"Re-running the grouping on {len(seg.stability_runs)} resampled portfolios reproduced it with an "
                f"average adjusted Rand index of {seg.stability:.2f} (1 = identical): the segments are {word}.")

    def _display(self, frame: pd.DataFrame) -> pd.DataFrame:
        return _labelled(frame, ["partner_name", "segment", "health_score", "revenue_ttm", "action", "reason"])

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` healthiest alliances."""
        return self._display(self.table.head(n))

    def action_list(self) -> pd.DataFrame:
        """Every alliance with its segment, score, action and reason, healthiest first."""
        return self._display(self.table)

    def k_scores(self) -> pd.DataFrame:
        """Silhouette per number of segments, with the chosen one marked."""
        s = self.segmentation.scores.reset_index()
        return pd.DataFrame({"segments": s["k"].astype(int), "silhouette": s["silhouette"],
                             "chosen": np.where(s["k"] == self.segmentation.k, "yes", "")})

    def data_notes(self) -> list[str]:
        """What the reader should know about gaps in the data."""
        f = self.features
        notes = []
        no_metrics = int(f["revenue_ttm"].isna().sum())
        if no_metrics:
            notes.append(f"{no_metrics:,} alliances have no monthly metrics; they score 0 on revenue and activity.")
        short = int((f["revenue_ttm"].notna() & f["revenue_growth"].isna()).sum())
        if short:
            notes.append(f"{short:,} alliances lack a year-on-year comparison (less than {MIN_MONTHS} months of history "
                         "in the previous 12 months, or no revenue in either year); growth is left out of their score.")
        no_deals = int((f["deals_closed"] == 0).sum())
        if no_deals:
            notes.append(f"{no_deals:,} alliances have no closed deals; win rate is left out of their score.")
        if f["mdf_utilisation"].isna().all():
            notes.append("No MDF allocations were reported; MDF utilisation is left out of every score.")
        acts = f.attrs.get("activity_columns")
        if acts is not None and not acts:
            notes.append("No activity columns were reported; activity is left out.")
        macro = [c for c in f.columns if c.startswith("macro_")]
        if macro:
            notes.append(f"Macro factors ({', '.join(c[6:] for c in macro)}) are for each partner's region, "
                         f"year {f.attrs.get('macro_year')} or the latest earlier year.")
        return notes

    def check_summary(self) -> str:
        """A short deterministic summary for the notebook's checked output cell."""
        counts = self.actions["action"].value_counts()
        top = self.table["partner_id"].iloc[0] if len(self.table) else "-"
        return (f"partners={len(self.features)} k={self.segmentation.k} "
                f"segments={'|'.join(self.segmentation.names[s] for s in sorted(self.segmentation.names))} "
                f"actions={'|'.join(f'{a}:{int(counts.get(a, 0))}' for a in ACTIONS)} top={top}")


def review(inputs: Mapping[str, pd.DataFrame], params: Mapping[str, Any] | None = None) -> Review:
    """Run the whole review from validated inputs and the phase's parameters.

    ``inputs``: partners, partner_metrics, opportunities, and optionally macro. ``params``:
    ``weights``, ``k_min``, ``k_max``, ``n_bootstrap``, ``seed`` (others are ignored).
    """
    params = dict(params or {})
    partners = inputs["partners"]
    features = health_features(partners, inputs["partner_metrics"], inputs.get("opportunities"), inputs.get("macro"))
    weights = resolve_weights(features, params.get("weights"))
    scores = health_score(features, weights)
    seg = segment_portfolio(features, k_min=int(params.get("k_min", 2)), k_max=int(params.get("k_max", 8)),
                            seed=int(params.get("seed", 0)), n_bootstrap=int(params.get("n_bootstrap", 30)), health=scores)
    actions = recommend_actions(features, scores, seg.labels, seg.names)
    table = segments_table(partners, features, scores, seg, actions)
    profile = segment_profile(features, scores, seg, actions)
    exits = exit_review_candidates(table)
    names = dict(zip(partners["partner_id"].astype(str), partners["partner_name"].astype(str)))
    return Review(features, scores, weights, seg, actions, table, profile, exits, names, features.attrs.get("as_of"))
