"""Atomic delivery (client deliverables apart from working files), the output lock, byte-stable Office files."""

import io
import json
import os
from pathlib import Path
from unittest.mock import patch

import pytest

from alliancekit.deliverables import RunLocked, clear_staging, commit, new_staging, output_lock
from alliancekit.layout import (LOCK, MANIFEST, NOTEBOOK, STAGING, WORKING, client_dir, destination, is_client_file,
                                working_dir)
from alliancekit.manifest import sha256
from alliancekit.phases import PHASES


def _stage(out, phase, files):
    staging = new_staging(out, phase)
    for rel, text in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text)
    return staging


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_commit_puts_client_files_and_working_files_apart_and_drops_stale_ones(tmp_path):
    out = tmp_path / "out"
    client, working = client_dir(out, "ecosystem_reporting"), working_dir(out, "ecosystem_reporting")
    for folder, name in ((client, "report.html"), (client, "partners/P9.html"), (working, "stale.csv")):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("old")
    staging = _stage(out, "ecosystem_reporting", {
        "report.html": "new", "report.pdf": "pdf", "tables.xlsx": "x", "executive_tables.xlsx": "e",
        "partners/P1.html": "p1", "partners/P1.pdf": "p1", "executed.ipynb": "nb", "partner_status.csv": "s",
        MANIFEST: "{}"})
    moved, replace = [], os.replace
    with patch("alliancekit.deliverables.os.replace", side_effect=lambda a, b: (moved.append(Path(b)), replace(a, b))):
        commit(staging, out, "ecosystem_reporting")
    assert moved[-1] == working / MANIFEST  # the manifest last: a delivery with a manifest is complete
    assert _tree(client) == {"executive_tables.xlsx": "e", "partners/P1.html": "p1", "partners/P1.pdf": "p1",
                             "report.html": "new", "report.pdf": "pdf", "tables.xlsx": "x"}
    assert _tree(working) == {"executed.ipynb": "nb", MANIFEST: "{}", "partner_status.csv": "s"}
    assert not staging.exists()
    assert sorted(p.name for p in out.iterdir()) == [STAGING, "ecosystem_reporting", WORKING]


def test_commit_over_the_earlier_layout_leaves_client_files_only_in_the_phase_folder(tmp_path):
    """A folder delivered before the working files had a folder of their own: notebook, results and
    manifest beside the reports. The new delivery moves them out; nothing old stays mixed in."""
    out = tmp_path / "out"
    old = client_dir(out, "portfolio_health")
    old.mkdir(parents=True)
    for name in ("report.html", "report.pdf", "tables.xlsx", "segments.csv", "executed.ipynb", MANIFEST):
        (old / name).write_text("old")
    staging = _stage(out, "portfolio_health", {"report.html": "new", "tables.xlsx": "x", "segments.csv": "s",
                                                "executed.ipynb": "nb", MANIFEST: "{}"})
    commit(staging, out, "portfolio_health")
    assert _tree(old) == {"report.html": "new", "tables.xlsx": "x"}  # report.pdf: not in this delivery
    assert _tree(working_dir(out, "portfolio_health")) == {"executed.ipynb": "nb", MANIFEST: "{}", "segments.csv": "s"}


def test_layout_names_each_file_once():
    assert WORKING not in PHASES  # no phase's client folder can be the working folder
    assert str(destination("portfolio_health", "segments.csv")) == "working/portfolio_health/segments.csv"
    assert str(destination("portfolio_health", NOTEBOOK)) == "working/portfolio_health/executed.ipynb"
    assert str(destination("portfolio_health", "deck.pptx")) == "portfolio_health/deck.pptx"
    assert str(destination("ecosystem_reporting", "partners/007.pdf")) == "ecosystem_reporting/partners/007.pdf"
    assert str(destination("metric_design", "scorecard.yml")) == "working/metric_design/scorecard.yml"
    for phase in PHASES.values():  # result files later phases read are working files
        for result in phase.results:
            assert is_client_file(result) == result.endswith(".xlsx"), result


