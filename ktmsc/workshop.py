"""Workshop mode: many participants answer the same questionnaire, the group is aggregated.

Pure core (no Streamlit, no storage): the facilitator's dashboard, the group charts
and the exports all read a :class:`GroupResult` made by :func:`aggregate`.

Decisions, so the dashboard can explain them:

* **Positions.** Every participant is scored once with :func:`ktmsc.scoring.score`
  (the same scoring as a single assessment: general section, chosen domains,
  perspective, population). A participant has a position in a domain when both
  dimension scores exist; the others are listed in ``without_position``.
* **Group point.** The median of the participants' x scores and, separately, of
  their y scores (participants with a position only). The **spread** per axis is
  the interquartile range, quartiles by linear interpolation between the sorted
  values (the common "type 7" definition, as numpy and spreadsheets compute it), plus
  min and max. The **group type** is the type of the median point (thresholds
  from the model, ``high`` from the threshold upwards). **Agreement**: the share of
  participants with a position whose own type is the group type; the group
  ``agrees`` when that share is at least ``model.scoring.agreement_share``. The
  median is **stable** when the IQR box lies in one quadrant (all four corners have
  the same type), **borderline** when it crosses a threshold – the group analogue of
  the single assessment's min–max interval.
* **Progress.** Answered items / asked items, where asked = the items in the
  participant's questionnaire that are visible to them (conditions applied) and
  "don't know" counts as answered (it is a deliberate answer).
* **Item distribution.** Per item of the general section and the chosen domains
  (perspective applied): for the participants the item was shown to (``asked``),
  counts per option in the item's order (multi: how many ticked each option; number:
  per band, ids ``"0"``, ``"1"`` … like the scoring's levers), ``dont_know`` and
  ``unanswered`` (stored answers this version cannot read count as unanswered).
  Participants to whom the item was hidden by a condition are reported in
  ``hidden`` and left out of every denominator.
* **Disagreement** (:func:`disagreement`): the population standard deviation of the
  item scores of the participants who gave an actual answer, divided by half the
  item's score range, times 100. 0 = all answers equally strong; 100 = half at
  the weakest, half at the strongest answer (the largest spread possible). None with
  fewer than 2 answers. "Don't know" is not part of it; its share is a separate
  signal (``dont_know_share``).
* **Agenda.** Items with a disagreement, ranked by it (descending), ties broken by
  more answers, then questionnaire order. Items everyone agrees on (0) stay at the
  end of the list, so the dashboard shows the top N. Each entry names the
  domain × dimension scores it can move and by how many points at most (its
  effective weight as a share of the dimension's total weight, × 100).
* **Participant numbers** are 1-based positions in the list as given (storage passes
  join order); a participant without a pseudonym is shown as "Teilnehmer:in 3".
  Nothing but those labels depends on the order of the list.

Performance: scoring one participant in all six domains takes a few milliseconds, and
the dashboard re-aggregates every few seconds while only some participants have
changed their answers. Slim scores (states and positions, not levers) are therefore
memoised per questionnaire, keyed by the participant's exact answers, domains,
perspective and population, in a bounded LRU cache: an unchanged participant is
not scored again. Everything else is one pass over participants × items.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt

from ktmsc.assessment import Assessment, AssessmentProfile, now
from ktmsc.charts import (
    CHART_HEIGHT,
    Position,
    axis_title,
    finish,
    label_layers,
    place_labels,
    quadrant_base,
    score_scale,
    spec_from_template,
)
from ktmsc.content.schema import DONT_KNOW, GENERAL, Item
from ktmsc.export import answer_id, answer_label, csv_safe, csv_writer
from ktmsc.i18n import Lang
from ktmsc.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.scoring import ItemState, State, effective_weights, item_states, number_band, round_or_none, score
from ktmsc.texts import t

FORMAT = "ktmsc-workshop"
FORMAT_VERSION = 1
SCORE_CACHE_SIZE = 4096  # a slim score is ~6 KB: at most ~25 MB per questionnaire

INK = "#1f2a33"
PARTICIPANT_COLOUR = "#5b4b8a"  # a violet no type uses, so dots never blend into a quadrant tint


# --- input ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """One participant: an id (unique in the workshop), optional pseudonym and role,
    and the answers in the format of :attr:`ktmsc.assessment.Assessment.answers`."""

    id: str
    name: str | None = None
    role: str | None = None
    answers: Mapping[str, Any] = field(default_factory=dict, hash=False)


def participant_label(name: str | None, number: int, lang: Lang) -> str:
    """The pseudonym, or "Teilnehmer:in 3" when there is none. Shown as text, never as HTML."""
    shown = (name or "").strip()
    return shown or t("workshop.participant", lang, number=number)


# --- result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    answered: int  # answered or "don't know"
    dont_know: int
    asked: int  # visible items (conditions applied)

    @property
    def share(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class ParticipantStatus:
    participant: Participant
    number: int  # 1-based position in the list
    progress: Progress


@dataclass(frozen=True)
class ParticipantPoint:
    """One participant's position in one domain."""

    participant_id: str
    number: int
    name: str | None
    x: float
    y: float
    x_interval: tuple[float, float]  # the participant's own min–max ("don't know" at 0 … 1)
    y_interval: tuple[float, float]
    coverage: float
    type_id: str
    stable: bool


