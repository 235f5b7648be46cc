"""Render the report as JSON for tools (and as the release watch's baseline).

Schema ``coze-compat-report/2``: compact, so that the whole matrix (30 releases x 7 Pythons x
400 tests) stays small (issue 14). A state is a one-letter code (``codes``); a test's states are
one string with a code per release, in the order of ``releases``; a reason is an index into
``reasons`` (each text once, without the release it names); a Python's own state is written only
where it differs from the release's (the worst across Pythons), and a cell that did not run its
tests is described once, in ``cells``::

    {"schema", "generated",
     "codes": {"P": "pass", "F": "fail", "K": "fail (known break)", "O": "not offered",
               "I": "not installable", "R": "not run"},
     "pythons", "pythons_not_run": {python: reason},
     "releases": [{"release", "title", "installed": [...], "line"}],
     "cells": {cell_id: {"python", "release", "status", "installed", "python_version", "notes",
                         "ran": bool, "state"?: CODE, "reason"?: text}},   # state, reason: when not ran
     "reasons": [text, ...],
     "stories": [{"story", "title",
                  "summary": {"states": "PKK...", "counts": [{CODE: n}, ...one per release],
                              "pythons": {release: {python: CODE}}},
                  "tests": [{"nodeid", "task", "path", "line", "states": "PPK...",
                             "reasons": {release: index},
                             "pythons": {release: {python: [CODE] | [CODE, index]}}}]}],
     "findings": {"features": [{"feature", "first_offered", "missing_in", "missing_again", "tests"}],
                  "breaks": [{"bug", "known", "stories", "reason", "releases",
                              "tests": [{"nodeid", "task", "releases"}]}],
                  "lost_capabilities": [{"name", "what", "offered_by", "releases", "break", "removal"}]},
     "bugs": {"score": {"shown", "total", "partial", "not_shown", "no_results"},
              "catalogue_errors": [text, ...],
              "entries": [{"id", "title", "releases", "cause", "fixed_by", "fixed_in", "reported",
                           "not_shown", "capability", "status", "affected", "with_results", "shown_at",
                           "missing": [{"release", "pythons"}], "extra", "tests"}]},
     "capabilities": {name: {release: offered}},
     "not_in_matrix": [{"release", "status", "reason"}],
     "dependencies": null | {"computed", "python", "resolver", "current": {package: version},
                             "releases": [DEPENDENCY_ENTRY for every release shown but latest]}}

A test's state on one release and Python (``cell_states``): the cell's own ``state`` when it did not
run its tests; else the test's ``pythons`` entry for it; else the release's state in ``states``.
A ``breaks`` entry is one bug (``bug``: its id) with every test and release that shows it, or (``bug``
null) the tests of one story failing for one other reason. ``bugs`` is the yardstick
(``report.yardstick``): every bug of the catalogue and whether the results show it at its releases.
``DEPENDENCY_ENTRY``: the entries of ``data/dependencies.json`` (schema ``coze-compat-dependencies/1``).
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from coze_compat import dependencies, matrix
from coze_compat.report.derive import cell_verdict, release_free
from coze_compat.report.model import BugCheck, LostCapability, Report, Verdict
from coze_compat.report.present import CODE_LABELS, CODES, grouped_breaks, line_of, score

SCHEMA = "coze-compat-report/2"
#: Code -> ``State`` value (a known break is a fail).
CODE_STATES = {"P": "pass", "F": "fail", "K": "fail", "O": "not-offered", "I": "not-installable", "R": "not-run"}


class Reasons:
    """The indexed reason table: each text once."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    def add(self, reason: str) -> int:
        return self._index.setdefault(reason, len(self._index))

    def texts(self) -> list[str]:
        return list(self._index)


def _code(verdict: Verdict) -> str:
    return CODES[verdict.css]


def lost_json(loss: LostCapability) -> dict[str, Any]:
    return {
        "name": loss.name,
        "what": loss.what,
        "offered_by": loss.offered_by,
        "releases": list(loss.releases),
        "break": loss.is_break,
        "removal": loss.removal,
    }


