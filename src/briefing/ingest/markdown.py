"""Markdown clippings: optional YAML front matter, '# headline', 'By …', date line, body,
'Original url:' block. Markup is reduced to plain text before boilerplate removal."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from briefing.ingest import dates, metadata
from briefing.ingest.decode import decode_text
from briefing.ingest.draft import ArticleDraft, add_body_outlets, source_url
from briefing.ingest.header import line_parts, read_header_and_body, without_label

# YAML front matter, possibly empty ("---" on two lines).
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n?---[ \t]*(?:\n|\Z)", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
# Raw HTML in Markdown: executable or embedded blocks go whole, other tags lose their markup.
_RAW_BLOCK = re.compile(
    r"<(script|style|iframe|object|embed|noscript)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# Markdown shows in a clipping's first characters: its front matter, headline and byline.
SNIFF_CHARS = 2000


def looks_like_markdown(text: str) -> bool:
    """Sniff Markdown in a file with a .txt name (the Moscow Times sample is one)."""
    head = text.lstrip()[:SNIFF_CHARS]
    return bool(
        _FRONT_MATTER.match(text)
        or re.search(r"^#{1,3} \S", head, re.MULTILINE)
        or metadata.MARKDOWN_LINK.search(head)
        or re.search(r"\*\*[^*\n]+\*\*", head)
    )


def read(path: Path, data: bytes) -> ArticleDraft:
    """A .md / .markdown file."""
    return parse_markdown(decode_text(path, data))


def parse_markdown(text: str) -> ArticleDraft:
    """Front matter, headline, header lines and body of a Markdown text."""
    draft = ArticleDraft()
    front = _FRONT_MATTER.match(text)
    if front:
        _read_front_matter(front.group(1), draft)
        text = text[front.end() :]
    draft.url = draft.url or source_url(text)
    text = _RAW_BLOCK.sub("", text)
    lines = [_strip_markup(line) for line in text.splitlines()]
    # The first top-level heading is the headline, unless it is only a posting time.
    headings = [
        _strip_markup(line)
        for line in text.splitlines()
        if re.match(r"^#\s+\S", line) and not dates.is_time_stamp(_strip_markup(line))
    ]
    # A heading that is a page title with its site or a label beside it is read with the
    # header's lines, which take each part for what it is.
    if headings and draft.title is None and len(line_parts(headings[0])) == 1:
        draft.title = headings[0]
    read_header_and_body(lines, draft)
    if headings and draft.title is None:
        draft.title = without_label(headings[0])
    add_body_outlets(draft)
    return draft


def _read_front_matter(block: str, draft: ArticleDraft) -> None:
    try:
        fields = yaml.safe_load(block) or {}
    except yaml.YAMLError:
        return
    if not isinstance(fields, dict):
        return
    draft.title = _text(fields.get("title"))
    draft.date = dates.parse_date(fields.get("date"))
    draft.url = _text(fields.get("source") or fields.get("url"))
    author = _text(fields.get("author") or fields.get("byline"))
    draft.byline = metadata.clean_byline(author) if author else None
    draft.add_outlet(_text(fields.get("site") or fields.get("outlet")))


def _text(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _strip_markup(line: str) -> str:
    # Keep bold credit lines recognisable for the boilerplate filter: only links lose markup here.
    if re.search(r"\*\*[^*]{2,80}\*\*\s*$", line) and not line.lstrip().startswith("**"):
        return line
    line = _IMAGE.sub("", line)  # images carry captions, never article text
    line = _AUTOLINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = metadata.MARKDOWN_LINK.sub(r"\1", line)
    line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
    line = re.sub(r"^\s*[-*+]\s+", "", line)
    line = re.sub(r"^\s*>\s?", "", line)
    return re.sub(r"(\*\*|__|\*|`)", "", line)
