"""The version table: which Pythons and which cozepy releases the matrix covers.

This module is the single source of truth read by the noxfile (the ``tests`` cells and the
``constraints`` session), the compatibility report, the GitHub matrix (through ``nox -l --json``)
and the new-release watch. The releases themselves are data, ``data/releases.json`` (shipped in
the wheel next to the pinned sets in ``data/constraints/``), so that the release watch edits a
data file, not code.

Every cozepy release ever published is listed with a status:

* ``pinned``: the matrix runs it, pinned by ``data/constraints/cozepy-<version>.txt``; every
  importable release is pinned, patches included, so that a team on any release gets an answer
  and a fix or regression is dated at the patch that brought it;
* ``excluded``: not run, with the reason (0.1.0 cannot be imported).

``excluded_cells`` removes single (Python, release) cells that cannot install, with the reason;
they are reported as *not installable*, never discovered as failures.

Versions are parsed by ``packaging`` (PEP 440), the one parser of the project; it is installed
wherever the harness runs (nox and pytest both depend on it). Nothing else outside the standard
library is imported, so nox's own interpreter can load this module.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from coze_compat import servers

#: Every Python the matrix knows, oldest first. Cells whose interpreter is missing on the
#: machine are skipped by nox (see ``noxfile.py``); the GitHub matrix installs each one.
PYTHONS: tuple[str, ...] = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")

#: The Python the single-interpreter sessions (lint, typecheck, report, ...) use.
TOOLS_PYTHON = "3.11"

#: The pseudo-release that installs the newest cozepy on PyPI, unpinned.
LATEST = "latest"

PINNED = "pinned"
EXCLUDED = "excluded"
STATUSES = (PINNED, EXCLUDED)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
RELEASES_FILE = DATA_DIR / "releases.json"
CONSTRAINTS_DIR = DATA_DIR / "constraints"
#: The environment variable that makes a pytest run a matrix cell, naming the cell's results folder
#: (set by this repository's noxfile and by ``coze_compat.nox.run_tests``; read by the pytest plugin).
RESULTS_ENV = "COZE_COMPAT_RESULTS"
#: The repository checkout (``results/``, ``README.md``, the tool pins); meaningless once installed.
PROJECT_ROOT = PACKAGE_DIR.parents[1]


class UnknownReleaseError(ValueError):
    """A cozepy version that the table does not know, or knows but does not run."""


class TableError(ValueError):
    """``data/releases.json`` is not a valid version table."""


def parse_version(version: str) -> Version:
    """``"0.10.4"`` -> ``Version("0.10.4")``; anything that is not a PEP 440 version is a clear error."""
    try:
        return Version(version)
    except InvalidVersion:
        raise UnknownReleaseError(
            f"{version!r} is not a cozepy release version (a PEP 440 version such as 0.20.0 or 1.0.post1)"
        ) from None


def python_supported(requires_python: str, python: str) -> bool:
    """Whether some release of Python ``python`` (``"3.8"``) satisfies ``requires_python`` (``">=3.9"``).

    An empty or malformed specifier supports every Python (the installer then decides); a minor
    version counts when its first or a late patch does (``>=3.8.1`` supports 3.8, ``<3.14`` does not
    support 3.14).
    """
    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return True
    return any(spec.contains(f"{python}.{patch}", prereleases=True) for patch in (0, 99))


def minor_line(version: str) -> str:
    """``"0.16.2"`` -> ``"0.16"``: the minor line a release belongs to."""
    major, minor = (*parse_version(version).release, 0)[:2]
    return f"{major}.{minor}"


@dataclass(frozen=True)
class Release:
    """One cozepy release on PyPI and what the matrix does with it."""

    version: str
    status: str = PINNED
    reason: str = ""

    @property
    def minor(self) -> str:
        return minor_line(self.version)


@dataclass(frozen=True)
class Cell:
    """One (Python, cozepy release) pair of the ``tests`` session, against one server
    (``servers.HOSTED``, the default, or ``servers.STUDIO``)."""

    python: str
    cozepy: str
    server: str = servers.HOSTED

    @property
    def id(self) -> str:
        """A name safe for files and nox ids, e.g. ``py3.8-cozepy0.2.0``, ``studio-py3.11-cozepy0.20.0``."""
        return f"{servers.CELL_PREFIXES[self.server]}py{self.python}-cozepy{self.cozepy}"

    @property
    def constraints(self) -> Path | None:
        """The pinned file this cell installs from, ``None`` for the ``latest`` cell."""
        if self.cozepy == LATEST:
            return None
        return constraints_path(self.cozepy)


@dataclass(frozen=True)
class Table:
    """The contents of ``data/releases.json``."""

    as_of: str
    releases: tuple[Release, ...]
    excluded_cells: dict[tuple[str, str], str]


def read_table(path: Path = RELEASES_FILE) -> Table:
    """Read and check a version table file; every problem is a ``TableError`` naming the file and the fix."""
    fix = "fix the file (or run `python -m coze_compat.releases add <version>`)"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TableError(f"{path}: cannot read the version table: {error}; {fix}") from None
    releases: list[Release] = []
    for number, entry in enumerate(data.get("releases") or [], start=1):
        version, status = str(entry.get("version", "")), str(entry.get("status", PINNED))
        where = f"{path}: release #{number} ({version or 'no version'})"
        try:
            parse_version(version)
        except UnknownReleaseError as error:
            raise TableError(f"{where}: {error}; {fix}") from None
        if status not in STATUSES:
            raise TableError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}; {fix}")
        if status != PINNED and not entry.get("reason"):
            raise TableError(f"{where}: a release the matrix does not run needs a reason; {fix}")
        releases.append(Release(version, status, str(entry.get("reason", ""))))
    if not releases:
        raise TableError(f"{path}: the version table lists no release; {fix}")
    ordered = sorted(releases, key=lambda release: parse_version(release.version))
    if [release.version for release in ordered] != [release.version for release in releases]:
        raise TableError(f"{path}: releases must be listed oldest first, without duplicates; {fix}")
    if len({parse_version(release.version) for release in releases}) != len(releases):
        raise TableError(f"{path}: a release is listed twice; {fix}")
    excluded = {
        (str(item["python"]), str(item["cozepy"])): str(item["reason"]) for item in data.get("excluded_cells") or []
    }
    return Table(str(data.get("as_of", "")), tuple(releases), excluded)


_TABLE = read_table()
#: Every release on PyPI as of ``AS_OF``, oldest first.
RELEASES: tuple[Release, ...] = _TABLE.releases
AS_OF: str = _TABLE.as_of
#: Single cells that cannot install, keyed by (python, release), with the reason. Empty today:
#: every pinned release installs on every Python 3.8-3.14 (``nox -s constraints`` resolves each
#: release for the whole range).
EXCLUDED_CELLS: dict[tuple[str, str], str] = _TABLE.excluded_cells


def known_versions() -> tuple[str, ...]:
    return tuple(release.version for release in RELEASES)


def pinned_releases() -> tuple[str, ...]:
    """The releases the matrix runs, oldest first."""
    return tuple(release.version for release in RELEASES if release.status == PINNED)


def newest_pinned() -> str:
    return pinned_releases()[-1]


def oldest_pinned() -> str:
    return pinned_releases()[0]


def newest_patches() -> tuple[str, ...]:
    """The newest pinned patch of each minor line (the ``newest-patches`` quick subset), oldest first."""
    newest: dict[str, str] = {}
    for version in pinned_releases():
        newest[minor_line(version)] = version
    return tuple(newest.values())


def minor_lines() -> dict[str, tuple[str, ...]]:
    """Minor line -> its pinned releases, oldest first (``{"0.16": ("0.16.0", "0.16.1", "0.16.2"), ...}``)."""
    lines: dict[str, list[str]] = {}
    for version in pinned_releases():
        lines.setdefault(minor_line(version), []).append(version)
    return {line: tuple(versions) for line, versions in lines.items()}


def specifier(spec: str) -> SpecifierSet:
    """A PEP 440 specifier such as ``"<0.7.0"`` or ``">=0.6.2,<0.17.0"``, or a clear error."""
    try:
        return SpecifierSet(spec)
    except InvalidSpecifier:
        raise UnknownReleaseError(f"{spec!r} is not a version range (a PEP 440 specifier such as '<0.7.0')") from None


def matches(version: str, releases: str | Iterable[str]) -> bool:
    """Whether ``version`` is in ``releases``: a PEP 440 specifier (``"<0.7.0"``, ``">=0.6.2,<0.17.0"``),
    or several, each a specifier or an exact version (``("==0.3.0", ">=0.10.4,<0.14.0")``)."""
    parsed = parse_version(version)
    for item in (releases,) if isinstance(releases, str) else releases:
        if item[:1] in "<>=!~":
            if specifier(item).contains(parsed, prereleases=True):
                return True
        elif parse_version(item) == parsed:
            return True
    return False


def releases_in(releases: str | Iterable[str]) -> tuple[str, ...]:
    """The pinned releases in ``releases`` (a specifier or explicit versions), oldest first."""
    return tuple(version for version in pinned_releases() if matches(version, releases))


@functools.lru_cache(maxsize=None)
def release(version: str) -> Release:
    """The table's entry for ``version``, or an error that lists what is known."""
    parsed = parse_version(version)
    for entry in RELEASES:
        if parse_version(entry.version) == parsed:
            return entry
    raise UnknownReleaseError(
        f"cozepy {version} is not in the version table (src/coze_compat/data/releases.json); "
        f"known releases: {', '.join(known_versions())}"
    )


def constraints_path(version: str) -> Path:
    """The pinned constraints file of a release the matrix runs."""
    entry = release(version)
    if entry.status != PINNED:
        raise UnknownReleaseError(f"cozepy {version} is not run by the matrix: {entry.status}, {entry.reason}")
    return CONSTRAINTS_DIR / f"cozepy-{entry.version}.txt"


def excluded_cell_reason(python: str, cozepy: str) -> str | None:
    return EXCLUDED_CELLS.get((python, cozepy))


def cells() -> Iterator[Cell]:
    """Every hosted cell of the ``tests`` session: each Python x each pinned release, then ``latest``."""
    for cozepy in (*pinned_releases(), LATEST):
        for python in PYTHONS:
            if excluded_cell_reason(python, cozepy) is None:
                yield Cell(python, cozepy)


def studio_cells() -> Iterator[Cell]:
    """The Coze Studio cells: every pinned release on one Python (``TOOLS_PYTHON``). The server is a
    property of the answers, not of the interpreter: one Python per release shows it at a thirtieth
    of the cost; the hosted cells cover the Pythons."""
    for cozepy in pinned_releases():
        yield Cell(TOOLS_PYTHON, cozepy, servers.STUDIO)
