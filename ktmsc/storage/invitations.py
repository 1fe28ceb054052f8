"""Personal workshop invitations in the store: participants the facilitator creates in advance,
each with a label only the facilitator sees and an optional role, and a new link for a lost one.

An invitation *is* a participant (``kind="participant"``) whose ``invited_as`` holds the label:
its edit token is the personal link's token, so opening the link opens that participant's
questions, like a resume link. The token exists in clear only in what
:meth:`Invitations.create_invitations` and :meth:`Invitations.renew_invitation` return (the
database holds its hash, as for every edit token); the facilitator is shown it once.

Decisions:

* The label is the facilitator's note of who it is for, never the participant's pseudonym:
  ``participant_name`` stays empty, so the dashboard, the projector and the exports, which
  may be shown to the room, number an invited participant like anyone else. The role is
  ``participant_role``, the same role a participant gives when joining, so the result by role
  counts it.
* All invitations of one call are made in one transaction, all or none. It holds the workshop
  row for update, so two tabs inviting at once cannot both make a label that is taken, and the
  workshop cannot close or enter its second round halfway. A closed workshop and one in its
  second round take no new participants, as joining does not.
* Labels are unique per workshop, compared with whitespace collapsed and case ignored (the
  tracking lists people by label): a label that is taken raises :class:`LabelTaken`, which
  names them, since the way to a lost link is a new link for the same participant, not a second
  participant.
* A new link (:meth:`Invitations.renew_invitation`) replaces the edit token's hash: the old
  link opens nothing from then on, also in the participant's device cookie. It works in a
  closed workshop too: the participant may still want to see or delete their answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ktmsc.model.assessment import MODE_FULL, AssessmentProfile
from ktmsc.model.limits import MAX_INVITATION_LABEL, MAX_INVITATIONS, MAX_ROLE
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.text import text_key
from ktmsc.storage import tokens, values
from ktmsc.storage.errors import AssessmentNotFound, InvalidValue, NotInSecondRound, WorkshopNotFound
from ktmsc.storage.records import Invitation
from ktmsc.storage.second_round import locked_open_workshop
from ktmsc.storage.tables import assessments


class LabelTaken(InvalidValue):
    """Labels of the workshop's invitations already (``labels``, as stored)."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = tuple(labels)
        super().__init__(f"already invited: {', '.join(repr(label[:40]) for label in self.labels[:5])}")


def _now() -> datetime:
    return datetime.now(UTC)


def _one_line(value: object, limit: int, what: str, *, required: bool = False) -> str | None:
    """One line without a tab either: a tab separates label and role in the facilitator's lines."""
    checked = values.one_line(value, limit, what, required=required)
    if checked is not None and "\t" in checked:
        raise InvalidValue(f"{what} is one line")
    return checked


def checked_entries(entries: object) -> list[tuple[str, str | None]]:
    """The (label, role) pairs, stripped and checked; raises :class:`InvalidValue`."""
    if not isinstance(entries, (list, tuple)) or not 1 <= len(entries) <= MAX_INVITATIONS:
        raise InvalidValue(f"1 to {MAX_INVITATIONS} invitations at once")
    checked: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise InvalidValue("an invitation is a (label, role) pair")
        label = _one_line(entry[0], MAX_INVITATION_LABEL, "the invitation label", required=True)
        assert label is not None
        role = _one_line(entry[1], MAX_ROLE, "the participant role")
        if text_key(label) in seen:
            raise InvalidValue(f"the label {label[:40]!r} is given twice")
        seen.add(text_key(label))
        checked.append((label, role))
    return checked


class Invitations:
    """The invitation part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    questionnaire: Questionnaire | None

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def create_invitations(self, workshop_id: str, entries: Sequence[tuple[str, str | None]]) -> list[Invitation]:
        """One new participant per (label, role) of the open workshop, in the order given; returns
        each with its link's token, in clear only here. All or none (see the module's docstring)."""
        if not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        checked = checked_entries(entries)
        version = self.questionnaire.version if self.questionnaire is not None else None
        made = [
            Invitation(id=tokens.new_id(), label=label, role=role, edit_token=tokens.new_token())
            for label, role in checked
        ]
        with self._write() as conn:
            now = _now()
            row = locked_open_workshop(conn, workshop_id, now)
            if row.second_round_items is not None:  # the second round asks those who answered the first
                raise NotInSecondRound(workshop_id)
            stored = conn.execute(
                select(assessments.c.invited_as).where(
                    assessments.c.workshop_id == workshop_id, assessments.c.invited_as.is_not(None)
                )
            ).scalars()
            taken = {text_key(label): label for label in stored}
            clashes = [taken[text_key(i.label)] for i in made if text_key(i.label) in taken]
            if clashes:
                raise LabelTaken(clashes)
            # Everyone in a workshop answers every question of its domains, as joining does.
            profile = AssessmentProfile.model_validate(row.profile).model_copy(
                update={"perspective": row.perspective, "mode": MODE_FULL}
            )
            common: dict[str, Any] = {
                "kind": "participant",
                "workshop_id": workshop_id,
                "profile": profile.model_dump(mode="json"),
                "domains": list(row.domains),
                "questionnaire_version": version,
                "updated_at": now,
            }
            conn.execute(
                insert(assessments),
                [
                    {
                        **common,
                        "id": i.id,
                        "edit_token_hash": tokens.hash_token(i.edit_token),
                        "share_token": tokens.new_token(),
                        "participant_role": i.role,
                        "invited_as": i.label,
                        # A microsecond apart: participants are read oldest first, so in the order given.
                        "created_at": now + timedelta(microseconds=n),
                    }
                    for n, i in enumerate(made)
                ],
            )
        return made

    def renew_invitation(self, workshop_id: str, assessment_id: str) -> str:
        """A new link for an invitation of this workshop (a lost one): returns its token, in clear
        only here; the old link opens nothing from now on. Raises :class:`AssessmentNotFound` for
        anything but an invitation of this workshop."""
        if not tokens.is_id(workshop_id) or not tokens.is_id(assessment_id):
            raise AssessmentNotFound(assessment_id)
        token = tokens.new_token()
        with self._write() as conn:
            result = conn.execute(
                update(assessments)
                .where(
                    assessments.c.id == assessment_id,
                    assessments.c.workshop_id == workshop_id,
                    assessments.c.invited_as.is_not(None),
                )
                .values(edit_token_hash=tokens.hash_token(token))
            )
            if result.rowcount == 0:
                raise AssessmentNotFound(assessment_id)
        return token
