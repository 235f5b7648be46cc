"""The matrix over a team's tests: coze_compat.nox, coze-compat report (team tests by module) and upgrade."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any

import nox
import pytest

from coze_compat import cli, dependencies, matrix
from coze_compat import nox as compat
from coze_compat.report import team, upgrade
from coze_compat.report.jsonreport import to_json

DATA = Path(__file__).parent / "data"
MODULE = "tests/test_backend.py"
NOT_OFFERED = "not offered by cozepy {}: WorkflowRunResult.usage (token usage of a workflow run)"


def reportlog_line(nodeid: str, outcome: str, release: str, *, when: str = "call", **fields: Any) -> dict[str, Any]:
    """One pytest-reportlog ``TestReport`` line as the plugin's matrix cells write it."""
    bug = fields.pop("bug", None)
    return {
        "$report_type": "TestReport",
        "nodeid": nodeid,
        "location": [nodeid.split("::")[0], 10, nodeid.split("::")[-1]],
        "when": when,
        "outcome": outcome,
        "longrepr": None,
        "user_properties": [["story", None], ["task", None], ["cozepy", release], ["known_break", bug]],
        **fields,
    }


def passed(nodeid: str, release: str) -> list[dict[str, Any]]:
    return [reportlog_line(nodeid, "passed", release)]


def known(nodeid: str, release: str, bug: str) -> list[dict[str, Any]]:
    reason = f"known break in cozepy {release}: [{bug}] the cause of {bug}"
    return [reportlog_line(nodeid, "skipped", release, wasxfail=reason, bug=bug)]


def not_offered(nodeid: str, release: str) -> list[dict[str, Any]]:
    skip = [nodeid.split("::")[0], 10, f"Skipped: {NOT_OFFERED.format(release)}"]
    return [reportlog_line(nodeid, "skipped", release, when="setup", longrepr=skip)]


def write_cell(results: Path, release: str, reports: list[dict[str, Any]], python: str = "3.11") -> None:
    folder = compat.write_cell_record(matrix.Cell(python, release), results, status="installed")
    lines = [*reports, {"$report_type": "SessionFinish", "exitstatus": 0}]
    (folder / "report.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


ASK, RESUME, MODEL, USAGE = (f"{MODULE}::{name}" for name in ("test_ask", "test_resume", "test_model", "test_usage"))


@pytest.fixture
def team_results(tmp_path: Path) -> Path:
    """A team's matrix: four tests on 0.13.1, 0.16.2, 0.17.0, 0.20.0 (the example's states)."""
    results = tmp_path / "results"
    states = {
        "0.13.1": [*passed(ASK, "0.13.1"), *known(RESUME, "0.13.1", "workflow-resume-sends-id")],
        "0.16.2": [*passed(ASK, "0.16.2"), *passed(RESUME, "0.16.2")],
        "0.17.0": [
            *passed(ASK, "0.17.0"),
            *passed(RESUME, "0.17.0"),
            *known(MODEL, "0.17.0", "bots-model-name-dropped"),
        ],
        "0.20.0": [*passed(ASK, "0.20.0"), *passed(RESUME, "0.20.0"), *passed(MODEL, "0.20.0")],
    }
    for release, reports in states.items():
        model = [] if release in ("0.17.0", "0.20.0") else passed(MODEL, release)
        usage = passed(USAGE, release) if release == "0.20.0" else not_offered(USAGE, release)
        write_cell(results, release, [*reports, *model, *usage])
    return results


# -- coze_compat.nox ---------------------------------------------------------------------------------


def test_cells_are_the_chosen_releases_times_pythons() -> None:
    """Given a release range and two Pythons,
    When the team's cells are made,
    Then each pinned release in the range is a cell on each Python, with the cell id and selecting tags."""
    params = compat.cells(releases=">=0.19", pythons=["3.11", "3.12"])

    assert [(param.args, param.id, param.tags) for param in params] == [
        (("3.11", "0.19.0"), "py3.11-cozepy0.19.0", ["py3.11", "cozepy0.19.0"]),
        (("3.12", "0.19.0"), "py3.12-cozepy0.19.0", ["py3.12", "cozepy0.19.0"]),
        (("3.11", "0.20.0"), "py3.11-cozepy0.20.0", ["py3.11", "cozepy0.20.0"]),
        (("3.12", "0.20.0"), "py3.12-cozepy0.20.0", ["py3.12", "cozepy0.20.0"]),
    ]


def test_cells_newest_patches() -> None:
    """Given a range over minor lines with several patches,
    When only the newest patch of each line is asked for,
    Then the older patches are left out."""
    params = compat.cells(releases=">=0.13,<0.17", pythons=["3.11"], newest_patches=True)

    assert [param.args[1] for param in params] == ["0.13.1", "0.14.0", "0.15.0", "0.16.2"]


@pytest.mark.parametrize(
    ("releases", "pythons", "message"),
    [
        (">=9", ["3.11"], "no pinned cozepy release matches '>=9'"),
        (">=0.20", ["2.7"], "Python 2.7 is not in the matrix"),
    ],
)
def test_cells_refuse_what_the_matrix_does_not_run(releases: str, pythons: list[str], message: str) -> None:
    """Given a range no pinned release is in, or a Python the matrix does not know,
    When the cells are made,
    Then the error says what is wrong and what is known."""
    with pytest.raises(ValueError, match=message):
        compat.cells(releases=releases, pythons=pythons)


class FakeDistribution:
    def __init__(self, direct_url: dict[str, Any] | None) -> None:
        self.version = "0.1.0"
        self._direct = json.dumps(direct_url) if direct_url is not None else None

    def read_text(self, name: str) -> str | None:
        return self._direct if name == "direct_url.json" else None


@pytest.mark.parametrize(
    ("direct_url", "requirement"),
    [
        (None, ["coze-compat==0.1.0"]),
        (
            {"url": "file:///tmp/dist/coze_compat-0.1.0-py3-none-any.whl", "archive_info": {}},
            ["coze-compat @ file:///tmp/dist/coze_compat-0.1.0-py3-none-any.whl"],
        ),
        ({"url": "file:///home/me/coze%20compat", "dir_info": {"editable": True}}, ["-e", "/home/me/coze compat"]),
    ],
    ids=["from-an-index", "from-a-wheel", "editable"],
)
def test_harness_requirement_reinstalls_what_nox_runs(
    monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, Any] | None, requirement: list[str]
) -> None:
    """Given coze-compat installed from an index, a wheel file or an editable checkout,
    When a cell asks how to install the same harness,
    Then it gets the version pin, the wheel's URL or the checkout's folder."""
    monkeypatch.setattr(metadata, "distribution", lambda name: FakeDistribution(direct_url))

    assert compat.harness_requirement() == requirement


