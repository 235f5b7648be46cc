"""The new-release watch: PyPI's releases against the version table, and the verdict on a new one.

PyPI is never asked: every test injects a fetcher that returns a recorded answer
(``data/pypi-cozepy-*.json``) or raises what an outage raises. The new release's cells are made
from the recorded ``latest`` cell (``data/cells/py3.11-cozepylatest``), relabelled as having
installed cozepy 0.21.0, and edited to break where a test needs a break.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import urllib.error
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from coze_compat import matrix, releases
from coze_compat.report import build
from coze_compat.report.jsonreport import to_json

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "cells"
CURRENT = DATA / "pypi-cozepy-current.json"
NEW = DATA / "pypi-cozepy-new.json"
VERSION = "0.21.0"
PYTHONS = ("3.11", "3.12", "3.13")
US1 = "tests/us1_setup/test_coze_client.py::"
SYNC_INIT = US1 + "TestCozeClientInitialization::test_sync_client_init"
USER_AGENT = "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_client_user_agent_header"


def recorded(path: Path) -> Callable[[str, float], bytes]:
    """A fetcher that answers with a recorded PyPI JSON document."""

    def fetch(url: str, timeout: float) -> bytes:
        assert url == releases.PYPI_URL
        assert timeout == releases.TIMEOUT
        return path.read_bytes()

    return fetch


def failing(error: BaseException) -> Callable[[str, float], bytes]:
    def fetch(url: str, timeout: float) -> bytes:
        raise error

    return fetch


def answering(body: bytes) -> Callable[[str, float], bytes]:
    def fetch(url: str, timeout: float) -> bytes:
        return body

    return fetch


def new_release_cells(folder: Path, version: str = VERSION, pythons: tuple[str, ...] = PYTHONS) -> Path:
    """``latest`` cells for ``pythons`` that installed ``version``, made from the recorded latest cell."""
    for python in pythons:
        target = folder / matrix.Cell(python, matrix.LATEST).id
        shutil.copytree(RESULTS / "py3.11-cozepylatest", target)
        record = json.loads((target / "cell.json").read_text(encoding="utf-8"))
        record.update(cell=target.name, python=python)
        (target / "cell.json").write_text(json.dumps(record), encoding="utf-8")
        environment = json.loads((target / "environment.json").read_text(encoding="utf-8"))
        environment["distributions"]["cozepy"] = version
        (target / "environment.json").write_text(json.dumps(environment), encoding="utf-8")
    return folder


def edit_test(cell: Path, nodeid: str, when: str, **changes: Any) -> None:
    """Change one phase report of one test in a cell's report.jsonl (``drop=True`` removes it)."""
    lines = []
    for line in (cell / "report.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("nodeid") == nodeid and record.get("when") == when:
            if changes.get("drop"):
                continue
            record.update(changes)
        lines.append(json.dumps(record))
    (cell / "report.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def baseline(pinned: tuple[str, ...] = ("0.2.0", "0.6.2")) -> dict[str, Any]:
    """The CI report JSON of the recorded results for ``pinned`` (the watch's baseline)."""
    return to_json(build(RESULTS, pythons=PYTHONS, releases=(*pinned, matrix.LATEST)))


# -- PyPI ----------------------------------------------------------------------------------------


def test_no_new_release() -> None:
    """Given PyPI lists exactly the releases of the version table,
    When the watch compares them,
    Then there is nothing to test."""
    check = releases.find_new(releases.fetch_pypi(recorded(CURRENT)), matrix.known_versions())

    assert (check.outcome, check.target, check.new, check.ignored) == ("none", None, [], {})
    assert "No new cozepy release" in releases.check_summary(check)


def test_new_release_is_found_and_unfit_ones_are_set_aside() -> None:
    """Given PyPI lists 0.21.0, a release candidate, a yanked patch and a release without files,
    When the watch compares them with the version table,
    Then it tests 0.21.0 and says why it leaves the others out."""
    check = releases.find_new(releases.fetch_pypi(recorded(NEW)), matrix.known_versions())

    assert (check.outcome, check.target, check.new, check.queued) == ("new", "0.21.0", ["0.21.0"], [])
    assert check.ignored == {
        "0.21.1rc1": "a pre-release (tested only when asked: `check --requested`)",
        "0.20.1": "yanked",
        "0.19.1": "no files on PyPI",
    }
    summary = releases.check_summary(check)
    assert "Testing **cozepy 0.21.0**" in summary
    assert "- 0.20.1: not tested (yanked)." in summary


def test_oldest_new_release_first_the_others_queued() -> None:
    """Given three new releases over two minor lines (0.21.0, 0.21.1, 0.22.0),
    When the watch picks what to test,
    Then it tests 0.21.0 and leaves 0.21.1 and 0.22.0 for the next runs: every release is a column."""
    files = [{"filename": "x.whl", "yanked": False}]
    pypi = {"releases": {"0.22.0": files, "0.21.1": files, "0.21.0": files, "0.20.0": files}}

    check = releases.find_new(pypi, matrix.known_versions())

    assert (check.new, check.target, check.queued) == (["0.21.0", "0.21.1", "0.22.0"], "0.21.0", ["0.21.1", "0.22.0"])
    assert "Tested by the next runs, one at a time: 0.21.1, 0.22.0." in releases.check_summary(check)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            urllib.error.HTTPError(releases.PYPI_URL, 503, "Service Unavailable", Message(), None),
            "PyPI answered HTTP 503 (Service Unavailable)",
        ),
        (urllib.error.URLError(socket.timeout("timed out")), "PyPI did not answer within 30 s"),
        (TimeoutError("read timed out"), "PyPI did not answer within 30 s"),
        (urllib.error.URLError("[Errno -3] Temporary failure in name resolution"), "PyPI could not be reached"),
        (ConnectionResetError("reset by peer"), "PyPI could not be reached"),
    ],
    ids=["http-503", "timeout-in-urlerror", "timeout", "dns", "reset"],
)
def test_pypi_outage_is_an_outage(error: BaseException, message: str) -> None:
    """Given PyPI answers with an HTTP error, times out or cannot be reached,
    When the watch asks it for releases,
    Then it raises PypiError saying so, never a verdict on cozepy."""
    with pytest.raises(releases.PypiError, match=re.escape(message)):
        releases.fetch_pypi(failing(error))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Service Unavailable</html>", "is not valid JSON"),
        (b"\xff\xfe", "is not valid JSON"),
        (b'{"info": {}}', "has no 'releases' mapping"),
        (b"[]", "has no 'releases' mapping"),
    ],
    ids=["html", "not-utf8", "no-releases", "list"],
)
def test_pypi_answer_that_is_not_its_json_is_an_outage(body: bytes, message: str) -> None:
    """Given PyPI answers 200 with something that is not its JSON document,
    When the watch reads it,
    Then it raises PypiError saying the answer is invalid."""
    with pytest.raises(releases.PypiError, match=message):
        releases.fetch_pypi(answering(body))


