"""The workshop's data: the participants going in and the :class:`GroupResult` coming out.

Plain frozen dataclasses and the result's JSON form; no computation beyond derived
shares. :func:`ktmsc.workshop.aggregate` builds them, everything else reads them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ktmsc.scoring import Position, round_or_none

FORMAT = "ktmsc-workshop"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Participant:
    """One participant: an id (unique in the workshop), optional pseudonym and role,
    and the answers in the format of :attr:`ktmsc.model.assessment.Assessment.answers`.

    ``revision`` (optional) names the state of the answers, e.g. the store's ``updated_at``:
    the same id with the same revision must always come with the same answers. With it the
    aggregation recognises an unchanged participant without reading the answers."""

    id: str
    name: str | None = None
    role: str | None = None
    answers: Mapping[str, Any] = field(default_factory=dict, hash=False)
    revision: Hashable | None = field(default=None, compare=False)


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
    not_applicable: int = 0  # "not our task": asked and answered, no score

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

    @property
    def finished(self) -> int:
        """Participants who answered every question they are shown ("don't know" counts)."""
        return sum(1 for s in self.participants if s.progress.asked and s.progress.answered >= s.progress.asked)

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
        "not_applicable": stats.not_applicable,
        "options": {o.id: o.count for o in stats.options},
        "score_median": round_or_none(stats.score_median, 3),
        "disagreement": round_or_none(stats.disagreement, 1),
        "dont_know_share": round_or_none(stats.dont_know_share, 3),
    }
