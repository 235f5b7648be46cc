"""The pytest side of the harness: markers, the fake API fixtures, per-cell results.

Installed with coze-compat, it is a pytest plugin (the ``pytest11`` entry point), so a team's tests
get it without configuration; in this repository ``tests/conftest.py`` loads it (``pytest_plugins``)
from ``src/``. Everywhere it

* registers the markers ``needs`` and ``known_break`` (so ``--strict-markers`` accepts them);
* skips a test marked ``@pytest.mark.needs("capability")`` as **not offered** when the installed
  cozepy lacks the capability (``coze_compat.capabilities``);
* turns ``@pytest.mark.known_break(BUG, ...)`` (bugs of ``coze_compat.bugs``, the catalogue of real
  cozepy bugs) into a strict ``xfail`` when the installed release is one the bug affects: a known
  break is a finding (the release offers the feature and behaves differently), the cell stays
  green, the report shows the break, and the day the release's behaviour changes the strict xfail
  fails the cell;
* provides ``coze_api`` (a started ``FakeCoze``, verified at teardown), ``coze_api_token`` (the
  token it knows), and ``coze`` / ``async_coze`` (cozepy clients of the installed release pointed at it).

Only in a matrix cell, that is when ``--coze-compat-results DIR`` or ``$COZE_COMPAT_RESULTS`` names
the cell's results folder (this repository's noxfile and ``coze_compat.nox`` set it), it also

* records on every test report the story (from its package), the seed task (from
  ``@pytest.mark.seed("T009")``), the cozepy version, the bug it shows there (``known_break``)
  and, for a test marked ``needs``, which of its capabilities the release offers
  (``{"bots_list_v2": true}``), so that pytest-reportlog's output is all the report needs (a
  capability a release loses is found from these);
* writes ``environment.json`` (Python, cozepy and its dependencies) into that folder.

Opt-in through the ini file (this repository sets them all):

* ``coze_compat_max_examples``: the property tests run derandomized with that many examples
  (``coze_compat.fake.strategies``' Hypothesis profile); unset, Hypothesis keeps the project's own settings;
* ``coze_compat_share_transports``: respx's patches of httpx's transports stay on from the first
  ``coze_api`` to the end of the session, so each fake starts in microseconds instead of ~4 ms (a
  request outside every fake then fails as not mocked, as it would inside one);
* ``coze_compat_share_ssl_contexts``: each distinct SSL context is built once per process: every
  real cozepy HTTP client a test makes would otherwise load the CA bundle again (about 17 ms each,
  most of a test's time). The clients are still built by cozepy with their real configuration;
  httpx's ``create_ssl_context`` is only memoised on its (hashable) arguments, so a different
  ``verify``/``cert`` gets its own context (but clients with equal arguments share one context object).
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generator, Iterator

import pytest

from coze_compat import capabilities, matrix
from coze_compat.bugs import Bug
from coze_compat.fake.server import TOKEN, FakeCoze, transports_patched
from coze_compat.stories import story_of

if TYPE_CHECKING:
    from coze_compat.fake.bots import BotRecord  # noqa: F401

DISTRIBUTIONS = ("cozepy", "httpx", "httpcore", "pydantic", "respx", "pytest", "anyio", "websockets")
#: Where a matrix cell's results go; set, the run is a matrix cell (see the module docstring).
RESULTS_ENV = matrix.RESULTS_ENV
MARKERS = (
    "needs(capability, ...): cozepy capabilities the test exercises (coze_compat.capabilities); "
    "skipped as not offered when the installed release lacks one",
    "known_break(bug, ...): real cozepy bugs (coze_compat.bugs) the test shows: a strict xfail on the releases "
    "each affects",
)


def results_folder(config: pytest.Config) -> Path | None:
    """The matrix cell's results folder, ``None`` outside the matrix."""
    folder = config.getoption("coze_compat_results", None) or os.environ.get(RESULTS_ENV)
    return Path(folder) if folder else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    version = capabilities.cozepy_version()
    in_matrix = results_folder(config) is not None
    for item in items:
        offered: dict[str, bool] = {}
        for marker in item.iter_markers("needs"):
            for name in marker.args:
                reason = capabilities.missing(name)
                offered[name] = reason is None
                if reason is not None:
                    item.add_marker(pytest.mark.skip(reason=reason))
        applying = [bug for bug in known_breaks(item) if bug.applies_to(version)]
        broken = applying[0] if applying else None
        if broken is not None:
            reason = f"known break in cozepy {version}: {broken.reason()}"
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
        if not in_matrix:
            continue
        seed = item.get_closest_marker("seed")
        item.user_properties.extend(
            [
                ("story", story_of(item.nodeid)),
                ("task", seed.args[0] if seed else None),
                ("cozepy", version),
                ("known_break", broken.id if broken is not None else None),
                # The marker's other bugs that affect this release: masked by the one the test shows.
                ("masked_breaks", [bug.id for bug in applying[1:]]),
            ]
        )
        if offered:  # which capabilities this release offers, by name: the report finds lost ones
            item.user_properties.append(("capabilities", offered))


