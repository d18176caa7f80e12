"""Grouping part by part (the connected components of the close pairs) gives exactly the
stories of one dense clustering of all the articles, on the labelled corpora: dated, undated,
news and opinion pieces, near-duplicates."""

from __future__ import annotations

import dataclasses

import pytest
from tests import dense_clustering
from tests.conftest import REPO

from briefing import clustering, grouping, parts
from briefing.config import Config
from briefing.similarity import Similarity, article_vectors, story_similarity

CORPORA = REPO / "benchmarks" / "corpora"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def encoder():
    from briefing.embedding import configured_encoder

    return configured_encoder(Config())


def partition(labels: list[int]) -> list[tuple[int, ...]]:
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    return sorted(tuple(g) for g in groups.values())


@pytest.mark.parametrize("name", ["dense-week", "lookalike-dev", "refs-dev"])
@pytest.mark.parametrize("undated_every", [0, 3], ids=["dated", "some undated"])
@pytest.mark.parametrize("largest_dense", [parts.MAX_DENSE, 1], ids=["dense parts", "sparse"])
def test_parts_give_the_stories_of_one_dense_clustering(
    name: str, undated_every: int, largest_dense: int, encoder, monkeypatch
) -> None:
    # "sparse": every part is clustered by the sparse average linkage meant for the parts
    # too large for a dense matrix.
    monkeypatch.setattr(parts, "MAX_DENSE", largest_dense)
    from benchmarks.corpus import load_corpus

    config = Config()
    settings = config.grouping
    articles = load_corpus(CORPORA / name, config).articles
    if undated_every:  # dated by the file's time: compared on their words alone
        articles = [
            dataclasses.replace(a, date_source="file-mtime") if k % undated_every == 0 else a
            for k, a in enumerate(articles)
        ]
    vectors = article_vectors(articles, encoder, settings)
    tied = grouping.near_duplicate_pairs(articles, vectors, settings.near_duplicate_similarity)
    dates = [a.date.toordinal() if a.date_source == "text" else None for a in articles]
    views = [a.kind != "news" for a in articles]

    dense = dense_clustering.cluster_with_views(
        story_similarity(articles, vectors, settings), dates, settings, tied, views
    )
    by_parts = parts.clustered_by_parts(
        Similarity(articles, vectors, settings), dates, settings, tied, views
    )
    assert partition(by_parts) == partition(dense)
    assert len(set(dense)) < len(articles)  # the corpus does group: the test is not empty


def test_close_pairs_are_those_within_the_linking_distance(encoder) -> None:
    from benchmarks.corpus import load_corpus

    config = Config()
    settings = config.grouping
    articles = load_corpus(CORPORA / "dense-week", config).articles
    vectors = article_vectors(articles, encoder, settings)
    dates = [a.date.toordinal() for a in articles]
    similarity = Similarity(articles, vectors, settings)
    found = {(i, j) for i, j, _ in parts.close_pairs(similarity, dates, settings)}
    distance = clustering.cluster_distances(
        story_similarity(articles, vectors, settings), dates, settings
    )
    limit = parts.linking_distance(settings)
    expected = {
        (i, j)
        for i in range(len(articles))
        for j in range(i + 1, len(articles))
        if distance[i, j] <= limit
    }
    assert found == expected and expected


def test_the_stories_do_not_depend_on_the_order_articles_arrive_in(encoder) -> None:
    """A briefing groups its range as a set: articles added one by one in date order, or all
    at once in any order, give the same stories."""
    from benchmarks.corpus import load_corpus

    config = Config()
    articles = load_corpus(CORPORA / "dense-week", config).articles
    by_date = sorted(articles, key=lambda a: (a.date, a.id))

    def stories_of(batch: list) -> set[frozenset[str]]:
        return {
            frozenset(a.id for a in s.articles)
            for s in grouping.group_articles(batch, config, encoder)
        }

    once = stories_of(by_date)
    assert stories_of(list(reversed(by_date))) == once
    assert stories_of(by_date[::2] + by_date[1::2]) == once
