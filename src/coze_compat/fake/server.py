"""``FakeCoze``: the fake Coze OpenAPI, answering at the HTTP layer through respx.

A test registers, explicitly, each endpoint it expects to be called (``coze_api.bots.retrieve()``
returns the respx ``Route``, so ``route.calls`` and ``route.call_count`` are there to assert), before
or after the fake is entered. Every request then goes through the same checks the service makes,
in its order:

1. the host is the fake's ``base_url`` host (a request to another host is a violation);
2. the request is well-formed for the endpoint (``requests.parse``: required parameters, JSON or
   multipart body, the JSON type of each field): else 4000 and a violation;
3. ``Authorization: Bearer <token>`` names a known token: else 4100 (``authentication is
   invalid``); a token marked without permission gets 4101 (the OAuth token endpoint, whose
   bearer is a JWT, checks it itself);
4. the endpoint's handler answers from the fake's state, or the reply the test gave.

Every reply carries a fresh ``x-tt-logid`` (also in ``detail.logid``). On ``verify()`` (the
``coze_api`` fixture calls it at teardown) the test fails if a request matched no registered
route, if a registered route was never called, or if any request was a violation: so a test
cannot pass while the SDK sends something the service would not accept. A test that sends a bad
request on purpose (a client that retries after a 4000) says so with ``expect_rejections``.

A request for an endpoint no route of the test matches fails at once, inside the SDK call, with
``UnregisteredRequestError`` naming the method and path and how to register it: the family method
(``coze_api.users.me()``) when the fake models the endpoint, ``coze_api.router`` (plain respx)
when it does not.

Every response records what the client did with its body (``coze_api.responses``,
``last_response()``): how much it read, whether it read to the end and whether it closed the
response. Closing is what returns an HTTP connection to httpx's pool (httpx closes a response
itself when its body has been read to the end), so these records show whether an SDK call
releases its connection.

No request leaves the process: respx patches httpx's transports while the fake is active, and
the pytest configuration disables sockets (pytest-socket) for every test.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from dataclasses import dataclass
from types import TracebackType
from typing import Any, AsyncIterator, Callable, Iterable, Iterator

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
#: The endpoint families of the fake: ``FakeCoze`` attribute name -> class (imported when a fake is made).
FAMILIES = ("bots", "chat", "conversations", "workflows", "users", "workspaces", "files", "oauth")


class UnexpectedRequestError(AssertionError):
    """The fake received a request no test registered, or one it had to reject."""


class UnregisteredRequestError(AllMockedAssertionError):
    """A request that no route of the test matches; the message names it and how to register it.

    A subclass of respx's ``AllMockedAssertionError``, which respx raises in the same place.
    """


class StrictRouter(respx.MockRouter):
    """A respx router that remembers the requests it could not match, and says what they were.

    It keeps its routes and their calls when it stops: respx's own routers snapshot their routes
    when they start and roll back to it when they stop (dropping the routes added meanwhile, and
    the calls of the ones registered before the start), which would leave ``verify()`` after the
    block nothing to count, and costs a mock object per route each time.
    """

    def __init__(self, explain: Callable[[httpx.Request], str]) -> None:
        super().__init__(assert_all_called=False, assert_all_mocked=True)
        self.unmatched: list[httpx.Request] = []
        self._explain = explain

    def snapshot(self) -> None:
        """No snapshot: the fake's routes belong to one test, before, during and after the block."""

    def stop(self, clear: bool = True, reset: bool = True, quiet: bool = False) -> None:
        super().stop(clear=False, reset=False, quiet=quiet)

    def resolve(self, request: httpx.Request) -> Any:
        try:
            return super().resolve(request)
        except AllMockedAssertionError:
            self.unmatched.append(request)
            raise UnregisteredRequestError(self._explain(request)) from None

    async def aresolve(self, request: httpx.Request) -> Any:
        try:
            return await super().aresolve(request)
        except AllMockedAssertionError:
            self.unmatched.append(request)
            raise UnregisteredRequestError(self._explain(request)) from None


@dataclass
class Served:
    """One response the fake sent, and what the client has done with its body so far."""

    endpoint: str
    logid: str
    status_code: int
    #: Body chunks the client has read.
    chunks_read: int = 0
    #: The client read the body to its end.
    read_to_end: bool = False
    #: The client closed the response (``close()`` / ``aclose()``): its connection is free again.
    closed: bool = False

    @property
    def released(self) -> bool:
        """Whether the HTTP connection went back to the pool: httpx releases it when the response is
        closed, which it does by itself once the body has been read to the end."""
        return self.closed


class TrackedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that reports to its ``Served`` record how the client consumes it.

    It wraps the body a ``Reply`` made, which serves sync and async clients alike (httpx's
    ``ByteStream``, ``sse.ChunkStream``, the chat family's live stream).
    """

    def __init__(self, inner: Any, record: Served) -> None:
        self._inner = inner
        self._record = record

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._record.chunks_read += 1
            yield chunk
        self._record.read_to_end = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._record.chunks_read += 1
            yield chunk
        self._record.read_to_end = True

    def close(self) -> None:
        self._record.closed = True
        self._inner.close()

    async def aclose(self) -> None:
        self._record.closed = True
        await self._inner.aclose()


class FakeCoze:
    """The fake service. Use as a context manager, or through the ``coze_api`` fixture.

    * families (state and registration methods): ``bots``, ``chat``, ``conversations``,
      ``workflows``, ``users``, ``workspaces``, ``files``, ``oauth``; each registration method
      (``users.me()``) returns the respx route, and may be called before or after entering;
    * ``router``: plain respx, for an endpoint the fake does not model;
    * ``add_token(token, permitted=...)``; ``expect_rejections(n)`` for bad requests sent on purpose;
    * what was sent and answered: ``requests``/``last_request()`` (``CozeRequest``),
      ``responses``/``last_response()`` (``Served``), ``replied_logids``/``last_logid()``;
    * ``verify()``: no unregistered request, no rejected one, no route left uncalled.
    """

    def __init__(self, base_url: str = COZE_COM_BASE_URL, token: str | None = None) -> None:
        from coze_compat.fake.bots import BotsAPI
        from coze_compat.fake.chat import ChatAPI
        from coze_compat.fake.conversations import ConversationsAPI
        from coze_compat.fake.files import FilesAPI
        from coze_compat.fake.oauth import OAuthAPI
        from coze_compat.fake.users import UsersAPI
        from coze_compat.fake.workflows import WorkflowsAPI
        from coze_compat.fake.workspaces import WorkspacesAPI

        self.base_url = base_url
        self.router = StrictRouter(self.explain)
        self.logids = LogIds()
        self.tokens: set[str] = set() if token is None else {token}
        self.tokens_without_permission: set[str] = set()
        #: Requests the service would reject that no ``expect_rejections`` block expected.
        self.violations: list[Violation] = []
        #: Requests rejected inside ``expect_rejections`` blocks.
        self.expected_rejections: list[Violation] = []
        self.requests: list[CozeRequest] = []
        self.replied_logids: list[str] = []
        self.responses: list[Served] = []
        self._registered: list[respx.Route] = []
        self.bots = BotsAPI(self)
        self.chat = ChatAPI(self)
        self.conversations = ConversationsAPI(self)
        self.workflows = WorkflowsAPI(self)
        self.users = UsersAPI(self)
        self.workspaces = WorkspacesAPI(self)
        self.files = FilesAPI(self)
        self.oauth = OAuthAPI(self)

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
        uncalled = [route.name or repr(route) for route in self.router.routes if not route.called]
        if uncalled:
            problems.append(f"registered but never called: {', '.join(uncalled)}")
        if problems:
            raise UnexpectedRequestError("the fake Coze API saw a problem: " + " | ".join(problems))

    @contextlib.contextmanager
    def expect_rejections(self, count: int = 1) -> Iterator[list[Violation]]:
        """Expect exactly ``count`` requests inside the block to be ones the service rejects (4000).

        For a client that handles a rejection itself (it retries with a fixed request, or maps the
        error to its own): the rejected requests are answered as always, kept out of
        ``violations`` (so ``verify()`` passes) and listed in the yielded list. A block that ends
        with another number of rejections fails at once, naming them::

            with coze_api.expect_rejections(1) as rejected:
                my_client.ask("hello")  # first sends user_id as a number, then as a string
            assert "user_id must be a JSON string" in rejected[0].reason
        """
        if count < 1:
            raise ValueError(f"expect_rejections(count={count}): count must be at least 1")
        start = len(self.violations)
        seen: list[Violation] = []
        try:
            yield seen
        finally:
            seen.extend(self.violations[start:])
            del self.violations[start:]
            self.expected_rejections.extend(seen)
        if len(seen) != count:
            found = "; ".join(map(str, seen)) or "none"
            raise UnexpectedRequestError(
                f"expected {count} rejected request(s) in this block, the fake rejected {len(seen)}: {found}"
            )

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
            response = self._answer(endpoint, handler, reply, request).to_response(logid)
            record = Served(endpoint.name, logid, response.status_code)
            self.responses.append(record)
            response.stream = TrackedBody(response.stream, record)
            # A response bound to its request is recorded by respx as it is (an unbound one is cloned
            # around its stream, which respx reads in advance only for plain byte streams): so
            # `route.calls.last.response.content` is the body the fake sent.
            response.request = request
            return response

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
        refusal = None if endpoint.public else self._authorize(request)
        if refusal is not None:
            return refusal
        if reply is not None:
            return reply
        try:
            return handler(parsed)
        except MalformedRequest as error:
            return self._reject(request, str(error))

    def _authorize(self, request: httpx.Request) -> Reply | None:
        """The service's answer to a request without a known access token (``None`` for a good one)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.tokens:
            return envelope.error(envelope.INVALID_TOKEN, envelope.INVALID_TOKEN_STATUS)
        if token in self.tokens_without_permission:
            return envelope.error(envelope.NO_PERMISSION)
        return None

    def _reject(self, request: httpx.Request, reason: str) -> Reply:
        self.violations.append(Violation(request.method, str(request.url), reason))
        code, msg = envelope.BAD_REQUEST
        return envelope.error((code, f"{msg}: {reason}"))

    # -- unregistered requests -------------------------------------------------------------------

    def explain(self, request: httpx.Request) -> str:
        """What to tell a test whose request matched no route: the endpoint, and how to register it."""
        method, path = request.method, request.url.path
        asked = f"{method} {path}"
        same_path = [(endpoint, how) for endpoint, how in registrations() if endpoint.pattern.match(path)]
        for endpoint, how in same_path:
            if endpoint.method == method:
                return (
                    f"{asked} is not registered in this test: the fake models it as {endpoint.name}; "
                    f"register it with `coze_api.{how}()` before the call"
                )
        if same_path:
            endpoint, how = same_path[0]
            return (
                f"{asked}: the service answers {endpoint.method} {path} ({endpoint.name}, registered with "
                f"`coze_api.{how}()`), not {method}"
            )
        return (
            f"{asked} is not modelled by the fake Coze API: register a respx route for it on `coze_api.router`, "
            f'e.g. `coze_api.router.{method.lower()}("{self.base_url}{path}").respond(json={{"code": 0, '
            '"msg": "", "data": {...}})`'
        )

    # -- what was sent ---------------------------------------------------------------------------

    def last_request(self) -> CozeRequest:
        """The last request the fake received and parsed (what a test asserts)."""
        assert self.requests, "the fake Coze API received no request"
        return self.requests[-1]

    def last_logid(self) -> str:
        """The log id of the last reply (``x-tt-logid``), as cozepy reports it."""
        assert self.replied_logids, "the fake Coze API sent no reply"
        return self.replied_logids[-1]

    def last_response(self) -> Served:
        """The record of the last response sent: what the client did with its body."""
        assert self.responses, "the fake Coze API sent no reply"
        return self.responses[-1]


@contextlib.contextmanager
def transports_patched() -> Iterator[None]:
    """Keep respx's patches of httpx's transports on for the block.

    respx patches twelve httpx/httpcore transport methods when its first router starts and removes
    them when its last one stops, about 4 ms each time. Inside this block an empty router keeps them
    on, so a ``FakeCoze`` entered and left there costs microseconds: for property tests, which make
    a fresh fake for every example. The empty router answers nothing (every request falls through to
    the fakes started inside the block, or fails as not mocked).
    """
    with respx.MockRouter(assert_all_called=False, assert_all_mocked=True):
        yield


@functools.lru_cache(maxsize=None)
def registrations() -> tuple[tuple[Endpoint, str], ...]:
    """Every endpoint the families model, with the family method that registers it (``"users.me"``).

    Found by calling, on a scratch fake, each public family method that needs no argument and
    noting the endpoint it hands to ``serve``: the families' own methods are the one source, so a
    family that gains an endpoint is named here without a second table to keep in step.
    """
    scratch = FakeCoze()
    served: list[Endpoint] = []

    def record(endpoint: Endpoint, handler: Handler, reply: Reply | None = None) -> respx.Route:
        served.append(endpoint)
        return respx.Route()

    scratch.serve = record  # type: ignore[method-assign]
    found: list[tuple[Endpoint, str]] = []
    for family in FAMILIES:
        api = getattr(scratch, family)
        for name, method in _public_methods(api):
            served.clear()
            try:
                method()
            except Exception:  # not a registration method; only what registers an endpoint matters
                continue
            if len(served) == 1:
                found.append((served[0], f"{family}.{name}"))
    return tuple(found)


def _public_methods(api: object) -> Iterable[tuple[str, Callable[[], Any]]]:
    for name in dir(api):
        method = getattr(api, name)
        if name.startswith("_") or not inspect.ismethod(method):
            continue
        parameters = inspect.signature(method).parameters.values()
        if all(parameter.default is not inspect.Parameter.empty for parameter in parameters):
            yield name, method


def not_found(what: str, key: dict[str, str]) -> Reply:
    """The service's 4200 for ``what`` (``"bot"``) identified by ``key``."""
    code, msg = envelope.NOT_FOUND
    return envelope.error((code, f"{msg}: {what} {key}"))
