"""The sentence work of compress mode: each sentence's deletion plan, the model's candidate
compressions (one batched call for many sentences), those whose own parse agrees with the
source's, and the best of them. Kept per run, and in the store between runs, by sentence.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from briefing.config import Config
from briefing.embedding import Encoder
from briefing.summarise.backends import SummaryModel
from briefing.summarise.compress import Compression, CompressionSettings
from briefing.summarise.parser import SentenceParser, get_parser
from briefing.summarise.plan import DeletionPlan
from briefing.summarise.prompts import compress_prompt
from briefing.summarise.sentence_cache import (
    CompressionCache,
    SentenceWork,
    from_payload,
    to_payload,
    work_key,
)
from briefing.summarise.settings import protected_words, writing_settings
from briefing.summarise.standalone import leans_back_anew, why_not_alone
from briefing.text import digest

log = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)


@dataclass
class SentenceCompressor:
    """Plans, candidates and the best compression of sentences, done once per sentence."""

    config: Config
    encoder: Encoder
    # The summary model, loaded when a sentence first needs it.
    model: Callable[[], SummaryModel]
    store: CompressionCache | None = None
    _work: dict[str, SentenceWork] = field(default_factory=dict, init=False)
    _parsed: dict[str, DeletionPlan] = field(default_factory=dict, init=False)

    @functools.cached_property
    def writing_key(self) -> str:
        """The key of the settings that shape each sentence's compressions."""
        return digest(writing_settings(self.config))

    @property
    def parser(self) -> SentenceParser:
        """The sentence parser that plans the allowed deletions."""
        return get_parser(self.config.summary.parser, protected_words(self.config))

    def plans(self, sentences: list[str]) -> dict[str, DeletionPlan]:
        """Each sentence's deletion plan, parsed once per run."""
        missing = [s for s in dict.fromkeys(sentences) if s not in self._parsed]
        if missing:
            self._parsed |= dict(zip(missing, self.parser.plans(missing), strict=True))
        return {s: self._parsed[s] for s in sentences}

    def sentence_work(self, sentences: list[str]) -> dict[str, SentenceWork]:
        """Each sentence's deletion plan and the model's candidates: from the store where it
        holds them, else parsed and compressed now (one batched call) and stored."""
        work = {s: self._work[s] for s in sentences if s in self._work}
        keys = {s: work_key(s, self.writing_key) for s in sentences if s not in work}
        stored = self.store.cached_compressions(list(keys.values())) if self.store else {}
        work |= {s: from_payload(stored[k]) for s, k in keys.items() if k in stored}
        missing = [s for s in sentences if s not in work]
        if not missing:
            return work
        plans = self.plans(missing)
        shortenable = [s for s in missing if plans[s].can_shorten]
        settings = self.config.summary
        written = (
            self.model().compress(
                [compress_prompt(settings, s) for s in shortenable],
                [plans[s] for s in shortenable],
                CompressionSettings.from_config(settings),
            )
            if shortenable
            else []
        )
        candidates = dict(zip(shortenable, written, strict=True))
        candidates = _standing_alone(self._parse_alike(candidates))
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
        return _without_refused(candidates, lambda sentence, c: verdicts[(sentence, c.kept)])

    def compress_sentences(self, sentences: Sequence[str]) -> dict[str, Compression | None]:
        """The compression a summary would use for each sentence (None: the sentence is
        quoted whole)."""
        texts = list(dict.fromkeys(sentences))
        work = self.sentence_work(texts)
        vectors = dict(zip(texts, self.encoder.encode(texts), strict=True))
        candidates = {s: list(work[s].candidates) for s in texts if work[s].plan.can_shorten}
        best = self.best(candidates, vectors)
        return {s: best.get(s) for s in texts}

    def best(
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


def _standing_alone(candidates: dict[str, list[Compression]]) -> dict[str, list[Compression]]:
    """The candidates that stand alone where their source does (`standalone.py`): a deletion
    may not take away what a pronoun it leaves refers to ("[After years of buzz about
    high-definition TV (HDTV)] it is finally taking off"); nor, where the source cannot
    stand alone for another reason (it speaks to the reader), leave a connective or a
    pronoun at its start that the source did not have."""
    alone = {sentence: why_not_alone(sentence) is None for sentence in candidates}
    return _without_refused(
        candidates,
        lambda sentence, c: (
            why_not_alone(c.text) if alone[sentence] else leans_back_anew(sentence, c.text)
        ),
    )


def _without_refused(
    candidates: dict[str, list[Compression]],
    refusal: Callable[[str, Compression], str | None],
) -> dict[str, list[Compression]]:
    """Each sentence's candidates but those `refusal` gives a reason against (logged)."""
    kept: dict[str, list[Compression]] = {}
    for sentence, cs in candidates.items():
        kept[sentence] = []
        for c in cs:
            reason = refusal(sentence, c)
            if reason:
                log.info("compression refused, %s: %r", reason, c.text)
            else:
                kept[sentence].append(c)
    return kept
