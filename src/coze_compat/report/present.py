"""What the renderers share: how each state is labelled, test display names, numbered notes,
minor lines, one entry per bug, and the yardstick's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from coze_compat import dependencies, matrix
from coze_compat.bugs import Bug
from coze_compat.report.derive import cell_verdict, release_free, worst
from coze_compat.report.model import (
    NO_RESULTS,
    NOT_SHOWN,
    PARTIAL,
    SHOWN,
    Aggregate,
    Break,
    BugCheck,
    Column,
    MatrixRow,
    Report,
    State,
    StoryBlock,
    Verdict,
)
from coze_compat.report.ranges import release_ranges
from coze_compat.report.yardstick import fix_text, spec_text

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
#: Verdict.css -> a one-letter code (a state in the JSON's state strings, a state cell's class in
#: the HTML: both have one per test and release), and each code's label (``Verdict.label``).
CODES = {"pass": "P", "fail": "F", "known": "K", "not-offered": "O", "not-installable": "I", "not-run": "R"}
CODE_LABELS = {
    "P": "pass",
    "F": "fail",
    "K": "fail (known break)",
    "O": "not offered",
    "I": "not installable",
    "R": "not run",
}
DIFFERS_MARK = "\u2260"
#: The mark of a minor line's cell whose patch releases differ (the README shows one column per line).
PATCHES_MARK = "\u0394"


def glyph(verdict: Verdict) -> str:
    return STATE_STYLES[verdict.css]["glyph"]


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
    """One break of the report: a catalogue bug with every test and release that shows it, or tests of
    one story failing for one other reason. ``tests``: each test's label with its own releases when
    they differ from the group's."""

    story: str
    known: bool
    reason: str
    releases: str
    tests: tuple[tuple[str, str], ...]
    #: The bug's id, for a known break that names its bug.
    bug_id: str | None = None
    #: The catalogue's entry (``None``: the catalogue does not define ``bug_id``).
    bug: Bug | None = None

    @property
    def fix(self) -> str:
        """``Fixed in 0.7.0 by coze-dev/coze-py#100.`` (or not fixed up to...), empty without its bug."""
        text = fix_text(self.bug) if self.bug is not None else ""
        return f"{text[:1].upper()}{text[1:]}." if text else ""


def grouped_breaks(report: Report, order: Sequence[str]) -> list[list[tuple[Break, list[str]]]]:
    """The report's breaks over ``order``, grouped: all the tests of one bug together (however many
    stories and ranges show it), in order of the first release it breaks; then the other failures per
    story and reason. Each break comes with its releases among ``order``."""
    grouped: dict[tuple[str, ...], list[tuple[Break, list[str]]]] = {}
    for item in report.breaks:
        releases = [release for release in item.releases if release in order]
        if releases:
            key = ("bug", item.bug) if item.known and item.bug else ("other", item.story, str(item.known), item.reason)
            grouped.setdefault(key, []).append((item, releases))

    def sort_key(key: tuple[str, ...]) -> tuple[int, int, str]:
        if key[0] != "bug":
            return (1, 0, "")  # stable: the other failures keep their story order
        first = min(order.index(release) for _, releases in grouped[key] for release in releases)
        return (0, first, key[1])

    return [grouped[key] for key in sorted(grouped, key=sort_key)]


def break_groups(report: Report, order: Sequence[str]) -> list[BreakGroup]:
    """The breaks over ``order`` as the renderers show them (``grouped_breaks``)."""
    names: dict[str, str] = {}
    for block in report.stories:
        names.update(display_names(block))
    groups = []
    for items in grouped_breaks(report, order):
        every = [release for release in order if any(release in releases for _, releases in items)]
        stories = list(dict.fromkeys(item.story for item, _ in items))
        tests = tuple(
            (
                " ".join(
                    filter(
                        None, (item.story if len(stories) > 1 else "", item.task, names.get(item.nodeid, item.nodeid))
                    )
                ),
                "" if releases == every else release_ranges(releases, order),
            )
            for item, releases in items
        )
        first = items[0][0]
        bug_id = first.bug if first.known else None
        bug = report.catalogue.get(bug_id) if bug_id else None
        reason = bug.cause if bug is not None else first.reason
        groups.append(
            BreakGroup(", ".join(stories), first.known, reason, release_ranges(every, order), tests, bug_id, bug)
        )
    return groups


