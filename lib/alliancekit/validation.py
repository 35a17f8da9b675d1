"""Validate an engagement's input files: mappings, schemas per file, then checks across files.

:func:`load_inputs` is the one entry point: it reads the named inputs, brings mapped client
exports into the kit's shape (:mod:`alliancekit.intake`), checks each table against its
schema (:mod:`alliancekit.schemas`), resolves partners named by name, and checks what spans
files (every partner id must exist in ``partners``) and records that contradict themselves.
It returns typed tables, or raises :class:`InputError` with every problem found in one pass:
a row with a bad format is left out of the cross-checks, never a reason to skip them. Lists
are capped per column so one broken column does not bury the rest. Problems in a mapped
file name the client's own column and the row its spreadsheet shows.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
import pandera.pandas as pa

from .engagement import DataSource, Engagement
from .errors import MAX_ROWS_PER_RULE, InputError, Problem, did_you_mean, spreadsheet_row
from .intake.apply import apply_mapping, client_location
from .intake.mapping import PARTNER_COLUMNS
from .loading import ReadFailure, read_table
from .vocabulary import Vocabulary, attach, client_labels, with_labels
from .schemas import (ATTRIBUTIONS, COMPOSITE_KEYS, HEALTH_FUNCTIONS, HEALTH_SIDES, PARTNER_TYPES, SPECS, describe_failure,
                      pandera_schema)

#: Columns holding partner ids that must exist in ``partners`` (``;``-separated where noted).
PARTNER_REFERENCES = {
    "partner_metrics": ("partner_id", False),
    "opportunities": ("partner_ids", True),
    "interviews": ("partner_id", True),
    "staff": ("partners_covered", True),
    "health_survey": ("partner_id", False),
}


#: Names clients use for the kit's categories (compared without regard to case, blanks, dashes or
#: dots); the kit's own names are matched without regard to case too.
CATEGORY_SYNONYMS = {
    "partner_type": {
        "systems integrator": "GSI", "system integrator": "GSI", "global systems integrator": "GSI", "si": "GSI",
        "global si": "GSI", "consulting partner": "GSI", "consultancy": "GSI",
        "cloud provider": "cloud", "cloud service provider": "cloud", "csp": "cloud", "hyperscaler": "cloud",
        "marketplace": "cloud",
        "independent software vendor": "ISV", "software vendor": "ISV", "technology partner": "ISV", "saas": "ISV",
        "independent hardware vendor": "IHV", "hardware vendor": "IHV",
        "value added reseller": "reseller", "var": "reseller", "solution provider": "reseller",
        "distribution": "distributor", "disti": "distributor",
        "original equipment manufacturer": "OEM", "embedded": "OEM",
    },
    "attribution": {"partner sourced": "sourced", "source": "sourced", "partner influenced": "influenced",
                    "influence": "influenced", "co-sell": "influenced", "cosell": "influenced"},
    "won": {"true": "true", "yes": "true", "y": "true", "1": "true", "won": "true", "closed won": "true",
            "false": "false", "no": "false", "n": "false", "0": "false", "lost": "false", "closed lost": "false"},
    "side": {"client": "us", "our side": "us", "our people": "us", "internal": "us",
             "partner side": "partner", "their side": "partner", "external": "partner"},
    "function": {"pre sales": "presales", "solution engineering": "presales", "technical sales": "presales",
                 "alliance": "alliances", "partnerships": "alliances", "partner management": "alliances",
                 "services": "delivery", "professional services": "delivery", "customer success": "support",
                 "technical support": "support", "exec": "executive", "leadership": "executive"},
}
#: Optional columns the analyses read, added empty when a file has none (a CRM report of every
#: deal with no partner column: all direct deals).
EMPTY_WHEN_ABSENT = {"opportunities": {
    "partner_ids": "every deal is read as a deal without partners (direct)",
    "attribution": "partner deals are counted without a sourced / influenced split",
}}
#: The kit's own values of each category column.
CATEGORIES = {"partner_type": PARTNER_TYPES, "attribution": ATTRIBUTIONS, "won": ("true", "false"),
              "side": HEALTH_SIDES, "function": HEALTH_FUNCTIONS}
#: Where each category column is read.
CATEGORY_TABLES = {"partner_type": ("partners", "candidates"), "attribution": ("opportunities",),
                   "won": ("opportunities",), "side": ("health_survey",), "function": ("health_survey",)}


def category_key(value: object) -> str:
    """A category label as the kit compares it: case, blanks, dashes and dots ignored (also used by
    ``alliancekit intake`` to know which labels validation already reads)."""
    return re.sub(r"[\s\-_.]+", " ", str(value).strip().casefold()).strip()


def _normalise(table: str, frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[str]]:
    """Forgive harmless variants before checking: case, and the synonyms clients use for the kit's
    categories ("Systems Integrator" -> GSI, "Partner Sourced" -> sourced, "Yes" -> true). Returns
    the table and a note per synonym used, so the reader knows what was read as what."""
    frame = frame.copy()
    notes = []
    for column, tables in CATEGORY_TABLES.items():
        if table not in tables or column not in frame:
            continue
        lookup = {category_key(v): v for v in CATEGORIES[column]} | CATEGORY_SYNONYMS.get(column, {})
        raw = frame[column]
        keys = raw.map(lambda v: category_key(str(v)) if isinstance(v, str) else v)
        mapped = keys.map(lambda k: lookup.get(k) if isinstance(k, str) else None)
        known = mapped.notna()
        changed = known & (raw != mapped)
        frame[column] = raw.where(~known, mapped)
        synonyms = pd.DataFrame({"raw": raw[changed], "kit": mapped[changed]})
        synonyms = synonyms[synonyms["raw"].map(category_key) != synonyms["kit"].map(category_key)]
        if column == "won":  # yes/no, won/lost: read as true/false without a note
            continue
        for (written, kit), rows in synonyms.groupby(["raw", "kit"], sort=True).size().items():
            notes.append(f"{label}: {column} '{written}' read as {kit} ({rows:,} row{'s' if rows != 1 else ''}).")
    return frame, notes


def _schema_problems(table: str, frame: pd.DataFrame, label: str
                     ) -> tuple[pd.DataFrame | None, list[Problem], set | None]:
    """The checked table (or None), the problems, and the rows that failed (None: the table as a
    whole failed, e.g. a required column is missing)."""
    try:
        return pandera_schema(table).validate(frame, lazy=True), [], set()
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    bad_rows: set | None = set()
    for case in cases.itertuples(index=False):
        if case.check == "dtype('float64')":  # repeats coerce_dtype failures, without a row
            continue
        if case.index is None or pd.isna(case.index):
            bad_rows = None
            break
        bad_rows.add(case.index)
    problems: list[Problem] = []
    grouped: dict[tuple, list] = defaultdict(list)
    for case in cases.itertuples(index=False):
        if case.check == f"dtype('float64')":  # repeats coerce_dtype failures
            continue
        grouped[(case.column, case.check)].append(case)
    for (column, check), rows in grouped.items():
        rows.sort(key=lambda c: (c.index is None, c.index if c.index is not None else 0))
        # missing required columns are listed in full: they are columns (pandera's ``column`` is
        # then the table's name), not rows of one column to cap
        shown = rows if check == "column_in_dataframe" else rows[:MAX_ROWS_PER_RULE]
        for case in shown:
            row = None if case.index is None or pd.isna(case.index) else spreadsheet_row(case.index)
            check_name = "coerce" if str(check).startswith("coerce_dtype") else str(check)
            problems.append(Problem(label, describe_failure(table, column, check_name, case.failure_case),
                                    column=column if check_name != "column_in_dataframe" else None, row=row))
        if len(rows) > len(shown):
            problems.append(Problem(label, f"... and {len(rows) - MAX_ROWS_PER_RULE} more rows with the same problem",
                                    column=column))
    return None, problems, bad_rows


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


def check_table(table: str, frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame | None, list[Problem], list[str]]:
    """Validate one raw table: the typed table, the problems and the notes.

    With problems in some rows, the typed table holds the other rows, so the checks across
    files still run on them (every problem in one pass); it is None only when the table as a
    whole cannot be used (a required column missing).
    """
    frame, notes = _normalise(table, frame, label)
    for column, meaning in EMPTY_WHEN_ABSENT.get(table, {}).items():
        if column not in frame.columns:
            frame[column] = None
            notes.append(f"{label} has no {column} column: {meaning}.")
    frame, extra = _extra_numeric_columns(table, frame, label)
    checked, problems, bad_rows = _schema_problems(table, frame, label)
    problems += _composite_key_problems(table, frame, label) + extra
    if checked is None and bad_rows is not None:
        checked, _, still = _schema_problems(table, frame.drop(index=list(bad_rows)), label)
        checked = checked if still == set() else None
    if checked is None:
        return None, problems, notes
    for problem in extra:  # a text cell in a numeric extra column: that row is out of the cross-checks
        if problem.row is not None:
            checked = checked.drop(index=problem.row - 2, errors="ignore")
    return _typed(table, checked), problems, notes


def reference_problems(tables: dict[str, pd.DataFrame], labels: dict[str, str], partners: pd.DataFrame | None
                       ) -> list[tuple[str, Problem]]:
    """Partner ids used in other files that ``partners`` does not define, as ``(table, problem)``.

    ``partners``: the partners file as read, so a partner whose row has a problem of its own
    (a misspelt type) is still known here and its deals are not reported a second time.
    """
    if partners is None or "partner_id" not in partners:
        return []
    known = set(partners["partner_id"].dropna().astype(str))
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
            problems.append((table, Problem(labels[table], f"unknown partner {', '.join(map(repr, missing))} "
                                                           f"(not in {labels['partners']})", column=column,
                                            row=spreadsheet_row(i))))
        if len(bad) > MAX_ROWS_PER_RULE:
            problems.append((table, Problem(labels[table], f"... and {len(bad) - MAX_ROWS_PER_RULE} more rows with "
                                                           "unknown partners", column=column)))
    return problems


def load_inputs(engagement: Engagement, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read and validate ``names`` (plus ``partners`` for references); return typed tables and notes.

    Raises :class:`InputError` listing every problem in every file.
    """
    tables, notes = read_inputs(engagement, names)
    return tables, [note for per_input in notes.values() for note in per_input]


