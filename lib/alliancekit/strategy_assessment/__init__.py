"""Strategy assessment: alliance maturity, targets, portfolio strategy options and the formation process.

The first phase of an engagement answers four questions with the
client's executives (CEO, CFO, Sales, Marketing, Operations, IT, Alliances):

1. **How mature is the alliance organisation?** ``maturity``: a behaviourally anchored
   questionnaire (``engagement_templates/maturity_questionnaire.yml``) scored per dimension and
   per role, with spread, the gap to a target level, where the executives disagree most, and
   the three to five priorities that follow, in plain words.
2. **What should alliances deliver?** ``targets``: revenue and non-revenue targets across the
   five value dimensions (new customers and markets, time to market, holistic product,
   revenue, trust), each with how it will be measured: the hand-off to ``metric_design``.
3. **A few key alliances, or as many as possible?** ``options``: a weighted decision matrix of
   the portfolio strategy options in the argument library
   (``engagement_templates/strategy_arguments.yml``), the recommendation, and the weight
   changes that would flip it.
4. **How are new alliances formed?** ``formation``: candidates scored on weighted criteria, a
   qualification gate (approve / review / decline), overlap with the current portfolio
   (redundant or conflicting alliances, with the partner they overlap), and the approval
   workflow with owners and durations.

``templates`` loads and checks the two YAML templates; ``inputs`` holds :func:`check_inputs`,
the bad-input rules run before any kernel starts; ``charts`` draws the figures; ``phase`` has
:func:`review`, which runs everything and returns the results, an :class:`Assessment`;
``narrative`` has :class:`Narrative`, what the report says about them (sentences, key figures,
display tables). Every function is pure (no I/O beyond reading the templates) and deterministic.

Result files: ``maturity_scores.csv`` (``dimension, score, spread, n, target, gap``, then
``name, level, rank, role_gap, highest_role, highest_role_score, lowest_role,
lowest_role_score, answers, lens``), ``strategy_options.csv`` (``option_id, option,
weighted_score, rank, recommended, margin`` and the 1-5 score per criterion),
``candidates_scored.csv`` (``candidate_id, candidate_name, partner_type, region, offering,
weighted_score, rank, gate, overlap, overlaps_with, overlaps_with_names, criteria_scored,
reason`` and the criterion scores) and ``value_targets.csv`` (``value_dimension,
target_name, parameter, target, unit, status, measure, indicators``).
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "declaration": ("Params",),
    "charts": ("GATE_COLORS", "chart_candidates", "chart_disagreement", "chart_radar", "chart_role_heatmap",
        "chart_sensitivity", "chart_workflow"),
    "formation": ("CANDIDATE_COLUMNS", "GATES", "NOT_CRITERIA", "REVIEW_STAGE", "WORKFLOW", "Stage",
        "candidate_weights", "find_overlaps", "gate", "numeric_columns", "overlap_keys", "score_candidates",
        "time_to_approval", "weighted_scores", "workflow_table"),
    "inputs": ("candidate_problems", "check_inputs", "parameter_problems", "resolve_templates", "survey_problems"),
    "maturity": ("MATURITY_COLUMNS", "POOLED_ROLE", "Priority", "answers", "dimension_scores", "disagreements",
        "level_of", "priorities", "respondent_scores", "role_scores", "target_levels"),
    "options": ("TIE", "criteria_matrix", "decision_matrix", "option_weights", "scores_at", "sensitivity"),
    "narrative": ("Narrative",),
    "phase": ("Assessment", "DataChecks", "review"),
    "targets": ("VALUE_TARGETS", "ValueTarget", "format_target", "value_targets"),
    "templates": ("ARGUMENTS_FILE", "QUESTIONNAIRE_FILE", "ArgumentLibrary", "Criterion", "Dimension", "Option",
        "Questionnaire", "load_arguments", "load_questionnaire", "template_path"),
})
