"""What a team can install next to each pinned cozepy release: httpx and pydantic.

For every pinned release, ``data/dependencies.json`` holds the httpx and pydantic ranges its
metadata allows (``Requires-Dist``, markers included), its ``Requires-Python``, and whether uv's
resolver installs it next to the current httpx, next to the current pydantic, and next to both, on
one reference Python. ``nox -s dependencies`` computes the file from PyPI
(``python -m coze_compat.dependencies``); the report only reads it, so the report is the same on
every run and CI does not depend on PyPI answering.

How the file is computed (``compute``):

1. the current versions: ``uv pip compile`` of ``httpx`` and ``pydantic`` for the reference Python
   (the newest final releases that resolve together), unless given;
2. each release's metadata: ``uv pip install --no-deps --target <tmp> cozepy==X``, then the
   wheel's ``METADATA`` (the core metadata PyPI serves for the release);
3. for the current httpx, the current pydantic and both: ``uv pip compile`` of ``cozepy==X`` plus
   those pins. Exit 0: it installs. uv's "No solution found": it does not, for uv's reason. Any other
   failure (PyPI unreachable, ...) stops the computation: it is never recorded as "does not install".

Like ``matrix`` (which it imports), standard library plus ``packaging`` (a dependency of nox), so
nox's own interpreter can load it for ``nox -s report``; ``packaging`` parses ``Requires-Dist``.
"""

from __future__ import annotations

import argparse
import datetime
import email.parser
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from coze_compat import matrix

SCHEMA = "coze-compat-dependencies/1"
FILE = matrix.DATA_DIR / "dependencies.json"
#: The Python the resolver decides for (one that every current httpx and pydantic support).
REFERENCE_PYTHON = "3.12"
#: The dependencies a team pins next to cozepy, and the checks: each alone, then both together.
PACKAGES = ("httpx", "pydantic")
BOTH = "both"
CHECKS: dict[str, tuple[str, ...]] = {"httpx": ("httpx",), "pydantic": ("pydantic",), BOTH: PACKAGES}
REGENERATE = "regenerate it with `nox -s dependencies` (it asks PyPI)"
#: What uv prints when the requirements conflict (uv 0.13: ``error: No solution found when resolving dependencies``).
NO_SOLUTION = "No solution found when resolving dependencies"

#: ``runner(argv, stdin) -> (exit code, stdout and stderr)``; tests pass a stub, never reaching PyPI.
Runner = Callable[[Sequence[str], str], "tuple[int, str]"]


class DependenciesError(ValueError):
    """The data file is missing, malformed or stale, or uv failed for a reason other than a conflict."""


@dataclass(frozen=True)
class Range:
    """One ``Requires-Dist`` line of a package: its versions ("" = any) and the marker selecting it ("" = always)."""

    specifier: str
    marker: str = ""


@dataclass(frozen=True)
class Verdict:
    """Whether the resolver installs the release next to the current pins, and if not, uv's reason."""

    installs: bool
    reason: str = ""


@dataclass(frozen=True)
class Entry:
    """One release: what its metadata allows, and the resolver's verdict per check (``CHECKS``)."""

    version: str
    requires_python: str
    requires: Mapping[str, tuple[Range, ...]]
    next_to: Mapping[str, Verdict]

    def row(self) -> tuple[object, ...]:
        """Everything shown of the release but its version (the version in uv's reasons made generic),
        so that consecutive releases with equal rows are shown as one."""
        own = f"cozepy=={self.version}"
        verdicts = tuple((check, v.installs, v.reason.replace(own, "cozepy==X")) for check, v in self.next_to.items())
        return (self.requires_python, tuple(self.requires.items()), verdicts)


@dataclass(frozen=True)
class Table:
    """The contents of ``data/dependencies.json``."""

    computed: str
    python: str
    resolver: str
    current: Mapping[str, str]
    entries: tuple[Entry, ...]
    #: Where it was read from (named in errors), not part of its contents.
    path: Path = field(default=FILE, compare=False)

    def entry(self, version: str) -> Entry:
        for entry in self.entries:
            if entry.version == version:
                return entry
        raise DependenciesError(
            f"cozepy {version} is in the version table but not in {self.path} (computed {self.computed}); {REGENERATE}"
        )


