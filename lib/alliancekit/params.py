"""Typed phase parameters: each phase declares them once, as a pydantic model.

A phase's parameters are the fields of a :class:`PhaseParams` subclass in its own package
(``alliancekit.<phase>.declaration``): name, type, default, range or choices and the help
text live in one place. Everything else reads them from there: the engagement file's
validation, ``-p`` on the command line, the notebooks' ``parameters`` cells (a test keeps
them equal), ``alliancekit phases`` and the phase's own ``review``.

papermill injects whatever it is given without type conversion, so the kit converts first:
a value from the engagement file (YAML) or the command line (``-p phase.key=value``, parsed
as YAML data, never evaluated as code) is validated strictly (``"8"`` is not a number) and
every problem is reported in the kit's words, with the nearest valid name.

A *weights* parameter (:func:`weights`) is a mapping whose keys are fixed by its default;
an override names only the weights it changes and is merged into the default.
"""

from __future__ import annotations

import math
import typing
from typing import Any, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InputError, Problem, did_you_mean

WEIGHTS = "weights"


class PhaseParams(BaseModel):
    """Base of every phase's parameter model: unknown names refused, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, validate_default=True)

    @classmethod
    def complete(cls, given: Mapping[str, Any] | PhaseParams | None = None, where: str = "parameters") -> dict[str, Any]:
        """Every parameter, the given ones converted and checked and the rest at their default.

        What a phase's ``review`` calls first, so that it reads each parameter with
        ``params[name]`` and never writes a default of its own. Raises :class:`InputError`.
        """
        if isinstance(given, PhaseParams):
            return given.model_dump()
        values, problems = resolve_params(cls, given or {}, where)
        if problems:
            raise InputError(problems)
        return values


def weights(default: Mapping[str, float], description: str) -> Any:
    """A weights field: a mapping of the default's keys to numbers >= 0, overrides merged into it."""
    frozen = dict(default)
    schema = {"kind": WEIGHTS, "default": frozen, "propertyNames": {"enum": list(frozen)}}
    return Field(default_factory=lambda: dict(frozen), description=description, json_schema_extra=schema)


def kind(field) -> str:
    """The kit's name of a field's type: int, float, str, bool or weights."""
    if (field.json_schema_extra or {}).get("kind") == WEIGHTS:
        return WEIGHTS
    annotation = field.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return "str"
    return {int: "int", float: "float", bool: "bool", str: "str"}[annotation]


def choices(field) -> tuple[str, ...]:
    """The allowed values of a choice field (a ``Literal``), else ``()``."""
    return typing.get_args(field.annotation) if typing.get_origin(field.annotation) is typing.Literal else ()


def bounds(field) -> tuple[float | None, float | None]:
    """The field's ``(minimum, maximum)`` (``ge``/``le`` constraints), ``None`` where open."""
    low = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in field.metadata if hasattr(m, "le")), None)
    return low, high


def is_path(field) -> bool:
    """Whether a field names a file or folder (``json_schema_extra={"path": True}``): on the command
    line a relative one is read from where the command is typed, in the engagement file from its folder."""
    return bool((field.json_schema_extra or {}).get("path")) if isinstance(field.json_schema_extra, dict) else False


def defaults(model: type[PhaseParams]) -> dict[str, Any]:
    """Every parameter of ``model`` at its default value."""
    return model().model_dump()


def describe(model: type[PhaseParams]) -> list[str]:
    """One line per parameter for ``alliancekit phases``: name, type, range or choices, default, help."""
    lines = []
    for name, field in model.model_fields.items():
        low, high = bounds(field)
        rng = ""
        if low is not None or high is not None:
            rng = f" [{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}]"
        if choices(field):
            rng = " {" + ", ".join(choices(field)) + "}"
        lines.append(f"{name} ({kind(field)}{rng}, default {field.get_default(call_default_factory=True)!r}): "
                     f"{field.description}")
    return lines


def _merge_weights(name: str, default: Mapping[str, float], value: Any, where: str) -> tuple[Any, list[Problem]]:
    """``value`` merged into ``default``; unknown keys, negative or non-numeric weights and all-zero are problems."""
    if not isinstance(value, Mapping):
        return None, [Problem(where, f"parameter '{name}': expected a mapping name: weight, got {value!r}")]
    merged, problems = dict(default), []
    for key, weight in value.items():
        if key not in default:
            problems.append(Problem(where, f"parameter '{name}': unknown weight '{key}'; {did_you_mean(key, default)}"))
        elif isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight >= 0:
            problems.append(Problem(where, f"parameter '{name}.{key}': expected a number >= 0, got {weight!r}"))
        else:
            merged[key] = float(weight)
    if not problems and sum(merged.values()) <= 0:
        problems.append(Problem(where, f"parameter '{name}': weights must not all be zero"))
    return (None if problems else merged), problems


def _message(error: Mapping[str, Any], field) -> str:
    """A pydantic error in the kit's words (the same sentences for every phase)."""
    value, kind_of = error["input"], kind(field)
    if error["type"] == "greater_than_equal":
        return f"{float(value) if kind_of == 'float' else value} is below the minimum {bounds(field)[0]:g}"
    if error["type"] == "less_than_equal":
        return f"{float(value) if kind_of == 'float' else value} is above the maximum {bounds(field)[1]:g}"
    if error["type"] == "literal_error":
        return f"'{value}' is not allowed; {did_you_mean(value, choices(field))}"
    expected = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "text"}[kind_of]
    return f"expected {expected}, got {value!r}"


def resolve_params(model: type[PhaseParams], overrides: Mapping[str, Any], where: str) -> tuple[dict, list[Problem]]:
    """Defaults of ``model`` updated by ``overrides``: ``(values, problems)``.

    Unknown names are problems with the nearest valid name; ``where`` names the source
    (engagement file, command line, notebook) in every message. A whole number written as
    ``8.0`` is accepted for an integer parameter (YAML and papermill may write it so).
    """
    fields = model.model_fields
    given: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in (overrides or {}).items():
        if name not in fields:
            problems.append(Problem(where, f"unknown parameter '{name}'; {did_you_mean(name, fields)}"))
        elif kind(fields[name]) == WEIGHTS:
            merged, errs = _merge_weights(name, fields[name].get_default(call_default_factory=True), raw, where)
            problems.extend(errs)
            if not errs:
                given[name] = merged
        elif kind(fields[name]) == "int" and isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
            given[name] = int(raw)
        else:
            given[name] = raw
    try:
        values = model.model_validate(given).model_dump()
    except ValidationError as exc:
        values = None
        for error in exc.errors():
            name = str(error["loc"][0])
            problems.append(Problem(where, f"parameter '{name}': {_message(error, fields[name])}"))
    if values is None:
        values = {name: given.get(name, field.get_default(call_default_factory=True)) for name, field in fields.items()}
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
