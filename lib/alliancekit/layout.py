"""Where a run puts its files: the one place that names the folders of an engagement's output.

::

    <output-dir>/                 (default outputs/<engagement>/)
      <phase>/                    client deliverables only: report.html, report.pdf, deck.pptx,
                                  tables.xlsx; ecosystem_reporting also partners/<id>.html/.pdf/.pptx
                                  and executive_tables.xlsx
      working/<phase>/            executed.ipynb, the phase's result files that later phases read
                                  (segments.csv, scorecard.yml, ...), manifest.json
      .alliancekit.lock           hidden: one run per output folder (see deliverables.output_lock)
      .staging/                   hidden, only while a run goes on (removed at its end)

The consultant hands over the output folder without ``working/``: every ``<phase>/`` folder
is client-ready. A phase's files are produced side by side in its staging folder; which of the
two folders each goes to is decided here (:func:`destination`), for the manifest and the commit
alike.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

#: Folder of the working files, beside the phases' client folders.
WORKING = "working"
#: The manifest of a phase's delivery (in its working folder, written last).
MANIFEST = "manifest.json"
#: The executed notebook of a phase (in its working folder).
NOTEBOOK = "executed.ipynb"
#: A run's private folder (hidden, engagement level); see :mod:`.deliverables`.
STAGING = ".staging"
#: The lock of one run per output folder (hidden, engagement level).
LOCK = ".alliancekit.lock"
#: Who holds :data:`LOCK` (pid, start time), for the message of a refused run. A file of its
#: own: filelock may empty the lock file on any attempt to take it (3.x opens it with
#: ``O_TRUNC``) and on Windows deletes it on release, so the lock file cannot carry the holder.
HOLDER = ".alliancekit.lock.holder"

#: What the client reads: report pages, PDFs, decks, workbooks.
CLIENT_SUFFIXES = (".html", ".pdf", ".pptx", ".xlsx")
#: Folders of a phase that hold client files only (one partner's scorecard each).
CLIENT_FOLDERS = ("partners",)


def client_dir(out_dir: Path, phase: str) -> Path:
    """The folder of ``phase``'s client deliverables in the output folder ``out_dir``."""
    return Path(out_dir) / phase


def report_path(out_dir: Path, phase: str, suffix: str = "html") -> Path:
    """The report of ``phase`` (``report.html``; the staff review's ``staff_review.html``), in its client folder."""
    from .phases import PHASES

    return client_dir(out_dir, phase) / f"{PHASES[phase].report}.{suffix}"


def working_root(out_dir: Path) -> Path:
    """The folder of every phase's working files (what a phase that needs others reads as
    ``upstream_dir``: the results of phase ``p`` are in ``working_root(out) / p``)."""
    return Path(out_dir) / WORKING


def working_dir(out_dir: Path, phase: str) -> Path:
    """The folder of ``phase``'s working files: executed notebook, result files, manifest."""
    return working_root(out_dir) / phase


def is_client_file(rel: str | Path) -> bool:
    """Whether a file a phase produced (path relative to its staging folder) is for the client."""
    rel = PurePosixPath(Path(rel).as_posix())
    return rel.parts[0] in CLIENT_FOLDERS or rel.suffix.lower() in CLIENT_SUFFIXES


def destination(phase: str, rel: str | Path) -> PurePosixPath:
    """Where a staged file of ``phase`` goes, relative to the output folder (as the manifest lists it)."""
    rel = PurePosixPath(Path(rel).as_posix())
    return PurePosixPath(phase) / rel if is_client_file(rel) else PurePosixPath(WORKING) / phase / rel