def test_office_files_are_byte_stable(tmp_path):
    import zipfile
    from datetime import date

    from alliancekit.deliverables import stable_zip

    def office(stamp):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=stamp), "<Types/>")
            z.writestr(zipfile.ZipInfo("docProps/core.xml", date_time=stamp),
                       f'<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">{stamp[0]}-05-01T10:00:00Z'
                       f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp[0]}-05-01T10:00:0'
                       f'{stamp[5] % 10}Z</dcterms:modified></cp:coreProperties>')
        return buffer.getvalue()

    first, second = office((2024, 5, 1, 10, 0, 0)), office((2025, 6, 2, 11, 30, 8))
    assert first != second
    assert stable_zip(first) == stable_zip(second)
    assert stable_zip(first, date(2026, 3, 31)) == stable_zip(second, date(2026, 3, 31)) != stable_zip(first)
    with zipfile.ZipFile(io.BytesIO(stable_zip(first, date(2026, 3, 31)))) as z:
        assert [i.filename for i in z.infolist()] == ["[Content_Types].xml", "docProps/core.xml"]
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 31, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2026-03-31T00:00:00Z") == 2 and "2024" not in core


@pytest.mark.slow  # a kernel runs the phase
def test_a_run_over_the_earlier_layout_hands_over_a_clean_folder(tiny, tmp_path, cli):
    out = tmp_path / "out"
    old = client_dir(out, "portfolio_health")
    old.mkdir(parents=True)
    for name in ("report.html", "segments.csv", "executed.ipynb", MANIFEST):  # as runs before wrote them
        (old / name).write_text("old")
    code, _, err = cli("run", tiny, "--output-dir", out, "--format", "html", "--jobs", "1")
    assert code == 0, err
    assert sorted(p.name for p in old.iterdir()) == ["report.html", "tables.xlsx"]
    working = working_dir(out, "portfolio_health")
    assert sorted(p.name for p in working.iterdir()) == ["executed.ipynb", MANIFEST, "segments.csv"]
    assert sorted(p.name for p in out.iterdir()) == [LOCK, "portfolio_health", WORKING]  # no staging left
    manifest = json.loads((working / MANIFEST).read_text())
    assert manifest["deliverables"] == {f"portfolio_health/{n}": sha256(old / n) for n in ("report.html", "tables.xlsx")}
    assert manifest["working_files"] == {f"working/portfolio_health/{n}": sha256(working / n)
                                         for n in ("executed.ipynb", "segments.csv")}
    assert str(tmp_path) not in json.dumps(manifest)
    assert manifest["reproduce"].startswith("alliancekit run engagement.yml --phase portfolio_health --output-dir out ")


def test_staging_leftovers_of_killed_runs_are_cleared(tmp_path):
    first = new_staging(tmp_path, "phase")
    (first / "half-written.pdf").write_text("x")
    other = new_staging(tmp_path, "other_phase")
    assert first.is_dir() and other.is_dir()  # phases of one run stage side by side
    assert not any(new_staging(tmp_path, "phase").iterdir())
    clear_staging(tmp_path)
    assert not other.exists()


def test_second_run_on_same_folder_is_refused(tmp_path):
    with output_lock(tmp_path):
        with pytest.raises(RunLocked, match="another run is writing to"):
            with output_lock(tmp_path):
                pass
    with output_lock(tmp_path):  # released
        pass


def test_formula_like_text_is_neutralised_but_numbers_are_not():
    import pandas as pd

    from alliancekit.deliverables import neutralise_formulas

    frame = pd.DataFrame({"partner_name": ['=HYPERLINK("http://x","click")', "Acme", "-Dash Co", "@home"],
                          "growth": [-0.5, 0.1, 0.2, 0.3]})
    safe = neutralise_formulas(frame)
    assert list(safe["partner_name"]) == ['\'=HYPERLINK("http://x","click")', "Acme", "'-Dash Co", "'@home"]
    assert list(safe["growth"]) == [-0.5, 0.1, 0.2, 0.3]


def test_refusal_names_the_holder_of_another_process(tmp_path):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from alliancekit.deliverables import output_lock\n"
         "with output_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLocked, match=rf"another run is writing to .*\(pid {holder.pid}, started "):
            with output_lock(tmp_path):
                pass
        assert holder.poll() is None  # refused while the lock was held, not taken after waiting for it
    finally:
        holder.kill()
        holder.wait()
    with output_lock(tmp_path):  # a killed holder's lock is released by the operating system
        pass
