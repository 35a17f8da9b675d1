"""Validated inputs handed from ``alliancekit run`` to its phase kernels.

The runner reads and validates every input once, before any kernel starts (the preflight).
Without a hand-over each phase's kernel would read and validate its files again: on the
sample that is about a second per run, at 100,000 partners over 30 seconds and 4 GB per
phase that reads the metrics. So the runner writes the validated tables into its staging
folder and passes the folder to each notebook as its ``validated_inputs`` parameter;
:func:`~alliancekit.session.start_phase` then loads them instead of re-reading the files.

The folder lives under the output folder's ``.staging``, is written by the run that holds
the folder's lock and removed with the staging folder, so the pickles a kernel loads are the
ones its own run wrote a moment before (pickle runs code when loaded: never point
``validated_inputs`` at a folder from anywhere else).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    import pandas as pd

NOTES = "notes.json"


def write_validated(tables: Mapping[str, pd.DataFrame], notes: Mapping[str, list[str]], folder: Path) -> Path:
    """Write each validated table (pickle: types, categories and missing values exactly as validated)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        with open(folder / f"{name}.pickle", "wb") as handle:
            pickle.dump(frame, handle, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / NOTES).write_text(json.dumps({n: list(v) for n, v in notes.items()}), encoding="utf-8")
    return folder


def read_validated(folder: Path, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The tables ``names`` (plus ``partners`` when handed over) and their read notes, as :func:`load_inputs` returns them."""
    wanted = list(dict.fromkeys(names))
    if (folder / "partners.pickle").is_file() and "partners" not in wanted:
        wanted.insert(0, "partners")
    notes = json.loads((folder / NOTES).read_text(encoding="utf-8"))
    tables = {}
    for name in wanted:
        with open(folder / f"{name}.pickle", "rb") as handle:
            tables[name] = pickle.load(handle)
    return tables, [note for name in wanted for note in notes.get(name, [])]
