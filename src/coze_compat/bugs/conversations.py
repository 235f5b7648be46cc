"""Bugs of conversations and their messages (US4).

Found in coze-dev/coze-py's history (``git log v0.1.0..v0.20.0 -- cozepy/conversations cozepy/chat``,
the fix commits, the issues) and by serving the answers the docs allow to every release: each was
checked against the releases' source and is shown by a story of ``tests/us4_chat/test_conversations.py``.
Messages share their model with chat: a message built from objects sent as text (#85) and closed
message enums (#270) are ``bugs.chat.OBJECT_STRING_AS_TEXT`` and ``bugs.chat.UNKNOWN_ENUM_REJECTED``.
"""

from __future__ import annotations

from coze_compat.bugs import Bug

CONVERSATION_META_DATA_REQUIRED = Bug(
    "conversation-meta-data-required",
    'a conversation sent without `meta_data`, or with `"meta_data": null`, cannot be read (ValidationError)',
    ">=0.2.0",
    "`Conversation.meta_data: Dict[str, str]` (conversations/__init__.py) is required and not Optional; the docs "
    "do not mark it required, and Coze Studio's server sends `null` for a conversation created without meta data "
    "(shared/reference/coze-studio.md 1.4)",
)
PAGE_FIELDS_REQUIRED = Bug(
    "message-page-fields-required",
    "a message page whose `first_id`, `last_id` or `has_more` is left out or `null` cannot be read "
    "(ValidationError or KeyError)",
    ">=0.2.0",
    "`Requester._parse_requests_code_msg`/`_format_requests_code_msg` (request.py) takes a reply for a page only "
    "when it has a top-level `first_id` and then reads `body['has_more']` and `body['last_id']` (KeyError when "
    "absent), and `_PrivateListMessageResp` (conversations/message/__init__.py) declares `first_id: str`, "
    "`last_id: str`, `has_more: bool` as required, non-null fields; the docs mark none of them required",
)
PAGES_TURN_AROUND = Bug(
    "message-pages-turn-around",
    "iterating a message list started with `before_id` (paging back) turns around after the first page and "
    "yields the messages at and after the cursor",
    ">=0.4.0",
    "`LastIDPaged.iter_pages` and `AsyncLastIDPaged.iter_pages` (model.py) always ask for the next page with "
    "`before_id=''` and `after_id=<last_id of the page>`, whatever direction the caller started in; the docs page "
    "back with `before_id=<first_id>`",
)

BUGS: tuple[Bug, ...] = (
    CONVERSATION_META_DATA_REQUIRED,
    PAGE_FIELDS_REQUIRED,
    PAGES_TURN_AROUND,
)
