"""Fixtures of the US5 workflow stories: published workflows in the fake and what a caller passes to run them."""

from __future__ import annotations

from typing import Any

import pytest

from coze_compat.fake.server import FakeCoze
from coze_compat.fake.workflows import INPUT_INTERRUPT, Interruption, WorkflowRecord
from tests.us5_workflows.support import EXT, FAILURE, INPUT_FORM, JOKE, QUESTION


@pytest.fixture
def joke_workflow(coze_api: FakeCoze, mock_workflow_id: str) -> WorkflowRecord:
    """A published workflow whose Message node streams the docs' joke before its End node answers."""
    output = {"output": "".join(JOKE)}
    return coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output=output, messages=JOKE))


@pytest.fixture
def run_args(joke_workflow: WorkflowRecord, mock_bot_id: str, sample_workflow_inputs: dict[str, Any]) -> dict[str, Any]:
    """What the caller passes to run the joke workflow: its id, parameters, a bot id and ``ext``."""
    return {
        "workflow_id": joke_workflow.workflow_id,
        "parameters": sample_workflow_inputs,
        "bot_id": mock_bot_id,
        "ext": EXT,
    }


@pytest.fixture
def question_workflow(coze_api: FakeCoze, mock_workflow_id: str) -> WorkflowRecord:
    """A published workflow whose Question node asks the user before its End node answers the weather."""
    output = {"output": [{"predict_date": "2024-08-20", "condition": "中到大雨", "temp_high": 35, "temp_low": 26}]}
    return coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output=output, question=QUESTION))


@pytest.fixture
def failing_workflow(coze_api: FakeCoze, mock_workflow_id: str) -> WorkflowRecord:
    """A published workflow whose knowledge-base node fails, with the error a coze.cn run reported."""
    return coze_api.workflows.add(WorkflowRecord(mock_workflow_id, output={}, failure=FAILURE))


@pytest.fixture
def input_workflow(coze_api: FakeCoze, mock_workflow_id: str) -> WorkflowRecord:
    """A published workflow whose input node (interrupt type 5) asks for a name before its End node greets."""
    stop = Interruption(
        node_title="Input",
        type=INPUT_INTERRUPT,
        data=INPUT_FORM,
        required_parameters={"name": {"type": "string", "required": True}},
    )
    return coze_api.workflows.add(
        WorkflowRecord(mock_workflow_id, output={"output": "Hello, George"}, interruption=stop)
    )
