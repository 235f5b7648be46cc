"""US5, the service's whole range of answers for workflows, and async runs that finish by themselves.

The happy shapes are in ``test_workflow_client.py``; here is what else the service sends, each
answer from the docs (coze-wire-format.md section 4), a real capture or Coze Studio's source, and
what every release makes of it (sync and async):

* run replies: a coze.cn reply with ``msg: "Success"``, ``token`` and ``cost`` and no ``usage``
  or ``execute_id``; Coze Studio's async reply (``code: 0``, ``msg``/``data`` null); a failed
  workflow's error envelope **with its ``debug_url``** (``CozeAPIError.debug_url`` from 0.16.1,
  coze-py#242); ``error_code``/``error_message`` at the top level (read as an error without code);
* streams: a failed run's ``Error`` event followed by ``Done`` (a coze.cn capture); Message
  events with node fields no release declares (``node_id``, ``node_type``, ``node_execute_uuid``,
  ``content_type``, ``token``, ``cost``); the interrupt payloads: an input node (type 5, its form
  in ``interrupt_data.data``, ``required_parameters``) and its resume, a Question node answering
  with a card; ``interrupt_data.data`` and an ``Error`` event's ``debug_url`` (no release keeps
  them: coze-py#317, #314);
* run histories: a Running run as the service sends it (no ``error_message``, coze-studio#2453),
  the docs' example without ``is_output_trimmed``, a status no release knows, the nodes' states;
* an async run polled until it ends by itself (``WorkflowRecord.polls``), Success or Fail;
* request field types the service checks: a JSON number where a string belongs is a 4000.

Known breaks (strict xfail there): the ``debug_url`` of a failed run is lost before 0.16.1; a
history without ``error_message`` fails 0.7.0-0.10.2, one with ``"error_code": ""`` 0.7.0-0.13.1,
one without ``is_output_trimmed`` 0.20.0; 0.10.0-0.13.1 resume with ``id``; 0.3.0's async streams
are coroutines. Not offered: ``interrupt_data.data`` and the streamed ``debug_url`` (no release),
``node_execute_status`` before 0.17.0, the run's ``usage`` before 0.20.0.
"""

from __future__ import annotations

import json
from typing import Any

import cozepy
import pydantic
import pytest

from coze_compat import bugs, capabilities
from coze_compat.fake import envelope, sse
from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workflows import (
    INPUT_INTERRUPT,
    QUESTION_INTERRUPT,
    RUNNING_OUTPUT,
    USAGE,
    ZERO_USAGE,
    Interruption,
    RunRecord,
    WorkflowRecord,
    debug_url,
    message,
    numbered,
)
from tests.us5_workflows.support import (
    ASYNC_STREAM_BREAK,
    EXT,
    FAILURE,
    INPUT_FORM,
    STREAM_RESUME_PATH,
    acollect,
    assert_api_error,
    assert_post,
    collect,
    event_row,
    expected_run_history_row,
    json_reply,
    run_history_row,
    take_rejection,
)

DEBUG_URL_LOST = pytest.mark.known_break(bugs.workflows.ERROR_DEBUG_URL_LOST)
#: A Running history has ``"error_code": ""`` and no ``error_message``: the first bug applying is the one shown.
RUNNING_HISTORY_BREAKS = pytest.mark.known_break(
    bugs.workflows.ERROR_MESSAGE_REQUIRED, bugs.workflows.EMPTY_ERROR_CODE_REJECTED
)
#: The card a Question node answers with when cards are on (the shape of coze-py#277's card answers).
CARD = json.dumps({"card_type": 2, "question": "Which city?", "options": ["Hangzhou", "Beijing"]}, ensure_ascii=False)


def running_history(workflow_id: str, execute_id: str) -> RunRecord:
    """A Running run's history as a hosted coze.cn answer has it (coze-dev/coze-studio#2453)."""
    return RunRecord(
        execute_id,
        workflow_id,
        execute_status="Running",
        output=RUNNING_OUTPUT,
        error_message=None,
        usage=dict(ZERO_USAGE),
        node_execute_status={},
    )


def usage_of(result: Any) -> tuple[int, int, int] | None:
    """The token counts a result carries, where the release reads them (``None`` when it has none)."""
    usage = getattr(result, "usage", None)
    return usage and (usage.input_count, usage.output_count, usage.token_count)


