"""Organisation design: what the alliance organisation should look like, and how many people it needs.

The phase settles what the alliance organisation should look like, whom it should report to,
which skills matter, whether one person should manage several alliances or several people one;
practitioners deliver an organisation structure, 4-6 position descriptions and key metrics,
and an external review of the existing staff. Alliance managers face both
organisations and work through virtual teams. The phase answers in five steps, one module each:

1. ``workload``: alliance-management hours per partner (tier, type, revenue, multi-way deals)
   and the FTE every role needs against its capacity: ``headcount.csv``.
2. ``options``: structures and reporting lines scored against the client's priorities and
   facts of its portfolio: ``structure_options.csv``.
3. ``documents`` and ``templates``: position descriptions rendered from the role library in
   ``engagement_templates/org_design/``: ``roles.csv``; ``raci``: who does what.
4. ``staffing``: every person's workload against capacity (``staff_load.csv``), partners nobody
   covers, strategic partners without an executive sponsor (``partner_coverage.csv``: who
   covers each partner and whether it has a sponsor).
5. ``orgchart`` and ``charts``: the organisation chart of the recommended option and the data charts;
   ``method``: the sources of every default, the sensitivity table and the data notes.

:func:`review` (in ``phase``) runs them all and returns the computed :class:`Review`;
:class:`Narrative` (in ``narrative``) words it for the report. Every function is pure and
deterministic; the only files read are the templates.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "charts": ("chart_headcount", "chart_utilisation"),
    "documents": ("option_cards", "position_descriptions", "render_role", "roles_csv"),
    "options": ("SIGNAL_LABELS", "choose", "normalise_priorities", "options_csv", "portfolio_signals",
        "score_options"),
    "orgchart": ("Group", "OrgLayout", "chart_org", "org_layout"),
    "method": ("PARAMETER_SOURCES", "data_notes", "sensitivity"),
    "narrative": ("Narrative",),
    "declaration": ("PRIORITIES", "ROLE_RATIOS", "TIER_HOURS", "TYPE_FACTORS", "Params"),
    "phase": ("Review", "check_inputs", "possessive",
        "review"),
    "raci": ("LEGEND", "abbreviations", "raci_html", "raci_matrix", "raci_problems"),
    "staffing": ("COVERAGE_COLUMNS", "ROLE_SYNONYMS", "STATUSES", "coverage", "current_fte", "match_role",
        "missing_sponsors", "parse_tiers", "partner_coverage", "partners_without_role", "staff_load", "staff_roles",
        "strategic_mask", "uncovered_partners"),
    "templates": ("TEMPLATE_DIR", "TemplateError", "Templates", "load_templates", "template_folders"),
    "workload": ("OTHER_TIER", "headcount_table", "multiway_share", "need_today", "partner_effort", "rank_within",
        "required_fte", "role_hours", "scenario_fte", "tier_key", "trailing_revenue"),
})
