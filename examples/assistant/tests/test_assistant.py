"""ACME's assistant against the fake Coze API of coze-compat's pytest plugin.

The plugin (installed with coze-compat, no configuration) gives ``coze_api``, a strict fake of the
Coze OpenAPI (every endpoint a test expects is registered; a request the service would reject, or
an endpoint registered and never called, fails the test), and ``coze``, a ``cozepy.Coze`` of the
installed release pointed at it. ``@pytest.mark.needs`` skips a test as *not offered* where the
installed cozepy lacks the feature; ``@pytest.mark.known_break`` names a real cozepy bug of
coze-compat's catalogue, a strict xfail on exactly the releases it affects.
"""

from __future__ import annotations

from typing import Any

import cozepy
import pytest
from acme_assistant import Assistant, NotAuthorized, NotFound, Question, WorkflowResult

from coze_compat import bugs
from coze_compat.fake import sse
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workflows import WorkflowRecord

BOT_ID = "7379462189365198898"
USER_ID = "user-42"
WORKFLOW_ID = "7389589103588702217"
#: An event a newer service sends that this SDK does not know.
NEWER_EVENT = sse.SSEEvent("conversation.chat.future_event", {"hint": "a newer service"})


@pytest.fixture
def assistant(coze_api: FakeCoze, coze: cozepy.Coze) -> Assistant:
    coze_api.bots.add(BotRecord(bot_id=BOT_ID, name="ACME helper", model_name="Doubao-pro-32k"))
    return Assistant(coze, bot_id=BOT_ID)


def test_ask_streams_the_whole_answer_with_its_usage(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given the bot answers in several streamed pieces,
    When the application asks a question,
    Then it gets the whole answer and the chat's token usage, and the chat was a stream for our user."""
    coze_api.chat.create()

    reply = assistant.ask(USER_ID, "What day is 2024-10-01?")

    assert reply.text == coze_api.chat.answer.content
    assert reply.tokens == coze_api.chat.answer.usage()["token_count"]
    body = coze_api.last_request().body
    assert (body["bot_id"], body["user_id"], body["stream"]) == (BOT_ID, USER_ID, True)
    assert [message["content"] for message in body["additional_messages"]] == ["What day is 2024-10-01?"]


@pytest.mark.known_break(bugs.chat.UNKNOWN_EVENT_ENDS_STREAM)
def test_ask_survives_an_event_from_a_newer_service(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given the service sends an event type this SDK does not know in the middle of the answer,
    When the application asks,
    Then it still gets the whole answer."""
    coze_api.chat.create(edit=lambda events: sse.EventStream((*events[:3], NEWER_EVENT, *events[3:])))

    reply = assistant.ask(USER_ID, "What day is 2024-10-01?")

    assert reply.text == coze_api.chat.answer.content


def test_conversation_keeps_its_context(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given a conversation started for a user,
    When the user says two things,
    Then both chats run in that conversation and its history holds both questions and answers in order."""
    coze_api.conversations.create()
    chat = coze_api.chat.create()
    coze_api.conversations.list_messages()

    conversation = assistant.start_conversation(USER_ID)
    first = conversation.say("Hello")
    second = conversation.say("And tomorrow?")

    assert first.conversation_id == second.conversation_id == conversation.id
    assert [call.request.url.params["conversation_id"] for call in chat.calls] == [conversation.id] * 2
    answer = coze_api.chat.answer.content
    assert conversation.history() == [
        ("user", "Hello"),
        ("assistant", answer),
        ("user", "And tomorrow?"),
        ("assistant", answer),
    ]


@pytest.mark.known_break(bugs.workflows.RESUME_SENDS_ID)
def test_workflow_asks_and_resumes_with_the_answer(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given a workflow that stops at a Question node,
    When the application runs it and answers the question,
    Then it gets the question first, and the workflow's output after the answer."""
    workflow = coze_api.workflows.add(WorkflowRecord(WORKFLOW_ID, {"city": "Hangzhou"}, question="Which city?"))
    coze_api.workflows.stream_run()
    coze_api.workflows.stream_resume()

    question = assistant.run_workflow(WORKFLOW_ID, {"user": USER_ID})
    assert isinstance(question, Question)
    assert question.text == "Which city?"
    result = assistant.answer(question, "Hangzhou")

    assert isinstance(result, WorkflowResult)
    assert result.output == workflow.output_text()
    assert coze_api.last_request().body["resume_data"] == "Hangzhou"


@pytest.mark.needs("workflow_stream_usage")
def test_workflow_reports_its_token_usage(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given a workflow whose End node reports the tokens its model used,
    When the application runs it,
    Then the result carries them (an SDK that does not read them is reported as not offering it)."""
    workflow = coze_api.workflows.add(WorkflowRecord(WORKFLOW_ID, {"city": "Hangzhou"}))
    coze_api.workflows.stream_run()

    result = assistant.run_workflow(WORKFLOW_ID, {"user": USER_ID})

    assert result == WorkflowResult(workflow.output_text(), tokens=workflow.usage["token_count"])


@pytest.mark.known_break(bugs.bots.MODEL_NAME_DROPPED)
def test_bot_model_is_shown(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given the bot answers with Doubao-pro-32k,
    When the admin page asks which model the bot uses,
    Then it gets the model's name."""
    coze_api.bots.retrieve()

    assert assistant.bot_model() == "Doubao-pro-32k"


def test_revoked_token_is_not_authorized(coze_api: FakeCoze) -> None:
    """Given a token the service does not accept,
    When the application asks,
    Then it gets its own NotAuthorized error with Coze's log id."""
    coze_api.chat.create()
    revoked: Any = cozepy.Coze(auth=cozepy.TokenAuth("pat_revoked"), base_url=coze_api.base_url)

    with pytest.raises(NotAuthorized) as raised:
        Assistant(revoked, bot_id=BOT_ID).ask(USER_ID, "Hello")

    assert raised.value.logid == coze_api.last_logid()


def test_unknown_workflow_is_not_found(coze_api: FakeCoze, assistant: Assistant) -> None:
    """Given no workflow is published under an id,
    When the application runs it,
    Then it gets its own NotFound error."""
    coze_api.workflows.stream_run()

    with pytest.raises(NotFound):
        assistant.run_workflow("7000000000000000001", {})
