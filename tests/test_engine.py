"""The execution engine: scorecards on a real Dask cluster (a worker killed mid-run), versions checked, failures named.

The cluster tests start a real ``dask scheduler`` and ``dask worker`` processes on localhost,
as a consultant's IT would on other machines, and run ``alliancekit run --scheduler`` against
them; no shared filesystem is used beyond the run's own output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from alliancekit import engine
from alliancekit.ecosystem_reporting import scorecards
from alliancekit.errors import PhaseFailed
from alliancekit.layout import STAGING, client_dir, working_dir
from conftest import SAMPLE_ENGAGEMENT

DASK = Path(sys.executable).with_name("dask")


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(DASK), *args], stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


class Cluster:
    """A scheduler and named worker processes on localhost, started as separate commands."""

    def __init__(self, root: Path, preload: Path | None = None, workers: int = 2):
        self.root = root
        self.file = root / "scheduler.json"
        self.procs = {"scheduler": _start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                           "--scheduler-file", str(self.file)], root / "scheduler.log")}
        deadline = time.time() + 60
        while not self.file.is_file() and time.time() < deadline:
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        extra = ["--preload", str(preload)] if preload else []
        for i in range(workers):
            self.procs[f"worker{i}"] = _start(["worker", self.address, "--nworkers", "1", "--nthreads", "1",
                                               "--no-dashboard", "--name", f"w{i}", *extra], root / f"worker{i}.log")
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    def kill(self, name: str) -> None:
        _stop(self.procs[name])

    def close(self) -> None:
        for proc in self.procs.values():
            _stop(proc)


@pytest.fixture
def upstream(sample_delivery, tmp_path) -> Path:
    """An output folder holding the sample's delivered metric_design and portfolio_health results."""
    out = tmp_path / "out"
    for phase in ("metric_design", "portfolio_health"):
        shutil.copytree(working_dir(sample_delivery, phase), working_dir(out, phase))
    return out


@pytest.mark.slow
def test_scorecards_on_a_cluster_survive_a_killed_worker_and_hold_one_partner_each(upstream, tmp_path):
    cluster = Cluster(tmp_path)
    try:
        run = subprocess.Popen([sys.executable, "-m", "alliancekit.cli", "run", str(SAMPLE_ENGAGEMENT / "engagement.yml"),
                                "--phase", "ecosystem_reporting", "--output-dir", str(upstream), "--format", "html",
                                "--jobs", "1", "--scheduler", cluster.address],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        staged = upstream / STAGING
        deadline = time.time() + 600
        while time.time() < deadline and run.poll() is None:  # kill a worker once scorecards are coming back
            if len(list(staged.glob("**/partners/*.html"))) >= 6:
                cluster.kill("worker0")
                break
            time.sleep(0.1)
        out, err = run.communicate(timeout=600)
        assert cluster.procs["worker0"].poll() is not None, "the worker was not killed during the scorecards"
        assert run.returncode == 0, err
    finally:
        cluster.close()
    assert f"Dask cluster at {cluster.address}: 2 workers" in err
    partners = pd.read_csv(SAMPLE_ENGAGEMENT / "data" / "partners.csv", dtype=str)
    folder = client_dir(upstream, "ecosystem_reporting") / "partners"
    assert sorted(p.stem for p in folder.glob("*.html")) == sorted(partners["partner_id"])
    names = dict(zip(partners["partner_id"], partners["partner_name"]))
    for pid, name in names.items():
        page = (folder / f"{pid}.html").read_text(encoding="utf-8")
        assert name.replace("&", "&amp;") in page
        others = [n for p, n in names.items() if p != pid and n.replace("&", "&amp;") in page]
        assert not others, f"{pid}'s scorecard names other partners: {others}"
    assert not list((upstream / STAGING).glob("**/.scorecard_payloads.pkl")) if (upstream / STAGING).exists() else True


@pytest.mark.slow
def test_workers_of_another_version_are_refused_before_anything_runs(upstream, tmp_path):
    preload = tmp_path / "old_kit.py"
    preload.write_text("import alliancekit\nalliancekit.__version__ = '0.1.0'\n")
    cluster = Cluster(tmp_path, preload=preload, workers=1)
    try:
        proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(SAMPLE_ENGAGEMENT / "engagement.yml"),
                               "--phase", "ecosystem_reporting", "--output-dir", str(upstream)],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, engine.SCHEDULER_ENV: cluster.address})
    finally:
        cluster.close()
    assert proc.returncode == 2, proc.stderr
    assert "another alliancekit" in proc.stderr and "0.1.0" in proc.stderr and "nothing was run" in proc.stderr
    assert not client_dir(upstream, "ecosystem_reporting").exists()


def test_an_unreachable_scheduler_is_a_clear_error(upstream, capsys):
    from alliancekit.cli import main

    code = main(["run", str(SAMPLE_ENGAGEMENT / "engagement.yml"), "--phase", "portfolio_health", "--output-dir",
                 str(upstream), "--scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:1" in capsys.readouterr().err


def test_a_partner_whose_rendering_raises_fails_the_phase_by_name(tmp_path):
    from distributed import Client, LocalCluster

    bad = {"stem": "P2", "partner_id": "P2", "partner_name": "Broken Ltd"}  # no figures: its rendering raises
    scorecards.plan_scorecards([bad], tmp_path, pdf=False)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        with pytest.raises(PhaseFailed, match=r"the scorecard of partner P2 \(Broken Ltd\): KeyError: .* failed"):
            scorecards.render_pending(tmp_path, client, progress=False)
    assert scorecards.has_pending(tmp_path)  # nothing marked done: the runner discards the staging folder


def test_check_versions_names_each_wrong_worker():
    class Fake:
        class scheduler:
            address = "tcp://h:1"

        @staticmethod
        def run(fn, on_error="raise"):
            return {"tcp://a:1": engine.__version__, "tcp://b:1": "0.0.1", "tcp://c:1": ModuleNotFoundError("x")}

    with pytest.raises(engine.EngineError) as err:
        engine.check_versions(Fake())
    text = str(err.value)
    assert "tcp://b:1: 0.0.1" in text and "tcp://c:1: no alliancekit (ModuleNotFoundError)" in text
    assert "tcp://a:1" not in text
