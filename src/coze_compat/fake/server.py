"""``FakeCoze``: the fake Coze OpenAPI, answering at the HTTP layer through respx.

A test registers, explicitly, each endpoint it expects to be called (``coze_api.bots.retrieve()``
returns the respx ``Route``, so ``route.calls`` and ``route.call_count`` are there to assert).
Every request then goes through the same checks the service makes, in its order:

1. the host is the fake's ``base_url`` host (a request to another host is a violation);
2. the request is well-formed for the endpoint (``requests.parse``): else 4000 and a violation;
3. ``Authorization: Bearer <token>`` names a known token: else 4100 (``authentication is
   invalid``); a token marked without permission gets 4101;
4. the endpoint's handler answers from the fake's state, or the reply the test gave.

Every reply carries a fresh ``x-tt-logid`` (also in ``detail.logid``). On ``verify()`` (the
``coze_api`` fixture calls it at teardown) the test fails if a request matched no registered
route, if a registered route was never called, or if any request was a violation: so a test
cannot pass while the SDK sends something the service would not accept.

No request leaves the process: respx patches httpx's transports while the fake is active, and
the pytest configuration disables sockets (pytest-socket) for every test.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Callable

import httpx
import respx
from respx.models import AllMockedAssertionError

from coze_compat.fake import envelope
from coze_compat.fake.envelope import LogIds, Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest, Violation, describe, parse

COZE_COM_BASE_URL = "https://api.coze.com"
#: The personal access token the ``coze_api`` fixture knows (shaped like a real one).
TOKEN = "pat_OYDacMzM3WyOWV3Dtj2bHRMymzxP7Uc8pzz9dQVGS44C0gq4c8WM2R2aIoBz4kAc"

Handler = Callable[[CozeRequest], Reply]


class UnexpectedRequestError(AssertionError):
    """The fake received a request no test registered, or one it had to reject."""


class StrictRouter(respx.MockRouter):
    """A respx router that also remembers the requests it could not match."""

    def __init__(self) -> None:
        super().__init__(assert_all_called=False, assert_all_mocked=True)
        self.unmatched: list[httpx.Request] = []

    def resolve(self, request: httpx.Request) -> Any:
        try:
            return super().resolve(request)
        except AllMockedAssertionError:
            self.unmatched.append(request)
            raise

    async def aresolve(self, request: httpx.Request) -> Any:
        try:
            return await super().aresolve(request)
        except AllMockedAssertionError:
            self.unmatched.append(request)
            raise


class FakeCoze:
    """The fake service. Use as a context manager, or through the ``coze_api`` fixture."""

    def __init__(self, base_url: str = COZE_COM_BASE_URL, token: str | None = None) -> None:
        from coze_compat.fake.bots import BotsAPI
        from coze_compat.fake.chat import ChatAPI
        from coze_compat.fake.conversations import ConversationsAPI
        from coze_compat.fake.workflows import WorkflowsAPI

        self.base_url = base_url
        self.router = StrictRouter()
        self.logids = LogIds()
        self.tokens: set[str] = set() if token is None else {token}
        self.tokens_without_permission: set[str] = set()
        self.violations: list[Violation] = []
        self.requests: list[CozeRequest] = []
        self.replied_logids: list[str] = []
        self._registered: list[respx.Route] = []
        self.bots = BotsAPI(self)
        self.chat = ChatAPI(self)
        self.conversations = ConversationsAPI(self)
        self.workflows = WorkflowsAPI(self)

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> FakeCoze:
        self.router.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.router.__exit__(exc_type, exc, traceback)

    def verify(self) -> None:
        """Fail unless every request was registered and valid and every registered route was called."""
        problems = []
        if self.router.unmatched:
            problems.append(f"requests no test registered: {describe(self.router.unmatched)}")
        if self.violations:
            problems.append("requests the service would reject: " + "; ".join(map(str, self.violations)))
        uncalled = [route.name or repr(route) for route in self._registered if not route.called]
        if uncalled:
            problems.append(f"registered but never called: {', '.join(uncalled)}")
        if problems:
            raise UnexpectedRequestError("the fake Coze API saw a problem: " + " | ".join(problems))

    # -- tokens ----------------------------------------------------------------------------------

    def add_token(self, token: str, *, permitted: bool = True) -> None:
        """Make ``token`` known; with ``permitted=False`` every endpoint answers 4101."""
        self.tokens.add(token)
        if not permitted:
            self.tokens_without_permission.add(token)

    # -- routes ----------------------------------------------------------------------------------

    def serve(self, endpoint: Endpoint, handler: Handler, reply: Reply | None = None) -> respx.Route:
        """Register ``endpoint``; answer with ``handler``, or with ``reply`` after the usual checks."""
        if endpoint.name in {route.name for route in self._registered}:
            raise ValueError(
                f"{endpoint.name} is already registered in this test: register each endpoint once "
                "(vary its answers through the fake's state, or give `reply=`)"
            )
        route = self.router.route(method=endpoint.method, path__regex=endpoint.pattern.pattern, name=endpoint.name)
        route.side_effect = self._dispatcher(endpoint, handler, reply)
        self._registered.append(route)
        return route

    def _dispatcher(
        self, endpoint: Endpoint, handler: Handler, reply: Reply | None
    ) -> Callable[[httpx.Request], httpx.Response]:
        def dispatch(request: httpx.Request, **_path_params: str) -> httpx.Response:
            # respx passes named path groups as keyword arguments; requests.parse reads them again.
            logid = self.logids.next()
            self.replied_logids.append(logid)
            return self._answer(endpoint, handler, reply, request).to_response(logid)

        return dispatch

    def _answer(self, endpoint: Endpoint, handler: Handler, reply: Reply | None, request: httpx.Request) -> Reply:
        expected_host = httpx.URL(self.base_url).host
        if request.url.host != expected_host:
            return self._reject(request, f"sent to host {request.url.host}, the service is at {expected_host}")
        try:
            parsed = parse(request, endpoint)
        except MalformedRequest as error:
            return self._reject(request, str(error))
        self.requests.append(parsed)
        authorization = request.headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or token not in self.tokens:
            return envelope.error(envelope.INVALID_TOKEN, envelope.INVALID_TOKEN_STATUS)
        if token in self.tokens_without_permission:
            return envelope.error(envelope.NO_PERMISSION)
        if reply is not None:
            return reply
        try:
            return handler(parsed)
        except MalformedRequest as error:
            return self._reject(request, str(error))

    def _reject(self, request: httpx.Request, reason: str) -> Reply:
        self.violations.append(Violation(request.method, str(request.url), reason))
        code, msg = envelope.BAD_REQUEST
        return envelope.error((code, f"{msg}: {reason}"))

    # -- what was sent ---------------------------------------------------------------------------

    def last_request(self) -> CozeRequest:
        assert self.requests, "the fake Coze API received no request"
        return self.requests[-1]

    def last_logid(self) -> str:
        assert self.replied_logids, "the fake Coze API sent no reply"
        return self.replied_logids[-1]


def not_found(what: str, key: dict[str, str]) -> Reply:
    code, msg = envelope.NOT_FOUND
    return envelope.error((code, f"{msg}: {what} {key}"))
