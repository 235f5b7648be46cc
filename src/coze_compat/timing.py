"""The timing budget: the whole story suite in one cell, and each test, within the budgets.

``python -m coze_compat.timing REPORT_LOG --suite-seconds 5 --test-seconds 0.25`` reads a
pytest-reportlog file, sums the test phases (setup, call, teardown) per test, lists the slowest
ones, and exits 1 naming what is over budget. The ``timing-budget`` session passes the budgets
from ``pyproject.toml`` (``[tool.coze-compat.timing]``). This is a budget check on one run, not a
benchmark: ``nox -s bench`` measures speed with repetitions.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from coze_compat.report.collect import read_report_log


@dataclass(frozen=True)
class Budget:
    suite_seconds: float
    test_seconds: float
    slowest_listed: int


def test_durations(report_log: Path) -> dict[str, float]:
    """Seconds per test (setup + call + teardown) from a pytest-reportlog file."""
    return {nodeid: record.duration for nodeid, record in read_report_log(report_log).tests.items()}


def suite_seconds(report_log: Path) -> float | None:
    """The session's wall time: from the first test's start to the last test's stop."""
    return read_report_log(report_log).span()


def check(report_log: Path, budget: Budget) -> list[str]:
    """Lines to print; the first ones (before the listing) are the budget violations, if any."""
    durations = test_durations(report_log)
    if not durations:
        return [f"no test results in {report_log}"]
    total = suite_seconds(report_log) or 0.0
    problems = []
    if total > budget.suite_seconds:
        problems.append(f"OVER BUDGET: the suite took {total:.2f} s, the budget is {budget.suite_seconds:.2f} s")
    for nodeid, seconds in sorted(durations.items(), key=lambda item: -item[1]):
        if seconds > budget.test_seconds:
            problems.append(f"OVER BUDGET: {nodeid} took {seconds:.3f} s, the budget is {budget.test_seconds:.3f} s")
    return problems


def summary(report_log: Path, budget: Budget) -> list[str]:
    durations = test_durations(report_log)
    total = suite_seconds(report_log) or 0.0
    lines = [
        f"{len(durations)} tests in {total:.2f} s (budget {budget.suite_seconds:.2f} s), "
        f"mean {1000 * sum(durations.values()) / max(len(durations), 1):.2f} ms per test "
        f"(budget {1000 * budget.test_seconds:.0f} ms per test)",
        f"slowest {budget.slowest_listed}:",
    ]
    ranked = sorted(durations.items(), key=lambda item: -item[1])[: budget.slowest_listed]
    lines.extend(f"  {1000 * seconds:8.2f} ms  {nodeid}" for nodeid, seconds in ranked)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.timing", description=__doc__)
    parser.add_argument("report_log", type=Path)
    parser.add_argument("--suite-seconds", type=float, required=True, help="budget for the whole suite")
    parser.add_argument("--test-seconds", type=float, required=True, help="budget for any one test")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest tests to list")
    args = parser.parse_args(argv)
    budget = Budget(args.suite_seconds, args.test_seconds, args.slowest)
    problems = check(args.report_log, budget)
    for line in summary(args.report_log, budget):
        print(line)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
