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

BUGS: tuple[Bug, ...] = (
    MESSAGE_LIST_POST,
    SYNC_CONVERSATION_IN_BODY,
    ASYNC_CONVERSATION_IN_BODY,
    SYNC_STREAM_BUFFERED,
    STREAM_ERROR_UNCHECKED,
    STREAM_ERROR_NOT_READ,
    ASYNC_STREAM_ERROR_SYNC_READ,
    UNKNOWN_EVENT_ENDS_STREAM,
)
