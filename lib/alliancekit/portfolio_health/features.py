"""Health features: one row of comparable evidence per partner (step 1 of the review)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import vocabulary
from ..months import month_label, month_numbers
from ._shared import _is_numeric, _pct_rank

#: Leading-activity columns of partner_metrics that make up :func:`health_features`' ``activity``.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "pipeline_created", "deal_registrations", "joint_accounts_nominated", "proposals_submitted",
    "certifications", "enablement_sessions", "joint_campaigns",
)
MDF_COLUMNS = ("mdf_allocated", "mdf_spent")
#: Columns counted as joint activities (:func:`health_features`' ``joint_activities_per_month``):
#: the things the two companies do together, each a count per month. Not ``pipeline_created``
#: (an amount) nor ``certifications`` (often reported as a running total): both still count in
#: the rank-scaled ``activity`` of the health score.
JOINT_ACTIVITY_COLUMNS: tuple[str, ...] = (
    "deal_registrations", "joint_accounts_nominated", "proposals_submitted", "joint_campaigns", "enablement_sessions",
)

#: Months in the trailing window (TTM) and in the comparison window before it.
WINDOW = 12
#: Macro factors as reports name them (others: the column's words).
MACRO_NAMES: dict[str, str] = {"it_spend_growth": "IT spend growth", "gdp_growth": "GDP growth"}


def macro_name(column: str) -> str:
    """A ``macro_<factor>`` feature (or the factor itself) as a report names it: 'IT spend growth'."""
    factor = column[len("macro_"):] if column.startswith("macro_") else column
    return MACRO_NAMES.get(factor, factor.replace("_", " "))

#: Fewest months of history in a window for growth (previous window) and trend (current window).
MIN_MONTHS = 6
#: Offset of the log-linear trend fit, as a share of the partner's mean monthly revenue: keeps
#: months with zero revenue in the fit without letting them dominate it, and is scale-free.
TREND_OFFSET = 0.10


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


def health_features(partners: pd.DataFrame, metrics: pd.DataFrame, opportunities: pd.DataFrame | None,
                    macro: pd.DataFrame | None = None, as_of: str | None = None) -> pd.DataFrame:
    """One row of health features per partner (index ``partner_id``, every partner, in partner order).

    Why: the annual review compares every alliance on the same evidence (revenue,
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
    - ``revenue_per_month``: ``revenue_ttm`` over the months of the current window in the
      alliance's history (its own level, whatever the rest of the portfolio does).
    - ``revenue_trend``: slope of a least-squares fit of ``log(revenue + 0.1 x mean)`` over the
      current window's months, as a fraction per month (0.02 = +2 % a month; negative revenue
      is read as 0). Missing with fewer than :data:`MIN_MONTHS` months or no revenue.
    - ``open_pipeline``: amount of open deals (no outcome and no close date) the partner is on;
      a deal with several partners is split equally between them, so nothing is counted twice.
      An open deal without an amount (not yet sized) is left out: its size is unknown, not zero.
    - ``pipeline_coverage``: ``open_pipeline / revenue_ttm`` (missing when ``revenue_ttm <= 0``).
    - ``deals_closed``, ``deals_won``: deals with a known outcome the partner took part in; a
      multi-partner deal counts once for each partner on it (it is evidence about each of them).
    - ``win_rate``: ``deals_won / deals_closed`` (missing without closed deals).

    Deal features count only the deals a partner is listed on: a direct deal (``partner_ids``
    empty) counts for no partner, so a client's export of every deal gives the same features as
    its partner deals alone. No deal feature needs the ``created`` date.
    - ``activity``: for each activity column present (:data:`ACTIVITY_COLUMNS`), the partner's
      mean monthly value over the current window is ranked across partners (0 = least, 1 = most
      active); ``activity`` is the mean of these ranks, in [0, 1]. Missing without metrics.
    - ``joint_activities_per_month``: the sum of the :data:`JOINT_ACTIVITY_COLUMNS` present over
      the current window, per month of the alliance's history in it: a raw count, not a rank, so
      it does not move when other alliances do. Missing without metrics or without those columns.
    - ``mdf_utilisation``: ``mdf_spent / mdf_allocated`` over the current window (missing when
      nothing was allocated or the columns are absent).
    - ``months_of_data``: months with a metrics row up to ``as_of`` (0 without metrics).
    - ``<column>_ttm``: the current-window sum of every other numeric metrics column (known ones
      such as ``bookings`` and unknown indicators alike), for the reader and as optional weights.
    - ``macro_<factor>``: each numeric macro factor for the partner's region and the year of
      ``as_of`` (or the region's latest earlier year); only when ``macro`` is given.

    A partner without metrics gets missing revenue, growth, trend, activity and coverage (never
    zero: the data is absent, not zero), zero counts, and deal features if it has deals.
    ``attrs`` records ``as_of``, the activity columns used, the macro year and what the windows
    rest on (:func:`window_coverage`): ``current_months`` and ``previous_months``, the months of
    each window the file covers (12 and 12 with two full years of data; with 18 months, 12 and 6:
    growth then compares the average month of the last 12 months with the average month of the 6
    before them), and ``short_previous``, the alliances whose growth rests on fewer than 12
    earlier months (their own history or the file's being shorter) with the fewest and most.
    """
    ids = pd.Index(partners["partner_id"].astype(str).to_numpy(), name="partner_id")
    n = len(ids)
    out = pd.DataFrame(index=ids)

    metric_cols = [c for c in metrics.columns if c not in ("partner_id", "month")]
    code = _codes(ids, metrics["partner_id"])
    month = month_numbers(metrics["month"])
    keep = (code >= 0) & np.isfinite(month)
    if as_of is not None:
        as_of_n = month_numbers(pd.Series([as_of]))[0]
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
        for c in ("revenue_ttm", "revenue_per_month", "revenue_prev_12m", "revenue_growth", "revenue_yoy",
                  "revenue_trend", "joint_activities_per_month"):
            out[c] = np.nan
        _add_deal_features(out, ids, opportunities, np.full(n, np.nan))
        out["activity"] = np.nan
        out["mdf_utilisation"] = np.nan
        out.attrs.update(as_of=None, activity_columns=[], joint_activity_columns=[], macro_year=None, current_months=0, previous_months=0,
                         short_previous={"partners": 0, "fewest": 0, "most": 0})
        return _order_columns(_add_macro(out, partners, macro, None))
    as_of_n = int(as_of_n)

    # History start per partner: first reported month, or an earlier start_date within the file's range.
    first = np.full(n, np.inf)
    np.minimum.at(first, code, month.astype(float))
    if "start_date" in partners:
        start = month_numbers(pd.to_datetime(partners["start_date"], errors="coerce").dt.strftime("%Y-%m"))
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
    out["revenue_per_month"] = np.where(n_cur > 0, rate_cur, np.nan)
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
    joint_cols = [c for c in JOINT_ACTIVITY_COLUMNS if c in numeric and metrics[c].notna().any()]
    if joint_cols:
        with np.errstate(invalid="ignore", divide="ignore"):
            out["joint_activities_per_month"] = np.where(has_metrics & (n_cur > 0),
                                                         sum(ttm_sum(c) for c in joint_cols) / n_cur, np.nan)
    else:
        out["joint_activities_per_month"] = np.nan
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

    out.attrs.update(as_of=month_label(as_of_n), activity_columns=activity_cols, joint_activity_columns=joint_cols,
                     **window_coverage(as_of_n, int(month.min()), n_prev, np.isfinite(growth)))
    return _order_columns(_add_macro(out, partners, macro, as_of_n // 12))


def window_coverage(as_of: int, first: int, n_prev: np.ndarray, has_growth: np.ndarray) -> dict:
    """What the two windows rest on: months of each the file covers, and the alliances whose growth
    compares with fewer than :data:`WINDOW` earlier months (count, fewest, most).

    ``as_of`` and ``first`` are month numbers (the review month, the file's first month);
    ``n_prev`` the months of each partner's history in the previous window; ``has_growth`` where
    growth was computed.
    """
    span = as_of - first + 1
    short = has_growth & (n_prev < WINDOW)
    months = n_prev[short]
    return {"current_months": int(min(WINDOW, span)), "previous_months": int(min(max(span - WINDOW, 0), WINDOW)),
            "short_previous": {"partners": int(short.sum()), "fewest": int(months.min()) if len(months) else 0,
                               "most": int(months.max()) if len(months) else 0}}


def _codes(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each value in ``ids`` (-1 when absent), looking up each distinct value once."""
    codes, uniques = pd.factorize(values)
    lookup = ids.get_indexer(pd.Index(uniques).astype(str))
    return np.where(codes >= 0, lookup[codes] if len(lookup) else -1, -1)


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
        stage = opp["stage"] if "stage" in opp else pd.Series(None, index=opp.index, dtype=object)
        is_open = ~decided & closed_blank & ~vocabulary.of(opportunities).closed(stage)
        amount = pd.to_numeric(opp["amount"], errors="coerce").fillna(0.0).to_numpy(dtype=float)  # unknown: left out
        links = opp["partner_ids"].astype("string").str.split(";").explode().str.strip()
        links = links[links.notna() & (links != "")]  # a direct deal (no partner listed) links to nobody
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
    core = ["revenue_ttm", "revenue_per_month", "revenue_prev_12m", "revenue_growth", "revenue_yoy", "revenue_trend",
            "open_pipeline", "pipeline_coverage", "deals_closed", "deals_won", "win_rate",
            "activity", "joint_activities_per_month", "mdf_utilisation", "months_of_data"]
    rest = [c for c in out.columns if c not in core]
    ordered = out[[c for c in core if c in out] + rest]
    ordered.attrs = dict(out.attrs)
    return ordered
