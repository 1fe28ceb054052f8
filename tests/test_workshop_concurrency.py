"""50 participants answering at once, on SQLite and PostgreSQL: every answer stored,
and the dashboard's aggregate equals the aggregate of the answers as they were given."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.schema import DONT_KNOW
from ktmsc.workshop import Participant, aggregate

PARTICIPANTS = 50
DOMAINS = ["mobilitaet", "wirtschaft"]


def random_answers(questionnaire, seed: int) -> dict:
    rng = random.Random(seed)
    answers = {}
    for section in ["general", *DOMAINS]:
        for item in questionnaire.section(section).items:
            roll = rng.random()
            if roll < 0.1:
                continue
            if roll < 0.2:
                answers[item.id] = DONT_KNOW
            elif item.type == "single":
                answers[item.id] = rng.choice(item.options).id
            elif item.type == "multi":
                normal = [o.id for o in item.options if not o.exclusive]
                answers[item.id] = rng.sample(normal, rng.randint(1, len(normal)))
            else:
                answers[item.id] = float(rng.randint(0, 30))
    return answers


def test_50_participants_answer_at_once(store, questionnaire):
    profile = AssessmentProfile(name="Lasttest", population=40_000)
    workshop = store.create_workshop(
        title="Gleichzeitig", profile=profile, domains=DOMAINS, perspective="verwaltung"
    ).workshop
    given = {n: random_answers(questionnaire, n) for n in range(PARTICIPANTS)}
    ids: dict[int, str] = {}

    def participant(n: int) -> int:
        assessment = Assessment(questionnaire_version=questionnaire.version, profile=profile, domains=DOMAINS)
        created = store.create_assessment(
            assessment, kind="participant", workshop_id=workshop.id, participant_name=f"P{n}"
        )
        ids[n] = created.id
        for item_id, value in given[n].items():
            store.save_answer(created.id, item_id, value)
        return len(given[n])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=PARTICIPANTS) as pool:
        writes = sum(pool.map(participant, range(PARTICIPANTS)))
    elapsed = time.perf_counter() - started

    stored = store.workshop_participants(workshop.id)
    by_id = {s.id: s for s in stored}
    lost = sum(
        1
        for n, answers in given.items()
        for item_id, value in answers.items()
        if by_id[ids[n]].assessment.answers.get(item_id) != value
    )
    extra = sum(len(s.assessment.answers) for s in stored) - writes
    print(
        f"workshop concurrency {store.engine.dialect.name}: {PARTICIPANTS} participants, {writes} writes in {elapsed:.2f} s, lost {lost}"
    )
    assert len(stored) == PARTICIPANTS
    assert lost == 0 and extra == 0

    # What the dashboard computes from the database equals the aggregate of the answers as given.
    from_db = [Participant(id=s.id, name=s.participant_name, answers=s.assessment.answers) for s in stored]
    number = {created_id: n for n, created_id in ids.items()}
    direct = [Participant(id=s.id, name=f"P{number[s.id]}", answers=given[number[s.id]]) for s in stored]
    dashboard = aggregate(questionnaire, from_db, DOMAINS, "verwaltung", profile.population, reuse_scores=False)
    expected = aggregate(questionnaire, direct, DOMAINS, "verwaltung", profile.population, reuse_scores=False)
    assert dashboard.to_json() == expected.to_json()
    assert dashboard.agenda[0].item_id == expected.agenda[0].item_id
