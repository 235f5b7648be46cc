"""The fake's chat lifecycle and rules, beyond what cozepy sends: each checked with plain httpx.

The stories drive the chat endpoints through cozepy; these tests send what cozepy never sends (a
number where the service wants a string, a cancel of an unknown chat, tool outputs for calls the
chat does not wait for) and pin the answers the fake gives:
4000 and a violation that fails ``verify()``, 4200, 4016, 4104, and the envelope without ``data``
for an empty message list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from coze_compat.fake import envelope
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.chat import (
    CANNOT_CANCEL,
    CONVERSATION_OCCUPIED,
    INVALID_CHAT_REQUEST,
    QUOTA_EXHAUSTED,
    UNKNOWN_BOT,
    Answer,
    ChatRecord,
    ToolCall,
)
from coze_compat.fake.server import TOKEN, FakeCoze, UnexpectedRequestError

BASE = "https://api.coze.com"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOT_ID = "7379462189365198898"
QUESTION = {"role": "user", "type": "question", "content": "What day is 2024-10-01?", "content_type": "text"}
CALL = ToolCall("call-1", "local_data_assistant", '{"location":"Nanjing"}')


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN) as started:
        started.bots.add(BotRecord(bot_id=BOT_ID, name="Calendar helper"))
        yield started


def post(path: str, body: Any = None, **params: str) -> httpx.Response:
    return httpx.post(f"{BASE}{path}", params=params, json=body, headers=AUTH)


def chat(body: dict[str, Any], conversation_id: str = "") -> httpx.Response:
    """``POST /v3/chat`` as cozepy sends it, with ``body`` added to the bot, the user and the question."""
    full = {"bot_id": BOT_ID, "user_id": "u1", "additional_messages": [QUESTION], **body}
    return post("/v3/chat", full, conversation_id=conversation_id)


def blocking_chat(fake: FakeCoze, answer: Answer, conversation_id: str = "") -> ChatRecord:
    """A blocking chat the fake runs with ``answer``; its record."""
    fake.chat.answer = answer
    data = chat({"stream": False}, conversation_id).json()["data"]
    return fake.chat.records[data["id"]]


def retrieve(record: ChatRecord) -> dict[str, Any]:
    data: dict[str, Any] = post("/v3/chat/retrieve", conversation_id=record.conversation.id, chat_id=record.id).json()[
        "data"
    ]
    return data


def cancel(record: ChatRecord) -> httpx.Response:
    return post("/v3/chat/cancel", {"conversation_id": record.conversation.id, "chat_id": record.id})


def submit(record: ChatRecord, outputs: list[dict[str, Any]], stream: bool = False) -> httpx.Response:
    return post(
        "/v3/chat/submit_tool_outputs",
        {"tool_outputs": outputs, "stream": stream},
        conversation_id=record.conversation.id,
        chat_id=record.id,
    )


def code_msg(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    return body["code"], body["msg"]


def assert_rejected(fake: FakeCoze, response: httpx.Response, reason: str) -> None:
    """The service's 4000 answer carrying ``reason``, and ``verify()`` failing with it."""
    assert code_msg(response) == (envelope.BAD_REQUEST[0], f"{envelope.BAD_REQUEST[1]}: {reason}")
    with pytest.raises(UnexpectedRequestError, match="requests the service would reject"):
        fake.verify()


# -- create --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bot_id", "user_id"])
def test_chat_id_that_is_a_number_is_rejected(fake: FakeCoze, name: str) -> None:
    """Given a chat body whose bot_id or user_id is a JSON number (a config file's unquoted id),
    When the chat is created,
    Then the answer is 4000 with the service's reason, and verify() fails."""
    fake.chat.create()

    response = chat({name: 7379462189365198898})

    reason = f"chat.create: {name} must be a JSON string, got 7379462189365198898 ({INVALID_CHAT_REQUEST})"
    assert_rejected(fake, response, reason)


def test_chat_with_unknown_bot_gets_4200_and_leaves_nothing(fake: FakeCoze) -> None:
    """Given a bot id the fake does not know,
    When a chat is created with it,
    Then the answer is 4200 with the service's message, and no chat or conversation is recorded."""
    fake.chat.create()

    response = chat({"bot_id": "404"})

    assert code_msg(response) == (envelope.NOT_FOUND[0], UNKNOWN_BOT.format(bot_id="404"))
    assert (fake.chat.records, fake.conversations.records) == ({}, {})
    fake.verify()


