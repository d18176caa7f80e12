"""Grouping benchmark over several labelled corpora, as `briefing run` groups them.

    python -m benchmarks.grouping                       # the default corpora
    python -m benchmarks.grouping --corpus DIR ...      # others (folders with gold.json)

For each corpus: BCubed precision/recall/F1 of the configured grouping against the gold
stories, beside a plain baseline (TF-IDF cosine over the whole text, average linkage, its
threshold chosen on the other corpora). Dates count as they do in a briefing: the date a text
states, none for an undated text. Then leave-one-corpus-out: the threshold and fact weight are
chosen on all corpora but one (by mean F1 + half the worst F1) and scored on the one left out,
so no figure comes from settings tuned on the data it reports. ECB+ is split by topic into
two corpora (topics 1-5 and 6-10). Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.corpus import LabelledCorpus, load_corpus
from benchmarks.metrics import PRF, bcubed
from benchmarks.quality import MemoryVectors, story_labels, with_grouping
from briefing.config import Config
from briefing.records import Article

HERE = Path(__file__).resolve().parent
ECB = HERE.parent.parent / "shared" / "eval" / "ecb-dev"
DENSE_WEEK = HERE / "corpora" / "dense-week"
DEFAULT_CORPORA = [
    ECB,
    HERE / "corpora" / "refs-dev",
    HERE / "corpora" / "lookalike-dev",
    DENSE_WEEK,
]
# Topics written at the same time as the development ones and held out: their corpus part is
# named "-held" and left out with --no-held-out while developing.
HELD_OUT_TOPICS = {"court", "westminster"}
SAMPLE = HERE / "corpora" / "sample"
THRESHOLDS = [round(0.15 + 0.025 * i, 3) for i in range(9)]  # 0.15 … 0.35
FACT_WEIGHTS = [0.7, 0.8, 0.9]
ATTACH = [0.0, 0.15, 0.175, 0.2]  # grouping.attach_threshold (0: off)


@dataclass
class Named:
    name: str
    articles: list[Article]
    gold: list[str]


def split_ecb(corpus: LabelledCorpus, name: str) -> list[Named]:
    """ECB+ topics 1-5 and 6-10 as two corpora: story ids look like 'ecb-7-ecbplus'."""
    halves: dict[str, Named] = {}
    for a in corpus.articles:
        topic = int(corpus.story_of[a.id].split("-")[1])
        part = f"{name}-1to5" if topic <= 5 else f"{name}-6to10"
        halves.setdefault(part, Named(part, [], [])).articles.append(a)
        halves[part].gold.append(corpus.story_of[a.id])
    return list(halves.values())


def split_held_out(corpus: LabelledCorpus, name: str) -> list[Named]:
    """A corpus's development topics and its held-out topics as two corpora."""
    parts: dict[str, Named] = {}
    for a in corpus.articles:
        part = f"{name}-held" if corpus.topic_of[a.id] in HELD_OUT_TOPICS else f"{name}-dev"
        parts.setdefault(part, Named(part, [], [])).articles.append(a)
        parts[part].gold.append(corpus.story_of[a.id])
    return sorted(parts.values(), key=lambda n: n.name)


def load(folders: Sequence[Path], config: Config) -> list[Named]:
    corpora: list[Named] = []
    for folder in folders:
        corpus = load_corpus(folder, config)
        name = folder.name
        if all(s.startswith("ecb-") for s in corpus.story_of.values()):
            corpora += split_ecb(corpus, name)
        elif HELD_OUT_TOPICS & set(corpus.topic_of.values()):
            corpora += split_held_out(corpus, name)
        else:
            gold = [corpus.story_of[a.id] for a in corpus.articles]
            corpora.append(Named(name, corpus.articles, gold))
        if corpus.rejected:
            print(f"{name}: {len(corpus.rejected)} files not read")
    return corpora


