"""The phase registry: every phase's notebook, inputs, typed parameters and result files.

This is the single declaration the CLI (``alliancekit phases``), the engagement file's
validation, the runner and the notebooks' parameter cells are checked against. Adding a
phase means adding its notebook, its library module and one entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from .params import Param

#: Input files an engagement can name under ``data:`` (DESIGN.md); schemas in :mod:`alliancekit.schemas`.
INPUT_NAMES = (
    "partners", "partner_metrics", "opportunities", "interviews",
    "maturity_survey", "staff", "candidates", "macro", "swot_training",
)

#: The six phases of an engagement, in the order a consultant runs them. Only the phases in
#: :data:`PHASES` are built; the others are named here so a user is told they are not available yet.
PLANNED_PHASES = (
    "strategy_assessment", "metric_design", "partner_swot",
    "org_design", "portfolio_health", "ecosystem_reporting",
)


@dataclass(frozen=True)
class Phase:
    """What the runner needs to know about one phase."""

    name: str
    number: int
    title: str
    summary: str
    inputs: tuple[str, ...]
    optional_inputs: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    results: tuple[str, ...] = ()
    needs: tuple[str, ...] = field(default_factory=tuple)
    #: ``"module:function"`` checking the inputs against the parameters before any kernel
    #: starts (e.g. a ``target`` column that must exist);
    #: ``function(tables, params, root) -> list[Problem]`` (``root``: the engagement's folder).
    input_check: str | None = None

    @property
    def notebook(self) -> str:
        """File name of the phase's notebook in ``notebooks/``."""
        return f"{self.number:02d}_{self.name}.ipynb"

    def param(self, name: str) -> Param:
        """The declaration of parameter ``name``."""
        return next(p for p in self.params if p.name == name)

    def check_inputs(self, tables: dict, params: dict, root=None) -> list:
        """Problems of this phase's inputs given its parameters (none when it declares no check).

        ``root`` is the engagement file's folder, against which relative paths among the
        parameters (e.g. an edited questionnaire) are read.
        """
        if not self.input_check:
            return []
        module, function = self.input_check.split(":")
        return getattr(importlib.import_module(module), function)(tables, params, root)

    def defaults(self) -> dict:
        """Every parameter at its default value."""
        return {p.name: p.default for p in self.params}


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

PORTFOLIO_HEALTH = Phase(
    name="portfolio_health",
    number=5,
    title="Portfolio Health Review",
    summary="Annual review of every alliance: health score, segments and an action for each.",
    inputs=("partners", "partner_metrics", "opportunities"),
    optional_inputs=("macro",),
    params=(
        Param("k_min", "int", 2, "smallest number of segments tried", minimum=2, maximum=12),
        Param("k_max", "int", 8, "largest number of segments tried", minimum=2, maximum=15),
        Param("weights", "weights", HEALTH_WEIGHTS, "health-score weights per feature (merged into the defaults, renormalised)"),
        Param("n_bootstrap", "int", 30, "bootstrap resamples for segment stability", minimum=0, maximum=500),
        Param("weakest_n", "int", 12, "alliances shown in the weakest-trend small multiples", minimum=1, maximum=48),
        Param("seed", "int", 7, "random seed of clustering and bootstrap", minimum=0),
    ),
    results=("segments.csv",),
)

METRIC_DESIGN = Phase(
    name="metric_design",
    number=2,
    title="Metric Design: Leading Indicators and Scorecard",
    summary="Which monthly indicators really lead revenue, by how many months; the KPI set and scorecard that follow.",
    inputs=("partners", "partner_metrics"),
    params=(
        Param("target", "str", "revenue", "lagging outcome the indicators are tested against (a numeric column of partner_metrics)"),
        Param("max_lag", "int", 12, "longest lead tested, in months (needs max_lag + 6 months of history)", minimum=1, maximum=36),
        Param("n_bootstrap", "int", 200, "resamples of partners for the intervals (100 or more keep them stable)", minimum=100, maximum=2000),
        Param("confidence", "float", 0.95, "confidence of the simultaneous intervals", minimum=0.5, maximum=0.999),
        Param("min_effect", "float", 0.1, "smallest effect (partial correlation) worth a KPI", minimum=0.0, maximum=1.0),
        Param("target_method", "str", "percentile", "how KPI targets are derived from the data", choices=("percentile", "growth")),
        Param("target_percentile", "float", 75.0, "percentile of partners' monthly averages used as target (method percentile)", minimum=1.0, maximum=99.0),
        Param("target_growth", "float", 0.10, "growth over the median partner's monthly average used as target (method growth)", minimum=-0.5, maximum=2.0),
        Param("amber_share", "float", 0.8, "status is amber from this share of the target (green from the target)", minimum=0.05, maximum=1.0),
        Param("kpis_per_stage", "int", 3, "leading KPIs kept per motion (Build-With, Market-With, Sell-With)", minimum=1, maximum=10),
        Param("seed", "int", 7, "random seed of the resampling", minimum=0),
    ),
    results=("indicator_effects.csv", "scorecard.yml"),
    input_check="alliancekit.metric_design:check_inputs",
)


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

