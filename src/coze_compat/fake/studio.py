"""Coze Studio: what its source at ``STUDIO_RELEASE`` (v0.5.1) answers, for the Studio flavour of the fake.

``FakeCoze(server="coze-studio")`` answers as Coze Studio's handlers do (coze-dev/coze-studio, the
self-hosted edition of the Coze platform; ``shared/reference/coze-studio.md`` compares it with the
hosted flavour endpoint by endpoint). This module holds the facts the families and the core read,
each with the ``Source`` (file and line of coze-dev/coze-studio at v0.5.1, or of the Hertz v0.10.2
web framework it runs on) it comes from; ``tests/harness/test_fake_studio.py`` pins every answer to
its source line, and checks each quoted line against a Coze Studio checkout when one is at hand.

The middleware every request passes (``backend/main.go:93-101``, in this order):

1. ``SetLogIDMW``: every reply carries ``X-Log-ID: <uuid4>`` (never ``x-tt-logid``, the header
   cozepy reads the log id from: through cozepy, ``logid`` is ``None``; coze-py#308 shows it);
2. ``OpenapiAuthMW``, only for the paths Studio treats as its OpenAPI (``OPENAPI_PATHS``,
   ``OPENAPI_PATTERNS``): a missing or unknown API key is HTTP 200
   ``{"code": 700012006, "msg": "authentication failed: <reason>"}``; Studio's keys carry no
   scopes, so there is no "token without permission";
3. ``SessionAuthMW`` for every other path: without a session cookie, HTTP 401
   ``{"code": 401, "msg": "missing session_key in cookie"}``. Hertz runs the global middleware
   before its NoRoute handler too (hertz v0.10.2 ``pkg/route/engine.go:906-909``), so this is also
   what an endpoint Studio does not have answers, when its path is not an OpenAPI path (most of the
   ones cozepy calls and Studio lacks: ``/v1/bots``, ``/v1/users/me``, the run histories...);
4. the route, or NoRoute: ``{"code": 404, "msg": "not found"}`` with HTTP 404 for ``/v1/*`` and
   ``/v3/*`` (``backend/api/router/register.go:73-84``); ``HandleMethodNotAllowed`` is off, so an
   OpenAPI path asked with another method (cozepy's ``POST /v3/chat/retrieve``) gets it too.

Then the handler binds the request (Hertz ``BindAndValidate``): a value it cannot decode is HTTP
400 ``{"code": 400, "msg": "<binder's error>"}`` (``backend/api/internal/httputil/error_resp.go:35-37``),
e.g. the empty ``?conversation_id=`` cozepy sends (coze-py#308). An error of the application with a
code is HTTP 200 ``{"code", "msg"}`` (``error_resp.go:43-50``), without ``detail``; one without a
code is HTTP 500 ``{"code": 500, "msg": "internal server error"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Envelope, RawBody, Reply
from coze_compat.servers import STUDIO_RELEASE

RELEASE = STUDIO_RELEASE
#: Hertz, the web framework Studio v0.5.1 runs on (``backend/go.mod``: ``github.com/cloudwego/hertz v0.10.2``).
HERTZ = "cloudwego/hertz v0.10.2"


@dataclass(frozen=True)
class Source:
    """Where Studio (or Hertz, ``repo=HERTZ``) does what the fake does: a file, a line, what it says there."""

    path: str
    line: int
    #: Text found on that line (stripped), so a checkout can confirm the citation.
    excerpt: str
    end: int | None = None
    repo: str = f"coze-dev/coze-studio {RELEASE}"

    def __str__(self) -> str:
        lines = f"{self.line}" if self.end is None else f"{self.line}-{self.end}"
        return f"{self.path}:{lines}"


# -- the middleware --------------------------------------------------------------------------------

MIDDLEWARE_ORDER = Source("backend/main.go", 96, "s.Use(middleware.SetLogIDMW())", end=101)
LOGID_SOURCE = Source("backend/api/middleware/log.go", 90, 'c.Header("X-Log-ID", logID)')
LOGID_HEADER = "X-Log-ID"
#: ``ErrUserAuthenticationFailed`` (``backend/types/errno/user.go:25``), "authentication failed: {reason}" (:82).
AUTH_FAILED_CODE = 700012006
AUTH_FAILED_SOURCE = Source("backend/types/errno/user.go", 25, "ErrUserAuthenticationFailed = 700012006")
AUTH_FAILED_TEXT = Source("backend/types/errno/user.go", 82, '"authentication failed: {reason}",')
#: The reasons ``OpenapiAuthMW`` gives (``backend/api/middleware/openapi_auth.go``).
NO_AUTHORIZATION = "missing authorization in header"
NO_AUTHORIZATION_SOURCE = Source(
    "backend/api/middleware/openapi_auth.go",
    124,
    'errorx.New(errno.ErrUserAuthenticationFailed, errorx.KV("reason", "missing authorization in header")))',
)
NO_API_KEY = "missing api_key in request"
NO_API_KEY_SOURCE = Source(
    "backend/api/middleware/openapi_auth.go",
    131,
    'errorx.New(errno.ErrUserAuthenticationFailed, errorx.KV("reason", "missing api_key in request")))',
)
#: An unknown key: the DAO's ``First()`` finds no row, and ``CheckPermission`` wraps the error
#: (``backend/application/openauth/openapiauth.go:228``); the middleware quotes it (openapi_auth.go:142).
UNKNOWN_KEY = "CheckPermission failed"
UNKNOWN_KEY_SOURCE = Source(
    "backend/application/openauth/openapiauth.go", 228, 'return nil, errors.New("CheckPermission failed")'
)
UNKNOWN_KEY_QUOTED = Source(
    "backend/api/middleware/openapi_auth.go",
    142,
    'errorx.New(errno.ErrUserAuthenticationFailed, errorx.KV("reason", err.Error())))',
)
#: ``parseBearerAuthToken`` splits the header on "Bearer" (openapi_auth.go:81).
BEARER_SOURCE = Source("backend/api/middleware/openapi_auth.go", 81, 'parts := strings.Split(authHeader, "Bearer")')

#: The paths ``OpenapiAuthMW`` authenticates by API key (``needAuthPath``, openapi_auth.go:40-62).
OPENAPI_PATHS = frozenset(
    {
        "/v3/chat",
        "/v1/conversations",
        "/v1/conversation/create",
        "/v1/conversation/message/list",
        "/v1/files/upload",
        "/v1/workflow/run",
        "/v1/workflow/stream_run",
        "/v1/workflow/stream_resume",
        "/v1/workflow/get_run_history",
        "/v1/bot/get_online_info",
        "/v1/workflows/chat",
        "/v1/workflow/conversation/create",
        "/v3/chat/cancel",
        "/v1/conversation/retrieve",
        "/v3/chat/retrieve",
        "/v3/chat/message/list",
        "/open_api/knowledge/document/delete",
        "/open_api/knowledge/document/create",
        "/open_api/knowledge/document/update",
        "/open_api/knowledge/document/list",
        "/v1/datasets",
    }
)
OPENAPI_PATHS_SOURCE = Source(
    "backend/api/middleware/openapi_auth.go", 40, "var needAuthPath = map[string]bool{", end=62
)
#: ... and those matching ``needAuthFunc`` (openapi_auth.go:64-75): numeric ids only.
OPENAPI_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"^/v1/conversations/[0-9]+/clear$",
        r"^/v1/bots/[0-9]+$",
        r"^/v1/conversations/[0-9]+$",
        r"^/v1/workflows/[0-9]+$",
        r"^/v1/apps/[0-9]+$",
        r"^/v1/datasets/[0-9]+$",
        r"^/v1/datasets/[0-9]+/images$",
        r"^/v1/datasets/[0-9]+/process$",
    )
)
OPENAPI_PATTERNS_SOURCE = Source(
    "backend/api/middleware/openapi_auth.go", 64, "var needAuthFunc = map[string]bool{", end=75
)

SESSION_REQUIRED = (401, "missing session_key in cookie")
SESSION_SOURCE = Source(
    "backend/api/middleware/session.go", 57, 'httputil.Unauthorized(ctx, "missing session_key in cookie")'
)
#: Hertz combines the global middleware with the NoRoute handlers (``rebuild404Handlers`` in ``Use``).
NOROUTE_MIDDLEWARE_SOURCE = Source("pkg/route/engine.go", 908, "engine.rebuild404Handlers()", repo=HERTZ)
NO_ROUTE = (404, "not found")
NO_ROUTE_SOURCE = Source("backend/api/router/register.go", 78, "ctx.JSON(404, data{", end=81)
BAD_REQUEST_SOURCE = Source(
    "backend/api/internal/httputil/error_resp.go",
    36,
    "c.AbortWithStatusJSON(http.StatusBadRequest, data{Code: http.StatusBadRequest, Msg: errMsg})",
)
CODED_ERROR_SOURCE = Source(
    "backend/api/internal/httputil/error_resp.go",
    48,
    "c.AbortWithStatusJSON(http.StatusOK, data{Code: customErr.Code(), Msg: customErr.Msg()})",
)
INTERNAL_ERROR = (500, "internal server error")
INTERNAL_ERROR_SOURCE = Source(
    "backend/api/internal/httputil/error_resp.go",
    53,
    'c.AbortWithStatusJSON(http.StatusInternalServerError, data{Code: 500, Msg: "internal server error"})',
)
#: ``errorx``'s status error prints itself as ``code=<code> message=<message>`` (a handler that
#: answers ``err.Error()`` in a 400 shows this text).
ERROR_TEXT_SOURCE = Source(
    "backend/pkg/errorx/internal/status.go", 62, 'return fmt.Sprintf("code=%d message=%s", w.statusCode, w.message)'
)

#: Hertz's query binding takes a parameter given with an empty value as present (getter.go:89), and
#: ``LooseZeroMode`` (which would read it as zero) is off by default (config.go:76), so an empty
#: value for an integer field fails to decode.
EMPTY_QUERY_SOURCE = Source(
    "pkg/app/server/binding/internal/decoder/getter.go",
    89,
    "if ret, exist = req.URI().QueryArgs().PeekExists(key); exist {",
    repo=HERTZ,
)
LOOSE_ZERO_SOURCE = Source(
    "pkg/app/server/binding/config.go", 76, "LooseZeroMode:                      false,", repo=HERTZ
)
DECODE_ERROR_SOURCE = Source(
    "pkg/app/server/binding/internal/decoder/base_type_decoder.go",
    133,
    "return fmt.Errorf(\"unable to decode '%s' as %s: %w\", text, d.fieldType.Name(), err)",
    repo=HERTZ,
)


def is_openapi(path: str) -> bool:
    """Whether Studio authenticates ``path`` by API key (else it wants a web session)."""
    return path in OPENAPI_PATHS or any(pattern.match(path) for pattern in OPENAPI_PATTERNS)


# -- replies ---------------------------------------------------------------------------------------


def coded(code: int, msg: str, status: int = 200) -> Envelope:
    """``{"code", "msg"}`` and nothing else, as ``httputil`` writes every error (no ``data``, no ``detail``)."""
    return Envelope(code=code, msg=msg, status=status, with_data=False, with_detail=False)


def auth_failed(reason: str) -> Envelope:
    """``OpenapiAuthMW``'s answer to a request without a known API key (HTTP 200)."""
    return coded(AUTH_FAILED_CODE, f"authentication failed: {reason}")


