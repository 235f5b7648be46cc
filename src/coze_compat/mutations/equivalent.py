"""Machine-made mutants examined by hand and found equivalent: no caller of cozepy can tell them
from the release (the score leaves them out). Each id is ``generate.Mutant.id`` on the newest
pinned cozepy; an id that is no longer generated is an error (``tests/harness``), so the list is
re-examined when the pinned release moves.
"""

from __future__ import annotations

#: mutant id -> why no behaviour changes.
EQUIVALENT: dict[str, str] = {
    "bots/__init__.py:624:57:constant:1 -> 2": (
        "the default page_num of the private BotsClient._list_v1: its only caller, BotsClient.list, "
        "always passes page_num"
    ),
    "bots/__init__.py:624:77:constant:20 -> 21": (
        "the default page_size of the private BotsClient._list_v1: its only caller, BotsClient.list, "
        "always passes page_size"
    ),
    'bots/__init__.py:668:50:constant:None -> ""': (
        "the default publish_status of the private BotsClient._list_v2: its only caller, BotsClient.list, "
        "always passes publish_status"
    ),
    'coze.py:57:57:constant:None -> ""': (
        "Coze._enterprises starts as '' instead of None: its only reader, the enterprises property, "
        "tests `if not self._enterprises`, and both are falsy"
    ),
    "model.py:250:8:statement:AnnAssign -> pass": (
        "NumberPaged.__init__ without `self._http_response = None`: __init__ calls _fetch_page at once, "
        "which sets _http_response before anything can read it (or raises, and no page exists)"
    ),
    'model.py:328:22:constant:None -> ""': (
        "AsyncNumberPaged._items starts as '' instead of None: build() fetches the first page before "
        "returning it, and every reader (`self._items or []`, `page._items and ...`) treats '' as None"
    ),
    "model.py:706:8:statement:Assign -> pass": (
        "AsyncLastIDPaged.__init__ without `self.first_id = None`: the SDK creates pages only through "
        "build(), which fetches the page and sets first_id before returning it"
    ),
    # -- lazy sub-clients: `self._x = None` read only by a property that tests `if not self._x`
    'coze.py:46:55:constant:None -> ""': (
        "Coze._connectors starts as '': the connectors property tests `if not self._connectors`"
    ),
    'coze.py:58:50:constant:None -> ""': (
        "Coze._api_apps starts as '': the api_apps property tests `if not self._api_apps`"
    ),
    'coze.py:233:48:constant:None -> ""': "AsyncCoze._chat starts as '': the chat property tests `if not self._chat`",
    'coze.py:241:50:constant:None -> ""': (
        "AsyncCoze._audio starts as '': the audio property tests `if not self._audio`"
    ),
    'coze.py:240:60:constant:None -> ""': (
        "AsyncCoze._workspaces starts as '': the workspaces property tests `if not self._workspaces`"
    ),
    'coze.py:244:60:constant:None -> ""': (
        "AsyncCoze._websockets starts as '': the websockets property tests `if not self._websockets`"
    ),
    'workflows/__init__.py:67:52:constant:None -> ""': (
        "WorkflowsClient._chat starts as '': the chat property tests `if not self._chat`"
    ),
    # -- defaults that no caller can reach
    'chat/__init__.py:443:55:constant:None -> ""': (
        "ChatClient.create's additional_messages default '': it only reaches _create, which sends "
        "`[...] if additional_messages else []`, the same [] for '' and None"
    ),
    'chat/__init__.py:531:55:constant:None -> ""': (
        "ChatClient.create_and_poll's additional_messages default '': passed on to create (see above), "
        "which treats '' as None"
    ),
    'model.py:688:57:constant:None -> ""': (
        "the has_more default of AsyncLastIDPaged._check_has_more: its only caller, iter_pages, passes both arguments"
    ),
    'model.py:688:88:constant:None -> ""': (
        "the last_id default of AsyncLastIDPaged._check_has_more: its only caller, iter_pages, passes both arguments"
    ),
    "request.py:475:23:constant:False -> True": (
        "the stream default of Requester._aparse_response: its only caller, asend, passes stream"
    ),
    "request.py:476:26:constant:'data' -> 'XXdataXX'": (
        "the data_field default of Requester._aparse_response: its only caller, asend, passes data_field"
    ),
    "bots/__init__.py:971:68:constant:20 -> 21": (
        "the default page_size of the private AsyncBotsClient._list_v1: its only caller, AsyncBotsClient.list, "
        "always passes page_size"
    ),
    'chat/__init__.py:632:41:constant:None -> ""': (
        "the conversation_id default of the private ChatClient._create: it sends "
        "`conversation_id if conversation_id else None`, the same None for '' and None"
    ),
    "request.py:428:23:constant:False -> True": (
        "the stream default of Requester._parse_response: its only caller, send, passes stream"
    ),
    'model.py:141:30:constant:None -> ""': (
        "the headers default of HTTPRequest: the SDK builds one only in Requester.make_request and "
        "amake_request, which always pass headers (a dict holding at least the User-Agent)"
    ),
    'model.py:633:55:constant:None -> ""': (
        "LastIDPaged._raw_response starts as '': __init__ calls _fetch_page at once, which sets it "
        "before anything can read it (or raises, and no page exists)"
    ),
    "model.py:676:8:statement:If -> pass": (
        "LastIDPaged._fetch_page without its `if self.last_id is not None or self._has_more is not None: return`: "
        "its only caller, __init__, calls it right after setting both to None, so the guard never returns"
    ),
    "model.py:33:12:constant:'T' -> 'XXTXX'": (
        "the name of the TypeVar T is only its repr: generic classes are parametrized by position, and "
        "pydantic names a parametrized model by its argument (ListResponse[Bot]), not by the TypeVar"
    ),
    "bots/__init__.py:1019:25:constant:20 -> 21": (
        "the default page_size of the private AsyncBotsClient._list_v2: its only caller, AsyncBotsClient.list, "
        "always passes page_size"
    ),
    # -- stream=True for an endpoint the service answers with JSON: the requester sends the request
    # streamed, sees a JSON content type (not event-stream), reads the whole body (response.read() /
    # aread()) and parses it exactly as for stream=False
    "chat/__init__.py:961:16:constant:False -> True": (
        "AsyncChatClient._create (non-stream branch) sends with stream=True; "
        "the JSON reply is read whole and parsed as before"
    ),
    "chat/__init__.py:1003:59:constant:False -> True": (
        "AsyncChatClient.retrieve sends with stream=True; the JSON reply is read whole and parsed as before"
    ),
    "chat/__init__.py:1078:63:constant:False -> True": (
        "AsyncChatClient.submit_tool_outputs (non-stream branch) sends with stream=True; "
        "the JSON reply is read whole and parsed as before"
    ),
    "conversations/__init__.py:265:58:constant:False -> True": (
        "AsyncConversationsClient.retrieve sends with stream=True; the JSON reply is read whole and parsed as before"
    ),
    "conversations/__init__.py:131:51:constant:False -> True": (
        "ConversationsClient.retrieve sends with stream=True; the JSON reply is read whole and parsed as before"
    ),
    "conversations/message/__init__.py:129:23:constant:False -> True": (
        "MessagesClient.list sends with stream=True; the JSON reply is read whole and parsed as before"
    ),
    "workflows/runs/__init__.py:196:52:constant:False -> True": (
        "WorkflowsRunsClient.create sends with stream=True; the JSON reply is read whole and parsed as before"
    ),
    "request.py:566:20:constant:'' -> 'XXXX'": (
        "the msg of Requester._format_requests_code_msg's success tuple for a first_id list: its callers read "
        "msg only when code is None or > 0, and this tuple's code is 0"
    ),
}
