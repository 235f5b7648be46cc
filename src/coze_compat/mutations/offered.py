"""Which tests a run skips as *not offered*: a mutant that makes a capability probe fail hides its
regression behind a skip (rename ``SimpleBot.folder_id`` and the folder test is skipped as not
offered instead of failing), so the runner counts a test that the unmutated copy does not skip as
not offered, and the mutant does, as detected: a **lost capability**, as the report counts a
capability a later release loses (``coze_compat.report.lost``).

The mutation worker's child reads the skips of its own run (``skipped_as_not_offered``); the
baseline run loads this module as a pytest plugin (``-p coze_compat.mutations.offered``) with
``$COZE_COMPAT_NOT_OFFERED`` naming the JSON file that receives the node ids. Standard library and
pytest only: the module imports no cozepy (the worker imports it before any mutant).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: The start of every not-offered skip reason (``coze_compat.capabilities.missing``).
PREFIX = "not offered by cozepy "
#: The file the baseline's plugin writes the not-offered node ids to.
ENV = "COZE_COMPAT_NOT_OFFERED"

_seen: list[str] = []


def skipped_as_not_offered(report: Any) -> bool:
    """Whether a pytest test report is a skip as not offered (an xfail is a skip too, but not this)."""
    if not getattr(report, "skipped", False) or hasattr(report, "wasxfail"):
        return False
    longrepr = getattr(report, "longrepr", None)
    if not (isinstance(longrepr, tuple) and len(longrepr) == 3):
        return False
    reason = str(longrepr[2])
    return reason.startswith((PREFIX, "Skipped: " + PREFIX))


def read(path: Path) -> frozenset[str]:
    """The node ids the plugin wrote to ``path`` (none when the run wrote no file)."""
    if not path.is_file():
        return frozenset()
    return frozenset(json.loads(path.read_text(encoding="utf-8")))


def pytest_runtest_logreport(report: Any) -> None:
    if skipped_as_not_offered(report):
        _seen.append(str(report.nodeid))


def pytest_sessionfinish(session: Any) -> None:
    target = os.environ.get(ENV)
    if target:
        Path(target).write_text(json.dumps(sorted(set(_seen))), encoding="utf-8")
