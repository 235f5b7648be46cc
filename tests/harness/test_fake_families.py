"""The fake's endpoint families answer malformed requests, unknown ids and paging edges as the service does.

The stories reach these endpoints through cozepy, which sends well-formed requests: these tests
send the requests cozepy never sends, with plain httpx, and pin what the fake answers (4000 and a
violation that fails ``verify()``, 4200 for an unknown id) and how it pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from coze_compat.fake import envelope
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.chat import Answer, ChatRecord, LiveStream
from coze_compat.fake.conversations import ConversationRecord
from coze_compat.fake.server import TOKEN, FakeCoze, UnexpectedRequestError
from coze_compat.fake.sse import SSEEvent, encode
from coze_compat.fake.workflows import QUESTION_INTERRUPT, RunRecord, WorkflowRecord

BASE = "https://api.coze.com"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPACE_ID = "7376"
BOT_ID = "7379462189365198898"
CHAT_ID = "7382159487131697202"
WORKFLOW_ID = "7389589103588700000"
QUESTION = {"role": "user", "type": "question", "content": "What day is 2024-10-01?", "content_type": "text"}


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    """The fake, knowing the bot ``BOT_ID`` that the chats here talk to (in no space: the bot lists do not see it)."""
    with FakeCoze(token=TOKEN) as started:
        started.bots.add(BotRecord(bot_id=BOT_ID, name="Calendar helper"))
        yield started


def get(path: str, **params: str) -> httpx.Response:
    return httpx.get(f"{BASE}{path}", params=params, headers=AUTH)


def post(path: str, body: Any = None, **params: str) -> httpx.Response:
    if body is None:
        return httpx.post(f"{BASE}{path}", params=params, headers=AUTH)
    return httpx.post(f"{BASE}{path}", params=params, json=body, headers=AUTH)


def assert_rejected(fake: FakeCoze, response: httpx.Response, reason: str) -> None:
    """The service's 4000 answer carrying ``reason``, and ``verify()`` failing with it."""
    assert (response.status_code, response.json()["code"], response.json()["msg"]) == (
        200,
        envelope.BAD_REQUEST[0],
        f"{envelope.BAD_REQUEST[1]}: {reason}",
    )
    with pytest.raises(UnexpectedRequestError, match=f"requests the service would reject: .*: {re.escape(reason)}$"):
        fake.verify()


def assert_not_found(response: httpx.Response, what: str) -> None:
    """The service's 4200 answer naming ``what``."""
    assert (response.status_code, response.json()["code"], response.json()["msg"]) == (
        200,
        envelope.NOT_FOUND[0],
        f"{envelope.NOT_FOUND[1]}: {what}",
    )


def chat(body: dict[str, Any], conversation_id: str = "") -> httpx.Response:
    """``POST /v3/chat`` as cozepy sends it (``conversation_id`` always in the query), with ``body`` added."""
    return post("/v3/chat", {"bot_id": BOT_ID, "user_id": "u1", **body}, conversation_id=conversation_id)


def conversation_with_question(fake: FakeCoze) -> ConversationRecord:
    conversation = fake.conversations.new(bot_id=BOT_ID)
    fake.conversations.add_message(conversation, "user", "question", "hi")
    return conversation


def chat_record(conversation: ConversationRecord, status: str = "in_progress") -> ChatRecord:
    return ChatRecord(CHAT_ID, conversation, BOT_ID, 1718792949, Answer(), True, status=status)


def run(body: dict[str, Any]) -> httpx.Response:
    return post("/v1/workflow/run", {"workflow_id": WORKFLOW_ID, "is_async": False, **body})


def resume(**body: Any) -> httpx.Response:
    return post(
        "/v1/workflow/stream_resume",
        {"workflow_id": WORKFLOW_ID, "resume_data": "Hangzhou", "interrupt_type": QUESTION_INTERRUPT, **body},
    )


# -- bots ----------------------------------------------------------------------------------------


