"""How a partner's own figures read on its scorecard and in its QBR deck.

The scorecard (:mod:`.scorecards`) and the deck (:mod:`.qbr`) show a measure's change and the
period the same way; both import these helpers from here, so neither imports the other for
them (the scorecard fan-out imports the deck builder only when decks are asked for).
"""

from __future__ import annotations

from datetime import date

from ..fmt import signed_percent


def change_pct(value) -> str:
    """A change as scorecards and QBR decks show it: ``+12%``, ``±0%``, ``from zero`` (after a zero), nothing when unknown."""
    return signed_percent(value, missing="", zero="±0%", infinite="from zero")


def period_label(as_of: str) -> str:
    """``2026-09`` -> ``12 months to Sep 2026``."""
    try:
        y, m = int(as_of[:4]), int(as_of[5:7])
        return f"12 months to {date(y, m, 1):%b %Y}"
    except (ValueError, IndexError):
        return ""
