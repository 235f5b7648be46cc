"""The tools behind the quality sessions: timing budget, flake detection (the mutation runner: test_mutations.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coze_compat import flakes, timing


def report_line(nodeid: str, when: str, outcome: str, duration: float, start: float, **extra: Any) -> str:
    entry = {
        "$report_type": "TestReport",
        "nodeid": nodeid,
        "when": when,
        "outcome": outcome,
        "duration": duration,
        "start": start,
        "stop": start + duration,
        **extra,
    }
    return json.dumps(entry)


def write_log(path: Path, *lines: str) -> Path:
    path.write_text("\n".join([json.dumps({"$report_type": "SessionStart"}), *lines]) + "\n", encoding="utf-8")
    return path


# -- timing ----------------------------------------------------------------------------------------


def test_timing_within_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a run whose tests are all fast,
    When the budget is checked,
    Then it passes and lists the slowest tests with their milliseconds."""
    log = write_log(
        tmp_path / "r.jsonl",
        report_line("t::a", "setup", "passed", 0.001, 0.0),
        report_line("t::a", "call", "passed", 0.010, 0.001),
        report_line("t::b", "call", "passed", 0.002, 0.02),
    )

    code = timing.main([str(log), "--suite-seconds=1", "--test-seconds=0.1", "--slowest=1"])

    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("2 tests in 0.02 s (budget 1.00 s), mean 6.50 ms per test")
    assert out[1:] == ["slowest 1:", "     11.00 ms  t::a"]


def test_timing_over_budget_names_the_test_and_the_suite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a run with one slow test that also makes the suite too slow,
    When the budget is checked,
    Then it fails naming both."""
    log = write_log(
        tmp_path / "r.jsonl",
        report_line("t::slow", "call", "passed", 0.5, 0.0),
        report_line("t::fast", "call", "passed", 0.001, 0.6),
    )

    code = timing.main([str(log), "--suite-seconds=0.3", "--test-seconds=0.25"])

    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == [
        "OVER BUDGET: the suite took 0.60 s, the budget is 0.30 s",
        "OVER BUDGET: t::slow took 0.500 s, the budget is 0.250 s",
    ]


def test_timing_divides_by_the_load_of_the_machine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a run that took twice its CPU time on the wall clock (another process shared the cores),
    When the budget is checked with its clock file,
    Then every duration is halved before it is compared, and the listing says so."""
    log = write_log(tmp_path / "r.jsonl", report_line("t::a", "call", "passed", 0.4, 0.0))
    clock = tmp_path / "clock.json"
    clock.write_text(json.dumps({"wall_seconds": 8.0, "cpu_seconds": 4.0}), encoding="utf-8")

    code = timing.main([str(log), "--suite-seconds=0.3", "--test-seconds=0.25", f"--clock={clock}"])

    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == "load factor 2.00 (wall over CPU seconds of the run): the times below are divided by it"
    assert out[1].startswith("1 tests in 0.20 s (budget 0.30 s), mean 200.00 ms per test")


def test_timing_clock_of_the_run(tmp_path: Path) -> None:
    """Given pytest run through ``timing run`` on a file whose one test fails,
    When it ends,
    Then its exit code is pytest's (1: a test failed) and the clock file holds its wall and CPU seconds."""
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert 1 == 2\n", encoding="utf-8")
    clock = tmp_path / "clock.json"

    code = timing.main(["run", str(clock), "--", str(tmp_path / "test_one.py"), "-q", "-p", "no:randomly", "--no-cov"])

    seconds = json.loads(clock.read_text(encoding="utf-8"))
    assert code == 1
    assert seconds["wall_seconds"] > 0
    assert seconds["cpu_seconds"] > 0
    assert timing.load_factor(clock) >= 1.0


def test_timing_broken_clock_file(tmp_path: Path) -> None:
    """Given a clock file that is not one,
    When the load factor is read,
    Then the error names the file."""
    clock = tmp_path / "clock.json"
    clock.write_text("{}", encoding="utf-8")

    with pytest.raises(SystemExit, match=r"clock\.json: not a clock file"):
        timing.load_factor(clock)


def test_timing_without_results(tmp_path: Path) -> None:
    """Given a report log with no test in it,
    When the budget is checked,
    Then it is a failure saying so."""
    log = write_log(tmp_path / "r.jsonl")

    assert timing.check(log, timing.Budget(5, 0.25, 10)) == [f"no test results in {log}"]
    assert timing.suite_seconds(log) is None


# -- flakes ----------------------------------------------------------------------------------------


def test_outcomes_of_every_kind(tmp_path: Path) -> None:
    """Given a report log with a pass, a failure, a setup error, a skip, an xfail and an xpass,
    When outcomes are read,
    Then each test gets its outcome."""
    log = write_log(
        tmp_path / "r.jsonl",
        report_line("t::pass", "call", "passed", 0, 0),
        report_line("t::fail", "call", "failed", 0, 0),
        report_line("t::fail", "teardown", "passed", 0, 0),
        report_line("t::error", "setup", "failed", 0, 0),
        report_line("t::skip", "setup", "skipped", 0, 0),
        report_line("t::xfail", "call", "skipped", 0, 0, wasxfail="known"),
        report_line("t::xpass", "call", "passed", 0, 0, wasxfail="known"),
    )

    assert flakes.outcomes(log) == {
        "t::pass": "passed",
        "t::fail": "failed",
        "t::error": "error",
        "t::skip": "skipped",
        "t::xfail": "xfailed",
        "t::xpass": "xpassed",
    }


def test_flaky_test_is_named_with_the_seeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given three runs where one test failed under seed 2 and another was missing from seed 3,
    When the runs are compared,
    Then the session fails naming both tests and the seeds on each side."""
    for seed, outcome in ((1, "passed"), (2, "failed"), (3, "passed")):
        lines = [report_line("t::flaky", "call", outcome, 0, 0)]
        if seed != 3:
            lines.append(report_line("t::other", "call", "passed", 0, 0))
        write_log(tmp_path / f"seed-{seed}.jsonl", *lines)
    (tmp_path / "notes.txt").write_text("ignored")

    code = flakes.main([str(tmp_path)])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [
        "FLAKY: t::flaky: failed with seed 2; passed with seeds 1, 3",
        "FLAKY: t::other: not run with seed 3; passed with seeds 1, 2",
    ]


def test_stable_runs_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given two runs with the same outcomes,
    When they are compared,
    Then the session passes."""
    for seed in (1, 2):
        write_log(tmp_path / f"seed-{seed}.jsonl", report_line("t::a", "call", "passed", 0, 0))

    assert flakes.main([str(tmp_path)]) == 0
    assert "every test had the same outcome in every run" in capsys.readouterr().out


def test_one_run_is_not_enough(tmp_path: Path) -> None:
    """Given a single run,
    When it is compared,
    Then the session refuses with exit code 2."""
    write_log(tmp_path / "seed-1.jsonl", report_line("t::a", "call", "passed", 0, 0))

    assert flakes.main([str(tmp_path)]) == 2
