"""Clean a small model's raw output into plain news sentences.

Small chat models wrap answers in headings, lists, hashtags and chat preambles, and stop
mid-sentence at the token budget; none of that belongs in a briefing.
"""

from __future__ import annotations

import re

from briefing.text import split_sentences

# A lead-in before a colon that talks about the answer rather than the news.
_LEAD_IN = re.compile(
    r"^[^:]{0,120}\b(summary|summari[sz]e|sentences?|version|rewrite|rewritten|rephrase[ds]?|"
    r"concise|shorten(ed)?|facts|here is|here's|headline)\b[^:]{0,60}:\s*",
    re.IGNORECASE,
)
_META = re.compile(
    r"\b(as an ai|i hope this|let me know|i cannot|i can't|this summary|these facts|the facts "
    r"(given|provided|above)|the text|the article|original (sentence|meaning)|fewer words|"
    r"rephrased|more concise)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?][\"'”’)]*$")


def clean_output(raw: str, max_sentences: int) -> list[str]:
    """Sentences worth checking, at most `max_sentences`; an unfinished last one is dropped."""
    lines = []
    for line in raw.replace("\r", "").split("\n"):
        line = line.strip()
        if not line or re.match(r"^(#{1,6}\s|[*_=-]{3,}\s*$)", line) or line.endswith(":"):
            continue  # headings, rules, "A more concise version would be:"
        line = re.sub(r"^\s*(?:[-*+•]|\d+[.)])\s+", "", line)  # list markers
        lines.append(line)
    text = " ".join(lines)
    text = re.sub(r"(?<!\w)#\w+", "", text)  # hashtags
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    sentences = []
    seen = set()
    for sentence in split_sentences(text):
        sentence = _LEAD_IN.sub("", sentence.strip())
        if not _TERMINAL.search(sentence) or len(sentence.split()) < 4 or _META.search(sentence):
            continue
        key = sentence.lower()
        if key in seen:
            continue
        seen.add(key)
        sentences.append(sentence[0].upper() + sentence[1:])
    return sentences[:max_sentences]
