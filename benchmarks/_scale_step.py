"""One measured step of the scale family, run by ``benchmarks/run.py`` in a fresh process.

A fresh process per measurement makes the peak memory honest: ``ru_maxrss`` is the process's
high-water mark, so each step gets its own process and reports its peak minus the baseline
taken right after its imports. Prints one JSON object on the last line of stdout.

    python _scale_step.py setup N DIR [--with-optional]
        generate N partners x 36 months; write DIR/data/*.csv + DIR/engagement.yml: every input
        metric_design, portfolio_health and ecosystem_reporting require (with --with-optional
        also their optional inputs the generator makes, e.g. macro)
    python _scale_step.py prepare DIR                (setup, not timed) load_inputs -> DIR/validated.pickle;
        metric_design.review and portfolio_health.review at their defaults, written with
        session.write_results to DIR/upstream/<phase>/ (scorecard.yml, segments.csv, ...)
    python _scale_step.py validation DIR             time load_inputs on DIR/engagement.yml
    python _scale_step.py review PICKLE              time portfolio_health.review on the validated tables
    python _scale_step.py executive_report PICKLE UPSTREAM
        time ecosystem_reporting.review on the validated tables with UPSTREAM's scorecard.yml
        and segments.csv, plus its executive tables as the Excel workbook (no scorecards, no PDF)
"""

from __future__ import annotations

import gc
import json
import pickle
import resource
import sys
import time
from pathlib import Path

MONTHS = 36
#: The phases whose inputs the setup writes: the executive report (ecosystem_reporting) and
#: the two phases whose results it reads.
PHASES_SERVED = ("metric_design", "portfolio_health", "ecosystem_reporting")
UPSTREAM = ("metric_design", "portfolio_health")


def peak_mb() -> float:
    """The process's resident-set high-water mark, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def input_names(optional: bool = False) -> list[str]:
    """Every input the served phases require (in the registry's order), then their optional ones."""
    from alliancekit.phases import PHASES

    names = [i for p in PHASES_SERVED for i in PHASES[p].inputs]
    if optional:
        names += [i for p in PHASES_SERVED for i in PHASES[p].optional_inputs]
    return list(dict.fromkeys(names))


def setup(n_partners: int, out_dir: Path, optional: bool = False) -> dict:
    import yaml

    from alliancekit.sample import engagement_file, generate_tables, write_tables

    t0 = time.perf_counter()
    tables, _ = generate_tables(n_partners=n_partners, months=MONTHS)
    t1 = time.perf_counter()
    required = input_names()
    missing = [name for name in required if name not in tables]
    if missing:
        raise SystemExit(f"the sample generator makes no {', '.join(missing)}, which the phases require")
    names = [name for name in input_names(optional) if name in tables]
    write_tables({name: tables[name] for name in names}, out_dir / "data")
    t2 = time.perf_counter()
    text = yaml.safe_dump(engagement_file(names, list(PHASES_SERVED), "Scale Benchmark", f"scale-{n_partners}",
                                          "Benchmark"), sort_keys=False)
    (out_dir / "engagement.yml").write_text(text, encoding="utf-8")
    rows = {name: int(len(tables[name])) for name in names}
    size = sum((out_dir / "data" / f"{name}.csv").stat().st_size for name in names)
    return {"generate_seconds": t1 - t0, "write_seconds": t2 - t1, "rows": rows, "csv_mb": size / 2**20,
            "inputs": names}


def prepare(out_dir: Path) -> dict:
    """Not measured: the validated tables for the review steps, and the upstream results the executive report reads."""
    import importlib

    from alliancekit.engagement import load_engagement
    from alliancekit.phases import PHASES
    from alliancekit.session import write_results
    from alliancekit.validation import load_inputs

    engagement = load_engagement(out_dir / "engagement.yml")
    t0 = time.perf_counter()
    tables, _ = load_inputs(engagement, list(engagement.data))
    seconds = {"validate_seconds": time.perf_counter() - t0}
    with open(out_dir / "validated.pickle", "wb") as fh:
        pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
    for name in UPSTREAM:
        phase = PHASES[name]
        folder = out_dir / "upstream" / name
        folder.mkdir(parents=True, exist_ok=True)
        inputs = {i: tables[i] for i in (*phase.inputs, *phase.optional_inputs) if i in tables}
        t0 = time.perf_counter()
        result = importlib.import_module(f"alliancekit.{name}").review(inputs, phase.defaults())
        write_results(phase, result.results(), folder)
        seconds[f"{name}_seconds"] = time.perf_counter() - t0
    return seconds


def validation(out_dir: Path) -> dict:
    from alliancekit.engagement import load_engagement
    from alliancekit.validation import load_inputs

    engagement = load_engagement(out_dir / "engagement.yml")
    gc.collect()
    baseline = peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    load_inputs(engagement, list(engagement.data))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_mb()
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak - baseline, "baseline_mb": baseline}


