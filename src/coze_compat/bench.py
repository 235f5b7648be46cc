"""The speed of the matrix on this machine, measured against its floor (``nox -s bench``).

Figures, each the median of ``--repeat`` runs (the machine is shared and noisy, so compare
ratios within one run, never absolute seconds across runs):

* one cell: pytest's own time for the story suite and the process wall, xdist off and on;
* the floor: the sum over the ready cells of a bare ``python -m pytest <stories>`` in each cell's
  venv (no nox, no install check, no coverage), divided by the cores: what running every cell
  would cost with perfect parallelism and no overhead;
* ``nox -s tests`` over the whole matrix, warm (venvs reused) and cold (a fresh ``--envdir``,
  uv's cache warm), serial and with ``-j auto`` (``--skip-cold``, ``--skip-serial`` leave some out);
  ``--release 0.20.0 --release 0.2.0`` measures every cell of those releases only (each Python and
  server, ``nox -t cozepy0.20.0 cozepy0.2.0``): a sample with the matrix's proportions of Pythons,
  servers and coverage, for a machine where the whole matrix takes hours;
* the report (issue 14): the time ``python -m coze_compat.report build`` takes, the size of
  ``report.html``, ``report.json`` and ``report.md``, and how long ``report.html`` takes to open in
  headless Chromium (to the ``load`` event and to the first contentful paint, and the main
  thread's work in thread time, steadier on a shared machine), for the whole matrix:
  ``--report-size`` (``nox -s bench -- --report-size``) measures only these, on results
  *synthesized* at full scale from the cells of one Python (``synthesize``: every release's cell
  copied to every Python, the tests multiplied to ``--report-tests`` per cell), so the figure
  needs no full matrix run.

It prints a Markdown table with each figure's ratio to the floor, the targets of issue 7, and
the machine it ran on. Standard library only; it runs with nox's own interpreter.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from coze_compat import browser, matrix, stories
from coze_compat.report.collect import CELL_FILE, ENVIRONMENT_FILE, REPORT_FILE, parse_cell_id, read_report_log

STORIES = stories.PATHS
QUIET = ("-q", "-p", "no:cacheprovider", "--no-cov")
#: nox's arguments for every ``tests`` cell (``selection`` narrows them to some releases).
ALL_CELLS = ("-s", "tests")


@dataclass(frozen=True)
class Figure:
    name: str
    seconds: float
    runs: int
    note: str = ""
    vs_floor: bool = True  # one-cell figures are not comparable with the whole matrix's floor


def median_of(repeat: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(repeat))


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of ``command``; a failure is an error (a benchmark of a broken run means nothing)."""
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        # pytest's account of a failure (its FAILURES section) comes before the long summary of
        # known breaks: show it first, then the ends of both streams.
        failures = completed.stdout.partition(" FAILURES ")[2][:6000]
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{failures}\n...\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}"
        )
    return elapsed


