"""relationship_health's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from pydantic import Field

from ..params import PhaseParams
from ..spec import Phase


class Params(PhaseParams):
    """Parameters of the two-sided relationship health survey."""

    min_respondents: int = Field(4, ge=2, le=20, description="fewest people behind any figure shown (a group of alliance, "
                                                            "side and wave; smaller groups are never shown)")
    gap_threshold: float = Field(0.5, ge=0.1, le=3.0, description="smallest perception gap (points on the 1-5 scale) "
                                                                 "flagged, when also beyond its uncertainty")
    change_threshold: float = Field(0.5, ge=0.1, le=3.0, description="smallest wave-over-wave change of field "
                                                                    "mind-share called, when also beyond noise")
    statement_bank: str = Field("", description="the engagement's own statement bank (a path relative to the "
                                                "engagement file; empty: the kit's template)")
    quotes_per_alliance: int = Field(3, ge=0, le=10, description="redacted comments quoted per alliance (groups "
                                                                 "above the minimum size only)")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="relationship_health",
    number=7,
    title="Alliance Relationship Health",
    summary="The two-sided health survey: both companies' people rate the same statements; scores per alliance and "
            "dimension, where the two sides see the relationship differently, field mind-share wave over wave, NPS.",
    inputs=("partners", "health_survey"),
    params=Params,
    results=("relationship_scores.csv", "gaps.csv", "alliance_health.csv", "mind_share.csv"),
    input_check="alliancekit.relationship_health:check_inputs",
)
