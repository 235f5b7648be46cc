"""The new-release watch: find cozepy releases the version table does not know, judge their cells.

The daily workflow ``.github/workflows/new-release.yml`` calls this module's CLI; the ``gh`` CLI
does the GitHub calls, driven by the files written here. ``nox -s watch-rehearsal``
(``coze_compat.rehearsal``) runs the same commands against a synthetic release served by a local
package index, so that only ``gh`` is untested.

1. ``python -m coze_compat.releases check [--url INDEX_PAGE]``: read cozepy's project page of the
   Simple Repository API (``https://pypi.org/simple/cozepy/``; PEP 691 JSON, or the PEP 503 HTML
   an index such as pypiserver serves) and pick the one release to test. Every PEP 440 version
   counts (``1.0``, ``0.21.0.post1``): among the *final* releases missing from ``matrix.RELEASES``
   that have a file not yanked, the oldest one; the others are tested by the next runs, one at a
   time. Pre-releases are reported as available and tested only when asked (``--requested``);
   releases whose every file is yanked (PEP 592), or without files, are set aside with the reason.
   The release's ``requires-python`` names the Pythons of ``matrix.PYTHONS`` it does not support:
   their ``latest`` cells are skipped with that reason (``COZE_COMPAT_LATEST_REQUIRES_PYTHON``),
   not failed. Outputs ``outcome`` = ``new`` | ``none`` | ``pypi-error``. An outage of the index
   (HTTP error, unreachable, timeout, not its JSON or HTML) is reported as such and exits 1: never
   "incompatible".
2. The workflow runs the ``latest`` cells with ``COZE_COMPAT_LATEST=<version>``.
3. ``python -m coze_compat.releases evaluate``: read those cells' results (and, when available,
   the last CI report of the pinned releases as baseline) and decide ``outcome``:

   * ``install-failure``: some Python could not install the release (never called incompatible);
   * ``incompatible``: a test fails, or a capability the newest pinned release offers is gone
     (``report.lost.find_lost``, the rule the report applies between pinned releases);
   * ``inconclusive``: some Python did not run (or installed another version): exits 1, no issue;
   * ``compatible``: every Python the release supports ran and nothing broke.

   Also *news*: a test that was "not offered" on every pinned release runs on the new one (a new
   capability). It writes ``issue-title.txt``/``issue.md`` (for a break or an install failure) or
   ``pr-title.txt``/``pr.md`` (compatible), and ``evaluation.json``.
4. ``python -m coze_compat.releases add <version>``: add the release to the version table
   (``data/releases.json``) as pinned; then ``nox -s constraints -- <version>`` writes its pin set
   and ``nox -s dependencies`` its dependency data (``data/dependencies.json``).

Standard library and ``packaging`` only (nox's own interpreter runs it); the fetcher is injectable
so tests never touch the network.
"""

from __future__ import annotations

import argparse
import datetime
import json
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, parse_sdist_filename, parse_wheel_filename

from coze_compat import matrix
from coze_compat.report import build, jsonreport
from coze_compat.report.lost import find_lost
from coze_compat.report.markdown import render_markdown
from coze_compat.report.model import INSTALLED, NOT_INSTALLABLE_STATUS, UNSUPPORTED, Report, State

#: cozepy's project page in PyPI's Simple Repository API.
PYPI_URL = "https://pypi.org/simple/cozepy/"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
#: PEP 691 content negotiation: JSON preferred, the HTML of PEP 503 accepted (pypiserver serves only that).
ACCEPT = f"{SIMPLE_JSON}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
TIMEOUT = 30.0
#: Past this many characters the issue or pull request body leaves out the per-test tables.
BODY_LIMIT = 50_000

NEW = "new"
NONE = "none"
PYPI_ERROR = "pypi-error"
COMPATIBLE = "compatible"
INCOMPATIBLE = "incompatible"
INSTALL_FAILURE = "install-failure"
INCONCLUSIVE = "inconclusive"

