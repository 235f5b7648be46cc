"""Headless Chromium driven through its DevTools protocol, for the report's browser test and benchmark.

Chromium is started with ``--remote-debugging-pipe``: it reads commands on file descriptor 3 and
writes replies on 4, NUL-separated JSON, so no TCP socket is opened (pytest-socket stays strict in
the harness) and nothing beyond Debian's ``chromium`` package is needed. Kept here rather than a
browser-automation dependency (Playwright, Selenium) because those download their own browsers and
need a network; this is ~150 lines of the standard library.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

#: Debian's chromium; ``COZE_COMPAT_CHROMIUM`` points elsewhere (GitHub's runners have Chrome).
CHROMIUM = Path(os.environ.get("COZE_COMPAT_CHROMIUM", "/usr/bin/chromium"))
WIDTH, HEIGHT = 1280, 800


class DevToolsPipe:
    """A Chromium started with ``--remote-debugging-pipe``, and its DevTools protocol."""

    def __init__(self, profile: Path, width: int = WIDTH, height: int = HEIGHT, chromium: Path = CHROMIUM) -> None:
        commands_in, self._commands = os.pipe()
        self._replies, replies_out = os.pipe()

        def wire_pipes() -> None:  # in the child, before exec: DevTools reads fd 3, writes fd 4
            inbound = fcntl.fcntl(commands_in, fcntl.F_DUPFD, 10)
            outbound = fcntl.fcntl(replies_out, fcntl.F_DUPFD, 10)
            os.dup2(inbound, 3)
            os.dup2(outbound, 4)

        arguments = [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
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
    """One tab showing ``url``, loaded (its ``load`` event fired)."""

    def __init__(self, browser: DevToolsPipe, url: str, width: int = WIDTH, height: int = HEIGHT) -> None:
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        self.target = str(target["targetId"])
        self.session = str(
            browser.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})["sessionId"]
        )
        self.resize(width, height)
        browser.send("Page.enable", {}, self.session)
        browser.send("Performance.enable", {"timeDomain": "threadTicks"}, self.session)
        browser.send("Page.navigate", {"url": url}, self.session)
        browser.wait_for("Page.loadEventFired", self.session)

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

    def metrics(self) -> dict[str, float]:
        """Chromium's performance counters of the tab since it opened (``Performance.getMetrics``)."""
        reply = self.browser.send("Performance.getMetrics", {}, self.session)
        return {str(metric["name"]): float(metric["value"]) for metric in reply["metrics"]}

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


#: Milliseconds from the start of navigation to the end of the ``load`` event, and to the first
#: paint and first contentful paint (the Navigation and Paint Timing APIs).
TIMINGS = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  return {load: nav.loadEventEnd, dom: nav.domContentLoadedEventEnd,
          first_paint: paint['first-paint'] ?? null, first_contentful_paint: paint['first-contentful-paint'] ?? null};
})()"""


#: Chromium's counters of the main thread's work (seconds of thread time, less disturbed than wall
#: time by other processes on a shared machine), reported in milliseconds.
WORK = {"TaskDuration": "main_thread", "LayoutDuration": "layout", "RecalcStyleDuration": "style"}


def load_timings(browser: DevToolsPipe, url: str) -> dict[str, float | None]:
    """Open ``url`` in a fresh tab and read how long it took to load and paint (milliseconds): wall
    time from navigation to the ``load`` event and to the first contentful paint, and the main
    thread's work (``main_thread``, of which ``layout`` and ``style``) in thread time."""
    page = Page(browser, url)
    try:
        deadline = time.monotonic() + 10
        while True:  # the paint entries arrive with the first frame, after load in a headless tab
            timings: dict[str, float | None] = page.evaluate(TIMINGS)
            if timings["first_contentful_paint"] is not None or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        metrics = page.metrics()
        timings.update({name: metrics[key] * 1000 for key, name in WORK.items() if key in metrics})
        return timings
    finally:
        page.close()
