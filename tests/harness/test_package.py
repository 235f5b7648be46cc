"""coze-compat as a team installs it: the wheel, the plugin outside this repository, the team matrix.

The wheel is built once (``uv build``) and installed with uv into fresh venvs in temporary folders,
far from this checkout (no ``src/`` on the path, no ``tests/`` layout, no ``COZE_COMPAT_RESULTS``):

* the wheel holds the harness with its data (the version table, the dependency data, every pinned
  set) and registers the pytest plugin and the ``coze-compat`` command;
* the plugin's fixtures and markers work on the oldest and the newest pinned release;
* ``examples/assistant`` (a team's backend module, its tests and its noxfile) runs across four
  releases with nox and the installed wheel, ending in a report and upgrade advice that show what
  each release does to it.

These tests install from PyPI (or uv's cache, which the matrix warms): each runs uv and nox in
subprocesses, so they are slower than the other harness tests (about 15 s and 40 s here).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from email.parser import HeaderParser
from pathlib import Path
from typing import Sequence

import pytest

from coze_compat import matrix

ROOT = matrix.PROJECT_ROOT
EXAMPLE = ROOT / "examples" / "assistant"
BOOTSTRAP = ROOT / "constraints" / "bootstrap.txt"
#: Seconds a single uv or nox call may take (installing from PyPI on a cold cache included).
COMMAND_TIMEOUT = 480


def uv() -> str:
    found = shutil.which("uv")
    assert found, "uv is not on PATH: these tests install the wheel with uv (pip install -r constraints/bootstrap.txt)"
    return found


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what would tie a subprocess to this checkout or session:
    the session's venv (VIRTUAL_ENV, its bin on PATH), PYTHONPATH, a matrix cell's results folder, nox's own;
    ``PATH`` in ``extra`` goes first."""
    dropped = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTEST_ADDOPTS", "COVERAGE_FILE", matrix.RESULTS_ENV}
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in dropped and not name.startswith(("NOX_", "UV_PROJECT", "UV_PYTHON"))
    }
    venvs = str(ROOT / ".nox")
    paths = [part for part in environment.get("PATH", "").split(os.pathsep) if not part.startswith(venvs)]
    environment["PATH"] = os.pathsep.join([*([extra.pop("PATH")] if "PATH" in extra else []), *paths])
    return {**environment, **extra}


def run(command: Sequence[str | Path], cwd: Path, **environment: str) -> str:
    """Run ``command``; its output, or a failure showing it."""
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"{' '.join(map(str, command))} exited {completed.returncode}:\n{output[-6000:]}"
    return output


