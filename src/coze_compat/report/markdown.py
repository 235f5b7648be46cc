"""Render the report as GitHub Markdown: the README section and the job summary.

GitHub renders wide tables poorly, so the headline is the summary (one row per story, one column per
release, the worst state across Pythons; in the README one column per minor line, the worst of its
patches); the per-test matrices follow, one table per story, one column per release. Reasons are
numbered notes under each table. Then the breaks (one entry per real cozepy bug) and the yardstick
(every bug of the catalogue: shown at the right releases or not).
"""

from __future__ import annotations

import re
from typing import Sequence

from coze_compat import dependencies
from coze_compat.report.model import Column, Report, StoryBlock
from coze_compat.report.present import (
    DIFFERS_MARK,
    PATCHES_MARK,
    STATE_STYLES,
    YARDSTICK_INTRO,
    Notes,
    break_groups,
    bug_rows,
    context_items,
    count_text,
    dependency_columns,
    dependency_intro,
    dependency_note,
    dependency_rows,
    differences_note,
    display_names,
    feature_rows,
    glyph,
    line_cell,
    line_groups,
    patches_note,
    row_label,
    score_text,
    verdict_note,
)

_LIST_LIMIT = 6


_CODE_SPAN = re.compile(r"(`[^`]*`)")


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell (no HTML, no column breaks).

    Code spans are shown as written (Markdown prints entities there literally), so only their
    ``|`` is escaped; elsewhere ``&``, ``<`` and ``>`` become entities.
    """
    parts = _CODE_SPAN.split(" ".join(text.split()))
    return "".join(
        part.replace("|", "\\|")
        if index % 2
        else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
        for index, part in enumerate(parts)
    )


def _sup(numbers: Sequence[int]) -> str:
    return f"<sup>{','.join(str(number) for number in numbers)}</sup>" if numbers else ""


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join([":---"] + [":---:"] * (len(header) - 1)) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _notes(notes: Notes) -> list[str]:
    if not len(notes):
        return []
    return ["", *(f"{number}. {escape(text)}" for number, text in enumerate(notes.items(), start=1))]


def _columns(report: Report, releases: Sequence[str] | None) -> tuple[Column, ...]:
    if releases is None:
        return report.columns
    return tuple(column for column in report.columns if column.release in releases)


def _pythons_ran(report: Report) -> str:
    ran = [python for python in report.pythons if python not in report.pythons_not_run]
    if not ran:
        return "no Python"
    return f"Python {ran[0]}" if len(ran) == 1 else f"Python {ran[0]}\u2013{ran[-1]}"


def legend(by_line: bool = False) -> str:
    items = [f"{style['glyph']} {style['legend']}" for style in STATE_STYLES.values()]
    items.append(f"{DIFFERS_MARK} the Pythons differ (see the note)")
    if by_line:
        items.append(f"{PATCHES_MARK} the patch releases of the minor line differ (see the note)")
    return "Legend: " + " · ".join(items) + "."


def summary_lines(report: Report, columns: Sequence[Column], by_line: bool = False) -> list[str]:
    """The headline table: one row per story, one column per release (``by_line``: per minor line,
    the worst of its patches), worst state wins."""
    notes = Notes()
    rows = []
    groups = line_groups(columns) if by_line else []
    for block in report.stories:
        cells = [f"**{block.story}** {escape(block.title)} ({len(block.tests)})"]
        for column in columns if not by_line else ():
            item = block.summary[column.release]
            count = count_text(item)
            mark = f" {DIFFERS_MARK}" if item.differs else ""
            numbers = [notes.add(differences_note(item))] if item.differs else []
            cells.append(f"{glyph(item.verdict)}{' ' + count if count else ''}{mark}{_sup(numbers)}")
        for group in groups:
            line = line_cell([(release, block.summary[release]) for release in group.releases])
            marks = (f" {PATCHES_MARK}" if line.patches else "") + (f" {DIFFERS_MARK}" if line.pythons else "")
            texts = [patches_note(line), *line.pythons] if line.patches or line.pythons else []
            numbers = [notes.add(text) for text in texts if text]
            cells.append(f"{glyph(line.verdict)}{' ' + line.count if line.count else ''}{marks}{_sup(numbers)}")
        rows.append(cells)
    titles = [group.title for group in groups] if by_line else [column.title for column in columns]
    header = ["Story (tests)", *(escape(title) for title in titles)]
    lines = _table(header, rows) if rows else ["No results found."]
    lines += _notes(notes)
    return lines


def story_lines(block: StoryBlock, columns: Sequence[Column], heading: str = "###") -> list[str]:
    """One story's tests x releases, each cell the worst state across Pythons."""
    notes = Notes()
    names = display_names(block)
    rows = []
    for row in block.tests:
        cells = [escape(row_label(row, names[row.nodeid]))]
        for column in columns:
            item = row.releases[column.release]
            numbers = [notes.add(text) for text in (verdict_note(item.verdict), differences_note(item)) if text]
            mark = DIFFERS_MARK if item.differs else ""
            cells.append(f"{glyph(item.verdict)}{mark}{_sup(numbers)}")
        rows.append(cells)
    lines = [f"{heading} {block.story} · {escape(block.title)}", ""]
    lines += _table(["Test", *(escape(column.title) for column in columns)], rows)
    lines += _notes(notes)
    return lines


