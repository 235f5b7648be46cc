"""What the US3 stories share: the bots they give the fake, the requests they expect, and what the
caller reads from cozepy's results (``*_view``) against what the fake served (``*_items``, ``bot_config``)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Tuple

import cozepy
import respx

from coze_compat.fake import envelope
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze

#: The installed cozepy, typed ``Any``: for names that only some releases have (typecheck runs against the
#: newest and the oldest release; ``@pytest.mark.needs`` skips the tests on releases without them).
SDK: Any = cozepy

HOST = "api.coze.com"
PUBLISHED_LIST_PATH = "/v1/space/published_bots_list"
LIST_V2_PATH = "/v1/bots"
RETRIEVE_PATH = "/v1/bot/get_online_info"

Sent = Tuple[str, str, str, Dict[str, str]]

# -- the bots the fake serves, and what the SDK must make of them --------------------------------


def add_bots(coze_api: FakeCoze, space_id: str, count: int, *, published: bool = True) -> list[BotRecord]:
    """``count`` bots in ``space_id``, each published earlier than the one before (the list's order)."""
    first = len(coze_api.bots.records)
    return [
        coze_api.bots.add(
            BotRecord(
                bot_id=str(7379462189365100001 + n),
                name=f"Helper {n + 1}",
                description=f"Answers questions of kind {n + 1}",
                icon_url=f"https://lf-coze-web-cdn.coze.com/obj/coze-web-cn/obric/coze/bot_icon_{n + 1}.png",
                space_id=space_id,
                create_time=1718000000 + n,
                update_time=1718289297 - 3600 * n,
                publish_time=1718212388 - 3600 * n,
                version=str(1718289297000 + n),
                owner_user_id=str(2478774393255 + n),
                folder_id=str(7523161255335477 + n),
                is_published=published,
                model_name=f"Doubao-pro-{32 + n}k",
            )
        )
        for n in range(first, first + count)
    ]


def published_items(records: Iterable[BotRecord]) -> list[dict[str, Any]]:
    """The items of the published-bots list, as the caller must see them."""
    return [
        {
            "bot_id": record.bot_id,
            "bot_name": record.name,
            "description": record.description,
            "icon_url": record.icon_url,
            "publish_time": str(record.publish_time),
        }
        for record in records
    ]


def view(items: Iterable[Any], keys: Iterable[str]) -> list[dict[str, Any]]:
    """What the caller reads from result items: the attributes named ``keys``."""
    names = tuple(keys)
    return [{name: getattr(item, name) for name in names} for item in items]


def published_view(items: Iterable[Any]) -> list[dict[str, Any]]:
    """What the caller reads from the items of a published-bots list result."""
    return view(items, ("bot_id", "bot_name", "description", "icon_url", "publish_time"))


def v2_items(records: Iterable[BotRecord]) -> list[dict[str, Any]]:
    """The items of the ``/v1/bots`` list, with cozepy's v1-compatible names (``publish_time`` is ``updated_at``).

    A bot never published has no ``published_at`` (bots_list_draft_published docs).
    """
    return [
        {
            "id": record.bot_id,
            "name": record.name,
            "description": record.description,
            "icon_url": record.icon_url,
            "is_published": record.is_published,
            "updated_at": record.update_time,
            "published_at": record.publish_time if record.is_published else None,
            "owner_user_id": record.owner_user_id,
            "bot_id": record.bot_id,
            "bot_name": record.name,
            "publish_time": str(record.update_time),
        }
        for record in records
    ]


def v2_view(items: Iterable[Any]) -> list[dict[str, Any]]:
    """What the caller reads from the items of a ``/v1/bots`` list result."""
    return view(
        items,
        (
            "id",
            "name",
            "description",
            "icon_url",
            "is_published",
            "updated_at",
            "published_at",
            "owner_user_id",
            "bot_id",
            "bot_name",
            "publish_time",
        ),
    )


def bot_config(record: BotRecord) -> dict[str, Any]:
    """The configuration of a retrieved bot, as the caller must see it."""
    return {
        "bot_id": record.bot_id,
        "name": record.name,
        "description": record.description,
        "icon_url": record.icon_url,
        "create_time": record.create_time,
        "update_time": record.update_time,
        "version": record.version,
        "prompt": record.prompt,
        "prologue": record.prologue,
        "suggested_questions": record.suggested_questions,
        "bot_mode": 0,
        "plugin_info_list": [],
        "model_id": record.model_id,
        "model_name": record.model_name,
    }


def bot_view(bot: Any) -> dict[str, Any]:
    return {
        "bot_id": bot.bot_id,
        "name": bot.name,
        "description": bot.description,
        "icon_url": bot.icon_url,
        "create_time": bot.create_time,
        "update_time": bot.update_time,
        "version": bot.version,
        "prompt": bot.prompt_info.prompt,
        "prologue": bot.onboarding_info.prologue,
        "suggested_questions": bot.onboarding_info.suggested_questions,
        "bot_mode": bot.bot_mode,
        "plugin_info_list": bot.plugin_info_list,
        "model_id": bot.model_info.model_id,
        "model_name": bot.model_info.model_name,
    }


def page_view(page: Any) -> tuple[list[dict[str, Any]], int, bool]:
    return published_view(page.items), page.total, page.has_more


def published_query(space_id: str, page_index: int, page_size: int = 20) -> dict[str, str]:
    return {"space_id": space_id, "page_size": str(page_size), "page_index": str(page_index)}


def v2_query(workspace_id: str, page_index: int, page_size: int = 20, **extra: str) -> dict[str, str]:
    return {"workspace_id": workspace_id, "page_size": str(page_size), "page_index": str(page_index), **extra}


def sent(coze_api: FakeCoze) -> list[Sent]:
    """Every request the fake received: method, host, path and query."""
    return [(request.method, request.host, request.path, request.flat_query()) for request in coze_api.requests]


def gets(path: str, *queries: dict[str, str]) -> list[Sent]:
    return [("GET", HOST, path, query) for query in queries]


def assert_sent(coze_api: FakeCoze, route: respx.Route, path: str, *queries: dict[str, str]) -> None:
    """Exactly these GET requests, in this order, all answered by ``route``."""
    assert sent(coze_api) == gets(path, *queries)
    assert route.call_count == len(queries)


def malformed_page(record: BotRecord, **changes: Any) -> envelope.Envelope:
    """A published-bots list page holding ``record``, with ``changes`` (``None`` drops a key)."""
    item = {**record.wire_published(), **changes.pop("item", {})}
    data: dict[str, Any] = {"space_bots": [item], "total": 1, **changes}
    return envelope.ok({key: value for key, value in data.items() if value is not None})
