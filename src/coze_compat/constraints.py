"""The pinned constraints files: how they are made and how a broken one is recognised.

A constraints file is a complete, universal pin set (``uv pip compile --universal``, with
environment markers) for one cozepy release plus the ``test`` dependency group, valid for every
Python of the matrix. The ``tests`` cells install it as a requirements file, so uv installs exactly
those pins without resolving again.

Standard library only: nox's own interpreter imports this module.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Sequence

from coze_compat import matrix

HEADER_MARK = "# coze-compat constraints for cozepy"
#: nox needs Python 3.10 or newer; bootstrap.txt pins nox and uv for any of those.
BOOTSTRAP_PYTHON = "3.10"

_PIN_RE = re.compile(r"^cozepy==(?P<version>[^\s;]+)")


class ConstraintsError(ValueError):
    """A constraints file that is missing or that a cell must not install from."""


def _uv_compile(
    python: str, groups: tuple[str, ...], *options: str, regenerate: str = "nox -s constraints"
) -> list[str]:
    """``uv pip compile`` for ``python``, of dependency ``groups`` of pyproject.toml, without uv's header."""
    group_options = [option for group in groups for option in ("--group", f"pyproject.toml:{group}")]
    return [
        "uv",
        "pip",
        "compile",
        *options,
        "--python-version",
        python,
        *group_options,
        "--custom-compile-command",
        regenerate,
        "--no-header",
        "--quiet",
    ]


def compile_command(version: str, requirement: Path, output: Path) -> list[str]:
    """The ``uv pip compile`` call that (re)makes the file for ``version``, for every Python of the matrix.

    ``requirement`` is a file holding the single line ``cozepy==<version>``.
    """
    command = _uv_compile(matrix.PYTHONS[0], ("test",), "--universal", regenerate=f"nox -s constraints -- {version}")
    return [*command, "--output-file", str(output), str(requirement)]


def tools_command(newest: Path) -> list[str]:
    """The compile call for constraints/tools.txt: the single-interpreter tools, agreeing with ``newest``."""
    constraint = str(newest.relative_to(matrix.PROJECT_ROOT))
    groups = ("lint", "typecheck", "workflows", "rehearsal")
    return _uv_compile(matrix.TOOLS_PYTHON, groups, "--constraint", constraint)


def bootstrap_command() -> list[str]:
    """The compile call for constraints/bootstrap.txt: nox and uv, for any Python that runs nox."""
    return _uv_compile(BOOTSTRAP_PYTHON, ("bootstrap",), "--universal")


def tools_header(command: list[str]) -> str:
    return "\n".join(
        (
            "# coze-compat tool pins. Made by `nox -s constraints`, which runs:",
            f"#   {shlex.join(command)}",
            "# Do not edit by hand; regenerate instead.",
            "",
        )
    )


def header(version: str) -> str:
    """The lines every constraints file starts with, saying how it was made."""
    pythons = f"{matrix.PYTHONS[0]}-{matrix.PYTHONS[-1]}"
    return "\n".join(
        (
            f"{HEADER_MARK} {version} + the `test` dependency group (pyproject.toml).",
            f"# Universal pin set for Python {pythons}: one pinned version per package and Python, chosen",
            "# by environment markers. Made by `nox -s constraints`, which runs:",
            f"#   {shlex.join(compile_command(version, Path('cozepy.in'), Path('<this file>')))}",
            f"# where cozepy.in holds the line cozepy=={version}.",
            "# Do not edit by hand; regenerate instead.",
            "",
        )
    )


def check(path: Path, version: str) -> None:
    """Raise ``ConstraintsError`` with a readable reason unless ``path`` pins ``version``."""
    regenerate = f"regenerate it with `nox -s constraints -- {version}`"
    if not path.is_file():
        raise ConstraintsError(f"{path} is missing; {regenerate}")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith(f"{HEADER_MARK} {version} "):
        raise ConstraintsError(f"{path} does not start with the coze-compat header for cozepy {version}; {regenerate}")
    pins = [match.group("version") for match in map(_PIN_RE.match, lines) if match]
    if pins != [version]:
        found = ", ".join(pins) or "no cozepy pin"
        raise ConstraintsError(f"{path} must pin exactly cozepy=={version}, found: {found}; {regenerate}")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and "==" not in stripped:
            raise ConstraintsError(f"{path}:{number}: {stripped!r} is not an exact pin (name==version); {regenerate}")


def check_all(versions: Sequence[str]) -> list[str]:
    """Every problem with the constraints files of ``versions``, as readable lines."""
    problems = []
    for version in versions:
        try:
            check(matrix.constraints_path(version), version)
        except ConstraintsError as error:
            problems.append(str(error))
    return problems
