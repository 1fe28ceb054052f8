"""The invented example municipality: its file is checked like all content, and its workshop's
answers are made from its own, the same on every run and always readable."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import content_factory as cf
from ktmsc import example as ex
from ktmsc.instrument import load_content
from ktmsc.model.assessment import check_assessment
from ktmsc.model.schema import DONT_KNOW
from ktmsc.readout import build_readout
from ktmsc.report import render_report
from ktmsc.scoring import score_assessment
from ktmsc.storage import checks
from ktmsc.workshop import aggregate

LE, VE = cf.DIMENSION_IDS  # capacity, willingness to change


def _answers(section: str, capacity: str, willingness: str, per_dim: int = 4) -> dict:
    prefix = cf.item_prefix(section)
    out = {f"{prefix}_{LE[:2]}_{n}": capacity for n in range(per_dim)}
    out.update({f"{prefix}_{VE[:2]}_{n}": willingness for n in range(per_dim)})
    return out


def example_file() -> dict:
    """An example for the generated content: strong capacity and weak will in one domain, the
    other way round in the other, so it is two types."""
    return {
        "name": {"de": "Probstadt (erfundenes Beispiel)", "en": "Probstadt (invented example)"},
        "summary": cf.text("An invented town"),
        "profile": {"body_kind": "kreisangehoerige_gemeinde", "state": "he", "population": 30000},
        "domains": ["umwelt_energie", "mobilitaet"],
        "workshop": {"title": cf.text("Round"), "participants": [{"role": cf.text(r)} for r in ("IT", "Bau", "OB")]},
        "answers": {
            **_answers("general", "some", "some", per_dim=3),
            **_answers("umwelt_energie", "full", "none"),
            **_answers("mobilitaet", "none", "full"),
        },
    }


def build(tmp_path, change=None):
    def with_example(files):
        files["example.yaml"] = example_file()
        if change is not None:
            change(files["example.yaml"])

    return load_content(cf.build(tmp_path, with_example))


def test_example__ok(tmp_path):
    result = build(tmp_path)
    assert result.ok and result.warnings == [], [p.format() for p in result.problems]
    assert result.questionnaire.example.profile.population == 30000


def test_no_example_file__ok_without_an_example(tmp_path):
    result = load_content(cf.build(tmp_path))
    assert result.ok and result.questionnaire.example is None


def _set(*path, value):
    def change(data):
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


def _drop(*path):
    def change(data):
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return change


# (name, change, code, YAML path, words in the message)
BROKEN = [
    (
        "unknown_item",
        _set("answers", "umw_le_0x", value="full"),
        "E001",
        "answers.umw_le_0x",
        "did you mean `umw_le_0`",
    ),
    ("renamed_option", _set("answers", "umw_le_0", value="ful"), "E002", "answers.umw_le_0", "`none`, `some`, `full`"),
    ("single_as_list", _set("answers", "umw_le_0", value=["full"]), "E002", "answers.umw_le_0", '["full"]'),
    ("not_our_task", _set("answers", "umw_le_0", value="not_applicable"), "E002", "answers.umw_le_0", "not_applicable"),
    ("unknown_domain", _set("domains", 1, value="mobilität"), "E004", "domains[1]", "did you mean `mobilitaet`"),
    (
        "unknown_body_kind",
        _set("profile", "body_kind", value="stadt"),
        "E004",
        "profile.body_kind",
        "profile.body_kinds",
    ),
    ("unknown_state", _set("profile", "state", value="hessen"), "E004", "profile.state", "profile.states"),
    ("long_name", _set("name", "de", value="x" * 201), "E007", "name.de", "200 characters"),
    ("quoted_population", _set("profile", "population", value="30000"), "S003", "profile.population", "quotes"),
    ("no_workshop", _drop("workshop"), "S001", "workshop", "`workshop`"),
    ("one_participant", _set("workshop", "participants", value=[{"role": cf.text("IT")}]), "S003", "", "at least 2"),
    ("missing_english", _drop("summary", "en"), "T001", "summary.en", "English"),
]


@pytest.mark.parametrize(("name", "change", "code", "path", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_example__error(tmp_path, name, change, code, path, words):
    result = build(tmp_path, change)
    assert not result.ok
    found = [p for p in result.problems if p.code == code]
    assert found, "\n".join(p.format() for p in result.problems)
    problem = found[0]
    assert problem.file == "questionnaires/example.yaml"
    if path:
        assert problem.path == path
    text = problem.format()
    assert words in text and "Fix:" in text, text


WARNINGS = [
    ("unanswered", _drop("answers", "mob_ve_3"), "E005", "answers", "1 question(s) it is asked unanswered: mob_ve_3"),
    ("other_domain", _set("answers", "wir_le_0", value="full"), "E003", "answers.wir_le_0", "`wirtschaft`"),
    (
        "one_type",
        _set("answers", value={**example_file()["answers"], **_answers("mobilitaet", "full", "none")}),
        "E006",
        "domains",
        "`aktivistin` in every domain",
    ),
]


@pytest.mark.parametrize(("name", "change", "code", "path", "words"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_example_that_says_less__warning(tmp_path, name, change, code, path, words):
    result = build(tmp_path, change)
    assert result.ok, "a warning, not an error: the example still opens"
    assert [p.code for p in result.warnings] == [code]
    (problem,) = result.warnings
    assert problem.file == "questionnaires/example.yaml" and problem.path == path
    assert words in problem.format()


# --- the shipped example -------------------------------------------------------------------


def test_shipped_example__is_marked_invented_and_more_than_one_type(questionnaire):
    for lang, word in (("de", "erfunden"), ("en", "invented")):
        assessment = ex.example_assessment(questionnaire, lang)
        assert word in assessment.profile.name
        check_assessment(assessment, questionnaire)  # strict: every answer readable
    result = score_assessment(questionnaire, ex.example_assessment(questionnaire, "de"))
    types = [d.type_id for d in result.domains.values()]
    assert len(set(types)) >= 2, types
    assert all(t is not None for t in types)


def test_shipped_example__report_is_a_pdf_that_says_it_is_invented(questionnaire):
    readout = build_readout(questionnaire, ex.example_assessment(questionnaire, "de"))
    pdf = render_report(readout, "de")
    assert pdf.startswith(b"%PDF-")
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "erfundenes Beispiel" in first


def test_example_workshop__same_participants_on_every_run(questionnaire):
    example = questionnaire.example
    first = ex._participants(questionnaire, example, "de")
    again = ex._participants(questionnaire, example, "de")
    assert [p.answers for p in first] == [p.answers for p in again]
    assert [p.role for p in first] == [p.role.de for p in example.workshop.participants]
    english = ex.example_participants(questionnaire, "en")
    assert [p.answers for p in english] == [p.answers for p in first]


def test_example_workshop__every_answer_is_one_the_store_accepts(questionnaire):
    body_kind = questionnaire.example.profile.body_kind
    for person in ex.example_participants(questionnaire, "de"):
        for item_id, value in person.answers.items():
            assert checks.accepted(questionnaire, item_id, value, body_kind), (person.id, item_id, value)


def test_example_workshop__a_plausible_spread(questionnaire):
    example = questionnaire.example
    people = ex.example_participants(questionnaire, "de")
    assert len(people) == len(example.workshop.participants) >= 8
    # Nobody answers exactly as the example, and nobody differs in most answers.
    for person in people[:-1]:
        same = sum(person.answers.get(k) == v for k, v in example.answers.items())
        assert 0.5 * len(example.answers) < same < len(example.answers), person.id
    assert any(DONT_KNOW in person.answers.values() for person in people)
    profile = example.profile
    group = aggregate(
        questionnaire, people, questionnaire.ordered_domains(example.domains), profile.perspective,
        profile.population, body_kind=profile.body_kind,
    )  # fmt: skip
    finished = [s for s in group.participants if s.progress.answered >= s.progress.asked]
    assert len(finished) == len(people) - 1  # one is still answering
    assert group.agenda and group.agenda[0].disagreement > 20
    # The group sees what the example is: its median type is the example's in most domains.
    own = score_assessment(questionnaire, ex.example_assessment(questionnaire, "de"))
    same_type = [d for d, g in group.by_domain.items() if g.type_id == own.domains[d].type_id]
    assert len(same_type) >= len(group.by_domain) - 1