def test_second_chat_in_a_busy_conversation_gets_4016(fake: FakeCoze) -> None:
    """Given a conversation whose blocking chat is in progress,
    When another chat is created in it, then once more after the first has been canceled,
    Then the first attempt is refused with 4016 and records nothing; the second runs in the conversation."""
    fake.chat.create()
    fake.chat.cancel()
    first = blocking_chat(fake, Answer(polls=3))

    refused = chat({"stream": True}, first.conversation.id)
    cancel(first)
    accepted = chat({"stream": True}, first.conversation.id)

    assert code_msg(refused) == CONVERSATION_OCCUPIED
    assert accepted.headers["content-type"] == envelope.EVENT_STREAM_TYPE
    assert [record.conversation for record in fake.chat.records.values()] == [first.conversation] * 2
    fake.verify()


# -- lifecycle -----------------------------------------------------------------------------------


def test_failed_chat_ends_its_stream_with_the_failed_event(fake: FakeCoze) -> None:
    """Given a bot whose chat fails,
    When the chat is streamed,
    Then the stream ends with conversation.chat.failed carrying last_error and failed_at, with no done event."""
    fake.chat.answer = Answer(failure=QUOTA_EXHAUSTED)
    fake.chat.create()

    text = chat({"stream": True}).text

    last = text.strip().split("\n\n")[-1].split("\n")
    assert last[0] == "event:conversation.chat.failed"
    data = json.loads(last[1].removeprefix("data:"))
    assert (data["status"], data["last_error"], data["failed_at"] > 0) == (
        "failed",
        {"code": QUOTA_EXHAUSTED[0], "msg": QUOTA_EXHAUSTED[1]},
        True,
    )
    fake.verify()


def test_chat_without_messages_lists_an_envelope_without_data(fake: FakeCoze) -> None:
    """Given a blocking chat that failed before the bot answered,
    When its messages are listed,
    Then the answer is the envelope with code 0 and no data key (the service leaves an empty list out)."""
    fake.chat.create()
    fake.chat.retrieve()
    fake.chat.list_messages()
    record = blocking_chat(fake, Answer(failure=QUOTA_EXHAUSTED, polls=0))
    retrieve(record)

    body = httpx.get(
        f"{BASE}/v3/chat/message/list",
        params={"conversation_id": record.conversation.id, "chat_id": record.id},
        headers=AUTH,
    ).json()

    assert (body["code"], body["msg"], "data" in body) == (0, "", False)
    fake.verify()


def test_cancel_needs_string_ids_in_the_body(fake: FakeCoze) -> None:
    """Given a cancel whose chat_id is a JSON number,
    When it is sent,
    Then the answer is 4000 and verify() fails."""
    fake.chat.cancel()

    response = post("/v3/chat/cancel", {"conversation_id": "1", "chat_id": 2})

    assert_rejected(fake, response, f"chat.cancel: chat_id must be a JSON string, got 2 ({INVALID_CHAT_REQUEST})")


def test_cancel_of_unknown_chat_gets_4200(fake: FakeCoze) -> None:
    """Given no chat with the ids of a cancel,
    When it is sent,
    Then the answer is the service's not-found error."""
    fake.chat.cancel()

    response = post("/v3/chat/cancel", {"conversation_id": "1", "chat_id": "2"})

    assert code_msg(response) == (
        envelope.NOT_FOUND[0],
        f"{envelope.NOT_FOUND[1]}: chat {{'conversation_id': '1', 'chat_id': '2'}}",
    )
    fake.verify()


def test_cancel_after_the_bot_finished_gets_4104(fake: FakeCoze) -> None:
    """Given a blocking chat whose bot finishes by the next request (polls=0),
    When it is canceled,
    Then the bot finishes first and the cancel is refused with 4104: the chat is completed."""
    fake.chat.create()
    fake.chat.cancel()
    record = blocking_chat(fake, Answer(polls=0))

    response = cancel(record)

    assert (code_msg(response), record.status) == (CANNOT_CANCEL, "completed")
    fake.verify()


