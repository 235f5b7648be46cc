"""The requests the fake receives: parsed, checked against the endpoint, recorded.

``Endpoint`` describes one Coze OpenAPI operation as the service accepts it (method, path,
required query parameters and JSON body keys). ``CozeRequest`` is what a test asserts: method,
path, query, headers and JSON body of one request, parsed strictly. A request the service would
reject (a missing parameter, a body that is not a JSON object) is a ``Violation``: the fake
answers it with the service's 4000 error and fails the test at teardown with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Pattern

import httpx


@dataclass(frozen=True)
class Endpoint:
    """One operation of the Coze OpenAPI."""

    name: str
    method: str
    path: str  # a regex with named groups for path parameters, e.g. r"/v1/bots/(?P<bot_id>\d+)"
    required_query: tuple[str, ...] = ()
    required_body: tuple[str, ...] = ()
    has_body: bool = False

    @property
    def pattern(self) -> Pattern[str]:
        return re.compile(f"^{self.path}$")


@dataclass(frozen=True)
class CozeRequest:
    """One request as the service sees it."""

    method: str
    url: httpx.URL
    headers: httpx.Headers
    query: Mapping[str, tuple[str, ...]]
    body: Any = None
    path_params: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.url.path

    @property
    def host(self) -> str:
        return self.url.host

    def param(self, name: str, default: str | None = None) -> str | None:
        """The single value of query parameter ``name``."""
        values = self.query.get(name, ())
        return values[-1] if values else default

    def flat_query(self) -> dict[str, str]:
        """The query as ``{name: value}``, for asserting the whole query in one comparison."""
        return {name: values[-1] for name, values in self.query.items()}

    def field(self, name: str, default: Any = None) -> Any:
        """A key of the JSON body."""
        return self.body.get(name, default) if isinstance(self.body, dict) else default


class MalformedRequest(ValueError):
    """The request could not be read as the service reads it."""


def parse(request: httpx.Request, endpoint: Endpoint) -> CozeRequest:
    """Read ``request`` for ``endpoint``; raise ``MalformedRequest`` with the reason if it is not valid."""
    match = endpoint.pattern.match(request.url.path)
    if match is None:  # the router only dispatches matching paths; this guards direct use
        raise MalformedRequest(f"{request.url.path} is not the path of {endpoint.name}")
    query: dict[str, tuple[str, ...]] = {}
    for name, value in request.url.params.multi_items():
        query[name] = (*query.get(name, ()), value)
    body: Any = None
    content = request.read()
    if endpoint.has_body:
        content_type = request.headers.get("content-type", "")
        if content and "application/json" not in content_type:
            raise MalformedRequest(f"{endpoint.name}: body sent as {content_type or 'no content-type'}, not JSON")
        if content:
            try:
                body = json.loads(content)
            except ValueError as error:
                raise MalformedRequest(f"{endpoint.name}: body is not valid JSON: {error}") from error
        if endpoint.required_body and not isinstance(body, dict):
            raise MalformedRequest(f"{endpoint.name}: body must be a JSON object, got {content!r}")
    elif content:
        raise MalformedRequest(f"{endpoint.name}: {endpoint.method} takes no body, got {content[:80]!r}")
    missing_query = [name for name in endpoint.required_query if name not in query]
    if missing_query:
        raise MalformedRequest(f"{endpoint.name}: missing query parameter(s) {', '.join(missing_query)}")
    missing_body = [name for name in endpoint.required_body if isinstance(body, dict) and body.get(name) is None]
    if missing_body:
        raise MalformedRequest(f"{endpoint.name}: missing body field(s) {', '.join(missing_body)}")
    return CozeRequest(
        method=request.method,
        url=request.url,
        headers=request.headers,
        query=query,
        body=body,
        path_params=match.groupdict(),
    )


@dataclass(frozen=True)
class Violation:
    """A request the service would have rejected, and why."""

    method: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.method} {self.url}: {self.reason}"


def describe(requests: list[httpx.Request]) -> str:
    return "; ".join(f"{request.method} {request.url}" for request in requests)
