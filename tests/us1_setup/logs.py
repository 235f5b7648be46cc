"""Logging helpers of the US1 stories: a handler that keeps records, and the loggers put back after a test."""

from __future__ import annotations

import contextlib
import logging
from typing import Iterator


class RecordsHandler(logging.Handler):
    """A handler that keeps every record it gets."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def loggers_restored() -> Iterator[None]:
    """The root and ``cozepy`` loggers (level, handlers, propagation) are put back as they were after the block."""
    root, sdk = logging.getLogger(), logging.getLogger("cozepy")
    saved = (root.level, list(root.handlers), sdk.level, list(sdk.handlers), sdk.propagate)
    try:
        yield
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        sdk.setLevel(saved[2])
        sdk.handlers[:] = saved[3]
        sdk.propagate = saved[4]
