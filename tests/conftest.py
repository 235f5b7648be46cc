"""Fixtures shared by every story package (seed tasks T003-T008).

How they are organised, in the order a test uses them:

* **T003 authentication**: ``mock_coze_api_token`` (a personal access token the fake knows) and
  ``mock_coze_base_url`` (``COZE_COM_BASE_URL``, where the fake answers).
* **T004 response builders**: ``mock_successful_response``, ``mock_error_response`` and
  ``mock_streaming_response`` build the replies of the real service (envelope with ``code``,
  ``msg``, ``data``, ``detail.logid``; error bodies; ``text/event-stream`` bodies). A test passes
  one to a route of the fake to override what the fake's state would answer.
* **T005 entity ids**: ``mock_bot_id``, ``mock_workspace_id``, ``mock_conversation_id``,
  ``mock_chat_id``, ``mock_workflow_id``: ids in the service's 19-digit form.
* **T006 sample data**: ``sample_user_message`` (a cozepy ``Message``), ``sample_workflow_inputs``
  (workflow parameters) and ``sample_bot_data`` (a bot the fake serves once added).
* **T007 HTTP clients**: ``mock_httpx_client`` and ``mock_async_httpx_client`` are *real*
  ``SyncHTTPClient`` / ``AsyncHTTPClient`` instances of the installed cozepy (``HTTPClient`` in
  0.2.0); nothing about them is mocked, their requests reach the fake because respx patches
  httpx's transport while ``coze_api`` is active.
* **Clients**: ``coze`` and ``async_coze`` are ``Coze`` / ``AsyncCoze`` wired to the token and the
  clients above; ``async_coze`` skips as not offered where the release has no ``AsyncCoze``. They
  replace the plugin's fixtures of the same names (which use the SDK's default HTTP clients).

The fake API itself (``coze_api``), the ``needs``/``known_break`` markers and the per-cell results
come from ``coze_compat.pytest_plugin``, loaded below (from ``src/``; where coze-compat is installed,
its entry point has already registered the same module under this name, and it is not loaded twice).
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Iterator

import cozepy
import pytest

from coze_compat import capabilities
from coze_compat.fake import envelope, sse
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import TOKEN, FakeCoze

#: The installed cozepy, typed ``Any``: for names that only some releases have (typecheck runs against the
#: newest and the oldest release; ``@pytest.mark.needs`` skips the tests on releases without them).
SDK: Any = cozepy

pytest_plugins = ["coze_compat.pytest_plugin"]


# -- T003: authentication ------------------------------------------------------------------------


@pytest.fixture
def mock_coze_api_token() -> str:
    """A personal access token that the fake Coze API accepts."""
    return TOKEN


@pytest.fixture
def mock_coze_base_url() -> str:
    """The base URL of coze.com, where ``coze_api`` answers."""
    return str(cozepy.COZE_COM_BASE_URL)


# -- T004: response builders ---------------------------------------------------------------------


@pytest.fixture
def mock_successful_response() -> Callable[..., envelope.Envelope]:
    """``mock_successful_response(data, **top_level)``: the service's success envelope."""
    return envelope.ok


@pytest.fixture
def mock_error_response() -> Callable[..., envelope.Envelope]:
    """``mock_error_response((code, msg), status=200)``: the service's error envelope."""
    return envelope.error


@pytest.fixture
def mock_streaming_response() -> Callable[..., sse.EventStream]:
    """``mock_streaming_response(events, style)``: a ``text/event-stream`` reply."""

    def build(events: Any, style: sse.SSEStyle = sse.DEFAULT_STYLE) -> sse.EventStream:
        return sse.EventStream(tuple(events), style)

    return build


# -- T005: entity ids ----------------------------------------------------------------------------


@pytest.fixture
def mock_bot_id() -> str:
    return "7379462189365198898"


@pytest.fixture
def mock_workspace_id() -> str:
    return "7376207281939038251"


@pytest.fixture
def mock_conversation_id() -> str:
    return "7381473525342978089"


@pytest.fixture
def mock_chat_id() -> str:
    return "7382159487131697202"


@pytest.fixture
def mock_workflow_id() -> str:
    return "7389589103588702217"


# -- T006: sample data ---------------------------------------------------------------------------


@pytest.fixture
def sample_user_message() -> cozepy.Message:
    """A user's text question, built the way every release accepts."""
    return cozepy.Message(
        role=cozepy.MessageRole.USER,
        type=cozepy.MessageType.QUESTION,
        content="What day is 2024-10-01?",
        content_type=cozepy.MessageContentType.TEXT,
    )


@pytest.fixture
def sample_workflow_inputs() -> dict[str, Any]:
    return {"user_name": "George", "city": "Hangzhou"}


@pytest.fixture
def sample_bot_data(mock_bot_id: str, mock_workspace_id: str) -> BotRecord:
    """A published bot in ``mock_workspace_id``; ``coze_api.bots.add(sample_bot_data)`` serves it."""
    return BotRecord(
        bot_id=mock_bot_id,
        name="Calendar helper",
        description="Answers questions about dates",
        space_id=mock_workspace_id,
    )


# -- T007: HTTP clients --------------------------------------------------------------------------


@pytest.fixture
def mock_httpx_client() -> Iterator[Any]:
    """A real cozepy sync HTTP client (an ``httpx.Client``) with the SDK's defaults."""
    with capabilities.sync_http_client_class()() as client:
        yield client


@pytest.fixture
async def mock_async_httpx_client() -> AsyncIterator[Any]:
    """A real cozepy ``AsyncHTTPClient`` (an ``httpx.AsyncClient``) with the SDK's defaults (async tests only)."""
    if not capabilities.offers("async_client"):
        pytest.skip(capabilities.missing("async_client") or "")
    async with capabilities.async_http_client_class()() as client:
        yield client


# -- clients -------------------------------------------------------------------------------------


@pytest.fixture
def coze(coze_api: FakeCoze, mock_coze_api_token: str, mock_httpx_client: Any) -> cozepy.Coze:
    """A ``Coze`` client for the fake, as a user configures it."""
    return cozepy.Coze(
        auth=cozepy.TokenAuth(mock_coze_api_token), base_url=coze_api.base_url, http_client=mock_httpx_client
    )


@pytest.fixture
def async_coze(coze_api: FakeCoze, mock_coze_api_token: str, mock_async_httpx_client: Any) -> Any:
    """An ``AsyncCoze`` client for the fake (skipped as not offered before AsyncCoze existed)."""
    return SDK.AsyncCoze(
        auth=capabilities.async_auth(mock_coze_api_token),
        base_url=coze_api.base_url,
        http_client=mock_async_httpx_client,
    )
