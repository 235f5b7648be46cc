"""Derive: turn collected results into states, per-release aggregates, story summaries and findings.

The rules (one cell = one Python x one cozepy release):

* a cell whose ``cell.json`` says ``not-installable``, or that ``matrix.EXCLUDED_CELLS`` names, is
  **not installable** for every test;
* a cell with no results (no folder: the interpreter is missing here; or still installing) is
  **not run**;
* in a cell that ran, a test is **fail** if any phase (setup, call, teardown) failed; a strict
  xfail (``known_break``) is **fail** too, marked *known* with its reason; a skip whose reason
  starts with ``not offered by cozepy`` is **not offered**; any other skip is **not run** (with
  the skip's reason); otherwise **pass**; a test missing from a cell that ran is **not run**,
  unless its module failed to collect there (then **fail**);
* a *not offered* skip for a capability that the release before offered is **fail**: a lost
  capability (``report.lost``), unless the capability records the removal as deliberate;
* across Pythons (per release), and across tests (per story), the worst state wins
  (fail > not installable > not offered > pass); *not run* counts only when nothing ran;
* a known break carries the id of the catalogue bug it shows (the ``known_break`` property the
  plugin records, or the ``[bug-id]`` its reason starts with), and the breaks of one bug are one
  finding however many tests and ranges show it; every bug of the catalogue is then checked
  against the results (``report.yardstick``).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from packaging.version import InvalidVersion, Version

from coze_compat import bugs, matrix, servers
from coze_compat.dependencies import Table as DependencyTable
from coze_compat.report.collect import longrepr_text, story_of
from coze_compat.report.lost import (
    capability_offers,
    find_lost,
    is_lost,
    lost_feature,
    mark_lost,
    release_versions,
)
from coze_compat.report.model import (
    INSTALLED,
    INSTALLING,
    MISSING,
    NOT_INSTALLABLE_STATUS,
    OTHER_STORY,
    STORY_TITLES,
    UNSUPPORTED,
    Aggregate,
    Break,
    CellResult,
    Column,
    FeatureFinding,
    MatrixRow,
    RecordedTest,
    Report,
    Results,
    State,
    StoryBlock,
    Verdict,
)
from coze_compat.report.ranges import python_ranges
from coze_compat.report.yardstick import capability_tests, check, shown_by_tests

NOT_OFFERED_PREFIX = "not offered by cozepy"
_NOT_OFFERED_RE = re.compile(r"^not offered by cozepy (?P<version>\S+?):\s*(?P<feature>.*)$", re.DOTALL)
_KNOWN_BREAK_RE = re.compile(r"^known break in cozepy \S+?:\s*", re.DOTALL)
_BUG_ID_RE = re.compile(r"^(?:known break in cozepy \S+?:\s*)?\[(?P<id>[A-Za-z0-9_.-]+)\]")
_REASON_LIMIT = 300


def version_key(version: str) -> tuple[bool, Version, str]:
    """A sort key by PEP 440 (``packaging``): ``"0.9.1" < "0.10.0" < "1.0" < "1.0.post1"``,
    ``"3.9" < "3.10"``; anything that is not a version sorts last, by its text."""
    try:
        return (False, Version(version), "")
    except InvalidVersion:
        return (True, Version("0"), version)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "\u2026"


def feature_of(reason: str) -> str | None:
    """``not offered by cozepy 0.2.0: AsyncCoze (the async client)`` -> ``AsyncCoze (the async client)``
    (also for the failure of a lost capability, whose reason wraps the not-offered one)."""
    lost = lost_feature(reason)
    match = _NOT_OFFERED_RE.match(lost[1] if lost else reason.strip())
    return match.group("feature").strip() if match else None


def _missing_feature(verdict: Verdict) -> str | None:
    """The feature a verdict says the release lacks: a *not offered* skip, or a lost capability."""
    return feature_of(verdict.reason) if verdict.state is State.NOT_OFFERED or is_lost(verdict) else None


def release_free(reason: str) -> str:
    """A reason without the release it names, so the same reason on several releases reads once."""
    lost = lost_feature(reason)
    if lost:
        return f"lost capability: {feature_of(reason)} (cozepy {lost[0]} offered it)"
    match = _NOT_OFFERED_RE.match(reason)
    if match:
        return f"not offered: {match.group('feature').strip()}"
    return _KNOWN_BREAK_RE.sub("", reason)


def bug_of(reason: str) -> str | None:
    """The bug id an xfail reason starts with (``known break in cozepy 0.2.0: [timeout-ignored] ...``)."""
    match = _BUG_ID_RE.match(reason.strip())
    return match.group("id") if match else None


def test_verdict(record: RecordedTest) -> Verdict:
    """The state of one test in one cell that ran, from its setup/call/teardown reports."""
    failed = [phase for phase in record.phases if phase.outcome == "failed"]
    if failed:
        phase = failed[0]
        where = "" if phase.when == "call" else f"error in {phase.when}: "
        return Verdict(State.FAIL, _short(where + (longrepr_text(phase.longrepr) or "failed")))
    xfailed = [phase for phase in record.phases if phase.wasxfail is not None]
    if xfailed:
        reason = xfailed[0].wasxfail or "expected failure"
        bug = record.known_break or bug_of(reason)
        return Verdict(State.FAIL, _short(reason), known=True, bug=bug, masked=record.masked_breaks)
    skipped = [phase for phase in record.phases if phase.outcome == "skipped"]
    if skipped:
        reason = longrepr_text(skipped[0].longrepr)
        if reason.startswith(NOT_OFFERED_PREFIX):
            return Verdict(State.NOT_OFFERED, _short(reason))
        return Verdict(State.NOT_RUN, _short(f"skipped: {reason}" if reason else "skipped"))
    if not any(phase.when == "call" for phase in record.phases):
        return Verdict(State.NOT_RUN, "no result recorded for the test body (run interrupted?)")
    return Verdict(State.PASS)


def cell_verdict(cell: CellResult | None, python: str, release: str) -> Verdict | None:
    """The verdict for every test of a cell that did not run its tests, ``None`` when it ran them."""
    excluded = matrix.excluded_cell_reason(python, release)
    if excluded is not None:
        return Verdict(State.NOT_INSTALLABLE, _short(f"excluded from the matrix: {excluded}"), whole_cell=True)
    if cell is None or cell.status == MISSING:
        why = (
            cell.nox_reason if cell is not None and cell.nox_reason else "no results: the interpreter is missing here?"
        )
        return Verdict(State.NOT_RUN, _short(why), whole_cell=True)
    if cell.status == NOT_INSTALLABLE_STATUS:
        return Verdict(
            State.NOT_INSTALLABLE, f"cozepy {release} could not be installed on Python {python}", whole_cell=True
        )
    if cell.status == UNSUPPORTED:
        reason = cell.reason or f"cozepy {release} does not support Python {python}"
        return Verdict(State.NOT_RUN, _short(reason), whole_cell=True)
    if cell.status == INSTALLING:
        return Verdict(
            State.NOT_RUN, "the cell did not finish installing (interrupted, or still running)", whole_cell=True
        )
    if cell.status != INSTALLED:
        return Verdict(State.NOT_RUN, f"unexpected cell status {cell.status!r}", whole_cell=True)
    if not cell.has_report:
        return Verdict(
            State.FAIL,
            "pytest wrote no report: it failed to start, or the run stopped first (see the cell's log)",
            whole_cell=True,
        )
    return None


def verdict_in_cell(cell: CellResult, nodeid: str) -> Verdict:
    record = cell.tests.get(nodeid)
    if record is not None:
        return test_verdict(record)
    for collected, error in cell.collect_errors.items():
        if nodeid == collected or nodeid.startswith(collected.rstrip("/") + ("::" if ".py" in collected else "/")):
            return Verdict(State.FAIL, _short(f"collection error: {error}"))
    if cell.finished:
        return Verdict(State.NOT_RUN, "not collected in this cell")
    return Verdict(State.NOT_RUN, "not reached: the pytest run did not finish")


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """Worst state wins; a fail is *known* only when every fail is known; ``NOT_RUN`` only if all are."""
    items = list(verdicts)
    if not items:
        return Verdict(State.NOT_RUN, "no results")
    top = max(item.state.severity for item in items)
    same = [item for item in items if item.state.severity == top]
    known = all(item.known for item in same)
    whole_cell = all(item.whole_cell for item in same)
    reasons = []
    for item in same:
        if item.reason and item.reason not in reasons and (known or not item.known):
            reasons.append(item.reason)
    found = {item.bug for item in same}
    return Verdict(
        same[0].state,
        "; ".join(reasons),
        known=known and same[0].state is State.FAIL,
        whole_cell=whole_cell,
        bug=found.pop() if known and len(found) == 1 else None,
    )


def aggregate(by_python: Mapping[str, Verdict], pythons: Sequence[str], ignore: Iterable[str] = ()) -> Aggregate:
    """One release: the worst state across the Pythons that ran, and how they differ.

    ``ignore``: Pythons that ran nowhere (reported once for the whole report, not in every cell);
    a Python whose cell has no results is no difference either (``present.context_items`` names it).
    """
    skip = set(ignore)
    ran = {python: verdict for python, verdict in by_python.items() if verdict.state is not State.NOT_RUN}
    verdict = worst(ran.values()) if ran else worst(by_python.values())
    differences: tuple[str, ...] = ()
    # A cell with no results at all (its Python did not run it) is named once in the report's
    # context, not as a difference of every test.
    shown = {
        python: v
        for python, v in by_python.items()
        if python not in skip and not (v.state is State.NOT_RUN and v.whole_cell)
    }
    labels = {v.label for v in shown.values()}
    if ran and len(labels) > 1:
        by_label: dict[str, list[str]] = {}
        for python in pythons:
            if python in shown:
                by_label.setdefault(shown[python].label, []).append(python)
        differences = tuple(f"{python_ranges(group, pythons)}: {label}" for label, group in by_label.items())
    return Aggregate(verdict=verdict, by_python=dict(by_python), differences=differences)


def story_aggregate(
    rows: Sequence[MatrixRow], release: str, pythons: Sequence[str], ignore: Iterable[str] = ()
) -> Aggregate:
    """A story on one release: the worst state of its tests, with the count of tests per state.

    Pythons differ when the story's worst state differs between them.
    """
    aggregates = [row.releases[release] for row in rows if release in row.releases]
    by_python: dict[str, Verdict] = {}
    for python in pythons:
        verdicts = [item.by_python[python] for item in aggregates if python in item.by_python]
        if verdicts:
            by_python[python] = worst(verdicts)
    story = aggregate(by_python, pythons, ignore=ignore)
    counts: dict[str, int] = {}
    for item in aggregates:
        counts[item.verdict.css] = counts.get(item.verdict.css, 0) + 1
    return Aggregate(
        verdict=worst(item.verdict for item in aggregates),
        by_python=by_python,
        differences=story.differences,
        counts=counts,
    )


def _row_sort_key(row: MatrixRow) -> tuple[str, str, int, str]:
    return (row.story, row.path, row.line, row.nodeid)


def _features(stories: Sequence[StoryBlock], order: Sequence[str]) -> list[FeatureFinding]:
    """Per capability named by a *not offered* skip: where it is missing, the first release offering it.

    A release *offers* a feature when the tests that were ever skipped for it ran there (pass or
    fail); it is *unknown* when they were skipped for another missing feature or did not run. The
    first release offering it is the first one after the last release lacking it that precedes
    the first release known to offer it (unknown releases in between count as offering it).
    """
    missing: dict[str, dict[str, None]] = {}
    tests: dict[str, dict[str, None]] = {}
    for block in stories:
        for row in block.tests:
            for release in order:
                for verdict in row.releases[release].by_python.values() if release in row.releases else ():
                    feature = _missing_feature(verdict)
                    if feature:
                        missing.setdefault(feature, {})[release] = None
                        tests.setdefault(feature, {})[row.nodeid] = None
    rows = {row.nodeid: row for block in stories for row in block.tests}
    ran = {
        release: any(
            verdict.state in (State.PASS, State.FAIL, State.NOT_OFFERED) and not verdict.whole_cell
            for row in rows.values()
            if release in row.releases
            for verdict in row.releases[release].by_python.values()
        )
        for release in order
    }
    findings = []
    for feature, lacking in missing.items():
        feature_rows = [rows[nodeid] for nodeid in tests[feature]]
        known: list[tuple[int, bool]] = []  # (position, offered) for releases whose state is known
        for position, release in enumerate(order):
            if release in lacking:
                known.append((position, False))
            elif any(
                verdict.state in (State.PASS, State.FAIL) and not verdict.whole_cell and not is_lost(verdict)
                for row in feature_rows
                if release in row.releases
                for verdict in row.releases[release].by_python.values()
            ):
                known.append((position, True))
        first_offered: str | None = None
        offered_at = len(order)
        for index, (position, offered) in enumerate(known):
            if offered:
                previous_missing = max((p for p, o in known[:index] if not o), default=-1)
                start = next((p for p in range(previous_missing + 1, position + 1) if ran[order[p]]), position)
                first_offered, offered_at = order[start], start
                break
        findings.append(
            FeatureFinding(
                feature=feature,
                missing_in=tuple(release for release in order if release in lacking),
                first_offered=first_offered,
                missing_again=tuple(
                    release for p, release in enumerate(order) if release in lacking and p > offered_at
                ),
                tests=tuple(tests[feature]),
            )
        )
    findings.sort(
        key=lambda item: (order.index(item.first_offered) if item.first_offered else len(order), item.feature)
    )
    return findings


def _breaks(stories: Sequence[StoryBlock], order: Sequence[str]) -> list[Break]:
    """Per test, its failures grouped by bug (a known break) or by reason (anything else)."""
    breaks: list[Break] = []
    for block in stories:
        for row in block.tests:
            grouped: dict[tuple[bool, str], tuple[str, str | None, list[str]]] = {}
            for release in order:
                aggregate_ = row.releases.get(release)
                if aggregate_ is None or aggregate_.verdict.state is not State.FAIL:
                    continue
                for verdict in aggregate_.by_python.values():
                    if verdict.state is State.FAIL:
                        reason = release_free(verdict.reason)
                        bug = verdict.bug if verdict.known else None
                        key = (verdict.known, f"bug:{bug}" if bug else reason)
                        releases = grouped.setdefault(key, (reason, bug, []))[2]
                        if release not in releases:
                            releases.append(release)
            for (known, _), (reason, bug, releases) in grouped.items():
                breaks.append(Break(block.story, row.nodeid, row.task, known, reason, tuple(releases), bug))
    return breaks


def derive(
    results: Results,
    pythons: Sequence[str] | None = None,
    releases: Sequence[str] | None = None,
    table: Sequence[matrix.Release] | None = None,
    dependencies: DependencyTable | None = None,
    catalogue: Mapping[str, bugs.Bug] | None = None,
    server: str = servers.HOSTED,
) -> Report:
    """The whole report for ``pythons`` x ``releases`` (default: the version table's), of the cells
    of ``server`` (``collect(..., server=)``): the yardstick judges the bugs whose home it is.

    ``table``: the releases the version table knows (default ``matrix.RELEASES``), for the list of
    those it does not run. ``dependencies``: the dependency data to show; it must cover every
    release but ``latest`` (``DependenciesError`` otherwise, saying how to regenerate it).
    ``catalogue``: the bugs to judge the results against (default ``coze_compat.bugs.all_bugs()``).
    """
    catalogue = dict(catalogue if catalogue is not None else bugs.all_bugs())
    pythons = tuple(pythons if pythons is not None else matrix.PYTHONS)
    releases = tuple(releases if releases is not None else (*matrix.pinned_releases(), matrix.LATEST))
    if dependencies is not None:  # a stale data file is an error naming the release, not a silent gap
        for release in releases:
            if release != matrix.LATEST:
                dependencies.entry(release)
    cells: dict[str, tuple[str, str]] = {}
    for release in releases:
        for python in pythons:
            cells[matrix.Cell(python, release).id] = (python, release)

    # Every test seen in any expected cell, with where it lives.
    rows: dict[str, MatrixRow] = {}
    for cell_id in cells:
        cell = results.cells.get(cell_id)
        if cell is None:
            continue
        for nodeid, record in cell.tests.items():
            if nodeid not in rows:
                rows[nodeid] = MatrixRow(nodeid, record.story, record.task, record.path, record.line)
            elif rows[nodeid].task is None and record.task:
                rows[nodeid].task = record.task
    # A module that fails to collect everywhere has no tests to show: give it a row of its own.
    for cell_id in cells:
        cell = results.cells.get(cell_id)
        for collected in cell.collect_errors if cell is not None else ():
            if collected and not any(nodeid.startswith(collected) for nodeid in rows):
                rows[collected] = MatrixRow(collected, story_of(collected), None, collected.split("::")[0], 0)

    cell_notes: dict[str, list[str]] = {}
    ran: dict[str, list[str]] = {release: [] for release in releases}  # the Pythons that ran each release
    for cell_id, (python, release) in cells.items():
        cell = results.cells.get(cell_id)
        notes: list[str] = list(cell.problems) if cell else []
        if cell is not None and cell.has_report and not cell.finished:
            notes.append("the pytest run did not finish (no SessionFinish in report.jsonl)")
        if notes:
            cell_notes[cell_id] = notes
        fixed = cell_verdict(cell, python, release)
        if fixed is None and cell is not None:
            ran[release].append(python)
        for row in rows.values():
            if fixed is not None or cell is None:
                row.cells[cell_id] = fixed or Verdict(State.NOT_RUN, "no results")
            else:
                row.cells[cell_id] = verdict_in_cell(cell, row.nodeid)

    versions = release_versions(results, cells)
    offers = capability_offers(results, cells)
    lost = find_lost(offers, releases, versions)
    mark_lost(rows.values(), results, cells, lost, versions)

    # A Python none of whose cells ran is named once, not in every column.
    pythons_not_run: dict[str, str] = {}
    for python in pythons:
        fixed_verdicts = [cell_verdict(results.cells.get(matrix.Cell(python, r).id), python, r) for r in releases]
        if all(v is not None and v.state is State.NOT_RUN for v in fixed_verdicts):
            pythons_not_run[python] = "; ".join(sorted({v.reason for v in fixed_verdicts if v is not None}))

    for row in rows.values():
        for release in releases:
            by_python = {python: row.cells[matrix.Cell(python, release).id] for python in pythons}
            row.releases[release] = aggregate(by_python, pythons, ignore=pythons_not_run)

    stories: list[StoryBlock] = []
    for story in sorted({row.story for row in rows.values()}, key=lambda s: (s == OTHER_STORY, s)):
        block = StoryBlock(story, STORY_TITLES.get(story, "Other tests"))
        block.tests = sorted((row for row in rows.values() if row.story == story), key=_row_sort_key)
        block.summary = {
            release: story_aggregate(block.tests, release, pythons, ignore=pythons_not_run) for release in releases
        }
        stories.append(block)

    columns = []
    for release in releases:
        installed = sorted(
            {
                cell.installed
                for python in pythons
                for cell in [results.cells.get(matrix.Cell(python, release).id)]
                if cell is not None and cell.installed
            },
            key=version_key,
        )
        columns.append(Column(release, tuple(installed)))

    pinned = [release for release in releases if release != matrix.LATEST]
    # The catalogue's ranges are over the pinned releases: a report of ``latest`` alone (the release
    # watch's) has no yardstick.
    # Each bug is judged on the cells of its home server; a hosted bug a Studio test still shows
    # (the SDK's own defect) is no unknown bug there.
    judged = {bug_id: bug for bug_id, bug in catalogue.items() if bug.home == server}
    shown = {
        bug_id: by_release
        for bug_id, by_release in shown_by_tests(rows.values(), cells).items()
        if bug_id in judged or bug_id not in catalogue
    }
    bug_checks, catalogue_errors = (
        check(judged, pinned, ran, shown, offers, capability_tests(results, cells)) if pinned else ([], [])
    )
    not_run_releases = [
        (entry.version, entry.status, entry.reason)
        for entry in (table if table is not None else matrix.RELEASES)
        if entry.status != matrix.PINNED
    ]
    return Report(
        pythons=pythons,
        columns=tuple(columns),
        cells=cells,
        cell_results={cell_id: results.cells[cell_id] for cell_id in cells if cell_id in results.cells},
        stories=stories,
        features=_features(stories, releases),
        breaks=_breaks(stories, releases),
        pythons_not_run=pythons_not_run,
        not_run_releases=not_run_releases,
        cell_notes=cell_notes,
        dependencies=dependencies,
        capabilities=offers,
        lost_capabilities=lost,
        catalogue=catalogue,
        bug_checks=bug_checks,
        catalogue_errors=catalogue_errors,
        server=server,
    )
