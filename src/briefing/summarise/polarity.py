"""The polarity of every word of a parsed sentence: where deleting a phrase keeps the claim.

Deleting a modifier makes a phrase more general: "talks in Istanbul" -> "talks". Whether the
shorter sentence still follows from the longer one depends on where the phrase stands
(the monotonicity calculus of natural logic; MacCartney and Manning, 2007-2009):
- in an upward-entailing position the more general sentence follows ("they met in Istanbul"
  -> "they met"), so the deletion is safe;
- under a downward-entailing operator it does not: "have not met in person in weeks" does not
  imply "have not met in person"; "refused to testify before the committee" does not imply
  "refused to testify"; "every student in the class passed" does not imply "every student
  passed";
- in a non-monotone position neither direction holds: "the first conference since the
  takeover", "the largest earthquake in the United States", "most of the people who died in
  the floods".

Each operator has a scope, a set of words of the dependency parse, and an effect on it:
downward operators flip the polarity of their scope, non-monotone ones erase it. A word's
polarity is the product of the effects of every operator whose scope holds it, so two
downward operators restore it ("not without a fight"). The sentence starts upward. The
operators (lexicon below):
- negation ("not", "never", "n't", "without"; "no", "none", "nobody", "nothing", "neither",
  "few", "fewer", "less", "at most", "no more than", "not" on a noun or a quantifier as in
  "not a single bank", "not many of those"): downward over their clause (a negated verb's
  phrase, or the clause of a negative quantifier), or over the object of "without";
- verbs, nouns and adjectives whose complement is negated ("deny", "refuse", "fail",
  "prevent", "ban", "doubt", "eliminate", "lift", "lack", "unable", "rule out", "call
  off", ...): over their complements and the periods that bound them ("ruled out surgery
  this season"; not their subject, a date, or a clause that comments on them); they erase
  the polarity rather than flip it, since their negative sense is not the only one
  ("stopping the American in the sixth round") and a second flip would wrongly restore it;
  verbs of wishing, intending and promising ("wish", "want", "aim", "plan", "promise") erase
  it over what is wished: "I wish I still had that car" is not "I wish I had that car";
- an embedded question ("unclear whether ...", "asked what ...") erases it: a more general
  question is another question;
- "before", "until", "if", "unless", "as long as", "provided", "in case": downward over
  the clause or phrase they introduce;
- "every", "all", "each": downward over their noun's restrictor; "any", existential under a
  negation and universal elsewhere, erases it;
- "most", "many", superlatives, ordinals ("16th", "sixth"), exact counts ("four times this
  month", "lost twice at Wembley", not "at least 13") and "only", "first", "last", "record":
  non-monotone over their noun's phrase and, when that noun is in the predicate, over the
  clause around it (the parser often hangs "since 1965" or "during the vote" on the verb);
  an ordinal or superlative of "time" ("for the first time", "the third time") ranks the
  event its clause states, so over all of the clause but its dates; a focus adverb on a
  verb ("only", "mostly", "mainly", "largely") over its clause;
- a cause ("because (of)", "due to", "owing to", "thanks to", "as a result of") explains its
  clause as stated: "Due to the holiday, the film opened on Wednesday" does not say why the
  film opened. Non-monotone over the clause it explains, not over the cause itself;
- a generic subject (a gerund, or a bare plural with a present-tense verb) is the restrictor
  of an unstated "every": downward;
- a clause in the simple present states a state or a habit, which holds under the
  conditions its phrases name (an unstated "usually"): "Border crossings are closed at
  night" is not "Border crossings are closed"; non-monotone over those phrases, not over a
  named day ("begins on Monday"), a comment ("despite ...") or a phrase framed before the
  subject;
- a clause that says what something is ("My problem is, he sits in business class while I'm
  in economy", "The disorder is where the drug negatively affects a life") states an
  identity, which holds neither way: non-monotone.
A coordinated clause with its own subject or auxiliary ("..., but will hold talks") is a
claim of its own and stands outside the scope of an operator in the first one.

Asides set off by commas, dashes or brackets (appositions, non-restrictive relative clauses)
are separate claims that project out of every scope; `deletions.py` lets them go whatever
their polarity. Checked by tests/test_claims.py, the judged set of
`benchmarks.compressions` and the hostile sentences of `benchmarks.hostile`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from briefing.summarise.syntax import (
    CALENDAR,
    MEASURED,
    MONTHS,
    NOMINAL,
    SUBJECTS,
    YEAR,
    base_forms,
    is_present,
)

UP, DOWN, NONE = 1, -1, 0

# Words that negate the clause they stand in (as adverb, determiner or pronoun).
NEGATIVE_WORDS = frozenset(
    "not n't never no none nobody nothing neither nor nowhere few fewer less cannot "
    "hardly scarcely barely seldom rarely".split()
)
# Verbs (lemmas) whose complement is negated or prevented.
DOWNWARD_VERBS = frozenset(
    "deny refuse fail prevent ban bar block forbid prohibit reject avoid stop halt cease "
    "doubt decline oppose resist lack miss forget neglect eliminate scrap abolish repeal "
    "rescind revoke cancel suspend exclude omit lift waive quit deter discourage dismiss "
    "reverse overturn veto boycott end remove spare exempt skip forgo bypass evade ignore "
    "escape".split()
)
# Phrasal verbs (lemma, particle) that do the same: "ruled out surgery this season".
DOWNWARD_PHRASAL_VERBS = frozenset(
    {
        ("rule", "out"),
        ("call", "off"),
        ("turn", "down"),
        ("hold", "off"),
        ("vote", "down"),
        ("strike", "down"),
        ("throw", "out"),
        ("phase", "out"),
        ("opt", "out"),
        ("pull", "out"),
        ("back", "out"),
        ("shut", "out"),
        ("give", "up"),
    }
)
# Nouns and adjectives that do the same: "a ban on imports of beef", "unable to travel".
DOWNWARD_NOUNS = frozenset(
    "ban refusal denial failure lack absence halt suspension prohibition elimination repeal "
    "moratorium freeze removal embargo boycott veto exemption".split()
)
DOWNWARD_ADJECTIVES = frozenset("unable impossible reluctant unwilling free absent illegal".split())
# Verbs of wishing, intending and promising: what is wished or promised follows neither way
# ("I wish I still had that car" is not "I wish I had that car"; "promised to cut waiting
# times in the north" is not "promised to cut waiting times"). Not "try" or "seek": an
# attempt at something specific is an attempt at the more general thing.
WISHING_VERBS = frozenset(
    "wish hope want prefer aim plan intend promise pledge vow propose threaten".split()
)
# Nouns that name what is wished or intended: their "to" clause, or what they are said to be
# ("the aim was to destabilise Dagestan and spread the war"), holds neither way.
WISHING_NOUNS = frozenset(
    "aim goal plan intention purpose objective ambition target hope wish".split()
)
# Conjunctions and prepositions whose clause or object is downward.
DOWNWARD_MARKERS = frozenset("before until till if unless provided providing lest".split())
# Determiners whose noun's restrictor is downward.
UNIVERSALS = frozenset("every all each".split())
# Words whose noun's phrase is non-monotone: proportional quantifiers, ordinals, "only".
NON_MONOTONE = frozenset(
    "most many much several first second third fourth fifth last only sole record "
    "unprecedented biggest largest latest next".split()
)
# Adverbs that focus on part of their clause: what they single out is the claim ("happen
# mostly in the evening", "only spoke for ten minutes", "largely because of the rain").
FOCUS_ADVERBS = frozenset(
    "only mostly mainly largely chiefly primarily predominantly principally exclusively "
    "solely merely partly partially especially particularly".split()
)
# Counts of how often, after their verb ("lost twice at Wembley", "lost her service once"):
# as a focus adverb, the bounds of their clause bound the count.
_COUNTED_TIMES = frozenset("once twice thrice".split())
# Quantifiers that "not" negates as it negates a noun: "not many of those are built".
_QUANTIFIERS = frozenset("many much all every enough everyone everybody everything".split())
# Words that open an embedded question ("unclear whether", "asked what", "how").
_QUESTION_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
_ORDINAL = re.compile(
    r"\d+(st|nd|rd|th)|(twen|thir|for|fif|six|seven|eigh|nine)tieth|"
    r"(sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|"
    r"sixteenth|seventeenth|eighteenth|nineteenth|twentieth|hundredth|thousandth)"
)
_CLAUSE_POS = frozenset({"VERB", "AUX"})
# The modifiers that may bound a count or a comparison.
_BOUNDS = frozenset({"prep", "npadvmod", "advcl", "advmod"})
_COMPLEMENTS = frozenset(
    {"dobj", "xcomp", "ccomp", "pcomp", "attr", "acomp", "oprd", "dative", "prt", "acl"}
)


def _subtree(token: Any) -> set[int]:
    return {t.i for t in token.subtree}


def _own_claim(conj: Any) -> bool:
    """A coordinated verb with its own subject or auxiliary states a claim of its own."""
    return conj.dep_ == "conj" and any(
        c.dep_ in SUBJECTS or c.dep_ in {"aux", "auxpass"} for c in conj.children
    )


def _clause_of(token: Any) -> Any:
    """The verb (or root) heading the clause a word stands in."""
    while token.pos_ not in _CLAUSE_POS and token.dep_ != "ROOT" and token.head.i != token.i:
        token = token.head
    return token


def _scope(head: Any, leave_out: Iterable[Any] = ()) -> set[int]:
    """The words `head` governs (not `head` itself, whose place is its own head's), without
    coordinated claims of their own and `leave_out`."""
    scope = _subtree(head) - {head.i}
    for child in head.children:
        if _own_claim(child) or child.dep_ == "cc":
            scope -= _subtree(child)
    for token in leave_out:
        scope -= _subtree(token)
    return scope


def _clause_scope(word: Any) -> set[int]:
    """A clause-level operator's scope: its clause, the operator itself left out."""
    return _scope(_clause_of(word)) - {word.i}


def _complement_scope(head: Any) -> set[int]:
    """What a downward verb, noun or adjective governs: its complements and phrases ("skip
    consultations before launching projects"), a period ("ruled out surgery this season"),
    a purpose the parser hung on it ("lacks the cash to repay its debts"), not its subject,
    a mere date ("refused on Tuesday", "ruled it out Tuesday", "Last week, it rejected") or
    the clauses that comment on it ("..., though she had not ruled it out")."""
    scope: set[int] = set()
    for child in head.children:
        phrase = child.dep_ == "prep" and not _dates_only(child)
        period = child.dep_ == "npadvmod" and _restricts_domain(child) and not _framed(child)
        if child.dep_ in _COMPLEMENTS or phrase or period or _infinitive(child):
            scope |= _subtree(child)  # "skip consultations before launching projects"
    return scope


def _infinitive(clause: Any) -> bool:
    """An adverbial clause of a bare "to" infinitive, without a subject of its own."""
    children = list(clause.children)
    return (
        clause.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in children)
        and not any(c.dep_ in SUBJECTS for c in children)
    )


