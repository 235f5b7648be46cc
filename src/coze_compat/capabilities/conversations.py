"""Capabilities of the US4 conversation stories (conversations and their messages).

The chat-side capabilities, and the first conversation ones (``conversation_bot_id``,
``conversation_list``, ``message_list_paging``), live in ``capabilities.chat``.

What came when (checked against the releases' source, ``cozepy/conversations``): the message calls
``create``, ``retrieve``, ``update`` (``/v1/conversation/message/modify``) and ``delete`` on
``conversations.messages`` since 0.2.0 (through ``AsyncCoze`` since 0.3.0); ``conversations.clear``
and ``Conversation.last_section_id`` with 0.7.0 (coze-py#120, #103), with ``Message.section_id``;
``Message.build_user_question_objects`` with 0.5.0; ``Message.reasoning_content`` with 0.13.0
(coze-py#186); ``conversations.update`` and ``conversations.delete`` (``PUT``/``DELETE
/v1/conversations/{id}``) and the Conversation's ``name``, ``updated_at``, ``creator_id`` and
``connector_id`` with 0.20.0 (coze-py#311, #312). Iterating an ``AsyncCoze`` message list over its
pages (``AsyncLastIDPaged``) arrived with 0.4.0, as for the sync client.
"""

from __future__ import annotations

from coze_compat.capabilities import Capability, has, model_field

MESSAGES = "cozepy.conversations.message"
CONVERSATIONS = "cozepy.conversations"

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "message_create",
        "creating a message in a conversation (`conversations.messages.create`)",
        lambda: has(MESSAGES, "MessagesClient", "create"),
    ),
    Capability(
        "message_retrieve",
        "retrieving one message of a conversation (`conversations.messages.retrieve`)",
        lambda: has(MESSAGES, "MessagesClient", "retrieve"),
    ),
    Capability(
        "message_update",
        "modifying a message (`conversations.messages.update`)",
        lambda: has(MESSAGES, "MessagesClient", "update"),
    ),
    Capability(
        "message_delete",
        "deleting a message (`conversations.messages.delete`)",
        lambda: has(MESSAGES, "MessagesClient", "delete"),
    ),
    Capability(
        "conversation_clear",
        "clearing a conversation's context into a new section (`conversations.clear`)",
        lambda: has(CONVERSATIONS, "ConversationsClient", "clear"),
    ),
    Capability(
        "conversation_update",
        "renaming a conversation (`conversations.update`, PUT /v1/conversations/{id})",
        lambda: has(CONVERSATIONS, "ConversationsClient", "update"),
    ),
    Capability(
        "conversation_delete",
        "deleting a conversation (`conversations.delete`, DELETE /v1/conversations/{id})",
        lambda: has(CONVERSATIONS, "ConversationsClient", "delete"),
    ),
    Capability(
        "conversation_details",
        "a conversation's name, update time, creator and connector (`Conversation.name`, `updated_at`, "
        "`creator_id`, `connector_id`)",
        lambda: all(
            model_field(CONVERSATIONS, "Conversation", name)
            for name in ("name", "updated_at", "creator_id", "connector_id")
        ),
    ),
    Capability(
        "conversation_section",
        "the context section of a conversation and of its messages (`Conversation.last_section_id`, "
        "`Message.section_id`)",
        lambda: (
            model_field(CONVERSATIONS, "Conversation", "last_section_id")
            and model_field("cozepy.chat", "Message", "section_id")
        ),
    ),
    Capability(
        "async_message_list_paging",
        "iterating a conversation's messages over every page through AsyncCoze (`AsyncLastIDPaged`)",
        lambda: has("cozepy.model", "AsyncLastIDPaged", "iter_pages"),
    ),
)