def read_inputs(engagement: Engagement, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]]]:
    """:func:`load_inputs` with the notes kept per input (the runner hands each phase its own)."""
    tables, notes, problems = collect_inputs(engagement, names)
    if problems:
        raise InputError(problems)
    return tables, notes


def collect_inputs(engagement: Engagement, names: Iterable[str]
                   ) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]], list[Problem]]:
    """Every input read and checked: the tables (the rows that passed), the notes per input, every problem."""
    wanted = list(dict.fromkeys(names))
    if "partners" in engagement.data and "partners" not in wanted:
        wanted.insert(0, "partners")
    tables, labels, problems, notes, mapped, raws = {}, {}, [], {}, {}, {}
    for name in wanted:
        source = engagement.data.get(name)
        if source is None:
            problems.append(Problem(engagement.file.name, f"data.{name}: input required but not given"))
            continue
        labels[name] = source.label
        raw, typed, errs, notes[name] = check_source(name, source, lambda: _questions(engagement))
        problems += errs
        if raw is None:
            continue
        raws[name] = raw
        if source.mapping is not None:
            mapped[name] = raw
        if typed is not None:
            tables[name] = typed
    for name, raw in mapped.items():
        if name in tables and source_partners_by(engagement.data[name]) == "name":
            tables[name], errs = _partners_by_name(name, tables[name], raws.get("partners"), labels)
            problems += [_at_client_cell(p, raw) for p in errs]
    references = reference_problems(tables, labels, raws.get("partners"))
    problems += [_at_client_cell(p, mapped.get(table)) for table, p in references]
    contradictions, more = contradiction_problems(tables, labels)
    problems += [_at_client_cell(p, mapped.get(table)) for table, p in contradictions]
    for table, note in more:
        notes.setdefault(table, []).append(note)
    return tables, notes, problems


