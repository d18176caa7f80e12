"""A compression must parse as the source's kept words do: a safety net under the rules.

The deletion rules work on the source's parse, and the parser is not always right: a
coordination it misread ("The Indian navy captured 23 pirates who threatened a merchant
vessel thwarted another attack"), a main verb lost to a bad attachment ("The study, which was
funded by Pfizer."). So the compression is parsed again and compared with the source's parse
restricted to the kept words, where each kept word depends on its nearest kept ancestor. A
compression is refused when its main verb is another word, when a subject attaches to another
verb or another word becomes a subject, or when more than one word attaches elsewhere (one is
within the parser's own noise).
Measured on the judged set (`benchmarks.compressions`): see docs/compression.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from briefing.summarise.syntax import SUBJECTS, is_finite


class _Word(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def counts(self) -> bool: ...
    @property
    def head(self) -> int: ...
    @property
    def dep(self) -> str: ...


class DeletionPlan(Protocol):
    """What the check needs of a `plan.DeletionPlan`: its words and their parse."""

    @property
    def words(self) -> Sequence[_Word]:
        """The sentence's words, each with its head's position and its dependency label."""


_SUBJECTS = SUBJECTS - {"expl"}  # a subject that says who or what
_HAS_SUBJECT = SUBJECTS
# A verb that heads a clause of its own in the source, and what a lone participle becomes.
_CLAUSES = {"ROOT", "conj", "ccomp", "advcl", "parataxis"}
_MODIFIERS = {"acl", "amod", "relcl", "appos", "compound"}


def _kept_head(plan: DeletionPlan, kept: set[int], position: int) -> int:
    """The nearest kept ancestor of a kept word in the source's parse (itself: the root)."""
    head = plan.words[position].head
    while head != position and head not in kept:
        position, head = head, plan.words[head].head
    return head if head in kept else position


def structure_change(plan: DeletionPlan, kept: tuple[int, ...], doc: Any) -> str | None:
    """Why the parse `doc` of the compression `kept` differs from the source's, or None."""
    if len(doc) != len(kept) or any(
        t.text.lower() != plan.words[k].text.lower() for t, k in zip(doc, kept, strict=True)
    ):
        return None  # tokenised differently: nothing to compare
    keep = set(kept)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subjectless = root is not None and not any(c.dep_ in _HAS_SUBJECT for c in root.children)
    if root is not None and subjectless and is_finite(root):
        # "Posted on social media by analysts, is not entirely smooth."
        return f"its main verb '{root.text}' would have no subject"
    moved: list[str] = []
    for token, position in zip(doc, kept, strict=True):
        word = plan.words[position]
        if not word.counts:
            continue
        expected = _kept_head(plan, keep, position)
        actual = kept[token.head.i]
        if token.dep_ == "ROOT" and word.head != position:
            return f"its main verb would be '{word.text}', not the source's"
        if word.dep in _CLAUSES and token.dep_ in _MODIFIERS and token.pos_ == "VERB":
            # "... the murder of three bank workers [and] killed." -> "workers killed"
            return f"the verb '{word.text}' would lose its clause"
        if expected == actual:
            continue
        if word.dep in _SUBJECTS:
            return f"'{word.text}' would be the subject of '{plan.words[actual].text}'"
        if token.dep_ in _SUBJECTS:
            # "reply to the claims [by Monday and Spain] have denied": a new subject, a new claim
            return f"'{word.text}' would become the subject of '{plan.words[actual].text}'"
        moved.append(word.text)
    if len(moved) > 1:
        return "it parses differently: " + ", ".join(f"'{w}'" for w in moved) + " attach elsewhere"
    return None
