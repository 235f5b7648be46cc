"""The report's data model: what the ``tests`` cells recorded, and the states derived from it.

Standard library only, Python 3.8 syntax: the report runs in any venv.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from coze_compat import servers, stories
from coze_compat.bugs import Bug
from coze_compat.dependencies import Table as DependencyTable

#: The cell statuses the noxfile writes into ``cell.json``.
INSTALLING = "installing"
INSTALLED = "installed"
NOT_INSTALLABLE_STATUS = "not-installable"
#: A ``latest`` cell skipped because the release does not support its Python (requires-python).
UNSUPPORTED = "unsupported"
#: Not written by the noxfile: the cell has no ``cell.json`` at all (its interpreter is missing here,
#: or its CI job never uploaded anything).
MISSING = "missing"

#: The story packages and what each story is about (one list: ``coze_compat.stories``).
STORY_TITLES: dict[str, str] = stories.TITLES
STORY_PACKAGES: dict[str, str] = stories.BY_PACKAGE
#: The story of a test whose package is not a story package.
OTHER_STORY = stories.OTHER


class State(str, enum.Enum):
    """What a person sees in one cell of the matrix."""

    PASS = "pass"
    FAIL = "fail"
    NOT_OFFERED = "not-offered"
    NOT_INSTALLABLE = "not-installable"
    NOT_RUN = "not-run"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def severity(self) -> int:
        """Worst state wins: a higher number is worse. ``NOT_RUN`` is the absence of a result."""
        return _SEVERITY[self]


_LABELS = {
    State.PASS: "pass",
    State.FAIL: "fail",
    State.NOT_OFFERED: "not offered",
    State.NOT_INSTALLABLE: "not installable",
    State.NOT_RUN: "not run",
}
_SEVERITY = {
    State.NOT_RUN: 0,
    State.PASS: 1,
    State.NOT_OFFERED: 2,
    State.NOT_INSTALLABLE: 3,
    State.FAIL: 4,
}


# -- what collect reads -------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One pytest-reportlog ``TestReport`` line: the setup, call or teardown of one test."""

    when: str
    outcome: str
    longrepr: Any = None
    wasxfail: str | None = None
    duration: float = 0.0
    start: float = 0.0
    stop: float = 0.0


@dataclass
class RecordedTest:
    """Everything one cell recorded about one test."""

    nodeid: str
    story: str
    task: str | None
    path: str
    line: int
    phases: list[Phase] = field(default_factory=list)
    #: The capabilities the test needs -> whether the cell's release offers them (from the plugin).
    capabilities: dict[str, bool] = field(default_factory=dict)
    #: The id of the catalogue bug (``coze_compat.bugs``) the test shows in this cell, if any.
    known_break: str | None = None
    #: Other bugs of the test's ``known_break`` marker that affect the cell's release too: masked by the
    #: one it shows (a cancel race cannot happen while the cancel itself is rejected).
    masked_breaks: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        """pytest's outcome of the whole test: passed, failed (the call), error (setup or teardown),
        skipped, xfailed or xpassed; ``not run`` when no phase was recorded."""
        failed = [phase for phase in self.phases if phase.outcome == "failed"]
        if failed:
            return "failed" if failed[0].when == "call" else "error"
        for phase in self.phases:
            if phase.outcome == "skipped":
                return "xfailed" if phase.wasxfail is not None else "skipped"
        calls = [phase for phase in self.phases if phase.when == "call"]
        if not calls:
            return "not run"
        return "xpassed" if calls[0].wasxfail is not None else "passed"

    @property
    def duration(self) -> float:
        """Seconds of setup, call and teardown together."""
        return sum(phase.duration for phase in self.phases)


