"""Whether a source sentence can stand alone as a sentence of the briefing.

A summary sentence is read without the article around it, so it must not lean on what came
before it or speak in someone's own voice. A sentence cannot stand alone when it
- opens with a connective or a phrase that points back ("And so were the two women", "But",
  "That's no longer the case", "Since then", "In it", "For example");
- has a pronoun for its subject ("They lament ...", "It comes a day after ...", "His lawyer
  said"), unless an impersonal "it" ("It is not clear whether ...");
- speaks in the first or second person outside a quotation ("We always have a baby carrier",
  "You can call it Uncharted"), or calls on the reader ("Sign up for ..."): a column's, a
  blog's or a page's voice, not a report;
- is cut: it ends with "…" or a colon, or leaves a quotation open (a teaser, a quote that
  runs into the next sentence), or is no sentence at all (a heading with no full stop);
- repeats a headline of its story (the briefing shows the headline already).

A sentence that only leans on the one before it (the first two kinds) reads as it does in its
article where it follows that sentence: `only_leans_back` tells, and `extract.py` lets such a
sentence into a summary only right after the sentence it follows in its article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefing.summarise.guard import content_words
from briefing.text import QUOTATION, unbalanced_quotation, without_quotations

_CONNECTIVES = (
    "and but so or yet still also however instead then thus therefore hence moreover "
    "furthermore besides plus true indeed otherwise nevertheless nonetheless likewise "
    "similarly meanwhile again nor accordingly consequently additionally regardless"
).split()
_POINTING_BACK = (
    "that's",
    "that is",
    "this is",
    "these are",
    "those are",
    "in it",
    "in each case",
    "in both cases",
    "at the time",
    "at that time",
    "since then",
    "by then",
    "after that",
    "before that",
    "for example",
    "for instance",
    "in addition",
    "as a result",
    "in response",
    "even so",
    "even then",
    "on the other hand",
    "by contrast",
    "in contrast",
    "of course",
    "in other words",
    "in fact",
    "as the year",
    "as such",
    "to that end",
    "the same",
    "such",
)
# Imperatives a page addresses to its reader: "Sign up for ...", "Click here", "Brace yourself".
_CALLS_TO_THE_READER = set(
    "sign subscribe click follow read watch download join share start get see learn find "
    "discover check try visit register listen brace meet imagine consider take".split()
)
_WRITER = {"i", "we", "my", "our"}
_PRONOUN_SUBJECTS = set(
    "he she it they we i you this that these those his her its their our my your others "
    "one both some neither either many most".split()
)
# "It is not clear whether ...", "It is impossible to ...": an "it" that stands for nothing;
# not "It's supposed to be entertaining" (a participle: "it" is something said before).
_IMPERSONAL_IT = re.compile(
    r"^it(?:'s| is| was| has been| had been| remains| remained| seems| seemed| appears"
    r"| appeared| will be| would be)(?: not)?(?: (?:\w+ly|yet|still|also|now))* "
    r"(?:\w+ (?:that|whether|if|how|when|why|what)\b|(?!\w+ed\b)\w+ to\b)",
    re.IGNORECASE,
)
_FIRST_OR_SECOND_PERSON = re.compile(
    r"\b(?:I|I'm|I've|I'd|me|my|myself|we|We|we're|We're|we've|us|our|Our|ourselves|you|You|"
    r"your|Your|you're|yourself|yourselves)\b"
)
_OPENING_PHRASE_PRONOUN = re.compile(
    r"^[^,]{1,60}, (?:he|she|they|it|we|i|you|this|that|these|those)(?:['’]\w+)?\s",
    re.IGNORECASE,
)


def _first_words(sentence: str) -> str:
    """The sentence's start, lower-cased, with any quotation it opens with left out: the
    subject of '"We will rebuild," Macron said' is Macron."""
    return re.sub(r"^[\W_]+", "", QUOTATION.sub("", sentence)).lower()


def why_not_alone(
    sentence: str, headlines: Iterable[str] = (), attributed: bool = False
) -> str | None:
    """Why `sentence` cannot stand alone in a summary, or None where it can. An `attributed`
    sentence (an opinion piece's, which the summary attributes to its writer) may speak in
    its writer's voice."""
    start, first = _opening(sentence)
    if first in _CALLS_TO_THE_READER:
        return f"it is a call to the reader ('{first}')"
    return _leans_back(start, first, attributed) or _flaw(sentence, headlines, attributed)


def only_leans_back(sentence: str, headlines: Iterable[str] = (), attributed: bool = False) -> bool:
    """True when `sentence` cannot stand alone only because it leans on the sentence before
    it (a connective, a phrase that points back, a pronoun subject), so that it reads right
    where it follows that sentence in the summary, as it does in its article."""
    start, first = _opening(sentence)
    return (
        first not in _CALLS_TO_THE_READER
        and _leans_back(start, first, attributed) is not None
        and _flaw(sentence, headlines, attributed) is None
    )


def leans_back_anew(source: str, compression: str) -> str | None:
    """Why `compression` leans on a sentence before it where `source` did not (its opening
    clause went: "[Look for lean proteins that will help you feel full,] so you're less
    tempted"), or None."""
    if _leans_back(*_opening(source), attributed=True) is not None:
        return None
    return _leans_back(*_opening(compression), attributed=True)


def _opening(sentence: str) -> tuple[str, str]:
    start = _first_words(sentence)
    first = re.split(r"[\s,;:]|['’](?:s|re|ll|d|ve|m)\b", start, maxsplit=1)[0]  # "it's" -> "it"
    return start, first


def _leans_back(start: str, first: str, attributed: bool) -> str | None:
    if first in _CONNECTIVES:
        return f"opens with the connective '{first}'"
    phrase = next((p for p in _POINTING_BACK if re.match(re.escape(p) + r"\b", start)), None)
    if phrase:
        return f"opens with '{phrase}', which points back"
    writer = attributed and first in _WRITER  # "I think ...": the attribution names who
    if (first in _PRONOUN_SUBJECTS and not writer and not _IMPERSONAL_IT.match(start)) or (
        _OPENING_PHRASE_PRONOUN.match(start)
    ):
        return "its subject is a pronoun"
    return None


def _flaw(sentence: str, headlines: Iterable[str], attributed: bool) -> str | None:
    """What keeps `sentence` out of a summary wherever it stands."""
    if not attributed and _FIRST_OR_SECOND_PERSON.search(without_quotations(sentence)):
        return "it speaks in the first or second person"
    if sentence.rstrip().endswith(("…", "...", ":")) or unbalanced_quotation(sentence):
        return "it is cut off"
    if not re.search(r"""[.!?]["”’')\]]*$""", sentence.rstrip()):
        return "it is not a full sentence (a heading or a caption)"
    words = set(content_words(sentence))
    for headline in headlines:
        title = set(content_words(headline))
        if words and title and len(words & title) >= 0.8 * max(len(words), len(title)):
            return "it repeats a headline"
    return None
