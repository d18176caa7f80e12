"""Render a corpus's articles.yaml into inbox/ files and gold.json.

    python -m benchmarks.corpora.build_lookalike                      # lookalike-dev
    python -m benchmarks.corpora.build_lookalike benchmarks/corpora/dense-week

Each article is written in its own format the way a user would clip it: a plain-text file with
its dateline and a "Source:" line, a Markdown clipping, an HTML page (site name in the page's
metadata for every other page, so that the outlet must sometimes come from the URL), or a saved
newsletter e-mail whose Date header is the dateline.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
from email.message import EmailMessage
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent / "lookalike-dev"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.strip().split("\n\n") if p.strip()]


def as_text(a: dict) -> str:
    lines = [a["header"], "", a["title"], ""] if a["header"] else [a["title"], ""]
    if a["byline"]:
        lines += [a["byline"], ""]
    lines += ["\n\n".join(paragraphs(a["body"])), ""]
    if a["url"]:
        lines += [f"Source: {a['url']}", ""]
    return "\n".join(lines)


def as_markdown(a: dict) -> str:
    lines = [f"# {a['title']}", ""]
    if a["byline"]:
        lines += [f"*{a['byline']}*", ""]
    if a["header"]:
        lines += [f"_{a['header']}_", ""]
    lines += ["\n\n".join(paragraphs(a["body"])), ""]
    if a["url"]:
        lines += [f"[Read the original]({a['url']})", ""]
    return "\n".join(lines)


def as_html(a: dict, with_site_name: bool) -> str:
    e = html.escape
    head = [f"<title>{e(a['title'])} | {e(a['outlet'])}</title>"]
    if with_site_name:
        head.append(f'<meta property="og:site_name" content="{e(a["outlet"])}">')
    if a["url"]:
        head.append(f'<link rel="canonical" href="{e(a["url"])}">')
    body = [f"<h1>{e(a['title'])}</h1>"]
    if a["byline"]:
        body.append(f'<p class="byline">{e(a["byline"])}</p>')
    if a["header"]:
        body.append(f'<p class="dateline">{e(a["header"])}</p>')
    body += [f"<p>{e(p)}</p>" for p in paragraphs(a["body"])]
    nav = '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/us">U.S.</a></nav>'
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        + "".join(head)
        + f"</head><body>{nav}<article>"
        + "\n".join(body)
        + "</article><footer>© 2021 All rights reserved</footer></body></html>\n"
    )


def as_email(a: dict) -> bytes:
    message = EmailMessage()
    message["From"] = f"{a['outlet']} <newsletter@{slug(a['outlet']).replace('-', '')}.example>"
    message["To"] = "reader@example.org"
    message["Subject"] = a["title"]
    message["Date"] = a["header"]
    message.set_content("\n\n".join(paragraphs(a["body"])) + "\n")
    return bytes(message)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER
    source = yaml.safe_load((folder / "articles.yaml").read_text(encoding="utf-8"))
    inbox = folder / "inbox"
    inbox.mkdir(exist_ok=True)
    for old in inbox.iterdir():
        old.unlink()
    gold: dict = {"articles": {}, "stories": {}}
    for number, a in enumerate(source["articles"], start=1):
        name = f"{number:03d}_{slug(a['outlet'])}.{a['format']}"
        path = inbox / name
        if a["format"] == "txt":
            path.write_text(as_text(a), encoding="utf-8")
        elif a["format"] == "md":
            path.write_text(as_markdown(a), encoding="utf-8")
        elif a["format"] == "html":
            path.write_text(as_html(a, with_site_name=number % 2 == 0), encoding="utf-8")
        else:
            path.write_bytes(as_email(a))
        date = a["date"] if isinstance(a["date"], dt.date) else dt.date.fromisoformat(a["date"])
        gold["articles"][name] = {
            "story_id": a["story"],
            "topic_id": a["topic"],
            "date": date.isoformat(),
            "dated_in_text": a["header"] is not None,
            "title": a["title"],
            "outlet": a["outlet"],
            "url": a["url"],
        }
        gold["stories"].setdefault(a["story"], []).append(name)
    (folder / "gold.json").write_text(json.dumps(gold, indent=1) + "\n", encoding="utf-8")
    print(f"{len(gold['articles'])} articles, {len(gold['stories'])} stories -> {inbox}")


if __name__ == "__main__":
    main()
