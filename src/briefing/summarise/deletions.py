"""Which words of a source sentence may be deleted, and together with which others.

A sentence is parsed (spaCy dependency parse) and only whole subtrees may go, each with the
punctuation that sets it off, so what is left is still a sentence: phrases and marked clauses
that add a circumstance to a verb, appositions and relative clauses set off by commas, asides
between dashes or in brackets, a second clause with its own subject after "and"/"but", time
and "-ly" adverbs. Three rules decide the rest, each in a module of its own:
- `polarity.py`: a modifier may go only where deleting it makes the sentence more general,
  in an upward-entailing position (never under a negation, "refuse", "every", "first", ...);
  asides are separate claims and may go anywhere;
- `claims.py`: what no deletion removes: numbers with their qualifiers, quotations, the
  attribution of a claim, restrictive qualifiers ("within", "unless", "if", "until"), and a
  negation, modal, hedge or role word apart from the word it modifies;
- `adjacency.py`: which kept word may follow which, so nothing is left dangling.
Besides, a phrase on a noun that says which thing is meant ("the talks in Istanbul"; a
place's name or a time on an indefinite noun only says where or when: "held talks [in
Istanbul]"), the first phrase after a verb with no object, which may complete it ("checked
into rehab"; not a time, a place's name or "after", "during", "despite": "was arrested [in
Sydney] [after a raid]"), an adjective, the restrictive modifiers of a subject, the
complement of an adjective or adverb ("known for", "a year ago"), what a modal hedges,
requires or makes conditional, and the phrases that open two parallel clauses stay; no
deletion ends with a word that opens what stays, or splits brackets. Asides that follow each
other on one noun ("Brian Wright, 55, of Kempston, told") each keep the comma that opens them
and the run the comma that closes it; an aside goes only with those after it that may say
more of its last noun ("who was a GP in Blaengwynfi, in the Upper Afan Valley"). A time
phrase goes only where no other date stays with its verb (the one left would be read as the
verb's time), and a noun phrase right before a verb that has no subject stays as that
subject, however the parser hung it. A sentence the parser reads badly (two sentences, a bare
participle as main verb) keeps every word (`parser.misread`). `parser.py` turns the spans
into a `DeletionPlan` (`plan.py`), which tells for each position which words may come next;
the model chooses among them (see `compress.py`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from briefing.summarise.adjacency import COMPLEMENT_VERBS
from briefing.summarise.claims import (
    NOMINAL_ASIDES,
    TIME_WORDS,
    ProtectedWords,
    dash_asides,
    is_dash,
    is_nominal_aside,
    is_set_off,
    is_time_phrase,
    protection,
)
from briefing.summarise.polarity import UP, polarities
from briefing.summarise.syntax import (
    CALENDAR,
    NOMINAL,
    SUBJECTS,
    YEAR,
    base_forms,
    is_finite,
    subjects_of,
)

__all__ = ["Deletions", "deletable_spans", "deletions"]

# Dependency relations whose whole subtree may be deleted (ClearNLP labels, as spaCy's English
# pipelines use): modifiers, never arguments, conjuncts or the clause's own structure.
# Adjectives are not among them: "black hole", "private company", "soft landing" lose their
# meaning without them.
ALWAYS_DELETABLE = {"advcl", "npadvmod", "advmod", "prep", "parataxis"}
# Deletable only when set off by a comma (non-restrictive): "Riva, who was visiting, ...";
# "the container ship Ever Given" is not an aside.
DELETABLE_AFTER_COMMA = {"relcl", "acl", "appos"}
# Prepositions whose phrase completes its head: "days of talks", "more than", "according to",
# and the direction of a movement: "brought them out of the cave", "sent it into Saturn".
_BOUND_PREPOSITIONS = {
    *"of than according like as per to since until till".split(),
    *"out into onto off up down away back through".split(),
}
# Adverbs that may go on their own: manner ("-ly") and time words. Others build the clause's
# meaning: "rather than", "so much ... that", "instead", "even", "Ever Given".
_FREE_ADVERBS = set(
    "now today yesterday tonight recently currently already also later earlier soon then "
    "meanwhile still once".split()
)


# Words that put the claim in the phrase around them.
_SCOPE_WORDS = {"such", "so", "too", "enough"}
# What makes a verb complete before a prepositional phrase that follows it.
_VERB_COMPLEMENTS = {"dobj", "dative", "attr", "acomp", "oprd", "xcomp", "ccomp"}


# Verbs whose place, destination, topic or partner completes them after their object: "spend
# his life in prison", "put the book on the table", "fits her training around her studies",
# "reminded the players about their responsibilities", "provides clinicians with a tool",
# "heaped praise on Italy", "combining a petrol engine with an electric motor", "has joined
# Victoria Wood in attacking ...".
_PLACING_VERBS = set(
    "spend serve put place keep leave send bring take hold lock jail move transfer "
    "sentence admit fit base remind inform notify rob deprive convince assure provide supply "
    "equip furnish present set cast lay heap pile lavish bestow shower pin pour "
    "combine merge mix pair link connect associate compare contrast replace swap exchange "
    "match couple confuse join".split()
)


# Verbs whose manner adverb is what they say: "fans feel strongly", "the talks went well",
# "the team performed poorly", "takes his food seriously"; without it the verb claims
# something else, or nothing.
_MANNER_VERBS = set(
    "feel behave fare do go perform treat word rate rank score think speak take".split()
)


# Verbs that take two objects, whom and what: "gives Inbev control", "offered him a job".
_GIVING_VERBS = set(
    "give offer hand grant award send lend owe promise show deny allow pay cost earn win "
    "bring sell teach tell assign".split()
)


def _figure(word: Any) -> bool:
    """A number or a sum of money: "£35bn", "$2 billion", "3"."""
    return word.like_num or word.pos_ == "NUM" or any(t.tag_ == "$" for t in word.subtree)


def _second_object(appos: Any) -> bool:
    """An apposition to the first object of a verb that takes two: what the parser read as
    one may be the second object ("offered Jones, its captain, a new contract")."""
    named = appos.head
    while named.dep_ == "appos":
        named = named.head
    verb = named.head
    return named.dep_ in {"dobj", "dative"} and verb.lemma_.lower() in _GIVING_VERBS


# Participles whose phrase says what they are: "known for", "accused of", "based in".
_PARTICIPLES_WITH_COMPLEMENT = set(
    "know accuse charge convict base locate involve link credit blame make compose suspect "
    "associate tie name dedicate devote commit".split()
)


# Prepositions whose phrase says when or in spite of what: they complete no verb but those
# that say what follows what ("the move comes after ...", "named after", "looks after").
_CIRCUMSTANCE_PREPOSITIONS = frozenset("after during despite amid amidst following".split())
_FOLLOWING_VERBS = frozenset("come look name take go run follow seek ask chase".split())


# Verbs whose place completes them, or whose sense changes without it: those that do not
# end a sentence without what follows them ("lives in London", "comes after"), and "arrived
# in Kabul", "works at Google", "believes in God", "invested in Tesla", "born in Glasgow".
_LOCATED_VERBS = (
    COMPLEMENT_VERBS
    | _PLACING_VERBS
    | frozenset(
        "reside arrive land settle return travel flee fly sail drive walk run hide work study "
        "believe invest engage participate specialise specialize succeed star feature compete "
        "be bear grow".split()
    )
)


def _names_a_place(prep: Any) -> bool:
    """ "in", "at", "near", ... and a name, nothing but the name: "in Istanbul", "at Camp
    David", "in the Gaza Strip and West Bank"; not "at UFJ of its decision"."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if prep.lower_ not in _PLACE_PREPOSITIONS or not objects or objects[0].pos_ != "PROPN":
        return False
    if any(c.isdigit() for c in objects[0].text):
        return False  # "at 12:30am": a time the tagger took for a name
    doc, after = prep.doc, prep.right_edge.i + 1
    if after + 1 < len(doc) and doc[after].text == "," and doc[after + 1].pos_ == "PROPN":
        return False  # "in Cleethorpes, North East Lincolnshire,": the name may go on
    return not any(t.dep_ == "prep" and t.lower_ in _BOUND_PREPOSITIONS for t in objects[0].subtree)


