"""The fake's endpoint coverage, found in cozepy's own source (as moto publishes its implementation coverage).

Every HTTP endpoint a cozepy release calls is found by parsing the release's source, not by reading
its docs: each ``self._requester.request("post", url, ...)`` (and ``arequest``, ``make_request``,
``amake_request``) call, with the URL it is given, an f-string that starts with the client's base
URL (``url = f"{self._base_url}/v1/bots/{bot_id}"``, also assigned in a branch or used from an
enclosing function, as the paged lists' ``request_maker`` does). The walk is over the syntax tree
(``ast``), so formatting, line breaks and keyword arguments do not matter; a requester call whose
method or URL it cannot read fails the scan, naming the file and line, so no endpoint is silently
left out. WebSocket endpoints (``cozepy.websockets``: ``wss://`` connections, not requester calls)
are not HTTP requests and are out of the table.

The per-release lists are data, ``data/endpoints.json`` (made from the git history of coze-py, so
that checking the table needs no network and no git): for each endpoint, the releases that call it.
``docs/endpoints.md`` is rendered from that data and from the fake's own registrations
(``server.registrations()``: the family methods, so a family that gains an endpoint shows here).

    python -m coze_compat.fake.coverage            # re-read the installed cozepy, rewrite data and docs/endpoints.md
    python -m coze_compat.fake.coverage --check    # exit 1 if either is stale (the harness test does the same)
    python -m coze_compat.fake.coverage --mirror /path/to/coze-py.git   # re-read every release's tag

``nox -s endpoints`` runs the first (``-- --mirror DIR`` the last) with the newest pinned release.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from coze_compat import matrix

DATA_FILE = matrix.DATA_DIR / "endpoints.json"
PAGE = Path("docs") / "endpoints.md"
#: The requester's methods that send a request (or build one a paged list sends): method first, URL second.
REQUEST_CALLS = ("request", "arequest", "make_request", "amake_request")
#: Where each endpoint of the page's table comes from, and how to regenerate it.
REGENERATE = "python -m coze_compat.fake.coverage"


class ScanError(ValueError):
    """A requester call of cozepy's source whose method or URL the scan cannot read."""


@dataclass(frozen=True, order=True)
class SDKEndpoint:
    """One endpoint a cozepy release calls: the HTTP method and the path, parameters as ``{name}``."""

    method: str
    path: str

    @property
    def key(self) -> tuple[str, str]:
        """The endpoint with its parameters unnamed: releases (and the fake) may name them differently."""
        return (self.method, re.sub(r"\{[^}]*\}", "{}", self.path))

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @classmethod
    def parse(cls, text: str) -> SDKEndpoint:
        method, _, path = text.partition(" ")
        return cls(method, path)


# -- reading a release's source ------------------------------------------------------------------


def _is_base_url(node: ast.expr) -> bool:
    """``self._base_url`` (or a plain ``base_url``): what every client's URLs start with."""
    if isinstance(node, ast.Attribute):
        return node.attr == "_base_url"
    return isinstance(node, ast.Name) and node.id == "base_url"


