"""Recognising a broken constraints file before a cell installs from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coze_compat import constraints, matrix


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cozepy-0.20.0.txt"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = constraints.header("0.20.0") + "cozepy==0.20.0\n    # via -r cozepy.in\nhttpx==0.28.1\n"


def test_good_file_passes(tmp_path: Path) -> None:
    """Given a file with the header, the cozepy pin and exact pins,
    When it is checked,
    Then no error is raised."""
    constraints.check(write(tmp_path, GOOD), "0.20.0")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cozepy==0.20.0\n", "does not start with the coze-compat header for cozepy 0.20.0"),
        (constraints.header("0.19.0") + "cozepy==0.20.0\n", "does not start with the coze-compat header"),
        (constraints.header("0.20.0") + "httpx==0.28.1\n", "must pin exactly cozepy==0.20.0, found: no cozepy pin"),
        (constraints.header("0.20.0") + "cozepy==0.19.0\n", "must pin exactly cozepy==0.20.0, found: 0.19.0"),
        (GOOD + "cozepy==0.20.0 ; python_version < '3.9'\n", "found: 0.20.0, 0.20.0"),
        (GOOD + "pydantic>=2\n", ":10: 'pydantic>=2' is not an exact pin (name==version)"),
        ("", "does not start with the coze-compat header"),
    ],
    ids=["no-header", "other-release-header", "no-pin", "wrong-pin", "two-pins", "range", "empty"],
)
def test_broken_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    """Given a constraints file that is broken in one way,
    When it is checked,
    Then the error names the file, the problem and the command that regenerates it."""
    path = write(tmp_path, text)

    with pytest.raises(constraints.ConstraintsError) as raised:
        constraints.check(path, "0.20.0")

    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)
    assert str(raised.value).endswith("regenerate it with `nox -s constraints -- 0.20.0`")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """Given no constraints file,
    When it is checked,
    Then the error says it is missing and how to make it."""
    with pytest.raises(constraints.ConstraintsError, match=r"cozepy-0\.20\.0\.txt is missing; regenerate it with"):
        constraints.check(tmp_path / "cozepy-0.20.0.txt", "0.20.0")


def test_check_all_reports_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given two releases whose files are missing,
    When all are checked,
    Then there is one readable line per release, and none for a good file."""
    monkeypatch.setattr(matrix, "CONSTRAINTS_DIR", tmp_path)
    write(tmp_path, GOOD)

    problems = constraints.check_all(["0.20.0", "0.19.0", "0.2.0"])

    assert [problem.split(" is missing")[0] for problem in problems] == [
        str(tmp_path / "cozepy-0.19.0.txt"),
        str(tmp_path / "cozepy-0.2.0.txt"),
    ]


def test_header_says_how_the_file_was_made() -> None:
    """Given the header of a release's constraints file,
    When it is read,
    Then it names the release, the Python range and the exact compile command."""
    header = constraints.header("0.2.0")

    assert header.startswith("# coze-compat constraints for cozepy 0.2.0 + the `test` dependency group")
    assert "Python 3.8-3.14" in header
    assert "uv pip compile --universal --python-version 3.8 --group pyproject.toml:test" in header
    assert "'nox -s constraints -- 0.2.0'" in header


def test_tool_commands() -> None:
    """Given the tool and bootstrap pins,
    When their compile commands are built,
    Then tools agree with the newest release's pins and bootstrap covers the Pythons nox runs on."""
    newest = matrix.constraints_path("0.20.0")

    tools = constraints.tools_command(newest)
    bootstrap = constraints.bootstrap_command()

    assert tools[tools.index("--constraint") + 1] == "src/coze_compat/data/constraints/cozepy-0.20.0.txt"
    assert "pyproject.toml:lint" in tools
    assert "pyproject.toml:typecheck" in tools
    assert bootstrap[bootstrap.index("--python-version") + 1] == "3.10"
    assert constraints.tools_header(["uv", "pip", "compile", "a b"]).splitlines()[1] == "#   uv pip compile 'a b'"
