"""What the installed cozepy offers, found by looking at it rather than by comparing versions.

A story test declares what it needs with ``@pytest.mark.needs("async_client")``. When the
installed release lacks it, the test is skipped as **not offered**, with a reason that names the
release and what is missing, e.g. ``not offered by cozepy 0.2.0: AsyncCoze (the async client)``.
The report groups these skips into the "not offered" state.

Each probe checks the public surface a user would call (a class, a method, a parameter), so a
release that renames or removes it is reported, and a release that adds it is picked up without
touching this table.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional


def cozepy_version() -> str:
    """The installed cozepy's own version string."""
    import cozepy

    return str(cozepy.VERSION)


def _attribute(module: str, *path: str) -> Any:
    """``module.path[0].path[1]...``, or ``None`` when any part is missing."""
    try:
        value: Any = importlib.import_module(module)
    except ImportError:
        return None
    for name in path:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _has(module: str, *path: str) -> bool:
    return _attribute(module, *path) is not None


def _accepts(module: str, path: str, parameter: str) -> bool:
    """Whether the callable at ``module.path`` (dotted) takes a parameter called ``parameter``."""
    target = _attribute(module, *path.split("."))
    if target is None:
        return False
    return parameter in inspect.signature(target).parameters


@dataclass(frozen=True)
class Capability:
    """A feature of cozepy a story relies on."""

    name: str
    what: str  # what a user would miss, as the skip reason says it
    probe: Callable[[], bool]


CAPABILITIES: Dict[str, Capability] = {
    capability.name: capability
    for capability in (
        Capability("async_client", "AsyncCoze (the async client)", lambda: _has("cozepy", "AsyncCoze")),
        Capability(
            "async_token_auth", "AsyncTokenAuth (token auth for AsyncCoze)", lambda: _has("cozepy", "AsyncTokenAuth")
        ),
        Capability(
            "sync_http_client_class",
            "SyncHTTPClient (0.2.0 called its client class HTTPClient)",
            lambda: _has("cozepy", "SyncHTTPClient"),
        ),
        Capability(
            "result_logid",
            "the log id on results (`result.response.logid`)",
            lambda: _has("cozepy.model", "CozeModel", "response"),
        ),
        Capability(
            "client_user_agent_header",
            "the X-Coze-Client-User-Agent header",
            lambda: _has("cozepy.version", "coze_client_user_agent"),
        ),
    )
}


class UnknownCapabilityError(KeyError):
    """A test named a capability this table does not define."""


def missing(name: str) -> Optional[str]:
    """``None`` when the installed cozepy offers ``name``, else the not-offered reason."""
    try:
        capability = CAPABILITIES[name]
    except KeyError:
        known = ", ".join(sorted(CAPABILITIES))
        raise UnknownCapabilityError(f"unknown capability {name!r}; known: {known}") from None
    if capability.probe():
        return None
    return f"not offered by cozepy {cozepy_version()}: {capability.what}"


def offers(name: str) -> bool:
    return missing(name) is None


# -- what a user of the installed release builds -----------------------------------------------


def sync_http_client_class() -> Any:
    """The sync HTTP client class users pass to ``Coze`` (``HTTPClient`` in 0.2.0)."""
    import cozepy

    return getattr(cozepy, "SyncHTTPClient" if offers("sync_http_client_class") else "HTTPClient")


def async_auth(token: str) -> Any:
    """The auth a user gives ``AsyncCoze``: ``AsyncTokenAuth`` where offered, else ``TokenAuth``."""
    import cozepy

    return getattr(cozepy, "AsyncTokenAuth" if offers("async_token_auth") else "TokenAuth")(token)
