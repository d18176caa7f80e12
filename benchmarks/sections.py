"""Section benchmark: does `briefing` file a headline where a reader would?

    python -m benchmarks.sections                    # benchmarks/corpora/sections.yaml
    python -m benchmarks.sections --labels FILE --config config.yaml
    python -m benchmarks.sections --show "written 2026-12-07"   # every mistake of a part
    python -m benchmarks.sections --leads CORPUS [CORPUS ...]   # headlines with their leads
    python -m benchmarks.sections --corpus bbc-dev bbc-held     # articles with their desks

Accuracy of the configured sections (keywords and examples from config.yaml) on a labelled
set of headlines that are not among the config's examples, overall, per section and per part
of the set, beside the first release's method (the nearest section description), and the
confusions (with an example headline from the parts that are not held out). Prints tables;
asserts nothing.

`--leads` files a labelled headline as `briefing` files a story, by its headline and the
lead of its report (`grouping.section_text`), where one of these corpora's inboxes holds an
article whose headline starts with it (the article-extraction corpora of
`benchmarks/corpora/build_aeb.py`, which are not committed); other headlines go alone.
`--corpus` adds the articles of corpora whose gold.json gives each one's section (the BBC
corpus of `benchmarks/corpora/build_bbc.py`, its desks as sections), filed the same way.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

from briefing.config import Config, SectionConfig
from briefing.facts import fold

HELD_OUT = "held out"  # parts so named are scored, their mistakes never listed
LABELS = Path(__file__).resolve().parent / "corpora" / "sections.yaml"


def load_labels(path: Path) -> list[tuple[str, str, str]]:
    """(part, section, headline) per labelled headline; the part is the comment above it."""
    rows: list[tuple[str, str, str]] = []
    part = ""
    listing = False
    for line in path.read_text(encoding="utf-8").splitlines():
        listing = listing or line.startswith("headlines:")
        if listing and line.startswith("# "):
            part = line[2:].strip()
        elif line.startswith("- ["):
            section, headline = yaml.safe_load(line)[0]
            rows.append((part, section, headline))
    return rows


def filed(path: Path, config: Config) -> tuple[str, str]:
    """An inbox file's headline and what `briefing` files it by as a story of its own (its
    headline and lead: `grouping.section_text`)."""
    from briefing.grouping import section_text
    from briefing.ingest import parse_article
    from briefing.records import Story

    article = parse_article(path, path.read_bytes(), path.stat().st_mtime, config)
    title = article.title or ""
    return title, section_text(Story(path.stem, title, "", (article,)))


def with_leads(headlines: list[str], corpora: Sequence[Path]) -> list[str]:
    """Each headline with the lead of the corpora's article it heads, as a story is filed."""
    config = Config()
    texts: dict[str, str] = {}
    for corpus in corpora:
        for path in sorted((corpus / "inbox").iterdir()):
            title, text = filed(path, config)
            texts[fold(title)] = text
    led = []
    for headline in headlines:
        key = fold(headline)
        found = [t for title, t in texts.items() if title.startswith(key)]
        led.append(found[0] if found else headline)
    return led


def corpus_rows(corpus: Path) -> list[tuple[str, str, str]]:
    """(part, section, what `briefing` files the article by) for each article of a corpus
    whose gold.json gives its section; the part is the corpus's name, held out where the
    name ends in "-held"."""
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    part = f"{HELD_OUT} {corpus.name}" if corpus.name.endswith("-held") else corpus.name
    config = Config()
    return [
        (part, fields["section"], filed(corpus / "inbox" / name, config)[1])
        for name, fields in sorted(gold["articles"].items())
        if "section" in fields
    ]


