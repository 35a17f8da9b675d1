"""The ``alliancekit`` command line (usage: README, "Command line").

Exit codes: 0 success; 2 bad input or parameters (nothing was run); 1 a phase failed.
Errors are printed as sentences that name the file, column and row, never as tracebacks.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import unicodedata
from pathlib import Path

from . import __version__
from .errors import InputError, KitError, Problem


def _cmd_phases(args) -> int:
    from .params import describe
    from .phases import PHASES

    if args.schema:  # for editors and other tools: what each phase's parameters accept
        import json

        print(json.dumps({name: phase.params.model_json_schema() for name, phase in PHASES.items()}, indent=2))
        return 0
    for phase in PHASES.values():
        print(f"{phase.name}  ({phase.notebook}): {phase.title}")
        print(f"  {phase.summary}")
        print(f"  inputs: {', '.join(phase.inputs)}" + (f"; optional: {', '.join(phase.optional_inputs)}"
                                                          if phase.optional_inputs else ""))
        print(f"  results: {', '.join(phase.results)}")
        print("  parameters:")
        for line in describe(phase.params):
            print(f"    {line}")
        print()
    return 0


def _cmd_validate(args) -> int:
    from .engagement import load_engagement, template_leftovers
    from .phases import INPUT_NAMES
    from .runner import preflight

    engagement = load_engagement(args.engagement)
    for warning in template_leftovers(engagement):
        print(f"warning: {warning}")
    planned, _, tables, notes = preflight(engagement, extra_inputs=list(engagement.data))
    for note in (n for per_input in notes.values() for n in per_input):
        print(f"note: {note}")
    for name, frame in sorted(tables.items(), key=lambda item: INPUT_NAMES.index(item[0])):  # the kit's order
        print(f"  {name:<16} {len(frame):>8,} rows  {engagement.data[name].label}")
    if args.export:
        from .validation import export_inputs

        for path in export_inputs(tables, Path(args.export)):
            print(f"  written: {path}")
    print(f"OK: {engagement.id} ({engagement.client}): {len(tables)} inputs valid; "
          f"phases: {', '.join(p.name for p in planned)}")
    return 0


def _cmd_run(args) -> int:
    from .engagement import load_engagement
    from .params import parse_cli_assignment
    from .runner import output_folder, run

    overrides = []
    for text in args.param:
        try:
            overrides.append(_cli_path(*parse_cli_assignment(text)))
        except ValueError as exc:
            raise InputError(Problem("-p", str(exc))) from None
    if args.partners is not None:  # kept as text: ids such as 007 must not become numbers
        overrides.append(("ecosystem_reporting", "partners", args.partners))
    engagement = load_engagement(args.engagement)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    since = _since(args.since, engagement, overrides) if args.since else None
    out_dir = output_folder(engagement, Path(args.output_dir) if args.output_dir else None)
    run(engagement, args.phase, overrides, out_dir, formats, jobs=args.jobs, scheduler=args.scheduler)
    if since is not None:
        from .cycle.comparison import compare

        compare(since, out_dir, out_dir, [f for f in formats if f in ("html", "pdf")], engagement)
    return 0


def _since(given: str, engagement, overrides: list) -> Path:
    """The previous delivery of ``run --since``, checked before anything runs (exit 2 if it cannot be
    compared); portfolio_health then reads it as its ``previous`` unless ``-p`` says otherwise."""
    from .cycle.delivery import read_delivery

    previous = read_delivery(Path(given).expanduser().resolve(), "--since")
    if previous.client != engagement.client:
        raise InputError(Problem("--since", f"{given} is a delivery for {previous.client!r}, this engagement is for "
                                            f"{engagement.client!r}: a comparison needs two deliveries of one client"))
    if previous.has("portfolio_health") and not any(o[:2] == ("portfolio_health", "previous") for o in overrides):
        overrides.append(("portfolio_health", "previous", str(previous.path)))
    return previous.path


def _cmd_compare(args) -> int:
    from .cycle.comparison import compare

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in ("html", "pdf")]
    if bad:
        raise InputError(Problem("--format", f"unknown format {', '.join(bad)}; valid: html, pdf"))
    engagement = None
    if args.engagement:
        from .engagement import load_engagement

        engagement = load_engagement(args.engagement, check_files=False)
    compare(args.previous, args.current, Path(args.output_dir) if args.output_dir else None, formats, engagement)
    return 0


def _cli_path(phase: str, key: str, value):
    """``(phase, key, value)`` with a relative path parameter made absolute from the current folder
    (where the user typed it; the same path in the engagement file is read from the file's folder)."""
    from .params import is_path
    from .phases import PHASES

    field = PHASES[phase].params.model_fields.get(key) if phase in PHASES else None
    if field is not None and is_path(field) and isinstance(value, str) and value.strip() and not Path(value).is_absolute():
        value = str(Path(value).expanduser().resolve())
    return phase, key, value


def _slug(text: str) -> str:
    """An engagement id from a client name: accents dropped ("Österreich" -> "osterreich"), [a-z0-9-]."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "engagement"


def _cmd_new(args) -> int:
    import yaml

    from .paths import TEMPLATES

    target = Path(args.directory)
    if target.exists() and any(target.iterdir()):
        raise InputError(Problem(str(target), "folder exists and is not empty; choose a new folder"))
    (target / "data").mkdir(parents=True, exist_ok=True)
    for src in sorted((TEMPLATES / "inputs").glob("*.csv")):
        shutil.copyfile(src, target / "data" / src.name)
    for extra in ("maturity_questionnaire.yml", "strategy_arguments.yml"):
        if (TEMPLATES / extra).is_file():
            shutil.copyfile(TEMPLATES / extra, target / extra)
    # edited per client: position descriptions, structures, RACI, competencies and interview guide;
    # the relationship health survey's statement bank
    for folder in ("org_design", "relationship_health"):
        if (TEMPLATES / folder).is_dir():
            shutil.copytree(TEMPLATES / folder, target / folder)
    text = (TEMPLATES / "engagement.yml").read_text(encoding="utf-8")
    client = args.client or "Client Name"
    text = text.replace("Client Name", client).replace("client-engagement", f"{_slug(client)}")
    (target / "engagement.yml").write_text(text, encoding="utf-8")
    yaml.safe_load(text)  # the template must stay valid YAML
    print(f"Engagement scaffolded in {target}/: edit engagement.yml, replace the example rows in data/, "
          f"then run: alliancekit validate {target}/engagement.yml")
    if _tracked_by_git(target):
        print(f"warning: {target}/ is inside a git repository that does not ignore it: client data would be one "
              "'git add .' away from being committed; keep engagements outside it, or add the folder to .gitignore")
    return 0


def _tracked_by_git(folder: Path) -> bool:
    """Whether ``folder`` lies in a git work tree that does not ignore it (False when git is absent)."""
    import subprocess

    try:
        inside = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=10)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return False
        ignored = subprocess.run(["git", "-C", str(folder), "check-ignore", "-q", "."], capture_output=True, timeout=10)
        return ignored.returncode != 0
    except (OSError, subprocess.SubprocessError):
        return False


def _cmd_sample(args) -> int:
    from .sample import write_engagement, write_exports_engagement, write_previous_year

    if args.previous_year:
        write_previous_year(Path(args.directory))
        print(f"Last year's sample engagement (changes planted against this year's) written to {args.directory}")
        return 0
    if args.exports:
        write_exports_engagement(Path(args.directory))
        print(f"Sample engagement, as the client exports it, written to {args.directory}")
        return 0
    write_engagement(Path(args.directory))
    print(f"Sample engagement written to {args.directory}")
    return 0


def _cmd_swot_classify(args) -> int:
    import pandas as pd

    from .loading import ReadFailure, read_csv_file
    from .feedback.classify import classify_table, fit_classifier

    def read(path: Path, what: str) -> pd.DataFrame:
        """The file through the kit's CSV reader (UTF-8, cp1252 or UTF-16; comma, semicolon or tab)."""
        if not path.is_file():
            raise InputError(Problem(path.name, f"{what} not found: {path}"))
        try:
            return read_csv_file(path, path.name)[0]
        except ReadFailure as failure:
            raise InputError(failure.problems) from None

    source = Path(args.input)
    table = read(source, "input file")
    if args.text_column not in table.columns:
        raise InputError(Problem(source.name, f"no column '{args.text_column}' (--text-column); "
                                              f"available columns: {', '.join(map(str, table.columns))}"))
    own = None
    if args.training:
        own = read(Path(args.training), "training file")
        missing = [c for c in ("text", "quadrant") if c not in own.columns]
        if missing:
            raise InputError(Problem(Path(args.training).name, f"training file needs columns text and quadrant; "
                                                               f"missing: {', '.join(missing)}"))
    result = classify_table(table, args.text_column, fit_classifier(own))
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(args.output, index=False, lineterminator="\n")
    counts = result["quadrant"].value_counts()
    print(f"{len(result)} statements classified -> {args.output}: "
          + ", ".join(f"{q} {int(counts.get(q, 0))}" for q in ("strength", "weakness", "opportunity", "threat", "other")))
    return 0


def _cmd_intake(args) -> int:
    from .intake.propose import propose, read_raw
    from .loading import ReadFailure
    from .schemas import SPECS

    if args.input_name not in SPECS:  # before reading: a typo should not wait for a large workbook
        from .errors import did_you_mean

        raise InputError(Problem("--as", f"unknown input '{args.input_name}'; {did_you_mean(args.input_name, SPECS)}"))
    try:
        rows, sheet = read_raw(Path(args.file), args.sheet)
    except ReadFailure as failure:
        raise InputError(failure.problems) from None
    proposal = propose(rows, args.input_name, args.questionnaire)
    where = f" of sheet '{sheet}'" if sheet else ""
    print(f"{Path(args.file).name}: header: row {proposal.header_row}{where}, {len(rows) - proposal.header_row:,} rows below it"
          + (f" ({'; '.join(proposal.notes)})" if proposal.notes else ""))
    print()
    table = proposal.columns_table()
    table["column"] = [c if len(c) <= 48 else c[:47] + "…" for c in table["column"]]
    widths = [max(len(str(v)) for v in [name, *table[name]]) for name in table.columns]
    for cells in [list(table.columns), *table.itertuples(index=False)]:
        print("  ".join(str(v).ljust(w) for v, w in zip(cells, widths)).rstrip())
    print()
    print("Proposed mapping: paste under data: in the engagement file (path relative to it); check the # comments.")
    print(proposal.yaml(args.input_name, args.file), end="")
    print()
    problems, notes = _check_proposal(args, proposal)
    for note in notes:
        print(f"note: {note}")
    if problems:
        print(f"With this mapping, {len(problems)} problem{'s' if len(problems) != 1 else ''} in the file "
              "(fix the mapping or the file; checks against the other inputs come with validate):")
        for problem in problems:
            print(f"  - {problem}")
        return 2
    print("With this mapping the file is valid on its own (checks against the other inputs come with validate).")
    return 0


def _check_proposal(args, proposal) -> tuple[list[Problem], list[str]]:
    """The file checked with the proposed mapping, as ``validate`` would read it (the file alone)."""
    from .engagement import DataSource
    from .intake.mapping import parse_mapping
    from .validation import check_source, questionnaire_statements

    path = Path(args.file).resolve()
    mapping, problems = parse_mapping(args.input_name, {**proposal.mapping, "path": str(path)}, "proposed mapping")
    if mapping is None or problems:
        return problems, []
    source = DataSource(path, mapping.sheet, mapping)
    _, _, problems, notes = check_source(args.input_name, source, lambda: questionnaire_statements(args.questionnaire or "", Path.cwd()))
    return problems, notes


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI in the README)."""
    parser = argparse.ArgumentParser(prog="alliancekit", description="alliance-kit: run a strategic-alliance engagement.")
    parser.add_argument("--version", action="version", version=f"alliancekit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("new", help="scaffold an engagement folder from engagement_templates/")
    p.add_argument("directory")
    p.add_argument("--client", help="client name shown on report covers")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("validate", help="check all inputs of an engagement; list every problem (exit 2 if any)")
    p.add_argument("engagement")
    p.add_argument("--export", metavar="DIR",
                   help="also write every input as the analyses see it (mapped, typed, the kit's columns) as CSV")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("run", help="run phases: validate, execute notebooks, render HTML and PDF")
    p.add_argument("engagement")
    p.add_argument("--phase", action="append", default=[], metavar="NAME", help="phase to run (repeatable; default: all in the file)")
    p.add_argument("--output-dir", metavar="DIR", help="where to write (default: outputs/<engagement>/)")
    p.add_argument("--format", default="html,pdf", help="report formats, comma-separated: html, pdf, pptx (the "
                   "steering-committee deck) (default: html,pdf)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes of the local Dask cluster: phases side by side and scorecards "
                        "(default: one per CPU core)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                   help="render the partner scorecards on this existing Dask cluster (default: the "
                        "ALLIANCEKIT_SCHEDULER environment variable, else the local cluster); phases, which "
                        "read the client's files, run on this machine")
    p.add_argument("--partners", metavar="ID,...", default=None,
                   help="render the ecosystem_reporting scorecards of these partners only "
                        "(= -p ecosystem_reporting.partners=ID,...; the phase's folder then holds only "
                        "these, so use --output-dir to keep a full set)")
    p.add_argument("-p", dest="param", action="append", default=[], metavar="PHASE.KEY=VALUE",
                   help="override a parameter (value parsed as YAML data, e.g. -p portfolio_health.k_max=6)")
    p.add_argument("--since", metavar="PREVIOUS",
                   help="last review's delivered output folder: after the run, compare with it (writes changes/ "
                        "into the output folder); portfolio_health keeps its reference level and segment names")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("compare", help="what changed since the last review: compare two delivered output folders "
                                       "of one client; writes changes/ (report, CSVs, manifest)")
    p.add_argument("previous", metavar="PREVIOUS", help="last review's output folder, e.g. outputs/acme-2025")
    p.add_argument("current", metavar="CURRENT", help="this review's output folder, e.g. outputs/acme-2026")
    p.add_argument("--output-dir", metavar="DIR", help="where changes/ goes (default: CURRENT)")
    p.add_argument("--format", default="html,pdf", help="report formats, comma-separated: html, pdf (default: html,pdf)")
    p.add_argument("--engagement", metavar="FILE", help="the engagement file whose branding (logos) the cover uses "
                                                        "(default: the names and colour the deliveries recorded)")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("phases", help="list phases, their inputs and typed parameters")
    p.add_argument("--schema", action="store_true", help="print the parameters of every phase as JSON Schema")
    p.set_defaults(func=_cmd_phases)

    p = sub.add_parser("intake", help="propose a mapping for a client's file as exported (CRM, forms): "
                                      "its columns, sample values and a YAML block for the engagement file")
    p.add_argument("file", metavar="FILE", help="the client's .csv or .xlsx file")
    p.add_argument("--as", dest="input_name", required=True, metavar="INPUT",
                   help="the kit input it holds (opportunities, partners, partner_metrics, maturity_survey, ...)")
    p.add_argument("--sheet", metavar="S", help=".xlsx: the sheet to read (default: the only or first non-empty one)")
    p.add_argument("--questionnaire", metavar="Q",
                   help="maturity_survey: the questionnaire the question columns are matched to "
                        "(default: the kit's maturity_questionnaire.yml)")
    p.set_defaults(func=_cmd_intake)

    p = sub.add_parser("sample", help="write the fictional sample engagement (Northwind Systems) to a folder")
    p.add_argument("directory")
    p.add_argument("--exports", action="store_true",
                   help="the same data as the client exports it (workbooks, a forms export, Word and text "
                        "interview notes) with an engagement file of mappings")
    p.add_argument("--previous-year", action="store_true",
                   help="last year's engagement of the same client (data a year earlier, changes planted "
                        "for alliancekit compare; README.md lists them)")
    p.set_defaults(func=_cmd_sample)
    p = sub.add_parser("swot", help="partner SWOT tools (classify statements)")
    swot = p.add_subparsers(dest="swot_command", required=True)
    p = swot.add_parser("classify", help="add a SWOT quadrant and a confidence to every statement of a CSV file")
    p.add_argument("input", metavar="IN.csv")
    p.add_argument("--text-column", required=True, metavar="COL", help="column holding the statements")
    p.add_argument("--output", required=True, metavar="OUT.csv", help="where to write (input columns + quadrant, confidence)")
    p.add_argument("--training", metavar="CODED.csv", help="your own coded statements (columns text, quadrant) to retrain with")
    p.set_defaults(func=_cmd_swot_classify)

    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KitError as exc:
        print(f"alliancekit: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("alliancekit: interrupted; earlier deliverables are untouched", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