def add_bots(fake: FakeCoze, count: int) -> list[BotRecord]:
    return [
        fake.bots.add(BotRecord(bot_id=f"73794621893651{n:05d}", name=f"bot {n}", space_id=SPACE_ID, publish_time=n))
        for n in range(count)
    ]


def test_published_bots_without_page_parameters_get_the_first_page_of_twenty(fake: FakeCoze) -> None:
    """Given 21 published bots in a space,
    When the published-bots list is asked for without page_index or page_size,
    Then the answer is the first page of the default 20 bots, newest first, and the total of 21."""
    add_bots(fake, 21)
    fake.bots.list_published()

    data = get("/v1/space/published_bots_list", space_id=SPACE_ID).json()["data"]

    assert [bot["bot_name"] for bot in data["space_bots"]] == [f"bot {n}" for n in range(20, 0, -1)]
    assert data["total"] == 21
    fake.verify()


def test_bots_page_past_the_end_is_empty_with_the_total(fake: FakeCoze) -> None:
    """Given two bots in a workspace,
    When the /v1/bots list is asked for page 3 of size 1,
    Then the answer is an empty page that still reports the total of 2."""
    add_bots(fake, 2)
    fake.bots.list()

    body = get("/v1/bots", workspace_id=SPACE_ID, page_index="3", page_size="1").json()

    assert (body["code"], body["data"]) == (0, {"items": [], "total": 2})
    fake.verify()


def test_bots_page_size_that_is_no_integer_is_a_violation(fake: FakeCoze) -> None:
    """Given the /v1/bots list,
    When page_size is not an integer,
    Then the answer is 4000 and verify() names the parameter and its value."""
    fake.bots.list()

    response = get("/v1/bots", workspace_id=SPACE_ID, page_index="1", page_size="ten")

    assert_rejected(fake, response, "page_size must be an integer, got 'ten'")


def test_bots_unknown_publish_status_is_a_violation(fake: FakeCoze) -> None:
    """Given the /v1/bots list,
    When publish_status is not one of the four documented values,
    Then the answer is 4000 and verify() lists the values the service takes."""
    fake.bots.list()

    response = get("/v1/bots", workspace_id=SPACE_ID, publish_status="draft")

    assert_rejected(
        fake,
        response,
        "publish_status must be one of all, published_online, published_draft, unpublished_draft, got 'draft'",
    )


def test_retrieve_v2_is_published_must_be_a_lowercase_boolean(fake: FakeCoze) -> None:
    """Given the v2 bot retrieval,
    When is_published is sent as Python writes a boolean ("True") instead of "true",
    Then the answer is 4000 and verify() names the value."""
    add_bots(fake, 1)
    fake.bots.retrieve_v2()

    response = get("/v1/bots/7379462189365100000", is_published="True")

    assert_rejected(fake, response, "is_published must be true or false, got 'True'")


def test_retrieve_v2_unknown_bot_gets_4200(fake: FakeCoze) -> None:
    """Given no bot with the id in the path,
    When it is retrieved through the v2 endpoint,
    Then the answer is the service's not-found error naming the id, and no violation is recorded."""
    fake.bots.retrieve_v2()

    response = get("/v1/bots/404", is_published="false")

    assert_not_found(response, "bot {'bot_id': '404'}")
    fake.verify()


# -- chat: create --------------------------------------------------------------------------------


def test_chat_meta_data_is_echoed_in_the_chat_object(fake: FakeCoze) -> None:
    """Given a blocking chat with meta_data,
    When it is created,
    Then the Chat object carries the same meta_data."""
    fake.chat.create()

    data = chat({"additional_messages": [QUESTION], "stream": False, "meta_data": {"order": "42"}}).json()["data"]

    assert (data["status"], data["meta_data"]) == ("in_progress", {"order": "42"})
    fake.verify()


