"""Breaks only Coze Studio's answers show: a release offers the call and fails against Studio's handler.

Each bug names both causes: the SDK's code (``cause``: the function and file of the release) and
Studio's (``server_cause``: what its handler does, file and line at ``servers.STUDIO_RELEASE``;
``coze_compat.fake.studio`` answers the same, citing the same lines). They show in the Studio cells
only (``server="coze-studio"``); the yardstick judges them there.
"""

from __future__ import annotations

from coze_compat.bugs import Bug
from coze_compat.servers import STUDIO

BUGS: tuple[Bug, ...] = ()
