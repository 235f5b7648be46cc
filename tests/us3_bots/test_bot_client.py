"""US3, bot operations (T019-T025): listing, paging and retrieving bots through the installed cozepy.

What a backend does with the bots of a workspace, checked against the fake Coze API, which pages
for real (it serves exactly the pages that exist, for the ``page_index``/``page_size`` it gets):

* the published-bots list, ``GET /v1/space/published_bots_list`` (``bots.list(space_id=...)``):
  one page with its ``total`` and ``has_more`` (T019), every page through ``iter_pages()``
  (T020), plain iteration over all items, the workspace filter (T022), a custom ``page_size``
  (T023), a starting ``page_num`` (one page, and the pages and items from it on, sync and async),
  ``has_more`` on a full last page and the log id of a page;
* the newer list, ``GET /v1/bots`` (``bots.list(..., use_api_version=2)``): one page, every page,
  iteration over all items (sync and async), the ``publish_status`` filter and the bots' folder;
* the caller's own request headers on either list (``headers=``);
* retrieval by id, ``GET /v1/bot/get_online_info`` with the log id of the answer (T021), and
  ``GET /v1/bots/{bot_id}`` with ``is_published`` (``use_api_version=2``); an unknown id;
* what the SDK does with a malformed answer: a list page without ``total``, a bot whose
  ``publish_time`` is not a number;
* the same through ``AsyncCoze`` (T024 and the ``test_async_*`` twins), async paging included.

Each test asserts every request (method, host, path, every query parameter), how many were made,
and every field of every item the story reads.

Across the matrix (skipped as not offered where a release lacks it):

* 0.2.0 has no ``AsyncCoze``; 0.2.0 and 0.3.0 return one page only: no ``iter_pages()``, no
  iteration over all items, no async paging (``AsyncNumberPaged`` came in 0.4.0);
* the log id on results and on pages came in 0.9.1; ``bots.list`` takes ``headers=`` from 0.17.0;
* the ``/v1/bots`` list and ``/v1/bots/{bot_id}`` retrieval came in 0.17.0, ``folder_id`` in 0.18.0;
* before 0.17.0 a published-bots item keeps ``publish_time`` as the raw string the service sent (no
  conversion, so nothing to check); 0.17.0 converts items to ``SimpleBot`` with ``int()``, and a
  non-numeric value raises ``ValueError``, which the malformed-reply test pins.

Known breaks (the release has the feature and behaves differently):

* 0.2.0-0.6.2: ``has_more`` is true on a full last page (counted from the items, not ``total``);
* 0.17.0, 0.18.0: ``BotModelInfo`` has no ``model_name``: the bot's model name is lost;
* 0.17.0-0.20.0: ``bots.list(..., headers=...)`` drops the caller's headers, except through
  ``AsyncCoze`` with ``use_api_version=2`` (sync ``list`` passes no ``**kwargs`` on; the v1 request
  makers set no headers).

The range of answers the service sends is in ``test_bot_answers.py``, creating and publishing bots
in ``test_bot_writes.py``, the property-based checks in ``test_bot_properties.py``.
"""

from __future__ import annotations

import re
from typing import Any

import cozepy
import pydantic
import pytest

from coze_compat import bugs
from coze_compat.fake import envelope
from coze_compat.fake.bots import BotRecord
from coze_compat.fake.server import FakeCoze
from tests.us3_bots.views import (
    LIST_V2_PATH,
    PUBLISHED_LIST_PATH,
    RETRIEVE_PATH,
    SDK,
    add_bots,
    assert_sent,
    bot_config,
    bot_view,
    malformed_page,
    page_view,
    published_items,
    published_query,
    published_view,
    v2_items,
    v2_query,
    v2_view,
)

OTHER_WORKSPACE_ID = "7376207281939038399"
NON_NUMERIC_PUBLISH_TIME = "2024-06-12T17:26:28Z"
NOT_AN_INT = re.escape(f"invalid literal for int() with base 10: '{NON_NUMERIC_PUBLISH_TIME}'")
MODEL_NAME_DROPPED = pytest.mark.known_break(bugs.bots.MODEL_NAME_DROPPED)
TAG_HEADER = "x-request-tag"

#: ``PublishStatus`` member, its wire value, and which of (published, published, unpublished) it selects.
PUBLISH_STATUSES = [
    pytest.param("ALL", "all", (0, 1, 2), id="all"),
    pytest.param("PUBLISHED_ONLINE", "published_online", (0, 1), id="published_online"),
    pytest.param("PUBLISHED_DRAFT", "published_draft", (0, 1), id="published_draft"),
    pytest.param("UNPUBLISHED_DRAFT", "unpublished_draft", (2,), id="unpublished_draft"),
]


