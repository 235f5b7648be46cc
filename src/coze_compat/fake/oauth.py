"""OAuth: ``POST /api/permission/oauth2/token`` with a JWT, as a service app gets its access token.

The docs (oauth_jwt, coze-dev/coze-sdk-gen docs/api-markdown): the request carries
``Authorization: Bearer <JWT>`` (not an access token) and the JSON body
``{"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "duration_seconds": N}``
(``duration_seconds`` optional, default 900, at most 86399). The JWT is signed RS256 with the
app's private key; its header is ``{"alg": "RS256", "typ": "JWT", "kid": <public key id>}`` and
its payload ``iss`` (the app's client id), ``aud`` (the API host, ``api.coze.com``), ``iat``,
``exp`` (after ``iat``) and ``jti``, "a random string against replay attacks, different every time
a JWT is signed"; "a JWT can be used only once". The answer is not the envelope:
``{"access_token": "czs_...", "expires_in": <unix time it expires>}``; errors are
``{"error_code", "error_message"}`` (``invalid_request``, ``invalid_client``,
``unsupported_grant_type``), with HTTP 400, and 401 for ``invalid_client`` (RFC 6749 section 5.2;
the docs give no status). A token the fake issues is known to it from then on, so the app's
calls with it succeed.

``OAuthAPI.add_jwt_app`` registers an app (client id, public key id, public key PEM); the signature
is checked with ``cryptography`` (installed with every cozepy release, through authlib), imported
when a JWT is checked.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import respx

from coze_compat.fake.envelope import RawBody, Reply
from coze_compat.fake.requests import INTEGER, STRING, CozeRequest, Endpoint

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

TOKEN = Endpoint(
    "oauth.token",
    "POST",
    r"/api/permission/oauth2/token",
    required_body=("grant_type",),
    has_body=True,
    body_types={"grant_type": STRING, "duration_seconds": INTEGER},
    public=True,
)
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
#: The tail of the access tokens the fake issues (``czs_`` tokens, as in the docs' example).
CLIENT_TOKEN_BODY = "RQOhsc7vmUzK4bNgb7hn4wqOgRBYAO6xvpFHNbnl6RiQJX3cSXSguIhFDzgy"
DEFAULT_DURATION, MAX_DURATION = 900, 86399
#: An RSA key pair made for tests only (it signs nothing real): the default key of ``add_jwt_app``,
#: and what a test gives ``JWTOAuthApp(private_key=...)``. 1024 bits, not 2048, because cryptography
#: validates an RSA key each time it is loaded (authlib loads it for every JWT): 6 ms instead of 50.
TEST_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBALlZYCLGSif6a3cR
FO2bc6G2M1HzT5HBclLllg7C2Q4J0SYwG3aEh18hm9HXRFOM7JmrOlaneEx283ub
wE+SkcQSh/4MiHSxYVfgyN7HzPJk+vQ8uEHUXu0ALKi3NdfO5P7T7HfIyp9YtofQ
1VqGJUOUvyuhwa2ViEHKZ5PV4MK7AgMBAAECgYBE+SFxT2DhJ6s+D7k+Ao8xKmBG
qsh9cQNeHdmNfKzRMI4IK/bMT90gZZ1apUTj4plZRgLbpE58Bfftk7Qo6F4deqif
n5vfSCl2f217gB3oR6M7rW1jz2Igw5jc4PXcNGo3sCLvlNOQlcgEQx2mvE30ST7o
xpfUY77L0v5rWZJLIQJBAN/7CfaY8CXvnReDk32UA2BueAxIQF3JBYjvkn2Snj35
VZ8iUl3ayuILz1hD7iC7N+4kObPfi3xhK3aXFKfbSM0CQQDT2Iy1iWo3y+8CgBae
0Ct2zYgQmXoLVAYOi7mfbe4XC91UlsGH9ZwEiZzaILVke7dY+md6vwrB6RNelO7z
mVmnAkEA2tuMIr/SeN8oGx/gcKa+ne2TtDytWHbix6mA9N7dbSVDetmorjjqYfK0
SkUmXClUP4h6Mb7Pp1uzgo+iCVsGSQJBALOtKoLaXuWeKUTEoOroAsVLw4jYs2Oi
S1TQ+4oWMecIIBwblV+cWEyc7xUuwsrMB5EHKPc5y4T2C4Cf7x9bRGcCQB5Gkt0l
eNu8AMCa2Sph8JsoHKZTlFr6gxLEO6kpmCQiWSczswmR6GJl/apuj/S7VMxsoJRO
gBNnB2Yq+P0zi8c=
-----END PRIVATE KEY-----
"""
TEST_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC5WWAixkon+mt3ERTtm3OhtjNR
80+RwXJS5ZYOwtkOCdEmMBt2hIdfIZvR10RTjOyZqzpWp3hMdvN7m8BPkpHEEof+
DIh0sWFX4Mjex8zyZPr0PLhB1F7tACyotzXXzuT+0+x3yMqfWLaH0NVahiVDlL8r
ocGtlYhBymeT1eDCuwIDAQAB
-----END PUBLIC KEY-----
"""


@dataclass(frozen=True)
class JWTApp:
    """A service OAuth app: its client id and the public half of its key pair."""

    client_id: str
    public_key_id: str
    public_key_pem: str


def oauth_error(code: str, message: str) -> RawBody:
    """The OAuth error body ``{"error_code", "error_message"}``: HTTP 401 for ``invalid_client``, else 400."""
    status = 401 if code == "invalid_client" else 400
    body = json.dumps({"error_code": code, "error_message": message}).encode("utf-8")
    return RawBody(status, body, "application/json")


class OAuthError(Exception):
    """A JWT the token endpoint refuses: the OAuth ``error_code`` and the message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _json_part(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64decode(part))
    except ValueError as error:
        raise OAuthError("invalid_client", f"the JWT {what} is not base64url JSON") from error
    if not isinstance(value, dict):
        raise OAuthError("invalid_client", f"the JWT {what} is not a JSON object")
    return value


