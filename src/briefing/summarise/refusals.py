"""Why the rules refuse a given compression of a sentence: the rule and the words it names.

The deletion plan only ever offers allowed compressions; this explains one that was not
offered (an earlier version's output, a reader's suggestion, a server's free reply) by the
first rule it breaks: what may follow what (`adjacency.py`), what a deletion must keep
(`claims.py`), the polarity of the deleted phrase (`polarity.py`), the grammar of the phrases
that may go (`deletions.py`), or the compression's own parse (`reparse.py`).
`benchmarks.compressions` reports it beside every refused compression.
"""

from __future__ import annotations

from typing import Any

from briefing.summarise.adjacency import why_not_follow
from briefing.summarise.claims import protection
from briefing.summarise.deletions import deletable_spans
from briefing.summarise.parser import SentenceParser, misread, plan_from_doc
from briefing.summarise.polarity import UP, operators_over, polarities


def _align(doc: Any, text: str, nlp: Any) -> tuple[int, ...] | None:
    """The source positions of the compression's tokens, in order (None: not a deletion)."""
    kept: list[int] = []
    k = 0
    for token in nlp(text):
        while k < len(doc) and doc[k].text.lower() != token.text.lower():
            k += 1
        if k == len(doc):
            return None
        kept.append(k)
        k += 1
    return tuple(kept)


def _coverable(start: int, end: int, spans: set[tuple[int, int]]) -> bool:
    """[start, end) is a chain of allowed spans."""
    if start == end:
        return True
    return any(a == start and b <= end and _coverable(b, end, spans) for a, b in spans)


def _run_text(doc: Any, start: int, end: int) -> str:
    return doc[start:end].text.strip(" ,;")


def _explain_run(doc: Any, start: int, end: int, parser: SentenceParser) -> str:
    """Why the deleted words [start, end) may not go."""
    keep = protection(doc, parser.protected)
    words = _run_text(doc, start, end)
    inside = range(start, end)
    guarded = next((keep.never[i] for i in inside if i in keep.never), None)
    if guarded:
        return f"deletes '{words}', {guarded}"
    apart = (i for i in inside if i in keep.with_head and keep.with_head[i] not in inside)
    lone = next(apart, None)
    if lone is not None:
        return f"deletes '{doc[lone].text}' apart from the word it modifies"
    if any(a < start < b or a < end < b for a, b in keep.quotes):
        return f"cuts into a quotation ('{words}')"
    polarity = polarities(doc)
    for i in inside:
        if doc[i].head.i not in inside and polarity[i] != UP:
            over = operators_over(doc, i)
            kind = "downward" if polarity[i] < 0 else "non-monotone"
            return f"deletes '{words}' in a {kind} position (under {', '.join(over)})"
    return f"the parse does not let '{words}' go on its own"


def why_refused(parser: SentenceParser, sentence: str, compression: str) -> str | None:
    """The rule the compression breaks, or None where the rules allow it."""
    nlp = parser.nlp
    doc = nlp(sentence)
    kept = _align(doc, compression, nlp)
    if kept is None or not kept:
        return "not a deletion of the source"
    plan = plan_from_doc(doc, parser.protected)
    if misread(doc):
        return misread(doc)
    previous = -1
    for position in (*kept, len(doc)):
        if position == len(doc) and previous == len(doc) - 1:
            break
        if position == len(doc):
            return "cuts the closing punctuation"
        reason = why_not_follow(doc, previous, position)
        if reason:
            return reason
        previous = position
    spans = set(deletable_spans(doc, parser.protected))
    edges = [-1, *kept, len(doc)]
    for before, after in zip(edges, edges[1:], strict=False):
        if after > before + 1 and not _coverable(before + 1, after, spans):
            return _explain_run(doc, before + 1, after, parser)
    return parser.misparsed([(plan, kept)])[0]
