"""Checks of answers against the questionnaire, so the database holds only what an item allows.

The shapes the database must be able to hold are checked in :mod:`ktmsc.storage.values`;
here an answer is checked against its item: the item exists, a single choice is one of its
options, a multi choice a list of its options (an exclusive option alone), a number finite,
at least 0 and at most :data:`~ktmsc.model.limits.MAX_NUMBER`, "not our task" only where the
item offers it for the assessment's kind of body, "don't know" everywhere. What an item can
read is decided by :func:`ktmsc.model.answers.answer_score` alone; this module only names
the problem when it says ``INVALID``.

Clearing (``None``) is always allowed, also for items a content update removed: people can
always take their data back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ktmsc.model.answers import State, answer_score
from ktmsc.model.limits import MAX_NUMBER
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import NOT_APPLICABLE, Item
from ktmsc.storage.errors import InvalidAnswer

SHOWN_OPTIONS = 8


def item_of(questionnaire: Questionnaire, item_id: str) -> Item:
    item = questionnaire.items.get(item_id)
    if item is None:
        raise InvalidAnswer(item_id, f"questionnaire {questionnaire.version} has no question with this id")
    return item


def answer(questionnaire: Questionnaire, item_id: str, value: Any, body_kind: str | None = None) -> None:
    """Raise :class:`InvalidAnswer` unless ``value`` is an answer the item allows.

    With ``body_kind`` None, "not our task" passes for every item that offers it to some
    kind of body; :func:`not_applicable` then checks it once the assessment's kind is known.
    """
    if value is None:
        return
    item = item_of(questionnaire, item_id)
    state = answer_score(item, value, questionnaire.municipality(None, body_kind)).state
    if state is State.INVALID:
        raise InvalidAnswer(item_id, _problem(item, value, body_kind))


def not_applicable(questionnaire: Questionnaire, item_id: str, value: Any, profile: Mapping[str, Any]) -> None:
    """The part of :func:`answer` that needs the assessment's stored profile (its kind of body)."""
    if value == NOT_APPLICABLE:
        answer(questionnaire, item_id, value, profile.get("body_kind"))


def texts_item(questionnaire: Questionnaire, item_id: str, text: str | None) -> None:
    """A note or evidence belongs to a question of the questionnaire (clearing always works)."""
    if text is not None:
        item_of(questionnaire, item_id)


def rows(questionnaire: Questionnaire, answer_rows: Mapping[str, Mapping[str, Any]], body_kind: str | None) -> None:
    """Every row of a new or imported assessment: its answer, note and evidence (see :func:`answer`)."""
    for item_id, row in answer_rows.items():
        answer(questionnaire, item_id, row.get("value"), body_kind)
        texts_item(questionnaire, item_id, row.get("note") or row.get("evidence"))


def _problem(item: Item, value: Any, body_kind: str | None = None) -> str:
    shown = _shown(value)
    if value == NOT_APPLICABLE:
        where = f"for the body kind {body_kind!r}" if body_kind else "for any kind of body"
        return f"{shown} is not offered {where}"
    options = ", ".join(o.id for o in item.options[:SHOWN_OPTIONS]) + (
        ", …" if len(item.options) > SHOWN_OPTIONS else ""
    )
    if item.type == "single":
        return f"{shown} is not one of its options ({options}, dont_know)"
    if item.type == "multi":
        exclusive = [o.id for o in item.options if o.exclusive]
        alone = f"; {', '.join(exclusive)} only alone" if exclusive else ""
        return f"{shown} is not a list of its options ({options}){alone}"
    return f"{shown} is not a number from 0 to {MAX_NUMBER:,}"


def _shown(value: Any) -> str:
    """The refused value, short enough for a log line and a message."""
    huge = isinstance(value, int) and abs(value) >= 10**20  # (int → text is refused beyond 4300 digits)
    text = "a huge number" if huge else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def accepted(questionnaire: Questionnaire, item_id: str, value: Any, body_kind: str | None) -> bool:
    """Whether :func:`answer` lets ``value`` through (a follow-up keeps only such answers)."""
    try:
        answer(questionnaire, item_id, value, body_kind)
    except InvalidAnswer:
        return False
    return True
