"""Hostile sentences: how often a deletion could take, or the compressor does take, a word
on which a sentence's claim hangs. Prints tables; asserts nothing.

    python -m benchmarks.hostile                 # both halves, by class
    python -m benchmarks.hostile --show dev      # a half's sentences that lose a kept word

The set (benchmarks/corpora/hostile/sentences.yaml) holds news-like sentences, one operator
class at a time (negation, quantifiers, conditions, time bounds, attribution, hedges ...),
each with the phrases whose deletion would change its claim. Two figures per sentence:
  plan      some path through the deletion plan (what any backend may write) deletes a
            kept word: the rules allow a claim to change;
  written   the compression a summary would use (the configured model's, after every check)
            lost a kept word.
Halves by SHA-256 of the sentence (even first byte: dev), fixed before the set was first run.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefing.summarise.plan import DeletionPlan

SET = Path(__file__).parent / "corpora" / "hostile" / "sentences.yaml"


@dataclass(frozen=True)
class Hostile:
    """A sentence and the phrases its claim hangs on."""

    kind: str
    sentence: str
    keep: tuple[str, ...]
    batch: int  # 1: written before the set was first run; n: after batch n-1's dev half was fixed

    @property
    def half(self) -> str:
        return "dev" if hashlib.sha256(self.sentence.encode()).digest()[0] % 2 == 0 else "held-out"


def load(path: Path = SET) -> list[Hostile]:
    """The hostile set."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]
    return [
        Hostile(r["class"], r["sentence"], tuple(r["keep"]), r.get("batch", 1))
        for r in rows
        if r["keep"]  # a sentence whose every word may go tests nothing
    ]


def kept_positions(plan: DeletionPlan, phrases: Sequence[str]) -> set[int]:
    """The plan's word positions inside the given phrases of its sentence."""
    spans = []
    for phrase in phrases:
        start = plan.sentence.find(phrase)
        if start < 0:
            raise ValueError(f"{phrase!r} is not in {plan.sentence!r}")
        spans.append((start, start + len(phrase)))
    positions, offset = set(), 0
    for i, word in enumerate(plan.words):
        offset += len(word.space_before)
        if word.counts and any(a <= offset < b for a, b in spans):
            positions.add(i)
        offset += len(word.text)
    return positions


def deletable_positions(plan: DeletionPlan) -> set[int]:
    """Every position some path through the plan skips."""
    skipped: set[int] = set()
    seen, todo = set(), [0]
    while todo:
        position = todo.pop()
        if position in seen or position >= len(plan.words):
            continue
        seen.add(position)
        for nxt in plan.reach[position]:
            skipped.update(range(position, nxt))
            todo.append(nxt + 1)
    return skipped


def _words(plan: DeletionPlan, positions: set[int]) -> str:
    return " ".join(plan.words[i].text for i in sorted(positions))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=SET, help="the hostile set (YAML)")
    parser.add_argument("--config", type=Path, default=None, help="config.yaml to use")
    parser.add_argument("--show", choices=["dev", "held-out"], help="list a half's losses")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    from briefing.config import Config, load_config
    from briefing.embedding import configured_encoder
    from briefing.summarise import Summariser

    config = load_config(args.config) if args.config else Config()
    summariser = Summariser.from_config(config, configured_encoder(config))
    items = load(args.set)
    sentences = [h.sentence for h in items]
    plans = summariser.sentences.plans(sentences)
    written = summariser.compress_sentences(sentences)
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    shown = []
    for h in items:
        plan = plans[h.sentence]
        must = kept_positions(plan, h.keep)
        open_to = must & deletable_positions(plan)
        best = written[h.sentence]
        lost = must - set(best.kept) if best else set()
        for key in ((h.half, h.kind), (h.half, f"batch {h.batch}"), (h.half, "all")):
            row = tally[key]
            row[0] += 1
            row[1] += bool(open_to)
            row[2] += best is not None
            row[3] += bool(lost)
        if args.show == h.half and (open_to or lost):
            shown.append(
                f"[{h.kind}] {h.sentence}\n   plan may delete: {_words(plan, open_to) or '-'}"
                f"\n   written: {best.text if best else '(quoted whole)'}"
                + (f"\n   lost: {_words(plan, lost)}" if lost else "")
            )
    print(f"hostile set {args.set}: {len(items)} sentences")
    print(f"{'half':9} {'class':15} {'n':>3}  {'plan deletes a kept word':>24}  written (lost)")
    for half in ("dev", "held-out"):
        kinds = sorted({k for h, k in tally if h == half and k != "all" and "batch" not in k})
        kinds += sorted(k for h, k in tally if h == half and "batch" in k) + ["all"]
        for kind in kinds:
            n, plan_bad, compressed, lost = tally[(half, kind)]
            print(
                f"{half:9} {kind:15} {n:3d}  {plan_bad:3d} ({plan_bad / n:4.0%}){'':13}"
                f"  {compressed:3d} ({lost} lost)"
            )
    if shown:
        print("\n" + "\n\n".join(shown))


if __name__ == "__main__":
    main()
