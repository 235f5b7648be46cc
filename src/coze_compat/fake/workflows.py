"""Workflows: run (blocking and async), stream, resume, run histories and workflow chat (coze-wire-format.md §4).

The fake holds the published workflows (``WorkflowRecord``) and the runs it knows (``RunRecord``):

* ``POST /v1/workflow/run`` answers the End node's output as a JSON *string* in ``data``, with
  ``debug_url``, ``execute_id`` and ``usage`` next to it at the top level (DOC workflow_run; a
  2026-04 coze.cn capture has the same keys). With ``is_async: true`` it records a Running run and
  answers only ``debug_url``, ``execute_id`` and ``msg`` (no ``code``, no ``data``), as the docs'
  async example does. A workflow that fails (``WorkflowRecord.failure``) answers its error code
  and message *with* the run's ``debug_url`` at the top level (Coze Studio sends ``debug_url`` with
  its workflow errors, ``A/wf:1749-1751``; coze-py#242 reads it since 0.16.1).
* ``POST /v1/workflow/stream_run`` streams three-line events (``id:``, ``event:``, ``data:``), ids
  from 0: the Message node's chunks, then the End node's output, then ``Done`` whose data carries
  the ``debug_url`` (the docs' text "data 中包含 debug URL", Coze Studio ``A/wf:1429-1434``, a
  2025-12 coze.cn capture: ``{"node_execute_uuid":"","debug_url":...}``). A failing workflow
  streams an ``Error`` event ``{error_code, error_message, debug_url, node_execute_uuid}`` and then
  ``Done``, as that capture shows. A workflow with a Question node (or an input node,
  ``Interruption``) stops instead with the question and an ``Interrupt`` (no ``Done``, as in the
  docs).
* ``POST /v1/workflow/stream_resume`` takes the interrupt's ``event_id`` and ``interrupt_type``
  back and streams the End node's output and ``Done``, ids from 0 again.
* ``GET /v1/workflows/{workflow_id}/run_histories/{execute_id}`` answers ``data`` as a one-element
  array; ``error_code`` is a string, ``""`` when the run did not fail. **An async run finishes by
  itself**: its history answers Running for ``WorkflowRecord.polls`` reads, then the run's end
  (Success with the output and usage, or Fail with the workflow's failure). A Running history has
  no ``error_message`` and ``node_execute_status: {}``, zero usage and the output
  ``{"node_status":"{}","Output":""}`` (a hosted coze.cn answer quoted in coze-dev/coze-studio#2453,
  2025-11; cozepy's own fixture of a Running history, tests/test_workflow_run_history.py of
  coze-py#226, has no ``error_message`` either).
* ``POST /v1/workflows/chat`` (workflow chat, a chatflow) streams *chat* events, two lines each
  (DOC workflow_chat): ``conversation.chat.created``, ``conversation.chat.in_progress``, one
  ``conversation.message.delta`` per chunk, the completed answer, the completed ``verbose``
  ``generate_answer_finish`` message, ``conversation.chat.completed`` with the usage, then ``done``
  with ``{"debug_url": ...}``. The chat runs in the ``conversation_id`` given (in the body) or a new
  conversation, where the user's messages and the answer are saved. A chatflow with a Question node
  answers the question, with the ``verbose`` ``interrupt`` message of the docs' example, and the
  next chat in that conversation (the user's answer in ``additional_messages``) goes on to the end.

Every run, stream run, resume and chatflow chat is recorded as a ``RunRecord`` (run mode 0 sync, 1
stream, 2 async), the one its ``debug_url`` names; a test may also add runs itself (``add_run``),
which keep the state it gave them unless it gives them an ``outcome``.

The service checks the request's field types (coze-dev/coze-studio ``M/wf:71527-71543``, the docs'
String/Integer/Boolean columns): ids (``workflow_id``, ``bot_id``, ``app_id``, ``conversation_id``,
``event_id``, ``connector_id``, ``workflow_version``) are strings, so a JSON number where a string
belongs is a 4000; ``parameters`` is an object (or its JSON string), ``ext`` a map of strings,
``is_async`` a boolean, ``interrupt_type`` an integer, ``resume_data`` a string. Giving both
``bot_id`` and ``app_id`` (the docs: "请勿同时指定 bot_id 和 app_id ... 报错 4000"), a chatflow with
neither (the docs: "必须指定 app_id 或 bot_id"), or a resume for an interrupt the fake never sent is
a request the service rejects with 4000. An unknown workflow gets 4200 (the docs: running an
unpublished workflow returns 4200).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import respx

from coze_compat.fake import envelope, sse
from coze_compat.fake.conversations import ConversationRecord, message_fields
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
RUN_HISTORY = Endpoint(
    "workflows.runs.run_histories.retrieve",
    "GET",
    r"/v1/workflows/(?P<workflow_id>[^/]+)/run_histories/(?P<execute_id>[^/]+)",
)
#: DOC workflow_chat: ``workflow_id`` and ``additional_messages`` are required (必选).
CHAT = Endpoint(
    "workflows.chat.stream",
    "POST",
    r"/v1/workflows/chat",
    required_body=("workflow_id", "additional_messages"),
    has_body=True,
)

SPACE_ID = "7376207281939038251"
#: ``interrupt_data.type`` (DOC workflow_run "Interrupt"): 2 a Question node, 5 an input node,
#: 6 a client plugin, 7 an OAuth plugin.
QUESTION_INTERRUPT = 2
INPUT_INTERRUPT = 5
INTERRUPT_TYPES = (QUESTION_INTERRUPT, INPUT_INTERRUPT, 6, 7)
#: The docs' example usage.
USAGE = {"input_count": 50, "output_count": 100, "token_count": 150}
ZERO_USAGE = {"input_count": 0, "output_count": 0, "token_count": 0}
#: The output of a Running run's history (coze-dev/coze-studio#2453, a hosted coze.cn answer).
RUNNING_OUTPUT = '{"node_status":"{}","Output":""}'
#: The ids and string fields the service reads as strings (see the module docstring).
STRING_FIELDS = ("bot_id", "app_id", "connector_id", "workflow_version")
#: The ``verbose`` messages of a chatflow's stream (DOC workflow_chat, the stream example).
ANSWER_FINISH = {"msg_type": "generate_answer_finish", "data": '{"finish_reason":1,"FinData":""}'}
INTERRUPTED = {"msg_type": "interrupt", "data": ""}


def compact_json(value: Any) -> str:
    """``value`` as the service writes JSON inside a string: compact, not ASCII-escaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def debug_url(execute_id: str, workflow_id: str, space_id: str = SPACE_ID) -> str:
    """The run's ``debug_url``, as the service builds it from the execute, space and workflow ids."""
    return f"https://www.coze.com/work_flow?execute_id={execute_id}&space_id={space_id}&workflow_id={workflow_id}"


