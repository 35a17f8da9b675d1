"""One look for every chart: seaborn/matplotlib theme, brand palette, SVG output.

Charts are rendered as SVG so they stay sharp in HTML and PDF alike. SVG output is made
deterministic (fixed hash salt, no creation date) so two runs give the same figures.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display; also what a kernel under papermill needs

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

#: Neutral companions of the brand colour, chosen to stay distinct in greyscale print.
SUPPORT_COLORS = ["#E07A1F", "#2A9D8F", "#8E5EA2", "#C44536", "#7A869A", "#E9C46A", "#264653"]
FONT = "DejaVu Sans"


def palette(primary: str = "#0B3D91", n: int = 8) -> list[str]:
    """The brand colour first, then the support colours (cycled to ``n``)."""
    colors = [primary, *SUPPORT_COLORS]
    return [colors[i % len(colors)] for i in range(n)]


def apply_theme(primary: str = "#0B3D91") -> None:
    """Set the kit's chart style for this process."""
    sns.set_theme(context="notebook", style="whitegrid", palette=palette(primary), font=FONT, rc={
        "axes.edgecolor": "#B8C0CC", "axes.titleweight": "bold", "axes.titlesize": 11,
        "axes.labelsize": 9.5, "xtick.labelsize": 8.5, "ytick.labelsize": 8.5, "legend.fontsize": 8.5,
        "grid.color": "#E6E9EF", "figure.dpi": 100, "savefig.bbox": "tight",
        "svg.fonttype": "none", "svg.hashsalt": "alliancekit",
        "axes.spines.top": False, "axes.spines.right": False,
    })


def figure_svg(fig: matplotlib.figure.Figure) -> str:
    """The figure as an SVG document (deterministic), then closed to free memory."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype for inline use
