"""Run the stories against mutants of the installed cozepy: the hand-written regressions, then a
sample of machine-made mutants.

``python -m coze_compat.mutations.run [options] STORY_PATH ...`` runs in a venv where the newest
pinned cozepy is installed (the ``mutation`` session, which passes ``[tool.coze-compat.mutation]``
as options). It checks that every hand-written mutation applies (its ``find`` text occurs exactly
once) and generates the machine-made mutants, then runs the stories against an unmodified
scratch copy of cozepy with coverage contexts (they must pass), then each mutant on fork-server
workers (``worker.py``), each holding its own scratch copy. A mutant runs the tests that execute a
line it changes (``machine.Coverage``); for a change to code run at import, a machine-made mutant
runs every story, a hand-written one its own story's folder first, and every story if that misses
it; ``--every-story`` runs every story for each.

A mutant is caught when a story fails, or when a story that the unmodified copy runs is skipped
as not offered (a lost capability: the mutant broke a capability probe, ``offered.py``).

Exit codes: 2 when a hand-written mutation does not apply, the generator breaks or the unmodified
copy fails; 1 when a hand-written regression is missed (or breaks pytest); 0 otherwise. Surviving
machine-made mutants do not fail the run: they are findings, listed by file and line with their
diff (``--markdown`` and the terminal).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from coze_compat.matrix import PROJECT_ROOT
from coze_compat.mutations import Mutation, all_mutations, generate, machine, offered

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
    """The installed cozepy package, found without importing it (its import warns, and the runner
    needs only its files)."""
    spec = importlib.util.find_spec("cozepy")
    if spec is None or spec.origin is None:
        raise MutationError("cozepy is not installed in this environment")
    return Path(spec.origin).resolve().parent


def mutated_source(mutation: Mutation, package: Path) -> str:
    """``package/mutation.file`` with the mutation made; the find text must occur exactly once."""
    target = package / mutation.file
    if not target.is_file():
        raise MutationError(f"{mutation.id}: cozepy/{mutation.file} does not exist in the installed release")
    source = target.read_text(encoding="utf-8")
    count = source.count(mutation.find)
    if count != 1:
        raise MutationError(f"{mutation.id}: the text to replace occurs {count} times in cozepy/{mutation.file}")
    return source.replace(mutation.find, mutation.replace)


def changed_lines(mutation: Mutation, package: Path) -> range:
    """The lines of the unmutated ``package/mutation.file`` that the mutation rewrites."""
    source = (package / mutation.file).read_text(encoding="utf-8")
    first = source[: source.index(mutation.find)].count("\n") + 1
    return range(first, first + mutation.find.count("\n") + 1)


def hand_tests(
    mutation: Mutation, package: Path, coverage: machine.Coverage, stories: Sequence[str]
) -> tuple[str, ...]:
    """The tests a hand-written regression runs first: those that execute a line it rewrites, as for
    a machine-made mutant (``machine.Coverage``); its own story's folder (``tests/us4_chat`` for
    US4) when a line runs at import (a model field, a default argument: coverage cannot tell who
    reads it) or no test executes one. A regression these miss runs again with every story."""
    executed, tests = coverage.tests_for_lines(mutation.file, changed_lines(mutation, package), in_function=True)
    if executed and tests:
        return tests
    prefix = f"{mutation.story.lower()}_"
    return tuple(story for story in stories if Path(story).name.startswith(prefix)) or tuple(stories)


def apply(mutation: Mutation, package: Path) -> None:
    """Rewrite ``package/mutation.file`` in place (``mutated_source``)."""
    (package / mutation.file).write_text(mutated_source(mutation, package), encoding="utf-8")


def judge(mutation: Mutation, result: machine.Result | None, not_offered: frozenset[str] = frozenset()) -> Outcome:
    if result is None:  # pragma: no cover - the hand-written set runs without a deadline
        return Outcome(mutation, False, "not run", broken=True)
    if result.timed_out:
        return Outcome(mutation, caught=True, evidence=f"timed out ({result.message})")
    if result.exit == 0:
        lost = machine.lost_capability(result, not_offered)
        if lost:
            return Outcome(mutation, caught=True, evidence=f"lost capability: {lost} skipped as not offered")
        return Outcome(mutation, caught=False, evidence="every story passed")
    if result.exit != 1:
        return Outcome(mutation, False, f"pytest exit code {result.exit}: {result.message}", broken=True)
    return Outcome(mutation, caught=True, evidence=result.failed or "a story failed")


def table(outcomes: Sequence[Outcome]) -> list[str]:
    lines = ["| mutation | story | regression | caught by |", "|---|---|---|---|"]
    for outcome in outcomes:
        verdict = f"`{outcome.evidence}`" if outcome.caught else "**MISSED**"
        if outcome.broken:
            verdict = f"**BROKEN MUTANT** ({outcome.evidence})"
        lines.append(f"| `{outcome.mutation.id}` | {outcome.mutation.story} | {outcome.mutation.what} | {verdict} |")
    return lines


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.mutations.run", description=__doc__)
    parser.add_argument("stories", nargs="+", help="story test paths to run against each mutant")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers (default: one per core)")
    parser.add_argument("--only", nargs="*", default=None, help="hand-written mutation ids to run (default: all)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the results to this file")
    parser.add_argument("--set", choices=("both", "hand", "machine"), default="both", help="which mutants to run")
    group = parser.add_argument_group("machine-made mutants ([tool.coze-compat.mutation])")
    group.add_argument("--module", action="append", default=[], help="in-scope cozepy module glob (repeat)")
    group.add_argument("--avoid-call", action="append", default=[], help="do not mutate calls to this name (repeat)")
    group.add_argument(
        "--out-of-scope", action="append", default=[], help="do not mutate this file:qualified.name definition (repeat)"
    )
    group.add_argument("--seed", type=int, default=0)
    group.add_argument("--sample", type=int, default=200, help="mutants drawn for the run")
    group.add_argument("--budget", type=float, default=150.0, help="seconds after which no mutant is started")
    group.add_argument("--mutant-timeout", type=float, default=30.0, help="seconds one mutant's stories may take")
    group.add_argument("--test-timeout", type=float, default=2.0, help="pytest-timeout per test under a mutant")
    group.add_argument("--all", action="store_true", help="every machine-made mutant, no sample, no budget")
    group.add_argument(
        "--all-lines", action="store_true", help="draw from every line in scope, not only the lines the stories execute"
    )
    group.add_argument(
        "--every-story", action="store_true", help="run every story for each mutant, not only the tests covering it"
    )
    return parser


def settings_of(args: argparse.Namespace) -> machine.Settings:
    return machine.Settings(
        modules=tuple(args.module),
        seed=args.seed,
        sample=args.sample,
        budget=args.budget,
        mutant_timeout=args.mutant_timeout,
        test_timeout=args.test_timeout,
        executed_only=not args.all_lines,
        avoid_calls_to=tuple(args.avoid_call),
        out_of_scope=tuple(args.out_of_scope),
        run_all=args.all,
        select_by_coverage=not args.every_story,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = settings_of(args)
    source = installed_cozepy()
    hand = [m for m in all_mutations() if args.only is None or m.id in args.only] if args.set != "machine" else []
    try:  # every mutation must apply before anything runs
        hand_sources = [mutated_source(mutation, source) for mutation in hand]
    except MutationError as error:
        print(f"{error} ({source})", file=sys.stderr)
        return 2
    mutants: list[generate.Mutant] = []
    if args.set != "hand":
        if not settings.modules:
            print("no in-scope module given (--module)", file=sys.stderr)
            return 2
        try:
            options = generate.Options(settings.avoid_calls_to, settings.out_of_scope)
            mutants = generate.generate_package(source, settings.modules, options)
        except generate.GeneratorError as error:
            print(f"the mutant generator failed: {error}", file=sys.stderr)
            return 2
    sources = {name: (source / name).read_bytes() for name in {mutant.file for mutant in mutants}}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="coze-mutation-") as folder:
        scratch = machine.prepare_scratch(source, Path(folder) / "baseline")
        completed = machine.baseline(scratch, args.stories, Path(folder) / ".coverage")
        if completed.returncode != 0:
            print(completed.stdout[-3000:], completed.stderr[-2000:], file=sys.stderr)
            print("the stories fail against an unmodified copy of cozepy: fix that first", file=sys.stderr)
            return 2
        coverage = machine.Coverage.read(Path(folder) / ".coverage", scratch / "cozepy")
        not_offered = offered.read(machine.not_offered_file(Path(folder) / ".coverage"))
        shutil.rmtree(scratch)
        preload = [PROJECT_ROOT / "tests", PROJECT_ROOT / "src" / "coze_compat"]
        pool = machine.Pool(source, Path(folder), args.jobs, settings.test_timeout, preload)
        try:
            every = tuple(args.stories)
            jobs = [
                machine.Job(
                    m.file,
                    text,
                    hand_tests(m, source, coverage, every) if settings.select_by_coverage else every,
                    settings.mutant_timeout,
                )
                for m, text in zip(hand, hand_sources)
            ]
            hand_outcomes = [judge(m, result, not_offered) for m, result in zip(hand, pool.run(jobs))]
            again = [i for i, o in enumerate(hand_outcomes) if not o.caught and jobs[i].tests != every]
            retried = pool.run([dataclasses.replace(jobs[i], tests=every) for i in again])
            for index, result in zip(again, retried):
                hand_outcomes[index] = judge(hand[index], result, not_offered)
            hand_seconds = time.monotonic() - started
            the_plan = machine.plan(mutants, coverage, settings, not_offered)
            machine_started = time.monotonic()
            outcomes = machine.run(the_plan, sources, args.stories, settings, pool.run) if mutants else []
            machine_seconds = time.monotonic() - machine_started
        except generate.GeneratorError as error:
            print(f"the mutant generator failed: {error}", file=sys.stderr)
            return 2
        finally:
            pool.close()
    lines: list[str] = ["# Mutation testing", ""]
    missed = [outcome for outcome in hand_outcomes if not outcome.caught]
    if hand:
        lines += ["## Hand-written regressions", "", *table(hand_outcomes), ""]
        lines.append(f"{len(hand) - len(missed)} of {len(hand)} regressions caught in {source} ({hand_seconds:.0f} s)")
        lines.append("")
    if mutants:
        lines += machine.report(the_plan, outcomes, sources, settings, machine_seconds)
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
