"""Writing the phase's files: :func:`deliver` writes the Excel workbook and every partner's scorecard.

Apart from :mod:`.phase` because it is neither analysis nor wording: it needs the notebook's
session (the results folder, the engagement's sender name, colour and logo) and the rendering
payloads, none of which :func:`~.phase.review` needs.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from .declaration import Params
from .payload import ScorecardContext, partner_payloads
from .phase import Review, selected_partners
from .scorecards import FanOut, plan_scorecards, render_here
from .upstream import read_relationship
from .workbook import WORKBOOK, executive_workbook, plan_workbook


def _data_uri(path: Path | None) -> str:
    if not path:
        return ""
    mime = mimetypes.guess_type(Path(path).name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


@dataclass(frozen=True)
class Delivery:
    """What :func:`deliver` wrote: the scorecard fan-out and the workbook.

    ``limited``: the scorecards are those of the partners selected by the ``partners`` parameter.
    """

    fanout: FanOut
    workbook: Path
    limited: bool


def deliver(review_: Review, ctx, relationship: Path | None = None) -> Delivery:
    """Write ``executive_tables.xlsx`` and every selected partner's scorecard into ``ctx.results_dir``.

    Under ``alliancekit run`` (``ctx.runner``) both are handed to the runner, which writes the
    workbook on one of its workers while the others render the scorecards, one Dask task per few
    partners (:mod:`.workbook`, :mod:`.scorecards`); a notebook run on its own writes the workbook
    here and renders the scorecards on a local Dask cluster it starts for them.

    ``ctx``: the notebook's :class:`~alliancekit.session.PhaseSession` (engagement for the
    sender's name, colour and logo; parameters ``partners``, ``pdf``, ``qbr_decks``).
    """
    params = Params.complete(ctx.params)
    folder = Path(ctx.results_dir)
    engagement = ctx.engagement
    if ctx.runner:
        plan_workbook(review_.executive_tables(), folder, engagement.report_date)
    else:
        (folder / WORKBOOK).write_bytes(executive_workbook(review_.executive_tables(), when=engagement.report_date))
    context = ScorecardContext(client=engagement.client, as_of=review_.as_of, months=review_.months,
                               rule=params["attribution"], color=engagement.primary_color,
                               logo=_data_uri(engagement.logo), consultant=engagement.consultant,
                               firm=engagement.firm or "", currency=engagement.currency or "")
    only = selected_partners(params["partners"])
    payloads = partner_payloads(review_.partners, review_.status, review_.attributed, review_.panel, review_.mdf,
                                context, only or None, review_.words, read_relationship(relationship))
    fanout = plan_scorecards(payloads, folder, pdf=bool(params["pdf"]), deck=bool(params["qbr_decks"]),
                             color=engagement.primary_color)
    if not ctx.runner:
        render_here(folder, fanout)
    return Delivery(fanout, folder / WORKBOOK, bool(only))
