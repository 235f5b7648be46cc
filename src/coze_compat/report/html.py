"""Render the report as one self-contained HTML page (inline CSS and script, no external resource).

Layout, for a person reading at a glance:

* a legend with every state (colour *and* label: the page reads in greyscale too), and the switch
  between one column per minor line (the worst of its patches, a corner mark where they differ) and
  one column per release (the patches grouped under their minor line);
* the catalogue errors, if any, where they cannot be missed;
* the summary: one row per story (the worst state across tests and Pythons);
* findings: the first release offering each feature, the breaks (one entry per real cozepy bug),
  the yardstick (every bug of the catalogue: shown at the right releases or not), dependencies;
* per story, its tests x releases (worst state across Pythons, a corner mark where Pythons
  differ), the reasons (numbered) and where the Pythons differ.

Header rows stick to the top while scrolling and the test-name column sticks to the left. What a
cell means is on hover: the page's small script writes a cell's ``title`` (test, release, state,
reason, how the Pythons or the patches differ) when the pointer first reaches it, from the numbered
lists under the table, so the page does not carry the reason of every cell (issue 14: the report
must stay small and open fast for 30 releases x 7 Pythons x 400 tests). The switch is CSS only.
"""

from __future__ import annotations

import html
import json
import re
from typing import Sequence

from coze_compat import dependencies
from coze_compat.report.model import Aggregate, Column, MatrixRow, Report, StoryBlock
from coze_compat.report.present import (
    BUG_STATUS,
    CODE_LABELS,
    CODES,
    STATE_STYLES,
    YARDSTICK_INTRO,
    LineGroup,
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
    line_cell,
    line_groups,
    patches_note,
    score_text,
    verdict_note,
)
from coze_compat.report.ranges import release_ranges
from coze_compat.report.upgrade import upgrade_html

