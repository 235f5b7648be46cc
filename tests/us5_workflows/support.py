"""What the US5 story modules share: the wire constants, the request assertions and the event rows.

The fixtures (the joke and question workflows, the run's arguments) are in ``conftest.py``.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import cozepy
import pytest

from coze_compat import bugs, capabilities
from coze_compat.fake import envelope, sse
from coze_compat.fake.requests import CozeRequest
from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workflows import RunRecord, WorkflowRecord, compact_json

HOST = "api.coze.com"
RUN_PATH = "/v1/workflow/run"
STREAM_RUN_PATH = "/v1/workflow/stream_run"
STREAM_RESUME_PATH = "/v1/workflow/stream_resume"
APP_ID = "7442086831587196928"
#: The only keys the docs allow in ``ext``.
EXT = {"latitude": "39.9042", "longitude": "116.4074", "user_id": "2478774393255"}
#: The docs' streamed joke, split where the docs split it: multi-byte characters the 7-byte style cuts.
JOKE = ("为", "什么小明要带一把尺子去看电影？\n因", "为他听说电影很长，怕", "坐不下！")  # noqa: RUF001 (the docs' text)
RESUME_DATA = "Hangzhou, 2024-08-20"
QUESTION = "Which city, and which day, do you want the weather for?"
ERROR_EVENT = {"error_code": 4000, "error_message": "Request parameter error"}
#: A ``PING`` heartbeat's data as a coze.cn stream sends it (a 2025-12 capture; the docs: "消息内容为空").
PING_DATA = {"content": "{}", "node_execute_uuid": ""}
#: An input node's ``interrupt_data.data``: the form it asks for (DOC workflow_run, the "Interrupt" example).
INPUT_FORM = compact_json(
    {"content_type": "text", "content": compact_json([{"type": "string", "name": "name", "required": True}])}
)
#: How a workflow fails, as a coze.cn stream reported it in its ``Error`` event (a 2025-12 capture).
FAILURE = (
    5000,
    "[720712000] The input 'Query' is incorrect as '知识库检索.outputList' is empty, can't extract field 'output'",
)
#: The docs' resume example writes its events without blank lines between them.
NO_BLANK_LINES = next(style for style in sse.STYLES if not style.blank_line)

STYLES = [pytest.param(style, id=style.name) for style in sse.STYLES]
#: 0.3.0's async ``stream``/``resume`` are coroutines, not async iterators.
ASYNC_STREAM_BREAK = pytest.mark.known_break(bugs.workflows.ASYNC_STREAM_IS_COROUTINE)

# -- helpers ---------------------------------------------------------------------------------------


def run_body(**fields: Any) -> dict[str, Any]:
    """The body of a blocking run: what the caller gave, plus ``is_async`` where the release has it."""
    if capabilities.offers("workflow_async_run"):
        fields.setdefault("is_async", False)
    return fields


def assert_post(request: CozeRequest, path: str, body: dict[str, Any], token: str) -> None:
    """One JSON POST to ``path`` on api.coze.com, with the token, no query, and exactly ``body``."""
    assert (request.method, request.host, request.path, request.flat_query()) == ("POST", HOST, path, {})
    assert request.headers["authorization"] == f"Bearer {token}"
    assert request.headers["content-type"] == "application/json"
    assert request.body == body


def assert_run_history_request(request: CozeRequest, workflow_id: str, execute_id: str) -> None:
    path = f"/v1/workflows/{workflow_id}/run_histories/{execute_id}"
    assert (request.method, request.host, request.path, request.flat_query(), request.body) == (
        "GET",
        HOST,
        path,
        {},
        None,
    )


def event_row(event: Any) -> tuple[Any, ...]:
    """What a user reads from a ``WorkflowEvent``: id, event type, and its message, error or interrupt."""
    message = event.message and (
        event.message.content,
        event.message.node_title,
        event.message.node_seq_id,
        event.message.node_is_finish,
    )
    error = event.error and (event.error.error_code, event.error.error_message)
    interrupt = event.interrupt and (
        event.interrupt.interrupt_data.event_id,
        event.interrupt.interrupt_data.type,
        event.interrupt.node_title,
    )
    return (event.id, event.event.value, message, error, interrupt)


def message_rows(record: WorkflowRecord) -> list[tuple[Any, ...]]:
    """The rows of a full stream run of ``record``: its Message node's chunks, then its End node."""
    rows: list[tuple[Any, ...]] = [
        (seq, "Message", (chunk, "Message", str(seq), seq == len(record.messages) - 1), None, None)
        for seq, chunk in enumerate(record.messages)
    ]
    rows.append((len(rows), "Message", (record.output_text(), "End", "0", True), None, None))
    return rows


def assert_api_error(error: Any, code: int, msg: str, logid: str | None) -> None:
    assert isinstance(error, cozepy.CozeAPIError)
    assert (error.code, error.msg, error.logid) == (code, msg, logid)


def unknown_workflow_msg(workflow_id: str) -> str:
    return f"{envelope.NOT_FOUND[1]}: workflow {{'workflow_id': '{workflow_id}'}}"


def run_history_row(result: Any) -> tuple[Any, ...]:
    return (
        result.execute_id,
        result.execute_status.value,
        result.output,
        result.error_code,
        result.error_message,
        result.create_time,
        result.update_time,
        result.debug_url,
        result.bot_id,
        result.connector_id,
        result.connector_uid,
        int(result.run_mode),
        result.logid,
    )


def expected_run_history_row(run: RunRecord, error_code: int) -> tuple[Any, ...]:
    return (
        run.execute_id,
        run.execute_status,
        run.output,
        error_code,
        run.error_message,
        run.create_time,
        run.update_time,
        run.debug_url,
        run.bot_id,
        run.connector_id,
        run.connector_uid,
        run.run_mode,
        run.logid,
    )


def collect(stream: Any) -> list[Any]:
    return list(stream)


async def acollect(stream: Any) -> list[Any]:
    """The events of an async stream; a coroutine (0.3.0's convention) is closed and reported, not leaked."""
    if inspect.iscoroutine(stream):
        stream.close()
        raise TypeError(f"{stream.__qualname__}() returned a coroutine, not an async iterator of events")
    return [event async for event in stream]


def json_reply(body: dict[str, Any]) -> envelope.RawBody:
    """A JSON body exactly as given (no envelope fields added), for answers ``envelope.Envelope`` does not write."""
    return envelope.RawBody(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), envelope.JSON_TYPE)


def take_rejection(fake: FakeCoze) -> str:
    """The reason of the one request the fake rejected, taken off its violations: the test sent it on purpose
    (``verify()`` would otherwise fail the test for it at teardown)."""
    [violation] = fake.violations
    fake.violations.clear()
    return violation.reason