#: ``fetcher(url, timeout) -> (body, content type)``; raises ``urllib.error.URLError``/``OSError`` on failure.
Fetcher = Callable[[str, float], "tuple[bytes, str]"]


class PypiError(Exception):
    """The index could not tell which releases exist: an outage, not a verdict on cozepy."""


@dataclass(frozen=True)
class DistFile:
    """One file of a release on the index (PEP 691 ``files`` entry, or a PEP 503 anchor)."""

    filename: str
    #: The file's ``requires-python`` (PEP 345 specifier), ``""`` when the index gives none.
    requires_python: str = ""
    #: ``None`` when not yanked; else the reason PEP 592 gives (``""`` when none was given).
    yanked: str | None = None

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")


#: version -> its files on the index.
Index = Mapping[str, Sequence[DistFile]]


def urllib_fetch(url: str, timeout: float) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"Accept": ACCEPT, "User-Agent": "coze-compat-release-watch"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
        return body, str(response.headers.get_content_type())


def _index_name(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname or url
    return "PyPI" if host == "pypi.org" else f"the package index at {host}"


def file_version(filename: str) -> str | None:
    """The version of a wheel or sdist file name (``packaging.utils``), ``None`` for other files."""
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def _yanked(value: Any) -> str | None:
    """PEP 691/592 ``yanked``: ``false`` (or absent) -> ``None``; ``true`` -> ``""``; a reason -> it."""
    if value is None or value is False:
        return None
    return "" if value is True else str(value)


class _Anchors(HTMLParser):
    """The ``<a>`` elements of a PEP 503 project page: text, ``data-requires-python``, ``data-yanked``."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[DistFile] = []
        self._attributes: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._attributes, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._attributes is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._attributes is not None:
            attributes, self._attributes = self._attributes, None
            href = urllib.parse.urlsplit(attributes.get("href") or "").path
            name = "".join(self._text).strip() or urllib.parse.unquote(href.rsplit("/", 1)[-1])
            # PEP 592: the attribute marks the file yanked; its value, possibly empty, is the reason.
            yanked = _yanked(attributes["data-yanked"] or True) if "data-yanked" in attributes else None
            self.files.append(DistFile(name, attributes.get("data-requires-python") or "", yanked))


def parse_project_page(body: bytes, content_type: str, url: str = PYPI_URL) -> dict[str, list[DistFile]]:
    """A Simple API project page (PEP 691 JSON or PEP 503 HTML) as version -> files; ``PypiError`` if neither."""
    where = f"{_index_name(url)}'s answer for {url}"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PypiError(f"{where} is not valid JSON or HTML: {error}") from error
    versions: dict[str, list[DistFile]] = {}
    if content_type == SIMPLE_JSON or content_type.endswith(("/json", "+json")):
        try:
            data = json.loads(text)
        except ValueError as error:
            raise PypiError(f"{where} is not valid JSON: {error}") from error
        if not isinstance(data, dict) or not isinstance(data.get("files"), list):
            raise PypiError(f"{where} is not a Simple API project page (no 'files' list)")
        api = str((data.get("meta") or {}).get("api-version", "1.0"))
        if api.split(".")[0] != "1":
            raise PypiError(f"{where} uses Simple API version {api}; this watch reads version 1")
        files = [
            DistFile(str(item["filename"]), str(item.get("requires-python") or ""), _yanked(item.get("yanked")))
            for item in data["files"]
            if isinstance(item, dict) and item.get("filename")
        ]
        for version in data.get("versions") or []:  # PEP 700: versions without files are listed too
            versions.setdefault(str(version), [])
    elif "html" in content_type:
        parser = _Anchors()
        parser.feed(text)
        files = parser.files
    else:
        raise PypiError(f"{where} is neither Simple API JSON nor HTML (content type {content_type!r})")
    for item in files:
        version = file_version(item.filename)
        if version is not None:
            versions.setdefault(version, []).append(item)
    return versions


def fetch_index(
    fetcher: Fetcher = urllib_fetch, url: str = PYPI_URL, timeout: float = TIMEOUT
) -> dict[str, list[DistFile]]:
    """cozepy's releases on the index (version -> files), or ``PypiError`` saying what went wrong."""
    name = _index_name(url)
    try:
        body, content_type = fetcher(url, timeout)
    except urllib.error.HTTPError as error:
        raise PypiError(f"{name} answered HTTP {error.code} ({error.reason}) for {url}") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, (socket.timeout, TimeoutError)):
            raise PypiError(f"{name} did not answer within {timeout:g} s ({url})") from error
        raise PypiError(f"{name} could not be reached ({url}): {error.reason}") from error
    except (socket.timeout, TimeoutError) as error:
        raise PypiError(f"{name} did not answer within {timeout:g} s ({url})") from error
    except OSError as error:
        raise PypiError(f"{name} could not be reached ({url}): {error}") from error
    return parse_project_page(body, content_type, url)


