"""Capabilities of the US4 chat and conversations stories.

What came when (checked against the releases' source): ``AsyncChatClient`` with 0.3.0 (its
``stream`` returned an awaitable until 0.4.0 made it an async generator), ``create_and_poll`` on
the sync client with 0.5.0 (no release has it on ``AsyncChatClient``), ``Chat.usage`` with 0.6.2,
``conversations.create(bot_id=...)`` and ``conversations.list`` with 0.7.0, surfacing unknown
stream events (``ChatEventType.UNKNOWN``) with 0.16.2. Paging over every message page
(``LastIDPaged.iter_pages``) arrived with 0.4.0; before, ``messages.list`` returned one page.
``CozeEventError`` was renamed ``CozeInvalidEventError`` in 0.4.0.
"""

from __future__ import annotations

from typing import Any

from coze_compat.capabilities import Capability, accepts, has, model_field, offers

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "chat_create_and_poll",
        "`chat.create_and_poll` (create a chat and poll it until it ends)",
        lambda: has("cozepy.chat", "ChatClient", "create_and_poll"),
    ),
    Capability(
        "async_chat_create_and_poll",
        "`chat.create_and_poll` on AsyncCoze (AsyncChatClient)",
        lambda: has("cozepy.chat", "AsyncChatClient", "create_and_poll"),
    ),
    Capability(
        "chat_usage",
        "the token usage of a chat (`Chat.usage`: token_count, input_count, output_count)",
        lambda: model_field("cozepy.chat", "Chat", "usage"),
    ),
    Capability(
        "chat_unknown_event",
        "unknown stream events handed to the caller (`ChatEventType.UNKNOWN`, `ChatEvent.unknown`)",
        lambda: has("cozepy.chat", "ChatEventType", "UNKNOWN") and model_field("cozepy.chat", "ChatEvent", "unknown"),
    ),
    Capability(
        "conversation_bot_id",
        "binding a new conversation to a bot (`conversations.create(bot_id=...)`)",
        lambda: accepts("cozepy.conversations", "ConversationsClient.create", "bot_id"),
    ),
    Capability(
        "conversation_list",
        "listing a bot's conversations (`conversations.list`)",
        lambda: has("cozepy.conversations", "ConversationsClient", "list"),
    ),
    Capability(
        "message_list_paging",
        "iterating a conversation's messages over every page (`LastIDPaged.iter_pages`)",
        lambda: has("cozepy.model", "LastIDPaged", "iter_pages"),
    ),
    Capability(
        "invalid_event_error",
        "CozeInvalidEventError (0.2.0 and 0.3.0 call it CozeEventError)",
        lambda: has("cozepy", "CozeInvalidEventError"),
    ),
)


def invalid_event_error() -> Any:
    """The exception a user of the installed release catches for a line that is not an event."""
    import cozepy

    return getattr(cozepy, "CozeInvalidEventError" if offers("invalid_event_error") else "CozeEventError")
