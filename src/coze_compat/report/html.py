"""Render the report as one self-contained HTML page (inline CSS, no script, no external resource).

Layout, for a person reading at a glance:

* a legend with every state (colour *and* label: the page reads in greyscale too);
* the summary: one row per story, one column per release (the worst state across tests and Pythons);
* findings: the first release offering each feature, where stories break;
* per story, its tests x releases (worst state across Pythons, a corner mark where Pythons differ),
  and, folded, every Python x release cell.

Header rows stick to the top while scrolling and the test-name column sticks to the left, so a
story's name is never scrolled out of view. The reason of every cell is on hover (``title``) and
listed under each story.
"""

from __future__ import annotations

import html
from typing import Sequence

from coze_compat import dependencies
from coze_compat.report.derive import release_ranges
from coze_compat.report.model import Aggregate, Column, MatrixRow, Report, State, StoryBlock, Verdict
from coze_compat.report.present import (
    STATE_STYLES,
    Notes,
    break_groups,
    context_items,
    count_text,
    dependency_columns,
    dependency_intro,
    dependency_note,
    dependency_rows,
    differences_note,
    display_names,
    feature_rows,
    short,
    verdict_note,
)
from coze_compat.report.upgrade import upgrade_html

NOT_RUN = Verdict(State.NOT_RUN, "no results")
LIST_LIMIT = 6

#: Background, text colour: each pair has a contrast ratio of at least 4.5 (WCAG AA).
CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 16px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans",
  sans-serif; color: #1f2328; background: #ffffff; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.meta { margin: 0 0 8px; color: #424a53; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 0; margin: 8px 0; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