def pytest_seconds(python: Path, *extra: str) -> float:
    """pytest's own duration of the story suite (first test start to last test stop)."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.jsonl"
        timed([str(python), "-m", "pytest", *STORIES, *QUIET, f"--report-log={log}", *extra])
        span = read_report_log(log).span()
        if span is None:
            raise RuntimeError(f"{python} -m pytest ran no test")
        return span


def selection(releases: Sequence[str] = ()) -> tuple[str, ...]:
    """nox's arguments for the cells measured: every ``tests`` cell, or every cell (each Python and
    server) of ``releases``, through their ``cozepyX.Y.Z`` tags."""
    if not releases:
        return ALL_CELLS
    known = [*matrix.pinned_releases(), matrix.LATEST]
    unknown = [release for release in releases if release not in known]
    if unknown:
        raise SystemExit(
            f"--release {', '.join(unknown)}: not a cell release of the version table "
            f"(src/coze_compat/data/releases.json); pick from {', '.join(known)}"
        )
    return ("-t", *(f"cozepy{release}" for release in releases))


def ready_venvs(envdir: Path, releases: Sequence[str] = ()) -> list[Path]:
    """The Python of every ``tests`` cell venv under ``envdir`` (of ``releases`` only, if given)."""
    suffixes = tuple(f"-cozepy{release.replace('.', '-')}" for release in releases)
    return sorted(
        path
        for path in envdir.glob("tests-*/bin/python")
        if path.exists() and (not suffixes or path.parent.parent.name.endswith(suffixes))
    )


def floor(pythons: Sequence[Path], cores: int) -> float:
    return sum(timed([str(python), "-m", "pytest", *STORIES, *QUIET]) for python in pythons) / cores


def nox_tests(envdir: Path, parallel: bool, *pytest_args: str, select: Sequence[str] = ALL_CELLS) -> float:
    command = [sys.executable, "-m", "nox", "--envdir", str(envdir), *select, "--no-color"]
    if parallel:
        command += ["-j", "auto"]
    if pytest_args:
        command += ["--", *pytest_args]
    return timed(command)


def cold_nox_tests(parallel: bool, select: Sequence[str] = ALL_CELLS) -> float:
    with tempfile.TemporaryDirectory(prefix="coze-bench-nox-") as folder:
        return nox_tests(Path(folder), parallel, select=select)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def table(figures: Sequence[Figure], floor_figure: Figure) -> list[str]:
    lines = ["| figure | median s | runs | x floor | note |", "|---|---:|---:|---:|---|"]
    for figure in figures:
        ratio = f"{figure.seconds / floor_figure.seconds:.2f}" if figure.vs_floor and floor_figure.seconds else "-"
        lines.append(f"| {figure.name} | {figure.seconds:.2f} | {figure.runs} | {ratio} | {figure.note} |")
    return lines


# -- the report at full scale ---------------------------------------------------------------------

#: Issue 14's targets for the report of the whole matrix; report.md is the GitHub job summary, which
#: GitHub refuses over 1 MiB (``report.__main__.SUMMARY_LIMIT`` keeps a margin: 1 MB).
REPORT_TARGETS = {"report.html": 2_000_000, "report.json": 3_000_000, "report.md": 1_000_000, "load": 1000.0}


def copy_name(nodeid: str, copy: int) -> str:
    """``path::Class::test_x[p]`` -> ``path::Class::test_x_copy2[p]`` (copy 0 is the test itself)."""
    if copy == 0:
        return nodeid
    head, bracket, params = nodeid.partition("[")
    return f"{head}_copy{copy}{bracket}{params}"


def _copies(nodeids: Sequence[str], tests: int) -> dict[str, int]:
    """How many copies of each test make ``tests`` in all (at least one each), spread evenly."""
    ordered = sorted(set(nodeids))
    if not ordered:
        return {}
    each, extra = divmod(max(tests, len(ordered)), len(ordered))
    return {nodeid: each + (1 if index < extra else 0) for index, nodeid in enumerate(ordered)}


def _source_cells(source: Path) -> dict[str, Path]:
    """Release -> one cell folder of it under ``source`` (the tools Python's when there is one)."""
    found: dict[str, Path] = {}
    for folder in sorted(source.glob("py*-cozepy*")):
        parsed = parse_cell_id(folder.name)
        if parsed is None or not (folder / CELL_FILE).is_file():
            continue
        python, release = parsed
        if release not in found or python == matrix.TOOLS_PYTHON:
            found[release] = folder
    return found


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def synthesize(source: Path, target: Path, tests: int, pythons: Sequence[str] = matrix.PYTHONS) -> int:
    """Write full-scale results under ``target`` from the cells under ``source``: each release's cell
    (one Python's) copied to every Python of ``pythons`` (``cell.json`` and ``environment.json``
    edited to name it), each test repeated under new node ids (``copy_name``) so that every cell holds
    about ``tests`` tests. Returns the number of cell folders written."""
    cells = _source_cells(source)
    nodeids = [
        str(line["nodeid"])
        for folder in cells.values()
        if (folder / REPORT_FILE).is_file()
        for line in _lines(folder / REPORT_FILE)
        if line.get("$report_type") == "TestReport"
    ]
    copies = _copies(nodeids, tests)
    written = 0
    for release, folder in cells.items():
        lines = list(_lines(folder / REPORT_FILE)) if (folder / REPORT_FILE).is_file() else None
        for python in pythons:
            cell = target / matrix.Cell(python, release).id
            cell.mkdir(parents=True, exist_ok=True)
            record = json.loads((folder / CELL_FILE).read_text(encoding="utf-8"))
            record.update({"cell": cell.name, "python": python})
            (cell / CELL_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
            if (folder / ENVIRONMENT_FILE).is_file():
                environment = json.loads((folder / ENVIRONMENT_FILE).read_text(encoding="utf-8"))
                environment["python"] = f"{python}.0"
                (cell / ENVIRONMENT_FILE).write_text(json.dumps(environment, indent=2) + "\n", encoding="utf-8")
            if lines is not None:
                with (cell / REPORT_FILE).open("w", encoding="utf-8") as out:
                    for line in lines:
                        nodeid = str(line.get("nodeid", ""))
                        count = copies.get(nodeid, 1) if line.get("$report_type") == "TestReport" else 1
                        for copy in range(count):
                            copied = dict(line, nodeid=copy_name(nodeid, copy)) if copy else line
                            out.write(json.dumps(copied) + "\n")
            written += 1
    return written


@dataclass(frozen=True)
class ReportFigure:
    name: str
    value: float
    unit: str
    runs: int = 1
    #: The issue's limit in the same unit, if it sets one.
    target: float | None = None

    @property
    def text(self) -> str:
        return (
            f"{self.value / 1e6:.2f}"
            if self.unit == "MB"
            else f"{self.value:.0f}"
            if self.unit == "ms"
            else f"{self.value:.2f}"
        )


def report_table(figures: Sequence[ReportFigure]) -> list[str]:
    lines = ["| report figure | value | unit | runs | target |", "|---|---:|---|---:|---|"]
    for figure in figures:
        if figure.target is None:
            target = ""
        else:
            limit = f"{figure.target / 1e6:.2g} MB" if figure.unit == "MB" else f"{figure.target:.0f} {figure.unit}"
            target = f"under {limit}: {'met' if figure.value < figure.target else 'MISSED'}"
        lines.append(f"| {figure.name} | {figure.text} | {figure.unit} | {figure.runs} | {target} |")
    return lines


def page_timings(html: Path, runs: int, chromium: Path = browser.CHROMIUM) -> list[dict[str, float | None]]:
    """``runs`` loads of ``html``, each in a fresh tab of one headless Chromium (the first one warms it)."""
    with tempfile.TemporaryDirectory(prefix="coze-bench-browser-") as profile:
        pipe = browser.DevToolsPipe(Path(profile), chromium=chromium)
        try:
            browser.load_timings(pipe, html.as_uri())  # warm-up: the browser's own start is not the page's
            return [browser.load_timings(pipe, html.as_uri()) for _ in range(runs)]
        finally:
            pipe.close()


def report_figures(results: Path, out: Path, runs: int, chromium: Path = browser.CHROMIUM) -> list[ReportFigure]:
    """Build the report of ``results`` into ``out`` (timed), then measure its files and how fast the page opens."""
    command = [sys.executable, "-m", "coze_compat.report", "build", f"--results={results}", f"--out={out}"]
    env = dict(os.environ, PYTHONPATH=str(matrix.PACKAGE_DIR.parent))
    seconds = timed(command, env=env)
    cells = len([path for path in results.iterdir() if (path / CELL_FILE).is_file()])
    figures = [ReportFigure(f"python -m coze_compat.report build ({cells} cells)", seconds, "s")]
    for name in ("report.html", "report.json", "report.md"):
        figures.append(ReportFigure(name, (out / name).stat().st_size, "MB", target=REPORT_TARGETS.get(name)))
    if chromium.exists() and runs > 0:
        timings = page_timings(out / "report.html", runs, chromium)
        for key, label, target in (
            ("load", "report.html in headless Chromium: to the load event", REPORT_TARGETS["load"]),
            ("first_contentful_paint", "report.html in headless Chromium: to the first contentful paint", None),
            ("main_thread", "report.html in headless Chromium: main thread's work (thread time)", None),
        ):
            values = [float(value) for timing in timings for value in [timing[key]] if value is not None]
            if values:
                figures.append(ReportFigure(label, statistics.median(values), "ms", len(values), target))
    return figures


def report_size(
    source: Path,
    tests: int,
    runs: int,
    pythons: Sequence[str] = matrix.PYTHONS,
    chromium: Path = browser.CHROMIUM,
) -> list[ReportFigure]:
    """The report figures of results synthesized from ``source`` at full scale (every Python of
    ``pythons``, ``tests`` per cell)."""
    with tempfile.TemporaryDirectory(prefix="coze-bench-report-") as folder:
        results = Path(folder) / "results"
        if not synthesize(source, results, tests, pythons):
            raise RuntimeError(f"no cell folder (py*-cozepy*/cell.json) under {source} to synthesize results from")
        return report_figures(results, Path(folder) / "report", runs, chromium)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.bench", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per single-cell figure (median)")
    parser.add_argument("--matrix-repeat", type=int, default=3, help="runs per whole-matrix figure (median)")
    parser.add_argument("--envdir", type=Path, default=matrix.PROJECT_ROOT / ".nox")
    parser.add_argument("--skip-cold", action="store_true", help="leave out the cold matrix figures")
    parser.add_argument("--skip-serial", action="store_true", help="leave out the serial matrix figures")
    parser.add_argument(
        "--release",
        action="append",
        default=[],
        help="measure only this release's cells (every Python and server; repeatable): a sample of the matrix",
    )
    parser.add_argument(
        "--report-size",
        action="store_true",
        help="measure only the report, on results synthesized at full scale from --report-source",
    )
    parser.add_argument(
        "--report-source",
        type=Path,
        default=matrix.PROJECT_ROOT / "results",
        help="cell folders to synthesize the full matrix from (one Python is enough)",
    )
    parser.add_argument("--report-tests", type=int, default=400, help="tests per synthesized cell")
    parser.add_argument("--report-runs", type=int, default=5, help="page loads in the browser (median)")
    args = parser.parse_args(argv)
    if args.report_size:
        figures_ = report_size(args.report_source, args.report_tests, args.report_runs)
        print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d')}")
        print()
        print("\n".join(report_table(figures_)))
        return 0
    cores = os.cpu_count() or 1
    select = selection(args.release)

    print(f"warming: nox {' '.join(select)} (creates or updates every cell venv)", file=sys.stderr)
    nox_tests(args.envdir, True, select=select)
    pythons = ready_venvs(args.envdir, args.release)
    if not pythons:
        print(f"no tests cell venv under {args.envdir}", file=sys.stderr)
        return 2
    newest = (
        args.envdir
        / f"tests-py{matrix.TOOLS_PYTHON.replace('.', '-')}-cozepy{matrix.newest_pinned().replace('.', '-')}"
    )
    cell = newest / "bin" / "python"

    figures: list[Figure] = []
    floor_figure = Figure(
        "floor: sum of bare pytest per ready cell / cores",
        median_of(args.matrix_repeat, lambda: floor(pythons, cores)),
        args.matrix_repeat,
        f"{len(pythons)} cells, {cores} cores",
    )
    for label, extra in (("xdist off", ()), ("xdist -n 2", ("-n", "2"))):
        figures.append(
            Figure(
                f"one cell, pytest time, {label}",
                median_of(args.repeat, functools.partial(pytest_seconds, cell, *extra)),
                args.repeat,
                f"{cell.parent.parent.name}",
                vs_floor=False,
            )
        )
        figures.append(
            Figure(
                f"one cell, process wall, {label}",
                median_of(args.repeat, functools.partial(timed, [str(cell), "-m", "pytest", *STORIES, *QUIET, *extra])),
                args.repeat,
                vs_floor=False,
            )
        )
    figures.append(floor_figure)
    scope = f"nox {' '.join(select)}"
    for parallel in (False, True) if not args.skip_serial else (True,):
        label = "-j auto" if parallel else "serial"
        figures.append(
            Figure(
                f"{scope}, warm, {label}",
                median_of(args.matrix_repeat, functools.partial(nox_tests, args.envdir, parallel, select=select)),
                args.matrix_repeat,
                "venvs reused",
            )
        )
        if not args.skip_cold:
            figures.append(
                Figure(
                    f"{scope}, cold, {label}",
                    median_of(args.matrix_repeat, functools.partial(cold_nox_tests, parallel, select)),
                    args.matrix_repeat,
                    "fresh --envdir, warm uv cache",
                )
            )
    figures.append(
        Figure(
            f"{scope}, warm, -j auto, -- --no-cov",
            median_of(args.matrix_repeat, functools.partial(nox_tests, args.envdir, True, "--no-cov", select=select)),
            args.matrix_repeat,
            "no coverage data: the cost of the tracer",
        )
    )
    print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d')}")
    print()
    print("\n".join(table(figures, floor_figure)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