def check_source(name: str, source: DataSource, questions: Callable[[], dict[str, str]]
                 ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[Problem], list[str]]:
    """One input on its own: read, mapped into the kit's shape, checked against its schema.

    Returns the table as read (in the kit's shape; None when unreadable), the typed table of the
    rows that passed (None when unusable), the problems at the client's cells, and the notes.
    ``questions``: the questionnaire's id -> statement, asked for only by a wide survey export.
    """
    try:
        raw, notes = read_table(source, name)
    except ReadFailure as failure:
        return None, None, failure.problems, []
    problems: list[Problem] = []
    written = raw
    if source.mapping is not None:
        raw, problems, more = _mapped(name, raw, source, questions)
        notes += more
    typed, errs, more = check_table(name, raw, source.label)
    problems += _not_again([_at_client_cell(p, raw) for p in errs], problems)
    if typed is not None:
        words = _client_vocabulary(name, typed, written, source)
        problems += [_at_client_cell(p, raw) for p in order_problems(name, typed, words, source.label)]
        attach(typed, words)
    return raw, typed, problems, notes + more


def _client_vocabulary(name: str, typed: pd.DataFrame, written: pd.DataFrame, source: DataSource) -> Vocabulary:
    """The source's vocabulary, with partner types labelled as the client wrote them (see
    :func:`alliancekit.vocabulary.client_labels`) when it wrote them in words of its own."""
    words = source.vocabulary
    if name != "partners" or "partner_type" not in typed:
        return words
    header = source.mapping.columns.get("partner_type", "partner_type") if source.mapping else "partner_type"
    if header not in written:
        return words
    labels = client_labels(typed["partner_type"], written[header].reindex(typed.index), words.labels)
    return with_labels(words, "partner_type", labels) if labels else words


