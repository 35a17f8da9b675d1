"""alliance-kit benchmarks (issue 10, "Performance"); ``make bench`` runs this file.

Every figure is printed on stdout as one line ``name value unit``; progress and the value of
every single run go to stderr. Timings are the median of ``--repeat`` runs; the two sides of a
comparison are run side by side in the same invocation, interleaved A/B/A/B, so that noise on
the (shared) machine hits both. See benchmarks/README.md for what each figure means.

    python benchmarks/run.py                      families 1, 2 and 3 (the default; durations in benchmarks/README.md)
    python benchmarks/run.py --family 1 --repeat 5
    python benchmarks/run.py --family 3 --sizes 1000,10000 --repeat 1
    python benchmarks/run.py --family 3 --quick   sizes 1,000 and 10,000 only
    python benchmarks/run.py --family 2 --scorecard-partners 20 --chain-partners 2 --repeat 1   a small try
    python benchmarks/run.py --family profile     where the kit's own run spends its time

Families:
  1        the sample engagement: ``alliancekit run`` against the hand-made chain
           papermill -> jupyter nbconvert -> weasyprint, one process chain per notebook (ecosystem_reporting's
           notebook renders its partner scorecards in its kernel's papermill step)
  2        per-partner scorecards of 200 partners: ``alliancekit run --phase ecosystem_reporting``
           against a per-partner chain papermill (benchmarks/partner_scorecard.ipynb) ->
           jupyter nbconvert -> weasyprint, measured on --chain-partners of them
  3        scale: validation, portfolio_health review and the executive report (ecosystem_reporting
           review + workbook) at 1,000 / 10,000 / 100,000 partners x 36 months, time and peak
           memory, each measurement in a fresh process; metric_design's review, timed once per
           size while its results are made for the executive report
  profile  in-process timestamps around each step of the kit's run (not part of the default)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # the venv's bin: alliancekit, papermill, jupyter, weasyprint
SAMPLE = Path("data_samples/northwind/engagement.yml")  # relative to ROOT, as a user types it
NOTEBOOKS = ROOT / "notebooks"
SCORECARD_NOTEBOOK = HERE / "partner_scorecard.ipynb"  # family 2's chain: one partner's scorecard
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
FAMILIES = ("1", "2", "3", "profile")
SCORECARD_PARTNERS = 200
CHAIN_PARTNERS = 8
#: Family 1's chain, per notebook: execute (ecosystem_reporting's renders its partner scorecards),
#: export to HTML, lay out as PDF.
CHAIN_STEPS = ("papermill", "nbconvert", "weasyprint")
#: Longest any single measured process may take before the benchmark gives up on it.
TIMEOUT = 30 * 60


# ---------------------------------------------------------------------------- output helpers

def emit(name: str, value, unit: str) -> None:
    """One figure on stdout: ``name value unit``."""
    if isinstance(value, float):
        value = f"{value:.3f}" if abs(value) < 1000 else f"{value:.1f}"
    print(f"{name} {value} {unit}", flush=True)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def _env() -> dict[str, str]:
    """The environment of every child process: the venv's bin first, as after ``source .venv/bin/activate``."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(BIN.parent)
    env.pop("PYTHONPATH", None)
    return env


