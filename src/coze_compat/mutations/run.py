"""Apply each mutation to a scratch copy of the installed cozepy and run the stories against it.

``python -m coze_compat.mutations.run [--jobs N] [--only ID ...] STORY_PATH ...`` runs in a venv
where the newest pinned cozepy is installed (the ``mutation`` session). It first runs the stories
against an unmodified copy (they must pass), then, for each mutation, copies the cozepy package,
replaces the mutation's ``find`` text (which must occur exactly once), and runs the stories with
the copy first on ``PYTHONPATH``. A mutation is caught when the run fails. The session fails if any
mutation is missed, or does not apply to the installed source.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from coze_compat.mutations import Mutation, all_mutations

_FAILED_RE = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


class MutationError(RuntimeError):
    """A mutation that cannot be applied to the installed cozepy."""


@dataclass(frozen=True)
class Outcome:
    """``caught``: a story failed. A mutant that stops pytest itself (no import, collection error)
    proves nothing about the stories, so it is ``broken``, and the session fails on it too."""

    mutation: Mutation
    caught: bool
    evidence: str
    broken: bool = False


def installed_cozepy() -> Path:
    import cozepy

    return Path(cozepy.__file__).resolve().parent


def apply(mutation: Mutation, package: Path) -> None:
    """Rewrite ``package/mutation.file`` in place; the find text must occur exactly once."""
    target = package / mutation.file
    if not target.is_file():
        raise MutationError(f"{mutation.id}: cozepy/{mutation.file} does not exist in the installed release")
    source = target.read_text(encoding="utf-8")
    count = source.count(mutation.find)
    if count != 1:
        raise MutationError(f"{mutation.id}: the text to replace occurs {count} times in cozepy/{mutation.file}")
    target.write_text(source.replace(mutation.find, mutation.replace), encoding="utf-8")


def run_stories(scratch: Path, stories: Sequence[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(scratch), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "pytest", *stories, "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def trial(mutation: Mutation | None, source: Path, stories: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run the stories against a copy of ``source`` with ``mutation`` applied (none: a clean copy)."""
    with tempfile.TemporaryDirectory(prefix="coze-mutation-") as folder:
        scratch = Path(folder)
        shutil.copytree(source, scratch / "cozepy", ignore=shutil.ignore_patterns("__pycache__"))
        if mutation is not None:
            apply(mutation, scratch / "cozepy")
        return run_stories(scratch, stories)


def judge(mutation: Mutation, source: Path, stories: Sequence[str]) -> Outcome:
    completed = trial(mutation, source, stories)
    if completed.returncode == 0:
        return Outcome(mutation, caught=False, evidence="every story passed")
    if completed.returncode != 1:
        tail = completed.stdout.strip().splitlines()[-1:] or [""]
        return Outcome(mutation, False, f"pytest exit code {completed.returncode}: {tail[0]}", broken=True)
    failed = _FAILED_RE.findall(completed.stdout)
    return Outcome(mutation, caught=True, evidence=failed[0] if failed else "a story failed")


def table(outcomes: Sequence[Outcome]) -> list[str]:
    lines = ["| mutation | story | regression | caught by |", "|---|---|---|---|"]
    for outcome in outcomes:
        verdict = f"`{outcome.evidence}`" if outcome.caught else "**MISSED**"
        if outcome.broken:
            verdict = f"**BROKEN MUTANT** ({outcome.evidence})"
        lines.append(f"| `{outcome.mutation.id}` | {outcome.mutation.story} | {outcome.mutation.what} | {verdict} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.mutations.run", description=__doc__)
    parser.add_argument("stories", nargs="+", help="story test paths to run against each mutant")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", nargs="*", default=None, help="mutation ids to run (default: all)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    args = parser.parse_args(argv)

    mutations = [m for m in all_mutations() if args.only is None or m.id in args.only]
    source = installed_cozepy()
    try:  # every mutation must apply before anything runs
        for mutation in mutations:
            with tempfile.TemporaryDirectory() as folder:
                shutil.copytree(source, Path(folder) / "cozepy", ignore=shutil.ignore_patterns("__pycache__"))
                apply(mutation, Path(folder) / "cozepy")
    except MutationError as error:
        print(f"{error} ({source})", file=sys.stderr)
        return 2
    baseline = trial(None, source, args.stories)
    if baseline.returncode != 0:
        print(baseline.stdout[-3000:], file=sys.stderr)
        print("the stories fail against an unmodified copy of cozepy: fix that first", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        outcomes = list(pool.map(lambda mutation: judge(mutation, source, args.stories), mutations))
    lines = table(outcomes)
    missed = [outcome for outcome in outcomes if not outcome.caught]
    lines.append("")
    lines.append(f"{len(outcomes) - len(missed)} of {len(outcomes)} regressions caught in {source}")
    print("\n".join(lines))
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for outcome in missed:
        kind = "BROKEN MUTANT" if outcome.broken else "MISSED"
        print(f"{kind}: {outcome.mutation.id}: {outcome.mutation.what}: {outcome.evidence}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
