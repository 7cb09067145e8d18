"""Balanced k-per-article plans: coverage, balance, reproducibility, and respect for what exists."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter

import pytest

from annotator.domain.classes.assignment_plan import PlanError, plan_balanced


def reviewers_per_article(pairs):
    per_article: dict[int, list[int]] = {}
    for article, reviewer in pairs:
        per_article.setdefault(article, []).append(reviewer)
    return per_article


def check_plan(plan, articles, pool, k, existing=()):
    every = set(existing) | set(plan.new)
    assert len(every) == len(existing) + len(plan.new), "a new pair duplicates an existing one"
    per_article = reviewers_per_article(every)
    for article in articles:
        on = per_article.get(article, [])
        assert len(on) == len(set(on)), "an article got the same reviewer twice"
        have_before = sum(1 for a, _ in existing if a == article)
        assert len(on) == max(k, have_before)
    assert all(reviewer in pool for _, reviewer in plan.new)
    loads = Counter(reviewer for _, reviewer in every)
    assert plan.loads == {r: loads.get(r, 0) for r in pool}


@pytest.mark.parametrize(
    ("n_articles", "n_reviewers", "k"),
    [(1, 1, 1), (10, 3, 1), (10, 3, 3), (7, 5, 2), (30, 7, 3), (100, 24, 2), (5, 12, 3)],
)
def test_every_article_gets_k_distinct_reviewers_and_loads_differ_by_at_most_one(
    n_articles, n_reviewers, k
):
    articles = list(range(100, 100 + n_articles))
    pool = list(range(1, n_reviewers + 1))
    plan = plan_balanced(articles, pool, k, seed=7)
    check_plan(plan, articles, pool, k)
    assert plan.spread <= 1
    assert sum(plan.loads.values()) == n_articles * k


def test_same_seed_same_plan_whatever_the_input_order():
    articles, pool = list(range(40)), list(range(100, 112))
    first = plan_balanced(articles, pool, 3, seed=2024)
    shuffled_articles, shuffled_pool = articles[::-1], pool[3:] + pool[:3]
    again = plan_balanced(shuffled_articles, shuffled_pool, 3, seed=2024)
    assert first == again


def test_different_seeds_give_different_plans():
    articles, pool = list(range(40)), list(range(100, 112))
    plans = {plan_balanced(articles, pool, 2, seed=s).new for s in range(5)}
    assert len(plans) > 1


def test_pairs_vary_instead_of_repeating_one_team():
    """With 4 reviewers and k=2 there are 6 possible pairs; round-robin would use only 2."""
    plan = plan_balanced(range(12), [1, 2, 3, 4], 2, seed=1)
    pairs = Counter(tuple(sorted(on)) for on in reviewers_per_article(plan.new).values())
    assert len(pairs) == 6
    assert max(pairs.values()) - min(pairs.values()) <= 1


def test_existing_assignments_are_kept_and_topped_up():
    existing = [(1, 10), (1, 11), (2, 10)]
    plan = plan_balanced([1, 2, 3], [10, 11, 12], 2, seed=0, existing=existing)
    check_plan(plan, [1, 2, 3], [10, 11, 12], 2, existing)
    assert not any(article == 1 for article, _ in plan.new)  # article 1 already had 2
    assert plan.spread <= 1


def test_existing_load_elsewhere_in_the_project_counts():
    """Reviewer 10 already reviews 4 other articles, so the new ones go to the others."""
    existing = [(a, 10) for a in range(90, 94)]
    plan = plan_balanced([1, 2, 3, 4], [10, 11, 12], 1, seed=3, existing=existing)
    assert all(reviewer != 10 for _, reviewer in plan.new)
    assert plan.loads == {10: 4, 11: 2, 12: 2}


def test_articles_with_more_than_k_reviewers_are_reported_not_trimmed():
    existing = [(1, 10), (1, 11), (1, 12)]
    plan = plan_balanced([1, 2], [10, 11, 12], 2, seed=0, existing=existing)
    assert plan.over_covered == (1,)
    assert len([p for p in plan.new if p[0] == 2]) == 2


def test_existing_reviewers_outside_the_pool_count_towards_k():
    """A deactivated reviewer's assignment stays and still counts; only active ones get new."""
    plan = plan_balanced([1], [10, 11], 2, seed=0, existing=[(1, 99)])
    assert len(plan.new) == 1
    assert plan.loads[10] + plan.loads[11] == 1


