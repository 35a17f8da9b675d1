"""End-to-end runs of the real CLI in a subprocess: deliverables, planted structure, safety.

Each run starts a kernel and renders a report, so the runs are shared through module-scoped
fixtures and most use ``--format html`` where the PDF is not what is being tested.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from sklearn.metrics import adjusted_rand_score

from alliancekit.manifest import sha256
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.sample import write_engagement

KIT = [sys.executable, "-m", "alliancekit.cli"]


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
def sample_run(tmp_path_factory) -> Path:
    """The committed sample engagement, run once with HTML and PDF."""
    out = tmp_path_factory.mktemp("sample-out")
    kit("run", SAMPLE_ENGAGEMENT / "engagement.yml", "--output-dir", out, check=True)
    return out / "portfolio_health"


def test_sample_run_delivers_every_file(sample_run):
    for name in ("report.html", "report.pdf", "manifest.json", "segments.csv", "executed.ipynb"):
        assert (sample_run / name).is_file(), name
    assert not list(sample_run.parent.glob(".staging/*")), "staging cleaned up"


def test_pdf_has_cover_contents_and_body(sample_run):
    assert pdf_pages(sample_run / "report.pdf") >= 4


def test_html_report_has_no_code(sample_run):
    page = (sample_run / "report.html").read_text()
    for leak in ("start_phase", "import ", "ctx.", "report.table", "NBVAL", "Traceback", "<script"):
        assert leak not in page, leak
    assert "Portfolio Health Review" in page and "Northwind Systems" in page and "<svg" in page


def test_manifest_records_inputs_params_versions_and_how_to_reproduce(sample_run):
    manifest = json.loads((sample_run / "manifest.json").read_text())
    assert manifest["engagement"] == "northwind-2026" and manifest["phase"] == "portfolio_health"
    data = SAMPLE_ENGAGEMENT / "data"
    assert manifest["inputs"]["partners"]["sha256"] == sha256(data / "partners.csv")
    assert set(manifest["inputs"]) == {"partners", "partner_metrics", "opportunities", "macro"}
    assert manifest["parameters"]["k_max"] == 8
    assert {"alliancekit", "python", "pandas", "scikit-learn", "papermill"} <= set(manifest["versions"])
    assert manifest["duration_seconds"] > 0
    assert manifest["reproduce"].startswith("alliancekit run ")
    assert manifest["outputs"]["segments.csv"] == sha256(sample_run / "segments.csv")


def test_segments_csv_has_contract_columns(sample_run):
    table = pd.read_csv(sample_run / "segments.csv")
    assert {"partner_id", "health_score", "segment", "action"} <= set(table.columns)
    assert table["partner_id"].is_unique and len(table) == 60
    assert set(table["action"]) <= {"invest", "grow", "fix", "exit review"}
    assert table["health_score"].between(0, 100).all()


def test_same_inputs_give_same_tables_and_figures(sample_run, tmp_path):
    kit("run", SAMPLE_ENGAGEMENT / "engagement.yml", "--output-dir", tmp_path, "--format", "html", check=True)
    again = tmp_path / "portfolio_health"
    assert (again / "segments.csv").read_bytes() == (sample_run / "segments.csv").read_bytes()
    figures = lambda page: re.findall(r"<svg.*?</svg>", page, flags=re.S)  # noqa: E731
    first, second = figures((sample_run / "report.html").read_text()), figures((again / "report.html").read_text())
    assert len(first) >= 3 and first == second


def _planted_engagement(root: Path, **kw):
    truth = write_engagement(root, phases=("portfolio_health",), **kw)
    return root / "engagement.yml", truth


def test_planted_groups_are_recovered_on_an_unseen_portfolio(tmp_path):
    path, truth = _planted_engagement(tmp_path / "eng", seed=2027, n_partners=240)
    kit("run", path, "--phase", "portfolio_health", "--output-dir", tmp_path / "out", "--format", "html", check=True)
    table = pd.read_csv(tmp_path / "out" / "portfolio_health" / "segments.csv").set_index("partner_id")
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
    page = (tmp_path / "out" / "portfolio_health" / "report.html").read_text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert('pwn')&lt;/script&gt; Ltd" in page
    names = pd.read_csv(tmp_path / "out" / "portfolio_health" / "segments.csv")["partner_name"]
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
    report = good_run / "out" / "portfolio_health" / "report.html"
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


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_the_last_good_deliverables(good_run, sig):
    final = good_run / "out" / "portfolio_health"
    before = {p.name: p.read_bytes() for p in final.iterdir()}
    proc = subprocess.Popen([*KIT, "run", str(good_run / "eng" / "engagement.yml"), "--output-dir",
                             str(good_run / "out"), "--format", "html"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    # mid-run: the kernel has written its results, the report cells and the render are still to come
    while not (good_run / "out" / ".staging" / "portfolio_health" / "segments.csv").is_file() and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert {p.name: p.read_bytes() for p in final.iterdir()} == before


def test_two_runs_of_one_engagement_at_once_do_not_collide(good_run, tmp_path):
    out = tmp_path / "out"
    first = subprocess.Popen([*KIT, "run", str(good_run / "eng" / "engagement.yml"), "--output-dir", str(out),
                              "--format", "html"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not list(out.glob(".staging/*")) and time.time() < deadline:
        time.sleep(0.2)
    second = kit("run", good_run / "eng" / "engagement.yml", "--output-dir", out, "--format", "html")
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.returncode == 2 and "another run is writing to" in second.stderr
    assert (out / "portfolio_health" / "segments.csv").is_file()
