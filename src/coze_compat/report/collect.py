"""Collect: read the ``results/<cell-id>/`` folders the ``tests`` cells wrote into a ``Results``.

Each folder holds ``cell.json`` (the cell and its install status), ``environment.json`` (what
pytest ran with) and ``report.jsonl`` (pytest-reportlog). Anything unreadable is kept as a problem
of that cell, never an exception: a report of a half-finished run is still a report.

Optionally, ``nox --report FILE`` output adds why nox skipped a cell (a missing interpreter).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from coze_compat import servers, stories
from coze_compat.report.model import (
    INSTALLED,
    MISSING,
    OTHER_STORY,
    CellResult,
    Phase,
    RecordedTest,
    Results,
)

CELL_FILE = "cell.json"
ENVIRONMENT_FILE = "environment.json"
REPORT_FILE = "report.jsonl"

_CELL_ID_RE = re.compile(r"^py(?P<python>\d+\.\d+)-cozepy(?P<cozepy>.+)$")
_SIGNATURE_RE = re.compile(r"^tests\((?P<cell>(?:studio-)?py[^)]+)\)$")


def parse_cell_id(cell_id: str) -> tuple[str, str] | None:
    """``py3.11-cozepy0.20.0`` -> ``("3.11", "0.20.0")``; ``None`` for anything else."""
    match = _CELL_ID_RE.match(cell_id)
    if match is None:
        return None
    return (match.group("python"), match.group("cozepy"))


def story_of(nodeid: str) -> str:
    """``tests/us3_bots/test_bot_client.py::...`` -> ``US3`` (``other`` outside story packages)."""
    return stories.story_of(nodeid) or OTHER_STORY


def _read_json(path: Path, cell: CellResult) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        cell.problems.append(f"{path.name} is unreadable: {error}")
        return None
    if not isinstance(data, dict):
        cell.problems.append(f"{path.name} is not a JSON object")
        return None
    return data


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def longrepr_text(longrepr: Any) -> str:
    """A one-line reason from a reportlog ``longrepr`` (skip tuple, string or serialised traceback)."""
    if longrepr is None:
        return ""
    if isinstance(longrepr, (list, tuple)) and len(longrepr) == 3:
        message = str(longrepr[2])
        return message[len("Skipped: ") :] if message.startswith("Skipped: ") else message
    if isinstance(longrepr, dict):
        crash = longrepr.get("reprcrash")
        if isinstance(crash, dict) and crash.get("message"):
            return _first_line(str(crash["message"]))
        entries = longrepr.get("reprtraceback", {}).get("reprentries", [])
        for entry in reversed(entries if isinstance(entries, list) else []):
            lines = entry.get("data", {}).get("lines", []) if isinstance(entry, dict) else []
            errors = [line for line in lines if isinstance(line, str) and line.startswith("E ")]
            if errors:
                return errors[0][1:].strip()
        return ""
    return _first_line(str(longrepr))


def _user_properties(report: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for pair in report.get("user_properties") or []:
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            properties[str(pair[0])] = pair[1]
    return properties


def _capabilities(value: Any) -> dict[str, bool]:
    """The ``capabilities`` user property (capability name -> offered by the release), if well formed."""
    if not isinstance(value, dict):
        return {}
    return {str(name): offered for name, offered in value.items() if isinstance(offered, bool)}


@dataclass
class ReportLog:
    """What one pytest-reportlog file says: every test with its phases, collection errors, and
    whether the session finished. The one reader of report logs: the report, the flake and timing
    checks and the benchmark all read through it."""

    tests: dict[str, RecordedTest] = field(default_factory=dict)
    #: Collection errors: the node id (a module or package) -> the error's first line.
    collect_errors: dict[str, str] = field(default_factory=dict)
    finished: bool = False
    exitstatus: int | None = None
    #: Lines that are not JSON (a run killed mid-write).
    unreadable_lines: int = 0

    def span(self) -> float | None:
        """The session's wall time: from the first test's start to the last test's stop."""
        phases = [phase for record in self.tests.values() for phase in record.phases]
        if not phases:
            return None
        return max(phase.stop for phase in phases) - min(phase.start for phase in phases)


def _add_test_report(log: ReportLog, report: dict[str, Any]) -> None:
    nodeid = str(report.get("nodeid", ""))
    record = log.tests.get(nodeid)
    if record is None:
        properties = _user_properties(report)
        location = report.get("location") or [nodeid.split("::")[0], 0, ""]
        task = properties.get("task")
        bug = properties.get("known_break")
        record = RecordedTest(
            nodeid=nodeid,
            story=str(properties.get("story") or story_of(nodeid)),
            task=str(task) if task else None,
            path=str(location[0]),
            line=int(location[1] or 0),
            capabilities=_capabilities(properties.get("capabilities")),
            known_break=str(bug) if bug else None,
            masked_breaks=tuple(str(item) for item in properties.get("masked_breaks") or ()),
        )
        log.tests[nodeid] = record
    wasxfail = report.get("wasxfail")
    record.phases.append(
        Phase(
            when=str(report.get("when", "")),
            outcome=str(report.get("outcome", "")),
            longrepr=report.get("longrepr"),
            wasxfail=str(wasxfail) if wasxfail is not None else None,
            duration=float(report.get("duration") or 0.0),
            start=float(report.get("start") or 0.0),
            stop=float(report.get("stop") or 0.0),
        )
    )


