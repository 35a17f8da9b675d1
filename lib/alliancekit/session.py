"""The notebook side of a phase: parameters in, validated inputs, result files out.

A phase notebook's first code cell after ``parameters`` is::

    ctx = start_phase("portfolio_health", globals())

which reads the parameters cell's variables (as papermill injected them, or their
defaults when the notebook is run by hand or by nbval), converts and checks them against
the phase's declaration, loads and validates the inputs, and applies the chart theme.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .deliverables import neutralise_formulas
from .engagement import Engagement, load_engagement
from .errors import InputError, Problem
from .params import resolve_params
from .phases import PHASES, Phase
from .theme import apply_theme, palette
from .validation import load_inputs


@dataclass
class PhaseSession:
    """Everything a phase notebook works with."""

    phase: Phase
    engagement: Engagement
    params: dict[str, Any]
    inputs: dict[str, pd.DataFrame]
    results_dir: Path
    notes: list[str] = field(default_factory=list)
    scratch: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def palette(self) -> list[str]:
        """Chart colours, brand colour first."""
        return palette(self.engagement.primary_color)

    def save_csv(self, frame: pd.DataFrame, name: str) -> None:
        """Write a result table deterministically (fixed float format, ``\\n`` line ends)."""
        if name not in self.phase.results:
            raise ValueError(f"{name} is not a declared result of {self.phase.name}: {self.phase.results}")
        path = self.results_dir / name
        neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n")


def start_phase(phase_name: str, namespace: Mapping[str, Any]) -> PhaseSession:
    """Open phase ``phase_name`` from the variables of a notebook's parameters cell."""
    phase = PHASES[phase_name]
    engagement = load_engagement(namespace["engagement"])
    given = {p.name: namespace[p.name] for p in phase.params if p.name in namespace}
    params, problems = resolve_params(phase.params, given, f"{phase.notebook} parameters")
    if problems:
        raise InputError(problems)
    missing = [n for n in phase.inputs if n not in engagement.data]
    if missing:
        raise InputError([Problem(engagement.file.name, f"phase {phase.name} needs data.{n}") for n in missing])
    names = [*phase.inputs, *(n for n in phase.optional_inputs if n in engagement.data)]
    inputs, notes = load_inputs(engagement, names)
    problems = phase.check_inputs(inputs, params)
    if problems:
        raise InputError(problems)
    scratch = None
    if namespace.get("results_dir"):
        results_dir = Path(namespace["results_dir"])
        results_dir.mkdir(parents=True, exist_ok=True)
    else:  # run by hand or by nbval: results go to a folder removed with the kernel
        scratch = tempfile.TemporaryDirectory(prefix=f"alliancekit-{phase.name}-")
        results_dir = Path(scratch.name)
    apply_theme(engagement.primary_color)
    return PhaseSession(phase, engagement, params, inputs, results_dir, notes, scratch)
