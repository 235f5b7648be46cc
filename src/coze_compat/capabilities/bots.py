"""Capabilities of the US3 bots stories.

Paging: up to 0.3.0 ``bots.list`` returns a plain ``NumberPaged`` holding one page (``items``,
``total``, ``has_more``); 0.4.0 made it fetch pages itself (``iter_pages()``, iteration) and added
``AsyncNumberPaged`` (``async for``); 0.9.1 put the log id on each page (``page.response``).
The v2 endpoints (``/v1/bots`` list, ``/v1/bots/{bot_id}`` retrieve) came with 0.17.0
(``use_api_version=2``), ``folder_id`` with 0.18.0.

The Bot object grew with the releases: ``knowledge`` (0.12.0); ``suggest_reply_info``,
``background_image_info`` and ``variables`` (0.14.0); ``voice_info_list``,
``workflow_info_list``, ``default_user_input_type`` and the model's ``parameters`` (0.17.0). Writing:
``create``/``update``/``publish`` are in every release; ``update(knowledge=...)`` came with 0.12.0,
``suggest_reply_info`` with 0.14.0, ``model_info_config`` with 0.17.0, ``plugin_id_list`` and
``workflow_id_list`` on ``create`` and ``unpublish`` with 0.20.0. ``BotMode.SINGLE_AGENT`` was
spelt ``SINGL_EAGENT`` before 0.9.0. ``bots.list`` takes ``headers=`` (``**kwargs``) from 0.17.0.
"""

from __future__ import annotations

import inspect

from coze_compat.capabilities import Capability, accepts, attribute, has, model_field


def takes_kwargs(path: str) -> bool:
    """Whether the callable at ``cozepy.bots.<path>`` takes ``**kwargs`` (where ``headers=`` goes)."""
    target = attribute("cozepy.bots", *path.split("."))
    return target is not None and any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in inspect.signature(target).parameters.values()
    )


def bot_field(name: str) -> Capability:
    return Capability(
        f"bots_bot_{name}",
        f"the `{name}` of a retrieved bot (`Bot.{name}`)",
        lambda: model_field("cozepy.bots", "Bot", name),
    )


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
    bot_field("knowledge"),
    bot_field("suggest_reply_info"),
    bot_field("background_image_info"),
    bot_field("variables"),
    bot_field("voice_info_list"),
    bot_field("workflow_info_list"),
    bot_field("default_user_input_type"),
    Capability(
        "bots_model_info_parameters",
        "the model parameters of a retrieved bot (`BotModelInfo.parameters`, e.g. `thinking_type`)",
        lambda: model_field("cozepy.bots", "BotModelInfo", "parameters"),
    ),
    Capability(
        "bots_bot_mode_single_agent",
        "`BotMode.SINGLE_AGENT` (spelt `SINGL_EAGENT` before 0.9.0)",
        lambda: has("cozepy.bots", "BotMode", "SINGLE_AGENT"),
    ),
    Capability(
        "bots_update_knowledge",
        "giving a bot knowledge bases (`bots.update(knowledge=BotKnowledge(...))`)",
        lambda: accepts("cozepy.bots", "BotsClient.update", "knowledge"),
    ),
    Capability(
        "bots_create_suggest_reply_info",
        "suggested replies for a new bot (`bots.create(suggest_reply_info=...)`)",
        lambda: accepts("cozepy.bots", "BotsClient.create", "suggest_reply_info"),
    ),
    Capability(
        "bots_create_model_info_config",
        "the model of a new bot (`bots.create(model_info_config=BotModelInfo(...))`)",
        lambda: accepts("cozepy.bots", "BotsClient.create", "model_info_config"),
    ),
    Capability(
        "bots_create_plugins_and_workflows",
        "the plugins and workflows of a new bot (`bots.create(plugin_id_list=..., workflow_id_list=...)`)",
        lambda: accepts("cozepy.bots", "BotsClient.create", "workflow_id_list"),
    ),
    Capability(
        "bots_unpublish",
        "taking a bot off a connector (`bots.unpublish`)",
        lambda: has("cozepy.bots", "BotsClient", "unpublish"),
    ),
    Capability(
        "async_bots_unpublish",
        "taking a bot off a connector through AsyncCoze (`await bots.unpublish(...)`)",
        lambda: has("cozepy.bots", "AsyncBotsClient", "unpublish"),
    ),
    Capability(
        "bots_list_headers",
        "custom request headers on a bot list (`bots.list(..., headers=...)`)",
        lambda: takes_kwargs("BotsClient.list"),
    ),
    Capability(
        "async_bots_list_headers",
        "custom request headers on a bot list through AsyncCoze (`await bots.list(..., headers=...)`)",
        lambda: takes_kwargs("AsyncBotsClient.list"),
    ),
)
