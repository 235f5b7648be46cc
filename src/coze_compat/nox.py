"""The matrix over a team's own tests: helpers for the team's ``noxfile.py``.

A team that calls cozepy runs its own test suite across cozepy releases x Pythons, with the same
pinned sets as this project's cells (``data/constraints/``, shipped in the package), and gets the
same report (``coze-compat report``) and upgrade advice (``coze-compat upgrade``)::

    import nox
    from coze_compat import nox as compat

    nox.options.default_venv_backend = "uv"
    nox.options.error_on_missing_interpreters = False  # a Python this machine lacks is skipped

    @nox.session
    @nox.parametrize(("python", "cozepy"), compat.cells(releases=">=0.13", pythons=["3.11", "3.12"]))
    def compat_tests(session: nox.Session, cozepy: str) -> None:
        compat.install_cell(session, cozepy)  # the release's pins + the team's project (".")
        compat.run_tests(session, cozepy, "tests")  # pytest; records results/<cell-id>/

Each cell writes ``results/<cell-id>/`` (``py3.11-cozepy0.13.1``): ``cell.json`` (its install
status), ``environment.json`` and ``report.jsonl`` (pytest-reportlog), which is what the report
reads. ``results`` is relative to the folder nox runs the sessions in (the noxfile's).

A cell installs, in one resolution constrained by the release's pin set: ``cozepy==<release>``, the
team's project, this harness (the same distribution nox runs with: ``harness_requirement``) and
pytest-reportlog. Only what the project needs is installed; the pins decide the versions of what
they share (cozepy, httpx, pydantic, respx, pytest...). A project whose own pins conflict with the
release's is recorded as *not installable* on that cell.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import unquote, urlparse

import nox

from coze_compat import constraints, matrix

#: Where the cells write their results, relative to the noxfile's folder.
RESULTS = "results"
DISTRIBUTION = "coze-compat"
#: What a cell installs next to the project: the report log the report reads.
REPORT_LOG = "pytest-reportlog"


class HarnessNotInstalledError(RuntimeError):
    """coze-compat is not installed as a distribution, so a cell cannot install the same one."""


def cells(
    releases: str | Iterable[str] = ">=0",
    pythons: Sequence[str] = matrix.PYTHONS,
    *,
    newest_patches: bool = False,
) -> list[nox.param]:
    """The nox parameters ``("python", "cozepy")`` of every cell: ``releases`` (a PEP 440 specifier such as
    ``">=0.13"``, or versions) among the pinned releases x ``pythons``; with ``newest_patches`` only the
    newest patch of each minor line. Ids are the cell ids (``py3.11-cozepy0.13.1``); tags ``py3.11``
    and ``cozepy0.13.1`` select cells (``nox -t cozepy0.20.0``)."""
    versions = matrix.releases_in(releases)
    if newest_patches:
        versions = tuple(version for version in versions if version in matrix.newest_patches())
    if not versions:
        raise matrix.UnknownReleaseError(
            f"no pinned cozepy release matches {releases!r}; pinned: {', '.join(matrix.pinned_releases())}"
        )
    unknown = [python for python in pythons if python not in matrix.PYTHONS]
    if unknown:
        raise ValueError(f"Python {', '.join(unknown)} is not in the matrix; choose from {', '.join(matrix.PYTHONS)}")
    return [
        nox.param(python, version, id=cell.id, tags=[f"py{python}", f"cozepy{version}"])
        for version in versions
        for python in pythons
        for cell in [matrix.Cell(python, version)]
        if matrix.excluded_cell_reason(python, version) is None
    ]


def cell_folder(cell: matrix.Cell, results: str | Path = RESULTS) -> Path:
    return Path(results).resolve() / cell.id


def write_cell_record(cell: matrix.Cell, results: str | Path = RESULTS, **fields: object) -> Path:
    """Write ``results/<cell-id>/cell.json`` (the cell and ``fields``, e.g. its status); the folder."""
    folder = cell_folder(cell, results)
    folder.mkdir(parents=True, exist_ok=True)
    record = {"cell": cell.id, "python": cell.python, "cozepy": cell.cozepy, "server": cell.server, **fields}
    (folder / "cell.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return folder


def harness_requirement() -> list[str]:
    """The ``pip install`` arguments that install the coze-compat nox runs with: its wheel, folder or
    editable checkout where it was installed from one (PEP 610 ``direct_url.json``), else its version."""
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise HarnessNotInstalledError(
            f"{DISTRIBUTION} is not installed where nox runs: install it next to nox (`pip install coze-compat`), "
            "or give install_cell(..., harness=[...]) the requirement to install in the cells"
        ) from None
    direct = distribution.read_text("direct_url.json")
    if not direct:
        return [f"{DISTRIBUTION}=={distribution.version}"]
    data = json.loads(direct)
    url = str(data["url"])
    if data.get("dir_info", {}).get("editable"):
        return ["-e", unquote(urlparse(url).path)]
    return [f"{DISTRIBUTION} @ {url}"]


def install_cell(
    session: nox.Session,
    cozepy: str,
    *project: str,
    harness: Sequence[str] | None = None,
    results: str | Path = RESULTS,
) -> None:
    """Install the cell: ``cozepy==<cozepy>``, the team's ``project`` (pip arguments, default ``"."``),
    the harness and pytest-reportlog, constrained by the release's pin set. Records the status in
    ``cell.json``; a failed install is recorded as not installable and ends the session."""
    cell = matrix.Cell(str(session.python), cozepy)
    write_cell_record(cell, results, status="installing")
    pins = matrix.constraints_path(cozepy)
    try:
        constraints.check(pins, cozepy)
    except constraints.ConstraintsError as error:
        session.error(str(error))
    extra = list(harness) if harness is not None else harness_requirement()
    try:
        session.install("-c", str(pins), f"cozepy=={cozepy}", REPORT_LOG, *extra, *(project or (".",)))
    except nox.command.CommandFailed:
        write_cell_record(cell, results, status="not-installable")
        session.error(f"{cell.id}: installing cozepy {cozepy} with the project on Python {cell.python} failed")
    write_cell_record(cell, results, status="installed")


def run_tests(session: nox.Session, cozepy: str, *args: str, results: str | Path = RESULTS) -> None:
    """Run ``python -m pytest *args`` (then the session's posargs) as the matrix cell: the plugin
    records the cell's environment and each test's release and known break, pytest-reportlog
    writes ``report.jsonl`` into ``results/<cell-id>/``."""
    folder = cell_folder(matrix.Cell(str(session.python), cozepy), results)
    folder.mkdir(parents=True, exist_ok=True)
    session.run(
        "python",
        "-m",
        "pytest",
        *args,
        f"--report-log={folder / 'report.jsonl'}",
        *session.posargs,
        env={matrix.RESULTS_ENV: str(folder)},
    )
