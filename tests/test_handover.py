"""The runner validates inputs once and hands them to the kernels; the scheduler starts awaited phases first."""

from __future__ import annotations

import pandas as pd
import pytest

from alliancekit.engagement import load_engagement
from alliancekit.handover import read_validated, write_validated
from alliancekit.layout import STAGING, working_dir
from alliancekit.phases import PHASES
from alliancekit.runner import PlannedPhase, _notes_of, _ready, preflight
from alliancekit.session import start_phase


def test_kernel_reads_the_handed_over_tables_not_the_files(tiny, tmp_path):
    tables, notes = preflight(load_engagement(tiny))[2:]
    # mark the handed-over table: a kernel that re-read the CSV would not see the marker
    tables["partners"] = tables["partners"].assign(partner_name=lambda f: f["partner_name"] + " (handed over)")
    folder = write_validated(tables, {**notes, "partners": ["a note about partners.csv"]}, tmp_path / "validated")
    ctx = start_phase("portfolio_health", {"engagement": str(tiny), "validated_inputs": str(folder)})
    assert ctx.inputs["partners"]["partner_name"].str.endswith("(handed over)").all()
    assert set(ctx.inputs) == {"partners", "partner_metrics", "opportunities"}
    pd.testing.assert_frame_equal(ctx.inputs["partner_metrics"], tables["partner_metrics"])
    assert ctx.notes == ["a note about partners.csv"]


def test_without_a_hand_over_the_kernel_validates_the_files(tiny):
    ctx = start_phase("portfolio_health", {"engagement": str(tiny)})
    assert not ctx.inputs["partners"]["partner_name"].str.endswith("(handed over)").any()
    assert len(ctx.inputs["partner_metrics"]) == 36


def test_round_trip_keeps_types_and_reads_only_what_is_asked(tiny, tmp_path):
    tables, notes = preflight(load_engagement(tiny))[2:]
    folder = write_validated(tables, notes, tmp_path / "v")
    back, _ = read_validated(folder, ["opportunities"])
    assert list(back) == ["partners", "opportunities"]  # partners always comes along, for references
    pd.testing.assert_frame_equal(back["opportunities"], tables["opportunities"])
    assert str(back["opportunities"]["won"].dtype) == "boolean"


@pytest.mark.slow  # a kernel runs the phase
def test_run_removes_the_hand_over_folder(tiny, tmp_path, cli):
    code, _, err = cli("run", tiny, "--output-dir", tmp_path / "out", "--format", "html", "--jobs", "1")
    assert code == 0, err
    assert (working_dir(tmp_path / "out", "portfolio_health") / "segments.csv").is_file()
    assert not (tmp_path / "out" / STAGING / "validated").exists()


def test_manifest_notes_are_those_of_the_phase_inputs():
    notes = {"partners": ["p"], "interviews": ["i"], "partner_metrics": ["m"], "staff": ["s"]}
    assert _notes_of("portfolio_health", notes) == ("p", "m")
    assert set(_notes_of("partner_swot", notes)) == {"p", "i", "s"}


def test_phases_that_others_await_start_first():
    planned = [PlannedPhase(name, PHASES[name].defaults(), {}) for name in
               ("strategy_assessment", "metric_design", "partner_swot", "portfolio_health", "ecosystem_reporting")]
    first = [p.name for p in _ready(planned, done=set(), started=set())]
    assert first[:2] == ["metric_design", "portfolio_health"]  # ecosystem_reporting waits for both
    assert first[2:] == ["strategy_assessment", "partner_swot"]  # then plan order
    started = {"strategy_assessment", "metric_design", "portfolio_health"}
    assert [p.name for p in _ready(planned, done={"metric_design"}, started=started)] == ["partner_swot"]
    later = _ready(planned, done={"metric_design", "portfolio_health"}, started=started)
    assert [p.name for p in later] == ["ecosystem_reporting", "partner_swot"]  # the waiting phase goes first


def test_a_phase_waits_for_the_phases_it_uses_when_they_run_too():
    """ecosystem_reporting shows relationship health when it exists: in a run that makes it, it
    starts once relationship_health is over (delivered, or failed: then it computes it itself)."""
    planned = [PlannedPhase(name, PHASES[name].defaults(), {}) for name in
               ("metric_design", "portfolio_health", "ecosystem_reporting", "relationship_health")]
    started = {"metric_design", "portfolio_health", "relationship_health"}
    base = {"metric_design", "portfolio_health"}
    assert _ready(planned, done=base, started=started) == []
    assert [p.name for p in _ready(planned, done=base | {"relationship_health"}, started=started)] == ["ecosystem_reporting"]
    assert [p.name for p in _ready(planned, done=base, started=started, failed={"relationship_health"})] == \
        ["ecosystem_reporting"]
    alone = [p for p in planned if p.name != "relationship_health"]
    assert "ecosystem_reporting" in [p.name for p in _ready(alone, done=base, started=base)]  # not in the run: no wait
