"""The benchmark's temporary database and the assessments in it, created through the app's Store."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.answers import NAME, POPULATION, page_answers
from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, GENERAL, Item
from ktmsc.storage import Created, Store

LANG = "de"


@dataclass
class Fixture:
    tmp: Path
    url: str
    store: Store
    q: Questionnaire
    main: Created  # all six domains, every item answered, on the general step
    load: list[Created] = field(default_factory=list)  # one per load-test session
    keep: bool = False  # leave the temporary directory (database, server logs) behind

    @classmethod
    def create(cls, keep: bool = False, url: str | None = None) -> Fixture:
        """A new temporary SQLite database, or the (empty) database at ``url``."""
        tmp = Path(tempfile.mkdtemp(prefix="ktmsc-bench-"))
        url = url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        q = get_questionnaire()
        store = Store(url, questionnaire=q)  # migrates the new database; checks answers like the app's
        return cls(tmp, url, store, q, _create(store, q, seed=7), keep=keep)

    def load_assessments(self, count: int) -> list[Created]:
        while len(self.load) < count:
            self.load.append(_create(self.store, self.q, seed=1000 + len(self.load)))
        return self.load[:count]

    def query(self, created: Created) -> str:
        return f"lang={LANG}&a={created.edit_token}"

    def stored_answer(self, created: Created, item_id: str):
        stored = self.store.load(created.id)
        return None if stored is None else stored.assessment.answers.get(item_id)

    def close(self) -> None:
        self.store.close()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _create(store: Store, q: Questionnaire, seed: int) -> Created:
    assessment = Assessment(
        questionnaire_version=q.version,
        profile=AssessmentProfile(name=NAME, population=POPULATION),
        domains=list(q.domain_ids),
        answers=page_answers(q, seed),
    )
    created = store.create_assessment(assessment)
    store.save_step(created.id, GENERAL)
    return created


def option_ids(item: Item) -> list[str]:
    """The radio's options in the order the page shows them: the item's options, then "don't know"."""
    return [o.id for o in item.options] + [DONT_KNOW]


def item_of_key(q: Questionnaire, key: str | None) -> Item | None:
    """``q.<lang>.<item id>.answer`` → the item."""
    if not key or not key.startswith(f"q.{LANG}.") or not key.endswith(".answer"):
        return None
    return q.items.get(key[len(f"q.{LANG}.") : -len(".answer")])


def quiet_single_item(q: Questionnaire) -> Item:
    """A single-choice item of the general section that neither gates nor depends on another."""
    for item in q.items_for(GENERAL):
        if item.type == "single" and not item.show_if and item.id not in q.gate_ids:
            return item
    raise LookupError("no plain single-choice item in the general section")
