"""Chat v3: create (blocking and streaming), retrieve, cancel, submit tool outputs, the chat's messages.

Sources: coze-wire-format.md section 2; the docs synced in coze-dev/coze-sdk-gen (``DOC:chat_v3``,
``DOC:chat_cancel``, ``DOC:chat_submit_tool_outputs``, ``DOC:retrieve_chat``,
``DOC:list_chat_messages``); cozepy's own fixtures (``tests/testdata/chat_*_resp.txt``); the issues
cited where a rule comes from one.

A chat runs in a conversation: the one named by the ``conversation_id`` *query* parameter, or a
new one the service creates when the query has none or names none (``?conversation_id=``, which
cozepy sends since 0.6.2: the hosted service reads it as absent, coze-py#308; Coze Studio rejects
it, shared/reference/coze-studio.md). The service reads the id from the query only; a
``conversation_id`` in the body is an unknown field it ignores (the bug coze-py#126 fixed). With
``auto_save_history`` (the default) the chat's ``additional_messages`` and the bot's answer are
saved in that conversation, which ``ConversationsAPI`` then lists.

What the bot does is ``ChatAPI.answer`` (an ``Answer``): the text it streams as deltas, the token
usage, how long it takes (``polls``), and how the chat ends: ``completed`` (the default),
``failed`` with ``last_error`` (``Answer.failure``), or ``requires_action`` (``Answer.tool_calls``:
the bot calls a client-side plugin and waits for ``submit_tool_outputs``). The chat's life:

* ``created`` -> ``in_progress`` -> ``completed`` | ``failed`` | ``requires_action`` (then, after
  the tool outputs, ``in_progress`` again), or ``canceled`` by ``/v3/chat/cancel`` while it is
  ``created`` or ``in_progress`` (DOC:chat_cancel's state diagram).
* Time is counted in requests: each ``/v3/chat/retrieve`` or ``/v3/chat/cancel`` of a chat in
  progress is one moment of its life, and the bot finishes at the first such request after
  ``Answer.polls`` of them (``polls=0``: finished by the next request).
* ``POST /v3/chat`` with ``"stream": false`` answers the Chat object at once with status
  ``in_progress`` (DOC:chat_v3: "the response is sent whether or not the chat has finished").
* ``POST /v3/chat`` with ``"stream": true`` runs the chat to its end and answers
  ``text/event-stream`` in the form the docs and cozepy's fixtures show, in the ``SSEStyle`` the
  route was registered with: ``conversation.chat.created``, ``conversation.chat.in_progress``, then
  for a completed chat one ``conversation.message.delta`` per part of the answer,
  ``conversation.message.completed`` with the whole answer and with the ``verbose``
  ``generate_answer_finish`` message, ``conversation.chat.completed`` with the usage, then ``done``
  with data ``"[DONE]"``; for a failed chat ``conversation.chat.failed`` with ``last_error`` and
  nothing after it (cozepy's ``chat_failed_resp.txt``); for a chat that needs its tool outputs the
  ``function_call`` message, ``conversation.chat.requires_action`` with ``required_action`` and
  ``done``.
* ``POST /v3/chat/submit_tool_outputs?conversation_id=&chat_id=`` takes ``tool_outputs`` (one
  ``{"tool_call_id", "output"}`` per pending tool call) and ``stream``: blocking, it answers the
  chat ``in_progress`` again; streaming, it streams the rest of the chat (from
  ``conversation.chat.in_progress``: the chat was created by the first request).
* ``POST /v3/chat/cancel`` takes ``conversation_id`` and ``chat_id`` in the JSON *body*
  (DOC:chat_cancel; cozepy sent them as query parameters before 0.8.0, coze-py#128) and answers
  the canceled Chat. A chat that is no longer in progress cannot be canceled: 4104 (cozepy's
  ``create_and_poll`` handles this code since 0.16.2, coze-py#244). A canceled chat's question
  and answer are not kept in the conversation (DOC:chat_cancel).
* ``GET /v3/chat/message/list?conversation_id=&chat_id=`` answers the chat's messages (not the
  question) as a plain ``data`` array. A chat without messages (failed or canceled before the bot
  answered) gets the envelope without ``data``: the service leaves an empty list out, which is
  why cozepy's ``create_and_poll`` of a failed chat raises pydantic's ``ValidationError`` with
  ``input_value='code'`` (coze-py#203, #290, #425: only a body without ``data`` is validated as
  the list itself, whose first key is ``code``).

The service's rules the fake enforces: ``bot_id`` and ``user_id`` are JSON strings (a number is
rejected with 4000: "The field http body provided is not a valid json or chat request",
xinnan-tech/xiaozhi-esp32-server#256), as are the ids of cancel and the tool outputs;
``stream`` and ``auto_save_history`` are booleans; a blocking chat must save its history; a chat
in a new or empty conversation must bring the user's question; each of ``additional_messages`` is
an EnterMessage as ``conversations.message_fields`` checks it. A bot the fake does not
know is 4200 with the service's message (coze-py#318); a conversation with a chat in progress
takes no other chat: 4016 (DOC:chat_v3, Query ``conversation_id``: one chat in progress per
conversation, "否则 ... 报错 4016"). An unknown conversation or chat is 4200.
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
#: The ids in the JSON body (DOC:chat_cancel); cozepy before 0.8.0 sent them in the query (coze-py#128).
CANCEL = Endpoint(
    "chat.cancel", "POST", r"/v3/chat/cancel", required_body=("conversation_id", "chat_id"), has_body=True
)
SUBMIT_TOOL_OUTPUTS = Endpoint(
    "chat.submit_tool_outputs",
    "POST",
    r"/v3/chat/submit_tool_outputs",
    required_query=("conversation_id", "chat_id"),
    required_body=("tool_outputs",),
    has_body=True,
)

VERBOSE_FINISH = json.dumps(
    {"msg_type": "generate_answer_finish", "data": "", "from_module": None, "from_unit": None}, separators=(",", ":")
)
DONE_DATA = '"[DONE]"'
#: What httpx raises when the server closes the connection in the middle of a response body.
DROPPED_CONNECTION = "peer closed connection without sending complete message body (incomplete chunked read)"

#: A failed chat's ``last_error`` as coze.cn answered it (coze-py#425: the free quota used up).
QUOTA_EXHAUSTED = (
    4028,
    "Your free quota has been used up. Please upgrade to a paid plan to continue: "
    "https://console.volcengine.com/coze-pro",
)
#: 4104: the chat is not in progress (cozepy chat/__init__.py ``create_and_poll`` since 0.16.2: "The
#: current conversation can't be canceled"; coze-dev/coze-go#51). The message is the SDK's wording.
CANNOT_CANCEL = (4104, "The current conversation can't be canceled")
#: 4016: a chat is in progress in the conversation (DOC:chat_v3 Query.conversation_id). Code from the
#: docs; the message is the fake's (no capture of it was found).
CONVERSATION_OCCUPIED = (4016, "Conversation occupied: a chat is in progress in this conversation")
#: 4000 for a body field of the wrong JSON type (xinnan-tech/xiaozhi-esp32-server#256, a number as user_id).
INVALID_CHAT_REQUEST = "The field http body provided is not a valid json or chat request. Please check your input."
#: The statuses in which a chat holds its conversation and can still be canceled (DOC:chat_cancel).
IN_PROGRESS = ("created", "in_progress")

#: Turns the events the service would stream for a chat into the reply to send instead.
StreamEdit = Callable[[List[sse.SSEEvent]], Reply]


#: The service's message for a chat with a bot it does not know (coze-py#318, coze-dev/coze-java#92), with code 4200.
UNKNOWN_BOT = "Requested resource bot_id={bot_id} does not exist. Ensure you are the correct resource identifier."


@dataclass(frozen=True)
class ToolCall:
    """A call of a client-side plugin the chat waits for (DOC:chat_v3 ``required_action.submit_tool_outputs``)."""

    id: str
    name: str
    arguments: str
    #: ``function`` (a client plugin) or ``reply_message`` (a workflow's question node), as documented.
    type: str = "function"

    def wire(self) -> dict[str, Any]:
        """The tool call as ``required_action.submit_tool_outputs.tool_calls`` sends it."""
        return {"id": self.id, "type": self.type, "function": {"name": self.name, "arguments": self.arguments}}


@dataclass(frozen=True)
class Answer:
    """What the bot answers to every chat (``coze_api.chat.answer``; the default answers a date question).

    ``deltas`` are streamed one ``conversation.message.delta`` each and joined into the answer;
    ``input_count``/``output_count`` make the chat's ``usage``; ``polls`` is how slow the bot is
    (how many ``/v3/chat/retrieve`` requests a blocking chat stays ``in_progress``); ``failure``
    ends the chat ``failed`` with that ``last_error``; ``tool_calls`` stops it at
    ``requires_action`` until ``submit_tool_outputs`` answers them (DOC:chat_v3's chat life).
    """

    deltas: tuple[str, ...] = ("2024 年 10 月 1 日", "是星期二。")
    input_count: int = 614
    output_count: int = 19
    #: How many ``/v3/chat/retrieve`` (or cancel) requests a chat stays ``in_progress`` before it ends.
    polls: int = 2
    #: ``(code, msg)``: the chat fails with this ``last_error`` instead of answering.
    failure: tuple[int, str] | None = None
    #: The chat stops at ``requires_action`` for these calls until their outputs are submitted.
    tool_calls: tuple[ToolCall, ...] = ()

    @property
    def content(self) -> str:
        """The whole answer: the deltas joined."""
        return "".join(self.deltas)

    def usage(self) -> dict[str, int]:
        """The chat's ``usage`` once completed: ``token_count``, ``output_count``, ``input_count``."""
        return {
            "token_count": self.input_count + self.output_count,
            "output_count": self.output_count,
            "input_count": self.input_count,
        }


ZERO_USAGE = {"token_count": 0, "output_count": 0, "input_count": 0}


@dataclass
class ChatRecord:
    """One chat the fake ran (``coze_api.chat.records``, by chat id): its status, the conversation it
    runs in, the messages it produced and the tool outputs submitted; ``wire()`` is the Chat object."""

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
    failed_at: int | None = None
    #: The tool outputs submitted, ``tool_call_id -> output``.
    tool_outputs: dict[str, str] = field(default_factory=dict)

    @property
    def last_error(self) -> tuple[int, str]:
        """``(code, msg)`` of a failed chat, ``(0, "")`` otherwise (the Chat object's ``last_error``)."""
        failure = self.answer.failure
        return failure if failure is not None and self.status == "failed" else (0, "")

    def wire(self) -> dict[str, Any]:
        """The Chat object (DOC chat_v3 "Chat Object"; a real stream's fields)."""
        code, msg = self.last_error
        chat: dict[str, Any] = {
            "id": self.id,
            "conversation_id": self.conversation.id,
            "bot_id": self.bot_id,
            "created_at": self.created_at,
            "last_error": {"code": code, "msg": msg},
            "status": self.status,
            "usage": self.answer.usage() if self.status == "completed" else dict(ZERO_USAGE),
            "section_id": self.conversation.last_section_id,
        }
        if self.completed_at is not None:
            chat["completed_at"] = self.completed_at
        if self.failed_at is not None:
            chat["failed_at"] = self.failed_at
        if self.meta_data is not None:
            chat["meta_data"] = dict(self.meta_data)
        if self.status == "requires_action":
            calls = [call.wire() for call in self.answer.tool_calls]
            chat["required_action"] = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": calls}}
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


def _flag(body: dict[str, Any], name: str, default: bool, where: str = CREATE.name) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise MalformedRequest(f"{where}: {name} must be a boolean, got {value!r}")
    return value


def _strings(value: dict[str, Any], names: tuple[str, ...], where: str) -> tuple[str, ...]:
    """The fields ``names`` of ``value``, each of which the service requires to be a JSON string."""
    found: list[str] = []
    for name in names:
        item = value.get(name)
        if not isinstance(item, str):
            raise MalformedRequest(f"{where}: {name} must be a JSON string, got {item!r} ({INVALID_CHAT_REQUEST})")
        found.append(item)
    return tuple(found)


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
        """``POST /v3/chat/retrieve?conversation_id=&chat_id=``: the Chat; each call is one moment of its life."""
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def list_messages(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v3/chat/message/list?conversation_id=&chat_id=``: the chat's messages (no ``data`` when none)."""
        return self._fake.serve(LIST_MESSAGES, self._list_messages, reply)

    def cancel(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v3/chat/cancel`` (ids in the body): the canceled Chat, or 4104 once it is no longer in progress."""
        return self._fake.serve(CANCEL, self._cancel, reply)

    def submit_tool_outputs(
        self, reply: Reply | None = None, *, style: sse.SSEStyle = sse.DEFAULT_STYLE
    ) -> respx.Route:
        """``POST /v3/chat/submit_tool_outputs``: the pending tool calls' outputs; blocking or streamed (``style``)."""
        return self._fake.serve(SUBMIT_TOOL_OUTPUTS, lambda request: self._submit_tool_outputs(request, style), reply)

    # -- state -----------------------------------------------------------------------------------

    def cancel_chat(self, chat: ChatRecord) -> None:
        """Cancel ``chat``, as ``/v3/chat/cancel`` does (also for a chat another client cancels)."""
        chat.status = "canceled"
        conversation = chat.conversation
        conversation.messages = [message for message in conversation.messages if message.chat_id != chat.id]

    # -- handlers --------------------------------------------------------------------------------

    def _create(self, request: CozeRequest, style: sse.SSEStyle, edit: StreamEdit | None) -> Reply:
        body: dict[str, Any] = request.body
        bot_id, _user_id = _strings(body, ("bot_id", "user_id"), CREATE.name)
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
        if bot_id not in self._fake.bots.records:
            return envelope.error((envelope.NOT_FOUND[0], UNKNOWN_BOT.format(bot_id=bot_id)))
        conversations = self._fake.conversations
        conversation_id = request.param("conversation_id")
        existing = conversations.records.get(conversation_id) if conversation_id else None
        if conversation_id and existing is None:
            return not_found("conversation", {"conversation_id": conversation_id or ""})
        if not messages and not (existing and existing.messages):
            raise MalformedRequest(f"{CREATE.name}: no question: give additional_messages or an existing conversation")
        if existing is not None and self._occupied(existing):
            return envelope.error(CONVERSATION_OCCUPIED)
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
        events = [sse.SSEEvent("conversation.chat.created", chat.wire()), *self._run(chat)]
        return edit(events) if edit is not None else sse.EventStream(tuple(events), style)

    def _occupied(self, conversation: ConversationRecord) -> bool:
        return any(chat.conversation is conversation and chat.status in IN_PROGRESS for chat in self.records.values())

    def _run(self, chat: ChatRecord) -> list[sse.SSEEvent]:
        """Run ``chat`` from ``in_progress`` to its end; the events the service streams for it."""
        chat.status = "in_progress"
        events = [sse.SSEEvent("conversation.chat.in_progress", chat.wire())]
        produced = self._finish(chat)
        if chat.status == "failed":
            return [*events, sse.SSEEvent("conversation.chat.failed", chat.wire())]
        if chat.status == "requires_action":
            calls = [sse.SSEEvent("conversation.message.completed", message.wire()) for message in produced]
            requires = sse.SSEEvent("conversation.chat.requires_action", chat.wire())
            return [*events, *calls, requires, sse.SSEEvent("done", DONE_DATA)]
        answer, verbose = produced
        delta = answer.wire()
        events.extend(
            sse.SSEEvent("conversation.message.delta", {**delta, "content": part}) for part in chat.answer.deltas
        )
        events.append(sse.SSEEvent("conversation.message.completed", answer.wire()))
        events.append(sse.SSEEvent("conversation.message.completed", verbose.wire()))
        events.append(sse.SSEEvent("conversation.chat.completed", chat.wire()))
        events.append(sse.SSEEvent("done", DONE_DATA))
        return events

    def _finish(self, chat: ChatRecord) -> list[MessageRecord]:
        """End ``chat`` as its ``Answer`` says (failed, waiting for tool outputs, or completed); its new messages."""
        conversations = self._fake.conversations
        if chat.answer.failure is not None:
            chat.status, chat.failed_at = "failed", conversations.now()
            chat.completed_at = chat.failed_at  # as cozepy's chat_failed_resp.txt shows: both are set
            return []
        pending = [call for call in chat.answer.tool_calls if call.id not in chat.tool_outputs]
        if pending:
            # One function_call message per call (DOC:chat_v3 stream sample "MESSAGE - function_call").
            produced = [
                self._message(chat, "function_call", json.dumps({"name": call.name, "arguments": call.arguments}))
                for call in pending
            ]
            chat.status = "requires_action"
        else:
            # The conversation lists questions and answers only: the verbose message stays in the chat.
            produced = [
                self._message(chat, "answer", chat.answer.content, save=chat.save_history),
                self._message(chat, "verbose", VERBOSE_FINISH),
            ]
            chat.status, chat.completed_at = "completed", conversations.now()
        chat.messages.extend(produced)
        return produced

    def _message(self, chat: ChatRecord, kind: str, content: str, *, save: bool = False) -> MessageRecord:
        return self._fake.conversations.add_message(
            chat.conversation, "assistant", kind, content, chat_id=chat.id, bot_id=chat.bot_id, save=save
        )

    def _advance(self, chat: ChatRecord) -> None:
        """One moment of a chat in progress: the bot finishes once its ``polls`` have passed."""
        if chat.status != "in_progress":
            return
        if chat.polls_left > 0:
            chat.polls_left -= 1
        else:
            self._finish(chat)

    def _chat(self, conversation_id: str | None, chat_id: str | None) -> ChatRecord | None:
        chat = self.records.get(chat_id or "")
        if chat is None or chat.conversation.id != conversation_id:
            return None
        return chat

    def _retrieve(self, request: CozeRequest) -> Reply:
        chat = self._chat(request.param("conversation_id"), request.param("chat_id"))
        if chat is None:
            return not_found("chat", request.flat_query())
        self._advance(chat)
        return envelope.ok(chat.wire())

    def _list_messages(self, request: CozeRequest) -> Reply:
        chat = self._chat(request.param("conversation_id"), request.param("chat_id"))
        if chat is None:
            return not_found("chat", request.flat_query())
        if not chat.messages:
            return envelope.Envelope(with_data=False)  # the service leaves an empty list out (coze-py#425)
        return envelope.ok([message.wire() for message in chat.messages])

    def _cancel(self, request: CozeRequest) -> Reply:
        conversation_id, chat_id = _strings(request.body, ("conversation_id", "chat_id"), CANCEL.name)
        chat = self._chat(conversation_id, chat_id)
        if chat is None:
            return not_found("chat", {"conversation_id": conversation_id, "chat_id": chat_id})
        self._advance(chat)  # the bot may finish just before the cancel arrives (the race of coze-py#244)
        if chat.status not in IN_PROGRESS:
            return envelope.error(CANNOT_CANCEL)
        self.cancel_chat(chat)
        return envelope.ok(chat.wire())

    def _submit_tool_outputs(self, request: CozeRequest, style: sse.SSEStyle) -> Reply:
        body: dict[str, Any] = request.body
        stream = _flag(body, "stream", False, SUBMIT_TOOL_OUTPUTS.name)
        raw_outputs = body["tool_outputs"]
        if not isinstance(raw_outputs, list) or not all(isinstance(item, dict) for item in raw_outputs):
            raise MalformedRequest(f"{SUBMIT_TOOL_OUTPUTS.name}: tool_outputs must be an array of objects")
        outputs: dict[str, str] = {}
        for item in raw_outputs:
            call_id, output = _strings(item, ("tool_call_id", "output"), SUBMIT_TOOL_OUTPUTS.name)
            outputs[call_id] = output
        chat = self._chat(request.param("conversation_id"), request.param("chat_id"))
        if chat is None:
            return not_found("chat", request.flat_query())
        pending = {call.id for call in chat.answer.tool_calls if call.id not in chat.tool_outputs}
        if chat.status != "requires_action" or set(outputs) != pending:
            raise MalformedRequest(
                f"{SUBMIT_TOOL_OUTPUTS.name}: the chat is {chat.status} and waits for the outputs of "
                f"{sorted(pending) if chat.status == 'requires_action' else 'no tool call'}, got {sorted(outputs)}"
            )
        chat.tool_outputs.update(outputs)
        for output in outputs.values():
            chat.messages.append(self._message(chat, "tool_response", output))
        if not stream:
            chat.status, chat.polls_left = "in_progress", chat.answer.polls
            return envelope.ok(chat.wire())
        return sse.EventStream(tuple(self._run(chat)), style)
