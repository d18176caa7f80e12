"""Grouping any number of articles with the stories of one dense clustering, but part by part.

The dense clustering of all the articles at once (kept in tests/dense_clustering.py as the
reference) needs their n x n distances: 5,000 articles 200 MB a copy, a month of a heavy
reader's feeds tens of GB. The same stories come from the pairs that can matter:
1. `close_pairs`: the pairs at most `linking_distance` apart (dates counted), found a block of
   articles at a time in date order, each block against the articles within
   `max_story_days` of it (and those with no date): the work grows with the articles times
   those of a few weeks, never with the square of all of them.
2. The reports are clustered by average linkage within the connected components of their
   pairs within the clustering threshold (and the near-duplicates): average linkage joins
   two clusters only when their mean distance is within the threshold, so some pair of
   them is, and no merge crosses a component.
3. A story of one report joins its closest story of several when their mean distance is
   within the attach threshold: only a story with a member that close can qualify, so only
   those are measured, on the whole story as before. An opinion or analysis piece joins its
   closest report story the same way (within the clustering threshold); the pieces that join
   none are clustered among themselves as the reports were.
Each step decides as the dense clustering does, so the stories are the same
(tests/test_grouping_parts.py); memory follows the largest component, not all articles
(benchmarks/scale.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from briefing.clustering import average_linkage, cluster_distances
from briefing.config import GroupingConfig
from briefing.similarity import Similarity

# Articles compared at a time while looking for close pairs (bounds the temporaries).
BLOCK = 512
# A part up to this size is clustered on its dense distance matrix (scipy's average linkage);
# a larger one by `_sparse_linkage`, whose memory follows its close pairs: a part of 30,000
# articles would need 7 GB dense. Both give the same clusters (tests/test_grouping_parts.py).
MAX_DENSE = 2000
Pair = tuple[int, int, float]  # i < j, their distance


def linking_distance(settings: GroupingConfig) -> float:
    """The largest distance at which two articles can still end up in one story: the
    clustering's, or a lone report's joining its closest story (`attach_threshold`)."""
    attach = 1.0 - settings.attach_threshold if settings.attach_threshold > 0 else 0.0
    return max(1.0 - settings.similarity_threshold, attach)


def close_pairs(
    similarity: Similarity, dates: Sequence[int | None], settings: GroupingConfig
) -> list[Pair]:
    """The pairs of articles at most `linking_distance` apart, dates counted, with their
    distance; each pair once, (i, j) with i < j."""
    limit = linking_distance(settings)
    n = len(dates)
    undated = np.array([i for i in range(n) if dates[i] is None], dtype=np.int64)
    by_day = sorted((day, i) for i, day in enumerate(dates) if day is not None)
    dated = np.array([i for _, i in by_day], dtype=np.int64)
    days = np.array([day for day, _ in by_day], dtype=np.int64)
    pairs: list[Pair] = []

    def compare(rows: np.ndarray, columns: np.ndarray, once: bool) -> None:
        """Pairs of `rows` with `columns`; `once`: both are among the rows of some block, so
        keep (i, j) only from i's side."""
        if not len(rows) or not len(columns):
            return
        distance = cluster_distances(
            similarity.block(rows, columns),
            [dates[j] for j in columns],
            settings,
            row_dates=[dates[i] for i in rows],
        )
        for r, c in np.argwhere(distance <= limit):
            i, j = int(rows[r]), int(columns[c])
            if i < j or (not once and i != j):
                pairs.append((min(i, j), max(i, j), float(distance[r, c])))

    window = settings.max_story_days
    for start in range(0, len(dated), BLOCK):
        rows = dated[start : start + BLOCK]
        low = np.searchsorted(days, days[start] - window, side="left")
        last = days[min(start + BLOCK, len(dated)) - 1]
        high = np.searchsorted(days, last + window, side="right")
        compare(rows, dated[low:high], once=True)
        compare(rows, undated, once=False)  # undated: compared on their words alone
    for start in range(0, len(undated), BLOCK):
        compare(undated[start : start + BLOCK], undated, once=True)
    return pairs


