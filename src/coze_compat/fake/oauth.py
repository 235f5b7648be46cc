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
#: A 2048-bit RSA key pair made for tests only (it signs nothing real): the default key of
#: ``add_jwt_app``, and what a test gives ``JWTOAuthApp(private_key=...)``.
TEST_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCaCwe65wf/pKcJ
pjnm5XbFixIB1s/lrcaAJ8rEeumzFfwLbH9EhDXZNeHm+2nNM5qfAeYt4cj+x43P
DR2pi6u8POqhinG2/C0aPBKUqND9kUGv3yeLzolceJlRzOoL2no8OgGO0ONEYfyD
D73fCfWIU8++/DfUsdtxwN+TJG8rQaUt5Jw7Pu7gVvYGc0pvmAArJV2YVHVVn3pY
kstnCWp5qw/424O8SZBwfDXgXswq1e9+KW1okBB9VclxkmmeJDV9tMHVBpb1Ur61
K85/O7y8KjLOLFlLmOPCOkUzo7B2o1cgHRIUwLOJE0dUYPGMr8lljkEUQePmqVCh
fZvrR0v3AgMBAAECggEAEhWlbK3e5IZiDeHz/kWGMh7nmEut0JscKMODLJn5gcrc
8kJklpim8b8/rCxr+WlLh8tjSJOvUyn+XgZ+Kv94w/qq2Rg1zXPBn8jZrZY8IujA
u3MJY4J14eNOrKnP+GBH5XYx5KBlbgvK52AbvGmg58ZfJ17Y9yGCT9KC7PVkD8HQ
gM5zaQjwgj1U1nhiONz8L+lhjfVCy1l/ubiNfL2O/HAZl6NhCwsLjICUsFR5nzLU
rBHbONP+Bs6yA4GmTPQMvjP2m5Xb5iJu5jmjmVmivG8o8IUX21uwDGQjc/TMGQCt
9ULf7Y5PUGHq6sd2+wkaFmLSDPIwgmOnB2pLelhS4QKBgQDQ1NyZBpDqeiLsig9l
yyy4GHek4/PAecLpGCxth7e8qfz/fVPQWwLyscJNzKnWNDkZrzfJ4ezPiOfV5ngo
WtL4a7Mj5J/6xV/fm70LlHBk29PrnTDPyl/hslfiYjociidWsaH7RD1xFbUaw47m
TelgD3SgGbvvZIv6oNC97GQ/LwKBgQC81ivfjfjUUHLA5DoUYV4jHEaHBGeaJ2F9
P1Ntd6xSpOvzWCmEL24w5FHsTjpixp5NsXJcbsYpXwLaP9nYbxev2kjLI2zy9nFF
9OGf4aLyhoEWbJsquqqe6CaInNVQHuZgMTs7iICzsBUydw4CYMboDkR4Ma5uzKPX
7iGw7FPNuQKBgQDC9sfQ8elfj5GFZkuDzJC+etFQlyTdgI/w0InB5GAsekNiP559
OkrhTAXMXpP9EJpymTwrdYqCIx3WfCmX+1tVZC9GBk85bwXYHGz9H6Ni9jy+ju2g
QR8M9lTIXM5GENEzRfmlPQtjxVFkYEjMSNblwOgwBHaJxERPQ84+UjExLwKBgGNe
tLGsbQ+U0f4tW17UKgyB2Z89MyOMq6GUDFvjiNvoi31/nEFCEFNMIsweEl1eNXme
8hYv+LlWlRKyXPmm5CkWzg2Ps8pa4xq0FXLj8rJ7Ezzwo+qlVhnPAlALb7j8ubBO
1+OpHkjwVQc8XTPlJ2Z/84noYulNaL69Qh9vDV6JAoGAF3IujE/kiDpEOIqh2ke6
0jIZyuyIOPR/BU3+BE5rRem/Gvb5/BpZB2GDCLRm921ZPLKX/S0r9ahSBxMSISPb
jIUPo+NS97gdd+rA5BODBo47tlyPYgc3luoKbVNpCj8mdhxB3+SaeHbpkiRe963/
DZ6mlgmyEqG0Xx2EvKF2T1A=
-----END PRIVATE KEY-----
"""
TEST_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmgsHuucH/6SnCaY55uV2
xYsSAdbP5a3GgCfKxHrpsxX8C2x/RIQ12TXh5vtpzTOanwHmLeHI/seNzw0dqYur
vDzqoYpxtvwtGjwSlKjQ/ZFBr98ni86JXHiZUczqC9p6PDoBjtDjRGH8gw+93wn1
iFPPvvw31LHbccDfkyRvK0GlLeScOz7u4Fb2BnNKb5gAKyVdmFR1VZ96WJLLZwlq
easP+NuDvEmQcHw14F7MKtXvfiltaJAQfVXJcZJpniQ1fbTB1QaW9VK+tSvOfzu8
vCoyzixZS5jjwjpFM6OwdqNXIB0SFMCziRNHVGDxjK/JZY5BFEHj5qlQoX2b60dL
9wIDAQAB
-----END PUBLIC KEY-----
"""


@dataclass(frozen=True)
class JWTApp:
    """A service OAuth app: its client id and the public half of its key pair."""

    client_id: str
    public_key_id: str
    public_key_pem: str


def oauth_error(code: str, message: str) -> RawBody:
    status = 401 if code == "invalid_client" else 400
    body = json.dumps({"error_code": code, "error_message": message}).encode("utf-8")
    return RawBody(status, body, "application/json")


class OAuthError(Exception):
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
