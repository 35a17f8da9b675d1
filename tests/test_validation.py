"""Input validation: each bad input is named with file, column, row and what was expected."""

import pandas as pd
import pytest

from alliancekit.engagement import load_engagement
from alliancekit.errors import InputError
from alliancekit.validation import load_inputs

from conftest import METRICS, OPPORTUNITIES, PARTNERS, write_engagement

NAMES = ["partners", "partner_metrics", "opportunities"]


def problems_for(tmp_path, **files) -> str:
    eng = load_engagement(write_engagement(tmp_path, files))
    with pytest.raises(InputError) as err:
        load_inputs(eng, NAMES)
    return str(err.value)


def test_valid_inputs_are_typed(tiny):
    tables, notes = load_inputs(load_engagement(tiny), NAMES)
    assert notes == []
    metrics = tables["partner_metrics"]
    assert metrics["revenue"].dtype == float and metrics["deal_registrations"].dtype == float
    opps = tables["opportunities"]
    assert str(opps["won"].dtype) == "boolean" and pd.isna(opps.loc[2, "won"])
    assert opps["created"].dtype.kind == "M"


@pytest.mark.parametrize("name, text, words", [
    ("partners", PARTNERS.replace("partner_type,", ""), "partners.csv: required column 'partner_type' is missing"),
    ("partners", PARTNERS.replace("P3,", "P1,"), "partners.csv, column 'partner_id', row 4: duplicate value 'P1'"),
    ("partners", PARTNERS.replace("cloud", "platform vendor"), "column 'partner_type', row 4: got 'platform vendor' (expected one of ISV"),
    ("partner_metrics", METRICS.replace("P1,2025-03", "P1,2025-3"), "column 'month', row 4: got '2025-3' (expected a month as YYYY-MM"),
    ("partner_metrics", METRICS.replace("P2,2025-01,2010", "P2,2025-01,12k"), "column 'revenue', row 14: got '12k' (expected a number)"),
    ("partner_metrics", METRICS.replace("P1,2025-01,1010,1", "P1,2025-01,1010,n/a"), "column 'deal_registrations', row 2: got 'n/a'"),
    ("partner_metrics", METRICS + "P9,2025-01,5,1\n", "unknown partner 'P9' (not in partners.csv)"),
    ("partner_metrics", METRICS + "P1,2025-01,5,1\n", "duplicate partner_id + month ('P1', '2025-01')"),
    ("opportunities", OPPORTUNITIES.replace("O3,P3", "O3,P3;P7"), "column 'partner_ids', row 4: unknown partner 'P7'"),
    ("opportunities", OPPORTUNITIES.replace("2025-06-01", "01/06/2025"), "column 'created', row 4: got '01/06/2025' (expected a date as YYYY-MM-DD"),
    ("partners", "", "partners.csv: the file is empty"),
    ("partners", "partner_id,partner_name,partner_type,tier,region\n", "partners.csv: the file has a header but no data rows"),
])
def test_bad_input_is_named(tmp_path, name, text, words):
    assert words in problems_for(tmp_path, **{name: text})


def test_every_problem_in_every_file_at_once(tmp_path):
    text = problems_for(tmp_path, partners=PARTNERS.replace("P3,", "P1,"),
                        partner_metrics=METRICS.replace("P1,2025-03", "P1,2025-3"))
    assert "duplicate value 'P1'" in text and "got '2025-3'" in text


def test_many_bad_rows_are_summarised(tmp_path):
    bad = METRICS.replace(",2025-", ",25-")
    text = problems_for(tmp_path, partner_metrics=bad)
    assert "... and 31 more rows with the same problem" in text
    assert text.count("expected a month") == 5


def test_cp1252_file_is_decoded_with_a_note(tmp_path):
    latin = PARTNERS.replace("Acme Data", "Société Générale Data").encode("cp1252")
    eng = load_engagement(write_engagement(tmp_path, {"partners": latin}))
    tables, notes = load_inputs(eng, NAMES)
    assert tables["partners"].loc[0, "partner_name"] == "Société Générale Data"
    assert "read as cp1252" in notes[0]


def test_xlsx_input_and_wrong_sheet(tmp_path):
    eng_path = write_engagement(tmp_path)
    frame = pd.read_csv(tmp_path / "data" / "partners.csv", dtype=str)
    with pd.ExcelWriter(tmp_path / "data" / "book.xlsx") as book:
        frame.to_excel(book, sheet_name="Partners", index=False)
        frame.to_excel(book, sheet_name="Old", index=False)
    text = eng_path.read_text().replace("partners: data/partners.csv", "partners: {path: data/book.xlsx, sheet: Partners}")
    eng_path.write_text(text)
    tables, _ = load_inputs(load_engagement(eng_path), NAMES)
    assert list(tables["partners"]["partner_id"]) == ["P1", "P2", "P3"]
    eng_path.write_text(text.replace("sheet: Partners", "sheet: Partnrs"))
    with pytest.raises(InputError, match="no sheet named 'Partnrs'; the workbook has: Partners, Old"):
        load_inputs(load_engagement(eng_path), NAMES)
