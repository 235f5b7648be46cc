"""The new-release watch: find cozepy releases the version table does not know, judge their cells.

The daily workflow ``.github/workflows/new-release.yml`` calls this module's CLI; the ``gh`` CLI
does the GitHub calls, driven by the files written here:

1. ``python -m coze_compat.releases check``: ask PyPI which cozepy releases exist
   (``https://pypi.org/pypi/cozepy/json``) and pick the one to test: among the releases missing from
   ``matrix.RELEASES`` (final PEP 440 versions with at least one file not yanked), the oldest one;
   the others are tested by the next runs, one at a time. Outputs ``outcome`` = ``new`` | ``none`` |
   ``pypi-error``. A PyPI outage (HTTP error, unreachable, timeout, invalid JSON) is reported as
   such and exits 1: never "incompatible".
2. The workflow runs the ``latest`` cells with ``COZE_COMPAT_LATEST=<version>``.
3. ``python -m coze_compat.releases evaluate``: read those cells' results (and, when available,
   the last CI report of the pinned releases as baseline) and decide ``outcome``:

   * ``install-failure``: some Python could not install the release (never called incompatible);
   * ``incompatible``: a test fails, or a feature the newest pinned release offers is gone;
   * ``inconclusive``: some Python did not run (or installed another version): exits 1, no issue;
   * ``compatible``: every Python ran and nothing broke.

   Also *news*: a test that was "not offered" on every pinned release runs on the new one (a new
   capability). It writes ``issue-title.txt``/``issue.md`` (for a break or an install failure) or
   ``pr-title.txt``/``pr.md`` (compatible), and ``evaluation.json``.
4. ``python -m coze_compat.releases add <version>``: add the release to the version table
   (``data/releases.json``) as pinned; then ``nox -s constraints -- <version>`` writes its pin set
   and ``nox -s dependencies`` its dependency data (``data/dependencies.json``).

Standard library only; the PyPI fetcher is injectable so tests never touch the network.
"""

from __future__ import annotations

import argparse
import datetime
import json
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from coze_compat import matrix
from coze_compat.report import build
from coze_compat.report.markdown import render_markdown
from coze_compat.report.model import INSTALLED, NOT_INSTALLABLE_STATUS, Report, State

PYPI_URL = "https://pypi.org/pypi/cozepy/json"
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

#: ``fetcher(url, timeout) -> body``; raises ``urllib.error.URLError``/``OSError`` on failure.
Fetcher = Callable[[str, float], bytes]


class PypiError(Exception):
    """PyPI could not tell which releases exist: an outage, not a verdict on cozepy."""


def urllib_fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "coze-compat-release-watch"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
        return body


def fetch_pypi(fetcher: Fetcher = urllib_fetch, url: str = PYPI_URL, timeout: float = TIMEOUT) -> dict[str, Any]:
    """PyPI's JSON for cozepy, or ``PypiError`` saying what went wrong."""
    try:
        body = fetcher(url, timeout)
    except urllib.error.HTTPError as error:
        raise PypiError(f"PyPI answered HTTP {error.code} ({error.reason}) for {url}") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, (socket.timeout, TimeoutError)):
            raise PypiError(f"PyPI did not answer within {timeout:g} s ({url})") from error
        raise PypiError(f"PyPI could not be reached ({url}): {error.reason}") from error
    except (socket.timeout, TimeoutError) as error:
        raise PypiError(f"PyPI did not answer within {timeout:g} s ({url})") from error
    except OSError as error:
        raise PypiError(f"PyPI could not be reached ({url}): {error}") from error
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PypiError(f"PyPI's answer for {url} is not valid JSON: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("releases"), dict):
        raise PypiError(f"PyPI's answer for {url} has no 'releases' mapping")
    return data


@dataclass
class Check:
    """What PyPI has that the version table lacks."""

    #: Installable final releases missing from the table, oldest first.
    new: list[str] = field(default_factory=list)
    #: Releases missing from the table that are not tested, with why (pre-release, yanked, no files).
    ignored: dict[str, str] = field(default_factory=dict)
    #: The release to test now: the oldest new one (every release is a column, each is tested in turn).
    target: str | None = None
    #: The other new releases, tested by the next runs.
    queued: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return NEW if self.target else NONE


def find_new(pypi: Mapping[str, Any], known: Sequence[str]) -> Check:
    """Compare PyPI's releases with the table's ``known`` versions (PEP 440: ``1.0`` is ``1.0.0``)."""
    check = Check()
    known_parsed = {matrix.parse_version(version) for version in known}
    releases = pypi.get("releases") or {}
    for version, files in releases.items():
        try:
            parsed = matrix.parse_version(version)
        except matrix.UnknownReleaseError:
            check.ignored[version] = "not a PEP 440 version"
            continue
        if parsed in known_parsed:
            continue
        if parsed.is_prerelease:
            check.ignored[version] = "a pre-release (tested only when asked: `check --requested`)"
        elif not files:
            check.ignored[version] = "no files on PyPI"
        elif all(isinstance(item, dict) and item.get("yanked") for item in files):
            check.ignored[version] = "yanked"
        else:
            check.new.append(version)
    check.new.sort(key=matrix.parse_version)
    if check.new:
        check.target, check.queued = check.new[0], check.new[1:]
    return check


def check_summary(check: Check) -> str:
    lines = ["## New cozepy releases", ""]
    if check.target:
        lines.append(f"New on PyPI, not in the version table: {', '.join(check.new)}.")
        lines.append(f"Testing **cozepy {check.target}** with the `latest` cells.")
        if check.queued:
            lines.append(f"Tested by the next runs, one at a time: {', '.join(check.queued)}.")
    else:
        lines.append("No new cozepy release: every release on PyPI is in the version table.")
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
    #: (story, test node id, reason) of every failing test.
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: Tests not offered on every pinned release that run on the new one (news).
    new_capabilities: list[str] = field(default_factory=list)
    #: Tests the newest pinned release runs that the new one skips as not offered (a break).
    lost_capabilities: list[str] = field(default_factory=list)
    baseline_note: str = ""
    report_markdown: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "outcome": self.outcome,
            "title": self.title,
            "not_installable": self.not_installable,
            "not_run": self.not_run,
            "failures": [{"story": s, "nodeid": n, "reason": r} for s, n, r in self.failures],
            "new_capabilities": self.new_capabilities,
            "lost_capabilities": self.lost_capabilities,
            "baseline_note": self.baseline_note,
        }


