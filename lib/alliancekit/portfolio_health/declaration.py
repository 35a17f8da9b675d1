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
)
