"""A phase notebook behaves like ``alliancekit run``: the engagement file's ``phases:`` parameters
are honoured, needed results are computed with them (and a note says so), and a delivered
``executed.ipynb`` re-runs as it is."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import papermill
import pytest
import yaml

from alliancekit.engagement import load_engagement
from alliancekit.layout import NOTEBOOK, STAGING, client_dir, working_dir
from alliancekit.paths import NOTEBOOKS, SAMPLE_ENGAGEMENT
from alliancekit.phases import PHASES
from alliancekit.session import notebook_params


def _engagement(tmp_path: Path, phases: dict) -> Path:
    """The sample engagement copied to ``tmp_path`` with these ``phases:``."""
    root = tmp_path / "eng"
    shutil.copytree(SAMPLE_ENGAGEMENT, root)
    path = root / "engagement.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["phases"] = phases
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def test_cell_defaults_take_the_engagement_files_values_and_set_values_win(tmp_path):
    phase = PHASES["org_design"]
    engagement = load_engagement(_engagement(tmp_path, {"org_design": {"strategic_tiers": "Gold", "director_span": 8}}))
    cell = {"engagement": str(engagement.file), **phase.defaults()}  # the parameters cell as committed
    params = notebook_params(phase, engagement, cell)
    assert params["strategic_tiers"] == "Gold" and params["director_span"] == 8
    edited = {**cell, "director_span": 12}  # set in the cell (or by papermill -p): wins over the file
    assert notebook_params(phase, engagement, edited)["director_span"] == 12
    # under alliancekit run the values arrive resolved; a value equal to the default is meant as given
    runner = {**cell, "engagement_params": False}
    assert notebook_params(phase, engagement, runner)["strategic_tiers"] == phase.defaults()["strategic_tiers"]


@pytest.mark.slow
def test_notebook_06_on_its_own_gives_the_figures_of_alliancekit_run(tmp_path):
    """portfolio_health forced to 3 segments in the engagement file: notebook 06 run alone (no
    delivered results) computes segments with that override, exactly as ``alliancekit run``."""
    path = _engagement(tmp_path, {"metric_design": {}, "portfolio_health": {"k_min": 3, "k_max": 3},
                                  "ecosystem_reporting": {"pdf": False}})
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(path), "--phase", "ecosystem_reporting",
                           "--output-dir", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    delivered, working = client_dir(out, "ecosystem_reporting"), working_dir(out, "ecosystem_reporting")
    assert pd.read_csv(working_dir(out, "portfolio_health") / "segments.csv")["segment"].nunique() == 3

    alone = tmp_path / "alone"
    executed = tmp_path / "alone.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / PHASES["ecosystem_reporting"].notebook), str(executed),
                               parameters={"engagement": str(path), "results_dir": str(alone)},
                               cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False)
    assert (alone / "partner_status.csv").read_bytes() == (working / "partner_status.csv").read_bytes()
    ours = pd.read_excel(alone / "executive_tables.xlsx", sheet_name=None)
    theirs = pd.read_excel(delivered / "executive_tables.xlsx", sheet_name=None)
    assert list(ours) == list(theirs)
    segments = next(name for name in ours if name.startswith("Segments"))
    assert len(ours[segments]) == 3
    for name in ours:
        pd.testing.assert_frame_equal(ours[name], theirs[name], obj=name)
    # run alone, the notebook renders its partner scorecards itself (on a local Dask cluster of its
    # own), the same files the runner's render step delivers, and leaves nothing pending
    cards = {p.name: p.read_bytes() for p in (alone / "partners").iterdir()}
    assert cards and cards == {p.name: p.read_bytes() for p in (delivered / "partners").iterdir()}
    assert sorted(p.name for p in alone.iterdir() if p.name.startswith(".")) == []
    printed = executed.read_text(encoding="utf-8")
    assert "computed for this report from the engagement" in printed and "parameters" in printed

    # the delivered executed.ipynb re-runs as it is (its run's hand-over and staging are gone)
    rerun = tmp_path / "rerun.ipynb"
    papermill.execute_notebook(str(working / NOTEBOOK), str(rerun), cwd=str(NOTEBOOKS),
                               kernel_name="python3", progress_bar=False)
    assert "results are the ones delivered with this engagement" in rerun.read_text(encoding="utf-8")
    assert not (out / STAGING).exists()
