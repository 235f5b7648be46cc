"""Regressions the US3 stories must catch."""

from __future__ import annotations

from typing import Tuple

from coze_compat.mutations import Mutation

MUTATIONS: Tuple[Mutation, ...] = ()
