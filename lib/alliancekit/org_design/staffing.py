"""Staffing review: who covers which partners, how loaded each person is, and the gaps.

Each row of ``staff`` is matched to a role of the role library by its ``role`` text
(:func:`match_role`). A person in a role whose ``workload`` is ``partners`` carries the hours
of the partners listed in ``partners_covered`` (the hours of a partner covered by several
people of the same role are split equally between them); a person in a ``function`` role
(director, operations, enablement) carries the FTE the role needs today spread over the role's
current FTE (:func:`alliancekit.org_design.workload.need_today`: the director by the size of
today's team). Utilisation = hours carried / (fte * hours_per_fte).
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..fmt import split_ids

#: Role titles seen in client staff lists, mapped to the role library's ids.
ROLE_SYNONYMS: dict[str, str] = {
    "head of alliances": "alliance_director", "vp alliances": "alliance_director",
    "vice president alliances": "alliance_director", "director of alliances": "alliance_director",
    "alliances director": "alliance_director", "head of partnerships": "alliance_director",
    "partner manager": "alliance_manager", "partner account manager": "alliance_manager",
    "channel manager": "alliance_manager", "channel account manager": "alliance_manager",
    "partner development manager": "alliance_manager", "strategic alliance manager": "alliance_manager",
    "alliances manager": "alliance_manager", "field alliance manager": "alliance_manager",
    "channel marketing manager": "partner_marketing_manager", "partner marketing": "partner_marketing_manager",
    "alliance marketing manager": "partner_marketing_manager",
    "partner sales engineer": "partner_solutions_architect", "partner technical manager": "partner_solutions_architect",
    "alliance solutions architect": "partner_solutions_architect", "partner engineer": "partner_solutions_architect",
    "partner enablement manager": "partner_enablement_lead", "channel enablement manager": "partner_enablement_lead",
    "partner training manager": "partner_enablement_lead",
    "alliance operations manager": "alliance_operations_analyst", "partner operations analyst": "alliance_operations_analyst",
    "channel operations analyst": "alliance_operations_analyst", "alliance analyst": "alliance_operations_analyst",
    "partner operations manager": "alliance_operations_analyst",
}

#: Labels of the staffing status, most urgent first.
STATUSES = ("overloaded", "under-loaded", "within capacity", "not sized")


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def match_role(text: object, roles: Sequence[Mapping]) -> str | None:
    """The role id a staff ``role`` text stands for (id, title or a known synonym), else ``None``."""
    key = _norm(text)
    for role in roles:
        if key in (_norm(role["id"]), _norm(role["title"])):
            return role["id"]
    found = ROLE_SYNONYMS.get(key)
    return found if found in {r["id"] for r in roles} else None


def staff_roles(staff: pd.DataFrame, roles: Sequence[Mapping]) -> pd.Series:
    """Role id of every staff member (``None`` where the role text is not recognised), by staff_id."""
    return pd.Series([match_role(r, roles) for r in staff["role"]], index=staff["staff_id"].astype(str), name="role_id")


def coverage(staff: pd.DataFrame) -> pd.DataFrame:
    """One row per (staff_id, partner_id) the staff table lists (duplicates removed)."""
    pairs = [(str(s), p) for s, covered in zip(staff["staff_id"], staff["partners_covered"]) for p in split_ids(covered)]
    return pd.DataFrame(pairs, columns=["staff_id", "partner_id"]).drop_duplicates().reset_index(drop=True)


def current_fte(staff: pd.DataFrame, role_of: pd.Series, role_ids: Sequence[str]) -> pd.Series:
    """Current FTE per role id (roles nobody holds: 0)."""
    fte = pd.to_numeric(staff["fte"], errors="coerce").fillna(0.0).to_numpy()
    totals = pd.Series(fte, index=role_of.index).groupby(role_of.to_numpy()).sum()
    return totals.reindex(list(role_ids)).fillna(0.0).rename("current_fte")


def staff_load(staff: pd.DataFrame, role_of: pd.Series, demand: pd.DataFrame, roles: Sequence[Mapping],
               need: pd.Series, current: pd.Series, hours_per_fte: float,
               overload: float = 1.2, underload: float = 0.6) -> pd.DataFrame:
    """Workload of every person against capacity.

    ``demand`` is partners x role hours (:func:`alliancekit.org_design.workload.role_hours`);
    ``need`` the FTE each function role needs today, ``current`` the FTE it has.
    Columns: staff_id, name, role, role_id, fte, partners, hours, capacity, utilisation, status.
    """
    ids = staff["staff_id"].astype(str).to_numpy()
    fte = pd.to_numeric(staff["fte"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    names = staff["staff_name"].astype(str).to_numpy() if "staff_name" in staff else ids
    workload = {r["id"]: r["workload"] for r in roles}
    pairs = coverage(staff)
    pairs["role_id"] = pairs["staff_id"].map(role_of)
    counts = pairs.groupby("staff_id").size()
    sharing = pairs.groupby(["role_id", "partner_id"]).size()

    # partner-facing roles: each covered partner's hours of the person's role, split between the people of that role
    mine = pairs[pairs["role_id"].map(lambda r: isinstance(r, str) and workload.get(r) == "partners")
                 & pairs["partner_id"].isin(demand.index)].copy()
    long = demand.stack()
    mine["hours"] = long.reindex(pd.MultiIndex.from_arrays([mine["partner_id"], mine["role_id"]])).fillna(0.0).to_numpy()
    mine["shared"] = sharing.reindex(pd.MultiIndex.from_arrays([mine["role_id"], mine["partner_id"]])).to_numpy()
    partner_hours = (mine["hours"] / mine["shared"]).groupby(mine["staff_id"]).sum()

    roles_here = role_of.reindex(ids)
    hours = np.full(len(ids), np.nan)
    for i, (sid, rid) in enumerate(zip(ids, roles_here)):
        if not isinstance(rid, str):
            continue
        if workload[rid] == "partners":
            hours[i] = float(partner_hours.get(sid, 0.0))
        else:
            have, wanted = float(current.get(rid, 0.0)), float(need.get(rid, 0.0))
            hours[i] = fte[i] * hours_per_fte * (wanted / have) if have > 0 else np.nan
    capacity = fte * float(hours_per_fte)
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(capacity > 0, hours / np.where(capacity > 0, capacity, 1.0), np.nan)
    status = np.select([np.isnan(utilisation), utilisation > overload, utilisation < underload],
                       ["not sized", "overloaded", "under-loaded"], "within capacity")
    table = pd.DataFrame({
        "staff_id": ids, "name": names, "role": staff["role"].astype(str).to_numpy(),
        "role_id": role_of.reindex(ids).to_numpy(), "fte": fte,
        "partners": counts.reindex(ids).fillna(0).astype(int).to_numpy(),
        "hours": hours, "capacity": capacity, "utilisation": utilisation, "status": status,
    })
    order = table["status"].map({s: i for i, s in enumerate(STATUSES)})
    return (table.assign(_o=order, _u=-table["utilisation"].fillna(-1.0))
            .sort_values(["_o", "_u", "staff_id"], kind="stable").drop(columns=["_o", "_u"]).reset_index(drop=True))


def uncovered_partners(effort: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """Partners nobody in ``staff`` covers, largest workload first."""
    covered = set(coverage(staff)["partner_id"])
    out = effort.loc[~effort.index.isin(covered), ["partner_name", "tier", "partner_type", "region", "revenue_ttm", "hours"]]
    return out.sort_values(["hours", "revenue_ttm"], ascending=False, kind="stable").reset_index()


def partners_without_role(effort: pd.DataFrame, staff: pd.DataFrame, role_of: pd.Series, role_id: str) -> pd.DataFrame:
    """Partners covered by someone, but by nobody in role ``role_id``."""
    pairs = coverage(staff)
    pairs["role_id"] = pairs["staff_id"].map(role_of)
    covered = set(pairs["partner_id"])
    with_role = set(pairs.loc[pairs["role_id"] == role_id, "partner_id"])
    mask = effort.index.isin(covered) & ~effort.index.isin(with_role)
    return effort.loc[mask, ["partner_name", "tier", "partner_type", "region", "revenue_ttm"]].reset_index()


def strategic_mask(effort: pd.DataFrame, strategic_tiers: Sequence[str]) -> pd.Series:
    """True for partners whose tier is one of ``strategic_tiers`` (case-insensitive)."""
    wanted = {t.strip().lower() for t in strategic_tiers}
    return effort["tier"].str.strip().str.lower().isin(wanted).rename("strategic")


def parse_tiers(text: str) -> list[str]:
    """``'Platinum, Gold'`` -> ``['Platinum', 'Gold']``."""
    return [t.strip() for t in str(text).split(",") if t.strip()]


def missing_sponsors(partners: pd.DataFrame, effort: pd.DataFrame, strategic: pd.Series) -> pd.DataFrame | None:
    """Strategic partners with no executive sponsor; ``None`` when partners has no ``exec_sponsor`` column."""
    if "exec_sponsor" not in partners:
        return None
    sponsor = partners.set_index(partners["partner_id"].astype(str))["exec_sponsor"].reindex(effort.index)
    empty = sponsor.isna() | sponsor.astype(str).str.strip().eq("")
    cols = ["partner_name", "tier", "partner_type", "region", "revenue_ttm"]
    return effort.loc[strategic & empty, cols].sort_values("revenue_ttm", ascending=False, kind="stable").reset_index()


#: Columns of :func:`partner_coverage` (``partner_coverage.csv``).
COVERAGE_COLUMNS = ("partner_id", "partner_name", "tier", "strategic", "covered", "covered_by", "alliance_managers",
                    "has_sponsor", "revenue_ttm")


def _joined(pairs: pd.DataFrame, index: pd.Index) -> pd.Series:
    """Per partner of ``index``: the staff ids of ``pairs`` covering it, sorted and ``; ``-joined ('' for none)."""
    ids = pairs.groupby("partner_id")["staff_id"].agg(lambda s: "; ".join(sorted(set(s))))
    return ids.reindex(index).fillna("")


def partner_coverage(partners: pd.DataFrame, effort: pd.DataFrame, staff: pd.DataFrame, role_of: pd.Series,
                     manager_id: str, strategic: pd.Series) -> pd.DataFrame:
    """``partner_coverage.csv``: one row per partner, in the partner list's order: who covers it, and its sponsor.

    ``covered``: someone in ``staff`` lists the partner in ``partners_covered`` (the test of
    :func:`uncovered_partners`); ``covered_by``: their staff ids, ``alliance_managers``: those of
    them in the alliance-manager role ``manager_id`` (both ``; ``-separated). ``has_sponsor``: the
    partner list names an executive sponsor (:func:`missing_sponsors`), empty when it has no
    ``exec_sponsor`` column. It is the staffing review's coverage as a result file, so a later
    review can say which partners lost or gained cover and which strategic alliances a sponsor.
    """
    pairs = coverage(staff)
    pairs = pairs[pairs["partner_id"].isin(effort.index)]
    managers = pairs[pairs["staff_id"].map(role_of).eq(manager_id).to_numpy()]
    covered_by = _joined(pairs, effort.index)
    if "exec_sponsor" in partners:
        sponsor = partners.set_index(partners["partner_id"].astype(str))["exec_sponsor"].reindex(effort.index)
        has_sponsor = (sponsor.notna() & ~sponsor.astype(str).str.strip().eq("")).astype(object)
    else:
        has_sponsor = pd.Series(None, index=effort.index, dtype=object)
    return pd.DataFrame({
        "partner_id": effort.index.astype(str), "partner_name": effort["partner_name"].to_numpy(),
        "tier": effort["tier"].to_numpy(), "strategic": strategic.reindex(effort.index).fillna(False).to_numpy(dtype=bool),
        "covered": covered_by.ne("").to_numpy(), "covered_by": covered_by.to_numpy(),
        "alliance_managers": _joined(managers, effort.index).to_numpy(), "has_sponsor": has_sponsor.to_numpy(),
        "revenue_ttm": effort["revenue_ttm"].to_numpy(dtype=float).round(2),
    }, columns=list(COVERAGE_COLUMNS))
