"""Render every partner's scorecard from one execution: HTML (Jinja2), PDF (WeasyPrint), deck (optional).

Hundreds of partners must not mean hundreds of kernels. :func:`write_partner_scorecards` is
called once by the notebook with the payloads of :func:`.payload.partner_payloads` and fans
them out over a process pool (``spawn``: forking a process that runs a kernel is unsafe),
one task per partner, each worker handed **only that partner's payload**. Workers load the
template and apply the chart theme once (the optional deck draws with matplotlib), then per partner draw the revenue chart (SVG),
render the HTML with autoescaping on (a partner called ``<script>`` is text), lay it out as a
PDF, and write ``<stem>.html``, ``<stem>.pdf`` and, when asked, ``<stem>.pptx``.

Progress goes to ``sys.__stderr__`` (inside a kernel: the terminal of ``alliancekit run``),
never to the notebook's output, so the client report stays clean.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from markupsafe import Markup

from ..fmt import amount, compact_number, percent
from ..paths import REPORT_TEMPLATE
from .charts import percentile_bar_html, revenue_trend_svg, status_wheel_svg, svg_image
from .payload import tier_note
from .scorecard_text import change_pct, period_label

TEMPLATE = "partner_scorecard.html.j2"
STYLESHEETS = ("report.css", "partner_scorecard.css")


# ----------------------------------------------------------------------------------------------
# Formatting filters (numbers only; text is escaped by Jinja's autoescape)
# ----------------------------------------------------------------------------------------------

def arrow_class(line: dict) -> str:
    """CSS class of a line's arrow: ``good``, ``bad`` or ``flat``."""
    if line.get("direction") in ("flat", "no data"):
        return "flat"
    return "good" if line.get("good") else "bad"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(REPORT_TEMPLATE)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=False, lstrip_blocks=False)
    env.filters.update({
        "money": compact_number, "amount": amount, "pct": percent, "signed_pct": change_pct,
        "arrow_class": arrow_class,
        "wheel": lambda line, size=46: Markup(svg_image(status_wheel_svg(line.get("attainment"), line.get("status", ""),
                                                                          size), "wheel")),
        "pbar": lambda pct: Markup(percentile_bar_html(pct)),
    })
    return env


@lru_cache(maxsize=1)
def _css() -> str:
    return "\n".join((REPORT_TEMPLATE / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def render_scorecard_html(payload: dict) -> str:
    """The scorecard HTML of one partner's payload (self-contained: CSS and charts inline).

    The revenue chart is an SVG image (data URI) rather than inline SVG: WeasyPrint then draws
    it as one picture instead of styling and laying out each of its elements.
    """
    rev = payload["revenue"]
    chart = revenue_trend_svg(rev["months"], rev["values"], rev["monthly_target"], payload["color"])
    return _environment().get_template(TEMPLATE).render(
        s=payload, css=Markup(_css()), chart=Markup(svg_image(chart, "sc-revenue")),
        period=period_label(payload["as_of"]), tier_note=tier_note(payload))


@lru_cache(maxsize=1)
def _fonts():
    """One font configuration per process: building it per scorecard costs about 0.05 s each."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_scorecard_pdf(page: str) -> bytes:
    """The PDF of a rendered scorecard (WeasyPrint, print media)."""
    from weasyprint import HTML

    return HTML(string=page, base_url=str(REPORT_TEMPLATE)).write_pdf(font_config=_fonts())


@dataclass(frozen=True)
class RenderOptions:
    """What to write for each partner, and where (picklable: handed to every worker)."""

    out_dir: Path
    pdf: bool = True
    deck: bool = False


def render_partner(payload: dict, options: RenderOptions) -> tuple[str, float]:
    """Write one partner's files (HTML, PDF, deck); return its file stem and the seconds it took.

    Files are written under a temporary name and renamed, so a scorecard is never half-written.
    """
    started = time.perf_counter()
    stem = payload["stem"]
    page = render_scorecard_html(payload)
    files: list[tuple[str, bytes]] = [(f"{stem}.html", page.encode("utf-8"))]
    if options.pdf:
        files.append((f"{stem}.pdf", render_scorecard_pdf(page)))
    if options.deck:
        from .qbr import qbr_deck

        files.append((f"{stem}.pptx", qbr_deck(payload)))
    for name, content in files:
        tmp = options.out_dir / f".{name}.part"
        tmp.write_bytes(content)
        os.replace(tmp, options.out_dir / name)
    return stem, time.perf_counter() - started


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it is gone.

    If the kernel is killed mid fan-out (an interrupted run), its workers would otherwise
    live on, idle, holding the terminal's (or a CI runner's) output pipes open for ever.
    """
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _worker_start(color: str) -> None:
    """Once per worker: chart theme and template (the first render pays for the imports)."""
    from ..theme import apply_theme

    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    apply_theme(color)
    _environment().get_template(TEMPLATE)


def workers_for(jobs: int, n: int) -> int:
    """Worker processes: ``jobs`` (0: one per core), never more than there are partners."""
    return max(1, min(n, jobs if jobs > 0 else (os.cpu_count() or 1)))


@dataclass(frozen=True)
class FanOut:
    """What :func:`write_partner_scorecards` did."""

    partners: int
    files: int
    workers: int
    seconds: float
    #: the formats of each partner's files, as a reader names them ("HTML", "PDF", "PowerPoint")
    formats: tuple[str, ...] = ("HTML",)


def write_partner_scorecards(payloads: Sequence[dict], out_dir: Path, pdf: bool = True, deck: bool = False,
                             jobs: int = 0, color: str = "#0B3D91", progress: bool = True) -> FanOut:
    """Render every payload into ``out_dir`` (created), in parallel over ``jobs`` processes (0: one per core).

    One process (``jobs=1``) renders in the calling process. A progress bar goes to the
    terminal (``sys.__stderr__``) unless ``progress`` is false. Raises the first rendering error.
    """
    from tqdm import tqdm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = RenderOptions(out_dir, pdf, deck)
    n = len(payloads)
    workers = workers_for(jobs, n)
    started = time.perf_counter()
    stream = sys.__stderr__ if sys.__stderr__ is not None else sys.stderr
    bar = tqdm(total=n, file=stream, desc="partner scorecards", unit="partner", disable=not progress or n == 0,
               leave=True, mininterval=0.5)
    try:
        if workers == 1:
            _worker_start(color)
            for payload in payloads:
                render_partner(payload, options)
                bar.update(1)
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                                     initargs=(color,)) as pool:
                futures = [pool.submit(render_partner, payload, options) for payload in payloads]
                try:
                    for future in as_completed(futures):
                        future.result()
                        bar.update(1)
                except BaseException:
                    for f in futures:
                        f.cancel()
                    raise
    finally:
        bar.close()
    formats = ("HTML",) + (("PDF",) if pdf else ()) + (("PowerPoint",) if deck else ())
    return FanOut(n, n * len(formats), workers, time.perf_counter() - started, formats)