def test_chat_null_flags_take_their_defaults(fake: FakeCoze) -> None:
    """Given a chat body with "stream": null and "auto_save_history": null,
    When it is created,
    Then it runs as a blocking chat that saves its history, as if both were absent."""
    fake.chat.create()

    data = chat({"additional_messages": [QUESTION], "stream": None, "auto_save_history": None}).json()["data"]

    saved = fake.conversations.records[data["conversation_id"]].messages
    assert (data["status"], [(m.role, m.type, m.content) for m in saved]) == (
        "in_progress",
        [("user", "question", QUESTION["content"])],
    )
    fake.verify()


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        ({"stream": "true"}, "chat.create: stream must be a boolean, got 'true'"),
        ({"stream": True, "auto_save_history": 1}, "chat.create: auto_save_history must be a boolean, got 1"),
    ],
    ids=["stream-string", "auto-save-history-number"],
)
def test_chat_flag_that_is_no_boolean_is_a_violation(fake: FakeCoze, flags: dict[str, Any], reason: str) -> None:
    """Given a chat body whose stream or auto_save_history is not a JSON boolean,
    When it is sent,
    Then the answer is 4000 and verify() names the flag and its value."""
    fake.chat.create()

    response = chat({"additional_messages": [QUESTION], **flags})

    assert_rejected(fake, response, reason)


def test_blocking_chat_without_history_is_a_violation(fake: FakeCoze) -> None:
    """Given a blocking chat (stream false) with auto_save_history false,
    When it is sent,
    Then the answer is 4000, as the docs forbid it, and verify() says why."""
    fake.chat.create()

    response = chat({"additional_messages": [QUESTION], "stream": False, "auto_save_history": False})

    assert_rejected(fake, response, "chat.create: a blocking chat (stream=false) must set auto_save_history=true")


def test_chat_additional_messages_must_be_an_array(fake: FakeCoze) -> None:
    """Given a chat whose additional_messages is one message object, not an array of them,
    When it is sent,
    Then the answer is 4000 and verify() shows what was sent."""
    fake.chat.create()

    response = chat({"additional_messages": QUESTION})

    assert_rejected(fake, response, f"chat.create: additional_messages must be an array, got {QUESTION!r}")


def test_chat_additional_message_gets_the_message_checks(fake: FakeCoze) -> None:
    """Given a chat whose additional message is an assistant "question",
    When it is sent,
    Then the answer is 4000 and verify() names the endpoint and the mismatch of type and role."""
    fake.chat.create()

    response = chat({"additional_messages": [{**QUESTION, "role": "assistant"}]})

    assert_rejected(fake, response, "chat.create: message type 'question' does not go with role 'assistant'")


def test_chat_meta_data_must_be_a_map(fake: FakeCoze) -> None:
    """Given a chat whose meta_data is an array,
    When it is sent,
    Then the answer is 4000 and verify() shows the value."""
    fake.chat.create()

    response = chat({"additional_messages": [QUESTION], "meta_data": ["order", "42"]})

    assert_rejected(fake, response, "chat.create: meta_data must map strings to strings, got ['order', '42']")


def test_chat_in_unknown_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given no conversation with the id in the query,
    When a chat is created in it,
    Then the answer is the service's not-found error naming the conversation, and no chat is recorded."""
    fake.chat.create()

    response = chat({"additional_messages": [QUESTION]}, conversation_id="404")

    assert_not_found(response, "conversation {'conversation_id': '404'}")
    assert fake.chat.records == {}
    fake.verify()


def test_chat_without_question_is_a_violation(fake: FakeCoze) -> None:
    """Given no conversation id and no additional_messages,
    When a chat is created,
    Then the answer is 4000, as the bot would have nothing to answer, and verify() says so."""
    fake.chat.create()

    response = chat({"stream": True})

    assert_rejected(fake, response, "chat.create: no question: give additional_messages or an existing conversation")
    assert fake.conversations.records == {}  # a rejected request changes nothing