def bad_request(message: str) -> Envelope:
    """A request the handler cannot bind: HTTP 400 ``{"code": 400, "msg": <the binder's text>}``."""
    return coded(400, message, status=400)


def bind_text(value: str, go_type: str = "int64") -> str:
    """Hertz's text for a query value it cannot decode, e.g. ``unable to decode '' as int64: ...``."""
    return f"unable to decode '{value}' as {go_type}: strconv.ParseInt: parsing {value!r}: invalid syntax".replace(
        f"parsing {value!r}", f'parsing "{value}"'
    )


def error_text(code: int, message: str) -> str:
    """How ``errorx`` prints a coded error, which handlers answering ``err.Error()`` in a 400 show."""
    return f"code={code} message={message}"


def no_route() -> Envelope:
    return coded(*NO_ROUTE, status=404)


def session_required() -> Envelope:
    return coded(*SESSION_REQUIRED, status=401)


def internal_error() -> Envelope:
    return coded(*INTERNAL_ERROR, status=500)


def plain_error(status: int, text: str) -> RawBody:
    """``c.String(status, text)``: a plain-text body, as a few handlers answer their errors."""
    return RawBody(status, text.encode("utf-8"), "text/plain; charset=utf-8")


def not_served_reply(path: str) -> Envelope:
    """What Studio answers for an endpoint it does not have (with a known key): NoRoute's 404 on an
    OpenAPI path, else the session middleware's 401 (see the module docstring)."""
    return no_route() if is_openapi(path) else session_required()


