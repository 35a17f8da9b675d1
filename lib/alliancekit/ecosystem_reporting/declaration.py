"""ecosystem_reporting's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..params import PhaseParams
from ..spec import Phase


class Params(PhaseParams):
    """Parameters of the executive report and the partner scorecards."""

    attribution: Literal["equal_split", "first_listed", "full_credit_reported_separately"] = Field(
        "equal_split", description="how a deal with several partners is credited (totals never count it twice)")
    partners: str = Field("", description="partner ids whose scorecards are rendered, comma-separated (empty: every partner)")
    qbr_decks: bool = Field(False, description="also write a QBR deck (.pptx) per partner")
    pdf: bool = Field(True, description="write each partner scorecard as PDF besides HTML")
    direction_months: int = Field(3, ge=1, le=12, description="months compared with the months before for the direction of travel")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="ecosystem_reporting",
    number=6,
    title="Ecosystem Reporting: Executive Report and Partner Scorecards",
    summary="Target attainment, sourced and influenced revenue, pipeline, win rates, MDF and KPI status for management; "
            "one QBR-ready scorecard per partner.",
    inputs=("partners", "partner_metrics", "opportunities"),
    params=Params,
    results=("partner_status.csv", "programme_summary.csv", "executive_tables.xlsx"),
    uses=("relationship_health",),
    needs=("metric_design", "portfolio_health"),
    input_check="alliancekit.ecosystem_reporting:check_inputs",
    fans_out=True,
)
