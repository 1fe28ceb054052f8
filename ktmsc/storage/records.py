"""What the store hands back: plain frozen dataclasses, detached from the database.

Fields holding secrets are left out of ``repr`` so that a logged result never leaks
an edit token or facilitator key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ktmsc.model.assessment import Assessment, AssessmentProfile


@dataclass(frozen=True)
class Created:
    """A new assessment: its id and the two links' tokens (the edit token exists only here)."""

    id: str
    edit_token: str = field(repr=False)
    share_token: str = field(repr=False)


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment as stored, rebuilt as the app's :class:`~ktmsc.assessment.Assessment`."""

    id: str
    assessment: Assessment
    share_token: str = field(repr=False)
    kind: str
    workshop_id: str | None
    participant_name: str | None
    participant_role: str | None
    previous_id: str | None
    step: str | None
    updated_at: datetime
    revision: int = 0  # raised by every write (docs/DATA.md): the same id and revision, the same content
    invited_as: str | None = None  # a personal invitation's label (the facilitator's only); None: joined


@dataclass(frozen=True)
class Invitation:
    """A personal workshop invitation just made or renewed: its participant and the link's token
    (the edit token, in clear only here)."""

    id: str
    label: str
    role: str | None
    edit_token: str = field(repr=False)


@dataclass(frozen=True)
class Workshop:
    """A workshop's settings; its facilitator key exists only as a hash in the database."""

    id: str
    title: str
    join_code: str
    join_token: str = field(repr=False)
    profile: AssessmentProfile
    domains: list[str]
    perspective: str
    closes_at: datetime | None
    closed: bool
    created_at: datetime
    updated_at: datetime
    # Hidden until revealed: the group result is shown (dashboard, projector) from revealed_at
    # on; on the participants' devices too when reveal_to_participants.
    revealed_at: datetime | None = None
    reveal_to_participants: bool = False
    # The second round: the questions it asks again, and when it opened (None: not opened).
    second_round_items: tuple[str, ...] | None = None
    second_round_at: datetime | None = None
    countdown_ends_at: datetime | None = None  # the running round's countdown, if the facilitator set one

    @property
    def in_second_round(self) -> bool:
        """The second round has opened: participants change only its questions."""
        return self.second_round_items is not None

    @property
    def round(self) -> int:
        """The round that runs, or ran last: 1 or 2."""
        return 2 if self.in_second_round else 1

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def shown_to_participants(self) -> bool:
        """Whether a participant's device shows the group result."""
        return self.revealed and self.reveal_to_participants

    @property
    def is_open(self) -> bool:
        """Accepting answers: not closed by the facilitator and not past its closing time."""
        return is_open(self.closed, self.closes_at)


@dataclass(frozen=True)
class WorkshopCreated:
    """A new workshop and the secrets to show once: join code and token, facilitator key."""

    workshop: Workshop
    join_code: str
    join_token: str = field(repr=False)
    facilitator_key: str = field(repr=False)


def is_open(closed: bool, closes_at: datetime | None, now: datetime | None = None) -> bool:
    if closed:
        return False
    return closes_at is None or (now or datetime.now(UTC)) < closes_at


@dataclass(frozen=True)
class Purged:
    """What a retention purge deleted (or, as a dry run, would delete)."""

    workshops: int
    participants: int  # assessments of those workshops' participants
    assessments: int  # assessments of no workshop

    @property
    def total(self) -> int:
        return self.workshops + self.participants + self.assessments


@dataclass(frozen=True)
class Round:
    """A comparison round's settings; its host key exists only as a hash in the database."""

    id: str
    title: str
    domains: list[str]
    perspective: str
    opens_on: date | None
    closes_on: date | None
    previous_id: str | None
    created_at: datetime
    # Per dimension where the round splits its types, "fixed" or "median" (ktmsc.rounds.thresholds);
    # None: the model's rounds.thresholds.
    thresholds: dict[str, str] | None = None

    def accepts(self, today: date) -> bool:
        """Whether an invitation can still be taken up on ``today`` (the period, both days included)."""
        return (self.opens_on is None or self.opens_on <= today) and (self.closes_on is None or today <= self.closes_on)


@dataclass(frozen=True)
class RoundMember:
    """One invited municipality of a round, and the assessment its invitation started (if any)."""

    round_id: str
    key: str
    name: str
    body_kind: str
    state: str
    population: int
    assessment_id: str | None


@dataclass(frozen=True)
class RoundCreated:
    """A new round and the secrets to show once: the host key and one invitation per municipality."""

    round: Round
    host_key: str = field(repr=False)
    invitations: dict[str, str] = field(repr=False)  # official key → invitation token