def test_k_equal_to_pool_is_everyone_on_everything():
    plan = plan_balanced([1, 2, 3], [5, 6], 2, seed=0)
    assert set(plan.new) == set(itertools.product([1, 2, 3], [5, 6]))


def test_no_articles_is_an_empty_plan():
    plan = plan_balanced([], [1, 2], 2, seed=0)
    assert plan.new == () and plan.loads == {1: 0, 2: 0}


@pytest.mark.parametrize(
    ("articles", "pool", "k", "field"),
    [
        ([1], [1, 2], 0, "k"),
        ([1], [1, 2], 3, "k"),
        ([1], [], 1, "reviewers"),
        ([1], [1], True, "k"),
    ],
)
def test_impossible_requests_name_the_field(articles, pool, k, field):
    with pytest.raises(PlanError) as info:
        plan_balanced(articles, pool, k, seed=0)
    assert info.value.field == field


def test_seed_must_be_an_integer():
    with pytest.raises(PlanError) as info:
        plan_balanced([1], [1], 1, seed="x")
    assert info.value.field == "seed"


def brute_force_best(articles, pool, k, existing):
    """The decreasingly-minimal load vector over every possible plan (tiny inputs only)."""
    on = reviewers_per_article(existing)
    choices = []
    for article in articles:
        have = set(on.get(article, []))
        need = max(0, k - len(have))
        choices.append(list(itertools.combinations([r for r in pool if r not in have], need)))
    base = Counter(r for _, r in existing)
    best = None
    for combo in itertools.product(*choices):
        loads = Counter(base)
        for chosen in combo:
            loads.update(chosen)
        vector = sorted((loads[r] for r in pool), reverse=True)
        best = vector if best is None or vector < best else best
    return best


@pytest.mark.parametrize("case", range(60))
def test_most_even_possible_when_existing_assignments_are_uneven(case):
    rng = random.Random(case)
    pool = list(range(1, rng.randint(2, 4) + 1))
    articles = list(range(100, 100 + rng.randint(1, 4)))
    k = rng.randint(1, len(pool))
    extra_articles = [200, 201]
    existing = sorted(
        {
            (rng.choice(articles + extra_articles), rng.choice(pool + [99]))
            for _ in range(rng.randint(0, 6))
        }
    )
    plan = plan_balanced(articles, pool, k, seed=case, existing=existing)
    check_plan(plan, articles, pool, k, existing)
    assert sorted(plan.loads.values(), reverse=True) == brute_force_best(
        articles, pool, k, existing
    )


@pytest.mark.parametrize(
    ("articles", "pool", "k", "existing"),
    [
        # Greedy alone leaves loads 1..3 here; the exchange-path repair evens them to all 2.
        (
            [100, 101],
            [1, 2, 3, 4, 5, 6],
            5,
            [
                (100, 1),
                (100, 2),
                (100, 3),
                (101, 2),
                (101, 3),
                (101, 4),
                (101, 5),
                (200, 5),
                (200, 6),
            ],
        ),
        (
            [100, 101, 102],
            [1, 2, 3, 4, 5],
            4,
            [(100, 2), (100, 5), (101, 2), (102, 1), (200, 2), (200, 5), (201, 4)],
        ),
    ],
)
def test_repair_fixes_what_greedy_leaves_uneven(articles, pool, k, existing):
    plan = plan_balanced(articles, pool, k, seed=0, existing=existing)
    check_plan(plan, articles, pool, k, existing)
    assert plan.spread == 0
    assert sorted(plan.loads.values(), reverse=True) == brute_force_best(
        articles, pool, k, existing
    )


def test_large_class_is_quick():
    started = time.perf_counter()
    plan = plan_balanced(range(2000), range(100), 3, seed=11)
    assert time.perf_counter() - started < 10
    assert plan.spread == 0 and len(plan.new) == 6000
