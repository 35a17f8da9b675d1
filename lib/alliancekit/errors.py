"""Problems found in a user's inputs, and the exceptions that carry them.

A :class:`Problem` names the file, the column and the row (as a spreadsheet user counts
rows: the header is row 1) and says what was expected. Validation collects every problem
before it stops, so a consultant fixes a file once instead of once per error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


#: Rows listed per (file, column, rule) before the rest is summarised.
MAX_ROWS_PER_RULE = 5


def spreadsheet_row(index: int) -> int:
    """Row number as a spreadsheet shows it: the header is row 1, the first data row is 2."""
    return int(index) + 2


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the inputs."""

    file: str
    message: str
    column: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.column:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        return f"{', '.join(where)}: {self.message}"


class KitError(Exception):
    """Base of the kit's own errors (shown to users without a traceback)."""

    exit_code = 1


class InputError(KitError):
    """Bad input or parameters: nothing was run (exit code 2)."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = [p if isinstance(p, Problem) else Problem("input", p) for p in problems]
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in the inputs:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class PhaseFailed(KitError):
    """A phase's notebook raised while it ran (exit code 1)."""

    exit_code = 1


def did_you_mean(name: str, valid: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a valid name is close to ``name``, else the valid names."""
    valid = sorted(valid)
    close = difflib.get_close_matches(str(name), valid, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid: " + ", ".join(valid) if valid else "nothing is valid here"