# -- computing -------------------------------------------------------------------------------------


def subprocess_runner(argv: Sequence[str], stdin: str) -> tuple[int, str]:
    completed = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, check=False)
    return completed.returncode, completed.stdout + completed.stderr


def _range_text(specifier: SpecifierSet) -> str:
    """``>=0.24.0,<0.25.0``: lower bounds first (packaging's own ``str`` sorts them as text); "" for any version."""

    def key(spec: Any) -> tuple[Version, str]:
        try:
            return (Version(str(spec.version).rstrip(".*")), str(spec.operator))
        except InvalidVersion:
            return (Version("0"), str(spec))

    return ",".join(str(spec) for spec in sorted(specifier, key=key))


def parse_metadata(text: str, where: str = "METADATA") -> tuple[str, dict[str, tuple[Range, ...]]]:
    """A core metadata file -> (``Requires-Python``, each of ``PACKAGES`` -> its ``Requires-Dist`` ranges)."""
    message = email.parser.HeaderParser().parsestr(text)
    requires: dict[str, list[Range]] = {name: [] for name in PACKAGES}
    for line in message.get_all("Requires-Dist") or []:
        try:
            requirement = Requirement(str(line))
        except InvalidRequirement as error:
            raise DependenciesError(f"{where}: Requires-Dist {line!r} is not a requirement: {error}") from None
        name = canonicalize_name(requirement.name)
        if name in requires:
            marker = str(requirement.marker) if requirement.marker is not None else ""
            requires[name].append(Range(_range_text(requirement.specifier), marker))
    requires_python = " ".join(str(message.get("Requires-Python") or "").split())
    return requires_python, {name: tuple(ranges) for name, ranges in requires.items()}


def compile_command(python: str) -> list[str]:
    """``uv pip compile`` of the requirements on stdin, for ``python``."""
    return ["uv", "pip", "compile", "--python-version", python, "--no-header", "--no-annotate", "--quiet", "-"]


def resolver_reason(output: str) -> str:
    """uv's explanation of a conflict as one line: the text after "No solution found", without hints."""
    lines = output.splitlines()
    start = next((number + 1 for number, line in enumerate(lines) if NO_SOLUTION in line), len(lines))
    kept: list[str] = []
    for line in lines[start:]:
        text = line.strip().lstrip("\u2570\u2500\u25b6\u2502 ").strip()
        if text.startswith(("hint:", "help:")):
            break
        kept.append(text[len("cause:") :].strip() if text.startswith("cause:") else text)
    return " ".join(" ".join(kept).split()) or "uv found no solution"


def resolve(runner: Runner, python: str, requirements: Sequence[str]) -> tuple[Verdict, str]:
    """Whether uv resolves ``requirements`` together for ``python``, and uv's output."""
    code, output = runner(compile_command(python), "".join(f"{line}\n" for line in requirements))
    if code == 0:
        return Verdict(True), output
    if NO_SOLUTION not in output:
        raise DependenciesError(
            f"uv pip compile of {', '.join(requirements)} for Python {python} failed (exit {code}) for a reason "
            f"other than a conflict: {' '.join(output.split()) or 'no output'}; check that PyPI answers, then run "
            "`nox -s dependencies` again"
        )
    return Verdict(False, resolver_reason(output)), output


def current_versions(runner: Runner, python: str) -> dict[str, str]:
    """The newest final httpx and pydantic that uv resolves together for ``python``."""
    _, output = resolve(runner, python, PACKAGES)
    pins = dict(line.strip().split("==", 1) for line in output.splitlines() if "==" in line)
    missing = [name for name in PACKAGES if name not in pins]
    if missing:
        raise DependenciesError(f"uv pip compile of {', '.join(PACKAGES)} pinned no {', '.join(missing)}: {output}")
    return {name: pins[name].strip() for name in PACKAGES}


