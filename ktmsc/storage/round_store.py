"""Comparison rounds in the store: a host's round, the municipalities it invites, their invitations.

A round keeps its host key only as a hash, like a workshop's facilitator key. Each invited
municipality gets an invitation token, also only as a hash. Taking up the invitation creates
the municipality's assessment with the *same* token as its edit token: the invitation link is
also the resume link, and opening it again opens the assessment it started. Two people who
take up one invitation at the same moment cannot start two assessments: the edit token's
hash is unique, so the second insert fails and finds the first one's assessment.

Deleting a round deletes its list of municipalities, not their assessments: those belong to
the municipalities, which keep their links.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ktmsc import collector
from ktmsc.model.assessment import Assessment
from ktmsc.model.limits import MAX_NAME, MAX_POPULATION, MAX_ROSTER_ROWS, MAX_TITLE, OFFICIAL_KEY_LENGTHS
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import statements as sql
from ktmsc.storage import tokens, values
from ktmsc.storage.errors import InvalidValue, StorageError
from ktmsc.storage.records import Created, Round, RoundCreated, RoundMember, StoredAssessment
from ktmsc.storage.rows import assessment_record
from ktmsc.storage.tables import (
    BODY_KIND_COLUMN,
    STATE_COLUMN,
    answers,
    assessments,
    round_members,
    rounds,
)

_CODE = re.compile(r"[a-z][a-z0-9_]*")
MEMBERS_PER_INSERT = 1_000


class RoundNotFound(StorageError, LookupError):
    """The round does not exist (never created, or deleted)."""

    def __init__(self, round_id: object) -> None:
        super().__init__(f"round {str(round_id)[:40]!r} does not exist")


class InvitationUsed(StorageError):
    """The invitation has started an assessment already, which was deleted since."""


class MemberLike(Protocol):
    """What a round needs of an invited municipality (:class:`ktmsc.rounds.roster.Member`)."""

    key: str
    name: str
    body_kind: str
    state: str
    population: int


def _now() -> datetime:
    return datetime.now(UTC)


class Rounds:
    """The rounds part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    questionnaire: Questionnaire | None  # set by the store: dimensions a round's thresholds may name

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def _read(self, *, consistent: bool = False) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    # --- create and find ----------------------------------------------------------------

    def create_round(
        self,
        *,
        title: str,
        domains: list[str],
        perspective: str,
        members: Sequence[MemberLike],
        opens_on: date | None = None,
        closes_on: date | None = None,
        previous_id: str | None = None,
        thresholds: dict[str, str] | None = None,
    ) -> RoundCreated:
        """A new round with its municipalities, one transaction: all of them or none.

        ``previous_id`` names the same host's earlier round (the host proved it with that
        round's key), for the development since."""
        title = values.short_text(title, MAX_TITLE, "the round title", required=True)
        domain_ids = values.domains(domains)
        perspective = values.perspective(perspective)
        bases = values.threshold_bases(thresholds)
        if bases is not None and self.questionnaire is not None:
            unknown = sorted(set(bases) - set(self.questionnaire.dimension_ids))
            if unknown:
                raise InvalidValue(f"thresholds name unknown dimensions: {', '.join(unknown)}")
        for day, what in ((opens_on, "opens_on"), (closes_on, "closes_on")):
            if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
                raise InvalidValue(f"{what} must be a date")
        if opens_on and closes_on and closes_on < opens_on:
            raise InvalidValue("the round closes before it opens")
        rows = _member_rows(members)
        if previous_id is not None and not tokens.is_id(previous_id):
            raise RoundNotFound(previous_id)
        host_key = tokens.new_token()
        invitations = {row["key"]: tokens.new_token() for row in rows}
        round_id = tokens.new_id()
        with self._write() as conn:
            now = _now()
            if (
                previous_id is not None
                and conn.execute(select(rounds.c.id).where(rounds.c.id == previous_id)).first() is None
            ):
                raise RoundNotFound(previous_id)
            conn.execute(
                insert(rounds).values(
                    id=round_id,
                    title=title,
                    host_key_hash=tokens.hash_token(host_key),
                    domains=domain_ids,
                    perspective=perspective,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    previous_id=previous_id,
                    created_at=now,
                    updated_at=now,
                    thresholds=bases,
                )
            )
            full = [
                {**row, "round_id": round_id, "invitation_hash": tokens.hash_token(invitations[row["key"]])}
                for row in rows
            ]
            for start in range(0, len(full), MEMBERS_PER_INSERT):
                conn.execute(insert(round_members), full[start : start + MEMBERS_PER_INSERT])
        created = self.round(round_id)
        assert created is not None
        return RoundCreated(round=created, host_key=host_key, invitations=invitations)

    def round(self, round_id: str) -> Round | None:
        if not tokens.is_id(round_id):
            return None
        with self._read() as conn:
            row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        return None if row is None else _round(row)

    def round_for_host(self, host_key: str) -> Round | None:
        """The round this host key opens; None for a wrong key, an invitation or garbage."""
        if not tokens.is_token(host_key):
            return None
        digest = tokens.hash_token(host_key)
        with self._read() as conn:
            row = conn.execute(select(rounds).where(rounds.c.host_key_hash == digest)).first()
        if row is None or not tokens.same_hash(row.host_key_hash, digest):
            return None
        return _round(row)

    def round_members(self, round_id: str) -> list[RoundMember]:
        """The round's municipalities, by official key."""
        if not tokens.is_id(round_id):
            return []
        with self._read() as conn:
            rows = conn.execute(
                select(round_members).where(round_members.c.round_id == round_id).order_by(round_members.c.key)
            ).all()
        return [_member(row) for row in rows]

    def round_of_assessment(self, assessment_id: str) -> tuple[Round, RoundMember] | None:
        """The round an assessment was started for, and its municipality there (None for any other)."""
        if not tokens.is_id(assessment_id):
            return None
        with self._read() as conn:
            member = conn.execute(select(round_members).where(round_members.c.assessment_id == assessment_id)).first()
            if member is None:
                return None
            row = conn.execute(select(rounds).where(rounds.c.id == member.round_id)).first()
        return None if row is None else (_round(row), _member(member))

    def invitation(self, token: str) -> tuple[Round, RoundMember] | None:
        """The round and municipality an invitation token belongs to; None for anything else."""
        if not tokens.is_token(token):
            return None
        digest = tokens.hash_token(token)
        with self._read() as conn:
            member = conn.execute(select(round_members).where(round_members.c.invitation_hash == digest)).first()
            if member is None or not tokens.same_hash(member.invitation_hash, digest):
                return None
            row = conn.execute(select(rounds).where(rounds.c.id == member.round_id)).first()
        return None if row is None else (_round(row), _member(member))

    # --- taking up an invitation ----------------------------------------------------------

    def start_invitation(self, token: str, assessment: Assessment) -> str:
        """Start the invited municipality's assessment with the invitation token as its edit
        token and return its id; when the invitation has started one already, return that one's.

        Raises :class:`InvitationUsed` when the assessment it started was deleted since: the
        host renews the invitation for a new start."""
        found = self.invitation(token)
        if found is None:
            raise InvalidValue("not an invitation")
        member = found[1]
        if member.assessment_id is None:
            try:
                created: Created = self.create_assessment(assessment, edit_token=token)  # type: ignore[attr-defined]
                assessment_id = created.id
            except IntegrityError:  # started at the same moment elsewhere (or linked, then deleted)
                assessment_id = self._assessment_of_token(token)
                if assessment_id is None:
                    raise InvitationUsed("the assessment this invitation started was deleted") from None
            with self._write() as conn:
                conn.execute(
                    update(round_members)
                    .where(round_members.c.round_id == member.round_id, round_members.c.key == member.key)
                    .where(round_members.c.assessment_id.is_(None))
                    .values(assessment_id=assessment_id)
                )
            return assessment_id
        return member.assessment_id

    def _assessment_of_token(self, token: str) -> str | None:
        with self._read() as conn:
            return conn.execute(
                select(assessments.c.id).where(assessments.c.edit_token_hash == tokens.hash_token(token))
            ).scalar()

    def renew_invitations(self, round_id: str, keys: Sequence[str] | None = None) -> dict[str, str]:
        """New invitation tokens for the municipalities (``keys``, default all) that have no
        assessment: their old links stop working. Returns official key → new token."""
        renewed: dict[str, str] = {}
        with self._write() as conn:
            waiting = select(round_members.c.key).where(
                round_members.c.round_id == round_id, round_members.c.assessment_id.is_(None)
            )
            if keys is not None:
                waiting = waiting.where(round_members.c.key.in_(list(keys)))
            for key in conn.execute(waiting).scalars().all():
                renewed[key] = tokens.new_token()
                conn.execute(
                    update(round_members)
                    .where(round_members.c.round_id == round_id, round_members.c.key == key)
                    .values(invitation_hash=tokens.hash_token(renewed[key]))
                )
        return renewed

    # --- reading a round's assessments --------------------------------------------------

    @collector.paused()
    def round_assessments(
        self, round_id: str, keys: Sequence[str] | None = None
    ) -> list[tuple[RoundMember, StoredAssessment | None]]:
        """Every municipality of the round (or those of ``keys``) with its assessment and all
        answers (None before it started), by official key, in three queries and one snapshot; the
        answers come aggregated by the database, one row per assessment."""
        if not tokens.is_id(round_id):
            return []
        chosen = round_members.c.round_id == round_id
        if keys is not None:
            chosen = chosen & round_members.c.key.in_(list(keys))
        with self._read(consistent=True) as conn:
            members = conn.execute(select(round_members).where(chosen).order_by(round_members.c.key)).all()
            linked = select(round_members.c.assessment_id).where(chosen)
            rows = {r.id: r for r in conn.execute(select(assessments).where(assessments.c.id.in_(linked))).all()}
            filled = {
                assessment_id: (values_ or {}, notes or {}, evidence or {})
                for assessment_id, values_, notes, evidence in conn.execute(
                    sql.ANSWER_OBJECTS[conn.dialect.name]
                    .where(answers.c.assessment_id.in_(linked))
                    .group_by(answers.c.assessment_id)
                ).all()
            }
        out = []
        for member in members:
            row = rows.get(member.assessment_id) if member.assessment_id else None
            stored = None if row is None else assessment_record(row, *filled.get(row.id, ({}, {}, {})))
            out.append((_member(member), stored))
        return out

    def round_stamp(self, round_id: str) -> tuple[tuple[str, str | None, int | None], ...]:
        """A light query for what the round's state is: per municipality its key, assessment and
        that assessment's revision. Equal stamps, equal :meth:`round_assessments`."""
        if not tokens.is_id(round_id):
            return ()
        query = (
            select(round_members.c.key, round_members.c.assessment_id, assessments.c.revision)
            .select_from(round_members.outerjoin(assessments, assessments.c.id == round_members.c.assessment_id))
            .where(round_members.c.round_id == round_id)
            .order_by(round_members.c.key)
        )
        with self._read() as conn:
            return tuple((key, assessment_id, revision) for key, assessment_id, revision in conn.execute(query).all())

    def delete_round(self, round_id: str) -> bool:
        """Delete the round and its list of municipalities (their assessments stay theirs)."""
        if not tokens.is_id(round_id):
            return False
        with self._write() as conn:
            return conn.execute(delete(rounds).where(rounds.c.id == round_id)).rowcount > 0


