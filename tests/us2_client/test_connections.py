"""US2, what the SDK does with the HTTP connection around a request: a stream releases it when it ends.

A backend that streams chat answers or workflow runs keeps one ``Coze`` client (one httpx
connection pool) for its whole life. Each stream holds a pooled connection until its response is
closed; httpx closes a response by itself once its body has been read to the end. A stream that
is left open keeps its connection busy: the next request opens a new connection (no reuse, a new
TLS handshake), and after ``max_connections`` (1000 in cozepy's default limits) leaked streams
every request waits for a connection until the pool timeout.

The fake records, for every response, whether the client read its body to the end and whether it
closed it (``coze_api.last_response()``: ``read_to_end``, ``closed``, ``released``), through the
response's byte stream: the same ``close()``/``aclose()`` httpx calls to hand the connection back
to its pool. The stories:

* a chat stream read to its ``done`` event, one ended by an ``error`` event, and one the caller
  stops early (``break``, or an exception in the caller's loop), sync and async;
* a workflow stream read to ``Done``, one ending in an ``Error`` event, one ending in an
  ``Interrupt`` (no ``Done``), and one the caller stops early, sync and async;
* a plain request (the connection is released as soon as the answer is parsed).

What the releases do (known breaks, cause in ``coze_compat.bugs.client``):

* at ``done``, sync streams raise ``StopIteration`` inside ``Stream.__next__`` before the line
  iterator is finished, so the response is never closed: 0.2.0-0.3.0 and 0.6.0-0.16.2 (0.4.0 and
  0.5.0 read the whole body before the first event, ``bugs.chat.SYNC_STREAM_BUFFERED``, which
  releases the connection); async streams return from ``AsyncStream.__stream__`` the same way,
  0.3.0-0.16.2. Fixed in 0.17.0 (coze-dev/coze-py#286): the handler returns ``None`` at ``done``
  and the stream reads on to the end.
* an ``error`` event raises out of the stream without closing the response, and a stream the
  caller stops early is never closed (no release offers ``close()`` or a context manager on
  ``Stream``/``AsyncStream``, nor closes the response when the dropped stream is finalized; an
  async test lets the event loop run the finalizers of the dropped async generators first): every
  release but the buffered 0.4.0-0.5.0 sync streams, not fixed up to 0.20.0.
* workflow ``Error`` and ``Interrupt`` events are yielded, and the service then ends the stream:
  the stream reads to the end and releases the connection in every release.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
from typing import Any, Iterator

import cozepy
import pytest

from coze_compat import bugs
from coze_compat.fake import sse
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze, Served
from coze_compat.fake.workflows import WorkflowRecord, message, numbered

USER_ID = "user_20241001"
ERROR_EVENT = sse.SSEEvent("error", {"code": 5000, "msg": "We're currently experiencing server issues."})
WORKFLOW_ERROR = {"error_code": 4000, "error_message": "Request parameter error"}
#: How a caller stops reading a stream early.
EARLY_STOPS = pytest.mark.parametrize("stop", ["break", "raise"])

DONE_KEEPS_CONNECTION = pytest.mark.known_break(bugs.client.STREAM_DONE_KEEPS_CONNECTION)
ASYNC_DONE_KEEPS_CONNECTION = pytest.mark.known_break(bugs.client.ASYNC_STREAM_DONE_KEEPS_CONNECTION)
ERROR_EVENT_KEEPS_CONNECTION = pytest.mark.known_break(bugs.client.STREAM_ERROR_EVENT_KEEPS_CONNECTION)
ASYNC_ERROR_EVENT_KEEPS_CONNECTION = pytest.mark.known_break(bugs.client.ASYNC_STREAM_ERROR_EVENT_KEEPS_CONNECTION)
STOPPED_KEEPS_CONNECTION = pytest.mark.known_break(bugs.client.STOPPED_STREAM_KEEPS_CONNECTION)
ASYNC_STOPPED_KEEPS_CONNECTION = pytest.mark.known_break(bugs.client.ASYNC_STOPPED_STREAM_KEEPS_CONNECTION)


class CallerError(Exception):
    """The caller's own code failing while it reads a stream."""


