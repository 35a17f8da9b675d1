"""Atomic delivery of a phase's files, and one lock per output folder.

A phase writes everything into a private staging folder first. Only when every file is
complete are they moved into the phase's folder, each with ``os.replace`` (atomic on one
file system), the manifest last. A run that fails or is killed before that leaves the
previous deliverables byte for byte; nothing half-written ever carries a final name.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .errors import KitError

STAGING = ".staging"
LOCK = ".alliancekit.lock"
#: Who holds :data:`LOCK` (pid, start time), for the message of a refused run. A file of its
#: own: filelock may empty the lock file on any attempt to take it (3.x opens it with
#: ``O_TRUNC``) and on Windows deletes it on release, so the lock file cannot carry the holder.
HOLDER = ".alliancekit.lock.holder"
MANIFEST = "manifest.json"


class RunLocked(KitError):
    """Another run writes to the same output folder (exit code 2: nothing was run)."""

    exit_code = 2


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir`` for the length of a run.

    A second run on the same folder is refused at once (no waiting), naming the holder. The
    lock is the operating system's (``filelock``: ``flock`` on Unix, ``msvcrt`` on Windows), so
    it is released when the holding process ends, however it ends.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out_dir / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        try:
            holder = (out_dir / HOLDER).read_text(encoding="utf-8").strip()
        except OSError:  # the holder has not written it yet, or has just removed it
            holder = ""
        raise RunLocked(f"another run is writing to {out_dir} ({holder or 'another process'}); wait for it to finish, "
                        "or pass --output-dir to write elsewhere") from None
    try:
        (out_dir / HOLDER).write_text(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}",
                                      encoding="utf-8")
        yield
    finally:
        with suppress(OSError):
            (out_dir / HOLDER).unlink()
        lock.release()


def clear_staging(out_dir: Path) -> None:
    """Remove left-overs of killed runs. Called once per run while holding :func:`output_lock`,
    so no other run's staging can be live."""
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)


def new_staging(out_dir: Path, phase: str) -> Path:
    """A fresh private folder for one phase's files (phases of one run may stage side by side)."""
    path = out_dir / STAGING / phase
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


#: First characters that make a spreadsheet treat a cell as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame):
    """Text cells that a spreadsheet would run as a formula, prefixed with ``'``.

    Client text such as ``=HYPERLINK(...)`` in a partner name must stay text when a result
    CSV or workbook is opened in Excel. Numbers are untouched (``-3`` stays a number).
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith(("string", "str")):
            text = out[column]
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def commit(staging: Path, final: Path) -> list[Path]:
    """Move every file of ``staging`` into ``final`` atomically, the manifest last.

    Files of the previous delivery that the new one does not contain are removed after
    the new files are in place (a phase's file set can shrink, e.g. fewer partners).
    """
    final.mkdir(parents=True, exist_ok=True)
    files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == MANIFEST)
    for rel in files:
        target = final / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    keep = set(files)
    for old in sorted(final.rglob("*"), reverse=True):
        rel = old.relative_to(final)
        if old.is_file() and rel not in keep:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
    shutil.rmtree(staging, ignore_errors=True)
    return [final / rel for rel in files]