def tfidf_baseline(corpus: Named, threshold: float) -> list[int]:
    """What one writes first: TF-IDF over the whole text, cosine, average linkage."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title or ''}. {a.body}" for a in corpus.articles]
    weights = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    distance = np.clip(1.0 - (weights @ weights.T).toarray(), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def grouped(corpus: Named, config: Config, encoder, cache: MemoryVectors) -> list[str]:
    from briefing.grouping import group_articles

    return story_labels(group_articles(corpus.articles, config, encoder, cache), corpus.articles)


def choose(
    scores: dict[object, dict[str, float]], names: Sequence[str]
) -> tuple[object, dict[str, float]]:
    """The setting with the best mean F1 + half the worst F1 over `names`."""

    def value(row: dict[str, float]) -> float:
        vals = [row[n] for n in names]
        return statistics.mean(vals) + 0.5 * min(vals)

    return max(scores.items(), key=lambda kv: value(kv[1]))


def table(rows: list[list[str]], widths: list[int]) -> None:
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="folder with gold.json")
    parser.add_argument("--config", type=Path, default=None, help="config.yaml to start from")
    parser.add_argument("--no-sample", action="store_true", help="leave out the sample inbox")
    parser.add_argument(
        "--no-held-out", action="store_true", help="leave out held-out parts (while developing)"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    from briefing.config import load_config
    from briefing.embedding import configured_encoder

    config = load_config(args.config) if args.config else Config()
    folders = args.corpus or [f for f in DEFAULT_CORPORA if (f / "gold.json").exists()]
    if not args.no_sample and not args.corpus:
        folders.append(SAMPLE)
    corpora = load(folders, config)
    if args.no_held_out:
        corpora = [c for c in corpora if not c.name.endswith("-held")]
    names = [c.name for c in corpora]
    encoder = configured_encoder(config)
    cache = MemoryVectors()

    started = time.perf_counter()
    ours: dict[str, PRF] = {
        c.name: bcubed(grouped(c, config, encoder, cache), c.gold) for c in corpora
    }
    seconds = time.perf_counter() - started
    base_scores = {
        t: {c.name: bcubed(tfidf_baseline(c, t), c.gold).f1 for c in corpora} for t in THRESHOLDS
    }
    grid: dict[object, dict[str, float]] = {}
    for weight in FACT_WEIGHTS:
        for threshold in THRESHOLDS:
            for attach in ATTACH:
                settings = with_grouping(
                    config,
                    fact_weight=weight,
                    similarity_threshold=threshold,
                    attach_threshold=attach,
                )
                grid[(weight, threshold, attach)] = {
                    c.name: bcubed(grouped(c, settings, encoder, cache), c.gold).f1 for c in corpora
                }

    g = config.grouping
    print(
        f"\nGrouping as configured (threshold {g.similarity_threshold}, fact weight "
        f"{g.fact_weight}, {g.embedding_words} words, {g.date_penalty_per_day}/day after "
        f"{g.date_window_days} day(s), at most {g.max_story_days} days), "
        f"{sum(len(c.articles) for c in corpora)} articles in {seconds:.1f} s:"
    )
    rows = [["corpus", "articles", "stories", "BCubed P/R/F1", "TF-IDF baseline F1 (LOCO thr)"]]
    for c in corpora:
        others = [n for n in names if n != c.name]
        threshold, base = choose(base_scores, others)
        rows.append(
            [
                c.name,
                str(len(c.articles)),
                str(len(set(c.gold))),
                f"{ours[c.name].precision:.3f}/{ours[c.name].recall:.3f}/{ours[c.name].f1:.3f}",
                f"{base[c.name]:.3f} (at {threshold})",
            ]
        )
    table(rows, [22, 8, 7, 19, 28])

    print("\nLeave one corpus out (fact weight, threshold, attach chosen on the others):")
    rows = [["held out", "chosen (weight, thr, attach)", "held-out F1", "configured F1"]]
    held: list[float] = []
    for name in names:
        setting, scores = choose(grid, [n for n in names if n != name])
        held.append(scores[name])
        rows.append([name, str(setting), f"{scores[name]:.3f}", f"{ours[name].f1:.3f}"])
    table(rows, [22, 31, 11, 13])
    print(f"held-out F1: mean {statistics.mean(held):.3f}, worst {min(held):.3f}")

    print("\nF1 by threshold and attach (configured fact weight): how flat the optimum is")
    weight = g.fact_weight if g.fact_weight in FACT_WEIGHTS else FACT_WEIGHTS[-1]
    rows = [["thr, attach", *names]]
    for t in THRESHOLDS:
        for a in ATTACH:
            rows.append([f"{t}, {a}", *(f"{grid[(weight, t, a)][n]:.3f}" for n in names)])
    table(rows, [11, *(max(7, len(n)) for n in names)])


if __name__ == "__main__":
    main()
