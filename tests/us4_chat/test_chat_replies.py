"""US4, the reply models the chat stories read, on every valid answer of the service (property-based, issue 10).

Each reply object is described field by field from coze-wire-format.md section 2 and the docs it
cites (which fields are always there, which the service may leave out or send as ``null``), and
Hypothesis draws answers from that description (``coze_compat.fake.strategies``: derandomized, a
fixed example budget). Every example is served by a fresh ``FakeCoze`` to a real client of the
installed release, and the test asserts that the answer parses into what the chat stories read:

* ``test_chat_reply_parses``: the Chat of a blocking ``chat.create`` and of ``chat.retrieve``: ids,
  status, times, ``last_error`` (from 0.4.0) and ``usage`` (from 0.6.0), each optional field
  absent or ``null`` in turn;
* ``test_chat_usage_with_counts_left_out``: a ``usage`` without some of its counts (DOC:chat_cancel's
  example sends ``"usage": {}``): 0.6.0-0.9.1 reject it (``bugs.chat.USAGE_KEYS_REQUIRED``);
* ``test_chat_tool_calls_parse``: the ``required_action`` of a chat waiting for tool outputs
  (from 0.6.0; 0.6.0 reads ``argument``, ``bugs.chat.TOOL_CALL_ARGUMENT``);
* ``test_chat_message_list_items_parse``: the items of ``chat.messages.list`` (GET from 0.7.0,
  ``bugs.chat.MESSAGE_LIST_POST``);
* ``test_stream_event_payloads_parse``: the Chat and the Message a stream's events carry.

Enum fields draw only the values every release knows; the values some releases do not know
(``canceled``, ``reply_message``, values the service adds) have their own story tests in
``test_chat_client.py``, so that each test's failure has one cause.
"""

from __future__ import annotations

from typing import Any

import cozepy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coze_compat import bugs, capabilities
from coze_compat.fake import envelope, sse
from coze_compat.fake.server import TOKEN, FakeCoze
from coze_compat.fake.strategies import Field, counts, enum_values, ids, string_maps, text, timestamps, wire_object

#: The chat statuses every release knows (``canceled`` arrived in 0.7.0: bugs.chat.CANCELED_STATUS_UNKNOWN).
CHAT_STATUSES = ("created", "in_progress", "completed", "failed", "requires_action")
ROLES = ("user", "assistant")
MESSAGE_TYPES = ("question", "answer", "function_call", "tool_output", "tool_response", "follow_up", "verbose")
#: ``audio`` arrived in 0.7.0 (with audio input); every release knows these three.
CONTENT_TYPES = ("text", "object_string", "card")
COUNTS = ("token_count", "output_count", "input_count")

#: ``last_error``: ``{code, msg}``, ``{"code": 0, "msg": ""}`` while nothing went wrong (DOC:chat_v3's examples).
last_errors = wire_object(Field("code", st.integers(0, 799_999)), Field("msg", text))
usages = wire_object(*(Field(name, counts) for name in COUNTS))
#: A ``usage`` that leaves counts out: ``{}`` in DOC:chat_cancel's example; Coze Studio omits zero counts.
partial_usages = wire_object(*(Field(name, counts, omittable=True) for name in COUNTS))
tool_calls = wire_object(
    Field("id", ids),
    Field("type", st.just("function")),
    Field("function", wire_object(Field("name", text), Field("arguments", text))),
)
required_actions = wire_object(
    Field("type", st.just("submit_tool_outputs")),
    Field("submit_tool_outputs", wire_object(Field("tool_calls", st.lists(tool_calls, min_size=1, max_size=2)))),
)