def test_harness_requirement_needs_an_installed_harness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given coze-compat is only on the path (as in this repository), not installed,
    When a cell asks how to install it,
    Then the error says to install it next to nox or to pass the requirement."""

    def missing(name: str) -> Any:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)

    with pytest.raises(compat.HarnessNotInstalledError, match="install it next to nox"):
        compat.harness_requirement()


class FakeSession:
    """What ``install_cell`` and ``run_tests`` use of a nox session."""

    def __init__(self, python: str, fail_install: bool = False) -> None:
        self.python = python
        self.posargs: list[str] = ["-k", "ask"]
        self.fail_install = fail_install
        self.installed: list[tuple[str, ...]] = []
        self.ran: list[tuple[tuple[str, ...], dict[str, str]]] = []

    def install(self, *args: str) -> None:
        self.installed.append(args)
        if self.fail_install:
            raise nox.command.CommandFailed("uv pip install failed")

    def run(self, *args: str, env: dict[str, str]) -> None:
        self.ran.append((args, env))

    def error(self, message: str) -> None:
        raise RuntimeError(message)


def test_install_cell_installs_the_pins_the_project_and_the_harness(tmp_path: Path) -> None:
    """Given a team's cell on cozepy 0.13.1,
    When it is installed,
    Then one install constrained by the release's pin set brings cozepy, the report log, the harness
    and the project, and cell.json ends as installed."""
    session: Any = FakeSession("3.11")

    compat.install_cell(session, "0.13.1", "-e", ".", harness=["coze-compat==0.1.0"], results=tmp_path)

    pins = str(matrix.constraints_path("0.13.1"))
    assert session.installed == [("-c", pins, "cozepy==0.13.1", "pytest-reportlog", "coze-compat==0.1.0", "-e", ".")]
    record = json.loads((tmp_path / "py3.11-cozepy0.13.1" / "cell.json").read_text())
    assert record == {
        "cell": "py3.11-cozepy0.13.1",
        "python": "3.11",
        "cozepy": "0.13.1",
        "server": "coze.com",
        "status": "installed",
    }


def test_install_cell_records_a_failed_install(tmp_path: Path) -> None:
    """Given a project whose dependencies conflict with the release's pins,
    When the cell is installed,
    Then cell.json says not-installable and the session stops naming the cell."""
    session: Any = FakeSession("3.12", fail_install=True)

    with pytest.raises(RuntimeError, match=re.escape("py3.12-cozepy0.20.0: installing cozepy 0.20.0 with the project")):
        compat.install_cell(session, "0.20.0", harness=[], results=tmp_path)

    assert session.installed[0][-1] == "."
    assert json.loads((tmp_path / "py3.12-cozepy0.20.0" / "cell.json").read_text())["status"] == "not-installable"


def test_run_tests_runs_pytest_as_the_matrix_cell(tmp_path: Path) -> None:
    """Given an installed cell,
    When the team's tests run,
    Then pytest writes its report log into the cell's folder, gets the session's arguments last, and
    knows it is a matrix cell (the results folder in its environment)."""
    session: Any = FakeSession("3.11")

    compat.run_tests(session, "0.13.1", "tests", "-q", results=tmp_path)

    folder = tmp_path / "py3.11-cozepy0.13.1"
    assert session.ran == [
        (
            ("python", "-m", "pytest", "tests", "-q", f"--report-log={folder / 'report.jsonl'}", "-k", "ask"),
            {matrix.RESULTS_ENV: str(folder)},
        )
    ]


# -- the report of a team's results ------------------------------------------------------------------


def test_team_report_groups_tests_by_module(team_results: Path) -> None:
    """Given a team's cells on four releases, one Python,
    When the report is built,
    Then its columns are those releases, its Python the one that ran, and its one block is the test module."""
    report = team.build(team_results)

    assert [column.release for column in report.columns] == ["0.13.1", "0.16.2", "0.17.0", "0.20.0"]
    assert report.pythons == ("3.11",)
    assert [(block.story, block.title, len(block.tests)) for block in report.stories] == [(MODULE, "test module", 4)]
    assert report.not_run_releases == []


def test_story_tests_keep_their_story(tmp_path: Path) -> None:
    """Given this project's story tests next to a team's test,
    When the report is built,
    Then the story test stays in its story and only the other goes to its module."""
    story_test = "tests/us4_chat/test_chat_client.py::test_chat"
    write_cell(tmp_path, "0.20.0", [*passed(story_test, "0.20.0"), *passed(ASK, "0.20.0")])

    report = team.build(tmp_path)

    assert [(block.story, block.title) for block in report.stories] == [
        ("US4", "Chat and conversations"),
        (MODULE, "test module"),
    ]


# -- upgrade advice ------------------------------------------------------------------------------------


def test_advice_from_a_team_matrix(team_results: Path) -> None:
    """Given the team's results,
    When it asks about moving from 0.13.1 to 0.20.0,
    Then the advice names the feature gained, the fix with its bug id and the release it passes from,
    the break on the way (0.17.0, gone by 0.20.0) with its bug id, and nothing that stays."""
    advice = upgrade.advise(upgrade.load(team_results), "0.13.1", "0.20.0")

    assert advice.path == ("0.13.1", "0.16.2", "0.17.0", "0.20.0")
    assert advice.gains == [upgrade.Gain("WorkflowRunResult.usage (token usage of a workflow run)", "0.20.0", (USAGE,))]
    assert advice.fixes == [
        upgrade.Finding(
            ("workflow-resume-sends-id",),
            "[workflow-resume-sends-id] the cause of workflow-resume-sends-id",
            True,
            ("0.16.2",),
            (RESUME,),
        )
    ]
    assert advice.new_breaks == [
        upgrade.Finding(
            ("bots-model-name-dropped",),
            "[bots-model-name-dropped] the cause of bots-model-name-dropped",
            True,
            ("0.17.0",),
            (MODEL,),
        )
    ]
    assert (advice.stays, advice.losses, advice.not_compared) == ([], [], [])


def test_a_new_break_that_remains_on_the_target(team_results: Path) -> None:
    """Given the team's results,
    When the advice is from 0.16.2 to 0.17.0,
    Then the 0.17.0 break is new and remains on the target, and nothing is gained or fixed."""
    advice = upgrade.advise(upgrade.load(team_results), "0.16.2", "0.17.0")

    assert [(item.bugs, item.releases, item.remains) for item in advice.new_breaks] == [
        (("bots-model-name-dropped",), ("0.17.0",), True)
    ]
    assert advice.fixes == []
    assert advice.gains == []


def test_advice_is_the_same_from_the_report_json(team_results: Path, tmp_path: Path) -> None:
    """Given the team's results and the report.json written from them,
    When the advice is computed from each,
    Then both give the same history and the same advice."""
    report = team.build(team_results)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(to_json(report)), encoding="utf-8")

    from_json, from_results = upgrade.load(path), upgrade.load(team_results)

    assert from_json.tests == from_results.tests
    assert upgrade.advise(from_json, "0.13.1", "0.20.0") == upgrade.advise(from_results, "0.13.1", "0.20.0")


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        ("0.2.0", "0.20.0", r"cozepy 0.2.0 has no results here; releases with results: 0.13.1, 0.16.2, 0.17.0, 0.20.0"),
        ("0.20.0", "0.13.1", r"--from 0.20.0 must be an older release than --to 0.13.1"),
    ],
)
def test_advice_refuses_releases_without_results(team_results: Path, start: str, target: str, message: str) -> None:
    """Given the team's results,
    When the advice is asked for a release without results, or backwards,
    Then the error says so and lists the releases with results."""
    with pytest.raises(upgrade.UpgradeError, match=message):
        upgrade.advise(upgrade.load(team_results), start, target)


def test_dependency_floors_move_with_the_release() -> None:
    """Given the shipped dependency data,
    When 0.13.1 and 0.20.0 are compared,
    Then Requires-Python is unchanged, the httpx floor on the matrix's Pythons moves from 0.27.0 to
    0.28.0 (the range for Python 3.7 does not count) and 0.20.0 installs next to the current httpx."""
    table = dependencies.load()
    history = upgrade.History(("0.13.1", "0.20.0"), [], table)

    moves = {move.name: move for move in upgrade.advise(history, "0.13.1", "0.20.0").dependencies}

    assert (moves["Python"].before, moves["Python"].after, moves["Python"].floor_after) == (">=3.7,<4.0",) * 2 + (
        "3.7",
    )
    httpx = moves["httpx"]
    assert (httpx.floor_before, httpx.floor_after, httpx.installs_before, httpx.installs_after) == (
        "0.27.0",
        "0.28.0",
        False,
        True,
    )
    assert httpx.current == table.current["httpx"]
    assert moves["pydantic"].floor_before == moves["pydantic"].floor_after == "2.5.0"


def test_upgrade_markdown_names_each_bug_once(team_results: Path) -> None:
    """Given the team's advice,
    When it is rendered as Markdown,
    Then each section is there and a fix reads as bug id, kind, cause (the id not repeated), release, tests."""
    advice = upgrade.advise(upgrade.load(team_results, dependencies.load()), "0.13.1", "0.20.0")

    text = upgrade.render_markdown(advice)

    assert text.startswith("## Upgrading cozepy 0.13.1 \u2192 0.20.0\n")
    assert (
        "- [workflow-resume-sends-id] known break: the cause of workflow-resume-sends-id: passes from 0.16.2 "
        f"(`{RESUME}`)"
    ) in text
    assert (
        "- on 0.17.0, gone again by 0.20.0: [bots-model-name-dropped] known break: the cause of "
        f"bots-model-name-dropped (`{MODEL}`)"
    ) in text
    assert "the floor on Python 3.8\u20133.14 moves from 0.27.0 to 0.28.0" in text


def test_upgrade_html_has_a_row_per_release(team_results: Path) -> None:
    """Given the team's report,
    When its HTML upgrade section is rendered,
    Then it has a row for each release but the newest, counting the fixes and the new breaks with their bug ids."""
    report = team.build(team_results, dependencies=dependencies.load())

    section = upgrade.upgrade_html(report, report.columns)

    assert section.count('<th scope="row">') == 3
    assert "<h2>Upgrade advice: to cozepy 0.20.0</h2>" in section
    row = section.split('<th scope="row">0.13.1</th>')[1].split("</tr>")[0]
    assert "1<br><small>workflow-resume-sends-id</small>" in row
    assert "1<br><small>bots-model-name-dropped</small>" in row
    assert "<strong>0.27.0 \u2192 0.28.0</strong>" in row


def test_cli_report_and_upgrade(team_results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given the team's results,
    When coze-compat report and coze-compat upgrade run,
    Then the report files are written under results/report and the advice is printed (as JSON here)."""
    assert cli.main(["report", f"--results={team_results}", "--generated=now"]) == 0
    assert cli.main(["upgrade", "--from", "0.13.1", f"--results={team_results}", "--format", "json"]) == 0

    out = capsys.readouterr().out
    assert sorted(path.name for path in (team_results / "report").iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
        "summary.txt",
    ]
    advice = json.loads(out[out.index('{\n  "schema": "coze-compat-upgrade/1"') :])
    assert (advice["from"], advice["to"]) == ("0.13.1", "0.20.0")


