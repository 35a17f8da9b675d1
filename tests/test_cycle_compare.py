"""Review cycles, the command: which pairs are compared or refused, what changes/ holds, nothing half written."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from alliancekit.cli import main
from alliancekit.cycle import comparison as cycle
from cycle_fakes import write_delivery
from test_cycle_portfolio import NOW, THEN, segments


def _pair(tmp_path, client_now="Acme Corp"):
    before = write_delivery(tmp_path / "acme-2025", {"portfolio_health": {"segments.csv": segments(THEN, "2025-09")}})
    now = write_delivery(tmp_path / "acme-2026", {"portfolio_health": {"segments.csv": segments(NOW, "2026-09")}},
                         client=client_now)
    return before, now


def test_compare_writes_the_report_the_tables_and_a_manifest(tmp_path, capsys):
    before, now = _pair(tmp_path)
    assert main(["compare", str(before), str(now), "--format", "html"]) == 0
    folder = now / "changes"
    names = {f.name for f in folder.iterdir()}
    assert {"report.html", "manifest.json", "tables.xlsx", "segment_migration.csv", "exit_candidates.csv",
            "alliances_added_ended.csv", "segment_flows.csv"} <= names
    page = (folder / "report.html").read_text()
    assert "What changed since the last review" in page and "Review cycle: 2025-09 to 2026-09" in page
    assert "Acme Corp" in page and "Portfolio Health Review" in page
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["compared"] == ["portfolio_health"] and manifest["same_delivery"] is False
    assert manifest["previous"]["period"] == "2025-09" and manifest["current"]["path"] == "."
    assert str(tmp_path) not in json.dumps(manifest)  # no machine paths travel with the deliverables
    assert "compared 2025-09 with 2026-09" in capsys.readouterr().out


def test_two_clients_are_refused(tmp_path, capsys):
    before, now = _pair(tmp_path, client_now="Other Inc")
    assert main(["compare", str(before), str(now)]) == 2
    err = capsys.readouterr().err
    assert "'Acme Corp'" in err and "'Other Inc'" in err and "same client" in err
    assert not (now / "changes").exists()


def test_the_later_delivery_first_is_refused(tmp_path, capsys):
    before, now = _pair(tmp_path)
    assert main(["compare", str(now), str(before)]) == 2
    assert "give the earlier delivery first" in capsys.readouterr().err


def test_result_files_too_old_are_refused_by_phase_and_version(tmp_path, capsys):
    before, now = _pair(tmp_path)
    manifest = before / "working" / "portfolio_health" / "manifest.json"
    old = json.loads(manifest.read_text())
    old.pop("results_version")
    old["versions"] = {"alliancekit": "0.1.0"}
    manifest.write_text(json.dumps(old))
    assert main(["compare", str(before), str(now)]) == 2
    err = capsys.readouterr().err
    assert "portfolio_health (alliance-kit 0.1.0)" in err and "re-run the engagement with this version" in err


def test_not_a_delivery_is_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    _, now = _pair(tmp_path)
    assert main(["compare", str(tmp_path / "empty"), str(now)]) == 2
    assert "not a delivered engagement" in capsys.readouterr().err


def test_the_same_delivery_twice_is_a_report_that_nothing_changed(tmp_path):
    _, now = _pair(tmp_path)
    comparison = cycle.compare_deliveries(now, now)
    assert comparison.same
    assert comparison.overview() == ["The two deliveries are the same (acme-2026): nothing changed."]
    folder = cycle.write_changes(comparison, tmp_path / "out", formats=("html",))
    assert "nothing changed" in (folder / "report.html").read_text()


def test_a_failed_comparison_leaves_the_last_good_one(tmp_path, monkeypatch):
    before, now = _pair(tmp_path)
    first = cycle.compare(before, now, formats=("html",), say=lambda _: None)
    kept = {f.name: f.read_bytes() for f in first.iterdir()}

    def broken(*_):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("alliancekit.render.render_html", broken)
    with pytest.raises(RuntimeError):
        cycle.compare(before, now, formats=("html",), say=lambda _: None)
    assert {f.name: f.read_bytes() for f in first.iterdir()} == kept
    assert not [p for p in now.iterdir() if p.name.startswith(".changes")]


def test_client_text_stays_text_in_the_report_and_the_tables(tmp_path):
    before, now = _pair(tmp_path)
    path = now / "working" / "portfolio_health" / "segments.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "partner_name"] = "<script>alert(1)</script>"
    frame.loc[1, "partner_name"] = "=HYPERLINK(\"http://x.invalid\")"
    frame.to_csv(path, index=False)
    folder = cycle.compare(before, now, formats=("html",), say=lambda _: None)
    page = (folder / "report.html").read_text()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    moves = pd.read_csv(folder / "segment_migration.csv", dtype=str)
    assert "'=HYPERLINK(\"http://x.invalid\")" in set(moves["partner_name"])
