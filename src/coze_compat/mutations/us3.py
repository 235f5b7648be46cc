"""Regressions the US3 stories (bots: listing, paging, retrieval, the range of answers, writing) must catch."""

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

_SYNC_PUBLISH = (
    "    def publish(self, *, bot_id: str, connector_ids: Optional[List[str]] = None, **kwargs) -> Bot:\n"
    '        url = f"{self._base_url}/v1/bot/publish"\n'
    '        headers: Optional[dict] = kwargs.get("headers")\n'
    "        if not connector_ids:\n"
)
_ASYNC_PUBLISH = (
    "        **kwargs,\n"
    "    ) -> Bot:\n"
    '        url = f"{self._base_url}/v1/bot/publish"\n'
    '        headers: Optional[dict] = kwargs.get("headers")\n'
    "        if not connector_ids:\n"
)
#: The tail of the sync create's body, up to its call (unique: only create sends plugins and workflows).
_SYNC_CREATE_BODY = (
    '                "prompt_info": prompt_info,\n'
    '                "onboarding_info": onboarding_info,\n'
    '                "suggest_reply_info": suggest_reply_info,\n'
    '                "model_info_config": model_info_config,\n'
    '                "plugin_id_list": plugin_id_list,\n'
    '                "workflow_id_list": workflow_id_list,\n'
    "            }\n"
    "        )\n"
    '        headers: Optional[dict] = kwargs.get("headers")\n\n'
    '        return self._requester.request("post"'
)
#: The sync update's URL and body, up to its call (the async one awaits ``arequest``).
_SYNC_UPDATE = (
    '        url = f"{self._base_url}/v1/bot/update"\n'
    "        body = dump_exclude_none(\n"
    "            {\n"
    '                "bot_id": bot_id,\n'
    '                "name": name,\n'
    '                "description": description,\n'
    '                "icon_file_id": icon_file_id,\n'
    '                "prompt_info": prompt_info,\n'
    '                "onboarding_info": onboarding_info,\n'
    '                "knowledge": knowledge,\n'
    '                "suggest_reply_info": suggest_reply_info,\n'
    '                "model_info_config": model_info_config,\n'
    "            }\n"
    "        )\n"
    '        headers: Optional[dict] = kwargs.get("headers")\n\n'
    "        return self._requester.request(\n"
)
_SYNC_UNPUBLISH_BODY = (
    '        body = {\n            "bot_id": bot_id,\n            "connector_id": connector_id,\n'
    '            "unpublish_reason": unpublish_reason,\n        }\n'
    "        return self._requester.request("
)
_ASYNC_LIST_V2_HEADERS = (
    "        async def request_maker(i_page_num: int, i_page_size: int) -> HTTPRequest:\n"
    "            return await self._requester.amake_request(\n"
    '                "GET",\n'
    "                url,\n"
    "                params=remove_none_values(\n"
    "                    {\n"
    '                        "workspace_id": workspace_id,\n'
    '                        "page_size": i_page_size,\n'
    '                        "page_index": i_page_num,\n'
    '                        "publish_status": publish_status.value if publish_status else None,\n'
    '                        "connector_id": connector_id,\n'
    "                    }\n"
    "                ),\n"
    "                headers=headers,\n"
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
    Mutation(
        id="us3-suggested-questions-null-rejected",
        story="US3",
        what="`BotOnboardingInfo.suggested_questions` rejects `null` again (as before coze-dev/coze-py#292)",
        file="bots/__init__.py",
        find="    suggested_questions: Optional[List[str]] = []\n",
        replace="    suggested_questions: List[str] = []\n",
    ),
    Mutation(
        id="us3-top-p-required",
        story="US3",
        what="`BotModelInfo.top_p` is required (the unreleased state coze-dev/coze-py#273 fixed)",
        file="bots/__init__.py",
        find="    top_p: Optional[float] = None\n",
        replace="    top_p: float\n",
    ),
    Mutation(
        id="us3-suggest-reply-mode-closed-enum",
        story="US3",
        what="`SuggestReplyMode` is a plain `(str, Enum)` again: an unknown reply mode fails the bot (before #270)",
        file="bots/__init__.py",
        find="class SuggestReplyMode(DynamicStrEnum):\n",
        replace='class SuggestReplyMode(str, __import__("enum").Enum):\n',
    ),
    Mutation(
        id="us3-model-parameters-booleans",
        story="US3",
        what="`BotModelInfo.parameters` takes booleans, so a `thinking_type` such as 'adaptive' fails the bot",
        file="bots/__init__.py",
        find="    parameters: Optional[Dict[str, str]] = None\n",
        replace="    parameters: Optional[Dict[str, bool]] = None\n",
    ),
    Mutation(
        id="us3-variables-null-rejected",
        story="US3",
        what="`Bot.variables` rejects `null` (a list with a default instead of Optional)",
        file="bots/__init__.py",
        find="    variables: Optional[List[BotVariable]] = None\n",
        replace="    variables: List[BotVariable] = []\n",
    ),
    Mutation(
        id="us3-voice-language-renamed",
        story="US3",
        what="`BotVoiceInfo` reads a voice's language from `language` instead of `language_code`",
        file="bots/__init__.py",
        find="    language_code: str\n",
        replace="    language: str\n",
    ),
    Mutation(
        id="us3-list-item-published-at-required",
        story="US3",
        what="a /v1/bots list item must carry `published_at` (the docs leave it out for drafts)",
        file="bots/__init__.py",
        find="    published_at: Optional[int] = None\n",
        replace="    published_at: int\n",
    ),
    Mutation(
        id="us3-publish-default-connector-api",
        story="US3",
        what='`bots.publish` without connectors publishes to `"API"` again (as before coze-dev/coze-py#117)',
        file="bots/__init__.py",
        find=_SYNC_PUBLISH + '            connector_ids = ["1024"]\n',
        replace=_SYNC_PUBLISH + '            connector_ids = ["API"]\n',
    ),
    Mutation(
        id="us3-async-publish-default-connector-api",
        story="US3",
        what='the async `bots.publish` without connectors publishes to `"API"` again',
        file="bots/__init__.py",
        find=_ASYNC_PUBLISH + '            connector_ids = ["1024"]\n',
        replace=_ASYNC_PUBLISH + '            connector_ids = ["API"]\n',
    ),
    Mutation(
        id="us3-create-onboarding-dropped",
        story="US3",
        what="`bots.create` no longer sends the onboarding (prologue, suggested questions)",
        file="bots/__init__.py",
        find=_SYNC_CREATE_BODY,
        replace=_SYNC_CREATE_BODY.replace('                "onboarding_info": onboarding_info,\n', ""),
    ),
    Mutation(
        id="us3-update-wrong-path",
        story="US3",
        what="`bots.update` posts to /v1/bots/update instead of /v1/bot/update",
        file="bots/__init__.py",
        find=_SYNC_UPDATE,
        replace=_SYNC_UPDATE.replace("/v1/bot/update", "/v1/bots/update"),
    ),
    Mutation(
        id="us3-unpublish-reason-dropped",
        story="US3",
        what="`bots.unpublish` no longer sends the caller's `unpublish_reason`",
        file="bots/__init__.py",
        find=_SYNC_UNPUBLISH_BODY,
        replace=_SYNC_UNPUBLISH_BODY.replace('"unpublish_reason": unpublish_reason', '"unpublish_reason": None'),
    ),
    Mutation(
        id="us3-async-list-v2-headers-dropped",
        story="US3",
        what="the async /v1/bots list no longer sends the caller's `headers=`",
        file="bots/__init__.py",
        find=_ASYNC_LIST_V2_HEADERS,
        replace=_ASYNC_LIST_V2_HEADERS.replace("                headers=headers,\n", ""),
    ),
    Mutation(
        id="us3-async-iter-pages-restarts-at-one",
        story="US3",
        what="async `iter_pages()` counts the following pages from page 1, whatever page it started from",
        file="model.py",
        find=(
            "        page_num = self.page_num\n"
            "        current_page = self\n"
            "        while AsyncNumberPaged._is_page_has_more(current_page):\n"
        ),
        replace=(
            "        page_num = 1\n"
            "        current_page = self\n"
            "        while AsyncNumberPaged._is_page_has_more(current_page):\n"
        ),
    ),
)
