"""Review cycles end to end on the sample's two years: what was planted is what the comparison reports.

Last year's sample engagement (``data_samples/northwind-2025``) is run through the real CLI for
the phases whose plants the comparison must find; this year's is the shared full delivery. The
truth is :func:`alliancekit.sample.previous_year`'s, written without looking at the kit's output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from alliancekit.cycle.comparison import compare
from alliancekit.layout import working_dir
from alliancekit.sample import previous_year
from conftest import run_phases_only

ROOT = Path(__file__).resolve().parents[1]
LAST_YEAR = ROOT / "data_samples" / "northwind-2025"
THIS_YEAR = ROOT / "data_samples" / "northwind"
PHASES = ["strategy_assessment", "metric_design", "portfolio_health"]


@pytest.fixture(scope="module")
def truth():
    return previous_year()[1]


@pytest.fixture(scope="module")
def last_year(tmp_path_factory) -> Path:
    """Last year's delivery of the three phases the plants are in."""
    work = tmp_path_factory.mktemp("northwind-2025")
    shutil.copytree(LAST_YEAR, work / "engagement")
    proc = run_phases_only(work / "engagement" / "engagement.yml", PHASES, work / "out")
    assert proc.returncode == 0, proc.stderr
    return work / "out"


@pytest.fixture(scope="module")
def changes(last_year, sample_delivery, tmp_path_factory) -> Path:
    return compare(last_year, sample_delivery, tmp_path_factory.mktemp("cmp"), formats=("html",), say=lambda _: None)


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype={"partner_id": str})


def test_planted_segment_moves_are_reported_exactly(changes, truth):
    moves = _csv(changes, "segment_migration.csv")
    moved = set(moves.loc[moves["moved"], "partner_id"])
    assert moved == set(truth.segment_changes)
    names = {"strong_growing": "Strong and growing", "emerging": "Small, growing fast", "declining": "Large, declining",
             "dormant": "Dormant"}
    got = moves.set_index("partner_id").loc[sorted(moved), ["segment_then", "segment_now"]]
    want = pd.DataFrame([(names[a], names[b]) for a, b in (truth.segment_changes[p] for p in sorted(moved))],
                        index=got.index, columns=got.columns)
    pd.testing.assert_frame_equal(got, want)


def test_persistent_and_recovered_exit_candidates_and_added_and_ended_alliances(changes, truth):
    exits = _csv(changes, "exit_candidates.csv")
    by_status = exits.groupby("status")["partner_id"].apply(set).to_dict()
    assert by_status["still a candidate"] == set(truth.still_dormant)
    assert by_status["no longer a candidate"] == set(truth.recovered)
    assert by_status["new candidate"] == set(truth.went_dormant)
    assert (exits.loc[exits["status"] == "still a candidate", "reviews_in_a_row"] == 2).all()
    edges = _csv(changes, "alliances_added_ended.csv")
    assert set(edges.loc[edges["change"] == "added", "partner_id"]) == set(truth.added)
    assert set(edges.loc[edges["change"] == "ended", "partner_id"]) == set(truth.ended)


def test_the_changed_lag_and_the_improved_maturity_dimension(changes, truth):
    leading = pd.read_csv(changes / "leading_indicators.csv").set_index("indicator")
    for indicator, (then, now) in truth.lag_changes.items():
        assert leading.loc[indicator, "status"] == "lag changed"
        assert (leading.loc[indicator, "lag_then"], leading.loc[indicator, "lag_now"]) == (then, now)
    assert (leading.drop(index=list(truth.lag_changes))["status"] == "kept").all()
    maturity = pd.read_csv(changes / "maturity.csv").set_index("dimension")
    rose = maturity.index[maturity["score_now"] - maturity["score_then"] >= 0.5]
    assert set(rose) == set(truth.maturity_changes)


def test_the_report_names_the_changes_and_what_was_not_compared(changes, truth):
    page = (changes / "report.html").read_text(encoding="utf-8")
    assert "Review cycle: 2025-09 to 2026-09" in page
    for pid in truth.still_dormant:
        name = _csv(changes, "exit_candidates.csv").set_index("partner_id").loc[pid, "partner_name"]
        assert name in page
    manifest = json.loads((changes / "manifest.json").read_text())
    assert manifest["compared"] == PHASES
    assert manifest["not_compared"]["ecosystem_reporting"] == "delivered now only"
    assert "Partner SWOT: delivered now only, so it is not compared." in page


def test_run_since_keeps_last_years_yardstick_and_compares(last_year, tmp_path, truth):
    out = tmp_path / "nw2026"
    shutil.copytree(THIS_YEAR, tmp_path / "engagement")
    proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(tmp_path / "engagement" / "engagement.yml"),
                           "--phase", "portfolio_health", "--output-dir", str(out), "--format", "html",
                           "--since", str(last_year)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    segments = _csv(working_dir(out, "portfolio_health"), "segments.csv").set_index("partner_id")
    assert set(segments["reference_from"]) == {"previous review"}
    kept = [p for p in segments.index if p not in truth.segment_changes and p not in truth.added]
    assert (segments.loc[kept, "change"] == "same").all()
    assert set(segments.index[segments["change"] == "new since last review"]) == set(truth.added)
    assert (out / "changes" / "report.html").is_file()
    assert "compared 2025-09 with 2026-09" in proc.stdout


def test_run_since_a_delivery_of_another_client_runs_nothing(last_year, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(last_year, other)
    for manifest in other.glob("working/*/manifest.json"):
        data = json.loads(manifest.read_text())
        data["client"] = "Contoso"
        manifest.write_text(json.dumps(data))
    proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(THIS_YEAR / "engagement.yml"),
                           "--phase", "portfolio_health", "--output-dir", str(tmp_path / "out"), "--since", str(other)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert "'Contoso'" in proc.stderr and "'Northwind Systems'" in proc.stderr
    assert not (tmp_path / "out").exists()
