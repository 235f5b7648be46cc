"""A release that loses a feature is a failure (``coze_compat.report.lost``).

The rule: per capability, over the releases in table order, a release lacking it right after one
that offered it starts a loss (a break) until a release offers it again, unless the capability
records the removal (``Capability(removed_in=...)``). The scratch releases here are copies of the
recorded cells (``data/cells``) with what the pytest plugin records for a ``needs`` test (the
``capabilities`` user property) and, where the release drops the feature, its not-offered skip.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from coze_compat import capabilities, matrix
from coze_compat.capabilities import Capability
from coze_compat.report import State, build
from coze_compat.report.__main__ import main as report_main
from coze_compat.report.jsonreport import to_json
from coze_compat.report.lost import find_lost
from coze_compat.report.model import LostCapability

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "cells"
USER_AGENT = "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_client_user_agent_header"
NAME = "client_user_agent_header"
WHAT = "the X-Coze-Client-User-Agent header"
TABLE = {NAME: Capability(NAME, WHAT, lambda: True)}


def always(name: str, what: str = "", **removed: str) -> dict[str, Capability]:
    return {name: Capability(name, what or name, lambda: True, removed_in=removed)}


@pytest.mark.parametrize(
    ("offers", "lost"),
    [
        ({"0.1": True, "0.2": True}, []),
        ({"0.1": False, "0.2": True}, []),
        ({"0.1": True, "0.2": False}, [("0.1", ("0.2",))]),
        ({"0.1": True, "0.2": False, "0.3": False, "0.4": True}, [("0.1", ("0.2", "0.3"))]),
        ({"0.1": True, "0.3": False}, [("0.1", ("0.3",))]),
        ({"0.1": True, "0.2": False, "0.3": True, "0.4": False}, [("0.1", ("0.2",)), ("0.3", ("0.4",))]),
    ],
    ids=["kept", "added", "lost", "lost-then-back", "unknown-release-skipped", "lost-twice"],
)
def test_a_loss_runs_from_the_release_lacking_it_to_the_next_one_offering_it(
    offers: dict[str, bool], lost: list[tuple[str, tuple[str, ...]]]
) -> None:
    """Given whether each release (0.1-0.4; 0.2 unknown where absent) offers a capability,
    When the losses are found,
    Then each starts at a release lacking it after one offering it and runs until it is offered again."""
    found = find_lost({"x": offers}, ("0.1", "0.2", "0.3", "0.4"), table=always("x", "the x"))

    assert [(loss.offered_by, loss.releases) for loss in found] == lost
    assert all(loss.is_break and loss.what == "the x" for loss in found)


def test_a_recorded_removal_is_not_a_break() -> None:
    """Given a capability lost in 0.17.0 that records its removal there (by version, and by specifier),
    and one the table does not know,
    When the losses are found,
    Then the first two carry the reason and are no break; the unknown one is named by its name."""
    offers = {"model_name": {"0.16.2": True, "0.17.0": False}, "renamed": {"0.16.2": True, "0.17.0": False}}
    table = {
        **always("model_name", **{"0.17.0": "dropped upstream (coze-dev/coze-py#1)"}),
        **always("renamed", **{">=0.17": ""}),
    }

    found = find_lost({**offers, "gone": {"0.16.2": True, "0.17.0": False}}, ("0.16.2", "0.17.0"), table=table)

    assert found == [
        LostCapability("gone", "gone", "0.16.2", ("0.17.0",)),
        LostCapability("model_name", "model_name", "0.16.2", ("0.17.0",), "dropped upstream (coze-dev/coze-py#1)"),
        LostCapability("renamed", "renamed", "0.16.2", ("0.17.0",), "removed deliberately"),
    ]
    assert [loss.is_break for loss in found] == [True, False, False]


def test_latest_is_judged_by_the_version_it_installed() -> None:
    """Given `latest` installed 0.21.0, which lacks a capability that records its removal in 0.21.0,
    When the losses are found with the column's versions,
    Then the removal applies; with no version known for `latest` it is a break."""
    table = always("x", **{"0.21.0": "deliberate"})
    offers = {"x": {"0.20.0": True, "latest": False}}

    (known,) = find_lost(offers, ("0.20.0", "latest"), {"latest": "0.21.0"}, table=table)
    (unknown,) = find_lost(offers, ("0.20.0", "latest"), table=table)

    assert (known.removal, known.is_break) == ("deliberate", False)
    assert (unknown.lost_in, unknown.is_break) == ("latest", True)


def test_every_capability_of_the_table_can_record_a_removal() -> None:
    """Given the project's capability table,
    When it is read without cozepy (as the report reads it),
    Then every removal it records names a release or a version range and gives its reason."""
    for capability in capabilities.registry().values():
        for releases, reason in capability.removed_in.items():
            assert reason, capability.name
            matrix.matches("0.20.0", [releases])  # a version or a specifier, or an error


def scratch_results(tmp_path: Path, *, latest_offers: bool) -> Path:
    """Recorded cells for 0.6.2 and 0.20.0 on Python 3.11-3.12, and a scratch `latest` release
    (installing 0.21.0) that drops the User-Agent header (``latest_offers=False``) or keeps it."""
    results = tmp_path / "results"
    for python in ("3.11", "3.12"):
        for release in ("0.6.2", "0.20.0"):
            cell = f"py{python}-cozepy{release}"
            shutil.copytree(RESULTS / cell, results / cell)
            record(results / cell, offered=release != "0.6.2")
        latest = results / f"py{python}-cozepylatest"
        shutil.copytree(RESULTS / "py3.11-cozepy0.20.0", latest)
        cell_record = json.loads((latest / "cell.json").read_text(encoding="utf-8"))
        cell_record.update(cell=latest.name, python=python, cozepy="latest")
        (latest / "cell.json").write_text(json.dumps(cell_record), encoding="utf-8")
        environment = json.loads((latest / "environment.json").read_text(encoding="utf-8"))
        environment["distributions"]["cozepy"] = "0.21.0"
        (latest / "environment.json").write_text(json.dumps(environment), encoding="utf-8")
        record(latest, offered=latest_offers)
    return results


def record(cell: Path, offered: bool) -> None:
    """What the plugin records for the User-Agent test (and its skip, where not offered)."""
    lines = []
    for line in (cell / "report.jsonl").read_text(encoding="utf-8").splitlines():
        report = json.loads(line)
        if report.get("nodeid") == USER_AGENT and report.get("$report_type") == "TestReport":
            if not offered and report.get("when") == "call":
                continue
            if not offered and report.get("when") == "setup":
                report["outcome"] = "skipped"
                report["longrepr"] = ["x.py", 1, f"Skipped: not offered by cozepy 0.21.0: {WHAT}"]
            report["user_properties"] = [*report.get("user_properties", []), ["capabilities", {NAME: offered}]]
        lines.append(json.dumps(report))
    (cell / "report.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


RELEASES = ("0.6.2", "0.20.0", "latest")
PYTHONS = ("3.11", "3.12")


def test_a_release_that_drops_a_feature_fails_the_matrix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given 0.20.0 offers the User-Agent header and the scratch release 0.21.0 (`latest`) drops it,
    When the report is derived,
    Then the loss is found, the test is a fail (not *not offered*) on the scratch release with the
    cause, the story breaks there, the feature reads as missing again, the JSON carries the loss,
    and `python -m coze_compat.report build` exits 1 naming it."""
    results = scratch_results(tmp_path, latest_offers=False)

    report = build(results, pythons=PYTHONS, releases=RELEASES)
    code = report_main(["build", f"--results={results}", f"--out={tmp_path / 'out'}", "--generated=x"])

    assert report.lost_capabilities == [LostCapability(NAME, WHAT, "0.20.0", ("latest",))]
    row = next(row for block in report.stories for row in block.tests if row.nodeid == USER_AGENT)
    reason = f"lost capability (cozepy 0.20.0 offered it): not offered by cozepy 0.21.0: {WHAT}"
    assert row.releases["latest"].verdict == dataclasses.replace(row.releases["latest"].verdict, reason=reason)
    assert (row.releases["latest"].verdict.state, row.releases["latest"].verdict.known) == (State.FAIL, False)
    assert row.releases["0.6.2"].verdict.state is State.NOT_OFFERED  # never offered before: not a loss
    us2 = next(block for block in report.stories if block.story == "US2")
    assert us2.summary["latest"].verdict.state is State.FAIL
    (item,) = [item for item in report.breaks if item.nodeid == USER_AGENT]
    assert (item.known, item.reason, item.releases) == (
        False,
        f"lost capability: {WHAT} (cozepy 0.20.0 offered it)",
        ("latest",),
    )
    (feature,) = [finding for finding in report.features if finding.feature == WHAT]
    assert (feature.first_offered, feature.missing_again) == ("0.20.0", ("latest",))
    data = to_json(report)
    assert data["findings"]["lost_capabilities"] == [
        {"name": NAME, "what": WHAT, "offered_by": "0.20.0", "releases": ["latest"], "break": True, "removal": ""}
    ]
    assert data["capabilities"] == {NAME: {"0.6.2": False, "0.20.0": True, "latest": False}}
    assert code == 1
    assert f"error: lost capability `{NAME}` ({WHAT}): offered by cozepy 0.20.0, not by latest: a break" in (
        capsys.readouterr().err
    )


