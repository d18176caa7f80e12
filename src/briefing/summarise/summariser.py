"""Summarise: one short, sourced summary per story, written by a local model and guarded.

Extract, then write: the sentences that carry the story are picked from all its sources
(central to the story and its headlines, early in their articles, no two alike), then the
model writes them in the configured mode:
- compress (default): it shortens each picked sentence by deleting phrases, under a constraint
  that lets it write only an order-preserving subsequence of the source (see `compress.py`);
- generate: it fuses the picked sentences freely (for stronger models);
- extract: no model; the picked sentences verbatim.
The faithfulness guard checks every sentence the model wrote. A sentence that fails is replaced
by its source sentence (or dropped), and counted. Figures on which the sources disagree are
shown side by side with their sources. Summaries are cached by (source article ids, model,
settings): the same story with the same sources is never summarised twice.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from briefing.config import Config
from briefing.embedding import Encoder
from briefing.errors import ModelError
from briefing.records import GuardCounts, Story, Summary, SummarySentence
from briefing.summarise.backends import (
    BackendUnavailable,
    SummaryModel,
    backend_named,
    get_model,
    resolve_backend,
)
from briefing.summarise.compress import Compression
from briefing.summarise.compressor import SentenceCompressor
from briefing.summarise.extract import rank_sentences, source_sentences
from briefing.summarise.figures import disagreement_notes
from briefing.summarise.free_writing import guard_written, write_freely
from briefing.summarise.guard import GuardThresholds
from briefing.summarise.plan import DeletionPlan
from briefing.summarise.sentence_cache import CompressionCache
from briefing.summarise.settings import summary_cache_key
from briefing.summarise.sources import StorySources
from briefing.summarise.views import attributed
from briefing.text import MAX_WORDS, cut_words, shorten, split_sentences

log = logging.getLogger(__name__)

# What stops the model (or the parser) from writing: it cannot be loaded, or it runs out of
# memory (torch raises RuntimeError) mid-run. Stories then quote extracts, and say so.
MODEL_FAILURES = (ModelError, RuntimeError, MemoryError)
FALLBACK_NAME = "extractive (the summary model failed)"
# A story whose summary server did not answer (after its retries) quotes extracts; the next
# story asks again. Neither kind of fallback is cached.
UNAVAILABLE_NAME = "extractive (the summary server did not answer)"
# Stories are summarised in windows that give the model at least this many sentences to
# compress in one call: a backend decodes them side by side (llama.cpp) or concurrently (an
# OpenAI-compatible pool), where one story alone often has two or three. Small enough that
# the progress bar still moves every few seconds (about ten stories). Measured with
# llama.cpp: see its PARALLEL_SEQUENCES.
WINDOW_SENTENCES = 32
# Among a story's next sentences whose ranking scores are this close (relevance minus
# redundancy, on the cosine scale), one a deletion can shorten is picked first: about as
# informative, and the model's. Tuned with benchmarks.quality (docs/compression.md).
COMPRESSIBLE_TIE = 0.06


class SummaryCache(CompressionCache, Protocol):
    """Where summaries, and each sentence's compressions, are kept between runs (the store)."""

    def cached_summary(self, key: str) -> Summary | None:
        """The summary stored under `key`, if any."""

    def save_summary(self, key: str, summary: Summary) -> None:
        """Store a summary under `key`."""


