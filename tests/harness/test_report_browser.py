"""The HTML report as a person sees it: headless Chromium loads the page and we measure what shows.

Chromium is driven through its DevTools protocol over ``--remote-debugging-pipe`` (file
descriptors 3 and 4, NUL-separated JSON), so no TCP socket is opened by the test process
(pytest-socket stays strict) and nothing beyond Debian's ``chromium`` package is needed.

The page is rendered from the recorded results under ``data/cells`` for the real version table
(every pinned release, ``latest``, Python 3.8-3.14), at a 1280 px wide window. A screenshot of
each check goes to ``$COZE_COMPAT_RESULTS`` (the harness session's results folder) when set.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coze_compat import dependencies, matrix
from coze_compat.report import build
from coze_compat.report.html import render_html

#: Debian's chromium; ``COZE_COMPAT_CHROMIUM`` points elsewhere (GitHub's runners have Chrome).
CHROMIUM = Path(os.environ.get("COZE_COMPAT_CHROMIUM", "/usr/bin/chromium"))
DATA = Path(__file__).parent / "data"
WIDTH, HEIGHT = 1280, 800
STATES = ("pass", "fail", "known", "not-offered", "not-installable", "not-run")

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does) to run the browser test",
    ),
    pytest.mark.timeout(60),
]


class DevToolsPipe:
    """A Chromium started with ``--remote-debugging-pipe``, and its DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        commands_in, self._commands = os.pipe()
        self._replies, replies_out = os.pipe()

        def wire_pipes() -> None:  # in the child, before exec: DevTools reads fd 3, writes fd 4
            inbound = fcntl.fcntl(commands_in, fcntl.F_DUPFD, 10)
            outbound = fcntl.fcntl(replies_out, fcntl.F_DUPFD, 10)
            os.dup2(inbound, 3)
            os.dup2(outbound, 4)

        arguments = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            arguments,
            close_fds=False,  # only the inheritable fds 3 and 4 (made by dup2) reach Chromium
            preexec_fn=wire_pipes,  # DevTools expects its pipes at fds 3 and 4
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_in)
        os.close(replies_out)
        self._buffer = b""
        self._last_id = 0
        self.events: list[dict[str, Any]] = []

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._replies], [], [], left)
            if ready:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed its DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        reply: dict[str, Any] = json.loads(message)
        return reply

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> dict[str, Any]:
        self._last_id += 1
        command: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._commands, json.dumps(command).encode("utf-8") + b"\0")
        deadline = time.monotonic() + 30
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str, session: str) -> None:
        """Read until Chromium sends ``event`` for ``session`` (or already has)."""
        deadline = time.monotonic() + 30
        while not any(e["method"] == event and e.get("sessionId") == session for e in self.events):
            reply = self._message(deadline)
            if "method" in reply:
                self.events.append(reply)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError, EOFError):
            self.process.kill()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)


