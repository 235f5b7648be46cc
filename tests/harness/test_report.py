"""The compatibility report: collect the recorded cell results, derive the states, render them.

The inputs are under ``data/cells`` (see ``data/README.md``): recorded ``tests`` cells of
Python 3.11-3.13 x cozepy 0.2.0, 0.6.2, 0.20.0 and ``latest`` (trimmed), one of them edited to hold
a failure, a setup error, a plain skip and a collection error, and cells made by hand for the
states a healthy run does not produce (not installable, interrupted install, pytest not starting).
Python 3.14 has no folder: its interpreter is missing, as ``data/nox-report.json`` says. The known
breaks there show two bugs (``known_break`` property); the report judges them against a small
catalogue of its own (``CATALOGUE``), since the live one grows with every bug found.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from coze_compat import dependencies, matrix
from coze_compat.bugs import Bug
from coze_compat.report import State, Verdict, build, collect, derive, yardstick
from coze_compat.report.__main__ import main
from coze_compat.report.collect import longrepr_text, parse_cell_id
from coze_compat.report.derive import aggregate, bug_of, feature_of, release_free, worst
from coze_compat.report.html import render_html
from coze_compat.report.jsonreport import SCHEMA, cell_states, render_json, to_json
from coze_compat.report.markdown import render_markdown
from coze_compat.report.model import Aggregate, MatrixRow, Report
from coze_compat.report.present import bug_detail
from coze_compat.report.readme import END, START, MarkersError, readme_section, replace_section

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "cells"
GOLDEN = DATA / "golden"
NOX_REPORT = DATA / "nox-report.json"
#: The dependency data of the fixture's releases (a corner of the committed data file).
DEPENDENCIES = dependencies.load(DATA / "dependencies.json")
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
RELEASES = ("0.2.0", "0.6.2", "0.20.0", "latest")
GENERATED = "2026-11-26 12:00 UTC"
#: The version table the fixture's report is derived for (the live one changes with new releases).
TABLE = (
    matrix.Release("0.1.0", matrix.EXCLUDED, "cannot be imported"),
    matrix.Release("0.2.0", matrix.PINNED),
    matrix.Release("0.6.2", matrix.PINNED),
    matrix.Release("0.20.0", matrix.PINNED),
)
#: The bug catalogue the fixture's report is judged against: the two bugs its known breaks show,
#: one no story test can show, one shown by a capability the fixture did not record, one without a test.
TIMEOUT_BUG = Bug(
    "timeout-ignored",
    "the HTTP client's timeout is ignored: a stalled connection hangs forever",
    "<0.6.0",
    "cozepy builds `httpx.Request` itself and passes it to `client.send()` (request.py `send`)",
    fixed_by="coze-dev/coze-py#74",
)
SLASH_BUG = Bug(
    "base-url-trailing-slash",
    "a base_url ending in '/' breaks every request (paths start with '//')",
    "<0.7.0",
    "every client builds `f'{base_url}/v1/...'` from the base URL as given",
    fixed_by="coze-dev/coze-py#109",
)
CATALOGUE = {
    bug.id: bug
    for bug in (
        TIMEOUT_BUG,
        SLASH_BUG,
        Bug(
            "audio-format",
            "a speech reply in another format is discarded",
            "<0.20.0",
            "the audio client reads only mp3",
            not_shown="audio is outside the stories",
        ),
        Bug(
            "chat-usage-missing",
            "a chat's token usage is discarded",
            "<0.6.0",
            "`Chat` has no `usage`",
            capability="chat_usage",
        ),
        Bug("logid-dropped", "the log id of an error is lost", "==0.20.0", "`CozeAPIError` drops it"),
    )
}

US1 = "tests/us1_setup/test_coze_client.py::"
SYNC_INIT = US1 + "TestCozeClientInitialization::test_sync_client_init"
ASYNC_INIT = US1 + "TestCozeClientInitialization::test_async_client_init"
PROPERTIES = US1 + "TestCozeClientInitialization::test_client_properties"
TIMEOUT = US1 + "TestCozeClientConfiguration::test_custom_http_client_timeout"
LOG_LEVEL = US1 + "TestCozeClientConfiguration::test_logging_default_level"
BOTS_MODULE = "tests/us3_bots/test_bot_client.py"


@pytest.fixture(scope="module")
def report() -> Report:
    """The report of the recorded results, for the fixture's Pythons and releases."""
    return build(
        RESULTS,
        [NOX_REPORT],
        pythons=PYTHONS,
        releases=RELEASES,
        table=TABLE,
        dependencies=DEPENDENCIES,
        catalogue=CATALOGUE,
    )


@pytest.fixture(scope="module")
def small_report() -> Report:
    """A corner of the same results (two Pythons, two releases) for the HTML and JSON golden files."""
    return build(
        RESULTS,
        pythons=("3.12", "3.13"),
        releases=("0.2.0", "0.6.2"),
        table=TABLE,
        dependencies=DEPENDENCIES,
        catalogue=CATALOGUE,
    )


def cell(report: Report, nodeid: str, python: str, release: str) -> Verdict:
    for block in report.stories:
        for row in block.tests:
            if row.nodeid == nodeid:
                return row.cells[matrix.Cell(python, release).id]
    raise KeyError(nodeid)


def on_release(report: Report, nodeid: str, release: str) -> Aggregate:
    for block in report.stories:
        for row in block.tests:
            if row.nodeid == nodeid:
                return row.releases[release]
    raise KeyError(nodeid)


