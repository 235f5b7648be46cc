"""Capabilities of the US3 bots stories.

Paging: up to 0.3.0 ``bots.list`` returns a plain ``NumberPaged`` holding one page (``items``,
``total``, ``has_more``); 0.4.0 made it fetch pages itself (``iter_pages()``, iteration) and added
``AsyncNumberPaged`` (``async for``); 0.9.1 put the log id on each page (``page.response``).
The v2 endpoints (``/v1/bots`` list, ``/v1/bots/{bot_id}`` retrieve) came with 0.17.0
(``use_api_version=2``), ``folder_id`` with 0.18.0.
"""

from __future__ import annotations

from coze_compat.capabilities import Capability, accepts, has, model_field

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "number_paged_iter_pages",
        "`iter_pages()` on a paged list result (NumberPaged)",
        lambda: has("cozepy.model", "NumberPaged", "iter_pages"),
    ),
    Capability(
        "number_paged_iteration",
        "iterating a paged list result over all its pages (`for item in NumberPaged`)",
        lambda: has("cozepy.model", "NumberPaged", "__iter__"),
    ),
    Capability(
        "async_number_paged_iter_pages",
        "`async for page in result.iter_pages()` on an async paged list result (AsyncNumberPaged)",
        lambda: has("cozepy.model", "AsyncNumberPaged", "iter_pages"),
    ),
    Capability(
        "async_number_paged_iteration",
        "`async for item in result` over all pages of an async paged list result (AsyncNumberPaged)",
        lambda: has("cozepy.model", "AsyncNumberPaged", "__aiter__"),
    ),
    Capability(
        "number_paged_logid",
        "the log id of each page of a list result (`page.response.logid`)",
        lambda: has("cozepy.model", "NumberPaged", "response"),
    ),
    Capability(
        "async_number_paged_logid",
        "the log id of each page of an async list result (`page.response.logid` on AsyncNumberPaged)",
        lambda: has("cozepy.model", "AsyncNumberPaged", "response"),
    ),
    Capability(
        "bots_list_v2",
        "the /v1/bots list (`bots.list(..., use_api_version=2)`)",
        lambda: accepts("cozepy.bots", "BotsClient.list", "use_api_version"),
    ),
    Capability(
        "async_bots_list_v2",
        "the /v1/bots list through AsyncCoze (`await bots.list(..., use_api_version=2)`)",
        lambda: accepts("cozepy.bots", "AsyncBotsClient.list", "use_api_version"),
    ),
    Capability(
        "bots_retrieve_v2",
        "retrieval by /v1/bots/{bot_id} (`bots.retrieve(..., use_api_version=2, is_published=...)`)",
        lambda: accepts("cozepy.bots", "BotsClient.retrieve", "is_published"),
    ),
    Capability(
        "async_bots_retrieve_v2",
        "retrieval by /v1/bots/{bot_id} through AsyncCoze (`use_api_version=2, is_published=...`)",
        lambda: accepts("cozepy.bots", "AsyncBotsClient.retrieve", "is_published"),
    ),
    Capability(
        "bots_list_item_folder_id",
        "the folder of a listed bot (`SimpleBot.folder_id`)",
        lambda: model_field("cozepy.bots", "SimpleBot", "folder_id"),
    ),
    Capability(
        "bots_bot_folder_id",
        "the folder of a retrieved bot (`Bot.folder_id`)",
        lambda: model_field("cozepy.bots", "Bot", "folder_id"),
    ),
    Capability(
        "bots_list_items_converted",
        "conversion of published-bots items to `SimpleBot` with integer times (`SimpleBotV1.to_simple_bot`)",
        lambda: has("cozepy.bots", "_PrivateListBotsDataV1", "SimpleBotV1"),
    ),
)
