"""Numbers and words for the reader: each small formatting rule of the kit, written once.

Report sentences, table cells, chart labels, key-figure tiles, scorecards and QBR decks all
show amounts, percentages, changes and lists of names. Each rule lives here so that a number
reads the same wherever it appears, and a fix reaches every phase at once. Where phases
deliberately show a value differently (a scorecard's ``±0%``, a strategy target's whole
numbers under 10), the difference is a keyword argument of the one helper, not a second copy.

Every helper takes one scalar and returns text. A missing value (None, NaN, NaT, ``pd.NA``)
reads as :data:`DASH` unless the caller asks for other text with ``missing=``. Month parsing
and month labels live in :mod:`alliancekit.months`.
"""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

#: How a missing value reads in tables, tiles and sentences (an en dash, as :func:`alliancekit.report.esc`).
DASH = "–"


def is_missing(value: object) -> bool:
    """Whether ``value`` is None, NaN, NaT or ``pd.NA``; text (even empty) is never missing.

    One test for every helper, so that a NaN from pandas and a None from a payload read alike.
    """
    if value is None:
        return True
    if isinstance(value, float):  # also numpy floats: the common case, answered without pandas
        return math.isnan(value)
    if isinstance(value, (str, bytes)):
        return False
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def compact_number(value: object, *, missing: str = DASH, thousands: bool = False,
                   fraction_below_ten: bool = True) -> str:
    """An amount in a few characters: ``1234567`` -> ``1.2M``, ``45000`` -> ``45k``, ``2.5e9`` -> ``2.5bn``.

    Money in tiles, sentences and on axes, where the full figure would crowd the reader. From
    1,000 on: one decimal at most with a trailing ``.0`` dropped, and a suffix (``k``, ``M``,
    ``bn``). Below 1,000: whole, except that a number under 10 keeps one decimal (``2.5``)
    unless ``fraction_below_ten`` is False (strategy targets: ``2``). ``thousands`` puts
    separators into the digits (``1,000k`` rather than ``1000k`` where a value rounds up to the
    next suffix). Missing or infinite values read as ``missing``.
    """
    if is_missing(value):
        return missing
    number = float(value)
    if not math.isfinite(number):
        return missing
    sep = "," if thousands else ""
    sign = "-" if number < 0 else ""
    size = abs(number)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{sign}{f'{size / limit:{sep}.1f}'.rstrip('0').rstrip('.')}{suffix}"
    if size >= 10 or size == int(size) or not fraction_below_ten:
        return f"{sign}{size:{sep}.0f}"
    return f"{sign}{size:.1f}"


def compact_tick(value: float, _pos: object = None) -> str:
    """:func:`compact_number` for a chart axis: matplotlib's ``FuncFormatter`` also passes the tick's position."""
    return compact_number(value)


def plain_number(value: object, *, missing: str = DASH, whole: bool = False, by_size: bool = True) -> str:
    """An amount as written in a table: whole with separators from 100 (``1,234``), else at most one decimal (``12.5``, ``3``).

    Counts and averages whose precision matters more than their length. ``whole`` gives whole
    numbers at any size (money in the metric tables). ``by_size`` compares the number's size
    with 100; False compares the signed value, so a negative number keeps its decimal
    (metric_design's thresholds). Missing or infinite values read as ``missing``.
    """
    if is_missing(value):
        return missing
    number = float(value)
    if not math.isfinite(number):
        return missing
    if whole or (abs(number) if by_size else number) >= 100:
        return f"{number:,.0f}"
    return f"{number:,.1f}".rstrip("0").rstrip(".")


def amount(value: object, unit: str = "number", *, missing: str = DASH) -> str:
    """A measure's value by its scorecard unit: ``currency`` compact (``1.2M``), ``share`` a whole percent, else plain.

    The scorecards, QBR decks and the executive report read measures of mixed units row by row.
    """
    if is_missing(value):
        return missing
    if unit == "currency":
        return compact_number(value, missing=missing)
    if unit == "share":
        return percent(value, missing=missing)
    return plain_number(value, missing=missing)


def percent(value: object, decimals: int = 0, *, missing: str = DASH) -> str:
    """A share as a percent: ``0.347`` -> ``35%`` (``decimals`` more digits when asked; an infinite share reads ``inf%``)."""
    if is_missing(value):
        return missing
    return f"{float(value):.{decimals}%}"


def signed_percent(value: object, decimals: int = 0, *, missing: str = DASH, zero: str | None = None,
                   infinite: str | None = None) -> str:
    """A change as a signed percent: ``0.12`` -> ``+12%``, ``-0.05`` -> ``-5%``.

    ``zero``: the text of a change that rounds to 0 (the scorecards say ``±0%``); None shows
    it as formatted (``+0%`` or ``-0%``). ``infinite``: the text of an infinite change, i.e.
    growth from zero (the scorecards say ``from zero``); None shows ``+inf%``.
    """
    if is_missing(value):
        return missing
    number = float(value)
    if infinite is not None and math.isinf(number):
        return infinite
    if zero is not None and round(number * 100, decimals) == 0:
        return zero
    return f"{number:+.{decimals}%}"


def signed_number(value: object, decimals: int = 1, *, missing: str = DASH, thousands: bool = False,
                  zero: str | None = None) -> str:
    """A difference or an effect with its sign: ``+0.46``, ``-1.5``; ``thousands`` adds separators (``+1,200.0``).

    ``zero``: the text of a value that rounds to 0 at ``decimals`` (metric design's effects
    say ``0.00``, never ``-0.00``); None shows it as formatted (``+0.0`` or ``-0.0``).
    """
    if is_missing(value):
        return missing
    number = float(value)
    if zero is not None and round(number, decimals) == 0:
        return zero
    return f"{number:+{',' if thousands else ''}.{decimals}f}"


def join_words(items: Iterable[object]) -> str:
    """Items as a phrase: ``a``; ``a and b``; ``a, b and c`` (no serial comma); nothing -> ``''``."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def plural(count: object, word: str) -> str:
    """The count and the word, with an ``s`` unless the count is 1: ``1 month``, ``3 months``, ``0 months``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def split_ids(value: object, *, unique: bool = False) -> list[str]:
    """``'P1; P2;P3'`` -> ``['P1', 'P2', 'P3']``: a ``;``-separated list of ids as the inputs hold them.

    Parts are stripped and blank parts dropped; missing -> ``[]``. ``unique`` drops repeats,
    keeping the first (a deal credits a partner once however often it is listed).
    """
    if is_missing(value):
        return []
    parts = [part.strip() for part in str(value).split(";") if part.strip()]
    return list(dict.fromkeys(parts)) if unique else parts
