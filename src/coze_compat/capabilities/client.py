"""Capabilities of the US1 (install and configure) and US2 (client behaviour) stories."""

from __future__ import annotations

from coze_compat.capabilities import Capability, accepts, has, model_field

CAPABILITIES: tuple[Capability, ...] = (
    Capability("async_client", "AsyncCoze (the async client)", lambda: has("cozepy", "AsyncCoze")),
    Capability(
        "async_token_auth", "AsyncTokenAuth (token auth for AsyncCoze)", lambda: has("cozepy", "AsyncTokenAuth")
    ),
    Capability(
        "sync_http_client_class",
        "SyncHTTPClient (0.2.0 called its client class HTTPClient)",
        lambda: has("cozepy", "SyncHTTPClient"),
    ),
    Capability(
        "result_logid",
        "the log id on results (`result.response.logid`)",
        lambda: has("cozepy.model", "CozeModel", "response"),
    ),
    Capability(
        "client_user_agent_header",
        "the X-Coze-Client-User-Agent header",
        lambda: has("cozepy.version", "coze_client_user_agent"),
    ),
    Capability("users_me", "the current user (`coze.users.me()`)", lambda: has("cozepy.users", "UsersClient")),
    Capability(
        "workspace_enterprise_id",
        "the enterprise of a listed workspace (`Workspace.enterprise_id`)",
        lambda: model_field("cozepy.workspaces", "Workspace", "enterprise_id"),
    ),
    Capability(
        "file_upload_content",
        "uploading bytes, a file object or a (name, bytes) pair, not only a path (`files.upload(file=...)`)",
        lambda: has("cozepy.files", "FileTypes"),
    ),
    Capability(
        "api_error_debug_url",
        "the debug URL of a failed call (`CozeAPIError.debug_url`)",
        lambda: accepts("cozepy.exception", "CozeAPIError", "debug_url"),
    ),
)