def requires_python(files: Sequence[DistFile]) -> str:
    """The release's ``requires-python``: that of its first installable wheel (else sdist), ``""`` if none."""
    installable = sorted((item for item in files if item.yanked is None), key=lambda item: not item.is_wheel)
    return installable[0].requires_python if installable else ""


@dataclass
class Check:
    """What the index has that the version table lacks."""

    #: Installable final releases missing from the table (post releases too), oldest first.
    new: list[str] = field(default_factory=list)
    #: Installable pre-releases missing from the table: available, tested only when asked.
    prereleases: list[str] = field(default_factory=list)
    #: Releases missing from the table that cannot be tested, with why (yanked, no files, not PEP 440).
    ignored: dict[str, str] = field(default_factory=dict)
    #: The ``requires-python`` of every installable release (``""``: the index gives none).
    requires_python: dict[str, str] = field(default_factory=dict)
    #: The release to test now: the oldest new one (every release is a column, each is tested in turn).
    target: str | None = None
    #: The other new releases, tested by the next runs.
    queued: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return NEW if self.target else NONE

    @property
    def target_requires_python(self) -> str:
        return self.requires_python.get(self.target, "") if self.target else ""

    def unsupported(self, pythons: Sequence[str] = matrix.PYTHONS) -> list[str]:
        """The Pythons of the matrix the target release does not support (its ``requires-python``)."""
        spec = self.target_requires_python
        return [python for python in pythons if not matrix.python_supported(spec, python)]


def find_new(index: Index, known: Sequence[str]) -> Check:
    """Compare the index's releases with the table's ``known`` versions (PEP 440: ``1.0`` is ``1.0.0``)."""
    check = Check()
    known_parsed = {matrix.parse_version(version) for version in known}
    for version, files in index.items():
        try:
            parsed = matrix.parse_version(version)
        except matrix.UnknownReleaseError:
            check.ignored[version] = "not a PEP 440 version"
            continue
        if parsed in known_parsed:
            continue
        if not files:
            check.ignored[version] = "no files on the index"
        elif all(item.yanked is not None for item in files):
            reasons = sorted({item.yanked for item in files if item.yanked})
            check.ignored[version] = "yanked" + (f": {'; '.join(reasons)}" if reasons else "")
        else:
            check.requires_python[version] = requires_python(files)
            (check.prereleases if parsed.is_prerelease else check.new).append(version)
    check.new.sort(key=matrix.parse_version)
    check.prereleases.sort(key=matrix.parse_version)
    if check.new:
        check.target, check.queued = check.new[0], check.new[1:]
    return check


