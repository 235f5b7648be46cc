"""Regressions the US4 conversation stories must catch (``tests/us4_chat/test_conversations.py``).

One per behaviour those stories pin: each message call's method, path, query, body and reply key; the
conversation update, delete and clear calls; the Conversation and Message fields that arrived with
those calls (``name`` with ``update``, ``section_id`` with ``clear``; a field that arrived on its own,
such as ``Message.reasoning_content``, is probed as a capability, so a release that drops it is
reported *not offered* rather than failing a story); paging through ``AsyncCoze``. Two are
regressions cozepy really had: the multimodal question sent as ``text`` (0.5.0, coze-py#84) and
closed message enums (before 0.17.0, coze-py#270).
"""

from __future__ import annotations

from coze_compat.mutations import Mutation

MESSAGES = "conversations/message/__init__.py"
CONVERSATIONS = "conversations/__init__.py"
_CREATE_BODY = """            "meta_data": meta_data,
        }

        return self._requester.request("post", url, False, Message, params=params, body=body)
"""
_DELETE_QUERY = """            "message_id": message_id,
        }

        return self._requester.request("post", url, False, Message, params=params)
"""
_MODIFY = """        url = f"{self._base_url}/v1/conversation/message/modify"
        params = {
            "conversation_id": conversation_id,
            "message_id": message_id,
        }
        body = {
            "content": content,
            "content_type": content_type,
            "meta_data": meta_data,
        }

        return self._requester.request("post", url, False, Message, params=params, body=body, data_field="message")
"""
_CLEAR = """        url = f"{self._base_url}/v1/conversations/{conversation_id}/clear"
        return self._requester.request("post", url, False, Section)
"""
_UPDATE = """        body = {"name": name}
        return self._requester.request("put", url, False, Conversation, body=body)
"""
_CONVERSATION_NAME = """    name: Optional[str] = None
    updated_at: Optional[int] = None
"""
_OBJECTS = """            content=json.dumps([obj.model_dump() for obj in objects]),
            content_type=MessageContentType.OBJECT_STRING,
"""
_ASYNC_NEXT_PAGE = """        while self._check_has_more(has_more, last_id):
            page: AsyncLastIDPaged[T] = await AsyncLastIDPaged.build("""

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "us4-conv-message-create-meta-data-dropped",
        "US4",
        "conversations.messages.create no longer sends meta_data",
        MESSAGES,
        _CREATE_BODY,
        _CREATE_BODY.replace('            "meta_data": meta_data,\n', ""),
    ),
    Mutation(
        "us4-conv-message-retrieve-posts",
        "US4",
        "conversations.messages.retrieve sends POST instead of GET",
        MESSAGES,
        'return self._requester.request("get", url, False, Message, params=params)',
        'return self._requester.request("post", url, False, Message, params=params)',
    ),
    Mutation(
        "us4-conv-message-update-reads-data",
        "US4",
        "conversations.messages.update reads the reply's `data` instead of its `message`",
        MESSAGES,
        'return self._requester.request("post", url, False, Message, params=params, body=body, data_field="message")',
        'return self._requester.request("post", url, False, Message, params=params, body=body)',
    ),
    Mutation(
        "us4-conv-message-update-path",
        "US4",
        "conversations.messages.update posts to /v1/conversation/message/update (the path is .../modify)",
        MESSAGES,
        _MODIFY,
        _MODIFY.replace("/modify", "/update"),
    ),
    Mutation(
        "us4-conv-message-delete-without-message-id",
        "US4",
        "conversations.messages.delete drops message_id from its query",
        MESSAGES,
        _DELETE_QUERY,
        _DELETE_QUERY.replace('            "message_id": message_id,\n', ""),
    ),
    Mutation(
        "us4-conv-clear-path",
        "US4",
        "conversations.clear posts to /v1/conversations/{id}/clear_context",
        CONVERSATIONS,
        _CLEAR,
        _CLEAR.replace("/clear", "/clear_context"),
    ),
    Mutation(
        "us4-conv-update-posts",
        "US4",
        "conversations.update sends POST instead of PUT",
        CONVERSATIONS,
        _UPDATE,
        _UPDATE.replace('"put"', '"post"'),
    ),
    Mutation(
        "us4-conv-update-sends-title",
        "US4",
        "conversations.update sends the new name as `title`",
        CONVERSATIONS,
        _UPDATE,
        _UPDATE.replace('{"name": name}', '{"title": name}'),
    ),
    Mutation(
        "us4-conv-delete-posts",
        "US4",
        "conversations.delete sends POST instead of DELETE",
        CONVERSATIONS,
        'return self._requester.request("delete", url, False, DeleteConversationResp)',
        'return self._requester.request("post", url, False, DeleteConversationResp)',
    ),
    Mutation(
        "us4-conv-name-renamed",
        "US4",
        "Conversation.name renamed title (the name the service sends is then dropped)",
        CONVERSATIONS,
        _CONVERSATION_NAME,
        _CONVERSATION_NAME.replace("    name:", "    title:"),
    ),
    Mutation(
        "us4-conv-message-section-id-dropped",
        "US4",
        "Message.section_id renamed section (the section the service sends is dropped)",
        "chat/__init__.py",
        "    section_id: Optional[str] = None",
        "    section: Optional[str] = None",
    ),
    Mutation(
        "us4-conv-objects-sent-as-text",
        "US4",
        "Message.build_user_question_objects builds a `text` message (cozepy 0.5.0, coze-py#84)",
        "chat/__init__.py",
        _OBJECTS,
        _OBJECTS.replace("OBJECT_STRING", "TEXT"),
    ),
    Mutation(
        "us4-conv-message-type-closed",
        "US4",
        "MessageType is a closed enum again, rejecting values the release does not know (cozepy < 0.17.0)",
        "chat/__init__.py",
        "class MessageType(DynamicStrEnum):",
        'class MessageType(str, __import__("enum").Enum):',
    ),
    Mutation(
        "us4-conv-async-paging-stops",
        "US4",
        "iterating an AsyncCoze message list stops after the first page",
        "model.py",
        _ASYNC_NEXT_PAGE,
        _ASYNC_NEXT_PAGE.replace("while self._check_has_more", "while False and self._check_has_more"),
    ),
)
