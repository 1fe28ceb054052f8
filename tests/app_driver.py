"""Driving the app in AppTest: open pages, fill in the profile, answer questions by item id.

Widgets are found by key; the keys are part of the UI's contract with these tests
(`q.<lang>.<item id>.<part>`, `start.<lang>.<field>`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import best_answer
from ktmsc.model.schema import DONT_KNOW, Item
from ktmsc.texts import t

ROOT = Path(__file__).resolve().parents[1]
PAGES = "ktmsc/ui/pages"
TIMEOUT = 60


def open_app(lang: str = "de", page: str | None = None, **params: str) -> AppTest:
    """A new browser session. With ``page``, AppTest keeps running that page on every
    ``run()``, even after the app switched pages: follow a switch with :func:`go`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"{PAGES}/{page}.py")
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"{PAGES}/{page}.py")
    return at.run()


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    """All text the page shows (markdown, captions, alerts, titles), for assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def overview_types(at: AppTest, lang: str = "de") -> set[str]:
    """The types the results' overview table names (each type cell: the type, then its status)."""
    cells = at.table[0].value[t("ui.result.type", lang)]
    return {re.sub(r"\\(.)", r"\1", cell).split("  \n")[0] for cell in cells}


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def click(at: AppTest, label: str) -> AppTest:
    button(at, label).click()
    return at.run()


def set_profile(
    at: AppTest,
    lang: str,
    *,
    name: str,
    population: int | None = None,
    perspective: str | None = None,
    domains: list[str],
) -> AppTest:
    at.text_input(key=f"start.{lang}.name").set_value(name)
    if population is not None:
        at.number_input(key=f"start.{lang}.population").set_value(population)
    if perspective is not None:
        at.radio(key=f"start.{lang}.perspective").set_value(perspective)
    at.run()
    for domain in domains:
        at.checkbox(key=f"start.{lang}.domains.{domain}").check()
    return at.run()


def visible_items(at: AppTest, lang: str) -> list[Item]:
    q = get_questionnaire()
    keys = {w.key for w in [*at.radio, *at.checkbox, *at.number_input] if w.key}
    prefix = f"q.{lang}."
    ids = {k[len(prefix) :].rsplit(".", 1)[0] for k in keys if k.startswith(prefix)}
    return [q.items[i] for i in q.items if i in ids]


def answer(at: AppTest, lang: str, item: Item, value: Any) -> None:
    """Set one item's widgets to ``value`` (option id, list of option ids, number or "dont_know")."""
    base = f"q.{lang}.{item.id}"
    if item.type == "single":
        at.radio(key=f"{base}.answer").set_value(value)
    elif item.type == "multi":
        chosen = [DONT_KNOW] if value == DONT_KNOW else list(value)
        for option_id in [o.id for o in item.options] + [DONT_KNOW]:
            box = at.checkbox(key=f"{base}.{option_id}")
            if (option_id in chosen) != box.value:
                box.set_value(option_id in chosen)
                at.run()
    elif value == DONT_KNOW:
        at.checkbox(key=f"{base}.dont_know").check()
    else:
        at.number_input(key=f"{base}.answer").set_value(value)


def answer_page(at: AppTest, lang: str, choose: Callable[[Item], Any], max_rounds: int = 6) -> set[str]:
    """Answer every visible item of the current step, follow-ups included; returns the ids answered."""
    done: set[str] = set()
    for _ in range(max_rounds):
        pending = [i for i in visible_items(at, lang) if i.id not in done]
        if not pending:
            return done
        for item in pending:
            answer(at, lang, item, choose(item))
            done.add(item.id)
        at.run()
        assert_ok(at)
    return done


def best(item: Item) -> Any:
    """The strongest answer, as the core picks it; a number within what the field accepts."""
    return 1000.0 if item.type == "number" else best_answer(item)


def dont_know(item: Item) -> Any:
    return DONT_KNOW


def next_label(lang: str) -> str:
    return t("ui.questions.next", lang)


def answer_section(at: AppTest, lang: str, choose: Callable[[Item], Any]) -> tuple[AppTest, set[str]]:
    """Answer every step of the current section (its topics or parts) and go on to the next
    section's first step, or the review; returns the app and the ids answered."""
    q = get_questionnaire()
    section = q.section_of[visible_items(at, lang)[0].id]
    answered: set[str] = set()
    while True:
        answered |= answer_page(at, lang, choose)
        at = click(at, next_label(lang))
        assert_ok(at)
        shown = visible_items(at, lang)
        if not shown or q.section_of[shown[0].id] != section:
            return at, answered


def answer_every_step(at: AppTest, lang: str, choose: Callable[[Item], Any]) -> tuple[AppTest, set[str]]:
    """Answer every step up to the review; returns the app (on the review) and the ids answered."""
    answered: set[str] = set()
    while any(b.label == next_label(lang) for b in at.button):
        answered |= answer_page(at, lang, choose)
        at = click(at, next_label(lang))
        assert_ok(at)
    return at, answered
