"""The statement bank of the two-sided alliance health survey.

Practitioners' health checks ask people on both sides of an alliance, in matched roles, to rate the
same statements anonymously every 6 to 12 months, and show where the two sides see the relationship
differently. The statements live in an editable template,
``engagement_templates/relationship_health/statement_bank.yml``: dimensions (shared ambition, value
to each side, trust, communication, joint planning, conflict resolution, executive sponsorship,
governance, field engagement, operations), each saying why it matters in a sentence the client
reads, and each holding mirrored pairs of statements. A pair has one id and two wordings: ``us``,
which the client's people rate (about the partner, ``{partner}`` standing for its name), and
``partner``, which the partner's people rate (about the client, ``{client}``). Both sides answer
under the same ``statement_id`` of the ``health_survey`` input, so their scores compare.

This module reads and checks the file into frozen pydantic models (unknown keys refused). A broken
edit stops with :class:`~alliancekit.errors.InputError` listing every problem at once, each naming
the file, the place in the YAML and its line (list positions count from 1)::

    statement_bank.yml: dimensions[7].statements[2].id (line 168): 'TR2' is also the id of
    dimensions[3].statements[2]; statement ids must be unique across the bank

The checks: scale labels exactly 1-5; unique snake_case dimension ids; statement ids of upper-case
letters and a number, unique across the bank; both wordings of every statement, with only the
placeholder of the other side (``{partner}`` in ``us``, ``{client}`` in ``partner``); at least
:data:`MIN_STATEMENTS` statements per dimension; exactly one dimension marked ``mind_share: true``;
unique functions, and ``field_functions`` among them; no key written twice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from ..errors import did_you_mean
from ..paths import TEMPLATES
from ..template_yaml import LocatedReport, exact_levels, read_template

BANK_FILE = "statement_bank.yml"
#: The kit's statement bank (a consultant edits a copy in the engagement).
BANK_TEMPLATE = TEMPLATES / "relationship_health" / BANK_FILE

#: The two sides of the survey: ``us`` the client's people, ``partner`` the partner's people.
SIDES = ("us", "partner")
Side = Literal["us", "partner"]
#: The placeholder each side's wording may hold: the client's people name the partner, and back.
PLACEHOLDER = {"us": "partner", "partner": "client"}
#: Said where a placeholder is filled without a name.
UNNAMED = {"partner": "the partner", "client": "the client"}
#: Fewer statements than this and a dimension's score hangs on one sentence.
MIN_STATEMENTS = 2

STATEMENT_ID = re.compile(r"^[A-Z]+[0-9]+$")
_PLACEHOLDERS = re.compile(r"\{([^{}]*)\}")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SnakeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Bank(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Bank):
    """A mirrored pair: one statement, worded for each side, answered under one id."""

    id: str = Field(description="upper-case letters and a number (CR1); stable across waves")
    us: Text = Field(description="what the client's people rate; '{partner}' for the partner's name")
    partner: Text = Field(description="what the partner's people rate; '{client}' for the client's name")


class Dimension(_Bank):
    """One dimension of the relationship, why it matters, and its statements."""

    id: SnakeId
    name: Text = Field(description="short: labels the gap chart")
    why: Text = Field(description="one sentence the client reads: why this dimension matters")
    mind_share: bool = Field(False, description="the field-engagement dimension (exactly one)")
    statements: list[Statement]

    @property
    def statement_ids(self) -> list[str]:
        """The dimension's statement ids, in the order of the file."""
        return [s.id for s in self.statements]


class StatementBank(_Bank):
    """``statement_bank.yml``: the survey's scale, functions and dimensions."""

    title: Text
    instructions: Text = Field(description="what respondents read before the statements")
    scale: dict[int, Text] = Field(description="score (1-5) -> its label")
    functions: list[SnakeId] = Field(min_length=1, description="values of the survey's function column")
    field_functions: list[str] = Field(min_length=1, description="the functions whose answers measure mind-share")
    dimensions: list[Dimension] = Field(min_length=1)

    @field_validator("scale")
    @classmethod
    def _five_labels(cls, value: dict[int, str]) -> dict[int, str]:
        return exact_levels(value, "scale")

    def dimension_ids(self) -> list[str]:
        """Dimension ids, in the order of the file."""
        return [d.id for d in self.dimensions]

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension ``dimension_id`` (KeyError naming the nearest id if there is none)."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(f"no dimension '{dimension_id}' in the statement bank; "
                       f"{did_you_mean(dimension_id, self.dimension_ids())}")

    def statement_ids(self) -> list[str]:
        """Every statement id, dimension by dimension, in the order of the file."""
        return [s.id for d in self.dimensions for s in d.statements]

    def statement(self, statement_id: str) -> Statement:
        """The statement ``statement_id`` (KeyError naming the nearest id if there is none)."""
        return self._find(statement_id)[1]

    def dimension_of(self, statement_id: str) -> Dimension:
        """The dimension that holds ``statement_id``."""
        return self._find(statement_id)[0]

    def wording(self, statement_id: str, side: Side, *, client: str | None = None,
                partner: str | None = None) -> str:
        """What the people of ``side`` read for ``statement_id``, with the companies' names filled in.

        A name not given reads "the client" / "the partner" (capitalised at the start).
        """
        if side not in SIDES:
            raise ValueError(f"side must be one of {', '.join(SIDES)}; got {side!r}")
        text = getattr(self.statement(statement_id), side)
        names = {"client": client, "partner": partner}
        filled = _PLACEHOLDERS.sub(lambda m: names.get(m.group(1)) or UNNAMED.get(m.group(1), m.group(0)), text)
        lead = _PLACEHOLDERS.match(text)
        if lead and lead.group(1) in UNNAMED and not names.get(lead.group(1)):
            filled = filled[0].upper() + filled[1:]  # "The partner does what it says", not "the partner ..."
        return filled

    @property
    def mind_share_dimension(self) -> Dimension:
        """The field-engagement dimension: the field functions' answers to it measure mind-share."""
        return next(d for d in self.dimensions if d.mind_share)

    def _find(self, statement_id: str) -> tuple[Dimension, Statement]:
        for dimension in self.dimensions:
            for statement in dimension.statements:
                if statement.id == statement_id:
                    return dimension, statement
        raise KeyError(f"no statement '{statement_id}' in the statement bank; "
                       f"{did_you_mean(statement_id, self.statement_ids())}")


