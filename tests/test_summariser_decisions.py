"""The summariser's decisions with a scripted model: which sentences are kept, replaced or
dropped, what a story says when the guard refuses everything, and what is cached. Fast: no
model, a bag-of-words encoder, a real SQLite store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.test_compress import ScriptedModel, strike_story
from tests.test_summarise_parts import WordEncoder

from briefing.config import Config
from briefing.records import Story
from briefing.store import Store
from briefing.summarise import UNAVAILABLE_NAME, Summariser
from briefing.summarise.backends import BackendUnavailable
from briefing.summarise.extract import source_sentences
from briefing.summarise.guard import content_words

INVENTED = "Zorblax Industries said 9,999 dockers had quit the union."


class ScriptedWriter(ScriptedModel):
    """Free writing from a script: each call returns the next text."""

    def __init__(self, *texts: str) -> None:
        super().__init__()
        self.texts = list(texts)

    def generate(self, system: str, user: str, settings: object) -> str:
        self.calls += 1
        return self.texts.pop(0)


class Unanswered(ScriptedModel):
    """A server that does not answer in time."""

    def compress(self, *args: object) -> list:
        self.calls += 1
        raise BackendUnavailable("no answer from http://127.0.0.1:9/v1 within 1 s")


def summariser(generator: ScriptedModel, store: Store | None = None, **settings) -> Summariser:
    story = strike_story()
    encoder = WordEncoder([w for a in story.articles for w in content_words(a.body)])
    config = Config.model_validate(
        {"summary": settings.get("summary", {}), "guard": settings.get("guard", {})}
    )
    return Summariser(config, encoder, lambda: generator, store)


def faithful_sentence(story: Story) -> str:
    """A sentence the sources state word for word: the guard keeps it."""
    return source_sentences(story)[0].text


@pytest.mark.parametrize("on_failure", ["replace", "drop"])
@pytest.mark.parametrize("all_refused", [False, True], ids=["one-refused", "all-refused"])
def test_free_writing_keeps_what_the_guard_passes(on_failure: str, all_refused: bool) -> None:
    story = strike_story()
    written = INVENTED if all_refused else f"{faithful_sentence(story)} {INVENTED}"
    summary = summariser(
        ScriptedWriter(written), summary={"mode": "generate"}, guard={"on_failure": on_failure}
    ).summarise(story)
    counts = summary.counts
    body = [s for s in summary.sentences if s.origin != "note"]
    assert summary.generated == tuple(written.replace(". Z", ".\nZ").split("\n"))
    assert counts.generated == len(summary.generated)
    assert counts.kept == (0 if all_refused else 1)
    assert all("Zorblax" not in s.text for s in summary.sentences), "the invention never shows"
    refused = counts.generated - counts.kept
    if on_failure == "replace":
        assert (counts.replaced, counts.dropped) == (refused, 0)
        assert sum(bool(s.replaced_reason) for s in body) == refused
        assert all("name 'Zorblax" in s.replaced_reason for s in body if s.replaced_reason)
    else:
        assert (counts.replaced, counts.dropped) == (0, refused)
        assert not any(s.replaced_reason for s in body)
    if all_refused:
        # Nothing the model wrote stands: the story is told by its best source sentences.
        assert body and all(s.origin == "extract" for s in body)
    else:
        assert [s.origin for s in body].count("model") == 1
        assert body[[s.origin for s in body].index("model")].text == faithful_sentence(story)


def test_the_guard_switched_off_keeps_every_model_sentence() -> None:
    summary = summariser(
        ScriptedWriter(INVENTED), summary={"mode": "generate"}, guard={"enabled": False}
    ).summarise(strike_story())
    assert summary.counts.kept == summary.counts.generated == 1
    assert INVENTED in [s.text for s in summary.sentences]


def test_a_summary_is_written_once_and_then_read_from_the_store(tmp_path: Path) -> None:
    generator = ScriptedModel()
    with Store(tmp_path / "store.sqlite") as store:
        first = summariser(generator, store).summarise_all([strike_story()])
        assert generator.calls == 1 and store.summary_count() == 1
        again = summariser(generator, store).summarise_all([strike_story()])
    assert generator.calls == 1, "the cached summary was written again"
    assert again == first


def test_a_story_the_server_left_unanswered_is_not_cached(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite") as store:
        down = summariser(Unanswered(), store)
        summary = down.summarise_all([strike_story()])["strike"]
        assert summary.model == UNAVAILABLE_NAME and down.unanswered == 1
        assert {s.origin for s in summary.sentences} <= {"extract", "note"}
        assert store.summary_count() == 0
        up = ScriptedModel()
        written = summariser(up, store).summarise_all([strike_story()])["strike"]
    assert up.calls == 1 and any(s.origin == "compressed" for s in written.sentences)


class Recording(ScriptedModel):
    """The scripted model, recording every sentence it is asked to compress."""

    def __init__(self) -> None:
        super().__init__()
        self.sentences: list[str] = []

    def compress(self, prompts, plans, settings) -> list:
        self.sentences += [p.sentence for p in plans]
        return super().compress(prompts, plans, settings)


def test_a_story_that_gains_an_article_compresses_only_new_sentences(tmp_path: Path) -> None:
    whole = strike_story()
    first = dataclasses.replace(whole, articles=whole.articles[:1])
    with Store(tmp_path / "store.sqlite") as store:
        before = Recording()
        summariser(before, store).summarise_all([first])
        after = Recording()
        grown = summariser(after, store).summarise_all([whole])["strike"]
        assert store.summary_count() == 2
    assert before.sentences and len(set(before.sentences)) == len(before.sentences)
    assert after.sentences, "the new article brings a picked sentence"
    assert not set(after.sentences) & set(before.sentences), "a sentence compressed twice"
    # What the store hands back is what a summariser without one writes.
    fresh = summariser(Recording()).summarise(whole)
    assert grown.sentences == fresh.sentences


def test_a_summary_whose_sentences_are_all_stored_needs_no_model(tmp_path: Path) -> None:
    story = strike_story()
    with Store(tmp_path / "store.sqlite") as store:
        written = summariser(ScriptedModel(), store).summarise(story)
        with_cache = summariser(ScriptedModel(), store)
        with_cache.load_model = no_model
        again = with_cache.summarise(story)  # summarise(): the story's own cache is not read
    assert again.sentences == written.sentences
    assert any(s.origin == "compressed" for s in again.sentences)


def no_model() -> ScriptedModel:
    raise AssertionError("the model was loaded although every sentence was stored")


def one_story_per_article() -> list[Story]:
    whole = strike_story()
    return [
        dataclasses.replace(whole, id=f"strike-{i}", articles=(article,))
        for i, article in enumerate(whole.articles)
    ]


def test_stories_are_compressed_together_and_read_as_if_alone() -> None:
    # A window of stories goes to the model in one call (side by side in llama.cpp, at once
    # to a server pool); each summary is the one its story gets on its own.
    stories = one_story_per_article()
    generator = Recording()
    together = summariser(generator).summarise_all(stories)
    assert generator.calls == 1
    assert len(generator.sentences) == len(set(generator.sentences)) >= len(stories)
    for story in stories:
        alone = summariser(Recording()).summarise(story)
        assert together[story.id].sentences == alone.sentences
    assert list(together) == [s.id for s in stories]


class AnswersAfterOneFailure(ScriptedModel):
    """A server that does not answer the first request, then does."""

    def compress(self, prompts, plans, settings) -> list:
        if self.calls == 0:
            self.calls += 1
            raise BackendUnavailable("no answer from http://127.0.0.1:9/v1 within 1 s")
        return super().compress(prompts, plans, settings)


def test_a_window_the_server_left_unanswered_is_asked_again_story_by_story() -> None:
    stories = one_story_per_article()
    generator = AnswersAfterOneFailure()
    written = summariser(generator).summarise_all(stories)
    assert generator.calls == 1 + len(stories)
    for story in stories:
        assert any(s.origin == "compressed" for s in written[story.id].sentences)