def test_default_fetcher_reads_through_urllib() -> None:
    """Given the recorded PyPI document as a file: URL (no network),
    When the default urllib fetcher reads it,
    Then it returns the document's bytes."""
    assert releases.urllib_fetch(NEW.as_uri(), 5) == NEW.read_bytes()


def test_check_command_outputs_for_the_workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given PyPI lists a new release,
    When `python -m coze_compat.releases check` runs with the workflow's output files,
    Then $GITHUB_OUTPUT gets outcome=new and the version, and the job summary says what is tested."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"

    code = releases.main(["check", f"--github-output={output}", f"--summary={summary}"], fetcher=recorded(NEW))

    assert code == 0
    assert output.read_text(encoding="utf-8") == "outcome=new\nversion=0.21.0\nqueued=\nknown=false\n"
    assert "Testing **cozepy 0.21.0**" in summary.read_text(encoding="utf-8")
    assert "Testing **cozepy 0.21.0**" in capsys.readouterr().out


def test_check_command_with_no_new_release(tmp_path: Path) -> None:
    """Given PyPI lists only known releases,
    When the check runs,
    Then outcome=none and no version."""
    output = tmp_path / "output"

    assert releases.main(["check", f"--github-output={output}"], fetcher=recorded(CURRENT)) == 0

    assert output.read_text(encoding="utf-8") == "outcome=none\nversion=\nqueued=\nknown=false\n"