def check_golden(name: str, text: str) -> None:
    """Compare with ``data/golden/<name>``; ``COZE_COMPAT_UPDATE_GOLDEN=1`` rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("COZE_COMPAT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file (see {path})"


# -- collect -------------------------------------------------------------------------------------


def test_collect_reads_every_cell_folder() -> None:
    """Given the recorded results folder,
    When it is collected,
    Then every folder with a cell.json becomes a cell with its status, versions and test reports."""
    results = collect(RESULTS)

    assert len(results.cells) == 13
    latest = results.cells["py3.11-cozepylatest"]
    assert (latest.python, latest.cozepy, latest.status, latest.installed) == ("3.11", "latest", "installed", "0.20.0")
    assert latest.python_version == "3.11.7"
    assert latest.finished
    assert latest.exitstatus == 0
    assert len(latest.tests) == 37
    assert results.cells["py3.13-cozepy0.2.0"].status == "not-installable"
    assert not results.cells["py3.13-cozepylatest"].has_report
    edited = results.cells["py3.12-cozepy0.6.2"]
    assert edited.collect_errors == {
        BOTS_MODULE: "ImportError while importing test module 'tests/us3_bots/test_bot_client.py'."
    }
    record = edited.tests[SYNC_INIT]
    assert (record.story, record.task, record.path, record.line) == ("US1", "T009", US1.split("::")[0], 77)
    assert [phase.when for phase in record.phases] == ["setup", "call", "teardown"]


def test_collect_skips_folders_that_are_not_cells(tmp_path: Path) -> None:
    """Given a results folder that also holds other sessions' folders and files,
    When it is collected,
    Then only the folders with a cell.json count, and a missing results folder gives no cells."""
    shutil.copytree(RESULTS / "py3.11-cozepy0.20.0", tmp_path / "py3.11-cozepy0.20.0")
    (tmp_path / "harness").mkdir()
    (tmp_path / "harness" / "report.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "nox-report.json").write_text("{}", encoding="utf-8")

    assert list(collect(tmp_path).cells) == ["py3.11-cozepy0.20.0"]
    assert collect(tmp_path / "missing").cells == {}


def test_unreadable_files_are_problems_not_crashes(tmp_path: Path) -> None:
    """Given cell folders with a broken cell.json, environment.json and a truncated report line,
    When they are collected and derived,
    Then the problems are noted on the cells and the report still builds."""
    broken = tmp_path / "py3.11-cozepy0.20.0"
    shutil.copytree(RESULTS / "py3.11-cozepy0.20.0", broken)
    (broken / "environment.json").write_text("[]", encoding="utf-8")
    with (broken / "report.jsonl").open("a", encoding="utf-8") as report_file:
        report_file.write('{"$report_type": "TestRep\n')
    garbled = tmp_path / "py3.12-cozepy0.20.0"
    garbled.mkdir()
    (garbled / "cell.json").write_text("{not json", encoding="utf-8")

    results = collect(tmp_path)
    built = derive(results, pythons=("3.11", "3.12"), releases=("0.20.0",))

    assert results.cells["py3.11-cozepy0.20.0"].problems == [
        "environment.json is not a JSON object",
        "report.jsonl: 1 unreadable line(s) skipped",
    ]
    assert results.cells["py3.12-cozepy0.20.0"].status == "unknown"
    assert results.cells["py3.12-cozepy0.20.0"].problems[0].startswith("cell.json is unreadable")
    assert "report.jsonl: 1 unreadable line(s) skipped" in built.cell_notes["py3.11-cozepy0.20.0"]
    assert cell(built, SYNC_INIT, "3.12", "0.20.0") == Verdict(
        State.NOT_RUN, "unexpected cell status 'unknown'", whole_cell=True
    )


def test_nox_report_names_the_missing_interpreter() -> None:
    """Given nox's own JSON report of a run where Python 3.14 was missing,
    When the results are collected with it,
    Then each 3.14 cell exists as missing, with nox's reason, and no other cell changes status."""
    results = collect(RESULTS, [NOX_REPORT, DATA / "absent.json"])

    missing = results.cells["py3.14-cozepy0.2.0"]
    assert (missing.status, missing.nox_reason) == ("missing", "nox: skipped, Python interpreter 3.14 not found")
    assert results.cells["py3.11-cozepy0.2.0"].status == "installed"
    assert results.cells["py3.11-cozepy0.2.0"].nox_reason is None


@pytest.mark.parametrize(
    ("longrepr", "text"),
    [
        (None, ""),
        (
            ["tests/x.py", 3, "Skipped: not offered by cozepy 0.2.0: AsyncCoze"],
            "not offered by cozepy 0.2.0: AsyncCoze",
        ),
        (["tests/x.py", 3, "no prefix"], "no prefix"),
        ({"reprcrash": {"message": "AssertionError: boom\nmore"}}, "AssertionError: boom"),
        (
            {"reprtraceback": {"reprentries": [{"data": {"lines": ["    x = 1", "E   KeyError: 'a'"]}}]}},
            "KeyError: 'a'",
        ),
        ({"reprtraceback": {"reprentries": "odd"}}, ""),
        ("\n[XPASS(strict)] known break in cozepy 0.3.0: gone\n", "[XPASS(strict)] known break in cozepy 0.3.0: gone"),
    ],
)
def test_longrepr_becomes_a_one_line_reason(longrepr: object, text: str) -> None:
    """Given a pytest-reportlog longrepr of any shape (skip, crash, traceback, string),
    When it is turned into a reason,
    Then the reason is its one meaningful line."""
    assert longrepr_text(longrepr) == text


def test_cell_ids_are_parsed() -> None:
    """Given folder names,
    When they are read as cell ids,
    Then matrix cell ids give (python, cozepy) and anything else gives None."""
    assert parse_cell_id("py3.10-cozepy0.10.4") == ("3.10", "0.10.4")
    assert parse_cell_id("py3.8-cozepylatest") == ("3.8", "latest")
    assert parse_cell_id("harness") is None


# -- derive: the state of each test in each cell --------------------------------------------------


def test_passing_test_is_pass(report: Report) -> None:
    """Given a test whose setup, call and teardown passed,
    When its state is derived,
    Then it is pass."""
    assert cell(report, SYNC_INIT, "3.11", "0.20.0") == Verdict(State.PASS)


def test_not_offered_skip_is_not_offered(report: Report) -> None:
    """Given a test skipped with 'not offered by cozepy 0.2.0: ...',
    When its state is derived,
    Then it is not offered, with the skip's reason."""
    assert cell(report, ASYNC_INIT, "3.11", "0.2.0") == Verdict(
        State.NOT_OFFERED, "not offered by cozepy 0.2.0: AsyncCoze (the async client)"
    )


def test_known_break_is_a_labelled_fail(report: Report) -> None:
    """Given a test that is a strict xfail from known_break on cozepy 0.2.0,
    When its state is derived,
    Then it is a fail, marked as known, with the known-break reason."""
    verdict = cell(report, TIMEOUT, "3.11", "0.2.0")

    assert verdict.state is State.FAIL
    assert verdict.known
    assert verdict.bug == "timeout-ignored"
    assert verdict.label == "fail (known break)"
    assert verdict.reason.startswith("known break in cozepy 0.2.0: requests carry no timeout at all")


