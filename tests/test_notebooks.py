"""Notebooks stay thin and in step with the library's declarations."""

import ast
import json

import papermill
import pytest

from alliancekit.paths import NOTEBOOKS
from alliancekit.phases import PHASES

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_every_notebook_is_a_registered_phase_and_back():
    assert sorted(p.name for p in NOTEBOOK_FILES) == sorted(phase.notebook for phase in PHASES.values())


@pytest.mark.parametrize("phase", list(PHASES.values()), ids=lambda p: p.name)
def test_parameters_cell_matches_the_declaration(phase):
    inspected = papermill.inspect_notebook(str(NOTEBOOKS / phase.notebook))
    declared = {"engagement", "results_dir", "validated_inputs", "engagement_params", *phase.defaults(), *(["upstream_dir"] if phase.needs or phase.uses else [])}
    assert set(inspected) == declared
    for name, value in phase.defaults().items():
        assert ast.literal_eval(inspected[name]["default"]) == value, name


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_thin(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    with_outputs = [c for c in code if c.get("outputs")]
    assert all("NBVAL_CHECK_OUTPUT" in "".join(c["source"]) for c in with_outputs), "only nbval-checked cells keep outputs"
    for cell in code:
        source = "".join(cell["source"])
        assert "for " not in source and "def " not in source and "groupby" not in source, \
            f"logic belongs in the library, not the notebook:\n{source}"
