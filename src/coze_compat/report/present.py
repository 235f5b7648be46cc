"""What the renderers share: how each state is labelled, test display names, numbered notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from coze_compat import dependencies, matrix
from coze_compat.report.derive import release_free, release_ranges
from coze_compat.report.model import Aggregate, Break, MatrixRow, Report, StoryBlock, Verdict

#: css key (``Verdict.css``) -> (Markdown glyph, short HTML label, legend text). Order = legend order.
STATE_STYLES: dict[str, dict[str, str]] = {
    "pass": {"glyph": "\u2705", "short": "pass", "legend": "pass"},
    "fail": {"glyph": "\u274c", "short": "FAIL", "legend": "fail"},
    "known": {
        "glyph": "\u26a0\ufe0f",
        "short": "known",
        "legend": "fail, known break (the release fails the test in a way already recorded; reason in the notes)",
    },
    "not-offered": {
        "glyph": "\u2796",
        "short": "n/o",
        "legend": "not offered (the release lacks the feature the test exercises)",
    },
    "not-installable": {"glyph": "\U0001f6ab", "short": "n/i", "legend": "not installable"},
    "not-run": {"glyph": "\u2b1c", "short": "n/r", "legend": "not run (no result for this cell)"},
}
DIFFERS_MARK = "\u2260"


def glyph(verdict: Verdict) -> str:
    return STATE_STYLES[verdict.css]["glyph"]


def short(verdict: Verdict) -> str:
    return STATE_STYLES[verdict.css]["short"]


def count_text(item: Aggregate) -> str:
    """For a story summary: ``4/13`` = tests in the worst state / tests in the story (empty if all)."""
    total = sum(item.counts.values())
    count = item.counts.get(item.verdict.css, 0)
    return "" if count == total else f"{count}/{total}"


def display_names(block: StoryBlock) -> dict[str, str]:
    """Test node id -> the shortest unambiguous name within its story (function, else Class::function)."""
    names: dict[str, str] = {}
    functions: dict[str, list[str]] = {}
    for row in block.tests:
        functions.setdefault(row.name.split("::")[-1], []).append(row.nodeid)
    for row in block.tests:
        function = row.name.split("::")[-1]
        names[row.nodeid] = function if len(functions[function]) == 1 else row.name
    return names


def row_label(row: MatrixRow, name: str) -> str:
    return f"{row.task} {name}" if row.task else name


class Notes:
    """Numbered notes, each text once: ``add`` returns the number to show next to a cell."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def add(self, text: str) -> int:
        if text not in self._numbers:
            self._numbers[text] = len(self._numbers) + 1
        return self._numbers[text]

    def items(self) -> list[str]:
        return list(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


def verdict_note(verdict: Verdict) -> str:
    """The note a cell points to: the reason, prefixed with what kind of reason it is."""
    reason = release_free(verdict.reason)
    if not reason:
        return ""
    if verdict.css == "known":
        return f"known break: {reason}"
    if verdict.css == "fail":
        return f"fail: {reason}"
    if verdict.css == "not-offered":
        return reason
    return f"{verdict.label}: {reason}"


def differences_note(item: Aggregate) -> str:
    return f"Pythons differ: {'; '.join(item.differences)}" if item.differs else ""


def feature_rows(report: Report, order: Sequence[str]) -> list[tuple[str, str, str]]:
    """(feature, first release offering it, releases not offering it) for the shown releases."""
    rows = []
    for finding in report.features:
        missing = [release for release in finding.missing_in if release in order]
        if not missing:
            continue
        first = finding.first_offered if finding.first_offered in order else f"not offered up to {order[-1]}"
        if finding.missing_again:
            first = f"{first} (missing again in {release_ranges(list(finding.missing_again), order)})"
        rows.append((finding.feature, first or "", release_ranges(missing, order)))
    return rows


@dataclass(frozen=True)
class BreakGroup:
    """Tests of one story failing for one reason: the releases, and each test with its own releases
    when they differ from the group's."""

    story: str
    known: bool
    reason: str
    releases: str
    tests: tuple[tuple[str, str], ...]


def break_groups(report: Report, order: Sequence[str]) -> list[BreakGroup]:
    names: dict[str, str] = {}
    for block in report.stories:
        names.update(display_names(block))
    grouped: dict[tuple[str, bool, str], list[tuple[Break, list[str]]]] = {}
    for item in report.breaks:
        releases = [release for release in item.releases if release in order]
        if releases:
            grouped.setdefault((item.story, item.known, item.reason), []).append((item, releases))
    groups = []
    for (story, known, reason), items in grouped.items():
        every = [release for release in order if any(release in releases for _, releases in items)]
        tests = tuple(
            (
                " ".join(filter(None, (item.task, names.get(item.nodeid, item.nodeid)))),
                "" if releases == every else release_ranges(releases, order),
            )
            for item, releases in items
        )
        groups.append(BreakGroup(story, known, reason, release_ranges(every, order), tests))
    return groups


def context_items(report: Report, order: Sequence[str]) -> list[str]:
    """Plain-text lines about what the table leaves out: Pythons not run, releases not in the matrix,
    cells with problems."""
    lines = [f"Python {python}: not run ({reason})." for python, reason in report.pythons_not_run.items()]
    superseded = [version for version, status, _ in report.not_run_releases if status == "superseded"]
    lines += [
        f"cozepy {version}: {status}, not in the matrix ({reason})."
        for version, status, reason in report.not_run_releases
        if status != "superseded"
    ]
    if superseded:
        lines.append(
            f"Superseded by a newer patch of their minor line, not in the matrix: cozepy {', '.join(superseded)}."
        )
    lines += [
        f"{cell_id}: {'; '.join(notes)}."
        for cell_id, notes in report.cell_notes.items()
        if report.cells[cell_id][1] in order
    ]
    return lines


@dataclass(frozen=True)
class DependencyRow:
    """Consecutive releases with the same dependency data: their ranges (``0.2.0-0.5.0``) and the
    first one's entry (uv's reasons name that release)."""

    releases: str
    entry: dependencies.Entry


def dependency_rows(report: Report, order: Sequence[str]) -> list[DependencyRow]:
    """The dependency table's rows for the shown releases (``latest`` has no data: it is not pinned)."""
    if report.dependencies is None:
        return []
    shown = [release for release in order if release != matrix.LATEST]
    return [
        DependencyRow(release_ranges(list(versions), shown), entry)
        for versions, entry in dependencies.group(report.dependencies, shown)
    ]


def dependency_columns(table: dependencies.Table) -> list[str]:
    """The headers of the verdict columns, in ``dependencies.CHECKS`` order."""
    return [
        f"next to {check}" if check == dependencies.BOTH else f"next to {check} {table.current[check]}"
        for check in dependencies.CHECKS
    ]


def dependency_note(entry: dependencies.Entry, check: str) -> str:
    """Why the release does not install next to the pins of ``check``, in uv's words ("" if it does)."""
    verdict = entry.next_to[check]
    return "" if verdict.installs else f"uv (cozepy {entry.version}): {verdict.reason}"


def dependency_intro(table: dependencies.Table) -> str:
    current = ", ".join(f"{name} {version}" for name, version in table.current.items())
    return (
        "What each release's metadata on PyPI allows (Requires-Dist, Requires-Python), and whether uv's "
        f"resolver installs the release next to the current {current} on Python {table.python} "
        f"(uv pip compile; computed {table.computed} with {table.resolver} by nox -s dependencies). "
        "Consecutive releases with the same row are shown as one."
    )
