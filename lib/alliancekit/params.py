"""Typed phase parameters: declared once here, validated and converted before papermill runs.

papermill injects whatever it is given without type conversion, so the kit converts first:
a value from the engagement file (YAML) or the command line (``-p phase.key=value``, parsed
as YAML data, never evaluated as code) is checked against its declaration and converted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import yaml

from .errors import Problem, did_you_mean

#: The parameter kinds the kit understands.
KINDS = ("int", "float", "str", "bool", "weights")


@dataclass(frozen=True)
class Param:
    """One parameter of a phase.

    ``kind`` is one of :data:`KINDS`; ``weights`` is a mapping of known names to
    non-negative floats whose keys are fixed by ``default`` (overrides merge into it).
    """

    name: str
    kind: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """One line for ``alliancekit phases``."""
        rng = ""
        if self.minimum is not None or self.maximum is not None:
            lo = "" if self.minimum is None else f"{self.minimum:g}"
            hi = "" if self.maximum is None else f"{self.maximum:g}"
            rng = f" [{lo}..{hi}]"
        if self.choices:
            rng = " {" + ", ".join(self.choices) + "}"
        return f"{self.name} ({self.kind}{rng}, default {self.default!r}): {self.help}"

    def convert(self, value: Any, where: str) -> tuple[Any, list[Problem]]:
        """Return ``(typed value, problems)``; ``where`` names the source for messages."""
        bad = lambda msg: (None, [Problem(where, f"parameter '{self.name}': {msg}")])  # noqa: E731
        kind = self.kind
        if kind == "bool":
            if isinstance(value, bool):
                return value, []
            return bad(f"expected true or false, got {value!r}")
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    return bad(f"expected a whole number, got {value!r}")
        elif kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                return bad(f"expected a number, got {value!r}")
            value = float(value)
        elif kind == "str":
            if not isinstance(value, str):
                return bad(f"expected text, got {value!r}")
            if self.choices and value not in self.choices:
                return bad(f"'{value}' is not allowed; {did_you_mean(value, self.choices)}")
            return value, []
        elif kind == "weights":
            return self._convert_weights(value, where)
        if self.minimum is not None and value < self.minimum:
            return bad(f"{value} is below the minimum {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            return bad(f"{value} is above the maximum {self.maximum:g}")
        return value, []

    def _convert_weights(self, value: Any, where: str) -> tuple[Any, list[Problem]]:
        if not isinstance(value, Mapping):
            return None, [Problem(where, f"parameter '{self.name}': expected a mapping name: weight, got {value!r}")]
        merged, problems = dict(self.default), []
        for key, weight in value.items():
            if key not in self.default:
                problems.append(Problem(where, f"parameter '{self.name}': unknown weight '{key}'; "
                                               f"{did_you_mean(key, self.default)}"))
            elif isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight >= 0:
                problems.append(Problem(where, f"parameter '{self.name}.{key}': expected a number >= 0, got {weight!r}"))
            else:
                merged[key] = float(weight)
        if not problems and sum(merged.values()) <= 0:
            problems.append(Problem(where, f"parameter '{self.name}': weights must not all be zero"))
        return (None if problems else merged), problems


def resolve_params(declared: tuple[Param, ...], overrides: Mapping[str, Any], where: str) -> tuple[dict, list[Problem]]:
    """Defaults of ``declared`` updated by ``overrides``; unknown names are problems with the nearest valid name."""
    by_name = {p.name: p for p in declared}
    values = {p.name: p.default for p in declared}
    problems: list[Problem] = []
    for name, raw in (overrides or {}).items():
        if name not in by_name:
            problems.append(Problem(where, f"unknown parameter '{name}'; {did_you_mean(name, by_name)}"))
            continue
        value, errs = by_name[name].convert(raw, where)
        problems.extend(errs)
        if not errs:
            values[name] = value
    return values, problems


def parse_cli_assignment(text: str) -> tuple[str, str, Any]:
    """Split ``phase.key=value`` (or ``phase.key.subkey=value``) into its parts.

    The value is parsed as YAML *data* (``3`` -> int, ``true`` -> bool, ``[2, 6]`` -> list),
    never evaluated as code. A dotted sub-key becomes a one-entry mapping, so
    ``-p portfolio_health.weights.growth=0.4`` overrides one weight.
    Raises ``ValueError`` with a usage hint on malformed input.
    """
    if "=" not in text:
        raise ValueError(f"-p {text!r}: expected PHASE.KEY=VALUE")
    lhs, raw = text.split("=", 1)
    parts = lhs.strip().split(".")
    if len(parts) < 2 or not all(parts):
        raise ValueError(f"-p {text!r}: expected PHASE.KEY=VALUE, e.g. portfolio_health.k_max=6")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    for sub in reversed(parts[2:]):
        value = {sub: value}
    return parts[0], parts[1], value
