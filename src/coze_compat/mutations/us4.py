"""Regressions the US4 stories must catch (chat, streaming, conversations and their messages).

Several are regressions cozepy really had in earlier releases (``conversation_id`` in the body,
every sync request read whole, error envelopes handed to the event parser, unknown events, the
cancel's ids in the query, ``argument`` for ``arguments``, ``object_string`` sent as text, the 4104
race of ``create_and_poll``, enums that reject what they do not know, usage counts required).
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
_SYNC_CANCEL = """        url = f"{self._base_url}/v3/chat/cancel"
        body = {
            "conversation_id": conversation_id,
            "chat_id": chat_id,
        }
        return self._requester.request("post", url, False, Chat, body=body)
"""
_SYNC_SUBMIT = '''        :return:
        """
        url = f"{self._base_url}/v3/chat/submit_tool_outputs"
        params = {
            "conversation_id": conversation_id,
            "chat_id": chat_id,
        }
        body = {
            "tool_outputs": [i.model_dump() for i in tool_outputs],
            "stream": stream,
        }
'''
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
    Mutation(
        "us4-chat-failed-not-a-chat-event",
        "US4",
        "conversation.chat.failed is no longer parsed as a chat event (a failed stream ends in an UNKNOWN event)",
        "chat/__init__.py",
        "        ChatEventType.CONVERSATION_CHAT_FAILED,\n",
        "",
    ),
    Mutation(
        "us4-chat-requires-action-not-a-chat-event",
        "US4",
        "conversation.chat.requires_action is no longer parsed as a chat event (its tool calls are lost)",
        "chat/__init__.py",
        "        ChatEventType.CONVERSATION_CHAT_REQUIRES_ACTION,\n",
        "",
    ),
    Mutation(
        "us4-chat-error-msg-renamed",
        "US4",
        "ChatError.msg renamed message (a failed chat's error message is dropped)",
        "chat/__init__.py",
        '    msg: str = ""',
        '    message: str = ""',
    ),
    Mutation(
        "us4-tool-call-argument",
        "US4",
        "ChatToolCallFunction.arguments renamed argument (cozepy 0.6.0, coze-py#91)",
        "chat/__init__.py",
        "    arguments: str",
        "    argument: str",
    ),
    Mutation(
        "us4-reply-message-tool-call-unknown",
        "US4",
        "ChatToolCallType loses reply_message (cozepy <= 0.13.0)",
        "chat/__init__.py",
        '    REPLY_MESSAGE = "reply_message"\n',
        "",
    ),
    Mutation(
        "us4-canceled-status-unknown",
        "US4",
        "ChatStatus loses canceled (cozepy <= 0.6.2)",
        "chat/__init__.py",
        '    CANCELED = "canceled"\n',
        "",
    ),
    Mutation(
        "us4-cancel-ids-in-query",
        "US4",
        "chat.cancel sends its ids as query parameters instead of the JSON body (cozepy <= 0.7.0, coze-py#128)",
        "chat/__init__.py",
        _SYNC_CANCEL,
        _SYNC_CANCEL.replace("body = {", "params = {").replace("Chat, body=body)", "Chat, params=params)"),
    ),
    Mutation(
        "us4-poll-timeout-4104-not-handled",
        "US4",
        "create_and_poll lets the 4104 of a timeout cancel propagate (cozepy <= 0.16.1, coze-py#244)",
        "chat/__init__.py",
        "if e.code == 4104:",
        "if e.code == 4105:",
    ),
    Mutation(
        "us4-poll-timeout-no-cancel",
        "US4",
        "create_and_poll gives up after poll_timeout without canceling the chat",
        "chat/__init__.py",
        "                    self.cancel(conversation_id=chat.conversation_id, chat_id=chat.id)\n",
        "",
    ),
    Mutation(
        "us4-submit-tool-outputs-stream-flag-dropped",
        "US4",
        "chat.submit_tool_outputs no longer sends its stream flag",
        "chat/__init__.py",
        _SYNC_SUBMIT,
        _SYNC_SUBMIT.replace('            "stream": stream,\n', ""),
    ),
    Mutation(
        "us4-submit-tool-outputs-ids-in-body",
        "US4",
        "chat.submit_tool_outputs sends the conversation and chat ids in the body instead of the query",
        "chat/__init__.py",
        _SYNC_SUBMIT,
        _SYNC_SUBMIT.replace("params = {", "params: dict = {}\n        ids = {").replace(
            "        body = {\n", "        body = {\n            **ids,\n"
        ),
    ),
    Mutation(
        "us4-object-string-as-text",
        "US4",
        "Message.build_user_question_objects marks its content as text (cozepy 0.5.0, coze-py#85)",
        "chat/__init__.py",
        "content_type=MessageContentType.OBJECT_STRING,",
        "content_type=MessageContentType.TEXT,",
    ),
    Mutation(
        "us4-new-chat-leaves-conversation-id-out",
        "US4",
        "a chat without a conversation no longer sends the empty conversation_id (a change of the pinned query)",
        "chat/__init__.py",
        _SYNC_CREATE,
        _SYNC_CREATE.replace(
            'params = {\n            "conversation_id": conversation_id if conversation_id else None,\n        }',
            'params = {"conversation_id": conversation_id} if conversation_id else {}',
        ),
    ),
    Mutation(
        "us4-usage-count-required",
        "US4",
        "ChatUsage.output_count has no default again (a usage without it is rejected: cozepy 0.6.0-0.9.1)",
        "chat/__init__.py",
        "    output_count: int = 0",
        "    output_count: int",
    ),
    Mutation(
        "us4-unknown-enum-value-rejected",
        "US4",
        "DynamicStrEnum no longer keeps a value it does not know (cozepy <= 0.16.2, coze-py#270)",
        "model.py",
        '        warnings.warn(f"Unknown {cls.__name__} value: {value}", UserWarning)\n',
        "        return None\n",
    ),
)