@pytest.fixture
def young_heap() -> Iterator[None]:
    """Only the objects the test makes are collectable (``gc.freeze``): the full collection in
    ``finalized`` then looks at them alone, and costs microseconds instead of tens of milliseconds."""
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture
def published_bot(coze_api: FakeCoze, sample_bot_data: BotRecord) -> BotRecord:
    return coze_api.bots.add(sample_bot_data)


@pytest.fixture
def workflow(coze_api: FakeCoze, mock_workflow_id: str) -> WorkflowRecord:
    """A workflow whose Message node streams two chunks before its End node answers."""
    return coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output={"output": "ok"}, messages=("o", "k")))


def chat_stream(client: Any, bot: BotRecord, question: cozepy.Message) -> Any:
    return client.chat.stream(bot_id=bot.bot_id, user_id=USER_ID, additional_messages=[question])


def read(stream: Any, stop: str = "") -> int:
    """Read a sync stream as a caller does: to its end, or (``stop``) leaving after the first event
    with ``break`` or because the caller's own code raises. The events read."""
    count = 0
    for _ in stream:
        count += 1
        if stop == "break":
            break
        if stop == "raise":
            raise CallerError("the caller's code failed on the first event")
    return count


async def aread(stream: Any, stop: str = "") -> int:
    """``read`` for an async stream, stopping early only by ``break`` (0.3.0's ``stream()`` is awaited first, as
    its users do)."""
    if inspect.isawaitable(stream):
        stream = await stream
    count = 0
    async for _ in stream:
        count += 1
        if stop == "break":  # the async stories stop early only by breaking
            break
    return count


async def finalized() -> None:
    """Let the dropped stream be finalized as it would be in an application: asyncio closes a dropped
    async generator (``aclose()``, so its ``finally`` blocks run) in a task of its own, one layer at a
    time, and cozepy's ``AsyncStream`` holds its own generator (a reference cycle, freed by a full
    collection)."""
    for _ in range(5):  # the outer generators (cozepy's `stream()`, `AsyncStream.__aiter__`) close
        await asyncio.sleep(0)
    gc.collect()  # the `AsyncStream` and its generator: a cycle
    for _ in range(3):  # its generator closes
        await asyncio.sleep(0)


def assert_released(served: Served, endpoint: str, *, read_to_end: bool) -> None:
    """The response of ``endpoint`` was closed (its connection is back in the pool)."""
    assert (served.endpoint, served.read_to_end, served.closed) == (endpoint, read_to_end, True)


def assert_read_whole(coze_api: FakeCoze, events: int, expected: int, endpoint: str) -> None:
    """The caller got every event of the stream, and its response was read to the end and closed."""
    assert events == expected
    assert_released(coze_api.last_response(), endpoint, read_to_end=True)


def with_error_event(events: list[sse.SSEEvent]) -> sse.EventStream:
    """The chat's stream up to its first delta, then an ``error`` event, and the service ends it."""
    return sse.EventStream((*events[:3], ERROR_EVENT))


def workflow_error_stream() -> sse.EventStream:
    """A workflow stream that fails in its first node: an ``Error`` event, and the stream ends."""
    return sse.EventStream(numbered(("Message", message("o", "Message", 0, False)), ("Error", WORKFLOW_ERROR)))


class TestRequestConnections:
    def test_request_releases_connection(self, coze_api: FakeCoze, coze: Any, published_bot: BotRecord) -> None:
        """Given a plain (not streamed) request,
        When its answer has been parsed,
        Then the response was read to its end and closed."""
        coze_api.bots.retrieve()

        coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert_released(coze_api.last_response(), "bots.retrieve", read_to_end=True)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_request_releases_connection(
        self, coze_api: FakeCoze, async_coze: Any, published_bot: BotRecord
    ) -> None:
        """Given a plain request through ``AsyncCoze``,
        When its answer has been parsed,
        Then the response was read to its end and closed."""
        coze_api.bots.retrieve()

        await async_coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert_released(coze_api.last_response(), "bots.retrieve", read_to_end=True)


