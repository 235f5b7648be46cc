"""Bots: the published-bots list (v1), the ``/v1/bots`` list (v2) and retrieval by id (v1, v2).

Wire format: coze-wire-format.md section 1. Both lists page by number: the service honours the
``page_index``/``page_size`` it receives (cozepy sends ``page_index`` to both; the v2 docs call
it ``page_num``), serves exactly the bots of that page (an empty page past the end) and reports
``total``; cozepy decides from ``total`` whether another page exists. The v1 list holds the
published bots of the space, newest ``publish_time`` first (published_bots_list docs); the v2
list filters by ``publish_status`` (default ``published_online``). Retrieval answers the Bot
object (v2 adds ``owner_user_id`` and ``folder_id``, as its docs' example does), or 4200 for an
unknown id.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

LIST_PUBLISHED = Endpoint("bots.list_published", "GET", r"/v1/space/published_bots_list", required_query=("space_id",))
LIST = Endpoint("bots.list", "GET", r"/v1/bots", required_query=("workspace_id",))
RETRIEVE = Endpoint("bots.retrieve", "GET", r"/v1/bot/get_online_info", required_query=("bot_id",))
RETRIEVE_V2 = Endpoint("bots.retrieve_v2", "GET", r"/v1/bots/(?P<bot_id>[^/]+)")

#: ``publish_status`` of the v2 list: which bots each value selects (bots_list_draft_published docs).
PUBLISH_STATUSES = ("all", "published_online", "published_draft", "unpublished_draft")
DEFAULT_PAGE_SIZE = 20


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
    publish_time: int = 1718212388
    version: str = "1718289297123"
    owner_user_id: str = "2478774393255"
    folder_id: str = "7523161255335477"
    is_published: bool = True
    prompt: str = "You are a helpful assistant."
    prologue: str = "Hello! How can I help?"
    suggested_questions: list[str] = field(default_factory=lambda: ["What can you do?"])
    model_id: str = "1706077826"
    model_name: str = "Doubao-pro-32k"

    def wire(self) -> dict[str, Any]:
        """The Bot object of ``get_online_info`` (DOC get_metadata, trimmed to common fields)."""
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
            "model_info": {
                "model_id": self.model_id,
                "model_name": self.model_name,
                "temperature": 1,
                "top_p": 1,
                "context_round": 30,
                "max_tokens": 4096,
            },
            "plugin_info_list": [],
        }

    def wire_v2(self) -> dict[str, Any]:
        """The Bot object of ``GET /v1/bots/{bot_id}`` (DOC get_metadata_draft_published)."""
        return {**self.wire(), "owner_user_id": self.owner_user_id, "folder_id": self.folder_id}

    def wire_published(self) -> dict[str, Any]:
        """An item of ``space_bots`` in the published-bots list (``publish_time`` is a string)."""
        return {
            "bot_id": self.bot_id,
            "bot_name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "publish_time": str(self.publish_time),
        }

    def wire_item(self) -> dict[str, Any]:
        """An item of ``items`` in the ``/v1/bots`` list (``published_at`` only once published, as documented)."""
        item: dict[str, Any] = {
            "id": self.bot_id,
            "name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "is_published": self.is_published,
            "updated_at": self.update_time,
            "owner_user_id": self.owner_user_id,
            "folder_id": self.folder_id,
        }
        if self.is_published:
            item["published_at"] = self.publish_time
        return item


def _int_param(request: CozeRequest, name: str, default: int) -> int:
    value = request.param(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise MalformedRequest(f"{name} must be an integer, got {value!r}") from error
    if number < 1:
        raise MalformedRequest(f"{name} must be >= 1, got {number}")
    return number


def _page(request: CozeRequest, records: list[BotRecord]) -> tuple[list[BotRecord], int]:
    """The records of the page ``request`` asks for (``page_index``, ``page_size``), and the total."""
    number = _int_param(request, "page_index", 1)
    size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE)
    return records[(number - 1) * size : number * size], len(records)


class BotsAPI:
    """The bots endpoints of the fake, and the bots they serve."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, BotRecord] = {}

    def add(self, record: BotRecord) -> BotRecord:
        self.records[record.bot_id] = record
        return record

    def in_space(self, space_id: str) -> builtins.list[BotRecord]:
        return [record for record in self.records.values() if record.space_id == space_id]

    # -- routes ----------------------------------------------------------------------------------

    def retrieve(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def retrieve_v2(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(RETRIEVE_V2, self._retrieve_v2, reply)

    def list_published(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(LIST_PUBLISHED, self._list_published, reply)

    def list(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(LIST, self._list_v2, reply)

    # -- handlers --------------------------------------------------------------------------------

    def _find(self, bot_id: str) -> BotRecord | None:
        return self.records.get(bot_id)

    def _retrieve(self, request: CozeRequest) -> Reply:
        bot_id = request.param("bot_id") or ""
        record = self._find(bot_id)
        return not_found("bot", {"bot_id": bot_id}) if record is None else envelope.ok(record.wire())

    def _retrieve_v2(self, request: CozeRequest) -> Reply:
        is_published = request.param("is_published")
        if is_published not in (None, "true", "false"):
            raise MalformedRequest(f"is_published must be true or false, got {is_published!r}")
        bot_id = request.path_params["bot_id"]
        record = self._find(bot_id)
        return not_found("bot", {"bot_id": bot_id}) if record is None else envelope.ok(record.wire_v2())

    def _list_published(self, request: CozeRequest) -> Reply:
        bots = [record for record in self.in_space(request.param("space_id") or "") if record.is_published]
        bots.sort(key=lambda record: record.publish_time, reverse=True)
        page, total = _page(request, bots)
        return envelope.ok({"space_bots": [record.wire_published() for record in page], "total": total})

    def _list_v2(self, request: CozeRequest) -> Reply:
        status = request.param("publish_status") or "published_online"
        if status not in PUBLISH_STATUSES:
            raise MalformedRequest(f"publish_status must be one of {', '.join(PUBLISH_STATUSES)}, got {status!r}")
        bots = self.in_space(request.param("workspace_id") or "")
        if status in ("published_online", "published_draft"):
            bots = [record for record in bots if record.is_published]
        elif status == "unpublished_draft":
            bots = [record for record in bots if not record.is_published]
        page, total = _page(request, bots)
        return envelope.ok({"items": [record.wire_item() for record in page], "total": total})
