"""Lazy exports for the phase packages.

``alliancekit.phases`` imports every phase's ``declaration`` (its parameters), and every
command of the CLI reads the registry: importing each phase's analysis with it (pandas,
scikit-learn, matplotlib, WeasyPrint: seconds) would slow ``alliancekit validate`` and
``alliancekit phases`` for nothing. So a phase package names what it exports and where, and
a name's module is imported the first time the name is used (PEP 562 module ``__getattr__``),
as scientific Python packages do with ``lazy_loader``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping, Sequence


def attach(package: str, exports: Mapping[str, Sequence[str]]) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``(__getattr__, __dir__, __all__)`` for ``package``, whose ``exports`` map submodule -> names.

    A submodule is named relative to ``package`` (``"phase"``), or in full when it lives in a
    shared library package (``"alliancekit.feedback.classify"``: a name starting ``alliancekit.``).
    """
    home = {name: module if module.startswith("alliancekit.") else f"{package}.{module}"
            for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home[name]), name)
        setattr(sys.modules[package], name, value)  # later uses skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(home) | set(vars(sys.modules[package])))

    return __getattr__, __dir__, list(home)
