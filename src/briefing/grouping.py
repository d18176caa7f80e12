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
   of one story pass, or stands with other pieces (`cluster_with_views`).
3. Each story gets a headline (an article's own title, never generated) and a section
   (`sections.SectionClassifier`, from its headline and lead).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from briefing.config import Config, GroupingConfig
from briefing.embedding import Encoder, VectorCache, text_cached
from briefing.records import Article, Story
from briefing.similarity import Similarity, article_vectors
from briefing.text import lead, shorten, split_sentences

log = logging.getLogger(__name__)

# Distance given to pairs outside the date window: larger than any cosine distance (max 2), so
# average linkage never merges clusters that hold such a pair at the configured thresholds.
_FORBIDDEN = 1e3
# Two articles sharing this share of the shorter one's sentences are one text re-published
# (a wire story with a new headline), whatever their embeddings say.
SHARED_SENTENCE_SHARE = 0.6
# Rows of the distance matrix given their date penalty at a time (bounds the temporaries).
_ROWS = 512
# A story with no headline is named by its opening sentence, cut to this many characters.
MAX_HEADLINE_CHARS = 120
# Centrality (cosine to the story's centroid) is compared to this many decimals.
CENTRALITY_DECIMALS = 4


def cluster_labels(
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Cluster label per article from their pairwise `similarity`. `dates` are day ordinals,
    None where the text states no date (the file's mtime is no evidence of when the story
    happened); `tied` pairs must share a cluster."""
    n = len(similarity)
    if n == 0:
        return []
    if n == 1:
        return [0]
    distance = cluster_distances(similarity, dates, settings)
    for i, j in tied:
        distance[i, j] = distance[j, i] = 0.0
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - settings.similarity_threshold, criterion="distance")
    return attach_singletons([int(x) - 1 for x in labels], distance, settings.attach_threshold)


def cluster_with_views(
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]],
    views: Sequence[bool],
) -> list[int]:
    """Cluster labels where opinion and analysis pieces (`views`) never link two events:
    the news reports are clustered among themselves; each piece then joins the story it is
    closest to (average distance, dates counted) when it passes the test two reports of one
    story pass (`similarity_threshold`: not the lone report's lower `attach_threshold`, which
    is for follow-ups of an event), and the pieces that join none are clustered among
    themselves."""
    news = [i for i, view in enumerate(views) if not view]
    pieces = [i for i, view in enumerate(views) if view]
    if not news or not pieces:
        return cluster_labels(similarity, dates, settings, tied)
    # The pieces' rows only, against every article: a square copy would cost as much as the
    # whole matrix.
    distance = cluster_distances(
        similarity[pieces], dates, settings, row_dates=[dates[i] for i in pieces]
    )
    labels = [-1] * len(views)
    for index, label in zip(
        news, _cluster_among(news, similarity, dates, settings, tied), strict=True
    ):
        labels[index] = label
    stories: dict[int, list[int]] = {}
    for index in news:
        stories.setdefault(labels[index], []).append(index)
    lone = []
    for row, piece in enumerate(pieces):
        gaps = {label: float(distance[row, members].mean()) for label, members in stories.items()}
        best = min(gaps, key=gaps.__getitem__)
        if 1.0 - gaps[best] >= settings.similarity_threshold:
            labels[piece] = best
        else:
            lone.append(piece)
    first = max(labels) + 1
    for index, label in zip(
        lone, _cluster_among(lone, similarity, dates, settings, tied), strict=True
    ):
        labels[index] = first + label
    return labels


def _cluster_among(
    group: Sequence[int],
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]],
) -> list[int]:
    """Cluster labels of the articles at `group`'s indices, clustered among themselves."""
    position = {index: k for k, index in enumerate(group)}
    within = [(position[i], position[j]) for i, j in tied if i in position and j in position]
    chosen = list(group)
    return cluster_labels(
        similarity[np.ix_(chosen, chosen)].copy(), [dates[i] for i in chosen], settings, within
    )


def attach_singletons(labels: list[int], distance: np.ndarray, threshold: float) -> list[int]:
    """A story of one article joins the story of several it is closest to (average distance,
    dates included) when their similarity reaches `threshold`: a follow-up or an angle piece
    reads less like its event's reports than they read like each other. 0 turns it off."""
    if threshold <= 0:
        return labels
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    stories = [m for m in members.values() if len(m) > 1]
    out = list(labels)
    for lone in (m[0] for m in members.values() if len(m) == 1):
        if not stories:
            break
        gaps = [float(distance[lone, story].mean()) for story in stories]
        best = int(np.argmin(gaps))
        if 1.0 - gaps[best] >= threshold:
            out[lone] = labels[stories[best][0]]
    return out


def cluster_distances(
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    row_dates: Sequence[int | None] | None = None,
) -> np.ndarray:
    """Distances between articles: 1 - similarity, plus the penalty for the days between
    dated articles beyond `date_window_days`; forbidden beyond `max_story_days`. Written over
    `similarity`, which the callers need no more: at 5,000 articles a copy costs 200 MB.
    `similarity` may hold some articles' rows only, against all of them: `row_dates` are then
    those rows' dates (default: the matrix is square, its rows are `dates`)."""
    distance = np.subtract(1.0, similarity, out=similarity)
    np.clip(distance, 0.0, None, out=distance)
    known = np.array([d is not None for d in dates])
    day = np.array([d if d is not None else 0 for d in dates], dtype=np.int32)
    rows_known = known if row_dates is None else np.array([d is not None for d in row_dates])
    rows_day = (
        day
        if row_dates is None
        else np.array([d if d is not None else 0 for d in row_dates], dtype=np.int32)
    )
    for start in range(0, len(rows_day), _ROWS):
        rows = slice(start, start + _ROWS)
        apart = np.abs(rows_day[rows, None] - day[None, :]) * (
            rows_known[rows, None] & known[None, :]
        )
        late = np.maximum(0, apart - settings.date_window_days)
        distance[rows] += settings.date_penalty_per_day * late
        distance[rows][apart > settings.max_story_days] = _FORBIDDEN
    return distance


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


def linking_distance(settings: GroupingConfig) -> float:
    """The largest distance at which two articles can still end up in one story: the
    clustering's, or a lone article's joining its closest story (`attach_threshold`)."""
    attach = 1.0 - settings.attach_threshold if settings.attach_threshold > 0 else 0.0
    return max(1.0 - settings.similarity_threshold, attach)


def close_pairs(
    similarity: Similarity, dates: Sequence[int | None], settings: GroupingConfig
) -> list[tuple[int, int]]:
    """The pairs of articles at most `linking_distance` apart, dates counted. The articles are
    taken in date order, a block at a time, against those within `max_story_days` of the
    block (and every article with no date): the work grows with the articles times those of
    a few weeks, not with the square of all of them."""
    limit = linking_distance(settings)
    n = len(dates)
    undated = np.array([i for i in range(n) if dates[i] is None], dtype=np.int64)
    by_day = sorted((day, i) for i, day in enumerate(dates) if day is not None)
    dated = np.array([i for _, i in by_day], dtype=np.int64)
    days = np.array([day for day, _ in by_day], dtype=np.int64)
    pairs: list[tuple[int, int]] = []

    def compare(rows: np.ndarray, columns: np.ndarray) -> None:
        if not len(rows) or not len(columns):
            return
        distance = cluster_distances(
            similarity.block(rows, columns),
            [dates[j] for j in columns],
            settings,
            row_dates=[dates[i] for i in rows],
        )
        for r, c in np.argwhere(distance <= limit):
            i, j = int(rows[r]), int(columns[c])
            if i < j:
                pairs.append((i, j))

    window = settings.max_story_days
    for start in range(0, len(dated), _ROWS):
        rows = dated[start : start + _ROWS]
        low = np.searchsorted(days, days[start] - window, side="left")
        last = days[min(start + _ROWS, len(dated)) - 1]
        high = np.searchsorted(days, last + window, side="right")
        compare(rows, np.concatenate([dated[low:high], undated]))
    everyone = np.arange(n)
    for start in range(0, len(undated), _ROWS):
        compare(undated[start : start + _ROWS], everyone)
    return pairs


def clustered_by_parts(
    similarity: Similarity,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]],
    views: Sequence[bool],
) -> list[int]:
    """`cluster_with_views` over all the articles, computed part by part: the parts are the
    connected components of the pairs that are `close_pairs` or tied. Exactly the same
    stories: average linkage joins two clusters only when their mean distance is within the
    threshold, so some pair of them is; a lone article or an opinion piece joins the closest
    story only within its threshold, so some pair is too; and no such pair crosses a part.
    Each part is clustered on its own dense matrix, so memory follows the largest part, not
    the square of all articles (benchmarks/scale.py)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(dates)
    edges = [*close_pairs(similarity, dates, settings), *tied]
    graph = coo_matrix(
        (np.ones(len(edges)), ([i for i, _ in edges], [j for _, j in edges])), shape=(n, n)
    )
    _, part_of = connected_components(graph, directed=False)
    parts: dict[int, list[int]] = {}
    for index, part in enumerate(part_of):
        parts.setdefault(int(part), []).append(index)
    labels = [-1] * n
    next_label = 0
    for members in parts.values():
        if len(members) == 1:
            labels[members[0]] = next_label
            next_label += 1
            continue
        chosen = np.array(members)
        position = {index: k for k, index in enumerate(members)}
        within = [(position[i], position[j]) for i, j in tied if i in position and j in position]
        part_labels = cluster_with_views(
            similarity.block(chosen, chosen),
            [dates[i] for i in members],
            settings,
            within,
            [views[i] for i in members],
        )
        for index, label in zip(members, part_labels, strict=True):
            labels[index] = next_label + label
        next_label += max(part_labels) + 1
    return labels


def group_articles(
    articles: Sequence[Article],
    config: Config,
    encoder: Encoder,
    cache: VectorCache | None = None,
) -> list[Story]:
    """Group articles into stories, newest and best-sourced first."""
    if not articles:
        return []
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

    stories = []
    for label in sorted(set(labels)):
        members = [i for i, x in enumerate(labels) if x == label]
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


def section_text(story: Story) -> str:
    """What a story is filed by: its headline and the lead of its first report."""
    return f"{story.headline}. {lead(story.articles[0].body, 2)}"


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
