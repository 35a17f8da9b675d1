"""The engagement file: every problem found at once, with the nearest valid name."""

import textwrap

import pytest

from alliancekit.engagement import load_engagement
from alliancekit.errors import InputError

from conftest import write_engagement


def test_valid_engagement_loads(tiny):
    eng = load_engagement(tiny)
    assert eng.id == "tiny-test" and eng.client == "Tiny Client"
    assert set(eng.data) == {"partners", "partner_metrics", "opportunities"}
    assert eng.phases == {"portfolio_health": {}}
    assert eng.primary_color == "#0B3D91"


def test_all_problems_reported_together(tmp_path):
    header = textwrap.dedent("""\
        engagement: ../../etc
        client: X
        consultant: Y
        brandig: {}
        phases:
          portfolio_helth: {}
        """)
    path = write_engagement(tmp_path, header=header)
    with pytest.raises(InputError) as err:
        load_engagement(path)
    text = str(err.value)
    assert "'engagement' must be an id of lowercase letters" in text
    assert "unknown key 'brandig'; did you mean 'branding'?" in text
    assert "unknown phase 'portfolio_helth'; did you mean 'portfolio_health'?" in text
    assert err.value.exit_code == 2


def test_unknown_parameter_and_wrong_type(tmp_path):
    header = "engagement: t\nclient: X\nconsultant: Y\nphases:\n  portfolio_health: {k_mx: 3, seed: abc}\n"
    with pytest.raises(InputError) as err:
        load_engagement(write_engagement(tmp_path, header=header))
    assert "unknown parameter 'k_mx'; did you mean 'k_max'?" in str(err.value)
    assert "parameter 'seed': expected a whole number" in str(err.value)


def test_missing_file_and_bad_branding(tmp_path):
    header = "engagement: t\nclient: X\nconsultant: Y\nphases: {portfolio_health: {}}\nbranding: {primary_color: blue}\n"
    path = write_engagement(tmp_path, header=header)
    (tmp_path / "data" / "partners.csv").unlink()
    with pytest.raises(InputError) as err:
        load_engagement(path)
    assert "data.partners: file not found" in str(err.value)
    assert "primary_color: expected a colour like '#0B3D91'" in str(err.value)


def test_misspelt_phase_names_the_nearest(tmp_path):
    header = "engagement: t\nclient: X\nconsultant: Y\nphases: {metric_desing: {}}\n"
    with pytest.raises(InputError, match="unknown phase 'metric_desing'; did you mean 'metric_design'"):
        load_engagement(write_engagement(tmp_path, header=header))


def _identity(tmp_path, lines: str):
    header = f"engagement: t\nclient: X\nconsultant: Y\n{lines}phases: {{portfolio_health: {{}}}}\n"
    return write_engagement(tmp_path, header=header)


def test_firm_report_date_and_currency_are_read(tmp_path):
    import datetime

    logo = tmp_path / "firm.png"
    logo.write_bytes(b"\x89PNG")
    eng = load_engagement(_identity(tmp_path, "firm: ' Larkspur Alliance Advisory '\nreport_date: 2026-03-31\n"
                                              "currency: USD\nbranding: {firm_logo: firm.png}\n"))
    assert eng.firm == "Larkspur Alliance Advisory" and eng.currency == "USD"
    assert eng.report_date == datetime.date(2026, 3, 31) and eng.firm_logo == logo


def test_firm_date_and_currency_are_optional(tiny):
    eng = load_engagement(tiny)
    assert eng.firm is None and eng.report_date is None and eng.currency is None and eng.firm_logo is None


@pytest.mark.parametrize("value", ["usd", "US$", "'12'", "EURO"])
def test_a_bad_currency_is_an_error_naming_the_key(tmp_path, value):
    with pytest.raises(InputError, match="'currency' must be an ISO 4217 code"):
        load_engagement(_identity(tmp_path, f"currency: {value}\n"))


@pytest.mark.parametrize("value", ["31/03/2026", "2026-02-30", "'2026-3-31'", "2026-03-31 10:00:00", "tomorrow"])
def test_a_bad_report_date_is_an_error_naming_the_key(tmp_path, value):
    with pytest.raises(InputError, match="'report_date' must be a date written YYYY-MM-DD"):
        load_engagement(_identity(tmp_path, f"report_date: {value}\n"))


def test_misspelt_identity_keys_name_the_nearest(tmp_path):
    with pytest.raises(InputError) as err:
        load_engagement(_identity(tmp_path, "frim: Larkspur\ncurrrency: USD\nbranding: {firm_logo: nope.png}\n"))
    text = str(err.value)
    assert "unknown key 'frim'; did you mean 'firm'?" in text
    assert "unknown key 'currrency'; did you mean 'currency'?" in text
    assert "branding.firm_logo: file not found" in text
