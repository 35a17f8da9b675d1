"""End-to-end runs of the real CLI in a subprocess: deliverables, planted structure, safety.

Each run starts a kernel and renders a report, so the runs are shared through fixtures (the
sample engagement's run with every other test that reads it: conftest.sample_delivery) and most
use ``--format html`` where the PDF is not what is being tested.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from sklearn.metrics import adjusted_rand_score

from alliancekit.layout import LOCK, MANIFEST, NOTEBOOK, STAGING, WORKING, client_dir, working_dir
from alliancekit.manifest import sha256
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.phases import PHASES
from alliancekit.sample import write_engagement

KIT = [sys.executable, "-m", "alliancekit.cli"]

pytestmark = pytest.mark.slow


def kit(*args, check: bool = False) -> subprocess.CompletedProcess:
    """Run the CLI as a user would; return the finished process."""
    proc = subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stderr}")
    return proc


def pdf_pages(path: Path) -> int:
    """Page count of a PDF."""
    return len(PdfReader(path).pages)


@pytest.fixture(scope="module")
def sample_run(sample_delivery) -> Path:
    """The client folder of portfolio_health in the committed sample engagement, run once with HTML
    and PDF (every phase)."""
    return client_dir(sample_delivery, "portfolio_health")


@pytest.fixture(scope="module")
def sample_work(sample_delivery) -> Path:
    """The working folder of portfolio_health in the same run."""
    return working_dir(sample_delivery, "portfolio_health")


def test_sample_run_delivers_every_file(sample_run, sample_work, sample_delivery):
    assert sorted(p.name for p in sample_run.iterdir()) == ["report.html", "report.pdf", "tables.xlsx"]
    assert sorted(p.name for p in sample_work.iterdir()) == [NOTEBOOK, MANIFEST, "segments.csv"]
    # the hand-over folder: the phases' client folders and working/, the lock hidden beside them
    assert sorted(p.name for p in sample_delivery.iterdir()) == sorted([LOCK, WORKING, *PHASES])
    assert sorted(p.name for p in (sample_delivery / WORKING).iterdir()) == sorted(PHASES)
    for phase in PHASES:  # every client folder is client-ready: reports, decks, workbooks, scorecards
        files = [p for p in client_dir(sample_delivery, phase).rglob("*") if p.is_file()]
        assert files and all(p.suffix in (".html", ".pdf", ".pptx", ".xlsx") for p in files), phase
    assert not (sample_delivery / STAGING).exists(), "staging cleaned up"


def test_pdf_has_cover_contents_and_body(sample_run):
    assert pdf_pages(sample_run / "report.pdf") >= 4


def test_html_report_has_no_code(sample_run):
    page = (sample_run / "report.html").read_text()
    for leak in ("start_phase", "import ", "ctx.", "report.table", "NBVAL", "Traceback", "<script"):
        assert leak not in page, leak
    assert "Portfolio Health Review" in page and "Northwind Systems" in page and "<svg" in page


def test_manifest_records_inputs_params_versions_and_how_to_reproduce(sample_run, sample_work, sample_delivery):
    manifest = json.loads((sample_work / MANIFEST).read_text())
    assert manifest["engagement"] == "northwind-2026" and manifest["phase"] == "portfolio_health"
    data = SAMPLE_ENGAGEMENT / "data"
    assert manifest["inputs"]["partners"]["sha256"] == sha256(data / "partners.csv")
    assert set(manifest["inputs"]) == {"partners", "partner_metrics", "opportunities", "macro"}
    assert manifest["parameters"]["k_max"] == 8
    assert {"alliancekit", "python", "pandas", "scikit-learn", "papermill"} <= set(manifest["versions"])
    assert manifest["duration_seconds"] > 0
    reproduce = shlex.split(manifest["reproduce"])
    assert reproduce[:5] == ["alliancekit", "run", "engagement.yml", "--phase", "portfolio_health"]
    output_dir = reproduce[reproduce.index("--output-dir") + 1]  # exact, and relative to the engagement's folder
    assert not os.path.isabs(output_dir) and (SAMPLE_ENGAGEMENT / output_dir).resolve() == sample_delivery.resolve()
    assert "--format html,pdf" in manifest["reproduce"]
    text = json.dumps(manifest)
    assert str(SAMPLE_ENGAGEMENT) not in text
    assert manifest["inputs"]["partners"]["path"] == "data/partners.csv"
    # what was delivered where, relative to the output folder: the client's files apart from the working ones
    assert manifest["deliverables"] == {f"portfolio_health/{name}": sha256(sample_run / name)
                                        for name in ("report.html", "report.pdf", "tables.xlsx")}
    assert manifest["working_files"] == {f"working/portfolio_health/{name}": sha256(sample_work / name)
                                         for name in (NOTEBOOK, "segments.csv")}


def test_segments_csv_has_contract_columns(sample_work):
    table = pd.read_csv(sample_work / "segments.csv")
    assert {"partner_id", "health_score", "segment", "action"} <= set(table.columns)
    assert table["partner_id"].is_unique and len(table) == 60
    assert set(table["action"]) <= {"invest", "grow", "fix", "exit review"}
    assert table["health_score"].between(0, 100).all()


def test_same_inputs_give_same_tables_and_figures(sample_run, sample_work, tmp_path):
    kit("run", SAMPLE_ENGAGEMENT / "engagement.yml", "--phase", "portfolio_health", "--output-dir", tmp_path,
        "--format", "html", check=True)
    again = client_dir(tmp_path, "portfolio_health")
    assert (working_dir(tmp_path, "portfolio_health") / "segments.csv").read_bytes() == \
        (sample_work / "segments.csv").read_bytes()
    assert (again / "tables.xlsx").read_bytes() == (sample_run / "tables.xlsx").read_bytes()  # same hash, too
    figures = lambda page: re.findall(r"<svg.*?</svg>", page, flags=re.S)  # noqa: E731
    first, second = figures((sample_run / "report.html").read_text()), figures((again / "report.html").read_text())
    assert len(first) >= 3 and first == second


def _planted_engagement(root: Path, **kw):
    truth = write_engagement(root, phases=("portfolio_health",), **kw)
    return root / "engagement.yml", truth


def test_planted_groups_are_recovered_on_an_unseen_portfolio(tmp_path):
    path, truth = _planted_engagement(tmp_path / "eng", seed=2027, n_partners=240)
    kit("run", path, "--phase", "portfolio_health", "--output-dir", tmp_path / "out", "--format", "html", check=True)
    table = pd.read_csv(working_dir(tmp_path / "out", "portfolio_health") / "segments.csv").set_index("partner_id")
    planted = pd.Series(truth.segments).reindex(table.index)
    assert adjusted_rand_score(planted, table["segment"]) >= 0.8
    mean_health = table.groupby(planted)["health_score"].mean().sort_values()
    assert mean_health.index[-1] == "strong_growing" and mean_health.index[0] == "dormant"


def test_markup_and_formulas_in_client_text_stay_text(tmp_path):
    path, _ = _planted_engagement(tmp_path / "eng", seed=5, n_partners=40)
    partners = tmp_path / "eng" / "data" / "partners.csv"
    frame = pd.read_csv(partners, dtype=str, keep_default_na=False)
    frame.loc[0, "partner_name"] = "<script>alert('pwn')</script> Ltd"
    frame.loc[1, "partner_name"] = '=HYPERLINK("http://example.invalid","click")'
    frame.to_csv(partners, index=False)
    kit("run", path, "--output-dir", tmp_path / "out", "--format", "html", check=True)
    page = (client_dir(tmp_path / "out", "portfolio_health") / "report.html").read_text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert('pwn')&lt;/script&gt; Ltd" in page
    names = pd.read_csv(working_dir(tmp_path / "out", "portfolio_health") / "segments.csv")["partner_name"]
    assert '\'=HYPERLINK("http://example.invalid","click")' in set(names)


BAD_INPUTS = {
    "missing column": ("partners.csv", lambda t: t.drop(columns=["tier"]), "required column 'tier' is missing"),
    "duplicate partner_id": ("partners.csv", lambda t: t.assign(partner_id=t["partner_id"].where(t.index != 1, t.loc[0, "partner_id"])), "duplicate value"),
    "malformed month": ("partner_metrics.csv", lambda t: t.assign(month=t["month"].where(t.index != 3, "2026/01")), "expected a month as YYYY-MM"),
    "text revenue": ("partner_metrics.csv", lambda t: t.assign(revenue=t["revenue"].where(t.index != 5, "twelve")), "got 'twelve' (expected a number)"),
    "unknown partner": ("partner_metrics.csv", lambda t: t.assign(partner_id=t["partner_id"].where(t.index != 7, "P999")), "unknown partner 'P999'"),
}


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """A copy of the sample engagement and a good HTML delivery to protect."""
    root = tmp_path_factory.mktemp("protect")
    write_engagement(root / "eng", phases=("portfolio_health",))
    kit("run", root / "eng" / "engagement.yml", "--output-dir", root / "out", "--format", "html", check=True)
    return root


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_2_and_leaves_the_last_good_report(good_run, case):
    file, corrupt, words = BAD_INPUTS[case]
    path = good_run / "eng" / "data" / file
    original = path.read_bytes()
    report = client_dir(good_run / "out", "portfolio_health") / "report.html"
    before = report.read_bytes()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        corrupt(frame).to_csv(path, index=False)
        proc = kit("run", good_run / "eng" / "engagement.yml", "--output-dir", good_run / "out")
    finally:
        path.write_bytes(original)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr and file in proc.stderr
    assert "Traceback" not in proc.stderr and "running" not in proc.stderr
    assert report.read_bytes() == before


def test_missing_file_empty_file_bad_id_unknown_phase_and_parameter(good_run, tmp_path):
    eng = (good_run / "eng" / "engagement.yml").read_text()
    data = good_run / "eng" / "data"
    cases = {
        "missing file": (eng.replace("data/macro.csv", "data/nowhere.csv"), "file not found"),
        "unsafe id": (eng.replace("engagement: northwind-2026", "engagement: ../../etc"), "must be an id"),
        "unknown phase": (eng.replace("portfolio_health: {}", "portfolio_wealth: {}"), "did you mean 'portfolio_health'"),
        "unknown parameter": (eng.replace("portfolio_health: {}", "portfolio_health: {k_maxx: 4}"), "did you mean 'k_max'"),
    }
    for case, (text, words) in cases.items():
        path = data.parent / f"{case.replace(' ', '_')}.yml"
        path.write_text(text)
        proc = kit("run", path, "--output-dir", tmp_path / case.replace(" ", "_"))
        assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr, case
        assert not (tmp_path / case.replace(" ", "_")).exists(), case
    empty = data.parent / "empty.csv"
    empty.write_text("")
    path = data.parent / "empty.yml"
    path.write_text(eng.replace("data/opportunities.csv", "empty.csv"))
    proc = kit("run", path, "--output-dir", tmp_path / "empty")
    assert proc.returncode == 2 and "empty.csv: the file is empty" in proc.stderr


#: ``alliancekit run`` as the CLI runs it, paused at one point: the phase's task has run its notebook
#: and rendered its report into the staging folder on a worker; back in the run, its manifest is
#: still to be written and nothing is delivered yet. The process says so on stderr (:data:`PAUSED`)
#: and waits until its stdin is closed.
PAUSED = "test: paused before the manifest"
PAUSED_RUN = f"""
import sys
from alliancekit import runner
from alliancekit.cli import main

