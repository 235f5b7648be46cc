"""The answer in the terminal: what ``nox -s tests`` prints when its cells are done.

One line per release (releases down the screen, so that 30 of them fit a terminal), one column
per story: ``pass``, ``known N`` (N tests fail in a way already recorded as a real cozepy bug),
``n/o N`` (N tests not offered by the release), ``FAIL N``; then the Pythons this machine could
not run and how to get them, and where the full report is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from coze_compat import servers
from coze_compat.report.model import Aggregate, Report, State
from coze_compat.report.present import score_text

#: What each state is called in the terminal (Verdict.css -> word).
WORDS = {
    "pass": "pass",
    "known": "known",
    "not-offered": "n/o",
    "fail": "FAIL",
    "not-installable": "n/i",
    "not-run": "-",
}
_WIDTH = 9


def cell_text(item: Aggregate) -> str:
    """``pass``, or the worst state with how many of the story's tests are in it (``known 2``)."""
    word = WORDS[item.verdict.css]
    if item.verdict.state in (State.PASS, State.NOT_RUN, State.NOT_INSTALLABLE):
        return word
    count = item.counts.get(item.verdict.css, 0)
    return f"{word} {count}" if count else word


def summary_lines(report: Report, releases: Sequence[str] | None = None) -> list[str]:
    """The story x release table, releases down."""
    shown = [column.release for column in report.columns if releases is None or column.release in releases]
    titles = {column.release: column.title for column in report.columns}
    label = max([len("cozepy"), *(len(titles[release]) for release in shown)])
    stories = [block for block in report.stories if block.summary]
    lines = [f"{'cozepy':<{label}}  " + "".join(f"{block.story:<{_WIDTH}}" for block in stories).rstrip()]
    for release in shown:
        cells = [cell_text(block.summary[release]) if release in block.summary else "-" for block in stories]
        lines.append(f"{titles[release]:<{label}}  " + "".join(f"{cell:<{_WIDTH}}" for cell in cells).rstrip())
    return lines


def missing_pythons_lines(report: Report, found: Callable[[str], bool] = lambda python: True) -> list[str]:
    """Lines for the Pythons none of whose cells ran: those this machine lacks, with how to get them,
    and those it has that were not selected this time."""
    lacking = [python for python in report.pythons_not_run if not found(python)]
    unselected = [python for python in report.pythons_not_run if found(python)]
    lines = []
    if lacking:
        versions = " ".join(lacking)
        lines.append(
            f"Python {', '.join(lacking)}: not found on this machine, their cells were skipped. To run them: "
            f"`uv python install {versions}` then `nox -s tests --download-python auto`, or install them with "
            "pyenv and put each python3.X on PATH (README: Making several interpreters visible to nox)."
        )
    if unselected:
        lines.append(f"Python {', '.join(unselected)}: installed here, but no cell of theirs has results in results/.")
    return lines


def yardstick_lines(report: Report) -> list[str]:
    """The score in one line, and one line per catalogue error (none when there is no catalogue)."""
    if not report.bug_checks:
        return []
    lines = [f"Yardstick: {score_text(report)}."]
    lines += [f"Catalogue error: {error}" for error in report.catalogue_errors]
    return lines


def table_lines(report: Report, releases: Sequence[str] | None = None) -> list[str]:
    """One server's part: its title, the table, the legend and the yardstick."""
    legend = (
        "pass: every test passes; known N: N tests fail as recorded real cozepy bugs; n/o N: N tests not offered "
        "by the release; FAIL N: N tests fail unexpectedly; -: not run"
    )
    against = "" if report.server == servers.HOSTED else f" against {report.server_title}"
    lines = [
        f"Compatibility{against} (worst state across the Pythons that ran, per story):",
        "",
        *summary_lines(report, releases),
    ]
    lines += ["", legend]
    return lines + yardstick_lines(report)


def render_terminal(
    report: Report,
    html: Path | None = None,
    releases: Sequence[str] | None = None,
    found: Callable[[str], bool] = lambda python: True,
    studio: Report | None = None,
) -> str:
    """The hosted part, the Coze Studio part when given, then the Pythons not found and the report's path:
    what a newcomer needs comes last, where the terminal leaves it."""
    lines = table_lines(report, releases)
    if studio is not None:
        lines += ["", *table_lines(studio)]
    lines += missing_pythons_lines(report, found)
    if html is not None:
        lines.append(f"Full report: {html}")
    return "\n".join(lines) + "\n"
