"""Upgrade advice: what moving from one cozepy release to another changes for the tests of a matrix.

From any matrix's results (this project's stories or a team's own tests; a results folder, or the
``report.json`` a report wrote), for ``--from A --to B``:

* **gains**: tests *not offered* on A that run on B: the features B offers (grouped by feature,
  with the first release on the way from which they are offered);
* **no longer offered**: the reverse (a feature B lacks);
* **fixed**: tests failing on A (a known break, with the ``coze_compat.bugs`` id the test names,
  or a plain failure) that pass on B, with the release from which they pass;
* **new breaks on the way**: each stretch of releases after A where a test fails for a reason it
  did not fail for on A, whether it is still there on B or gone again;
* **still broken**: tests failing on A and on B for the same reason;
* **dependencies**: how Requires-Python and the httpx and pydantic ranges move (``data/dependencies.json``,
  read through ``coze_compat.dependencies``): the floors for the matrix's Pythons, and whether
  each release installs next to the current httpx and pydantic.

A test's state on a release is its state in the report: the worst across the Pythons that ran.
Releases on the way are those with results between A and B. The same advice, from every release
to the newest, is a compact section of the HTML report (``upgrade_html``).

Standard library plus ``packaging`` (as ``dependencies``), Python 3.8 syntax.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, Tuple

from packaging.markers import InvalidMarker, Marker
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from coze_compat import dependencies, matrix, servers
from coze_compat.report.derive import feature_of, release_free
from coze_compat.report.jsonreport import CODE_STATES, SCHEMA
from coze_compat.report.model import Aggregate, Column, Report
from coze_compat.report.ranges import release_ranges

#: ``Verdict.css`` values that mean the test ran on the release, and those that mean it failed there.
RUNNING = ("pass", "fail", "known")
FAILING = ("fail", "known")
NOT_OFFERED = "not-offered"
#: How a release-free not-offered reason starts (``derive.release_free``).
NOT_OFFERED_PREFIX = "not offered: "
#: Where the advice names a failure's reason, at most this many characters of it.
REASON_LIMIT = 220


class UpgradeError(ValueError):
    """The releases asked for are not in the results, or the results cannot be read."""


# -- what the advice is computed from --------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One test on one release: its state (``Verdict.css``), the reason without the release, the
    bugs its known breaks name there, and for *not offered* the feature."""

    state: str
    reason: str = ""
    bugs: tuple[str, ...] = ()
    feature: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        """What makes two failures the same break: the bugs they name, else the reason."""
        return self.bugs or (self.reason,)


@dataclass
class TestHistory:
    nodeid: str
    group: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)


@dataclass
class History:
    """Every test's outcome on every release with results, oldest release first."""

    releases: tuple[str, ...]
    tests: list[TestHistory]
    dependencies: dependencies.Table | None = None


def _outcome(state: str, reason: str, by_python: Sequence[Mapping[str, Any]]) -> Outcome:
    """``reason`` names its release (``not offered by cozepy 0.13.1: X``, a report) or not (``not
    offered: X``, a report.json, which stores reasons once for every release)."""
    bugs = sorted({str(item["bug"]) for item in by_python if item.get("bug")})
    free = release_free(reason)
    feature = ""
    if state == NOT_OFFERED:
        feature = feature_of(reason) or (free[len(NOT_OFFERED_PREFIX) :] if free.startswith(NOT_OFFERED_PREFIX) else "")
    return Outcome(state, free, tuple(bugs), feature)


def _aggregate_outcome(item: Aggregate) -> Outcome:
    verdicts = [{"bug": verdict.bug} for verdict in item.by_python.values()]
    return _outcome(item.verdict.css, item.verdict.reason, verdicts)


def from_report(report: Report) -> History:
    tests = [
        TestHistory(
            row.nodeid, block.story, {release: _aggregate_outcome(item) for release, item in row.releases.items()}
        )
        for block in report.stories
        for row in block.tests
    ]
    return History(tuple(column.release for column in report.columns), tests, report.dependencies)