def test_chat_in_an_empty_conversation_without_question_is_a_violation(fake: FakeCoze) -> None:
    """Given an existing conversation without messages,
    When a chat is created in it without additional_messages,
    Then the answer is 4000 and verify() says a question is missing."""
    conversation = fake.conversations.new(bot_id=BOT_ID)
    fake.chat.create()

    response = chat({"stream": True}, conversation_id=conversation.id)

    assert_rejected(fake, response, "chat.create: no question: give additional_messages or an existing conversation")


def test_streamed_chat_without_history_leaves_the_conversation_alone(fake: FakeCoze) -> None:
    """Given a conversation holding one question,
    When a streaming chat with auto_save_history false and a new question runs in it,
    Then the whole stream is answered but neither the new question nor the answer is saved in the conversation."""
    conversation = conversation_with_question(fake)
    fake.chat.create()

    response = chat(
        {"additional_messages": [QUESTION], "stream": True, "auto_save_history": False},
        conversation_id=conversation.id,
    )

    assert response.headers["content-type"] == envelope.EVENT_STREAM_TYPE
    assert response.text.endswith('event:done\ndata:"[DONE]"\n\n')
    assert [(m.type, m.content) for m in conversation.messages] == [("question", "hi")]
    [record] = fake.chat.records.values()
    assert (record.save_history, [m.type for m in record.messages]) == (False, ["answer", "verbose"])
    fake.verify()


@pytest.mark.anyio
async def test_live_stream_without_drop_ends_cleanly_for_an_async_client(fake: FakeCoze) -> None:
    """Given a chat stream sent as a live stream, one event per network read, that is not dropped,
    When an async client reads it to the end,
    Then every chunk arrives in its own read and the body ends without an error."""
    chunks = [encode([SSEEvent("conversation.chat.created", {"id": CHAT_ID})]), encode([SSEEvent("done", '"[DONE]"')])]
    live = LiveStream(chunks)
    fake.chat.create(reply=live)

    async with httpx.AsyncClient() as client, client.stream(
        "POST", f"{BASE}/v3/chat", json={"bot_id": BOT_ID, "user_id": "u1"}, headers=AUTH
    ) as response:
        received = [chunk async for chunk in response.aiter_raw()]

    assert (received, live.reads) == (chunks, 2)
    fake.verify()


# -- chat: retrieve and messages -----------------------------------------------------------------


def test_retrieve_unknown_chat_gets_4200(fake: FakeCoze) -> None:
    """Given no chat with the requested id,
    When it is retrieved,
    Then the answer is the service's not-found error naming the query."""
    conversation = fake.conversations.new(bot_id=BOT_ID)
    fake.chat.retrieve()

    response = post("/v3/chat/retrieve", conversation_id=conversation.id, chat_id="404")

    assert_not_found(response, f"chat {{'conversation_id': '{conversation.id}', 'chat_id': '404'}}")
    fake.verify()


def test_retrieve_chat_through_another_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given a chat in one conversation,
    When it is retrieved with the id of another conversation,
    Then the answer is not-found, as the service looks a chat up within its conversation."""
    conversation, other = conversation_with_question(fake), fake.conversations.new(bot_id=BOT_ID)
    fake.chat.records[CHAT_ID] = chat_record(conversation)
    fake.chat.retrieve()

    response = post("/v3/chat/retrieve", conversation_id=other.id, chat_id=CHAT_ID)

    assert_not_found(response, f"chat {{'conversation_id': '{other.id}', 'chat_id': '{CHAT_ID}'}}")
    fake.verify()


def test_retrieve_finished_chat_answers_it_unchanged(fake: FakeCoze) -> None:
    """Given a chat that has already completed,
    When it is retrieved again,
    Then the answer is the same completed Chat object, with its usage, and the chat's state does not move."""
    record = chat_record(conversation_with_question(fake), status="completed")
    record.completed_at = 1718792955
    fake.chat.records[CHAT_ID] = record
    expected = record.wire()
    fake.chat.retrieve()

    data = post("/v3/chat/retrieve", conversation_id=record.conversation.id, chat_id=CHAT_ID).json()["data"]

    assert data == expected
    assert (data["status"], data["completed_at"], data["usage"]) == ("completed", 1718792955, Answer().usage())
    fake.verify()


