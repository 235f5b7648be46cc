"""US2, the service's error envelopes as ``CozeAPIError``: code, msg, log id, debug URL, HTTP status.

Every failed call of a backend ends in ``CozeAPIError``; what the team logs, maps to its own errors
or quotes to Coze support are its ``code``, ``msg``, ``logid`` (from the ``x-tt-logid`` header;
``detail.logid`` in the body is the same id, and cozepy reads only the header) and, for a failed
workflow run, ``debug_url``: the link to the run's trace, a top-level field of the error body
(coze-wire-format.md section 0; coze-dev/coze-py#242; Coze Studio's 6031 "unpublished workflow"
reply, coze-studio.md). The stories:

* an error envelope carrying ``debug_url`` (a failed workflow run), sync and async: the error's
  ``debug_url`` and its message, where offered (``CozeAPIError.debug_url`` arrived in 0.16.1;
  before it the URL is discarded: ``bugs.client.API_ERROR_DEBUG_URL_LOST``, shown as not offered);
* the error envelope in every shape the service may send it (property-based): ``code`` a number
  or a numeric string, any ``msg``, ``detail`` with the log id and other fields or left out,
  ``data`` absent or ``null``, ``debug_url`` absent, ``null`` or a URL, any HTTP status the
  gateway or service uses: always ``CozeAPIError`` with exactly that code, msg, the header's log id
  and (where offered) the debug URL; the HTTP status is never looked at.
"""

from __future__ import annotations

from typing import Any

import cozepy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coze_compat import capabilities
from coze_compat.fake import envelope, strategies
from coze_compat.fake.server import TOKEN, FakeCoze, transports_patched
from coze_compat.fake.workflows import WorkflowRecord, debug_url

#: The installed cozepy, typed ``Any``: for names that only some releases have.
SDK: Any = cozepy

#: A failed run's error: the docs' "workflow not published" answer (4200), with the run's trace.
NOT_PUBLISHED = (envelope.NOT_FOUND[0], "workflow not published")
EXECUTE_ID = "7413647890307289100"
BOT_ID = "7379462189365198898"
#: Statuses an error envelope arrives with: the service's 200, its 4xx/5xx, a gateway's.
STATUSES = (200, 400, 401, 403, 404, 429, 500, 502, 503)


def expected_str(code: int, msg: str, logid: str | None, url: str | None) -> str:
    """``str(CozeAPIError)`` as the releases write it (``debug_url`` appended from 0.16.1)."""
    text = f"code: {code}, msg: {msg}, logid: {logid}"
    return f"{text}, debug_url: {url}" if url and capabilities.offers("api_error_debug_url") else text


def assert_api_error(error: Any, code: int, msg: str, logid: str | None, url: str | None) -> None:
    """The error as the caller reads it: its fields, its message, and its debug URL where offered."""
    assert isinstance(error, cozepy.CozeAPIError)
    assert (error.code, error.msg, error.logid) == (code, msg, logid)
    assert str(error) == expected_str(code, msg, logid, url)
    if capabilities.offers("api_error_debug_url"):
        release_error: Any = error  # `debug_url` exists from 0.16.1 only
        assert release_error.debug_url == url


@pytest.fixture
def failed_run(coze_api: FakeCoze, mock_workflow_id: str) -> tuple[WorkflowRecord, str]:
    """A workflow whose run fails; the run's debug URL, which the error reply carries."""
    record = coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output={}))
    url = debug_url(EXECUTE_ID, record.workflow_id)
    coze_api.workflows.run(reply=envelope.error(NOT_PUBLISHED, debug_url=url))
    return record, url


class TestErrorEnvelopes:
    @pytest.mark.needs("api_error_debug_url")
    def test_error_debug_url(self, coze_api: FakeCoze, coze: Any, failed_run: tuple[WorkflowRecord, str]) -> None:
        """Given a workflow run the service fails with an error carrying the run's ``debug_url``,
        When the caller catches the ``CozeAPIError``,
        Then it has the code, msg and log id, the ``debug_url``, and its message ends with the URL."""
        record, url = failed_run

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.workflows.runs.create(workflow_id=record.workflow_id)

        assert_api_error(raised.value, *NOT_PUBLISHED, coze_api.sdk_logid(), url)

    @pytest.mark.needs("async_client", "api_error_debug_url")
    @pytest.mark.anyio
    async def test_async_error_debug_url(
        self, coze_api: FakeCoze, async_coze: Any, failed_run: tuple[WorkflowRecord, str]
    ) -> None:
        """Given a workflow run the service fails with an error carrying the run's ``debug_url``,
        When the ``AsyncCoze`` caller catches the ``CozeAPIError``,
        Then it has the code, msg, log id and ``debug_url``."""
        record, url = failed_run

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_coze.workflows.runs.create(workflow_id=record.workflow_id)

        assert_api_error(raised.value, *NOT_PUBLISHED, coze_api.sdk_logid(), url)


#: Error codes the service sends (coze-wire-format.md section 0) and others in its range.
CODES = st.one_of(st.sampled_from((4000, 4013, 4016, 4100, 4101, 4104, 4200, 5000, 6031)), st.integers(1, 10**9))
#: ``debug_url``: absent, ``null``, or a run's trace.
DEBUG_URLS = (strategies.ABSENT, None, debug_url(EXECUTE_ID, "7389589103588702217"))
#: ``detail``: left out (``None`` here), only the log id, or the log id and other fields.
DETAILS: tuple[dict[str, Any] | None, ...] = (None, {}, {"msg": "internal error", "retry_after": 1})
#: One Coze client for every example: it holds no state of the service (each example has its own fake).
CLIENT = cozepy.Coze(auth=cozepy.TokenAuth(TOKEN))


@st.composite
def error_envelopes(draw: st.DrawFn) -> tuple[envelope.Envelope, int, str, str | None]:
    """An error envelope as the service may send it, and the code, msg and debug URL it carries."""
    code, msg, url, detail = (
        draw(CODES),
        draw(strategies.text),
        draw(st.sampled_from(DEBUG_URLS)),
        draw(st.sampled_from(DETAILS)),
    )
    reply = envelope.Envelope(
        code=str(code) if draw(st.booleans()) else code,  # some gateways send the code as a string
        msg=msg,
        status=draw(st.sampled_from(STATUSES)),
        top={} if url is strategies.ABSENT else {"debug_url": url},
        with_data=draw(st.booleans()),  # `data` absent, or null
        detail=detail or {},
        with_detail=detail is not None,
    )
    return reply, code, msg, None if url is strategies.ABSENT else url


@given(case=error_envelopes())
def check_error_envelope(case: tuple[envelope.Envelope, int, str, str | None]) -> None:
    """One error envelope, served by a fresh fake, read as ``CozeAPIError``."""
    reply, code, msg, url = case
    with FakeCoze(token=TOKEN) as fake:
        fake.bots.retrieve(reply=reply)

        with pytest.raises(cozepy.CozeAPIError) as raised:
            CLIENT.bots.retrieve(bot_id=BOT_ID)

        fake.verify()
    assert_api_error(raised.value, code, msg, fake.sdk_logid(), url)


class TestErrorEnvelopeProperties:
    def test_every_error_envelope_is_a_coze_api_error(self) -> None:
        """Given any error envelope the service may send (code as number or string, any msg, with or
        without ``detail``, ``data`` and ``debug_url``, at any HTTP status),
        When a call gets it,
        Then it raises ``CozeAPIError`` with exactly that code and msg, the header's log id and the debug URL."""
        with transports_patched():  # a fresh fake per example, without re-patching httpx each time
            check_error_envelope()