def test_a_deliberate_removal_leaves_the_matrix_green(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given the same scratch release, and the capability records its removal in 0.21.0,
    When the report is built,
    Then the test stays not offered, the loss is listed as a removal, and the build exits 0."""
    table = capabilities.registry()
    monkeypatch.setitem(table, NAME, dataclasses.replace(table[NAME], removed_in={"0.21.0": "renamed upstream"}))
    results = scratch_results(tmp_path, latest_offers=False)

    report = build(results, pythons=PYTHONS, releases=RELEASES)
    code = report_main(["build", f"--results={results}", f"--out={tmp_path / 'out'}", "--generated=x"])

    assert report.lost_capabilities == [LostCapability(NAME, WHAT, "0.20.0", ("latest",), "renamed upstream")]
    row = next(row for block in report.stories for row in block.tests if row.nodeid == USER_AGENT)
    assert row.releases["latest"].verdict.state is State.NOT_OFFERED
    assert code == 0
    assert "note: lost capability" in capsys.readouterr().err


def test_a_release_that_keeps_its_features_is_green(tmp_path: Path) -> None:
    """Given the scratch release keeps the User-Agent header,
    When the report is derived,
    Then nothing is lost and the test passes there."""
    report = build(scratch_results(tmp_path, latest_offers=True), pythons=PYTHONS, releases=RELEASES)

    assert report.lost_capabilities == []
    row = next(row for block in report.stories for row in block.tests if row.nodeid == USER_AGENT)
    assert row.releases["latest"].verdict.state is State.PASS