def test_a_known_break_without_the_property_names_its_bug_from_the_reason() -> None:
    """Given the xfail reason of a known break recorded without the `known_break` property,
    When its bug is looked for,
    Then it is the bug id the catalogue's reason starts with, and none for a reason without one."""
    assert bug_of("known break in cozepy 0.3.0: [stream-error-unchecked] `Requester.request` ...") == (
        "stream-error-unchecked"
    )
    assert bug_of("[timeout-ignored] cozepy builds ...") == "timeout-ignored"
    assert bug_of("known break in cozepy 0.2.0: requests carry no timeout at all") is None


def test_failures_and_setup_errors_are_fail(report: Report) -> None:
    """Given a test whose call failed and one whose setup errored (cell py3.12-cozepy0.6.2),
    When their states are derived,
    Then both are fail, with the error's first line, and not known."""
    assert cell(report, SYNC_INIT, "3.12", "0.6.2") == Verdict(
        State.FAIL, "AssertionError: assert 'https://api.coze.cn' == 'https://api.coze.com'"
    )
    assert cell(report, PROPERTIES, "3.12", "0.6.2") == Verdict(
        State.FAIL, "error in setup: TypeError: __init__() got an unexpected keyword argument 'base_url'"
    )


def test_other_skips_are_not_run_with_their_reason(report: Report) -> None:
    """Given a test skipped for a reason other than 'not offered by cozepy',
    When its state is derived,
    Then it is not run, and the reason says it was skipped and why."""
    assert cell(report, LOG_LEVEL, "3.12", "0.6.2") == Verdict(
        State.NOT_RUN, "skipped: needs a terminal attached to stderr"
    )


def test_cell_level_states(report: Report) -> None:
    """Given cells that could not install, stopped installing, never started pytest or never ran,
    When the states of their tests are derived,
    Then they are not installable, not run, fail and not run, each with the cell's reason."""
    assert cell(report, SYNC_INIT, "3.13", "0.2.0") == Verdict(
        State.NOT_INSTALLABLE, "cozepy 0.2.0 could not be installed on Python 3.13", whole_cell=True
    )
    assert cell(report, SYNC_INIT, "3.12", "latest") == Verdict(
        State.NOT_RUN, "the cell did not finish installing (interrupted, or still running)", whole_cell=True
    )
    assert cell(report, SYNC_INIT, "3.13", "latest") == Verdict(
        State.FAIL,
        "pytest wrote no report: it failed to start, or the run stopped first (see the cell's log)",
        whole_cell=True,
    )
    assert cell(report, SYNC_INIT, "3.14", "0.20.0") == Verdict(
        State.NOT_RUN, "nox: skipped, Python interpreter 3.14 not found", whole_cell=True
    )


def test_collection_error_fails_the_module_tests(report: Report) -> None:
    """Given a module that failed to collect in one cell and has no test recorded anywhere,
    When the report is derived,
    Then the module gets a row of its own: fail there, not run where nothing was collected."""
    us3 = next(block for block in report.stories if block.story == "US3")

    assert [row.nodeid for row in us3.tests] == [BOTS_MODULE]
    assert cell(report, BOTS_MODULE, "3.12", "0.6.2").state is State.FAIL
    assert cell(report, BOTS_MODULE, "3.12", "0.6.2").reason.startswith("collection error: ImportError")
    assert cell(report, BOTS_MODULE, "3.11", "0.6.2") == Verdict(State.NOT_RUN, "not collected in this cell")


def test_excluded_cell_is_not_installable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a cell the version table excludes with a reason,
    When the report is derived,
    Then its tests are not installable, with the table's reason."""
    monkeypatch.setitem(matrix.EXCLUDED_CELLS, ("3.12", "0.20.0"), "no wheel of a dependency for 3.12")

    built = build(RESULTS, pythons=("3.11", "3.12"), releases=("0.20.0",))

    assert cell(built, SYNC_INIT, "3.12", "0.20.0") == Verdict(
        State.NOT_INSTALLABLE, "excluded from the matrix: no wheel of a dependency for 3.12", whole_cell=True
    )


def test_cells_outside_the_table_are_ignored(report: Report) -> None:
    """Given a leftover folder of a release the table does not run here (py3.11-cozepy0.5.0),
    When the report is derived,
    Then it is not among the report's cells."""
    assert "py3.11-cozepy0.5.0" not in report.cells
    assert "py3.11-cozepy0.5.0" not in report.cell_results
    assert len(report.cells) == 16


def test_unfinished_run_leaves_the_rest_not_run(tmp_path: Path) -> None:
    """Given a cell whose pytest run stopped before its end (no SessionFinish, a test never reported),
    When the report is derived,
    Then the tests it did not reach are not run, and the cell carries a note."""
    folder = tmp_path / "py3.11-cozepy0.20.0"
    shutil.copytree(RESULTS / "py3.11-cozepy0.20.0", folder)
    lines = (folder / "report.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in lines
        if "SessionFinish" not in line and SYNC_INIT not in line and not (PROPERTIES in line and '"call"' in line)
    ]
    (folder / "report.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")

    built = build(tmp_path, pythons=("3.11",), releases=("0.20.0",))

    assert cell(built, PROPERTIES, "3.11", "0.20.0") == Verdict(
        State.NOT_RUN, "no result recorded for the test body (run interrupted?)"
    )
    assert built.cell_notes["py3.11-cozepy0.20.0"] == [
        "the pytest run did not finish (no SessionFinish in report.jsonl)"
    ]
    assert build(tmp_path, pythons=("3.11",), releases=("0.20.0",)).cell_results["py3.11-cozepy0.20.0"].tests


# -- derive: across Pythons, stories and releases -------------------------------------------------


def test_worst_state_wins_across_pythons_and_differences_are_named(report: Report) -> None:
    """Given a test that fails on Python 3.12 and passes on 3.11 and 3.13 (cozepy 0.6.2),
    When it is aggregated for the release,
    Then the release shows fail and says which Pythons differ (3.14, which ran nowhere, is left out)."""
    item = on_release(report, SYNC_INIT, "0.6.2")

    assert item.verdict.state is State.FAIL
    assert item.differences == ("3.11, 3.13: pass", "3.12: fail")
    assert not on_release(report, SYNC_INIT, "0.20.0").differs