STRATEGY_ASSESSMENT = Phase(
    name="strategy_assessment",
    number=1,
    title="Alliance Strategy Assessment",
    summary="Alliance maturity from the executives' questionnaire, targets, portfolio strategy options and the formation process.",
    inputs=("maturity_survey", "partners", "candidates"),
    params=(
        Param("questionnaire", "str", "", "maturity questionnaire (YAML); empty: the kit's template; relative paths are relative to the engagement file"),
        Param("arguments", "str", "", "argument library of strategy options (YAML); empty: the kit's template; relative paths are relative to the engagement file"),
        Param("target_levels", "weights", MATURITY_TARGET_LEVELS, "target maturity level (1-5): 'default' for every dimension, or per dimension id (0: the default)"),
        Param("n_priorities", "int", 4, "priorities drawn from the maturity scores", minimum=1, maximum=8),
        Param("disagreement_threshold", "float", 2.0, "difference between role scores (points) from which a dimension is a disagreement to resolve first", minimum=0.0, maximum=4.0),
        Param("min_role_respondents", "int", 1, "roles with fewer respondents are pooled as 'Other roles' (anonymity)", minimum=1, maximum=20),
        Param("revenue_target", "float", 0.0, "partner revenue target per year; 0: the sum of the partners' annual_target", minimum=0.0),
        Param("new_customers_target", "int", 0, "new customers won with partners per year; 0: to be agreed", minimum=0),
        Param("new_markets_target", "int", 0, "new regions, industries or segments entered with partners; 0: to be agreed", minimum=0),
        Param("time_to_market_months", "float", 0.0, "months from an alliance's approval to its first joint opportunity; 0: to be agreed", minimum=0.0, maximum=60.0),
        Param("joint_solutions_target", "int", 0, "joint solutions in market; 0: to be agreed", minimum=0),
        Param("partner_trust_target", "float", 0.0, "partner health-check score (1-5); 0: to be agreed", minimum=0.0, maximum=5.0),
        Param("criteria_weights", "weights", STRATEGY_CRITERIA_WEIGHTS, "weights of the strategy options' decision criteria (merged into the defaults, renormalised)"),
        Param("candidate_weights", "weights", CANDIDATE_WEIGHTS, "weights of the candidate criteria, columns of candidates scored 1-5 (merged, renormalised)"),
        Param("approve_score", "float", 3.75, "candidates with a weighted score from this are approved by the gate", minimum=1.0, maximum=5.0),
        Param("decline_score", "float", 2.75, "candidates with a weighted score below this are declined", minimum=1.0, maximum=5.0),
    ),
    results=("maturity_scores.csv", "strategy_options.csv", "candidates_scored.csv", "value_targets.csv"),
    input_check="alliancekit.strategy_assessment:check_inputs",
)

#: org_design: alliance-management hours per partner and year by tier (1,800 productive hours
#: per FTE divided by partners per manager: Gold 10 and Silver 15 of the published 10-20
#: commercial partners per manager, Registered 40 (served mainly by the programme), Platinum
#: half a manager each, the specialist roles being sized on top; "other": tiers not listed).
ORG_TIER_HOURS = {"Platinum": 900.0, "Gold": 180.0, "Silver": 120.0, "Registered": 45.0, "other": 120.0}
#: org_design: coordination effort by partner type relative to an ISV (consultant's defaults).
ORG_TYPE_FACTORS = {"ISV": 1.0, "GSI": 1.2, "cloud": 1.2, "IHV": 1.0, "reseller": 0.8, "distributor": 0.8,
                    "OEM": 1.1, "other": 1.0}
#: org_design: hours of each specialist role per hour of alliance management (consultant's defaults).
ORG_ROLE_RATIOS = {"partner_marketing_manager": 0.30, "partner_solutions_architect": 0.25,
                   "partner_enablement_lead": 0.15, "alliance_operations_analyst": 0.10}
#: org_design: the client's priorities over the structure criteria (set with its executives).
ORG_PRIORITIES = {"speed_to_market": 0.20, "field_reach": 0.25, "strategic_depth": 0.25, "cost": 0.15, "control": 0.15}

