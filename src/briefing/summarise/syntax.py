"""Names for the parts of a dependency parse that several compression rules share."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

# The dependency labels of a clause's subject (ClearNLP labels, as spaCy's English pipelines
# use); "expl" is the "there" of "there is".
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# Words after which a time phrase measures a span rather than stating a time: "a day after",
# "two hours later", "a year ago".
MEASURED = frozenset("after before ago later earlier".split())
# A year as news writes one: "1998", "2016".
YEAR = re.compile(r"1[89]\d\d|20\d\d")
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Words that name a day or a month: a time something happens at ("on Monday", "in March").
CALENDAR = (
    frozenset(
        "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
        "tonight".split()
    )
    | MONTHS
)


def subjects_of(word: Any) -> list[Any]:
    """The subjects of the clause `word` heads, or of the verb it helps: an auxiliary ("was"
    in "The woman, ..., was taken") has no subject of its own in the parse; its verb does."""
    verb = word.head if word.dep_ in {"aux", "auxpass"} else word
    return [c for c in verb.children if c.dep_ in SUBJECTS]


# The tags of a verb with a tense of its own (or a modal).
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def is_finite(verb: Any) -> bool:
    """A verb with a tense of its own, or with an auxiliary that has one."""
    return _tagged(verb, FINITE_TAGS)


def is_present(verb: Any) -> bool:
    """A verb in the present tense, or with an auxiliary in it ("is moving", "are required")."""
    return _tagged(verb, {"VBP", "VBZ"})


def _tagged(verb: Any, tags: Collection[str]) -> bool:
    """`verb` or one of its auxiliaries has one of `tags`."""
    return verb.tag_ in tags or any(
        c.dep_ in {"aux", "auxpass"} and c.tag_ in tags for c in verb.children
    )


# What a noun phrase can be headed by.
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def base_forms(word: str) -> set[str]:
    """What an inflected verb may be the form of, for lexicon look-ups the lemmatizer gets
    wrong ("hopes" -> "hop"): "hopes" -> hope, "denied" -> deny, "planned" -> plan,
    "hoping" -> hope."""
    forms = {word}
    if word.endswith(("ies", "ied")):
        forms.add(word[:-3] + "y")
    if word.endswith("s"):
        forms |= {word[:-1], word[:-2]}
    if word.endswith("ed"):
        forms |= {word[:-1], word[:-2], word[:-3]}
    if word.endswith("ing"):
        forms |= {word[:-3], word[:-3] + "e", word[:-4]}
    return forms
