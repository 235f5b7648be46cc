"""Realistic SDK regressions, applied one at a time to a scratch copy of the newest cozepy.

The ``mutation`` session measures the story suite's detection power: each ``Mutation`` replaces
one exact piece of source in the installed newest pinned cozepy (a changed header, a dropped or
renamed request field, a wrong path, broken pagination or SSE parsing, a changed default, a
swallowed error), the stories run against the mutated copy, and the mutation counts as caught
when they fail. One module per story (``us1`` ... ``us5``) lists its ``MUTATIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    """One regression: in ``file`` (relative to the cozepy package), ``find`` becomes ``replace``.

    ``find`` must occur exactly once in that file of the newest pinned release, so a mutation
    that no longer applies is a clear error rather than a silent no-op.
    """

    id: str
    story: str
    what: str
    file: str
    find: str
    replace: str


def all_mutations() -> tuple[Mutation, ...]:
    from coze_compat.mutations import us1, us2, us3, us4, us4_conversations, us5

    mutations = (
        *us1.MUTATIONS,
        *us2.MUTATIONS,
        *us3.MUTATIONS,
        *us4.MUTATIONS,
        *us4_conversations.MUTATIONS,
        *us5.MUTATIONS,
    )
    ids = [mutation.id for mutation in mutations]
    duplicates = sorted({name for name in ids if ids.count(name) > 1})
    if duplicates:
        raise ValueError(f"mutation ids must be unique: {', '.join(duplicates)}")
    return mutations