class _Parts:
    """The articles' close pairs and what the steps need of them."""

    def __init__(
        self,
        similarity: Similarity,
        dates: Sequence[int | None],
        settings: GroupingConfig,
        tied: Sequence[tuple[int, int]],
    ) -> None:
        self.similarity = similarity
        self.dates = dates
        self.settings = settings
        self.tied = tied
        self.pairs = close_pairs(similarity, dates, settings)

    def distances(self, rows: Sequence[int], columns: Sequence[int]) -> np.ndarray:
        """The distances (dates counted) of articles `rows` to articles `columns`."""
        return cluster_distances(
            self.similarity.block(np.asarray(rows), np.asarray(columns)),
            [self.dates[j] for j in columns],
            self.settings,
            row_dates=[self.dates[i] for i in rows],
        )

    def neighbours(self, group: set[int], limit: float) -> dict[int, list[int]]:
        """For each article of `group`, the articles of `group` at most `limit` from it."""
        found: dict[int, list[int]] = {}
        for i, j, distance in self.pairs:
            if distance <= limit and i in group and j in group:
                found.setdefault(i, []).append(j)
                found.setdefault(j, []).append(i)
        return found

    def cluster(self, members: Sequence[int]) -> list[int]:
        """The reference's `cluster_labels` of the articles `members` among themselves."""
        group = set(members)
        threshold = 1.0 - self.settings.similarity_threshold
        near = self.neighbours(group, threshold)
        tied = [(i, j) for i, j in self.tied if i in group and j in group]
        edges = [(i, j) for i, js in near.items() for j in js] + tied
        index = {article: k for k, article in enumerate(members)}
        graph = coo_matrix(
            (
                np.ones(len(edges)),
                ([index[i] for i, _ in edges], [index[j] for _, j in edges]),
            ),
            shape=(len(members), len(members)),
        )
        _, component = connected_components(graph, directed=False)
        labels = [-1] * len(members)
        parts: dict[int, list[int]] = {}
        for k, part in enumerate(component):
            parts.setdefault(int(part), []).append(k)
        next_label = 0
        for part in parts.values():
            part_labels = self._linkage([members[k] for k in part], tied)
            for k, label in zip(part, part_labels, strict=True):
                labels[k] = next_label + label
            next_label += max(part_labels) + 1
        return self._attach(members, labels)

    def _linkage(self, part: list[int], tied: list[tuple[int, int]]) -> list[int]:
        """Average-linkage labels of one component, cut at the clustering threshold."""
        if len(part) == 1:
            return [0]
        if len(part) > MAX_DENSE:
            return self._sparse_linkage(part, tied)
        where = {article: k for k, article in enumerate(part)}
        within = [(where[i], where[j]) for i, j in tied if i in where and j in where]
        return average_linkage(self.distances(part, part), within, self.settings)

    def _sparse_linkage(self, part: list[int], tied: list[tuple[int, int]]) -> list[int]:
        """Average linkage (UPGMA) cut at the clustering threshold, without the dense matrix.
        The closest two clusters are joined while they are within the threshold, as scipy
        does. Only clusters with a close pair between them can be: any other two are farther
        apart than the threshold in every pair, so on average too. Their mean distances are
        kept, updated by Lance-Williams' rule on joining, and measured exactly from the
        articles where one side was not kept."""
        import heapq

        threshold = 1.0 - self.settings.similarity_threshold
        in_part = set(part)
        zero = {(min(i, j), max(i, j)) for i, j in tied if i in in_part and j in in_part}

        def mean_between(xs: list[int], ys: list[int]) -> float:
            block = self.distances(xs, ys)
            x_at = {article: k for k, article in enumerate(xs)}
            y_at = {article: k for k, article in enumerate(ys)}
            for i, j in zero:  # tied pairs are at distance 0, as in the dense clustering
                for x, y in ((i, j), (j, i)):
                    if x in x_at and y in y_at:
                        block[x_at[x], y_at[y]] = 0.0
            return float(block.mean())

        members: dict[int, list[int]] = {i: [i] for i in part}
        gap: dict[int, dict[int, float]] = {i: {} for i in part}  # the mean distances kept
        for i, j, distance in self.pairs:
            if i in in_part and j in in_part and distance <= threshold:
                gap[i][j] = gap[j][i] = distance
        for i, j in zero:
            gap[i][j] = gap[j][i] = 0.0
        heap = [(d, a, b) for a in gap for b, d in gap[a].items() if a < b]
        heapq.heapify(heap)
        while heap:
            d, a, b = heapq.heappop(heap)
            if d > threshold:
                break
            if a not in members or b not in members or gap[a].get(b) != d:
                continue  # a side has joined another cluster since, or the distance changed
            old_a, old_b = members[a], members.pop(b)
            joined: dict[int, float] = {}
            for c in (set(gap[a]) | set(gap[b])) - {a, b}:
                d_ac = gap[a][c] if c in gap[a] else mean_between(old_a, members[c])
                d_bc = gap[b][c] if c in gap[b] else mean_between(old_b, members[c])
                joined[c] = (len(old_a) * d_ac + len(old_b) * d_bc) / (len(old_a) + len(old_b))
            for c in gap.pop(b):
                gap[c].pop(b, None)
            for c in gap[a]:
                gap[c].pop(a, None)
            members[a] = old_a + old_b
            gap[a] = joined
            for c, value in joined.items():
                gap[c][a] = value
                if value <= threshold:
                    heapq.heappush(heap, (value, min(a, c), max(a, c)))
        label_of = {article: k for k, root in enumerate(members) for article in members[root]}
        return [label_of[article] for article in part]

    def _attach(self, members: Sequence[int], labels: list[int]) -> list[int]:
        """The reference's `attach_singletons`, measuring only the stories a lone article has a
        member close enough to."""
        threshold = self.settings.attach_threshold
        if threshold <= 0:
            return labels
        stories, label_of = _stories_of(members, labels)
        near = self.neighbours(set(members), 1.0 - threshold)
        out = dict(label_of)
        for story in [s for s in stories.values() if len(s) == 1]:
            lone = story[0]
            candidates = {label_of[j] for j in near.get(lone, []) if len(stories[label_of[j]]) > 1}
            best = self._closest(lone, candidates, stories)
            if best is not None and 1.0 - best[1] >= threshold:
                out[lone] = best[0]
        return [out[article] for article in members]

    def _closest(
        self, article: int, candidates: set[int], stories: dict[int, list[int]]
    ) -> tuple[int, float] | None:
        """The story among `candidates` with the least mean distance to `article`, and it;
        ties go to the story listed first in `stories` (insertion order: where its first
        member stands), as in the dense clustering."""
        best = None
        first = {label: stories[label][0] for label in candidates}
        for label in sorted(candidates, key=first.__getitem__):
            gap = float(self.distances([article], stories[label]).mean())
            if best is None or gap < best[1]:
                best = (label, gap)
        return best

    def join_pieces(self, news: list[int], news_labels: list[int], pieces: list[int]) -> list[int]:
        """Each piece's news story when it passes the clustering threshold, else -1."""
        stories, label_of = _stories_of(news, news_labels)
        near = self.neighbours(set(news) | set(pieces), 1.0 - self.settings.similarity_threshold)
        joined = []
        for piece in pieces:
            candidates = {label_of[j] for j in near.get(piece, []) if j in label_of}
            best = self._closest(piece, candidates, stories)
            passes = best is not None and 1.0 - best[1] >= self.settings.similarity_threshold
            joined.append(best[0] if best is not None and passes else -1)
        return joined


