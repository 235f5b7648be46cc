"""Bugs of conversations and their messages (US4)."""

from __future__ import annotations

from coze_compat.bugs import Bug

BUGS: tuple[Bug, ...] = ()
