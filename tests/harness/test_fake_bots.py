"""The fake's bots family: the writing endpoints check bodies as the service does and keep each bot's versions.

The stories reach create, update, publish and unpublish through cozepy, which sends well-formed
bodies: these tests send what cozepy never sends, with plain httpx, and pin what the fake answers
(4000 and a violation that fails ``verify()``; 4200 for an unknown bot), how a draft and its
published version part after an update, and how ``wire_fields`` shapes an answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from coze_compat.fake import envelope
from coze_compat.fake.bots import ABSENT, BotRecord
from coze_compat.fake.server import TOKEN, FakeCoze, UnexpectedRequestError

BASE = "https://api.coze.com"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPACE_ID = "7376207281939038251"
BOT_ID = "7379462189365198898"


@pytest.fixture
def fake() -> Iterator[FakeCoze]:
    with FakeCoze(token=TOKEN) as started:
        yield started


def post(path: str, body: Any) -> dict[str, Any]:
    response = httpx.post(f"{BASE}{path}", json=body, headers=AUTH)
    result: dict[str, Any] = response.json()
    return result


def get(path: str, **params: str) -> dict[str, Any]:
    result: dict[str, Any] = httpx.get(f"{BASE}{path}", params=params, headers=AUTH).json()
    return result


def assert_rejected(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """The service's 4000 carrying ``reason``, and ``verify()`` failing with it."""
    assert (body["code"], body["msg"]) == (envelope.BAD_REQUEST[0], f"{envelope.BAD_REQUEST[1]}: {reason}")
    with pytest.raises(UnexpectedRequestError, match=f"requests the service would reject: .*: {re.escape(reason)}$"):
        fake.verify()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            {"space_id": 7376, "name": "b"}, "space_id must be an id: a JSON string of digits, got 7376", id="number-id"
        ),
        pytest.param(
            {"space_id": "w1", "name": "b"},
            "space_id must be an id: a JSON string of digits, got 'w1'",
            id="non-digit-id",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "x" * 21},
            f"name must be a string of 1 to 20 characters, got {'x' * 21!r}",
            id="name-too-long",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "b", "suggest_reply_info": {"reply_mode": "smart"}},
            "suggest_reply_info.reply_mode must be one of 'enable', 'disable', 'customized', got 'smart'",
            id="unknown-reply-mode",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "b", "model_info_config": {"temperature": 1}},
            "model_info_config: missing field(s) model_id",
            id="model-without-id",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "b", "model_info_config": {"model_id": "1706077826", "max_tokens": True}},
            "model_info_config.max_tokens must be an integer, got True",
            id="bool-for-integer",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "b", "onboarding_info": {"suggested_questions": "Hi?"}},
            "onboarding_info.suggested_questions must be a list of at most 10000 items, got 'Hi?'",
            id="string-for-list",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "b", "prompt_info": "Be nice"},
            "prompt_info must be a JSON object, got 'Be nice'",
            id="string-for-object",
        ),
        pytest.param(
            {"space_id": SPACE_ID, "name": "b", "plugin_id_list": {"id_list": [{"plugin_id": "1"}]}},
            "plugin_id_list.id_list[0]: missing field(s) api_id",
            id="plugin-without-tool",
        ),
    ],
)
def test_create_body_the_service_rejects(fake: FakeCoze, body: dict[str, Any], reason: str) -> None:
    """Given the create endpoint,
    When a body breaks one of the service's rules (an id that is not a string of digits, a name too long,
    an unknown enum value, a nested object missing its required field, a wrong JSON type),
    Then the answer is 4000 naming the field, verify() fails with it, and no bot is created."""
    fake.bots.create()

    answer = post("/v1/bot/create", body)

    assert_rejected(fake, answer, reason)
    assert fake.bots.records == {}


def test_create_takes_null_as_left_out_and_numbers_as_numbers(fake: FakeCoze) -> None:
    """Given the create endpoint,
    When optional fields are ``null`` and the model's temperature is a float,
    Then the bot is created with the defaults for the null fields."""
    fake.bots.create()

    body = {
        "space_id": SPACE_ID,
        "name": "b",
        "description": None,
        "model_info_config": {"model_id": "1706077826", "top_p": 0.5},
    }
    answer = post("/v1/bot/create", body)

    record = fake.bots.records[answer["data"]["bot_id"]]
    assert (answer["code"], record.description, record.model_id, record.is_published) == (0, "", "1706077826", False)
    fake.verify()


