"""What the Coze OpenAPI sends back: the JSON envelope, log ids, error bodies, raw bodies.

Sources: ``shared/reference/coze-wire-format.md`` section 0. Every JSON reply carries
``{"code", "msg", "data", "detail": {"logid"}}`` and the ``x-tt-logid`` header (the only place
cozepy reads the log id from). Errors are ``code > 0`` with a ``msg``; the HTTP status is not what
cozepy looks at, but the fake sends the one the service sends where it is known.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

import httpx

LOGID_HEADER = "x-tt-logid"
JSON_TYPE = "application/json; charset=utf-8"
EVENT_STREAM_TYPE = "text/event-stream"

#: 4100: the token is unknown or expired (coze-dev/coze-py#78, #83; coze-js#314). One third-party
#: capture shows HTTP 401 with it (low confidence); cozepy ignores the status either way.
INVALID_TOKEN = (4100, "authentication is invalid")
INVALID_TOKEN_STATUS = 401
#: 4101: a valid token without the permission the endpoint needs (coze-dev/coze-go#56).
NO_PERMISSION = (
    4101,
    "The token you entered is incorrect. Please double-check and try again. "
    "For more information, refer to https://coze.com/docs/developer_guides/authentication",
)
#: 4000: a request parameter the service rejects (coze-js error.ts; workflow Error sample).
BAD_REQUEST = (4000, "Request parameter error")
#: 4200: the resource does not exist (coze-js error.ts).
NOT_FOUND = (4200, "resource not found")
#: 5000: the server error body seen in coze-dev/coze-js#179.
SERVER_ERROR = (5000, "We're currently experiencing server issues. Please try again later.")

GATEWAY_HTML = b"<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"


class LogIds:
    """Deterministic log ids in the service's shape: 14 digits of time then 20 hex digits."""

    def __init__(self, stamp: str = "20261126103000") -> None:
        self._stamp = stamp
        self._count = 0

    def next(self) -> str:
        """The next log id."""
        self._count += 1
        return f"{self._stamp}{self._count:020X}"


class Reply:
    """Something the fake answers with; it becomes an ``httpx.Response`` carrying a log id."""

    def to_response(self, logid: str) -> httpx.Response:
        """The HTTP response sent, with ``logid`` in its ``x-tt-logid`` header."""
        raise NotImplementedError


@dataclass(frozen=True)
class Envelope(Reply):
    """The JSON envelope. ``top`` adds top-level siblings of ``data`` (``first_id``, ``debug_url``...).

    ``with_data=False`` leaves ``data`` out, as error replies and the async workflow run do;
    ``detail`` adds fields beside ``detail.logid``, and ``with_detail=False`` leaves ``detail`` out
    (the docs' ``/v3/chat`` examples, Coze Studio's replies).
    """

    data: Any = None
    code: int | str = 0
    msg: str = ""
    status: int = 200
    top: Mapping[str, Any] = field(default_factory=dict)
    with_data: bool = True
    with_code: bool = True
    detail: Mapping[str, Any] = field(default_factory=dict)
    with_detail: bool = True

    def body(self, logid: str) -> dict[str, Any]:
        """The JSON body sent, with ``logid`` in ``detail``."""
        body: dict[str, Any] = {"code": self.code, "msg": self.msg} if self.with_code else {"msg": self.msg}
        if self.with_data:
            body["data"] = self.data
        body.update(self.top)
        if self.with_detail:
            body["detail"] = {"logid": logid, **self.detail}
        return body

    def to_response(self, logid: str) -> httpx.Response:
        return httpx.Response(
            self.status,
            content=json.dumps(self.body(logid), ensure_ascii=False).encode("utf-8"),
            headers={"content-type": JSON_TYPE, LOGID_HEADER: logid},
        )


def ok(data: Any, **top: Any) -> Envelope:
    """A successful reply: ``{"code": 0, "msg": "", "data": data, **top}``."""
    return Envelope(data=data, top=top)


def error(code_msg: tuple[int, str], status: int = 200, **top: Any) -> Envelope:
    """An error reply, e.g. ``error(INVALID_TOKEN, INVALID_TOKEN_STATUS)``; ``top`` adds top-level
    fields (``debug_url=...``, as a failed workflow run's reply carries it)."""
    code, msg = code_msg
    return Envelope(code=code, msg=msg, status=status, with_data=False, top=top)


@dataclass(frozen=True)
class RawBody(Reply):
    """A body that is not the envelope: a gateway's HTML page, an empty body, bare JSON."""

    status: int
    body: bytes
    content_type: str | None = "text/html"

    def to_response(self, logid: str) -> httpx.Response:
        headers = {LOGID_HEADER: logid}
        if self.content_type is not None:
            headers["content-type"] = self.content_type
        return httpx.Response(self.status, content=self.body, headers=headers)


def gateway_error(status: int = 502) -> RawBody:
    """What a load balancer in front of the service sends when the backend is down."""
    return RawBody(status, GATEWAY_HTML, "text/html")
