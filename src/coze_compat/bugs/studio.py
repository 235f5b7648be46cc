"""Breaks only Coze Studio's answers show: a release offers the call and fails against Studio's handler.

Each bug names both causes: the SDK's code (``cause``: the function and file of the release) and
Studio's (``server_cause``: what its handler does, file and line at ``servers.STUDIO_RELEASE``, v0.5.1;
``coze_compat.fake.studio`` answers the same, citing the same lines). They show in the Studio cells
only (``server="coze-studio"``, ``tests(studio-py3.11-cozepyX)``); the yardstick judges them there.
The story tests stay server-blind: each bug names the tests its answers break (``Bug.tests``, found
by running every release against the Studio flavour), and the pytest plugin marks them as known
breaks of it in the Studio cells, as ``@pytest.mark.known_break`` does.

``HOSTED_ANSWERS``: story tests that pin an answer only the hosted service gives (its error codes and
statuses, a blocking chat ``in_progress``): Studio answers the same request otherwise, by design, so
in the Studio cells they are skipped as *not served*, with Studio's answer and its source, as a test
of an endpoint Studio lacks is (``not served by Coze Studio v0.5.1: GET /v1/bots (...)``).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from coze_compat.bugs import Bug
from coze_compat.servers import STUDIO

CHAT = "tests/us4_chat/test_chat_client.py::"
CONVERSATIONS = "tests/us4_chat/test_conversations.py::"
CONNECTIONS = "tests/us2_client/test_connections.py::"
WORKFLOWS = "tests/us5_workflows/"

EMPTY_CONVERSATION_ID = Bug(
    "empty-conversation-id-query",
    "a chat without a conversation fails on Coze Studio: cozepy sends `?conversation_id=` (empty), Studio answers "
    "HTTP 400",
    ">=0.6.2",
    "`ChatClient._create` (chat/__init__.py, since 0.6.2) builds "
    '`params={"conversation_id": conversation_id if conversation_id else None}`, and httpx renders a `None` '
    "parameter as an empty value (`?conversation_id=`)",
    server=STUDIO,
    server_cause="Hertz's binder takes an empty query value as present (hertz v0.10.2 "
    "pkg/app/server/binding/internal/decoder/getter.go:89, LooseZeroMode off: config.go:76) and fails to decode "
    "it as the `*int64` `ConversationID` (backend/api/model/conversation/run/run.go:5122): HTTP 400 "
    "`unable to decode '' as int64` (backend/api/internal/httputil/error_resp.go:36)",
    reported=("coze-dev/coze-py#308",),
    tests=(
        CHAT + "TestChatLifecycle::test_blocking_chat_fails",
        CHAT + "TestChatLifecycle::test_cancel_chat_in_progress",
        CHAT + "TestChatLifecycle::test_cancel_finished_chat_is_refused",
        CHAT + "TestChatLifecycle::test_create_and_poll_stops_at_requires_action",
        CHAT + "TestChatLifecycle::test_create_and_poll_timeout_cancels",
        CHAT + "TestChatLifecycle::test_create_and_poll_timeout_race",
        CHAT + "TestChatLifecycle::test_retrieve_canceled_chat",
        CHAT + "TestChatLifecycle::test_stream_ends_with_canceled_chat",
        CHAT + "TestChatLifecycle::test_stream_ends_with_failed_chat",
        CHAT + "TestChatLifecycle::test_stream_waits_for_a_reply_message",
        CHAT + "TestChatOperations::test_create_and_poll",
        CHAT + "TestChatOperations::test_create_and_poll_token_usage",
        CHAT + "TestChatOperations::test_create_chat_blocking",
        CHAT + "TestChatOperations::test_create_chat_streaming[*]",
        CHAT + "TestChatOperations::test_list_chat_messages",
        CHAT + "TestChatOperations::test_retrieve_chat_until_completed",
        CHAT + "TestChatOperations::test_stream_chat_events",
        CHAT + "TestChatOperations::test_streaming_message_accumulation[*]",
        CHAT + "TestChatOperations::test_token_usage_extraction",
        CHAT + "TestChatStreamFailures::test_stream_comment_line",
        CHAT + "TestChatStreamFailures::test_stream_delivers_events_as_they_arrive",
        CHAT + "TestChatStreamFailures::test_stream_dropped_connection",
        CHAT + "TestChatStreamFailures::test_stream_error_event",
        CHAT + "TestChatStreamFailures::test_stream_invalid_json",
        CHAT + "TestChatStreamFailures::test_stream_survives_unknown_event",
        CHAT + "TestChatStreamFailures::test_unknown_event_is_handed_over",
        CHAT + "TestChatWireForms::test_new_chat_query[*]",
        CHAT + "TestChatWireForms::test_question_built_from_objects",
        CHAT + "TestChatWireForms::test_question_of_objects_by_hand",
        CHAT + "TestChatWireForms::test_stream_value_the_release_does_not_know[*]",
        CONNECTIONS + "TestChatStreamConnections::test_chat_stream_done_releases_connection",
    ),
)
ASYNC_EMPTY_CONVERSATION_ID = Bug(
    "async-empty-conversation-id-query",
    "through AsyncCoze, a chat without a conversation fails on Coze Studio: `?conversation_id=` (empty) is HTTP 400",
    ">=0.8.0",
    "`AsyncChatClient._create` (chat/__init__.py, since 0.8.0, coze-dev/coze-py#126) builds the same "
    '`params={"conversation_id": conversation_id if conversation_id else None}` the sync client has since 0.6.2',
    server=STUDIO,
    server_cause=EMPTY_CONVERSATION_ID.server_cause,
    reported=("coze-dev/coze-py#308",),
    tests=(
        CHAT + "TestChatLifecycle::test_async_blocking_chat_fails",
        CHAT + "TestChatLifecycle::test_async_cancel_chat_in_progress",
        CHAT + "TestChatLifecycle::test_async_cancel_finished_chat_is_refused",
        CHAT + "TestChatLifecycle::test_async_stream_ends_with_failed_chat",
        CHAT + "TestChatOperations::test_async_create_chat",
        CHAT + "TestChatOperations::test_async_create_chat_streaming[*]",
        CHAT + "TestChatOperations::test_async_retrieve_chat_until_completed",
        CHAT + "TestChatStreamFailures::test_async_stream_comment_line",
        CHAT + "TestChatStreamFailures::test_async_stream_delivers_events_as_they_arrive",
        CHAT + "TestChatStreamFailures::test_async_stream_dropped_connection",
        CHAT + "TestChatStreamFailures::test_async_stream_error_event",
        CHAT + "TestChatWireForms::test_async_new_chat_query[*]",
        CHAT + "TestChatWireForms::test_async_question_built_from_objects",
        CONNECTIONS + "TestChatStreamConnections::test_async_chat_stream_done_releases_connection",
    ),
)
CHAT_RETRIEVE_POST = Bug(
    "studio-chat-retrieve-post",
    "a chat's status cannot be polled on Coze Studio: `chat.retrieve` (and so `create_and_poll`) gets 404",
    ">=0.2.0",
    "`ChatClient.retrieve` (chat/__init__.py) sends `POST /v3/chat/retrieve` (every release; the docs say GET)",
    server=STUDIO,
    server_cause="Studio routes `GET /v3/chat/retrieve` only (backend/api/router/coze/api.go:541) and Hertz's "
    'HandleMethodNotAllowed is off, so the POST is NoRoute\'s HTTP 404 `{"code": 404, "msg": "not found"}` '
    "(backend/api/router/register.go:78-81)",
    tests=(
        CHAT + "TestChatLifecycle::test_async_blocking_chat_fails",
        CHAT + "TestChatLifecycle::test_blocking_chat_fails",
        CHAT + "TestChatLifecycle::test_one_chat_at_a_time_in_a_conversation",
        CHAT + "TestChatOperations::test_async_retrieve_chat_until_completed",
        CHAT + "TestChatOperations::test_chat_with_conversation",
        CHAT + "TestChatOperations::test_retrieve_chat_until_completed",
    ),
)
STREAM_DONE_UNKNOWN = Bug(
    "studio-stream-done-invalid",
    "every chat stream ends in ValueError on Coze Studio: its last event, `conversation.stream.done`, is unknown",
    "<=0.16.1",
    "`_chat_stream_handler` (chat/__init__.py) raises ValueError('invalid chat.event: ...') for an event it does "
    "not know, before 0.16.2 (coze-dev/coze-py#250 hands it over as `UNKNOWN`)",
    server=STUDIO,
    server_cause="Studio ends a chat stream with `event:conversation.stream.done` and empty data "
    "(backend/application/conversation/build_chunk_event.go:27-31), not the hosted `done`",
    tests=(
        CHAT + "TestChatOperations::test_async_chat_with_conversation",
        CHAT + "TestChatOperations::test_async_create_chat_streaming[*]",
        CHAT + "TestChatOperations::test_create_chat_streaming[*]",
        CHAT + "TestChatOperations::test_stream_chat_events",
        CHAT + "TestChatOperations::test_stream_chat_with_conversation",
        CHAT + "TestChatOperations::test_streaming_message_accumulation[*]",
        CHAT + "TestChatOperations::test_token_usage_extraction",
        CHAT + "TestChatWireForms::test_async_new_chat_query[stream]",
        CHAT + "TestChatWireForms::test_new_chat_query[stream]",
        CHAT + "TestChatWireForms::test_question_built_from_objects",
        CONNECTIONS + "TestChatStreamConnections::test_chat_stream_done_releases_connection",
    ),
)
STREAM_EVENT_LOGID = Bug(
    "studio-chat-event-logid-required",
    "every chat stream fails on Coze Studio: a ChatEvent requires the log id Studio does not send",
    ">=0.7.0,<=0.8.0",
    "`ChatEvent.logid: str` (chat/__init__.py, 0.7.0 and 0.8.0) is required, and `Stream` passes "
    "`response.headers.get('x-tt-logid')`, `None` without that header: pydantic rejects every event "
    "(0.9.0 comments the field out)",
    server=STUDIO,
    server_cause="Studio sends its log id as `X-Log-ID` (backend/api/middleware/log.go:90), never `x-tt-logid`",
    tests=(
        CHAT + "TestChatLifecycle::test_async_stream_ends_with_failed_chat",
        CHAT + "TestChatOperations::test_async_chat_with_conversation",
        CHAT + "TestChatOperations::test_async_create_chat_streaming[*]",
        CHAT + "TestChatStreamFailures::test_async_stream_comment_line",
        CHAT + "TestChatStreamFailures::test_async_stream_delivers_events_as_they_arrive",
        CHAT + "TestChatStreamFailures::test_async_stream_dropped_connection",
        CHAT + "TestChatStreamFailures::test_async_stream_error_event",
        CHAT + "TestChatWireForms::test_async_new_chat_query[stream]",
    ),
)
LOGID_HEADER = Bug(
    "studio-logid-missing",
    "the log id of a reply (`resp.response.logid`, `CozeAPIError.logid`, the debug log) is None on Coze Studio",
    ">=0.2.0",
    "`HTTPResponse.logid` and `Requester` (model.py, request.py) read the header `x-tt-logid` only (every release)",
    server=STUDIO,
    server_cause="Studio sends its log id as `X-Log-ID: <uuid>` (backend/api/middleware/log.go:90)",
    reported=("coze-dev/coze-py#308",),
    tests=(
        "tests/us1_setup/test_coze_client.py::TestCozeClientConfiguration::test_logging_setup",
        "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_async_logid_extraction",
        "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_async_non_json_error_body",
        "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_error_logid_extraction",
        "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_logid_extraction",
        "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_non_json_error_body",
    ),
)
CONVERSATION_DATA_KEY = Bug(
    "studio-conversation-retrieve-key",
    "a conversation cannot be retrieved from Coze Studio: ValidationError",
    ">=0.2.0",
    "`ConversationsClient.retrieve` (conversations/__init__.py) parses the reply's `data` as the Conversation "
    "(`Requester` takes the whole body when there is no `data`)",
    server=STUDIO,
    server_cause="Studio answers the conversation under `ConversationData`, not `data` "
    "(backend/api/model/conversation/conversation/conversation.go:5065; its creator under `creator_d`, :1047)",
    tests=(
        CHAT + "TestConversationOperations::test_retrieve_conversation",
        CONVERSATIONS + "TestServiceAnswers::test_async_conversation_with_null_fields",
        CONVERSATIONS + "TestServiceAnswers::test_conversation_details",
        CONVERSATIONS + "TestServiceAnswers::test_conversation_without_optional_field[*]",
    ),
)
CONVERSATION_META_NULL = Bug(
    "studio-conversation-meta-data-null",
    "a conversation created without meta data cannot be parsed from Coze Studio: ValidationError",
    ">=0.6.0",
    "`Conversation.meta_data: Dict[str, str]` (conversations/__init__.py) is required and not Optional",
    server=STUDIO,
    server_cause="Studio answers `meta_data: null` for a conversation without meta data "
    "(backend/application/conversation/conversation.go:152, `parseExt` of an empty `Ext`)",
    tests=(CONVERSATIONS + "TestMessageCalls::test_question_built_from_objects",),
)
CONVERSATIONS_NULL = Bug(
    "studio-conversations-null",
    "listing a bot's conversations fails on Coze Studio when one has no meta data (or there are none)",
    ">=0.7.0",
    "`_PrivateListConversationResp.conversations: List[Conversation]` and `Conversation.meta_data: Dict[str, str]` "
    "(conversations/__init__.py) take neither `null`",
    server=STUDIO,
    server_cause="Studio lists each conversation's `meta_data` as `null` unless set "
    "(backend/application/conversation/conversation.go:220) and `conversations: null` for none "
    "(backend/domain/conversation/conversation/internal/dal/dao.go:178-180)",
    tests=(
        CHAT + "TestConversationOperations::test_list_conversations",
        CHAT + "TestConversationOperations::test_list_conversations_default_page",
    ),
)
EMPTY_MESSAGE_PAGE = Bug(
    "studio-empty-message-page",
    "listing the messages of an empty conversation fails on Coze Studio: ValidationError",
    ">=0.2.0",
    "`_PrivateListMessageResp.items` (conversations/message/__init__.py; `data` on the wire) is required",
    server=STUDIO,
    server_cause="Studio leaves `data` out of an empty page (`omitempty`) and answers `first_id`/`last_id` "
    '`"0"` (backend/application/conversation/openapi_message.go:139-144)',
    reported=("coze-dev/coze-studio#776",),
    tests=(CONVERSATIONS + "TestServiceAnswers::test_empty_page[*]",),
)
INTERRUPT_NODE_TITLE = Bug(
    "studio-interrupt-node-title",
    "a streamed workflow that asks a question fails on Coze Studio: its Interrupt event cannot be parsed",
    ">=0.2.0",
    "`WorkflowEventInterrupt.node_title: str` (workflows/runs/__init__.py) is required",
    server=STUDIO,
    server_cause="Studio's `Interrupt` data is `{debug_url, interrupt_data}`, with no `node_title` "
    "(backend/application/workflow/workflow.go:1447-1470)",
    reported=("coze-dev/coze-studio#2245",),
    tests=(
        CONNECTIONS + "TestWorkflowStreamConnections::test_workflow_stream_interrupt_releases_connection",
        WORKFLOWS + "test_workflow_answers.py::TestStreamAnswers::test_async_stream_interrupt_at_input_node",
        WORKFLOWS + "test_workflow_answers.py::TestStreamAnswers::test_stream_interrupt_at_input_node",
        WORKFLOWS + "test_workflow_answers.py::TestStreamAnswers::test_stream_question_answered_as_card",
        WORKFLOWS + "test_workflow_client.py::TestWorkflowOperations::test_async_run_workflow_streaming_interrupt",
        WORKFLOWS + "test_workflow_client.py::TestWorkflowOperations::test_run_workflow_streaming_interrupt",
    ),
)
WORKFLOW_USAGE = Bug(
    "studio-workflow-usage",
    "a workflow run's token usage is None on Coze Studio",
    ">=0.20.0",
    "`WorkflowRunResult.usage` and `WorkflowEventMessage.usage` (workflows/runs/__init__.py, since 0.20.0) read "
    "`usage`",
    server=STUDIO,
    server_cause="Studio answers `token` and `cost` instead of `usage` on a run "
    "(backend/api/model/workflow/workflow.go:72246-72258) and no `usage` on a stream's Message",
    tests=(
        WORKFLOWS + "test_workflow_client.py::TestWorkflowOperations::test_run_workflow_blocking_usage",
        WORKFLOWS + "test_workflow_client.py::TestWorkflowOperations::test_run_workflow_streaming_message_usage",
    ),
)
CHAT_FAILED_ERROR = Bug(
    "studio-chat-failed-as-error-event",
    "a chat that fails mid-stream raises a plain Exception on Coze Studio: its status and last_error are lost",
    ">=0.4.0",
    "`_chat_stream_handler` (chat/__init__.py) raises `Exception('error event: ...')` for an `error` event (every "
    "release the story streams on; from 0.6.2 the empty `conversation_id` breaks the chat first)",
    server=STUDIO,
    server_cause="Studio reports a failed run only as `event:error {code, msg}`, with no "
    "`conversation.chat.failed` and no end event "
    "(backend/domain/conversation/agentrun/internal/run_process_event.go:92-118)",
    tests=(
        CHAT + "TestChatLifecycle::test_async_stream_ends_with_failed_chat",
        CHAT + "TestChatLifecycle::test_stream_ends_with_failed_chat",
    ),
)

BUGS: tuple[Bug, ...] = (
    EMPTY_CONVERSATION_ID,
    ASYNC_EMPTY_CONVERSATION_ID,
    CHAT_RETRIEVE_POST,
    STREAM_DONE_UNKNOWN,
    STREAM_EVENT_LOGID,
    LOGID_HEADER,
    CONVERSATION_DATA_KEY,
    CONVERSATION_META_NULL,
    CONVERSATIONS_NULL,
    EMPTY_MESSAGE_PAGE,
    INTERRUPT_NODE_TITLE,
    WORKFLOW_USAGE,
    CHAT_FAILED_ERROR,
)

#: (test patterns, what the tests pin that Studio answers otherwise: Studio's answer and its source).
HOSTED_ANSWERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "tests/us1_setup/test_coze_client.py::TestCozeClientConfiguration::test_logging_default_level",
            "tests/us1_setup/test_logging.py::TestLoggingInAnApplication::test_records_reach_root_handlers",
            "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_async_invalid_token_handling",
            "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration::test_invalid_token_handling",
            CHAT + "TestChatStreamFailures::test_async_stream_error_envelope",
            CHAT + "TestChatStreamFailures::test_stream_error_envelope",
        ),
        "the hosted answer to a bad token (HTTP 401, code 4100): Studio answers HTTP 200, 700012006 "
        "(backend/api/middleware/openapi_auth.go:113-150, backend/types/errno/user.go:25)",
    ),
    (
        (
            "tests/us3_bots/test_bot_client.py::TestBotOperations::test_async_retrieve_unknown_bot",
            "tests/us3_bots/test_bot_client.py::TestBotOperations::test_retrieve_unknown_bot",
            CHAT + "TestChatLifecycle::test_async_chat_with_unknown_bot",
            CHAT + "TestChatLifecycle::test_chat_with_unknown_bot",
            CONVERSATIONS + "TestConversationCalls::test_clear_unknown_conversation_is_not_found",
            CONVERSATIONS + "TestConversationCalls::test_delete_conversation",
        ),
        "the hosted not-found answer (code 4200): Studio answers its own codes (103000002, "
        "backend/types/errno/conversation.go:25; 100000003, "
        "backend/application/singleagent/single_agent.go:702-705; /v3/chat: HTTP 400, "
        "backend/api/handler/coze/agent_run_service.go:115)",
    ),
    (
        (
            WORKFLOWS
            + "test_workflow_answers.py::TestRequestTypes::test_resume_with_a_string_interrupt_type_is_rejected",
            WORKFLOWS + "test_workflow_answers.py::TestRequestTypes::test_run_with_a_numeric_workflow_id_is_rejected",
        ),
        "the hosted answer to a malformed request (code 4000): Studio's handlers answer HTTP 400 "
        "(backend/api/internal/httputil/error_resp.go:36)",
    ),
    (
        (
            CHAT + "TestChatOperations::test_async_create_chat",
            CHAT + "TestChatOperations::test_create_chat_blocking",
        ),
        "the hosted answer to a blocking chat (status `in_progress`): Studio answers at the run's `created` "
        "event (backend/application/conversation/openapi_agent_run.go:598-633)",
    ),
    (
        (
            WORKFLOWS + "test_workflow_chat.py::TestWorkflowChat::test_async_workflow_chat_unknown_workflow",
            WORKFLOWS + "test_workflow_chat.py::TestWorkflowChat::test_workflow_chat_unknown_workflow",
            WORKFLOWS
            + "test_workflow_client.py::TestWorkflowOperations::test_async_run_workflow_streaming_error_envelope",
            WORKFLOWS + "test_workflow_client.py::TestWorkflowOperations::test_run_workflow_streaming_error_envelope",
        ),
        "the hosted answer to a workflow it cannot run (a 4200 envelope): Studio's stream has taken the reply"
        " and answers an empty body (backend/api/handler/coze/workflow_service.go:1016-1027)",
    ),
)


def matches(nodeid: str, pattern: str) -> bool:
    """Whether ``pattern`` names the test: its node id, ``test_x[*]`` for every parametrization of
    ``test_x``, or ``fnmatch`` wildcards (without ``[``, which would start a character class)."""
    if nodeid == pattern:
        return True
    if pattern.endswith("[*]"):
        return nodeid.startswith(pattern[:-2])
    return "[" not in pattern and fnmatchcase(nodeid, pattern)


def breaking(nodeid: str, server: str) -> list[Bug]:
    """The bugs of ``server`` that name the test ``nodeid`` (none for the hosted service)."""
    return [bug for bug in BUGS if bug.server == server and any(matches(nodeid, p) for p in bug.tests)]


def hosted_answer(nodeid: str) -> str | None:
    """What the test pins that only the hosted service answers (``None``: the test runs on Studio)."""
    for patterns, what in HOSTED_ANSWERS:
        if any(matches(nodeid, pattern) for pattern in patterns):
            return what
    return None
