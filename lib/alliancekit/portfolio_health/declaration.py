"""portfolio_health's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from pydantic import Field

from ..params import PhaseParams, weights
from ..spec import Phase

#: Health-score weights (sum 1). Growth and trend weigh most because the annual review is
#: about direction, not size alone; size still counts so a large steady alliance is not
#: mistaken for a weak one. Documented in the report's method section.
HEALTH_WEIGHTS = {
    "revenue_ttm": 0.20,
    "revenue_growth": 0.20,
    "revenue_trend": 0.15,
    "activity": 0.15,
    "pipeline_coverage": 0.10,
    "win_rate": 0.10,
    "mdf_utilisation": 0.10,
}


class Params(PhaseParams):
    """Parameters of the portfolio health review."""

    k_min: int = Field(2, ge=2, le=12, description="smallest number of segments tried")
    k_max: int = Field(8, ge=2, le=15, description="largest number of segments tried")
    weights: dict[str, float] = weights(HEALTH_WEIGHTS, "health-score weights per feature (merged into the defaults, renormalised)")
    n_bootstrap: int = Field(30, ge=0, le=500, description="bootstrap resamples for segment stability")
    weakest_n: int = Field(12, ge=1, le=48, description="alliances shown in the weakest-trend small multiples")
    seed: int = Field(7, ge=0, description="random seed of clustering and bootstrap")
    # The verdict rules: absolute thresholds on each alliance's own figures (see .rules).
    previous: str = Field("", description="the previous review's delivery (its output folder): its reference level "
                                          "and segment names are kept where the profiles hold; empty: none",
                          json_schema_extra={"path": True})
    reference_revenue: float = Field(0.0, ge=0, description="monthly revenue of a typical alliance in the client's "
                                                            "currency, the yardstick of the size words and of dormancy; "
                                                            "0: the previous review's, else this portfolio's median")
    dormant_revenue: float = Field(0.0, ge=0, description="monthly revenue at or below which a quiet alliance is "
                                                          "dormant (client's currency); the rule uses the larger of "
                                                          "this and dormant_share of the reference")
    dormant_share: float = Field(0.10, ge=0, le=1, description="share of the reference level at or below which a "
                                                               "quiet alliance's monthly revenue is dormant")
    dormant_activities: float = Field(2.0, ge=0, description="joint activities a month (registrations, joint "
                                                             "accounts, proposals, campaigns, enablement) at or "
                                                             "below which an alliance is quiet")
    fast_growth: float = Field(0.40, gt=0, le=10, description="revenue growth a year from which an alliance is "
                                                              "growing fast (0.40 = +40 %)")
    growth: float = Field(0.10, ge=0, le=10, description="revenue growth a year from which an alliance is growing")
    decline: float = Field(-0.10, gt=-1, le=0, description="revenue change a year at or below which an alliance is "
                                                          "declining (and to be fixed)")
    fix_trend: float = Field(-0.02, gt=-1, le=0, description="monthly revenue trend at or below which an alliance "
                                                            "is to be fixed (-0.02 = falling 2 % a month)")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="portfolio_health",
    number=5,
    title="Portfolio Health Review",
    summary="Annual review of every alliance: health score, segments and an action for each.",
    inputs=("partners", "partner_metrics", "opportunities"),
    optional_inputs=("macro",),
    params=Params,
    results=("segments.csv",),
    input_check="alliancekit.portfolio_health:check_inputs",
)
