"""strategy_assessment's declaration: its parameters (each default written here, once) and its place in the kit."""

from __future__ import annotations

from pydantic import Field

from ..params import PhaseParams, weights
from ..spec import Phase

#: Weights of the portfolio strategy options' decision criteria (sum 1). Equal to the
#: ``default_weight`` of each criterion in ``engagement_templates/strategy_arguments.yml``
#: (a test keeps them in step): revenue ceiling and strategic control weigh most, because the
#: strategy question is how much the portfolio can earn and how much of it the company shapes.
STRATEGY_CRITERIA_WEIGHTS = {
    "revenue_scale": 0.25,
    "time_to_value": 0.15,
    "management_cost": 0.15,
    "market_coverage": 0.15,
    "strategic_control": 0.20,
    "risk_concentration": 0.10,
}

#: Weights of the candidate-partner criteria (columns of ``candidates``, scored 1-5; sum 1).
#: Strategic fit and complementary capabilities weigh most: a partner that fits the strategy
#: and adds what the company lacks is the reason to form an alliance; market access next;
#: culture and financial strength are checked but weigh less. Set a weight to 0 to leave a
#: criterion out; a weighted criterion must be a column of ``candidates``.
CANDIDATE_WEIGHTS = {
    "strategic_fit": 0.30,
    "market_access": 0.20,
    "complementary_capabilities": 0.25,
    "cultural_fit": 0.15,
    "financial_strength": 0.10,
}

#: Target maturity levels (1-5): ``default`` for every dimension, and per dimension where the
#: right level differs (it depends on the number, complexity and importance of the alliances),
#: e.g. ``target_levels: {default: 3.5, systems_of_record: 3}``; 0 means "the default".
MATURITY_TARGET_LEVELS = {"default": 4.0, **dict.fromkeys((
    "alliance_strategy", "governance_sponsorship", "measurement_reporting", "portfolio_management",
    "partner_qualification", "approval_formation", "roles_responsibilities", "team_capability",
    "professional_development", "joint_planning", "field_engagement", "joint_marketing",
    "systems_of_record", "partner_expectations", "relationship_health",
), 0.0)}


class Params(PhaseParams):
    """Parameters of the strategy assessment."""

    questionnaire: str = Field("", description="maturity questionnaire (YAML); empty: the kit's template; relative paths are relative to the engagement file")
    arguments: str = Field("", description="argument library of strategy options (YAML); empty: the kit's template; relative paths are relative to the engagement file")
    target_levels: dict[str, float] = weights(MATURITY_TARGET_LEVELS, "target maturity level (1-5): 'default' for every dimension, or per dimension id (0: the default)")
    n_priorities: int = Field(4, ge=1, le=8, description="priorities drawn from the maturity scores")
    disagreement_threshold: float = Field(2.0, ge=0.0, le=4.0, description="difference between role scores (points) from which a dimension is a disagreement to resolve first")
    min_role_respondents: int = Field(1, ge=1, le=20, description="roles with fewer respondents are pooled as 'Other roles' (anonymity)")
    revenue_target: float = Field(0.0, ge=0.0, description="partner revenue target per year; 0: the sum of the partners' annual_target")
    new_customers_target: int = Field(0, ge=0, description="new customers won with partners per year; 0: to be agreed")
    new_markets_target: int = Field(0, ge=0, description="new regions, industries or segments entered with partners; 0: to be agreed")
    time_to_market_months: float = Field(0.0, ge=0.0, le=60.0, description="months from an alliance's approval to its first joint opportunity; 0: to be agreed")
    joint_solutions_target: int = Field(0, ge=0, description="joint solutions in market; 0: to be agreed")
    partner_trust_target: float = Field(0.0, ge=0.0, le=5.0, description="partner health-check score (1-5); 0: to be agreed")
    criteria_weights: dict[str, float] = weights(STRATEGY_CRITERIA_WEIGHTS, "weights of the strategy options' decision criteria (merged into the defaults, renormalised)")
    candidate_weights: dict[str, float] = weights(CANDIDATE_WEIGHTS, "weights of the candidate criteria, columns of candidates scored 1-5 (merged, renormalised)")
    approve_score: float = Field(3.75, ge=1.0, le=5.0, description="candidates with a weighted score from this are approved by the gate")
    decline_score: float = Field(2.75, ge=1.0, le=5.0, description="candidates with a weighted score below this are declined")


#: The parameters at their defaults: the keyword defaults of the analysis functions read them here.
DEFAULT = Params()


PHASE = Phase(
    name="strategy_assessment",
    number=1,
    title="Alliance Strategy Assessment",
    summary="Alliance maturity from the executives' questionnaire, targets, portfolio strategy options and the formation process.",
    inputs=("maturity_survey", "partners", "candidates"),
    params=Params,
    results=("maturity_scores.csv", "strategy_options.csv", "candidates_scored.csv", "value_targets.csv"),
    input_check="alliancekit.strategy_assessment:check_inputs",
)
