"""US5, workflow operations (T036-T045): running workflows and reading their results through cozepy.

What a backend does with a published Coze workflow, checked through the installed cozepy against
the fake Coze API (coze-wire-format.md section 4):

* a blocking run, ``POST /v1/workflow/run`` (``workflows.runs.create``, T036): the whole request
  body (workflow id, ``parameters``, ``bot_id``, ``ext``, ``app_id`` where offered, ``is_async``
  always sent where offered, nothing the caller did not give); the result's ``data`` (a JSON
  *string* on the wire), ``debug_url``, ``execute_id`` and token ``usage``; ``is_async=True``
  answering an execute id and no data; an unpublished workflow (4200); a reply without
  ``debug_url``;
* a streaming run, ``POST /v1/workflow/stream_run`` (``workflows.runs.stream``, T037): the
  three-line events (``id:``, ``event:``, ``data:``) in every wire form of ``sse.STYLES`` (space
  or none after the colon, no blank lines, CRLF, 7-byte network chunks), event ids in order,
  message content, node titles and sequence ids, ``Done`` ending the stream; ``Error`` events
  yielded with their code and message; ``Interrupt`` with its event id and type, and the resume
  after it, ``POST /v1/workflow/stream_resume``; a ``PING`` heartbeat; malformed streams (a
  non-numeric event id, invalid JSON) and a JSON error envelope answering a stream request;
* a run's result by execute id, ``GET /v1/workflows/{id}/run_histories/{execute_id}``
  (``workflows.runs.run_histories.retrieve``, T038): Success, Fail and Running, output, error code
  and message (the empty-string ``error_code`` the service sends for a run that did not fail),
  timestamps, run mode, the run's and the reply's log ids, usage, ``debug_url``;
* the same through ``AsyncCoze`` (T044 and the ``test_async_*`` twins).

**Workflow logs (T039-T043) are capability probes, not tests of an API.** Listing workflow logs
filtered by status, date range and keyword, with pagination, is offered by no cozepy release and
by no documented Coze endpoint: ``run_histories`` retrieves one run by id, nothing lists runs
(coze-wire-format.md section 4e; the filterable workflow-log API is Dify's ``/workflows/logs``).
No client code is invented for it. Each of the five tests is skipped as not offered while the
probe in ``coze_compat.capabilities.workflows`` finds no such listing with that filter in the
installed cozepy; the day a release adds one, the probe stops skipping and the test FAILS, asking
for real assertions to be written.

Across the matrix, not offered (skipped): ``AsyncCoze`` before 0.3.0; ``is_async``, the result's
``execute_id`` and ``run_histories`` before 0.7.0; ``app_id`` on blocking and streaming runs before
0.12.0 (coze-py#179: an app's workflow could not be streamed); ``usage`` on run results, streamed
messages and run histories before 0.20.0.

Known breaks (the release has the feature and behaves differently; strict xfail there; the causes
are the bugs of ``coze_compat.bugs.workflows`` and ``bugs.chat``):

* 0.2.0-0.11.0: the run and stream-run bodies carry ``"bot_id": null, "ext": null`` for what the
  caller left out;
* 0.2.0-0.5.0: a JSON error envelope answering a stream request is read as an SSE line (an
  invalid-event error, not ``CozeAPIError``); 0.6.0 raises ``httpx.ResponseNotRead`` for it; through
  ``AsyncCoze``, 0.6.1-0.16.2 raise ``httpx.ResponseNotRead`` (a sync ``read()`` on the async
  response);
* 0.2.0-0.16.1: a ``PING`` heartbeat event aborts the stream with ``ValueError``;
* 0.3.0: the async ``stream``/``resume`` are coroutines returning an ``AsyncStream``, not async
  iterators;
* 0.7.0-0.13.1: a run history with the empty-string ``error_code`` fails validation;
* 0.10.0-0.13.1: ``resume`` sends the interrupt's event id as ``id``, not ``event_id``: rejected.

The service's other answers (nulls, absent fields, failed runs, interrupt payloads, async runs that
finish by themselves) are in ``test_workflow_answers.py``, workflow chat in ``test_workflow_chat.py``,
the property-based checks of every reply model in ``test_workflow_properties.py``.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

import cozepy
import pydantic
import pytest

from coze_compat import bugs, capabilities
from coze_compat.capabilities.workflows import (
    LOG_DATE_PARAMETERS,
    LOG_KEYWORD_PARAMETERS,
    LOG_PAGE_PARAMETERS,
    LOG_STATUS_PARAMETERS,
    workflow_log_listing,
)
from coze_compat.fake import envelope, sse
from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workflows import QUESTION_INTERRUPT, USAGE, RunRecord, WorkflowRecord, compact_json, numbered
from tests.us5_workflows.support import (
    APP_ID,
    ASYNC_STREAM_BREAK,
    ERROR_EVENT,
    EXT,
    JOKE,
    NO_BLANK_LINES,
    PING_DATA,
    QUESTION,
    RESUME_DATA,
    RUN_PATH,
    STREAM_RESUME_PATH,
    STREAM_RUN_PATH,
    STYLES,
    acollect,
    assert_api_error,
    assert_post,
    assert_run_history_request,
    collect,
    event_row,
    expected_run_history_row,
    message_rows,
    run_body,
    run_history_row,
    unknown_workflow_msg,
)

NULLS_SENT = pytest.mark.known_break(bugs.workflows.RUN_BODY_NULLS)
EMPTY_ERROR_CODE_REJECTED = pytest.mark.known_break(bugs.workflows.EMPTY_ERROR_CODE_REJECTED)

RUN_HISTORIES = [
    pytest.param("Success", '{"Output":"Sunny, 26-35 °C"}', "", "", 0, id="success", marks=EMPTY_ERROR_CODE_REJECTED),
    pytest.param("Fail", "", "5000", envelope.SERVER_ERROR[1], 5000, id="fail"),
    pytest.param("Running", "", "", "", 0, id="running", marks=EMPTY_ERROR_CODE_REJECTED),
]


def fail_as_offered(what: str, parameters: tuple[str, ...] = ()) -> NoReturn:
    """A log listing the story needs has appeared: fail until real assertions replace this probe."""
    found = workflow_log_listing(parameters)
    pytest.fail(
        f"cozepy {capabilities.cozepy_version()} now offers {what} ({found}): write real assertions for this "
        "story against the fake Coze API (see coze-wire-format.md section 4e)"
    )


class TestWorkflowOperations:
    # -- blocking runs (T036, T044) ----------------------------------------------------------------

    @pytest.mark.seed("T036")
    def test_run_workflow_blocking(
        self,
        coze_api: FakeCoze,
        coze: cozepy.Coze,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        run_args: dict[str, Any],
    ) -> None:
        """Given a published workflow,
        When it is run in blocking mode with parameters, a bot id and ``ext``,
        Then one POST carries exactly those (and ``is_async: false`` where offered) and the result's
        ``data`` is the End node's output as the JSON string the service sends, with its ``debug_url``."""
        route = coze_api.workflows.run()

        result: Any = coze.workflows.runs.create(**run_args)

        body = run_body(**run_args)
        assert_post(coze_api.last_request(), RUN_PATH, body, mock_coze_api_token)
        assert route.call_count == 1
        [run] = coze_api.workflows.runs.values()
        assert (result.data, result.debug_url) == (joke_workflow.output_text(), run.debug_url)
        assert json.loads(result.data) == joke_workflow.output

    @pytest.mark.seed("T044")
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_run_workflow(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        run_args: dict[str, Any],
    ) -> None:
        """Given a published workflow and an ``AsyncCoze`` client,
        When the workflow is run in blocking mode with parameters, a bot id and ``ext``,
        Then one POST carries exactly those and the result's ``data`` is the output JSON string, with its
        ``debug_url``."""
        route = coze_api.workflows.run()

        result: Any = await async_coze.workflows.runs.create(**run_args)

        body = run_body(**run_args)
        assert_post(coze_api.last_request(), RUN_PATH, body, mock_coze_api_token)
        assert route.call_count == 1
        [run] = coze_api.workflows.runs.values()
        assert (result.data, result.debug_url) == (joke_workflow.output_text(), run.debug_url)
        assert json.loads(result.data) == joke_workflow.output

    @pytest.mark.needs("workflow_run_execute_id")
    def test_run_workflow_blocking_execute_id(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a published workflow,
        When it is run in blocking mode,
        Then the result carries the run's ``execute_id``, the one its run history is kept under."""
        coze_api.workflows.run()

        result: Any = coze.workflows.runs.create(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT)

        [run] = coze_api.workflows.runs.values()
        assert (result.execute_id, run.run_mode, run.execute_status) == (run.execute_id, 0, "Success")

    @pytest.mark.needs("workflow_run_usage")
    def test_run_workflow_blocking_usage(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a published workflow whose run costs tokens,
        When it is run in blocking mode,
        Then the result's ``usage`` gives the input, output and total token counts the service reported."""
        coze_api.workflows.run()

        result: Any = coze.workflows.runs.create(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT)

        usage = (result.usage.input_count, result.usage.output_count, result.usage.token_count)
        assert usage == (USAGE["input_count"], USAGE["output_count"], USAGE["token_count"])

    @pytest.mark.needs("workflow_run_app_id")
    def test_run_workflow_with_app_id(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        sample_workflow_inputs: dict[str, Any],
    ) -> None:
        """Given a workflow of a Coze app,
        When it is run with the app's id (and no bot id: the service rejects both together),
        Then the body carries ``app_id`` and no ``bot_id``, and the run answers its output."""
        coze_api.workflows.run()

        result: Any = coze.workflows.runs.create(
            workflow_id=joke_workflow.workflow_id, parameters=sample_workflow_inputs, app_id=APP_ID, ext=EXT
        )

        body = run_body(
            workflow_id=joke_workflow.workflow_id, parameters=sample_workflow_inputs, app_id=APP_ID, ext=EXT
        )
        assert_post(coze_api.last_request(), RUN_PATH, body, mock_coze_api_token)
        assert result.data == joke_workflow.output_text()

    @NULLS_SENT
    def test_run_workflow_sends_only_given_fields(
        self,
        coze_api: FakeCoze,
        coze: cozepy.Coze,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        sample_workflow_inputs: dict[str, Any],
    ) -> None:
        """Given a published workflow,
        When it is run with only its id and parameters,
        Then the body holds only those (and ``is_async`` where offered): no null for what was not given."""
        coze_api.workflows.run()

        coze.workflows.runs.create(workflow_id=joke_workflow.workflow_id, parameters=sample_workflow_inputs)

        body = run_body(workflow_id=joke_workflow.workflow_id, parameters=sample_workflow_inputs)
        assert_post(coze_api.last_request(), RUN_PATH, body, mock_coze_api_token)

    @pytest.mark.needs("workflow_async_run")
    def test_run_workflow_async_mode(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        run_args: dict[str, Any],
    ) -> None:
        """Given a published workflow,
        When it is run with ``is_async=True``,
        Then the body says ``is_async: true`` and the result carries the execute id and ``debug_url`` of
        the run left Running, and no data."""
        coze_api.workflows.run()

        result: Any = coze.workflows.runs.create(**run_args, is_async=True)

        body = {**run_args, "is_async": True}
        assert_post(coze_api.last_request(), RUN_PATH, body, mock_coze_api_token)
        [run] = coze_api.workflows.runs.values()
        assert (run.execute_status, run.run_mode) == ("Running", 2)
        assert (result.execute_id, result.debug_url, result.data) == (run.execute_id, run.debug_url, None)

    @pytest.mark.needs("async_client", "workflow_async_run")
    @pytest.mark.anyio
    async def test_async_run_workflow_async_mode(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        run_args: dict[str, Any],
    ) -> None:
        """Given a published workflow and an ``AsyncCoze`` client,
        When it is run with ``is_async=True``,
        Then the body says ``is_async: true`` and the result carries the execute id and no data."""
        coze_api.workflows.run()

        result: Any = await async_coze.workflows.runs.create(**run_args, is_async=True)

        body = {**run_args, "is_async": True}
        assert_post(coze_api.last_request(), RUN_PATH, body, mock_coze_api_token)
        [run] = coze_api.workflows.runs.values()
        assert (result.execute_id, result.debug_url, result.data) == (run.execute_id, run.debug_url, None)

    @EMPTY_ERROR_CODE_REJECTED
    @pytest.mark.needs("workflow_async_run", "workflow_run_histories")
    def test_run_workflow_async_then_get_result(
        self, coze_api: FakeCoze, coze: Any, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a workflow run with ``is_async=True`` that finishes before its result is first asked for,
        When its result is retrieved by the execute id the run answered,
        Then the run history is that run's: Success, async run mode, the End node's output, error code 0."""
        joke_workflow.polls = 0
        coze_api.workflows.run()
        coze_api.workflows.run_history()
        started: Any = coze.workflows.runs.create(
            workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT, is_async=True
        )

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=joke_workflow.workflow_id, execute_id=started.execute_id
        )

        run = coze_api.workflows.runs[started.execute_id]
        assert_run_history_request(coze_api.last_request(), joke_workflow.workflow_id, started.execute_id)
        assert (run.execute_status, run.output) == ("Success", joke_workflow.output_text())
        assert run_history_row(result) == expected_run_history_row(run, 0)
        assert (result.bot_id, int(result.run_mode)) == (mock_bot_id, 2)

    def test_run_unpublished_workflow(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workflow_id: str, mock_bot_id: str
    ) -> None:
        """Given a workflow id the service has no published workflow for,
        When it is run in blocking mode,
        Then ``CozeAPIError`` is raised with the service's 4200, its message and the log id."""
        coze_api.workflows.run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.workflows.runs.create(workflow_id=mock_workflow_id, bot_id=mock_bot_id, ext=EXT)

        assert_api_error(
            raised.value, envelope.NOT_FOUND[0], unknown_workflow_msg(mock_workflow_id), coze_api.sdk_logid()
        )

    def test_run_reply_without_debug_url(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given the service answers a run with ``data`` but without the top-level ``debug_url``,
        When the workflow is run,
        Then cozepy raises a pydantic ``ValidationError`` for ``WorkflowRunResult`` (it reads the bare
        ``data`` string as the result) instead of returning a result without its debug URL."""
        coze_api.workflows.run(reply=envelope.ok(joke_workflow.output_text()))

        with pytest.raises(pydantic.ValidationError) as raised:
            coze.workflows.runs.create(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT)

        assert raised.value.title == "WorkflowRunResult"
        assert [error["type"] for error in raised.value.errors()] == ["model_type"]

    # -- streaming runs (T037) ---------------------------------------------------------------------

    @pytest.mark.seed("T037")
    @pytest.mark.needs("workflow_stream")
    @pytest.mark.parametrize("style", STYLES)
    def test_run_workflow_streaming(
        self,
        coze_api: FakeCoze,
        coze: cozepy.Coze,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        mock_bot_id: str,
        sample_workflow_inputs: dict[str, Any],
        style: sse.SSEStyle,
        run_args: dict[str, Any],
    ) -> None:
        """Given a published workflow whose Message node streams a text before its End node answers,
        When it is run in streaming mode and the events arrive in one of the service's wire forms,
        Then one POST carries the run's fields (no ``is_async``) and the events come back in id order
        0, 1, 2...: each chunk with its node title and sequence id, then the End node's output; ``Done``
        ends the stream and is not yielded."""
        route = coze_api.workflows.stream_run(style=style)

        events = collect(coze.workflows.runs.stream(**run_args))

        body = {
            "workflow_id": joke_workflow.workflow_id,
            "parameters": sample_workflow_inputs,
            "bot_id": mock_bot_id,
            "ext": EXT,
        }
        assert_post(coze_api.last_request(), STREAM_RUN_PATH, body, mock_coze_api_token)
        assert route.call_count == 1
        assert [event_row(event) for event in events] == message_rows(joke_workflow)

    @ASYNC_STREAM_BREAK
    @pytest.mark.needs("async_client", "workflow_stream")
    @pytest.mark.parametrize("style", STYLES)
    @pytest.mark.anyio
    async def test_async_run_workflow_streaming(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        mock_bot_id: str,
        sample_workflow_inputs: dict[str, Any],
        style: sse.SSEStyle,
        run_args: dict[str, Any],
    ) -> None:
        """Given a published workflow whose Message node streams a text, and an ``AsyncCoze`` client,
        When it is run in streaming mode and the events arrive in one of the service's wire forms,
        Then one POST carries the run's fields and the events come back in id order, ``Done`` not yielded."""
        coze_api.workflows.stream_run(style=style)

        events = await acollect(async_coze.workflows.runs.stream(**run_args))

        body = {
            "workflow_id": joke_workflow.workflow_id,
            "parameters": sample_workflow_inputs,
            "bot_id": mock_bot_id,
            "ext": EXT,
        }
        assert_post(coze_api.last_request(), STREAM_RUN_PATH, body, mock_coze_api_token)
        assert [event_row(event) for event in events] == message_rows(joke_workflow)

    @pytest.mark.needs("workflow_stream_usage")
    def test_run_workflow_streaming_message_usage(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a published workflow whose End node reports the run's token usage on its message,
        When it is run in streaming mode,
        Then the End node's message carries that usage and the Message node's chunks carry none."""
        coze_api.workflows.stream_run()

        events = collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT))

        usages = [
            event.message.usage and (event.message.usage.input_count, event.message.usage.token_count)
            for event in events
        ]
        assert usages == [None] * len(JOKE) + [(USAGE["input_count"], USAGE["token_count"])]

    @NULLS_SENT
    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_sends_only_given_fields(
        self,
        coze_api: FakeCoze,
        coze: cozepy.Coze,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        sample_workflow_inputs: dict[str, Any],
    ) -> None:
        """Given a published workflow,
        When it is run in streaming mode with only its id and parameters,
        Then the body holds exactly those: no null for what was not given."""
        coze_api.workflows.stream_run()

        collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, parameters=sample_workflow_inputs))

        body = {"workflow_id": joke_workflow.workflow_id, "parameters": sample_workflow_inputs}
        assert_post(coze_api.last_request(), STREAM_RUN_PATH, body, mock_coze_api_token)

    @pytest.mark.needs("workflow_stream_app_id")
    def test_run_workflow_streaming_with_app_id(
        self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str, joke_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow of a Coze app,
        When it is run in streaming mode with the app's id (coze-dev/coze-py#179: the service answers
        "App not found" when a stream run of an app's workflow lacks it),
        Then the body carries ``app_id`` and the run streams its output."""
        coze_api.workflows.stream_run()

        events = collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, app_id=APP_ID, ext=EXT))

        body = {"workflow_id": joke_workflow.workflow_id, "app_id": APP_ID, "ext": EXT}
        assert_post(coze_api.last_request(), STREAM_RUN_PATH, body, mock_coze_api_token)
        assert [event_row(event) for event in events] == message_rows(joke_workflow)

    @pytest.mark.needs("async_client", "workflow_stream_app_id")
    @pytest.mark.anyio
    async def test_async_run_workflow_streaming_with_app_id(
        self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str, joke_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow of a Coze app, and an ``AsyncCoze`` client,
        When it is run in streaming mode with the app's id,
        Then the body carries ``app_id`` (the async client builds its own body) and the run streams its output."""
        coze_api.workflows.stream_run()

        runs = async_coze.workflows.runs
        events = await acollect(runs.stream(workflow_id=joke_workflow.workflow_id, app_id=APP_ID, ext=EXT))

        body = {"workflow_id": joke_workflow.workflow_id, "app_id": APP_ID, "ext": EXT}
        assert_post(coze_api.last_request(), STREAM_RUN_PATH, body, mock_coze_api_token)
        assert [event_row(event) for event in events] == message_rows(joke_workflow)

    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_error_event(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given the service reports a failure of the run as an ``Error`` event (the docs' example),
        When the workflow is run in streaming mode,
        Then the event is yielded, not raised, with its id, error code and message."""
        coze_api.workflows.stream_run(reply=sse.EventStream(numbered(("Error", ERROR_EVENT))))

        events = collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT))

        error = (ERROR_EVENT["error_code"], ERROR_EVENT["error_message"])
        assert [event_row(event) for event in events] == [(0, "Error", None, error, None)]

    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_interrupt(
        self, coze_api: FakeCoze, coze: cozepy.Coze, question_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a published workflow whose Question node asks the user something,
        When it is run in streaming mode,
        Then the question comes as a message, then an ``Interrupt`` with the event id and type (2) to
        resume with and the node's title, and the stream ends there."""
        coze_api.workflows.stream_run()

        events = collect(
            coze.workflows.runs.stream(workflow_id=question_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT)
        )

        [event_id] = coze_api.workflows.interrupts
        assert [event_row(event) for event in events] == [
            (0, "Message", (QUESTION, "Question", "0", True), None, None),
            (1, "Interrupt", None, None, (event_id, QUESTION_INTERRUPT, "Question")),
        ]

    @ASYNC_STREAM_BREAK
    @pytest.mark.needs("async_client", "workflow_stream")
    @pytest.mark.anyio
    async def test_async_run_workflow_streaming_interrupt(
        self, coze_api: FakeCoze, async_coze: Any, question_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a published workflow whose Question node asks the user something, and an ``AsyncCoze`` client,
        When it is run in streaming mode,
        Then the question comes as a message, then an ``Interrupt`` with the event id, type and node title."""
        coze_api.workflows.stream_run()

        events = await acollect(
            async_coze.workflows.runs.stream(workflow_id=question_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT)
        )

        [event_id] = coze_api.workflows.interrupts
        assert [event_row(event) for event in events] == [
            (0, "Message", (QUESTION, "Question", "0", True), None, None),
            (1, "Interrupt", None, None, (event_id, QUESTION_INTERRUPT, "Question")),
        ]

    @pytest.mark.known_break(bugs.workflows.RESUME_SENDS_ID)
    @pytest.mark.needs("workflow_resume")
    def test_resume_workflow_after_interrupt(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_coze_api_token: str, question_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow interrupted by its Question node, waiting on an interrupt event id,
        When it is resumed with that event id, the interrupt type and the user's answer,
        Then one POST carries exactly those four fields and the resumed stream yields the End node's
        output with ids starting again at 0; the interrupt is used up."""
        event_id = coze_api.workflows.interrupt(question_workflow.workflow_id)
        route = coze_api.workflows.stream_resume(style=NO_BLANK_LINES)

        resume: dict[str, Any] = {
            "workflow_id": question_workflow.workflow_id,
            "event_id": event_id,
            "resume_data": RESUME_DATA,
            "interrupt_type": QUESTION_INTERRUPT,
        }

        events = collect(coze.workflows.runs.resume(**resume))

        assert_post(coze_api.last_request(), STREAM_RESUME_PATH, resume, mock_coze_api_token)
        assert route.call_count == 1
        end = (question_workflow.output_text(), "End", "0", True)
        assert [event_row(event) for event in events] == [(0, "Message", end, None, None)]
        assert coze_api.workflows.interrupts == {}

    @pytest.mark.known_break(bugs.workflows.ASYNC_STREAM_IS_COROUTINE, bugs.workflows.RESUME_SENDS_ID)
    @pytest.mark.needs("async_client", "workflow_resume")
    @pytest.mark.anyio
    async def test_async_resume_workflow_after_interrupt(
        self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str, question_workflow: WorkflowRecord
    ) -> None:
        """Given a workflow interrupted by its Question node, and an ``AsyncCoze`` client,
        When it is resumed with the interrupt's event id, type and the user's answer,
        Then one POST carries exactly those four fields and the resumed stream yields the End node's output."""
        event_id = coze_api.workflows.interrupt(question_workflow.workflow_id)
        coze_api.workflows.stream_resume(style=NO_BLANK_LINES)

        resume: dict[str, Any] = {
            "workflow_id": question_workflow.workflow_id,
            "event_id": event_id,
            "resume_data": RESUME_DATA,
            "interrupt_type": QUESTION_INTERRUPT,
        }

        events = await acollect(async_coze.workflows.runs.resume(**resume))

        assert_post(coze_api.last_request(), STREAM_RESUME_PATH, resume, mock_coze_api_token)
        end = (question_workflow.output_text(), "End", "0", True)
        assert [event_row(event) for event in events] == [(0, "Message", end, None, None)]

    @pytest.mark.known_break(bugs.chat.UNKNOWN_EVENT_ENDS_STREAM)
    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_ping(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a long run during which the service sends a ``PING`` heartbeat between two messages
        (with the data a coze.cn stream sends: ``{"content":"{}","node_execute_uuid":""}``),
        When the workflow is run in streaming mode,
        Then the heartbeat is yielded as an event of the unknown type carrying its raw fields, and the
        messages around it arrive intact with their ids."""
        end = {"content": joke_workflow.output_text(), "node_is_finish": True, "node_seq_id": "0", "node_title": "End"}
        first = {"content": JOKE[0], "node_is_finish": True, "node_seq_id": "0", "node_title": "Message"}
        events_sent = numbered(("Message", first), ("PING", PING_DATA), ("Message", end), ("Done", {}))
        coze_api.workflows.stream_run(reply=sse.EventStream(events_sent))

        events = collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT))

        assert [event_row(event) for event in events] == [
            (0, "Message", (JOKE[0], "Message", "0", True), None, None),
            (1, "unknown", None, None, None),
            (2, "Message", (joke_workflow.output_text(), "End", "0", True), None, None),
        ]
        assert events[1].unknown == {"id": "1", "event": "PING", "data": compact_json(PING_DATA)}

    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_non_numeric_event_id(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a stream whose event id is not a number,
        When the workflow is run in streaming mode and the events are read,
        Then a ``ValueError`` naming the bad id is raised instead of an event with a wrong id."""
        data = {"content": JOKE[0], "node_is_finish": True, "node_seq_id": "0", "node_title": "Message"}
        raw = f"id: first\nevent: Message\ndata: {json.dumps(data)}\n\n".encode()
        coze_api.workflows.stream_run(reply=sse.EventStream(raw=raw))

        with pytest.raises(ValueError, match="'first'"):
            collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT))

    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_invalid_json(
        self, coze_api: FakeCoze, coze: cozepy.Coze, joke_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a stream whose ``Message`` event data is cut-off JSON,
        When the workflow is run in streaming mode and the events are read,
        Then a pydantic ``ValidationError`` for ``WorkflowEventMessage`` reports the invalid JSON."""
        raw = b'id: 0\nevent: Message\ndata: {"content":"\xe4\xb8\xba","node_is_finish":tr\n\n'
        coze_api.workflows.stream_run(reply=sse.EventStream(raw=raw))

        with pytest.raises(pydantic.ValidationError) as raised:
            collect(coze.workflows.runs.stream(workflow_id=joke_workflow.workflow_id, bot_id=mock_bot_id, ext=EXT))

        assert raised.value.title == "WorkflowEventMessage"
        assert [error["type"] for error in raised.value.errors()] == ["json_invalid"]

    @pytest.mark.known_break(bugs.chat.STREAM_ERROR_UNCHECKED, bugs.chat.STREAM_ERROR_NOT_READ)
    @pytest.mark.needs("workflow_stream")
    def test_run_workflow_streaming_error_envelope(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workflow_id: str, mock_bot_id: str
    ) -> None:
        """Given a workflow id the service has no published workflow for,
        When it is run in streaming mode and the service answers with a JSON error envelope, not a stream,
        Then ``CozeAPIError`` is raised with the service's 4200, its message and the log id."""
        coze_api.workflows.stream_run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            collect(coze.workflows.runs.stream(workflow_id=mock_workflow_id, bot_id=mock_bot_id, ext=EXT))

        assert_api_error(
            raised.value, envelope.NOT_FOUND[0], unknown_workflow_msg(mock_workflow_id), coze_api.sdk_logid()
        )

    @pytest.mark.known_break(
        bugs.workflows.ASYNC_STREAM_IS_COROUTINE,
        bugs.chat.STREAM_ERROR_UNCHECKED,
        bugs.chat.STREAM_ERROR_NOT_READ,
        bugs.chat.ASYNC_STREAM_ERROR_SYNC_READ,
    )
    @pytest.mark.needs("async_client", "workflow_stream")
    @pytest.mark.anyio
    async def test_async_run_workflow_streaming_error_envelope(
        self, coze_api: FakeCoze, async_coze: Any, mock_workflow_id: str, mock_bot_id: str
    ) -> None:
        """Given a workflow id the service has no published workflow for, and an ``AsyncCoze`` client,
        When it is run in streaming mode and the service answers with a JSON error envelope,
        Then ``CozeAPIError`` is raised with the service's 4200, its message and the log id."""
        coze_api.workflows.stream_run()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await acollect(async_coze.workflows.runs.stream(workflow_id=mock_workflow_id, bot_id=mock_bot_id, ext=EXT))

        assert_api_error(
            raised.value, envelope.NOT_FOUND[0], unknown_workflow_msg(mock_workflow_id), coze_api.sdk_logid()
        )

    # -- run results (T038) ------------------------------------------------------------------------

    @pytest.mark.seed("T038")
    @pytest.mark.needs("workflow_run_histories")
    @pytest.mark.parametrize(("status", "output", "error_code", "error_message", "code"), RUN_HISTORIES)
    def test_get_workflow_result(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_workflow_id: str,
        status: str,
        output: str,
        error_code: str,
        error_message: str,
        code: int,
    ) -> None:
        """Given an async run of a workflow that succeeded, failed or is still running,
        When its result is retrieved by workflow id and execute id,
        Then one GET with no query or body asks for exactly that run, and the result gives its status,
        output, error code (0 for the service's empty string) and message, timestamps, run mode, the
        run's log id and ``debug_url``."""
        run = coze_api.workflows.add_run(
            RunRecord(
                coze_api.workflows.next_execute_id(),
                mock_workflow_id,
                execute_status=status,
                output=output,
                error_code=error_code,
                error_message=error_message,
            )
        )
        route = coze_api.workflows.run_history()

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        assert_run_history_request(coze_api.last_request(), mock_workflow_id, run.execute_id)
        assert route.call_count == 1
        assert run_history_row(result) == expected_run_history_row(run, code)

    @pytest.mark.needs("async_client", "workflow_run_histories")
    @pytest.mark.parametrize(("status", "output", "error_code", "error_message", "code"), RUN_HISTORIES)
    @pytest.mark.anyio
    async def test_async_get_workflow_result(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        mock_workflow_id: str,
        status: str,
        output: str,
        error_code: str,
        error_message: str,
        code: int,
    ) -> None:
        """Given an async run of a workflow that succeeded, failed or is still running, and an ``AsyncCoze`` client,
        When its result is retrieved by workflow id and execute id,
        Then one GET asks for exactly that run and the result gives its status, output, error code and
        message, timestamps, run mode, log id and ``debug_url``."""
        run = coze_api.workflows.add_run(
            RunRecord(
                coze_api.workflows.next_execute_id(),
                mock_workflow_id,
                execute_status=status,
                output=output,
                error_code=error_code,
                error_message=error_message,
            )
        )
        coze_api.workflows.run_history()

        result: Any = await async_coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        assert_run_history_request(coze_api.last_request(), mock_workflow_id, run.execute_id)
        assert run_history_row(result) == expected_run_history_row(run, code)

    @pytest.mark.needs("workflow_run_history_usage")
    def test_get_workflow_result_usage(self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str) -> None:
        """Given a finished async run that cost tokens,
        When its result is retrieved,
        Then the result's ``usage`` gives the input, output and total token counts of the run."""
        run = coze_api.workflows.add_run(RunRecord(coze_api.workflows.next_execute_id(), mock_workflow_id))
        coze_api.workflows.run_history()

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        usage = (result.usage.input_count, result.usage.output_count, result.usage.token_count)
        assert usage == (USAGE["input_count"], USAGE["output_count"], USAGE["token_count"])

    @pytest.mark.needs("workflow_run_histories", "result_logid")
    def test_get_workflow_result_logids(self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str) -> None:
        """Given a failed async run whose history names the run's own log id,
        When its result is retrieved,
        Then ``result.logid`` is the run's log id and ``result.response.logid`` the reply's ``x-tt-logid``."""
        run = coze_api.workflows.add_run(
            RunRecord(
                coze_api.workflows.next_execute_id(),
                mock_workflow_id,
                execute_status="Fail",
                error_code=str(envelope.SERVER_ERROR[0]),
                error_message=envelope.SERVER_ERROR[1],
            )
        )
        coze_api.workflows.run_history()

        result: Any = coze.workflows.runs.run_histories.retrieve(
            workflow_id=mock_workflow_id, execute_id=run.execute_id
        )

        assert (result.logid, result.response.logid) == (run.logid, coze_api.sdk_logid())

    # -- workflow logs (T039-T043): capability probes ------------------------------------------------

    @pytest.mark.seed("T039")
    @pytest.mark.needs("workflow_logs_list")
    def test_list_workflow_logs_default(self) -> None:
        """Given a cozepy release that offers a workflow-log listing (none does: skipped as not offered),
        When the probe finds it,
        Then the test fails until real assertions for listing logs with default parameters are written."""
        fail_as_offered("a workflow-log listing")

    @pytest.mark.seed("T040")
    @pytest.mark.needs("workflow_logs_by_status")
    def test_list_workflow_logs_by_status(self) -> None:
        """Given a cozepy release whose workflow-log listing filters by run status (none does: skipped),
        When the probe finds it,
        Then the test fails until real assertions for the status filter are written."""
        fail_as_offered("a workflow-log listing filtered by status", LOG_STATUS_PARAMETERS)

    @pytest.mark.seed("T041")
    @pytest.mark.needs("workflow_logs_by_date")
    def test_list_workflow_logs_by_date(self) -> None:
        """Given a cozepy release whose workflow-log listing filters by a date range (none does: skipped),
        When the probe finds it,
        Then the test fails until real assertions for the date-range filter are written."""
        fail_as_offered("a workflow-log listing filtered by date range", LOG_DATE_PARAMETERS)

    @pytest.mark.seed("T042")
    @pytest.mark.needs("workflow_logs_by_keyword")
    def test_list_workflow_logs_by_keyword(self) -> None:
        """Given a cozepy release whose workflow-log listing filters by keyword (none does: skipped),
        When the probe finds it,
        Then the test fails until real assertions for the keyword filter are written."""
        fail_as_offered("a workflow-log listing filtered by keyword", LOG_KEYWORD_PARAMETERS)

    @pytest.mark.seed("T043")
    @pytest.mark.needs("workflow_logs_paginated")
    def test_list_workflow_logs_paginated(self) -> None:
        """Given a cozepy release whose workflow-log listing pages its results (none does: skipped),
        When the probe finds it,
        Then the test fails until real assertions for pagination are written."""
        fail_as_offered("a paginated workflow-log listing", LOG_PAGE_PARAMETERS)
