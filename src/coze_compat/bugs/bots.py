"""Bugs of the bots API (US3)."""

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
    "`BotModelInfo` (cozepy/bots/__init__.py) has no `model_name` field (dropped by coze-dev/coze-py#273 in "
    "0.17.0), so `bot.model_info.model_name` raises AttributeError",
    fixed_by="coze-dev/coze-py#296 (restored as Optional)",
)

BUGS: tuple[Bug, ...] = (HAS_MORE_FROM_COUNT, MODEL_NAME_DROPPED)
