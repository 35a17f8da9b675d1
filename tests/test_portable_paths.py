"""Engagement folders and file names with spaces and non-ASCII characters work end to end.

Consultants name folders after clients (``Clïent Österreich 2026``) and keep the files their
clients sent (``Partner Liste.csv``): scaffolding, validation, a run and both report formats
must not depend on paths being plain ASCII without spaces.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliancekit.layout import client_dir, working_dir
from alliancekit.paths import SAMPLE_ENGAGEMENT

KIT = [sys.executable, "-m", "alliancekit.cli"]


def kit(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KIT, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          timeout=600, cwd=cwd)


@pytest.mark.slow
def test_engagement_in_a_folder_with_spaces_and_accents(tmp_path):
    engagement = tmp_path / "Clïent Österreich 2026"
    scaffolded = kit("new", engagement, "--client", "Clïent Österreich GmbH")
    assert scaffolded.returncode == 0, scaffolded.stderr
    for src in (SAMPLE_ENGAGEMENT / "data").glob("*.csv"):  # the sample's data in the client's folder
        shutil.copyfile(src, engagement / "data" / src.name)
    (engagement / "data" / "partners.csv").rename(engagement / "data" / "Partner Liste.csv")
    yml = engagement / "engagement.yml"
    text = yml.read_text(encoding="utf-8")
    assert "data/partners.csv" in text
    yml.write_text(text.replace("data/partners.csv", "data/Partner Liste.csv"), encoding="utf-8")

    validated = kit("validate", yml)
    assert validated.returncode == 0, validated.stderr
    assert "Partner Liste.csv" in validated.stdout and "OK:" in validated.stdout

    out = tmp_path / "Ergebnisse für Österreich"
    ran = kit("run", yml, "--phase", "portfolio_health", "--output-dir", out)
    assert ran.returncode == 0, ran.stderr
    phase, working = client_dir(out, "portfolio_health"), working_dir(out, "portfolio_health")
    for name in ("report.html", "report.pdf"):
        assert (phase / name).is_file(), name
    for name in ("segments.csv", "manifest.json"):
        assert (working / name).is_file(), name
    page = (phase / "report.html").read_text(encoding="utf-8")
    assert "Clïent Österreich GmbH" in page
    manifest = json.loads((working / "manifest.json").read_text(encoding="utf-8"))
    assert "partners" in manifest["inputs"]


def test_engagement_run_from_its_own_folder_by_relative_path(tmp_path):
    """``cd "Clïent Österreich 2026" && alliancekit run engagement.yml``: relative paths with accents."""
    engagement = tmp_path / "Clïent Österreich 2026"
    scaffolded = kit("new", engagement, "--client", "Clïent Österreich GmbH")
    assert scaffolded.returncode == 0, scaffolded.stderr
    validated = kit("validate", "engagement.yml", cwd=engagement)
    assert validated.returncode == 0, validated.stderr