@dataclass(frozen=True)
class Spread:
    """Quartiles and range of the participants' scores on one axis."""

    q1: float
    q3: float
    min: float
    max: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


@dataclass(frozen=True)
class GroupDomain:
    domain: str
    points: tuple[ParticipantPoint, ...]
    without_position: tuple[str, ...]  # participant ids
    median: Position | None
    spread: dict[str, Spread]  # by dimension id; empty without points
    type_id: str | None  # the type of the median point
    type_count: int  # participants whose own type is the group type
    agrees: bool
    stable: bool  # the IQR box lies in one quadrant
    possible_types: tuple[str, ...]  # the types the IQR box reaches

    @property
    def count(self) -> int:
        return len(self.points)

    @property
    def type_share(self) -> float | None:
        return self.type_count / len(self.points) if self.points else None


@dataclass(frozen=True)
class OptionCount:
    id: str  # option id; for number items the band index as a string
    count: int


@dataclass(frozen=True)
class ItemStats:
    item_id: str
    section: str
    order: int  # position among the asked items (general section first)
    asked: int  # participants the item was shown to
    answered: int
    dont_know: int
    unanswered: int
    hidden: int  # hidden by a condition: not in any denominator
    options: tuple[OptionCount, ...]
    score_median: float | None
    disagreement: float | None

    @property
    def dont_know_share(self) -> float | None:
        return self.dont_know / self.asked if self.asked else None

    def count(self, option_id: str) -> int:
        return next((o.count for o in self.options if o.id == option_id), 0)


@dataclass(frozen=True)
class Impact:
    """How much an item can move one dimension score of one domain: 100 · w / Σw."""

    domain: str
    dimension: str
    points: float


@dataclass(frozen=True)
class AgendaEntry:
    rank: int  # 1-based
    item_id: str
    section: str
    disagreement: float
    answered: int
    dont_know_share: float | None
    score_median: float | None
    impacts: tuple[Impact, ...]  # largest first

    @property
    def main_impact(self) -> Impact | None:
        return self.impacts[0] if self.impacts else None


@dataclass(frozen=True)
class GroupResult:
    questionnaire_version: str
    domains: tuple[str, ...]
    perspective: str
    population: int | None
    agreement_share: float
    participants: tuple[ParticipantStatus, ...]
    by_domain: dict[str, GroupDomain]
    items: dict[str, ItemStats]  # questionnaire order
    agenda: tuple[AgendaEntry, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "by_domain": {d: _domain_json(g) for d, g in self.by_domain.items()},
            "items": {i: _item_json(s) for i, s in self.items.items()},
            "agenda": [
                {
                    "rank": e.rank,
                    "item": e.item_id,
                    "section": e.section,
                    "disagreement": round(e.disagreement, 1),
                    "answered": e.answered,
                    "dont_know_share": round_or_none(e.dont_know_share, 3),
                    "score_median": round_or_none(e.score_median, 3),
                    "impacts": [
                        {"domain": i.domain, "dimension": i.dimension, "points": round(i.points, 1)} for i in e.impacts
                    ],
                }
                for e in self.agenda
            ],
        }


def _domain_json(group: GroupDomain) -> dict[str, Any]:
    return {
        "count": group.count,
        "without_position": list(group.without_position),
        "median": None if group.median is None else {"x": round(group.median.x, 1), "y": round(group.median.y, 1)},
        "spread": {
            dim: {
                "q1": round(s.q1, 1),
                "q3": round(s.q3, 1),
                "iqr": round(s.iqr, 1),
                "min": round(s.min, 1),
                "max": round(s.max, 1),
            }
            for dim, s in group.spread.items()
        },
        "type": group.type_id,
        "type_share": round_or_none(group.type_share, 3),
        "agrees": group.agrees,
        "stable": group.stable,
        "possible_types": list(group.possible_types),
    }


def _item_json(stats: ItemStats) -> dict[str, Any]:
    return {
        "section": stats.section,
        "asked": stats.asked,
        "answered": stats.answered,
        "dont_know": stats.dont_know,
        "unanswered": stats.unanswered,
        "hidden": stats.hidden,
        "options": {o.id: o.count for o in stats.options},
        "score_median": round_or_none(stats.score_median, 3),
        "disagreement": round_or_none(stats.disagreement, 1),
        "dont_know_share": round_or_none(stats.dont_know_share, 3),
    }


# --- statistics -------------------------------------------------------------------------


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
    values = sorted(scores)  # sorted: the result does not depend on the participants' order
    n = len(values)
    if n < 2:
        return None
    half_range = (high - low) / 2
    if half_range <= 0:
        return 0.0
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / n)
    return min(100.0, 100 * sd / half_range)


def _spread(values: list[float]) -> Spread:
    values = sorted(values)
    return Spread(q1=quantile(values, 0.25), q3=quantile(values, 0.75), min=values[0], max=values[-1])


# --- scoring participants (memoised) ------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    states: Mapping[str, ItemState]
    # domain → (x, y, x_min, x_max, y_min, y_max, coverage, type_id, stable), None without a position
    positions: dict[str, tuple | None]