def _asks(token: Any) -> bool:
    """ "whether", or the question word opening a clause that is a verb's or adjective's
    complement ("unclear whether ...", "asked what it had paid"): an embedded question."""
    if token.lower_ == "whether" and token.dep_ == "mark":
        return True
    clause = token.head
    return (
        token.tag_ in _QUESTION_TAGS
        and token.lower_ != "that"  # "said that ...", tagged as a relative pronoun
        and clause.dep_ in {"ccomp", "csubj", "pcomp", "xcomp"}
        and token.i == clause.left_edge.i
    )


def _dates_only(phrase: Any) -> bool:
    """ "on Tuesday", "at 5 p.m.", "from Monday": a phrase that only dates what it modifies."""
    alone = any(t.lower_ == "alone" for t in phrase.subtree)  # "on Sunday alone": a bound
    return phrase.lower_ in {"on", "at", "from"} and _names_a_time(phrase) and not alone


def _names_a_time(phrase: Any) -> bool:
    """A phrase holding a time word that names a point in time ("on Tuesday", "at night"),
    not a kind of day or an occasion ("on a Sunday", "at a night showcasing his label", "at
    next year's Games")."""
    times = [t for t in phrase.subtree if t.lower_ in _TIMES and t.dep_ != "poss"]
    return any(not any(c.lower_ in {"a", "an"} for c in t.children) for t in times)


