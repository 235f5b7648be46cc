"""The GitHub workflows: the test matrix they read from nox, and the rules they keep.

``data/nox-list.json`` is a recorded ``nox -l --json`` of the noxfile (140 cells: 19 pinned
releases and ``latest`` x Python 3.8-3.14). The workflow files are checked as text (no YAML
library in the harness venv): the schema and zizmor checks run in the ``workflows`` nox session.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coze_compat import ci, matrix

DATA = Path(__file__).parent / "data"
LISTING: list[dict[str, Any]] = json.loads((DATA / "nox-list.json").read_text(encoding="utf-8"))
#: The releases of the recorded listing (19 then pinned, and latest).
RECORDED_RELEASES = list(dict.fromkeys(entry["call_spec"]["cozepy"] for entry in LISTING if entry["name"] == "tests"))
WORKFLOWS = matrix.PROJECT_ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
USES_RE = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w./-]+)@(?P<ref>\S+)(?P<comment>.*)$")


# -- the matrix ----------------------------------------------------------------------------------


def test_matrix_lists_every_recorded_cell_in_shards() -> None:
    """Given the recorded nox -l --json output (140 cells),
    When the CI matrix is made from it,
    Then every tests session is in exactly one job, Python by Python in the table's order, each job
    runs up to 8 cells of one Python, and it is named after its Python and releases."""
    include = ci.cells_matrix(LISTING)["include"]

    sessions = [session for job in include for session in job["sessions"].split()]
    by_python = [entry["session"] for python in matrix.PYTHONS for entry in LISTING if entry["python"] == python]
    assert sessions == by_python
    assert len(set(sessions)) == 140
    assert len(include) == 7 * 3  # 20 cells per Python: 8 + 8 + 4
    assert include[0] == {
        "shard": "py3.8-cozepy0.2.0..0.9.1",
        "python": "3.8",
        "sessions": " ".join(f"tests(py3.8-cozepy{release})" for release in RECORDED_RELEASES[:8]),
        "cells": " ".join(f"py3.8-cozepy{release}" for release in RECORDED_RELEASES[:8]),
    }
    assert include[-1]["cells"].split()[-1] == "py3.14-cozepylatest"
    assert all({cell.split("-")[0] for cell in job["cells"].split()} == {f"py{job['python']}"} for job in include)


def test_shards_stay_under_githubs_limit_as_releases_grow() -> None:
    """Given 250 releases and latest on the 7 Pythons (1757 cells, far more than GitHub's 256 jobs),
    When they are sharded 8 cells a job,
    Then there are 7 x 32 jobs; and a job size of 0, or one that still makes too many jobs, is an error."""
    many = [
        {
            "session": f"tests(py{python}-cozepy0.{n}.0)",
            "cell": f"py{python}-cozepy0.{n}.0",
            "python": python,
            "cozepy": "",
        }
        for python in matrix.PYTHONS
        for n in range(251)
    ]

    many = [{**cell, "cozepy": cell["cell"].split("cozepy")[1]} for cell in many]

    assert len(ci.shards(many, 8)) == 7 * 32
    with pytest.raises(ci.MatrixError, match="at least 1"):
        ci.shards(many, 0)
    with pytest.raises(ci.MatrixError, match="raise --cells-per-job"):
        ci.shards(many, 1)


def test_matrix_keeps_only_tests_sessions_with_every_tag() -> None:
    """Given a listing that also holds quality sessions,
    When the matrix is made for the tags tests and cozepylatest,
    Then only the seven latest cells remain, one job per Python."""
    listing = [*LISTING, {"session": "lint", "name": "lint", "python": "3.11", "tags": ["quality"], "call_spec": {}}]

    include = ci.cells_matrix(listing, ["tests", "cozepylatest"])["include"]

    assert [job["cells"] for job in include] == [f"py{python}-cozepylatest" for python in matrix.PYTHONS]
    assert include[0]["shard"] == "py3.8-cozepylatest"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"python": "3.7", "call_spec": {"cozepy": "0.2.0"}, "session": "tests(py3.7-cozepy0.2.0)"}, "not in"),
        ({"python": "3.8", "call_spec": {"cozepy": "0.2"}, "session": "tests(py3.8-cozepy0.2)"}, "not a pinned"),
        ({"python": "3.8", "call_spec": {"cozepy": "0.2.0"}, "session": "tests(py3.8-other)"}, "does not match"),
    ],
    ids=["unknown-python", "bad-version", "renamed-session"],
)
def test_matrix_refuses_cells_the_table_would_not_make(entry: dict[str, Any], message: str) -> None:
    """Given a tests session whose Python, version or name the version table would not produce,
    When the matrix is made,
    Then it fails with the reason instead of handing GitHub a wrong job."""
    with pytest.raises(ValueError, match=message):
        ci.cells_matrix([{"name": "tests", "tags": ["tests"], **entry}])


def test_matrix_refuses_nothing_and_too_many_jobs() -> None:
    """Given no tests session at all, or more jobs than GitHub takes,
    When the matrix is made,
    Then it fails with the reason."""
    with pytest.raises(ci.MatrixError, match="no tests session"):
        ci.cells_matrix([])
    with pytest.raises(ci.MatrixError, match="more than GitHub's 256"):
        ci.cells_matrix(LISTING * 2, cells_per_job=1)


def test_matrix_command_writes_the_github_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given the recorded listing,
    When `python -m coze_compat.ci matrix --nox-json FILE --github-output FILE` runs,
    Then $GITHUB_OUTPUT gets one matrix=<compact JSON> line and stdout the same JSON."""
    output = tmp_path / "output"

    code = ci.main(["matrix", f"--nox-json={DATA / 'nox-list.json'}", f"--github-output={output}"])

    assert code == 0
    (line,) = output.read_text(encoding="utf-8").splitlines()
    assert line.startswith('matrix={"include":[{"shard":"py3.8-cozepy0.2.0..0.9.1"')
    assert json.loads(line[len("matrix=") :]) == ci.cells_matrix(LISTING)
    assert json.loads(capsys.readouterr().out) == ci.cells_matrix(LISTING)


def test_matrix_command_runs_nox_list(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Given no listing file,
    When the matrix command runs,
    Then it asks this interpreter's nox for `--list --json --tags ...` in the project and uses its answer."""
    calls: list[list[str]] = []

    def fake_run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        assert options["cwd"] == matrix.PROJECT_ROOT
        return subprocess.CompletedProcess(command, 0, stdout=json.dumps(LISTING), stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)

    assert ci.main(["matrix", "--tags", "tests", "cozepy0.20.0"]) == 0

    assert calls[0][1:] == ["-m", "nox", "--list", "--json", "--tags", "tests", "cozepy0.20.0"]
    assert [job["cells"] for job in json.loads(capsys.readouterr().out)["include"]] == [
        f"py{python}-cozepy0.20.0" for python in matrix.PYTHONS
    ]


def test_matrix_command_reports_a_broken_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given nox printing something that is not a list, or a listing file that is not JSON,
    When the matrix command runs,
    Then it exits 2 with the error."""
    monkeypatch.setattr(
        subprocess, "run", lambda command, **options: subprocess.CompletedProcess(command, 0, stdout="{}", stderr="")
    )
    broken = tmp_path / "listing.json"
    broken.write_text("not json", encoding="utf-8")

    assert ci.main(["matrix"]) == 2
    assert ci.main(["matrix", f"--nox-json={broken}"]) == 2
    assert "did not print a JSON list" in capsys.readouterr().err


# -- the workflow files ---------------------------------------------------------------------------


def run_blocks(text: str) -> list[str]:
    """The shell of every ``run:`` step (inline, ``|`` or ``>-`` blocks)."""
    blocks = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"^(?P<indent>\s*)(?:- )?run: ?(?P<rest>.*)$", line)
        if not match:
            continue
        if match.group("rest") not in ("|", ">-", ">", "|-"):
            blocks.append(match.group("rest"))
            continue
        indent = len(match.group("indent"))
        body = []
        for following in lines[number + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        blocks.append("\n".join(body))
    return blocks


def test_there_are_the_two_workflows() -> None:
    """Given the repository's workflow folder,
    When it is listed,
    Then it holds the CI workflow and the new-release watch."""
    assert [path.name for path in WORKFLOW_FILES] == ["ci.yml", "new-release.yml"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_actions_are_pinned_to_commits_with_their_version(path: Path) -> None:
    """Given a workflow,
    When its `uses:` lines are read,
    Then each action is pinned to a full commit SHA with its version in a comment."""
    uses = [match for match in map(USES_RE.match, path.read_text(encoding="utf-8").splitlines()) if match]

    assert uses
    for match in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", match.group("ref")), f"{match.group('action')} is not pinned to a SHA"
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", match.group("comment")), f"{match.group('action')}: no version"


def test_each_action_has_one_pin_across_workflows() -> None:
    """Given both workflows,
    When their pins are compared,
    Then an action is pinned to the same commit and version everywhere."""
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for match in map(USES_RE.match, path.read_text(encoding="utf-8").splitlines()):
            if match:
                pins.setdefault(match.group("action"), set()).add(match.group("ref") + match.group("comment"))

    assert {action: len(refs) for action, refs in pins.items() if len(refs) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_workflow_keeps_the_security_rules(path: Path) -> None:
    """Given a workflow,
    When it is read,
    Then it grants nothing by default, every job states its permissions, no checkout keeps the
    token, pull_request_target is not used, a concurrency group is set, and no ${{ }} value is
    pasted into shell (values reach run steps through env)."""
    text = path.read_text(encoding="utf-8")
    jobs = re.findall(r"^  ([\w-]+):\n", text.split("\njobs:\n", 1)[1], flags=re.MULTILINE)
    job_blocks = re.split(r"^  [\w-]+:\n", text.split("\njobs:\n", 1)[1], flags=re.MULTILINE)[1:]

    assert "\npermissions: {}\n" in text
    assert "pull_request_target" not in text
    assert "\nconcurrency:\n  group: " in text
    assert jobs
    for name, block in zip(jobs, job_blocks):
        assert "\n    permissions:" in "\n" + block, f"{path.name}: job {name} states no permissions"
    checkouts = text.count("uses: actions/checkout@")
    assert checkouts == text.count("persist-credentials: false"), f"{path.name}: a checkout keeps its token"
    assert [block for block in run_blocks(text) if "${{" in block] == []


def test_ci_workflow_runs_cells_from_nox_and_gates_on_every_job() -> None:
    """Given the CI workflow,
    When it is read,
    Then its matrix comes from the harness, the cells fail on a missing interpreter, their results
    and coverage (hidden .coverage files) are uploaded, the report goes to the job summary, and the
    gate fails when any needed job failed, was cancelled or skipped."""
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")

    assert "python -m coze_compat.ci matrix --tags tests" in text
    assert "matrix: ${{ fromJSON(needs.cells.outputs.matrix) }}" in text
    assert 'nox --error-on-missing-interpreters --report "nox-report/${SHARD}.json" -s "${sessions[@]}"' in text
    assert 'COZE_COMPAT_REPORT_AFTER_CELLS: "0"' in text
    assert "include-hidden-files: true" in text
    assert "nox -s lint typecheck workflows" in text
    assert "nox -s harness" in text
    assert "nox -s coverage" in text
    assert 'nox -s report -- --nox-report nox-report --summary "$GITHUB_STEP_SUMMARY"' in text
    assert "needs: [cells, lint, harness, tests, report]" in text
    assert "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')" in text
    assert text.count("python -m pip install -r constraints/bootstrap.txt") == 5


def test_new_release_workflow_is_driven_by_the_release_watch() -> None:
    """Given the new-release workflow,
    When it is read,
    Then it runs daily and by hand, and every decision is a call of coze_compat.releases:
    check, the latest cells with COZE_COMPAT_LATEST, evaluate, then gh with the files it wrote."""
    text = (WORKFLOWS / "new-release.yml").read_text(encoding="utf-8")

    assert "  schedule:\n    - cron: " in text
    assert "  workflow_dispatch:\n" in text
    assert "python -m coze_compat.releases check" in text
    assert "python -m coze_compat.ci matrix --tags tests cozepylatest" in text
    assert "COZE_COMPAT_LATEST: ${{ needs.check.outputs.version }}" in text
    assert "COZE_COMPAT_LATEST_REQUIRES_PYTHON: ${{ needs.check.outputs.requires_python }}" in text
    assert "requires_python: ${{ steps.check.outputs.requires_python }}" in text
    assert text.count("python -m pip install -r constraints/bootstrap.txt") == 4  # packaging wherever the watch runs
    assert "python -m coze_compat.releases evaluate" in text
    assert "--body-file watch/issue.md" in text
    assert 'python -m coze_compat.releases add "$VERSION"' in text
    assert 'nox -s constraints -- "$VERSION"\n          nox -s dependencies\n' in text
    assert '--body-file "$WATCH/pr.md"' in text
    assert "--label release-watch" in text
