"""The fake's OAuth token endpoint checks a JWT as the service does (docs: oauth_jwt).

Plain httpx with JWTs signed here (with ``cryptography``, as an app would), each breaking one rule.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from coze_compat.fake.oauth import JWT_GRANT, TEST_PRIVATE_KEY
from coze_compat.fake.server import FakeCoze

URL = "https://api.coze.com/api/permission/oauth2/token"
CLIENT_ID, KEY_ID = "1127900106117", "key-1"
HEADER = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
CLAIMS = {"iss": CLIENT_ID, "aud": "api.coze.com", "iat": 1735689600, "exp": 1735693200, "jti": "a1b2c3"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def signed(header: dict[str, Any], claims: dict[str, Any], key: str = TEST_PRIVATE_KEY) -> str:
    private = serialization.load_pem_private_key(key.encode("ascii"), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    head = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{head}.{b64(private.sign(head.encode('ascii'), padding.PKCS1v15(), hashes.SHA256()))}"


def ask(jwt: str, body: dict[str, Any] | None = None) -> httpx.Response:
    body = {"grant_type": JWT_GRANT, "duration_seconds": 900} if body is None else body
    return httpx.post(URL, json=body, headers={"Authorization": f"Bearer {jwt}"})


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze() as started:
        started.oauth.add_jwt_app(CLIENT_ID, KEY_ID)
        started.oauth.token()
        yield started


def test_a_good_jwt_gets_a_token_the_api_accepts(fake: FakeCoze) -> None:
    """Given a JWT signed by a known app,
    When it is traded for a token,
    Then the answer is the bare token object, and the fake knows the token from then on."""
    response = ask(signed(HEADER, CLAIMS))

    assert (response.status_code, response.json()) == (
        200,
        {"access_token": fake.oauth.issued[0], "expires_in": fake.oauth.now + 900},
    )
    assert fake.oauth.issued[0] in fake.tokens
    assert fake.oauth.claims == [CLAIMS]
    fake.verify()


def generated_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # another app's key
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


@pytest.mark.parametrize(
    ("jwt", "body", "status", "error"),
    [
        (lambda: signed(HEADER, CLAIMS), {"grant_type": "client_credentials"}, 400, "unsupported_grant_type"),
        (lambda: signed(HEADER, CLAIMS), {"grant_type": JWT_GRANT, "duration_seconds": 86400}, 400, "invalid_request"),
        (lambda: "not-a-jwt", None, 401, "invalid_client"),
        (lambda: "e30.bm90IGpzb24.c2ln", None, 401, "invalid_client"),
        (lambda: "W10.e30.c2ln", None, 401, "invalid_client"),
        (lambda: signed({**HEADER, "alg": "HS256"}, CLAIMS), None, 401, "invalid_client"),
        (lambda: signed(HEADER, {**CLAIMS, "iss": "404"}), None, 401, "invalid_client"),
        (lambda: signed({**HEADER, "kid": "other"}, CLAIMS), None, 401, "invalid_client"),
        (lambda: signed(HEADER, CLAIMS, generated_key()), None, 401, "invalid_client"),
        (lambda: signed(HEADER, {**CLAIMS, "aud": "api.coze.cn"}), None, 401, "invalid_client"),
        (lambda: signed(HEADER, {**CLAIMS, "exp": CLAIMS["iat"]}), None, 401, "invalid_client"),
        (lambda: signed(HEADER, {**CLAIMS, "jti": ""}), None, 401, "invalid_client"),
    ],
    ids=[
        "grant-type",
        "duration-too-long",
        "no-jwt",
        "payload-not-json",
        "header-not-an-object",
        "algorithm",
        "unknown-app",
        "key-id",
        "signature",
        "audience",
        "expiry",
        "no-jwt-id",
    ],
)
def test_a_bad_jwt_request_is_refused(
    fake: FakeCoze, jwt: Any, body: dict[str, Any] | None, status: int, error: str
) -> None:
    """Given a token request that breaks one of the service's rules,
    When it is sent,
    Then the answer is the OAuth error (code and message) with its status, and no token is issued."""
    response = ask(jwt(), body)

    assert (response.status_code, response.json()["error_code"]) == (status, error)
    assert response.json()["error_message"]
    assert fake.oauth.issued == []
    fake.verify()


def test_a_jwt_is_accepted_once(fake: FakeCoze) -> None:
    """Given a JWT already traded for a token,
    When it is presented again,
    Then the service refuses it as used (its id names it)."""
    jwt = signed(HEADER, CLAIMS)

    first, again = ask(jwt), ask(jwt)

    assert first.status_code == 200
    assert (again.status_code, again.json()) == (
        401,
        {"error_code": "invalid_client", "error_message": "the JWT a1b2c3 has been used already"},
    )
    assert fake.oauth.jwt_ids == ["a1b2c3", "a1b2c3"]
    fake.verify()