def feature_lines(report: Report, columns: Sequence[Column]) -> list[str]:
    rows = [
        [escape(feature), f"**{escape(first)}**", escape(missing)]
        for feature, first, missing in feature_rows(report, [column.release for column in columns])
    ]
    if not rows:
        return ["Every release offers every feature the stories exercise."]
    return _table(["Feature", "First release offering it", "Not offered by"], rows)


def _tests_text(tests: Sequence[tuple[str, str]]) -> str:
    names = [f"`{escape(name)}`" + (f" on {releases}" if releases else "") for name, releases in tests]
    shown = ", ".join(names[:_LIST_LIMIT])
    return shown + (f" and {len(names) - _LIST_LIMIT} more" if len(names) > _LIST_LIMIT else "")


def break_lines(report: Report, columns: Sequence[Column]) -> list[str]:
    """One line per real cozepy bug the results show (every test and release of it), then one per
    story and reason of any other failure."""
    lines = []
    for group in break_groups(report, [column.release for column in columns]):
        style = STATE_STYLES["known" if group.known else "fail"]
        if group.bug_id:
            title = f"{escape(group.bug.title)}. Cause: " if group.bug is not None else ""
            fix = f" {escape(group.fix)}" if group.fix else ""
            lines.append(
                f"- {style['glyph']} **`{escape(group.bug_id)}`** on {group.releases} ({group.story}): {title}"
                f"{escape(group.reason) or 'failed'}.{fix} Tests: {_tests_text(group.tests)}."
            )
            continue
        kind = f"{style['glyph']} {'known break' if group.known else 'fail'}"
        lines.append(
            f"- **{group.story}** on {group.releases}: {kind}: {escape(group.reason) or 'failed'} "
            f"({_tests_text(group.tests)})"
        )
    return lines or ["No story breaks on any release."]


def catalogue_error_lines(report: Report) -> list[str]:
    """The catalogue errors, as a quoted block that stands out (empty when there is none)."""
    if not report.catalogue_errors:
        return []
    lines = [
        "> [!WARNING]",
        "> **Catalogue errors**: the results and the bug catalogue (`src/coze_compat/bugs/`) disagree:",
    ]
    return lines + [f"> - {escape(error)}" for error in report.catalogue_errors]


def yardstick_lines(report: Report, columns: Sequence[Column]) -> list[str]:
    """The score, and every bug of the catalogue with whether the results show it at its releases."""
    rows = [
        [
            f"`{escape(row.check.bug.id)}` {escape(row.check.bug.title)}",
            escape(row.releases),
            escape(row.fix),
            f"{row.glyph} {row.label}: {escape(row.detail)}",
        ]
        for row in bug_rows(report, [column.release for column in columns])
    ]
    lines = [f"**{escape(score_text(report))}.** {escape(YARDSTICK_INTRO)}", ""]
    return lines + _table(["Bug", "Releases", "Fixed in", "Shown at the right releases"], rows)


