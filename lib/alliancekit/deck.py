"""A phase's report as a steering-committee deck (``deck.pptx``, python-pptx), read from the report's HTML.

The deck says exactly what the report says: it is built from the rendered report page (the
output of :func:`alliancekit.render.render_html`), not from the notebook. It holds a title slide
(client, phase, consultant, the firm when known, date), the key-figure tiles, one slide per chart
(the appendix's left out), the findings of the executive summary (over several slides when long)
and, when the report recommends something as a list (recommendation, priorities, course
corrections), "Next steps". Every text is an editable text box; titles and accents take the
engagement's primary colour; the slides are 16:9 and nothing reaches past their edges.

Charts are inline SVG in the report; python-pptx places raster pictures only, so each chart's
SVG is converted to PNG with CairoSVG (libcairo2, installed by ``.ci/run``), here, at run time,
and only when a deck is asked for.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.entities import name2codepoint

#: Slide size (16:9) and the content area under a slide's title, in inches.
SLIDE_W, SLIDE_H = 40 / 3, 7.5
MARGIN = 0.5
CONTENT_TOP, CONTENT_BOTTOM = 1.35, 6.8
GREY, DARK = "#6B7685", "#44505F"

#: Text estimate used to size text: average glyph width as a share of the font size (generous for
#: Calibri, which averages about 0.48), line height as a multiple of it, and a text box's margins.
CHAR_WIDTH, LINE_HEIGHT = 0.55, 1.2
INSET_X, INSET_Y = 0.1, 0.05

#: Sections whose lists are what the committee should do next.
NEXT_STEPS = re.compile(r"recommend|course correction|next step|where to act|priorit", re.I)


@dataclass
class ReportContent:
    """What a deck takes from a report page."""

    title: str = ""
    key_figures: list[tuple[str, str, str]] = field(default_factory=list)  # value, label, note
    charts: list[tuple[str, str, str]] = field(default_factory=list)       # section, caption, svg
    findings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def _text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def _heading(el) -> str:
    """A section heading without its number and anchor."""
    parts = [c for c in el.children if not (getattr(c, "get", None) and
                                            ({"secnum", "anchor-link"} & set(c.get("class") or [])))]
    return " ".join("".join(c.get_text(" ") if hasattr(c, "get_text") else str(c) for c in parts).split())


def parse_report(report_html: str) -> ReportContent:
    """The title, key figures, charts (with their SVG), findings and next steps of a report page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(report_html, "lxml")
    svgs = _figure_svgs(report_html)
    out = ReportContent()
    cover = soup.select_one("h1")
    out.title = _text(cover) if cover else ""
    h2 = h3 = ""
    n_figure = 0
    for el in soup.find_all(["h2", "h3", "div", "ul", "figure"]):
        classes = set(el.get("class") or [])
        if el.name == "h2":
            if "toc-title" not in classes:
                h2, h3 = _heading(el), ""
            continue
        if el.name == "h3":
            h3 = _heading(el)
            continue
        if el.name == "figure" and "kit-figure" in classes:
            n_figure += 1
            if not h2.lower().startswith("appendix") and n_figure <= len(svgs):
                caption = el.find("figcaption")
                out.charts.append((h3 or h2, _text(caption) if caption else "", svgs[n_figure - 1]))
            continue
        if el.find_parent(class_="callout-note") or el.find_parent(["table", "nav"]) or el.find_parent(class_="toc"):
            continue  # data notes, tables of contents: not for the committee
        items: list[str] = []
        if el.name == "div" and "kpis" in classes and not out.key_figures:
            for tile in el.select(".kpi"):
                value, label, note = (tile.select_one(c) for c in (".kpi-value", ".kpi-label", ".kpi-note"))
                out.key_figures.append((_text(value) if value else "", _text(label) if label else "",
                                        _text(note) if note else ""))
        elif el.name == "div" and "callout-key" in classes:
            items = [_text(p) for p in el.find_all("p") if _text(p)]
        elif el.name == "ul" and not el.find_parent("ul"):
            items = [_text(li) for li in el.find_all("li", recursive=False) if _text(li)]
        if h2.lower() == "executive summary":
            out.findings += items
        elif NEXT_STEPS.search(h2) or NEXT_STEPS.search(h3):
            out.next_steps += items
    return out


_SVG_NAMES = {n.lower(): n for n in (
    "viewBox", "preserveAspectRatio", "clipPath", "clipPathUnits", "linearGradient", "radialGradient",
    "gradientUnits", "gradientTransform", "patternUnits", "patternContentUnits", "patternTransform",
    "textPath", "foreignObject", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "maskUnits", "maskContentUnits", "textLength", "lengthAdjust", "stdDeviation", "spreadMethod")}