def check_summary(check: Check, index: str = "PyPI") -> str:
    lines = ["## New cozepy releases", ""]
    if check.target:
        if check.new:
            lines.append(f"New on {index}, not in the version table: {', '.join(check.new)}.")
        lines.append(f"Testing **cozepy {check.target}** with the `latest` cells.")
        unsupported = check.unsupported()
        if unsupported:
            lines.append(
                f"cozepy {check.target} requires Python {check.target_requires_python}: it does not support "
                f"Python {', '.join(unsupported)}, whose `latest` cells are skipped (not run) for that reason."
            )
        if check.queued:
            lines.append(f"Tested by the next runs, one at a time: {', '.join(check.queued)}.")
    else:
        lines.append(f"No new cozepy release: every final release on {index} is in the version table.")
    if check.prereleases:
        first = check.prereleases[-1]
        lines.append(
            f"Pre-releases available, tested only when asked (`check --requested {first}`): "
            f"{', '.join(check.prereleases)}."
        )
    for version, why in check.ignored.items():
        lines.append(f"- {version}: not tested ({why}).")
    return "\n".join(lines) + "\n"


# -- evaluate ------------------------------------------------------------------------------------


@dataclass
class Evaluation:
    version: str
    outcome: str
    title: str
    #: Python -> why it has no verdict (not installable, did not run, wrong version installed).
    not_installable: dict[str, str] = field(default_factory=dict)
    not_run: dict[str, str] = field(default_factory=dict)
    #: Python -> why its cell was skipped: the release does not support it (its requires-python).
    unsupported: dict[str, str] = field(default_factory=dict)
    #: (story, test node id, reason) of every failing test.
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: Tests not offered on every pinned release that run on the new one (news).
    new_capabilities: list[str] = field(default_factory=list)
    #: Capabilities the newest pinned release offers and the new one lacks (a break): one line each.
    lost_capabilities: list[str] = field(default_factory=list)
    #: Lost capabilities whose removal is recorded as deliberate (``Capability(removed_in=...)``).
    removed_capabilities: list[str] = field(default_factory=list)
    #: The stories of the tests that need a lost capability.
    lost_stories: list[str] = field(default_factory=list)
    baseline_note: str = ""
    report_markdown: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "outcome": self.outcome,
            "title": self.title,
            "not_installable": self.not_installable,
            "not_run": self.not_run,
            "unsupported": self.unsupported,
            "failures": [{"story": s, "nodeid": n, "reason": r} for s, n, r in self.failures],
            "new_capabilities": self.new_capabilities,
            "lost_capabilities": self.lost_capabilities,
            "removed_capabilities": self.removed_capabilities,
            "baseline_note": self.baseline_note,
        }


def _baseline_states(baseline: Mapping[str, Any]) -> tuple[dict[str, dict[str, set[str]]], list[str]]:
    """Test node id -> {pinned release: the states its Pythons had} from a report JSON (schema 2, or
    the schema 1 of reports written before), and the pinned releases (oldest first). Pythons that did
    not run or could not install are left out."""
    pinned = [entry["release"] for entry in baseline.get("releases", []) if entry.get("release") != matrix.LATEST]
    ignored = {State.NOT_RUN.value, State.NOT_INSTALLABLE.value}
    states: dict[str, dict[str, set[str]]] = {}
    if baseline.get("schema") == jsonreport.SCHEMA:
        for nodeid, by_release in jsonreport.cell_states(baseline).items():
            states[nodeid] = {
                release: set(by_python.values()) - ignored
                for release, by_python in by_release.items()
                if release in pinned
            }
        return states, pinned
    for story in baseline.get("stories", []):
        for test in story.get("tests", []):
            states[test["nodeid"]] = {
                release: {item["state"] for item in aggregate.get("by_python", {}).values()} - ignored
                for release, aggregate in test.get("releases", {}).items()
                if release in pinned
            }
    return states, pinned


