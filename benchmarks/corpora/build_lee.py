"""Turn the Lee news corpus into labelled corpora for reading compressions.

    python -m benchmarks.corpora.build_lee LEE_BACKGROUND_COR OUT_DIR

The Lee corpus (Lee, Pincombe and Welsh, 2005) is 300 Australian Broadcasting Corporation
news reports of December 2001 and January 2002, one report a line. gensim ships it as
`gensim/test/test_data/lee_background.cor` in its wheel, so it can be had offline from the
package registry (`pip download --no-deps gensim`, then unzip that one file). The reports are
news the project never saw, from an outlet and a country none of the other corpora has; they
have no headlines, dates or references, so they measure compressions read by hand (the share
the model writes, what the guard finds unsupported), not ROUGE.

They are fetched data, not committed: this script writes OUT_DIR/lee-dev and OUT_DIR/lee-held,
split by SHA-256 of "lee/<line number>" as `build_cnndm` splits FRANK (even first byte: dev),
each with `inbox/` and `gold.json` in the format of benchmarks/corpus.py. Every report is its
own story, a plain-text clipping with a placeholder headline and the corpus's month as date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.corpora.build_cnndm import is_dev
from benchmarks.corpora.single_stories import Clipping, write_corpus

HEADLINE = "ABC News report"
DATE = "2002-01-01"


def write(folder: Path, reports: list[tuple[int, str]]) -> None:
    clippings = [
        Clipping(
            f"lee{number:03d}",
            f"lee{number:03d}.txt",
            HEADLINE,
            [f"date {DATE}", HEADLINE, report, "Source: ABC News (Lee corpus)"],
        )
        for number, report in reports
    ]
    write_corpus(folder, "ABC news reports of the Lee corpus", clippings)


def main(argv: list[str]) -> None:
    source, out = Path(argv[0]), Path(argv[1])
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    reports = [(n, line.strip()) for n, line in enumerate(lines) if line.strip()]
    dev = [r for r in reports if is_dev(f"lee/{r[0]}")]
    held = [r for r in reports if not is_dev(f"lee/{r[0]}")]
    write(out / "lee-dev", dev)
    write(out / "lee-held", held)
    print(f"lee: {len(dev)} dev and {len(held)} held-out reports in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