def release_metadata(runner: Runner, version: str) -> str:
    """The core metadata of ``cozepy==version`` as uv installs it (from its wheel on PyPI)."""
    with tempfile.TemporaryDirectory(prefix="coze-compat-metadata-") as folder:
        command = ["uv", "pip", "install", "--no-deps", "--quiet", "--python", sys.executable]
        code, output = runner([*command, "--target", folder, f"cozepy=={version}"], "")
        metadata = Path(folder) / f"cozepy-{version}.dist-info" / "METADATA"
        if code != 0 or not metadata.is_file():
            raise DependenciesError(
                f"uv could not fetch cozepy {version} (exit {code}): {' '.join(output.split()) or 'no METADATA'}; "
                "check that PyPI answers, then run `nox -s dependencies` again"
            )
        return metadata.read_text(encoding="utf-8")


def compute_entry(runner: Runner, version: str, python: str, current: Mapping[str, str]) -> Entry:
    requires_python, requires = parse_metadata(release_metadata(runner, version), f"cozepy {version} METADATA")
    next_to = {
        check: resolve(runner, python, [f"cozepy=={version}", *(f"{name}=={current[name]}" for name in names)])[0]
        for check, names in CHECKS.items()
    }
    return Entry(version, requires_python, requires, next_to)


def compute(
    runner: Runner,
    versions: Sequence[str],
    python: str = REFERENCE_PYTHON,
    current: Mapping[str, str] | None = None,
    today: str = "",
) -> Table:
    """The whole table for ``versions``; ``current`` gives some of the current versions, the others
    are the newest uv resolves."""
    given = dict(current or {})
    pins = given if all(name in given for name in PACKAGES) else {**current_versions(runner, python), **given}
    code, output = runner(["uv", "--version"], "")
    resolver = " ".join(output.split()[:2]) if code == 0 else "uv"
    computed = today or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    entries = tuple(compute_entry(runner, version, python, pins) for version in versions)
    return Table(computed, python, resolver, pins, entries)


# -- the data file -----------------------------------------------------------------------------------


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "requires_python": entry.requires_python,
        "requires": {
            name: [{"specifier": r.specifier, "marker": r.marker} for r in ranges]
            for name, ranges in entry.requires.items()
        },
        "next_to": {check: {"installs": v.installs, "reason": v.reason} for check, v in entry.next_to.items()},
    }


def header_json(table: Table) -> dict[str, Any]:
    """What the whole table was computed with."""
    return {
        "computed": table.computed,
        "python": table.python,
        "resolver": table.resolver,
        "current": dict(table.current),
    }


def text(table: Table) -> str:
    """The data file: the header, then each release as one line per field (short diffs on regeneration)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = {
        "schema": SCHEMA,
        "_comment": "Made by `nox -s dependencies` (src/coze_compat/dependencies.py) from PyPI; do not edit by hand.",
        **header_json(table),
    }
    releases = [
        "    {" + ",\n     ".join(f"{dump(key)}: {dump(value)}" for key, value in entry_json(entry).items()) + "}"
        for entry in table.entries
    ]
    fields = [f"  {dump(key)}: {dump(value)}," for key, value in head.items()]
    return "{\n" + "\n".join(fields) + '\n  "releases": [\n' + ",\n".join(releases) + "\n  ]\n}\n"


def write(table: Table, path: Path = FILE) -> None:
    path.write_text(text(table), encoding="utf-8")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DependenciesError(f"{where} must be a JSON object; {REGENERATE}")
    return value


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise DependenciesError(f"{where}: {key!r} must be a string; {REGENERATE}")
    return value


def _entry(data: Any, where: str) -> Entry:
    data = _object(data, where)
    version = _text(data, "version", where)
    where = f"{where} (cozepy {version})"
    requires = _object(data.get("requires"), f"{where}: 'requires'")
    next_to = _object(data.get("next_to"), f"{where}: 'next_to'")
    if sorted(requires) != sorted(PACKAGES) or sorted(next_to) != sorted(CHECKS):
        raise DependenciesError(
            f"{where}: 'requires' must have {', '.join(PACKAGES)} and 'next_to' {', '.join(CHECKS)}; {REGENERATE}"
        )
    ranges: dict[str, tuple[Range, ...]] = {}
    for name in PACKAGES:
        if not isinstance(requires[name], list):
            raise DependenciesError(f"{where}: 'requires.{name}' must be a list; {REGENERATE}")
        items = [_object(item, f"{where}: 'requires.{name}'") for item in requires[name]]
        ranges[name] = tuple(Range(_text(i, "specifier", where), _text(i, "marker", where)) for i in items)
    verdicts: dict[str, Verdict] = {}
    for check in CHECKS:
        item = _object(next_to[check], f"{where}: 'next_to.{check}'")
        if not isinstance(item.get("installs"), bool):
            raise DependenciesError(f"{where}: 'next_to.{check}.installs' must be true or false; {REGENERATE}")
        verdicts[check] = Verdict(item["installs"], _text(item, "reason", where))
    return Entry(version, _text(data, "requires_python", where), ranges, verdicts)


def load(path: Path = FILE) -> Table:
    """Read and check the data file; every problem is a ``DependenciesError`` naming the file and the fix."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DependenciesError(f"{path}: cannot read the dependency data: {error}; {REGENERATE}") from None
    data = _object(raw, str(path))
    if data.get("schema") != SCHEMA:
        raise DependenciesError(f"{path}: schema is {data.get('schema')!r}, expected {SCHEMA!r}; {REGENERATE}")
    current = _object(data.get("current"), f"{path}: 'current'")
    if sorted(current) != sorted(PACKAGES) or not all(isinstance(v, str) for v in current.values()):
        raise DependenciesError(f"{path}: 'current' must give the version of {', '.join(PACKAGES)}; {REGENERATE}")
    releases = data.get("releases")
    if not isinstance(releases, list):
        raise DependenciesError(f"{path}: 'releases' must be a list; {REGENERATE}")
    entries = tuple(_entry(item, f"{path}: release #{number}") for number, item in enumerate(releases, start=1))
    computed, python, resolver = (_text(data, key, str(path)) for key in ("computed", "python", "resolver"))
    return Table(computed, python, resolver, current, entries, path)


