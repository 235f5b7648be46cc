"""Conversations: create, retrieve, list and their messages (section 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze


class ConversationsAPI:
    """The conversations endpoints of the fake."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
