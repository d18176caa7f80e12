"""Opinion and analysis are shown as their writers' views, never as facts.

A story that some source reports as news is summarised from its news sources only; its
columns and analyses are listed and marked, not summarised. A story that only opinion or
analysis pieces tell is summarised from them, each sentence attributed to its writer:
"Prince Andrew has left himself open to prosecution, Jane Doe writes in an opinion piece for
the Washington Examiner."
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePath

from briefing.records import Article, SummarySentence

_PIECE = {"opinion": "an opinion piece", "analysis": "an analysis"}
# The sentence's closing punctuation, inside a closing quotation mark or not.
_END = re.compile(r"""[.!?…]+(?P<quote>["”’']?)\s*$""")


def news_sources(articles: Sequence[Article]) -> tuple[Article, ...]:
    """The articles to summarise: the news reports where there are any, else all."""
    news = tuple(a for a in articles if a.kind == "news")
    return news or tuple(articles)


def attribution(article: Article) -> str:
    """ ", Jane Doe writes in an opinion piece for The Outlet" (before the full stop). A file
    name standing in for an outlet no page named is no writer."""
    piece = _PIECE.get(article.kind, "an opinion piece")
    outlet = article.outlet if article.outlet != PurePath(article.path).name else None
    if article.byline:
        where = f" for {outlet}" if outlet else ""
        return f", {article.byline} writes in {piece}{where}"
    if outlet:
        return f", {outlet} writes in {piece}"
    return f", its writer argues in {piece}"


def as_view(sentence: SummarySentence, article: Article) -> SummarySentence:
    """The sentence attributed to the writer of the piece it comes from."""
    text = sentence.text.rstrip()
    match = _END.search(text)
    if match:
        quote = match.group("quote")
        text = text[: match.start()] + ("," + quote if quote else "")
        said = attribution(article).lstrip(",") if quote else attribution(article)
    else:
        said = attribution(article)
    return replace(sentence, text=f"{text}{said}.", view_of=article.id)


def attributed(
    sentences: Sequence[SummarySentence], articles: Sequence[Article]
) -> list[SummarySentence]:
    """Where no source is news, each sentence as its writer's view; else unchanged."""
    if any(a.kind == "news" for a in articles):
        return list(sentences)
    by_id = {a.id: a for a in articles}
    return [
        as_view(s, by_id[s.source_ids[0]]) if s.origin != "note" and s.source_ids else s
        for s in sentences
    ]
