"""The catalogue of real cozepy bugs (``coze_compat.bugs``): well-formed, and used by the stories."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coze_compat import bugs, matrix, stories
from coze_compat.bugs import Bug

ROOT = Path(__file__).resolve().parents[2]


def test_every_bug_affects_pinned_releases_and_says_why() -> None:
    """Given the catalogue,
    When each bug is read,
    Then it affects at least one pinned release, names a cause, and either has a story test or says why not."""
    for bug in bugs.all_bugs().values():
        assert bug.affected, bug.id
        assert bug.cause, bug.id
        assert bug.title, bug.id
        assert bug.fixed_in is None or bug.fixed_in not in bug.affected, bug.id


def test_fixed_in_is_the_first_release_after_the_range() -> None:
    """Given bugs fixed at a patch, at a minor release, and not fixed yet,
    When their fix release is derived from the version table,
    Then it is the first pinned release after the last affected one (None while the newest is affected)."""
    assert Bug("a", "t", "==0.6.0", "c").fixed_in == "0.6.1"
    assert Bug("b", "t", ">=0.10.0,<0.14.0", "c").fixed_in == "0.14.0"
    assert Bug("c", "t", ">=0.17.0", "c").fixed_in is None
    assert Bug("d", "t", "<0.7.0", "cause", fixed_by="coze-dev/coze-py#109").reason() == (
        "[d] cause; fixed in 0.7.0 (coze-dev/coze-py#109)"
    )
    assert Bug("e", "t", ">=0.17.0", "cause").reason() == f"[e] cause; not fixed up to {matrix.newest_pinned()}"


def test_unknown_bug_is_a_clear_error() -> None:
    """Given a bug id the catalogue does not define,
    When it is looked up,
    Then the error lists the known ones."""
    with pytest.raises(bugs.UnknownBugError, match="unknown bug 'teleport'; known: "):
        bugs.bug("teleport")


def _marked_bugs() -> set[str]:
    """Names used in ``known_break(...)`` markers across the story packages (``bugs.<area>.<NAME>``)."""
    names: set[str] = set()
    for path in (ROOT / story for story in stories.PATHS):
        for module in path.rglob("test_*.py"):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Attribute)
                    and isinstance(node.value.value, ast.Name)
                    and node.value.value.id == "bugs"
                ):
                    names.add(f"{node.value.attr}.{node.attr}")
    return names


def test_every_bug_with_a_story_test_is_marked_somewhere() -> None:
    """Given the catalogue and the story packages,
    When the known_break markers are read,
    Then every bug that claims a story test is used by one, and every marker names a catalogue bug."""
    from coze_compat.bugs import bots, chat, client, conversations, workflows

    defined = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}": value
        for module in (client, bots, chat, conversations, workflows)
        for name, value in vars(module).items()
        if isinstance(value, Bug)
    }
    used = _marked_bugs()

    assert used <= set(defined), sorted(used - set(defined))
    unused = {name for name, bug in defined.items() if not (bug.not_shown or bug.capability) and name not in used}
    assert not unused, f"bugs without a story test and without `not_shown`: {sorted(unused)}"


def test_a_capability_bug_names_a_known_capability() -> None:
    """Given bugs shown by a capability arriving at their fix,
    When their capability is looked up,
    Then it exists (an unknown name is an error listing the known ones)."""
    from coze_compat import capabilities

    for bug in bugs.all_bugs().values():
        if bug.capability:
            capabilities.missing(bug.capability)