def _verify_signature(app: JWTApp, signed: bytes, signature: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = serialization.load_pem_public_key(app.public_key_pem.encode("ascii"))
    assert isinstance(key, rsa.RSAPublicKey), f"the public key of app {app.client_id} is not an RSA key"
    try:
        key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise OAuthError("invalid_client", "the JWT signature does not match the app's public key") from None


class OAuthAPI:
    """The OAuth token endpoint of the fake, the JWT apps it knows and the JWT ids it has seen."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.apps: dict[str, JWTApp] = {}
        #: The ``jti`` of every JWT presented, in order (a JWT is accepted once).
        self.jwt_ids: list[str] = []
        #: The payload of every JWT accepted, in order.
        self.claims: list[dict[str, Any]] = []
        #: The access tokens issued, in order.
        self.issued: list[str] = []
        self.now = 1735689600

    def add_jwt_app(self, client_id: str, public_key_id: str, public_key_pem: str = TEST_PUBLIC_KEY) -> JWTApp:
        """Make a service app known: JWTs it signs with the private half of ``public_key_pem`` are accepted."""
        app = JWTApp(client_id, public_key_id, public_key_pem)
        self.apps[client_id] = app
        return app

    def token(self, reply: Reply | None = None) -> respx.Route:
        """``POST /api/permission/oauth2/token``: an access token for a JWT."""
        return self._fake.serve(TOKEN, self._token, reply)

    def _token(self, request: CozeRequest) -> Reply:
        grant = request.field("grant_type")
        if grant != JWT_GRANT:
            return oauth_error("unsupported_grant_type", f"not supported grant type: {grant}")
        duration = request.field("duration_seconds", DEFAULT_DURATION)
        if not 0 < duration <= MAX_DURATION:
            return oauth_error("invalid_request", f"invalid request: duration_seconds {duration} (1-{MAX_DURATION})")
        try:
            claims = self._check_jwt(request.headers.get("authorization", ""))
        except OAuthError as error:
            return oauth_error(error.code, error.message)
        self.claims.append(claims)
        access_token = f"czs_{len(self.issued) + 1:04d}_{CLIENT_TOKEN_BODY}"
        self.issued.append(access_token)
        self._fake.add_token(access_token)
        body = {"access_token": access_token, "expires_in": self.now + duration}
        return RawBody(200, json.dumps(body).encode("utf-8"), "application/json")

    def _check_jwt(self, authorization: str) -> dict[str, Any]:
        scheme, _, jwt = authorization.partition(" ")
        parts = jwt.split(".")
        if scheme != "Bearer" or len(parts) != 3:
            raise OAuthError("invalid_client", "the Authorization header must be `Bearer <JWT>`")
        header, claims = _json_part(parts[0], "header"), _json_part(parts[1], "payload")
        if (header.get("alg"), header.get("typ")) != ("RS256", "JWT"):
            raise OAuthError("invalid_client", f"the JWT header must say alg RS256 and typ JWT, got {header}")
        app = self.apps.get(str(claims.get("iss")))
        if app is None:
            raise OAuthError("invalid_client", f"no OAuth app {claims.get('iss')!r}")
        if header.get("kid") != app.public_key_id:
            raise OAuthError("invalid_client", f"kid {header.get('kid')!r} is not the app's public key id")
        _verify_signature(app, f"{parts[0]}.{parts[1]}".encode("ascii"), _b64decode(parts[2]))
        host = httpx.URL(self._fake.base_url).host
        if claims.get("aud") != host:
            raise OAuthError("invalid_client", f"aud must be {host}, got {claims.get('aud')!r}")
        iat, exp, jti = claims.get("iat"), claims.get("exp"), claims.get("jti")
        if not (isinstance(iat, int) and isinstance(exp, int) and exp > iat):
            raise OAuthError("invalid_client", f"iat and exp must be Unix times with exp after iat, got {iat}, {exp}")
        if not isinstance(jti, str) or not jti:
            raise OAuthError("invalid_client", "jti must be a non-empty string")
        seen = jti in self.jwt_ids
        self.jwt_ids.append(jti)
        if seen:
            raise OAuthError("invalid_client", f"the JWT {jti} has been used already")
        return claims
