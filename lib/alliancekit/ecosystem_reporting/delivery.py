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
from .scorecards import FanOut, plan_scorecards
from .upstream import read_relationship
from .workbook import executive_workbook


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
    """Write ``executive_tables.xlsx`` into ``ctx.results_dir`` and hand every selected partner's
    scorecard payload to the runner, which renders them on its Dask workers (:mod:`.scorecards`).

    ``ctx``: the notebook's :class:`~alliancekit.session.PhaseSession` (engagement for the
    sender's name, colour and logo; parameters ``partners``, ``pdf``, ``qbr_decks``).
    """
    params = Params.complete(ctx.params)
    workbook = Path(ctx.results_dir) / "executive_tables.xlsx"
    workbook.write_bytes(executive_workbook(review_.executive_tables(), when=ctx.engagement.report_date))
    engagement = ctx.engagement
    context = ScorecardContext(client=engagement.client, as_of=review_.as_of, months=review_.months,
                               rule=params["attribution"], color=engagement.primary_color,
                               logo=_data_uri(engagement.logo), consultant=engagement.consultant,
                               firm=engagement.firm or "", currency=engagement.currency or "")
    only = selected_partners(params["partners"])
    payloads = partner_payloads(review_.partners, review_.status, review_.attributed, review_.panel, review_.mdf,
                                context, only or None, review_.words, read_relationship(relationship))
    fanout = plan_scorecards(payloads, Path(ctx.results_dir), pdf=bool(params["pdf"]), deck=bool(params["qbr_decks"]),
                             color=engagement.primary_color)
    return Delivery(fanout, workbook, bool(only))
