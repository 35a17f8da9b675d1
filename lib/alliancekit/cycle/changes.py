"""What a comparison found in one phase: sentences, tables for the report, result files and figures.

Each phase's comparison (one module each in :mod:`alliancekit.cycle`) returns a
:class:`PhaseChanges`; :mod:`.comparison` puts them together into ``changes/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..fmt import join_words
from ..phases import PHASES

#: Names listed in a sentence before "and N more" (the tables and CSVs hold them all).
NAMES_IN_SENTENCE = 8


def listed(items) -> str:
    """Up to :data:`NAMES_IN_SENTENCE` of ``items`` in words, then how many more: 'A, B and 3 more'."""
    items = [str(i) for i in items]
    shown = items[:NAMES_IN_SENTENCE]
    more = len(items) - len(shown)
    return join_words(shown + ([f"{more} more"] if more else []))


@dataclass
class Shown:
    """A table of the report: client headings, formats by heading, notes attached with ``report.annotate``."""

    caption: str
    table: pd.DataFrame
    formats: dict[str, Any] = field(default_factory=dict)


@dataclass
class PhaseChanges:
    """What changed in one phase between two deliveries.

    ``summary``: every change stated in sentences a client reads ("12 alliances moved from Small,
    growing fast to Strong and growing"), the most important first; "no change" said in words too.
    ``files``: the comparison's CSVs (file name in ``changes/`` -> table in the kit's column names,
    one row per item compared, stable order). ``shown``: the report's tables. ``figures``:
    ``(matplotlib figure, caption)`` pairs.
    """

    phase: str
    summary: list[str]
    files: dict[str, pd.DataFrame] = field(default_factory=dict)
    shown: list[Shown] = field(default_factory=list)
    figures: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The section's heading: the phase's title."""
        return PHASES[self.phase].title
