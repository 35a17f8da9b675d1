"""A small on-disk cache for results that depend only on files shipped with the kit.

partner_swot fits two classifiers on the kit's corpus and cross-validates one of them on
every run: about 5 s of a 12 s phase, the same numbers each time, because each phase runs
in a fresh kernel and an in-process cache never hits. :func:`cached` keeps such a result in
a file whose name is a SHA-256 of everything the result depends on (the data files, the
source of the code that computes it, the versions of scikit-learn and the kit, the seed), so
a changed corpus, a changed model or an upgraded scikit-learn simply misses and recomputes.

Where: ``$ALLIANCEKIT_CACHE``, else ``$XDG_CACHE_HOME/alliancekit``, else
``~/.cache/alliancekit``; ``ALLIANCEKIT_CACHE=off`` turns the cache off. A folder that
cannot be written, or an entry that cannot be read, is not an error: the result is computed
as if there were no cache. Entries are pickles written by the kit itself in the user's own
cache folder (the same trust as the installed packages); they are written to a temporary
name and renamed, so two kernels filling the same entry never read half a file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

OFF = "off"


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    configured = os.environ.get("ALLIANCEKIT_CACHE", "")
    if configured.lower() == OFF:
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "alliancekit"


def fingerprint(files: Iterable[Path] = (), parts: Iterable[object] = ()) -> str:
    """SHA-256 over the bytes of ``files`` (a missing file counts as absent) and the text of ``parts``."""
    digest = hashlib.sha256()
    for path in files:
        path = Path(path)
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<absent>")
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()


def cached(name: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept on disk as ``<name>-<key>.pickle`` and read back while the key stays the same."""
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{name}-{key[:32]}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - absent, unreadable or from an incompatible version: recompute
        pass
    value = compute()
    partial = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError:  # a read-only home, a full disk: the run goes on without the cache
        if partial is not None:
            Path(partial).unlink(missing_ok=True)
    return value
