"""What a deletion must keep for the sentence to make the same claim, whatever the polarity.

- Numbers, with their units and qualifiers: "about 300", "$0.03/kWh", "18-24 November",
  "beating France 4-2 in a penalty shootout"; and rates, the unit of a figure wherever the
  parser hangs them ("28,000 flights on an average day", "twice a week", "once a century");
  the base a change is measured from ("grew 3 percent on the previous month"); the period
  of a figure stated in a word ("have doubled over the past year").
- Quotations, whole or not at all.
- The attribution of a claim, wherever it stands in the sentence: a clause whose verb
  reports, finds or rules ("..., a federal appeals court ruled Tuesday", "As Emily Feng
  reports for NPR, ..."), with its subject; "according to X"; "in a statement";
  "citing officials". Without it a ruling or a rumour reads as a fact.
- Restrictive qualifiers, which limit the claim's truth: "within the frameworks of Islamic
  law", "unless the union accepts", "if talks fail", "until Friday", "except", "provided",
  "subject to", a condition without "if" ("Had the warning come an hour earlier, ..."), and
  a "when" clause of a general or future claim ("when you live in Colorado, it is
  impossible to stay inside").
- A negation, modal, hedge or role word goes only together with the word it modifies:
  deleting "when she wasn't touring" whole flips nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from briefing.summarise.syntax import MEASURED, MONTHS, SUBJECTS, YEAR, is_present

_QUOTES = {'"', "“", "”", "``", "''"}
# The parts of a speaker's name or title that stay with it: "David Arakhamia", "the army".
_NAME_PARTS = {"compound", "flat", "det", "poss", "amod", "nmod", "case"}
# Prepositions and conjunctions that open a restrictive qualifier.
RESTRICTIVE_MARKERS = frozenset(
    "within except excepting unless provided providing if until till whether barring lest "
    "absent failing pending".split()
)
# What "under" puts a claim under when the claim holds only by it: "will have to undergo
# tests[, under plans unveiled by the Conservatives]" is a party's plan, not a fact.
_TERMS = frozenset(
    "plan plans proposal proposals scheme schemes rule rules law laws legislation bill bills "
    "deal deals agreement agreements terms treaty contract contracts regulation regulations "
    "guideline guidelines policy policies reform reforms measure measures arrangement "
    "arrangements condition conditions".split()
)
RESTRICTIVE_PHRASES = (
    "as long as",
    "so long as",
    "subject to",
    "but for",
    "in case",
    "on condition",
    "only if",
    "other than",
    "except for",
    "apart from",
    "in return for",
    "in exchange for",
    "on the condition",
    "in the event",
    "in case of",
    "for now",
    "for the time being",
    "for the moment",
    # when it holds: "leap to any vulnerable phone as soon as it is in range"
    "as soon as",
    # what holds only jointly: "Together with speech recognition, they could replace the
    # keyboard" is not "they could replace the keyboard"
    "together with",
    "combined with",
    "in combination with",
    "coupled with",
)
# "when you live in a state as beautiful as Colorado, it is impossible to stay inside", "will
# keep its base after the troops leave": of a general, present or future claim, these
# clauses say when it holds.
CONDITIONAL_WHEN = frozenset("when whenever once after before as".split())
# Nouns of a statement: "in a statement", "in an interview with ...", "in its ruling".
STATEMENT_NOUNS = frozenset(
    "statement interview ruling report filing letter post tweet speech decision opinion "
    "memo complaint lawsuit indictment study survey poll release briefing announcement "
    "press conference testimony affidavit email e-mail message video broadcast".split()
)
# Participles that attribute: "..., citing officials", "quoting a spokesman".
ATTRIBUTING_PARTICIPLES = frozenset("cite quote".split())
_UNITS_AFTER = {"/", "per"}
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december today yesterday tomorrow "
    "morning afternoon evening night weekend week month year time hours days weeks months "
    "years decade decades century centuries day hour minute minutes season quarter spring "
    "summer autumn fall winter".split()
)
# Heads of the phrases a restrictive qualifier may be: modifiers, never the sentence.
_MODIFIERS = {"prep", "advcl", "mark", "advmod", "cc", "npadvmod", "acl", "pcomp", "amod", "acomp"}


@dataclass(frozen=True)
class ProtectedWords:
    """Words a deletion may not remove (lower case), besides numbers, quotes and attribution."""

    negations: frozenset[str]
    modals_and_hedges: frozenset[str]
    attribution_verbs: frozenset[str]  # lemmas: say, tell, rule, find, ...
    role_words: frozenset[str]  # adjectives that change who someone is: former, acting, ...
    # The words the parser's lexicon knows as adverbs (empty: not checked), set by the parser.
    adverbs: frozenset[str] = frozenset()

    @property
    def words(self) -> frozenset[str]:
        """All the protected words, lower-cased."""
        return self.negations | self.modals_and_hedges | self.role_words


@dataclass
class Protection:
    """What a deleted span must respect in one sentence."""

    never: dict[int, str]  # word -> what it is part of ("the attribution of the claim")
    with_head: dict[int, int]  # word -> the word it modifies
    quotes: list[tuple[int, int]]  # [start, end) of each quotation, marks included

    def allows(self, start: int, end: int) -> bool:
        """True if deleting [start, end) removes nothing protected."""
        inside = range(start, end)
        if any(i in self.never for i in inside):
            return False
        if any(self.with_head[i] not in inside for i in inside if i in self.with_head):
            return False
        return all((start <= a and b <= end) or b <= start or end <= a for a, b in self.quotes)


def closing_marks(doc: Any) -> set[int]:
    """The positions of the quotation marks that close a quotation."""
    return {b - 1 for a, b in quotations(doc) if b - 1 > a}


def quotations(doc: Any) -> list[tuple[int, int]]:
    """[start, end) of each quotation, its marks included; an unclosed one runs to the end."""
    single = any(t.text == "‘" for t in doc)  # "Takin’": an apostrophe, unless ‘ opens
    marks = [
        t.i
        for t in doc
        if t.text in _QUOTES
        or (single and t.text in {"‘", "’"})
        or (t.text == "'" and t.tag_ in {"``", "''"})
    ]
    regions = [(a, b + 1) for a, b in zip(marks[::2], marks[1::2], strict=False)]
    if len(marks) % 2:
        regions.append((marks[-1], len(doc)))
    return regions


def is_number(token: Any) -> bool:
    """A number, the sign that makes one ("%", "$"), a multiple ("threefold") or a count in
    words ("hundreds of")."""
    sign = token.text in {"%", "$", "€", "£"}
    fold = bool(_FOLD.fullmatch(token.lower_))
    return bool(token.like_num) or token.tag_ == "CD" or sign or fold or token.lower_ in _COUNTS


# Counts in words: "hundreds of millions of dollars", "dozens of people".
_COUNTS = frozenset("dozens hundreds thousands millions billions".split())
# A multiple written as one word: "threefold", "10-fold".
_FOLD = re.compile(r"(two|three|four|five|six|seven|eight|nine|ten|hundred|\d+)-?fold")


def _number_words(doc: Any) -> set[int]:
    """Numbers and what makes them a figure: unit, qualifier, the date they are part of."""
    keep: set[int] = set()
    for token in doc:
        if not is_number(token) or _date_part(token) or is_nominal_aside(token):
            continue  # a date is a time ("on 29 May", "in 2007"); an age an aside (", 55,")
        keep.add(token.i)
        keep.update(t.i for t in token.children if t.dep_ in {"quantmod", "advmod"})
        if token.dep_ in {"nummod", "quantmod"}:
            keep.add(token.head.i)
        # A unit or month written next to it: "18-24 November", "$0.03/kWh", "30 mph".
        for step in (-1, 1):
            j = token.i + step
            while 0 <= j < len(doc) and doc[j].text in _UNITS_AFTER:
                keep.add(j)
                j += step
            if 0 <= j < len(doc) and doc[j].pos_ in {"NOUN", "PROPN", "SYM"}:
                keep.add(j)
    return keep


def _date_part(number: Any) -> bool:
    """A day or year of a date ("29 May", "March 2014"), or a year alone after a preposition
    ("in 2007"): it says when, as "on Monday" does, and is no figure."""
    if number.head.lower_ in MONTHS and number.dep_ in {"nummod", "compound", "npadvmod"}:
        return True
    return bool(YEAR.fullmatch(number.text)) and number.dep_ == "pobj"


def is_time_phrase(phrase: Any) -> bool:
    """A phrase that only says when: "on Monday", "in weeks", "during the week", and a time
    noun as an adverb ("next year", "Tuesday")."""
    if phrase.dep_ == "npadvmod":
        return phrase.lower_ in TIME_WORDS
    return any(c.dep_ == "pobj" and c.lower_ in TIME_WORDS for c in phrase.children)


_RATE_DETERMINERS = frozenset("a an per each every".split())


def is_rate(phrase: Any) -> bool:
    """ "on an average day", "twice a year", "per month": the unit of a figure, not its
    time ("in a week", "over a month" are durations)."""
    words = {t.lower_ for t in phrase.subtree}
    if not words & TIME_WORDS:
        return False
    if phrase.dep_ == "prep":
        return bool(words & {"average", "per", "typical", "each", "every"})
    # "twice a week", "$5 a day"; not the measure of "a day after", "a year ago".
    head = phrase.head
    next_word = phrase.doc[phrase.right_edge.i + 1 : phrase.right_edge.i + 2].text.lower()
    times = head.lower_ in {"once", "twice", "thrice"}  # "once a century" is a rate
    measure = (head.pos_ in {"ADP", "ADV", "SCONJ"} and not times) or head.lower_ in MEASURED
    measure = measure or next_word in MEASURED  # "a day after"
    return phrase.dep_ == "npadvmod" and not measure and bool(words & _RATE_DETERMINERS)


# Verbs that state a figure in a word: "have doubled over the past year".
_MULTIPLYING_VERBS = frozenset("double triple treble quadruple halve".split())
# Units that make a number a rate or a change: "grew 3 percent", "fell 2 points".
_RATE_UNITS = frozenset("percent cent point points percentage".split())


def _figure_anchors(number: Any) -> list[Any]:
    """The word a figure qualifies when it stands for a result or a change, not for a
    noun's count: "beating France 4-2", "rose to more than 1,200", "fell by 5%"."""
    anchor = number
    while anchor.head.i != anchor.i and (
        anchor.dep_ in {"quantmod", "compound"}
        or (anchor.dep_ == "nummod" and anchor.head.lower_ in _RATE_UNITS)
    ):
        anchor = anchor.head  # "3 percent": the figure is the unit's phrase
    if anchor.dep_ == "pobj" and anchor.head.lower_ in {"to", "by", "from"}:
        return [anchor.head.head]
    # A result after its verb: "up threefold", "ranked sixth" (not "first hosted").
    result = anchor.dep_ == "advmod" and anchor.i > anchor.head.i
    verbal = anchor.dep_ in {"npadvmod", "dobj", "attr", "oprd"} or result
    if verbal and anchor.head.pos_ in {"VERB", "AUX"}:
        return [anchor.head]
    return []


