"""Known breaks: tests that fail on some releases because the release behaves differently.

A break is a finding, not a bug of the suite: the release offers the feature and does something
a user's code would not expect. Listing it here keeps the matrix green (the test is a strict
``xfail`` on exactly those releases, so the report still shows it as failing there) and makes
the day a release changes the behaviour visible (a strict xfail that passes fails the cell).

Each entry names the test (its node id without parameters, or with them to narrow it), the
releases, and what goes wrong, checked against the release's source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple


@dataclass(frozen=True)
class KnownBreak:
    test: str
    releases: Tuple[str, ...]
    what: str

    def applies_to(self, nodeid: str, version: str) -> bool:
        base = nodeid.split("[", 1)[0]
        return version in self.releases and self.test in (nodeid, base)


HTTPX_024_RELEASES = ("0.2.0", "0.3.0", "0.4.0", "0.5.0")
NO_TRAILING_SLASH_RELEASES = (*HTTPX_024_RELEASES, "0.6.2")

_TIMEOUT_IGNORED = (
    "requests carry no timeout at all, so the HTTP client's timeout (custom or the SDK's 600 s default) "
    "is ignored and a stalled connection hangs forever: cozepy builds `httpx.Request` itself and "
    "passes it to `client.send()`, and the httpx 0.24 it requires only applies a client's timeout in "
    "`build_request()` (cozepy/request.py `send`, model.py `HTTPRequest.as_httpx`)"
)
_DOUBLE_SLASH = (
    "a base_url ending in '/' gives request paths starting with '//' (`f\"{base_url}/v1/...\"`); "
    "`remove_url_trailing_slash` arrived in 0.7.0"
)
_US1 = "tests/us1_setup/test_coze_client.py::TestCozeClientConfiguration"
_US2 = "tests/us2_client/test_coze_client.py::TestCozeClientConfiguration"

KNOWN_BREAKS: Tuple[KnownBreak, ...] = (
    KnownBreak(f"{_US1}::test_custom_http_client_timeout", HTTPX_024_RELEASES, _TIMEOUT_IGNORED),
    KnownBreak(f"{_US1}::test_default_http_client_timeout", HTTPX_024_RELEASES, _TIMEOUT_IGNORED),
    KnownBreak(f"{_US1}::test_async_custom_http_client_timeout", HTTPX_024_RELEASES, _TIMEOUT_IGNORED),
    KnownBreak(f"{_US1}::test_async_default_http_client_timeout", HTTPX_024_RELEASES, _TIMEOUT_IGNORED),
    KnownBreak(f"{_US2}::test_base_url_variations[custom-trailing-slash]", NO_TRAILING_SLASH_RELEASES, _DOUBLE_SLASH),
    KnownBreak(
        f"{_US2}::test_async_base_url_variations[custom-trailing-slash]", NO_TRAILING_SLASH_RELEASES, _DOUBLE_SLASH
    ),
)


def known_break(nodeid: str, version: str) -> Optional[str]:
    """What goes wrong with ``nodeid`` on cozepy ``version``, if it is a known break."""
    for entry in KNOWN_BREAKS:
        if entry.applies_to(nodeid, version):
            return entry.what
    return None