def _stories_of(
    members: Sequence[int], labels: Sequence[int]
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Each label's articles (labels in the order their first article stands), and each
    article's label."""
    stories: dict[int, list[int]] = {}
    for article, label in zip(members, labels, strict=True):
        stories.setdefault(label, []).append(article)
    return stories, dict(zip(members, labels, strict=True))


def clustered_by_parts(
    similarity: Similarity,
    dates: Sequence[int | None],
    settings: GroupingConfig,
    tied: Sequence[tuple[int, int]],
    views: Sequence[bool],
) -> list[int]:
    """The labels the reference's `cluster_with_views` gives all the articles, computed part by
    part (see the module's docstring)."""
    parts = _Parts(similarity, dates, settings, tied)
    everyone = list(range(len(dates)))
    news = [i for i in everyone if not views[i]]
    pieces = [i for i in everyone if views[i]]
    if not news or not pieces:
        return parts.cluster(everyone)
    labels = [-1] * len(dates)
    news_labels = parts.cluster(news)
    for article, label in zip(news, news_labels, strict=True):
        labels[article] = label
    lone = []
    for piece, label in zip(pieces, parts.join_pieces(news, news_labels, pieces), strict=True):
        if label >= 0:
            labels[piece] = label
        else:
            lone.append(piece)
    if lone:
        first = max(labels) + 1
        for piece, label in zip(lone, parts.cluster(lone), strict=True):
            labels[piece] = first + label
    return labels