def _completes_verb(prep: Any, reporting: frozenset[str]) -> bool:
    """The first phrase after a verb with no object is its complement, not a modifier:
    "checked into a rehab facility", "finished with a losing record", "struck off the coast";
    and any phrase after a participle that takes one: "known in Argentina for ..."."""
    verb = prep.head
    if verb.pos_ not in {"VERB", "AUX"} or prep.i < verb.i:
        return False
    if verb.tag_ == "VBN" and verb.lemma_.lower() in _PARTICIPLES_WITH_COMPLEMENT:
        return True
    if verb.lemma_.lower() == "be" and not any(c.dep_ in _VERB_COMPLEMENTS for c in verb.children):
        return True  # a form of "be" with no other predicate: "it's about time", "is on meth"
    if is_time_phrase(prep):
        return False  # "resume on Monday": a time is never what completes the verb
    if (
        prep.lower_ in _CIRCUMSTANCE_PREPOSITIONS
        and verb.lemma_.lower() not in _FOLLOWING_VERBS
        # the verb's own clause, misread: "learn [during the trial that he could serve ...]"
        and not any(_that_clause(t) for t in prep.subtree)
    ):
        return False  # "was arrested [after a raid]": when or despite what, not a complement
    if _names_a_place(prep) and verb.lemma_.lower() not in _LOCATED_VERBS:
        return False  # "was arrested [in Sydney]": where, unless the verb needs it ("lives in")
    between = [c for c in verb.children if verb.i < c.i < prep.i]
    # A quotation or clause fronted before a verb of saying is still its complement:
    # '"...," said Jillian Bell on the red carpet' may lose the carpet. Before another verb it
    # is a clause of its own the parser hung there ("People are talking about it: South
    # Dakota is on meth"; "In Virginia, they voted for X; in Mississippi, they voted for Y").
    if verb.lemma_.lower() in reporting:
        between += [c for c in verb.children if c.i < verb.i and c.dep_ == "ccomp"]
    if verb.lemma_.lower() in _PLACING_VERBS and not any(c.dep_ == "prep" for c in between):
        return True
    return not any(
        c.dep_ in _VERB_COMPLEMENTS or (c.dep_ == "prep" and not is_time_phrase(c)) for c in between
    )


_WH_TAGS = {"WDT", "WP", "WP$", "WRB"}
# What may stand right before the closing punctuation once a closing phrase is gone.
_ENDS_CLAUSE = {")", '"', "”", "'", "’"}
# Dashes set off an aside only in pairs (`_dash_asides`): "SEOUL -- AlphaGo won" is a dateline.
_OPENERS = {",", "("}
_CLOSERS = {",", ")"}


def _whole_words(doc: Any, start: int, end: int) -> bool:
    """[start, end) neither starts nor ends inside a written word ("separatist-held")."""
    opens = start == 0 or bool(doc[start - 1].whitespace_) or doc[start].is_punct
    closes = bool(doc[end - 1].whitespace_) or (doc[end].is_punct and doc[end].text not in "-‐/")
    return opens and closes


def _article_agrees(doc: Any, start: int, end: int) -> bool:
    """Deleting [start, end) after "a"/"an" must not leave "an mediator" or "a independent"."""
    if start == 0 or end >= len(doc) or doc[start - 1].lower_ not in {"a", "an"}:
        return True
    vowel = doc[end].text[:1].lower() in set("aeiou")
    return vowel == (doc[start - 1].lower_ == "an")


