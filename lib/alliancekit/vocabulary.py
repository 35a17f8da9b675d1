"""The client's own words in the reports: its stage order, closed stages, tier order and labels.

A CRM lists pipeline stages in the order deals move through them (Qualify, Propose, Negotiate),
a partner programme ranks its tiers (Platinum above Gold), and a client calls its partner types
what it calls them ("Global SI", not the kit's "GSI"). Reports that sort stages alphabetically
or say "GSI" read as a tool's output. The engagement file says it once, beside the input it
describes::

    data:
      opportunities:
        path: data/opportunities.csv
        stage_order: [Qualify, Propose, Negotiate, Closed Won, Closed Lost, Disqualified]
        outcomes: {won: [Closed Won], lost: [Closed Lost], closed: [Disqualified]}
      partners:
        path: data/partners.csv
        tier_order: [Platinum, Gold, Silver]
        labels: {partner_type: {GSI: Global SI}, region: {NA: North America}}

Validation attaches the result to the validated tables (``DataFrame.attrs``, which pandas
keeps through copies, filters and pickles), so every analysis that receives the tables sees it
without a new argument: :func:`of` reads it back. Without any of these keys the reports keep
their earlier order and the kit's names.

A partner type written by the client in its own words (``values: {partner_type: {Global SI:
GSI}}``, or a synonym validation reads, "Systems Integrator") is shown in those words when the
client used one spelling for it; ``labels`` overrides.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: ``DataFrame.attrs`` key under which validation leaves an input's vocabulary.
ATTR = "vocabulary"
#: Stages read as closed without being told (compared without regard to case or blanks).
CLOSED_STAGES = ("closed won", "closed lost", "won", "lost", "closed")


@dataclass(frozen=True)
class Vocabulary:
    """How the client names and orders its categories (every field optional)."""

    #: pipeline stages, earliest first, as the client's CRM writes them
    stage_order: tuple[str, ...] = ()
    #: stages that end a deal (won, lost, or ended without either), besides :data:`CLOSED_STAGES`
    closed_stages: tuple[str, ...] = ()
    #: stages that end a deal without a win or a loss (Disqualified): out of pipeline and win rates
    ended_stages: tuple[str, ...] = ()
    #: partner tiers, highest first
    tier_order: tuple[str, ...] = ()
    #: column -> {the kit's value: the client's label}
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def merged(self, other: Vocabulary) -> Vocabulary:
        """This vocabulary with what ``other`` gives added (``other`` wins where both give)."""
        labels = {c: {**self.labels.get(c, {}), **other.labels.get(c, {})} for c in {*self.labels, *other.labels}}
        return Vocabulary(other.stage_order or self.stage_order, other.closed_stages or self.closed_stages,
                          other.ended_stages or self.ended_stages, other.tier_order or self.tier_order, labels)

    def label(self, column: str, value: object) -> str:
        """``value`` of ``column`` as the client writes it (the value itself when no label is given)."""
        return self.labels.get(column, {}).get(str(value), str(value))

    def labelled(self, column: str, values: pd.Series) -> pd.Series:
        """Every value of ``values`` (a ``column`` of the kit's) as the client writes it."""
        table = self.labels.get(column)
        if not table:
            return values.astype(str)
        return values.astype(str).map(lambda v: table.get(v, v))

    def order(self, column: str) -> tuple[str, ...]:
        """The client's order of ``column``'s values (``stage`` or ``tier``); empty when not given."""
        return {"stage": self.stage_order, "tier": self.tier_order}.get(column, ())

    def rank(self, column: str, values: pd.Series) -> pd.Series | None:
        """Position of each value in the client's order of ``column`` (None: no order given).
        Values the order does not hold (validation refuses them; a total row) come last."""
        order = self.order(column)
        if not order:
            return None
        position = {key(v): i for i, v in enumerate(order)}
        return keys(values).map(position).fillna(len(order)).astype(int)

    def sort(self, frame: pd.DataFrame, column: str, by: str | None = None) -> pd.DataFrame:
        """``frame`` in the client's order of ``column``'s values, held in ``frame[by or column]``;
        unchanged (same order) when no order is given."""
        ranks = self.rank(column, frame[by or column])
        if ranks is None:
            return frame
        return frame.iloc[np.argsort(ranks.to_numpy(), kind="stable")]

    def closed(self, stages: pd.Series) -> np.ndarray:
        """Which ``stages`` end a deal: :data:`CLOSED_STAGES` and the client's ``closed_stages``.

        Every phase that counts open pipeline (portfolio health's coverage, ecosystem
        reporting's pipeline) leaves these out, so both count the same deals."""
        return _among(stages, {*CLOSED_STAGES, *(key(s) for s in self.closed_stages)})

    def ended(self, stages: pd.Series) -> np.ndarray:
        """Which ``stages`` end a deal without a win or a loss (the client's ``outcomes.closed``):
        such a deal is neither won nor lost, so it stays out of win rates even with a close date."""
        return _among(stages, {key(s) for s in self.ended_stages})


EMPTY = Vocabulary()


def key(value: object) -> str:
    """A stage or tier as compared with the client's lists: case and surrounding blanks ignored."""
    return str(value).strip().casefold()


def keys(values: pd.Series) -> pd.Series:
    """:func:`key` of every value, vectorised (missing values stay missing): every deal of a large
    CRM export is compared on each run, so no Python call per row."""
    return values.astype("string").str.strip().str.casefold()


def _among(values: pd.Series, wanted: set[str]) -> np.ndarray:
    """Which ``values`` are, as :func:`key` compares them, among ``wanted``."""
    return keys(values).isin(wanted).fillna(False).to_numpy(dtype=bool)


def of(*frames: pd.DataFrame | None) -> Vocabulary:
    """The vocabulary validation attached to ``frames`` (merged; :data:`EMPTY` when none)."""
    out = EMPTY
    for frame in frames:
        if frame is not None and isinstance(frame.attrs.get(ATTR), Vocabulary):
            out = out.merged(frame.attrs[ATTR])
    return out


def attach(frame: pd.DataFrame, vocabulary: Vocabulary) -> pd.DataFrame:
    """``frame`` with ``vocabulary`` in its attrs (in place; returned for chaining)."""
    frame.attrs[ATTR] = vocabulary
    return frame


def from_entry(name: str, stage_order: Sequence[str] = (), tier_order: Sequence[str] = (),
               labels: Mapping[str, Mapping[str, str]] | None = None,
               outcomes: Mapping[str, Iterable[str]] | None = None) -> Vocabulary:
    """The vocabulary an engagement file's ``data.<name>`` entry gives."""
    closed = tuple(s for kind in ("won", "lost", "closed") for s in (outcomes or {}).get(kind, ()))
    ended = tuple((outcomes or {}).get("closed", ()))
    return Vocabulary(tuple(stage_order), closed if name == "opportunities" else (), ended, tuple(tier_order),
                      {c: {str(k): str(v) for k, v in t.items()} for c, t in (labels or {}).items()})


def client_labels(kit: pd.Series, written: pd.Series, given: Mapping[str, Mapping[str, str]] | None = None,
                  column: str = "partner_type") -> dict[str, str]:
    """The client's label of each kit value of ``column``: the one spelling the client wrote for it
    (``written``, row by row beside ``kit``) when it differs from the kit's;
    ``given`` labels win. A kit value written several ways keeps the kit's name."""
    pairs = pd.DataFrame({"kit": kit.astype("string"), "written": written.astype("string").str.strip()}).dropna()
    out: dict[str, str] = {}
    for value, spellings in pairs.groupby("kit", sort=True)["written"]:
        distinct = spellings.unique()
        if len(distinct) == 1 and distinct[0] != value:
            out[str(value)] = str(distinct[0])
    out.update({str(k): str(v) for k, v in (given or {}).get(column, {}).items()})
    return out


def with_labels(vocabulary: Vocabulary, column: str, labels: Mapping[str, str]) -> Vocabulary:
    """``vocabulary`` with ``labels`` for ``column``."""
    return replace(vocabulary, labels={**vocabulary.labels, column: dict(labels)})
