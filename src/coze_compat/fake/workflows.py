"""Workflows: run (blocking and async), stream, resume and run histories (coze-wire-format.md section 4).

The fake holds the published workflows (``WorkflowRecord``) and the runs it knows (``RunRecord``):

* ``POST /v1/workflow/run`` answers the End node's output as a JSON *string* in ``data``, with
  ``debug_url``, ``execute_id`` and ``usage`` next to it at the top level; with ``is_async: true``
  it records a Running run and answers only ``debug_url``, ``execute_id`` and ``msg`` (no ``code``,
  no ``data``), as the docs' async example does.
* ``POST /v1/workflow/stream_run`` streams three-line events (``id:``, ``event:``, ``data:``), ids
  from 0: the Message node's chunks, then the End node's output and ``Done``; a workflow with a
  Question node stops instead with the question and an ``Interrupt`` (no ``Done``, as in the docs).
* ``POST /v1/workflow/stream_resume`` takes the interrupt's ``event_id`` and ``interrupt_type``
  back and streams the End node's output and ``Done``, ids from 0 again.
* ``GET /v1/workflows/{workflow_id}/run_histories/{execute_id}`` answers ``data`` as a one-element
  array; ``error_code`` is a string, ``""`` when the run did not fail.

An unknown workflow gets 4200 (the docs: running an unpublished workflow returns 4200). Giving both
``bot_id`` and ``app_id``, an ``ext`` that is not a map of strings, or a resume for an interrupt the
fake never sent is a request the service rejects with 4000.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import respx

from coze_compat.fake import envelope, sse
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

RUN = Endpoint("workflows.runs.create", "POST", r"/v1/workflow/run", required_body=("workflow_id",), has_body=True)
STREAM_RUN = Endpoint(
    "workflows.runs.stream", "POST", r"/v1/workflow/stream_run", required_body=("workflow_id",), has_body=True
)
STREAM_RESUME = Endpoint(
    "workflows.runs.resume",
    "POST",
    r"/v1/workflow/stream_resume",
    required_body=("workflow_id", "event_id", "resume_data", "interrupt_type"),
    has_body=True,
)
#: Unnamed groups (workflow id, execute id): respx hands named groups to the route's side effect as
#: keyword arguments, which ``FakeCoze``'s dispatcher does not take.
RUN_HISTORY = Endpoint(
    "workflows.runs.run_histories.retrieve",
    "GET",
    r"/v1/workflows/(?P<workflow_id>[^/]+)/run_histories/(?P<execute_id>[^/]+)",
)

SPACE_ID = "7376207281939038251"
#: ``interrupt_data.type`` of a Question node (2; 5 is an input node, 6 a client plugin, 7 OAuth).
QUESTION_INTERRUPT = 2
#: The docs' example usage.
USAGE = {"input_count": 50, "output_count": 100, "token_count": 150}


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def debug_url(execute_id: str, workflow_id: str, space_id: str = SPACE_ID) -> str:
    return f"https://www.coze.com/work_flow?execute_id={execute_id}&space_id={space_id}&workflow_id={workflow_id}"


@dataclass
class WorkflowRecord:
    """A published workflow: an optional Message node, an optional Question node, an End node."""

    workflow_id: str
    output: dict[str, Any]  # what the End node outputs; runs send it as a JSON string
    messages: tuple[str, ...] = ()  # the chunks a Message node streams before the End node
    question: str | None = None  # a Question node: a stream run stops with an Interrupt asking this
    usage: dict[str, int] = field(default_factory=lambda: dict(USAGE))
    space_id: str = SPACE_ID

    def output_text(self) -> str:
        return compact_json(self.output)


@dataclass
class RunRecord:
    """One execution of a workflow, as its run history reports it."""

    execute_id: str
    workflow_id: str
    execute_status: str = "Success"  # Success | Running | Fail
    output: str = ""
    error_code: str = ""  # a string on the wire, "" unless the run failed
    error_message: str = ""
    run_mode: int = 2  # 0 sync, 1 stream, 2 async
    bot_id: str = "0"  # "0" when the run named no bot
    connector_id: str = "1024"  # the API connector
    connector_uid: str = "2478774393255"
    logid: str = "20241029115423ED85C3401395715F726E"  # the run's own log id
    create_time: int = 1730174063
    update_time: int = 1730174065
    usage: dict[str, int] | None = field(default_factory=lambda: dict(USAGE))
    space_id: str = SPACE_ID

    @property
    def debug_url(self) -> str:
        return debug_url(self.execute_id, self.workflow_id, self.space_id)

    def wire(self) -> dict[str, Any]:
        """An item of the run-history ``data`` array (DOC workflow_history, plus ``is_output_trimmed``)."""
        item: dict[str, Any] = {
            "execute_id": self.execute_id,
            "execute_status": self.execute_status,
            "bot_id": self.bot_id,
            "connector_id": self.connector_id,
            "connector_uid": self.connector_uid,
            "run_mode": self.run_mode,
            "logid": self.logid,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "output": self.output,
            "token": "0",
            "error_code": self.error_code,
            "error_message": self.error_message,
            "debug_url": self.debug_url,
            "is_output_trimmed": False,
        }
        if self.usage is not None:
            item["usage"] = self.usage
        return item


def message(content: str, node_title: str, seq: int, finished: bool, **extra: Any) -> dict[str, Any]:
    """The data of a ``Message`` event."""
    return {"content": content, "node_is_finish": finished, "node_seq_id": str(seq), "node_title": node_title, **extra}


def numbered(*events: tuple[str, Any]) -> tuple[sse.SSEEvent, ...]:
    """``(event, data)`` pairs as events with ids from 0, as every workflow stream numbers them."""
    return tuple(sse.SSEEvent(name, data, id=number) for number, (name, data) in enumerate(events))


def _string_or_absent(request: CozeRequest, name: str) -> str | None:
    value = request.field(name)
    if value is not None and not isinstance(value, str):
        raise MalformedRequest(f"{name} must be a string, got {value!r}")
    return value


class WorkflowsAPI:
    """The workflows endpoints of the fake, the workflows they run and the runs they recorded."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, WorkflowRecord] = {}
        self.runs: dict[str, RunRecord] = {}
        #: interrupts waiting for a resume: event_id -> (workflow_id, interrupt type)
        self.interrupts: dict[str, tuple[str, int]] = {}
        self._ids = itertools.count(1)

    def add(self, record: WorkflowRecord) -> WorkflowRecord:
        self.records[record.workflow_id] = record
        return record

    def add_run(self, run: RunRecord) -> RunRecord:
        self.runs[run.execute_id] = run
        return run

    def next_execute_id(self) -> str:
        return f"7431040978805{next(self._ids):06d}"

    def interrupt(self, workflow_id: str, interrupt_type: int = QUESTION_INTERRUPT) -> str:
        """Leave ``workflow_id`` interrupted, as a stream run stopping at its Question node does; the event id."""
        event_id = f"{self.next_execute_id()}/2769808280134765896"
        self.interrupts[event_id] = (workflow_id, interrupt_type)
        return event_id

    # -- routes ----------------------------------------------------------------------------------

    def run(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(RUN, self._run, reply)

    def stream_run(self, reply: Reply | None = None, style: sse.SSEStyle = sse.DEFAULT_STYLE) -> respx.Route:
        return self._fake.serve(STREAM_RUN, lambda request: self._stream_run(request, style), reply)

    def stream_resume(self, reply: Reply | None = None, style: sse.SSEStyle = sse.DEFAULT_STYLE) -> respx.Route:
        return self._fake.serve(STREAM_RESUME, lambda request: self._stream_resume(request, style), reply)

    def run_history(self, reply: Reply | None = None) -> respx.Route:
        return self._fake.serve(RUN_HISTORY, self._run_history, reply)

    # -- handlers --------------------------------------------------------------------------------

    def _workflow(self, request: CozeRequest) -> WorkflowRecord | None:
        """The workflow a run names, after the checks the service makes on the run's body."""
        parameters = request.field("parameters")
        if parameters is not None and not isinstance(parameters, (dict, str)):
            raise MalformedRequest(f"parameters must be a JSON object, got {parameters!r}")
        bot_id, app_id = _string_or_absent(request, "bot_id"), _string_or_absent(request, "app_id")
        if bot_id and app_id:
            raise MalformedRequest("bot_id and app_id must not both be given")
        ext = request.field("ext")
        if ext is not None and not (isinstance(ext, dict) and all(isinstance(v, str) for v in ext.values())):
            raise MalformedRequest(f"ext must be a map of strings, got {ext!r}")
        return self.records.get(str(request.field("workflow_id")))

    def _run(self, request: CozeRequest) -> Reply:
        record = self._workflow(request)
        if record is None:
            return _unknown(request)
        is_async = request.field("is_async", False)
        if not isinstance(is_async, bool):
            raise MalformedRequest(f"is_async must be a boolean, got {is_async!r}")
        run = RunRecord(
            self.next_execute_id(),
            record.workflow_id,
            run_mode=2 if is_async else 0,
            bot_id=request.field("bot_id") or "0",
            space_id=record.space_id,
        )
        if is_async:
            run.execute_status, run.usage = "Running", None
            self.add_run(run)
            return envelope.Envelope(
                with_code=False, with_data=False, top={"debug_url": run.debug_url, "execute_id": run.execute_id}
            )
        run.output, run.usage = record.output_text(), record.usage
        self.add_run(run)
        return envelope.ok(record.output_text(), debug_url=run.debug_url, execute_id=run.execute_id, usage=record.usage)

    def _stream_run(self, request: CozeRequest, style: sse.SSEStyle) -> Reply:
        record = self._workflow(request)
        if record is None:
            return _unknown(request)
        events: list[tuple[str, Any]] = [
            ("Message", message(chunk, "Message", seq, seq == len(record.messages) - 1))
            for seq, chunk in enumerate(record.messages)
        ]
        if record.question is None:
            return sse.EventStream(numbered(*events, *_end(record)), style)
        event_id = self.interrupt(record.workflow_id)
        events.append(("Message", message(record.question, "Question", 0, True, content_type="text")))
        interrupt = {"data": "", "event_id": event_id, "type": QUESTION_INTERRUPT}
        events.append(("Interrupt", {"interrupt_data": interrupt, "node_title": "Question"}))
        return sse.EventStream(numbered(*events), style)

    def _stream_resume(self, request: CozeRequest, style: sse.SSEStyle) -> Reply:
        workflow_id, event_id = str(request.field("workflow_id")), str(request.field("event_id"))
        pending = self.interrupts.get(event_id)
        if pending is None or pending[0] != workflow_id:
            raise MalformedRequest(f"event_id {event_id} is no interrupt of workflow {workflow_id}")
        if request.field("interrupt_type") != pending[1]:
            raise MalformedRequest(f"interrupt_type must be {pending[1]} for event {event_id}")
        if not isinstance(request.field("resume_data"), str):
            raise MalformedRequest("resume_data must be a string")
        record = self.records.get(workflow_id)
        if record is None:
            return _unknown(request)
        del self.interrupts[event_id]
        return sse.EventStream(numbered(*_end(record)), style)

    def _run_history(self, request: CozeRequest) -> Reply:
        workflow_id, execute_id = request.path_params["workflow_id"], request.path_params["execute_id"]
        run = self.runs.get(execute_id)
        if run is None or run.workflow_id != workflow_id:
            return not_found("run", {"workflow_id": workflow_id, "execute_id": execute_id})
        return envelope.ok([run.wire()])


def _end(record: WorkflowRecord) -> tuple[tuple[str, Any], ...]:
    """The End node's output and ``Done``."""
    end = message(record.output_text(), "End", 0, True, usage=record.usage)
    return (("Message", end), ("Done", {}))


def _unknown(request: CozeRequest) -> Reply:
    return not_found("workflow", {"workflow_id": str(request.field("workflow_id"))})