def bug_json(check: BugCheck) -> dict[str, Any]:
    bug = check.bug
    return {
        "id": bug.id,
        "title": bug.title,
        "releases": bug.releases if isinstance(bug.releases, str) else list(bug.releases),
        "cause": bug.cause,
        "fixed_by": bug.fixed_by,
        "fixed_in": bug.fixed_in,
        "reported": list(bug.reported),
        "not_shown": bug.not_shown,
        "capability": bug.capability,
        "status": check.status,
        "affected": list(check.affected),
        "with_results": list(check.with_results),
        "shown_at": list(check.shown_at),
        "missing": [{"release": release, "pythons": list(pythons)} for release, pythons in check.missing],
        "extra": list(check.extra),
        "tests": list(check.tests),
    }


def bugs_json(report: Report) -> dict[str, Any]:
    shown, total = score(report)
    statuses = [check.status for check in report.bug_checks]
    return {
        "score": {
            "shown": shown,
            "total": total,
            "partial": statuses.count("partial"),
            "not_shown": statuses.count("not-shown"),
            "no_results": statuses.count("no-results"),
        },
        "catalogue_errors": list(report.catalogue_errors),
        "entries": [bug_json(check) for check in report.bug_checks],
    }


def _cells_json(report: Report) -> tuple[dict[str, Any], set[str]]:
    """The cells, and the ids of those that ran their tests."""
    cells: dict[str, Any] = {}
    ran: set[str] = set()
    for cell_id, (python, release) in report.cells.items():
        result = report.cell_results.get(cell_id)
        fixed = cell_verdict(result, python, release)
        entry: dict[str, Any] = {
            "python": python,
            "release": release,
            "status": result.status if result else "missing",
            "installed": result.installed if result else None,
            "python_version": result.python_version if result else None,
            "notes": report.cell_notes.get(cell_id, []),
            "ran": fixed is None,
        }
        if fixed is None:
            ran.add(cell_id)
        else:
            entry.update(state=_code(fixed), reason=fixed.reason)
        cells[cell_id] = entry
    return cells, ran


def to_json(report: Report, generated: str = "") -> dict[str, Any]:
    releases = [column.release for column in report.columns]
    cells, ran = _cells_json(report)
    reasons = Reasons()

    def overrides(by_python: Mapping[str, Verdict], shown: Verdict, release: str, reason: bool) -> dict[str, Any]:
        """The Pythons that ran the release and whose verdict is not the release's."""
        own: dict[str, Any] = {}
        for python, verdict in by_python.items():
            if matrix.Cell(python, release).id not in ran or verdict == shown:
                continue
            if not reason:
                if verdict.css != shown.css:
                    own[python] = _code(verdict)
                continue
            text = release_free(verdict.reason)
            if verdict.css != shown.css or text != release_free(shown.reason):
                own[python] = [_code(verdict), reasons.add(text)] if text else [_code(verdict)]
        return own

    stories = []
    for block in report.stories:
        summary_pythons = {}
        for release in releases:
            item = block.summary[release]
            own = overrides(item.by_python, item.verdict, release, reason=False)
            if own:
                summary_pythons[release] = own
        tests = []
        for row in block.tests:
            test_reasons: dict[str, int] = {}
            test_pythons: dict[str, Any] = {}
            for release in releases:
                item = row.releases[release]
                text = release_free(item.verdict.reason)
                if text:
                    test_reasons[release] = reasons.add(text)
                own = overrides(item.by_python, item.verdict, release, reason=True)
                if own:
                    test_pythons[release] = own
            test: dict[str, Any] = {
                "nodeid": row.nodeid,
                "task": row.task,
                "path": row.path,
                "line": row.line,
                "states": "".join(_code(row.releases[release].verdict) for release in releases),
            }
            if test_reasons:
                test["reasons"] = test_reasons
            if test_pythons:
                test["pythons"] = test_pythons
            tests.append(test)
        stories.append(
            {
                "story": block.story,
                "title": block.title,
                "summary": {
                    "states": "".join(_code(block.summary[release].verdict) for release in releases),
                    "counts": [
                        {CODES[css]: count for css, count in block.summary[release].counts.items()}
                        for release in releases
                    ],
                    "pythons": summary_pythons,
                },
                "tests": tests,
            }
        )
    return {
        "schema": SCHEMA,
        "generated": generated,
        "server": report.server,
        "codes": dict(CODE_LABELS),
        "pythons": list(report.pythons),
        "pythons_not_run": dict(report.pythons_not_run),
        "releases": [
            {
                "release": column.release,
                "title": column.title,
                "installed": list(column.installed),
                "line": line_of(column.release),
            }
            for column in report.columns
        ],
        "cells": cells,
        "reasons": reasons.texts(),
        "stories": stories,
        "findings": {
            "features": [
                {
                    "feature": finding.feature,
                    "first_offered": finding.first_offered,
                    "missing_in": list(finding.missing_in),
                    "missing_again": list(finding.missing_again),
                    "tests": list(finding.tests),
                }
                for finding in report.features
            ],
            "breaks": [
                {
                    "bug": items[0][0].bug if items[0][0].known else None,
                    "known": items[0][0].known,
                    "stories": list(dict.fromkeys(item.story for item, _ in items)),
                    "reason": items[0][0].reason,
                    "releases": [release for release in releases if any(release in r for _, r in items)],
                    "tests": [{"nodeid": item.nodeid, "task": item.task, "releases": list(r)} for item, r in items],
                }
                for items in grouped_breaks(report, releases)
            ],
            "lost_capabilities": [lost_json(loss) for loss in report.lost_capabilities],
        },
        "bugs": bugs_json(report),
        "capabilities": {name: dict(offers) for name, offers in sorted(report.capabilities.items())},
        "not_in_matrix": [
            {"release": version, "status": status, "reason": reason}
            for version, status, reason in report.not_run_releases
        ],
        "dependencies": dependencies_json(report),
    }


