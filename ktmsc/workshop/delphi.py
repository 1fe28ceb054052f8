"""The second round (a Delphi round): after the discussion the participants answer the disputed
questions again, and the dashboard shows whether the group converged.

Decisions, so the dashboard can explain them:

* **The two rounds.** When the facilitator opens the second round, the store keeps every
  participant's answers as they stand (the first round) and from then on accepts changes to
  the chosen questions only. The first round is those kept answers (:func:`first_round`:
  the same participants, with a fixed revision, so they are scored once); the second is the
  answers as they are now. Both are aggregated alike (:func:`ktmsc.workshop.aggregate`) and
  either can become the group result.
* **Moved** (per question): a participant whose answer differs between the rounds (a
  multiple-choice answer as a set of ticks); **stronger** / **weaker**: of those with an item
  score in both rounds, whose score rose or fell; the rest changed to or from "don't know" or
  "not our task" or an empty answer. Counts only, never who.
* **Spread** per question: the disagreement of each round (0–100, :func:`disagreement`);
  per domain: the middle half (IQR) on each axis in each round. The group **converged** in a
  domain when the middle half is narrower in the second round on both axes together (the sum
  of the two IQRs), **diverged** when wider.
* **Type changes** per domain: participants placed in both rounds whose own type differs.
* **Reasons**: the one-line reasons given in the second round, shown sorted by their text, so
  their order says nothing about who gave them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ktmsc.i18n import Lang
from ktmsc.labels import answer_label, counted, fmt_number, fmt_percent
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.texts import t
from ktmsc.workshop.aggregate import chosen_domains
from ktmsc.workshop.matrix import ANSWERED, Row, layout
from ktmsc.workshop.model import GroupDomain, GroupResult, ItemStats, Participant
from ktmsc.workshop.scores import score_participants
from ktmsc.workshop.texts import type_name

ROUNDS = (1, 2)


def first_round(
    participants: Sequence[Participant], answers: Mapping[str, Mapping[str, Any]], opened: Hashable
) -> list[Participant]:
    """The participants with their first-round answers (as kept when the second round opened at
    ``opened``); the revision is fixed, since the first round never changes again."""
    return [replace(p, answers=dict(answers.get(p.id, {})), revision=("first round", opened)) for p in participants]


def matrix_rows(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Sequence[str],
    perspective: str,
    population: int | None,
    body_kind: str | None = None,
) -> list[Row]:
    """The participants' rows of the participants × items matrix (memoised: the aggregation of the
    same participants has made them already), for the direction of each move."""
    chosen = chosen_domains(questionnaire, domains)
    lay = layout(questionnaire, chosen, perspective)
    where = questionnaire.municipality(population, body_kind)
    return [s.row for s in score_participants(questionnaire, participants, lay, chosen, perspective, where, True)]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    first: ItemStats
    second: ItemStats
    moved: int  # participants whose answer differs between the rounds
    stronger: int  # … whose item score rose
    weaker: int  # … whose item score fell
    reasons: tuple[str, ...]  # sorted by their text

    @property
    def asked(self) -> int:
        return self.second.asked

    @property
    def narrowed(self) -> bool | None:
        """Less disagreement in round 2 (None when either round has none to compare)."""
        a, b = self.first.disagreement, self.second.disagreement
        return None if a is None or b is None or a == b else b < a


@dataclass(frozen=True)
class DomainChange:
    domain: str
    first: GroupDomain
    second: GroupDomain
    placed_both: int  # participants placed in both rounds
    changed_type: int  # … whose own type differs between them

    @property
    def iqr(self) -> tuple[float | None, float | None]:
        """The middle half on both axes together (sum of the IQRs), in round 1 and round 2."""
        return _iqr(self.first), _iqr(self.second)

    @property
    def converged(self) -> bool | None:
        """True narrower in round 2, False wider, None unchanged or not comparable."""
        before, after = self.iqr
        if before is None or after is None or abs(before - after) < 0.05:
            return None
        return after < before

    @property
    def now_agrees(self) -> bool:
        return self.second.agrees and not self.first.agrees


def _iqr(domain: GroupDomain) -> float | None:
    return sum(s.iqr for s in domain.spread.values()) if domain.spread else None


@dataclass(frozen=True)
class Convergence:
    items: tuple[ItemChange, ...]  # the questions of the second round, in the order chosen
    domains: dict[str, DomainChange]
    participants: int
    moved_any: int  # participants who changed at least one answer


def _scores(row: Row, index: int) -> float | None:
    return float(row.scores[index]) if row.codes[index] == ANSWERED else None


def convergence(
    first: GroupResult,
    second: GroupResult,
    item_ids: Sequence[str],
    reasons: Mapping[tuple[str, str], str] | None = None,
    *,
    first_rows: Sequence[Row] | None = None,
    second_rows: Sequence[Row] | None = None,
) -> Convergence:
    """What changed from the first round (``first``) to the second (``second``, the same
    participants in the same order). Without the matrix rows (``first_rows``/``second_rows``)
    a move's direction is not counted (stronger and weaker stay 0)."""
    reasons = reasons or {}
    people = [(a.participant, b.participant) for a, b in zip(first.participants, second.participants, strict=True)]
    movers: set[str] = set()
    items = []
    for item_id in item_ids:
        if item_id not in second.items:
            continue
        moved = stronger = weaker = 0
        index = second.items[item_id].order
        for number, (before, after) in enumerate(people):
            if _same(before.answers.get(item_id), after.answers.get(item_id)):
                continue
            moved += 1
            movers.add(after.id)
            if first_rows is not None and second_rows is not None:
                a, b = _scores(first_rows[number], index), _scores(second_rows[number], index)
                if a is not None and b is not None and a != b:
                    stronger += b > a
                    weaker += b < a
        said = sorted(text for (who, i), text in reasons.items() if i == item_id and text.strip())
        items.append(
            ItemChange(item_id, first.items[item_id], second.items[item_id], moved, stronger, weaker, tuple(said))
        )
    domains = {}
    for domain_id, after in second.by_domain.items():
        before = first.by_domain[domain_id]
        types = {p.participant_id: p.type_id for p in before.points}
        both = [p for p in after.points if p.participant_id in types]
        changed = sum(1 for p in both if p.type_id != types[p.participant_id])
        domains[domain_id] = DomainChange(domain_id, before, after, len(both), changed)
    return Convergence(tuple(items), domains, len(people), len(movers))