def chats(usage: st.SearchStrategy[dict[str, Any]] = usages, *extra: Field) -> st.SearchStrategy[dict[str, Any]]:
    """The Chat object (DOC:chat_v3 "Chat Object": ``id``, ``conversation_id``, ``bot_id`` and ``status`` always
    there; the rest optional, ``null`` in the stream samples of the docs). ``required_action`` is absent or
    ``null`` unless ``extra`` gives it (``test_chat_tool_calls_parse``)."""
    return wire_object(
        Field("id", ids),
        Field("conversation_id", ids),
        Field("bot_id", ids),
        Field("status", enum_values(CHAT_STATUSES)),
        Field("created_at", timestamps, omittable=True, nullable=True),
        Field("completed_at", timestamps, omittable=True, nullable=True),
        Field("failed_at", timestamps, omittable=True, nullable=True),
        Field("meta_data", string_maps, omittable=True, nullable=True),
        Field("last_error", last_errors, omittable=True, nullable=True),
        Field("usage", usage, omittable=True, nullable=True),
        Field("section_id", ids, omittable=True),
        Field("inserted_additional_messages", st.lists(wire_object(Field("id", ids)), max_size=2), omittable=True),
        *(extra or (Field("required_action", st.none(), omittable=True),)),
    )


#: The Message object (DOC:chat_v3 "Message Object"): ``bot_id`` and ``chat_id`` only on a chat's messages,
#: ``meta_data`` left out when empty and no ``updated_at`` in Coze Studio's, ``reasoning_content`` only
#: from a thinking model, ``type`` absent from some cozepy fixtures.
messages = wire_object(
    Field("role", enum_values(ROLES)),
    Field("content", text),
    Field("content_type", enum_values(CONTENT_TYPES)),
    Field("type", enum_values(MESSAGE_TYPES), omittable=True),
    Field("id", ids, omittable=True),
    Field("conversation_id", ids, omittable=True),
    Field("bot_id", ids, omittable=True),
    Field("chat_id", ids, omittable=True),
    Field("section_id", ids, omittable=True),
    Field("meta_data", string_maps, omittable=True, nullable=True),
    Field("created_at", timestamps, omittable=True, nullable=True),
    Field("updated_at", timestamps, omittable=True, nullable=True),
    Field("reasoning_content", text, omittable=True, nullable=True),
)


def client(fake: FakeCoze) -> cozepy.Coze:
    """A client of the installed release for ``fake`` (one per example: examples share no state)."""
    return cozepy.Coze(auth=cozepy.TokenAuth(TOKEN), base_url=fake.base_url)


def retrieved(sent: dict[str, Any]) -> Any:
    """The Chat ``chat.retrieve`` gives when the service answers ``sent`` (a fresh fake, verified)."""
    with FakeCoze(token=TOKEN) as fake:
        fake.chat.retrieve(reply=envelope.ok(sent))
        chat = client(fake).chat.retrieve(conversation_id=sent["conversation_id"], chat_id=sent["id"])
        fake.verify()
    return chat


def assert_chat(chat: Any, sent: dict[str, Any]) -> None:
    """``chat`` holds what the stories read of the Chat ``sent``: ids, status, times, error and usage."""
    assert (chat.id, chat.conversation_id, chat.bot_id, chat.status) == (
        sent["id"],
        sent["conversation_id"],
        sent["bot_id"],
        sent["status"],
    )
    assert (chat.created_at, chat.completed_at, chat.failed_at) == tuple(
        sent.get(name) for name in ("created_at", "completed_at", "failed_at")
    )
    if capabilities.offers("chat_last_error"):
        error, got_error = sent.get("last_error"), chat.last_error
        assert (None if got_error is None else (got_error.code, got_error.msg)) == (
            None if error is None else (error["code"], error["msg"])
        )
    if capabilities.offers("chat_usage"):
        usage, got_usage = sent.get("usage"), chat.usage
        assert (None if got_usage is None else tuple(getattr(got_usage, name) for name in COUNTS)) == (
            None if usage is None else tuple(usage.get(name, 0) for name in COUNTS)
        )


def assert_message(message: Any, sent: dict[str, Any]) -> None:
    """``message`` holds what the stories read of the Message ``sent``."""
    assert (message.role, message.type, message.content, message.content_type) == (
        sent["role"],
        sent.get("type", ""),
        sent["content"],
        sent["content_type"],
    )
    assert (message.id, message.chat_id, message.meta_data) == (
        sent.get("id"),
        sent.get("chat_id"),
        sent.get("meta_data"),
    )
    if capabilities.offers("chat_reasoning_content"):
        assert message.reasoning_content == sent.get("reasoning_content")


