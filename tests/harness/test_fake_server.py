"""The fake Coze API is strict: what the service would reject, the fake rejects and reports.

These tests talk to the fake with plain httpx (not cozepy): they pin the fake's own behaviour,
on which every story relies.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from pytest_socket import SocketBlockedError
from respx.models import AllMockedAssertionError

from coze_compat.fake import envelope
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.requests import Endpoint, MalformedRequest, parse
from coze_compat.fake.server import TOKEN, FakeCoze, UnexpectedRequestError

RETRIEVE = "https://api.coze.com/v1/bot/get_online_info"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN) as started:
        started.bots.add(BotRecord(bot_id="7379462189365198898", name="Calendar helper", space_id="7376"))
        yield started


def test_answer_carries_envelope_and_logid(fake: FakeCoze) -> None:
    """Given a registered route and a known token,
    When a request arrives,
    Then the answer is the full envelope with the same log id in the header and in detail.logid."""
    fake.bots.retrieve()

    response = httpx.get(RETRIEVE, params={"bot_id": "7379462189365198898"}, headers=AUTH)

    body = response.json()
    assert response.headers["x-tt-logid"] == body["detail"]["logid"] == fake.last_logid()
    assert (body["code"], body["msg"], body["data"]["bot_id"]) == (0, "", "7379462189365198898")
    assert response.headers["content-type"] == envelope.JSON_TYPE
    fake.verify()


def test_logids_are_unique_and_shaped_like_the_service(fake: FakeCoze) -> None:
    """Given two requests,
    When the fake answers them,
    Then each gets its own 34-character log id: 14 digits of time and 20 hex digits."""
    fake.bots.retrieve()

    first, second = (
        httpx.get(RETRIEVE, params={"bot_id": "7379462189365198898"}, headers=AUTH).headers["x-tt-logid"]
        for _ in range(2)
    )

    assert first != second
    assert len(first) == 34
    assert first[:14].isdigit()
    int(first[14:], 16)
    fake.verify()


def test_unregistered_request_fails_at_once_and_at_verify(fake: FakeCoze) -> None:
    """Given no route for an endpoint,
    When a request for it arrives,
    Then respx refuses it at once and verify() names it, even if the caller swallowed the error."""
    with pytest.raises(AllMockedAssertionError):
        httpx.get("https://api.coze.com/v1/workspaces", headers=AUTH)

    with pytest.raises(
        UnexpectedRequestError, match=r"requests no test registered: GET https://api\.coze\.com/v1/workspaces"
    ):
        fake.verify()


def test_registered_route_never_called_fails_verify(fake: FakeCoze) -> None:
    """Given a route the test registered,
    When no request uses it,
    Then verify() names the route."""
    fake.bots.retrieve()
    fake.bots.list_published()

    httpx.get(RETRIEVE, params={"bot_id": "7379462189365198898"}, headers=AUTH)

    with pytest.raises(UnexpectedRequestError, match=r"registered but never called: bots\.list_published$"):
        fake.verify()


def test_same_endpoint_cannot_be_registered_twice(fake: FakeCoze) -> None:
    """Given an endpoint already registered in a test,
    When it is registered again (respx would silently replace the first route),
    Then the fake refuses and says how to vary the answers instead."""
    fake.bots.retrieve()

    with pytest.raises(ValueError, match=r"^bots\.retrieve is already registered in this test: register each"):
        fake.bots.retrieve()
    httpx.get(RETRIEVE, params={"bot_id": "7379462189365198898"}, headers=AUTH)
    fake.verify()


def test_request_to_another_host_is_a_violation(fake: FakeCoze) -> None:
    """Given the fake serves api.coze.com,
    When a request for the same path goes to api.coze.cn,
    Then it gets the service's 4000 error and verify() reports the host."""
    fake.bots.retrieve()

    response = httpx.get("https://api.coze.cn/v1/bot/get_online_info", params={"bot_id": "1"}, headers=AUTH)

    assert response.json()["code"] == 4000
    with pytest.raises(UnexpectedRequestError, match=r"sent to host api\.coze\.cn, the service is at api\.coze\.com"):
        fake.verify()


def test_missing_query_parameter_is_a_violation(fake: FakeCoze) -> None:
    """Given an endpoint that requires a query parameter,
    When a request lacks it,
    Then it is answered with 4000 and verify() names the parameter."""
    fake.bots.retrieve()

    response = httpx.get(RETRIEVE, headers=AUTH)

    assert response.json()["msg"] == "Request parameter error: bots.retrieve: missing query parameter(s) bot_id"
    with pytest.raises(UnexpectedRequestError, match=r"missing query parameter\(s\) bot_id"):
        fake.verify()


def test_bad_page_parameter_is_a_violation(fake: FakeCoze) -> None:
    """Given a list endpoint,
    When a page number is not a positive integer,
    Then the handler's rejection becomes a 4000 answer and a reported violation."""
    fake.bots.list_published()

    response = httpx.get(
        "https://api.coze.com/v1/space/published_bots_list",
        params={"space_id": "7376", "page_index": "0"},
        headers=AUTH,
    )

    assert response.json()["code"] == 4000
    with pytest.raises(UnexpectedRequestError, match=r"page_index=0: .*must be >= 1"):
        fake.verify()


@pytest.mark.parametrize(
    ("authorization", "code", "status"),
    [
        (None, 4100, 401),
        ("Bearer pat_unknown", 4100, 401),
        (f"Basic {TOKEN}", 4100, 401),
    ],
    ids=["no-header", "unknown-token", "wrong-scheme"],
)
def test_unknown_token_gets_4100(fake: FakeCoze, authorization: str | None, code: int, status: int) -> None:
    """Given a request without a known bearer token,
    When it reaches the fake,
    Then the answer is the service's invalid-token error, and it is recorded for assertions."""
    fake.bots.retrieve()
    headers = {} if authorization is None else {"Authorization": authorization}

    response = httpx.get(RETRIEVE, params={"bot_id": "1"}, headers=headers)

    assert (response.status_code, response.json()["code"], response.json()["msg"]) == (
        status,
        code,
        "authentication is invalid",
    )
    assert fake.last_request().param("bot_id") == "1"
    fake.verify()