def _member_rows(members: Sequence[MemberLike]) -> list[dict[str, Any]]:
    if not members:
        raise InvalidValue("a round needs at least one municipality")
    if len(members) > MAX_ROSTER_ROWS:
        raise InvalidValue(f"a round has at most {MAX_ROSTER_ROWS} municipalities")
    rows, seen = [], set()
    for member in members:
        key = member.key
        if not isinstance(key, str) or not key.isascii() or not key.isdigit() or len(key) not in OFFICIAL_KEY_LENGTHS:
            raise InvalidValue(f"{str(key)[:20]!r} is not an official key")
        if key in seen:
            raise InvalidValue(f"the official key {key} appears twice")
        seen.add(key)
        for code, width in ((member.body_kind, BODY_KIND_COLUMN), (member.state, STATE_COLUMN)):
            if not isinstance(code, str) or not _CODE.fullmatch(code) or len(code) > width:
                raise InvalidValue(f"{str(code)[:40]!r} is not a kind of body or Land id")
        population = member.population
        if isinstance(population, bool) or not isinstance(population, int) or not 0 <= population <= MAX_POPULATION:
            raise InvalidValue(f"the population of {key} must be a whole number from 0 to {MAX_POPULATION}")
        rows.append(
            {
                "key": key,
                "name": values.short_text(member.name, MAX_NAME, "the municipality's name", required=True),
                "body_kind": member.body_kind,
                "state": member.state,
                "population": population,
            }
        )
    return rows


def _round(row: Row[Any]) -> Round:
    return Round(
        id=row.id,
        title=row.title,
        domains=list(row.domains),
        perspective=row.perspective,
        opens_on=row.opens_on,
        closes_on=row.closes_on,
        previous_id=row.previous_id,
        created_at=row.created_at,
        thresholds=dict(row.thresholds) if row.thresholds else None,
    )


def _member(row: Row[Any]) -> RoundMember:
    return RoundMember(
        round_id=row.round_id,
        key=row.key,
        name=row.name,
        body_kind=row.body_kind,
        state=row.state,
        population=row.population,
        assessment_id=row.assessment_id,
    )