def _figure_svgs(report_html: str) -> list[str]:
    """Each figure's SVG as standalone XML: the report's HTML serialiser writes SVG names in lower
    case (``viewbox``, ``clippath``), which browsers accept and an SVG renderer does not."""
    svgs = re.findall(r'<figure class="kit-figure[^"]*">\s*(<svg\b.*?</svg>)', report_html, re.S)
    names = re.compile(r"(?<=[<\s/])(" + "|".join(_SVG_NAMES) + r")(?=[\s=>/])")
    fixed = []
    for svg in svgs:
        svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
        svg = names.sub(lambda m: _SVG_NAMES[m.group(1)], svg)
        svg = re.sub(r"&(\w+);", lambda m: m.group(0) if m.group(1) in ("amp", "lt", "gt", "quot", "apos")
                     else f"&#{name2codepoint.get(m.group(1), 63)};", svg)
        fixed.append(svg)
    return fixed


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """A chart's SVG as PNG bytes (CairoSVG, on libcairo2)."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # cairocffi raises OSError when libcairo2 is missing
        raise RuntimeError("the PowerPoint deck needs CairoSVG and the cairo library (apt-get install libcairo2) "
                           f"to place the report's charts: {exc}") from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")


def text_height(lines: list[str], width: float, size: float, gap: float = 0.0) -> float:
    """Estimated height (inches) of the paragraphs ``lines`` set in ``size`` pt in a word-wrapped box
    ``width`` inches wide, margins included: wrapped lines x line height, plus ``gap`` pt between
    paragraphs."""
    per_line = max(1, int((width - 2 * INSET_X) * 72 / (size * CHAR_WIDTH)))
    n = sum(_wrapped(line, per_line) for line in lines)
    return (n * size * LINE_HEIGHT + gap * max(0, len(lines) - 1)) / 72 + 2 * INSET_Y


def _wrapped(line: str, per_line: int) -> int:
    """Lines ``line`` takes when wrapped at ``per_line`` characters (a longer word breaks anywhere)."""
    count, used = 1, 0
    for word in line.split():
        need = len(word) + (1 if used else 0)
        if used + need <= per_line:
            used += need
            continue
        if used:
            count += 1
        count += (len(word) - 1) // per_line
        used = len(word) - ((len(word) - 1) // per_line) * per_line
    return count


def _gap(size: float) -> float:
    """Space after a bullet, in points."""
    return round(size * 0.5)


def _fit(lines: list[str], width: float, height: float, sizes=(20, 18, 16, 14), bullets: bool = False) -> float | None:
    """The largest of ``sizes`` at which ``lines`` fit the box, or None."""
    return next((s for s in sizes if text_height(lines, width, s, _gap(s) if bullets else 0) <= height), None)


def _chunks(items: list[str], width: float, height: float) -> list[tuple[list[str], float]]:
    """``items`` over as few slides as fit (each with its font size); usually one or two."""
    for parts in range(1, len(items) + 1):
        step = math.ceil(len(items) / parts)
        groups = [items[i:i + step] for i in range(0, len(items), step)]
        sizes = [_fit(g, width, height, bullets=True) for g in groups]
        if all(sizes):
            return list(zip(groups, sizes))
    return [([item], _fit([item], width, height, (14, 12, 10, 8), bullets=True) or 8) for item in items]


def _rgb(hex_color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper()[:6])


def _today() -> str:
    day = date.today()
    return f"{day.day} {day:%B %Y}"


def build_deck(report_html: str, cover, color: str, document_date: date | None = None) -> bytes:
    """The steering-committee deck (``.pptx`` bytes) of one phase's report page.

    ``cover``: the report's :class:`~alliancekit.render.Cover` (client, consultant, title; the firm
    and date when it has them); ``color``: the engagement's primary colour; ``document_date``: the
    document's created and modified date (the engagement's report date; a fixed date when none),
    so the same report gives the same bytes (:func:`~alliancekit.deliverables.stable_zip`).
    """
    from .deliverables import stable_zip

    from pptx import Presentation
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Emu, Inches, Pt

    content = parse_report(report_html)
    brand = _rgb(color)
    title = getattr(cover, "title", "") or content.title
    firm = getattr(cover, "firm", None) or ""
    when = getattr(cover, "date", None) or _today()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.33 x 7.5 in, 16:9
    prs.core_properties.title = f"{cover.client} · {title}"
    prs.core_properties.author = prs.core_properties.last_modified_by = cover.consultant
    prs.core_properties.comments = ""  # dc:description; python-pptx's template says "generated using python-pptx"
    prs.core_properties.created = prs.core_properties.modified = datetime(2000, 1, 1)
    blank = prs.slide_layouts[6]

    def text(slide, left, top, width, height, value, size=14, bold=False, rgb=None, anchor=None):
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = Inches(INSET_X)
        frame.margin_top = frame.margin_bottom = Inches(INSET_Y)
        if anchor is not None:
            frame.vertical_anchor = anchor
        for i, line in enumerate(value if isinstance(value, list) else [value]):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.space_after = Pt(_gap(size) if isinstance(value, list) and len(value) > 1 else 0)
            run = para.add_run()  # the font on the run itself: every viewer honours it
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            if rgb is not None:
                run.font.color.rgb = rgb
        return box

    def fitted(slide, left, top, width, height, value, sizes, **kw):
        lines = value if isinstance(value, list) else [value]
        size = _fit(lines, width, height, sizes) or sizes[-1]
        return text(slide, left, top, width, height, value, size=size, **kw)

    def band(slide, left, top, width, height):
        shape = slide.shapes.add_shape(1, Inches(left), Inches(top), Inches(width), Inches(height))
        shape.fill.solid()
        shape.fill.fore_color.rgb = brand
        shape.line.fill.background()
        return shape

    def titled(heading):
        slide = prs.slides.add_slide(blank)
        band(slide, 0, 0, SLIDE_W, 0.18)
        fitted(slide, MARGIN, 0.35, SLIDE_W - 2 * MARGIN, 0.85, heading, (26, 22, 18, 16), bold=True, rgb=brand,
               anchor=MSO_ANCHOR.MIDDLE)
        fitted(slide, MARGIN, 6.95, SLIDE_W - 2 * MARGIN, 0.4, f"{cover.client} · {title} · {when} · confidential",
               (10, 9, 8), rgb=_rgb(GREY))
        return slide

    # 1. title
    slide = prs.slides.add_slide(blank)
    band(slide, 0, 0, 0.35, SLIDE_H)
    fitted(slide, 1.0, 1.9, 11.3, 0.6, cover.client, (20, 18, 16, 14), bold=True, rgb=brand)
    fitted(slide, 1.0, 2.6, 11.3, 1.6, title, (40, 36, 32, 28, 24), bold=True)
    by = f"{cover.consultant}, {firm}" if firm else cover.consultant
    fitted(slide, 1.0, 4.4, 11.3, 0.5, by, (18, 16, 14, 12), rgb=_rgb(DARK))
    fitted(slide, 1.0, 4.95, 11.3, 0.5, when, (16, 14, 12), rgb=_rgb(GREY))

    # 2. key figures: tiles in up to two rows
    if content.key_figures:
        slide = titled("Key figures")
        tiles = content.key_figures
        cols = {5: 3, 6: 3}.get(len(tiles), min(4, len(tiles)) if len(tiles) <= 8 else math.ceil(len(tiles) / 2))
        rows = math.ceil(len(tiles) / cols)
        gap, area_w, area_h = 0.3, SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP - 0.2
        w, h = (area_w - gap * (cols - 1)) / cols, min(2.4, (area_h - gap * (rows - 1)) / rows)
        for i, (value, label, note) in enumerate(tiles):
            left = MARGIN + (i % cols) * (w + gap)
            top = CONTENT_TOP + 0.2 + (i // cols) * (h + gap)
            band(slide, left, top, 0.08, h)
            inner_l, inner_w = left + 0.15, w - 0.15
            fitted(slide, inner_l, top, inner_w, h * 0.42, value, (36, 32, 28, 24, 20, 16), bold=True, rgb=brand,
                   anchor=MSO_ANCHOR.BOTTOM)
            fitted(slide, inner_l, top + h * 0.42, inner_w, h * 0.33, label, (16, 14, 12, 10, 8), rgb=_rgb(DARK))
            if note:
                fitted(slide, inner_l, top + h * 0.75, inner_w, h * 0.25, note, (12, 11, 10, 9, 8), rgb=_rgb(GREY))

    # 3. one slide per chart: the picture as large as fits above its caption
    from PIL import Image

    for heading, caption, svg in content.charts:
        slide = titled(heading or caption or "Chart")
        png = svg_to_png(svg)
        px_w, px_h = Image.open(io.BytesIO(png)).size
        cap_h = 0.55 if caption else 0.0
        box_w, box_h = SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP - cap_h
        scale = min(box_w / px_w, box_h / px_h)
        pic_w, pic_h = px_w * scale, px_h * scale
        slide.shapes.add_picture(io.BytesIO(png), Inches((SLIDE_W - pic_w) / 2), Inches(CONTENT_TOP),
                                 Inches(pic_w), Inches(pic_h))
        if caption:
            fitted(slide, MARGIN, CONTENT_TOP + pic_h + 0.05, box_w, cap_h, caption, (13, 12, 11, 10, 9, 8),
                   rgb=_rgb(DARK))

    # 4. findings and next steps, as bullets over as many slides as they need (one or two)
    for heading, items in (("Findings", content.findings), ("Next steps", content.next_steps)):
        if not items:
            continue
        width, height = SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP
        groups = _chunks([f"• {item}" for item in items], width, height)
        for n, (group, size) in enumerate(groups, 1):
            slide = titled(heading if len(groups) == 1 else f"{heading} ({n} of {len(groups)})")
            text(slide, MARGIN, CONTENT_TOP, width, height, group, size=size)

    out = io.BytesIO()
    prs.save(out)
    return stable_zip(out.getvalue(), document_date)