finish_phase = runner.finish_phase
def paused(*args, **kwargs):
    print({PAUSED!r}, file=sys.stderr, flush=True)
    sys.stdin.read()
    return finish_phase(*args, **kwargs)
runner.finish_phase = paused
sys.exit(main(sys.argv[1:]))
"""


def paused_run(good_run: Path, out: Path) -> subprocess.Popen:
    """A run of ``good_run``'s engagement into ``out``, returned once it is paused (see :data:`PAUSED_RUN`).

    Waits on the run's own word, not on the clock: fails if the run ends, or has not paused
    within five minutes (a bound for a machine under load, not a performance figure).
    """
    proc = subprocess.Popen([sys.executable, "-c", PAUSED_RUN, "run", str(good_run / "eng" / "engagement.yml"),
                             "--output-dir", str(out), "--format", "html"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    said = b""
    deadline = time.monotonic() + 300
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stderr, selectors.EVENT_READ)
        while PAUSED.encode() not in said:
            if not selector.select(max(0.0, deadline - time.monotonic())):
                proc.kill()
                raise AssertionError(f"the run did not pause within 300 s:\n{said.decode()}")
            chunk = os.read(proc.stderr.fileno(), 1 << 16)
            if not chunk:
                proc.kill()
                raise AssertionError(f"the run ended (exit {proc.wait()}) before it paused:\n{said.decode()}")
            said += chunk
    return proc


def delivered(out: Path, phase: str) -> dict[str, bytes]:
    """Every file of a phase's delivery, both folders, by path relative to the output folder."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for folder in (client_dir(out, phase), working_dir(out, phase)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_the_last_good_deliverables(good_run, sig):
    out = good_run / "out"
    before = delivered(out, "portfolio_health")
    assert {"portfolio_health/report.html", "working/portfolio_health/segments.csv",
            f"working/portfolio_health/{MANIFEST}"} <= set(before)
    proc = paused_run(good_run, out)
    # mid-run: the kernel has written its results, the manifest and the delivery are still to come
    assert (out / STAGING / "portfolio_health" / "segments.csv").is_file()
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert delivered(out, "portfolio_health") == before


