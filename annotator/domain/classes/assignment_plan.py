"""Balanced assignment plans: exactly k distinct reviewers per article, loads as even as possible.

Pure: takes ids and returns ids; no Flask, no SQLAlchemy. :mod:`annotator.services.planning`
loads the rows, calls :func:`plan_balanced` and writes the result.

Design decisions:

* **Existing assignments are facts.** They are never moved or removed; they count towards an
  article's k and towards a reviewer's load (across the whole project, not only the articles
  being planned), so planning again after adding articles or reviewers tops up instead of
  starting over. Existing assignments of reviewers outside the pool (e.g. deactivated ones)
  still count towards k: reassigning them is a separate, deliberate act.
* **Reproducible.** The inputs are sorted and de-duplicated first, and every random choice
  comes from ``random.Random(seed)``, whose integer seeding and ``shuffle`` are stable across
  Python versions. The same ids, existing assignments and seed give the same plan.
* **Greedy, then repair.** Articles are handled most-constrained first (fewest eligible
  reviewers, then a seeded random order). Each gets the least-loaded eligible reviewers; ties
  go to the reviewer who has been paired least often with the reviewers already on that article
  (varied pairs make agreement estimates less dependent on one pair of people), then to a
  seeded random order. Without existing assignments the greedy step alone keeps every load
  within one of every other (picking the k least loaded preserves "all loads in {m, m+1}").
* **Optimal balance with existing assignments.** Existing assignments can make the greedy step
  uneven, so a repair step moves new assignments along exchange paths (reviewer u gives article
  a to w, w gives article b to v, ...) while some reviewer carries at least two more than
  another reachable one. The achievable load vectors are the integer points of a base polyhedron
  (degree vectors of a bipartite graph with fixed article degrees), and on such a set a vector is
  *decreasingly minimal* (smallest maximum, then fewest reviewers at it, and so on) exactly when
  no such one-unit move from a load ``x_u`` to a load ``x_v <= x_u - 2`` is feasible
  (A. Frank and K. Murota, "Discrete decreasing minimization, Part I: base-polyhedra with
  applications in network optimization", Mathematics of Operations Research, 2022). So the plan
  is as even as any plan can be; loads differ by at most one whenever that is achievable.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["AssignmentPlan", "PlanError", "plan_balanced"]


class PlanError(ValueError):
    """A plan that cannot be made; ``field`` names the input at fault (``k``, ``reviewers``...)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class AssignmentPlan:
    """The new (article, reviewer) pairs to create, and what the project looks like after.

    ``loads`` holds every pool reviewer's final number of assignments (existing plus new).
    ``over_covered`` lists planned articles that already had more than k reviewers; they get
    no new ones and keep the extra (nothing is ever removed).
    """

    new: tuple[tuple[int, int], ...]
    loads: dict[int, int] = field(default_factory=dict)
    over_covered: tuple[int, ...] = ()

    @property
    def spread(self) -> int:
        """Highest minus lowest final load among pool reviewers (0 for an empty pool)."""
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0

    def new_per_reviewer(self) -> dict[int, int]:
        counts = dict.fromkeys(self.loads, 0)
        for _, reviewer in self.new:
            counts[reviewer] += 1
        return counts


