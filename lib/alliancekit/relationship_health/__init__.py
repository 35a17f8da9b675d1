"""Relationship health: the two-sided alliance health survey, every six months.

People on both sides of each alliance, in matched functions, rate the same mirrored statements
anonymously; the review shows where the two companies see their alliance differently, whether
the partner's field teams know and bring in the client's offering more than last time, and the
dimensions that are weakest across the portfolio.

1. ``bank``: the editable statement bank (``engagement_templates/relationship_health/``).
2. ``analysis``: scores with their uncertainty, perception gaps flagged only when large and
   beyond chance over the whole portfolio, field mind-share wave over wave, NPS.
3. ``phase``: :func:`review`, and the comments, redacted and classified by
   :mod:`alliancekit.feedback` (shared with partner_swot).
4. ``narrative``: the report's words, tables and charts.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "declaration": ("Params",),
    "bank": ("StatementBank", "load_bank"),
    "analysis": ("alliance_health", "bh_flags", "group_scores", "mind_share", "nps", "perception_gaps",
                 "respondent_scores", "weakest_dimensions"),
    "phase": ("HealthReview", "check_inputs", "review"),
    "narrative": ("Narrative",),
})