#: How many tests a list names before "and N more".
LIST_LIMIT = 6
#: Yardstick status -> the class of its label.
BUG_CLASSES = {"shown": "P", "partial": "B", "not-shown": "O", "no-results": "R"}

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
.state, td.P, td.F, td.K, td.O, td.I, td.R { font-weight: 600; text-align: center; white-space: nowrap; }
span.state { display: inline-block; min-width: 46px; padding: 1px 6px; border-radius: 3px; }
.P { background: #dafbe1; color: #116329; }
.F { background: #cf222e; color: #ffffff; }
.K { background: repeating-linear-gradient(135deg, #ffd8d3 0 5px, #ffc0b9 5px 10px); color: #82071e; }
.O { background: #e6eaef; color: #3d444d; }
.I { background: #6639ba; color: #ffffff; }
.R { background: #ffffff; color: #59636e; outline: 1px dashed #818b98; outline-offset: -3px; }
.B { background: #fff1b8; color: #6c4400; }
table.matrix { border-collapse: separate; border-spacing: 0; font-size: 11px; line-height: 15px; }
table.matrix th, table.matrix td { border-right: 1px solid #d0d7de; border-bottom: 1px solid #d0d7de;
  padding: 3px 3px; }
table.matrix td { position: relative; min-width: 36px; }
table.matrix td.d::after { content: "\\2260"; position: absolute; top: -1px; right: 1px; font-size: 10px;
  line-height: 10px; }
table.matrix td.pd::before { content: "\\394"; position: absolute; top: -1px; left: 1px; font-size: 9px;
  line-height: 10px; }
table.matrix .g { border-left: 2px solid #818b98; }
table.matrix .e { border-right: 2px solid #818b98; }
table.matrix thead th { position: sticky; top: 0; z-index: 2; background: #f6f8fa; color: #1f2328;
  font-weight: 600; white-space: nowrap; height: 24px; padding: 3px 3px; }
table.matrix th.name { position: sticky; left: 0; z-index: 1; background: #ffffff; text-align: left;
  font-weight: 400; width: 250px; min-width: 250px; max-width: 250px; }
table.matrix thead th.name { z-index: 3; background: #f6f8fa; font-weight: 600; }
table.matrix th.name .label { display: flex; gap: 4px; }
table.matrix th.name .task { flex: 0 0 36px; color: #0550ae; font-weight: 600; }
table.matrix th.name .test { min-width: 0; overflow-wrap: anywhere; }
table.matrix th.name .count { color: #59636e; }
table.matrix th small, table.matrix td small { display: block; font-size: 10px; font-weight: 400; }
#patches { position: absolute; opacity: 0; }
#patches:not(:checked) ~ main .x, #patches:checked ~ main .l, #patches:not(:checked) ~ main tr.lines,
#patches:not(:checked) ~ header .on, #patches:checked ~ header .off { display: none; }
#patches:checked ~ main table.matrix tr.cols th { top: 24px; }
label.switch { display: inline-block; cursor: pointer; margin: 4px 0 8px; padding: 3px 10px; border: 1px solid #0550ae;
  border-radius: 14px; color: #0550ae; background: #ffffff; }
#patches:focus-visible ~ header label.switch { outline: 2px solid #0550ae; outline-offset: 2px; }
.errors { border: 2px solid #cf222e; border-radius: 6px; padding: 4px 12px; margin: 8px 0; background: #fff5f5; }
.errors h2 { color: #82071e; border: 0; margin: 4px 0; }
p.score { font-size: 16px; font-weight: 600; }
details > summary { cursor: pointer; margin: 8px 0; color: #0550ae; }
table.findings { border-collapse: collapse; }
table.findings th, table.findings td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
table.findings thead th { background: #f6f8fa; }
ol.notes, ul.breaks, ul.context, ul.differs, .errors ul { padding-left: 22px; }
ol.notes li, ul.breaks li, ul.context li, ul.differs li { margin: 2px 0; }
ul.breaks li { margin: 6px 0; }
code { font-size: 12px; background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
section.story { content-visibility: auto; }
"""

#: Writes the hover title of a story table's cell the first time the pointer reaches it.
SCRIPT = """
(() => {
  const labels = %s;
  const note = id => { const item = document.getElementById(id); return item ? item.firstChild.textContent : ""; };
  const state = cell => labels[cell.className.charAt(0)] || "";
  document.addEventListener("mouseover", event => {
    const cell = event.target.closest && event.target.closest("table.tests td");
    if (!cell || cell.title) return;
    const table = cell.closest("table"), row = cell.parentElement, story = table.dataset.story;
    const heads = table.tHead.rows[table.tHead.rows.length - 1].cells, head = heads[cell.cellIndex];
    const name = [...row.cells[0].querySelectorAll(".task, .test")].map(part => part.textContent).filter(Boolean)
      .join(" ");
    const parts = [];
    if (head.dataset.n) {
      const n = Number(head.dataset.n), patches = [];
      for (let i = 1; i <= n; i++) patches.push(heads[cell.cellIndex + i].dataset.release + ": " +
        state(row.cells[cell.cellIndex + i]));
      parts.push(name + " on cozepy " + head.dataset.line + ": " + state(cell) + " (the worst of its patches)",
        patches.join(", "));
    } else {
      parts.push(name + " on cozepy " + head.dataset.release + ": " + state(cell));
      if (cell.dataset.r) parts.push(note(story + "-r" + cell.dataset.r));
      if (cell.dataset.d) parts.push(note(story + "-d" + cell.dataset.d));
    }
    cell.title = parts.join(" \\u2014 ");
  });
})();
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _prose(text: str) -> str:
    """Text of the catalogue or a reason, escaped, with its Markdown code spans as ``<code>``."""
    return _CODE_SPAN.sub(r"<code>\1</code>", _e(text))


def _breakable(name: str) -> str:
    """A test name that wraps after ``_`` and ``[`` rather than anywhere."""
    return _e(name).replace("_", "_<wbr>").replace("[", "[<wbr>")


def _label(css: str) -> str:
    return STATE_STYLES[css]["short"]


def legend_html() -> str:
    items = [
        f'<li><span class="state {CODES[css]}">{_e(style["short"])}</span> {_e(style["legend"])}</li>'
        for css, style in STATE_STYLES.items()
    ]
    items.append('<li><span class="state">\u2260</span> corner mark: the Pythons differ (hover for which)</li>')
    items.append(
        '<li><span class="state">\u0394</span> corner mark: the patch releases of the minor line differ '
        "(hover, or show every patch release)</li>"
    )
    return f'<ul class="legend" id="legend">{"".join(items)}</ul>'


def _switch(count: int) -> str:
    return (
        f'<label class="switch" for="patches"><span class="off">Show every patch release ({count} columns)</span>'
        '<span class="on">Show one column per minor line</span></label>'
    )


def _class(classes: str) -> str:
    """`` class="..."`` for the classes given, nothing for none."""
    return f' class="{classes.strip()}"' if classes.strip() else ""


def _patch_classes(patches: int, index: int) -> str:
    """The classes of a line's ``index``-th patch column: ``x`` (shown with every patch) and the
    group's borders (``g`` its start, ``e`` its end), for a line of several patches."""
    if patches == 1:
        return ""
    return "x" + (" g" if index == 0 else "") + (" e" if index == patches - 1 else "")


def _head(groups: Sequence[LineGroup], first: str) -> str:
    """Two header rows: the minor lines (shown with every patch), then one cell per column. A line of
    several patches has a column of its own (class ``l``, the worst of them) and its patches (``x``)."""
    lines = "".join(
        f'<th scope="colgroup" colspan="{len(group.columns)}"{_class("g e" if len(group.columns) > 1 else "")}>'
        f"{_e(group.line)}</th>"
        for group in groups
    )
    cells = []
    for group in groups:
        if len(group.columns) > 1:
            first_patch, last_patch = group.releases[0], group.releases[-1]
            span = f"{first_patch[len(group.line) :]}\u2013{last_patch[len(group.line) :]}"
            cells.append(
                f'<th scope="col" class="l g e" data-line="{_e(group.line)}" data-n="{len(group.columns)}" '
                f'title="{_e(group.title)}">{_e(group.line)}<small>{_e(span)}</small></th>'
            )
        for index, column in enumerate(group.columns):
            classes = _patch_classes(len(group.columns), index)
            small = (
                f"<small>{_e(', '.join(column.installed))}</small>"
                if column.installed and column.installed != (column.release,)
                else ""
            )
            cells.append(
                f'<th scope="col"{_class(classes)} data-release="{_e(column.release)}">{_e(column.release)}{small}</th>'
            )
    return (
        f'<thead><tr class="lines"><th class="name"></th>{lines}</tr>'
        f'<tr class="cols"><th class="name" scope="col">{_e(first)}</th>{"".join(cells)}</tr></thead>'
    )


def _td(css: str, classes: str = "", attributes: str = "", extra: str = "") -> str:
    return f'<td class="{" ".join(filter(None, (CODES[css], classes)))}"{attributes}>{_e(_label(css))}{extra}</td>'


def _summary_title(where: str, item: Aggregate) -> str:
    parts = [f"{where}: {item.verdict.label}"]
    if item.verdict.reason:
        parts.append(item.verdict.reason)
    if item.differs:
        parts.append(differences_note(item))
    return " \u2014 ".join(parts)


def summary_html(report: Report, columns: Sequence[Column]) -> str:
    groups = line_groups(columns)
    rows = []
    for block in report.stories:
        cells = []
        for group in groups:
            several = len(group.columns) > 1
            if several:
                line = line_cell([(release, block.summary[release]) for release in group.releases])
                title = " \u2014 ".join(
                    filter(
                        None,
                        (
                            f"{block.story} on cozepy {group.title}: {line.verdict.label} (the worst of its patches)",
                            patches_note(line),
                            *line.pythons,
                        ),
                    )
                )
                classes = "l g e" + (" pd" if line.patches else "") + (" d" if line.pythons else "")
                small = f"<small>{_e(line.count)}</small>" if line.count else ""
                cells.append(_td(line.verdict.css, classes, f' title="{_e(title)}"', small))
            for index, column in enumerate(group.columns):
                item = block.summary[column.release]
                count = count_text(item)
                classes = _patch_classes(len(group.columns), index) + (" d" if item.differs else "")
                title = _summary_title(f"{block.story} on cozepy {column.release}", item)
                small = f"<small>{_e(count)}</small>" if count else ""
                cells.append(_td(item.verdict.css, classes.strip(), f' title="{_e(title)}"', small))
        label = (
            f'<div class="label"><span class="task">{_e(block.story)}</span><span class="test">'
            f'<a href="#{_e(block.story)}">{_e(block.title)}</a> <span class="count">({len(block.tests)} tests)</span>'
            "</span></div>"
        )
        rows.append(f'<tr><th class="name" scope="row">{label}</th>{"".join(cells)}</tr>')
    return (
        f'<table class="matrix summary" id="summary-table">{_head(groups, "Story")}'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _row_header(row: MatrixRow, name: str) -> str:
    return (
        f'<th class="name" scope="row" title="{_e(row.nodeid)}"><div class="label">'
        f'<span class="task">{_e(row.task or "")}</span><span class="test">{_breakable(name)}</span></div></th>'
    )


def story_html(block: StoryBlock, columns: Sequence[Column], skip: Sequence[str] = ()) -> str:
    """One story: tests x releases (one column per minor line, and one per patch), the reasons, and
    where the Pythons differ.

    ``skip``: Pythons that ran nowhere (named once at the end of the page, not as a reason here).
    """
    names = display_names(block)
    order = [column.release for column in columns]
    groups = line_groups(columns)
    story = _e(block.story)
    reasons = Notes()
    reason_releases: dict[int, list[str]] = {}
    differences = Notes()
    differing: dict[int, dict[str, list[str]]] = {}  # note -> release -> tests
    rows = []
    for row in block.tests:
        tds = []
        for group in groups:
            several = len(group.columns) > 1
            items = [(release, row.releases[release]) for release in group.releases]
            if several:
                line = line_cell(items)
                classes = "l g e" + (" pd" if line.patches else "") + (" d" if line.pythons else "")
                tds.append(_td(line.verdict.css, classes))
            for index, (release, item) in enumerate(items):
                attributes = ""
                note = verdict_note(item.verdict)
                if note:
                    number = reasons.add(note)
                    attributes += f' data-r="{number}"'
                    if release not in reason_releases.setdefault(number, []):
                        reason_releases[number].append(release)
                for python, verdict in item.by_python.items():  # the reasons of the other Pythons too
                    other = "" if python in skip or verdict == item.verdict else verdict_note(verdict)
                    if other:
                        number = reasons.add(other)
                        if release not in reason_releases.setdefault(number, []):
                            reason_releases[number].append(release)
                if item.differs:
                    number = differences.add(differences_note(item))
                    attributes += f' data-d="{number}"'
                    differing.setdefault(number, {}).setdefault(release, []).append(names[row.nodeid])
                classes = _patch_classes(len(group.columns), index) + (" d" if item.differs else "")
                tds.append(_td(item.verdict.css, classes.strip(), attributes))
        rows.append(f"<tr>{_row_header(row, names[row.nodeid])}{''.join(tds)}</tr>")
    table = (
        f'<table class="matrix by-release tests" id="{story}-by-release" data-story="{story}">'
        f"{_head(groups, 'Test')}<tbody>{''.join(rows)}</tbody></table>"
    )
    notes = "".join(
        f'<li id="{story}-r{number}">{_e(note)} <em>({_e(release_ranges(reason_releases[number], order))})</em></li>'
        for number, note in enumerate(reasons.items(), start=1)
    )
    differs = "".join(
        f'<li id="{story}-d{number}">{_e(note)} <em>({_e(_where(differing[number]))})</em></li>'
        for number, note in enumerate(differences.items(), start=1)
    )
    # Laid out only near the window (content-visibility), sized meanwhile as its rows will be.
    height = 24 * (len(block.tests) + len(reasons) + len(differences)) + 160
    return (
        f'<section class="story" id="{story}" style="contain-intrinsic-size: auto {height}px">'
        f"<h2>{story} \u00b7 {_e(block.title)}</h2>{table}"
        + (f'<h3>Reasons</h3><ol class="notes">{notes}</ol>' if notes else "")
        + (f'<h3>Where the Pythons differ</h3><ol class="notes differs">{differs}</ol>' if differs else "")
        + "</section>"
    )


def _where(tests: dict[str, list[str]]) -> str:
    """``0.2.0: test_a, test_b and 3 more; 0.6.2: test_c``: where a difference shows."""
    parts = []
    for release, names in tests.items():
        shown = ", ".join(names[:LIST_LIMIT]) + (
            f" and {len(names) - LIST_LIMIT} more" if len(names) > LIST_LIMIT else ""
        )
        parts.append(f"{release}: {shown}")
    return "; ".join(parts)


def _tests_html(tests: Sequence[tuple[str, str]]) -> str:
    return ", ".join(
        f"<code>{_e(name)}</code>" + (f" on {_e(releases)}" if releases else "") for name, releases in tests
    )


def findings_html(report: Report, columns: Sequence[Column]) -> str:
    order = [column.release for column in columns]
    rows = "".join(
        f"<tr><td>{_prose(feature)}</td><td><strong>{_e(first)}</strong></td><td>{_e(missing)}</td></tr>"
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
        mark = f'<span class="state {CODES[css]}">{_e(STATE_STYLES[css]["short"])}</span>'
        if group.bug_id:
            title = f"{_prose(group.bug.title)}. Cause: " if group.bug is not None else ""
            fix = f" {_prose(group.fix)}" if group.fix else ""
            items.append(
                f'<li id="bug-{_e(group.bug_id)}">{mark} <strong><code>{_e(group.bug_id)}</code></strong> on '
                f"{_e(group.releases)} ({_e(group.story)}): {title}{_prose(group.reason or 'failed')}.{fix} "
                f"Tests: {_tests_html(group.tests)}.</li>"
            )
        else:
            items.append(
                f"<li>{mark} <strong>{_e(group.story)}</strong> on {_e(group.releases)}: "
                f"{_prose(group.reason or 'failed')} ({_tests_html(group.tests)})</li>"
            )
    breaks = f'<ul class="breaks">{"".join(items)}</ul>' if items else "<p>No story breaks on any release.</p>"
    return (
        f'<section id="findings"><h2>Findings</h2><h3>New features by release</h3>{features}'
        f"<h3>Where stories break</h3>{breaks}</section>"
    )


def errors_html(report: Report) -> str:
    """The catalogue errors, in a box that stands out (empty when there is none)."""
    if not report.catalogue_errors:
        return ""
    items = "".join(f"<li>{_prose(error)}</li>" for error in report.catalogue_errors)
    return (
        '<section class="errors" id="catalogue-errors"><h2>Catalogue errors</h2><p>The results and the bug '
        f"catalogue (<code>src/coze_compat/bugs/</code>) disagree:</p><ul>{items}</ul></section>"
    )


def bugs_html(report: Report, columns: Sequence[Column]) -> str:
    """The yardstick: the score, then every bug of the catalogue and whether the results show it."""
    rows = []
    shown_breaks = {group.bug_id for group in break_groups(report, [column.release for column in columns])}
    for row in bug_rows(report, [column.release for column in columns]):
        bug = row.check.bug
        name = f"<code>{_e(bug.id)}</code>"
        if bug.id in shown_breaks:
            name = f'<a href="#bug-{_e(bug.id)}">{name}</a>'
        rows.append(
            f"<tr><td>{name} {_prose(bug.title)}</td><td>{_e(row.releases)}</td><td>{_e(row.fix)}</td>"
            f'<td><span class="state {BUG_CLASSES[row.status]}">{_e(BUG_STATUS[row.status][1])}</span> '
            f"{_prose(row.detail)}</td></tr>"
        )
    if not rows:
        return ""
    return (
        f'<section id="bugs"><h2>Real cozepy bugs</h2><p class="score">{_e(score_text(report))}</p>'
        f"<p>{_prose(YARDSTICK_INTRO)}</p>"
        '<table class="findings" id="bugs-table"><thead><tr><th>Bug</th><th>Releases</th><th>Fixed in</th>'
        f"<th>Shown at the right releases</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
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
                mark = f'<span class="state F" title="{_e(note)}">no</span><sup>{notes.add(note)}</sup>'
            else:
                mark = '<span class="state P">yes</span>'
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


def _script() -> str:
    return SCRIPT % json.dumps(CODE_LABELS)


def studio_html(studio: Report) -> str:
    """The Coze Studio section: its summary table, where its stories break and its bugs."""
    columns = studio.columns
    return (
        f'<section id="studio"><h2>Against {_e(studio.server_title)}</h2>'
        f'<p class="meta">The same story tests against the Coze Studio flavour of the fake, on Python '
        f"{_e(', '.join(studio.pythons))}: a test Studio cannot answer is not served; a break is the SDK's "
        f"code meeting Studio's handler.</p>{summary_html(studio, columns)}"
        f"{findings_html(studio, columns)}{bugs_html(studio, columns)}</section>"
    )


def render_html(
    report: Report,
    *,
    releases: Sequence[str] | None = None,
    title: str = "cozepy compatibility",
    generated: str = "",
    studio: Report | None = None,
) -> str:
    columns = report.columns if releases is None else tuple(c for c in report.columns if c.release in releases)
    ran = [python for python in report.pythons if python not in report.pythons_not_run]
    span = f"Python {ran[0]}\u2013{ran[-1]}" if len(ran) > 1 else (f"Python {ran[0]}" if ran else "no Python")
    meta = (
        f"{len(columns)} cozepy releases \u00d7 {len(report.pythons)} Pythons ({span} ran). "
        "Each cell shows the worst state across Pythons (and, in the summary, across the story's tests; "
        "n/N = tests in that state / tests in the story); a minor line's column, the worst of its patch "
        "releases. Hover a cell for its reason."
    )
    if generated:
        meta += f" Generated {generated}."
    stories = "".join(story_html(block, columns, tuple(report.pythons_not_run)) for block in report.stories)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        '<input type="checkbox" id="patches" aria-label="show every patch release">'
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p>{legend_html()}{_switch(len(columns))}'
        f"{errors_html(report)}</header>"
        f'<main><section id="summary"><h2>Summary</h2>{summary_html(report, columns)}</section>'
        f"{findings_html(report, columns)}{bugs_html(report, columns)}{dependencies_html(report, columns)}"
        f"{upgrade_html(report, columns)}{stories}{context_html(report, columns)}"
        f"{studio_html(studio) if studio is not None else ''}"
        f"</main><script>{_script()}</script></body></html>\n"
    )