def figure_qualifiers(doc: Any) -> set[int]:
    """Phrases that qualify a figure, on the words it measures, but for the time it was
    reached ("rose to 1,200 on Sunday" may lose "on Sunday"; "beating France 4-2 in a
    penalty shootout" keeps the shootout, "28,000 flights on an average day" its day). The
    time of a state and a period are no mere dates: "was 19 at the time of the bombing",
    "rose 5 % in the year to June" keep them."""
    keep: set[int] = set()
    for token in doc:
        multiplies = (
            token.pos_ == "VERB"
            and token.lemma_.lower() in _MULTIPLYING_VERBS
            and not any(c.dep_ == "prt" for c in token.children)  # "double down"
        )
        if not (is_number(token) or multiplies):
            continue
        chain = {t.i for t in token.ancestors} | {token.i}
        anchors = [token] if multiplies else _figure_anchors(token)
        if anchors and token.head.lower_ in {"to", "by", "from"}:
            anchors.append(token.head)  # "up from $179.1m [in the same period last year]"
        level = token.head.lower_ == "to"  # "raised to A$8.4bn last week": a date
        for anchor in anchors:
            for child in anchor.children:
                if _period(child) and child.i not in chain and not level:
                    keep.update(_without_asides(child))  # "to grow 8% [this year]"
                if child.dep_ != "prep" or child.i in chain:
                    continue
                # A point in time only dates a change ("rose to 1,200 on Sunday"); the time
                # of a state ("was 19 at the time of the bombing") and a period ("in the year
                # to June") bound the figure.
                state = anchor.lemma_.lower() == "be"
                point = child.lower_ in {"on", "at"} and not _base_of_change(child)
                if is_time_phrase(child) and not is_rate(child) and point and not state:
                    continue
                keep.update(_without_asides(child))
    return keep