class _ScoreCache:
    """A small thread-safe LRU of slim scores (Streamlit serves sessions from threads).

    Item states are interned: there are only a few distinct (state, score) pairs, so an
    entry costs little more than its dict of item ids.
    """

    def __init__(self, size: int = SCORE_CACHE_SIZE):
        self.size = size
        self._data: OrderedDict[Any, _Scored] = OrderedDict()
        self._states: dict[ItemState, ItemState] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> _Scored | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: Any, value: _Scored) -> _Scored:
        with self._lock:
            states = {item_id: self._states.setdefault(state, state) for item_id, state in value.states.items()}
            value = _Scored(states, value.positions)
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
            return value


def _fingerprint(answers: Mapping[str, Any]) -> bytes | None:
    """A short digest of the exact answers; None when they cannot be written down.

    The type is part of it: True == 1 == 1.0 in Python, but scoring treats them apart.
    """
    try:
        canonical = repr(sorted((str(k), type(v).__name__, v) for k, v in answers.items()))
    except Exception:  # an answer whose repr fails: score it without the cache
        return None
    return hashlib.blake2b(canonical.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _score_participant(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    domains: tuple[str, ...],
    perspective: str,
    population: int | None,
    reuse: bool,
) -> _Scored:
    fingerprint = _fingerprint(answers) if reuse else None
    cache: _ScoreCache | None = None
    key = (fingerprint, domains, perspective, population)
    if fingerprint is not None:
        cache = questionnaire._cache.setdefault(("workshop", "scores"), _ScoreCache())
        hit = cache.get(key)
        if hit is not None:
            return hit
    result = score(questionnaire, answers, domains, perspective, population, detail=False)
    x_id, y_id = questionnaire.dimension_ids
    positions: dict[str, tuple | None] = {}
    for domain_id, domain in result.domains.items():
        x, y = domain.dimensions[x_id], domain.dimensions[y_id]
        if x.score is None or y.score is None or domain.type_id is None:
            positions[domain_id] = None
        else:
            positions[domain_id] = (
                x.score,
                y.score,
                x.min,
                x.max,
                y.min,
                y.max,
                domain.coverage,
                domain.type_id,
                domain.stable,
            )
    scored = _Scored(result.states, positions)
    return cache.put(key, scored) if cache is not None else scored


def _chosen_domains(questionnaire: Questionnaire, domains: Iterable[str]) -> tuple[str, ...]:
    wanted = list(domains)
    unknown = [d for d in wanted if d not in questionnaire.domain_ids]
    if unknown:
        raise ValueError(
            f"unknown domains: {', '.join(map(str, unknown))}; expected some of {', '.join(questionnaire.domain_ids)}"
        )
    return tuple(questionnaire.ordered_domains(wanted))


def _check_ids(participants: Sequence[Participant]) -> None:
    seen: set[str] = set()
    for participant in participants:
        if participant.id in seen:
            raise ValueError(f"participant id {participant.id!r} is used twice; ids must be unique in a workshop")
        seen.add(participant.id)


# --- aggregation -----------------------------------------------------------------------------


def _group_domain(
    questionnaire: Questionnaire,
    domain_id: str,
    participants: Sequence[Participant],
    scored: Sequence[_Scored],
) -> GroupDomain:
    x_id, y_id = questionnaire.dimension_ids
    points: list[ParticipantPoint] = []
    without: list[str] = []
    for number, (participant, entry) in enumerate(zip(participants, scored, strict=True), start=1):
        pos = entry.positions.get(domain_id)
        if pos is None:
            without.append(participant.id)
            continue
        x, y, x_min, x_max, y_min, y_max, coverage, type_id, stable = pos
        points.append(
            ParticipantPoint(
                participant.id,
                number,
                participant.name,
                x,
                y,
                (x_min, x_max),
                (y_min, y_max),
                coverage,
                type_id,
                stable,
            )
        )
    if not points:
        return GroupDomain(domain_id, (), tuple(without), None, {}, None, 0, False, False, ())
    spread = {x_id: _spread([p.x for p in points]), y_id: _spread([p.y for p in points])}
    median = Position(quantile(sorted(p.x for p in points), 0.5), quantile(sorted(p.y for p in points), 0.5))
    type_id = questionnaire.classify({x_id: median.x, y_id: median.y}).id
    type_count = sum(1 for p in points if p.type_id == type_id)
    possible = questionnaire.types_within((spread[x_id].q1, spread[x_id].q3), (spread[y_id].q1, spread[y_id].q3))
    agrees = type_count / len(points) >= questionnaire.model.scoring.agreement_share
    return GroupDomain(
        domain_id,
        tuple(points),
        tuple(without),
        median,
        spread,
        type_id,
        type_count,
        agrees,
        len(possible) == 1,
        possible,
    )


def _tally_items(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    scored: Sequence[_Scored],
    domains: tuple[str, ...],
    perspective: str,
    population: int | None,
) -> tuple[dict[str, ItemStats], dict[str, list[float]], list[Progress]]:
    """One pass over items × participants: item statistics, the raw values of number
    items (for the group answer) and every participant's progress."""
    stats: dict[str, ItemStats] = {}
    numbers: dict[str, list[float]] = {}
    answers = [p.answers for p in participants]
    states = [s.states for s in scored]
    n = len(participants)
    asked_by = [0] * n
    answered_by = [0] * n
    dont_know_by = [0] * n
    answered_state, dont_know_state, hidden_states = State.ANSWERED, State.DONT_KNOW, (State.IMPLIED, State.PENDING)
    order = 0
    for section_id in (GENERAL, *domains):
        for item in questionnaire.items_for(section_id, perspective):
            if item.type == "number":
                option_ids = [str(i) for i in range(len(item.bands))]
            else:
                option_ids = [o.id for o in item.options]
            index = {option_id: i for i, option_id in enumerate(option_ids)}
            counts = [0] * len(option_ids)
            scores: list[float] = []
            values: list[float] = []
            dont_know = unanswered = hidden = 0
            item_id, kind_of_item = item.id, item.type
            for i in range(n):
                state = states[i].get(item_id)
                kind = state.state if state is not None else State.UNANSWERED
                if kind in hidden_states:
                    hidden += 1
                    continue
                asked_by[i] += 1
                if kind is dont_know_state:
                    dont_know += 1
                    answered_by[i] += 1
                    dont_know_by[i] += 1
                elif kind is answered_state:
                    answered_by[i] += 1
                    scores.append(state.score)
                    value = answers[i].get(item_id)
                    if kind_of_item == "single":
                        counts[index[value]] += 1
                    elif kind_of_item == "multi":
                        for option_id in set(value):
                            counts[index[option_id]] += 1
                    else:
                        counts[number_band(item, value, population)] += 1
                        values.append(value)
                else:  # unanswered, or an answer this version cannot read
                    unanswered += 1
            scores.sort()
            low, high = item.min_score, item.max_score
            stats[item_id] = ItemStats(
                item_id=item_id,
                section=section_id,
                order=order,
                asked=len(scores) + dont_know + unanswered,
                answered=len(scores),
                dont_know=dont_know,
                unanswered=unanswered,
                hidden=hidden,
                options=tuple(OptionCount(o, c) for o, c in zip(option_ids, counts, strict=True)),
                score_median=quantile(scores, 0.5) if scores else None,
                disagreement=disagreement(scores, low, high),
            )
            if kind_of_item == "number":
                numbers[item_id] = values
            order += 1
    progress = [Progress(answered=answered_by[i], dont_know=dont_know_by[i], asked=asked_by[i]) for i in range(n)]
    return stats, numbers, progress


def _impacts(questionnaire: Questionnaire, domains: tuple[str, ...], perspective: str) -> dict[str, tuple[Impact, ...]]:
    """Per item: the domain × dimension scores it enters, with the points it can move them."""
    found: dict[str, list[Impact]] = {}
    for domain_id in domains:
        for dim in questionnaire.dimension_ids:
            weighted = effective_weights(questionnaire, domain_id, dim, perspective)
            total = sum(w for _, w in weighted)
            if total <= 0:
                continue
            for item, w in weighted:
                found.setdefault(item.id, []).append(Impact(domain_id, dim, 100 * w / total))
    # Stable sort: ties keep the model's domain order, then the axis order.
    return {item_id: tuple(sorted(impacts, key=lambda i: -i.points)) for item_id, impacts in found.items()}


def _agenda(stats: Mapping[str, ItemStats], impacts: Mapping[str, tuple[Impact, ...]]) -> tuple[AgendaEntry, ...]:
    ranked = sorted(
        (s for s in stats.values() if s.disagreement is not None),
        # Rounded so that float noise in the last digit does not decide a tie.
        key=lambda s: (-round(s.disagreement, 9), -s.answered, s.order),
    )
    return tuple(
        AgendaEntry(
            rank=rank,
            item_id=s.item_id,
            section=s.section,
            disagreement=s.disagreement,
            answered=s.answered,
            dont_know_share=s.dont_know_share,
            score_median=s.score_median,
            impacts=impacts.get(s.item_id, ()),
        )
        for rank, s in enumerate(ranked, start=1)
    )


def _aggregate(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str,
    population: int | None,
    reuse_scores: bool,
) -> tuple[GroupResult, dict[str, list[float]]]:
    participants = list(participants)
    _check_ids(participants)
    chosen = _chosen_domains(questionnaire, domains)
    scored = [
        _score_participant(questionnaire, p.answers, chosen, perspective, population, reuse_scores)
        for p in participants
    ]
    stats, numbers, progress = _tally_items(questionnaire, participants, scored, chosen, perspective, population)
    statuses = tuple(
        ParticipantStatus(p, n, pr) for n, (p, pr) in enumerate(zip(participants, progress, strict=True), start=1)
    )
    by_domain = {d: _group_domain(questionnaire, d, participants, scored) for d in chosen}
    agenda = _agenda(stats, _impacts(questionnaire, chosen, perspective))
    group = GroupResult(
        questionnaire_version=questionnaire.version,
        domains=chosen,
        perspective=perspective,
        population=population,
        agreement_share=questionnaire.model.scoring.agreement_share,
        participants=statuses,
        by_domain=by_domain,
        items=stats,
        agenda=agenda,
    )
    return group, numbers


def aggregate(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    population: int | None = None,
    *,
    reuse_scores: bool = True,
) -> GroupResult:
    """The group's positions, spread, types, agreement, item distributions and agenda.

    ``domains`` are reordered into the model's order; an unknown domain or a participant
    id used twice raises ``ValueError``. ``reuse_scores=False`` bypasses the score
    cache (for measurements; the result is the same).
    """
    return _aggregate(questionnaire, participants, domains, perspective, population, reuse_scores)[0]


# --- the group as one assessment ------------------------------------------------------------


def _closest(candidates: Sequence[tuple[Any, float]], target: float) -> Any:
    """The candidate whose score is closest to ``target``; ties go to the weaker one, then the first."""
    # Rounded so that float noise (0.525 − 0.35 vs 0.7 − 0.525) does not break a real tie.
    best = min(range(len(candidates)), key=lambda i: (round(abs(candidates[i][1] - target), 9), candidates[i][1], i))
    return candidates[best][0]


def _multi_answer(item: Item, stats: ItemStats) -> list[str]:
    """Options ticked by at least half of those who answered.

    * An exclusive option ("none") competes only when it also reaches half (an exact
      half split); then the answer closer to the median score wins, ties to the weaker.
    * When no option reaches half, the most ticked options are added one by one, in
      order of how often they were ticked, as long as each brings the answer's score
      closer to the median; if none does, the weakest answer ("none").
    """
    counts = {o.id: o.count for o in stats.options}
    n = stats.answered
    median = stats.score_median
    plain = [o for o in item.options if not o.exclusive]
    exclusive = [o for o in item.options if o.exclusive]
    half = [o for o in plain if 2 * counts[o.id] >= n]
    half_exclusive = sorted((o for o in exclusive if 2 * counts[o.id] >= n), key=lambda o: -counts[o.id])
    if half:
        chosen = ([o.id for o in half], min(1.0, sum(o.score for o in half)))
        if half_exclusive:
            return _closest([(chosen[0], chosen[1]), ([half_exclusive[0].id], half_exclusive[0].score)], median)
        return chosen[0]
    if half_exclusive:
        return [half_exclusive[0].id]
    picked: list[Any] = []
    total = 0.0
    for option in sorted(plain, key=lambda o: -counts[o.id]):  # stable: option order on ties
        if counts[option.id] == 0:
            break
        candidate = min(1.0, total + option.score)
        if round(abs(candidate - median), 9) < round(abs(total - median), 9):
            picked.append(option)
            total = candidate
    if picked:
        return [o.id for o in sorted(picked, key=item.options.index)]
    if exclusive:
        return [min(exclusive, key=lambda o: o.score).id]
    return [min(plain, key=lambda o: o.score).id]


def _median_answer(item: Item, stats: ItemStats, values: list[float]) -> Any:
    if item.type == "single":
        return _closest([(o.id, o.score) for o in item.options], stats.score_median)
    if item.type == "multi":
        return _multi_answer(item, stats)
    value = statistics.median(values)
    return int(value) if float(value).is_integer() else value


def _profile(profile: AssessmentProfile | Mapping[str, Any] | None, perspective: str) -> AssessmentProfile:
    if profile is None:
        data: dict[str, Any] = {}
    elif isinstance(profile, AssessmentProfile):
        data = profile.model_dump()
    else:
        data = dict(profile)
    return AssessmentProfile.model_validate({**data, "perspective": perspective})


def group_assessment(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    profile: AssessmentProfile | Mapping[str, Any] | None = None,
    *,
    lang: Lang = "de",
) -> Assessment:
    """The group as one ordinary assessment (results page, report, export).

    Per item, among the participants it was shown to:

    * nobody answered and nobody said "don't know" → no answer (unanswered);
    * more "don't know" than answers → "dont_know" (the group does not know; a tie
      goes to the answer, which carries information);
    * otherwise the answer closest to the median of the answers' item scores:
      single → the option whose score is closest to the median (ties: the weaker);
      multi → the options ticked by at least half (see :func:`_multi_answer`);
      number → the median value.

    Answers to follow-ups that the group's own answers hide are dropped, so the
    result reads like one consistent questionnaire. Each item's note (in ``lang``)
    says how many answered, said "don't know" and were asked, and the disagreement.
    The profile's population is used for per-inhabitant numbers; its perspective is
    set to ``perspective``.
    """
    profile_ = _profile(profile, perspective)
    population = profile_.population
    group, numbers = _aggregate(questionnaire, participants, domains, perspective, population, True)
    answers: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for item_id, stats in group.items.items():
        if stats.asked == 0:
            continue
        item = questionnaire.items[item_id]
        notes[item_id] = t(
            "workshop.assessment.note",
            lang,
            answered=stats.answered,
            dont_know=stats.dont_know,
            asked=stats.asked,
            disagreement="–" if stats.disagreement is None else f"{stats.disagreement:.0f}",
        )
        if stats.answered == 0 and stats.dont_know == 0:
            continue
        if stats.dont_know > stats.answered:
            answers[item_id] = DONT_KNOW
        else:
            answers[item_id] = _median_answer(item, stats, numbers.get(item_id, []))
    states = item_states(questionnaire, answers, (GENERAL, *group.domains), perspective, population)
    answers = {k: v for k, v in answers.items() if states[k].visible}
    stamp = now()
    return Assessment(
        questionnaire_version=questionnaire.version,
        profile=profile_,
        domains=list(group.domains),
        answers=answers,
        notes=notes,
        created_at=stamp,
        updated_at=stamp,
    )


# --- texts for the dashboard -----------------------------------------------------------------


def progress_text(progress: Progress, lang: Lang) -> str:
    """How far a participant is, e.g. "12 von 34 Fragen beantwortet" ("don't know" counts)."""
    return t("workshop.progress", lang, answered=progress.answered, asked=progress.asked)


def agreement_text(group: GroupResult, domain_id: str, lang: Lang) -> str:
    """Whether the group agrees on a domain's type, with the share and the model's threshold."""
    domain = group.by_domain[domain_id]
    if domain.type_share is None:
        return t("workshop.status.no_position", lang)
    key = "workshop.agreement.agrees" if domain.agrees else "workshop.agreement.disagrees"
    return t(key, lang, share=f"{100 * domain.type_share:.0f}", threshold=f"{100 * group.agreement_share:.0f}")


def impact_text(questionnaire: Questionnaire, impact: Impact, lang: Lang) -> str:
    """What an agenda item can move, e.g. "wirkt auf Leistungsfähigkeit in Mobilität mit bis zu 8 Punkten"."""
    return t(
        "workshop.agenda.impact",
        lang,
        dimension=questionnaire.dimension(impact.dimension).name.get(lang),
        domain=questionnaire.domain(impact.domain).name.get(lang),
        points=f"{impact.points:.0f}",
    )


# --- charts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Axes:
    x: alt.Scale
    y: alt.Scale
    x_title: str
    y_title: str
    x_name: str
    y_name: str

    def enc(self, x_field: str, y_field: str) -> dict[str, Any]:
        """x and y on the 0–100 scales, with the dimension names as axis titles."""
        return {
            "x": alt.X(f"{x_field}:Q", scale=self.x, title=self.x_title),
            "y": alt.Y(f"{y_field}:Q", scale=self.y, title=self.y_title),
        }


def _axes(questionnaire: Questionnaire, lang: Lang) -> _Axes:
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    return _Axes(
        x=score_scale(),
        y=score_scale(),
        # The same titles as quadrant_base(), so the layers share one axis title.
        x_title=axis_title(x_dim, lang),
        y_title=axis_title(y_dim, lang),
        x_name=x_dim.name.get(lang),
        y_name=y_dim.name.get(lang),
    )


def _type_name(questionnaire: Questionnaire, type_id: str | None, lang: Lang) -> str:
    return questionnaire.types[type_id].name.get(lang) if type_id in questionnaire.types else "–"


def _status(group: GroupDomain, lang: Lang) -> str:
    if group.median is None:
        return t("workshop.status.no_position", lang)
    return t("workshop.status.stable", lang) if group.stable else t("workshop.status.borderline", lang)


def _median_row(questionnaire: Questionnaire, group: GroupDomain, label: str, lang: Lang) -> dict[str, Any]:
    x_id, y_id = questionnaire.dimension_ids
    sx, sy = group.spread[x_id], group.spread[y_id]
    share = round(100 * (group.type_share or 0))
    return {
        "label": label,
        "domain": questionnaire.domain(group.domain).name.get(lang),
        "x": round(group.median.x, 1),
        "y": round(group.median.y, 1),
        "x_q1": round(sx.q1, 1),
        "x_q3": round(sx.q3, 1),
        "y_q1": round(sy.q1, 1),
        "y_q3": round(sy.q3, 1),
        "x_min": round(sx.min, 1),
        "x_max": round(sx.max, 1),
        "y_min": round(sy.min, 1),
        "y_max": round(sy.max, 1),
        "x_text": f"{group.median.x:.0f} ({sx.q1:.0f}–{sx.q3:.0f})",
        "y_text": f"{group.median.y:.0f} ({sy.q1:.0f}–{sy.q3:.0f})",
        "type": _type_name(questionnaire, group.type_id, lang),
        "agreement": t("workshop.chart.agreement_value", lang, count=group.type_count, total=group.count, share=share),
        "status": _status(group, lang),
    }


def _tooltip(axes: _Axes, lang: Lang) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("domain:N", title=t("workshop.chart.domain", lang)),
        alt.Tooltip("type:N", title=t("workshop.chart.type", lang)),
        alt.Tooltip("x_text:N", title=t("workshop.chart.median_iqr", lang, dimension=axes.x_name)),
        alt.Tooltip("y_text:N", title=t("workshop.chart.median_iqr", lang, dimension=axes.y_name)),
        alt.Tooltip("agreement:N", title=t("workshop.chart.agreement", lang)),
        alt.Tooltip("status:N", title=t("workshop.chart.status", lang)),
    ]


