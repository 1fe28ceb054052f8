"""The browser's journal of the answers given: an answer lost in a crash is pointed out.

A click in the last moments before an app server dies (or while the database refused it,
pending in that server's memory) reverts when the browser reconnects to the restarted
server or to another replica. So the browser journals every answer given on a question
(question id, option id or the number entered, a counter – no text) in ``sessionStorage``:
this tab only, gone when the tab closes, never sent anywhere but to this app. On a session's first run
the journal's entries from earlier sessions come back, and the app compares them with the
stored answers (:func:`ktmsc.model.journal.judge`): confirmed entries are dropped; one that
differs is pointed out at its question ("please check your last answer") and in a notice,
with the journalled answer offered – saved only when the person clicks it.

One tiny component (``st.components.v2``, inline JavaScript, nothing fetched) registers
listeners for clicks, keys and focus once per page (Streamlit's radios and checkboxes fire
no ``change`` event: the listener reads the widget a click or key changed in a question's
box) and is
drawn again only when what it needs changes: the assessment (as a hash of its id), which
checkbox or radio button of which question stands for which option, entries to drop. Its
report of earlier entries costs one more run at the start of a session that has any.
Entries are judged only on a new session, so one answer changed in another tab after this
tab's last click on it is pointed out too (the person keeps the saved answer with one click).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.labels import answer_label, counted
from ktmsc.model import journal
from ktmsc.texts import t
from ktmsc.ui import links, session
from ktmsc.ui.safe import md

KEY = "journal.browser"
_EPOCH_KEY = "journal.epoch"  # this session, as the browser tells sessions apart
_SENT_KEY = "journal.sent"
_REPORT_KEY = "journal.report"  # what the browser reported, until the frame judges it
_CHECK_KEY = "journal.check"  # {scope: {item id: (entry, journalled answer)}}, pointed out
_DROP_KEY = "journal.drop"  # {scope: [[item id, seq]]}: entries the browser may forget
_FORGET_KEY = "journal.forget"  # {scope: nonce}: forget every entry of the assessment

_JS = """
const STORE = "ktmsc.journal";
const load = () => {
  let journal = null;
  try { journal = JSON.parse(sessionStorage.getItem(STORE)); } catch {}
  const usable = journal && typeof journal.scopes === "object" && journal.scopes !== null;
  return usable ? journal : { n: 0, scopes: {}, forgotten: {} };
};
const store = (journal) => { try { sessionStorage.setItem(STORE, JSON.stringify(journal)); } catch {} };

function install() {
  const state = { scope: null, epoch: null, items: {}, reported: null };
  // Streamlit's radios and checkboxes are React Aria widgets: they fire no "change" event, so
  // a click or a key is read once the widget has taken it; a number field commits on Enter
  // or when it loses the focus.
  const keys = [" ", "Enter", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];
  const taken = (event) => {
    if (event.type !== "keyup" || keys.includes(event.key)) setTimeout(() => journalled(state, event.target), 0);
  };
  for (const type of ["click", "keyup", "focusout"]) document.addEventListener(type, taken, true);
  return state;
}

function read(box, target, choices) {
  const radios = [...box.querySelectorAll("input[type='radio']")];
  if (radios.length) {
    const option = choices[radios.findIndex((r) => r.checked)];
    return option === undefined ? null : { choose: option };
  }
  const checkbox = target.closest("[data-testid='stCheckbox']");
  if (checkbox) {
    const option = choices[[...box.querySelectorAll("[data-testid='stCheckbox']")].indexOf(checkbox)];
    const ticked = checkbox.querySelector("input[type='checkbox']")?.checked;
    return option === undefined || typeof ticked !== "boolean" ? null : { tick: [option, ticked] };
  }
  const field = target.closest("[data-testid='stNumberInput']")?.querySelector("input[type='number']");
  if (field && !field.disabled) {
    const number = field.value === "" ? null : field.valueAsNumber;
    return Number.isNaN(number) ? null : { number };
  }
  return null;
}

function journalled(state, target) {
  const box = state.scope && target instanceof Element && target.closest("[class*='st-key-item-']");
  const name = box && [...box.classList].find((c) => c.startsWith("st-key-item-"));
  const item = name && state.items[name];
  const given = item && read(box, target, item[1]);
  if (!given) return;
  const id = item[0];
  const journal = load();
  const entries = (journal.scopes[state.scope] ||= {});
  const last = entries[id];
  if ("choose" in given) {
    if (last?.choose === given.choose) return;
    entries[id] = { choose: given.choose };
  } else if ("number" in given) {
    if (last && "number" in last && last.number === given.number) return;
    entries[id] = { number: given.number };
  } else {
    const [option, ticked] = given.tick;
    const previous = last?.ticks?.at(-1);
    if (previous && previous[0] === option && previous[1] === ticked) return;
    const ticks = (last?.ticks || []).filter(([o]) => o !== option);
    ticks.push([option, ticked]);
    entries[id] = { ticks };
  }
  entries[id].n = journal.n = (journal.n || 0) + 1;
  entries[id].epoch = state.epoch;
  store(journal);
}

