"""Alliance staff: an external review of the alliance managers' effectiveness, and a recruiting kit.

The consultancy's service menu offers "assistance with identifying, recruiting and
interviewing Alliance and Ecosystem staff" and "an external review of existing staff
effectiveness". The phase delivers both, confidential to the client's leadership and HR:

1. ``effectiveness``: each alliance manager's portfolio results (health, growth, attainment,
   win rate) against what partners of the same segment, tier and type achieve elsewhere, so
   that a manager who inherited stars is not ranked above one who lifts dormant partners.
2. ``phase``: the team's findings (coverage gaps, single points of failure, career-path and
   certification answers of the maturity survey, partner feedback on alliance managers in
   aggregate only) and :func:`review`, which runs everything.
3. ``recruiting``: per position, the competencies and levels required, behavioural interview
   questions with strong and weak answers, a work sample, interviewer scorecards (.xlsx), and
   from the optional ``hiring_scores`` a ranked shortlist with the panel's disagreements.
4. ``narrative`` words it for ``staff_review.html/pdf``; ``delivery`` writes the recruiting kit.

Templates: ``engagement_templates/org_design/`` (roles, competencies, interview guide); an
engagement's own copies win.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "declaration": ("Params",),
    "effectiveness": ("MEASURES", "ManagerReview", "coverage", "expected_results", "partner_results", "review_managers"),
    "phase": ("StaffReview", "check_inputs", "review"),
    "recruiting": ("Shortlist", "hiring_problems", "interview_guide_html", "interviewer_workbook",
                   "normalise_hiring_scores", "shortlist"),
    "narrative": ("Narrative",),
    "delivery": ("deliver_recruiting_kit",),
})
