"""Does the one-page layout fit one page? The estimate of `briefing.layout` beside WeasyPrint.

    python -m benchmarks.page_fit [--articles 120,280] [--per-story 3]

Builds briefings of a generated inbox (benchmarks.generated_news, extract mode: no model),
one a day, and prints per briefing: stories, full summaries, stories under "Also today", the
layout's estimate of the lines it fills against `layout.PAGE_LINES`, and the pages WeasyPrint
prints; then the same briefings with every story in full (`render.one_page: false`), whose
estimate against their real page count is what the layout's constants are set from.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import tempfile
from pathlib import Path

import yaml

from benchmarks.generated_news import write_inbox
from briefing.cli import cli
from briefing.layout import ALSO_LINE, FOOTER_LINES, PAGE_LINES, story_lines

REPO = Path(__file__).resolve().parent.parent


def build(root: Path, one_page: bool) -> list[Path]:
    (root / "config.yaml").write_text(
        yaml.safe_dump(
            {
                "summary": {"mode": "extract"},
                "render": {"formats": ["html", "json", "pdf"], "one_page": one_page},
            }
        ),
        encoding="utf-8",
    )
    out = root / "briefings"
    shutil.rmtree(out, ignore_errors=True)
    for day in range(16, 23):
        date = f"2026-11-{day}"
        with contextlib.suppress(SystemExit):  # a day with no articles: nothing to print
            cli(
                ["--config", str(root / "config.yaml"), "run", "--date", date],
                standalone_mode=False,
            )
    return sorted(out.glob("2026-*.json"))


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def report(paths: list[Path], label: str) -> None:
    print(f"\n{label}")
    print(f"{'briefing':12} {'stories':>7} {'full':>5} {'also':>5} {'est. lines':>10} {'pages':>6}")
    for path in paths:
        view = json.loads(path.read_text(encoding="utf-8"))
        full = [s for d in view["days"] for sec in d["sections"] for s in sec["stories"]]
        also = [s for d in view["days"] for s in d.get("also", [])]
        estimate = FOOTER_LINES + sum(story_lines(s) for s in full) + ALSO_LINE * len(also)
        printed = pages(path.with_suffix(".pdf"))
        print(
            f"{view['name']:12} {len(view['stories']):>7} {len(full):>5} {len(also):>5} "
            f"{estimate:>6.0f}/{PAGE_LINES:.0f} {printed:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="120,280", help="inbox sizes, comma-separated")
    parser.add_argument("--per-story", type=int, default=3, help="outlets per story, about")
    args = parser.parse_args()
    for size in (int(n) for n in args.articles.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            write_inbox(root / "inbox", size, per_story=args.per_story)
            shutil.copytree(REPO / "templates", root / "templates")
            report(build(root, one_page=True), f"{size} articles over a week, one page")
            report(build(root, one_page=False), f"{size} articles over a week, every story in full")


if __name__ == "__main__":
    main()
