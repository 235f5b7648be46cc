"""The compatibility report: collect -> derive -> render.

* ``collect``: read the ``results/<cell-id>/`` folders the ``tests`` cells wrote (``cell.json``,
  ``environment.json``, pytest-reportlog's ``report.jsonl``) into a ``Results``;
* ``derive``: the state of every test in every cell, the worst state per release and per story,
  and the findings (first release offering each feature, where stories break: one entry per real
  cozepy bug), with what each release installs next to (``coze_compat.dependencies``, read from
  ``data/dependencies.json``), and the yardstick (``yardstick``: every bug of the catalogue
  ``coze_compat.bugs`` against the results, shown at exactly its releases or not);
* ``render``: Markdown (README section with one column per minor line, GitHub job summary), JSON
  (tools, the release watch) and a self-contained HTML page; ``terminal``: what ``nox -s tests``
  prints at its end.

Standard library only and Python 3.8 syntax, so it runs in any venv (``nox -s report``, or
``PYTHONPATH=src python -m coze_compat.report build``; it writes ``results/report/``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

from coze_compat import matrix, servers
from coze_compat.bugs import Bug
from coze_compat.dependencies import Table as DependencyTable
from coze_compat.report.collect import collect, server_of_folder
from coze_compat.report.derive import derive
from coze_compat.report.model import Report, State, Verdict

__all__ = ["Report", "State", "Verdict", "build", "build_studio", "collect", "derive"]


def build(
    results_dir: Path,
    nox_reports: Iterable[Path] = (),
    pythons: Sequence[str] | None = None,
    releases: Sequence[str] | None = None,
    table: Sequence[matrix.Release] | None = None,
    dependencies: DependencyTable | None = None,
    catalogue: Mapping[str, Bug] | None = None,
    server: str = servers.HOSTED,
) -> Report:
    """Collect and derive in one go (arguments as ``collect`` and ``derive``). The Coze Studio report
    (``server="coze-studio"``) expects its cells: every pinned release on ``matrix.TOOLS_PYTHON``."""
    results = collect(results_dir, nox_reports, server=server)
    if server == servers.STUDIO:
        pythons = pythons if pythons is not None else (matrix.TOOLS_PYTHON,)
        releases = releases if releases is not None else matrix.pinned_releases()
    return derive(
        results,
        pythons=pythons,
        releases=releases,
        table=table,
        dependencies=dependencies,
        catalogue=catalogue,
        server=server,
    )


def build_studio(results_dir: Path, dependencies: DependencyTable | None = None) -> Report | None:
    """The Coze Studio report, when ``results_dir`` holds Studio cells (``None`` otherwise)."""
    if not any(
        collect_server == servers.STUDIO
        for collect_server, _ in (server_of_folder(path.name) for path in _folders(results_dir))
    ):
        return None
    return build(results_dir, dependencies=dependencies, server=servers.STUDIO)


def _folders(results_dir: Path) -> list[Path]:
    return [path for path in results_dir.iterdir() if path.is_dir()] if results_dir.is_dir() else []
