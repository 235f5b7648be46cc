"""The endpoint coverage scan (``coze_compat.fake.coverage``): cozepy's requester calls read from source."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from coze_compat.fake import coverage
from coze_compat.fake.coverage import Data, ScanError, SDKEndpoint

CLIENT = """
from typing import Optional


class ThingsClient(object):
    def __init__(self, base_url, requester):
        self._base_url = base_url
        self._requester = requester

    def create(self, *, space_id: str):
        url = f"{self._base_url}/v1/things/create"
        return self._requester.request("post", url, False, Thing, body={"space_id": space_id})

    def retrieve(self, *, thing_id: str):
        return self._requester.request(
            "get",
            f"{self._base_url}/v1/things/{thing_id}?expand=all",
            False,
            Thing,
        )

    def code(self, *, workspace_id: Optional[str] = None):
        uri = f"{self._base_url}/v1/things/code"
        if workspace_id:
            uri = f"{self._base_url}/v1/workspaces/{workspace_id}/things/code"
        return self._requester.request(method="post", url=uri, stream=False, cast=Code)

    def list(self, *, space_id: str):
        url = f"{self._base_url}/v1/things"

        def request_maker(page_num, page_size):
            return self._requester.make_request("GET", url, params={"space_id": space_id})

        return NumberPaged(request_maker=request_maker)

    def auth_header(self):
        return self._requester.auth_header("token")


class AsyncThingsClient(object):
    async def delete(self, *, thing_id: str):
        url = f"{self._base_url}/v1/things/{thing_id}"
        return await self._requester.arequest("delete", url, False, None)
"""


def endpoints(*texts: str) -> set[str]:
    return {str(endpoint) for endpoint in map(SDKEndpoint.parse, texts)}


def test_scan_reads_every_form_of_requester_call() -> None:
    """Given a client module calling the requester with a URL variable, an inline f-string (with a query),
    keyword arguments, a URL chosen in a branch, a URL from the enclosing function, and an async call,
    When it is scanned,
    Then each call gives its method and path, parameters named, the query left out."""
    found = coverage.endpoints_in_module(CLIENT, "cozepy/things/__init__.py")

    assert {str(endpoint) for endpoint in found} == endpoints(
        "POST /v1/things/create",
        "GET /v1/things/{thing_id}",
        "POST /v1/things/code",
        "POST /v1/workspaces/{workspace_id}/things/code",
        "GET /v1/things",
        "DELETE /v1/things/{thing_id}",
    )


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        pytest.param("self._requester.request(method, url, False, None)", "HTTP method", id="method-variable"),
        pytest.param('self._requester.request("get", other, False, None)', "URL", id="url-unknown"),
        pytest.param('self._requester.request("get", "https://x/v1/a", False, None)', "URL", id="url-literal"),
        pytest.param('self._requester.request("get")', "URL", id="url-missing"),
    ],
)
def test_scan_refuses_a_call_it_cannot_read(call: str, problem: str) -> None:
    """Given a requester call whose method or URL is not written as the scan reads it,
    When the module is scanned,
    Then ScanError names the file and line and what could not be read (no endpoint is silently left out)."""
    source = f"class C:\n    def f(self, method, other):\n        url = f'{{self._base_url}}/v1/a'\n        {call}\n"

    with pytest.raises(ScanError, match=rf"cozepy/c\.py:4: the {problem} of this requester call"):
        coverage.endpoints_in_module(source, "cozepy/c.py")


def test_scan_names_the_client_of_each_endpoint() -> None:
    """Given modules of a package and its subpackages,
    When they are scanned together,
    Then each endpoint names the client module calling it, the package's own name for ``__init__``."""
    sources = {
        "cozepy/things/__init__.py": CLIENT,
        "cozepy/things/parts/__init__.py": (
            "class P:\n    def f(self):\n"
            "        return self._requester.request('get', f'{self._base_url}/v1/parts', 0)\n"
        ),
        "cozepy/util.py": "def f(base_url, requester):\n    requester._requester.request('get', f'{base_url}/v1/u')\n",
    }

    found = coverage.scan(sources)

    assert found[SDKEndpoint("GET", "/v1/things")] == "things"
    assert found[SDKEndpoint("GET", "/v1/parts")] == "things.parts"
    assert found[SDKEndpoint("GET", "/v1/u")] == "util"


def test_data_round_trips_with_release_spans() -> None:
    """Given endpoints called by some releases, with a gap, and one no longer called,
    When the data is dumped and loaded,
    Then each endpoint keeps exactly its releases (as spans), the newest release's clients, and its first release."""
    releases = ("0.1.0", "0.2.0", "0.3.0", "0.4.0")
    get, post = SDKEndpoint("GET", "/v1/a/{a_id}"), SDKEndpoint("POST", "/v1/old")
    renamed = SDKEndpoint("GET", "/v1/a/{id}")
    data = Data(releases, {get: ("0.2.0", "0.4.0"), renamed: ("0.1.0",), post: ("0.1.0", "0.2.0")}, {get: "a"})

    text = coverage.dump(data)
    loaded = coverage.load_text(text)

    assert '"releases": "0.2.0, 0.4.0"' in text
    assert '"releases": "0.1.0..0.2.0"' in text
    assert loaded == data
    assert loaded.since(get) == "0.1.0"  # the same method and path under another parameter name
    assert loaded.called_by("0.4.0") == {get: "a"}