def _lemma(token: Any) -> str:
    return str(token.lemma_).lower()


def _bases(token: Any) -> set[str]:
    """The lemma of a word and the bases its form may have ("hopes": "hop", "hope")."""
    return base_forms(token.lower_) | {_lemma(token)}


def _verb_in(token: Any, lexicon: frozenset[str], bases: set[str] | None = None) -> bool:
    """A verb whose lemma, or a base its form may have, is in `lexicon`."""
    return token.pos_ in _CLAUSE_POS and bool((bases or _bases(token)) & lexicon)


def _in_predicate(noun: Any) -> bool:
    """A noun phrase that is not its clause's subject (object, complement, adverbial)."""
    token = noun
    while token.dep_ not in SUBJECTS and token.pos_ not in _CLAUSE_POS:
        if token.head.i == token.i:
            return True
        token = token.head
    return token.dep_ not in SUBJECTS


def _generic_subject(subject: Any) -> bool:
    """A subject that stands for a kind: a gerund ("Retiring early takes discipline"), or a
    bare plural of a present-tense verb ("Voters in the north back the plan")."""
    verb = subject.head
    if subject.tag_ == "VBG" or subject.dep_ == "csubj":
        return True
    present = is_present(verb)
    bare = subject.tag_ == "NNS" and not any(
        c.dep_ in {"det", "poss", "nummod"} for c in subject.children
    )
    return present and bare


