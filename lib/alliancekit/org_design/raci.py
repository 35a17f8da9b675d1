"""The RACI matrix of alliance activities across the alliance roles and the company functions."""

from __future__ import annotations

import html
from typing import Mapping, Sequence

import pandas as pd
from IPython.display import HTML

#: The letters and what they mean (shown under the matrix).
LEGEND = {
    "R": "responsible: does the work",
    "A": "accountable: owns the outcome and signs off (one per activity)",
    "C": "consulted: asked before",
    "I": "informed: told after",
}


def raci_matrix(raci: Mapping, roles: Sequence[Mapping]) -> pd.DataFrame:
    """Activities x (role titles, then functions); cells are R, A, C, I or empty."""
    columns = [(r["id"], r["title"]) for r in roles] + list(dict(raci["functions"]).items())
    rows = [{"Activity": entry["activity"], **{title: entry.get(key, "") or "" for key, title in columns}}
            for entry in raci["activities"]]
    return pd.DataFrame(rows, columns=["Activity", *[title for _, title in columns]])


def raci_problems(matrix: pd.DataFrame) -> list[str]:
    """Activities without exactly one A or without any R (an empty list when the matrix is sound)."""
    cells = matrix.set_index("Activity")
    problems = []
    for activity, row in cells.iterrows():
        accountable = int((row == "A").sum())
        if accountable != 1:
            problems.append(f"'{activity}' has {accountable} accountable (A) entries; it needs exactly one")
        if not (row == "R").any():
            problems.append(f"'{activity}' has nobody responsible (R)")
    return problems


def abbreviations(titles: Sequence[str]) -> dict[str, str]:
    """Short column headings: initials of multi-word titles ('Alliance Manager' -> 'AM'), others unchanged."""
    out: dict[str, str] = {}
    for title in titles:
        words = str(title).split()
        short = "".join(w[0].upper() for w in words) if len(words) > 1 else str(title)
        candidate, n = short, 2
        while candidate in out.values():
            candidate, n = f"{short}{n}", n + 1
        out[title] = candidate
    return out


def raci_html(matrix: pd.DataFrame, caption: str = "RACI of alliance activities") -> HTML:
    """The matrix as a compact table (abbreviated role headings, legend below) that fits a portrait page."""
    columns = [c for c in matrix.columns if c != "Activity"]
    short = abbreviations(columns)
    head = '<th class="txt">Activity</th>' + "".join(
        f'<th class="txt" style="text-align:center">{html.escape(short[c])}</th>' for c in columns)
    body = []
    for _, row in matrix.iterrows():
        cells = "".join(
            f'<td class="txt" style="text-align:center">{"<strong>A</strong>" if row[c] == "A" else html.escape(str(row[c]))}</td>'
            for c in columns)
        body.append(f'<tr><td class="txt">{html.escape(str(row["Activity"]))}</td>{cells}</tr>')
    legend = "; ".join(f"{html.escape(short[c])} = {html.escape(c)}" for c in columns if short[c] != c)
    return HTML(f'<div class="table-wrap"><table class="kit-table raci"><caption>{html.escape(caption)}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                f'<p class="table-note">{legend}.</p></div>')
