"""Turn the news articles of the FRANK benchmark into labelled corpora with references.

    python -m benchmarks.corpora.build_cnndm FRANK_CHECKOUT OUT_DIR

FRANK (Pagnoni et al., 2021, github.com/artidoro/frank) keeps 250 CNN/Daily Mail and 250 BBC
(XSum) test articles with their references (the CNN/DM highlights; XSum's one-sentence
summary, the article's own first sentence, which XSum takes out of the article) in
`data/articles-wbertscore-json/` (in its first commit).
The articles are news the project never saw, with references written by the outlets, so they
measure summaries against the lead at the same length. They are fetched data, not committed:
this script writes OUT_DIR/cnndm-dev, cnndm-held, xsum-dev and xsum-held (split by SHA-256 of
"corpus/hash", even first byte: dev, the split used by the judged set), each with `inbox/` and
`gold.json` in the format of benchmarks/corpus.py. Every article is its own story.

Each article becomes a plain-text clipping: the headline (the words of the article's URL
slug, the only headline FRANK keeps), its date (the archive's capture date), its paragraphs
and a "Source:" line.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from benchmarks.corpora.single_stories import Clipping, write_corpus
from briefing.text import unbalanced_quotation

_TOKENISED = [(" ,", ","), (" .", "."), (" '", "'"), ("` ", "'"), (" :", ":"), (" ;", ";")]


def detokenise(reference: str) -> str:
    """The references come tokenised ("the us . congressional research service , which")."""
    for spaced, joined in _TOKENISED:
        reference = reference.replace(spaced, joined)
    return re.sub(r"\s+", " ", reference).strip()


def headline(url: str) -> str:
    """The words of the URL's slug; BBC addresses end in a number and give none."""
    segments = [s for s in url.rstrip("/").split("/") if s not in ("index.html", "index.htm")]
    slug = re.sub(r"\.html?$", "", segments[-1])
    words = [w for w in slug.split("-") if w and not w.isdigit()]
    return " ".join(words).strip() or "BBC News report"


def capture_date(url: str) -> str:
    found = re.search(r"web\.archive\.org/web/(\d{4})(\d{2})(\d{2})", url)
    return f"{found[1]}-{found[2]}-{found[3]}" if found else "2015-04-01"


def is_dev(key: str) -> bool:
    return hashlib.sha256(key.encode()).digest()[0] % 2 == 0


def reference(article: dict) -> str:
    if "bart_reference" in article:
        return detokenise(article["bart_reference"])
    return detokenise(" ".join(article["Gold_lines"]).replace("\\'", "'").replace("``", '"'))


def write(folder: Path, articles: list[dict], name_of: str) -> None:
    clippings = []
    for a in articles:
        url = re.sub(r"^https?://web\.archive\.org/web/\d+(?:id_)?/", "", a["url"])
        title = headline(url)
        text = [f"date {capture_date(a['url'])}", title, *_paragraphs(a), f"Source: {url}"]
        clippings.append(
            Clipping(a["hash"], f"{a['hash'][:12]}.txt", title, text, {}, reference(a))
        )
    write_corpus(folder, f"{name_of} test articles of FRANK", clippings)


def _paragraphs(article: dict) -> list[str]:
    """FRANK keeps the articles a sentence a line; a sentence that opens a quotation it does
    not close is joined with the next ones until it closes, as the paragraph stood."""
    paragraphs: list[str] = []
    open_quote = False
    carried = ""  # FRANK's splitter leaves a quotation's opening mark on the line before
    for line in (line.strip() for line in article["article_lines"]):
        line, carried = carried + line, ""
        if re.search(r"\s['‘“\"]$", line):
            line, carried = line[:-1].rstrip(), line[-1]
        if not line:
            continue
        if open_quote:
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        open_quote = unbalanced_quotation(paragraphs[-1]) and not _closes(line)
    return paragraphs


def _closes(line: str) -> bool:
    return bool(re.search(r"[”\"’'](?!\w)", line)) and not line.lstrip().startswith(("‘", "“"))


def main(argv: list[str]) -> None:
    source, out = Path(argv[0]), Path(argv[1])
    folder = source / "data" / "articles-wbertscore-json"
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    articles = [a for a in articles if "bart_reference" in a or "Gold_lines" in a]
    for corpus, name_of in (("cnndm", "CNN/Daily Mail"), ("xsum", "BBC (XSum)")):
        chosen = [a for a in articles if ("bart_reference" in a) == (corpus == "cnndm")]
        dev = [a for a in chosen if is_dev(f"{corpus}/{a['hash']}")]
        held = [a for a in chosen if not is_dev(f"{corpus}/{a['hash']}")]
        write(out / f"{corpus}-dev", dev, name_of)
        write(out / f"{corpus}-held", held, name_of)
        print(f"{corpus}: {len(dev)} dev and {len(held)} held-out articles in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
