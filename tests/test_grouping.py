"""Grouping with the real all-MiniLM-L6-v2 encoder from its PyPI package."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import FIXTURES, SAMPLE_INBOX, SEED_MOSCOW_TIMES, SEED_UPI

from briefing.config import Config
from briefing.ingest import parse_article
from briefing.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def encoder():
    from briefing.embedding import configured_encoder

    return configured_encoder(Config())


def parse_all(paths: list[Path]):
    return [parse_article(p, p.read_bytes(), p.stat().st_mtime, Config()) for p in paths]


def test_seeds_form_one_story_with_two_sources(encoder) -> None:
    from briefing.grouping import group_articles

    stories = group_articles(parse_all([SEED_UPI, SEED_MOSCOW_TIMES]), Config(), encoder)
    assert len(stories) == 1
    story = stories[0]
    assert [a.outlet for a in story.articles] == ["The Moscow Times", "UPI"]  # oldest first
    assert (story.first_date, story.date) == (dt.date(2022, 3, 28), dt.date(2022, 3, 29))
    assert story.section == "World"
    assert story.headline in {a.title for a in story.articles}


def test_sample_inbox_stories(encoder, sample_files: list[Path]) -> None:
    from briefing.grouping import group_articles

    stories = group_articles(parse_all(sample_files), Config(), encoder)
    groups = sorted(sorted(Path(a.path).name[:3] for a in s.articles) for s in stories)
    assert groups == [
        ["000", "004"],
        ["101", "102", "103"],
        ["104", "105"],
        ["106", "107"],
        ["108", "109"],
        ["110"],
    ]
    sections = {Path(a.path).name[:3]: s.section for s in stories for a in s.articles}
    assert sections["101"] == "Business" and sections["106"] == "Sports"
    assert sections["104"] == "Science & Technology"
    # The forwarded newsletter is a near-duplicate of the Gazette report: merged and flagged.
    cup = next(s for s in stories if any(Path(a.path).name[:3] == "106" for a in s.articles))
    assert len(cup.duplicate_ids) == 1 and len(cup.distinct_articles) == 1
    # The original report (with its own URL) is the one cited, not the forwarded copy.
    assert [a.outlet for a in cup.distinct_articles] == ["ashgrove-gazette.example"]


def test_look_alike_events_are_kept_apart_by_the_facts_they_state(encoder) -> None:
    """Two different clubs firing their coach on the same day read alike to an embedding;
    the people, clubs and figures they name tell them apart."""
    from briefing.grouping import group_articles
    from briefing.similarity import article_vectors

    articles = parse_all(sorted((FIXTURES / "lookalike").glob("*.md")))
    settings = Config().grouping
    vectors = article_vectors(articles, encoder, settings)
    club = [Path(a.path).name.split("_")[0] for a in articles]
    across = [
        float(vectors[i] @ vectors[j])
        for i in range(4)
        for j in range(i + 1, 4)
        if club[i] != club[j]
    ]
    assert min(across) > settings.similarity_threshold  # embeddings alone would merge them
    stories = group_articles(articles, Config(), encoder)
    groups = sorted(sorted(Path(a.path).name for a in s.articles) for s in stories)
    assert groups == [
        ["kingsbridge_post.md", "kingsbridge_sport.md"],
        ["rovers_gazette.md", "rovers_wire.md"],
    ]
    embeddings_only = Config(grouping={"fact_weight": 0})
    assert len(group_articles(articles, embeddings_only, encoder)) == 1


def test_the_same_story_weeks_apart_is_not_merged(encoder) -> None:
    from briefing.grouping import group_articles

    upi, mt = parse_all([SEED_UPI, SEED_MOSCOW_TIMES])
    later = dataclasses.replace(upi, date=dt.date(2022, 4, 20))
    assert len(group_articles([mt, later], Config(), encoder)) == 2
    wider = Config(grouping={"max_story_days": 30, "date_penalty_per_day": 0})
    assert len(group_articles([mt, later], wider, encoder)) == 1


def test_each_day_apart_weighs_against_one_story(encoder) -> None:
    """Within max_story_days, days apart lower the similarity: the seeds, one day apart, are
    one story; three days apart they still are; with a steep penalty they are not."""
    from briefing.grouping import group_articles

    upi, mt = parse_all([SEED_UPI, SEED_MOSCOW_TIMES])
    assert len(group_articles([mt, upi], Config(), encoder)) == 1
    three_days = dataclasses.replace(upi, date=dt.date(2022, 3, 31))
    assert len(group_articles([mt, three_days], Config(), encoder)) == 1
    steep = Config(grouping={"date_penalty_per_day": 0.5})
    assert len(group_articles([mt, three_days], steep, encoder)) == 2


def test_embeddings_are_cached_in_the_store(encoder, tmp_path: Path) -> None:
    from briefing.similarity import article_vectors

    articles = parse_all([SEED_UPI, SEED_MOSCOW_TIMES])
    settings = Config().grouping
    with Store(tmp_path / "db.sqlite") as store:
        first = article_vectors(articles, encoder, settings, store)

        again = article_vectors(articles, NoEncoder(encoder.name), settings, store)
    assert (first == again).all() and first.shape == (2, 384)


def test_articles_embedded_block_by_block_get_the_vectors_of_one_pass(
    encoder, tmp_path: Path, monkeypatch
) -> None:
    import briefing.similarity as similarity

    articles = parse_all(sorted(SAMPLE_INBOX.iterdir())[:5])
    settings = Config().grouping
    whole = similarity.article_vectors(articles, encoder, settings)
    monkeypatch.setattr(similarity, "EMBEDDING_BLOCK", 2)
    with Store(tmp_path / "db.sqlite") as store:
        blocks = similarity.article_vectors(articles, encoder, settings, store)
        stored = similarity.article_vectors(articles, NoEncoder(encoder.name), settings, store)
    assert np.allclose(whole, blocks, atol=1e-6) and (blocks == stored).all()


def test_grouping_leaves_the_summariser_its_candidates_vectors(encoder, tmp_path) -> None:
    """The summariser ranks a story's headlines and candidate sentences (those starting in
    each article's first summary.candidate_words words) by their vectors: grouping made them
    all, and none is encoded again."""
    from briefing.embedding import CachedEncoder
    from briefing.grouping import group_articles
    from briefing.summarise.extract import source_sentences

    config = Config()
    seeds = parse_all([SEED_UPI, SEED_MOSCOW_TIMES])
    with Store(tmp_path / "db.sqlite") as store:
        (story,) = group_articles(seeds, config, encoder, store)
        headlines = [a.title for a in story.articles if a.title]
        window = config.summary.candidate_words
        candidates = [c.text for c in source_sentences(story, "en", window)]
        assert len(headlines) == 2 and len(candidates) >= 8
        assert len(candidates) < len(source_sentences(story))  # the window leaves some out
        stored = CachedEncoder(NoEncoder(encoder.name), store).encode(headlines + candidates)
    assert np.allclose(stored, encoder.encode(headlines + candidates), atol=1e-6)


class NoEncoder:
    """An encoder that fails the test when asked for a vector."""

    def __init__(self, name: str) -> None:
        self.name = name

    def encode(self, texts):
        raise AssertionError(f"encoded again: {texts[:2]}")


def test_fact_similarity_weighs_shared_rare_names() -> None:
    from briefing.similarity import fact_similarity

    similarity = fact_similarity(
        [
            "Daniel Marsh left Rivermouth on Sunday.",
            "Rivermouth dismissed Daniel Marsh.",
            "Paul Hendry left Kingsbridge on Sunday.",
            "no names here at all",
        ]
    )
    assert similarity[0, 1] > 0.5 > similarity[0, 2] > 0
    assert similarity[3].tolist() == [0, 0, 0, 0]
    assert fact_similarity(["nothing", "named"]).tolist() == [[0, 0], [0, 0]]


def test_fact_similarity_weighs_as_scikit_learn_does() -> None:
    """The hand-written TF-IDF (scikit-learn costs a second to import) is scikit-learn's."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from briefing.facts import fact_terms
    from briefing.similarity import fact_similarity

    texts = [
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLE_INBOX.iterdir())
    ]
    texts += ["no names", "Marsh Marsh Marsh"]
    weights = TfidfVectorizer(analyzer=fact_terms, sublinear_tf=True).fit_transform(texts)
    expected = np.asarray((weights @ weights.T).todense())
    assert np.abs(fact_similarity(texts) - expected).max() < 1e-12


