"""The HTML report as a person sees it: headless Chromium loads the page and we measure what shows.

Chromium is driven through its DevTools protocol over ``--remote-debugging-pipe``
(``coze_compat.browser``), so no TCP socket is opened by the test process (pytest-socket stays
strict) and nothing beyond Debian's ``chromium`` package is needed.

The page is rendered from the recorded results under ``data/cells`` for the real version table
(every pinned release, ``latest``, Python 3.8-3.14), at a 1280 px wide window. A screenshot of
each check goes to ``$COZE_COMPAT_RESULTS`` (the harness session's results folder) when set.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coze_compat import browser, dependencies, matrix
from coze_compat.report import build
from coze_compat.report.html import render_html
from coze_compat.report.present import CODES

CHROMIUM = browser.CHROMIUM
DATA = Path(__file__).parent / "data"
WIDTH, HEIGHT = browser.WIDTH, browser.HEIGHT
STATES = tuple(CODES.values())

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does) to run the browser test",
    ),
    pytest.mark.timeout(60),
]


class Page(browser.Page):
    """One tab showing the report, with screenshots for the harness's results."""

    def settle(self) -> None:
        """Wait for two frames: the story sections are laid out once near the window (content-visibility)."""
        self.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(0))))")

    def scroll(self, expression: str) -> None:
        """Evaluate a scrolling ``expression``, then let the page lay out what came into view."""
        self.evaluate(f"{expression}; 0")
        self.settle()

    def screenshot(self, name: str) -> None:
        folder = os.environ.get("COZE_COMPAT_RESULTS")
        if folder:
            data = self.browser.send("Page.captureScreenshot", {"format": "png"}, self.session)["data"]
            Path(folder, f"report-browser-{name}.png").write_bytes(base64.b64decode(data))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """The report of the recorded results and dependency data, for the real version table, open at 1280 x 800."""
    folder = tmp_path_factory.mktemp("browser")
    report = build(DATA / "cells", [DATA / "nox-report.json"], dependencies=dependencies.load())
    html_file = folder / "report.html"
    html_file.write_text(render_html(report, generated="2026-11-26 12:00 UTC"), encoding="utf-8")
    pipe = browser.DevToolsPipe(folder / "profile")
    try:
        page = Page(pipe, html_file.as_uri())
        assert page.evaluate("document.readyState") == "complete"
        yield page
    finally:
        pipe.close()


@pytest.fixture(autouse=True)
def _fresh_view(page: Page) -> None:
    """Every check starts at the top left of a 1280 x 800 window, one column per minor line."""
    page.resize(WIDTH, HEIGHT)
    page.evaluate(
        "document.getElementById('patches').checked = false;"
        " document.querySelectorAll('section.story').forEach(s => s.style.contentVisibility = '');"
        " window.scrollTo(0, 0); 0"
    )


# -- colours -------------------------------------------------------------------------------------

_RGB_RE = re.compile(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)")


def colours(css: str) -> list[tuple[int, int, int]]:
    """The opaque colours in a computed CSS value (``rgb(...)``; transparent ones left out)."""
    found = []
    for match in _RGB_RE.finditer(css):
        alpha = match.group(4)
        if alpha is None or float(alpha) > 0:
            found.append((int(match.group(1)), int(match.group(2)), int(match.group(3))))
    return found


def luminance(colour: tuple[int, int, int]) -> float:
    channels = []
    for value in colour:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


STYLE_OF = """
(element => {
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  return {text: element.innerText.trim(), color: style.color, background: style.backgroundColor,
          image: style.backgroundImage, outline: style.outlineStyle, visibility: style.visibility,
          left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom,
          width: rect.width, height: rect.height};
})
"""


def style_of(page: Page, selector: str) -> dict[str, Any]:
    value: dict[str, Any] = page.evaluate(f"({STYLE_OF})(document.querySelector({json.dumps(selector)}))")
    return value


# -- the checks ----------------------------------------------------------------------------------


def test_every_state_is_visible_and_distinguishable(page: Page) -> None:
    """Given the report of results holding every state, open at 1280 px,
    When the legend and the matrix cells of each state are looked at,
    Then each state shows with its own label and background, in readable contrast, as in the legend."""
    page.screenshot("top")
    looks = {}
    for state in STATES:
        legend = style_of(page, f"#legend .state.{state}")
        selector = json.dumps(f"table.by-release td.{state}:not(.x)")
        page.scroll(f"document.querySelector({selector}).scrollIntoView({{block: 'center'}})")
        cell = style_of(page, f"table.by-release td.{state}:not(.x)")
        page.scroll("window.scrollTo(0, 0)")
        assert legend["visibility"] == "visible", state
        assert legend["width"] > 20, f"{state}: legend swatch not visible"
        assert legend["height"] > 10, f"{state}: legend swatch not visible"
        assert 0 <= legend["left"] < legend["right"] <= WIDTH, f"{state}: legend swatch outside the window"
        assert cell["text"] == legend["text"], f"{state}: cell label {cell['text']!r} differs from the legend"
        assert (cell["background"], cell["image"], cell["color"]) == (
            legend["background"],
            legend["image"],
            legend["color"],
        ), f"{state}: cell colours differ from the legend"
        backgrounds = colours(cell["image"]) or colours(cell["background"]) or [(255, 255, 255)]
        text = colours(cell["color"])[0]
        for background in backgrounds:
            assert contrast(text, background) >= 4.5, f"{state}: label contrast {contrast(text, background):.1f}"
        looks[state] = (cell["text"], tuple(backgrounds), cell["outline"])

    assert len({label for label, _, _ in looks.values()}) == len(STATES), f"labels are not distinct: {looks}"
    assert len({(backgrounds, outline) for _, backgrounds, outline in looks.values()}) == len(STATES), (
        f"two states look alike: {looks}"
    )


