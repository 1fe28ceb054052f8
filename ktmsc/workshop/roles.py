"""The workshop's result by role: where each role places the municipality, and the questions they differ on.

Pure core like the rest of :mod:`ktmsc.workshop`; it reads the same memoised slim scores as
:func:`ktmsc.workshop.aggregate.aggregate` (:mod:`ktmsc.workshop.scores`), so called with the
same arguments right after the aggregation it scores nobody again, and it counts the
questions down the columns of the participants × items matrix (:mod:`ktmsc.workshop.matrix`),
one numpy pass per role, not one per role and question: the dashboard calls it every few seconds.

Decisions, so the dashboard can explain them:

* **Roles.** A participant's free-text role is grouped by :func:`role_key` (whitespace
  collapsed, stripped, casefolded: "  IT " and "it" are one role). Its label is the first
  spelling seen in participant order, whitespace collapsed. Participants without a role form
  no role group; they still count in the whole group. Roles are listed in the order they
  first appear, in every domain.
* **Placed.** A role's participants in a domain are those with a position there, the
  participants in ``group.by_domain[d].points`` (the rule of ``model.scoring.placed_share``).
* **Role point and type.** As for the group: the median of the x scores and, separately, of the
  y scores (:func:`~ktmsc.workshop.stats.quantile`); the type is the type of that point
  (:meth:`~ktmsc.model.questionnaire.Questionnaire.classify`, ``high`` from the threshold
  upwards); the share is the share of the role's placed participants whose own type it is.
* **Minimum group.** A role with fewer than ``min_group`` placed participants in a domain
  (``model.scoring.group_min_shown``, 3) is a *hidden* entry: no median, no type, no share and
  no count – it is said as "fewer than 3", never as its exact number.
* **Secondary disclosure.** The whole group's count and type share are shown elsewhere, so the
  exact counts and shares of the shown roles would give away, by subtraction, the figures of
  those left over (hidden roles and participants without a role). When those left over are
  more than none but fewer than ``min_group``, the shown roles' counts and shares are withheld
  too (``withheld``); their medians and types stay (medians do not add up). The same rule
  holds per question for the answer counts, against the group's count of actual answers.
* **Questions the roles differ on.** Per item of the general section and the chosen domains
  (the group's ``items``, in their order): the roles with at least ``min_group`` actual
  answers ("don't know", "not our task" and no answer do not count) and, per role, the median
  of those answers' item scores, and that median as **points** on the item's own scale,
  100 · (median − lowest score) / (highest − lowest score), so the weakest answer is 0 and the
  strongest 100 whatever the scores of its options. The **gap** is the highest role's points
  minus the lowest's: 0 = the roles' middle answers are equally strong, 100 = one role's middle
  answer is the weakest, another's the strongest. Only items where at least two roles qualify;
  ranked by gap (descending), ties in questionnaire order. Each entry lists the qualifying
  roles, highest median first, ties in role order. :func:`differing` keeps those whose gap
  reads as at least one point.

The texts (:func:`summary_line`, :func:`role_lines`, :func:`contrast_sentence`,
:func:`gap_line`) are plain strings holding the roles' free text: the caller escapes them
before Markdown or HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ktmsc.i18n import Lang
from ktmsc.labels import counted, fmt_number, fmt_score
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.text import text_key
from ktmsc.scoring import Position
from ktmsc.texts import t
from ktmsc.workshop.aggregate import chosen_domains
from ktmsc.workshop.matrix import ANSWERED, Layout, layout, stack
from ktmsc.workshop.model import Participant
from ktmsc.workshop.scores import Placement, Scored, score_participants
from ktmsc.workshop.stats import quantile
from ktmsc.workshop.texts import type_name


def role_key(role: str | None) -> str | None:
    """The key roles are grouped by: whitespace collapsed, casefolded; None for no role."""
    return text_key(role) or None


@dataclass(frozen=True)
class RoleGroup:
    """One role in one domain. Hidden (``shown`` False): every figure is None."""

    key: str
    label: str
    shown: bool  # at least min_group placed participants
    count: int | None  # placed participants; None when hidden or withheld
    median: Position | None
    type_id: str | None  # the type of the median point
    type_share: float | None  # share of the placed participants of that type; None when hidden or withheld


@dataclass(frozen=True)
class RoleDomain:
    """Every role in one domain, and whether the shown roles' counts are withheld."""

    domain: str
    roles: tuple[RoleGroup, ...]  # every role, in role order
    withheld: bool  # the shown roles' counts and shares are withheld (secondary disclosure)

    @property
    def shown(self) -> tuple[RoleGroup, ...]:
        return tuple(r for r in self.roles if r.shown)


