"""Where ``alliancekit run`` spends its time: the runner's steps, timed in-process.

Run by ``benchmarks/run.py --family profile`` in a fresh process per repetition, so every
one-off cost a real run pays (imports, building the nbconvert exporter, WeasyPrint's first
use) is paid here too. It calls the ``alliancekit.runner`` / ``alliancekit.render`` functions
that ``runner.stage_phase`` calls, in the same order, one phase after the other (as
``alliancekit run --jobs 1`` does), with a timestamp around each:

* each phase notebook is executed from an *instrumented copy* whose first code cell is split
  (with ``ast``, statement by statement) into its imports, ``start_phase(...)``, the analysis
  and the ``ctx.save_*`` calls, so the kernel-side cost of each shows in the executed
  notebook's per-cell timing metadata (kernel side: ``iopub.execute_input`` ->
  ``shell.execute_reply``; papermill's own ``start_time``/``end_time`` also cover papermill
  saving the notebook around each cell);
* ``render_html`` is timed around ``number_sections`` (wrapped) so the nbconvert export and
  the section numbering are apart; ``render_pdf`` is split into ``layout`` and ``write_pdf``.

Prints one JSON object on the last line of stdout: ``{"process": {step: s}, "phases":
{phase: {step: s}}, "total_in_process": s}``.

    python _profile_run.py ENGAGEMENT.yml WORKDIR
"""

from __future__ import annotations

import ast
import json
import sys
import time
from datetime import datetime
from pathlib import Path

T_START = time.perf_counter()

#: Paid once per process (in ``alliancekit run``: once in the main process, and again in each
#: spawned worker when phases run side by side).
PROCESS_STEPS = {
    "driver_imports": "import alliancekit.runner and what it imports (pandas, pandera, nbformat, ...)",
    "validate_before_kernel": "load the engagement, plan, read and validate every input, the phases' checks (runner.preflight), and write the hand-over for the kernels",
    "import_papermill": "import papermill (done inside execute_notebook)",
    "nbconvert_exporter_build": "build the nbconvert HTMLExporter with the kit's template (cached per process)",
    "import_weasyprint": "import weasyprint (done inside render.layout)",
}

#: Paid per phase.
PHASE_STEPS = {
    "kernel_start": "papermill reads and parameterises the notebook, starts the kernel, up to the first cell",
    "kernel_parameters": "the parameters and injected-parameters cells",
    "kernel_imports": "the notebook's import lines (the phase module, report, session: pandas, sklearn, matplotlib, ...)",
    "kernel_start_phase": "start_phase(): parameters checked, the validated inputs loaded from the runner's hand-over",
    "kernel_analysis": "the phase's review(...): the analysis itself",
    "kernel_save_results": "ctx.save_results / save_csv: the result files",
    "kernel_extra_outputs": "statements after the results are saved (e.g. ecosystem_reporting's per-partner scorecards)",
    "kernel_figures": "report cells that draw a chart (report.figure)",
    "kernel_tables_text": "every other report cell (tables, bullets, paragraphs, key figures)",
    "papermill_cell_overhead": "papermill's own per-cell work between cells (messaging; the kit turns its per-cell saves off)",
    "kernel_shutdown_and_write": "last cell's end to execute_notebook returning (kernel stopped at once, the one save of the notebook)",
    "nbconvert_export": "exporter.from_notebook_node: the executed notebook to HTML",
    "number_sections": "BeautifulSoup pass: section numbers and table of contents",
    "weasyprint_layout": "WeasyPrint: HTML/CSS parsing and page layout",
    "weasyprint_write_pdf": "WeasyPrint: writing the PDF",
    "deliver": "write report.html/pdf, SHA-256 of every output, manifest, atomic commit",
}


def _label(statement: ast.stmt) -> str:
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return "kernel_imports"
    names = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
    attrs = {n.attr for n in ast.walk(statement) if isinstance(n, ast.Attribute)}
    if "start_phase" in names:
        return "kernel_start_phase"
    if any(a.startswith("save_") for a in attrs):
        return "kernel_save_results"
    return "kernel_analysis"