def _baseline_states(baseline: Mapping[str, Any]) -> tuple[dict[str, dict[str, set[str]]], list[str]]:
    """Test node id -> {pinned release: the states its Pythons had} from a report JSON, and the
    pinned releases (oldest first). Pythons that did not run or could not install are left out."""
    pinned = [entry["release"] for entry in baseline.get("releases", []) if entry.get("release") != matrix.LATEST]
    ignored = {State.NOT_RUN.value, State.NOT_INSTALLABLE.value}
    states: dict[str, dict[str, set[str]]] = {}
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
    offered = {State.PASS.value, State.FAIL.value}
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
            if verdict.state is State.NOT_OFFERED and before.get(newest, set()) & offered:
                was = ", ".join(sorted(before[newest] & offered))
                evaluation.lost_capabilities.append(f"{row.nodeid}: {verdict.reason} (cozepy {newest}: {was})")
    evaluation.baseline_note = f"Compared with the pinned releases {pinned[0]}\u2013{newest} (baseline report)."


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
    checked = [p for p in pythons if p not in evaluation.not_run and p not in evaluation.not_installable]
    for block in report.stories:
        for row in block.tests:
            for python in checked:
                verdict = row.releases[matrix.LATEST].by_python.get(python)
                if verdict is not None and verdict.state is State.FAIL and not verdict.whole_cell:
                    evaluation.failures.append((block.story, row.nodeid, f"Python {python}: {verdict.reason}"))
    _capability_news(report, baseline, evaluation)
    if evaluation.not_installable:
        evaluation.outcome = INSTALL_FAILURE
        evaluation.title = f"cozepy {version} cannot be installed on Python {', '.join(evaluation.not_installable)}"
    elif evaluation.failures or evaluation.lost_capabilities:
        evaluation.outcome = INCOMPATIBLE
        stories = sorted({story for story, _, _ in evaluation.failures if story != "-"})
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
        COMPATIBLE: "Every story test ran on every Python and nothing broke.",
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
        ("Failing tests", [f"{story} `{nodeid}`: {reason}" for story, nodeid, reason in evaluation.failures]),
        ("No longer offered (a break)", [f"`{item}`" for item in evaluation.lost_capabilities]),
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
            f"- This pull request adds cozepy {evaluation.version} to `src/coze_compat/matrix.py` as pinned and writes "
            f"`constraints/cozepy-{evaluation.version}.txt` (`nox -s constraints -- {evaluation.version}`), and "
            "recomputes what each release installs next to (`src/coze_compat/data/dependencies.json`, "
            "`nox -s dependencies`).",
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


def cmd_check(args: argparse.Namespace, fetcher: Fetcher = urllib_fetch) -> int:
    if args.requested:
        matrix.parse_version(args.requested)
        known = [version for version in matrix.known_versions() if version != args.requested]
    else:
        known = list(matrix.known_versions())
    try:
        pypi = fetch_pypi(fetcher, args.url, args.timeout)
    except PypiError as error:
        message = f"## New cozepy releases\n\nPyPI outage, not a verdict on cozepy: {error}\n"
        _append(args.summary, message)
        _write_outputs(args.github_output, {"outcome": PYPI_ERROR, "version": "", "queued": "", "known": "false"})
        print(message, file=sys.stderr)
        return 1
    check = find_new(pypi, known)
    if args.requested:
        if args.requested not in check.new:
            message = f"cozepy {args.requested} is not an installable release on PyPI"
            if args.requested in check.ignored:
                message += f" ({check.ignored[args.requested]})"
            print(message, file=sys.stderr)
            return 2
        check.target, check.queued = args.requested, []
    summary = check_summary(check)
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
    evaluation = evaluate(args.version, args.results, baseline)
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
    check.add_argument("--url", default=PYPI_URL)
    check.add_argument("--timeout", type=float, default=TIMEOUT)
    check.add_argument("--github-output", type=Path, help="append outcome/version/queued here ($GITHUB_OUTPUT)")
    check.add_argument("--summary", type=Path, help="append Markdown here ($GITHUB_STEP_SUMMARY)")
    evaluate_ = commands.add_parser("evaluate", help="judge the latest cells that installed the new release")
    evaluate_.add_argument("--version", required=True)
    evaluate_.add_argument("--results", type=Path, default=matrix.PROJECT_ROOT / "results")
    evaluate_.add_argument("--baseline", type=Path, help="report.json of the pinned releases (last CI run)")
    evaluate_.add_argument("--out", type=Path, default=matrix.PROJECT_ROOT / "results" / "release-watch")
    evaluate_.add_argument("--run-url", default="")
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
