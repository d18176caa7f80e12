"""Distances between articles (dates counted) and average linkage on a dense matrix of them.

`parts.py` groups any number of articles with these, part by part; continuity compares two
stories with `cluster_distances`. tests/dense_clustering.py keeps the whole dense clustering
of all articles at once, which `parts.py` must agree with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from briefing.config import GroupingConfig

# Distance given to pairs outside the date window: larger than any cosine distance (max 2), so
# average linkage never merges clusters that hold such a pair at the configured thresholds.
FORBIDDEN = 1e3
# Rows of the distance matrix given their date penalty at a time (bounds the temporaries).
_ROWS = 512


def average_linkage(
    distance: np.ndarray, tied: Sequence[tuple[int, int]], settings: GroupingConfig
) -> list[int]:
    """Average-linkage labels (from 0) cut at the clustering threshold; `tied` pairs at
    distance 0. Writes over `distance`."""
    for i, j in tied:
        distance[i, j] = distance[j, i] = 0.0
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - settings.similarity_threshold, criterion="distance")
    return [int(x) - 1 for x in labels]


def cluster_distances(
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    row_dates: Sequence[int | None] | None = None,
) -> np.ndarray:
    """Distances between articles: 1 - similarity, plus the penalty for the days between
    dated articles beyond `date_window_days`; forbidden beyond `max_story_days`. Written over
    `similarity`, which the callers need no more: at 5,000 articles a copy costs 200 MB.
    `similarity` may hold some articles' rows only, against all of them: `row_dates` are then
    those rows' dates (default: the matrix is square, its rows are `dates`)."""
    distance = np.subtract(1.0, similarity, out=similarity)
    np.clip(distance, 0.0, None, out=distance)
    known = np.array([d is not None for d in dates])
    day = np.array([d if d is not None else 0 for d in dates], dtype=np.int32)
    rows_known = known if row_dates is None else np.array([d is not None for d in row_dates])
    rows_day = (
        day
        if row_dates is None
        else np.array([d if d is not None else 0 for d in row_dates], dtype=np.int32)
    )
    for start in range(0, len(rows_day), _ROWS):
        rows = slice(start, start + _ROWS)
        apart = np.abs(rows_day[rows, None] - day[None, :]) * (
            rows_known[rows, None] & known[None, :]
        )
        late = np.maximum(0, apart - settings.date_window_days)
        distance[rows] += settings.date_penalty_per_day * late
        distance[rows][apart > settings.max_story_days] = FORBIDDEN
    return distance