def test_two_runs_of_one_engagement_at_once_do_not_collide(good_run, tmp_path):
    out = tmp_path / "out"
    first = paused_run(good_run, out)  # holds the output folder's lock while it is paused
    second = kit("run", good_run / "eng" / "engagement.yml", "--output-dir", out, "--format", "html")
    _, stderr = first.communicate(timeout=300)  # closes its stdin: the first run goes on
    assert first.returncode == 0, stderr.decode()
    assert second.returncode == 2 and "another run is writing to" in second.stderr
    assert (working_dir(out, "portfolio_health") / "segments.csv").is_file()


def test_a_fresh_scaffold_runs_every_phase(tmp_path):
    """alliancekit new lists every phase, and its example rows are enough for each to run (a safe start:
    once the consultant replaces them, the first run delivers every report, not one)."""
    kit("new", tmp_path / "eng", "--client", "Acme Corp", check=True)
    kit("run", tmp_path / "eng" / "engagement.yml", "--output-dir", tmp_path / "out", "--format", "html",
        "-p", "ecosystem_reporting.pdf=false", check=True)
    from alliancekit.layout import report_path

    assert [p for p in PHASES if report_path(tmp_path / "out", p).is_file()] == list(PHASES)


@pytest.mark.slow
@pytest.mark.parametrize("given", ["output folder", "working folder"])
def test_upstream_dir_is_the_output_folder_or_its_working_folder(sample_delivery, given):
    """A person re-running a notebook points ``upstream_dir`` at the delivered output folder; the
    runner passes its ``working/``: both read the delivered results."""
    from alliancekit.layout import working_root
    from alliancekit.session import start_phase

    folder = sample_delivery if given == "output folder" else working_root(sample_delivery)
    ctx = start_phase("ecosystem_reporting", {"engagement": str(SAMPLE_ENGAGEMENT / "engagement.yml"),
                                              "upstream_dir": str(folder)})
    assert ctx.upstream("portfolio_health") == working_root(sample_delivery) / "portfolio_health"
    assert any("delivered" in note for note in ctx.notes)
