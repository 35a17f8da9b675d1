"""alliance_staff's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from pydantic import Field

from ..params import PhaseParams
from ..spec import Phase


class Params(PhaseParams):
    """Parameters of the alliance staff review and the recruiting kit."""

    min_partners: int = Field(3, ge=1, le=20, description="fewest partners a manager covers to be ranked against the mix")
    min_respondents_per_theme: int = Field(3, ge=1, le=20, description="fewest partner respondents behind a feedback figure shown")
    positions: str = Field("", description="positions to recruit for, comma-separated role ids (empty: every role, "
                                           "or the positions of the hiring scores)")
    interviewers: int = Field(3, ge=1, le=8, description="blank interviewer sheets per position when no hiring scores name the panel")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="alliance_staff",
    number=8,
    title="Alliance Staff Review",
    summary="An external review of the alliance managers' effectiveness (results against what their partner mix "
            "predicts, workload, partner feedback, development focus) and a recruiting kit per position "
            "(competencies, interview questions, work sample, interviewer scorecards, a ranked shortlist).",
    inputs=("partners", "staff", "partner_metrics"),
    optional_inputs=("hiring_scores", "maturity_survey"),
    params=Params,
    results=("manager_review.csv", "shortlist.csv"),
    needs=("metric_design", "org_design", "portfolio_health"),
    uses=("partner_swot", "relationship_health"),
    input_check="alliancekit.alliance_staff:check_inputs",
    report="staff_review",
    classification="Strictly confidential: for the leadership and HR of {client} only",
)
