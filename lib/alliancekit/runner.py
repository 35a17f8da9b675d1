"""``alliancekit run``: validate, execute each phase's notebook, render, deliver atomically.

The run reads as a chain of plain steps (papermill's own shape): plan the phases and their
parameters, check every input before any kernel starts (:func:`preflight`), then per phase
execute the notebook into a staging folder, render HTML and PDF there, write the manifest,
and commit the folder's files: the client deliverables to ``<output-dir>/<phase>/``, the
working files to ``<output-dir>/working/<phase>/`` (:mod:`.layout`). Phases are Dask tasks on a local
cluster, independent ones side by side, and a phase's partner scorecards (a few partners per
task) and large workbook are tasks too, rendered while the next phases run (:mod:`.engine`). Any problem with the inputs stops the run before anything is
executed (exit 2); a failing notebook stops it with exit 1 and leaves the previous
deliverables as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .deliverables import clear_staging, commit, new_staging, output_lock
from .engagement import Engagement, unknown_phase_message
from .errors import InputError, PhaseFailed, Problem
from .handover import write_validated
from .layout import MANIFEST, NOTEBOOK, STAGING, client_dir, destination, is_client_file, working_dir, working_root
from .manifest import build_manifest, sha256
from .params import resolve_params
from .paths import NOTEBOOKS, OUTPUTS
from .phases import PHASES, phase_order

FORMATS = ("html", "pdf", "pptx")
#: What a run writes unless told otherwise (the steering-committee deck only on request).
DEFAULT_FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class PlannedPhase:
    """One phase of a run with its final, typed parameters."""

    name: str
    params: dict[str, Any]
    overrides: dict[str, Any]
    needed_only: bool = False  # not asked for: runs only because a selected phase needs its results


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
        planned.append(PlannedPhase(name, params, overrides, needed_only=name not in selected))
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


def preflight(engagement: Engagement, selected: Iterable[str] = (), cli_overrides: Iterable = (),
              extra_inputs: Iterable[str] = ()) -> tuple[list[PlannedPhase], list[str], dict, dict[str, list[str]]]:
    """Everything checked before a kernel starts: phases, parameters, every input file, and each
    phase's own checks of its inputs against its parameters. Returns the plan, the inputs the
    phases read, the validated tables and the notes for the user per input; raises
    :class:`InputError` with every problem."""
    try:
        planned = plan(engagement, selected, cli_overrides)
    except InputError as exc:  # still read the inputs, so one pass lists every problem
        names = [n for n in (list(selected) or list(engagement.phases)) if n in PHASES]
        unchecked = [PlannedPhase(n, PHASES[n].defaults(), {}) for n in phase_order(names)]
        try:
            validate_inputs(engagement, unchecked, extra_inputs, phase_checks=False)
        except InputError as more:
            raise InputError([*exc.problems, *more.problems]) from None
        raise
    return (planned, *validate_inputs(engagement, planned, extra_inputs))


def validate_inputs(engagement: Engagement, planned: list[PlannedPhase], extra_inputs: Iterable[str] = (),
                    phase_checks: bool = True) -> tuple[list[str], dict, dict[str, list[str]]]:
    """The second half of :func:`preflight`: read and validate the inputs of ``planned``, then each
    phase's own checks (on the rows that passed, even when others did not); return the inputs read,
    the validated tables and the notes per input, or raise with every problem."""
    from .validation import collect_inputs

    inputs = inputs_of(planned, engagement)
    tables, notes, problems = collect_inputs(engagement, [*inputs, *extra_inputs])
    if phase_checks:
        for p in planned:
            needed = [*PHASES[p.name].inputs]
            if all(n in tables for n in needed if n in engagement.data):
                problems += PHASES[p.name].check_inputs(tables, p.params, engagement.root)
    if problems:
        raise InputError(problems)
    return inputs, tables, notes


class _Terminated(Exception):
    """SIGTERM arrived: unwind so the kernel is shut down and staging removed."""


def _raise_terminated(signum, frame):  # pragma: no cover - exercised by the kill tests
    raise _Terminated()


def execute_notebook(phase: str, engagement: Engagement, params: dict, staging: Path, out_dir: Path,
                     validated: Path | None = None) -> Any:
    """Run the phase notebook with papermill into ``staging/executed.ipynb``; return the notebook.

    A phase that needs others gets ``upstream_dir``: the working folder of ``out_dir``, where their
    results were delivered (the runner delivers them first). ``validated``: the folder of inputs the
    preflight already validated (see :mod:`.handover`), so the kernel does not read them again.

    papermill writes the notebook once at the end (and on an error) rather than around every
    cell, and the kernel is stopped at once when the last cell is done: nothing in a phase
    kernel needs a graceful exit (results are written by then), and the two together save
    about 1.5 s per phase (benchmarks/README.md, profile).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = NOTEBOOKS / PHASES[phase].notebook
    target = staging / NOTEBOOK
    parameters = {"engagement": str(engagement.file), "results_dir": str(staging), "engagement_params": False, **params}
    if PHASES[phase].needs or PHASES[phase].uses:
        parameters["upstream_dir"] = str(working_root(out_dir))
    if validated is not None:
        parameters["validated_inputs"] = str(validated)
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return papermill.execute_notebook(
                str(notebook), str(target), parameters=parameters, cwd=str(NOTEBOOKS),
                kernel_name="python3", progress_bar=False, log_output=False, report_mode=False,
                request_save_on_cell_execute=False, shutdown_kernel="immediate",
                # the kernel's own start-up chatter (e.g. ipykernel's TCP notice) is not for the consultant
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except PapermillExecutionError as exc:  # an error inside the notebook: never retried
            raise PhaseFailed(f"phase {phase} failed in its notebook (cell {exc.exec_count}): {exc.ename}: "
                              f"{exc.evalue}; the executed notebook, with the error, is {target} "
                              "(kept until the next run)") from None
        except Exception as exc:  # noqa: BLE001 - only kernel start-up failures are retried
            if attempt == KERNEL_START_ATTEMPTS or not _kernel_start_failure(exc):
                raise
            time.sleep(1.0 + attempt)
    raise AssertionError("unreachable")  # pragma: no cover


#: Kernels started side by side in several processes pick "free" TCP ports and bind them a
#: moment later, so two can collide ("Address already in use", then "Kernel didn't respond").
#: Such a start-up failure is retried with a fresh kernel.
KERNEL_START_ATTEMPTS = 3


def _kernel_start_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a kernel that failed to start (not an error of the analysis)."""
    text = f"{type(exc).__name__}: {exc}"
    return any(sign in text for sign in ("didn't respond", "Address already in use", "Kernel died before replying"))


@dataclass(frozen=True)
class PhaseJob:
    """Everything a worker needs to produce one phase's files in its staging folder (picklable)."""

    phase: PlannedPhase
    engagement_file: Path
    out_dir: Path
    formats: tuple[str, ...]
    inputs: tuple[str, ...]
    notes: tuple[str, ...]
    validated: Path | None = None


@dataclass(frozen=True)
class PhaseDone:
    """What a worker hands back: the staged files and where the time went."""

    name: str
    staging: Path
    notebook_seconds: float
    report_seconds: float
    started: float


def stage_phase(job: PhaseJob) -> PhaseDone:
    """Execute the notebook of one phase and render its report into its staging folder (a Dask task).

    Runs in a worker process of the local cluster (the phase reads the engagement's files); the
    runner then writes what the phase handed over (its workbook, partner scorecards) and the
    manifest (:func:`finish_phase`), and commits the folder.
    """
    from .engagement import load_engagement
    from .render import Cover, render_html, render_pdf
    from .workbook import results_workbook

    p, started = job.phase, time.time()
    engagement = load_engagement(job.engagement_file)
    phase = PHASES[p.name]
    staging = new_staging(job.out_dir, p.name)
    notebook = execute_notebook(p.name, engagement, p.params, staging, job.out_dir, job.validated)
    executed = time.time()
    cover = Cover.of(engagement, phase.title, phase.number, phase.classification)
    page = render_html(notebook, cover)
    if "html" in job.formats:
        (staging / f"{phase.report}.html").write_text(page, encoding="utf-8")
    if "pdf" in job.formats:
        (staging / f"{phase.report}.pdf").write_bytes(render_pdf(page))
    if "pptx" in job.formats:
        from .deck import build_deck

        (staging / "deck.pptx").write_bytes(build_deck(page, cover, engagement.primary_color, engagement.report_date))
    book = results_workbook(staging, phase.results, engagement.report_date)  # the CSV results, formatted for Excel
    if book is not None:
        (staging / "tables.xlsx").write_bytes(book)
    return PhaseDone(p.name, staging, executed - started, time.time() - executed, started)


#: Dask priorities (higher first): a phase (others may wait for it), then a workbook handed over
#: (one long task), then the partner scorecards (many short ones, which nothing waits for).
PHASE_PRIORITY, WORKBOOK_PRIORITY = 20, 10


def finish_phase(job: PhaseJob, done: PhaseDone, client, renderer, engagement: Engagement,
                 stop: threading.Event | None = None) -> PhaseDone:
    """In the runner, after :func:`stage_phase`: write what the phase handed over, then the manifest.

    The executive workbook, when handed over, is written by a task on the local cluster
    (``client``: the staging folder is on this machine) while the partner scorecards render on
    ``renderer``'s workers (:func:`~.ecosystem_reporting.scorecards.render_pending`); then every
    declared result must be there, and the manifest is written last, over every staged file
    (``engagement``: the run's, already read). ``stop``: set when the run stops on another thread.
    """
    from .ecosystem_reporting.scorecards import has_pending, render_pending
    from .ecosystem_reporting.workbook import has_pending_workbook, write_pending_workbook

    p, staging = job.phase, done.staging
    book = (client.submit(write_pending_workbook, staging, pure=False, priority=WORKBOOK_PRIORITY)
            if has_pending_workbook(staging) else None)
    try:
        if has_pending(staging):
            render_pending(staging, renderer, stop=stop)
        error = book.exception() if book is not None else None
        if error is not None:
            raise PhaseFailed(f"phase {p.name}: its Excel workbook could not be written: {type(error).__name__}: {error}")
    finally:
        if book is not None:
            client.cancel(book, force=True)  # written by now, unless the phase stops here
    phase = PHASES[p.name]
    missing = [r for r in phase.results if not (staging / r).is_file()]
    if missing:
        raise PhaseFailed(f"phase {p.name} did not write its results: {', '.join(missing)}")
    staged = [f.relative_to(staging) for f in sorted(staging.rglob("*")) if f.is_file()]
    hashes = lambda client: {str(destination(p.name, f)): sha256(staging / f)  # noqa: E731
                             for f in staged if is_client_file(f) == client}
    used = [i for i in job.inputs if i in phase.inputs or i in phase.optional_inputs]
    manifest = build_manifest(engagement, p.name, p.params, p.overrides, used, done.started, time.time(), hashes(True),
                              hashes(False), list(job.notes), job.out_dir, job.formats)
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return done


def _ready(planned: list[PlannedPhase], done: set[str], started: set[str], failed: Iterable[str] = ()
           ) -> list[PlannedPhase]:
    """Phases not started whose needed phases in this run are delivered (others were delivered before),
    and whose used phases in this run are over (delivered, or failed: then it computes what it uses).

    Phases that others in the run wait for come first, then phases that waited for others (the
    report-level ones, such as ecosystem_reporting, the longest), then the rest in plan order:
    the dependent phase starts as soon as it can while the independent ones fill the other
    workers, instead of starting last and running alone.
    """
    names = {p.name for p in planned}
    waits = lambda q: {*PHASES[q.name].needs, *PHASES[q.name].uses} & names  # noqa: E731  (in this run)
    awaited = lambda p: sum(p.name in waits(q) for q in planned)  # noqa: E731
    over = done | set(failed)
    ready = [p for p in planned if p.name not in started and set(PHASES[p.name].needs) & names <= done
             and set(PHASES[p.name].uses) & names <= over]
    return sorted(ready, key=lambda p: (awaited(p), len(waits(p))), reverse=True)  # stable: plan order


def console_line(message: str) -> None:
    """One line of the run's account on the terminal. A partner scorecard progress bar (drawn on
    the runner's render thread) may be on screen: tqdm lifts it, prints the line and draws it again
    below, so a "done" line never ends up glued to the bar, on a terminal or in a log file."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)
    sys.stderr.flush()


def output_folder(engagement: Engagement, output_dir: Path | None = None) -> Path:
    """Where a run writes: ``output_dir``, or ``outputs/<engagement id>/`` in the folder the command runs from."""
    return Path(output_dir).resolve() if output_dir else OUTPUTS / engagement.id


def run(engagement: Engagement, selected: Iterable[str] = (), cli_overrides: Iterable = (), output_dir: Path | None = None,
        formats: Iterable[str] = DEFAULT_FORMATS, say: Callable[[str], None] | None = None,
        jobs: int | None = None, scheduler: str | None = None) -> list[Path]:
    """Run the selected phases of ``engagement`` (all listed in the file when none are).

    Phases are Dask tasks on a local cluster of ``jobs`` worker processes (default one per core,
    :mod:`.engine`): independent ones side by side, each when the phases it needs are delivered.
    The partner scorecards a phase plans are rendered a few partners per task on the same cluster,
    or on the existing one at ``scheduler`` (or ``ALLIANCEKIT_SCHEDULER``), whose workers'
    versions are checked before anything runs. Each finished phase is committed at once, so an
    interruption keeps every phase delivered so far.
    """
    from .engine import LocalEngine, remote_cluster, scheduler_address

    say = say or console_line
    formats = tuple(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(Problem("--format", f"unknown format {', '.join(bad)}; valid: {', '.join(FORMATS)}"))
    planned = plan(engagement, selected, cli_overrides)
    out_dir = output_folder(engagement, output_dir)
    present = [p for p in planned if p.needed_only and (working_dir(out_dir, p.name) / MANIFEST).is_file()]
    to_run = [p for p in planned if p not in present]
    address = scheduler_address(scheduler)
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        with contextlib.ExitStack() as stack:
            # starts while the inputs are validated; as many workers as there is work to share
            fan_out = any(PHASES[p.name].fans_out for p in to_run) and not address
            local = LocalEngine(jobs, say, most=None if fan_out else len(to_run)) if to_run else None
            if local is not None:
                stack.callback(local.close)
            inputs, tables, notes = validate_inputs(engagement, planned)
            for p in present:
                say(f"  using the delivered results of {p.name} in {working_dir(out_dir, p.name)}")
            renderer = stack.enter_context(remote_cluster(address, say)) if address else None  # refused before any run
            say(f"alliance-kit: {engagement.client} ({engagement.id}): {len(to_run)} phase(s) -> {out_dir}")
            for note in (n for per_input in notes.values() for n in per_input):
                say(f"  note: {note}")
            validated = out_dir / STAGING / VALIDATED
            make_job = lambda p: PhaseJob(p, engagement.file, out_dir, formats, tuple(inputs),  # noqa: E731
                                          _notes_of(p.name, notes), validated)
            with output_lock(out_dir):
                clear_staging(out_dir)
                write_validated(tables, notes, validated)
                del tables  # the kernels read the hand-over; a large portfolio need not stay in this process
                try:
                    if local is None:
                        return []
                    client = local.client()
                    return _run_phases(to_run, make_job, client, renderer or client, engagement, out_dir, say)
                finally:
                    stack.close()  # the workers stop before the hand-over they read is removed
                    shutil.rmtree(validated, ignore_errors=True)  # under the lock: never another run's
                    with contextlib.suppress(OSError):  # left only when a failed phase's notebook is kept there
                        (out_dir / STAGING).rmdir()
    except _Terminated:
        raise PhaseFailed("run terminated (SIGTERM); earlier deliverables are untouched") from None
    finally:
        signal.signal(signal.SIGTERM, previous)


#: Folder of the run's staging area holding the validated inputs handed to the kernels.
VALIDATED = "validated"


def _notes_of(phase: str, notes: dict[str, list[str]]) -> tuple[str, ...]:
    """The read notes (e.g. an encoding guessed) of the files one phase reads, for its manifest."""
    names = ["partners", *PHASES[phase].inputs, *PHASES[phase].optional_inputs]
    return tuple(note for name in dict.fromkeys(names) for note in notes.get(name, []))


def _announce(batch: list[PlannedPhase], planned: list[PlannedPhase], say: Callable[[str], None]):
    for p in batch:
        say(f"[{planned.index(p) + 1}/{len(planned)}] {p.name}: running {PHASES[p.name].notebook}")
        yield p


def _deliver(done: PhaseDone, planned: list[PlannedPhase], out_dir: Path, say: Callable[[str], None]) -> Path:
    """Commit one staged phase; returns the folder of its client deliverables."""
    commit(done.staging, out_dir, done.name)
    final = client_dir(out_dir, done.name)
    n = next(i for i, p in enumerate(planned, 1) if p.name == done.name)
    say(f"[{n}/{len(planned)}] {done.name}: done (notebook {done.notebook_seconds:.1f} s, "
        f"report {done.report_seconds:.1f} s) -> {final}")
    return final


def _staged(future, p: PlannedPhase) -> PhaseDone:
    """The result of a phase's :func:`stage_phase` task (released once read), or :class:`PhaseFailed`."""
    try:
        if future.status == "error":
            error = future.exception()
            raise error if isinstance(error, PhaseFailed) else PhaseFailed(
                f"phase {p.name} failed: {type(error).__name__}: {error}")
        return future.result()
    finally:
        future.release()


def _run_phases(planned: list[PlannedPhase], make_job: Callable[[PlannedPhase], PhaseJob], client, renderer,
                engagement: Engagement, out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    """Schedule phases as Dask tasks on ``client``'s workers, finish each on a thread of this process
    (its workbook and scorecards as tasks, on ``renderer`` for the scorecards, then its manifest)
    and commit it as it ends.

    A phase finishing does not hold up the others: while one phase's scorecards render, the next
    ready phase starts (phases go before scorecards on the workers, :data:`PHASE_PRIORITY`), as many
    phases at a time as there are workers. The loop waits on one queue that every task and thread
    reports to when it ends, never polls. Commits happen here, on the loop's thread, one at a time.
    """
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    events: queue.SimpleQueue = queue.SimpleQueue()
    staging: dict[Any, tuple[PlannedPhase, PhaseJob]] = {}  # Dask future -> its phase, while it runs
    finishing: dict[Any, PlannedPhase] = {}  # thread future (finish_phase) -> its phase
    done: set[str] = set()
    delivered: list[Path] = []
    failures: list[str] = []
    stop = threading.Event()
    finisher = ThreadPoolExecutor(len(planned), thread_name_prefix="alliancekit-finish")
    try:
        while True:
            # only as many as there are free workers: a phase that becomes ready later may go first
            started = {q.name for q, _ in staging.values()} | {q.name for q in finishing.values()} | done | set(failures)
            for p in _announce(_ready(planned, done, started, failures)[:workers - len(staging)], planned, say):
                job = make_job(p)
                future = client.submit(stage_phase, job, pure=False, key=f"phase-{p.name}-{os.getpid()}",
                                       priority=PHASE_PRIORITY)
                staging[future] = (p, job)
                future.add_done_callback(events.put)
            if not staging and not finishing:
                break
            ended = events.get()
            staged = ended in staging
            p, job = staging.pop(ended) if staged else (finishing.pop(ended), None)
            try:
                if staged:
                    finished = finisher.submit(finish_phase, job, _staged(ended, p), client, renderer, engagement, stop)
                    finishing[finished] = p
                    finished.add_done_callback(events.put)
                else:
                    delivered.append(_deliver(ended.result(), planned, out_dir, say))
                    done.add(p.name)
            except PhaseFailed as exc:
                failures.append(p.name)
                say(f"  {exc}")
    finally:
        # a run stopping (an error, Ctrl-C, SIGTERM) ends the renders under way: after the task at
        # hand, or at once when the cluster closes; nothing of theirs is committed
        stop.set()
        finisher.shutdown(wait=False, cancel_futures=True)
    if failures:
        skipped = [p.name for p in planned if p.name not in done and p.name not in failures]
        raise PhaseFailed(f"phase(s) failed: {', '.join(failures)}"
                          + (f"; not run because they need them: {', '.join(skipped)}" if skipped else "")
                          + "; their previous deliverables are untouched")
    return delivered
