"""The fake's users, workspaces and files endpoints answer as the service does, and reject what it rejects.

Plain httpx against the fake (cozepy sends these requests well-formed; the stories in
``tests/us2_client/test_account.py`` check that): the answers' shapes, paging, the 4000s and 4200s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from coze_compat.fake import envelope, files
from coze_compat.fake.server import TOKEN, FakeCoze, UnexpectedRequestError
from coze_compat.fake.workspaces import WorkspaceRecord

BASE = "https://api.coze.com"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN) as started:
        yield started


def assert_rejected(fake: FakeCoze, response: httpx.Response, reason: str) -> None:
    assert (response.json()["code"], response.json()["msg"]) == (
        envelope.BAD_REQUEST[0],
        f"{envelope.BAD_REQUEST[1]}: {reason}",
    )
    with pytest.raises(UnexpectedRequestError, match=re.escape(reason)):
        fake.verify()


def test_users_me_answers_the_current_user(fake: FakeCoze) -> None:
    """Given the fake's current user,
    When /v1/users/me is asked,
    Then the envelope's data is that user's four fields."""
    fake.users.me()

    body = httpx.get(f"{BASE}/v1/users/me", headers=AUTH).json()

    assert body["data"] == {
        "user_id": fake.users.current.user_id,
        "user_name": fake.users.current.user_name,
        "nick_name": fake.users.current.nick_name,
        "avatar_url": fake.users.current.avatar_url,
    }
    fake.verify()


def test_workspaces_page_by_number_and_size(fake: FakeCoze) -> None:
    """Given three workspaces,
    When the second page of size 2 is asked for,
    Then it holds the third workspace and the total count is 3."""
    for number in range(3):
        fake.workspaces.add(WorkspaceRecord(f"74876004423701000{number}", f"space {number}"))
    fake.workspaces.list()

    data = httpx.get(f"{BASE}/v1/workspaces", params={"page_num": "2", "page_size": "2"}, headers=AUTH).json()["data"]

    assert ([workspace["id"] for workspace in data["workspaces"]], data["total_count"]) == (
        ["748760044237010002"],
        3,
    )
    assert set(data["workspaces"][0]) == {"id", "name", "icon_url", "role_type", "enterprise_id", "workspace_type"}
    fake.verify()


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"page_num": "0"}, "page_num=0: must be >= 1"),
        ({"page_size": "51"}, "page_size=51: must be between 1 and 50"),
        ({"page_size": "many"}, "page_size must be an integer, got 'many'"),
    ],
    ids=["page-zero", "page-too-large", "not-a-number"],
)
def test_workspaces_reject_bad_paging(fake: FakeCoze, params: dict[str, str], reason: str) -> None:
    """Given the workspace list,
    When the page number or size is out of the service's range,
    Then the answer is 4000 naming the parameter, and verify() reports it."""
    fake.workspaces.list()

    response = httpx.get(f"{BASE}/v1/workspaces", params=params, headers=AUTH)

    assert_rejected(fake, response, reason)


def test_uploaded_file_can_be_retrieved(fake: FakeCoze) -> None:
    """Given a file uploaded as a multipart form,
    When it is retrieved by the id the upload answered,
    Then both answers are the same File: id, size in bytes, name and upload time."""
    fake.files.upload()
    fake.files.retrieve()

    uploaded = httpx.post(f"{BASE}/v1/files/upload", files={"file": ("a.txt", b"hello")}, headers=AUTH).json()["data"]
    retrieved = httpx.get(f"{BASE}/v1/files/retrieve", params={"file_id": uploaded["id"]}, headers=AUTH).json()["data"]

    assert (
        uploaded
        == retrieved
        == {
            "id": uploaded["id"],
            "bytes": 5,
            "file_name": "a.txt",
            "created_at": fake.files.now,
        }
    )
    assert fake.files.records[uploaded["id"]].content == b"hello"
    fake.verify()


def test_upload_without_a_file_part_is_rejected(fake: FakeCoze) -> None:
    """Given the upload endpoint,
    When the form carries the file under another name,
    Then the answer is 4000 and verify() says the part ``file`` is missing."""
    fake.files.upload()

    response = httpx.post(f"{BASE}/v1/files/upload", files={"image": ("a.png", b"x")}, headers=AUTH)

    assert_rejected(fake, response, "files.upload: missing body field(s) file")


def test_retrieve_unknown_file_is_not_found(fake: FakeCoze) -> None:
    """Given no file with the id,
    When it is retrieved,
    Then the answer is the service's 4200 naming the id."""
    fake.files.retrieve()

    body = httpx.get(f"{BASE}/v1/files/retrieve", params={"file_id": "404"}, headers=AUTH).json()

    assert (body["code"], body["msg"]) == (envelope.NOT_FOUND[0], f"{envelope.NOT_FOUND[1]}: file {{'file_id': '404'}}")
    fake.verify()


def test_upload_over_the_size_limit_is_rejected(fake: FakeCoze, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given the service's upload size limit (512 MB; 4 bytes here),
    When a larger file is uploaded,
    Then the answer is 4000 naming the size."""
    monkeypatch.setattr(files, "MAX_BYTES", 4)
    fake.files.upload()

    response = httpx.post(f"{BASE}/v1/files/upload", files={"file": ("a.txt", b"hello")}, headers=AUTH)

    assert_rejected(fake, response, "files.upload: 5 bytes is over the 512 MB limit")
