"""The yardstick: every bug of the catalogue (``coze_compat.bugs``) against the results.

A bug is *shown* when the results show it at exactly the releases the catalogue names:

* shown by known breaks (the default): on every affected release that has results, some test is a
  known break with that bug (the ``known_break`` property the pytest plugin records) on every
  Python that ran the release, and no test is on a release the bug does not affect. A bug masked
  there by an earlier bug of the same test's marker (``masked_breaks``: both affect the release,
  the test fails with the first) counts as shown: e.g. a cancel race cannot happen while the cancel
  itself is rejected, and the test that shows the race fails on those releases all the same;
* shown by a capability (``Bug(capability=...)``, a defect fixed by adding what was missing): the
  tests that need the capability are *not offered* on every affected release that recorded it,
  and offered on every later release that recorded it (from the first affected one on; a release
  before the bug's range may lack the capability too: the feature can be newer than the bug).

Otherwise it is *partially shown* (the releases missing and the extra ones are named), *not shown*
(no test shows it: the catalogue's ``not_shown`` says why), or *without results* (none of its
releases ran). The score is how many of the catalogue's bugs are shown. A bug shown at releases
outside its range is a **catalogue error** (its range is wrong, or the results are stale), listed
on its own, as is a bug id the results name and the catalogue does not define.

``latest`` is left out: the catalogue's ranges are over the pinned releases. Standard library only.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from coze_compat import matrix
from coze_compat.bugs import Bug
from coze_compat.report.model import BugCheck, MatrixRow, Results
from coze_compat.report.ranges import release_ranges

#: release -> the Pythons whose cell of that release ran its tests.
Ran = Mapping[str, Sequence[str]]


def applies(bug: Bug, release: str) -> bool:
    """Whether the catalogue says ``bug`` affects ``release`` (``False`` for a column that is no version)."""
    try:
        return matrix.matches(release, bug.releases)
    except matrix.UnknownReleaseError:
        return False


def shown_by_tests(
    rows: Iterable[MatrixRow], cells: Mapping[str, tuple[str, str]]
) -> dict[str, dict[str, dict[str, set[str]]]]:
    """bug id -> release -> Python -> the tests that are a known break with that bug in that cell."""
    shown: dict[str, dict[str, dict[str, set[str]]]] = {}
    for row in rows:
        for cell_id, verdict in row.cells.items():
            if verdict.known and verdict.bug:
                python, release = cells[cell_id]
                for bug in (verdict.bug, *verdict.masked):
                    shown.setdefault(bug, {}).setdefault(release, {}).setdefault(python, set()).add(row.nodeid)
    return shown


def capability_tests(results: Results, cells: Mapping[str, tuple[str, str]]) -> dict[str, list[str]]:
    """capability name -> the tests that need it (as the cells recorded them), in order of first sight."""
    tests: dict[str, dict[str, None]] = {}
    for cell_id in cells:
        cell = results.cells.get(cell_id)
        for nodeid, record in cell.tests.items() if cell is not None else ():
            for name in record.capabilities:
                tests.setdefault(name, {})[nodeid] = None
    return {name: list(nodeids) for name, nodeids in tests.items()}


def _by_tests(bug: Bug, order: Sequence[str], ran: Ran, shown: Mapping[str, Mapping[str, set[str]]]) -> BugCheck:
    affected = tuple(release for release in order if applies(bug, release))
    with_results = tuple(release for release in affected if ran.get(release))
    missing = []
    for release in with_results:
        pythons = shown.get(release, {})
        lacking = tuple(python for python in ran[release] if python not in pythons)
        if lacking:
            missing.append((release, lacking if pythons else ()))
    tests = {
        nodeid: None
        for release in affected
        for nodeids in shown.get(release, {}).values()
        for nodeid in sorted(nodeids)
    }
    return BugCheck(
        bug=bug,
        affected=affected,
        with_results=with_results,
        shown_at=tuple(release for release in affected if shown.get(release)),
        missing=tuple(missing),
        extra=tuple(release for release in order if release not in affected and shown.get(release)),
        tests=tuple(tests),
    )


def _by_capability(bug: Bug, order: Sequence[str], offers: Mapping[str, bool], tests: Sequence[str]) -> BugCheck:
    affected = tuple(release for release in order if applies(bug, release))
    with_results = tuple(release for release in affected if release in offers)
    start = order.index(affected[0]) if affected else len(order)
    return BugCheck(
        bug=bug,
        affected=affected,
        with_results=with_results,
        shown_at=tuple(release for release in with_results if not offers[release]),
        missing=tuple((release, ()) for release in with_results if offers[release]),
        extra=tuple(
            release
            for release in order[start:]
            if release not in affected and release in offers and not offers[release]
        ),
        tests=tuple(tests) if any(not offers[release] for release in with_results) else (),
    )


def check(
    catalogue: Mapping[str, Bug],
    order: Sequence[str],
    ran: Ran,
    shown: Mapping[str, Mapping[str, Mapping[str, set[str]]]],
    offers: Mapping[str, Mapping[str, bool]],
    needing: Mapping[str, Sequence[str]],
) -> tuple[list[BugCheck], list[str]]:
    """Every bug of ``catalogue`` over the releases ``order`` (oldest first, no ``latest``), and the
    catalogue errors. ``ran``: the Pythons that ran each release; ``shown``: ``shown_by_tests``;
    ``offers``: capability -> release -> offered; ``needing``: capability -> the tests that need it."""
    checks: list[BugCheck] = []
    errors: list[str] = []
    for bug in catalogue.values():
        if bug.capability:
            item = _by_capability(bug, order, offers.get(bug.capability, {}), needing.get(bug.capability, ()))
        else:
            item = _by_tests(bug, order, ran, shown.get(bug.id, {}))
        checks.append(item)
        if item.extra:
            where = "its capability's tests are not offered" if bug.capability else "tests show it"
            errors.append(
                f"`{bug.id}`: {where} on {release_ranges(item.extra, order)}, outside its releases "
                f"({spec_text(bug)}): its range in the catalogue (src/coze_compat/bugs/) is wrong, or the results "
                "are stale"
            )
        if not matrix.releases_in(bug.releases):
            errors.append(f"`{bug.id}`: its releases ({spec_text(bug)}) match no release of the version table")
        if bug.not_shown and item.shown_at:
            errors.append(f"`{bug.id}` says no test shows it ({bug.not_shown}), but tests show it")
    for bug_id in shown:
        if bug_id not in catalogue:
            releases = [release for release in order if release in shown[bug_id]]
            errors.append(
                f"results show bug `{bug_id}`"
                + (f" on {release_ranges(releases, order)}" if releases else "")
                + ", which the catalogue does not define (stale results, or a renamed bug)"
            )
    return checks, errors


def spec_text(bug: Bug) -> str:
    """The bug's range as written in the catalogue: ``<0.7.0`` or ``==0.3.0, >=0.10.0,<0.14.0``."""
    return bug.releases if isinstance(bug.releases, str) else ", ".join(bug.releases)


def fix_text(bug: Bug) -> str:
    """``fixed in 0.7.0 by coze-dev/coze-py#100``, or ``not fixed up to 0.20.0``."""
    fixed = bug.fixed_in
    if fixed is None:
        return f"not fixed up to {matrix.newest_pinned()}"
    return f"fixed in {fixed}" + (f" by {bug.fixed_by}" if bug.fixed_by else "")
