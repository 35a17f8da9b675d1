"""Hand-written deliveries for the review-cycle tests: a few result files with known changes.

:func:`write_delivery` writes what ``alliancekit run`` leaves in ``working/<phase>/`` (the
result files and a manifest carrying the client and the results version), nothing else, so a
test states exactly what changed between two deliveries.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import yaml

from alliancekit.layout import MANIFEST, working_dir
from alliancekit.manifest import RESULTS_VERSION


def write_delivery(out: Path, files: Mapping[str, Mapping[str, Any]], client: str = "Acme Corp",
                   engagement: str = "acme", finished: str = "2026-10-01T09:00:00+00:00") -> Path:
    """A delivered output folder ``out`` holding ``files``: phase -> {result file name -> content}.

    A DataFrame is written as CSV (no index), a mapping as YAML, text as it is. Every phase gets a
    manifest like the runner's (client, engagement, ``results_version``, working file names).
    """
    for phase, results in files.items():
        folder = working_dir(out, phase)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in results.items():
            path = folder / name
            if isinstance(content, pd.DataFrame):
                content.to_csv(path, index=False)
            elif isinstance(content, Mapping):
                path.write_text(yaml.safe_dump(dict(content), sort_keys=False), encoding="utf-8")
            else:
                path.write_text(str(content), encoding="utf-8")
        manifest = {"engagement": engagement, "client": client, "phase": phase, "results_version": RESULTS_VERSION,
                    "parameters": {}, "working_files": {f"working/{phase}/{n}": "0" for n in results},
                    "deliverables": {}, "versions": {"alliancekit": "test"}, "finished": finished}
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return out
