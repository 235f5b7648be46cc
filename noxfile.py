# /// script
# dependencies = ["nox>=2026.10.20", "uv>=0.13"]
# ///
"""coze-compat sessions: the (Python x cozepy release) test matrix and the tools around it.

The version table lives in ``src/coze_compat/matrix.py``; this file only turns it into sessions.

* ``nox``: what to run before pushing: every ``tests`` cell, ``harness``, ``lint``, ``typecheck``,
  then (one at a time, after the others) ``timing-budget``, ``flake-rerun``, ``mutation``,
  ``coverage`` and ``report``. ``nox -j auto`` runs the independent sessions side by side.
* ``nox -s tests``: every cell; ``nox -t cozepy0.20.0`` or ``nox -p 3.12 -s tests`` select cells;
  arguments after ``--`` go to pytest (``nox -s tests -- -k chat -n 2``).
* ``nox -s constraints [-- 0.20.0 ...]``: regenerate the pinned constraints files.
* ``nox -s dependencies``: recompute what each release installs next to (httpx, pydantic; asks PyPI).
* ``nox -s endpoints``: rewrite docs/endpoints.md, the fake's endpoint coverage (from cozepy's source).
* ``nox -s watch-rehearsal``: the new-release watch's own commands against a synthetic next
  release served by a local package index (``coze_compat.rehearsal``).
* ``nox -l --json``: the cells, as the GitHub workflow reads them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "src"))

from coze_compat import constraints, matrix, servers, stories
from coze_compat import nox as compat

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv|virtualenv"
# A cell whose interpreter is missing is skipped with "Python interpreter X not found", also on
# CI: a machine may lack some Pythons. The GitHub test jobs install their cell's Python and pass
# --error-on-missing-interpreters, so there a missing interpreter is an error.
nox.options.error_on_missing_interpreters = False
nox.options.download_python = "never"
nox.options.reuse_venv = "yes"
#: When this nox run started: results written since then are this run's.
STARTED = time.time()
# uv installs without byte-compiling, and some machines set PYTHONDONTWRITEBYTECODE (the CI machine does):
# then every run of a cell compiles cozepy, pydantic, httpx, respx, hypothesis and the assertion-rewritten
# tests again (the 0.20.0 cell: 7.5-11 s instead of 5.6 s, measured). The sessions' own venvs and the
# __pycache__ folders keep their bytecode.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).parent
RESULTS = ROOT / "results"
COVERAGE = RESULTS / "coverage"
REPORT = RESULTS / "report"
STORIES = stories.PATHS
EXAMPLE = ROOT / "examples" / "assistant"
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
TEST_GROUP = nox.project.dependency_groups(PYPROJECT, "test")
TOOLS_CONSTRAINTS = ROOT / "constraints" / "tools.txt"
BOOTSTRAP_CONSTRAINTS = ROOT / "constraints" / "bootstrap.txt"
BUDGETS = PYPROJECT["tool"]["coze-compat"]

#: Set to a version (e.g. 0.21.0) to make the ``latest`` cells install that release instead of
#: the newest on PyPI; the new-release watch uses it.
LATEST_ENV = "COZE_COMPAT_LATEST"
#: ``0`` stops the cells from queueing the report after them (GitHub's shard jobs; the report job builds it).
REPORT_AFTER_CELLS_ENV = "COZE_COMPAT_REPORT_AFTER_CELLS"
#: The release's requires-python (``releases check`` outputs it): a ``latest`` cell whose Python it
#: excludes is skipped with that reason (status ``unsupported``) instead of failing to install.
LATEST_REQUIRES_ENV = "COZE_COMPAT_LATEST_REQUIRES_PYTHON"
#: A package index consulted before PyPI by every install and by the constraints compile (uv's
#: ``--extra-index-url``: the first index that has a package serves it); the watch rehearsal serves
#: its synthetic cozepy release from one on 127.0.0.1.
INDEX_ENV = "COZE_COMPAT_INDEX_URL"


def _index_options() -> tuple[str, ...]:
    url = os.environ.get(INDEX_ENV, "")
    return ("--extra-index-url", url) if url else ()


def _cell_params() -> list[nox.param]:
    """Every cell, tagged ``py3.X``, ``cozepyX.Y.Z``, and ``newest-patches`` for the newest patch of
    each minor line (the quick local subset: ``nox -t newest-patches``); then the Coze Studio cells
    (``tests(studio-py3.11-cozepy0.20.0)``), tagged ``studio`` and ``cozepyX.Y.Z`` (not ``py3.11``,
    so ``nox -t py3.11`` stays the hosted cells; ``nox -p 3.11 -s tests`` runs both)."""
    newest = set(matrix.newest_patches())

    def param(cell: matrix.Cell, *tags: str) -> nox.param:
        patches = ["newest-patches"] if cell.cozepy in newest and cell.server == servers.HOSTED else []
        return nox.param(
            cell.python, cell.cozepy, cell.server, id=cell.id, tags=[*tags, f"cozepy{cell.cozepy}", *patches]
        )

    hosted = [param(cell, f"py{cell.python}") for cell in matrix.cells()]
    return [*hosted, *(param(cell, "studio") for cell in matrix.studio_cells())]


def _install_cell(session: nox.Session, cell: matrix.Cell) -> None:
    """Install the cell's pinned set, or for ``latest`` the newest cozepy with the test tools."""
    if cell.constraints is None:
        requested = os.environ.get(LATEST_ENV, "")
        if requested:
            matrix.parse_version(requested)
        requirement = f"cozepy=={requested}" if requested else "cozepy"
        session.install("--upgrade", requirement, *TEST_GROUP, *_index_options())
        return
    _install_pinned(session, cell.cozepy)