def finish(reply: Reply) -> Reply:
    """A reply as Studio writes it: its JSON replies carry no ``detail`` (``httputil``, Hertz's ``c.JSON``)."""
    if isinstance(reply, Envelope) and reply.with_detail:
        return Envelope(
            data=reply.data,
            code=reply.code,
            msg=reply.msg,
            status=reply.status,
            top=reply.top,
            with_data=reply.with_data,
            with_code=reply.with_code,
            with_detail=False,
        )
    return reply


class LogIds(envelope.LogIds):
    """Deterministic log ids in Studio's shape: ``uuid.New().String()`` (log.go:87), version 4."""

    def next(self) -> str:
        self._count += 1
        return f"00000000-0000-4000-8000-{self._count:012x}"


def with_base_resp(body: dict[str, Any]) -> dict[str, Any]:
    """A reply model whose ``BaseResp`` the handler never sets: Kitex's ``json:"BaseResp"`` writes ``null``."""
    return {**body, "BaseResp": None}


# -- the routes -------------------------------------------------------------------------------------

API_GO = "backend/api/router/coze/api.go"
#: Where a skip "not served by Coze Studio" points: the routes Studio registers (``ROUTES``).
NOT_SERVED_WHERE = f"no route in {API_GO}:474-549"


@dataclass(frozen=True)
class Route:
    """An endpoint of the fake's families as Studio routes it: its method there, and the line."""

    method: str
    source: Source