def known_breaks(item: pytest.Item) -> list[Bug]:
    """The bugs of ``@pytest.mark.known_break(BUG, ...)`` on ``item``, closest marker first: the first
    that applies to the installed release is the one the test shows there."""
    bugs: list[Bug] = []
    for marker in item.iter_markers("known_break"):
        if marker.kwargs or not marker.args or not all(isinstance(arg, Bug) for arg in marker.args):
            raise pytest.UsageError(
                f"{item.nodeid}: known_break takes bugs of the catalogue, e.g. "
                "`@pytest.mark.known_break(coze_compat.bugs.chat.MESSAGE_LIST_POST)`; "
                f"got args={marker.args!r} kwargs={marker.kwargs!r}"
            )
        bugs.extend(marker.args)
    return bugs


def _distribution_versions() -> dict[str, str | None]:
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _memoise_ssl_contexts() -> None:
    import httpx._transports.default as transports

    name = "create_ssl_context"  # not exported by httpx, hence the dynamic access
    original = vars(transports)[name]
    if getattr(original, "coze_compat_memoised", False):
        return
    contexts: dict[tuple[Any, ...], Any] = {}

    def create_ssl_context(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # an SSLContext or another unhashable argument: build it as asked
            return original(*args, **kwargs)
        if key not in contexts:
            contexts[key] = original(*args, **kwargs)
        return contexts[key]

    create_ssl_context.coze_compat_memoised = True  # type: ignore[attr-defined]
    setattr(transports, name, create_ssl_context)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--coze-compat-results",
        dest="coze_compat_results",
        default=None,
        metavar="DIR",
        help=f"run as a matrix cell writing its records into DIR (default: ${RESULTS_ENV})",
    )
    parser.addini(
        "coze_compat_max_examples",
        "examples per property-based test, derandomized (the same in every cell); unset: Hypothesis's own settings",
        default="",
    )
    parser.addini(
        "coze_compat_share_ssl_contexts",
        "build each distinct SSL context once per process (faster cozepy clients)",
        type="bool",
        default=False,
    )
    parser.addini(
        "coze_compat_share_transports",
        "keep respx's patches of httpx's transports on from the first coze_api to the end of the session "
        "(each fake then starts in microseconds; a request outside every fake fails as not mocked)",
        type="bool",
        default=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    if config.getini("coze_compat_share_ssl_contexts"):
        _memoise_ssl_contexts()
    _load_hypothesis_profile(config)


def _load_hypothesis_profile(config: pytest.Config) -> None:
    """With ``coze_compat_max_examples`` set, every property test runs derandomized with that example
    budget (``fake.strategies``)."""
    budget = str(config.getini("coze_compat_max_examples")).strip()
    if not budget:
        return
    try:
        from coze_compat.fake import strategies
    except ImportError:  # hypothesis is not installed: there are no property tests to configure
        return
    strategies.register_profile(int(budget))


def pytest_sessionstart(session: pytest.Session) -> None:
    folder = results_folder(session.config)
    if folder is None or hasattr(session.config, "workerinput"):  # xdist workers leave it to the controller
        return
    environment = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "distributions": _distribution_versions(),
    }
    path = folder / "environment.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(environment, indent=2) + "\n", encoding="utf-8")


CALL_RAISED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body raised, so ``coze_api`` does not report the same failure twice."""
    if call.when == "call":
        item.stash[CALL_RAISED] = call.excinfo is not None
    return (yield)


@pytest.fixture
def anyio_backend() -> str:
    """Async stories run on asyncio, the loop cozepy's users run."""
    return "asyncio"


@pytest.fixture(scope="session")
def _coze_compat_transports(pytestconfig: pytest.Config) -> Iterator[None]:
    """respx's transport patches, kept on for the session when ``coze_compat_share_transports`` is set:
    starting and stopping them costs about 4 ms a fake (``fake.server.transports_patched``)."""
    if not pytestconfig.getini("coze_compat_share_transports"):
        yield
        return
    with transports_patched():
        yield


@pytest.fixture
def coze_api(request: pytest.FixtureRequest, _coze_compat_transports: None) -> Iterator[FakeCoze]:
    """The fake Coze OpenAPI at ``https://api.coze.com``, knowing the token ``TOKEN``.

    Routes are registered by the test. At teardown the fake fails the test if any request was
    unexpected or malformed, or any registered route was never called (unless the test body
    already failed: then that failure is the report).
    """
    with FakeCoze(token=TOKEN) as fake:
        yield fake
    if not request.node.stash.get(CALL_RAISED, False):
        fake.verify()


@pytest.fixture
def coze_api_token() -> str:
    """The personal access token ``coze_api`` accepts."""
    return TOKEN


@pytest.fixture
def coze(coze_api: FakeCoze, coze_api_token: str) -> Any:
    """A ``cozepy.Coze`` of the installed release, with token auth and the SDK's default HTTP client,
    pointed at ``coze_api``."""
    import cozepy

    return cozepy.Coze(auth=cozepy.TokenAuth(coze_api_token), base_url=coze_api.base_url)


@pytest.fixture
def async_coze(coze_api: FakeCoze, coze_api_token: str) -> Any:
    """A ``cozepy.AsyncCoze`` pointed at ``coze_api``; skipped as not offered by releases without one."""
    if not capabilities.offers("async_client"):
        pytest.skip(capabilities.missing("async_client") or "")
    import cozepy

    client: Any = cozepy
    return client.AsyncCoze(auth=capabilities.async_auth(coze_api_token), base_url=coze_api.base_url)
