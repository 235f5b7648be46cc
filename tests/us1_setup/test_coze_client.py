"""US1, install and configure the client (T009-T014).

What a backend team does first with cozepy, checked through the installed release against the
fake Coze API:

* ``TestCozeClientInitialization``: a ``Coze`` client built from ``TokenAuth`` (T009) and an
  ``AsyncCoze`` client built from ``AsyncTokenAuth`` (T010) make a real call that reaches the
  service with the token and parse its answer; the public properties of the client and its auth
  are what users read (T013). No release exposes the base URL publicly (only ``_base_url``), so
  it is checked on the wire, by where the requests go.
* ``TestCozeClientConfiguration``: a custom HTTP client's timeout is the one every request uses,
  and without one the SDK's documented default (600 s, 5 s to connect) applies (T011);
  ``setup_logging`` sets the level of the ``cozepy`` logger, turns on the request/response debug
  lines, and rejects an invalid level (T012).

Each behaviour has a sync and an async test; the async ones are skipped as not offered where the
release has no ``AsyncCoze`` (0.2.0) or no ``AsyncTokenAuth`` (before 0.13).
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

import cozepy
import httpx
import pytest

from coze_compat import bugs, capabilities
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze
from tests.us1_setup.logs import RecordsHandler, loggers_restored

#: The installed cozepy, typed ``Any``: for names that only some releases have (typecheck runs against the
#: newest and the oldest release; ``@pytest.mark.needs`` skips the tests on releases without them).
SDK: Any = cozepy

RETRIEVE_PATH = "/v1/bot/get_online_info"

#: cozepy 0.2.0-0.5.0 require httpx 0.24, whose ``Client.send()`` applies no timeout to a request
#: built outside ``build_request()``, which is how cozepy builds every request.
TIMEOUT_IGNORED = pytest.mark.known_break(bugs.client.TIMEOUT_IGNORED)
DEFAULT_TIMEOUT = {"connect": 5.0, "read": 600.0, "write": 600.0, "pool": 600.0}


def assert_bot(bot: Any, record: BotRecord) -> None:
    """The client parsed the answer (the bot's full contents are US3's business)."""
    assert (bot.bot_id, bot.name, bot.description) == (record.bot_id, record.name, record.description)


@pytest.fixture
def cozepy_log() -> Iterator[RecordsHandler]:
    """Records of the ``cozepy`` logger; the logging setup of the process is restored afterwards."""
    handler = RecordsHandler()
    with loggers_restored():
        logging.getLogger("cozepy").addHandler(handler)
        yield handler


class TestCozeClientInitialization:
    @pytest.mark.seed("T009")
    def test_sync_client_init(
        self, coze_api: FakeCoze, mock_coze_api_token: str, mock_coze_base_url: str, sample_bot_data: BotRecord
    ) -> None:
        """Given a personal access token and the coze.com base URL,
        When a ``Coze`` client is built with ``TokenAuth`` and asked for a bot,
        Then one GET reaches api.coze.com with the token and the bot comes back parsed."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        coze = cozepy.Coze(auth=cozepy.TokenAuth(mock_coze_api_token), base_url=mock_coze_base_url)
        bot = coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        request = coze_api.last_request()
        assert (request.method, request.host, request.path, request.flat_query(), request.body) == (
            "GET",
            "api.coze.com",
            RETRIEVE_PATH,
            {"bot_id": sample_bot_data.bot_id},
            None,
        )
        assert request.headers["authorization"] == f"Bearer {mock_coze_api_token}"
        assert route.call_count == 1
        assert_bot(bot, sample_bot_data)

    @pytest.mark.seed("T010")
    @pytest.mark.needs("async_client", "async_token_auth")
    @pytest.mark.anyio
    async def test_async_client_init(
        self, coze_api: FakeCoze, mock_coze_api_token: str, mock_coze_base_url: str, sample_bot_data: BotRecord
    ) -> None:
        """Given a personal access token and the coze.com base URL,
        When an ``AsyncCoze`` client is built with ``AsyncTokenAuth`` and awaited for a bot,
        Then one GET reaches api.coze.com with the token and the bot comes back parsed."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        coze = SDK.AsyncCoze(auth=SDK.AsyncTokenAuth(mock_coze_api_token), base_url=mock_coze_base_url)
        bot = await coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        request = coze_api.last_request()
        assert (request.method, request.host, request.path, request.flat_query()) == (
            "GET",
            "api.coze.com",
            RETRIEVE_PATH,
            {"bot_id": sample_bot_data.bot_id},
        )
        assert request.headers["authorization"] == f"Bearer {mock_coze_api_token}"
        assert route.call_count == 1
        assert_bot(bot, sample_bot_data)

    @pytest.mark.seed("T013")
    def test_client_properties(self, mock_coze_api_token: str) -> None:
        """Given a ``TokenAuth`` and a ``Coze`` client built from it,
        When a user reads their public properties,
        Then the auth gives back the token and the ``Bearer`` type, and the client offers the
        bots, chat, conversations and workflows API clients with their methods."""
        auth = cozepy.TokenAuth(mock_coze_api_token)
        coze = cozepy.Coze(auth=auth)

        assert (auth.token, auth.token_type) == (mock_coze_api_token, "Bearer")
        assert callable(coze.bots.retrieve)
        assert callable(coze.bots.list)
        assert callable(coze.chat.create)
        assert callable(coze.chat.stream)
        assert callable(coze.conversations.create)
        assert callable(coze.conversations.messages.list)
        assert callable(coze.workflows.runs.create)
        assert callable(coze.workflows.runs.stream)

    @pytest.mark.seed("T013")
    @pytest.mark.needs("async_client", "async_token_auth")
    def test_async_client_properties(self, mock_coze_api_token: str) -> None:
        """Given an ``AsyncTokenAuth`` and an ``AsyncCoze`` client built from it,
        When a user reads their public properties,
        Then the auth gives the ``Bearer`` type and the client offers the same API clients."""
        auth = SDK.AsyncTokenAuth(mock_coze_api_token)
        coze = SDK.AsyncCoze(auth=auth)

        assert auth.token_type == "Bearer"
        assert callable(coze.bots.retrieve)
        assert callable(coze.bots.list)
        assert callable(coze.chat.create)
        assert callable(coze.chat.stream)
        assert callable(coze.conversations.create)
        assert callable(coze.conversations.messages.list)
        assert callable(coze.workflows.runs.create)
        assert callable(coze.workflows.runs.stream)


class TestCozeClientConfiguration:
    @TIMEOUT_IGNORED
    @pytest.mark.seed("T011")
    def test_custom_http_client_timeout(
        self, coze_api: FakeCoze, mock_coze_api_token: str, sample_bot_data: BotRecord
    ) -> None:
        """Given a cozepy sync HTTP client built with a 3 s timeout (1 s to connect),
        When a ``Coze`` client built with it makes a request,
        Then that request carries exactly this timeout."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()
        http_client = capabilities.sync_http_client_class()(timeout=httpx.Timeout(3.0, connect=1.0))

        coze = cozepy.Coze(auth=cozepy.TokenAuth(mock_coze_api_token), http_client=http_client)
        coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        assert route.calls.last.request.extensions["timeout"] == {
            "connect": 1.0,
            "read": 3.0,
            "write": 3.0,
            "pool": 3.0,
        }

    @TIMEOUT_IGNORED
    def test_default_http_client_timeout(
        self, coze_api: FakeCoze, mock_coze_api_token: str, sample_bot_data: BotRecord
    ) -> None:
        """Given a ``Coze`` client built without an HTTP client,
        When it makes a request,
        Then the request carries the SDK's default timeout: 600 s, 5 s to connect."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        coze = cozepy.Coze(auth=cozepy.TokenAuth(mock_coze_api_token))
        coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        assert route.calls.last.request.extensions["timeout"] == DEFAULT_TIMEOUT

    @TIMEOUT_IGNORED
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_custom_http_client_timeout(
        self, coze_api: FakeCoze, mock_coze_api_token: str, sample_bot_data: BotRecord
    ) -> None:
        """Given a cozepy ``AsyncHTTPClient`` built with a 3 s timeout (1 s to connect),
        When an ``AsyncCoze`` client built with it makes a request,
        Then that request carries exactly this timeout."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()
        http_client = capabilities.async_http_client_class()(timeout=httpx.Timeout(3.0, connect=1.0))

        coze = SDK.AsyncCoze(auth=capabilities.async_auth(mock_coze_api_token), http_client=http_client)
        await coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        assert route.calls.last.request.extensions["timeout"] == {
            "connect": 1.0,
            "read": 3.0,
            "write": 3.0,
            "pool": 3.0,
        }

    @TIMEOUT_IGNORED
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_default_http_client_timeout(
        self, coze_api: FakeCoze, mock_coze_api_token: str, sample_bot_data: BotRecord
    ) -> None:
        """Given an ``AsyncCoze`` client built without an HTTP client,
        When it makes a request,
        Then the request carries the SDK's default timeout: 600 s, 5 s to connect."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        coze = SDK.AsyncCoze(auth=capabilities.async_auth(mock_coze_api_token))
        await coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        assert route.calls.last.request.extensions["timeout"] == DEFAULT_TIMEOUT

    @pytest.mark.seed("T012")
    def test_logging_setup(
        self, coze_api: FakeCoze, coze: cozepy.Coze, sample_bot_data: BotRecord, cozepy_log: RecordsHandler
    ) -> None:
        """Given ``setup_logging(logging.DEBUG)``,
        When the client makes a request,
        Then the ``cozepy`` logger is at DEBUG and logs the request and the response's log id."""
        coze_api.bots.add(sample_bot_data)
        coze_api.bots.retrieve()

        cozepy.setup_logging(logging.DEBUG)
        coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        assert logging.getLogger("cozepy").level == logging.DEBUG
        messages = [record.getMessage() for record in cozepy_log.records if record.levelno == logging.DEBUG]
        url = f"https://api.coze.com{RETRIEVE_PATH}"
        assert [message.split(",")[0] for message in messages] == [
            f"request GET#{url} sending",
            f"request GET#{url} responding",
        ]
        assert f"logid={coze_api.last_logid()}" in messages[1]

    def test_logging_default_level(
        self, coze_api: FakeCoze, coze: cozepy.Coze, sample_bot_data: BotRecord, cozepy_log: RecordsHandler
    ) -> None:
        """Given ``setup_logging()`` with no level,
        When a request succeeds and then one fails because the token was revoked,
        Then the logger is at WARNING: no debug lines, one warning naming the failure's log id."""
        coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        cozepy.setup_logging()
        coze.bots.retrieve(bot_id=sample_bot_data.bot_id)
        coze_api.tokens.clear()
        with pytest.raises(cozepy.CozeAPIError):
            coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        assert route.call_count == 2
        assert logging.getLogger("cozepy").level == logging.WARNING
        assert [(record.levelno, record.getMessage()) for record in cozepy_log.records] == [
            (
                logging.WARNING,
                f"request GET#https://api.coze.com{RETRIEVE_PATH} failed, logid={coze_api.last_logid()}, "
                "code=4100, msg=authentication is invalid",
            )
        ]

    @pytest.mark.seed("T012")
    @pytest.mark.parametrize("level", [12345, -1, 15])
    def test_logging_setup_rejects_invalid_level(self, level: int, cozepy_log: RecordsHandler) -> None:
        """Given a number that is not a logging level,
        When it is passed to ``setup_logging``,
        Then ``ValueError("invalid log level: <n>")`` is raised and the logger level is unchanged."""
        before = logging.getLogger("cozepy").level

        with pytest.raises(ValueError, match=f"^invalid log level: {level}$"):
            cozepy.setup_logging(level)

        assert logging.getLogger("cozepy").level == before
