"""The contract of a mapped input: how one client file becomes one of the kit's inputs.

An entry under ``data:`` is either a path in the kit's own format or a mapping::

    opportunities:
      path: exports/opportunities.xlsx
      sheet: Report                    # .xlsx only
      header_row: 4                    # 1-based row holding the column names; rows above are skipped
      columns: {opportunity_id: Opportunity ID, amount: Amount, closed: Close Date}
      values: {attribution: {Sourced: sourced, Influenced: influenced}}
      outcomes: {won: [Closed Won], lost: [Closed Lost]}
      date_format: "%m/%d/%Y"
      decimal: "."
      partners_by: name
      separator: ","

and, for a wide survey export (``layout: wide``), ``respondent``, ``role``, ``questions`` and
``scale``; for interview documents, ``folder`` instead of ``path``. :class:`DataMapping`
declares every key once (pydantic: unknown keys refused with the nearest valid one);
:func:`mapping_problems` checks what depends on the input (kit column names, keys that only
make sense for some inputs).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Literal, Mapping

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem, did_you_mean
from ..schemas import SPECS

#: Inputs whose rows name partners (``partners_by`` and ``separator`` apply to them).
PARTNER_COLUMNS = {"partner_metrics": "partner_id", "opportunities": "partner_ids", "interviews": "partner_id",
                   "staff": "partners_covered", "health_survey": "partner_id"}
#: Inputs that may come as a wide survey export (one row per respondent, one column per question).
WIDE_INPUTS = ("maturity_survey",)
#: Inputs that may come as a folder of documents.
FOLDER_INPUTS = ("interviews",)


class DataMapping(BaseModel):
    """One mapped input (see the module docstring; README, "Bringing in a client's data")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str | None = Field(None, description="the client's file (.csv or .xlsx), relative to the engagement file")
    folder: str | None = Field(None, description="interviews only: a folder of .txt, .md or .docx files, one per interview")
    sheet: str | None = Field(None, description=".xlsx only: the sheet to read")
    header_row: int = Field(1, ge=1, description="1-based row holding the column names; rows above are skipped")
    columns: dict[str, str] = Field(default_factory=dict, description="kit column -> the client's header, exactly as in the file")
    values: dict[str, dict[Any, Any]] = Field(default_factory=dict, description="kit column -> {client value: kit value}")
    outcomes: dict[Literal["won", "lost", "closed"], list[str]] = Field(
        default_factory=dict, description="opportunities only: stages that mean won and lost (derive won from stage), "
                                          "and closed: stages that end a deal without either (out of pipeline and win rates)")
    stage_order: list[str] = Field(default_factory=list, description="opportunities only: the client's pipeline stages, "
                                                                     "earliest first (reports list stages in this order)")
    tier_order: list[str] = Field(default_factory=list, description="partners only: the client's tiers, highest first")
    labels: dict[Literal["partner_type", "tier", "region"], dict[str, str]] = Field(
        default_factory=dict, description="partners only: column -> {value in the data: the label reports show}")
    date_format: str | None = Field(None, description="strftime format of every date and month column of this file")
    decimal: Literal[".", ","] = Field(".", description="decimal mark of the file's numbers")
    partners_by: Literal["id", "name"] = Field("id", description="partner columns hold partner ids or partners.partner_name")
    separator: str = Field(";", min_length=1, description="between several partners in one cell")
    layout: Literal["long", "wide"] = Field("long", description="wide: one row per respondent, one column per question")
    respondent: str = Field("row", description="wide layout: the header naming each respondent, or 'row' to number them")
    role: str | None = Field(None, description="wide layout: the header holding the respondent's role")
    questions: dict[str, str] = Field(default_factory=dict, description="wide layout: question_id -> header")
    scale: dict[str, int | None] = Field(default_factory=dict, description="wide layout: answer label -> score 1-5, or null")

    @property
    def file(self) -> str:
        """The path or folder the entry names."""
        return self.path or self.folder or ""


#: Keys that say how the client names and orders its categories (alliancekit.vocabulary), and the
#: input each belongs to. They do not make an entry a mapping: a file in the kit's format may have them.
VOCABULARY_KEYS = {"stage_order": "opportunities", "tier_order": "partners", "labels": "partners"}


#: Columns the analyses read beyond the schemas' (README, "Input files"): they can be mapped too.
READ_ALSO = {
    "partners": ("offering",),
    "candidates": ("region", "offering", "strategic_fit", "market_access", "complementary_capabilities",
                   "cultural_fit", "financial_strength"),
    "staff": ("staff_name",),
}