@given(sent=chats(), endpoint=st.sampled_from(("create", "retrieve")))
def test_chat_reply_parses(sent: dict[str, Any], endpoint: str) -> None:
    """Given any Chat object the service may answer, its optional fields absent or null,
    When a blocking chat is created, or retrieved (the examples draw which), and the service answers that Chat,
    Then the Chat the caller gets holds its ids, status, times, last_error and usage as sent."""
    if endpoint == "retrieve":
        assert_chat(retrieved(sent), sent)
        return
    with FakeCoze(token=TOKEN) as fake:
        fake.chat.create(reply=envelope.ok(sent))

        created = client(fake).chat.create(bot_id=sent["bot_id"], user_id="u1", additional_messages=[])

        assert_chat(created, sent)
        fake.verify()


@pytest.mark.needs("chat_usage")
@pytest.mark.known_break(bugs.chat.USAGE_KEYS_REQUIRED)
@given(sent=chats(partial_usages))
def test_chat_usage_with_counts_left_out(sent: dict[str, Any]) -> None:
    """Given a Chat whose usage may leave any of its counts out (``{}`` in DOC:chat_cancel's example),
    When it is retrieved,
    Then the usage reads 0 for each count left out and the others as sent."""
    assert_chat(retrieved(sent), sent)


@pytest.mark.needs("chat_required_action")
@pytest.mark.known_break(bugs.chat.TOOL_CALL_ARGUMENT)
@given(sent=chats(usages, Field("required_action", required_actions)))
def test_chat_tool_calls_parse(sent: dict[str, Any]) -> None:
    """Given a Chat waiting for tool outputs, with one or two function calls in ``required_action``,
    When it is retrieved,
    Then each call's id, name and arguments read as sent."""
    chat = retrieved(sent)

    calls = sent["required_action"]["submit_tool_outputs"]["tool_calls"]
    assert [
        (call.id, call.type, call.function.name, call.function.arguments)
        for call in chat.required_action.submit_tool_outputs.tool_calls
    ] == [(call["id"], "function", call["function"]["name"], call["function"]["arguments"]) for call in calls]


@pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST)
@given(sent=st.lists(messages, min_size=1, max_size=3))
def test_chat_message_list_items_parse(sent: list[dict[str, Any]]) -> None:
    """Given any list of Message objects the service may answer for a chat,
    When the chat's messages are listed,
    Then each message holds its role, type, content, content type, ids, meta data and reasoning as sent."""
    with FakeCoze(token=TOKEN) as fake:
        fake.chat.list_messages(reply=envelope.ok(sent))

        listed = list(client(fake).chat.messages.list(conversation_id="7381473525342978089", chat_id="7382159"))

        assert len(listed) == len(sent)
        for message, item in zip(listed, sent):
            assert_message(message, item)
        fake.verify()


@given(chat=chats(), message=messages)
def test_stream_event_payloads_parse(chat: dict[str, Any], message: dict[str, Any]) -> None:
    """Given a stream whose chat event carries any Chat and whose delta carries any Message,
    When the caller iterates it,
    Then the chat event's Chat and the delta's Message hold what was sent, and ``done`` ends the stream."""
    events = (
        sse.SSEEvent("conversation.chat.created", chat),
        sse.SSEEvent("conversation.message.delta", message),
        sse.SSEEvent("done", '"[DONE]"'),
    )
    with FakeCoze(token=TOKEN) as fake:
        fake.chat.create(reply=sse.EventStream(events))

        created, delta = client(fake).chat.stream(bot_id=chat["bot_id"], user_id="u1", additional_messages=[])

        assert (created.event, delta.event) == ("conversation.chat.created", "conversation.message.delta")
        assert_chat(created.chat, chat)
        assert_message(delta.message, message)
        fake.verify()
