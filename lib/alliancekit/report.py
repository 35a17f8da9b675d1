"""What a phase notebook shows the client: tables, figures, key figures, call-outs, text.

Every helper returns an IPython ``HTML`` object built from escaped values, so client text
(a partner called ``<script>...``) is shown as text, never interpreted. Notebooks hold the
narrative in markdown cells and use these helpers for anything computed.

A display table may carry what the reader must know about it: :func:`annotate` attaches table
notes (shown under the table: a figure that rests on few cases or few months, weights that
were rescaled) and the formats of columns the notebook does not name; :func:`table` shows
them. Every report ends with :func:`data_and_limits`, the appendix section that gathers the
limits found in the run (each also said where it applies) and the data notes.
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


#: Where :func:`annotate` keeps a table's notes and column formats (``DataFrame.attrs``).
NOTES_ATTR, FORMATS_ATTR = "table_notes", "table_formats"


def annotate(frame: pd.DataFrame, notes: Sequence[str] = (), formats: Mapping[str, Formatter] | None = None) -> pd.DataFrame:
    """``frame`` carrying table notes (sentences shown under it by :func:`table`) and column formats.

    The formats apply to columns the caller of :func:`table` gives no format for (a column that
    appears only in some runs, such as "Weight given"). Returns ``frame`` itself.
    """
    kept = [n for n in frame.attrs.get(NOTES_ATTR, ()) if n]
    frame.attrs[NOTES_ATTR] = kept + [n for n in notes if n and n not in kept]
    if formats:
        frame.attrs[FORMATS_ATTR] = {**frame.attrs.get(FORMATS_ATTR, {}), **formats}
    return frame


def table_notes(frame: pd.DataFrame) -> list[str]:
    """The notes :func:`annotate` attached to ``frame`` (none: ``[]``)."""
    return list(frame.attrs.get(NOTES_ATTR, ()))


def table(frame: pd.DataFrame, caption: str | None = None, formats: Mapping[str, Formatter] | None = None,
          labels: Mapping[str, str] | None = None, max_rows: int | None = None) -> HTML:
    """A styled table of ``frame``.

    ``formats`` maps columns to a format string (``"{:.0%}"``) or a function; ``labels``
    renames columns for the reader. Tables wider than :data:`LANDSCAPE_COLUMNS` go on a
    landscape page in the PDF; wider than :data:`SPLIT_COLUMNS` they are split into parts
    that each repeat the first column, so no column is ever cut off. Notes and formats
    attached with :func:`annotate` are shown under the table and used where ``formats`` names
    no format.
    """
    formats = {**frame.attrs.get(FORMATS_ATTR, {}), **dict(formats or {})}
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
    note = "".join(f'<p class="table-note">{esc(n)}</p>' for n in table_notes(frame))
    if max_rows is not None and len(frame) > max_rows:
        note += f'<p class="table-note">Showing {max_rows} of {len(frame)} rows; all rows are in the result files.</p>'
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


def heading(text: str, level: int = 3) -> HTML:
    """A heading built from the data (one alliance's section), numbered and listed in the contents
    like the notebook's own headings; the text is escaped."""
    return HTML(f"<h{level}>{esc(text)}</h{level}>")


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


#: The heading of the appendix section every report ends with.
LIMITS_TITLE = "Data and its limits"
#: What that section says when the run found neither a limit nor a gap in the data.
NO_LIMITS = "The data hold no gap and no limit that affects the figures of this report."


def data_and_limits(limits: Sequence[str], notes: Sequence[str] = (), title: str = LIMITS_TITLE) -> HTML:
    """The appendix section "Data and its limits": the limits found in this run, then the data notes.

    ``limits``: full sentences, each also said beside the figure it affects (a narrative's
    ``limits()``); ``notes``: the data notes (the session's and the narrative's). A sentence
    given twice is shown once.
    """
    seen: set[str] = set()
    limits = [m for m in limits if m and not (m in seen or seen.add(m))]
    notes = [m for m in notes if m and not (m in seen or seen.add(m))]
    body = []
    if limits:
        body.append("<p>What some figures of this report rest on, as said where each figure is shown:</p>"
                    "<ul>" + "".join(f"<li>{esc(m)}</li>" for m in limits) + "</ul>")
    if notes:
        body.append("<p>About the data:</p><ul>" + "".join(f"<li>{esc(m)}</li>" for m in notes) + "</ul>")
    if not body:
        body.append(f"<p>{esc(NO_LIMITS)}</p>")
    return HTML(f'<section class="data-limits"><h3>{esc(title)}</h3>'
                f'<div class="callout callout-note">{"".join(body)}</div></section>')


def weights_view(frame: pd.DataFrame, given: Sequence[float], used: Sequence[float],
                 what: str = "weights", column: str = "Weight") -> pd.DataFrame:
    """``frame`` with the weights: one ``column`` when the weights used are the ones given, else
    "<column> given" and "<column> used" with a table note on how the given ones were scaled.

    ``given``: the weights as set (any sum); ``used``: the weights the computation applied
    (summing to 1). Shares are formatted as percentages.
    """
    given = [float(g) for g in given]
    used = [float(u) for u in used]
    out = frame.copy()
    if all(abs(g - u) < WEIGHT_TOLERANCE for g, u in zip(given, used)):
        out[column] = used
        return out
    out[f"{column} given"] = given
    out[f"{column} used"] = used
    return annotate(out, [rescaled_sentence(given, used, what)],
                    {f"{column} given": "{:.0%}", f"{column} used": "{:.0%}"})


#: Weights closer than this (a twentieth of a percentage point) count as equal.
WEIGHT_TOLERANCE = 0.0005


def weights_rescaled(given: Sequence[float], used: Sequence[float]) -> bool:
    """Whether the weights used differ from the ones given."""
    return any(abs(float(g) - float(u)) >= WEIGHT_TOLERANCE for g, u in zip(given, used))


def rescaled_sentence(given: Sequence[float], used: Sequence[float], what: str = "weights") -> str:
    """How given weights became the ones used, in one sentence ('' when they are the same)."""
    if not weights_rescaled(given, used):
        return ""
    pairs = [(float(g), float(u)) for g, u in zip(given, used)]
    dropped = sum(1 for g, u in pairs if g > 0 and u == 0)
    kept = sum(g for g, u in pairs if u > 0)
    if not dropped:
        return (f"The {what} as given add up to {kept:.0%}; each was scaled in proportion (divided by {kept:.2f}) so "
                "that the weights used add up to 100%.")
    return (f"{dropped} of the {what} as given {'applies' if dropped == 1 else 'apply'} to nothing in the data and "
            f"{'carries' if dropped == 1 else 'carry'} no weight; the others, adding up to {kept:.0%}, were scaled "
            "in proportion to add up to 100%.")
