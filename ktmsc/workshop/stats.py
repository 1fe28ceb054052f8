"""The group statistics: quantiles ("type 7"), the spread per axis and the disagreement of an item."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, repeat

from ktmsc.workshop.model import Spread


def quantile(sorted_values: Sequence[float], p: float) -> float:
    """The p-quantile by linear interpolation between sorted values ("type 7")."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("quantile of no values")
    pos = p * (n - 1)
    lower = math.floor(pos)
    upper = min(lower + 1, n - 1)
    a, b = sorted_values[lower], sorted_values[upper]
    return min(max(a + (b - a) * (pos - lower), a), b)


def disagreement(scores: Iterable[float], low: float = 0.0, high: float = 1.0) -> float | None:
    """How far apart the answers are, 0–100; None with fewer than two answers.

    The population standard deviation of the item scores divided by the largest
    possible one, half the item's score range (``high − low``): 0 when all answers
    are equally strong, 100 when half are at the weakest and half at the strongest
    answer. Items whose answers all score the same give 0.
    """
    values = list(scores)
    n = len(values)
    if n < 2:
        return None
    half_range = (high - low) / 2
    if half_range <= 0:
        return 0.0
    # fsum is exact (correctly rounded), so neither the participants' order nor summing each
    # distinct score's squared deviation once per occurrence changes the result; an item's
    # answers have only a few distinct scores, so this is quick for a thousand participants.
    mean = math.fsum(values) / n
    deviations = chain.from_iterable(repeat((v - mean) ** 2, c) for v, c in Counter(values).items())
    sd = math.sqrt(math.fsum(deviations) / n)
    return min(100.0, 100 * sd / half_range)


def spread_of(values: list[float]) -> Spread:
    """Quartiles, min and max of one axis's scores."""
    values = sorted(values)
    return Spread(q1=quantile(values, 0.25), q3=quantile(values, 0.75), min=values[0], max=values[-1])
