"""org_design's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..params import PhaseParams, weights
from ..spec import Phase

#: Alliance-management hours per partner and year by tier (1,800 productive hours per FTE
#: divided by partners per manager: Gold 10 and Silver 15 of the published 10-20 commercial
#: partners per manager, Registered 40 (served mainly by the programme), Platinum half a
#: manager each, the specialist roles being sized on top; "other": tiers not listed).
TIER_HOURS = {"Platinum": 900.0, "Gold": 180.0, "Silver": 120.0, "Registered": 45.0, "other": 120.0}
#: Coordination effort by partner type relative to an ISV (consultant's defaults).
TYPE_FACTORS = {"ISV": 1.0, "GSI": 1.2, "cloud": 1.2, "IHV": 1.0, "reseller": 0.8, "distributor": 0.8,
                "OEM": 1.1, "other": 1.0}
#: Hours of each specialist role per hour of alliance management (consultant's defaults).
ROLE_RATIOS = {"partner_marketing_manager": 0.30, "partner_solutions_architect": 0.25,
               "partner_enablement_lead": 0.15, "alliance_operations_analyst": 0.10}
#: The client's priorities over the structure criteria (set with its executives).
PRIORITIES = {"speed_to_market": 0.20, "field_reach": 0.25, "strategic_depth": 0.25, "cost": 0.15, "control": 0.15}


class Params(PhaseParams):
    """Parameters of the organisation design."""

    hours_per_fte: float = Field(1800.0, ge=200, le=2600, description="productive hours a year per FTE (of about 2,000 working hours)")
    tier_hours: dict[str, float] = weights(TIER_HOURS, "alliance-management hours per partner and year by tier ('other': tiers not listed)")
    type_factors: dict[str, float] = weights(TYPE_FACTORS, "effort multiplier by partner type")
    revenue_weight: float = Field(0.3, ge=0.0, le=1.0, description="how much revenue moves effort within a tier (0: not at all; factor 1 +/- this)")
    complexity_uplift: float = Field(0.5, ge=0.0, le=3.0, description="extra effort for a partner whose every deal is multi-way (0.5 = +50%)")
    role_ratios: dict[str, float] = weights(ROLE_RATIOS, "specialist hours per hour of alliance management, by role")
    director_span: int = Field(10, ge=2, le=30, description="staff per alliance director (span of control); at least one director")
    strategic_tiers: str = Field("Platinum", description="tiers of the strategic alliances, comma-separated (e.g. 'Platinum, Gold')")
    priorities: dict[str, float] = weights(PRIORITIES, "client priorities weighting the structure criteria (renormalised)")
    overload_threshold: float = Field(1.2, ge=0.5, le=3.0, description="workload share of capacity above which a person is overloaded")
    underload_threshold: float = Field(0.6, ge=0.0, le=1.0, description="workload share of capacity below which a person is under-loaded")
    structure: Literal["auto", "centralised", "hub_and_spoke", "embedded", "strategic_teams"] = Field(
        "auto", description="structure to recommend ('auto': the best-scoring one)")
    reporting_line: Literal["auto", "ceo", "coo", "sales", "strategy"] = Field(
        "auto", description="reporting line to recommend ('auto': the best-scoring one)")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="org_design",
    number=4,
    title="Alliance Organisation Design",
    summary="Structure and reporting-line options, headcount from workload, position descriptions, RACI and a staffing review.",
    inputs=("partners", "staff", "partner_metrics"),
    optional_inputs=("opportunities",),
    params=Params,
    results=("structure_options.csv", "headcount.csv", "roles.csv", "staff_load.csv", "partner_coverage.csv"),
    input_check="alliancekit.org_design:check_inputs",
)
