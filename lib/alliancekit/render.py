"""Turn an executed phase notebook into the client's HTML report and its PDF.

nbconvert renders the notebook through the kit's template (``engagement_templates/report``)
with every code cell's input removed; this module then numbers the sections and fills in
the table of contents; WeasyPrint lays the same HTML out as a paged PDF (no LaTeX, no
browser). The exporter is built once per process: building it costs more than using it.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from .paths import REPORT_TEMPLATE

#: Cells with these tags never reach the report (e.g. the cells nbval checks).
HIDDEN_TAGS = ("remove_cell", "nbval-check", "injected-parameters", "parameters")


@dataclass(frozen=True)
class Cover:
    """What the cover page says: who the report is for and who signs it (never the engagement id,
    which names folders, nor the kit's name: the report is the consultant's)."""

    client: str
    consultant: str
    title: str
    number: int
    engagement: str = ""    # the id: kept for the caller's records, not printed
    color: str = "#0B3D91"
    logo: Path | None = None
    date: str = ""          # as printed; empty: today
    firm: str = ""
    firm_logo: Path | None = None
    currency: str = ""      # ISO 4217 code; the cover then says "Amounts in USD"
    classification: str = ""  # the cover's classification line; empty: confidential for the client
    kicker: str = ""        # the line above the title; empty: "Phase <number> of the engagement"

    @classmethod
    def of(cls, engagement, title: str, number: int, classification: str | None = None) -> "Cover":
        """The cover of one phase's report from a validated :class:`~alliancekit.engagement.Engagement`."""
        return cls(client=engagement.client, consultant=engagement.consultant, title=title, number=number,
                   engagement=engagement.id, color=engagement.primary_color, logo=engagement.logo,
                   date=cover_date(engagement.report_date) if engagement.report_date else "",
                   firm=engagement.firm or "", firm_logo=engagement.firm_logo, currency=engagement.currency or "",
                   classification=(classification or "").replace("{client}", engagement.client))


def cover_date(day: date) -> str:
    """A date as the cover prints it: ``3 December 2026``."""
    return f"{day.day} {day:%B %Y}"


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    return HTMLExporter(config=config, template_name=REPORT_TEMPLATE.name,
                        extra_template_basedirs=[str(REPORT_TEMPLATE.parent)])


def prepare() -> None:
    """Load what rendering needs (the exporter, WeasyPrint) ahead of the first report, e.g. while
    a process waits for work: the first render otherwise pays about a second for it."""
    import weasyprint  # noqa: F401

    _exporter()


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def number_sections(page: str) -> str:
    """Number ``h2``/``h3`` headings of the report body and write the table of contents."""
    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("main")
    items, h2, h3 = [], 0, 0
    for anchor in soup.select("a.anchor-link"):
        anchor.decompose()
    for heading in main.find_all(["h2", "h3"]) if main else []:
        if heading.name == "h2":
            h2, h3 = h2 + 1, 0
            label = f"{h2}"
        else:
            if h2 == 0:
                continue
            h3 += 1
            label = f"{h2}.{h3}"
        anchor_id = f"sec-{label.replace('.', '-')}"
        heading["id"] = anchor_id
        if h2 == 1 and heading.name == "h2":
            heading["class"] = heading.get("class", []) + ["first"]
        number = soup.new_tag("span", attrs={"class": "secnum"})
        number.string = label
        heading.insert(0, number)
        text = heading.get_text(" ", strip=True)[len(label):].strip()
        items.append((heading.name, anchor_id, label, text))
    toc = soup.new_tag("ol")
    for level, anchor_id, label, text in items:
        li = soup.new_tag("li", attrs={"class": "sub" if level == "h3" else "top"})
        link = soup.new_tag("a", href=f"#{anchor_id}")
        link.string = f"{label}  {text}"
        li.append(link)
        toc.append(li)
    for comment in soup.find_all(string=lambda s: s.strip() == "KIT-TOC" if isinstance(s, str) else False):
        comment.replace_with(toc)
    return str(soup)


def render_html(notebook: nbformat.NotebookNode, cover: Cover) -> str:
    """The client HTML report of an executed notebook (self-contained: CSS and logo inline)."""
    resources = {"kit": {
        "client": cover.client, "consultant": cover.consultant, "title": cover.title,
        "number": cover.number, "kicker": cover.kicker or f"Phase {cover.number} of the engagement",
        "color": cover.color, "date": cover.date or cover_date(date.today()),
        "firm": cover.firm, "currency": cover.currency, "sender": cover.firm or cover.client,
        "classification": cover.classification or f"Confidential: for {cover.client} only",
        "logo": _data_uri(cover.logo) if cover.logo else "",
        "firm_logo": _data_uri(cover.firm_logo) if cover.firm_logo else "",
        "css": (REPORT_TEMPLATE / "report.css").read_text(encoding="utf-8"),
    }}
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return number_sections(body)


def layout(page: str):
    """The report laid out as pages (a WeasyPrint document; ``len(doc.pages)`` counts them)."""
    from weasyprint import HTML

    return HTML(string=page, base_url=str(REPORT_TEMPLATE)).render()


def render_pdf(page: str) -> bytes:
    """The PDF of a rendered report (WeasyPrint, print media)."""
    return layout(page).write_pdf()
