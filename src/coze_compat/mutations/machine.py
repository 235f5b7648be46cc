"""Run mutants of cozepy against the stories: the scratch copies, the coverage baseline, the workers,
and the machine-made mutants' selection, sample and report.

* **Baseline**: the stories run once against an unmodified scratch copy, with coverage contexts
  (``--cov-context=test``): they must pass, and the data says which tests execute each line; the
  tests it skips as not offered are noted (``offered.py``).
* **Selection**: a mutant inside a function body runs only the tests that executed one of its
  lines (a test that never reaches the line cannot see the change); a mutant of import-time code
  (a model field, a default argument, a module constant) runs every story, since every test
  uses the module once it is imported. A mutant on a line no test executes cannot be killed;
  with ``executed_only`` such mutants are counted, not run.
* **Sample**: ``sample`` mutants drawn with ``seed`` from the selected ones; ``--all`` runs all.
  The workers stop taking mutants after ``budget`` seconds; the rest is reported as not run.
* **Outcomes** (Stryker's definitions): *killed* (a story failed), *timed out* (pytest-timeout
  fired, or the run passed ``mutant_timeout``: both count as detected), *lost capability* (no
  story failed, but one the unmutated copy runs was skipped as not offered: the mutant broke a
  capability probe, which the report counts as a break; detected), *survived* (every selected
  story passed), *broken* (pytest could not run the stories: an import or collection error; not
  in the score), *equivalent* (the AST does not change, or the mutant is on the allow-list in
  ``equivalent.py``; not in the score). Score: detected (killed + timed out + lost capability) /
  (detected + survived).
"""

from __future__ import annotations

import compileall
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from coze_compat.mutations import generate, offered
from coze_compat.mutations.equivalent import EQUIVALENT
from coze_compat.mutations.generate import Mutant
from coze_compat.mutations.worker import Result as Result  # what a worker reports for a job

STATUSES = ("killed", "timed out", "lost capability", "survived", "broken", "equivalent", "not run")
DETECTED = STATUSES[:3]


@dataclass(frozen=True)
class Settings:
    """``[tool.coze-compat.mutation]`` and the in-scope modules, as the runner's options pass them."""

    modules: tuple[str, ...]
    seed: int
    sample: int
    budget: float
    mutant_timeout: float
    test_timeout: float
    executed_only: bool = True
    avoid_calls_to: tuple[str, ...] = ()
    out_of_scope: tuple[str, ...] = ()  # file:qualified.name definitions not mutated
    run_all: bool = False
    select_by_coverage: bool = True


@dataclass(frozen=True)
class Job:
    """Run ``tests`` with ``file`` (relative to the package) holding ``source`` (None: unchanged)."""

    file: str
    source: str | None
    tests: tuple[str, ...]
    timeout: float


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    status: str
    evidence: str
    tests: int = 0  # how many tests it ran; 0: every story
    seconds: float = 0.0


