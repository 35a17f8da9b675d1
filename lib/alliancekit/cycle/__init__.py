"""Review cycles: what changed between two delivered engagements of one client.

The annual review is a cycle, not a one-off ("a minimum of an annual review", "inspect what we
expect"): next year the consultant shows what changed and whether last year's decisions
happened. ``alliancekit compare PREVIOUS CURRENT`` (and ``alliancekit run ... --since
PREVIOUS``) reads the two delivered output folders, never re-running a phase:

- :mod:`.delivery`: a delivered output folder, its manifests and result files; refuses result
  files older than this kit reads, two clients, or the later delivery first;
- one module per phase (:mod:`.portfolio`, :mod:`.metrics`, :mod:`.strategy`, :mod:`.swot`,
  :mod:`.org`, :mod:`.ecosystem`, :mod:`.relationship`): ``compare(previous, current)`` ->
  :class:`~.changes.PhaseChanges` (sentences, tables, CSVs, figures);
- :mod:`.comparison`: puts them together into ``changes/`` (report.html/pdf, tables.xlsx, CSVs,
  manifest.json), laid out like every phase's report.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "changes": ("PhaseChanges", "Shown"),
    "comparison": ("COMPARISONS", "Comparison", "compare", "compare_deliveries", "write_changes"),
    "delivery": ("Delivery", "check_pair", "read_delivery"),
})
