"""The manifest of a phase's delivery: what ran, on what, with what, and how to run it again."""

from __future__ import annotations

import hashlib
import json
import platform
import shlex
from importlib import metadata
from pathlib import Path

from . import __version__
from .engagement import Engagement

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


def reproduce_command(engagement: Engagement, phase: str, overrides: dict) -> str:
    """The shell command that re-runs this phase with the same parameters."""
    words = ["alliancekit", "run", str(engagement.file), "--phase", phase]
    for key, value in sorted(overrides.items()):
        words += ["-p", f"{phase}.{key}={json.dumps(value)}"]
    return shlex.join(words)


def build_manifest(engagement: Engagement, phase: str, params: dict, overrides: dict, inputs: list[str],
                   started: float, finished: float, outputs: dict[str, str], notes: list[str]) -> dict:
    """The manifest as a JSON-ready mapping (``outputs``: delivered file -> sha256)."""
    from datetime import datetime, timezone

    stamp = lambda t: datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")  # noqa: E731
    return {
        "engagement": engagement.id,
        "client": engagement.client,
        "phase": phase,
        "parameters": params,
        "parameter_overrides": overrides,
        "inputs": {name: {"path": str(engagement.data[name].path), "sha256": sha256(engagement.data[name].path)}
                   for name in inputs},
        "outputs": outputs,
        "versions": versions(),
        "started": stamp(started),
        "finished": stamp(finished),
        "duration_seconds": round(finished - started, 2),
        "reproduce": reproduce_command(engagement, phase, overrides),
        "notes": notes,
    }
