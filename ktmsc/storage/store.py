"""The store: every read and write of assessments and workshops, one short transaction each.

Design rules, so that no answer is lost and concurrent tabs, sessions and replicas work:

* Every write runs in one transaction that first bumps ``assessments.updated_at`` of its
  assessment (``UPDATE … RETURNING``). That single statement proves the assessment still
  exists, takes its row lock on PostgreSQL (writes to one assessment are serialised in a
  fixed lock order: assessment row, then workshop row share lock, then answer rows — so
  they cannot deadlock), and tells which workshop it belongs to. The workshop's closed
  flag is then read *in the same transaction* (``FOR SHARE`` on PostgreSQL, so closing a
  workshop waits for in-flight answers and every later answer sees it closed).
* Answer, note and evidence are separate columns written by separate upserts
  (``INSERT … ON CONFLICT DO UPDATE`` of just that column), so a note typed in one tab and
  an answer clicked in another both survive. A row with nothing left in it is deleted.
* On SQLite, writes of this process queue on a lock before ``BEGIN IMMEDIATE``. Without
  it, fifty sessions writing at once would all poll SQLite's busy handler (sleeps of up
  to 100 ms), and under a long enough burst one of them could exceed ``busy_timeout`` and
  fail; queued on the lock, in-process writers never contend inside SQLite (measured:
  about 30 % more writes per second). Other processes are still covered by ``busy_timeout``.
* Tokens are checked for their exact shape before any query, so garbage (huge strings,
  SQL, non-ASCII) never reaches the database and lookups of it simply return None.
* With a questionnaire, answers are checked against their item before the transaction
  (:mod:`ktmsc.storage.checks`); only "not our task" needs the stored kind of body, and it
  is checked in the transaction before anything is written.
* Deleting lives in :mod:`ktmsc.storage.deletion`, merging in :mod:`ktmsc.storage.merging`, a
  workshop's second round in :mod:`ktmsc.storage.second_round`, rows in :mod:`ktmsc.storage.rows`.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, func, insert, literal, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from ktmsc.model.answers import toggled
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.limits import MAX_PSEUDONYM, MAX_ROLE, MAX_TITLE
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import NOT_APPLICABLE
from ktmsc.storage import checks, migrate, target_rows, tokens, values
from ktmsc.storage import statements as sql
from ktmsc.storage.deletion import Deletion
from ktmsc.storage.engine import WRITE_OPTION, is_sqlite, make_engine
from ktmsc.storage.errors import (
    AssessmentNotFound,
    InvalidAnswer,
    InvalidValue,
    NotInSecondRound,
    StorageError,
    WorkshopClosed,
    WorkshopNotFound,
)
from ktmsc.storage.group_commit import GroupCommit
from ktmsc.storage.invitations import Invitations
from ktmsc.storage.location import database_url, normalise_url
from ktmsc.storage.merging import Merging
from ktmsc.storage.participants import Participants
from ktmsc.storage.records import Created, StoredAssessment, Workshop, WorkshopCreated, is_open
from ktmsc.storage.round_store import Rounds
from ktmsc.storage.rows import stored_assessment, workshop_record
from ktmsc.storage.second_round import SecondRounds, check_round, open_workshop
from ktmsc.storage.step_times import StepTimes
from ktmsc.storage.tables import MAX_STEP, MAX_VERSION, answers, assessments, plan_entries, targets, workshops

JOIN_CODE_ATTEMPTS = 8
_ProfileCheck = Callable[[Mapping[str, Any]], None]


def _now() -> datetime:
    return datetime.now(UTC)


class Store(Deletion, Merging, Participants, target_rows.Plans, StepTimes, Rounds, SecondRounds, Invitations):
    """Persistent assessments and workshops in SQLite or PostgreSQL.

    Open one per process and share it between threads (sessions): the engine's pool is
    thread-safe. Opening migrates the database to the current schema.

    With a ``questionnaire`` (the app and the CLI always pass the installed one), every
    answer, note and evidence is checked against its item before it is written
    (:mod:`ktmsc.storage.checks`); anything the item does not allow raises
    :class:`~ktmsc.storage.errors.InvalidAnswer` and changes nothing. Without one, only the
    shapes the database must hold are checked: for maintenance, migrations and tests of the
    storage itself, never for what people type.
    """

    def __init__(self, url: str | None = None, *, questionnaire: Questionnaire | None = None) -> None:
        self.url = normalise_url(url) if url else database_url()
        self.questionnaire = questionnaire
        self._engine = make_engine(self.url)
        self._write_lock: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if is_sqlite(self._engine) else contextlib.nullcontext()
        )
        self._upsert = sql.UPSERTS[self._engine.dialect.name]
        # SQLite: answers, notes and evidence of all sessions are committed together.
        self._group = GroupCommit(self._write) if is_sqlite(self._engine) else None
        try:
            migrate.upgrade(self._engine)
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for benchmarks, tests and maintenance scripts)."""
        return self._engine

    def close(self) -> None:
        """Close every pooled connection (the store cannot be used afterwards)."""
        if self._group is not None:
            self._group.close()
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._write_lock, self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self, *, consistent: bool = False) -> Iterator[Connection]:
        """A read transaction; ``consistent`` gives several queries one snapshot on PostgreSQL too."""
        with self._engine.connect() as conn:
            if consistent and not is_sqlite(conn):  # SQLite: one transaction is one snapshot anyway
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _touch(
        self,
        conn: Connection,
        assessment_id: str,
        now: datetime,
        *,
        check_open: bool = True,
        item_id: str | None = None,
        **changes: Any,
    ) -> Row[Any]:
        """Bump updated_at (plus ``changes``), or raise if the assessment is gone or its workshop closed
        (or, writing ``item_id``, in its second round, which that question is not part of).

        Returns the row's workshop_id and profile (what the checks of an answer need)."""
        row = conn.execute(sql.TOUCH, {"touch_id": assessment_id, "updated_at": now, **changes}).first()
        if row is None:
            raise AssessmentNotFound(assessment_id)
        if check_open and row.workshop_id is not None:
            self._check_workshop_open(conn, row.workshop_id, now, item_id)
        return row

    @staticmethod
    def _check_workshop_open(conn: Connection, workshop_id: str, now: datetime, item_id: str | None = None) -> Row[Any]:
        row = open_workshop(conn.execute(sql.WORKSHOP_STATE, {"workshop_id": workshop_id}).first(), workshop_id, now)
        check_round(workshop_id, row.second_round_items, item_id)
        return row

    # --- assessments: create and read -----------------------------------------------------

    def create_assessment(
        self,
        assessment: Assessment,
        *,
        kind: str = "self",
        workshop_id: str | None = None,
        participant_name: str | None = None,
        participant_role: str | None = None,
        previous_id: str | None = None,
        edit_token: str | None = None,
    ) -> Created:
        """Store a new assessment with all its answers, notes and evidence; return its id and tokens.

        A participant assessment (``kind="participant"``) needs the ``workshop_id`` of an open
        workshop; ``previous_id`` links a follow-up to an earlier assessment. ``edit_token`` is
        for a round's invitation, whose token becomes the edit token (:mod:`.round_store`).
        """
        kind = values.kind(kind)
        if (kind == "participant") != (workshop_id is not None):
            raise InvalidValue(
                "a participant assessment needs a workshop_id, and only a participant assessment has one"
            )
        name = values.short_text(participant_name, MAX_PSEUDONYM, "the participant name")
        role = values.short_text(participant_role, MAX_ROLE, "the participant role")
        rows = self._checked_rows(assessment)
        goals = target_rows.checked(self.questionnaire, assessment.targets)
        plan = target_rows.checked_entries(self.questionnaire, assessment.plan)
        fields = _assessment_fields(assessment)
        created_at = assessment.created_at or _now()
        if created_at.tzinfo is None:  # imported files may carry naive timestamps: they were written as UTC
            created_at = created_at.replace(tzinfo=UTC)
        if workshop_id is not None and not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        if previous_id is not None and not tokens.is_id(previous_id):
            raise AssessmentNotFound(previous_id)

        if edit_token is not None and not tokens.is_token(edit_token):
            raise InvalidValue("not a token")
        new_id, share_token = tokens.new_id(), tokens.new_token()
        edit_token = edit_token or tokens.new_token()
        with self._write() as conn:
            now = _now()
            # The second round is for the first round's participants: nobody new joins it.
            if workshop_id is not None and self._check_workshop_open(conn, workshop_id, now).second_round_items:
                raise NotInSecondRound(workshop_id)
            if (
                previous_id is not None
                and conn.execute(select(assessments.c.id).where(assessments.c.id == previous_id)).first() is None
            ):
                raise AssessmentNotFound(previous_id)
            conn.execute(
                insert(assessments).values(
                    id=new_id,
                    edit_token_hash=tokens.hash_token(edit_token),
                    share_token=share_token,
                    kind=kind,
                    workshop_id=workshop_id,
                    participant_name=name,
                    participant_role=role,
                    previous_id=previous_id,
                    created_at=created_at.astimezone(UTC),
                    updated_at=now,
                    **fields,
                )
            )
            _insert_answers(conn, new_id, rows, now)
            target_rows.insert_rows(conn, new_id, goals, now)
            target_rows.insert_entries(conn, new_id, plan, now)
        return Created(id=new_id, edit_token=edit_token, share_token=share_token)

    def open_for_edit(self, edit_token: str) -> StoredAssessment | None:
        """The assessment this edit token belongs to; None for anything else (never raises on garbage)."""
        if not tokens.is_token(edit_token):
            return None
        digest = tokens.hash_token(edit_token)
        with self._read() as conn:
            row = conn.execute(select(assessments).where(assessments.c.edit_token_hash == digest)).first()
            if row is None or not tokens.same_hash(row.edit_token_hash, digest):
                return None
            return self._with_answers(conn, row)

    def open_shared(self, share_token: str) -> StoredAssessment | None:
        """The read-only view of a shared assessment; an edit token finds nothing here."""
        if not tokens.is_token(share_token):
            return None
        with self._read() as conn:
            row = conn.execute(select(assessments).where(assessments.c.share_token == share_token)).first()
            if row is None or not tokens.same_hash(row.share_token, share_token):
                return None
            return self._with_answers(conn, row)

    def load(self, assessment_id: str) -> StoredAssessment | None:
        if not tokens.is_id(assessment_id):
            return None
        with self._read() as conn:
            row = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).first()
            return None if row is None else self._with_answers(conn, row)

    @staticmethod
    def _with_answers(conn: Connection, row: Row[Any]) -> StoredAssessment:
        rows = conn.execute(
            select(*sql.ANSWER_COLUMNS).where(answers.c.assessment_id == row.id).order_by(answers.c.item_id)
        ).all()
        goals, plan = target_rows.read_targets(conn, row.id), target_rows.read_entries(conn, row.id)
        return stored_assessment(row, rows, goals, plan)

    # --- assessments: write ---------------------------------------------------------------

    def save_answer(self, assessment_id: str, item_id: str, value: Any) -> datetime:
        """Set (or with None clear) one answer, leaving its note and evidence alone; return the new updated_at.

        With a questionnaire, an answer its item does not allow raises :class:`InvalidAnswer`."""
        item_id, value = values.item_id(item_id), values.answer_value(value)
        check = None
        if self.questionnaire is not None:
            q = self.questionnaire
            checks.answer(q, item_id, value)
            if value == NOT_APPLICABLE:  # offered or not by the kind of body in the stored profile
                check = functools.partial(checks.not_applicable, q, item_id, value)
        return self._save_field(assessment_id, item_id, "value", value, check)

    def toggle_option(self, assessment_id: str, item_id: str, option_id: str, ticked: bool) -> tuple[Any, datetime]:
        """Tick or untick one box of a multiple-choice answer and return the new answer and updated_at.

        The change is applied to the answer as stored, inside the write transaction
        (:func:`ktmsc.model.answers.toggled`), so two tabs that tick different boxes keep both
        ticks instead of the later one writing its whole, stale list."""
        if self.questionnaire is None:
            raise StorageError("ticking an option needs the questionnaire: Store(url, questionnaire=...)")
        q, item_id = self.questionnaire, values.item_id(item_id)
        item = checks.item_of(q, item_id)
        if item.type != "multi":
            raise InvalidAnswer(item_id, "is not a multiple-choice question")
        result: list[Any] = []

        def apply(conn: Connection, profile: Mapping[str, Any]) -> Any:
            current = conn.execute(sql.STORED_VALUE, {"value_id": assessment_id, "value_item": item_id}).scalar()
            new = values.answer_value(toggled(item, current, option_id, bool(ticked)))
            checks.answer(q, item_id, new, (profile or {}).get("body_kind"))
            result.append(new)
            return new

        now = self._save_field(assessment_id, item_id, "value", apply)
        return result[-1], now

    def save_note(self, assessment_id: str, item_id: str, text: str | None) -> datetime:
        """Set one note ("" or None clears it), leaving the answer and evidence alone."""
        return self._save_text(assessment_id, item_id, "note", values.note(text))

    def save_evidence(self, assessment_id: str, item_id: str, text: str | None) -> datetime:
        """Set one evidence link or text ("" or None clears it), leaving the answer and note alone."""
        return self._save_text(assessment_id, item_id, "evidence", values.evidence(text))

    def _save_text(self, assessment_id: str, item_id: str, column: str, text: str | None) -> datetime:
        item_id = values.item_id(item_id)
        if self.questionnaire is not None:
            checks.texts_item(self.questionnaire, item_id, text)
        return self._save_field(assessment_id, item_id, column, text)

    def _save_field(
        self, assessment_id: str, item_id: str, column: str, value: Any, check: _ProfileCheck | None = None
    ) -> datetime:
        _require_id(assessment_id)
        if self._group is not None:
            return self._group.run(lambda conn: self._save_field_in(conn, assessment_id, item_id, column, value, check))
        with self._write() as conn:
            now = _now()
            row = self._touch(conn, assessment_id, now, item_id=item_id)  # locks the row: writes queue here
            if check is not None:
                check(row.profile)  # raising here rolls the touch back
            if callable(value):  # a change to the stored value (toggle_option), read under the lock
                value = value(conn, row.profile)
            self._write_field(conn, assessment_id, item_id, column, value, now, row.revision)
        return now

    def _save_field_in(
        self, conn: Connection, assessment_id: str, item_id: str, column: str, value: Any, check: _ProfileCheck | None
    ) -> datetime:
        """The group-commit job: every check before the first write, so a refusal changes nothing."""
        now = _now()
        row = conn.execute(sql.WRITABLE, {"check_id": assessment_id}).first()
        if row is None:
            raise AssessmentNotFound(assessment_id)
        if row.workshop_id is not None:
            if not is_open(row.closed, row.closes_at, now):
                raise WorkshopClosed(row.workshop_id)
            check_round(row.workshop_id, row.second_round_items, item_id)
        if check is not None:
            check(row.profile)
        if callable(value):  # a change to the stored value (toggle_option): SQLite's write lock is held
            value = value(conn, row.profile)
        touched = self._touch(conn, assessment_id, now, check_open=False)
        self._write_field(conn, assessment_id, item_id, column, value, now, touched.revision)
        return now

    def _write_field(
        self, conn: Connection, assessment_id: str, item_id: str, column: str, value: Any, now: datetime, revision: int
    ) -> None:
        conn.execute(
            self._upsert[column],
            {
                "assessment_id": assessment_id,
                "item_id": item_id,
                column: value,
                "updated_at": now,
                "revision": revision,
            },
        )
        if value is None:
            dropped = conn.execute(
                sql.DROP_EMPTY_ANSWER, {"answer_assessment_id": assessment_id, "answer_item_id": item_id}
            )
            if dropped.rowcount:
                conn.execute(sql.RESET_ANSWERS, {"reset_id": assessment_id, "reset_revision": revision})

    def save_profile(self, assessment_id: str, profile: AssessmentProfile) -> datetime:
        if not isinstance(profile, AssessmentProfile):
            raise InvalidValue("profile must be an AssessmentProfile")
        return self._save_columns(assessment_id, profile=profile.model_dump(mode="json"))

    def save_domains(self, assessment_id: str, domains: list[str]) -> datetime:
        return self._save_columns(assessment_id, domains=values.domains(domains))

    def updated_at(self, assessment_id: str) -> datetime | None:
        """When the assessment last changed (None if it is gone): one indexed lookup, so a
        session can tell cheaply whether another tab or server changed it."""
        if not tokens.is_id(assessment_id):
            return None
        with self._read() as conn:
            return conn.execute(select(assessments.c.updated_at).where(assessments.c.id == assessment_id)).scalar()

    def save_step(self, assessment_id: str, step: str) -> datetime:
        """Remember where the person is in the wizard.

        Navigation is not an answer: it is allowed in a closed workshop, so a participant
        can still move through their (now read-only) assessment.
        """
        step = values.short_text(step, MAX_STEP, "the step")
        return self._save_columns(assessment_id, check_open=False, step=step)

    def _save_columns(self, assessment_id: str, *, check_open: bool = True, **changes: Any) -> datetime:
        _require_id(assessment_id)
        with self._write() as conn:
            now = _now()
            self._touch(conn, assessment_id, now, check_open=check_open, **changes)
        return now

    def replace_answers(self, assessment_id: str, assessment: Assessment) -> datetime:
        """Replace profile, domains, answers, notes, evidence and targets at once (an import), in one transaction."""
        _require_id(assessment_id)
        rows = self._checked_rows(assessment)
        goals = target_rows.checked(self.questionnaire, assessment.targets)
        plan = target_rows.checked_entries(self.questionnaire, assessment.plan)
        fields = _assessment_fields(assessment)
        if assessment.questionnaire_version is None:
            del fields["questionnaire_version"]
        with self._write() as conn:
            now = _now()
            revision = self._touch(conn, assessment_id, now, **fields).revision
            conn.execute(delete(answers).where(answers.c.assessment_id == assessment_id))
            conn.execute(sql.RESET_ANSWERS, {"reset_id": assessment_id, "reset_revision": revision})
            conn.execute(delete(targets).where(targets.c.assessment_id == assessment_id))
            conn.execute(delete(plan_entries).where(plan_entries.c.assessment_id == assessment_id))
            _insert_answers(conn, assessment_id, rows, now, revision)
            target_rows.insert_rows(conn, assessment_id, goals, now)
            target_rows.insert_entries(conn, assessment_id, plan, now)
        return now

    def _checked_rows(self, assessment: Assessment) -> dict[str, dict[str, Any]]:
        """The answer rows of a new or imported assessment, each checked against its item."""
        rows = values.answer_rows(assessment)
        if self.questionnaire is not None:
            checks.rows(self.questionnaire, rows, assessment.profile.body_kind)
        return rows

    # --- workshops ----------------------------------------------------------------------

    def create_workshop(
        self,
        *,
        title: str,
        profile: AssessmentProfile,
        domains: list[str],
        perspective: str,
        closes_at: datetime | None = None,
    ) -> WorkshopCreated:
        """A new, open workshop with a fresh join code, join token and facilitator key."""
        title = values.short_text(title, MAX_TITLE, "the workshop title", required=True)
        if not isinstance(profile, AssessmentProfile):
            raise InvalidValue("profile must be an AssessmentProfile")
        domain_ids = values.domains(domains)
        perspective = values.perspective(perspective)
        closes_at = values.aware(closes_at, "closes_at")
        join_token, facilitator_key = tokens.new_token(), tokens.new_token()
        row = {
            "id": tokens.new_id(),
            "title": title,
            "join_token": join_token,
            "facilitator_key_hash": tokens.hash_token(facilitator_key),
            "profile": profile.model_dump(mode="json"),
            "domains": domain_ids,
            "perspective": perspective,
            "closes_at": closes_at,
            "closed": False,
            "revealed_at": None,  # hidden until the facilitator reveals the group result
            "reveal_to_participants": False,
        }
        for attempt in range(1, JOIN_CODE_ATTEMPTS + 1):
            # The only value that can realistically collide is the 6-character join code.
            join_code = tokens.new_join_code()
            try:
                with self._write() as conn:
                    now = _now()
                    conn.execute(insert(workshops).values(**row, join_code=join_code, created_at=now, updated_at=now))
                break
            except IntegrityError:
                if attempt == JOIN_CODE_ATTEMPTS:
                    raise
        workshop = self.workshop(row["id"])
        assert workshop is not None
        return WorkshopCreated(
            workshop=workshop, join_code=join_code, join_token=join_token, facilitator_key=facilitator_key
        )

    def workshop(self, workshop_id: str) -> Workshop | None:
        if not tokens.is_id(workshop_id):
            return None
        return self._workshop_where(workshops.c.id == workshop_id)

    def workshop_by_join(self, code_or_token: str) -> Workshop | None:
        """The workshop for a join token (link, QR) or join code (typed: any case, spaces and dashes ignored)."""
        if tokens.is_token(code_or_token):
            return self._workshop_where(workshops.c.join_token == code_or_token)
        code = tokens.normalise_join_code(code_or_token)
        return None if code is None else self._workshop_where(workshops.c.join_code == code)

    def workshop_for_facilitator(self, facilitator_key: str) -> Workshop | None:
        """The workshop this facilitator key opens; None for a wrong key, a join token or garbage."""
        if not tokens.is_token(facilitator_key):
            return None
        digest = tokens.hash_token(facilitator_key)
        with self._read() as conn:
            row = conn.execute(select(workshops).where(workshops.c.facilitator_key_hash == digest)).first()
        if row is None or not tokens.same_hash(row.facilitator_key_hash, digest):
            return None
        return workshop_record(row)

    def _workshop_where(self, condition: Any) -> Workshop | None:
        with self._read() as conn:
            row = conn.execute(select(workshops).where(condition)).first()
        return None if row is None else workshop_record(row)

    def set_workshop_closed(self, workshop_id: str, closed: bool) -> None:
        """Close (or reopen) a workshop; participant writes raise :class:`WorkshopClosed` while closed."""
        if not isinstance(closed, bool):
            raise InvalidValue("closed must be True or False")
        if not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        with self._write() as conn:
            result = conn.execute(
                update(workshops).where(workshops.c.id == workshop_id).values(closed=closed, updated_at=_now())
            )
            if result.rowcount == 0:
                raise WorkshopNotFound(workshop_id)

    def set_workshop_revealed(self, workshop_id: str, revealed: bool, *, to_participants: bool = False) -> None:
        """Reveal the group result (on the participants' devices too with ``to_participants``),
        or hide it again; revealing again keeps the first time it was revealed."""
        if not isinstance(revealed, bool) or not isinstance(to_participants, bool):
            raise InvalidValue("revealed and to_participants must be True or False")
        if not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        now = _now()
        when = func.coalesce(workshops.c.revealed_at, literal(now, workshops.c.revealed_at.type)) if revealed else None
        with self._write() as conn:
            result = conn.execute(
                update(workshops)
                .where(workshops.c.id == workshop_id)
                .values(revealed_at=when, reveal_to_participants=revealed and to_participants, updated_at=now)
            )
            if result.rowcount == 0:
                raise WorkshopNotFound(workshop_id)


# --- row mapping -------------------------------------------------------------------------


def _require_id(assessment_id: object) -> None:
    if not tokens.is_id(assessment_id):
        raise AssessmentNotFound(assessment_id)


def _assessment_fields(assessment: Assessment) -> dict[str, Any]:
    if not isinstance(assessment, Assessment):
        raise InvalidValue("expected an Assessment")
    return {
        "profile": assessment.profile.model_dump(mode="json"),
        "domains": values.domains(assessment.domains),
        "questionnaire_version": values.short_text(
            assessment.questionnaire_version, MAX_VERSION, "the questionnaire version"
        ),
        "group_origin": None if assessment.group is None else assessment.group.model_dump(mode="json"),
    }


def _insert_answers(
    conn: Connection, assessment_id: str, rows: Mapping[str, Mapping[str, Any]], now: datetime, revision: int = 0
) -> None:
    if rows:
        conn.execute(
            insert(answers),
            [
                {"assessment_id": assessment_id, "item_id": item_id, "updated_at": now, "revision": revision, **row}
                for item_id, row in rows.items()
            ],
        )
