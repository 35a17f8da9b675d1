"""The manifest of a phase's delivery: what ran, on what, with what, and how to run it again."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shlex
from importlib import metadata
from pathlib import Path
from typing import Iterable

from . import __version__
from .engagement import Engagement

#: The version of the phases' result files (the shape of every CSV and YAML a phase delivers). A
#: review-cycle comparison (:mod:`alliancekit.cycle`) reads deliveries of this version and
#: refuses older ones by name. Raise it whenever a result file loses or changes a column that
#: :mod:`alliancekit.cycle` reads. 2: result files of the review cycle (verdict rules in
#: segments.csv, the issue log, partner coverage), first written by alliance-kit 0.2.
RESULTS_VERSION = 2

KEY_LIBRARIES = ("pandas", "numpy", "scikit-learn", "seaborn", "matplotlib", "pandera",
                 "papermill", "nbconvert", "weasyprint")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes; of a folder (interview documents), of each file's relative
    name and bytes in name order, so any change to what the client sent changes the hash."""
    digest = hashlib.sha256()
    files = sorted(p for p in Path(path).rglob("*") if p.is_file()) if Path(path).is_dir() else [Path(path)]
    for file in files:
        if Path(path).is_dir():
            digest.update(file.relative_to(path).as_posix().encode("utf-8") + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """Versions of the kit, Python and the libraries that shape the results."""
    found = {"alliancekit": __version__, "python": platform.python_version()}
    for name in KEY_LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def relative(path: Path, root: Path) -> str:
    """``path`` as seen from ``root`` (the engagement file's folder), with forward slashes: no path of
    the consultant's machine goes into a manifest that travels with the deliverables."""
    return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()


def reproduce_command(engagement: Engagement, phase: str, overrides: dict, out_dir: Path,
                      formats: Iterable[str]) -> str:
    """The exact command that re-runs this phase into the same folder with the same parameters and
    formats, run from the engagement file's folder."""
    words = ["alliancekit", "run", engagement.file.name, "--phase", phase,
             "--output-dir", relative(out_dir, engagement.root), "--format", ",".join(formats)]
    for key, value in sorted(overrides.items()):
        words += ["-p", f"{phase}.{key}={json.dumps(value)}"]
    return shlex.join(words)


def cover_of(engagement: Engagement) -> dict:
    """Who the delivery is for and who signs it, as a later comparison's cover repeats it (no file paths:
    logos stay with the engagement file)."""
    return {"consultant": engagement.consultant, "firm": engagement.firm or "", "primary_color": engagement.primary_color,
            "currency": engagement.currency or "",
            "report_date": engagement.report_date.isoformat() if engagement.report_date else ""}


def build_manifest(engagement: Engagement, phase: str, params: dict, overrides: dict, inputs: list[str],
                   started: float, finished: float, deliverables: dict[str, str], working_files: dict[str, str],
                   notes: list[str], out_dir: Path, formats: Iterable[str]) -> dict:
    """The manifest as a JSON-ready mapping.

    ``deliverables`` (the client's files, ``<phase>/...``) and ``working_files`` (executed
    notebook and result files, ``working/<phase>/...``): file -> sha256, paths relative to the
    output folder (see :mod:`.layout`); the manifest itself is the one working file it cannot
    list. Input paths are relative to the engagement file's folder, where ``reproduce`` is
    meant to be run."""
    from datetime import datetime, timezone

    stamp = lambda t: datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")  # noqa: E731
    return {
        "engagement": engagement.id,
        "client": engagement.client,
        "phase": phase,
        "results_version": RESULTS_VERSION,
        "parameters": params,
        "parameter_overrides": overrides,
        "cover": cover_of(engagement),
        "inputs": {name: {"path": relative(engagement.data[name].path, engagement.root),
                          "sha256": sha256(engagement.data[name].path)} for name in inputs},
        "deliverables": dict(sorted(deliverables.items())),
        "working_files": dict(sorted(working_files.items())),
        "versions": versions(),
        "started": stamp(started),
        "finished": stamp(finished),
        "duration_seconds": round(finished - started, 2),
        "reproduce": reproduce_command(engagement, phase, overrides, out_dir, formats),
        "run_from": "the folder of the engagement file",
        "notes": notes,
    }
