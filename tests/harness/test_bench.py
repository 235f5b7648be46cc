"""The benchmark's arithmetic and its command lines, with the slow parts replaced by fakes.

The measurements themselves only mean something on a real run (``nox -s bench``); these tests pin
what is measured, how the figures are combined, and how they are printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence

import pytest

from coze_compat import bench, browser
from coze_compat.report.collect import read_report_log


def test_median_of_repeated_measures() -> None:
    """Given a measure that returns 3, 1 and 2 seconds on successive runs,
    When its median over three runs is taken,
    Then it is 2."""
    values = iter([3.0, 1.0, 2.0])

    assert bench.median_of(3, lambda: next(values)) == 2.0


def test_timed_raises_on_failure() -> None:
    """Given a command that fails,
    When it is timed,
    Then the benchmark stops with the command's output, since a broken run measures nothing."""
    with pytest.raises(RuntimeError, match="failed:"):
        bench.timed([sys.executable, "-c", "raise SystemExit(3)"])


def test_timed_measures_a_command() -> None:
    """Given a command that succeeds,
    When it is timed,
    Then a positive wall time comes back."""
    assert bench.timed([sys.executable, "-c", "pass"]) > 0


def test_pytest_seconds_reads_the_report_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a story run whose tests start at 10.0 s and stop at 10.5 s,
    When pytest's own time is read,
    Then it is the span from the first start to the last stop, and the run used the stories."""
    seen: list[Sequence[str]] = []

    def fake_timed(command: Sequence[str], env: object = None) -> float:
        seen.append(command)
        log = Path(next(arg for arg in command if arg.startswith("--report-log=")).split("=", 1)[1])
        lines = [
            {"$report_type": "TestReport", "start": 10.0, "stop": 10.2},
            {"$report_type": "TestReport", "start": 10.3, "stop": 10.5},
            {"$report_type": "SessionFinish"},
        ]
        log.write_text("\n".join(json.dumps(line) for line in lines))
        return 1.0

    monkeypatch.setattr(bench, "timed", fake_timed)

    assert bench.pytest_seconds(Path("/venv/bin/python"), "-n", "2") == pytest.approx(0.5)
    assert seen[0][:3] == ["/venv/bin/python", "-m", "pytest"]
    assert [*bench.STORIES, *bench.QUIET] == list(seen[0][3 : 3 + len(bench.STORIES) + len(bench.QUIET)])
    assert seen[0][-2:] == ["-n", "2"]


def test_floor_is_the_sum_of_bare_runs_over_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given three ready cells whose bare pytest runs take 1, 2 and 3 seconds,
    When the floor is computed for two cores,
    Then it is 3 seconds."""
    durations = {"/a/bin/python": 1.0, "/b/bin/python": 2.0, "/c/bin/python": 3.0}
    monkeypatch.setattr(bench, "timed", lambda command, env=None: durations[command[0]])

    assert bench.floor([Path(path) for path in durations], cores=2) == 3.0


def test_ready_venvs_finds_only_tests_cells(tmp_path: Path) -> None:
    """Given an envdir with two tests cells and a lint venv,
    When the ready cells are listed,
    Then only the tests cells' Pythons are returned, sorted."""
    for name in ("tests-py3-12-cozepy0-20-0", "tests-py3-8-cozepy0-2-0", "lint"):
        (tmp_path / name / "bin").mkdir(parents=True)
        (tmp_path / name / "bin" / "python").write_text("")

    assert [path.parent.parent.name for path in bench.ready_venvs(tmp_path)] == [
        "tests-py3-12-cozepy0-20-0",
        "tests-py3-8-cozepy0-2-0",
    ]


