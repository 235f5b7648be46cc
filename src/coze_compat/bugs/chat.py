"""Bugs of chat, streams and conversations (US4), and of the stream reader they share with workflows."""

from __future__ import annotations

from coze_compat.bugs import Bug

MESSAGE_LIST_POST = Bug(
    "chat-messages-post",
    "a chat's messages cannot be fetched (and `create_and_poll` fails at its last step)",
    "<0.7.0",
    "`ChatMessagesClient.list` (chat/message/__init__.py) sends POST /v3/chat/message/list; the endpoint is GET "
    "(the docs)",
    fixed_by="coze-dev/coze-py#100",
)
SYNC_CONVERSATION_IN_BODY = Bug(
    "chat-conversation-in-body",
    "a chat in an existing conversation starts a new one: the context is lost",
    "<0.6.2",
    "`ChatClient._create` (chat/__init__.py) sends `conversation_id` in the JSON body; the service reads it only "
    "from the query (the docs)",
    fixed_by="coze-dev/coze-py#95",
)
ASYNC_CONVERSATION_IN_BODY = Bug(
    "async-chat-conversation-in-body",
    "through AsyncCoze, a chat in an existing conversation starts a new one: the context is lost",
    ">=0.3.0,<0.8.0",
    "`AsyncChatClient._create` (chat/__init__.py) sends `conversation_id` in the JSON body; the service reads it "
    "only from the query (the docs); 0.6.2 fixed the sync client only",
    fixed_by="coze-dev/coze-py#126",
)
SYNC_STREAM_BUFFERED = Bug(
    "sync-stream-buffered",
    "nothing streams: the whole event stream is read before the first event, and a dropped connection loses it all",
    ">=0.4.0,<0.6.0",
    "`Requester.send` (request.py) calls `sync_client.send(..., stream=False)` for every request, so httpx reads "
    "the whole event stream before `chat.stream` yields the first event",
    fixed_by="coze-dev/coze-py#87",
)
STREAM_ERROR_UNCHECKED = Bug(
    "stream-error-unchecked",
    "an error reply to a stream request is not raised as CozeAPIError but surfaces while iterating, as an "
    "invalid-event error naming the JSON",
    "<0.6.0",
    "`Requester.request` (0.2.0, 0.3.0) and `Requester._parse_response` (0.4.0, 0.5.0) in request.py hand every "
    "stream response to the event reader without looking at its content type",
    fixed_by="coze-dev/coze-py#86",
    reported=("coze-dev/coze-py#78",),
)
STREAM_ERROR_NOT_READ = Bug(
    "stream-error-not-read",
    "an error reply to a stream request raises httpx.ResponseNotRead instead of CozeAPIError",
    "==0.6.0",
    "`Requester._parse_requests_code_msg` (request.py) calls `response.json()` on the streamed reply without "
    "reading it first",
    fixed_by="coze-dev/coze-py#90",
)
ASYNC_STREAM_ERROR_SYNC_READ = Bug(
    "async-stream-error-sync-read",
    "through AsyncCoze, an error reply to a stream request raises httpx.ResponseNotRead instead of CozeAPIError",
    ">=0.6.1,<0.17.0",
    "`Requester._parse_requests_code_msg` (request.py) reads the reply with the sync `response.read()`, which "
    "fails on httpx's async stream (RuntimeError), then reads `response.text` in its except clause",
    fixed_by="coze-dev/coze-py#279 (`await response.aread()`)",
)
UNKNOWN_EVENT_ENDS_STREAM = Bug(
    "unknown-event-ends-stream",
    "an event type the SDK does not know (a new chat event, a workflow `PING` heartbeat) ends the stream with "
    "ValueError",
    "<0.16.2",
    "`_chat_stream_handler` (chat/__init__.py) and `_workflow_stream_handler` (workflows/runs/__init__.py) raise "
    "ValueError('invalid ...event: ...') for any event they do not know; 0.16.2 hands it over as `UNKNOWN`",
    fixed_by="coze-dev/coze-py#250",
)