def order_problems(name: str, table: pd.DataFrame, words: Vocabulary, label: str) -> list[Problem]:
    """Stages and tiers the client's ``stage_order`` / ``tier_order`` does not list (a typo would
    otherwise put a stage or tier at the end of every table), one problem per value at its first row."""
    problems = []
    for column, key in (("stage", "stage_order"), ("tier", "tier_order")):
        ranks = words.rank(column, table[column].fillna("")) if column in table else None
        if ranks is None:
            continue
        unlisted = table.loc[(ranks == len(words.order(column))).to_numpy(), column].dropna()
        for value, rows in list(unlisted.groupby(unlisted.astype(str), sort=False).groups.items())[:MAX_ROWS_PER_RULE]:
            problems.append(Problem(label, f"{column} '{value}' is not in data.{name}.{key} ({', '.join(words.order(column))}); "
                                           f"add it there, or correct the value ({len(rows):,} row{'s' if len(rows) != 1 else ''})",
                                    column=column, row=spreadsheet_row(rows[0])))
    return problems


def _not_again(schema: list[Problem], mapping: list[Problem]) -> list[Problem]:
    """Schema problems the mapping already reported (the same cell; a required column the mapping
    says how to map) left out: one problem, said once, in the mapping's words."""
    cells = {(p.column, p.row) for p in mapping if p.row is not None}
    columns = set(re.findall(r"kit's '(\w+)'|columns\.(\w+)", " ".join(p.message for p in mapping)))
    named = {c for pair in columns for c in pair if c}
    missing = re.compile(r"required column '(\w+)' is missing")
    return [p for p in schema if (p.column, p.row) not in cells
            and not (missing.match(p.message) and missing.match(p.message).group(1) in named)]


def source_partners_by(source: DataSource) -> str:
    """How the source names partners: ``id`` (the kit's way) or ``name``."""
    return source.mapping.partners_by if source.mapping is not None else "id"


def _mapped(name: str, raw: pd.DataFrame, source: DataSource, questions: Callable[[], dict[str, str]]
            ) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """The client's table in the kit's shape (see :mod:`alliancekit.intake`)."""
    mapping = source.mapping
    if mapping.layout == "wide":
        from .intake.wide import wide_to_long

        long, problems, notes = wide_to_long(raw, mapping, questions(), source.label, mapping.header_row + 1)
        # answers the scale does not know are reported by wide_to_long: not a second time by the schema
        known = long["score"].isna() | long["score"].isin([str(n) for n in range(1, 6)])
        long = long[known]
        long.attrs["source"] = source.label
        return long, problems, notes
    return apply_mapping(name, raw, mapping, source.label)


