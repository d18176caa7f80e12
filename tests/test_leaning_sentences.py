"""A sentence that leans on the one before it ("He ...", "But ...") joins a summary only right
after that sentence, as it stands in its article."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
from tests.test_compress import ScriptedModel
from tests.test_summarise_parts import WordEncoder

from briefing.config import Config
from briefing.records import Article, Story
from briefing.summarise import Summariser
from briefing.summarise.extract import SourceSentence, rank_sentences, source_sentences
from briefing.summarise.guard import content_words
from briefing.summarise.sources import StorySources

LOCKE = (
    "Gary Locke will be confirmed as the permanent manager of Kilmarnock on Friday morning.\n\n"
    "He replaced Allan Johnston as caretaker manager in February after the club struggled.\n\n"
    "But the club went unbeaten in its first six league games under the caretaker manager.\n\n"
    "The weather in Ayrshire was cold and grey for most of the week before the game."
)
CLUB = (
    "Kilmarnock will announce the appointment of Gary Locke as manager at Rugby Park.\n\n"
    "The former Hearts manager Locke is expected to sign a three-year contract with the club."
)


def article(n: int, body: str) -> Article:
    return Article(
        id=f"a{n}",
        path=f"a{n}.txt",
        date=dt.date(2015, 4, 3),
        date_source="text",
        title="Locke to be confirmed as Kilmarnock manager",
        byline=None,
        outlet=f"Outlet {n}",
        url=None,
        body=body,
    )


def test_a_leaning_sentence_names_the_sentence_it_follows() -> None:
    story = Story("s", "Locke", "Sport", (article(1, LOCKE),))
    candidates = source_sentences(story)
    leans = {c.text.split()[0]: c.leans_on for c in candidates}
    assert leans["Gary"] is None
    assert candidates[leans["He"]].text.startswith("Gary Locke")  # type: ignore[index]
    assert candidates[leans["But"]].text.startswith("He replaced")  # type: ignore[index]


def test_a_leaning_sentence_is_never_picked_before_the_one_it_leans_on() -> None:
    sentences = [
        SourceSentence("Gary Locke will be confirmed as manager on Friday.", "a", 0),
        SourceSentence("He replaced Allan Johnston in February.", "a", 1, leans_on=0),
        SourceSentence("Kilmarnock will announce the appointment at Rugby Park.", "b", 0),
    ]
    # The leaning sentence is the most central; the one it leans on the least.
    vectors = np.array([[0.2, 0.98], [1.0, 0.0], [0.9, 0.44]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert rank_sentences(sentences, vectors, 1, lead_weight=0.0) == [2]
    picked = rank_sentences(sentences, vectors, 3, lead_weight=0.0, max_similar=1.0)
    assert picked.index(0) < picked.index(1)


def summarise(story: Story, **summary: object) -> list[str]:
    encoder = WordEncoder([w for a in story.articles for w in content_words(a.body)])
    config = Config()
    settings = config.summary.model_copy(update={"mode": "extract", **summary})
    config = config.model_copy(update={"summary": settings})
    return [s.text for s in Summariser(config, encoder, ScriptedModel).summarise(story).sentences]


def test_a_leaning_sentence_follows_its_own_sentence_in_the_summary() -> None:
    story = Story("s", "Locke", "Sport", (article(1, LOCKE), article(2, CLUB)))
    texts = summarise(story, max_sentences=4, max_story_words=200)
    for n, text in enumerate(texts):
        if text.startswith("He replaced"):
            assert texts[n - 1].startswith("Gary Locke")
        if text.startswith("But the club"):
            assert texts[n - 1].startswith("He replaced")
    assert any(t.startswith(("He replaced", "But the club")) for t in texts)


def test_a_leaning_sentence_goes_when_its_own_sentence_does_not_fit() -> None:

    story = Story("s", "Locke", "Sport", (article(1, LOCKE), article(2, CLUB)))
    candidates = [
        SourceSentence("Gary Locke will be confirmed as manager.", "a1", 0),
        SourceSentence("He replaced Allan Johnston in February.", "a1", 1, leans_on=0),
        SourceSentence("Kilmarnock will announce the appointment.", "a2", 0),
    ]
    ranked = [2, 0, 1]
    sources = StorySources(story, candidates, np.eye(3), ranked, sorted(ranked))
    config = Config()
    config = config.model_copy(
        update={"summary": config.summary.model_copy(update={"max_story_words": 12})}
    )
    summariser = Summariser(config, WordEncoder([]), ScriptedModel)
    # 5 words each: the first two ranked fit; the leaning one would too, after its own.
    assert summariser._fit(sources, {0: 5, 1: 5, 2: 5}) == [0, 2]
    # Its own sentence is too long to fit: the leaning one, short as it is, goes with it.
    assert summariser._fit(sources, {0: 20, 1: 5, 2: 5}) == [2]


def test_a_refused_sentence_is_never_picked() -> None:
    sentences = [
        SourceSentence("Mostly because performing the songs benefits the owner.", "a", 0),
        SourceSentence("Carlyle is part of a growing number of firms in music.", "a", 1),
    ]
    vectors = np.array([[1.0, 0.0], [0.8, 0.6]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rank = functools.partial(rank_sentences, sentences, vectors, 2, lead_weight=0.0, max_similar=1)
    assert rank() == [0, 1]
    assert rank(refuse=lambda i: i == 0) == [1]
