"""Workspaces: ``GET /v1/workspaces``, the workspaces the token's user belongs to.

coze-wire-format.md section 5 (the docs' list_workspace): query ``page_num`` (default 1) and
``page_size`` (default 20, at most 50), optionally ``user_id`` and ``coze_account_id``; the answer
is ``{"workspaces": [...], "total_count": N}``, each workspace with ``id``, ``name``,
``icon_url``, ``role_type`` (``owner``/``admin``/``member``), ``workspace_type``
(``personal``/``team``) and ``enterprise_id`` (``""`` outside an enterprise). cozepy pages by
``total_count``. A page number below 1 or a page size outside 1-50 is a 4000.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, int_param

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

LIST = Endpoint("workspaces.list", "GET", r"/v1/workspaces")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


@dataclass
class WorkspaceRecord:
    """One workspace, as the docs' example shows it."""

    id: str
    name: str
    role_type: str = "owner"
    workspace_type: str = "team"
    enterprise_id: str = ""
    icon_url: str = "https://lf16-alice-tos-sign.oceanapi-i18n.com/obj/ocean-cloud-tos-us/team.png"

    def wire(self) -> dict[str, Any]:
        """The workspace as ``/v1/workspaces`` lists it."""
        return {
            "id": self.id,
            "name": self.name,
            "icon_url": self.icon_url,
            "role_type": self.role_type,
            "enterprise_id": self.enterprise_id,
            "workspace_type": self.workspace_type,
        }


class WorkspacesAPI:
    """The workspaces endpoint of the fake, and the workspaces it lists (in the order added)."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: builtins.list[WorkspaceRecord] = []

    def add(self, record: WorkspaceRecord) -> WorkspaceRecord:
        """A workspace the token's user belongs to (listed in the order added)."""
        self.records.append(record)
        return record

    def list(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/workspaces``: one page of the workspaces."""
        return self._fake.serve(LIST, self._list, reply)

    def _list(self, request: CozeRequest) -> Reply:
        number = int_param(request, "page_num", 1)
        size = int_param(request, "page_size", DEFAULT_PAGE_SIZE, high=MAX_PAGE_SIZE)
        page = self.records[(number - 1) * size : number * size]
        return envelope.ok({"workspaces": [record.wire() for record in page], "total_count": len(self.records)})
