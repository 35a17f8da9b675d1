"""A delivered engagement as a comparison reads it: its manifests and its result files, nothing re-run.

A delivery is an output folder of ``alliancekit run`` (:mod:`alliancekit.layout`): every phase's
result files and manifest in ``working/<phase>/``. :func:`read_delivery` checks that a folder is
one and that its result files are of a version this kit reads (:data:`~alliancekit.manifest.
RESULTS_VERSION`); :func:`check_pair` that two deliveries can be compared (one client, the
earlier first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError, Problem
from ..layout import MANIFEST, WORKING, working_dir, working_root
from ..manifest import RESULTS_VERSION
from ..phases import PHASES


@dataclass(frozen=True)
class Delivery:
    """One delivered output folder: ``path``, and each delivered phase's manifest (``manifests``)."""

    path: Path
    manifests: dict[str, dict] = field(default_factory=dict)

    @property
    def client(self) -> str:
        return next(iter(self.manifests.values()))["client"]

    @property
    def engagement(self) -> str:
        return next(iter(self.manifests.values()))["engagement"]

    @property
    def phases(self) -> list[str]:
        """The delivered phases, in the kit's phase order."""
        return [p for p in PHASES if p in self.manifests]

    def has(self, phase: str) -> bool:
        return phase in self.manifests

    def folder(self, phase: str) -> Path:
        """The working folder of ``phase`` (its result files)."""
        return working_dir(self.path, phase)

    def file(self, phase: str, name: str) -> Path:
        """A result file of ``phase``; :class:`~alliancekit.errors.InputError` naming it when it is missing."""
        path = self.folder(phase) / name
        if not path.is_file():
            raise InputError(Problem(str(path), f"result file missing from the delivered {phase} (was the folder "
                                                "edited after delivery?); re-run the phase"))
        return path

    def csv(self, phase: str, name: str) -> pd.DataFrame:
        """A result CSV of ``phase``, ids and names kept as text (``007`` stays ``007``)."""
        text = {c: str for c in ("partner_id", "partner_name", "staff_id", "kpi", "indicator", "theme", "dimension",
                                 "candidate_id", "candidate_name", "option_id", "role_id", "issue")}
        return pd.read_csv(self.file(phase, name), dtype=text, keep_default_na=False, na_values=[""])

    def yaml(self, phase: str, name: str) -> dict:
        """A result YAML of ``phase`` (the scorecard) as data."""
        return yaml.safe_load(self.file(phase, name).read_text(encoding="utf-8")) or {}

    def parameters(self, phase: str) -> dict:
        """The parameters ``phase`` ran with."""
        return dict(self.manifests[phase].get("parameters") or {})

    @cached_property
    def period(self) -> str:
        """The month the delivery's data run to (YYYY-MM): the portfolio review's or the scorecard's;
        else the engagement's report date, else the day its first phase finished (YYYY-MM-DD)."""
        if self.has("portfolio_health"):
            months = self.csv("portfolio_health", "segments.csv")["review_month"].dropna().astype(str)
            if len(months):
                return months.iloc[0]
        if self.has("metric_design"):
            as_of = self.yaml("metric_design", "scorecard.yml").get("as_of")
            if as_of:
                return str(as_of)
        dates = [str((m.get("cover") or {}).get("report_date") or "") for m in self.manifests.values()]
        return max(dates) if any(dates) else min(str(m.get("finished", ""))[:10] for m in self.manifests.values())

    @cached_property
    def key(self) -> tuple:
        """What makes two deliveries the same delivery: the bytes of every delivered result file."""
        from ..manifest import sha256

        return tuple((phase, name, sha256(self.folder(phase) / name)) for phase in self.phases
                     for name in PHASES[phase].results if (self.folder(phase) / name).is_file())


def read_delivery(given: str | Path, role: str) -> Delivery:
    """The delivered output folder ``given`` (``role``: PREVIOUS or CURRENT, for the messages).

    Accepts the output folder or its ``working/`` folder. Raises
    :class:`~alliancekit.errors.InputError` (exit 2) when it is not a delivery, or when a phase's
    result files are older than this kit reads (its manifest has no ``results_version``, or a
    lower one): such a delivery is refused, never read wrongly.
    """
    path = Path(given).expanduser()
    if path.name == WORKING and not working_root(path).is_dir():
        path = path.parent
    if not path.is_dir():
        raise InputError(Problem(role, f"{given}: no such folder (expected a delivered output folder, "
                                       "e.g. outputs/acme-2025)"))
    manifests, too_old = {}, []
    for phase in PHASES:
        file = working_dir(path, phase) / MANIFEST
        if not file.is_file():
            continue
        try:
            manifest = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(Problem(str(file), f"unreadable manifest ({exc}); re-run the phase")) from None
        version = manifest.get("results_version")
        if not isinstance(version, int) or version < RESULTS_VERSION:
            kit = (manifest.get("versions") or {}).get("alliancekit", "an older version")
            too_old.append(f"{phase} (alliance-kit {kit})")
            continue
        manifests[phase] = manifest
    if too_old:
        raise InputError(Problem(role, f"{path}: delivered by a version of the kit whose result files cannot be "
                                       f"compared: {', '.join(too_old)}; re-run the engagement with this version "
                                       f"(alliancekit run ... --output-dir {path}), then compare"))
    if not manifests:
        raise InputError(Problem(role, f"{path}: not a delivered engagement (no {WORKING}/<phase>/{MANIFEST}); "
                                       "give the output folder of alliancekit run, e.g. outputs/acme-2025"))
    return Delivery(path, manifests)


def check_pair(previous: Delivery, current: Delivery) -> None:
    """Refuse (exit 2) two deliveries that cannot be compared: of two clients, or the later one first.

    The same delivery twice is not refused: the comparison then says there is no change.
    """
    if previous.client != current.client:
        raise InputError(Problem("compare", f"PREVIOUS ({previous.path}) is for {previous.client!r} and CURRENT "
                                            f"({current.path}) for {current.client!r}: a comparison needs two "
                                            "deliveries of the same client"))
    if previous.period > current.period:
        raise InputError(Problem("compare", f"PREVIOUS ({previous.path}, data to {previous.period}) is later than "
                                            f"CURRENT ({current.path}, data to {current.period}): give the earlier "
                                            "delivery first"))