def test_publish_needs_a_connector(fake: FakeCoze) -> None:
    """Given a bot,
    When it is published to an empty list of connectors,
    Then the answer is 4000 and the bot stays unpublished."""
    record = fake.bots.add(BotRecord(BOT_ID, "b", space_id=SPACE_ID, is_published=False))
    fake.bots.publish()

    answer = post("/v1/bot/publish", {"bot_id": BOT_ID, "connector_ids": []})

    assert_rejected(fake, answer, "connector_ids must name at least one connector")
    assert record.is_published is False


def test_update_leaves_the_published_version_until_the_next_publish(fake: FakeCoze) -> None:
    """Given a published bot,
    When its name is updated,
    Then the v2 list's published versions keep the old name and its drafts have the new one."""
    fake.bots.add(BotRecord(BOT_ID, "old", space_id=SPACE_ID))
    fake.bots.update()
    fake.bots.list()

    post("/v1/bot/update", {"bot_id": BOT_ID, "name": "new"})
    online = get("/v1/bots", workspace_id=SPACE_ID, publish_status="published_online")
    drafts = get("/v1/bots", workspace_id=SPACE_ID, publish_status="published_draft")

    assert [item["name"] for item in online["data"]["items"]] == ["old"]
    assert [item["name"] for item in drafts["data"]["items"]] == ["new"]
    fake.verify()


def test_v2_list_filters_published_bots_by_connector(fake: FakeCoze) -> None:
    """Given one bot published to the API and one to the Chat SDK,
    When the v2 list is asked for the published bots of the Chat SDK connector,
    Then it holds the second bot only."""
    fake.bots.add(BotRecord(BOT_ID, "api", space_id=SPACE_ID))
    fake.bots.add(BotRecord("7379462189365198899", "sdk", space_id=SPACE_ID, connectors={"999"}))
    fake.bots.list()

    answer = get("/v1/bots", workspace_id=SPACE_ID, connector_id="999")

    assert [item["name"] for item in answer["data"]["items"]] == ["sdk"]
    fake.verify()


def test_unpublish_from_one_of_two_connectors_keeps_the_bot_published(fake: FakeCoze) -> None:
    """Given a bot published to the API and the Chat SDK,
    When it is unpublished from the Chat SDK,
    Then it is still published to the API, and retrievable there."""
    record = fake.bots.add(BotRecord(BOT_ID, "b", space_id=SPACE_ID, connectors={"1024", "999"}))
    fake.bots.unpublish()
    fake.bots.retrieve()

    answer = post(f"/v1/bots/{BOT_ID}/unpublish", {"connector_id": "999"})
    bot = get("/v1/bot/get_online_info", bot_id=BOT_ID)

    assert (answer["code"], "data" in answer, record.connectors, record.is_published) == (0, False, {"1024"}, True)
    assert bot["data"]["bot_id"] == BOT_ID
    fake.verify()


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        pytest.param(
            f"/v1/bots/{BOT_ID}/unpublish",
            {"connector_id": 1024},
            "connector_id must be an id: a JSON string of digits, got 1024",
            id="number-connector",
        ),
        pytest.param(
            f"/v1/bots/{BOT_ID}/unpublish",
            {"bot_id": "7379462189365198899", "connector_id": "1024"},
            f"bot_id '7379462189365198899' in the body is not the bot of the path ('{BOT_ID}')",
            id="other-bot-in-body",
        ),
        pytest.param(
            "/v1/bots/my-bot/unpublish",
            {"connector_id": "1024"},
            "the path's bot_id must be an id: a JSON string of digits, got 'my-bot'",
            id="non-digit-path",
        ),
    ],
)
def test_unpublish_request_the_service_rejects(fake: FakeCoze, path: str, body: dict[str, Any], reason: str) -> None:
    """Given the unpublish endpoint,
    When the connector is a number, the body names another bot than the path, or the path's id is no id,
    Then the answer is 4000 naming the problem and verify() fails with it."""
    fake.bots.unpublish()

    assert_rejected(fake, post(path, body), reason)