class TestChatStreamConnections:
    @DONE_KEEPS_CONNECTION
    def test_chat_stream_done_releases_connection(
        self, coze_api: FakeCoze, coze: Any, published_bot: BotRecord, sample_user_message: cozepy.Message
    ) -> None:
        """Given the service streams a chat to its ``done`` event,
        When the caller reads every event,
        Then the response was read to its end and closed."""
        coze_api.chat.create()

        events = read(chat_stream(coze, published_bot, sample_user_message))

        assert_read_whole(coze_api, events, 7, "chat.create")

    @ASYNC_DONE_KEEPS_CONNECTION
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_chat_stream_done_releases_connection(
        self, coze_api: FakeCoze, async_coze: Any, published_bot: BotRecord, sample_user_message: cozepy.Message
    ) -> None:
        """Given the service streams a chat to its ``done`` event,
        When the caller reads every event through ``AsyncCoze``,
        Then the response was read to its end and closed."""
        coze_api.chat.create()

        events = await aread(chat_stream(async_coze, published_bot, sample_user_message))

        assert_read_whole(coze_api, events, 7, "chat.create")

    @ERROR_EVENT_KEEPS_CONNECTION
    def test_chat_stream_error_event_releases_connection(
        self, coze_api: FakeCoze, coze: Any, published_bot: BotRecord, sample_user_message: cozepy.Message
    ) -> None:
        """Given the service ends a chat stream with an ``error`` event,
        When the SDK raises it to the caller,
        Then the response was closed first."""
        coze_api.chat.create(edit=with_error_event)

        with pytest.raises(Exception, match=r"^error event: "):
            read(chat_stream(coze, published_bot, sample_user_message))

        assert coze_api.last_response().closed

    @ASYNC_ERROR_EVENT_KEEPS_CONNECTION
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_chat_stream_error_event_releases_connection(
        self, coze_api: FakeCoze, async_coze: Any, published_bot: BotRecord, sample_user_message: cozepy.Message
    ) -> None:
        """Given the service ends a chat stream with an ``error`` event,
        When ``AsyncCoze`` raises it to the caller,
        Then the response was closed first."""
        coze_api.chat.create(edit=with_error_event)

        with pytest.raises(Exception, match=r"^error event: "):
            await aread(chat_stream(async_coze, published_bot, sample_user_message))

        assert coze_api.last_response().closed

    @STOPPED_KEEPS_CONNECTION
    @EARLY_STOPS
    def test_chat_stream_stopped_early_releases_connection(
        self,
        coze_api: FakeCoze,
        coze: Any,
        published_bot: BotRecord,
        sample_user_message: cozepy.Message,
        stop: str,
    ) -> None:
        """Given a streamed chat,
        When the caller stops after the first event (``break``, or its own code raises) and drops the stream,
        Then the response was closed."""
        coze_api.chat.create()

        with contextlib.suppress(CallerError):  # the caller's own exception ends its loop
            read(chat_stream(coze, published_bot, sample_user_message), stop)

        assert coze_api.last_response().closed

    @ASYNC_STOPPED_KEEPS_CONNECTION
    @pytest.mark.needs("async_client")
    @pytest.mark.usefixtures("young_heap")
    @pytest.mark.anyio
    async def test_async_chat_stream_stopped_early_releases_connection(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        published_bot: BotRecord,
        sample_user_message: cozepy.Message,
    ) -> None:
        """Given a chat streamed through ``AsyncCoze``,
        When the caller breaks out of its loop after the first event and drops the stream,
        Then the response was closed once the stream was finalized."""
        coze_api.chat.create()

        await aread(chat_stream(async_coze, published_bot, sample_user_message), "break")
        await finalized()

        assert coze_api.last_response().closed


