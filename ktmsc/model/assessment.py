"""The assessment: what one respondent (or one group) answered about one municipality.

This is the one answer model of the product. The app's widgets, the storage
layer, the CLI and the reports all read and write this object. Its JSON form
(``"format": "ktmsc-assessment"``, version 2) is what users download and upload.

Version 2 added the targets (per domain, the type it wants to be in two years) and the
action plan (:class:`PlanEntry`). A file of version 1 still imports: :func:`upgraded` brings its data to the current version first
(it has no targets), and every later version bump adds its step there. A workshop's group
result also says where it comes from (:class:`GroupOrigin`: participants, spread and
agreement per domain); a file without it is a single assessment.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ktmsc.model.answers import State, answer_score
from ktmsc.model.limits import (
    FIRST_DUE_YEAR,
    LAST_DUE_YEAR,
    MAX_EVIDENCE,
    MAX_FILE_BYTES,
    MAX_NAME,
    MAX_NOTE,
    MAX_PLAN_ENTRIES,
    MAX_PLAN_NOTE,
    MAX_POPULATION,
    MAX_TITLE,
    MAX_WHO,
)
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire

FORMAT = "ktmsc-assessment"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)  # older versions are upgraded on import (:func:`upgraded`)

AnswerValue = str | list[str] | float | int

# How the questions are asked: all of them, or the quick check (ktmsc/quick.py), which asks
# the questions that can still change a type first and offers to stop once none can.
MODE_FULL = "full"
MODE_QUICK = "quick"


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class AssessmentProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=MAX_NAME)
    body_kind: str | None = None
    state: str | None = None
    population: int | None = Field(default=None, ge=0, le=MAX_POPULATION)
    perspective: Literal["verwaltung", "buergerin"] = PERSPECTIVE_ADMIN
    mode: Literal["full", "quick"] = MODE_FULL


PlanStatus = Literal["planned", "under_way", "done", "dropped"]
PLAN_STATUSES: tuple[str, ...] = ("planned", "under_way", "done", "dropped")
ENTRY_ID = re.compile(r"^[0-9a-f]{16}$")


def check_due(value: date | None) -> date | None:
    """A plan entry's "by when": a date in the years the limits allow, or none."""
    if value is not None and not FIRST_DUE_YEAR <= value.year <= LAST_DUE_YEAR:
        raise ValueError(f"the date must lie between {FIRST_DUE_YEAR} and {LAST_DUE_YEAR}")
    return value


class PlanEntry(BaseModel):
    """One entry of the action plan: a measure (an item of a domain moved to ``to_value``),
    who does it, by when, how far it is, and a note. Texts are plain text."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: str = Field(pattern=ENTRY_ID.pattern)
    domain: str = Field(min_length=1, max_length=100)
    item_id: str = Field(min_length=1, max_length=100)
    to_value: AnswerValue
    who: str = Field(default="", max_length=MAX_WHO)
    due: date | None = None
    status: PlanStatus = "planned"
    note: str = Field(default="", max_length=MAX_PLAN_NOTE)

    @field_validator("due")
    @classmethod
    def _due(cls, value: date | None) -> date | None:
        return check_due(value)


class GroupSpread(BaseModel):
    """A group result's domain as the group had it: how many were placed, the middle half of
    their points per axis (first and third quartile, by dimension id), and how many lie in
    the group's quadrant. The assessment's own answers give the median point; this says how
    far the participants were apart, which those answers cannot show."""

    model_config = ConfigDict(extra="forbid")

    placed: int = Field(ge=0)  # participants with a point in this domain
    middle_half: dict[str, tuple[float, float]] = Field(default_factory=dict)  # dimension id → (q1, q3), 0–100
    in_group_type: int = Field(ge=0)  # placed participants whose own type is the group's type
    agrees: bool  # at least ``scoring.agreement_share`` of them lie in the group's quadrant
    one_type: bool  # the middle half lies in one quadrant

    @field_validator("middle_half")
    @classmethod
    def _quartiles(cls, value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for q1, q3 in value.values():
            if not (0 <= q1 <= q3 <= 100):
                raise ValueError("a middle half needs 0 ≤ q1 ≤ q3 ≤ 100")
        return value


class GroupOrigin(BaseModel):
    """Where a group result comes from: a workshop, its participants, and per domain the
    spread and agreement of the group (:class:`GroupSpread`)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="", max_length=MAX_TITLE)  # the workshop's title
    participants: int = Field(ge=1)  # participants whose answers went into the result
    domains: dict[str, GroupSpread] = Field(default_factory=dict)


