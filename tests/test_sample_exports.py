"""The sample engagement as the client exports it (data_samples/northwind-exports/): generated,
shaped like real exports, and the kit's mappings bring it back to exactly the clean sample's
inputs, so every phase delivers the same results from either."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from alliancekit.engagement import load_engagement
from alliancekit.layout import client_dir, working_dir
from alliancekit.paths import SAMPLE_ENGAGEMENT
from alliancekit.phases import PHASES
from alliancekit.sample import CLIENT_PARTNER_TYPES, SAMPLE_PHASES, write_exports_engagement
from alliancekit.validation import load_inputs

EXPORTS_ENGAGEMENT = SAMPLE_ENGAGEMENT.parent / "northwind-exports"
#: Zip packages (workbooks, Word documents): compared by their members, see :func:`same_file`.
PACKAGES = (".xlsx", ".docx")
#: Each input's id columns: rows are compared after sorting by them.
KEYS = {"partners": ["partner_id"], "partner_metrics": ["partner_id", "month"], "opportunities": ["opportunity_id"],
        "interviews": ["interview_id"], "maturity_survey": ["respondent_id", "question_id"], "staff": ["staff_id"],
        "hiring_scores": ["candidate_id", "interviewer", "competency"], "candidates": ["candidate_id"],
        "health_survey": ["respondent_id", "wave", "statement_id"],
        "macro": ["region", "year"]}
#: Columns the intake adds to say where a row came from in the client's file (not data).
SOURCE_COLUMNS = {"interviews": ["source_file"], "maturity_survey": ["source_row", "source_column"]}


def read_dir(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def same_file(name: str, a: bytes, b: bytes) -> bool:
    """Same bytes; a workbook or Word document may instead have the same members in the same order
    with the same contents: deflate's output depends on the zlib build (zlib, zlib-ng), so the
    committed package is byte-identical to the generator's only where it was written."""
    return a == b or (name.endswith(PACKAGES) and members(a) == members(b))


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects with None for missing: the CSV reader gives pandas' string
    dtype, the document and wide-survey intake plain objects; the values are what is compared."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.StringDtype) or out[column].dtype == object:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


@pytest.fixture(scope="module")
def both_inputs():
    """Every input of the clean sample and of the exports sample, as validated (tables, notes)."""
    out = {}
    for root in (SAMPLE_ENGAGEMENT, EXPORTS_ENGAGEMENT):
        engagement = load_engagement(root / "engagement.yml")
        out[root.name] = load_inputs(engagement, list(engagement.data))
    return out[SAMPLE_ENGAGEMENT.name], out[EXPORTS_ENGAGEMENT.name]


# ---------------------------------------------------------------------------------- generated

def test_committed_exports_equal_the_generators_output(tmp_path):
    """data_samples/northwind-exports is generated, never edited by hand: `make sample` rewrites it."""
    write_exports_engagement(tmp_path)
    generated, committed = read_dir(tmp_path), read_dir(EXPORTS_ENGAGEMENT)
    assert sorted(generated) == sorted(committed)
    for name, data in generated.items():
        assert same_file(name, data, committed[name]), name


def test_same_arguments_same_bytes(tmp_path):
    """Workbooks and documents carry fixed properties and zip time stamps: a second write a
    second later (another time stamp, were it taken from the clock) gives the same bytes."""
    write_exports_engagement(tmp_path / "a")
    time.sleep(1.1)
    write_exports_engagement(tmp_path / "b")
    assert read_dir(tmp_path / "a") == read_dir(tmp_path / "b")
    packages = [p for p in (tmp_path / "a").rglob("*") if p.suffix in PACKAGES]
    for path in packages:
        with zipfile.ZipFile(path) as package:
            assert {info.date_time for info in package.infolist()} == {(2026, 10, 1, 7, 0, 0)}, path.name
            core = package.read("docProps/core.xml").decode()
        assert "2026-10-01T07:00:00Z" in core and "<dcterms:modified" in core, path.name


