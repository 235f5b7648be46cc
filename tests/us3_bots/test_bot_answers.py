"""US3, the service's whole range of answers for bots: fields missing or ``null``, enum values a release does not know.

A backend that retrieves a bot (``bots.retrieve``, v1 ``/v1/bot/get_online_info`` and v2
``/v1/bots/{bot_id}``) or lists bots reads what the service sends, and the service does not always
send the happy shape. The fake serves each answer through a bot's ``wire_fields``/``item_fields``
(one field replaced, set to ``null`` or removed), the test retrieves it sync and async through v1
and v2, asserts the request, and asserts what the caller reads. Where the answers come from:

* the Coze docs' Bot object (coze-dev/coze-sdk-gen ``docs/api-markdown/get_metadata.md``,
  ``get_metadata_draft_published.md``): ``suggested_questions`` "is not returned when suggested
  questions are off"; the v2 example's ``model_info`` has no ``top_p`` (coze-dev/coze-py#273);
  ``knowledge`` is ``{"knowledge_infos": [{id, name}]}``; a Variable is ``enable``, ``channel``,
  ``keyword``, ``description``, ``default_value``, ``prompt_enable``; the background image, voices,
  workflows and plugins have the shapes used below; the v2 list's items may lack ``folder_id`` and
  ``published_at`` (bots_list_draft_published example);
* coze-dev/coze-py#291: ``suggested_questions`` comes as ``null``;
* Coze Studio (shared/reference/coze-studio.md 1.2): ``plugin_info_list``, ``workflow_info_list``,
  ``variables``, ``suggest_reply_info``, ``background_image_info`` can be ``null``;
  ``default_user_input_type`` is ``""``;
* server-controlled enums: ``bot_mode`` (cozepy's own comment names a mode 3), the suggested-reply
  mode, the model's ``response_format`` and ``parameters.thinking_type``, the input type.

What each release does (known breaks, each a bug of ``coze_compat.bugs.bots``):

* before 0.18.0 a ``null`` ``suggested_questions`` fails the whole bot (#291, fixed by #292);
* 0.14.0-0.16.2 reject a suggested-reply mode they do not know (plain ``Enum``; #270 made it dynamic);
* every release rejects a ``bot_mode`` it does not know (``BotMode`` is an ``IntEnum``);
* from 0.14.0 a bot with a documented variable fails: ``BotVariable.variable_type`` is required;
* from 0.12.0 ``bot.knowledge`` never holds the knowledge bases the service sends.

A mode 0 is ``BotMode.SINGLE_AGENT`` from 0.9.0 (``SINGL_EAGENT`` before: not offered there).
Everything else is pinned as working: a missing ``top_p`` (no release ever required it: #273 fixed
unreleased code), ``null`` or missing nested objects and lists, an unknown ``thinking_type``
(``parameters`` is a string map) and, from 0.17.0, unknown string enum values, which warn
(``UserWarning: Unknown ... value``) and keep the value. Fields a release does not model are not
offered there (``bots_bot_*`` capabilities).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

import pytest

from coze_compat import bugs
from coze_compat.bugs import Bug
from coze_compat.fake.bots import ABSENT, BotRecord
from coze_compat.fake.server import FakeCoze
from tests.us3_bots.views import LIST_V2_PATH, RETRIEVE_PATH, SDK, assert_sent, v2_query

KNOWLEDGE_BASE = {"id": "7386943985803901234", "name": "Product manual"}
#: A Variable as get_metadata documents it (no ``variable_type``).
VARIABLE = {
    "enable": True,
    "channel": "custom",
    "keyword": "user_name",
    "description": "The user's name",
    "default_value": "George",
    "prompt_enable": True,
}
PLUGIN = {
    "plugin_id": "7301970294808491234",
    "name": "News",
    "description": "The latest headlines",
    "icon_url": "https://example.com/plugin_icon.png",
    "api_info_list": [{"api_id": "7301970294808511234", "name": "getToutiaoNews", "description": "Search news"}],
}
BACKGROUND_IMAGE = {
    "image_url": "https://example.com/image.jpg",
    "theme_color": "#FFFFFF",
    "canvas_position": {"top": 100, "left": 50, "width": 300, "height": 200},
    "gradient_position": {"left": 0.0, "right": 800.0},
}
#: The draft example of get_metadata_draft_published: empty strings and empty positions.
EMPTY_BACKGROUND_IMAGE = {
    "theme_color": "",
    "gradient_position": {},
    "canvas_position": {},
    "origin_image_url": "",
    "image_url": "",
}
VOICE = {"voice_id": "7468512265134899251", "language_code": "zh"}
WORKFLOW = {
    "id": "7460491086110371234",
    "name": "summarize_article",
    "description": "Summarise an article",
    "icon_url": "https://example.com/workflow_icon.png",
}
#: get_metadata_draft_published's example ``model_info``: no ``top_p``, ``top_k``, penalties or format.
MODEL_WITHOUT_SAMPLING = {
    "temperature": 0.8,
    "context_round": 3,
    "max_tokens": 4096,
    "model_id": "1737521813",
    "model_name": "ep-20250122125445-ck9wp",
}


@dataclass(frozen=True)
class Answer:
    """One shape of the Bot object: the fields changed, what the caller reads, and what it must get."""

    id: str
    fields: dict[str, Any]
    read: Callable[[Any], Any]
    expected: Any
    needs: tuple[str, ...] = ()
    breaks: tuple[Bug, ...] = ()
    #: The ``UserWarning`` a release that keeps an unknown enum value emits (``DynamicStrEnum``).
    warns: str | None = None

    def param(self) -> Any:
        marks = [pytest.mark.needs(*self.needs)] if self.needs else []
        if self.breaks:
            marks.append(pytest.mark.known_break(*self.breaks))
        return pytest.param(self, id=self.id, marks=marks)


def onboarding(bot: Any) -> Any:
    info = bot.onboarding_info
    return None if info is None else (info.prologue, info.suggested_questions)


def plugins(bot: Any) -> Any:
    if bot.plugin_info_list is None:
        return None
    return [
        (plugin.plugin_id, plugin.name, plugin.icon_url, [(api.api_id, api.name) for api in plugin.api_info_list])
        for plugin in bot.plugin_info_list
    ]


def model(bot: Any) -> Any:
    return None if bot.model_info is None else bot.model_info.model_id


def sampling(bot: Any) -> Any:
    """The model settings 0.17.0 added to ``BotModelInfo``."""
    info = bot.model_info
    return (info.model_id, info.temperature, info.context_round, info.max_tokens, info.top_p, info.top_k)


def suggest_reply(bot: Any) -> Any:
    info = bot.suggest_reply_info
    return None if info is None else (info.reply_mode.value, info.customized_prompt)


def variables(bot: Any) -> Any:
    if bot.variables is None:
        return None
    return [
        (var.keyword, var.default_value, var.channel.value, var.description, var.enable, var.prompt_enable)
        for var in bot.variables
    ]


def knowledge(bot: Any) -> Any:
    return None if bot.knowledge is None else bot.knowledge.dataset_ids


def background(bot: Any) -> Any:
    info = bot.background_image_info
    if info is None:
        return None
    web, mobile = info.web_background_image, info.mobile_background_image
    canvas = web.canvas_position
    return (web.image_url, web.theme_color, canvas and (canvas.top, canvas.width), mobile.image_url)


def voices(bot: Any) -> Any:
    return None if bot.voice_info_list is None else [(v.voice_id, v.language_code) for v in bot.voice_info_list]


def workflows(bot: Any) -> Any:
    if bot.workflow_info_list is None:
        return None
    return [(flow.id, flow.name, flow.description, flow.icon_url) for flow in bot.workflow_info_list]


def value_of(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An enum field's wire value (``None`` stays ``None``)."""
    return lambda bot: None if read(bot) is None else read(bot).value


