"""The fake's workflows family: the requests it rejects, async runs that finish by themselves, workflow chat.

The US5 stories reach these endpoints through cozepy, which sends well-formed requests; these tests
send, with plain httpx, what cozepy does not (a number where the service wants a string, a chatflow
without a bot or app), and pin how the fake's runs end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from coze_compat.fake import envelope
from coze_compat.fake.server import TOKEN, FakeCoze
from coze_compat.fake.workflows import RUNNING_OUTPUT, RunOutcome, RunRecord, WorkflowRecord
from tests.harness.test_fake_families import BOT_ID, QUESTION, WORKFLOW_ID, assert_not_found, assert_rejected, get, post


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN) as started:
        yield started


@pytest.fixture
def workflow(fake: FakeCoze) -> WorkflowRecord:
    return fake.workflows.add(WorkflowRecord(WORKFLOW_ID, {"output": "Tuesday"}, question="Which city?"))


def chat(**body: Any) -> httpx.Response:
    return post("/v1/workflows/chat", {"workflow_id": WORKFLOW_ID, "additional_messages": [QUESTION], **body})


@pytest.mark.parametrize(
    ("path", "extra", "reason"),
    [
        (
            "/v1/workflow/run",
            {"workflow_id": 7389589103588700000},
            "workflow_id must be a string, got 7389589103588700000",
        ),
        ("/v1/workflow/stream_run", {"connector_id": 1024}, "connector_id must be a string, got 1024"),
        ("/v1/workflow/run", {"workflow_version": 5}, "workflow_version must be a string, got 5"),
    ],
    ids=["workflow-id-number", "connector-id-number", "version-number"],
)
def test_run_ids_must_be_strings(
    fake: FakeCoze, workflow: WorkflowRecord, path: str, extra: dict[str, Any], reason: str
) -> None:
    """Given a published workflow,
    When a run of it gives an id or version as a JSON number,
    Then the answer is 4000 and verify() names the field."""
    (fake.workflows.stream_run if path.endswith("stream_run") else fake.workflows.run)()

    response = post(path, {"workflow_id": WORKFLOW_ID, **extra})

    assert_rejected(fake, response, reason)


def test_resume_interrupt_type_must_be_an_integer(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given a workflow interrupted at a Question node,
    When the resume gives the interrupt type as a boolean (a JSON true is no integer for the service),
    Then the answer is 4000 and verify() says the type must be an integer."""
    event_id = fake.workflows.interrupt(WORKFLOW_ID)
    fake.workflows.stream_resume()

    response = post(
        "/v1/workflow/stream_resume",
        {"workflow_id": WORKFLOW_ID, "event_id": event_id, "resume_data": "Hangzhou", "interrupt_type": True},
    )

    assert_rejected(fake, response, "interrupt_type must be an integer, got True")


def test_async_run_stays_running_for_its_polls_then_ends(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given a workflow whose async runs take two polls of their history,
    When it is run with is_async and its history read three times,
    Then the reads say Running, Running (no error_message, empty node states), then Success with the output."""
    workflow.polls = 2
    fake.workflows.run()
    fake.workflows.run_history()
    execute_id = post("/v1/workflow/run", {"workflow_id": WORKFLOW_ID, "is_async": True}).json()["execute_id"]

    items = [get(f"/v1/workflows/{WORKFLOW_ID}/run_histories/{execute_id}").json()["data"][0] for _ in range(3)]

    assert [(item["execute_status"], item["output"]) for item in items] == [
        ("Running", RUNNING_OUTPUT),
        ("Running", RUNNING_OUTPUT),
        ("Success", workflow.output_text()),
    ]
    assert ["error_message" in item for item in items] == [False, False, True]
    assert [item.get("node_execute_status") for item in items] == [{}, {}, None]
    fake.verify()


def test_a_recorded_run_without_outcome_stays_as_it_is(fake: FakeCoze) -> None:
    """Given a Running run the test recorded without an outcome,
    When its history is read twice,
    Then it is Running both times; with an outcome and no polls left, the next read ends it."""
    run = fake.workflows.add_run(RunRecord("7431040978805000001", WORKFLOW_ID, execute_status="Running"))
    fake.workflows.run_history()
    path = f"/v1/workflows/{WORKFLOW_ID}/run_histories/{run.execute_id}"

    statuses = [get(path).json()["data"][0]["execute_status"] for _ in range(2)]
    run.outcome = RunOutcome("Fail", error_code="5000", error_message="boom")
    ended = get(path).json()["data"][0]

    assert statuses == ["Running", "Running"]
    assert (ended["execute_status"], ended["error_code"], ended["error_message"]) == ("Fail", "5000", "boom")
    fake.verify()


def test_failing_workflow_answers_its_error_with_the_debug_url(fake: FakeCoze) -> None:
    """Given a workflow that fails,
    When it is run in blocking mode,
    Then the answer is its code and message with the run's debug_url at the top level, and no data."""
    fake.workflows.add(WorkflowRecord(WORKFLOW_ID, {}, failure=(5000, "node failed")))
    fake.workflows.run()

    body = post("/v1/workflow/run", {"workflow_id": WORKFLOW_ID}).json()

    [run] = fake.workflows.runs.values()
    assert {key: body[key] for key in ("code", "msg", "debug_url")} == {
        "code": 5000,
        "msg": "node failed",
        "debug_url": run.debug_url,
    }
    assert "data" not in body
    fake.verify()


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({}, "a workflow chat needs bot_id or app_id"),
        ({"bot_id": BOT_ID, "conversation_id": 7381}, "conversation_id must be a string, got 7381"),
        ({"bot_id": BOT_ID, "additional_messages": []}, "additional_messages must be a non-empty array, got []"),
        (
            {"bot_id": BOT_ID, "additional_messages": [{**QUESTION, "role": "assistant", "type": "answer"}]},
            "the last of additional_messages must be the user's question",
        ),
    ],
    ids=["no-bot-or-app", "conversation-id-number", "no-messages", "last-not-user"],
)
def test_workflow_chat_the_service_rejects(
    fake: FakeCoze, workflow: WorkflowRecord, extra: dict[str, Any], reason: str
) -> None:
    """Given a published chatflow,
    When a chat with it lacks a bot or app, gives a numeric conversation id, no messages, or ends on the bot's,
    Then the answer is 4000, verify() says why, and no conversation is created."""
    fake.workflows.chat()

    response = chat(**extra)

    assert fake.conversations.records == {}
    assert_rejected(fake, response, reason)


def test_workflow_chat_in_an_unknown_conversation_gets_4200(fake: FakeCoze, workflow: WorkflowRecord) -> None:
    """Given a published chatflow,
    When a chat with it names a conversation the fake does not hold,
    Then the answer is the not-found error naming the conversation."""
    fake.workflows.chat()

    response = chat(bot_id=BOT_ID, conversation_id="404")

    assert response.headers["content-type"] == envelope.JSON_TYPE
    assert_not_found(response, "conversation {'conversation_id': '404'}")
    fake.verify()
