"""Chat v3: create (blocking and streaming), retrieve and the chat's messages (coze-wire-format.md section 2).

A chat runs in a conversation: the one named by the ``conversation_id`` *query* parameter, or a
new one the service creates when the query has none (the service reads the id from the query
only; a ``conversation_id`` in the body is an unknown field it ignores, the bug coze-py#126 fixed).
With ``auto_save_history`` (the default) the chat's ``additional_messages`` and the bot's answer
are saved in that conversation, which ``ConversationsAPI`` then lists.

What the bot answers is ``ChatAPI.answer`` (an ``Answer``: the text as the deltas it streams, the
token usage, how many polls a blocking chat stays ``in_progress``):

* ``POST /v3/chat`` with ``"stream": false`` answers the Chat object at once with status
  ``in_progress`` (the docs: "the response is sent whether or not the chat has finished");
  each ``POST /v3/chat/retrieve`` then answers ``in_progress`` until ``Answer.polls`` retrieves
  have been made, and ``completed`` with ``usage`` and ``completed_at`` from the next one on.
* ``POST /v3/chat`` with ``"stream": true`` answers ``text/event-stream`` in the form the docs
  and cozepy's fixtures show: ``conversation.chat.created``, ``conversation.chat.in_progress``,
  one ``conversation.message.delta`` per part of the answer, ``conversation.message.completed``
  with the whole answer, ``conversation.message.completed`` of the ``verbose``
  ``generate_answer_finish`` message, ``conversation.chat.completed`` with the usage, then
  ``done`` with data ``"[DONE]"``; in the ``SSEStyle`` the route was registered with.
* ``GET /v3/chat/message/list?conversation_id=&chat_id=`` answers the chat's messages (the
  answer and the verbose message, no question), as a plain ``data`` array.

The docs' rules the fake enforces (4000 and a violation otherwise): ``bot_id`` and ``user_id``;
``stream`` and ``auto_save_history`` booleans; a blocking chat must save its history; a chat in a
new or empty conversation must bring the user's question. An unknown conversation or chat is 4200.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Iterator, List, Sequence

import httpx
import respx

from coze_compat.fake import envelope, sse
from coze_compat.fake.conversations import ConversationRecord, MessageRecord, message_fields, string_map
from coze_compat.fake.envelope import LOGID_HEADER, Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

CREATE = Endpoint("chat.create", "POST", r"/v3/chat", required_body=("bot_id", "user_id"), has_body=True)
#: The docs say GET; every cozepy release sends POST (query only, no body), and the service accepts it.
RETRIEVE = Endpoint("chat.retrieve", "POST", r"/v3/chat/retrieve", required_query=("conversation_id", "chat_id"))
#: GET, as the docs say; cozepy before 0.7.0 sent POST (fixed by coze-py#100).
LIST_MESSAGES = Endpoint(
    "chat.messages.list", "GET", r"/v3/chat/message/list", required_query=("conversation_id", "chat_id")
)

VERBOSE_FINISH = json.dumps(
    {"msg_type": "generate_answer_finish", "data": "", "from_module": None, "from_unit": None}, separators=(",", ":")
)
DONE_DATA = '"[DONE]"'
#: What httpx raises when the server closes the connection in the middle of a response body.
DROPPED_CONNECTION = "peer closed connection without sending complete message body (incomplete chunked read)"

#: Turns the events the service would stream for a chat into the reply to send instead.
StreamEdit = Callable[[List[sse.SSEEvent]], Reply]


@dataclass(frozen=True)
class Answer:
    """What the bot answers to a chat."""

    deltas: tuple[str, ...] = ("2024 年 10 月 1 日", "是星期二。")
    input_count: int = 614
    output_count: int = 19
    #: How many ``/v3/chat/retrieve`` calls a blocking chat answers ``in_progress`` before ``completed``.
    polls: int = 2

    @property
    def content(self) -> str:
        return "".join(self.deltas)

    def usage(self) -> dict[str, int]:
        return {
            "token_count": self.input_count + self.output_count,
            "output_count": self.output_count,
            "input_count": self.input_count,
        }


ZERO_USAGE = {"token_count": 0, "output_count": 0, "input_count": 0}


@dataclass
class ChatRecord:
    """One chat: its state and the messages it produced."""

    id: str
    conversation: ConversationRecord
    bot_id: str
    created_at: int
    answer: Answer
    save_history: bool
    meta_data: dict[str, str] | None = None
    status: str = "created"
    polls_left: int = 0
    completed_at: int | None = None
    messages: list[MessageRecord] = field(default_factory=list)

    def wire(self) -> dict[str, Any]:
        """The Chat object (DOC chat_v3 "Chat Object"; a real stream's fields)."""
        chat: dict[str, Any] = {
            "id": self.id,
            "conversation_id": self.conversation.id,
            "bot_id": self.bot_id,
            "created_at": self.created_at,
            "last_error": {"code": 0, "msg": ""},
            "status": self.status,
            "usage": self.answer.usage() if self.status == "completed" else dict(ZERO_USAGE),
            "section_id": self.conversation.last_section_id,
        }
        if self.completed_at is not None:
            chat["completed_at"] = self.completed_at
        if self.meta_data is not None:
            chat["meta_data"] = dict(self.meta_data)
        return chat


class LiveStream(Reply):
    """An event stream as the network delivers it: one read per chunk, counted in ``reads``.

    With ``drop`` the connection breaks after the last chunk, and httpx raises the
    ``RemoteProtocolError`` it raises when a server closes a connection mid-body.
    """

    def __init__(self, chunks: Sequence[bytes], *, drop: bool = False) -> None:
        self.chunks = tuple(chunks)
        self.drop = drop
        self.reads = 0

    def to_response(self, logid: str) -> httpx.Response:
        headers = {"content-type": envelope.EVENT_STREAM_TYPE, LOGID_HEADER: logid}
        return httpx.Response(200, headers=headers, stream=_LiveBody(self))


class _LiveBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, stream: LiveStream) -> None:
        self._stream = stream

    def _next(self, index: int) -> bytes:
        self._stream.reads += 1
        return self._stream.chunks[index]

    def __iter__(self) -> Iterator[bytes]:
        for index in range(len(self._stream.chunks)):
            yield self._next(index)
        if self._stream.drop:
            raise httpx.RemoteProtocolError(DROPPED_CONNECTION)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index in range(len(self._stream.chunks)):
            yield self._next(index)
        if self._stream.drop:
            raise httpx.RemoteProtocolError(DROPPED_CONNECTION)