def _period(phrase: Any) -> bool:
    """A period as a noun phrase: "this year", "last month", "the past week"; a change
    measured over it is measured over nothing else."""
    return phrase.dep_ == "npadvmod" and phrase.lower_ in _MEASURED_PERIODS


# Words that make a time the base a change is measured from, not the time it happened.
_BASE_WORDS = frozenset("previous preceding prior earlier ago same".split())
_PERIODS = frozenset("week month quarter year".split())
_MEASURED_PERIODS = _PERIODS | {"season", "decade"}


def _base_of_change(phrase: Any) -> bool:
    """ "grew 3 percent on the previous month", "up 2 % on a year earlier", "on the
    quarter": what a change is measured against, not when it happened ("on Tuesday")."""
    if {t.lower_ for t in phrase.subtree} & _BASE_WORDS:
        return True
    return any(
        c.dep_ == "pobj"
        and c.lower_ in _PERIODS
        and all(d.dep_ == "det" and d.lower_ in {"the", "a"} for d in c.children)
        for c in phrase.children
    )


DASHES = frozenset({"—", "–", "--"})


def is_dash(token: Any) -> bool:
    """A dash: an em or en dash, "--", or a hyphen with a space on each side, as British news
    writes one ("the name Sam - which could be used for Samuel - being chosen")."""
    if token.text in DASHES:
        return True
    spaced = token.i > 0 and bool(token.doc[token.i - 1].whitespace_) and bool(token.whitespace_)
    return token.text == "-" and spaced