PROLOGUE = BotRecord.prologue
SUGGEST_REPLY = "bots_bot_suggest_reply_info"
VARIABLES = "bots_bot_variables"
BACKGROUND = "bots_bot_background_image_info"

ANSWERS = [
    answer.param()
    for answer in (
        Answer(
            "suggested_questions-absent", {"onboarding_info.suggested_questions": ABSENT}, onboarding, (PROLOGUE, [])
        ),
        Answer(
            "suggested_questions-null",
            {"onboarding_info.suggested_questions": None},
            onboarding,
            (PROLOGUE, None),
            breaks=(bugs.bots.SUGGESTED_QUESTIONS_NULL,),
        ),
        Answer("prologue-absent", {"onboarding_info.prologue": ABSENT}, onboarding, ("", ["What can you do?"])),
        Answer("onboarding_info-absent", {"onboarding_info": ABSENT}, onboarding, None),
        Answer("onboarding_info-null", {"onboarding_info": None}, onboarding, None),
        Answer("prompt_info-null", {"prompt_info": None}, lambda bot: bot.prompt_info, None),
        Answer("prompt_info-absent", {"prompt_info": ABSENT}, lambda bot: bot.prompt_info, None),
        Answer("model_info-without-top_p", {"model_info": MODEL_WITHOUT_SAMPLING}, model, "1737521813"),
        Answer(
            "model_info-settings-without-top_p",
            {"model_info": MODEL_WITHOUT_SAMPLING},
            sampling,
            ("1737521813", 0.8, 3, 4096, None, None),
            needs=("bots_model_info_parameters",),
        ),
        Answer("model_info-null", {"model_info": None}, model, None),
        Answer("plugin_info_list-null", {"plugin_info_list": None}, plugins, None),
        Answer("plugin_info_list-absent", {"plugin_info_list": ABSENT}, plugins, None),
        Answer(
            "plugin_info_list-documented",
            {"plugin_info_list": [PLUGIN]},
            plugins,
            [(PLUGIN["plugin_id"], "News", PLUGIN["icon_url"], [("7301970294808511234", "getToutiaoNews")])],
        ),
        Answer("bot_mode-multi-agent", {"bot_mode": 1}, lambda bot: bot.bot_mode, 1),
        Answer("bot_mode-absent", {"bot_mode": ABSENT}, lambda bot: bot.bot_mode, None),
        Answer("bot_mode-null", {"bot_mode": None}, lambda bot: bot.bot_mode, None),
        Answer("bot_mode-unknown", {"bot_mode": 3}, lambda bot: bot.bot_mode, 3, breaks=(bugs.bots.BOT_MODE_UNKNOWN,)),
        Answer(
            "suggest_reply_info-customized",
            {"suggest_reply_info": {"reply_mode": "customized", "customized_prompt": "Ask about dates"}},
            suggest_reply,
            ("customized", "Ask about dates"),
            needs=(SUGGEST_REPLY,),
        ),
        Answer(
            "suggest_reply_info-without-prompt",
            {"suggest_reply_info": {"reply_mode": "enable"}},
            suggest_reply,
            ("enable", ""),
            needs=(SUGGEST_REPLY,),
        ),
        Answer("suggest_reply_info-null", {"suggest_reply_info": None}, suggest_reply, None, needs=(SUGGEST_REPLY,)),
        Answer(
            "suggest_reply_info-unknown-mode",
            {"suggest_reply_info": {"reply_mode": "smart", "customized_prompt": ""}},
            suggest_reply,
            ("smart", ""),
            needs=(SUGGEST_REPLY,),
            breaks=(bugs.bots.STR_ENUM_UNKNOWN,),
            warns="Unknown SuggestReplyMode value: smart",
        ),
        Answer("variables-empty", {"variables": []}, variables, [], needs=(VARIABLES,)),
        Answer("variables-null", {"variables": None}, variables, None, needs=(VARIABLES,)),
        Answer(
            "variables-documented",
            {"variables": [VARIABLE]},
            variables,
            [("user_name", "George", "custom", "The user's name", True, True)],
            needs=(VARIABLES,),
            breaks=(bugs.bots.VARIABLE_TYPE_REQUIRED,),
        ),
        Answer(
            "knowledge-documented",
            {"knowledge": {"knowledge_infos": [KNOWLEDGE_BASE]}},
            knowledge,
            [KNOWLEDGE_BASE["id"]],
            needs=("bots_bot_knowledge",),
            breaks=(bugs.bots.KNOWLEDGE_DISCARDED,),
        ),
        Answer("knowledge-null", {"knowledge": None}, knowledge, None, needs=("bots_bot_knowledge",)),
        Answer(
            "background_image_info-documented",
            {"background_image_info": {"web_background_image": BACKGROUND_IMAGE, "mobile_background_image": {}}},
            background,
            ("https://example.com/image.jpg", "#FFFFFF", (100, 300), ""),
            needs=(BACKGROUND,),
        ),
        Answer(
            "background_image_info-empty-draft",
            {
                "background_image_info": {
                    "web_background_image": EMPTY_BACKGROUND_IMAGE,
                    "mobile_background_image": EMPTY_BACKGROUND_IMAGE,
                }
            },
            background,
            ("", "", (None, None), ""),
            needs=(BACKGROUND,),
        ),
        Answer("background_image_info-null", {"background_image_info": None}, background, None, needs=(BACKGROUND,)),
        Answer(
            "voice_info_list-documented",
            {"voice_info_list": [VOICE]},
            voices,
            [("7468512265134899251", "zh")],
            needs=("bots_bot_voice_info_list",),
        ),
        Answer("voice_info_list-null", {"voice_info_list": None}, voices, None, needs=("bots_bot_voice_info_list",)),
        Answer(
            "workflow_info_list-documented",
            {"workflow_info_list": [WORKFLOW]},
            workflows,
            [tuple(WORKFLOW.values())],
            needs=("bots_bot_workflow_info_list",),
        ),
        Answer(
            "workflow_info_list-null",
            {"workflow_info_list": None},
            workflows,
            None,
            needs=("bots_bot_workflow_info_list",),
        ),
        Answer(
            "default_user_input_type-voice",
            {"default_user_input_type": "voice"},
            value_of(lambda bot: bot.default_user_input_type),
            "voice",
            needs=("bots_bot_default_user_input_type",),
        ),
        Answer(
            "default_user_input_type-empty",
            {"default_user_input_type": ""},
            value_of(lambda bot: bot.default_user_input_type),
            "",
            needs=("bots_bot_default_user_input_type",),
            warns="Unknown UserInputType value: $",
        ),
        Answer(
            "model-thinking_type-unknown",
            {"model_info.parameters": {"thinking_type": "adaptive"}},
            lambda bot: bot.model_info.parameters,
            {"thinking_type": "adaptive"},
            needs=("bots_model_info_parameters",),
        ),
        Answer(
            "model-response_format-unknown",
            {"model_info.response_format": "xml"},
            value_of(lambda bot: bot.model_info.response_format),
            "xml",
            needs=("bots_model_info_parameters",),
            warns="Unknown ResponseFormat value: xml",
        ),
    )
]

