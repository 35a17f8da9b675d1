"""Every partner's scorecard: HTML (Jinja2), PDF (WeasyPrint), deck (optional), a few partners per Dask task.

Hundreds of thousands of partners must not mean as many kernels, nor one machine. The notebook
builds each partner's payload (:func:`.payload.partner_payloads`) and hands them to the runner
(:func:`plan_scorecards`: a file in the phase's staging folder); the runner's render step
(:func:`render_pending`) sends the partners, a few per task, to the run's Dask workers
(:mod:`alliancekit.engine`), each task fed **only its partners' payloads**, and writes the bytes
each task returns (``<stem>.html``, ``<stem>.pdf`` and, when asked, ``<stem>.pptx``) into the
staging folder: no shared filesystem, nothing delivered until every scorecard is there. A task
draws the revenue chart (SVG), renders the HTML with autoescaping on (a partner called
``<script>`` is text) and lays it out as a PDF. A worker that dies has its partners retried on the
others; a partner whose rendering raises fails the phase, naming the partner.

Progress goes to the terminal of ``alliancekit run``, never to the notebook's output, so the
client report stays clean.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
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


def render_scorecard_html(payload: dict, inline_css: bool = True) -> str:
    """The scorecard HTML of one partner's payload (self-contained: CSS and charts inline).

    ``inline_css=False``: the same page without its stylesheet, for :func:`render_scorecard_pdf`,
    which applies the stylesheet parsed once per process instead of parsing it again per partner.
    The revenue chart is an SVG image (data URI) rather than inline SVG: WeasyPrint then draws
    it as one picture instead of styling and laying out each of its elements.
    """
    rev = payload["revenue"]
    chart = revenue_trend_svg(rev["months"], rev["values"], rev["monthly_target"], payload["color"])
    return _environment().get_template(TEMPLATE).render(
        s=payload, css=Markup(_css() if inline_css else ""), chart=Markup(svg_image(chart, "sc-revenue")),
        period=period_label(payload["as_of"]), tier_note=tier_note(payload))


@lru_cache(maxsize=1)
def _fonts():
    """One font configuration per process: building it per scorecard costs about 0.05 s each."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet():
    """The scorecard stylesheet, parsed once per process: parsing it per partner cost about a tenth
    of each PDF (benchmarks/README.md, "Scale-out on Dask"); the pages come out the same."""
    from weasyprint import CSS

    return CSS(string=_css(), base_url=str(REPORT_TEMPLATE), font_config=_fonts())


def render_scorecard_pdf(payload: dict) -> bytes:
    """The PDF of one partner's scorecard (WeasyPrint, print media): the page of
    :func:`render_scorecard_html` laid out with the stylesheet parsed once per process."""
    from weasyprint import HTML

    page = render_scorecard_html(payload, inline_css=False)
    return HTML(string=page, base_url=str(REPORT_TEMPLATE)).write_pdf(stylesheets=[_stylesheet()],
                                                                       font_config=_fonts())


#: The file in a phase's staging folder that holds the payloads the runner renders (removed once rendered).
PENDING = ".scorecard_payloads.pkl"
#: The folder of the scorecards in the phase's folder.
PARTNERS = "partners"
#: Tasks in flight per worker: enough to keep every worker busy, few enough that 100,000
#: payloads are not all held by the scheduler at once.
IN_FLIGHT_PER_WORKER = 4
#: Partners per task at most: a few partners per task share the engine's per-task cost (the
#: scheduler's bookkeeping and a round trip) while every worker still gets many tasks.
MAX_BATCH = 16


@dataclass(frozen=True)
class RenderOptions:
    """What to render for each partner (travels with every task)."""

    pdf: bool = True
    deck: bool = False
    color: str = "#0B3D91"


@lru_cache(maxsize=4)
def _prepared(color: str) -> bool:
    """Once per worker process and colour: the chart theme and the template (the first render pays the imports)."""
    from ..theme import apply_theme

    apply_theme(color)
    _environment().get_template(TEMPLATE)
    return True


def render_partner(payload: dict, options: RenderOptions) -> list[tuple[str, bytes]]:
    """One partner's files as ``(name, bytes)``: HTML, then PDF and deck when asked (a Dask task: pure, no I/O)."""
    _prepared(options.color)
    stem = payload["stem"]
    page = render_scorecard_html(payload)
    files: list[tuple[str, bytes]] = [(f"{stem}.html", page.encode("utf-8"))]
    if options.pdf:
        files.append((f"{stem}.pdf", render_scorecard_pdf(payload)))
    if options.deck:
        from .qbr import qbr_deck

        files.append((f"{stem}.pptx", qbr_deck(payload)))
    return files


class PartnerFailed(Exception):
    """A partner's scorecard could not be rendered (raised in a worker, named in the run's message)."""


@lru_cache(maxsize=1)
def _settled() -> bool:
    """Once per worker process, after its first scorecards: move what is alive then (modules, the
    worker's own machinery, fonts and stylesheet) out of the garbage collector's sight (``gc.freeze``).

    Every PDF makes and drops hundreds of thousands of layout objects, so the collector runs
    often, and each full collection walked the whole long-lived heap of a Dask worker: freezing it
    made a scorecard about a tenth cheaper (benchmarks/README.md, "Scale-out on Dask"). What is
    frozen is never collected; it was going to live as long as the process anyway.
    """
    import gc

    gc.collect()
    gc.freeze()
    return True


