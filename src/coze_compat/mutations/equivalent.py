"""Machine-made mutants examined by hand and found equivalent: no caller of cozepy can tell them
from the release (the score leaves them out). Each id is ``generate.Mutant.id`` on the newest
pinned cozepy; an id that is no longer generated is an error (``tests/harness``), so the list is
re-examined when the pinned release moves.
"""

from __future__ import annotations

#: mutant id -> why no behaviour changes.
EQUIVALENT: dict[str, str] = {}
