"""GitHub Actions glue that is better as tested Python than as shell in YAML.

``python -m coze_compat.ci matrix [--tags TAG ...] [--cells-per-job N] [--nox-json FILE]
[--github-output FILE]`` turns ``nox -l --json`` (the sessions the noxfile defines from
``matrix.py``) into the test jobs' matrix, so the workflow holds no second copy of the version
table. GitHub takes at most 256 jobs in one matrix and the cells grow with every release, so the
cells are sharded: one job runs up to N cells of one Python (one interpreter to set up per job),
in the table's order::

    {"include": [{"shard": "py3.8-cozepy0.2.0..0.6.1", "python": "3.8",
                  "sessions": "tests(py3.8-cozepy0.2.0) tests(py3.8-cozepy0.3.0) ...",
                  "cells": "py3.8-cozepy0.2.0 py3.8-cozepy0.3.0 ..."}, ...]}

With 8 cells a job, 30 releases and ``latest`` on 7 Pythons make 28 jobs, and the Coze Studio
cells (``tests(studio-py3.11-cozepy0.20.0)``, tag ``studio``: every pinned release on one Python)
4 more, in shards named ``studio-py3.11-cozepy...``; the limit is reached only past 200 releases.
Each job uploads the ``results/<cell-id>/`` folder of every cell it ran (one record per cell, as
one artifact per shard); the report job merges them.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence

from coze_compat import matrix, servers

#: GitHub refuses a matrix of more than 256 jobs.
MAX_JOBS = 256
#: Cells one job runs (one Python each): about 8 x 15 s of cells next to a minute of set-up.
CELLS_PER_JOB = 8


class MatrixError(ValueError):
    """``nox -l --json`` did not list the cells the workflow expects."""


def nox_listing(tags: Sequence[str] = ("tests",)) -> list[dict[str, Any]]:
    """Run ``nox -l --json -t TAG...`` with this interpreter's nox."""
    command = [sys.executable, "-m", "nox", "--list", "--json", "--tags", *tags]
    completed = subprocess.run(command, check=True, capture_output=True, text=True, cwd=matrix.PROJECT_ROOT)
    listing = json.loads(completed.stdout)
    if not isinstance(listing, list):
        raise MatrixError("nox -l --json did not print a JSON list")
    return listing


def cells(listing: Sequence[dict[str, Any]], tags: Sequence[str] = ("tests",)) -> list[dict[str, str]]:
    """The ``tests`` sessions of a nox listing that carry every tag of ``tags``, checked against the table."""
    found: list[dict[str, str]] = []
    for entry in listing:
        if entry.get("name") != "tests" or not set(tags) <= set(entry.get("tags") or ()):
            continue
        python = str(entry.get("python"))
        call_spec = entry.get("call_spec") or {}
        cozepy = str(call_spec.get("cozepy", ""))
        server = str(call_spec.get("server", servers.HOSTED))
        if server not in servers.SERVERS:
            raise MatrixError(f"{entry.get('session')}: server {server!r} is none of {', '.join(servers.SERVERS)}")
        if python not in matrix.PYTHONS:
            raise MatrixError(f"{entry.get('session')}: Python {python} is not in matrix.PYTHONS")
        if cozepy != matrix.LATEST and cozepy not in matrix.pinned_releases():
            raise MatrixError(f"{entry.get('session')}: cozepy {cozepy!r} is not a pinned release of the version table")
        cell = matrix.Cell(python, cozepy, server)
        session = str(entry.get("session"))
        if session != f"tests({cell.id})":
            raise MatrixError(f"session {session!r} does not match its cell {cell.id}")
        found.append({"session": session, "cell": cell.id, "python": python, "cozepy": cozepy, "server": server})
    if not found:
        raise MatrixError(f"nox listed no tests session with the tags {', '.join(tags)}")
    return found


def shards(cells_: Sequence[dict[str, str]], cells_per_job: int = CELLS_PER_JOB) -> list[dict[str, str]]:
    """The cells as jobs: per server (hosted first) and Python (in ``matrix.PYTHONS`` order), runs of
    up to ``cells_per_job``; a Studio shard's name starts with ``studio-``."""
    if cells_per_job < 1:
        raise MatrixError(f"--cells-per-job must be at least 1, got {cells_per_job}")
    jobs: list[dict[str, str]] = []
    for server in servers.SERVERS:
        for python in matrix.PYTHONS:
            mine = [
                cell for cell in cells_ if cell["python"] == python and cell.get("server", servers.HOSTED) == server
            ]
            jobs.extend(_chunks(mine, python, servers.CELL_PREFIXES[server], cells_per_job))
    if len(jobs) > MAX_JOBS:
        raise MatrixError(f"{len(jobs)} jobs: more than GitHub's {MAX_JOBS} jobs per matrix; raise --cells-per-job")
    return jobs


def _chunks(mine: Sequence[dict[str, str]], python: str, prefix: str, cells_per_job: int) -> list[dict[str, str]]:
    jobs: list[dict[str, str]] = []
    for start in range(0, len(mine), cells_per_job):
        chunk = mine[start : start + cells_per_job]
        first, last = chunk[0]["cozepy"], chunk[-1]["cozepy"]
        span = first if first == last else f"{first}..{last}"
        jobs.append(
            {
                "shard": f"{prefix}py{python}-cozepy{span}",
                "python": python,
                "sessions": " ".join(cell["session"] for cell in chunk),
                "cells": " ".join(cell["cell"] for cell in chunk),
            }
        )
    return jobs


def cells_matrix(
    listing: Sequence[dict[str, Any]], tags: Sequence[str] = ("tests",), cells_per_job: int = CELLS_PER_JOB
) -> dict[str, list[dict[str, str]]]:
    """The test jobs' matrix: the listed cells of ``tags``, sharded."""
    return {"include": shards(cells(listing, tags), cells_per_job)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.ci", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    jobs = commands.add_parser("matrix", help="the test jobs' matrix from nox -l --json")
    jobs.add_argument("--tags", nargs="+", default=["tests"], help="nox tags every cell must carry")
    jobs.add_argument("--cells-per-job", type=int, default=CELLS_PER_JOB, help="cells one job runs (one Python)")
    jobs.add_argument("--nox-json", type=Path, help="read this nox -l --json output instead of running nox")
    jobs.add_argument("--github-output", type=Path, help="append matrix=<json> here ($GITHUB_OUTPUT)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if args.nox_json is not None:
            listing = json.loads(args.nox_json.read_text(encoding="utf-8"))
        else:
            listing = nox_listing(args.tags)
        result = cells_matrix(listing, args.tags, args.cells_per_job)
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = json.dumps(result, separators=(",", ":"))
    if args.github_output is not None:
        with args.github_output.open("a", encoding="utf-8") as output:
            output.write(f"matrix={text}\n")
    count = sum(len(job["cells"].split()) for job in result["include"])
    print(f"{count} cells in {len(result['include'])} jobs", file=sys.stderr)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