export default function ({ data, setTriggerValue }) {
  const state = (window.ktmscJournal ||= install());
  state.scope = data.scope;
  state.epoch = data.epoch;
  state.items = data.items || {};
  if (!data.scope) return;
  const journal = load();
  const entries = (journal.scopes[data.scope] ||= {});
  if (data.forget && journal.forgotten?.[data.scope] !== data.forget) {
    (journal.forgotten ||= {})[data.scope] = data.forget;
    for (const id of Object.keys(entries)) delete entries[id];
  }
  for (const [id, n] of data.drop || []) {
    if (entries[id]?.n === n) delete entries[id];
  }
  store(journal);
  const session = `${data.epoch}/${data.scope}`;
  if (state.reported !== session) {
    state.reported = session;
    const earlier = Object.entries(entries)
      .filter(([, e]) => e.epoch !== data.epoch)
      .map(([item, { epoch, ...entry }]) => ({ item, ...entry }));
    if (earlier.length) setTriggerValue("report", { scope: data.scope, entries: earlier });
  }
}
"""

_component = st.components.v2.component("ktmsc.journal", js=_JS)


def scope_of(cur: session.Current | None) -> str | None:
    """What the journal files an assessment's entries under: a hash of its id (the page never
    holds the id itself); None where nothing is answered (no assessment, read-only, example)."""
    if cur is None or cur.read_only or cur.example:
        return None
    return scope_for(cur.id)


def scope_for(assessment_id: str) -> str:
    return hashlib.sha256(f"ktmsc.journal:{assessment_id}".encode()).hexdigest()[:24]


def _class(key: str) -> str:
    """The class Streamlit gives the element with this key (as ``tests/browser.key_selector``)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def _items(body_kind: str | None) -> dict[str, list]:
    """For each question's container class: its id and the options its inputs stand for."""
    q = session.questionnaire()
    return q.memo(
        ("journal.items", body_kind),
        lambda: {_class(f"item-{i.id}"): [i.id, journal.shown_choices(i, body_kind)] for i in q.items.values()},
    )


def _reported() -> None:
    report = st.session_state[KEY].get("report")
    if report is not None:
        st.session_state[_REPORT_KEY] = report


def apply(cur: session.Current | None) -> None:
    """Once per full run, in the sidebar: judge what the browser reported, and draw the
    component when what it needs changed (it draws nothing)."""
    scope = scope_of(cur)
    report = st.session_state.pop(_REPORT_KEY, None)
    if scope is not None and isinstance(report, dict) and report.get("scope") == scope:
        _judge(cur, report.get("entries"))
    epoch = st.session_state.setdefault(_EPOCH_KEY, uuid.uuid4().hex)
    data: dict[str, Any] = {"epoch": epoch, "scope": scope}
    if scope is not None:
        data |= {
            "items": _items(cur.assessment.profile.body_kind),
            "drop": list(st.session_state.get(_DROP_KEY, {}).get(scope, [])),  # a copy: the sent one stays
            "forget": st.session_state.get(_FORGET_KEY, {}).get(scope),
        }
    if st.session_state.get(_SENT_KEY) != data:
        st.session_state[_SENT_KEY] = data
        _component(data=data, key=KEY, height=0, on_report_change=_reported)


def _judge(cur: session.Current, raw: Any) -> None:
    q = session.questionnaire()
    judged = journal.judge(q, cur.assessment.answers, raw, cur.assessment.profile.body_kind)
    for entry in judged.drop:
        _drop(entry)
    to_check().update(judged.check)


def _drop(entry: journal.Entry) -> None:
    scope = scope_of(session.active())
    if scope is not None:
        st.session_state.setdefault(_DROP_KEY, {}).setdefault(scope, []).append([entry.item_id, entry.seq])


def to_check() -> dict[str, tuple[journal.Entry, Any]]:
    """The questions of this tab's assessment pointed out, with the answer the browser journalled."""
    scope = scope_of(session.active())
    if scope is None:
        return {}
    return st.session_state.setdefault(_CHECK_KEY, {}).setdefault(scope, {})


def settled(item_id: str) -> bool:
    """The person answered the question again: it is no longer pointed out (True if it was)."""
    return to_check().pop(item_id, None) is not None


def accept(item_id: str) -> bool:
    """Save the journalled answer; its entry is forgotten once the database has it (while
    the save is pending, the question says so, and the entry stays for a next session)."""
    entry, value = to_check().pop(item_id, (None, None))
    if entry is None:
        return False
    saved = session.save_answer(item_id, value)
    if saved:
        _drop(entry)
    return saved


def keep(item_id: str) -> None:
    """Keep the stored answer: the journalled one is forgotten."""
    entry, _value = to_check().pop(item_id, (None, None))
    if entry is not None:
        _drop(entry)


def forget_all(cur: session.Current | None) -> None:
    """The assessment's answers were replaced (an import): the journal's entries no longer apply."""
    scope = scope_of(cur)
    if scope is not None:
        st.session_state.setdefault(_FORGET_KEY, {})[scope] = uuid.uuid4().hex
        st.session_state.get(_CHECK_KEY, {}).pop(scope, None)


def check_text(item_id: str, lang: Lang) -> str | None:
    """What the question says while it is pointed out, or None."""
    checked = to_check().get(item_id)
    cur = session.active()
    if checked is None or cur is None:
        return None
    item = session.questionnaire().items[item_id]
    journalled, stored = checked[1], cur.assessment.answers.get(item_id)
    key = "ui.journal.check" if stored is not None else "ui.journal.check_unanswered"
    if journalled is None:  # the last box unticked: no answer (a stored one differs)
        key = "ui.journal.check_cleared"
    return t(key, lang, answer=md(answer_label(item, journalled, lang)), saved=md(answer_label(item, stored, lang)))


def notice(lang: Lang) -> None:
    """On every page while questions are pointed out: how many, and the way to the first."""
    checked = to_check()
    cur = session.active()
    if not checked or cur is None:
        return
    with st.container(border=True, key="journal.notice"):
        st.warning(counted("ui.journal.notice", len(checked), lang), icon=":material/fact_check:")
        if st.button(t("ui.journal.to_question", lang), icon=":material/edit:", key="journal.to_question"):
            first = next(iter(checked))
            section = session.questionnaire().section_of.get(first)
            if section is not None:
                session.save_step(section)
            st.switch_page(links.page_path("questions"), query_params=links.params(lang, cur))
