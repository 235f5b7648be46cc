"""Bugs of the client itself: configuration, transport, errors (US1, US2)."""

from __future__ import annotations

from coze_compat.bugs import Bug

TIMEOUT_IGNORED = Bug(
    "timeout-ignored",
    "the HTTP client's timeout (custom or the SDK's 600 s default) is ignored: a stalled connection hangs forever",
    "<0.6.0",
    "cozepy builds `httpx.Request` itself and passes it to `client.send()` (request.py `send`, model.py "
    "`HTTPRequest.as_httpx`), and the httpx 0.24 these releases require applies a client's timeout only in "
    "`build_request()`, so requests carry no timeout at all",
    fixed_by="the httpx 0.27 requirement of 0.6.0 (coze-dev/coze-py#74)",
)
TRAILING_SLASH = Bug(
    "base-url-trailing-slash",
    "a base_url ending in '/' breaks every request (paths start with '//')",
    "<0.7.0",
    "every client builds `f'{base_url}/v1/...'` from the base URL as given; `remove_url_trailing_slash` arrived "
    "in 0.7.0",
    fixed_by="coze-dev/coze-py#109",
)

API_ERROR_DEBUG_URL_LOST = Bug(
    "api-error-debug-url-lost",
    "the `debug_url` of a failed call (the trace of the failed workflow run) is discarded",
    "<0.16.1",
    "`Requester._parse_requests_code_msg` (request.py) keeps only the code, msg and data of an error body, and "
    "`CozeAPIError` (exception.py) has no `debug_url`",
    fixed_by="coze-dev/coze-py#242",
    capability="api_error_debug_url",
)
UPLOAD_LEAVES_FILE_OPEN = Bug(
    "upload-leaves-file-open",
    "`files.upload(file=path)` opens the file and never closes it (a leaked file descriptor per upload; "
    "ResourceWarning)",
    ">=0.2.0",
    "`FilesClient.upload` (files/__init__.py) passes `open(file, 'rb')` (from 0.9.0 `_try_fix_file`) to the "
    "request and nothing closes it after the upload",
)
JWT_ID_FROM_SEEDED_RANDOM = Bug(
    "jwt-id-from-seeded-random",
    "a service app whose process seeds Python's `random` (`random.seed(...)`) signs JWTs with repeated ids, "
    "and the service refuses every JWT after the first as replayed: no access token",
    "<0.20.0",
    "the JWT OAuth app's `_gen_jwt` (auth/__init__.py) sets `jti` to `random_hex(16)`, which is "
    "`random.choice` over the process's global `random` (util.py)",
    fixed_by="coze-dev/coze-py#322",
)
LOAD_OAUTH_CONFIG_JSON_STRING = Bug(
    "load-oauth-config-json-string",
    "`load_oauth_app_from_config` wants the OAuth app's config as a JSON string, not the dict the config "
    "file holds once read",
    "==0.10.1",
    "`load_oauth_app_from_config(conf: str)` (auth/__init__.py) starts with `json.loads(conf)`; 0.10.2 takes the "
    "config dict",
    fixed_by="coze-dev/coze-py#165",
    not_shown="OAuth config files are outside the stories: no story loads an OAuth app from its config",
)

# -- logging ------------------------------------------------------------------------------------------

LOGGING_CONFIGURES_ROOT = Bug(
    "logging-configures-root-logger",
    "`import cozepy` and `setup_logging` configure the application's root logger: a stderr handler with "
    "cozepy's format is added, and the application's own later `logging.basicConfig` does nothing",
    "<0.13.0",
    "`setup_logging` (log.py) calls `logging.basicConfig(format='[cozepy][%(levelname)s]...')`, and log.py "
    "calls `setup_logging(logging.WARNING)` when it is imported",
    fixed_by="coze-dev/coze-py#183",
    reported=("coze-dev/coze-py#155",),
)
LOGGING_NOT_PROPAGATED = Bug(
    "logging-not-propagated",
    "cozepy's log records never reach the handlers the application configures (root handlers, pytest's "
    "caplog); they go only to cozepy's own stderr handler",
    ">=0.13.0",
    "log.py gives the `cozepy` logger its own `StreamHandler` and sets `logger.propagate = False` (how "
    "coze-dev/coze-py#183 stopped configuring the root logger)",
)