def kit_columns(name: str) -> tuple[str, ...]:
    """Every column of input ``name`` the kit knows (required, optional, and read by an analysis)."""
    return tuple(s.name for s in SPECS[name]) + READ_ALSO.get(name, ())  # partner_metrics' indicators are specs


def _date_format_problem(fmt: str) -> str | None:
    """Why ``fmt`` cannot read a date (None: it can): no %-directive (Excel's MM/DD/YYYY), or one unknown."""
    if "%" not in fmt:
        return (f"date_format '{fmt}' has no %-directive; write it as strftime does, e.g. \"%m/%d/%Y\" for "
                "03/31/2026 or \"%d.%m.%Y\" for 31.03.2026")
    try:
        pd.to_datetime(pd.Series(["0"]), format=fmt, errors="coerce")  # as intake.apply reads the dates
    except ValueError as exc:
        return f"date_format: {exc}; e.g. \"%m/%d/%Y\" for 03/31/2026 (%d day, %m month, %Y year, %b month name)"
    return None


def parse_mapping(name: str, raw: Mapping[str, Any], where: str) -> tuple[DataMapping | None, list[Problem]]:
    """The mapping of ``data.<name>`` and its problems (each with the nearest valid name)."""
    try:
        mapping = DataMapping.model_validate(dict(raw))
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                problems.append(Problem(where, f"data.{name}: unknown key '{key}'; "
                                               f"{did_you_mean(key, DataMapping.model_fields)}"))
            else:
                problems.append(Problem(where, f"data.{name}.{key}: {error['msg']} (got {error['input']!r})"))
        return None, problems
    return mapping, mapping_problems(name, mapping, where)


def mapping_problems(name: str, mapping: DataMapping, where: str) -> list[Problem]:
    """What the mapping asks that input ``name`` cannot do: unknown kit columns, misplaced keys."""
    problems = []
    say = lambda text: problems.append(Problem(where, f"data.{name}: {text}"))  # noqa: E731
    if bool(mapping.path) == bool(mapping.folder):
        say("give either 'path' (a file) or, for interviews, 'folder' (a folder of documents)")
    if mapping.folder and name not in FOLDER_INPUTS:
        say(f"'folder' is for interviews only; give 'path' for {name}")
    if mapping.sheet and mapping.path and PurePath(mapping.path).suffix.lower() != ".xlsx":
        say("'sheet' is for .xlsx workbooks only")
    known = kit_columns(name)
    for section in ("columns", "values"):
        for column in getattr(mapping, section):
            if column not in known:
                say(f"{section}: unknown kit column '{column}'; {did_you_mean(column, known)}")
    if mapping.date_format is not None and (why := _date_format_problem(mapping.date_format)):
        say(why)
    if mapping.outcomes and name != "opportunities":
        say("'outcomes' is for opportunities only (stages that mean won and lost)")
    for key, owner in VOCABULARY_KEYS.items():
        if getattr(mapping, key) and name != owner:
            say(f"'{key}' is for {owner} only")
    for key in ("stage_order", "tier_order"):
        seen: dict[str, str] = {}
        for value in getattr(mapping, key):
            if value.strip().casefold() in seen:
                say(f"{key}: '{value}' is listed twice ('{seen[value.strip().casefold()]}')")
            seen[value.strip().casefold()] = value
    undeclared = [s for kind in ("won", "lost", "closed") for s in mapping.outcomes.get(kind, [])
                  if mapping.stage_order and s.strip().casefold() not in {o.strip().casefold() for o in mapping.stage_order}]
    if undeclared:
        say(f"outcomes name stages that stage_order does not list: {', '.join(undeclared)}")
    if mapping.partners_by != "id" and name not in PARTNER_COLUMNS:
        say(f"'partners_by' is for inputs that name partners ({', '.join(PARTNER_COLUMNS)})")
    wide_keys = [k for k in ("role", "questions", "scale") if getattr(mapping, k)] + (
        ["respondent"] if mapping.respondent != "row" else [])
    if mapping.layout == "wide":
        if name not in WIDE_INPUTS:
            say(f"'layout: wide' is for survey exports ({', '.join(WIDE_INPUTS)})")
        if not mapping.questions:
            say("'layout: wide' needs 'questions': question_id -> the header of its column")
        if not mapping.role:
            say("'layout: wide' needs 'role': the header of the column holding each respondent's role")
        for label, score in mapping.scale.items():
            if score is not None and not 1 <= score <= 5:
                say(f"scale: '{label}' is {score}; a score is 1 to 5, or null for no answer")
    elif wide_keys:
        say(f"{', '.join(wide_keys)} apply to a wide survey export only; add 'layout: wide'")
    return problems
