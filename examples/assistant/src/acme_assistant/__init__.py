"""ACME's backend client for Coze: the one place the service calls cozepy.

The rest of the application talks to ``Assistant`` and gets plain values back (``Reply``,
``WorkflowResult``, ``Question``) or one of the application's own errors (``AssistantError`` and
its subclasses); nothing of cozepy leaks out, so an SDK upgrade touches this module only.

* ``Assistant.ask``: one question, answered as a stream that is accumulated into the whole reply,
  with the chat's token usage;
* ``Assistant.start_conversation``: a ``Conversation`` that keeps its context (every ``say`` runs
  in the same Coze conversation, whose messages ``history`` lists);
* ``Assistant.run_workflow`` / ``Assistant.answer``: a streamed workflow run that may stop at a
  Question node (``Question``) and is resumed with the user's answer;
* ``Assistant.bot_model``: the model the bot answers with (shown on the admin page).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Iterator

import cozepy
import httpx

__all__ = [
    "Assistant",
    "AssistantError",
    "Conversation",
    "NotAuthorized",
    "NotFound",
    "Question",
    "Reply",
    "ServiceUnavailable",
    "WorkflowResult",
]

#: Coze's error codes (the OpenAPI docs' error code list) that the application tells apart.
INVALID_TOKEN, NO_PERMISSION, RESOURCE_NOT_FOUND = 4100, 4101, 4200


class AssistantError(Exception):
    """Something went wrong talking to the assistant service; ``logid`` is Coze's, for support."""

    def __init__(self, message: str, logid: str | None = None) -> None:
        super().__init__(message)
        self.logid = logid


class NotAuthorized(AssistantError):
    """The service rejected our token (revoked, expired) or its permissions."""


class NotFound(AssistantError):
    """The bot, conversation or workflow does not exist (or is not published)."""


class ServiceUnavailable(AssistantError):
    """Any other failure of the service or the network: worth retrying later."""


@contextlib.contextmanager
def _service_errors() -> Iterator[None]:
    """The service's errors as the application's own."""
    try:
        yield
    except cozepy.CozeAPIError as error:
        kind = {INVALID_TOKEN: NotAuthorized, NO_PERMISSION: NotAuthorized, RESOURCE_NOT_FOUND: NotFound}.get(
            error.code or 0, ServiceUnavailable
        )
        raise kind(f"Coze answered {error.code}: {error.msg}", error.logid) from error
    except httpx.TransportError as error:
        raise ServiceUnavailable(f"Coze could not be reached: {error}") from error


@dataclass(frozen=True)
class Reply:
    text: str
    tokens: int | None
    conversation_id: str


@dataclass(frozen=True)
class WorkflowResult:
    output: str
    #: Tokens the workflow's model nodes used, where the SDK reports them.
    tokens: int | None


@dataclass(frozen=True)
class Question:
    """A workflow stopped at a Question node: ask the user ``text``, then ``Assistant.answer``."""

    workflow_id: str
    text: str
    event_id: str
    interrupt_type: int


class Assistant:
    def __init__(self, coze: cozepy.Coze, bot_id: str) -> None:
        self._coze = coze
        self.bot_id = bot_id

    def ask(self, user_id: str, question: str, conversation_id: str | None = None) -> Reply:
        """The bot's whole answer to ``question``, streamed and accumulated, with its token usage."""
        parts: list[str] = []
        tokens: int | None = None
        conversation = conversation_id or ""
        with _service_errors():
            stream = self._coze.chat.stream(
                bot_id=self.bot_id,
                user_id=user_id,
                additional_messages=[cozepy.Message.build_user_question_text(question)],
                conversation_id=conversation_id,
            )
            for event in stream:
                if event.event == cozepy.ChatEventType.CONVERSATION_MESSAGE_DELTA:
                    parts.append(event.message.content)
                elif event.event == cozepy.ChatEventType.CONVERSATION_CHAT_COMPLETED:
                    conversation = event.chat.conversation_id
                    tokens = event.chat.usage.token_count if event.chat.usage else None
                elif event.event == cozepy.ChatEventType.CONVERSATION_CHAT_FAILED:
                    raise ServiceUnavailable(f"the chat failed: {event.chat.last_error}")
        return Reply("".join(parts), tokens, conversation)

    def start_conversation(self, user_id: str) -> Conversation:
        with _service_errors():
            conversation = self._coze.conversations.create()
        return Conversation(self, user_id, conversation.id)

    def run_workflow(self, workflow_id: str, parameters: dict[str, Any]) -> WorkflowResult | Question:
        with _service_errors():
            return self._read_workflow(
                workflow_id, self._coze.workflows.runs.stream(workflow_id=workflow_id, parameters=parameters)
            )

    def answer(self, question: Question, answer: str) -> WorkflowResult | Question:
        """Resume the workflow ``question`` came from with the user's ``answer``."""
        with _service_errors():
            events = self._coze.workflows.runs.resume(
                workflow_id=question.workflow_id,
                event_id=question.event_id,
                resume_data=answer,
                interrupt_type=question.interrupt_type,
            )
            return self._read_workflow(question.workflow_id, events)

    def bot_model(self) -> str:
        with _service_errors():
            bot = self._coze.bots.retrieve(bot_id=self.bot_id)
        if bot.model_info is None:
            raise NotFound(f"bot {self.bot_id} has no model configured")
        return str(bot.model_info.model_name)

    @staticmethod
    def _read_workflow(workflow_id: str, events: Any) -> WorkflowResult | Question:
        last = ""
        tokens: int | None = None
        for event in events:
            if event.event == cozepy.WorkflowEventType.MESSAGE:
                last = event.message.content
                usage = getattr(event.message, "usage", None)  # reported by newer SDKs only
                tokens = usage.token_count if usage is not None else tokens
            elif event.event == cozepy.WorkflowEventType.INTERRUPT:
                data = event.interrupt.interrupt_data
                return Question(workflow_id, last, data.event_id, data.type)
            elif event.event == cozepy.WorkflowEventType.ERROR:
                raise ServiceUnavailable(f"the workflow failed: {event.error.error_message}")
        return WorkflowResult(last, tokens)


class Conversation:
    """A conversation with the bot that keeps its context."""

    def __init__(self, assistant: Assistant, user_id: str, conversation_id: str) -> None:
        self._assistant = assistant
        self.user_id = user_id
        self.id = conversation_id

    def say(self, text: str) -> Reply:
        return self._assistant.ask(self.user_id, text, conversation_id=self.id)

    def history(self) -> list[tuple[str, str]]:
        """(role, text) of every question and answer so far, oldest first."""
        with _service_errors():
            messages = list(self._assistant._coze.conversations.messages.list(conversation_id=self.id, order="asc"))
        return [(str(getattr(message.role, "value", message.role)), message.content) for message in messages]