def _group_structure(
    questionnaire: Questionnaire, lang: Lang, width: int | str, height: int, *, overview: bool
) -> alt.LayerChart:
    """Layers of the group charts, reading the named datasets ``medians``, ``people`` and ``ranges``."""
    axes = _axes(questionnaire, lang)
    medians, people, ranges = alt.Data(name="medians"), alt.Data(name="people"), alt.Data(name="ranges")
    tooltip = _tooltip(axes, lang)
    spread = (
        alt.Chart(medians, description="spread")
        .mark_rect(opacity=0.14, color=INK, stroke=INK, strokeOpacity=0.5, strokeDash=[4, 3])
        .encode(**axes.enc("x_q1", "y_q1"), x2="x_q3:Q", y2="y_q3:Q", tooltip=tooltip)
    )
    layers: list[alt.Chart] = [*quadrant_base(questionnaire, lang), spread]
    if overview:
        layers.append(
            alt.Chart(medians, description="medians")
            .mark_point(filled=True, size=220, color=INK, stroke="white", strokeWidth=1.5, opacity=1)
            .encode(**axes.enc("x", "y"), shape=alt.Shape("label:N", legend=None), tooltip=tooltip)
        )
    else:
        rule = {"color": INK, "opacity": 0.45, "strokeWidth": 1.5}
        participants = (
            alt.Chart(people, description="participants")
            .mark_circle(size=70, opacity=0.55, color=PARTICIPANT_COLOUR)
            .encode(
                **axes.enc("x", "y"),
                tooltip=[
                    alt.Tooltip("label:N", title=t("workshop.chart.participant", lang)),
                    alt.Tooltip("role:N", title=t("workshop.chart.role", lang)),
                    alt.Tooltip("type:N", title=t("workshop.chart.type", lang)),
                    alt.Tooltip("x:Q", title=axes.x_name),
                    alt.Tooltip("y:Q", title=axes.y_name),
                    alt.Tooltip("coverage:N", title=t("workshop.chart.coverage", lang)),
                ],
            )
        )
        layers += [
            alt.Chart(ranges, description="range x").mark_rule(**rule).encode(**axes.enc("x_min", "y"), x2="x_max:Q"),
            alt.Chart(ranges, description="range y").mark_rule(**rule).encode(**axes.enc("x", "y_min"), y2="y_max:Q"),
            participants,
            alt.Chart(medians, description="median")
            .mark_point(shape="diamond", filled=True, size=380, color=INK, stroke="white", strokeWidth=1.5, opacity=1)
            .encode(**axes.enc("x", "y"), tooltip=tooltip),
        ]
    layers += label_layers(medians, "label", "median labels", axes.x, axes.y, fontSize=13, fontWeight="bold")
    return finish(layers, "", width, height)


