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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from benchmarks.corpus import LabelledCorpus, load_corpus
from benchmarks.metrics import ClaimCount, bcubed, count_claims, pairwise, rouge
from briefing.config import Config
from briefing.records import Article, Story, Summary, SummarySentence
from briefing.summarise.guard import GuardThresholds, SourceFacts, StoryGuard
from briefing.text import MAX_WORDS, MIN_WORDS, split_sentences

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
MODEL_ORIGINS = {"compressed", "model"}
# Why a compressed summary quotes a sentence whole.
GUARD_REPLACED, NO_DELETION, ALL_REFUSED, NONE_SHORTER = QUOTED_REASONS = (
    "guard replaced it",
    "no deletion allowed",
    "every candidate refused by its parse",
    "no candidate shorter",
)


def with_mode(config: Config, mode: str) -> Config:
    return config.model_copy(update={"summary": config.summary.model_copy(update={"mode": mode})})


@dataclass
class ModeFigures:
    """What one summary mode did over the chosen stories."""

    name: str
    sentences: int = 0
    by_model: int = 0  # written by the model and kept by the guard
    raw: ClaimCount = field(default_factory=ClaimCount)
    final: ClaimCount = field(default_factory=ClaimCount)
    words: list[int] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # compressed / source words
    model_seconds: float = 0.0  # in the model's generate / compress calls
    model_sentences: int = 0  # sentences the model wrote in them (kept or not)
    rouge: list[dict[str, float]] = field(default_factory=list)
    # Why each sentence the summaries quote whole was not the model's (compress mode).
    quoted: Counter[str] = field(default_factory=Counter)
    quoted_samples: list[tuple[str, str]] = field(default_factory=list)  # (why, sentence)
    # story, source, output, and the summary sentence before it ("" for the first)
    samples: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, story: Story, summary: Summary, refs: list[str] | None) -> None:
        facts = SourceFacts.from_articles(story.distinct_articles)
        final = [s for s in summary.sentences if s.origin != "note"]
        self.sentences += len(final)
        self.by_model += sum(s.origin in MODEL_ORIGINS for s in final)
        self.raw += count_claims(summary.generated, facts)
        self.final += count_claims([s.text for s in final], facts)
        self.words.append(sum(len(s.text.split()) for s in final))
        for before, s in zip([None, *final], final, strict=False):
            if s.origin == "compressed" and s.source_text:
                self.ratios.append(len(s.text.split()) / len(s.source_text.split()))
                after = before.text if before else ""
                self.samples.append((story.headline, s.source_text, s.text, after))
        if refs:
            self.rouge.append(rouge(" ".join(s.text for s in final), refs))

    def count_quoted(self, summary: Summary, work: Callable[[list[str]], dict]) -> None:
        """Sort the summary's sentences quoted whole by why the model wrote none of them:
        the rules allow no deletion, every candidate was refused by its parse, or the guard
        replaced it."""
        quoted = [s for s in summary.sentences if s.origin == "extract"]
        done = work([s.text for s in quoted if not s.replaced_reason])
        for s in quoted:
            if s.replaced_reason:
                why = GUARD_REPLACED
            elif not done[s.text].plan.can_shorten:
                why = NO_DELETION
            elif not done[s.text].candidates:
                why = ALL_REFUSED
            else:
                why = NONE_SHORTER
            self.quoted[why] += 1
            self.quoted_samples.append((why, s.text))

    def row(self) -> list[str]:
        def mean(values: Sequence[float], fmt: str) -> str:
            return format(statistics.mean(values), fmt) if values else "-"

        return [
            self.name,
            f"{self.by_model}/{self.sentences} ({self.by_model / max(1, self.sentences):.0%})",
            f"{self.raw.share:.1%} of {self.raw.claims}" if self.raw.claims else "-",
            f"{self.final.share:.1%} ({self.final.unsupported}/{self.final.claims})",
            mean(self.words, ".1f"),
            mean(self.ratios, ".2f"),
            f"{1000 * self.model_seconds / self.model_sentences:.0f}"
            if self.model_sentences
            else "-",
            "/".join(
                mean([r[k] for r in self.rouge], ".3f") for k in ("rouge1", "rouge2", "rougeL")
            )
            if self.rouge
            else "n/a (no references)",
        ]


def _time_the_model(summariser, figures: ModeFigures) -> None:
    """Add the time of every model call, and the sentences it wrote, to `figures`."""
    generator = summariser.model
    compress, generate = generator.compress, generator.generate

    def timed_compress(prompts, plans, settings):
        started = time.perf_counter()
        result = compress(prompts, plans, settings)
        figures.model_seconds += time.perf_counter() - started
        figures.model_sentences += len(plans)
        return result

    def timed_generate(system, user, settings):
        started = time.perf_counter()
        result = generate(system, user, settings)
        figures.model_seconds += time.perf_counter() - started
        figures.model_sentences += max(1, len(split_sentences(result)))
        return result

    summariser._model = SimpleNamespace(
        name=generator.name, compress=timed_compress, generate=timed_generate
    )


