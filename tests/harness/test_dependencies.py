"""What each release installs next to: its metadata, the resolver's verdicts, the data file, the groups.

uv is never run and PyPI never asked: ``FakeUv`` answers the calls ``compute`` makes with what
uv 0.13.9 printed on 2026-12-01 (``nox -s dependencies``), and writes the recorded ``METADATA``
headers of ``data/metadata/`` where ``uv pip install --target`` would.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from coze_compat import dependencies, matrix
from coze_compat.dependencies import BOTH, DependenciesError, Entry, Range, Table, Verdict
from coze_compat.report import build
from coze_compat.report.__main__ import main as report_main
from coze_compat.report.html import render_html
from coze_compat.report.markdown import render_markdown

DATA = Path(__file__).parent / "data"
METADATA = DATA / "metadata"
FIXTURE = DATA / "dependencies.json"
CURRENT = {"httpx": "0.28.1", "pydantic": "2.14.4"}
COMPILE = ["uv", "pip", "compile", "--python-version", "3.12", "--no-header", "--no-annotate", "--quiet", "-"]
#: uv 0.13.9's answer to `cozepy==0.2.0` + `httpx==0.28.1` (exit 1), as recorded.
CONFLICT = (
    "error: No solution found when resolving dependencies\n"
    "  cause: Because cozepy==0.2.0 depends on httpx>=0.24.0,<0.25.0 and you require cozepy==0.2.0, we can "
    "conclude that you require httpx>=0.24.0,<0.25.0.\n"
    "         And because you require httpx==0.28.1, we can conclude that your requirements are unsatisfiable.\n"
)
REASON = (
    "Because cozepy==0.2.0 depends on httpx>=0.24.0,<0.25.0 and you require cozepy==0.2.0, we can conclude that "
    "you require httpx>=0.24.0,<0.25.0. And because you require httpx==0.28.1, we can conclude that your "
    "requirements are unsatisfiable."
)
HTTPX_024 = (Range(">=0.24.0,<0.25.0"),)
PYDANTIC_2 = (Range(">=2.5.0,<3.0.0"),)


class FakeUv:
    """The uv calls of ``compute``, answered as uv 0.13.9 answered them; records every call."""

    def __init__(self, version_code: int = 0) -> None:
        self.calls: list[tuple[list[str], str]] = []
        self.version_code = version_code

    def __call__(self, argv: Sequence[str], stdin: str) -> tuple[int, str]:
        self.calls.append((list(argv), stdin))
        if list(argv) == ["uv", "--version"]:
            return self.version_code, "uv 0.13.9 (x86_64-unknown-linux-gnu)\n"
        if list(argv[:3]) == ["uv", "pip", "install"]:
            version = argv[-1].split("==")[1]
            target = Path(argv[argv.index("--target") + 1]) / f"cozepy-{version}.dist-info"
            target.mkdir(parents=True)
            (target / "METADATA").write_text((METADATA / f"cozepy-{version}.METADATA").read_text("utf-8"), "utf-8")
            return 0, ""
        assert list(argv) == COMPILE
        requirements = stdin.split()
        if requirements == ["httpx", "pydantic"]:
            return 0, "annotated-types==0.8.0\nhttpx==0.28.1\npydantic==2.14.4\npydantic-core==2.50.5\n"
        if "cozepy==0.2.0" in requirements and "httpx==0.28.1" in requirements:
            return 1, CONFLICT
        return 0, "cozepy==0.20.0\nhttpx==0.28.1\npydantic==2.14.4\n"


def entry(version: str, httpx: bool = True, reason: str = "", requires: tuple[Range, ...] = HTTPX_024) -> Entry:
    verdict = Verdict(httpx, reason)
    return Entry(
        version,
        ">=3.7,<4.0",
        {"httpx": requires, "pydantic": PYDANTIC_2},
        {"httpx": verdict, "pydantic": Verdict(True), BOTH: verdict},
    )


def table(*entries: Entry, path: Path = FIXTURE) -> Table:
    return Table("2026-12-01", "3.12", "uv 0.13.9", CURRENT, entries, path)


# -- the metadata ----------------------------------------------------------------------------------


def test_metadata_gives_the_ranges_with_their_markers() -> None:
    """Given cozepy 0.6.0's METADATA (two httpx lines, each under its marker),
    When it is parsed,
    Then Requires-Python and both httpx ranges come out in the file's order, lower bound first,
    with their markers, and pydantic's range has no marker; other packages are left out."""
    text = (METADATA / "cozepy-0.6.0.METADATA").read_text(encoding="utf-8")

    requires_python, requires = dependencies.parse_metadata(text)

    assert requires_python == ">=3.7,<4.0"
    assert requires == {
        "httpx": (
            Range(">=0.24.0,<0.25.0", 'python_full_version <= "3.7.0"'),
            Range(">=0.27.0,<0.28.0", 'python_version >= "3.8" and python_version < "4.0"'),
        ),
        "pydantic": PYDANTIC_2,
    }