def group_chart(
    questionnaire: Questionnaire,
    group: GroupResult,
    domain_id: str,
    lang: Lang,
    *,
    width: int | str = "container",
    height: int = CHART_HEIGHT,
) -> dict[str, Any]:
    """One domain on the quadrants, as a Vega-Lite spec: the IQR box, the min–max range
    through the median on each axis, every participant as a small translucent point
    (tooltip: pseudonym or "Teilnehmer:in 3") and the median as a large diamond
    labelled "Median".

    Layers carry a ``description`` (quadrants, type labels, threshold x/y, spread,
    range x/y, participants, median, median labels) and read the named datasets
    ``medians``, ``people`` and ``ranges``; empty when nobody has a position yet.
    """
    domain = group.by_domain[domain_id]
    medians: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    ranges: list[dict[str, Any]] = []
    if domain.median is not None:
        row = _median_row(questionnaire, domain, t("workshop.median", lang), lang)
        place_labels([row], field="label")
        medians = [row]
        ranges = [{k: row[k] for k in ("x", "y", "x_min", "x_max", "y_min", "y_max")}]
        roles = {s.participant.id: s.participant.role for s in group.participants}
        people = [
            {
                "label": participant_label(p.name, p.number, lang),
                "role": roles.get(p.participant_id) or "–",
                "x": round(p.x, 1),
                "y": round(p.y, 1),
                "type": _type_name(questionnaire, p.type_id, lang),
                "coverage": f"{p.coverage * 100:.0f} %",
            }
            for p in domain.points
        ]
    spec = spec_from_template(
        questionnaire,
        ("group", lang, width, height),
        lambda: _group_structure(questionnaire, lang, width, height, overview=False),
        {"medians": medians, "people": people, "ranges": ranges},
    )
    spec["title"] = t(
        "workshop.chart.title", lang, domain=questionnaire.domain(domain_id).name.get(lang), count=domain.count
    )
    return spec


