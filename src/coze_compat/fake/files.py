"""Files: ``POST /v1/files/upload`` and ``GET /v1/files/retrieve?file_id=``.

The docs (upload_files, retrieve_files; coze-dev/coze-sdk-gen docs/api-markdown): the upload is a
``multipart/form-data`` body with the file in the part ``file`` (anything else is a 4000), at most
512 MB; both answer the File object ``{"id", "bytes", "file_name", "created_at"}`` (id a string,
``bytes`` and ``created_at`` in seconds integers). The service keeps the file for three months and
never gives it back, only its metadata. An unknown ``file_id`` is 4200.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import MULTIPART_BODY, CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

UPLOAD = Endpoint(
    "files.upload", "POST", r"/v1/files/upload", required_body=("file",), has_body=True, body_kind=MULTIPART_BODY
)
RETRIEVE = Endpoint("files.retrieve", "GET", r"/v1/files/retrieve", required_query=("file_id",))
MAX_BYTES = 512 * 1024 * 1024


@dataclass
class FileRecord:
    """An uploaded file: what the service keeps of it."""

    id: str
    file_name: str
    content: bytes
    created_at: int

    def wire(self) -> dict[str, Any]:
        """The File object: ``id``, ``bytes``, ``file_name``, ``created_at``."""
        return {"id": self.id, "bytes": len(self.content), "file_name": self.file_name, "created_at": self.created_at}


class FilesAPI:
    """The file endpoints of the fake, and the files uploaded to it."""

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, FileRecord] = {}
        self._next_id = 7369495981102022700
        self.now = 1715847583

    def add(self, file_name: str, content: bytes) -> FileRecord:
        """A file already uploaded (for ``retrieve``)."""
        self._next_id += 1
        record = FileRecord(str(self._next_id), file_name, content, self.now)
        self.records[record.id] = record
        return record

    def upload(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/files/upload``."""
        return self._fake.serve(UPLOAD, self._upload, reply)

    def retrieve(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/files/retrieve``."""
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def _upload(self, request: CozeRequest) -> Reply:
        uploaded = request.files["file"]  # required: parse rejects a form without it
        if len(uploaded.content) > MAX_BYTES:
            raise MalformedRequest(f"{UPLOAD.name}: {len(uploaded.content)} bytes is over the 512 MB limit")
        return envelope.ok(self.add(uploaded.filename or "", uploaded.content).wire())

    def _retrieve(self, request: CozeRequest) -> Reply:
        file_id = request.param("file_id") or ""
        record = self.records.get(file_id)
        return not_found("file", {"file_id": file_id}) if record is None else envelope.ok(record.wire())