def _questions(engagement: Engagement) -> dict[str, str]:
    """Question id -> statement of the questionnaire the engagement uses (its own copy when it names one)."""
    chosen = engagement.phases.get("strategy_assessment", {}).get("questionnaire", "")
    return questionnaire_statements(str(chosen or ""), engagement.root)


def questionnaire_statements(chosen: str = "", root: Path | None = None) -> dict[str, str]:
    """Question id -> statement of questionnaire ``chosen`` (a path, relative to ``root``; empty: the
    kit's template); empty when it cannot be read (strategy_assessment's own check reports why,
    and question ids are then not checked here)."""
    from .strategy_assessment.templates import QUESTIONNAIRE_FILE, load_questionnaire, template_path

    path = template_path(chosen, QUESTIONNAIRE_FILE, root)
    questionnaire = load_questionnaire(path)[0] if path is not None else None
    if questionnaire is None:
        return {}
    return {q: text for dimension in questionnaire.dimensions for q, text in dimension.questions}


def _at_client_cell(problem: Problem, raw: pd.DataFrame | None) -> Problem:
    """``problem`` about a kit column and row, moved to the client's header and spreadsheet row."""
    if raw is None or "client_columns" not in raw.attrs and "source_row" not in raw.columns:
        return problem
    index = None if problem.row is None else problem.row - 2
    column, row = client_location(raw, problem.column, index)
    return dataclasses.replace(problem, column=column, row=row if problem.row is not None else None)


def _partners_by_name(name: str, table: pd.DataFrame, partners: pd.DataFrame | None, labels: dict[str, str]
                      ) -> tuple[pd.DataFrame, list[Problem]]:
    """The partner column of ``table`` written with partner names, turned into partner ids.

    Names are matched as written, then without regard to case and repeated blanks; a name that
    matches no partner is a problem that lists the nearest partner names.
    """
    column = PARTNER_COLUMNS[name]
    if partners is None or column not in table or not {"partner_id", "partner_name"} <= set(partners.columns):
        return table, []
    named = partners.dropna(subset=["partner_id", "partner_name"])
    exact = dict(zip(named["partner_name"].astype(str), named["partner_id"].astype(str)))
    loose = {category_key(k): v for k, v in exact.items()}
    cells = table[column].astype("string")
    items = cells.str.split(";").explode().str.strip()
    items = items[items.notna() & (items != "")]
    ids = items.map(exact)
    unmatched = ids.isna()  # the loose comparison only for names not written exactly (a large file: most are)
    ids[unmatched] = items[unmatched].map(lambda n: loose.get(category_key(n)))
    unknown = items[ids.isna()]
    problems = []
    for index, missing in list(unknown.groupby(level=0, sort=True).agg(list).items())[:MAX_ROWS_PER_RULE]:
        nearest = did_you_mean(missing[0], exact)
        problems.append(Problem(labels[name], f"no partner named {', '.join(map(repr, missing))} in "
                                              f"{labels['partners']}; {nearest}", column=column,
                                row=spreadsheet_row(index)))
    if unknown.index.nunique() > MAX_ROWS_PER_RULE:
        problems.append(Problem(labels[name], f"... and {unknown.index.nunique() - MAX_ROWS_PER_RULE} more rows "
                                              "with unknown partner names", column=column))
    resolved = ids.dropna().groupby(level=0, sort=False).agg(";".join)
    out = table.drop(index=unknown.index.unique())
    out[column] = resolved.reindex(out.index).where(out[column].notna(), None)
    return out, problems