def test_check_command_reports_a_pypi_outage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given PyPI answers 502,
    When the check runs,
    Then it exits 1 with outcome=pypi-error and a summary that calls it an outage, not incompatible."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    error = urllib.error.HTTPError(releases.PYPI_URL, 502, "Bad Gateway", Message(), None)

    code = releases.main(["check", f"--github-output={output}", f"--summary={summary}"], fetcher=failing(error))

    assert code == 1
    assert output.read_text(encoding="utf-8").startswith("outcome=pypi-error\n")
    assert "PyPI outage, not a verdict on cozepy: PyPI answered HTTP 502" in summary.read_text(encoding="utf-8")
    assert "incompatible" not in summary.read_text(encoding="utf-8")
    assert "PyPI outage" in capsys.readouterr().err


def test_check_command_tests_a_requested_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a version requested by hand (one the table knows, one PyPI yanked, one not a version),
    When the check runs,
    Then the known one is tested anyway, and the others are refused with the reason."""
    output = tmp_path / "output"

    assert releases.main(["check", "--requested=0.20.0", f"--github-output={output}"], fetcher=recorded(NEW)) == 0
    assert releases.main(["check", "--requested=0.20.1"], fetcher=recorded(NEW)) == 2
    assert releases.main(["check", "--requested=latest"], fetcher=recorded(NEW)) == 2

    assert output.read_text(encoding="utf-8") == "outcome=new\nversion=0.20.0\nqueued=\nknown=true\n"
    assert "cozepy 0.20.1 is not an installable release on PyPI (yanked)" in capsys.readouterr().err


# -- the verdict on the new release ---------------------------------------------------------------


def test_compatible_release_becomes_a_pull_request(tmp_path: Path) -> None:
    """Given the latest cells ran cozepy 0.21.0 on every Python and every test passed or was not offered,
    When the watch evaluates them,
    Then the outcome is compatible and the pull request body carries the report's summary."""
    results = new_release_cells(tmp_path / "results")

    evaluation = releases.evaluate(VERSION, results, baseline(("0.20.0",)), pythons=PYTHONS)
    body = releases.evaluation_markdown(evaluation, "https://example.invalid/run/1")

    assert evaluation.outcome == "compatible"
    assert evaluation.title == "Add cozepy 0.21.0 to the version table"
    assert (evaluation.failures, evaluation.not_run, evaluation.not_installable) == ([], {}, {})
    assert evaluation.new_capabilities == []
    assert "### Before merging" in body
    assert "| Story (tests) | latest (0.21.0) |" in body
    assert "Run: https://example.invalid/run/1" in body


def test_broken_release_becomes_an_issue(tmp_path: Path) -> None:
    """Given the latest cells ran cozepy 0.21.0 and one test failed on Python 3.12,
    When the watch evaluates them,
    Then the outcome is incompatible, naming the story and the failing test."""
    results = new_release_cells(tmp_path / "results")
    edit_test(
        results / "py3.12-cozepylatest",
        SYNC_INIT,
        "call",
        outcome="failed",
        longrepr={"reprcrash": {"message": "AttributeError: 'Coze' object has no attribute 'bots'"}},
    )

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)
    body = releases.evaluation_markdown(evaluation)

    assert evaluation.outcome == "incompatible"
    assert evaluation.title == "cozepy 0.21.0 breaks the compatibility matrix (US1)"
    assert evaluation.failures == [
        ("US1", SYNC_INIT, "Python 3.12: AttributeError: 'Coze' object has no attribute 'bots'")
    ]
    assert "### Failing tests" in body
    assert "Before merging" not in body