def from_json(data: Mapping[str, Any], table: dependencies.Table | None = None) -> History:
    """The history in a ``report.json`` (schema ``coze-compat-report/2``, ``report.jsonreport``): each
    test's state and reason per release, and the bugs its known breaks show (the ``breaks`` findings)."""
    try:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}, not {SCHEMA}")
        releases = tuple(str(item["release"]) for item in data["releases"])
        reasons = [str(text) for text in data.get("reasons", [])]
        shown: dict[tuple[str, str], list[str]] = {}  # (node id, release) -> the bugs it shows there
        for entry in data["findings"]["breaks"]:
            for test in entry["tests"] if entry.get("bug") else ():
                for release in test["releases"]:
                    shown.setdefault((str(test["nodeid"]), str(release)), []).append(str(entry["bug"]))
        tests = []
        for block in data["stories"]:
            for test in block["tests"]:
                nodeid, outcomes = str(test["nodeid"]), {}
                for index, release in enumerate(releases):
                    code = test["states"][index]
                    state = "known" if code == "K" else CODE_STATES[code]
                    reason = reasons[test["reasons"][release]] if release in test.get("reasons", {}) else ""
                    bugs = [{"bug": bug} for bug in shown.get((nodeid, release), [])]
                    outcomes[release] = _outcome(state, reason, bugs)
                tests.append(TestHistory(nodeid, str(block["story"]), outcomes))
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
        raise UpgradeError(f"not a coze-compat report (report.json, schema {SCHEMA}): {error!r}") from None
    return History(releases, tests, table)


def load(path: Path, table: dependencies.Table | None = None, server: str = servers.HOSTED) -> History:
    """A results folder (the cells' ``results/``), or a ``report.json`` file; the history against
    ``server`` (its cells, or in a report.json its part: ``servers.coze-studio``)."""
    servers.check(server)
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UpgradeError(f"{path}: cannot read the report: {error}") from None
        if isinstance(data, dict) and server != data.get("server", servers.HOSTED):
            part = (data.get("servers") or {}).get(server)
            if part is None:
                raise UpgradeError(f"{path}: the report has no results against {servers.title(server)}")
            data = part
        return from_json(data, table)
    from coze_compat.report import team

    if not path.is_dir():
        raise UpgradeError(f"{path}: no such results folder or report.json")
    return from_report(team.build(path, dependencies=table, server=server))


# -- the advice ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gain:
    """A feature offered on the target and not on the start (or, reversed, no longer offered)."""

    feature: str
    release: str  # the first release on the way from which it is offered (or missing)
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """Tests that fail (or stopped failing) for one reason: the bugs it names, the reason, the releases.

    For a fix, ``releases`` is the release from which the tests pass; for a new break, the stretch
    of releases on the way where they fail this way (``remains``: still on the target); for a break
    that stays, empty."""

    bugs: tuple[str, ...]
    reason: str
    known: bool
    releases: tuple[str, ...]
    tests: tuple[str, ...]
    remains: bool = False


@dataclass(frozen=True)
class DependencyMove:
    """Requires-Python, httpx or pydantic between the two releases."""

    name: str
    before: str
    after: str
    floor_before: str | None
    floor_after: str | None
    #: Whether the release installs next to the current version (``None`` for Python: not checked).
    current: str | None = None
    installs_before: bool | None = None
    installs_after: bool | None = None


@dataclass
class Advice:
    start: str
    target: str
    path: tuple[str, ...]
    tests: int
    gains: list[Gain] = field(default_factory=list)
    losses: list[Gain] = field(default_factory=list)
    fixes: list[Finding] = field(default_factory=list)
    new_breaks: list[Finding] = field(default_factory=list)
    stays: list[Finding] = field(default_factory=list)
    #: Tests with no result on the start or the target, or not installable there (not compared).
    not_compared: list[str] = field(default_factory=list)
    dependencies: list[DependencyMove] = field(default_factory=list)
    #: Why there is no dependency comparison (no data, or a release it does not cover); "" when there is.
    dependency_note: str = ""