def test_token_without_permission_gets_4101(fake: FakeCoze) -> None:
    """Given a token the fake knows but without permission,
    When it is used,
    Then the answer is 4101 with the service's message."""
    fake.add_token("pat_readonly", permitted=False)
    fake.bots.retrieve()

    response = httpx.get(RETRIEVE, params={"bot_id": "1"}, headers={"Authorization": "Bearer pat_readonly"})

    assert (response.json()["code"], response.json()["msg"]) == envelope.NO_PERMISSION
    fake.verify()


def test_unknown_bot_gets_4200(fake: FakeCoze) -> None:
    """Given no bot with the requested id,
    When it is retrieved,
    Then the answer is the service's not-found error."""
    fake.bots.retrieve()

    body = httpx.get(RETRIEVE, params={"bot_id": "404"}, headers=AUTH).json()

    assert body["code"] == 4200
    assert body["msg"].startswith("resource not found")
    assert "404" in body["msg"]
    fake.verify()


def test_reply_override_still_checks_auth(fake: FakeCoze) -> None:
    """Given a route told to answer with a gateway error,
    When a request with an unknown token arrives, then one with the known token,
    Then the first still gets 4100 and the second the gateway's HTML page."""
    fake.bots.retrieve(reply=envelope.gateway_error(502))

    refused = httpx.get(RETRIEVE, params={"bot_id": "1"}, headers={"Authorization": "Bearer nope"})
    gateway = httpx.get(RETRIEVE, params={"bot_id": "1"}, headers=AUTH)

    assert refused.json()["code"] == 4100
    assert (gateway.status_code, gateway.headers["content-type"], gateway.content) == (
        502,
        "text/html",
        envelope.GATEWAY_HTML,
    )
    fake.verify()


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_no_real_socket_can_be_opened() -> None:
    """Given the test configuration,
    When a test tries to open a network connection,
    Then pytest-socket refuses it before anything leaves the machine."""
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


# -- requests.parse -------------------------------------------------------------------------------

CREATE = Endpoint("demo.create", "POST", r"/v1/demo/(?P<demo_id>\d+)", required_body=("name",), has_body=True)
GET = Endpoint("demo.get", "GET", r"/v1/demo")


def request(method: str, path: str, **kwargs: object) -> httpx.Request:
    return httpx.Request(method, f"https://api.coze.com{path}", **kwargs)  # type: ignore[arg-type]


def test_parse_reads_query_body_and_path_parameters() -> None:
    """Given a well-formed POST with a JSON body, a path parameter and a repeated query parameter,
    When it is parsed,
    Then every part is available as the service reads it."""
    parsed = parse(request("POST", "/v1/demo/42?tag=a&tag=b", json={"name": "x"}), CREATE)

    assert (parsed.method, parsed.path, parsed.path_params, parsed.body) == (
        "POST",
        "/v1/demo/42",
        {"demo_id": "42"},
        {"name": "x"},
    )
    assert (parsed.query["tag"], parsed.param("tag"), parsed.flat_query()) == (("a", "b"), "b", {"tag": "b"})
    assert (parsed.field("name"), parsed.field("other", "default")) == ("x", "default")


@pytest.mark.parametrize(
    ("built", "endpoint", "reason"),
    [
        (
            request("POST", "/v1/demo/42", content=b"{oops", headers={"content-type": "application/json"}),
            CREATE,
            "not valid JSON",
        ),
        (request("POST", "/v1/demo/42", content=b"name=x", headers={"content-type": "text/plain"}), CREATE, "not JSON"),
        (request("POST", "/v1/demo/42", json=["x"]), CREATE, "body must be a JSON object"),
        (request("POST", "/v1/demo/42", json={"name": None}), CREATE, "missing body field(s) name"),
        (request("GET", "/v1/demo", content=b"x"), GET, "takes no body"),
        (request("GET", "/v1/other"), GET, "is not the path of demo.get"),
    ],
    ids=["invalid-json", "form-body", "array-body", "null-field", "get-with-body", "wrong-path"],
)
def test_parse_rejects_what_the_service_rejects(built: httpx.Request, endpoint: Endpoint, reason: str) -> None:
    """Given a request the service would reject,
    When it is parsed,
    Then MalformedRequest says why."""
    with pytest.raises(MalformedRequest) as raised:
        parse(built, endpoint)

    assert reason in str(raised.value)


def test_envelope_variants() -> None:
    """Given the envelope builders,
    When an async-run style reply (no code, no data) and an error are rendered,
    Then each carries exactly the documented keys."""
    bare = envelope.Envelope(msg="", with_code=False, with_data=False, top={"execute_id": "1"}).body("L")
    failed = json.loads(envelope.error(envelope.BAD_REQUEST, status=400).to_response("L").content)

    assert bare == {"msg": "", "execute_id": "1", "detail": {"logid": "L"}}
    assert failed == {"code": 4000, "msg": "Request parameter error", "detail": {"logid": "L"}}


def test_raw_body_without_content_type() -> None:
    """Given a raw reply without a content type,
    When it becomes a response,
    Then only the log id header is set."""
    response = envelope.RawBody(200, b"", content_type=None).to_response("L")

    assert (response.status_code, response.content, response.headers.get("content-type")) == (200, b"", None)
    assert response.headers["x-tt-logid"] == "L"
