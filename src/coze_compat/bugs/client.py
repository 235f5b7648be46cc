"""Bugs of the client itself: configuration, transport, errors (US1, US2)."""

from __future__ import annotations

from coze_compat.bugs import Bug

TIMEOUT_IGNORED = Bug(
    "timeout-ignored",
    "the HTTP client's timeout (custom or the SDK's 600 s default) is ignored: a stalled connection hangs forever",
    "<0.6.0",
    "cozepy builds `httpx.Request` itself and passes it to `client.send()` (request.py `send`, model.py "
    "`HTTPRequest.as_httpx`), and the httpx 0.24 these releases require applies a client's timeout only in "
    "`build_request()`, so requests carry no timeout at all",
    fixed_by="the httpx 0.27 requirement of 0.6.0 (coze-dev/coze-py#74)",
)
TRAILING_SLASH = Bug(
    "base-url-trailing-slash",
    "a base_url ending in '/' breaks every request (paths start with '//')",
    "<0.7.0",
    "every client builds `f'{base_url}/v1/...'` from the base URL as given; `remove_url_trailing_slash` arrived "
    "in 0.7.0",
    fixed_by="coze-dev/coze-py#109",
)

BUGS: tuple[Bug, ...] = (TIMEOUT_IGNORED, TRAILING_SLASH)
