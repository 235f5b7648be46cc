"""Regressions the US5 stories (workflow runs, streams, resumes, run histories, workflow chat) must catch.

Several are the behaviour of an older release brought back (the known breaks of US5): the resume
body's ``id`` (0.10.0-0.13.1), the missing empty-``error_code`` validator (0.7.0-0.13.1), ``PING``
raising (before 0.16.2), the sync ``read()`` of an async error reply (before 0.17.0), the error's
lost ``debug_url`` (before 0.16.1), the required ``error_message`` (0.7.0-0.10.2), the stream
without ``app_id`` (before 0.12.0). One is the fix of an open bug (an optional
``is_output_trimmed``): the strict xfail that shows the bug must then fail.
"""

from __future__ import annotations

from coze_compat.mutations import Mutation

RUNS = "workflows/runs/__init__.py"
RUN_HISTORIES = "workflows/runs/run_histories/__init__.py"
CHAT = "workflows/chat/__init__.py"
#: The end of the sync workflow chat's body (the async one assigns ``resp``).
CHAT_BODY_END = (
    '                "ext": ext,\n            }\n        )\n'
    '        headers: Optional[dict] = kwargs.get("headers")\n        response: IteratorHTTPResponse[str]'
)
SYNC_ERROR_RAISE = (
    "        code, msg, debug_url, data = self._parse_requests_code_msg(method, url, response, data_field)\n\n"
    "        if code is not None and code > 0:\n"
    '            log_warning("request %s#%s failed, logid=%s, code=%s, msg=%s", method, url, logid, code, msg)\n'
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        id="us5-run-is-async-default-true",
        story="US5",
        what="workflows.runs.create runs asynchronously unless told otherwise (is_async defaults to True)",
        file=RUNS,
        find=(
            "    def create(\n        self,\n        *,\n        workflow_id: str,\n"
            "        parameters: Optional[Dict[str, Any]] = None,\n        bot_id: Optional[str] = None,\n"
            "        app_id: Optional[str] = None,\n        is_async: bool = False,"
        ),
        replace=(
            "    def create(\n        self,\n        *,\n        workflow_id: str,\n"
            "        parameters: Optional[Dict[str, Any]] = None,\n        bot_id: Optional[str] = None,\n"
            "        app_id: Optional[str] = None,\n        is_async: bool = True,"
        ),
    ),
    Mutation(
        id="us5-stream-ext-renamed",
        story="US5",
        what="workflows.runs.stream sends ext as `extra`",
        file=RUNS,
        find='            "ext": ext,\n        }\n        resp: IteratorHTTPResponse[str] = self._requester',
        replace='            "extra": ext,\n        }\n        resp: IteratorHTTPResponse[str] = self._requester',
    ),
    Mutation(
        id="us5-resume-event-id-as-id",
        story="US5",
        what="workflows.runs.resume sends the interrupt's event id as `id` (as 0.10.0-0.13.1 did)",
        file=RUNS,
        find=(
            '            "event_id": event_id,\n            "resume_data": resume_data,\n'
            '            "interrupt_type": interrupt_type,\n        }\n        resp: IteratorHTTPResponse[str]'
        ),
        replace=(
            '            "id": event_id,\n            "resume_data": resume_data,\n'
            '            "interrupt_type": interrupt_type,\n        }\n        resp: IteratorHTTPResponse[str]'
        ),
    ),
    Mutation(
        id="us5-stream-done-yielded",
        story="US5",
        what="the Done event no longer ends the stream quietly: it is yielded as an unknown event",
        file=RUNS,
        find="    if event == WorkflowEventType.DONE:\n        return None\n    elif",
        replace="    if",
    ),
    Mutation(
        id="us5-stream-error-event-raised",
        story="US5",
        what="an Error event of a workflow stream is raised as an exception instead of yielded",
        file=RUNS,
        find="return WorkflowEvent(id=id, event=event, error=WorkflowEventError.model_validate_json(event_data))",
        replace="raise Exception(WorkflowEventError.model_validate_json(event_data).error_message)",
    ),
    Mutation(
        id="us5-stream-interrupt-unparsed",
        story="US5",
        what="an Interrupt event is no longer parsed: it arrives as an unknown event without its event id",
        file=RUNS,
        find="    elif event == WorkflowEventType.INTERRUPT:",
        replace="    elif event == 'Interrupted':",
    ),
    Mutation(
        id="us5-stream-ping-raises",
        story="US5",
        what="an unknown event (the PING heartbeat) aborts the stream with ValueError (as before 0.16.2)",
        file=RUNS,
        find="        return WorkflowEvent(id=id, event=WorkflowEventType.UNKNOWN, unknown=data)",
        replace='        raise ValueError(f"invalid workflows.event: {event}, {event_data}")',
    ),
    Mutation(
        id="us5-stream-event-id-shifted",
        story="US5",
        what="stream event ids are counted from 1 instead of read from the `id:` line",
        file=RUNS,
        find='    id = int(data["id"])',
        replace='    id = int(data["id"]) + 1',
    ),
    Mutation(
        id="us5-run-history-empty-error-code",
        story="US5",
        what='a run history with the service\'s `"error_code": ""` fails validation (as 0.7.0-0.13.1 did)',
        file=RUN_HISTORIES,
        find='        if v == "":\n            return 0\n        return v',
        replace="        return v",
    ),
    Mutation(
        id="us5-run-execute-id-dropped",
        story="US5",
        what="the execute id of a workflow run is dropped from its result",
        file="request.py",
        find='                        "execute_id": body.get("execute_id") or None,\n',
        replace="",
    ),
    Mutation(
        id="us5-run-usage-dropped",
        story="US5",
        what="the token usage of a workflow run is dropped from its result",
        file="request.py",
        find='                        "usage": body.get("usage") or None,\n',
        replace="",
    ),
    Mutation(
        id="us5-async-stream-error-not-read",
        story="US5",
        what="an async JSON error reply to a stream request is read synchronously (as before 0.17.0)",
        file="request.py",
        find="            await response.aread()",
        replace="            response.read()",
    ),
    Mutation(
        id="us5-error-debug-url-dropped",
        story="US5",
        what="a failed workflow run's CozeAPIError loses the reply's debug_url (as before 0.16.1)",
        file="request.py",
        find=SYNC_ERROR_RAISE + "            raise CozeAPIError(code, msg, logid, debug_url)\n",
        replace=SYNC_ERROR_RAISE + "            raise CozeAPIError(code, msg, logid)\n",
    ),
    Mutation(
        id="us5-top-level-error-message-ignored",
        story="US5",
        what="a reply with a top-level error_message is read as a result instead of raised",
        file="request.py",
        find='        if "error_message" in body and body["error_message"] != "":\n'
        '            return None, body["error_message"], debug_url, None\n',
        replace="",
    ),
    Mutation(
        id="us5-run-history-error-message-required",
        story="US5",
        what="a run history without error_message (a Running run's) fails validation (as 0.7.0-0.10.2 did)",
        file=RUN_HISTORIES,
        find='    error_message: Optional[str] = ""\n',
        replace="    error_message: Optional[str]\n",
    ),
    Mutation(
        id="us5-run-history-output-trimmed-optional",
        story="US5",
        what="is_output_trimmed gets a default, fixing the open 0.20.0 bug: the strict xfails that show it must fail",
        file=RUN_HISTORIES,
        find="    is_output_trimmed: bool\n",
        replace="    is_output_trimmed: bool = False\n",
    ),
    Mutation(
        id="us5-stream-app-id-dropped",
        story="US5",
        what="workflows.runs.stream no longer sends app_id (as before 0.12.0)",
        file=RUNS,
        find=(
            '            "app_id": app_id,\n            "ext": ext,\n        }\n        resp: IteratorHTTPResponse[str]'
        ),
        replace='            "ext": ext,\n        }\n        resp: IteratorHTTPResponse[str]',
    ),
    Mutation(
        id="us5-resume-interrupt-type-fixed",
        story="US5",
        what="workflows.runs.resume always sends interrupt_type 2 (a Question node's), whatever the interrupt was",
        file=RUNS,
        find='            "interrupt_type": interrupt_type,\n        }\n        resp: IteratorHTTPResponse[str]',
        replace='            "interrupt_type": 2,\n        }\n        resp: IteratorHTTPResponse[str]',
    ),
    Mutation(
        id="us5-error-event-code-as-string",
        story="US5",
        what="WorkflowEventError.error_code is typed str, so the service's numeric code fails validation",
        file=RUNS,
        find="    error_code: int\n",
        replace="    error_code: str\n",
    ),
    Mutation(
        id="us5-chat-conversation-dropped",
        story="US5",
        what="workflows.chat.stream drops conversation_id: every chatflow chat starts a new conversation",
        file=CHAT,
        find='                "conversation_id": conversation_id,\n' + CHAT_BODY_END,
        replace=CHAT_BODY_END,
    ),
)
