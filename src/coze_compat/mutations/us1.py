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
)
