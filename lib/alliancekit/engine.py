"""The kit's one execution engine: Dask distributed, on a local cluster the kit starts or on an existing one.

A run has two kinds of work. **Phases** (a notebook each, side by side when independent) read
the client's input files, so they run on this machine: on a local cluster of worker processes
(:class:`LocalEngine`, one per core or ``--jobs``). **Partner scorecards** (one small task per
partner, the fan-out that grows with the programme) are fed one partner's payload each and
return the rendered files' bytes: they run on the same local cluster by default, or on an
existing Dask cluster given by ``--scheduler tcp://HOST:PORT`` or :data:`SCHEDULER_ENV`. Only
payloads and rendered bytes cross the network, never an input table, and no shared filesystem
is needed: the runner writes the bytes into its staging folder, so delivery stays atomic.

Before any task runs, every worker's ``alliancekit`` version is checked against this one
(:func:`check_versions`): a worker that would render with other templates or rules is refused.
A worker that dies mid-run has its tasks retried on the others (Dask's own bookkeeping).
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Callable, Iterator

from . import __version__
from .errors import KitError

#: The environment variable naming an existing Dask scheduler for the scorecards (``--scheduler`` wins).
SCHEDULER_ENV = "ALLIANCEKIT_SCHEDULER"
#: Seconds to wait for an existing scheduler to answer.
CONNECT_TIMEOUT = 20
#: Dask settings of the kit's local cluster: no statistical profiler (it samples every worker
#: thread every 10 ms for the dashboard's profile page, which on the renderers' pure-Python work
#: cost about a fifth of each scorecard's time), and the event loops' own monitors (loop tick,
#: system and memory monitors) waking once a second or less instead of 50, 2 and 10 times: each
#: wake-up takes the GIL from the task (about 4 % of a scorecard; benchmarks/README.md,
#: "Scale-out on Dask"). The dashboard's system graphs update every 5 s.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                 "distributed.admin.tick.interval": "1s",
                 "distributed.admin.system-monitor.interval": "5s",
                 "distributed.worker.memory.monitor-interval": "1s"}


class EngineError(KitError):
    """The cluster cannot run the kit's work (unreachable, or workers of another version): nothing was run."""

    exit_code = 2


def scheduler_address(given: str | None = None) -> str | None:
    """``given`` (``--scheduler``), else :data:`SCHEDULER_ENV`, else None (the local cluster)."""
    return (given or os.environ.get(SCHEDULER_ENV) or "").strip() or None


def workers_wanted(jobs: int | None) -> int:
    """Worker processes of the local cluster: ``jobs``, else one per core."""
    return max(1, jobs or os.cpu_count() or 1)


def warm_for_phases() -> None:
    """In a worker that will run phases: import papermill and the report renderer once, while the
    run validates its inputs, instead of in the first phase."""
    import papermill  # noqa: F401

    from .render import prepare

    prepare()


def _kit_version() -> str:
    import alliancekit

    return alliancekit.__version__


def check_versions(client) -> None:
    """Refuse the cluster (:class:`EngineError`) when a worker runs another ``alliancekit`` version, or none."""
    try:
        found = client.run(_kit_version, on_error="return")
    except Exception as exc:  # noqa: BLE001 - the scheduler's message is what the user needs
        raise EngineError(f"cannot ask the Dask workers for their alliancekit version: {exc}") from None
    if not found:
        raise EngineError(f"the Dask cluster at {client.scheduler.address} has no worker; start some with "
                          f"`dask worker {client.scheduler.address}`")
    wrong = {w: (v if isinstance(v, str) else f"no alliancekit ({type(v).__name__})") for w, v in found.items()
             if v != __version__}
    if wrong:
        listed = "; ".join(f"{w}: {v}" for w, v in sorted(wrong.items()))
        raise EngineError(f"Dask workers run another alliancekit than this one ({__version__}): {listed}. Install "
                          f"alliancekit {__version__} on every worker (pip install alliancekit=={__version__} or the "
                          "same wheel), restart them, and run again; nothing was run")


class LocalEngine:
    """A local cluster of ``jobs`` worker processes (one thread each) and its client, started in the background.

    Processes, not threads: a phase runs a notebook kernel and the renderers hold the GIL; but no
    more than ``most`` (the work there is to share: a run of one phase without scorecards needs one
    worker, which then runs in this process, spawning nothing). The
    cluster starts (and its workers import what every task needs) on a thread of its own as soon
    as the object is made, so its start-up overlaps whatever the run does meanwhile (validating the
    inputs); :meth:`client` waits for it and prints the dashboard's address; :meth:`close` stops it.
    ``warm``: run on every worker once it is up (default :func:`warm_for_phases`; None for a
    cluster that only renders scorecards, whose first task imports what it needs).
    """

    def __init__(self, jobs: int | None = None, say: Callable[[str], None] = print, most: int | None = None,
                 warm: Callable[[], None] | None = warm_for_phases):
        from concurrent.futures import ThreadPoolExecutor

        self.workers = min(workers_wanted(jobs), most) if most else workers_wanted(jobs)
        self._say, self._warm = say, warm
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="alliancekit-engine")
        self._started = self._pool.submit(self._start)
        self._announced = False

    def _start(self):
        import dask
        from distributed import Client, LocalCluster

        dask.config.set(WORKER_CONFIG)  # before the cluster: its workers take this process's settings
        # one worker: in this process (a thread), nothing to spawn or import twice; more: processes
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=self.workers > 1,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
        client = Client(cluster)
        if self._warm is not None:
            client.run(self._warm)
        return cluster, client

    def client(self):
        """The client, once the cluster is up (its dashboard address printed the first time)."""
        client = self._started.result()[1]
        if not self._announced:
            self._announced = True
            self._say(f"  local Dask cluster: {self.workers} worker{'s' if self.workers != 1 else ''}, dashboard "
                      f"{client.dashboard_link}")
        return client

    def close(self) -> None:
        """Stop the workers and the scheduler (waiting for a start still under way)."""
        try:
            cluster, client = self._started.result()
        except Exception:  # noqa: BLE001 - a cluster that never started has nothing to stop
            return
        finally:
            self._pool.shutdown(wait=True)
        client.close()
        cluster.close()


@contextlib.contextmanager
def remote_cluster(address: str, say: Callable[[str], None] = print) -> Iterator:
    """A Dask client on the existing cluster at ``address``, its workers' versions checked first."""
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"no Dask scheduler answers at {address} ({exc}); start one with `dask scheduler` "
                          f"or leave --scheduler and {SCHEDULER_ENV} unset to run on this machine") from None
    try:
        check_versions(client)
        workers = len(client.scheduler_info().get("workers", {}))
        say(f"  Dask cluster at {address}: {workers} worker{'s' if workers != 1 else ''}, dashboard "
            f"{client.dashboard_link}")
        yield client
    finally:
        client.close()