def test_install_failure_is_not_called_incompatible(tmp_path: Path) -> None:
    """Given cozepy 0.21.0 could not be installed on Python 3.13 (and ran fine elsewhere),
    When the watch evaluates the cells,
    Then the outcome is install-failure, and the body says it is not a verdict on the API."""
    results = new_release_cells(tmp_path / "results", pythons=("3.11", "3.12"))
    folder = results / "py3.13-cozepylatest"
    folder.mkdir()
    record = {"cell": folder.name, "python": "3.13", "cozepy": "latest", "status": "not-installable"}
    (folder / "cell.json").write_text(json.dumps(record), encoding="utf-8")

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)
    body = releases.evaluation_markdown(evaluation)

    assert evaluation.outcome == "install-failure"
    assert evaluation.title == "cozepy 0.21.0 cannot be installed on Python 3.13"
    assert evaluation.not_installable == {"3.13": "installing cozepy 0.21.0 failed"}
    assert "an install problem, not a verdict on its API" in body
    assert "incompatible" not in body.lower()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("missing", "no results (the cell did not run)"),
        ("installing", "the cell stopped while installing"),
        ("other-version", "installed cozepy 0.20.0, not 0.21.0"),
        ("unfinished", "the pytest run did not finish"),
    ],
)
def test_cells_that_did_not_run_make_it_inconclusive(tmp_path: Path, damage: str, reason: str) -> None:
    """Given a Python whose cell is missing, stopped installing, installed another version or did not finish,
    When the watch evaluates the cells,
    Then the outcome is inconclusive (no issue, no pull request) and names that Python."""
    results = new_release_cells(tmp_path / "results")
    folder = results / "py3.13-cozepylatest"
    if damage == "missing":
        shutil.rmtree(folder)
    elif damage == "installing":
        (folder / "cell.json").write_text(json.dumps({"python": "3.13", "status": "installing"}), encoding="utf-8")
    elif damage == "other-version":
        new_release_cells(tmp_path / "other", version="0.20.0", pythons=("3.13",))
        shutil.rmtree(folder)
        shutil.copytree(tmp_path / "other" / folder.name, folder)
    else:
        lines = (folder / "report.jsonl").read_text(encoding="utf-8").splitlines()
        (folder / "report.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)

    assert evaluation.outcome == "inconclusive"
    assert evaluation.not_run == {"3.13": reason}
    assert "some Pythons did not run" in evaluation.title


def test_pytest_that_cannot_start_is_a_break(tmp_path: Path) -> None:
    """Given a cell that installed cozepy 0.21.0 but wrote no pytest report (conftest import failed),
    When the watch evaluates the cells,
    Then the outcome is incompatible."""
    results = new_release_cells(tmp_path / "results")
    (results / "py3.13-cozepylatest" / "report.jsonl").unlink()

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)

    assert evaluation.outcome == "incompatible"
    assert evaluation.failures == [("-", "Python 3.13", "pytest wrote no report: it failed to start")]
    assert evaluation.title == "cozepy 0.21.0 breaks the compatibility matrix"


def test_probe_that_stops_skipping_is_news(tmp_path: Path) -> None:
    """Given a baseline where the User-Agent test is not offered by any pinned release (0.2.0, 0.6.2),
    When the new release runs it (it passes),
    Then the watch reports it as a new capability, and the release is still compatible."""
    results = new_release_cells(tmp_path / "results")

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)
    body = releases.evaluation_markdown(evaluation)

    assert evaluation.outcome == "compatible"
    assert f"{USER_AGENT} (pass; not offered by 0.2.0, 0.6.2)" in evaluation.new_capabilities
    assert "News: new capabilities" in body
    assert evaluation.baseline_note == "Compared with the pinned releases 0.2.0\u20130.6.2 (baseline report)."


