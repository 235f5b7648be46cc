"""Machine-made mutants examined by hand and found equivalent: no caller of cozepy can tell them
from the release (the score leaves them out). Each id is ``generate.Mutant.id`` on the newest
pinned cozepy; an id that is no longer generated is an error (``tests/harness``), so the list is
re-examined when the pinned release moves.
"""

from __future__ import annotations

#: mutant id -> why no behaviour changes.
EQUIVALENT: dict[str, str] = {
    "bots/__init__.py:624:57:constant:1 -> 2": (
        "the default page_num of the private BotsClient._list_v1: its only caller, BotsClient.list, "
        "always passes page_num"
    ),
    "bots/__init__.py:624:77:constant:20 -> 21": (
        "the default page_size of the private BotsClient._list_v1: its only caller, BotsClient.list, "
        "always passes page_size"
    ),
    'bots/__init__.py:668:50:constant:None -> ""': (
        "the default publish_status of the private BotsClient._list_v2: its only caller, BotsClient.list, "
        "always passes publish_status"
    ),
    'coze.py:57:57:constant:None -> ""': (
        "Coze._enterprises starts as '' instead of None: its only reader, the enterprises property, "
        "tests `if not self._enterprises`, and both are falsy"
    ),
    "model.py:250:8:statement:AnnAssign -> pass": (
        "NumberPaged.__init__ without `self._http_response = None`: __init__ calls _fetch_page at once, "
        "which sets _http_response before anything can read it (or raises, and no page exists)"
    ),
    'model.py:328:22:constant:None -> ""': (
        "AsyncNumberPaged._items starts as '' instead of None: build() fetches the first page before "
        "returning it, and every reader (`self._items or []`, `page._items and ...`) treats '' as None"
    ),
    "model.py:706:8:statement:Assign -> pass": (
        "AsyncLastIDPaged.__init__ without `self.first_id = None`: the SDK creates pages only through "
        "build(), which fetches the page and sets first_id before returning it"
    ),
}
