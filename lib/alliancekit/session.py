"""The notebook side of a phase: parameters in, validated inputs, result files out.

A phase notebook's first code cell after ``parameters`` is::

    ctx = start_phase("portfolio_health", globals())

which reads the parameters cell's variables (as papermill injected them, or their
defaults when the notebook is run by hand or by nbval), converts and checks them against
the phase's declaration, loads and validates the inputs, and applies the chart theme.

Result files follow one protocol: a phase's ``review(inputs, params)`` returns an object
whose ``results()`` maps each declared result file to a DataFrame (written as CSV) or a
text (written as is, e.g. YAML). A phase that ``needs`` others reads their result files
with :meth:`PhaseSession.upstream`: from the run's output folder under ``alliancekit run``,
or, when the notebook runs on its own, computed on the spot from those phases' public
``review`` with their default parameters.
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .deliverables import neutralise_formulas
from .engagement import Engagement, load_engagement
from .errors import InputError, Problem
from .handover import read_validated
from .params import resolve_params
from .phases import PHASES, Phase
from .theme import apply_theme, palette


def write_results(phase: Phase, results: Mapping[str, Any], directory: Path) -> None:
    """Write a phase's result files: DataFrames as CSV (formula-like text neutralised), text as is."""
    for name, content in results.items():
        if name not in phase.results:
            raise ValueError(f"{name} is not a declared result of {phase.name}: {phase.results}")
        path = directory / name
        if isinstance(content, pd.DataFrame):
            neutralise_formulas(content).to_csv(path, index=False, lineterminator="\n")
        else:
            path.write_text(str(content), encoding="utf-8")


@dataclass
class PhaseSession:
    """Everything a phase notebook works with."""

    phase: Phase
    engagement: Engagement
    params: dict[str, Any]
    inputs: dict[str, pd.DataFrame]
    results_dir: Path
    upstream_dir: Path | None = None
    notes: list[str] = field(default_factory=list)
    _scratch: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def scratch(self) -> Path:
        """A folder removed with the kernel, made on first use: results and upstream results of a
        notebook run by hand or by nbval (``alliancekit run`` gives folders of its own)."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix=f"alliancekit-{self.phase.name}-")
        return Path(self._scratch.name)

    @property
    def palette(self) -> list[str]:
        """Chart colours, brand colour first."""
        return palette(self.engagement.primary_color)

    def save_results(self, results: Mapping[str, Any]) -> None:
        """Write this phase's result files (see :func:`write_results`)."""
        write_results(self.phase, results, self.results_dir)

    def save_csv(self, frame: pd.DataFrame, name: str) -> None:
        """Write one result table (see :func:`write_results`)."""
        self.save_results({name: frame})

    def upstream(self, name: str) -> Path:
        """The folder holding the result files of phase ``name``, which this phase needs."""
        needed = PHASES[name]
        if self.upstream_dir is not None:
            folder = self.upstream_dir / name
            missing = [r for r in needed.results if not (folder / r).is_file()]
            if missing:
                raise InputError(Problem(str(folder), f"results of phase {name} missing ({', '.join(missing)}); "
                                                      f"run it first: alliancekit run ... --phase {name}"))
            return folder
        folder = self.scratch / "upstream" / name
        if not folder.is_dir():
            folder.mkdir(parents=True)
            names = [*needed.inputs, *(i for i in needed.optional_inputs if i in self.engagement.data)]
            from .validation import load_inputs

            inputs, _ = load_inputs(self.engagement, names)
            module = importlib.import_module(f"alliancekit.{name}")
            write_results(needed, module.review(inputs, needed.defaults()).results(), folder)
        return folder


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
    if namespace.get("validated_inputs"):
        # under ``alliancekit run``: read and checked once by the runner's preflight (see handover)
        inputs, notes = read_validated(Path(namespace["validated_inputs"]), names)
    else:  # by hand or by nbval: read and validate here (pandera is imported only then)
        from .validation import load_inputs

        inputs, notes = load_inputs(engagement, names)
        problems = phase.check_inputs(inputs, params, engagement.root)
        if problems:
            raise InputError(problems)
    upstream = Path(namespace["upstream_dir"]) if namespace.get("upstream_dir") else None
    apply_theme(engagement.primary_color)
    # run by hand or by nbval: results go to a folder removed with the kernel
    scratch = None if namespace.get("results_dir") else tempfile.TemporaryDirectory(prefix=f"alliancekit-{phase.name}-")
    results_dir = Path(scratch.name if scratch else namespace["results_dir"])
    results_dir.mkdir(parents=True, exist_ok=True)
    return PhaseSession(phase, engagement, params, inputs, results_dir, upstream, notes, scratch)