def test_cli_upgrade_error_names_the_releases(team_results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given the team's results,
    When upgrade advice is asked from a release it did not run,
    Then the command exits 2 with the releases it has."""
    assert cli.main(["upgrade", "--from", "0.2.0", f"--results={team_results}"]) == 2

    assert capsys.readouterr().err == (
        "error: cozepy 0.2.0 has no results here; releases with results: 0.13.1, 0.16.2, 0.17.0, 0.20.0\n"
    )


def test_advice_over_the_repository_stories() -> None:
    """Given the recorded story results of this repository (0.2.0, 0.5.0, 0.6.2, 0.20.0 and latest),
    When the advice goes from 0.6.2 to 0.20.0,
    Then the stories gain what 0.20.0 offers and 0.6.2 lacks, the trailing-slash break is fixed, and
    the stories keep their story blocks."""
    report = team.build(DATA / "cells")
    advice = upgrade.advise(upgrade.from_report(report), "0.6.2", "0.20.0")

    assert {gain.feature: gain.release for gain in advice.gains} == {
        "AsyncTokenAuth (token auth for AsyncCoze)": "0.20.0",
        "the X-Coze-Client-User-Agent header": "0.20.0",
        "the log id on results (`result.response.logid`)": "0.20.0",
    }
    fixed = {test.split("::")[-1] for item in advice.fixes for test in item.tests}
    assert "test_base_url_variations[custom-trailing-slash]" in fixed
    assert all(block.story.startswith("US") for block in report.stories)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such results folder or report.json"),
        ("not json", "cannot read the report"),
        ('{"releases": [{"release": "0.20.0"}], "stories": [{"tests": [{}]}]}', "not a coze-compat report"),
    ],
    ids=["missing", "unreadable", "other-json"],
)
def test_upgrade_refuses_what_is_not_a_matrix(tmp_path: Path, content: str | None, message: str) -> None:
    """Given a path that holds no results, an unreadable file or JSON that is not a report,
    When the advice's history is loaded from it,
    Then the error names the path or says it is not a coze-compat report."""
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(upgrade.UpgradeError, match=message):
        upgrade.load(path)


def test_dependencies_not_compared_without_data() -> None:
    """Given advice without dependency data, and with data that lacks the target release,
    When it is computed,
    Then it compares no dependency and says why."""
    table = dependencies.load()
    without = upgrade.advise(upgrade.History(("0.13.1", "0.20.0"), []), "0.13.1", "0.20.0")
    unknown = upgrade.advise(upgrade.History(("0.13.1", "latest"), [], table), "0.13.1", "latest")

    assert (without.dependencies, without.dependency_note) == ([], "no dependency data given")
    assert unknown.dependencies == []
    assert unknown.dependency_note.startswith("cozepy latest is in the version table but not in ")
    assert "Not compared: no dependency data given." in upgrade.render_markdown(without)


def test_floor_reads_the_lower_bounds_for_the_matrix_pythons() -> None:
    """Given ranges with markers for other Pythons, exact pins, a malformed marker and no bound,
    When their floor is computed,
    Then only the ranges for the matrix's Pythons count (a malformed marker counts), and no bound is none."""
    ranges = (
        dependencies.Range(">=0.24.0,<0.25.0", 'python_version < "3.8"'),
        dependencies.Range("==0.27.2", 'python_version >= "3.8"'),
        dependencies.Range(">=0.26", "not a marker"),
    )

    assert upgrade.floor(ranges) == "0.26"
    assert upgrade.floor((dependencies.Range("<1", ""),)) is None
    assert upgrade.floor((dependencies.Range("not a specifier", ""),)) is None
