"""Staff effectiveness: each alliance manager's portfolio results, against what its mix predicts.

Raw totals rank alliance managers by what they inherited: the manager of the three largest
partners earns most, whatever he does. The review therefore compares each manager's results
with what partners *like his* achieve elsewhere in the portfolio:

1. **Results per partner** (portfolio_health's ``segments.csv``): health score, revenue growth
   (symmetric change of the last 12 months against the 12 before, bounded -200% to +200% so
   that one tiny partner's +900% does not decide), attainment of the annual target, win rate
   (partners with at least :data:`MIN_CLOSED` closed deals), and the share of the partner's
   scorecard measures on target (metric_design's scorecard, statuses as the ecosystem report
   computes them) when the scorecard is given.
2. **Expectation from the mix**: for every manager, a ridge regression of each result on the
   partners' segment, tier and type, fitted on the partners the manager does *not* cover
   (leave one manager out: his own results cannot lower the bar he is measured against), and
   predicted for his partners. Ridge (:data:`RIDGE_ALPHA`) keeps a segment, tier or type seen
   on few partners close to the portfolio mean instead of fitting it exactly. When fewer than
   :data:`MIN_PEERS` partners of a segment are covered by others (the manager holds nearly the
   whole segment, e.g. every star), nothing outside his portfolio says what that segment
   achieves: those partners are predicted by the fit on every partner, his own included, so a
   manager who inherited all the stars is measured against what stars achieve, not against
   the rest of the portfolio.
3. **Against the mix**: actual minus expected, in standard deviations of the result across
   the portfolio, averaged over the manager's partners and the results of :data:`RANKED` available:
   ``vs_mix`` > 0 means the manager's partners do better than partners of the same
   segment, tier and type elsewhere. A manager with fewer than ``min_partners`` partners is
   reported but not ranked: one or two partners do not make a verdict.

Every function is pure and deterministic (ridge has a closed form; partners and managers are
taken in file order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..fmt import split_ids

#: Results compared, with how the report names them and their unit.
MEASURES = {"health_score": ("Health score", "points"), "growth": ("Revenue growth", "share"),
            "attainment": ("Target attainment", "share"), "win_rate": ("Win rate", "share"),
            "kpis_on_target": ("Scorecard on target", "share")}
#: The results combined into ``vs_mix``. The scorecard's status is shown against the mix too but not
#: counted: its goal is revenue against target (already counted as attainment) and its leading
#: indicators measure activity, not results, so adding it would count revenue twice.
RANKED = ("health_score", "growth", "attainment", "win_rate")
#: Closed deals a partner needs for its win rate to count.
MIN_CLOSED = 3
#: Ridge penalty of the mix model (in units of partners: a level seen on about this many partners is halfway to the mean).
RIDGE_ALPHA = 2.0
#: Role ids whose people are reviewed (staff matched to the role library).
REVIEWED_ROLES = ("alliance_manager",)
#: The characteristics of a partner that make its "mix".
MIX = ("segment", "tier", "partner_type")
#: Fewest partners of a segment outside a manager's portfolio for the leave-one-manager-out expectation.
MIN_PEERS = 3


@dataclass(frozen=True)
class ManagerReview:
    """The per-partner results and expectations, and one row per reviewed person."""

    partners: pd.DataFrame   # partner_id, staff_id, segment, tier, partner_type, revenue_ttm, each measure and its expected_
    managers: pd.DataFrame   # staff_id, name, partners, revenue_ttm, each measure (mean), expected_, vs_mix, ranks
    min_partners: int
    spread: dict[str, float]  # standard deviation of each measure across the portfolio (0: not measurable)


def partner_results(segments: pd.DataFrame, partners: pd.DataFrame, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per partner: its mix (segment, tier, type) and its results (:data:`MEASURES`).

    ``status``: the partners' scorecard statuses (one row per partner and measure, column
    ``status`` green / amber / red / no data, as :func:`alliancekit.ecosystem_reporting.partner_status`
    gives them); without it the scorecard result is left out."""
    seg = segments.assign(partner_id=segments["partner_id"].astype(str)).set_index("partner_id")
    p = partners.assign(partner_id=partners["partner_id"].astype(str)).set_index("partner_id")
    ids = p.index
    num = lambda frame, col: pd.to_numeric(frame[col], errors="coerce").reindex(ids) if col in frame else \
        pd.Series(np.nan, index=ids)  # noqa: E731
    revenue = num(seg, "revenue_ttm")
    target = num(p, "annual_target")
    closed = num(seg, "deals_closed")
    out = pd.DataFrame({
        "partner_name": p["partner_name"].astype(str),
        "segment": seg["segment"].reindex(ids).fillna("not segmented").astype(str),
        "tier": p["tier"].astype(str), "partner_type": p["partner_type"].astype(str),
        "revenue_ttm": revenue,
        "health_score": num(seg, "health_score"),
        "growth": num(seg, "revenue_growth").clip(-2.0, 2.0),
        "attainment": (revenue / target.where(target > 0)).clip(upper=3.0),
        "win_rate": num(seg, "win_rate").where(closed >= MIN_CLOSED),
        "kpis_on_target": _on_target(status, ids),
    }, index=ids)
    out.index.name = "partner_id"
    return out


