"""The Coze Studio flavour of the fake (``FakeCoze(server="coze-studio")``): each answer pinned with plain
httpx, and the Studio source line it follows (coze-dev/coze-studio at ``servers.STUDIO_RELEASE``; the
paths are relative to that repository, the Hertz ones to cloudwego/hertz v0.10.2).

The hosted flavour stays the default (``FakeCoze()`` is ``server="coze.com"``); its answers are pinned
by the other ``test_fake_*`` modules.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coze_compat import servers
from coze_compat.fake import studio
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.envelope import Envelope
from coze_compat.fake.server import TOKEN, FakeCoze, NotServedError, UnexpectedRequestError
from coze_compat.fake.workflows import WorkflowRecord

BASE = "https://api.coze.com"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOT_ID = "7379462189365198898"
WORKFLOW_ID = "7389589103588702217"
QUESTION = {"role": "user", "type": "question", "content": "What day is 2024-10-01?", "content_type": "text"}
#: A Coze Studio checkout (``fetch github:coze-dev/coze-studio``): the cited lines are checked there when present.
STUDIO_GIT = Path("/work/.mirror/coze-dev+coze-studio/repo")


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN, server=servers.STUDIO) as started:
        started.bots.add(BotRecord(bot_id=BOT_ID, name="Calendar helper"))
        yield started


def chat(body: dict[str, Any], **params: str) -> httpx.Response:
    full = {"bot_id": BOT_ID, "user_id": "u1", "additional_messages": [QUESTION], **body}
    return httpx.post(f"{BASE}/v3/chat", params=params, json=full, headers=AUTH)


def sse_events(response: httpx.Response) -> list[tuple[str, str]]:
    """``(event, data)`` of a ``event:X\\ndata:Y`` stream."""
    events = []
    for block in response.text.strip().split("\n\n"):
        fields = dict(line.split(":", 1) for line in block.splitlines() if ":" in line)
        events.append((fields.get("event", "").strip(), fields.get("data", "").strip()))
    return events


class TestFlavour:
    def test_release_recorded(self) -> None:
        """Given the flavour,
        When it is asked,
        Then it names the Studio release it follows and the hosted one stays the default."""
        assert servers.STUDIO_RELEASE == "v0.5.1"
        assert studio.RELEASE == servers.STUDIO_RELEASE
        with FakeCoze(token=TOKEN) as hosted:
            assert (hosted.server, hosted.studio, hosted.logid_header) == (servers.HOSTED, False, "x-tt-logid")

    def test_unknown_server_is_named(self) -> None:
        """Given a server the matrix does not know,
        When it is asked,
        Then the error names the choices."""
        with pytest.raises(servers.UnknownServerError, match=r"choose one of coze\.com, coze-studio"):
            FakeCoze(server="coze.cn")


class TestEnvelope:
    def test_no_detail_and_x_log_id(self, fake: FakeCoze) -> None:
        """Given a conversation,
        When it is created,
        Then the reply is ``{code, msg, data}`` without ``detail``, with the log id in ``X-Log-ID``
        (backend/api/middleware/log.go:90) and no ``x-tt-logid``."""
        fake.conversations.create()
        response = httpx.post(f"{BASE}/v1/conversation/create", json={"bot_id": BOT_ID}, headers=AUTH)
        assert set(response.json()) == {"code", "msg", "data"}
        assert response.headers["X-Log-ID"] == fake.last_logid() == "00000000-0000-4000-8000-000000000001"
        assert "x-tt-logid" not in response.headers
        assert fake.sdk_logid() is None

    @pytest.mark.parametrize(
        ("headers", "reason"),
        [
            ({}, studio.NO_AUTHORIZATION),  # openapi_auth.go:124
            ({"Authorization": "Bearer "}, studio.NO_API_KEY),  # openapi_auth.go:131
            ({"Authorization": "Bearer pat_unknown"}, studio.UNKNOWN_KEY),  # openapiauth.go:228, openapi_auth.go:142
        ],
        ids=["no-header", "no-key", "unknown-key"],
    )
    def test_bad_api_key(self, fake: FakeCoze, headers: dict[str, str], reason: str) -> None:
        """Given a request without a known API key,
        When it is asked,
        Then Studio answers HTTP 200 ``700012006`` "authentication failed: <reason>"
        (backend/types/errno/user.go:25,82; error_resp.go:48)."""
        fake.conversations.create()
        response = httpx.post(f"{BASE}/v1/conversation/create", json={"bot_id": BOT_ID}, headers=headers)
        assert (response.status_code, response.json()) == (
            200,
            {"code": 700012006, "msg": f"authentication failed: {reason}"},
        )

    def test_token_scopes_not_served(self, fake: FakeCoze) -> None:
        """Given Studio's API keys,
        When it is asked,
        Then a token without permission cannot be made: they have no scopes."""
        with pytest.raises(NotServedError, match=r"not served by Coze Studio v0\.5\.1"):
            fake.add_token("pat_read_only", permitted=False)


class TestBinding:
    def test_empty_conversation_id_is_400(self, fake: FakeCoze) -> None:
        """Given ``?conversation_id=`` (what cozepy sends since 0.6.2, coze-py#308),
        When a chat is created,
        Then Hertz's binder fails: HTTP 400 ``{"code": 400, "msg": "unable to decode '' as int64: ..."}`` (hertz
        getter.go:89 reads the empty value as present, config.go:76 LooseZeroMode off, base_type_decoder.go:133;
        error_resp.go:36; run.go:5122 ``*int64``), and it is a rejected request."""
        fake.chat.create()
        response = chat({"stream": False}, conversation_id="")
        assert (response.status_code, response.json()) == (
            400,
            {"code": 400, "msg": "unable to decode '' as int64: strconv.ParseInt: parsing \"\": invalid syntax"},
        )
        with pytest.raises(UnexpectedRequestError, match="unable to decode"):
            fake.verify()

    def test_absent_conversation_id_starts_a_conversation(self, fake: FakeCoze) -> None:
        """Given no ``conversation_id`` at all,
        When a blocking chat is created,
        Then it is answered."""
        fake.chat.create()
        assert chat({"stream": False}).json()["code"] == 0


class TestChat:
    def test_blocking_chat_comes_back_created(self, fake: FakeCoze) -> None:
        """Given a blocking chat,
        When it is asked,
        Then Studio answers at the run's ``created`` event: status ``created``, ``completed_at``/``failed_at`` 0, no
        ``usage``, no ``last_error`` (openapi_agent_run.go:598-633; run.go:8664-8676), with ``BaseResp: null``."""
        fake.chat.create()
        body = chat({"stream": False}).json()
        data = body["data"]
        assert (data["status"], data["completed_at"], data["failed_at"]) == ("created", 0, 0)
        assert set(data) == {
            "id",
            "conversation_id",
            "bot_id",
            "created_at",
            "section_id",
            "completed_at",
            "failed_at",
            "status",
        }
        assert body["BaseResp"] is None

    def test_stream_ends_with_stream_done(self, fake: FakeCoze) -> None:
        """Given a streamed chat,
        When it is asked,
        Then it ends ``event:conversation.stream.done`` with empty data (build_chunk_event.go:27-31), and
        ``conversation.chat.completed`` carries no usage (message_builder.go:548-557)."""
        fake.chat.create()
        events = sse_events(chat({"stream": True}))
        assert events[-1] == ("conversation.stream.done", "")
        completed = dict(events)["conversation.chat.completed"]
        assert "usage" not in json.loads(completed)
        assert [name for name, _ in events].count("done") == 0

    def test_retrieve_is_get_only(self, fake: FakeCoze) -> None:
        """Given cozepy's ``POST /v3/chat/retrieve``,
        When it is asked,
        Then Studio answers NoRoute's 404 ``{"code": 404, "msg": "not found"}`` (api.go:541 GET only;
        register.go:78-81; HandleMethodNotAllowed off)."""
        fake.chat.create()
        fake.chat.retrieve()
        data = chat({"stream": False}).json()["data"]
        query = {"conversation_id": data["conversation_id"], "chat_id": data["id"]}
        posted = httpx.post(f"{BASE}/v3/chat/retrieve", params=query, headers=AUTH)
        assert (posted.status_code, posted.json()) == (404, {"code": 404, "msg": "not found"})
        got = httpx.get(f"{BASE}/v3/chat/retrieve", params=query, headers=AUTH)
        assert got.json()["data"]["id"] == data["id"]
        assert "last_error" not in got.json()["data"]

    def test_chat_messages_under_messages_key(self, fake: FakeCoze) -> None:
        """Given a finished chat,
        When it is asked,
        Then ``/v3/chat/message/list`` answers under ``Messages`` (message.go:9065), the question first
        (openapi_agent_run.go:495-520)."""
        fake.chat.create()
        fake.chat.list_messages()
        data = chat({"stream": True}).text  # a streamed chat runs to its end
        assert data
        record = next(iter(fake.chat.records.values()))
        query = {"conversation_id": record.conversation.id, "chat_id": record.id}
        body = httpx.get(f"{BASE}/v3/chat/message/list", params=query, headers=AUTH).json()
        assert "data" not in body
        assert [message["type"] for message in body["Messages"]] == ["question", "answer", "verbose"]

    def test_unknown_bot_blocking_is_400(self, fake: FakeCoze) -> None:
        """Given a bot Studio does not know,
        When it is asked,
        Then a blocking chat is HTTP 400 with the error's text (agent_run_service.go:115; errorx status.go:62;
        errno/conversation.go agent not exists)."""
        fake.chat.create()
        response = chat({"stream": False, "bot_id": "7000000000000000000"})
        assert (response.status_code, response.json()) == (
            400,
            {"code": 400, "msg": "code=103100002 message=agent not exists"},
        )

    def test_unknown_bot_streaming_is_an_error_event(self, fake: FakeCoze) -> None:
        """Given a bot Studio does not know,
        When it is asked,
        Then a streamed chat is one ``event:error`` with ``ErrConversationAgentRunError``
        (agent_run_service.go:129-136)."""
        fake.chat.create()
        events = sse_events(chat({"stream": True, "bot_id": "7000000000000000000"}))
        assert events == [("error", '{"code":103100001,"msg":"code=103100002 message=agent not exists"}')]


class TestConversations:
    def test_create_without_meta_data(self, fake: FakeCoze) -> None:
        """Given a conversation created without meta data,
        When it is asked,
        Then ``meta_data`` is null and there is no ``name``, ``updated_at`` or creator (conversation.go:152; model
        conversation.go:1043-1052)."""
        fake.conversations.create()
        data = httpx.post(f"{BASE}/v1/conversation/create", json={"bot_id": BOT_ID}, headers=AUTH).json()["data"]
        assert data["meta_data"] is None
        assert set(data) == {"id", "created_at", "connector_id", "last_section_id", "meta_data"}

    def test_retrieve_under_conversation_data(self, fake: FakeCoze) -> None:
        """Given a conversation,
        When it is asked,
        Then retrieve answers under ``ConversationData`` (conversation.go:5065), the creator under ``creator_d``
        (conversation.go:1047)."""
        fake.conversations.retrieve()
        record = fake.conversations.new(bot_id=BOT_ID, meta_data={"k": "v"})
        body = httpx.get(f"{BASE}/v1/conversation/retrieve", params={"conversation_id": record.id}, headers=AUTH).json()
        assert "data" not in body
        assert body["ConversationData"]["id"] == record.id
        assert "creator_d" in body["ConversationData"]
        assert "creator_id" not in body["ConversationData"]

    def test_list_none_is_null(self, fake: FakeCoze) -> None:
        """Given a bot without conversations,
        When it is asked,
        Then the list is ``conversations: null`` (dao.go:178-180)."""
        fake.conversations.list()
        response = httpx.get(f"{BASE}/v1/conversations", params={"bot_id": BOT_ID}, headers=AUTH)
        assert response.json()["data"] == {"conversations": None, "has_more": False}

    def test_empty_message_page(self, fake: FakeCoze) -> None:
        """Given a conversation without messages,
        When it is asked,
        Then the page has no ``data`` and ``first_id``/``last_id`` ``"0"`` (openapi_message.go:142-143; coze-
        studio#776)."""
        fake.conversations.list_messages()
        record = fake.conversations.new(bot_id=BOT_ID)
        response = httpx.post(
            f"{BASE}/v1/conversation/message/list", params={"conversation_id": record.id}, json={}, headers=AUTH
        )
        body = response.json()
        assert "data" not in body
        assert (body["first_id"], body["last_id"], body["has_more"]) == ("0", "0", False)

    def test_unknown_conversation(self, fake: FakeCoze) -> None:
        """Given an unknown conversation,
        When it is asked,
        Then Studio answers HTTP 200 ``103000002`` (errno/conversation.go:25)."""
        fake.conversations.retrieve()
        response = httpx.get(f"{BASE}/v1/conversation/retrieve", params={"conversation_id": "1"}, headers=AUTH)
        assert response.json() == {"code": 103000002, "msg": "conversation not found"}


class TestBotsAndWorkflows:
    def test_online_info_is_the_bare_bot(self, fake: FakeCoze) -> None:
        """Given ``get_online_info``,
        When it is asked,
        Then Studio answers the bot itself (bot_open_api_service.go:106-112)."""
        fake.bots.retrieve()
        body = httpx.get(f"{BASE}/v1/bot/get_online_info", params={"bot_id": BOT_ID}, headers=AUTH).json()
        assert body["bot_id"] == BOT_ID
        assert "code" not in body

    def test_interrupt_without_node_title(self, fake: FakeCoze) -> None:
        """Given a workflow that asks a question,
        When it is asked,
        Then the ``Interrupt`` is ``{debug_url, interrupt_data}``, with no ``node_title``
        (application/workflow/workflow.go:1447-1470)."""
        fake.workflows.add(WorkflowRecord(workflow_id=WORKFLOW_ID, output={"answer": "ok"}, question="Which city?"))
        fake.workflows.stream_run()
        response = httpx.post(f"{BASE}/v1/workflow/stream_run", json={"workflow_id": WORKFLOW_ID}, headers=AUTH)
        interrupt = [data for name, data in sse_events(response) if name == "Interrupt"]
        assert set(json.loads(interrupt[0])) == {"debug_url", "interrupt_data"}

    def test_sync_run_token_and_cost(self, fake: FakeCoze) -> None:
        """Given a sync run,
        When it is asked,
        Then the reply has ``token`` and ``cost``, ``msg: null`` and no ``usage`` (model workflow.go:72246-72258)."""
        fake.workflows.add(WorkflowRecord(workflow_id=WORKFLOW_ID, output={"answer": "ok"}))
        fake.workflows.run()
        body = httpx.post(f"{BASE}/v1/workflow/run", json={"workflow_id": WORKFLOW_ID}, headers=AUTH).json()
        assert "usage" not in body
        assert body["msg"] is None
        assert body["cost"] == "0.00000"

    def test_unknown_workflow_stream_is_empty(self, fake: FakeCoze) -> None:
        """Given an unknown workflow,
        When it is asked,
        Then the stream is HTTP 200, a JSON type, an empty body: the SSE writer has taken the reply before the error
        (workflow_service.go:1016-1027)."""
        fake.workflows.stream_run()
        response = httpx.post(f"{BASE}/v1/workflow/stream_run", json={"workflow_id": WORKFLOW_ID}, headers=AUTH)
        assert (response.status_code, response.content, response.headers["content-type"]) == (
            200,
            b"",
            "application/json; charset=utf-8",
        )


class TestNotServed:
    def test_run_history_is_not_served(self, fake: FakeCoze) -> None:
        """Given cozepy's run-history path,
        When it is asked,
        Then Studio has no such route (its own is ``GET /v1/workflow/get_run_history``, api.go:521): registering it
        raises ``NotServedError``, whose reply is what Studio answers: the session middleware's 401, the path not
        being an OpenAPI path (session.go:57; request_inspector.go:38-44; hertz engine.go:908)."""
        with pytest.raises(NotServedError) as raised:
            fake.workflows.run_history()
        assert raised.value.reason == (
            "not served by Coze Studio v0.5.1: GET /v1/workflows/{workflow_id}/run_histories/{execute_id} "
            "(no route in backend/api/router/coze/api.go:474-549)"
        )
        reply = raised.value.reply
        assert isinstance(reply, Envelope)
        assert (reply.status, reply.code, reply.msg) == (401, 401, "missing session_key in cookie")

    def test_bot_list_is_not_served(self, fake: FakeCoze) -> None:
        """Given ``GET /v1/bots``,
        When it is asked,
        Then it is not served (no route in api.go)."""
        with pytest.raises(NotServedError, match=r"GET /v1/bots \(no route"):
            fake.bots.list()

    def test_openapi_path_not_served_is_404(self) -> None:
        """Given an OpenAPI path Studio has no route for,
        When it is asked,
        Then its answer is NoRoute's 404 (register.go:78-81)."""
        reply = studio.not_served_reply("/v1/workflows/7389589103588702217")
        assert isinstance(reply, Envelope)
        assert (reply.status, reply.code, reply.msg) == (404, 404, "not found")


def _sources() -> list[tuple[str, studio.Source]]:
    found = [(name, value) for name, value in vars(studio).items() if isinstance(value, studio.Source)]
    return found + [(name, route.source) for name, route in studio.ROUTES.items()]


@pytest.mark.parametrize(("name", "source"), _sources(), ids=[name for name, _ in _sources()])
def test_cited_line_says_it(name: str, source: studio.Source) -> None:
    """Given each citation of the flavour,
    When a Coze Studio checkout is at hand,
    Then the cited line of ``STUDIO_RELEASE`` holds the quoted text."""
    if source.repo != f"coze-dev/coze-studio {studio.RELEASE}":
        pytest.skip("a Hertz line: no checkout of cloudwego/hertz here")
    if not STUDIO_GIT.is_dir():
        pytest.skip(f"no Coze Studio checkout at {STUDIO_GIT}")
    shown = subprocess.run(
        ["git", "-C", str(STUDIO_GIT), "show", f"{studio.RELEASE}:{source.path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = shown.stdout.splitlines()
    assert source.excerpt in lines[source.line - 1], f"{name}: {source} says {lines[source.line - 1].strip()!r}"
