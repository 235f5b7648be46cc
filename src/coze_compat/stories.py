"""The user stories the matrix tests: one package under ``tests/`` each (the one list of them).

Read by the pytest plugin (which story a test belongs to), the noxfile and the benchmark (which
folders a cell runs), the report (titles) and the harness's convention checks. Standard library
only, Python 3.8 syntax.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    id: str  # "US3"
    package: str  # "us3_bots", the folder under tests/
    title: str

    @property
    def path(self) -> str:
        """The story's folder, relative to the project root (what a cell passes to pytest)."""
        return f"tests/{self.package}"


STORIES: tuple[Story, ...] = (
    Story("US1", "us1_setup", "SDK installation and configuration"),
    Story("US2", "us2_client", "Client functionality"),
    Story("US3", "us3_bots", "Bot operations"),
    Story("US4", "us4_chat", "Chat and conversations"),
    Story("US5", "us5_workflows", "Workflow operations"),
)
#: The folders a cell runs, in story order.
PATHS: tuple[str, ...] = tuple(story.path for story in STORIES)
#: Story package -> story id, and story id -> title.
BY_PACKAGE: dict[str, str] = {story.package: story.id for story in STORIES}
TITLES: dict[str, str] = {story.id: story.title for story in STORIES}
#: The story of a test whose package is not a story package.
OTHER = "other"


def story_of(nodeid: str) -> str | None:
    """``tests/us3_bots/test_bot_client.py::...`` -> ``US3``; ``None`` outside the story packages."""
    for part in nodeid.split("::")[0].split("/"):
        if part in BY_PACKAGE:
            return BY_PACKAGE[part]
    return None