def _deletable(token: Any, reporting: frozenset[str]) -> bool:
    """A modifier whose subtree may go without breaking the clause (the claim is
    `polarity.py`'s and `claims.py`'s to judge)."""
    dep = token.dep_
    if dep not in ALWAYS_DELETABLE and dep not in DELETABLE_AFTER_COMMA:
        return False
    subtree = list(token.subtree)
    if {t.lower_ for t in subtree} & _SCOPE_WORDS:
        return False  # "in such numbers", "so much": the claim is in the phrase
    inside = {t.i for t in subtree}
    comparative = any(t.tag_ in {"JJR", "RBR"} for t in subtree)
    if comparative and any(t.lower_ == "than" and t.i not in inside for t in token.doc):
        return False  # "more quickly [than anticipated]": the comparison stays whole
    if comparative and dep == "advmod" and token.head.pos_ in {"VERB", "AUX"}:
        return False  # "adapt to the game more naturally": the comparison is the claim
    if dep == "advmod" and token.head.lemma_.lower() in _MANNER_VERBS:
        return False  # "feel very strongly", "went well": what the verb says
    before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
    if any(
        t.lower_ in TIME_WORDS and any(c.dep_ == "nummod" for c in t.children)
        for t in (token.head, before)
        if t is not None
    ):
        return False  # it completes a measure: "four decades after she left", "two hours ago"
    if any(t.lower_ == "from" for t in subtree) and _range_end_follows(token):
        return False  # a range the parser split: "on its way from Damascus [to the port]"
    if _before_a_bare_conjunct(token):
        return False  # "after a child pointed at her [and asked ...]": whose second verb?
    if _names_an_offence(token):
        return False  # "pleaded guilty to causing death by careless driving": the charge
    if dep == "appos" and token.pos_ == "PROPN":
        return False  # a name says who: "Golden girl of the screen, Esther Williams, has died"
    if dep == "appos" and _second_object(token):
        return False  # "gives Inbev, the biggest brewer, control over ...": the second object
    if _modal_is_about(token):
        return False  # "may have occurred [after the attacker tried to steal shoes]"
    if dep == "prep" and not (_deletable_phrase(token, reporting) or _is_aside(token)):
        return False
    if dep == "prep" and token.lower_ == "in" and _figure(token.doc[token.i - 1]):
        return False  # what a sum is in: "highlighted £35bn [in wasteful spending]"
    head = token.head
    opener = head.dep_ == "advcl" and head.tag_ in {"VBG", "VBN"} and head.i == head.left_edge.i
    only = [c for c in head.children if c.i > head.i and not c.is_punct] == [token]
    if only and (head.dep_ in {"acl", "amod"} or opener):
        # a participle's only complement: "the agreement adopted on Saturday", "[Sitting on
        # Wednesday,] three judges dismissed ..."
        return False
    if head.pos_ in {"ADJ", "ADV"} and dep in {"prep", "advcl", "npadvmod"}:
        return False  # an adjective's or adverb's complement: "known for", "a year ago"
    if dep in {"advcl", "parataxis"} and not (_set_off_by_comma(token) or _has_marker(token)):
        return False  # a clause that is neither marked nor set off may be a misparse
    if dep == "advcl" and any(c.lower_ == "for" and c.dep_ == "mark" for c in token.children):
        return False  # "a night for the stars to revel": what the noun is for
    if dep == "advcl" and _that_clause(token):
        return False  # "learned that his son had Down Syndrome": what was learned, misread
    if dep == "npadvmod" and _opens_a_clause(token):
        return False  # "The next time he spoke with him, ...": it subordinates the clause
    if dep == "npadvmod" and not {t.lower_ for t in subtree} & TIME_WORDS:
        return False  # only a time may go: "Tuesday", "this week"; not "the front-runner"
    if dep == "advmod":
        word = token.lower_
        if token.tag_ != "RB" or not (word.endswith("ly") or word in _FREE_ADVERBS):
            return False  # "shapely", "Ever" (Given) are not adverbs
        if head.pos_ == "ADJ" or (head.dep_ == "amod" and head.tag_ in {"VBN", "VBG"}):
            return False  # "more environmentally friendly ways", "a recently formed group"
        if word == "still" and token.i == head.i + 1 and head.lemma_.lower() != "be":
            return False  # "have stood still": the adjective (unmoving), not "yet"
        if word == "once" and token.i > head.i:
            return False  # "lost her service once": a count, not "formerly"
    if not _is_aside(token) and _in_subject(token):
        return False  # the subject's restrictive modifiers say what the claim is about
    if not _is_aside(token) and _in_description(token):
        return False  # "the users who activated their accounts last Tuesday": which ones
    if dep == "npadvmod" and _object_like(token):
        return False  # "to begin the week": the verb's object, read as a time
    if _subject_of_the_next_verb(token):
        return False  # "but this Saturday could see ...": the verb's subject, misread
    if dep == "advcl" and is_finite(token) and not subjects_of(token) and not _has_marker(token):
        return False  # "..., his son and daughter, confirmed to ...": a clause misread
    if _what_was_said(token, reporting):
        return False  # "told Mike Lynch [more about the negotiations]": what was told
    # "in which", "for whom": the phrase is the structure of the relative clause around it.
    return dep != "prep" or not any(c.tag_ in _WH_TAGS for c in token.children)


# Modals of possibility: what they hedge is the most specific part of the predicate.
_HEDGING_MODALS = frozenset("may might could".split())
# Modals of obligation and condition: what they require or make conditional ("must act
# [quickly]", "would be asked to vote[, under plans unveiled by the Conservatives]"), but
# not the time they name ("said the talks would resume [on Monday]").
_REQUIRING_MODALS = frozenset("would should must ought".split())


def _modal_is_about(token: Any) -> bool:
    """A phrase after a verb that a modal ("may", "could", "must", "should", "would") rules,
    itself or through the verbs whose complement it is ("would be asked to go to the polls,
    under plans ..."), set off or not, unless an aside (a separate claim): the reader takes it
    for what is uncertain, required or conditional, so without it the modal falls on the
    event itself ("a stabbing may have occurred after the attacker tried to steal shoes" is
    not "a stabbing may have occurred"; "must act quickly" is not "must act"); under a modal
    of obligation or condition a time may still go."""
    if _is_aside(token):
        return False
    modals = _HEDGING_MODALS | (set() if is_time_phrase(token) else _REQUIRING_MODALS)
    verb = token.head
    while token.i > verb.i:
        if any(c.dep_ == "aux" and c.lower_ in modals for c in verb.children):
            return True
        if verb.dep_ not in {"xcomp", "advcl"} or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _before_a_bare_conjunct(token: Any) -> bool:
    """A phrase right before "and"/"or"/"but" and a verb without a subject that the parser
    coordinates with the phrase's own head: the verb may be the phrase's ("lost seven stone
    after a child pointed at her and asked whether she was pregnant")."""
    doc, after = token.doc, token.right_edge.i + 1
    if after + 1 >= len(doc) or doc[after].dep_ != "cc":
        return False
    verb = next((c for c in token.head.children if c.dep_ == "conj" and c.i > after), None)
    return verb is not None and verb.pos_ in {"VERB", "AUX"} and not subjects_of(verb)


# Nouns that, determined, open a clause the way "when" does: "the next time he spoke",
# "every time it rains", "the moment she arrived", "the day he left".
_CLAUSE_OPENING_NOUNS = frozenset("time times moment minute second day instant".split())


