"""Capabilities of the US4 chat and conversations stories.

What came when (checked against the releases' source): ``AsyncChatClient`` with 0.3.0 (its
``stream`` returned an awaitable until 0.4.0 made it an async generator), ``Chat.last_error`` with
0.4.0 (coze-py#67: before, a failed chat's error was discarded), ``create_and_poll`` on the sync
client and ``Message.build_user_question_objects`` with 0.5.0 (no release has ``create_and_poll``
on ``AsyncChatClient``), ``Chat.usage`` and ``Chat.required_action`` (the tool calls a chat waits
for, coze-py#82) with 0.6.0, ``conversations.create(bot_id=...)`` and ``conversations.list`` with
0.7.0, ``Message.reasoning_content`` with 0.13.0 (coze-py#186), surfacing unknown stream events
(``ChatEventType.UNKNOWN``) with 0.16.2. Paging over every message page (``LastIDPaged.iter_pages``)
arrived with 0.4.0; before, ``messages.list`` returned one page. ``CozeEventError`` was renamed
``CozeInvalidEventError`` in 0.4.0. ``chat.submit_tool_outputs`` and ``chat.cancel`` are in every
release (0.2.0 sync, 0.3.0 async); ``AsyncChatClient.submit_tool_outputs_stream`` since 0.4.0.
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
        "chat_last_error",
        "the error of a failed chat (`Chat.last_error`: code and msg)",
        lambda: model_field("cozepy.chat", "Chat", "last_error"),
    ),
    Capability(
        "chat_required_action",
        "the tool calls a chat waits for (`Chat.required_action.submit_tool_outputs.tool_calls`)",
        lambda: model_field("cozepy.chat", "Chat", "required_action"),
    ),
    Capability(
        "message_objects",
        "questions built from objects (`Message.build_user_question_objects`, `MessageObjectString.build_*`)",
        lambda: (
            has("cozepy.chat", "Message", "build_user_question_objects")
            and has("cozepy.chat", "MessageObjectString", "build_image")
        ),
    ),
    Capability(
        "chat_reasoning_content",
        "the model's reasoning on a message (`Message.reasoning_content`)",
        lambda: model_field("cozepy.chat", "Message", "reasoning_content"),
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
