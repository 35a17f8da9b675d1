"""The partner-scorecard fan-out the Dask engine replaced (issue 19), kept as a benchmark baseline.

Before the engine, ecosystem_reporting's notebook rendered the scorecards itself in a spawn
process pool of one process per core, each process writing its partners' files. This module
rebuilds that pool around today's :func:`~alliancekit.ecosystem_reporting.scorecards.render_partner`
so that both sides of a comparison render the same scorecards:

- ``benchmarks/scale_out.py`` times it against the engine's render step (``pool`` arm);
- ``benchmarks/run.py`` (family 1) runs it as the hand-made chain's scorecard step, on the
  payloads ecosystem_reporting's notebook leaves in its results folder, as the old notebook did
  inside its kernel:

    python benchmarks/replaced_pool.py RESULTS_DIR [--workers 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from alliancekit.ecosystem_reporting import scorecards  # noqa: E402


#: In a pool process: freeze its heap after the first scorecard, as the engine's workers do (``--settled`` arm).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results_dir", type=Path, help="a results folder holding ecosystem_reporting's pending payloads")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with open(args.results_dir / scorecards.PENDING, "rb") as handle:
        pending = pickle.load(handle)
    with pool(args.workers) as executor:
        render_all(executor, pending["payloads"], args.results_dir / scorecards.PARTNERS, pending["options"])


if __name__ == "__main__":
    main()
