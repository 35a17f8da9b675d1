"""Portfolio health review: the annual inspection of every alliance in the portfolio.

Practitioners recommend that an alliance office review each alliance at least once a year,
looking at "revenue, activity levels, trends, macroeconomic factors ... to determine the health
of an alliance", as one practitioner put it. The review does this for *every* alliance at once, so that weak
alliances are addressed instead of lingering (the "roach motel" practitioners warn of: they
check in but never check out). The steps:

1. :func:`health_features`: one row of comparable health features per partner, computed from
   the monthly partner metrics, the opportunity records and (optionally) macro factors.
2. :func:`health_score`: each feature becomes a 0-100 sub-score by its percentile rank in the
   portfolio (robust to scale and to a few very large partners), then a weighted average.
3. :func:`segment_portfolio`: alliances that behave alike are grouped with k-means; the number
   of segments is chosen by silhouette and its stability is measured by bootstrap.
4. :func:`name_segments` and :func:`recommend_actions`: plain-language segment names and one
   action per alliance (invest, grow, fix, exit review) with the evidence behind it, both decided
   by absolute thresholds on the alliance's own figures (``rules``), never by the health score,
   so the same behaviour gets the same verdict in every review; with last review's delivery
   (``previous``) its reference level is reused, segments keep their names where the profile
   holds and each alliance's change is stated.
5. :func:`segments_table`, :func:`segment_profile`, :func:`exit_review_candidates` and the
   chart functions: what the report and ``segments.csv`` show.

:func:`review` runs the whole phase from validated inputs and parameters for the notebook.

Every function is pure (no I/O), deterministic (fixed seeds, stable sort orders) and
vectorised over partners, so a portfolio of 100,000 partners x 36 months takes seconds.

The code follows these steps, one module each: ``features`` (1), ``scoring`` (2), ``segments``
(3), ``rules`` and ``previous`` (the thresholds and last review, 4), ``actions`` (4 and the tables of 5), ``charts`` (the figures of 5), ``phase`` (:func:`review`
and :class:`Review`, the computed results) and ``narrative`` (:class:`Narrative`: the report's
sentences and display tables, built from a :class:`Review`). Everything public is imported here:
use ``alliancekit.portfolio_health``.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "declaration": ("Params",),
    "actions": ("ACTIONS", "MONEY_COLUMNS", "RATIO_COLUMNS", "RULES", "exit_review_candidates", "recommend_actions",
        "segment_profile", "segments_table"),
    "charts": ("chart_health_distribution", "chart_segment_map", "chart_weakest_trends"),
    "features": ("ACTIVITY_COLUMNS", "JOINT_ACTIVITY_COLUMNS", "MDF_COLUMNS", "MIN_MONTHS", "TREND_OFFSET", "WINDOW", "health_features"),
    "narrative": ("DISPLAY_LABELS", "FORMATS", "Narrative"),
    "phase": ("Review", "check_inputs", "review"),
    "previous": ("MATCH_DISTANCE", "PreviousReview", "compare_alliances", "ended", "keep_names", "match_segments",
        "read_previous"),
    "rules": ("LARGE_RATIO", "SMALL_RATIO", "THRESHOLD_COLUMNS", "Rules", "resolve_rules", "symmetric"),
    "scoring": ("COMPONENT_DESCRIPTIONS", "DEFAULT_WEIGHTS", "WIN_RATE_PRIOR_DEALS", "ZERO_WHEN_MISSING",
        "component_scores", "health_score", "resolve_weights", "valid_weight_names"),
    "segments": ("BOOTSTRAP_SAMPLE", "CLUSTER_THREADS", "DORMANT", "NAME_GRID", "NEW", "SEGMENT_FEATURES",
        "SILHOUETTE_SAMPLE", "Segmentation", "name_segments", "segment_matrix", "segment_medians", "segment_portfolio",
        "unique_names"),
})
