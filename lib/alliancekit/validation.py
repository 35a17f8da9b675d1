"""Validate an engagement's input files: schemas per file, then references across files.

:func:`load_inputs` is the one entry point: it reads the named inputs, checks each against
its schema (:mod:`alliancekit.schemas`) and the references between them (every partner id
must exist in ``partners``), and returns typed tables, or raises :class:`InputError` with
every problem found, capped per column so one broken column does not bury the rest.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import pandas as pd
import pandera.pandas as pa

from .engagement import Engagement
from .errors import MAX_ROWS_PER_RULE, InputError, Problem, spreadsheet_row
from .loading import ReadFailure, read_table
from .schemas import COMPOSITE_KEYS, PARTNER_TYPES, SPECS, describe_failure, pandera_schema

#: Columns holding partner ids that must exist in ``partners`` (``;``-separated where noted).
PARTNER_REFERENCES = {
    "partner_metrics": ("partner_id", False),
    "opportunities": ("partner_ids", True),
    "interviews": ("partner_id", True),
    "staff": ("partners_covered", True),
}


def _normalise(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Forgive harmless variants before checking: case of partner types and booleans."""
    frame = frame.copy()
    if "partner_type" in frame and table in ("partners", "candidates"):
        canon = {t.lower(): t for t in PARTNER_TYPES}
        frame["partner_type"] = frame["partner_type"].map(lambda v: canon.get(str(v).lower(), v) if v is not None else v)
    if table == "opportunities" and "won" in frame:
        truth = {"true": "true", "yes": "true", "y": "true", "1": "true", "won": "true",
                 "false": "false", "no": "false", "n": "false", "0": "false", "lost": "false"}
        frame["won"] = frame["won"].map(lambda v: truth.get(str(v).lower(), v) if v is not None else v)
    return frame


