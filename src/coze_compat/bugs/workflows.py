"""Bugs of the workflows API (US5)."""

from __future__ import annotations

from coze_compat.bugs import Bug

RUN_BODY_NULLS = Bug(
    "workflow-run-body-nulls",
    'a workflow run sends `"bot_id": null, "ext": null` for the fields the caller left out',
    "<0.12.0",
    "the runs client's `create` (workflows/runs/__init__.py) sends its body dict as is; `remove_none_values` "
    "arrived in 0.12.0",
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
)
RESUME_SENDS_ID = Bug(
    "workflow-resume-sends-id",
    "resuming an interrupted workflow is rejected by the service (4000)",
    ">=0.10.0,<0.14.0",
    '`resume` (`WorkflowsRunsClient.resume`, workflows/runs/__init__.py) sends the interrupt\'s event id as `"id"` '
    'instead of `"event_id"` (the rename came with 0.10.0)',
    fixed_by="coze-dev/coze-py#213",
)

BUGS: tuple[Bug, ...] = (RUN_BODY_NULLS, ASYNC_STREAM_IS_COROUTINE, EMPTY_ERROR_CODE_REJECTED, RESUME_SENDS_ID)