def _instrument(nb):
    """A copy of ``nb`` whose ``start_phase`` cell is split into timed steps; every code cell labelled."""
    import copy

    import nbformat

    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        if "start_phase(" in cell.source:
            lines = cell.source.splitlines()
            groups: list[tuple[str, list[str]]] = []
            saved = False
            for statement in ast.parse(cell.source).body:
                label = _label(statement)
                if label == "kernel_save_results":
                    saved = True
                elif saved:
                    label = "kernel_extra_outputs"
                text = lines[statement.lineno - 1:statement.end_lineno]
                if groups and groups[-1][0] == label:
                    groups[-1][1].extend(text)
                else:
                    groups.append((label, list(text)))
            for label, text in groups:
                new = nbformat.v4.new_code_cell("\n".join(text))
                new.metadata["bench_step"] = label
                cells.append(new)
            continue
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags:
            cell.metadata["bench_step"] = "kernel_parameters"
        elif "report.figure(" in cell.source:
            cell.metadata["bench_step"] = "kernel_figures"
        else:
            cell.metadata["bench_step"] = "kernel_tables_text"
        cells.append(cell)
    out.cells = cells
    return out


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def main(engagement_path: str, workdir: str) -> dict:
    process = {name: 0.0 for name in PROCESS_STEPS}
    phases: dict[str, dict[str, float]] = {}
    work = Path(workdir)

    t = time.perf_counter()
    import nbformat

    from alliancekit import render, runner
    from alliancekit.deliverables import MANIFEST, commit
    from alliancekit.layout import destination, is_client_file
    from alliancekit.engagement import load_engagement
    from alliancekit.manifest import build_manifest, sha256
    from alliancekit.handover import write_validated
    from alliancekit.phases import PHASES, phase_order
    process["driver_imports"] = time.perf_counter() - t

    t = time.perf_counter()
    engagement = load_engagement(engagement_path)
    planned, inputs, tables, notes = runner.preflight(engagement)
    validated = write_validated(tables, notes, work / "validated")  # the hand-over to the kernels, as the runner
    del tables
    process["validate_before_kernel"] = time.perf_counter() - t
    order = {name: i for i, name in enumerate(phase_order([p.name for p in planned]))}
    planned = sorted(planned, key=lambda p: order[p.name])

    t = time.perf_counter()
    import papermill  # noqa: F401  (execute_notebook imports it; timed apart)
    process["import_papermill"] = time.perf_counter() - t

    # the instrumented notebooks, in a folder the runner reads instead of notebooks/
    instrumented = work / "notebooks"
    instrumented.mkdir(parents=True, exist_ok=True)
    for p in planned:
        name = PHASES[p.name].notebook
        nbformat.write(_instrument(nbformat.read(runner.NOTEBOOKS / name, as_version=4)), instrumented / name)
    runner.NOTEBOOKS = instrumented

    real_number_sections = render.number_sections
    spent = {"number_sections": 0.0}

    def timed_number_sections(page):
        t0 = time.perf_counter()
        try:
            return real_number_sections(page)
        finally:
            spent["number_sections"] += time.perf_counter() - t0

    render.number_sections = timed_number_sections
    out_dir = work / "out"
    out_dir.mkdir()

    for p in planned:
        phase = PHASES[p.name]
        steps = phases[p.name] = {name: 0.0 for name in PHASE_STEPS}
        started = time.time()
        staging = work / "staging" / p.name
        staging.mkdir(parents=True)

        t_call = time.time()
        notebook = runner.execute_notebook(p.name, engagement, p.params, staging, out_dir, validated)
        t_return = time.time()
        code = [c for c in notebook.cells if c.cell_type == "code"]
        first = min(_ts(c.metadata["papermill"]["start_time"]) for c in code)
        last = max(_ts(c.metadata["papermill"]["end_time"]) for c in code)
        steps["kernel_start"] = first - t_call
        steps["kernel_shutdown_and_write"] = t_return - last
        papermill_total = 0.0
        for c in code:
            ex = c.metadata.get("execution", {})
            kernel = _ts(ex["shell.execute_reply"]) - _ts(ex["iopub.execute_input"]) if ex else 0.0
            label = c.metadata.get("bench_step", "kernel_parameters")  # the injected-parameters cell has none
            steps[label] += kernel
            papermill_total += c.metadata["papermill"]["duration"]
            steps["papermill_cell_overhead"] += c.metadata["papermill"]["duration"] - kernel
        steps["papermill_cell_overhead"] += (last - first) - papermill_total  # gaps between cells

        cover = render.Cover(engagement.client, engagement.consultant, phase.title, phase.number, engagement.id,
                             engagement.primary_color, engagement.logo)
        t = time.perf_counter()
        render._exporter()
        process["nbconvert_exporter_build"] += time.perf_counter() - t
        spent["number_sections"] = 0.0
        t = time.perf_counter()
        page = render.render_html(notebook, cover)
        steps["nbconvert_export"] = time.perf_counter() - t - spent["number_sections"]
        steps["number_sections"] = spent["number_sections"]

        t = time.perf_counter()
        import weasyprint  # noqa: F401
        process["import_weasyprint"] += time.perf_counter() - t
        t = time.perf_counter()
        document = render.layout(page)
        steps["weasyprint_layout"] = time.perf_counter() - t
        t = time.perf_counter()
        pdf = document.write_pdf()
        steps["weasyprint_write_pdf"] = time.perf_counter() - t

        t = time.perf_counter()
        (staging / "report.html").write_text(page, encoding="utf-8")
        (staging / "report.pdf").write_bytes(pdf)
        staged = [f.relative_to(staging) for f in sorted(staging.rglob("*")) if f.is_file()]
        hashes = lambda client: {str(destination(p.name, f)): sha256(staging / f)  # noqa: E731
                                 for f in staged if is_client_file(f) == client}
        manifest = build_manifest(engagement, p.name, p.params, p.overrides,
                                  [i for i in inputs if i in phase.inputs or i in phase.optional_inputs],
                                  started, time.time(), hashes(True), hashes(False),
                                  list(runner._notes_of(p.name, notes)), out_dir, runner.FORMATS)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
        commit(staging, out_dir, p.name)
        steps["deliver"] = time.perf_counter() - t

    return {"process": process, "phases": phases, "total_in_process": time.perf_counter() - T_START}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
