"""Workload-based headcount: alliance-management hours per partner, then FTE per role.

The model, in the order it is computed (every default is a parameter, declared in
:mod:`alliancekit.phases` and documented in the report):

1. **Base hours** of alliance management per partner and year, by tier (``tier_hours``).
   The defaults follow published alliance-management practice (the report's method section
   says where each comes from, :data:`.method.PARAMETER_SOURCES`): 10-20 commercial partners
   per partner manager, one manager per strategic alliance, about 2,000 working hours a year.
2. **Type factor** (``type_factors``): some partner types need more coordination than others.
3. **Revenue factor**: ``1 + revenue_weight * (2 * r - 1)``, where ``r`` is the partner's
   revenue rank within its tier (0 = smallest, 1 = largest, ties share their mean rank). The
   factors of a tier average 1, so revenue moves effort between the partners of a tier
   without changing the tier's total.
4. **Complexity factor**: ``1 + complexity_uplift * s``, where ``s`` is the share of the
   partner's deals that involve two or more partners (multi-way deals, from ``opportunities``).
5. ``hours = base * type * revenue * complexity``; required FTE of the alliance managers is
   the sum of hours over ``hours_per_fte``; each specialist role needs ``role_ratios[role]``
   hours per alliance-management hour; the director role is sized by span of control:
   one per ``director_span`` people of the other roles, at least one.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from ..fmt import split_ids
from .declaration import DEFAULT

#: Tier key whose hours apply to tiers the ``tier_hours`` parameter does not name.
OTHER_TIER = "other"
#: Months of revenue the revenue factor looks at (the last 12 months of the data).
REVENUE_MONTHS = 12


def tier_key(tier: object, keys: Sequence[str]) -> str:
    """The ``tier_hours`` key of a partner's tier: exact, then case-insensitive, else :data:`OTHER_TIER`."""
    text = "" if tier is None or (not isinstance(tier, str) and pd.isna(tier)) else str(tier).strip()
    if text in keys:
        return text
    lowered = {k.lower(): k for k in keys}
    return lowered.get(text.lower(), OTHER_TIER)


def trailing_revenue(metrics: pd.DataFrame | None, partner_ids: pd.Index, months: int = REVENUE_MONTHS) -> pd.Series:
    """Revenue of each partner over the last ``months`` months of the data (0 when it has none)."""
    if metrics is None or metrics.empty:
        return pd.Series(0.0, index=partner_ids, name="revenue_ttm")
    month = metrics["month"].astype(str).str.strip()
    last = sorted(month.unique())[-months:]
    recent = metrics[month.isin(last)]
    revenue = pd.to_numeric(recent["revenue"], errors="coerce").groupby(recent["partner_id"].astype(str)).sum()
    return revenue.reindex(partner_ids).fillna(0.0).rename("revenue_ttm")


def multiway_share(opportunities: pd.DataFrame | None, partner_ids: pd.Index) -> tuple[pd.Series, pd.Series]:
    """Per partner: the share of its deals that involve two or more partners, and its deal count.

    A deal counts for every partner on it. Partners without deals have share 0.
    """
    if opportunities is None or opportunities.empty:
        zero = pd.Series(0.0, index=partner_ids)
        return zero.rename("multiway_share"), zero.astype(int).rename("deals")
    ids = opportunities["partner_ids"].map(split_ids).reset_index(drop=True)
    exploded = pd.DataFrame({"deal": ids.index, "partner_id": ids,
                             "multi": ids.map(lambda xs: len(set(xs)) > 1)}).explode("partner_id")
    exploded = exploded.dropna(subset=["partner_id"]).drop_duplicates(["deal", "partner_id"])
    deals = exploded.groupby("partner_id").size().reindex(partner_ids).fillna(0).astype(int)
    multi = exploded.groupby("partner_id")["multi"].sum().reindex(partner_ids).fillna(0)
    share = (multi / deals.where(deals > 0)).fillna(0.0)
    return share.rename("multiway_share"), deals.rename("deals")


def rank_within(values: pd.Series, groups: pd.Series) -> pd.Series:
    """Rank of each value within its group in [0, 1] (ties share their mean rank; a lone value gets 0.5)."""
    ranks = values.groupby(groups).rank(method="average")
    sizes = values.groupby(groups).transform("size")
    return ((ranks - 1) / (sizes - 1)).where(sizes > 1, 0.5)


