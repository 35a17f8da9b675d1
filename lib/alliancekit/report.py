"""What a phase notebook shows the client: tables, figures, key figures, call-outs, text.

Every helper returns an IPython ``HTML`` object built from escaped values, so client text
(a partner called ``<script>...``) is shown as text, never interpreted. Notebooks hold the
narrative in markdown cells and use these helpers for anything computed.
"""

from __future__ import annotations

import html
from typing import Callable, Iterable, Mapping, Sequence

import pandas as pd
from IPython.display import HTML

from .theme import figure_svg

#: Columns beyond which a table goes on a landscape page in the PDF.
LANDSCAPE_COLUMNS = 7
#: Columns beyond which a table is split into several tables (the first column repeats).
SPLIT_COLUMNS = 11

Formatter = str | Callable[[object], str]


def esc(value: object) -> str:
    """``value`` as HTML-escaped text (missing values as an en dash)."""
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return "–"
    return html.escape(str(value), quote=True)


def _format(value: object, fmt: Formatter | None) -> str:
    if value is None or (not isinstance(value, (str, bytes, list)) and pd.isna(value)):
        return "–"
    if fmt is None:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 100):
            return f"{value:,.0f}"
        if isinstance(value, float):
            return f"{value:,.2f}"
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        return str(value)
    return fmt(value) if callable(fmt) else fmt.format(value)


def _table_html(frame: pd.DataFrame, formats: Mapping[str, Formatter], css_class: str, caption: str | None) -> str:
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])}
    head = "".join(f'<th class="{"num" if c in numeric else "txt"}">{esc(c)}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="{"num" if c in numeric else "txt"}">{esc(_format(v, formats.get(c)))}</td>'
            for c, v in zip(frame.columns, row))
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<table class="kit-table {css_class}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def table(frame: pd.DataFrame, caption: str | None = None, formats: Mapping[str, Formatter] | None = None,
          labels: Mapping[str, str] | None = None, max_rows: int | None = None) -> HTML:
    """A styled table of ``frame``.

    ``formats`` maps columns to a format string (``"{:.0%}"``) or a function; ``labels``
    renames columns for the reader. Tables wider than :data:`LANDSCAPE_COLUMNS` go on a
    landscape page in the PDF; wider than :data:`SPLIT_COLUMNS` they are split into parts
    that each repeat the first column, so no column is ever cut off.
    """
    formats = dict(formats or {})
    shown = frame if max_rows is None else frame.head(max_rows)
    if labels:
        formats = {labels.get(k, k): v for k, v in formats.items()}
        shown = shown.rename(columns=dict(labels))
    ncols = shown.shape[1]
    css = "wide" if ncols > LANDSCAPE_COLUMNS else ""
    if ncols <= SPLIT_COLUMNS:
        parts = [_table_html(shown, formats, css, caption)]
    else:
        key, rest = shown.columns[0], list(shown.columns[1:])
        step = SPLIT_COLUMNS - 1
        chunks = [rest[i:i + step] for i in range(0, len(rest), step)]
        parts = [_table_html(shown[[key, *chunk]], formats, css,
                             f"{caption or 'Table'} (part {n} of {len(chunks)})") for n, chunk in enumerate(chunks, 1)]
    note = ""
    if max_rows is not None and len(frame) > max_rows:
        note = f'<p class="table-note">Showing {max_rows} of {len(frame)} rows; all rows are in the result files.</p>'
    return HTML(f'<div class="table-wrap {css}">{"".join(parts)}{note}</div>')


def figure(fig, caption: str | None = None, wide: bool = False) -> HTML:
    """A matplotlib figure as inline SVG with an optional caption."""
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return HTML(f'<figure class="kit-figure{" wide" if wide else ""}">{figure_svg(fig)}{cap}</figure>')


def key_figures(items: Iterable[tuple[str, object, str | None]]) -> HTML:
    """A row of headline numbers: ``(label, value, note)`` tuples (value already formatted)."""
    tiles = "".join(
        f'<div class="kpi"><div class="kpi-value">{esc(value)}</div><div class="kpi-label">{esc(label)}</div>'
        f'{f"<div class=kpi-note>{esc(note)}</div>" if note else ""}</div>' for label, value, note in items)
    return HTML(f'<div class="kpis">{tiles}</div>')


def callout(text: str, kind: str = "key") -> HTML:
    """A highlighted paragraph: ``key`` (finding), ``warning`` or ``note``."""
    return HTML(f'<div class="callout callout-{esc(kind)}"><p>{esc(text)}</p></div>')


def paragraph(text: str) -> HTML:
    """A paragraph of computed text (escaped)."""
    return HTML(f"<p>{esc(text)}</p>")


def bullets(items: Sequence[str]) -> HTML:
    """A bulleted list of computed sentences (escaped)."""
    return HTML("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def notes(messages: Sequence[str], title: str = "Data notes") -> HTML:
    """Data-quality notes for the reader, or nothing when there are none."""
    if not messages:
        return HTML("")
    return HTML(f'<div class="callout callout-note"><p><strong>{esc(title)}</strong></p>'
                + "<ul>" + "".join(f"<li>{esc(m)}</li>" for m in messages) + "</ul></div>")