class Assessment(BaseModel):
    """Profile, chosen domains, answers by item id, notes and evidence links."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    format: Literal["ktmsc-assessment"] = FORMAT
    version: Literal[2] = FORMAT_VERSION
    questionnaire_version: str | None = None
    profile: AssessmentProfile = Field(default_factory=AssessmentProfile)
    domains: list[str] = Field(default_factory=list)
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    evidence: dict[str, str] = Field(default_factory=dict)
    targets: dict[str, str] = Field(default_factory=dict)  # domain id → type id: where it wants to be in two years
    plan: list[PlanEntry] = Field(default_factory=list, max_length=MAX_PLAN_ENTRIES)  # the action plan
    group: GroupOrigin | None = None  # a workshop's group result: the median of several participants
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def perspective(self) -> str:
        return self.profile.perspective

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2)


class AssessmentError(ValueError):
    """A file or value that cannot be an assessment. ``key`` names the message in the UI texts."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(ERROR_MESSAGES[key].format(**params))


# English messages for the CLI; the app shows the same keys from its text catalogue.
ERROR_MESSAGES = {
    "too_large": "the file is {size_kb} KB; the limit is {limit_kb} KB",
    "empty": "the file is empty",
    "binary": "the file is not text (binary data?); expected a JSON file exported by the KTMSC Self-Check",
    "not_json": "the file is not valid JSON (truncated or damaged?): {reason}",
    "not_object": 'the file holds JSON, but not an assessment (expected an object with "format": "ktmsc-assessment")',
    "wrong_format": 'the file is not a KTMSC assessment (its format is {found}, expected "ktmsc-assessment")',
    "wrong_version": "the file has format version {found}; this app reads version {expected}",
    "unknown_plan": "the file has plan entries for questions or domains this questionnaire does not have, or twice the same entry: {ids}",
    "unknown_targets": "the file has targets this questionnaire cannot read (an unknown domain or type): {ids}",
    "invalid_field": "the field {field} is invalid: {reason}",
    "unknown_domains": "the file names domains this questionnaire does not have: {ids}",
    "no_domains": "the file names no domain to assess",
    "unknown_items": "the file has answers to questions this questionnaire does not have ({count}): {ids}. Was it made with another questionnaire?",
    "invalid_answers": "the file has answers this questionnaire cannot read ({count}): {details}",
    "unknown_notes": "the file has notes or evidence for questions this questionnaire does not have: {ids}",
    "text_too_long": "the {field} for {item} is longer than {limit} characters",
    "bad_character": "the field {field} contains a character no text may hold (a NUL character or an unpaired surrogate)",
}


