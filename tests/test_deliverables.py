"""Atomic delivery and the output lock."""

import pytest

from alliancekit.deliverables import RunLocked, clear_staging, commit, new_staging, output_lock


def test_commit_replaces_files_and_drops_stale_ones(tmp_path):
    final = tmp_path / "out" / "phase"
    final.mkdir(parents=True)
    (final / "report.html").write_text("old")
    (final / "stale.csv").write_text("old")
    staging = new_staging(tmp_path / "out", "phase")
    (staging / "report.html").write_text("new")
    (staging / "partners").mkdir()
    (staging / "partners" / "P1.html").write_text("p1")
    (staging / "manifest.json").write_text("{}")
    commit(staging, final)
    assert (final / "report.html").read_text() == "new"
    assert (final / "partners" / "P1.html").read_text() == "p1"
    assert not (final / "stale.csv").exists() and not staging.exists()


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
