# /// script
# dependencies = ["nox>=2026.10.20", "uv>=0.13"]
# ///
"""coze-compat sessions: the (Python x cozepy release) test matrix and the tools around it.

The version table lives in ``src/coze_compat/matrix.py``; this file only turns it into sessions.

* ``nox -s tests``: every cell; ``nox -j auto -s tests`` runs cells side by side.
  ``nox -t cozepy0.20.0`` or ``nox -p 3.12 -s tests`` select cells; arguments after ``--``
  go to pytest (``nox -s tests -- -k chat -n 2``).
* ``nox -s constraints [-- 0.20.0 ...]``: regenerate the pinned constraints files.
* ``nox -l --json``: the cells, as the GitHub workflow reads them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "src"))

from coze_compat import constraints, matrix  # noqa: E402

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv|virtualenv"
# A cell whose interpreter is missing is skipped with "Python interpreter X not found", also on
# CI: a machine may lack some Pythons. The GitHub test jobs install their cell's Python and pass
# --error-on-missing-interpreters, so there a missing interpreter is an error.
nox.options.error_on_missing_interpreters = False
nox.options.download_python = "never"
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
RESULTS = ROOT / "results"
STORIES = ("tests/us1_setup", "tests/us2_client", "tests/us3_bots", "tests/us4_chat", "tests/us5_workflows")
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
TEST_GROUP = nox.project.dependency_groups(PYPROJECT, "test")

#: Set to a version (e.g. 0.21.0) to make the ``latest`` cells install that release instead of
#: the newest on PyPI; the new-release watch uses it.
LATEST_ENV = "COZE_COMPAT_LATEST"


def _cell_params() -> list[nox.param]:  # type: ignore[name-defined]
    return [
        nox.param(cell.python, cell.cozepy, id=cell.id, tags=[f"py{cell.python}", f"cozepy{cell.cozepy}"])
        for cell in matrix.cells()
    ]


def _write_cell_record(cell: matrix.Cell, **fields: object) -> Path:
    folder = RESULTS / cell.id
    folder.mkdir(parents=True, exist_ok=True)
    record = {"cell": cell.id, "python": cell.python, "cozepy": cell.cozepy, **fields}
    (folder / "cell.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return folder


def _install_cell(session: nox.Session, cell: matrix.Cell) -> None:
    """Install the cell's pinned set, or for ``latest`` the newest cozepy with the test tools."""
    if cell.constraints is None:
        requested = os.environ.get(LATEST_ENV, "")
        if requested:
            matrix.parse_version(requested)
        requirement = f"cozepy=={requested}" if requested else "cozepy"
        session.install("--upgrade", requirement, *TEST_GROUP)
        return
    try:
        constraints.check(cell.constraints, cell.cozepy)
    except constraints.ConstraintsError as error:
        session.error(str(error))
    session.install("-r", str(cell.constraints))


@nox.session(tags=["tests"], allow_parallel=True)
@nox.parametrize(("python", "cozepy"), _cell_params())
def tests(session: nox.Session, cozepy: str) -> None:
    """One cell: the story tests against one cozepy release on one Python."""
    cell = matrix.Cell(str(session.python), cozepy)
    folder = _write_cell_record(cell, status="installing")
    try:
        _install_cell(session, cell)
    except nox.command.CommandFailed:
        _write_cell_record(cell, status="not-installable")
        session.error(f"{cell.id}: installing cozepy {cozepy} on Python {cell.python} failed (see above)")
    _write_cell_record(cell, status="installed")
    session.run(
        "python",
        "-m",
        "pytest",
        *STORIES,
        f"--report-log={folder / 'report.jsonl'}",
        "--cov",
        "--cov-report=",
        *session.posargs,
        env={"COVERAGE_FILE": str(folder / ".coverage"), "COZE_COMPAT_RESULTS": str(folder)},
    )


@nox.session(name="constraints", python=matrix.TOOLS_PYTHON, default=False)
def regenerate_constraints(session: nox.Session) -> None:
    """Regenerate constraints/cozepy-<version>.txt (all pinned releases, or those given after --)."""
    versions = session.posargs or list(matrix.pinned_releases())
    for version in versions:
        matrix.constraints_path(version)  # an unknown or unpinned version is a clear error here
    session.install("uv")
    for version in versions:
        path = matrix.constraints_path(version)
        requirement, body = path.with_suffix(".in"), path.with_suffix(".body")
        requirement.write_text(f"cozepy=={version}\n", encoding="utf-8")
        try:
            session.run(*constraints.compile_command(version, requirement, body))
            path.write_text(constraints.header(version) + body.read_text(encoding="utf-8"), encoding="utf-8")
        finally:
            requirement.unlink()
            body.unlink(missing_ok=True)
        session.log(f"wrote {path.relative_to(ROOT)}")
