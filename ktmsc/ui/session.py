"""The one place that reads and writes the current assessment.

Widgets never keep answers: each change goes through this module to the
database at once (autosave), and each run reads the assessment back, so a
refresh, a second tab or another app server shows the same answers. The URL
carries only the opaque resume token or share token and the language
(:mod:`ktmsc.ui.links` names the parameters).

The invented example opens like a shared link (``s=example``), read-only, but comes from
the content (:mod:`ktmsc.example`), never from the database: no visit writes or leaves a
row, and whoever was working on an assessment in this tab gets it back on leaving.

Pages reach the database only through this module: it owns the one store of the
process, catches what storage raises and turns it into notices.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import toggled
from ktmsc.model.assessment import MODE_FULL, Assessment, AssessmentProfile, PlanEntry
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import (
    AssessmentNotFound,
    Created,
    InvalidAnswer,
    InvalidValue,
    NotInSecondRound,
    StoredAssessment,
    Workshop,
    WorkshopClosed,
    checks,
    retention,
)
from ktmsc.storage.revisions import SchemaTooNew
from ktmsc.texts import t
from ktmsc.ui.links import EDIT_PARAM, EXAMPLE_SHARE, SHARE_PARAM

if TYPE_CHECKING:  # loaded when first needed: the start page needs neither SQLAlchemy nor the workshop
    from ktmsc.storage import Store

log = logging.getLogger(__name__)

_STATE_KEY = "session.current"
TOGGLE = "toggle"  # a write kind: one box of a multiple-choice answer
_NOTICE_KEY = "session.notice"
_BEFORE_EXAMPLE_KEY = "session.before_example"


@st.cache_resource(show_spinner=False)
def questionnaire() -> Questionnaire:
    return get_questionnaire()


def configured_url() -> str:
    """The database the app uses: KTMSC_DATABASE_URL, else `.streamlit/secrets.toml`, else the SQLite default."""
    from ktmsc.storage import database_url

    if os.environ.get("KTMSC_DATABASE_URL"):
        return database_url()
    try:
        secret = st.secrets.get("KTMSC_DATABASE_URL")
    except Exception:  # no secrets file: the default applies
        secret = None
    return str(secret) if secret else database_url()


@st.cache_resource(show_spinner=False)
def _opened() -> tuple[Store, retention.DailyPurge | None]:
    """One store (engine and connection pool) per server process, and its daily retention purge."""
    from ktmsc.storage import Store

    opened = Store(configured_url(), questionnaire=questionnaire())
    older_than = retention.configured()
    return opened, (retention.DailyPurge(opened.purge, older_than) if older_than else None)


def store() -> Store:
    """The process's store, shared by all sessions; purges by the retention period once a day."""
    opened, daily = _opened()
    if daily is not None:
        daily.run_if_due()  # a comparison of two times until a day has passed
    return opened


@dataclass
class Current:
    """The assessment this browser session works on."""

    id: str
    assessment: Assessment
    share_token: str
    edit_token: str | None  # None: opened read-only through a share link
    step: str = ""
    kind: str = "self"
    workshop_id: str | None = None
    participant_name: str | None = None
    participant_role: str | None = None
    invited_as: str | None = None  # a personal invitation's label: what its facilitator sees
    previous_id: str | None = None
    saved_at: datetime | None = None  # when this session last wrote (shown to the person)
    # The stored updated_at this session's copy was read at. Its own writes do not move it:
    # another tab may have written in between, and only a read shows that.
    loaded_at: datetime | None = None
    failed: dict[tuple[str, str], Any] = field(default_factory=dict)
    example: bool = False  # the invented example: from the content, never stored
    # A participant whose workshop was found closed (a refused save, or the questions page):
    # the sidebar then says so instead of "saved automatically".
    workshop_closed: bool = False

    @property
    def read_only(self) -> bool:
        return self.edit_token is None

    def refresh(self, stored: StoredAssessment) -> None:
        """Take over what the database holds now."""
        self.assessment = stored.assessment
        self.step = stored.step or self.step
        self.share_token = stored.share_token
        self.kind = stored.kind
        self.workshop_id = stored.workshop_id
        self.participant_name = stored.participant_name
        self.participant_role, self.invited_as = stored.participant_role, stored.invited_as
        self.previous_id = stored.previous_id
        self.saved_at = self.loaded_at = stored.updated_at


