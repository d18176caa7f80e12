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
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol, TypeVar

import numpy as np

from briefing.config import Config
from briefing.embedding import Encoder
from briefing.errors import ModelError
from briefing.records import GuardCounts, Story, Summary, SummarySentence
from briefing.summarise.backends import (
    BackendUnavailable,
    GenerationSettings,
    SummaryModel,
    get_generator,
    resolve_backend,
)
from briefing.summarise.clean import clean_output
from briefing.summarise.compress import Compression, CompressionSettings
from briefing.summarise.deletions import DeletionPlan, ProtectedWords, SentenceParser, get_parser
from briefing.summarise.extract import SourceSentence, rank_sentences, source_sentences
from briefing.summarise.figures import disagreements
from briefing.summarise.guard import GuardThresholds, StoryGuard, content_words
from briefing.summarise.prompts import compress_prompt, fuse_prompt
from briefing.summarise.sentence_cache import (
    CompressionCache,
    SentenceWork,
    digest,
    from_payload,
    to_payload,
    work_key,
)
from briefing.summarise.views import attributed
from briefing.text import MAX_WORDS, cut_words, shorten, split_sentences

log = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)

# Bump when the summarising pipeline changes, so cached summaries are rebuilt.
PIPELINE_VERSION = "7"
# Source sentences this similar say the same thing; both articles are cited.
SAME_SENTENCE = 0.9
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
COMPRESSIBLE_TIE = 0.03
# What the cache key leaves out: where and how fast the model runs, not what it writes.
_NOT_IN_KEY: Any = {
    "model_cache_dir": True,
    "threads": True,
    "openai": {
        "endpoints",
        "api_key_env",
        "timeout_seconds",
        "retries",
        "backoff_seconds",
        "concurrency",
    },
}


def writing_settings(config: Config) -> dict[str, Any]:
    """The settings that shape what the model writes: summary settings, backend, version."""
    return {
        "summary": config.summary.model_dump(mode="json", exclude=_NOT_IN_KEY),
        "backend": resolve_backend(config.summary),
        "version": PIPELINE_VERSION,
    }


def summary_cache_key(story: Story, config: Config, thresholds: GuardThresholds) -> str:
    """The key of a story's summary: its articles and every setting that shapes it."""
    payload = {
        "articles": sorted(a.id for a in story.distinct_articles),
        **writing_settings(config),
        "guard": config.guard.model_dump(mode="json"),
        "thresholds": asdict(thresholds),
    }
    return digest(payload)


def protected_words(config: Config) -> ProtectedWords:
    """The words compression may never delete, from the config."""
    p = config.summary.protected
    return ProtectedWords(
        frozenset(w.lower() for w in p.negations),
        frozenset(w.lower() for w in p.modals_and_hedges),
        frozenset(w.lower() for w in p.attribution_verbs),
        frozenset(w.lower() for w in p.role_words),
    )


