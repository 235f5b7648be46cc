"""The event streams the fake writes, in every form the stories run through."""

from __future__ import annotations

import httpx
import pytest

from coze_compat.fake import sse

EVENTS = (
    sse.SSEEvent("conversation.message.delta", {"content": "你好"}),
    sse.SSEEvent("done", '"[DONE]"'),
)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            sse.SSEStyle("compact"),
            'event:conversation.message.delta\ndata:{"content":"你好"}\n\nevent:done\ndata:"[DONE]"\n\n',
        ),
        (
            sse.SSEStyle("spaced", space_after_colon=True),
            'event: conversation.message.delta\ndata: {"content":"你好"}\n\nevent: done\ndata: "[DONE]"\n\n',
        ),
        (
            sse.SSEStyle("no-blank-lines", blank_line=False),
            'event:conversation.message.delta\ndata:{"content":"你好"}\nevent:done\ndata:"[DONE]"\n',
        ),
        (
            sse.SSEStyle("crlf", line_end="\r\n"),
            'event:conversation.message.delta\r\ndata:{"content":"你好"}\r\n\r\nevent:done\r\ndata:"[DONE]"\r\n\r\n',
        ),
    ],
    ids=lambda value: value.name if isinstance(value, sse.SSEStyle) else "",
)
def test_encode_writes_each_form(style: sse.SSEStyle, expected: str) -> None:
    """Given chat events and a stream form,
    When they are encoded,
    Then the bytes are exactly that form, UTF-8, JSON compact and unescaped."""
    assert sse.encode(EVENTS, style).decode("utf-8") == expected


def test_workflow_events_carry_an_id_line() -> None:
    """Given a workflow event with an id,
    When it is encoded,
    Then the id line comes first, as in the service's three-line events."""
    payload = sse.encode([sse.SSEEvent("Done", {}, id=6)], sse.SSEStyle("spaced", space_after_colon=True))

    assert payload == b"id: 6\nevent: Done\ndata: {}\n\n"


def test_split_cuts_anywhere_including_inside_a_character() -> None:
    """Given a payload with multi-byte characters,
    When it is split into 7-byte chunks, and into single bytes,
    Then the chunks join back to the payload, and single bytes cut inside a character."""
    payload = sse.encode(EVENTS)

    chunks = sse.split(payload, 7)
    single = sse.split(payload, 1)

    assert b"".join(chunks) == b"".join(single) == payload
    assert all(len(chunk) == 7 for chunk in chunks[:-1])
    assert any(not _decodes(chunk) for chunk in single)
    assert sse.split(payload, None) == (payload,)
    assert sse.split(b"", 7) == (b"",)


def _decodes(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_event_stream_response_is_read_in_chunks_sync() -> None:
    """Given an event stream split into 7-byte reads,
    When a sync client reads it,
    Then it sees the event-stream content type, the log id, and the chunks one by one."""
    response = sse.EventStream(EVENTS, sse.SSEStyle("split", chunk_size=7)).to_response("L")

    chunks = list(response.iter_raw())

    assert (response.headers["content-type"], response.headers["x-tt-logid"]) == ("text/event-stream", "L")
    assert chunks == list(sse.split(sse.encode(EVENTS), 7))


@pytest.mark.anyio
async def test_event_stream_response_is_read_in_chunks_async() -> None:
    """Given an event stream split into 7-byte reads,
    When an async client reads it,
    Then the chunks arrive one by one."""
    response = sse.EventStream(EVENTS, sse.SSEStyle("split", chunk_size=7)).to_response("L")

    chunks = [chunk async for chunk in response.aiter_raw()]

    assert chunks == list(sse.split(sse.encode(EVENTS), 7))


def test_raw_stream_and_missing_content_type() -> None:
    """Given a malformed raw stream without a content type,
    When it becomes a response,
    Then the raw bytes are sent as they are and no content type is set."""
    response = sse.EventStream(raw=b"event:x\n", content_type=None).to_response("L")

    assert (response.read(), response.headers.get("content-type")) == (b"event:x\n", None)
    assert isinstance(response, httpx.Response)


def test_the_styles_the_stories_run_through() -> None:
    """Given the list of stream forms,
    When the stories parametrize over it,
    Then it holds the five documented forms under readable ids."""
    assert sse.STYLE_IDS == ("compact", "spaced", "no-blank-lines", "crlf", "split-7-bytes")
    assert sse.DEFAULT_STYLE.name == "compact"
