"""Constrained compression for backends that take and return text, not logits.

A server cannot run our logits constraint, so the constraint travels as text: a GBNF grammar
whose sentences are exactly the deletions a `DeletionPlan` allows (llama.cpp's servers take
one), and, whatever the server wrote, `project` maps it back onto the plan: the allowed
deletion that keeps the reply's words, in order, and as few others as it can. Either way the
result is the source with phrases deleted, never a word the source does not have.
"""

from __future__ import annotations

import functools
import re

from briefing.summarise.plan import DeletionPlan

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def grammar(plan: DeletionPlan, budget: tuple[int, int]) -> str:
    """A GBNF grammar of every compression the plan allows within the (fewest, most) word
    budget, first word capitalised; where none fits, of every one that deletes something."""
    return (
        _rules(plan, *budget)
        or _rules(plan, 0, plan.length - 1)
        or f"root ::= {_literal(plan.sentence)}\n"
    )


def _rules(plan: DeletionPlan, fewest: int, most: int) -> str | None:
    """One rule per (next position, words written so far) from which a sentence within the
    budget can still be finished; rules only refer forwards."""
    n = len(plan.words)
    words = plan.words

    def can_end(position: int, written: int) -> bool:
        return n in plan.reach[position] and fewest <= written <= most

    @functools.cache
    def alive(position: int, written: int) -> bool:
        return can_end(position, written) or any(
            j < n and alive(j + 1, written + words[j].counts) for j in plan.reach[position]
        )

    rules: dict[str, str] = {}

    @functools.cache  # a state reached from several words gets one rule, built once
    def then(position: int, written: int) -> str:
        """A reference to what may follow, or nothing where only the end may."""
        body = alternatives(position, written, first=False)
        if not body:
            return ""
        name = f"p{position}w{written}"
        rules[name] = body
        return f" {name}"

    def alternatives(position: int, written: int, first: bool) -> str:
        options = []
        for j in plan.reach[position]:
            if j == n:
                continue
            total = written + words[j].counts
            if not alive(j + 1, total):
                continue
            word = words[j]
            text = word.text[:1].upper() + word.text[1:] if first else word.space_before + word.text
            options.append(_literal(text) + then(j + 1, total))
        body = " | ".join(options)
        if body and not first and can_end(position, written):
            return f"({body})?"
        return body

    root = alternatives(0, 0, first=True)
    if not root:
        return None
    return "\n".join([f"root ::= {root}", *(f"{k} ::= {v}" for k, v in rules.items())]) + "\n"


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


def project(plan: DeletionPlan, reply: str) -> tuple[int, ...] | None:
    """The allowed compression closest to a free reply: the most of its words kept in order,
    the fewest words kept that it does not have. None when it shares no word with the plan."""
    said = [_norm(w) for w in _WORD.findall(reply)]
    n = len(plan.words)
    keys = [_norm(w.text) for w in plan.words]

    @functools.cache
    def best(position: int, k: int) -> tuple[int, tuple[int, ...]]:
        """(score, kept) of the best way to write the sentence from `position` on, when the
        reply's words before `k` are used up."""
        options: list[tuple[int, tuple[int, ...]]] = []
        for j in plan.reach[position]:
            if j == n:
                options.append((0, ()))
                continue
            if not plan.words[j].counts:  # punctuation: free to keep
                score, kept = best(j + 1, k)
                options.append((score, (j, *kept)))
                continue
            match = next((m for m in range(k, len(said)) if said[m] == keys[j]), None)
            if match is not None:
                score, kept = best(j + 1, match + 1)
                options.append((score + 1, (j, *kept)))
            score, kept = best(j + 1, k)
            options.append((score - 1, (j, *kept)))
        return max(options, key=lambda option: (option[0], -len(option[1])))

    score, kept = best(0, 0)
    matched = (score + sum(plan.words[i].counts for i in kept)) // 2
    return kept if matched > 0 else None
