"""The notebook side of a phase: parameters in, validated inputs, result files out.

A phase notebook's first code cell after ``parameters`` is::

    ctx = start_phase("portfolio_health", globals())

which reads the parameters cell's variables, converts and checks them against the phase's
declaration, loads and validates the inputs, and applies the chart theme.

A notebook behaves like ``alliancekit run`` on the same engagement. Under the runner the
parameters arrive resolved (defaults < the engagement file's ``phases:`` < ``-p``) with
``engagement_params = False``. Opened in JupyterLab, run by papermill or by nbval
(``engagement_params = True``, the cell's default), a parameter the cell leaves at its
declared default takes the engagement file's value; one set in the cell, or by
``papermill -p``, wins over the file.

Result files follow one protocol: a phase's ``review(inputs, params)`` returns an object
whose ``results()`` maps each declared result file to a DataFrame (written as CSV) or a
text (written as is, e.g. YAML). A phase that ``needs`` others reads their result files
with :meth:`PhaseSession.upstream`: from the delivered results in ``upstream_dir`` when it
is given (the ``working/`` folder of an output folder, as the runner passes it: see
:mod:`.layout`), otherwise computed on the spot from those phases' public
``review`` with the engagement file's parameters for them; a data note says which.

A delivered ``executed.ipynb`` re-runs as it is: its hand-over folder of validated inputs
and its staging folder belong to a run that is over, so the inputs are read again from the
engagement's files and the results go to a temporary folder.
"""

from __future__ import annotations

import importlib
import inspect
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .deliverables import neutralise_formulas
from .engagement import Engagement, load_engagement
from .errors import InputError, Problem
from .handover import read_validated
from .layout import WORKING, working_root
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
    #: under ``alliancekit run``: what the phase hands over (partner scorecards, a large workbook)
    #: is rendered by the runner on its Dask workers; run on its own, the notebook renders it itself
    runner: bool = False

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
        """The folder holding the result files of phase ``name``, which this phase needs.

        Delivered results when ``upstream_dir`` is given (``upstream_dir / name``: the runner
        passes the output folder's ``working/``, :func:`.layout.working_root`; a delivered output
        folder itself is read the same way, as a person would point at it); otherwise
        computed here, once per kernel, with the engagement file's parameters for ``name`` (the
        numbers ``alliancekit run`` gives). Either way a data note says where they came from.
        """
        if self.upstream_dir is not None:
            folder = self._delivered_folder(name)
            missing = [r for r in PHASES[name].results if not (folder / r).is_file()]
            if missing:
                raise InputError(Problem(str(folder), f"results of phase {name} missing ({', '.join(missing)}); "
                                                      f"run it first: alliancekit run ... --phase {name} (upstream_dir "
                                                      f"is the output folder or its {WORKING}/ folder)"))
            self._note(f"The {PHASES[name].title} results are the ones delivered with this engagement's reports.")
            return folder
        return self._computed(name)

    def upstream_if_available(self, name: str) -> Path | None:
        """The result files of phase ``name`` when this phase can use them but does not need them:
        delivered ones when ``upstream_dir`` holds them, otherwise computed as :meth:`upstream`
        does when the engagement has that phase's inputs; None when neither (the report then
        says what is left out)."""
        if self.upstream_dir is not None and all((self._delivered_folder(name) / r).is_file()
                                                 for r in PHASES[name].results):
            return self.upstream(name)
        if all(i in self.engagement.data for i in PHASES[name].inputs):
            return self._computed(name)
        return None

    def _delivered_folder(self, name: str) -> Path:
        root = working_root(self.upstream_dir) if working_root(self.upstream_dir).is_dir() else self.upstream_dir
        return root / name

    def _computed(self, name: str) -> Path:
        """Phase ``name``'s results computed here, once per kernel, with the engagement file's parameters."""
        needed = PHASES[name]
        folder = self.scratch / "upstream" / name
        if not folder.is_dir():
            params = needed.params.complete(self.engagement.phases.get(name), f"{self.engagement.file.name}, phases.{name}")
            names = [*needed.inputs, *(i for i in needed.optional_inputs if i in self.engagement.data)]
            from .validation import load_inputs

            inputs, _ = load_inputs(self.engagement, names)
            problems = needed.check_inputs(inputs, params, self.engagement.root)
            if problems:
                raise InputError(problems)
            module = importlib.import_module(f"alliancekit.{name}")
            folder.mkdir(parents=True)
            # a phase that reads the engagement's own template copies takes its folder as ``root``
            extra = {"root": self.engagement.root} if "root" in inspect.signature(module.review).parameters else {}
            write_results(needed, module.review(inputs, params, **extra).results(), folder)
            self._note(f"The {needed.title} results were computed for this report from the engagement's data, "
                       "with the engagement file's parameters (no delivered results were given).")
        return folder

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def notebook_params(phase: Phase, engagement: Engagement, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters a notebook runs with (see the module docstring for the precedence)."""
    given = {name: namespace[name] for name in phase.params.model_fields if name in namespace}
    if namespace.get("engagement_params", True):
        defaults = phase.defaults()
        given = {**engagement.phases.get(phase.name, {}), **{k: v for k, v in given.items() if v != defaults[k]}}
    params, problems = resolve_params(phase.params, given, f"{phase.notebook} parameters")
    if problems:
        raise InputError(problems)
    return params


def start_phase(phase_name: str, namespace: Mapping[str, Any]) -> PhaseSession:
    """Open phase ``phase_name`` from the variables of a notebook's parameters cell."""
    phase = PHASES[phase_name]
    engagement = load_engagement(namespace["engagement"])
    params = notebook_params(phase, engagement, namespace)
    missing = [n for n in phase.inputs if n not in engagement.data]
    if missing:
        raise InputError([Problem(engagement.file.name, f"phase {phase.name} needs data.{n}") for n in missing])
    names = [*phase.inputs, *(n for n in phase.optional_inputs if n in engagement.data)]
    handover = Path(namespace["validated_inputs"]) if namespace.get("validated_inputs") else None
    live_run = handover is not None and handover.is_dir()
    if live_run:  # under ``alliancekit run``: read and checked once by the runner's preflight (see handover)
        inputs, notes = read_validated(handover, names)
    else:  # by hand, by nbval, or a delivered notebook re-run: read and validate here (pandera is imported only then)
        from .validation import load_inputs

        inputs, notes = load_inputs(engagement, names)
        problems = phase.check_inputs(inputs, params, engagement.root)
        if problems:
            raise InputError(problems)
    upstream = Path(namespace["upstream_dir"]) if namespace.get("upstream_dir") else None
    apply_theme(engagement.primary_color)
    # results go to the runner's staging folder during its run, otherwise to a folder removed with the kernel
    own_folder = namespace.get("results_dir") and (live_run or handover is None)
    scratch = None if own_folder else tempfile.TemporaryDirectory(prefix=f"alliancekit-{phase.name}-")
    results_dir = Path(scratch.name if scratch else namespace["results_dir"])
    results_dir.mkdir(parents=True, exist_ok=True)
    return PhaseSession(phase, engagement, params, inputs, results_dir, upstream, notes, scratch, runner=live_run)
