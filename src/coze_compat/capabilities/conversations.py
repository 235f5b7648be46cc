"""Capabilities of the US4 conversation stories (conversations and their messages).

The chat-side capabilities, and the first conversation ones (``conversation_bot_id``,
``conversation_list``, ``message_list_paging``), live in ``capabilities.chat``.
"""

from __future__ import annotations

from coze_compat.capabilities import Capability

CAPABILITIES: tuple[Capability, ...] = ()