# -- minor lines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineGroup:
    """The releases of one minor line among the shown columns (``latest`` is a line of its own)."""

    line: str
    columns: tuple[Column, ...]

    @property
    def releases(self) -> tuple[str, ...]:
        return tuple(column.release for column in self.columns)

    @property
    def title(self) -> str:
        """``0.10.0`` to ``0.10.4`` (with an en dash) for several patches, the release's title for one."""
        if len(self.columns) == 1:
            return self.columns[0].title
        return f"{self.columns[0].release}\u2013{self.columns[-1].release}"


def line_of(release: str) -> str:
    try:
        return matrix.minor_line(release)
    except matrix.UnknownReleaseError:  # ``latest``: a line of its own
        return release


def line_groups(columns: Sequence[Column]) -> list[LineGroup]:
    """Consecutive columns of one minor line, grouped: ``0.10.0 ... 0.10.4`` -> one ``0.10`` group."""
    groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        line = line_of(column.release)
        if groups and groups[-1][0] == line:
            groups[-1][1].append(column)
        else:
            groups.append((line, [column]))
    return [LineGroup(line, tuple(items)) for line, items in groups]


@dataclass(frozen=True)
class LineCell:
    """A minor line's cell: the worst state of its patches, and how they differ."""

    verdict: Verdict
    #: The count shown with a story summary's worst state (the most tests in it on one patch).
    count: str
    #: Each patch's cell text, when the patches differ (``0.6.0: ⚠️ 8/51``); empty when they agree.
    patches: tuple[str, ...]
    #: The Python differences of the patches, one line each (``0.6.2: Pythons differ: ...``).
    pythons: tuple[str, ...]


def cell_text(item: Aggregate) -> str:
    count = count_text(item)
    return glyph(item.verdict) + (f" {count}" if count else "")


def line_cell(items: Sequence[tuple[str, Aggregate]]) -> LineCell:
    """The cell of a minor line from its patches' aggregates (release, aggregate), oldest first."""
    verdict = worst(item.verdict for _, item in items)
    same = [item for _, item in items if item.verdict.css == verdict.css]
    counts = [count_text(item) for item in same]
    count = max(counts, key=lambda text: int(text.split("/")[0]) if text else 0) if counts else ""
    texts = [cell_text(item) for _, item in items]
    patches = tuple(f"{release}: {text}" for (release, _), text in zip(items, texts)) if len(set(texts)) > 1 else ()
    pythons = tuple(f"{release}: {differences_note(item)}" for release, item in items if item.differs)
    return LineCell(verdict, count, patches, pythons)


def patches_note(cell: LineCell) -> str:
    return f"Patches differ: {'; '.join(cell.patches)}" if cell.patches else ""


# -- the yardstick ------------------------------------------------------------------------------------

#: Yardstick status -> (Markdown glyph, label).
BUG_STATUS: dict[str, tuple[str, str]] = {
    SHOWN: ("\u2705", "shown"),
    PARTIAL: ("\U0001f7e1", "partially shown"),
    NOT_SHOWN: ("\u2796", "not shown"),
    NO_RESULTS: ("\u2b1c", "no results"),
}


def _missing_text(check: BugCheck, order: Sequence[str]) -> str:
    whole = [release for release, pythons in check.missing if not pythons]
    parts = [release_ranges(whole, order)] if whole else []
    parts += [f"{release} (Python {', '.join(pythons)})" for release, pythons in check.missing if pythons]
    return ", ".join(parts)


