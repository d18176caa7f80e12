"""How alike two articles are, the measure grouping clusters by and continuity compares with.

- meaning: cosine of their embeddings, each the normalised mean of the vectors of its headline
  and of the sentences of its opening words (statements read as the summariser reads them);
- facts: cosine of TF-IDF vectors over the names and numbers they state (in the headline and
  lead, and in the whole text, averaged), with document frequencies from the articles compared.
Blended by `grouping.fact_weight`; dates are applied by the clustering (`grouping.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from briefing.config import GroupingConfig
from briefing.embedding import Encoder, VectorCache, text_cached
from briefing.facts import fact_terms
from briefing.records import Article
from briefing.text import lead, opening_sentences, statement


def headline_and(article: Article, opening: str) -> str:
    """The headline and the opening, the text an article is embedded by."""
    return f"{article.title}. {opening}" if article.title else opening


def lead_text(article: Article, lead_sentences: int) -> str:
    """Headline and lead: where an article names the people and places of its event."""
    return headline_and(article, lead(article.body, lead_sentences))


# Articles embedded together: a month of 50,000 at once held 550,000 text vectors (twice).
EMBEDDING_BLOCK = 1000


def embedding_texts(article: Article, words: int) -> list[str]:
    """What an article's embedding is the mean of: its headline and each sentence that starts
    within its first `words` words, a statement in the form the summariser ranks it in
    (`text.statement`), any other sentence as it is."""
    texts = [article.title] if article.title else []
    texts += [statement(s, i) or s for i, s in opening_sentences(article.body, words)]
    return texts or [article.body]


def article_vectors(
    articles: Sequence[Article],
    encoder: Encoder,
    settings: GroupingConfig,
    cache: VectorCache | None = None,
) -> np.ndarray:
    """Each article's embedding, the normalised mean of its embedding_texts' vectors, cached
    per (article, model, words). With a cache, the texts' own vectors are kept by text too,
    where the summariser finds its candidate sentences' and headlines'."""
    key = f"{encoder.name}|title+sentences{settings.embedding_words}"
    ids = [a.id for a in articles]
    known = cache.embeddings(ids, key) if cache else {}
    missing = [a for a in articles if a.id not in known]
    texts_encoder = text_cached(encoder, cache)
    # A block of articles at a time: their texts' vectors (about ten an article) are held
    # only while their means are taken, so memory does not grow with the inbox.
    for start in range(0, len(missing), EMBEDDING_BLOCK):
        block = missing[start : start + EMBEDDING_BLOCK]
        texts = [embedding_texts(a, settings.embedding_words) for a in block]
        flat = texts_encoder.encode([t for group in texts for t in group])
        ends = np.cumsum([len(group) for group in texts])
        new = {}
        for article, rows in zip(block, np.split(flat, ends[:-1]), strict=True):
            mean = rows.mean(axis=0)
            new[article.id] = (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32)
        if cache:
            cache.save_embeddings(new, key)
        known.update(new)
    return np.stack([known[i] for i in ids]) if ids else np.zeros((0, 1), dtype=np.float32)


def fact_rows(texts: Sequence[str]) -> Any:
    """TF-IDF rows (scipy.sparse, L2-normalised) over the names and numbers each text states.
    The document frequencies come from `texts` themselves: a name every article mentions
    counts little, one that two articles share counts a lot. A text that states none is a row
    of zeros. None when not one text states a name or number.

    The weights are scikit-learn's `TfidfVectorizer(sublinear_tf=True)`: tf 1 + ln(count),
    smoothed idf ln((1 + n) / (1 + df)) + 1, rows L2-normalised (tested against it). Written
    on scipy.sparse because importing scikit-learn costs a second of every run."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    counts: list[int] = []
    for row, text in enumerate(texts):
        for term, count in Counter(fact_terms(text)).items():
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
    if not vocabulary:  # not one name or number in any text
        return None
    frequency = np.bincount(columns, minlength=len(vocabulary))
    idf = np.log((1 + len(texts)) / (1 + frequency)) + 1.0
    values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[columns]
    weights = csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)))
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    return csr_matrix(weights.multiply(1.0 / np.maximum(norms, 1e-300)[:, None]))


def fact_similarity(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of the texts' fact rows (`fact_rows`); 0 where either states none."""
    weights = fact_rows(texts)
    if weights is None:
        return np.zeros((len(texts), len(texts)))
    return np.asarray((weights @ weights.T).toarray())


class Similarity:
    """The similarity stories are clustered by, for any block of pairs of a set of articles:
    embeddings and stated facts, blended. The facts of the headline and lead (what the event
    is) and of the whole text (who else and what figures it names) count alike; their
    document frequencies come from the whole set, whichever pairs are asked for."""

    def __init__(
        self, articles: Sequence[Article], vectors: np.ndarray, settings: GroupingConfig
    ) -> None:
        self.vectors = vectors
        self.weight = settings.fact_weight
        self.facts: list[Any] = []
        if self.weight:
            texts = (
                [lead_text(a, settings.lead_sentences) for a in articles],
                [headline_and(a, a.body) for a in articles],
            )
            self.facts = [rows for rows in map(fact_rows, texts) if rows is not None]

    def block(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """The blended similarity of articles `rows` (indices) to articles `columns`."""
        meaning = np.clip(self.vectors[rows] @ self.vectors[columns].T, -1.0, 1.0)
        if self.weight == 0:
            return meaning
        # In place, one block at a time beside the result.
        blend = np.zeros((len(rows), len(columns)))
        for weights in self.facts:
            blend += (weights[rows] @ weights[columns].T).toarray()
        blend *= self.weight / 2
        blend += (1.0 - self.weight) * meaning
        return blend


def story_similarity(
    articles: Sequence[Article], vectors: np.ndarray, settings: GroupingConfig
) -> np.ndarray:
    """The blended similarity (`Similarity`) of every pair of `articles`."""
    everyone = np.arange(len(articles))
    return Similarity(articles, vectors, settings).block(everyone, everyone)
