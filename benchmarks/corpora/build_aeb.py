"""Turn the English news pages of Scrapinghub's article-extraction benchmark into labelled
corpora for reading compressions.

    python -m benchmarks.corpora.build_aeb BENCHMARK_DIR OUT_DIR

BENCHMARK_DIR is a checkout of github.com/scrapinghub/article-extraction-benchmark (MIT
licence): 181 web pages of 2019-2020 (`html/<id>.html.gz`) and their hand-checked article
text (`ground-truth.json`, `articleBody` and `url` by id). About half are English news from
some sixty outlets (WSJ, BBC, CNN, AP, Al Jazeera, the Hill, regional US papers, science and
tech sites) that none of the other corpora has; the rest are other languages or not news.
A page is kept when its text is English (a share of common English words) and long enough to
summarise; its headline and date come from the page's own metadata (trafilatura), its body
from the ground truth, so extraction errors do not reach the compressions.

They are fetched data, not committed: this script writes OUT_DIR/aeb-dev and OUT_DIR/aeb-held,
split by SHA-256 of "aeb/<id>" as `build_cnndm` splits FRANK (even first byte: dev), each with
`inbox/` and `gold.json` in the format of benchmarks/corpus.py. Every page is its own story,
a plain-text clipping (date, headline, body, source URL). There are no references, so the
corpora measure compressions read by hand, the share the model writes and what the guard
finds unsupported, not ROUGE.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from benchmarks.corpora.build_cnndm import is_dev
from benchmarks.corpora.single_stories import Clipping, write_corpus

ENGLISH = frozenset(
    "the of and to a in is that for it on was with as by he said at from his are be have has "
    "an this not but they were their which its will been who would".split()
)
MIN_ENGLISH_SHARE = 0.25  # of a text's words; other languages' pages score under 0.05
MIN_WORDS = 150  # shorter pages are teasers, captions or product blurbs
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def english(text: str) -> bool:
    """Whether a text is English: common English words make a quarter of it."""
    words = re.findall(r"[a-z']+", text.lower())
    return len(words) >= MIN_WORDS and sum(w in ENGLISH for w in words) / len(words) >= (
        MIN_ENGLISH_SHARE
    )


def page_fields(html: str) -> tuple[str, str]:
    """The headline and the date (YYYY-MM-DD, or "") of a page, from its metadata."""
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    title = (meta.title or "").strip() if meta else ""
    date = (meta.date or "") if meta else ""
    return title, date if DATE.fullmatch(date) else ""


def header(date: str) -> list[str]:
    """A clipping's date line, where the page gives a date."""
    return [f"date {date}"] if date else []


def main(argv: list[str]) -> None:
    source, out = Path(argv[0]), Path(argv[1])
    truth = json.loads((source / "ground-truth.json").read_text(encoding="utf-8"))
    halves: dict[str, list[tuple[str, str, str, str, str]]] = {"aeb-dev": [], "aeb-held": []}
    for page_id, fields in sorted(truth.items()):
        body = fields.get("articleBody", "").strip()
        if not english(body):
            continue
        html_path = source / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        title, date = page_fields(html)
        if not title:
            continue
        half = "aeb-dev" if is_dev(f"aeb/{page_id}") else "aeb-held"
        halves[half].append((page_id[:12], title, date, body, fields.get("url", "")))
    for name, pages in halves.items():
        clippings = [
            Clipping(story, f"{story}.txt", title, [*header(date), title, body, f"Source: {url}"])
            for story, title, date, body, url in pages
        ]
        write_corpus(
            out / name, "English news pages of the article-extraction benchmark", clippings
        )
    counts = ", ".join(f"{len(pages)} in {name}" for name, pages in halves.items())
    print(f"article-extraction benchmark: {counts} ({out})")


if __name__ == "__main__":
    main(sys.argv[1:])