.state { font-weight: 600; text-align: center; white-space: nowrap; }
span.state { display: inline-block; min-width: 46px; padding: 1px 6px; border-radius: 3px; }
.state.pass { background: #dafbe1; color: #116329; }
.state.fail { background: #cf222e; color: #ffffff; }
.state.known { background: repeating-linear-gradient(135deg, #ffd8d3 0 5px, #ffc0b9 5px 10px); color: #82071e; }
.state.not-offered { background: #e6eaef; color: #3d444d; }
.state.not-installable { background: #6639ba; color: #ffffff; }
.state.not-run { background: #ffffff; color: #59636e; outline: 1px dashed #818b98; outline-offset: -3px; }
table.matrix { border-collapse: separate; border-spacing: 0; font-size: 12px; line-height: 16px; }
table.matrix th, table.matrix td { border-right: 1px solid #d0d7de; border-bottom: 1px solid #d0d7de;
  padding: 3px 4px; }
table.matrix td.state { position: relative; min-width: 40px; padding: 3px 3px; }
table.matrix td.differs::after { content: "\\2260"; position: absolute; top: -1px; right: 1px; font-size: 10px;
  line-height: 10px; }
table.matrix thead th { position: sticky; top: 0; z-index: 2; background: #f6f8fa; color: #1f2328;
  font-weight: 600; white-space: nowrap; height: 24px; padding: 3px 3px; }
table.matrix thead tr.releases th { overflow: hidden; }
table.matrix thead tr.pythons th { top: 24px; font-weight: 500; }
table.matrix th.name { position: sticky; left: 0; z-index: 1; background: #ffffff; text-align: left;
  font-weight: 400; width: 280px; min-width: 280px; max-width: 280px; }
table.matrix thead th.name { z-index: 3; background: #f6f8fa; font-weight: 600; }
table.matrix th.name .label { display: flex; gap: 4px; }
table.matrix th.name .task { flex: 0 0 36px; color: #0550ae; font-weight: 600; }
table.matrix th.name .test { min-width: 0; overflow-wrap: anywhere; }
table.matrix th.name .count { color: #59636e; }
table.matrix th small, table.matrix td small { display: block; font-size: 10px; font-weight: 400; }
.scroll { overflow: auto; max-height: 75vh; border: 1px solid #d0d7de; }
details > summary { cursor: pointer; margin: 8px 0; color: #0550ae; }
table.findings { border-collapse: collapse; }
table.findings th, table.findings td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
table.findings thead th { background: #f6f8fa; }
ol.notes, ul.breaks, ul.context { padding-left: 22px; }
ol.notes li, ul.breaks li, ul.context li { margin: 2px 0; }
code { font-size: 12px; background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _breakable(name: str) -> str:
    """A test name that wraps after ``_`` and ``[`` rather than anywhere."""
    return _e(name).replace("_", "_<wbr>").replace("[", "[<wbr>")


def _column_header(column: Column) -> str:
    if column.installed and column.installed != (column.release,):
        return f"{_e(column.release)}<small>{_e(', '.join(column.installed))}</small>"
    return _e(column.release)


def _cell(verdict: Verdict, title: str, differs: bool = False, extra: str = "") -> str:
    classes = f"state {verdict.css}" + (" differs" if differs else "")
    return f'<td class="{classes}" title="{_e(title)}">{_e(short(verdict))}{extra}</td>'


def _title(where: str, item: Aggregate) -> str:
    parts = [f"{where}: {item.verdict.label}"]
    if item.verdict.reason:
        parts.append(item.verdict.reason)
    if item.differs:
        parts.append(differences_note(item))
    return " \u2014 ".join(parts)


def legend_html() -> str:
    items = [
        f'<li><span class="state {css}">{_e(style["short"])}</span> {_e(style["legend"])}</li>'
        for css, style in STATE_STYLES.items()
    ]
    items.append('<li><span class="state">\u2260</span> corner mark: the Pythons differ (hover for which)</li>')
    return f'<ul class="legend" id="legend">{"".join(items)}</ul>'


def summary_html(report: Report, columns: Sequence[Column]) -> str:
    head = "".join(f'<th scope="col">{_column_header(column)}</th>' for column in columns)
    rows = []
    for block in report.stories:
        cells = []
        for column in columns:
            item = block.summary[column.release]
            count = count_text(item)
            cells.append(
                _cell(
                    item.verdict,
                    _title(f"{block.story} on cozepy {column.release}", item),
                    item.differs,
                    f"<small>{_e(count)}</small>" if count else "",
                )
            )
        label = (
            f'<div class="label"><span class="task">{_e(block.story)}</span><span class="test">'
            f'<a href="#{_e(block.story)}">{_e(block.title)}</a> <span class="count">({len(block.tests)} tests)</span>'
            "</span></div>"
        )
        rows.append(f'<tr><th class="name" scope="row">{label}</th>{"".join(cells)}</tr>')
    return (
        '<table class="matrix summary" id="summary-table"><thead><tr><th class="name" scope="col">Story</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _row_header(row: MatrixRow, name: str) -> str:
    return (
        f'<th class="name" scope="row" title="{_e(row.nodeid)}"><div class="label">'
        f'<span class="task">{_e(row.task or "")}</span><span class="test">{_breakable(name)}</span></div></th>'
    )


def _full_table(block: StoryBlock, columns: Sequence[Column], pythons: Sequence[str], names: dict[str, str]) -> str:
    """Every Python x release, folded away: two header rows (release, then Python)."""
    top = "".join(f'<th scope="colgroup" colspan="{len(pythons)}">{_e(c.title)}</th>' for c in columns)
    second = "".join(f'<th scope="col">{_e(python)}</th>' for _ in columns for python in pythons)
    rows = []
    for row in block.tests:
        tds = []
        for column in columns:
            for python in pythons:
                verdict = row.releases[column.release].by_python.get(python, NOT_RUN)
                title = f"{names[row.nodeid]} on cozepy {column.release}, Python {python}: {verdict.label}"
                tds.append(_cell(verdict, title + (f" \u2014 {verdict.reason}" if verdict.reason else "")))
        rows.append(f"<tr>{_row_header(row, names[row.nodeid])}{''.join(tds)}</tr>")
    return (
        f'<details class="every-python"><summary>Every Python ({len(columns) * len(pythons)} cells per test)</summary>'
        f'<div class="scroll"><table class="matrix full" id="{_e(block.story)}-full"><thead>'
        f'<tr class="releases"><th class="name" scope="col" rowspan="2">Test</th>{top}</tr>'
        f'<tr class="pythons">{second}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></details>'
    )


def story_html(block: StoryBlock, columns: Sequence[Column], pythons: Sequence[str], skip: Sequence[str] = ()) -> str:
    """One story: tests x releases, the folded Python x release matrix, and the reasons.

    ``skip``: Pythons that ran nowhere (named once at the end of the page, not as a reason here).
    """
    names = display_names(block)
    order = [column.release for column in columns]
    head = "".join(f'<th scope="col">{_column_header(column)}</th>' for column in columns)
    rows = []
    reasons: dict[str, list[str]] = {}
    for row in block.tests:
        tds = []
        for column in columns:
            item = row.releases[column.release]
            tds.append(
                _cell(item.verdict, _title(f"{names[row.nodeid]} on cozepy {column.release}", item), item.differs)
            )
            for python, verdict in item.by_python.items():
                note = "" if python in skip else verdict_note(verdict)
                if note and column.release not in reasons.setdefault(note, []):
                    reasons[note].append(column.release)
        rows.append(f"<tr>{_row_header(row, names[row.nodeid])}{''.join(tds)}</tr>")
    by_release = (
        f'<table class="matrix by-release" id="{_e(block.story)}-by-release"><thead><tr>'
        f'<th class="name" scope="col">Test</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    notes = "".join(
        f"<li>{_e(note)} <em>({_e(release_ranges(releases, order))})</em></li>" for note, releases in reasons.items()
    )
    return (
        f'<section class="story" id="{_e(block.story)}"><h2>{_e(block.story)} \u00b7 {_e(block.title)}</h2>'
        f"{by_release}{_full_table(block, columns, pythons, names)}"
        + (f'<h3>Reasons</h3><ol class="notes">{notes}</ol>' if notes else "")
        + "</section>"
    )


def findings_html(report: Report, columns: Sequence[Column]) -> str:
    order = [column.release for column in columns]
    rows = "".join(
        f"<tr><td>{_e(feature)}</td><td><strong>{_e(first)}</strong></td><td>{_e(missing)}</td></tr>"
        for feature, first, missing in feature_rows(report, order)
    )
    features = (
        '<table class="findings" id="features"><thead><tr><th>Feature</th><th>First release offering it</th>'
        f"<th>Not offered by</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>Every release offers every feature the stories exercise.</p>"
    )
    items = []
    for group in break_groups(report, order):
        css = "known" if group.known else "fail"
        names = [
            f"<code>{_e(name)}</code>" + (f" on {_e(releases)}" if releases else "") for name, releases in group.tests
        ]
        tests = ", ".join(names[:LIST_LIMIT]) + (
            f" and {len(names) - LIST_LIMIT} more" if len(names) > LIST_LIMIT else ""
        )
        items.append(
            f'<li><strong>{_e(group.story)}</strong> on {_e(group.releases)}: <span class="state {css}">'
            f"{_e(STATE_STYLES[css]['short'])}</span> {_e(group.reason or 'failed')} ({tests})</li>"
        )
    breaks = f'<ul class="breaks">{"".join(items)}</ul>' if items else "<p>No story breaks on any release.</p>"
    return (
        f'<section id="findings"><h2>Findings</h2><h3>New features by release</h3>{features}'
        f"<h3>Where stories break</h3>{breaks}</section>"
    )


def _ranges_html(ranges: Sequence[dependencies.Range]) -> str:
    parts = [
        f"<code>{_e(r.specifier or 'any version')}</code>" + (f" if <code>{_e(r.marker)}</code>" if r.marker else "")
        for r in ranges
    ]
    return "; ".join(parts) or "not required"


def dependencies_html(report: Report, columns: Sequence[Column]) -> str:
    """The dependency table: per group of releases their ranges and whether uv installs them next to
    the current httpx, pydantic and both (uv's reason on hover and in the numbered notes)."""
    table = report.dependencies
    rows = dependency_rows(report, [column.release for column in columns])
    if table is None or not rows:
        return ""
    notes = Notes()
    body = []
    for row in rows:
        cells = [f"<td>{_e(row.releases)}</td>"]
        cells += [f"<td>{_ranges_html(row.entry.requires[name])}</td>" for name in dependencies.PACKAGES]
        cells.append(f"<td><code>{_e(row.entry.requires_python)}</code></td>")
        for check in dependencies.CHECKS:
            note = dependency_note(row.entry, check)
            if note:
                mark = f'<span class="state fail" title="{_e(note)}">no</span><sup>{notes.add(note)}</sup>'
            else:
                mark = '<span class="state pass">yes</span>'
            cells.append(f"<td>{mark}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    header = ["Releases", *dependencies.PACKAGES, "Requires-Python", *dependency_columns(table)]
    items = "".join(f"<li>{_e(note)}</li>" for note in notes.items())
    return (
        f'<section id="dependencies"><h2>Dependencies next to each release</h2><p>{_e(dependency_intro(table))}</p>'
        f'<table class="findings" id="dependencies-table"><thead><tr>{"".join(f"<th>{_e(h)}</th>" for h in header)}'
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + (f'<ol class="notes">{items}</ol>' if items else "")
        + "</section>"
    )


def context_html(report: Report, columns: Sequence[Column]) -> str:
    lines = context_items(report, [column.release for column in columns])
    if not lines:
        return ""
    items = "".join(f"<li>{_e(line)}</li>" for line in lines)
    return f'<section id="context"><h2>Not in the table</h2><ul class="context">{items}</ul></section>'


def render_html(
    report: Report,
    *,
    releases: Sequence[str] | None = None,
    title: str = "cozepy compatibility",
    generated: str = "",
) -> str:
    columns = report.columns if releases is None else tuple(c for c in report.columns if c.release in releases)
    ran = [python for python in report.pythons if python not in report.pythons_not_run]
    span = f"Python {ran[0]}\u2013{ran[-1]}" if len(ran) > 1 else (f"Python {ran[0]}" if ran else "no Python")
    meta = (
        f"{len(columns)} cozepy releases \u00d7 {len(report.pythons)} Pythons ({span} ran). "
        "Each cell shows the worst state across Pythons (and, in the summary, across the story's tests; "
        "n/N = tests in that state / tests in the story). Hover a cell for its reason."
    )
    if generated:
        meta += f" Generated {generated}."
    stories = "".join(
        story_html(block, columns, report.pythons, tuple(report.pythons_not_run)) for block in report.stories
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p>{legend_html()}</header>'
        f'<main><section id="summary"><h2>Summary</h2>{summary_html(report, columns)}</section>'
        f"{findings_html(report, columns)}{dependencies_html(report, columns)}{upgrade_html(report, columns)}"
        f"{stories}{context_html(report, columns)}"
        "</main></body></html>\n"
    )
