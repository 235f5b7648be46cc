"""GitHub Actions glue that is better as tested Python than as shell in YAML.

``python -m coze_compat.ci matrix [--tags TAG ...] [--nox-json FILE] [--github-output FILE]``
turns ``nox -l --json`` (the sessions the noxfile defines from ``matrix.py``) into the test jobs'
matrix, so the workflow holds no second copy of the version table::

    {"include": [{"session": "tests(py3.8-cozepy0.2.0)", "cell": "py3.8-cozepy0.2.0",
                  "python": "3.8", "cozepy": "0.2.0"}, ...]}

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence

from coze_compat import matrix

#: GitHub refuses a matrix of more than 256 jobs.
MAX_JOBS = 256


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


def cells_matrix(
    listing: Sequence[dict[str, Any]], tags: Sequence[str] = ("tests",)
) -> dict[str, list[dict[str, str]]]:
    """The ``tests`` sessions of a nox listing that carry every tag of ``tags``, as a job matrix."""
    include: list[dict[str, str]] = []
    for entry in listing:
        if entry.get("name") != "tests" or not set(tags) <= set(entry.get("tags") or ()):
            continue
        python = str(entry.get("python"))
        cozepy = str((entry.get("call_spec") or {}).get("cozepy", ""))
        if python not in matrix.PYTHONS:
            raise MatrixError(f"{entry.get('session')}: Python {python} is not in matrix.PYTHONS")
        if cozepy != matrix.LATEST and cozepy not in matrix.pinned_releases():
            raise MatrixError(f"{entry.get('session')}: cozepy {cozepy!r} is not a pinned release of the version table")
        cell = matrix.Cell(python, cozepy)
        session = str(entry.get("session"))
        if session != f"tests({cell.id})":
            raise MatrixError(f"session {session!r} does not match its cell {cell.id}")
        include.append({"session": session, "cell": cell.id, "python": python, "cozepy": cozepy})
    if not include:
        raise MatrixError(f"nox listed no tests session with the tags {', '.join(tags)}")
    if len(include) > MAX_JOBS:
        raise MatrixError(f"{len(include)} cells: more than GitHub's {MAX_JOBS} jobs per matrix")
    return {"include": include}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.ci", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cells = commands.add_parser("matrix", help="the test jobs' matrix from nox -l --json")
    cells.add_argument("--tags", nargs="+", default=["tests"], help="nox tags every cell must carry")
    cells.add_argument("--nox-json", type=Path, help="read this nox -l --json output instead of running nox")
    cells.add_argument("--github-output", type=Path, help="append matrix=<json> here ($GITHUB_OUTPUT)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if args.nox_json is not None:
            listing = json.loads(args.nox_json.read_text(encoding="utf-8"))
        else:
            listing = nox_listing(args.tags)
        result = cells_matrix(listing, args.tags)
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = json.dumps(result, separators=(",", ":"))
    if args.github_output is not None:
        with args.github_output.open("a", encoding="utf-8") as output:
            output.write(f"matrix={text}\n")
    print(f"{len(result['include'])} cells", file=sys.stderr)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