def _route(method: str, line: int, excerpt: str) -> Route:
    return Route(method, Source(API_GO, line, excerpt))


#: The endpoints of the fake that Studio serves, by the fake's endpoint name (``api.go:474-549``).
#: Every other endpoint of the fake is one Studio does not have.
ROUTES: dict[str, Route] = {
    "bots.retrieve": _route(
        "GET", 493, '_bot0.GET("/get_online_info", append(_getbotonlineinfoMw(), coze.GetBotOnlineInfo)...)'
    ),
    "bots.retrieve_v2": _route(
        "GET", 497, '_bots.GET("/:bot_id", append(_opengetbotinfoMw(), coze.OpenGetBotInfo)...)'
    ),
    "chat.create": _route("POST", 538, '_v3.POST("/chat", append(_chatv3Mw(), coze.ChatV3)...)'),
    # GET only: cozepy's POST gets NoRoute's 404 (HandleMethodNotAllowed is off).
    "chat.retrieve": _route(
        "GET", 541, '_chat.GET("/retrieve", append(_retrievechatopenMw(), coze.RetrieveChatOpen)...)'
    ),
    "chat.cancel": _route("POST", 540, '_chat.POST("/cancel", append(_cancelchatapiMw(), coze.CancelChatApi)...)'),
    "chat.messages.list": _route(
        "GET", 546, '_message0.GET("/list", append(_listchatmessageapiMw(), coze.ListChatMessageApi)...)'
    ),
    "conversations.create": _route(
        "POST", 501, '_conversation0.POST("/create", append(_createconversationMw(), coze.CreateConversation)...)'
    ),
    "conversations.retrieve": _route(
        "GET",
        502,
        '_conversation0.GET("/retrieve", append(_retrieveconversationapiMw(), coze.RetrieveConversationApi)...)',
    ),
    "conversations.list": _route(
        "GET", 475, '_v1.GET("/conversations", append(_listconversationsapiMw(), coze.ListConversationsApi)...)'
    ),
    "conversations.update": _route(
        "PUT",
        478,
        '_conversations.PUT("/:conversation_id", append(_updateconversationapiMw(), coze.UpdateConversationApi)...)',
    ),
    "conversations.delete": _route(
        "DELETE",
        477,
        '_conversations.DELETE("/:conversation_id", append(_deleteconversationapiMw(), coze.DeleteConversationApi)...)',
    ),
    "conversations.clear": _route(
        "POST", 512, '_conversation_id.POST("/clear", append(_clearconversationapiMw(), coze.ClearConversationApi)...)'
    ),
    "conversations.messages.list": _route(
        "POST", 505, '_message.POST("/list", append(_getapimessagelistMw(), coze.GetApiMessageList)...)'
    ),
    "files.upload": _route("POST", 517, '_files.POST("/upload", append(_uploadfileopenMw(), coze.UploadFileOpen)...)'),
    "workflows.runs.create": _route(
        "POST", 522, '_workflow.POST("/run", append(_openapirunflowMw(), coze.OpenAPIRunFlow)...)'
    ),
    "workflows.runs.stream": _route(
        "POST", 524, '_workflow.POST("/stream_run", append(_openapistreamrunflowMw(), coze.OpenAPIStreamRunFlow)...)'
    ),
    "workflows.runs.resume": _route(
        "POST",
        523,
        '_workflow.POST("/stream_resume", append(_openapistreamresumeflowMw(), coze.OpenAPIStreamResumeFlow)...)',
    ),
    "workflows.chat.stream": _route(
        "POST", 532, '_workflows.POST("/chat", append(_openapichatflowrunMw(), coze.OpenAPIChatFlowRun)...)'
    ),
    # Studio's own run history (no cozepy release calls it): the fake serves it for completeness.
    "workflows.get_run_history": _route(
        "GET",
        521,
        '_workflow.GET("/get_run_history", append(_openapigetworkflowrunhistoryMw(), coze.OpenAPIGetWorkflowRunHistory)...)',  # noqa: E501 (a quoted source line)
    ),
}