def partner_effort(partners: pd.DataFrame, metrics: pd.DataFrame | None, opportunities: pd.DataFrame | None,
                   tier_hours: Mapping[str, float], type_factors: Mapping[str, float],
                   revenue_weight: float = DEFAULT.revenue_weight,
                   complexity_uplift: float = DEFAULT.complexity_uplift) -> pd.DataFrame:
    """Alliance-management hours a year for every partner, with each factor shown.

    Columns: partner_name, tier, tier_key, partner_type, region, base_hours, type_factor,
    revenue_ttm, revenue_rank, revenue_factor, deals, multiway_share, complexity_factor, hours.
    Indexed by partner_id, in the order of ``partners``.
    """
    frame = partners.assign(partner_id=partners["partner_id"].astype(str)).set_index("partner_id")
    keys = list(tier_hours)
    out = pd.DataFrame(index=frame.index)
    out["partner_name"] = frame["partner_name"].astype(str)
    out["tier"] = frame["tier"].astype(str)
    out["tier_key"] = frame["tier"].map(lambda t: tier_key(t, keys))
    out["partner_type"] = frame["partner_type"].astype(str)
    out["region"] = frame["region"].astype(str)
    out["base_hours"] = out["tier_key"].map(lambda k: float(tier_hours.get(k, 0.0)))
    out["type_factor"] = out["partner_type"].map(lambda t: float(type_factors.get(t, type_factors.get("other", 1.0))))
    out["revenue_ttm"] = trailing_revenue(metrics, out.index)
    out["revenue_rank"] = rank_within(out["revenue_ttm"], out["tier"])
    out["revenue_factor"] = 1.0 + float(revenue_weight) * (2.0 * out["revenue_rank"] - 1.0)
    share, deals = multiway_share(opportunities, out.index)
    out["deals"] = deals
    out["multiway_share"] = share
    out["complexity_factor"] = 1.0 + float(complexity_uplift) * out["multiway_share"]
    out["hours"] = out["base_hours"] * out["type_factor"] * out["revenue_factor"] * out["complexity_factor"]
    return out


def role_hours(effort: pd.DataFrame, roles: Sequence[Mapping], role_ratios: Mapping[str, float]) -> pd.DataFrame:
    """Hours a year each partner needs from each partner- or ratio-sized role (partners x roles)."""
    hours = effort["hours"]
    columns = {}
    for role in roles:
        if role["sizing"] == "partners":
            columns[role["id"]] = hours
        elif role["sizing"] == "ratio":
            columns[role["id"]] = hours * float(role_ratios.get(role["id"], 0.0))
    return pd.DataFrame(columns, index=effort.index)


def required_fte(effort: pd.DataFrame, roles: Sequence[Mapping], role_ratios: Mapping[str, float],
                 hours_per_fte: float, director_span: float) -> pd.Series:
    """Required FTE per role id: hours over capacity; span-sized roles one per ``director_span`` others (>= 1)."""
    demand = role_hours(effort, roles, role_ratios).sum() / float(hours_per_fte)
    required = {r["id"]: float(demand.get(r["id"], 0.0)) for r in roles}
    others = sum(v for k, v in required.items() if next(r for r in roles if r["id"] == k)["sizing"] != "span")
    for role in roles:
        if role["sizing"] == "span":
            required[role["id"]] = max(1.0, others / float(director_span))
    return pd.Series(required, name="required_fte")


def need_today(required: pd.Series, current: pd.Series, roles: Sequence[Mapping], director_span: float) -> pd.Series:
    """FTE each role needs for today's workload: as required, except span-sized roles, which are
    sized by the team as it is today (one per ``director_span`` current staff of the other roles, at least one)."""
    need = required.astype(float).copy()
    sizing = {r["id"]: r["sizing"] for r in roles}
    others = sum(float(current.get(r, 0.0)) for r in need.index if sizing.get(r) != "span")
    for role, kind in sizing.items():
        if kind == "span":
            need[role] = max(1.0, others / float(director_span))
    return need


def headcount_table(required: pd.Series, current: pd.Series, titles: Mapping[str, str]) -> pd.DataFrame:
    """``headcount.csv``: role, current_fte, required_fte, gap (required minus current; > 0 = people missing)."""
    ids = list(required.index)
    current = current.reindex(ids).fillna(0.0)
    table = pd.DataFrame({"role": [titles[i] for i in ids], "current_fte": current.to_numpy(dtype=float),
                          "required_fte": required.to_numpy(dtype=float)})
    table["current_fte"] = table["current_fte"].round(2)
    table["required_fte"] = table["required_fte"].round(2)
    table["gap"] = (table["required_fte"] - table["current_fte"]).round(2)
    table["role_id"] = ids
    return table


def scenario_fte(effort: pd.DataFrame, roles: Sequence[Mapping], role_ratios: Mapping[str, float],
                 hours_per_fte: float, director_span: float, scale: pd.Series | float) -> pd.Series:
    """Required FTE per role with every partner's hours multiplied by ``scale`` (sensitivity)."""
    factor = scale.reindex(effort.index).fillna(1.0) if isinstance(scale, pd.Series) else float(scale)
    return required_fte(effort.assign(hours=effort["hours"] * factor), roles, role_ratios, hours_per_fte, director_span)
