"""The fake's documentation cannot rot: the guide's examples run, the endpoint table is current.

* ``docs/fake.md``: each ```` ```python ```` block is a test module a team could copy; every block is
  written out as one and run under pytest with the plugin (the cozepy of the harness session, the
  newest release), and every test in it must pass.
* ``docs/endpoints.md``: the endpoint coverage table (``coze_compat.fake.coverage``) must be what the
  per-release data and the fake's families give, and the data's newest release must be what the
  installed cozepy calls: a family that gains or loses an endpoint, or a new release, fails here
  until ``nox -s endpoints`` is run; and every row it marks modelled is routed by ``FakeCoze``: the
  family method it names registers a route that answers the row's method and the SDK's own path.
* ``coze_compat.fake`` exports a documented surface: every name of ``__all__`` is there and documented,
  and every record a family seeds its state with is exported.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import httpx
import pytest

from coze_compat import fake, matrix
from coze_compat.fake import TOKEN, FakeCoze, coverage, guide, server

ROOT = matrix.PROJECT_ROOT
GUIDE = guide.GUIDE
TABLE = ROOT / "docs" / "endpoints.md"
#: A row of docs/endpoints.md the fake models: method, the SDK's path, the family method registering it.
MODELLED_ROW = re.compile(
    r"^\| (?P<method>[A-Z]+) \| `(?P<path>/[^`]*)` \|.*\| ✅ `coze_api\.(?P<how>[\w.]+)\(\)` \|$", re.MULTILINE
)
#: What the table's path parameters are filled with: the service's ids are digits (the fake's groups may say so).
AN_ID = "7379462189365198898"
INNER = ["-p", "coze_compat.pytest_plugin", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:cov"]


def guide_examples() -> dict[str, str]:
    """The guide's python blocks as test modules, named by the line each starts on."""
    return guide.examples(GUIDE.read_text(encoding="utf-8"))


def test_every_example_of_the_guide_passes(pytester: pytest.Pytester) -> None:
    """Given the python blocks of docs/fake.md, each written out as a test module,
    When pytest runs them with the plugin,
    Then each block holds at least one test, and every test passes (none fails, is skipped or errors)."""
    examples = guide_examples()
    pytester.makepyfile(**examples)

    recorder = pytester.inline_run(*INNER)

    outcomes: dict[str, list[str]] = {name: [] for name in examples}
    for report in recorder.getreports("pytest_runtest_logreport"):
        if report.when == "call" or report.outcome != "passed":
            outcomes[report.nodeid.split(".py::")[0]].append(f"{report.nodeid.split('::', 1)[1]}: {report.outcome}")
    failed = {name: found for name, found in outcomes.items() if not found or any(": passed" not in o for o in found)}
    assert len(examples) >= 10  # the blocks were found
    assert failed == {}, "docs/fake.md blocks (by line) without a passing test, or with another outcome"


def test_endpoint_table_is_current() -> None:
    """Given the per-release endpoint data, the fake's families and the installed cozepy (the newest release),
    When the coverage command checks them,
    Then the data's newest release calls exactly what the installed source calls, and docs/endpoints.md is
    the table they make (so a family that gains or loses an endpoint must regenerate it)."""
    version, sources = coverage.installed_sources()
    data = coverage.load()

    assert (version, data.newest) == (matrix.newest_pinned(), matrix.newest_pinned())
    assert data.releases == matrix.pinned_releases()
    assert coverage.problems(data, TABLE, (version, coverage.scan(sources))) == []


def modelled_rows() -> list[tuple[str, str, str]]:
    """The rows of the committed docs/endpoints.md marked modelled: (method, SDK path, family method)."""
    text = TABLE.read_text(encoding="utf-8")
    return [(match["method"], match["path"], match["how"]) for match in MODELLED_ROW.finditer(text)]


def test_the_table_marks_every_modelled_endpoint() -> None:
    """Given the committed table and the endpoints the fake's families register,
    When the rows marked modelled are read,
    Then there is one per registered endpoint some release calls, each named by its family method."""
    called = {endpoint.key for endpoint in coverage.load().calls}
    registered = {key: how for key, (_, how) in coverage.modelled().items() if key in called}

    rows = {coverage.SDKEndpoint(method, path).key: how for method, path, how in modelled_rows()}

    assert rows == registered
    assert len(rows) >= 30


