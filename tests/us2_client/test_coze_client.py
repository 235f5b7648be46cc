"""US2, client behaviour on the wire (T015-T018).

What every call a backend makes depends on, checked through the installed cozepy against the
fake Coze API:

* where requests go: ``COZE_COM_BASE_URL``, ``COZE_CN_BASE_URL`` and a custom base URL, with and
  without a trailing slash (T015);
* what they carry: ``Authorization: Bearer <token>``, the SDK's ``User-Agent`` and, where
  offered, ``X-Coze-Client-User-Agent`` (T016);
* the log id the service sends in ``x-tt-logid``, on results (where offered) and on errors (T017);
* how failures reach the caller: an invalid token (4100) and a token without permission (4101)
  as ``CozeAPIError`` with code, msg and log id (T018), a non-JSON gateway error, a connection
  error and a timeout (T054's edge cases).

Sync and async for each; the async tests are skipped as not offered where the release has no
``AsyncCoze``.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from typing import Any

import cozepy
import httpx
import pytest

from coze_compat import bugs, capabilities
from coze_compat.fake import envelope
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze

#: The installed cozepy, typed ``Any``: for names that only some releases have (typecheck runs against the
#: newest and the oldest release; ``@pytest.mark.needs`` skips the tests on releases without them).
SDK: Any = cozepy

RETRIEVE_PATH = "/v1/bot/get_online_info"
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
INVALID_TOKEN = "pat_invalid_0000000000000000000000000000000000000000000000000000"

BASE_URLS = [
    pytest.param("COZE_COM_BASE_URL", "https://api.coze.com", "api.coze.com", id="coze.com"),
    pytest.param("COZE_CN_BASE_URL", "https://api.coze.cn", "api.coze.cn", id="coze.cn"),
    pytest.param(None, "https://coze-gateway.internal.example", "coze-gateway.internal.example", id="custom"),
    pytest.param(
        None,
        "https://coze-gateway.internal.example/",
        "coze-gateway.internal.example",
        id="custom-trailing-slash",
        marks=pytest.mark.known_break(bugs.client.TRAILING_SLASH),
    ),
]


def base_url_of(constant: Any, literal: str) -> str:
    """The base URL a user passes: the SDK's constant where one is named, else the literal."""
    if constant is None:
        return literal
    value = str(getattr(cozepy, constant))
    assert value == literal, f"cozepy.{constant} is {value!r}, users rely on {literal!r}"
    return value


def expected_user_agent() -> str:
    version = re.escape(capabilities.cozepy_version())
    system = re.escape(platform.system().lower())
    return rf"^cozepy/{version} python/{re.escape(PYTHON)} {system}/\S*$"


def assert_api_error(error: Any, code: int, msg: str, logid: str) -> None:
    assert isinstance(error, cozepy.CozeAPIError)
    assert (error.code, error.msg, error.logid) == (code, msg, logid)
    assert str(error) == f"code: {code}, msg: {msg}, logid: {logid}"


@pytest.fixture
def published_bot(coze_api: FakeCoze, sample_bot_data: BotRecord) -> BotRecord:
    return coze_api.bots.add(sample_bot_data)


