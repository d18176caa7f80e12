"""Write a labelled corpus in which every article is its own story, in the format of
benchmarks/corpus.py: what the builders of the FRANK, Lee, article-extraction and BBC
corpora share."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Clipping:
    """One article as a plain-text clipping, with its gold fields."""

    story: str  # the story's id
    file: str  # the clipping's file name in `inbox/`
    title: str
    paragraphs: list[str]  # the clipping's text, a paragraph each (date, headline, body, ...)
    fields: dict[str, str] = field(default_factory=dict)  # more gold fields ("section")
    reference: str | None = None  # the outlet's summary, for ROUGE


def write_corpus(folder: Path, description: str, clippings: Iterable[Clipping]) -> None:
    """`folder`/inbox/ with a clipping per article and `folder`/gold.json, each article its
    own story; the corpus is described as "<folder name>: <description>"."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    gold: dict = {"corpus": f"{folder.name}: {description}"}
    gold["articles"], gold["stories"], gold["references"] = {}, {}, {}
    for clipping in clippings:
        story, file = clipping.story, clipping.file
        text = "\n\n".join(clipping.paragraphs) + "\n"
        (inbox / file).write_text(text, encoding="utf-8")
        article = {"story_id": story, "topic_id": story, "title": clipping.title}
        gold["articles"][file] = {**article, **clipping.fields}
        gold["stories"][story] = {"files": [file], "topic_id": story}
        if clipping.reference is not None:
            gold["references"][story] = [clipping.reference]
    (folder / "gold.json").write_text(json.dumps(gold, indent=1), encoding="utf-8")