def test_capability_the_newest_pinned_offers_and_the_new_release_lacks_is_a_break(tmp_path: Path) -> None:
    """Given the newest pinned release (0.20.0) passes the User-Agent test,
    When the new release skips it as not offered,
    Then the watch reports the lost capability and the outcome is incompatible."""
    results = new_release_cells(tmp_path / "results")
    for python in PYTHONS:
        folder = results / matrix.Cell(python, matrix.LATEST).id
        skipped = ["x.py", 1, "Skipped: not offered by cozepy 0.21.0: the X-Coze-Client-User-Agent header"]
        edit_test(folder, USER_AGENT, "setup", outcome="skipped", longrepr=skipped)
        edit_test(folder, USER_AGENT, "call", drop=True)

    evaluation = releases.evaluate(VERSION, results, baseline(("0.6.2", "0.20.0")), pythons=PYTHONS)

    assert evaluation.outcome == "incompatible"
    assert evaluation.lost_capabilities == [
        f"{USER_AGENT}: not offered by cozepy 0.21.0: the X-Coze-Client-User-Agent header (cozepy 0.20.0: pass)"
    ]


def test_long_report_leaves_the_per_test_tables_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a report longer than an issue body may be,
    When the watch evaluates the release,
    Then the body keeps the summary and findings but not the per-test tables."""
    monkeypatch.setattr(releases, "BODY_LIMIT", 100)
    results = new_release_cells(tmp_path / "results")

    evaluation = releases.evaluate(VERSION, results, None, pythons=PYTHONS)

    assert "| Story (tests) | latest (0.21.0) |" in evaluation.report_markdown
    assert "Tests by story" not in evaluation.report_markdown


def test_without_baseline_capabilities_are_not_compared(tmp_path: Path) -> None:
    """Given no baseline report (or one without pinned releases),
    When the watch evaluates a compatible release,
    Then it still decides, and says that capabilities were not compared."""
    results = new_release_cells(tmp_path / "results")

    without = releases.evaluate(VERSION, results, None, pythons=PYTHONS)
    empty = releases.evaluate(VERSION, results, {"releases": [{"release": "latest"}]}, pythons=PYTHONS)

    assert without.outcome == "compatible"
    assert "No baseline report" in without.baseline_note
    assert "has no pinned release" in empty.baseline_note


def test_evaluate_command_writes_the_files_the_workflow_hands_to_gh(tmp_path: Path) -> None:
    """Given a broken new release, and a compatible one,
    When `python -m coze_compat.releases evaluate` runs for each,
    Then the first writes issue-title.txt and issue.md, the second pr-title.txt and pr.md,
    each with evaluation.json, the outcome in $GITHUB_OUTPUT and the body in the job summary."""
    broken = new_release_cells(tmp_path / "broken")
    edit_test(broken / "py3.11-cozepylatest", SYNC_INIT, "call", outcome="failed", longrepr="AssertionError: x")
    compatible = new_release_cells(tmp_path / "compatible", pythons=matrix.PYTHONS)
    baseline_file = tmp_path / "report.json"
    baseline_file.write_text(json.dumps(baseline()), encoding="utf-8")
    bad_baseline = tmp_path / "bad.json"
    bad_baseline.write_text("{", encoding="utf-8")
    runs = []
    for name, results, baseline_path in (
        ("broken", broken, baseline_file),
        ("compatible", compatible, bad_baseline),
    ):
        out, output, summary = tmp_path / f"{name}-out", tmp_path / f"{name}-output", tmp_path / f"{name}.md"
        arguments = ["evaluate", f"--version={VERSION}", f"--results={results}", f"--baseline={baseline_path}"]
        arguments += [f"--out={out}", f"--github-output={output}", f"--summary={summary}", "--run-url=R"]
        runs.append((releases.main(arguments), out, output.read_text(encoding="utf-8"), summary))

    (broken_code, broken_out, broken_output, broken_summary), (ok_code, ok_out, ok_output, _) = runs
    assert (broken_code, ok_code) == (0, 0)
    assert sorted(path.name for path in broken_out.iterdir()) == ["evaluation.json", "issue-title.txt", "issue.md"]
    assert sorted(path.name for path in ok_out.iterdir()) == ["evaluation.json", "pr-title.txt", "pr.md"]
    assert broken_output == "outcome=incompatible\n"
    assert ok_output == "outcome=compatible\n"
    assert (broken_out / "issue-title.txt").read_text(encoding="utf-8") == (
        "cozepy 0.21.0 breaks the compatibility matrix (US1)\n"
    )
    assert (
        json.loads((broken_out / "evaluation.json").read_text(encoding="utf-8"))["failures"][0]["nodeid"] == SYNC_INIT
    )
    assert broken_summary.read_text(encoding="utf-8") == (broken_out / "issue.md").read_text(encoding="utf-8")
    assert "No baseline report" in (ok_out / "pr.md").read_text(encoding="utf-8")


def test_evaluate_command_fails_when_inconclusive(tmp_path: Path) -> None:
    """Given no cell results at all,
    When the evaluate command runs,
    Then it exits 1 (the run shows red, no issue is opened)."""
    code = releases.main(["evaluate", f"--version={VERSION}", f"--results={tmp_path}", f"--out={tmp_path / 'o'}"])

    assert code == 1
    assert json.loads((tmp_path / "o" / "evaluation.json").read_text(encoding="utf-8"))["outcome"] == "inconclusive"


# -- adding the release to the version table ------------------------------------------------------


def table_copy(folder: Path) -> Path:
    """A copy of the project's version table to edit."""
    path = folder / "releases.json"
    path.write_text(matrix.RELEASES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_the_table_file_is_written_as_the_watch_writes_it() -> None:
    """Given the project's version table,
    When it is written back the way the watch writes it,
    Then nothing changes: the file is in its canonical form, one release per line."""
    text = matrix.RELEASES_FILE.read_text(encoding="utf-8")

    assert releases.table_text(json.loads(text)) == text


def test_add_a_new_release(tmp_path: Path) -> None:
    """Given the version table and a compatible new release 0.21.0,
    When the watch adds it,
    Then it is the newest pinned release, every other entry is unchanged, and the date is updated."""
    path = table_copy(tmp_path)

    releases.add_release(path, "0.21.0", today="2027-01-02")

    table = matrix.read_table(path)
    assert [entry.version for entry in table.releases] == [*matrix.known_versions(), "0.21.0"]
    assert table.releases[-1] == matrix.Release("0.21.0", matrix.PINNED)
    assert table.releases[:-1] == matrix.RELEASES
    assert table.as_of == "2027-01-02"


def test_add_a_patch_of_an_older_line_keeps_the_order(tmp_path: Path) -> None:
    """Given a new patch of an older minor line (0.16.3, after 0.20.0 exists),
    When the watch adds it,
    Then it is pinned between 0.16.2 and 0.17.0: the table stays oldest first."""
    path = table_copy(tmp_path)

    releases.add_release(path, "0.16.3")

    versions = [entry.version for entry in matrix.read_table(path).releases]
    assert versions[versions.index("0.16.2") + 1 : versions.index("0.17.0")] == ["0.16.3"]


def test_add_refuses_what_the_table_cannot_take(tmp_path: Path) -> None:
    """Given a release already in the table (also spelled differently), a broken table, or no version,
    When the watch tries to add it,
    Then it refuses with the reason and leaves the file as it was."""
    path = table_copy(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    with pytest.raises(ValueError, match="already in the version table"):
        releases.add_release(path, matrix.newest_pinned())
    with pytest.raises(ValueError, match="already in the version table"):
        releases.add_release(path, "0.20")  # PEP 440: 0.20 is 0.20.0
    with pytest.raises(matrix.TableError, match="cannot read the version table"):
        releases.add_release(broken, "0.21.0")
    with pytest.raises(matrix.UnknownReleaseError):
        releases.add_release(path, "v-one")
    assert path.read_text(encoding="utf-8") == matrix.RELEASES_FILE.read_text(encoding="utf-8")


def test_add_command_edits_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a copy of the version table,
    When `python -m coze_compat.releases add` adds a release twice,
    Then the first time pins it and the second time is refused with the reason."""
    path = table_copy(tmp_path)

    assert releases.main(["add", "0.21.0", f"--table={path}"]) == 0
    assert releases.main(["add", "0.21.0", f"--table={path}"]) == 2

    assert matrix.read_table(path).releases[-1].version == "0.21.0"
    out = capsys.readouterr()
    assert f"added cozepy 0.21.0 as pinned to {path}" in out.out
    assert "already in the version table" in out.err