def test_chat_messages_of_unknown_chat_gets_4200(fake: FakeCoze) -> None:
    """Given no chat with the requested id,
    When its messages are listed,
    Then the answer is the service's not-found error naming the query."""
    fake.chat.list_messages()

    response = get("/v3/chat/message/list", conversation_id="404", chat_id="405")

    assert_not_found(response, "chat {'conversation_id': '404', 'chat_id': '405'}")
    fake.verify()


# -- conversations: create -----------------------------------------------------------------------


def test_create_conversation_without_body_is_empty(fake: FakeCoze) -> None:
    """Given a create request with no body at all (every field is optional),
    When it is sent,
    Then the answer is a new conversation without name, meta_data or messages, on the API connector."""
    fake.conversations.create()

    data = post("/v1/conversation/create").json()["data"]

    assert (data["name"], data["meta_data"], data["connector_id"]) == ("", {}, "1024")
    assert fake.conversations.records[data["id"]].messages == []
    fake.verify()


def test_create_conversation_body_must_be_an_object(fake: FakeCoze) -> None:
    """Given a create request whose JSON body is an array,
    When it is sent,
    Then the answer is 4000 and verify() shows the body."""
    fake.conversations.create()

    response = post("/v1/conversation/create", [QUESTION])

    assert_rejected(fake, response, f"conversations.create: body must be a JSON object, got {[QUESTION]!r}")


def test_create_conversation_messages_must_be_an_array(fake: FakeCoze) -> None:
    """Given a create request whose messages is a string,
    When it is sent,
    Then the answer is 4000 and verify() shows the value."""
    fake.conversations.create()

    response = post("/v1/conversation/create", {"messages": "hi"})

    assert_rejected(fake, response, "conversations.create: messages must be an array, got 'hi'")


def test_create_conversation_meta_data_must_be_a_map(fake: FakeCoze) -> None:
    """Given a create request whose meta_data is a string,
    When it is sent,
    Then the answer is 4000 and verify() shows the value."""
    fake.conversations.create()

    response = post("/v1/conversation/create", {"meta_data": "uuid=1"})

    assert_rejected(fake, response, "conversations.create: meta_data must map strings to strings, got 'uuid=1'")


NOT_A_STRING_CONTENT = {"role": "user", "content": ["hi"], "content_type": "text"}
EMPTY_CONTENT_TYPE = {"role": "user", "content": "hi", "content_type": ""}


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("hi", "a message must be a JSON object, got 'hi'"),
        ({**QUESTION, "role": "system"}, "message role must be one of ('user', 'assistant'), got 'system'"),
        (NOT_A_STRING_CONTENT, f"a message needs a string content and content_type, got {NOT_A_STRING_CONTENT!r}"),
        (EMPTY_CONTENT_TYPE, f"a message needs a string content and content_type, got {EMPTY_CONTENT_TYPE!r}"),
        ({**QUESTION, "type": "answer"}, "message type 'answer' does not go with role 'user'"),
        (
            {**QUESTION, "role": "assistant", "type": "verbose"},
            "message type 'verbose' does not go with role 'assistant'",
        ),
        ({**QUESTION, "meta_data": {"n": 1}}, "meta_data must map strings to strings, got {'n': 1}"),
    ],
    ids=["not-an-object", "unknown-role", "content-not-string", "empty-content-type", "user-answer", "verbose", "meta"],
)
def test_create_conversation_message_the_service_rejects(fake: FakeCoze, message: Any, reason: str) -> None:
    """Given a create request with one message the service would not accept,
    When it is sent,
    Then the answer is 4000, verify() says what is wrong with the message, and no conversation is created."""
    fake.conversations.create()

    response = post("/v1/conversation/create", {"messages": [message]})

    assert fake.conversations.records == {}
    assert_rejected(fake, response, f"conversations.create: {reason}")


# -- conversations: retrieve and list ------------------------------------------------------------