@dataclass(frozen=True)
class RoleScore:
    """A qualifying role's middle answer to one question."""

    key: str
    label: str
    median: float  # the median item score of the role's actual answers
    points: float  # that median on the item's own scale: weakest answer 0, strongest 100
    count: int | None  # actual answers; None when withheld


@dataclass(frozen=True)
class RoleGap:
    """One question the roles may differ on: the distance between their middle answers."""

    rank: int  # 1-based
    item_id: str
    section: str
    gap: float  # 0 … 100: the highest role's points minus the lowest's
    roles: tuple[RoleScore, ...]  # highest median first, ties in role order
    withheld: bool  # the answer counts are withheld (secondary disclosure)


@dataclass(frozen=True)
class Contrast:
    """Two shown roles of one domain that place the municipality in different types."""

    domain: str
    first: RoleGroup  # in role order
    second: RoleGroup
    distance: float  # between the two median points, in points


@dataclass(frozen=True)
class RoleView:
    """The result by role: each domain's roles and the questions they differ on."""

    min_group: int
    labels: dict[str, str]  # role key → label, in role order
    by_domain: dict[str, RoleDomain]  # the chosen domains, model order
    gaps: tuple[RoleGap, ...]  # largest gap first

    @property
    def any_shown(self) -> bool:
        """Whether some role has at least ``min_group`` placed participants in some domain."""
        return any(domain.shown for domain in self.by_domain.values())


def _gives_away(left_over: int, minimum: int) -> bool:
    """Whether exact figures of the shown would reveal, by subtraction, those of a group too small to show."""
    return 0 < left_over < minimum


def _role_domain(
    questionnaire: Questionnaire,
    domain_id: str,
    keys: Sequence[str | None],
    scored: Sequence[Scored],
    labels: dict[str, str],
    minimum: int,
) -> RoleDomain:
    x_id, y_id = questionnaire.dimension_ids
    everyone = [(k, p) for k, s in zip(keys, scored, strict=True) if (p := s.positions.get(domain_id)) is not None]
    of_role: dict[str, list[Placement]] = {k: [] for k in labels}
    for key, placement in everyone:
        if key is not None:
            of_role[key].append(placement)
    shown = {k for k, placements in of_role.items() if len(placements) >= minimum}
    withheld = bool(shown) and _gives_away(len(everyone) - sum(len(of_role[k]) for k in shown), minimum)
    groups = []
    for key, label in labels.items():
        placements = of_role[key]
        if key not in shown:
            groups.append(RoleGroup(key, label, False, None, None, None, None))
            continue
        median = Position(
            quantile(sorted(p.x for p in placements), 0.5), quantile(sorted(p.y for p in placements), 0.5)
        )
        type_id = questionnaire.classify({x_id: median.x, y_id: median.y}).id
        share = sum(1 for p in placements if p.type_id == type_id) / len(placements)
        count = None if withheld else len(placements)
        groups.append(RoleGroup(key, label, True, count, median, type_id, None if withheld else share))
    return RoleDomain(domain_id, tuple(groups), withheld)