def _from_stored(stored: StoredAssessment, edit_token: str | None) -> Current:
    current = Current(id=stored.id, assessment=stored.assessment, share_token=stored.share_token, edit_token=edit_token)
    current.refresh(stored)
    return current


def notice(key: str | None = None) -> str | None:
    """Set (with a key) or take (without) a one-time notice shown by the frame."""
    if key is not None:
        st.session_state[_NOTICE_KEY] = key
        return key
    return st.session_state.pop(_NOTICE_KEY, None)


def active() -> Current | None:
    """The current assessment as the frame loaded it for this run (pages call this)."""
    return st.session_state.get(_STATE_KEY)


def current(lang: Lang) -> Current | None:
    """The current assessment, read fresh from the database; None when there is none.

    Called once per run by the frame; pages use :func:`active`.

    A link in the URL wins over the session: opening another resume link in the
    same tab switches to that assessment.
    """
    edit_token = st.query_params.get(EDIT_PARAM)
    share_token = st.query_params.get(SHARE_PARAM)
    cur: Current | None = st.session_state.get(_STATE_KEY)
    if _wants_example(edit_token, share_token, cur):
        return _example(lang, cur)
    return _stored(lang, edit_token, share_token, cur)


def _stored(lang: Lang, edit_token: str | None, share_token: str | None, cur: Current | None) -> Current | None:
    """The stored assessment the URL or this session names, read fresh from the database."""
    same = cur is not None and edit_token in (None, cur.edit_token) and share_token in (None, cur.share_token)
    try:
        if same:
            return _refreshed(cur)
        if edit_token:
            stored = store().open_for_edit(edit_token)
            if stored is None:
                return _invalid_link()
            cur = _from_stored(stored, edit_token)
        elif share_token:
            stored = store().open_shared(share_token)
            if stored is None:
                return _invalid_link()
            cur = _from_stored(stored, None)
        else:
            return None
    except SchemaTooNew:
        log.exception("the database holds a schema of a newer version")
        st.error(t("ui.session.schema_too_new", lang))
        st.stop()
    except Exception:
        log.exception("loading the assessment failed")
        if same:  # this tab's copy, with its pending changes: work goes on, saved when the database is back
            notice("ui.session.offline")
            return cur
        st.error(t("ui.session.load_failed", lang))
        st.stop()
    st.session_state[_STATE_KEY] = cur
    return cur


def _refreshed(cur: Current) -> Current | None:
    """This tab's assessment, read again only when it changed since this session last read it."""
    changed_at = store().updated_at(cur.id)
    if changed_at != cur.loaded_at:
        stored = store().load(cur.id) if changed_at is not None else None
        if stored is None:  # deleted, here or elsewhere
            st.session_state.pop(_STATE_KEY, None)
            notice("ui.session.gone")
            return None
        cur.refresh(stored)
    _retry_failed(cur)
    return cur


def _wants_example(edit_token: str | None, share_token: str | None, cur: Current | None) -> bool:
    """The URL opens the example, or a page switch dropped the link while the example is open."""
    if edit_token is not None:
        return False
    return share_token == EXAMPLE_SHARE or (share_token is None and cur is not None and cur.example)


def _example(lang: Lang, before: Current | None) -> Current | None:
    """The invented example as the current assessment, in this run's language (its name says
    it is invented); the assessment this tab worked on is kept for :func:`leave_example`."""
    q = questionnaire()
    if q.example is None:  # content without example.yaml
        return _invalid_link()
    if before is None:
        st.session_state.pop(_BEFORE_EXAMPLE_KEY, None)
    elif not before.example:
        st.session_state[_BEFORE_EXAMPLE_KEY] = before
    from ktmsc.example import example_assessment

    step = before.step if before is not None and before.example else ""
    cur = Current(
        id=EXAMPLE_SHARE,
        assessment=example_assessment(q, lang),
        share_token=EXAMPLE_SHARE,
        edit_token=None,
        step=step,
        example=True,
    )
    st.session_state[_STATE_KEY] = cur
    return cur


