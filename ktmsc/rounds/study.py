"""The study's read-out: per domain and size type, the median position with its uncertainty.

A research team assesses a stratified sample (:mod:`ktmsc.rounds.sample`), often from the
outside view, and wants more than a median: how sure it is. Two uncertainties are given per
group and dimension, separately, because they have different causes:

- **Sampling**: a distribution-free 90 % confidence interval of the median, from the order
  statistics of the group's scores (ranks n/2 ∓ 1.645·√n/2, rounded outwards): how far the
  median of all municipalities of this size type could lie from the sample's. It assumes a
  simple random sample within the size type, which the stratified draw is.
- **"Don't know"**: the median of the groups' lowest and highest possible scores (every
  unanswered or "don't know" question at its weakest and at its best answer): how far the
  median could move if the open questions were answered.

The round's row ("all municipalities") is the sample as drawn, not weighted back to the
list: with a minimum per size type, small types are over-represented in it. The groups are
those of :func:`ktmsc.rounds.peers.overview`, hidden exactly where it hides them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ktmsc.batch import Batch
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.rounds.peers import group_rows, overview, placed_rows

Z_90 = 1.6449  # the standard normal quantile of a two-sided 90 % interval


@dataclass(frozen=True)
class Uncertain:
    median: float
    sampling: tuple[float, float]  # 90 % confidence interval of the median
    dont_know: tuple[float, float]  # the median with every open answer at its weakest, at its best


@dataclass(frozen=True)
class Estimate:
    """One group in one domain; ``dimensions`` is None where the minimum hides the group."""

    domain: str
    group: str
    count: int | None
    dimensions: dict[str, Uncertain] | None


def median_interval(values: np.ndarray) -> tuple[float, float]:
    """The distribution-free 90 % confidence interval of the median of ``values``."""
    ordered = np.sort(values)
    n = len(ordered)
    half = Z_90 * math.sqrt(n) / 2
    low = max(0, math.floor(n / 2 - half))
    high = min(n - 1, math.ceil(n / 2 + half) - 1)
    return float(ordered[low]), float(ordered[high])


def estimates(questionnaire: Questionnaire, batch: Batch, size_types: Sequence[str]) -> dict[str, list[Estimate]]:
    """Per domain: the round, then each size type, in the order and with the hiding of the host's figures."""
    shown = overview(questionnaire, batch, size_types)
    kinds = np.array(size_types, dtype=object)
    out: dict[str, list[Estimate]] = {}
    for d, domain in enumerate(batch.layout.domains):
        placed = placed_rows(batch, d)
        rows = []
        for figures in shown[domain]:
            if figures.hidden:
                rows.append(Estimate(domain, figures.group, None, None))
                continue
            mask = group_rows(placed, kinds, figures.group)
            dims = {}
            for k, dim in enumerate(batch.layout.dimensions):
                values = batch.score[mask, d, k]
                dims[dim] = Uncertain(
                    median=float(np.median(values)),
                    sampling=median_interval(values),
                    dont_know=(float(np.median(batch.low[mask, d, k])), float(np.median(batch.high[mask, d, k]))),
                )
            rows.append(Estimate(domain, figures.group, int(mask.sum()), dims))
        out[domain] = rows
    return out
