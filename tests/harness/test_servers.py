"""The server as a dimension of the matrix: the Coze Studio cells, their sessions and shards, the
plugin's Studio runs (not served, Studio's breaks), and the report's Studio part."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from coze_compat import ci, cli, matrix, servers
from coze_compat.bugs import all_bugs
from coze_compat.bugs import studio as studio_bugs
from coze_compat.nox import write_cell_record
from coze_compat.report import build, build_studio
from coze_compat.report.__main__ import main as report_main
from coze_compat.report.collect import collect, server_of_folder
from coze_compat.report.jsonreport import render_json
from coze_compat.report.markdown import render_markdown
from coze_compat.report.terminal import render_terminal

STUDIO_CELL = "studio-py3.11-cozepy0.20.0"
CHAT_STREAM = "tests/us4_chat/test_chat_client.py::TestChatOperations::test_create_chat_streaming[compact]"


class TestMatrix:
    def test_studio_cells_are_every_pinned_release_on_one_python(self) -> None:
        """Given the version table,
        When the Studio cells are listed,
        Then there is one per pinned release, on matrix.TOOLS_PYTHON, with the ``studio-`` prefix."""
        cells = list(matrix.studio_cells())
        assert [cell.cozepy for cell in cells] == list(matrix.pinned_releases())
        assert {cell.python for cell in cells} == {matrix.TOOLS_PYTHON}
        assert cells[-1].id == f"studio-py{matrix.TOOLS_PYTHON}-cozepy{matrix.newest_pinned()}"

    def test_hosted_cell_ids_are_unchanged(self) -> None:
        """Given a hosted cell,
        When its id is read,
        Then it has no server prefix."""
        assert matrix.Cell("3.8", "0.2.0").id == "py3.8-cozepy0.2.0"

    def test_cell_record_names_its_server(self, tmp_path: Path) -> None:
        """Given a Studio cell,
        When its cell.json is written,
        Then it goes in its prefixed folder and names the server."""
        folder = write_cell_record(matrix.Cell("3.11", "0.20.0", servers.STUDIO), tmp_path, status="installed")
        assert folder.name == STUDIO_CELL
        assert json.loads((folder / "cell.json").read_text())["server"] == servers.STUDIO


def _listing_entry(session: str, python: str, cozepy: str, server: str | None, tags: list[str]) -> dict[str, Any]:
    spec: dict[str, str] = {"cozepy": cozepy}
    if server is not None:
        spec["server"] = server
    return {"session": session, "name": "tests", "python": python, "tags": tags, "call_spec": spec}


class TestSharding:
    def test_studio_cells_get_their_own_shards(self) -> None:
        """Given a listing with hosted and Studio cells,
        When the jobs' matrix is built,
        Then the Studio cells are sharded apart, in shards named ``studio-...``, after the hosted ones."""
        listing = [
            _listing_entry("tests(py3.11-cozepy0.20.0)", "3.11", "0.20.0", "coze.com", ["tests", "py3.11"]),
            _listing_entry("tests(studio-py3.11-cozepy0.19.0)", "3.11", "0.19.0", "coze-studio", ["tests", "studio"]),
            _listing_entry("tests(studio-py3.11-cozepy0.20.0)", "3.11", "0.20.0", "coze-studio", ["tests", "studio"]),
        ]
        jobs = ci.cells_matrix(listing)["include"]
        assert [job["shard"] for job in jobs] == ["py3.11-cozepy0.20.0", "studio-py3.11-cozepy0.19.0..0.20.0"]
        assert jobs[1]["sessions"] == "tests(studio-py3.11-cozepy0.19.0) tests(studio-py3.11-cozepy0.20.0)"
        assert [job["shard"] for job in ci.cells_matrix(listing, ["tests", "studio"])["include"]] == [
            "studio-py3.11-cozepy0.19.0..0.20.0"
        ]

    def test_unknown_server_is_refused(self) -> None:
        """Given a listed cell of a server the matrix does not know,
        When the jobs' matrix is built,
        Then the error names it."""
        entry = _listing_entry("tests(py3.11-cozepy0.20.0)", "3.11", "0.20.0", "coze.cn", ["tests"])
        with pytest.raises(ci.MatrixError, match=r"server 'coze\.cn' is none of"):
            ci.cells_matrix([entry])

    def test_a_listing_without_server_is_hosted(self) -> None:
        """Given a listing from before the server axis (no ``server`` in call_spec),
        When the jobs' matrix is built,
        Then its cells are hosted cells."""
        entry = _listing_entry("tests(py3.11-cozepy0.20.0)", "3.11", "0.20.0", None, ["tests"])
        assert ci.cells([entry])[0]["server"] == servers.HOSTED


class TestCatalogue:
    def test_studio_bugs_apply_only_in_studio_cells(self) -> None:
        """Given Studio's empty-conversation-id bug,
        When it is asked where it applies,
        Then only in the Studio cells of 0.6.2 and later."""
        bug = studio_bugs.EMPTY_CONVERSATION_ID
        assert bug.applies_to("0.20.0", servers.STUDIO)
        assert not bug.applies_to("0.20.0", servers.HOSTED)
        assert not bug.applies_to("0.6.1", servers.STUDIO)
        assert bug.home == servers.STUDIO

    def test_reason_names_both_causes(self) -> None:
        """Given a Studio bug,
        When its xfail reason is written,
        Then it names the SDK's code and Studio's handler."""
        reason = studio_bugs.EMPTY_CONVERSATION_ID.reason()
        assert "`ChatClient._create` (chat/__init__.py, since 0.6.2)" in reason
        assert "Coze Studio v0.5.1: Hertz's binder" in reason
        assert "backend/api/model/conversation/run/run.go:5122" in reason

    def test_bugs_name_the_tests_they_break(self) -> None:
        """Given a node id of a chat stream test,
        When the Studio bugs naming it are looked up,
        Then the empty conversation id (0.6.2+) and the unknown end event (before 0.16.2) are."""
        ids = [bug.id for bug in studio_bugs.breaking(CHAT_STREAM, servers.STUDIO)]
        assert ids == ["empty-conversation-id-query", "studio-stream-done-invalid"]
        assert studio_bugs.breaking(CHAT_STREAM, servers.HOSTED) == []

    @pytest.mark.parametrize(
        ("pattern", "nodeid", "expected"),
        [
            ("t.py::test_x[*]", "t.py::test_x[a]", True),
            ("t.py::test_x[*]", "t.py::test_xy[a]", False),
            ("t.py::test_x[a]", "t.py::test_x[a]", True),
            ("t.py::test_x[a]", "t.py::test_x[b]", False),
            ("t.py::Test*::test_y", "t.py::TestA::test_y", True),
        ],
    )
    def test_patterns(self, pattern: str, nodeid: str, expected: bool) -> None:
        """Given a pattern of ``Bug.tests``,
        When a node id is matched,
        Then ``[*]`` means every parametrization, and a ``[`` is never a character class."""
        assert studio_bugs.matches(nodeid, pattern) is expected

    def test_hosted_answers_name_studios_answer(self) -> None:
        """Given a test that pins the hosted service's bad-token answer,
        When it is looked up,
        Then Studio's answer and its source are the skip reason."""
        what = studio_bugs.hosted_answer(
            "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_invalid_token_handling"
        )
        assert what is not None
        assert "700012006 (backend/api/middleware/openapi_auth.go:113-150" in what

    def test_every_studio_bug_is_in_the_catalogue(self) -> None:
        """Given the catalogue,
        When it is read,
        Then every Studio bug is in it, with a server cause and tests."""
        catalogue = all_bugs()
        for bug in studio_bugs.BUGS:
            assert catalogue[bug.id] is bug
            assert bug.server_cause
            assert bug.tests


INNER_NOT_SERVED = """
from coze_compat.fake.server import FakeCoze


def test_lists_bots(coze_api: FakeCoze) -> None:
    coze_api.bots.list()


def test_creates_a_conversation(coze_api: FakeCoze) -> None:
    assert coze_api.server == "coze-studio"
"""


class TestPlugin:
    def test_not_served_is_a_skip_naming_the_endpoint(self, pytester: pytest.Pytester) -> None:
        """Given a Studio run (``--coze-compat-server coze-studio``),
        When a test registers an endpoint Studio lacks,
        Then it is skipped "not served by Coze Studio v0.5.1: <endpoint> (<source>)", and ``coze_api`` is Studio."""
        pytester.makepyfile(test_inner=textwrap.dedent(INNER_NOT_SERVED))
        result = pytester.runpytest_inprocess(
            "-p", "coze_compat.pytest_plugin", "--coze-compat-server=coze-studio", "-rs"
        )
        result.assert_outcomes(passed=1, skipped=1)
        result.stdout.fnmatch_lines(
            ["*not served by Coze Studio v0.5.1: GET /v1/bots (no route in backend/api/router/coze/api.go:474-549)*"]
        )

    def test_unknown_server_is_a_usage_error(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
        """Given ``$COZE_COMPAT_SERVER`` naming no server,
        When pytest starts,
        Then it stops with the choices."""
        monkeypatch.setenv(servers.SERVER_ENV, "coze.cn")
        pytester.makepyfile(test_inner="def test_x() -> None:\n    pass\n")
        result = pytester.runpytest_inprocess("-p", "coze_compat.pytest_plugin")
        assert result.ret != 0
        result.stderr.fnmatch_lines(["*unknown server 'coze.cn': choose one of coze.com, coze-studio*"])


def _cell(root: Path, cell_id: str, server: str, outcome: str, **properties: Any) -> None:
    folder = root / cell_id
    folder.mkdir(parents=True)
    cozepy = cell_id.rsplit("cozepy", 1)[1]
    record = {"cell": cell_id, "python": "3.11", "cozepy": cozepy, "server": server, "status": "installed"}
    (folder / "cell.json").write_text(json.dumps(record))
    props = [["story", "US4"], ["task", None], ["cozepy", cozepy], ["server", server], *properties.items()]
    lines = [
        {"$report_type": "SessionStart", "pytest_version": "9"},
        {
            "$report_type": "TestReport",
            "nodeid": CHAT_STREAM,
            "when": "call",
            "outcome": outcome,
            "longrepr": None,
            "user_properties": props,
            **(
                {"wasxfail": "known break in cozepy 0.20.0: [empty-conversation-id-query] x"}
                if outcome == "skipped"
                else {}
            ),
        },
        {"$report_type": "SessionFinish", "exitstatus": 0},
    ]
    (folder / "report.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")


@pytest.fixture
def results(tmp_path: Path) -> Path:
    _cell(tmp_path, "py3.11-cozepy0.19.0", servers.HOSTED, "passed", known_break=None)
    _cell(tmp_path, "py3.11-cozepy0.20.0", servers.HOSTED, "passed", known_break=None)
    _cell(tmp_path, "studio-py3.11-cozepy0.19.0", servers.STUDIO, "passed", known_break=None)
    _cell(tmp_path, STUDIO_CELL, servers.STUDIO, "skipped", known_break="empty-conversation-id-query")
    return tmp_path


class TestReport:
    def test_folder_names_give_the_server(self) -> None:
        """Given results folders,
        When their server is read,
        Then the ``studio-`` prefix is Coze Studio, and the cell id loses it."""
        assert server_of_folder(STUDIO_CELL) == (servers.STUDIO, "py3.11-cozepy0.20.0")
        assert server_of_folder("py3.8-cozepy0.2.0") == (servers.HOSTED, "py3.8-cozepy0.2.0")

    def test_each_server_collects_its_own_cells(self, results: Path) -> None:
        """Given a hosted and a Studio cell of 0.20.0,
        When each server's results are collected,
        Then each sees its own cell, under the unprefixed id."""
        hosted, studio = collect(results), collect(results, server=servers.STUDIO)
        assert list(hosted.cells) == list(studio.cells) == ["py3.11-cozepy0.19.0", "py3.11-cozepy0.20.0"]
        assert hosted.cells["py3.11-cozepy0.20.0"].tests[CHAT_STREAM].known_break is None
        assert studio.cells["py3.11-cozepy0.20.0"].tests[CHAT_STREAM].known_break == "empty-conversation-id-query"

    def test_studio_report_judges_studio_bugs(self, results: Path) -> None:
        """Given the results,
        When the Studio report is built,
        Then it is titled for Studio, and its yardstick holds the Studio bugs only (the hosted, the others)."""
        studio = build_studio(results)
        assert studio is not None
        assert studio.server_title == "Coze Studio v0.5.1"
        judged = {check.bug.id for check in studio.bug_checks}
        assert judged == {bug.id for bug in studio_bugs.BUGS}
        hosted = build(results, pythons=("3.11",), releases=("0.20.0",))
        assert not {check.bug.id for check in hosted.bug_checks} & judged

    def test_no_studio_cells_no_studio_report(self, tmp_path: Path) -> None:
        """Given only hosted cells,
        When the Studio report is asked for,
        Then there is none."""
        _cell(tmp_path, "py3.11-cozepy0.20.0", servers.HOSTED, "passed", known_break=None)
        assert build_studio(tmp_path) is None

    def test_renderings_carry_the_studio_part(self, results: Path, tmp_path: Path) -> None:
        """Given hosted and Studio cells,
        When the report is built,
        Then report.md, report.json, report.html and summary.txt each have the Studio part after the hosted one."""
        out = tmp_path / "out"
        assert report_main(["build", f"--results={results}", f"--out={out}", "--generated=now"]) in (0, 1)
        markdown = (out / "report.md").read_text()
        assert markdown.index("## cozepy compatibility") < markdown.index("## cozepy against Coze Studio v0.5.1")
        data = json.loads((out / "report.json").read_text())
        assert data["server"] == servers.HOSTED
        assert data["servers"][servers.STUDIO]["server"] == servers.STUDIO
        assert '<section id="studio"><h2>Against Coze Studio v0.5.1</h2>' in (out / "report.html").read_text()
        summary = (out / "summary.txt").read_text()
        assert summary.index("Compatibility (worst") < summary.index("Compatibility against Coze Studio v0.5.1")
        assert summary.rstrip().splitlines()[-1] == f"Full report: {(out / 'report.html').resolve()}"

    def test_single_renderers_name_the_server(self, results: Path) -> None:
        """Given the Studio report alone,
        When it is rendered,
        Then the JSON and the terminal summary name Coze Studio."""
        studio = build_studio(results)
        assert studio is not None
        assert json.loads(render_json(studio))["server"] == servers.STUDIO
        assert render_terminal(studio).startswith("Compatibility against Coze Studio v0.5.1")
        assert render_markdown(studio, title="Studio").startswith("## Studio")


class TestCommands:
    def test_report_takes_server(self, results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Given hosted and Studio cells,
        When ``coze-compat report --server coze-studio`` runs,
        Then the report is the Studio cells'."""
        out = tmp_path / "out"
        assert cli.main(["report", f"--results={results}", f"--out={out}", "--server=coze-studio"]) == 0
        assert json.loads((out / "report.json").read_text())["server"] == servers.STUDIO
        assert "against Coze Studio v0.5.1" in capsys.readouterr().out

    def test_upgrade_takes_server(self, results: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Given hosted and Studio cells,
        When ``coze-compat upgrade --server coze-studio`` runs,
        Then the advice is read from the Studio cells (their new break), not the hosted ones."""
        args = ["upgrade", "--from=0.19.0", "--to=0.20.0", f"--results={results}", "--format=json"]
        assert cli.main([*args, "--server=coze-studio"]) == 0
        assert "empty-conversation-id-query" in capsys.readouterr().out
        assert cli.main(args) == 0
        assert "empty-conversation-id-query" not in capsys.readouterr().out

    def test_upgrade_reads_the_studio_part_of_a_report(self, results: Path, tmp_path: Path) -> None:
        """Given a report.json with a Studio part, and one without,
        When ``upgrade --server coze-studio --report`` reads them,
        Then the first works and the second is a clear error."""
        out = tmp_path / "out"
        report_main(["build", f"--results={results}", f"--out={out}", "--generated=now"])
        assert cli.main(["upgrade", "--from=0.19.0", f"--report={out / 'report.json'}", "--server=coze-studio"]) == 0
        hosted_only = tmp_path / "hosted.json"
        data = json.loads((out / "report.json").read_text())
        del data["servers"]
        hosted_only.write_text(json.dumps(data))
        assert cli.main(["upgrade", "--from=0.19.0", f"--report={hosted_only}", "--server=coze-studio"]) == 2
