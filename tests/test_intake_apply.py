"""A client's table in the kit's shape: numbers, dates, values, won from stage, the client's cells named."""

import pandas as pd
import pytest

from alliancekit.intake.apply import apply_mapping, normalise_dates, normalise_numbers
from alliancekit.intake.mapping import DataMapping
from alliancekit.validation import check_table


@pytest.mark.parametrize("decimal, written, read", [
    (".", "$1,234.50", "1234.50"), (".", "$1,001,700.00", "1001700.00"), (",", "2.001.700,5", "2001700.5"), (".", "(1,234)", "-1234"), (".", "1,00,000", "100000"), (".", "€ 1 234", "1234"),
    (".", "1.234,50", "1.234,50"), (".", "1,5", "1,5"), (".", "n/a", "n/a"),  # not read: the schema refuses them
    (",", "1.234,50", "1234.50"), (",", "1 234,5", "1234.5"), (",", "160,000.00", "160,000.00"),
])
def test_numbers_are_read_only_when_their_separators_agree_with_the_decimal_mark(decimal, written, read):
    assert normalise_numbers(pd.Series([written]), decimal).tolist() == [read]


def test_dates_are_iso_or_in_the_given_format_never_guessed():
    values = pd.Series(["2026-03-04", "03/14/2026", "03/04/2026", None, "2026-03"])
    shown, bad = normalise_dates(values, "date", "%m/%d/%Y")
    assert shown.tolist() == ["2026-03-04", "2026-03-14", "2026-03-04", None, "2026-03"]  # a month is left for the
    assert not bad.any()                                                                   # schema to refuse as a date
    shown, bad = normalise_dates(values, "date", None)  # no format: only ISO
    assert bad.tolist() == [False, True, True, False, False]
    months, bad = normalise_dates(pd.Series(["2025-04-01", "2025-04"]), "month", None)  # Excel writes a month as a date
    assert months.tolist() == ["2025-04", "2025-04"] and not bad.any()


def test_a_crm_report_becomes_the_kits_opportunities_and_problems_name_the_clients_cells():
    client = pd.DataFrame({
        "Opportunity ID": ["O1", "O2", "O3", "O4"], "Deal Stage": ["Closed Won", "closed lost", "Negotiation", "Won"],
        "Amount": ["$1,000.00", "$2,500.00", None, "$300.00"], "Created": ["01/05/2026", "01/07/2026", None, "13/01/2026"],
        "Closed": ["02/01/2026", "03/01/2026", None, "02/02/2026"], "Partners": ["P1, P2", None, "P3", "P1"],
        "Role": ["Sourced", None, "Co-Sell", "sourced"],
    })
    mapping = DataMapping(path="x.csv", header_row=3, date_format="%m/%d/%Y", separator=",",
                          columns={"opportunity_id": "Opportunity ID", "stage": "Deal Stage", "amount": "Amount",
                                   "created": "Created", "closed": "Closed", "partner_ids": "Partners",
                                   "attribution": "Role"},
                          values={"attribution": {"Co-Sell": "influenced"}},
                          outcomes={"won": ["Closed Won", "Won"], "lost": ["Closed Lost"]})
    kit, problems, _ = apply_mapping("opportunities", client, mapping, "x.csv")
    kit = kit.astype(object).where(kit.notna(), None)  # missing shown as None, however pandas stored it
    assert list(kit.columns[:8]) == ["opportunity_id", "partner_ids", "amount", "stage", "created", "closed", "won",
                                     "attribution"]
    assert kit["won"].tolist() == ["true", "false", None, "true"]
    assert kit["partner_ids"].tolist() == ["P1;P2", None, "P3", "P1"]
    assert kit["amount"].tolist() == ["1000.00", "2500.00", None, "300.00"]
    assert kit["attribution"].tolist() == ["Sourced", None, "influenced", "sourced"]
    assert [str(p) for p in problems] == [
        "x.csv, column 'Created', row 7: '13/01/2026' does not match date_format \"%m/%d/%Y\" (the file's dates must "
        "all be written one way; Excel date cells are read whatever the format)"]
    typed, problems, notes = check_table("opportunities", kit, "x.csv")
    assert typed["attribution"].tolist()[:3] == ["sourced", None, "influenced"]  # case and synonyms read