# -- the handlers' answers ---------------------------------------------------------------------------
#
# The families answer as the hosted service does; ``adapt`` turns their answer into the one Studio's
# handler writes for the same state (each rule with its source). A test's own ``reply=`` is sent as
# given (without ``detail``): it pins what a release does with that body.

#: The integer query parameters each endpoint binds (Hertz): an empty value is HTTP 400 (see
#: ``EMPTY_QUERY_SOURCE``). ``conversation_id`` of ``/v3/chat`` is ``*int64`` (run.go:5122), those of
#: retrieve and the message lists int64 (run.go:10134-10137, message.go:8813-8817, conversation.go).
INT_QUERY: dict[str, tuple[str, ...]] = {
    "chat.create": ("conversation_id",),
    "chat.retrieve": ("conversation_id", "chat_id"),
    "chat.messages.list": ("conversation_id", "chat_id"),
    "conversations.retrieve": ("conversation_id",),
    "conversations.list": ("bot_id",),
    "conversations.messages.list": ("conversation_id",),
    "bots.retrieve": ("bot_id",),
}
INT_QUERY_SOURCE = Source(
    "backend/api/model/conversation/run/run.go",
    5122,
    'ConversationID *int64 `thrift:"ConversationID,2,optional" json:"ConversationID,string,omitempty" query:"conversation_id"`',  # noqa: E501 (a quoted source line)
)