def prepare_scratch(source: Path, folder: Path) -> Path:
    """Copy the cozepy package ``source`` to ``folder/cozepy`` and compile it; returns ``folder``."""
    shutil.copytree(source, folder / "cozepy", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(folder / "cozepy", quiet=1)
    return folder


def story_env(scratch: Path) -> dict[str, str]:
    """The environment that makes ``scratch/cozepy`` the cozepy that Python imports."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(scratch), os.environ.get("PYTHONPATH")])))


def baseline(scratch: Path, stories: Sequence[str], data_file: Path) -> subprocess.CompletedProcess[str]:
    """The stories against the unmodified copy, recording which test executes which line of cozepy
    (``data_file``) and which tests are skipped as not offered (``not_offered_file(data_file)``)."""
    command = [
        sys.executable, "-m", "pytest", *stories, "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
        "-p", "coze_compat.mutations.offered", "--cov=cozepy", "--cov-context=test", "--cov-report=",
    ]  # fmt: skip
    env = dict(story_env(scratch), COVERAGE_FILE=str(data_file), **{offered.ENV: str(not_offered_file(data_file))})
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def not_offered_file(data_file: Path) -> Path:
    """Where the baseline writes the tests it skips as not offered."""
    return data_file.with_name(data_file.name + ".not-offered.json")


class Coverage:
    """Per file of the package and per line, the tests (node ids) that executed it; ``""`` stands
    for code run outside any test (imports during collection)."""

    def __init__(self, lines: dict[str, dict[int, frozenset[str]]]) -> None:
        self.lines = lines

    @classmethod
    def read(cls, data_file: Path, package: Path) -> Coverage:
        import coverage

        data = coverage.CoverageData(basename=str(data_file))
        data.read()
        root = package.resolve()
        lines: dict[str, dict[int, frozenset[str]]] = {}
        for measured in data.measured_files():
            path = Path(measured).resolve()
            if not path.is_relative_to(root):
                continue
            contexts = data.contexts_by_lineno(measured)
            lines[path.relative_to(root).as_posix()] = {
                line: frozenset(context.split("|")[0] for context in names) for line, names in contexts.items()
            }
        return cls(lines)

    def tests_for(self, mutant: Mutant) -> tuple[bool, tuple[str, ...]]:
        """(whether the stories execute the mutant, the tests to run: () for every story)."""
        return self.tests_for_lines(mutant.file, mutant.lines, mutant.in_function)

    def tests_for_lines(self, file: str, lines: Iterable[int], in_function: bool) -> tuple[bool, tuple[str, ...]]:
        """(whether the stories execute any of ``lines`` of ``file``, the tests to run: () for every
        story: the lines run at import, or ``in_function`` is False)."""
        by_line = self.lines.get(file, {})
        contexts: set[str] = set()
        executed = False
        for line in lines:
            if line in by_line:
                executed = True
                contexts |= by_line[line]
        if not executed:
            return False, ()
        if not in_function or "" in contexts:
            return True, ()
        return True, tuple(sorted(contexts))


class Pool:
    """``jobs`` fork-server workers (``coze_compat.mutations.worker``), one scratch copy each."""

    def __init__(
        self, source: Path, folder: Path, jobs: int, test_timeout: float, preload_from: Sequence[Path]
    ) -> None:
        self.processes: list[subprocess.Popen[str]] = []
        for index in range(max(jobs, 1)):
            scratch = prepare_scratch(source, folder / f"worker-{index}")
            command = [
                sys.executable, "-m", "coze_compat.mutations.worker", str(scratch),
                f"--test-timeout={test_timeout:g}", "--preload-from", *map(str, preload_from),
            ]  # fmt: skip
            self.processes.append(
                subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_harness_env())
            )

    def run(self, jobs: Sequence[Job], deadline: float | None = None) -> list[Result | None]:
        """Each job's result, in order; None for the jobs not started before ``deadline`` (monotonic).
        Every 25 results, a progress line goes to stderr."""
        results: list[Result | None] = [None] * len(jobs)
        done: list[int] = []
        started = time.monotonic()
        todo: queue.Queue[int] = queue.Queue()
        for index in range(len(jobs)):
            todo.put(index)
        errors: list[BaseException] = []

        def serve(process: subprocess.Popen[str]) -> None:
            assert process.stdin is not None
            assert process.stdout is not None
            while deadline is None or time.monotonic() < deadline:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                job = jobs[index]
                line = {"file": job.file, "source": job.source, "tests": list(job.tests), "timeout": job.timeout}
                try:
                    process.stdin.write(json.dumps(line) + "\n")
                    process.stdin.flush()
                    answer = process.stdout.readline()
                    if not answer:
                        raise RuntimeError(f"mutation worker {process.pid} exited (code {process.poll()})")
                    results[index] = Result.of(json.loads(answer))
                    done.append(index)
                    if len(done) % 25 == 0:
                        print(
                            f"mutants: {len(done)} of {len(jobs)} run, {time.monotonic() - started:.0f} s",
                            file=sys.stderr,
                        )
                except BaseException as error:
                    errors.append(error)
                    return

        threads = [threading.Thread(target=serve, args=(process,)) for process in self.processes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return results

    def close(self) -> None:
        """End the workers: each stops at the end of its input."""
        for process in self.processes:
            if process.stdin is not None:
                process.stdin.close()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _harness_env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[2])
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))


# -- the machine-made set ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the run will do: every mutant generated, which the stories execute, which will run."""

    generated: tuple[Mutant, ...]
    executed: frozenset[str]  # ids of the mutants on executed lines
    drawn: tuple[Mutant, ...]  # the sample (or every candidate with --all), in running order
    tests: dict[str, tuple[str, ...]]  # id -> the tests it runs (() for every story)
    not_offered: frozenset[str] = frozenset()  # the tests the unmutated copy skips as not offered


def plan(
    mutants: Sequence[Mutant], coverage: Coverage, settings: Settings, not_offered: frozenset[str] = frozenset()
) -> Plan:
    executed: set[str] = set()
    tests: dict[str, tuple[str, ...]] = {}
    for mutant in mutants:
        ran, selected = coverage.tests_for(mutant)
        if ran:
            executed.add(mutant.id)
        tests[mutant.id] = selected if settings.select_by_coverage else ()
    pool = [m for m in mutants if m.id in executed] if settings.executed_only else list(mutants)
    drawn = (
        sorted(pool, key=lambda m: m.id) if settings.run_all else generate.sample(pool, settings.seed, settings.sample)
    )
    return Plan(tuple(mutants), frozenset(executed), tuple(drawn), tests, not_offered)


def lost_capability(result: Result, not_offered: frozenset[str]) -> str:
    """The first test the run skipped as not offered that the unmutated copy does not skip ("": none)."""
    return min(set(result.not_offered) - not_offered, default="")


def judge(mutant: Mutant, result: Result | None, tests: int, not_offered: frozenset[str] = frozenset()) -> Outcome:
    if result is None:
        return Outcome(mutant, "not run", "the time budget ran out first", tests)
    seconds = result.seconds
    if result.timed_out:
        return Outcome(mutant, "timed out", result.message, tests, seconds)
    if result.exit == 0:
        lost = lost_capability(result, not_offered)
        if lost:
            evidence = f"{lost}: skipped as not offered (the unmutated copy runs it)"
            return Outcome(mutant, "lost capability", evidence, tests, seconds)
        return Outcome(mutant, "survived", "every story it ran passed", tests, seconds)
    if result.exit == 1:
        status = "timed out" if "Timeout" in result.message else "killed"
        return Outcome(mutant, status, f"{result.failed}: {result.message}", tests, seconds)
    where = " ".join(filter(None, [result.failed, result.message]))
    return Outcome(mutant, "broken", f"pytest exit code {result.exit}: {where}", tests, seconds)


def run(
    the_plan: Plan,
    sources: dict[str, bytes],
    stories: Sequence[str],
    settings: Settings,
    execute: Callable[[Sequence[Job], float | None], list[Result | None]],
) -> list[Outcome]:
    """Check and run the drawn mutants; GeneratorError if one is not the change it claims."""
    checker = generate.Checker(sources)
    outcomes: dict[str, Outcome] = {}
    jobs: list[Job] = []
    runnable: list[Mutant] = []
    for mutant in the_plan.drawn:
        if not checker.check(mutant):
            outcomes[mutant.id] = Outcome(mutant, "equivalent", "the mutated AST is the original one")
        elif mutant.id in EQUIVALENT:
            outcomes[mutant.id] = Outcome(mutant, "equivalent", EQUIVALENT[mutant.id])
        elif mutant.id not in the_plan.executed:  # no test can see it: no need to run one
            outcomes[mutant.id] = Outcome(mutant, "survived", "no story executes its line (not run)")
        else:
            tests = the_plan.tests[mutant.id] or tuple(stories)
            source = mutant.apply(sources[mutant.file]).decode("utf-8")
            jobs.append(Job(mutant.file, source, tests, settings.mutant_timeout))
            runnable.append(mutant)
    deadline = None if settings.run_all else time.monotonic() + settings.budget
    for mutant, result in zip(runnable, execute(jobs, deadline)):
        outcomes[mutant.id] = judge(mutant, result, len(the_plan.tests[mutant.id]), the_plan.not_offered)
    return [outcomes[mutant.id] for mutant in the_plan.drawn]


def score(outcomes: Iterable[Outcome]) -> tuple[int, int]:
    """(detected, detected + survived): killed, timed out and lost capability count as detected."""
    counts = Counter(outcome.status for outcome in outcomes)
    detected = sum(counts[status] for status in DETECTED)
    return detected, detected + counts["survived"]


def report(
    the_plan: Plan, outcomes: Sequence[Outcome], sources: dict[str, bytes], settings: Settings, seconds: float
) -> list[str]:
    """The Markdown section: counts, score, survivors with their diffs, the rest in a table."""
    counts = Counter(outcome.status for outcome in outcomes)
    detected, total = score(outcomes)
    generated = len(the_plan.generated)
    executed = len(the_plan.executed)
    operators = Counter(mutant.operator for mutant in the_plan.generated)
    pool = executed if settings.executed_only else generated
    drawn = "all" if settings.run_all else f"a sample (seed {settings.seed}) of"
    scope = "on executed lines" if settings.executed_only else "in scope"
    lines = [
        "## Machine-made mutants",
        "",
        f"{generated} first-order mutants of the in-scope cozepy modules ({', '.join(settings.modules)}): "
        f"{executed} on lines the stories execute, {generated - executed} on lines they never execute "
        f"(those cannot be killed). Drawn: {len(the_plan.drawn)}, {drawn} the {pool} {scope}; "
        f"{sum(counts[status] for status in STATUSES[:5])} judged in {seconds:.0f} s.",
        "",
        "Operators generated: " + ", ".join(f"{name} {operators[name]}" for name in generate.OPERATORS) + ".",
        "",
        "| outcome | mutants |",
        "|---|---:|",
        *(f"| {status} | {counts[status]} |" for status in STATUSES),
        "",
        f"**Score: {detected} of {total} mutants that change behaviour detected"
        + (f" ({100 * detected / total:.1f} %)" if total else "")
        + "** (killed + timed out + lost capability, of those and the survivors; equivalent and broken ones are"
        " left out).",
    ]
    if not settings.executed_only and generated:
        unexecuted = sum(1 for o in outcomes if o.mutant.id not in the_plan.executed and o.status == "survived")
        lines.append(f"Of the survivors, {unexecuted} are on lines no story executes.")
    elif total:
        # every mutant on an unexecuted line survives: the score over all lines, as if they had run
        share = len(the_plan.drawn) / executed if executed else 0.0
        estimated = round((generated - executed) * share)
        lines.append(
            f"Counting the mutants on lines the stories never execute as survivors in the same proportion "
            f"(about {estimated} for this sample): {detected} of {total + estimated} "
            f"({100 * detected / (total + estimated):.1f} %)."
        )
    survivors = sorted((o for o in outcomes if o.status == "survived"), key=lambda o: (o.mutant.file, o.mutant.line))
    lines += ["", f"### Survivors ({len(survivors)})", ""]
    if not survivors:
        lines.append("None.")
    for outcome in survivors:
        mutant = outcome.mutant
        ran = f"ran {outcome.tests} covering tests" if outcome.tests else "ran every story"
        if outcome.evidence.startswith("no story executes"):
            ran = "no story executes its line"
        lines += [
            f"- `{mutant.file}:{mutant.line}` {mutant.operator}: {mutant.change} ({ran}; id `{mutant.id}`)",
            "",
            "  ```diff",
        ]
        lines += [f"  {line}" for line in mutant.diff(sources[mutant.file]).splitlines()]
        lines += ["  ```", ""]
    others = sorted(
        (o for o in outcomes if o.status != "survived"), key=lambda o: (o.mutant.file, o.mutant.line, o.mutant.id)
    )
    lines += ["", "### Every other mutant run", "", "| mutant | outcome | evidence |", "|---|---|---|"]
    for outcome in others:
        evidence = outcome.evidence.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{outcome.mutant.id}` | {outcome.status} | {evidence} |")
    return lines
