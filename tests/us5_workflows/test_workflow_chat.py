"""US5, workflow chat: running a chatflow through ``coze.workflows.chat.stream`` (``POST /v1/workflows/chat``).

A chatflow is a workflow that talks: the caller sends the user's messages (``additional_messages``)
with the workflow id and a bot or app id, in a conversation (``conversation_id`` in the *body*, or a
new one the service creates), and the service streams *chat* events (DOC workflow_chat): the chat
created and in progress, the answer's deltas, the completed answer, the ``verbose`` finish message,
the chat completed with its token usage, and ``done`` (whose ``debug_url`` cozepy drops). A
Question node answers with its question (and the ``verbose`` ``interrupt`` message); the next chat
in the same conversation, with the user's answer, goes on to the end.

Checked sync and async: the whole request, the events and their order, the usage, the messages the
conversation keeps, an unknown workflow (4200). Not offered before 0.9.0 (coze-py#146). Known
breaks: through ``AsyncCoze``, an error reply raises ``httpx.ResponseNotRead`` up to 0.16.2 (the
shared stream reader, ``bugs.chat``).
"""

from __future__ import annotations

import json
from typing import Any

import cozepy
import pytest

from coze_compat import bugs
from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workflows import USAGE, WorkflowRecord
from tests.us5_workflows.support import (
    APP_ID,
    EXT,
    JOKE,
    QUESTION,
    assert_api_error,
    assert_post,
    unknown_workflow_msg,
)

CHAT_PATH = "/v1/workflows/chat"
ANSWER = "Hangzhou, tomorrow"

pytestmark = pytest.mark.needs("workflow_chat")


def user_message(content: str) -> Any:
    """The user's question as callers build it (``Message`` of any release, hence ``Any``)."""
    message: Any = cozepy.Message
    return message.build_user_question_text(content)


def wire(message: Any) -> dict[str, Any]:
    """A cozepy ``Message`` as its client puts it in ``additional_messages`` (``model_dump()`` sent as JSON)."""
    return dict(json.loads(json.dumps(message.model_dump())))


def chat_rows(events: list[Any]) -> list[tuple[Any, ...]]:
    """What a user reads from each ``ChatEvent``: its type, and its message (type, content) or chat status."""
    return [
        (
            event.event.value,
            event.message and (event.message.type.value, event.message.content),
            event.chat and event.chat.status.value,
        )
        for event in events
    ]


def answer_rows(chunks: tuple[str, ...], verbose: str) -> list[tuple[Any, ...]]:
    """The events of a chatflow answering ``chunks``, then its ``verbose`` message of kind ``verbose``."""
    return [
        ("conversation.chat.created", None, "created"),
        ("conversation.chat.in_progress", None, "in_progress"),
        *(("conversation.message.delta", ("answer", chunk), None) for chunk in chunks),
        ("conversation.message.completed", ("answer", "".join(chunks)), None),
        ("conversation.message.completed", ("verbose", verbose), None),
        ("conversation.chat.completed", None, "completed"),
    ]


def verbose(kind: str, data: str) -> str:
    return json.dumps({"msg_type": kind, "data": data, "from_module": None, "from_unit": None}, separators=(",", ":"))


FINISHED = verbose("generate_answer_finish", '{"finish_reason":1,"FinData":""}')
INTERRUPTED = verbose("interrupt", "")


def usage(event: Any) -> tuple[int, int, int]:
    return (event.chat.usage.input_count, event.chat.usage.output_count, event.chat.usage.token_count)


