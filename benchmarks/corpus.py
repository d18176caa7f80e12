"""Labelled corpora: a folder with `inbox/` (or the files themselves) and `gold.json`.

gold.json (the format of ../shared/eval/ecb-dev):
    {"inbox": "folder of the files, relative to gold.json"    # optional, default inbox/
     "articles": {file name: {"story_id": …, "topic_id": …, …}},
     "stories": {story id: [file names]},
     "references": {story id: "reference summary" | [summaries]}   # optional
    }
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from briefing.config import Config
from briefing.errors import InputError
from briefing.ingest import parse_article
from briefing.records import Article


@dataclass
class LabelledCorpus:
    articles: list[Article]
    story_of: dict[str, str]  # article id -> gold story id
    topic_of: dict[str, str]  # article id -> gold topic id (may equal the story id)
    references: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


def load_corpus(folder: Path, config: Config) -> LabelledCorpus:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    if "inbox" in gold:  # labels for files kept elsewhere (the project's sample inbox)
        inbox = (folder / gold["inbox"]).resolve()
    else:
        inbox = folder / "inbox" if (folder / "inbox").is_dir() else folder
    corpus = LabelledCorpus([], {}, {})
    seen: set[str] = set()
    for name, label in sorted(gold["articles"].items()):
        path = inbox / name
        try:
            article = parse_article(path, path.read_bytes(), path.stat().st_mtime, config)
        except (InputError, OSError) as exc:
            corpus.rejected.append(str(exc))
            continue
        if article.id in seen:  # the same text twice: one article, as the product stores it
            continue
        seen.add(article.id)
        corpus.articles.append(article)
        corpus.story_of[article.id] = label["story_id"]
        corpus.topic_of[article.id] = label.get("topic_id") or label["story_id"]
    for story_id, refs in gold.get("references", {}).items():
        corpus.references[story_id] = [refs] if isinstance(refs, str) else list(refs)
    return corpus
