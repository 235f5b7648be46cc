"""The real cozepy bugs the matrix shows: the yardstick of the report.

Each ``Bug`` is one defect of real cozepy releases, found in coze-dev/coze-py's history (a fix
commit or an issue) and checked against the releases' source: the releases it affects (a PEP 440
specifier over the version table), its cause in the source, and what fixed it. A story test that
shows it is marked ``@pytest.mark.known_break(BUG)``: a strict xfail on exactly those releases,
so the cell stays green, the report shows the break, and a release that behaves differently turns
the cell red. A bug that no story test can show is listed with ``not_shown`` saying why. A
defect fixed by adding what was missing (the service sends a field the release discards) is
shown by its ``capability`` being first offered at the fix.

One module per area (``client``, ``bots``, ``chat``, ``conversations``, ``workflows``), each exporting ``BUGS``; ids
are unique across them (``all_bugs``). The report counts a bug as *shown* when its tests are
known breaks on exactly its releases.

A bug shows against every server by default (``server=""``: the SDK's own defect, whatever answers
it). ``studio`` holds the bugs that only Coze Studio's answers show (``server="coze-studio"``): a
release that offers a call and fails against Studio's handler, with both causes, the SDK's
(``cause``) and Studio's (``server_cause``, its file and line). The yardstick judges each bug on
the cells of its server (the hosted cells for the others).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from coze_compat import matrix, servers


@dataclass(frozen=True)
class Bug:
    """One real cozepy defect."""

    #: A short stable id, e.g. ``stream-error-not-read``.
    id: str
    #: What a user of the release sees, in one sentence.
    title: str
    #: The affected releases, a PEP 440 specifier (``"<0.7.0"``) or several (``("==0.3.0", ">=0.10,<0.14")``).
    releases: str | tuple[str, ...]
    #: Where in the release's source, and what it does wrong.
    cause: str
    #: What fixed it (``coze-dev/coze-py#90``); empty while no release has fixed it.
    fixed_by: str = ""
    #: Where users reported it (issues), if anywhere.
    reported: tuple[str, ...] = ()
    #: Why no story test shows it (empty when one does).
    not_shown: str = ""
    #: For a defect fixed by adding what the release lacked (a field the service sends and the release
    #: discards): the capability (``coze_compat.capabilities``) whose tests show it as *not offered*
    #: before ``fixed_in``. Empty when tests show it as a known break.
    capability: str = ""
    #: The server whose answers show it (``coze_compat.servers``): ``""`` for every server (the SDK's
    #: own defect), ``"coze-studio"`` for a break only Coze Studio's answers cause.
    server: str = ""
    #: For a server's bug: what the server does, with its source (file and line).
    server_cause: str = ""
    #: For a server's bug: the story tests its answers break (``fnmatch`` patterns of node ids,
    #: ``tests/us4_chat/test_chat_client.py::TestChatOperations::test_create_chat_streaming*``); in that
    #: server's cells they are known breaks of it as if marked ``known_break`` (the stories stay server-blind).
    tests: tuple[str, ...] = ()

    @property
    def home(self) -> str:
        """The server whose cells the yardstick judges it on: its own, or the hosted service."""
        return self.server or servers.HOSTED

    @property
    def from_history(self) -> bool:
        """Whether coze-py's history records it (a fix commit, or an issue); else the matrix found it."""
        return bool(self.reported) or "coze-py#" in self.fixed_by

    @property
    def affected(self) -> tuple[str, ...]:
        """The pinned releases it affects, oldest first."""
        return matrix.releases_in(self.releases)

    @property
    def fixed_in(self) -> str | None:
        """The first pinned release after every affected one, ``None`` while the newest is affected."""
        affected = self.affected
        if not affected or affected[-1] == matrix.newest_pinned():
            return None
        pinned = matrix.pinned_releases()
        return pinned[pinned.index(affected[-1]) + 1]

    def applies_to(self, version: str, server: str = servers.HOSTED) -> bool:
        """Whether the bug shows in a cell of ``version`` against ``server``."""
        return (not self.server or self.server == server) and matrix.matches(version, self.releases)

    @property
    def causes(self) -> str:
        """The cause, and for a server's bug the server's side of it."""
        if not self.server_cause:
            return self.cause
        return f"{self.cause}; {servers.title(self.server)}: {self.server_cause}"

    def reason(self) -> str:
        """The xfail reason: the cause (both causes for a server's bug), and what fixed it."""
        fixed = self.fixed_in
        if fixed is None:
            fix = "not fixed up to " + matrix.newest_pinned()
        else:
            fix = f"fixed in {fixed}" + (f" ({self.fixed_by})" if self.fixed_by else "")
        return f"[{self.id}] {self.causes}; {fix}"


class UnknownBugError(KeyError):
    """A test named a bug the catalogue does not define."""


@functools.lru_cache(maxsize=None)
def all_bugs() -> dict[str, Bug]:
    """Every bug of the catalogue, by id."""
    catalogue: dict[str, Bug] = {}
    for module in (client, bots, chat, conversations, workflows, studio):
        for bug in module.BUGS:
            if bug.id in catalogue:
                raise ValueError(f"bug {bug.id!r} is defined twice")
            if bug.server:
                servers.check(bug.server)
            matrix.releases_in(bug.releases)  # a malformed range is a clear error here
            catalogue[bug.id] = bug
    return catalogue


def bug(bug_id: str) -> Bug:
    try:
        return all_bugs()[bug_id]
    except KeyError:
        raise UnknownBugError(f"unknown bug {bug_id!r}; known: {', '.join(sorted(all_bugs()))}") from None


# The area modules define their bugs with ``Bug``, so they are imported once it exists.
from coze_compat.bugs import bots, chat, client, conversations, studio, workflows  # noqa: E402