@pytest.mark.parametrize("table", ["#summary-table", "#US1-by-release", "#US2-by-release"])
def test_header_row_stays_readable_after_scrolling(page: Page, table: str) -> None:
    """Given a matrix table taller than what remains of the window,
    When the page is scrolled past the table's header row,
    Then the header row stays at the top of the window, in front of the rows, and readable."""
    top = page.evaluate(f"document.querySelector('{table}').getBoundingClientRect().top + window.scrollY")
    page.scroll(f"window.scrollTo(0, {top} + 30)")
    page.screenshot(f"sticky-{table.strip('#')}")

    header = style_of(page, f"{table} thead tr.cols th:nth-child(2)")
    on_top = page.evaluate(
        f"""(() => {{
          const th = document.querySelector('{table} thead tr.cols th:nth-child(2)');
          const r = th.getBoundingClientRect();
          return th.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
        }})()"""
    )
    assert abs(header["top"]) < 1, f"{table}: header row at {header['top']} px, not stuck to the top"
    assert on_top, f"{table}: the header row is covered by the rows under it"
    assert header["text"], f"{table}: header without text"
    assert contrast(colours(header["color"])[0], colours(header["background"])[0]) >= 4.5


def test_test_names_are_visible_without_horizontal_scrolling(page: Page) -> None:
    """Given the report at 1280 px wide, not scrolled sideways,
    When its summary and per-story tables are laid out,
    Then every story and test name lies fully within the window, unclipped."""
    # The story sections are laid out only near the window (content-visibility: auto): an unrendered name has
    # no text and no box, so every section is rendered for the measurement, whatever ran before.
    page.evaluate("document.querySelectorAll('section.story').forEach(s => s.style.contentVisibility = 'visible'); 0")
    page.settle()
    names = page.evaluate(
        """[...document.querySelectorAll('table.summary th.name, table.by-release th.name')].map(th => {
             const r = th.getBoundingClientRect();
             return {text: th.innerText.trim(), left: r.left, right: r.right,
                     clipped: th.scrollWidth > th.clientWidth + 1};
           })"""
    )

    assert page.evaluate("window.scrollX") == 0
    assert len(names) > 40
    outside = [name["text"] for name in names if name["left"] < 0 or name["right"] > WIDTH or name["clipped"]]
    assert outside == [], f"names not fully visible: {outside}"
    assert any("T011" in name["text"] and "test_custom_http_client_timeout" in name["text"] for name in names)


def test_dependency_table_fits_the_window(page: Page) -> None:
    """Given the report with the dependency section, at 1280 px wide,
    When the section's table is laid out,
    Then every cell lies within the window (no sideways scrolling to read it), one row per group of
    releases, and each verdict shows its label in the colours of its state."""
    top = page.evaluate("document.querySelector('#dependencies').getBoundingClientRect().top + window.scrollY")
    page.scroll(f"window.scrollTo(0, {top})")
    page.screenshot("dependencies")
    cells = page.evaluate(
        """[...document.querySelectorAll('#dependencies-table th, #dependencies-table td')].map(cell => {
             const r = cell.getBoundingClientRect();
             return {text: cell.innerText.trim(), left: r.left, right: r.right};
           })"""
    )
    rows = page.evaluate(
        "[...document.querySelectorAll('#dependencies-table tbody tr')].map(r => r.cells[0].innerText)"
    )

    outside = [cell["text"] for cell in cells if cell["left"] < 0 or cell["right"] > WIDTH]
    assert outside == [], f"dependency cells outside the window: {outside}"
    assert rows == ["0.2.0\u20130.5.0", "0.6.0\u20130.19.0", "0.20.0"]
    no, yes = style_of(page, "#dependencies-table .state.F"), style_of(page, "#dependencies-table .state.P")
    assert (no["text"], yes["text"]) == ("no", "yes")
    assert (no["background"], yes["background"]) == (
        style_of(page, "#legend .state.F")["background"],
        style_of(page, "#legend .state.P")["background"],
    )