def test_nox_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given the matrix figures,
    When they are measured,
    Then nox runs the tests session in the given envdir, with -j auto only for the parallel figure."""
    commands: list[Sequence[str]] = []

    def fake_timed(command: Sequence[str], env: object = None) -> float:
        commands.append(command)
        return 1.0

    monkeypatch.setattr(bench, "timed", fake_timed)

    bench.nox_tests(Path("/envs"), False)
    bench.nox_tests(Path("/envs"), True, "--no-cov")
    bench.cold_nox_tests(parallel=True)
    bench.nox_tests(Path("/envs"), True, select=bench.selection(["0.20.0", "latest"]))

    assert commands[0][1:] == ["-m", "nox", "--envdir", "/envs", "-s", "tests", "--no-color"]
    assert commands[1][-4:] == ["-j", "auto", "--", "--no-cov"]
    assert "coze-bench-nox-" in commands[2][4]
    assert commands[3][1:] == [
        "-m", "nox", "--envdir", "/envs", "-t", "cozepy0.20.0", "cozepylatest", "--no-color", "-j", "auto"
    ]  # fmt: skip


def test_ready_venvs_of_some_releases(tmp_path: Path) -> None:
    """Given cells of 0.2.0 and 0.20.0 (hosted and Studio) in the envdir,
    When the ready cells of 0.20.0 are listed,
    Then they are its hosted and Studio cells only (0.2.0 is not a prefix match of 0.20.0's name)."""
    for name in ("tests-py3-8-cozepy0-2-0", "tests-py3-8-cozepy0-20-0", "tests-studio-py3-11-cozepy0-20-0"):
        (tmp_path / name / "bin").mkdir(parents=True)
        (tmp_path / name / "bin" / "python").write_text("")

    assert [path.parent.parent.name for path in bench.ready_venvs(tmp_path, ["0.20.0"])] == [
        "tests-py3-8-cozepy0-20-0",
        "tests-studio-py3-11-cozepy0-20-0",
    ]


def test_unknown_release_is_refused() -> None:
    """Given a release the version table does not have,
    When the cells to measure are selected,
    Then the benchmark stops naming it and where the releases are listed."""
    with pytest.raises(SystemExit, match=r"--release 9\.9\.9: not a cell release of the version table"):
        bench.selection(["9.9.9"])


def test_table_shows_ratios_to_the_floor() -> None:
    """Given figures and a floor of 2 seconds,
    When the table is printed,
    Then each row carries its median, its runs and its ratio to the floor (none for a one-cell figure)."""
    floor_figure = bench.Figure("floor", 2.0, 3)

    cell = bench.Figure("one cell", 0.5, 5, vs_floor=False)

    lines = bench.table([cell, bench.Figure("warm", 2.5, 3, "venvs reused"), floor_figure], floor_figure)

    assert lines == [
        "| figure | median s | runs | x floor | note |",
        "|---|---:|---:|---:|---|",
        "| one cell | 0.50 | 5 | - |  |",
        "| warm | 2.50 | 3 | 1.25 | venvs reused |",
        "| floor | 2.00 | 3 | 1.00 |  |",
    ]


def test_main_prints_every_figure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given fakes for every measurement and one ready cell,
    When the benchmark runs without the cold figures,
    Then it prints the machine and one row per figure, in order."""
    (tmp_path / "tests-py3-11-cozepy0-20-0" / "bin").mkdir(parents=True)
    (tmp_path / "tests-py3-11-cozepy0-20-0" / "bin" / "python").write_text("")
    monkeypatch.setattr(
        bench, "nox_tests", lambda envdir, parallel, *args, select=(): (3.0 if args else 4.0) if parallel else 8.0
    )
    monkeypatch.setattr(bench, "floor", lambda pythons, cores: 2.0)
    monkeypatch.setattr(bench, "pytest_seconds", lambda python, *extra: 0.5)
    monkeypatch.setattr(bench, "timed", lambda command, env=None: 1.0)

    assert bench.main(["--repeat=1", "--matrix-repeat=1", f"--envdir={tmp_path}", "--skip-cold"]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Machine: ")
    assert [line.split(" | ")[0].lstrip("| ") for line in out[4:]] == [
        "one cell, pytest time, xdist off",
        "one cell, process wall, xdist off",
        "one cell, pytest time, xdist -n 2",
        "one cell, process wall, xdist -n 2",
        "floor: sum of bare pytest per ready cell / cores",
        "nox -s tests, warm, serial",
        "nox -s tests, warm, -j auto",
        "nox -s tests, warm, -j auto, -- --no-cov",
    ]
    assert out[-2].split(" | ")[3] == "2.00"
    assert out[-1].split(" | ")[3] == "1.50"


def test_main_on_a_sample_of_releases(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given ready cells of 0.2.0 and 0.20.0,
    When the benchmark runs on 0.20.0's cells without the serial and cold figures,
    Then nox runs with 0.20.0's tag, the floor counts its cell only, and the rows name the selection."""
    for name in ("tests-py3-11-cozepy0-20-0", "tests-py3-11-cozepy0-2-0"):
        (tmp_path / name / "bin").mkdir(parents=True)
        (tmp_path / name / "bin" / "python").write_text("")
    selections: list[Sequence[str]] = []
    floors: list[int] = []

    def fake_nox(envdir: Path, parallel: bool, *args: str, select: Sequence[str] = ()) -> float:
        selections.append(select)
        return 3.0

    def fake_floor(pythons: Sequence[Path], cores: int) -> float:
        floors.append(len(pythons))
        return 2.0

    monkeypatch.setattr(bench, "nox_tests", fake_nox)
    monkeypatch.setattr(bench, "floor", fake_floor)
    monkeypatch.setattr(bench, "pytest_seconds", lambda python, *extra: 0.5)
    monkeypatch.setattr(bench, "timed", lambda command, env=None: 1.0)

    argv = ["--repeat=1", "--matrix-repeat=1", f"--envdir={tmp_path}", "--skip-cold", "--skip-serial"]
    assert bench.main([*argv, "--release=0.20.0"]) == 0

    rows = [line.split(" | ")[0].lstrip("| ") for line in capsys.readouterr().out.splitlines()[4:]]
    assert set(map(tuple, selections)) == {("-t", "cozepy0.20.0")}
    assert floors == [1]
    assert rows[-2:] == ["nox -t cozepy0.20.0, warm, -j auto", "nox -t cozepy0.20.0, warm, -j auto, -- --no-cov"]
    assert not any("serial" in row for row in rows)


def test_main_without_cells(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Given an envdir with no tests cell after warming,
    When the benchmark runs,
    Then it stops with exit code 2."""
    monkeypatch.setattr(bench, "nox_tests", lambda envdir, parallel, *args, select=(): 1.0)

    assert bench.main([f"--envdir={tmp_path}"]) == 2


# -- the report at full scale ----------------------------------------------------------------------

CELLS = Path(__file__).parent / "data" / "cells"


def test_copies_of_a_test_get_their_own_node_ids() -> None:
    """Given a parametrized test's node id,
    When it is copied,
    Then copy 0 is the test itself and the others are renamed before the parameters."""
    assert bench.copy_name("t.py::C::test_x[a-b]", 0) == "t.py::C::test_x[a-b]"
    assert bench.copy_name("t.py::C::test_x[a-b]", 2) == "t.py::C::test_x_copy2[a-b]"
    assert bench.copy_name("t.py::test_y", 1) == "t.py::test_y_copy1"


def test_synthesize_puts_every_release_on_every_python_with_the_tests_multiplied(tmp_path: Path) -> None:
    """Given the recorded cells (37 tests on Python 3.11-3.13 for a few releases),
    When results are synthesized for Python 3.8 and 3.14 with 80 tests a cell,
    Then every release the cells ran has a cell on both Pythons, named and recorded as theirs, and a
    full cell holds 80 tests whose results are the recorded ones."""
    written = bench.synthesize(CELLS, tmp_path, 80, pythons=("3.8", "3.14"))

    releases = sorted({folder.name.split("-cozepy")[1] for folder in CELLS.iterdir() if "-cozepy" in folder.name})
    assert written == 2 * len(releases)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"py{python}-cozepy{release}" for python in ("3.8", "3.14") for release in releases
    )
    cell = json.loads((tmp_path / "py3.14-cozepy0.20.0" / "cell.json").read_text(encoding="utf-8"))
    environment = json.loads((tmp_path / "py3.14-cozepy0.20.0" / "environment.json").read_text(encoding="utf-8"))
    assert (cell["cell"], cell["python"], cell["status"], environment["python"]) == (
        "py3.14-cozepy0.20.0",
        "3.14",
        "installed",
        "3.14.0",
    )
    log = read_report_log(tmp_path / "py3.8-cozepy0.20.0" / "report.jsonl")
    original = read_report_log(CELLS / "py3.11-cozepy0.20.0" / "report.jsonl")
    assert len(log.tests) == 80
    assert log.finished
    copies = [nodeid for nodeid in log.tests if "_copy1" in nodeid]
    assert copies
    source = copies[0].replace("_copy1", "")
    assert log.tests[copies[0]].outcome == original.tests[source].outcome
    assert not (tmp_path / "py3.8-cozepy0.5.0" / "report.jsonl").exists(), "a cell without a report stays so"


@pytest.mark.skipif(not browser.CHROMIUM.exists(), reason=f"{browser.CHROMIUM} is missing (Debian's chromium)")
@pytest.mark.timeout(120)
def test_report_size_builds_the_report_and_opens_it_in_the_browser(tmp_path: Path) -> None:
    """Given the recorded cells,
    When the report figures are measured at a small scale (two Pythons, 40 tests a cell, one page load),
    Then the build's time, the three files' sizes against the issue's limits and the page's load and
    paint times come back, and print as a table."""
    figures = bench.report_size(CELLS, 40, runs=1, pythons=("3.11", "3.12"))

    names = [figure.name for figure in figures]
    assert names[0].startswith("python -m coze_compat.report build (")
    assert names[1:4] == ["report.html", "report.json", "report.md"]
    assert [name.split(": ")[-1] for name in names[4:]] == [
        "to the load event",
        "to the first contentful paint",
        "main thread's work (thread time)",
    ]
    assert all(figure.value > 0 for figure in figures)
    lines = bench.report_table(figures)
    assert lines[0] == "| report figure | value | unit | runs | target |"
    assert lines[3].startswith("| report.html | ")
    assert lines[3].endswith(" | MB | 1 | under 2 MB: met |")


def test_report_size_without_cells_is_an_error(tmp_path: Path) -> None:
    """Given a folder without cell folders,
    When the report figures are asked for,
    Then the benchmark stops saying where it looked."""
    with pytest.raises(RuntimeError, match="no cell folder"):
        bench.report_size(tmp_path, 40, runs=0)


def test_main_with_report_size_prints_only_the_report_figures(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given a fake measurement of the report,
    When the benchmark runs with --report-size,
    Then it prints the machine and the report's table, and runs no matrix."""
    seen: list[tuple[Path, int, int]] = []

    def fake(source: Path, tests: int, runs: int) -> list[bench.ReportFigure]:
        seen.append((source, tests, runs))
        return [
            bench.ReportFigure("report.json", 3_500_000, "MB", target=3_000_000),
            bench.ReportFigure("load", 512.4, "ms"),
        ]

    monkeypatch.setattr(bench, "report_size", fake)
    monkeypatch.setattr(bench, "nox_tests", lambda *args: pytest.fail("the matrix ran"))

    assert bench.main(["--report-size", f"--report-source={tmp_path}", "--report-tests=7", "--report-runs=3"]) == 0

    out = capsys.readouterr().out.splitlines()
    assert seen == [(tmp_path, 7, 3)]
    assert out[0].startswith("Machine: ")
    assert out[-2:] == ["| report.json | 3.50 | MB | 1 | under 3 MB: MISSED |", "| load | 512 | ms | 1 |  |"]
