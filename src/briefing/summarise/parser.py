"""From sentences to deletion plans: the spaCy parse, the spans `deletions.py` allows, and
which kept word may follow which (`adjacency.py`); a sentence the parser misreads keeps every
word. The parser also re-reads compressions, which must parse like the source (`reparse.py`).
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from typing import Any

from briefing.errors import ModelError
from briefing.modelfiles import resolve_model
from briefing.summarise.adjacency import may_follow
from briefing.summarise.claims import ProtectedWords, is_dash
from briefing.summarise.deletions import Deletions, deletions
from briefing.summarise.plan import DeletionPlan, Word, word_bounds
from briefing.summarise.reparse import structure_change
from briefing.summarise.syntax import FINITE_TAGS, NOMINAL, is_finite, subjects_of

# Verbs whose clause may be a bare infinitive: "heard the child scream", "let them go".
_BARE_INFINITIVE_HEADS = frozenset("hear see watch feel notice make let help have bid".split())


def _bare(verb: Any) -> bool:
    """A base-form verb read as a clause with nothing to make it one (no "to", auxiliary or
    conjunction, no verb of perception or causing over it): "In a new case [study] out
    Monday, they detail ..." read "study" so."""
    return (
        verb.dep_ == "ccomp"
        and verb.tag_ == "VB"
        and verb.head.lemma_.lower() not in _BARE_INFINITIVE_HEADS
        and not any(c.dep_ in {"aux", "auxpass", "mark"} for c in verb.children)
    )


def misread(doc: Any) -> str | None:
    """Why the parser has read the sentence badly, so nothing of it is deleted, or None:
    two sentences ("... and Capt. Tom Tennant"), a subject read as a conjunct, a clause
    joined to another by nothing, a clause without a subject, a verb with two subjects or
    direct objects, no verb at its head ("A jet with 155 people on board ditched ..." read
    as a noun phrase), a bare participle as main verb ("..., sending its spire crashing
    down"), or a base-form verb as a clause of its own ("In a new case study out Monday")."""
    sentences = list(doc.sents)
    if len(sentences) > 1:
        return "the parser reads it as two sentences"
    stolen = _stolen_subject(doc)
    if stolen is not None:
        return f"the parser reads '{stolen.text}' as a conjunct, not as the subject after it"
    unjoined = next((t for t in doc if _unjoined(t)), None)
    if unjoined is not None:
        # "launched an attack after it emerged more than a million people turned to food
        # banks": "turned" belongs to "emerged", not to "launched"
        return f"the parser joins '{unjoined.text}' to a clause with nothing between them"
    clauses = (t for t in doc if (t.dep_ in {"ROOT", "ccomp"} and is_finite(t)) or _bare(t))
    orphan = next((t for t in clauses if not subjects_of(t) and not _wh_subject(t)), None)
    if orphan is not None:
        # "... confirmed all of the cats near Victor Avenue, in Melton Mowbray, had ingested
        # the substance": the parser lost the subject of "had ingested".
        return f"the parser finds no subject for '{orphan.text}'"
    stranded = next((t for t in doc if _stranded(t)), None)
    if stranded is not None:
        # "In the videotape lasting roughly one hour bin Laden explains": the parser made
        # "one hour" part of the subject, leaving "lasting" with nothing.
        return f"the parser leaves '{stranded.text}' without the words that follow it"
    doubled = next((t for t in doc if _doubled(t)), None)
    if doubled is not None:
        # "saved him from a badger the size of a large pig": "the size" describes the badger
        return f"the parser gives '{doubled.text}' two subjects or two direct objects"
    root = sentences[0].root
    if root.pos_ not in {"VERB", "AUX"}:
        return f"the parser finds no main verb (it reads '{root.text}' as the head)"
    subordinator = _subordinator(root)
    if subordinator is not None:
        # "When a question was put to Farina about that issue Mr Knop stepped in": the main
        # clause was read as a relative clause of "issue".
        return f"the parser reads the clause '{subordinator.text}' opens as the main one"
    # A past tense the tagger took for a participle still has its subject before it.
    finite = root.tag_ not in {"VBG", "VBN"} or any(
        c.dep_ in {"aux", "auxpass"} or (root.tag_ == "VBN" and c.dep_ == "nsubj" and c.i < root.i)
        for c in root.children
    )
    return None if finite else f"the parser reads the participle '{root.text}' as its main verb"