# -- streams and their connections ------------------------------------------------------------------
# httpx hands a connection back to its pool when the response is closed, and closes a response by
# itself once its body has been read to the end. cozepy 0.4.0-0.5.0 read every sync response whole
# before the first event (bugs.chat.SYNC_STREAM_BUFFERED), so their sync streams always release it.

STREAM_DONE_KEEPS_CONNECTION = Bug(
    "stream-done-keeps-connection",
    "a sync chat or workflow stream read to its `done` event never closes its response: the connection is "
    "not reused, and leaked streams exhaust the pool",
    ("<0.4.0", ">=0.6.0,<0.17.0"),
    "at `done` the stream handlers (`_chat_stream_handler` in chat/__init__.py, `_workflow_stream_handler` in "
    "workflows/runs/__init__.py) raise `StopIteration` inside `Stream.__next__` (model.py), which ends the "
    "caller's loop while `response.iter_lines()` is suspended before the end of the body, so httpx never "
    "closes the response",
    fixed_by="coze-dev/coze-py#286",
)
ASYNC_STREAM_DONE_KEEPS_CONNECTION = Bug(
    "async-stream-done-keeps-connection",
    "an async chat or workflow stream read to its `done` event never closes its response",
    ">=0.3.0,<0.17.0",
    "at `done` the stream handlers raise `StopAsyncIteration` (`_chat_stream_handler(..., is_async=True)`, "
    "`_workflow_stream_handler`), and `AsyncStream` (model.py; `__anext__` in 0.3.0, `__stream__` from 0.4.0) "
    "stops there, leaving `response.aiter_lines()` unfinished, so httpx never closes the response",
    fixed_by="coze-dev/coze-py#286",
)
STREAM_ERROR_EVENT_KEEPS_CONNECTION = Bug(
    "stream-error-event-keeps-connection",
    "a sync chat stream ended by an `error` event raises without closing its response",
    ("<0.4.0", ">=0.6.0"),
    "`_chat_stream_handler` (chat/__init__.py) raises `Exception('error event: ...')` from inside the "
    "stream's iteration (`Stream.__next__`, from 0.17.0 `Stream.__iter__`, model.py) and nothing closes "
    "`_raw_response` on the way out",
)
ASYNC_STREAM_ERROR_EVENT_KEEPS_CONNECTION = Bug(
    "async-stream-error-event-keeps-connection",
    "an async chat stream ended by an `error` event raises without closing its response",
    ">=0.3.0",
    "`_chat_stream_handler` (chat/__init__.py) raises `Exception('error event: ...')` from inside "
    "`AsyncStream` (model.py) and nothing closes the response on the way out",
)
STOPPED_STREAM_KEEPS_CONNECTION = Bug(
    "stopped-stream-keeps-connection",
    "a sync stream the caller stops reading early (`break`, an exception in its loop) is never closed, and "
    "the caller has no way to close it",
    ("<0.4.0", ">=0.6.0"),
    "`Stream` (model.py) has no `close()`, no context manager and no `finally` around its iteration; its "
    "response is private (`_raw_response`; `stream.response` is an `HTTPResponse` with only `logid`), so an "
    "abandoned stream keeps its connection until the client is closed",
)
ASYNC_STOPPED_STREAM_KEEPS_CONNECTION = Bug(
    "async-stopped-stream-keeps-connection",
    "an async stream the caller stops reading early (`break`, an exception in its loop) is never closed",
    ">=0.3.0",
    "`AsyncStream` (model.py) has no `aclose()`, no async context manager and no `finally` around its "
    "iteration (not even when asyncio finalizes the dropped stream), and its response is private, so an "
    "abandoned stream keeps its connection until the client is closed",
)

BUGS: tuple[Bug, ...] = (
    TIMEOUT_IGNORED,
    TRAILING_SLASH,
    API_ERROR_DEBUG_URL_LOST,
    UPLOAD_LEAVES_FILE_OPEN,
    JWT_ID_FROM_SEEDED_RANDOM,
    LOAD_OAUTH_CONFIG_JSON_STRING,
    LOGGING_CONFIGURES_ROOT,
    LOGGING_NOT_PROPAGATED,
    STREAM_DONE_KEEPS_CONNECTION,
    ASYNC_STREAM_DONE_KEEPS_CONNECTION,
    STREAM_ERROR_EVENT_KEEPS_CONNECTION,
    ASYNC_STREAM_ERROR_EVENT_KEEPS_CONNECTION,
    STOPPED_STREAM_KEEPS_CONNECTION,
    ASYNC_STOPPED_STREAM_KEEPS_CONNECTION,
)
