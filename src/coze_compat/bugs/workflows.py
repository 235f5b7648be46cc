"""Bugs of the workflows API (US5): runs, streams, resumes, run histories and workflow chat.

Each was found in coze-dev/coze-py's history (``git log v0.1.0..v0.20.0 -- cozepy/workflows`` and the
``fix:`` commits touching ``request.py``/``exception.py``, and the repository's issues) and checked in
the source of every release of its range, patch releases included. The stream reader's bugs shared
with chat (an unknown event ending the stream, an error reply to a stream request) are in ``chat``.
"""

from __future__ import annotations

from coze_compat.bugs import Bug

RUN_BODY_NULLS = Bug(
    "workflow-run-body-nulls",
    'a workflow run or stream run sends `"bot_id": null, "ext": null` for the fields the caller left out',
    "<0.12.0",
    "the runs client's `create` and `stream` (workflows/runs/__init__.py) send their body dict as is; "
    "`remove_none_values` arrived in 0.12.0",
    fixed_by="coze-dev/coze-py#181",
)
ASYNC_STREAM_IS_COROUTINE = Bug(
    "async-workflow-stream-coroutine",
    "`async for event in coze.workflows.runs.stream(...)` raises TypeError",
    "==0.3.0",
    "`AsyncWorkflowsRunsClient.stream`/`resume` (workflows/runs/__init__.py) are coroutines returning an "
    "`AsyncStream`; they are async generators from 0.4.0",
    fixed_by="coze-dev/coze-py#65",
)
EMPTY_ERROR_CODE_REJECTED = Bug(
    "run-history-empty-error-code",
    "the run history of a run that did not fail cannot be read (pydantic ValidationError)",
    ">=0.7.0,<0.14.0",
    'the service sends `"error_code": ""` and `WorkflowRunHistory.error_code: int` '
    "(workflows/runs/run_histories/__init__.py) rejects it; `error_code_empty_str_to_zero` arrived in 0.14.0",
    fixed_by="coze-dev/coze-py#226",
    reported=("coze-dev/coze-py#225",),
)
RESUME_SENDS_ID = Bug(
    "workflow-resume-sends-id",
    "resuming an interrupted workflow is rejected by the service (4000)",
    ">=0.10.0,<0.14.0",
    "`resume` (`WorkflowsRunsClient.resume`, `AsyncWorkflowsRunsClient.resume`, workflows/runs/__init__.py) sends "
    'the interrupt\'s event id as `"id"` instead of `"event_id"` (renamed in 0.10.0 with the WebSocket work, '
    "coze-dev/coze-py#156)",
    fixed_by="coze-dev/coze-py#213",
    reported=("coze-dev/coze-py#196",),
)
ERROR_MESSAGE_REQUIRED = Bug(
    "run-history-error-message-required",
    "the run history of a Running run (which has no `error_message`) cannot be read (pydantic ValidationError)",
    ">=0.7.0,<0.10.3",
    "`WorkflowRunHistory.error_message: Optional[str]` (workflows/runs/run_histories/__init__.py) has no default, "
    "so pydantic requires the key, and the service leaves it out of a Running run's history; 0.10.3 gave it the "
    'default `""` (and `WorkflowRunResult.data`/`execute_id` defaults too, which `runs.create` never needed: '
    "request.py `_parse_requests_code_msg` always fills both keys)",
    fixed_by="coze-dev/coze-py#166",
)
OUTPUT_TRIMMED_REQUIRED = Bug(
    "run-history-output-trimmed-required",
    "a run history without `is_output_trimmed` (the docs' example, a Running run as cozepy's own fixture has it) "
    "cannot be read (pydantic ValidationError)",
    ">=0.20.0",
    "`WorkflowRunHistory.is_output_trimmed: bool` (workflows/runs/run_histories/__init__.py, added by "
    "coze-dev/coze-py#306) has no default, so pydantic requires the key; #306 added it to the fixture of "
    "tests/test_workflow_run_history.py, whose Running history had none",
)
ERROR_DEBUG_URL_LOST = Bug(
    "workflow-error-debug-url-lost",
    "the `debug_url` of a failed workflow run is lost: `CozeAPIError` has no `debug_url`",
    "<0.16.1",
    "`Requester._parse_requests_code_msg` (request.py) returns only code, msg and data of an error body, and "
    "`CozeAPIError` (exception.py) takes no `debug_url`; 0.16.1 reads the body's `debug_url` into the error",
    fixed_by="coze-dev/coze-py#242",
)
INTERRUPT_DATA_DROPPED = Bug(
    "workflow-interrupt-data-dropped",
    "what an interrupted node asks for (`interrupt_data.data`: the question's card, an input node's form) is discarded",
    ">=0.2.0",
    "`WorkflowEventInterruptData` (workflows/runs/__init__.py) declares only `event_id` and `type`, so pydantic "
    "drops `data` and `required_parameters`",
    reported=("coze-dev/coze-py#317",),
    capability="workflow_interrupt_data",
)
STREAM_DEBUG_URL_DROPPED = Bug(
    "workflow-stream-debug-url-dropped",
    "the `debug_url` of a streamed run is lost (the `Done` event's, and a failed run's `Error` event's)",
    ">=0.2.0",
    "`_workflow_stream_handler` (workflows/runs/__init__.py) swallows `Done` with its data, and "
    "`WorkflowEventError` declares only `error_code` and `error_message`",
    reported=("coze-dev/coze-py#314",),
    capability="workflow_stream_debug_url",
)
STREAM_APP_ID_MISSING = Bug(
    "workflow-stream-app-id-missing",
    "a Coze app's workflow cannot be streamed: `runs.stream` takes no `app_id` (the service answers 'App not found')",
    "<0.12.0",
    "`WorkflowsRunsClient.stream` (workflows/runs/__init__.py) has no `app_id` parameter before 0.12.0",
    fixed_by="coze-dev/coze-py#180",
    reported=("coze-dev/coze-py#179",),
    capability="workflow_stream_app_id",
)
CHAT_PARAMETERS_TYPED_STR = Bug(
    "workflow-chat-parameters-typed-str",
    "`workflows.chat.stream(parameters=...)` is annotated `Dict[str, str]`, so a type checker rejects the objects "
    "and numbers the service accepts",
    "==0.9.0",
    "`WorkflowsChatClient.stream` (workflows/chat/__init__.py) annotates `parameters: Optional[Dict[str, str]]`; "
    "0.9.1 made it `Dict[str, Any]`",
    fixed_by="coze-dev/coze-py#151",
    not_shown="a type annotation only: at run time 0.9.0 sends the parameters as given, as the stories check",
)

BUGS: tuple[Bug, ...] = (
    RUN_BODY_NULLS,
    ASYNC_STREAM_IS_COROUTINE,
    EMPTY_ERROR_CODE_REJECTED,
    RESUME_SENDS_ID,
    ERROR_MESSAGE_REQUIRED,
    OUTPUT_TRIMMED_REQUIRED,
    ERROR_DEBUG_URL_LOST,
    INTERRUPT_DATA_DROPPED,
    STREAM_DEBUG_URL_DROPPED,
    STREAM_APP_ID_MISSING,
    CHAT_PARAMETERS_TYPED_STR,
)
