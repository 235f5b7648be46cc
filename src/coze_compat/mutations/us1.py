"""Regressions the US1 stories (install and configure the client) must catch."""

from __future__ import annotations

from coze_compat.mutations import Mutation

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        id="us1-default-timeout-shortened",
        story="US1",
        what="the default read timeout drops from 600 s to 60 s",
        file="config.py",
        find="DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)",
        replace="DEFAULT_TIMEOUT = httpx.Timeout(timeout=60.0, connect=5.0)",
    ),
    Mutation(
        id="us1-custom-timeout-overridden",
        story="US1",
        what="SyncHTTPClient overwrites the caller's timeout with the default",
        file="request.py",
        find=(
            "class SyncHTTPClient(httpx.Client):\n    def __init__(self, **kwargs):\n"
            '        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)'
        ),
        replace=(
            "class SyncHTTPClient(httpx.Client):\n    def __init__(self, **kwargs):\n"
            '        kwargs["timeout"] = DEFAULT_TIMEOUT'
        ),
    ),
    Mutation(
        id="us1-async-custom-timeout-overridden",
        story="US1",
        what="AsyncHTTPClient overwrites the caller's timeout with the default",
        file="request.py",
        find=(
            "class AsyncHTTPClient(httpx.AsyncClient):\n    def __init__(self, **kwargs):\n"
            '        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)'
        ),
        replace=(
            "class AsyncHTTPClient(httpx.AsyncClient):\n    def __init__(self, **kwargs):\n"
            '        kwargs["timeout"] = DEFAULT_TIMEOUT'
        ),
    ),
    Mutation(
        id="us1-setup-logging-ignores-level",
        story="US1",
        what="setup_logging leaves the cozepy logger at WARNING whatever level it is given",
        file="log.py",
        find="    logger.setLevel(level)",
        replace="    logger.setLevel(logging.WARNING)",
    ),
    Mutation(
        id="us1-setup-logging-accepts-invalid-level",
        story="US1",
        what="setup_logging silently accepts a number that is not a logging level",
        file="log.py",
        find='        raise ValueError(f"invalid log level: {level}")',
        replace="        return",
    ),
    Mutation(
        id="us1-debug-log-loses-logid",
        story="US1",
        what="the debug line of a response no longer names its log id",
        file="request.py",
        find=(
            "            response.read()\n            body = response.json()\n"
            '            logid = response.headers.get("x-tt-logid")'
        ),
        replace="            response.read()\n            body = response.json()\n            logid = None",
    ),
    Mutation(
        id="us1-async-auth-header-lost",
        story="US1",
        what="AsyncCoze requests carry the token without the Bearer scheme",
        file="auth/__init__.py",
        find='headers["Authorization"] = f"{self.token_type} {await self.atoken}"',
        replace='headers["Authorization"] = f"{await self.atoken}"',
    ),
    Mutation(
        id="us1-token-property-hidden",
        story="US1",
        what="TokenAuth.token no longer gives back the token it was built with",
        file="auth/__init__.py",
        find="    def token(self) -> str:\n        return self._token\n",
        replace='    def token(self) -> str:\n        return "***"\n',
    ),
    Mutation(
        id="us1-async-token-type-changed",
        story="US1",
        what="AsyncTokenAuth reports a token type other than Bearer",
        file="auth/__init__.py",
        find=(
            '    def token_type(self) -> str:\n        return "Bearer"\n\n'
            "    @property\n    async def atoken(self) -> str:\n        return self._token"
        ),
        replace=(
            '    def token_type(self) -> str:\n        return "bearer"\n\n'
            "    @property\n    async def atoken(self) -> str:\n        return self._token"
        ),
    ),
    Mutation(
        id="us1-setup-logging-configures-root",
        story="US1",
        what="setup_logging configures the root logger again (logging.basicConfig, as before 0.13.0)",
        file="log.py",
        find="    logger.setLevel(level)",
        replace="    logging.basicConfig()\n    logger.setLevel(level)",
    ),
    Mutation(
        id="us1-logging-propagates",
        story="US1",
        what="the cozepy logger propagates its records to the application's handlers (the open bug fixed)",
        file="log.py",
        find="logger.propagate = False",
        replace="logger.propagate = True",
    ),
    Mutation(
        id="us1-jwt-id-from-seeded-random",
        story="US1",
        what="the JWT id comes from the process's seedable `random` alone again (as before 0.20.0)",
        file="auth/__init__.py",
        find='jti = f"{now}:{random_hex(8)}:{os.urandom(8).hex()}"',
        replace="jti = random_hex(16)",
    ),
    Mutation(
        id="us1-jwt-key-id-dropped",
        story="US1",
        what="the JWT header no longer names the app's public key (kid)",
        file="auth/__init__.py",
        find='header = {"alg": "RS256", "typ": "JWT", "kid": public_key_id}',
        replace='header = {"alg": "RS256", "typ": "JWT"}',
    ),
    Mutation(
        id="us1-jwt-audience-is-url",
        story="US1",
        what="the JWT audience is the base URL instead of the API host",
        file="auth/__init__.py",
        find='            "aud": self._api_endpoint,\n            "iat": now,',
        replace='            "aud": self._base_url,\n            "iat": now,',
    ),
)
