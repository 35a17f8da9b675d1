"""Scale-out of the partner scorecards on Dask (issue 19): per-task cost, scaling, a localhost cluster.

    .venv/bin/python benchmarks/scale_out.py                       # 120 partners per arm, 2,000 on the cluster
    .venv/bin/python benchmarks/scale_out.py --partners 60 --cluster-partners 400   # a small try

Payloads are the sample engagement's (60 partners, computed once by the library as the notebook
does), repeated under new file names up to the count wanted: every scorecard costs what a real
one costs. Arms, measured side by side in one invocation, HTML and PDF for every partner:

- ``serial``: :func:`render_partner` in a loop in this process (the work itself, no engine);
- ``pool``: the home-made fan-out the engine replaced (a spawn ``ProcessPoolExecutor`` of 2
  processes, each partner's files written by the worker), rebuilt in ``replaced_pool.py`` as the baseline;
- ``settled``: the same pool, its processes also freezing their heap after the first scorecard
  as the engine's workers do: the engine's own cost, apart from what the freeze saves;
- ``local1`` / ``local2``: the runner's render step (:func:`render_pending`) on a local cluster of
  1 and 2 worker processes (what ``alliancekit run`` does): scaling = speed-up, efficiency =
  speed-up / workers;
- ``cluster``: ``--cluster-partners`` scorecards through a localhost ``dask scheduler`` with two
  separately started ``dask worker`` processes (``alliancekit run --scheduler``'s path).

Figures: one line each on stdout, ``name value unit``; the bytes each task moves (its pickled
payload in, its files out) for the extrapolation in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "lib"))
sys.path.insert(0, str(HERE))

import replaced_pool  # noqa: E402
from alliancekit.ecosystem_reporting import scorecards  # noqa: E402


def emit(name: str, value: float, unit: str) -> None:
    print(f"{name} {value:.4g} {unit}", flush=True)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def sample_payloads() -> list[dict]:
    """The sample engagement's partner payloads, as ecosystem_reporting's notebook builds them."""
    from alliancekit import ecosystem_reporting as er
    from alliancekit import metric_design as md
    from alliancekit import portfolio_health as ph
    from alliancekit.engagement import load_engagement
    from alliancekit.paths import SAMPLE_ENGAGEMENT
    from alliancekit.validation import load_inputs

    engagement = load_engagement(SAMPLE_ENGAGEMENT / "engagement.yml")
    inputs, _ = load_inputs(engagement, ["partners", "partner_metrics", "opportunities", "macro"])
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in md.review(inputs, {}).results().items():
            path = Path(tmp) / name
            path.write_text(text) if isinstance(text, str) else text.to_csv(path, index=False)
        segments = ph.review(inputs, {"n_bootstrap": 0}).table
        review = er.review(inputs, {}, scorecard=Path(tmp) / "scorecard.yml", segments=segments)
    context = er.ScorecardContext(client=engagement.client, as_of=review.as_of, months=review.months,
                                  rule="equal_split", color=engagement.primary_color, logo="",
                                  consultant=engagement.consultant, firm=engagement.firm or "",
                                  currency=engagement.currency or "")
    return er.partner_payloads(review.partners, review.status, review.attributed, review.panel, review.mdf, context,
                               None, review.words, None)


def payloads_for(base: list[dict], n: int) -> list[dict]:
    return [dict(base[i % len(base)], stem=f"S{i:06d}") for i in range(n)]


def plan(folder: Path, payloads: list[dict]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    scorecards.plan_scorecards(payloads, folder, pdf=True)


def arm_serial(payloads: list[dict]) -> float:
    options = scorecards.RenderOptions(pdf=True)
    scorecards.render_partner(payloads[0], options)  # imports and fonts, as a warm worker has them
    started = time.perf_counter()
    for payload in payloads:
        scorecards.render_partner(payload, options)
    return (time.perf_counter() - started) / len(payloads)


def arm_pool(payloads: list[dict], workers: int, work: Path, settle: bool = False) -> float:
    """The replaced fan-out (:mod:`replaced_pool`): a spawn process pool, started and warmed, then every partner."""
    shutil.rmtree(work, ignore_errors=True)
    with replaced_pool.pool(workers, settle) as executor:
        replaced_pool.render_all(executor, payloads[:workers * 2], work)
        started = time.perf_counter()
        replaced_pool.render_all(executor, payloads, work)
        return (time.perf_counter() - started) / len(payloads)


def arm_local(payloads: list[dict], workers: int, work: Path) -> float:
    """The runner's render step on a local cluster of ``workers`` processes with the engine's settings."""
    import dask
    from distributed import Client, LocalCluster

    from alliancekit.engine import WORKER_CONFIG

    dask.config.set(WORKER_CONFIG)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        plan(work, payloads[:workers * 2])
        scorecards.render_pending(work, client, progress=False)  # warm every worker
        plan(work, payloads)
        started = time.perf_counter()
        scorecards.render_pending(work, client, progress=False)
        return (time.perf_counter() - started) / len(payloads)


#: How README's "Running on a cluster" starts the workers: without the statistical profiler.
PROFILER_OFF = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}


def arm_cluster(payloads: list[dict], work: Path) -> tuple[float, float]:
    """Seconds per partner through a localhost scheduler and two separately started workers, and the
    scheduler's own time per task (wall x workers / partners minus the serial cost is reported by the caller)."""
    from distributed import Client

    dask = Path(sys.executable).with_name("dask")
    file = work / "scheduler.json"
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(file)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)]
    try:
        while not file.is_file():
            time.sleep(0.2)
        address = json.loads(file.read_text())["address"]
        for i in range(2):
            procs.append(subprocess.Popen([str(dask), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                           "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True, env={**os.environ, **PROFILER_OFF}))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            plan(work / "cards", payloads[:4])
            scorecards.render_pending(work / "cards", client, progress=False)
            plan(work / "cards", payloads)
            started = time.perf_counter()
            scorecards.render_pending(work / "cards", client, progress=False)
            wall = time.perf_counter() - started
            return wall / len(payloads), wall
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=120, help="scorecards per local arm (default 120)")
    parser.add_argument("--cluster-partners", type=int, default=2000, help="scorecards through the localhost cluster")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the local arms, interleaved; medians")
    args = parser.parse_args()
    log("payloads of the sample engagement ...")
    base = sample_payloads()
    payloads = payloads_for(base, args.partners)
    moved_in = statistics.median(len(pickle.dumps(p)) for p in base)
    options = scorecards.RenderOptions(pdf=True)
    moved_out = statistics.median(sum(len(b) for _, b in scorecards.render_partner(p, options)) for p in base[:10])
    serial, pool, settled, one, two = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="alliancekit-bench-scale-") as tmp:
        work = Path(tmp)
        for r in range(args.repeat):
            serial.append(arm_serial(payloads))
            pool.append(arm_pool(payloads, 2, work / "pool"))
            settled.append(arm_pool(payloads, 2, work / "settled", settle=True))
            one.append(arm_local(payloads, 1, work / "one"))
            two.append(arm_local(payloads, 2, work / "two"))
            log(f"round {r + 1}: serial {serial[-1]:.3f} s, pool of 2 {pool[-1]:.3f} s (heap frozen {settled[-1]:.3f} s), "
                f"local 1 worker {one[-1]:.3f} s, 2 workers {two[-1]:.3f} s per partner")
        per_cluster, wall = arm_cluster(payloads_for(base, args.cluster_partners), work)
    s, a, b, q = statistics.median(serial), statistics.median(one), statistics.median(two), statistics.median(pool)
    emit("scorecards_partners_per_arm", args.partners, "partners")
    emit("scorecards_serial_seconds_per_partner", s, "s")
    emit("scorecards_local1_seconds_per_partner", a, "s")
    emit("scorecards_local2_seconds_per_partner", b, "s")
    emit("scorecards_pool2_seconds_per_partner", q, "s")
    emit("scorecards_local2_against_pool2", b / q, "x")
    emit("scorecards_pool2_settled_seconds_per_partner", statistics.median(settled), "s")
    emit("scorecards_local2_against_pool2_settled", b / statistics.median(settled), "x")
    emit("scorecards_engine_overhead_ratio_1_worker", a / s, "x")
    emit("scorecards_speedup_2_workers", a / b, "x")
    emit("scorecards_efficiency_2_workers", a / b / 2, "ratio")
    emit("scorecards_local2_per_second", 1 / b, "partners/s")
    emit("scorecards_cluster_partners", args.cluster_partners, "partners")
    emit("scorecards_cluster_seconds", wall, "s")
    emit("scorecards_cluster_seconds_per_partner", per_cluster, "s")
    # against one local worker's cost a partner (warm, heap frozen, as the cluster's workers are)
    emit("scorecards_cluster_overhead_seconds_per_partner", max(0.0, per_cluster * 2 - a), "s")
    emit("scorecards_payload_bytes_per_task", moved_in, "B")
    emit("scorecards_rendered_bytes_per_task", moved_out, "B")


if __name__ == "__main__":
    main()
