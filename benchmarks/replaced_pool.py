"""The partner-scorecard fan-out the Dask engine replaced (issue 19), kept as a benchmark baseline.

Before the engine, ecosystem_reporting's notebook rendered the scorecards itself in a spawn
process pool of one process per core, each process writing its partners' files. This module
rebuilds that pool around today's :func:`~alliancekit.ecosystem_reporting.scorecards.render_partner`
so that both sides of a comparison render the same scorecards: ``benchmarks/scale_out.py``
times it against the engine's render step (its ``pool`` and ``settled`` arms).
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from alliancekit.ecosystem_reporting import scorecards  # noqa: E402


#: In a pool process: freeze its heap after the first scorecard, as the engine's workers do (scale_out.py's ``settled`` arm).
_SETTLE = False


def _task(payload: dict, out: str, options: scorecards.RenderOptions) -> None:
    for name, content in scorecards.render_partner(payload, options):
        (Path(out) / name).write_bytes(content)
    if _SETTLE:
        scorecards._settled()


def _warm(settle: bool) -> None:
    global _SETTLE
    _SETTLE = settle
    scorecards._prepared(scorecards.RenderOptions().color)


def pool(workers: int, settle: bool = False) -> ProcessPoolExecutor:
    """The replaced pool: ``workers`` spawn processes, each warmed (theme, template) as it starts;
    ``settle``: each also freezes its heap after its first scorecard, as the engine's workers do
    (not part of the replaced code: it tells the engine's own cost from what the freeze saves)."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm,
                               initargs=(settle,))


def render_all(executor: ProcessPoolExecutor, payloads: list[dict], out: Path,
               options: scorecards.RenderOptions = scorecards.RenderOptions()) -> None:
    """Every payload's files into ``out``, one pool task per partner, each written by its process."""
    out.mkdir(parents=True, exist_ok=True)
    list(executor.map(_task, payloads, [str(out)] * len(payloads), [options] * len(payloads)))

