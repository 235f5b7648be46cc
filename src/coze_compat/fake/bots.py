"""Bots: the two lists, retrieval by id (v1, v2), and creating, updating, publishing and unpublishing.

Wire format: coze-wire-format.md section 1, and the Coze docs synced in coze-dev/coze-sdk-gen
``docs/api-markdown/`` (cited below by page name: ``get_metadata``, ``create_bot``...).

Reading. Both lists page by number: the service honours the ``page_index``/``page_size`` it
receives (cozepy sends ``page_index`` to both; the v2 docs call it ``page_num``), serves exactly
the bots of that page (an empty page past the end) and reports ``total``; cozepy decides from
``total`` whether another page exists. The v1 list holds the bots published to the API channel
(connector ``1024``), newest ``publish_time`` first (published_bots_list); the v2 list filters by
``publish_status`` (default ``published_online``) and, for the published statuses, by
``connector_id`` (default ``1024``) (bots_list_draft_published). Retrieval answers the Bot
object (v2 adds ``owner_user_id`` and ``folder_id``, as its docs' example does), or 4200 for an
unknown id.

Writing. ``POST /v1/bot/create`` makes an unpublished draft and answers its ``bot_id``
(create_bot: "the bot is an unpublished draft; only after publishing is it seen by the list or
retrieve APIs"), so a created bot is found by ``/v1/bots/{id}?is_published=false`` and the v2 list's
``unpublished_draft``/``all``, and by every read once published. ``POST /v1/bot/update`` changes
the draft only (update_bot); the published version stays what it was until the next
``POST /v1/bot/publish`` (publish_bot: answers ``bot_id`` and the new ``version``).
``POST /v1/bots/{bot_id}/unpublish`` takes the bot off one connector (unpublish_agent). Each body
is checked as the service checks it (``BODIES``): ids are JSON strings of digits (the service's
int64 ids travel as strings; a JSON number where a string belongs is a 4000, and so is a connector
named ``"API"``: the docs know connectors by id, ``1024`` for the API), lengths and enum values
as documented, and a ``null`` in an optional field is the field left out (the service is written in
Go, whose JSON decoding leaves a field untouched on ``null``; coze-go's own request structs send
``null`` for every unset field). An unknown bot, model or knowledge base is a 4200.

Answers beyond the happy shape: ``BotRecord.wire_fields`` replaces or (``ABSENT``) removes fields
of the Bot object, nested ones by dotted path (``"onboarding_info.suggested_questions"``), so a
story can serve the service's whole range of answers (fields missing or ``null``, enum values a
release does not know) through the fake's own state.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping

import respx

from coze_compat.fake import envelope
from coze_compat.fake.envelope import Reply
from coze_compat.fake.requests import CozeRequest, Endpoint, MalformedRequest
from coze_compat.fake.server import not_found

if TYPE_CHECKING:
    from coze_compat.fake.server import FakeCoze

LIST_PUBLISHED = Endpoint("bots.list_published", "GET", r"/v1/space/published_bots_list", required_query=("space_id",))
LIST = Endpoint("bots.list", "GET", r"/v1/bots", required_query=("workspace_id",))
RETRIEVE = Endpoint("bots.retrieve", "GET", r"/v1/bot/get_online_info", required_query=("bot_id",))
RETRIEVE_V2 = Endpoint("bots.retrieve_v2", "GET", r"/v1/bots/(?P<bot_id>[^/]+)")
CREATE = Endpoint("bots.create", "POST", r"/v1/bot/create", required_body=("space_id", "name"), has_body=True)
UPDATE = Endpoint("bots.update", "POST", r"/v1/bot/update", required_body=("bot_id",), has_body=True)
PUBLISH = Endpoint("bots.publish", "POST", r"/v1/bot/publish", required_body=("bot_id", "connector_ids"), has_body=True)
UNPUBLISH = Endpoint(
    "bots.unpublish", "POST", r"/v1/bots/(?P<bot_id>[^/]+)/unpublish", required_body=("connector_id",), has_body=True
)

#: ``publish_status`` of the v2 list: which bots each value selects (bots_list_draft_published docs).
PUBLISH_STATUSES = ("all", "published_online", "published_draft", "unpublished_draft")
DEFAULT_PAGE_SIZE = 20
#: The API channel's connector id (publish_bot, bots_list_draft_published docs).
API_CONNECTOR = "1024"
#: Removes a field from an answer (``BotRecord.wire_fields``); ``None`` sends it as ``null``.
ABSENT: Any = object()
#: The fake's clock for what it creates or publishes (the day its log ids are stamped with).
NOW = 1795689000
DEFAULT_ICON = "https://lf-coze-web-cdn.coze.com/obj/coze-web-cn/obric/coze/default_bot_icon3.png"
#: Models the fake knows, by id: the docs' example model (get_metadata) and a second one.
MODELS = {"1706077826": "Doubao-pro-32k", "1737521813": "Doubao-1.5-pro-256k"}


@dataclass
class BotRecord:
    """A bot in the fake's workspace: its draft, which is also what is published unless updated since."""

    bot_id: str
    name: str
    description: str = ""
    icon_url: str = DEFAULT_ICON
    space_id: str = ""
    create_time: int = 1718289297
    update_time: int = 1718289297
    publish_time: int = 1718212388
    version: str = "1718289297123"
    owner_user_id: str = "2478774393255"
    folder_id: str = "7523161255335477"
    is_published: bool = True
    #: The connectors it is published to (publish_bot: ``1024`` is the API); none while unpublished.
    connectors: set[str] = field(default_factory=lambda: {API_CONNECTOR})
    prompt: str = "You are a helpful assistant."
    prologue: str = "Hello! How can I help?"
    suggested_questions: list[str] = field(default_factory=lambda: ["What can you do?"])
    model_id: str = "1706077826"
    model_name: str = "Doubao-pro-32k"
    #: ``knowledge.knowledge_infos`` of the answer (get_metadata: ``{"id", "name"}`` per knowledge base).
    knowledge: list[dict[str, str]] = field(default_factory=list)
    #: ``suggest_reply_info`` of the answer, absent when ``None`` (get_metadata_draft_published example).
    suggest_reply_info: dict[str, str] | None = None
    #: The plugin tools it uses, ``(plugin_id, api_id)``, as create_bot's ``plugin_id_list`` gives them.
    plugin_tools: list[tuple[str, str]] = field(default_factory=list)
    #: The workflows it uses, by id (create_bot's ``workflow_id_list``).
    workflow_ids: list[str] = field(default_factory=list)
    #: Replaced (or, with ``ABSENT``, removed) fields of the Bot object, nested ones by dotted path.
    wire_fields: dict[str, Any] = field(default_factory=dict)
    #: The same for the bot's item in either list (``space_bots`` of v1, ``items`` of v2).
    item_fields: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.is_published:
            self.connectors = set()

    def wire(self) -> dict[str, Any]:
        """The Bot object of ``get_online_info`` (DOC get_metadata, trimmed to common fields)."""
        return _with_fields(self._bot_object(), self.wire_fields)

    def wire_v2(self) -> dict[str, Any]:
        """The Bot object of ``GET /v1/bots/{bot_id}`` (DOC get_metadata_draft_published)."""
        extra = {"owner_user_id": self.owner_user_id, "folder_id": self.folder_id}
        return _with_fields({**self._bot_object(), **extra}, self.wire_fields)

    def _bot_object(self) -> dict[str, Any]:
        bot: dict[str, Any] = {
            "bot_id": self.bot_id,
            "name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "version": self.version,
            "prompt_info": {"prompt": self.prompt},
            "onboarding_info": {"prologue": self.prologue, "suggested_questions": list(self.suggested_questions)},
            "bot_mode": 0,
            "model_info": {
                "model_id": self.model_id,
                "model_name": self.model_name,
                "temperature": 1,
                "top_p": 1,
                "context_round": 30,
                "max_tokens": 4096,
            },
            "plugin_info_list": [_plugin(plugin_id, api_id) for plugin_id, api_id in self.plugin_tools],
            "workflow_info_list": [
                {"id": workflow_id, "name": "", "description": "", "icon_url": ""} for workflow_id in self.workflow_ids
            ],
            "knowledge": {"knowledge_infos": [dict(info) for info in self.knowledge]},
        }
        if self.suggest_reply_info is not None:
            bot["suggest_reply_info"] = dict(self.suggest_reply_info)
        return bot

    def wire_published(self) -> dict[str, Any]:
        """An item of ``space_bots`` in the published-bots list (``publish_time`` is a string)."""
        item = {
            "bot_id": self.bot_id,
            "bot_name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "publish_time": str(self.publish_time),
        }
        return _with_fields(item, self.item_fields)

    def wire_item(self) -> dict[str, Any]:
        """An item of ``items`` in the ``/v1/bots`` list (``published_at`` only once published, as documented)."""
        item: dict[str, Any] = {
            "id": self.bot_id,
            "name": self.name,
            "description": self.description,
            "icon_url": self.icon_url,
            "is_published": self.is_published,
            "updated_at": self.update_time,
            "owner_user_id": self.owner_user_id,
            "folder_id": self.folder_id,
        }
        if self.is_published:
            item["published_at"] = self.publish_time
        return _with_fields(item, self.item_fields)


