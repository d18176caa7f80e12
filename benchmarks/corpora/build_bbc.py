"""Turn the BBC News corpus of Greene and Cunningham into labelled corpora: real articles
with the section their desk filed them under.

    python -m benchmarks.corpora.build_bbc BBC_DIR OUT_DIR

BBC_DIR is the corpus's `bbc/` folder (mlg.ucd.ie/datasets/bbc.html, also in many public
repositories): 2,225 BBC News articles of 2004-2005, one file each (headline, blank line,
body), in five folders named for the desk: business, entertainment, politics, sport, tech.
The articles' copyright is the BBC's, so they are fetched, not committed.

This script writes OUT_DIR/bbc-dev and OUT_DIR/bbc-held, split by SHA-256 of
"bbc/<desk>/<file>" as `build_cnndm` splits FRANK (even first byte: dev), each with `inbox/`
and `gold.json` in the format of benchmarks/corpus.py, every article its own story, and its
desk as the `section` of the config's sections it matches (`DESKS`).
`python -m benchmarks.sections --corpus DIR` files each article as `briefing` files a
story (its headline and lead) and scores the sections against the desks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.corpora.build_cnndm import is_dev
from benchmarks.corpora.single_stories import Clipping, write_corpus

# The corpus's desks and the config sections that match them.
DESKS = {
    "business": "Business",
    "entertainment": "Culture",
    "politics": "Politics",
    "sport": "Sports",
    "tech": "Science & Technology",
}


def main(argv: list[str]) -> None:
    source, out = Path(argv[0]), Path(argv[1])
    halves: dict[str, list[tuple[str, str, str, str]]] = {"bbc-dev": [], "bbc-held": []}
    for desk, section in DESKS.items():
        for path in sorted((source / desk).glob("*.txt")):
            headline, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
            half = "bbc-dev" if is_dev(f"bbc/{desk}/{path.name}") else "bbc-held"
            halves[half].append((f"{desk}-{path.stem}", section, headline.strip(), body.strip()))
    for name, articles in halves.items():
        clippings = [
            Clipping(story, f"{story}.txt", headline, [headline, body], {"section": section})
            for story, section, headline, body in articles
        ]
        write_corpus(out / name, "BBC News articles of 2004-2005 with their desks", clippings)
    counts = ", ".join(f"{len(a)} in {name}" for name, a in halves.items())
    print(f"BBC News: {counts} ({out})")


if __name__ == "__main__":
    main(sys.argv[1:])
