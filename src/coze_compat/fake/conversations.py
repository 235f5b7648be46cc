"""Conversations: create, retrieve, list and their messages (coze-wire-format.md section 3).

The fake holds the conversations (``ConversationRecord``) and, in each, the messages the service
keeps: the ones given at creation and those a chat saves there (``chat.py`` writes into the same
records, so listing a conversation's messages after a chat shows the chat).

* ``POST /v1/conversation/create`` takes ``messages``, ``meta_data``, ``bot_id``, ``name``,
  ``connector_id`` (all optional) and answers the Conversation object.
* ``GET /v1/conversation/retrieve?conversation_id=`` answers the same object, or 4200.
* ``GET /v1/conversations?bot_id=&page_num=&page_size=`` answers ``{"has_more", "conversations"}``,
  newest first (the docs' default ``sort_order`` is DESC).
* ``POST /v1/conversation/message/list?conversation_id=`` takes ``order`` (``desc`` by default),
  ``chat_id``, ``before_id``, ``after_id`` and ``limit`` (1-50, default 50) in the JSON body and
  answers the page in ``data`` with ``first_id``, ``last_id`` and ``has_more`` as *top-level*
  siblings of ``data``. The cursors are positions in the requested order (the docs: "to page on,
  pass the result's ``last_id`` as ``after_id``; to page back, its ``first_id`` as ``before_id``");
  an unset cursor is absent, ``null``, ``""`` or ``"0"`` (the docs: "default 0, no position").
  Message ids grow with time, as the service's do, so comparing ids orders messages. The list
  holds questions and answers, not the intermediate ``verbose``/``function_call``/``follow_up``
  messages of a chat (the docs).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

CREATE = Endpoint("conversations.create", "POST", r"/v1/conversation/create", has_body=True)
RETRIEVE = Endpoint("conversations.retrieve", "GET", r"/v1/conversation/retrieve", required_query=("conversation_id",))
LIST = Endpoint("conversations.list", "GET", r"/v1/conversations", required_query=("bot_id",))
LIST_MESSAGES = Endpoint(
    "conversations.messages.list",
    "POST",
    r"/v1/conversation/message/list",
    required_query=("conversation_id",),
    has_body=True,
)

ROLES = ("user", "assistant")
#: The message types a request may carry (``follow_up`` and ``verbose`` only come from the service).
INPUT_TYPES = ("question", "answer", "function_call", "tool_output", "tool_response")
#: What the message list shows; a chat's other messages stay in the chat (``/v3/chat/message/list``).
LISTED_TYPES = ("question", "answer", "")
UNSET_CURSORS = (None, "", "0", 0)
MAX_LIMIT = 50
FIRST_ID = 7432000000000000001
FIRST_TIME = 1718792949
CREATOR_ID = "2478774393255"
API_CONNECTOR_ID = "1024"


@dataclass
class MessageRecord:
    """A message as the service keeps it."""

    id: str
    conversation_id: str
    role: str
    type: str
    content: str
    created_at: int
    content_type: str = "text"
    bot_id: str = ""
    chat_id: str = ""
    section_id: str = ""
    meta_data: dict[str, str] = field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        """The Message object (DOC list_message ``OpenMessageApi``, chat_v3 "Message Object")."""
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "bot_id": self.bot_id,
            "chat_id": self.chat_id,
            "meta_data": dict(self.meta_data),
            "role": self.role,
            "content": self.content,
            "content_type": self.content_type,
            "created_at": self.created_at,
            "updated_at": self.created_at,
            "type": self.type,
            "section_id": self.section_id,
        }


@dataclass
class ConversationRecord:
    """A conversation and the messages saved in it, oldest first."""

    id: str
    created_at: int
    bot_id: str = ""
    name: str = ""
    meta_data: dict[str, str] = field(default_factory=dict)
    connector_id: str = API_CONNECTOR_ID
    messages: list[MessageRecord] = field(default_factory=list)

    @property
    def last_section_id(self) -> str:
        """The context section; a new conversation's first section has the conversation's id."""
        return self.id

    def wire(self) -> dict[str, Any]:
        """The Conversation object (DOC create_conversation, retrieve_conversation)."""
        return {
            "id": self.id,
            "name": self.name,
            "meta_data": dict(self.meta_data),
            "created_at": self.created_at,
            "updated_at": self.created_at,
            "creator_id": CREATOR_ID,
            "connector_id": self.connector_id,
            "last_section_id": self.last_section_id,
        }


def message_fields(raw: Any, where: str) -> tuple[str, str, str, str, dict[str, str]]:
    """``(role, type, content, content_type, meta_data)`` of an EnterMessage, as the service checks it."""
    if not isinstance(raw, dict):
        raise MalformedRequest(f"{where}: a message must be a JSON object, got {raw!r}")
    role, content, content_type = raw.get("role"), raw.get("content"), raw.get("content_type")
    kind = raw.get("type") or "question"
    meta_data = raw.get("meta_data") or {}
    if role not in ROLES:
        raise MalformedRequest(f"{where}: message role must be one of {ROLES}, got {role!r}")
    if not isinstance(content, str) or not isinstance(content_type, str) or not content_type:
        raise MalformedRequest(f"{where}: a message needs a string content and content_type, got {raw!r}")
    if kind not in INPUT_TYPES or (kind == "question") != (role == "user"):
        raise MalformedRequest(f"{where}: message type {kind!r} does not go with role {role!r}")
    return role, kind, content, content_type, string_map(meta_data, where)


def string_map(meta_data: Any, where: str) -> dict[str, str]:
    """``meta_data`` as the service accepts it on messages, conversations and chats: strings to strings."""
    if not isinstance(meta_data, dict) or not all(isinstance(value, str) for value in meta_data.values()):
        raise MalformedRequest(f"{where}: meta_data must map strings to strings, got {meta_data!r}")
    return meta_data


def object_body(request: CozeRequest, endpoint: Endpoint) -> dict[str, Any]:
    """The request's JSON body, which must be an object (``{}`` when there is no body)."""
    if request.body is None:
        return {}
    if not isinstance(request.body, dict):
        raise MalformedRequest(f"{endpoint.name}: body must be a JSON object, got {request.body!r}")
    return request.body


