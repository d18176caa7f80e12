"""Parts of the summariser that need no model: output cleaning, figure disagreements,
extraction order and the sentence-level guard checks."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.conftest import FIXTURES, SAMPLE_INBOX

from briefing.config import Config
from briefing.ingest import parse_article
from briefing.records import Article
from briefing.summarise.clean import clean_output
from briefing.summarise.figures import disagreements
from briefing.summarise.guard import (
    GuardThresholds,
    StoryGuard,
    content_words,
    negation_changed,
    negations,
)

CASES = json.loads((FIXTURES / "model_outputs.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"output{i}" for i in range(len(CASES))])
def test_cleaner_on_real_model_outputs(case: dict) -> None:
    assert clean_output(case["raw"], case["max"]) == case["expected"]


def test_cleaner_keeps_at_most_max_sentences() -> None:
    raw = "One fact is here. Two facts are here. Three facts are here. Four facts are here."
    assert clean_output(raw, 2) == ["One fact is here.", "Two facts are here."]


def parse(name: str) -> Article:
    path = SAMPLE_INBOX / name
    return parse_article(path, path.read_bytes(), path.stat().st_mtime, Config())


def test_disagreeing_counts_are_found_with_their_articles() -> None:
    courier, daily = parse("101_caldmouth_courier.html"), parse("102_harbour_business_daily.eml")
    found = disagreements([courier, daily], {"dockworkers", "strike"})
    assert len(found) == 1
    assert found[0].noun == "dockworker"
    assert [(f.text, f.article_id) for f in found[0].figures] == [
        ("About 1,200 dockworkers", courier.id),
        ("more than 1,400 dockworkers", daily.id),
    ]
    # Not reported when the summary does not rest on that subject.
    assert disagreements([courier, daily], {"ships"}) == []


def test_consistent_figures_are_not_a_disagreement() -> None:
    gazette, roundup = parse("106_ashgrove_gazette.txt"), parse("107_regional_sports_roundup.eml")
    assert disagreements([gazette, roundup], {"fans", "years"}) == []


class WordEncoder:
    """A deterministic bag-of-words encoder, so these tests need no model."""

    name = "words"

    def __init__(self, vocabulary: list[str]) -> None:
        self.index = {w: i for i, w in enumerate(sorted(set(vocabulary)))}

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.index) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in content_words(text):
                out[row, self.index.get(word, len(self.index))] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@pytest.fixture
def guard() -> StoryGuard:
    article = parse("108_nordland_post.md")
    sentences = [s for s in article.body.split("\n\n")]
    encoder = WordEncoder([w for s in sentences for w in content_words(s)])
    return StoryGuard(
        [article],
        sentences,
        [article.id] * len(sentences),
        encoder.encode(sentences),
        encoder.encode,
        GuardThresholds(min_similarity=0.5),
    )


def test_faithful_compression_passes(guard: StoryGuard) -> None:
    [verdict] = guard.check_all(
        ["The Bank of Nordland raised its main interest rate to 1.25 percent on Wednesday."]
    )
    assert verdict.ok, verdict.problems
    assert verdict.anchor == 0


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        (
            "The Bank of Nordland cut its main interest rate to 1.25 percent on Wednesday.",
            "wording not in the sources (cut)",
        ),
        (
            "The Bank of Nordland did not raise its main interest rate on Wednesday.",
            "negation differs from the source",
        ),
        (
            "Economists celebrated a historic boom across global stock exchanges.",
            "meaning not supported",
        ),
    ],
)
def test_changed_facts_without_new_names_fail(
    guard: StoryGuard, sentence: str, problem: str
) -> None:
    [verdict] = guard.check_all([sentence])
    assert not verdict.ok
    assert any(p.startswith(problem) for p in verdict.problems), verdict.problems


ZELENSKY = (
    "President Volodymyr Zelensky hailed the resumption of over-the-table talks, saying they "
    'must bring peace "without delay" and signalling a willingness to compromise.'
)


@pytest.mark.parametrize(
    ("source", "text", "changed"),
    [
        # A clause set off by punctuation goes whole, with the negation in it.
        (ZELENSKY, "President Volodymyr Zelensky hailed the resumption of talks.", False),
        (
            "The plan, which was not approved by the board, failed on Monday.",
            "The plan failed on Monday.",
            False,
        ),
        ("She left early, though she had not planned to.", "She left early.", False),
        # A negation deleted from the clause it negates flips it.
        ("The talks did not resume on Monday.", "The talks did resume on Monday.", True),
        ("He has never been charged with a crime.", "He charged with a crime.", True),
        ("He said he would not run, and left.", "He said he would, and left.", True),
        # Counted, not only seen: one of two negations deleted from its clause.
        ("He did not go, not once.", "He did go, not once.", True),
        ("He did not go, not once.", "He did not go.", False),
        # A hyphenated word's "not" is one, as `negations` reads it.
        ("A not-for-profit group ran it.", "A group ran it.", True),
        # Not a deletion of the source's words: any change of negation counts.
        ("The talks did not resume on Monday.", "The talks resumed.", True),
        ("The talks resumed on Monday.", "The talks did not resume.", True),
        ("The talks did not resume on Monday.", "The talks did not resume.", False),
    ],
)
def test_negation_changed(source: str, text: str, changed: bool) -> None:
    assert negation_changed(text, source) is changed


def test_negations() -> None:
    assert negations("It did not happen and won't.") == {"not", "n't"}
    assert negations("It happened.") == set()


def test_summary_language_is_pinned() -> None:
    import dataclasses

    from briefing.records import Story
    from briefing.summarise.extract import source_sentences

    english = parse("104_vellmar_institute.md")
    german = dataclasses.replace(parse("105_tech_ledger.html"), language="de")
    story = Story("s", "Battery", "Science", (english, german))
    assert {c.article_id for c in source_sentences(story, "en")} == {english.id}
    # With no source in the pinned language, the sources are used as they are.
    only_german = Story("t", "Battery", "Science", (german,))
    assert {c.article_id for c in source_sentences(only_german, "en")} == {german.id}


def test_candidates_are_the_sentences_that_start_in_the_window() -> None:
    from briefing.records import Story
    from briefing.summarise.extract import source_sentences

    article = parse("104_vellmar_institute.md")
    story = Story("s", "Battery", "Science", (article,))
    every = source_sentences(story)
    first = len(every[0].text.split())
    # A sentence that starts at word `first` is outside a window of `first` words.
    assert source_sentences(story, None, first) == every[:1]
    assert source_sentences(story, None, first + 1) == every[:2]
    assert source_sentences(story, None, 100_000) == every


def test_other_language_sources_are_marked(briefing) -> None:
    import dataclasses

    from tests.conftest import REPO

    from briefing.render import render

    story = briefing.stories[0]
    marked = dataclasses.replace(story.articles[0], language="de")
    changed = dataclasses.replace(
        briefing,
        stories=(
            dataclasses.replace(story, articles=(marked, *story.articles[1:])),
            *briefing.stories[1:],
        ),
    )
    html = render(changed, "html", REPO / "templates")
    assert 'listed, not summarised">(de)</span>' in html
    assert "(de)" in render(changed, "md", REPO / "templates")


def test_a_change_to_the_summarising_code_changes_the_cache_keys(monkeypatch) -> None:
    """No stored compression or summary outlives the rules that made it: the keys carry a
    digest of the summarise package's code."""
    from briefing.summarise import settings
    from briefing.summarise.guard import GuardThresholds as Thresholds

    config = Config()
    from tests.test_compress import strike_story

    story = strike_story()
    digest_now = settings.rules_digest()
    assert len(digest_now) == 16 and settings.writing_settings(config)["rules"] == digest_now
    before = settings.summary_cache_key(story, config, Thresholds())
    monkeypatch.setattr(settings, "rules_digest", lambda: "0" * 16)
    assert settings.summary_cache_key(story, config, Thresholds()) != before