def _capability_news(report: Report, baseline: Mapping[str, Any] | None, evaluation: Evaluation) -> None:
    if baseline is None:
        evaluation.baseline_note = (
            "No baseline report of the pinned releases was available: new and lost capabilities were not checked."
        )
        return
    states, pinned = _baseline_states(baseline)
    if not pinned:
        evaluation.baseline_note = (
            "The baseline report has no pinned release: new and lost capabilities were not checked."
        )
        return
    newest = pinned[-1]
    for block in report.stories:
        for row in block.tests:
            verdict = row.releases[matrix.LATEST].verdict
            before = states.get(row.nodeid)
            if before is None:
                continue
            seen = set().union(*before.values()) if before else set()
            if verdict.state in (State.PASS, State.FAIL) and seen == {State.NOT_OFFERED.value}:
                evaluation.new_capabilities.append(
                    f"{row.nodeid} ({verdict.label}; not offered by {', '.join(pinned)})"
                )
    evaluation.baseline_note = f"Compared with the pinned releases {pinned[0]}\u2013{newest} (baseline report)."
    offers = baseline.get("capabilities")
    if not isinstance(offers, dict):
        evaluation.baseline_note += " The baseline has no capability data: lost capabilities were not checked."
        return
    _lost_capabilities(report, offers, pinned, evaluation)


def _lost_capabilities(
    report: Report, baseline_offers: Mapping[str, Any], pinned: Sequence[str], evaluation: Evaluation
) -> None:
    """The report's rule (``report.lost.find_lost``) over the baseline's pinned releases, then the new one."""
    offers: dict[str, dict[str, bool]] = {
        str(name): {release: offered for release, offered in by_release.items() if release in pinned}
        for name, by_release in baseline_offers.items()
        if isinstance(by_release, dict)
    }
    for name, by_release in report.capabilities.items():
        if matrix.LATEST in by_release:
            offers.setdefault(name, {})[matrix.LATEST] = by_release[matrix.LATEST]
    order = [*pinned, matrix.LATEST]
    for loss in find_lost(offers, order, {matrix.LATEST: evaluation.version}):
        if loss.lost_in != matrix.LATEST:  # lost among the pinned releases: the matrix reports it already
            continue
        tests = sorted(
            nodeid
            for cell in report.cell_results.values()
            for nodeid, record in cell.tests.items()
            if record.capabilities.get(loss.name) is False
        )
        stories = {
            cell.tests[nodeid].story
            for cell in report.cell_results.values()
            for nodeid in tests
            if nodeid in cell.tests
        }
        line = (
            f"`{loss.name}`: {loss.what} (cozepy {loss.offered_by} offers it, {evaluation.version} does not; "
            f"skipped for it: {', '.join(f'`{nodeid}`' for nodeid in dict.fromkeys(tests))})"
        )
        if loss.is_break:
            evaluation.lost_capabilities.append(line)
            evaluation.lost_stories = sorted({*evaluation.lost_stories, *stories})
        else:
            evaluation.removed_capabilities.append(f"{line}: removed deliberately ({loss.removal})")


