"""Where a municipality stands among its peers in a round, and what the host may see: never a
rank, never a name, never a figure about fewer municipalities than ``rounds.min_group``.

Peers are the round's other municipalities with a position in the domain, of the same size
type; when there are fewer than the minimum, all the round's others; when there are still
fewer, nothing is shown. Figures per group are the number of municipalities, the median and
the middle half (first to third quartile) per dimension and how many fall in each type.

A group the minimum hides could still be worked out by subtraction when the round's total
and every other group of the domain are shown: then the smallest shown groups are hidden too
(secondary suppression) until the hidden groups are at least two and together at least the
minimum, so no figure about fewer municipalities follows from the shown ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ktmsc.batch import NO_TYPE, Batch
from ktmsc.labels import counted
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.texts import Lang, t

ALL = "all"  # the group of every municipality of the round
ABOVE, MIDDLE, BELOW = "above", "middle", "below"


@dataclass(frozen=True)
class Spread:
    median: float
    q1: float
    q3: float

    @classmethod
    def of(cls, values: np.ndarray) -> Spread:
        q1, median, q3 = np.percentile(values, [25, 50, 75]).tolist()
        return cls(median, q1, q3)

    def standing(self, value: float) -> str:
        return ABOVE if value > self.q3 else BELOW if value < self.q1 else MIDDLE


@dataclass(frozen=True)
class PeerView:
    """A participant's domain among its peers (the participant itself not among them)."""

    domain: str
    group: str  # the size type compared with, or ALL
    count: int
    spread: dict[str, Spread]  # per dimension
    standing: dict[str, str]  # per dimension: ABOVE, MIDDLE or BELOW the middle half
    points: tuple[tuple[float, float], ...]  # the peers' points, sorted: no order to read anything from


@dataclass(frozen=True)
class GroupFigures:
    """What the host sees of one group in one domain; ``None`` figures are hidden."""

    domain: str
    group: str
    count: int | None
    types: dict[str, int] | None
    spread: dict[str, Spread] | None

    @property
    def hidden(self) -> bool:
        return self.count is None


def placed_rows(batch: Batch, d: int) -> np.ndarray:
    """Which assessments have a position (and so a type) in the domain with index ``d``."""
    return ~np.isnan(batch.score[:, d]).any(axis=1) & (batch.type_index[:, d] != NO_TYPE)


def group_rows(placed: np.ndarray, kinds: np.ndarray, group: str) -> np.ndarray:
    """The placed rows of ``group``: all of them for ALL, else those of that size type."""
    return placed if group == ALL else placed & (kinds == group)


def peer_view(
    questionnaire: Questionnaire, batch: Batch, size_types: Sequence[str], row: int, domain: str
) -> PeerView | None:
    """Row ``row``'s standing in ``domain`` among the others (None without a position or peers)."""
    minimum = questionnaire.model.rounds.min_group
    d = batch.layout.domains.index(domain)
    placed = placed_rows(batch, d)
    if not placed[row]:
        return None
    others = placed.copy()
    others[row] = False
    kinds = np.array(size_types, dtype=object)
    same = others & (kinds == size_types[row])
    for group, chosen in ((size_types[row], same), (ALL, others)):
        count = int(chosen.sum())
        if count >= minimum:
            points = batch.score[chosen, d]
            spread = {dim: Spread.of(points[:, k]) for k, dim in enumerate(batch.layout.dimensions)}
            own = batch.score[row, d]
            return PeerView(
                domain=domain,
                group=group,
                count=count,
                spread=spread,
                standing={dim: spread[dim].standing(float(own[k])) for k, dim in enumerate(batch.layout.dimensions)},
                points=tuple(sorted((float(x), float(y)) for x, y in points.tolist())),
            )
    return None