def _downward_word(token: Any) -> bool:
    """A verb, noun or adjective whose complement is negated ("refused to testify")."""
    lemma = _lemma(token)
    bases = _bases(token)
    particles = {(b, c.lower_) for b in bases for c in token.children if c.dep_ == "prt"}
    return (
        _verb_in(token, DOWNWARD_VERBS, bases)
        or bool(particles & DOWNWARD_PHRASAL_VERBS)
        or (token.pos_ in {"NOUN", "PROPN"} and lemma in DOWNWARD_NOUNS)
        or (token.pos_ == "ADJ" and lemma in DOWNWARD_ADJECTIVES)
    )


def _after(token: Any, word: str) -> bool:
    return token.i > 0 and token.doc[token.i - 1].lower_ == word


def _operator(token: Any) -> tuple[set[int], int] | None:
    """The scope and effect of `token` as an operator, if it is one."""
    word = token.lower_
    negative = token.dep_ == "neg" or word in NEGATIVE_WORDS or _little(token)
    # "Not a single bank", "not many of those": a quantifier, as "no".
    on_a_noun = token.head.pos_ in NOMINAL or token.head.lower_ in _QUANTIFIERS
    if (
        negative
        and not on_a_noun
        and (token.dep_ in {"neg", "advmod"} or (word in {"nor", "neither"} and token.dep_ == "cc"))
    ):
        # "not met", "hardly moved"; a phrase fronted before the subject and set off by a
        # comma ("Unlike stars ..., Ross is not signed") stands outside the negation.
        verb = token.head
        subjects = [c.i for c in verb.children if c.dep_ in SUBJECTS]
        fronted = [c for c in verb.children if subjects and c.right_edge.i < min(subjects) - 1]
        fronted = [c for c in fronted if token.doc[c.right_edge.i + 1].text == ","]
        return _scope(verb, fronted) - {token.i}, DOWN
    if negative or (word == "most" and _after(token, "at")):
        # "no one", "few voters", "at most ten": their clause; "with no new talks
        # scheduled": only their own phrase, when their noun is no argument of a verb.
        noun = token.head if token.dep_ in {"det", "amod", "advmod", "quantmod", "neg"} else token
        if noun.dep_ in {"pobj", "npadvmod", "appos", "conj"}:
            return _subtree(noun) - {token.i}, DOWN
        return _clause_scope(token), DOWN
    if word == "without":
        return _subtree(token) - {token.i}, DOWN
    if _asks(token):
        # "unclear whether the ceasefire will hold beyond Friday", "investigating what
        # caused the fire": a question, which a more general one does not ask.
        return _subtree(token.head) - {token.i, token.head.i}, NONE
    # "were once markers" is "formerly", not a count.
    times = word in _COUNTED_TIMES and token.i > token.head.i and token.head.lemma_ != "be"
    focus = word in FOCUS_ADVERBS or times
    if focus and token.dep_ == "advmod" and token.head.pos_ in _CLAUSE_POS:
        # "happen mostly in the evening", "only spoke for ten minutes": what they focus on
        # is the claim; "lost twice at Wembley": what the count counts.
        return _scope(token.head) - {token.i}, NONE
    effect = _explained(token)
    if effect is not None:
        # "Due to the Thanksgiving holiday, the film opened on Wednesday": a cause explains
        # its clause as stated, every phrase of it ("the film opened" is not what the holiday
        # explains); the cause itself may still go.
        return _scope(effect, _cause_phrase(token, effect)), NONE
    if word in DOWNWARD_MARKERS and not (word == "if" and _after(token, "even")):
        # "before the vote on the bill": its object; "if you want X": its clause.
        target = token.head if token.dep_ == "mark" else token
        return _subtree(target) - {token.i, target.i}, DOWN
    if _lemma(token) == "be" and token.dep_ not in {"aux", "auxpass"}:
        # "My problem is (that) he sits in business class while I'm in economy", "the
        # disorder is where the drug negatively affects a life": what something is, an
        # identity, which a more general clause no longer states.
        said = [c for c in token.children if c.dep_ == "ccomp" or _wh_clause(c)]
        predicate = any(c.dep_ in {"attr", "acomp", "oprd", "xcomp"} for c in token.children)
        if said and not predicate:  # not "he was pleased when ...", "she is sure that ..."
            return set().union(*(_subtree(c) for c in said)), NONE
    if _downward_word(token):
        # Erased, not flipped: these words are not always negative ("stopping the American
        # in the sixth round"), and a second flip would wrongly restore the polarity.
        return _complement_scope(token), NONE
    if _purpose(token):
        # "Efforts are being made to protect workers' days off on Christmas Day": what is
        # intended, as with "aim" and "plan" (a more general aim is another aim). The whole
        # clause may still go: its verb stands outside the scope.
        return _subtree(token) - {token.i}, NONE
    if token.pos_ == "NOUN" and _lemma(token) in WISHING_NOUNS:
        intended = _intended(token)
        if intended:
            return intended, NONE
    if _verb_in(token, WISHING_VERBS):
        # What is wished or promised and the bounds after it ("hopes to sign the striker
        # before the window closes"), not where or with whom ("Along with her partner, the
        # pair vowed to ...") or a mere date.
        wished = [c for c in token.children if c.dep_ in _COMPLEMENTS or _infinitive(c)]
        after = min((c.i for c in wished), default=len(token.doc))
        wished += [
            c
            for c in token.children
            if c.i > after and c.dep_ in {"prep", "advcl"} and not _dates_only(c)
        ]
        return set().union(*(_subtree(c) for c in wished)), NONE
    if word == "than" and token.head.i != token.i:
        # "sold more cars in China than in the United States": the compared phrases and
        # what bounds the comparison hold neither way, as a superlative's do.
        return _comparison_scope(token), NONE
    if word in UNIVERSALS and token.dep_ in {"det", "predet", "amod"}:
        return _subtree(token.head) - {token.i, token.head.i}, DOWN
    if word == "any" and token.dep_ in {"det", "amod"}:
        # Existential under a negation, universal elsewhere: safe only as neither.
        return _subtree(token.head) - {token.i, token.head.i}, NONE
    if word == "least" and _after(token, "at"):
        return None  # "at least 13": a number's qualifier, not a superlative
    if word in NON_MONOTONE or token.tag_ in {"JJS", "RBS"} or _ORDINAL.fullmatch(word):
        return _non_monotone_scope(token)
    if word in _ONLY_WITH_A_NUMBER and _on_a_count(token):
        # "just two songs at a night": as "only two songs", the count is singled out.
        return _non_monotone_scope(token)
    if _exact_count(token):
        return _count_scope(token)
    return None


