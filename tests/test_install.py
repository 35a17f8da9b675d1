"""The kit installs as a wheel and works from it: no checkout, no editable install.

A wheel is built from the working tree, installed into a fresh virtual environment, and the
installed ``alliancekit`` command scaffolds, writes the sample and runs a phase from a folder
that has nothing to do with the repository. Offline throughout:

- the wheel is built without build isolation (the running environment's setuptools), from a
  copy of the working tree, so the build never writes ``build/`` or ``*.egg-info`` into the
  checkout (which other runs may be using at the same time);
- the fresh environment gets the kit's dependencies by a ``.pth`` file naming the running
  environment's ``site-packages``, added *after* the wheel is installed (so pip never sees the
  editable install there). A ``.pth`` line only adds a path: the ``.pth`` files inside that
  folder, among them the editable install's pointer to ``lib/``, are not processed, so
  ``import alliancekit`` can only find the installed wheel;
- ``JUPYTER_PATH`` names the running environment's ``share/jupyter``: the data files the
  dependencies installed there (nbconvert's templates, the ``python3`` kernel spec) are what a
  normal install puts into the new environment's own ``share/jupyter``.

The environment lives in a folder with a space and a non-ASCII letter, as a consultant's
home folder may have.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from alliancekit.layout import client_dir, working_dir

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
#: Not part of a build's input: environments, build left-overs, run outputs, caches.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                    ".pytest_cache", ".ipynb_checkpoints", "outputs")
KIT_FILES = "alliancekit/kit_files/"


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, encoding="utf-8",
                          timeout=600, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "alliancekit"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("wheel")
    started = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, source])
    print(f"wheel built in {time.perf_counter() - started:.1f} s")
    (built,) = out.glob("alliancekit-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh environment with the wheel installed and the dependencies visible (offline)."""
    env = tmp_path_factory.mktemp("env") / "kit env Jürgen"
    _run([sys.executable, "-m", "venv", "--without-pip", env])
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    deps = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "_alliancekit_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    return env


@pytest.fixture(scope="module")
def env_vars() -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH")}
    environ["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return environ


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def test_wheel_ships_notebooks_templates_and_sample_but_nothing_from_tests(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        contents = {hashlib.sha256(archive.read(n)).hexdigest(): n for n in names if not n.endswith("/")}
    shipped = {n[len(KIT_FILES):] for n in names if n.startswith(KIT_FILES)}
    expected = {p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*.ipynb")}
    for folder in ("engagement_templates", "data_samples/northwind"):
        expected |= {p.relative_to(REPO).as_posix() for p in (REPO / folder).rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}
    assert expected <= shipped, sorted(expected - shipped)
    for must in ("notebooks/05_portfolio_health.ipynb", "engagement_templates/report/index.html.j2",
                 "engagement_templates/report/report.css", "engagement_templates/report/conf.json",
                 "engagement_templates/engagement.yml", "engagement_templates/maturity_questionnaire.yml",
                 "data_samples/northwind/engagement.yml", "data_samples/northwind/data/partners.csv"):
        assert must in shipped, must
    assert "alliancekit/data/swot_holdout.csv" in names
    assert not [n for n in names if "tests" in n.split("/") or n.split("/")[-1].startswith(("test_", "conftest"))]
    from_tests = [contents[h] for p in (REPO / "tests").rglob("*") if p.is_file() and p.stat().st_size > 0
                  and "__pycache__" not in p.parts
                  for h in [hashlib.sha256(p.read_bytes()).hexdigest()] if h in contents]
    assert not from_tests, from_tests


def test_installed_kit_is_the_wheel_in_the_new_environment(venv, env_vars, tmp_path):
    probe = _run([_bin(venv, "python"), "-c", "import alliancekit, alliancekit.paths as p; "
                  "print(alliancekit.__file__); print(p.INSTALLED); print(p.NOTEBOOKS); print(p.OUTPUTS)"],
                 cwd=tmp_path, env=env_vars).stdout.splitlines()
    module, installed, notebooks, outputs = probe
    assert Path(module).is_relative_to(venv), module  # not lib/ of the checkout
    assert installed == "True" and Path(notebooks).is_relative_to(venv)
    assert Path(outputs) == tmp_path.resolve() / "outputs"  # never into site-packages


def test_kernels_of_the_new_environment_import_the_wheel(venv, env_vars, tmp_path):
    """The runner starts the ``python3`` kernel (papermill); it must be this environment's python."""
    script = textwrap.dedent("""\
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="python3")
        out = []
        try:
            kc.execute_interactive("import sys, alliancekit; print(sys.executable); print(alliancekit.__file__)",
                                   timeout=120, output_hook=lambda m: out.append(m["content"].get("text", "")))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        print("".join(out), end="")
        """)
    lines = _run([_bin(venv, "python"), "-c", script], cwd=tmp_path, env=env_vars).stdout.splitlines()
    executable, module = lines[-2:]
    assert Path(executable).parent == _bin(venv, "python").parent, executable
    assert Path(module).is_relative_to(venv), module


def test_installed_command_scaffolds_writes_the_sample_and_runs_a_phase(venv, env_vars, tmp_path):
    kit = _bin(venv, "alliancekit")
    work = tmp_path / "work"
    work.mkdir()
    _run([kit, "new", "new-engagement", "--client", "Acme"], cwd=work, env=env_vars)
    for name in ("engagement.yml", "data/partners.csv", "maturity_questionnaire.yml", "strategy_arguments.yml",
                 "org_design/roles.yml"):
        assert (work / "new-engagement" / name).is_file(), name
    _run([kit, "sample", "sample"], cwd=work, env=env_vars)
    assert (work / "sample" / "engagement.yml").is_file()
    started = time.perf_counter()
    _run([kit, "run", "sample/engagement.yml", "--phase", "portfolio_health", "--output-dir", "out"],
         cwd=work, env=env_vars)
    print(f"portfolio_health from the wheel in {time.perf_counter() - started:.1f} s")
    for name in ("report.html", "report.pdf"):
        assert (client_dir(work / "out", "portfolio_health") / name).is_file(), name
    for name in ("segments.csv", "manifest.json"):
        assert (working_dir(work / "out", "portfolio_health") / name).is_file(), name
    assert not (work / "outputs").exists()