def contradiction_problems(tables: dict[str, pd.DataFrame], labels: dict[str, str]
                           ) -> tuple[list[tuple[str, Problem]], list[tuple[str, str]]]:
    """Records that contradict themselves, as ``(table, problem)``, and notes as ``(table, note)``.

    A won deal with no close date, a deal closed before it was created, a stage that says won
    or lost against the ``won`` column, a staff member listing the same partner twice; a
    partner's metrics from before its start date is a note (data kept: the start date may be
    the contract's, later than the first joint business).
    """
    found: list[tuple[str, Problem]] = []
    notes: list[tuple[str, str]] = []

    def rows(table: str, mask: pd.Series, message, column: str) -> None:
        hits = list(mask[mask.fillna(False)].index)
        for index in hits[:MAX_ROWS_PER_RULE]:
            found.append((table, Problem(labels[table], message(index), column=column, row=spreadsheet_row(index))))
        if len(hits) > MAX_ROWS_PER_RULE:
            found.append((table, Problem(labels[table], f"... and {len(hits) - MAX_ROWS_PER_RULE} more rows with the "
                                                        "same contradiction", column=column)))

    deals = tables.get("opportunities")
    if deals is not None:
        won = deals["won"].astype("boolean")
        rows("opportunities", won & deals["closed"].isna(),
             lambda i: "the deal is won but has no close date; give the date it was closed", "closed")
        if "created" in deals:
            rows("opportunities", deals["closed"] < deals["created"],
                 lambda i: f"closed on {deals.at[i, 'closed']:%Y-%m-%d}, before it was created on "
                           f"{deals.at[i, 'created']:%Y-%m-%d}", "closed")
        stage = deals["stage"].astype("string").str.casefold()
        says_won = stage.str.contains(r"\bwon\b", regex=True)
        says_lost = stage.str.contains(r"\blost\b", regex=True)
        rows("opportunities", (says_won & (won == False)) | (says_lost & (won == True)),  # noqa: E712
             lambda i: f"the stage '{deals.at[i, 'stage']}' contradicts won = {str(bool(won[i])).lower()}", "won")
        if "won (file)" in deals:
            stated = deals["won (file)"].map(lambda v: CATEGORY_SYNONYMS["won"].get(category_key(str(v)))
                                             if isinstance(v, str) else None)
            derived = won.map({True: "true", False: "false"})
            rows("opportunities", stated.notna() & derived.notna() & (stated != derived),
                 lambda i: f"the stage '{deals.at[i, 'stage']}' means won = {derived[i]} (outcomes), but the file's "
                           f"won column says {deals.at[i, 'won (file)']}", "won")
    staff = tables.get("staff")
    if staff is not None and "partners_covered" in staff:
        listed = staff["partners_covered"].astype("string").str.split(";").explode().str.strip()
        listed = listed[listed.notna() & (listed != "")]
        twice = listed[listed.groupby(level=0).transform(lambda s: s.duplicated())]
        for index, partner in list(twice.groupby(level=0).first().items())[:MAX_ROWS_PER_RULE]:
            found.append(("staff", Problem(labels["staff"], f"partner '{partner}' is listed twice for this person",
                                           column="partners_covered", row=spreadsheet_row(index))))
    metrics, partners = tables.get("partner_metrics"), tables.get("partners")
    if metrics is not None and partners is not None and "start_date" in partners:
        start = partners.set_index("partner_id")["start_date"].dropna().dt.strftime("%Y-%m")
        early = metrics["month"] < metrics["partner_id"].map(start)
        if early.any():
            n_partners = metrics.loc[early, "partner_id"].nunique()
            notes.append(("partner_metrics", f"{labels['partner_metrics']}: {int(early.sum()):,} monthly rows of "
                                             f"{n_partners:,} partners are from before the partner's start_date in "
                                             f"{labels['partners']}; they are kept (the start date may be the "
                                             "contract's, later than the first joint business)."))
    return found, notes


def export_inputs(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write each validated table as ``<input>.csv``, as the analyses see it: the kit's columns
    first, dates as YYYY-MM-DD, booleans as true/false, spreadsheet formulas neutralised. For a
    consultant to check what the kit understood of a client's export before anything runs."""
    from .deliverables import neutralise_formulas

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        shown = frame.copy()
        for column in shown.columns:
            if str(shown[column].dtype) == "boolean":
                shown[column] = shown[column].map({True: "true", False: "false"}).astype(object)
        path = folder / f"{name}.csv"
        neutralise_formulas(shown).to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        written.append(path)
    return written

