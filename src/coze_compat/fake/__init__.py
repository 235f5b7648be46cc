"""The fake Coze OpenAPI (respx, at the HTTP layer): what a team's tests import.

``FakeCoze`` is the service, strict as the service is: a test registers each endpoint it expects
(``coze_api.chat.create()``), seeds the state the service would hold (bots, conversations and their
messages, workflows and runs, files, workspaces), scripts what the service answers (a reply given to
the route, or the state's own answer), and asserts what was sent (``last_request()``, the respx
route's ``calls``, ``responses``). At teardown (``verify()``, which the plugin's ``coze_api``
fixture calls) an unregistered request, a request the service would reject, or a registered route
never called fails the test. The guide with examples is ``docs/fake.md``; ``docs/endpoints.md`` lists
every endpoint the newest cozepy calls and whether the fake models it.

Everything below is importable from ``coze_compat.fake``; the family modules (``bots``, ``chat``,
``conversations``, ``workflows``, ``users``, ``workspaces``, ``files``, ``oauth``) hold each family's
endpoints, state and handlers; ``envelope`` and ``sse`` build what the service sends; ``requests``
parses and checks what it receives; ``server`` is the core; ``coverage`` makes the endpoint table;
``strategies`` (with the ``property`` extra, hypothesis) draws the service's replies for property tests.

* The service: ``FakeCoze``, ``TOKEN``, ``COZE_COM_BASE_URL``, ``transports_patched``,
  ``UnexpectedRequestError``, ``UnregisteredRequestError``, ``Served``, ``registrations``.
* What it received: ``CozeRequest``, ``UploadedFile``, ``Violation``; what it models: ``Endpoint``.
* Seeded state: ``BotRecord``; ``ConversationRecord``, ``MessageRecord``; ``Answer``, ``ToolCall``,
  ``ChatRecord``; ``WorkflowRecord``, ``Interruption``, ``RunRecord``, ``RunOutcome``; ``UserRecord``;
  ``WorkspaceRecord``; ``FileRecord``; ``JWTApp`` (with ``TEST_PRIVATE_KEY``/``TEST_PUBLIC_KEY``). The
  service's other answers through the state: ``ABSENT`` (a field of a bot left out), ``LEFT_OUT``
  (a field of a conversation, a message or a message page left out).
* Replies: ``envelope.ok``/``envelope.error``/``Envelope``, ``RawBody``, ``gateway_error``;
  ``EventStream``, ``SSEEvent``, ``SSEStyle``, ``STYLES``, ``encode``; ``LiveStream`` (a stream read by
  read, optionally dropped); ``Reply``, their base.
* Error codes, ``(code, msg)`` as the service sends them: ``BAD_REQUEST`` (4000), ``INVALID_TOKEN``
  (4100, with ``INVALID_TOKEN_STATUS``), ``NO_PERMISSION`` (4101), ``NOT_FOUND`` (4200),
  ``SERVER_ERROR`` (5000), ``CONVERSATION_OCCUPIED`` (4016), ``CANNOT_CANCEL`` (4104),
  ``QUOTA_EXHAUSTED`` (4028, a failed chat's ``last_error``); ``DROPPED_CONNECTION`` (httpx's message
  for a connection dropped mid-body).
"""

from __future__ import annotations

from coze_compat.fake import envelope, sse
from coze_compat.fake.bots import ABSENT, BotRecord
from coze_compat.fake.chat import (
    CANNOT_CANCEL,
    CONVERSATION_OCCUPIED,
    DROPPED_CONNECTION,
    QUOTA_EXHAUSTED,
    Answer,
    ChatRecord,
    LiveStream,
    ToolCall,
)
from coze_compat.fake.conversations import LEFT_OUT, ConversationRecord, MessageRecord
from coze_compat.fake.envelope import (
    BAD_REQUEST,
    INVALID_TOKEN,
    INVALID_TOKEN_STATUS,
    NO_PERMISSION,
    NOT_FOUND,
    SERVER_ERROR,
    Envelope,
    RawBody,
    Reply,
    gateway_error,
)
from coze_compat.fake.files import FileRecord
from coze_compat.fake.oauth import TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, JWTApp
from coze_compat.fake.requests import CozeRequest, Endpoint, UploadedFile, Violation
from coze_compat.fake.server import (
    COZE_COM_BASE_URL,
    TOKEN,
    FakeCoze,
    Served,
    UnexpectedRequestError,
    UnregisteredRequestError,
    registrations,
    transports_patched,
)
from coze_compat.fake.sse import STYLES, EventStream, SSEEvent, SSEStyle, encode
from coze_compat.fake.users import UserRecord
from coze_compat.fake.workflows import Interruption, RunOutcome, RunRecord, WorkflowRecord
from coze_compat.fake.workspaces import WorkspaceRecord

__all__ = [
    "ABSENT",
    "BAD_REQUEST",
    "CANNOT_CANCEL",
    "CONVERSATION_OCCUPIED",
    "COZE_COM_BASE_URL",
    "DROPPED_CONNECTION",
    "INVALID_TOKEN",
    "INVALID_TOKEN_STATUS",
    "LEFT_OUT",
    "NOT_FOUND",
    "NO_PERMISSION",
    "QUOTA_EXHAUSTED",
    "SERVER_ERROR",
    "STYLES",
    "TEST_PRIVATE_KEY",
    "TEST_PUBLIC_KEY",
    "TOKEN",
    "Answer",
    "BotRecord",
    "ChatRecord",
    "ConversationRecord",
    "CozeRequest",
    "Endpoint",
    "Envelope",
    "EventStream",
    "FakeCoze",
    "FileRecord",
    "Interruption",
    "JWTApp",
    "LiveStream",
    "MessageRecord",
    "RawBody",
    "Reply",
    "RunOutcome",
    "RunRecord",
    "SSEEvent",
    "SSEStyle",
    "Served",
    "ToolCall",
    "UnexpectedRequestError",
    "UnregisteredRequestError",
    "UploadedFile",
    "UserRecord",
    "Violation",
    "WorkflowRecord",
    "WorkspaceRecord",
    "encode",
    "envelope",
    "gateway_error",
    "registrations",
    "sse",
    "transports_patched",
]