def _opens_a_clause(phrase: Any) -> bool:
    """A time noun right before a subject of the verb it modifies: the noun phrase is the
    conjunction of that clause ("The next time he spoke with him, two months had passed"),
    so it goes with the whole clause or not at all."""
    if phrase.lower_ not in _CLAUSE_OPENING_NOUNS or phrase.head.pos_ not in {"VERB", "AUX"}:
        return False
    after = phrase.right_edge.i + 1
    return any(c.left_edge.i == after for c in subjects_of(phrase.head))


def _range_end_follows(token: Any) -> bool:
    """The words after `token`'s phrase close a range it opens: "to", "up to", "right up
    to", "all the way to", "through", "until"."""
    after = [t.lower_ for t in token.doc[token.right_edge.i + 1 : token.right_edge.i + 5]]
    while after and after[0] in {"right", "all", "the", "way", "up", "straight"}:
        after = after[1:]
    return bool(after) and after[0] in {"to", "through", "until", "till"}


def _next_word(token: Any) -> str:
    """The word right after `token`'s phrase, lower-cased ("" at the end)."""
    after = token.right_edge.i + 1
    return token.doc[after].lower_ if after < len(token.doc) else ""


# Words whose complement names an offence: "charged with", "pleaded guilty to", "convicted
# of", "on suspicion of". The offence is the charge's own wording; none of it goes.
_OFFENCE_HEADS = frozenset(
    "charge plead guilty convict accuse acquit indict suspicion admit deny jail "
    "sentence fine".split()
)


def _names_an_offence(token: Any) -> bool:
    """`token` stands in the offence that a charge, plea or verdict names."""
    for ancestor in token.ancestors:
        offence = ancestor.dep_ == "prep" and ancestor.lower_ in {"to", "with", "of", "for"}
        if offence and ancestor.head.lemma_.lower() in _OFFENCE_HEADS:
            return True
        if ancestor.pos_ in {"VERB", "AUX"} and ancestor.dep_ not in {"pcomp", "pobj"}:
            return False
    return False


