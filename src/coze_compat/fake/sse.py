"""Server-sent events as the Coze service writes them, in every form cozepy must accept.

Chat streams carry two lines per event (``event:``, ``data:``); workflow streams three (``id:``,
``event:``, ``data:``) (coze-wire-format.md sections 2e and 4b). The docs' examples differ in
form: with or without a space after the colon, a blank line between events; a proxy may turn
line ends into CRLF, and the network splits the bytes anywhere, also inside a line or inside a
multi-byte character. ``SSEStyle`` names one such form and ``STYLES`` lists those the stories
run through.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterator, Sequence

import httpx

from coze_compat.fake.envelope import EVENT_STREAM_TYPE, LOGID_HEADER, Reply


@dataclass(frozen=True)
class SSEEvent:
    """One event; ``data`` is sent as is when it is a ``str``, else as compact JSON."""

    event: str
    data: Any
    id: int | None = None

    def data_text(self) -> str:
        """The ``data:`` line's text."""
        if isinstance(self.data, str):
            return self.data
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class SSEStyle:
    """How events are written on the wire."""

    name: str
    space_after_colon: bool = False
    line_end: str = "\n"
    blank_line: bool = True
    chunk_size: int | None = None


#: The forms every stream story runs through.
STYLES: tuple[SSEStyle, ...] = (
    # The chat_v3 docs' example and cozepy's own fixtures: `event:x`, blank line between events.
    SSEStyle("compact"),
    # The docs' overview: `event: x` / `data: {...}`.
    SSEStyle("spaced", space_after_colon=True),
    # No blank lines: cozepy delimits events by field count, not by blank lines.
    SSEStyle("no-blank-lines", blank_line=False),
    # CRLF line ends, as a proxy may rewrite them.
    SSEStyle("crlf", line_end="\r\n", space_after_colon=True),
    # Tiny network chunks: lines, JSON and multi-byte characters split across reads.
    SSEStyle("split-7-bytes", chunk_size=7),
)
STYLE_IDS = tuple(style.name for style in STYLES)
DEFAULT_STYLE = STYLES[0]


def encode(events: Sequence[SSEEvent], style: SSEStyle = DEFAULT_STYLE) -> bytes:
    """The bytes of ``events`` written in ``style``."""
    separator = ": " if style.space_after_colon else ":"
    lines = []
    for event in events:
        if event.id is not None:
            lines.append(f"id{separator}{event.id}")
        lines.append(f"event{separator}{event.event}")
        lines.append(f"data{separator}{event.data_text()}")
        if style.blank_line:
            lines.append("")
    return "".join(line + style.line_end for line in lines).encode("utf-8")


def split(payload: bytes, size: int | None) -> tuple[bytes, ...]:
    """``payload`` cut into network chunks of ``size`` bytes (one chunk when ``size`` is None)."""
    if size is None or not payload:
        return (payload,)
    return tuple(payload[start : start + size] for start in range(0, len(payload), size))


class ChunkStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in separate reads, for both sync and async clients."""

    def __init__(self, chunks: Sequence[bytes]) -> None:
        self._chunks = tuple(chunks)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


@dataclass(frozen=True)
class EventStream(Reply):
    """A ``text/event-stream`` reply. ``raw`` replaces the encoded events (for malformed streams)."""

    events: tuple[SSEEvent, ...] = ()
    style: SSEStyle = DEFAULT_STYLE
    raw: bytes | None = None
    content_type: str | None = EVENT_STREAM_TYPE

    def payload(self) -> bytes:
        """The bytes sent: ``raw``, or the events encoded in ``style``."""
        return self.raw if self.raw is not None else encode(self.events, self.style)

    def to_response(self, logid: str) -> httpx.Response:
        headers: dict[str, str] = {LOGID_HEADER: logid}
        if self.content_type is not None:
            headers["content-type"] = self.content_type
        return httpx.Response(200, headers=headers, stream=ChunkStream(split(self.payload(), self.style.chunk_size)))