def open_example(lang: Lang) -> Current | None:
    """Make the invented example the current assessment (read-only, nothing stored)."""
    st.query_params.pop(EDIT_PARAM, None)
    st.query_params[SHARE_PARAM] = EXAMPLE_SHARE
    return _example(lang, st.session_state.get(_STATE_KEY))


def leave_example() -> Current | None:
    """Back from the example to the assessment this tab worked on before, if any."""
    forget()
    before: Current | None = st.session_state.pop(_BEFORE_EXAMPLE_KEY, None)
    if before is not None:
        st.session_state[_STATE_KEY] = before
        if before.read_only:
            st.query_params[SHARE_PARAM] = before.share_token
        else:
            st.query_params[EDIT_PARAM] = before.edit_token
    return before


def _invalid_link() -> None:
    forget()
    notice("ui.session.invalid_link")


def start_new(
    profile: AssessmentProfile, domains: list[str], previous: Current | StoredAssessment | None = None
) -> Current:
    """Create an assessment in the database and make it the current one.

    As a follow-up of ``previous``, its answers, notes and evidence are copied as
    the starting point.
    """
    q = questionnaire()
    assessment = Assessment(questionnaire_version=q.version, profile=profile, domains=domains)
    if previous is not None:
        # Answers a content update made unreadable (item removed, option renamed) are not carried over.
        known = {k: v for k, v in previous.assessment.answers.items() if checks.accepted(q, k, v, profile.body_kind)}
        assessment = assessment.model_copy(
            update={
                "answers": known,
                "notes": {k: v for k, v in previous.assessment.notes.items() if k in known},
                "evidence": {k: v for k, v in previous.assessment.evidence.items() if k in known},
            }
        )
    return _adopt(store().create_assessment(assessment, previous_id=previous.id if previous else None))


def join_workshop(workshop: Workshop, name: str | None, role: str | None) -> Current:
    """A participant's own assessment in a workshop: the workshop's profile, domains and perspective."""
    q = questionnaire()
    # Everyone in a workshop answers every question: the group's spread is the agenda.
    profile = workshop.profile.model_copy(update={"perspective": workshop.perspective, "mode": MODE_FULL})
    assessment = Assessment(questionnaire_version=q.version, profile=profile, domains=list(workshop.domains))
    created = store().create_assessment(
        assessment,
        kind="participant",
        workshop_id=workshop.id,
        participant_name=(name or "").strip() or None,
        participant_role=(role or "").strip() or None,
    )
    return _adopt(created)


def _adopt(created: Created) -> Current:
    """Make a just-created assessment the current one and put its token in the URL."""
    return resume(store().load(created.id), created.edit_token)


def resume(stored: StoredAssessment, edit_token: str) -> Current:
    """Make this stored assessment (opened with its edit token) the current one, token in the URL."""
    cur = _from_stored(stored, edit_token)
    st.session_state[_STATE_KEY] = cur
    st.query_params[EDIT_PARAM] = edit_token
    st.query_params.pop(SHARE_PARAM, None)
    return cur


def forget() -> None:
    """Leave the current assessment in this tab (it stays in the database)."""
    st.session_state.pop(_STATE_KEY, None)
    for param in (EDIT_PARAM, SHARE_PARAM):
        st.query_params.pop(param, None)


def _apply(cur: Current, kind: str, item_id: str, value: Any) -> None:
    a = cur.assessment
    if kind.startswith(PLAN):
        _apply_plan(cur, kind[len(PLAN) :], item_id, value)
        return
    target = {"answer": a.answers, "note": a.notes, "evidence": a.evidence, "target": a.targets}[kind]
    if value in (None, ""):
        target.pop(item_id, None)
    else:
        target[item_id] = value