def is_set_off(token: Any) -> bool:
    """A phrase set off by a comma, dash or bracket before it: an aside."""
    start = token.left_edge.i
    if start == 0:
        return False
    before = token.doc[start - 1]
    return before.text in {",", "("} or is_dash(before)


# Asides that are noun phrases, set off by punctuation: both their commas go
# ("Zelensky, who spoke by video, said").
NOMINAL_ASIDES = {"appos", "relcl", "acl"}


def is_nominal_aside(token: Any) -> bool:
    """An apposition or a relative or participial clause set off by punctuation, or a noun's
    phrase set off on both sides, which the commas make non-restrictive ("Anna Reyes, from
    the GMB union, said", "The man, in his 50s, was taken")."""
    if token.dep_ == "prep" and token.head.pos_ in {"NOUN", "PROPN"}:
        doc, end = token.doc, token.right_edge.i + 1
        while end - 1 > token.i and doc[end - 1].text == ",":
            end -= 1  # a comma the parser hung on the phrase
        closed = end < len(doc) and (doc[end].text in {",", ")"} or is_dash(doc[end]))
        return closed and is_set_off(token)
    return token.dep_ in NOMINAL_ASIDES and is_set_off(token)


def _without_asides(phrase: Any) -> set[int]:
    """The words of a phrase but for the asides inside it ("Zelensky[, who spoke by video,]")."""
    words = {t.i for t in phrase.subtree}
    for token in phrase.subtree:
        if token.i != phrase.i and is_nominal_aside(token):
            start, end = token.left_edge.i - 1, token.right_edge.i + 1  # with its punctuation
            words -= set(range(start, end + int(end < len(token.doc) and token.doc[end].is_punct)))
    for a, b in dash_asides(phrase.doc):  # "None of the teams -- the Red Sox, ... --"
        if a > phrase.left_edge.i and b <= phrase.right_edge.i + 1:
            words -= set(range(a, b))
    return words


def dash_asides(doc: Any) -> list[tuple[int, int]]:
    """Asides between a pair of dashes: "neutrality -- something Russia has demanded -- and"."""
    dashes = [t.i for t in doc if is_dash(t)]
    return [(a, b + 1) for a, b in zip(dashes[::2], dashes[1::2], strict=False)]


def _speaker_before(verb: Any) -> set[int]:
    """ ", executives of both companies announced Wednesday": a reporting verb the parser
    left without a subject, after a noun phrase set off by a comma. That phrase (up to eight
    words) names the speaker, and stays with the verb."""
    doc = verb.doc
    if verb.dep_ == "conj":
        return set()  # "called it impressive but said": the first verb's subject is its own
    before = range(verb.i - 1, max(-1, verb.i - 10), -1)
    comma = next((i for i in before if doc[i].text == ","), None)
    if comma is None or comma == verb.i - 1:
        return set()
    phrase = doc[comma + 1 : verb.i]
    if not any(t.pos_ in {"NOUN", "PROPN", "PRON"} for t in phrase):
        return set()
    if any(t.pos_ in {"VERB", "AUX"} or t.dep_ == "cc" for t in phrase):
        return set()  # a clause, not a speaker's name
    return {t.i for t in phrase} | {verb.i}


