"""US5, property-based: every valid answer of the service parses into what the workflow stories read.

Each reply model the stories read is described field by field from coze-wire-format.md section 4, the
docs (workflow_run, workflow_stream_run, workflow_history) and real answers (coze.cn captures, Coze
Studio), with the fields the service may leave out or send as ``null`` and the values it may send; a
fresh ``FakeCoze`` serves each generated answer to a real cozepy client (``coze_compat.fake.strategies``,
derandomized, a fixed example budget):

* ``WorkflowRunResult`` of a blocking run (``code``, ``msg`` ``""``/``"Success"``/null, ``data``,
  ``debug_url``; ``execute_id``, ``usage``, ``token``, ``cost``, ``detail`` may be absent) and of an
  async run (no ``code`` or ``code: 0``; ``data`` absent or null);
* ``WorkflowEvent`` streams in every wire form of ``sse.STYLES``: ``Message`` events (``ext``,
  ``usage`` and the node fields no release declares may be absent), then ``Done`` with ``{}`` or its
  ``debug_url``, or an ``Error`` event and ``Done``, or an ``Interrupt`` of any interrupt type (2, 5,
  6, 7), which ends the stream;
* ``WorkflowRunHistory``, complete and then with ``error_message`` or ``is_output_trimmed`` absent
  (one test per family, so each failure has one cause): ``error_code`` ``""`` or a numeric string,
  ``usage``, ``node_execute_status`` and ``interrupt_data`` may be absent.

Known breaks: a history with ``"error_code": ""`` fails 0.7.0-0.13.1, one without ``error_message``
0.7.0-0.10.2, one without ``is_output_trimmed`` 0.20.0.
"""

from __future__ import annotations

from typing import Any

import cozepy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coze_compat import bugs, capabilities
from coze_compat.fake import sse
from coze_compat.fake.envelope import Envelope
from coze_compat.fake.server import TOKEN, FakeCoze
from coze_compat.fake.strategies import (
    ABSENT,
    Field,
    counts,
    enum_values,
    ids,
    string_maps,
    text,
    timestamps,
    wire_object,
)
from coze_compat.fake.workflows import INTERRUPT_TYPES, compact_json, debug_url
from tests.us5_workflows.support import event_row, json_reply

WORKFLOW_ID = "7389589103588702217"
#: Text a stream carries: the shared alphabet, which has no U+2028/U+2029 (the service's JSON, Go's
#: encoding/json, escapes them, and cozepy splits stream lines on them: httpx ``iter_lines``).
stream_text = text
stream_maps = string_maps
usages = st.fixed_dictionaries({"input_count": counts, "output_count": counts, "token_count": counts})
outputs = st.dictionaries(st.sampled_from(("output", "Output", "answer")), stream_text, max_size=2).map(compact_json)
urls = ids.map(lambda execute_id: debug_url(execute_id, WORKFLOW_ID))

BLOCKING_RESULT = wire_object(
    Field("code", st.just(0)),
    Field("msg", st.sampled_from(("", "Success")), nullable=True),
    Field("data", outputs),
    Field("debug_url", urls),
    Field("execute_id", ids, omittable=True),
    Field("usage", usages, omittable=True),
    Field("token", counts, omittable=True),
    Field("cost", st.sampled_from(("0", "0.00000")), omittable=True),
    Field("detail", st.fixed_dictionaries({"logid": st.just("20241210152726467C48D89D6DB2")}), omittable=True),
)
ASYNC_RESULT = wire_object(
    Field("code", st.just(0), omittable=True),
    Field("msg", st.just(""), nullable=True),
    Field("data", st.none(), omittable=True),
    Field("debug_url", urls),
    Field("execute_id", ids),
)
MESSAGE = wire_object(
    Field("content", stream_text),
    Field("node_title", st.sampled_from(("Message", "End", "", "输出"))),
    Field("node_seq_id", st.integers(0, 99).map(str)),
    Field("node_is_finish", st.booleans()),
    Field("ext", stream_maps, omittable=True),
    Field("usage", usages, omittable=True),
    Field("content_type", st.sampled_from(("text", "card")), omittable=True),
    Field("node_id", st.integers(100000, 999999).map(str), omittable=True),
    Field("node_type", st.sampled_from(("End", "Message", "Question")), omittable=True),
    Field("node_execute_uuid", st.just(""), omittable=True),
    Field("token", counts, omittable=True),
    Field("cost", st.just("0.00"), omittable=True),
)
ERROR = wire_object(
    Field("error_code", st.sampled_from((4000, 5000, 720712000))),
    Field("error_message", stream_text),
    Field("debug_url", urls, omittable=True),
    Field("node_execute_uuid", st.just(""), omittable=True),
)
INTERRUPT_DATA = wire_object(
    Field("event_id", st.tuples(ids, ids).map("/".join)),
    Field("type", st.sampled_from(INTERRUPT_TYPES)),
    Field("data", st.one_of(st.just(""), stream_maps.map(compact_json))),
    Field("required_parameters", st.just({"name": {"type": "string", "required": True}}), omittable=True),
)
INTERRUPT = wire_object(
    Field("interrupt_data", INTERRUPT_DATA), Field("node_title", st.sampled_from(("问答", "Input")))
)
DONE = wire_object(Field("debug_url", urls, omittable=True), Field("node_execute_uuid", st.just(""), omittable=True))
#: How a stream ends after its messages: ``Done``; a failed run's ``Error`` then ``Done``; an ``Interrupt``.
STREAM_ENDS = st.one_of(
    DONE.map(lambda done: [("Done", done)]),
    st.tuples(ERROR, DONE).map(lambda pair: [("Error", pair[0]), ("Done", pair[1])]),
    INTERRUPT.map(lambda interrupt: [("Interrupt", interrupt)]),
)
NODE_STATUS = wire_object(
    Field("node_id", st.integers(100000, 999999).map(str)),
    Field("is_finish", st.booleans()),
    Field("update_time", timestamps),
    Field("node_execute_uuid", ids),
    Field("loop_index", st.integers(0, 9), omittable=True),
    Field("batch_index", st.integers(0, 9), omittable=True),
    Field("sub_execute_id", ids, omittable=True),
)


