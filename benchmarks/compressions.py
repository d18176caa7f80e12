"""Judged compressions: how often the summary's compressed sentences are good, on a set of
(source sentence, compression) pairs labelled by reading them. Prints tables; asserts nothing.

    python -m benchmarks.compressions                      # rates now vs. before, both halves
    python -m benchmarks.compressions --unjudged FILE      # write the outputs nobody judged yet
    python -m benchmarks.compressions --refused 20         # compressions the rules now refuse
    python -m benchmarks.compressions --show dev           # a half's outputs judged not good

The set (benchmarks/corpora/compressions/judged.jsonl) holds, per line, a source sentence
(from the gold stories of a corpus: its top-ranked sentences), a compression of it, the
label a reader gave it and the half it belongs to. Labels:
  good           grammatical, says what the source says, reads on its own;
  meaning        says something the source does not (a deletion changed the claim);
  ungrammatical  a word left dangling, a broken clause, a misparse;
  standalone     cannot stand alone (a pronoun subject, a connective, a cut quotation).
Halves are fixed by the article (SHA-256 of "corpus/file", even first byte: dev), before any
rule was written; rules are developed on dev and judged on held-out. Every source is
compressed again with the current code and settings; an output nobody has judged is counted
as "unjudged" and listed with --unjudged, to be read and added to the set.
See docs/compression.md for the figures and how the set was made.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

JUDGED = Path(__file__).parent / "corpora" / "compressions" / "judged.jsonl"
LABELS = ("good", "meaning", "ungrammatical", "standalone")
NOT_PICKED = "not picked"  # the sentence cannot stand alone: the summary does not use it
WHOLE = "quoted whole"  # no compression: the summary quotes the sentence


@dataclass(frozen=True)
class Pair:
    """One judged (source, compression) pair."""

    corpus: str
    article: str
    half: str
    position: int  # of the sentence in its article (a first sentence loses its dateline)
    source: str
    compression: str
    label: str | None
    rules: str  # "before" (the compressions issue 32 started from) or "after"


def load(path: Path = JUDGED) -> list[Pair]:
    """The judged set."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append(Pair(**row))
    return pairs


def _row(cells: Sequence[object], widths: Sequence[int]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))


def rates(outcomes: list[str]) -> str:
    """ "n good (x%), ..." for a list of labels and outcomes."""
    counts = Counter(outcomes)
    total = len(outcomes) or 1
    order = [*LABELS, "unjudged", WHOLE, NOT_PICKED]
    return ", ".join(f"{k} {counts[k]} ({counts[k] / total:.0%})" for k in order if counts[k])


def current_outputs(pairs: list[Pair], config_path: Path | None) -> dict[str, str]:
    """What the current code makes of each source, as a summary would take it (cleaned by
    `statement`, refused when it cannot stand alone): its compression, WHOLE or NOT_PICKED."""
    from briefing.config import Config, load_config
    from briefing.embedding import configured_encoder
    from briefing.summarise import Summariser
    from briefing.summarise.standalone import why_not_alone
    from briefing.text import statement

    config = load_config(config_path) if config_path else Config()
    summariser = Summariser.from_config(config, configured_encoder(config))
    cleaned = {p.source: statement(p.source, p.position) or p.source for p in pairs}
    picked = [s for s, text in cleaned.items() if why_not_alone(text) is None]
    compressed = summariser.compress_sentences([cleaned[s] for s in picked])
    out = dict.fromkeys(cleaned, NOT_PICKED)
    for source in picked:
        best = compressed[cleaned[source]]
        out[source] = best.text if best else WHOLE
    return out


def report(pairs: list[Pair], now: dict[str, str]) -> list[tuple[Pair, str]]:
    """Print the rates before and now on each half; return the unjudged outputs."""
    label = {(p.source, p.compression): p.label for p in pairs if p.label}
    first = {(p.corpus, p.source): p for p in pairs if p.rules == "before"}
    sources = {(p.corpus, p.source): p for p in pairs}
    unjudged: list[tuple[Pair, str]] = []
    widths = [9, 8, 90]
    print(_row(["half", "code", "outcomes of the set's sources"], widths))
    for half in ("dev", "held-out"):
        before = [p.label or "unjudged" for p in first.values() if p.half == half]
        print(_row([half, "before", rates(before)], widths))
        after = []
        for (_, source), pair in sources.items():
            if pair.half != half:
                continue
            output = now[source]
            if output in (WHOLE, NOT_PICKED):
                after.append(output)
                continue
            judged = label.get((source, output))
            if judged is None:
                unjudged.append((pair, output))
            after.append(judged or "unjudged")
        print(_row(["", "now", rates(after)], widths))
        compressed = [o for o in after if o not in (WHOLE, NOT_PICKED)]
        print(
            _row(["", "", f"of the {len(compressed)} compressed now: {rates(compressed)}"], widths)
        )
    return unjudged


def show(pairs: list[Pair], now: dict[str, str], half: str) -> None:
    """Every current compression of a half judged other than good, beside its source."""
    label = {(p.source, p.compression): p.label for p in pairs if p.label}
    print(f"\nCompressions now judged other than good ({half}):")
    for source in dict.fromkeys(p.source for p in pairs if p.half == half):
        judged = label.get((source, now[source]))
        if judged and judged != "good":
            print(f"\n[{judged}] {source}\n   now: {now[source]}")


def refused(pairs: list[Pair], now: dict[str, str], limit: int) -> None:
    """Compressions made before that the rules now refuse, with the rule that refuses each."""
    from briefing.config import Config
    from briefing.summarise import protected_words
    from briefing.summarise.parser import get_parser
    from briefing.summarise.refusals import why_refused

    config = Config()
    parser = get_parser(config.summary.parser, protected_words(config))
    shown = 0
    print(f"\nCompressions made before that the rules now refuse (up to {limit}):")
    for pair in pairs:
        if pair.rules != "before" or now.get(pair.source) == pair.compression:
            continue
        why = why_refused(parser, pair.source, pair.compression)
        if why is None:
            continue  # allowed, but the model now prefers another deletion
        shown += 1
        print(f"\n{shown}. [{pair.half}, judged {pair.label or '-'}] {pair.source}")
        print(f"   before: {pair.compression}")
        print(f"   refused: {why}")
        if shown >= limit:
            break


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=JUDGED, help="the judged set (JSON lines)")
    parser.add_argument("--config", type=Path, default=None, help="config.yaml to use")
    parser.add_argument("--unjudged", type=Path, default=None, help="write unjudged outputs here")
    parser.add_argument("--refused", type=int, default=0, help="show this many refusals")
    parser.add_argument("--show", choices=["dev", "held-out"], help="list a half's bad outputs")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    pairs = load(args.set)
    corpora = Counter(p.corpus for p in pairs if p.rules == "before")
    judged = sum(p.label is not None for p in pairs)
    print(
        f"judged set {args.set}: {len(pairs)} pairs ({judged} judged), "
        f"{len({p.source for p in pairs})} sources from {', '.join(sorted(corpora))}"
    )
    now = current_outputs(pairs, args.config)
    unjudged = report(pairs, now)
    if args.unjudged:
        rows = [
            {**vars(pair), "compression": output, "label": None, "rules": "after"}
            for pair, output in unjudged
        ]
        args.unjudged.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"\n{len(rows)} unjudged outputs written to {args.unjudged}")
    if args.show:
        show(pairs, now, args.show)
    if args.refused:
        refused(pairs, now, args.refused)


if __name__ == "__main__":
    main()
