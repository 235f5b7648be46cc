"""The pytest plugin: not-offered skips, known breaks, per-test metadata, the fake's teardown check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coze_compat import capabilities, pytest_plugin, stories

INNER = ["-p", "coze_compat.pytest_plugin", "-p", "no:randomly", "-p", "no:cacheprovider"]


@pytest.fixture
def no_async_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the installed cozepy lacks AsyncCoze."""

    def missing(name: str) -> str | None:
        return "not offered by cozepy 0.2.0: AsyncCoze (the async client)" if name == "async_client" else None

    monkeypatch.setattr(capabilities, "missing", missing)


def test_needs_skips_as_not_offered(pytester: pytest.Pytester, no_async_client: None) -> None:
    """Given a test that needs a capability the installed cozepy lacks,
    When the suite runs,
    Then the test is skipped with the not-offered reason, and a test without the need runs."""
    pytester.makepyfile(
        test_inner="""
        import pytest

        @pytest.mark.needs("async_client")
        def test_async():
            raise AssertionError("must not run")

        def test_plain():
            pass
        """
    )

    result = pytester.runpytest_inprocess(*INNER, "-rs")

    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*not offered by cozepy 0.2.0: AsyncCoze (the async client)*"])


@pytest.fixture
def in_matrix(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The inner runs are matrix cells: ``$COZE_COMPAT_RESULTS`` names their results folder."""
    folder = pytester.path / "results"
    monkeypatch.setenv(pytest_plugin.RESULTS_ENV, str(folder))
    return folder


@pytest.fixture
def outside_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner runs are a team's plain pytest runs (the harness session itself runs as a cell)."""
    monkeypatch.delenv(pytest_plugin.RESULTS_ENV, raising=False)


def test_needs_records_which_capabilities_the_release_offers(
    pytester: pytest.Pytester, no_async_client: None, in_matrix: Path
) -> None:
    """Given a test that needs a capability the release lacks and one it offers, and a test without needs,
    When the suite runs with a report log,
    Then the first test's reports record both capabilities by name with whether they are offered
    (what the report finds lost capabilities from), and the other test records none."""
    pytester.makepyfile(
        test_inner="""
        import pytest

        @pytest.mark.needs("async_client", "async_token_auth")
        def test_async():
            pass

        def test_plain():
            pass
        """
    )
    log = pytester.path / "log.jsonl"

    pytester.runpytest_inprocess(*INNER, f"--report-log={log}").assert_outcomes(passed=1, skipped=1)

    reports = [json.loads(line) for line in log.read_text().splitlines() if '"when": "setup"' in line]
    recorded = {report["nodeid"]: dict(report["user_properties"]).get("capabilities") for report in reports}
    assert recorded == {
        "test_inner.py::test_async": {"async_client": False, "async_token_auth": True},
        "test_inner.py::test_plain": None,
    }


def test_known_break_is_a_strict_xfail_on_its_releases(pytester: pytest.Pytester, in_matrix: Path) -> None:
    """Given tests marked with bugs of the installed release, and of another release,
    When the suite runs as a matrix cell,
    Then a failing one is xfailed with the bug's id, cause and fix, a passing one fails (strict),
    the other runs; the first bug that applies is the one reported, the others that apply recorded as masked."""
    installed = capabilities.cozepy_version()
    pytester.makepyfile(
        test_inner=f"""
        import pytest
        from coze_compat.bugs import Bug

        HERE = Bug("wrong-header", "the header is wrong", "=={installed}", "sends the wrong header")
        ALSO = Bug("wrong-body", "the body is wrong too", ">=0.0.1", "sends the wrong body")
        ELSEWHERE = Bug("only-there", "elsewhere", "==0.0.1", "only there")

        @pytest.mark.known_break(ELSEWHERE, HERE, ALSO)
        def test_still_broken():
            assert False

        @pytest.mark.known_break(HERE)
        def test_fixed_now():
            pass

        @pytest.mark.known_break(ELSEWHERE)
        def test_fine_here():
            pass
        """
    )
    log = pytester.path / "log.jsonl"

    result = pytester.runpytest_inprocess(*INNER, "-rxX", f"--report-log={log}")

    result.assert_outcomes(passed=1, failed=1, xfailed=1)
    result.stdout.fnmatch_lines([f"*known break in cozepy {installed}: [[]wrong-header[]] sends the wrong header; *"])
    calls = [report for report in map(json.loads, log.read_text().splitlines()) if report.get("when") == "call"]
    shown = {
        report["nodeid"]: (
            dict(report["user_properties"])["known_break"],
            dict(report["user_properties"])["masked_breaks"],
        )
        for report in calls
    }
    assert shown == {
        "test_inner.py::test_still_broken": ("wrong-header", ["wrong-body"]),
        "test_inner.py::test_fixed_now": ("wrong-header", []),
        "test_inner.py::test_fine_here": (None, []),
    }


def test_property_tests_are_derandomized_with_the_project_budget(pytester: pytest.Pytester) -> None:
    """Given a pyproject.toml setting the property tests' example budget,
    When a Hypothesis test runs under the plugin,
    Then it runs exactly that many examples, derandomized, without an example database."""
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ncoze_compat_max_examples = "7"\n')
    pytester.makepyfile(
        test_inner="""
        from hypothesis import given, settings, strategies as st

        SEEN = []

        @given(st.integers())
        def test_counts(number):
            SEEN.append(number)

        def test_after():
            assert len(SEEN) == 7
            assert settings.default.derandomize
            assert settings.default.database is None
        """
    )

    pytester.runpytest_inprocess(*INNER).assert_outcomes(passed=2)


def test_known_break_takes_only_catalogue_bugs(pytester: pytest.Pytester) -> None:
    """Given a known_break marker written the old way (releases and reason, no bug),
    When the suite is collected,
    Then it stops with a usage error naming the test and how to write the marker."""
    pytester.makepyfile(
        test_inner="""
        import pytest

        @pytest.mark.known_break(releases="<0.7.0", reason="something")
        def test_old_style():
            pass
        """
    )

    result = pytester.runpytest_inprocess(*INNER)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_inner.py::test_old_style: known_break takes bugs of the catalogue*"])


def test_reports_carry_story_task_and_release(pytester: pytest.Pytester, in_matrix: Path) -> None:
    """Given a seed test in a story package,
    When the suite runs as a matrix cell with a report log,
    Then each report names the story, the seed task, the cozepy version and the bug it shows (none)."""
    pytester.mkpydir("us3_bots")
    pytester.makepyfile(
        **{
            "us3_bots/test_inner": """
            import pytest

            @pytest.mark.seed("T019")
            def test_seeded():
                pass
            """
        }
    )
    log = pytester.path / "log.jsonl"

    pytester.runpytest_inprocess(*INNER, f"--report-log={log}").assert_outcomes(passed=1)

    reports = [json.loads(line) for line in log.read_text().splitlines()]
    properties = [report["user_properties"] for report in reports if report.get("when") == "call"]
    assert properties == [
        [
            ["story", "US3"],
            ["task", "T019"],
            ["cozepy", capabilities.cozepy_version()],
            ["server", "coze.com"],
            ["known_break", None],
            ["masked_breaks", []],
        ]
    ]


def test_environment_is_recorded(pytester: pytest.Pytester, in_matrix: Path) -> None:
    """Given COZE_COMPAT_RESULTS names a folder,
    When the suite starts,
    Then environment.json records the Python and the versions of cozepy and its dependencies."""
    pytester.makepyfile(test_inner="def test_nothing():\n    pass\n")

    pytester.runpytest_inprocess(*INNER).assert_outcomes(passed=1)

    environment = json.loads((in_matrix / "environment.json").read_text())
    assert environment["distributions"]["cozepy"] == capabilities.cozepy_version()
    assert set(environment["distributions"]) == set(pytest_plugin.DISTRIBUTIONS)
    assert environment["implementation"] == "CPython"


def test_results_option_makes_a_matrix_cell(pytester: pytest.Pytester, outside_matrix: None) -> None:
    """Given no COZE_COMPAT_RESULTS but the --coze-compat-results option,
    When the suite runs,
    Then environment.json is written into the option's folder and reports carry the cell's properties."""
    folder = pytester.path / "cell"
    pytester.makepyfile(test_inner="def test_nothing():\n    pass\n")
    log = pytester.path / "log.jsonl"

    pytester.runpytest_inprocess(*INNER, f"--coze-compat-results={folder}", f"--report-log={log}").assert_outcomes(
        passed=1
    )

    assert json.loads((folder / "environment.json").read_text())["distributions"]["pytest"] == pytest.__version__
    calls = [json.loads(line) for line in log.read_text().splitlines() if '"when": "call"' in line]
    assert [dict(call["user_properties"])["cozepy"] for call in calls] == [capabilities.cozepy_version()]


def test_outside_the_matrix_the_plugin_records_nothing(pytester: pytest.Pytester, outside_matrix: None) -> None:
    """Given a team's plain run (no results folder) with strict markers, a known break and a needs marker,
    When the suite runs with a report log,
    Then the markers are accepted and applied, no report carries user properties, no environment.json is written."""
    installed = capabilities.cozepy_version()
    pytester.makepyfile(
        test_inner=f"""
        import pytest
        from coze_compat.bugs import Bug

        HERE = Bug("wrong-header", "the header is wrong", "=={installed}", "sends the wrong header")

        @pytest.mark.known_break(HERE)
        def test_broken():
            assert False

        @pytest.mark.needs("async_client")
        def test_needs():
            pass
        """
    )
    log = pytester.path / "log.jsonl"

    pytester.runpytest_inprocess(*INNER, "--strict-markers", f"--report-log={log}").assert_outcomes(passed=1, xfailed=1)

    reports = [json.loads(line) for line in log.read_text().splitlines()]
    assert [report["user_properties"] for report in reports if report.get("when") == "call"] == [[], []]
    assert list(pytester.path.rglob("environment.json")) == []


def test_client_fixtures_reach_the_fake(pytester: pytest.Pytester, outside_matrix: None) -> None:
    """Given a team's tests asking for the plugin's ``coze`` and ``async_coze`` clients,
    When each retrieves a bot the fake serves,
    Then both reach the fake with its token, and the fake verifies the routes at teardown."""
    pytester.makepyfile(
        test_inner="""
        import pytest
        from coze_compat.fake.bots import BotRecord

        def test_sync(coze_api, coze, coze_api_token):
            coze_api.bots.add(BotRecord(bot_id="7379462189365198898", name="Helper"))
            coze_api.bots.retrieve()
            assert coze.bots.retrieve(bot_id="7379462189365198898").name == "Helper"
            assert coze_api.last_request().headers["authorization"] == f"Bearer {coze_api_token}"

        @pytest.mark.anyio
        async def test_async(coze_api, async_coze):
            coze_api.bots.add(BotRecord(bot_id="7379462189365198898", name="Helper"))
            coze_api.bots.retrieve()
            bot = await async_coze.bots.retrieve(bot_id="7379462189365198898")
            assert bot.name == "Helper"
        """
    )

    pytester.runpytest_inprocess(*INNER).assert_outcomes(passed=2)


def test_fake_verify_runs_at_teardown_unless_the_test_failed(pytester: pytest.Pytester) -> None:
    """Given one test that registers a route it never calls, and one that fails after doing the same,
    When the suite runs,
    Then the first errors at teardown naming the route, the second reports only its own failure."""
    pytester.makepyfile(
        test_inner="""
        def test_forgets_the_call(coze_api):
            coze_api.bots.retrieve()

        def test_fails_first(coze_api):
            coze_api.bots.retrieve()
            assert 1 == 2
        """
    )

    result = pytester.runpytest_inprocess(*INNER, "-vv")  # -vv: the summary lines are not truncated

    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "FAILED test_inner.py::test_fails_first - assert 1 == 2",
            "ERROR test_inner.py::test_forgets_the_call - *registered but never called: bots.retrieve*",
        ]
    )
    result.stdout.no_fnmatch_line("ERROR test_inner.py::test_fails_first*")