def _plugin(plugin_id: str, api_id: str) -> dict[str, Any]:
    """A ``plugin_info_list`` entry (get_metadata's PluginInfo); the fake knows no plugin names."""
    tool = {"api_id": api_id, "name": "", "description": ""}
    return {"plugin_id": plugin_id, "name": "", "description": "", "icon_url": "", "api_info_list": [tool]}


def _with_fields(wire: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """``wire`` with each dotted path of ``fields`` set to its value, or removed for ``ABSENT``."""
    for path, value in fields.items():
        *parents, name = path.split(".")
        target = wire
        for parent in parents:
            inner = target.get(parent)
            if not isinstance(inner, dict):
                raise ValueError(f"wire_fields: {path!r} names a field inside {parent!r}, which is not an object here")
            target[parent] = dict(inner)  # a copy: the record's own values stay as they are
            target = target[parent]
        if value is ABSENT:
            target.pop(name, None)
        else:
            target[name] = value
    return wire


# -- what the service accepts in a body ----------------------------------------------------------

#: A check of one value: raises ``MalformedRequest`` naming ``path`` when the service would reject it.
Check = Callable[[Any, str], None]


def _fail(path: str, what: str, value: Any) -> MalformedRequest:
    return MalformedRequest(f"{path} must be {what}, got {value!r}")


def _id(value: Any, path: str) -> None:
    if not isinstance(value, str) or not value.isdigit():
        raise _fail(path, "an id: a JSON string of digits", value)


def _text(max_length: int, min_length: int = 0) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, str) or not min_length <= len(value) <= max_length:
            raise _fail(path, f"a string of {min_length} to {max_length} characters", value)

    return check


