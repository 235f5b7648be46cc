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
* ``TestChatLifecycle``: the rest of a chat's life. A chat that fails (blocking, polled to
  ``failed`` with ``last_error``; streamed, ending in ``conversation.chat.failed``; through
  ``create_and_poll``, where every release raises pydantic's ``ValidationError`` on the empty
  message list instead: coze-py#425, as for a chat canceled while it polls); a chat that waits for
  tool outputs (``requires_action`` with its tool calls, blocking and streamed, then
  ``submit_tool_outputs`` blocking and streamed, a ``reply_message`` call, ``create_and_poll``
  stopping there); ``chat.cancel`` (its ids in the body,
  the canceled Chat, the service's 4104 for a chat that has finished, a canceled chat retrieved, a
  stream ending with ``conversation.chat.canceled``); ``create_and_poll(poll_timeout=...)`` (with
  ``time.time`` and ``time.sleep`` patched: two polls, then the cancel, and the 4104 race of
  coze-py#244); one chat at a time in a conversation (4016); a bot the service does not know (4200).
* ``TestChatWireForms``: the query of a chat without a conversation, pinned per release (none
  before 0.6.2 sync / 0.8.0 async, ``?conversation_id=`` empty since: coze-py#308); enum values a
  release does not know (a chat status, a message type, content type and role: rejected before
  0.17.0, kept with a ``UserWarning`` since); questions built from objects (``object_string``).
* ``TestConversationOperations``: creating a conversation with initial messages and meta data
  (T030) and for a bot, retrieving it, listing a bot's conversations page by page, and listing its
  messages (T031) with ``order``, ``limit``, ``before_id``/``after_id`` and the top-level
  ``first_id``/``last_id``/``has_more`` paging.

Where a release lacks a pattern the test is skipped as not offered (``needs``); where a release has
it and behaves differently the test fails there, marked ``known_break`` with a bug of
``coze_compat.bugs.chat`` (its releases, its cause in cozepy's source, its fix). Every chat here
talks to the published bot of ``sample_bot_data`` (``published_bot``): the fake, like the service,
answers 4200 for a bot it does not know. The property-based checks of the reply models are in
``test_chat_replies.py``. Request bodies are compared without their ``null`` fields: releases before 0.17 send every
optional field as ``null``, later ones leave them out, and the service reads both the same way.
"""

from __future__ import annotations

import inspect
import json
import time
import warnings
from typing import Any, Callable

import cozepy
import httpx
import pydantic
import pytest
import respx
from packaging.version import Version

from coze_compat import bugs, capabilities
from coze_compat.bugs import Bug
from coze_compat.capabilities.chat import invalid_event_error
from coze_compat.fake import envelope, sse
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.chat import (
    CANNOT_CANCEL,
    CONVERSATION_OCCUPIED,
    QUOTA_EXHAUSTED,
    UNKNOWN_BOT,
    VERBOSE_FINISH,
    Answer,
    ChatRecord,
    LiveStream,
    ToolCall,
)
from coze_compat.fake.conversations import ConversationRecord, MessageRecord
from coze_compat.fake.requests import CozeRequest
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


@pytest.fixture(autouse=True)
def published_bot(coze_api: FakeCoze, sample_bot_data: BotRecord) -> BotRecord:
    """The published bot every chat here talks to (the service answers 4200 for a bot it does not know)."""
    return coze_api.bots.add(sample_bot_data)


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


def new_conversation_query(in_body: Bug) -> bytes:
    """The raw query the installed release sends for a chat that names no conversation (coze-py#308).

    A release that puts ``conversation_id`` in the JSON body (``in_body``'s releases: sync before 0.6.2,
    async before 0.8.0) sends no query at all; the later ones build
    ``params={"conversation_id": conversation_id if conversation_id else None}`` and httpx renders the
    ``None`` as an empty value: ``?conversation_id=``. The hosted service reads both as "a new
    conversation"; Coze Studio rejects the empty value (bugs.studio.EMPTY_CONVERSATION_ID)."""
    return b"" if in_body.applies_to(capabilities.cozepy_version()) else b"conversation_id="


def assert_new_conversation_query(request: CozeRequest, in_body: Bug = bugs.chat.SYNC_CONVERSATION_IN_BODY) -> None:
    """The chat names no conversation, in exactly the form the installed release sends (``new_conversation_query``)."""
    assert request.url.query == new_conversation_query(in_body), request.url


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
        assert_new_conversation_query(request)
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
        assert_new_conversation_query(request, bugs.chat.ASYNC_CONVERSATION_IN_BODY)
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
        assert_new_conversation_query(request)
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

        events = await async_events(async_coze.chat.stream(**name_question(mock_bot_id, conversation.id)))

        assert_streamed_in(coze_api, conversation, events)

    @pytest.mark.known_break(bugs.chat.SYNC_CONVERSATION_IN_BODY)
    def test_stream_chat_with_conversation(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a conversation that already holds an exchange with the bot,
        When a chat is streamed in it (``chat.stream(conversation_id=...)``),
        Then the request names the conversation in its query, every chat event is in that
        conversation, and the conversation ends with the new question and the bot's answer."""
        conversation = conversation_with_history(coze_api, mock_bot_id)
        coze_api.chat.create()

        events = list(coze.chat.stream(**name_question(mock_bot_id, conversation.id)))

        assert_streamed_in(coze_api, conversation, events)


def name_question(bot_id: str, conversation_id: str) -> dict[str, Any]:
    """The arguments of a chat asking the bot, in a conversation, for the user's name."""
    return {
        "bot_id": bot_id,
        "user_id": USER_ID,
        "additional_messages": [user_message("What is my name?")],
        "conversation_id": conversation_id,
    }


def assert_streamed_in(coze_api: FakeCoze, conversation: ConversationRecord, events: list[Any]) -> None:
    """The chat of ``name_question`` was streamed in ``conversation``: the request names it in its
    query, every chat event is in it, and it ends with the question and the bot's answer."""
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

        assert str(raised.value) == f"invalid event, data: : ping, logid: {coze_api.sdk_logid()}"
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

        assert str(raised.value) == f"invalid event, data: : ping, logid: {coze_api.sdk_logid()}"

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
            coze_api.sdk_logid(),
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
            coze_api.sdk_logid(),
        )


FAILED, REQUIRES_ACTION = "conversation.chat.failed", "conversation.chat.requires_action"
#: The event the websocket chat API sends for a canceled chat (cozepy websockets/chat
#: ``ConversationChatCanceledEvent``); no ``ChatEventType`` of any release knows it, so a stream that ends
#: with it shows what each release does.
CANCELED_EVENT = "conversation.chat.canceled"
#: A chat that fails at its second poll, as coze.cn failed a chat whose free quota was used up (coze-py#425).
FAILING = Answer(failure=QUOTA_EXHAUSTED, polls=1)
#: A client-side plugin call (DOC:chat_v3's requires_action example) and the bot's answer once its output is in.
WEATHER_CALL = ToolCall(
    "BUJJF0dAQ0NAEBVeQkVKEV5HFURFXhFCEhFeFxdHShcSQEtFSxYRSUI=", "local_data_assistant", '{"location":"南京","type":0}'
)
WEATHER_OUTPUT = '{"weather":"sunny","temperature":25}'
TOOL_USING = Answer(deltas=("Sunny in Nanjing, ", "25 degrees."), tool_calls=(WEATHER_CALL,), polls=0)
#: A workflow question node waiting for the user's choice (DOC:chat_v3: tool call type ``reply_message``).
CHOICE_CALL = ToolCall("7470349982397005844", "question_node", '{"question":"Which city?"}', type="reply_message")
#: A bot slower than a caller's ``poll_timeout`` of 1 s.
SLOW = Answer(polls=5)
UNKNOWN_BOT_ID = "7379462189365199999"


def tool_call_view(chat: Any) -> list[tuple[str, str, str, str]]:
    """The tool calls a chat waits for: id, type, function name and arguments."""
    calls = chat.required_action.submit_tool_outputs.tool_calls
    return [(call.id, call.type, call.function.name, call.function.arguments) for call in calls]


def wire_call(call: ToolCall) -> tuple[str, str, str, str]:
    return (call.id, call.type, call.name, call.arguments)


def error_view(chat: Any) -> tuple[str, int, str]:
    return (chat.status, chat.last_error.code, chat.last_error.msg)


def weather_output() -> list[Any]:
    return [cozepy.ToolOutput(tool_call_id=WEATHER_CALL.id, output=WEATHER_OUTPUT)]


def submitted(request: CozeRequest, chat: Any, stream: bool) -> tuple[str, str, dict[str, str], Any]:
    """What a submit_tool_outputs request must be: the chat in the query, the outputs and ``stream`` in the body."""
    expected = {"tool_outputs": [{"tool_call_id": WEATHER_CALL.id, "output": WEATHER_OUTPUT}], "stream": stream}
    assert (request.method, request.path, request.flat_query(), request.body) == (
        "POST",
        "/v3/chat/submit_tool_outputs",
        {"conversation_id": chat.conversation_id, "chat_id": chat.id},
        expected,
    )
    return request.method, request.path, request.flat_query(), request.body


def assert_cancel_request(request: CozeRequest, chat: Any) -> None:
    """``/v3/chat/cancel`` names the chat in its JSON body and has no query (DOC:chat_cancel)."""
    assert (request.method, request.path, request.url.query, request.body) == (
        "POST",
        "/v3/chat/cancel",
        b"",
        {"conversation_id": chat.conversation_id, "chat_id": chat.id},
    )


def canceled_at_the_end(events: list[sse.SSEEvent]) -> sse.EventStream:
    """The service's stream cut after the first delta by a cancel, ending with the canceled Chat."""
    canceled = {**events[1].data, "status": "canceled"}
    return sse.EventStream((*events[:3], sse.SSEEvent(CANCELED_EVENT, canceled)))


def start(client: Any, bot_id: str, method: str = "create", **kwargs: Any) -> Any:
    """``client.chat.create`` (or ``create_and_poll``) of the default question; awaitable for ``AsyncCoze``."""
    question = user_message(QUESTION["content"])
    return getattr(client.chat, method)(bot_id=bot_id, user_id=USER_ID, additional_messages=[question], **kwargs)


def poll_once(client: Any, chat: Any) -> Any:
    """``client.chat.retrieve`` of ``chat``; awaitable for ``AsyncCoze``."""
    return client.chat.retrieve(conversation_id=chat.conversation_id, chat_id=chat.id)


class Clock:
    """``time.time`` and ``time.sleep`` for ``create_and_poll``: sleeping moves the clock on, nothing waits."""

    def __init__(self) -> None:
        self.now = 1718792949.0
        self.sleeps: list[float] = []
        #: Called at each sleep: what happens elsewhere while the caller waits.
        self.meanwhile: Callable[[], None] = lambda: None

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.meanwhile()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(time, "time", clock.time)
    monkeypatch.setattr(time, "sleep", clock.sleep)
    return clock


class TestChatLifecycle:
    """A chat's whole life: failed, waiting for tool outputs, canceled, one at a time, an unknown bot."""

    @pytest.mark.needs("chat_last_error")
    def test_blocking_chat_fails(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a bot whose chat fails at the second poll (its free quota used up),
        When the caller polls the blocking chat by hand,
        Then the chat goes from in_progress to failed, with the service's last_error (4028 and its message)
        and the time it failed."""
        coze_api.chat.answer = FAILING
        coze_api.chat.create()
        coze_api.chat.retrieve()
        chat = start(coze, mock_bot_id)

        first = poll_once(coze, chat)
        second = poll_once(coze, chat)

        assert [polled.status for polled in (chat, first)] == ["in_progress", "in_progress"]
        assert error_view(second) == ("failed", *QUOTA_EXHAUSTED)
        assert second.failed_at == the_chat(coze_api).failed_at is not None

    @pytest.mark.needs("async_client", "chat_last_error")
    @pytest.mark.anyio
    async def test_async_blocking_chat_fails(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given a bot whose chat fails at the second poll,
        When the caller polls the blocking chat through ``AsyncCoze``,
        Then the second retrieve reads failed with the service's last_error."""
        coze_api.chat.answer = FAILING
        coze_api.chat.create()
        coze_api.chat.retrieve()
        chat = await start(async_coze, mock_bot_id)

        await poll_once(async_coze, chat)
        failed = await poll_once(async_coze, chat)

        assert error_view(failed) == ("failed", *QUOTA_EXHAUSTED)

    @pytest.mark.needs("chat_last_error")
    @pytest.mark.known_break(bugs.chat.CHAT_FAILED_RAISES)
    def test_stream_ends_with_failed_chat(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a bot whose streamed chat fails,
        When the caller iterates the stream,
        Then it sees created, in progress and ``conversation.chat.failed``, whose Chat carries status failed and
        the service's last_error, and the stream ends there (as cozepy's chat_failed_resp.txt)."""
        coze_api.chat.answer = FAILING
        coze_api.chat.create()

        events = list(ask(coze, mock_bot_id))

        assert names(events) == [CREATED, IN_PROGRESS, FAILED]
        assert error_view(events[-1].chat) == ("failed", *QUOTA_EXHAUSTED)

    @pytest.mark.needs("async_client", "chat_last_error")
    @pytest.mark.known_break(bugs.chat.CHAT_FAILED_RAISES)
    @pytest.mark.anyio
    async def test_async_stream_ends_with_failed_chat(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given a bot whose streamed chat fails,
        When the caller reads the ``AsyncCoze`` stream,
        Then the last event is ``conversation.chat.failed`` with the service's last_error."""
        coze_api.chat.answer = FAILING
        coze_api.chat.create()

        events = await async_events(ask(async_coze, mock_bot_id))

        assert names(events) == [CREATED, IN_PROGRESS, FAILED]
        assert error_view(events[-1].chat) == ("failed", *QUOTA_EXHAUSTED)

    @pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST, bugs.chat.EMPTY_MESSAGE_LIST)
    def test_list_messages_of_failed_chat(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a chat that failed before the bot answered,
        When the caller lists the chat's messages,
        Then the list is empty (the service leaves ``data`` out of an empty list: coze-py#425)."""
        coze_api.chat.answer = Answer(failure=QUOTA_EXHAUSTED, polls=0)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        route = coze_api.chat.list_messages()
        chat = start(coze, mock_bot_id)
        poll_once(coze, chat)

        messages = coze.chat.messages.list(conversation_id=chat.conversation_id, chat_id=chat.id)

        assert "data" not in json.loads(route.calls.last.response.content)
        assert list(messages) == []

    @pytest.mark.needs("chat_create_and_poll", "chat_last_error")
    @pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST, bugs.chat.EMPTY_MESSAGE_LIST)
    def test_create_and_poll_failed_chat(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str, clock: Clock) -> None:
        """Given a bot whose chat fails at the second poll,
        When the caller uses ``create_and_poll``,
        Then it gets the failed chat with the service's last_error (4028: the quota used up) and no messages,
        not a pydantic ValidationError about ``input_value='code'`` (coze-py#203, #425)."""
        coze_api.chat.answer = FAILING
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.list_messages()

        poll = start(coze, mock_bot_id, "create_and_poll")

        assert clock.sleeps == [1, 1]
        assert error_view(poll.chat) == ("failed", *QUOTA_EXHAUSTED)
        assert list(poll.messages or ()) == []

    @pytest.mark.needs("chat_create_and_poll")
    @pytest.mark.known_break(bugs.chat.CANCELED_STATUS_UNKNOWN, bugs.chat.EMPTY_MESSAGE_LIST)
    def test_create_and_poll_canceled_chat(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str, clock: Clock) -> None:
        """Given a chat that another client cancels while ``create_and_poll`` waits for it,
        When the poll retrieves it,
        Then ``create_and_poll`` returns the canceled chat and no messages."""
        coze_api.chat.answer = SLOW
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.list_messages()
        clock.meanwhile = lambda: coze_api.chat.cancel_chat(the_chat(coze_api))

        poll = start(coze, mock_bot_id, "create_and_poll")

        assert (clock.sleeps, poll.chat.status, list(poll.messages or ())) == ([1], "canceled", [])

    @pytest.mark.needs("chat_required_action")
    @pytest.mark.known_break(bugs.chat.TOOL_CALL_ARGUMENT)
    def test_requires_action_then_submit_tool_outputs(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str
    ) -> None:
        """Given a bot that calls a client-side plugin before it answers,
        When the caller polls the blocking chat, submits the plugin's output (not streamed) and polls again,
        Then the chat stops at requires_action with the call's id, type, name and arguments; the submit is a
        POST /v3/chat/submit_tool_outputs naming the chat in its query, with the output and ``stream: false``
        in its body; the chat goes on (in_progress) and completes with the usage."""
        coze_api.chat.answer = TOOL_USING
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.submit_tool_outputs()
        chat = start(coze, mock_bot_id)
        waiting = poll_once(coze, chat)

        resumed: Any = coze.chat.submit_tool_outputs(
            conversation_id=chat.conversation_id, chat_id=chat.id, tool_outputs=weather_output(), stream=False
        )
        done: Any = poll_once(coze, chat)

        assert (waiting.status, tool_call_view(waiting)) == ("requires_action", [wire_call(WEATHER_CALL)])
        submitted(coze_api.requests[2], chat, stream=False)
        assert (resumed.status, done.status) == ("in_progress", "completed")
        assert done.required_action is None  # answered: nothing is waited for any more
        assert usage_view(done.usage) == TOOL_USING.usage()
        assert [message.type for message in the_chat(coze_api).messages] == [
            "function_call",
            "tool_response",
            "answer",
            "verbose",
        ]

    @pytest.mark.needs("async_client", "chat_required_action")
    @pytest.mark.known_break(bugs.chat.TOOL_CALL_ARGUMENT)
    @pytest.mark.anyio
    async def test_async_requires_action_then_submit_tool_outputs(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given a bot that calls a client-side plugin before it answers,
        When the caller polls the chat, submits the output (not streamed) and polls again through ``AsyncCoze``,
        Then the chat waits with the call, the submit carries the output and ``stream: false``, and the chat
        completes."""
        coze_api.chat.answer = TOOL_USING
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.submit_tool_outputs()
        chat = await start(async_coze, mock_bot_id)
        waiting = await poll_once(async_coze, chat)

        resumed = await async_coze.chat.submit_tool_outputs(
            conversation_id=chat.conversation_id, chat_id=chat.id, tool_outputs=weather_output()
        )
        done = await poll_once(async_coze, chat)

        assert tool_call_view(waiting) == [wire_call(WEATHER_CALL)]
        submitted(coze_api.requests[2], chat, stream=False)
        assert (resumed.status, done.status) == ("in_progress", "completed")

    @pytest.mark.needs("chat_required_action")
    @pytest.mark.known_break(bugs.chat.TOOL_CALL_ARGUMENT)
    def test_stream_requires_action_then_submit_streamed(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str
    ) -> None:
        """Given a bot that calls a client-side plugin before it answers,
        When the caller streams the chat, then submits the plugin's output streamed,
        Then the first stream shows the function_call message and ``conversation.chat.requires_action`` with
        the tool call; the submit (``stream: true``) streams the rest of the chat: in progress, the deltas,
        the completed messages and the completed chat, with the whole answer."""
        coze_api.chat.answer = TOOL_USING
        coze_api.chat.create()
        coze_api.chat.submit_tool_outputs()

        events = list(ask(coze, mock_bot_id))
        waiting = events[-1].chat
        rest = list(
            coze.chat.submit_tool_outputs(
                conversation_id=waiting.conversation_id, chat_id=waiting.id, tool_outputs=weather_output(), stream=True
            )
        )

        assert names(events) == [CREATED, IN_PROGRESS, MESSAGE_COMPLETED, REQUIRES_ACTION]
        assert (events[2].message.type, tool_call_view(waiting)) == ("function_call", [wire_call(WEATHER_CALL)])
        submitted(coze_api.last_request(), waiting, stream=True)
        assert names(rest) == [IN_PROGRESS, DELTA, DELTA, MESSAGE_COMPLETED, MESSAGE_COMPLETED, CHAT_COMPLETED]
        assert answer_of(rest) == TOOL_USING.content

    @pytest.mark.needs("async_client", "chat_required_action")
    @pytest.mark.known_break(bugs.chat.TOOL_CALL_ARGUMENT)
    @pytest.mark.anyio
    async def test_async_stream_requires_action_then_submit_streamed(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given a bot that calls a client-side plugin before it answers,
        When the caller streams the chat and then ``submit_tool_outputs_stream`` through ``AsyncCoze``,
        Then the first stream ends at requires_action with the call, and the second streams the rest of the answer."""
        coze_api.chat.answer = TOOL_USING
        coze_api.chat.create()
        coze_api.chat.submit_tool_outputs()

        events = await async_events(ask(async_coze, mock_bot_id))
        waiting = events[-1].chat
        rest = await async_events(
            async_coze.chat.submit_tool_outputs_stream(
                conversation_id=waiting.conversation_id, chat_id=waiting.id, tool_outputs=weather_output()
            )
        )

        assert (names(events)[-1], tool_call_view(waiting)) == (REQUIRES_ACTION, [wire_call(WEATHER_CALL)])
        submitted(coze_api.last_request(), waiting, stream=True)
        assert names(rest)[-1] == CHAT_COMPLETED
        assert answer_of(rest) == TOOL_USING.content

    @pytest.mark.needs("chat_required_action")
    @pytest.mark.known_break(bugs.chat.REPLY_MESSAGE_UNKNOWN)
    def test_stream_waits_for_a_reply_message(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a bot whose workflow stops at a question node (a ``reply_message`` tool call),
        When the caller streams the chat,
        Then it ends at requires_action with the reply_message call, its name and its arguments."""
        coze_api.chat.answer = Answer(tool_calls=(CHOICE_CALL,))
        coze_api.chat.create()

        events = list(ask(coze, mock_bot_id))

        assert names(events)[-1] == REQUIRES_ACTION
        assert tool_call_view(events[-1].chat) == [wire_call(CHOICE_CALL)]

    @pytest.mark.needs("chat_create_and_poll", "chat_required_action")
    @pytest.mark.known_break(bugs.chat.MESSAGE_LIST_POST)
    def test_create_and_poll_stops_at_requires_action(
        self, coze_api: FakeCoze, coze: Any, mock_bot_id: str, clock: Clock
    ) -> None:
        """Given a bot that calls a client-side plugin at its first poll,
        When the caller uses ``create_and_poll``,
        Then it returns the chat waiting at requires_action with the tool call, and the function_call message."""
        coze_api.chat.answer = TOOL_USING
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.list_messages()

        poll = start(coze, mock_bot_id, "create_and_poll")

        assert (clock.sleeps, poll.chat.status, tool_call_view(poll.chat)) == (
            [1],
            "requires_action",
            [wire_call(WEATHER_CALL)],
        )
        assert [message.type for message in poll.messages] == ["function_call"]

    @pytest.mark.known_break(bugs.chat.CANCEL_IN_QUERY)
    def test_cancel_chat_in_progress(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a blocking chat the bot is still answering,
        When the caller cancels it,
        Then one POST /v3/chat/cancel carries the conversation and chat ids in its JSON body (no query), the
        canceled Chat comes back, and the chat's question is no longer in the conversation (DOC:chat_cancel)."""
        coze_api.chat.answer = SLOW
        coze_api.chat.create()
        coze_api.chat.cancel()
        chat = start(coze, mock_bot_id)

        canceled = coze.chat.cancel(conversation_id=chat.conversation_id, chat_id=chat.id)

        assert_cancel_request(coze_api.last_request(), chat)
        assert chat_view(canceled) == (chat.id, chat.conversation_id, mock_bot_id, "canceled")
        assert the_chat(coze_api).conversation.messages == []

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.chat.CANCEL_IN_QUERY)
    @pytest.mark.anyio
    async def test_async_cancel_chat_in_progress(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given a blocking chat the bot is still answering,
        When the caller cancels it through ``AsyncCoze``,
        Then the cancel names the chat in its JSON body and the canceled Chat comes back."""
        coze_api.chat.answer = SLOW
        coze_api.chat.create()
        coze_api.chat.cancel()
        chat = await start(async_coze, mock_bot_id)

        canceled = await async_coze.chat.cancel(conversation_id=chat.conversation_id, chat_id=chat.id)

        assert_cancel_request(coze_api.last_request(), chat)
        assert chat_view(canceled) == (chat.id, chat.conversation_id, mock_bot_id, "canceled")

    @pytest.mark.known_break(bugs.chat.CANCEL_IN_QUERY)
    def test_cancel_finished_chat_is_refused(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a blocking chat that has already completed,
        When the caller cancels it,
        Then CozeAPIError 4104 says the chat cannot be canceled, with the log id, and the chat stays completed."""
        coze_api.chat.answer = Answer(polls=0)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.cancel()
        chat = start(coze, mock_bot_id)
        poll_once(coze, chat)

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.chat.cancel(conversation_id=chat.conversation_id, chat_id=chat.id)

        assert (raised.value.code, raised.value.msg, raised.value.logid) == (*CANNOT_CANCEL, coze_api.sdk_logid())
        assert the_chat(coze_api).status == "completed"

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.chat.CANCEL_IN_QUERY)
    @pytest.mark.anyio
    async def test_async_cancel_finished_chat_is_refused(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given a blocking chat that has already completed,
        When the caller cancels it through ``AsyncCoze``,
        Then CozeAPIError 4104 says the chat cannot be canceled."""
        coze_api.chat.answer = Answer(polls=0)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        coze_api.chat.cancel()
        chat = await start(async_coze, mock_bot_id)
        await poll_once(async_coze, chat)

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_coze.chat.cancel(conversation_id=chat.conversation_id, chat_id=chat.id)

        assert (raised.value.code, raised.value.msg) == CANNOT_CANCEL

    @pytest.mark.known_break(bugs.chat.CANCELED_STATUS_UNKNOWN)
    def test_retrieve_canceled_chat(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a blocking chat that another client canceled,
        When the caller retrieves it,
        Then the Chat comes back with status canceled."""
        coze_api.chat.answer = SLOW
        coze_api.chat.create()
        coze_api.chat.retrieve()
        chat = start(coze, mock_bot_id)
        coze_api.chat.cancel_chat(the_chat(coze_api))

        canceled = poll_once(coze, chat)

        assert chat_view(canceled) == (chat.id, chat.conversation_id, mock_bot_id, "canceled")

    @pytest.mark.known_break(bugs.chat.UNKNOWN_EVENT_ENDS_STREAM)
    def test_stream_ends_with_canceled_chat(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a chat canceled while its stream is open, the stream ending with ``conversation.chat.canceled``
        (the websocket chat API's event for it, which no release's ChatEventType knows),
        When the caller iterates the stream,
        Then the events before it arrive and the last is handed over as unknown, its data the canceled Chat."""
        coze_api.chat.create(edit=canceled_at_the_end)

        events = list(ask(coze, mock_bot_id))

        assert names(events) == [CREATED, IN_PROGRESS, DELTA, "unknown"]
        assert (events[-1].unknown["event"], json.loads(events[-1].unknown["data"])["status"]) == (
            CANCELED_EVENT,
            "canceled",
        )

    @pytest.mark.needs("chat_create_and_poll")
    @pytest.mark.known_break(bugs.chat.CANCEL_IN_QUERY)
    def test_create_and_poll_timeout_cancels(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_bot_id: str,
        clock: Clock,
    ) -> None:
        """Given a bot slower than the caller's ``poll_timeout`` of 1 s,
        When the caller uses ``create_and_poll(poll_timeout=1)``,
        Then cozepy polls twice, 1 s apart, then cancels the chat (POST /v3/chat/cancel, the ids in the body)
        and returns the chat as it last polled it (in_progress) without messages; the chat is canceled."""
        coze_api.chat.answer = SLOW
        coze_api.chat.create()
        retrieve = coze_api.chat.retrieve()
        coze_api.chat.cancel()

        poll = start(coze, mock_bot_id, "create_and_poll", poll_timeout=1)

        record = the_chat(coze_api)
        assert (clock.sleeps, requests_of(retrieve)) == (
            [1, 1],
            [("POST", {"conversation_id": record.conversation.id, "chat_id": record.id})] * 2,
        )
        assert_cancel_request(coze_api.last_request(), poll.chat)
        assert (poll.chat.id, poll.chat.status, poll.messages) == (record.id, "in_progress", None)
        assert record.status == "canceled"

    @pytest.mark.needs("chat_create_and_poll")
    @pytest.mark.known_break(bugs.chat.CANCEL_IN_QUERY, bugs.chat.CANCEL_RACE)
    def test_create_and_poll_timeout_race(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_bot_id: str,
        clock: Clock,
    ) -> None:
        """Given a bot that finishes just as the caller's ``poll_timeout`` of 1 s runs out,
        When ``create_and_poll(poll_timeout=1)`` cancels the chat and the service answers 4104 (it can no
        longer be canceled),
        Then cozepy retrieves the chat once more and returns it completed, with the answer."""
        coze_api.chat.answer = Answer(polls=2)
        coze_api.chat.create()
        retrieve = coze_api.chat.retrieve()
        cancel = coze_api.chat.cancel()
        coze_api.chat.list_messages()

        poll = start(coze, mock_bot_id, "create_and_poll", poll_timeout=1)

        assert (clock.sleeps, retrieve.call_count, cancel.call_count) == ([1, 1], 3, 1)
        assert json.loads(cancel.calls.last.response.content)["code"] == CANNOT_CANCEL[0]
        assert poll.chat.status == "completed"
        assert [message_view(message) for message in poll.messages] == [
            ("assistant", "answer", coze_api.chat.answer.content),
            ("assistant", "verbose", VERBOSE_FINISH),
        ]

    @pytest.mark.known_break(bugs.chat.SYNC_CONVERSATION_IN_BODY)
    def test_one_chat_at_a_time_in_a_conversation(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str
    ) -> None:
        """Given a conversation whose blocking chat the bot is still answering,
        When the caller starts a second chat in it, then again once the first has completed,
        Then the second chat is refused with CozeAPIError 4016 (one chat in progress per conversation), and
        the retry runs in the conversation."""
        conversation = conversation_with_history(coze_api, mock_bot_id)
        coze_api.chat.answer = Answer(polls=0)
        coze_api.chat.create()
        coze_api.chat.retrieve()
        ask_in: dict[str, Any] = {"bot_id": mock_bot_id, "user_id": USER_ID, "conversation_id": conversation.id}
        first = coze.chat.create(**ask_in, additional_messages=[user_message("What is my name?")])

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.chat.create(**ask_in, additional_messages=[user_message("Are you there?")])
        coze.chat.retrieve(conversation_id=first.conversation_id, chat_id=first.id)
        retry = coze.chat.create(**ask_in, additional_messages=[user_message("Are you there?")])

        assert (raised.value.code, raised.value.msg) == CONVERSATION_OCCUPIED
        assert (first.conversation_id, retry.conversation_id, len(coze_api.chat.records)) == (
            conversation.id,
            conversation.id,
            2,
        )

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.chat.ASYNC_CONVERSATION_IN_BODY)
    @pytest.mark.anyio
    async def test_async_one_chat_at_a_time_in_a_conversation(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given a conversation whose blocking chat the bot is still answering,
        When the caller starts a second chat in it through ``AsyncCoze``,
        Then the second chat is refused with CozeAPIError 4016."""
        conversation = conversation_with_history(coze_api, mock_bot_id)
        coze_api.chat.create()
        ask_in: dict[str, Any] = {"bot_id": mock_bot_id, "user_id": USER_ID, "conversation_id": conversation.id}
        await async_coze.chat.create(**ask_in, additional_messages=[user_message("What is my name?")])

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_coze.chat.create(**ask_in, additional_messages=[user_message("Are you there?")])

        assert (raised.value.code, raised.value.msg) == CONVERSATION_OCCUPIED

    def test_chat_with_unknown_bot(self, coze_api: FakeCoze, coze: cozepy.Coze) -> None:
        """Given a bot id the service does not know (a typo, or a bot of the other region: coze-py#318),
        When a blocking chat is created with it,
        Then CozeAPIError 4200 says the bot does not exist, with the log id, and no chat is recorded."""
        coze_api.chat.create()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            start(coze, UNKNOWN_BOT_ID)

        assert (raised.value.code, raised.value.msg, raised.value.logid) == (
            envelope.NOT_FOUND[0],
            UNKNOWN_BOT.format(bot_id=UNKNOWN_BOT_ID),
            coze_api.sdk_logid(),
        )
        assert coze_api.chat.records == {}

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_chat_with_unknown_bot(self, coze_api: FakeCoze, async_coze: Any) -> None:
        """Given a bot id the service does not know,
        When a blocking chat is created with it through ``AsyncCoze``,
        Then CozeAPIError 4200 says the bot does not exist."""
        coze_api.chat.create()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await start(async_coze, UNKNOWN_BOT_ID)

        assert (raised.value.code, raised.value.msg) == (
            envelope.NOT_FOUND[0],
            UNKNOWN_BOT.format(bot_id=UNKNOWN_BOT_ID),
        )


#: Values a newer service may send for each server-controlled enum of a chat stream: the event whose data
#: carries it, the field, the value, the cozepy enum. ``expired`` is a chat status of Coze Studio (an
#: implementation of the same API: D/run/entity/const.go); ``knowledge`` the knowledge-recall message of
#: DOC:chat_v3's stream sample; ``video`` and ``tool`` stand for a content type and a role the service may add.
UNKNOWN_VALUES = [
    pytest.param(1, "status", "expired", "ChatStatus", id="chat-status"),
    pytest.param(2, "type", "knowledge", "MessageType", id="message-type"),
    pytest.param(2, "content_type", "video", "MessageContentType", id="message-content-type"),
    pytest.param(2, "role", "tool", "MessageRole", id="message-role"),
]

# pydantic before 2.14.0 hands ``None`` to an enum's ``_missing_`` when it validates JSON (pydantic#12960,
# fixed by pydantic#13792), and cozepy's streams validate JSON (``Message.model_validate_json``). cozepy's
# ``DynamicStrEnum._missing_`` warns ``Unknown <Enum> value: None`` for that call, fails on ``None.upper()``,
# and pydantic-core then calls the enum with the real value. So where pydantic is older (Python 3.8 and 3.9
# get at most 2.13) an unknown value warns twice, the first time naming ``None``: a dependency's defect, not
# cozepy's, which the report states and this test pins as it is.
PYDANTIC_MISSING_GETS_NONE = Version(pydantic.VERSION) < Version("2.14.0")


def unknown_value_warnings(enum: str, value: str) -> list[str]:
    """The warnings cozepy (0.17.0+) gives for one unknown ``enum`` value in a streamed event."""
    return [f"Unknown {enum} value: None"] * PYDANTIC_MISSING_GETS_NONE + [f"Unknown {enum} value: {value}"]


def with_value(index: int, name: str, value: str) -> Any:
    """An edit of the service's stream: event ``index``'s data with ``name`` set to ``value``."""

    def edit(events: list[sse.SSEEvent]) -> sse.EventStream:
        changed = sse.SSEEvent(events[index].event, {**events[index].data, name: value})
        return sse.EventStream((*events[:index], changed, *events[index + 1 :]))

    return edit


#: A question of a text and an image, built from objects (DOC:chat_v3 "object_string object").
PICTURE_ID = "7419001912347869227"
PICTURE_QUESTION = [{"type": "text", "text": "What is in this picture?"}, {"type": "image", "file_id": PICTURE_ID}]


def objects_question() -> Any:
    """The question of ``PICTURE_QUESTION``, built with ``Message.build_user_question_objects``."""
    build = SDK.MessageObjectString
    return SDK.Message.build_user_question_objects(
        [build.build_text(PICTURE_QUESTION[0]["text"]), build.build_image(file_id=PICTURE_ID)]
    )


def assert_objects_question(coze_api: FakeCoze) -> None:
    """The chat sent the question as ``object_string`` content (its nulls aside) and the conversation keeps it so."""
    (sent,) = coze_api.last_request().body["additional_messages"]
    assert (sent["content_type"], without_nulls(json.loads(sent["content"]))) == ("object_string", PICTURE_QUESTION)
    (saved,) = the_chat(coze_api).conversation.messages[:1]
    assert (saved.type, saved.content_type) == ("question", "object_string")


class TestChatWireForms:
    """What goes on the wire and comes back in forms a release may not expect: the new-conversation query,
    enum values it does not know, questions built from objects."""

    @pytest.mark.parametrize("stream", [False, True], ids=["blocking", "stream"])
    def test_new_chat_query(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, stream: bool) -> None:
        """Given a chat that names no conversation,
        When it is created (blocking or streamed),
        Then its query is exactly what the release sends: none before 0.6.2 (the id went in the body), an
        empty ``conversation_id=`` since (coze-py#308), which the hosted service reads as a new conversation."""
        coze_api.chat.create()

        if stream:
            list(ask(coze, mock_bot_id))
        else:
            coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[user_message("Hi")])

        assert coze_api.last_request().url.query == new_conversation_query(bugs.chat.SYNC_CONVERSATION_IN_BODY)
        assert len(coze_api.conversations.records) == 1

    @pytest.mark.needs("async_client")
    @pytest.mark.parametrize("stream", [False, True], ids=["blocking", "stream"])
    @pytest.mark.anyio
    async def test_async_new_chat_query(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str, stream: bool
    ) -> None:
        """Given a chat that names no conversation,
        When it is created through ``AsyncCoze`` (blocking or streamed),
        Then its query is none before 0.8.0 (the id went in the body) and an empty ``conversation_id=`` since."""
        coze_api.chat.create()

        if stream:
            await async_events(ask(async_coze, mock_bot_id))
        else:
            await async_coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[user_message("Hi")])

        assert coze_api.last_request().url.query == new_conversation_query(bugs.chat.ASYNC_CONVERSATION_IN_BODY)

    @pytest.mark.parametrize(("index", "name", "value", "enum"), UNKNOWN_VALUES)
    @pytest.mark.known_break(bugs.chat.UNKNOWN_ENUM_REJECTED)
    def test_stream_value_the_release_does_not_know(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str, index: int, name: str, value: str, enum: str
    ) -> None:
        """Given a stream whose chat or message carries an enum value this release does not know,
        When the caller iterates it,
        Then every event arrives, the value is kept as sent, and cozepy warns ``Unknown <Enum> value: <value>``
        (after a first ``... value: None`` where pydantic is older than 2.14: ``PYDANTIC_MISSING_GETS_NONE``)."""
        coze_api.chat.create(edit=with_value(index, name, value))

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            events = list(ask(coze, mock_bot_id))

        unknown = [
            str(w.message) for w in caught if issubclass(w.category, UserWarning) and "Unknown" in str(w.message)
        ]
        assert unknown == unknown_value_warnings(enum, value)

        assert names(events) == EVENTS
        changed = events[index].chat or events[index].message
        assert getattr(changed, name) == value

    @pytest.mark.needs("message_objects")
    @pytest.mark.known_break(bugs.chat.OBJECT_STRING_AS_TEXT)
    def test_question_built_from_objects(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str) -> None:
        """Given a question of a text and an image built with ``Message.build_user_question_objects``,
        When a chat asks it,
        Then the message goes out as ``content_type: object_string`` with the objects as a JSON array in
        ``content``, and the conversation keeps it as such."""
        coze_api.chat.create()

        list(coze.chat.stream(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[objects_question()]))

        assert_objects_question(coze_api)

    @pytest.mark.needs("async_client", "message_objects")
    @pytest.mark.known_break(bugs.chat.OBJECT_STRING_AS_TEXT)
    @pytest.mark.anyio
    async def test_async_question_built_from_objects(
        self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str
    ) -> None:
        """Given a question of a text and an image built from objects,
        When a blocking chat asks it through ``AsyncCoze``,
        Then the message goes out as ``object_string`` content."""
        coze_api.chat.create()

        await async_coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[objects_question()])

        assert_objects_question(coze_api)

    def test_question_of_objects_by_hand(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given a question whose ``object_string`` content the caller serialises itself (every release takes it),
        When a chat asks it,
        Then the message goes out with that content and content type, and the conversation keeps it as such."""
        coze_api.chat.create()
        question = cozepy.Message.model_validate(
            {**QUESTION, "content": json.dumps(PICTURE_QUESTION), "content_type": "object_string"}
        )

        coze.chat.create(bot_id=mock_bot_id, user_id=USER_ID, additional_messages=[question])

        assert_objects_question(coze_api)


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

    @pytest.mark.needs("conversation_list")
    def test_list_conversations_default_page(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str) -> None:
        """Given a bot with one conversation,
        When the caller lists its conversations without a page size,
        Then GET /v1/conversations asks for the first page of 50 (cozepy's default in every release)."""
        record = coze_api.conversations.new(bot_id=mock_bot_id)
        route = coze_api.conversations.list()

        conversations = list(coze.conversations.list(bot_id=mock_bot_id))

        assert [(call.request.method, dict(call.request.url.params)) for call in route.calls] == [
            ("GET", {"bot_id": mock_bot_id, "page_num": "1", "page_size": "50"})
        ]
        assert ids(conversations) == [record.id]

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