def _on_target(status: pd.DataFrame | None, ids: pd.Index) -> pd.Series:
    """Per partner, the share of its scorecard measures with a status that are green (NaN: none)."""
    if status is None or status.empty:
        return pd.Series(np.nan, index=ids)
    rated = status[status["status"].isin(["green", "amber", "red"])]
    share = (rated["status"] == "green").groupby(rated["partner_id"].astype(str)).mean()
    return share.reindex(ids).astype(float)


def coverage(staff: pd.DataFrame, role_ids: pd.Series, roles: Sequence[str] = REVIEWED_ROLES) -> pd.DataFrame:
    """(staff_id, partner_id) for every partner a reviewed person covers, in file order."""
    rows = []
    for person in staff.itertuples(index=False):
        if role_ids.get(str(person.staff_id)) not in roles:
            continue
        for pid in split_ids(getattr(person, "partners_covered", ""), unique=True):
            rows.append((str(person.staff_id), pid))
    return pd.DataFrame(rows, columns=["staff_id", "partner_id"])


def _design(frame: pd.DataFrame, levels: dict[str, list[str]]) -> np.ndarray:
    """One-hot columns of the mix (every level of every characteristic), for the ridge fit."""
    cols = [(frame[c].to_numpy() == level).astype(float) for c in MIX for level in levels[c]]
    return np.column_stack(cols) if cols else np.zeros((len(frame), 0))