def bug_detail(check: BugCheck, order: Sequence[str]) -> str:
    """What the results show of one bug, in one phrase (after its status)."""
    if check.status == SHOWN:
        if check.bug.capability:
            return f"`{check.bug.capability}` not offered on {release_ranges(list(check.shown_at), order)}"
        count = len(check.tests)
        return f"{count} test{'s' if count != 1 else ''} on {release_ranges(list(check.shown_at), order)}"
    if check.status == NO_RESULTS:
        return "none of its releases ran"
    if check.status == NOT_SHOWN:
        if check.bug.not_shown:
            return check.bug.not_shown
        if not check.affected:
            return "its range matches no release shown"
        if check.bug.capability:
            return f"`{check.bug.capability}` is offered on every affected release (or never recorded)"
        return "no test shows it, and the catalogue gives no `not_shown` reason"
    parts = []
    if check.shown_at:
        parts.append(f"shown on {release_ranges(list(check.shown_at), order)}")
    if check.missing:
        parts.append(f"missing on {_missing_text(check, order)}")
    if check.extra:
        parts.append(f"also on {release_ranges(list(check.extra), order)}, outside its releases")
    return "; ".join(parts)


@dataclass(frozen=True)
class BugRow:
    """One bug of the catalogue as the yardstick shows it."""

    check: BugCheck
    releases: str
    fix: str
    status: str
    glyph: str
    label: str
    detail: str


def bug_rows(report: Report, order: Sequence[str]) -> list[BugRow]:
    shown = [release for release in order if release != matrix.LATEST]
    rows = []
    for check in report.bug_checks:
        glyph_, label = BUG_STATUS[check.status]
        releases = release_ranges(list(check.affected), shown) if check.affected else spec_text(check.bug)
        fixed = check.bug.fixed_in
        fix = fixed if fixed is not None else f"not fixed up to {matrix.newest_pinned()}"
        rows.append(BugRow(check, releases, fix, check.status, glyph_, label, bug_detail(check, shown)))
    return rows


def score(report: Report) -> tuple[int, int]:
    """(bugs shown at the right releases, bugs in the catalogue)."""
    return (sum(1 for check in report.bug_checks if check.shown), len(report.bug_checks))


def score_text(report: Report) -> str:
    """``12 of 20 real cozepy bugs shown at the right releases (3 partially shown, 5 not shown, of the
    14 from coze-py's history: 10 shown)``: the history part (a fix commit or an issue upstream) when
    the matrix found others in the releases' source."""
    shown, total = score(report)
    counts = dict.fromkeys(BUG_STATUS, 0)
    for check in report.bug_checks:
        counts[check.status] += 1
    rest = [
        f"{counts[status]} {BUG_STATUS[status][1]}" for status in (PARTIAL, NOT_SHOWN, NO_RESULTS) if counts[status]
    ]
    history = [check for check in report.bug_checks if check.bug.from_history]
    if 0 < len(history) < total:  # some were found by the matrix, not upstream: say how the history fares
        rest.append(f"of the {len(history)} from coze-py's history: {sum(check.shown for check in history)} shown")
    return f"{shown} of {total} real cozepy bugs shown at the right releases" + (
        f" ({', '.join(rest)})" if rest else ""
    )


YARDSTICK_INTRO = (
    "Every bug of the catalogue (`src/coze_compat/bugs/`: real cozepy defects from coze-dev/coze-py's fix commits "
    "and issues, and those the matrix found in the releases' source) against the results. Shown: a test is a "
    "known break with that bug on every affected release that has results, on every Python that ran it, and on no "
    "other release (a bug fixed by adding what was missing: its capability's tests are not offered on its releases "
    "and offered after them)."
)


def context_items(report: Report, order: Sequence[str]) -> list[str]:
    """Plain-text lines about what the table leaves out: Pythons not run, releases the table excludes,
    cells with problems."""
    lines = [f"Python {python}: not run ({reason})." for python, reason in report.pythons_not_run.items()]
    for python in report.pythons:
        if python in report.pythons_not_run:
            continue
        missing: dict[str, list[str]] = {}
        for release in order:
            cell_id = report.cell_id(python, release)
            verdict = cell_verdict(report.cell_results.get(cell_id or ""), python, release)
            if verdict is not None and verdict.state is State.NOT_RUN:
                missing.setdefault(verdict.reason, []).append(release)
        lines += [
            f"Python {python}, cozepy {release_ranges(releases, order)}: no results; {reason}."
            for reason, releases in missing.items()
        ]
    lines += [
        f"cozepy {version}: {status}, not in the matrix ({reason})."
        for version, status, reason in report.not_run_releases
    ]
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