def test_metadata_names_are_normalised_and_odd_ranges_kept() -> None:
    """Given metadata that spells the names with capitals, uses a wildcard, an arbitrary equality and no
    range at all, and lists a package that is neither httpx nor pydantic,
    When it is parsed,
    Then each range is found under its normalised name, as written, and the other package is left out."""
    text = (
        "Metadata-Version: 2.1\nName: cozepy\nRequires-Dist: Pydantic (==2.*)\nRequires-Dist: HTTPX\n"
        'Requires-Dist: httpx (===0.28.1-custom) ; python_version < "3.8"\nRequires-Dist: requests\n'
    )

    assert dependencies.parse_metadata(text) == (
        "",
        {
            "httpx": (Range(""), Range("===0.28.1-custom", 'python_version < "3.8"')),
            "pydantic": (Range("==2.*"),),
        },
    )


def test_a_broken_requires_dist_is_a_clear_error() -> None:
    """Given metadata with a Requires-Dist line that is not a requirement,
    When it is parsed,
    Then the error names the metadata and the line."""
    with pytest.raises(DependenciesError, match=r"cozepy 9\.9\.9 METADATA: Requires-Dist 'httpx \(>=' is not a"):
        dependencies.parse_metadata("Requires-Dist: httpx (>=\n", "cozepy 9.9.9 METADATA")


# -- the resolver ------------------------------------------------------------------------------------


def test_resolvable_pins_install() -> None:
    """Given uv that resolves the requirements (exit 0),
    When a release is checked next to the current httpx,
    Then the verdict is 'installs', and uv got exactly the compile command and the requirements on stdin."""
    uv = FakeUv()

    verdict, _ = dependencies.resolve(uv, "3.12", ["cozepy==0.20.0", "httpx==0.28.1"])

    assert verdict == Verdict(True)
    assert uv.calls == [(COMPILE, "cozepy==0.20.0\nhttpx==0.28.1\n")]


def test_a_conflict_does_not_install_for_uvs_reason() -> None:
    """Given uv that finds no solution (cozepy 0.2.0 pins httpx 0.24),
    When the release is checked next to httpx 0.28.1,
    Then the verdict is 'does not install' with uv's explanation on one line."""
    verdict, _ = dependencies.resolve(FakeUv(), "3.12", ["cozepy==0.2.0", "httpx==0.28.1"])

    assert verdict == Verdict(False, REASON)


@pytest.mark.parametrize(
    "output",
    [
        CONFLICT + "\nhint: The `--python-version` value (>=3.6) includes Python versions that are not supported\n",
        "  \u00d7 No solution found when resolving dependencies:\n  \u2570\u2500\u25b6 "
        + CONFLICT.split("cause: ", 1)[1],
    ],
    ids=["with-hint", "fancy-format"],
)
def test_uvs_reason_drops_hints_and_decoration(output: str) -> None:
    """Given uv's conflict output with a hint after it, or in uv's terminal format,
    When the reason is taken from it,
    Then it is the explanation alone, on one line."""
    assert dependencies.resolver_reason(output) == REASON


