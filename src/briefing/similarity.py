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
    if missing:
        texts = [embedding_texts(a, settings.embedding_words) for a in missing]
        flat = text_cached(encoder, cache).encode([t for group in texts for t in group])
        ends = np.cumsum([len(group) for group in texts])
        new = {}
        for article, rows in zip(missing, np.split(flat, ends[:-1]), strict=True):
            mean = rows.mean(axis=0)
            new[article.id] = (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32)
        if cache:
            cache.save_embeddings(new, key)
        known.update(new)
    return np.stack([known[i] for i in ids]) if ids else np.zeros((0, 1), dtype=np.float32)


def fact_similarity(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors over the names and numbers each text states. The
    document frequencies come from `texts` themselves: a name every article mentions counts
    little, one that two articles share counts a lot. A text that states none is 0 to all.

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
        return np.zeros((len(texts), len(texts)))
    frequency = np.bincount(columns, minlength=len(vocabulary))
    idf = np.log((1 + len(texts)) / (1 + frequency)) + 1.0
    values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[columns]
    weights = csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)))
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    weights = csr_matrix(weights.multiply(1.0 / np.maximum(norms, 1e-300)[:, None]))
    return np.asarray((weights @ weights.T).toarray())


def story_similarity(
    articles: Sequence[Article], vectors: np.ndarray, settings: GroupingConfig
) -> np.ndarray:
    """The similarity stories are clustered by: embeddings and stated facts, blended. The
    facts of the headline and lead (what the event is) and of the whole text (who else and
    what figures it names) count alike."""
    meaning = np.clip(vectors @ vectors.T, -1.0, 1.0)
    if settings.fact_weight == 0:
        return meaning
    # In place, one n x n matrix at a time beside the result: at 5,000 articles each is 200 MB.
    blend = fact_similarity([lead_text(a, settings.lead_sentences) for a in articles])
    blend += fact_similarity([headline_and(a, a.body) for a in articles])
    weight = settings.fact_weight
    blend *= weight / 2
    blend += (1.0 - weight) * meaning
    return blend
