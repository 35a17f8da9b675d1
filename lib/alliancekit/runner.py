"""``alliancekit run``: validate, execute each phase's notebook, render, deliver atomically.

The run reads as a chain of plain steps (papermill's own shape): plan the phases and their
parameters, validate every input before any kernel starts, then per phase execute the
notebook into a staging folder, render HTML and PDF there, write the manifest, and commit
the folder's files to ``<output-dir>/<phase>/``. Any problem with the inputs stops the run
before anything is executed (exit 2); a failing notebook stops it with exit 1 and leaves
the previous deliverables as they were.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .deliverables import MANIFEST, commit, new_staging, output_lock
from .engagement import Engagement, unknown_phase_message
from .errors import InputError, PhaseFailed, Problem
from .manifest import build_manifest, sha256
from .params import resolve_params
from .paths import NOTEBOOKS, OUTPUTS
from .phases import PHASES, phase_order
from .render import Cover, render_html, render_pdf
from .validation import load_inputs

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class PlannedPhase:
    """One phase of a run with its final, typed parameters."""

    name: str
    params: dict[str, Any]
    overrides: dict[str, Any]


def plan(engagement: Engagement, selected: Iterable[str] = (), cli_overrides: Iterable[tuple[str, str, Any]] = ()) -> list[PlannedPhase]:
    """The phases to run, in dependency order, with defaults < engagement file < command line.

    Raises :class:`InputError` for unknown phases or parameters, wrong types, and phases
    whose required inputs the engagement does not name.
    """
    selected = list(selected) or list(engagement.phases)
    if not selected:
        raise InputError(Problem(engagement.file.name, "no phase to run: list phases under 'phases:' or pass --phase"))
    problems = [Problem("--phase", unknown_phase_message(n)) for n in selected if n not in PHASES]
    cli: dict[str, dict] = {}
    for phase, key, value in cli_overrides:
        if phase not in PHASES:
            problems.append(Problem("-p", unknown_phase_message(phase)))
            continue
        bucket = cli.setdefault(phase, {})
        if isinstance(value, dict) and isinstance(bucket.get(key), dict):
            bucket[key] = {**bucket[key], **value}
        else:
            bucket[key] = value
    if problems:
        raise InputError(problems)
    planned = []
    for name in phase_order(selected):
        overrides = {**engagement.phases.get(name, {})}
        for key, value in cli.get(name, {}).items():
            if isinstance(value, dict) and isinstance(overrides.get(key), dict):
                value = {**overrides[key], **value}
            overrides[key] = value
        params, errs = resolve_params(PHASES[name].params, overrides, f"parameters of {name}")
        problems += errs
        missing = [i for i in PHASES[name].inputs if i not in engagement.data]
        problems += [Problem(engagement.file.name, f"phase {name} needs data.{i}, which is not given") for i in missing]
        planned.append(PlannedPhase(name, params, overrides))
    unused = set(cli) - {p.name for p in planned}
    problems += [Problem("-p", f"parameters given for phase '{n}', which this run does not include") for n in sorted(unused)]
    if problems:
        raise InputError(problems)
    return planned


def inputs_of(planned: list[PlannedPhase], engagement: Engagement) -> list[str]:
    """Every input the planned phases read (optional ones only when given)."""
    names = []
    for p in planned:
        phase = PHASES[p.name]
        names += [*phase.inputs, *(i for i in phase.optional_inputs if i in engagement.data)]
    return list(dict.fromkeys(names))


class _Terminated(Exception):
    """SIGTERM arrived: unwind so the kernel is shut down and staging removed."""


def _raise_terminated(signum, frame):  # pragma: no cover - exercised by the kill tests
    raise _Terminated()


def execute_notebook(phase: str, engagement: Engagement, params: dict, staging: Path) -> Any:
    """Run the phase notebook with papermill into ``staging/executed.ipynb``; return the notebook."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = NOTEBOOKS / PHASES[phase].notebook
    target = staging / "executed.ipynb"
    parameters = {"engagement": str(engagement.file), "results_dir": str(staging), **params}
    try:
        return papermill.execute_notebook(
            str(notebook), str(target), parameters=parameters, cwd=str(NOTEBOOKS),
            kernel_name="python3", progress_bar=False, log_output=False, report_mode=False,
            # the kernel's own start-up chatter (e.g. ipykernel's TCP notice) is not for the consultant
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        raise PhaseFailed(f"phase {phase} failed in its notebook (cell {exc.exec_count}): "
                          f"{exc.ename}: {exc.evalue}") from None


def run_phase(p: PlannedPhase, engagement: Engagement, out_dir: Path, formats: tuple[str, ...], inputs: list[str],
              notes: list[str], say: Callable[[str], None]) -> Path:
    """Execute, render and deliver one phase; return its output folder."""
    phase = PHASES[p.name]
    started = time.time()
    staging = new_staging(out_dir, p.name)
    try:
        notebook = execute_notebook(p.name, engagement, p.params, staging)
        say(f"  notebook executed ({time.time() - started:.1f} s)")
        cover = Cover(engagement.client, engagement.consultant, phase.title, phase.number, engagement.id,
                      engagement.primary_color, engagement.logo)
        page = render_html(notebook, cover)
        if "html" in formats:
            (staging / "report.html").write_text(page, encoding="utf-8")
        if "pdf" in formats:
            (staging / "report.pdf").write_bytes(render_pdf(page))
            say(f"  report rendered ({time.time() - started:.1f} s)")
        missing = [r for r in phase.results if not (staging / r).is_file()]
        if missing:
            raise PhaseFailed(f"phase {p.name} did not write its results: {', '.join(missing)}")
        outputs = {str(f.relative_to(staging)): sha256(f) for f in sorted(staging.rglob("*")) if f.is_file()}
        manifest = build_manifest(engagement, p.name, p.params, p.overrides, [i for i in inputs if i in phase.inputs
                                  or i in phase.optional_inputs], started, time.time(), outputs, notes)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
        final = out_dir / p.name
        commit(staging, final)
        return final
    finally:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)


def run(engagement: Engagement, selected: Iterable[str] = (), cli_overrides: Iterable = (), output_dir: Path | None = None,
        formats: Iterable[str] = FORMATS, say: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> list[Path]:
    """Run the selected phases of ``engagement`` (all listed in the file when none are)."""
    formats = tuple(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(Problem("--format", f"unknown format {', '.join(bad)}; valid: {', '.join(FORMATS)}"))
    planned = plan(engagement, selected, cli_overrides)
    inputs = inputs_of(planned, engagement)
    tables, notes = load_inputs(engagement, inputs)  # every problem, before any kernel starts
    problems = [problem for p in planned for problem in PHASES[p.name].check_inputs(tables, p.params)]
    if problems:
        raise InputError(problems)
    out_dir = Path(output_dir) if output_dir else OUTPUTS / engagement.id
    say(f"alliance-kit: {engagement.client} ({engagement.id}): {len(planned)} phase(s) -> {out_dir}")
    for note in notes:
        say(f"  note: {note}")
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    delivered = []
    try:
        with output_lock(out_dir):
            for n, p in enumerate(planned, 1):
                say(f"[{n}/{len(planned)}] {p.name}: running {PHASES[p.name].notebook}")
                t0 = time.time()
                final = run_phase(p, engagement, out_dir, formats, inputs, notes, say)
                say(f"[{n}/{len(planned)}] {p.name}: done in {time.time() - t0:.1f} s -> {final}")
                delivered.append(final)
    except _Terminated:
        raise PhaseFailed("run terminated (SIGTERM); earlier deliverables are untouched") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    return delivered