def counts(usage: dict[str, int]) -> tuple[int, int, int]:
    return (usage["input_count"], usage["output_count"], usage["token_count"])


class TestRunAnswers:
    def test_run_reply_as_coze_cn_sends_it(
        self, coze_api: FakeCoze, coze: Any, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given the service answers a blocking run as a coze.cn reply does: ``msg: "Success"``, the run's
        ``token`` count and ``cost``, and neither ``usage`` nor ``execute_id``,
        When the workflow is run,
        Then the result carries the output and ``debug_url``, and no execute id or usage where the release has them."""
        url = debug_url("7464449491292700682", joke_workflow.workflow_id)
        body = {"code": 0, "cost": "0", "data": joke_workflow.output_text(), "debug_url": url, "msg": "Success"}
        coze_api.workflows.run(reply=json_reply({**body, "token": 269}))

        result: Any = coze.workflows.runs.create(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT)

        assert (result.data, result.debug_url) == (joke_workflow.output_text(), url)
        assert getattr(result, "execute_id", None) is None
        assert usage_of(result) is None

    @pytest.mark.needs("workflow_async_run")
    def test_async_run_reply_as_coze_studio_sends_it(
        self, coze_api: FakeCoze, coze: Any, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given the service answers an async run as Coze Studio does (``code: 0``, ``msg``, ``data``, ``token``
        and ``cost`` null next to the ``debug_url`` and ``execute_id``, A/wf:1799-1811),
        When the workflow is run with ``is_async=True``,
        Then the result carries the execute id and ``debug_url``, and no data."""
        url = debug_url("7424823131288400001", joke_workflow.workflow_id)
        body = {"code": 0, "msg": None, "data": None, "token": None, "cost": None}
        coze_api.workflows.run(reply=json_reply({**body, "debug_url": url, "execute_id": "7424823131288400001"}))

        result: Any = coze.workflows.runs.create(
            workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT, is_async=True
        )

        assert (result.execute_id, result.debug_url, result.data) == ("7424823131288400001", url, None)

    def test_run_failed_workflow(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_coze_api_token: str, failing_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose node fails,
        When it is run in blocking mode,
        Then ``CozeAPIError`` is raised with the workflow's error code and message and the reply's log id,
        and the run is recorded as failed."""
        coze_api.workflows.run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.workflows.runs.create(workflow_id=failing_workflow.workflow_id, parameters={"Query": ""})

        assert_api_error(raised.value, *FAILURE, coze_api.sdk_logid())
        [run] = coze_api.workflows.runs.values()
        assert (run.execute_status, run.error_code, run.error_message) == ("Fail", str(FAILURE[0]), FAILURE[1])

    @DEBUG_URL_LOST
    def test_run_failed_workflow_debug_url(
        self, coze_api: FakeCoze, coze: cozepy.Coze, failing_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose node fails, and the service's error reply naming the run's ``debug_url``,
        When it is run in blocking mode,
        Then the ``CozeAPIError`` carries that ``debug_url``, and says it, so the failed run can be inspected."""
        coze_api.workflows.run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.workflows.runs.create(workflow_id=failing_workflow.workflow_id, parameters={"Query": ""})

        [run] = coze_api.workflows.runs.values()
        error: Any = raised.value
        assert error.debug_url == run.debug_url
        assert str(error) == f"code: {FAILURE[0]}, msg: {FAILURE[1]}, logid: {error.logid}, debug_url: {run.debug_url}"

    @DEBUG_URL_LOST
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_run_failed_workflow_debug_url(
        self, coze_api: FakeCoze, async_coze: Any, failing_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose node fails, and an ``AsyncCoze`` client,
        When it is run in blocking mode,
        Then the ``CozeAPIError`` carries the workflow's code and message and the run's ``debug_url``."""
        coze_api.workflows.run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_coze.workflows.runs.create(workflow_id=failing_workflow.workflow_id, parameters={"Query": ""})

        [run] = coze_api.workflows.runs.values()
        error: Any = raised.value
        assert (error.code, error.msg, error.debug_url) == (*FAILURE, run.debug_url)

    def test_run_error_fields_at_top_level(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord
    ) -> None:
        """Given an error reply carrying ``error_code`` and ``error_message`` at the top level and no ``code``
        (the fields of a workflow ``Error`` event; request.py ``_parse_requests_code_msg`` reads a top-level
        ``error_message`` as an error in every release),
        When the workflow is run,
        Then ``CozeAPIError`` is raised with the message and no code: the reply's ``error_code`` is not kept."""
        url = debug_url("7579476040402583592", joke_workflow.workflow_id)
        coze_api.workflows.run(
            reply=json_reply({"error_code": FAILURE[0], "error_message": FAILURE[1], "debug_url": url})
        )

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.workflows.runs.create(workflow_id=joke_workflow.workflow_id)

        error: Any = raised.value
        assert (error.code, error.msg, error.logid) == (None, FAILURE[1], coze_api.sdk_logid())


class TestStreamAnswers:
    @pytest.mark.needs("workflow_stream")
    def test_stream_failed_workflow(
        self, coze_api: FakeCoze, coze: cozepy.Coze, failing_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose node fails,
        When it is run in streaming mode and the service sends the ``Error`` event, then ``Done``, as coze.cn does,
        Then the error is yielded with its id, code and message, and ``Done`` ends the stream."""
        coze_api.workflows.stream_run()

        events = collect(coze.workflows.runs.stream(workflow_id=failing_workflow.workflow_id, ext=EXT))

        assert [event_row(event) for event in events] == [(0, "Error", None, FAILURE, None)]

    @pytest.mark.needs("workflow_stream")
    def test_stream_message_with_node_fields_no_release_declares(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord
    ) -> None:
        """Given the End node's message carries the node's id, type and execution id, its content type, token
        count and cost (a coze.cn stream's fields; the docs list ``node_id`` and ``node_execute_uuid``),
        When the workflow is run in streaming mode,
        Then the message is yielded with its content, node title, sequence id and finish flag."""
        node = {"node_id": "900001", "node_type": "End", "node_execute_uuid": "", "content_type": "text"}
        end = message(joke_workflow.output_text(), "End", 0, True, **node, token=0, cost="0.00")
        coze_api.workflows.stream_run(reply=sse.EventStream(numbered(("Message", end), ("Done", {}))))

        events = collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, ext=EXT))

        assert [event_row(event) for event in events] == [
            (0, "Message", (joke_workflow.output_text(), "End", "0", True), None, None)
        ]

    @pytest.mark.needs("workflow_stream")
    def test_stream_interrupt_at_input_node(
        self, coze_api: FakeCoze, coze: cozepy.Coze, input_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose input node asks for the user's name (interrupt type 5, the form in
        ``interrupt_data.data`` and ``required_parameters``, no question message),
        When it is run in streaming mode,
        Then the stream is the ``Interrupt`` alone, with the event id and type 5 to resume with and the node's title."""
        coze_api.workflows.stream_run()

        events = collect(coze.workflows.runs.stream(workflow_id=input_workflow.workflow_id, ext=EXT))

        [event_id] = coze_api.workflows.interrupts
        assert [event_row(event) for event in events] == [(0, "Interrupt", None, None, (event_id, 5, "Input"))]

    @ASYNC_STREAM_BREAK
    @pytest.mark.needs("async_client", "workflow_stream")
    @pytest.mark.anyio
    async def test_async_stream_interrupt_at_input_node(
        self, coze_api: FakeCoze, async_coze: Any, input_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose input node asks for the user's name, and an ``AsyncCoze`` client,
        When it is run in streaming mode,
        Then the stream is the ``Interrupt`` with the event id, type 5 and the node's title."""
        coze_api.workflows.stream_run()

        events = await acollect(async_coze.workflows.runs.stream(workflow_id=input_workflow.workflow_id, ext=EXT))

        [event_id] = coze_api.workflows.interrupts
        assert [event_row(event) for event in events] == [(0, "Interrupt", None, None, (event_id, 5, "Input"))]

    @pytest.mark.known_break(bugs.workflows.RESUME_SENDS_ID)
    @pytest.mark.needs("workflow_resume")
    def test_resume_input_node(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_coze_api_token: str, input_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow interrupted at its input node,
        When it is resumed with interrupt type 5 and the inputs as a JSON string,
        Then one POST carries exactly those four fields and the resumed stream yields the End node's output."""
        event_id = coze_api.workflows.interrupt(input_workflow.workflow_id, INPUT_INTERRUPT)
        coze_api.workflows.stream_resume()
        resume: dict[str, Any] = {
            "workflow_id": input_workflow.workflow_id,
            "event_id": event_id,
            "resume_data": json.dumps({"name": "George"}),
            "interrupt_type": INPUT_INTERRUPT,
        }

        events = collect(coze.workflows.runs.resume(**resume))

        assert_post(coze_api.last_request(), STREAM_RESUME_PATH, resume, mock_coze_api_token)
        end = (input_workflow.output_text(), "End", "0", True)
        assert [event_row(event) for event in events] == [(0, "Message", end, None, None)]

    @pytest.mark.needs("workflow_stream")
    def test_stream_question_answered_as_card(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workflow_id: str
    ) -> None:
        """Given a published workflow whose Question node asks with a card (the question's message has
        ``content_type: card`` and the card's JSON as content),
        When it is run in streaming mode,
        Then the card comes as a message with that content, then the ``Interrupt`` of type 2."""
        stop = Interruption(question=CARD, content_type="card")
        coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output={"output": "Sunny"}, interruption=stop))
        coze_api.workflows.stream_run()

        events = collect(coze.workflows.runs.stream(workflow_id=mock_workflow_id, ext=EXT))

        [event_id] = coze_api.workflows.interrupts
        assert [event_row(event) for event in events] == [
            (0, "Message", (CARD, "Question", "0", True), None, None),
            (1, "Interrupt", None, None, (event_id, QUESTION_INTERRUPT, "Question")),
        ]

    @pytest.mark.needs("workflow_stream", "workflow_interrupt_data")
    def test_stream_interrupt_data(self, coze_api: FakeCoze, coze: cozepy.Coze, input_workflow: WorkflowRecord) -> None:
        """Given a published workflow whose input node interrupts with its form in ``interrupt_data.data``,
        When it is run in streaming mode,
        Then the interrupt carries that form, so the caller can ask the user for the fields it names."""
        coze_api.workflows.stream_run()

        [event] = collect(coze.workflows.runs.stream(workflow_id=input_workflow.workflow_id, ext=EXT))

        interrupt_data: Any = event.interrupt and event.interrupt.interrupt_data
        assert interrupt_data.data == INPUT_FORM

    @pytest.mark.needs("workflow_stream", "workflow_stream_debug_url")
    def test_stream_failed_workflow_debug_url(
        self, coze_api: FakeCoze, coze: cozepy.Coze, failing_workflow: WorkflowRecord
    ) -> None:
        """Given a published workflow whose node fails,
        When it is run in streaming mode and the ``Error`` event names the run's ``debug_url``,
        Then the yielded error carries that ``debug_url``."""
        coze_api.workflows.stream_run()

        [event] = collect(coze.workflows.runs.stream(workflow_id=failing_workflow.workflow_id, ext=EXT))

        [run] = coze_api.workflows.runs.values()
        error: Any = event.error
        assert error.debug_url == run.debug_url


class TestRunHistoryAnswers:
    @RUNNING_HISTORY_BREAKS
    @pytest.mark.needs("workflow_run_histories")
    def test_get_running_workflow_result_as_the_service_sends_it(
        self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str
    ) -> None:
        """Given an async run still Running, whose history the service sends without ``error_message``, with
        ``"error_code": ""``, empty ``node_execute_status``, zero usage and the output of no node yet
        (coze-dev/coze-studio#2453),
        When its result is retrieved,
        Then the result says Running, with that output, error code 0 and an empty error message."""
        run = coze_api.workflows.add_run(running_history(mock_workflow_id, coze_api.workflows.next_execute_id()))
        coze_api.workflows.run_history()

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        run.error_message = ""
        assert run_history_row(result) == expected_run_history_row(run, 0)

    @RUNNING_HISTORY_BREAKS
    @pytest.mark.needs("async_client", "workflow_run_histories")
    @pytest.mark.anyio
    async def test_async_get_running_workflow_result_as_the_service_sends_it(
        self, coze_api: FakeCoze, async_coze: Any, mock_workflow_id: str
    ) -> None:
        """Given an async run still Running, whose history has no ``error_message``, and an ``AsyncCoze`` client,
        When its result is retrieved,
        Then the result says Running, with error code 0 and an empty error message."""
        run = coze_api.workflows.add_run(running_history(mock_workflow_id, coze_api.workflows.next_execute_id()))
        coze_api.workflows.run_history()

        result: Any = await async_coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        assert (result.execute_status.value, result.error_code, result.error_message) == ("Running", 0, "")

    @pytest.mark.known_break(bugs.workflows.EMPTY_ERROR_CODE_REJECTED, bugs.workflows.OUTPUT_TRIMMED_REQUIRED)
    @pytest.mark.needs("workflow_run_histories")
    def test_get_workflow_result_as_the_docs_show_it(
        self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str
    ) -> None:
        """Given a finished run whose history is the docs' example: no ``is_output_trimmed`` (DOC workflow_history),
        When its result is retrieved,
        Then the result gives the run's status, output, error code 0 and the rest of its history."""
        run = coze_api.workflows.add_run(
            RunRecord(coze_api.workflows.next_execute_id(), mock_workflow_id, output='{"Output":"Hi"}', run_mode=0)
        )
        run.is_output_trimmed = None
        coze_api.workflows.run_history()

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        assert run_history_row(result) == expected_run_history_row(run, 0)

    @pytest.mark.needs("workflow_run_histories")
    def test_get_workflow_result_with_a_status_no_release_knows(
        self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str
    ) -> None:
        """Given a run whose history reports a status outside Success, Running and Fail (``Cancel``: Coze
        Studio's ``WorkflowExeStatus_Cancel``),
        When its result is retrieved,
        Then every release raises a pydantic ``ValidationError`` naming ``execute_status`` (a plain ``Enum``)."""
        run = coze_api.workflows.add_run(
            RunRecord(coze_api.workflows.next_execute_id(), mock_workflow_id, execute_status="Cancel")
        )
        coze_api.workflows.run_history()

        with pytest.raises(pydantic.ValidationError) as raised:
            coze.workflows.runs.run_histories.retrieve(workflow_id=mock_workflow_id, execute_id=run.execute_id)

        assert ("execute_status",) in [error["loc"] for error in raised.value.errors()]

    @pytest.mark.needs("workflow_run_history_node_status")
    def test_get_workflow_result_node_execute_status(
        self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str
    ) -> None:
        """Given a run whose history reports the state of its output node (DOC workflow_history NodeExecuteStatus),
        When its result is retrieved,
        Then ``node_execute_status`` gives that node's id, finish flag, time and execution id."""
        node = {"node_id": "900001", "is_finish": True, "update_time": 1730174065, "node_execute_uuid": "78923456777"}
        run = coze_api.workflows.add_run(RunRecord(coze_api.workflows.next_execute_id(), mock_workflow_id))
        run.node_execute_status = {"Output_1": node}
        coze_api.workflows.run_history()

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        status = result.node_execute_status["Output_1"]
        assert (status.node_id, status.is_finish, status.update_time, status.node_execute_uuid) == tuple(node.values())


class TestAsyncRunsFinish:
    @RUNNING_HISTORY_BREAKS
    @pytest.mark.needs("workflow_async_run", "workflow_run_histories")
    def test_async_run_finishes_after_polls(
        self, coze_api: FakeCoze, coze: Any, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a workflow whose async runs take two polls of their history to finish,
        When it is run with ``is_async=True`` and its result is retrieved until it is no longer Running,
        Then the first two reads say Running with the output of no node yet, and the third Success with the
        End node's output (and the run's usage where the release reads it)."""
        joke_workflow.polls = 2
        coze_api.workflows.run()
        coze_api.workflows.run_history()
        started: Any = coze.workflows.runs.create(
            workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, is_async=True
        )

        results: list[Any] = [
            coze.workflows.runs.run_histories.retrieve(
                workflow_id=joke_workflow.workflow_id, execute_id=started.execute_id
            )
            for _ in range(3)
        ]

        assert [(result.execute_status.value, result.output) for result in results] == [
            ("Running", RUNNING_OUTPUT),
            ("Running", RUNNING_OUTPUT),
            ("Success", joke_workflow.output_text()),
        ]
        if capabilities.offers("workflow_run_history_usage"):
            assert [usage_of(result) for result in results] == [counts(ZERO_USAGE)] * 2 + [counts(USAGE)]

    @RUNNING_HISTORY_BREAKS
    @pytest.mark.needs("async_client", "workflow_async_run", "workflow_run_histories")
    @pytest.mark.anyio
    async def test_async_client_run_finishes_after_polls(
        self, coze_api: FakeCoze, async_coze: Any, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a workflow whose async runs take one poll of their history to finish, and an ``AsyncCoze`` client,
        When it is run with ``is_async=True`` and its result is retrieved until it is no longer Running,
        Then the first read says Running and the second Success with the End node's output."""
        coze_api.workflows.run()
        coze_api.workflows.run_history()
        started: Any = await async_coze.workflows.runs.create(
            workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, is_async=True
        )
        histories = async_coze.workflows.runs.run_histories

        results = [
            await histories.retrieve(workflow_id=joke_workflow.workflow_id, execute_id=started.execute_id)
            for _ in range(2)
        ]

        assert [(result.execute_status.value, result.output) for result in results] == [
            ("Running", RUNNING_OUTPUT),
            ("Success", joke_workflow.output_text()),
        ]

    @RUNNING_HISTORY_BREAKS
    @pytest.mark.needs("workflow_async_run", "workflow_run_histories")
    def test_async_run_of_failing_workflow_ends_failed(
        self, coze_api: FakeCoze, coze: Any, failing_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow whose node fails, run with ``is_async=True`` (the service accepts the run at once),
        When its result is retrieved until it is no longer Running,
        Then the run ends Fail, with the workflow's error code (the wire's string as a number) and message."""
        coze_api.workflows.run()
        coze_api.workflows.run_history()
        started: Any = coze.workflows.runs.create(workflow_id=failing_workflow.workflow_id, is_async=True)

        results: list[Any] = [
            coze.workflows.runs.run_histories.retrieve(
                workflow_id=failing_workflow.workflow_id, execute_id=started.execute_id
            )
            for _ in range(2)
        ]

        assert [(result.execute_status.value, result.error_code, result.error_message) for result in results] == [
            ("Running", 0, ""),
            ("Fail", FAILURE[0], FAILURE[1]),
        ]


class TestRequestTypes:
    def test_run_with_a_numeric_workflow_id_is_rejected(
        self, coze_api: FakeCoze, coze: Any, joke_workflow: WorkflowRecord
    ) -> None:
        """Given a caller that passes the workflow id as a number,
        When the workflow is run,
        Then the service rejects the request with 4000 (ids are strings), which cozepy raises as ``CozeAPIError``."""
        coze_api.workflows.run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.workflows.runs.create(workflow_id=int(joke_workflow.workflow_id))

        reason = f"workflow_id must be a string, got {joke_workflow.workflow_id}"
        assert take_rejection(coze_api) == reason
        assert (raised.value.code, raised.value.msg) == (
            envelope.BAD_REQUEST[0],
            f"{envelope.BAD_REQUEST[1]}: {reason}",
        )
        assert coze_api.workflows.runs == {}

    @pytest.mark.known_break(
        bugs.workflows.RESUME_SENDS_ID, bugs.chat.STREAM_ERROR_UNCHECKED, bugs.chat.STREAM_ERROR_NOT_READ
    )
    @pytest.mark.needs("workflow_resume")
    def test_resume_with_a_string_interrupt_type_is_rejected(
        self, coze_api: FakeCoze, coze: Any, question_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow interrupted at its Question node, and a caller that passes the interrupt type as ``"2"``,
        When the workflow is resumed,
        Then the service rejects the request with 4000 (the type is an integer) and the interrupt still waits."""
        event_id = coze_api.workflows.interrupt(question_workflow.workflow_id)
        coze_api.workflows.stream_resume()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            collect(
                coze.workflows.runs.resume(
                    workflow_id=question_workflow.workflow_id,
                    event_id=event_id,
                    resume_data="Hangzhou",
                    interrupt_type="2",
                )
            )

        assert take_rejection(coze_api) == "interrupt_type must be an integer, got '2'"
        assert raised.value.code == envelope.BAD_REQUEST[0]
        assert list(coze_api.workflows.interrupts) == [event_id]
