"""The new-release watch: the index's releases against the version table, and the verdict on a new one.

The index is never asked: every test injects a fetcher that returns a recorded answer or raises
what an outage raises. ``data/pypi-simple-cozepy.{json,html}`` are PyPI's Simple API project page
for cozepy as recorded (PEP 691 JSON, PEP 503 HTML); ``data/pypi-simple-cozepy-new.json`` adds, by
hand, the releases the watch must tell apart (a post release, a ``1.0`` that drops Python 3.8, a
pre-release, yanked files, a version without files, one that is not PEP 440). The new release's
cells are made from the recorded ``latest`` cell (``data/cells/py3.11-cozepylatest``), relabelled as
having installed cozepy 0.21.0, and edited to break where a test needs a break.
"""

from __future__ import annotations

import dataclasses
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

from coze_compat import capabilities, matrix, releases
from coze_compat.report import State, build
from coze_compat.report.jsonreport import to_json

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "cells"
CURRENT = DATA / "pypi-simple-cozepy.json"
CURRENT_HTML = DATA / "pypi-simple-cozepy.html"
NEW = DATA / "pypi-simple-cozepy-new.json"
VERSION = "0.21.0"
PYTHONS = ("3.11", "3.12", "3.13")
US1 = "tests/us1_setup/test_coze_client.py::"
SYNC_INIT = US1 + "TestCozeClientInitialization::test_sync_client_init"
USER_AGENT = "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_client_user_agent_header"

Fetch = Callable[[str, float], "tuple[bytes, str]"]


def recorded(path: Path, content_type: str = releases.SIMPLE_JSON) -> Fetch:
    """A fetcher that answers PyPI's project page with a recorded document."""

    def fetch(url: str, timeout: float) -> tuple[bytes, str]:
        assert url == releases.PYPI_URL
        assert timeout == releases.TIMEOUT
        return path.read_bytes(), content_type

    return fetch


def failing(error: BaseException) -> Fetch:
    def fetch(url: str, timeout: float) -> tuple[bytes, str]:
        raise error

    return fetch


def answering(body: bytes, content_type: str = releases.SIMPLE_JSON) -> Fetch:
    def fetch(url: str, timeout: float) -> tuple[bytes, str]:
        return body, content_type

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