def description_only(sections: dict[str, SectionConfig]) -> dict[str, SectionConfig]:
    """The first release's method: nearest 'name: description', no keywords, no examples."""
    return {
        name: SectionConfig(description=f"{name}: {s.description}") for name, s in sections.items()
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--show", default="", help="list every mistake of the parts so named")
    parser.add_argument(
        "--leads", type=Path, nargs="*", default=[], help="corpora whose articles lead headlines"
    )
    parser.add_argument(
        "--corpus", type=Path, nargs="*", default=[], help="corpora whose articles have sections"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    from briefing.config import load_config
    from briefing.embedding import configured_encoder
    from briefing.sections import SectionClassifier

    config = load_config(args.config) if args.config else Config()
    rows = load_labels(args.labels)
    unknown = {s for _, s, _ in rows} - set(config.sections)
    if unknown:
        print(f"labels name sections the config does not have: {sorted(unknown)}")
    examples = {e.lower() for s in config.sections.values() for e in s.examples}
    overlap = [h for _, _, h in rows if h.lower() in examples]
    encoder = configured_encoder(config)
    headlines = with_leads([h for _, _, h in rows], args.leads)
    if args.leads:
        led = sum(t != h for t, (_, _, h) in zip(headlines, rows, strict=True))
        print(f"{led} headlines filed with the lead of their article")
    for corpus in args.corpus:
        filed = corpus_rows(corpus)
        rows += [(part, section, text[:120]) for part, section, text in filed]
        headlines += [text for _, _, text in filed]
    ours = SectionClassifier(config.sections, encoder).classify(headlines)
    first = SectionClassifier(description_only(config.sections), encoder).classify(headlines)

    def accuracy(predicted: list[str], keep: Sequence[bool] | None = None) -> str:
        pairs = [
            (p, s)
            for p, (_, s, _), k in zip(predicted, rows, keep or [True] * len(rows), strict=True)
            if k
        ]
        right = sum(p == s for p, s in pairs)
        return f"{right}/{len(pairs)} ({right / max(1, len(pairs)):.0%})"

    print(
        f"{len(rows)} labelled headlines, {len(config.sections)} sections, "
        f"{len(overlap)} of them among the config's examples"
    )
    print(f"accuracy: configured {accuracy(ours)}; description only {accuracy(first)}")
    print("\nby part of the set:")
    for part in dict.fromkeys(p for p, _, _ in rows):
        keep = [p == part for p, _, _ in rows]
        print(f"  {part:<58} {accuracy(ours, keep):<14} (description only {accuracy(first, keep)})")
    for corpus in args.corpus:
        # A corpus's desks may be fewer than the config's sections (the BBC's five): among
        # the articles filed under a section some desk matches, how many under their own.
        part = next(p for p, _, _ in rows[::-1] if p.endswith(corpus.name))
        desks = {s for p, s, _ in rows if p == part}
        keep = [p == part and o in desks for o, (p, _, _) in zip(ours, rows, strict=True)]
        print(f"  {part}, filed under a section its desks have: {accuracy(ours, keep)}")
    print("\nby section (labelled):")
    for section in config.sections:
        keep = [s == section for _, s, _ in rows]
        if any(keep):
            print(f"  {section:<24} {accuracy(ours, keep)}")
    confusions = Counter((s, p) for p, (_, s, _) in zip(ours, rows, strict=True) if p != s)
    print("\nmistakes (labelled -> filed under):")
    for (section, predicted), count in confusions.most_common():
        shown = [
            h
            for p, (part, s, h) in zip(ours, rows, strict=True)
            if (s, p) == (section, predicted) and not part.startswith(HELD_OUT)
        ]
        print(f"  {section} -> {predicted} ({count}): {shown[0] if shown else '(held out)'}")
    if args.show:
        print(f"\nevery mistake in the parts starting {args.show!r}:")
        for predicted, (part, section, headline) in zip(ours, rows, strict=True):
            shown = part.startswith(args.show) and not part.startswith(HELD_OUT)
            if predicted != section and shown:
                print(f"  {section} -> {predicted}: {headline}")


if __name__ == "__main__":
    main()
