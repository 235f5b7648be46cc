"""US4, conversations and their messages: every call a backend makes, and every answer the service may give.

The seed stories (T030, T031: create, retrieve, list and the message list) are in
``test_chat_client.py::TestConversationOperations``; this module covers the rest of what a service
that keeps a conversation per user calls, through the installed cozepy against the fake Coze API:

* ``TestConversationCalls``: renaming (``conversations.update``, PUT, 0.20.0), deleting
  (``conversations.delete``, DELETE, 0.20.0) and clearing a conversation's context
  (``conversations.clear``, 0.7.0: a new section, the messages stay listable and the next ones
  carry the new ``section_id``); an unknown conversation answered 4200 surfaces as ``CozeAPIError``.
* ``TestMessageCalls``: creating a message (text with meta data, ``object_string`` content),
  retrieving, modifying (the reply under ``message``, not ``data``) and deleting one (an answer
  takes its chat's intermediate messages with it), listed back each time; an unknown message is
  4200; a multimodal question built with ``Message.build_user_question_objects`` is sent as
  ``object_string`` and listed back so (0.5.0 sends it as ``text``: coze-py#84, fixed by #85).
* ``TestServiceAnswers``: the optional fields of the Conversation and the Message absent and
  ``null``, ``updated_at`` as a string, empty pages, unknown ``type``/``content_type``/``role``
  values (rejected before 0.17.0, coze-py#270), and what no release reads: a Conversation without
  ``meta_data`` and a page without its ``first_id``/``last_id``/``has_more``.
* ``TestMessagePaging``: iterating pages through ``AsyncCoze``, and a listing started with
  ``before_id``, which every release with paging (0.4.0 on) turns around after its first page.
* ``TestReplyProperties``: property-based checks (Hypothesis, ``coze_compat.fake.strategies``) that
  every valid Conversation, Message and message page parses into what the stories read.

Request bodies are compared without their ``null`` fields, as in ``test_chat_client.py``. Where a
release lacks a call the test is skipped as not offered (``needs``); where it has it and misbehaves
the test is a known break (``coze_compat.bugs.conversations``).
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Iterator

import cozepy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coze_compat import bugs, capabilities
from coze_compat.capabilities import offers
from coze_compat.fake import envelope
from coze_compat.fake.conversations import LEFT_OUT, ConversationRecord, MessageRecord
from coze_compat.fake.server import TOKEN, FakeCoze
from coze_compat.fake.strategies import Field, enum_values, ids, string_maps, text, timestamps, wire_object
from tests.us4_chat.test_chat_client import (
    FIVE,
    LIST_BODY,
    META_DATA,
    conversation_of,
    message_view,
    without_nulls,
)
from tests.us4_chat.test_chat_client import ids as ids_of

#: The installed cozepy, typed ``Any``: for names that only some releases have.
SDK: Any = cozepy

BOT_ID = "7379462189365198898"
NEW_NAME = "推荐杭州美食"
#: object_string content as the docs show it (DOC create_message): a text part and an image by URL.
PARTS = [
    {"type": "text", "text": "What is in this picture?"},
    {"type": "image", "file_url": "https://example.com/cat.png"},
]
OBJECT_CONTENT = json.dumps(PARTS, ensure_ascii=False)
#: Values of the service's message enums that no release knows (a newer service may send them).
FUTURE_VALUES = {"type": "knowledge_recall", "content_type": "rich_card", "role": "tool"}
NOTHING = pytest.param(LEFT_OUT, id="absent")
NULL = pytest.param(None, id="null")
ABSENT_OR_NULL = pytest.mark.parametrize("sent", [NOTHING, NULL])


def api_error() -> Any:
    """``CozeAPIError`` of the installed release."""
    return SDK.CozeAPIError


def exchange(coze_api: FakeCoze) -> tuple[ConversationRecord, MessageRecord, MessageRecord, MessageRecord]:
    """A conversation with a question and a chat's answer, plus the chat's ``verbose`` message."""
    conversation = coze_api.conversations.new(bot_id=BOT_ID)
    chat_id = coze_api.conversations.next_id()
    add = coze_api.conversations.add_message
    question = add(conversation, "user", "question", "What day is it?", chat_id=chat_id, bot_id=BOT_ID)
    answer = add(conversation, "assistant", "answer", "Tuesday.", chat_id=chat_id, bot_id=BOT_ID)
    verbose = add(conversation, "assistant", "verbose", '{"msg_type":"generate_answer_finish"}', chat_id=chat_id)
    return conversation, question, answer, verbose


def request_of(coze_api: FakeCoze) -> tuple[str, str, dict[str, str], Any]:
    """Method, path, query and body (``null`` fields left out) of the last request."""
    request = coze_api.last_request()
    return request.method, request.path, request.flat_query(), without_nulls(request.body)


def full_view(message: Any) -> tuple[Any, ...]:
    """What a backend reads of a Message (cozepy's, or the fake's ``MessageRecord``): ids, role, type, content,
    meta data, creation time."""
    return (
        message.id,
        message.conversation_id,
        message.role,
        message.type,
        message.content,
        message.content_type,
        message.meta_data,
        message.created_at,
    )


# -- conversations ---------------------------------------------------------------------------------


class TestConversationCalls:
    @pytest.mark.needs("conversation_update")
    def test_rename_conversation(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given a conversation named after its first question,
        When it is renamed,
        Then one PUT /v1/conversations/{id} carries the new name, and the Conversation comes back with
        that name and a later update time."""
        record = coze_api.conversations.new(bot_id=BOT_ID, name="What day is it?", meta_data=META_DATA)
        coze_api.conversations.update()

        conversation = coze.conversations.update(conversation_id=record.id, name=NEW_NAME)

        assert request_of(coze_api) == ("PUT", f"/v1/conversations/{record.id}", {}, {"name": NEW_NAME})
        assert (conversation.id, conversation.name, conversation.meta_data) == (record.id, NEW_NAME, META_DATA)
        assert conversation.updated_at > conversation.created_at
        assert record.name == NEW_NAME

    @pytest.mark.needs("async_client", "conversation_update")
    @pytest.mark.anyio
    async def test_async_rename_conversation(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation,
        When it is renamed through ``AsyncCoze``,
        Then the same PUT goes out and the renamed Conversation comes back."""
        record = coze_api.conversations.new(bot_id=BOT_ID)
        coze_api.conversations.update()

        conversation = await async_coze.conversations.update(conversation_id=record.id, name=NEW_NAME)

        assert request_of(coze_api) == ("PUT", f"/v1/conversations/{record.id}", {}, {"name": NEW_NAME})
        assert (conversation.id, conversation.name) == (record.id, NEW_NAME)

    @pytest.mark.needs("conversation_delete")
    def test_delete_conversation(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given a conversation with messages,
        When it is deleted and then retrieved,
        Then one DELETE /v1/conversations/{id} without a body goes out, the reply (no ``data``) parses,
        the conversation is gone, and retrieving it is the service's 4200."""
        record = conversation_of(coze_api, "q1", "a1")
        coze_api.conversations.delete()
        coze_api.conversations.retrieve()

        coze.conversations.delete(conversation_id=record.id)
        delete = coze_api.requests[0]
        with pytest.raises(api_error()) as raised:
            coze.conversations.retrieve(conversation_id=record.id)

        assert (delete.method, delete.path, delete.flat_query(), delete.body) == (
            "DELETE",
            f"/v1/conversations/{record.id}",
            {},
            None,
        )
        assert record.id not in coze_api.conversations.records
        assert raised.value.code == envelope.NOT_FOUND[0]

    @pytest.mark.needs("async_client", "conversation_delete")
    @pytest.mark.anyio
    async def test_async_delete_conversation(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation,
        When it is deleted through ``AsyncCoze``,
        Then the same DELETE goes out and the conversation is gone."""
        record = coze_api.conversations.new()
        coze_api.conversations.delete()

        await async_coze.conversations.delete(conversation_id=record.id)

        assert request_of(coze_api)[:2] == ("DELETE", f"/v1/conversations/{record.id}")
        assert coze_api.conversations.records == {}

    @pytest.mark.needs("conversation_clear")
    def test_clear_conversation_starts_a_new_section(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given a conversation with a question and an answer,
        When its context is cleared and a message is added,
        Then one POST /v1/conversations/{id}/clear goes out and answers the new Section, the conversation's
        ``last_section_id`` is that section, the old messages are still listed, and the new message carries
        the new ``section_id``."""
        record = conversation_of(coze_api, "q1", "a1")
        for route in (
            coze_api.conversations.clear,
            coze_api.conversations.retrieve,
            coze_api.conversations.create_message,
        ):
            route()
        coze_api.conversations.list_messages()

        section = coze.conversations.clear(conversation_id=record.id)
        clear = coze_api.last_request()
        conversation = coze.conversations.retrieve(conversation_id=record.id)
        new = coze.conversations.messages.create(
            conversation_id=record.id, role="user", content="A new topic", content_type="text"
        )
        listed = coze.conversations.messages.list(conversation_id=record.id).items

        assert (clear.method, clear.path, clear.flat_query(), clear.body) == (
            "POST",
            f"/v1/conversations/{record.id}/clear",
            {},
            None,
        )
        assert (section.id, section.conversation_id) == (record.last_section_id, record.id)
        assert section.id != record.id
        assert conversation.last_section_id == section.id
        assert [message.section_id for message in listed] == [section.id, record.id, record.id]
        assert [message.id for message in listed[1:]] == [m.id for m in reversed(record.messages[:2])]
        assert new.section_id == section.id

    @pytest.mark.needs("async_client", "conversation_clear")
    @pytest.mark.anyio
    async def test_async_clear_conversation(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation,
        When its context is cleared through ``AsyncCoze``,
        Then the same POST goes out and the new Section comes back."""
        record = coze_api.conversations.new()
        coze_api.conversations.clear()

        section = await async_coze.conversations.clear(conversation_id=record.id)

        assert request_of(coze_api)[:2] == ("POST", f"/v1/conversations/{record.id}/clear")
        assert (section.id, section.conversation_id) == (record.last_section_id, record.id)

    @pytest.mark.needs("conversation_clear")
    def test_clear_unknown_conversation_is_not_found(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given no conversation with the id,
        When its context is cleared,
        Then the service's 4200 surfaces as CozeAPIError with its code and message."""
        coze_api.conversations.clear()

        with pytest.raises(api_error()) as raised:
            coze.conversations.clear(conversation_id="7432000000000000404")

        assert (raised.value.code, raised.value.msg) == (
            envelope.NOT_FOUND[0],
            f"{envelope.NOT_FOUND[1]}: conversation {{'conversation_id': '7432000000000000404'}}",
        )


# -- messages ----------------------------------------------------------------------------------------


class TestMessageCalls:
    @pytest.mark.needs("message_create")
    def test_create_message(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with a question,
        When a text message with meta data is created in it and the messages are listed,
        Then one POST /v1/conversation/message/create names the conversation in the query and carries role,
        content, content type and meta data, the new Message comes back with its id, and it is listed first."""
        record = conversation_of(coze_api, "q1")
        coze_api.conversations.create_message()
        coze_api.conversations.list_messages()

        message = coze.conversations.messages.create(
            conversation_id=record.id, role="user", content="Hi again", content_type="text", meta_data=META_DATA
        )
        sent = request_of(coze_api)
        listed = coze.conversations.messages.list(conversation_id=record.id).items

        assert sent == (
            "POST",
            "/v1/conversation/message/create",
            {"conversation_id": record.id},
            {"role": "user", "content": "Hi again", "content_type": "text", "meta_data": META_DATA},
        )
        saved = record.messages[-1]
        assert full_view(message) == full_view(saved)
        assert (saved.role, saved.type, saved.content, saved.meta_data) == ("user", "", "Hi again", META_DATA)
        assert ids_of(listed) == [saved.id, record.messages[0].id]

    @pytest.mark.needs("async_client", "message_create")
    @pytest.mark.anyio
    async def test_async_create_message(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation,
        When a message with meta data is created through ``AsyncCoze``,
        Then the same request goes out (the meta data in the body) and the new Message comes back with it."""
        record = coze_api.conversations.new()
        coze_api.conversations.create_message()

        message = await async_coze.conversations.messages.create(
            conversation_id=record.id, role="assistant", content="Hello", content_type="text", meta_data=META_DATA
        )

        assert request_of(coze_api)[2:] == (
            {"conversation_id": record.id},
            {"role": "assistant", "content": "Hello", "content_type": "text", "meta_data": META_DATA},
        )
        assert full_view(message) == full_view(record.messages[0])
        assert message.meta_data == META_DATA

    @pytest.mark.needs("message_create")
    def test_create_object_string_message(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation,
        When a multimodal message (``object_string``: a text part and an image by URL) is created and listed,
        Then the content goes out as the JSON array, and the message is listed back as ``object_string``
        with the same parts."""
        record = coze_api.conversations.new()
        coze_api.conversations.create_message()
        coze_api.conversations.list_messages()

        coze.conversations.messages.create(
            conversation_id=record.id, role="user", content=OBJECT_CONTENT, content_type="object_string"
        )
        sent = request_of(coze_api)[3]
        (listed,) = coze.conversations.messages.list(conversation_id=record.id).items

        assert (sent["content"], sent["content_type"]) == (OBJECT_CONTENT, "object_string")
        assert (listed.content_type, json.loads(listed.content)) == ("object_string", PARTS)

    @pytest.mark.needs("message_objects")
    @pytest.mark.known_break(bugs.chat.OBJECT_STRING_AS_TEXT)
    def test_question_built_from_objects(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a multimodal question built with ``Message.build_user_question_objects`` from
        ``MessageObjectString.build_text`` and ``build_image``,
        When a conversation is created with it and its messages are listed,
        Then the question goes out as ``object_string`` with the parts as its JSON content, and is listed
        back so (0.5.0 sends it as ``text``: the bot never sees the image)."""
        parts = SDK.MessageObjectString
        question = SDK.Message.build_user_question_objects(
            [parts.build_text(PARTS[0]["text"]), parts.build_image(file_url=PARTS[1]["file_url"])]
        )
        coze_api.conversations.create()
        coze_api.conversations.list_messages()

        conversation = coze.conversations.create(messages=[question])
        (sent,) = request_of(coze_api)[3]["messages"]
        (listed,) = coze.conversations.messages.list(conversation_id=conversation.id).items

        assert (sent["role"], sent["type"], sent["content_type"]) == ("user", "question", "object_string")
        assert without_nulls(json.loads(sent["content"])) == PARTS
        assert (listed.content_type, without_nulls(json.loads(listed.content))) == ("object_string", PARTS)

    @pytest.mark.needs("message_retrieve")
    def test_retrieve_message(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with a question and an answer,
        When the answer is retrieved by id,
        Then one GET /v1/conversation/message/retrieve names the conversation and the message, and the
        Message comes back with its ids, role, type, content, bot and chat."""
        record, _question, answer, _verbose = exchange(coze_api)
        coze_api.conversations.retrieve_message()

        message = coze.conversations.messages.retrieve(conversation_id=record.id, message_id=answer.id)

        assert request_of(coze_api) == (
            "GET",
            "/v1/conversation/message/retrieve",
            {"conversation_id": record.id, "message_id": answer.id},
            None,
        )
        assert full_view(message) == full_view(answer)
        assert (message.bot_id, message.chat_id) == (BOT_ID, answer.chat_id)

    @pytest.mark.needs("async_client", "message_retrieve")
    @pytest.mark.anyio
    async def test_async_retrieve_message(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation with an answer,
        When it is retrieved through ``AsyncCoze``,
        Then the same request goes out and the Message comes back."""
        record, _question, answer, _verbose = exchange(coze_api)
        coze_api.conversations.retrieve_message()

        message = await async_coze.conversations.messages.retrieve(conversation_id=record.id, message_id=answer.id)

        assert request_of(coze_api)[2] == {"conversation_id": record.id, "message_id": answer.id}
        assert full_view(message) == full_view(answer)

    @pytest.mark.needs("message_retrieve")
    def test_retrieve_unknown_message_is_not_found(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation without the requested message,
        When it is retrieved,
        Then the service's 4200 naming the conversation and the message surfaces as CozeAPIError."""
        record = conversation_of(coze_api, "q1")
        coze_api.conversations.retrieve_message()

        with pytest.raises(api_error()) as raised:
            coze.conversations.messages.retrieve(conversation_id=record.id, message_id="7432000000000000404")

        key = {"conversation_id": record.id, "message_id": "7432000000000000404"}
        assert (raised.value.code, raised.value.msg) == (
            envelope.NOT_FOUND[0],
            f"{envelope.NOT_FOUND[1]}: message {key}",
        )

    @pytest.mark.needs("message_update")
    def test_modify_message_content(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with a question,
        When its content is modified,
        Then one POST /v1/conversation/message/modify names the conversation and the message and carries the
        content and content type, the modified Message (the reply's ``message``, not ``data``) comes back with
        a later update time, and the listed message has the new content."""
        record = conversation_of(coze_api, "q1")
        question = record.messages[0]
        coze_api.conversations.update_message()
        coze_api.conversations.list_messages()

        message = coze.conversations.messages.update(
            conversation_id=record.id, message_id=question.id, content="q1, reworded", content_type="text"
        )
        sent = request_of(coze_api)
        (listed,) = coze.conversations.messages.list(conversation_id=record.id).items

        assert sent == (
            "POST",
            "/v1/conversation/message/modify",
            {"conversation_id": record.id, "message_id": question.id},
            {"content": "q1, reworded", "content_type": "text"},
        )
        assert (message.id, message.content, message.created_at) == (question.id, "q1, reworded", question.created_at)
        assert message.updated_at > message.created_at
        assert (listed.id, listed.content) == (question.id, "q1, reworded")

    @pytest.mark.needs("message_update")
    def test_modify_message_meta_data(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with a question,
        When only its meta data is modified,
        Then the body carries only the meta data, and the Message comes back with it and the old content."""
        record = conversation_of(coze_api, "q1")
        question = record.messages[0]
        coze_api.conversations.update_message()

        message = coze.conversations.messages.update(
            conversation_id=record.id, message_id=question.id, meta_data=META_DATA
        )

        assert request_of(coze_api)[3] == {"meta_data": META_DATA}
        assert (message.content, message.meta_data) == ("q1", META_DATA)

    @pytest.mark.needs("async_client", "message_update")
    @pytest.mark.anyio
    async def test_async_modify_message(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation with a question,
        When its content is modified through ``AsyncCoze``,
        Then the same request goes out and the modified Message comes back from the reply's ``message``."""
        record = conversation_of(coze_api, "q1")
        question = record.messages[0]
        coze_api.conversations.update_message()

        message = await async_coze.conversations.messages.update(
            conversation_id=record.id, message_id=question.id, content="reworded", content_type="text"
        )

        assert request_of(coze_api)[2:] == (
            {"conversation_id": record.id, "message_id": question.id},
            {"content": "reworded", "content_type": "text"},
        )
        assert (message.id, message.content) == (question.id, "reworded")

    @pytest.mark.needs("message_delete")
    def test_delete_answer(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with a chat's question, answer and verbose message,
        When the answer is deleted and the messages are listed,
        Then one POST /v1/conversation/message/delete without a body names the conversation and the answer,
        the deleted Message comes back, and only the question is left (the verbose message went with the
        answer)."""
        record, question, answer, _verbose = exchange(coze_api)
        coze_api.conversations.delete_message()
        coze_api.conversations.list_messages()

        deleted = coze.conversations.messages.delete(conversation_id=record.id, message_id=answer.id)
        sent = request_of(coze_api)
        listed = coze.conversations.messages.list(conversation_id=record.id).items

        assert sent == (
            "POST",
            "/v1/conversation/message/delete",
            {"conversation_id": record.id, "message_id": answer.id},
            None,
        )
        assert full_view(deleted) == full_view(answer)
        assert ids_of(listed) == [question.id]
        assert record.messages == [question]

    @pytest.mark.needs("async_client", "message_delete")
    @pytest.mark.anyio
    async def test_async_delete_message(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation with a question,
        When it is deleted through ``AsyncCoze``,
        Then the same request goes out, the deleted Message comes back and the conversation is empty."""
        record = conversation_of(coze_api, "q1")
        question = record.messages[0]
        coze_api.conversations.delete_message()

        deleted = await async_coze.conversations.messages.delete(conversation_id=record.id, message_id=question.id)

        assert request_of(coze_api)[2] == {"conversation_id": record.id, "message_id": question.id}
        assert (deleted.id, record.messages) == (question.id, [])


# -- the service's whole range of answers ----------------------------------------------------------------


def listed_one(coze_api: FakeCoze, coze: Any, **overrides: Any) -> Any:
    """The only message of a conversation, listed after the service changed how it sends it."""
    record, question, answer, _verbose = exchange(coze_api)
    record.messages.remove(question)
    answer.overrides.update(overrides)
    coze_api.conversations.list_messages()
    (listed,) = coze.conversations.messages.list(conversation_id=record.id).items
    return listed


OPTIONAL_MESSAGE_FIELDS = ("meta_data", "bot_id", "chat_id", "section_id", "updated_at", "created_at", "id")


class TestServiceAnswers:
    @pytest.mark.parametrize("name", ["name", "updated_at", "creator_id", "connector_id"])
    @ABSENT_OR_NULL
    def test_conversation_without_optional_field(self, coze_api: FakeCoze, coze: Any, name: str, sent: Any) -> None:
        """Given a conversation the service sends with an optional field (name, update time, creator,
        connector) left out or ``null``,
        When it is retrieved,
        Then it parses, its id, creation time and meta data are there, and the field reads as None where
        the release has it."""
        record = coze_api.conversations.new(meta_data=META_DATA)
        record.overrides[name] = sent
        coze_api.conversations.retrieve()

        conversation = coze.conversations.retrieve(conversation_id=record.id)

        assert (conversation.id, conversation.created_at, conversation.meta_data) == (
            record.id,
            record.created_at,
            META_DATA,
        )
        if offers("conversation_details"):
            assert getattr(conversation, name) is None

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_conversation_with_null_fields(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation the service sends with name, update time, creator and connector ``null``,
        When it is retrieved through ``AsyncCoze``,
        Then it parses with its id and meta data."""
        record = coze_api.conversations.new(meta_data=META_DATA)
        record.overrides.update(name=None, updated_at=None, creator_id=None, connector_id=None)
        coze_api.conversations.retrieve()

        conversation = await async_coze.conversations.retrieve(conversation_id=record.id)

        assert (conversation.id, conversation.meta_data) == (record.id, META_DATA)

    @pytest.mark.needs("conversation_details")
    def test_conversation_details(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given a named conversation on the API connector,
        When it is retrieved,
        Then its name, update time, creator and connector come back."""
        record = coze_api.conversations.new(name=NEW_NAME)
        coze_api.conversations.retrieve()

        conversation = coze.conversations.retrieve(conversation_id=record.id)

        wire = record.wire()
        assert (conversation.name, conversation.updated_at, conversation.creator_id, conversation.connector_id) == (
            wire["name"],
            wire["updated_at"],
            wire["creator_id"],
            "1024",
        )

    @ABSENT_OR_NULL
    @pytest.mark.known_break(bugs.conversations.CONVERSATION_META_DATA_REQUIRED)
    def test_conversation_without_meta_data(self, coze_api: FakeCoze, coze: Any, sent: Any) -> None:
        """Given a conversation the service sends without meta data (left out, or ``null`` as Coze Studio sends
        it for a conversation created without any),
        When it is retrieved,
        Then it parses with its id (no release reads it: ``Conversation.meta_data`` is required)."""
        record = coze_api.conversations.new()
        record.overrides["meta_data"] = sent
        coze_api.conversations.retrieve()

        conversation = coze.conversations.retrieve(conversation_id=record.id)

        assert (conversation.id, conversation.meta_data or {}) == (record.id, {})

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.conversations.CONVERSATION_META_DATA_REQUIRED)
    @pytest.mark.anyio
    async def test_async_conversation_with_null_meta_data(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation the service sends with ``"meta_data": null``,
        When it is retrieved through ``AsyncCoze``,
        Then it parses with its id (no release reads it)."""
        record = coze_api.conversations.new()
        record.overrides["meta_data"] = None
        coze_api.conversations.retrieve()

        conversation = await async_coze.conversations.retrieve(conversation_id=record.id)

        assert conversation.id == record.id

    @pytest.mark.parametrize("name", OPTIONAL_MESSAGE_FIELDS)
    @ABSENT_OR_NULL
    def test_listed_message_without_optional_field(self, coze_api: FakeCoze, coze: Any, name: str, sent: Any) -> None:
        """Given a conversation whose one message the service sends with an optional field (meta data, bot,
        chat, section, times, even its id) left out or ``null``,
        When its messages are listed,
        Then the message parses with its role, type and content, and the field reads as None."""
        listed = listed_one(coze_api, coze, **{name: sent})

        assert message_view(listed) == ("assistant", "answer", "Tuesday.")
        if name != "section_id" or offers("conversation_section"):
            assert getattr(listed, name) is None

    @pytest.mark.needs("message_retrieve")
    @ABSENT_OR_NULL
    def test_retrieved_message_without_optional_fields(self, coze_api: FakeCoze, coze: Any, sent: Any) -> None:
        """Given a message the service sends with every optional field left out or ``null``,
        When it is retrieved,
        Then it parses with its role, type and content."""
        record, _question, answer, _verbose = exchange(coze_api)
        answer.overrides.update(dict.fromkeys(OPTIONAL_MESSAGE_FIELDS, sent), conversation_id=sent)
        coze_api.conversations.retrieve_message()

        message = coze.conversations.messages.retrieve(conversation_id=record.id, message_id=answer.id)

        assert (message_view(message), message.meta_data, message.id) == (
            ("assistant", "answer", "Tuesday."),
            None,
            None,
        )

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_listed_message_with_null_fields(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a message the service sends with its optional fields ``null``,
        When the messages are listed through ``AsyncCoze``,
        Then it parses with its role, type and content."""
        record, question, answer, _verbose = exchange(coze_api)
        record.messages.remove(question)
        answer.overrides.update(dict.fromkeys(OPTIONAL_MESSAGE_FIELDS, None))
        coze_api.conversations.list_messages()

        page = await async_coze.conversations.messages.list(conversation_id=record.id)

        assert [message_view(message) for message in page.items] == [("assistant", "answer", "Tuesday.")]

    def test_times_sent_as_strings(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given a message whose creation and update times the service sends as strings (the docs' examples do),
        When the messages are listed,
        Then both read as integers."""
        listed = listed_one(coze_api, coze, created_at="1716809829", updated_at="1716936779")

        assert (listed.created_at, listed.updated_at) == (1716809829, 1716936779)

    @pytest.mark.needs("chat_reasoning_content")
    def test_message_with_reasoning_content(self, coze_api: FakeCoze, coze: Any) -> None:
        """Given an answer of a model that thinks, sent with its chain of thought,
        When the messages are listed,
        Then ``reasoning_content`` comes with the answer."""
        listed = listed_one(coze_api, coze, reasoning_content="The user asks for the day; 2024-10-01 is a Tuesday.")

        assert (listed.content, listed.reasoning_content) == (
            "Tuesday.",
            "The user asks for the day; 2024-10-01 is a Tuesday.",
        )

    @pytest.mark.parametrize("field", sorted(FUTURE_VALUES))
    @pytest.mark.known_break(bugs.chat.UNKNOWN_ENUM_REJECTED)
    def test_message_with_unknown_enum_value(self, coze_api: FakeCoze, coze: Any, field: str) -> None:
        """Given a message whose ``type``, ``content_type`` or ``role`` is a value no release knows (a newer
        service may add one),
        When the messages are listed,
        Then the message is there with that value and its content (before 0.17.0 the list raises
        ValidationError; since, cozepy warns and keeps the value)."""
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            listed = listed_one(coze_api, coze, **{field: FUTURE_VALUES[field]})

        assert (getattr(listed, field), listed.content) == (FUTURE_VALUES[field], "Tuesday.")

    @pytest.mark.needs("async_client", "message_retrieve")
    @pytest.mark.known_break(bugs.chat.UNKNOWN_ENUM_REJECTED)
    @pytest.mark.anyio
    async def test_async_retrieve_message_of_unknown_type(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a message of a type no release knows,
        When it is retrieved through ``AsyncCoze``,
        Then it comes back with that type (before 0.17.0: ValidationError)."""
        record, _question, answer, _verbose = exchange(coze_api)
        answer.overrides["type"] = FUTURE_VALUES["type"]
        coze_api.conversations.retrieve_message()

        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            message = await async_coze.conversations.messages.retrieve(conversation_id=record.id, message_id=answer.id)

        assert (message.type, message.content) == (FUTURE_VALUES["type"], "Tuesday.")

    @pytest.mark.parametrize("empty_id", ["", "0"], ids=["empty-string", "zero"])
    def test_empty_page(self, coze_api: FakeCoze, coze: Any, empty_id: str) -> None:
        """Given a conversation without messages, whose empty page the service sends with ``first_id`` and
        ``last_id`` empty (cozepy's own fixtures) or ``"0"`` (the docs' "no position"),
        When its messages are listed, and iterated where the release can,
        Then the page has no items, those ids and ``has_more`` false, and iterating asks for no further page."""
        record = coze_api.conversations.new()
        coze_api.conversations.page_overrides.update(first_id=empty_id, last_id=empty_id)
        route = coze_api.conversations.list_messages()

        page = coze.conversations.messages.list(conversation_id=record.id)
        everything = list(page) if offers("message_list_paging") else page.items

        assert (page.items, page.first_id, page.last_id, page.has_more) == ([], empty_id, empty_id, False)
        assert (everything, route.call_count) == ([], 1)

    @pytest.mark.parametrize("name", ["first_id", "last_id", "has_more"])
    @ABSENT_OR_NULL
    @pytest.mark.known_break(bugs.conversations.PAGE_FIELDS_REQUIRED)
    def test_page_without_paging_field(self, coze_api: FakeCoze, coze: Any, name: str, sent: Any) -> None:
        """Given a page the service sends with ``first_id``, ``last_id`` or ``has_more`` left out or ``null``
        (the docs mark none of them required),
        When the messages are listed,
        Then the page's messages are there (no release reads such a page)."""
        record = conversation_of(coze_api, "q1", "a1")
        coze_api.conversations.page_overrides[name] = sent
        coze_api.conversations.list_messages()

        page = coze.conversations.messages.list(conversation_id=record.id)

        assert ids_of(page.items) == ids_of(record.messages[::-1])


# -- paging --------------------------------------------------------------------------------------------


async def async_items(paged: Any) -> list[Any]:
    return [item async for item in paged]


class TestMessagePaging:
    @pytest.mark.needs("async_client", "async_message_list_paging")
    @pytest.mark.anyio
    async def test_async_iterate_message_pages(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation with five messages,
        When the caller iterates them two per page through ``AsyncCoze``,
        Then cozepy asks for each next page with ``after_id`` = the previous page's ``last_id`` until
        ``has_more`` is false, and every message comes once, newest first."""
        conversation = conversation_of(coze_api, *FIVE)
        newest_first = conversation.messages[::-1]
        route = coze_api.conversations.list_messages()

        paged = await async_coze.conversations.messages.list(conversation_id=conversation.id, limit=2)
        messages = await async_items(paged)

        bodies = [json.loads(call.request.content) for call in route.calls]
        assert bodies == [
            {**LIST_BODY, "limit": 2, "after_id": after} for after in (None, newest_first[1].id, newest_first[3].id)
        ]
        assert ids_of(messages) == ids_of(newest_first)

    @pytest.mark.needs("message_list_paging")
    @pytest.mark.known_break(bugs.conversations.PAGES_TURN_AROUND)
    def test_iterate_back_from_before_id(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with five messages and the id of the second oldest,
        When the caller iterates, two per page, the messages before it (``before_id``, newest first),
        Then exactly the three messages before it come, each once, and neither the cursor nor anything after
        it (every release with paging turns around: its next page asks ``after_id`` = the last id)."""
        conversation = conversation_of(coze_api, *FIVE)
        newest_first = conversation.messages[::-1]
        coze_api.conversations.list_messages()

        messages = list(
            coze.conversations.messages.list(conversation_id=conversation.id, before_id=newest_first[3].id, limit=2)
        )

        assert sorted(ids_of(messages)) == sorted(ids_of(newest_first[:3]))


# -- property-based checks -------------------------------------------------------------------------------

#: The Conversation object (coze-wire-format.md 3a, DOC create_conversation): id, creation time, meta data
#: and the context section always; name, update time, creator and connector may be left out or null.
CONVERSATIONS = wire_object(
    Field("id", ids),
    Field("created_at", timestamps),
    Field("meta_data", string_maps),
    Field("last_section_id", ids),
    Field("name", text, omittable=True, nullable=True),
    Field("updated_at", timestamps, omittable=True, nullable=True),
    Field("creator_id", ids, omittable=True, nullable=True),
    Field("connector_id", st.sampled_from(("1024", "999")), omittable=True, nullable=True),
)
#: Ids of messages outside a chat are empty strings (DOC create_message: ``"bot_id": ""``).
MAYBE_EMPTY_IDS = st.one_of(ids, st.just(""))
#: Times come as integers or as their strings (DOC list_message: ``"updated_at": "1716809829"``).
TIMES = st.one_of(timestamps, timestamps.map(str))
#: The Message object (DOC list_message ``OpenMessageApi``): role, content and content type always, with
#: the values every release knows (unknown ones: ``test_message_with_unknown_enum_value``); the rest may be
#: left out or null.
MESSAGES = wire_object(
    Field("role", enum_values(("user", "assistant"))),
    Field(
        "type",
        enum_values(("question", "answer", "function_call", "tool_response", "follow_up", "verbose", "")),
        omittable=True,
    ),
    Field("content", text),
    Field("content_type", enum_values(("text", "object_string", "card"))),
    Field("id", ids, omittable=True, nullable=True),
    Field("conversation_id", ids, omittable=True, nullable=True),
    Field("bot_id", MAYBE_EMPTY_IDS, omittable=True, nullable=True),
    Field("chat_id", MAYBE_EMPTY_IDS, omittable=True, nullable=True),
    Field("section_id", ids, omittable=True, nullable=True),
    Field("meta_data", string_maps, omittable=True, nullable=True),
    Field("created_at", TIMES, omittable=True, nullable=True),
    Field("updated_at", TIMES, omittable=True, nullable=True),
    Field("reasoning_content", text, omittable=True, nullable=True),
)


@st.composite
def pages(draw: st.DrawFn) -> dict[str, Any]:
    """A message page: up to three messages with their ids, the top-level ``first_id``/``last_id`` of the
    first and last (empty pages: ``""`` or ``"0"``), and ``has_more``."""
    messages = [{**message, "id": draw(ids)} for message in draw(st.lists(MESSAGES, max_size=3))]
    empty = draw(st.sampled_from(("", "0")))
    return {
        "data": messages,
        "first_id": messages[0]["id"] if messages else empty,
        "last_id": messages[-1]["id"] if messages else empty,
        "has_more": draw(st.booleans()),
    }


def wire_int(value: Any) -> int | None:
    return None if value is None else int(value)


def expected_message(wire: dict[str, Any]) -> dict[str, Any]:
    """What a release reads of a valid Message: each field as sent, None when left out or null."""
    names = ["role", "content", "content_type", "id", "conversation_id", "bot_id", "chat_id", "meta_data"]
    if offers("conversation_section"):
        names.append("section_id")
    if offers("chat_reasoning_content"):
        names.append("reasoning_content")
    expected = {name: wire.get(name) for name in names}
    expected.update(
        type=wire.get("type", ""),
        created_at=wire_int(wire.get("created_at")),
        updated_at=wire_int(wire.get("updated_at")),
    )
    return expected


def read(message: Any, expected: dict[str, Any]) -> dict[str, Any]:
    return {name: getattr(message, name) for name in expected}


@pytest.fixture(scope="module")
def sdk_client() -> Iterator[Any]:
    """One real HTTP client of the release for every example (the fake is new in each)."""
    with capabilities.sync_http_client_class()() as client:
        yield client


def client_of(fake: FakeCoze, http_client: Any) -> cozepy.Coze:
    return cozepy.Coze(auth=cozepy.TokenAuth(TOKEN), base_url=fake.base_url, http_client=http_client)


def conversation_fields() -> list[str]:
    """The Conversation fields the installed release has, of those the stories read."""
    names = ["id", "created_at", "meta_data"]
    if offers("conversation_section"):
        names.append("last_section_id")
    if offers("conversation_details"):
        names.extend(["name", "updated_at", "creator_id", "connector_id"])
    return names


class TestReplyProperties:
    @given(conversation=CONVERSATIONS, page=pages(), wire=MESSAGES)
    def test_any_conversation_message_and_page_parse(
        self, sdk_client: Any, conversation: dict[str, Any], page: dict[str, Any], wire: dict[str, Any]
    ) -> None:
        """Given any Conversation, any message page (up to three messages, its ids and ``has_more``) and any
        Message the service may send (known enum values; optional fields left out or null; times as integers
        or strings),
        When the conversation is retrieved, its messages listed and the message retrieved,
        Then every field the release has of the Conversation and of each Message (None when left out or
        null), and the page's ``first_id``, ``last_id`` and ``has_more``, read as sent.

        One example serves the three replies from one fake: each reply model has its own strategy, and the
        answers no release reads (``test_conversation_without_meta_data``, ``test_page_without_paging_field``,
        ``test_message_with_unknown_enum_value``) are separate known breaks."""
        data = page.pop("data")
        with FakeCoze(token=TOKEN) as fake:
            fake.conversations.retrieve(reply=envelope.ok(conversation))
            fake.conversations.list_messages(reply=envelope.ok(data, **page))
            fake.conversations.retrieve_message(reply=envelope.ok(wire))
            client = client_of(fake, sdk_client)
            retrieved = client.conversations.retrieve(conversation_id=conversation["id"])
            listed = client.conversations.messages.list(conversation_id=conversation["id"])
            message = client.conversations.messages.retrieve(
                conversation_id=conversation["id"], message_id=wire.get("id") or "7432000000000000002"
            )
            fake.verify()

        names = conversation_fields()
        assert {name: getattr(retrieved, name) for name in names} == {name: conversation.get(name) for name in names}
        expected = [expected_message(sent) for sent in (*data, wire)]
        assert [read(item, want) for item, want in zip((*listed.items, message), expected)] == expected
        assert (len(listed.items), listed.first_id, listed.last_id, listed.has_more) == (
            len(data),
            page["first_id"],
            page["last_id"],
            page["has_more"],
        )