def summary_report(
    corpus: LabelledCorpus,
    stories: list[Story],
    config: Config,
    encoder,
    max_stories: int | None,
    thresholds: GuardThresholds,
    modes: Sequence[str],
    samples: Path | None = None,
    sample_seed: int = 0,
    sample_count: int = 40,
    quoted: Path | None = None,
) -> None:
    from briefing.summarise import Summariser

    chosen = sorted(stories, key=lambda s: (-len(s.distinct_articles), s.id))[:max_stories]
    print(
        f"\nSummaries: {len(chosen)} of {len(stories)} predicted stories (largest first), "
        f"model {config.summary.model}, guard {thresholds}"
    )
    references = {}
    for story in chosen:
        gold_story = Counter(corpus.story_of[a.id] for a in story.articles).most_common(1)[0][0]
        references[story.id] = corpus.references.get(gold_story)
    results = []
    for mode in modes:
        summariser = Summariser.from_config(with_mode(config, mode), encoder, thresholds=thresholds)
        if mode != "extract" and chosen:
            summariser.summarise(chosen[0])  # load the model first: times below are warm
        figures = ModeFigures(mode)
        if mode != "extract":
            _time_the_model(summariser, figures)
        for number, story in enumerate(chosen, 1):
            summary = summariser.summarise(story)
            figures.add(story, summary, references[story.id])
            if mode == "compress":
                figures.count_quoted(summary, summariser.sentences.sentence_work)
            print(
                f"  {mode} [{number}/{len(chosen)}] {summary.seconds:5.1f} s  "
                f"{summary.counts.kept}/{summary.counts.generated} kept  {story.headline[:60]}",
                flush=True,
            )
        results.append(figures)
    baseline = ModeFigures("lead-3")
    for story in chosen:
        lead = lead3(story)
        fake = Summary(story.id, tuple(SummarySentence(t, (), "extract") for t in lead), "lead-3")
        baseline.add(story, fake, references[story.id])
    results.append(baseline)
    # The first source's lead cut to the length of the first mode's summary of each story:
    # what a reader would get for the same number of words without any summarising.
    matched = ModeFigures("lead=len")
    for story, words in zip(chosen, results[0].words, strict=True):
        first = min(story.distinct_articles, key=lambda a: (a.date, a.path))
        cut = " ".join(first.body.split()[:words])
        fake = Summary(story.id, (SummarySentence(cut, (), "extract"),), "lead=len")
        matched.add(story, fake, references[story.id])
    results.append(matched)

    widths = [9, 16, 14, 16, 9, 11, 15, 22]
    print()
    header = [
        "mode",
        "model-written",
        "raw unsupp.",
        "unsupported",
        "words",
        "compression",
        "ms/model sent.",
        "ROUGE-1/2/L (F1)",
    ]
    print(_row(header, widths))
    for figures in results:
        print(_row(figures.row(), widths))
    print(
        "\nmodel-written: sentences written by the model and kept by the guard; unsupported: "
        "names/numbers/quotes no source states (raw: before the guard); words: per story "
        "summary; compression: words kept per source word; ms/model sent.: warm time of the "
        "model's calls per sentence it wrote (compress: per sentence compressed, batched per "
        "story); lead=len: the first source's opening cut to the first mode's length"
    )
    for figures in results:
        if figures.quoted:
            reasons = ", ".join(f"{why} {n}" for why, n in figures.quoted.most_common())
            print(f"{figures.name}: quoted whole {sum(figures.quoted.values())}: {reasons}")
        if quoted and figures.quoted_samples:
            lines = [f"{why}\t{text}" for why, text in sorted(figures.quoted_samples)]
            quoted.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"the sentences quoted whole, and why: {quoted}")
    if samples:
        import random

        pool = [s for figures in results for s in figures.samples]
        picked = random.Random(sample_seed).sample(pool, min(sample_count, len(pool)))
        lines = []
        for n, (headline, source, output, after) in enumerate(picked, 1):
            lines += [
                f"## {n}. {headline}",
                f"source:     {source}",
                f"compressed: {output}",
                f"after:      {after or '(the summary opens with it)'}",
                "",
            ]
        samples.write_text("\n".join(lines), encoding="utf-8")
        print(f"\n{len(picked)} random compressed sentences beside their sources: {samples}")


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
    parser.add_argument(
        "--modes",
        default=None,
        help="summary modes to compare, comma-separated (default: the config's), "
        "e.g. compress,extract,generate",
    )
    parser.add_argument("--samples", type=Path, default=None, help="write random compressions here")
    parser.add_argument(
        "--sample-count", type=int, default=40, help="how many (default 40; 80 for a read)"
    )
    parser.add_argument(
        "--quoted", type=Path, default=None, help="write the sentences quoted whole, and why, here"
    )
    parser.add_argument(
        "--sample-seed",
        type=int,
        default=0,
        help="the random sample's seed: a new one for each read of a held-out half",
    )
    parser.add_argument(
        "--backend",
        choices=["auto", "llamacpp", "transformers", "openai"],
        default=None,
        help="summary model backend (default: the config's)",
    )
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
    from briefing.embedding import configured_encoder

    config = load_config(args.config) if args.config else Config()
    config = with_grouping(config, date_window_days=args.window_days)
    if args.backend:
        summary = config.summary.model_copy(update={"backend": args.backend})
        config = config.model_copy(update={"summary": summary})
    if args.fact_weight is not None:
        config = with_grouping(config, fact_weight=args.fact_weight)
    corpus = load_corpus(args.corpus, config)
    if not corpus.articles:
        sys.exit(f"no articles could be read from {args.corpus}")
    print(
        f"corpus {args.corpus}: {len(corpus.articles)} articles read, "
        f"{len(corpus.rejected)} rejected"
    )
    for message in corpus.rejected:
        print(f"  rejected {message}")
    encoder = configured_encoder(config)
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
        modes = args.modes.split(",") if args.modes else [config.summary.mode]
        summary_report(
            corpus,
            stories,
            config,
            encoder,
            args.max_stories,
            GUARD_PRESETS[args.guard],
            modes,
            args.samples,
            args.sample_seed,
            args.sample_count,
            args.quoted,
        )


if __name__ == "__main__":
    main()