def plan_balanced(
    article_ids: Iterable[int],
    reviewer_ids: Iterable[int],
    k: int,
    *,
    seed: int,
    existing: Iterable[tuple[int, int]] = (),
) -> AssignmentPlan:
    """Plan so that every article in ``article_ids`` has exactly ``k`` distinct reviewers.

    ``reviewer_ids`` is the pool new assignments may go to; ``existing`` holds the project's
    current ``(article, reviewer)`` pairs, which are kept. Raises :class:`PlanError` when ``k``
    is below 1 or above the pool size, or the pool is empty while articles need reviewers.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise PlanError("Reviewers per article must be a whole number of at least 1.", field="k")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise PlanError("The seed must be a whole number.", field="seed")
    articles = sorted(set(article_ids))
    pool = sorted(set(reviewer_ids))
    if articles and not pool:
        raise PlanError("There are no active reviewers to assign.", field="reviewers")
    if k > len(pool) and articles:
        raise PlanError(
            f"k is {k} but there are only {len(pool)} active reviewer(s); "
            "each article needs k different reviewers.",
            field="k",
        )
    state = _State.build(articles, pool, existing)
    rng = random.Random(seed)
    _greedy(state, articles, pool, k, rng)
    _repair(state, pool)
    over = tuple(a for a in articles if state.existing_count[a] > k)
    return AssignmentPlan(
        new=tuple(sorted(state.new)),
        loads={r: state.load[r] for r in pool},
        over_covered=over,
    )


@dataclass
class _State:
    on_article: dict[int, set[int]]  # every reviewer on the article, existing or new
    load: dict[int, int]  # pool reviewers' loads, existing plus new
    held: dict[int, set[int]]  # pool reviewer -> articles given to them by this plan
    pairs: dict[tuple[int, int], int]  # (r1, r2) with r1 < r2 -> articles shared
    new: set[tuple[int, int]]
    existing_count: dict[int, int]  # article -> reviewers it had before this plan

    @classmethod
    def build(cls, articles: list[int], pool: list[int], existing: Iterable[tuple[int, int]]):
        on_article: dict[int, set[int]] = defaultdict(set)
        load = dict.fromkeys(pool, 0)
        for article, reviewer in set(existing):
            on_article[article].add(reviewer)
            if reviewer in load:
                load[reviewer] += 1
        pairs: dict[tuple[int, int], int] = defaultdict(int)
        for reviewers in on_article.values():
            ordered = sorted(reviewers)
            for i, first in enumerate(ordered):
                for second in ordered[i + 1 :]:
                    pairs[first, second] += 1
        for article in articles:
            on_article.setdefault(article, set())
        existing_count = {article: len(on_article[article]) for article in articles}
        return cls(on_article, load, {r: set() for r in pool}, pairs, set(), existing_count)

    def shared(self, reviewer: int, others: Iterable[int]) -> int:
        return sum(self.pairs.get((min(reviewer, o), max(reviewer, o)), 0) for o in others)

    def give(self, article: int, reviewer: int) -> None:
        for other in self.on_article[article]:
            self.pairs[min(reviewer, other), max(reviewer, other)] += 1
        self.on_article[article].add(reviewer)
        self.held[reviewer].add(article)
        self.load[reviewer] += 1
        self.new.add((article, reviewer))

    def move(self, article: int, giver: int, taker: int) -> None:
        """Hand a new assignment from ``giver`` to ``taker`` (pair counts are not updated:
        they only steer tie-breaks during the greedy step)."""
        self.on_article[article].discard(giver)
        self.held[giver].discard(article)
        self.load[giver] -= 1
        self.new.discard((article, giver))
        self.on_article[article].add(taker)
        self.held[taker].add(article)
        self.load[taker] += 1
        self.new.add((article, taker))


def _greedy(
    state: _State, articles: Sequence[int], pool: Sequence[int], k: int, rng: random.Random
) -> None:
    pool_set = set(pool)
    tiebreak = {a: rng.random() for a in articles}

    def eligible_count(article: int) -> int:
        return len(pool_set - state.on_article[article])

    for article in sorted(articles, key=lambda a: (eligible_count(a), tiebreak[a], a)):
        need = k - len(state.on_article[article])
        if need <= 0:
            continue
        order = list(pool)
        rng.shuffle(order)
        rank = {r: i for i, r in enumerate(order)}
        for _ in range(need):
            on = state.on_article[article]
            best = min(
                (r for r in pool if r not in on),
                key=lambda r, on=on: (state.load[r], state.shared(r, on), rank[r]),
            )
            state.give(article, best)


def _repair(state: _State, pool: Sequence[int]) -> None:
    """Apply improving exchange paths until none is left (each strictly lowers sum of squares)."""
    improved = True
    while improved:
        improved = False
        lowest = min(state.load[r] for r in pool) if pool else 0
        for giver in sorted(pool, key=lambda r: (-state.load[r], r)):
            if state.load[giver] < lowest + 2:
                break
            path = _exchange_path(state, pool, giver)
            if path:
                for article, source, target in path:
                    state.move(article, source, target)
                improved = True
                break


def _exchange_path(
    state: _State, pool: Sequence[int], start: int
) -> list[tuple[int, int, int]] | None:
    """Breadth-first search for moves start -> ... -> v with load(v) <= load(start) - 2."""
    limit = state.load[start] - 2
    came_from: dict[int, tuple[int, int]] = {start: (-1, -1)}
    frontier = [start]
    while frontier:
        following: list[int] = []
        for reviewer in frontier:
            for article in sorted(state.held[reviewer]):
                on = state.on_article[article]
                for target in pool:
                    if target in came_from or target in on:
                        continue
                    came_from[target] = (reviewer, article)
                    if state.load[target] <= limit:
                        return _unwind(came_from, target)
                    following.append(target)
        frontier = following
    return None


def _unwind(came_from: dict[int, tuple[int, int]], end: int) -> list[tuple[int, int, int]]:
    steps = []
    node = end
    while came_from[node][0] != -1:
        source, article = came_from[node]
        steps.append((article, source, node))
        node = source
    return steps