@pytest.fixture
def workspace_bots(coze_api: FakeCoze, mock_workspace_id: str) -> list[BotRecord]:
    """Five published bots in ``mock_workspace_id``."""
    return add_bots(coze_api, mock_workspace_id, 5)


class TestBotOperations:
    # -- the published-bots list (v1) ----------------------------------------------------------

    @pytest.mark.seed("T019")
    def test_list_bots_single_page(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str) -> None:
        """Given a workspace with three published bots,
        When ``bots.list(space_id=...)`` is called with the default paging,
        Then one request asks for page 1 of 20 and the result holds the three bots, total 3 and no more pages."""
        bots = add_bots(coze_api, mock_workspace_id, 3)
        route = coze_api.bots.list_published()

        page: Any = coze.bots.list(space_id=mock_workspace_id)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1))
        assert page_view(page) == (published_items(bots), 3, False)

    @pytest.mark.seed("T024")
    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_bots(self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace with three published bots,
        When ``AsyncCoze`` lists them with the default paging,
        Then one request asks for page 1 of 20 and the result holds the three bots, total 3 and no more pages."""
        bots = add_bots(coze_api, mock_workspace_id, 3)
        route = coze_api.bots.list_published()

        page = await async_coze.bots.list(space_id=mock_workspace_id)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1))
        assert page_view(page) == (published_items(bots), 3, False)

    @pytest.mark.seed("T020")
    @pytest.mark.needs("number_paged_iter_pages")
    def test_list_bots_paginated(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When they are listed two per page and the pages are walked with ``iter_pages()``,
        Then pages 1, 2 and 3 are fetched once each and hold 2, 2 and 1 bots, with more pages after all but the last."""
        route = coze_api.bots.list_published()

        pages = [
            (page.page_num, *page_view(page))
            for page in coze.bots.list(space_id=mock_workspace_id, page_size=2).iter_pages()
        ]

        assert_sent(
            coze_api,
            route,
            PUBLISHED_LIST_PATH,
            *(published_query(mock_workspace_id, number, 2) for number in (1, 2, 3)),
        )
        assert pages == [
            (1, published_items(workspace_bots[0:2]), 5, True),
            (2, published_items(workspace_bots[2:4]), 5, True),
            (3, published_items(workspace_bots[4:5]), 5, False),
        ]

    @pytest.mark.needs("async_client", "async_number_paged_iter_pages")
    @pytest.mark.anyio
    async def test_async_list_bots_paginated(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When ``AsyncCoze`` lists them two per page and the pages are walked with ``async for ... in iter_pages()``,
        Then pages 1, 2 and 3 are fetched once each and hold 2, 2 and 1 bots, with more pages after all but the last."""
        route = coze_api.bots.list_published()

        paged = await async_coze.bots.list(space_id=mock_workspace_id, page_size=2)
        pages = [(page.page_num, *page_view(page)) async for page in paged.iter_pages()]

        assert_sent(
            coze_api,
            route,
            PUBLISHED_LIST_PATH,
            *(published_query(mock_workspace_id, number, 2) for number in (1, 2, 3)),
        )
        assert pages == [
            (1, published_items(workspace_bots[0:2]), 5, True),
            (2, published_items(workspace_bots[2:4]), 5, True),
            (3, published_items(workspace_bots[4:5]), 5, False),
        ]

    @pytest.mark.needs("number_paged_iteration")
    def test_list_bots_iterate_all(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When the list result (two per page) is iterated item by item,
        Then all five bots come out in order, from exactly three page requests."""
        route = coze_api.bots.list_published()

        bots = published_view(coze.bots.list(space_id=mock_workspace_id, page_size=2))

        assert_sent(
            coze_api,
            route,
            PUBLISHED_LIST_PATH,
            *(published_query(mock_workspace_id, number, 2) for number in (1, 2, 3)),
        )
        assert bots == published_items(workspace_bots)

    @pytest.mark.needs("async_client", "async_number_paged_iteration")
    @pytest.mark.anyio
    async def test_async_list_bots_iterate_all(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When the ``AsyncCoze`` list result (two per page) is iterated with ``async for``,
        Then all five bots come out in order, from exactly three page requests."""
        route = coze_api.bots.list_published()

        paged = await async_coze.bots.list(space_id=mock_workspace_id, page_size=2)
        bots = published_view([bot async for bot in paged])

        assert_sent(
            coze_api,
            route,
            PUBLISHED_LIST_PATH,
            *(published_query(mock_workspace_id, number, 2) for number in (1, 2, 3)),
        )
        assert bots == published_items(workspace_bots)

    @pytest.mark.seed("T022")
    def test_list_bots_by_workspace(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str) -> None:
        """Given two published bots in one workspace and three in another,
        When the bots of the second workspace are listed,
        Then the request names that workspace and the result holds its three bots only."""
        add_bots(coze_api, mock_workspace_id, 2)
        others = add_bots(coze_api, OTHER_WORKSPACE_ID, 3)
        route = coze_api.bots.list_published()

        page = coze.bots.list(space_id=OTHER_WORKSPACE_ID)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(OTHER_WORKSPACE_ID, 1))
        assert page_view(page) == (published_items(others), 3, False)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_bots_by_workspace(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str
    ) -> None:
        """Given two published bots in one workspace and three in another,
        When ``AsyncCoze`` lists the bots of the second workspace,
        Then the request names that workspace and the result holds its three bots only."""
        add_bots(coze_api, mock_workspace_id, 2)
        others = add_bots(coze_api, OTHER_WORKSPACE_ID, 3)
        route = coze_api.bots.list_published()

        page = await async_coze.bots.list(space_id=OTHER_WORKSPACE_ID)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(OTHER_WORKSPACE_ID, 1))
        assert page_view(page) == (published_items(others), 3, False)

    @pytest.mark.seed("T023")
    def test_list_bots_custom_page_size(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When they are listed with ``page_size=3``,
        Then one request asks for page 1 of 3 and the result holds the first three bots, total 5 and more pages."""
        route = coze_api.bots.list_published()

        page = coze.bots.list(space_id=mock_workspace_id, page_size=3)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1, 3))
        assert page_view(page) == (published_items(workspace_bots[0:3]), 5, True)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_bots_custom_page_size(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When ``AsyncCoze`` lists them with ``page_size=3``,
        Then one request asks for page 1 of 3 and the result holds the first three bots, total 5 and more pages."""
        route = coze_api.bots.list_published()

        page = await async_coze.bots.list(space_id=mock_workspace_id, page_size=3)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1, 3))
        assert page_view(page) == (published_items(workspace_bots[0:3]), 5, True)

    def test_list_bots_from_page_num(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When they are listed from ``page_num=2`` two per page,
        Then one request asks for page 2 of 2 and the result holds the third and fourth bots, with more pages."""
        route = coze_api.bots.list_published()

        page = coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 2, 2))
        assert page_view(page) == (published_items(workspace_bots[2:4]), 5, True)

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_bots_from_page_num(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When ``AsyncCoze`` lists them from ``page_num=2`` two per page,
        Then one request asks for page 2 of 2 and the result holds the third and fourth bots, with more pages."""
        route = coze_api.bots.list_published()

        page = await async_coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 2, 2))
        assert page_view(page) == (published_items(workspace_bots[2:4]), 5, True)

    @pytest.mark.needs("number_paged_iter_pages")
    def test_list_bots_pages_from_page_num(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When they are listed from ``page_num=2`` two per page and the pages are walked with ``iter_pages()``,
        Then pages 2 and 3 are fetched once each and hold the third to fifth bots, more pages after the first only."""
        route = coze_api.bots.list_published()

        paged = coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)
        pages = [(page.page_num, *page_view(page)) for page in paged.iter_pages()]

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, *(published_query(mock_workspace_id, n, 2) for n in (2, 3)))
        assert pages == [
            (2, published_items(workspace_bots[2:4]), 5, True),
            (3, published_items(workspace_bots[4:5]), 5, False),
        ]

    @pytest.mark.needs("async_client", "async_number_paged_iter_pages")
    @pytest.mark.anyio
    async def test_async_list_bots_pages_from_page_num(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When ``AsyncCoze`` lists them from ``page_num=2`` two per page and walks the pages with ``async for``,
        Then pages 2 and 3 are fetched once each and hold the third to fifth bots, more pages after the first only."""
        route = coze_api.bots.list_published()

        paged = await async_coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)
        pages = [(page.page_num, *page_view(page)) async for page in paged.iter_pages()]

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, *(published_query(mock_workspace_id, n, 2) for n in (2, 3)))
        assert pages == [
            (2, published_items(workspace_bots[2:4]), 5, True),
            (3, published_items(workspace_bots[4:5]), 5, False),
        ]

    @pytest.mark.needs("async_client", "async_number_paged_iteration")
    @pytest.mark.anyio
    async def test_async_list_bots_iterate_from_page_num(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When the ``AsyncCoze`` list result from ``page_num=2``, two per page, is iterated with ``async for``,
        Then the third to fifth bots come out in order, from exactly the requests for pages 2 and 3."""
        route = coze_api.bots.list_published()

        paged = await async_coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)
        bots = published_view([bot async for bot in paged])

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, *(published_query(mock_workspace_id, n, 2) for n in (2, 3)))
        assert bots == published_items(workspace_bots[2:5])

    @pytest.mark.known_break(bugs.bots.HAS_MORE_FROM_COUNT)
    def test_list_bots_full_last_page_has_no_more(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str
    ) -> None:
        """Given a workspace with four published bots,
        When page 2 of 2 is listed (the last page, and full),
        Then the result holds the third and fourth bots, total 4, and says no more pages exist."""
        bots = add_bots(coze_api, mock_workspace_id, 4)
        route = coze_api.bots.list_published()

        page = coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 2, 2))
        assert page_view(page) == (published_items(bots[2:4]), 4, False)

    @pytest.mark.needs("async_client")
    @pytest.mark.known_break(bugs.bots.HAS_MORE_FROM_COUNT)
    @pytest.mark.anyio
    async def test_async_list_bots_full_last_page_has_no_more(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str
    ) -> None:
        """Given a workspace with four published bots,
        When ``AsyncCoze`` lists page 2 of 2 (the last page, and full),
        Then the result holds the third and fourth bots, total 4, and says no more pages exist."""
        bots = add_bots(coze_api, mock_workspace_id, 4)
        route = coze_api.bots.list_published()

        page = await async_coze.bots.list(space_id=mock_workspace_id, page_num=2, page_size=2)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 2, 2))
        assert page_view(page) == (published_items(bots[2:4]), 4, False)

    @pytest.mark.needs("number_paged_logid")
    def test_list_bots_page_logid(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given the service answers a list request with an ``x-tt-logid`` header,
        When the bots of a workspace are listed,
        Then the page's ``response.logid`` is that log id."""
        add_bots(coze_api, mock_workspace_id, 1)
        coze_api.bots.list_published()

        page = coze.bots.list(space_id=mock_workspace_id)

        assert page.response.logid == coze_api.sdk_logid()

    @pytest.mark.needs("async_client", "async_number_paged_logid")
    @pytest.mark.anyio
    async def test_async_list_bots_page_logid(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str
    ) -> None:
        """Given the service answers a list request with an ``x-tt-logid`` header,
        When ``AsyncCoze`` lists the bots of a workspace,
        Then the page's ``response.logid`` is that log id."""
        add_bots(coze_api, mock_workspace_id, 1)
        coze_api.bots.list_published()

        page = await async_coze.bots.list(space_id=mock_workspace_id)

        assert page.response.logid == coze_api.sdk_logid()

    # -- the /v1/bots list (v2) -----------------------------------------------------------------

    @pytest.mark.needs("bots_list_v2")
    def test_list_bots_v2(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace with two published bots and one unpublished,
        When ``bots.list(space_id=..., use_api_version=2)`` is called,
        Then one GET /v1/bots asks for page 1 of 20 of the workspace and the result holds the two published bots."""
        bots = add_bots(coze_api, mock_workspace_id, 2)
        add_bots(coze_api, mock_workspace_id, 1, published=False)
        route = coze_api.bots.list()

        page = coze.bots.list(space_id=mock_workspace_id, use_api_version=2)

        assert_sent(coze_api, route, LIST_V2_PATH, v2_query(mock_workspace_id, 1))
        assert (v2_view(page.items), page.total, page.has_more) == (v2_items(bots), 2, False)

    @pytest.mark.needs("async_client", "async_bots_list_v2")
    @pytest.mark.anyio
    async def test_async_list_bots_v2(self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str) -> None:
        """Given a workspace with two published bots and one unpublished,
        When ``AsyncCoze`` lists them with ``use_api_version=2``,
        Then one GET /v1/bots asks for page 1 of 20 of the workspace and the result holds the two published bots."""
        bots = add_bots(coze_api, mock_workspace_id, 2)
        add_bots(coze_api, mock_workspace_id, 1, published=False)
        route = coze_api.bots.list()

        page = await async_coze.bots.list(space_id=mock_workspace_id, use_api_version=2)

        assert_sent(coze_api, route, LIST_V2_PATH, v2_query(mock_workspace_id, 1))
        assert (v2_view(page.items), page.total, page.has_more) == (v2_items(bots), 2, False)

    @pytest.mark.needs("bots_list_v2")
    def test_list_bots_v2_paginated(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When they are listed with ``use_api_version=2`` two per page and the pages are walked with ``iter_pages()``,
        Then pages 1, 2 and 3 of /v1/bots are fetched once each and hold 2, 2 and 1 bots."""
        route = coze_api.bots.list()

        paged = coze.bots.list(space_id=mock_workspace_id, page_size=2, use_api_version=2)
        pages = [(page.page_num, v2_view(page.items), page.total, page.has_more) for page in paged.iter_pages()]

        assert_sent(coze_api, route, LIST_V2_PATH, *(v2_query(mock_workspace_id, number, 2) for number in (1, 2, 3)))
        assert pages == [
            (1, v2_items(workspace_bots[0:2]), 5, True),
            (2, v2_items(workspace_bots[2:4]), 5, True),
            (3, v2_items(workspace_bots[4:5]), 5, False),
        ]

    @pytest.mark.needs("async_client", "async_bots_list_v2")
    @pytest.mark.anyio
    async def test_async_list_bots_v2_paginated(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When ``AsyncCoze`` lists them with ``use_api_version=2`` two per page and walks the pages with ``async for``,
        Then pages 1, 2 and 3 of /v1/bots are fetched once each and hold 2, 2 and 1 bots."""
        route = coze_api.bots.list()

        paged = await async_coze.bots.list(space_id=mock_workspace_id, page_size=2, use_api_version=2)
        pages = [(page.page_num, v2_view(page.items), page.total, page.has_more) async for page in paged.iter_pages()]

        assert_sent(coze_api, route, LIST_V2_PATH, *(v2_query(mock_workspace_id, number, 2) for number in (1, 2, 3)))
        assert pages == [
            (1, v2_items(workspace_bots[0:2]), 5, True),
            (2, v2_items(workspace_bots[2:4]), 5, True),
            (3, v2_items(workspace_bots[4:5]), 5, False),
        ]

    @pytest.mark.needs("bots_list_v2")
    def test_list_bots_v2_iterate_all(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When the ``use_api_version=2`` list result (two per page) is iterated item by item,
        Then all five bots come out in order, from exactly three page requests of /v1/bots."""
        route = coze_api.bots.list()

        bots = v2_view(coze.bots.list(space_id=mock_workspace_id, page_size=2, use_api_version=2))

        assert_sent(coze_api, route, LIST_V2_PATH, *(v2_query(mock_workspace_id, number, 2) for number in (1, 2, 3)))
        assert bots == v2_items(workspace_bots)

    @pytest.mark.needs("async_client", "async_bots_list_v2")
    @pytest.mark.anyio
    async def test_async_list_bots_v2_iterate_all(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord]
    ) -> None:
        """Given a workspace with five published bots,
        When the ``AsyncCoze`` ``use_api_version=2`` list result (two per page) is iterated with ``async for``,
        Then all five bots come out in order, from exactly three page requests of /v1/bots."""
        route = coze_api.bots.list()

        paged = await async_coze.bots.list(space_id=mock_workspace_id, page_size=2, use_api_version=2)
        bots = v2_view([bot async for bot in paged])

        assert_sent(coze_api, route, LIST_V2_PATH, *(v2_query(mock_workspace_id, number, 2) for number in (1, 2, 3)))
        assert bots == v2_items(workspace_bots)

    @pytest.mark.parametrize(("status", "value", "selected"), PUBLISH_STATUSES)
    @pytest.mark.needs("bots_list_v2")
    def test_list_bots_v2_publish_status(
        self,
        coze_api: FakeCoze,
        coze: Any,
        mock_workspace_id: str,
        status: str,
        value: str,
        selected: tuple[int, ...],
    ) -> None:
        """Given a workspace with two published bots and one unpublished,
        When they are listed with ``use_api_version=2`` and a ``PublishStatus``,
        Then the request carries ``publish_status=<value>`` and the result holds the bots that status selects."""
        bots = add_bots(coze_api, mock_workspace_id, 2) + add_bots(coze_api, mock_workspace_id, 1, published=False)
        route = coze_api.bots.list()

        page = coze.bots.list(
            space_id=mock_workspace_id, use_api_version=2, publish_status=getattr(SDK.PublishStatus, status)
        )

        assert_sent(coze_api, route, LIST_V2_PATH, v2_query(mock_workspace_id, 1, publish_status=value))
        expected = [bots[index] for index in selected]
        assert (v2_view(page.items), page.total) == (v2_items(expected), len(expected))

    @pytest.mark.parametrize(("status", "value", "selected"), PUBLISH_STATUSES)
    @pytest.mark.needs("async_client", "async_bots_list_v2")
    @pytest.mark.anyio
    async def test_async_list_bots_v2_publish_status(
        self,
        coze_api: FakeCoze,
        async_coze: Any,
        mock_workspace_id: str,
        status: str,
        value: str,
        selected: tuple[int, ...],
    ) -> None:
        """Given a workspace with two published bots and one unpublished,
        When ``AsyncCoze`` lists them with ``use_api_version=2`` and a ``PublishStatus``,
        Then the request carries ``publish_status=<value>`` and the result holds the bots that status selects."""
        bots = add_bots(coze_api, mock_workspace_id, 2) + add_bots(coze_api, mock_workspace_id, 1, published=False)
        route = coze_api.bots.list()

        page = await async_coze.bots.list(
            space_id=mock_workspace_id, use_api_version=2, publish_status=getattr(SDK.PublishStatus, status)
        )

        assert_sent(coze_api, route, LIST_V2_PATH, v2_query(mock_workspace_id, 1, publish_status=value))
        expected = [bots[index] for index in selected]
        assert (v2_view(page.items), page.total) == (v2_items(expected), len(expected))

    @pytest.mark.needs("bots_list_v2", "bots_list_item_folder_id")
    def test_list_bots_v2_folder_id(self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str) -> None:
        """Given two published bots, each in its own folder,
        When they are listed with ``use_api_version=2``,
        Then each listed bot carries its ``folder_id``."""
        bots = add_bots(coze_api, mock_workspace_id, 2)
        coze_api.bots.list()

        page = coze.bots.list(space_id=mock_workspace_id, use_api_version=2)

        assert [bot.folder_id for bot in page.items] == [record.folder_id for record in bots]

    # -- custom headers ----------------------------------------------------------------------------

    @pytest.mark.parametrize("api", [pytest.param(1, id="v1"), pytest.param(2, id="v2")])
    @pytest.mark.needs("bots_list_headers")
    @pytest.mark.known_break(bugs.bots.LIST_DROPS_HEADERS)
    def test_list_bots_custom_headers(
        self, coze_api: FakeCoze, coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord], api: int
    ) -> None:
        """Given a caller that tags its requests with a header of its own,
        When it lists the bots of a workspace with ``headers=`` (either list API),
        Then the request carries that header."""
        (coze_api.bots.list_published if api == 1 else coze_api.bots.list)()

        coze.bots.list(space_id=mock_workspace_id, use_api_version=api, headers={TAG_HEADER: "backend-7"})

        assert coze_api.last_request().headers.get(TAG_HEADER) == "backend-7"

    @pytest.mark.parametrize(
        "api",
        [
            pytest.param(1, id="v1", marks=pytest.mark.known_break(bugs.bots.LIST_DROPS_HEADERS)),
            pytest.param(2, id="v2"),
        ],
    )
    @pytest.mark.needs("async_client", "async_bots_list_headers")
    @pytest.mark.anyio
    async def test_async_list_bots_custom_headers(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, workspace_bots: list[BotRecord], api: int
    ) -> None:
        """Given a caller that tags its requests with a header of its own,
        When ``AsyncCoze`` lists the bots of a workspace with ``headers=`` (either list API),
        Then the request carries that header."""
        (coze_api.bots.list_published if api == 1 else coze_api.bots.list)()

        await async_coze.bots.list(space_id=mock_workspace_id, use_api_version=api, headers={TAG_HEADER: "backend-7"})

        assert coze_api.last_request().headers.get(TAG_HEADER) == "backend-7"

    # -- retrieval -------------------------------------------------------------------------------

    @pytest.mark.seed("T021")
    @pytest.mark.needs("result_logid")
    @MODEL_NAME_DROPPED
    def test_retrieve_bot(self, coze_api: FakeCoze, coze: cozepy.Coze, sample_bot_data: BotRecord) -> None:
        """Given a published bot,
        When it is retrieved by id,
        Then one GET /v1/bot/get_online_info?bot_id=<id> is sent, the bot carries its whole configuration
        (model name included), and ``bot.response.logid`` is the log id of the answer."""
        record = coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        bot: Any = coze.bots.retrieve(bot_id=record.bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": record.bot_id})
        assert bot_view(bot) == bot_config(record)
        assert bot.response.logid == coze_api.sdk_logid()

    @pytest.mark.needs("async_client", "result_logid")
    @MODEL_NAME_DROPPED
    @pytest.mark.anyio
    async def test_async_retrieve_bot(self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a published bot,
        When ``AsyncCoze`` retrieves it by id,
        Then one GET /v1/bot/get_online_info?bot_id=<id> is sent, the bot carries its whole configuration
        (model name included), and ``bot.response.logid`` is the log id of the answer."""
        record = coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        bot = await async_coze.bots.retrieve(bot_id=record.bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": record.bot_id})
        assert bot_view(bot) == bot_config(record)
        assert bot.response.logid == coze_api.sdk_logid()

    @MODEL_NAME_DROPPED
    def test_retrieve_bot_configuration(
        self, coze_api: FakeCoze, coze: cozepy.Coze, sample_bot_data: BotRecord
    ) -> None:
        """Given a published bot,
        When it is retrieved by id (on every release, with or without log ids on results),
        Then one GET /v1/bot/get_online_info?bot_id=<id> is sent and the bot carries its whole configuration."""
        record = coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        bot = coze.bots.retrieve(bot_id=record.bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": record.bot_id})
        assert bot_view(bot) == bot_config(record)

    @pytest.mark.needs("async_client")
    @MODEL_NAME_DROPPED
    @pytest.mark.anyio
    async def test_async_retrieve_bot_configuration(
        self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord
    ) -> None:
        """Given a published bot,
        When ``AsyncCoze`` retrieves it by id (on every release, with or without log ids on results),
        Then one GET /v1/bot/get_online_info?bot_id=<id> is sent and the bot carries its whole configuration."""
        record = coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve()

        bot = await async_coze.bots.retrieve(bot_id=record.bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": record.bot_id})
        assert bot_view(bot) == bot_config(record)

    @pytest.mark.parametrize(
        ("is_published", "query"),
        [
            pytest.param(None, {}, id="default"),
            pytest.param(True, {"is_published": "true"}, id="published"),
            pytest.param(False, {"is_published": "false"}, id="draft"),
        ],
    )
    @pytest.mark.needs("bots_retrieve_v2")
    @MODEL_NAME_DROPPED
    def test_retrieve_bot_v2(
        self,
        coze_api: FakeCoze,
        coze: Any,
        sample_bot_data: BotRecord,
        is_published: bool | None,
        query: dict[str, str],
    ) -> None:
        """Given a bot,
        When it is retrieved with ``use_api_version=2`` and ``is_published`` left out, true or false,
        Then one GET /v1/bots/<id> carries exactly that ``is_published`` and the bot carries its configuration
        and owner."""
        record = coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve_v2()

        bot = coze.bots.retrieve(bot_id=record.bot_id, use_api_version=2, is_published=is_published)

        assert_sent(coze_api, route, f"/v1/bots/{record.bot_id}", query)
        assert (bot_view(bot), bot.owner_user_id) == (bot_config(record), record.owner_user_id)

    @pytest.mark.needs("async_client", "async_bots_retrieve_v2")
    @MODEL_NAME_DROPPED
    @pytest.mark.anyio
    async def test_async_retrieve_bot_v2(self, coze_api: FakeCoze, async_coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a bot,
        When ``AsyncCoze`` retrieves its draft with ``use_api_version=2, is_published=False``,
        Then one GET /v1/bots/<id>?is_published=false is sent and the bot carries its configuration and owner."""
        record = coze_api.bots.add(sample_bot_data)
        route = coze_api.bots.retrieve_v2()

        bot = await async_coze.bots.retrieve(bot_id=record.bot_id, use_api_version=2, is_published=False)

        assert_sent(coze_api, route, f"/v1/bots/{record.bot_id}", {"is_published": "false"})
        assert (bot_view(bot), bot.owner_user_id) == (bot_config(record), record.owner_user_id)

    @pytest.mark.needs("bots_retrieve_v2", "bots_bot_folder_id")
    def test_retrieve_bot_v2_folder_id(self, coze_api: FakeCoze, coze: Any, sample_bot_data: BotRecord) -> None:
        """Given a bot in a folder,
        When it is retrieved with ``use_api_version=2``,
        Then the bot carries its ``folder_id``."""
        record = coze_api.bots.add(sample_bot_data)
        coze_api.bots.retrieve_v2()

        bot = coze.bots.retrieve(bot_id=record.bot_id, use_api_version=2)

        assert bot.folder_id == record.folder_id

    def test_retrieve_unknown_bot(self, coze_api: FakeCoze, coze: cozepy.Coze, mock_bot_id: str) -> None:
        """Given no bot with the id asked for,
        When it is retrieved,
        Then ``CozeAPIError`` carries the service's 4200, its message and the log id of the answer."""
        route = coze_api.bots.retrieve()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            coze.bots.retrieve(bot_id=mock_bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": mock_bot_id})
        error = raised.value
        assert (error.code, error.msg, error.logid) == (
            envelope.NOT_FOUND[0],
            f"{envelope.NOT_FOUND[1]}: bot {{'bot_id': '{mock_bot_id}'}}",
            coze_api.sdk_logid(),
        )

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_retrieve_unknown_bot(self, coze_api: FakeCoze, async_coze: Any, mock_bot_id: str) -> None:
        """Given no bot with the id asked for,
        When ``AsyncCoze`` retrieves it,
        Then ``CozeAPIError`` carries the service's 4200, its message and the log id of the answer."""
        route = coze_api.bots.retrieve()

        with pytest.raises(cozepy.CozeAPIError) as raised:
            await async_coze.bots.retrieve(bot_id=mock_bot_id)

        assert_sent(coze_api, route, RETRIEVE_PATH, {"bot_id": mock_bot_id})
        error = raised.value
        assert (error.code, error.msg, error.logid) == (
            envelope.NOT_FOUND[0],
            f"{envelope.NOT_FOUND[1]}: bot {{'bot_id': '{mock_bot_id}'}}",
            coze_api.sdk_logid(),
        )

    # -- malformed answers -----------------------------------------------------------------------

    def test_list_bots_page_missing_total(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str, sample_bot_data: BotRecord
    ) -> None:
        """Given the service answers a list request with a page that has no ``total``,
        When the bots of a workspace are listed,
        Then a pydantic ``ValidationError`` names the one missing field, ``total``."""
        route = coze_api.bots.list_published(reply=malformed_page(sample_bot_data, total=None))

        with pytest.raises(pydantic.ValidationError) as raised:
            coze.bots.list(space_id=mock_workspace_id)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1))
        assert [(error["loc"], error["type"]) for error in raised.value.errors()] == [(("total",), "missing")]

    @pytest.mark.needs("async_client")
    @pytest.mark.anyio
    async def test_async_list_bots_page_missing_total(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, sample_bot_data: BotRecord
    ) -> None:
        """Given the service answers a list request with a page that has no ``total``,
        When ``AsyncCoze`` lists the bots of a workspace,
        Then a pydantic ``ValidationError`` names the one missing field, ``total``."""
        route = coze_api.bots.list_published(reply=malformed_page(sample_bot_data, total=None))

        with pytest.raises(pydantic.ValidationError) as raised:
            await async_coze.bots.list(space_id=mock_workspace_id)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1))
        assert [(error["loc"], error["type"]) for error in raised.value.errors()] == [(("total",), "missing")]

    @pytest.mark.needs("bots_list_items_converted")
    def test_list_bots_non_numeric_publish_time(
        self, coze_api: FakeCoze, coze: cozepy.Coze, mock_workspace_id: str, sample_bot_data: BotRecord
    ) -> None:
        """Given the service lists a bot whose ``publish_time`` is not a number of seconds,
        When the bots of a workspace are listed,
        Then the SDK raises ``ValueError`` quoting the value instead of handing the bot over."""
        item = {"publish_time": NON_NUMERIC_PUBLISH_TIME}
        route = coze_api.bots.list_published(reply=malformed_page(sample_bot_data, item=item))

        with pytest.raises(ValueError, match=f"^{NOT_AN_INT}$") as raised:
            coze.bots.list(space_id=mock_workspace_id)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1))
        assert type(raised.value) is ValueError  # not a pydantic ValidationError: the value reached `int()`

    @pytest.mark.needs("async_client", "bots_list_items_converted")
    @pytest.mark.anyio
    async def test_async_list_bots_non_numeric_publish_time(
        self, coze_api: FakeCoze, async_coze: Any, mock_workspace_id: str, sample_bot_data: BotRecord
    ) -> None:
        """Given the service lists a bot whose ``publish_time`` is not a number of seconds,
        When ``AsyncCoze`` lists the bots of a workspace,
        Then the SDK raises ``ValueError`` quoting the value instead of handing the bot over."""
        item = {"publish_time": NON_NUMERIC_PUBLISH_TIME}
        route = coze_api.bots.list_published(reply=malformed_page(sample_bot_data, item=item))

        with pytest.raises(ValueError, match=f"^{NOT_AN_INT}$") as raised:
            await async_coze.bots.list(space_id=mock_workspace_id)

        assert_sent(coze_api, route, PUBLISHED_LIST_PATH, published_query(mock_workspace_id, 1))
        assert type(raised.value) is ValueError  # not a pydantic ValidationError: the value reached `int()`
