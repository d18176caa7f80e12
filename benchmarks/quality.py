"""Quality benchmark: grouping and summaries on a labelled corpus. Prints tables; asserts nothing.

    python -m benchmarks.quality --corpus ../shared/eval/ecb-dev
    python -m benchmarks.quality --corpus DIR --sweep              # grouping thresholds
    python -m benchmarks.quality --corpus DIR --cross-validate     # held-out-topic F1
    python -m benchmarks.quality --corpus DIR --fact-weight 0      # embeddings only
    python -m benchmarks.quality --corpus DIR --guard-calibration  # guard thresholds
    python -m benchmarks.quality --corpus DIR --max-stories 8      # fewer model calls

Grouping: pairwise and BCubed precision/recall/F1 against gold stories (and topics).
Cross-validation: the threshold is chosen on half of the topics and scored on the other half,
over many random halves, so the figure is not one tuned on the data it reports.
Summaries: share of names/numbers/quotes stated that no source supports, before and after the
guard; share of model sentences replaced; ROUGE-1/2/L against references where the corpus has
them; the same for a lead-3 baseline; time per story.
Guard calibration: how often the guard accepts sentences from a held-out article of the same
story (should pass) and from the look-alike story of the same topic (must fail).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.corpus import LabelledCorpus, load_corpus
from benchmarks.metrics import ClaimCount, bcubed, count_claims, pairwise, rouge
from briefing.config import Config
from briefing.records import Article, Story
from briefing.summarise.extract import MAX_WORDS, MIN_WORDS
from briefing.summarise.guard import GuardThresholds, SourceFacts, StoryGuard
from briefing.text import split_sentences

ALL_DATES = 100_000  # a date window covering the whole corpus (many files carry no date)


def _row(cells: Sequence[object], widths: Sequence[int]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))


def with_grouping(config: Config, **settings: object) -> Config:
    return config.model_copy(update={"grouping": config.grouping.model_copy(update=settings)})


class MemoryVectors:
    """An embedding cache for the many groupings of one corpus (the store's, in memory)."""

    def __init__(self) -> None:
        self.vectors: dict[tuple[str, str], object] = {}

    def embeddings(self, article_ids: list[str], model: str) -> dict:
        return {i: self.vectors[(i, model)] for i in article_ids if (i, model) in self.vectors}

    def save_embeddings(self, vectors: dict, model: str) -> None:
        self.vectors.update({(i, model): v for i, v in vectors.items()})


def story_labels(stories: Sequence[Story], articles: Sequence[Article]) -> list[str]:
    """The predicted story of each article, in the order of `articles`."""
    label = {a.id: s.id for s in stories for a in s.articles}
    return [label[a.id] for a in articles]


def story_f1(
    articles: Sequence[Article], corpus: LabelledCorpus, config: Config, encoder, cache
) -> float:
    from briefing.grouping import group_articles

    predicted = story_labels(group_articles(articles, config, encoder, cache), articles)
    return bcubed(predicted, [corpus.story_of[a.id] for a in articles]).f1


def cross_validate(
    corpus: LabelledCorpus,
    config: Config,
    encoder,
    thresholds: list[float],
    cache: MemoryVectors,
    rounds: int = 20,
) -> None:
    """Choose the threshold on a random half of the topics, score it on the other half."""
    import random

    topics = sorted(set(corpus.topic_of.values()))
    if len(topics) < 4:
        print("\nCross-validation needs at least 4 gold topics.")
        return
    rng = random.Random(0)
    settings = [with_grouping(config, similarity_threshold=t) for t in thresholds]
    held_out: list[float] = []
    chosen: list[float] = []
    for _ in range(rounds):
        tuning = set(rng.sample(topics, len(topics) // 2))
        halves = (
            [a for a in corpus.articles if corpus.topic_of[a.id] in tuning],
            [a for a in corpus.articles if corpus.topic_of[a.id] not in tuning],
        )
        scores = [story_f1(halves[0], corpus, c, encoder, cache) for c in settings]
        best = scores.index(max(scores))
        chosen.append(thresholds[best])
        held_out.append(story_f1(halves[1], corpus, settings[best], encoder, cache))
    print(
        f"\nCross-validation, {rounds} random halves of {len(topics)} topics "
        f"(fact weight {config.grouping.fact_weight:.2f}): held-out BCubed F1 "
        f"mean {statistics.mean(held_out):.3f}, median {statistics.median(held_out):.3f}, "
        f"min {min(held_out):.3f}, max {max(held_out):.3f}; thresholds chosen "
        f"{min(chosen):.2f}–{max(chosen):.2f}"
    )


def grouping_report(
    corpus: LabelledCorpus, config: Config, encoder, thresholds: list[float], cache: MemoryVectors
) -> list[Story]:
    from briefing.grouping import group_articles

    gold = [corpus.story_of[a.id] for a in corpus.articles]
    topics = [corpus.topic_of[a.id] for a in corpus.articles]
    widths = [9, 7, 20, 20, 9]
    print(
        f"\nGrouping: {len(corpus.articles)} articles, {len(set(gold))} gold stories, "
        f"{len(set(topics))} gold topics"
    )
    print(_row(["threshold", "stories", "pairwise P/R/F1", "BCubed P/R/F1", "topic F1"], widths))
    chosen: list[Story] = []
    for threshold in thresholds:
        settings = with_grouping(config, similarity_threshold=threshold)
        stories = group_articles(corpus.articles, settings, encoder, cache)
        predicted = story_labels(stories, corpus.articles)
        pw, b3 = pairwise(predicted, gold), bcubed(predicted, gold)
        topic = bcubed(predicted, topics)
        print(
            _row(
                [
                    f"{threshold:.2f}",
                    len(stories),
                    f"{pw.precision:.3f}/{pw.recall:.3f}/{pw.f1:.3f}",
                    f"{b3.precision:.3f}/{b3.recall:.3f}/{b3.f1:.3f}",
                    f"{topic.f1:.3f}",
                ],
                widths,
            )
        )
        if threshold == config.grouping.similarity_threshold:
            chosen = stories
    return chosen


def lead3(story: Story) -> list[str]:
    first = min(story.distinct_articles, key=lambda a: (a.date, a.path))
    return split_sentences(first.body)[:3]


# The guard of the first release: names, numbers and quotes, and similarity >= 0.5 only.
GUARD_PRESETS = {
    "current": GuardThresholds(),
    "v1": GuardThresholds(min_similarity=0.5, max_new_words=1.0, check_negation=False),
}


def summary_report(
    corpus: LabelledCorpus,
    stories: list[Story],
    config: Config,
    encoder,
    max_stories: int | None,
    thresholds: GuardThresholds,
) -> None:
    from briefing.summarise import Summariser
    from briefing.summarise.generator import get_generator

    summariser = Summariser(
        config,
        encoder,
        lambda: get_generator(
            config.summary.model, str(config.path(config.summary.model_cache_dir))
        ),
        thresholds=thresholds,
    )
    chosen = sorted(stories, key=lambda s: (-len(s.distinct_articles), s.id))[:max_stories]
    before = after = baseline = ClaimCount()
    generated = replaced = kept = 0
    seconds: list[float] = []
    scores: dict[str, list[dict[str, float]]] = {"briefing": [], "lead-3": []}
    print(
        f"\nSummaries: {len(chosen)} of {len(stories)} predicted stories "
        f"(largest first), model {config.summary.model}, mode {config.summary.mode}, "
        f"guard {thresholds}"
    )
    for number, story in enumerate(chosen, 1):
        started = time.perf_counter()
        summary = summariser.summarise(story)
        seconds.append(time.perf_counter() - started)
        facts = SourceFacts.from_articles(story.distinct_articles)
        final = [s.text for s in summary.sentences if s.origin != "note"]
        before += count_claims(summary.generated, facts)
        after += count_claims(final, facts)
        baseline += count_claims(lead3(story), facts)
        generated += summary.counts.generated
        replaced += summary.counts.replaced + summary.counts.dropped
        kept += summary.counts.kept
        gold_story = Counter(corpus.story_of[a.id] for a in story.articles).most_common(1)[0][0]
        refs = corpus.references.get(gold_story)
        if refs:
            scores["briefing"].append(rouge(" ".join(final), refs))
            scores["lead-3"].append(rouge(" ".join(lead3(story)), refs))
        print(
            f"  [{number}/{len(chosen)}] {seconds[-1]:5.1f} s  {summary.counts.kept}/"
            f"{summary.counts.generated} kept  {story.headline[:70]}",
            flush=True,
        )

    widths = [10, 26, 26, 12, 24]
    print()
    print(
        _row(
            [
                "system",
                "unsupported claims",
                "model sentences replaced",
                "kept",
                "ROUGE-1/2/L (F1)",
            ],
            widths,
        )
    )

    def rouge_cell(name: str) -> str:
        rows = scores[name]
        if not rows:
            return "n/a (no references)"
        return "/".join(
            f"{statistics.mean(r[k] for r in rows):.3f}" for k in ("rouge1", "rouge2", "rougeL")
        )

    print(
        _row(
            [
                "model raw",
                f"{before.share:.1%} ({before.unsupported}/{before.claims})",
                "-",
                "-",
                "-",
            ],
            widths,
        )
    )
    print(
        _row(
            [
                "briefing",
                f"{after.share:.1%} ({after.unsupported}/{after.claims})",
                f"{replaced / generated:.1%} ({replaced}/{generated})" if generated else "-",
                f"{kept}",
                rouge_cell("briefing"),
            ],
            widths,
        )
    )
    print(
        _row(
            [
                "lead-3",
                f"{baseline.share:.1%} ({baseline.unsupported}/{baseline.claims})",
                "-",
                "-",
                rouge_cell("lead-3"),
            ],
            widths,
        )
    )
    if seconds:
        print(
            f"\ntime per story: mean {statistics.mean(seconds):.1f} s, "
            f"max {max(seconds):.1f} s (2-core CPU)"
        )


def _sentences(articles: Sequence[Article], limit: int) -> list[str]:
    out = [
        s
        for a in articles
        for s in split_sentences(a.body)
        if MIN_WORDS <= len(s.split()) <= MAX_WORDS
    ]
    return out[:limit]


def guard_calibration(corpus: LabelledCorpus, encoder, per_story: int = 8) -> None:
    """Pass rates of the guard for same-story and look-alike-story sentences."""
    from briefing.summarise.extract import source_sentences

    by_story: dict[str, list[Article]] = {}
    for article in corpus.articles:
        by_story.setdefault(corpus.story_of[article.id], []).append(article)
    partner: dict[str, str] = {}
    for story_id, articles in by_story.items():
        topic = corpus.topic_of[articles[0].id]
        others = [
            s
            for s, arts in by_story.items()
            if s != story_id and corpus.topic_of[arts[0].id] == topic
        ]
        if others and len(articles) >= 3:
            partner[story_id] = others[0]
    cases = []
    for story_id, other in sorted(partner.items()):
        articles = sorted(by_story[story_id], key=lambda a: a.path)
        sources, held_out = articles[:-1], articles[-1]
        story = Story(story_id, "", "", tuple(sources))
        candidates = source_sentences(story)
        vectors = encoder.encode([c.text for c in candidates])
        positives = _sentences([held_out], per_story)
        negatives = _sentences(by_story[other], per_story)
        cases.append((sources, candidates, vectors, positives, negatives))
    print(
        f"\nGuard calibration: {len(cases)} stories; positives = sentences of a held-out "
        "article of the same story (an upper bound: not all are supported), negatives = "
        "sentences of the look-alike story of the same topic (none supported)"
    )
    widths = [14, 14, 16, 16]
    print(_row(["min similarity", "max new words", "same story pass", "look-alike pass"], widths))
    for min_similarity in (0.5, 0.6, 0.65, 0.7, 0.75):
        for max_new in (0.0, 0.1, 0.25):
            thresholds = GuardThresholds(min_similarity=min_similarity, max_new_words=max_new)
            passed = Counter()
            total = Counter()
            for sources, candidates, vectors, positives, negatives in cases:
                guard = StoryGuard(
                    sources,
                    [c.text for c in candidates],
                    [c.article_id for c in candidates],
                    vectors,
                    encoder.encode,
                    thresholds,
                )
                for kind, texts in (("pos", positives), ("neg", negatives)):
                    verdicts = guard.check_all(texts)
                    passed[kind] += sum(v.ok for v in verdicts)
                    total[kind] += len(verdicts)
            print(
                _row(
                    [
                        f"{min_similarity:.2f}",
                        f"{max_new:.2f}",
                        f"{passed['pos'] / max(1, total['pos']):.1%} of {total['pos']}",
                        f"{passed['neg'] / max(1, total['neg']):.1%} of {total['neg']}",
                    ],
                    widths,
                )
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with gold.json")
    parser.add_argument("--config", type=Path, default=None, help="config.yaml to start from")
    parser.add_argument(
        "--window-days",
        type=int,
        default=ALL_DATES,
        help="date window for grouping (default: the whole corpus as one)",
    )
    parser.add_argument("--sweep", action="store_true", help="grouping thresholds 0.15–0.70")
    parser.add_argument(
        "--fact-weight",
        type=float,
        default=None,
        help="share of the names-and-numbers similarity in grouping (0: embeddings only)",
    )
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="choose the threshold on half the topics, score on the rest",
    )
    parser.add_argument(
        "--max-stories", type=int, default=None, help="summarise at most this many stories"
    )
    parser.add_argument("--no-summaries", action="store_true")
    parser.add_argument("--guard-calibration", action="store_true")
    parser.add_argument("--mode", choices=["fuse", "compress"], default=None)
    parser.add_argument(
        "--guard",
        choices=sorted(GUARD_PRESETS),
        default="current",
        help="guard thresholds: current, or v1 (the first release's)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    from briefing.config import load_config
    from briefing.embedding import get_encoder

    config = load_config(args.config) if args.config else Config()
    config = with_grouping(config, date_window_days=args.window_days)
    if args.fact_weight is not None:
        config = with_grouping(config, fact_weight=args.fact_weight)
    if args.mode:
        config = config.model_copy(
            update={"summary": config.summary.model_copy(update={"mode": args.mode})}
        )
    corpus = load_corpus(args.corpus, config)
    if not corpus.articles:
        sys.exit(f"no articles could be read from {args.corpus}")
    print(
        f"corpus {args.corpus}: {len(corpus.articles)} articles read, "
        f"{len(corpus.rejected)} rejected"
    )
    for message in corpus.rejected:
        print(f"  rejected {message}")
    encoder = get_encoder(config.grouping.embedding_model)
    own = config.grouping.similarity_threshold
    grid = sorted({own, *(round(0.15 + 0.05 * i, 2) for i in range(12))})
    vectors = MemoryVectors()  # one encoding of the corpus for every grouping below
    stories = grouping_report(corpus, config, encoder, grid if args.sweep else [own], vectors)
    if args.cross_validate:
        fine = sorted({*grid, *(round(t + 0.025, 3) for t in grid)})
        cross_validate(corpus, config, encoder, fine, vectors)
    if args.guard_calibration:
        guard_calibration(corpus, encoder)
    if not args.no_summaries:
        summary_report(
            corpus, stories, config, encoder, args.max_stories, GUARD_PRESETS[args.guard]
        )


if __name__ == "__main__":
    main()