#: ``ChatV3`` answers a blocking chat at the run's first event: ``created`` (openapi_agent_run.go:585-633),
#: with the times it has not reached as 0 (run.go:8664-8676); no ``usage``, no ``last_error``.
BLOCKING_CREATED_SOURCE = Source(
    "backend/application/conversation/openapi_agent_run.go", 598, "case entity.RunEventCreated:", end=633
)
#: Studio's chat statuses (``backend/domain/conversation/agentrun/entity/const.go:24-31``).
STATUS_SPELLING = {"canceled": "cancelled", "requires_action": "required_action"}
#: The chat stream's end: ``conversation.stream.done`` with empty data (build_chunk_event.go:27-31).
STREAM_DONE = "conversation.stream.done"
STREAM_DONE_SOURCE = Source(
    "backend/application/conversation/build_chunk_event.go",
    27,
    "func buildDoneEvent(event string) *sse.Event {",
    end=31,
)
#: ``conversation.chat.completed`` is built without usage (message_builder.go:548-557).
NO_STREAM_USAGE_SOURCE = Source(
    "backend/domain/conversation/agentrun/internal/message_builder.go",
    548,
    "func buildSendRunRecord(_ context.Context, runRecord *entity.RunRecordMeta, runStatus entity.RunStatus) *entity.ChunkRunItem {",  # noqa: E501 (a quoted source line)
    end=557,
)
#: A failed run streams ``event:error {"code","msg"}`` and ends (run_process_event.go:92-118).
STREAM_ERROR_SOURCE = Source(
    "backend/domain/conversation/agentrun/internal/run_process_event.go",
    92,
    "func (r *RunProcess) StepToFailed(ctx context.Context, srRecord *entity.ChunkRunItem, sw *schema.StreamWriter[*entity.AgentRunResponse]) {",  # noqa: E501 (a quoted source line)
    end=118,
)
#: ``/v3/chat/message/list`` answers under ``Messages`` (message.go:9064-9068: the IDL's ``agw.key="data"``
#: is not read by Hertz), every message of the run, the question too, oldest first (openapi_agent_run.go:495-520).
MESSAGES_KEY_SOURCE = Source("backend/api/model/conversation/message/message.go", 9065, 'json:"Messages,omitempty"')
#: ``/v1/conversation/retrieve`` answers under ``ConversationData`` (conversation.go:5064-5068), the
#: creator under ``creator_d`` (conversation.go:1047).
CONVERSATION_DATA_SOURCE = Source(
    "backend/api/model/conversation/conversation/conversation.go", 5065, 'json:"ConversationData,omitempty"'
)
CREATOR_D_SOURCE = Source(
    "backend/api/model/conversation/conversation/conversation.go", 1047, 'json:"creator_d,string,omitempty"'
)
#: A conversation without meta data answers ``meta_data: null`` (conversation.go:147-154,169-179,213-223).
NULL_META_SOURCE = Source(
    "backend/application/conversation/conversation.go", 152, "MetaData:      parseExt(conversationData.Ext),", end=179
)
#: ``conversations: null`` for none (dao.go:178-180).
NULL_LIST_SOURCE = Source(
    "backend/domain/conversation/conversation/internal/dal/dao.go", 178, "if len(poList) == 0 {", end=180
)
#: An empty message page: no ``data`` (omitempty), ``first_id``/``last_id`` ``"0"``
#: (openapi_message.go:139-144; coze-studio#776).
EMPTY_PAGE_SOURCE = Source(
    "backend/application/conversation/openapi_message.go", 142, "FirstID:  ptr.Of(mListMessages.PrevCursor),", end=143
)
#: The workflow ``Interrupt``: ``{debug_url, interrupt_data}``, no ``node_title`` (workflow.go:1447-1470).
INTERRUPT_SOURCE = Source(
    "backend/application/workflow/workflow.go", 1447, "case entity.WorkflowInterrupted:", end=1470
)
#: A sync run answers ``token`` and ``cost``, ``msg: null``, no ``usage`` (workflow.go model 72246-72258).
RUN_REPLY_SOURCE = Source(
    "backend/api/model/workflow/workflow.go", 72246, "type OpenAPIRunFlowResponse struct {", end=72258
)
#: A stream whose run cannot start: the SSE writer has hijacked the reply, so the JSON error is lost:
#: HTTP 200, a JSON content type, no body (workflow_service.go:1016-1027).
LOST_STREAM_ERROR_SOURCE = Source(
    "backend/api/handler/coze/workflow_service.go", 1016, "w := sse.NewWriter(c)", end=1027
)
#: ``get_online_info`` answers the bot itself, not an envelope (bot_open_api_service.go:106-112).
BARE_BOT_SOURCE = Source(
    "backend/api/handler/coze/bot_open_api_service.go",
    106,
    "resp, err := singleagent.SingleAgentSVC.GetAgentOnlineInfo(ctx, &req)",
    end=112,
)

#: Studio's "not found" per family (errno/conversation.go:25; single_agent.go:702-705; errno/workflow.go).
CONVERSATION_NOT_FOUND = (103000002, "conversation not found")
CONVERSATION_NOT_FOUND_SOURCE = Source(
    "backend/types/errno/conversation.go", 25, "ErrConversationNotFound         = 103000002"
)
AGENT_NOT_FOUND = (100000003, "unauthorized access : agent not exist")
AGENT_NOT_FOUND_SOURCE = Source(
    "backend/application/singleagent/single_agent.go", 702, "if agentInfo == nil {", end=705
)
#: ``/v3/chat`` with an unknown bot: HTTP 400 with the error's text (agent_run_service.go:113-137).
CHAT_AGENT_NOT_FOUND = (103100002, "agent not exists")
#: ... and streaming, the error as the stream's only event, ``ErrConversationAgentRunError`` with the
#: error's text (agent_run_service.go:126-136; openapi_agent_run.go:131-145).
STREAM_AGENT_NOT_FOUND = (103100001, "code=103100002 message=agent not exists")
STREAM_AGENT_NOT_FOUND_SOURCE = Source(
    "backend/api/handler/coze/agent_run_service.go", 129, "Code: errno.ErrConversationAgentRunError,", end=136
)
CHAT_AGENT_NOT_FOUND_SOURCE = Source(
    "backend/api/handler/coze/agent_run_service.go", 115, "invalidParamRequestResponse(c, err.Error())"
)
#: An unknown chat on retrieve: ``c.String(500, err.Error())``, plain text (agent_run_service.go:222-226).
CHAT_NOT_FOUND_TEXT = "record not found"
CHAT_NOT_FOUND_SOURCE = Source(
    "backend/api/handler/coze/agent_run_service.go", 224, "c.String(consts.StatusInternalServerError, err.Error())"
)


