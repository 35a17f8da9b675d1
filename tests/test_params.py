"""Typed parameters: conversion, nearest-name errors, CLI parsing as data."""

import pytest

from alliancekit.params import Param, parse_cli_assignment, resolve_params
from alliancekit.phases import PHASES, phase_order

DECL = (
    Param("k_max", "int", 8, "largest k", minimum=2, maximum=15),
    Param("share", "float", 0.5, "a share", minimum=0, maximum=1),
    Param("label", "str", "a", "a label", choices=("a", "b")),
    Param("weights", "weights", {"growth": 0.5, "size": 0.5}, "weights"),
    Param("flag", "bool", False, "a flag"),
)


def test_defaults_and_overrides_are_typed():
    values, problems = resolve_params(DECL, {"k_max": 6, "share": 1, "weights": {"growth": 2}}, "test")
    assert problems == []
    assert values["k_max"] == 6 and isinstance(values["share"], float) and values["share"] == 1.0
    assert values["weights"] == {"growth": 2.0, "size": 0.5}


@pytest.mark.parametrize("overrides, words", [
    ({"k_mx": 3}, "unknown parameter 'k_mx'; did you mean 'k_max'?"),
    ({"k_max": "six"}, "expected a whole number"),
    ({"k_max": 1}, "below the minimum 2"),
    ({"share": True}, "expected a number"),
    ({"label": "c"}, "'c' is not allowed"),
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


def test_registry_defaults_are_valid_for_their_own_declarations():
    for phase in PHASES.values():
        values, problems = resolve_params(phase.params, phase.defaults(), phase.name)
        assert problems == [], phase.name
        assert values == phase.defaults()


def test_phase_order_puts_dependencies_first():
    assert phase_order(["portfolio_health"]) == ["portfolio_health"]