def test_unpublish_unknown_bot(fake: FakeCoze) -> None:
    """Given no bot with the id asked for,
    When it is unpublished,
    Then the answer is the service's 4200."""
    fake.bots.unpublish()

    answer = post(f"/v1/bots/{BOT_ID}/unpublish", {"connector_id": "1024"})

    assert (answer["code"], answer["msg"]) == (
        envelope.NOT_FOUND[0],
        f"{envelope.NOT_FOUND[1]}: bot {{'bot_id': '{BOT_ID}'}}",
    )
    fake.verify()


def test_wire_fields_replace_remove_and_nest() -> None:
    """Given a bot with fields replaced, removed and nested ones changed,
    When its Bot object and list item are built,
    Then exactly those fields differ, and the record's own values are untouched."""
    record = BotRecord(
        BOT_ID,
        "b",
        wire_fields={"bot_mode": 3, "prompt_info": ABSENT, "onboarding_info.suggested_questions": None},
        item_fields={"publish_time": "soon"},
    )

    bot = record.wire()

    assert (bot["bot_mode"], "prompt_info" in bot, bot["onboarding_info"]) == (
        3,
        False,
        {"prologue": record.prologue, "suggested_questions": None},
    )
    assert (record.wire_published()["publish_time"], record.suggested_questions) == ("soon", ["What can you do?"])


def test_wire_fields_inside_a_field_that_is_no_object_is_a_clear_error() -> None:
    """Given a bot whose wire_fields name a field inside a field that is not an object,
    When its Bot object is built,
    Then the error names the path and the field that is not an object."""
    record = BotRecord(BOT_ID, "b", wire_fields={"name.first": "x"})

    with pytest.raises(
        ValueError, match=r"wire_fields: 'name.first' names a field inside 'name', which is not an object"
    ):
        record.wire()


def test_created_bot_answers_its_configuration(fake: FakeCoze) -> None:
    """Given a bot created with suggested replies, a plugin tool, a workflow and an icon,
    When its draft is read back as the Bot object,
    Then it carries them (names the fake does not know come back empty)."""
    fake.bots.create()
    fake.bots.retrieve_v2()
    body = {
        "space_id": SPACE_ID,
        "name": "b",
        "icon_file_id": "7369495981156231234",
        "suggest_reply_info": {"reply_mode": "enable"},
        "plugin_id_list": {"id_list": [{"plugin_id": "11", "api_id": "12"}]},
        "workflow_id_list": {"ids": [{"id": "13"}]},
    }

    bot_id = post("/v1/bot/create", body)["data"]["bot_id"]
    bot = get(f"/v1/bots/{bot_id}", is_published="false")["data"]

    assert bot["icon_url"].endswith("/7369495981156231234.png")
    assert (bot["suggest_reply_info"], bot["plugin_info_list"], bot["workflow_info_list"]) == (
        {"reply_mode": "enable", "customized_prompt": ""},
        [
            {
                "plugin_id": "11",
                "name": "",
                "description": "",
                "icon_url": "",
                "api_info_list": [{"api_id": "12", "name": "", "description": ""}],
            }
        ],
        [{"id": "13", "name": "", "description": "", "icon_url": ""}],
    )
    fake.verify()


def test_a_draft_never_published_is_updated_and_unpublished_in_place(fake: FakeCoze) -> None:
    """Given a bot that was never published,
    When it is updated and then unpublished,
    Then the draft has the update, and it stays a draft with no published version."""
    record = fake.bots.add(BotRecord(BOT_ID, "old", space_id=SPACE_ID, is_published=False))
    fake.bots.update()
    fake.bots.unpublish()

    post("/v1/bot/update", {"bot_id": BOT_ID, "name": "new"})
    post(f"/v1/bots/{BOT_ID}/unpublish", {"connector_id": "1024"})

    assert (record.name, record.is_published, BOT_ID in fake.bots.online) == ("new", False, False)
    fake.verify()