def _one_of(*values: Any) -> Check:
    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) or value not in values:
            raise _fail(path, f"one of {', '.join(map(repr, values))}", value)

    return check


def _kind(*types: type, what: str) -> Check:
    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) is not (bool in types) or not isinstance(value, types):
            raise _fail(path, what, value)

    return check


_bool = _kind(bool, what="a boolean")
_int = _kind(int, what="an integer")
_number = _kind(int, float, what="a number")
_map = _kind(dict, what="a JSON object")


def _list(item: Check, max_items: int = 10_000) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list) or len(value) > max_items:
            raise _fail(path, f"a list of at most {max_items} items", value)
        for index, element in enumerate(value):
            item(element, f"{path}[{index}]")

    return check


def _object(fields: Mapping[str, Check], required: tuple[str, ...] = ()) -> Check:
    """A JSON object whose known fields pass their checks (``null`` is a field left out; others are ignored)."""

    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _fail(path, "a JSON object", value)
        missing = [name for name in required if value.get(name) is None]
        if missing:
            raise MalformedRequest(f"{path}: missing field(s) {', '.join(missing)}")
        for name, field_check in fields.items():
            if value.get(name) is not None:
                field_check(value[name], f"{path}.{name}" if path else name)

    return check


_PROMPT_INFO = _object(
    {
        "prompt": _text(20_000),
        "prompt_mode": _one_of("standard", "prefix"),
        "prefix_prompt_info": _object({"prefix_prompt": _text(20_000), "dynamic_prompt": _text(20_000)}),
    }
)
_ONBOARDING_INFO = _object({"prologue": _text(300), "suggested_questions": _list(_text(50))})
_KNOWLEDGE = _object({"dataset_ids": _list(_id, 150), "auto_call": _bool, "search_strategy": _one_of(0, 1, 20)})
_PLUGIN_ID_LIST = _object({"id_list": _list(_object({"plugin_id": _id, "api_id": _id}, ("plugin_id", "api_id")))})
_WORKFLOW_ID_LIST = _object({"ids": _list(_object({"id": _id}, ("id",)))})
_MODEL_INFO_CONFIG = _object(
    {
        "model_id": _id,
        "top_k": _int,
        "top_p": _number,
        "max_tokens": _int,
        "temperature": _number,
        "sp_anti_leak": _bool,
        "context_round": _int,
        "response_format": _one_of("text", "markdown", "json"),
        "sp_current_time": _bool,
        "presence_penalty": _number,
        "frequency_penalty": _number,
        "cache_type": _one_of("closed", "prefix"),
        "api_mode": _one_of("chat_api", "responses_api"),
        "parameters": _map,
    },
    ("model_id",),
)
_SUGGEST_REPLY_INFO = _object(
    {"reply_mode": _one_of("enable", "disable", "customized"), "customized_prompt": _text(20_000)}
)
_BOT_CONFIG: dict[str, Check] = {
    "description": _text(500),
    "icon_file_id": _id,
    "prompt_info": _PROMPT_INFO,
    "onboarding_info": _ONBOARDING_INFO,
    "plugin_id_list": _PLUGIN_ID_LIST,
    "workflow_id_list": _WORKFLOW_ID_LIST,
    "model_info_config": _MODEL_INFO_CONFIG,
    "suggest_reply_info": _SUGGEST_REPLY_INFO,
}
#: The body of each writing endpoint as the service checks it (create_bot, update_bot, publish_bot,
#: unpublish_agent docs; ``bot_id`` in the unpublish body is cozepy's addition, checked as an id).
BODIES: dict[str, Check] = {
    CREATE.name: _object({"space_id": _id, "name": _text(20, 1), **_BOT_CONFIG}),
    UPDATE.name: _object({"bot_id": _id, "name": _text(20, 1), "knowledge": _KNOWLEDGE, **_BOT_CONFIG}),
    PUBLISH.name: _object({"bot_id": _id, "connector_ids": _list(_id), "connectors": _map}),
    UNPUBLISH.name: _object({"bot_id": _id, "connector_id": _id, "unpublish_reason": _text(1024)}),
}


