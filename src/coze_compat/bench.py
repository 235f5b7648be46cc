"""The speed of the matrix on this machine, measured against its floor (``nox -s bench``).

Figures, each the median of ``--repeat`` runs (the machine is shared and noisy, so compare
ratios within one run, never absolute seconds across runs):

* one cell: pytest's own time for the story suite and the process wall, xdist off and on;
* the floor: the sum over the ready cells of a bare ``python -m pytest <stories>`` in each cell's
  venv (no nox, no install check, no coverage), divided by the cores: what running every cell
  would cost with perfect parallelism and no overhead;
* ``nox -s tests`` over the whole matrix, warm (venvs reused) and cold (a fresh ``--envdir``,
  uv's cache warm), serial and with ``-j auto``.

It prints a Markdown table with each figure's ratio to the floor, the targets of issue 7, and
the machine it ran on. Standard library only; it runs with nox's own interpreter.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from coze_compat import matrix, stories
from coze_compat.report.collect import read_report_log

STORIES = stories.PATHS
QUIET = ("-q", "-p", "no:cacheprovider", "--no-cov")


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
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
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


def ready_venvs(envdir: Path) -> list[Path]:
    """The Python of every ``tests`` cell venv that exists under ``envdir``."""
    return sorted(path for path in envdir.glob("tests-*/bin/python") if path.exists())


def floor(pythons: Sequence[Path], cores: int) -> float:
    return sum(timed([str(python), "-m", "pytest", *STORIES, *QUIET]) for python in pythons) / cores


def nox_tests(envdir: Path, parallel: bool, *pytest_args: str) -> float:
    command = [sys.executable, "-m", "nox", "--envdir", str(envdir), "-s", "tests", "--no-color"]
    if parallel:
        command += ["-j", "auto"]
    if pytest_args:
        command += ["--", *pytest_args]
    return timed(command)


def cold_nox_tests(parallel: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="coze-bench-nox-") as folder:
        return nox_tests(Path(folder), parallel)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.bench", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per single-cell figure (median)")
    parser.add_argument("--matrix-repeat", type=int, default=3, help="runs per whole-matrix figure (median)")
    parser.add_argument("--envdir", type=Path, default=matrix.PROJECT_ROOT / ".nox")
    parser.add_argument("--skip-cold", action="store_true", help="leave out the cold matrix figures")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1

    print("warming: nox -s tests (creates or updates every cell venv)", file=sys.stderr)
    nox_tests(args.envdir, parallel=True)
    pythons = ready_venvs(args.envdir)
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
    for parallel in (False, True):
        label = "-j auto" if parallel else "serial"
        figures.append(
            Figure(
                f"nox -s tests, warm, {label}",
                median_of(args.matrix_repeat, functools.partial(nox_tests, args.envdir, parallel)),
                args.matrix_repeat,
                "venvs reused",
            )
        )
        if not args.skip_cold:
            figures.append(
                Figure(
                    f"nox -s tests, cold, {label}",
                    median_of(args.matrix_repeat, functools.partial(cold_nox_tests, parallel)),
                    args.matrix_repeat,
                    "fresh --envdir, warm uv cache",
                )
            )
    figures.append(
        Figure(
            "nox -s tests, warm, -j auto, -- --no-cov",
            median_of(args.matrix_repeat, functools.partial(nox_tests, args.envdir, True, "--no-cov")),
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
