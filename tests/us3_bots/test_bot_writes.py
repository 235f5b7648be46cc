"""US3, managing bots: create, update, publish and unpublish through the installed cozepy.

What a backend that provisions bots does, against the fake Coze API, which keeps state as the
service does (coze-dev/coze-sdk-gen ``docs/api-markdown``: create_bot, update_bot, publish_bot,
unpublish_agent): a created bot is an unpublished draft, found only by ``/v1/bots/{id}`` with
``is_published=false`` and the v2 list's drafts; publishing makes the draft the online version,
which the published-bots list and ``get_online_info`` serve; an update changes the draft and leaves
the online version as it was until the next publish; unpublishing from the last connector makes the
bot a draft again. Each test asserts every request (method, host, path, query and the JSON body as
the service reads it: a ``null`` field is a field left out) and what the caller gets back.

The fake checks each body as the service checks it: ids are JSON strings (a JSON number where a
string belongs is a 4000), connectors are named by id, and an unknown bot, model or knowledge base
is a 4200; the tests that provoke those errors take the rejected request off the fake's list of
violations once they have asserted it.

Across the matrix:

* ``create``, ``update`` and ``publish`` are in every release (async from 0.3.0); ``update(knowledge=)``
  came with 0.12.0, ``suggest_reply_info`` with 0.14.0, ``model_info_config`` with 0.17.0 (before,
  a bot cannot be created with a model: coze-dev/coze-py#211), ``plugin_id_list``/``workflow_id_list``
  on create and ``unpublish`` with 0.20.0; reading a draft by ``/v1/bots/{id}`` needs 0.17.0;
* known break: before 0.7.0 ``publish`` without connectors publishes to ``"API"``, which is no
  connector id (coze-dev/coze-py#117 made the default ``"1024"``).
"""

from __future__ import annotations

from typing import Any

import cozepy
import pytest

from coze_compat import bugs
from coze_compat.fake import envelope
from coze_compat.fake.bots import NOW, BotRecord
from coze_compat.fake.server import FakeCoze
from tests.us3_bots.views import HOST, PUBLISHED_LIST_PATH, RETRIEVE_PATH, SDK, published_query

#: ``cozepy.bots`` of the installed release, for models only some releases have.
BOTS: Any = cozepy.bots

CREATE_PATH = "/v1/bot/create"
UPDATE_PATH = "/v1/bot/update"
PUBLISH_PATH = "/v1/bot/publish"
#: The id the fake gives the first bot it creates.
NEW_BOT_ID = "7500000000000000001"
API = "1024"
CHAT_SDK = "999"
PROMPT = "You answer questions about dates."
PROLOGUE = "Ask me about any date."
QUESTIONS = ["What day is 2024-10-01?"]
KNOWLEDGE_BASE_ID = "7385093717923411234"


def posts(coze_api: FakeCoze) -> list[tuple[str, str, str, dict[str, str], Any]]:
    """Every request the fake received: method, host, path, query and body as the service reads it."""
    return [
        (
            request.method,
            request.host,
            request.path,
            request.flat_query(),
            request.body if not isinstance(request.body, dict) else without_nulls(request.body),
        )
        for request in coze_api.requests
    ]