def group_overview_chart(
    questionnaire: Questionnaire,
    group: GroupResult,
    lang: Lang,
    *,
    width: int | str = "container",
    height: int = CHART_HEIGHT,
) -> dict[str, Any]:
    """All domains as a Vega-Lite spec: one median mark per domain (a shape each,
    labelled with the domain name) and its IQR box. Domains without any position are
    left out."""
    rows = [
        _median_row(questionnaire, domain, questionnaire.domain(domain_id).name.get(lang), lang)
        for domain_id, domain in group.by_domain.items()
        if domain.median is not None
    ]
    place_labels(rows, field="label")
    spec = spec_from_template(
        questionnaire,
        ("group_overview", lang, width, height),
        lambda: _group_structure(questionnaire, lang, width, height, overview=True),
        {"medians": rows, "people": [], "ranges": []},
    )
    spec["title"] = t("workshop.chart.overview_title", lang)
    return spec


# --- exports --------------------------------------------------------------------------------

PARTICIPANTS_CSV_COLUMNS = [
    "participant_id", "pseudonym", "role", "section", "item_id", "question",
    "status", "answer_id", "answer", "item_score",
]  # fmt: skip

_STATUS = {
    State.ANSWERED: "answered",
    State.DONT_KNOW: "dont_know",
    State.UNANSWERED: "unanswered",
    State.IMPLIED: "hidden",
    State.PENDING: "hidden",
    State.INVALID: "invalid",
}