def test_not_run_counts_only_when_nothing_ran() -> None:
    """Given verdicts of several Pythons,
    When they are combined,
    Then fail beats not installable beats not offered beats pass, not run counts only alone,
    and a fail is known only when every fail is."""
    passed, failed = Verdict(State.PASS), Verdict(State.FAIL, "boom")
    known = Verdict(State.FAIL, "known break in cozepy 0.2.0: x", known=True)
    not_run = Verdict(State.NOT_RUN, "no results")

    assert worst([passed, Verdict(State.NOT_OFFERED, "n")]).state is State.NOT_OFFERED
    assert worst([Verdict(State.NOT_INSTALLABLE), Verdict(State.NOT_OFFERED)]).state is State.NOT_INSTALLABLE
    assert worst([known, failed]) == Verdict(State.FAIL, "boom")
    assert worst([known, passed]) == known
    assert worst([]) == Verdict(State.NOT_RUN, "no results")
    assert aggregate({"3.8": not_run, "3.9": passed}, ("3.8", "3.9")).verdict == passed
    assert aggregate({"3.8": not_run, "3.9": passed}, ("3.8", "3.9")).differences == ("3.8: not run", "3.9: pass")
    assert aggregate({"3.8": not_run}, ("3.8",)).verdict == not_run
    no_cell = Verdict(State.NOT_RUN, "no results: the interpreter is missing here?", whole_cell=True)
    assert not aggregate({"3.8": no_cell, "3.9": passed}, ("3.8", "3.9")).differs, "a cell without results"


def test_story_summary_counts_tests_in_the_worst_state(report: Report) -> None:
    """Given story US1 on cozepy 0.6.2 (two tests fail on Python 3.12, two not offered, the rest pass),
    When the story summary is derived,
    Then it shows fail, counts the tests per state, and says the Pythons differ."""
    us1 = next(block for block in report.stories if block.story == "US1")
    summary = us1.summary["0.6.2"]

    assert summary.verdict.state is State.FAIL
    assert summary.counts == {"fail": 2, "not-offered": 2, "pass": 9}
    assert summary.differences == ("3.11, 3.13: not offered", "3.12: fail")
    assert us1.summary["0.20.0"].verdict == Verdict(State.PASS)
    assert [block.story for block in report.stories] == ["US1", "US2", "US3"]


def test_features_name_the_first_release_that_offers_them(report: Report) -> None:
    """Given tests skipped as not offered on some releases,
    When the findings are derived,
    Then each feature names where it is missing and the first release offering it."""
    found = {finding.feature: (finding.missing_in, finding.first_offered) for finding in report.features}

    assert found == {
        "AsyncCoze (the async client)": (("0.2.0",), "0.6.2"),
        "AsyncTokenAuth (token auth for AsyncCoze)": (("0.6.2",), "0.20.0"),
        "the X-Coze-Client-User-Agent header": (("0.2.0", "0.6.2"), "0.20.0"),
        "the log id on results (`result.response.logid`)": (("0.2.0", "0.6.2"), "0.20.0"),
    }
    assert feature_of("not offered by cozepy 0.3.0: a thing: with colon") == "a thing: with colon"
    assert feature_of("something else") is None


def test_feature_missing_again_is_reported(tmp_path: Path) -> None:
    """Given a feature every release offers except a later one (removed, then back),
    When the findings are derived,
    Then its first release is the oldest and the later gap is reported as missing again."""
    for release in ("0.2.0", "0.6.2", "0.20.0"):
        shutil.copytree(RESULTS / "py3.11-cozepy0.20.0", tmp_path / f"py3.11-cozepy{release}")
    report_file = tmp_path / "py3.11-cozepy0.6.2" / "report.jsonl"
    lines = []
    for line in report_file.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("nodeid") == SYNC_INIT and record.get("when") == "setup":
            record["outcome"] = "skipped"
            record["longrepr"] = ["x.py", 1, "Skipped: not offered by cozepy 0.6.2: Coze (the client)"]
        if record.get("nodeid") == SYNC_INIT and record.get("when") == "call":
            continue
        lines.append(json.dumps(record))
    report_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    built = build(tmp_path, pythons=("3.11",), releases=("0.2.0", "0.6.2", "0.20.0"))

    (finding,) = built.features
    assert (finding.feature, finding.first_offered, finding.missing_in, finding.missing_again) == (
        "Coze (the client)",
        "0.2.0",
        ("0.6.2",),
        ("0.6.2",),
    )


def test_breaks_group_failures_by_reason(report: Report) -> None:
    """Given failing tests on several releases,
    When the findings are derived,
    Then each (test, known, reason) lists the releases it breaks on, without the release in the reason."""
    breaks = {(b.nodeid, b.known, b.reason): b.releases for b in report.breaks}

    assert breaks[(SYNC_INIT, False, "AssertionError: assert 'https://api.coze.cn' == 'https://api.coze.com'")] == (
        "0.6.2",
    )
    timeout = next(key for key in breaks if key[0] == TIMEOUT and key[1])
    assert timeout[2].startswith("requests carry no timeout at all")
    assert breaks[timeout] == ("0.2.0",)
    assert release_free("known break in cozepy 0.2.0: x") == "x"
    assert release_free("not offered by cozepy 0.2.0: y") == "not offered: y"


# -- one break per bug, and the yardstick -------------------------------------------------------------


