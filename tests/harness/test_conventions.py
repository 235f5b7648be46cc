"""House rules checked on the source of the story tests (T050, T052, seed traceability).

* every test has a Given/When/Then docstring, in that order (T050);
* every seed test exists under the seed's file, class and name and carries its seed marker, so
  each task ID (T009-T044) can be traced to its test;
* every story module has a module docstring (T014, T025, T035, T045);
* no test sleeps for real.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from coze_compat.matrix import PROJECT_ROOT

TESTS = PROJECT_ROOT / "tests"
STORY_PACKAGES = ("us1_setup", "us2_client", "us3_bots", "us4_chat", "us5_workflows")
GIVEN_WHEN_THEN = re.compile(r"^\s*Given\b.*^\s*When\b.*^\s*Then\b", re.DOTALL | re.MULTILINE)

#: task -> (story package, module, class, test), from shared/reference/seed-tasks.md.
SEED_TESTS = {
    "T009": ("us1_setup", "test_coze_client", "TestCozeClientInitialization", "test_sync_client_init"),
    "T010": ("us1_setup", "test_coze_client", "TestCozeClientInitialization", "test_async_client_init"),
    "T011": ("us1_setup", "test_coze_client", "TestCozeClientConfiguration", "test_custom_http_client_timeout"),
    "T012": ("us1_setup", "test_coze_client", "TestCozeClientConfiguration", "test_logging_setup"),
    "T013": ("us1_setup", "test_coze_client", "TestCozeClientInitialization", "test_client_properties"),
    "T015": ("us2_client", "test_coze_client", "TestCozeClientConfiguration", "test_base_url_variations"),
    "T016": ("us2_client", "test_coze_client", "TestCozeClientConfiguration", "test_authentication_headers"),
    "T017": ("us2_client", "test_coze_client", "TestCozeClientConfiguration", "test_logid_extraction"),
    "T018": ("us2_client", "test_coze_client", "TestCozeClientConfiguration", "test_invalid_token_handling"),
    "T019": ("us3_bots", "test_bot_client", "TestBotOperations", "test_list_bots_single_page"),
    "T020": ("us3_bots", "test_bot_client", "TestBotOperations", "test_list_bots_paginated"),
    "T021": ("us3_bots", "test_bot_client", "TestBotOperations", "test_retrieve_bot"),
    "T022": ("us3_bots", "test_bot_client", "TestBotOperations", "test_list_bots_by_workspace"),
    "T023": ("us3_bots", "test_bot_client", "TestBotOperations", "test_list_bots_custom_page_size"),
    "T024": ("us3_bots", "test_bot_client", "TestBotOperations", "test_async_list_bots"),
    "T026": ("us4_chat", "test_chat_client", "TestChatOperations", "test_create_chat_blocking"),
    "T027": ("us4_chat", "test_chat_client", "TestChatOperations", "test_create_chat_streaming"),
    "T028": ("us4_chat", "test_chat_client", "TestChatOperations", "test_stream_chat_events"),
    "T029": ("us4_chat", "test_chat_client", "TestChatOperations", "test_chat_with_conversation"),
    "T030": ("us4_chat", "test_chat_client", "TestConversationOperations", "test_create_conversation"),
    "T031": ("us4_chat", "test_chat_client", "TestConversationOperations", "test_list_conversation_messages"),
    "T032": ("us4_chat", "test_chat_client", "TestChatOperations", "test_streaming_message_accumulation"),
    "T033": ("us4_chat", "test_chat_client", "TestChatOperations", "test_token_usage_extraction"),
    "T034": ("us4_chat", "test_chat_client", "TestChatOperations", "test_async_create_chat"),
    "T036": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_run_workflow_blocking"),
    "T037": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_run_workflow_streaming"),
    "T038": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_get_workflow_result"),
    "T039": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_list_workflow_logs_default"),
    "T040": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_list_workflow_logs_by_status"),
    "T041": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_list_workflow_logs_by_date"),
    "T042": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_list_workflow_logs_by_keyword"),
    "T043": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_list_workflow_logs_paginated"),
    "T044": ("us5_workflows", "test_workflow_client", "TestWorkflowOperations", "test_async_run_workflow"),
}


def all_test_modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("test_*.py") if "data" not in path.parts)


def collect_tests(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(qualified name, node) of every test function and test method of a module."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test_"):
                    yield f"{node.name}::{item.name}", item


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def seed_of(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The task IDs of the ``@pytest.mark.seed(...)`` decorators on a test."""
    seeds = []
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "seed"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            seeds.append(str(decorator.args[0].value))
    return seeds


@pytest.mark.parametrize("path", all_test_modules(), ids=lambda path: str(path.relative_to(TESTS)))
def test_every_test_has_a_given_when_then_docstring(path: Path) -> None:
    """Given a test module,
    When its test functions are read,
    Then each has a docstring with Given, When and Then, in that order."""
    offenders = [
        name for name, node in collect_tests(parse(path)) if not GIVEN_WHEN_THEN.search(ast.get_docstring(node) or "")
    ]

    assert offenders == [], f"{path.relative_to(TESTS)}: tests without a Given/When/Then docstring: {offenders}"


@pytest.mark.parametrize("task", sorted(SEED_TESTS))
def test_seed_test_exists_under_its_seed_name(task: str) -> None:
    """Given a seed task,
    When its story module is read,
    Then the test exists under the seed's file, class and name, marked with the task ID."""
    package, module, cls, name = SEED_TESTS[task]
    path = TESTS / package / f"{module}.py"
    assert path.is_file(), f"{task}: {path.relative_to(PROJECT_ROOT)} does not exist"

    tests = dict(collect_tests(parse(path)))

    assert f"{cls}::{name}" in tests, f"{task}: {cls}::{name} is missing from {path.relative_to(PROJECT_ROOT)}"
    assert task in seed_of(tests[f"{cls}::{name}"]), f"{task}: {cls}::{name} lacks @pytest.mark.seed({task!r})"


@pytest.mark.parametrize("package", STORY_PACKAGES)
def test_story_modules_have_docstrings(package: str) -> None:
    """Given a story package,
    When its test modules are read,
    Then each opens with a module docstring that says what it covers."""
    modules = sorted((TESTS / package).glob("test_*.py"))

    assert modules, f"{package} has no test module"
    assert [path.name for path in modules if len(ast.get_docstring(parse(path)) or "") < 200] == []


@pytest.mark.parametrize("path", all_test_modules(), ids=lambda path: str(path.relative_to(TESTS)))
def test_no_real_sleep(path: Path) -> None:
    """Given a test module,
    When its calls are read,
    Then none is time.sleep or a non-zero asyncio.sleep (patch them instead)."""
    sleeps = [
        node.lineno
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "sleep"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("time", "asyncio")
        and not (node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0)
    ]

    assert sleeps == [], f"{path.relative_to(TESTS)}: real sleeps at lines {sleeps}"