#: Through which API the bot is retrieved: v1 in every release, v2 where offered.
APIS = [
    pytest.param(1, id="v1"),
    pytest.param(2, id="v2", marks=pytest.mark.needs("bots_retrieve_v2")),
]
ASYNC_APIS = [
    pytest.param(1, id="v1"),
    pytest.param(2, id="v2", marks=pytest.mark.needs("async_bots_retrieve_v2")),
]


@contextlib.contextmanager
def warning(pattern: str | None) -> Iterator[None]:
    """Expect the ``UserWarning`` matching ``pattern`` (none expected when ``None``)."""
    if pattern is None:
        yield
    else:
        with pytest.warns(UserWarning, match=pattern):
            yield


def served(coze_api: FakeCoze, record: BotRecord, api: int) -> tuple[Any, str, dict[str, Any]]:
    """Register the retrieve route of ``api``; the route, the path and the arguments that retrieve ``record``."""
    if api == 1:
        return coze_api.bots.retrieve(), RETRIEVE_PATH, {"bot_id": record.bot_id}
    return coze_api.bots.retrieve_v2(), f"/v1/bots/{record.bot_id}", {"bot_id": record.bot_id, "use_api_version": 2}


class TestBotAnswers:
    @pytest.mark.parametrize("api", APIS)
    @pytest.mark.parametrize("answer", ANSWERS)
    def test_retrieve_bot_answer(
        self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord, answer: Answer, api: int
    ) -> None:
        """Given a bot whose answer has one field missing, ``null``, documented or an unknown enum value,
        When it is retrieved (v1 or v2),
        Then one GET asks for it and the caller reads that field as the service sent it."""
        record = coze_api.bots.add(replace(sample_bot_data, wire_fields=answer.fields))
        route, path, arguments = served(coze_api, record, api)

        with warning(answer.warns):
            bot = coze.bots.retrieve(**arguments)

        assert_sent(coze_api, route, path, {"bot_id": record.bot_id} if api == 1 else {})
        assert (bot.bot_id, answer.read(bot)) == (record.bot_id, answer.expected)

    @pytest.mark.parametrize("api", ASYNC_APIS)
    @pytest.mark.parametrize("answer", ANSWERS)
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_retrieve_bot_answer(
        self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord, answer: Answer, api: int
    ) -> None:
        """Given a bot whose answer has one field missing, ``null``, documented or an unknown enum value,
        When ``AsyncCoze`` retrieves it (v1 or v2),
        Then one GET asks for it and the caller reads that field as the service sent it."""
        record = coze_api.bots.add(replace(sample_bot_data, wire_fields=answer.fields))
        route, path, arguments = served(coze_api, record, api)

        with warning(answer.warns):
            bot = await async_coze.bots.retrieve(**arguments)

        assert_sent(coze_api, route, path, {"bot_id": record.bot_id} if api == 1 else {})
        assert (bot.bot_id, answer.read(bot)) == (record.bot_id, answer.expected)

    @pytest.mark.parametrize(
        ("mode", "member"), [(0, "SINGLE_AGENT"), (1, "MULTI_AGENT"), (2, "SINGLE_AGENT_WORKFLOW")]
    )
    @pytest.mark.needs("bots_bot_mode_single_agent")
    def test_retrieve_bot_mode_by_name(
        self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord, mode: int, member: str
    ) -> None:
        """Given a bot in each mode cozepy names,
        When it is retrieved,
        Then its ``bot_mode`` is the ``BotMode`` member of that name
        (``SINGLE_AGENT`` was spelt ``SINGL_EAGENT`` before 0.9.0)."""
        record = coze_api.bots.add(replace(sample_bot_data, wire_fields={"bot_mode": mode}))
        route = coze_api.bots.retrieve()

        bot = coze.bots.retrieve(bot_id=record.bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": record.bot_id})
        assert bot.bot_mode is getattr(SDK.bots.BotMode, member)

    # -- the /v1/bots list's items -----------------------------------------------------------------

    @pytest.mark.parametrize(
        ("fields", "published_at"),
        [
            pytest.param({"folder_id": ABSENT, "published_at": ABSENT}, None, id="documented-draft"),
            pytest.param({"published_at": None}, None, id="published_at-null"),
            pytest.param({"published_at": 0}, 0, id="published_at-zero"),
        ],
    )
    @pytest.mark.needs("bots_list_v2")
    def test_list_bots_v2_item_without_optional_fields(
        self,
        coze_api: FakeCoze,
        coze: Any,
        sample_bot_data: BotRecord,
        fields: dict[str, Any],
        published_at: int | None,
    ) -> None:
        """Given a never-published bot whose list item lacks ``folder_id`` and ``published_at``, or has them
        empty (the docs' example item),
        When the workspace's drafts are listed with ``use_api_version=2``,
        Then the item is handed over with its id, name and state, and no publish time."""
        record = coze_api.bots.add(replace(sample_bot_data, is_published=False, item_fields=fields))
        route = coze_api.bots.list()

        page = coze.bots.list(
            space_id=record.space_id, use_api_version=2, publish_status=SDK.PublishStatus.UNPUBLISHED_DRAFT
        )

        assert_sent(coze_api, route, LIST_V2_PATH, v2_query(record.space_id, 1, publish_status="unpublished_draft"))
        assert [(bot.id, bot.name, bot.is_published, bot.published_at) for bot in page.items] == [
            (record.bot_id, record.name, False, published_at)
        ]

    @pytest.mark.needs("async_client", "async_bots_list_v2")
    @pytest.mark.anyio
    async def test_async_list_bots_v2_item_without_optional_fields(
        self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord
    ) -> None:
        """Given a never-published bot whose list item lacks ``folder_id`` and ``published_at`` (the docs' example),
        When ``AsyncCoze`` lists the workspace's drafts with ``use_api_version=2``,
        Then the item is handed over with its id, name and state, and no publish time."""
        fields = {"folder_id": ABSENT, "published_at": ABSENT}
        record = coze_api.bots.add(replace(sample_bot_data, is_published=False, item_fields=fields))
        route = coze_api.bots.list()

        page = await async_coze.bots.list(
            space_id=record.space_id, use_api_version=2, publish_status=SDK.PublishStatus.UNPUBLISHED_DRAFT
        )

        assert_sent(coze_api, route, LIST_V2_PATH, v2_query(record.space_id, 1, publish_status="unpublished_draft"))
        assert [(bot.id, bot.name, bot.is_published, bot.published_at) for bot in page.items] == [
            (record.bot_id, record.name, False, None)
        ]
