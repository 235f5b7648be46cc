"""The version table and the constraints files it points at."""

from __future__ import annotations

import pytest

from coze_compat import constraints, matrix


def test_cells_cover_every_python_and_pinned_release() -> None:
    """Given the version table,
    When its cells are listed,
    Then there is one per Python and pinned release, plus a latest cell per Python, in that order."""
    cells = list(matrix.cells())

    expected = [(python, release) for release in (*matrix.pinned_releases(), "latest") for python in matrix.PYTHONS]
    assert [(cell.python, cell.cozepy) for cell in cells] == expected
    assert cells[0].id == "py3.8-cozepy0.2.0"
    assert cells[-1].id == "py3.14-cozepylatest"


def test_pinned_releases_are_the_newest_patch_of_each_minor_line() -> None:
    """Given every release the table knows,
    When the pinned ones are compared with the rest,
    Then each minor line from 0.2 to 0.20 has exactly one pinned release, its newest patch."""
    newest_by_minor: dict[tuple[int, int], str] = {}
    for entry in matrix.RELEASES:
        if entry.status != matrix.EXCLUDED:
            newest_by_minor[entry.minor] = entry.version

    assert matrix.pinned_releases() == tuple(newest_by_minor.values())
    assert [minor for _, minor in newest_by_minor] == list(range(2, 21))
    assert (matrix.oldest_pinned(), matrix.newest_pinned()) == ("0.2.0", "0.20.0")


def test_excluded_and_superseded_releases_have_reasons() -> None:
    """Given the releases the matrix does not run,
    When their entries are read,
    Then each says why: 0.1.0 cannot be imported, older patches are superseded by the pinned one."""
    not_run = [entry for entry in matrix.RELEASES if entry.status != matrix.PINNED]

    assert all(entry.reason for entry in not_run)
    assert matrix.release("0.1.0").status == matrix.EXCLUDED
    assert "ModuleNotFoundError" in matrix.release("0.1.0").reason
    assert matrix.release("0.6.0").reason == "superseded by 0.6.2, the newest patch of its minor line"


def test_excluded_cell_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a (Python, release) cell the table excludes with a reason,
    When the cells are listed,
    Then that cell is absent and its reason is available to the report."""
    monkeypatch.setitem(matrix.EXCLUDED_CELLS, ("3.14", "0.2.0"), "no wheel")

    ids = [cell.id for cell in matrix.cells()]

    assert "py3.14-cozepy0.2.0" not in ids
    assert "py3.13-cozepy0.2.0" in ids
    assert matrix.excluded_cell_reason("3.14", "0.2.0") == "no wheel"


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.99.0", "cozepy 0.99.0 is not in the version table (src/coze_compat/matrix.py); known releases: 0.1.0,"),
        ("latest-ish", "'latest-ish' is not a cozepy release version (expected MAJOR.MINOR.PATCH, e.g. 0.20.0)"),
        ("0.20", "'0.20' is not a cozepy release version"),
    ],
)
def test_unknown_version_is_a_clear_error(version: str, message: str) -> None:
    """Given a version the table does not know, or that is not a version at all,
    When its constraints file is asked for,
    Then the error says what is wrong and what is known."""
    with pytest.raises(matrix.UnknownReleaseError) as raised:
        matrix.constraints_path(version)

    assert str(raised.value).startswith(message)


def test_a_release_not_run_has_no_constraints_file() -> None:
    """Given a superseded release,
    When its constraints file is asked for,
    Then the error says it is not run and why."""
    with pytest.raises(matrix.UnknownReleaseError, match=r"cozepy 0\.6\.1 is not run by the matrix: superseded"):
        matrix.constraints_path("0.6.1")


def test_latest_cell_has_no_constraints_file() -> None:
    """Given the latest cell and a pinned cell,
    When their constraints files are asked for,
    Then latest has none and the pinned one points into constraints/."""
    assert matrix.Cell("3.11", "latest").constraints is None
    assert matrix.Cell("3.11", "0.2.0").constraints == matrix.CONSTRAINTS_DIR / "cozepy-0.2.0.txt"


@pytest.mark.parametrize("version", matrix.pinned_releases())
def test_every_pinned_release_has_a_valid_constraints_file(version: str) -> None:
    """Given a pinned release,
    When its constraints file in the repository is checked,
    Then it exists, carries the header, and pins exactly that cozepy with exact pins only."""
    constraints.check(matrix.constraints_path(version), version)