def _ranges_text(ranges: Sequence[dependencies.Range]) -> str:
    """``>=0.27.0,<0.28.0`` if ``python_version >= "3.8"``; ... (as the release's Requires-Dist lines)."""
    parts = [
        f"`{item.specifier or 'any version'}`" + (f" if `{item.marker}`" if item.marker else "") for item in ranges
    ]
    return escape("; ".join(parts)) or "not required"


def dependency_lines(report: Report, columns: Sequence[Column]) -> list[str]:
    """Per group of releases: the httpx and pydantic ranges, Requires-Python, and whether uv installs
    it next to the current httpx, pydantic and both (why not in a note)."""
    table = report.dependencies
    rows = dependency_rows(report, [column.release for column in columns])
    if table is None or not rows:
        return []
    notes = Notes()
    body = []
    for row in rows:
        verdicts = []
        for check in dependencies.CHECKS:
            note = dependency_note(row.entry, check)
            style = STATE_STYLES["fail" if note else "pass"]
            verdicts.append(f"{style['glyph']} {'no' + _sup([notes.add(note)]) if note else 'yes'}")
        ranges = [_ranges_text(row.entry.requires[name]) for name in dependencies.PACKAGES]
        body.append([row.releases, *ranges, escape(f"`{row.entry.requires_python}`"), *verdicts])
    header = ["Releases", *dependencies.PACKAGES, "Requires-Python", *map(escape, dependency_columns(table))]
    return [escape(dependency_intro(table)), "", *_table(header, body), *_notes(notes)]


def context_lines(report: Report, columns: Sequence[Column]) -> list[str]:
    return [f"- {escape(line)}" for line in context_items(report, [column.release for column in columns])]


#: Where the full table is, for the README's minor-line summary.
FULL_TABLE = (
    "The full table, one column per release with every test and the state on each Python, is "
    "`results/report/report.html` (and `report.md`), written by `nox -s report`; on GitHub, the CI run's job "
    "summary and its `compat-report` artifact."
)


def render_markdown(
    report: Report,
    *,
    releases: Sequence[str] | None = None,
    details: bool = True,
    by_line: bool = False,
    title: str = "cozepy compatibility",
    heading: str = "##",
    generated: str = "",
) -> str:
    """The report as Markdown. ``releases`` limits the columns (the README shows the pinned ones);
    ``by_line`` shows one summary column per minor line (the README); ``details`` adds one test
    matrix per story."""
    columns = _columns(report, releases)
    sub = heading + "#"
    across = ", across the patch releases of its minor line" if by_line else ""
    intro = (
        f"Each cell is the worst state across {_pythons_ran(report)}{across} and, in the summary, across the "
        f"story's tests (n/N: tests in that state / tests in the story)."
    )
    if by_line:
        intro += " " + FULL_TABLE
    if generated:
        intro += f" Generated {escape(generated)}."
    lines = [f"{heading} {title}", "", intro, ""]
    lines += summary_lines(report, columns, by_line=by_line)
    lines += ["", legend(by_line), ""]
    errors = catalogue_error_lines(report)
    lines += [*errors, ""] if errors else []
    lines += [f"{sub} New features by release", ""]
    lines += feature_lines(report, columns)
    lines += ["", f"{sub} Where stories break", ""]
    lines += break_lines(report, columns)
    if report.bug_checks:
        lines += ["", f"{sub} Real cozepy bugs", ""]
        lines += yardstick_lines(report, columns)
    dependency = dependency_lines(report, columns)
    if dependency:
        lines += ["", f"{sub} Dependencies next to each release", "", *dependency]
    context = context_lines(report, columns)
    if context:
        lines += ["", f"{sub} Not in the table", "", *context]
    if details:
        lines += ["", f"{sub} Tests by story", ""]
        for block in report.stories:
            lines += [*story_lines(block, columns, heading=sub + "#"), ""]
    return "\n".join(lines).rstrip() + "\n"