def _body(request: CozeRequest, endpoint: Endpoint) -> dict[str, Any]:
    """The request's body with its ``null`` fields left out, once it passes the endpoint's checks."""
    BODIES[endpoint.name](request.body, "")
    return {name: value for name, value in request.body.items() if value is not None}


def _int_param(request: CozeRequest, name: str, default: int) -> int:
    value = request.param(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise MalformedRequest(f"{name} must be an integer, got {value!r}") from error
    if number < 1:
        raise MalformedRequest(f"{name} must be >= 1, got {number}")
    return number


def _page(request: CozeRequest, records: list[BotRecord]) -> tuple[list[BotRecord], int]:
    """The records of the page ``request`` asks for (``page_index``, ``page_size``), and the total."""
    number = _int_param(request, "page_index", 1)
    size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE)
    return records[(number - 1) * size : number * size], len(records)


class BotsAPI:
    """The bots endpoints of the fake, and the bots they serve.

    ``records`` holds each bot's draft; ``online`` its published version (the same object while
    the draft has not been updated since it was published).
    """

    def __init__(self, fake: FakeCoze) -> None:
        self._fake = fake
        self.records: dict[str, BotRecord] = {}
        self.online: dict[str, BotRecord] = {}
        #: Knowledge bases a bot can be given (``update(knowledge=...)``), by id: their names.
        self.knowledge_bases: dict[str, str] = {}
        self.models: dict[str, str] = dict(MODELS)
        self._created = 0

    def add(self, record: BotRecord) -> BotRecord:
        """Serve ``record``: published (as it is) when ``record.is_published``, else as a draft only."""
        self.records[record.bot_id] = record
        if record.is_published:
            self.online[record.bot_id] = record
        return record

    def in_space(self, space_id: str) -> builtins.list[BotRecord]:
        """The bots (drafts) of workspace ``space_id``, in the order added."""
        return [record for record in self.records.values() if record.space_id == space_id]

    # -- routes ----------------------------------------------------------------------------------

    def retrieve(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/bot/get_online_info?bot_id=``: the version published to the API channel, or 4200."""
        return self._fake.serve(RETRIEVE, self._retrieve, reply)

    def retrieve_v2(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/bots/{bot_id}``: the published version (the draft with ``is_published=false``), or 4200."""
        return self._fake.serve(RETRIEVE_V2, self._retrieve_v2, reply)

    def list_published(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/space/published_bots_list?space_id=``: the bots published to the API, newest first, paged."""
        return self._fake.serve(LIST_PUBLISHED, self._list_published, reply)

    def list(self, reply: Reply | None = None) -> respx.Route:
        """``GET /v1/bots?workspace_id=``: the bots of a workspace by ``publish_status``, paged by number."""
        return self._fake.serve(LIST, self._list_v2, reply)

    def create(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/bot/create``: a new unpublished draft; answers its ``bot_id``."""
        return self._fake.serve(CREATE, self._create, reply)

    def update(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/bot/update``: changes the draft only (the published version stays until published again)."""
        return self._fake.serve(UPDATE, self._update, reply)

    def publish(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/bot/publish``: the draft becomes the online version on the connectors given."""
        return self._fake.serve(PUBLISH, self._publish, reply)

    def unpublish(self, reply: Reply | None = None) -> respx.Route:
        """``POST /v1/bots/{bot_id}/unpublish``: takes the bot off one connector."""
        return self._fake.serve(UNPUBLISH, self._unpublish, reply)

    # -- reading ---------------------------------------------------------------------------------

    def _published_to(self, bot_id: str, connector: str = API_CONNECTOR) -> BotRecord | None:
        record = self.online.get(bot_id)
        return record if record is not None and connector in record.connectors else None

    def _retrieve(self, request: CozeRequest) -> Reply:
        """The version published to the API channel (get_metadata: "must have been published as API")."""
        bot_id = request.param("bot_id") or ""
        record = self._published_to(bot_id)
        return not_found("bot", {"bot_id": bot_id}) if record is None else envelope.ok(record.wire())

    def _retrieve_v2(self, request: CozeRequest) -> Reply:
        """The published version, or with ``is_published=false`` the draft (get_metadata_draft_published)."""
        is_published = request.param("is_published")
        if is_published not in (None, "true", "false"):
            raise MalformedRequest(f"is_published must be true or false, got {is_published!r}")
        bot_id = request.path_params["bot_id"]
        record = self.records.get(bot_id) if is_published == "false" else self.online.get(bot_id)
        return not_found("bot", {"bot_id": bot_id}) if record is None else envelope.ok(record.wire_v2())

    def _list_published(self, request: CozeRequest) -> Reply:
        space_id = request.param("space_id") or ""
        bots = [bot for bot in map(self._published_to, self.records) if bot is not None and bot.space_id == space_id]
        bots.sort(key=lambda record: record.publish_time, reverse=True)
        page, total = _page(request, bots)
        return envelope.ok({"space_bots": [record.wire_published() for record in page], "total": total})

    def _list_v2(self, request: CozeRequest) -> Reply:
        status = request.param("publish_status") or "published_online"
        if status not in PUBLISH_STATUSES:
            raise MalformedRequest(f"publish_status must be one of {', '.join(PUBLISH_STATUSES)}, got {status!r}")
        connector = request.param("connector_id") or API_CONNECTOR
        drafts = self.in_space(request.param("workspace_id") or "")
        published = [draft for draft in drafts if self._published_to(draft.bot_id, connector) is not None]
        bots = {
            "all": drafts,
            "published_online": [self.online[draft.bot_id] for draft in published],
            "published_draft": published,
            "unpublished_draft": [draft for draft in drafts if not draft.is_published],
        }[status]
        page, total = _page(request, bots)
        return envelope.ok({"items": [record.wire_item() for record in page], "total": total})

    # -- writing ---------------------------------------------------------------------------------

    def _draft(self, bot_id: str) -> BotRecord:
        """The draft of a known bot, ready to change: its published version keeps what it had."""
        draft = self.records[bot_id]
        if self.online.get(bot_id) is draft:
            self.online[bot_id] = replace(draft, connectors=set(draft.connectors))
        return draft

    def _unknown_reference(self, body: dict[str, Any]) -> Reply | None:
        """The 4200 for a model or knowledge base of a create or update body the service does not know."""
        model = body.get("model_info_config")
        if model is not None and model["model_id"] not in self.models:
            return not_found("model", {"model_id": model["model_id"]})
        for dataset in body.get("knowledge", {}).get("dataset_ids", []):
            if dataset not in self.knowledge_bases:
                return not_found("knowledge base", {"dataset_id": dataset})
        return None

    def _configure(self, record: BotRecord, body: dict[str, Any]) -> None:
        """Apply the configuration fields of a create or update body (checked, references known)."""
        record.name = body.get("name", record.name)
        record.description = body.get("description", record.description)
        if "icon_file_id" in body:
            record.icon_url = f"https://lf-coze-web-cdn.coze.com/obj/coze-web-cn/bot_icon/{body['icon_file_id']}.png"
        record.prompt = body.get("prompt_info", {}).get("prompt", record.prompt)
        onboarding = body.get("onboarding_info", {})
        record.prologue = onboarding.get("prologue", record.prologue)
        record.suggested_questions = list(onboarding.get("suggested_questions", record.suggested_questions))
        if "model_info_config" in body:
            model_id = body["model_info_config"]["model_id"]
            record.model_id, record.model_name = model_id, self.models[model_id]
        if "knowledge" in body:
            datasets = body["knowledge"].get("dataset_ids", [])
            record.knowledge = [{"id": dataset, "name": self.knowledge_bases[dataset]} for dataset in datasets]
        if "suggest_reply_info" in body:
            record.suggest_reply_info = {"customized_prompt": "", **body["suggest_reply_info"]}
        tools = body.get("plugin_id_list", {}).get("id_list")
        if tools is not None:
            record.plugin_tools = [(tool["plugin_id"], tool["api_id"]) for tool in tools]
        workflows = body.get("workflow_id_list", {}).get("ids")
        if workflows is not None:
            record.workflow_ids = [workflow["id"] for workflow in workflows]
        record.update_time = NOW

    def _create(self, request: CozeRequest) -> Reply:
        """A new unpublished draft in the space; create_bot answers its ``bot_id`` only."""
        body = _body(request, CREATE)
        unknown = self._unknown_reference(body)
        if unknown is not None:
            return unknown
        self._created += 1
        record = BotRecord(
            bot_id=str(7_500_000_000_000_000_000 + self._created),
            name=body["name"],
            space_id=body["space_id"],
            create_time=NOW,
            publish_time=0,
            version="",
            is_published=False,
            prompt="",
            prologue="",
            suggested_questions=[],
        )
        self._configure(record, body)
        self.records[record.bot_id] = record
        return envelope.ok({"bot_id": record.bot_id})

    def _update(self, request: CozeRequest) -> Reply:
        """Change the draft; update_bot answers no ``data`` at all."""
        body = _body(request, UPDATE)
        if body["bot_id"] not in self.records:
            return not_found("bot", {"bot_id": body["bot_id"]})
        unknown = self._unknown_reference(body)
        if unknown is not None:
            return unknown
        self._configure(self._draft(body["bot_id"]), body)
        return envelope.Envelope(with_data=False)

    def _publish(self, request: CozeRequest) -> Reply:
        """Publish the draft to the connectors: it becomes the online version, with a new ``version``."""
        body = _body(request, PUBLISH)
        if not body["connector_ids"]:
            raise MalformedRequest("connector_ids must name at least one connector")
        draft = self.records.get(body["bot_id"])
        if draft is None:
            return not_found("bot", {"bot_id": body["bot_id"]})
        self._created += 1
        draft.connectors |= set(body["connector_ids"])
        draft.is_published, draft.publish_time, draft.version = True, NOW, str(NOW * 1000 + self._created)
        self.online[draft.bot_id] = replace(draft, connectors=set(draft.connectors))
        return envelope.ok({"bot_id": draft.bot_id, "version": draft.version})

    def _unpublish(self, request: CozeRequest) -> Reply:
        """Take the bot off one connector; off the last one, it is a draft again (unpublish_agent: no ``data``)."""
        body = _body(request, UNPUBLISH)
        bot_id = request.path_params["bot_id"]
        _id(bot_id, "the path's bot_id")
        if body.get("bot_id", bot_id) != bot_id:
            raise MalformedRequest(f"bot_id {body['bot_id']!r} in the body is not the bot of the path ({bot_id!r})")
        if bot_id not in self.records:
            return not_found("bot", {"bot_id": bot_id})
        draft = self._draft(bot_id)
        for version in (draft, self.online.get(bot_id)):
            if version is not None:
                version.connectors.discard(body["connector_id"])
        if not draft.connectors:
            draft.is_published = False
            self.online.pop(bot_id, None)
        return envelope.Envelope(with_data=False)