def _ridge_predict(x_fit: np.ndarray, y_fit: np.ndarray, x_new: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge regression with an unpenalised intercept (closed form), predicted at ``x_new``."""
    if len(y_fit) == 0:
        return np.full(len(x_new), np.nan)
    mean_x, mean_y = x_fit.mean(axis=0), y_fit.mean()
    xc = x_fit - mean_x
    beta = np.linalg.solve(xc.T @ xc + alpha * np.eye(xc.shape[1]), xc.T @ (y_fit - mean_y))
    return mean_y + (x_new - mean_x) @ beta


def expected_results(results: pd.DataFrame, covered: pd.DataFrame, alpha: float = RIDGE_ALPHA) -> pd.DataFrame:
    """``results`` with ``expected_<measure>`` for every covered partner: predicted from its mix by a
    ridge fit on the partners its manager does not cover (see the module docstring)."""
    out = results.copy()
    levels = {c: sorted(results[c].astype(str).unique()) for c in MIX}
    x_all = _design(results, levels)
    segment = results["segment"].astype(str).to_numpy()
    for measure in MEASURES:
        out[f"expected_{measure}"] = np.nan
    for staff_id, part in covered.groupby("staff_id", sort=False):
        mine = results.index.isin(part["partner_id"])
        peers = pd.Series(segment[~mine]).value_counts()
        alone = mine & (pd.Series(segment).map(peers).fillna(0).to_numpy() < MIN_PEERS)
        for measure in MEASURES:
            y = results[measure].to_numpy(dtype=float)
            known = np.isfinite(y)
            predicted = _ridge_predict(x_all[~mine & known], y[~mine & known], x_all, alpha)
            if alone.any():
                predicted = np.where(alone, _ridge_predict(x_all[known], y[known], x_all, alpha), predicted)
            out.loc[mine, f"expected_{measure}"] = predicted[mine]
    return out


def review_managers(results: pd.DataFrame, staff: pd.DataFrame, role_ids: pd.Series, load: pd.DataFrame | None,
                    min_partners: int = 3, alpha: float = RIDGE_ALPHA) -> ManagerReview:
    """Every reviewed person's portfolio: raw results, expected results, and the result against the mix.

    ``load``: org_design's ``staff_load.csv`` (utilisation per person) when available.
    Ranks: ``rank_raw`` by the 12-month revenue of the partners covered (what raw totals
    reward), ``rank_vs_mix`` by ``vs_mix`` among people with at least ``min_partners`` partners.
    """
    covered = coverage(staff, role_ids)
    covered = covered[covered["partner_id"].isin(results.index)]
    expected = expected_results(results, covered, alpha)
    spread = {m: _spread(results[m]) for m in MEASURES}
    per_partner = covered.join(expected, on="partner_id")
    rows = []
    names = dict(zip(staff["staff_id"].astype(str), staff.get("staff_name", staff["staff_id"]).astype(str)))
    for person in staff.itertuples(index=False):
        sid = str(person.staff_id)
        if role_ids.get(sid) not in REVIEWED_ROLES:
            continue
        mine = per_partner[per_partner["staff_id"] == sid]
        row = {"staff_id": sid, "name": names.get(sid, sid), "partners": len(mine),
               "revenue_ttm": float(mine["revenue_ttm"].sum())}
        gaps = []
        for m in MEASURES:
            actual, exp = mine[m].to_numpy(dtype=float), mine[f"expected_{m}"].to_numpy(dtype=float)
            ok = np.isfinite(actual) & np.isfinite(exp)
            row[m] = float(actual[ok].mean()) if ok.any() else np.nan
            row[f"expected_{m}"] = float(exp[ok].mean()) if ok.any() else np.nan
            row[f"gap_{m}"] = row[m] - row[f"expected_{m}"] if ok.any() else np.nan
            if ok.any() and spread[m] > 0 and m in RANKED:
                gaps.extend(((actual[ok] - exp[ok]) / spread[m]).tolist())
        row["vs_mix"] = float(np.mean(gaps)) if gaps else np.nan
        if load is not None and len(load):
            util = load.set_index(load["staff_id"].astype(str))["utilisation"]
            row["utilisation"] = float(util.get(sid, np.nan))
        else:
            row["utilisation"] = np.nan
        rows.append(row)
    managers = pd.DataFrame(rows)
    if managers.empty:
        return ManagerReview(per_partner, managers, min_partners, spread)
    managers["rank_raw"] = managers["revenue_ttm"].rank(ascending=False, method="first").astype(int)
    judged = managers["partners"] >= min_partners
    managers["rank_vs_mix"] = managers["vs_mix"].where(judged).rank(ascending=False, method="first").astype("Int64")
    managers = managers.sort_values(["rank_vs_mix", "rank_raw"], na_position="last", kind="stable").reset_index(drop=True)
    return ManagerReview(per_partner, managers, min_partners, spread)


def _spread(values: pd.Series) -> float:
    """Standard deviation of the known values (0 with fewer than two)."""
    known = values.to_numpy(dtype=float)
    known = known[np.isfinite(known)]
    return float(known.std()) if len(known) > 1 else 0.0