# Verbs of saying whose object is the one told.
_TOLD_WHOM = frozenset("tell inform assure brief".split())


def _attribution(doc: Any, protected: ProtectedWords) -> set[int]:
    """The words that attribute a claim, wherever they stand."""
    keep: set[int] = set()
    for token in doc:
        lemma, lower = str(token.lemma_).lower(), token.lower_
        # A report's verb: with the claim as its clause ("said the talks would resume"), or
        # a parenthesis with no object of its own ("..., a federal appeals court ruled") or
        # opened by "as" ("as the German described it"); not "ruled it out", not
        # "secondary blasts suggested a bomb".
        deps = {c.dep_ for c in token.children}
        reports = token.pos_ in {"VERB", "AUX"} and "prt" not in deps
        as_told = any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children)
        # "tell" and its kin take the hearer as object: "..., the firm's chief has told BBC
        # News" reports, however the parser hangs it.
        told = lemma in _TOLD_WHOM
        reports = reports and ("ccomp" in deps or "dobj" not in deps or as_told or told)
        if reports and {lemma, lower} & protected.attribution_verbs:
            subjects = [c for c in token.children if c.dep_ in {"nsubj", "csubj"}]
            keep |= _speaker_before(token) if not subjects else set()
            if subjects or token.dep_ in {"ROOT", "parataxis", "ccomp"}:
                keep.add(token.i)
                for subject in subjects:
                    keep.update(_without_asides(subject))
                # "As Emily Feng reports for NPR": the clause's own words name the source.
                keep.update(c.i for c in token.children if c.dep_ in {"mark", "agent"})
        if lemma in ATTRIBUTING_PARTICIPLES and token.tag_ == "VBG":
            keep.update(t.i for t in token.subtree)
        if lower == "according":  # "according to David Arakhamia[, a negotiator,]"
            keep.add(token.i)
            for to in token.children:
                keep.add(to.i)
                for source in to.children:
                    keep.add(source.i)
                    keep.update(c.i for c in source.children if c.dep_ in _NAME_PARTS)
        if token.dep_ == "prep" and lower in {"in", "on", "during"}:
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if any(o.lemma_.lower() in STATEMENT_NOUNS for o in objects):
                keep.update(t.i for t in token.subtree)  # "in a statement released today"
    return keep


def _present_or_modal(verb: Any) -> bool:
    """A general or future claim: a simple present ("it is impossible"), or a modal
    ("will keep", "could"); not a perfect or progressive ("has confirmed", "is moving")."""
    auxiliaries = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ == "MD" for a in auxiliaries):
        return True
    return verb.tag_ in {"VBP", "VBZ"} and not auxiliaries


def _inverted_condition(clause: Any) -> bool:
    """ "Had the warning come earlier, ...", "Should the talks fail, ...": a condition
    without "if", its auxiliary before its subject."""
    first = clause.doc[clause.left_edge.i]
    subjects = [c.i for c in clause.children if c.dep_ in SUBJECTS]
    return (
        first.head.i == clause.i
        and first.dep_ in {"aux", "auxpass"}
        and first.lower_ in {"had", "were", "should"}
        and any(first.i < i < clause.i for i in subjects)
    )


def is_restrictive(token: Any) -> bool:
    """A phrase or clause headed by `token` that limits when the claim is true."""
    if token.dep_ not in _MODIFIERS:
        return False
    if token.dep_ == "advcl" and _inverted_condition(token):
        return True
    start = " ".join(t.lower_ for t in list(token.subtree)[:4])
    if any(start.startswith(phrase) for phrase in RESTRICTIVE_PHRASES):
        return True
    # A marker, or one the parser read as the head of its phrase ("Absent a deal, ...").
    opens = token.dep_ in {"prep", "mark", "cc"} or token.i == token.left_edge.i
    if opens and token.lower_ in RESTRICTIVE_MARKERS:
        return True
    if token.dep_ == "prep" and token.lower_ == "under":
        return any(c.dep_ == "pobj" and c.lower_ in _TERMS for c in token.children)
    if token.dep_ in {"advcl", "prep"} and any(
        c.lower_ == "once" and c.i < token.i for c in token.children
    ):
        return True  # "Once past the welcome message, callers hang up after 65 seconds"
    markers = [c for c in token.children if c.dep_ in {"mark", "advmod"} and c.i < token.i]
    for marker in markers:
        if marker.lower_ in RESTRICTIVE_MARKERS:
            return True
        # "after the troops leave" (a present tense of the future) bounds "will keep its
        # base"; "after Britons voted" (a past event) only dates "would step down".
        auxiliaries = [c for c in token.children if c.dep_ in {"aux", "auxpass"}]
        present = token.tag_ == "VB" or is_present(token)  # "as they are required"
        future = present and not any(a.tag_ in {"VBD", "VBN"} for a in auxiliaries)
        # "once" and "when" state a condition in any tense ("would seek a mandate once a
        # vaccine won approval", reported); "after" and "before" only of the future.
        conditional = marker.lower_ in {"when", "whenever", "once"} or future
        if marker.lower_ in CONDITIONAL_WHEN and conditional and _present_or_modal(token.head):
            return True
    # "but within the frameworks of Islamic law": the conjunction's phrase.
    return token.dep_ == "cc" and any(
        c.lower_ in RESTRICTIVE_MARKERS for c in token.children if c.dep_ == "prep"
    )