def _path(history: History, start: str, target: str) -> tuple[str, ...]:
    known = ", ".join(history.releases) or "none"
    for release in (start, target):
        if release not in history.releases:
            raise UpgradeError(f"cozepy {release} has no results here; releases with results: {known}")
    first, last = history.releases.index(start), history.releases.index(target)
    if first >= last:
        raise UpgradeError(f"--from {start} must be an older release than --to {target} (releases: {known})")
    return history.releases[first : last + 1]


def _from_which(test: TestHistory, path: Sequence[str], holds: Callable[[Outcome], bool]) -> str:
    """The first release of ``path`` from which ``holds`` is true on every later release with a result."""
    first = path[-1]
    for release in reversed(path):
        outcome = test.outcomes.get(release)
        if outcome is None or outcome.state == "not-run":
            continue
        if not holds(outcome):
            break
        first = release
    return first


def _breaks_on_the_way(test: TestHistory, path: Sequence[str]) -> list[tuple[Outcome, tuple[str, ...]]]:
    """Each stretch of releases after the start where the test fails for a reason it did not fail for there."""
    start = test.outcomes[path[0]]
    old = start.key if start.state in FAILING else None
    stretches: list[tuple[Outcome, list[str]]] = []
    previous: tuple[str, ...] | None = old
    for release in path[1:]:
        outcome = test.outcomes.get(release)
        if outcome is None or outcome.state == "not-run":
            continue  # a release without a result neither starts nor ends a stretch
        key = outcome.key if outcome.state in FAILING else None
        if key is not None and key != old:
            if key == previous and stretches:
                stretches[-1][1].append(release)
            else:
                stretches.append((outcome, [release]))
        previous = key
    return [(outcome, tuple(releases)) for outcome, releases in stretches]


Key = Tuple[Tuple[str, ...], str, bool, Tuple[str, ...], bool]


def _add(
    found: dict[Key, list[str]], outcome: Outcome, releases: tuple[str, ...], nodeid: str, remains: bool = False
) -> None:
    found.setdefault((outcome.bugs, outcome.reason, outcome.state == "known", releases, remains), []).append(nodeid)


def _findings(found: dict[Key, list[str]]) -> list[Finding]:
    return [
        Finding(bugs, reason, known, releases, tuple(tests), remains)
        for (bugs, reason, known, releases, remains), tests in found.items()
    ]


def _group_gains(found: dict[str, tuple[str, list[str]]], order: Sequence[str]) -> list[Gain]:
    gains = [Gain(feature, release, tuple(tests)) for feature, (release, tests) in found.items()]
    return sorted(gains, key=lambda gain: (order.index(gain.release), gain.feature))


def _add_gain(
    found: dict[str, tuple[str, list[str]]], feature: str, release: str, nodeid: str, order: Sequence[str]
) -> None:
    earliest, tests = found.get(feature, (release, []))
    found[feature] = (min(earliest, release, key=order.index), [*tests, nodeid])


def advise(history: History, start: str, target: str) -> Advice:
    path = _path(history, start, target)
    advice = Advice(start, target, path, len(history.tests))
    gained: dict[str, tuple[str, list[str]]] = {}
    lost: dict[str, tuple[str, list[str]]] = {}
    fixes: dict[Key, list[str]] = {}
    new: dict[Key, list[str]] = {}
    stays: dict[Key, list[str]] = {}
    for test in history.tests:
        before, after = test.outcomes.get(start), test.outcomes.get(target)
        if before is None or after is None or {before.state, after.state} & {"not-run", "not-installable"}:
            advice.not_compared.append(test.nodeid)
            continue
        if before.state == NOT_OFFERED and after.state in RUNNING:
            since = _from_which(test, path, lambda outcome: outcome.state in RUNNING)
            _add_gain(gained, before.feature or before.reason, since, test.nodeid, path)
        elif before.state in RUNNING and after.state == NOT_OFFERED:
            since = _from_which(test, path, lambda outcome: outcome.state == NOT_OFFERED)
            _add_gain(lost, after.feature or after.reason, since, test.nodeid, path)
        if before.state in FAILING and after.state == "pass":
            _add(fixes, before, (_from_which(test, path, lambda outcome: outcome.state == "pass"),), test.nodeid)
        elif before.state in FAILING and after.state in FAILING and before.key == after.key:
            _add(stays, before, (), test.nodeid)
        for outcome, releases in _breaks_on_the_way(test, path):
            _add(new, outcome, releases, test.nodeid, remains=releases[-1] == target)
    advice.gains, advice.losses = _group_gains(gained, path), _group_gains(lost, path)
    advice.fixes, advice.new_breaks, advice.stays = _findings(fixes), _findings(new), _findings(stays)
    advice.dependencies, advice.dependency_note = _dependency_moves(history.dependencies, start, target)
    return advice


