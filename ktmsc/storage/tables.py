"""The tables, as SQLAlchemy Core metadata.

This is the schema *at head*. The migrations in ``migrations/versions`` build it step by
step and are the source of truth for existing databases; a test compares the two so
they cannot drift apart. Constraint names follow one naming convention so that both
SQLite and PostgreSQL (and future migrations) can refer to them.

Answers live in their own table, one row per (assessment, item), with value, note and
evidence in separate columns: saving a value never rewrites a note typed in another tab,
and a save is one small upsert instead of rewriting a JSON blob.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
)
from sqlalchemy.types import TypeEngine

from ktmsc.model.limits import OFFICIAL_KEY_LENGTHS

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = 32  # token_hex(16)
TOKEN = 64  # room for 32-character tokens and 64-character SHA-256 hex digests
ITEM_ID = 100
MAX_STEP = 64
MAX_KIND = 16
# Column widths of user text: at least the limits the store checks (ktmsc.model.limits),
# so a limit may grow up to these without a migration.
TITLE_COLUMN = 200
PARTICIPANT_NAME_COLUMN = 200
PARTICIPANT_ROLE_COLUMN = 80
MAX_VERSION = 40
MAX_PERSPECTIVE = 20
DOMAIN_ID = 100
TYPE_ID = 100
ENTRY_ID = 16
WHO_COLUMN = 200
MAX_STATUS = 16


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zone type, so the value is
    stored as naive UTC text and made aware again on the way out. Naive datetimes are
    refused on the way in: guessing their zone is how timestamps silently shift.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: storage needs timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONText(TypeDecorator[Any]):
    """JSON that comes back exactly as it went in, on every backend.

    SQLite gives a column declared ``JSON`` NUMERIC affinity: the JSON text ``2.0`` is
    silently stored as the integer 2 and ``12345678901234567890`` as a rounded REAL. So on
    SQLite the column is TEXT and the value is (de)serialised here; PostgreSQL keeps its
    native ``json`` type. ``None`` is SQL NULL, never the JSON text ``null``.
    """

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(JSON(none_as_null=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "sqlite" and value is not None:
            return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "sqlite" and value is not None:
            return _decoded(value)
        return value


_DECODED: dict[str, Any] = {}  # short JSON texts already decoded: answers repeat a few option ids
_DECODED_SIZE = 50_000  # at most a few MB; emptied when full
_SHORT = 200


def _decoded(text: str) -> Any:
    """``json.loads``, remembered for short texts: a workshop's dashboard reads tens of thousands
    of answers, most of them one of a few hundred option ids. Lists come back as new lists."""
    if len(text) > _SHORT:
        return json.loads(text)
    try:
        value = _DECODED[text]
    except KeyError:
        value = json.loads(text)
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                return value
            value = tuple(value)
        elif not isinstance(value, (str, int, float, bool)):
            return value
        if len(_DECODED) >= _DECODED_SIZE:
            _DECODED.clear()
        _DECODED[text] = value
    return list(value) if isinstance(value, tuple) else value


metadata = MetaData(naming_convention=NAMING_CONVENTION)

workshops = Table(
    "workshops",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("title", String(TITLE_COLUMN), nullable=False),
    Column("join_code", String(8), nullable=False, unique=True),
    Column("join_token", String(TOKEN), nullable=False, unique=True),
    Column("facilitator_key_hash", String(TOKEN), nullable=False, unique=True),
    Column("profile", JSONText, nullable=False),
    Column("domains", JSONText, nullable=False),
    Column("perspective", String(MAX_PERSPECTIVE), nullable=False),
    Column("closes_at", UTCDateTime, nullable=True),
    Column("closed", Boolean(create_constraint=False), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Hidden until revealed (migration 0009): NULL while the group result is hidden.
    Column("revealed_at", UTCDateTime, nullable=True),
    Column("reveal_to_participants", Boolean(create_constraint=False), nullable=False, server_default=false()),
    # The second round (migration 0010): the questions it asks again (NULL: none opened yet) and
    # when it opened; a countdown for the round that runs (NULL: none).
    Column("second_round_items", JSONText, nullable=True),
    Column("second_round_at", UTCDateTime, nullable=True),
    Column("countdown_ends_at", UTCDateTime, nullable=True),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("edit_token_hash", String(TOKEN), nullable=False, unique=True),
    Column("share_token", String(TOKEN), nullable=False, unique=True),
    Column("kind", String(MAX_KIND), nullable=False, server_default="self"),
    Column("workshop_id", String(ID), ForeignKey("workshops.id", ondelete="SET NULL"), nullable=True),
    Column("participant_name", String(PARTICIPANT_NAME_COLUMN), nullable=True),
    Column("participant_role", String(PARTICIPANT_ROLE_COLUMN), nullable=True),
    Column("previous_id", String(ID), ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    Column("profile", JSONText, nullable=False),
    Column("domains", JSONText, nullable=False),
    Column("questionnaire_version", String(MAX_VERSION), nullable=True),
    Column("step", String(MAX_STEP), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Raised by every write while it holds the row; the answers it writes carry it (0004).
    Column("revision", BigInteger, nullable=False, server_default="0"),
    Column("answers_reset", BigInteger, nullable=False, server_default="0"),  # answers deleted at this revision
    # A workshop's group result: of how many it is the median, and the group's spread (0005).
    Column("group_origin", JSONText, nullable=True),
    # A personal invitation's label, seen by the facilitator only (0011); NULL: joined by code or link.
    Column("invited_as", String(PARTICIPANT_NAME_COLUMN), nullable=True),
    Index("ix_assessments_workshop_id", "workshop_id"),
    Index("ix_assessments_previous_id", "previous_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("assessment_id", String(ID), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(ITEM_ID), nullable=False),
    Column("value", JSONText, nullable=True),  # a cleared answer is SQL NULL
    Column("note", Text, nullable=True),
    Column("evidence", Text, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("revision", BigInteger, nullable=False, server_default="0"),  # the assessment's revision that wrote it
    PrimaryKeyConstraint("assessment_id", "item_id"),
)

# A workshop's first round as it stood when the second opened (migration 0010): every answer of
# every participant, copied once and never changed. The second round goes on in ``answers``.
first_round_answers = Table(
    "first_round_answers",
    metadata,
    Column("assessment_id", String(ID), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(ITEM_ID), nullable=False),
    Column("value", JSONText, nullable=False),
    PrimaryKeyConstraint("assessment_id", "item_id"),
)

# A participant's one-line reason for their answer to a question of the second round (0010).
second_round_reasons = Table(
    "second_round_reasons",
    metadata,
    Column("assessment_id", String(ID), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(ITEM_ID), nullable=False),
    Column("reason", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("assessment_id", "item_id"),
)

# Per assessment and domain, the type it wants to be in two years (migration 0003). A row
# per domain, written by its own upsert: two tabs setting targets of two domains both keep theirs.
targets = Table(
    "targets",
    metadata,
    Column("assessment_id", String(ID), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("domain", String(DOMAIN_ID), nullable=False),
    Column("type_id", String(TYPE_ID), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("assessment_id", "domain"),
)

# The action plan: one row per entry (migration 0003); who, by when, status and note are
# separate columns written separately, like an answer's value, note and evidence.
plan_entries = Table(
    "plan_entries",
    metadata,
    Column("assessment_id", String(ID), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("id", String(ENTRY_ID), nullable=False),
    Column("position", Integer, nullable=False),  # the order the entries were made in
    Column("domain", String(DOMAIN_ID), nullable=False),
    Column("item_id", String(ITEM_ID), nullable=False),
    Column("to_value", JSONText, nullable=False),
    Column("who", String(WHO_COLUMN), nullable=False),
    Column("due", Date, nullable=True),
    Column("status", String(MAX_STATUS), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("assessment_id", "id"),
)


# How long steps of the questionnaire took, anonymously (migration 0006): the step, the view and
# the mode, the seconds and the month – no assessment, no token, no time of day. Kept to say on
# the method page how long steps really take.
step_times = Table(
    "step_times",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("step", String(MAX_STEP), nullable=False),
    Column("perspective", String(MAX_PERSPECTIVE), nullable=False),
    Column("mode", String(MAX_KIND), nullable=False),
    Column("seconds", Integer, nullable=False),
    Column("month", Date, nullable=False),
    Index("ix_step_times_step", "step"),
)


# A comparison round (migration 0007): a host invites municipalities; the host key exists only
# as a hash. ``previous_id`` names the same host's earlier round, for the development.
BODY_KIND_COLUMN = 40
STATE_COLUMN = 8
OFFICIAL_KEY = max(OFFICIAL_KEY_LENGTHS)  # the longest official key, the Amtlicher Regionalschlüssel

rounds = Table(
    "rounds",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("title", String(TITLE_COLUMN), nullable=False),
    Column("host_key_hash", String(TOKEN), nullable=False, unique=True),
    Column("domains", JSONText, nullable=False),
    Column("perspective", String(MAX_PERSPECTIVE), nullable=False),
    Column("opens_on", Date, nullable=True),
    Column("closes_on", Date, nullable=True),
    Column("previous_id", String(ID), ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Per dimension "fixed" or "median" (migration 0008); NULL: the model's rounds.thresholds.
    Column("thresholds", JSONText, nullable=True),
)

# The municipalities a round invites, one row each, keyed by the official key. The invitation
# token exists only as a hash; the assessment it started carries the same token as its edit
# token, so the invitation link is also the municipality's resume link.
round_members = Table(
    "round_members",
    metadata,
    Column("round_id", String(ID), ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(OFFICIAL_KEY), nullable=False),
    Column("name", String(TITLE_COLUMN), nullable=False),
    Column("body_kind", String(BODY_KIND_COLUMN), nullable=False),
    Column("state", String(STATE_COLUMN), nullable=False),
    Column("population", Integer, nullable=False),
    Column("invitation_hash", String(TOKEN), nullable=False, unique=True),
    Column("assessment_id", String(ID), ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    PrimaryKeyConstraint("round_id", "key"),
    Index("ix_round_members_assessment_id", "assessment_id"),
)
