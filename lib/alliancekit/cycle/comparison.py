"""``alliancekit compare PREVIOUS CURRENT``: what changed since the last review, as a client report.

Reads two delivered output folders of one client (:mod:`.delivery`), asks each phase delivered in
both what changed (one module per phase, :data:`COMPARISONS`), and writes ``changes/`` into the
output folder (CURRENT by default): ``report.html``, ``report.pdf``, ``tables.xlsx``, one CSV per
comparison table and ``manifest.json``. The report is laid out by the same template and renderer
as the phases' reports. The folder is replaced whole, only once everything is written: a failed
comparison leaves the last good one.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import nbformat

from .. import report
from ..deliverables import neutralise_formulas, output_lock
from ..manifest import RESULTS_VERSION, relative, sha256, versions
from ..phases import PHASES
from .changes import PhaseChanges
from .delivery import Delivery, check_pair, read_delivery

#: The folder a comparison writes, in the output folder.
FOLDER = "changes"
#: Each phase's comparison: ``module:function`` (``function(previous, current) -> PhaseChanges``).
COMPARISONS = {
    "strategy_assessment": "alliancekit.cycle.strategy:compare",
    "metric_design": "alliancekit.cycle.metrics:compare",
    "partner_swot": "alliancekit.cycle.swot:compare",
    "org_design": "alliancekit.cycle.org:compare",
    "portfolio_health": "alliancekit.cycle.portfolio:compare",
    "ecosystem_reporting": "alliancekit.cycle.ecosystem:compare",
    "relationship_health": "alliancekit.cycle.relationship:compare",
}
TITLE = "What changed since the last review"


@dataclass
class Comparison:
    """Two deliveries and what changed between them, phase by phase."""

    previous: Delivery
    current: Delivery
    same: bool
    phases: list[PhaseChanges]
    not_compared: dict[str, str]

    def overview(self) -> list[str]:
        """The executive summary: the first sentences of every phase's changes."""
        if self.same:
            return [f"The two deliveries are the same ({self.current.path.name}): nothing changed."]
        out = []
        for changes in self.phases:
            out += [f"{changes.title}: {s}" for s in changes.summary[:2]]
        return out


def compare_deliveries(previous: str | Path, current: str | Path) -> Comparison:
    """Read and compare two deliveries (raises :class:`~alliancekit.errors.InputError`, exit 2, on a bad pair)."""
    from ..theme import apply_theme

    before, now = read_delivery(previous, "PREVIOUS"), read_delivery(current, "CURRENT")
    check_pair(before, now)
    apply_theme((next(iter(now.manifests.values())).get("cover") or {}).get("primary_color") or "#0B3D91")
    same = before.path.resolve() == now.path.resolve() or before.key == now.key
    done, skipped = [], {}
    for phase in PHASES:
        if phase not in COMPARISONS:
            continue
        if not (before.has(phase) and now.has(phase)):
            if before.has(phase) or now.has(phase):
                skipped[phase] = "delivered at the last review only" if before.has(phase) else "delivered now only"
            continue
        module, function = COMPARISONS[phase].split(":")
        done.append(getattr(importlib.import_module(module), function)(before, now))
    return Comparison(before, now, same, done, skipped)


