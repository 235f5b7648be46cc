"""Conversations: create, retrieve, list, update, delete, clear, and their messages (coze-wire-format.md section 3).

The fake holds the conversations (``ConversationRecord``) and, in each, the messages the service
keeps: the ones given at creation, those created one by one, and those a chat saves there
(``chat.py`` writes into the same records, so listing a conversation's messages after a chat shows
the chat). Sources: the docs (``DOC:x`` is ``coze-dev/coze-sdk-gen docs/api-markdown/x.md``, the
sync of docs.coze.cn/developer_guides/x) and cozepy's source of the release that added each call.

* ``POST /v1/conversation/create`` takes ``messages``, ``meta_data``, ``bot_id``, ``name``,
  ``connector_id`` (all optional) and answers the Conversation object (DOC create_conversation).
* ``GET /v1/conversation/retrieve?conversation_id=`` answers the same object, or 4200.
* ``GET /v1/conversations?bot_id=&page_num=&page_size=`` answers ``{"has_more", "conversations"}``,
  newest first (the docs' default ``sort_order`` is DESC; cozepy 0.7.0).
* ``PUT /v1/conversations/{conversation_id}`` with ``{"name"}`` (required, at most 100 characters)
  renames it and answers the Conversation (DOC edit_conversation; cozepy 0.20.0, coze-py#311).
* ``DELETE /v1/conversations/{conversation_id}`` deletes it with its messages and answers the
  envelope without ``data`` (DOC delete_conversation; cozepy 0.20.0, coze-py#312).
* ``POST /v1/conversations/{conversation_id}/clear`` starts a new context section and answers the
  Section ``{"id", "conversation_id"}``; the messages stay listable, and later ones carry the new
  ``section_id`` (DOC clear_conversation_context; cozepy 0.7.0, coze-py#120).
* ``POST /v1/conversation/message/list?conversation_id=`` takes ``order`` (``desc`` by default),
  ``chat_id``, ``before_id``, ``after_id`` and ``limit`` (1-50, default 50) in the JSON body and
  answers the page in ``data`` with ``first_id``, ``last_id`` and ``has_more`` as *top-level*
  siblings of ``data``. The cursors are positions in the requested order (the docs: "to page on,
  pass the result's ``last_id`` as ``after_id``; to page back, its ``first_id`` as ``before_id``");
  an unset cursor is absent, ``null``, ``""`` or ``"0"`` (the docs: "default 0, no position").
  Message ids grow with time, as the service's do, so comparing ids orders messages. The list
  holds questions and answers (and the untyped messages created one by one), not the intermediate
  ``verbose``/``function_call``/``follow_up`` messages of a chat (the docs).
* ``POST /v1/conversation/message/create?conversation_id=`` takes ``role``, ``content``,
  ``content_type`` (``text`` or ``object_string``; ``card`` only appears in replies) and
  ``meta_data``, and answers the new Message, whose ``type`` is ``""`` (DOC create_message).
* ``GET /v1/conversation/message/retrieve?conversation_id=&message_id=`` answers the Message
  (DOC retrieve_message), or 4200 for an id the conversation does not hold.
* ``POST /v1/conversation/message/modify?conversation_id=&message_id=`` takes ``content``,
  ``content_type`` and ``meta_data`` (not ``content`` and ``meta_data`` both empty; ``content`` needs
  its ``content_type``) and answers the modified Message under a top-level ``message`` key, not
  ``data`` (DOC modify_message; cozepy reads it with ``data_field="message"``).
* ``POST /v1/conversation/message/delete?conversation_id=&message_id=`` deletes a question or an
  answer (with the answer's intermediate messages of the same chat) and answers the deleted
  Message (DOC delete_message).

Field types are checked as the service checks them: ids (``bot_id``, ``connector_id``,
``chat_id``, the cursors) are JSON strings, so a JSON number where one belongs is a 4000; a
``meta_data`` maps strings to strings; ``object_string`` content is a JSON array of objects whose
``type`` is ``text`` (with ``text``), or ``image``/``file``/``audio`` (with ``file_id`` or
``file_url``) (DOC chat_v3 "object_string"). An unknown conversation or message is 4200.

The service's whole range of answers: ``ConversationRecord.overrides`` and
``MessageRecord.overrides`` change how the service sends a record (a value replaces the field,
``LEFT_OUT`` leaves it out: a ``null`` ``meta_data``, an unknown ``type``), and
``ConversationsAPI.page_overrides`` does the same for the top-level ``first_id``/``last_id``/
``has_more`` of every message page.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Mapping

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

CONVERSATION_PATH = r"/v1/conversations/(?P<conversation_id>[^/]+)"
CREATE = Endpoint("conversations.create", "POST", r"/v1/conversation/create", has_body=True)
RETRIEVE = Endpoint("conversations.retrieve", "GET", r"/v1/conversation/retrieve", required_query=("conversation_id",))
LIST = Endpoint("conversations.list", "GET", r"/v1/conversations", required_query=("bot_id",))
UPDATE = Endpoint("conversations.update", "PUT", CONVERSATION_PATH, required_body=("name",), has_body=True)
DELETE = Endpoint("conversations.delete", "DELETE", CONVERSATION_PATH)
CLEAR = Endpoint("conversations.clear", "POST", CONVERSATION_PATH + "/clear")
LIST_MESSAGES = Endpoint(
    "conversations.messages.list",
    "POST",
    r"/v1/conversation/message/list",
    required_query=("conversation_id",),
    has_body=True,
)
MESSAGE_QUERY = ("conversation_id", "message_id")
CREATE_MESSAGE = Endpoint(
    "conversations.messages.create",
    "POST",
    r"/v1/conversation/message/create",
    required_query=("conversation_id",),
    required_body=("role", "content", "content_type"),
    has_body=True,
)
RETRIEVE_MESSAGE = Endpoint(
    "conversations.messages.retrieve", "GET", r"/v1/conversation/message/retrieve", required_query=MESSAGE_QUERY
)
UPDATE_MESSAGE = Endpoint(
    "conversations.messages.update",
    "POST",
    r"/v1/conversation/message/modify",
    required_query=MESSAGE_QUERY,
    has_body=True,
)
DELETE_MESSAGE = Endpoint(
    "conversations.messages.delete", "POST", r"/v1/conversation/message/delete", required_query=MESSAGE_QUERY
)

ROLES = ("user", "assistant")
#: The message types a request may carry (``follow_up`` and ``verbose`` only come from the service).
INPUT_TYPES = ("question", "answer", "function_call", "tool_output", "tool_response")
#: What the message list shows; a chat's other messages stay in the chat (``/v3/chat/message/list``).
LISTED_TYPES = ("question", "answer", "")
#: The content types a request may carry (DOC create_message: ``card`` only appears in replies).
INPUT_CONTENT_TYPES = ("text", "object_string")
#: The parts of ``object_string`` content (DOC chat_v3 "object_string"), and what each needs.
OBJECT_TYPES = ("text", "image", "file", "audio")
UNSET_CURSORS = (None, "", "0")
MAX_LIMIT = 50
MAX_NAME = 100
FIRST_ID = 7432000000000000001
FIRST_TIME = 1718792949
CREATOR_ID = "2478774393255"
API_CONNECTOR_ID = "1024"

#: In ``overrides``: the service leaves this field out of the object.
LEFT_OUT: Any = object()


def shaped(wire: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``wire`` as the service sends it: each override replaces its field, or (``LEFT_OUT``) removes it."""
    shaped_wire = {**wire, **overrides}
    return {name: value for name, value in shaped_wire.items() if value is not LEFT_OUT}


