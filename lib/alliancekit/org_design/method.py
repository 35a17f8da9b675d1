"""The method section's material: where every default comes from, the sensitivity of the
headcount to the reading of published practice, and the data notes."""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from . import workload

#: Where each default comes from (the report's method section).
PARAMETER_SOURCES = {
    "hours_per_fte": "About 2,000 working hours a year (published alliance-management practice), less time "
                     "for training, internal meetings and administration: 1,800 productive hours.",
    "tier_hours": "Published practice of 10-20 commercial partners per partner manager and one manager per "
                  "strategic alliance, converted to hours at 1,800 hours per FTE (see the tier table).",
    "type_factors": "Consultant's defaults: services and cloud partners need more co-selling coordination, "
                    "resellers and distributors are served largely by the programme. Calibrate with the client.",
    "revenue_weight": "Larger partners within a tier take more time; the factor averages 1 per tier "
                      "(consultant's default).",
    "complexity_uplift": "Deals shared by several partners need coordination between them; a partner whose "
                         "every deal is multi-way takes this much more time (consultant's default).",
    "role_ratios": "Consultant's defaults for specialist support per hour of alliance management.",
    "director_span": "Consultant's default span of control: one director per this many staff of the other "
                     "roles, at least one.",
    "strategic_tiers": "Tiers whose partners are strategic alliances (dedicated management, executive sponsor).",
    "priorities": "The client's priorities; set them with the COO, VP Sales, VP Corporate Strategy and CHRO.",
    "overload_threshold": "A person above this share of capacity is overloaded.",
    "underload_threshold": "A person below this share of capacity has room for more partners.",
    "structure": "The best-scoring structure is recommended unless the client's decision is recorded.",
    "reporting_line": "The best-scoring reporting line is recommended unless the client's decision is recorded.",
}


def data_notes(effort: pd.DataFrame, tier_hours: Mapping[str, float], load: pd.DataFrame, opportunities_given: bool,
               sponsors_checked: bool) -> list[str]:
    """What the reader should know about gaps in the data (tiers, roles, capacity, deals, revenue, sponsors).

    ``opportunities_given``: whether opportunity data was given (multi-way deals counted);
    ``sponsors_checked``: whether partners has an ``exec_sponsor`` column.
    """
    notes = []
    other = sorted(set(effort.loc[effort["tier_key"] == workload.OTHER_TIER, "tier"]) - {workload.OTHER_TIER})
    if other:
        notes.append(f"Tiers without their own hours ({', '.join(other)}) use the 'other' tier's "
                     f"{tier_hours.get(workload.OTHER_TIER, 0):g} hours a year.")
    unknown = load[load["role_id"].isna()]
    if len(unknown):
        notes.append("Staff whose role is not one of the alliance roles are counted for coverage but not sized: "
                     + ", ".join(f"{s} ({r})" for s, r in zip(unknown["staff_id"], unknown["role"])) + ".")
    no_cap = load[(load["fte"] <= 0) & load["role_id"].notna()]
    if len(no_cap):
        notes.append(f"Staff with an FTE of 0 have no capacity: {', '.join(no_cap['staff_id'])}.")
    if not opportunities_given:
        notes.append("No opportunity data was given: the complexity of multi-way deals is not counted.")
    no_revenue = int((effort["revenue_ttm"] <= 0).sum())
    if no_revenue:
        notes.append(f"{no_revenue} partners have no revenue in the last 12 months of the metrics; they rank "
                     "lowest in their tier for the revenue factor.")
    if not sponsors_checked:
        notes.append("The partner list names no executive sponsors: strategic partners without a sponsor are not "
                     "checked.")
    return notes


def sensitivity(effort: pd.DataFrame, roles: Sequence[Mapping], ratios: Mapping[str, float], hours_per_fte: float,
                span: float, strategic: pd.Series, current_total: float) -> pd.DataFrame:
    """Required FTE at the lean and generous ends of published practice, and with one full manager
    per strategic alliance (every other parameter as in the run)."""
    base = effort["base_hours"].where(effort["base_hours"] > 0)
    full = (hours_per_fte / base).fillna(1.0)
    managers = [r["id"] for r in roles if r["sizing"] == "partners"]
    scenarios = [
        ("Lean: 20 commercial partners per manager", strategic.map({True: 1.0, False: 0.75})),
        ("Default parameters", 1.0),
        ("Generous: 10 commercial partners per manager", strategic.map({True: 1.0, False: 1.5})),
        ("One full manager per strategic alliance", full.where(strategic, 1.0)),
    ]
    rows = []
    for name, scale in scenarios:
        req = workload.scenario_fte(effort, roles, ratios, hours_per_fte, span, scale)
        rows.append({"Reading of published practice": name, "Alliance managers (FTE)": req[managers].sum(),
                     "All roles (FTE)": req.sum(), "Gap (FTE)": req.sum() - current_total})
    return pd.DataFrame(rows)