def test_retrieve_unknown_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given no conversation with the requested id,
    When it is retrieved,
    Then the answer is the service's not-found error naming the id."""
    fake.conversations.retrieve()

    response = get("/v1/conversation/retrieve", conversation_id="404")

    assert_not_found(response, "conversation {'conversation_id': '404'}")
    fake.verify()


def test_list_conversations_last_full_page_has_no_more(fake: FakeCoze) -> None:
    """Given exactly two conversations of a bot,
    When page 2 of size 1 is listed,
    Then it holds the older conversation and has_more is false, as the pages end exactly there."""
    older, _newer = fake.conversations.new(bot_id=BOT_ID), fake.conversations.new(bot_id=BOT_ID)
    fake.conversations.list()

    data = get("/v1/conversations", bot_id=BOT_ID, page_num="2", page_size="1").json()["data"]

    assert (data["has_more"], [c["id"] for c in data["conversations"]]) == (False, [older.id])
    fake.verify()


def test_list_conversations_page_that_is_no_integer_is_a_violation(fake: FakeCoze) -> None:
    """Given the conversations list,
    When page_num is not an integer,
    Then the answer is 4000 and verify() shows the query."""
    fake.conversations.list()

    response = get("/v1/conversations", bot_id=BOT_ID, page_num="two", page_size="50")

    assert_rejected(
        fake,
        response,
        "page parameters must be integers: {'bot_id': ('" + BOT_ID + "',), 'page_num': ('two',), 'page_size': ('50',)}",
    )


@pytest.mark.parametrize(
    ("page_num", "page_size"),
    [("0", "50"), ("1", "51"), ("1", "0")],
    ids=["page-0", "size-51", "size-0"],
)
def test_list_conversations_page_out_of_range_is_a_violation(fake: FakeCoze, page_num: str, page_size: str) -> None:
    """Given the conversations list,
    When page_num is below 1 or page_size outside 1-50,
    Then the answer is 4000 and verify() states the ranges."""
    fake.conversations.list()

    response = get("/v1/conversations", bot_id=BOT_ID, page_num=page_num, page_size=page_size)

    query = f"{{'bot_id': ('{BOT_ID}',), 'page_num': ('{page_num}',), 'page_size': ('{page_size}',)}}"
    assert_rejected(fake, response, f"page_num must be >= 1 and page_size 1-50: {query}")


# -- conversations: message list -----------------------------------------------------------------


def list_messages(conversation_id: str, body: Any = None) -> httpx.Response:
    return post("/v1/conversation/message/list", body, conversation_id=conversation_id)


def test_list_messages_without_body_takes_the_defaults(fake: FakeCoze) -> None:
    """Given a conversation with a question and an answer,
    When its messages are listed with no body at all,
    Then the answer uses the defaults: newest first, up to 50, no more pages."""
    conversation = conversation_with_question(fake)
    answer = fake.conversations.add_message(conversation, "assistant", "answer", "Tuesday")
    fake.conversations.list_messages()

    body = list_messages(conversation.id).json()

    assert [m["content"] for m in body["data"]] == ["Tuesday", "hi"]
    assert (body["first_id"], body["last_id"], body["has_more"]) == (answer.id, conversation.messages[0].id, False)
    fake.verify()


def test_list_messages_body_must_be_an_object(fake: FakeCoze) -> None:
    """Given the message list,
    When its JSON body is an array,
    Then the answer is 4000 and verify() shows the body."""
    conversation = conversation_with_question(fake)
    fake.conversations.list_messages()

    response = list_messages(conversation.id, ["desc"])

    assert_rejected(fake, response, "conversations.messages.list: body must be a JSON object, got ['desc']")


def test_list_messages_unknown_order_is_a_violation(fake: FakeCoze) -> None:
    """Given the message list,
    When order is neither asc nor desc,
    Then the answer is 4000 and verify() shows the value."""
    conversation = conversation_with_question(fake)
    fake.conversations.list_messages()

    response = list_messages(conversation.id, {"order": "newest"})

    assert_rejected(fake, response, "conversations.messages.list: order must be asc or desc, got 'newest'")