# --- texts -------------------------------------------------------------------------------------


def item_line(change: ItemChange, lang: Lang) -> str:
    """E.g. "Uneinigkeit 71 → 24 · 4 von 12 haben ihre Antwort geändert (3 stärker, 1 schwächer)"."""

    def value(v: float | None) -> str:
        return "–" if v is None else fmt_number(v, lang)

    moved = counted("workshop.second_round.moved", change.moved, lang, asked=fmt_number(change.asked, lang))
    if change.stronger or change.weaker:
        moved += " " + t(
            "workshop.second_round.direction",
            lang,
            stronger=fmt_number(change.stronger, lang),
            weaker=fmt_number(change.weaker, lang),
        )
    spread = t(
        "workshop.second_round.spread",
        lang,
        first=value(change.first.disagreement),
        second=value(change.second.disagreement),
    )
    return f"{spread} · {moved}"


def domain_line(questionnaire: Questionnaire, change: DomainChange, share: float, lang: Lang) -> str:
    """E.g. "Mobilität: Die Bewahrerin → Der Leuchtturm · im Quadranten der Gruppe 50 % → 75 % ·
    mittlere Hälfte enger (34 → 18) · jetzt einig"."""
    parts = [
        t(
            "workshop.second_round.types",
            lang,
            domain=questionnaire.domain(change.domain).name.get(lang),
            first=type_name(questionnaire, change.first.type_id, lang),
            second=type_name(questionnaire, change.second.type_id, lang),
        )
    ]
    a, b = change.first.type_share, change.second.type_share
    if a is not None and b is not None:
        parts.append(
            t(
                "workshop.second_round.agreement",
                lang,
                first=fmt_percent(a, lang, threshold=share),
                second=fmt_percent(b, lang, threshold=share),
            )
        )
    before, after = change.iqr
    if before is not None and after is not None:
        key = {True: "narrower", False: "wider", None: "same"}[change.converged]
        parts.append(
            t(f"workshop.second_round.iqr_{key}", lang, first=fmt_number(before, lang), second=fmt_number(after, lang))
        )
    if change.placed_both:
        parts.append(counted("workshop.second_round.changed_type", change.changed_type, lang))
    if change.now_agrees:
        parts.append(t("workshop.second_round.now_agrees", lang))
    elif change.second.median is not None:
        parts.append(
            t("workshop.second_round.agrees" if change.second.agrees else "workshop.second_round.disagrees", lang)
        )
    return " · ".join(parts)


def own_answer_text(questionnaire: Questionnaire, item_id: str, value: Any, lang: Lang) -> str:
    """The participant's own first-round answer as they saw it ("unanswered" without one)."""
    if value is None:
        return t("core.answer.unanswered", lang)
    return answer_label(questionnaire.items[item_id], list(value) if isinstance(value, tuple) else value, lang)