# Words that open a clause which cannot be a sentence's main clause.
_SUBORDINATORS = frozenset(
    "when whenever while where wherever because although though if unless since after "
    "before until once whereas".split()
)


def _subordinator(root: Any) -> Any:
    """The subordinating word that opens the root's own clause ("When ... was put"), or None;
    a question's "When" opens a main clause."""
    if root.doc[-1].text == "?":
        return None
    opening = root.doc[root.left_edge.i]
    if opening.head.i == root.i and opening.dep_ in {"mark", "advmod"} and opening.i < root.i:
        return opening if opening.lower_ in _SUBORDINATORS else None
    return None


def _stranded(verb: Any) -> bool:
    """A participle modifying a noun that has no word of its own while the words right after
    it belong to something further on: its object or measure was given to another word."""
    if verb.dep_ != "acl" or verb.tag_ not in {"VBG", "VBN"} or any(verb.children):
        return False
    following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if following is None or following.is_punct or following.dep_ in {"cc", "mark"}:
        return False
    return following.head.i > following.i and following.head.i != verb.i


def _stolen_subject(doc: Any) -> Any:
    """A noun read as the second conjunct of a phrase right before a finite verb that has no
    subject of its own: "reply to the claims by Monday and Spain have denied it", where
    "Spain" is the subject of "have denied"; deleting "by Monday and Spain" would give the
    verb another."""
    for verb in doc:
        if verb.dep_ != "conj" or verb.pos_ not in {"VERB", "AUX"} or subjects_of(verb):
            continue
        first = verb.left_edge
        finite = first.tag_ in FINITE_TAGS
        before = doc[first.i - 1] if first.i > 0 else None
        if finite and before is not None and before.dep_ == "conj" and before.pos_ in NOMINAL:
            return before
    return None


def _unjoined(verb: Any) -> bool:
    """A coordinated clause with a subject of its own and neither a conjunction nor a
    punctuation mark before it: no writer joins two clauses so."""
    if verb.dep_ != "conj" or verb.pos_ not in {"VERB", "AUX"} or not subjects_of(verb):
        return False
    start = verb.left_edge.i
    return start > 0 and not (verb.doc[start - 1].is_punct or verb.doc[start - 1].dep_ == "cc")


def _wh_subject(clause: Any) -> bool:
    """ "what it said was an imminent attack": a "what" before the clause is its subject,
    which the parser hangs elsewhere."""
    return any(t.tag_ in {"WP", "WDT"} for t in clause.head.subtree if t.i < clause.i)


def _doubled(verb: Any) -> bool:
    """Two subjects, or a second direct object with no comma before it: the parser's reading
    of a noun phrase that describes the first ("a badger the size of a large pig"). After a
    comma it is an apposition the parser labelled as an object ("raised its rate, its
    second increase")."""
    doc = verb.doc
    # "Charles Lewis, 91, from Calmore, Hampshire said": two subjects; a dateline before a
    # dash is none ("SEOUL -- AlphaGo won").
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    dated = [
        c for c in subjects if any(is_dash(doc[t.i + 1]) for t in c.subtree if t.i + 1 < len(doc))
    ]
    if len(subjects) - len(dated) > 1:
        return True
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return any(
        doc[o.left_edge.i - 1].text != ","
        and (
            any(c.dep_ == "det" for c in o.children) or o.left_edge.i != objects[0].right_edge.i + 1
        )
        for o in objects[1:]
    )  # "held them hostage": a bare noun right after the object is its complement, misnamed


