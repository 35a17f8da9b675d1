"""Build hook: the kit's notebooks, templates and sample engagement ship inside the package.

Everything else (name, dependencies, package discovery) is in ``pyproject.toml``.

In the repository ``notebooks/``, ``engagement_templates/`` and ``data_samples/northwind/`` sit
at the top level, the one source of each. A wheel (and ``pip install .``) needs them inside the
package, so ``build_py`` copies them into the *build* folder as ``alliancekit/kit_files/``, with
the same layout below it; ``alliancekit.paths`` uses that copy when it is there. Nothing is
written into the source tree, and an editable install (``pip install -e .``) copies nothing: it
uses the checkout's folders directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "alliancekit"
KIT_FILES = "kit_files"

#: (source in the repository, destination below ``alliancekit/kit_files/``, files to take)
SHIPPED = (
    ("notebooks", "notebooks", ("*.ipynb",)),
    ("engagement_templates", "engagement_templates", ("**/*",)),
    ("data_samples/northwind", "data_samples/northwind", ("**/*",)),
)
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def kit_files() -> list[tuple[Path, Path]]:
    """(source file, path below ``kit_files/``) for every file shipped with the package."""
    pairs = []
    for source, target, patterns in SHIPPED:
        root = HERE / source
        if not root.is_dir():
            raise SystemExit(f"cannot build the kit: {root} is missing (an sdist must include it, see MANIFEST.in)")
        for pattern in patterns:
            for path in sorted(root.glob(pattern)):
                if path.is_file() and not SKIPPED_PARTS & set(path.relative_to(root).parts):
                    pairs.append((path, Path(target) / path.relative_to(root)))
    return pairs


class BuildPyWithKitFiles(build_py):
    """``build_py`` that also copies the kit's files into the built package (not in editable mode)."""

    def _kit_target(self) -> Path:
        return Path(self.build_lib) / PACKAGE / KIT_FILES

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable package is lib/alliancekit itself: it finds the checkout's folders
        target = self._kit_target()
        shutil.rmtree(target, ignore_errors=True)  # no stale file of an earlier build (build/ is reused)
        for source, rel in kit_files():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / rel)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(self._kit_target() / rel) for _, rel in kit_files()]


setup(cmdclass={"build_py": BuildPyWithKitFiles})
