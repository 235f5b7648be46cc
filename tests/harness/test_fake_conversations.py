"""The fake's conversation and message endpoints check requests as the service does, and shape its answers.

As in ``test_fake_families.py``: requests cozepy never sends, sent with plain httpx, and what the
fake answers (4000 and a violation that fails ``verify()``; 4200 for an unknown id), plus the
``overrides`` that make the fake send a record as the service may (a field left out or ``null``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from coze_compat.fake.conversations import LEFT_OUT, ConversationRecord
from coze_compat.fake.server import TOKEN, FakeCoze
from tests.harness.test_fake_families import (
    AUTH,
    BASE,
    BOT_ID,
    assert_not_found,
    assert_rejected,
    conversation_with_question,
    get,
    post,
)

IMAGE = {"type": "image", "file_url": "https://example.com/cat.png"}


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN) as started:
        yield started


def create_message(conversation_id: str, body: Any) -> httpx.Response:
    return post("/v1/conversation/message/create", body, conversation_id=conversation_id)


def text(role: str = "user", content: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"role": role, "content": content, "content_type": "text", **extra}


# -- field types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"bot_id": int(BOT_ID)}, f"conversations.create: bot_id must be a string, got {int(BOT_ID)}"),
        ({"connector_id": 1024}, "conversations.create: connector_id must be a string, got 1024"),
        ({"name": ["trip"]}, "conversations.create: name must be a string, got ['trip']"),
    ],
    ids=["bot-id-number", "connector-id-number", "name-array"],
)
def test_create_conversation_ids_must_be_strings(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """Given a create request with an id sent as a JSON number (or a name that is no string),
    When it is sent,
    Then the answer is 4000 and verify() names the field, as the service reads ids as strings."""
    fake.conversations.create()

    response = post("/v1/conversation/create", body)

    assert_rejected(fake, response, reason)
    assert fake.conversations.records == {}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            {"before_id": 7432000000000000001},
            "before_id must be a message id as a JSON string, got 7432000000000000001",
        ),
        ({"after_id": 0}, "after_id must be a message id as a JSON string, got 0"),
        (
            {"chat_id": 7382159487131697202},
            "conversations.messages.list: chat_id must be a string, got 7382159487131697202",
        ),
    ],
    ids=["before-id-number", "after-id-zero-number", "chat-id-number"],
)
def test_list_messages_ids_must_be_strings(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """Given the message list,
    When a cursor or the chat id is a JSON number,
    Then the answer is 4000 and verify() names the field."""
    conversation = conversation_with_question(fake)
    fake.conversations.list_messages()

    response = post("/v1/conversation/message/list", body, conversation_id=conversation.id)

    assert_rejected(fake, response, reason)


# -- messages: create ----------------------------------------------------------------------------


CARD = {**text(), "content_type": "card"}
LIST_CONTENT = {**text(), "content": ["hi"]}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"content": "hi", "content_type": "text"}, "missing body field(s) role"),
        (text(role="system"), "role must be one of ('user', 'assistant'), got 'system'"),
        (CARD, "content must be a string and content_type one of ('text', 'object_string'), got 'hi' as 'card'"),
        (
            LIST_CONTENT,
            "content must be a string and content_type one of ('text', 'object_string'), got ['hi'] as 'text'",
        ),
        (text(meta_data={"n": 1}), "meta_data must map strings to strings, got {'n': 1}"),
    ],
    ids=["no-role", "unknown-role", "card-as-input", "content-array", "meta-number"],
)
def test_create_message_the_service_rejects(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """Given a conversation,
    When a message the service would not accept is created in it (no role, an unknown role, ``card``
    content, which only replies carry, content that is no string, meta data that is no string map),
    Then the answer is 4000, verify() says what is wrong, and nothing is added."""
    conversation = conversation_with_question(fake)
    fake.conversations.create_message()

    response = create_message(conversation.id, body)

    assert len(conversation.messages) == 1
    assert_rejected(fake, response, f"conversations.messages.create: {reason}")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "object_string content must be a JSON array of objects, got 'not json'"),
        ("[]", "object_string content must be a JSON array of objects, got '[]'"),
        (json.dumps([{"type": "video", "file_id": "1"}]), "object_string part type must be one of"),
        (json.dumps([{"type": "text"}]), "a text part needs its text"),
        (
            json.dumps([{"type": "image", "file_id": None, "file_url": None}]),
            "a image part needs a file_id or a file_url",
        ),
    ],
    ids=["not-json", "empty-array", "unknown-part", "text-without-text", "image-without-file"],
)
def test_create_object_string_message_needs_valid_parts(fake: FakeCoze, content: str, reason: str) -> None:
    """Given a conversation,
    When an ``object_string`` message is created whose content is not the docs' array of typed parts,
    Then the answer is 4000 and verify() says which part is wrong."""
    conversation = conversation_with_question(fake)
    fake.conversations.create_message()

    response = create_message(conversation.id, {**text(content=content), "content_type": "object_string"})

    assert reason in response.json()["msg"]
    with pytest.raises(AssertionError, match="requests the service would reject"):
        fake.verify()


def test_create_object_string_message_accepts_cozepy_parts(fake: FakeCoze) -> None:
    """Given a conversation,
    When an ``object_string`` message is created from parts dumped as cozepy dumps them (``null`` for the
    fields a part does not use),
    Then it is saved with that content and content type."""
    conversation = conversation_with_question(fake)
    fake.conversations.create_message()
    parts = [{"type": "text", "text": "what is this?", "file_id": None, "file_url": None}, IMAGE]

    data = create_message(conversation.id, {**text(content=json.dumps(parts)), "content_type": "object_string"}).json()

    assert (data["data"]["content_type"], data["data"]["type"]) == ("object_string", "")
    assert json.loads(conversation.messages[-1].content) == parts
    fake.verify()


def test_create_message_in_unknown_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given no conversation with the id,
    When a message is created in it,
    Then the answer is the service's not-found error naming the conversation."""
    fake.conversations.create_message()

    assert_not_found(create_message("404", text()), "conversation {'conversation_id': '404'}")
    fake.verify()