@pytest.mark.parametrize(
    ("limit", "shown"),
    [(51, "51"), (0, "0"), ("10", "'10'"), (True, "True")],
    ids=["above-50", "zero", "string", "boolean"],
)
def test_list_messages_limit_out_of_range_is_a_violation(fake: FakeCoze, limit: Any, shown: str) -> None:
    """Given the message list,
    When limit is outside 1-50 or not a JSON number (a boolean is not one),
    Then the answer is 4000 and verify() shows the value."""
    conversation = conversation_with_question(fake)
    fake.conversations.list_messages()

    response = list_messages(conversation.id, {"limit": limit})

    assert_rejected(fake, response, f"conversations.messages.list: limit must be 1-50, got {shown}")


@pytest.mark.parametrize(
    ("cursor", "reason"),
    [
        ({"after_id": "latest"}, "after_id must be a message id, got 'latest'"),
        ({"before_id": [7432000000000000001]}, "before_id must be a message id, got [7432000000000000001]"),
    ],
    ids=["after-word", "before-array"],
)
def test_list_messages_cursor_that_is_no_id_is_a_violation(fake: FakeCoze, cursor: dict[str, Any], reason: str) -> None:
    """Given the message list,
    When a cursor is neither unset nor a message id,
    Then the answer is 4000 and verify() names the cursor and its value."""
    conversation = conversation_with_question(fake)
    fake.conversations.list_messages()

    response = list_messages(conversation.id, cursor)

    assert_rejected(fake, response, reason)


def test_list_messages_of_unknown_conversation_gets_4200(fake: FakeCoze) -> None:
    """Given no conversation with the id in the query,
    When its messages are listed with cozepy's body,
    Then the answer is the service's not-found error naming the id."""
    fake.conversations.list_messages()

    response = list_messages(
        "404", {"order": "desc", "chat_id": None, "before_id": None, "after_id": None, "limit": 50}
    )

    assert_not_found(response, "conversation {'conversation_id': '404'}")
    fake.verify()


# -- workflows -----------------------------------------------------------------------------------


@pytest.fixture
def workflow(fake: FakeCoze) -> WorkflowRecord:
    return fake.workflows.add(WorkflowRecord(WORKFLOW_ID, {"output": "Tuesday"}, question="Which city?"))


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"bot_id": 7379462189365198898}, "bot_id must be a string, got 7379462189365198898"),
        ({"app_id": 7445}, "app_id must be a string, got 7445"),
        ({"parameters": ["George"]}, "parameters must be a JSON object, got ['George']"),
        ({"bot_id": BOT_ID, "app_id": "7445"}, "bot_id and app_id must not both be given"),
        ({"ext": {"user_id": 1}}, "ext must be a map of strings, got {'user_id': 1}"),
        ({"is_async": "false"}, "is_async must be a boolean, got 'false'"),
    ],
    ids=["bot-id-number", "app-id-number", "parameters-array", "bot-and-app", "ext-number", "is-async-string"],
)
def test_workflow_run_the_service_rejects(
    fake: FakeCoze, workflow: WorkflowRecord, extra: dict[str, Any], reason: str
) -> None:
    """Given a published workflow,
    When a run of it carries a field the service would not accept,
    Then the answer is 4000, verify() says what is wrong, and no run is recorded."""
    fake.workflows.run()

    response = run(extra)

    assert fake.workflows.runs == {}
    assert_rejected(fake, response, reason)


