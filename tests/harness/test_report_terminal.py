"""The answer in the terminal: the summary ``nox -s tests`` ends with."""

from __future__ import annotations

from pathlib import Path

import pytest

from coze_compat.bugs import Bug
from coze_compat.report import Report, build
from coze_compat.report.__main__ import interpreter_found, main
from coze_compat.report.terminal import render_terminal, summary_lines, yardstick_lines

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "cells"
NOX_REPORT = DATA / "nox-report.json"


@pytest.fixture(scope="module")
def report() -> Report:
    return build(RESULTS, [NOX_REPORT], pythons=("3.11", "3.12", "3.13", "3.14"), releases=("0.2.0", "0.20.0"))


def test_summary_has_a_line_per_release_and_a_column_per_story(report: Report) -> None:
    """Given the recorded results of two releases,
    When the terminal summary is rendered,
    Then each release is a line, each story a column, with the worst state and how many tests are in it."""
    lines = summary_lines(report)

    assert lines[0].split() == ["cozepy", *(block.story for block in report.stories)]
    assert lines[0].split()[1:3] == ["US1", "US2"]
    assert lines[1].split()[:5] == ["0.2.0", "known", "2", "known", "1"]
    assert lines[2].split()[0] == "0.20.0"
    assert len(lines) == 3


def test_missing_and_unselected_pythons_are_told_apart(report: Report) -> None:
    """Given a Python without results that this machine lacks, and one it has,
    When the summary is rendered,
    Then the first gets how to install it (uv, or pyenv and PATH), the second that it was not run,
    and the HTML report's path closes the summary."""
    text = render_terminal(report, html=Path("/r/report.html"), found=lambda python: python != "3.14")

    assert "Python 3.14: not found on this machine, their cells were skipped." in text
    assert "`uv python install 3.14` then `nox -s tests --download-python auto`" in text
    assert text.rstrip().endswith("Full report: /r/report.html")


def test_the_yardstick_score_is_one_line_and_each_catalogue_error_another() -> None:
    """Given the recorded results judged against a catalogue of the bug they show at 0.2.0, one whose
    range leaves out a release that shows it, and one no test can show,
    When the terminal summary is rendered,
    Then one line gives the score and one line names the catalogue error."""
    catalogue = {
        bug.id: bug
        for bug in (
            Bug("timeout-ignored", "timeouts ignored", "<0.6.0", "cause"),
            Bug("base-url-trailing-slash", "slash", "==0.6.2", "cause"),
            Bug("audio", "audio", "<0.20.0", "cause", not_shown="outside the stories"),
        )
    }
    built = build(RESULTS, pythons=("3.11", "3.12"), releases=("0.2.0", "0.6.2", "0.20.0"), catalogue=catalogue)

    lines = yardstick_lines(built)

    assert lines[0] == (
        "Yardstick: 1 of 3 real cozepy bugs shown at the right releases (1 partially shown, 1 not shown)."
    )
    assert lines[1].startswith(
        "Catalogue error: `base-url-trailing-slash`: tests show it on 0.2.0, outside its releases"
    )
    assert len(lines) == 2
    assert lines[0] in render_terminal(built)


def test_interpreter_lookup_uses_the_path(tmp_path: Path) -> None:
    """Given a folder holding a python3.12 program and no python3.14,
    When the interpreters are looked up on that PATH,
    Then 3.12 is found and 3.14 is not."""
    program = tmp_path / "python3.12"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)

    assert interpreter_found("3.12", str(tmp_path))
    assert not interpreter_found("3.14", str(tmp_path))


def test_build_writes_the_summary_and_prints_it_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given the recorded results,
    When the report is built with --terminal,
    Then summary.txt holds the terminal summary and it is printed after the files written."""
    assert main(["build", f"--results={RESULTS}", f"--out={tmp_path}", "--terminal"]) == 0

    summary = (tmp_path / "summary.txt").read_text(encoding="utf-8")
    assert summary.startswith("Compatibility (worst state across the Pythons that ran, per story):")
    assert capsys.readouterr().out.endswith("\n" + summary)