# -- messages: modify and delete -------------------------------------------------------------------


def modify(conversation_id: str, message_id: str, body: Any) -> httpx.Response:
    return post("/v1/conversation/message/modify", body, conversation_id=conversation_id, message_id=message_id)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"content_type": "text"}, "give content or meta_data (they cannot both be empty)"),
        ({"content": "", "meta_data": {}}, "give content or meta_data (they cannot both be empty)"),
        ({"content": "new"}, "content must be a string sent with its content_type"),
    ],
    ids=["nothing", "both-empty", "content-without-type"],
)
def test_modify_message_the_service_rejects(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """Given a conversation with a question,
    When it is modified with neither content nor meta data, or content without its content type,
    Then the answer is 4000, verify() says what is wrong, and the message is unchanged."""
    conversation = conversation_with_question(fake)
    fake.conversations.update_message()

    response = modify(conversation.id, conversation.messages[0].id, body)

    assert reason in response.json()["msg"]
    assert conversation.messages[0].content == "hi"
    with pytest.raises(AssertionError, match="requests the service would reject"):
        fake.verify()


def test_modify_message_answers_under_message(fake: FakeCoze) -> None:
    """Given a conversation with a question,
    When its meta data is modified,
    Then the reply carries the Message under a top-level ``message`` and no ``data`` (DOC modify_message),
    with a later update time."""
    conversation = conversation_with_question(fake)
    question = conversation.messages[0]
    fake.conversations.update_message()

    body = modify(conversation.id, question.id, {"meta_data": {"k": "v"}}).json()

    assert "data" not in body
    assert (body["message"]["id"], body["message"]["meta_data"], body["message"]["content"]) == (
        question.id,
        {"k": "v"},
        "hi",
    )
    assert body["message"]["updated_at"] > body["message"]["created_at"]
    fake.verify()


def test_modify_unknown_message_gets_4200(fake: FakeCoze) -> None:
    """Given a conversation without the message,
    When it is modified,
    Then the answer is the service's not-found error naming both ids."""
    conversation = conversation_with_question(fake)
    fake.conversations.update_message()

    response = modify(conversation.id, "404", {"content": "x", "content_type": "text"})

    assert_not_found(response, f"message {{'conversation_id': '{conversation.id}', 'message_id': '404'}}")
    fake.verify()


def test_delete_intermediate_message_is_a_violation(fake: FakeCoze) -> None:
    """Given a conversation with a chat's verbose message,
    When that message is deleted on its own,
    Then the answer is 4000 (only questions and answers can be deleted) and the message stays."""
    conversation = conversation_with_question(fake)
    verbose = fake.conversations.add_message(conversation, "assistant", "verbose", "{}", chat_id="1")
    fake.conversations.delete_message()

    response = post("/v1/conversation/message/delete", conversation_id=conversation.id, message_id=verbose.id)

    assert_rejected(
        fake,
        response,
        "conversations.messages.delete: only questions and answers can be deleted, not a 'verbose' message",
    )
    assert verbose in conversation.messages


def test_delete_message_of_unknown_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given no conversation with the id,
    When one of its messages is deleted,
    Then the answer is the service's not-found error naming the conversation."""
    fake.conversations.delete_message()

    response = post("/v1/conversation/message/delete", conversation_id="404", message_id="1")

    assert_not_found(response, "conversation {'conversation_id': '404'}")
    fake.verify()


# -- conversations: update, delete, clear -------------------------------------------------------------


def put(path: str, body: Any) -> httpx.Response:
    return httpx.put(f"{BASE}{path}", json=body, headers=AUTH)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"name": None}, "conversations.update: missing body field(s) name"),
        ({"name": ""}, "conversations.update: name must be 1-100 characters, got ''"),
        ({"name": "x" * 101}, f"conversations.update: name must be 1-100 characters, got {'x' * 101!r}"),
        ({"name": 7}, "conversations.update: name must be a string, got 7"),
    ],
    ids=["null", "empty", "too-long", "number"],
)
def test_rename_conversation_the_service_rejects(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """Given a conversation,
    When it is renamed without a name (cozepy 0.20.0 sends ``null`` when none is given), with an empty one,
    one over 100 characters or one that is no string,
    Then the answer is 4000, verify() says why, and the name is unchanged."""
    record = fake.conversations.new(name="old")
    fake.conversations.update()

    response = put(f"/v1/conversations/{record.id}", body)

    assert_rejected(fake, response, reason)
    assert record.name == "old"


def test_rename_unknown_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given no conversation with the id in the path,
    When it is renamed,
    Then the answer is the service's not-found error naming it."""
    fake.conversations.update()

    assert_not_found(put("/v1/conversations/404", {"name": "new"}), "conversation {'conversation_id': '404'}")
    fake.verify()


def test_delete_conversation_answers_without_data(fake: FakeCoze) -> None:
    """Given a conversation,
    When it is deleted twice,
    Then the first answer is code 0 without ``data`` (DOC delete_conversation) and the second is 4200."""
    record = fake.conversations.new()
    fake.conversations.delete()

    first = httpx.delete(f"{BASE}/v1/conversations/{record.id}", headers=AUTH).json()
    second = httpx.delete(f"{BASE}/v1/conversations/{record.id}", headers=AUTH)

    assert (first["code"], "data" in first) == (0, False)
    assert_not_found(second, f"conversation {{'conversation_id': '{record.id}'}}")
    fake.verify()


def test_clear_keeps_messages_and_starts_a_section(fake: FakeCoze) -> None:
    """Given a conversation with a question,
    When its context is cleared twice,
    Then each answer is a new Section, the question stays, and ``last_section_id`` is the newest section."""
    conversation = conversation_with_question(fake)
    fake.conversations.clear()

    first = post(f"/v1/conversations/{conversation.id}/clear").json()["data"]
    second = post(f"/v1/conversations/{conversation.id}/clear").json()["data"]

    assert first["conversation_id"] == second["conversation_id"] == conversation.id
    assert len({conversation.id, first["id"], second["id"]}) == 3
    assert conversation.last_section_id == second["id"]
    assert [m.content for m in conversation.messages] == ["hi"]
    fake.verify()


# -- the service's range of answers ------------------------------------------------------------------


def test_overrides_leave_out_or_replace_fields(fake: FakeCoze) -> None:
    """Given a conversation sent without ``name`` and with ``meta_data`` null, and a message of an unknown type,
    When both are fetched,
    Then the fields are left out, replaced, or sent as kept, as the overrides say."""
    record: ConversationRecord = conversation_with_question(fake)
    record.overrides.update(name=LEFT_OUT, meta_data=None)
    record.messages[0].overrides["type"] = "knowledge_recall"
    fake.conversations.retrieve()
    fake.conversations.retrieve_message()

    conversation = get("/v1/conversation/retrieve", conversation_id=record.id).json()["data"]
    message = get(
        "/v1/conversation/message/retrieve", conversation_id=record.id, message_id=record.messages[0].id
    ).json()["data"]

    assert ("name" in conversation, conversation["meta_data"], conversation["id"]) == (False, None, record.id)
    assert (message["type"], message["content"]) == ("knowledge_recall", "hi")
    fake.verify()


def test_page_overrides_shape_every_page(fake: FakeCoze) -> None:
    """Given page overrides leaving out ``first_id`` and sending ``has_more`` null,
    When the messages are listed,
    Then the page has no ``first_id``, ``has_more`` is null and ``last_id`` is as computed."""
    conversation = conversation_with_question(fake)
    fake.conversations.page_overrides.update(first_id=LEFT_OUT, has_more=None)
    fake.conversations.list_messages()

    body = post("/v1/conversation/message/list", {}, conversation_id=conversation.id).json()

    assert ("first_id" in body, body["has_more"], body["last_id"]) == (False, None, conversation.messages[0].id)
    fake.verify()
