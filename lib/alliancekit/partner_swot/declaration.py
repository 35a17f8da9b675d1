"""partner_swot's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from pydantic import Field

from ..params import PhaseParams
from ..spec import Phase


class Params(PhaseParams):
    """Parameters of the partner SWOT."""

    min_respondents_per_theme: int = Field(3, ge=1, le=50, description="distinct respondents a theme needs before quotes and "
                                           "partner-type breakdowns are shown (anonymity threshold)")
    max_quotes_per_theme: int = Field(2, ge=0, le=10, description="redacted quotes shown per theme")
    include_other: bool = Field(False, description="keep non-evaluative statements (small talk, contact lines) "
                                "in statements.csv as quadrant 'other'")
    seed: int = Field(0, ge=0, description="random seed of the classifiers")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="partner_swot",
    number=3,
    title="Partner SWOT",
    summary="Anonymous partner interviews turned into a SWOT, themes with their reach, and an issue log.",
    inputs=("interviews", "partners"),
    optional_inputs=("staff", "swot_training", "swot_corrections"),
    input_check="alliancekit.partner_swot.corrections:check_inputs",
    params=Params,
    results=("statements.csv", "themes.csv", "issue_log.csv"),
)