@dataclass
class MessageRecord:
    """A message as the service keeps it in a conversation (``ConversationRecord.messages``); ``wire()``
    is the Message object, shaped by ``overrides`` (a value replaces a field, ``LEFT_OUT`` removes it)."""

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
    #: The last modification (``None``: never modified, the creation time is sent).
    updated_at: int | None = None
    #: The model's chain of thought; sent only when set (DOC list_message ``reasoning_content``).
    reasoning_content: str | None = None
    #: How the service sends this message differently (see ``shaped``).
    overrides: dict[str, Any] = field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        """The Message object (DOC list_message ``OpenMessageApi``, chat_v3 "Message Object")."""
        message = {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "bot_id": self.bot_id,
            "chat_id": self.chat_id,
            "meta_data": dict(self.meta_data),
            "role": self.role,
            "content": self.content,
            "content_type": self.content_type,
            "created_at": self.created_at,
            "updated_at": self.created_at if self.updated_at is None else self.updated_at,
            "type": self.type,
            "section_id": self.section_id,
        }
        if self.reasoning_content is not None:
            message["reasoning_content"] = self.reasoning_content
        return shaped(message, self.overrides)


@dataclass
class ConversationRecord:
    """A conversation and the messages saved in it, oldest first (``coze_api.conversations.records``, by id).

    Make one with ``coze_api.conversations.new()`` and give it messages with ``add_message``; chats
    and workflow chats in it save their questions and answers here, as the service does.
    """

    id: str
    created_at: int
    bot_id: str = ""
    name: str = ""
    meta_data: dict[str, str] = field(default_factory=dict)
    connector_id: str = API_CONNECTOR_ID
    messages: list[MessageRecord] = field(default_factory=list)
    #: The sections a clear started, oldest first (the first section has the conversation's id).
    section_ids: list[str] = field(default_factory=list)
    updated_at: int | None = None
    #: How the service sends this conversation differently (see ``shaped``).
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def last_section_id(self) -> str:
        """The current context section: the last one a clear started, else the conversation's id."""
        return self.section_ids[-1] if self.section_ids else self.id

    def wire(self) -> dict[str, Any]:
        """The Conversation object (DOC create_conversation, retrieve_conversation, edit_conversation)."""
        conversation = {
            "id": self.id,
            "name": self.name,
            "meta_data": dict(self.meta_data),
            "created_at": self.created_at,
            "updated_at": self.created_at if self.updated_at is None else self.updated_at,
            "creator_id": CREATOR_ID,
            "connector_id": self.connector_id,
            "last_section_id": self.last_section_id,
        }
        return shaped(conversation, self.overrides)


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
    object_content(content, content_type, where)
    return role, kind, content, content_type, string_map(meta_data, where)