def test_a_failure_that_is_no_conflict_stops_the_computation() -> None:
    """Given uv that fails without finding a conflict (PyPI does not answer),
    When a release is checked,
    Then the computation stops with uv's message, never recording 'does not install'."""

    def offline(argv: Sequence[str], stdin: str) -> tuple[int, str]:
        return 2, "error: Failed to fetch: `https://pypi.org/simple/cozepy/`\n  Caused by: dns error\n"

    with pytest.raises(DependenciesError, match=r"failed \(exit 2\) for a reason other than a conflict: error: Fail"):
        dependencies.resolve(offline, "3.12", ["cozepy==0.2.0", "httpx==0.28.1"])


def test_a_release_uv_cannot_fetch_is_a_clear_error() -> None:
    """Given uv that cannot install a release's wheel,
    When its metadata is fetched,
    Then the error names the release and says to check PyPI and run the session again."""

    def missing(argv: Sequence[str], stdin: str) -> tuple[int, str]:
        return 1, "error: No solution found when resolving dependencies: cozepy==9.9.9\n"

    with pytest.raises(DependenciesError, match=r"uv could not fetch cozepy 9\.9\.9 \(exit 1\).*nox -s dependencies"):
        dependencies.release_metadata(missing, "9.9.9")


def test_the_subprocess_runner_passes_stdin_and_returns_the_output() -> None:
    """Given a command that echoes its stdin and writes to stderr,
    When the default runner runs it,
    Then it returns the exit code and stdout followed by stderr."""
    script = "import sys; sys.stdout.write(sys.stdin.read()); sys.stderr.write('err'); sys.exit(3)"

    assert dependencies.subprocess_runner([sys.executable, "-c", script], "in\n") == (3, "in\nerr")


def test_compute_asks_uv_for_everything() -> None:
    """Given uv answering as it did for cozepy 0.2.0 and 0.20.0,
    When the table is computed without current versions,
    Then the current versions, the metadata and each check come from uv, in that order, and the
    table holds every verdict."""
    uv = FakeUv()

    computed = dependencies.compute(uv, ["0.2.0", "0.20.0"], today="2026-12-01")

    assert computed == table(
        entry("0.2.0", httpx=False, reason=REASON),
        entry(
            "0.20.0",
            requires=(
                Range(">=0.24.0,<0.25.0", 'python_version < "3.8"'),
                Range(">=0.28.0,<0.29.0", 'python_version >= "3.8" and python_version < "4.0"'),
            ),
        ),
    )
    stdins = [stdin for argv, stdin in uv.calls if argv == COMPILE]
    assert stdins == [
        "httpx\npydantic\n",
        "cozepy==0.2.0\nhttpx==0.28.1\n",
        "cozepy==0.2.0\npydantic==2.14.4\n",
        "cozepy==0.2.0\nhttpx==0.28.1\npydantic==2.14.4\n",
        "cozepy==0.20.0\nhttpx==0.28.1\n",
        "cozepy==0.20.0\npydantic==2.14.4\n",
        "cozepy==0.20.0\nhttpx==0.28.1\npydantic==2.14.4\n",
    ]
    installs = [argv for argv, _ in uv.calls if argv[:3] == ["uv", "pip", "install"]]
    assert [argv[-1] for argv in installs] == ["cozepy==0.2.0", "cozepy==0.20.0"]
    assert installs[0][:7] == ["uv", "pip", "install", "--no-deps", "--quiet", "--python", sys.executable]


def test_given_current_versions_are_not_resolved() -> None:
    """Given both current versions, and a uv whose --version fails,
    When the table is computed,
    Then uv is not asked for the newest httpx and pydantic, and the resolver is named just 'uv'."""
    uv = FakeUv(version_code=1)

    computed = dependencies.compute(uv, ["0.20.0"], current={"httpx": "0.28.0", "pydantic": "2.12.5"})

    assert computed.current == {"httpx": "0.28.0", "pydantic": "2.12.5"}
    assert computed.resolver == "uv"
    assert "httpx\npydantic\n" not in [stdin for _, stdin in uv.calls]