# Words opening a cause: "because (of)", "due to", "owing to", "thanks to", "as a result of",
# "on account of".
_CAUSES = frozenset({"because", "due", "owing", "thanks"})
_CAUSE_NOUNS = frozenset({"result", "account"})


def _explained(token: Any) -> Any | None:
    """The verb whose clause the cause `token` opens explains, if it opens one: "because"
    as a marker or a preposition, "due/owing/thanks to", "as a result of"; not "is due to
    arrive", "was due to a fault" (a predicate: the clause is the cause's own)."""
    word = token.lower_
    follows = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
    opens = word == "because" or (word in _CAUSES and follows == "to")
    if word in _CAUSE_NOUNS and follows == "of" and token.dep_ == "pobj":
        opens, token = True, token.head  # "as a result of", "on account of": the preposition
    if not opens:
        return None
    head = token.head.head if token.dep_ == "mark" else token.head
    if head.pos_ not in _CLAUSE_POS or _lemma(head) == "be" or head.i == token.i:
        return None
    return head


def _cause_phrase(token: Any, effect: Any) -> list[Any]:
    """The phrases of a cause that `effect` governs: the one holding `token`, and its "to"
    or "of" where the parser hung that on the verb beside it ("thanks | to a neighbour")."""
    phrase = token
    while phrase.head.i != effect.i and phrase.head.i != phrase.i:
        phrase = phrase.head
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    beside = after is not None and after.head.i == effect.i and after.lower_ in {"to", "of"}
    return [phrase, after] if beside else [phrase]


def _intended(noun: Any) -> set[int]:
    """What a noun of wishing or intending says is intended: its "to" clause ("a plan to cut
    taxes in the north"), or what it is said to be ("the aim was to destabilise Dagestan")."""
    clauses = [c for c in noun.children if c.dep_ == "acl" and _has_to(c)]
    verb = noun.head
    if noun.dep_ in SUBJECTS and _lemma(verb) == "be":
        clauses += [c for c in verb.children if c.dep_ in {"xcomp", "attr", "ccomp"}]
    return set().union(*(_subtree(c) for c in clauses)) if clauses else set()


def _has_to(clause: Any) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children)