def test_a_lone_article_joins_the_story_it_is_close_enough_to() -> None:
    from tests.dense_clustering import attach_singletons

    # Articles 0 and 1 are one story; 2 is a follow-up at average distance 0.8 (similarity
    # 0.2) from it; 3 is unrelated (similarity 0.05).
    distance = np.array(
        [
            [0.0, 0.3, 0.75, 0.95],
            [0.3, 0.0, 0.85, 0.95],
            [0.75, 0.85, 0.0, 0.95],
            [0.95, 0.95, 0.95, 0.0],
        ]
    )
    labels = [0, 0, 1, 2]
    assert attach_singletons(labels, distance, 0.175) == [0, 0, 0, 2]
    assert attach_singletons(labels, distance, 0.25) == labels  # not close enough
    assert attach_singletons(labels, distance, 0.0) == labels  # off
    assert attach_singletons([0, 1, 2], distance[:3, :3], 0.175) == [0, 1, 2]  # no story to join


def test_an_opinion_piece_never_links_two_events(encoder) -> None:
    """A column on a court's week names both of its events; read as a report it ties them
    into one story (as it did on a reader's dense week), set apart it joins one at most."""
    from briefing.grouping import group_articles

    court = sorted((FIXTURES / "supreme-court").glob("*.txt"))
    articles = [parse_article(p, p.read_bytes(), 0.0, Config()) for p in court]
    assert sorted(a.kind for a in articles) == ["news", "news", "opinion"]

    def stories(of):
        return sorted(
            sorted(a.kind for a in s.articles) for s in group_articles(of, Config(), encoder)
        )

    as_news = [dataclasses.replace(a, kind="news") for a in articles]
    assert stories(as_news) == [["news", "news", "news"]]  # the glue this guards against
    grouped = stories(articles)
    assert len(grouped) == 2 and all(kinds.count("news") == 1 for kinds in grouped)


def test_the_stories_of_the_same_articles_are_read_back_not_grouped_again(
    encoder, sample_files: list[Path], tmp_path: Path
) -> None:
    from briefing.grouping import group_articles

    class NoEncoder:
        name = "unused"

        def encode(self, texts):  # noqa: ANN001, ANN201
            raise AssertionError("the stored stories were grouped again")

    articles = parse_all(sample_files)
    config = Config()
    with Store(tmp_path / "store.sqlite") as store:
        grouped = group_articles(articles, config, encoder, store, stored=store)
    with Store(tmp_path / "store.sqlite") as store:
        again = group_articles(articles, config, NoEncoder(), store, stored=store)
        assert again == grouped
        # Another set of articles (one left out) is grouped anew.
        fewer = group_articles(articles[1:], config, encoder, store, stored=store)
    assert sum(len(s.articles) for s in fewer) == len(articles) - 1
