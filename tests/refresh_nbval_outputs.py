"""Re-record the outputs of the notebook cells nbval checks (``# NBVAL_CHECK_OUTPUT``).

Run after an intended change of a key figure (``make nbval-refresh``): every notebook is
executed on the sample engagement; the checked cells keep their fresh outputs and every
other cell is cleared, so notebooks stay committed clean.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MARK = "NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    """Execute ``path`` and keep outputs only on the checked cells."""
    with tempfile.TemporaryDirectory() as tmp:
        executed = papermill.execute_notebook(str(path), str(Path(tmp) / path.name), cwd=str(path.parent),
                                              kernel_name="python3", progress_bar=False)
    clean = nbformat.read(path, as_version=4)
    for cell, ran in zip(clean.cells, executed.cells):
        if cell.cell_type != "code":
            continue
        checked = MARK in cell.source
        cell.outputs = ran.outputs if checked else []
        cell.execution_count = ran.execution_count if checked else None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    clean.metadata.pop("papermill", None)
    nbformat.write(clean, path)
    print(f"refreshed {path.name}")


if __name__ == "__main__":
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")) if len(sys.argv) < 2 else map(Path, sys.argv[1:]):
        refresh(notebook)
