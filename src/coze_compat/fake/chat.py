"""Chat v3: create (blocking and streaming), retrieve, cancel and the chat's messages (section 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze


class ChatAPI:
    """The chat endpoints of the fake."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