def _install_pinned(session: nox.Session, cozepy: str, *groups: str) -> None:
    """Install the pinned set of a cozepy release, plus tool groups pinned by constraints/tools.txt."""
    path = matrix.constraints_path(cozepy)
    try:
        constraints.check(path, cozepy)
    except constraints.ConstraintsError as error:
        session.error(str(error))
    tools = nox.project.dependency_groups(PYPROJECT, *groups) if groups else ()
    session.install("-r", str(path), *tools, *(("-c", str(TOOLS_CONSTRAINTS)) if tools else ()), *_index_options())


# Coverage is recorded in the cells of one Python per release (TOOLS_PYTHON): the coverage session reads the
# newest release's cells for cozepy and every cell for the harness and the tests, and those branches do not
# depend on the Python (the whole report compared for 0.2.0, 0.13.1 and 0.20.0 on 3.8-3.13 against 3.11
# alone: the same figures). Coverage's tracer doubles a cell's time (0.20.0 on 3.11: 9-12 s with it,
# 4.6-4.9 s without, measured), and sys.monitoring measures branches only from Python 3.14.

#: Tracebacks as Python prints them: pytest's own (with source lines of every frame) cost ~75 ms per
#: failure or known break (a cell has about 30); the report reads only each one's crash line.
CELL_TRACEBACKS = "--tb=native"


