"""The dense clustering of all articles at once, as `briefing` grouped before `parts.py`: the
reference the part-by-part grouping must agree with exactly (tests/test_grouping_parts.py).
Needs the n x n distances, so it is for the labelled corpora only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from briefing.clustering import average_linkage, cluster_distances
from briefing.config import GroupingConfig


def cluster_labels(
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Cluster label per article from their pairwise `similarity`. `dates` are day ordinals,
    None where the text states no date (the file's mtime is no evidence of when the story
    happened); `tied` pairs must share a cluster."""
    n = len(similarity)
    if n == 0:
        return []
    if n == 1:
        return [0]
    distance = cluster_distances(similarity, dates, settings)
    labels = average_linkage(distance, tied, settings)
    return attach_singletons(labels, distance, settings.attach_threshold)


def cluster_with_views(
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]],
    views: Sequence[bool],
) -> list[int]:
    """Cluster labels where opinion and analysis pieces (`views`) never link two events:
    the news reports are clustered among themselves; each piece then joins the story it is
    closest to (average distance, dates counted) when it passes the test two reports of one
    story pass (`similarity_threshold`: not the lone report's lower `attach_threshold`, which
    is for follow-ups of an event), and the pieces that join none are clustered among
    themselves."""
    news = [i for i, view in enumerate(views) if not view]
    pieces = [i for i, view in enumerate(views) if view]
    if not news or not pieces:
        return cluster_labels(similarity, dates, settings, tied)
    # The pieces' rows only, against every article: a square copy would cost as much as the
    # whole matrix.
    distance = cluster_distances(
        similarity[pieces], dates, settings, row_dates=[dates[i] for i in pieces]
    )
    labels = [-1] * len(views)
    for index, label in zip(
        news, _cluster_among(news, similarity, dates, settings, tied), strict=True
    ):
        labels[index] = label
    stories: dict[int, list[int]] = {}
    for index in news:
        stories.setdefault(labels[index], []).append(index)
    lone = []
    for row, piece in enumerate(pieces):
        gaps = {label: float(distance[row, members].mean()) for label, members in stories.items()}
        best = min(gaps, key=gaps.__getitem__)
        if 1.0 - gaps[best] >= settings.similarity_threshold:
            labels[piece] = best
        else:
            lone.append(piece)
    first = max(labels) + 1
    for index, label in zip(
        lone, _cluster_among(lone, similarity, dates, settings, tied), strict=True
    ):
        labels[index] = first + label
    return labels


def _cluster_among(
    group: Sequence[int],
    similarity: np.ndarray,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]],
) -> list[int]:
    """Cluster labels of the articles at `group`'s indices, clustered among themselves."""
    position = {index: k for k, index in enumerate(group)}
    within = [(position[i], position[j]) for i, j in tied if i in position and j in position]
    chosen = list(group)
    return cluster_labels(
        similarity[np.ix_(chosen, chosen)].copy(), [dates[i] for i in chosen], settings, within
    )


def attach_singletons(labels: list[int], distance: np.ndarray, threshold: float) -> list[int]:
    """A story of one article joins the story of several it is closest to (average distance,
    dates included) when their similarity reaches `threshold`: a follow-up or an angle piece
    reads less like its event's reports than they read like each other. 0 turns it off."""
    if threshold <= 0:
        return labels
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    stories = [m for m in members.values() if len(m) > 1]
    out = list(labels)
    for lone in (m[0] for m in members.values() if len(m) == 1):
        if not stories:
            break
        gaps = [float(distance[lone, story].mean()) for story in stories]
        best = int(np.argmin(gaps))
        if 1.0 - gaps[best] >= threshold:
            out[lone] = labels[stories[best][0]]
    return out
