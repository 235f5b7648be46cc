"""Workflows: run, stream, resume and run histories (section 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze


class WorkflowsAPI:
    """The workflows endpoints of the fake."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