def cell_states(data: Mapping[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """Test node id -> release -> Python -> its state (``pass``, ``fail``, ``not-offered``,
    ``not-installable``, ``not-run``), decoded from a report JSON of schema 2."""
    releases = [entry["release"] for entry in data.get("releases", [])]
    cells = data.get("cells", {})
    pythons = data.get("pythons", [])
    states: dict[str, dict[str, dict[str, str]]] = {}
    for story in data.get("stories", []):
        for test in story.get("tests", []):
            by_release: dict[str, dict[str, str]] = {}
            for index, release in enumerate(releases):
                own = test.get("pythons", {}).get(release, {})
                by_python: dict[str, str] = {}
                for python in pythons:
                    cell = cells.get(matrix.Cell(python, release).id, {})
                    if not cell.get("ran", False):
                        code = cell.get("state", "R")
                    elif python in own:
                        code = own[python][0] if isinstance(own[python], list) else own[python]
                    else:
                        code = test["states"][index]
                    by_python[python] = CODE_STATES[code]
                by_release[release] = by_python
            states[test["nodeid"]] = by_release
    return states


def dependencies_json(report: Report) -> dict[str, Any] | None:
    table = report.dependencies
    if table is None:
        return None
    shown = [column.release for column in report.columns if column.release != matrix.LATEST]
    return {
        **dependencies.header_json(table),
        "releases": [dependencies.entry_json(table.entry(release)) for release in shown],
    }


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _members(value: Any, item: Any = _compact, lines: bool = False) -> str:
    """A list or object of containers (or, ``lines``, of anything) with one member per line, each
    written by ``item``."""
    members = list(value.values() if isinstance(value, dict) else value if isinstance(value, list) else ())
    if not members or not (lines or any(isinstance(member, (dict, list)) for member in members)):
        return _compact(value)
    if isinstance(value, dict):
        return "{\n" + ",\n".join(f"{_compact(key)}:{item(member)}" for key, member in value.items()) + "}"
    return "[\n" + ",\n".join(item(member) for member in value) + "]"


def _story(story: dict[str, Any]) -> str:
    head = _compact({key: value for key, value in story.items() if key != "tests"})
    return head[:-1] + ',"tests":' + _members(story["tests"]) + "}"


def render_json(report: Report, generated: str = "", studio: Report | None = None) -> str:
    """Compact JSON (no indentation: the whole matrix must stay small) with one member of each
    top-level entry per line, and one test per line, so that a diff reads. With ``studio``, the Coze
    Studio report is the member ``servers.coze-studio``, in the same form."""
    data = to_json(report, generated)
    if studio is not None:
        data["servers"] = {studio.server: to_json(studio, generated)}
    lines = [
        f"{_compact(key)}:" + (_members(value, _story) if key == "stories" else _members(value, lines=key == "reasons"))
        for key, value in data.items()
    ]
    return "{" + ",\n".join(lines) + "}\n"