def check_covers(table: Table, versions: Sequence[str]) -> None:
    """A ``DependenciesError`` unless the table has exactly ``versions`` (the pinned releases), in order."""
    known = [entry.version for entry in table.entries]
    missing = [version for version in versions if version not in known]
    if missing:
        raise DependenciesError(
            f"{table.path} has no entry for cozepy {', '.join(missing)} (in the version table); {REGENERATE}"
        )
    if known != list(versions):
        extra = [version for version in known if version not in versions]
        what = f"entries for releases the table does not pin: {', '.join(extra)}" if extra else "releases out of order"
        raise DependenciesError(f"{table.path} has {what}; {REGENERATE}")


def group(table: Table, order: Sequence[str]) -> list[tuple[tuple[str, ...], Entry]]:
    """The entries of ``order`` (oldest first), consecutive ones with equal rows as one group, each
    shown by its first entry."""
    groups: list[tuple[list[str], Entry]] = []
    for version in order:
        entry = table.entry(version)
        if groups and groups[-1][1].row() == entry.row():
            groups[-1][0].append(version)
        else:
            groups.append(([version], entry))
    return [(tuple(versions), entry) for versions, entry in groups]


# -- the command line ----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.dependencies", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FILE, help="the data file to write")
    parser.add_argument("--python", default=REFERENCE_PYTHON, help="the Python the resolver decides for")
    for name in PACKAGES:
        parser.add_argument(f"--{name}", default=None, help=f"the current {name} (default: the newest uv resolves)")
    parser.add_argument("--date", default="", help="the date recorded as computed (default: today, UTC)")
    return parser


def main(argv: Sequence[str] | None = None, runner: Runner = subprocess_runner) -> int:
    args = _parser().parse_args(list(argv) if argv is not None else None)
    current = {name: str(getattr(args, name)) for name in PACKAGES if getattr(args, name)}
    try:
        table = compute(runner, matrix.pinned_releases(), args.python, current, args.date)
    except DependenciesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write(table, args.out)
    for versions, entry in group(table, [entry.version for entry in table.entries]):
        verdicts = ", ".join(f"{check}: {'yes' if v.installs else 'no'}" for check, v in entry.next_to.items())
        print(f"cozepy {versions[0]}{'-' + versions[-1] if len(versions) > 1 else ''}: {verdicts}")
    print(f"wrote {args.out} (current {', '.join(f'{k} {v}' for k, v in table.current.items())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