def object_content(content: str, content_type: str, where: str) -> None:
    """Check ``object_string`` content as the service reads it: a JSON array of typed parts."""
    if content_type != "object_string":
        return
    try:
        parts = json.loads(content)
    except ValueError:
        parts = None
    if not isinstance(parts, list) or not parts or not all(isinstance(part, dict) for part in parts):
        raise MalformedRequest(f"{where}: object_string content must be a JSON array of objects, got {content!r}")
    for part in parts:
        kind = part.get("type")
        if kind not in OBJECT_TYPES:
            raise MalformedRequest(f"{where}: object_string part type must be one of {OBJECT_TYPES}, got {part!r}")
        if kind == "text" and not isinstance(part.get("text"), str):
            raise MalformedRequest(f"{where}: a text part needs its text, got {part!r}")
        if kind != "text" and not (part.get("file_id") or part.get("file_url")):
            raise MalformedRequest(f"{where}: a {kind} part needs a file_id or a file_url, got {part!r}")


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


def string_field(body: dict[str, Any], name: str, where: str) -> str | None:
    """A body field the service reads as a JSON string (ids included): ``None`` when absent or ``null``."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise MalformedRequest(f"{where}: {name} must be a string, got {value!r}")
    return value


def _cursor(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value in UNSET_CURSORS:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        raise MalformedRequest(f"{name} must be a message id as a JSON string, got {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise MalformedRequest(f"{name} must be a message id, got {value!r}") from error


class ConversationsAPI:
    """The conversations endpoints of the fake, and the conversations they serve."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, ConversationRecord] = {}
        #: How the service sends the top-level paging fields of every message page (see ``shaped``).
        self.page_overrides: dict[str, Any] = {}
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
        """``POST /v1/conversation/create``: a new conversation, with its first messages if given."""
        return self._fake.serve(CREATE, self._create, reply)

    def retrieve(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/conversation/retrieve?conversation_id=``: the Conversation, or 4200."""
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def list(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/conversations?bot_id=``: a bot's conversations, newest first, paged by number."""
        return self._fake.serve(LIST, self._list, reply)

    def update(self, reply: Reply | None = None) -> respx.Route:
        """``PUT /v1/conversations/{conversation_id}``: renames it (``name``, 1-100 characters)."""
        return self._fake.serve(UPDATE, self._update, reply)

    def delete(self, reply: Reply | None = None) -> respx.Route:
        """``DELETE /v1/conversations/{conversation_id}``: deletes it with its messages."""
        return self._fake.serve(DELETE, self._delete, reply)

    def clear(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/conversations/{conversation_id}/clear``: starts a new context section."""
        return self._fake.serve(CLEAR, self._clear, reply)

    def list_messages(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/conversation/message/list?conversation_id=``: a page of questions and answers, by cursor."""
        return self._fake.serve(LIST_MESSAGES, self._list_messages, reply)

    def create_message(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/conversation/message/create?conversation_id=``: a new message at the conversation's end."""
        return self._fake.serve(CREATE_MESSAGE, self._create_message, reply)

    def retrieve_message(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/conversation/message/retrieve?conversation_id=&message_id=``: the Message, or 4200."""
        return self._fake.serve(RETRIEVE_MESSAGE, self._retrieve_message, reply)

    def update_message(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/conversation/message/modify``: new content or meta_data; answered under ``message``."""
        return self._fake.serve(UPDATE_MESSAGE, self._update_message, reply)

    def delete_message(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/conversation/message/delete``: deletes a question or an answer (and the answer's chat steps)."""
        return self._fake.serve(DELETE_MESSAGE, self._delete_message, reply)

    # -- handlers: conversations -----------------------------------------------------------------

    def _create(self, request: CozeRequest) -> Reply:
        body = object_body(request, CREATE)
        raw_messages = body.get("messages") or []
        if not isinstance(raw_messages, list):
            raise MalformedRequest(f"{CREATE.name}: messages must be an array, got {raw_messages!r}")
        messages = [message_fields(raw, CREATE.name) for raw in raw_messages]
        meta_data = string_map(body.get("meta_data") or {}, CREATE.name)
        bot_id, connector_id = (
            string_field(body, "bot_id", CREATE.name),
            string_field(body, "connector_id", CREATE.name),
        )
        name = string_field(body, "name", CREATE.name) or (messages[0][2] if messages else "")
        record = self.new(bot_id=bot_id or "", meta_data=meta_data, name=name)
        record.connector_id = connector_id or API_CONNECTOR_ID
        for role, kind, content, content_type, message_meta in messages:
            self.add_message(record, role, kind, content, content_type=content_type, meta_data=message_meta)
        return envelope.ok(record.wire())

    def _conversation(self, request: CozeRequest) -> ConversationRecord | None:
        """The conversation a request names, in its path or its query."""
        conversation_id = request.path_params.get("conversation_id") or request.param("conversation_id")
        return self.records.get(conversation_id or "")

    @staticmethod
    def _no_conversation(request: CozeRequest) -> Reply:
        conversation_id = request.path_params.get("conversation_id") or request.param("conversation_id")
        return not_found("conversation", {"conversation_id": conversation_id or ""})

    def _retrieve(self, request: CozeRequest) -> Reply:
        record = self._conversation(request)
        return self._no_conversation(request) if record is None else envelope.ok(record.wire())

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

    def _update(self, request: CozeRequest) -> Reply:
        body = object_body(request, UPDATE)
        name = string_field(body, "name", UPDATE.name)
        if not name or len(name) > MAX_NAME:
            raise MalformedRequest(f"{UPDATE.name}: name must be 1-{MAX_NAME} characters, got {name!r}")
        record = self._conversation(request)
        if record is None:
            return self._no_conversation(request)
        record.name, record.updated_at = name, self.now()
        return envelope.ok(record.wire())

    def _delete(self, request: CozeRequest) -> Reply:
        record = self._conversation(request)
        if record is None:
            return self._no_conversation(request)
        del self.records[record.id]
        return envelope.Envelope(with_data=False)  # DOC delete_conversation: code, msg and detail only

    def _clear(self, request: CozeRequest) -> Reply:
        record = self._conversation(request)
        if record is None:
            return self._no_conversation(request)
        record.section_ids.append(self.next_id())
        return envelope.ok({"id": record.last_section_id, "conversation_id": record.id})

    # -- handlers: messages ----------------------------------------------------------------------

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
        chat_id = string_field(body, "chat_id", LIST_MESSAGES.name)
        record = self._conversation(request)
        if record is None:
            return self._no_conversation(request)
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
        paging = {
            "first_id": page[0].id if page else "",
            "last_id": page[-1].id if page else "",
            "has_more": has_more,
        }
        return envelope.ok([message.wire() for message in page], **shaped(paging, self.page_overrides))

    def _message(self, request: CozeRequest) -> tuple[ConversationRecord | None, MessageRecord | None]:
        """The conversation and the message of a ``?conversation_id=&message_id=`` request."""
        record = self._conversation(request)
        message_id = request.param("message_id")
        found = [m for m in record.messages if m.id == message_id] if record is not None else []
        return record, (found[0] if found else None)

    @staticmethod
    def _no_message(request: CozeRequest) -> Reply:
        return not_found("message", {name: request.param(name) or "" for name in MESSAGE_QUERY})

    def _create_message(self, request: CozeRequest) -> Reply:
        body: dict[str, Any] = request.body
        role, content = body["role"], body["content"]
        content_type = body["content_type"]
        if role not in ROLES:
            raise MalformedRequest(f"{CREATE_MESSAGE.name}: role must be one of {ROLES}, got {role!r}")
        if not isinstance(content, str) or content_type not in INPUT_CONTENT_TYPES:
            raise MalformedRequest(
                f"{CREATE_MESSAGE.name}: content must be a string and content_type one of "
                f"{INPUT_CONTENT_TYPES}, got {content!r} as {content_type!r}"
            )
        object_content(content, content_type, CREATE_MESSAGE.name)
        meta_data = string_map(body.get("meta_data") or {}, CREATE_MESSAGE.name)
        record = self._conversation(request)
        if record is None:
            return self._no_conversation(request)
        message = self.add_message(record, role, "", content, content_type=content_type, meta_data=meta_data)
        return envelope.ok(message.wire())

    def _retrieve_message(self, request: CozeRequest) -> Reply:
        record, message = self._message(request)
        if record is None:
            return self._no_conversation(request)
        return self._no_message(request) if message is None else envelope.ok(message.wire())

    def _update_message(self, request: CozeRequest) -> Reply:
        body = object_body(request, UPDATE_MESSAGE)
        content, content_type = body.get("content"), body.get("content_type")
        meta_data = body.get("meta_data")
        if not content and not meta_data:
            raise MalformedRequest(f"{UPDATE_MESSAGE.name}: give content or meta_data (they cannot both be empty)")
        if content is not None:
            if not isinstance(content, str) or content_type not in INPUT_CONTENT_TYPES:
                raise MalformedRequest(
                    f"{UPDATE_MESSAGE.name}: content must be a string sent with its content_type (one of "
                    f"{INPUT_CONTENT_TYPES}), got {content!r} as {content_type!r}"
                )
            object_content(content, content_type, UPDATE_MESSAGE.name)
        if meta_data is not None:
            string_map(meta_data, UPDATE_MESSAGE.name)
        record, message = self._message(request)
        if record is None:
            return self._no_conversation(request)
        if message is None:
            return self._no_message(request)
        if content is not None:
            message.content, message.content_type = content, str(content_type)  # checked above
        if meta_data is not None:
            message.meta_data = dict(meta_data)
        message.updated_at = self.now()
        return envelope.Envelope(with_data=False, top={"message": message.wire()})  # DOC modify_message

    def _delete_message(self, request: CozeRequest) -> Reply:
        record, message = self._message(request)
        if record is None:
            return self._no_conversation(request)
        if message is None:
            return self._no_message(request)
        if message.type not in LISTED_TYPES:
            raise MalformedRequest(
                f"{DELETE_MESSAGE.name}: only questions and answers can be deleted, not a {message.type!r} message"
            )
        # Deleting an answer deletes the intermediate messages of its chat with it (DOC delete_message).
        gone = {message.id}
        if message.type == "answer" and message.chat_id:
            gone |= {m.id for m in record.messages if m.chat_id == message.chat_id and m.type not in LISTED_TYPES}
        record.messages = [m for m in record.messages if m.id not in gone]
        return envelope.ok(message.wire())
