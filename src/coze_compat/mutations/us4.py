"""Regressions the US4 stories must catch (chat, streaming, conversations and their messages).

Several are regressions cozepy really had in earlier releases (``conversation_id`` in the body,
every sync request read whole, error envelopes handed to the event parser, unknown events).
"""

from __future__ import annotations

from coze_compat.mutations import Mutation

_SYNC_CREATE = '''        Create a chat.
        """
        url = f"{self._base_url}/v3/chat"
        params = {
            "conversation_id": conversation_id if conversation_id else None,
        }
        body = remove_none_values(
            {
                "bot_id": bot_id,
                "user_id": user_id,
                "additional_messages": [i.model_dump() for i in additional_messages] if additional_messages else [],
                "stream": stream,
'''
_SYNC_RETRIEVE = """            "chat_id": chat_id,
        }
        return self._requester.request("post", url, False, Chat, params=params)
"""
_SYNC_CREATE_SIGNATURE = """
    def create(
        self,
        *,
        bot_id: str,
        user_id: str,
        conversation_id: Optional[str] = None,
        additional_messages: Optional[List[Message]] = None,
        custom_variables: Optional[Dict[str, str]] = None,
        auto_save_history: bool = True,
"""
_SYNC_FIELD = """                    return field, line[len(field) + 1 :].strip()
                else:
                    raise CozeInvalidEventError(field, line, self.response.logid)
        raise CozeInvalidEventError("", line, self.response.logid)


class AsyncStream(Generic[T]):
"""
_MESSAGE_EVENTS = """        ChatEventType.CONVERSATION_MESSAGE_DELTA,
        ChatEventType.CONVERSATION_MESSAGE_COMPLETED,
        ChatEventType.CONVERSATION_AUDIO_DELTA,
"""
_CONVERSATION_CREATE = """                "meta_data": meta_data,
                "bot_id": bot_id,
                "name": name,
                "connector_id": connector_id,
            }
        )
        return self._requester.request("post", url, False, Conversation, body=body)
"""
_MESSAGE_LIST = """
    def list(
        self,
        *,
        conversation_id: str,
        order: str = "desc",
"""
_NEXT_MESSAGE_PAGE = """            page: LastIDPaged[T] = LastIDPaged(
                before_id="",
                after_id=last_id or "",
"""

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "us4-chat-conversation-id-in-body",
        "US4",
        "chat.create/stream send conversation_id in the JSON body instead of the query (cozepy <= 0.5.0)",
        "chat/__init__.py",
        _SYNC_CREATE,
        _SYNC_CREATE.replace(
            'params = {\n            "conversation_id": conversation_id if conversation_id else None,\n        }',
            "params: dict = {}",
        ).replace('"bot_id": bot_id,', '"conversation_id": conversation_id,\n                "bot_id": bot_id,'),
    ),
    Mutation(
        "us4-chat-stream-flag-dropped",
        "US4",
        "chat requests no longer carry the stream flag (the service then answers a stream request with JSON)",
        "chat/__init__.py",
        _SYNC_CREATE,
        _SYNC_CREATE.replace('                "stream": stream,\n', ""),
    ),
    Mutation(
        "us4-chat-auto-save-history-off",
        "US4",
        "chat.create defaults auto_save_history to False (the chat is not kept in the conversation)",
        "chat/__init__.py",
        _SYNC_CREATE_SIGNATURE,
        _SYNC_CREATE_SIGNATURE.replace("auto_save_history: bool = True", "auto_save_history: bool = False"),
    ),
    Mutation(
        "us4-chat-retrieve-without-chat-id",
        "US4",
        "chat.retrieve drops chat_id from its query",
        "chat/__init__.py",
        _SYNC_RETRIEVE,
        _SYNC_RETRIEVE.replace('            "chat_id": chat_id,\n', ""),
    ),
    Mutation(
        "us4-poll-stops-early",
        "US4",
        "create_and_poll waits only while the chat is `created`, returning an `in_progress` chat unanswered",
        "chat/__init__.py",
        "        while chat.status == ChatStatus.IN_PROGRESS:",
        "        while chat.status == ChatStatus.CREATED:",
    ),
    Mutation(
        "us4-poll-without-sleep",
        "US4",
        "create_and_poll polls without sleeping between retrieves (hammering the API)",
        "chat/__init__.py",
        "            time.sleep(interval)",
        "            pass",
    ),
    Mutation(
        "us4-stream-error-event-swallowed",
        "US4",
        "a chat stream's error event is dropped silently instead of raised",
        "chat/__init__.py",
        '        raise Exception(f"error event: {event_data}")  # TODO: error struct format',
        "        return None",
    ),
    Mutation(
        "us4-stream-delta-not-a-message",
        "US4",
        "conversation.message.delta is no longer parsed as a message (it becomes an UNKNOWN event)",
        "chat/__init__.py",
        _MESSAGE_EVENTS,
        _MESSAGE_EVENTS.replace("        ChatEventType.CONVERSATION_MESSAGE_DELTA,\n", ""),
    ),
    Mutation(
        "us4-stream-unknown-event-raises",
        "US4",
        "an unknown stream event ends the stream with ValueError (cozepy <= 0.15.0)",
        "chat/__init__.py",
        "        event = ChatEvent(event=ChatEventType.UNKNOWN, unknown=data)",
        '        raise ValueError(f"invalid chat.event: {event}, {data}")',
    ),
    Mutation(
        "us4-usage-token-count-renamed",
        "US4",
        "ChatUsage.token_count renamed total_tokens (the service's token_count is then dropped)",
        "chat/__init__.py",
        "    token_count: int = 0",
        "    total_tokens: int = 0",
    ),
    Mutation(
        "us4-sse-needs-space-after-colon",
        "US4",
        "the SSE parser assumes a space after `field:` (breaks `event:x` streams)",
        "model.py",
        _SYNC_FIELD,
        _SYNC_FIELD.replace("line[len(field) + 1 :].strip()", "line[len(field) + 2 :]"),
    ),
    Mutation(
        "us4-sse-blank-line-is-an-event",
        "US4",
        "the SSE parser no longer skips the blank lines between events",
        "model.py",
        '            if line == "":\n                continue\n\n            log_debug("receive event',
        '            log_debug("receive event',
    ),
    Mutation(
        "us4-sync-stream-read-whole",
        "US4",
        "sync requests are sent with stream=False, so a chat stream is read whole before any event (cozepy 0.4-0.5)",
        "request.py",
        "response=self.sync_client.send(request.as_httpx, stream=request.stream),",
        "response=self.sync_client.send(request.as_httpx, stream=False),",
    ),
    Mutation(
        "us4-stream-error-envelope-unchecked",
        "US4",
        "a JSON error reply to a stream request is handed to the SSE parser instead of raised (cozepy <= 0.5.0)",
        "request.py",
        '        if stream and "event-stream" in resp_content_type:\n            return IteratorHTTPResponse(',
        "        if stream:\n            return IteratorHTTPResponse(",
    ),
    Mutation(
        "us4-conversation-meta-data-dropped",
        "US4",
        "conversations.create no longer sends meta_data",
        "conversations/__init__.py",
        _CONVERSATION_CREATE,
        _CONVERSATION_CREATE.replace('                "meta_data": meta_data,\n', ""),
    ),
    Mutation(
        "us4-message-list-oldest-first",
        "US4",
        "conversations.messages.list defaults to order=asc instead of desc",
        "conversations/message/__init__.py",
        _MESSAGE_LIST,
        _MESSAGE_LIST.replace('order: str = "desc"', 'order: str = "asc"'),
    ),
    Mutation(
        "us4-message-paging-goes-back",
        "US4",
        "iterating message pages asks for the next page with before_id instead of after_id",
        "model.py",
        _NEXT_MESSAGE_PAGE,
        _NEXT_MESSAGE_PAGE.replace('before_id="",', 'before_id=last_id or "",').replace(
            'after_id=last_id or "",', 'after_id="",'
        ),
    ),
)
