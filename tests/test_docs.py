"""The docs and the commands in step: every link of the README resolves, every `briefing`
command the docs name exists, every benchmark they tell you to run is a module, and the
README stays a page a newcomer reads (under 200 lines)."""

from __future__ import annotations

import importlib.util
import re

from tests.conftest import REPO

from briefing.cli import cli

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def test_the_readme_is_short_and_its_links_resolve() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 200
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (REPO / target).exists(), target


def test_every_command_the_docs_name_exists() -> None:
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        for command in re.findall(r"`(?:\.venv/bin/)?briefing ([a-z]+(?:-[a-z]+)*)\b", text):
            assert command in cli.commands, f"{page.name}: `briefing {command}` is no command"


def test_every_benchmark_the_docs_name_is_a_module() -> None:
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        for module in set(re.findall(r"python -m (benchmarks(?:\.\w+)+)", text)):
            assert importlib.util.find_spec(module) is not None, f"{page.name}: {module}"