def plan_from_doc(doc: Any, protected: ProtectedWords) -> DeletionPlan:
    """The deletions a parsed sentence allows (and what it protects)."""
    n = len(doc)
    words = tuple(
        Word(
            t.text,
            doc[t.i - 1].whitespace_ if t.i > 0 else "",
            not (t.is_punct or t.is_space),
            t.head.i,
            t.dep_,
        )
        for t in doc
    )
    parsed = misread(doc) is None
    allowed = deletions(doc, protected) if parsed else Deletions([])
    starting: dict[int, list[int]] = {}
    for start, end in allowed.spans:
        starting.setdefault(start, []).append(end)
    # Every word that may come next after position i's word is decided, through any chain of
    # deletions starting there; `adjacency.may_follow` then keeps those that leave nothing
    # dangling after the last kept word (position i - 1).
    chained: list[set[int]] = [set() for _ in range(n + 1)]
    chained[n] = {n}
    for i in range(n - 1, -1, -1):
        chained[i] = {i}
        for end in starting.get(i, []):
            chained[i] |= chained[end]
    reach: list[tuple[int, ...]] = [(n,)] * (n + 1)
    for i in range(n):
        reach[i] = tuple(
            sorted(
                j
                for j in chained[i]
                if j == i or ((i, j) not in allowed.barred and may_follow(doc, i - 1, j))
            )
        )
    low, high = word_bounds(words, reach)
    return DeletionPlan(doc.text, words, tuple(reach), low, high)


def _import_spacy_without_torch() -> Any:
    """spaCy, imported without torch: its thinc layer imports torch whenever it is installed
    (a second or two), though the parser never uses it. Where torch is loaded already
    (the transformers backend), spaCy sees it as usual."""
    blocked = "torch" not in sys.modules
    if blocked:
        sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails at once
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise ModelError("spaCy is not installed; run the README's setup command") from exc
    finally:
        if blocked:
            del sys.modules["torch"]
    return spacy


def _lexicon_adverbs(nlp: Any) -> frozenset[str]:
    """The adverbs the pipeline's lemmatizer knows (WordNet's, in spaCy's English models);
    empty where it has no such table."""
    try:
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(index["adv"])
    except (KeyError, ValueError, AttributeError):
        return frozenset()


class SentenceParser:
    """A spaCy pipeline (tagger, parser, lemmatizer) that turns sentences into deletion plans."""

    def __init__(self, spec: str, protected: ProtectedWords) -> None:
        spacy = _import_spacy_without_torch()
        source = resolve_model(spec)
        try:
            self._nlp = spacy.load(source.name_or_path, exclude=["ner"])
        except OSError as exc:
            raise ModelError(f"cannot load sentence parser {spec!r}: {exc}") from exc
        self.protected = dataclasses.replace(protected, adverbs=_lexicon_adverbs(self._nlp))

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline."""
        return self._nlp

    def plans(self, sentences: list[str]) -> list[DeletionPlan]:
        """The deletion plan of each sentence."""
        return [plan_from_doc(doc, self.protected) for doc in self._nlp.pipe(sentences)]

    def misparsed(
        self, compressions: list[tuple[DeletionPlan, tuple[int, ...]]]
    ) -> list[str | None]:
        """For each (plan, kept positions), why its text parses unlike the source's kept
        words (`reparse.structure_change`), or None where it parses alike."""
        texts = [plan.text_of(kept) for plan, kept in compressions]
        return [
            structure_change(plan, kept, doc)
            for (plan, kept), doc in zip(compressions, self._nlp.pipe(texts), strict=True)
        ]


@functools.cache
def get_parser(spec: str, protected: ProtectedWords) -> SentenceParser:
    """One parser per spec and protected-word lists, per process."""
    return SentenceParser(spec, protected)