def _unknown_adverb(token: Any, adverbs: frozenset[str]) -> bool:
    """An adverb by the parser's reading that is no adverb in the lexicon."""
    if not adverbs or token.dep_ != "advmod" or token.tag_ != "RB":
        return False
    return token.lower_ not in adverbs and not token.is_punct


def protection(doc: Any, protected: ProtectedWords) -> Protection:
    """What deletions must keep in this parsed sentence."""
    never: dict[int, str] = {}
    for kind, words in (
        ("a number, its unit or qualifier", _number_words(doc) | figure_qualifiers(doc)),
        ("the attribution of the claim", _attribution(doc, protected)),
    ):
        never.update(dict.fromkeys(words - never.keys(), kind))
    for token in doc:
        what: str | None = None
        if is_restrictive(token):
            what = f"a restrictive qualifier ('{token.text}')"
        elif token.dep_ in {"prep", "npadvmod"} and is_rate(token):
            what = "the rate of a figure"
        elif _unknown_adverb(token, protected.adverbs):
            # "bettering the record in the 100 metres butterfly": the parser took the end of
            # a noun phrase for an adverb of the verb; its role is unknown, so it stays.
            what = f"a word read as an adverb the lexicon does not know ('{token.text}')"
        if what:
            never.update({t.i: what for t in token.subtree if t.i not in never})
    with_head: dict[int, int] = {}
    for token in doc:
        lower = token.lower_
        negation = token.dep_ == "neg" or lower in protected.negations
        if negation and token.head.pos_ not in {"VERB", "AUX"}:
            # "Not exactly the type ...": it goes with a whole clause or not at all.
            never.setdefault(token.i, f"a negation ('{token.text}')")
        elif negation or lower in protected.words or token.tag_ == "MD":
            with_head[token.i] = token.head.i
    for first, second in _one_date(doc):
        with_head.update(dict.fromkeys((t.i for t in first.subtree), second.i))
        with_head.update(dict.fromkeys((t.i for t in second.subtree), first.i))
    return Protection(never, with_head, quotations(doc))


# A clock time as one token: "11:30am", "5pm", "10.30" (a bare number is no time), or a word.
_CLOCK_WORDS = frozenset("midnight noon midday dawn dusk".split())
_CLOCK = re.compile(r"\d{1,2}([:.]\d\d)?([ap]\.?m\.?)?", re.IGNORECASE)


def _says_when(phrase: Any) -> bool:
    """A point in time: "in November", "last year", "at 11:30am", "yesterday", or a bound at
    one ("by midnight", "until noon"); not a relation to another time ("after weeks of
    fighting")."""
    point = phrase.dep_ == "npadvmod" or (
        phrase.dep_ == "prep" and phrase.lower_ in {"in", "on", "at", "by", "until", "till"}
    )
    if not point:
        return False
    words = list(phrase.subtree)
    clock = any(
        (_CLOCK.fullmatch(t.text) and not t.text.isdigit()) or t.lower_ in _CLOCK_WORDS
        for t in words
    )
    return clock or any(t.lower_ in TIME_WORDS for t in words)


def _one_date(doc: Any) -> list[tuple[Any, Any]]:
    """Time phrases side by side that name one time together: "in November last year", "at
    11:30am yesterday". Each goes with the other or not at all: alone, what is left names
    another time ("in November" of this year; "at 11:30am" of the day the sentence names)."""
    phrases = [t for t in doc if _says_when(t)]
    return [
        (first, second)
        for first in phrases
        for second in phrases
        if second.left_edge.i == first.right_edge.i + 1
    ]
