"""Metric design: which leading indicators really move revenue, and the scorecard that follows.

Alliance metrics are rarely direct: revenue shows up late, so a scorecard needs
leading indicators, activities that move first (joint accounts agreed, proposals submitted),
grouped by motion as practitioners do: Build-With, Market-With, Sell-With. This phase tests
every monthly indicator the client reports and keeps only those that really lead. The steps,
one module each:

1. ``panel``: the metrics as a partners x months panel; candidates are every numeric column
   except the target and the lagging outcomes; the data-quality counts behind the data notes.
2. ``lags``: for each candidate, the lag (1..``max_lag`` months) at which its within-partner
   changes best anticipate the target's, with month effects removed, the target's own movement
   controlled for, a reverse-direction test, and a simultaneous bootstrap interval over
   partners; ``leading`` and a verdict in words (follows the target, moves with the target,
   only trends, seasonal, too weak, no relation). The method is in that module's docstring.
3. ``funnel``: the motion of each column (known names, then keywords, else Sell-With), labels, units.
4. ``scorecard``: lagging goals, the strongest leading KPIs per motion, targets from the data
   (percentile or growth), status thresholds, and the motions left without a leading KPI.
5. ``charts``: effect against lag per indicator; effects by motion (the funnel).
6. ``phase``: :func:`review` runs it all; :class:`Design` holds what it computed.
   ``narrative``: :class:`Narrative` (``Narrative(design)``), the sentences and display tables
   the notebook shows, built from a :class:`Design`. ``inputs``: :func:`check_inputs`, the
   bad-input rules.

Result files: ``indicator_effects.csv`` (one row per candidate, strongest first: leading ones
by effect size, then the others; columns ``indicator, lag_months, effect, ci_low, ci_high,
leading, rank, funnel_stage`` and then the evidence: ``label, verdict, reason, lag_low,
lag_high, same_month_effect, reverse_effect, reverse_lag, trend_strength, seasonal_strength,
n_partners, n_pairs``) and ``scorecard.yml``.

``scorecard.yml`` (version 1), read by ``ecosystem_reporting``::

    version: 1
    target: revenue                  # the lagging outcome the indicators were tested against
    period: month
    as_of: 2026-09                   # last month of the data
    basis: per partner per month; compare a partner's latest 3-month average with the target
    target_rule: {method: percentile, percentile: 75.0, growth: 0.1, amber_share: 0.8,
                  baseline_months: 12, description: ...}
    goals:                           # lagging goals: the target, then revenue/bookings/new_customers present
      - kpi: revenue                 # the partner_metrics column
        label: Revenue
        stage: outcome
        kind: lagging
        direction: up                # up: more is better; down: less is better
        unit: currency               # currency | count | number
        baseline: 41200              # median active partner's monthly average, last 12 months
        target: 98700                # per partner per month (= thresholds.green)
        thresholds: {green: 98700, amber: 79000}
    kpis:                            # leading KPIs, strongest per motion (at most kpis_per_stage each)
      - kpi: joint_accounts_nominated
        label: Joint accounts nominated
        stage: Sell-With             # Build-With | Market-With | Sell-With | outcome
        kind: leading
        lag_months: 6                # this month's value speaks about the target 6 months on
        effect: 0.43                 # partial correlation at that lag (-1..1)
        interval: [0.34, 0.52]       # simultaneous confidence interval of the effect
        direction: up
        unit: count
        baseline: 3.2
        target: 5.1
        thresholds: {green: 5.1, amber: 4.1}
    gaps:                            # motions without a leading KPI, and what to measure instead
      - {stage: Build-With, note: ..., measure_next: ...}
    not_leading:                     # indicators tested and found not leading (do not show as predictors)
      - {indicator: mdf_spent, verdict: follows the target}

Status of a value v (a partner's latest 3-month average): for ``direction: up`` green when
v >= thresholds.green, amber when v >= thresholds.amber, red otherwise; for ``direction: down``
green when v <= thresholds.green, amber when v <= thresholds.amber, red otherwise. Numbers
are plain YAML numbers; a measure without any active partner has ``null`` target and thresholds.

Every function is pure and deterministic (the ``seed`` parameter fixes the resampling), and
vectorised over partners: 10,000 partners x 36 months take seconds.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "charts": ("chart_funnel", "chart_lag_profiles"),
    "funnel": ("BUILD", "FUNNEL_STAGES", "GOAL_COLUMNS", "LAGGING_OUTCOMES", "MARKET", "OUTCOME", "SELL", "STAGES",
        "label_of", "stage_of", "unit_of"),
    "inputs": ("check_inputs",),
    "lags": ("EFFECT_COLUMNS", "VERDICTS", "Changes", "LagEstimates", "estimate_lags", "standardised_changes"),
    "panel": ("BASELINE_MONTHS", "EXTRA_MONTHS", "MIN_PARTNERS", "Panel", "build_panel", "candidate_columns"),
    "declaration": ("Params",),
    "narrative": ("FORMATS", "Narrative"),
    "phase": ("Design", "review"),
    "scorecard": ("SCORECARD_VERSION", "Scorecard", "TargetRule", "build_scorecard"),
})