def _ids(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def parse_assessment(
    raw: bytes | str, questionnaire: Questionnaire, *, strict: bool = True, max_bytes: int = MAX_FILE_BYTES
) -> Assessment:
    """Read an exported assessment, checking everything; raise :class:`AssessmentError`.

    With ``strict`` (imports, CLI), answers to unknown items are an error. Without
    it (stored assessments after a content update), they are kept and the scoring
    ignores them.
    """
    return assessment_from_data(load_json(raw, max_bytes), questionnaire, strict=strict)


def load_json(raw: bytes | str, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """A file's JSON, or :class:`AssessmentError` when it is too large, empty, binary or not JSON
    (the checks of every file the app reads: an assessment's, a workshop's)."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise AssessmentError("too_large", size_kb=math.ceil(size / 1000), limit_kb=max_bytes // 1000)
    if size == 0 or not raw.strip():
        raise AssessmentError("empty")
    if isinstance(raw, bytes):
        if b"\x00" in raw:
            raise AssessmentError("binary")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AssessmentError("binary") from None
    else:
        text = raw
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AssessmentError("not_json", reason=f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise AssessmentError("not_json", reason="nested too deeply") from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise AssessmentError("not_json", reason="a number with thousands of digits") from None


def assessment_from_data(data: Any, questionnaire: Questionnaire, *, strict: bool = True) -> Assessment:
    if not isinstance(data, dict):
        raise AssessmentError("not_object")
    if data.get("format") != FORMAT:
        raise AssessmentError("wrong_format", found=json.dumps(data.get("format"))[:40])
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise AssessmentError("wrong_version", found=json.dumps(version)[:20], expected=FORMAT_VERSION)
    data = upgraded(data)
    bad = _unstorable_text(data)
    if bad is not None:
        raise AssessmentError("bad_character", field=bad)
    assessment = validated(Assessment, data)
    check_assessment(assessment, questionnaire, strict=strict)
    return assessment


_Model = TypeVar("_Model", bound=BaseModel)


def validated(model: type[_Model], data: Any) -> _Model:
    """``data`` as ``model``, or :class:`AssessmentError` ("invalid_field") naming the first field
    that is wrong and why (every file the app reads reports a wrong field so)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise AssessmentError("invalid_field", field=field, reason=err["msg"]) from None


def upgraded(data: dict[str, Any]) -> dict[str, Any]:
    """The file's data brought to :data:`FORMAT_VERSION`, one version step after the other
    (a new dict; the caller checked the version is readable)."""
    data = dict(data)
    if data["version"] == 1:  # version 2 added the targets and the action plan; a version-1 file has neither
        data = {**data, "version": 2, "targets": {}, "plan": []}
    return data


def _unstorable_text(data: Any, path: str = "") -> str | None:
    """The path of the first key or text holding a NUL or a lone surrogate (no database or
    UTF-8 file can hold them), else None."""
    if isinstance(data, str):
        return (path or "(top level)") if _UNSTORABLE.search(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _UNSTORABLE.search(key):
                return (path or "(top level)") + " (a key)"
            found = _unstorable_text(value, where)
            if found is not None:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = _unstorable_text(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def check_assessment(assessment: Assessment, questionnaire: Questionnaire, *, strict: bool = True) -> None:
    unknown_domains = [d for d in assessment.domains if d not in questionnaire.domain_ids]
    if unknown_domains:
        raise AssessmentError("unknown_domains", ids=_ids(unknown_domains))
    if not assessment.domains:
        raise AssessmentError("no_domains")
    if strict:
        _check_answers(assessment, questionnaire)
        _check_targets(assessment, questionnaire)
    _check_texts(assessment, questionnaire, strict)


def _check_answers(assessment: Assessment, questionnaire: Questionnaire) -> None:
    """Every answer names a question of this questionnaire and is one its question can read
    (a number even without a population; "not our task" where the body kind may say so)."""
    where = questionnaire.municipality(assessment.profile.population or 1, assessment.profile.body_kind)
    unknown = [k for k in assessment.answers if k not in questionnaire.items]
    if unknown:
        raise AssessmentError("unknown_items", count=len(unknown), ids=_ids(unknown))
    invalid = [
        f"{item_id}={json.dumps(value, ensure_ascii=False)[:30]}"
        for item_id, value in assessment.answers.items()
        if answer_score(questionnaire.items[item_id], value, where).state is State.INVALID
    ]
    if invalid:
        raise AssessmentError("invalid_answers", count=len(invalid), details=_ids(invalid, 3))


def _check_targets(assessment: Assessment, questionnaire: Questionnaire) -> None:
    stray = [
        f"{domain}={type_id}"
        for domain, type_id in assessment.targets.items()
        if domain not in questionnaire.domain_ids or type_id not in questionnaire.types
    ]
    if stray:
        raise AssessmentError("unknown_targets", ids=_ids(stray))
    seen: set[str] = set()
    stray = []
    for entry in assessment.plan:
        if entry.domain not in questionnaire.domain_ids or entry.item_id not in questionnaire.items or entry.id in seen:
            stray.append(entry.id)
        seen.add(entry.id)
    if stray:
        raise AssessmentError("unknown_plan", ids=_ids(stray))


def _check_texts(assessment: Assessment, questionnaire: Questionnaire, strict: bool) -> None:
    for field, texts, limit in (("note", assessment.notes, MAX_NOTE), ("evidence", assessment.evidence, MAX_EVIDENCE)):
        stray = [k for k in texts if k not in questionnaire.items]
        if stray and strict:
            raise AssessmentError("unknown_notes", ids=_ids(stray))
        for item_id, text in texts.items():
            if len(text) > limit:
                raise AssessmentError("text_too_long", field=field, item=item_id, limit=limit)


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MODE_FULL",
    "MODE_QUICK",
    "PLAN_STATUSES",
    "Assessment",
    "AssessmentError",
    "AssessmentProfile",
    "PlanEntry",
    "assessment_from_data",
    "check_assessment",
    "parse_assessment",
    "upgraded",
]