def _purpose(clause: Any) -> bool:
    """A clause of purpose: "to" or "in order to" and a verb, hung on a verb ("closed the
    road to protect residents"), not a verb's complement ("wants to", "agreed to")."""
    if clause.dep_ != "advcl" or clause.pos_ not in _CLAUSE_POS:
        return False
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _little(token: Any) -> bool:
    """ "little chance", "little evidence": a negative quantifier, as "few"; not "a little"
    or "the little girl"."""
    noun = token.head
    return (
        token.lower_ == "little"
        and token.dep_ in {"amod", "det"}
        and not _after(token, "a")
        and noun.tag_ == "NN"
        and not any(c.dep_ in {"det", "poss"} for c in noun.children)
    )


def _comparison_scope(than: Any) -> set[int]:
    """What "than" compares: its own phrase and the bounds of the clause around it."""
    scope = _subtree(than) - {than.i}
    clause = _clause_of(than.head)
    for child in clause.children:
        if than.i not in _subtree(child) and _restricts_domain(child):
            scope |= _subtree(child)
    return scope


def _wh_clause(clause: Any) -> bool:
    """An adverbial clause opened by "where", "when" or "how" ("is where the drug affects")."""
    return clause.dep_ == "advcl" and any(
        c.tag_ == "WRB" and c.i < clause.i for c in clause.children
    )


def _count_scope(count: Any) -> tuple[set[int], int]:
    """ "four times this month" is not "four times"; "113 ships were expected to cross by
    Tuesday" is not "113 ships were expected to cross", even with the count in the subject:
    the bounds anywhere in its clause bound the count."""
    scope, effect = _non_monotone_scope(count)
    noun = count.head
    for i in _scope(_clause_of(noun)):
        modifier = count.doc[i]
        inside = modifier.is_ancestor(noun) or noun.is_ancestor(modifier) or modifier.i == noun.i
        if not inside and modifier.dep_ in _BOUNDS and _restricts_domain(modifier):
            scope |= _subtree(modifier)
    return scope, effect


def _focused(noun: Any) -> bool:
    """ "only" as a focus on an argument ("only local residents"), not part of a definite
    description ("the only survivor", "his only son", which name someone)."""
    return noun.pos_ in {"NOUN", "PROPN", "PRON"} and not any(
        c.dep_ in {"det", "poss"} for c in noun.children
    )


# A count's lower bound makes it upward: "at least 13 people in the city" -> "at least 13";
# not a bound said to be close ("just over 1 per cent"), which gives the figure itself.
_LOWER_BOUNDS = ("at least", "more than", "over", "upward of", "upwards of", "in excess of")
_CLOSE_TO = frozenset("just slightly barely only little".split())


# Adjectives a measure makes an age or a size of ("22-year-old", "10-foot-deep").
_DIMENSIONS = frozenset("old long tall deep wide high thick".split())


def _exact_count(token: Any) -> bool:
    """A number that counts the noun it modifies ("four times", "13 people"), not a year,
    a date's day, a bound ("at least 13") or part of a description ("the two sides")."""
    if token.dep_ != "nummod" or not (token.like_num or token.tag_ == "CD"):
        return False
    if token.head.lower_ in MONTHS or YEAR.fullmatch(token.text):
        return False
    if any(c.dep_ in {"det", "poss"} and c.lower_ not in {"a", "an"} for c in token.head.children):
        return False  # "the two sides", "its 13 members": which ones, not how many
    if token.head.dep_ in {"compound", "amod", "nmod"}:
        return False  # a measure that describes: "the 400-metre vessel", "a $2.5 billion rover"
    if token.head.dep_ == "npadvmod" and token.head.head.lower_ in _DIMENSIONS:
        return False  # an age or a size that describes: "a 22-year-old man", "a 10-foot-deep hole"
    words = [t.lower_ for t in token.doc[max(0, token.i - 4) : token.i]]
    for bound in _LOWER_BOUNDS:
        size = len(bound.split())
        if " ".join(words[-size:]) == bound:
            return len(words) > size and words[-size - 1] in _CLOSE_TO
    return True