@dataclass
class CellResult:
    """One ``results/<cell-id>/`` folder."""

    cell_id: str
    python: str
    cozepy: str
    status: str
    #: The cozepy version installed (``environment.json``), for ``latest`` the real one.
    installed: str | None = None
    python_version: str | None = None
    has_report: bool = False
    finished: bool = False
    exitstatus: int | None = None
    tests: dict[str, RecordedTest] = field(default_factory=dict)
    #: Collection errors: the node id (a module or package) -> the error's first line.
    collect_errors: dict[str, str] = field(default_factory=dict)
    #: Things wrong with the folder itself (unreadable files), for the footnotes.
    problems: list[str] = field(default_factory=list)
    #: Why nox did not run the cell (``nox --report``), e.g. "Python interpreter 3.14 not found".
    nox_reason: str | None = None
    #: Why the cell did not run its tests, as ``cell.json`` says (an unsupported Python).
    reason: str | None = None


@dataclass
class Results:
    """Every cell folder found, by cell id."""

    cells: dict[str, CellResult] = field(default_factory=dict)


# -- what derive computes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The state of one test in one cell (or aggregated), with why."""

    state: State
    reason: str = ""
    #: A strict xfail from ``known_break``: the release fails the test in a way already recorded.
    known: bool = False
    #: The state comes from the whole cell (not installable, no report...), not from the test itself.
    whole_cell: bool = False
    #: For a known break: the id of the catalogue bug it shows (``coze_compat.bugs``), when recorded.
    bug: str | None = None
    #: For a known break: the other bugs of its marker that affect the release, masked by ``bug``.
    masked: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.state is State.FAIL and self.known:
            return "fail (known break)"
        return self.state.label

    @property
    def css(self) -> str:
        if self.state is State.FAIL and self.known:
            return "known"
        return self.state.value


@dataclass(frozen=True)
class Column:
    """One cozepy release of the report, e.g. ``0.20.0`` or ``latest`` (installing 0.20.0)."""

    release: str
    #: What the cells installed (differs from ``release`` only for ``latest``).
    installed: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        if self.installed and self.installed != (self.release,):
            return f"{self.release} ({', '.join(self.installed)})"
        return self.release


@dataclass(frozen=True)
class Aggregate:
    """One test (or story) on one release: the worst state across Pythons, and how they differ."""

    verdict: Verdict
    by_python: dict[str, Verdict]
    #: The Pythons that ran but disagree, as readable lines (``3.8: fail``); empty when they agree.
    differences: tuple[str, ...] = ()
    #: For story summaries: how many tests are in each state.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def differs(self) -> bool:
        return bool(self.differences)