def write_cell(results: Path, python: str, release: str, tests: dict[str, tuple[str, ...]]) -> None:
    """A cell folder as the tests cells write it, for tests given as node id -> ``("pass",)``,
    ``("known", bug id)``, ``("fail",)``, ``("offered", capability)`` or ``("not-offered", capability)``."""
    folder = results / matrix.Cell(python, release).id
    folder.mkdir(parents=True)
    (folder / "cell.json").write_text(
        json.dumps({"cell": folder.name, "python": python, "cozepy": release, "status": "installed"}), encoding="utf-8"
    )
    (folder / "environment.json").write_text(
        json.dumps({"python": f"{python}.0", "distributions": {"cozepy": release}}), encoding="utf-8"
    )
    lines = []
    for nodeid, (kind, *name) in tests.items():
        properties: list[list[Any]] = [["story", None], ["task", None], ["cozepy", release]]
        if kind in ("offered", "not-offered"):
            properties.insert(0, ["capabilities", {name[0]: kind == "offered"}])
        properties.append(["known_break", name[0] if kind == "known" else None])
        base = {"$report_type": "TestReport", "nodeid": nodeid, "location": [nodeid.split("::")[0], 1, nodeid]}
        base["user_properties"] = properties
        phases: list[dict[str, Any]]
        if kind == "not-offered":
            skip = [nodeid.split("::")[0], 1, f"Skipped: not offered by cozepy {release}: {name[0]}"]
            phases = [{"when": "setup", "outcome": "skipped", "longrepr": skip}]
        elif kind == "known":
            xfail = {
                "when": "call",
                "outcome": "skipped",
                "wasxfail": f"known break in cozepy {release}: [{name[0]}] x",
            }
            phases = [{"when": "setup", "outcome": "passed"}, xfail]
        elif kind == "fail":
            phases = [{"when": "setup", "outcome": "passed"}, {"when": "call", "outcome": "failed", "longrepr": "boom"}]
        else:
            phases = [{"when": "setup", "outcome": "passed"}, {"when": "call", "outcome": "passed"}]
        lines += [json.dumps({**base, **phase}) for phase in phases]
    lines.append(json.dumps({"$report_type": "SessionFinish", "exitstatus": 0}))
    (folder / "report.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


US4_TEST = "tests/us4_chat/test_chat.py::test_stream"
US5_TEST = "tests/us5_workflows/test_runs.py::test_stream"
STREAM_BUG = Bug("stream-bug", "streams end early", "<0.4.0", "the reader raises", fixed_by="coze-dev/coze-py#1")


def test_a_bug_shown_by_several_tests_ranges_and_stories_is_one_break(tmp_path: Path) -> None:
    """Given one bug shown by a US4 test on 0.2.0 and a US5 test on 0.2.0-0.3.0, and a plain failure,
    When the report is rendered,
    Then the bug is one entry naming both tests (each with its releases), the stories, the cause and
    the release that fixed it, and the failure is an entry of its own."""
    for release in ("0.2.0", "0.3.0", "0.4.0"):
        write_cell(
            tmp_path,
            "3.11",
            release,
            {
                US4_TEST: ("known", "stream-bug") if release == "0.2.0" else ("pass",),
                US5_TEST: ("known", "stream-bug") if release != "0.4.0" else ("pass",),
                US5_TEST + "_other": ("fail",) if release == "0.4.0" else ("pass",),
            },
        )
    built = build(
        tmp_path, pythons=("3.11",), releases=("0.2.0", "0.3.0", "0.4.0"), catalogue={"stream-bug": STREAM_BUG}
    )

    text = render_markdown(built)
    entries = [line for line in text.split("### Where stories break")[1].split("###")[0].splitlines() if line]

    assert entries == [
        "- \u26a0\ufe0f **`stream-bug`** on 0.2.0\u20130.3.0 (US4, US5): streams end early. Cause: the reader raises. "
        "Fixed in 0.4.0 by coze-dev/coze-py#1. Tests: `US4 test_stream` on 0.2.0, `US5 test_stream`.",
        "- **US5** on 0.4.0: \u274c fail: boom (`test_stream_other`)",
    ]
    assert built.bug_checks[0].shown


def test_the_yardstick_names_what_is_missing_and_what_is_outside_the_range(tmp_path: Path) -> None:
    """Given a bug shown on 0.2.0 by both Pythons, on 0.3.0 by Python 3.11 only, and on 0.4.0 (which
    its range leaves out), and a known break naming a bug the catalogue does not define,
    When the yardstick is derived,
    Then the bug is partially shown: 0.3.0 misses Python 3.12, 0.4.0 is a catalogue error, and so is
    the unknown bug; the Markdown puts the catalogue errors right under the summary."""
    for python in ("3.11", "3.12"):
        for release in ("0.2.0", "0.3.0", "0.4.0"):
            shows = not (release == "0.3.0" and python == "3.12")
            write_cell(
                tmp_path,
                python,
                release,
                {US4_TEST: ("known", "stream-bug") if shows else ("pass",), US5_TEST: ("known", "renamed-bug")},
            )
    built = build(
        tmp_path, pythons=("3.11", "3.12"), releases=("0.2.0", "0.3.0", "0.4.0"), catalogue={"stream-bug": STREAM_BUG}
    )

    (check,) = built.bug_checks
    assert (check.status, check.affected, check.with_results) == ("partial", ("0.2.0", "0.3.0"), ("0.2.0", "0.3.0"))
    assert (check.shown_at, check.missing, check.extra) == (("0.2.0", "0.3.0"), (("0.3.0", ("3.12",)),), ("0.4.0",))
    assert built.catalogue_errors == [
        "`stream-bug`: tests show it on 0.4.0, outside its releases (<0.4.0): its range in the catalogue "
        "(src/coze_compat/bugs/) is wrong, or the results are stale",
        "results show bug `renamed-bug` on 0.2.0\u20130.4.0, which the catalogue does not define (stale results, "
        "or a renamed bug)",
    ]
    text = render_markdown(built)
    assert text.index("**Catalogue errors**") < text.index("### New features by release")
    assert (
        "| `stream-bug` streams end early | 0.2.0\u20130.3.0 | 0.4.0 | \U0001f7e1 partially shown: shown on "
        "0.2.0\u20130.3.0; missing on 0.3.0 (Python 3.12); also on 0.4.0, outside its releases |"
    ) in text
    assert "**0 of 1 real cozepy bugs shown at the right releases** (1 partially shown)" not in text
    assert "**0 of 1 real cozepy bugs shown at the right releases (1 partially shown).**" in text


@pytest.mark.parametrize(
    ("releases", "status", "extra"),
    [("<0.4.0", "shown", ()), ("<0.3.0", "partial", ("0.3.0",)), ("<0.5.0", "partial", ())],
)
def test_a_bug_fixed_by_a_capability_is_shown_by_its_tests_not_offered(
    tmp_path: Path, releases: str, status: str, extra: tuple[str, ...]
) -> None:
    """Given a capability whose test is not offered on 0.2.0-0.3.0 and offered on 0.4.0,
    When a bug with that capability is judged for several ranges,
    Then it is shown for the range ending before 0.4.0; a shorter range has 0.3.0 outside it and a
    longer one misses 0.4.0."""
    for release in ("0.2.0", "0.3.0", "0.4.0"):
        write_cell(tmp_path, "3.11", release, {US4_TEST: ("offered" if release == "0.4.0" else "not-offered", "usage")})
    bug = Bug("usage-dropped", "the usage is discarded", releases, "no `usage` field", capability="usage")

    built = build(tmp_path, pythons=("3.11",), releases=("0.2.0", "0.3.0", "0.4.0"), catalogue={bug.id: bug})

    (check,) = built.bug_checks
    assert (check.status, check.extra) == (status, extra)
    assert check.tests == ((US4_TEST,) if check.shown_at else ())


def test_the_yardstick_judges_each_kind_of_bug_from_what_the_results_recorded() -> None:
    """Given the releases 0.2.0-0.4.0 ran on Python 3.11, a bug shown by a test on its releases, one
    marked as not shown that a test shows anyway, one whose range matches no release of the table,
    and capability bugs whose capability is not offered before 0.4.0 or was never recorded,
    When the yardstick checks them,
    Then each gets its status and phrase, and the catalogue's contradictions are its errors."""
    order = ("0.2.0", "0.3.0", "0.4.0")
    bugs_ = (
        Bug("shown", "t", "<0.4.0", "c"),
        Bug("said-not-shown", "t", "==0.2.0", "c", not_shown="no story can"),
        Bug("no-release", "t", ">=9.0", "c"),
        Bug("by-capability", "t", "<0.4.0", "c", capability="usage"),
        Bug("offered-everywhere", "t", "==0.4.0", "c", capability="usage"),
        Bug("never-recorded", "t", "<0.4.0", "c", capability="other"),
    )
    shown = {
        "shown": {release: {"3.11": {US4_TEST}} for release in order[:2]},
        "said-not-shown": {"0.2.0": {"3.11": {US5_TEST}}},
    }
    offers = {"usage": {"0.2.0": False, "0.3.0": False, "0.4.0": True}}

    checks, errors = yardstick.check(
        {bug.id: bug for bug in bugs_},
        order,
        {release: ["3.11"] for release in order},
        shown,
        offers,
        {"usage": [US4_TEST]},
    )

    details = {item.bug.id: (item.status, bug_detail(item, order)) for item in checks}
    assert details == {
        "shown": ("shown", "1 test on 0.2.0\u20130.3.0"),
        "said-not-shown": ("shown", "1 test on 0.2.0"),
        "no-release": ("not-shown", "its range matches no release shown"),
        "by-capability": ("shown", "`usage` not offered on 0.2.0\u20130.3.0"),
        "offered-everywhere": ("not-shown", "`usage` is offered on every affected release (or never recorded)"),
        "never-recorded": ("no-results", "none of its releases ran"),
    }
    assert errors == [
        "`said-not-shown` says no test shows it (no story can), but tests show it",
        "`no-release`: its releases (>=9.0) match no release of the version table",
    ]
    assert not yardstick.applies(bugs_[0], "latest")


def test_a_bug_masked_by_the_one_a_test_shows_counts_as_shown_there() -> None:
    """Given a test that is a known break with one bug on 0.6.0, and whose marker names a second bug
    that affects 0.6.0 too (masked: the test fails with the first),
    When the yardstick reads the matrix rows,
    Then both bugs are shown on 0.6.0 by that test."""
    row = MatrixRow(US4_TEST, "US4", None, "tests/us4_chat/test_chat.py", 1)
    row.cells["py3.11-cozepy0.6.0"] = Verdict(State.FAIL, "r", known=True, bug="first", masked=("second",))
    row.cells["py3.11-cozepy0.7.0"] = Verdict(State.PASS)

    shown = yardstick.shown_by_tests(
        [row], {"py3.11-cozepy0.6.0": ("3.11", "0.6.0"), "py3.11-cozepy0.7.0": ("3.11", "0.7.0")}
    )

    assert shown == {"first": {"0.6.0": {"3.11": {US4_TEST}}}, "second": {"0.6.0": {"3.11": {US4_TEST}}}}


def test_a_report_of_latest_alone_has_no_yardstick() -> None:
    """Given the results of the `latest` cells alone (the release watch's report),
    When the report is derived and rendered,
    Then there is no yardstick: the catalogue's ranges are over the pinned releases."""
    built = build(RESULTS, pythons=PYTHONS, releases=("latest",), catalogue=CATALOGUE)

    assert (built.bug_checks, built.catalogue_errors) == ([], [])
    assert "Real cozepy bugs" not in render_markdown(built)
    assert 'id="bugs"' not in render_html(built)


def test_the_readme_shows_one_column_per_minor_line(tmp_path: Path) -> None:
    """Given results of the patches 0.6.0-0.6.2, where a test is a known break on 0.6.0 only, and 0.7.0,
    When the README section is rendered,
    Then 0.6.0-0.6.2 is one column with the worst of its patches, marked as differing with a note
    saying how, 0.7.0 a column of its own, and the section points to the full table."""
    releases = ("0.6.0", "0.6.1", "0.6.2", "0.7.0")
    for release in releases:
        write_cell(tmp_path, "3.11", release, {US4_TEST: ("known", "stream-bug") if release == "0.6.0" else ("pass",)})
    built = build(tmp_path, pythons=("3.11",), releases=releases, catalogue={})

    section = readme_section(built, releases)
    table = [line for line in section.splitlines() if line.startswith("| ")]

    assert table[0] == "| Story (tests) | 0.6.0\u20130.6.2 | 0.7.0 |"
    assert table[1] == "| **US4** Chat and conversations (1) | \u26a0\ufe0f \u0394<sup>1</sup> | \u2705 |"
    assert "1. Patches differ: 0.6.0: \u26a0\ufe0f; 0.6.1: \u2705; 0.6.2: \u2705" in section
    assert "\u0394 the patch releases of the minor line differ" in section
    assert "`results/report/report.html`" in section
    assert "| 0.6.0 | 0.6.1 |" in render_markdown(built).replace(" 0.6.0 | 0.6.1 ", " 0.6.0 | 0.6.1 |")


def test_columns_and_context(report: Report) -> None:
    """Given the recorded results,
    When the report is derived,
    Then latest is titled with the release it installed, 3.14 is named once as not run,
    and the releases the table does not run are listed with their reasons."""
    assert [column.title for column in report.columns] == ["0.2.0", "0.6.2", "0.20.0", "latest (0.20.0)"]
    assert report.column("latest").installed == ("0.20.0",)
    with pytest.raises(KeyError):
        report.column("0.1.0")
    assert report.pythons_not_run == {"3.14": "nox: skipped, Python interpreter 3.14 not found"}
    assert report.cell_id("3.11", "latest") == "py3.11-cozepylatest"
    assert report.cell_id("3.7", "latest") is None
    assert report.not_run_releases == [("0.1.0", "excluded", "cannot be imported")]


# -- render ----------------------------------------------------------------------------------------


def test_markdown_matches_its_golden_file(report: Report) -> None:
    """Given the report of the recorded results,
    When it is rendered as Markdown,
    Then it matches the reviewed golden file (summary, legend, findings, per-story tables, notes)."""
    check_golden("report.md", render_markdown(report, generated=GENERATED))


def test_markdown_shows_each_state_readably(report: Report) -> None:
    """Given the report of the recorded results,
    When it is rendered as Markdown,
    Then the summary comes first, every state has its glyph in the legend, known breaks carry
    their reason in a note, and no cell text can break the table."""
    text = render_markdown(report, generated=GENERATED)
    summary = text.split("\n\n")[2].splitlines()

    assert summary[0] == "| Story (tests) | 0.2.0 | 0.6.2 | 0.20.0 | latest (0.20.0) |"
    assert summary[2].startswith(
        "| **US1** SDK installation and configuration (13) | \u26a0\ufe0f 2/13 \u2260<sup>1</sup>"
    )
    for glyph in ("\u2705", "\u274c", "\u26a0\ufe0f", "\u2796", "\U0001f6ab", "\u2b1c"):
        assert glyph in text.split("Legend: ")[1].splitlines()[0]
    assert "known break: requests carry no timeout at all" in text
    assert "- Python 3.14: not run (nox: skipped, Python interpreter 3.14 not found)." in text
    assert "- cozepy 0.1.0: excluded, not in the matrix (cannot be imported)." in text
    assert "uperseded" not in text
    assert all(line.count("|") == summary[0].count("|") for line in summary if line.startswith("|"))


def test_readme_section_is_summary_and_findings_without_latest(report: Report) -> None:
    """Given the report,
    When the README section is rendered for the pinned releases,
    Then it has the summary and findings for those releases only, and no per-test tables."""
    section = readme_section(report, ("0.2.0", "0.6.2", "0.20.0"))

    check_golden("readme-section.md", section)
    assert "latest" not in section.split("### Not in the table")[0]
    assert "Tests by story" not in section


def test_json_carries_states_findings_and_cells(report: Report) -> None:
    """Given the report,
    When it is rendered as JSON,
    Then tools find the schema, every test's state per release (codes, one per release), the Pythons
    that differ from it, reasons by index, the findings, the yardstick and the cells."""
    data = json.loads(render_json(report, generated=GENERATED))
    us1 = data["stories"][0]
    sync = next(test for test in us1["tests"] if test["nodeid"] == SYNC_INIT)
    releases = [entry["release"] for entry in data["releases"]]

    assert data["schema"] == SCHEMA == "coze-compat-report/2"
    assert data["codes"]["K"] == "fail (known break)"
    assert data["pythons_not_run"] == {"3.14": "nox: skipped, Python interpreter 3.14 not found"}
    assert sync["task"] == "T009"
    assert sync["states"][releases.index("0.6.2")] == "F"
    assert sync["pythons"]["0.6.2"] == {"3.11": ["P"], "3.13": ["P"]}
    assert data["reasons"][sync["reasons"]["0.6.2"]].startswith("AssertionError: assert 'https://api.coze.cn'")
    assert us1["summary"]["counts"][releases.index("0.6.2")] == {"F": 2, "O": 2, "P": 9}
    assert data["cells"]["py3.13-cozepy0.2.0"]["status"] == "not-installable"
    assert (data["cells"]["py3.13-cozepy0.2.0"]["ran"], data["cells"]["py3.13-cozepy0.2.0"]["state"]) == (False, "I")
    assert data["cells"]["py3.14-cozepy0.2.0"]["status"] == "missing"
    assert data["findings"]["features"][0]["first_offered"] == "0.6.2"
    assert data["releases"][-1] == {
        "release": "latest",
        "title": "latest (0.20.0)",
        "installed": ["0.20.0"],
        "line": "latest",
    }
    assert to_json(report, generated=GENERATED) == data
    assert data["not_in_matrix"] == [{"release": "0.1.0", "status": "excluded", "reason": "cannot be imported"}]


def test_json_states_decode_to_every_cell_of_the_report(report: Report) -> None:
    """Given the report's compact JSON (a state per release, the Pythons only where they differ),
    When every test's state is decoded for every release and Python,
    Then it is the state the report derived for that cell."""
    states = cell_states(json.loads(render_json(report)))

    derived = {
        row.nodeid: {
            release: {python: verdict.state.value for python, verdict in item.by_python.items()}
            for release, item in row.releases.items()
        }
        for block in report.stories
        for row in block.tests
    }
    assert states == derived


def test_json_has_one_break_per_bug_and_the_yardstick(report: Report) -> None:
    """Given the report,
    When it is rendered as JSON,
    Then the trailing-slash bug is one break with both its tests and their releases, and the
    yardstick has the score and every bug of the catalogue with its status."""
    data = json.loads(render_json(report))
    (slash,) = [item for item in data["findings"]["breaks"] if item["bug"] == "base-url-trailing-slash"]
    bugs = {entry["id"]: entry for entry in data["bugs"]["entries"]}

    assert slash["releases"] == ["0.2.0", "0.6.2"]
    assert [(test["nodeid"].split("::")[-1], test["releases"]) for test in slash["tests"]] == [
        ("test_base_url_variations[custom-trailing-slash]", ["0.2.0", "0.6.2"]),
        ("test_async_base_url_variations[custom-trailing-slash]", ["0.6.2"]),
    ]
    assert data["bugs"]["score"] == {"shown": 2, "total": 5, "partial": 0, "not_shown": 2, "no_results": 1}
    assert data["bugs"]["catalogue_errors"] == []
    assert bugs["timeout-ignored"]["status"] == "shown"
    assert bugs["timeout-ignored"]["fixed_in"] == "0.6.0"
    assert bugs["timeout-ignored"]["shown_at"] == ["0.2.0"]
    assert bugs["audio-format"]["status"] == "not-shown"
    assert bugs["chat-usage-missing"]["status"] == "no-results"
    assert bugs["logid-dropped"]["status"] == "not-shown"


def test_json_matches_its_golden_file(small_report: Report) -> None:
    """Given a corner of the recorded results (Python 3.12-3.13, cozepy 0.2.0 and 0.6.2),
    When it is rendered as JSON,
    Then it matches the reviewed golden file."""
    check_golden("report-small.json", render_json(small_report, generated=GENERATED))


def test_html_is_self_contained_and_labels_every_state(report: Report) -> None:
    """Given the report,
    When it is rendered as HTML,
    Then the page loads nothing from elsewhere (its one script is inline), has sticky headers and
    name column in its CSS, each cell shows its state as a class and a label, and a cell's reason and
    Python differences are numbered notes its hover title is made from."""
    page = render_html(report, generated=GENERATED)

    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<script") == 1
    assert "<script>" in page, "the script is inline"
    assert re.search(r"(src|href)=\"[a-z]+:", page) is None, "the page links a resource elsewhere"
    assert "url(" not in page
    assert "@import" not in page
    assert "position: sticky; top: 0" in page
    assert "position: sticky; left: 0" in page
    for code in "PFKOIR":
        assert f'<td class="{code}' in page, code
    assert '<td class="F d" data-r="2" data-d="2">FAIL</td>' in page
    assert (
        '<li id="US1-r2">fail: AssertionError: assert &#x27;https://api.coze.cn&#x27; == '
        "&#x27;https://api.coze.com&#x27; <em>(0.6.2)</em></li>"
    ) in page
    assert '<li id="US1-d2">Pythons differ: 3.11, 3.13: pass; 3.12: fail <em>(0.6.2: test_sync_client_init' in page
    assert "Generated 2026-11-26 12:00 UTC." in page
    assert '<section class="story" id="US3"' in page


def test_html_has_one_entry_per_bug_and_the_yardstick(report: Report) -> None:
    """Given the report,
    When it is rendered as HTML,
    Then each bug the results show is one entry of the breaks (with its fix) that the yardstick's
    table links to, and the score is stated."""
    page = render_html(report)

    assert page.count('<li id="bug-base-url-trailing-slash">') == 1
    assert "Fixed in 0.7.0 by coze-dev/coze-py#109." in page
    assert '<a href="#bug-timeout-ignored"><code>timeout-ignored</code></a>' in page
    assert '<p class="score">2 of 5 real cozepy bugs shown at the right releases' in page
    assert "catalogue-errors" not in page


def test_html_matches_its_golden_file(small_report: Report) -> None:
    """Given a corner of the recorded results (Python 3.12-3.13, cozepy 0.2.0 and 0.6.2),
    When it is rendered as HTML,
    Then it matches the reviewed golden file."""
    check_golden("report-small.html", render_html(small_report, generated=GENERATED))


def test_renderers_handle_an_empty_report(tmp_path: Path) -> None:
    """Given no results at all,
    When the report is rendered,
    Then each format says there is nothing rather than failing."""
    empty = build(tmp_path, pythons=("3.11",), releases=("0.20.0",))

    assert "No results found." in render_markdown(empty)
    assert "No story breaks on any release." in render_markdown(empty)
    assert "Every release offers every feature" in render_html(empty)
    assert json.loads(render_json(empty))["stories"] == []


# -- the CLI and the README --------------------------------------------------------------------------


def test_build_writes_the_three_formats_and_the_job_summary(tmp_path: Path) -> None:
    """Given the recorded results and nox's report folder,
    When `python -m coze_compat.report build` runs with a job summary file,
    Then it writes report.md, report.json and report.html and appends the Markdown to the summary."""
    nox_reports = tmp_path / "nox-report"
    nox_reports.mkdir()
    shutil.copy(NOX_REPORT, nox_reports / "py3.14.json")
    summary = tmp_path / "summary.md"
    summary.write_text("before\n", encoding="utf-8")

    code = main(
        [
            "build",
            f"--results={RESULTS}",
            f"--out={tmp_path / 'out'}",
            f"--nox-report={nox_reports}",
            f"--summary={summary}",
            f"--generated={GENERATED}",
        ]
    )

    assert code == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
        "summary.txt",
    ]
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("before\n## cozepy compatibility")
    assert "Tests by story" in written
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["generated"] == GENERATED


