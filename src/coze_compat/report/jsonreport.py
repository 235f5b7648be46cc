"""Render the report as JSON for tools (and as the release watch's baseline).

Schema ``coze-compat-report/1``::

    {"schema", "generated", "pythons", "pythons_not_run": {python: reason},
     "releases": [{"release", "title", "installed": [...]}],
     "cells": {cell_id: {"python", "release", "status", "installed", "python_version", "notes"}},
     "stories": [{"story", "title",
                  "summary": {release: AGGREGATE},
                  "tests": [{"nodeid", "name", "task", "path", "line", "releases": {release: AGGREGATE}}]}],
     "findings": {"features": [{"feature", "first_offered", "missing_in", "missing_again", "tests"}],
                  "breaks": [{"story", "nodeid", "task", "known", "reason", "releases"}],
                  "lost_capabilities": [{"name", "what", "offered_by", "releases", "break", "removal"}]},
     "capabilities": {name: {release: offered}},
     "not_in_matrix": [{"release", "status", "reason"}],
     "dependencies": null | {"computed", "python", "resolver", "current": {package: version},
                             "releases": [DEPENDENCY_ENTRY for every release shown but latest]}}

    AGGREGATE = {"state", "label", "known", "reason", "differences": [...],
                 "by_python": {python: {"state", "label", "known", "reason", "bug"?}}, "counts"?: {css: n}}

    ("bug": the id of the coze_compat.bugs bug a known break names on that cell.)

    DEPENDENCY_ENTRY = {"version", "requires_python",
                        "requires": {"httpx" | "pydantic": [{"specifier", "marker"}]},
                        "next_to": {"httpx" | "pydantic" | "both": {"installs", "reason"}}}

(the entries of ``data/dependencies.json``, schema ``coze-compat-dependencies/1``).
``state`` is one of ``pass``, ``fail``, ``not-offered``, ``not-installable``, ``not-run``.
"""

from __future__ import annotations

import json
from typing import Any

from coze_compat import dependencies, matrix
from coze_compat.report.model import Aggregate, LostCapability, Report, Verdict

SCHEMA = "coze-compat-report/1"


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    data: dict[str, Any] = {"state": verdict.state.value, "label": verdict.label, "known": verdict.known}
    if verdict.reason:
        data["reason"] = verdict.reason
    if verdict.bug:
        data["bug"] = verdict.bug
    return data


def aggregate_json(item: Aggregate, counts: bool = False) -> dict[str, Any]:
    data = verdict_json(item.verdict)
    data["differences"] = list(item.differences)
    data["by_python"] = {python: verdict_json(verdict) for python, verdict in item.by_python.items()}
    if counts:
        data["counts"] = dict(item.counts)
    return data


def lost_json(loss: LostCapability) -> dict[str, Any]:
    return {
        "name": loss.name,
        "what": loss.what,
        "offered_by": loss.offered_by,
        "releases": list(loss.releases),
        "break": loss.is_break,
        "removal": loss.removal,
    }


def to_json(report: Report, generated: str = "") -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for cell_id, (python, release) in report.cells.items():
        result = report.cell_results.get(cell_id)
        cells[cell_id] = {
            "python": python,
            "release": release,
            "status": result.status if result else "missing",
            "installed": result.installed if result else None,
            "python_version": result.python_version if result else None,
            "notes": report.cell_notes.get(cell_id, []),
        }
    return {
        "schema": SCHEMA,
        "generated": generated,
        "pythons": list(report.pythons),
        "pythons_not_run": dict(report.pythons_not_run),
        "releases": [
            {"release": column.release, "title": column.title, "installed": list(column.installed)}
            for column in report.columns
        ],
        "cells": cells,
        "stories": [
            {
                "story": block.story,
                "title": block.title,
                "summary": {release: aggregate_json(item, counts=True) for release, item in block.summary.items()},
                "tests": [
                    {
                        "nodeid": row.nodeid,
                        "name": row.name,
                        "task": row.task,
                        "path": row.path,
                        "line": row.line,
                        "releases": {release: aggregate_json(item) for release, item in row.releases.items()},
                    }
                    for row in block.tests
                ],
            }
            for block in report.stories
        ],
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
                    "story": item.story,
                    "nodeid": item.nodeid,
                    "task": item.task,
                    "known": item.known,
                    "reason": item.reason,
                    "releases": list(item.releases),
                }
                for item in report.breaks
            ],
            "lost_capabilities": [lost_json(loss) for loss in report.lost_capabilities],
        },
        "capabilities": {name: dict(offers) for name, offers in sorted(report.capabilities.items())},
        "not_in_matrix": [
            {"release": version, "status": status, "reason": reason}
            for version, status, reason in report.not_run_releases
        ],
        "dependencies": dependencies_json(report),
    }


def dependencies_json(report: Report) -> dict[str, Any] | None:
    table = report.dependencies
    if table is None:
        return None
    shown = [column.release for column in report.columns if column.release != matrix.LATEST]
    return {
        **dependencies.header_json(table),
        "releases": [dependencies.entry_json(table.entry(release)) for release in shown],
    }


def render_json(report: Report, generated: str = "") -> str:
    return json.dumps(to_json(report, generated), indent=2, ensure_ascii=False) + "\n"
