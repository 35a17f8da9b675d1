"""A QBR deck per partner (python-pptx), built from the same one-partner payload as its scorecard.

Five slides, meant to open a decision-making review rather than replace it (practitioners find
QBRs often too slide-heavy to drive decisions): the title, goals and leading indicators with status
and direction, the revenue trend, pipeline and funds, how the partner compares in its tier,
and the decisions to take, drawn from what is red and falling and from funds left unused.
"""

from __future__ import annotations

import io
from datetime import datetime

from ..deliverables import stable_zip
from ..fmt import amount, compact_number, percent
from .charts import chart_partner_revenue
from .scorecard_text import change_pct, period_label
from .status import STATUS_COLORS


def _rgb(hex_color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper()[:6])


def decisions(payload: dict) -> list[str]:
    """What the review should decide, from the partner's own figures."""
    out = []
    for line in payload["goals"] + payload["kpis"]:
        if line["status"] == "red" and line["direction"] == "down":
            out.append(f"{line['label']}: red and falling ({change_pct(line['change'])}); agree what changes "
                       "before the next review, with an owner on each side.")
    funds = payload.get("funds")
    if funds and funds.get("utilisation") is not None and funds["utilisation"] < 0.6:
        out.append(f"Market development funds: {compact_number(funds['unused'])} left unused; agree the joint campaigns "
                   "that will use them.")
    if payload["pipeline"]["open_deals"] == 0:
        out.append("No open joint deals: nominate joint accounts to pursue this quarter.")
    rising = [k["label"].lower() for k in payload["kpis"] if k["direction"] == "up" and k.get("good")]
    if rising:
        out.append(f"Building momentum ({', '.join(rising)}): decide where to add sales and marketing capacity.")
    return out or ["On track: confirm the targets for next quarter and the one initiative to accelerate."]