def _named_operators(doc: Any) -> list[tuple[str, set[int], int]]:
    """Each operator of the sentence as (what to call it, scope, effect)."""
    found = []
    for token in doc:
        operator = _operator(token)
        if operator is not None:
            found.append((token.text, *operator))
        if token.dep_ in {"nsubj", "csubj"} and _generic_subject(token):
            # The subject and what is fronted before it ("For Delhiites, breathing the air
            # was like smoking 50 cigarettes") restrict the general claim.
            fronted = [c for c in token.head.children if c.i < token.left_edge.i]
            scope = _subtree(token) - {token.i}
            for phrase in fronted:
                scope |= _subtree(phrase)
            found.append((f"{token.text} (a generic subject)", scope, DOWN))
        if _general_claim(token):
            # "Border crossings are closed at night" is not "... are closed": a state or a
            # habit holds under the conditions its phrases name (an unstated "usually"),
            # which hold neither way; a named day only dates it ("begins on Monday"), and a
            # phrase that comments on the claim ("despite ...", "Unlike the stars, ...")
            # or frames it before a comma is no condition of it.
            scope = set()
            for child in token.children:
                if child.dep_ in {"prep", "npadvmod", "advcl"} and _conditions(child):
                    scope |= _subtree(child)
            if scope:
                found.append((f"{token.text} (a general claim)", scope, NONE))
    return found


def _general_claim(verb: Any) -> bool:
    """A clause in the simple present, which states a state or a habit ("are closed",
    "happen", "does not apply"), not an event in progress or done ("is moving", "has
    risen") or a modal's."""
    if verb.pos_ not in _CLAUSE_POS or verb.dep_ in {"aux", "auxpass"}:
        return False
    auxiliaries = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if not auxiliaries:
        return verb.tag_ in {"VBZ", "VBP"}
    if len(auxiliaries) > 1 or auxiliaries[0].tag_ not in {"VBZ", "VBP"}:
        return False
    helper = _lemma(auxiliaries[0])
    return (helper == "do" and verb.tag_ == "VB") or (helper == "be" and verb.tag_ == "VBN")


# Words that open a phrase commenting on a claim rather than bounding it.
_COMMENTING = frozenset(
    "despite unlike although though because given notwithstanding regardless amid "
    "thanks due".split()
)


def _conditions(phrase: Any) -> bool:
    """A phrase of a general claim that names a condition of it: not a day, a comment or a
    frame set off before the subject."""
    opener = next((c for c in phrase.children if c.dep_ == "mark"), phrase)
    return not (_names_a_day(phrase) or opener.lower_ in _COMMENTING or _framed(phrase))


def _framed(phrase: Any) -> bool:
    """A phrase fronted before its clause and set off by a comma ("Last week, ...")."""
    return phrase.i < phrase.head.i and phrase.doc[phrase.right_edge.i + 1].text == ","


def _names_a_day(phrase: Any) -> bool:
    """ "on Monday", "in March", "in 2025", "this week": a time the clause happens at, not a
    condition of a habit ("at night", "on Sundays", "in winter")."""
    words = list(phrase.subtree)
    lower = {t.lower_ for t in words}
    this = lower & {"this", "next", "last", "coming"} and lower & _TIMES
    dated = any(t.like_num or YEAR.fullmatch(t.text) for t in words)
    return bool(lower & CALENDAR or this or dated)


def operators(doc: Any) -> list[tuple[set[int], int]]:
    """Each operator of the sentence as (scope, effect): DOWN flips, NONE erases."""
    return [(scope, effect) for _, scope, effect in _named_operators(doc)]


def _non_monotone_scope(token: Any) -> tuple[set[int], int]:
    """ "the only people in the chapel during the vote", "most of the people who died ...",
    "the largest in the United States since 1965", "the most common form of plague"."""
    modifies = {"amod", "det", "advmod", "quantmod", "npadvmod", "compound", "nummod"}
    host = token.head if token.dep_ in modifies else token  # "record rain", "four times"
    if token.lower_ in {"last", "next", "this"} and host.lower_ in _TIMES:
        return set(), NONE  # "last season", "next week": a time, not a comparison
    if host.pos_ in _CLAUSE_POS and token.dep_ in {"advmod", "npadvmod"}:
        return set(), NONE  # "first rose", "most recently" restrict no comparison
    while host.dep_ == "amod" and host.head.i != host.i:  # "most common form": the noun
        host = host.head
    if host.lemma_ == "time" and host.dep_ in {"pobj", "npadvmod"} and _ranks(token):
        # "for the first time", "the third time this year": the event its clause states is
        # what is counted, so every phrase of the clause bounds it ("has overtaken cash
        # spending in the UK for the first time" is not "... cash spending for the first
        # time"); a point in time only dates it.
        clause = _clause_of(host)
        return _scope(clause) - {token.i} - _dates(clause), NONE
    if _on_a_count(token) and token.lower_ in _SINGLING_OUT:
        host = host.head  # "only 16% really understand": what is counted is singled out
    if token.lower_ in _SINGLING_OUT and _focused(host):
        # "only local residents are allowed to use the road under police escort": no one
        # else may use it under escort, so the whole clause is compared, not the noun.
        return _scope(_clause_of(host)) - {token.i}, NONE
    scope = (_subtree(host) - {token.i, host.i}) - _dates(host)
    title = host.dep_ == "compound" or any(
        c.pos_ == "PROPN" and c.dep_ in {"appos", "compound", "flat"} for c in host.children
    )  # "first baseman Mark Teixeira", "the 21st head coach": who, not a comparison
    if title:
        return scope, NONE
    clause = _clause_of(host)
    predicate = _in_predicate(host)
    for phrase in clause.children:
        # What bounds the comparison in its clause: anything, for a noun in the predicate;
        # for a subject, what stands before it ("Given the impossibility of a conviction,
        # the only strategy is ...") and what its verb says where ("The first convictions
        # ... have been handed down in the US").
        outside = phrase.i != host.i and not host.is_ancestor(phrase)
        bounds = predicate or phrase.dep_ in _BOUNDS or phrase.i > clause.i
        if outside and bounds and _restricts_domain(phrase):
            scope |= _subtree(phrase)
    return scope, NONE


