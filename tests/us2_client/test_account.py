"""US2, the calls a backend makes beside its chats and workflows: who am I, my workspaces, files.

A backend checks its token at start-up (``users.me``), finds the workspace its bots live in
(``workspaces.list``), and uploads the files its users send before it puts them in a message
(``files.upload``, then ``files.retrieve`` for their metadata). Checked through the installed
cozepy against the fake (``coze_compat.fake.users``, ``workspaces``, ``files``), sync and async:

* ``users.me``: ``GET /v1/users/me`` with the token and nothing else; the user's id, names and
  avatar (offered from 0.11.0, coze-dev/coze-py#177);
* ``workspaces.list``: ``GET /v1/workspaces?page_num=1&page_size=20``; each workspace's id, name,
  icon, role and type, and its enterprise where offered (0.17.0);
* ``files.upload``: a ``multipart/form-data`` POST with the file in the part ``file``, by path
  (every release) or as bytes (from 0.9.0); the File the service answers; ``files.retrieve`` by id.

Known break: a file uploaded by path is opened by cozepy and never closed (``open(file, "rb")``
in ``files.upload``, from 0.9.0 ``_try_fix_file``): every release up to 0.20.0
(``bugs.client.UPLOAD_LEAVES_FILE_OPEN``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any, Callable, Iterator

import cozepy
import pytest

from coze_compat import bugs, capabilities
from coze_compat.fake.files import FileRecord
from coze_compat.fake.requests import CozeRequest
from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workspaces import WorkspaceRecord

#: The installed cozepy, typed ``Any``: for names that only some releases have.
SDK: Any = cozepy

HOST = "api.coze.com"
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # binary, with CR/LF bytes a text upload would mangle
LEAVES_FILE_OPEN = pytest.mark.known_break(bugs.client.UPLOAD_LEAVES_FILE_OPEN)


def assert_get(request: CozeRequest, path: str, query: dict[str, str], token: str) -> None:
    """One GET of ``path`` on api.coze.com with exactly ``query``, the token, and no body."""
    assert (request.method, request.host, request.path, request.flat_query(), request.body) == (
        "GET",
        HOST,
        path,
        query,
        None,
    )
    assert request.headers["authorization"] == f"Bearer {token}"


def user_view(user: Any) -> tuple[str, str, str, str]:
    return (user.user_id, user.user_name, user.nick_name, user.avatar_url)


def workspace_view(workspace: Any) -> tuple[str, ...]:
    """What a backend reads of a workspace (its enterprise where the release has the field)."""
    view: tuple[Any, ...] = (
        workspace.id,
        workspace.name,
        workspace.icon_url,
        workspace.role_type,
        workspace.workspace_type,
    )
    if capabilities.offers("workspace_enterprise_id"):
        view = (*view, workspace.enterprise_id)
    return view


def expected_workspace(record: WorkspaceRecord) -> tuple[str, ...]:
    view: tuple[str, ...] = (record.id, record.name, record.icon_url, record.role_type, record.workspace_type)
    return (*view, record.enterprise_id) if capabilities.offers("workspace_enterprise_id") else view


def file_view(file: Any) -> tuple[str, int | None, str | None, int | None]:
    return (file.id, file.bytes, file.file_name, file.created_at)


def expected_file(record: FileRecord) -> tuple[str, int, str, int]:
    return (record.id, len(record.content), record.file_name, record.created_at)


def assert_upload(request: CozeRequest, file_name: str, content: bytes, token: str) -> None:
    """One multipart POST to /v1/files/upload carrying exactly this file in the part ``file``."""
    assert (request.method, request.host, request.path, request.flat_query()) == ("POST", HOST, "/v1/files/upload", {})
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.headers["authorization"] == f"Bearer {token}"
    assert {name: (part.filename, part.content) for name, part in request.files.items()} == {
        "file": (file_name, content)
    }
    assert request.body == {}


@pytest.fixture
def workspaces(coze_api: FakeCoze, mock_workspace_id: str) -> list[WorkspaceRecord]:
    """A personal workspace the user owns and an enterprise team workspace they are a member of."""
    return [
        coze_api.workspaces.add(WorkspaceRecord(mock_workspace_id, "Personal", "owner", "personal")),
        coze_api.workspaces.add(
            WorkspaceRecord("7487600442370100000", "Support team", "member", "team", enterprise_id="volcano_2105850")
        ),
    ]


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "receipt.png"
    path.write_bytes(PHOTO)
    return path


@pytest.fixture
def opened_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[IO[bytes]]]:
    """The files cozepy's files module opens (its module-level ``open`` is the builtin's, recorded);
    closed after the test, so that a handle the release leaves open cannot warn in a later test."""
    opened: list[IO[bytes]] = []

    def recording_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = open(file, mode, *args, **kwargs)  # noqa: SIM115 - the handle is what the test inspects
        opened.append(handle)
        return handle

    monkeypatch.setattr("cozepy.files.open", recording_open, raising=False)
    yield opened
    for handle in opened:
        handle.close()


class TestUsers:
    @pytest.mark.needs("users_me")
    def test_users_me(self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str) -> None:
        """Given the token of a user,
        When the backend asks who it is,
        Then one GET of /v1/users/me is sent and the user's id, names and avatar come back with the log id."""
        coze_api.users.me()

        user = coze.users.me()

        assert_get(coze_api.last_request(), "/v1/users/me", {}, mock_coze_api_token)
        assert user_view(user) == user_view(coze_api.users.current)
        assert user.response.logid == coze_api.sdk_logid()

    @pytest.mark.needs("async_client", "users_me")
    @pytest.mark.anyio
    async def test_async_users_me(self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str) -> None:
        """Given the token of a user,
        When the backend asks who it is through ``AsyncCoze``,
        Then one GET of /v1/users/me is sent and the user comes back."""
        coze_api.users.me()

        user = await async_coze.users.me()

        assert_get(coze_api.last_request(), "/v1/users/me", {}, mock_coze_api_token)
        assert user_view(user) == user_view(coze_api.users.current)