def timed(cmd: list, cwd: Path, log_file: Path) -> tuple[float, float]:
    """Run ``cmd`` (output to ``log_file``); return (wall seconds, CPU seconds of it and its descendants).

    CPU time is the change of ``RUSAGE_CHILDREN`` (user + system) around the call: it counts every
    process the command started and reaped (the kernel, spawned workers), and is far less
    sensitive than wall time to other work on a shared machine. Stops the benchmark if it fails.
    """
    with open(log_file, "ab") as out:
        out.write(f"$ (cd {cwd}) {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([str(c) for c in cmd], cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                              env=_env(), timeout=TIMEOUT)
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"benchmark step failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def child_json(cmd: list[str], cwd: Path = ROOT) -> dict:
    """Run a helper process and return the JSON object on the last line of its stdout."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, env=_env(), timeout=TIMEOUT)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark helper failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n"
                         f"{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- family 1

def engagement_phases(engagement: Path) -> list[tuple[str, str, dict]]:
    """(phase, notebook file, parameter overrides) for every phase under the engagement's ``phases:``,
    in the order the kit runs them (dependencies first)."""
    from alliancekit.phases import PHASES, phase_order

    listed = (yaml.safe_load(engagement.read_text(encoding="utf-8")) or {}).get("phases") or {}
    unknown = [p for p in listed if p not in PHASES]
    if unknown:
        raise SystemExit(f"{engagement}: phases not available in this kit: {', '.join(unknown)}")
    return [(p, PHASES[p].notebook, dict(listed.get(p) or {})) for p in phase_order(list(listed))]


def snapshot_sample(tmp: Path) -> Path:
    """A copy of the sample engagement folder (engagement file + data) in ``tmp``; returns its engagement file.

    Kit and chain then read the very same files for the whole invocation, even if the sample is
    regenerated (``make sample``) while the benchmark runs.
    """
    source = (ROOT / SAMPLE).parent
    target = tmp / source.name
    shutil.copytree(source, target)
    return target / SAMPLE.name


def run_kit(work: Path, engagement: Path, phases: list[tuple[str, str, dict]],
            extra: tuple[str, ...] = ()) -> tuple[float, float]:
    """``alliancekit run <engagement> --output-dir <work>/kit-out``, typed as a user types it (relative path)."""
    out = work / "kit-out"
    rel = engagement.relative_to(engagement.parents[1])
    wall, cpu = timed([BIN / "alliancekit", "run", rel, "--output-dir", out, *extra], engagement.parents[1],
                      work / "kit.log")
    from alliancekit.layout import report_path

    missing = [phase for phase, _, _ in phases if not report_path(out, phase, "pdf").is_file()]
    if missing:
        raise SystemExit(f"alliancekit run delivered no report.pdf for {', '.join(missing)} (see {work / 'kit.log'})")
    return wall, cpu


def run_chain(work: Path, engagement: Path, phases: list[tuple[str, str, dict]]) -> dict[str, float]:
    """The chain a user runs without the kit: per notebook papermill, nbconvert, weasyprint (sequential).

    Results go to ``<work>/results/<phase>/``; a phase that needs others also gets
    ``upstream_dir`` (as the kit passes it); parameter overrides from the engagement file, if
    any, are passed with papermill's ``-y``. ecosystem_reporting's notebook, run on its own,
    renders its partner scorecards in its papermill step (on a local Dask cluster it starts), so
    both sides deliver the same files.
    """
    from alliancekit.phases import PHASES

    steps = {f"{k}{suffix}": 0.0 for k in CHAIN_STEPS for suffix in ("", "_cpu")}
    log_file = work / "chain.log"
    for phase, notebook, overrides in phases:
        folder = work / "chain" / phase
        folder.mkdir(parents=True)
        cmd = ["papermill", notebook, folder / "out.ipynb", "-p", "engagement", engagement,
               "-p", "results_dir", work / "results" / phase]
        if PHASES[phase].needs:
            cmd += ["-p", "upstream_dir", work / "results"]
        if overrides:
            cmd += ["-y", yaml.safe_dump(overrides)]
        for step, command, cwd in (("papermill", cmd, NOTEBOOKS),
                                   ("nbconvert", ["jupyter", "nbconvert", "--to", "html", "--no-input", "out.ipynb"], folder),
                                   ("weasyprint", ["weasyprint", "out.html", "out.pdf"], folder)):
            wall, cpu = timed(command, cwd, log_file)
            steps[step] += wall
            steps[f"{step}_cpu"] += cpu
        if not (folder / "out.pdf").is_file():
            raise SystemExit(f"the chain wrote no PDF for {phase} (see {log_file})")
    steps["total"] = sum(steps[k] for k in CHAIN_STEPS)
    steps["total_cpu"] = sum(steps[f"{k}_cpu"] for k in CHAIN_STEPS)
    return steps


def family_engagement(repeat: int, warmup: bool, serial: bool) -> None:
    kit, chain, kit_serial = [], [], []
    with tempfile.TemporaryDirectory(prefix="alliancekit-bench-") as tmp:
        engagement = snapshot_sample(Path(tmp))
        phases = engagement_phases(engagement)
        arms = "kit/chain" + ("/kit --jobs 1" if serial else "")
        log(f"family 1: {SAMPLE} (copied; {', '.join(n for _, n, _ in phases)}), {repeat} x {arms} interleaved"
            + (", after one untimed warm-up round" if warmup else ""))
        for i in ([None] if warmup else []) + list(range(repeat)):
            tag = "warm" if i is None else i
            work = {arm: Path(tmp) / f"{arm}-{tag}" for arm in ("kit", "chain", "serial")}
            for folder in work.values():
                folder.mkdir()
            k = run_kit(work["kit"], engagement, phases)
            c = run_chain(work["chain"], engagement, phases)
            s = run_kit(work["serial"], engagement, phases, ("--jobs", "1")) if serial else None
            label = "warm-up" if i is None else f"run {i + 1}/{repeat}"
            log(f"  {label}: kit {k[0]:.2f} s (cpu {k[1]:.2f}), chain {c['total']:.2f} s (cpu {c['total_cpu']:.2f}; "
                + ", ".join(f"{step} {c[step]:.2f}" for step in CHAIN_STEPS) + ")"
                + (f", kit --jobs 1 {s[0]:.2f} s (cpu {s[1]:.2f})" if s else ""))
            if i is not None:
                kit.append(k)
                chain.append(c)
                if s:
                    kit_serial.append(s)
            for folder in work.values():
                shutil.rmtree(folder, ignore_errors=True)
    kit_s = median([k[0] for k in kit])
    chain_s = median([c["total"] for c in chain])
    emit("engagement_kit_seconds", kit_s, "s")
    emit("engagement_chain_seconds", chain_s, "s")
    emit("engagement_speedup", chain_s / kit_s, "x")
    for step in CHAIN_STEPS:
        emit(f"engagement_chain_{step}_seconds", median([c[step] for c in chain]), "s")
    emit("engagement_kit_cpu_seconds", median([k[1] for k in kit]), "s")
    emit("engagement_chain_cpu_seconds", median([c["total_cpu"] for c in chain]), "s")
    if kit_serial:
        emit("engagement_kit_jobs1_seconds", median([s[0] for s in kit_serial]), "s")
        emit("engagement_kit_jobs1_cpu_seconds", median([s[1] for s in kit_serial]), "s")


# ---------------------------------------------------------------------------- family 2

def spread(items: list[str], k: int) -> list[str]:
    """``k`` items spread evenly over ``items`` (first and last included); all of them when ``k >= len(items)``."""
    if k >= len(items):
        return list(items)
    if k == 1:
        return [items[len(items) // 2]]
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


def partner_ids(engagement: Path) -> list[str]:
    """The partner ids of the engagement's partners.csv, in file order."""
    import csv

    with open(engagement.parent / "data" / "partners.csv", newline="", encoding="utf-8") as fh:
        return [row["partner_id"] for row in csv.DictReader(fh)]


def run_scorecards_kit(out: Path, engagement: Path, n_partners: int, log_file: Path) -> tuple[float, float]:
    """``alliancekit run <engagement> --phase ecosystem_reporting --output-dir <out>``: the executive report and
    every partner's scorecard, reusing the upstream results delivered in ``out`` by the setup."""
    from alliancekit.layout import MANIFEST, client_dir, working_dir
    from alliancekit.phases import PHASES

    phase_dir = client_dir(out, "ecosystem_reporting")
    shutil.rmtree(phase_dir, ignore_errors=True)  # so the files counted below are this run's
    upstream = {p: (working_dir(out, p) / MANIFEST).stat().st_mtime_ns for p in PHASES["ecosystem_reporting"].needs}
    start = log_file.stat().st_size if log_file.is_file() else 0
    wall, cpu = timed([BIN / "alliancekit", "run", engagement, "--phase", "ecosystem_reporting", "--output-dir", out],
                      engagement.parent, log_file)
    text = log_file.read_text(encoding="utf-8", errors="replace")[start:]
    reused = [p for p in upstream if f"using the delivered results of {p}" in text
              and (working_dir(out, p) / MANIFEST).stat().st_mtime_ns == upstream[p]]
    if len(reused) != len(upstream):
        raise SystemExit(f"alliancekit run did not reuse the delivered results of "
                         f"{', '.join(sorted(set(upstream) - set(reused)))} (see {log_file})")
    partners = phase_dir / "partners"
    html, pdf = len(list(partners.glob("*.html"))), len(list(partners.glob("*.pdf")))
    if html != n_partners or pdf != n_partners or not (phase_dir / "report.pdf").is_file():
        raise SystemExit(f"alliancekit run wrote {html} partner HTML and {pdf} PDF files in {partners} "
                         f"(expected {n_partners} each) and report.pdf: {(phase_dir / 'report.pdf').is_file()} "
                         f"(see {log_file})")
    return wall, cpu


def run_scorecard_chain(work: Path, engagement: Path, upstream: Path, partner: str) -> dict[str, float]:
    """One partner's scorecard as a user makes it without the kit's fan-out: a parameterised notebook
    (benchmarks/partner_scorecard.ipynb) executed by papermill, exported by nbconvert, printed by WeasyPrint."""
    steps: dict[str, float] = {}
    work.mkdir(parents=True)
    log_file = work.parent / "chain.log"
    for step, command in (
            ("papermill", ["papermill", SCORECARD_NOTEBOOK, "out.ipynb", "-p", "engagement", engagement,
                           "-p", "upstream_dir", upstream, "-p", "partner_id", partner]),
            ("nbconvert", ["jupyter", "nbconvert", "--to", "html", "--no-input", "out.ipynb"]),
            ("weasyprint", ["weasyprint", "out.html", "out.pdf"])):
        steps[step], steps[f"{step}_cpu"] = timed(command, work, log_file)
    if not (work / "out.pdf").is_file():
        raise SystemExit(f"the chain wrote no PDF for partner {partner} (see {log_file})")
    if 'class="sc-head"' not in (work / "out.html").read_text(encoding="utf-8", errors="replace"):
        raise SystemExit(f"the chain's HTML for partner {partner} shows no scorecard (see {work / 'out.html'})")
    steps["total"] = steps["papermill"] + steps["nbconvert"] + steps["weasyprint"]
    steps["total_cpu"] = steps["papermill_cpu"] + steps["nbconvert_cpu"] + steps["weasyprint_cpu"]
    return steps


def family_scorecards(n_partners: int, chain_partners: int, repeat: int) -> None:
    from alliancekit.layout import working_root
    from alliancekit.phases import PHASES

    if "ecosystem_reporting" not in PHASES:
        log("family 2: phase ecosystem_reporting (per-partner scorecards) does not exist yet: nothing to measure")
        emit("partner_scorecards_status", 0, "not-available")
        return
    kit, chain = [], []
    with tempfile.TemporaryDirectory(prefix="alliancekit-bench-scorecards-") as tmp:
        tmp = Path(tmp)
        info = child_json([sys.executable, HERE / "_scale_step.py", "setup", n_partners, tmp / "engagement",
                           "--with-optional"])
        engagement = tmp / "engagement" / "engagement.yml"
        out = tmp / "out"
        log(f"family 2: {n_partners:,} partners x 36 months generated ({', '.join(info['inputs'])}; "
            f"{info['csv_mb']:.1f} MB of CSV)")
        t0 = time.perf_counter()
        timed([BIN / "alliancekit", "run", engagement, "--phase", "metric_design", "--phase", "portfolio_health",
               "--output-dir", out], engagement.parent, tmp / "setup.log")
        log(f"  setup: metric_design and portfolio_health delivered in {time.perf_counter() - t0:.1f} s (not timed)")
        ids = partner_ids(engagement)
        if len(ids) != n_partners:
            raise SystemExit(f"{engagement}: {len(ids)} partners, expected {n_partners}")
        chosen = spread(ids, chain_partners)
        log(f"  {repeat} round(s) of: kit (every partner), then the chain for {len(chosen)} partner(s) "
            f"({', '.join(chosen) if len(chosen) <= 12 else ', '.join(chosen[:12]) + ', ...'})")
        for r in range(repeat):
            k = run_scorecards_kit(out, engagement, n_partners, tmp / f"kit-{r}.log")
            kit.append(k)
            round_chain = []
            for pid in chosen:
                round_chain.append(run_scorecard_chain(tmp / f"chain-{r}" / pid, engagement, working_root(out), pid))
            shutil.rmtree(tmp / f"chain-{r}", ignore_errors=True)
            chain += round_chain
            totals = [c["total"] for c in round_chain]
            log(f"  round {r + 1}/{repeat}: kit {k[0]:.2f} s (cpu {k[1]:.2f}) = {k[0] / n_partners:.3f} s/partner; "
                f"chain per partner median {median(totals):.2f} s (min {min(totals):.2f}, max {max(totals):.2f}; cpu "
                f"{median([c['total_cpu'] for c in round_chain]):.2f}; papermill "
                f"{median([c['papermill'] for c in round_chain]):.2f}, nbconvert "
                f"{median([c['nbconvert'] for c in round_chain]):.2f}, weasyprint "
                f"{median([c['weasyprint'] for c in round_chain]):.2f})")
    kit_s, kit_cpu = median([k[0] for k in kit]), median([k[1] for k in kit])
    chain_s, chain_cpu = median([c["total"] for c in chain]), median([c["total_cpu"] for c in chain])
    emit("partner_scorecards_partners", n_partners, "partners")
    emit("partner_scorecards_kit_seconds", kit_s, "s")
    emit("partner_scorecards_kit_seconds_per_partner", kit_s / n_partners, "s")
    emit("partner_scorecards_chain_seconds_per_partner", chain_s, "s")
    for step in ("papermill", "nbconvert", "weasyprint"):
        emit(f"partner_scorecards_chain_{step}_seconds_per_partner", median([c[step] for c in chain]), "s")
    emit("partner_scorecards_chain_partners_measured", len(chosen), "partners")
    emit(f"partner_scorecards_chain_seconds_estimate_{n_partners}", chain_s * n_partners, "s")
    emit("partner_scorecards_speedup", chain_s / (kit_s / n_partners), "x")
    emit("partner_scorecards_kit_cpu_seconds", kit_cpu, "s")
    emit("partner_scorecards_kit_cpu_seconds_per_partner", kit_cpu / n_partners, "s")
    emit("partner_scorecards_chain_cpu_seconds_per_partner", chain_cpu, "s")
    emit(f"partner_scorecards_chain_cpu_seconds_estimate_{n_partners}", chain_cpu * n_partners, "s")
    emit("partner_scorecards_cpu_ratio", chain_cpu / (kit_cpu / n_partners), "x")


# ---------------------------------------------------------------------------- family 3

#: Family 3's measured steps; ``executive_report`` only when the phase exists.
SCALE_STEPS = ("validation", "review", "executive_report")


def family_scale(sizes: list[int], repeat: int) -> None:
    from alliancekit.phases import PHASES

    executive = "ecosystem_reporting" in PHASES
    steps = SCALE_STEPS if executive else SCALE_STEPS[:2]
    step_script = HERE / "_scale_step.py"
    log(f"family 3: sizes {', '.join(f'{n:,}' for n in sizes)} x 36 months, {repeat} run(s) each, "
        "one fresh process per measurement")
    results: dict[tuple[str, int], list[dict]] = {}
    upstream_seconds: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="alliancekit-bench-scale-") as tmp:
        dirs = {}
        for n in sizes:  # inputs written, validated once and the upstream results made, per size: not timed
            dirs[n] = Path(tmp) / f"n{n}"
            info = child_json([sys.executable, step_script, "setup", n, dirs[n]])
            log(f"  setup {n:,}: generated in {info['generate_seconds']:.1f} s, CSV written in "
                f"{info['write_seconds']:.1f} s ({info['csv_mb']:.0f} MB; rows {info['rows']})")
            prep = upstream_seconds[n] = child_json([sys.executable, step_script, "prepare", dirs[n]])
            log(f"  setup {n:,}: validated tables saved after {prep['validate_seconds']:.1f} s; upstream results "
                + ", ".join(f"{p} {prep[p + '_seconds']:.1f} s" for p in ("metric_design", "portfolio_health")))
        for r in range(repeat):  # sizes interleaved within each round
            for n in sizes:
                saved = dirs[n] / "validated.pickle"
                got = {"validation": child_json([sys.executable, step_script, "validation", dirs[n]]),
                       "review": child_json([sys.executable, step_script, "review", saved])}
                if executive:
                    got["executive_report"] = child_json([sys.executable, step_script, "executive_report", saved,
                                                          dirs[n] / "upstream"])
                for step, value in got.items():
                    results.setdefault((step, n), []).append(value)
                v, rv = got["validation"], got["review"]
                text = (f"  round {r + 1}/{repeat} n={n:,}: validation {v['seconds']:.2f} s (cpu {v['cpu_seconds']:.2f}) / "
                        f"{v['peak_mb']:.0f} MB, review {rv['seconds']:.2f} s (cpu {rv['cpu_seconds']:.2f}) / "
                        f"{rv['peak_mb']:.0f} MB (of which inputs {rv['inputs_mb']:.0f} MB)")
                if executive:
                    e = got["executive_report"]
                    text += (f", executive report {e['seconds']:.2f} s (cpu {e['cpu_seconds']:.2f}; review "
                             f"{e['review_seconds']:.2f}, workbook {e['workbook_seconds']:.2f} for "
                             f"{e['workbook_mb']:.1f} MB) / {e['peak_mb']:.0f} MB")
                log(text)
    for step in steps:
        seconds = {}
        for n in sizes:
            got = results[(step, n)]
            seconds[n] = median([g["seconds"] for g in got])
            emit(f"scale_{step}_{n}_seconds", seconds[n], "s")
            emit(f"scale_{step}_{n}_cpu_seconds", median([g["cpu_seconds"] for g in got]), "s")
            emit(f"scale_{step}_{n}_peak_mb", median([g["peak_mb"] for g in got]), "MB")
            if step in ("review", "executive_report"):
                emit(f"scale_{step}_{n}_inputs_mb", median([g["inputs_mb"] for g in got]), "MB")
            if step == "executive_report":
                emit(f"scale_executive_report_{n}_review_seconds", median([g["review_seconds"] for g in got]), "s")
                emit(f"scale_executive_report_{n}_workbook_seconds", median([g["workbook_seconds"] for g in got]), "s")
        for n1, n2 in zip(sizes, sizes[1:]):
            exponent = math.log(seconds[n2] / seconds[n1]) / math.log(n2 / n1)
            emit(f"scale_{step}_exponent_{n1}_{n2}", exponent, "slope")
    for n in sizes:  # measured once per size, in the setup: metric_design.review at its defaults + its result files
        emit(f"scale_metric_design_{n}_seconds", upstream_seconds[n]["metric_design_seconds"], "s")
    if not executive:
        log("family 3: the executive report (phase ecosystem_reporting) does not exist yet: nothing to measure")
        emit("scale_executive_report_status", 0, "not-available")


