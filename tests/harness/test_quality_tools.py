"""The tools behind the quality sessions: timing budget, flake detection, mutation runner."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coze_compat import flakes, timing
from coze_compat.mutations import Mutation, all_mutations, run


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


# -- mutations -------------------------------------------------------------------------------------


def test_every_mutation_applies_once_to_the_installed_newest_cozepy(tmp_path: Path) -> None:
    """Given the mutation catalogue and the newest pinned cozepy installed here,
    When each mutation is applied to a copy,
    Then each finds its text exactly once and changes the file."""
    source = run.installed_cozepy()
    mutations = all_mutations()

    assert len(mutations) >= 25
    assert {mutation.story for mutation in mutations} == {"US1", "US2", "US3", "US4", "US5"}
    for mutation in mutations:
        scratch = tmp_path / mutation.id / "cozepy"
        shutil.copytree(source, scratch, ignore=shutil.ignore_patterns("__pycache__"))
        run.apply(mutation, scratch)
        assert (scratch / mutation.file).read_text() != (source / mutation.file).read_text()


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (Mutation("m", "US1", "x", "missing.py", "a", "b"), "m: cozepy/missing.py does not exist"),
        (Mutation("m", "US1", "x", "config.py", "no such text", "b"), "occurs 0 times in cozepy/config.py"),
        (Mutation("m", "US1", "x", "config.py", "=", "b"), "times in cozepy/config.py"),
    ],
    ids=["no-file", "no-match", "many-matches"],
)
def test_mutation_that_does_not_apply_is_an_error(tmp_path: Path, mutation: Mutation, message: str) -> None:
    """Given a mutation whose file or text is not (exactly once) in the installed cozepy,
    When it is applied,
    Then MutationError says why."""
    shutil.copytree(run.installed_cozepy(), tmp_path / "cozepy", ignore=shutil.ignore_patterns("__pycache__"))

    with pytest.raises(run.MutationError, match=message):
        run.apply(mutation, tmp_path / "cozepy")


def test_judge_and_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given one mutant the stories catch, one they miss, and one that stops pytest itself,
    When they are judged,
    Then the table names the catching test, MISSED, and BROKEN MUTANT with pytest's exit code."""
    caught = Mutation("m-caught", "US2", "header dropped", "config.py", "a", "b")
    missed = Mutation("m-missed", "US2", "nothing visible", "config.py", "a", "b")
    broken = Mutation("m-broken", "US2", "syntax error", "config.py", "a", "b")
    results = {
        "m-caught": subprocess.CompletedProcess([], 1, "FAILED tests/x.py::test_header - assert\n", ""),
        "m-missed": subprocess.CompletedProcess([], 0, "1 passed\n", ""),
        "m-broken": subprocess.CompletedProcess([], 4, "ImportError in conftest\n", ""),
    }
    monkeypatch.setattr(run, "trial", lambda mutation, source, stories: results[mutation.id])

    outcomes = [run.judge(mutation, Path("."), ["tests"]) for mutation in (caught, missed, broken)]

    assert [(outcome.caught, outcome.broken, outcome.evidence) for outcome in outcomes] == [
        (True, False, "tests/x.py::test_header"),
        (False, False, "every story passed"),
        (False, True, "pytest exit code 4: ImportError in conftest"),
    ]
    assert run.table(outcomes)[2:] == [
        "| `m-caught` | US2 | header dropped | `tests/x.py::test_header` |",
        "| `m-missed` | US2 | nothing visible | **MISSED** |",
        "| `m-broken` | US2 | syntax error | **BROKEN MUTANT** (pytest exit code 4: ImportError in conftest) |",
    ]


def test_mutation_ids_are_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given two catalogue entries with the same id,
    When the catalogue is read,
    Then it refuses naming the id."""
    from coze_compat.mutations import us1

    monkeypatch.setattr(us1, "MUTATIONS", (*us1.MUTATIONS, us1.MUTATIONS[0]))

    with pytest.raises(ValueError, match=f"mutation ids must be unique: {us1.MUTATIONS[0].id}"):
        all_mutations()


def test_run_main_reports_and_fails_on_a_missed_mutation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given a clean baseline, one mutation the stories catch and one they miss,
    When the runner runs them,
    Then it prints the table, writes it as Markdown, and exits 1 naming the missed one."""
    caught = Mutation("m-caught", "US1", "caught", "config.py", "a", "b")
    missed = Mutation("m-missed", "US1", "missed", "config.py", "a", "b")
    codes = {None: 0, "m-caught": 1, "m-missed": 0}
    monkeypatch.setattr(run, "all_mutations", lambda: (caught, missed))
    monkeypatch.setattr(run, "apply", lambda mutation, package: None)
    monkeypatch.setattr(
        run,
        "trial",
        lambda mutation, source, stories: subprocess.CompletedProcess(
            [], codes[mutation.id if mutation else None], "FAILED tests/x.py::test_y\n", ""
        ),
    )
    markdown = tmp_path / "mutation.md"

    code = run.main(["tests/us1_setup", "--jobs=1", f"--markdown={markdown}"])

    captured = capsys.readouterr()
    assert code == 1
    assert "1 of 2 regressions caught" in captured.out
    assert "MISSED: m-missed: missed: every story passed" in captured.err
    assert markdown.read_text().splitlines()[2] == "| `m-caught` | US1 | caught | `tests/x.py::test_y` |"


def test_run_main_stops_when_the_baseline_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given stories that fail against an unmodified cozepy,
    When the runner starts,
    Then it stops with exit code 2 before applying any mutation."""
    monkeypatch.setattr(run, "all_mutations", lambda: ())
    monkeypatch.setattr(run, "trial", lambda mutation, source, stories: subprocess.CompletedProcess([], 1, "x", ""))

    assert run.main(["tests/us1_setup", "--only"]) == 2
    assert "the stories fail against an unmodified copy of cozepy" in capsys.readouterr().err


def test_run_main_stops_on_a_mutation_that_does_not_apply(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a mutation whose text is not in the installed cozepy,
    When the runner starts,
    Then it stops with exit code 2 naming it, before running anything."""
    monkeypatch.setattr(run, "all_mutations", lambda: (Mutation("m", "US1", "x", "config.py", "no such text", "b"),))

    assert run.main(["tests/us1_setup"]) == 2
    assert "m: the text to replace occurs 0 times in cozepy/config.py" in capsys.readouterr().err


def test_trial_runs_pytest_on_a_mutated_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a mutation,
    When a trial runs,
    Then pytest runs the stories with the mutated copy first on PYTHONPATH and order randomisation off."""
    seen: dict[str, object] = {}

    def fake_run(command: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        scratch = Path(env["PYTHONPATH"].split(":")[0])
        seen["command"] = command[1:]
        seen["mutated"] = (scratch / "cozepy" / "config.py").read_text()
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    mutation = Mutation("m", "US1", "x", "config.py", "https://api.coze.com", "https://api.example.com")

    run.trial(mutation, run.installed_cozepy(), ["tests/us1_setup"])

    assert seen["command"] == [
        "-m",
        "pytest",
        "tests/us1_setup",
        "-x",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
    ]
    assert 'COZE_COM_BASE_URL = "https://api.example.com"' in str(seen["mutated"])
