"""Runs of consecutive items as ranges: ``3.9-3.11``, or for releases with an en dash (standard library only)."""

from __future__ import annotations

from typing import Sequence


def python_ranges(items: Sequence[str], order: Sequence[str]) -> str:
    """``["3.9", "3.10", "3.11"]`` -> ``3.9-3.11`` when consecutive in ``order`` (items not in it are left out)."""
    positions = sorted(order.index(item) for item in items if item in order)
    groups: list[list[int]] = []
    for position in positions:
        if groups and position == groups[-1][-1] + 1:
            groups[-1].append(position)
        else:
            groups.append([position])
    return ", ".join(order[g[0]] if len(g) == 1 else f"{order[g[0]]}-{order[g[-1]]}" for g in groups)


def release_ranges(releases: Sequence[str], order: Sequence[str]) -> str:
    """Releases as ranges over ``order``, with an en dash: ``0.2.0\u20130.5.0, 0.7.0``."""
    return python_ranges(releases, order).replace("-", "\u2013")
