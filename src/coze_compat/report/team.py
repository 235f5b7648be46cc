"""The report of any matrix's results: this project's stories, or a team's own tests.

A team's test modules are not story packages: ``by_module`` gives each test outside the stories
its module as its group (``tests/test_assistant.py``), so the report shows one block per module,
titled by its path; story tests keep their story. The columns are the releases and Pythons that
have results (a team runs a few releases, not the whole table).

Standard library only, Python 3.8 syntax, as the rest of the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from coze_compat import matrix, servers
from coze_compat.dependencies import Table as DependencyTable
from coze_compat.report.collect import collect
from coze_compat.report.derive import derive, version_key
from coze_compat.report.model import OTHER_STORY, Report, Results


def module_of(nodeid: str) -> str:
    """``tests/test_assistant.py::TestAsk::test_usage`` -> ``tests/test_assistant.py``."""
    return nodeid.split("::", 1)[0]


def by_module(results: Results) -> dict[str, str]:
    """Give each test outside the story packages its module as its story; the modules' titles."""
    titles: dict[str, str] = {}
    for cell in results.cells.values():
        for record in cell.tests.values():
            if record.story == OTHER_STORY:
                record.story = module_of(record.nodeid)
                titles[record.story] = "test module"
    return titles


def present(results: Results) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Pythons and the releases that have a cell in ``results``, oldest first."""
    pythons = {cell.python for cell in results.cells.values() if cell.python in matrix.PYTHONS}
    releases = {cell.cozepy for cell in results.cells.values() if cell.cozepy != "?"}
    ordered = sorted(releases - {matrix.LATEST}, key=version_key) + sorted(releases & {matrix.LATEST})
    return tuple(sorted(pythons, key=version_key)), tuple(ordered)


def build(
    results_dir: Path,
    dependencies: DependencyTable | None = None,
    nox_reports: Iterable[Path] = (),
    server: str = servers.HOSTED,
) -> Report:
    """The report of the cells of ``server`` under ``results_dir``: only their releases and Pythons,
    team tests by module."""
    results = collect(results_dir, nox_reports, server=servers.check(server))
    titles = by_module(results)
    pythons, releases = present(results)
    report = derive(results, pythons=pythons, releases=releases, table=(), dependencies=dependencies, server=server)
    for block in report.stories:
        block.title = titles.get(block.story, block.title)
    return report
