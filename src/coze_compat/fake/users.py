"""Users: ``GET /v1/users/me``, the user the request's token belongs to.

cozepy calls it from 0.11.0 (``coze.users.me()``, coze-dev/coze-py#177) and reads ``User``:
``user_id``, ``user_name``, ``nick_name``, ``avatar_url``, all required strings (cozepy/users
``User``, and the fixture of its tests/test_users.py, which sends the same four fields in ``data``).
Every known token belongs to ``UsersAPI.current``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

ME = Endpoint("users.me", "GET", r"/v1/users/me")


@dataclass
class UserRecord:
    """The account a token belongs to."""

    user_id: str = "7484523878849822754"
    user_name: str = "ada_lovelace"
    nick_name: str = "Ada"
    avatar_url: str = "https://p16-passport-va.ibyteimg.com/img/user-avatar/ada~300x300.image"

    def wire(self) -> dict[str, Any]:
        """The User object of ``/v1/users/me``."""
        return asdict(self)


class UsersAPI:
    """The users endpoint of the fake."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.current = UserRecord()

    def me(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/users/me``: the current user."""
        return self._fake.serve(ME, self._me, reply)

    def _me(self, request: CozeRequest) -> Reply:
        return envelope.ok(self.current.wire())
