"""Reading a workshop's JSON file back (the file :func:`ktmsc.workshop.exports.group_json` writes).

What comes back is what the group result is made of: the participants and their answers, per
round, and the workshop's setting (domains, perspective, population). The figures the file
also holds (positions, spread, agenda, item counts) are not read: they follow from the answers,
and :func:`ktmsc.workshop.aggregate` computes them again, so a file cannot claim figures its
answers do not give.

Decisions:

* **Strict, like the import of an assessment** (:func:`ktmsc.model.assessment.parse_assessment`):
  an answer to a question this questionnaire does not have, or a value the question does not
  offer, refuses the whole file. A file read only in part would give a group result nobody
  gave. Answers are judged as the assessment import judges them: against the file's
  population (a number item reads without one), and "not our task" wherever a kind of body
  may say so, since the file does not name the body kind.
* **The errors** are :class:`AssessmentError` (one error type for every file the data page
  reads). Where an assessment's message fits (too large, not JSON, version, a field, unknown
  domains, unknown or unreadable answers) the same key is raised; what only a workshop file
  can get wrong is a :class:`GroupFileError`, whose texts live in ``locale/group_file.yaml``.
  :func:`error_text_key` names the text of either.
* **The rounds.** ``"round"`` is 1 or 2; a file without it is round 1 (the files written before
  the second round existed). A round-2 file holds the first round, and the first round has the
  same participants (the same ids) as the second: the second round asks the same people again.
* **Size**: the same limit as an assessment file (:data:`MAX_FILE_BYTES`, and the server's upload
  limit is the same). The file is written compact: a workshop of 50 participants over all six
  domains is about 0.58 MB with both rounds, so about 80 such participants fit.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ktmsc.i18n import Lang
from ktmsc.labels import counted
from ktmsc.model.answers import State, answer_score
from ktmsc.model.assessment import AnswerValue, Assessment, AssessmentError, AssessmentProfile, load_json, validated
from ktmsc.model.limits import (
    MAX_POPULATION,
    MAX_PSEUDONYM,
    MAX_ROLE,
    MAX_SECOND_ROUND_ITEMS,
    MAX_TITLE,
)
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.texts import t
from ktmsc.workshop.delphi import ROUNDS
from ktmsc.workshop.group import group_assessment
from ktmsc.workshop.model import FORMAT, FORMAT_VERSION, Participant

MAX_ID = 100  # a participant's id (the store's ids are far shorter)


class GroupFileError(AssessmentError):
    """What only a workshop file can get wrong; ``key`` names the text ``group_file.error.<key>``."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        ValueError.__init__(self, ERROR_MESSAGES[key].format(**params))


# English messages for logs and the command line; the app shows the same keys from its texts.
ERROR_MESSAGES = {
    "not_object": 'the file holds JSON, but not a workshop (expected an object with "format": "ktmsc-workshop")',
    "wrong_format": 'the file is not a KTMSC workshop file (its format is {found}, expected "ktmsc-workshop")',
    "bad_round": "the file names round {found}; a workshop has round 1 or 2",
    "no_first_round": "the file is round 2 but does not hold the first round",
    "unexpected_first_round": "the file is round 1 but holds a first round besides it",
    "first_round_mismatch": "the first round has other participants than the second: {ids}",
    "no_participants": "the file holds no participant",
    "duplicate_participants": "the file names a participant twice: {ids}",
    "unknown_round_items": "the second round asked questions this questionnaire does not have: {ids}",
}


def error_text_key(error: AssessmentError) -> str:
    """The key of the text that explains ``error`` to the user (its params fill it in)."""
    prefix = "group_file.error" if isinstance(error, GroupFileError) else "ui.import_error"
    return f"{prefix}.{error.key}"