def record_capability(cell: Path, nodeid: str, name: str, offered: bool) -> None:
    """Add what the pytest plugin records for a test marked ``needs(name)``: whether the release offers it."""
    lines = []
    for line in (cell / "report.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("nodeid") == nodeid and record.get("$report_type") == "TestReport":
            record["user_properties"] = [*record.get("user_properties", []), ["capabilities", {name: offered}]]
        lines.append(json.dumps(record))
    (cell / "report.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def baseline(pinned: tuple[str, ...] = ("0.2.0", "0.6.2"), results: Path = RESULTS) -> dict[str, Any]:
    """The CI report JSON of the recorded results for ``pinned`` (the watch's baseline)."""
    return to_json(build(results, pythons=PYTHONS, releases=(*pinned, matrix.LATEST)))


def check_of(path: Path = NEW) -> releases.Check:
    return releases.find_new(releases.fetch_index(recorded(path)), matrix.known_versions())


# -- the index -----------------------------------------------------------------------------------


def test_no_new_release() -> None:
    """Given PyPI's recorded project page, which lists exactly the releases of the version table,
    When the watch compares them,
    Then there is nothing to test."""
    check = check_of(CURRENT)

    assert (check.outcome, check.target, check.new, check.prereleases, check.ignored) == ("none", None, [], [], {})
    assert "No new cozepy release: every final release on PyPI is in the version table." in releases.check_summary(
        check
    )


def test_json_and_html_pages_say_the_same() -> None:
    """Given PyPI's project page recorded as PEP 691 JSON and as PEP 503 HTML,
    When the watch reads each,
    Then both give the same releases, files, requires-python and yanked state."""
    from_json = releases.fetch_index(recorded(CURRENT))
    from_html = releases.fetch_index(recorded(CURRENT_HTML, "text/html"))

    assert len(from_json) == len(matrix.known_versions())
    assert {version: sorted(files, key=str) for version, files in from_json.items()} == {
        version: sorted(files, key=str) for version, files in from_html.items()
    }
    assert sorted(from_json["0.20.0"], key=str) == [
        releases.DistFile("cozepy-0.20.0-py3-none-any.whl", "<4.0,>=3.7"),
        releases.DistFile("cozepy-0.20.0.tar.gz", "<4.0,>=3.7"),
    ]


def test_every_pep440_release_is_found_and_unfit_ones_are_set_aside() -> None:
    """Given the index lists 0.21.0, a post release, a 1.0, a release candidate, a release whose files
    are all yanked, one without files, a version that is not PEP 440 and a file that is no release,
    When the watch compares them with the version table,
    Then every final release is new (oldest first: 0.21.0 is tested, the others queued), the
    pre-release is available, and the others are set aside with the reason."""
    check = check_of()

    assert (check.outcome, check.target) == ("new", "0.21.0")
    assert (check.new, check.queued) == (["0.21.0", "0.21.0.post1", "1.0"], ["0.21.0.post1", "1.0"])
    assert check.prereleases == ["0.22.0rc1"]
    assert check.ignored == {
        "0.19.1": "no files on the index",
        "0.20.1": "yanked: a broken upload",
        "0.x": "not a PEP 440 version",
    }
    summary = releases.check_summary(check)
    assert "Testing **cozepy 0.21.0**" in summary
    assert "Tested by the next runs, one at a time: 0.21.0.post1, 1.0." in summary
    assert "Pre-releases available, tested only when asked (`check --requested 0.22.0rc1`): 0.22.0rc1." in summary
    assert "- 0.20.1: not tested (yanked: a broken upload)." in summary


def test_a_release_with_one_yanked_file_is_still_installable() -> None:
    """Given 0.21.0 whose sdist is yanked but whose wheel is not,
    When the watch reads its requires-python,
    Then the release is new and its requires-python is the wheel's."""
    check = check_of()

    assert "0.21.0" in check.new
    assert check.requires_python["0.21.0"] == "<4.0,>=3.8"


def test_a_release_that_drops_a_python_is_known_before_a_cell_fails(tmp_path: Path) -> None:
    """Given 1.0 requires Python >=3.9,
    When the check is asked to test it,
    Then the summary names Python 3.8 as unsupported and the outputs hand the workflow its
    requires-python, so the 3.8 cell is skipped with that reason rather than failing to install."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"

    code = releases.main(
        ["check", "--requested=1.0", f"--github-output={output}", f"--summary={summary}"], fetcher=recorded(NEW)
    )

    assert code == 0
    assert output.read_text(encoding="utf-8") == (
        "outcome=new\nversion=1.0\nqueued=\nknown=false\nrequires_python=<4.0,>=3.9\nunsupported=3.8\n"
    )
    assert (
        "cozepy 1.0 requires Python <4.0,>=3.9: it does not support Python 3.8, whose `latest` cells are skipped"
        in summary.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    ("spec", "python", "supported"),
    [
        ("", "3.8", True),
        ("<4.0,>=3.9", "3.8", False),
        ("<4.0,>=3.9", "3.9", True),
        (">=3.8.1", "3.8", True),
        ("<3.14", "3.14", False),
        ("!=3.10.*", "3.10", False),
        ("not a specifier", "3.8", True),
    ],
)
def test_which_pythons_a_requires_python_supports(spec: str, python: str, supported: bool) -> None:
    """Given a release's requires-python and a Python of the matrix,
    When the watch asks whether some release of that Python satisfies it,
    Then a later patch counts (>=3.8.1 supports 3.8) and an unreadable specifier excludes nothing."""
    assert matrix.python_supported(spec, python) is supported


def test_pre_release_is_tested_when_requested(tmp_path: Path) -> None:
    """Given a release candidate on the index,
    When the check is asked for it,
    Then it is the release tested."""
    output = tmp_path / "output"

    assert releases.main(["check", "--requested=0.22.0rc1", f"--github-output={output}"], fetcher=recorded(NEW)) == 0

    assert output.read_text(encoding="utf-8").startswith("outcome=new\nversion=0.22.0rc1\n")


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
        releases.fetch_index(failing(error))


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<html>Service Unavailable</html>", releases.SIMPLE_JSON, "is not valid JSON"),
        (b"\xff\xfe", releases.SIMPLE_JSON, "is not valid JSON or HTML"),
        (b'{"info": {}}', releases.SIMPLE_JSON, "no 'files' list"),
        (b"[]", "application/json", "no 'files' list"),
        (b'{"meta": {"api-version": "2.0"}, "files": []}', releases.SIMPLE_JSON, "Simple API version 2.0"),
        (b"cozepy 0.20.0", "text/plain", "neither Simple API JSON nor HTML"),
    ],
    ids=["html-as-json", "not-utf8", "legacy-json", "list", "api-2", "plain-text"],
)
def test_answer_that_is_not_a_project_page_is_an_outage(body: bytes, content_type: str, message: str) -> None:
    """Given the index answers 200 with something that is not a Simple API project page,
    When the watch reads it,
    Then it raises PypiError saying the answer is invalid."""
    with pytest.raises(releases.PypiError, match=message):
        releases.fetch_index(answering(body, content_type))


def test_html_page_of_a_plain_index() -> None:
    """Given a PEP 503 page as a plain index serves it (pypiserver: no requires-python), with a
    PEP 592 yanked file and one yanked without a reason,
    When the watch reads it,
    Then the files, their yanked state and the missing requires-python are read as such."""
    page = (
        b'<html><body><a href="/packages/cozepy-0.21.0-py3-none-any.whl#sha256=00">cozepy-0.21.0-py3-none-any.whl</a>'
        b'<a href="/packages/cozepy-0.21.1.tar.gz" data-yanked="bad &amp; broken" data-requires-python="&gt;=3.9">'
        b'cozepy-0.21.1.tar.gz</a><a href="/packages/cozepy-0.21.2.tar.gz" data-yanked></a></body></html>'
    )

    index = releases.fetch_index(answering(page, "text/html"))

    assert index == {
        "0.21.0": [releases.DistFile("cozepy-0.21.0-py3-none-any.whl")],
        "0.21.1": [releases.DistFile("cozepy-0.21.1.tar.gz", ">=3.9", "bad & broken")],
        "0.21.2": [releases.DistFile("cozepy-0.21.2.tar.gz", "", "")],
    }
    check = releases.find_new(index, matrix.known_versions())
    assert (check.new, check.ignored) == (["0.21.0"], {"0.21.1": "yanked: bad & broken", "0.21.2": "yanked"})


def test_default_fetcher_reads_through_urllib() -> None:
    """Given the recorded project page as a file: URL (no network),
    When the default urllib fetcher reads it,
    Then it returns the document's bytes and a JSON content type, which the watch reads."""
    body, content_type = releases.urllib_fetch(NEW.as_uri(), 5)

    assert (body, content_type) == (NEW.read_bytes(), "application/json")
    assert "1.0" in releases.parse_project_page(body, content_type)


def test_check_command_outputs_for_the_workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given PyPI lists a new release,
    When `python -m coze_compat.releases check` runs with the workflow's output files,
    Then $GITHUB_OUTPUT gets outcome=new, the version, the queue and the requires-python,
    and the job summary says what is tested."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"

    code = releases.main(["check", f"--github-output={output}", f"--summary={summary}"], fetcher=recorded(NEW))

    assert code == 0
    assert output.read_text(encoding="utf-8") == (
        "outcome=new\nversion=0.21.0\nqueued=0.21.0.post1 1.0\nknown=false\nrequires_python=<4.0,>=3.8\nunsupported=\n"
    )
    assert "Testing **cozepy 0.21.0**" in summary.read_text(encoding="utf-8")
    assert "Testing **cozepy 0.21.0**" in capsys.readouterr().out


def test_check_command_with_no_new_release(tmp_path: Path) -> None:
    """Given PyPI lists only known releases,
    When the check runs,
    Then outcome=none and no version."""
    output = tmp_path / "output"

    assert releases.main(["check", f"--github-output={output}"], fetcher=recorded(CURRENT)) == 0

    assert output.read_text(encoding="utf-8") == (
        "outcome=none\nversion=\nqueued=\nknown=false\nrequires_python=\nunsupported=\n"
    )


def test_check_command_reports_a_pypi_outage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given PyPI answers 502,
    When the check runs,
    Then it exits 1 with outcome=pypi-error and a summary that calls it an outage, not incompatible."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    error = urllib.error.HTTPError(releases.PYPI_URL, 502, "Bad Gateway", Message(), None)

    code = releases.main(["check", f"--github-output={output}", f"--summary={summary}"], fetcher=failing(error))

    assert code == 1
    assert output.read_text(encoding="utf-8").startswith("outcome=pypi-error\n")
    assert "Outage of PyPI, not a verdict on cozepy: PyPI answered HTTP 502" in summary.read_text(encoding="utf-8")
    assert "incompatible" not in summary.read_text(encoding="utf-8")
    assert "Outage of PyPI" in capsys.readouterr().err


def test_check_command_tests_a_requested_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a version requested by hand (one the table knows, spelled as PEP 440 allows; one whose
    files are all yanked; one that is not a version),
    When the check runs,
    Then the known one is tested anyway, and the others are refused with the reason."""
    output = tmp_path / "output"

    assert releases.main(["check", "--requested=0.20", f"--github-output={output}"], fetcher=recorded(NEW)) == 0
    assert releases.main(["check", "--requested=0.20.1"], fetcher=recorded(NEW)) == 2
    assert releases.main(["check", "--requested=latest"], fetcher=recorded(NEW)) == 2

    assert output.read_text(encoding="utf-8").startswith("outcome=new\nversion=0.20.0\nqueued=\nknown=true\n")
    assert "cozepy 0.20.1 is not an installable release on PyPI (yanked: a broken upload)" in capsys.readouterr().err


def test_check_command_names_the_index_it_asked(tmp_path: Path) -> None:
    """Given the check pointed at a local index (as the rehearsal does),
    When the index lists a new release,
    Then the summary names that index, not PyPI."""
    summary = tmp_path / "summary.md"
    url = "http://127.0.0.1:8080/simple/cozepy/"

    assert releases.main(["check", f"--url={url}", f"--summary={summary}"], fetcher=answering(NEW.read_bytes())) == 0

    assert "New on the package index at 127.0.0.1, not in the version table: 0.21.0" in summary.read_text("utf-8")


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


def test_known_break_still_there_is_not_a_break(tmp_path: Path) -> None:
    """Given the latest cells ran cozepy 0.21.0 and one test is a known break there (a catalogue bug not fixed up
    to the newest pinned release, so its range takes in 0.21.0 too: a strict xfail),
    When the watch evaluates them,
    Then the release is compatible: the bug is already recorded, not news."""
    results = new_release_cells(tmp_path / "results")
    edit_test(
        results / "py3.12-cozepylatest",
        SYNC_INIT,
        "call",
        outcome="skipped",
        wasxfail="known break in cozepy 0.21.0: [logging-not-propagated] ...; not fixed up to 0.20.0",
    )

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)

    assert evaluation.failures == []
    assert evaluation.outcome == "compatible"


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


def test_a_baseline_of_the_first_report_schema_is_still_read(tmp_path: Path) -> None:
    """Given a baseline written by a report of schema 1 (every state spelled out per Python), where
    the User-Agent test is not offered by the pinned releases,
    When the new release runs it,
    Then the watch reads the old baseline and reports the news as from a current one."""
    results = new_release_cells(tmp_path / "results")
    old = {
        "schema": "coze-compat-report/1",
        "releases": [{"release": "0.2.0"}, {"release": "0.6.2"}, {"release": "latest"}],
        "stories": [
            {
                "tests": [
                    {
                        "nodeid": USER_AGENT,
                        "releases": {
                            release: {"by_python": {"3.11": {"state": "not-offered"}, "3.13": {"state": "not-run"}}}
                            for release in ("0.2.0", "0.6.2", "latest")
                        },
                    }
                ]
            }
        ],
    }

    evaluation = releases.evaluate(VERSION, results, old, pythons=PYTHONS)

    assert f"{USER_AGENT} (pass; not offered by 0.2.0, 0.6.2)" in evaluation.new_capabilities


def lose_user_agent(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The new release's cells skip the User-Agent test as not offered (the plugin recording the
    capability missing), and a baseline where 0.20.0 offers it; returns (results, baseline)."""
    recorded_cells = tmp_path / "recorded"
    shutil.copytree(RESULTS, recorded_cells)
    for python in PYTHONS:
        record_capability(recorded_cells / f"py{python}-cozepy0.20.0", USER_AGENT, "client_user_agent_header", True)
    results = new_release_cells(tmp_path / "results")
    for python in PYTHONS:
        folder = results / matrix.Cell(python, matrix.LATEST).id
        skipped = ["x.py", 1, "Skipped: not offered by cozepy 0.21.0: the X-Coze-Client-User-Agent header"]
        edit_test(folder, USER_AGENT, "setup", outcome="skipped", longrepr=skipped)
        edit_test(folder, USER_AGENT, "call", drop=True)
        record_capability(folder, USER_AGENT, "client_user_agent_header", False)
    return results, baseline(("0.6.2", "0.20.0"), recorded_cells)


def test_capability_the_newest_pinned_offers_and_the_new_release_lacks_is_a_break(tmp_path: Path) -> None:
    """Given the newest pinned release (0.20.0) offers the User-Agent header (as its cells recorded),
    When the new release's cells skip its test as not offered,
    Then the watch reports the lost capability with its test, names its story, and the outcome is
    incompatible: the rule the report applies between pinned releases."""
    results, pinned = lose_user_agent(tmp_path)

    evaluation = releases.evaluate(VERSION, results, pinned, pythons=PYTHONS)
    body = releases.evaluation_markdown(evaluation)

    assert evaluation.outcome == "incompatible"
    assert evaluation.title == "cozepy 0.21.0 breaks the compatibility matrix (US2)"
    assert evaluation.failures == []
    assert evaluation.lost_capabilities == [
        "`client_user_agent_header`: the X-Coze-Client-User-Agent header (cozepy 0.20.0 offers it, 0.21.0 does not; "
        f"skipped for it: `{USER_AGENT}`)"
    ]
    assert "### Lost capabilities (a break)" in body


def test_capability_removed_deliberately_is_not_a_break(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given the capability records its removal in 0.21.0 (`Capability(removed_in=...)`),
    When the new release lacks it,
    Then the release is compatible and the body lists the removal with its reason."""
    table = capabilities.registry()
    removed = dataclasses.replace(table["client_user_agent_header"], removed_in={"0.21.0": "replaced by User-Agent"})
    monkeypatch.setitem(table, "client_user_agent_header", removed)
    results, pinned = lose_user_agent(tmp_path)

    evaluation = releases.evaluate(VERSION, results, pinned, pythons=PYTHONS)

    assert (evaluation.outcome, evaluation.lost_capabilities) == ("compatible", [])
    assert evaluation.removed_capabilities == [
        "`client_user_agent_header`: the X-Coze-Client-User-Agent header (cozepy 0.20.0 offers it, 0.21.0 does not; "
        f"skipped for it: `{USER_AGENT}`): removed deliberately (replaced by User-Agent)"
    ]
    assert "Capabilities removed deliberately" in releases.evaluation_markdown(evaluation)


def test_baseline_without_capability_data_says_so(tmp_path: Path) -> None:
    """Given a baseline report written before capabilities were recorded (no `capabilities` key),
    When the watch evaluates a release,
    Then it decides on the tests and says lost capabilities were not checked."""
    pinned = baseline()
    del pinned["capabilities"]

    evaluation = releases.evaluate(VERSION, new_release_cells(tmp_path / "results"), pinned, pythons=PYTHONS)

    assert evaluation.outcome == "compatible"
    assert "The baseline has no capability data: lost capabilities were not checked." in evaluation.baseline_note


def test_python_the_release_does_not_support_is_skipped_not_failed(tmp_path: Path) -> None:
    """Given the release requires Python >=3.12 and the noxfile skipped its 3.11 cell for that
    (cell.json status `unsupported`, with the reason), and the other cells passed,
    When the watch evaluates the cells,
    Then the release is compatible, 3.11 is listed as not supported with the reason, and the
    report shows that cell as not run, with the reason."""
    results = new_release_cells(tmp_path / "results", pythons=("3.12", "3.13"))
    folder = results / "py3.11-cozepylatest"
    folder.mkdir()
    reason = "cozepy 0.21.0 requires Python >=3.12: it does not support Python 3.11"
    record = {"cell": folder.name, "python": "3.11", "cozepy": "latest", "status": "unsupported", "reason": reason}
    (folder / "cell.json").write_text(json.dumps(record), encoding="utf-8")

    evaluation = releases.evaluate(VERSION, results, baseline(), pythons=PYTHONS)
    report = build(results, pythons=PYTHONS, releases=[matrix.LATEST])

    assert (evaluation.outcome, evaluation.unsupported, evaluation.not_run) == ("compatible", {"3.11": reason}, {})
    assert "### Not supported by the release (skipped)" in releases.evaluation_markdown(evaluation)
    verdict = report.stories[0].tests[0].cells["py3.11-cozepylatest"]
    assert (verdict.state, verdict.reason, verdict.whole_cell) == (State.NOT_RUN, reason, True)


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