def test_names_stay_in_view_when_a_narrow_window_scrolls_sideways(page: Page) -> None:
    """Given the report in a window too narrow for the per-story tables (900 px),
    When the page is scrolled fully to the right,
    Then the test-name column stays at the left edge, in front of the cells."""
    page.resize(900, HEIGHT)
    top = page.evaluate("document.querySelector('#US1-by-release').getBoundingClientRect().top + window.scrollY")
    page.scroll(f"window.scrollTo(document.documentElement.scrollWidth, {top} - 100)")
    page.screenshot("narrow")

    scrolled = page.evaluate("window.scrollX")
    name = page.evaluate(
        """(() => {
          const th = document.querySelector('#US1-by-release tbody tr:first-child th.name');
          const r = th.getBoundingClientRect();
          return {left: r.left, right: r.right,
                  front: th.contains(document.elementFromPoint(r.left + 20, r.top + r.height / 2))};
        })()"""
    )
    assert scrolled > 0, "the window is not narrow enough to scroll sideways"
    assert abs(name["left"]) < 1
    assert name["right"] <= 900
    assert name["front"], "the cells cover the test names"


def test_the_switch_shows_every_patch_grouped_under_its_minor_line(page: Page) -> None:
    """Given the report at 1280 px, one column per minor line (0.10 standing for 0.10.0-0.10.4),
    When the switch is clicked and the page scrolled past the US1 table's header,
    Then every release has a column, each minor line's header spans exactly its patches, and both
    header rows stay at the top, in front of the rows; clicking again folds the patches back."""

    def columns() -> Any:
        return page.evaluate(
            """(() => {
              const head = document.querySelector('#US1-by-release thead');
              const shown = el => el.getBoundingClientRect().width > 0;
              const cols = [...head.querySelectorAll('tr.cols th')].slice(1).filter(shown);
              const lines = [...head.querySelectorAll('tr.lines th')].slice(1).filter(shown);
              const rect = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
              return {cols: cols.map(th => th.innerText.split('\\n')[0]),
                      lines: lines.map(th => ({text: th.innerText, ...rect(th)})),
                      edges: cols.map(rect)};
            })()"""
        )

    page.scroll("document.getElementById('US1-by-release').scrollIntoView()")
    folded = columns()
    page.evaluate("document.querySelector('label.switch').click(); 0")
    top = page.evaluate("document.querySelector('#US1-by-release').getBoundingClientRect().top + window.scrollY")
    page.scroll(f"window.scrollTo(0, {top} + 60)")
    page.screenshot("every-patch")
    unfolded = columns()
    sticky = page.evaluate(
        """(() => {
          const head = document.querySelector('#US1-by-release thead');
          const front = el => { const r = el.getBoundingClientRect();
            return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); };
          const line = head.querySelector('tr.lines th:nth-child(2)');
          const col = head.querySelector('tr.cols th:nth-child(2)');
          return {line: line.getBoundingClientRect().top, col: col.getBoundingClientRect().top,
                  bottom: line.getBoundingClientRect().bottom, front: front(line) && front(col)};
        })()"""
    )
    page.evaluate("document.querySelector('label.switch').click(); 0")
    page.settle()

    lines = matrix.minor_lines()
    assert folded["cols"] == [versions[0] if len(versions) == 1 else line for line, versions in lines.items()] + [
        "latest"
    ]
    assert folded["lines"] == []
    assert unfolded["cols"] == [*matrix.pinned_releases(), "latest"]
    spans = [len(versions) for versions in lines.values()] + [1]
    assert [line["text"] for line in unfolded["lines"]] == [*lines, "latest"]
    start = 0
    for line, span in zip(unfolded["lines"], spans):
        first, last = unfolded["edges"][start], unfolded["edges"][start + span - 1]
        assert abs(line["left"] - first["left"]) <= 2, line["text"]
        assert abs(line["right"] - last["right"]) <= 2, line["text"]
        start += span
    assert abs(sticky["line"]) < 1, "the minor lines' header row is not stuck to the top"
    assert abs(sticky["col"] - sticky["bottom"]) <= 1, "the releases' header row is not right under it"
    assert sticky["front"], "the header rows are covered by the rows under them"
    assert columns() == folded


def test_every_cell_explains_itself_on_hover(page: Page) -> None:
    """Given the per-story tables, one column per minor line and then every patch,
    When the pointer reaches the cells that are not a plain pass,
    Then each gets a title naming the test, the release, its state and the reason (a minor line's
    cell: the state of each of its patches)."""

    def hover_titles() -> Any:
        return page.evaluate(
            """[...document.querySelectorAll('table.by-release td:not(.P)')].filter(td => td.offsetWidth > 0)
                 .map(td => { td.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); return td.title; })"""
        )

    folded = hover_titles()
    page.evaluate("document.getElementById('patches').checked = true; 0")
    unfolded = hover_titles()
    known = page.evaluate(
        """(() => { const td = document.querySelector('table.by-release td.K.x, table.by-release td.K:not(.l)');
                    td.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); return td.title; })()"""
    )

    assert folded
    assert unfolded
    assert all(" on cozepy " in title and ": " in title for title in folded + unfolded)
    assert any("(the worst of its patches)" in title and "0.10.0: not run" in title for title in folded)
    assert "fail (known break)" in known
    assert "requests carry no timeout" in known