def participants_csv(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    lang: Lang = "de",
    *,
    population: int | None = None,
) -> str:
    """One row per participant × item of the general section and the chosen domains.

    Every participant gets the same rows (easy to pivot); ``status`` says whether the
    item was answered, "don't know", unanswered, hidden by a condition or unreadable.
    The item score is given for answered items only. Every cell is neutralised
    against spreadsheet formulas (:func:`csv_safe`).
    """
    chosen = _chosen_domains(questionnaire, domains)
    # The item columns are the same for every participant: neutralised once.
    items = [
        (item, [csv_safe(section_id), csv_safe(item.id), csv_safe(item.text.get(lang))])
        for section_id in (GENERAL, *chosen)
        for item in questionnaire.items_for(section_id, perspective)
    ]
    buffer, writer = csv_writer()
    writer.writerow(PARTICIPANTS_CSV_COLUMNS)
    for participant in participants:
        who = [csv_safe(participant.id), csv_safe(participant.name), csv_safe(participant.role)]
        states = item_states(questionnaire, participant.answers, (GENERAL, *chosen), perspective, population)
        for item, columns in items:
            value = participant.answers.get(item.id)
            state = states[item.id]
            writer.writerow([
                *who, *columns, _STATUS[state.state], csv_safe(answer_id(value)),
                csv_safe(answer_label(questionnaire, item, value, lang)),
                f"{state.score:g}" if state.state is State.ANSWERED else "",
            ])  # fmt: skip
    return buffer.getvalue()


