"""The shortest way to a target (ktmsc/plan.py): exact against brute force, never a measure for
what is done, efforts and a strained budget weigh as the content says, and the CLI."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_personas import assessment_of, personas

import content_factory as cf
from ktmsc.cli import main
from ktmsc.instrument import load_content
from ktmsc.model.answers import answer_score
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.schema import DONT_KNOW
from ktmsc.plan import _Search, choices, shortest_way, step_cost
from ktmsc.scoring import score_assessment

DOMAIN = "mobilitaet"
EFFORTS = [None, "low", "medium", "high"]


def _with_efforts(seed: int):
    """Content whose options carry efforts drawn with ``seed`` (some left unset: medium)."""
    rng = random.Random(seed)

    def change(files):
        for rel, data in files.items():
            if rel.startswith("sections/"):
                for item in data["items"]:
                    for option in item.get("options", []):
                        option["effort"] = rng.choice(EFFORTS)
                        if option["effort"] is None:
                            del option["effort"]

    return change


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Three small questionnaires with different efforts."""
    loaded = []
    for seed in (1, 2, 3):
        result = load_content(cf.build(tmp_path_factory.mktemp(f"plan{seed}"), _with_efforts(seed)))
        assert result.ok, [p.format() for p in result.problems]
        loaded.append(result.questionnaire)
    return loaded


# The questions of the small questionnaires' general section and domain (the same in all three).
ITEM_IDS = [
    [i["id"] for rel in ("sections/general.yaml", f"sections/{DOMAIN}.yaml") for i in cf.content()[rel]["items"]]
] * 3


def brute_force(search: _Search) -> tuple[float, int] | None:
    """The cheapest (cost, count) over every combination of the search's measures, judged by the
    real scoring; None when none reaches the target."""
    best = None
    options = [(None, *v.choices) for v in search.variables]
    for combination in itertools.product(*options):
        assignment = {j: c for j, c in enumerate(combination) if c is not None}
        if not assignment or not search.stable_in_target(search.evaluate(search.answers(assignment))):
            continue
        found = (sum(c.cost for c in assignment.values()), len(assignment))
        best = found if best is None or found < best else best
    return best


@st.composite
def small_case(draw):
    """A questionnaire of the three, answers to every question it asks (some "don't know"), a
    target; few enough measures open for brute force (at most 3,000 combinations)."""
    which = draw(st.integers(0, 2))
    ids = draw(st.permutations(ITEM_IDS[which]))
    answers, combinations = {}, 1
    for item_id in ids:
        level = draw(st.sampled_from(["none", "none", "some", "some", "full", DONT_KNOW]))
        open_steps = {"none": 3, "some": 2}.get(level, 1)
        if combinations * open_steps > 3_000:
            level, open_steps = "full", 1
        answers[item_id], combinations = level, combinations * open_steps
    target = draw(st.sampled_from([*cf.TYPE_IDS, "leuchtturm", "leuchtturm", "leuchtturm"]))
    return which, answers, target


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=small_case())
def test_the_search_finds_what_brute_force_finds(small, case):
    which, answers, target = case
    q = small[which]
    assessment = Assessment(questionnaire_version=q.version, domains=[DOMAIN], answers=answers)
    proposal = shortest_way(q, assessment, DOMAIN, target)
    search = _Search(q, assessment, DOMAIN, target)
    if proposal.status == "reached":
        assert search.stable_in_target(proposal.before)
        return
    expected = brute_force(search)
    if expected is None:
        assert proposal.status == "unreachable"
        return
    assert proposal.proven
    assert (proposal.cost, len(proposal.measures)) == expected
    assert proposal.after.type_id == target and proposal.after.stable


# The next type up a municipality would aim for in two years.
NEXT_UP = {"bewahrerin": "mobilisiererin", "mobilisiererin": "leuchtturm", "aktivistin": "leuchtturm"}


def test_a_proposal_never_asks_for_what_is_done_and_reaches_the_target(questionnaire):
    for persona in personas():
        assessment = assessment_of(persona, questionnaire)
        result = score_assessment(questionnaire, assessment)
        for domain in persona["domains"]:
            target = NEXT_UP.get(result.domains[domain].type_id)
            if target is None:
                continue
            proposal = shortest_way(questionnaire, assessment, domain, target)
            if proposal.status != "proposed":
                continue
            for measure in proposal.measures:
                item = questionnaire.items[measure.item_id]
                before = score_of(questionnaire, item, measure.from_value, assessment)
                assert score_of(questionnaire, item, measure.to_value, assessment) > before
                assert item.measure, f"{item.id} is a condition, not a measure"
            assert proposal.after.stable and proposal.after.type_id == target
            assert assessment.answers == persona["answers"], "the real answers stay as they are"


