"""US4, chat with a bot and keep conversations (T026-T035).

What a backend does to talk to a Coze bot, checked through the installed cozepy against the fake
Coze API (``coze_api.chat`` and ``coze_api.conversations`` share their state: a chat in a
conversation is saved in it):

* ``TestChatOperations``: a blocking chat (T026) and its request (bot, user, ``additional_messages``,
  ``stream: false``, ``auto_save_history``, no conversation), polled by hand (``chat.retrieve``,
  POST in every release) or by ``create_and_poll`` (several ``in_progress`` polls 1 s apart, with
  ``time.sleep`` patched and the sleeps asserted, then ``/v3/chat/message/list``), the chat's
  messages and token usage (T033); a streaming chat (T027) in every wire form the service's
  streams take (``sse.STYLES``: with and without a space after the colon, without blank lines,
  CRLF, split into 7-byte network chunks), the payload of each event type (T028), the deltas
  adding up to the completed answer (T032) and the usage on ``conversation.chat.completed``
  (T033); a chat in an existing conversation (T029) that lands in that conversation; the same
  patterns through ``AsyncCoze`` (T034).
* ``TestChatStreamFailures``: what the SDK does with a stream that goes wrong: an ``error`` event
  (a plain ``Exception``), an event type it does not know, a ``: ping`` comment line
  (``CozeInvalidEventError``), an event whose data is not JSON (pydantic's ``ValidationError``), a
  connection that drops mid-stream (httpx's ``RemoteProtocolError``), and an error envelope in
  reply to a stream request (``CozeAPIError`` before iteration).
* ``TestConversationOperations``: creating a conversation with initial messages and meta data
  (T030) and for a bot, retrieving it, listing a bot's conversations page by page, and listing its
  messages (T031) with ``order``, ``limit``, ``before_id``/``after_id`` and the top-level
  ``first_id``/``last_id``/``has_more`` paging.

Where a release lacks a pattern the test is skipped as not offered (``needs``); where a release has
it and behaves differently the test fails there, marked ``known_break`` with the cause in cozepy's
source. Request bodies are compared without their ``null`` fields: releases before 0.17 send every
optional field as ``null``, later ones leave them out, and the service reads both the same way.
"""

from __future__ import annotations

import inspect
import json
import time
from typing import Any

import cozepy
import httpx
import pydantic
import pytest
import respx

from coze_compat import bugs, capabilities
from coze_compat.capabilities.chat import invalid_event_error
from coze_compat.fake import envelope, sse
from coze_compat.fake.chat import VERBOSE_FINISH, Answer, ChatRecord, LiveStream
from coze_compat.fake.conversations import ConversationRecord, MessageRecord
from coze_compat.fake.server import FakeCoze

#: The installed cozepy, typed ``Any``: for names that only some releases have (typecheck runs against the
#: newest and the oldest release; ``@pytest.mark.needs`` skips the tests on releases without them).
SDK: Any = cozepy

USER_ID = "user_20241001"
INVALID_TOKEN = "pat_invalid_0000000000000000000000000000000000000000000000000000"
QUESTION = {"role": "user", "type": "question", "content": "What day is 2024-10-01?", "content_type": "text"}
META_DATA = {"uuid": "newid1234"}

CREATED, IN_PROGRESS, CHAT_COMPLETED = (
    "conversation.chat.created",
    "conversation.chat.in_progress",
    "conversation.chat.completed",
)
DELTA, MESSAGE_COMPLETED = "conversation.message.delta", "conversation.message.completed"
#: The events a caller sees for the default answer (two deltas); ``done`` ends the stream unseen.
EVENTS = [CREATED, IN_PROGRESS, DELTA, DELTA, MESSAGE_COMPLETED, MESSAGE_COMPLETED, CHAT_COMPLETED]
#: An event type the service may add one day (cozepy's own fixture for this case is ``event:invalid``).
FUTURE_EVENT = sse.SSEEvent("conversation.chat.future_event", {"hint": "a newer service"})
#: An answer in many pieces, with multi-byte characters for the 7-byte chunks to split.
PIECEMEAL = Answer(deltas=("2024 年", " 10 月 1 日", "是", "星期二", "。"))

STYLES = pytest.mark.parametrize("style", sse.STYLES, ids=sse.STYLE_IDS)


def without_nulls(value: Any) -> Any:
    """``value`` with the ``null`` fields of its objects left out (the service reads them as absent)."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def chat_body(bot_id: str, stream: bool, *messages: dict[str, str]) -> dict[str, Any]:
    """The JSON body a chat request must carry (its ``null`` fields left out)."""
    return {
        "bot_id": bot_id,
        "user_id": USER_ID,
        "additional_messages": list(messages or (QUESTION,)),
        "stream": stream,
        "auto_save_history": True,
    }


def assert_new_conversation_query(query: dict[str, str]) -> None:
    """The chat names no conversation: no query before 0.6.2, an empty ``conversation_id`` since."""
    assert query in ({}, {"conversation_id": ""}), query


def the_chat(coze_api: FakeCoze) -> ChatRecord:
    """The one chat the fake ran."""
    (chat,) = coze_api.chat.records.values()
    return chat


def user_message(content: str) -> Any:
    """A user's text question, built the way every release accepts."""
    return cozepy.Message.model_validate({**QUESTION, "content": content})


