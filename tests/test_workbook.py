"""The shared Excel writer: formats by column, README sheet, frozen header, split, safe text."""

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from alliancekit.workbook import DESCRIPTIONS, column_format, read_result, results_workbook, tables_workbook


def _book(tables, readme=None, **kw):
    return load_workbook(io.BytesIO(tables_workbook(tables, readme or {}, **kw)))


def _column(sheet, name):
    header = [c.value for c in sheet[1]]
    return [row[header.index(name)] for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def frame():
    return pd.DataFrame({
        "partner_name": ["Acme Ltd", "=HYPERLINK(\"http://x\")", "+Plus", None],
        "attainment": [0.805, 1.2, np.nan, 0.5],
        "revenue_ttm": [1234567.891, 0.0, 20.5, 300.0],
        "deals_won": [3, 14, 0, 1200],
        "revenue_growth": [0.125, -0.05, 0.3, 0.0],
        "health_score": [83.7, 12.0, 55.5, 99.9],
        "month": pd.to_datetime(["2026-01-31", "2026-02-28", None, "2026-04-30"]),
        "as_of": ["2026-03-31", "2026-03-31", "2026-03-31", None],
        "effect": [0.4595, -0.1, 0.0, 0.25],
        "leading": [True, False, True, False],
    })


def test_formats_by_column_keep_the_values(frame):
    sheet = _book({"Partners": frame})["Partners"]
    attainment = _column(sheet, "attainment")
    assert attainment[0].value == pytest.approx(0.805) and attainment[0].number_format == "0.0%"
    assert attainment[2].value is None
    assert {c.number_format for c in _column(sheet, "revenue_growth")} == {"0.0%"}
    assert _column(sheet, "revenue_ttm")[0].number_format == "#,##0"
    assert _column(sheet, "revenue_ttm")[0].value == pytest.approx(1234567.891)
    assert _column(sheet, "deals_won")[3].number_format == "#,##0"
    assert _column(sheet, "health_score")[0].number_format == "#,##0.00"  # 0-100: not a percentage
    assert _column(sheet, "effect")[0].number_format == "#,##0.00"
    month = _column(sheet, "month")
    assert month[0].number_format == "yyyy-mm-dd" and month[0].value.date().isoformat() == "2026-01-31"
    as_of = _column(sheet, "as_of")[0]  # ISO text dates become dates
    assert as_of.is_date and as_of.number_format == "yyyy-mm-dd"
    assert _column(sheet, "partner_name")[0].number_format == "@"
    assert _column(sheet, "leading")[0].value is True


@pytest.mark.parametrize("name, values, expected", [
    ("win_rate", [0.4199, 0.6], "0.0%"),
    ("Unused share", [0.25, 0.5], "0%"),  # whole percents
    ("Change %", [0.1217, -0.05], "0.0%"),
    ("attainment_pct", [80.5, 95.0], "#,##0.00"),  # already in percent: not 8050%
    ("strategy_fit", [0.4, 0.6], "#,##0.00"),  # "rate" inside a word does not count
    ("margin", [0.0, 5.0, 3.0], "#,##0"),  # a criterion score (whole numbers)
    ("pipeline_coverage", [0.28, 1.4], "#,##0.00"),  # a multiple, not money
    ("mdf_spent", [1900095.5, 10.25], "#,##0"),
    ("Won amount", [12665100, 0], "#,##0"),
    ("segment_id", [1, 2], "#,##0"),
])
def test_column_format_rules(name, values, expected):
    assert column_format(name, pd.Series(values)) == expected


def test_rows_with_a_unit_are_formatted_by_their_unit():
    status = pd.DataFrame({"kpi": ["revenue", "new_customers", "win_rate"], "unit": ["currency", "count", "share"],
                           "value": [4128184.84, 8.6667, 0.42], "target": [4858000.0, 9.1, 0.5],
                           "attainment": [0.85, 0.95, 0.84]})
    sheet = _book({"status": status})["status"]
    assert [c.number_format for c in _column(sheet, "value")] == ["#,##0", "#,##0.00", "0.0%"]
    assert [c.number_format for c in _column(sheet, "target")] == ["#,##0", "#,##0.00", "0.0%"]


def test_header_bold_frozen_filtered_and_widths(frame):
    sheet = _book({"Partners": frame})["Partners"]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.auto_filter.ref == "A1:J5"
    widths = [d.width for d in sheet.column_dimensions.values()]
    assert widths and all(10 <= w <= 60 for w in widths)


def test_readme_sheet_comes_first_and_describes_every_sheet(frame):
    book = _book({"Partners": frame, "Other": frame.head(1)}, {"Partners": "one row per partner"})
    assert book.sheetnames == ["README", "Partners", "Other"]
    rows = [[c.value for c in row] for row in book["README"].iter_rows()]
    assert rows[0] == ["sheet", "what it holds", "rows"]
    assert rows[1] == ["Partners", "one row per partner", 4]
    assert rows[2] == ["Other", "Other", 1]  # no line given: the title


def test_long_table_continues_on_next_sheets():
    long = pd.DataFrame({"n": range(25), "share": np.linspace(0, 1, 25)})
    book = _book({"Long": long}, {"Long": "numbers"}, max_rows=10)
    assert book.sheetnames == ["README", "Long", "Long (2)", "Long (3)"]
    assert [c.value for c in book["Long (3)"]["A"]] == ["n", 20, 21, 22, 23, 24]
    assert book["Long (2)"]["B2"].number_format.endswith("%")
    readme = [row[1].value for row in book["README"].iter_rows(min_row=2)]
    assert readme[0] == "numbers (rows 1 to 10 of 25, continued on the next sheet)"
    assert readme[2] == "numbers (rows 21 to 25 of 25)"


def test_formula_like_text_is_neutralised(frame):
    book = _book({"Partners": frame})
    names = [c.value for c in _column(book["Partners"], "partner_name")]
    assert names[1].startswith("'=HYPERLINK") and names[2] == "'+Plus"
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]