def venv(folder: Path, *requirements: str, python: str = matrix.TOOLS_PYTHON) -> Path:
    """A fresh venv of Python ``python`` in ``folder`` with ``requirements`` (pip arguments); its python."""
    run([uv(), "venv", "--quiet", "--python", python, folder], cwd=folder.parent)
    interpreter = folder / "bin" / "python"
    run([uv(), "pip", "install", "--quiet", "--python", interpreter, *requirements], cwd=folder.parent)
    return interpreter


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel ``uv build`` makes of this checkout (the wheel built from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    run([uv(), "build", "--quiet", "--out-dir", out, ROOT], cwd=out)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == len(sdists) == 1, sorted(path.name for path in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


def test_wheel_ships_the_harness_with_its_data(dist: dict[str, Path]) -> None:
    """Given the wheel uv builds,
    When its contents and metadata are read,
    Then it holds the version table, the dependency data and every pinned set, is typed, depends on
    what the fake and the plugin need, and registers the plugin under its module name and the command."""
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
        info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        metadata = HeaderParser().parsestr(wheel.read(f"{info}/METADATA").decode())

    data = {f"coze_compat/data/constraints/cozepy-{version}.txt" for version in matrix.pinned_releases()}
    data |= {"coze_compat/data/releases.json", "coze_compat/data/dependencies.json", "coze_compat/py.typed"}
    data |= {"coze_compat/data/endpoints.json", "coze_compat/fake/__init__.py", "coze_compat/fake/coverage.py"}
    assert data <= names
    assert "[pytest11]\ncoze_compat.pytest_plugin = coze_compat.pytest_plugin" in entry_points
    assert "[console_scripts]\ncoze-compat = coze_compat.cli:main" in entry_points
    requires = sorted(str(line) for line in metadata.get_all("Requires-Dist") or [])
    assert requires == [
        "httpx>=0.24",
        "hypothesis>=6 ; extra == 'property'",
        "packaging>=20",
        "pytest>=8",
        "respx>=0.20.2",
    ]
    assert metadata["Requires-Python"] == ">=3.8"


def test_sdist_holds_the_tests_and_the_example(dist: dict[str, Path]) -> None:
    """Given the sdist uv builds,
    When its file list is read,
    Then the matrix can be run from it: the noxfile, the tests, the tool pins, the example and the docs are there."""
    import tarfile

    with tarfile.open(dist["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}

    assert {
        "noxfile.py",
        "README.md",
        "constraints/bootstrap.txt",
        "tests/conftest.py",
        "tests/harness/test_package.py",
        "examples/assistant/noxfile.py",
        "examples/assistant/tests/test_assistant.py",
        "src/coze_compat/data/releases.json",
        "docs/fake.md",
        "docs/endpoints.md",
    } <= names


TEAM_CONFTEST = 'pytest_plugins = ["coze_compat.pytest_plugin"]  # as this repository does: no double load\n'
TEAM_TESTS = """
import pytest
from coze_compat.fake.bots import BotRecord

BOT = "7379462189365198898"

def test_sync_client(coze_api, coze, coze_api_token):
    coze_api.bots.add(BotRecord(bot_id=BOT, name="Helper"))
    coze_api.bots.retrieve()
    assert coze.bots.retrieve(bot_id=BOT).name == "Helper"
    assert coze_api.last_request().headers["authorization"] == "Bearer " + coze_api_token

@pytest.mark.needs("async_client")
@pytest.mark.anyio
async def test_async_client(coze_api, async_coze):
    coze_api.bots.add(BotRecord(bot_id=BOT, name="Helper"))
    coze_api.bots.retrieve()
    assert (await async_coze.bots.retrieve(bot_id=BOT)).name == "Helper"

def test_unregistered_call(coze):
    coze.bots.retrieve(bot_id=BOT)
"""


@pytest.mark.timeout(COMMAND_TIMEOUT * 3)
@pytest.mark.parametrize(
    ("release", "python"), [(matrix.oldest_pinned(), matrix.PYTHONS[0]), (matrix.newest_pinned(), "3.13")]
)
def test_plugin_fixtures_work_installed(dist: dict[str, Path], release: str, python: str, tmp_path: Path) -> None:
    """Given a team's project outside this repository, with the wheel and a pinned release installed
    (the oldest release on the oldest Python, the newest on Python 3.13),
    When its tests use the plugin's fixtures and markers under --strict-markers (and its conftest names the plugin too),
    Then the clients reach the fake, the async one is not offered before AsyncCoze existed, a call the
    test did not register fails naming the request, and nothing is recorded outside the matrix."""
    pins = str(matrix.constraints_path(release))
    interpreter = venv(tmp_path / "venv", "-c", pins, f"cozepy=={release}", str(dist["wheel"]), python=python)
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "conftest.py").write_text(TEAM_CONFTEST, encoding="utf-8")
    (project / "tests" / "test_team.py").write_text(TEAM_TESTS, encoding="utf-8")

    completed = subprocess.run(
        [str(interpreter), "-m", "pytest", "-p", "no:cacheprovider", "--strict-markers", "-rfs", "tests"],
        cwd=project,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )

    output = completed.stdout + completed.stderr
    assert f"platform linux -- Python {python}." in output, output
    if release == matrix.oldest_pinned():
        assert "1 failed, 1 passed, 1 skipped" in output, output
        assert f"not offered by cozepy {release}: AsyncCoze (the async client)" in output, output
    else:
        assert "1 failed, 2 passed" in output, output
    assert "FAILED tests/test_team.py::test_unregistered_call - " in output, output
    assert "<Request('GET', 'https://api.coze.com/v1/bot/get_online_info?bot_id=7379462189365198898')>" in output, (
        output
    )
    assert list(project.rglob("environment.json")) == []


#: The example's tests and what each release of its matrix does to them (worst state across Pythons).
EXAMPLE_RELEASES = ("0.13.1", "0.16.2", "0.17.0", "0.20.0")
EXAMPLE_STATES = {
    "test_ask_streams_the_whole_answer_with_its_usage": ("pass", "pass", "pass", "pass"),
    "test_ask_survives_an_event_from_a_newer_service": ("known", "pass", "pass", "pass"),
    "test_conversation_keeps_its_context": ("pass", "pass", "pass", "pass"),
    "test_workflow_asks_and_resumes_with_the_answer": ("known", "pass", "pass", "pass"),
    "test_workflow_reports_its_token_usage": ("not-offered", "not-offered", "not-offered", "pass"),
    "test_bot_model_is_shown": ("pass", "pass", "known", "pass"),
    "test_revoked_token_is_not_authorized": ("pass", "pass", "pass", "pass"),
    "test_unknown_workflow_is_not_found": ("pass", "pass", "pass", "pass"),
}


@pytest.fixture(scope="module")
def example_run(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The example copied out of the repository and run with nox and the installed wheel: its folder,
    the tools' python, and nox's output."""
    where = tmp_path_factory.mktemp("team")
    python = venv(where / "tools", "-c", str(BOOTSTRAP), "nox", str(dist["wheel"]))
    project = where / "assistant"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".nox", "results", "__pycache__"))
    output = run([python.parent / "nox"], cwd=project, PATH=str(python.parent))
    return project, python, output


@pytest.mark.timeout(COMMAND_TIMEOUT * 3)
def test_example_matrix_reports_each_release(example_run: tuple[Path, Path, str]) -> None:
    """Given the example team project (examples/assistant) outside the repository with the wheel installed,
    When its noxfile runs its tests across four releases and the report,
    Then the report shows its one test module with each release's state: the known breaks of 0.13.1
    and 0.17.0 with their bug ids, the workflow usage not offered before 0.20.0."""
    project, _, output = example_run
    report = json.loads((project / "results" / "report" / "report.json").read_text(encoding="utf-8"))

    assert [column["release"] for column in report["releases"]] == list(EXAMPLE_RELEASES)
    assert [(block["story"], block["title"]) for block in report["stories"]] == [
        ("tests/test_assistant.py", "test module")
    ]
    codes = {"P": "pass", "K": "known", "O": "not-offered", "F": "fail", "I": "not-installable", "R": "not-run"}
    states = {test["nodeid"].rsplit("::", 1)[1]: test["states"] for test in report["stories"][0]["tests"]}
    assert {name: tuple(codes[code] for code in line) for name, line in states.items()} == EXAMPLE_STATES
    bugs = {
        (test["nodeid"].rsplit("::", 1)[1], release): entry["bug"]
        for entry in report["findings"]["breaks"]
        for test in entry["tests"]
        for release in test["releases"]
    }
    assert bugs == {
        ("test_ask_survives_an_event_from_a_newer_service", "0.13.1"): "unknown-event-ends-stream",
        ("test_workflow_asks_and_resumes_with_the_answer", "0.13.1"): "workflow-resume-sends-id",
        ("test_bot_model_is_shown", "0.17.0"): "bots-model-name-dropped",
    }
    assert "## Upgrading cozepy 0.13.1 \u2192 0.20.0" in output
    assert (project / "results" / "report" / "report.html").read_text(encoding="utf-8").count('id="upgrade"') == 1


@pytest.mark.timeout(COMMAND_TIMEOUT)
@pytest.mark.parametrize("source", ["results", "report"])
def test_example_upgrade_advice(example_run: tuple[Path, Path, str], source: str) -> None:
    """Given the example's matrix results (the results folder, or the report.json written from it),
    When coze-compat upgrade is asked about 0.13.1 -> 0.20.0,
    Then it names the feature gained, the two bugs fixed, the break on the way (gone by 0.20.0) and
    the httpx floor moving from 0.27.0 to 0.28.0, the same from either source."""
    project, python, _ = example_run
    where = ["--results", "results"] if source == "results" else ["--report", "results/report/report.json"]

    output = run(
        [python, "-m", "coze_compat", "upgrade", "--from", "0.13.1", "--to", "0.20.0", *where, "--format", "json"],
        cwd=project,
    )

    advice = json.loads(output)
    assert advice["path"] == list(EXAMPLE_RELEASES)
    assert [(gain["feature"], gain["release"]) for gain in advice["gains"]] == [
        ("WorkflowEventMessage.usage (token usage on streamed workflow messages)", "0.20.0")
    ]
    assert sorted((fix["bugs"], fix["releases"], fix["tests"]) for fix in advice["fixes"]) == [
        (
            ["unknown-event-ends-stream"],
            ["0.16.2"],
            ["tests/test_assistant.py::test_ask_survives_an_event_from_a_newer_service"],
        ),
        (
            ["workflow-resume-sends-id"],
            ["0.16.2"],
            ["tests/test_assistant.py::test_workflow_asks_and_resumes_with_the_answer"],
        ),
    ]
    assert [(item["bugs"], item["releases"], item["remains"]) for item in advice["new_breaks"]] == [
        (["bots-model-name-dropped"], ["0.17.0"], False)
    ]
    assert advice["stays"] == advice["losses"] == advice["not_compared"] == []
    httpx = next(move for move in advice["dependencies"] if move["name"] == "httpx")
    assert (httpx["floor_before"], httpx["floor_after"], httpx["installs_before"], httpx["installs_after"]) == (
        "0.27.0",
        "0.28.0",
        False,
        True,
    )
