"""The fake Coze API is strict: what the service would reject, the fake rejects and reports.

These tests talk to the fake with plain httpx (not cozepy): they pin the fake's own behaviour,
on which every story relies.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pytest_socket import SocketBlockedError
from respx.models import AllMockedAssertionError

from coze_compat.fake import envelope, sse
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.requests import (
    BOOLEAN,
    MULTIPART_BODY,
    NUMBER,
    STRING,
    Endpoint,
    MalformedRequest,
    check_types,
    json_type,
    parse,
)
from coze_compat.fake.server import (
    TOKEN,
    FakeCoze,
    UnexpectedRequestError,
    UnregisteredRequestError,
    registrations,
    transports_patched,
)

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


def test_unregistered_modelled_endpoint_names_the_family_method(fake: FakeCoze) -> None:
    """Given an endpoint the fake models but the test did not register,
    When a request for it arrives,
    Then the error names the method and path, the endpoint, and the family method that registers it."""
    with pytest.raises(UnregisteredRequestError) as raised:
        httpx.get("https://api.coze.com/v1/users/me", headers=AUTH)

    assert str(raised.value) == (
        "GET /v1/users/me is not registered in this test: the fake models it as users.me; "
        "register it with `coze_api.users.me()` before the call"
    )
    with pytest.raises(
        UnexpectedRequestError, match=r"requests no test registered: GET https://api\.coze\.com/v1/users/me"
    ):
        fake.verify()


def test_request_with_the_wrong_method_names_the_right_one(fake: FakeCoze) -> None:
    """Given a chat's messages, which the service lists with GET,
    When they are requested with POST (as cozepy before 0.7.0 does),
    Then the error says which method the service answers and how that endpoint is registered."""
    fake.chat.list_messages()

    with pytest.raises(UnregisteredRequestError) as raised:
        httpx.post("https://api.coze.com/v3/chat/message/list", params={"conversation_id": "1", "chat_id": "2"})

    assert str(raised.value) == (
        "POST /v3/chat/message/list: the service answers GET /v3/chat/message/list (chat.messages.list, "
        "registered with `coze_api.chat.list_messages()`), not POST"
    )
    fake.router.unmatched.clear()
    httpx.get(
        "https://api.coze.com/v3/chat/message/list", params={"conversation_id": "1", "chat_id": "2"}, headers=AUTH
    )
    fake.verify()


def test_unmodelled_endpoint_says_to_use_the_router(fake: FakeCoze) -> None:
    """Given an endpoint cozepy calls that the fake does not model (text to speech),
    When a request for it arrives,
    Then the error names it and shows how to register a respx route on ``coze_api.router``."""
    with pytest.raises(UnregisteredRequestError) as raised:
        httpx.post("https://api.coze.com/v1/audio/speech", json={"input": "hi"}, headers=AUTH)

    assert str(raised.value) == (
        "POST /v1/audio/speech is not modelled by the fake Coze API: register a respx route for it on "
        '`coze_api.router`, e.g. `coze_api.router.post("https://api.coze.com/v1/audio/speech").respond('
        'json={"code": 0, "msg": "", "data": {...}})`'
    )
    fake.router.unmatched.clear()


def test_cozepy_call_of_an_unmodelled_endpoint_names_it(fake: FakeCoze) -> None:
    """Given a cozepy client and no route for the voices it lists (an endpoint the fake does not model),
    When the SDK call is made,
    Then it fails inside the call with the method, the path and how to register a route for it."""
    import cozepy

    coze: Any = cozepy.Coze(auth=cozepy.TokenAuth(TOKEN), base_url=fake.base_url)  # `audio` from 0.7.0

    with pytest.raises(UnregisteredRequestError, match=r"^GET /v1/audio/voices is not modelled by the fake Coze API: "):
        coze.audio.voices.list()

    fake.router.unmatched.clear()


def test_route_added_to_the_router_is_served_and_verified(fake: FakeCoze) -> None:
    """Given a respx route a test adds to ``router`` for an endpoint the fake does not model,
    When it is called, and when another such route is not,
    Then the first answers and the second fails verify() as never called."""
    speech = fake.router.post("https://api.coze.com/v1/audio/speech").respond(content=b"RIFF")
    fake.router.get("https://api.coze.com/v1/audio/voices", name="voices").respond(json={"code": 0})

    assert httpx.post("https://api.coze.com/v1/audio/speech", headers=AUTH).content == b"RIFF"

    assert speech.call_count == 1
    with pytest.raises(UnexpectedRequestError, match=r"registered but never called: voices$"):
        fake.verify()


def test_every_endpoint_of_the_families_has_its_registration_method() -> None:
    """Given the fake's families,
    When their registration methods are found,
    Then each endpoint is named once, with the family method a test calls to register it."""
    found = {endpoint.name: how for endpoint, how in registrations()}

    assert len(found) == len(registrations())
    assert {name: found[name] for name in ("users.me", "files.upload", "chat.messages.list")} == {
        "users.me": "users.me",
        "files.upload": "files.upload",
        "chat.messages.list": "chat.list_messages",
    }


def test_routes_registered_before_the_fake_starts_are_counted() -> None:
    """Given a route registered before the fake is entered (as a fixture of a team's suite does),
    When it is called inside the block,
    Then its calls count, during and after the block, and verify() after the block passes."""
    fake = FakeCoze(token=TOKEN)
    fake.bots.add(BotRecord(bot_id="7379462189365198898", name="Calendar helper", space_id="7376"))
    route = fake.bots.retrieve()

    with fake:
        httpx.get(RETRIEVE, params={"bot_id": "7379462189365198898"}, headers=AUTH)
        assert route.call_count == 1

    assert route.call_count == 1
    fake.verify()


def test_expected_rejection_lets_a_retrying_client_pass(fake: FakeCoze) -> None:
    """Given a client that sends ``user_id`` as a number, gets the service's 4000, and retries with a string,
    When the test expects one rejection around it,
    Then the rejection is listed for the test and verify() passes."""
    endpoint = Endpoint("demo.ask", "POST", r"/v1/demo/ask", has_body=True, body_types={"user_id": STRING})
    fake.serve(endpoint, lambda request: envelope.ok({"answer": "hello"}))

    with fake.expect_rejections(1) as rejected:
        for user_id in (12345, "12345"):
            answer = httpx.post("https://api.coze.com/v1/demo/ask", json={"user_id": user_id}, headers=AUTH).json()
            if answer["code"] == 0:
                break

    assert answer["data"] == {"answer": "hello"}
    assert [violation.reason for violation in rejected] == [
        "demo.ask: user_id must be a JSON string, got integer 12345 (ids are JSON strings on the wire)"
    ]
    fake.verify()


@pytest.mark.parametrize("requests", [0, 2], ids=["none", "two"])
def test_expect_rejections_fails_on_another_count(fake: FakeCoze, requests: int) -> None:
    """Given a block expecting exactly one rejected request,
    When none, or two, are rejected in it,
    Then the block fails at once with the count and the rejections."""
    fake.bots.retrieve()

    def send_bad_requests() -> None:
        with fake.expect_rejections(1):
            for _ in range(requests):
                httpx.get(RETRIEVE, headers=AUTH)

    with pytest.raises(
        UnexpectedRequestError, match=f"expected 1 rejected request.s. in this block, the fake rejected {requests}"
    ):
        send_bad_requests()
    if requests == 0:
        httpx.get(RETRIEVE, params={"bot_id": "1"}, headers=AUTH)
    fake.verify()


def test_expect_rejections_needs_a_count() -> None:
    """Given ``expect_rejections(0)``,
    When the block is entered,
    Then it is refused: a block that expects nothing is a plain block."""
    with pytest.raises(ValueError, match=r"count must be at least 1"), FakeCoze().expect_rejections(0):
        pass


def test_route_calls_keep_the_body_sent(fake: FakeCoze) -> None:
    """Given a JSON reply whose body the client reads,
    When the test reads the route's last call,
    Then its response holds the body the fake sent, and the record says the client read and closed it."""
    route = fake.users.me()

    sent = httpx.get("https://api.coze.com/v1/users/me", headers=AUTH).json()

    assert json.loads(route.calls.last.response.content) == sent
    assert (fake.last_response().read_to_end, fake.last_response().closed) == (True, True)
    fake.verify()


def test_responses_record_how_the_body_was_consumed(fake: FakeCoze) -> None:
    """Given a JSON reply and a streamed reply,
    When the first is read whole and the second is left after one chunk and then closed,
    Then the records say read to the end and closed, and not read to the end but closed."""
    fake.bots.retrieve()
    stream = sse.EventStream((sse.SSEEvent("a", "1"), sse.SSEEvent("b", "2")), sse.SSEStyle("tiny", chunk_size=4))
    fake.chat.create(reply=stream)

    httpx.get(RETRIEVE, params={"bot_id": "1"}, headers=AUTH)
    json_reply = fake.last_response()
    with httpx.stream(
        "POST", "https://api.coze.com/v3/chat", json={"bot_id": "1", "user_id": "u"}, headers=AUTH
    ) as reply:
        next(reply.iter_raw())
        partway = (fake.last_response().read_to_end, fake.last_response().closed)

    assert (json_reply.endpoint, json_reply.read_to_end, json_reply.released) == ("bots.retrieve", True, True)
    assert partway == (False, False)
    streamed = fake.last_response()
    assert (streamed.endpoint, streamed.chunks_read, streamed.read_to_end, streamed.closed) == (
        "chat.create",
        1,
        False,
        True,
    )
    fake.verify()


@pytest.mark.anyio
async def test_async_responses_record_how_the_body_was_consumed(fake: FakeCoze) -> None:
    """Given a streamed reply to an async client,
    When it is read to the end,
    Then its record says every chunk was read, to the end, and the response was closed."""
    stream = sse.EventStream((sse.SSEEvent("a", "1"),), sse.SSEStyle("tiny", chunk_size=4))
    fake.chat.create(reply=stream)

    async with httpx.AsyncClient() as client:
        reply = await client.post("https://api.coze.com/v3/chat", json={"bot_id": "1", "user_id": "u"}, headers=AUTH)

    served = fake.last_response()
    assert (reply.content, served.chunks_read, served.read_to_end, served.closed) == (
        stream.payload(),
        len(sse.split(stream.payload(), 4)),
        True,
        True,
    )
    fake.verify()


def test_fakes_inside_transports_patched_work_and_nothing_else_is_served() -> None:
    """Given a block with httpx's transports kept patched,
    When a fake is started and stopped inside it, and a request is sent after it stopped,
    Then the fake answers, and the later request is refused as not mocked."""
    with transports_patched():
        with FakeCoze(token=TOKEN) as fake:
            fake.users.me()
            assert httpx.get("https://api.coze.com/v1/users/me", headers=AUTH).json()["code"] == 0
        fake.verify()
        with pytest.raises(AllMockedAssertionError):
            httpx.get("https://api.coze.com/v1/users/me", headers=AUTH)


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


def test_json_types_as_the_service_reads_them() -> None:
    """Given decoded JSON values,
    When their JSON type is named,
    Then ``true`` is a boolean (not an integer), and every JSON type has its name."""
    values: tuple[object, ...] = (None, True, 1, 1.5, "x", {}, [])
    assert [json_type(value) for value in values] == [
        "null",
        "boolean",
        "integer",
        "number",
        "string",
        "object",
        "array",
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"bot_id": 7379462189365198898}, "demo: bot_id must be a JSON string, got integer 7379462189365198898 (ids"),
        ({"stream": 1}, "demo: stream must be a JSON boolean, got integer 1"),
        ({"temperature": "0.5"}, "demo: temperature must be a JSON number, got string '0.5'"),
    ],
    ids=["number-for-id", "integer-for-boolean", "string-for-number"],
)
def test_check_types_rejects_the_wrong_type(body: dict[str, object], reason: str) -> None:
    """Given a body field of another JSON type than the service reads,
    When the types are checked,
    Then MalformedRequest names the field, the type it must have and the one it has."""
    types = {"bot_id": STRING, "stream": BOOLEAN, "temperature": NUMBER}

    with pytest.raises(MalformedRequest) as raised:
        check_types(body, types, "demo")

    assert str(raised.value).startswith(reason)


def test_check_types_accepts_null_absent_and_integer_numbers() -> None:
    """Given a body with a null field, a missing field and an integer where a number belongs,
    When the types are checked,
    Then nothing is rejected."""
    check_types(
        {"bot_id": None, "temperature": 1}, {"bot_id": STRING, "temperature": NUMBER, "stream": BOOLEAN}, "demo"
    )


def test_parse_checks_the_endpoint_body_types() -> None:
    """Given an endpoint whose ``user_id`` is a string,
    When a request sends it as a number,
    Then parse rejects it as the service does."""
    endpoint = Endpoint(
        "demo.create", "POST", r"/v1/demo/(?P<demo_id>\d+)", has_body=True, body_types={"user_id": STRING}
    )

    with pytest.raises(MalformedRequest, match=r"^demo.create: user_id must be a JSON string, got integer 1"):
        parse(request("POST", "/v1/demo/42", json={"user_id": 1}), endpoint)


UPLOAD = Endpoint("demo.upload", "POST", r"/v1/demo", required_body=("file",), has_body=True, body_kind=MULTIPART_BODY)


def test_parse_reads_a_multipart_form() -> None:
    """Given a multipart form with a file (binary, with CRLF and a non-ASCII name) and a text field,
    When it is parsed,
    Then the file's name, type and exact bytes and the text field are there."""
    content = bytes(range(256)) + b"\r\n--boundary\r\n"
    built = request("POST", "/v1/demo", files={"file": ("图片.png", content)}, data={"purpose": "chat"})

    parsed = parse(built, UPLOAD)

    uploaded = parsed.files["file"]
    assert (uploaded.filename, uploaded.content_type, uploaded.content) == ("图片.png", "image/png", content)
    assert parsed.body == {"purpose": "chat"}


@pytest.mark.parametrize(
    ("built", "reason"),
    [
        (request("POST", "/v1/demo", json={"file": "x"}), "body sent as application/json, not multipart/form-data"),
        (request("POST", "/v1/demo", files={"image": ("a.png", b"x")}), "missing body field(s) file"),
        (
            request(
                "POST",
                "/v1/demo",
                content=b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
                headers={"content-type": "multipart/form-data; boundary=b"},
            ),
            "a multipart part has no name",
        ),
    ],
    ids=["json-body", "no-file-part", "part-without-name"],
)
def test_parse_rejects_a_bad_upload(built: httpx.Request, reason: str) -> None:
    """Given an upload that is not a multipart form, or has no ``file`` part,
    When it is parsed,
    Then MalformedRequest says why."""
    with pytest.raises(MalformedRequest) as raised:
        parse(built, UPLOAD)

    assert reason in str(raised.value)


def test_envelope_variants() -> None:
    """Given the envelope builders,
    When an async-run style reply (no code, no data) and an error are rendered,
    Then each carries exactly the documented keys."""
    bare = envelope.Envelope(msg="", with_code=False, with_data=False, top={"execute_id": "1"}).body("L")
    failed = json.loads(envelope.error(envelope.BAD_REQUEST, status=400).to_response("L").content)

    assert bare == {"msg": "", "execute_id": "1", "detail": {"logid": "L"}}
    assert failed == {"code": 4000, "msg": "Request parameter error", "detail": {"logid": "L"}}


def test_envelope_detail_and_top_level_fields() -> None:
    """Given an error with a debug URL, one with more ``detail`` fields, and one without ``detail``,
    When they are rendered,
    Then the debug URL is top-level, the extra fields sit beside ``detail.logid``, and ``detail`` can be absent."""
    traced = envelope.error(envelope.NOT_FOUND, debug_url="https://www.coze.com/work_flow?execute_id=1").body("L")
    detailed = envelope.Envelope(code=5000, msg="m", with_data=False, detail={"retry_after": 1}).body("L")
    bare = envelope.Envelope(code="4000", msg="m", with_data=False, with_detail=False).body("L")

    assert traced == {
        "code": 4200,
        "msg": "resource not found",
        "debug_url": "https://www.coze.com/work_flow?execute_id=1",
        "detail": {"logid": "L"},
    }
    assert detailed == {"code": 5000, "msg": "m", "detail": {"logid": "L", "retry_after": 1}}
    assert bare == {"code": "4000", "msg": "m"}


def test_raw_body_without_content_type() -> None:
    """Given a raw reply without a content type,
    When it becomes a response,
    Then only the log id header is set."""
    response = envelope.RawBody(200, b"", content_type=None).to_response("L")

    assert (response.status_code, response.content, response.headers.get("content-type")) == (200, b"", None)
    assert response.headers["x-tt-logid"] == "L"
