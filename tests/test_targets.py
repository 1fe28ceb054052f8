"""Targets and the action plan in the core: the JSON format's version 2 (version-1 files
still import), the proposal read out in words, "what if" on a copy, the chart's arrow, the
targets and plan CSVs, the plan in the PDF report, and the follow-up's check of the plan."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from pypdf import PdfReader
from test_personas import assessment_of, personas

import content_factory as cf
from ktmsc.action_plan import entries_from, follow_up, happened
from ktmsc.charts import quadrant_spec
from ktmsc.export import PLAN_CSV_COLUMNS, plan_csv, targets_csv
from ktmsc.instrument import load_content
from ktmsc.model.assessment import FORMAT_VERSION, Assessment, AssessmentError, parse_assessment
from ktmsc.plan import shortest_way
from ktmsc.report import build_report
from ktmsc.scoring import position, score_assessment
from ktmsc.targets import place_text, proposal, target_readout, what_if, what_if_items
from ktmsc.texts import t


def persona(questionnaire, persona_id: str, **targets: str):
    found = next(p for p in personas() if p["id"] == persona_id)
    return assessment_of(found, questionnaire).model_copy(update={"targets": targets})


V1 = {
    "format": "ktmsc-assessment",
    "version": 1,
    "profile": {"name": "Musterstadt", "population": 12000},
    "domains": ["mobilitaet"],
    "answers": {"g_strategy": "adopted"},
}


def test_json__a_version_1_file_still_imports_as_version_2_without_targets(questionnaire):
    assert FORMAT_VERSION == 2
    imported = parse_assessment(json.dumps(V1), questionnaire)
    assert imported.version == 2 and imported.targets == {}
    assert imported.answers == {"g_strategy": "adopted"} and imported.profile.name == "Musterstadt"
    # Exported again, it is a version-2 file that imports unchanged.
    again = parse_assessment(imported.to_json(), questionnaire)
    assert json.loads(imported.to_json())["version"] == 2 and again == imported


def test_json__targets_round_trip_and_unknown_ones_are_refused(questionnaire):
    data = {**V1, "version": 2, "targets": {"mobilitaet": "leuchtturm"}}
    imported = parse_assessment(json.dumps(data), questionnaire)
    assert imported.targets == {"mobilitaet": "leuchtturm"}
    assert parse_assessment(imported.to_json(), questionnaire).targets == {"mobilitaet": "leuchtturm"}
    for bad in ({"mobilitaet": "no_type"}, {"no_domain": "leuchtturm"}):
        with pytest.raises(AssessmentError) as refused:
            parse_assessment(json.dumps({**data, "targets": bad}), questionnaire)
        assert refused.value.key == "unknown_targets"
    with pytest.raises(AssessmentError) as refused:
        parse_assessment(json.dumps({**data, "targets": {"mobilitaet": 3}}), questionnaire)
    assert refused.value.key == "invalid_field"
    for version in (3, 0, True, "2"):
        with pytest.raises(AssessmentError) as refused:
            parse_assessment(json.dumps({**data, "version": version}), questionnaire)
        assert refused.value.key == "wrong_version"
    # A version-1 file cannot smuggle targets in: version 1 has none.
    assert parse_assessment(json.dumps({**V1, "targets": {"mobilitaet": "leuchtturm"}}), questionnaire).targets == {}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_readout__the_proposal_in_words_is_the_search_s_proposal(questionnaire, lang):
    assessment = persona(questionnaire, "kohlental", wohnen_gesundheit="leuchtturm")
    found = shortest_way(questionnaire, assessment, "wohnen_gesundheit", "leuchtturm")
    shown = target_readout(questionnaire, assessment, "wohnen_gesundheit", lang)
    assert shown.proposal == found and shown.status == "proposed"
    assert [m.item_id for m in shown.measures] == [m.item_id for m in found.measures]
    name = questionnaire.types["leuchtturm"].name.get(lang)
    assert shown.verdict == t("plan.verdict.proposed", lang, target=name, count=str(len(found.measures)))
    assert shown.projected == place_text(questionnaire, found.after, lang) and name in shown.projected
    item = questionnaire.items[found.measures[0].item_id]
    assert shown.measures[0].question == item.text.get(lang)
    assert shown.measures[0].effort == t(f"plan.effort.{found.measures[0].effort}", lang)
    assert proposal(questionnaire, assessment, "wohnen_gesundheit") is shown.proposal  # computed once


def test_readout__reached_unreachable_and_no_target_say_so(questionnaire):
    assessment = persona(questionnaire, "kohlental")
    now = score_assessment(questionnaire, assessment).domains["wohnen_gesundheit"].type_id
    reached = target_readout(
        questionnaire, assessment.model_copy(update={"targets": {"wohnen_gesundheit": now}}), "wohnen_gesundheit", "de"
    )
    assert reached.status == "reached" and not reached.measures
    assert reached.verdict.startswith("Diese Domäne steht schon stabil im Ziel")
    # A Mobilisiererin cannot become a Bewahrerin by stronger answers: honestly out of reach.
    lower = assessment.model_copy(update={"targets": {"wohnen_gesundheit": "bewahrerin"}})
    beyond = target_readout(questionnaire, lower, "wohnen_gesundheit", "en")
    assert beyond.status == "unreachable" and not beyond.measures
    assert "cannot be reached" in beyond.verdict or "found no way" in beyond.verdict
    assert target_readout(questionnaire, assessment, "wohnen_gesundheit", "de") is None


def test_what_if__scores_a_copy_and_changes_nothing(questionnaire):
    assessment = persona(questionnaire, "hochwaldhoehe")
    answers = json.dumps(assessment.answers, sort_keys=True)
    best = max(questionnaire.items["wi_joint_work"].options, key=lambda o: o.score).id
    moved = what_if(questionnaire, assessment, "wirtschaft", {"wi_joint_work": best})
    today = what_if(questionnaire, assessment, "wirtschaft", {})
    assert moved.dimensions["veraenderungsbereitschaft"].score > today.dimensions["veraenderungsbereitschaft"].score
    assert json.dumps(assessment.answers, sort_keys=True) == answers
    assert today.type_id == score_assessment(questionnaire, assessment).domains["wirtschaft"].type_id
    cleared = what_if(questionnaire, assessment, "wirtschaft", {"wi_joint_work": None})
    assert cleared.coverage < today.coverage and "wi_joint_work" in assessment.answers


def test_targets_csv__a_row_per_measure_with_the_page_s_texts(questionnaire):
    assessment = persona(questionnaire, "kohlental", wohnen_gesundheit="leuchtturm", wirtschaft="bewahrerin")
    rows = list(csv.reader(io.StringIO(targets_csv(questionnaire, assessment, "de").lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Domänen-ID", "Domäne", "Ziel-Typ-ID", "Ziel in zwei Jahren"]
    found = proposal(questionnaire, assessment, "wohnen_gesundheit")
    measures = [r for r in body if r[0] == "wohnen_gesundheit"]
    assert [r[6] for r in measures] == [m.item_id for m in found.measures]
    assert {r[4] for r in measures} == {"proposed"}
    assert measures[0][header.index("Punkte Leistungsfähigkeit")] == "3,6"
    other = [r for r in body if r[0] == "wirtschaft"]
    assert len(other) == 1 and other[0][4] in ("unreachable", "reached") and other[0][6] == ""


def test_chart__a_dashed_arrow_from_today_to_the_projected_point(questionnaire):
    assessment = persona(questionnaire, "hochwaldhoehe", wirtschaft="mobilisiererin")
    found = proposal(questionnaire, assessment, "wirtschaft")
    spec = quadrant_spec(questionnaire, [found.before], "de", projected=[found.after])
    (arrow,) = spec["datasets"]["proposal"]
    x, y = (found.before.dimensions[d].score for d in questionnaire.dimension_ids)
    assert (arrow["x0"], arrow["y0"]) == (round(x, 1), round(y, 1))
    assert arrow["y"] > arrow["y0"] and arrow["type"] == questionnaire.types["mobilisiererin"].name.get("de")
    assert "proposal" not in quadrant_spec(questionnaire, [found.before], "de").get("datasets", {})


def planned(questionnaire):
    base = persona(questionnaire, "kohlental", wohnen_gesundheit="leuchtturm")
    found = proposal(questionnaire, base, "wohnen_gesundheit")
    entries = entries_from("wohnen_gesundheit", [(m.item_id, m.to_value) for m in found.measures])
    entries[0] = entries[0].model_copy(
        update={"who": "=HYPERLINK(evil)", "due": date(2027, 6, 30), "status": "under_way", "note": "Kreis; +1 Stelle"}
    )
    return base.model_copy(update={"plan": entries}), found


def test_plan_csv__one_row_per_entry_with_plain_codes_and_safe_text(questionnaire):
    assessment, found = planned(questionnaire)
    rows = list(csv.reader(io.StringIO(plan_csv(questionnaire, assessment, "de").lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == [t(f"core.csv.{c}", "de") for c in PLAN_CSV_COLUMNS]
    assert [r[3] for r in body] == [m.item_id for m in found.measures]
    first = dict(zip(PLAN_CSV_COLUMNS, body[0], strict=True))
    assert (first["who"], first["due"], first["plan_status"]) == ("'=HYPERLINK(evil)", "2027-06-30", "under_way")
    assert first["note"] == "Kreis;' +1 Stelle"  # no spreadsheet runs the piece after ";" as a formula
    assert first["what"].startswith(questionnaire.items[found.measures[0].item_id].text.get("de") + " → ")
    assert {r[8] for r in body[1:]} == {"planned"}


def test_report__the_domain_shows_its_target_the_way_and_the_plan(questionnaire):
    assessment, _found = planned(questionnaire)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(build_report(
        questionnaire, assessment, "de"))).pages)  # fmt: skip
    shown = target_readout(questionnaire, assessment, "wohnen_gesundheit", "de")
    assert "Maßnahmenplan" in text and "Ziel in zwei Jahren" in text
    assert " ".join(shown.verdict.split()) in text
    assert "=HYPERLINK(evil)" in text and "31.03.2027" not in text and "30.06.2027" in text
    assert "in Arbeit" in text and "geplant" in text
    plain = build_report(questionnaire, assessment.model_copy(update={"plan": [], "targets": {}}), "de")
    assert "Maßnahmenplan" not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(plain)).pages)


def test_follow_up__an_entry_happened_when_the_answer_now_scores_at_least_its_target(questionnaire):
    earlier, found = planned(questionnaire)
    first, *rest = found.measures
    now = earlier.model_copy(update={"answers": {**earlier.answers, first.item_id: first.to_value}, "plan": []})
    result = score_assessment(questionnaire, now)
    checks, targets = follow_up(questionnaire, earlier, now, result, "de")
    assert [c.happened for c in checks] == [True] + [False] * len(rest)
    assert checks[0].status_then == "in Arbeit"
    assert [happened(questionnaire, earlier, e) for e in earlier.plan] == [False] * len(earlier.plan)
    (target,) = targets
    assert target.target == questionnaire.types["leuchtturm"].name.get("de") and not target.met


def test_chart__the_development_arrow_says_whether_the_earlier_target_was_reached(questionnaire):
    """A follow-up's arrows end in the earlier target or not: the colour and the tooltip say so,
    the same verdict as the follow-up's table (stable in the target type)."""
    earlier, found = planned(questionnaire)
    before = score_assessment(questionnaire, earlier)
    positions = {d.domain: position(questionnaire, d) for d in before.domains.values() if position(questionnaire, d)}
    reached_now = earlier.model_copy(
        update={"answers": {**earlier.answers, **{m.item_id: m.to_value for m in found.measures}}}
    )
    for now, met in ((earlier, False), (reached_now, True)):
        result = score_assessment(questionnaire, now)
        spec = quadrant_spec(
            questionnaire, result.domains.values(), "de", previous=positions, targets=dict(earlier.targets)
        )
        arrows = {a["domain"]: a for a in spec["datasets"]["history"]}
        name = questionnaire.domain("wohnen_gesundheit").name.get("de")
        verdict = "erreicht" if met else "noch nicht erreicht"
        assert arrows[name]["target"] == f"„Der Leuchtturm“ – {verdict}"
        assert arrows[name]["reached"] == ("yes" if met else "no")
        _, targets = follow_up(questionnaire, earlier, now, result, "de")
        assert [t_.met for t_ in targets] == [met]
        others = [a for d, a in arrows.items() if d != name]
        assert all(a["reached"] == "none" and a["target"] == "" for a in others)


def test_what_if__a_follow_up_is_asked_once_its_gate_s_hypothetical_answer_opens_it(tmp_path):
    def follow_up_in_the_domain(files):
        first, second = files["sections/mobilitaet.yaml"]["items"][:2]
        second["show_if"] = [{"item": first["id"], "any_of": ["full"]}]
        # Light enough that opening it never lowers the domain (the content's gate rule).
        first["weights"] = {dim: 3 for dim in first["weights"]}
        second["weights"] = {dim: 0.2 for dim in second["weights"]}

    loaded = load_content(cf.build(tmp_path, follow_up_in_the_domain))
    assert loaded.ok, [p.format() for p in loaded.problems]
    q = loaded.questionnaire
    gate, follow = (i.id for i in q.items_for("mobilitaet")[:2])
    assessment = Assessment(domains=["mobilitaet"], answers={gate: "none"})
    assert follow not in {i.id for i in what_if_items(q, assessment, "mobilitaet", {})}
    assert follow in {i.id for i in what_if_items(q, assessment, "mobilitaet", {gate: "full"})}
    assert assessment.answers == {gate: "none"}
