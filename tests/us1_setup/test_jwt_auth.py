"""US1, a service app's JWT OAuth: the backend signs a JWT, gets an access token, and calls with it.

A backend without users to log in (a service app) authenticates with JWT OAuth: ``JWTOAuthApp``
signs a JWT with the app's private key, ``get_access_token`` trades it for an access token at
``POST /api/permission/oauth2/token`` (the fake's ``coze_compat.fake.oauth``: the signature, the
JWT's header and claims, a JWT accepted only once, as the docs' oauth_jwt says), and the client
calls the API with that token. Checked through the installed cozepy:

* the token request: the JWT in ``Authorization: Bearer``, RS256 with the app's key id, ``iss``
  the client id, ``aud`` the API host, ``exp`` after ``iat``, a ``jti``; the body's grant type and
  duration; the access token returned and accepted by the API;
* two workers that seeded Python's ``random`` the same way (``random.seed(...)`` at start-up, as
  data-science code does) each get a token.

Known break: up to 0.19.0 the JWT id is ``random_hex(16)`` (``random.choice``), so two JWTs signed
after the same seed carry the same ``jti`` and the service refuses the second as a replayed JWT
(fixed in 0.20.0 by coze-dev/coze-py#322: the ``jti`` adds the time and ``os.urandom``).
"""

from __future__ import annotations

import base64
import json
import random
from typing import Any, Iterator

import cozepy
import pytest

from coze_compat import bugs
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.oauth import TEST_PRIVATE_KEY
from coze_compat.fake.server import FakeCoze

CLIENT_ID = "1127900106117"
PUBLIC_KEY_ID = "_v0VjcMlLdQc3tRTD3jC5Xz29TUnKQOhtuD5k-gpyf4"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def jwt_parts(authorization: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload of the JWT in ``Authorization: Bearer <JWT>``."""
    scheme, _, token = authorization.partition(" ")
    assert scheme == "Bearer"
    header, payload, _signature = token.split(".")
    return decoded(header), decoded(payload)


def decoded(part: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


def without_nulls(body: dict[str, Any]) -> dict[str, Any]:
    """The body without its ``null`` fields (every release sends ``"scope": null`` when none is given)."""
    return {name: value for name, value in body.items() if value is not None}


@pytest.fixture
def jwt_app(coze_api: FakeCoze) -> Any:
    """The service app as the backend builds it, known to the fake."""
    coze_api.oauth.add_jwt_app(CLIENT_ID, PUBLIC_KEY_ID)
    return cozepy.JWTOAuthApp(
        client_id=CLIENT_ID, private_key=TEST_PRIVATE_KEY, public_key_id=PUBLIC_KEY_ID, base_url=coze_api.base_url
    )


@pytest.fixture
def random_restored() -> Iterator[None]:
    state = random.getstate()
    yield
    random.setstate(state)


class TestJWTOAuth:
    def test_jwt_access_token(self, coze_api: FakeCoze, jwt_app: Any, sample_bot_data: BotRecord) -> None:
        """Given a service app with its key pair,
        When the backend gets an access token for 900 s and calls the API with it,
        Then the token request carries a JWT signed for the app (RS256, its key id, its client id, the
        API host, a lifetime, an id) and the JWT grant, and the API accepts the token it returns."""
        coze_api.oauth.token()
        coze_api.bots.add(sample_bot_data)
        coze_api.bots.retrieve()

        token = jwt_app.get_access_token(ttl=900)
        coze = cozepy.Coze(auth=cozepy.TokenAuth(token.access_token), base_url=coze_api.base_url)
        bot = coze.bots.retrieve(bot_id=sample_bot_data.bot_id)

        request = coze_api.requests[0]
        assert (request.method, request.path, without_nulls(request.body)) == (
            "POST",
            "/api/permission/oauth2/token",
            {"duration_seconds": 900, "grant_type": JWT_GRANT},
        )
        header, claims = jwt_parts(request.headers["authorization"])
        assert header == {"alg": "RS256", "typ": "JWT", "kid": PUBLIC_KEY_ID}
        assert (claims["iss"], claims["aud"], claims["exp"] > claims["iat"]) == (CLIENT_ID, "api.coze.com", True)
        assert isinstance(claims["jti"], str)
        assert ([token.access_token], token.expires_in) == (coze_api.oauth.issued, coze_api.oauth.now + 900)
        assert bot.bot_id == sample_bot_data.bot_id

    @pytest.mark.known_break(bugs.client.JWT_ID_FROM_SEEDED_RANDOM)
    @pytest.mark.usefixtures("random_restored")
    def test_jwt_ids_differ_under_a_fixed_random_seed(self, coze_api: FakeCoze, jwt_app: Any) -> None:
        """Given two workers that seed Python's ``random`` the same way at start-up,
        When each gets an access token,
        Then both get one: their JWTs carry different ids, and the service accepts each once."""
        coze_api.oauth.token()

        tokens = []
        for _worker in range(2):
            random.seed(2024)
            tokens.append(jwt_app.get_access_token(ttl=900).access_token)

        assert len(set(coze_api.oauth.jwt_ids)) == 2
        assert len(set(tokens)) == 2