def _flag(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise MalformedRequest(f"{CREATE.name}: {name} must be a boolean, got {value!r}")
    return value


class ChatAPI:
    """The chat endpoints of the fake; chats run in the conversations of ``fake.conversations``."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.answer = Answer()
        self.records: dict[str, ChatRecord] = {}

    # -- routes ----------------------------------------------------------------------------------

    def create(
        self, reply: Reply | None = None, *, style: sse.SSEStyle = sse.DEFAULT_STYLE, edit: StreamEdit | None = None
    ) -> respx.Route:
        """``POST /v3/chat``; a stream is written in ``style``, or replaced by ``edit(events)``."""
        return self._fake.serve(CREATE, lambda request: self._create(request, style, edit), reply)

    def retrieve(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def list_messages(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(LIST_MESSAGES, self._list_messages, reply)

    # -- handlers --------------------------------------------------------------------------------

    def _create(self, request: CozeRequest, style: sse.SSEStyle, edit: StreamEdit | None) -> Reply:
        body: dict[str, Any] = request.body
        stream = _flag(body, "stream", False)
        save_history = _flag(body, "auto_save_history", True)
        if not stream and not save_history:
            raise MalformedRequest(f"{CREATE.name}: a blocking chat (stream=false) must set auto_save_history=true")
        raw_messages = body.get("additional_messages") or []
        if not isinstance(raw_messages, list):
            raise MalformedRequest(f"{CREATE.name}: additional_messages must be an array, got {raw_messages!r}")
        messages = [message_fields(raw, CREATE.name) for raw in raw_messages]
        meta_data = body.get("meta_data")
        if meta_data is not None:
            string_map(meta_data, CREATE.name)
        conversations = self._fake.conversations
        conversation_id = request.param("conversation_id")
        bot_id = str(body["bot_id"])
        existing = conversations.records.get(conversation_id) if conversation_id else None
        if conversation_id and existing is None:
            return not_found("conversation", {"conversation_id": conversation_id or ""})
        if not messages and not (existing and existing.messages):
            raise MalformedRequest(f"{CREATE.name}: no question: give additional_messages or an existing conversation")
        conversation = existing or conversations.new(bot_id=bot_id)  # a rejected chat leaves no conversation
        chat = ChatRecord(
            conversations.next_id(), conversation, bot_id, conversations.now(), self.answer, save_history, meta_data
        )
        self.records[chat.id] = chat
        if save_history:
            for role, kind, content, content_type, message_meta in messages:
                conversations.add_message(
                    conversation,
                    role,
                    kind,
                    content,
                    content_type=content_type,
                    chat_id=chat.id,
                    bot_id=bot_id,
                    meta_data=message_meta,
                )
        if not stream:
            chat.status, chat.polls_left = "in_progress", self.answer.polls
            return envelope.ok(chat.wire())
        events = self._stream_events(chat)
        return edit(events) if edit is not None else sse.EventStream(tuple(events), style)

    def _stream_events(self, chat: ChatRecord) -> list[sse.SSEEvent]:
        """Run ``chat`` to completion and return the events the service streams for it."""
        events = [sse.SSEEvent("conversation.chat.created", chat.wire())]
        chat.status = "in_progress"
        events.append(sse.SSEEvent("conversation.chat.in_progress", chat.wire()))
        answer, verbose = self._complete(chat)
        delta = answer.wire()
        for part in chat.answer.deltas:
            events.append(sse.SSEEvent("conversation.message.delta", {**delta, "content": part}))
        events.append(sse.SSEEvent("conversation.message.completed", answer.wire()))
        events.append(sse.SSEEvent("conversation.message.completed", verbose.wire()))
        events.append(sse.SSEEvent("conversation.chat.completed", chat.wire()))
        events.append(sse.SSEEvent("done", DONE_DATA))
        return events

    def _complete(self, chat: ChatRecord) -> tuple[MessageRecord, MessageRecord]:
        """Finish ``chat``: its answer and verbose messages, saved in the conversation if asked."""
        conversations = self._fake.conversations
        answer, verbose = (
            conversations.add_message(
                chat.conversation, "assistant", kind, content, chat_id=chat.id, bot_id=chat.bot_id, save=save
            )
            for kind, content, save in (
                ("answer", chat.answer.content, chat.save_history),
                ("verbose", VERBOSE_FINISH, False),  # the conversation lists questions and answers only
            )
        )
        chat.messages = [answer, verbose]
        chat.status, chat.completed_at = "completed", conversations.now()
        return answer, verbose

    def _chat(self, request: CozeRequest) -> ChatRecord | None:
        chat = self.records.get(request.param("chat_id") or "")
        if chat is None or chat.conversation.id != request.param("conversation_id"):
            return None
        return chat

    def _retrieve(self, request: CozeRequest) -> Reply:
        chat = self._chat(request)
        if chat is None:
            return not_found("chat", request.flat_query())
        if chat.status == "in_progress":
            if chat.polls_left > 0:
                chat.polls_left -= 1
            else:
                self._complete(chat)
        return envelope.ok(chat.wire())

    def _list_messages(self, request: CozeRequest) -> Reply:
        chat = self._chat(request)
        if chat is None:
            return not_found("chat", request.flat_query())
        return envelope.ok([message.wire() for message in chat.messages])
