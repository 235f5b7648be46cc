"""Bots: the published-bots list (v1), the ``/v1/bots`` list (v2) and retrieval by id.

Wire format: coze-wire-format.md section 1. Both lists page by number: the service honours the
``page_index``/``page_size`` it receives and reports ``total``; cozepy decides from ``total``
whether another page exists. Retrieval answers the Bot object, or 4200 for an unknown id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

LIST_PUBLISHED = Endpoint(
    "bots.list_published", "GET", r"/v1/space/published_bots_list", required_query=("space_id",)
)
LIST = Endpoint("bots.list", "GET", r"/v1/bots", required_query=("workspace_id",))
RETRIEVE = Endpoint("bots.retrieve", "GET", r"/v1/bot/get_online_info", required_query=("bot_id",))
RETRIEVE_V2 = Endpoint("bots.retrieve_v2", "GET", r"/v1/bots/(?P<bot_id>[^/]+)")


@dataclass
class BotRecord:
    """A bot in the fake's workspace."""

    bot_id: str
    name: str
    description: str = ""
    icon_url: str = "https://lf-coze-web-cdn.coze.com/obj/coze-web-cn/obric/coze/default_bot_icon3.png"
    space_id: str = ""
    create_time: int = 1718289297
    update_time: int = 1718289297
    version: str = "1718289297123"
    owner_user_id: str = "2478774393255"
    is_published: bool = True
    prompt: str = "You are a helpful assistant."
    prologue: str = "Hello! How can I help?"
    suggested_questions: List[str] = field(default_factory=lambda: ["What can you do?"])
    model_id: str = "1706077826"
    model_name: str = "Doubao-pro-32k"

    def wire(self) -> Dict[str, Any]:
        """The Bot object of both retrieve endpoints (DOC get_metadata, trimmed to common fields)."""
        return {
            "bot_id": self.bot_id,
            "name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "version": self.version,
            "prompt_info": {"prompt": self.prompt},
            "onboarding_info": {"prologue": self.prologue, "suggested_questions": list(self.suggested_questions)},
            "bot_mode": 0,
            "model_info": {"model_id": self.model_id, "model_name": self.model_name},
            "plugin_info_list": [],
        }

    def wire_published(self) -> Dict[str, Any]:
        """An item of ``space_bots`` in the published-bots list (``publish_time`` is a string)."""
        return {
            "bot_id": self.bot_id,
            "bot_name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "publish_time": str(self.update_time),
        }

    def wire_v2(self) -> Dict[str, Any]:
        """An item of ``items`` in the ``/v1/bots`` list."""
        return {
            "id": self.bot_id,
            "name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "is_published": self.is_published,
            "updated_at": self.update_time,
            "published_at": self.update_time,
            "owner_user_id": self.owner_user_id,
            "folder_id": "7523161255335477",
        }


def _page(request: CozeRequest, size_default: int = 20) -> Tuple[int, int]:
    try:
        number = int(request.param("page_index") or request.param("page_num") or 1)
        size = int(request.param("page_size") or size_default)
    except ValueError as error:
        raise MalformedRequest(f"page parameters must be integers: {dict(request.query)}") from error
    if number < 1 or size < 1:
        raise MalformedRequest(f"page parameters must be >= 1: {dict(request.query)}")
    return number, size


class BotsAPI:
    """The bots endpoints of the fake, and the bots they serve."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: Dict[str, BotRecord] = {}

    def add(self, record: BotRecord) -> BotRecord:
        self.records[record.bot_id] = record
        return record

    def in_space(self, space_id: str) -> List[BotRecord]:
        return [record for record in self.records.values() if record.space_id == space_id]

    # -- routes ----------------------------------------------------------------------------------

    def retrieve(self, reply: Optional[Reply] = None) -> respx.Route:
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def retrieve_v2(self, reply: Optional[Reply] = None) -> respx.Route:
        return self._fake.serve(RETRIEVE_V2, self._retrieve, reply)

    def list_published(self, reply: Optional[Reply] = None) -> respx.Route:
        return self._fake.serve(LIST_PUBLISHED, self._list_published, reply)

    def list(self, reply: Optional[Reply] = None) -> respx.Route:
        return self._fake.serve(LIST, self._list_v2, reply)

    # -- handlers --------------------------------------------------------------------------------

    def _retrieve(self, request: CozeRequest) -> Reply:
        bot_id = request.path_params.get("bot_id") or request.param("bot_id") or ""
        record = self.records.get(bot_id)
        if record is None:
            code, msg = envelope.NOT_FOUND
            return envelope.error((code, f"{msg}: bot_id {bot_id}"))
        return envelope.ok(record.wire())

    def _list_published(self, request: CozeRequest) -> Reply:
        number, size = _page(request)
        bots = self.in_space(request.param("space_id") or "")
        page = bots[(number - 1) * size : number * size]
        return envelope.ok({"space_bots": [record.wire_published() for record in page], "total": len(bots)})

    def _list_v2(self, request: CozeRequest) -> Reply:
        number, size = _page(request)
        bots = self.in_space(request.param("workspace_id") or "")
        status = request.param("publish_status") or "published_online"
        if status == "published_online":
            bots = [record for record in bots if record.is_published]
        elif status in ("unpublished_draft", "published_draft"):
            bots = [record for record in bots if not record.is_published]
        page = bots[(number - 1) * size : number * size]
        return envelope.ok({"items": [record.wire_v2() for record in page], "total": len(bots)})
