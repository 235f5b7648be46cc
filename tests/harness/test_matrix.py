"""The version table and the constraints files it points at."""

from __future__ import annotations

from pathlib import Path

import pytest

from coze_compat import constraints, matrix
from coze_compat.report.derive import version_key


def test_cells_cover_every_python_and_pinned_release() -> None:
    """Given the version table,
    When its cells are listed,
    Then there is one per Python and pinned release, plus a latest cell per Python, in that order."""
    cells = list(matrix.cells())

    expected = [(python, release) for release in (*matrix.pinned_releases(), "latest") for python in matrix.PYTHONS]
    assert [(cell.python, cell.cozepy) for cell in cells] == expected
    assert cells[0].id == "py3.8-cozepy0.2.0"
    assert cells[-1].id == "py3.14-cozepylatest"


def test_every_importable_release_is_pinned() -> None:
    """Given every release the table knows (0.1.0-0.20.0, patches included),
    When the pinned ones are compared with the rest,
    Then every release but the excluded 0.1.0 is pinned, oldest first, patches included."""
    pinned = matrix.pinned_releases()

    assert [entry.version for entry in matrix.RELEASES if entry.status == matrix.EXCLUDED] == ["0.1.0"]
    assert pinned == matrix.known_versions()[1:]
    assert {"0.6.0", "0.6.1", "0.10.2", "0.16.1"} <= set(pinned)
    assert (matrix.oldest_pinned(), matrix.newest_pinned(), len(pinned)) == ("0.2.0", "0.20.0", 29)


def test_newest_patches_are_one_per_minor_line() -> None:
    """Given the pinned releases,
    When the quick subset (the newest patch of each minor line) is taken,
    Then it has one release per minor line 0.2-0.20, the newest of its patches."""
    newest = matrix.newest_patches()

    assert [matrix.minor_line(version) for version in newest] == [f"0.{minor}" for minor in range(2, 21)]
    assert {"0.6.2", "0.9.1", "0.10.4", "0.13.1", "0.16.2"} <= set(newest)
    assert matrix.minor_lines()["0.10"] == ("0.10.0", "0.10.1", "0.10.2", "0.10.3", "0.10.4")


@pytest.mark.parametrize(
    ("releases", "expected"),
    [
        ("<0.3.0", ("0.2.0",)),
        (">=0.6.0,<0.7.0", ("0.6.0", "0.6.1", "0.6.2")),
        ("==0.10.*", ("0.10.0", "0.10.1", "0.10.2", "0.10.3", "0.10.4")),
        (("0.2.0", "0.20"), ("0.2.0", "0.20.0")),
        (("==0.3.0", ">=0.10.3,<0.11.0"), ("0.3.0", "0.10.3", "0.10.4")),
    ],
)
def test_release_ranges(releases: object, expected: tuple[str, ...]) -> None:
    """Given a range of releases as a PEP 440 specifier or as explicit versions,
    When the pinned releases in it are listed,
    Then they are exactly those, oldest first (``0.20`` is ``0.20.0``)."""
    assert matrix.releases_in(releases) == expected  # type: ignore[arg-type]


def test_excluded_release_has_a_reason() -> None:
    """Given the releases the matrix does not run,
    When their entries are read,
    Then each says why: 0.1.0 cannot be imported."""
    not_run = [entry for entry in matrix.RELEASES if entry.status != matrix.PINNED]

    assert all(entry.reason for entry in not_run)
    assert "ModuleNotFoundError" in matrix.release("0.1.0").reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "cannot read the version table"),
        ('{"releases": []}', "lists no release"),
        ('{"releases": [{"version": "0.2.x"}]}', "is not a cozepy release version"),
        ('{"releases": [{"version": "0.2.0", "status": "maybe"}]}', "status 'maybe' is not one of pinned, excluded"),
        ('{"releases": [{"version": "0.2.0", "status": "excluded"}]}', "needs a reason"),
        ('{"releases": [{"version": "0.3.0"}, {"version": "0.2.0"}]}', "oldest first"),
        ('{"releases": [{"version": "0.2"}, {"version": "0.2.0"}]}', "listed twice"),
    ],
)
def test_a_broken_table_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    """Given a version table file that is broken in some way,
    When it is read,
    Then the error names the file, what is wrong and how to fix it."""
    path = tmp_path / "releases.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(matrix.TableError) as raised:
        matrix.read_table(path)

    assert str(path) in str(raised.value)
    assert message in str(raised.value)
    assert "fix the file" in str(raised.value)


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
        ("0.99.0", "cozepy 0.99.0 is not in the version table (src/coze_compat/data/releases.json); known releases:"),
        ("latest-ish", "'latest-ish' is not a cozepy release version (a PEP 440 version such as 0.20.0"),
        ("0.1.0", "cozepy 0.1.0 is not run by the matrix: excluded, cannot be imported"),
    ],
)
def test_unknown_version_is_a_clear_error(version: str, message: str) -> None:
    """Given a version the table does not know, or that is not a version at all,
    When its constraints file is asked for,
    Then the error says what is wrong and what is known."""
    with pytest.raises(matrix.UnknownReleaseError) as raised:
        matrix.constraints_path(version)

    assert str(raised.value).startswith(message)


def test_a_version_spelled_differently_finds_its_release() -> None:
    """Given a release written without its trailing zero (PEP 440: 0.20 is 0.20.0),
    When its constraints file is asked for,
    Then it is the file of 0.20.0."""
    assert matrix.constraints_path("0.20") == matrix.CONSTRAINTS_DIR / "cozepy-0.20.0.txt"


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


def test_report_sorts_versions_by_pep440() -> None:
    """Given cozepy versions of any PEP 440 form, Python versions, and text that is no version,
    When the report sorts them (``derive.version_key``, through ``packaging``),
    Then 0.9.1 < 0.10.0 < 0.21.0rc1 < 0.21.0 < 0.21.0.post1 < 1.0, 3.9 < 3.10, and the text sorts last."""
    versions = ["latest", "1.0", "0.21.0.post1", "0.10.0", "0.21.0", "0.21.0rc1", "0.9.1"]

    assert sorted(versions, key=version_key) == [
        "0.9.1",
        "0.10.0",
        "0.21.0rc1",
        "0.21.0",
        "0.21.0.post1",
        "1.0",
        "latest",
    ]
    assert sorted(["3.10", "3.9", "3.14", "3.8"], key=version_key) == ["3.8", "3.9", "3.10", "3.14"]
