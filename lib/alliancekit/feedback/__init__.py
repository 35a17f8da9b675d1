"""Partner feedback text, shared by the phases that read it: identities out, then S/W/O/T.

:mod:`.redact` removes names, e-mail addresses, URLs, phone numbers and partner companies
(:class:`Redactor`, :func:`redact_interviews`); :mod:`.classify` places a statement in a SWOT
quadrant (:class:`SwotClassifier`, :func:`default_classifier`, the kit's corpus);
:mod:`.comments` applies both to short survey comments (:func:`redact_texts`,
:func:`classify_texts`). Phases never import each other, so partner_swot, relationship_health
and any later phase that reads partners' words use this library package instead. Names are
exported lazily (:mod:`alliancekit.lazy`): importing the package loads neither pandas nor
scikit-learn.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "classify": ("QUADRANTS", "SwotClassifier", "classify_table", "default_classifier", "fit_classifier"),
    "redact": ("Redactor", "redact_interviews"),
    "comments": ("classify_texts", "redact_texts"),
})