@dataclass
class MatrixRow:
    """One test of the matrix: its verdict per cell and per release."""

    nodeid: str
    story: str
    task: str | None
    path: str
    line: int
    cells: dict[str, Verdict] = field(default_factory=dict)
    releases: dict[str, Aggregate] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The node id without its file: ``TestClass::test_name[param]``."""
        return self.nodeid.split("::", 1)[1] if "::" in self.nodeid else self.nodeid


@dataclass
class StoryBlock:
    story: str
    title: str
    tests: list[MatrixRow] = field(default_factory=list)
    summary: dict[str, Aggregate] = field(default_factory=dict)


@dataclass(frozen=True)
class FeatureFinding:
    """A capability some release lacks: where it is missing and the first release that offers it."""

    feature: str
    missing_in: tuple[str, ...]
    first_offered: str | None
    #: Releases after ``first_offered`` where it is missing again (removed or renamed).
    missing_again: tuple[str, ...]
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Break:
    """A test that fails on some releases, for the same reason (a known break: for the same bug)."""

    story: str
    nodeid: str
    task: str | None
    known: bool
    reason: str
    releases: tuple[str, ...]
    #: The catalogue bug a known break shows (``None``: an unexpected failure, or a known break
    #: recorded without its bug).
    bug: str | None = None


#: The yardstick's verdicts on one bug of the catalogue.
SHOWN = "shown"
PARTIAL = "partial"
NOT_SHOWN = "not-shown"
NO_RESULTS = "no-results"


@dataclass(frozen=True)
class BugCheck:
    """One bug of the catalogue against the results: is it shown at exactly its releases?

    A bug shown by known breaks is *shown* when, on every affected release that has results, some
    test known-breaks with it on every Python that ran the release, and on no other release. A bug
    with ``capability`` is shown when that capability's tests are not offered on its releases and
    offered on the releases after the first of them that it does not affect.
    """

    bug: Bug
    #: The report's releases (``latest`` aside) the catalogue says it affects, oldest first.
    affected: tuple[str, ...]
    #: Those that have results (a cell ran its tests; for a capability bug: the capability was recorded).
    with_results: tuple[str, ...]
    #: Affected releases where the results show it (on at least one Python).
    shown_at: tuple[str, ...] = ()
    #: Affected releases with results where the results do not show it, with the Pythons that miss it
    #: (empty: every Python that ran the release).
    missing: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Releases the catalogue does not name where the results show it: a catalogue error.
    extra: tuple[str, ...] = ()
    #: The tests that show it (node ids).
    tests: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.extra:
            return PARTIAL
        if not self.with_results:
            return NOT_SHOWN if self.bug.not_shown or not self.affected else NO_RESULTS
        if not self.shown_at:
            return NOT_SHOWN
        return PARTIAL if self.missing else SHOWN

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


@dataclass(frozen=True)
class LostCapability:
    """A capability that ``offered_by`` offers and the next releases ``releases`` lack (first: ``lost_in``).

    ``removal`` is the reason recorded with ``Capability(removed_in=...)`` for a deliberate removal;
    empty, the loss is a break.
    """

    name: str
    what: str
    offered_by: str
    releases: tuple[str, ...]
    removal: str = ""

    @property
    def lost_in(self) -> str:
        return self.releases[0]

    @property
    def is_break(self) -> bool:
        return not self.removal


@dataclass
class Report:
    """Everything the renderers need."""

    pythons: tuple[str, ...]
    columns: tuple[Column, ...]
    #: cell id -> (python, release) of every cell the report expects.
    cells: dict[str, tuple[str, str]]
    cell_results: dict[str, CellResult]
    stories: list[StoryBlock]
    features: list[FeatureFinding]
    breaks: list[Break]
    #: Pythons with no result in any cell, with why (shown once, not in every column).
    pythons_not_run: dict[str, str]
    #: Releases the table knows but does not run (excluded), with the status and reason.
    not_run_releases: list[tuple[str, str, str]]
    #: Notes about single cells (unreadable files, interrupted runs, excluded cells).
    cell_notes: dict[str, list[str]]
    #: What each release installs next to (``data/dependencies.json``); ``None``: not shown.
    dependencies: DependencyTable | None = None
    #: Capability name -> release -> whether the release offers it (recorded by the pytest plugin).
    capabilities: dict[str, dict[str, bool]] = field(default_factory=dict)
    #: Capabilities a release offered and a later one lacks (``report.lost``): breaks, or deliberate removals.
    lost_capabilities: list[LostCapability] = field(default_factory=list)
    #: The bug catalogue the report was judged against (``coze_compat.bugs.all_bugs()``), by id.
    catalogue: dict[str, Bug] = field(default_factory=dict)
    #: The yardstick: every bug of the catalogue against the results, in catalogue order.
    bug_checks: list[BugCheck] = field(default_factory=list)
    #: Where the catalogue and the results disagree in a way only a catalogue fix resolves
    #: (a bug shown outside its releases, a bug id the catalogue does not define...), one line each.
    catalogue_errors: list[str] = field(default_factory=list)
    #: The server the cells ran against (``coze_compat.servers``): the hosted service, or Coze Studio.
    server: str = servers.HOSTED

    @property
    def server_title(self) -> str:
        """``coze.com`` or ``Coze Studio v0.5.1``."""
        return servers.title(self.server)

    def column(self, release: str) -> Column:
        for column in self.columns:
            if column.release == release:
                return column
        raise KeyError(release)

    def cell_id(self, python: str, release: str) -> str | None:
        for cell_id, key in self.cells.items():
            if key == (python, release):
                return cell_id
        return None