def _pytest(
    session: nox.Session, folder: Path, *args: str, coverage: bool = True, env: dict[str, str] | None = None
) -> None:
    """Run pytest, writing its report log (and coverage data) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    cov = ("--cov", "--cov-report=") if coverage else ("--no-cov",)
    session.run(
        "python",
        "-m",
        "pytest",
        *args,
        f"--report-log={folder / 'report.jsonl'}",
        *cov,
        *session.posargs,
        env={"COVERAGE_FILE": str(folder / ".coverage"), matrix.RESULTS_ENV: str(folder), **(env or {})},
    )


def _harness(session: nox.Session, module: str, *args: str, venv: bool = True) -> None:
    """Run ``python -m coze_compat.<module>``: in the session's venv, or (``venv=False``) with nox's own Python."""
    python, external = ("python", False) if venv else (sys.executable, True)
    session.run(python, "-m", f"coze_compat.{module}", *args, env={"PYTHONPATH": str(ROOT / "src")}, external=external)


@nox.session(tags=["tests"], allow_parallel=True)
@nox.parametrize(("python", "cozepy", "server"), _cell_params())
def tests(session: nox.Session, cozepy: str, server: str) -> None:
    """One cell: the story tests against one cozepy release on one Python, against one server (the
    hosted service, or Coze Studio: ``$COZE_COMPAT_SERVER`` makes ``coze_api`` its flavour)."""
    cell = matrix.Cell(str(session.python), cozepy, server)
    requires_python = os.environ.get(LATEST_REQUIRES_ENV, "") if cozepy == matrix.LATEST else ""
    if not matrix.python_supported(requires_python, cell.python):
        release = os.environ.get(LATEST_ENV, "") or "latest"
        reason = f"cozepy {release} requires Python {requires_python}: it does not support Python {cell.python}"
        compat.write_cell_record(cell, RESULTS, status="unsupported", reason=reason)
        session.skip(reason)
    folder = compat.write_cell_record(cell, RESULTS, status="installing")
    try:
        _install_cell(session, cell)
    except nox.command.CommandFailed:
        compat.write_cell_record(cell, RESULTS, status="not-installable")
        session.error(f"{cell.id}: installing cozepy {cozepy} on Python {cell.python} failed (see above)")
    compat.write_cell_record(cell, RESULTS, status="installed")
    coverage = cell.python == matrix.TOOLS_PYTHON  # hosted and Studio cells alike: each runs its own branches
    server_env = {servers.SERVER_ENV: cell.server}
    _pytest(session, folder, *STORIES, "-p", "no:cacheprovider", CELL_TRACEBACKS, coverage=coverage, env=server_env)


@nox.session(python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=True)
def harness(session: nox.Session) -> None:
    """The harness's own tests (version table, constraints, fake API, report, release watch, the package)."""
    _install_pinned(session, matrix.newest_pinned())
    session.install("nox", "-c", str(TOOLS_CONSTRAINTS))  # coze_compat.nox's tests import nox (pinned with mypy's)
    _pytest(session, RESULTS / "harness", "tests/harness", "-p", "pytester")


