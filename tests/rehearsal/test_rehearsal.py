"""The new-release watch rehearsed end to end against a real package index (``nox -s watch-rehearsal``).

Each rehearsal builds a synthetic next cozepy release from the newest pinned wheel, serves it with
pypiserver on 127.0.0.1 and runs the watch's own commands on it (``coze_compat.rehearsal``): the
check, the ``latest`` cell, evaluate, and for a compatible release the table change, the new
constraints file and the new pinned cell. The cells run on one Python (3.11) and the US3 story only
(``-k us3_bots``): both releases differ from the newest pinned one in bots, and the matrix runs
every story anyway.

Slow by design (each rehearsal runs several nox sessions, about half a minute); in this process the
socket rule allows only 127.0.0.1, while the installers reach PyPI for every package but cozepy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coze_compat import constraints, matrix, rehearsal
from coze_compat.report.__main__ import main as report_main

pytestmark = [pytest.mark.allow_hosts(["127.0.0.1"]), pytest.mark.timeout(900)]

PYTHON = "3.11"
#: What the cells' pytest gets after ``--``: the bots story only, no coverage (as the rehearsal needs).
CELL_ARGS = ("-k", "us3_bots", "--no-cov", "-q")
BOTS = "tests/us3_bots/test_bot_client.py::TestBotOperations::"
FOLDER_ID_TEST = BOTS + "test_list_bots_v2_folder_id"
PAGE_NUM_TEST = BOTS + "test_list_bots_paginated"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rehearsal.download_wheel(matrix.newest_pinned(), tmp_path_factory.mktemp("wheels"))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rehearsal.baseline_report(tmp_path_factory.mktemp("baseline"), PYTHON, CELL_ARGS)


@pytest.fixture(scope="module")
def compatible(wheel: Path, baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> rehearsal.Rehearsal:
    return rehearsal.rehearse("compatible", tmp_path_factory.mktemp("compatible"), wheel, baseline, PYTHON, CELL_ARGS)


@pytest.fixture(scope="module")
def regression(wheel: Path, baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> rehearsal.Rehearsal:
    return rehearsal.rehearse("regression", tmp_path_factory.mktemp("regression"), wheel, baseline, PYTHON, CELL_ARGS)


def test_check_finds_the_release_on_the_local_index(compatible: rehearsal.Rehearsal) -> None:
    """Given cozepy 0.21.0 on a local pypiserver (PEP 503 HTML, no requires-python),
    When the watch's check reads that index,
    Then it tests 0.21.0, a release the table does not know, on every Python."""
    assert compatible.check_outputs == {
        "outcome": "new",
        "version": "0.21.0",
        "queued": "",
        "known": "false",
        "requires_python": "",
        "unsupported": "",
    }
    assert "Testing **cozepy 0.21.0** with the `latest` cells." in (compatible.work / "check.md").read_text("utf-8")


def test_compatible_release_becomes_a_pull_request(compatible: rehearsal.Rehearsal) -> None:
    """Given the latest cell installed cozepy 0.21.0 from the local index and passed,
    When the watch evaluates it against the baseline of the newest pinned release,
    Then it writes the pull request's title and body (no issue), with the report of the release."""
    evaluation = compatible.evaluation
    body = (compatible.watch / "pr.md").read_text(encoding="utf-8")

    assert (evaluation["outcome"], evaluation["failures"], evaluation["lost_capabilities"]) == ("compatible", [], [])
    assert sorted(path.name for path in compatible.watch.iterdir()) == ["evaluation.json", "pr-title.txt", "pr.md"]
    assert (compatible.watch / "pr-title.txt").read_text(encoding="utf-8") == "Add cozepy 0.21.0 to the version table\n"
    assert "### Before merging" in body
    assert "| Story (tests) | latest (0.21.0) |" in body
    assert f"Compared with the pinned releases 0.2.0\u2013{matrix.newest_pinned()}" in body