def parse_report_log(lines: Iterable[str]) -> ReportLog:
    """The lines of a pytest-reportlog file, read into a ``ReportLog`` (bad lines counted, not raised)."""
    log = ReportLog()
    for line in lines:
        if not line.strip():
            continue
        try:
            report = json.loads(line)
        except ValueError:
            log.unreadable_lines += 1
            continue
        kind = report.get("$report_type") if isinstance(report, dict) else None
        if kind == "TestReport":
            _add_test_report(log, report)
        elif kind == "CollectReport" and report.get("outcome") == "failed":
            log.collect_errors[str(report.get("nodeid", ""))] = longrepr_text(report.get("longrepr")) or "error"
        elif kind == "SessionFinish":
            log.finished = True
            status = report.get("exitstatus")
            log.exitstatus = int(status) if isinstance(status, int) else None
    return log


def read_report_log(path: Path) -> ReportLog:
    """``parse_report_log`` of a file (an unreadable file raises ``OSError``)."""
    return parse_report_log(path.read_text(encoding="utf-8").splitlines())


def _read_report(path: Path, cell: CellResult) -> None:
    cell.has_report = True
    try:
        log = read_report_log(path)
    except OSError as error:
        cell.problems.append(f"{path.name} is unreadable: {error}")
        return
    cell.tests, cell.collect_errors = log.tests, log.collect_errors
    cell.finished, cell.exitstatus = log.finished, log.exitstatus
    if log.unreadable_lines:
        cell.problems.append(f"{path.name}: {log.unreadable_lines} unreadable line(s) skipped")


def read_cell(folder: Path) -> CellResult | None:
    """One results folder, or ``None`` when it is not a cell folder (no ``cell.json``)."""
    cell_file = folder / CELL_FILE
    if not cell_file.is_file():
        return None
    parsed = parse_cell_id(folder.name)
    python, cozepy = parsed if parsed else ("?", "?")
    cell = CellResult(cell_id=folder.name, python=python, cozepy=cozepy, status="unknown")
    record = _read_json(cell_file, cell)
    if record is not None:
        cell.python = str(record.get("python", python))
        cell.cozepy = str(record.get("cozepy", cozepy))
        cell.status = str(record.get("status", "unknown"))
        cell.reason = str(record["reason"]) if record.get("reason") else None
    environment_file = folder / ENVIRONMENT_FILE
    if environment_file.is_file():
        environment = _read_json(environment_file, cell)
        if environment is not None:
            distributions = environment.get("distributions") or {}
            installed = distributions.get("cozepy") if isinstance(distributions, dict) else None
            cell.installed = str(installed) if installed else None
            cell.python_version = str(environment.get("python") or "") or None
    report_file = folder / REPORT_FILE
    if report_file.is_file():
        _read_report(report_file, cell)
    if cell.status == INSTALLED and not cell.installed and cell.cozepy != "latest" and cell.has_report:
        cell.installed = cell.cozepy
    return cell


def nox_skip_reasons(report: dict[str, Any]) -> dict[str, str]:
    """Cell id -> reason for each ``tests`` session that ``nox --report`` shows as skipped or failed
    with a reason (``"Python interpreter 3.14 not found"``)."""
    reasons: dict[str, str] = {}
    for session in report.get("sessions") or []:
        if not isinstance(session, dict) or session.get("name") != "tests" or not session.get("reason"):
            continue
        for signature in session.get("signatures") or []:
            match = _SIGNATURE_RE.match(str(signature))
            if match:
                reasons[match.group("cell")] = f"nox: {session.get('result', '?')}, {session['reason']}"
                break
    return reasons


def server_of_folder(name: str) -> tuple[str, str]:
    """A results folder's server and its cell id without the server's prefix:
    ``studio-py3.11-cozepy0.20.0`` -> ``("coze-studio", "py3.11-cozepy0.20.0")``."""
    for server, prefix in servers.CELL_PREFIXES.items():
        if prefix and name.startswith(prefix):
            return server, name[len(prefix) :]
    return servers.HOSTED, name


def collect(results_dir: Path, nox_reports: Iterable[Path] = (), server: str = servers.HOSTED) -> Results:
    """Read every cell folder of ``server`` under ``results_dir`` (missing folder: no cells). The cells
    of another server are left out; those of Coze Studio (``studio-py3.11-cozepy0.20.0``) are keyed
    without the prefix, so the rest of the report reads them as any cell."""
    results = Results()
    if results_dir.is_dir():
        for folder in sorted(path for path in results_dir.iterdir() if path.is_dir()):
            folder_server, cell_id = server_of_folder(folder.name)
            if folder_server != server:
                continue
            cell = read_cell(folder)
            if cell is not None:
                cell.cell_id = cell_id
                python_cozepy = parse_cell_id(cell_id)
                if python_cozepy is not None and cell.python == "?":
                    cell.python, cell.cozepy = python_cozepy
                results.cells[cell.cell_id] = cell
    for path in nox_reports:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            for signature_cell, reason in nox_skip_reasons(data).items():
                cell_server, cell_id = server_of_folder(signature_cell)
                if cell_server != server:
                    continue
                cell = results.cells.get(cell_id)
                if cell is None:
                    parsed = parse_cell_id(cell_id)
                    if parsed is None:
                        continue
                    cell = CellResult(cell_id=cell_id, python=parsed[0], cozepy=parsed[1], status=MISSING)
                    results.cells[cell_id] = cell
                cell.nox_reason = reason
    return results