# --- the rules pydantic cannot see: across dimensions, and the placeholders ----------------------

def _items(value: Any) -> list[tuple[int, dict]]:
    """The mappings of a YAML list with their positions (anything else pydantic has reported)."""
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _check_wording(loc: tuple, side: str, text: Any, report: LocatedReport) -> None:
    """Report placeholders the wording of ``side`` may not hold."""
    if not isinstance(text, str):
        return
    allowed = PLACEHOLDER[side]
    for name in _PLACEHOLDERS.findall(text):
        if name == allowed:
            continue
        if name in UNNAMED:
            own = "client" if side == "us" else "partner"
            report.add(loc, f"'{{{name}}}' in the {side} wording: the {own}'s people rate the {allowed}; "
                            f"write '{{{allowed}}}' for the {allowed} and 'we'/'our' for their own company")
        else:
            report.add(loc, f"'{{{name}}}' is not a placeholder; {did_you_mean(name, [allowed])} "
                            f"(the {side} wording may name '{{{allowed}}}')")


def _check_dimensions(data: dict, report: LocatedReport) -> None:
    dimension_at: dict[str, int] = {}
    statement_at: dict[str, tuple[int, int]] = {}
    mind_share: list[int] = []
    misspelt = False  # a mind_share that is not a yes/no: pydantic says so, and it was meant as a mark
    dimensions = _items(data.get("dimensions"))
    for i, dimension in dimensions:
        did = dimension.get("id")
        if isinstance(did, str) and did in dimension_at:
            report.add(("dimensions", i, "id"), f"'{did}' is also the id of dimensions[{dimension_at[did] + 1}]; "
                                                "dimension ids must be unique")
        elif isinstance(did, str):
            dimension_at[did] = i
        if dimension.get("mind_share") is True:
            mind_share.append(i)
        misspelt |= dimension.get("mind_share") not in (None, True, False)
        statements = dimension.get("statements")
        if isinstance(statements, list) and len(statements) < MIN_STATEMENTS:
            n = len(statements)
            report.add(("dimensions", i, "statements"), f"{n} statement{'s' if n != 1 else ''}; a dimension needs "
                                                        f"at least {MIN_STATEMENTS} (3 or 4 give a steadier score)")
        for j, statement in _items(statements):
            loc = ("dimensions", i, "statements", j)
            sid = statement.get("id")
            if isinstance(sid, str) and not STATEMENT_ID.match(sid):
                report.add(loc + ("id",), f"'{sid}' is not a valid statement id; use upper-case letters followed "
                                          "by a number, e.g. CR1")
            elif isinstance(sid, str) and sid in statement_at:
                a, b = statement_at[sid]
                report.add(loc + ("id",), f"'{sid}' is also the id of dimensions[{a + 1}].statements[{b + 1}]; "
                                          "statement ids must be unique across the bank")
            elif isinstance(sid, str):
                statement_at[sid] = (i, j)
            for side in SIDES:
                _check_wording(loc + (side,), side, statement.get(side), report)
    if isinstance(data.get("dimensions"), list) and not mind_share and not misspelt:
        report.add(("dimensions",), "no dimension is marked 'mind_share: true'; mark the field-engagement one "
                                    "(exactly one dimension measures mind-share)")
    for i in mind_share[1:]:
        report.add(("dimensions", i, "mind_share"), f"dimensions[{mind_share[0] + 1}] is already the mind-share "
                                                    "dimension; exactly one may be marked 'mind_share: true'")


def _check_functions(data: dict, report: LocatedReport) -> None:
    functions = data.get("functions")
    functions = functions if isinstance(functions, list) else []
    for i, function in enumerate(functions):
        if function in functions[:i]:
            report.add(("functions", i), f"'{function}' is listed twice")
    field = data.get("field_functions")
    for i, function in enumerate(field if isinstance(field, list) else []):
        if function not in functions:
            report.add(("field_functions", i), f"'{function}' is not one of the functions; "
                                               f"{did_you_mean(function, map(str, functions))}")


def load_bank(path: str | Path) -> StatementBank:
    """Read and check a statement bank (raises :class:`~alliancekit.errors.InputError` listing every problem)."""
    data, report = read_template(path)
    bank = None
    try:
        bank = StatementBank.model_validate(data)
    except ValidationError as exc:
        report.add_validation(exc, StatementBank)
    _check_dimensions(data, report)
    _check_functions(data, report)
    report.raise_if_any()
    return bank
