"""What the facilitator's projector view shows: the count per quadrant, and the agenda one
question at a time.

* **Quadrant counts** (:func:`quadrant_counts`): per type of the model, in the model's order,
  the participants with a position in the domain whose own point lies in that type's
  quadrant (the type of :class:`~ktmsc.workshop.model.ParticipantPoint`, "high" from the
  threshold upwards); a quadrant nobody is in counts 0. The counts add up to the domain's
  participants with a position.
* **The current agenda question** (:func:`agenda_page`): the agenda shown is its first
  :data:`AGENDA_LENGTH` entries, as on the dashboard. The question on screen is remembered
  by its item id, so when the ranking shifts while people still answer it stays on screen at
  its new rank; a question that drops out of the shown agenda gives way to the one now at
  its former place (or the last). Previous and next are the neighbours in today's ranking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ktmsc.model.questionnaire import Questionnaire
from ktmsc.workshop.model import AgendaEntry, GroupDomain

AGENDA_LENGTH = 8  # the agenda's questions the dashboard and the projector show


def quadrant_counts(questionnaire: Questionnaire, domain: GroupDomain) -> dict[str, int]:
    """Type id → how many participants with a position lie in its quadrant (model order, zeros kept)."""
    found = Counter(point.type_id for point in domain.points)
    return {type_def.id: found.get(type_def.id, 0) for type_def in questionnaire.model.types}


@dataclass(frozen=True)
class AgendaPage:
    """One agenda question on the projector, with its place and neighbours."""

    entry: AgendaEntry
    index: int  # 0-based place among the questions shown
    total: int  # questions shown
    previous: str | None  # the item id one place up, None on the first
    next: str | None  # the item id one place down, None on the last

    @property
    def number(self) -> int:
        return self.index + 1


def agenda_page(
    agenda: Sequence[AgendaEntry], current: str | None = None, index: int = 0, length: int = AGENDA_LENGTH
) -> AgendaPage | None:
    """The agenda question to show: ``current`` (an item id) while it is among the first
    ``length`` entries, else the one at ``index`` (kept within the agenda); None without any."""
    shown = list(agenda[:length])
    if not shown:
        return None
    ids = [entry.item_id for entry in shown]
    place = ids.index(current) if current in ids else min(max(index, 0), len(shown) - 1)
    return AgendaPage(
        entry=shown[place],
        index=place,
        total=len(shown),
        previous=ids[place - 1] if place > 0 else None,
        next=ids[place + 1] if place + 1 < len(shown) else None,
    )