def _ranks(token: Any) -> bool:
    """An ordinal or a superlative, which ranks what it modifies among others like it ("the
    first", "the third", "the only", "the biggest"); not a count, not "last/next/this",
    which also name a time ("next time")."""
    word = token.lower_
    return bool(word in _RANKS or token.tag_ in {"JJS", "RBS"} or _ORDINAL.fullmatch(word))


_RANKS = frozenset("first second third fourth fifth only sole".split())
# Words that, on a number, single it out as "only" does ("just two songs", "merely 5%").
_ONLY_WITH_A_NUMBER = frozenset({"just", "merely"})
_SINGLING_OUT = _ONLY_WITH_A_NUMBER | {"only"}


def _on_a_count(token: Any) -> bool:
    """`token` stands right before the number that counts a noun ("just two songs", "only
    16%"), not before a bound ("just over a year ago", which gives the figure itself)."""
    number = token.head
    return (
        number.dep_ == "nummod"
        and number.i == token.i + 1
        and (number.like_num or number.tag_ == "CD")
    )


# Phrases and adverbs that bound what a superlative or "first" compares with ("since 1965",
# "in the United States", "during the vote", "ever", "this year"); a point in time ("on
# Wednesday", "today") only dates the event.
_DOMAIN_ADVERBS = frozenset("ever yet before previously since so far".split())
_TIMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "morning afternoon evening night weekend week month year season decade century".split()
)
_POINTS_IN_TIME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "morning afternoon evening night".split()
)


def _dates(host: Any) -> set[int]:
    """The phrases in a host's phrase that only date the event ("on Wednesday")."""
    found: set[int] = set()
    for token in host.subtree:
        if token.dep_ in {"prep", "npadvmod"} and token.i != host.i:
            words = {t.lower_ for t in token.subtree}
            point = token.lower_ in {"on", "at"} and _names_a_time(token)
            if point or (token.dep_ == "npadvmod" and words & _POINTS_IN_TIME):
                found |= _subtree(token)
    return found


def _restricts_domain(modifier: Any) -> bool:
    """A modifier of the clause around a superlative that may bound its comparison."""
    words = {t.lower_ for t in modifier.subtree}
    if modifier.dep_ == "prep":
        # "on Wednesday", "at 5 p.m." date the event; "since 1965", "in years", "on New York
        # City", "during the vote" bound the comparison.
        return not _dates_only(modifier)  # "by Tuesday morning" is a deadline: it bounds
    if modifier.dep_ == "advcl":
        return any(c.lower_ in {"since", "before", "ever"} for c in modifier.children)
    if modifier.dep_ == "advmod":
        return modifier.lower_ in _DOMAIN_ADVERBS
    if modifier.dep_ == "npadvmod":
        # "this year" bounds it; "Tuesday" dates it; "a day [after]" measures a time.
        following = modifier.doc[modifier.right_edge.i + 1 : modifier.right_edge.i + 2].text
        return not words & _POINTS_IN_TIME and following.lower() not in MEASURED
    return False


def operators_over(doc: Any, position: int) -> list[str]:
    """The words whose scope holds `position` ("not", "first", "refused"), for messages."""
    return [name for name, scope, _ in _named_operators(doc) if position in scope]


def polarities(doc: Any) -> list[int]:
    """The polarity of every word: UP where deleting a phrase headed there keeps the claim."""
    polarity = [UP] * len(doc)
    for scope, effect in operators(doc):
        for i in scope:
            polarity[i] *= effect
    return polarity
