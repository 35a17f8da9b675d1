"""metric_design's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..params import PhaseParams
from ..spec import Phase


class Params(PhaseParams):
    """Parameters of the leading-indicator analysis and the scorecard targets."""

    target: str = Field("revenue", description="lagging outcome the indicators are tested against (a numeric column of partner_metrics)")
    max_lag: int = Field(12, ge=1, le=36, description="longest lead tested, in months (needs max_lag + 6 months of history)")
    n_bootstrap: int = Field(200, ge=100, le=2000, description="resamples of partners for the intervals (100 or more keep them stable)")
    confidence: float = Field(0.95, ge=0.5, le=0.999, description="confidence of the simultaneous intervals")
    min_effect: float = Field(0.1, ge=0.0, le=1.0, description="smallest effect (partial correlation) worth a KPI")
    target_method: Literal["percentile", "growth"] = Field("percentile", description="how KPI targets are derived from the data")
    target_percentile: float = Field(75.0, ge=1.0, le=99.0, description="percentile of partners' monthly averages used as target (method percentile)")
    target_growth: float = Field(0.10, ge=-0.5, le=2.0, description="growth over the median partner's monthly average used as target (method growth)")
    amber_share: float = Field(0.8, ge=0.05, le=1.0, description="status is amber from this share of the target (green from the target)")
    kpis_per_stage: int = Field(3, ge=1, le=10, description="leading KPIs kept per motion (Build-With, Market-With, Sell-With)")
    seed: int = Field(7, ge=0, description="random seed of the resampling")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="metric_design",
    number=2,
    title="Metric Design: Leading Indicators and Scorecard",
    summary="Which monthly indicators really lead revenue, by how many months; the KPI set and scorecard that follow.",
    inputs=("partners", "partner_metrics"),
    params=Params,
    results=("indicator_effects.csv", "scorecard.yml"),
    input_check="alliancekit.metric_design:check_inputs",
)