def test_current_versions_that_uv_does_not_pin_are_an_error() -> None:
    """Given a uv compile of httpx and pydantic whose output pins no pydantic,
    When the current versions are resolved,
    Then the error names what is missing."""

    def odd(argv: Sequence[str], stdin: str) -> tuple[int, str]:
        return 0, "httpx==0.28.1\n"

    with pytest.raises(DependenciesError, match="pinned no pydantic"):
        dependencies.current_versions(odd, "3.12")


def test_the_command_writes_the_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a version table of two pinned releases and uv answering as recorded,
    When `python -m coze_compat.dependencies` runs with the current httpx given,
    Then it writes the data file the report reads, and prints one line per group."""
    monkeypatch.setattr(matrix, "pinned_releases", lambda: ("0.2.0", "0.20.0"))
    out = tmp_path / "dependencies.json"

    assert dependencies.main([f"--out={out}", "--httpx=0.28.1", "--date=2026-12-01"], runner=FakeUv()) == 0

    written = dependencies.load(out)
    assert (written.computed, written.current) == ("2026-12-01", CURRENT)
    assert [item.version for item in written.entries] == ["0.2.0", "0.20.0"]
    assert out.read_text(encoding="utf-8") == dependencies.text(written)


def test_the_command_reports_uv_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given uv that cannot reach PyPI,
    When the command runs,
    Then it exits 2 with the reason and writes nothing."""
    out = tmp_path / "dependencies.json"

    code = dependencies.main([f"--out={out}"], runner=lambda argv, stdin: (2, "error: dns error"))

    assert code == 2
    assert not out.exists()
    assert "error: uv pip compile of httpx, pydantic for Python 3.12 failed (exit 2)" in capsys.readouterr().err


# -- the data file -------------------------------------------------------------------------------------


def test_the_committed_file_covers_every_pinned_release() -> None:
    """Given the committed data file,
    When it is read,
    Then it has exactly the pinned releases of the version table, oldest first, as the writer writes it."""
    committed = dependencies.load()

    dependencies.check_covers(committed, matrix.pinned_releases())
    assert dependencies.FILE.read_text(encoding="utf-8") == dependencies.text(committed)


def test_the_committed_verdicts_agree_with_the_metadata() -> None:
    """Given the committed data file,
    When each release's recorded ranges are evaluated for the reference Python,
    Then a release installs next to the current pins exactly when every range that applies allows them,
    and every 'no' carries uv's reason (a cross-check of the resolver's recorded verdicts)."""
    committed = dependencies.load()
    environment = {"python_version": committed.python, "python_full_version": f"{committed.python}.0"}

    for item in committed.entries:
        for check, names in dependencies.CHECKS.items():
            allowed = all(
                SpecifierSet(r.specifier).contains(committed.current[name])
                for name in names
                for r in item.requires[name]
                if not r.marker or Marker(r.marker).evaluate(environment)
            )
            verdict = item.next_to[check]
            assert verdict.installs is allowed, (item.version, check)
            assert bool(verdict.reason) is not verdict.installs, (item.version, check)


def test_the_fixture_file_is_a_corner_of_the_committed_one() -> None:
    """Given the report tests' data file (cozepy 0.2.0, 0.6.2 and 0.20.0),
    When it is compared with the committed one,
    Then its entries are the committed entries of those releases, computed the same way."""
    committed, fixture = dependencies.load(), dependencies.load(FIXTURE)

    assert dependencies.header_json(fixture) == dependencies.header_json(committed)
    assert fixture.entries == tuple(committed.entry(item.version) for item in fixture.entries)


