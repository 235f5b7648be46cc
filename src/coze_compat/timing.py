"""The timing budget: the whole story suite in one cell, and each test, within the budgets.

``python -m coze_compat.timing REPORT_LOG --suite-seconds 5 --test-seconds 0.25 [--clock CLOCK]``
reads a pytest-reportlog file, sums the test phases (setup, call, teardown) per test, lists the
slowest ones, and exits 1 naming what is over budget. The ``timing-budget`` session passes the
budgets from ``pyproject.toml`` (``[tool.coze-compat.timing]``).

This machine is shared: another process on the same cores stretches every wall-clock duration.
So the session runs pytest through ``python -m coze_compat.timing run CLOCK -- <pytest args>``,
which records the pytest process's wall and CPU seconds in ``CLOCK``; their ratio is the load
factor of the run (1 on a quiet machine, about 2 when another process took half the time), and
the check divides every duration by it before comparing with the budgets. This is a budget check
on one run, not a benchmark: ``nox -s bench`` measures speed with repetitions and ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from coze_compat.report.collect import read_report_log


@dataclass(frozen=True)
class Budget:
    suite_seconds: float
    test_seconds: float
    slowest_listed: int


def run(clock: Path, pytest_args: Sequence[str]) -> int:
    """Run pytest in this process, writing its wall and CPU seconds to ``clock``; pytest's exit code."""
    import pytest  # the session's venv has it; the check alone does not need it

    wall, cpu = time.perf_counter(), time.process_time()
    code = int(pytest.main(list(pytest_args)))
    clock.write_text(
        json.dumps({"wall_seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu}),
        encoding="utf-8",
    )
    return code


def load_factor(clock: Path | None) -> float:
    """How much the machine stretched the run: wall over CPU seconds of the pytest process, at least 1."""
    if clock is None:
        return 1.0
    try:
        seconds = json.loads(clock.read_text(encoding="utf-8"))
        return max(1.0, float(seconds["wall_seconds"]) / float(seconds["cpu_seconds"]))
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as error:
        raise SystemExit(f"{clock}: not a clock file of `python -m coze_compat.timing run` ({error})") from None


def durations_per_test(report_log: Path, load: float = 1.0) -> dict[str, float]:
    """Seconds per test (setup + call + teardown) from a pytest-reportlog file, divided by the load factor."""
    return {nodeid: record.duration / load for nodeid, record in read_report_log(report_log).tests.items()}


def suite_seconds(report_log: Path, load: float = 1.0) -> float | None:
    """The session's wall time (first test's start to last test's stop), divided by the load factor."""
    span = read_report_log(report_log).span()
    return None if span is None else span / load


def check(report_log: Path, budget: Budget, load: float = 1.0) -> list[str]:
    """Lines to print; the first ones (before the listing) are the budget violations, if any."""
    durations = durations_per_test(report_log, load)
    if not durations:
        return [f"no test results in {report_log}"]
    total = suite_seconds(report_log, load) or 0.0
    problems = []
    if total > budget.suite_seconds:
        problems.append(f"OVER BUDGET: the suite took {total:.2f} s, the budget is {budget.suite_seconds:.2f} s")
    for nodeid, seconds in sorted(durations.items(), key=lambda item: -item[1]):
        if seconds > budget.test_seconds:
            problems.append(f"OVER BUDGET: {nodeid} took {seconds:.3f} s, the budget is {budget.test_seconds:.3f} s")
    return problems


def summary(report_log: Path, budget: Budget, load: float = 1.0) -> list[str]:
    durations = durations_per_test(report_log, load)
    total = suite_seconds(report_log, load) or 0.0
    lines = [
        f"{len(durations)} tests in {total:.2f} s (budget {budget.suite_seconds:.2f} s), "
        f"mean {1000 * sum(durations.values()) / max(len(durations), 1):.2f} ms per test "
        f"(budget {1000 * budget.test_seconds:.0f} ms per test)",
        f"slowest {budget.slowest_listed}:",
    ]
    if load > 1.0:
        lines.insert(0, f"load factor {load:.2f} (wall over CPU seconds of the run): the times below are divided by it")
    ranked = sorted(durations.items(), key=lambda item: -item[1])[: budget.slowest_listed]
    lines.extend(f"  {1000 * seconds:8.2f} ms  {nodeid}" for nodeid, seconds in ranked)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["run"]:
        if len(args_list) < 2 or (len(args_list) > 2 and args_list[2] != "--"):
            raise SystemExit("usage: python -m coze_compat.timing run CLOCK -- <pytest arguments>")
        return run(Path(args_list[1]), args_list[3:])
    parser = argparse.ArgumentParser(prog="python -m coze_compat.timing", description=__doc__)
    parser.add_argument("report_log", type=Path)
    parser.add_argument("--suite-seconds", type=float, required=True, help="budget for the whole suite")
    parser.add_argument("--test-seconds", type=float, required=True, help="budget for any one test")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest tests to list")
    parser.add_argument("--clock", type=Path, help="the clock file of `run`: divide the times by its load factor")
    args = parser.parse_args(args_list)
    budget = Budget(args.suite_seconds, args.test_seconds, args.slowest)
    load = load_factor(args.clock)
    problems = check(args.report_log, budget, load)
    for line in summary(args.report_log, budget, load):
        print(line)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
