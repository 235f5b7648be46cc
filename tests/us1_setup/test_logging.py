"""US1, cozepy's logging inside an application: it leaves the application's logging alone and feeds it.

A library's records belong to the application: the library must not configure the root logger
(``import cozepy`` or ``setup_logging`` adding handlers there would change the application's
output and make its own later ``logging.basicConfig`` a silent no-op), and its records must reach
the handlers the application configures (root handlers, pytest's ``caplog``), as the Python
logging HOWTO's "Configuring Logging for a Library" asks. The stories:

* ``import cozepy`` leaves the root logger alone: its ``cozepy.log`` module is executed again, as
  importing cozepy executes it (``importlib.reload``), in an application that has not configured
  logging yet (no root handler);
* ``setup_logging`` leaves the root logger alone;
* a failing request's warning reaches a handler the application put on the root logger.

What the releases do:

* 0.2.0-0.12.0 configure the root logger: ``setup_logging`` calls ``logging.basicConfig`` (a
  stderr handler with cozepy's format), and ``cozepy/log.py`` calls ``setup_logging`` on import
  (coze-dev/coze-py#155; fixed in 0.13.0 by coze-dev/coze-py#183);
* 0.13.0-0.20.0 give the ``cozepy`` logger its own stderr handler and ``propagate = False``: the
  records never reach the application's handlers (not fixed up to 0.20.0).

pytest's ``caplog`` is a handler on the root logger too, so it misses cozepy 0.13.0+'s records
with pytest before 9.2 (pytest-dev/pytest#3697; the matrix's Python 3.8 and 3.9 cells run pytest
8.x); pytest 9.2 also attaches its handlers to loggers that do not propagate, and sees them. That
depends on pytest, not on cozepy, so no test here uses ``caplog``.

Under pytest the root logger already has pytest's capture handlers, which hides the
``basicConfig`` of 0.2.0-0.12.0 (it does nothing when the root has a handler); the tests take them
off the root logger while cozepy runs (``unconfigured_root``) to see what an application sees.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from typing import Iterator

import cozepy
import pytest

from coze_compat import bugs
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze
from tests.us1_setup.logs import RecordsHandler, loggers_restored

CONFIGURES_ROOT = pytest.mark.known_break(bugs.client.LOGGING_CONFIGURES_ROOT)
NOT_PROPAGATED = pytest.mark.known_break(bugs.client.LOGGING_NOT_PROPAGATED)
INVALID_TOKEN = "pat_invalid_0000000000000000000000000000000000000000000000000000"
RETRIEVE_URL = "https://api.coze.com/v1/bot/get_online_info"


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """The root and ``cozepy`` loggers are put back as they were after the test."""
    with loggers_restored():
        yield


@contextlib.contextmanager
def unconfigured_root() -> Iterator[logging.Logger]:
    """The root logger of an application that has not configured logging yet (no handler, WARNING),
    for the block; pytest's handlers are put back after it."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    root.handlers[:] = []
    root.setLevel(logging.WARNING)
    try:
        yield root
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def configuration(root: logging.Logger) -> tuple[list[logging.Handler], int]:
    return (list(root.handlers), root.level)


def failing_request(coze_api: FakeCoze, bot: BotRecord) -> str:
    """A bot retrieve the service refuses (unknown token), which cozepy logs as a warning; its message."""
    coze_api.bots.add(bot)
    coze_api.bots.retrieve()
    coze = cozepy.Coze(auth=cozepy.TokenAuth(INVALID_TOKEN))
    with pytest.raises(cozepy.CozeAPIError):
        coze.bots.retrieve(bot_id=bot.bot_id)
    return f"request GET#{RETRIEVE_URL} failed, logid={coze_api.last_logid()}, code=4100, msg=authentication is invalid"


def warnings_of(records: list[logging.LogRecord]) -> list[tuple[str, int, str]]:
    return [(record.name, record.levelno, record.getMessage()) for record in records]


class TestLoggingInAnApplication:
    @CONFIGURES_ROOT
    def test_import_leaves_root_logger_alone(self, logging_restored: None) -> None:
        """Given an application that has not configured logging yet,
        When cozepy's logging module runs as ``import cozepy`` runs it,
        Then the root logger still has no handler and its level is unchanged."""
        with unconfigured_root() as root:
            importlib.reload(importlib.import_module("cozepy.log"))
            after = configuration(root)

        assert after == ([], logging.WARNING)

    @CONFIGURES_ROOT
    def test_setup_logging_leaves_root_logger_alone(self, logging_restored: None) -> None:
        """Given an application that has not configured logging yet,
        When it turns on cozepy's debug logging with ``setup_logging(logging.DEBUG)``,
        Then only the ``cozepy`` logger changes: the root logger has no handler and its level is unchanged."""
        with unconfigured_root() as root:
            cozepy.setup_logging(logging.DEBUG)
            after = configuration(root)

        assert after == ([], logging.WARNING)
        assert logging.getLogger("cozepy").level == logging.DEBUG

    @NOT_PROPAGATED
    def test_records_reach_root_handlers(
        self, coze_api: FakeCoze, sample_bot_data: BotRecord, logging_restored: None
    ) -> None:
        """Given an application that logs through its own handler on the root logger,
        When a cozepy request fails,
        Then that handler gets cozepy's warning, from the ``cozepy`` logger."""
        handler = RecordsHandler()
        with unconfigured_root() as root:
            root.addHandler(handler)
            message = failing_request(coze_api, sample_bot_data)

        assert warnings_of(handler.records) == [("cozepy", logging.WARNING, message)]
