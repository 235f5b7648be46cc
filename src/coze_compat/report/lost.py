"""Lost capabilities: a capability that one release offers and a later release lacks is a break.

The pytest plugin records on every test that needs capabilities which of them the cell's release
offers, by name (``RecordedTest.capabilities``). Per capability, the releases in table order then
read *offered* or *lacking* (a release none of whose cells recorded it is skipped: unknown; a
release lacks it when any of its cells does). A release lacking it right after one that offered it
starts a **loss**, which runs until a release offers it again. A loss is a break unless the
capability records the removal as deliberate, ``Capability(..., removed_in={"0.17.0": "reason"})``
keyed by the release where it was lost (a version or a PEP 440 specifier).

For a break, the report turns the *not offered* skips of the tests that need the capability on
those releases into failures (``mark_lost``), so the table shows a break, not a missing feature,
and ``python -m coze_compat.report build`` exits 1. The release watch (``releases.evaluate``) runs
the same ``find_lost`` over the baseline's pinned releases followed by the new release.

Standard library only (and the capability table, which imports no cozepy).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from coze_compat import capabilities, matrix
from coze_compat.report.model import INSTALLED, LostCapability, MatrixRow, Results, State, Verdict

_LOST_RE = re.compile(r"^lost capability \(cozepy (?P<offered_by>\S+) offered it\): (?P<rest>.*)$", re.DOTALL)

#: name -> release -> whether the release offers it.
Offers = Mapping[str, Mapping[str, bool]]


def capability_offers(results: Results, cells: Mapping[str, tuple[str, str]]) -> dict[str, dict[str, bool]]:
    """Per capability, whether each release offers it, from the cells (``cell id -> (python, release)``)."""
    offers: dict[str, dict[str, bool]] = {}
    for cell_id, (_, release) in cells.items():
        cell = results.cells.get(cell_id)
        if cell is None or cell.status != INSTALLED:
            continue
        for record in cell.tests.values():
            for name, offered in record.capabilities.items():
                by_release = offers.setdefault(name, {})
                by_release[release] = by_release.get(release, True) and offered
    return offers


def release_versions(results: Results, cells: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Release column -> the cozepy version its cells installed (``latest`` -> e.g. ``0.21.0``), when one."""
    installed: dict[str, set[str]] = {}
    for cell_id, (_, release) in cells.items():
        cell = results.cells.get(cell_id)
        installed.setdefault(release, set())
        if cell is not None and cell.installed:
            installed[release].add(cell.installed)
    return {release: next(iter(found)) if len(found) == 1 else release for release, found in installed.items()}


def _removal(removed_in: Mapping[str, str], version: str) -> str:
    """The recorded reason when ``version`` is where the capability was deliberately removed, else ``""``."""
    for releases, reason in removed_in.items():
        try:
            if matrix.matches(version, [releases]):
                return reason or "removed deliberately"
        except matrix.UnknownReleaseError:  # ``latest`` whose version is unknown: no removal applies
            return ""
    return ""


def find_lost(
    offers: Offers,
    order: Sequence[str],
    versions: Mapping[str, str] | None = None,
    table: Mapping[str, capabilities.Capability] | None = None,
) -> list[LostCapability]:
    """Every loss of a capability over the releases ``order`` (oldest first), breaks and removals.

    ``versions`` maps a release column to its cozepy version (for ``latest``); ``table`` is the
    capability table (default: ``coze_compat.capabilities``), for what each capability is and its
    recorded removals. A capability the table does not know is named by its name, with no removal.
    """
    versions = versions or {}
    table = capabilities.registry() if table is None else table
    lost: list[LostCapability] = []
    for name in sorted(offers):
        capability = table.get(name)
        what = capability.what if capability is not None else name
        removed_in = capability.removed_in if capability is not None else {}
        offered_by: str | None = None
        run: list[str] = []
        for release in order:
            offered = offers[name].get(release)
            if offered is None:
                continue
            if not offered and offered_by is not None:
                run.append(release)
                continue
            if run and offered_by is not None:
                lost.append(_loss(name, what, offered_by, run, removed_in, versions))
                run = []
            if offered:
                offered_by = release
        if run and offered_by is not None:
            lost.append(_loss(name, what, offered_by, run, removed_in, versions))
    return lost


def _loss(
    name: str,
    what: str,
    offered_by: str,
    run: Sequence[str],
    removed_in: Mapping[str, str],
    versions: Mapping[str, str],
) -> LostCapability:
    removal = _removal(removed_in, versions.get(run[0], run[0]))
    return LostCapability(name, what, versions.get(offered_by, offered_by), tuple(run), removal)


def lost_reason(loss: LostCapability, version: str) -> str:
    """The failure reason of a test that needs a capability ``version`` lost."""
    return f"lost capability (cozepy {loss.offered_by} offered it): not offered by cozepy {version}: {loss.what}"


def lost_feature(reason: str) -> tuple[str, str] | None:
    """``(offered_by, the not-offered reason)`` of a ``lost_reason``, else ``None``."""
    match = _LOST_RE.match(reason.strip())
    return (match.group("offered_by"), match.group("rest")) if match else None


def is_lost(verdict: Verdict) -> bool:
    return verdict.state is State.FAIL and lost_feature(verdict.reason) is not None


def mark_lost(
    rows: Iterable[MatrixRow],
    results: Results,
    cells: Mapping[str, tuple[str, str]],
    lost: Sequence[LostCapability],
    versions: Mapping[str, str],
) -> None:
    """Turn the *not offered* verdicts that a lost capability explains into failures (breaks only).

    A test is marked in a cell when every capability it lacks there is lost there, so a test that
    also lacks a capability no release ever offered stays *not offered*.
    """
    breaks = [loss for loss in lost if loss.is_break]
    if not breaks:
        return
    rows = list(rows)
    for cell_id, (_, release) in cells.items():
        cell = results.cells.get(cell_id)
        here = {loss.name: loss for loss in breaks if release in loss.releases}
        if cell is None or not here:
            continue
        for row in rows:
            record = cell.tests.get(row.nodeid)
            verdict = row.cells.get(cell_id)
            if record is None or verdict is None or verdict.state is not State.NOT_OFFERED:
                continue
            lacking = [name for name, offered in record.capabilities.items() if not offered]
            if lacking and all(name in here for name in lacking):
                loss = here[lacking[0]]
                row.cells[cell_id] = Verdict(State.FAIL, lost_reason(loss, versions.get(release, release)))


def describe(loss: LostCapability) -> str:
    """One line for a person: what was lost, where, and whether it is a break."""
    releases = ", ".join(loss.releases)
    line = f"`{loss.name}` ({loss.what}): offered by cozepy {loss.offered_by}, not by {releases}"
    if loss.is_break:
        return f"{line}: a break (record a deliberate removal with `Capability(removed_in={{...}})`)"
    return f"{line}: removed deliberately ({loss.removal})"
