"""The partner SWOT phase run as a user runs it (the CLI in a subprocess, in the sample engagement's
run that other tests read too): no planted identity reaches any deliverable, all four quadrants are
found, and the result files keep their contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from alliancekit.layout import client_dir, working_dir
from alliancekit.sample import generate_tables

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def swot_run(sample_delivery) -> tuple[Path, object]:
    """The output folder of the committed sample engagement's run (partner_swot's HTML and PDF), and what
    was planted in it (the sample is the generator's default output: test_sample checks it)."""
    return sample_delivery, generate_tables()[1]


def _deliverable_texts(out: Path) -> dict[str, str]:
    """Every file of partner_swot's delivery as text: the client's files and the working files."""
    client, working = client_dir(out, "partner_swot"), working_dir(out, "partner_swot")
    texts = {name: (working / name).read_text(encoding="utf-8")
             for name in ("statements.csv", "themes.csv", "issue_log.csv", "executed.ipynb", "manifest.json")}
    texts["report.html"] = (client / "report.html").read_text(encoding="utf-8")
    texts["report.pdf"] = "\n".join(page.extract_text() for page in PdfReader(client / "report.pdf").pages)
    return texts


def test_no_planted_identity_appears_in_any_deliverable(swot_run):
    out, truth = swot_run
    planted = [s for values in truth.interview_identities.values() for s in values]
    parts = {w for values in truth.interview_identities.values() for s in values[:2] for w in s.split() if len(w) >= 3}
    for name, text in _deliverable_texts(out).items():
        assert not [s for s in planted if s in text], name
        assert not [p for p in parts if re.search(rf"\b{re.escape(p)}\b", text)], name


def test_statements_and_themes_keep_their_contract_and_cover_all_four_quadrants(swot_run):
    folder = working_dir(swot_run[0], "partner_swot")
    statements = pd.read_csv(folder / "statements.csv")
    assert list(statements.columns[:5]) == ["statement_id", "interview_id", "quadrant", "theme", "text"]
    assert set(statements["quadrant"]) == {"strength", "weakness", "opportunity", "threat"}
    assert statements["statement_id"].is_unique and statements["theme"].notna().all()
    themes = pd.read_csv(folder / "themes.csv")
    assert {"theme", "quadrant", "respondents", "partners", "share"} <= set(themes.columns)
    assert set(themes["theme"]) == set(statements["theme"])


def test_report_reads_as_a_deliverable(swot_run):
    folder, working = client_dir(swot_run[0], "partner_swot"), working_dir(swot_run[0], "partner_swot")
    page = (folder / "report.html").read_text()
    for leak in ("start_phase", "import ", "NBVAL", "Traceback", "<script"):
        assert leak not in page, leak
    for heading in ("The SWOT at a glance", "Issue log", "Appendix"):
        assert heading in page
    assert "macro-F1" in page and len(PdfReader(folder / "report.pdf").pages) >= 6
    assert json.loads((working / "manifest.json").read_text())["parameters"]["min_respondents_per_theme"] == 3