def test_canceled_chat_leaves_no_question_in_the_conversation(fake: FakeCoze) -> None:
    """Given a blocking chat in progress,
    When it is canceled,
    Then the answer is the canceled Chat, and the conversation no longer holds its question."""
    fake.chat.create()
    fake.chat.cancel()
    record = blocking_chat(fake, Answer(polls=3))

    data = cancel(record).json()["data"]

    assert (data["status"], record.conversation.messages) == ("canceled", [])
    fake.verify()


@pytest.mark.parametrize(
    ("polls", "call_id", "waits_for"),
    [(0, "call-2", ("requires_action", "['call-1']")), (2, "call-1", ("in_progress", "no tool call"))],
    ids=["another-call", "chat-not-waiting"],
)
def test_submit_tool_outputs_the_chat_does_not_wait_for_is_rejected(
    fake: FakeCoze, polls: int, call_id: str, waits_for: tuple[str, str]
) -> None:
    """Given a chat that waits for the output of call-1 (polls=0), or is still in progress (polls=2),
    When an output is submitted for another call, or before the chat waits for one,
    Then the answer is 4000 naming the status and what the chat waits for, and verify() fails."""
    fake.chat.create()
    fake.chat.retrieve()
    fake.chat.submit_tool_outputs()
    record = blocking_chat(fake, Answer(tool_calls=(CALL,), polls=polls))
    retrieve(record)

    response = submit(record, [{"tool_call_id": call_id, "output": "sunny"}])

    status, pending = waits_for
    reason = f"chat.submit_tool_outputs: the chat is {status} and waits for the outputs of {pending}, got ['{call_id}']"
    assert_rejected(fake, response, reason)


def test_submit_tool_outputs_must_be_an_array_of_objects(fake: FakeCoze) -> None:
    """Given tool outputs sent as one object instead of an array,
    When they are submitted,
    Then the answer is 4000 and verify() fails."""
    fake.chat.create()
    fake.chat.submit_tool_outputs()
    record = blocking_chat(fake, Answer(tool_calls=(CALL,)))

    response = post(
        "/v3/chat/submit_tool_outputs",
        {"tool_outputs": {"tool_call_id": "call-1", "output": "sunny"}},
        conversation_id=record.conversation.id,
        chat_id=record.id,
    )

    assert_rejected(fake, response, "chat.submit_tool_outputs: tool_outputs must be an array of objects")


def test_submit_tool_outputs_of_unknown_chat_gets_4200(fake: FakeCoze) -> None:
    """Given no chat with the ids of a submit,
    When tool outputs are submitted,
    Then the answer is the service's not-found error."""
    fake.chat.submit_tool_outputs()

    response = post(
        "/v3/chat/submit_tool_outputs",
        {"tool_outputs": [{"tool_call_id": "call-1", "output": "sunny"}]},
        conversation_id="1",
        chat_id="2",
    )

    assert code_msg(response)[0] == envelope.NOT_FOUND[0]
    fake.verify()


def test_blocking_chat_with_tool_call_completes_after_its_output(fake: FakeCoze) -> None:
    """Given a blocking chat that stops at requires_action,
    When the output is submitted and the chat retrieved until it ends,
    Then it waits with required_action, goes back in progress, and completes with the tool output among its messages."""
    fake.chat.create()
    fake.chat.retrieve()
    fake.chat.submit_tool_outputs()
    record = blocking_chat(fake, Answer(tool_calls=(CALL,), polls=0))

    waiting = retrieve(record)
    resumed = submit(record, [{"tool_call_id": "call-1", "output": "sunny"}]).json()["data"]
    done = retrieve(record)

    assert waiting["required_action"] == {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {"tool_calls": [CALL.wire()]},
    }
    assert (resumed["status"], "required_action" in resumed, done["status"]) == ("in_progress", False, "completed")
    assert [(message.type, message.content) for message in record.messages][:2] == [
        ("function_call", json.dumps({"name": CALL.name, "arguments": CALL.arguments})),
        ("tool_response", "sunny"),
    ]
    fake.verify()