def test_a_new_scan_replaces_a_releases_endpoints() -> None:
    """Given data for two releases,
    When the newest is scanned again with one endpoint gone and one new, and then a newer release is added,
    Then the endpoints of the rescanned release are the new scan's, the older release keeps its own, and the
    clients are those of the newest release."""
    a, b, c = SDKEndpoint("GET", "/a"), SDKEndpoint("GET", "/b"), SDKEndpoint("GET", "/c")
    data = Data(("0.1.0", "0.2.0"), {a: ("0.1.0", "0.2.0"), b: ("0.2.0",)}, {a: "x", b: "x"})

    rescanned = data.with_release("0.2.0", {a: "x", c: "y"})
    newer = rescanned.with_release("0.3.0", {c: "z"})

    assert rescanned.calls == {a: ("0.1.0", "0.2.0"), c: ("0.2.0",)}
    assert rescanned.clients == {a: "x", c: "y"}
    assert newer.releases == ("0.1.0", "0.2.0", "0.3.0")
    assert newer.calls[c] == ("0.2.0", "0.3.0")
    assert newer.clients == {c: "z"}


def test_fake_paths_become_templates() -> None:
    """Given the fake's endpoint paths (regexes with named groups),
    When they are turned into path templates,
    Then named groups become ``{name}``, and a path with other regex syntax is refused as not comparable."""
    assert coverage.fake_template(r"/v1/workflows/(?P<workflow_id>[^/]+)/run_histories/(?P<execute_id>\d+)") == (
        "/v1/workflows/{workflow_id}/run_histories/{execute_id}"
    )
    with pytest.raises(ValueError, match="not a literal path with named groups"):
        coverage.fake_template(r"/v1/bots/\d+")


def test_the_table_changes_when_the_fake_loses_an_endpoint(tmp_path: Path) -> None:
    """Given the current page,
    When the fake models one endpoint fewer (or one no release calls),
    Then the rendered table differs, counts one fewer modelled endpoint, lists the extra one,
    and the check names the page as stale."""
    data = coverage.load()
    fake_endpoints = coverage.modelled()
    page = tmp_path / "endpoints.md"
    page.write_text(coverage.render(data, fake_endpoints), encoding="utf-8")
    fewer = {key: value for key, value in fake_endpoints.items() if key != ("POST", "/v1/files/upload")}
    more = {**fake_endpoints, ("GET", "/v1/nowhere"): ("nowhere.get", "nowhere.get")}

    smaller, larger = coverage.render(data, fewer), coverage.render(data, more)

    assert coverage.problems(data, page, None) == []
    assert f"models **{len(fake_endpoints) - 1}** of them" in smaller
    assert "| POST | `/v1/files/upload` | `files` | 0.2.0 | — |" in smaller
    assert "| GET | `/v1/nowhere` | `coze_api.nowhere.get()` |" in larger
    page.write_text(smaller, encoding="utf-8")
    assert coverage.problems(data, page, None) == [
        f"{page} is not the table of the data and the fake's endpoints: run `python -m coze_compat.fake.coverage`"
    ]


def test_the_check_names_a_stale_release(tmp_path: Path) -> None:
    """Given the data and the page,
    When the installed cozepy is a release the data lacks, or calls other endpoints than the data says,
    Then the check says so and how to regenerate."""
    data = coverage.load()
    page = tmp_path / "endpoints.md"
    page.write_text(coverage.render(data, coverage.modelled()), encoding="utf-8")
    newest = data.called_by(data.newest)
    fewer = dict(list(newest.items())[1:])

    unknown = coverage.problems(data, page, ("9.9.9", newest))
    stale = coverage.problems(data, page, (data.newest, fewer))
    older = coverage.problems(data, page, (data.releases[0], data.called_by(data.releases[0])))

    assert unknown == [
        "cozepy 9.9.9 (installed) is not in endpoints.json: run `python -m coze_compat.fake.coverage` to add it"
    ]
    assert stale[0].startswith(f"endpoints.json is not what cozepy {data.newest} calls (missing: -; not called: ")
    assert older == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_releases_are_read_from_a_git_clone(tmp_path: Path) -> None:
    """Given a git repository with two release tags of a small cozepy,
    When the data is made from it,
    Then each release's endpoints are those its tag's source calls."""
    repo = tmp_path / "coze-py"
    (repo / "cozepy" / "things").mkdir(parents=True)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    for version, source in (("0.1.0", CLIENT.split("    def retrieve")[0]), ("0.2.0", CLIENT)):
        (repo / "cozepy" / "things" / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
        (repo / "cozepy" / "README.md").write_text("not python", encoding="utf-8")
        git("add", ".")
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", version)
        git("tag", f"v{version}")

    data = coverage.from_mirror(repo, ("0.1.0", "0.2.0"))

    assert [str(endpoint) for endpoint in data.called_by("0.1.0")] == ["POST /v1/things/create"]
    assert len(data.called_by("0.2.0")) == 6
    assert data.since(SDKEndpoint("GET", "/v1/things")) == "0.2.0"


def test_the_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a copy of the data and no page,
    When the command checks, writes, and checks again,
    Then the first check fails naming the page, the write makes data and page and says the numbers,
    and the second check passes."""
    data_file, page = tmp_path / "endpoints.json", tmp_path / "docs" / "endpoints.md"
    data_file.write_text(coverage.DATA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    arguments = ["--data", str(data_file), "--page", str(page)]

    first = coverage.main([*arguments, "--check"])
    first_err = capsys.readouterr().err
    written = coverage.main(arguments)
    written_out = capsys.readouterr().out
    second = coverage.main([*arguments, "--check"])

    assert (first, written, second) == (1, 0, 0)
    assert f"{page} is not the table" in first_err
    data = coverage.load(data_file)
    assert written_out == (
        f"{page}: cozepy {data.newest} calls {len(data.called_by(data.newest))} endpoints, "
        f"the fake models {coverage.render(data, coverage.modelled()).split('models **')[1].split('**')[0]}\n"
    )
    assert data_file.read_text(encoding="utf-8") == coverage.DATA_FILE.read_text(encoding="utf-8")