class TestWorkflowStreamConnections:
    @DONE_KEEPS_CONNECTION
    def test_workflow_stream_done_releases_connection(
        self, coze_api: FakeCoze, coze: Any, workflow: WorkflowRecord
    ) -> None:
        """Given the service streams a workflow run to its ``Done`` event,
        When the caller reads every event,
        Then the response was read to its end and closed."""
        coze_api.workflows.stream_run()

        events = read(coze.workflows.runs.stream(workflow_id=workflow.workflow_id))

        assert_read_whole(coze_api, events, 3, "workflows.runs.stream")

    @ASYNC_DONE_KEEPS_CONNECTION
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_workflow_stream_done_releases_connection(
        self, coze_api: FakeCoze, async_coze: Any, workflow: WorkflowRecord
    ) -> None:
        """Given the service streams a workflow run to its ``Done`` event,
        When the caller reads every event through ``AsyncCoze``,
        Then the response was read to its end and closed."""
        coze_api.workflows.stream_run()

        events = await aread(async_coze.workflows.runs.stream(workflow_id=workflow.workflow_id))

        assert_read_whole(coze_api, events, 3, "workflows.runs.stream")

    def test_workflow_stream_error_releases_connection(
        self, coze_api: FakeCoze, coze: Any, workflow: WorkflowRecord
    ) -> None:
        """Given a workflow stream that ends with an ``Error`` event,
        When the caller reads it (the SDK yields the error as an event),
        Then the response was read to its end and closed."""
        coze_api.workflows.stream_run(reply=workflow_error_stream())

        events = read(coze.workflows.runs.stream(workflow_id=workflow.workflow_id))

        assert_read_whole(coze_api, events, 2, "workflows.runs.stream")

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_workflow_stream_error_releases_connection(
        self, coze_api: FakeCoze, async_coze: Any, workflow: WorkflowRecord
    ) -> None:
        """Given a workflow stream that ends with an ``Error`` event,
        When the caller reads it through ``AsyncCoze``,
        Then the response was read to its end and closed."""
        coze_api.workflows.stream_run(reply=workflow_error_stream())

        events = await aread(async_coze.workflows.runs.stream(workflow_id=workflow.workflow_id))

        assert_read_whole(coze_api, events, 2, "workflows.runs.stream")

    def test_workflow_stream_interrupt_releases_connection(
        self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str
    ) -> None:
        """Given a workflow whose Question node interrupts the run (the stream ends without ``Done``),
        When the caller reads the stream,
        Then the response was read to its end and closed."""
        question = coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output={}, question="Which city?"))
        coze_api.workflows.stream_run()

        events = read(coze.workflows.runs.stream(workflow_id=question.workflow_id))

        assert_read_whole(coze_api, events, 2, "workflows.runs.stream")

    @STOPPED_KEEPS_CONNECTION
    @EARLY_STOPS
    def test_workflow_stream_stopped_early_releases_connection(
        self, coze_api: FakeCoze, coze: Any, workflow: WorkflowRecord, stop: str
    ) -> None:
        """Given a streamed workflow run,
        When the caller stops after the first event (``break``, or its own code raises) and drops the stream,
        Then the response was closed."""
        coze_api.workflows.stream_run()

        with contextlib.suppress(CallerError):  # the caller's own exception ends its loop
            read(coze.workflows.runs.stream(workflow_id=workflow.workflow_id), stop)

        assert coze_api.last_response().closed

    @ASYNC_STOPPED_KEEPS_CONNECTION
    @pytest.mark.needs("async_client")
    @pytest.mark.usefixtures("young_heap")
    @pytest.mark.anyio
    async def test_async_workflow_stream_stopped_early_releases_connection(
        self, coze_api: FakeCoze, async_coze: Any, workflow: WorkflowRecord
    ) -> None:
        """Given a workflow run streamed through ``AsyncCoze``,
        When the caller breaks out of its loop after the first event and drops the stream,
        Then the response was closed once the stream was finalized."""
        coze_api.workflows.stream_run()

        await aread(async_coze.workflows.runs.stream(workflow_id=workflow.workflow_id), "break")
        await finalized()

        assert coze_api.last_response().closed