class TestWorkflowChat:
    def test_workflow_chat_stream(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_coze_api_token: str,
        joke_workflow: WorkflowRecord,
        mock_bot_id: str,
        sample_workflow_inputs: dict[str, Any],
    ) -> None:
        """Given a published chatflow whose answer is streamed in chunks,
        When the user's question is sent to it with a bot id, parameters and ``ext``, in no conversation yet,
        Then one POST carries exactly those, and the events are the chat created and in progress, each chunk,
        the whole answer, the verbose finish message and the chat completed with the run's usage, in a new
        conversation that keeps the question and the answer."""
        route = coze_api.workflows.chat()
        question = user_message("Tell me a joke")

        events = list(
            coze.workflows.chat.stream(
                workflow_id=joke_workflow.workflow_id,
                additional_messages=[question],
                parameters=sample_workflow_inputs,
                bot_id=mock_bot_id,
                ext=EXT,
            )
        )

        body = {
            "workflow_id": joke_workflow.workflow_id,
            "additional_messages": [wire(question)],
            "parameters": sample_workflow_inputs,
            "bot_id": mock_bot_id,
            "ext": EXT,
        }
        assert_post(coze_api.last_request(), CHAT_PATH, body, mock_coze_api_token)
        assert route.call_count == 1
        assert chat_rows(events) == answer_rows(JOKE, FINISHED)
        assert usage(events[-1]) == (USAGE["input_count"], USAGE["output_count"], USAGE["token_count"])
        [conversation] = coze_api.conversations.records.values()
        assert {event.chat.conversation_id for event in events if event.chat} == {conversation.id}
        assert [(m.role, m.type, m.content) for m in conversation.messages] == [
            ("user", "question", "Tell me a joke"),
            ("assistant", "answer", "".join(JOKE)),
        ]

    def test_workflow_chat_in_a_conversation(
        self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str, joke_workflow: WorkflowRecord
    ) -> None:
        """Given a published chatflow of a Coze app and an existing conversation,
        When the user's question is sent with the app's id and the conversation's id,
        Then the body carries both (``conversation_id`` in the body, as the docs say) and the chat runs in that
        conversation, which keeps the question and the answer."""
        conversation = coze_api.conversations.new()
        coze_api.workflows.chat()
        question = user_message("Another one")

        events = list(
            coze.workflows.chat.stream(
                workflow_id=joke_workflow.workflow_id,
                additional_messages=[question],
                app_id=APP_ID,
                conversation_id=conversation.id,
            )
        )

        body = {
            "workflow_id": joke_workflow.workflow_id,
            "additional_messages": [wire(question)],
            "app_id": APP_ID,
            "conversation_id": conversation.id,
        }
        assert_post(coze_api.last_request(), CHAT_PATH, body, mock_coze_api_token)
        assert {event.chat.conversation_id for event in events if event.chat} == {conversation.id}
        assert [m.content for m in conversation.messages] == ["Another one", "".join(JOKE)]

    def test_workflow_chat_question_node(
        self, coze_api: FakeCoze, coze: Any, question_workflow: WorkflowRecord, mock_bot_id: str
    ) -> None:
        """Given a published chatflow whose Question node asks the user something,
        When the user's request is sent, then the user's answer in a second chat of the same conversation,
        Then the first chat answers the question, with the verbose interrupt message and no token usage, and
        the second goes on to the End node's output and its usage."""
        coze_api.workflows.chat()

        first = list(
            coze.workflows.chat.stream(
                workflow_id=question_workflow.workflow_id,
                additional_messages=[user_message("What's the weather?")],
                bot_id=mock_bot_id,
            )
        )
        conversation_id = first[0].chat.conversation_id
        second = list(
            coze.workflows.chat.stream(
                workflow_id=question_workflow.workflow_id,
                additional_messages=[user_message(ANSWER)],
                bot_id=mock_bot_id,
                conversation_id=conversation_id,
            )
        )

        assert chat_rows(first) == answer_rows((QUESTION,), INTERRUPTED)
        assert usage(first[-1]) == (0, 0, 0)
        assert chat_rows(second) == answer_rows((question_workflow.output_text(),), FINISHED)
        assert usage(second[-1]) == (USAGE["input_count"], USAGE["output_count"], USAGE["token_count"])
        assert [m.content for m in coze_api.conversations.records[conversation_id].messages] == [
            "What's the weather?",
            QUESTION,
            ANSWER,
            question_workflow.output_text(),
        ]

    def test_workflow_chat_unknown_workflow(
        self, coze_api: FakeCoze, coze: Any, mock_workflow_id: str, mock_bot_id: str
    ) -> None:
        """Given a workflow id the service has no published chatflow for,
        When a question is sent to it,
        Then ``CozeAPIError`` is raised with the service's 4200, its message and the log id, and no conversation
        is created."""
        coze_api.workflows.chat()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            list(
                coze.workflows.chat.stream(
                    workflow_id=mock_workflow_id, additional_messages=[user_message("Hi")], bot_id=mock_bot_id
                )
            )

        assert_api_error(raised.value, 4200, unknown_workflow_msg(mock_workflow_id), coze_api.sdk_logid())
        assert coze_api.conversations.records == {}

    @pytest.mark.needs("async_workflow_chat")
    @pytest.mark.anyio
    async def test_async_workflow_chat_stream(
        self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str, joke_workflow: WorkflowRecord
    ) -> None:
        """Given a published chatflow whose answer is streamed in chunks, and an ``AsyncCoze`` client,
        When the user's question is sent to it with an app id,
        Then one POST carries exactly that, and the events are the whole chat: created, in progress, each chunk,
        the answer, the verbose finish message and the chat completed with the usage."""
        coze_api.workflows.chat()
        question = user_message("Tell me a joke")

        events = [
            event
            async for event in async_coze.workflows.chat.stream(
                workflow_id=joke_workflow.workflow_id, additional_messages=[question], app_id=APP_ID
            )
        ]

        body = {"workflow_id": joke_workflow.workflow_id, "additional_messages": [wire(question)], "app_id": APP_ID}
        assert_post(coze_api.last_request(), CHAT_PATH, body, mock_coze_api_token)
        assert chat_rows(events) == answer_rows(JOKE, FINISHED)
        assert usage(events[-1]) == (USAGE["input_count"], USAGE["output_count"], USAGE["token_count"])

    @pytest.mark.known_break(bugs.chat.ASYNC_STREAM_ERROR_SYNC_READ)
    @pytest.mark.needs("async_workflow_chat")
    @pytest.mark.anyio
    async def test_async_workflow_chat_unknown_workflow(
        self, coze_api: FakeCoze, async_coze: Any, mock_workflow_id: str
    ) -> None:
        """Given a workflow id the service has no published chatflow for, and an ``AsyncCoze`` client,
        When a question is sent to it,
        Then ``CozeAPIError`` is raised with the service's 4200, its message and the log id."""
        coze_api.workflows.chat()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            [
                event
                async for event in async_coze.workflows.chat.stream(
                    workflow_id=mock_workflow_id, additional_messages=[user_message("Hi")], app_id=APP_ID
                )
            ]

        assert_api_error(raised.value, 4200, unknown_workflow_msg(mock_workflow_id), coze_api.sdk_logid())
