"""The consultant's corrections: one statement's quadrant and/or theme, set by hand.

A consultant who reads ``statements.csv`` and disagrees with the classifier about one statement
writes a row in the optional input ``swot_corrections`` (``statement_id, quadrant, theme``, the
statement ids and theme labels as ``statements.csv`` shows them). Quadrants are corrected before
themes are predicted (a statement moved to another quadrant gets a topic of that quadrant), themes
after; both before themes are counted. The file stays with the engagement, so next quarter's run on
the same interviews applies them again; the report's appendix lists every correction.
"""

from __future__ import annotations

import pandas as pd

from ..errors import MAX_ROWS_PER_RULE, Problem, did_you_mean, spreadsheet_row
from .themes import THEME_LABELS

#: Theme label (as statements.csv shows it, quadrant first) -> (quadrant, topic).
THEMES = {f"{quadrant.capitalize()}: {label}": (quadrant, topic) for (quadrant, topic), label in THEME_LABELS.items()}


def correction_problems(corrections: pd.DataFrame, statement_ids: pd.Series) -> list[Problem]:
    """Rows naming a statement the interviews do not hold, or a theme the kit does not know, or a
    theme of another quadrant than the row's own (each with its row and the nearest valid name)."""
    label = corrections.attrs.get("source", "swot_corrections.csv")
    known = set(statement_ids)
    problems = []
    for index, row in corrections.iterrows():
        where = dict(row=spreadsheet_row(index))
        if row["statement_id"] not in known:
            problems.append(Problem(label, f"no statement '{row['statement_id']}' in the interviews; "
                                           f"{did_you_mean(row['statement_id'], known)} (ids as in statements.csv)",
                                    column="statement_id", **where))
        theme = row.get("theme")
        if isinstance(theme, str) and theme:
            if theme not in THEMES:
                problems.append(Problem(label, f"unknown theme '{theme}'; {did_you_mean(theme, THEMES)}",
                                        column="theme", **where))
            elif isinstance(row.get("quadrant"), str) and THEMES[theme][0] != row["quadrant"]:
                problems.append(Problem(label, f"the theme '{theme}' is a {THEMES[theme][0]} theme, but the row "
                                               f"sets the quadrant {row['quadrant']}", column="theme", **where))
    return problems[:MAX_ROWS_PER_RULE * 3]


def correct_quadrants(statements: pd.DataFrame, corrections: pd.DataFrame | None) -> pd.DataFrame:
    """``statements`` with the corrected quadrants (a theme given alone sets its own quadrant)."""
    if corrections is None:
        return statements
    wanted = {}
    for row in corrections.itertuples(index=False):
        theme = getattr(row, "theme", None)
        quadrant = row.quadrant if isinstance(row.quadrant, str) and row.quadrant else (
            THEMES[theme][0] if isinstance(theme, str) and theme in THEMES else None)
        if quadrant:
            wanted[row.statement_id] = quadrant
    out = statements.copy()
    hit = out["statement_id"].isin(list(wanted))
    out.loc[hit, "quadrant"] = out.loc[hit, "statement_id"].map(wanted)
    return out


def correct_themes(statements: pd.DataFrame, corrections: pd.DataFrame | None) -> pd.DataFrame:
    """``statements`` with the corrected themes (and their topics)."""
    if corrections is None or "theme" not in corrections:
        return statements
    given = corrections[corrections["theme"].map(lambda t: isinstance(t, str) and t in THEMES)]
    out = statements.copy()
    for row in given.itertuples(index=False):
        hit = out["statement_id"] == row.statement_id
        out.loc[hit, "topic"] = THEMES[row.theme][1]
        out.loc[hit, "theme"] = row.theme
    return out


def applied(statements_before: pd.DataFrame, statements_after: pd.DataFrame) -> pd.DataFrame:
    """One row per corrected statement: id, quadrant and theme as classified and as corrected."""
    before = statements_before.set_index("statement_id")[["quadrant", "theme"]]
    after = statements_after.set_index("statement_id")[["quadrant", "theme"]]
    changed = (before != after).any(axis=1)
    table = before[changed].join(after[changed], lsuffix="_classified", rsuffix="_corrected")
    return table.reset_index()


def check_inputs(tables, params, root=None) -> list[Problem]:
    """Before any kernel starts: every correction names a statement of these interviews and a known theme.

    Statement ids come from the redacted interviews split as the phase splits them, so the check
    sees exactly the ids ``statements.csv`` shows."""
    corrections = tables.get("swot_corrections")
    if corrections is None or "interviews" not in tables or "partners" not in tables:
        return []
    from ..feedback.redact import redact_interviews
    from .statements import split_statements

    redacted, _ = redact_interviews(tables["interviews"], tables["partners"], tables.get("staff"), "")
    return correction_problems(corrections, split_statements(redacted)["statement_id"])

