"""Regressions the US3 stories (bots: listing, paging, retrieval) must catch."""

from __future__ import annotations

from coze_compat.mutations import Mutation

_SYNC_LIST_V1 = (
    "            return self._requester.make_request(\n"
    '                "GET",\n'
    "                url,\n"
    "                params={\n"
    '                    "space_id": space_id,\n'
    '                    "page_size": i_page_size,\n'
)
_ASYNC_LIST_V1 = (
    "            return await self._requester.amake_request(\n"
    '                "GET",\n'
    "                url,\n"
    "                params={\n"
    '                    "space_id": space_id,\n'
)
_SYNC_LIST_V2 = (
    "            return self._requester.make_request(\n"
    '                "GET",\n'
    "                url,\n"
    "                params=remove_none_values(\n"
    "                    {\n"
)
_SYNC_RETRIEVE_TAIL = (
    '        headers: Optional[dict] = kwargs.get("headers")\n\n'
    '        return self._requester.request("get", url, False, Bot, params=params, headers=headers)'
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        id="us3-list-page-index-renamed",
        story="US3",
        what="the published-bots list sends its page number as `page_num` instead of `page_index`",
        file="bots/__init__.py",
        find=_SYNC_LIST_V1 + '                    "page_index": i_page_num,\n',
        replace=_SYNC_LIST_V1 + '                    "page_num": i_page_num,\n',
    ),
    Mutation(
        id="us3-async-list-page-size-dropped",
        story="US3",
        what="the async published-bots list no longer sends `page_size`",
        file="bots/__init__.py",
        find=_ASYNC_LIST_V1 + '                    "page_size": i_page_size,\n',
        replace=_ASYNC_LIST_V1,
    ),
    Mutation(
        id="us3-list-v2-workspace-renamed",
        story="US3",
        what="the /v1/bots list names the workspace `space_id` instead of `workspace_id`",
        file="bots/__init__.py",
        find=_SYNC_LIST_V2 + '                        "workspace_id": workspace_id,\n',
        replace=_SYNC_LIST_V2 + '                        "space_id": workspace_id,\n',
    ),
    Mutation(
        id="us3-list-v2-publish-status-dropped",
        story="US3",
        what="the /v1/bots list ignores the caller's `publish_status`",
        file="bots/__init__.py",
        find=(
            _SYNC_LIST_V2 + '                        "workspace_id": workspace_id,\n'
            '                        "page_size": i_page_size,\n'
            '                        "page_index": i_page_num,\n'
            '                        "publish_status": publish_status.value if publish_status else None,\n'
        ),
        replace=(
            _SYNC_LIST_V2 + '                        "workspace_id": workspace_id,\n'
            '                        "page_size": i_page_size,\n'
            '                        "page_index": i_page_num,\n'
            '                        "publish_status": None,\n'
        ),
    ),
    Mutation(
        id="us3-list-total-dropped",
        story="US3",
        what="a published-bots list page no longer reports the `total` the service sent",
        file="bots/__init__.py",
        find=(
            "    space_bots: List[SimpleBotV1]\n    total: int\n\n"
            "    def get_total(self) -> Optional[int]:\n        return self.total\n"
        ),
        replace=(
            "    space_bots: List[SimpleBotV1]\n    total: int\n\n"
            "    def get_total(self) -> Optional[int]:\n        return None\n"
        ),
    ),
    Mutation(
        id="us3-has-more-off-by-one",
        story="US3",
        what="a page claims more pages when `total` equals the items seen so far (`>=` for `>`)",
        file="model.py",
        find=(
            "            return page._total > page.page_num * page.page_size\n"
            "        if page._items is not None and page._items"
        ),
        replace=(
            "            return page._total >= page.page_num * page.page_size\n"
            "        if page._items is not None and page._items"
        ),
    ),
    Mutation(
        id="us3-async-has-more-off-by-one",
        story="US3",
        what="an async page claims more pages when `total` equals the items seen so far (`>=` for `>`)",
        file="model.py",
        find=(
            "            return page._total > page.page_num * page.page_size\n"
            "        if page._total is not None and page._items"
        ),
        replace=(
            "            return page._total >= page.page_num * page.page_size\n"
            "        if page._total is not None and page._items"
        ),
    ),
    Mutation(
        id="us3-page-logid-lost",
        story="US3",
        what="a page of a sync list result no longer keeps the response it came from (no log id)",
        file="model.py",
        find=(
            "        res: NumberPagedResponse[T] = self._requestor.send(request)\n"
            "        self._total = res.get_total()\n"
            "        self._has_more = res.get_has_more()\n"
            "        self._items = res.get_items()\n"
            "        self._http_response = res.response\n"
        ),
        replace=(
            "        res: NumberPagedResponse[T] = self._requestor.send(request)\n"
            "        self._total = res.get_total()\n"
            "        self._has_more = res.get_has_more()\n"
            "        self._items = res.get_items()\n"
            "        self._http_response = None\n"
        ),
    ),
    Mutation(
        id="us3-iter-pages-skips-first-page",
        story="US3",
        what="`iter_pages()` of a sync list result no longer yields the first page",
        file="model.py",
        find='    def iter_pages(self) -> Iterator["NumberPaged[T]"]:\n        yield self\n',
        replace='    def iter_pages(self) -> Iterator["NumberPaged[T]"]:\n',
    ),
    Mutation(
        id="us3-async-iteration-first-page-only",
        story="US3",
        what="`async for` over an async list result stops after the first page",
        file="model.py",
        find=(
            "    async def __aiter__(self) -> AsyncIterator[T]:\n"
            "        async for page in self.iter_pages():\n"
            "            for item in page.items:\n"
            "                yield item\n\n"
            '    async def iter_pages(self) -> AsyncIterator["AsyncNumberPaged[T]"]:'
        ),
        replace=(
            "    async def __aiter__(self) -> AsyncIterator[T]:\n"
            "        for item in self.items:\n"
            "            yield item\n\n"
            '    async def iter_pages(self) -> AsyncIterator["AsyncNumberPaged[T]"]:'
        ),
    ),
    Mutation(
        id="us3-retrieve-wrong-path",
        story="US3",
        what="bots.retrieve asks /v1/bot/get_info instead of /v1/bot/get_online_info",
        file="bots/__init__.py",
        find=(
            '        url = f"{self._base_url}/v1/bot/get_online_info"\n'
            '        params = {"bot_id": bot_id}\n' + _SYNC_RETRIEVE_TAIL
        ),
        replace=(
            '        url = f"{self._base_url}/v1/bot/get_info"\n'
            '        params = {"bot_id": bot_id}\n' + _SYNC_RETRIEVE_TAIL
        ),
    ),
    Mutation(
        id="us3-retrieve-v2-is-published-dropped",
        story="US3",
        what="bots.retrieve(use_api_version=2) no longer sends `is_published`",
        file="bots/__init__.py",
        find='        params = remove_none_values({"is_published": is_published})\n' + _SYNC_RETRIEVE_TAIL,
        replace="        params = {}\n" + _SYNC_RETRIEVE_TAIL,
    ),
    Mutation(
        id="us3-model-name-dropped",
        story="US3",
        what="`BotModelInfo` loses `model_name` again (as in 0.17.0 and 0.18.0)",
        file="bots/__init__.py",
        find="    # The name of the model.\n    model_name: Optional[str] = None\n",
        replace="",
    ),
    Mutation(
        id="us3-publish-time-swallowed",
        story="US3",
        what="a non-numeric `publish_time` in the published-bots list is silently turned into 0",
        file="bots/__init__.py",
        find=(
            "                updated_at=int(self.publish_time),\n"
            '                owner_user_id="",\n'
            "                published_at=int(self.publish_time),\n"
        ),
        replace=(
            "                updated_at=int(self.publish_time) if self.publish_time.isdigit() else 0,\n"
            '                owner_user_id="",\n'
            "                published_at=int(self.publish_time) if self.publish_time.isdigit() else 0,\n"
        ),
    ),
)