@dataclass
class Summariser:
    """Summarises stories: extracts, the model's compressions and the guard."""

    config: Config
    encoder: Encoder
    # Loaded on first use: a run whose summaries are all cached never loads the model.
    load_model: Callable[[], SummaryModel]
    store: SummaryCache | None = None
    thresholds: GuardThresholds = field(default_factory=GuardThresholds)
    _model: SummaryModel | None = field(default=None, init=False)
    # Why the model could not be used, once it failed: the rest of the run quotes extracts.
    model_failure: str | None = field(default=None, init=False)
    # Stories that quote extracts because the summary server did not answer in time.
    unanswered: int = field(default=0, init=False)
    # Sentence work (deletion plans, the model's compressions), done once per sentence: a
    # window of stories is compressed in one call before its stories are summarised.
    sentences: SentenceCompressor = field(init=False)

    def __post_init__(self) -> None:
        self.sentences = SentenceCompressor(
            self.config, self.encoder, lambda: self.model, self.store
        )

    @classmethod
    def from_config(
        cls,
        config: Config,
        encoder: Encoder,
        store: SummaryCache | None = None,
        thresholds: GuardThresholds | None = None,
    ) -> Summariser:
        """The summariser a configuration describes, with its model loaded on first use."""
        settings = config.summary
        cache_dir = settings.model_cache_dir
        return cls(
            config,
            encoder,
            lambda: get_model(settings, cache_dir),
            store,
            thresholds or GuardThresholds(),
        )

    @property
    def model(self) -> SummaryModel:
        """The model, loaded on first use."""
        if self._model is None:
            self._model = self.load_model()
        return self._model

    def model_name(self) -> str:
        """The name of what writes the summaries, as the briefing credits it."""
        if self.config.summary.mode == "extract":
            return "extractive (no model)"
        if self.model_failure:
            return FALLBACK_NAME
        return self._model.name if self._model else self.config.summary.model

    def summarise_all(
        self, stories: Sequence[Story], on_story: Callable[[Story, Summary], None] | None = None
    ) -> dict[str, Summary]:
        """The summary of every story, from the cache where it holds one. The stories to
        write are taken in windows whose sentences the model compresses in one call."""
        summaries: dict[str, Summary] = {}
        window: list[tuple[Story, str, StorySources]] = []

        def flush() -> None:
            started = time.perf_counter()
            self._prepare([sources for _, _, sources in window])
            share = (time.perf_counter() - started) / max(len(window), 1)
            for story, key, sources in window:
                summary = self._summarise(story, sources)
                summary = replace(summary, seconds=summary.seconds + share)
                if self.store and summary.model not in (FALLBACK_NAME, UNAVAILABLE_NAME):
                    # A fallback is not kept: once the model works again, it writes them.
                    self.store.save_summary(key, summary)
                summaries[story.id] = summary
                if on_story:
                    on_story(story, summary)
            window.clear()

        for story in stories:
            key = summary_cache_key(story, self.config, self.thresholds)
            summary = self.store.cached_summary(key) if self.store else None
            if summary is None:
                window.append((story, key, self._sources(story)))
                if sum(len(sources.picked) for _, _, sources in window) >= self._window:
                    flush()
                continue
            summaries[story.id] = summary
            if on_story:
                on_story(story, summary)
        flush()
        return {story.id: summaries[story.id] for story in stories}

    @functools.cached_property
    def _window(self) -> int:
        """Sentences per model call: a window of stories where the backend batches (its
        capabilities say so), else one story at a time."""
        backend = backend_named(resolve_backend(self.config.summary))
        return WINDOW_SENTENCES if backend.capabilities.batching else 1

    def summarise(self, story: Story) -> Summary:
        """The summary of one story (never cached here)."""
        return self._summarise(story, self._sources(story))

    def _prepare(self, window: Sequence[StorySources]) -> None:
        """The sentence work of a window of stories, in one model call (compress mode). Where
        the backend fails here, each story tries again on its own and falls back alone (a
        window of one story is left to it from the start)."""
        if len(window) < 2 or self.config.summary.mode != "compress" or self.model_failure:
            return
        texts = [s.candidates[i].text for s in window for i in s.picked]
        if not texts:
            return
        try:
            self.sentences.sentence_work(list(dict.fromkeys(texts)))
        except BackendUnavailable as exc:
            log.info("the summary server did not answer for %d stories: %s", len(window), exc)
        except MODEL_FAILURES as exc:
            self._model_failed(exc)

    def _model_failed(self, exc: BaseException) -> None:
        self.model_failure = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        log.warning("the summary model failed (%s); quoting extracts", self.model_failure)

    def _summarise(self, story: Story, sources: StorySources) -> Summary:
        started = time.perf_counter()
        mode = self.config.summary.mode
        counts = GuardCounts()
        generated: list[str] = []
        model = None
        if not sources.candidates:
            # Headline-only clippings: their text is their summary; a text with no statement
            # (a list, a language the sentence splitter does not know) gives its opening.
            first = story.distinct_articles[0]
            opening = (split_sentences(first.body) or [first.body])[0]
            text = first.body if len(first.body.split()) <= MAX_WORDS else opening
            sentences = [SummarySentence(shorten(text, 300), (first.id,), "extract")]
        elif mode == "extract" or self.model_failure:
            sentences = self._extracted(sources)
        elif mode == "generate" and len(sources.picked) < 2:
            sentences = [sources.extract(i) for i in sources.picked]
        else:
            try:
                sentences, counts, generated = self._with_model(sources, mode)
            except BackendUnavailable as exc:
                self.unanswered += 1
                log.warning("story %s quotes extracts: %s", story.id, exc)
                sentences, model = self._extracted(sources), UNAVAILABLE_NAME
            except MODEL_FAILURES as exc:
                self._model_failed(exc)
                sentences, counts, generated = self._extracted(sources), GuardCounts(), []
        sentences = attributed(sentences, story.distinct_articles)
        sentences += disagreement_notes(sources.story.distinct_articles, sources.words())
        # No sentence outgrows the story's word budget, however a source runs on (a headline
        # of 10,000 characters, a text with no full stop): cut at a word, the cut marked.
        budget = self.config.summary.max_story_words
        sentences = [
            s if len(s.text.split()) <= budget else replace(s, text=cut_words(s.text, budget))
            for s in sentences
        ]
        return Summary(
            story.id,
            tuple(sentences),
            model or self.model_name(),
            counts,
            time.perf_counter() - started,
            tuple(generated),
        )

    def _extracted(self, sources: StorySources) -> list[SummarySentence]:
        length = {i: len(sources.candidates[i].text.split()) for i in sources.picked}
        return [sources.extract(i) for i in self._fit(sources, length)]

    def _with_model(
        self, sources: StorySources, mode: str
    ) -> tuple[list[SummarySentence], GuardCounts, list[str]]:
        if mode == "compress":
            return self._compress(sources)
        generated = write_freely(self.model, self.config.summary, sources)
        sentences, counts = guard_written(
            sources, generated, sources.guard(self.encoder, self.thresholds), self.config.guard
        )
        if not sentences:
            wanted = min(self.config.summary.max_sentences, len(sources.picked))
            sentences = [sources.extract(i) for i in sources.picked[:wanted]]
        return sentences, counts, generated

    def _sources(self, story: Story) -> StorySources:
        settings = self.config.summary
        candidates = source_sentences(story, settings.language, settings.candidate_words)
        vectors = self.encoder.encode([c.text for c in candidates])
        headlines = [a.title for a in story.distinct_articles if a.title]
        headline_vectors = self.encoder.encode(headlines) if headlines else None
        # Free writing fuses more sentences than it writes; the other modes keep each one.
        wanted = (
            settings.extract_sentences if settings.mode == "generate" else settings.max_sentences
        )
        prefer = refuse = None
        if settings.mode == "compress" and not self.model_failure:

            def plan(i: int) -> DeletionPlan:
                text = candidates[i].text
                return self.sentences.plans([text])[text]

            def prefer(i: int) -> bool:  # a sentence the model can shorten
                return plan(i).can_shorten

            def refuse(i: int) -> bool:  # a subordinate clause alone is no sentence
                return plan(i).subordinate_only

        try:
            picked = rank_sentences(
                candidates,
                vectors,
                wanted,
                headline_vectors,
                prefer=prefer,
                tie=COMPRESSIBLE_TIE,
                refuse=refuse,
            )
        except MODEL_FAILURES as exc:  # no parser: the stories quote their extracts
            self._model_failed(exc)
            picked = rank_sentences(candidates, vectors, wanted, headline_vectors)
        sources = StorySources(story, candidates, vectors, list(picked), picked)
        picked.sort(key=sources.order_key())
        return sources

    def _compress(
        self, sources: StorySources
    ) -> tuple[list[SummarySentence], GuardCounts, list[str]]:
        """Each picked sentence shortened by the model, guarded; the source where it fails."""
        texts = {i: sources.candidates[i].text for i in sources.picked}
        work = self.sentences.sentence_work(list(dict.fromkeys(texts.values())))
        plans = {i: work[texts[i]].plan for i in texts}
        results = {i: list(work[texts[i]].candidates) for i in texts if plans[i].can_shorten}
        best = self.sentences.best(results, {i: sources.vectors[i] for i in results})
        length = {i: best[i].words if i in best else plans[i].length for i in sources.picked}
        chosen = self._fit(sources, length)
        written = [i for i in chosen if i in best]
        guard = sources.guard(self.encoder, self.thresholds)
        verdicts = dict(zip(written, guard.check_all([best[i].text for i in written]), strict=True))
        sentences: list[SummarySentence] = []
        kept = replaced = dropped = 0
        for i in chosen:
            verdict = verdicts.get(i)
            if verdict is None:
                sentences.append(sources.extract(i))  # nothing the model could delete
            elif verdict.ok or not self.config.guard.enabled:
                kept += 1
                sentences.append(
                    SummarySentence(
                        best[i].text,
                        tuple(dict.fromkeys([*sources.citing(i), *verdict.supporting_ids])),
                        "compressed",
                        source_text=texts[i],
                        removed=tuple(best[i].removed),
                    )
                )
            else:
                reason = "; ".join(verdict.problems)
                log.info("guard: %s: %r", reason, best[i].text)
                if self.config.guard.on_failure == "replace":
                    replaced += 1
                    sentences.append(sources.extract(i, reason))
                else:
                    dropped += 1
        counts = GuardCounts(len(written), kept, replaced, dropped)
        return sentences, counts, [best[i].text for i in written]

    def _fit(self, sources: StorySources, length: dict[int, int]) -> list[int]:
        """The picked sentences that fit `summary.max_story_words`, best-ranked first (a
        sentence too long for what is left is skipped for a shorter one, and one that leans
        on a sentence that did not fit with it), in news order."""
        budget = self.config.summary.max_story_words
        # A sentence still far over max_words after compression crowds out the others: it
        # comes after them (but the best-ranked sentence always leads).
        long = 1.25 * self.config.summary.max_words
        order = sources.ranked[:1] + sorted(sources.ranked[1:], key=lambda i: length[i] > long)
        chosen: list[int] = []
        for i in order:
            if sources.candidates[i].leans_on not in (None, *chosen):
                continue  # the sentence it leans on did not fit
            if not chosen or sum(length[j] for j in chosen) + length[i] <= budget:
                chosen.append(i)
        return [i for i in sources.picked if i in chosen]

    def compress_sentences(self, sentences: Sequence[str]) -> dict[str, Compression | None]:
        """The compression a summary would use for each sentence (None: the sentence is
        quoted whole), as `benchmarks.compressions` judges them."""
        return self.sentences.compress_sentences(sentences)
