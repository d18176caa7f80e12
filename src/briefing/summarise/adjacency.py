"""Which kept word may follow which, once phrases are deleted: nothing left dangling.

A deletion plan says which phrases may go; this says which of the resulting word sequences
are sentences. The rule is local: when the words between a kept word `i` and the next kept
word `j` are deleted, `i` must not be left without what it needs.
- A function word keeps its complement: a conjunction its conjunct ("..., but." is refused),
  a preposition its object, a determiner, auxiliary, "to" or subordinating conjunction the
  phrase it opens.
- A comma, dash or colon is followed by a word, never by more punctuation, never by a
  clause whose linking word went ("..., then try" must not become "..., try"), and never
  stands between a subject and its verb ("The black hole, has a mass").
- The sentence may end after a word only if that word can end one: not a function word, not
  a comma, not a verb that needs a complement ("This comes.", "decided to check."), not a
  participle that modified a noun ("three bank workers killed.").
- The sentence starts with a word, not with punctuation left by a deleted dateline, and a
  closing quotation mark follows the word it followed.
Because a deletion plan's states are "the next position to consider", which is always the
last kept word plus one, these rules filter the plan's `reach` directly: every backend's
constraint (logits, grammar, projection) follows them without a change.
"""

from __future__ import annotations

from typing import Any

from briefing.summarise.claims import closing_marks
from briefing.summarise.syntax import subjects_of

# What a function word opens and must keep: (dependency labels, parts of speech).
_FUNCTION_DEPS = frozenset(
    {"cc", "prep", "mark", "det", "predet", "poss", "aux", "auxpass", "case", "agent", "dative"}
)
_FUNCTION_POS = frozenset({"ADP", "CCONJ", "SCONJ"})
_OPENING_PUNCTUATION = frozenset({",", ";", ":", "—", "–", "--", "(", "-"})
# Adverbs that link a clause to the one before: "..., then try", "..., yet again".
_LINKS = frozenset("then also still yet so thus instead however meanwhile later again".split())
# Verbs that do not end a sentence without what followed them: "came after ...", "check in".
COMPLEMENT_VERBS = frozenset(
    "come go begin start head check set put lead result stem amount belong consist depend "
    "rely lie remain stay become seem appear look turn move get keep bring place live sit "
    "stand take make give".split()
)


def _is_function_word(token: Any) -> bool:
    if token.dep_ in {"prt", "neg"} or token.is_punct:
        return False  # "set up", "not": words of their own
    return token.dep_ in _FUNCTION_DEPS or (
        token.pos_ in _FUNCTION_POS and token.dep_ not in {"ROOT", "advmod", "conj"}
    )


def _opens(token: Any) -> set[int]:
    """The words a function word opens, one of which must follow it."""
    if token.dep_ == "cc" or token.pos_ == "CCONJ":
        conjuncts = [c for c in token.head.children if c.dep_ == "conj" and c.i > token.i]
        target = conjuncts[0] if conjuncts else token.doc[min(token.i + 1, len(token.doc) - 1)]
        return {t.i for t in target.subtree}
    if token.dep_ in {"prep", "agent", "dative"} or token.pos_ == "ADP":
        return {t.i for t in token.subtree} - {token.i}
    head = token.head
    if token.dep_ == "case":  # "women 's [...] rights": what the possessor owns
        return {t.i for t in head.head.subtree if t.i > token.i}
    words = {t.i for t in head.subtree}
    if token.i < head.i:  # "the [...] talks", "will [...] open", "to [...] help"
        words = {i for i in words if i <= head.i}
    return words - {token.i}


def _can_end(token: Any) -> bool:
    """A word after which the sentence may stop once what followed it is gone."""
    if _is_function_word(token) or token.is_punct and token.text in _OPENING_PUNCTUATION:
        return False
    if token.pos_ in {"VERB", "AUX"}:
        passive = any(c.dep_ == "auxpass" for c in token.children)
        if str(token.lemma_).lower() in COMPLEMENT_VERBS and not passive:
            return False
        bare = not any(c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} for c in token.children)
        if token.tag_ in {"VBN", "VBG"} and bare and token.dep_ != "ROOT":
            return False  # a participle: "three bank workers killed.", "payments starting."
        if token.dep_ == "conj" and bare:
            return False  # a second verb stripped of all it had: "... and killed."
    return token.pos_ not in {"ADJ", "ADV"} or not any(c.i > token.i for c in token.children)


def _between_subject_and_verb(doc: Any, comma: int, j: int) -> bool:
    """The comma would separate `doc[j]`, a verb, from its subject before the comma."""
    return any(c.i < comma for c in subjects_of(doc[j]))