def _points_by_participant(group: GroupResult) -> dict[tuple[str, str], ParticipantPoint]:
    """(domain id, participant id) → the participant's position there."""
    return {(d, p.participant_id): p for d, g in group.by_domain.items() for p in g.points}


def positions_csv(questionnaire: Questionnaire, group: GroupResult, lang: Lang = "de") -> str:
    """One row per participant × domain: progress, both scores with their intervals,
    coverage, type; the score cells stay empty where a participant has no position."""
    x_id, y_id = questionnaire.dimension_ids
    header = [
        "participant_id", "pseudonym", "role", "answered", "asked", "domain", "domain_name",
        x_id, f"{x_id}_min", f"{x_id}_max", y_id, f"{y_id}_min", f"{y_id}_max",
        "coverage", "type", "type_name", "stable",
    ]  # fmt: skip
    points = _points_by_participant(group)
    buffer, writer = csv_writer()
    writer.writerow(header)
    for status in group.participants:
        participant = status.participant
        for domain_id in group.domains:
            base = [
                participant.id, participant.name or "", participant.role or "",
                status.progress.answered, status.progress.asked,
                domain_id, questionnaire.domain(domain_id).name.get(lang),
            ]  # fmt: skip
            point = points.get((domain_id, participant.id))
            if point is None:
                rest = [""] * 10
            else:
                rest = [
                    f"{point.x:.1f}", f"{point.x_interval[0]:.1f}", f"{point.x_interval[1]:.1f}",
                    f"{point.y:.1f}", f"{point.y_interval[0]:.1f}", f"{point.y_interval[1]:.1f}",
                    f"{point.coverage:.3f}", point.type_id, _type_name(questionnaire, point.type_id, lang),
                    str(point.stable).lower(),
                ]  # fmt: skip
            writer.writerow([csv_safe(cell) for cell in [*base, *rest]])
    return buffer.getvalue()


def _json_value(value: Any) -> Any:
    """Answers as stored, made JSON-safe (non-finite numbers → null, odd types → text)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def group_json(questionnaire: Questionnaire, group: GroupResult) -> str:
    """The group result and every participant's answers and positions, as JSON (UTF-8 text)."""
    x_id, y_id = questionnaire.dimension_ids
    points = _points_by_participant(group)
    participants = []
    for status in group.participants:
        p = status.participant
        positions = {}
        for domain_id in group.domains:
            point = points.get((domain_id, p.id))
            positions[domain_id] = (
                None
                if point is None
                else {
                    x_id: round(point.x, 1),
                    y_id: round(point.y, 1),
                    f"{x_id}_interval": [round(v, 1) for v in point.x_interval],
                    f"{y_id}_interval": [round(v, 1) for v in point.y_interval],
                    "coverage": round(point.coverage, 3),
                    "type": point.type_id,
                    "stable": point.stable,
                }
            )
        participants.append(
            {
                "id": p.id,
                "number": status.number,
                "pseudonym": p.name,
                "role": p.role,
                "progress": {
                    "answered": status.progress.answered,
                    "dont_know": status.progress.dont_know,
                    "asked": status.progress.asked,
                },
                "answers": {str(k): _json_value(v) for k, v in p.answers.items()},
                "positions": positions,
            }
        )
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "questionnaire_version": group.questionnaire_version,
        "domains": list(group.domains),
        "perspective": group.perspective,
        "population": group.population,
        "agreement_share": group.agreement_share,
        "axes": {"x": x_id, "y": y_id},
        "disagreement": {lang: t("workshop.agenda.measure_explained", lang) for lang in ("de", "en")},
        "participants": participants,
        **group.to_json(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


__all__ = [
    "FORMAT",
    "PARTICIPANTS_CSV_COLUMNS",
    "AgendaEntry",
    "GroupDomain",
    "GroupResult",
    "Impact",
    "ItemStats",
    "OptionCount",
    "Participant",
    "ParticipantPoint",
    "ParticipantStatus",
    "Progress",
    "Spread",
    "aggregate",
    "agreement_text",
    "csv_safe",
    "disagreement",
    "group_assessment",
    "group_chart",
    "group_json",
    "group_overview_chart",
    "impact_text",
    "participant_label",
    "participants_csv",
    "positions_csv",
    "progress_text",
    "quantile",
]