def evaluate(
    version: str,
    results_dir: Path,
    baseline: Mapping[str, Any] | None = None,
    pythons: Sequence[str] = matrix.PYTHONS,
) -> Evaluation:
    """Judge the ``latest`` cells that installed ``version`` (see the module docstring)."""
    matrix.parse_version(version)
    report = build(results_dir, pythons=pythons, releases=[matrix.LATEST])
    evaluation = Evaluation(version=version, outcome=INCONCLUSIVE, title="")
    for python in pythons:
        cell = report.cell_results.get(matrix.Cell(python, matrix.LATEST).id)
        if cell is None:
            evaluation.not_run[python] = "no results (the cell did not run)"
        elif cell.status == UNSUPPORTED:
            evaluation.unsupported[python] = cell.reason or f"cozepy {version} does not support Python {python}"
        elif cell.status == NOT_INSTALLABLE_STATUS:
            evaluation.not_installable[python] = f"installing cozepy {version} failed"
        elif cell.status != INSTALLED:
            evaluation.not_run[python] = f"the cell stopped while {cell.status}"
        elif not cell.has_report:
            evaluation.failures.append(("-", f"Python {python}", "pytest wrote no report: it failed to start"))
        elif cell.installed != version:
            evaluation.not_run[python] = f"installed cozepy {cell.installed}, not {version}"
        elif not cell.finished:
            evaluation.not_run[python] = "the pytest run did not finish"
    checked = [
        python
        for python in pythons
        if python not in evaluation.not_run
        and python not in evaluation.not_installable
        and python not in evaluation.unsupported
    ]
    for block in report.stories:
        for row in block.tests:
            for python in checked:
                verdict = row.releases[matrix.LATEST].by_python.get(python)
                # A known break is a catalogue bug that affects the new release too (its range is open, as a
                # bug not fixed up to the newest pinned release is): not news. A regression fails outright.
                if verdict is not None and verdict.state is State.FAIL and not verdict.known and not verdict.whole_cell:
                    evaluation.failures.append((block.story, row.nodeid, f"Python {python}: {verdict.reason}"))
    _capability_news(report, baseline, evaluation)
    if evaluation.not_installable:
        evaluation.outcome = INSTALL_FAILURE
        evaluation.title = f"cozepy {version} cannot be installed on Python {', '.join(evaluation.not_installable)}"
    elif evaluation.failures or evaluation.lost_capabilities:
        evaluation.outcome = INCOMPATIBLE
        stories = sorted({*(story for story, _, _ in evaluation.failures if story != "-"), *evaluation.lost_stories})
        where = f" ({', '.join(stories)})" if stories else ""
        evaluation.title = f"cozepy {version} breaks the compatibility matrix{where}"
    elif evaluation.not_run or not checked:
        evaluation.outcome = INCONCLUSIVE
        evaluation.title = f"cozepy {version}: inconclusive, some Pythons did not run"
    else:
        evaluation.outcome = COMPATIBLE
        evaluation.title = f"Add cozepy {version} to the version table"
    title = f"cozepy {version} (the `latest` cells)"
    evaluation.report_markdown = render_markdown(report, title=title, heading="###", details=True)
    if len(evaluation.report_markdown) > BODY_LIMIT:  # GitHub refuses issue bodies over 65536 characters
        evaluation.report_markdown = render_markdown(report, title=title, heading="###", details=False)
    return evaluation


def evaluation_markdown(evaluation: Evaluation, run_url: str = "") -> str:
    """The body of the issue, the pull request and the job summary."""
    lines = [f"## {evaluation.title}", ""]
    verdicts = {
        COMPATIBLE: "Every story test ran on every Python the release supports and nothing broke.",
        INCOMPATIBLE: "The release breaks stories that the pinned releases pass (or drops what they offer).",
        INSTALL_FAILURE: "The release could not be installed: this is an install problem, not a verdict on its API.",
        INCONCLUSIVE: "Some cells did not run: no verdict. The watch tries again on its next run.",
    }
    lines.append(verdicts[evaluation.outcome])
    if run_url:
        lines.append(f"Run: {run_url}")
    for title, items in (
        ("Not installable", [f"Python {p}: {why}" for p, why in evaluation.not_installable.items()]),
        ("Not run", [f"Python {p}: {why}" for p, why in evaluation.not_run.items()]),
        ("Not supported by the release (skipped)", [f"Python {p}: {why}" for p, why in evaluation.unsupported.items()]),
        ("Failing tests", [f"{story} `{nodeid}`: {reason}" for story, nodeid, reason in evaluation.failures]),
        ("Lost capabilities (a break)", evaluation.lost_capabilities),
        (
            "Capabilities removed deliberately (recorded with `Capability(removed_in=...)`)",
            evaluation.removed_capabilities,
        ),
        (
            "News: new capabilities (not offered by any pinned release, running now)",
            [f"`{item}`" for item in evaluation.new_capabilities],
        ),
    ):
        if items:
            lines += ["", f"### {title}", "", *(f"- {item}" for item in items)]
    if evaluation.baseline_note:
        lines += ["", evaluation.baseline_note]
    if evaluation.outcome == COMPATIBLE:
        lines += [
            "",
            "### Before merging",
            "",
            f"- This pull request adds cozepy {evaluation.version} to the version table "
            f"(`src/coze_compat/data/releases.json`, `python -m coze_compat.releases add {evaluation.version}`) as "
            f"pinned and writes `src/coze_compat/data/constraints/cozepy-{evaluation.version}.txt` "
            f"(`nox -s constraints -- {evaluation.version}`), and recomputes what each release installs next to "
            "(`src/coze_compat/data/dependencies.json`, `nox -s dependencies`).",
            "- CI runs the whole matrix on this branch; then refresh the README table with "
            "`python -m coze_compat.report readme` from the full results.",
        ]
    lines += ["", evaluation.report_markdown]
    return "\n".join(lines).rstrip() + "\n"