def _broken(tmp_path: Path, edit: str) -> Path:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    release = data["releases"][0]
    if edit == "schema":
        data["schema"] = "other/1"
    elif edit == "current":
        data["current"] = {"httpx": "0.28.1"}
    elif edit == "releases":
        data["releases"] = {}
    elif edit == "release":
        data["releases"] = [["0.2.0"]]
    elif edit == "computed":
        del data["computed"]
    elif edit == "next_to":
        del release["next_to"][BOTH]
    elif edit == "installs":
        release["next_to"]["httpx"]["installs"] = "no"
    elif edit == "requires":
        release["requires"]["httpx"] = ">=0.24"
    elif edit == "range":
        release["requires"]["httpx"] = [{"specifier": ">=0.24"}]
    path = tmp_path / "dependencies.json"
    path.write_text(json.dumps(data) if edit != "json" else "{not json", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("json", "cannot read the dependency data"),
        ("schema", "schema is 'other/1', expected 'coze-compat-dependencies/1'"),
        ("current", "'current' must give the version of httpx, pydantic"),
        ("releases", "'releases' must be a list"),
        ("release", "release #1 must be a JSON object"),
        ("computed", "'computed' must be a string"),
        ("next_to", "release #1 (cozepy 0.2.0): 'requires' must have httpx, pydantic and 'next_to' httpx, pydantic"),
        ("installs", "release #1 (cozepy 0.2.0): 'next_to.httpx.installs' must be true or false"),
        ("requires", "release #1 (cozepy 0.2.0): 'requires.httpx' must be a list"),
        ("range", "release #1 (cozepy 0.2.0): 'marker' must be a string"),
    ],
)
def test_a_broken_data_file_is_a_clear_error(tmp_path: Path, edit: str, message: str) -> None:
    """Given a data file broken in one way,
    When it is read,
    Then the error names the file, the problem and the session that regenerates it."""
    path = _broken(tmp_path, edit)

    with pytest.raises(DependenciesError) as raised:
        dependencies.load(path)

    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)
    assert str(raised.value).endswith("regenerate it with `nox -s dependencies` (it asks PyPI)")


def test_a_missing_data_file_is_a_clear_error(tmp_path: Path) -> None:
    """Given no data file,
    When it is read,
    Then the error says it cannot be read and how to make it."""
    with pytest.raises(DependenciesError, match=r"cannot read the dependency data: .*nox -s dependencies"):
        dependencies.load(tmp_path / "dependencies.json")


def test_a_release_missing_from_the_data_is_named() -> None:
    """Given a version table with a release the data file lacks, or one the table does not pin,
    When the data file is checked against it,
    Then the error names the release and says how to regenerate the file."""
    fixture = dependencies.load(FIXTURE)

    with pytest.raises(DependenciesError, match=r"no entry for cozepy 0\.21\.0 \(in the version table\); regen"):
        dependencies.check_covers(fixture, ("0.2.0", "0.6.2", "0.20.0", "0.21.0"))
    with pytest.raises(DependenciesError, match=r"entries for releases the table does not pin: 0\.6\.2; regenerate"):
        dependencies.check_covers(fixture, ("0.2.0", "0.20.0"))
    with pytest.raises(DependenciesError, match=r"has releases out of order; regenerate"):
        dependencies.check_covers(fixture, ("0.6.2", "0.2.0", "0.20.0"))
    with pytest.raises(DependenciesError, match=r"cozepy 0\.21\.0 is in the version table but not in .*computed 2026"):
        fixture.entry("0.21.0")


# -- groups and the report -------------------------------------------------------------------------------


def test_consecutive_equal_rows_are_one_group() -> None:
    """Given releases whose rows are equal but for the version in uv's reason, then a different one,
    then one equal to the first again,
    When they are grouped,
    Then the consecutive ones are one group shown by its first entry, and the later one is its own."""
    first = entry("0.2.0", httpx=False, reason=REASON)
    second = entry("0.3.0", httpx=False, reason=REASON.replace("0.2.0", "0.3.0"))
    other = entry("0.6.0", requires=(Range(">=0.27.0,<0.28.0"),))
    again = entry("0.7.0", httpx=False, reason=REASON.replace("0.2.0", "0.7.0"))

    groups = dependencies.group(table(first, second, other, again), ["0.2.0", "0.3.0", "0.6.0", "0.7.0"])

    assert groups == [(("0.2.0", "0.3.0"), first), (("0.6.0",), other), (("0.7.0",), again)]