def render_batch(payloads: list[dict], options: RenderOptions) -> list[tuple[str, bytes]]:
    """The files of a few partners (:func:`render_partner` each): one Dask task. A partner whose
    rendering raises stops the task with :class:`PartnerFailed` naming that partner."""
    files: list[tuple[str, bytes]] = []
    for payload in payloads:
        try:
            files += render_partner(payload, options)
        except Exception as exc:  # noqa: BLE001 - any error of one partner's rendering is reported as that partner's
            raise PartnerFailed(f"partner {payload.get('partner_id', payload['stem'])} "
                                f"({payload.get('partner_name', '')}): {type(exc).__name__}: {exc}") from None
    _settled()
    return files


def batch_size(partners: int, workers: int) -> int:
    """Partners per task: about eight tasks per worker, between 1 and :data:`MAX_BATCH`."""
    return max(1, min(MAX_BATCH, partners // max(1, workers * 8)))


@dataclass(frozen=True)
class FanOut:
    """The scorecards a phase hands to the runner: how many partners, files and which formats."""

    partners: int
    files: int
    #: the formats of each partner's files, as a reader names them ("HTML", "PDF", "PowerPoint")
    formats: tuple[str, ...] = ("HTML",)


def plan_scorecards(payloads: Sequence[dict], folder: Path, pdf: bool = True, deck: bool = False,
                    color: str = "#0B3D91") -> FanOut:
    """Hand every payload to the runner's render step: ``folder/PENDING`` (the phase's results folder)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    options = RenderOptions(pdf, deck, color)
    with open(folder / PENDING, "wb") as handle:
        pickle.dump({"options": options, "payloads": list(payloads)}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    formats = ("HTML",) + (("PDF",) if pdf else ()) + (("PowerPoint",) if deck else ())
    return FanOut(len(payloads), len(payloads) * len(formats), formats)


def has_pending(folder: Path) -> bool:
    """Whether a phase's staging folder holds scorecards to render."""
    return (Path(folder) / PENDING).is_file()


def render_pending(folder: Path, client, progress: bool = True, stop: threading.Event | None = None) -> None:
    """Render the payloads pending in ``folder`` on ``client``'s Dask workers into ``folder/partners/``.

    A few partners per task (:func:`batch_size`), at most :data:`IN_FLIGHT_PER_WORKER` tasks per
    worker in flight; the bytes come back here and are written under a temporary name, then
    renamed. A partner whose rendering raises stops the render (the other tasks are cancelled)
    with :class:`~alliancekit.errors.PhaseFailed` naming the partner; the caller then discards
    the staging folder, so nothing is half-delivered. ``stop`` (set by a runner that is stopping
    on another thread) ends the render the same way after the task under way. The pending file
    is removed when all are written.
    """
    from distributed import as_completed
    from tqdm import tqdm

    from ..errors import PhaseFailed

    folder = Path(folder)
    with open(folder / PENDING, "rb") as handle:
        pending = pickle.load(handle)
    options, payloads = pending["options"], pending["payloads"]
    out = folder / PARTNERS
    out.mkdir(parents=True, exist_ok=True)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = batch_size(len(payloads), workers)
    batches = iter([payloads[i:i + size] for i in range(0, len(payloads), size)])
    stream = sys.__stderr__ if sys.__stderr__ is not None else sys.stderr
    bar = tqdm(total=len(payloads), file=stream, desc="partner scorecards", unit="partner",
               disable=not progress or not payloads, leave=True, mininterval=0.5)
    running: dict = {}
    futures = as_completed()

    def submit(n: int) -> None:
        for batch in (next(batches, None) for _ in range(n)):
            if batch is None:
                return
            future = client.submit(render_batch, batch, options, pure=False)
            running[future.key] = (future, len(batch))
            futures.add(future)

    try:
        submit(IN_FLIGHT_PER_WORKER * workers)
        for future in futures:
            if stop is not None and stop.is_set():
                raise PhaseFailed("the run stopped before every partner scorecard was rendered")
            count = running.pop(future.key)[1]
            if future.status == "error":
                exc = future.exception()
                why = str(exc) if isinstance(exc, PartnerFailed) else f"{type(exc).__name__}: {exc}"
                raise PhaseFailed(f"the scorecard of {why} failed; nothing of this phase was delivered")
            for name, content in future.result():
                tmp = out / f".{name}.part"
                tmp.write_bytes(content)
                os.replace(tmp, out / name)
            future.release()
            bar.update(count)
            submit(1)
    except BaseException:
        client.cancel([f for f, _ in running.values()], force=True)
        raise
    finally:
        bar.close()
    (folder / PENDING).unlink()


def render_here(folder: Path, fanout: FanOut) -> None:
    """Render the payloads pending in ``folder`` on a local Dask cluster started for them and
    stopped after: a notebook run on its own, without the runner. One worker process per core
    when PDFs or decks are asked (a few tenths of a second a partner); HTML alone (about a
    millisecond a partner) on one worker in this process, which spawns and imports nothing."""
    from ..engine import LocalEngine

    engine = LocalEngine(say=lambda _: None, most=1 if fanout.formats == ("HTML",) else None, warm=None)
    try:
        render_pending(folder, engine.client())
    finally:
        engine.close()
