"""The new-release watch rehearsed: a synthetic next cozepy release on a real local package index.

``nox -s watch-rehearsal`` (``tests/rehearsal``) rehearses two releases made from the newest
pinned cozepy wheel:

* ``compatible``: the wheel re-versioned as ``0.21.0``, nothing else changed;
* ``regression``: re-versioned as ``1.0`` (a final release of another length) with regressions
  applied to its source: a behaviour regression from the mutation catalogue (the published-bots
  list sends ``page_num``) and a dropped model field (``SimpleBot.folder_id``: a lost capability).

A rehearsal

1. downloads the newest pinned wheel (``pip download``) and re-packs it with the new version
   (``wheel unpack`` / ``wheel pack``, reproducible: ``SOURCE_DATE_EPOCH``), regressions applied;
2. serves it with pypiserver on 127.0.0.1 (``--disable-fallback``: any other package is a 404, so
   the installers take it from PyPI, the next index);
3. copies the project (noxfile, pyproject, ``src/``, the story tests, ``constraints/``) into a
   scratch folder and runs there the commands of ``.github/workflows/new-release.yml``:
   ``releases check --url <local page>``; the ``latest`` cell with ``COZE_COMPAT_LATEST``,
   ``COZE_COMPAT_LATEST_REQUIRES_PYTHON`` and ``COZE_COMPAT_INDEX_URL``; ``releases evaluate``; and
   for a compatible release ``releases add`` and ``nox -s constraints -- <version>`` (the local index
   first, PyPI for every other package), then the new pinned cell from that constraints file, as CI
   runs it on the pull request. Only ``gh`` is left out. The baseline evaluate compares with is
   made once for both (``baseline_report``: the newest pinned cell and ``nox -s report`` in another
   copy); in the workflow it is the report artifact of the last CI run.

``python -m coze_compat.rehearsal {compatible,regression} WORK [--python 3.11] [-- pytest args]``
runs one by hand and prints where its files are.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from coze_compat import matrix, stories
from coze_compat.mutations import Mutation
from coze_compat.mutations.run import apply
from coze_compat.mutations.us3 import MUTATIONS as US3_MUTATIONS

#: What the scratch copy of the project needs to run nox, the cells and the watch's commands.
PROJECT_FILES = ("noxfile.py", "pyproject.toml", "constraints", "src", "tests/__init__.py", "tests/conftest.py")
#: Reproducible wheels: the same source gives the same bytes (and hash) on every run.
SOURCE_DATE_EPOCH = "1767225600"
SERVER_WAIT = 30.0

#: A field the regression drops: ``bots_list_item_folder_id`` (which 0.18.0 brought) is lost.
DROPPED_FOLDER_ID = Mutation(
    id="rehearsal-simple-bot-folder-id-dropped",
    story="US3",
    what="`SimpleBot.folder_id` is dropped from the model (the capability `bots_list_item_folder_id` is lost)",
    file="bots/__init__.py",
    find="    owner_user_id: str\n\n    folder_id: Optional[str] = None\n",
    replace="    owner_user_id: str\n\n",
)
PAGE_NUM = next(mutation for mutation in US3_MUTATIONS if mutation.id == "us3-list-page-index-renamed")


@dataclass(frozen=True)
class Variant:
    version: str
    mutations: tuple[Mutation, ...] = ()


VARIANTS: dict[str, Variant] = {
    "compatible": Variant("0.21.0"),
    "regression": Variant("1.0", (PAGE_NUM, DROPPED_FOLDER_ID)),
}


class RehearsalError(RuntimeError):
    """A step of the rehearsal failed (its command, exit status and the end of its output)."""


@dataclass
class Rehearsal:
    """Everything a rehearsal ran and wrote (paths inside ``work``)."""

    variant: str
    version: str
    work: Path
    project: Path
    index_url: str
    #: step name -> (exit status, seconds).
    steps: dict[str, tuple[int, float]] = field(default_factory=dict)
    check_outputs: dict[str, str] = field(default_factory=dict)

    @property
    def watch(self) -> Path:
        """``releases evaluate --out``: evaluation.json and the issue or pull-request files."""
        return self.work / "watch"

    @property
    def evaluation(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.watch / "evaluation.json").read_text(encoding="utf-8"))
        return data

    @property
    def table(self) -> Path:
        return self.project / "src" / "coze_compat" / "data" / "releases.json"

    @property
    def constraints(self) -> Path:
        return self.project / "src" / "coze_compat" / "data" / "constraints" / f"cozepy-{self.version}.txt"

    def cell(self, python: str, cozepy: str) -> Path:
        return self.project / "results" / matrix.Cell(python, cozepy).id


# -- the synthetic release ------------------------------------------------------------------------


def download_wheel(version: str, folder: Path) -> Path:
    """``cozepy-<version>-*.whl`` from PyPI (pip's cache makes a second download free)."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", f"cozepy=={version}", "--no-deps", "--only-binary=:all:"]
    subprocess.run([*command, "--dest", str(folder), "--quiet"], check=True)
    return next(folder.glob(f"cozepy-{version}-*.whl"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise RehearsalError(f"{path}: no line matches {pattern!r}")
    path.write_text(edited, encoding="utf-8")


def synthetic_wheel(original: Path, version: str, folder: Path, mutations: Sequence[Mutation] = ()) -> Path:
    """Re-pack a cozepy wheel as release ``version`` (metadata, ``cozepy.VERSION``), ``mutations`` applied."""
    matrix.parse_version(version)
    scratch = folder / "unpacked"
    shutil.rmtree(scratch, ignore_errors=True)
    unpack = [sys.executable, "-m", "wheel", "unpack", "--dest", str(scratch), str(original)]
    subprocess.run(unpack, check=True, stdout=subprocess.DEVNULL)
    (tree,) = scratch.iterdir()
    (dist_info,) = tree.glob("cozepy-*.dist-info")
    _edit(dist_info / "METADATA", r"^Version: .*$", f"Version: {version}")
    _edit(tree / "cozepy" / "version.py", r'^VERSION = ".*"$', f'VERSION = "{version}"')
    (dist_info / "RECORD").unlink()  # wheel pack writes it anew
    dist_info.rename(dist_info.with_name(f"cozepy-{version}.dist-info"))
    for mutation in mutations:
        apply(mutation, tree / "cozepy")
    out = folder / "dist"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    pack = [sys.executable, "-m", "wheel", "pack", "--dest-dir", str(out), str(tree)]
    subprocess.run(pack, check=True, env=env, stdout=subprocess.DEVNULL)
    (wheel,) = out.glob("*.whl")
    return wheel


# -- the local index ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def package_index(packages: Path, log: Path) -> Iterator[str]:
    """pypiserver serving ``packages`` on 127.0.0.1; yields its Simple API root (``.../simple/``)."""
    port = free_port()
    command = [sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--disable-fallback", "--log-file", str(log), "--log-stream", "none", str(packages)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_WAIT
        while True:
            try:
                with urllib.request.urlopen(f"{root}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RehearsalError(f"pypiserver did not start on {root} (see {log})") from None
                time.sleep(0.1)
        yield f"{root}/simple/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# -- the watch's commands ---------------------------------------------------------------------------


def copy_project(source: Path, target: Path) -> Path:
    """The files the watch's commands need, with no results, venvs or caches."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".nox", "results", "*.egg-info")
    for name in (*PROJECT_FILES, *stories.PATHS):
        origin, copy = source / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, copy, ignore=ignore)
        else:
            shutil.copyfile(origin, copy)
    return target


def _clean_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment without what belongs to the pytest or nox run around us."""
    prefixes = ("COV_CORE_", "COVERAGE_", "PYTEST_", "COZE_COMPAT_", "NOX_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.pop("VIRTUAL_ENV", None)
    return {**env, **extra}


def _outputs(path: Path) -> dict[str, str]:
    """A ``$GITHUB_OUTPUT`` file's ``name=value`` lines."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _run(
    steps: dict[str, tuple[int, float]],
    work: Path,
    project: Path,
    step: str,
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    ok: Sequence[int] = (0,),
) -> int:
    """Run one step in ``project``, its output in ``work/logs/<step>.log``; an unexpected exit raises."""
    (work / "logs").mkdir(parents=True, exist_ok=True)
    log = work / "logs" / f"{step}.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as output:
        output.write(f"$ {' '.join(command)}\n")
        output.flush()
        completed = subprocess.run(
            list(command),
            cwd=project,
            # The workflow's cell jobs leave the report to its evaluate job; so do the rehearsed cells (the
            # synthetic release has no dependency data: `nox -s dependencies` asks PyPI, which does not have it).
            env=_clean_environment({"PYTHONPATH": "src", "COZE_COMPAT_REPORT_AFTER_CELLS": "0", **(env or {})}),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    steps[step] = (completed.returncode, round(time.monotonic() - started, 1))
    if completed.returncode not in ok:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-40:])
        raise RehearsalError(f"step {step!r} exited {completed.returncode}: {' '.join(command)}\n{tail}")
    return completed.returncode


NOX = (sys.executable, "-m", "nox", "--error-on-missing-interpreters")
RELEASES = (sys.executable, "-m", "coze_compat.releases")


def _cell_args(pytest_args: Sequence[str]) -> list[str]:
    return ["--", *pytest_args] if pytest_args else []


def baseline_report(
    work: Path, python: str = matrix.TOOLS_PYTHON, pytest_args: Sequence[str] = (), source: Path = matrix.PROJECT_ROOT
) -> Path:
    """The watch's baseline, made here: the newest pinned cell and ``nox -s report`` in a copy of the
    project (in the workflow: the report artifact of the last CI run). Returns its ``report.json``."""
    shutil.rmtree(work, ignore_errors=True)
    project = copy_project(source, work / "project")
    steps: dict[str, tuple[int, float]] = {}
    cell = matrix.Cell(python, matrix.newest_pinned()).id
    _run(steps, work, project, "baseline-cell", [*NOX, "-s", f"tests({cell})", *_cell_args(pytest_args)])
    _run(steps, work, project, "baseline-report", [*NOX, "-s", "report"])
    return project / "results" / "report" / "report.json"


def rehearse(
    variant: str,
    work: Path,
    wheel: Path,
    baseline: Path,
    python: str = matrix.TOOLS_PYTHON,
    pytest_args: Sequence[str] = (),
    source: Path = matrix.PROJECT_ROOT,
) -> Rehearsal:
    """Build the ``variant`` release from ``wheel``, serve it, and run the watch's commands on it
    (``baseline``: the report JSON of the pinned releases, see ``baseline_report``)."""
    chosen = VARIANTS[variant]
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    packages = work / "packages"
    packages.mkdir()
    built = synthetic_wheel(wheel, chosen.version, work / "build", chosen.mutations)
    shutil.copyfile(built, packages / built.name)
    project = copy_project(source, work / "project")
    with package_index(packages, work / "pypiserver.log") as index_url:
        rehearsal = Rehearsal(variant, chosen.version, work, project, index_url)
        _run_watch(rehearsal, baseline, python, pytest_args)
    return rehearsal


def _run_watch(rehearsal: Rehearsal, baseline: Path, python: str, pytest_args: Sequence[str]) -> None:
    """The steps of ``new-release.yml`` (check, test, evaluate, pull-request), less ``gh``."""
    work = rehearsal.work

    def run(step: str, command: Sequence[str], env: Mapping[str, str] | None = None, ok: Sequence[int] = (0,)) -> None:
        _run(rehearsal.steps, work, rehearsal.project, step, command, env, ok)

    nox, releases = list(NOX), list(RELEASES)
    output = work / "check-output.txt"
    page = f"{rehearsal.index_url}cozepy/"
    run(
        "check",
        [*releases, "check", "--url", page, "--github-output", str(output), "--summary", str(work / "check.md")],
    )
    rehearsal.check_outputs = _outputs(output)
    version = rehearsal.check_outputs.get("version", "")
    if rehearsal.check_outputs.get("outcome") != "new" or version != rehearsal.version:
        raise RehearsalError(f"check did not find cozepy {rehearsal.version} on {page}: {rehearsal.check_outputs}")
    cell_args = _cell_args(pytest_args)
    latest = {
        "COZE_COMPAT_LATEST": version,
        "COZE_COMPAT_LATEST_REQUIRES_PYTHON": rehearsal.check_outputs.get("requires_python", ""),
        "COZE_COMPAT_INDEX_URL": rehearsal.index_url,
    }
    # The test job: a failing story fails the cell (exit 1); the evaluate job judges it.
    run("latest-cell", [*nox, "-s", f"tests({matrix.Cell(python, matrix.LATEST).id})", *cell_args], latest, (0, 1))
    evaluate = [*releases, "evaluate", "--version", version, "--results", "results", "--baseline", str(baseline)]
    evaluate += [
        "--out",
        str(rehearsal.watch),
        "--pythons",
        python,
        "--github-output",
        str(work / "evaluate-output.txt"),
        "--summary",
        str(work / "evaluate.md"),
    ]
    run("evaluate", evaluate)
    if _outputs(work / "evaluate-output.txt").get("outcome") != "compatible":
        return
    index = {"COZE_COMPAT_INDEX_URL": rehearsal.index_url}
    run("add", [*releases, "add", version])
    run("constraints", [*nox, "-s", "constraints", "--", version], index)
    run("new-cell", [*nox, "-s", f"tests({matrix.Cell(python, version).id})", *cell_args], index)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.rehearsal", description=__doc__.split("\n\n")[0])
    parser.add_argument("variant", choices=sorted(VARIANTS))
    parser.add_argument("work", type=Path, help="scratch folder (emptied first)")
    parser.add_argument("--python", default=matrix.TOOLS_PYTHON)
    parser.add_argument("pytest_args", nargs="*", help="arguments for the cells' pytest (after --)")
    args = parser.parse_args(argv)
    wheel = download_wheel(matrix.newest_pinned(), args.work.with_name(args.work.name + "-wheels"))
    try:
        baseline = baseline_report(args.work.with_name(args.work.name + "-baseline"), args.python, args.pytest_args)
        rehearsal = rehearse(args.variant, args.work, wheel, baseline, args.python, args.pytest_args)
    except RehearsalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for step, (status, seconds) in rehearsal.steps.items():
        print(f"{step:16} exit {status}  {seconds:6.1f} s")
    print(f"verdict: {rehearsal.evaluation['outcome']}: {rehearsal.evaluation['title']} ({rehearsal.watch})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