def _code(html) -> nbformat.NotebookNode:
    """A cell the report shows as ``html`` (the template hides every code cell's input)."""
    return nbformat.v4.new_code_cell(source="", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": html.data if hasattr(html, "data") else str(html)})])


def notebook(comparison: Comparison) -> nbformat.NotebookNode:
    """The report as a notebook of rendered cells (what :func:`alliancekit.render.render_html` lays out)."""
    before, now = comparison.previous, comparison.current
    cells = [nbformat.v4.new_markdown_cell(
        "## Summary\n\nThis report compares two deliveries of the engagement: the last review, on data to "
        f"{before.period}, and now, on data to {now.period}. It reads the results delivered each time and "
        "re-runs nothing, so every figure is one the client has already seen in a report."),
        _code(report.bullets(comparison.overview()))]
    for changes in comparison.phases:
        cells.append(nbformat.v4.new_markdown_cell(f"## {changes.title}"))
        cells.append(_code(report.bullets(changes.summary)))
        for fig, caption in changes.figures:
            cells.append(_code(report.figure(fig, caption=caption)))
        for shown in changes.shown:
            cells.append(_code(report.table(shown.table, caption=shown.caption, formats=shown.formats, max_rows=300)))
    notes = [f"{PHASES[p].title}: {why}, so it is not compared." for p, why in comparison.not_compared.items()]
    limits = ["Health scores rank each alliance within its own year's portfolio: a change of score says how an "
              "alliance did against the others, while segments and actions rest on its own figures."] \
        if any(c.phase == "portfolio_health" for c in comparison.phases) else []
    cells.append(nbformat.v4.new_markdown_cell(
        "## Appendix: what was compared\n\nEach phase delivered in both reviews is compared item by item: alliances "
        "by partner, indicators and KPIs by name, maturity by dimension, themes by name. Partner feedback is "
        "compared by theme and count only: no interview text or quote appears in this report."))
    cells.append(_code(report.data_and_limits(limits, notes)))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _cover(comparison: Comparison, engagement=None):
    """The cover: the client and signatory of CURRENT (its manifest, or the engagement file when given)."""
    from ..render import Cover, cover_date

    kicker = f"Review cycle: {comparison.previous.period} to {comparison.current.period}"
    if engagement is not None:
        cover = Cover.of(engagement, TITLE, 0)
        return Cover(**{**cover.__dict__, "kicker": kicker})
    info = next(iter(comparison.current.manifests.values())).get("cover") or {}
    day = info.get("report_date")
    return Cover(client=comparison.current.client, consultant=info.get("consultant", ""), title=TITLE, number=0,
                 color=info.get("primary_color") or "#0B3D91", firm=info.get("firm", ""),
                 currency=info.get("currency", ""), date=cover_date(date.fromisoformat(day)) if day else "",
                 kicker=kicker)


def write_changes(comparison: Comparison, out_dir: Path, formats: Iterable[str] = ("html", "pdf"),
                  engagement=None) -> Path:
    """Write ``out_dir/changes/`` whole (staged beside it, then swapped in); return the folder."""
    from ..render import render_html, render_pdf
    from ..workbook import tables_workbook

    out_dir = Path(out_dir)
    started = time.time()
    with output_lock(out_dir):
        staging = out_dir / f".{FOLDER}-staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            files = {}
            for changes in comparison.phases:
                for name, frame in changes.files.items():
                    if name in files:
                        raise ValueError(f"two comparisons write {name}")
                    files[name] = frame
            for name, frame in files.items():
                neutralise_formulas(frame).to_csv(staging / name, index=False)
            cover = _cover(comparison, engagement)
            page = render_html(notebook(comparison), cover)
            if "html" in formats:
                (staging / "report.html").write_text(page, encoding="utf-8")
            if "pdf" in formats:
                (staging / "report.pdf").write_bytes(render_pdf(page))
            if files:
                day = _report_day(comparison)
                when = date.fromisoformat(day) if day else None
                (staging / "tables.xlsx").write_bytes(tables_workbook(
                    {Path(n).stem: neutralise_formulas(f) for n, f in files.items()}, {}, when=when))
            manifest = {
                "client": comparison.current.client, "results_version": RESULTS_VERSION,
                "previous": _side(comparison.previous, out_dir), "current": _side(comparison.current, out_dir),
                "same_delivery": comparison.same, "compared": [c.phase for c in comparison.phases],
                "not_compared": comparison.not_compared,
                "files": {f.name: sha256(f) for f in sorted(staging.iterdir()) if f.is_file()},
                "versions": versions(), "duration_seconds": round(time.time() - started, 2),
                "reproduce": f"alliancekit compare {_side(comparison.previous, out_dir)['path']} "
                             f"{_side(comparison.current, out_dir)['path']} --output-dir .",
                "run_from": "the output folder",
            }
            (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            target, old = out_dir / FOLDER, out_dir / f".{FOLDER}-old"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return out_dir / FOLDER


def _report_day(comparison: Comparison) -> str:
    return (next(iter(comparison.current.manifests.values())).get("cover") or {}).get("report_date", "")


def _side(delivery: Delivery, out_dir: Path) -> dict:
    """A delivery as the manifest names it: its folder relative to the output folder (no machine paths)."""
    return {"path": relative(delivery.path, out_dir), "engagement": delivery.engagement, "period": delivery.period,
            "phases": delivery.phases}


def compare(previous: str | Path, current: str | Path, out_dir: str | Path | None = None,
            formats: Iterable[str] = ("html", "pdf"), engagement=None, say=print) -> Path:
    """Compare two deliveries and write ``changes/`` into ``out_dir`` (default: CURRENT); return the folder."""
    comparison = compare_deliveries(previous, current)
    folder = write_changes(comparison, Path(out_dir) if out_dir else comparison.current.path, formats, engagement)
    compared = ", ".join(PHASES[c.phase].title for c in comparison.phases) or "no phase"
    say(f"compared {comparison.previous.period} with {comparison.current.period} ({compared}) -> {folder}")
    if comparison.same:
        say("the two deliveries are the same: the report says nothing changed")
    return folder
