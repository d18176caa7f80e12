"""A light language guess from function words: enough to flag a non-English source."""

from __future__ import annotations

import re

_FUNCTION_WORDS = {
    "en": "the and of to in is that for on with was as by it at from said has have",
    "de": "der die und das ist nicht mit den von zu im auf für sich dem ein eine auch",
    "fr": "le la les et des est une pour que dans du sur par pas qui au avec sont",
    "es": "el la los las y de que en un una por con para es se del al como",
    "it": "il la di che e per un una con del della sono non gli alla nel",
    "nl": "de het een en van is dat op te in voor met niet zijn aan ook",
    "ru": "и в не на что с по как это он она к из за от для",
}
_WORDS = {lang: set(words.split()) for lang, words in _FUNCTION_WORDS.items()}
# Fewer words than this cannot be told apart (a headline); more than this add nothing.
MIN_WORDS, MAX_WORDS = 20, 2000


def detect_language(text: str) -> str:
    """ISO 639-1 code of the most likely language, 'en' when too little text to tell."""
    tokens = re.findall(r"[^\W\d_]+", text.lower())[:MAX_WORDS]
    if len(tokens) < MIN_WORDS:
        return "en"
    scores = {lang: sum(token in words for token in tokens) for lang, words in _WORDS.items()}
    return max(scores, key=lambda lang: scores[lang])
