"""What the installed cozepy offers, found by looking at it rather than by comparing versions.

The probes live in one module per story area (``client``, ``bots``, ``chat``, ``conversations``,
``workflows``), each exporting ``CAPABILITIES``; names are unique across them.

A story test declares what it needs with ``@pytest.mark.needs("async_client")``. When the
installed release lacks it, the test is skipped as **not offered**, with a reason that names the
release and what is missing, e.g. ``not offered by cozepy 0.2.0: AsyncCoze (the async client)``.
The report groups these skips into the "not offered" state.

Each probe checks the public surface a user would call (a class, a method, a parameter), so a
release that renames or removes it is reported, and a release that adds it is picked up without
touching this table.

A capability that one release offers and the next one in the table lacks is a **lost capability**:
the report turns its skips on the later releases into failures and ``nox -s report`` fails
(``coze_compat.report.lost``), unless the removal is deliberate and recorded here with its reason,
``Capability(..., removed_in={"0.17.0": "why the release dropped it"})``, as ``known_break`` records
a change of behaviour. The pytest plugin records, on every test that needs capabilities, which of
them the installed release offers (the ``capabilities`` user property).
"""

from __future__ import annotations

import functools
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping


def cozepy_version() -> str:
    """The installed cozepy's own version string."""
    import cozepy

    return str(cozepy.VERSION)


def attribute(module: str, *path: str) -> Any:
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


def has(module: str, *path: str) -> bool:
    """Whether ``module.path[0].path[1]...`` exists."""
    return attribute(module, *path) is not None


def accepts(module: str, path: str, parameter: str) -> bool:
    """Whether the callable at ``module.path`` (dotted) takes a parameter called ``parameter``."""
    target = attribute(module, *path.split("."))
    if target is None:
        return False
    return parameter in inspect.signature(target).parameters


def model_field(module: str, model: str, name: str) -> bool:
    """Whether the pydantic model ``module.model`` declares the field ``name``."""
    return name in getattr(attribute(module, model), "model_fields", {})


@dataclass(frozen=True)
class Capability:
    """A feature of cozepy a story relies on."""

    name: str
    what: str  # what a user would miss, as the skip reason says it
    probe: Callable[[], bool]
    #: Deliberate removals: the release that dropped the capability -> why (its changelog, the PR).
    #: A capability lost without an entry here fails the matrix.
    removed_in: Mapping[str, str] = field(default_factory=dict, compare=False)


@functools.lru_cache(maxsize=None)
def _registry() -> dict[str, Capability]:
    """Every capability, from the per-story modules of this package."""
    from coze_compat.capabilities import bots, chat, client, conversations, workflows

    registry: dict[str, Capability] = {}
    for module in (client, bots, chat, conversations, workflows):
        for capability in module.CAPABILITIES:
            if capability.name in registry:
                raise ValueError(f"capability {capability.name!r} is defined twice")
            registry[capability.name] = capability
    return registry


def registry() -> Mapping[str, Capability]:
    """Every capability by name (importing no cozepy: the report reads the names and removals)."""
    return _registry()


class UnknownCapabilityError(KeyError):
    """A test named a capability this table does not define."""


@functools.lru_cache(maxsize=None)
def missing(name: str) -> str | None:
    """``None`` when the installed cozepy offers ``name``, else the not-offered reason."""
    registry = _registry()
    try:
        capability = registry[name]
    except KeyError:
        known = ", ".join(sorted(registry))
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


def async_http_client_class() -> Any:
    """``AsyncHTTPClient`` (untyped ``**kwargs`` in every release, hence ``Any``)."""
    return attribute("cozepy", "AsyncHTTPClient")


def async_auth(token: str) -> Any:
    """The auth a user gives ``AsyncCoze``: ``AsyncTokenAuth`` where offered, else ``TokenAuth``."""
    import cozepy

    return getattr(cozepy, "AsyncTokenAuth" if offers("async_token_auth") else "TokenAuth")(token)
