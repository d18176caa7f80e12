"""Since the last briefing: which stories are new, which are developing, which unchanged.

A story continues a story of an earlier briefing when its articles are as similar to that
story's as the grouping asks of one story (the same similarity, threshold and day penalty),
or when they share an article and the story's new articles pass that test: new articles of
another event (a story grouping merged across events) make it New, never Developing. It is
`developing` if it has sources the earlier story did not, `unchanged` if not, and `new` when
it continues none.
Earlier briefings are read from their JSON files in the output folder (the archive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from briefing.clustering import cluster_distances
from briefing.config import Config
from briefing.embedding import Encoder, VectorCache
from briefing.records import Article, Continuity, Story
from briefing.similarity import article_vectors, story_similarity

# How many earlier briefings a story is looked up in, newest first.
LOOKBACK_BRIEFINGS = 7


@dataclass(frozen=True)
class EarlierStory:
    """A story of an earlier briefing: where it appeared and what it held."""

    briefing: str
    headline: str
    article_ids: frozenset[str]
    since: dt.date


class ArticleSource(VectorCache, Protocol):
    """Stored articles and their vectors, by id (the store)."""

    def articles_by_id(self, article_ids: Sequence[str]) -> list[Article]:
        """The stored articles with these ids."""


def earlier_stories(views: Sequence[Mapping[str, Any]]) -> list[EarlierStory]:
    """The stories of earlier briefings' JSON views, the newest briefing first."""
    found = []
    for view in list(views)[-LOOKBACK_BRIEFINGS:][::-1]:
        for story in view.get("stories", []):
            since_mark = story.get("since") or {}
            since = since_mark.get("since") or story.get("first_date") or view["date_from"]
            found.append(
                EarlierStory(
                    briefing=str(view["name"]),
                    headline=str(story["headline"]),
                    article_ids=frozenset(str(s["id"]) for s in story["sources"]),
                    since=dt.date.fromisoformat(str(since)),
                )
            )
    return found


def mark_stories(
    stories: Sequence[Story],
    earlier: Sequence[EarlierStory],
    config: Config,
    encoder: Encoder,
    store: ArticleSource,
) -> dict[str, Continuity]:
    """How each story stands to the earlier briefings' stories: new, updated or unchanged."""
    marks: dict[str, Continuity] = {}
    if not earlier:
        return marks  # the first briefing: nothing is "new" to anything
    for story in stories:
        match = _shared_articles(story, earlier)
        new = [a for a in story.distinct_articles if match and a.id not in match.article_ids]
        if match is not None and new and _linked(new, match, config, encoder, store) is None:
            # Its new articles are another event than the earlier story's (a story that
            # grouping merged across events): not a continuation, so not Developing.
            match = None
        match = match or _similar(story, earlier, config, encoder, store)
        if match is None:
            marks[story.id] = Continuity("new", since=story.first_date)
            continue
        new_sources = sum(a.id not in match.article_ids for a in story.distinct_articles)
        marks[story.id] = Continuity(
            "developing" if new_sources else "unchanged",
            previous=match.briefing,
            previous_headline=match.headline,
            new_sources=new_sources,
            since=match.since,
            day=(story.date - match.since).days + 1,
        )
    return marks


def _shared_articles(story: Story, earlier: Sequence[EarlierStory]) -> EarlierStory | None:
    ids = {a.id for a in story.articles}
    return next((e for e in earlier if e.article_ids & ids), None)


def _similar(
    story: Story,
    earlier: Sequence[EarlierStory],
    config: Config,
    encoder: Encoder,
    store: ArticleSource,
) -> EarlierStory | None:
    """The earlier story whose articles link with this story's by average linkage at the
    grouping's threshold, the closest first."""
    best: tuple[float, EarlierStory] | None = None
    for candidate in earlier:
        linked = _linked(list(story.distinct_articles), candidate, config, encoder, store)
        if linked is not None and (best is None or linked > best[0]):
            best = (linked, candidate)
    return best[1] if best else None


def _linked(
    ours: Sequence[Article],
    candidate: EarlierStory,
    config: Config,
    encoder: Encoder,
    store: ArticleSource,
) -> float | None:
    """How strongly `ours` link with an earlier story's articles by average linkage, the
    grouping's similarity and day penalty; None below the grouping's threshold."""
    settings = config.grouping
    own = {a.id for a in ours}
    theirs = [a for a in store.articles_by_id(sorted(candidate.article_ids)) if a.id not in own]
    if not theirs or not ours:
        return None
    both = [*ours, *theirs]
    vectors = article_vectors(both, encoder, settings, store)
    similarity = story_similarity(both, vectors, settings)
    dates = [a.date.toordinal() if a.date_source == "text" else None for a in both]
    distance = cluster_distances(similarity, dates, settings)
    linked = 1.0 - float(np.mean(distance[: len(ours), len(ours) :]))
    return linked if linked >= settings.similarity_threshold else None