def empty_int_query(endpoint: str, query: Mapping[str, Sequence[str]]) -> str | None:
    """Hertz's bind error for an integer query parameter sent with an empty value (``None``: none)."""
    for name in INT_QUERY.get(endpoint, ()):
        if "" in query.get(name, []):
            return bind_text("")
    return None


def _chat(chat: dict[str, Any], *, usage: bool) -> dict[str, Any]:
    """A Chat object as Studio writes it (run.go:8664-8676; openapi_agent_run.go:407-428)."""
    keys: tuple[str, ...] = ("id", "conversation_id", "bot_id", "created_at", "section_id")
    shaped: dict[str, Any] = {key: chat[key] for key in keys if key in chat}
    shaped["completed_at"] = chat.get("completed_at") or 0
    shaped["failed_at"] = chat.get("failed_at") or 0
    status = str(chat.get("status", ""))
    shaped["status"] = STATUS_SPELLING.get(status, status)
    if usage and chat.get("usage"):
        shaped["usage"] = chat["usage"]
    return shaped


def _message(message: dict[str, Any]) -> dict[str, Any]:
    """A chat stream's Message: no ``updated_at``, ``meta_data`` only when set (run.go:5987-6000)."""
    shaped = {key: value for key, value in message.items() if key != "updated_at"}
    if not shaped.get("meta_data"):
        shaped.pop("meta_data", None)
    shaped.setdefault("reasoning_content", "")
    return shaped


def _conversation(conversation: dict[str, Any], *, creator: bool = False) -> dict[str, Any]:
    """A Conversation as Studio writes it: ``meta_data`` null when unset, no ``updated_at`` or
    ``creator_id`` (conversation.go:1043-1052); retrieve adds ``name`` and ``creator_d``."""
    keys = ("id", "created_at", "connector_id", "last_section_id") + (("name",) if creator else ())
    shaped = {key: conversation[key] for key in keys if key in conversation}
    shaped["meta_data"] = conversation.get("meta_data") or None
    if creator and "creator_id" in conversation:
        shaped["creator_d"] = conversation["creator_id"]
    return shaped


def _chat_stream(events: tuple[Any, ...]) -> tuple[Any, ...]:
    from coze_compat.fake.sse import SSEEvent

    shaped: list[SSEEvent] = []
    for event in events:
        name = event.event
        if name == "done":
            shaped.append(SSEEvent(STREAM_DONE, ""))
        elif name == "conversation.chat.failed":
            code, msg = (
                (event.data.get("last_error") or {}).get("code", 0),
                (event.data.get("last_error") or {}).get("msg", ""),
            )
            return (*shaped, SSEEvent("error", {"code": code, "msg": msg}))
        elif name.startswith("conversation.chat."):
            status = name.rsplit(".", 1)[1]
            name = "conversation.chat." + STATUS_SPELLING.get(status, status)
            shaped.append(SSEEvent(name, _chat(event.data, usage=False), event.id))
        elif name.startswith("conversation.message.") and isinstance(event.data, dict):
            shaped.append(SSEEvent(name, _message(event.data), event.id))
        else:
            shaped.append(event)
    return tuple(shaped)


def _workflow_stream(events: tuple[Any, ...]) -> tuple[Any, ...]:
    from coze_compat.fake.sse import SSEEvent

    shaped: list[SSEEvent] = []
    for event in events:
        data = event.data
        if event.event == "Interrupt" and isinstance(data, dict):
            data = {"debug_url": data.get("debug_url", ""), "interrupt_data": data.get("interrupt_data")}
        elif event.event == "Message" and isinstance(data, dict):
            data = {key: value for key, value in data.items() if key != "usage"}
        shaped.append(SSEEvent(event.event, data, event.id))
    return tuple(shaped)


def _is_not_found(reply: Reply) -> bool:
    return isinstance(reply, Envelope) and reply.code == envelope.NOT_FOUND[0]