def test_workflow_stream_run_gets_the_same_checks(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given a published workflow,
    When a stream run of it gives both bot_id and app_id,
    Then the answer is a 4000 envelope rather than a stream, and verify() says why."""
    fake.workflows.stream_run()

    response = post("/v1/workflow/stream_run", {"workflow_id": WORKFLOW_ID, "bot_id": BOT_ID, "app_id": "7445"})

    assert response.headers["content-type"] == envelope.JSON_TYPE
    assert_rejected(fake, response, "bot_id and app_id must not both be given")


def test_resume_unknown_event_is_a_violation(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given no interrupt the fake sent,
    When a resume names an event id,
    Then the answer is 4000 and verify() says the event is no interrupt of the workflow."""
    fake.workflows.stream_resume()

    response = resume(event_id="7404830425073352713/2769808280134765896")

    assert_rejected(
        fake, response, f"event_id 7404830425073352713/2769808280134765896 is no interrupt of workflow {WORKFLOW_ID}"
    )


def test_resume_interrupt_of_another_workflow_is_a_violation(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given an interrupt of another workflow,
    When a resume names its event id with this workflow's id,
    Then the answer is 4000 and the interrupt still waits for its own workflow."""
    event_id = fake.workflows.interrupt("7389000000000000001")
    fake.workflows.stream_resume()

    response = resume(event_id=event_id)

    assert event_id in fake.workflows.interrupts
    assert_rejected(fake, response, f"event_id {event_id} is no interrupt of workflow {WORKFLOW_ID}")


def test_resume_with_wrong_interrupt_type_is_a_violation(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given a workflow interrupted at a Question node (type 2),
    When the resume says interrupt_type 5 (an input node),
    Then the answer is 4000 and verify() names the type the event needs."""
    event_id = fake.workflows.interrupt(WORKFLOW_ID)
    fake.workflows.stream_resume()

    response = resume(event_id=event_id, interrupt_type=5)

    assert_rejected(fake, response, f"interrupt_type must be 2 for event {event_id}")


def test_resume_data_must_be_a_string(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given a workflow interrupted at a Question node,
    When the resume answers with a JSON number,
    Then the answer is 4000 and verify() says resume_data must be a string."""
    event_id = fake.workflows.interrupt(WORKFLOW_ID)
    fake.workflows.stream_resume()

    response = resume(event_id=event_id, resume_data=42)

    assert_rejected(fake, response, "resume_data must be a string")


def test_resume_of_a_workflow_no_longer_known_gets_4200(fake: FakeCoze) -> None:
    """Given an interrupt of a workflow the fake does not hold,
    When it is resumed correctly,
    Then the answer is the not-found error naming the workflow, and the interrupt is kept."""
    event_id = fake.workflows.interrupt(WORKFLOW_ID)
    fake.workflows.stream_resume()

    response = resume(event_id=event_id)

    assert_not_found(response, f"workflow {{'workflow_id': '{WORKFLOW_ID}'}}")
    assert fake.workflows.interrupts == {event_id: (WORKFLOW_ID, QUESTION_INTERRUPT)}
    fake.verify()


@pytest.mark.parametrize(
    ("workflow_id", "execute_id"),
    [(WORKFLOW_ID, "404"), ("7389000000000000001", "7431040978805000001")],
    ids=["unknown-run", "run-of-another-workflow"],
)
def test_run_history_unknown_run_gets_4200(fake: FakeCoze, workflow_id: str, execute_id: str) -> None:
    """Given one recorded run of a workflow,
    When a run history is asked for an unknown execute id, or for that run under another workflow,
    Then the answer is the not-found error naming both ids."""
    fake.workflows.add_run(RunRecord("7431040978805000001", WORKFLOW_ID))
    fake.workflows.run_history()

    response = get(f"/v1/workflows/{workflow_id}/run_histories/{execute_id}")

    assert_not_found(response, f"run {{'workflow_id': '{workflow_id}', 'execute_id': '{execute_id}'}}")
    fake.verify()


def test_conversation_meta_data_values_must_be_strings(fake: FakeCoze) -> None:
    """Given a conversation created with meta_data whose value is a number,
    When the service checks it,
    Then the answer is 4000, as for a message's meta_data."""
    fake.conversations.create()

    response = post("/v1/conversation/create", {"meta_data": {"uuid": 1}})

    assert_rejected(fake, response, "conversations.create: meta_data must map strings to strings, got {'uuid': 1}")