# ---------------------------------------------------------------------------- profile

def family_profile(repeat: int) -> None:
    sys.path.insert(0, str(HERE))
    from _profile_run import PHASE_STEPS, PROCESS_STEPS

    log(f"profile: {SAMPLE} (copied), {repeat} run(s), each in a fresh process, phases one after the other")
    got: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="alliancekit-bench-profile-") as tmp:
        engagement = snapshot_sample(Path(tmp))
        for r in range(repeat):
            work = Path(tmp) / f"run-{r}"
            work.mkdir()
            got.append(child_json([sys.executable, HERE / "_profile_run.py", engagement, work]))
            log(f"  run {r + 1}/{repeat}: {got[-1]['total_in_process']:.2f} s in process")
    for step in PROCESS_STEPS:
        emit(f"profile_{step}_seconds", median([g["process"][step] for g in got]), "s")
    for phase in got[0]["phases"]:
        for step in PHASE_STEPS:
            emit(f"profile_{phase}_{step}_seconds", median([g["phases"][phase][step] for g in got]), "s")
    emit("profile_total_in_process_seconds", median([g["total_in_process"] for g in got]), "s")


# ---------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", default="1,2,3", help="comma-separated: 1, 2, 3, profile (default 1,2,3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (family 2: rounds); the median is printed (default 3)")
    parser.add_argument("--sizes", help="family 3: comma-separated partner counts (default 1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="family 3: sizes 1,000 and 10,000 only")
    parser.add_argument("--warmup", action="store_true", help="family 1: one untimed round before the timed ones")
    parser.add_argument("--with-serial", action="store_true",
                        help="family 1: also time 'alliancekit run --jobs 1' (phases one after the other) as a third arm")
    parser.add_argument("--scorecard-partners", type=int, default=SCORECARD_PARTNERS, metavar="N",
                        help=f"family 2: partners of the generated engagement (default {SCORECARD_PARTNERS})")
    parser.add_argument("--chain-partners", type=int, default=CHAIN_PARTNERS, metavar="K",
                        help=f"family 2: partners the per-partner chain is measured on, spread evenly (default "
                             f"{CHAIN_PARTNERS}; N measures them all)")
    args = parser.parse_args(argv)

    families = [f.strip() for f in args.family.split(",") if f.strip()]
    bad = [f for f in families if f not in FAMILIES]
    if bad or not families:
        parser.error(f"unknown family {', '.join(bad)}; choose from {', '.join(FAMILIES)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.scorecard_partners < 2:
        parser.error("--scorecard-partners must be at least 2")
    if not 1 <= args.chain_partners:
        parser.error("--chain-partners must be at least 1")
    if args.sizes:
        try:
            sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
        except ValueError:
            parser.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
        if not sizes or sizes[0] < 1:
            parser.error("--sizes: partner counts must be positive")
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="alliancekit-bench-cache-") as cache:
        warm_model_cache(Path(cache))
        for family in families:
            run_family(family, args, sizes)
    log(f"done in {time.perf_counter() - started:.0f} s")


def warm_model_cache(folder: Path) -> None:
    """Point every process at a fresh model cache (``ALLIANCEKIT_CACHE``) and fill it once, untimed.

    partner_swot's fitted classifiers and cross-validated score are kept in the kit's disk cache
    after a first run (about 5 s). Both arms of a comparison read the same cache, as a
    consultant's second run would; a fresh folder makes that state the same on every machine
    instead of whatever ``~/.cache`` holds.
    """
    os.environ["ALLIANCEKIT_CACHE"] = str(folder)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", WARM_CACHE], check=True, env=_env(), cwd=ROOT)
    log(f"model cache {folder} filled in {time.perf_counter() - t0:.1f} s (not timed)")


#: Fits and scores what partner_swot reads from the cache, with the phase's default seed.
WARM_CACHE = """
from alliancekit.feedback.classify import cross_validated_f1, default_classifier, training_set
from alliancekit.partner_swot.themes import default_topic_classifier
from alliancekit.phases import PHASES
seed = PHASES["partner_swot"].defaults()["seed"]
default_classifier(seed), default_topic_classifier(), cross_validated_f1(training_set(), seed=seed)
"""


def run_family(family: str, args: argparse.Namespace, sizes: list[int]) -> None:
    """Run one family with the command line's options."""
    if family == "1":
        family_engagement(args.repeat, warmup=args.warmup, serial=args.with_serial)
    elif family == "2":
        family_scorecards(args.scorecard_partners, min(args.chain_partners, args.scorecard_partners), args.repeat)
    elif family == "3":
        family_scale(sizes, args.repeat)
    elif family == "profile":
        family_profile(args.repeat)


if __name__ == "__main__":
    main()
