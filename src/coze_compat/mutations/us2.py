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
    Mutation(
        id="us2-stream-stops-at-done",
        story="US2",
        what="a sync stream stops at `done` without reading to the end (as before coze-py#286): its connection is kept",
        file="model.py",
        find=(
            "            item = self._handler(event_dict, self._raw_response)\n"
            "            if item:\n                yield item"
        ),
        replace=(
            "            item = self._handler(event_dict, self._raw_response)\n"
            "            if not item:\n                return\n            yield item"
        ),
    ),
    Mutation(
        id="us2-async-stream-stops-at-done",
        story="US2",
        what="an async stream stops at `done` without reading to the end: its connection is kept",
        file="model.py",
        find="                    if event:\n                        yield event",
        replace="                    if not event:\n                        return\n                    yield event",
    ),
    Mutation(
        id="us2-stream-closed-when-abandoned",
        story="US2",
        what="a sync stream closes its response when the caller stops early or an error event ends it (bugs fixed)",
        file="model.py",
        find="    def __iter__(self):\n        while True:\n            event_dict = self._extra_event()",
        replace=(
            "    def __iter__(self):\n        try:\n            yield from self._events()\n        finally:\n"
            "            self._raw_response.close()\n\n    def _events(self):\n        while True:\n"
            "            event_dict = self._extra_event()"
        ),
    ),
    Mutation(
        id="us2-error-debug-url-dropped",
        story="US2",
        what="CozeAPIError no longer keeps the debug_url of a failed workflow run",
        file="exception.py",
        find="        self.debug_url = debug_url",
        replace="        self.debug_url = None",
    ),
    Mutation(
        id="us2-error-code-not-an-int",
        story="US2",
        what="an error code the service sends as a string stays a string in CozeAPIError",
        file="request.py",
        find='return int(body["code"]), body["msg"], debug_url, body.get(data_field)',
        replace='return body["code"], body["msg"], debug_url, body.get(data_field)',
    ),
    Mutation(
        id="us2-users-me-path",
        story="US2",
        what="users.me asks for /v1/user/me",
        file="users/__init__.py",
        find='    def me(self, **kwargs) -> User:\n        url = f"{self._base_url}/v1/users/me"',
        replace='    def me(self, **kwargs) -> User:\n        url = f"{self._base_url}/v1/user/me"',
    ),
    Mutation(
        id="us2-workspaces-page-size",
        story="US2",
        what="workspaces.list asks for pages of 50 by default",
        file="workspaces/__init__.py",
        find="        page_size: int = 20,\n        **kwargs,\n    ) -> NumberPaged[Workspace]:",
        replace="        page_size: int = 50,\n        **kwargs,\n    ) -> NumberPaged[Workspace]:",
    ),
    Mutation(
        id="us2-upload-part-renamed",
        story="US2",
        what="files.upload sends the file in the part `data` instead of `file`",
        file="files/__init__.py",
        find=(
            '        files = {"file": _try_fix_file(file)}\n'
            '        return self._requester.request("post", url, False, File, files=files)'
        ),
        replace=(
            '        files = {"data": _try_fix_file(file)}\n'
            '        return self._requester.request("post", url, False, File, files=files)'
        ),
    ),
    Mutation(
        id="us2-upload-closes-file",
        story="US2",
        what="files.upload closes the file it opened once the upload is sent (the open bug fixed)",
        file="files/__init__.py",
        find=(
            '        files = {"file": _try_fix_file(file)}\n'
            '        return self._requester.request("post", url, False, File, files=files)'
        ),
        replace=(
            '        files = {"file": _try_fix_file(file)}\n'
            '        try:\n            return self._requester.request("post", url, False, File, files=files)\n'
            '        finally:\n            getattr(files["file"], "close", lambda: None)()'
        ),
    ),
    Mutation(
        id="us2-async-stream-closed-when-abandoned",
        story="US2",
        what="an async stream closes its response when the caller stops early or an error event ends it",
        file="model.py",
        find="    async def __stream__(self) -> AsyncIterator[T]:\n        data = self._make_data()",
        replace=(
            "    async def __stream__(self) -> AsyncIterator[T]:\n        try:\n"
            "            async for event in self._events():\n                yield event\n        finally:\n"
            "            await self._raw_response.aclose()\n\n"
            "    async def _events(self) -> AsyncIterator[T]:\n        data = self._make_data()"
        ),
    ),
)