class TestCozeClientConfiguration:
    @pytest.mark.seed("T015")
    @pytest.mark.parametrize(("constant", "base_url", "host"), BASE_URLS)
    def test_base_url_variations(
        self,
        coze_api: FakeCoze,
        mock_coze_api_token: str,
        published_bot: BotRecord,
        constant: Any,
        base_url: str,
        host: str,
    ) -> None:
        """Given a ``Coze`` client built with a base URL (an SDK constant or a custom one),
        When it retrieves a bot,
        Then the request goes to exactly that host and the API path, with no doubled slash."""
        coze_api.base_url = f"https://{host}"
        coze_api.bots.retrieve()

        coze = cozepy.Coze(auth=cozepy.TokenAuth(mock_coze_api_token), base_url=base_url_of(constant, base_url))
        bot = coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert str(coze_api.last_request().url) == f"https://{host}{RETRIEVE_PATH}?bot_id={published_bot.bot_id}"
        assert bot.bot_id == published_bot.bot_id

    @pytest.mark.parametrize(("constant", "base_url", "host"), BASE_URLS)
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_base_url_variations(
        self,
        coze_api: FakeCoze,
        mock_coze_api_token: str,
        published_bot: BotRecord,
        constant: Any,
        base_url: str,
        host: str,
    ) -> None:
        """Given an ``AsyncCoze`` client built with a base URL (an SDK constant or a custom one),
        When it retrieves a bot,
        Then the request goes to exactly that host and the API path, with no doubled slash."""
        coze_api.base_url = f"https://{host}"
        coze_api.bots.retrieve()

        coze = SDK.AsyncCoze(
            auth=capabilities.async_auth(mock_coze_api_token), base_url=base_url_of(constant, base_url)
        )
        bot = await coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert str(coze_api.last_request().url) == f"https://{host}{RETRIEVE_PATH}?bot_id={published_bot.bot_id}"
        assert bot.bot_id == published_bot.bot_id

    @pytest.mark.seed("T016")
    def test_authentication_headers(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_coze_api_token: str, published_bot: BotRecord
    ) -> None:
        """Given a ``Coze`` client with a personal access token,
        When it retrieves a bot,
        Then the request carries ``Authorization: Bearer <token>`` and the SDK's User-Agent
        ``cozepy/<version> python/<x.y> <os>/<os version>``, and no body."""
        coze_api.bots.retrieve()

        coze.bots.retrieve(bot_id=published_bot.bot_id)

        request = coze_api.last_request()
        assert request.headers["authorization"] == f"Bearer {mock_coze_api_token}"
        assert re.match(expected_user_agent(), request.headers["user-agent"]), request.headers["user-agent"]
        assert (request.method, request.body, request.headers.get("content-length", "0")) == ("GET", None, "0")

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_authentication_headers(
        self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str, published_bot: BotRecord
    ) -> None:
        """Given an ``AsyncCoze`` client with a personal access token,
        When it retrieves a bot,
        Then the request carries ``Authorization: Bearer <token>`` and the SDK's User-Agent."""
        coze_api.bots.retrieve()

        await async_coze.bots.retrieve(bot_id=published_bot.bot_id)

        request = coze_api.last_request()
        assert request.headers["authorization"] == f"Bearer {mock_coze_api_token}"
        assert re.match(expected_user_agent(), request.headers["user-agent"]), request.headers["user-agent"]

    @pytest.mark.needs("client_user_agent_header")
    def test_client_user_agent_header(self, coze_api: FakeCoze, coze: cozepy.Coze, published_bot: BotRecord) -> None:
        """Given a ``Coze`` client,
        When it retrieves a bot,
        Then ``X-Coze-Client-User-Agent`` is JSON naming the SDK version, Python and the OS."""
        coze_api.bots.retrieve()

        coze.bots.retrieve(bot_id=published_bot.bot_id)

        agent: dict[str, str] = json.loads(coze_api.last_request().headers["x-coze-client-user-agent"])
        assert {key: agent[key] for key in ("version", "lang", "lang_version", "os_name")} == {
            "version": capabilities.cozepy_version(),
            "lang": "python",
            "lang_version": PYTHON,
            "os_name": platform.system().lower(),
        }
        assert isinstance(agent["os_version"], str)

    @pytest.mark.seed("T017")
    @pytest.mark.needs("result_logid")
    def test_logid_extraction(self, coze_api: FakeCoze, coze: Any, published_bot: BotRecord) -> None:
        """Given the service answers with an ``x-tt-logid`` header,
        When a bot is retrieved,
        Then the result's ``response.logid`` is that log id (the one to quote to Coze support)."""
        coze_api.bots.retrieve()

        bot = coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert bot.response.logid == coze_api.last_logid()

    @pytest.mark.needs("async_client", "result_logid")
    @pytest.mark.anyio
    async def test_async_logid_extraction(self, coze_api: FakeCoze, async_coze: Any, published_bot: BotRecord) -> None:
        """Given the service answers with an ``x-tt-logid`` header,
        When a bot is retrieved through ``AsyncCoze``,
        Then the result's ``response.logid`` is that log id."""
        coze_api.bots.retrieve()

        bot = await async_coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert bot.response.logid == coze_api.last_logid()

    def test_error_logid_extraction(self, coze_api: FakeCoze, coze: cozepy.Coze, published_bot: BotRecord) -> None:
        """Given the service answers a request with an error and an ``x-tt-logid`` header,
        When the call fails,
        Then the ``CozeAPIError`` carries that log id."""
        coze_api.bots.retrieve(reply=envelope.error(envelope.SERVER_ERROR, status=500))

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert_api_error(raised.value, envelope.SERVER_ERROR[0], envelope.SERVER_ERROR[1], coze_api.last_logid())

    @pytest.mark.seed("T018")
    def test_invalid_token_handling(self, coze_api: FakeCoze, published_bot: BotRecord) -> None:
        """Given a token the service does not know,
        When a ``Coze`` client built with it retrieves a bot,
        Then ``CozeAPIError`` is raised with code 4100, "authentication is invalid" and the log id."""
        route = coze_api.bots.retrieve()
        coze = cozepy.Coze(auth=cozepy.TokenAuth(INVALID_TOKEN))

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert route.calls.last.request.headers["authorization"] == f"Bearer {INVALID_TOKEN}"
        assert route.calls.last.response.status_code == envelope.INVALID_TOKEN_STATUS
        assert_api_error(raised.value, *envelope.INVALID_TOKEN, coze_api.last_logid())

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_invalid_token_handling(self, coze_api: FakeCoze, published_bot: BotRecord) -> None:
        """Given a token the service does not know,
        When an ``AsyncCoze`` client built with it retrieves a bot,
        Then ``CozeAPIError`` is raised with code 4100, "authentication is invalid" and the log id."""
        coze_api.bots.retrieve()
        coze = SDK.AsyncCoze(auth=capabilities.async_auth(INVALID_TOKEN))

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert_api_error(raised.value, *envelope.INVALID_TOKEN, coze_api.last_logid())

    def test_token_without_permission(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_coze_api_token: str, published_bot: BotRecord
    ) -> None:
        """Given a valid token that lacks the permission the endpoint needs,
        When a bot is retrieved with it,
        Then ``CozeAPIError`` is raised with code 4101, the service's message and the log id."""
        coze_api.add_token(mock_coze_api_token, permitted=False)
        coze_api.bots.retrieve()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert_api_error(raised.value, *envelope.NO_PERMISSION, coze_api.last_logid())

    def test_non_json_error_body(self, coze_api: FakeCoze, coze: cozepy.Coze, published_bot: BotRecord) -> None:
        """Given a gateway in front of the service answers 502 with an HTML page,
        When a bot is retrieved,
        Then ``CozeAPIError`` is raised with the HTTP status as code, the page as msg, and the log id."""
        coze_api.bots.retrieve(reply=envelope.gateway_error(502))

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=published_bot.bot_id)

        page = envelope.GATEWAY_HTML.decode()
        assert_api_error(raised.value, 502, page, coze_api.last_logid())

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_non_json_error_body(
        self, coze_api: FakeCoze, async_coze: Any, published_bot: BotRecord
    ) -> None:
        """Given a gateway in front of the service answers 502 with an HTML page,
        When a bot is retrieved through ``AsyncCoze``,
        Then ``CozeAPIError`` is raised with the HTTP status as code, the page as msg, and the log id."""
        coze_api.bots.retrieve(reply=envelope.gateway_error(502))

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert_api_error(raised.value, 502, envelope.GATEWAY_HTML.decode(), coze_api.last_logid())

    @pytest.mark.parametrize(
        "failure",
        [
            pytest.param(httpx.ConnectError("[Errno 111] Connection refused"), id="connection-refused"),
            pytest.param(httpx.ConnectTimeout("timed out"), id="connect-timeout"),
            pytest.param(httpx.ReadTimeout("timed out"), id="read-timeout"),
        ],
    )
    def test_network_errors(
        self, coze_api: FakeCoze, coze: cozepy.Coze, published_bot: BotRecord, failure: httpx.TransportError
    ) -> None:
        """Given the network fails (connection refused, connect or read timeout),
        When a bot is retrieved,
        Then the httpx exception reaches the caller unchanged (cozepy neither wraps nor retries)."""
        route = coze_api.bots.retrieve()
        route.side_effect = failure

        with pytest.raises(type(failure)) as raised:
            coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert raised.value is failure
        assert route.call_count == 1

    @pytest.mark.parametrize(
        "failure",
        [
            pytest.param(httpx.ConnectError("[Errno 111] Connection refused"), id="connection-refused"),
            pytest.param(httpx.ReadTimeout("timed out"), id="read-timeout"),
        ],
    )
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_network_errors(
        self, coze_api: FakeCoze, async_coze: Any, published_bot: BotRecord, failure: httpx.TransportError
    ) -> None:
        """Given the network fails,
        When a bot is retrieved through ``AsyncCoze``,
        Then the httpx exception reaches the caller unchanged, after one attempt."""
        route = coze_api.bots.retrieve()
        route.side_effect = failure

        with pytest.raises(type(failure)) as raised:
            await async_coze.bots.retrieve(bot_id=published_bot.bot_id)

        assert raised.value is failure
        assert route.call_count == 1
