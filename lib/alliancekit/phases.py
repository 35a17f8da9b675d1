"""The phase registry: collects each phase's declaration from its own package.

Nothing about a phase is written here: its parameters, defaults and constants live in
``alliancekit.<phase>.declaration``. Adding a phase means adding its package (with a
``declaration`` module), its notebook, and one name to :data:`PHASES` below.
"""

from __future__ import annotations

from .alliance_staff.declaration import PHASE as ALLIANCE_STAFF
from .ecosystem_reporting.declaration import PHASE as ECOSYSTEM_REPORTING
from .metric_design.declaration import PHASE as METRIC_DESIGN
from .org_design.declaration import PHASE as ORG_DESIGN
from .partner_swot.declaration import PHASE as PARTNER_SWOT
from .portfolio_health.declaration import PHASE as PORTFOLIO_HEALTH
from .relationship_health.declaration import PHASE as RELATIONSHIP_HEALTH
from .spec import Phase
from .strategy_assessment.declaration import PHASE as STRATEGY_ASSESSMENT

#: Input files an engagement can name under ``data:``; schemas in :mod:`alliancekit.schemas`.
INPUT_NAMES = (
    "partners", "partner_metrics", "opportunities", "interviews",
    "maturity_survey", "staff", "candidates", "macro", "swot_training", "swot_corrections", "hiring_scores",
    "health_survey",
)

#: Every phase by name, in the order a consultant runs them (``Phase.number``).
PHASES: dict[str, Phase] = {p.name: p for p in sorted(
    (STRATEGY_ASSESSMENT, METRIC_DESIGN, PARTNER_SWOT, ORG_DESIGN, PORTFOLIO_HEALTH, ECOSYSTEM_REPORTING,
     RELATIONSHIP_HEALTH, ALLIANCE_STAFF),
    key=lambda p: p.number)}


def phase_order(names: list[str] | tuple[str, ...]) -> list[str]:
    """``names`` plus the phases they need, in dependency order (then engagement order); a phase
    used by another (``Phase.uses``) comes before it when it is among ``names``."""
    ordered: list[str] = []
    wanted = set(names)

    def visit(name: str) -> None:
        for dep in (*PHASES[name].needs, *(u for u in PHASES[name].uses if u in wanted)):
            visit(dep)
        if name not in ordered:
            ordered.append(name)

    for name in sorted(names, key=lambda n: PHASES[n].number):
        visit(name)
    return ordered