def _write(cur: Current, kind: str, item_id: str, value: Any) -> bool:
    if cur.read_only:
        return False
    if kind.startswith(PLAN):
        writers = _plan_writers()
    else:
        writers = {
            "answer": store().save_answer,
            "note": store().save_note,
            "evidence": store().save_evidence,
            "target": store().save_target,  # item_id: the domain, value: the type id
        }
    try:
        if kind == TOGGLE:  # value = (option id, ticked): applied to the stored answer
            value, cur.saved_at = store().toggle_option(cur.id, item_id, *value)
            kind = "answer"
        else:
            cur.saved_at = writers[kind](cur.id, item_id, value)
    except Exception as exc:
        if refused(exc, f"{kind} for {item_id}"):
            return False
        # Keep the value on screen and try again on the next run: no answer is dropped silently.
        log.exception("saving %s for %s failed", kind, item_id)
        if kind == TOGGLE:  # retried as the whole answer this tab sees
            kind, value = "answer", toggled(questionnaire().items[item_id], cur.assessment.answers.get(item_id), *value)
        cur.failed[(kind, item_id)] = value
        _apply(cur, kind, item_id, value)
        notice("ui.session.save_failed")
        return False
    cur.failed.pop((kind, item_id), None)
    _apply(cur, kind, item_id, value)
    return True


def refused(exc: Exception, what: str) -> bool:
    """A refusal of the store becomes its notice and nothing is kept pending (True); anything
    else is the database failing (False): the change stays pending and is tried again."""
    if isinstance(exc, WorkshopClosed):
        cur = st.session_state.get(_STATE_KEY)
        if cur is not None:
            cur.workshop_closed = True
        notice("ui.session.workshop_closed")
    elif isinstance(exc, InvalidAnswer):
        # Not an answer the question offers (a crafted request): the stored answer stays.
        log.warning("refused %s: %s", what, exc.problem)
        notice("ui.session.answer_refused")
    elif isinstance(exc, NotInSecondRound):
        notice("workshop.second_round.only_its_questions")
    elif isinstance(exc, InvalidValue):
        notice("ui.session.invalid_value")
    elif isinstance(exc, AssessmentNotFound):
        st.session_state.pop(_STATE_KEY, None)
        notice("ui.session.gone")
    else:
        return False
    return True


def _retry_failed(cur: Current) -> None:
    for (kind, item_id), value in list(cur.failed.items()):
        if kind in _META:
            _write_meta(cur, kind, value)
        else:
            _write(cur, kind, item_id, value)


def save_answer(item_id: str, value: Any) -> bool:
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write(cur, "answer", item_id, value)


def toggle_option(item_id: str, option_id: str, ticked: bool) -> bool:
    """Tick or untick one box of a multiple-choice question; the store applies it to the
    answer as stored, so another tab's ticks on the same question stay."""
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write(cur, TOGGLE, item_id, (option_id, ticked))


def save_note(item_id: str, text: str) -> bool:
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write(cur, "note", item_id, text.strip())


def save_evidence(item_id: str, text: str) -> bool:
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write(cur, "evidence", item_id, text.strip())


def save_target(domain: str, type_id: str | None) -> bool:
    """Where ``domain`` wants to be in two years (a type id; None clears it): saved at once,
    kept pending and retried like an answer when the database fails."""
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write(cur, "target", domain, type_id)


# The action plan: kind "plan.add" (item_id: the domain, value: the new entries) and
# "plan.<field>" (item_id: the entry's id) for who, due, status and note. Pending and retried
# like an answer; adding is idempotent in the store, so a retry never adds an entry twice.
PLAN = "plan."


def _plan_writers() -> dict[str, Any]:
    s = store()
    out: dict[str, Any] = {
        "plan.add": lambda assessment_id, _domain, entries: s.add_plan_entries(assessment_id, entries)
    }
    for name in ("who", "due", "status", "note"):
        out[PLAN + name] = lambda assessment_id, entry_id, value, name=name: s.save_plan_field(
            assessment_id, entry_id, name, value
        )
    return out


def _apply_plan(cur: Current, field: str, key: str, value: Any) -> None:
    plan = cur.assessment.plan
    if field == "add":
        known = {entry.id for entry in plan}
        cur.assessment.plan = [*plan, *(entry for entry in value if entry.id not in known)]
        return
    for entry in plan:
        if entry.id == key:
            setattr(entry, field, value)


def add_plan_entries(domain: str, entries: list[PlanEntry]) -> bool:
    """Make measures entries of the action plan (saved at once; an entry already there stays)."""
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and bool(entries) and _write(cur, "plan.add", domain, list(entries))