@nox.session(python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=True)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the noxfile, the harness and the tests (T055)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"), "-c", str(TOOLS_CONSTRAINTS))
    session.run("ruff", "check", "--no-fix", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")


@nox.session(python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=True)
@nox.parametrize("cozepy", [matrix.newest_pinned(), matrix.oldest_pinned()], ids=["newest", "oldest"])
def typecheck(session: nox.Session, cozepy: str) -> None:
    """mypy --strict over the harness, the tests and the noxfile, against the newest and the oldest cozepy;
    the worked example (which needs cozepy 0.13 or newer) and the examples of docs/fake.md (as a team
    copies them) against the newest."""
    _install_pinned(session, cozepy, "typecheck")
    session.run("mypy", *session.posargs)
    if cozepy == matrix.newest_pinned() and not session.posargs:
        session.run("mypy", str(EXAMPLE / "src"), str(EXAMPLE / "tests"))
        guide = Path(session.create_tmp()) / "guide"
        _harness(session, "fake.guide", str(guide))
        session.run("mypy", str(guide))


@nox.session(name="timing-budget", python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=False)
def timing_budget(session: nox.Session) -> None:
    """The story suite in one cell within its budget (T051), no test over the per-test budget."""
    budget = BUDGETS["timing"]
    _install_pinned(session, matrix.newest_pinned())
    folder = RESULTS / "timing"
    folder.mkdir(parents=True, exist_ok=True)
    clock = str(folder / "clock.json")
    args = (
        *STORIES,
        "-p",
        "no:randomly",
        CELL_TRACEBACKS,
        "--no-cov",
        f"--report-log={folder / 'report.jsonl'}",
        *session.posargs,
    )
    _harness(session, "timing", "run", clock, "--", *args)
    _harness(
        session,
        "timing",
        str(folder / "report.jsonl"),
        f"--clock={clock}",
        f"--suite-seconds={budget['suite_seconds']}",
        f"--test-seconds={budget['test_seconds']}",
        f"--slowest={budget['slowest_listed']}",
    )


@nox.session(name="flake-rerun", python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=False)
def flake_rerun(session: nox.Session) -> None:
    """The story suite N times in random orders with different seeds, under xdist; any disagreement fails (T053).

    N is ``FLAKE_RUNS`` (default 5); the seeds are 1..N, so a run can be repeated with
    ``pytest -p randomly --randomly-seed=<seed>``. No rerun ever turns a failure green.
    """
    runs = int(os.environ.get("FLAKE_RUNS", "5"))
    if runs < 2:
        session.error(f"FLAKE_RUNS must be at least 2 to compare runs, got {runs}")
    _install_pinned(session, matrix.newest_pinned())
    folder = RESULTS / "flakes"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for seed in range(1, runs + 1):
        session.run(
            "python",
            "-m",
            "pytest",
            *STORIES,
            "-q",
            "-n",
            "2",
            "-p",
            "randomly",
            f"--randomly-seed={seed}",
            f"--report-log={folder / f'seed-{seed}.jsonl'}",
            "--no-cov",
            *session.posargs,
            success_codes=[0, 1],
        )
    _harness(session, "flakes", str(folder))


@nox.session(python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=False)
def mutation(session: nox.Session) -> None:
    """Detection power on the newest cozepy: every hand-written SDK regression must be caught; then a
    fixed-seed sample of machine-made mutants ([tool.coze-compat.mutation]), whose survivors are
    listed (not a failure). ``-- --all`` runs every machine-made mutant; ``-- --set=hand`` only
    the hand-written set."""
    _install_pinned(session, matrix.newest_pinned())
    machine = BUDGETS["mutation"]
    _harness(
        session,
        "mutations.run",
        *STORIES,
        f"--markdown={RESULTS / 'mutation.md'}",
        *(f"--module={module}" for module in BUDGETS["coverage"]["cozepy_modules"]),
        *(f"--avoid-call={name}" for name in machine["avoid_calls_to"]),
        *(f"--out-of-scope={name}" for name in machine["out_of_scope"]),
        f"--seed={machine['seed']}",
        f"--sample={machine['sample']}",
        f"--budget={machine['budget_seconds']}",
        f"--mutant-timeout={machine['mutant_timeout_seconds']}",
        f"--test-timeout={machine['test_timeout_seconds']}",
        *session.posargs,
    )


@nox.session(python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=False)
def coverage(session: nox.Session) -> None:
    """Combine the cells' coverage (Python 3.11 cells record it): (a) harness and tests, branch, fail under 95 %;
    (b) cozepy, newest release."""
    data = sorted(RESULTS.glob("*/.coverage"))
    if not data:
        session.error("no coverage data under results/: run `nox -s tests harness` first")
    _install_pinned(session, matrix.newest_pinned())
    shutil.rmtree(COVERAGE, ignore_errors=True)
    COVERAGE.mkdir(parents=True)
    own = str(COVERAGE / ".coverage.own")
    session.run("coverage", "combine", "--keep", f"--data-file={own}", *map(str, data))
    include = "--include=src/*,tests/*"
    # The watch rehearsal's own code runs only in `nox -s watch-rehearsal`, which `nox` leaves out:
    # the gate must not depend on whether it ran.
    omit = "--omit=src/coze_compat/rehearsal.py,tests/rehearsal/*"
    session.run(
        "coverage",
        "report",
        f"--data-file={own}",
        include,
        omit,
        f"--fail-under={BUDGETS['coverage']['fail_under']}",
    )
    session.run("coverage", "html", f"--data-file={own}", include, omit, f"--directory={COVERAGE / 'html'}", "--quiet")
    session.run("coverage", "xml", f"--data-file={own}", include, omit, f"-o={COVERAGE / 'coverage.xml'}", "--quiet")

    newest = [path for path in data if path.parent.name.endswith(f"-cozepy{matrix.newest_pinned()}")]
    if not newest:
        cell = matrix.Cell(matrix.TOOLS_PYTHON, matrix.newest_pinned()).id
        session.error(
            f"no coverage data from the cell {cell} (only Python {matrix.TOOLS_PYTHON} cells record it): "
            f'run `nox -s "tests({cell})"`'
        )
    where = "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('cozepy').origin))"
    site = session.run("python", "-c", where, silent=True)  # found without importing it (no warnings)
    rcfile = COVERAGE / "cozepy.ini"
    rcfile.write_text(
        f"[run]\nbranch = true\n[paths]\ncozepy =\n    {str(site).strip()}/\n    */site-packages/cozepy/\n",
        encoding="utf-8",
    )
    sdk = str(COVERAGE / ".coverage.cozepy")
    session.run("coverage", "combine", "--keep", f"--rcfile={rcfile}", f"--data-file={sdk}", *map(str, newest))
    modules = ",".join(f"*/cozepy/{module}" for module in BUDGETS["coverage"]["cozepy_modules"])
    session.run("coverage", "report", f"--rcfile={rcfile}", f"--data-file={sdk}", f"--include={modules}")
    session.run(
        "coverage",
        "html",
        f"--rcfile={rcfile}",
        f"--data-file={sdk}",
        f"--include={modules}",
        f"--directory={COVERAGE / 'cozepy-html'}",
        "--quiet",
    )


@nox.session(python=matrix.TOOLS_PYTHON, tags=["quality"], allow_parallel=True)
def workflows(session: nox.Session) -> None:
    """Validate .github/workflows against GitHub's workflow schema and audit them with zizmor (offline)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "workflows"), "-c", str(TOOLS_CONSTRAINTS))
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files)
    session.run("zizmor", "--offline", "--persona=pedantic", *files)


@nox.session(venv_backend="none", tags=["quality"], allow_parallel=False)
def report(session: nox.Session) -> None:
    """The compatibility matrix of every cell's results: results/report/report.{md,json,html}.

    Standard library only, so it runs on nox's own interpreter. Arguments after ``--`` go to
    ``python -m coze_compat.report build`` (``--summary "$GITHUB_STEP_SUMMARY"``, ``--nox-report FILE``).
    """
    _harness(session, "report", "build", f"--results={RESULTS}", f"--out={REPORT}", *session.posargs, venv=False)


@nox.session(venv_backend="none", default=False)
def readme(session: nox.Session) -> None:
    """Rewrite README.md's compatibility section (between the report markers) from results/; ``-- --check`` checks."""
    readme_file = f"--readme={ROOT / 'README.md'}"
    _harness(session, "report", "readme", f"--results={RESULTS}", readme_file, *session.posargs, venv=False)


@nox.session(name="constraints", python=matrix.TOOLS_PYTHON, default=False)
def regenerate_constraints(session: nox.Session) -> None:
    """Regenerate the pin sets: data/constraints/cozepy-<version>.txt (every pinned release, or those
    given after --), then constraints/tools.txt (agreeing with the newest release) and bootstrap.txt.

    Existing pins are kept where they still resolve (uv prefers an output file's pins); delete a
    file to refresh it."""
    versions = session.posargs or list(matrix.pinned_releases())
    for version in versions:
        matrix.constraints_path(version)  # an unknown or unpinned version is a clear error here
    session.install("uv")
    for version in versions:
        path = matrix.constraints_path(version)
        requirement, body = path.with_suffix(".in"), path.with_suffix(".body")
        requirement.write_text(f"cozepy=={version}\n", encoding="utf-8")
        if path.exists():  # uv prefers the pins of an existing output file: nothing moves without need
            shutil.copyfile(path, body)
        try:
            session.run(*constraints.compile_command(version, requirement, body), *_index_options())
            path.write_text(constraints.header(version) + body.read_text(encoding="utf-8"), encoding="utf-8")
        finally:
            requirement.unlink()
            body.unlink(missing_ok=True)
        session.log(f"wrote {path.relative_to(ROOT)}")
    for path, command in (
        (TOOLS_CONSTRAINTS, constraints.tools_command(matrix.constraints_path(matrix.newest_pinned()))),
        (BOOTSTRAP_CONSTRAINTS, constraints.bootstrap_command()),
    ):
        body = path.with_suffix(".body")
        shutil.copyfile(path, body)
        try:
            session.run(*command, "--output-file", str(body))
            path.write_text(constraints.tools_header(command) + body.read_text(encoding="utf-8"), encoding="utf-8")
        finally:
            body.unlink(missing_ok=True)
        session.log(f"wrote {path.relative_to(ROOT)}")


@nox.session(python=matrix.TOOLS_PYTHON, default=False)
def dependencies(session: nox.Session) -> None:
    """Recompute data/dependencies.json from PyPI: each pinned release's httpx and pydantic ranges and
    whether uv installs it next to the newest httpx, pydantic and both, on Python 3.12.

    Arguments after ``--`` go to ``python -m coze_compat.dependencies`` (``--httpx 0.28.1``, ``--date``)."""
    session.install("uv", "packaging", "-c", str(BOOTSTRAP_CONSTRAINTS))
    _harness(session, "dependencies", *session.posargs)


@nox.session(python=matrix.TOOLS_PYTHON, default=False)
def endpoints(session: nox.Session) -> None:
    """Rewrite docs/endpoints.md: every endpoint the newest cozepy calls (found in its source), whether the
    fake models it, since which release the SDK calls it (``coze_compat.fake.coverage``).

    ``-- --mirror DIR`` re-reads every pinned release from a git clone of coze-dev/coze-py into
    data/endpoints.json; ``-- --check`` only checks (as the harness test does)."""
    _install_pinned(session, matrix.newest_pinned())
    _harness(session, "fake.coverage", *session.posargs)


@nox.session(name="watch-rehearsal", python=matrix.TOOLS_PYTHON, default=False)
def watch_rehearsal(session: nox.Session) -> None:
    """The new-release watch rehearsed end to end (``coze_compat.rehearsal``, ``tests/rehearsal``).

    A synthetic next release made from the newest cozepy wheel (compatible, and with regressions)
    is served by pypiserver on 127.0.0.1; the watch's own commands run against it as the workflow
    runs them: check, the latest cells, evaluate, the issue or pull-request files, and for the
    compatible one ``releases add`` and the constraints compile. Arguments after ``--`` go to pytest.
    """
    _install_pinned(session, matrix.newest_pinned(), "rehearsal")
    _pytest(session, RESULTS / "watch-rehearsal", "tests/rehearsal", "-p", "no:randomly", "-p", "no:cacheprovider")


@nox.session(venv_backend="none", default=False)
def bench(session: nox.Session) -> None:
    """Measure the matrix against its floor on this machine (issue 7); arguments go to coze_compat.bench."""
    _harness(session, "bench", *session.posargs, venv=False)


def _exit_summary() -> None:
    """The answer a user looks for, after nox's own list of sessions (which nox prints last): when this
    run's cells wrote results, or the ``report`` session ran, print the compatibility summary at exit,
    building the report first if only cells ran. Registered by the main nox process only: with ``-j``
    nox runs each session in a child ``nox --parallel-worker`` (where ``session.notify`` is refused)."""
    fresh = [path for path in RESULTS.glob("*/cell.json") if path.stat().st_mtime >= STARTED]
    text = REPORT / "summary.txt"
    report_ran = text.is_file() and text.stat().st_mtime >= STARTED
    if not fresh and not report_ran:
        return
    failed = ""
    if not report_ran:  # only cells ran: build the report they wrote results for
        build = [sys.executable, "-m", "coze_compat.report", "build", f"--results={RESULTS}", f"--out={REPORT}"]
        completed = subprocess.run(build, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, check=False)
        if completed.returncode:
            failed = f"`python -m coze_compat.report build` failed (exit {completed.returncode}): see above\n"
    print("\n" + (text.read_text(encoding="utf-8") if text.is_file() else "") + failed, end="", flush=True)


# GitHub's shard jobs leave the report to the report job (COZE_COMPAT_REPORT_AFTER_CELLS=0).
if "--parallel-worker" not in sys.argv and os.environ.get(REPORT_AFTER_CELLS_ENV, "1") != "0":
    atexit.register(_exit_summary)