def test_oversized_job_summary_leaves_out_the_per_test_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a job summary limit smaller than the full Markdown, and no results folder,
    When the report is built,
    Then the summary keeps the headline without the per-test tables, and a warning says no cells were found."""
    monkeypatch.setattr("coze_compat.report.__main__.SUMMARY_LIMIT", 10)
    summary = tmp_path / "summary.md"

    assert main(["build", f"--results={tmp_path / 'none'}", f"--out={tmp_path}", f"--summary={summary}"]) == 0

    assert "Tests by story" not in summary.read_text(encoding="utf-8")
    assert "Generated 20" in summary.read_text(encoding="utf-8")
    assert "warning: no cell results" in capsys.readouterr().err


def test_replace_section_rewrites_only_between_the_markers() -> None:
    """Given a README with the report markers,
    When the section is replaced,
    Then the text outside the markers is kept and the section sits between them."""
    text = f"# Title\n\nIntro\n{START}\nold\n{END}\n\nAfter\n"

    assert replace_section(text, "new\n") == f"# Title\n\nIntro\n{START}\nnew\n{END}\n\nAfter\n"
    with pytest.raises(MarkersError, match="exactly once"):
        replace_section("# no markers\n", "x")
    with pytest.raises(MarkersError, match="must come after"):
        replace_section(f"{END}\n{START}\n", "x")


def test_readme_command_updates_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a README with the markers and the recorded results,
    When `python -m coze_compat.report readme` runs, then runs again with --check,
    Then the first run writes the section, the check passes, and a stale README fails the check."""
    readme = tmp_path / "README.md"
    readme.write_text(f"# coze-compat\n\n{START}\n{END}\n", encoding="utf-8")
    arguments = ["readme", f"--results={RESULTS}", f"--readme={readme}"]

    assert main(arguments) == 0
    written = readme.read_text(encoding="utf-8")
    assert main(arguments) == 0
    assert main([*arguments, "--check"]) == 0
    readme.write_text(f"# coze-compat\n\n{START}\nstale\n{END}\n", encoding="utf-8")
    assert main([*arguments, "--check"]) == 1
    readme.write_text("# no markers\n", encoding="utf-8")
    assert main(arguments) == 2

    assert "### Compatibility" in written
    assert "| Story (tests) | 0.2.0 |" in written
    assert "latest" not in written.split("### Not in the table")[0]
    out = capsys.readouterr()
    assert "out of date" in out.out
    assert "must contain" in out.err


def test_markdown_escape_keeps_code_spans_literal() -> None:
    """Given text with HTML-like characters outside and inside a code span,
    When it is escaped for a Markdown table cell,
    Then entities replace them outside the code span, and inside only the pipe is escaped."""
    from coze_compat.report.markdown import escape

    assert escape("a < b and `x >= y | z` & <tag>\n  end") == "a &lt; b and `x >= y \\| z` &amp; &lt;tag&gt; end"