def without_nulls(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the service reads it: a ``null`` field is a field left out (``coze_compat.fake.bots``)."""
    return {name: value for name, value in body.items() if value is not None}


def post(path: str, body: dict[str, Any]) -> tuple[str, str, str, dict[str, str], Any]:
    return ("POST", HOST, path, {}, body)


def get(path: str, query: dict[str, str]) -> tuple[str, str, str, dict[str, str], Any]:
    return ("GET", HOST, path, query, None)


def creation(space_id: str) -> dict[str, Any]:
    """The arguments of a create every release takes, and the body they must become."""
    return {
        "space_id": space_id,
        "name": "Calendar helper",
        "description": "Answers questions about dates",
        "icon_file_id": "7369495981156231234",
        "prompt_info": SDK.BotPromptInfo(prompt=PROMPT),
        "onboarding_info": SDK.BotOnboardingInfo(prologue=PROLOGUE, suggested_questions=QUESTIONS),
    }


def creation_body(space_id: str) -> dict[str, Any]:
    return {
        "space_id": space_id,
        "name": "Calendar helper",
        "description": "Answers questions about dates",
        "icon_file_id": "7369495981156231234",
        "prompt_info": {"prompt": PROMPT},
        "onboarding_info": {"prologue": PROLOGUE, "suggested_questions": QUESTIONS},
    }


def configuration(bot: Any) -> tuple[Any, ...]:
    """What a caller reads back from a retrieved bot it configured."""
    return (
        bot.bot_id,
        bot.name,
        bot.description,
        bot.prompt_info.prompt,
        bot.onboarding_info.prologue,
        bot.onboarding_info.suggested_questions,
    )


def created_configuration(bot_id: str = NEW_BOT_ID) -> tuple[Any, ...]:
    return (bot_id, "Calendar helper", "Answers questions about dates", PROMPT, PROLOGUE, QUESTIONS)


def rejected(coze_api: FakeCoze) -> list[str]:
    """The reasons of the requests the fake rejected, taken off its list so that ``verify()`` passes:
    the test provoked them on purpose and has asserted them."""
    reasons = [violation.reason for violation in coze_api.violations]
    coze_api.violations.clear()
    return reasons


def api_error(error: cozepy.CozeAPIError) -> tuple[Any, Any]:
    return error.code, error.msg


@pytest.fixture
def draft(coze_api: FakeCoze, mock_workspace_id: str) -> BotRecord:
    """A bot in ``mock_workspace_id`` that was never published."""
    return coze_api.bots.add(BotRecord("7500000000000000009", "Draft", space_id=mock_workspace_id, is_published=False))


class TestBotWrites:
    # -- create ------------------------------------------------------------------------------------

    def test_create_bot(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace,
        When a bot is created with a name, description, icon, prompt and onboarding,
        Then one POST /v1/bot/create carries exactly those, the caller gets the new bot's id,
        and the bot is an unpublished draft: the published-bots list does not hold it."""
        create = coze_api.bots.create()
        listing = coze_api.bots.list_published()

        bot = coze.bots.create(**creation(mock_workspace_id))
        page = coze.bots.list(space_id=mock_workspace_id)

        assert posts(coze_api) == [
            post(CREATE_PATH, creation_body(mock_workspace_id)),
            get(PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1)),
        ]
        assert (create.call_count, listing.call_count) == (1, 1)
        assert (bot.bot_id, page.items, page.total) == (NEW_BOT_ID, [], 0)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_create_bot(self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace,
        When ``AsyncCoze`` creates a bot with a name, description, icon, prompt and onboarding,
        Then one POST /v1/bot/create carries exactly those, the caller gets the new bot's id,
        and the bot is an unpublished draft: the published-bots list does not hold it."""
        coze_api.bots.create()
        coze_api.bots.list_published()

        bot = await async_coze.bots.create(**creation(mock_workspace_id))
        page = await async_coze.bots.list(space_id=mock_workspace_id)

        assert posts(coze_api) == [
            post(CREATE_PATH, creation_body(mock_workspace_id)),
            get(PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1)),
        ]
        assert (bot.bot_id, page.items, page.total) == (NEW_BOT_ID, [], 0)

    def test_create_bot_with_a_name_only(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace,
        When a bot is created with nothing but its name,
        Then the POST /v1/bot/create body holds the workspace and the name only (no icon: the platform
        assigns its default one), and the caller gets the new bot's id."""
        coze_api.bots.create()

        bot = coze.bots.create(space_id=mock_workspace_id, name="Calendar helper")

        assert posts(coze_api) == [post(CREATE_PATH, {"space_id": mock_workspace_id, "name": "Calendar helper"})]
        assert bot.bot_id == NEW_BOT_ID

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_create_bot_with_a_name_only(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str
    ) -> None:
        """Given a workspace,
        When ``AsyncCoze`` creates a bot with nothing but its name,
        Then the body holds the workspace and the name only (the async client has its own defaults)."""
        coze_api.bots.create()

        bot = await async_coze.bots.create(space_id=mock_workspace_id, name="Calendar helper")

        assert posts(coze_api) == [post(CREATE_PATH, {"space_id": mock_workspace_id, "name": "Calendar helper"})]
        assert bot.bot_id == NEW_BOT_ID

    def test_create_publish_then_retrieve_and_list(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a bot created in a workspace,
        When it is published to the API connector and then retrieved and listed,
        Then the publish names the bot and the connector, answers the bot's new version, and the bot is
        retrievable with its configuration and listed with its name."""
        coze_api.bots.create()
        coze_api.bots.publish()
        coze_api.bots.retrieve()
        coze_api.bots.list_published()

        bot_id = coze.bots.create(**creation(mock_workspace_id)).bot_id
        published = coze.bots.publish(bot_id=bot_id, connector_ids=[API])
        bot = coze.bots.retrieve(bot_id=bot_id)
        page = coze.bots.list(space_id=mock_workspace_id)

        assert posts(coze_api)[1:] == [
            post(PUBLISH_PATH, {"bot_id": NEW_BOT_ID, "connector_ids": [API]}),
            get(RETRIEVE_PATH, {"bot_id": NEW_BOT_ID}),
            get(PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1)),
        ]
        version = coze_api.bots.records[NEW_BOT_ID].version
        assert (published.bot_id, published.version, version) == (NEW_BOT_ID, str(NOW * 1000 + 2), version)
        assert (configuration(bot), bot.version) == (created_configuration(), version)
        assert [(item.bot_id, item.bot_name, item.publish_time) for item in page.items] == [
            (NEW_BOT_ID, "Calendar helper", str(NOW))
        ]

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_create_publish_then_retrieve(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str
    ) -> None:
        """Given a bot created through ``AsyncCoze``,
        When it is published to the API connector and then retrieved,
        Then the publish names the bot and the connector and the bot is retrievable with its configuration."""
        coze_api.bots.create()
        coze_api.bots.publish()
        coze_api.bots.retrieve()

        bot_id = (await async_coze.bots.create(**creation(mock_workspace_id))).bot_id
        published = await async_coze.bots.publish(bot_id=bot_id, connector_ids=[API])
        bot = await async_coze.bots.retrieve(bot_id=bot_id)

        assert posts(coze_api)[1:] == [
            post(PUBLISH_PATH, {"bot_id": NEW_BOT_ID, "connector_ids": [API]}),
            get(RETRIEVE_PATH, {"bot_id": NEW_BOT_ID}),
        ]
        assert (published.bot_id, configuration(bot)) == (NEW_BOT_ID, created_configuration())

    @pytest.mark.needs("bots_retrieve_v2", "bots_list_v2")
    def test_created_draft_is_found_as_a_draft_only(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str
    ) -> None:
        """Given a bot just created (never published),
        When it is retrieved with ``is_published=False`` and without, and the workspace's drafts are listed,
        Then the draft comes back with its configuration, the published version does not exist (4200),
        and the v2 list of unpublished drafts holds it."""
        coze_api.bots.create()
        coze_api.bots.retrieve_v2()
        coze_api.bots.list()

        bot_id = coze.bots.create(**creation(mock_workspace_id)).bot_id
        draft = coze.bots.retrieve(bot_id=bot_id, use_api_version=2, is_published=False)
        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=bot_id, use_api_version=2)
        page = coze.bots.list(
            space_id=mock_workspace_id, use_api_version=2, publish_status=SDK.PublishStatus.UNPUBLISHED_DRAFT
        )

        assert posts(coze_api)[1:] == [
            get(f"/v1/bots/{NEW_BOT_ID}", {"is_published": "false"}),
            get(f"/v1/bots/{NEW_BOT_ID}", {}),
            get(
                "/v1/bots",
                {
                    "workspace_id": mock_workspace_id,
                    "page_size": "20",
                    "page_index": "1",
                    "publish_status": "unpublished_draft",
                },
            ),
        ]
        assert configuration(draft) == created_configuration()
        assert raised.value.code == envelope.NOT_FOUND[0]
        assert [(item.id, item.name, item.is_published) for item in page.items] == [
            (NEW_BOT_ID, "Calendar helper", False)
        ]

    def test_create_bot_with_a_number_for_the_space_is_rejected(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str
    ) -> None:
        """Given a caller that passes the workspace id as a number,
        When it creates a bot,
        Then the JSON body carries a number where the service wants a string, and the service's 4000 is raised."""
        coze_api.bots.create()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.create(space_id=int(mock_workspace_id), name="Calendar helper")

        reason = f"space_id must be an id: a JSON string of digits, got {int(mock_workspace_id)!r}"
        assert posts(coze_api) == [post(CREATE_PATH, {"space_id": int(mock_workspace_id), "name": "Calendar helper"})]
        assert (api_error(raised.value), rejected(coze_api)) == (
            (envelope.BAD_REQUEST[0], f"{envelope.BAD_REQUEST[1]}: {reason}"),
            [reason],
        )
        assert coze_api.bots.records == {}

    @pytest.mark.needs("bots_create_suggest_reply_info")
    def test_create_bot_with_suggested_replies(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace,
        When a bot is created with customized suggested replies,
        Then the body carries the reply mode and its prompt, and the draft suggests replies that way."""
        coze_api.bots.create()
        replies = SDK.BotSuggestReplyInfo(
            reply_mode=SDK.SuggestReplyMode.CUSTOMIZED, customized_prompt="Ask about dates"
        )

        coze.bots.create(space_id=mock_workspace_id, name="Calendar helper", suggest_reply_info=replies)

        assert posts(coze_api) == [
            post(
                CREATE_PATH,
                {
                    "space_id": mock_workspace_id,
                    "name": "Calendar helper",
                    "suggest_reply_info": {"reply_mode": "customized", "customized_prompt": "Ask about dates"},
                },
            )
        ]
        assert coze_api.bots.records[NEW_BOT_ID].suggest_reply_info == {
            "reply_mode": "customized",
            "customized_prompt": "Ask about dates",
        }

    @pytest.mark.needs("bots_create_model_info_config")
    def test_create_bot_with_a_model(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace and a model the service knows,
        When a bot is created with that model and a temperature,
        Then the body's ``model_info_config`` carries exactly the model id and the temperature,
        and the bot uses that model."""
        coze_api.bots.create()
        model = BOTS.BotModelInfo(model_id="1737521813", temperature=0.5)

        coze.bots.create(space_id=mock_workspace_id, name="Calendar helper", model_info_config=model)

        assert posts(coze_api) == [
            post(
                CREATE_PATH,
                {
                    "space_id": mock_workspace_id,
                    "name": "Calendar helper",
                    "model_info_config": {"model_id": "1737521813", "temperature": 0.5},
                },
            )
        ]
        record = coze_api.bots.records[NEW_BOT_ID]
        assert (record.model_id, record.model_name) == ("1737521813", coze_api.bots.models["1737521813"])

    @pytest.mark.needs("bots_create_model_info_config")
    def test_create_bot_with_an_unknown_model(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a model id the service does not know,
        When a bot is created with it,
        Then the service's 4200 is raised and no bot is created."""
        coze_api.bots.create()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.create(
                space_id=mock_workspace_id, name="Calendar helper", model_info_config=BOTS.BotModelInfo(model_id="1")
            )

        assert raised.value.code == envelope.NOT_FOUND[0]
        assert coze_api.bots.records == {}

    @pytest.mark.needs("bots_create_plugins_and_workflows")
    def test_create_bot_with_plugins_and_workflows(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace,
        When a bot is created with a plugin tool and a workflow,
        Then the body carries them as ``plugin_id_list.id_list`` and ``workflow_id_list.ids``, and the bot uses them."""
        coze_api.bots.create()
        tools = BOTS.PluginIDList(id_list=[BOTS.PluginIDList.PluginIDInfo(plugin_id="7311989349275531", api_id="7350")])
        flows = BOTS.WorkflowIDList(ids=[BOTS.WorkflowIDList.WorkflowIDInfo(id="7460491086110371")])

        coze.bots.create(
            space_id=mock_workspace_id, name="Calendar helper", plugin_id_list=tools, workflow_id_list=flows
        )

        assert posts(coze_api) == [
            post(
                CREATE_PATH,
                {
                    "space_id": mock_workspace_id,
                    "name": "Calendar helper",
                    "plugin_id_list": {"id_list": [{"plugin_id": "7311989349275531", "api_id": "7350"}]},
                    "workflow_id_list": {"ids": [{"id": "7460491086110371"}]},
                },
            )
        ]
        record = coze_api.bots.records[NEW_BOT_ID]
        assert (record.plugin_tools, record.workflow_ids) == ([("7311989349275531", "7350")], ["7460491086110371"])

    # -- update ------------------------------------------------------------------------------------

    def test_update_bot_changes_the_draft_until_published(
        self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord
    ) -> None:
        """Given a published bot,
        When its name, description, prompt and onboarding are updated, it is retrieved, published and retrieved again,
        Then the update carries exactly those fields, the published bot keeps its old configuration until
        the publish, and has the new one after it."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.update()
        coze_api.bots.retrieve()
        coze_api.bots.publish()
        before = (record.bot_id, record.name, record.description, record.prompt, record.prologue)

        coze.bots.update(
            bot_id=record.bot_id,
            name="Calendar helper",
            description="Answers questions about dates",
            prompt_info=SDK.BotPromptInfo(prompt=PROMPT),
            onboarding_info=SDK.BotOnboardingInfo(prologue=PROLOGUE, suggested_questions=QUESTIONS),
        )
        old = coze.bots.retrieve(bot_id=record.bot_id)
        coze.bots.publish(bot_id=record.bot_id, connector_ids=[API])
        new = coze.bots.retrieve(bot_id=record.bot_id)

        assert posts(coze_api) == [
            post(
                UPDATE_PATH,
                {
                    "bot_id": record.bot_id,
                    "name": "Calendar helper",
                    "description": "Answers questions about dates",
                    "prompt_info": {"prompt": PROMPT},
                    "onboarding_info": {"prologue": PROLOGUE, "suggested_questions": QUESTIONS},
                },
            ),
            get(RETRIEVE_PATH, {"bot_id": record.bot_id}),
            post(PUBLISH_PATH, {"bot_id": record.bot_id, "connector_ids": [API]}),
            get(RETRIEVE_PATH, {"bot_id": record.bot_id}),
        ]
        assert configuration(old)[:5] == before
        assert configuration(new) == created_configuration(record.bot_id)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_update_bot(self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a published bot,
        When ``AsyncCoze`` updates its name and prompt,
        Then the update carries exactly those fields and the bot's draft has them."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.update()

        await async_coze.bots.update(
            bot_id=record.bot_id, name="Calendar helper", prompt_info=SDK.BotPromptInfo(prompt=PROMPT)
        )

        body = {"bot_id": record.bot_id, "name": "Calendar helper", "prompt_info": {"prompt": PROMPT}}
        assert posts(coze_api) == [post(UPDATE_PATH, body)]
        assert (record.name, record.prompt) == ("Calendar helper", PROMPT)

    def test_update_unknown_bot(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str) -> None:
        """Given no bot with the id asked for,
        When it is updated,
        Then ``CozeAPIError`` carries the service's 4200 and its message."""
        coze_api.bots.update()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.update(bot_id=mock_bot_id, name="Calendar helper")

        assert posts(coze_api) == [post(UPDATE_PATH, {"bot_id": mock_bot_id, "name": "Calendar helper"})]
        assert api_error(raised.value) == (
            envelope.NOT_FOUND[0],
            f"{envelope.NOT_FOUND[1]}: bot {{'bot_id': '{mock_bot_id}'}}",
        )

    @pytest.mark.needs("bots_update_knowledge")
    def test_update_bot_knowledge(self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a bot and a knowledge base the service knows,
        When the bot is given that knowledge base, called on demand with hybrid search,
        Then the body's ``knowledge`` carries the dataset id, ``auto_call`` and ``search_strategy``,
        and the bot's draft uses that knowledge base."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.knowledge_bases[KNOWLEDGE_BASE_ID] = "Product manual"
        coze_api.bots.update()
        knowledge = SDK.BotKnowledge(dataset_ids=[KNOWLEDGE_BASE_ID], auto_call=False, search_strategy=1)

        coze.bots.update(bot_id=record.bot_id, knowledge=knowledge)

        body = {
            "bot_id": record.bot_id,
            "knowledge": {"dataset_ids": [KNOWLEDGE_BASE_ID], "auto_call": False, "search_strategy": 1},
        }
        assert posts(coze_api) == [post(UPDATE_PATH, body)]
        assert record.knowledge == [{"id": KNOWLEDGE_BASE_ID, "name": "Product manual"}]

    @pytest.mark.needs("bots_update_knowledge")
    def test_update_bot_with_an_unknown_knowledge_base(
        self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord
    ) -> None:
        """Given a knowledge base id the service does not know,
        When a bot is given it,
        Then the service's 4200 names the knowledge base and the bot keeps its knowledge."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.update()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.update(bot_id=record.bot_id, knowledge=SDK.BotKnowledge(dataset_ids=[KNOWLEDGE_BASE_ID]))

        assert api_error(raised.value) == (
            envelope.NOT_FOUND[0],
            f"{envelope.NOT_FOUND[1]}: knowledge base {{'dataset_id': '{KNOWLEDGE_BASE_ID}'}}",
        )
        assert record.knowledge == []

    # -- publish -----------------------------------------------------------------------------------

    @pytest.mark.known_break(bugs.bots.PUBLISH_CONNECTOR_API)
    def test_publish_bot_to_the_api_by_default(self, coze_api: FakeCoze, coze: Any, draft: BotRecord) -> None:
        """Given an unpublished bot,
        When it is published without naming connectors,
        Then the body names the API connector ("1024") and the bot is published there."""
        coze_api.bots.publish()

        published = coze.bots.publish(bot_id=draft.bot_id)

        assert posts(coze_api) == [post(PUBLISH_PATH, {"bot_id": draft.bot_id, "connector_ids": [API]})]
        assert (published.bot_id, published.version, draft.is_published, draft.connectors) == (
            draft.bot_id,
            draft.version,
            True,
            {API},
        )

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.bots.PUBLISH_CONNECTOR_API)
    @pytest.mark.anyio
    async def test_async_publish_bot_to_the_api_by_default(
        self, coze_api: FakeCoze, async_coze: Any, draft: BotRecord
    ) -> None:
        """Given an unpublished bot,
        When ``AsyncCoze`` publishes it without naming connectors,
        Then the body names the API connector ("1024") and the bot is published there."""
        coze_api.bots.publish()

        published = await async_coze.bots.publish(bot_id=draft.bot_id)

        assert posts(coze_api) == [post(PUBLISH_PATH, {"bot_id": draft.bot_id, "connector_ids": [API]})]
        assert (published.bot_id, draft.is_published, draft.connectors) == (draft.bot_id, True, {API})

    def test_publish_bot_to_the_chat_sdk_only(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, draft: BotRecord
    ) -> None:
        """Given an unpublished bot,
        When it is published to the Chat SDK connector only,
        Then it is published, but not as an API: the published-bots list does not hold it."""
        coze_api.bots.publish()
        coze_api.bots.list_published()

        coze.bots.publish(bot_id=draft.bot_id, connector_ids=[CHAT_SDK])
        page = coze.bots.list(space_id=mock_workspace_id)

        assert posts(coze_api)[0] == post(PUBLISH_PATH, {"bot_id": draft.bot_id, "connector_ids": [CHAT_SDK]})
        assert (draft.is_published, draft.connectors, page.items, page.total) == (True, {CHAT_SDK}, [], 0)

    def test_publish_unknown_bot(self, coze_api: FakeCoze, coze: Any, mock_bot_id: str) -> None:
        """Given no bot with the id asked for,
        When it is published,
        Then ``CozeAPIError`` carries the service's 4200."""
        coze_api.bots.publish()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.publish(bot_id=mock_bot_id, connector_ids=[API])

        assert posts(coze_api) == [post(PUBLISH_PATH, {"bot_id": mock_bot_id, "connector_ids": [API]})]
        assert raised.value.code == envelope.NOT_FOUND[0]

    # -- unpublish ---------------------------------------------------------------------------------

    @pytest.mark.needs("bots_unpublish")
    def test_unpublish_bot(self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a bot published to the API,
        When it is unpublished from the API connector with a reason, and then retrieved,
        Then one POST /v1/bots/<id>/unpublish carries the connector and the reason, and the bot is no
        longer published (4200)."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.unpublish()
        coze_api.bots.retrieve()

        coze.bots.unpublish(bot_id=record.bot_id, connector_id=API, unpublish_reason="Service ended")
        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=record.bot_id)

        body = {"bot_id": record.bot_id, "connector_id": API, "unpublish_reason": "Service ended"}
        assert posts(coze_api) == [
            post(f"/v1/bots/{record.bot_id}/unpublish", body),
            get(RETRIEVE_PATH, {"bot_id": record.bot_id}),
        ]
        assert (raised.value.code, record.is_published) == (envelope.NOT_FOUND[0], False)

    @pytest.mark.needs("async_client", "async_bots_unpublish")
    @pytest.mark.anyio
    async def test_async_unpublish_bot(self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a bot published to the API,
        When ``AsyncCoze`` unpublishes it from the API connector without a reason,
        Then the body carries the connector (and no reason) and the bot is no longer published."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.unpublish()

        await async_coze.bots.unpublish(bot_id=record.bot_id, connector_id=API)

        body = {"bot_id": record.bot_id, "connector_id": API}
        assert posts(coze_api) == [post(f"/v1/bots/{record.bot_id}/unpublish", body)]
        assert record.is_published is False