CHAT_FAILED_ERROR_LOST = Bug(
    "chat-failed-error-lost",
    "a failed chat's error is discarded: the caller sees status failed and never learns why",
    "<0.4.0",
    "`Chat` (chat/__init__.py) declares no `last_error`, so pydantic drops the `{code, msg}` the service sends with "
    "a failed chat (blocking retrieve and the `conversation.chat.failed` event)",
    fixed_by="coze-dev/coze-py#67",
    capability="chat_last_error",
)
CHAT_FAILED_RAISES = Bug(
    "chat-failed-raises",
    "a stream that ends in `conversation.chat.failed` raises CozeAPIError instead of handing the failed chat over",
    "==0.4.0",
    "`_chat_stream_handler` (chat/__init__.py) raises `CozeAPIError(last_error.code, last_error.msg, logid)` for a "
    "`conversation.chat.failed` event whose `last_error.code` > 0 (#67's handling), so the caller's loop ends in an "
    "exception and never sees the failed Chat; 0.5.0 returns the event again",
    fixed_by="coze-dev/coze-py#70",
)
OBJECT_STRING_AS_TEXT = Bug(
    "object-string-as-text",
    "a question built from objects (text and an image or file) reaches the bot as JSON text: it never sees the file",
    "==0.5.0",
    "`Message.build_user_question_objects` (chat/__init__.py) serialises the objects into `content` but sets "
    "`content_type=MessageContentType.TEXT` instead of `OBJECT_STRING`, so the service takes the array as plain text",
    fixed_by="coze-dev/coze-py#85",
    reported=("coze-dev/coze-py#84",),
)
TOOL_CALL_ARGUMENT = Bug(
    "tool-call-argument",
    "a chat that waits for tool outputs (`requires_action`) cannot be read: pydantic rejects every tool call",
    "==0.6.0",
    "`ChatToolCallFunction` (chat/__init__.py) declares a required `argument: str`; the service sends `arguments`, "
    "so validating `required_action.submit_tool_outputs.tool_calls[].function` fails (Field required: argument)",
    fixed_by="coze-dev/coze-py#91",
)
CANCELED_STATUS_UNKNOWN = Bug(
    "canceled-status-unknown",
    "a canceled chat cannot be read: retrieving it (or the cancel's own answer) raises pydantic's ValidationError",
    "<0.7.0",
    "`ChatStatus` (chat/__init__.py) is a plain `str, Enum` without `canceled`, the status the service gives a chat "
    "after `/v3/chat/cancel` (DOC:chat_cancel), so `Chat.status` rejects it; 0.7.0 added `ChatStatus.CANCELED`",
    fixed_by="coze-dev/coze-py#120",
)
CANCEL_IN_QUERY = Bug(
    "chat-cancel-in-query",
    "`chat.cancel` is rejected with 4000, so a chat cannot be canceled (also `create_and_poll`'s timeout path)",
    "<0.8.0",
    "`ChatClient.cancel` and `AsyncChatClient.cancel` (chat/__init__.py) send `conversation_id` and `chat_id` as "
    "query parameters (`params=`); the service reads them from the JSON body (DOC:chat_cancel)",
    fixed_by="coze-dev/coze-py#128",
)
REPLY_MESSAGE_UNKNOWN = Bug(
    "tool-call-reply-message-unknown",
    "a chat whose workflow question node waits for an answer (a `reply_message` tool call) cannot be read",
    ">=0.6.0,<0.13.1",
    "`ChatToolCallType` (chat/__init__.py) knows only `function`; the documented `reply_message` tool call type "
    "(DOC:chat_v3 `required_action`) fails validation, so the requires_action Chat or event raises ValidationError",
    fixed_by="coze-dev/coze-py#206",
)
CANCEL_RACE = Bug(
    "create-and-poll-cancel-race",
    "`create_and_poll(poll_timeout=...)` raises CozeAPIError 4104 when the chat finishes just before its timeout "
    "cancel, losing the answer",
    ">=0.5.0,<0.16.2",
    "`ChatClient.create_and_poll` (chat/__init__.py) calls `self.cancel(...)` once the timeout has passed and lets "
    "the service's 4104 (the chat is no longer in progress, so it cannot be canceled) propagate; 0.16.2 catches "
    "4104, retrieves the chat again and goes on polling",
    fixed_by="coze-dev/coze-py#244",
)
UNKNOWN_ENUM_REJECTED = Bug(
    "unknown-enum-rejected",
    "a value the service adds to a server-controlled enum (a chat status, a message type, role or content type) "
    "makes the chat, the message or the stream event unreadable",
    "<0.17.0",
    "the chat enums (`ChatStatus`, `MessageRole`, `MessageType`, `MessageContentType`, `ChatToolCallType`... in "
    "chat/__init__.py) are plain `str, Enum`, so pydantic raises ValidationError on any value they do not list "
    "(e.g. the `knowledge` message of DOC:chat_v3's stream sample); 0.17.0 made them `DynamicStrEnum` (model.py), "
    "which warns `Unknown <Enum> value: ...` and keeps the value",
    fixed_by="coze-dev/coze-py#270",
)
USAGE_KEYS_REQUIRED = Bug(
    "chat-usage-keys-required",
    "a chat whose `usage` leaves a count out (`{}`) cannot be read",
    ">=0.6.0,<0.10.0",
    "`ChatUsage` (chat/__init__.py) declares `token_count`, `output_count` and `input_count` as required ints; the "
    "service may send `usage` without some (`\"usage\": {}` in DOC:chat_cancel's and chat_submit_tool_outputs' "
    "examples; Coze Studio leaves zero counts out, `omitempty`), which fails validation; 0.10.0 gave each a "
    "default of 0",
    fixed_by="coze-dev/coze-py#156",
)
EMPTY_MESSAGE_LIST = Bug(
    "chat-messages-empty-list",
    "the messages of a chat that has none (it failed or was canceled before the bot answered) cannot be listed: "
    "`create_and_poll` of a failed chat raises ValidationError (`input_value='code'`) instead of returning the "
    "failed chat with its `last_error`",
    ">=0.2.0",
    "the service answers an empty message list with the envelope and no `data`; `Requester._parse_requests_code_msg` "
    "(request.py; `_format_requests_code_msg` since 0.17.0) then returns the whole body as the data, and the list "
    "parser validates each of its keys as a Message (`Message.model_validate('code')`); `create_and_poll` "
    "(chat/__init__.py) lists the messages whatever the chat's status",
    reported=("coze-dev/coze-py#203", "coze-dev/coze-py#290", "coze-dev/coze-py#425"),
)
BUGS: tuple[Bug, ...] = (
    MESSAGE_LIST_POST,
    SYNC_CONVERSATION_IN_BODY,
    ASYNC_CONVERSATION_IN_BODY,
    SYNC_STREAM_BUFFERED,
    STREAM_ERROR_UNCHECKED,
    STREAM_ERROR_NOT_READ,
    ASYNC_STREAM_ERROR_SYNC_READ,
    UNKNOWN_EVENT_ENDS_STREAM,
    CHAT_FAILED_ERROR_LOST,
    CHAT_FAILED_RAISES,
    OBJECT_STRING_AS_TEXT,
    TOOL_CALL_ARGUMENT,
    CANCELED_STATUS_UNKNOWN,
    CANCEL_IN_QUERY,
    REPLY_MESSAGE_UNKNOWN,
    CANCEL_RACE,
    UNKNOWN_ENUM_REJECTED,
    USAGE_KEYS_REQUIRED,
    EMPTY_MESSAGE_LIST,
)