def _cursor(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value in UNSET_CURSORS:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise MalformedRequest(f"{name} must be a message id, got {value!r}") from error


class ConversationsAPI:
    """The conversations endpoints of the fake, and the conversations they serve."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, ConversationRecord] = {}
        self._ids: Iterator[int] = itertools.count(FIRST_ID)
        self._clock: Iterator[int] = itertools.count(FIRST_TIME)

    # -- state -----------------------------------------------------------------------------------

    def next_id(self) -> str:
        """A fresh id in the service's 19-digit form; later ids are larger, as the service's are."""
        return str(next(self._ids))

    def now(self) -> int:
        """The fake's clock: one second later at every call."""
        return next(self._clock)

    def new(self, *, bot_id: str = "", meta_data: dict[str, str] | None = None, name: str = "") -> ConversationRecord:
        """A new, empty conversation (what ``/v1/conversation/create`` or a chat without one creates)."""
        record = ConversationRecord(self.next_id(), self.now(), bot_id, name, dict(meta_data or {}))
        self.records[record.id] = record
        return record

    def add_message(
        self,
        conversation: ConversationRecord,
        role: str,
        kind: str,
        content: str,
        *,
        content_type: str = "text",
        chat_id: str = "",
        bot_id: str = "",
        meta_data: dict[str, str] | None = None,
        save: bool = True,
    ) -> MessageRecord:
        """A new message of ``conversation``, saved at its end unless ``save`` is false."""
        message = MessageRecord(
            id=self.next_id(),
            conversation_id=conversation.id,
            role=role,
            type=kind,
            content=content,
            created_at=self.now(),
            content_type=content_type,
            bot_id=bot_id,
            chat_id=chat_id,
            section_id=conversation.last_section_id,
            meta_data=dict(meta_data or {}),
        )
        if save:
            conversation.messages.append(message)
        return message

    # -- routes ----------------------------------------------------------------------------------

    def create(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(CREATE, self._create, reply)

    def retrieve(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def list(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(LIST, self._list, reply)

    def list_messages(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(LIST_MESSAGES, self._list_messages, reply)

    # -- handlers --------------------------------------------------------------------------------

    def _create(self, request: CozeRequest) -> Reply:
        body = object_body(request, CREATE)
        raw_messages = body.get("messages") or []
        if not isinstance(raw_messages, list):
            raise MalformedRequest(f"{CREATE.name}: messages must be an array, got {raw_messages!r}")
        messages = [message_fields(raw, CREATE.name) for raw in raw_messages]
        meta_data = string_map(body.get("meta_data") or {}, CREATE.name)
        name = body.get("name") or (messages[0][2] if messages else "")
        record = self.new(bot_id=str(body.get("bot_id") or ""), meta_data=meta_data, name=name)
        record.connector_id = str(body.get("connector_id") or API_CONNECTOR_ID)
        for role, kind, content, content_type, message_meta in messages:
            self.add_message(record, role, kind, content, content_type=content_type, meta_data=message_meta)
        return envelope.ok(record.wire())

    def _conversation(self, request: CozeRequest) -> ConversationRecord | None:
        return self.records.get(request.param("conversation_id") or "")

    def _retrieve(self, request: CozeRequest) -> Reply:
        record = self._conversation(request)
        if record is None:
            return not_found("conversation", {"conversation_id": request.param("conversation_id") or ""})
        return envelope.ok(record.wire())

    def _list(self, request: CozeRequest) -> Reply:
        try:
            number = int(request.param("page_num") or 1)
            size = int(request.param("page_size") or 50)
        except ValueError as error:
            raise MalformedRequest(f"page parameters must be integers: {dict(request.query)}") from error
        if number < 1 or not 1 <= size <= MAX_LIMIT:
            raise MalformedRequest(f"page_num must be >= 1 and page_size 1-{MAX_LIMIT}: {dict(request.query)}")
        bot_id = request.param("bot_id")
        found = [record for record in self.records.values() if record.bot_id == bot_id]
        found.sort(key=lambda record: int(record.id), reverse=True)
        page = found[(number - 1) * size : number * size]
        has_more = len(found) > number * size
        return envelope.ok({"has_more": has_more, "conversations": [record.wire() for record in page]})

    def _list_messages(self, request: CozeRequest) -> Reply:
        body = object_body(request, LIST_MESSAGES)
        order = body.get("order") or "desc"
        limit = body.get("limit")
        limit = MAX_LIMIT if limit is None else limit
        if order not in ("asc", "desc"):
            raise MalformedRequest(f"{LIST_MESSAGES.name}: order must be asc or desc, got {order!r}")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise MalformedRequest(f"{LIST_MESSAGES.name}: limit must be 1-{MAX_LIMIT}, got {limit!r}")
        before, after = _cursor(body, "before_id"), _cursor(body, "after_id")
        record = self._conversation(request)
        if record is None:
            return not_found("conversation", {"conversation_id": request.param("conversation_id") or ""})
        chat_id = body.get("chat_id")
        listed = [m for m in record.messages if m.type in LISTED_TYPES and chat_id in (None, "", m.chat_id)]
        # Place every message by its position in the requested order: id ascending, or descending.
        sign = -1 if order == "desc" else 1
        listed.sort(key=lambda message: sign * int(message.id))
        places = [sign * int(message.id) for message in listed]
        start = 0 if after is None else sum(1 for place in places if place <= sign * after)
        stop = len(listed) if before is None else sum(1 for place in places if place < sign * before)
        backwards = before is not None and after is None  # paging back: the messages just before the cursor
        if backwards:
            start = max(start, stop - limit)
        page = listed[start:stop][:limit]
        has_more = start > 0 if backwards else start + len(page) < stop
        return envelope.ok(
            [message.wire() for message in page],
            first_id=page[0].id if page else "",
            last_id=page[-1].id if page else "",
            has_more=has_more,
        )