ORG_DESIGN = Phase(
    name="org_design",
    number=4,
    title="Alliance Organisation Design",
    summary="Structure and reporting-line options, headcount from workload, position descriptions, RACI and a staffing review.",
    inputs=("partners", "staff", "partner_metrics"),
    optional_inputs=("opportunities",),
    params=(
        Param("hours_per_fte", "float", 1800.0, "productive hours a year per FTE (of about 2,000 working hours)", minimum=200, maximum=2600),
        Param("tier_hours", "weights", ORG_TIER_HOURS, "alliance-management hours per partner and year by tier ('other': tiers not listed)"),
        Param("type_factors", "weights", ORG_TYPE_FACTORS, "effort multiplier by partner type"),
        Param("revenue_weight", "float", 0.3, "how much revenue moves effort within a tier (0: not at all; factor 1 +/- this)", minimum=0.0, maximum=1.0),
        Param("complexity_uplift", "float", 0.5, "extra effort for a partner whose every deal is multi-way (0.5 = +50%)", minimum=0.0, maximum=3.0),
        Param("role_ratios", "weights", ORG_ROLE_RATIOS, "specialist hours per hour of alliance management, by role"),
        Param("director_span", "int", 10, "staff per alliance director (span of control); at least one director", minimum=2, maximum=30),
        Param("strategic_tiers", "str", "Platinum", "tiers of the strategic alliances, comma-separated (e.g. 'Platinum, Gold')"),
        Param("priorities", "weights", ORG_PRIORITIES, "client priorities weighting the structure criteria (renormalised)"),
        Param("overload_threshold", "float", 1.2, "workload share of capacity above which a person is overloaded", minimum=0.5, maximum=3.0),
        Param("underload_threshold", "float", 0.6, "workload share of capacity below which a person is under-loaded", minimum=0.0, maximum=1.0),
        Param("structure", "str", "auto", "structure to recommend ('auto': the best-scoring one)",
              choices=("auto", "centralised", "hub_and_spoke", "embedded", "strategic_teams")),
        Param("reporting_line", "str", "auto", "reporting line to recommend ('auto': the best-scoring one)",
              choices=("auto", "ceo", "coo", "sales", "strategy")),
    ),
    results=("structure_options.csv", "headcount.csv", "roles.csv"),
    input_check="alliancekit.org_design:check_inputs",
)

PARTNER_SWOT = Phase(
    name="partner_swot",
    number=3,
    title="Partner SWOT",
    summary="Anonymous partner interviews turned into a SWOT, themes with their reach, and an issue log.",
    inputs=("interviews", "partners"),
    optional_inputs=("staff", "swot_training"),
    params=(
        Param("min_respondents_per_theme", "int", 3, "distinct respondents a theme needs before quotes and "
              "partner-type breakdowns are shown (anonymity threshold)", minimum=1, maximum=50),
        Param("max_quotes_per_theme", "int", 2, "redacted quotes shown per theme", minimum=0, maximum=10),
        Param("include_other", "bool", False, "keep non-evaluative statements (small talk, contact lines) "
              "in statements.csv as quadrant 'other'"),
        Param("seed", "int", 0, "random seed of the classifiers", minimum=0),
    ),
    results=("statements.csv", "themes.csv"),
)

ECOSYSTEM_REPORTING = Phase(
    name="ecosystem_reporting",
    number=6,
    title="Ecosystem Reporting: Executive Report and Partner Scorecards",
    summary="Target attainment, sourced and influenced revenue, pipeline, win rates, MDF and KPI status for management; "
            "one QBR-ready scorecard per partner.",
    inputs=("partners", "partner_metrics", "opportunities"),
    params=(
        Param("attribution", "str", "equal_split", "how a deal with several partners is credited (totals never count it twice)",
              choices=("equal_split", "first_listed", "full_credit_reported_separately")),
        Param("partners", "str", "", "partner ids whose scorecards are rendered, comma-separated (empty: every partner)"),
        Param("qbr_decks", "bool", False, "also write a QBR deck (.pptx) per partner"),
        Param("pdf", "bool", True, "write each partner scorecard as PDF besides HTML"),
        Param("jobs", "int", 0, "processes rendering partner scorecards (0: one per CPU core)", minimum=0, maximum=256),
        Param("direction_months", "int", 3, "months compared with the months before for the direction of travel",
              minimum=1, maximum=12),
        Param("direct_win_rate", "float", 0.0, "win rate of the client's deals without partners, from its CRM (0: not provided)",
              minimum=0.0, maximum=1.0),
    ),
    results=("partner_status.csv", "executive_tables.xlsx"),
    needs=("metric_design", "portfolio_health"),
    input_check="alliancekit.ecosystem_reporting:check_inputs",
)

PHASES: dict[str, Phase] = {p.name: p for p in (METRIC_DESIGN, PORTFOLIO_HEALTH, STRATEGY_ASSESSMENT, ORG_DESIGN, PARTNER_SWOT, ECOSYSTEM_REPORTING)}


def phase_order(names: list[str] | tuple[str, ...]) -> list[str]:
    """``names`` plus the phases they need, in dependency order (then engagement order)."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        for dep in PHASES[name].needs:
            visit(dep)
        if name not in ordered:
            ordered.append(name)

    for name in sorted(names, key=lambda n: PHASES[n].number):
        visit(name)
    return ordered
