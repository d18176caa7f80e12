"""Generate mode: the model fuses the picked sentences freely (for stronger models), and the
guard decides, sentence by sentence, what of it the summary keeps."""

from __future__ import annotations

import logging

from briefing.config import GuardConfig, SummaryConfig
from briefing.records import GuardCounts, SummarySentence
from briefing.summarise.backends import GenerationSettings, SummaryModel
from briefing.summarise.clean import clean_output
from briefing.summarise.guard import StoryGuard
from briefing.summarise.prompts import fuse_prompt
from briefing.summarise.sources import StorySources

log = logging.getLogger(__name__)


def write_freely(model: SummaryModel, settings: SummaryConfig, sources: StorySources) -> list[str]:
    """The model's sentences for the picked source sentences, cleaned."""
    generation = GenerationSettings.from_config(settings)
    system, user = fuse_prompt(settings, [sources.candidates[i].text for i in sources.picked])
    raw = model.generate(system, user, generation)
    log.debug("story %s raw model output: %r", sources.story.id, raw)
    return clean_output(raw, settings.max_sentences)


def guard_written(
    sources: StorySources, generated: list[str], guard: StoryGuard, settings: GuardConfig
) -> tuple[list[SummarySentence], GuardCounts]:
    """The model's sentences the guard passes, in news order, each anchored to the source
    sentence it says; a refused one replaced by an unused source sentence (or dropped)."""
    kept = replaced = dropped = 0
    anchored: list[tuple[int, SummarySentence]] = []
    used: set[int] = set()
    for text, verdict in zip(generated, guard.check_all(generated), strict=True):
        if verdict.ok or not settings.enabled:
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
        if settings.on_failure == "replace" and replacement is not None:
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
