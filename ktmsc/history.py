"""Development over time: an assessment as a follow-up of an earlier one.

The model's point is movement: the position is a snapshot a municipality sets
out to change. These functions compare two results domain by domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from ktmsc.model.questionnaire import Questionnaire
from ktmsc.scoring import Position, Result, position


@dataclass(frozen=True)
class Change:
    """One domain's position and type, earlier and now.

    Scores are kept as computed; they are shown, and their differences written, through
    :func:`ktmsc.labels.fmt_score` and :func:`ktmsc.labels.fmt_delta` (one rounding).
    """

    domain: str
    before_x: float | None
    before_y: float | None
    before_type: str | None
    after_x: float | None
    after_y: float | None
    after_type: str | None

    @property
    def type_changed(self) -> bool:
        return self.before_type != self.after_type

    @property
    def delta_x(self) -> float | None:
        return None if self.before_x is None or self.after_x is None else self.after_x - self.before_x

    @property
    def delta_y(self) -> float | None:
        return None if self.before_y is None or self.after_y is None else self.after_y - self.before_y


def positions(questionnaire: Questionnaire, result: Result) -> dict[str, Position]:
    """Domain id → position, for the domains that have one."""
    points = {domain_id: position(questionnaire, domain) for domain_id, domain in result.domains.items()}
    return {domain_id: point for domain_id, point in points.items() if point is not None}


def changes(questionnaire: Questionnaire, before: Result, after: Result) -> list[Change]:
    """Per domain of the current result (in the model's order), the earlier and current position."""
    x_id, y_id = questionnaire.dimension_ids
    out = []
    for domain_id, now in after.domains.items():
        then = before.domains.get(domain_id)
        out.append(
            Change(
                domain=domain_id,
                before_x=then.dimensions[x_id].score if then else None,
                before_y=then.dimensions[y_id].score if then else None,
                before_type=then.type_id if then else None,
                after_x=now.dimensions[x_id].score,
                after_y=now.dimensions[y_id].score,
                after_type=now.type_id,
            )
        )
    return out
