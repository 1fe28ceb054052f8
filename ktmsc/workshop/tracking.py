"""Personal invitations of a workshop: the facilitator's list going in, who has started coming out.

Pure core like the rest of :mod:`ktmsc.workshop`. The store makes the invitations
(:mod:`ktmsc.storage.invitations`); this module reads the facilitator's lines, says what is
wrong with them, puts the links into a CSV file, and tells from the participants' progress
who has not started, who is under way and who is finished.

Decisions, so the facilitator's page can explain them:

* **Lines.** One invitation per line: the label, then optionally ``;`` (or a tab, as a
  spreadsheet pastes two columns) and the role. Blank lines are skipped. The label is required
  and unique in the list and among the workshop's invitations (whitespace collapsed, case
  ignored, as the store compares them); a problem is reported with its line number, and
  nothing is made until every line is right.
* **States.** From the participant's :class:`~ktmsc.workshop.model.Progress` as the group
  result counts it (answered = an answer or "don't know", asked = the questions shown to them,
  conditions applied): *not started* without any answer, *finished* when every question asked
  is answered (as :attr:`~ktmsc.workshop.model.GroupResult.finished` counts), *under way*
  in between, with the share answered. An invitation missing from the progress (not read yet)
  counts as not started.
* **Order.** The invitations in the order given (the store's: oldest first), so the
  facilitator finds them where they typed them.
* The texts hold the facilitator's free text (labels, roles): the caller escapes them before
  Markdown or HTML. The CSV neutralises every cell against spreadsheet formulas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ktmsc.export import csv_safe, csv_writer
from ktmsc.i18n import Lang
from ktmsc.labels import fmt_number, fmt_percent
from ktmsc.model.limits import MAX_INVITATION_LABEL, MAX_INVITATIONS, MAX_ROLE
from ktmsc.model.text import text_key
from ktmsc.texts import t
from ktmsc.workshop.model import GroupResult, Progress

NOT_STARTED, UNDER_WAY, FINISHED = "not_started", "under_way", "finished"
STATES = (NOT_STARTED, UNDER_WAY, FINISHED)
SUGGESTED_ROLES = ("leadership", "department", "it", "politics", "civil_society")  # invitations.roles.<id>
SEPARATORS = (";", "\t")
_NO_PROGRESS = Progress(answered=0, dont_know=0, asked=0)


class Invited(Protocol):
    """What the tracking needs of a participant (:class:`ktmsc.storage.StoredAssessment` has it)."""

    @property
    def id(self) -> str: ...

    @property
    def invited_as(self) -> str | None: ...

    @property
    def participant_role(self) -> str | None: ...


# --- the facilitator's lines ---------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong with one line (``line`` 1-based; 0: the list as a whole)."""

    code: str  # "label_missing" | "label_too_long" | "role_too_long" | "twice" | "taken" | "too_many" | "empty"
    line: int = 0
    label: str = ""


def parse_lines(text: str, taken: Iterable[str] = ()) -> tuple[list[tuple[str, str | None]], list[Problem]]:
    """The (label, role) pairs of the facilitator's lines, and what is wrong with them; the pairs
    are only to be made when there is no problem. ``taken``: the workshop's labels already."""
    entries: list[tuple[str, str | None]] = []
    problems: list[Problem] = []
    seen = {text_key(label) for label in taken}
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not numbered:
        return [], [Problem("empty")]
    if len(numbered) > MAX_INVITATIONS:
        return [], [Problem("too_many")]
    for number, line in numbered:
        label, role = _split(line)
        if not label:
            problems.append(Problem("label_missing", number))
            continue
        if len(label) > MAX_INVITATION_LABEL:
            problems.append(Problem("label_too_long", number, label[:40]))
        elif role is not None and len(role) > MAX_ROLE:
            problems.append(Problem("role_too_long", number, label))
        elif text_key(label) in seen:
            in_list = any(text_key(label) == text_key(e[0]) for e in entries)
            problems.append(Problem("twice" if in_list else "taken", number, label))
        else:
            entries.append((label, role))
        seen.add(text_key(label))
    return entries, problems


def _split(line: str) -> tuple[str, str | None]:
    cut = min((i for i in (line.find(s) for s in SEPARATORS) if i >= 0), default=-1)
    if cut < 0:
        return _clean(line), None
    return _clean(line[:cut]), _clean(line[cut + 1 :]) or None


def _clean(text: str) -> str:
    """Whitespace collapsed, control characters gone: a label is one line of plain text."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def problem_text(problem: Problem, lang: Lang) -> str:
    limits = {"label_limit": MAX_INVITATION_LABEL, "role_limit": MAX_ROLE, "most": MAX_INVITATIONS}
    return t(f"invitations.problem.{problem.code}", lang, line=problem.line, label=problem.label, **limits)


def role_names(lang: Lang) -> list[str]:
    """The suggested roles in ``lang``: Verwaltungsspitze, Fachbereich, IT, Politik, Zivilgesellschaft."""
    return [t(f"invitations.roles.{role}", lang) for role in SUGGESTED_ROLES]


def links_csv(rows: Sequence[tuple[str, str | None, str]], lang: Lang) -> str:
    """The new invitations as a CSV file for a mail merge: label, role, personal link."""
    buffer, writer = csv_writer(lang)
    writer.writerow([t(f"invitations.csv.{column}", lang) for column in ("label", "role", "link")])
    for label, role, link in rows:
        writer.writerow([csv_safe(label), csv_safe(role), csv_safe(link)])
    return buffer.getvalue()


# --- who has started -------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationStatus:
    id: str  # the participant's (assessment) id
    label: str
    role: str | None
    state: str  # one of STATES
    progress: Progress

    @property
    def share(self) -> float:
        """The share answered, rounded down to a whole percent: under way never reads "100 %"."""
        done = self.progress
        return (100 * done.answered // done.asked) / 100 if done.asked else 0.0


@dataclass(frozen=True)
class Tracking:
    invitations: tuple[InvitationStatus, ...]

    @property
    def total(self) -> int:
        return len(self.invitations)

    def count(self, state: str) -> int:
        return sum(1 for i in self.invitations if i.state == state)


def state_of(progress: Progress) -> str:
    if progress.answered <= 0:
        return NOT_STARTED
    if progress.asked and progress.answered >= progress.asked:
        return FINISHED
    return UNDER_WAY


def progress_by_id(group: GroupResult) -> dict[str, Progress]:
    """Each participant's progress in the group result, by participant id."""
    return {s.participant.id: s.progress for s in group.participants}


def track(people: Iterable[Invited], progress: Mapping[str, Progress]) -> Tracking:
    """The invitations among ``people`` (those with a label), each with its state; see the module."""
    found = []
    for person in people:
        if person.invited_as is None:
            continue
        done = progress.get(person.id, _NO_PROGRESS)
        found.append(InvitationStatus(person.id, person.invited_as, person.participant_role, state_of(done), done))
    return Tracking(tuple(found))


def summary_text(tracking: Tracking, lang: Lang) -> str:
    """E.g. "3 von 12 noch nicht begonnen, 5 unterwegs, 4 fertig"."""
    counts: dict[str, Any] = {state: fmt_number(tracking.count(state), lang) for state in STATES}
    return t("invitations.tracking.summary", lang, total=fmt_number(tracking.total, lang), **counts)


def state_text(status: InvitationStatus, lang: Lang) -> str:
    """ "noch nicht begonnen", "unterwegs (40 %)" or "fertig"."""
    if status.state == UNDER_WAY:
        return t("invitations.state.under_way_share", lang, share=fmt_percent(status.share, lang))
    return t(f"invitations.state.{status.state}", lang)