# -- add a release to the version table ----------------------------------------------------------


def add_release(path: Path, version: str, today: str = "") -> None:
    """Add ``version`` to the version table file ``path`` (``data/releases.json``) as pinned."""
    parsed = matrix.parse_version(version)
    table = matrix.read_table(path)  # a broken table is a clear error before anything is written
    if any(matrix.parse_version(entry.version) == parsed for entry in table.releases):
        raise ValueError(f"cozepy {version} is already in the version table ({path})")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["releases"].append({"version": version, "status": matrix.PINNED})
    data["releases"].sort(key=lambda entry: matrix.parse_version(str(entry["version"])))
    if today:
        data["as_of"] = today
    path.write_text(table_text(data), encoding="utf-8")


def table_text(data: Mapping[str, Any]) -> str:
    """The version table as JSON with one release per line, the way ``data/releases.json`` is written."""
    head = {key: value for key, value in data.items() if key not in ("releases", "excluded_cells")}
    lines = ["{", *(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}," for key, value in head.items())]
    entries = [json.dumps(entry, ensure_ascii=False) for entry in data["releases"]]
    lines.append('  "releases": [')
    lines += [f"    {entry}{',' if number < len(entries) - 1 else ''}" for number, entry in enumerate(entries)]
    lines.append("  ],")
    lines.append(f'  "excluded_cells": {json.dumps(data.get("excluded_cells") or [], ensure_ascii=False)}')
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- CLI -----------------------------------------------------------------------------------------


def _write_outputs(path: Path | None, values: Mapping[str, str]) -> None:
    """Append ``name=value`` lines for ``$GITHUB_OUTPUT`` (values are single-line by construction)."""
    if path is None:
        return
    with path.open("a", encoding="utf-8") as output:
        for name, value in values.items():
            if "\n" in value:
                raise ValueError(f"output {name} must be one line")
            output.write(f"{name}={value}\n")


def _append(path: Path | None, text: str) -> None:
    if path is not None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)


def _empty_outputs(outcome: str) -> dict[str, str]:
    return {"outcome": outcome, "version": "", "queued": "", "known": "false", "requires_python": "", "unsupported": ""}


