"""What a phase declares: :class:`Phase`, written once in each phase's own package.

Each phase package has a ``declaration`` module holding its parameter model (a
:class:`~alliancekit.params.PhaseParams`) and its ``PHASE``; :mod:`alliancekit.phases`
only collects them. The runner, the engagement file's validation, the CLI and the
notebooks read a phase through this object and nothing else.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .params import PhaseParams, defaults


@dataclass(frozen=True)
class Phase:
    """One phase: its notebook, inputs, typed parameters, result files and the phases it needs."""

    name: str
    number: int
    title: str
    summary: str
    inputs: tuple[str, ...]
    params: type[PhaseParams]
    optional_inputs: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    #: phases whose results this one shows when they exist (never run for it): in a run that holds
    #: them it starts after them and reads theirs instead of computing them again in its kernel
    uses: tuple[str, ...] = ()
    #: ``"module:function"`` checking the inputs against the parameters before any kernel
    #: starts (e.g. a ``target`` column that must exist);
    #: ``function(tables, params, root) -> list[Problem]`` (``root``: the engagement's folder).
    input_check: str | None = None
    #: file name (without suffix) of the phase's report: ``report`` (report.html, report.pdf)
    report: str = "report"
    #: the cover's classification line; ``{client}`` is replaced (None: confidential for the client)
    classification: str | None = None
    #: whether the phase hands per-partner payloads to the runner's render step (the partner
    #: scorecards: one task per partner on every worker of the run)
    fans_out: bool = False

    @property
    def notebook(self) -> str:
        """File name of the phase's notebook in ``notebooks/``."""
        return f"{self.number:02d}_{self.name}.ipynb"

    def defaults(self) -> dict:
        """Every parameter at its default value."""
        return defaults(self.params)

    def check_inputs(self, tables: dict, params: dict, root=None) -> list:
        """Problems of this phase's inputs given its parameters (none when it declares no check).

        ``root`` is the engagement file's folder, against which relative paths among the
        parameters (e.g. an edited questionnaire) are read.
        """
        if not self.input_check:
            return []
        module, function = self.input_check.split(":")
        return getattr(importlib.import_module(module), function)(tables, params, root)