def _column_medians(ascending: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each column's median of its first ``counts`` values (sorted, NaN after them), computed as
    :func:`~ktmsc.workshop.stats.quantile` computes it, so the figures match to the last bit;
    NaN where a column has no value."""
    columns = np.arange(ascending.shape[1])
    position = 0.5 * (counts - 1)
    lower = np.floor(position).astype(np.intp)
    upper = np.minimum(lower + 1, counts - 1)
    a = ascending[np.maximum(lower, 0), columns]
    b = ascending[np.maximum(upper, 0), columns]
    return np.minimum(np.maximum(a + (b - a) * (position - lower), a), b)


def _gaps(
    lay: Layout, keys: Sequence[str | None], scored: Sequence[Scored], labels: dict[str, str], minimum: int
) -> tuple[RoleGap, ...]:
    if not labels:
        return ()
    matrix = stack(lay, [s.row for s in scored])
    answered = matrix.codes == ANSWERED
    values = np.where(answered, matrix.scores, np.nan)  # NaN sorts last
    rows_of: dict[str, list[int]] = {k: [] for k in labels}
    for row, key in enumerate(keys):
        if key is not None:
            rows_of[key].append(row)
    order = list(labels)  # every role has a participant, so a row
    counts = np.array([answered[rows_of[k]].sum(axis=0) for k in order], dtype=np.int64)  # roles × items
    medians = np.array([_column_medians(np.sort(values[rows_of[k]], axis=0), counts[r]) for r, k in enumerate(order)])
    qualifies = counts >= minimum
    lows = np.array([item.min_score for _, item in lay.items])
    spans = np.array([item.max_score - item.min_score for _, item in lay.items])
    points = np.divide(100 * (medians - lows), spans, out=np.zeros_like(medians), where=spans > 0)
    left_over = (answered.sum(axis=0) - np.where(qualifies, counts, 0).sum(axis=0)).tolist()
    # Python lists from here on: the loop below reads single cells, and numpy's are slow to read one by one.
    medians_, points_, counts_, qualifies_ = medians.T.tolist(), points.T.tolist(), counts.T.tolist(), qualifies.T
    found: list[tuple[float, int, tuple[RoleScore, ...], bool]] = []
    for index in np.flatnonzero(qualifies.sum(axis=0) >= 2).tolist():
        withheld = _gives_away(left_over[index], minimum)
        roles = [
            RoleScore(
                order[r],
                labels[order[r]],
                medians_[index][r],
                points_[index][r],
                None if withheld else counts_[index][r],
            )
            for r in np.flatnonzero(qualifies_[index]).tolist()
        ]
        # Stable sort, rounded so that float noise in the last digit does not decide a tie.
        roles.sort(key=lambda s: -round(s.median, 9))
        found.append((roles[0].points - roles[-1].points, index, tuple(roles), withheld))
    found.sort(key=lambda f: (-round(f[0], 9), f[1]))
    return tuple(
        RoleGap(rank, lay.items[index][1].id, lay.items[index][0], gap, roles, withheld)
        for rank, (gap, index, roles, withheld) in enumerate(found, 1)
    )


def by_role(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    population: int | None = None,
    *,
    body_kind: str | None = None,
    min_group: int | None = None,
) -> RoleView:
    """The result by role, for the arguments :func:`~ktmsc.workshop.aggregate.aggregate` takes.

    ``min_group`` defaults to ``model.scoring.group_min_shown`` (at least 1). An unknown domain
    or a participant id used twice raises ``ValueError``.
    """
    participants = list(participants)
    seen: set[str] = set()
    for participant in participants:
        if participant.id in seen:
            raise ValueError(f"participant id {participant.id!r} is used twice; ids must be unique in a workshop")
        seen.add(participant.id)
    minimum = max(1, questionnaire.model.scoring.group_min_shown if min_group is None else min_group)
    chosen = chosen_domains(questionnaire, domains)
    where = questionnaire.municipality(population, body_kind)
    lay = layout(questionnaire, chosen, perspective)
    scored = score_participants(questionnaire, participants, lay, chosen, perspective, where, True)
    keys = [role_key(p.role) for p in participants]
    labels: dict[str, str] = {}
    for participant, key in zip(participants, keys, strict=True):
        if key is not None:
            labels.setdefault(key, " ".join((participant.role or "").split()))
    by_domain = {d: _role_domain(questionnaire, d, keys, scored, labels, minimum) for d in chosen}
    return RoleView(minimum, labels, by_domain, _gaps(lay, keys, scored, labels, minimum))


def differing(view: RoleView, limit: int | None = None) -> tuple[RoleGap, ...]:
    """The questions the roles differ on: the gaps that read as at least one point, largest
    first, at most ``limit``. A gap below half a point would be shown as "0 points"."""
    found = tuple(g for g in view.gaps if round(g.gap) >= 1)
    return found if limit is None else found[:limit]


def largest_contrast(view: RoleView, domain_id: str | None = None) -> Contrast | None:
    """The two shown roles of different types whose median points lie furthest apart, in one
    domain or (without ``domain_id``) in all; ties in domain order, then role order."""
    best: Contrast | None = None
    for domain in [view.by_domain[domain_id]] if domain_id is not None else view.by_domain.values():
        shown = domain.shown
        for i, first in enumerate(shown):
            for second in shown[i + 1 :]:
                if first.type_id == second.type_id:
                    continue
                distance = math.hypot(first.median.x - second.median.x, first.median.y - second.median.y)
                if best is None or round(distance, 9) > round(best.distance, 9):
                    best = Contrast(domain.domain, first, second, distance)
    return best


# --- texts: plain strings with the roles' free text in them; the caller escapes them ---


def summary_line(questionnaire: Questionnaire, view: RoleView, domain_id: str, lang: Lang) -> str:
    """One line per domain: "Verwaltungsspitze: Der Leuchtturm · IT: weniger als 3 Personen mit Position"."""
    parts = [
        t("roles.summary.shown", lang, role=r.label, type=type_name(questionnaire, r.type_id, lang))
        if r.shown
        else counted("roles.summary.too_few", view.min_group, lang, role=r.label)
        for r in view.by_domain[domain_id].roles
    ]
    return " · ".join(parts) if parts else t("roles.summary.no_roles", lang)


def role_lines(questionnaire: Questionnaire, view: RoleView, domain_id: str, lang: Lang) -> list[str]:
    """One line per role of a domain, in role order: its type, its median point (never rounded
    across a threshold) and, unless withheld, how many are placed: "Verwaltungsspitze: Der
    Leuchtturm (LF 80 · VB 75, 3 Personen)"; a hidden role as "IT: weniger als 3 Personen mit
    Position". Empty when nobody has given a role."""
    x_id, y_id = questionnaire.dimension_ids
    lines = []
    for r in view.by_domain[domain_id].roles:
        if not r.shown:
            lines.append(counted("roles.summary.too_few", view.min_group, lang, role=r.label))
            continue
        params = {
            "role": r.label,
            "type": type_name(questionnaire, r.type_id, lang),
            "x_name": questionnaire.dimension(x_id).short.get(lang),
            "x": fmt_score(r.median.x, lang, questionnaire.threshold(x_id)),
            "y_name": questionnaire.dimension(y_id).short.get(lang),
            "y": fmt_score(r.median.y, lang, questionnaire.threshold(y_id)),
        }
        if r.count is None:
            lines.append(t("roles.line.withheld", lang, **params))
        else:
            lines.append(t("roles.line.counted", lang, **params, people=counted("roles.line.people", r.count, lang)))
    return lines


def contrast_sentence(questionnaire: Questionnaire, view: RoleView, lang: Lang, domain_id: str | None = None) -> str:
    """The largest contrast as a sentence: "Mobilität: Verwaltungsspitze sieht die Kommune als
    „Der Leuchtturm“, Fachbereich als „Die Bewahrerin“."; says so when no two roles differ."""
    contrast = largest_contrast(view, domain_id)
    if contrast is None:
        return t("roles.contrast.none", lang, minimum=fmt_number(view.min_group, lang))
    return t(
        "roles.contrast.sentence",
        lang,
        domain=questionnaire.domain(contrast.domain).name.get(lang),
        first=contrast.first.label,
        first_type=type_name(questionnaire, contrast.first.type_id, lang),
        second=contrast.second.label,
        second_type=type_name(questionnaire, contrast.second.type_id, lang),
    )


def gap_line(entry: RoleGap, lang: Lang) -> str:
    """A question's gap and the roles' middle answers in points (0–100 on the question's scale):
    "Abstand 100 Punkte – Verwaltungsspitze 100 (3 Antworten) · Fachbereich 0 (3 Antworten)"."""
    roles = " · ".join(
        t("roles.gap.role", lang, role=r.label, score=fmt_number(r.points, lang))
        if r.count is None
        else t(
            "roles.gap.role_counted",
            lang,
            role=r.label,
            score=fmt_number(r.points, lang),
            answers=counted("roles.gap.answers", r.count, lang),
        )
        for r in entry.roles
    )
    return t("roles.gap.line", lang, gap=fmt_number(entry.gap, lang), roles=roles)
