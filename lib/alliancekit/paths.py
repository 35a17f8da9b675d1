"""Where the kit's own files are: notebooks, templates and the sample engagement.

In the repository these live at its top level (``notebooks/``, ``engagement_templates/``,
``data_samples/northwind/``), beside the package rather than inside it: consultants and
developers open and edit them as files, and there is one copy of each.

An installed kit has to find them too, so there are two places, chosen once at import:

- **Installed from a wheel or** ``pip install .`` (a copy in ``site-packages``): the build
  (``setup.py``) copies those folders into the built package as ``alliancekit/kit_files/``,
  keeping the repository layout below it. That copy exists beside this module, and it is used.
- **Editable install from a checkout** (``pip install -e .``, as ``make`` does): the package is
  ``lib/alliancekit/`` itself, the build copies nothing into it, so there is no ``kit_files/``
  beside this module and the checkout's own top-level folders are used (two levels up). An
  edit of a notebook or template in the checkout takes effect at once, with no reinstall.

``OUTPUTS`` (default folder of ``alliancekit run`` without ``--output-dir``) is the checkout's
``outputs/`` in a checkout; an installed kit must not write into ``site-packages``, so there it
is ``outputs/`` in the folder the command runs from.
"""

from pathlib import Path

#: The copy a build puts inside the package (see ``setup.py``); absent in a checkout.
PACKAGED = Path(__file__).resolve().parent / "kit_files"
INSTALLED = (PACKAGED / "notebooks").is_dir()

#: The folder holding ``notebooks/``, ``engagement_templates/`` and ``data_samples/``.
KIT_ROOT = PACKAGED if INSTALLED else Path(__file__).resolve().parents[2]
NOTEBOOKS = KIT_ROOT / "notebooks"
TEMPLATES = KIT_ROOT / "engagement_templates"
REPORT_TEMPLATE = TEMPLATES / "report"
SAMPLE_ENGAGEMENT = KIT_ROOT / "data_samples" / "northwind"
OUTPUTS = Path.cwd().resolve() / "outputs" if INSTALLED else KIT_ROOT / "outputs"
