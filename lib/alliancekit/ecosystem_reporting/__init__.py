"""Ecosystem reporting: the internal executive report and one QBR-ready scorecard per partner.

Reporting serves two readers. Management gets target attainment and where to exploit
the unexpected; each partner gets its own progress against targets. The partner scorecard
follows the shape practitioners use: headed by the lagging revenue goals, then the
leading indicators, each with a completion status wheel and an arrow for the direction of
travel; it adds sourced versus influenced revenue and unused MDF, which practitioners also
track per partner. The steps, one
module each:

1. ``upstream``: metric_design's ``scorecard.yml`` (goals, leading KPIs, targets, thresholds)
   and portfolio_health's ``segments.csv``, read from their result files.
2. ``panel``: the monthly metrics as a partners x months panel, and ``partner_status``: one
   line per partner and measure with value, target, attainment, status and direction.
3. ``status``: the status and direction-of-travel rules (thresholds; last N months against
   the N before, flat within ±5 %).
4. ``attribution``: multi-partner deals credited by the engagement's rule (``equal_split``,
   ``first_listed``, ``full_credit_reported_separately``) without double counting totals; a
   direct deal (no partner) is credited to no partner and is on no scorecard.
5. ``executive``: the executive tables (revenue against target by type, tier and region,
   sourced and influenced, pipeline by stage and velocity, win rates, deals with and without
   partners (direct deals: no partner listed), MDF allocated/spent/unused, KPI status,
   segments, top movers, course corrections, unexpected upside); ``charts``: their figures and
   the scorecard's SVG signs.
6. ``payload``: one plain payload per partner built from that partner's rows and anonymous
   tier benchmarks only; ``scorecards``: every payload rendered to HTML (Jinja2, autoescaped)
   and PDF (WeasyPrint) by the runner, one Dask task per partner, with a progress bar;
   ``qbr``: the optional ``.pptx`` deck (``scorecard_text``: how a change and the period read on
   both); ``workbook``: the Excel workbook of the executive tables.
7. ``phase``: :func:`review` computes it all into :class:`Review`; ``narrative``:
   :class:`Narrative`, what the report says of it (figures, sentences, display tables,
   formats, notes); ``delivery``: :func:`deliver` writes the workbook and the scorecards (under
   ``alliancekit run``: hands both to the runner, which writes them on its Dask workers).

Result files: ``partner_status.csv`` (columns :data:`~.panel.STATUS_COLUMNS`: one row per
partner and scorecard measure with ``value``, ``target``, ``attainment``, ``status`` (green,
amber, red, no target, no data), ``direction`` (up, flat, down, no data) and its ``arrow``),
``programme_summary.csv`` (the headline figures as plain numbers, one row per measure: revenue
against target, the sourced and influenced mix, partner and direct deals; what a later review
compares), ``executive_tables.xlsx`` (one sheet per executive table; "With and without
partners" when the opportunities hold a direct deal), and ``partners/<partner_id>.html`` and ``.pdf`` (``.pptx``
with ``qbr_decks``); an id that is not a safe file name is slugged with a short hash
(:func:`~.payload.file_stem`).
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "attribution": ("ATTRIBUTION_RULES", "attribute_deals", "credit_overlap", "deal_table", "every_deal"),
    "charts": ("chart_attainment", "chart_attribution", "chart_kpi_status", "chart_mdf", "chart_partner_revenue",
        "chart_pipeline_stages", "percentile_bar_html", "status_wheel_svg"),
    "executive": ("attribution_by_group", "attribution_summary", "course_corrections", "kpi_status_summary",
        "mdf_by_group", "mdf_frame", "mdf_unused_partners", "partner_comparison", "pipeline_by_stage", "pipeline_velocity",
        "programme_summary", "reported_revenue_split", "revenue_movers", "revenue_vs_target", "segment_summary",
        "top_movers", "unexpected_upside", "win_rates"),
    "panel": ("BASIS_MONTHS", "STATUS_COLUMNS", "YEAR", "Panel", "build_panel", "partner_status"),
    "payload": ("MIN_PEERS", "ScorecardContext", "file_stem", "partner_payload", "partner_payloads", "payload_leaks"),
    "declaration": ("Params",),
    "delivery": ("Delivery", "deliver"),
    "narrative": ("FORMATS", "NO_DIRECT_DEALS", "Narrative"),
    "phase": ("Review", "check_inputs", "review", "selected_partners"),
    "scorecards": ("FanOut", "MAX_BATCH", "PartnerFailed", "RenderOptions", "batch_size", "has_pending", "plan_scorecards",
        "render_batch", "render_here", "render_partner", "render_pending", "render_scorecard_html"),
    "status": ("ARROWS", "FLAT_BAND", "STATUS_COLORS", "attainment", "direction_of_travel", "status_of"),
    "upstream": ("ScorecardSpec", "parse_scorecard", "read_relationship", "read_scorecard", "read_segments"),
    "workbook": ("WORKBOOK", "executive_workbook", "has_pending_workbook", "plan_workbook", "write_pending_workbook"),
})