class Page:
    """One tab showing the report."""

    def __init__(self, browser: DevToolsPipe, url: str) -> None:
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        self.session = str(
            browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        )
        self.resize(WIDTH, HEIGHT)
        browser.send("Page.enable", {}, self.session)
        browser.send("Page.navigate", {"url": url}, self.session)
        browser.wait_for("Page.loadEventFired", self.session)
        assert self.evaluate("document.readyState") == "complete"

    def resize(self, width: int, height: int) -> None:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.browser.send("Emulation.setDeviceMetricsOverride", metrics, self.session)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page."""
        reply = self.browser.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, self.session
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"JavaScript error: {reply['exceptionDetails']}")
        return reply["result"].get("value")

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
    browser = DevToolsPipe(folder / "profile")
    try:
        yield Page(browser, html_file.as_uri())
    finally:
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_view(page: Page) -> None:
    """Every check starts at the top left of a 1280 x 800 window with the folded matrices closed."""
    page.resize(WIDTH, HEIGHT)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false); window.scrollTo(0, 0); 0")


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
        cell = style_of(page, f"table.by-release td.state.{state}")
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
    page.evaluate(f"window.scrollTo(0, {top} + 30); 0")
    page.screenshot(f"sticky-{table.strip('#')}")

    header = style_of(page, f"{table} thead th:nth-child(2)")
    on_top = page.evaluate(
        f"""(() => {{
          const th = document.querySelector('{table} thead th:nth-child(2)');
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
    page.evaluate(f"window.scrollTo(0, {top}); 0")
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
    no, yes = style_of(page, "#dependencies-table .state.fail"), style_of(page, "#dependencies-table .state.pass")
    assert (no["text"], yes["text"]) == ("no", "yes")
    assert (no["background"], yes["background"]) == (
        style_of(page, "#legend .state.fail")["background"],
        style_of(page, "#legend .state.pass")["background"],
    )


def test_names_stay_in_view_when_a_narrow_window_scrolls_sideways(page: Page) -> None:
    """Given the report in a window too narrow for the per-story tables (900 px),
    When the page is scrolled fully to the right,
    Then the test-name column stays at the left edge, in front of the cells."""
    page.resize(900, HEIGHT)
    top = page.evaluate("document.querySelector('#US1-by-release').getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(document.documentElement.scrollWidth, {top} - 100); 0")
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


def test_every_python_matrix_keeps_its_headers_and_names_in_view(page: Page) -> None:
    """Given a story's folded matrix of every Python x release cell, opened,
    When it is scrolled to its far right and down,
    Then both header rows (release, Python) stay at its top and the test names at its left."""
    page.resize(WIDTH, 420)  # the box is 75 % of the window's height: shorter than the story's rows
    page.evaluate(
        """(() => {
          const details = document.querySelector('#US1 details.every-python');
          details.open = true;
          details.scrollIntoView();
          const box = details.querySelector('.scroll');
          box.scrollLeft = box.scrollWidth;
          box.scrollTop = 120;
          return 0;
        })()"""
    )
    page.screenshot("every-python")
    layout = page.evaluate(
        """(() => {
          const box = document.querySelector('#US1 .scroll');
          const frame = box.getBoundingClientRect();
          const front = el => {
            const r = el.getBoundingClientRect();
            return el.contains(document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2));
          };
          const release = box.querySelector('thead tr.releases th:last-child');
          const python = box.querySelector('thead tr.pythons th:last-child');
          const rows = [...box.querySelectorAll('tbody th.name')];
          const name = rows.find(th => th.getBoundingClientRect().top > python.getBoundingClientRect().bottom);
          return {frame: {left: frame.left, top: frame.top}, scrolled: [box.scrollLeft, box.scrollTop],
                  release: {top: release.getBoundingClientRect().top, bottom: release.getBoundingClientRect().bottom,
                            text: release.innerText, front: front(release)},
                  python: {top: python.getBoundingClientRect().top, text: python.innerText, front: front(python)},
                  name: {left: name.getBoundingClientRect().left, text: name.innerText, front: front(name)}};
        })()"""
    )

    assert layout["scrolled"][0] > 1000, "the matrix is not wider than its box"
    assert layout["scrolled"][1] > 0, "the matrix is not taller than its box"
    assert abs(layout["release"]["top"] - layout["frame"]["top"]) <= 2
    assert abs(layout["python"]["top"] - layout["release"]["bottom"]) <= 2
    assert abs(layout["name"]["left"] - layout["frame"]["left"]) <= 2
    assert layout["release"]["front"], "release header covered"
    assert layout["python"]["front"], "Python header covered"
    assert layout["name"]["front"], "test name covered"
    assert layout["release"]["text"].startswith("latest")
    assert layout["python"]["text"] == matrix.PYTHONS[-1]


def test_every_cell_explains_itself_on_hover(page: Page) -> None:
    """Given the per-story tables,
    When the cells that are not a plain pass are hovered,
    Then each carries a title naming the test, the release, its state and the reason."""
    titles = page.evaluate(
        """[...document.querySelectorAll('table.by-release td.state:not(.pass)')].map(td => td.title)"""
    )
    known = page.evaluate("document.querySelector('table.by-release td.state.known').title")

    assert titles
    assert all(" on cozepy " in title and ": " in title for title in titles)
    assert "fail (known break)" in known
    assert "requests carry no timeout" in known