@dataclass(frozen=True)
class Interruption:
    """Where a stream run stops for the user (``interrupt_data``, DOC workflow_run "Interrupt").

    A Question node first streams its question as a Message and interrupts with ``data: ""`` (the
    docs' example); an input node interrupts with the form it needs in ``data`` (a JSON string) and
    ``required_parameters``; a Question node answering with a card sends the question as a Message
    whose ``content_type`` is ``card``.
    """

    node_title: str = "Question"
    type: int = QUESTION_INTERRUPT
    question: str | None = None
    content_type: str = "text"
    data: str = ""
    required_parameters: dict[str, Any] | None = None

    def interrupt_data(self, event_id: str) -> dict[str, Any]:
        """The Interrupt event's ``interrupt_data`` for ``event_id``."""
        data: dict[str, Any] = {"data": self.data, "event_id": event_id, "type": self.type}
        if self.required_parameters is not None:
            data["required_parameters"] = self.required_parameters
        return data


@dataclass
class WorkflowRecord:
    """A published workflow (``coze_api.workflows.add``): an optional Message node, an optional Question or
    input node, an End node.

    Runs of it answer ``output`` (the End node's, sent as a JSON string) and ``usage``; a stream run
    first streams the ``messages`` chunks; ``question``/``interruption`` make a stream run stop with an
    Interrupt (resumed by ``stream_resume``); ``failure`` makes every run fail with that error;
    ``polls`` is how many run-history reads an async run stays Running (DOC workflow_run, workflow_history).
    """

    workflow_id: str
    output: dict[str, Any]  # what the End node outputs; runs send it as a JSON string
    messages: tuple[str, ...] = ()  # the chunks a Message node streams before the End node
    question: str | None = None  # a Question node: a stream run stops with an Interrupt asking this
    usage: dict[str, int] = field(default_factory=lambda: dict(USAGE))
    space_id: str = SPACE_ID
    #: Where a stream run stops, when it is not a plain Question node asking ``question``.
    interruption: Interruption | None = None
    #: How many run-history reads an async run of this workflow answers Running before it ends.
    polls: int = 1
    #: ``(code, message)``: the workflow fails with this error (every run of it does).
    failure: tuple[int, str] | None = None

    def output_text(self) -> str:
        """The End node's output as the JSON string runs send."""
        return compact_json(self.output)

    def stops_at(self) -> Interruption | None:
        """Where a stream run stops for the user, if anywhere."""
        if self.interruption is not None:
            return self.interruption
        return None if self.question is None else Interruption(question=self.question)