@dataclass
class _Sources:
    """A story's candidate sentences, their embeddings and the ones picked for the model."""

    story: Story
    candidates: list[SourceSentence]
    vectors: np.ndarray
    ranked: list[int]  # picked sentences, best first
    picked: list[int]  # the same, in news order

    def order_key(self) -> Callable[[int], tuple[Any, int]]:
        """News order: earlier articles first, then position in the article."""
        date_of = {a.id: a.date for a in self.story.articles}
        return lambda i: (date_of[self.candidates[i].article_id], self.candidates[i].position)

    def citing(self, index: int) -> tuple[str, ...]:
        """The article of a candidate sentence and every article that states the same."""
        similar = self.vectors @ self.vectors[index]
        ids = [self.candidates[index].article_id]
        ids += [
            c.article_id
            for c, s in zip(self.candidates, similar, strict=True)
            if s >= SAME_SENTENCE
        ]
        return tuple(dict.fromkeys(ids))

    def extract(self, index: int, reason: str | None = None) -> SummarySentence:
        """A source sentence used verbatim, citing every article that states it."""
        return SummarySentence(self.candidates[index].text, self.citing(index), "extract", reason)

    def guard(self, encoder: Encoder, thresholds: GuardThresholds) -> StoryGuard:
        return StoryGuard(
            self.story.distinct_articles,
            [c.text for c in self.candidates],
            [c.article_id for c in self.candidates],
            self.vectors,
            encoder.encode,
            thresholds,
        )


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
    load_generator: Callable[[], SummaryModel]
    store: SummaryCache | None = None
    thresholds: GuardThresholds = field(default_factory=GuardThresholds)
    _generator: SummaryModel | None = field(default=None, init=False)
    # Why the model could not be used, once it failed: the rest of the run quotes extracts.
    model_failure: str | None = field(default=None, init=False)
    # Stories that quote extracts because the summary server did not answer in time.
    unanswered: int = field(default=0, init=False)
    # Sentence work (deletion plans, the model's compressions) done in this run, by sentence:
    # a window of stories is compressed in one call before its stories are summarised.
    _work: dict[str, SentenceWork] = field(default_factory=dict, init=False)
    _parsed: dict[str, DeletionPlan] = field(default_factory=dict, init=False)

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
            lambda: get_generator(settings, cache_dir),
            store,
            thresholds or GuardThresholds(),
        )

    @property
    def generator(self) -> SummaryModel:
        """The model, loaded on first use."""
        if self._generator is None:
            self._generator = self.load_generator()
        return self._generator

    @functools.cached_property
    def _writing_key(self) -> str:
        """The key of the settings that shape each sentence's compressions."""
        return digest(writing_settings(self.config))

    @property
    def parser(self) -> SentenceParser:
        """The sentence parser that plans the allowed deletions."""
        return get_parser(self.config.summary.parser, protected_words(self.config))

    def generator_name(self) -> str:
        """The name of what writes the summaries, as the briefing credits it."""
        if self.config.summary.mode == "extract":
            return "extractive (no model)"
        if self.model_failure:
            return FALLBACK_NAME
        return self._generator.name if self._generator else self.config.summary.model

    def summarise_all(
        self, stories: Sequence[Story], on_story: Callable[[Story, Summary], None] | None = None
    ) -> dict[str, Summary]:
        """The summary of every story, from the cache where it holds one. The stories to
        write are taken in windows whose sentences the model compresses in one call."""
        summaries: dict[str, Summary] = {}
        window: list[tuple[Story, str, _Sources]] = []

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
                if sum(len(sources.picked) for _, _, sources in window) >= WINDOW_SENTENCES:
                    flush()
                continue
            summaries[story.id] = summary
            if on_story:
                on_story(story, summary)
        flush()
        return {story.id: summaries[story.id] for story in stories}

    def summarise(self, story: Story) -> Summary:
        """The summary of one story (never cached here)."""
        return self._summarise(story, self._sources(story))

    def _prepare(self, window: Sequence[_Sources]) -> None:
        """The sentence work of a window of stories, in one model call (compress mode). Where
        the backend fails here, each story tries again on its own and falls back alone (a
        window of one story is left to it from the start)."""
        if len(window) < 2 or self.config.summary.mode != "compress" or self.model_failure:
            return
        texts = [s.candidates[i].text for s in window for i in s.picked]
        if not texts:
            return
        try:
            self._sentence_work(list(dict.fromkeys(texts)))
        except BackendUnavailable as exc:
            log.info("the summary server did not answer for %d stories: %s", len(window), exc)
        except MODEL_FAILURES as exc:
            self._model_failed(exc)

    def _model_failed(self, exc: BaseException) -> None:
        self.model_failure = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        log.warning("the summary model failed (%s); quoting extracts", self.model_failure)

    def _summarise(self, story: Story, sources: _Sources) -> Summary:
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
        sentences += self._disagreement_notes(sources)
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
            model or self.generator_name(),
            counts,
            time.perf_counter() - started,
            tuple(generated),
        )

    def _extracted(self, sources: _Sources) -> list[SummarySentence]:
        length = {i: len(sources.candidates[i].text.split()) for i in sources.picked}
        return [sources.extract(i) for i in self._fit(sources, length)]

    def _with_model(
        self, sources: _Sources, mode: str
    ) -> tuple[list[SummarySentence], GuardCounts, list[str]]:
        if mode == "compress":
            return self._compress(sources)
        generated = self._write(sources)
        sentences, counts = self._guard(sources, generated)
        if not sentences:
            wanted = min(self.config.summary.max_sentences, len(sources.picked))
            sentences = [sources.extract(i) for i in sources.picked[:wanted]]
        return sentences, counts, generated

    def _sources(self, story: Story) -> _Sources:
        settings = self.config.summary
        candidates = source_sentences(story, settings.language, settings.candidate_words)
        vectors = self.encoder.encode([c.text for c in candidates])
        headlines = [a.title for a in story.distinct_articles if a.title]
        headline_vectors = self.encoder.encode(headlines) if headlines else None
        # Free writing fuses more sentences than it writes; the other modes keep each one.
        wanted = (
            settings.extract_sentences if settings.mode == "generate" else settings.max_sentences
        )
        prefer = None
        if settings.mode == "compress" and not self.model_failure:

            def prefer(i: int) -> bool:  # a sentence the model can shorten
                text = candidates[i].text
                return self._plans([text])[text].can_shorten

        try:
            picked = rank_sentences(
                candidates, vectors, wanted, headline_vectors, prefer=prefer, tie=COMPRESSIBLE_TIE
            )
        except MODEL_FAILURES as exc:  # no parser: the stories quote their extracts
            self._model_failed(exc)
            picked = rank_sentences(candidates, vectors, wanted, headline_vectors)
        sources = _Sources(story, candidates, vectors, list(picked), picked)
        picked.sort(key=sources.order_key())
        return sources

    def _plans(self, sentences: list[str]) -> dict[str, DeletionPlan]:
        """Each sentence's deletion plan, parsed once per run."""
        missing = [s for s in dict.fromkeys(sentences) if s not in self._parsed]
        if missing:
            self._parsed |= dict(zip(missing, self.parser.plans(missing), strict=True))
        return {s: self._parsed[s] for s in sentences}

    def _compress(self, sources: _Sources) -> tuple[list[SummarySentence], GuardCounts, list[str]]:
        """Each picked sentence shortened by the model, guarded; the source where it fails."""
        texts = {i: sources.candidates[i].text for i in sources.picked}
        work = self._sentence_work(list(dict.fromkeys(texts.values())))
        plans = {i: work[texts[i]].plan for i in texts}
        results = {i: list(work[texts[i]].candidates) for i in texts if plans[i].can_shorten}
        best = self._best_compressions(results, {i: sources.vectors[i] for i in results})
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

    def _sentence_work(self, sentences: list[str]) -> dict[str, SentenceWork]:
        """Each sentence's deletion plan and the model's candidates: from the store where it
        holds them, else parsed and compressed now (one batched call) and stored."""
        work = {s: self._work[s] for s in sentences if s in self._work}
        keys = {s: work_key(s, self._writing_key) for s in sentences if s not in work}
        stored = self.store.cached_compressions(list(keys.values())) if self.store else {}
        work |= {s: from_payload(stored[k]) for s, k in keys.items() if k in stored}
        missing = [s for s in sentences if s not in work]
        if not missing:
            return work
        plans = self._plans(missing)
        shortenable = [s for s in missing if plans[s].can_shorten]
        settings = self.config.summary
        written = (
            self.generator.compress(
                [compress_prompt(settings, s) for s in shortenable],
                [plans[s] for s in shortenable],
                CompressionSettings.from_config(settings),
            )
            if shortenable
            else []
        )
        candidates = dict(zip(shortenable, written, strict=True))
        candidates = self._parse_alike(candidates)
        fresh = {s: SentenceWork(plans[s], tuple(candidates.get(s, ()))) for s in missing}
        if self.store:
            self.store.save_compressions({keys[s]: to_payload(w) for s, w in fresh.items()})
        self._work |= fresh
        return work | fresh

    def _parse_alike(
        self, candidates: dict[str, list[Compression]]
    ) -> dict[str, list[Compression]]:
        """The candidates whose own parse agrees with the source's (`reparse.py`)."""
        flat = [c for cs in candidates.values() for c in cs]
        verdicts = dict(
            zip(
                ((c.plan.sentence, c.kept) for c in flat),
                self.parser.misparsed([(c.plan, c.kept) for c in flat]),
                strict=True,
            )
        )
        kept: dict[str, list[Compression]] = {}
        for sentence, cs in candidates.items():
            kept[sentence] = []
            for c in cs:
                reason = verdicts[(sentence, c.kept)]
                if reason:
                    log.info("compression refused, %s: %r", reason, c.text)
                else:
                    kept[sentence].append(c)
        return kept

    def _fit(self, sources: _Sources, length: dict[int, int]) -> list[int]:
        """The picked sentences that fit `summary.max_story_words`, best-ranked first (a
        sentence too long for what is left is skipped for a shorter one), in news order."""
        budget = self.config.summary.max_story_words
        # A sentence still far over max_words after compression crowds out the others: it
        # comes after them (but the best-ranked sentence always leads).
        long = 1.25 * self.config.summary.max_words
        order = sources.ranked[:1] + sorted(sources.ranked[1:], key=lambda i: length[i] > long)
        chosen: list[int] = []
        for i in order:
            if not chosen or sum(length[j] for j in chosen) + length[i] <= budget:
                chosen.append(i)
        return [i for i in sources.picked if i in chosen]

    def compress_sentences(self, sentences: Sequence[str]) -> dict[str, Compression | None]:
        """The compression a summary would use for each sentence (None: the sentence is
        quoted whole), as `benchmarks.compressions` judges them."""
        texts = list(dict.fromkeys(sentences))
        work = self._sentence_work(texts)
        vectors = dict(zip(texts, self.encoder.encode(texts), strict=True))
        candidates = {s: list(work[s].candidates) for s in texts if work[s].plan.can_shorten}
        best = self._best_compressions(candidates, vectors)
        return {s: best.get(s) for s in texts}

    def _best_compressions(
        self, candidates: Mapping[K, list[Compression]], source_vectors: Mapping[K, np.ndarray]
    ) -> dict[K, Compression]:
        """For each sentence, the candidate that reads best and keeps the most meaning (model
        score + fidelity_weight x similarity to the source); none where nothing shortens.
        All candidates are embedded in one call."""
        shorter = [(i, c) for i, cs in candidates.items() for c in cs if c.shortened]
        if not shorter:
            return {}
        vectors = self.encoder.encode([c.text for _, c in shorter])
        weight = self.config.summary.fidelity_weight
        best: dict[K, tuple[float, Compression]] = {}
        for (i, candidate), vector in zip(shorter, vectors, strict=True):
            score = candidate.score + weight * float(vector @ source_vectors[i])
            if i not in best or score > best[i][0]:
                best[i] = (score, candidate)
        return {i: candidate for i, (_, candidate) in best.items()}

    def _write(self, sources: _Sources) -> list[str]:
        """The model's sentences for the picked source sentences, cleaned (generate mode)."""
        settings = self.config.summary
        generation = GenerationSettings.from_config(settings)
        system, user = fuse_prompt(settings, [sources.candidates[i].text for i in sources.picked])
        raw = self.generator.generate(system, user, generation)
        log.debug("story %s raw model output: %r", sources.story.id, raw)
        return clean_output(raw, settings.max_sentences)

    def _guard(
        self, sources: _Sources, generated: list[str]
    ) -> tuple[list[SummarySentence], GuardCounts]:
        guard = sources.guard(self.encoder, self.thresholds)
        kept = replaced = dropped = 0
        anchored: list[tuple[int, SummarySentence]] = []
        used: set[int] = set()
        for text, verdict in zip(generated, guard.check_all(generated), strict=True):
            if verdict.ok or not self.config.guard.enabled:
                used.add(verdict.anchor)
                anchored.append(
                    (verdict.anchor, SummarySentence(text, verdict.supporting_ids, "model"))
                )
                kept += 1
                continue
            reason = "; ".join(verdict.problems)
            log.info("guard: %s: %r", reason, text)
            # Prefer the sentences picked for the story; the model's attempt only orders them.
            preferred = [i for i in verdict.ranking if i in sources.picked]
            replacement = next((i for i in [*preferred, *verdict.ranking] if i not in used), None)
            if self.config.guard.on_failure == "replace" and replacement is not None:
                used.add(replacement)
                anchored.append((replacement, sources.extract(replacement, reason)))
                replaced += 1
            else:
                dropped += 1
        if kept == 0 and replaced:
            # Every model sentence was refused: its attempts say nothing about what matters, so
            # the summary is the extractive one, the best-ranked picked sentences.
            reasons = [s.replaced_reason for _, s in anchored]
            anchored = [
                (i, sources.extract(i, reason))
                for i, reason in zip(sources.ranked, reasons, strict=False)
            ]
        order = sources.order_key()
        anchored.sort(key=lambda pair: order(pair[0]))
        return [s for _, s in anchored], GuardCounts(len(generated), kept, replaced, dropped)

    def _disagreement_notes(self, sources: _Sources) -> list[SummarySentence]:
        articles = sources.story.distinct_articles
        if len(articles) < 2:
            return []
        words = {w for i in sources.picked for w in content_words(sources.candidates[i].text)}
        outlet = {a.id: a.outlet or "one source" for a in articles}
        notes = []
        for disagreement in disagreements(articles, words):
            parts = [
                f"{outlet[f.article_id]} reports {f.text[:1].lower()}{f.text[1:]}"
                for f in disagreement.figures
            ]
            notes.append(
                SummarySentence(
                    "Sources differ: " + "; ".join(parts) + ".",
                    tuple(f.article_id for f in disagreement.figures),
                    "note",
                )
            )
        return notes