def score_of(q, item, value, assessment):
    """The item score of ``value`` for this municipality (size-relative bands included)."""
    where = q.municipality(assessment.profile.population, assessment.profile.body_kind)
    return answer_score(item, value, where).score


def test_an_aktivistin_becomes_a_leuchtturm_with_one_step_on_willingness(questionnaire):
    persona = next(p for p in personas() if p["id"] == "eichenfurt")
    assessment = assessment_of(persona, questionnaire)
    before = score_assessment(questionnaire, assessment).domains["verwaltung_bildung"]
    assert before.type_id == "aktivistin"
    proposal = shortest_way(questionnaire, assessment, "verwaltung_bildung", "leuchtturm")
    assert proposal.status == "proposed" and proposal.proven
    vb = "veraenderungsbereitschaft"
    assert all(m.gains[vb] > 0 for m in proposal.measures)  # what it lacks is willingness
    assert proposal.after.dimensions[vb].min >= questionnaire.threshold(vb)


def test_the_target_it_is_in_already_needs_nothing(questionnaire):
    persona = next(p for p in personas() if p["id"] == "westerfeld")
    proposal = shortest_way(questionnaire, assessment_of(persona, questionnaire), "mobilitaet", "leuchtturm")
    assert proposal.status == "reached" and proposal.measures == () and proposal.cost == 0


def test_open_answers_that_keep_the_target_out_of_reach_are_named(questionnaire):
    ids = [i.id for s in questionnaire.sections_for([DOMAIN]) for i in s.items]
    assessment = Assessment(
        questionnaire_version=questionnaire.version, domains=[DOMAIN], answers=dict.fromkeys(ids, DONT_KNOW)
    )
    proposal = shortest_way(questionnaire, assessment, DOMAIN, "leuchtturm")
    assert proposal.status == "unreachable" and proposal.reason == "open"
    assert set(proposal.open_items) <= set(ids) and proposal.open_items


def test_efforts_add_up_step_by_step_and_a_strained_budget_makes_high_steps_dearer(small):
    q = small[0]
    item = next(i for i in q.items.values() if i.type == "single")
    where = q.municipality()
    ranked = sorted(item.options, key=lambda o: o.score)
    costs = {c.value: c.cost for c in choices(item, ranked[0].id, where, q, False)}
    top = ranked[-1]
    expected = sum(step_cost(q, o.effort, False) for o in ranked[1:])
    assert costs.get(top.id, expected) == expected  # the top option costs every step up to it (unless dominated)
    plan = q.model.plan
    assert step_cost(q, "high", True) == plan.effort_costs["high"] * plan.strained_high_factor
    assert step_cost(q, "low", True) == plan.effort_costs["low"]
    assert step_cost(q, None, False) == plan.effort_costs["medium"]


def test_the_budget_situation_is_never_a_measure(questionnaire):
    persona = next(p for p in personas() if p["id"] == "hochwaldhoehe")
    assessment = assessment_of(persona, questionnaire)
    search = _Search(questionnaire, assessment, "wohnen_gesundheit", "leuchtturm")
    assert "g_budget_situation" not in {v.item_id for v in search.variables}


# --- the command line ---------------------------------------------------------------------------


def test_cli_plan_prints_the_measures_and_the_projected_place(questionnaire, tmp_path, capsys):
    persona = next(p for p in personas() if p["id"] == "hafenberg")
    path = tmp_path / "hafenberg.json"
    path.write_text(assessment_of(persona, questionnaire).model_dump_json(), encoding="utf-8")
    assert main(["plan", str(path), "--domain", "mobilitaet", "--target", "leuchtturm"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "proposed" and out["after"]["type"] == "leuchtturm" and out["after"]["stable"]
    assert out["measures"] and {"item", "from", "to", "effort", "cost", "points"} <= set(out["measures"][0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--domain", "nowhere", "--target", "leuchtturm"], "unknown domain 'nowhere'"),
        (["--domain", "mobilitaet", "--target", "tower"], "unknown type 'tower'"),
        (["--domain", "wirtschaft", "--target", "leuchtturm"], "does not cover 'wirtschaft'"),
    ],
)
def test_cli_plan_bad_input_gets_one_error_line_and_exit_2(questionnaire, tmp_path, capsys, args, message):
    path = tmp_path / "a.json"
    path.write_text(
        Assessment(
            questionnaire_version=questionnaire.version, profile=AssessmentProfile(name="X"), domains=["mobilitaet"]
        ).model_dump_json(),
        encoding="utf-8",
    )
    assert main(["plan", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_plan_a_file_that_is_no_assessment_exits_2(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["plan", str(path), "--domain", "mobilitaet", "--target", "leuchtturm"]) == 2
    assert capsys.readouterr().err.startswith("error:")