# -- dependencies ------------------------------------------------------------------------------------


def _lower_bounds(specifier: str) -> list[Version]:
    try:
        specs = SpecifierSet(specifier)
    except InvalidSpecifier:
        return []
    bounds = []
    for spec in specs:
        if spec.operator in (">=", ">", "==", "~=", "==="):
            try:
                bounds.append(Version(spec.version.rstrip(".*")))
            except InvalidVersion:
                continue
    return bounds


def _applies(marker: str, pythons: Sequence[str]) -> bool:
    if not marker:
        return True
    try:
        parsed = Marker(marker)
    except InvalidMarker:
        return True
    return any(parsed.evaluate({"python_version": p, "python_full_version": f"{p}.0"}) for p in pythons)


def floor(ranges: Sequence[dependencies.Range], pythons: Sequence[str] = matrix.PYTHONS) -> str | None:
    """The lowest version the ranges allow on any of ``pythons`` (markers for other Pythons ignored)."""
    bounds = [bound for item in ranges if _applies(item.marker, pythons) for bound in _lower_bounds(item.specifier)]
    return str(min(bounds)) if bounds else None


def _python_floor(requires_python: str) -> str | None:
    bound = min(_lower_bounds(requires_python), default=None)
    return str(bound) if bound is not None else None


def ranges_text(ranges: Sequence[dependencies.Range]) -> str:
    return (
        "; ".join(f"{r.specifier or 'any version'}" + (f" if {r.marker}" if r.marker else "") for r in ranges)
        or "not required"
    )


def _dependency_moves(table: dependencies.Table | None, start: str, target: str) -> tuple[list[DependencyMove], str]:
    if table is None:
        return [], "no dependency data given"
    try:
        before, after = table.entry(start), table.entry(target)
    except dependencies.DependenciesError as error:
        return [], str(error)
    moves = [
        DependencyMove(
            "Python",
            before.requires_python,
            after.requires_python,
            _python_floor(before.requires_python),
            _python_floor(after.requires_python),
        )
    ]
    for name in dependencies.PACKAGES:
        moves.append(
            DependencyMove(
                name,
                ranges_text(before.requires[name]),
                ranges_text(after.requires[name]),
                floor(before.requires[name]),
                floor(after.requires[name]),
                table.current.get(name),
                before.next_to[name].installs,
                after.next_to[name].installs,
            )
        )
    return moves, ""


# -- rendering -------------------------------------------------------------------------------------------


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "\u2026"


def _bugs(bugs: Sequence[str]) -> str:
    return " ".join(f"[{bug}]" for bug in bugs)


#: How many tests a line of the advice names before "and N more".
TEST_LIMIT = 6


def _what(item: Finding) -> str:
    """``[bug-id] known break: the cause`` (the reason without the bug id it starts with)."""
    reason = item.reason
    for bug in item.bugs:
        reason = reason[len(f"[{bug}]") :].strip() if reason.startswith(f"[{bug}]") else reason
    kind = "known break" if item.known else "fail"
    return " ".join(filter(None, (_bugs(item.bugs), f"{kind}: {_short(reason) or 'failed'}")))


