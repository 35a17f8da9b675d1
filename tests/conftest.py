"""Shared fixtures: a tiny valid engagement written to a temporary folder, a CLI runner, and the
sample engagement delivered once per test run; nbval's notebook cells marked slow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from filelock import FileLock

from alliancekit.cli import main
from alliancekit.paths import SAMPLE_ENGAGEMENT

PARTNERS = """\
partner_id,partner_name,partner_type,tier,region
P1,Acme Data,ISV,Gold,EMEA
P2,Birch Consulting,GSI,Platinum,North America
P3,Cobalt Cloud,cloud,Silver,APAC
"""

METRICS = "partner_id,month,revenue,deal_registrations\n" + "".join(
    f"P{p},2025-{m:02d},{1000 * p + 10 * m},{m % 4}\n" for p in (1, 2, 3) for m in range(1, 13))

OPPORTUNITIES = """\
opportunity_id,partner_ids,amount,stage,created,closed,won,attribution
O1,P1,1000,Closed Won,2025-01-10,2025-03-01,true,sourced
O2,P1;P2,5000,Closed Lost,2025-02-01,2025-05-01,false,influenced
O3,P3,700,Propose,2025-06-01,,,sourced
"""


def write_engagement(root: Path, files: dict[str, str] | None = None, header: str | None = None) -> Path:
    """Write an engagement folder; ``files`` overrides or adds input file contents by input name."""
    contents = {"partners": PARTNERS, "partner_metrics": METRICS, "opportunities": OPPORTUNITIES}
    contents.update(files or {})
    (root / "data").mkdir(parents=True, exist_ok=True)
    data_lines = []
    for name, text in contents.items():
        if text is None:
            data_lines.append(f"  {name}: data/{name}.csv")
            continue
        path = root / "data" / f"{name}.csv"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        data_lines.append(f"  {name}: data/{name}.csv")
    yml = header or textwrap.dedent("""\
        engagement: tiny-test
        client: Tiny Client
        consultant: Test Consultant
        phases:
          portfolio_health: {}
        """)
    (root / "engagement.yml").write_text(yml + "data:\n" + "\n".join(data_lines) + "\n", encoding="utf-8")
    return root / "engagement.yml"


@pytest.fixture
def tiny(tmp_path) -> Path:
    """Path of a small valid engagement file."""
    return write_engagement(tmp_path)


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    def run(*args: str):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.hookimpl(tryfirst=True)  # before -m selects
def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.suffix == ".ipynb":  # an nbval cell: a kernel runs its notebook
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def sample_delivery(tmp_path_factory) -> Path:
    """The output folder of one run of the committed sample engagement through the real CLI
    (every phase, HTML and PDF). Tests only read it.

    Under pytest-xdist every worker has a session of its own, so the run goes to the folder its
    workers share (the parent of their temporary folders) under a file lock: the first worker
    that needs it runs it, another waits for it and reads the same files, or the same failure.
    """
    shared = os.environ.get("PYTEST_XDIST_WORKER")
    root = tmp_path_factory.getbasetemp().parent / "sample-delivery" if shared else tmp_path_factory.mktemp("sample")
    outcome = root / "outcome.json"
    with FileLock(f"{root}.lock"):
        if not outcome.is_file():
            root.mkdir(exist_ok=True)
            proc = subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", SAMPLE_ENGAGEMENT / "engagement.yml",
                                   "--output-dir", root / "out"], capture_output=True, text=True, timeout=900)
            outcome.write_text(json.dumps({"returncode": proc.returncode, "stderr": proc.stderr}), encoding="utf-8")
    result = json.loads(outcome.read_text(encoding="utf-8"))
    assert result["returncode"] == 0, f"sample engagement run: exit {result['returncode']}\n{result['stderr']}"
    return root / "out"


def run_phases_only(engagement_file: Path, phases: list[str], out_dir: Path) -> subprocess.CompletedProcess:
    """Rewrite ``engagement_file`` to run only ``phases`` and run it through the real CLI into ``out_dir``."""
    import yaml

    engagement = yaml.safe_load(engagement_file.read_text(encoding="utf-8"))
    engagement["phases"] = {name: {} for name in phases}
    engagement_file.write_text(yaml.safe_dump(engagement, sort_keys=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "alliancekit.cli", "run", str(engagement_file), "--output-dir",
                           str(out_dir)], capture_output=True, text=True, timeout=600)
