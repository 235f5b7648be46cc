"""Flake detection: the same suite, several random orders and seeds, outcomes compared.

``python -m coze_compat.flakes RUN_DIR`` reads ``RUN_DIR/seed-<seed>.jsonl`` (pytest-reportlog
files, one per run) and exits 1 when any test's outcome differs between runs, naming the test and
the seeds that disagree. A test missing from a run counts as an outcome of its own. Reruns are
never used to turn a failure green: one disagreement is a flake, and a flake fails the session.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Sequence

from coze_compat.report.collect import read_report_log

MISSING = "not run"
_SEED_RE = re.compile(r"^seed-(?P<seed>\d+)\.jsonl$")


def outcomes(report_log: Path) -> dict[str, str]:
    """The outcome of every test in a pytest-reportlog file: passed, failed, error, skipped, xfailed, xpassed."""
    return {nodeid: record.outcome for nodeid, record in read_report_log(report_log).tests.items()}


def disagreements(runs: dict[int, dict[str, str]]) -> list[str]:
    """One line per test whose outcome is not the same in every run."""
    lines = []
    for nodeid in sorted({nodeid for run in runs.values() for nodeid in run}):
        by_outcome: dict[str, list[int]] = {}
        for seed, run in sorted(runs.items()):
            by_outcome.setdefault(run.get(nodeid, MISSING), []).append(seed)
        if len(by_outcome) > 1:
            detail = "; ".join(
                f"{outcome} with seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"
                for outcome, seeds in sorted(by_outcome.items())
            )
            lines.append(f"FLAKY: {nodeid}: {detail}")
    return lines


def load_runs(run_dir: Path) -> dict[int, dict[str, str]]:
    runs = {}
    for path in sorted(run_dir.iterdir()):
        match = _SEED_RE.match(path.name)
        if match:
            runs[int(match.group("seed"))] = outcomes(path)
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.flakes", description=__doc__)
    parser.add_argument("run_dir", type=Path)
    args = parser.parse_args(argv)
    runs = load_runs(args.run_dir)
    if len(runs) < 2:
        print(f"need at least two runs in {args.run_dir}, found {len(runs)}", file=sys.stderr)
        return 2
    problems = disagreements(runs)
    tests = len({nodeid for run in runs.values() for nodeid in run})
    print(f"{tests} tests, {len(runs)} runs with seeds {', '.join(map(str, sorted(runs)))}")
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print("every test had the same outcome in every run")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