def _schema_problems(table: str, frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        return pandera_schema(table).validate(frame, lazy=True), []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems: list[Problem] = []
    grouped: dict[tuple, list] = defaultdict(list)
    for case in cases.itertuples(index=False):
        if case.check == f"dtype('float64')":  # repeats coerce_dtype failures
            continue
        grouped[(case.column, case.check)].append(case)
    for (column, check), rows in grouped.items():
        rows.sort(key=lambda c: (c.index is None, c.index if c.index is not None else 0))
        for case in rows[:MAX_ROWS_PER_RULE]:
            row = None if case.index is None or pd.isna(case.index) else spreadsheet_row(case.index)
            check_name = "coerce" if str(check).startswith("coerce_dtype") else str(check)
            problems.append(Problem(label, describe_failure(table, column, check_name, case.failure_case),
                                    column=column if check_name != "column_in_dataframe" else None, row=row))
        if len(rows) > MAX_ROWS_PER_RULE:
            problems.append(Problem(label, f"... and {len(rows) - MAX_ROWS_PER_RULE} more rows with the same problem",
                                    column=column))
    return None, problems


def _composite_key_problems(table: str, frame: pd.DataFrame, label: str) -> list[Problem]:
    key = COMPOSITE_KEYS.get(table)
    if not key or not set(key) <= set(frame.columns):
        return []
    dup = frame[frame.duplicated(list(key), keep="first")]
    problems = [Problem(label, f"duplicate {' + '.join(key)} {tuple(row)} (expected one row per {' and '.join(key)})",
                        row=spreadsheet_row(i)) for i, row in dup[list(key)].head(MAX_ROWS_PER_RULE).iterrows()]
    if len(dup) > MAX_ROWS_PER_RULE:
        problems.append(Problem(label, f"... and {len(dup) - MAX_ROWS_PER_RULE} more duplicate rows"))
    return problems


def _extra_numeric_columns(table: str, frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """In metric-like tables, undeclared columns that are mostly numbers must be all numbers.

    A column whose cells are mostly numbers but not all is almost always a typo (``12k``, ``n/a``);
    a column that is mostly text is a note column and is left alone.
    """
    if table not in ("partner_metrics", "macro", "candidates"):
        return frame, []
    declared = {s.name for s in SPECS[table]}
    problems = []
    for column in frame.columns:
        if column in declared:
            continue
        raw = frame[column]
        present = raw.notna()
        numbers = pd.to_numeric(raw, errors="coerce")
        bad = present & numbers.isna()
        if present.sum() == 0 or bad.sum() * 2 >= present.sum():
            continue
        for i in list(raw[bad].index)[:MAX_ROWS_PER_RULE]:
            problems.append(Problem(label, f"got '{raw[i]}' (expected a number: the column is numeric)",
                                    column=column, row=spreadsheet_row(i)))
        frame[column] = numbers.astype(float)
    return frame, problems


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give validated columns their analysis types (dates, booleans)."""
    for s in SPECS[table]:
        if s.name not in frame:
            continue
        if s.kind == "date":
            frame[s.name] = pd.to_datetime(frame[s.name], format="%Y-%m-%d", errors="raise")
        elif s.kind == "bool":
            frame[s.name] = frame[s.name].map({"true": True, "false": False}).astype("boolean")
        elif s.kind == "count":
            frame[s.name] = frame[s.name].astype("Int64")
    return frame


def check_table(table: str, frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate one raw table; return the typed table (or None) and the problems."""
    frame = _normalise(table, frame)
    frame, extra = _extra_numeric_columns(table, frame, label)
    checked, problems = _schema_problems(table, frame, label)
    problems += _composite_key_problems(table, frame, label) + extra
    if problems:
        return None, problems
    return _typed(table, checked), []


def reference_problems(tables: dict[str, pd.DataFrame], labels: dict[str, str]) -> list[Problem]:
    """Partner ids used in other files that ``partners`` does not define."""
    if "partners" not in tables:
        return []
    known = set(tables["partners"]["partner_id"])
    problems = []
    for table, (column, multi) in PARTNER_REFERENCES.items():
        if table not in tables or column not in tables[table]:
            continue
        ids = tables[table][column].astype("string")
        if multi:  # one row per id, the row's index kept (vectorised: millions of metric rows)
            ids = ids.str.split(";").explode().str.strip()
        ids = ids[ids.notna() & (ids != "")]
        bad = ids[~ids.isin(known)].groupby(level=0, sort=True).agg(list)
        for i, missing in list(bad.items())[:MAX_ROWS_PER_RULE]:
            problems.append(Problem(labels[table], f"unknown partner {', '.join(map(repr, missing))} "
                                                   f"(not in {labels['partners']})", column=column, row=spreadsheet_row(i)))
        if len(bad) > MAX_ROWS_PER_RULE:
            problems.append(Problem(labels[table], f"... and {len(bad) - MAX_ROWS_PER_RULE} more rows with unknown partners",
                                    column=column))
    return problems


def load_inputs(engagement: Engagement, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read and validate ``names`` (plus ``partners`` for references); return typed tables and notes.

    Raises :class:`InputError` listing every problem in every file.
    """
    tables, notes = read_inputs(engagement, names)
    return tables, [note for per_input in notes.values() for note in per_input]


def read_inputs(engagement: Engagement, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]]]:
    """:func:`load_inputs` with the notes kept per input (the runner hands each phase its own)."""
    wanted = list(dict.fromkeys(names))
    if "partners" in engagement.data and "partners" not in wanted:
        wanted.insert(0, "partners")
    tables, labels, problems, notes = {}, {}, [], {}
    for name in wanted:
        source = engagement.data.get(name)
        if source is None:
            problems.append(Problem(engagement.file.name, f"data.{name}: input required but not given"))
            continue
        labels[name] = source.path.name
        try:
            raw, notes[name] = read_table(source, name)
        except ReadFailure as failure:
            problems.append(failure.problem)
            continue
        typed, errs = check_table(name, raw, labels[name])
        problems += errs
        if typed is not None:
            tables[name] = typed
    problems += reference_problems(tables, labels)
    if problems:
        raise InputError(problems)
    return tables, notes
