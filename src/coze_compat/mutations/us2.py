"""Regressions the US2 stories (client behaviour on the wire) must catch."""

from __future__ import annotations

from coze_compat.mutations import Mutation

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        id="us2-auth-scheme-lowercased",
        story="US2",
        what="the Authorization header says 'bearer <token>'",
        file="auth/__init__.py",
        find='headers["Authorization"] = f"{self.token_type} {self.token}"',
        replace='headers["Authorization"] = f"{self.token_type.lower()} {self.token}"',
    ),
    Mutation(
        id="us2-user-agent-changed",
        story="US2",
        what="the User-Agent loses the Python and OS parts",
        file="version.py",
        find='return f"cozepy/{VERSION} python/{python_version} {os_name}/{os_version}".lower()',
        replace='return f"cozepy/{VERSION}".lower()',
    ),
    Mutation(
        id="us2-client-user-agent-dropped",
        story="US2",
        what="sync requests no longer send X-Coze-Client-User-Agent",
        file="request.py",
        find=(
            '        headers["X-Coze-Client-User-Agent"] = coze_client_user_agent()\n'
            "        if self._auth:\n            self._auth.authentication(headers)"
        ),
        replace="        if self._auth:\n            self._auth.authentication(headers)",
    ),
    Mutation(
        id="us2-result-logid-wrong-header",
        story="US2",
        what="results read their log id from a header the service does not send",
        file="model.py",
        find='return self._raw_response.headers.get("x-tt-logid")',
        replace='return self._raw_response.headers.get("x-logid")',
    ),
    Mutation(
        id="us2-error-logid-dropped",
        story="US2",
        what="CozeAPIError from a sync call no longer carries the log id",
        file="request.py",
        find=(
            '        logid = response.headers.get("x-tt-logid")\n'
            '        if stream and "event-stream" in resp_content_type:\n'
            "            return IteratorHTTPResponse("
        ),
        replace=(
            "        logid = None\n"
            '        if stream and "event-stream" in resp_content_type:\n'
            "            return IteratorHTTPResponse("
        ),
    ),
    Mutation(
        id="us2-api-errors-swallowed",
        story="US2",
        what="an error envelope (code > 0) is no longer raised as CozeAPIError",
        file="request.py",
        find='if "code" in body and "msg" in body and int(body["code"]) > 0:',
        replace="if False:",
    ),
    Mutation(
        id="us2-cn-base-url-changed",
        story="US2",
        what="COZE_CN_BASE_URL points somewhere else",
        file="config.py",
        find='COZE_CN_BASE_URL = "https://api.coze.cn"',
        replace='COZE_CN_BASE_URL = "https://api.coze.cn/open"',
    ),
    Mutation(
        id="us2-trailing-slash-kept",
        story="US2",
        what="a trailing slash in base_url is kept, doubling the slash before the API path",
        file="util.py",
        find='        return base_url.rstrip("/")',
        replace="        return base_url",
    ),
    Mutation(
        id="us2-async-base-url-ignored",
        story="US2",
        what="AsyncCoze always talks to coze.com, whatever base_url it is given",
        file="coze.py",
        find="        self._base_url = remove_url_trailing_slash(base_url)\n        if isinstance(auth, SyncAuth):",
        replace="        self._base_url = COZE_COM_BASE_URL\n        if isinstance(auth, SyncAuth):",
    ),
    Mutation(
        id="us2-async-non-json-status-lost",
        story="US2",
        what="an async call answered by a non-JSON gateway page raises CozeAPIError without the HTTP status",
        file="request.py",
        find=(
            "            await response.aread()\n            body = response.json()\n"
            '            logid = response.headers.get("x-tt-logid")\n'
            '            log_debug("request %s#%s responding, logid=%s, data=%s", method, url, logid, body)\n'
            "        except Exception as e:  # noqa: E722\n            raise CozeAPIError(\n"
            "                response.status_code,"
        ),
        replace=(
            "            await response.aread()\n            body = response.json()\n"
            '            logid = response.headers.get("x-tt-logid")\n'
            '            log_debug("request %s#%s responding, logid=%s, data=%s", method, url, logid, body)\n'
            "        except Exception as e:  # noqa: E722\n            raise CozeAPIError(\n"
            "                None,"
        ),
    ),
    Mutation(
        id="us2-network-error-retried",
        story="US2",
        what="every sync request is sent twice: a first attempt whose network errors are swallowed",
        file="request.py",
        find="        return self._parse_response(\n            method=request.method,",
        replace=(
            "        try:\n"
            "            self.sync_client.send(request.as_httpx, stream=request.stream).close()\n"
            "        except httpx.TransportError:\n"
            "            pass\n"
            "        return self._parse_response(\n            method=request.method,"
        ),
    ),
    Mutation(
        id="us2-async-network-error-retried",
        story="US2",
        what="every async request is sent twice: a first attempt whose network errors are swallowed",
        file="request.py",
        find="        return await self._aparse_response(\n            method=request.method,",
        replace=(
            "        try:\n"
            "            await (await self.async_client.send(request.as_httpx, stream=request.stream)).aclose()\n"
            "        except httpx.TransportError:\n"
            "            pass\n"
            "        return await self._aparse_response(\n            method=request.method,"
        ),
    ),
)
