"""Bugs of the bots API (US3).

From ``git log v0.1.0..v0.20.0 -- cozepy/bots cozepy/model.py`` (every ``fix:`` commit and the
changes that fixed something without saying so), coze-dev/coze-py's issues, and the service's
answers as its docs give them (coze-dev/coze-sdk-gen ``docs/api-markdown``: ``get_metadata``,
``get_metadata_draft_published``, ``publish_bot``) checked against each release's models.

Fix commits of this area that affect no release: coze-dev/coze-py#273 (``top_p`` made Optional)
and #222 (``variable_list`` renamed ``variables``) fixed code that was never released (#267's
required ``top_p``/``temperature`` and the wrong key landed after 0.16.2 and were fixed before
0.17.0, resp. before 0.14.0), so no release has those defects; the matrix pins that every release
reads a ``model_info`` without ``top_p``.
"""

from __future__ import annotations

from coze_compat.bugs import Bug

HAS_MORE_FROM_COUNT = Bug(
    "bots-has-more-from-count",
    "a full last page of a bot list claims that more pages exist",
    "<0.7.0",
    "`has_more` of a page (cozepy/model.py `NumberPaged`/`AsyncNumberPaged`) is `len(items) >= page_size`, "
    "ignoring `total`; 0.7.0 decides from `total`",
    fixed_by="the NumberPaged rework of 0.7.0 (coze-dev/coze-py#106, #120)",
)
MODEL_NAME_DROPPED = Bug(
    "bots-model-name-dropped",
    "`bot.model_info.model_name` is gone: the model name the service sends is discarded",
    ">=0.17.0,<0.19.0",
    "`BotModelInfo` (cozepy/bots/__init__.py) has no `model_name` field (dropped by coze-dev/coze-py#280 in "
    "0.17.0), so `bot.model_info.model_name` raises AttributeError",
    fixed_by="coze-dev/coze-py#296 (restored as Optional)",
    reported=("coze-dev/coze-py#294",),
)
SUGGESTED_QUESTIONS_NULL = Bug(
    "bots-suggested-questions-null",
    "a bot whose `onboarding_info.suggested_questions` is `null` cannot be retrieved (pydantic ValidationError)",
    "<0.18.0",
    "`BotOnboardingInfo.suggested_questions: List[str] = []` (cozepy/bots/__init__.py) accepts a missing "
    "list but not the `null` the service sends when suggested questions are off",
    fixed_by="coze-dev/coze-py#292 (`Optional[List[str]]`)",
    reported=("coze-dev/coze-py#291",),
)
STR_ENUM_UNKNOWN = Bug(
    "bots-str-enum-unknown-value",
    "a bot whose `suggest_reply_info.reply_mode` is a value the release does not know cannot be retrieved",
    ">=0.14.0,<0.17.0",
    "`SuggestReplyMode` (and `VariableType`, `VariableChannel`) in cozepy/bots/__init__.py are plain "
    "`(str, Enum)`s, so pydantic rejects any other value and the whole Bot fails; 0.17.0 made them "
    "`DynamicStrEnum`s, which warn and keep the value",
    fixed_by="coze-dev/coze-py#270",
)
BOT_MODE_UNKNOWN = Bug(
    "bots-bot-mode-unknown-value",
    "a bot whose `bot_mode` is a value the release does not know cannot be retrieved (pydantic ValidationError)",
    ">=0.2.0",
    "`BotMode` (cozepy/bots/__init__.py) is an `IntEnum` of 0, 1, 2 and `Bot.bot_mode: Optional[BotMode]`, "
    "so any other mode fails the whole Bot (cozepy's own comment calls 3 the single-agent workflow mode); "
    "#270 made the string enums dynamic, not this one",
)
VARIABLE_TYPE_REQUIRED = Bug(
    "bots-variable-type-required",
    "a bot with variables cannot be retrieved: `variables[].variable_type` is required, and the service sends none",
    ">=0.14.0",
    "`BotVariable` (cozepy/bots/__init__.py) requires `variable_type`, which the documented Variable object "
    "(get_metadata, get_metadata_draft_published: enable, channel, keyword, description, default_value, "
    "prompt_enable) does not carry, so a bot with any variable fails with a ValidationError",
)
KNOWLEDGE_DISCARDED = Bug(
    "bots-knowledge-discarded",
    "`bot.knowledge` never holds the bot's knowledge bases: `dataset_ids` is always empty",
    ">=0.12.0",
    "`Bot.knowledge` is a `BotKnowledge` (cozepy/bots/__init__.py: `dataset_ids`, `auto_call`, "
    "`search_strategy`, the shape `update` sends), but the service answers `knowledge.knowledge_infos` "
    "(`[{id, name}]`, get_metadata), which pydantic drops: the defaults (`[]`, True, 0) are what the caller reads",
)
PUBLISH_CONNECTOR_API = Bug(
    "bots-publish-connector-api",
    "`bots.publish(bot_id=...)` without connectors is rejected: it publishes to a connector named 'API'",
    "<0.7.0",
    '`BotsClient.publish`/`AsyncBotsClient.publish` (cozepy/bots/__init__.py) default `connector_ids` to `["API"]`; '
    'the service knows connectors by id, the API channel being "1024" (publish_bot docs)',
    fixed_by="coze-dev/coze-py#117",
)
BOT_MODE_MISSPELT = Bug(
    "bots-bot-mode-misspelt",
    "`BotMode.SINGLE_AGENT` does not exist: the member is spelt `SINGL_EAGENT`",
    "<0.9.0",
    "`class BotMode(IntEnum)` in cozepy/bots/__init__.py names mode 0 `SINGL_EAGENT` (a typo of coze-dev/coze-py#25)",
    fixed_by="coze-dev/coze-py#132",
    capability="bots_bot_mode_single_agent",
)
CREATE_WITHOUT_MODEL = Bug(
    "bots-create-without-model",
    "a bot cannot be created with a model: `bots.create` takes no model configuration",
    "<0.17.0",
    "`BotsClient.create` (cozepy/bots/__init__.py) sends only space, name, description, icon, prompt, onboarding "
    "(and from 0.14.0 suggested replies); the create_bot API's `model_info_config` is out of reach",
    fixed_by="coze-dev/coze-py#280",
    reported=("coze-dev/coze-py#211",),
    capability="bots_create_model_info_config",
)
LIST_DROPS_HEADERS = Bug(
    "bots-list-drops-headers",
    "`bots.list(..., headers=...)` sends none of the caller's headers (except `AsyncCoze` with `use_api_version=2`)",
    ">=0.17.0",
    "`BotsClient.list` (cozepy/bots/__init__.py) takes `**kwargs` but passes them to neither `_list_v1` nor "
    "`_list_v2`, and both `_list_v1` request makers build the request without `headers`",
)

BUGS: tuple[Bug, ...] = (
    HAS_MORE_FROM_COUNT,
    MODEL_NAME_DROPPED,
    SUGGESTED_QUESTIONS_NULL,
    STR_ENUM_UNKNOWN,
    BOT_MODE_UNKNOWN,
    VARIABLE_TYPE_REQUIRED,
    KNOWLEDGE_DISCARDED,
    PUBLISH_CONNECTOR_API,
    BOT_MODE_MISSPELT,
    CREATE_WITHOUT_MODEL,
    LIST_DROPS_HEADERS,
)