def test_compatible_release_is_added_to_the_table_with_its_constraints(compatible: rehearsal.Rehearsal) -> None:
    """Given a compatible release,
    When the watch runs `releases add` and `nox -s constraints -- 0.21.0` against the local index,
    Then the table pins 0.21.0 after the newest release, its pin set is valid and names no index,
    and the new cell installs from it and passes."""
    table = matrix.read_table(compatible.table)
    pins = compatible.constraints.read_text(encoding="utf-8")
    cell = compatible.cell(PYTHON, "0.21.0")
    log = [json.loads(line) for line in (cell / "report.jsonl").read_text(encoding="utf-8").splitlines()]

    assert [entry.version for entry in table.releases] == [*matrix.known_versions(), "0.21.0"]
    assert table.releases[-1] == matrix.Release("0.21.0", matrix.PINNED)
    constraints.check(compatible.constraints, "0.21.0")
    assert "127.0.0.1" not in pins
    assert "index-url" not in pins
    assert json.loads((cell / "environment.json").read_text(encoding="utf-8"))["distributions"]["cozepy"] == "0.21.0"
    assert (log[-1]["$report_type"], log[-1]["exitstatus"]) == ("SessionFinish", 0)


def test_regression_becomes_an_issue_naming_the_story_and_the_lost_capability(
    regression: rehearsal.Rehearsal,
) -> None:
    """Given cozepy 1.0 that sends `page_num` instead of `page_index` and drops `SimpleBot.folder_id`,
    When the watch evaluates its latest cell,
    Then it writes an issue (no pull request) naming US3, the failing tests and the lost capability."""
    evaluation = regression.evaluation
    body = (regression.watch / "issue.md").read_text(encoding="utf-8")
    failing = {failure["nodeid"] for failure in evaluation["failures"]}

    assert regression.check_outputs["version"] == "1.0"
    assert evaluation["outcome"] == "incompatible"
    assert (regression.watch / "issue-title.txt").read_text(encoding="utf-8") == (
        "cozepy 1.0 breaks the compatibility matrix (US3)\n"
    )
    assert PAGE_NUM_TEST in failing
    assert {failure["story"] for failure in evaluation["failures"]} == {"US3"}
    (lost,) = evaluation["lost_capabilities"]
    assert lost.startswith(
        f"`bots_list_item_folder_id`: the folder of a listed bot (`SimpleBot.folder_id`) "
        f"(cozepy {matrix.newest_pinned()} offers it, 1.0 does not;"
    )
    assert f"`{FOLDER_ID_TEST}`" in lost
    assert "### Failing tests" in body
    assert "### Lost capabilities (a break)" in body
    assert not (regression.watch / "pr.md").exists()
    assert "add" not in regression.steps
    assert regression.steps["latest-cell"][0] == 1  # the cell itself fails: a story broke


def test_regression_that_drops_a_field_fails_the_matrix(
    regression: rehearsal.Rehearsal, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given the newest pinned cell and the cell of cozepy 1.0, which dropped `SimpleBot.folder_id`,
    as the plugin recorded them,
    When the compatibility report is built from both (`nox -s report`),
    Then it exits 1 naming the lost capability: the matrix fails, with no known_break written."""
    results = tmp_path / "results"
    newest = matrix.Cell(PYTHON, matrix.newest_pinned()).id
    shutil.copytree(baseline.parents[1] / newest, results / newest)
    shutil.copytree(regression.cell(PYTHON, matrix.LATEST), results / matrix.Cell(PYTHON, matrix.LATEST).id)

    code = report_main(["build", f"--results={results}", f"--out={tmp_path / 'report'}"])

    assert code == 1
    assert (
        "error: lost capability `bots_list_item_folder_id` (the folder of a listed bot (`SimpleBot.folder_id`)): "
        f"offered by cozepy {matrix.newest_pinned()}, not by latest: a break"
    ) in capsys.readouterr().err