def _placeholder(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return "param"


def _path_of(node: ast.expr) -> str | None:
    """The path of an f-string ``f"{self._base_url}/v1/x/{x_id}"`` (``/v1/x/{x_id}``), else ``None``."""
    if not isinstance(node, ast.JoinedStr) or not node.values:
        return None
    first, *rest = node.values
    if not (isinstance(first, ast.FormattedValue) and _is_base_url(first.value)):
        return None
    parts: list[str] = []
    for value in rest:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        elif isinstance(value, ast.FormattedValue):
            parts.append("{" + _placeholder(value.value) + "}")
    path = "".join(parts).split("?", 1)[0]
    return path if path.startswith("/") else None


def _url_names(function: ast.AST) -> dict[str, list[str]]:
    """Every ``name = f"{self._base_url}..."`` inside ``function`` (nested functions included): name -> paths."""
    names: dict[str, list[str]] = {}
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            path = _path_of(node.value)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if path is not None and isinstance(target, ast.Name):
                    names.setdefault(target.id, []).append(path)
    return names


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    return next((item.value for item in call.keywords if item.arg == keyword), None)


def _is_requester_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    receiver = node.func.value
    named = isinstance(receiver, ast.Attribute) and receiver.attr == "_requester"
    return named and node.func.attr in REQUEST_CALLS


def _outer_functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions not nested in another one (module functions and methods)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from _outer_functions(node)


def endpoints_in_module(source: str, filename: str) -> set[SDKEndpoint]:
    """The endpoints one module of cozepy calls; ``ScanError`` for a requester call it cannot read."""
    tree = ast.parse(source, filename)
    found: set[SDKEndpoint] = set()
    for function in _outer_functions(tree):
        names = _url_names(function)
        for call in filter(_is_requester_call, ast.walk(function)):
            assert isinstance(call, ast.Call)
            method, url = _argument(call, 0, "method"), _argument(call, 1, "url")
            where = f"{filename}:{call.lineno}"
            if not (isinstance(method, ast.Constant) and isinstance(method.value, str)):
                raise ScanError(f"{where}: the HTTP method of this requester call is not a string literal")
            if isinstance(url, ast.Name) and url.id in names:
                paths = names[url.id]
            else:
                path = None if url is None else _path_of(url)
                if path is None:
                    raise ScanError(f"{where}: the URL of this requester call is not an f-string of the base URL")
                paths = [path]
            found.update(SDKEndpoint(method.value.upper(), path) for path in paths)
    return found


def scan(sources: Mapping[str, str]) -> dict[SDKEndpoint, str]:
    """Every endpoint the modules call (``{"cozepy/bots/__init__.py": source}``), with the SDK client
    calling it (``bots``: the module's package under ``cozepy``; the first one for an endpoint several call)."""
    found: dict[SDKEndpoint, str] = {}
    for filename in sorted(sources):
        parts = Path(filename).with_suffix("").parts[1:]
        client = ".".join(parts[:-1] if parts[-1:] == ("__init__",) else parts)
        for endpoint in sorted(endpoints_in_module(sources[filename], filename)):
            found.setdefault(endpoint, client or "cozepy")
    return found


def installed_sources() -> tuple[str, dict[str, str]]:
    """The installed cozepy's version and its modules' source, found without importing it."""
    from importlib import metadata

    spec = importlib.util.find_spec("cozepy")
    if spec is None or not spec.submodule_search_locations:
        raise ScanError("cozepy is not installed: install the release to scan (nox -s endpoints does)")
    root = Path(next(iter(spec.submodule_search_locations)))
    sources = {
        path.relative_to(root.parent).as_posix(): path.read_text(encoding="utf-8") for path in root.rglob("*.py")
    }
    return metadata.version("cozepy"), sources


def release_sources(mirror: Path, version: str) -> dict[str, str]:
    """The modules of the release's tag ``v<version>`` in a git clone (bare or not) of coze-dev/coze-py."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(mirror), *args], check=True, capture_output=True, text=True, encoding="utf-8"
        ).stdout

    tag = f"v{version}"
    names = git("ls-tree", "-r", "--name-only", tag, "--", "cozepy").splitlines()
    return {name: git("show", f"{tag}:{name}") for name in names if name.endswith(".py")}


# -- the data: which releases call which endpoint ------------------------------------------------


@dataclass(frozen=True)
class Data:
    """``data/endpoints.json``: the releases scanned (oldest first) and, per endpoint, those calling it."""

    releases: tuple[str, ...]
    #: endpoint -> the releases calling it, oldest first.
    calls: Mapping[SDKEndpoint, tuple[str, ...]]
    #: endpoint -> the SDK client calling it in the newest release (only endpoints the newest calls).
    clients: Mapping[SDKEndpoint, str]

    @property
    def newest(self) -> str:
        return self.releases[-1]

    def called_by(self, version: str) -> dict[SDKEndpoint, str]:
        """The endpoints ``version`` calls; the clients are known for the newest release only."""
        return {
            endpoint: self.clients.get(endpoint, "")
            for endpoint, versions in sorted(self.calls.items())
            if version in versions
        }

    def since(self, endpoint: SDKEndpoint) -> str:
        """The first release calling an endpoint of the same method and path (parameter names aside)."""
        same = [versions[0] for other, versions in self.calls.items() if other.key == endpoint.key]
        return min(same, key=self.releases.index)

    def with_release(self, version: str, found: Mapping[SDKEndpoint, str]) -> Data:
        """The data with ``version``'s scan (added after the others, or replacing its earlier scan)."""
        releases = self.releases if version in self.releases else (*self.releases, version)
        calls: dict[SDKEndpoint, tuple[str, ...]] = {}
        for endpoint in {*self.calls, *found}:
            versions = set(self.calls.get(endpoint, ())) - {version} | ({version} if endpoint in found else set())
            if versions:
                calls[endpoint] = tuple(release for release in releases if release in versions)
        clients = dict(self.clients) if version != releases[-1] else dict(found)
        return Data(releases, calls, clients)


def _spans(versions: Sequence[str], releases: Sequence[str]) -> str:
    """``"0.2.0..0.6.2, 0.10.0..0.20.0"``: the runs of consecutive releases in ``versions``."""
    runs: list[list[str]] = []
    previous = -2
    for version in versions:
        index = releases.index(version)
        if index == previous + 1:
            runs[-1][1] = version
        else:
            runs.append([version, version])
        previous = index
    return ", ".join(first if first == last else f"{first}..{last}" for first, last in runs)


def _unspan(text: str, releases: Sequence[str]) -> tuple[str, ...]:
    versions: list[str] = []
    for run in text.split(", "):
        first, _, last = run.partition("..")
        versions.extend(releases[releases.index(first) : releases.index(last or first) + 1])
    return tuple(versions)


def dump(data: Data) -> str:
    endpoints = {
        str(endpoint): {
            "releases": _spans(versions, data.releases),
            **({"client": data.clients[endpoint]} if endpoint in data.clients else {}),
        }
        for endpoint, versions in sorted(data.calls.items())
    }
    document = {
        "_comment": (
            "The HTTP endpoints each cozepy release calls, found in its source by coze_compat.fake.coverage "
            f"(`{REGENERATE} --mirror <coze-py git clone>` rewrites it); docs/endpoints.md is rendered from it."
        ),
        "releases": list(data.releases),
        "endpoints": endpoints,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def load(path: Path = DATA_FILE) -> Data:
    """The data of ``data/endpoints.json`` (or another file written by ``dump``)."""
    return load_text(path.read_text(encoding="utf-8"))


def load_text(text: str) -> Data:
    document = json.loads(text)
    releases = tuple(document["releases"])
    calls: dict[SDKEndpoint, tuple[str, ...]] = {}
    clients: dict[SDKEndpoint, str] = {}
    for text, entry in document["endpoints"].items():
        endpoint = SDKEndpoint.parse(text)
        calls[endpoint] = _unspan(entry["releases"], releases)
        if "client" in entry:
            clients[endpoint] = entry["client"]
    return Data(releases, calls, clients)


def from_mirror(mirror: Path, releases: Iterable[str]) -> Data:
    data = Data((), {}, {})
    for version in releases:
        data = data.with_release(version, scan(release_sources(mirror, version)))
    return data


# -- what the fake models ------------------------------------------------------------------------


def fake_template(path: str) -> str:
    """A fake ``Endpoint.path`` (a regex with named groups) as a path template: ``/v1/bots/{bot_id}``."""
    template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    if re.search(r"[\\^$.|?*+()\[\]]", template):
        raise ValueError(f"fake endpoint path {path!r} is not a literal path with named groups: cannot be compared")
    return template


def modelled() -> dict[tuple[str, str], tuple[str, str]]:
    """Every endpoint the fake models, by ``SDKEndpoint.key``: its name and the family method registering it."""
    from coze_compat.fake.server import registrations

    found: dict[tuple[str, str], tuple[str, str]] = {}
    for endpoint, how in registrations():
        found[SDKEndpoint(endpoint.method, fake_template(endpoint.path)).key] = (endpoint.name, how)
    return found


# -- the page --------------------------------------------------------------------------------------


def _area(client: str) -> str:
    return client.split(".")[0]


def render(data: Data, fake: Mapping[tuple[str, str], tuple[str, str]]) -> str:
    """``docs/endpoints.md``: every endpoint the newest release calls, modelled or not, and since when."""
    newest = data.called_by(data.newest)
    covered = [endpoint for endpoint in newest if endpoint.key in fake]
    areas: dict[str, list[SDKEndpoint]] = {}
    for endpoint, client in newest.items():
        areas.setdefault(_area(client), []).append(endpoint)
    lines = [
        "# Endpoint coverage of the fake Coze API",
        "",
        f"<!-- Generated by `{REGENERATE}` (`nox -s endpoints`) from data/endpoints.json and the fake's families; "
        "do not edit by hand. -->",
        "",
        f"cozepy {data.newest} calls **{len(newest)}** HTTP endpoints (method and path); the fake "
        f"(`coze_compat.fake.FakeCoze`) models **{len(covered)}** of them. Each endpoint was found in "
        f"cozepy's own source (every requester call and the URL it is given, releases "
        f"{data.releases[0]} to {data.newest}); *since* is the first release that calls it. A modelled endpoint is "
        "registered in a test with the family method shown (`coze_api.bots.retrieve()`); any other is "
        "registered as a plain respx route on `coze_api.router` (see [the fake's guide](fake.md)). "
        "WebSocket endpoints (`cozepy.websockets`) are not HTTP requests and are not listed.",
        "",
        "| SDK client | endpoints | modelled |",
        "|:---|---:|---:|",
    ]
    for area, endpoints in sorted(areas.items()):
        modelled_here = sum(1 for endpoint in endpoints if endpoint.key in fake)
        lines.append(f"| `{area}` | {len(endpoints)} | {modelled_here} |")
    lines += [f"| **all** | **{len(newest)}** | **{len(covered)}** |", ""]
    for area, endpoints in sorted(areas.items()):
        lines += [f"## `{area}`", "", "| method | path | SDK client | since | fake |", "|:---|:---|:---|:---|:---|"]
        for endpoint in sorted(endpoints, key=lambda item: (item.path, item.method)):
            model = fake.get(endpoint.key)
            cell = f"✅ `coze_api.{model[1]}()`" if model else "—"
            since = data.since(endpoint)
            row = f"| {endpoint.method} | `{endpoint.path}` | `{newest[endpoint]}` | {since} | {cell} |"
            lines.append(row)
        lines.append("")
    gone = {
        endpoint: versions
        for endpoint, versions in sorted(data.calls.items())
        if endpoint.key not in {item.key for item in newest}
    }
    lines += [
        "## Called by older releases only",
        "",
        f"Endpoints that releases before {data.newest} call and {data.newest} does not (a method or path changed).",
        "",
        "| method | path | releases | fake |",
        "|:---|:---|:---|:---|",
    ]
    for endpoint, versions in gone.items():
        model = fake.get(endpoint.key)
        cell = f"✅ `coze_api.{model[1]}()`" if model else "—"
        lines.append(f"| {endpoint.method} | `{endpoint.path}` | {_spans(versions, data.releases)} | {cell} |")
    called = {endpoint.key for endpoint in data.calls}
    extra = sorted(key for key in fake if key not in called)
    if extra:
        lines += ["", "## Modelled, called by no release", "", "| method | path | fake |", "|:---|:---|:---|"]
        lines += [f"| {method} | `{path}` | `coze_api.{fake[(method, path)][1]}()` |" for method, path in extra]
    return "\n".join(lines) + "\n"


# -- the command -----------------------------------------------------------------------------------


def problems(data: Data, page: Path, installed: tuple[str, Mapping[SDKEndpoint, str]] | None) -> list[str]:
    """What is stale: the data against the installed cozepy's scan, the page against the data and the fake."""
    found: list[str] = []
    if installed is not None:
        version, scanned = installed
        if version not in data.releases:
            found.append(f"cozepy {version} (installed) is not in {DATA_FILE.name}: run `{REGENERATE}` to add it")
        elif (stored := data.called_by(version)).keys() != scanned.keys() or (
            version == data.newest and stored != dict(scanned)
        ):
            missing, extra = sorted(scanned.keys() - stored.keys()), sorted(stored.keys() - scanned.keys())
            found.append(
                f"{DATA_FILE.name} is not what cozepy {version} calls (missing: {', '.join(map(str, missing)) or '-'}; "
                f"not called: {', '.join(map(str, extra)) or '-'}; or a client differs): run `{REGENERATE}`"
            )
    expected = render(data, modelled())
    if not page.is_file() or page.read_text(encoding="utf-8") != expected:
        found.append(f"{page} is not the table of the data and the fake's endpoints: run `{REGENERATE}`")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the data or the page is stale")
    parser.add_argument("--mirror", type=Path, help="a git clone of coze-dev/coze-py: re-read every pinned release")
    parser.add_argument("--page", type=Path, default=PAGE, help=f"the page (default: {PAGE})")
    parser.add_argument("--data", type=Path, default=DATA_FILE, help="the per-release data (default: the package's)")
    args = parser.parse_args(argv)
    installed = installed_sources()
    scanned = (installed[0], scan(installed[1]))
    if args.check:
        found = problems(load(args.data), args.page, scanned)
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    data = from_mirror(args.mirror, matrix.pinned_releases()) if args.mirror else load(args.data)
    data = data.with_release(*scanned)
    args.data.write_text(dump(data), encoding="utf-8")
    args.page.parent.mkdir(parents=True, exist_ok=True)
    args.page.write_text(render(data, modelled()), encoding="utf-8")
    newest = data.called_by(data.newest)
    covered = sum(1 for endpoint in newest if endpoint.key in modelled())
    print(f"{args.page}: cozepy {data.newest} calls {len(newest)} endpoints, the fake models {covered}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