def overview(questionnaire: Questionnaire, batch: Batch, size_types: Sequence[str]) -> dict[str, list[GroupFigures]]:
    """Per domain: the round as a whole, then each size type, with what the minimum hides."""
    minimum = questionnaire.model.rounds.min_group
    kinds = np.array(size_types, dtype=object)
    order = [s.id for s in questionnaire.size_types]
    present = [s for s in order if s in set(size_types)] + sorted(set(size_types) - set(order))
    result: dict[str, list[GroupFigures]] = {}
    for d, domain in enumerate(batch.layout.domains):
        placed = placed_rows(batch, d)
        groups = [(g, group_rows(placed, kinds, g)) for g in (ALL, *present)]
        counts = {g: int(mask.sum()) for g, mask in groups}
        hidden = {g for g, n in counts.items() if n < minimum}
        parts = [g for g, _ in groups[1:]]
        while ALL not in hidden and _derivable([g for g in parts if g in hidden], counts, minimum):
            shown = [g for g in parts if g not in hidden]
            if not shown:
                break
            hidden.add(min(shown, key=lambda g: (counts[g], g)))
        figures = []
        for group, mask in groups:
            if group in hidden:
                figures.append(GroupFigures(domain, group, None, None, None))
                continue
            points = batch.score[mask, d]
            types = np.bincount(batch.type_index[mask, d], minlength=len(batch.layout.types))
            figures.append(
                GroupFigures(
                    domain=domain,
                    group=group,
                    count=counts[group],
                    types={type_id: int(n) for type_id, n in zip(batch.layout.types, types.tolist(), strict=True)},
                    spread={dim: Spread.of(points[:, k]) for k, dim in enumerate(batch.layout.dimensions)},
                )
            )
        result[domain] = figures
    return result


def _derivable(hidden: list[str], counts: dict[str, int], minimum: int) -> bool:
    """Whether the round's total minus the shown groups would give away a hidden group: one
    group alone, or several that together are still fewer than the minimum."""
    return bool(hidden) and (len(hidden) == 1 or sum(counts[g] for g in hidden) < minimum)


def differing_items(
    questionnaire: Questionnaire,
    batch: Batch,
    rows: np.ndarray | None = None,
    limit: int = 5,
    domain: str | None = None,
) -> list[tuple[str, Spread]]:
    """The questions on which the municipalities (``rows``, default all) differ most: widest
    middle half of the item scores among those who answered, at least the minimum of them;
    with ``domain``, only the questions that count in that domain (its own and the general ones)."""
    minimum = questionnaire.model.rounds.min_group
    scores = batch.item_scores if rows is None else batch.item_scores[rows]
    columns = np.arange(len(batch.layout.items))
    if domain is not None:
        d = batch.layout.domains.index(domain)
        columns = np.flatnonzero(batch.layout.weights[d].any(axis=0))
    answered = (~np.isnan(scores[:, columns])).sum(axis=0)
    columns = columns[answered >= max(minimum, 1)]
    if not len(columns):
        return []
    with np.errstate(all="ignore"):
        q1, median, q3 = np.nanpercentile(scores[:, columns], [25, 50, 75], axis=0)
    found = [
        (batch.layout.items[c].id, Spread(float(m), float(a), float(b)))
        for c, a, m, b in zip(columns.tolist(), q1.tolist(), median.tolist(), q3.tolist(), strict=True)
    ]
    found.sort(key=lambda pair: (-(pair[1].q3 - pair[1].q1), pair[0]))
    return found[:limit]


def standing_text(questionnaire: Questionnaire, view: PeerView, dimension: str, lang: Lang) -> str:
    """One sentence: where the municipality's score on a dimension lies among its peers."""
    names = {d.id: d.name for d in questionnaire.model.dimensions}
    domains = {d.id: d.name for d in questionnaire.model.domains}
    sizes = {s.id: s.name for s in questionnaire.size_types}
    group = t("core.rounds.peers.all", lang) if view.group == ALL else sizes[view.group].get(lang)
    return t(
        f"core.rounds.peers.{view.standing[dimension]}",
        lang,
        domain=domains[view.domain].get(lang),
        dimension=_in_sentence(names[dimension].get(lang), lang),
        peers=counted("core.rounds.peers.count", view.count, lang),
        group=group,
    )


def _in_sentence(name: str, lang: Lang) -> str:
    """A dimension's name inside a sentence: German nouns keep their capital, English ones not."""
    return name if lang == "de" else name[:1].lower() + name[1:]
