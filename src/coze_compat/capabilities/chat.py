"""Capabilities of the US4 chat and conversations stories."""

from __future__ import annotations

from typing import Tuple

from coze_compat.capabilities import Capability

CAPABILITIES: Tuple[Capability, ...] = ()