def run_history(*, error_message: bool = True, is_output_trimmed: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """A run-history item (DOC workflow_history); ``error_message``/``is_output_trimmed`` False: always absent."""
    return wire_object(
        Field("execute_id", ids),
        Field("execute_status", enum_values(("Success", "Running", "Fail"))),
        Field("bot_id", st.one_of(st.just("0"), ids)),
        Field("connector_id", st.sampled_from(("1024", "999"))),
        Field("connector_uid", st.integers(10**12, 10**13).map(str)),
        Field("run_mode", st.sampled_from((0, 1, 2))),
        Field("logid", st.just("20241029115423ED85C3401395715F726E")),
        Field("create_time", timestamps),
        Field("update_time", timestamps),
        Field("output", outputs),
        Field("token", st.just("0")),
        Field("cost", st.just("0.00000"), omittable=True),
        Field("error_code", st.sampled_from(("", "5000", "720712000"))),
        Field("error_message", stream_text if error_message else st.just(ABSENT), omittable=error_message),
        Field("debug_url", urls),
        Field("usage", usages, omittable=True),
        Field("is_output_trimmed", st.booleans() if is_output_trimmed else st.just(ABSENT)),
        Field("node_execute_status", st.dictionaries(st.just("Output_1"), NODE_STATUS, max_size=1), omittable=True),
        Field("interrupt_data", INTERRUPT_DATA, omittable=True),
    )


def client(fake: FakeCoze) -> Any:
    """A real client of the installed cozepy for the example's own fake."""
    return cozepy.Coze(auth=cozepy.TokenAuth(TOKEN), base_url=fake.base_url)


def usage_row(usage: dict[str, int] | None) -> tuple[int, int, int] | None:
    return None if usage is None else (usage["input_count"], usage["output_count"], usage["token_count"])


def message_row(data: dict[str, Any]) -> tuple[Any, ...]:
    """What ``event_row`` reads from a message, from the event's data."""
    return (data["content"], data["node_title"], data["node_seq_id"], data["node_is_finish"])


def read_usage(model: Any) -> tuple[int, int, int] | None:
    usage = model.usage
    return usage and (usage.input_count, usage.output_count, usage.token_count)


def stream(events: list[tuple[str, Any]], style: sse.SSEStyle) -> list[Any]:
    """The events cozepy yields for a stream run answered with ``events`` (ids from 0) in ``style``."""
    with FakeCoze(token=TOKEN) as fake:
        numbered = tuple(sse.SSEEvent(name, data, id=number) for number, (name, data) in enumerate(events))
        fake.workflows.stream_run(reply=sse.EventStream(numbered, style))
        yielded = list(client(fake).workflows.runs.stream(workflow_id=WORKFLOW_ID))
        fake.verify()
    return yielded


styles = st.sampled_from(sse.STYLES)


class TestRunResultProperties:
    @given(reply=BLOCKING_RESULT)
    def test_blocking_run_result(self, reply: dict[str, Any]) -> None:
        """Given any answer the service may send to a blocking run,
        When the workflow is run,
        Then the result carries its data and ``debug_url``, and, where the release reads them, its execute id
        (``None`` when absent) and usage (``None`` when absent)."""
        with FakeCoze(token=TOKEN) as fake:
            fake.workflows.run(reply=json_reply(reply))
            result: Any = client(fake).workflows.runs.create(workflow_id=WORKFLOW_ID)
            fake.verify()

        assert (result.data, result.debug_url) == (reply["data"], reply["debug_url"])
        if capabilities.offers("workflow_run_execute_id"):
            assert result.execute_id == reply.get("execute_id")
        if capabilities.offers("workflow_run_usage"):
            assert read_usage(result) == usage_row(reply.get("usage"))

    @pytest.mark.needs("workflow_async_run")
    @given(reply=ASYNC_RESULT)
    def test_async_run_result(self, reply: dict[str, Any]) -> None:
        """Given any answer the service may send to an async run,
        When the workflow is run with ``is_async=True``,
        Then the result carries the execute id and ``debug_url``, and no data."""
        with FakeCoze(token=TOKEN) as fake:
            fake.workflows.run(reply=json_reply(reply))
            result: Any = client(fake).workflows.runs.create(workflow_id=WORKFLOW_ID, is_async=True)
            fake.verify()

        assert (result.execute_id, result.debug_url, result.data) == (reply["execute_id"], reply["debug_url"], None)


@pytest.mark.needs("workflow_stream")
class TestWorkflowEventProperties:
    @given(messages=st.lists(MESSAGE, max_size=3), end=STREAM_ENDS, style=styles)
    def test_workflow_events(
        self, messages: list[dict[str, Any]], end: list[tuple[str, dict[str, Any]]], style: sse.SSEStyle
    ) -> None:
        """Given any stream the service may send: Message events, then ``Done``, or an ``Error`` and ``Done``, or an
        ``Interrupt`` of any type (which ends the stream), in any wire form,
        When the workflow is run in streaming mode,
        Then each message is yielded in order with its id, content, node title, sequence id, finish flag and
        ``ext`` (and its usage where the release reads it), then the error with its code and message, or the
        interrupt with the event id and type to resume with and the node's title; ``Done`` is not yielded."""
        events = stream([*(("Message", data) for data in messages), *end], style)

        expected: list[tuple[Any, ...]] = [
            (number, "Message", message_row(data), None, None) for number, data in enumerate(messages)
        ]
        name, data = end[0]
        if name == "Error":
            expected.append((len(messages), "Error", None, (data["error_code"], data["error_message"]), None))
        elif name == "Interrupt":
            resume = (data["interrupt_data"]["event_id"], data["interrupt_data"]["type"], data["node_title"])
            expected.append((len(messages), "Interrupt", None, None, resume))
        assert [event_row(event) for event in events] == expected
        assert [event.message.ext for event in events[: len(messages)]] == [data.get("ext") for data in messages]
        if capabilities.offers("workflow_stream_usage"):
            assert [read_usage(event.message) for event in events[: len(messages)]] == [
                usage_row(data.get("usage")) for data in messages
            ]


RUN_HISTORY_FAMILIES = [
    pytest.param(run_history(), id="complete", marks=pytest.mark.known_break(bugs.workflows.EMPTY_ERROR_CODE_REJECTED)),
    pytest.param(
        run_history(error_message=False),
        id="without-error-message",
        marks=pytest.mark.known_break(bugs.workflows.ERROR_MESSAGE_REQUIRED, bugs.workflows.EMPTY_ERROR_CODE_REJECTED),
    ),
    pytest.param(
        run_history(is_output_trimmed=False),
        id="without-is-output-trimmed",
        marks=pytest.mark.known_break(bugs.workflows.EMPTY_ERROR_CODE_REJECTED, bugs.workflows.OUTPUT_TRIMMED_REQUIRED),
    ),
]


@pytest.mark.needs("workflow_run_histories")
@pytest.mark.parametrize("histories", RUN_HISTORY_FAMILIES)
@given(data=st.data())
def test_run_history(histories: st.SearchStrategy[dict[str, Any]], data: st.DataObject) -> None:
    """Given any run history the service may send, of one family of optional fields,
    When the run's result is retrieved,
    Then it gives the run's id, status, output, error code (0 for ``""``) and message (``""`` when absent),
    times, ``debug_url``, bot and connector, run mode and log id, and its usage and nodes' states where the
    release reads them."""
    item = data.draw(histories)
    with FakeCoze(token=TOKEN) as fake:
        fake.workflows.run_history(reply=Envelope(data=[item]))
        result: Any = client(fake).workflows.runs.run_histories.retrieve(
            workflow_id=WORKFLOW_ID, execute_id=item["execute_id"]
        )
        fake.verify()

    assert (result.execute_id, result.execute_status.value, result.output, result.error_code) == (
        item["execute_id"],
        item["execute_status"],
        item["output"],
        int(item["error_code"] or 0),
    )
    assert (result.error_message, result.create_time, result.update_time, result.debug_url) == (
        item.get("error_message", ""),
        item["create_time"],
        item["update_time"],
        item["debug_url"],
    )
    assert (result.bot_id, result.connector_id, result.connector_uid, int(result.run_mode), result.logid) == (
        item["bot_id"],
        item["connector_id"],
        item["connector_uid"],
        item["run_mode"],
        item["logid"],
    )
    if capabilities.offers("workflow_run_history_usage"):
        assert read_usage(result) == usage_row(item.get("usage"))
    if capabilities.offers("workflow_run_history_node_status"):
        states = result.node_execute_status or {}
        assert {name: state.node_id for name, state in states.items()} == {
            name: state["node_id"] for name, state in item.get("node_execute_status", {}).items()
        }