def qbr_deck(payload: dict) -> bytes:
    """The partner's QBR deck (``.pptx``) as bytes."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    p = payload["partner"]
    brand = _rgb(payload["color"])
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    prs.core_properties.title = f"{p['name']} · Quarterly business review"
    prs.core_properties.author = prs.core_properties.last_modified_by = payload["client"]
    prs.core_properties.comments = ""  # dc:description; python-pptx's template says "generated using python-pptx"
    prs.core_properties.created = prs.core_properties.modified = datetime(2000, 1, 1)
    blank = prs.slide_layouts[6]

    def text(slide, left, top, width, height, value, size=14, bold=False, color=None):
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        lines = value if isinstance(value, list) else [value]
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = line
            para.font.size = Pt(size)
            para.font.bold = bold
            if color is not None:
                para.font.color.rgb = color
        return box

    def titled(title):
        slide = prs.slides.add_slide(blank)
        band = slide.shapes.add_shape(1, 0, 0, prs.slide_width, Inches(0.18))
        band.fill.solid()
        band.fill.fore_color.rgb = brand
        band.line.fill.background()
        text(slide, 0.5, 0.35, 12.3, 0.8, title, size=26, bold=True)
        text(slide, 0.5, 6.95, 12.3, 0.4, f"{payload['client']} · {p['name']} · {period_label(payload['as_of'])} · "
                                          "confidential", size=10, color=_rgb("#6B7685"))
        return slide

    def table(slide, rows, top, widths, status_col=None, left=0.5):
        shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(left), Inches(top), Inches(sum(widths)),
                                       Inches(0.4 * len(rows)))
        tbl = shape.table
        for j, w in enumerate(widths):
            tbl.columns[j].width = Inches(w)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = tbl.cell(i, j)
                cell.text = str(value)
                para = cell.text_frame.paragraphs[0]
                para.font.size = Pt(12)
                if i == 0:
                    para.font.bold = True
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = brand
                    para.font.color.rgb = _rgb("#FFFFFF")
                elif status_col is not None and j == status_col:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(STATUS_COLORS.get(str(value), STATUS_COLORS["no data"]))
                    para.font.color.rgb = _rgb("#FFFFFF")
                    para.font.bold = True
        return tbl

    # 1. title
    slide = prs.slides.add_slide(blank)
    band = slide.shapes.add_shape(1, 0, 0, Inches(0.35), prs.slide_height)
    band.fill.solid()
    band.fill.fore_color.rgb = brand
    band.line.fill.background()
    text(slide, 1.0, 2.2, 11, 0.5, f"{payload['client']} · quarterly business review", size=16, color=brand, bold=True)
    text(slide, 1.0, 2.8, 11, 1.2, p["name"], size=40, bold=True)
    text(slide, 1.0, 4.1, 11, 0.5, f"{p['tier']} {p['type']} partner · {p['region']} · {period_label(payload['as_of'])}",
         size=16, color=_rgb("#44505F"))

    # 2. goals and leading indicators
    slide = titled("Goals and leading indicators")
    rows = [["Measure", "Status", "Now", "Target", "Attainment", "Direction"]]
    for line in payload["goals"] + payload["kpis"]:
        rows.append([line["label"], line["status"], amount(line["value"], line["unit"]),
                     amount(line["target"], line["unit"]), percent(line["attainment"]),
                     f"{line['arrow']} {change_pct(line['change'])}".strip()])
    table(slide, rows, 1.3, [3.9, 1.5, 1.8, 1.8, 1.6, 1.7], status_col=1)

    # 3. revenue trend
    slide = titled("Revenue trend")
    rev = payload["revenue"]
    fig = chart_partner_revenue(rev["months"], rev["values"], rev["monthly_target"], payload["color"])
    fig.set_size_inches(12, 4.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    buffer.seek(0)
    slide.shapes.add_picture(buffer, Inches(0.6), Inches(1.4), width=Inches(12.1))

    # 4. pipeline and funds
    slide = titled("Pipeline, deals and funds")
    pl, funds = payload["pipeline"], payload.get("funds") or {}
    text(slide, 0.5, 1.3, 6, 2.5, [
        f"Open pipeline: {compact_number(pl['open_amount'])} in {pl['open_deals']} deals",
        f"Won, last 12 months: {compact_number(pl['won_amount'])} in {pl['won_deals']} deals",
        f"Win rate: {percent(pl['win_rate'])} of {pl['closed_deals']} closed deals",
        f"Deal registrations, last 12 months: {amount(pl['registrations'], 'count')}",
        f"MDF allocated {compact_number(funds.get('allocated'))}, spent {compact_number(funds.get('spent'))}, "
        f"unused {compact_number(funds.get('unused'))}" if funds else "No MDF allocated in the last 12 months",
    ], size=16)
    if pl["by_stage"]:
        stage_rows = [[s["stage"], s["deals"], compact_number(s["amount"])] for s in pl["by_stage"]]
        table(slide, [["Stage", "Deals", "Your credit"]] + stage_rows, 1.3, [2.6, 1.2, 1.8], left=7.2)

    # 5. benchmarks
    slide = titled(f"How you compare with {p['tier']} partners")
    if payload["benchmarks"]:
        table(slide, [["Measure", "You", f"{p['tier']} average", "Your percentile"]] + [
            [b["measure"], amount(b["value"], b["unit"]), amount(b["tier_average"], b["unit"]),
             f"{b['percentile']:.0f}"] for b in payload["benchmarks"]], 1.3, [4.8, 2.2, 2.6, 2.2])
    else:
        text(slide, 0.5, 1.4, 12, 1, "Too few partners in this tier for an anonymous comparison this period.", size=16)

    # 6. decisions
    slide = titled("Decisions for this review")
    text(slide, 0.5, 1.3, 12.3, 5.4, [f"• {d}" for d in decisions(payload)], size=18)

    out = io.BytesIO()
    prs.save(out)
    return stable_zip(out.getvalue())  # byte-stable: fixed zip entry dates, like the properties above
