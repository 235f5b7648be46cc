"""Breaks only Coze Studio's answers show: a release offers the call and fails against Studio's handler.

Each bug names both causes: the SDK's code (``cause``: the function and file of the release) and
Studio's (``server_cause``: what its handler does, file and line at ``servers.STUDIO_RELEASE``;
``coze_compat.fake.studio`` answers the same, citing the same lines). They show in the Studio cells
only (``server="coze-studio"``); the yardstick judges them there. The story tests stay server-blind:
each bug names the tests its answers break (``Bug.tests``), and the pytest plugin marks them as
known breaks of it in the Studio cells.

``HOSTED_ANSWERS``: story tests that pin an answer only the hosted service gives (its error codes,
its HTTP 401): Studio answers the same request otherwise, so in the Studio cells they are skipped as
*not served* with Studio's answer and its source, as a test of an endpoint Studio lacks is.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from coze_compat.bugs import Bug
from coze_compat.servers import STUDIO

BUGS: tuple[Bug, ...] = ()

#: (test patterns, what the tests pin that Studio does not answer, Studio's answer and source).
HOSTED_ANSWERS: tuple[tuple[tuple[str, ...], str], ...] = ()


def breaking(nodeid: str, server: str) -> list[Bug]:
    """The bugs of ``server`` that name the test ``nodeid`` (none for the hosted service)."""
    return [bug for bug in BUGS if bug.server == server and any(fnmatchcase(nodeid, p) for p in bug.tests)]


def hosted_answer(nodeid: str) -> str | None:
    """What the test pins that only the hosted service answers (``None``: the test runs on Studio)."""
    for patterns, what in HOSTED_ANSWERS:
        if any(fnmatchcase(nodeid, pattern) for pattern in patterns):
            return what
    return None