def test_sheet_names_sanitised_and_unique():
    tables = {"Revenue [by]: type/tier?*": pd.DataFrame({"a": [1]}), "README": pd.DataFrame({"a": [2]}),
              "x" * 40: pd.DataFrame({"a": [3]}), "X" * 40: pd.DataFrame({"a": [4]}), "": pd.DataFrame({"a": [5]})}
    names = _book(tables).sheetnames
    assert len(names) == len({n.lower() for n in names}) == 6
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[0] == "README" and names[2] == "README (2)" and names[4].endswith("(2)")


def test_empty_table_gets_a_header_only_sheet():
    sheet = _book({"Empty": pd.DataFrame({"a": [], "share": []})})["Empty"]
    assert [c.value for c in sheet[1]] == ["a", "share"] and sheet.max_row == 1


def test_results_workbook_reads_the_csvs_back(tmp_path):
    pd.DataFrame({"partner_id": ["007", "P2"], "win_rate": [0.5, 0.25], "quotable": [True, False],
                  "note": ["'=SUM(A1)", None]}).to_csv(tmp_path / "themes.csv", index=False)
    assert results_workbook(tmp_path, ["scorecard.yml"]) is None
    book = load_workbook(io.BytesIO(results_workbook(tmp_path, ["themes.csv", "scorecard.yml"])))
    assert book.sheetnames == ["README", "themes"]
    assert book["README"]["B2"].value == DESCRIPTIONS["themes.csv"]
    sheet = book["themes"]
    assert sheet["A2"].value == "007" and sheet["B2"].number_format == "0%" and sheet["C2"].value is True
    assert sheet["D2"].value == "'=SUM(A1)"  # already neutralised by the session: not twice
    frame = read_result(tmp_path / "themes.csv")
    assert frame["partner_id"].tolist() == ["007", "P2"] and frame["win_rate"].dtype == float


def test_every_result_file_has_a_description():
    from alliancekit.phases import PHASES

    csvs = {r for phase in PHASES.values() for r in phase.results if r.endswith(".csv")}
    assert csvs <= set(DESCRIPTIONS)


def test_executive_workbook_keeps_its_sheets_and_values_with_formats():
    from alliancekit.ecosystem_reporting import executive_workbook

    tiers = pd.DataFrame({"Tier": ["Gold", "Silver"], "Alliances": [15, 4], "Revenue (12 mo)": [61839593.26, 1200.5],
                          "Attainment": [0.8885765, 1.02], "Multi-partner share of won": [0.1375, 0.5]})
    book = load_workbook(io.BytesIO(executive_workbook({"Revenue by tier": tiers})))
    assert book.sheetnames == ["Revenue by tier"]  # no README sheet: the sheets are the tables
    sheet = book["Revenue by tier"]
    assert [c.value for c in sheet[2]] == ["Gold", 15, 61839593.26, 0.8885765, 0.1375]
    assert [c.number_format for c in sheet[2]] == ["@", "#,##0", "#,##0", "0.0%", "0.0%"]


def test_a_date_among_text_keeps_the_other_cells_formats():
    import datetime

    mixed = pd.DataFrame({"note": ["a", datetime.datetime(2026, 3, 31), "b"], "share": [0.1234, 0.5, 0.25]})
    sheet = _book({"Mixed": mixed})["Mixed"]
    assert sheet["A3"].is_date and sheet["A3"].number_format == "yyyy-mm-dd"
    assert sheet["A2"].number_format == sheet["A4"].number_format == "@"
    assert [c.number_format for c in _column(sheet, "share")] == ["0.0%"] * 3


def _a_day_later(monkeypatch):
    """Move the clock forward by a day and a bit (what the libraries stamp into an Office file)."""
    import datetime as real
    import time
    from types import SimpleNamespace

    shift = time.time() + 86400 + 3 * 3600 + 7

    class Later(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime.fromtimestamp(shift, tz)

    monkeypatch.setattr(time, "time", lambda: shift)  # zip entry dates
    for module in ("openpyxl.writer.excel", "openpyxl.packaging.core"):  # document properties
        monkeypatch.setattr(f"{module}.datetime", SimpleNamespace(datetime=Later, timezone=real.timezone))


def test_the_same_tables_give_the_same_bytes(frame, tmp_path, monkeypatch):
    import datetime
    import zipfile

    from alliancekit.ecosystem_reporting import executive_workbook

    frame.to_csv(tmp_path / "segments.csv", index=False)
    first = tables_workbook({"Partners": frame}, {"Partners": "one row per partner"})
    results, executive = results_workbook(tmp_path, ["segments.csv"]), executive_workbook({"Partners": frame})
    dated = tables_workbook({"Partners": frame}, None, when=datetime.date(2026, 3, 31))
    _a_day_later(monkeypatch)
    assert tables_workbook({"Partners": frame}, {"Partners": "one row per partner"}) == first
    assert results_workbook(tmp_path, ["segments.csv"]) == results
    assert executive_workbook({"Partners": frame}) == executive
    assert tables_workbook({"Partners": frame}, None, when=datetime.date(2026, 3, 31)) == dated
    with zipfile.ZipFile(io.BytesIO(dated)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 31, 0, 0, 0)}
    props = load_workbook(io.BytesIO(dated)).properties
    assert props.created == props.modified == datetime.datetime(2026, 3, 31)