@pytest.mark.parametrize(("method", "path", "how"), modelled_rows(), ids=lambda value: str(value))
def test_every_modelled_row_is_routed_by_the_fake(method: str, path: str, how: str) -> None:
    """Given a fresh FakeCoze with only the route the table names for a row (``coze_api.bots.retrieve()``),
    When a request with the row's method and the SDK's path (its parameters filled with an id) is sent,
    Then that route answers it, as the service does (with a log id): the row's claim is the fake's routing."""
    concrete = re.sub(r"\{[^}]*\}", AN_ID, path)
    with FakeCoze(token=TOKEN) as service, httpx.Client() as client:
        family, name = how.split(".")
        route = getattr(getattr(service, family), name)()

        response = client.request(method, f"{service.base_url}{concrete}", headers={"authorization": f"Bearer {TOKEN}"})

    assert (route.call_count, service.router.unmatched) == (1, [])
    assert response.headers["x-tt-logid"] == service.last_logid()


def test_endpoint_table_says_how_many_endpoints_are_modelled() -> None:
    """Given the endpoint data and the fake's families,
    When the table is rendered,
    Then its first paragraph gives the endpoints the newest release calls and how many the fake models,
    each modelled endpoint's row names the family method that registers it, and an unmodelled one's says so."""
    data = coverage.load()
    fake_endpoints = coverage.modelled()
    newest = data.called_by(data.newest)

    page = coverage.render(data, fake_endpoints)

    covered = [endpoint for endpoint in newest if endpoint.key in fake_endpoints]
    assert f"calls **{len(newest)}** HTTP endpoints" in page
    assert f"models **{len(covered)}** of them" in page
    assert "| GET | `/v1/bot/get_online_info` | `bots` | 0.2.0 | ✅ `coze_api.bots.retrieve()` |" in page
    assert "| POST | `/v1/templates/{template_id}/duplicate` | `templates` |" in page
    assert "| POST | `/v3/chat/message/list` | 0.2.0..0.6.2 | — |" in page


def undocumented_members(cls: type) -> list[str]:
    """The public methods and properties ``cls`` defines without a docstring (``"FakeCoze.verify"``)."""
    members = [(name, value) for name, value in vars(cls).items() if not name.startswith("_")]
    return [
        f"{cls.__name__}.{name}"
        for name, value in members
        if (inspect.isfunction(value) or isinstance(value, (property, classmethod, staticmethod)))
        and not inspect.getdoc(getattr(cls, name))
    ]


def test_the_public_surface_is_exported_and_documented() -> None:
    """Given ``coze_compat.fake`` and its families (``coze_api.bots``...),
    When its ``__all__``, the family modules and the classes' members are read,
    Then every exported name exists; every exported class and function, and every public method and property
    of those classes and of the family APIs, has a docstring; every record class a family defines
    (``*Record``) and the answer builders are exported; and the package ships ``py.typed``."""
    exported = set(fake.__all__)
    families = [importlib.import_module(f"coze_compat.fake.{name}") for name in server.FAMILIES]
    records = {name for module in families for name, _ in inspect.getmembers(module, inspect.isclass)}
    objects = [getattr(fake, name) for name in fake.__all__ if hasattr(fake, name)]
    classes = [value for value in objects if inspect.isclass(value)]
    apis = [type(getattr(FakeCoze(), name)) for name in server.FAMILIES]

    assert [name for name in fake.__all__ if not hasattr(fake, name)] == []
    undocumented = [
        getattr(value, "__name__", "?")
        for value in objects
        if (inspect.isclass(value) or inspect.isfunction(value)) and not inspect.getdoc(value)
    ]
    assert undocumented == []
    assert [member for cls in [*classes, *apis] for member in undocumented_members(cls)] == []
    assert {name for name in records if name.endswith("Record")} <= exported
    assert {"envelope", "sse", "EventStream", "SSEEvent", "STYLES", "RawBody", "gateway_error"} <= exported
    assert (Path(fake.__file__).parent.parent / "py.typed").is_file()


def test_the_guides_examples_are_written_as_modules(tmp_path: Path) -> None:
    """Given a guide with a python block, a shell block and another python block, and an example left from before,
    When its examples are written into a folder (as the typecheck session does before mypy),
    Then the folder holds exactly the python blocks, each named by the line its code starts on."""
    page = tmp_path / "fake.md"
    page.write_text("# Guide\n\n```python\nA = 1\n```\n\n```sh\nls\n```\n\n```python\nB = 2\n```\n", encoding="utf-8")
    folder = tmp_path / "examples"
    folder.mkdir()
    (folder / "test_fake_md_line_99.py").write_text("OLD = 0\n", encoding="utf-8")

    written = guide.write(folder, page)

    assert [path.name for path in written] == ["test_fake_md_line_4.py", "test_fake_md_line_12.py"]
    assert sorted(path.name for path in folder.iterdir()) == ["test_fake_md_line_12.py", "test_fake_md_line_4.py"]
    assert (folder / "test_fake_md_line_4.py").read_text(encoding="utf-8") == "A = 1\n"