def _that_clause(clause: Any) -> bool:
    """A clause opened by "that" alone is a verb's or noun's complement, whatever the parser
    made of it; "so that", "now that", "such that" open adverbial clauses."""
    marks = [c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"]
    if not marks:
        return False
    i = marks[0].i
    return i == 0 or clause.doc[i - 1].lower_ not in {"so", "now", "such", "except", "given"}


def _in_subject(token: Any) -> bool:
    """`token` modifies the subject of its clause ("Retiring early", "voters in the north")."""
    for ancestor in token.ancestors:
        if ancestor.dep_ in SUBJECTS:
            return True
        if ancestor.pos_ in {"VERB", "AUX"}:
            return False
    return False


def _in_description(token: Any) -> bool:
    """`token` stands in a restrictive relative clause or participle phrase of a noun, which
    says which thing is meant ("the interview aired at the weekend")."""
    for ancestor in token.ancestors:
        if ancestor.dep_ in {"relcl", "acl"} and ancestor.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            return not is_set_off(ancestor)
        if ancestor.pos_ in {"VERB", "AUX"} and ancestor.dep_ not in {"relcl", "acl"}:
            return False
    return False


def _what_was_said(token: Any, reporting: frozenset[str]) -> bool:
    """A phrase after a verb of saying, telling or finding that is not a time: what was
    said ("told reporters more about the talks"), which the verb needs."""
    verb = token.head
    if verb.lemma_.lower() not in reporting or token.i < verb.i or is_set_off(token):
        return False
    if token.dep_ == "prep":
        return not is_time_phrase(token)  # "told reporters on Tuesday" may lose the day
    return token.dep_ == "advmod" and token.lower_ not in _FREE_ADVERBS


# Verbs whose object is a length of time: "spent Monday trying to ...", "took two days".
_TIME_TAKING_VERBS = frozenset("spend waste take last need devote kill pass".split())


def _object_like(token: Any) -> bool:
    """A time phrase right after a verb that takes a time for its object ("spent Monday
    trying to distance themselves"), or a determined one right after a verb with no object
    ("to begin the week"): the verb's object, misread."""
    verb = token.head
    if verb.pos_ != "VERB" or token.left_edge.i != verb.i + 1:
        return False
    if verb.lemma_.lower() in _TIME_TAKING_VERBS:
        return True
    return any(c.dep_ in {"det", "poss"} for c in token.children) and not any(
        c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children
    )


def _subject_of_the_next_verb(phrase: Any) -> bool:
    """A noun phrase, or a phrase ending in one, right before a tensed verb that has no
    subject of its own, with at most a comma and auxiliaries between them: the verb's
    subject, whatever the parser made of it ("but this Saturday could see", "at a hospital,
    his son and daughter, ..., confirmed to"). A conjoined verb shares the first one's
    subject, so only a noun phrase of its own is taken for it."""
    doc, i = phrase.doc, phrase.right_edge.i
    while i > phrase.i and doc[i].is_punct:  # the phrase's own closing comma
        i -= 1
    if doc[i].pos_ not in NOMINAL:
        return False
    i += 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    while i < len(doc) and doc[i].dep_ in {"aux", "auxpass", "neg"}:
        i += 1
    if i >= len(doc):
        return False
    verb = doc[i]
    if verb.pos_ not in {"VERB", "AUX"} or not is_finite(verb) or subjects_of(verb):
        return False
    return phrase.pos_ in NOMINAL or verb.dep_ != "conj" or not _coordinated(verb)


def _coordinated(conjunct: Any) -> bool:
    """A conjunct of a coordination that has a conjunction ("arrived, met and left"); one the
    parser joined by a comma alone is no conjunct: "..., Downing Street has indicated" is an
    attribution whose subject the parser hung on the phrase before it."""
    members = [conjunct.head, *conjunct.head.conjuncts]
    return any(c.dep_ in {"cc", "preconj"} for m in members for c in m.children)


def _is_aside(token: Any) -> bool:
    """A separate claim set off by punctuation: an apposition, a non-restrictive relative
    clause or phrase, a participial clause ("..., reversing a plan announced in March")."""
    if is_nominal_aside(token):
        return True
    if not is_set_off(token):
        return False
    return token.dep_ == "advcl" and token.tag_ in {"VBG", "VBN"} and not _has_marker(token)


def _deletable_phrase(prep: Any, reporting: frozenset[str]) -> bool:
    """A prepositional phrase that only adds a circumstance to its verb."""
    if prep.lower_ in _BOUND_PREPOSITIONS or _completes_verb(prep, reporting):
        return False
    if _about_the_noun_before(prep):
        return False  # "bought shares [in Apple]": what the noun is about, however hung
    head = prep.head
    if head.pos_ in NOMINAL:
        return _says_where_or_when(prep)  # else it says which one: "the situation in Mariupol"
    return not (prep.lower_ == "from" and any(c.lower_ == "to" for c in head.children))


# Prepositions whose phrase, with a name or a time after them, says where or when something
# is: "a blast in Kabul", "talks at Camp David", "a rally on Saturday".
_PLACE_PREPOSITIONS = frozenset("in at near outside inside".split())
# Nouns whose "in" or "at" phrase is what they are about, not where they are: "a stake in
# Tesla", "a role in Titanic", "a rise in Japan's exports".
_RELATIONAL_NOUNS = frozenset(
    "role part stake share interest seat say hand investment involvement participation "
    "place position lead rise fall increase decrease drop cut growth decline surge jump "
    "gain loss area region zone spot site location district".split()
)
_INDEFINITE_DETERMINERS = frozenset("a an some another".split())
# A noun that is the predicate: what it is is the claim, its place or time with it ("is a
# traditional symbol in Mongolia", "there had been a barracks in Brecon since 1805").
_PREDICATES = frozenset({"attr", "oprd", "acomp"})


def _about_the_noun_before(prep: Any) -> bool:
    """An "in" or "at" phrase, not a time, right after a noun that it completes: "shares in
    Apple", "a role in Titanic", however the parser hung it."""
    before = prep.doc[prep.i - 1] if prep.i else prep
    relational = before.pos_ == "NOUN" and before.lemma_.lower() in _RELATIONAL_NOUNS
    return relational and prep.lower_ in {"in", "at"} and not _is_a_time(prep)


def _indefinite(noun: Any) -> bool:
    """A common noun with "a", "some" or no determiner, no possessor and no figure: "a
    blast", "talks", "violence"."""
    if noun.pos_ != "NOUN":
        return False
    bare = not any(c.dep_ == "det" for c in noun.children)
    if bare and noun.tag_ == "NNS" and noun.dep_ == "pobj":
        return False  # "pulled the show from stations [in New York]": which ones, read generic
    if bare and _predicated(noun):
        return False  # "described economic conditions [in Australia] as robust": what is judged
    if any(_figure(t) for c in noun.lefts for t in c.subtree):
        return False  # a figure's place and time are what it measures: "a 2.5% target for 2005"
    return not any(
        (c.dep_ == "det" and c.lower_ not in _INDEFINITE_DETERMINERS)
        or c.dep_ in {"poss", "predet"}
        for c in noun.children
    )


def _predicated(noun: Any) -> bool:
    """The object of a verb that says something of it ("described X as robust", "called X
    a failure", "found X wanting"): a claim about all of X, not about some."""
    if noun.dep_ != "dobj":
        return False
    return any(
        c.dep_ in {"oprd", "xcomp"} or (c.dep_ == "prep" and c.lower_ == "as" and c.i > noun.i)
        for c in noun.head.children
    )


def _says_where_or_when(prep: Any) -> bool:
    """A phrase on a noun that says where (a name) or when something is, not which one:
    "held talks [in Istanbul]", "killed in a blast at a market [in Kabul]". An indefinite
    noun's modifier is one more property of something that exists (an intersective
    modifier), so deleting it makes the claim more general, as any deletion must
    (`polarity.py` judges the position); a definite description's says which thing is
    meant ("the talks in Istanbul", "the bombing of a mosque in Kabul"), so every noun
    between the phrase and its verb must be indefinite. Checked by tests/test_claims.py and
    `benchmarks.hostile`."""
    if prep.head.dep_ in _PREDICATES:
        return False  # "Meth is a serious problem [in SD]": what is said of the subject
    if not (_names_a_place(prep) or (_is_a_time(prep) and prep.lower_ != "from")):
        return False  # "from 2001" starts a range
    for ancestor in prep.ancestors:
        if ancestor.pos_ in {"VERB", "AUX"}:
            return True
        if ancestor.pos_ in NOMINAL and not _indefinite(ancestor):
            return False
        if ancestor.lemma_.lower() in _RELATIONAL_NOUNS:
            return False  # "a rise in house prices [in London]" measures those prices only
    return False


def _set_off_by_comma(token: Any) -> bool:
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    return (start > 0 and doc[start - 1].text in _OPENERS) or (
        end < len(doc) and doc[end].text in _CLOSERS and start == 0
    )


def _has_marker(token: Any) -> bool:
    """A clause opened by "after", "because", "when", "as", ..."""
    return any(c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB") for c in token.children)


def _set_off(doc: Any, token: Any) -> tuple[int, int] | None:
    """The subtree of `token` with the punctuation that sets it off, so that no ", ," or
    dangling comma is left; None where it is not set off but must be."""
    n = len(doc)
    start, end = token.left_edge.i, token.right_edge.i + 1
    while end - 1 > start and doc[end - 1].text in {",", ";"}:
        end -= 1  # a comma the parser hung on the phrase belongs to the sentence around it
    before = start > 0 and doc[start - 1].text in _OPENERS
    after = end < n and doc[end].text in _CLOSERS
    if token.dep_ in DELETABLE_AFTER_COMMA and not before:
        return None
    if after and (start == 0 or doc[start - 1].text in {";", ":"}):
        if _fronted_after(doc, token, end + 1):
            return None  # "While X will rise, by three million, the minority ...": whose?
        if _additive(token.head):
            return None  # "As the earth shook in Nepal, tremors were felt in India as well"
        if _parallel_opening(doc, token):
            return None  # "In Virginia, they voted for X; in Mississippi, they voted for Y"
        return start, end + 1  # an opening phrase: "Before talks, ..."
    if before and after:
        # An aside between a subject and its verb, or a noun's aside, takes both commas
        # ("Zelensky, who ..., said"); one before another clause leaves the comma that
        # separates them ("... 67P, scientists said").
        if doc[start - 1].text == "(" or _continues(doc, token, end + 1):
            return start - 1, end + 1
        return start - 1, end
    if before and (end >= n - 1 or (doc[end].is_punct and doc[end].text not in {":", "("})):
        return start - 1, end  # a closing phrase: "..., amid warnings."; not before a colon
    if after and any(doc[i].text == "," for i in range(start, end)):
        return start, end + 1  # its own aside closes after it: "in Malibu, California, for ..."
    return start, end


def _fronted_after(doc: Any, opening: Any, after: int) -> bool:
    """Another phrase set off by commas follows an opening phrase before the clause it opens
    ("While white Britons will increase over that time, by almost three million, the
    minority ..."): which of the two it belongs to is the parser's guess, so the opening
    phrase does not go without it."""
    if after >= len(doc):
        return False
    phrase = doc[after]
    while phrase.head.i != opening.head.i and phrase.head.i != phrase.i:
        phrase = phrase.head
    end = phrase.right_edge.i + 1
    return phrase.dep_ not in SUBJECTS and end < len(doc) and doc[end].text == ","


def _parallel_opening(doc: Any, opening: Any) -> bool:
    """Another clause of the sentence opens with a phrase of the same kind: the two contrast
    ("In Virginia, they voted for X; in Mississippi, they voted for Y"), and without one of
    them the other seems to hold for both clauses."""
    starts = {0} | {t.i + 1 for t in doc if t.text in {";", ":"}}
    return any(
        t.i != opening.i and t.dep_ == opening.dep_ and t.left_edge.i in starts
        for t in doc
        if t.head.pos_ in {"VERB", "AUX"}
    )


def _additive(clause: Any) -> bool:
    """The clause says "also", "too" or "as well": it adds to what an opening phrase states,
    which must stay for it to make sense."""
    words = [t.lower_ for t in clause.subtree]
    pairs = set(zip(words, words[1:], strict=False))
    return bool({"also", "too", "either"} & set(words)) or ("as", "well") in pairs


def _continues(doc: Any, aside: Any, after: int) -> bool:
    """The words after an aside continue the phrase it interrupts ("Zelensky, who ..., said",
    "Riva, the receptionist, and Steinberg"), so neither of its commas is needed; otherwise
    ("in Malibu, Calif., Access Hollywood has confirmed") one comma stays."""
    if after >= len(doc):
        return False
    word, head = doc[after], aside.head
    if any(c.i < aside.left_edge.i for c in subjects_of(word)):
        return True  # the aside stands between a subject and its verb, however it is parsed
    if aside.dep_ not in NOMINAL_ASIDES and not is_nominal_aside(aside):
        return word.i == head.i  # an aside between a subject and its verb
    return word.i == head.head.i or word.head.i == head.head.i or word in head.subtree


def _second_clause(doc: Any, token: Any) -> tuple[int, int] | None:
    """A verb phrase or clause joined by "and"/"but" after the first, with its conjunction:
    "... said he was willing to declare neutrality[, and was open to talks]." What is left
    is the first clause, whole; each conjunct is a claim of its own (polarity.py judges
    where: "or" and a conjunct under a negation never go)."""
    if token.dep_ != "conj" or token.pos_ not in {"VERB", "AUX"}:
        return None
    if token.head.pos_ not in {"VERB", "AUX"} or token.head.i > token.i:
        return None
    if any(c.dep_ == "conj" and c.i > token.right_edge.i for c in token.head.children):
        return None  # a later conjunct would be left to the first ("..., the radio and on ...")
    start = token.left_edge.i - 1
    if start <= token.head.i or doc[start].dep_ != "cc" or doc[start].lower_ not in {"and", "but"}:
        return None
    if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children):
        # A verb phrase sharing the subject: "and" joins two claims, each of its own ("Police
        # raided the house [and found 54 dogs]"); "but" may take back what the first implies
        # ("was due to be signed off[, but was delayed]"), and a first verb with nothing of
        # its own shares what follows the second ("designed [and built] the bridge").
        # Only two conjuncts ("to open windows, stay indoors and avoid going outside" would
        # be left a list without its "and"), joined as the parser says, of one form
        # ("speaking ... with the candidate and shadow foreign secretary" is a misreading),
        # and no means of its head ("by holding his son up and later cropping himself out").
        head = token.head
        own = [c for c in head.children if head.i < c.i < start and not c.is_punct]
        conjuncts = [c for c in head.children if c.dep_ == "conj"]
        if (
            doc[start].lower_ != "and"
            or not own
            or head.dep_ in {"conj", "pcomp"}
            or conjuncts != [token]
            or doc[start].head.i != head.i
            or _form(token) != _form(head)
        ):
            return None
    if doc[start - 1].text == ",":
        start -= 1
    elif is_dash(doc[start - 1]):  # an aside closes right before it: both go
        opening = [t.i for t in doc[: start - 1] if is_dash(t)]
        start = opening[-1] if opening else start
    return start, token.right_edge.i + 1


def _form(verb: Any) -> str:
    """A verb's form: finite (a tense or an auxiliary), or its tag ("VB", "VBG", "VBN")."""
    finite = verb.tag_ in {"VBD", "VBZ", "VBP", "MD"} or any(
        c.dep_ in {"aux", "auxpass"} for c in verb.children
    )
    return "finite" if finite else verb.tag_


def _ends_clause(doc: Any, start: int) -> bool:
    """The words before `start` may close the sentence: no comma or dash is left hanging,
    not even inside a closing quotation mark or bracket."""
    i = start - 1
    while i > 0 and doc[i].text in _ENDS_CLAUSE:
        i -= 1
    return not doc[i].is_punct


@dataclasses.dataclass(frozen=True)
class Deletions:
    """What a sentence allows to go: [start, end) spans, and the jumps no chain of them may
    make, (start, next kept word): a comma that closed a run of asides, all of which went
    ("Brian Wright[, 55, of Kempston], told")."""

    spans: list[tuple[int, int]]
    barred: frozenset[tuple[int, int]] = frozenset()


def deletable_spans(doc: Any, protected: ProtectedWords) -> list[tuple[int, int]]:
    """Deletable [start, end) spans. The closing punctuation always stays."""
    return deletions(doc, protected).spans


def deletions(doc: Any, protected: ProtectedWords) -> Deletions:
    """The deletable spans of a parsed sentence and the jumps barred between them."""
    polarity = polarities(doc)
    keep = protection(doc, protected)
    candidates: list[tuple[int, int] | None] = list(dash_asides(doc))  # asides: any polarity
    for token in doc:
        span = _second_clause(doc, token)
        if span is None and _deletable(token, protected.attribution_verbs):
            span = _set_off(doc, token)
        if span is not None and polarity[token.i] != UP and not _is_aside(token):
            span = None  # deleting it would make the claim stronger, not more general
        verb = token.head.head
        reporting = verb.i == token.i - 1 and verb.pos_ == "VERB" and token.head.dep_ == "ccomp"
        if token.lower_ == "that" and token.dep_ == "mark" and reporting and _subject_next(token):
            span = (token.i, token.i + 1)  # "said that he would" -> "said he would"
        candidates.append(span)
    spans = {
        span for span in candidates if span is not None and _allowed(doc, span, keep, protected)
    }
    barred = set()
    for run in _runs_of_asides(doc, sorted(spans)):
        spans -= set(run)
        spans |= {s for s in _run_spans(doc, run) if _allowed(doc, s, keep, protected)}
        end = run[-1][1]
        if doc[end - 1].text == ",":
            barred.add((run[0][0], end - 1))
    return Deletions(sorted(spans), frozenset(barred))


def _allowed(doc: Any, span: tuple[int, int], keep: Any, protected: ProtectedWords) -> bool:
    """A candidate span that leaves a sentence: not the closing punctuation or the whole
    sentence, nothing protected, nothing left open or dangling."""
    start, end = span
    n = len(doc)
    if end >= n or (start == 0 and end >= n - 1):
        return False  # never the closing punctuation, never the whole sentence
    if end == n - 1 and not _ends_clause(doc, start):
        return False  # "... has demanded --." or '..."Twilight,".'
    return (
        keep.allows(start, end)
        and _whole_words(doc, start, end)
        and _article_agrees(doc, start, end)
        and not _antecedent_of_a_comparison(doc, start, end)
        and not _opens_what_stays(doc, start, end)
        and not _comma_after_an_opener(doc, start, end)
        and not _half_of_a_correlative(doc, start, end)
        and not _takes_the_clause_after(doc, start, end, protected.attribution_verbs)
        and not _attribution_misread(doc, start, end, protected.attribution_verbs)
        and not _another_time_stays(doc, start, end)
        and not _conjunct_may_be_its_own(doc, start, end)
        and _balanced(doc, start, end)
    )


def _conjunct_may_be_its_own(doc: Any, start: int, end: int) -> bool:
    """[start, end) ends with a clause right before "and"/"or" and a clause with a subject of
    its own, which may be that clause's second half however the parser hung it: "removed
    from the classroom [after she gave students her opinion of Obama] and some parents
    complained" would make the complaint a claim of its own."""
    if end + 1 >= len(doc) or doc[end].lower_ not in {"and", "or"}:
        return False
    clause = any(t.pos_ in {"VERB", "AUX"} and subjects_of(t) for t in doc[start:end])
    conjunct = doc[end].head if doc[end].dep_ == "cc" else None
    second = [c for c in conjunct.children if c.dep_ == "conj"] if conjunct is not None else []
    return clause and any(subjects_of(c) and c.i > end for c in second)


def _runs_of_asides(doc: Any, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Asides that follow each other across the comma they share ("Dr Gibbons, who was a
    GP in Blaengwynfi, in the Upper Afan Valley, before becoming AM, said"), two or more."""
    runs: list[list[tuple[int, int]]] = []
    hosts: list[int] = []
    for span in spans:
        host = _host_of_aside(doc, span)
        if host is None:
            continue
        last = runs[-1][-1] if runs else None
        shares = last is not None and span[0] in {last[1], last[1] - 1} and span[0] > last[0]
        if shares and hosts[-1] == host:
            runs[-1].append(span)
        else:
            runs.append([span])
            hosts.append(host)
    return [run for run in runs if len(run) > 1]


def _host_of_aside(doc: Any, span: tuple[int, int]) -> int | None:
    """The noun an aside opened by a comma is set off from, if `span` is one aside."""
    heads = _phrase_heads(doc, span)
    if doc[span[0]].text != "," or len(heads) != 1 or not _is_aside(heads[0]):
        return None
    return int(heads[0].head.i)


def _run_spans(doc: Any, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """What of a run of asides may go, each aside that stays keeping the comma that opens
    it: all of the run; or any aside with its opening comma, together with the asides after
    it that may say more of it: the parser cannot tell an aside of the noun from one of the
    aside before ("in the Upper Afan Valley" is where Blaengwynfi is, not Dr Gibbons). The
    comma that closes the run stays unless all of it goes (`Deletions.barred`)."""
    end = run[-1][1]
    closing = end - 1 if doc[end - 1].text == "," else end
    starts = [start for start, _ in run]
    spans = [(starts[0], end)]
    for i, start in enumerate(starts):
        last = i + 1
        while last < len(run) and _may_say_more(doc, run[last - 1], run[last]):
            last += 1
        if last < len(run):
            spans.append((start, starts[last]))
        elif i > 0:
            spans.append((start, closing))
    return spans


# What a phrase that modifies a noun hangs on: a preposition, an apposition, a relative
# clause, a participle.
_NOUN_MODIFIERS = frozenset({"prep", "appos", "relcl", "acl"})


def _may_say_more(doc: Any, aside: tuple[int, int], after: tuple[int, int]) -> bool:
    """`after` may modify the last noun of the aside before it ("..., a GP in Blaengwynfi,
    in the Upper Afan Valley"), unlike what follows an age or a clause ("Brian Wright, 55,
    of Kempston", "..., even though ...")."""
    words = [t for t in doc[aside[0] : aside[1]] if not t.is_punct]
    return (
        bool(words)
        and words[-1].pos_ in {"NOUN", "PROPN"}
        and any(
            t.dep_ in _NOUN_MODIFIERS and not _takes_a_clause(t) for t in _phrase_heads(doc, after)
        )
    )


def _phrase_heads(doc: Any, span: tuple[int, int]) -> list[Any]:
    """The words of `span` that hang on a word outside it, punctuation aside."""
    start, end = span
    return [t for t in doc[start:end] if not t.is_punct and not start <= t.head.i < end]


def _takes_a_clause(prep: Any) -> bool:
    """A preposition whose object is a clause ("before moving to Istanbul"): it modifies a
    verb, not a noun."""
    return prep.dep_ == "prep" and any(c.dep_ == "pcomp" for c in prep.children)


_BRACKETS = {"(": ")", "[": "]"}


def _balanced(doc: Any, start: int, end: int) -> bool:
    """[start, end) closes every bracket it opens and opens every one it closes: "(ICUs" may
    not go without its ")"; where the sentence's dashes pair up, it takes both of a pair or
    neither ("data[ on states legalised by 2016— Colorado, ..., Oregon]— and noted")."""
    texts = [t.text for t in doc[start:end]]
    dashes = sum(is_dash(t) for t in doc)
    paired = dashes % 2 == 1 or sum(is_dash(t) for t in doc[start:end]) % 2 == 0
    return paired and all(texts.count(o) == texts.count(c) for o, c in _BRACKETS.items())


# Words that open the phrase or clause after them: a preposition or subordinator, "to", a
# determiner, a conjunction, a possessive, a modal.
_OPENING_TAGS = frozenset({"IN", "TO", "DT", "PDT", "WDT", "CC", "PRP$", "POS", "MD"})


def _opens_what_stays(doc: Any, start: int, end: int) -> bool:
    """[start, end) ends with a word that opens the words after it, which stay: "[Over a
    decade before] George R.R. Martin wrote ..., Ford created ..." would keep the clause
    and lose what made it one (the parser hung the clause elsewhere); or with a verb that
    takes them."""
    if end - start == 1 and doc[start].lower_ == "that":
        return False  # "said [that] he would": the clause needs no "that"
    last = end - 1
    while last > start and doc[last].is_punct:
        last -= 1
    if doc[last].is_punct or doc[end].is_punct:
        return False
    return doc[last].tag_ in _OPENING_TAGS or _verb_without_complement(doc[last], start)


def _half_of_a_correlative(doc: Any, start: int, end: int) -> bool:
    """[start, end) holds one half of "the longer the farce, the better the optics": each
    half says nothing without the other."""

    def comparing(i: int) -> bool:
        return doc[i].lower_ == "the" and i + 1 < len(doc) and doc[i + 1].tag_ in {"JJR", "RBR"}

    inside = any(comparing(i) for i in range(start, end))
    return inside and any(comparing(i) for i in range(len(doc)) if not start <= i < end)


def _comma_after_an_opener(doc: Any, start: int, end: int) -> bool:
    """[start, end) would leave a comma right after a word that opens what follows it:
    "optimism which[ invariably and unaccountably], seems to herald"."""
    before = doc[start - 1] if start > 0 else None
    opener = before is not None and before.tag_ in _OPENING_TAGS | _WH_TAGS
    return opener and end < len(doc) and doc[end].text == ","


def _verb_without_complement(word: Any, start: int) -> bool:
    """A verb that ends a span with nothing of its own after it: the words after the span
    are what it takes, whatever the parser made of them ("[Despite sporting] a corduroy cap
    pulled low ..., Robert Redford cuts")."""
    own = [c for c in word.children if start <= c.i and c.i > word.i and not c.is_punct]
    return word.pos_ == "VERB" and word.tag_ != "VBN" and not own


def _takes_the_clause_after(doc: Any, start: int, end: int, reporting: frozenset[str]) -> bool:
    """[start, end) ends with a noun right before a clause that the parser gave to a verb
    that reports nothing: the clause is the noun's ("backed the report [amid opposition
    claims] he was too bullish"), and would be left to the verb. After a verb of saying the
    clause is that verb's ("said [on Tuesday] he would resign")."""
    if end >= len(doc) or doc[end - 1].pos_ not in NOMINAL or doc[end - 1].is_punct:
        return False
    clause = doc[end].head
    starts_clause = doc[end].dep_ in SUBJECTS and clause.dep_ == "ccomp" and clause.i > end
    return starts_clause and clause.head.lemma_.lower() not in reporting


def _attribution_misread(doc: Any, start: int, end: int, reporting: frozenset[str]) -> bool:
    """[start, end) closes the sentence after a comma and ends with a verb of saying that the
    parser read as a plural noun: ", a new book about the chancellor claims." is who claims
    the sentence, not an apposition."""
    if end != len(doc) - 1 or not (doc[start].text == "," or doc[start - 1].text == ","):
        return False
    word = doc[end - 1].lower_  # a third-person form: "claims", "denies", "confesses"
    third_person = word.endswith("s") and bool((base_forms(word) - {word}) & reporting)
    return doc[end - 1].pos_ != "VERB" and third_person


# Words that name a point in time, which a reader takes for the time of what they stand by.
_WHEN_WORDS = TIME_WORDS | CALENDAR


def _another_time_stays(doc: Any, start: int, end: int) -> bool:
    """[start, end) holds the time of a verb or noun that another date stays with: the one left
    would be read as its time ("rose to 58.6 [last month] from 57.8 in November" would date
    the rise to November)."""
    if doc[start].text == "," and start > 0 and _says_when(doc[start - 1], _WHEN_WORDS):
        return False  # an aside about the date before it: "in 1990[, the year he ...]"
    inside = range(start, end)
    roots = [doc[i] for i in inside if doc[i].head.i not in inside]
    times = [t for r in roots if _is_a_time(r) for t in r.subtree if _says_when(t, TIME_WORDS)]
    dated = {_dated(t) for t in times}
    return bool(dated) and any(
        _says_when(t, CALENDAR) for t in doc if t.i not in inside and _dated(t) in dated
    )


def _is_a_time(phrase: Any) -> bool:
    """A phrase that says when: "on Friday", "last month", and a year after a preposition
    ("in 1990")."""
    years = any(c.dep_ == "pobj" and YEAR.fullmatch(c.text) for c in phrase.children)
    return is_time_phrase(phrase) or years


def _says_when(token: Any, words: frozenset[str]) -> bool:
    """One of `words` as a noun, or a year."""
    if token.pos_ in {"VERB", "AUX"}:
        return False  # "may", "march"
    return token.lower_ in words or YEAR.fullmatch(token.text) is not None


def _dated(token: Any) -> int:
    """The position of the verb or noun a time word dates: "rose [last month]", "rose from
    57.8 [in November]", but "a rise of 2% [in 2019]"."""
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in {"VERB", "AUX", "NOUN", "PROPN"} and token.lower_ not in TIME_WORDS:
            break
    return token.i


def _subject_next(that: Any) -> bool:
    """The clause "that" opens starts with its subject: "says that following an inquiry, four
    were moved" keeps "that", which tells the reader a clause begins."""
    return any(s.left_edge.i == that.i + 1 for s in subjects_of(that.head))


# Words that compare with a set named earlier in the sentence ("four other astronauts").
_COMPARED_WITH_BEFORE = frozenset("other others another fellow remaining else".split())


def _antecedent_of_a_comparison(doc: Any, start: int, end: int) -> bool:
    """[start, end) names something a later word compares with: "The shuttle, carrying
    Culbertson and two cosmonauts, along with four other astronauts, landed" without the
    aside leaves "other" comparing with nothing."""
    names = any(doc[i].pos_ in {"NOUN", "PROPN"} for i in range(start, end))
    return names and any(t.lower_ in _COMPARED_WITH_BEFORE for t in doc[end:])
