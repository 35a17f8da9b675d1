"""One measured step of the scale family, run by ``benchmarks/run.py`` in a fresh process.

A fresh process per measurement makes the peak memory honest: ``ru_maxrss`` is the process's
high-water mark, so each step gets its own process and reports its peak minus the baseline
taken right after its imports. Prints one JSON object on the last line of stdout.

    python _scale_step.py setup N DIR             generate N partners x 36 months; write CSVs + engagement.yml
    python _scale_step.py validation DIR [PICKLE] time load_inputs on DIR/engagement.yml (save tables to PICKLE)
    python _scale_step.py review PICKLE           time portfolio_health.review on the validated tables
"""

from __future__ import annotations

import gc
import json
import pickle
import resource
import sys
import time
from pathlib import Path

INPUTS = ("partners", "partner_metrics", "opportunities")
MONTHS = 36


def peak_mb() -> float:
    """The process's resident-set high-water mark, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def setup(n_partners: int, out_dir: Path) -> dict:
    import yaml

    from alliancekit.sample import engagement_file, generate_tables, write_tables

    t0 = time.perf_counter()
    tables, _ = generate_tables(n_partners=n_partners, months=MONTHS)
    t1 = time.perf_counter()
    write_tables({name: tables[name] for name in INPUTS}, out_dir / "data")
    t2 = time.perf_counter()
    text = yaml.safe_dump(engagement_file(list(INPUTS), ["portfolio_health"], "Scale Benchmark",
                                          f"scale-{n_partners}", "Benchmark"), sort_keys=False)
    (out_dir / "engagement.yml").write_text(text, encoding="utf-8")
    rows = {name: int(len(tables[name])) for name in INPUTS}
    size = sum((out_dir / "data" / f"{name}.csv").stat().st_size for name in INPUTS)
    return {"generate_seconds": t1 - t0, "write_seconds": t2 - t1, "rows": rows, "csv_mb": size / 2**20}


def validation(out_dir: Path, save: Path | None) -> dict:
    from alliancekit.engagement import load_engagement
    from alliancekit.validation import load_inputs

    engagement = load_engagement(out_dir / "engagement.yml")
    gc.collect()
    baseline = peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    tables, _ = load_inputs(engagement, INPUTS)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_mb()
    if save is not None:  # for the review step; after the measurement, so it does not count
        with open(save, "wb") as fh:
            pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak - baseline, "baseline_mb": baseline}


def review(saved: Path) -> dict:
    from alliancekit.phases import PHASES
    from alliancekit.portfolio_health import review as run_review

    params = PHASES["portfolio_health"].defaults()
    gc.collect()
    baseline = peak_mb()
    with open(saved, "rb") as fh:
        tables = pickle.load(fh)
    inputs_mb = peak_mb() - baseline
    t0, c0 = time.perf_counter(), time.process_time()
    result = run_review(tables, params)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_mb()
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak - baseline, "inputs_mb": inputs_mb, "baseline_mb": baseline,
            "segments": int(len(result.table))}


def main(argv: list[str]) -> None:
    step = argv[0]
    if step == "setup":
        out = setup(int(argv[1]), Path(argv[2]))
    elif step == "validation":
        out = validation(Path(argv[1]), Path(argv[2]) if len(argv) > 2 else None)
    elif step == "review":
        out = review(Path(argv[1]))
    else:
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
