"""Typed parameters: conversion, nearest-name errors, CLI parsing as data."""

import ast
import re
from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field

from alliancekit.errors import InputError
from alliancekit.params import PhaseParams, describe, parse_cli_assignment, resolve_params, weights
from alliancekit.phases import PHASES, phase_order

LIB = Path(__file__).resolve().parents[1] / "lib" / "alliancekit"


class DECL(PhaseParams):
    k_max: int = Field(8, ge=2, le=15, description="largest k")
    share: float = Field(0.5, ge=0, le=1, description="a share")
    label: Literal["a", "b"] = Field("a", description="a label")
    weights: dict[str, float] = weights({"growth": 0.5, "size": 0.5}, "weights")
    flag: bool = Field(False, description="a flag")


def test_defaults_and_overrides_are_typed():
    values, problems = resolve_params(DECL, {"k_max": 6, "share": 1, "weights": {"growth": 2}}, "test")
    assert problems == []
    assert values["k_max"] == 6 and isinstance(values["share"], float) and values["share"] == 1.0
    assert values["weights"] == {"growth": 2.0, "size": 0.5}


@pytest.mark.parametrize("overrides, words", [
    ({"k_mx": 3}, "unknown parameter 'k_mx'; did you mean 'k_max'?"),
    ({"k_max": "six"}, "expected a whole number"),
    ({"k_max": 1}, "1 is below the minimum 2"),
    ({"k_max": 16}, "16 is above the maximum 15"),
    ({"k_max": "8"}, "expected a whole number, got '8'"),
    ({"share": 2}, "2.0 is above the maximum 1"),
    ({"share": True}, "expected a number"),
    ({"label": "c"}, "'c' is not allowed; valid: a, b"),
    ({"flag": "yes"}, "expected true or false"),
    ({"weights": {"growht": 1}}, "unknown weight 'growht'; did you mean 'growth'?"),
    ({"weights": {"growth": -1}}, "expected a number >= 0"),
    ({"weights": {"growth": 0, "size": 0}}, "must not all be zero"),
])
def test_bad_values_name_the_problem(overrides, words):
    _, problems = resolve_params(DECL, overrides, "engagement.yml")
    assert len(problems) == 1
    assert words in str(problems[0])


def test_cli_values_are_yaml_data_never_code():
    assert parse_cli_assignment("portfolio_health.k_max=6") == ("portfolio_health", "k_max", 6)
    assert parse_cli_assignment("portfolio_health.weights.growth=0.4") == ("portfolio_health", "weights", {"growth": 0.4})
    phase, key, value = parse_cli_assignment("x.y=__import__('os').system('echo pwned')")
    assert value == "__import__('os').system('echo pwned')"  # a string, not evaluated
    with pytest.raises(ValueError, match="PHASE.KEY=VALUE"):
        parse_cli_assignment("k_max=6")


def test_a_whole_number_written_as_a_float_is_an_int():
    values, problems = resolve_params(DECL, {"k_max": 6.0}, "test")
    assert problems == [] and values["k_max"] == 6 and isinstance(values["k_max"], int)


def test_several_problems_are_reported_at_once_and_complete_raises_them():
    _, problems = resolve_params(DECL, {"k_max": "x", "share": -1, "labl": "a"}, "engagement.yml")
    assert len(problems) == 3
    with pytest.raises(InputError, match="unknown parameter 'labl'; did you mean 'label'"):
        DECL.complete({"labl": "a"})
    assert DECL.complete({"weights": {"size": 1}}) == {"k_max": 8, "share": 0.5, "label": "a",
                                                        "weights": {"growth": 0.5, "size": 1.0}, "flag": False}


def test_describe_names_type_range_choices_and_default():
    lines = describe(DECL)
    assert lines[0] == "k_max (int [2..15], default 8): largest k"
    assert lines[2] == "label (str {a, b}, default 'a'): a label"
    assert lines[3].startswith("weights (weights, default {'growth': 0.5")


def test_registry_defaults_are_valid_for_their_own_declarations():
    for phase in PHASES.values():
        values, problems = resolve_params(phase.params, phase.defaults(), phase.name)
        assert problems == [], phase.name
        assert values == phase.defaults()
        assert phase.params.model_json_schema()["additionalProperties"] is False


def _literals(path: Path) -> list:
    """Every default literal of a declaration module's Params fields (the first argument of Field/weights)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Params":
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.value, ast.Call):
                    out.append((stmt.target.id, stmt.value.args[0] if stmt.value.args else None))
    return out


def test_each_default_is_written_once_in_the_library():
    """No phase module repeats a parameter's default: no DEFAULTS copy, no params.get(name, default)."""
    sources = {p: p.read_text(encoding="utf-8") for p in LIB.rglob("*.py")}
    for phase in PHASES.values():
        declaration = LIB / phase.name / "declaration.py"
        assert len(_literals(declaration)) == len(phase.params.model_fields), phase.name
        for path, text in sources.items():
            if path == declaration:
                continue
            for name in phase.params.model_fields:
                assert not re.search(rf"""params\.get\(\s*["']{name}["']\s*,""", text), f"{path}: default of {name} again"
        assert not any(re.search(r"^DEFAULTS\b", t, re.M) for t in sources.values())


def test_phase_order_puts_dependencies_first():
    assert phase_order(["portfolio_health"]) == ["portfolio_health"]
