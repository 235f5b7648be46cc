"""The version table: which Pythons and which cozepy releases the matrix covers.

This module is the single source of truth read by the noxfile (the ``tests`` cells and the
``constraints`` session), the compatibility report, the GitHub matrix (through ``nox -l --json``)
and the new-release watch. It imports nothing outside the standard library so that nox's own
interpreter can load it.

Every cozepy release ever published is listed in ``RELEASES`` with a status:

* ``pinned``: the newest patch of its minor line; the matrix runs it, pinned by
  ``constraints/cozepy-<version>.txt``;
* ``superseded``: an older patch of a pinned minor line (not run, but known, so the release watch
  does not report it as new);
* ``excluded``: not run, with the reason.

``EXCLUDED_CELLS`` removes single (Python, release) cells that cannot install, with the reason;
they are reported as *not installable*, never discovered as failures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

#: Every Python the matrix knows, oldest first. Cells whose interpreter is missing on the
#: machine are skipped by nox (see ``noxfile.py``); the GitHub matrix installs each one.
PYTHONS: tuple[str, ...] = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")

#: The Python the single-interpreter sessions (lint, typecheck, report, ...) use.
TOOLS_PYTHON = "3.11"

#: The pseudo-release that installs the newest cozepy on PyPI, unpinned.
LATEST = "latest"

PINNED = "pinned"
SUPERSEDED = "superseded"
EXCLUDED = "excluded"

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS_DIR = PROJECT_ROOT / "constraints"


@dataclass(frozen=True)
class Release:
    """One cozepy release on PyPI and what the matrix does with it."""

    version: str
    status: str
    reason: str = ""

    @property
    def minor(self) -> tuple[int, int]:
        major, minor = parse_version(self.version)[:2]
        return (major, minor)


@dataclass(frozen=True)
class Cell:
    """One (Python, cozepy release) pair of the ``tests`` session."""

    python: str
    cozepy: str

    @property
    def id(self) -> str:
        """A name safe for files and nox ids, e.g. ``py3.8-cozepy0.2.0``."""
        return f"py{self.python}-cozepy{self.cozepy}"

    @property
    def constraints(self) -> Path | None:
        """The pinned file this cell installs from, ``None`` for the ``latest`` cell."""
        if self.cozepy == LATEST:
            return None
        return constraints_path(self.cozepy)


def _superseded(version: str, by: str) -> Release:
    return Release(version, SUPERSEDED, f"superseded by {by}, the newest patch of its minor line")


#: All releases on PyPI as of 2026-11-26, oldest first.
RELEASES: tuple[Release, ...] = (
    Release(
        "0.1.0",
        EXCLUDED,
        "cannot be imported: cozepy/__init__.py does `from auth import Auth` (an absolute import "
        "of a module that does not exist), so `import cozepy` raises ModuleNotFoundError; it also "
        "predates the httpx client (it used requests)",
    ),
    Release("0.2.0", PINNED),
    Release("0.3.0", PINNED),
    Release("0.4.0", PINNED),
    Release("0.5.0", PINNED),
    _superseded("0.6.0", "0.6.2"),
    _superseded("0.6.1", "0.6.2"),
    Release("0.6.2", PINNED),
    Release("0.7.0", PINNED),
    Release("0.8.0", PINNED),
    _superseded("0.9.0", "0.9.1"),
    Release("0.9.1", PINNED),
    _superseded("0.10.0", "0.10.4"),
    _superseded("0.10.1", "0.10.4"),
    _superseded("0.10.2", "0.10.4"),
    _superseded("0.10.3", "0.10.4"),
    Release("0.10.4", PINNED),
    Release("0.11.0", PINNED),
    Release("0.12.0", PINNED),
    _superseded("0.13.0", "0.13.1"),
    Release("0.13.1", PINNED),
    Release("0.14.0", PINNED),
    Release("0.15.0", PINNED),
    _superseded("0.16.0", "0.16.2"),
    _superseded("0.16.1", "0.16.2"),
    Release("0.16.2", PINNED),
    Release("0.17.0", PINNED),
    Release("0.18.0", PINNED),
    Release("0.19.0", PINNED),
    Release("0.20.0", PINNED),
)

#: Single cells that cannot install, keyed by (python, release), with the reason.
#: Empty today: every pinned release installs on every Python 3.8-3.14 (checked by
#: ``nox -s constraints``, which resolves each release for the whole range).
EXCLUDED_CELLS: dict[tuple[str, str], str] = {}

_VERSION_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class UnknownReleaseError(ValueError):
    """A cozepy version that the table does not know, or knows but does not run."""


def parse_version(version: str) -> tuple[int, int, int]:
    """``"0.10.4"`` -> ``(0, 10, 4)``; anything else is a clear error."""
    match = _VERSION_RE.match(version)
    if match is None:
        raise UnknownReleaseError(
            f"{version!r} is not a cozepy release version (expected MAJOR.MINOR.PATCH, e.g. 0.20.0)"
        )
    major, minor, patch = (int(part) for part in match.groups())
    return (major, minor, patch)


def known_versions() -> tuple[str, ...]:
    return tuple(release.version for release in RELEASES)


def pinned_releases() -> tuple[str, ...]:
    """The releases the matrix runs, oldest first."""
    return tuple(release.version for release in RELEASES if release.status == PINNED)


def newest_pinned() -> str:
    return pinned_releases()[-1]


def oldest_pinned() -> str:
    return pinned_releases()[0]


def release(version: str) -> Release:
    """The table's entry for ``version``, or an error that lists what is known."""
    parse_version(version)
    for entry in RELEASES:
        if entry.version == version:
            return entry
    raise UnknownReleaseError(
        f"cozepy {version} is not in the version table (src/coze_compat/matrix.py); "
        f"known releases: {', '.join(known_versions())}"
    )


def constraints_path(version: str) -> Path:
    """The pinned constraints file of a release the matrix runs."""
    entry = release(version)
    if entry.status != PINNED:
        raise UnknownReleaseError(f"cozepy {version} is not run by the matrix: {entry.status}, {entry.reason}")
    return CONSTRAINTS_DIR / f"cozepy-{version}.txt"


def excluded_cell_reason(python: str, cozepy: str) -> str | None:
    return EXCLUDED_CELLS.get((python, cozepy))


def cells() -> Iterator[Cell]:
    """Every cell of the ``tests`` session: each Python x each pinned release, then ``latest``."""
    for cozepy in (*pinned_releases(), LATEST):
        for python in PYTHONS:
            if excluded_cell_reason(python, cozepy) is None:
                yield Cell(python, cozepy)
