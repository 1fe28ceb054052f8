"""The browser's journal of the last answers given, judged against the stored answers.

A click in the last moments before an app server dies can be lost: the server got it and
died before the database had it, or never got it. The browser keeps a small journal of the
answers the person gave (question ids, option ids, numbers – no text), and on a new
session the app compares each entry with the stored answer (:func:`judge`). An entry whose
answer is stored is confirmed and dropped; one whose answer differs is pointed out at its
question with the journalled answer offered – never written without the person's click.

The journal comes from the browser, so it is untrusted: every entry is parsed here
(:func:`entries`), its options must be ones the question shows (:func:`shown_choices`, the
order the widgets draw them in), and the answer it proposes must be one the item can read
(:func:`~ktmsc.model.answers.answer_score`); anything else is dropped unseen.

An entry is one question's last input: a single choice names the option (``choose``); a
checkbox group keeps each box's last state in click order (``ticks``), replayed onto the
stored answer as the widgets do (:func:`~ktmsc.model.answers.toggled`); a number question
keeps the number entered (``number``, None for a cleared field), and its boxes ("don't
know", "not our task") are ticks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ktmsc.model.answers import State, answer_score, is_number, toggled
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, Item

MAX_ENTRIES = 500  # more than any questionnaire has questions: a longer journal is not ours
MAX_TICKS = 50
MAX_SEQ = 2**53  # a JavaScript counter stays exact below this


def extra_choices(not_ours: bool) -> list[str]:
    """The answers every item offers besides its options, in the order shown: "not our task"
    where the item offers it for the assessment's kind of body, then "don't know"."""
    return [NOT_APPLICABLE, DONT_KNOW] if not_ours else [DONT_KNOW]


def shown_choices(item: Item, body_kind: str | None) -> list[str]:
    """The ids of the radio buttons (single choice) or checkboxes (multiple choice, the boxes
    of a number question) the question shows, in page order."""
    options = [o.id for o in item.options] if item.type in ("single", "multi") else []
    return options + extra_choices(item.offers_not_applicable(body_kind))


@dataclass(frozen=True)
class Entry:
    """One question's last click in the browser; ``seq`` tells a later click apart."""

    item_id: str
    seq: int
    choose: str | None = None
    ticks: tuple[tuple[str, bool], ...] = ()
    number: float | None = None
    numbered: bool = False  # ``number`` was given (None: the field was cleared)


def entries(raw: Any) -> list[Entry]:
    """The well-formed entries of a journal as the browser sent it (a list of objects);
    anything else in it is left out."""
    if not isinstance(raw, list):
        return []
    parsed = [entry for entry in map(_entry, raw[:MAX_ENTRIES]) if entry is not None]
    latest: dict[str, Entry] = {}
    for entry in parsed:
        if entry.item_id not in latest or entry.seq > latest[entry.item_id].seq:
            latest[entry.item_id] = entry
    return list(latest.values())


def _entry(raw: Any) -> Entry | None:
    if not isinstance(raw, Mapping):
        return None
    item_id, seq, choose, ticks = raw.get("item"), raw.get("n"), raw.get("choose"), raw.get("ticks")
    if not isinstance(item_id, str) or not _is_seq(seq):
        return None
    if "number" in raw:
        number = raw["number"]
        if choose is None and ticks is None and (number is None or is_number(number)):
            return Entry(item_id, seq, number=None if number is None else float(number), numbered=True)
        return None
    if isinstance(choose, str) and ticks is None:
        return Entry(item_id, seq, choose=choose)
    if choose is None and isinstance(ticks, list) and 0 < len(ticks) <= MAX_TICKS:
        pairs = tuple(
            (t[0], t[1])
            for t in ticks
            if isinstance(t, list) and len(t) == 2 and isinstance(t[0], str) and isinstance(t[1], bool)
        )
        if len(pairs) == len(ticks):
            return Entry(item_id, seq, ticks=pairs)
    return None


def _is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_SEQ


def proposed(questionnaire: Questionnaire, item: Item, stored: Any, entry: Entry, body_kind: str | None) -> Any:
    """The answer the entry stands for, given the stored one; :data:`INVALID` when the entry
    names an option the question does not show or gives an answer the item cannot read."""
    shown = shown_choices(item, body_kind)
    if entry.numbered:
        if item.type != "number":
            return INVALID
        value = entry.number
    elif entry.choose is not None:
        if item.type != "single" or entry.choose not in shown:
            return INVALID
        value = entry.choose
    else:
        if item.type == "single" or any(option not in shown for option, _ticked in entry.ticks):
            return INVALID
        value = stored
        for option, ticked in entry.ticks:
            value = _ticked(item, value, option, ticked)
    where = questionnaire.municipality(None, body_kind)
    if value is not None and answer_score(item, value, where).state is State.INVALID:
        return INVALID
    return value


INVALID = object()  # what :func:`proposed` returns for an entry that is not to be believed


def _ticked(item: Item, current: Any, option: str, ticked: bool) -> Any:
    """A box of a checkbox group, or of a number question, ticked or unticked, as the widgets
    save it: a number question's box stands for its answer; unticking it leaves no answer."""
    if item.type == "multi":
        return toggled(item, current, option, ticked)
    if ticked:
        return option
    return None if current == option else current


@dataclass
class Judged:
    """What the app does with a reported journal: drop the entries whose answer is stored (or
    that are not valid), point out the others with the answer they propose."""

    drop: list[Entry] = field(default_factory=list)
    check: dict[str, tuple[Entry, Any]] = field(default_factory=dict)


def judge(questionnaire: Questionnaire, answers: Mapping[str, Any], raw: Any, body_kind: str | None) -> Judged:
    """Compare the journal's entries with the stored answers (see the module's docstring)."""
    judged = Judged()
    for entry in entries(raw):
        item = questionnaire.items.get(entry.item_id)
        stored = answers.get(entry.item_id)
        value = proposed(questionnaire, item, stored, entry, body_kind) if item is not None else INVALID
        if value is INVALID or value == stored:
            judged.drop.append(entry)
        else:
            judged.check[entry.item_id] = (entry, value)
    return judged
