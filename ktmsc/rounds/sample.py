"""A stratified random sample of a round's municipalities by size type, as the publication's
study draws it: reproducible from its seed, proportional to the strata or with a minimum per
stratum.

- **Strata** are the model's size types (a Landkreis in the Kreise' scheme, every other body
  in the Gemeinden'), from each member's population and kind of body.
- **Proportional**: each stratum gets its share of the sample, rounded by the largest
  remainder, so the sizes add up to the sample exactly.
- **Minimum per stratum**: a small stratum is raised to the minimum (or to all its members,
  if it has fewer), and the rest of the sample is shared out proportionally among the
  others. When the minimums alone exceed the sample, the sample grows to hold them; the
  result says so.
- **Reproducible**: members are drawn per stratum with ``random.Random(seed)`` from the list
  sorted by official key, so the same list, size, minimum and seed give the same sample,
  whatever the file's order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from ktmsc.model.questionnaire import Questionnaire
from ktmsc.rounds.roster import Member

NO_SIZE_TYPE = "-"


@dataclass(frozen=True)
class Sample:
    members: tuple[Member, ...]  # sorted by key
    by_stratum: dict[str, tuple[int, int]]  # size type → (drawn, of how many)
    seed: int
    requested: int  # the size asked for; len(members) is larger only when minimums force it


def stratum_of(questionnaire: Questionnaire, member: Member) -> str:
    size_type = questionnaire.size_type_for(member.population, member.body_kind)
    return size_type.id if size_type else NO_SIZE_TYPE


def allocate(sizes: dict[str, int], total: int, minimum: int = 0) -> dict[str, int]:
    """How many to draw from each stratum: ``minimum`` (at most the stratum) first, the rest in
    proportion to the strata's sizes by the largest remainder. Never more than a stratum has."""
    if total < 0 or minimum < 0:
        raise ValueError("the sample size and the minimum cannot be negative")
    population = sum(sizes.values())
    total = min(total, population)
    taken = {s: min(minimum, n) for s, n in sizes.items()}
    left = total - sum(taken.values())
    while left > 0:
        room = {s: sizes[s] - taken[s] for s in sizes if sizes[s] > taken[s]}
        if not room:
            break
        weight = sum(room.values())
        quotas = {s: left * r / weight for s, r in room.items()}
        whole = {s: min(int(q), room[s]) for s, q in quotas.items()}
        rest = left - sum(whole.values())
        order = sorted(room, key=lambda s: (-(quotas[s] - int(quotas[s])), s))
        for s in order:
            if rest <= 0:
                break
            if whole[s] < room[s]:
                whole[s] += 1
                rest -= 1
        for s, n in whole.items():
            taken[s] += n
        given = sum(whole.values())
        if given == 0:
            break
        left -= given
    return taken


def stratified_sample(
    questionnaire: Questionnaire, members: Sequence[Member], size: int, *, seed: int, minimum: int = 0
) -> Sample:
    """Draw ``size`` members (more only when ``minimum`` per stratum requires it)."""
    strata: dict[str, list[Member]] = {}
    for member in sorted(members, key=lambda m: m.key):
        strata.setdefault(stratum_of(questionnaire, member), []).append(member)
    counts = allocate({s: len(ms) for s, ms in strata.items()}, size, minimum)
    rng = random.Random(seed)
    drawn: list[Member] = []
    for stratum in sorted(strata):
        drawn.extend(rng.sample(strata[stratum], counts[stratum]))
    return Sample(
        members=tuple(sorted(drawn, key=lambda m: m.key)),
        by_stratum={s: (counts[s], len(strata[s])) for s in sorted(strata)},
        seed=seed,
        requested=size,
    )