@dataclass(frozen=True)
class GroupFile:
    """A workshop file as read: the current round (``round``, its ``participants``), and in a
    round-2 file the first round's participants (same ids, same order as in the file) and the
    questions the second round asked again."""

    round: int
    questionnaire_version: str
    domains: tuple[str, ...]
    perspective: str
    population: int | None
    participants: tuple[Participant, ...]
    first_round: tuple[Participant, ...] | None
    second_round_items: tuple[str, ...]

    @property
    def rounds(self) -> tuple[int, ...]:
        """The rounds the file holds: (1,) or (1, 2)."""
        return (1, 2) if self.first_round is not None else (1,)

    def round_participants(self, number: int) -> tuple[Participant, ...]:
        """The participants with their answers in round ``number`` (one of :attr:`rounds`)."""
        if number not in self.rounds:
            raise ValueError(f"the file holds no round {number}")
        if number == 1 and self.first_round is not None:
            return self.first_round
        return self.participants


# --- the file's layout (only what is read back) ------------------------------------------------


class _Participant(BaseModel):
    model_config = ConfigDict(extra="ignore")  # number, progress, positions: recomputed

    id: str = Field(min_length=1, max_length=MAX_ID)
    pseudonym: str | None = Field(default=None, max_length=MAX_PSEUDONYM)
    role: str | None = Field(default=None, max_length=MAX_ROLE)
    answers: dict[str, AnswerValue] = Field(default_factory=dict)


class _FirstRound(BaseModel):
    model_config = ConfigDict(extra="ignore")  # its group figures: recomputed

    participants: list[_Participant]


