"""Capabilities of the US5 workflows stories.

The runs client is what ``coze.workflows.runs`` returns: ``WorkflowsRunsClient`` (0.2.0 called it
``WorkflowsClient``, in the same module). Result fields are probed on the pydantic models users get
back (``WorkflowRunResult``, ``WorkflowEventMessage``, ``WorkflowEventError``,
``WorkflowEventInterruptData``, ``WorkflowRunHistory``); workflow chat on
``cozepy.workflows.chat`` (``WorkflowsChatClient``, 0.9.0). Two probes look for what no release
keeps yet and the service sends: ``interrupt_data.data`` (coze-py#317) and the ``debug_url`` of a
streamed run's ``Error`` (coze-py#314).

**Workflow logs (T039-T043).** No cozepy release, and no documented Coze endpoint, lists workflow
runs filtered by status, date range or keyword with pagination (coze-wire-format.md section 4e;
the filterable workflow-log API belongs to Dify). The ``workflow_logs_*`` probes look for such a
listing where cozepy would put it (a ``list``/``list_logs`` method on the run-histories or runs
client, or a ``cozepy.workflows.logs`` client) and for the filter parameter each story needs, so
that the day a release adds one, the story stops being skipped.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from coze_compat.capabilities import Capability, attribute, has

RUNS = "cozepy.workflows.runs"
RUN_HISTORIES = "cozepy.workflows.runs.run_histories"
CHAT = "cozepy.workflows.chat"


def runs_client() -> Any:
    """The class of ``coze.workflows.runs``, or ``None``."""
    return attribute(RUNS, "WorkflowsRunsClient") or attribute(RUNS, "WorkflowsClient")


def _runs_has(method: str) -> bool:
    return getattr(runs_client(), method, None) is not None


def _accepts(method: str, parameter: str) -> bool:
    function = getattr(runs_client(), method, None)
    return function is not None and parameter in inspect.signature(function).parameters


def _create_accepts(parameter: str) -> bool:
    return _accepts("create", parameter)


def _model_has_field(module: str, model: str, name: str) -> bool:
    return name in (getattr(attribute(module, model), "model_fields", None) or {})


# -- workflow logs (T039-T043): probes for an API no release offers yet ----------------------------

#: Where a log listing would appear: (module, client class, method names).
LOG_LISTING_PLACES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (RUN_HISTORIES, "WorkflowsRunsRunHistoriesClient", ("list", "list_logs")),
    (RUNS, "WorkflowsRunsClient", ("list", "list_logs", "list_run_histories")),
    ("cozepy.workflows", "WorkflowsClient", ("list_logs", "list_run_histories")),
    ("cozepy.workflows.logs", "WorkflowsLogsClient", ("list",)),
)
LOG_STATUS_PARAMETERS = ("status", "execute_status", "statuses")
LOG_DATE_PARAMETERS = ("start_time", "end_time", "start_date", "end_date", "created_at__after", "created_at__before")
LOG_KEYWORD_PARAMETERS = ("keyword", "keywords")
LOG_PAGE_PARAMETERS = ("page_num", "page_size", "page_token", "limit")


def workflow_log_listings() -> list[tuple[str, Callable[..., Any]]]:
    """Every workflow-log listing method of the installed cozepy, with its dotted name."""
    found = []
    for module, client, methods in LOG_LISTING_PLACES:
        for name in methods:
            method = attribute(module, client, name)
            if callable(method):
                found.append((f"{module}.{client}.{name}", method))
    return found


def workflow_log_listing(parameters: tuple[str, ...] = ()) -> str | None:
    """The dotted name of a log listing taking one of ``parameters`` (any listing when empty), or ``None``."""
    for name, method in workflow_log_listings():
        accepted = inspect.signature(method).parameters
        if not parameters or any(parameter in accepted for parameter in parameters):
            return name
    return None


def _lists_logs(parameters: tuple[str, ...] = ()) -> Callable[[], bool]:
    return lambda: workflow_log_listing(parameters) is not None


CAPABILITIES: tuple[Capability, ...] = (
    Capability("workflow_stream", "workflows.runs.stream (streaming workflow runs)", lambda: _runs_has("stream")),
    Capability(
        "workflow_resume", "workflows.runs.resume (resuming an interrupted workflow)", lambda: _runs_has("resume")
    ),
    Capability(
        "workflow_async_run",
        "workflows.runs.create(is_async=True) (asynchronous workflow runs)",
        lambda: _create_accepts("is_async"),
    ),
    Capability("workflow_run_app_id", "workflows.runs.create(app_id=...)", lambda: _create_accepts("app_id")),
    Capability(
        "workflow_stream_app_id",
        "workflows.runs.stream(app_id=...) (streaming a Coze app's workflow)",
        lambda: _accepts("stream", "app_id"),
    ),
    Capability(
        "workflow_interrupt_data",
        "WorkflowEventInterruptData.data (what an interrupted node asks for: the question, the input form, a card)",
        lambda: _model_has_field(RUNS, "WorkflowEventInterruptData", "data"),
    ),
    Capability(
        "workflow_stream_debug_url",
        "WorkflowEventError.debug_url (the debug page of a streamed run that failed)",
        lambda: _model_has_field(RUNS, "WorkflowEventError", "debug_url"),
    ),
    Capability(
        "workflow_chat",
        "workflows.chat.stream (workflow chat: a chatflow, streamed)",
        lambda: has(CHAT, "WorkflowsChatClient", "stream"),
    ),
    Capability(
        "async_workflow_chat",
        "workflows.chat.stream on AsyncCoze (AsyncWorkflowsChatClient)",
        lambda: has(CHAT, "AsyncWorkflowsChatClient", "stream"),
    ),
    Capability(
        "workflow_run_execute_id",
        "WorkflowRunResult.execute_id (the run's execute id)",
        lambda: _model_has_field(RUNS, "WorkflowRunResult", "execute_id"),
    ),
    Capability(
        "workflow_run_usage",
        "WorkflowRunResult.usage (token usage of a workflow run)",
        lambda: _model_has_field(RUNS, "WorkflowRunResult", "usage"),
    ),
    Capability(
        "workflow_stream_usage",
        "WorkflowEventMessage.usage (token usage on streamed workflow messages)",
        lambda: _model_has_field(RUNS, "WorkflowEventMessage", "usage"),
    ),
    Capability(
        "workflow_run_histories",
        "workflows.runs.run_histories.retrieve (a workflow run's result by execute id)",
        lambda: has(RUN_HISTORIES, "WorkflowsRunsRunHistoriesClient", "retrieve"),
    ),
    Capability(
        "workflow_run_history_node_status",
        "WorkflowRunHistory.node_execute_status (the state of each node of a run)",
        lambda: _model_has_field(RUN_HISTORIES, "WorkflowRunHistory", "node_execute_status"),
    ),
    Capability(
        "workflow_run_history_usage",
        "WorkflowRunHistory.usage (token usage in a run's history)",
        lambda: _model_has_field(RUN_HISTORIES, "WorkflowRunHistory", "usage"),
    ),
    Capability("workflow_logs_list", "a workflow-log listing (no Coze API offers one)", _lists_logs()),
    Capability(
        "workflow_logs_by_status",
        "a workflow-log listing filtered by run status (no Coze API offers one)",
        _lists_logs(LOG_STATUS_PARAMETERS),
    ),
    Capability(
        "workflow_logs_by_date",
        "a workflow-log listing filtered by a date range (no Coze API offers one)",
        _lists_logs(LOG_DATE_PARAMETERS),
    ),
    Capability(
        "workflow_logs_by_keyword",
        "a workflow-log listing filtered by keyword (no Coze API offers one)",
        _lists_logs(LOG_KEYWORD_PARAMETERS),
    ),
    Capability(
        "workflow_logs_paginated",
        "a paginated workflow-log listing (no Coze API offers one)",
        _lists_logs(LOG_PAGE_PARAMETERS),
    ),
)
