"""The command line: scaffolding, validation, listing, and bad input before anything runs."""

from alliancekit.paths import TEMPLATES


def test_phases_lists_parameters(cli):
    code, out, _ = cli("phases")
    assert code == 0 and "portfolio_health" in out and "k_max (int [2..15], default 8)" in out


def test_phases_schema_is_json_schema_of_every_phase(cli):
    import json

    code, out, _ = cli("phases", "--schema")
    schema = json.loads(out)
    assert code == 0 and set(schema) >= {"portfolio_health", "ecosystem_reporting"}
    k_max = schema["portfolio_health"]["properties"]["k_max"]
    assert (k_max["type"], k_max["default"], k_max["minimum"], k_max["maximum"]) == ("integer", 8, 2, 15)
    assert schema["portfolio_health"]["additionalProperties"] is False
    assert "revenue_growth" in schema["portfolio_health"]["properties"]["weights"]["propertyNames"]["enum"]


def test_new_scaffolds_a_valid_engagement(cli, tmp_path):
    code, out, _ = cli("new", tmp_path / "acme", "--client", "Acme Corp")
    assert code == 0
    text = (tmp_path / "acme" / "engagement.yml").read_text()
    assert "client: Acme Corp" in text and "engagement: acme-corp" in text
    code, out, err = cli("validate", tmp_path / "acme" / "engagement.yml")
    assert code == 0, err
    assert "OK: acme-corp" in out


def test_new_refuses_a_non_empty_folder(cli, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("client work")
    code, _, err = cli("new", tmp_path / "x")
    assert code == 2 and "not empty" in err and (tmp_path / "x" / "keep.txt").read_text() == "client work"


def test_input_templates_cover_every_required_column():
    from alliancekit.schemas import SPECS

    for name, specs in SPECS.items():
        header = (TEMPLATES / "inputs" / f"{name}.csv").read_text().splitlines()[0].split(",")
        assert {s.name for s in specs if s.required} <= set(header), name


def test_validate_reports_problems_with_exit_2(cli, tmp_path):
    from conftest import METRICS, write_engagement

    path = write_engagement(tmp_path, {"partner_metrics": METRICS.replace("P1,2025-02", "P1,2025-2")})
    code, out, err = cli("validate", path)
    assert code == 2
    assert "partner_metrics.csv, column 'month', row 3: got '2025-2'" in err
    assert "Traceback" not in err


def test_run_rejects_bad_parameters_before_running(cli, tiny, tmp_path):
    out_dir = tmp_path / "out"
    code, _, err = cli("run", tiny, "--output-dir", out_dir, "-p", "portfolio_health.k_mx=3")
    assert code == 2 and "did you mean 'k_max'" in err
    code, _, err = cli("run", tiny, "--output-dir", out_dir, "--phase", "portfolio_helth")
    assert code == 2 and "did you mean 'portfolio_health'" in err
    code, _, err = cli("run", tiny, "--output-dir", out_dir, "-p", "portfolio_health.k_max=six")
    assert code == 2 and "expected a whole number" in err
    assert not out_dir.exists()


def test_validate_warns_about_template_leftovers_and_exports_what_it_understood(cli, tmp_path):
    assert cli("new", tmp_path / "eng")[0] == 0
    code, out, _ = cli("validate", tmp_path / "eng" / "engagement.yml", "--export", tmp_path / "seen")
    assert code == 0
    assert "warning: client is still the template's placeholder 'Client Name'" in out
    assert "warning: data.partners (partners.csv) still holds the template's example rows" in out
    exported = (tmp_path / "seen" / "opportunities.csv").read_text(encoding="utf-8").splitlines()
    assert exported[0] == "opportunity_id,partner_ids,amount,stage,created,closed,won,attribution"
    assert exported[1] == "OPP-0001,P001,250000.0,Closed Won,2025-11-03,2026-02-20,true,sourced"
    code, out, _ = cli("new", tmp_path / "named", "--client", "Acme Corp")
    code, out, _ = cli("validate", tmp_path / "named" / "engagement.yml")
    assert "placeholder 'Client Name'" not in out and "placeholder 'Your Name'" in out


def test_intake_checks_the_file_with_the_proposed_mapping(cli, tmp_path):
    export = tmp_path / "deals.csv"
    export.write_text("Deal Report\n\nOpportunity ID,Partner,Amount,Stage,Created Date,Close Date,Partner Role\n"
                      "O-1,P1,\"$1,200.00\",Closed Won,2026-01-05,2026-02-01,Sourced\n"
                      "O-2,P2,n/a,Closed Lost,2026-01-07,2026-03-01,Influenced\n"
                      "O-3,,\"$800.00\",Negotiation,2026-02-01,,\n", encoding="utf-8")
    code, out, _ = cli("intake", export, "--as", "opportunities")
    assert "header_row: 3" in out and "won: [Closed Won]" in out
    assert code == 2  # the proposal is printed, then what is wrong with the file under it
    assert "deals.csv, column 'Amount', row 5: got 'n/a' (expected a number" in out