def read_into(events: Any, seen: list[str]) -> None:
    """Iterate a sync chat stream, noting each event's name in ``seen`` as it arrives."""
    for event in events:
        seen.append(event.event)


def names(events: list[Any]) -> list[str]:
    return [event.event for event in events]


def answer_of(events: list[Any]) -> str:
    """What a UI shows: the deltas of the stream, joined."""
    return "".join(event.message.content for event in events if event.event == DELTA)


def chat_view(chat: Any) -> tuple[str, str, str, str]:
    return (chat.id, chat.conversation_id, chat.bot_id, chat.status)


def message_view(message: Any) -> tuple[str, str, str]:
    return (message.role, message.type, message.content)


def usage_view(usage: Any) -> dict[str, int]:
    return {"token_count": usage.token_count, "output_count": usage.output_count, "input_count": usage.input_count}


def record_views(messages: list[MessageRecord]) -> list[tuple[str, str, str]]:
    return [(message.role, message.type, message.content) for message in messages]


async def async_events(stream: Any) -> list[Any]:
    """Every event of an ``AsyncCoze`` chat stream (0.3.0's ``stream()`` is awaited first, as its users do)."""
    if inspect.isawaitable(stream):
        stream = await stream
    return [event async for event in stream]


def ask(client: Any, bot_id: str, **kwargs: Any) -> Any:
    """``client.chat.stream`` for the default question."""
    return client.chat.stream(
        bot_id=bot_id, user_id=USER_ID, additional_messages=[user_message(QUESTION["content"])], **kwargs
    )


def conversation_with_history(coze_api: FakeCoze, bot_id: str) -> ConversationRecord:
    """A conversation with an earlier exchange in it."""
    conversation = coze_api.conversations.new(bot_id=bot_id)
    coze_api.conversations.add_message(conversation, "user", "question", "Hi, I am Ada.")
    coze_api.conversations.add_message(conversation, "assistant", "answer", "Nice to meet you, Ada.", bot_id=bot_id)
    return conversation


def requests_of(route: respx.Route) -> list[tuple[str, dict[str, str]]]:
    return [(call.request.method, dict(call.request.url.params)) for call in route.calls]


def assert_polled_to_the_end(
    coze_api: FakeCoze, retrieve: respx.Route, messages: respx.Route, poll: Any, sleeps: list[float]
) -> None:
    """``create_and_poll`` slept 1 s before each of three retrieves, then fetched the chat's messages."""
    record = the_chat(coze_api)
    query = {"conversation_id": record.conversation.id, "chat_id": record.id}
    assert sleeps == [1, 1, 1]
    assert requests_of(retrieve) == [("POST", query)] * 3
    assert requests_of(messages) == [("GET", query)]
    assert chat_view(poll.chat) == (record.id, record.conversation.id, record.bot_id, "completed")
    assert [message_view(message) for message in poll.messages] == [
        ("assistant", "answer", coze_api.chat.answer.content),
        ("assistant", "verbose", VERBOSE_FINISH),
    ]


