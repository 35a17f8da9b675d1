"""Writing the recruiting kit: per position an interview guide (HTML and PDF) and the interviewers' scorecards (.xlsx).

Apart from :mod:`.phase` because it needs the notebook's session (its results folder, the
engagement's date and formats) and the rendering stack, none of which :func:`~.phase.review`
needs. The files go to ``recruiting/`` of the phase's folder: client files, internal to the
client (candidate names never leave it), never part of anything sent to partners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .phase import StaffReview
from .recruiting import interview_guide_html, interviewer_workbook

#: Folder of the recruiting kit inside the phase's folder.
KIT_FOLDER = "recruiting"


@dataclass(frozen=True)
class Kit:
    """What :func:`deliver_recruiting_kit` wrote (paths relative to the phase's folder)."""

    positions: tuple[str, ...]   # role titles
    files: tuple[str, ...]


def file_stem(title: str) -> str:
    """A position title as a file name: ``Alliance Manager`` -> ``alliance-manager``."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "position"


def deliver_recruiting_kit(review_: StaffReview, ctx, pdf: bool = True) -> Kit:
    """Write the recruiting kit of every position of ``review_.positions`` into ``ctx.results_dir/recruiting``.

    Interviewers' sheets are named after the panel of the hiring scores when there are any for
    the position, otherwise ``interviewers`` blank sheets. The PDF is skipped when ``pdf`` is false.
    """
    from ..render import render_pdf

    out = Path(ctx.results_dir) / KIT_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    blank = [f"Interviewer {n}" for n in range(1, int(review_.params["interviewers"]) + 1)]
    when = ctx.engagement.report_date
    files = []
    for role in review_.positions:
        stem = file_stem(review_.titles[role])
        page = interview_guide_html(role, review_.guide, review_.competencies, review_.titles, review_.client)
        (out / f"{stem}-interview-guide.html").write_text(page, encoding="utf-8")
        files.append(f"{KIT_FOLDER}/{stem}-interview-guide.html")
        if pdf:
            (out / f"{stem}-interview-guide.pdf").write_bytes(render_pdf(page))
            files.append(f"{KIT_FOLDER}/{stem}-interview-guide.pdf")
        book = interviewer_workbook(role, review_.guide, review_.competencies, review_.titles,
                                    review_.panels.get(role) or blank, when=when)
        (out / f"{stem}-interviewer-scorecards.xlsx").write_bytes(book)
        files.append(f"{KIT_FOLDER}/{stem}-interviewer-scorecards.xlsx")
    return Kit(tuple(review_.titles[r] for r in review_.positions), tuple(files))
