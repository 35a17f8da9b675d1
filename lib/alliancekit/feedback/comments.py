"""Short free-text comments (survey answers): redacted and classified as interviews are.

Built on :class:`~.redact.Redactor` and the SWOT classifier (:mod:`.classify`), with their
rules unchanged: a comment loses exactly what an interview would, and a statement gets the
quadrant the partner SWOT would give it.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from .classify import SwotClassifier, default_classifier
from .redact import Redactor


def redact_texts(texts: Sequence[str], names: Iterable[str] = ()) -> tuple[list[str], Counter]:
    """``texts`` with identities removed by the interview rules, plus the people ``names`` given.

    As for interviews, a name found in one text is removed from all of them. Returns the
    redacted texts, in order, and the number of removals by kind (``email``, ``url``,
    ``phone``, ``partner``, ``name``).
    """
    texts = ["" if t is None else str(t) for t in texts]
    redactor = Redactor(people=names).learn(texts)
    results = [redactor.redact(t) for t in texts]
    return [r.text for r in results], sum((r.counts for r in results), Counter())


def classify_texts(texts: Sequence[str], classifier: SwotClassifier | None = None) -> list[str]:
    """The quadrant of each text (``strength`` ... ``threat``, or ``other`` for small talk).

    ``classifier``: a fitted :class:`~.classify.SwotClassifier`; by default the kit's
    (:func:`~.classify.default_classifier`).
    """
    texts = [str(t) for t in texts]
    if not texts:
        return []
    classifier = default_classifier() if classifier is None else classifier
    return [str(q) for q in classifier.predict(texts)]