@dataclass(frozen=True)
class RunOutcome:
    """How a run ends: what its history says once it is no longer Running."""

    execute_status: str
    output: str = ""
    error_code: str = ""
    error_message: str = ""
    usage: dict[str, int] | None = None

    @classmethod
    def of(cls, record: WorkflowRecord) -> RunOutcome:
        """How a run of ``record`` ends: its failure, or Success with its output and usage."""
        if record.failure is not None:
            code, message = record.failure
            return cls("Fail", error_code=str(code), error_message=message, usage=dict(ZERO_USAGE))
        return cls("Success", output=record.output_text(), usage=dict(record.usage))


@dataclass
class RunRecord:
    """One execution of a workflow, as its run history reports it (``coze_api.workflows.runs``, by execute id).

    The fake records one for every run, stream run, resume and chatflow chat; a test may add its own
    (``coze_api.workflows.add_run``) to serve a history as given, or with an ``outcome`` and
    ``polls_left`` one that ends by itself after that many reads.
    """

    execute_id: str
    workflow_id: str
    execute_status: str = "Success"  # Success | Running | Fail
    output: str = ""
    error_code: str = ""  # a string on the wire, "" unless the run failed
    error_message: str | None = ""  # None: absent, as in a Running run's history
    run_mode: int = 2  # 0 sync, 1 stream, 2 async
    bot_id: str = "0"  # "0" when the run named no bot
    connector_id: str = "1024"  # the API connector
    connector_uid: str = "2478774393255"
    logid: str = "20241029115423ED85C3401395715F726E"  # the run's own log id
    create_time: int = 1730174063
    update_time: int = 1730174065
    usage: dict[str, int] | None = field(default_factory=lambda: dict(USAGE))
    space_id: str = SPACE_ID
    is_output_trimmed: bool | None = False  # None: absent, as in the docs' example
    node_execute_status: dict[str, Any] | None = None  # None: absent
    #: How the run ends, and after how many more history reads (None: it stays as it is).
    outcome: RunOutcome | None = None
    polls_left: int = 0

    @property
    def debug_url(self) -> str:
        """The run's ``debug_url``."""
        return debug_url(self.execute_id, self.workflow_id, self.space_id)

    def poll(self) -> None:
        """One read of the history: a Running run with an outcome ends once its polls are used up."""
        if self.execute_status != "Running" or self.outcome is None:
            return
        if self.polls_left > 0:
            self.polls_left -= 1
            return
        outcome, self.outcome = self.outcome, None
        self.execute_status, self.output, self.usage = outcome.execute_status, outcome.output, outcome.usage
        self.error_code, self.error_message = outcome.error_code, outcome.error_message
        self.node_execute_status, self.update_time = None, self.update_time + 1

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
            "debug_url": self.debug_url,
        }
        optional = {
            "error_message": self.error_message,
            "is_output_trimmed": self.is_output_trimmed,
            "usage": self.usage,
            "node_execute_status": self.node_execute_status,
        }
        item.update((name, value) for name, value in optional.items() if value is not None)
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


