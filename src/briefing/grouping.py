"""Grouping: articles -> stories.

1. Near-duplicates (same text re-sent, syndicated copies) are tied together first.
2. Stories: articles are compared in two ways, blended (`similarity.py`):
   - meaning: cosine of their embeddings, each the mean of the vectors of its headline and
     of the sentences of its opening words (statements read as the summariser reads them, so
     the summariser ranks its candidates by vectors grouping has already made);
   - facts: cosine of TF-IDF vectors over the names and numbers they state (in the headline
     and lead, and in the whole text, averaged), with document frequencies from the articles
     being grouped. Look-alike events (two different rehab stays, two drone strikes in one
     week) read alike to an embedding but name different people, places and figures.
   Average-linkage agglomerative clustering with a threshold on the blend. Time counts as
   evidence too: reports within `date_window_days` of each other are compared as they are,
   each further day apart costs `date_penalty_per_day`, and articles more than
   `max_story_days` apart never share a story (a story that goes on is "developing" in the
   next briefing, not merged with one from weeks before). Articles whose text states no date
   are compared on their words alone. Opinion and analysis pieces are clustered apart from
   the reports: a column that names two events of a week would otherwise tie them into one
   story; each joins the report story it is closest to when it passes the test two reports
   of one story pass, or stands with other pieces (`parts.py`).
3. Each story gets a headline (an article's own title, never generated) and a section
   (`sections.SectionClassifier`, from its headline and lead).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from briefing.config import Config
from briefing.embedding import Encoder, VectorCache, text_cached
from briefing.parts import clustered_by_parts
from briefing.records import Article, Story
from briefing.similarity import Similarity, article_vectors
from briefing.text import digest, lead, shorten, split_sentences

log = logging.getLogger(__name__)

# Two articles sharing this share of the shorter one's sentences are one text re-published
# (a wire story with a new headline), whatever their embeddings say.
SHARED_SENTENCE_SHARE = 0.6
# Rows compared at a time when looking for near-duplicates (bounds the temporaries).
_ROWS = 512
# Bump when grouping makes other stories of the same articles and settings, so that stored
# groupings are redone.
GROUPING_VERSION = "2"
# A story is filed in a section by its headline and this many sentences of its first report's
# lead (benchmarks.sections on the BBC and article-extraction corpora: docs/benchmarks.md).
SECTION_LEAD_SENTENCES = 4
# A story with no headline is named by its opening sentence, cut to this many characters.
MAX_HEADLINE_CHARS = 120
# Centrality (cosine to the story's centroid) is compared to this many decimals.
CENTRALITY_DECIMALS = 4


def near_duplicate_pairs(
    articles: Sequence[Article], vectors: np.ndarray, threshold: float
) -> list[tuple[int, int]]:
    """Pairs of articles that are the same text: identical ids, or near-identical embeddings
    of headline and lead confirmed by a high overlap of their sentences."""
    same_id: dict[str, list[int]] = {}
    for index, article in enumerate(articles):
        same_id.setdefault(article.id, []).append(index)
    pairs = {
        (group[a], group[b])
        for group in same_id.values()
        for a in range(len(group))
        for b in range(a + 1, len(group))
    }
    # Split only the articles that have a close pair: at 5,000 articles, a few. Compared a
    # block of rows at a time against the articles after them: memory grows with n, not n².
    sentences = functools.cache(lambda i: set(split_sentences(articles[i].body)))
    close = [
        (start + i, j)
        for start in range(0, len(vectors), _ROWS)
        for i, j in np.argwhere(vectors[start : start + _ROWS] @ vectors.T >= threshold)
        if start + i < j
    ]
    for i, j in ((int(i), int(j)) for i, j in close):
        if (i, j) in pairs:
            continue
        shared = len(sentences(i) & sentences(j))
        smaller = max(1, min(len(sentences(i)), len(sentences(j))))
        if shared / smaller >= SHARED_SENTENCE_SHARE:
            pairs.add((i, j))
    return sorted(pairs)


class GroupingCache(Protocol):
    """Where the stories of a set of articles are kept between runs (the store)."""

    def cached_grouping(self, key: str) -> str | None:
        """The stored stories under `key`, if any."""

    def save_grouping(self, key: str, payload: str) -> None:
        """Store stories under `key`."""


def grouping_key(articles: Sequence[Article], config: Config) -> str:
    """The key of a grouping: every article with what grouping reads of it besides its text
    (the id is the text's hash), and every setting that shapes the stories."""
    payload = {
        "articles": sorted(
            (a.id, a.date.isoformat(), a.date_source, a.kind, a.title or "") for a in articles
        ),
        "grouping": config.grouping.model_dump(mode="json"),
        "sections": {name: s.model_dump(mode="json") for name, s in config.sections.items()},
        "version": GROUPING_VERSION,
    }
    return digest(payload)


def group_articles(
    articles: Sequence[Article],
    config: Config,
    encoder: Encoder,
    cache: VectorCache | None = None,
    stored: GroupingCache | None = None,
) -> list[Story]:
    """Group articles into stories, newest and best-sourced first. With `stored`, the stories
    of the same articles and settings are read back instead of grouped again."""
    if not articles:
        return []
    key = grouping_key(articles, config) if stored else ""
    payload = stored.cached_grouping(key) if stored else None
    if payload is not None:
        return _stories_from(payload, articles)
    stories = _grouped(articles, config, encoder, cache)
    if stored:
        stored.save_grouping(key, _payload_of(stories))
    return stories


def _grouped(
    articles: Sequence[Article], config: Config, encoder: Encoder, cache: VectorCache | None
) -> list[Story]:
    settings = config.grouping
    vectors = article_vectors(articles, encoder, settings, cache)
    tied = near_duplicate_pairs(articles, vectors, settings.near_duplicate_similarity)
    dates = [a.date.toordinal() if a.date_source == "text" else None for a in articles]
    views = [a.kind != "news" for a in articles]
    similarity = Similarity(articles, vectors, settings)
    labels = clustered_by_parts(similarity, dates, settings, tied, views)

    duplicates: set[int] = set()
    for i, j in tied:
        # Both are listed as sources; only the original is summarised and cited.
        duplicates.add(max((i, j), key=lambda k: original_first(articles[k])))

    by_label: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    stories = []
    for label in sorted(by_label):
        members = by_label[label]
        centroid = vectors[members].mean(axis=0)
        rank = {k: r for r, k in enumerate(by_centrality(articles, vectors, centroid, members))}
        members.sort(key=lambda i: (articles[i].date, rank[i]))
        story_articles = tuple(articles[i] for i in members)
        stories.append(
            Story(
                id=story_id(story_articles),
                headline=story_headline([articles[i] for i in members], vectors[members], centroid),
                section="",
                articles=story_articles,
                duplicate_ids=frozenset(articles[i].id for i in members if i in duplicates),
            )
        )
    stories = file_in_sections(stories, config, text_cached(encoder, cache))
    stories.sort(key=lambda s: (-s.date.toordinal(), -len(s.distinct_articles), s.headline))
    log.info("grouped %d articles into %d stories", len(articles), len(stories))
    return stories


def _payload_of(stories: Sequence[Story]) -> str:
    return json.dumps(
        [
            [[a.id for a in s.articles], s.headline, s.section, sorted(s.duplicate_ids)]
            for s in stories
        ]
    )


def _stories_from(payload: str, articles: Sequence[Article]) -> list[Story]:
    """Stories as stored, made of these articles (the same ones: the key says so)."""
    by_id = {a.id: a for a in articles}
    stories = []
    for ids, headline, section, duplicates in json.loads(payload):
        members = tuple(by_id[i] for i in ids)
        stories.append(Story(story_id(members), headline, section, members, frozenset(duplicates)))
    log.info("read %d stories of %d articles from the store", len(stories), len(articles))
    return stories


def section_text(story: Story) -> str:
    """What a story is filed by: its headline and the lead of its first report."""
    return f"{story.headline}. {lead(story.articles[0].body, SECTION_LEAD_SENTENCES)}"


def file_in_sections(stories: list[Story], config: Config, encoder: Encoder) -> list[Story]:
    """Each story filed in the section its headline and text are closest to."""
    from briefing.sections import SectionClassifier

    classifier = SectionClassifier(config.sections, encoder)
    sections = classifier.classify([section_text(s) for s in stories])
    return [dataclasses.replace(s, section=name) for s, name in zip(stories, sections, strict=True)]


def story_id(articles: Sequence[Article]) -> str:
    """A stable id for a story: a hash of its articles' ids."""
    return hashlib.sha256("|".join(sorted(a.id for a in articles)).encode()).hexdigest()[:12]


def original_first(article: Article) -> tuple[object, ...]:
    """Sort key of copies of one text: the earlier, then one with its own URL, then the
    longer text, first."""
    return (article.date, article.url is None, -len(article.body), article.path)


def by_centrality(
    articles: Sequence[Article], vectors: np.ndarray, centroid: np.ndarray, among: Sequence[int]
) -> list[int]:
    """The indices `among`, most central first. Closer than CENTRALITY_DECIMALS, articles are
    equally central (two always are: the centroid is their midpoint), and the original comes
    first, whatever float noise says."""
    similarity = vectors @ centroid
    return sorted(
        among,
        key=lambda k: (
            -round(float(similarity[k]), CENTRALITY_DECIMALS),
            original_first(articles[k]),
        ),
    )


def story_headline(articles: Sequence[Article], vectors: np.ndarray, centroid: np.ndarray) -> str:
    """The title of the most central article that has one; else its opening sentence."""
    order = by_centrality(articles, vectors, centroid, range(len(articles)))
    for index in order:
        title = articles[index].title
        if title:
            return title
    first = split_sentences(articles[order[0]].body)
    text = first[0] if first else articles[order[0]].body
    return shorten(text, MAX_HEADLINE_CHARS)