def cmd_check(args: argparse.Namespace, fetcher: Fetcher = urllib_fetch) -> int:
    requested = matrix.parse_version(args.requested) if args.requested else None
    known = [version for version in matrix.known_versions() if matrix.parse_version(version) != requested]
    index = _index_name(args.url)
    try:
        releases = fetch_index(fetcher, args.url, args.timeout)
    except PypiError as error:
        message = f"## New cozepy releases\n\nOutage of {index}, not a verdict on cozepy: {error}\n"
        _append(args.summary, message)
        _write_outputs(args.github_output, _empty_outputs(PYPI_ERROR))
        print(message, file=sys.stderr)
        return 1
    check = find_new(releases, known)
    if requested is not None:
        found = [version for version in (*check.new, *check.prereleases) if matrix.parse_version(version) == requested]
        if not found:
            message = f"cozepy {args.requested} is not an installable release on {index}"
            why = next((why for version, why in check.ignored.items() if version == args.requested), None)
            print(message + (f" ({why})" if why else ""), file=sys.stderr)
            return 2
        check.target, check.queued = found[0], []
    summary = check_summary(check, index)
    _append(args.summary, summary)
    print(summary)
    _write_outputs(
        args.github_output,
        {
            "outcome": check.outcome,
            "version": check.target or "",
            "queued": " ".join(check.queued),
            # A version the table already knows (re-tested by hand) gets a verdict but no pull request.
            "known": "true" if check.target in matrix.known_versions() else "false",
            # For the latest cells (COZE_COMPAT_LATEST_REQUIRES_PYTHON): they skip the Pythons it excludes.
            "requires_python": check.target_requires_python,
            "unsupported": " ".join(check.unsupported()),
        },
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    baseline: dict[str, Any] | None = None
    if args.baseline is not None and args.baseline.is_file():
        try:
            loaded = json.loads(args.baseline.read_text(encoding="utf-8"))
            baseline = loaded if isinstance(loaded, dict) else None
        except ValueError:
            baseline = None
    evaluation = evaluate(args.version, args.results, baseline, pythons=args.pythons or matrix.PYTHONS)
    body = evaluation_markdown(evaluation, args.run_url)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "evaluation.json").write_text(json.dumps(evaluation.to_json(), indent=2) + "\n", encoding="utf-8")
    kind = "pr" if evaluation.outcome == COMPATIBLE else "issue"
    (args.out / f"{kind}-title.txt").write_text(evaluation.title + "\n", encoding="utf-8")
    (args.out / f"{kind}.md").write_text(body, encoding="utf-8")
    _append(args.summary, body)
    _write_outputs(args.github_output, {"outcome": evaluation.outcome})
    print(f"cozepy {args.version}: {evaluation.outcome}: {evaluation.title}")
    return 1 if evaluation.outcome == INCONCLUSIVE else 0


def cmd_add(args: argparse.Namespace) -> int:
    add_release(args.table, args.version, datetime.date.today().isoformat())
    print(f"added cozepy {args.version} as pinned to {args.table}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.releases", description="The new-release watch.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="which releases on PyPI the version table lacks")
    check.add_argument(
        "--requested", default="", help="test this version (even if known) instead of the newest new one"
    )
    check.add_argument("--url", default=PYPI_URL, help="cozepy's Simple API project page (default: PyPI's)")
    check.add_argument("--timeout", type=float, default=TIMEOUT)
    check.add_argument("--github-output", type=Path, help="append outcome/version/queued here ($GITHUB_OUTPUT)")
    check.add_argument("--summary", type=Path, help="append Markdown here ($GITHUB_STEP_SUMMARY)")
    evaluate_ = commands.add_parser("evaluate", help="judge the latest cells that installed the new release")
    evaluate_.add_argument("--version", required=True)
    evaluate_.add_argument("--results", type=Path, default=matrix.PROJECT_ROOT / "results")
    evaluate_.add_argument("--baseline", type=Path, help="report.json of the pinned releases (last CI run)")
    evaluate_.add_argument("--out", type=Path, default=matrix.PROJECT_ROOT / "results" / "release-watch")
    evaluate_.add_argument("--run-url", default="")
    evaluate_.add_argument(
        "--pythons", nargs="+", help="the Pythons whose latest cells must have run (default: every one of the matrix)"
    )
    evaluate_.add_argument("--github-output", type=Path)
    evaluate_.add_argument("--summary", type=Path)
    add = commands.add_parser("add", help="add a release to the version table as pinned")
    add.add_argument("version")
    add.add_argument("--table", type=Path, default=matrix.RELEASES_FILE, help="the version table file")
    return parser


def main(argv: Sequence[str] | None = None, fetcher: Fetcher = urllib_fetch) -> int:
    args = _parser().parse_args(list(argv) if argv is not None else None)
    try:
        if args.command == "check":
            return cmd_check(args, fetcher)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        return cmd_add(args)
    except (matrix.UnknownReleaseError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