class _SecondRound(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[str] = Field(default_factory=list, max_length=MAX_SECOND_ROUND_ITEMS)


class _File(BaseModel):
    model_config = ConfigDict(extra="ignore")  # the group figures, axes, texts: recomputed

    questionnaire_version: str = Field(max_length=100)
    domains: list[str]
    perspective: Literal["verwaltung", "buergerin"]
    population: int | None = Field(default=None, ge=0, le=MAX_POPULATION)
    participants: list[_Participant]
    first_round: _FirstRound | None = None
    second_round: _SecondRound | None = None


# --- reading -----------------------------------------------------------------------------------


def is_group_file(data: bytes | str) -> bool:
    """Whether ``data`` is JSON with ``"format": "ktmsc-workshop"`` (nothing else is checked:
    the data page uses it to choose the reader, which then says what is wrong)."""
    try:
        parsed = load_json(data)
    except AssessmentError:
        return False
    return isinstance(parsed, dict) and parsed.get("format") == FORMAT


def read_group_file(data: bytes | str, questionnaire: Questionnaire) -> GroupFile:
    """Read a workshop file, checking everything; raise :class:`AssessmentError` (or its
    :class:`GroupFileError`) with the key of what is wrong."""
    raw = load_json(data)
    if not isinstance(raw, dict):
        raise GroupFileError("not_object")
    if raw.get("format") != FORMAT:
        raise GroupFileError("wrong_format", found=json.dumps(raw.get("format"))[:40])
    version = raw.get("version")
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise AssessmentError("wrong_version", found=json.dumps(version)[:20], expected=FORMAT_VERSION)
    number = raw.get("round", 1)
    if type(number) is not int or number not in ROUNDS:  # not True, not 2.0: exactly 1 or 2
        raise GroupFileError("bad_round", found=json.dumps(number)[:20])
    file = validated(_File, raw)
    _check_setting(file, questionnaire)
    participants = _participants(file.participants, file, questionnaire)
    first, items = _first_round(number, file, participants, questionnaire)
    return GroupFile(
        round=number,
        questionnaire_version=file.questionnaire_version,
        domains=tuple(file.domains),
        perspective=file.perspective,
        population=file.population,
        participants=participants,
        first_round=first,
        second_round_items=items,
    )


def round_assessment(
    questionnaire: Questionnaire, file: GroupFile, number: int, *, lang: Lang = "de", title: str = ""
) -> Assessment:
    """Round ``number``'s group result as a new assessment (:func:`group_assessment`), as the
    dashboard makes it: the file's domains, perspective and population (the file names no
    municipality and no body kind, so the profile has neither). ``title`` (plain text, e.g. the
    file's name) names the workshop; in a two-round file it says the round
    (``workshop.second_round.result_title``), as the dashboard's result does."""
    if len(file.rounds) > 1:
        title = t("workshop.second_round.result_title", lang, title=title, round=number)
    profile = AssessmentProfile(population=file.population, perspective=file.perspective)
    return group_assessment(
        questionnaire,
        file.round_participants(number),
        file.domains,
        file.perspective,
        profile,
        lang=lang,
        title=title[:MAX_TITLE],
    )


def _first_round(
    number: int, file: _File, participants: tuple[Participant, ...], questionnaire: Questionnaire
) -> tuple[tuple[Participant, ...] | None, tuple[str, ...]]:
    """A round-2 file's first round (the same participant ids as the second) and the questions
    asked again; a round-1 file has neither (its ``second_round``, if any, is not read)."""
    if number == 1:
        if file.first_round is not None:
            raise GroupFileError("unexpected_first_round")
        return None, ()
    if file.first_round is None:
        raise GroupFileError("no_first_round")
    first = _participants(file.first_round.participants, file, questionnaire)
    stray = sorted({p.id for p in first} ^ {p.id for p in participants})
    if stray:
        raise GroupFileError("first_round_mismatch", ids=_ids(stray))
    items = tuple(file.second_round.items) if file.second_round is not None else ()
    unknown = [i for i in items if i not in questionnaire.items]
    if unknown:
        raise GroupFileError("unknown_round_items", ids=_ids(unknown))
    return first, items


def summary(questionnaire: Questionnaire, file: GroupFile, lang: Lang = "de") -> str:
    """What the file holds, in one or two plain sentences: participants, domains, rounds."""
    held = t(
        "group_file.holds",
        lang,
        participants=counted("core.counts.participants", len(file.participants), lang),
        domains=counted("core.counts.domains", len(file.domains), lang),
        names=", ".join(questionnaire.domain(d).name.get(lang) for d in file.domains),
    )
    if file.first_round is None:
        return f"{held} {t('group_file.one_round', lang)}"
    questions = counted("core.counts.questions", len(file.second_round_items), lang)
    return f"{held} {t('group_file.two_rounds', lang, questions=questions)}"


def _check_setting(file: _File, questionnaire: Questionnaire) -> None:
    unknown = [d for d in file.domains if d not in questionnaire.domain_ids]
    if unknown:
        raise AssessmentError("unknown_domains", ids=_ids(unknown))
    if not file.domains:
        raise AssessmentError("no_domains")
    if not file.participants:
        raise GroupFileError("no_participants")


def _participants(entries: list[_Participant], file: _File, questionnaire: Questionnaire) -> tuple[Participant, ...]:
    """The entries as :class:`Participant` (no revision: the score cache knows them by their
    answers), after checking their ids are unique and every answer is one its question offers."""
    twice = sorted(i for i, n in Counter(p.id for p in entries).items() if n > 1)
    if twice:
        raise GroupFileError("duplicate_participants", ids=_ids(twice))
    unknown = sorted({k for p in entries for k in p.answers if k not in questionnaire.items})
    if unknown:
        raise AssessmentError("unknown_items", count=len(unknown), ids=_ids(unknown))
    where = questionnaire.municipality(file.population or 1, None)
    invalid = [
        f"{p.id}: {item_id}={json.dumps(value, ensure_ascii=False)[:30]}"
        for p in entries
        for item_id, value in p.answers.items()
        if answer_score(questionnaire.items[item_id], value, where).state is State.INVALID
    ]
    if invalid:
        raise AssessmentError("invalid_answers", count=len(invalid), details=_ids(invalid, 3))
    return tuple(Participant(p.id, p.pseudonym, p.role, dict(p.answers)) for p in entries)


def _ids(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


__all__ = [
    "ERROR_MESSAGES",
    "GroupFile",
    "GroupFileError",
    "error_text_key",
    "is_group_file",
    "read_group_file",
    "round_assessment",
    "summary",
]