def test_the_committed_data_groups_into_three_rows() -> None:
    """Given the committed data and every pinned release,
    When the report renders the dependency section,
    Then 0.2.0-0.5.0 (httpx 0.24), 0.6.0-0.19.0 (httpx 0.27) and 0.20.0 (httpx 0.28) are its rows,
    and only 0.20.0 installs next to httpx 0.28.1."""
    report = build(DATA / "cells", releases=matrix.pinned_releases(), dependencies=dependencies.load())

    section = render_markdown(report, details=False).split("### Dependencies next to each release")[1]
    rows = section.split("\n\n")[2].splitlines()[2:]

    assert [row.split(" | ")[0] for row in rows] == ["| 0.2.0\u20130.5.0", "| 0.6.0\u20130.19.0", "| 0.20.0"]
    assert [row.split(" | ")[4:] for row in rows] == [
        ["\u274c no<sup>1</sup>", "\u2705 yes", "\u274c no<sup>1</sup> |"],
        ["\u274c no<sup>2</sup>", "\u2705 yes", "\u274c no<sup>2</sup> |"],
        ["\u2705 yes", "\u2705 yes", "\u2705 yes |"],
    ]


def test_the_report_refuses_data_that_lacks_a_shown_release(tmp_path: Path) -> None:
    """Given a data file without cozepy 0.6.2,
    When the report is built for 0.2.0, 0.6.2, 0.20.0 and latest,
    Then it fails naming 0.6.2 and the session that regenerates the file (latest needs no entry)."""
    fixture = dependencies.load(FIXTURE)
    stale = dataclasses.replace(fixture, entries=tuple(e for e in fixture.entries if e.version != "0.6.2"))

    with pytest.raises(DependenciesError, match=r"cozepy 0\.6\.2 is in the version table but not in"):
        build(DATA / "cells", releases=("0.2.0", "0.6.2", "0.20.0", "latest"), dependencies=stale)
    build(DATA / "cells", releases=("0.2.0", "0.20.0", "latest"), dependencies=stale)


def test_the_report_command_stops_on_stale_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given the fixture's data file, which lacks most pinned releases,
    When `python -m coze_compat.report build` runs for the whole version table,
    Then it exits 2 naming the first missing release, and writes no report."""
    out = tmp_path / "out"

    code = report_main(["build", f"--results={DATA / 'cells'}", f"--out={out}", f"--dependencies={FIXTURE}"])

    assert code == 2
    assert not out.exists()
    assert "error: cozepy 0.3.0 is in the version table but not in" in capsys.readouterr().err


def test_ranges_without_bounds_or_lines_are_named(tmp_path: Path) -> None:
    """Given a release that does not require httpx and one that requires any httpx,
    When the dependency section is rendered as Markdown and HTML,
    Then the first reads 'not required' and the second 'any version', each as its own row."""
    data = table(entry("0.2.0", requires=()), entry("0.6.2", requires=(Range(""),)))
    report = build(tmp_path, pythons=("3.11",), releases=("0.2.0", "0.6.2"), dependencies=data)

    markdown = render_markdown(report)
    page = render_html(report)

    assert "| 0.2.0 | not required | `>=2.5.0,<3.0.0` | `>=3.7,<4.0` | \u2705 yes |" in markdown
    assert "| 0.6.2 | `any version` | `>=2.5.0,<3.0.0` |" in markdown
    assert "<tr><td>0.2.0</td><td>not required</td>" in page
    assert "<tr><td>0.6.2</td><td><code>any version</code></td>" in page
