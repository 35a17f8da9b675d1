"""Where the kit's own files are: notebooks, templates and the sample engagement.

The kit is installed from its checkout (``pip install -e .``, as ``make`` does), so these
live beside the package rather than inside it: consultants copy and edit them as files.
"""

from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = KIT_ROOT / "notebooks"
TEMPLATES = KIT_ROOT / "engagement_templates"
REPORT_TEMPLATE = TEMPLATES / "report"
SAMPLE_ENGAGEMENT = KIT_ROOT / "data_samples" / "northwind"
OUTPUTS = KIT_ROOT / "outputs"