def _workflow_id(request: CozeRequest) -> str:
    return _string_or_absent(request, "workflow_id") or ""


def _string_map(value: Any, name: str) -> None:
    if value is not None and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
        raise MalformedRequest(f"{name} must be a map of strings, got {value!r}")


class WorkflowsAPI:
    """The workflows endpoints of the fake, the workflows they run and the runs they recorded."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, WorkflowRecord] = {}
        self.runs: dict[str, RunRecord] = {}
        #: interrupts waiting for a resume: event_id -> (workflow_id, interrupt type)
        self.interrupts: dict[str, tuple[str, int]] = {}
        #: chatflow conversations waiting for the user's answer to a Question node: conversation id -> workflow id
        self.waiting_chats: dict[str, str] = {}
        self._ids = itertools.count(1)

    def add(self, record: WorkflowRecord) -> WorkflowRecord:
        """Publish ``record``: runs of its ``workflow_id`` are served from it."""
        self.records[record.workflow_id] = record
        return record

    def add_run(self, run: RunRecord) -> RunRecord:
        """A run the service knows already (its history is served as given, unless it has an ``outcome``)."""
        self.runs[run.execute_id] = run
        return run

    def next_execute_id(self) -> str:
        """A fresh execute id in the service's form."""
        return f"7431040978805{next(self._ids):06d}"

    def interrupt(self, workflow_id: str, interrupt_type: int = QUESTION_INTERRUPT) -> str:
        """Leave ``workflow_id`` interrupted, as a stream run stopping at its Question node does; the event id."""
        event_id = f"{self.next_execute_id()}/2769808280134765896"
        self.interrupts[event_id] = (workflow_id, interrupt_type)
        return event_id

    # -- routes ----------------------------------------------------------------------------------

    def run(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/workflow/run``: a blocking run (the End node's output), or with ``is_async`` a Running run."""
        return self._fake.serve(RUN, self._run, reply)

    def stream_run(self, reply: Reply | None = None, style: sse.SSEStyle = sse.DEFAULT_STYLE) -> respx.Route:
        """``POST /v1/workflow/stream_run``: the run's events in ``style`` (Message, Interrupt, Error, Done)."""
        return self._fake.serve(STREAM_RUN, lambda request: self._stream_run(request, style), reply)

    def stream_resume(self, reply: Reply | None = None, style: sse.SSEStyle = sse.DEFAULT_STYLE) -> respx.Route:
        """``POST /v1/workflow/stream_resume``: resumes an Interrupt the fake sent; the rest of the run."""
        return self._fake.serve(STREAM_RESUME, lambda request: self._stream_resume(request, style), reply)

    def run_history(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/workflows/{workflow_id}/run_histories/{execute_id}``: the run, one read of its life."""
        return self._fake.serve(RUN_HISTORY, self._run_history, reply)

    def chat(self, reply: Reply | None = None, style: sse.SSEStyle = sse.DEFAULT_STYLE) -> respx.Route:
        """``POST /v1/workflows/chat``: a chatflow's chat events in ``style``, saved in its conversation."""
        return self._fake.serve(CHAT, lambda request: self._chat(request, style), reply)

    # -- handlers --------------------------------------------------------------------------------

    def _workflow(self, request: CozeRequest) -> WorkflowRecord | None:
        """The workflow a run names, after the checks the service makes on the run's body."""
        workflow_id = _workflow_id(request)
        parameters = request.field("parameters")
        if parameters is not None and not isinstance(parameters, (dict, str)):
            raise MalformedRequest(f"parameters must be a JSON object, got {parameters!r}")
        bot_id, app_id = (_string_or_absent(request, name) for name in STRING_FIELDS[:2])
        for name in STRING_FIELDS[2:]:
            _string_or_absent(request, name)
        if bot_id and app_id:
            raise MalformedRequest("bot_id and app_id must not both be given")
        _string_map(request.field("ext"), "ext")
        return self.records.get(workflow_id)

    def _new_run(self, request: CozeRequest, record: WorkflowRecord, run_mode: int) -> RunRecord:
        return self.add_run(
            RunRecord(
                self.next_execute_id(),
                record.workflow_id,
                run_mode=run_mode,
                bot_id=request.field("bot_id") or "0",
                space_id=record.space_id,
            )
        )

    def _run(self, request: CozeRequest) -> Reply:
        record = self._workflow(request)
        if record is None:
            return _unknown(request)
        is_async = request.field("is_async", False)
        if not isinstance(is_async, bool):
            raise MalformedRequest(f"is_async must be a boolean, got {is_async!r}")
        run = self._new_run(request, record, 2 if is_async else 0)
        if is_async:
            run.execute_status, run.output, run.usage, run.error_message = (
                "Running",
                RUNNING_OUTPUT,
                dict(ZERO_USAGE),
                None,
            )
            run.node_execute_status, run.outcome, run.polls_left = {}, RunOutcome.of(record), record.polls
            return envelope.Envelope(
                with_code=False, with_data=False, top={"debug_url": run.debug_url, "execute_id": run.execute_id}
            )
        self._end(run, RunOutcome.of(record))
        if record.failure is not None:
            code, msg = record.failure
            return envelope.Envelope(code=code, msg=msg, with_data=False, top={"debug_url": run.debug_url})
        return envelope.ok(record.output_text(), debug_url=run.debug_url, execute_id=run.execute_id, usage=run.usage)

    @staticmethod
    def _end(run: RunRecord, outcome: RunOutcome) -> None:
        run.execute_status, run.outcome, run.polls_left = "Running", outcome, 0
        run.poll()

    def _stream_run(self, request: CozeRequest, style: sse.SSEStyle) -> Reply:
        record = self._workflow(request)
        if record is None:
            return _unknown(request)
        run = self._new_run(request, record, 1)
        self._end(run, RunOutcome.of(record))
        events: list[tuple[str, Any]] = [
            ("Message", message(chunk, "Message", seq, seq == len(record.messages) - 1))
            for seq, chunk in enumerate(record.messages)
        ]
        stop = record.stops_at()
        if stop is None or record.failure is not None:
            return sse.EventStream(numbered(*events, *_end(record, run)), style)
        run.execute_status, run.outcome = "Running", None
        event_id = self.interrupt(record.workflow_id, stop.type)
        if stop.question is not None:
            events.append(("Message", message(stop.question, stop.node_title, 0, True, content_type=stop.content_type)))
        events.append(("Interrupt", {"interrupt_data": stop.interrupt_data(event_id), "node_title": stop.node_title}))
        return sse.EventStream(numbered(*events), style)

    def _stream_resume(self, request: CozeRequest, style: sse.SSEStyle) -> Reply:
        workflow_id = _workflow_id(request)
        event_id = _string_or_absent(request, "event_id")
        pending = self.interrupts.get(event_id or "")
        if pending is None or pending[0] != workflow_id:
            raise MalformedRequest(f"event_id {event_id} is no interrupt of workflow {workflow_id}")
        interrupt_type = request.field("interrupt_type")
        if not isinstance(interrupt_type, int) or isinstance(interrupt_type, bool):
            raise MalformedRequest(f"interrupt_type must be an integer, got {interrupt_type!r}")
        if interrupt_type != pending[1]:
            raise MalformedRequest(f"interrupt_type must be {pending[1]} for event {event_id}")
        if not isinstance(request.field("resume_data"), str):
            raise MalformedRequest("resume_data must be a string")
        record = self.records.get(workflow_id)
        if record is None:
            return _unknown(request)
        del self.interrupts[event_id or ""]
        run = self._new_run(request, record, 1)
        self._end(run, RunOutcome.of(record))
        return sse.EventStream(numbered(*_end(record, run)), style)

    def _run_history(self, request: CozeRequest) -> Reply:
        workflow_id, execute_id = request.path_params["workflow_id"], request.path_params["execute_id"]
        run = self.runs.get(execute_id)
        if run is None or run.workflow_id != workflow_id:
            return not_found("run", {"workflow_id": workflow_id, "execute_id": execute_id})
        run.poll()
        return envelope.ok([run.wire()])

    def _chat(self, request: CozeRequest, style: sse.SSEStyle) -> Reply:
        record = self._workflow(request)
        if not (request.field("bot_id") or request.field("app_id")):
            raise MalformedRequest("a workflow chat needs bot_id or app_id")
        conversation_id = _string_or_absent(request, "conversation_id")
        raw_messages = request.field("additional_messages")
        if not isinstance(raw_messages, list) or not raw_messages:
            raise MalformedRequest(f"additional_messages must be a non-empty array, got {raw_messages!r}")
        messages = [message_fields(raw, CHAT.name) for raw in raw_messages]
        if messages[-1][0] != "user":
            raise MalformedRequest("the last of additional_messages must be the user's question")
        if record is None:
            return _unknown(request)
        conversations = self._fake.conversations
        if conversation_id is None:
            conversation = conversations.new(bot_id=request.field("bot_id") or "")
        elif conversation_id in conversations.records:
            conversation = conversations.records[conversation_id]
        else:
            return not_found("conversation", {"conversation_id": conversation_id})
        for role, kind, content, content_type, meta_data in messages:
            conversations.add_message(conversation, role, kind, content, content_type=content_type, meta_data=meta_data)
        run = self._new_run(request, record, 1)
        self._end(run, RunOutcome.of(record))
        return sse.EventStream(tuple(self._chat_events(record, conversation, run)), style)

    def _chat_events(
        self, record: WorkflowRecord, conversation: ConversationRecord, run: RunRecord
    ) -> list[sse.SSEEvent]:
        conversations = self._fake.conversations
        chat_id = conversations.next_id()
        stop = record.stops_at()
        question = None if stop is None else stop.question
        chunks: tuple[str, ...]
        if question is not None and conversation.id not in self.waiting_chats:
            self.waiting_chats[conversation.id] = record.workflow_id
            chunks, verbose, usage = (question,), INTERRUPTED, dict(ZERO_USAGE)
        else:
            self.waiting_chats.pop(conversation.id, None)
            chunks, verbose, usage = record.messages or (record.output_text(),), ANSWER_FINISH, dict(record.usage)
        answer = conversations.add_message(conversation, "assistant", "answer", "".join(chunks), chat_id=chat_id)
        chat = {
            "id": chat_id,
            "conversation_id": conversation.id,
            "created_at": answer.created_at,
            "last_error": {"code": 0, "msg": ""},
            "section_id": conversation.last_section_id,
        }
        message_base = {
            "id": answer.id,
            "conversation_id": conversation.id,
            "role": "assistant",
            "type": "answer",
            "content_type": "text",
            "chat_id": chat_id,
            "section_id": conversation.last_section_id,
        }
        times = {"created_at": answer.created_at, "updated_at": answer.created_at}
        verbose_content = compact_json({**verbose, "from_module": None, "from_unit": None})
        finish = {**message_base, **times, "id": conversations.next_id(), "type": "verbose", "content": verbose_content}
        return [
            sse.SSEEvent("conversation.chat.created", {**chat, "status": "created", "usage": dict(ZERO_USAGE)}),
            sse.SSEEvent("conversation.chat.in_progress", {**chat, "status": "in_progress", "usage": dict(ZERO_USAGE)}),
            *(sse.SSEEvent("conversation.message.delta", {**message_base, "content": chunk}) for chunk in chunks),
            sse.SSEEvent("conversation.message.completed", {**message_base, **times, "content": answer.content}),
            sse.SSEEvent("conversation.message.completed", finish),
            sse.SSEEvent("conversation.chat.completed", {**chat, "status": "completed", "usage": usage}),
            sse.SSEEvent("done", {"debug_url": run.debug_url}),
        ]


def _end(record: WorkflowRecord, run: RunRecord) -> tuple[tuple[str, Any], ...]:
    """The End node's output (or the workflow's ``Error``), then ``Done`` with the run's ``debug_url``."""
    done = ("Done", {"node_execute_uuid": "", "debug_url": run.debug_url})
    if record.failure is not None:
        code, msg = record.failure
        error = {"error_code": code, "node_execute_uuid": "", "error_message": msg, "debug_url": run.debug_url}
        return (("Error", error), done)
    return (("Message", message(record.output_text(), "End", 0, True, usage=record.usage)), done)


def _unknown(request: CozeRequest) -> Reply:
    return not_found("workflow", {"workflow_id": str(request.field("workflow_id"))})