def _in_an_aside_of_the_subject(doc: Any, i: int, verb: int) -> bool:
    """Word `i` stands in an aside set off by a comma after the head of the verb's subject
    ("Brian Wright, 55"), so a comma after it closes that aside."""
    return any(
        subject.i < i <= subject.right_edge.i and any(t.text == "," for t in doc[subject.i + 1 : i])
        for subject in subjects_of(doc[verb])
    )


def why_not_follow(doc: Any, i: int, j: int) -> str | None:
    """Why kept word `j` may not come right after kept word `i` (-1: the start) once the
    words between them are deleted, or None where it may. `j` may be the closing
    punctuation: the end."""
    if j == i + 1:
        return None
    after = doc[j]
    if i < 0:
        return "the sentence would start with punctuation" if after.is_punct else None
    before = doc[i]
    closing = j == len(doc) - 1
    if closing and not _can_end(before):
        return f"the sentence would end on '{before.text}', which needs what followed it"
    # An aside's opening comma went and its closing one stays: it must not fall between a
    # subject and its verb ("The black hole, has a mass"), unless it closes an aside that
    # stays before it ("Brian Wright, 55, told": the last of a run of asides went).
    lone_comma = after.text in _OPENING_PUNCTUATION and doc[i + 1].text == ","
    between = lone_comma and j + 1 < len(doc) and _between_subject_and_verb(doc, i + 1, j + 1)
    if between and not _in_an_aside_of_the_subject(doc, i, j + 1):
        return f"a comma would stand between the subject and '{doc[j + 1].text}'"
    if before.is_punct and before.text in _OPENING_PUNCTUATION:
        if after.is_punct:
            return f"'{before.text}' would be followed by '{after.text}'"
        gone = doc[i + 1 : j]
        linked = any(t.lower_ in _LINKS or t.dep_ == "cc" for t in gone) or gone[-1].pos_ in {
            "ADP",
            "SCONJ",
            "PART",
        }  # "..., then try", "..., due to her physique"
        if not doc[j - 1].is_punct and linked:
            return f"'{before.text}' would join what '{gone.text}' linked"
        # Unless what went only modified the verb it stood before ("KO's, [easily]
        # dismantled"): the comma is where the source had it.
        inside = {t.i for t in gone}
        own = all(t.head.i == after.i for t in gone if t.head.i not in inside)
        if not own and _between_subject_and_verb(doc, i, j):
            return f"a comma would stand between the subject and '{after.text}'"
    if _measures_the_phrase_after(before, doc[i + 1]):
        return f"'{before.text}' would lose the phrase it measures ('{before.text} {doc[i + 1]}')"
    if _focus_gone(before, j):
        return f"'{before.text}' would lose what its focus word points at"
    if after.is_quote and j in closing_marks(doc):  # the cheap test first: a hot path
        return f"'{after.text}' would close a quotation that is gone"
    if _is_function_word(before) and j not in _opens(before):
        return f"'{before.text}' would lose what it opens"
    return None


# Adverbs that measure the time or place phrase after them ("soon after half-time", "shortly
# before the vote", "right behind the goal"): without it they say nothing of their own.
_MEASURING_ADVERBS = frozenset("soon shortly just right immediately long well straight".split())
_MEASURED_PREPOSITIONS = frozenset(
    "after before since following until behind ahead beyond inside outside".split()
)
# Focus words that point at what follows their verb ("has also played in Italy").
_ADDITIVE_FOCUS = frozenset({"also", "too", "even"})


def _measures_the_phrase_after(word: Any, following: Any) -> bool:
    """`word` measures the phrase `following` opens, however the parser hung it: "battling
    over soon [after half-time]" would keep "soon" and lose what it measured."""
    return word.lower_ in _MEASURING_ADVERBS and following.lower_ in _MEASURED_PREPOSITIONS


def _focus_gone(verb: Any, j: int) -> bool:
    """`verb` has "also", "too" or "even" before it and loses everything after it: "who has
    also played [in Italy]" keeps the focus word and loses what it pointed at."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    focused = any(c.lower_ in _ADDITIVE_FOCUS and c.i < verb.i for c in verb.children)
    after = [c for c in verb.rights if not c.is_punct]
    return focused and bool(after) and all(c.right_edge.i < j for c in after)


def may_follow(doc: Any, i: int, j: int) -> bool:
    """May kept word `j` come right after kept word `i` once the words between them go?"""
    return why_not_follow(doc, i, j) is None
