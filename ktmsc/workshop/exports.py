"""The exports: the participants' answers and positions as CSV, the whole group as JSON.

Every export carries the round (:mod:`ktmsc.workshop.delphi`): a workshop without a second
round is round 1 throughout; with one, the CSV files hold the first round's rows and then the
second round's, in the same layout, and the JSON holds the current (second) round where it
always did and the first round beside it.

The ``round`` column stands right after ``role``: the columns that say who answered
(``participant_id``, ``pseudonym``, ``role``) keep their place at the front, so a spreadsheet
keyed or sorted by the participant ID still finds it in the first column, and the round
follows as the last part of "who answered when", before the columns of what was answered.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from ktmsc.export import csv_header, csv_safe, csv_writer, dimension_column
from ktmsc.i18n import Lang
from ktmsc.labels import answer_id, answer_label, fmt_cell, item_score_cell, status_code
from ktmsc.model.answers import item_states
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.schema import GENERAL
from ktmsc.texts import t
from ktmsc.workshop.aggregate import chosen_domains
from ktmsc.workshop.model import FORMAT, FORMAT_VERSION, GroupResult, Participant, ParticipantPoint
from ktmsc.workshop.texts import type_name

PARTICIPANTS_CSV_COLUMNS = [
    "participant_id", "pseudonym", "role", "round", "section", "item_id", "question",
    "status", "answer_id", "answer", "item_score",
]  # fmt: skip


def participants_csv(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    lang: Lang = "de",
    *,
    population: int | None = None,
    body_kind: str | None = None,
    first_round: Sequence[Participant] | None = None,
) -> str:
    """One row per round × participant × item of the general section and the chosen domains.

    Every participant gets the same rows (easy to pivot); ``status`` says whether the
    item was answered, "don't know", unanswered, hidden by a condition or unreadable.
    The item score is given for answered items only. Every cell is neutralised
    against spreadsheet formulas (:func:`csv_safe`).

    Without ``first_round`` every row is round 1. With it (the participants with their
    first-round answers, :func:`ktmsc.workshop.delphi.first_round`) its rows come first as
    round 1, then ``participants`` (the answers now) as round 2. The ``round`` column stands
    after ``role`` (see the module's docstring).
    """
    chosen = chosen_domains(questionnaire, domains)
    # The item columns are the same for every participant: neutralised once.
    items = [
        (item, [csv_safe(section_id), csv_safe(item.id), csv_safe(item.text.get(lang))])
        for section_id in (GENERAL, *chosen)
        for item in questionnaire.items_for(section_id, perspective)
    ]
    buffer, writer = csv_writer(lang)
    writer.writerow(csv_header(PARTICIPANTS_CSV_COLUMNS, lang))
    for number, participant in _rounds(participants, first_round):
        who = [csv_safe(participant.id), csv_safe(participant.name), csv_safe(participant.role), str(number)]
        states = item_states(questionnaire, participant.answers, (GENERAL, *chosen), perspective, population, body_kind)
        for item, columns in items:
            value = participant.answers.get(item.id)
            state = states[item.id]
            writer.writerow([
                *who, *columns, status_code(state.state), csv_safe(answer_id(value)),
                csv_safe(answer_label(item, value, lang)), item_score_cell(state, lang),
            ])  # fmt: skip
    return buffer.getvalue()


def _rounds(current: Sequence[Any], first: Sequence[Any] | None) -> list[tuple[int, Any]]:
    """(round, entry) for every entry: ``current`` alone as round 1, or ``first`` (round 1) then
    ``current`` (round 2)."""
    if first is None:
        return [(1, entry) for entry in current]
    return [*((1, entry) for entry in first), *((2, entry) for entry in current)]


def _points_by_participant(group: GroupResult) -> dict[tuple[str, str], ParticipantPoint]:
    """(domain id, participant id) → the participant's position there."""
    return {(d, p.participant_id): p for d, g in group.by_domain.items() for p in g.points}


def positions_csv(
    questionnaire: Questionnaire, group: GroupResult, lang: Lang = "de", *, first: GroupResult | None = None
) -> str:
    """One row per round × participant × domain: progress, both scores with their intervals,
    coverage, type; the score cells stay empty where a participant has no position.

    Without ``first`` every row is round 1; with it (the first round's group result) its rows
    come first as round 1, then ``group`` as round 2. The ``round`` column stands after
    ``role``, as in :func:`participants_csv`."""
    x_id, y_id = questionnaire.dimension_ids
    dimensions = [
        dimension_column(questionnaire, key, d, lang)
        for d in (x_id, y_id)
        for key in ("dimension", "dimension_min", "dimension_max")
    ]
    header = csv_header(
        [
            "participant_id", "pseudonym", "role", "round", "answered", "asked", "domain", "domain_name",
            *dimensions, "coverage", "type_id", "type_name", "stable",
        ],
        lang,
    )  # fmt: skip
    buffer, writer = csv_writer(lang)
    writer.writerow(header)
    for number, result in _rounds([group], None if first is None else [first]):
        _position_rows(writer, questionnaire, result, number, lang)
    return buffer.getvalue()


def _position_rows(writer: Any, questionnaire: Questionnaire, group: GroupResult, number: int, lang: Lang) -> None:
    """The rows of one round of :func:`positions_csv`."""
    points = _points_by_participant(group)
    for status in group.participants:
        participant = status.participant
        for domain_id in group.domains:
            base = [
                participant.id, participant.name or "", participant.role or "", number,
                status.progress.answered, status.progress.asked,
                domain_id, questionnaire.domain(domain_id).name.get(lang),
            ]  # fmt: skip
            point = points.get((domain_id, participant.id))
            if point is None:
                rest = [""] * 10
            else:
                rest = [
                    *(fmt_cell(v, lang, 1) for v in (point.x, *point.x_interval, point.y, *point.y_interval)),
                    fmt_cell(point.coverage, lang, 3), point.type_id, type_name(questionnaire, point.type_id, lang),
                    str(point.stable).lower(),
                ]  # fmt: skip
            writer.writerow([csv_safe(cell) for cell in [*base, *rest]])


def _json_value(value: Any) -> Any:
    """Answers as stored, made JSON-safe (non-finite numbers → null, odd types → text)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def _participants_json(questionnaire: Questionnaire, group: GroupResult) -> list[dict[str, Any]]:
    """Every participant of ``group``: progress, answers as stored, position per domain."""
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
    return participants


def group_json(
    questionnaire: Questionnaire,
    group: GroupResult,
    *,
    first: GroupResult | None = None,
    second_round_items: Sequence[str] = (),
) -> str:
    """The group result and every participant's answers and positions, as JSON (UTF-8 text).

    The top level is the current round, laid out as it always was, with ``"round"``: 1, or 2
    when ``first`` (the first round's group result) is given. Then the file also holds
    ``"second_round": {"items": [...]}`` (the ids of the questions asked again,
    ``second_round_items``) and ``"first_round"``: the first round's ``participants`` (the same
    layout as the top level's) and its group figures (:meth:`GroupResult.to_json`).

    :data:`FORMAT_VERSION` stays 1: these fields were added without changing or removing one,
    so a reader of the earlier files finds everything it knew, with the same meaning (the top
    level is the round the dashboard shows); a reader that does not know ``"round"`` reads a
    file without it as round 1.
    """
    x_id, y_id = questionnaire.dimension_ids
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "round": 1 if first is None else 2,
        "questionnaire_version": group.questionnaire_version,
        "domains": list(group.domains),
        "perspective": group.perspective,
        "population": group.population,
        "agreement_share": group.agreement_share,
        "axes": {"x": x_id, "y": y_id},
        "disagreement": {lang: t("workshop.agenda.measure_explained", lang) for lang in ("de", "en")},
        "participants": _participants_json(questionnaire, group),
        **group.to_json(),
    }
    if first is not None:
        data["second_round"] = {"items": [str(i) for i in second_round_items]}
        data["first_round"] = {"participants": _participants_json(questionnaire, first), **first.to_json()}
    # Compact: pretty-printed, a two-round file of 50 participants in six domains was 0.94 MB, near
    # the import's limit (MAX_FILE_BYTES); compact it is 0.58 MB. A JSON viewer formats it anyway.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