def _tests(tests: Sequence[str]) -> str:
    shown = ", ".join(f"`{test}`" for test in tests[:TEST_LIMIT])
    return shown + (f" and {len(tests) - TEST_LIMIT} more" if len(tests) > TEST_LIMIT else "")


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def dependency_line(move: DependencyMove) -> str:
    label = "Requires-Python" if move.name == "Python" else move.name
    if move.before == move.after:
        text = f"- {label}: `{move.after}` (unchanged)"
    else:
        text = f"- {label}: `{move.before}` \u2192 `{move.after}`"
    if move.floor_before != move.floor_after:
        where = "" if move.name == "Python" else f" on Python {matrix.PYTHONS[0]}\u2013{matrix.PYTHONS[-1]}"
        text += f"; the floor{where} moves from {move.floor_before or 'none'} to {move.floor_after or 'none'}"
    if move.current is not None:
        verdicts = f"{_yes_no(move.installs_before)} \u2192 {_yes_no(move.installs_after)}"
        text += f"; installs next to {move.name} {move.current}: {verdicts}"
    return text


def render_markdown(advice: Advice, heading: str = "##") -> str:
    """The advice as Markdown (also what ``coze-compat upgrade`` prints)."""
    sub = heading + "#"
    on_the_way = advice.path[1:-1]
    intro = (
        f"From the results of {advice.tests} tests on cozepy {', '.join(advice.path)}"
        f" ({'releases on the way: ' + ', '.join(on_the_way) if on_the_way else 'no release on the way has results'})."
        " A test's state on a release is the worst across the Pythons that ran."
    )
    lines = [f"{heading} Upgrading cozepy {advice.start} \u2192 {advice.target}", "", intro, ""]

    def section(title: str, items: Sequence[str], empty: str) -> None:
        lines.extend([f"{sub} {title}", "", *(items or [empty]), ""])

    section(
        "What the tests gain (newly offered)",
        [f"- {gain.feature}: offered from {gain.release} ({_tests(gain.tests)})" for gain in advice.gains],
        "Nothing: every feature the tests exercise on the target is offered on the start too.",
    )
    if advice.losses:
        section(
            "No longer offered",
            [f"- {gain.feature}: missing from {gain.release} ({_tests(gain.tests)})" for gain in advice.losses],
            "",
        )
    section(
        "Breaks fixed",
        [f"- {_what(fix)}: passes from {fix.releases[0]} ({_tests(fix.tests)})" for fix in advice.fixes],
        "None.",
    )
    section(
        "New breaks on the way",
        [
            f"- on {release_ranges(item.releases, advice.path)}"
            + (", still on the target" if item.remains else f", gone again by {advice.target}")
            + f": {_what(item)} ({_tests(item.tests)})"
            for item in advice.new_breaks
        ],
        "None.",
    )
    section(
        "Still broken on the target",
        [f"- {_what(stay)} ({_tests(stay.tests)})" for stay in advice.stays],
        "None.",
    )
    dependency = [dependency_line(move) for move in advice.dependencies]
    section("Dependencies", dependency, f"Not compared: {advice.dependency_note}.")
    if advice.not_compared:
        lines += [
            f"Not compared (no result on {advice.start} or {advice.target}): {len(advice.not_compared)} tests.",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def finding_json(item: Finding) -> dict[str, Any]:
    return {
        "bugs": list(item.bugs),
        "known": item.known,
        "reason": item.reason,
        "releases": list(item.releases),
        "remains": item.remains,
        "tests": list(item.tests),
    }


def advice_json(advice: Advice) -> dict[str, Any]:
    def gains(items: Sequence[Gain]) -> list[dict[str, Any]]:
        return [{"feature": g.feature, "release": g.release, "tests": list(g.tests)} for g in items]

    return {
        "schema": "coze-compat-upgrade/1",
        "from": advice.start,
        "to": advice.target,
        "path": list(advice.path),
        "tests": advice.tests,
        "gains": gains(advice.gains),
        "losses": gains(advice.losses),
        "fixes": [finding_json(item) for item in advice.fixes],
        "new_breaks": [finding_json(item) for item in advice.new_breaks],
        "stays": [finding_json(item) for item in advice.stays],
        "not_compared": list(advice.not_compared),
        "dependencies": [vars(move) for move in advice.dependencies],
        "dependency_note": advice.dependency_note,
    }


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _count_cell(count: int, css: str, details: Sequence[str], small: str) -> str:
    """A number of tests (coloured by ``css``, none for gains), the details on hover, ``small`` below."""
    classes = f' class="state {css}"' if count and css != "gain" else ""
    title = f' title="{_e(chr(10).join(details))}"' if details else ""
    return f"<td{classes}{title}>{count}" + (f"<br><small>{_e(small)}</small>" if small else "") + "</td>"


def _findings_cell(findings: Sequence[Finding], css: str, path: Sequence[str]) -> str:
    """How many tests the findings name; their bug ids below; each finding's releases and tests on hover."""
    if css == "fail" and findings and all(item.known for item in findings):
        css = "known"
    details = [
        f"{_hover_what(item)} ({release_ranges(item.releases, path) or 'on both'}): {_hover_tests(item.tests)}"
        for item in findings
    ]
    bugs = sorted({bug for item in findings for bug in item.bugs})
    return _count_cell(sum(len(item.tests) for item in findings), css, details, " ".join(bugs))


#: How many tests a hover of the HTML section names: the page repeats it for every release, and the per-story
#: tables list every test (naming them all, with each bug's cause, made the section 0.7 MB of the 2.2 MB page
#: at full scale).
HOVER_LIMIT = 2


def _hover_what(item: Finding) -> str:
    """A bug by its id only (its cause is in the report's bug list); a plain failure by its reason."""
    return f"{_bugs(item.bugs)} known break" if item.known and item.bugs else _what(item)


def _hover_tests(tests: Sequence[str]) -> str:
    shown = ", ".join(tests[:HOVER_LIMIT])
    return shown + (f" and {len(tests) - HOVER_LIMIT} more" if len(tests) > HOVER_LIMIT else "")


def _floor_cell(move: DependencyMove) -> str:
    if move.floor_before == move.floor_after:
        return f'<td title="{_e(move.after)}">{_e(move.floor_after or "any")} =</td>'
    moved = f"{move.floor_before or 'any'} \u2192 {move.floor_after or 'any'}"
    return f'<td title="{_e(move.before)} \u2192 {_e(move.after)}"><strong>{_e(moved)}</strong></td>'


def upgrade_html(report: Report, columns: Sequence[Column]) -> str:
    """A compact section: from each release to the newest shown, what the tests gain, which breaks
    are fixed, which appear on the way, which stay, and how the dependency floors move."""
    history = from_report(report)
    releases = [column.release for column in columns if column.release != matrix.LATEST]
    if len(releases) < 2:
        return ""
    target = releases[-1]
    rows = []
    for start in releases[:-1]:
        advice = advise(history, start, target)
        gains = [f"{gain.feature} (from {gain.release}): {len(gain.tests)} tests" for gain in advice.gains]
        cells = [
            f'<th scope="row">{_e(start)}</th>',
            _count_cell(len(gains), "gain", gains, ""),
            _findings_cell(advice.fixes, "pass", advice.path),
            _findings_cell(advice.new_breaks, "fail", advice.path),
            _findings_cell(advice.stays, "fail", advice.path),
        ]
        moves = {move.name: move for move in advice.dependencies}
        for name in ("Python", *dependencies.PACKAGES):
            cells.append(_floor_cell(moves[name]) if name in moves else "<td>?</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    header = [
        "From",
        "Gains",
        "Breaks fixed",
        "New breaks on the way",
        "Still broken",
        "Python floor",
        "httpx floor",
        "pydantic floor",
    ]
    return (
        f'<section id="upgrade"><h2>Upgrade advice: to cozepy {_e(target)}</h2>'
        f"<p>From each release to {_e(target)}: features the tests gain, breaks fixed (bug ids of the catalogue), "
        "new breaks on the way (also those gone again by the target), breaks that stay, and the dependency floors "
        f"(lowest version allowed on Python {matrix.PYTHONS[0]}\u2013{matrix.PYTHONS[-1]}). Hover a number for the "
        f"tests; <code>coze-compat upgrade --from X --to {_e(target)}</code> gives the details.</p>"
        f'<table class="findings" id="upgrade-table"><thead><tr>{"".join(f"<th>{_e(h)}</th>" for h in header)}</tr>'
        "</thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
