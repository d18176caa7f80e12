"""Metrics for grouping (pairwise and BCubed P/R/F1) and summaries (unsupported claims, ROUGE)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

from briefing.facts import names_in, numbers_in, quotes_in
from briefing.summarise.guard import SourceFacts


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Precision/recall over all pairs of items put in one cluster."""
    pairs = list(combinations(range(len(gold)), 2))
    pred_pairs = {(i, j) for i, j in pairs if predicted[i] == predicted[j]}
    gold_pairs = {(i, j) for i, j in pairs if gold[i] == gold[j]}
    both = len(pred_pairs & gold_pairs)
    return PRF(
        both / len(pred_pairs) if pred_pairs else 1.0, both / len(gold_pairs) if gold_pairs else 1.0
    )


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """BCubed (Bagga and Baldwin 1998): per-item precision and recall, averaged."""
    n = len(gold)
    if n == 0:
        return PRF(1.0, 1.0)
    precision = recall = 0.0
    for i in range(n):
        same_pred = {j for j in range(n) if predicted[j] == predicted[i]}
        same_gold = {j for j in range(n) if gold[j] == gold[i]}
        correct = len(same_pred & same_gold)
        precision += correct / len(same_pred)
        recall += correct / len(same_gold)
    return PRF(precision / n, recall / n)


@dataclass(frozen=True)
class ClaimCount:
    claims: int = 0
    unsupported: int = 0

    def __add__(self, other: ClaimCount) -> ClaimCount:
        return ClaimCount(self.claims + other.claims, self.unsupported + other.unsupported)

    @property
    def share(self) -> float:
        return self.unsupported / self.claims if self.claims else 0.0


def count_claims(sentences: Sequence[str], facts: SourceFacts) -> ClaimCount:
    """Names, numbers and quotes stated in `sentences`, and how many no source supports."""
    total = ClaimCount()
    for sentence in sentences:
        claims = len(set(names_in(sentence))) + len(numbers_in(sentence)) + len(quotes_in(sentence))
        total += ClaimCount(claims, len(facts.check(sentence).problems))
    return total


def rouge(candidate: str, references: Sequence[str]) -> dict[str, float]:
    """ROUGE-1/2/L F1 against the best-matching reference (rouge-score, with stemming)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    best: dict[str, float] = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for reference in references:
        scores = scorer.score(reference, candidate)
        for key in best:
            best[key] = max(best[key], scores[key].fmeasure)
    return best