def save_plan_field(entry_id: str, field: str, value: Any) -> bool:
    """Set who, due, status or note of one plan entry (saved at once)."""
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write(cur, PLAN + field, entry_id, value)


# Writes that are not one question's answer: the profile, the domains, the wizard step.
# Held as pending like an answer when the database fails (key (kind, "")), retried the same way.
_META = ("profile", "domains", "step")


def _apply_meta(cur: Current, kind: str, value: Any) -> None:
    if kind == "profile":
        cur.assessment.profile = value
    elif kind == "domains":
        cur.assessment.domains = value
    else:
        cur.step = value


def _write_meta(cur: Current, kind: str, value: Any) -> bool:
    """Save the profile, the domains or the step. The screen shows it at once; on a database
    failure it stays pending (and shown, even over a fresh read) until a retry saves it."""
    _apply_meta(cur, kind, value)
    if cur.read_only:
        return False
    writers = {"profile": store().save_profile, "domains": store().save_domains, "step": store().save_step}
    try:
        cur.saved_at = writers[kind](cur.id, value)
    except Exception as exc:
        if refused(exc, f"the {kind}"):
            return False
        log.exception("saving the %s of an assessment failed", kind)
        cur.failed[(kind, "")] = value
        notice("ui.session.save_failed")
        return False
    cur.failed.pop((kind, ""), None)
    return True


def save_profile(profile: AssessmentProfile) -> bool:
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and not cur.read_only and _write_meta(cur, "profile", profile)


def save_mode(mode: str) -> bool:
    """Switch between the full and the quick check: part of the profile, so it is saved (or held
    as pending) like the profile and comes back with the resume link."""
    cur = st.session_state.get(_STATE_KEY)
    if cur is None or cur.read_only:
        return False
    return _write_meta(cur, "profile", cur.assessment.profile.model_copy(update={"mode": mode}))


def save_domains(domains: list[str]) -> bool:
    cur = st.session_state.get(_STATE_KEY)
    ordered = questionnaire().ordered_domains(domains)
    return cur is not None and not cur.read_only and _write_meta(cur, "domains", ordered)


def save_step(step: str) -> bool:
    """Move to ``step``: a read-only view moves too, without writing."""
    cur = st.session_state.get(_STATE_KEY)
    return cur is not None and _write_meta(cur, "step", step)


def pending(cur: Current, item_id: str | None = None) -> int:
    """How many changes of this tab the database has not taken yet (for one question: 0 or more)."""
    return sum(1 for _kind, key in cur.failed if item_id is None or key == item_id)


def retry_pending() -> bool:
    """Try the pending changes again; True when all of them are saved now."""
    cur = st.session_state.get(_STATE_KEY)
    if cur is None:
        return True
    _retry_failed(cur)
    return not cur.failed


def open_new(assessment: Assessment) -> Current:
    """Store a complete assessment (e.g. a workshop's group result) as a new one and open it."""
    return _adopt(store().create_assessment(assessment))


def replace(assessment: Assessment) -> Current | None:
    """Import: the uploaded assessment replaces the current one (or becomes a new one).

    None when the store refuses an answer in it (e.g. a number beyond what the question
    takes); then nothing changed."""
    cur = st.session_state.get(_STATE_KEY)
    try:
        if cur is None or cur.read_only or cur.kind != "self":
            return open_new(assessment)
        cur.saved_at = store().replace_answers(cur.id, assessment)
    except InvalidAnswer as refused:
        log.warning("import refused: %s", refused)
        return None
    cur.refresh(store().load(cur.id))
    return cur


def delete() -> bool:
    cur = st.session_state.get(_STATE_KEY)
    if cur is None or cur.read_only:
        return False
    deleted = store().delete(cur.id)
    forget()
    return deleted


def load_previous(cur: Current) -> Assessment | None:
    """The earlier assessment this one follows up, if it still exists."""
    if not cur.previous_id:
        return None
    stored = store().load(cur.previous_id)
    return stored.assessment if stored else None


def find_for_edit(token: str) -> StoredAssessment | None:
    """The assessment a resume token opens, or None."""
    return store().open_for_edit(token)