def adapt(
    endpoint: str,
    reply: Reply,
    request_body: Any,
    query: Mapping[str, Sequence[str]],
    messages_of: Callable[[str], list[dict[str, Any]]],
) -> Reply:
    """The answer of Studio's handler of ``endpoint`` where the hosted family answered ``reply``.

    ``messages_of(chat_id)`` gives a chat's messages, the question first (for ``/v3/chat/message/list``).
    """
    import dataclasses as _dc

    from coze_compat.fake.sse import EventStream

    streaming = isinstance(request_body, dict) and request_body.get("stream") is True
    if _is_not_found(reply):
        if endpoint == "chat.create" and "bot_id" in str(getattr(reply, "msg", "")):
            if streaming:
                return EventStream((_sse_error(*STREAM_AGENT_NOT_FOUND),))
            return bad_request(error_text(*CHAT_AGENT_NOT_FOUND))
        if endpoint == "chat.retrieve":
            return plain_error(500, CHAT_NOT_FOUND_TEXT)
        if endpoint == "chat.messages.list":
            return RawBody(500, b"", None)  # a nil dereference, recovered by Hertz (openapi_agent_run.go:486-493)
        if endpoint.startswith(("chat.", "conversations.")):
            return coded(*CONVERSATION_NOT_FOUND)
        if endpoint.startswith("bots."):
            return coded(*AGENT_NOT_FOUND)
        if endpoint in ("workflows.runs.stream", "workflows.runs.resume", "workflows.chat.stream"):
            return RawBody(200, b"", envelope.JSON_TYPE)
        return finish(reply)
    if isinstance(reply, EventStream) and reply.raw is None:
        if endpoint == "chat.create":
            return _dc.replace(reply, events=_chat_stream(reply.events))
        if endpoint.startswith("workflows."):
            return _dc.replace(reply, events=_workflow_stream(reply.events))
        return reply
    if not isinstance(reply, Envelope) or reply.code != 0:
        return finish(reply)
    data = reply.data
    if endpoint == "chat.create" and isinstance(data, dict):
        created = {**data, "status": "created", "completed_at": 0, "failed_at": 0}
        return Envelope(data=_chat(created, usage=False), top={"BaseResp": None}, with_detail=False)
    if endpoint in ("chat.retrieve", "chat.cancel") and isinstance(data, dict):
        return Envelope(data=_chat(data, usage=True), top={"BaseResp": None}, with_detail=False)
    if endpoint == "chat.messages.list":
        chat_id = (query.get("chat_id") or [""])[0]
        listed = [_message(message) for message in messages_of(chat_id)]
        return Envelope(with_data=False, top={"Messages": listed, "BaseResp": None}, with_detail=False)
    if endpoint == "conversations.create" and isinstance(data, dict):
        return Envelope(data=_conversation(data), with_detail=False)
    if endpoint == "conversations.retrieve" and isinstance(data, dict):
        shaped = _conversation(data, creator=True)
        return Envelope(with_data=False, top={"ConversationData": shaped, "BaseResp": None}, with_detail=False)
    if endpoint == "conversations.list" and isinstance(data, dict):
        items = [_conversation(item) for item in data.get("conversations") or []]
        return Envelope(
            data={"conversations": items or None, "has_more": data.get("has_more", False)}, with_detail=False
        )
    if endpoint == "conversations.messages.list" and reply.with_data and not data:
        top = {**reply.top, "first_id": "0", "last_id": "0"}
        return Envelope(with_data=False, top=top, with_detail=False)
    if endpoint == "bots.retrieve" and isinstance(data, dict):
        return BareJSON(data)
    if endpoint == "workflows.runs.create" and reply.with_data:
        top = {key: value for key, value in reply.top.items() if key != "usage"}
        usage = reply.top.get("usage") or {}
        top.update({"token": usage.get("token_count", 0), "cost": "0.00000", "BaseResp": None})
        return Envelope(data=data, msg=None, top=top, with_detail=False)  # type: ignore[arg-type]
    return finish(reply)


def _sse_error(code: int, msg: str) -> Any:
    from coze_compat.fake.sse import SSEEvent

    return SSEEvent("error", {"code": code, "msg": msg})


@dataclass(frozen=True)
class BareJSON(Reply):
    """A JSON object that is not an envelope (``get_online_info``'s bot, ``BARE_BOT_SOURCE``)."""

    body: Any

    def to_response(self, logid: str) -> Any:
        import json

        import httpx

        content = json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        return httpx.Response(200, content=content, headers={"content-type": envelope.JSON_TYPE, LOGID_HEADER: logid})
