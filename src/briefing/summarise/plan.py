"""A deletion plan: a sentence's words and, for each position, which words may come next.

What every backend decodes under and every compression is made of. `deletions.py` decides
which spans may go, `parser.py` makes plans from parsed sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One token of the source sentence, with the white space that precedes it."""

    text: str
    space_before: str
    counts: bool  # a word (not punctuation): counts towards the length
    head: int = -1  # the position of the word it depends on in the parse (itself: the root)
    dep: str = ""  # its dependency label


@dataclass(frozen=True)
class DeletionPlan:
    """A sentence's words and, for each position, the positions that may come next.

    `reach[i]` lists the positions j >= i whose word may be the next one written when the words
    before i are settled: i itself, or the first word after one or more deletable spans that
    start at i. Position `len(words)` is the end of the sentence.
    """

    sentence: str
    words: tuple[Word, ...]
    reach: tuple[tuple[int, ...], ...]
    min_words_from: tuple[int, ...]  # fewest words a sentence writes from position j on
    max_words_from: tuple[int, ...]

    @property
    def length(self) -> int:
        """The sentence's number of words."""
        return sum(w.counts for w in self.words)

    @property
    def shortest(self) -> int:
        """The fewest words any allowed deletion leaves."""
        return min(self.min_words_from[j] for j in self.reach[0])

    @property
    def can_shorten(self) -> bool:
        """True if the plan allows any deletion."""
        return self.shortest < self.length

    @property
    def subordinate_only(self) -> bool:
        """The sentence is only a subordinate clause, no sentence of its own: its root has a
        marker ("because", "while", "that") with no comma between them ("Mostly because
        performing the bangers benefits the owner.", "VW says that while the ID." cut at an
        abbreviation). A fronted clause set off by a comma ("After he left, SoftBank ...",
        which the parser may hang on the main verb) is not."""
        roots = [i for i, w in enumerate(self.words) if w.head == i]
        for i, word in enumerate(self.words):
            if word.dep != "mark" or word.head not in roots:
                continue
            low, high = sorted((i, word.head))
            if not any(w.text == "," for w in self.words[low:high]):
                return True
        return False

    def text_of(self, kept: Iterable[int]) -> str:
        """The sentence made of the kept positions, capitalised, with its own spacing."""
        out = ""
        for n, i in enumerate(kept):
            word = self.words[i]
            out += (
                word.text[:1].upper() + word.text[1:] if n == 0 else word.space_before + word.text
            )
        return out

    def removed(self, kept: Iterable[int]) -> list[str]:
        """The deleted runs of words, in order ("in person", "a key demand of Moscow")."""
        keep = set(kept)
        runs: list[list[str]] = []
        previous_deleted = False
        for i, word in enumerate(self.words):
            if i in keep:
                previous_deleted = False
                continue
            if not word.counts:
                continue
            if not previous_deleted:
                runs.append([])
            runs[-1].append(word.text)
            previous_deleted = True
        return [" ".join(run) for run in runs]


def word_bounds(
    words: Sequence[Word], reach: Sequence[tuple[int, ...]]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The fewest and the most words a sentence writes from each position on."""
    n = len(words)
    low = [0] * (n + 1)
    high = [0] * (n + 1)
    for j in range(n - 1, -1, -1):
        after = reach[j + 1]
        low[j] = words[j].counts + min(low[k] for k in after)
        high[j] = words[j].counts + max(high[k] for k in after)
    return tuple(low), tuple(high)