class TestChatOperations:
    @pytest.mark.seed("T026")
    def test_create_chat_blocking(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, sample_user_message: cozepy.Message
    ) -> None:
        """Given a published bot and a user's question,
        When a blocking chat is created without a conversation,
        Then one POST /v3/chat carries the bot, the user, the question, ``stream: false`` and
        ``auto_save_history: true``, and the Chat comes back ``in_progress`` in a new conversation."""
        route = coze_api.chat.create()

        chat = coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message])

        request = coze_api.last_request()
        assert (route.call_count, request.method, request.path) == (1, "POST", "/v3/chat")
        assert request.headers["content-type"] == "application/json"
        assert_new_conversation_query(request.flat_query())
        assert without_nulls(request.body) == chat_body(mock_bot_id, False)
        record = the_chat(coze_api)
        assert chat_view(chat) == (record.id, record.conversation.id, mock_bot_id, "in_progress")

    @pytest.mark.seed("T034")
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_create_chat(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str, sample_user_message: cozepy.Message
    ) -> None:
        """Given a published bot and a user's question,
        When a blocking chat is created through ``AsyncCoze``,
        Then the same POST /v3/chat goes out and the Chat comes back ``in_progress`` in a new conversation."""
        coze_api.chat.create()

        chat = await async_coze.chat.create(
            bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message]
        )

        request = coze_api.last_request()
        assert (request.method, request.path) == ("POST", "/v3/chat")
        assert_new_conversation_query(request.flat_query())
        assert without_nulls(request.body) == chat_body(mock_bot_id, False)
        record = the_chat(coze_api)
        assert chat_view(chat) == (record.id, record.conversation.id, mock_bot_id, "in_progress")

    def test_retrieve_chat_until_completed(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, sample_user_message: cozepy.Message
    ) -> None:
        """Given a blocking chat the bot answers after one more poll,
        When the caller retrieves it twice,
        Then each retrieve is a POST /v3/chat/retrieve naming the conversation and the chat in the
        query, with no body, and the status goes from ``in_progress`` to ``completed``."""
        coze_api.chat.answer = Answer(polls=1)
        coze_api.chat.create()
        route = coze_api.chat.retrieve()
        chat = coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message])

        first = coze.chat.retrieve(conversation_id=chat.conversation_id, chat_id=chat.id)
        second = coze.chat.retrieve(conversation_id=chat.conversation_id, chat_id=chat.id)

        query = {"conversation_id": chat.conversation_id, "chat_id": chat.id}
        sent = [(call.request.method, dict(call.request.url.params), call.request.content) for call in route.calls]
        assert sent == [("POST", query, b"")] * 2
        record = the_chat(coze_api)
        assert chat_view(first) == (record.id, record.conversation.id, mock_bot_id, "in_progress")
        assert chat_view(second) == (record.id, record.conversation.id, mock_bot_id, "completed")
        assert second.completed_at == record.completed_at

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_retrieve_chat_until_completed(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str, sample_user_message: cozepy.Message
    ) -> None:
        """Given a blocking chat the bot answers at the first poll,
        When the caller retrieves it through ``AsyncCoze``,
        Then a POST /v3/chat/retrieve names the conversation and the chat and the Chat is ``completed``."""
        coze_api.chat.answer = Answer(polls=0)
        coze_api.chat.create()
        route = coze_api.chat.retrieve()
        chat = await async_coze.chat.create(
            bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message]
        )

        done = await async_coze.chat.retrieve(conversation_id=chat.conversation_id, chat_id=chat.id)

        assert route.calls.last.request.method == "POST"
        assert dict(route.calls.last.request.url.params) == {
            "conversation_id": chat.conversation_id,
            "chat_id": chat.id,
        }
        assert chat_view(done) == (chat.id, chat.conversation_id, mock_bot_id, "completed")

    @pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST)
    def test_list_chat_messages(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, sample_user_message: cozepy.Message
    ) -> None:
        """Given a blocking chat that has completed,
        When the caller lists the chat's messages,
        Then a GET /v3/chat/message/list names the conversation and the chat, and the bot's answer
        and its ``verbose`` end-of-answer message come back (not the question)."""
        coze_api.chat.answer = Answer(polls=0)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        route = coze_api.chat.list_messages()
        chat = coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message])
        coze.chat.retrieve(conversation_id=chat.conversation_id, chat_id=chat.id)

        messages = coze.chat.messages.list(conversation_id=chat.conversation_id, chat_id=chat.id)

        request = route.calls.last.request
        assert (request.method, dict(request.url.params)) == (
            "GET",
            {"conversation_id": chat.conversation_id, "chat_id": chat.id},
        )
        assert [message_view(message) for message in messages] == [
            ("assistant", "answer", coze_api.chat.answer.content),
            ("assistant", "verbose", VERBOSE_FINISH),
        ]

    @pytest.mark.needs("chat_create_and_poll")
    @pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST)
    def test_create_and_poll(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_bot_id: str,
        sample_user_message: cozepy.Message,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Given a bot that answers after two ``in_progress`` polls,
        When the caller uses ``create_and_poll``,
        Then cozepy sleeps 1 s before each of three POST /v3/chat/retrieve, then GETs the chat's
        messages, and returns the completed chat with the answer."""
        sleeps: list[float] = []
        monkeypatch.setattr(time, "sleep", sleeps.append)
        coze_api.chat.create()
        retrieve = coze_api.chat.retrieve()
        messages = coze_api.chat.list_messages()

        poll: Any = coze.chat.create_and_poll(
            bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message]
        )

        assert_polled_to_the_end(coze_api, retrieve, messages, poll, sleeps)

    @pytest.mark.needs("chat_create_and_poll", "chat_usage")
    @pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST)
    def test_create_and_poll_token_usage(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_bot_id: str,
        sample_user_message: cozepy.Message,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Given a bot whose answer used 614 input and 19 output tokens,
        When the caller polls the chat to the end with ``create_and_poll``,
        Then the chat's usage reads token_count 633, output_count 19, input_count 614."""
        monkeypatch.setattr(time, "sleep", lambda seconds: None)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.list_messages()

        poll = coze.chat.create_and_poll(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message])

        assert usage_view(poll.chat.usage) == {"token_count": 633, "output_count": 19, "input_count": 614}

    @pytest.mark.needs("async_client", "async_chat_create_and_poll")
    @pytest.mark.anyio
    async def test_async_create_and_poll(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        mock_bot_id: str,
        sample_user_message: cozepy.Message,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Given a bot that answers after two ``in_progress`` polls,
        When the caller uses ``create_and_poll`` through ``AsyncCoze``,
        Then cozepy sleeps 1 s before each of three retrieves, then gets the chat's messages, and
        returns the completed chat with the answer."""
        sleeps: list[float] = []

        async def no_sleep(seconds: float) -> None:
            sleeps.append(seconds)

        monkeypatch.setattr("asyncio.sleep", no_sleep)
        coze_api.chat.create()
        retrieve = coze_api.chat.retrieve()
        messages = coze_api.chat.list_messages()

        poll = await async_coze.chat.create_and_poll(
            bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[sample_user_message]
        )

        assert_polled_to_the_end(coze_api, retrieve, messages, poll, sleeps)

    @pytest.mark.seed("T027")
    @STYLES
    def test_create_chat_streaming(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, style: sse.SSEStyle
    ) -> None:
        """Given the service streams a chat in one of the wire forms it takes,
        When the caller iterates ``chat.stream``,
        Then the request is POST /v3/chat with ``stream: true``, the reply is ``text/event-stream``,
        and the caller sees created, in progress, each delta, the completed messages and the
        completed chat, in order (``done`` ends the stream)."""
        route = coze_api.chat.create(style=style)

        events = list(ask(coze, mock_bot_id))

        request = coze_api.last_request()
        assert (request.method, request.path) == ("POST", "/v3/chat")
        assert_new_conversation_query(request.flat_query())
        assert without_nulls(request.body) == chat_body(mock_bot_id, True)
        assert route.calls.last.response.headers["content-type"] == "text/event-stream"
        assert names(events) == EVENTS

    @STYLES
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_create_chat_streaming(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str, style: sse.SSEStyle
    ) -> None:
        """Given the service streams a chat in one of the wire forms it takes,
        When the caller reads ``chat.stream`` of ``AsyncCoze`` with ``async for``,
        Then the request carries ``stream: true`` and the caller sees every event in order and the whole answer."""
        coze_api.chat.answer = PIECEMEAL
        coze_api.chat.create(style=style)

        events = await async_events(ask(async_coze, mock_bot_id))

        assert without_nulls(coze_api.last_request().body) == chat_body(mock_bot_id, True)
        assert names(events) == [
            CREATED,
            IN_PROGRESS,
            *[DELTA] * 5,
            MESSAGE_COMPLETED,
            MESSAGE_COMPLETED,
            CHAT_COMPLETED,
        ]
        assert answer_of(events) == PIECEMEAL.content

    @pytest.mark.seed("T028")
    def test_stream_chat_events(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the service streams a chat,
        When the caller iterates it,
        Then chat events (created, in progress, CONVERSATION_CHAT_COMPLETED) carry the Chat with its
        status, and message events (CONVERSATION_MESSAGE_DELTA, completed) carry the Message: the
        answer's id, role, type, content and chat, then the verbose end-of-answer message."""
        coze_api.chat.create()

        events = list(ask(coze, mock_bot_id))

        chat = the_chat(coze_api)
        answer, verbose = chat.messages
        chat_events = [(event.event, chat_view(event.chat)) for event in events if event.chat is not None]
        assert chat_events == [
            (name, (chat.id, chat.conversation.id, mock_bot_id, status))
            for name, status in ((CREATED, "created"), (IN_PROGRESS, "in_progress"), (CHAT_COMPLETED, "completed"))
        ]
        message_events = [
            (
                event.event,
                event.message.id,
                event.message.chat_id,
                event.message.conversation_id,
                message_view(event.message),
            )
            for event in events
            if event.message is not None
        ]
        delta = (answer.id, chat.id, chat.conversation.id)
        assert message_events == [
            (DELTA, *delta, ("assistant", "answer", "2024 年 10 月 1 日")),
            (DELTA, *delta, ("assistant", "answer", "是星期二。")),
            (MESSAGE_COMPLETED, *delta, ("assistant", "answer", "2024 年 10 月 1 日是星期二。")),
            (MESSAGE_COMPLETED, verbose.id, chat.id, chat.conversation.id, ("assistant", "verbose", VERBOSE_FINISH)),
        ]

    @pytest.mark.seed("T032")
    @STYLES
    def test_streaming_message_accumulation(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, style: sse.SSEStyle
    ) -> None:
        """Given the bot streams its answer in five deltas (multi-byte text, in each wire form),
        When the caller joins the deltas' content,
        Then it has the whole answer, the same as the completed answer message."""
        coze_api.chat.answer = PIECEMEAL
        coze_api.chat.create(style=style)

        events = list(ask(coze, mock_bot_id))

        completed = [event.message.content for event in events if event.event == MESSAGE_COMPLETED]
        assert answer_of(events) == "2024 年 10 月 1 日是星期二。"
        assert completed == [answer_of(events), VERBOSE_FINISH]

    @pytest.mark.seed("T033")
    @pytest.mark.needs("chat_usage")
    def test_token_usage_extraction(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a streamed chat whose answer used 614 input and 19 output tokens,
        When the caller reads the ``conversation.chat.completed`` event,
        Then its chat's usage reads token_count 633, output_count 19, input_count 614, and the
        earlier chat events report no usage yet."""
        coze_api.chat.create()

        events = list(ask(coze, mock_bot_id))

        usages = [(event.event, usage_view(event.chat.usage)) for event in events if event.chat is not None]
        zero = {"token_count": 0, "output_count": 0, "input_count": 0}
        assert usages == [
            (CREATED, zero),
            (IN_PROGRESS, zero),
            (CHAT_COMPLETED, {"token_count": 633, "output_count": 19, "input_count": 614}),
        ]

    @pytest.mark.seed("T029")
    @pytest.mark.known_break(bugs.chat.SYNC_CONVERSATION_IN_BODY)
    def test_chat_with_conversation(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a conversation that already holds an exchange with the bot,
        When a blocking chat is created in it (``conversation_id``), polled to the end, and the
        conversation's messages are listed,
        Then the chat request names the conversation in its query, the chat runs in it, and the
        conversation now holds the earlier exchange, the new question and the bot's answer."""
        conversation = conversation_with_history(coze_api, mock_bot_id)
        coze_api.chat.answer = Answer(deltas=("Your name is Ada.",), polls=0)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.conversations.list_messages()

        chat = coze.chat.create(
            bot_id=mock_bot_id,
            user_id=USER_ID,
            additional_messages=[user_message("What is my name?")],
            conversation_id=conversation.id,
        )
        done = coze.chat.retrieve(conversation_id=chat.conversation_id, chat_id=chat.id)
        page = coze.conversations.messages.list(conversation_id=conversation.id, order="asc")

        request = coze_api.requests[0]
        assert request.flat_query() == {"conversation_id": conversation.id}
        question = {"role": "user", "type": "question", "content": "What is my name?", "content_type": "text"}
        assert without_nulls(request.body) == chat_body(mock_bot_id, False, question)
        assert (chat.conversation_id, done.conversation_id, done.status) == (
            conversation.id,
            conversation.id,
            "completed",
        )
        assert [message_view(message) for message in page.items] == [
            ("user", "question", "Hi, I am Ada."),
            ("assistant", "answer", "Nice to meet you, Ada."),
            ("user", "question", "What is my name?"),
            ("assistant", "answer", "Your name is Ada."),
        ]

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.chat.ASYNC_CONVERSATION_IN_BODY)
    @pytest.mark.anyio
    async def test_async_chat_with_conversation(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given a conversation that already holds an exchange with the bot,
        When a chat is streamed in it through ``AsyncCoze``,
        Then the request names the conversation in its query, every chat event is in that
        conversation, and the conversation ends with the new question and the bot's answer."""
        conversation = conversation_with_history(coze_api, mock_bot_id)
        coze_api.chat.create()

        events = await async_events(
            async_coze.chat.stream(
                bot_id=mock_bot_id,
                user_id=USER_ID,
                additional_messages=[user_message("What is my name?")],
                conversation_id=conversation.id,
            )
        )

        assert coze_api.last_request().flat_query() == {"conversation_id": conversation.id}
        assert {event.chat.conversation_id for event in events if event.chat is not None} == {conversation.id}
        assert record_views(conversation.messages)[2:] == [
            ("user", "question", "What is my name?"),
            ("assistant", "answer", coze_api.chat.answer.content),
        ]


def stream_with(*extra: sse.SSEEvent, after: int = 3) -> Any:
    """An edit of the service's stream: ``extra`` events inserted after the first ``after`` events."""

    def edit(events: list[sse.SSEEvent]) -> sse.EventStream:
        return sse.EventStream((*events[:after], *extra, *events[after:]))

    return edit


def stream_ending_with(*last: sse.SSEEvent, after: int = 3) -> Any:
    """An edit of the service's stream: the first ``after`` events, then ``last`` and nothing more."""

    def edit(events: list[sse.SSEEvent]) -> sse.EventStream:
        return sse.EventStream((*events[:after], *last))

    return edit


def with_ping(events: list[sse.SSEEvent]) -> sse.EventStream:
    """The service's stream with a ``: ping`` comment line (an SSE heartbeat) after three events."""
    return sse.EventStream(raw=sse.encode(events[:3]) + b": ping\n\n" + sse.encode(events[3:]))


def dropped(events: list[sse.SSEEvent]) -> LiveStream:
    """The service's stream, cut by the network in the middle of the fourth event."""
    return LiveStream([sse.encode(events[:3]), b'event:conversation.message.delta\ndata:{"id":"74'], drop=True)


class Paced:
    """An edit sending the service's stream one event per network read (``stream.reads`` counts them)."""

    def __init__(self) -> None:
        self.stream = LiveStream(())

    def __call__(self, events: list[sse.SSEEvent]) -> LiveStream:
        self.stream = LiveStream([sse.encode([event]) for event in events])
        return self.stream


SERVER_ERROR_EVENT = sse.SSEEvent("error", {"code": envelope.SERVER_ERROR[0], "msg": envelope.SERVER_ERROR[1]})
ERROR_EVENT_TEXT = f"error event: {SERVER_ERROR_EVENT.data_text()}"
BROKEN_JSON_EVENT = sse.SSEEvent(DELTA, '{"id":"7432000000000000009","role":"assistant","type":"answer","content":"20')


class TestChatStreamFailures:
    def test_stream_error_event(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the service sends an ``error`` event (code 5000) after the first delta,
        When the caller iterates the stream,
        Then the events before it arrive and then a plain ``Exception("error event: <data>")`` is raised."""
        coze_api.chat.create(edit=stream_ending_with(SERVER_ERROR_EVENT))
        seen: list[str] = []

        with pytest.raises(Exception) as raised:  # noqa: PT011 - cozepy raises exactly Exception
            read_into(ask(coze, mock_bot_id), seen)

        assert type(raised.value) is Exception
        assert str(raised.value) == ERROR_EVENT_TEXT
        assert seen == [CREATED, IN_PROGRESS, DELTA]

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_stream_error_event(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given the service sends an ``error`` event after the first delta,
        When the caller reads the ``AsyncCoze`` stream,
        Then a plain ``Exception("error event: <data>")`` is raised."""
        coze_api.chat.create(edit=stream_ending_with(SERVER_ERROR_EVENT))

        with pytest.raises(Exception) as raised:  # noqa: PT011 - cozepy raises exactly Exception
            await async_events(ask(async_coze, mock_bot_id))

        assert type(raised.value) is Exception
        assert str(raised.value) == ERROR_EVENT_TEXT

    @pytest.mark.known_break(bugs.chat.UNKNOWN_EVENT_ENDS_STREAM)
    def test_stream_survives_unknown_event(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the service sends an event type this SDK does not know in the middle of a chat,
        When the caller iterates the stream,
        Then the stream goes on: every known event still arrives in order with the whole answer."""
        coze_api.chat.create(edit=stream_with(FUTURE_EVENT))

        events = list(ask(coze, mock_bot_id))

        assert [name for name in names(events) if name != "unknown"] == EVENTS
        assert answer_of(events) == coze_api.chat.answer.content

    @pytest.mark.needs("chat_unknown_event")
    def test_unknown_event_is_handed_over(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the service sends an event type this SDK does not know,
        When the caller iterates the stream,
        Then it gets an UNKNOWN event holding the event's name and raw data, in its place."""
        coze_api.chat.create(edit=stream_with(FUTURE_EVENT))

        events = list(ask(coze, mock_bot_id))

        assert names(events) == [*EVENTS[:3], SDK.ChatEventType.UNKNOWN, *EVENTS[3:]]
        assert events[3].unknown == {"event": FUTURE_EVENT.event, "data": FUTURE_EVENT.data_text()}

    def test_stream_comment_line(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the service's stream carries a ``: ping`` comment line after three events,
        When the caller iterates it,
        Then the three events arrive and then CozeInvalidEventError names the line and the log id."""
        coze_api.chat.create(edit=with_ping)
        seen: list[str] = []

        with pytest.raises(invalid_event_error()) as raised:
            read_into(ask(coze, mock_bot_id), seen)

        assert str(raised.value) == f"invalid event, data: : ping, logid: {coze_api.last_logid()}"
        assert seen == [CREATED, IN_PROGRESS, DELTA]

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_stream_comment_line(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given the service's stream carries a ``: ping`` comment line,
        When the caller reads the ``AsyncCoze`` stream,
        Then CozeInvalidEventError names the line and the log id."""
        coze_api.chat.create(edit=with_ping)

        with pytest.raises(invalid_event_error()) as raised:
            await async_events(ask(async_coze, mock_bot_id))

        assert str(raised.value) == f"invalid event, data: : ping, logid: {coze_api.last_logid()}"

    def test_stream_invalid_json(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the service sends a delta whose data is cut-off JSON,
        When the caller iterates the stream,
        Then the events before it arrive and then pydantic's ValidationError reports invalid JSON."""
        coze_api.chat.create(edit=stream_ending_with(BROKEN_JSON_EVENT, after=2))
        seen: list[str] = []

        with pytest.raises(pydantic.ValidationError) as raised:
            read_into(ask(coze, mock_bot_id), seen)

        assert [error["type"] for error in raised.value.errors()] == ["json_invalid"]
        assert seen == [CREATED, IN_PROGRESS]

    @pytest.mark.known_break(bugs.chat.SYNC_STREAM_BUFFERED)
    def test_stream_delivers_events_as_they_arrive(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str
    ) -> None:
        """Given the service sends its stream one event per network read,
        When the caller takes the first event,
        Then it gets it after the first read, before the rest of the answer has been sent."""
        paced = Paced()
        coze_api.chat.create(edit=paced)

        first = next(iter(ask(coze, mock_bot_id)))

        assert (first.event, paced.stream.reads) == (CREATED, 1)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_stream_delivers_events_as_they_arrive(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given the service sends its stream one event per network read,
        When the caller takes the first event of the ``AsyncCoze`` stream,
        Then it gets it after the first read, before the rest of the answer has been sent."""
        paced = Paced()
        coze_api.chat.create(edit=paced)
        stream = ask(async_coze, mock_bot_id)
        if inspect.isawaitable(stream):
            stream = await stream

        first = await stream.__anext__()

        assert (first.event, paced.stream.reads) == (CREATED, 1)

    @pytest.mark.known_break(bugs.chat.SYNC_STREAM_BUFFERED)
    def test_stream_dropped_connection(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given the connection drops in the middle of the fourth event,
        When the caller iterates the stream,
        Then the three whole events arrive and then httpx's RemoteProtocolError reaches the caller."""
        coze_api.chat.create(edit=dropped)
        seen: list[str] = []

        with pytest.raises(httpx.RemoteProtocolError):
            read_into(ask(coze, mock_bot_id), seen)

        assert seen == [CREATED, IN_PROGRESS, DELTA]

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_stream_dropped_connection(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given the connection drops in the middle of the fourth event,
        When the caller reads the ``AsyncCoze`` stream,
        Then httpx's RemoteProtocolError reaches the caller."""
        coze_api.chat.create(edit=dropped)

        with pytest.raises(httpx.RemoteProtocolError):
            await async_events(ask(async_coze, mock_bot_id))

    @pytest.mark.known_break(bugs.chat.STREAM_ERROR_UNCHECKED, bugs.chat.STREAM_ERROR_NOT_READ)
    def test_stream_error_envelope(self, coze_api: FakeCoze, mock_bot_id: str) -> None:
        """Given a token the service does not know,
        When a stream chat is started with it,
        Then ``chat.stream`` itself raises CozeAPIError 4100 with the log id, before any iteration."""
        route = coze_api.chat.create()
        coze = cozepy.Coze(auth=cozepy.TokenAuth(INVALID_TOKEN), base_url=coze_api.base_url)

        with pytest.raises(cozepy.CozeAPIError) as raised:
            ask(coze, mock_bot_id)

        assert route.calls.last.response.headers["content-type"] == envelope.JSON_TYPE
        assert (raised.value.code, raised.value.msg, raised.value.logid) == (
            *envelope.INVALID_TOKEN,
            coze_api.last_logid(),
        )

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(
        bugs.chat.STREAM_ERROR_UNCHECKED, bugs.chat.STREAM_ERROR_NOT_READ, bugs.chat.ASYNC_STREAM_ERROR_SYNC_READ
    )
    @pytest.mark.anyio
    async def test_async_stream_error_envelope(self, coze_api: FakeCoze, mock_bot_id: str) -> None:
        """Given a token the service does not know,
        When a stream chat is started with it through ``AsyncCoze``,
        Then the first read raises CozeAPIError 4100 with the log id, before any event."""
        coze_api.chat.create()
        coze = SDK.AsyncCoze(auth=capabilities.async_auth(INVALID_TOKEN), base_url=coze_api.base_url)

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_events(ask(coze, mock_bot_id))

        assert (raised.value.code, raised.value.msg, raised.value.logid) == (
            *envelope.INVALID_TOKEN,
            coze_api.last_logid(),
        )


def conversation_of(coze_api: FakeCoze, *contents: str) -> ConversationRecord:
    """A conversation holding questions and answers in turn, oldest first."""
    conversation = coze_api.conversations.new()
    for number, content in enumerate(contents):
        role, kind = ("user", "question") if number % 2 == 0 else ("assistant", "answer")
        coze_api.conversations.add_message(conversation, role, kind, content)
    return conversation


FIVE = ("q1", "a1", "q2", "a2", "q3")
LIST_BODY = {"order": "desc", "chat_id": None, "before_id": None, "after_id": None, "limit": 50}


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


class TestConversationOperations:
    @pytest.mark.seed("T030")
    def test_create_conversation(
        self, coze_api: FakeCoze, coze: cozepy.Coze, sample_user_message: cozepy.Message
    ) -> None:
        """Given a user's first question and some meta data,
        When a conversation is created with them,
        Then one POST /v1/conversation/create carries the messages and the meta data, the
        Conversation comes back with its id, creation time and meta data, and holds the question."""
        coze_api.conversations.create()

        conversation = coze.conversations.create(messages=[sample_user_message], meta_data=META_DATA)

        request = coze_api.last_request()
        assert (request.method, request.path, request.flat_query()) == ("POST", "/v1/conversation/create", {})
        assert without_nulls(request.body) == {"messages": [QUESTION], "meta_data": META_DATA}
        (record,) = coze_api.conversations.records.values()
        assert (conversation.id, conversation.created_at, conversation.meta_data) == (
            record.id,
            record.created_at,
            META_DATA,
        )
        assert record_views(record.messages) == [("user", "question", QUESTION["content"])]

    @pytest.mark.needs("conversation_bot_id")
    def test_create_conversation_for_bot(
        self, coze_api: FakeCoze, coze: Any, mock_bot_id: str, sample_user_message: cozepy.Message
    ) -> None:
        """Given a bot, a user's first question and some meta data,
        When a conversation is created for the bot,
        Then the request body carries the bot id, the messages and the meta data, and the
        conversation belongs to the bot."""
        coze_api.conversations.create()

        conversation = coze.conversations.create(
            bot_id=mock_bot_id, messages=[sample_user_message], meta_data=META_DATA
        )

        assert without_nulls(coze_api.last_request().body) == {
            "bot_id": mock_bot_id,
            "messages": [QUESTION],
            "meta_data": META_DATA,
        }
        record = coze_api.conversations.records[conversation.id]
        assert (record.bot_id, conversation.meta_data) == (mock_bot_id, META_DATA)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_create_conversation(
        self, coze_api: FakeCoze, async_coze: Any, sample_user_message: cozepy.Message
    ) -> None:
        """Given a user's first question and some meta data,
        When a conversation is created through ``AsyncCoze``,
        Then the request carries both and the Conversation comes back with its id and meta data."""
        coze_api.conversations.create()

        conversation = await async_coze.conversations.create(messages=[sample_user_message], meta_data=META_DATA)

        assert without_nulls(coze_api.last_request().body) == {"messages": [QUESTION], "meta_data": META_DATA}
        (record,) = coze_api.conversations.records.values()
        assert (conversation.id, conversation.meta_data) == (record.id, META_DATA)

    def test_retrieve_conversation(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given an existing conversation with meta data,
        When it is retrieved by id,
        Then one GET /v1/conversation/retrieve names it in the query and its id, creation time and
        meta data come back."""
        record = coze_api.conversations.new(bot_id=mock_bot_id, meta_data=META_DATA)
        coze_api.conversations.retrieve()

        conversation = coze.conversations.retrieve(conversation_id=record.id)

        request = coze_api.last_request()
        assert (request.method, request.path, request.flat_query(), request.body) == (
            "GET",
            "/v1/conversation/retrieve",
            {"conversation_id": record.id},
            None,
        )
        assert (conversation.id, conversation.created_at, conversation.meta_data) == (
            record.id,
            record.created_at,
            META_DATA,
        )

    @pytest.mark.needs("conversation_list")
    def test_list_conversations(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str) -> None:
        """Given a bot with three conversations (and another bot with one),
        When the caller iterates the bot's conversations two per page,
        Then GET /v1/conversations asks for page 1 then page 2 of the bot, and the bot's three
        conversations come back newest first."""
        mine = [coze_api.conversations.new(bot_id=mock_bot_id) for _ in range(3)]
        coze_api.conversations.new(bot_id="7379462189365198899")
        route = coze_api.conversations.list()

        conversations = list(coze.conversations.list(bot_id=mock_bot_id, page_size=2))

        assert [(call.request.method, dict(call.request.url.params)) for call in route.calls] == [
            ("GET", {"bot_id": mock_bot_id, "page_num": str(number), "page_size": "2"}) for number in (1, 2)
        ]
        assert ids(conversations) == [record.id for record in reversed(mine)]

    @pytest.mark.seed("T031")
    def test_list_conversation_messages(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with a question, an answer and a second question,
        When its messages are listed with the defaults,
        Then one POST /v1/conversation/message/list names the conversation in the query and sends
        ``order: desc``, ``limit: 50`` and no cursors, and the messages come back newest first
        with ``first_id``/``last_id`` of the page and ``has_more`` false."""
        conversation = conversation_of(coze_api, "q1", "a1", "q2")
        coze_api.conversations.list_messages()

        page = coze.conversations.messages.list(conversation_id=conversation.id)

        request = coze_api.last_request()
        assert (request.method, request.path, request.flat_query()) == (
            "POST",
            "/v1/conversation/message/list",
            {"conversation_id": conversation.id},
        )
        assert request.body == LIST_BODY
        newest_first = conversation.messages[::-1]
        assert [message_view(message) for message in page.items] == record_views(newest_first)
        assert ids(page.items) == ids(newest_first)
        assert (page.first_id, page.last_id, page.has_more) == (newest_first[0].id, newest_first[-1].id, False)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_conversation_messages(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a conversation with three messages,
        When its messages are listed through ``AsyncCoze``,
        Then the same request goes out and the messages come back newest first with the page's ids."""
        conversation = conversation_of(coze_api, "q1", "a1", "q2")
        coze_api.conversations.list_messages()

        page = await async_coze.conversations.messages.list(conversation_id=conversation.id)

        assert coze_api.last_request().body == LIST_BODY
        newest_first = conversation.messages[::-1]
        assert ids(page.items) == ids(newest_first)
        assert (page.first_id, page.last_id, page.has_more) == (newest_first[0].id, newest_first[-1].id, False)

    def test_list_messages_oldest_first_with_limit(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with five messages,
        When the first two are listed oldest first (``order: asc``, ``limit: 2``),
        Then the request sends that order and limit, and the two oldest come back with ``has_more`` true."""
        conversation = conversation_of(coze_api, *FIVE)
        coze_api.conversations.list_messages()

        page = coze.conversations.messages.list(conversation_id=conversation.id, order="asc", limit=2)

        assert coze_api.last_request().body == {**LIST_BODY, "order": "asc", "limit": 2}
        oldest = conversation.messages[:2]
        assert [message_view(message) for message in page.items] == record_views(oldest)
        assert (page.first_id, page.last_id, page.has_more) == (oldest[0].id, oldest[1].id, True)

    def test_list_messages_after_id(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with five messages and the id of the second newest,
        When two messages after it are listed (newest first, ``after_id``),
        Then the request sends ``after_id`` and the next two older messages come back, with more left."""
        conversation = conversation_of(coze_api, *FIVE)
        newest_first = conversation.messages[::-1]
        coze_api.conversations.list_messages()

        page = coze.conversations.messages.list(conversation_id=conversation.id, after_id=newest_first[1].id, limit=2)

        assert coze_api.last_request().body == {**LIST_BODY, "after_id": newest_first[1].id, "limit": 2}
        assert ids(page.items) == ids(newest_first[2:4])
        assert (page.first_id, page.last_id, page.has_more) == (newest_first[2].id, newest_first[3].id, True)

    def test_list_messages_before_id(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with five messages and the id of the second oldest,
        When two messages before it are listed (newest first, ``before_id``),
        Then the request sends ``before_id`` and the two messages just before it come back, with more before them."""
        conversation = conversation_of(coze_api, *FIVE)
        newest_first = conversation.messages[::-1]
        coze_api.conversations.list_messages()

        page = coze.conversations.messages.list(conversation_id=conversation.id, before_id=newest_first[3].id, limit=2)

        assert coze_api.last_request().body == {**LIST_BODY, "before_id": newest_first[3].id, "limit": 2}
        assert ids(page.items) == ids(newest_first[1:3])
        assert (page.first_id, page.last_id, page.has_more) == (newest_first[1].id, newest_first[2].id, True)

    @pytest.mark.needs("message_list_paging")
    def test_iterate_message_pages(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a conversation with five messages,
        When the caller iterates them two per page,
        Then cozepy asks for the first page, then each next page with ``after_id`` = the previous
        page's ``last_id`` until ``has_more`` is false, and every message comes once, newest first."""
        conversation = conversation_of(coze_api, *FIVE)
        newest_first = conversation.messages[::-1]
        route = coze_api.conversations.list_messages()

        messages = list(coze.conversations.messages.list(conversation_id=conversation.id, limit=2))

        bodies = [json.loads(call.request.content) for call in route.calls]
        assert bodies == [
            {**LIST_BODY, "limit": 2, "after_id": after} for after in (None, newest_first[1].id, newest_first[3].id)
        ]
        assert ids(messages) == ids(newest_first)