class TestWorkspaces:
    def test_list_workspaces(
        self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str, workspaces: list[WorkspaceRecord]
    ) -> None:
        """Given a user in a personal and a team workspace,
        When the backend lists its workspaces,
        Then the first page (20) is asked for and both come back with id, name, icon, role, type and enterprise."""
        coze_api.workspaces.list()

        page = coze.workspaces.list()

        assert_get(coze_api.last_request(), "/v1/workspaces", {"page_num": "1", "page_size": "20"}, mock_coze_api_token)
        assert [workspace_view(workspace) for workspace in page.items] == [
            expected_workspace(record) for record in workspaces
        ]

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_workspaces(
        self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str, workspaces: list[WorkspaceRecord]
    ) -> None:
        """Given a user in a personal and a team workspace,
        When the backend lists its workspaces through ``AsyncCoze``,
        Then the first page is asked for and both come back."""
        coze_api.workspaces.list()

        page = await async_coze.workspaces.list()

        assert_get(coze_api.last_request(), "/v1/workspaces", {"page_num": "1", "page_size": "20"}, mock_coze_api_token)
        assert [workspace_view(workspace) for workspace in page.items] == [
            expected_workspace(record) for record in workspaces
        ]


def upload_by_path(client: Any, path: Path) -> Any:
    return client.files.upload(file=path)


def upload_as_bytes(client: Any, path: Path) -> Any:
    return client.files.upload(file=(path.name, path.read_bytes()))


UPLOADS = [
    pytest.param(upload_by_path, id="path"),
    pytest.param(upload_as_bytes, id="name-and-bytes", marks=pytest.mark.needs("file_upload_content")),
]


class TestFiles:
    @pytest.mark.parametrize("upload", UPLOADS)
    @pytest.mark.usefixtures(
        "opened_files"
    )  # closes what the release leaves open (test_upload_by_path_closes_the_file)
    def test_upload_file(
        self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str, photo: Path, upload: Callable[..., Any]
    ) -> None:
        """Given a binary file a user sent (a PNG with CR/LF bytes),
        When the backend uploads it (by path, or as a name and bytes),
        Then one multipart POST carries exactly its name and bytes, and the service's File comes back."""
        coze_api.files.upload()

        uploaded = upload(coze, photo)

        assert_upload(coze_api.last_request(), photo.name, PHOTO, mock_coze_api_token)
        (record,) = coze_api.files.records.values()
        assert file_view(uploaded) == expected_file(record)

    @pytest.mark.parametrize("upload", UPLOADS)
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    @pytest.mark.usefixtures("opened_files")
    async def test_async_upload_file(
        self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str, photo: Path, upload: Callable[..., Any]
    ) -> None:
        """Given a binary file a user sent,
        When the backend uploads it through ``AsyncCoze``,
        Then one multipart POST carries exactly its name and bytes, and the File comes back."""
        coze_api.files.upload()

        uploaded = await upload(async_coze, photo)

        assert_upload(coze_api.last_request(), photo.name, PHOTO, mock_coze_api_token)
        (record,) = coze_api.files.records.values()
        assert file_view(uploaded) == expected_file(record)

    @LEAVES_FILE_OPEN
    def test_upload_by_path_closes_the_file(
        self, coze_api: FakeCoze, coze: Any, photo: Path, opened_files: list[IO[bytes]]
    ) -> None:
        """Given a file the backend uploads by its path,
        When the upload has returned,
        Then the file cozepy opened to read it is closed again."""
        coze_api.files.upload()

        coze.files.upload(file=photo)

        assert [(Path(handle.name).name, handle.closed) for handle in opened_files] == [(photo.name, True)]

    @pytest.mark.needs("file_upload_content")
    def test_upload_file_object(self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str) -> None:
        """Given an in-memory file object (a name and bytes, as a web framework hands an upload over),
        When the backend uploads it,
        Then the multipart part carries its bytes, and its name."""
        coze_api.files.upload()
        handle = io.BytesIO(PHOTO)
        handle.name = "camera/receipt.png"

        coze.files.upload(file=handle)

        assert_upload(coze_api.last_request(), "receipt.png", PHOTO, mock_coze_api_token)

    def test_retrieve_file(self, coze_api: FakeCoze, coze: Any, mock_coze_api_token: str) -> None:
        """Given a file uploaded earlier,
        When the backend retrieves it by id,
        Then one GET of /v1/files/retrieve?file_id= is sent and its metadata comes back."""
        record = coze_api.files.add("receipt.png", PHOTO)
        coze_api.files.retrieve()

        file = coze.files.retrieve(file_id=record.id)

        assert_get(coze_api.last_request(), "/v1/files/retrieve", {"file_id": record.id}, mock_coze_api_token)
        assert file_view(file) == expected_file(record)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_retrieve_file(self, coze_api: FakeCoze, async_coze: Any, mock_coze_api_token: str) -> None:
        """Given a file uploaded earlier,
        When the backend retrieves it by id through ``AsyncCoze``,
        Then its metadata comes back."""
        record = coze_api.files.add("receipt.png", PHOTO)
        coze_api.files.retrieve()

        file = await async_coze.files.retrieve(file_id=record.id)

        assert_get(coze_api.last_request(), "/v1/files/retrieve", {"file_id": record.id}, mock_coze_api_token)
        assert file_view(file) == expected_file(record)
