"""The requests the fake receives: parsed, checked against the endpoint, recorded.

``Endpoint`` describes one Coze OpenAPI operation as the service accepts it (method, path,
required query parameters and body keys, the JSON type of body fields, and whether the body is
JSON or a multipart form). ``CozeRequest`` is what a test asserts: method, path, query, headers
and body of one request, parsed strictly. A request the service would reject (a missing
parameter, a body that is not a JSON object, a JSON number where the service reads a string) is a
``Violation``: the fake answers it with the service's 4000 error and fails the test at teardown
with the reason, unless the test expected it (``FakeCoze.expect_rejections``).

Field types are checked as the service checks them: Coze Studio's request models tag ids with
``json:",string"`` (``bot_id`` must be a JSON string; coze-studio.md, ``POST /v3/chat``), and the
docs type ``user_id``, ``conversation_id`` and every other id as String. ``check_types`` is the
helper; an ``Endpoint`` lists its body fields' types in ``body_types`` and ``parse`` applies it.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Pattern

import httpx

#: JSON types, as ``check_types`` names them.
STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY = "string", "integer", "number", "boolean", "object", "array"
#: What a body is: JSON (the default of every endpoint with a body) or a multipart form (file upload).
JSON_BODY, MULTIPART_BODY = "json", "multipart"


@dataclass(frozen=True)
class Endpoint:
    """One operation of the Coze OpenAPI."""

    name: str
    method: str
    path: str  # a regex with named groups for path parameters, e.g. r"/v1/bots/(?P<bot_id>\d+)"
    required_query: tuple[str, ...] = ()
    required_body: tuple[str, ...] = ()
    has_body: bool = False
    #: The JSON type each body field must have when it is sent (and not ``null``), e.g.
    #: ``{"bot_id": STRING, "stream": BOOLEAN}``; a field of another type is a 4000.
    body_types: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: ``JSON_BODY`` or ``MULTIPART_BODY`` (only read when ``has_body``).
    body_kind: str = JSON_BODY
    #: Answered without an access token (the OAuth token endpoint, whose bearer is a JWT): the
    #: handler checks the request's credentials itself.
    public: bool = False

    @property
    def pattern(self) -> Pattern[str]:
        """``path`` as a compiled regex matching the whole path."""
        return re.compile(f"^{self.path}$")


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart form, as the service reads it."""

    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class CozeRequest:
    """One request as the service sees it."""

    method: str
    url: httpx.URL
    headers: httpx.Headers
    query: Mapping[str, tuple[str, ...]]
    body: Any = None
    path_params: Mapping[str, str] = field(default_factory=dict)
    #: The file parts of a multipart body, by field name.
    files: Mapping[str, UploadedFile] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The URL's path."""
        return self.url.path

    @property
    def host(self) -> str:
        """The URL's host."""
        return self.url.host

    def param(self, name: str, default: str | None = None) -> str | None:
        """The single value of query parameter ``name``."""
        values = self.query.get(name, ())
        return values[-1] if values else default

    def flat_query(self) -> dict[str, str]:
        """The query as ``{name: value}``, for asserting the whole query in one comparison."""
        return {name: values[-1] for name, values in self.query.items()}

    def field(self, name: str, default: Any = None) -> Any:
        """A key of the JSON body (or a text field of a multipart form)."""
        return self.body.get(name, default) if isinstance(self.body, dict) else default


class MalformedRequest(ValueError):
    """The request could not be read as the service reads it."""


def json_type(value: Any) -> str:
    """The JSON type of a decoded JSON value (``true`` is a boolean, not an integer)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    return OBJECT if isinstance(value, dict) else ARRAY


def int_param(request: CozeRequest, name: str, default: int, low: int = 1, high: int | None = None) -> int:
    """Query parameter ``name`` as an integer within ``low``..``high`` (``default`` when absent);
    anything else is the service's 4000."""
    value = request.param(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise MalformedRequest(f"{name} must be an integer, got {value!r}") from error
    if number < low or (high is not None and number > high):
        bounds = f">= {low}" if high is None else f"between {low} and {high}"
        raise MalformedRequest(f"{name}={number}: must be {bounds}")
    return number


def check_types(values: Mapping[str, Any], types: Mapping[str, str], where: str) -> None:
    """Raise ``MalformedRequest`` unless each field of ``types`` present (and not ``null``) in
    ``values`` has its JSON type; an integer is a number. ``where`` names the endpoint."""
    for name, expected in types.items():
        value = values.get(name)
        if value is None:
            continue
        actual = json_type(value)
        if actual == expected or (expected == NUMBER and actual == INTEGER):
            continue
        hint = " (ids are JSON strings on the wire)" if expected == STRING and actual in (INTEGER, NUMBER) else ""
        raise MalformedRequest(f"{where}: {name} must be a JSON {expected}, got {actual} {value!r}{hint}")


def parse(request: httpx.Request, endpoint: Endpoint) -> CozeRequest:
    """Read ``request`` for ``endpoint``; raise ``MalformedRequest`` with the reason if it is not valid."""
    match = endpoint.pattern.match(request.url.path)
    if match is None:  # the router only dispatches matching paths; this guards direct use
        raise MalformedRequest(f"{request.url.path} is not the path of {endpoint.name}")
    query: dict[str, tuple[str, ...]] = {}
    for name, value in request.url.params.multi_items():
        query[name] = (*query.get(name, ()), value)
    body: Any = None
    files: dict[str, UploadedFile] = {}
    content = request.read()
    if endpoint.has_body and endpoint.body_kind == MULTIPART_BODY:
        body, files = _multipart(request, endpoint.name)
    elif endpoint.has_body:
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
        if isinstance(body, dict):
            check_types(body, endpoint.body_types, endpoint.name)
    elif content:
        raise MalformedRequest(f"{endpoint.name}: {endpoint.method} takes no body, got {content[:80]!r}")
    missing_query = [name for name in endpoint.required_query if name not in query]
    if missing_query:
        raise MalformedRequest(f"{endpoint.name}: missing query parameter(s) {', '.join(missing_query)}")
    present = {**(body if isinstance(body, dict) else {}), **files}
    missing_body = [name for name in endpoint.required_body if present.get(name) is None]
    if missing_body:
        raise MalformedRequest(f"{endpoint.name}: missing body field(s) {', '.join(missing_body)}")
    return CozeRequest(
        method=request.method,
        url=request.url,
        headers=request.headers,
        query=query,
        body=body,
        path_params=match.groupdict(),
        files=files,
    )


def _multipart(request: httpx.Request, where: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """The text fields and the files of a ``multipart/form-data`` body (RFC 7578), read with the
    standard library's MIME parser: the form's parts are MIME parts under the request's boundary."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data") or "boundary=" not in content_type:
        raise MalformedRequest(f"{where}: body sent as {content_type or 'no content-type'}, not multipart/form-data")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise MalformedRequest(f"{where}: a multipart part has no name in its Content-Disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:  # a text field: httpx (and browsers) give every file part a filename
            fields[name] = data.decode("utf-8")
        else:
            files[name] = UploadedFile(filename, part.get("content-type"), data)
    return fields, files


@dataclass(frozen=True)
class Violation:
    """A request the service would have rejected, and why."""

    method: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.method} {self.url}: {self.reason}"


def describe(requests: list[httpx.Request]) -> str:
    """``METHOD URL`` of each request, for a failure message."""
    return "; ".join(f"{request.method} {request.url}" for request in requests)
