"""Atomic delivery of a phase's files, and one lock per output folder.

A phase writes everything into a private staging folder first. Only when every file is
complete are they moved to their final place, each with ``os.replace`` (atomic on one file
system): the client deliverables into ``<phase>/``, the working files into
``working/<phase>/`` (see :mod:`.layout`), the manifest last. A run that fails or is killed
before that leaves the previous delivery, both folders, byte for byte; nothing half-written
ever carries a final name.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile
from contextlib import contextmanager, suppress
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .errors import KitError
from .layout import HOLDER, LOCK, MANIFEST, STAGING, client_dir, destination, working_dir

__all__ = ["HOLDER", "LOCK", "MANIFEST", "STAGING", "RunLocked", "output_lock", "clear_staging", "new_staging",
           "neutralise_formulas", "commit", "stable_zip"]


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
            # each distinct value tested once: a long table repeats its few labels on every row
            risky = [v for v in text.dropna().unique() if isinstance(v, str) and v.startswith(FORMULA_STARTS)]
            if risky:
                out[column] = text.where(~text.isin(risky), "'" + text.astype(str))
    return out


def commit(staging: Path, out_dir: Path, phase: str) -> list[Path]:
    """Move every file of ``staging`` to its place in ``out_dir`` atomically, the manifest last.

    Client deliverables go to ``<phase>/``, working files to ``working/<phase>/``
    (:func:`.layout.destination`). Then each of the two folders loses the files of the previous
    delivery that the new one does not put there: a file set can shrink (e.g. fewer partners),
    and a folder delivered with the earlier layout (result files, notebook and manifest beside
    the reports) keeps client files only.
    """
    files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == MANIFEST and len(p.parts) == 1)
    targets = [out_dir / destination(phase, rel) for rel in files]
    folders = (client_dir(out_dir, phase), working_dir(out_dir, phase))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    for rel, target in zip(files, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    keep = set(targets)
    for folder in folders:
        for old in sorted(folder.rglob("*"), reverse=True):
            if old.is_file() and old not in keep:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    shutil.rmtree(staging, ignore_errors=True)
    return targets


#: The date every entry of an Office file (and its document properties, unless given) carries:
#: the same bytes for the same content, whenever it is written.
FIXED_DATE = datetime(2000, 1, 1)
CORE_PROPERTIES = "docProps/core.xml"
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(data: bytes, when: date | datetime | None = None) -> bytes:
    """An Office file (``.xlsx``, ``.pptx``: a zip) made byte-stable: every entry dated ``when``
    (default :data:`FIXED_DATE`) and its document's created and modified dates set to it.

    openpyxl stamps the time of saving into the document properties and both libraries date each
    zip entry with the clock; neither offers an option, so the zip is rewritten, entry by entry
    in the same order, compression and permissions.
    """
    moment = when if isinstance(when, datetime) else datetime.combine(when or FIXED_DATE.date(), clock.min)
    moment = max(moment.replace(tzinfo=None, microsecond=0), datetime(1980, 1, 1))  # zip dates start in 1980
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == CORE_PROPERTIES:
                content = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            fixed = zipfile.ZipInfo(entry.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = entry.compress_type
            fixed.external_attr = entry.external_attr
            fixed.create_system = 3  # as on Unix, on every system
            target.writestr(fixed, content)
    return out.getvalue()
