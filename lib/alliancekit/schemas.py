"""Input schemas: the required columns of every input file (README, "Input files") and what each must hold.

Columns are declared once as :class:`ColumnSpec` in the kit's own terms; :func:`pandera_schema`
turns a table's specs into a pandera schema that checks every row lazily (all failures at
once), and :func:`describe_failure` turns pandera's failure cases back into sentences that
say what was expected. Extra columns are always allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

PARTNER_TYPES = ("ISV", "GSI", "cloud", "IHV", "reseller", "distributor", "OEM", "other")
ATTRIBUTIONS = ("sourced", "influenced")
SWOT_LABELS = ("strength", "weakness", "opportunity", "threat", "other")
#: health_survey: whose people answer (the client's own, or the partner's), and in which function.
HEALTH_SIDES = ("us", "partner")
HEALTH_FUNCTIONS = ("sales", "presales", "marketing", "alliances", "delivery", "support", "executive", "other")
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


@dataclass(frozen=True)
class ColumnSpec:
    """What one column must hold.

    ``kind``: ``id`` (non-empty text), ``text``, ``number``, ``count`` (whole number >= 0),
    ``month`` (YYYY-MM), ``date`` (YYYY-MM-DD), ``bool`` (true/false) or ``choice``.
    """

    name: str
    kind: str = "text"
    required: bool = True
    nullable: bool = False
    unique: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None

    def expected(self) -> str:
        """The rule in words, for error messages."""
        words = {
            "id": "a non-empty identifier", "text": "text", "number": "a number",
            "count": "a whole number", "month": "a month as YYYY-MM (e.g. 2026-03)",
            "date": "a date as YYYY-MM-DD (e.g. 2026-03-31)", "bool": "true or false",
            "choice": "one of " + ", ".join(self.choices),
        }[self.kind]
        if self.minimum is not None and self.maximum is not None:
            words += f" from {self.minimum:g} to {self.maximum:g}"
        elif self.minimum is not None:
            words += f" >= {self.minimum:g}"
        return words


#: Longest cell accepted per kind: a longer value is almost always a broken export (a whole
#: document pasted into a name cell), and it would break every table it is shown in.
MAX_LENGTH = {"id": 100, "text": 300}
MAX_TEXT_LENGTH = 100_000  # interview notes and transcripts


def _c(name, kind="text", **kw) -> ColumnSpec:
    kw.setdefault("max_length", MAX_LENGTH.get(kind))
    return ColumnSpec(name, kind, **kw)


#: Known numeric columns of partner_metrics (README, "Input files"); any other numeric column is a candidate indicator.
KNOWN_METRICS = (
    "pipeline_created", "deal_registrations", "joint_accounts_nominated", "proposals_submitted",
    "certifications", "enablement_sessions", "joint_campaigns", "mdf_allocated", "mdf_spent",
    "bookings", "new_customers", "sourced_revenue", "influenced_revenue",
)

SPECS: dict[str, tuple[ColumnSpec, ...]] = {
    "partners": (
        _c("partner_id", "id", unique=True), _c("partner_name"),
        _c("partner_type", "choice", choices=PARTNER_TYPES), _c("tier"), _c("region"),
        _c("start_date", "date", required=False, nullable=True),
        _c("alliance_manager", required=False, nullable=True),
        _c("exec_sponsor", required=False, nullable=True),
        _c("annual_target", "number", required=False, nullable=True, minimum=0),
    ),
    "partner_metrics": (
        _c("partner_id", "id"), _c("month", "month"), _c("revenue", "number"),
        *(_c(m, "number", required=False, nullable=True) for m in KNOWN_METRICS),
    ),
    # Every deal may enter, with or without partners: empty partner_ids (and attribution) is a
    # direct deal; empty created is a prospect not yet engaged; an empty amount is unknown (the
    # figures that need it leave the deal out and say how many).
    "opportunities": (
        # a CRM report of every deal may have no partner column at all: every deal is then direct
        _c("opportunity_id", "id", unique=True), _c("partner_ids", "id", required=False, nullable=True),
        _c("amount", "number", nullable=True, minimum=0), _c("stage"), _c("created", "date", nullable=True),
        _c("closed", "date", nullable=True), _c("won", "bool", nullable=True),
        _c("attribution", "choice", required=False, nullable=True, choices=ATTRIBUTIONS),
    ),
    "interviews": (
        _c("interview_id", "id", unique=True), _c("partner_id", "id"),
        _c("respondent_name", nullable=True), _c("respondent_role", nullable=True),
        _c("date", "date", nullable=True), _c("text", max_length=MAX_TEXT_LENGTH),
    ),
    "maturity_survey": (
        _c("respondent_id", "id"), _c("role"), _c("question_id", "id"),
        _c("score", "count", nullable=True, minimum=1, maximum=5),  # blank: no basis to judge (missing, not 0)
    ),
    "staff": (
        _c("staff_id", "id", unique=True), _c("role"),
        _c("partners_covered", nullable=True), _c("fte", "number", minimum=0, maximum=1.5),
    ),
    "candidates": (
        _c("candidate_id", "id", unique=True), _c("candidate_name"),
        _c("partner_type", "choice", choices=PARTNER_TYPES),
    ),
    # One row per candidate, interviewer and competency: positions are role ids of
    # org_design/roles.yml, competencies ids of org_design/competencies.yml.
    "hiring_scores": (
        _c("candidate_id", "id"), _c("position", "id"), _c("interviewer"), _c("competency", "id"),
        _c("score", "count", minimum=1, maximum=5),
        _c("notes", required=False, nullable=True, max_length=MAX_TEXT_LENGTH),
    ),
    # The two-sided alliance health survey: one row per respondent, wave and statement of the
    # statement bank (engagement_templates/relationship_health/statement_bank.yml). Respondents are
    # anonymous ids, new each wave; recommend (0-10, for an NPS) is the respondent's, the same on
    # each of their rows of the wave.
    "health_survey": (
        _c("respondent_id", "id"), _c("partner_id", "id"),
        _c("side", "choice", choices=HEALTH_SIDES), _c("function", "choice", choices=HEALTH_FUNCTIONS),
        _c("wave", "month"), _c("statement_id", "id"),
        _c("score", "count", nullable=True, minimum=1, maximum=5),  # blank: no basis to judge (missing, not 0)
        _c("recommend", "count", required=False, nullable=True, minimum=0, maximum=10),
        _c("comment", required=False, nullable=True, max_length=MAX_TEXT_LENGTH),
    ),
    "macro": (_c("region"), _c("year", "count", minimum=1900, maximum=2200)),
    "swot_training": (_c("text"), _c("quadrant", "choice", choices=SWOT_LABELS)),
    "swot_corrections": (_c("statement_id", "id", unique=True),
                         _c("quadrant", "choice", nullable=True, choices=SWOT_LABELS),
                         _c("theme", nullable=True, required=False)),
}

#: Columns whose combination must be unique (beyond single unique columns).
COMPOSITE_KEYS: dict[str, tuple[str, ...]] = {
    "partner_metrics": ("partner_id", "month"),
    "maturity_survey": ("respondent_id", "question_id"),
    "macro": ("region", "year"),
    "hiring_scores": ("candidate_id", "interviewer", "competency"),
    "health_survey": ("respondent_id", "wave", "statement_id"),
}


def _column(spec: ColumnSpec) -> pa.Column:
    checks = []
    dtype = str
    coerce = False
    if spec.kind in ("number", "count"):
        dtype, coerce = float, True
        # pandera runs these checks even when the column failed to coerce (a cell '$160,000.00'
        # leaves it text): on the numbers only, so the other rows are still checked and a cell
        # that is not a number is reported once, by the coercion, instead of as a TypeError.
        if spec.minimum is not None:
            checks.append(pa.Check(lambda s, m=spec.minimum: _numbers(s).ge(m) | _numbers(s).isna(), error="minimum"))
        if spec.maximum is not None:
            checks.append(pa.Check(lambda s, m=spec.maximum: _numbers(s).le(m) | _numbers(s).isna(), error="maximum"))
        if spec.kind == "count":
            checks.append(pa.Check(lambda s: (_numbers(s) % 1 == 0) | _numbers(s).isna(), error="whole"))
    elif spec.kind == "month":
        checks.append(pa.Check.str_matches(MONTH_PATTERN, error="format"))
    elif spec.kind == "date":
        checks.append(pa.Check.str_matches(DATE_PATTERN, error="format"))
    elif spec.kind == "bool":
        checks.append(pa.Check.isin(["true", "false"], error="format"))
    elif spec.kind == "choice":
        checks.append(pa.Check.isin(list(spec.choices), error="format"))
    elif spec.kind == "id":
        checks.append(pa.Check.str_length(min_value=1, error="format"))
    if spec.max_length and dtype is str:
        checks.append(pa.Check(lambda s, n=spec.max_length: s.str.len() <= n, error="length"))
    return pa.Column(dtype, checks=checks, nullable=spec.nullable, unique=spec.unique,
                     required=spec.required, coerce=coerce, name=spec.name)


def _numbers(values: pd.Series) -> pd.Series:
    """``values`` as numbers; a value that is not one (a column that failed to coerce) is missing."""
    return pd.to_numeric(values, errors="coerce")


def pandera_schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of input ``table`` (extra columns allowed)."""
    return pa.DataFrameSchema({s.name: _column(s) for s in SPECS[table]}, strict=False, name=table)


def spec(table: str, column: str) -> ColumnSpec | None:
    """The declaration of ``column`` in ``table``, if it has one."""
    return next((s for s in SPECS[table] if s.name == column), None)


def describe_failure(table: str, column: str | None, check: str, value) -> str:
    """A sentence for one pandera failure case."""
    if check == "column_in_dataframe":
        return f"required column '{value}' is missing"
    col = spec(table, column) if column else None
    expected = col.expected() if col else "a valid value"
    if check == "not_nullable":
        return f"missing value (expected {expected})"
    if check == "field_uniqueness":
        return f"duplicate value '{value}' (expected each value once)"
    if check == "length":
        return f"a value of {len(str(value)):,} characters (expected at most {col.max_length:,}: is the column shifted?)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"got '{value}' (expected {expected})"