def _load(saved: Path) -> tuple[dict, float, float]:
    """The validated tables from ``saved``; the baseline before loading them and what holding them costs (MiB)."""
    gc.collect()
    baseline = peak_mb()
    with open(saved, "rb") as fh:
        tables = pickle.load(fh)
    return tables, baseline, peak_mb() - baseline


def review(saved: Path) -> dict:
    from alliancekit.phases import PHASES
    from alliancekit.portfolio_health import review as run_review

    params = PHASES["portfolio_health"].defaults()
    phase = PHASES["portfolio_health"]
    tables, baseline, inputs_mb = _load(saved)
    inputs = {i: tables[i] for i in (*phase.inputs, *phase.optional_inputs) if i in tables}
    t0, c0 = time.perf_counter(), time.process_time()
    result = run_review(inputs, params)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_mb()
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak - baseline, "inputs_mb": inputs_mb, "baseline_mb": baseline,
            "segments": int(len(result.table))}


def executive_report(saved: Path, upstream: Path) -> dict:
    from alliancekit import ecosystem_reporting as er
    from alliancekit.phases import PHASES

    phase = PHASES["ecosystem_reporting"]
    params = {**phase.defaults(), "pdf": False}  # the executive report only: no partner scorecards
    tables, baseline, inputs_mb = _load(saved)
    inputs = {i: tables[i] for i in (*phase.inputs, *phase.optional_inputs) if i in tables}
    t0, c0 = time.perf_counter(), time.process_time()
    result = er.review(inputs, params, scorecard=upstream / "metric_design" / "scorecard.yml",
                       segments=upstream / "portfolio_health" / "segments.csv")
    t1, c1 = time.perf_counter(), time.process_time()
    book = er.executive_workbook(result.executive_tables())
    t2, c2 = time.perf_counter(), time.process_time()
    peak = peak_mb()
    return {"seconds": t2 - t0, "cpu_seconds": c2 - c0, "review_seconds": t1 - t0, "review_cpu_seconds": c1 - c0,
            "workbook_seconds": t2 - t1, "workbook_cpu_seconds": c2 - c1, "peak_mb": peak - baseline,
            "inputs_mb": inputs_mb, "baseline_mb": baseline, "workbook_mb": len(book) / 2**20,
            "status_rows": int(len(result.status)), "deals": int(len(result.deals))}


def main(argv: list[str]) -> None:
    step = argv[0]
    if step == "setup":
        out = setup(int(argv[1]), Path(argv[2]), optional="--with-optional" in argv[3:])
    elif step == "prepare":
        out = prepare(Path(argv[1]))
    elif step == "validation":
        out = validation(Path(argv[1]))
    elif step == "review":
        out = review(Path(argv[1]))
    elif step == "executive_report":
        out = executive_report(Path(argv[1]), Path(argv[2]))
    else:
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
