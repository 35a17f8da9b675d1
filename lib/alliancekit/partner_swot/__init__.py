"""Phase 3, partner SWOT: anonymous partner interviews turned into a SWOT, themes and an issue log.

Modules, in the order the analysis runs: :mod:`alliancekit.feedback.redact` (identities out,
first), :mod:`.statements` (split into statements), :mod:`alliancekit.feedback.classify`
(SWOT quadrant; also used by ``alliancekit swot classify``), :mod:`.themes` (themes, reach,
quotes, breakdowns), :mod:`.issues` (the issue log), :mod:`.phase` (:func:`review`, the chain,
and :class:`SwotReview`, its results) and :mod:`.narrative` (:class:`Narrative`: what the
report says about a :class:`SwotReview`). Redaction and classification live in the shared
:mod:`alliancekit.feedback` package, which other phases reading partners' words use too; the
names below are still exported from here.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "declaration": ("Params",),
    "alliancekit.feedback.classify": ("QUADRANTS", "SwotClassifier", "default_classifier", "fit_classifier"),
    "alliancekit.feedback.redact": ("Redactor", "redact_interviews"),
    "narrative": ("Narrative",),
    "phase": ("SwotReview", "review"),
})
