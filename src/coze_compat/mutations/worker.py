"""A fork server that runs the stories against one mutant after another (``python -m coze_compat.mutations.worker``).

Starting pytest costs about 2 s per mutant, nearly all of it importing pytest, its plugins,
httpx, respx, pydantic, authlib and websockets; cozepy itself is a fraction. The worker imports
those once, then for each job writes the mutated file into its own scratch copy of cozepy and
forks: the child (which has never seen cozepy) puts the copy first on ``sys.path`` and runs
``pytest.main``, so every mutant gets a fresh import of cozepy, the stories and the harness,
with none of the third-party imports paid again. mutmut 3 runs its mutants the same way.

Protocol, one JSON object per line: a job on stdin ``{"file": "bots/__init__.py", "source":
"...", "tests": ["tests/us3_bots", ...], "timeout": 30}`` (``source`` null: the copy as it is);
its result on stdout ``{"exit": 1, "failed": "tests/...::test_x", "message": "...", "timed_out":
false, "seconds": 0.8, "not_offered": ["tests/...::test_y"]}`` (the tests skipped as not offered,
``offered.py``). The worker restores the file after each job.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import os
import select
import signal
import sys
import time
import warnings
from dataclasses import asdict, dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Iterable, Sequence

from coze_compat.mutations import offered

#: Modules a child must import itself: the package under test and everything that imports it (the
#: harness, but for this package, which the worker is running: it does not import cozepy).
OWN = ("cozepy", "coze_compat", "tests", "conftest")
_WORKER_PACKAGES = ("coze_compat", "coze_compat.mutations")


@dataclass(frozen=True)
class Result:
    """``exit``: pytest's exit code (-1: killed by the deadline or a signal); ``not_offered``: the
    tests the run skipped as not offered."""

    exit: int
    failed: str | None
    message: str
    timed_out: bool
    seconds: float
    not_offered: tuple[str, ...] = ()

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Result:
        """A result from its JSON form."""
        return cls(**dict(payload, not_offered=tuple(payload.get("not_offered", ()))))


def third_party_imports(roots: Iterable[Path], own: Sequence[str] = OWN) -> list[str]:
    """The absolute module names that the ``.py`` files under ``roots`` import, without ``own`` ones."""
    names: set[str] = set()
    for root in roots:
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            try:
                tree = ast.parse(path.read_bytes())
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module)
    return sorted(name for name in names if name.split(".")[0] not in own and name != "__future__")


def preload(modules: Iterable[str]) -> list[str]:
    """Import the pytest plugins (``pytest11`` entry points) and ``modules``; returns those that
    failed (an optional dependency, a module of another Python): a child imports them if it can."""
    failed = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.showwarning = lambda *args, **kwargs: None  # authlib turns its own deprecation warnings back on
        for plugin in entry_points(group="pytest11"):
            try:
                plugin.load()
            except Exception:  # a plugin that does not load here will not load in the child either
                failed.append(plugin.value)
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:
                failed.append(name)
    names = leaked(OWN)
    if names:
        raise RuntimeError(f"preloading imported {', '.join(names)}: a child could not import its own copy")
    return failed


def leaked(own: Sequence[str] = OWN) -> list[str]:
    """The modules already imported that a child must import itself (the worker's own excepted)."""
    return sorted(
        name
        for name in sys.modules
        if name.split(".")[0] in own and name not in _WORKER_PACKAGES and not name.startswith("coze_compat.mutations.")
    )


class _Recorder:
    """A pytest plugin that keeps the first failing test and its message's first error line, and
    the tests skipped as not offered."""

    def __init__(self) -> None:
        self.failed: str | None = None
        self.message = ""
        self.not_offered: list[str] = []

    def _keep(self, report: Any) -> None:
        if report.failed and self.failed is None:
            self.failed = str(report.nodeid)
            lines = [line.strip() for line in str(report.longreprtext).splitlines() if line.strip()]
            errors = [line for line in lines if line.startswith("E ")]
            self.message = (errors or lines or [""])[0][:300]

    def pytest_runtest_logreport(self, report: Any) -> None:
        self._keep(report)
        if offered.skipped_as_not_offered(report):
            self.not_offered.append(str(report.nodeid))

    def pytest_collectreport(self, report: Any) -> None:
        self._keep(report)

    def pytest_internalerror(self, excrepr: Any, excinfo: Any) -> None:
        lines = [line.strip() for line in str(excrepr).splitlines() if line.strip()]
        self.message = self.message or ("INTERNALERROR " + (lines[-1] if lines else ""))[:300]


def pytest_args(tests: Sequence[str], test_timeout: float) -> list[str]:
    """The child's pytest arguments: stop at the first failure, no random order, no cache, no coverage.

    pytest warns that it cannot rewrite the asserts of plugin modules the worker imported already
    (respx's): the stories' own modules are imported by the child and rewritten as usual."""
    return [
        *tests,
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "-x",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "--no-cov",
        "-o",
        f"timeout={test_timeout:g}",
    ]


def _child(scratch: Path, args: list[str], write: int) -> None:  # pragma: no cover - runs in the forked child
    """Run pytest on the scratch copy and send the Result to ``write``; never returns. pytest's
    output goes to ``scratch/output.txt``: when pytest itself fails (exit code 2-4) its last
    lines are the message."""
    code = 3
    recorder = _Recorder()
    output = scratch / "output.txt"
    try:
        handle = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(handle, 1)
        os.dup2(handle, 2)
        sys.stdout = sys.stderr = open(handle, "w", closefd=False)  # noqa: SIM115 - the child ends with os._exit
        sys.path.insert(0, str(scratch))
        import pytest

        code = int(pytest.main(args, plugins=[recorder]))
    except BaseException as error:  # the result says what went wrong instead of a silent exit code
        recorder.message = recorder.message or f"{type(error).__name__}: {error}"[:300]
    finally:
        if code not in (0, 1) and not recorder.message:
            sys.stdout.flush()
            recorder.message = last_lines(output.read_text(encoding="utf-8", errors="replace"))
        payload = {
            "exit": code,
            "failed": recorder.failed,
            "message": recorder.message,
            "not_offered": recorder.not_offered,
        }
        os.write(write, json.dumps(payload).encode("utf-8"))
        os._exit(0)


def last_lines(text: str, count: int = 3, width: int = 300) -> str:
    """The last ``count`` non-empty lines of pytest's output, joined, at most ``width`` characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-count:])[-width:]


def run_one(scratch: Path, args: list[str], timeout: float) -> Result:
    """Fork, run the stories in the child, wait at most ``timeout`` seconds (then kill it)."""
    read, write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        _child(scratch, args, write)
    os.close(write)
    chunks: list[bytes] = []
    deadline = started + timeout
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([read], [], [], left)
        if ready:
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    seconds = round(time.monotonic() - started, 3)
    if timed_out:
        return Result(-1, None, f"killed after {timeout:g} s", True, seconds)
    try:
        payload = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        payload = {}
    if "exit" not in payload:
        return Result(-1, None, "the child died without a result", False, seconds)
    return Result(
        int(payload["exit"]),
        payload["failed"],
        str(payload["message"]),
        False,
        seconds,
        tuple(payload.get("not_offered", ())),
    )


def _pyc_paths(target: Path) -> list[Path]:
    return list((target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"))


@contextlib.contextmanager
def mutated(target: Path, source: str | None) -> Any:
    """``target`` holds ``source`` inside the block (and no compiled copy of either version can be
    picked up by mistake: a pyc records only the source's size and mtime in seconds)."""
    if source is None:
        yield
        return
    original = target.read_bytes()
    try:
        target.write_text(source, encoding="utf-8")
        for pyc in _pyc_paths(target):
            pyc.unlink()
        yield
    finally:
        target.write_bytes(original)
        for pyc in _pyc_paths(target):
            pyc.unlink()


def serve(scratch: Path, test_timeout: float, lines: Iterable[str], out: Any) -> None:
    """Answer each job line with a result line until the input ends."""
    package = scratch / "cozepy"
    for line in lines:
        if not line.strip():
            continue
        job = json.loads(line)
        with mutated(package / job["file"], job["source"]):
            result = run_one(scratch, pytest_args(job["tests"], test_timeout), float(job["timeout"]))
        out.write(json.dumps(asdict(result)) + "\n")
        out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m coze_compat.mutations.worker", description=__doc__)
    parser.add_argument("scratch", type=Path, help="a folder holding the copy of cozepy to mutate (scratch/cozepy)")
    parser.add_argument("--test-timeout", type=float, required=True, help="pytest-timeout per test, seconds")
    parser.add_argument(
        "--preload-from", type=Path, nargs="*", default=[], help="files or folders whose imports to preload"
    )
    args = parser.parse_args(argv)
    failed = preload(third_party_imports([args.scratch / "cozepy", *args.preload_from]))
    if failed:
        print(f"not preloaded (a child imports them if it can): {', '.join(failed)}", file=sys.stderr)
    serve(args.scratch, args.test_timeout, sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