def test_the_exports_look_exported():
    """What makes them client exports: title rows, names, $ amounts, US dates, labels, documents."""
    from openpyxl import load_workbook

    files = read_dir(EXPORTS_ENGAGEMENT)
    assert {n.rsplit(".", 1)[-1] for n in files if n.startswith("interviews/")} == {"docx", "txt"}
    spec = yaml.safe_load(files["engagement.yml"])
    assert spec["engagement"] == "northwind-2026-exports" and list(spec["phases"]) == list(SAMPLE_PHASES)
    mapping = spec["data"]["opportunities"]
    sheet = load_workbook(EXPORTS_ENGAGEMENT / mapping["path"])[mapping["sheet"]]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[mapping["header_row"] - 1]
    assert header[:3] == ("Opportunity ID", "Partner Accounts", "Amount") and rows[0][0]
    deals = pd.DataFrame(rows[mapping["header_row"]:], columns=header)
    assert deals["Amount"].str.fullmatch(r"\$\d{1,3}(,\d{3})*\.\d{2}").all()
    assert deals["Partner Accounts"].str.contains(", ", regex=False).any()
    assert {"Closed Won", "Closed Lost", "Qualify"} <= set(deals["Stage"])
    created = deals["Created Date"]
    assert created.map(lambda v: hasattr(v, "year")).any()  # Excel date cells
    assert created.astype(str).str.fullmatch(r"\d{2}/\d{2}/\d{4}").any()  # and text, as US dates
    survey = pd.read_csv(EXPORTS_ENGAGEMENT / spec["data"]["maturity_survey"]["path"], dtype=str)
    assert {"Timestamp", "Email Address"} <= set(survey.columns)
    assert any(c.endswith("]") and " [" in c for c in survey.columns)  # Google grid questions
    answers = set(survey.iloc[:, 4:].stack())
    assert "Not applicable" in answers and "Optimised" in answers  # the questionnaire's own scale labels
    text = (EXPORTS_ENGAGEMENT / "interviews" / "INT-01.txt").read_text(encoding="utf-8")
    assert text.startswith("Partner: ") and "\nRespondent: " in text and "\nDate: " in text


# ---------------------------------------------------------------------------------- same data

def test_every_input_equals_the_clean_samples(both_inputs):
    """Read through the mappings, every input is the clean sample's: same rows, same values."""
    (clean, clean_notes), (exported, notes) = both_inputs
    assert set(exported) == set(clean) == set(KEYS)
    assert clean_notes == []
    assert any("read as GSI" in note for note in notes)  # the partner directory's own type names
    for name, key in KEYS.items():
        mine = exported[name].drop(columns=SOURCE_COLUMNS.get(name, []))
        if name == "maturity_survey":  # 'Not applicable' is a row without a score; the kit's file leaves the row out
            assert mine["score"].isna().sum() == 3
            mine = mine[mine["score"].notna()]
        assert list(mine.columns) == list(clean[name].columns), name
        left = plain(clean[name].sort_values(key).reset_index(drop=True))
        right = plain(mine.sort_values(key).reset_index(drop=True))
        pd.testing.assert_frame_equal(left, right, obj=name)
    assert exported["interviews"]["text"].tolist() == clean["interviews"]["text"].tolist()


# ---------------------------------------------------------------------------------- same results

def result_files(root: Path) -> dict[str, Path]:
    """Every result table (CSV, YAML) each phase declares, by ``<phase>/<file>`` (in the working folder)."""
    return {f"{p.name}/{r}": working_dir(root, p.name) / r for p in PHASES.values() for r in p.results
            if r.endswith((".csv", ".yml")) and working_dir(root, p.name).is_dir()}


@pytest.mark.slow
def test_every_phase_delivers_the_same_results_from_the_exports(sample_delivery, tmp_path):
    """Both engagements through `alliancekit run`: every result table byte for byte the same.

    The clean sample's delivery is the run the other slow tests read (tests/conftest.py); the
    exports run renders HTML only, without partner scorecard PDFs (results do not depend on it).
    """
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", EXPORTS_ENGAGEMENT / "engagement.yml",
                           "--output-dir", out, "--format", "html", "-p", "ecosystem_reporting.pdf=false"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    clean, exported = result_files(sample_delivery), result_files(out)
    assert sorted(exported) == sorted(clean) and len(clean) == sum(
        r.endswith((".csv", ".yml")) for p in PHASES.values() if p.name in SAMPLE_PHASES for r in p.results)
    different = [name for name, path in clean.items() if path.read_bytes() != exported[name].read_bytes()]
    assert different == []
    workbook = "executive_tables.xlsx"  # a workbook: its sheets' cells, not its bytes
    sheets = [pd.read_excel(client_dir(root, "ecosystem_reporting") / workbook, sheet_name=None)
              for root in (sample_delivery, out)]
    assert list(sheets[0]) == list(sheets[1])
    # the exports speak the client's words (its partner types, its tier order): the same figures
    kit_words = {client: kit for kit, client in CLIENT_PARTNER_TYPES.items()}
    assert any(sheet.isin(["Systems Integrator"]).any().any() for sheet in sheets[1].values())
    for name in sheets[0]:
        pd.testing.assert_frame_equal(same_order(sheets[0][name]), same_order(sheets[1][name].replace(kit_words)),
                                      obj=name)


def same_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by their first column (a table by tier is in the client's tier order in one run)."""
    return frame.sort_values(frame.columns[0], key=lambda s: s.astype(str), kind="stable", ignore_index=True)