@pytest.mark.parametrize(
    ("nodeid", "story"),
    [
        ("tests/us1_setup/test_coze_client.py::TestX::test_y", "US1"),
        ("tests/us5_workflows/test_workflow_client.py::test_z", "US5"),
        ("tests/harness/test_plugin.py::test_q", None),
    ],
)
def test_story_of(nodeid: str, story: str | None) -> None:
    """Given a test's node id,
    When its story is derived,
    Then it comes from the story package, or is None outside the stories."""
    assert stories.story_of(nodeid) == story


def test_unknown_capability_is_a_clear_error() -> None:
    """Given a capability name no module defines,
    When a test asks for it,
    Then the error lists the known ones."""
    with pytest.raises(capabilities.UnknownCapabilityError, match="unknown capability 'teleport'; known: "):
        capabilities.missing("teleport")


def test_capability_reasons_name_the_release() -> None:
    """Given a capability every pinned release has and the installed release,
    When it is probed,
    Then it is offered, and an absent attribute is reported as missing."""
    assert capabilities.missing("sync_http_client_class") is None
    assert capabilities.offers("async_client")
    assert not capabilities.has("cozepy", "NoSuchClient")
    assert capabilities.attribute("cozepy.no_such_module", "X") is None
    assert capabilities.accepts("cozepy", "Coze", "base_url")
    assert not capabilities.accepts("cozepy", "Coze", "teleport")
    assert not capabilities.accepts("cozepy", "NoSuchClient", "x")


def test_duplicate_capability_names_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given two story modules defining the same capability,
    When the registry is built,
    Then it refuses with the name."""
    from coze_compat.capabilities import bots, client

    monkeypatch.setattr(bots, "CAPABILITIES", (*bots.CAPABILITIES, client.CAPABILITIES[0]))
    capabilities._registry.cache_clear()
    try:
        with pytest.raises(ValueError, match="capability 'async_client' is defined twice"):
            capabilities._registry()
    finally:
        capabilities._registry.cache_clear()


def test_results_folder_path_is_project_relative() -> None:
    """Given the project root the harness computes,
    When it is compared with this file's location,
    Then it is the folder holding pyproject.toml."""
    from coze_compat.matrix import PROJECT_ROOT

    assert (PROJECT_ROOT / "pyproject.toml").is_file()
    assert Path(__file__).resolve().is_relative_to(PROJECT_ROOT)
